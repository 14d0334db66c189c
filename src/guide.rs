//! The reference chapters of the user guide (用户手册, `guide/`), generated from the code so that
//! they cannot drift from it: every key of every content file, read from the types that parse the
//! file (a probe with an unknown key makes serde list the keys the type knows); every kind with
//! the Chinese names the files may use; the indicator catalogue; every rule code with its
//! explanation. The Chinese descriptions of files, keys and kinds are the guide's own text
//! (`guide/reference.toml`); a key or kind in the code without a description there, or a
//! description of one the code does not know, is an error, and so is an example that the real
//! types refuse.

use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::model::*;

/// One generated page of the guide: its file name under `guide/content/pages/` and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub file: &'static str,
    pub text: String,
}

/// The key the probes write; no type knows it.
const PROBE: &str = "chanjiao_probe";

/// The keys type `T` accepts, in declaration order, as serde lists them when refusing an unknown
/// key. `None` when `T` does not refuse unknown keys (then its keys cannot be read this way).
pub fn keys_of<T: DeserializeOwned>() -> Option<Vec<String>> {
    let err = toml::from_str::<T>(&format!("{PROBE} = 0")).err()?;
    let message = err.message().to_string();
    message
        .contains(&format!("unknown field `{PROBE}`"))
        .then(|| crate::content::tomlde::expected_list(&message))
}

#[derive(Deserialize)]
struct Holder<E> {
    #[allow(dead_code)]
    v: E,
}

/// The values of kind `E`: each key with the Chinese names (serde aliases) that mean the same.
pub fn variants_of<E: DeserializeOwned + PartialEq>() -> Vec<(String, Vec<String>)> {
    let parse = |s: &str| toml::from_str::<Holder<E>>(&format!("v = {s:?}")).ok();
    let Err(err) = toml::from_str::<Holder<E>>(&format!("v = \"{PROBE}\"")) else {
        return Vec::new();
    };
    let all = crate::content::tomlde::expected_list(err.message());
    let (keys, aliases): (Vec<String>, Vec<String>) = all.into_iter().partition(|k| k.is_ascii());
    keys.into_iter()
        .map(|k| {
            let value = parse(&k).map(|h| h.v);
            let same = aliases
                .iter()
                .filter(|a| value.is_some() && parse(a).map(|h| h.v) == value)
                .cloned()
                .collect();
            (k, same)
        })
        .collect()
}

/// One table of a content file as the code reads it.
struct CodeTable {
    file: &'static str,
    table: &'static str,
    keys: Option<Vec<String>>,
}

fn table<T: DeserializeOwned>(file: &'static str, table: &'static str) -> CodeTable {
    CodeTable {
        file,
        table,
        keys: keys_of::<T>(),
    }
}

/// Every table of every content file, with the type that reads it.
fn code_tables() -> Vec<CodeTable> {
    use crate::model::assessment::{Answer, Indicator as AIndicator, ObservationPoint, Points};
    use crate::model::form::{Block, FormLayout, Part, RowSpec};
    use crate::model::framework::{Meta, Submission, SubmissionItem};
    use crate::model::industries::{Industry, IndustryGroup, Taxonomy};
    vec![
        table::<SiteConfig>("content/site.toml", ""),
        table::<AccessibilityConfig>("content/site.toml", "[accessibility]"),
        table::<MarkdownConfig>("content/site.toml", "[markdown]"),
        table::<AnnouncementsConfig>("content/site.toml", "[announcements]"),
        table::<SearchConfig>("content/site.toml", "[search]"),
        table::<CategoryDef>("content/site.toml", "[[announcements.categories]]"),
        table::<GroupDef>("content/site.toml", "[groups.<键>]"),
        table::<IndicatorDef>("content/site.toml", "[indicators.<键>]"),
        table::<PageMeta>("index.md, pages/<slug>.md", "+++"),
        table::<Profile>("consortium.toml", ""),
        table::<Leads>("consortium.toml", "[leads]"),
        table::<Lead>(
            "consortium.toml",
            "leads.park / leads.school / leads.enterprise",
        ),
        table::<Secretariat>("consortium.toml", "[secretariat]"),
        table::<Operation>("consortium.toml", "[operation]"),
        table::<Recognition>("consortium.toml", "recognition"),
        table::<Target>("consortium.toml", "target"),
        table::<Body>("consortium.toml", "[[body]]"),
        table::<Seat>("consortium.toml", "[[body.seat]]"),
        table::<Phase>("consortium.toml", "[[phase]]"),
        CodeTable {
            file: "indicators.toml",
            table: "",
            keys: Some(Basis::ALL.map(|b| b.section().to_string()).to_vec()),
        },
        table::<Member>("members.toml", "[[member]]"),
        table::<TrainingSession>("training.toml", "[[session]]"),
        table::<ProgrammeMeta>("programmes/<slug>.md", "+++"),
        table::<AnnouncementMeta>("announcements/<slug>.md", "+++"),
        table::<AttachmentMeta>("announcements/<slug>.md", "attachments"),
        table::<Report>("report.toml", ""),
        table::<Person>("report.toml", "leader"),
        table::<SecretariatStaff>("report.toml", "secretariat"),
        table::<Pledge>("report.toml", "pledge"),
        table::<YearCells>("report.toml", "[year.<年份>]"),
        table::<FormCells>("report.toml", "[form.<年度>]"),
        table::<Answer>("assessment.toml", "[<框架>.\"<编号>\"]"),
        table::<Meta>("content/frameworks/<id>/framework.toml", ""),
        table::<Submission>("content/frameworks/<id>/framework.toml", "[submission]"),
        table::<SubmissionItem>(
            "content/frameworks/<id>/framework.toml",
            "[[submission.item]]",
        ),
        table::<Points>("content/frameworks/<id>/assessment.toml", ""),
        table::<AIndicator>("content/frameworks/<id>/assessment.toml", "[[indicator]]"),
        table::<ObservationPoint>(
            "content/frameworks/<id>/assessment.toml",
            "[[indicator.point]]",
        ),
        table::<FormLayout>("content/frameworks/<id>/form.toml", ""),
        table::<Part>("content/frameworks/<id>/form.toml", "[overview]"),
        table::<Block>("content/frameworks/<id>/form.toml", "[[overview.block]]"),
        table::<RowSpec>(
            "content/frameworks/<id>/form.toml",
            "[[overview.block.row]]",
        ),
        table::<Milestones>("milestones.toml", ""),
        table::<Milestone>("milestones.toml", "[[milestone]]"),
        table::<MajorLists>("majors.toml", ""),
        table::<ListedMajor>("majors.toml", "[[major]]"),
        table::<DemandLists>("lists.toml", ""),
        table::<Product>("lists.toml", "[[product]]"),
        table::<TechDemand>("lists.toml", "[[technology]]"),
        table::<TalentDemand>("lists.toml", "[[talent]]"),
        table::<Governance>("governance.toml", ""),
        table::<Rule>("governance.toml", "[[rule]]"),
        table::<Policy>("governance.toml", "[[policy]]"),
        table::<Taxonomy>("industries.toml", ""),
        table::<IndustryGroup>("industries.toml", "[[group]]"),
        table::<Industry>("industries.toml", "[[industry]]"),
    ]
}

/// One kind (a closed list of values) as the code reads it.
struct CodeKind {
    id: &'static str,
    values: Vec<(String, Vec<String>)>,
}

fn kind<E: DeserializeOwned + PartialEq>(id: &'static str) -> CodeKind {
    CodeKind {
        id,
        values: variants_of::<E>(),
    }
}

/// Every kind a content file may name.
fn code_kinds() -> Vec<CodeKind> {
    use crate::model::assessment::Status;
    vec![
        kind::<ConsortiumKind>("consortium_kind"),
        kind::<ConsortiumLevel>("consortium_level"),
        kind::<BodyKind>("body_kind"),
        kind::<BodyStatus>("body_status"),
        kind::<MemberKind>("member_kind"),
        kind::<Audience>("audience"),
        kind::<ProgrammeKind>("programme_kind"),
        kind::<ProgrammeStatus>("programme_status"),
        kind::<Level>("programme_level"),
        kind::<ValueKind>("value_kind"),
        kind::<Status>("assessment_status"),
        kind::<MilestoneStatus>("milestone_status"),
        kind::<MajorList>("major_list"),
        kind::<TechStatus>("tech_status"),
        kind::<Instrument>("policy_instrument"),
        kind::<PolicyStatus>("policy_status"),
    ]
}

/// The guide's own descriptions (`guide/reference.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Docs {
    #[serde(default)]
    file: Vec<FileDoc>,
    #[serde(default)]
    kind: Vec<KindDoc>,
}

/// One content file: what it holds, a filled example, and its tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDoc {
    /// As the code names it (`members.toml`, `programmes/<slug>.md`).
    pub path: String,
    pub title: String,
    pub about: String,
    /// Where the example lives in the guide's example site (`content/consortia/demo/…`).
    pub example_path: String,
    pub example: String,
    /// Files the example names (an attachment), written empty beside it.
    #[serde(default)]
    pub extra_files: Vec<String>,
    #[serde(default)]
    table: Vec<TableDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableDoc {
    name: String,
    #[serde(default)]
    about: String,
    keys: toml::Table,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindDoc {
    id: String,
    title: String,
    used: String,
}

/// The examples of `docs`, each with the path it takes in a site: together they make one small
/// site, which a test checks with the real rules.
pub fn examples(docs: &str) -> Result<Vec<FileDoc>, String> {
    toml::from_str::<Docs>(docs)
        .map(|d| d.file)
        .map_err(|e| format!("reference.toml: {e}"))
}

/// The four reference chapters, from the code and `docs` (the text of `guide/reference.toml`);
/// every disagreement between the two, at once.
pub fn reference(docs: &str) -> Result<Vec<Chapter>, Vec<String>> {
    let docs: Docs = toml::from_str(docs).map_err(|e| vec![format!("reference.toml: {e}")])?;
    let mut problems = Vec::new();
    let files = files_chapter(&docs, &mut problems);
    let kinds = kinds_chapter(&docs, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(vec![
        Chapter {
            file: "reference-files.md",
            text: files,
        },
        Chapter {
            file: "reference-kinds.md",
            text: kinds,
        },
        Chapter {
            file: "reference-catalogue.md",
            text: catalogue_chapter(),
        },
        Chapter {
            file: "reference-rules.md",
            text: rules_chapter(),
        },
    ])
}

/// Front matter and the line that says where the page comes from.
fn head(title: &str, weight: i32, description: &str) -> String {
    format!(
        "+++\ntitle = {title:?}\ndescription = {description:?}\nweight = {weight}\n+++\n\n\
         > 本页由代码生成，与 chanjiao 的实现逐项一致；请勿手工修改。说明文字在 \
         `guide/reference.toml`，改后运行 `UPDATE_GOLDEN=1 cargo test --test guide` 重新生成。\n\n"
    )
}

/// Text for one list item or table cell: pipes escaped, line breaks as spaces.
fn line(text: &str) -> String {
    text.trim().replace('|', "\\|").replace('\n', " ")
}

fn files_chapter(docs: &Docs, problems: &mut Vec<String>) -> String {
    let mut out = head(
        "参考：文件与键",
        50,
        "每个内容文件的每个键：含义、必填与否、取值，附完整填写示例。",
    );
    out.push_str(
        "下面按文件列出 chanjiao 认识的每一个键。未标“必填”的键都可以不写。\
         键名区分大小写，写错时 `chanjiao check` 会指出最接近的正确键名。\
         每个文件后附一份完整的填写示例，这些示例合起来就是一个能通过检查的站点（测试会逐一检查）。\n\n",
    );
    let code = code_tables();
    for t in &code {
        if !docs.file.iter().any(|f| f.path == t.file) {
            problems.push(format!("{}: 文件没有说明", t.file));
        }
    }
    for f in &docs.file {
        let _ = write!(
            out,
            "## `{}`：{}\n\n{}\n\n",
            f.path,
            f.title,
            f.about.trim()
        );
        let mine: Vec<&CodeTable> = code.iter().filter(|t| t.file == f.path).collect();
        if mine.is_empty() {
            problems.push(format!("{}: 代码中没有这个文件", f.path));
        }
        for d in &f.table {
            if !mine.iter().any(|t| t.table == d.name) {
                problems.push(format!("{} {}: 代码中没有这个表", f.path, d.name));
            }
        }
        for t in mine {
            table_section(&mut out, f, t, problems);
        }
        let lang = if f.path.ends_with(".md") {
            "markdown"
        } else {
            "toml"
        };
        let _ = write!(
            out,
            "**示例**（`{}`）：\n\n```{lang}\n{}\n```\n\n",
            f.example_path,
            f.example.trim_end()
        );
    }
    out
}

/// One table of a file: its keys in the code's order with their descriptions.
fn table_section(out: &mut String, f: &FileDoc, t: &CodeTable, problems: &mut Vec<String>) {
    let Some(doc) = f.table.iter().find(|d| d.name == t.table) else {
        problems.push(format!("{} {}: 表没有说明", t.file, t.table));
        return;
    };
    let Some(keys) = &t.keys else {
        problems.push(format!(
            "{} {}: 代码中的类型不拒绝未知键，无法列出",
            t.file, t.table
        ));
        return;
    };
    for k in doc.keys.keys() {
        if !keys.contains(k) {
            problems.push(format!(
                "{} {}: 说明了代码不认识的键 `{k}`",
                t.file, t.table
            ));
        }
    }
    let title = if t.table.is_empty() {
        "顶层".to_string()
    } else {
        format!("`{}`", t.table)
    };
    let _ = write!(out, "### {title}\n\n");
    if !doc.about.trim().is_empty() {
        let _ = write!(out, "{}\n\n", doc.about.trim());
    }
    for k in keys {
        match doc.keys.get(k).and_then(|v| v.as_str()) {
            Some(text) => {
                let _ = writeln!(out, "- **`{k}`**：{}", line(text));
            }
            None => problems.push(format!("{} {}: 键 `{k}` 没有说明", t.file, t.table)),
        }
    }
    out.push('\n');
}

fn kinds_chapter(docs: &Docs, problems: &mut Vec<String>) -> String {
    let mut out = head(
        "参考：类型与中文写法",
        60,
        "每个只能取固定值的键（kind、status、audience ……）的全部取值及可直接填写的中文写法。",
    );
    out.push_str(
        "下列键只能取表中的值。每个值既可以写英文键，也可以写表中的任一中文写法，两者等价：\
         `kind = \"enterprise\"` 与 `kind = \"企业\"` 相同。写了不认识的值时，`chanjiao check` 会列出全部可用值。\n\n",
    );
    let code = code_kinds();
    for d in &docs.kind {
        if !code.iter().any(|k| k.id == d.id) {
            problems.push(format!("kind {}: 代码中没有这个类型", d.id));
        }
    }
    for k in &code {
        let Some(d) = docs.kind.iter().find(|d| d.id == k.id) else {
            problems.push(format!("kind {}: 类型没有说明", k.id));
            continue;
        };
        if k.values.is_empty() {
            problems.push(format!("kind {}: 读不出取值", k.id));
        }
        let _ = write!(
            out,
            "## {}\n\n用于{}。\n\n| 键 | 中文写法 |\n|---|---|\n",
            d.title,
            d.used.trim()
        );
        for (key, names) in &k.values {
            let names = if names.is_empty() {
                "—".to_string()
            } else {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            let _ = writeln!(out, "| `{key}` | {names} |");
        }
        out.push('\n');
    }
    out
}

fn value_kind_zh(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Count => "数量（整数）",
        ValueKind::Amount => "数额",
        ValueKind::Percent => "百分比（0–100）",
    }
}

fn catalogue_chapter() -> String {
    let cat = Catalogue::built_in();
    let mut out = head(
        "参考：指标目录",
        70,
        "内置指标目录：每个指标的键、名称、单位、类型与小数位，按推荐书表格的顺序。",
    );
    let _ = write!(
        out,
        "`indicators.toml` 的 `[actual]`（实际值）和 `[committed]`（承诺值）下只能写下表中的键\
         （或 `site.toml` 的 `[indicators.<键>]` 自行增加的指标）。共 {} 组、{} 项指标。\
         数量须为不小于 0 的整数；数额不小于 0（人日、人月最多一位小数）；百分比在 0–100 之间，\
         填 95.8，不要填 0.958。\n\n",
        cat.groups.len(),
        cat.indicators.len()
    );
    for (gkey, group) in &cat.groups {
        let _ = write!(out, "## {}（`{gkey}`）\n\n", group.name);
        for (key, def) in cat.indicators.iter().filter(|(_, d)| &d.group == gkey) {
            let source = if def.source.is_empty() {
                String::new()
            } else {
                format!("来源：{}。", def.source)
            };
            let _ = writeln!(
                out,
                "- **`{key}`**：{}（{}）。{}，页面显示 {} 位小数。{}英文：{}",
                line(&def.name),
                def.unit,
                value_kind_zh(def.kind),
                def.decimals(),
                line(&source),
                line(&def.name_en)
            );
        }
        out.push('\n');
    }
    out
}

fn rules_chapter() -> String {
    let all = crate::rules::explain::all();
    let mut out = head(
        "参考：检查规则代码",
        80,
        "chanjiao check 报出的每个规则代码：含义、涉及的文件、错误写法与正确写法。",
    );
    let _ = write!(
        out,
        "`chanjiao check` 的每条错误或警告都带一个规则代码，如 `error[member-unknown]`。\
         下面按代码的字母顺序列出全部 {} 个代码；命令行里也可以用 `chanjiao explain 代码` 查看同样的说明。\n\n",
        all.len()
    );
    for (code, e) in all {
        let _ = write!(
            out,
            "## {code}\n\n**{}**（`{}`）\n\n{}\n\n错误写法：\n\n```toml\n{}\n```\n\n正确写法：\n\n```toml\n{}\n```\n\n",
            e.summary_zh.trim(),
            e.file.trim(),
            e.zh.trim(),
            e.wrong.trim_end(),
            e.right.trim_end()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_read_keys_and_kinds_from_the_types() {
        let keys = keys_of::<Member>().unwrap();
        assert_eq!(keys[..3], ["id", "name", "short_name"]);
        assert!(keys.contains(&"credit_code".to_string()));
        let kinds = variants_of::<MemberKind>();
        let enterprise = kinds.iter().find(|(k, _)| k == "enterprise").unwrap();
        assert_eq!(enterprise.1, ["企业"]);
        assert_eq!(kinds.len(), MemberKind::ALL.len());
        for t in code_tables() {
            assert!(t.keys.is_some(), "{} {} lists no keys", t.file, t.table);
        }
        for k in code_kinds() {
            assert!(!k.values.is_empty(), "{} lists no values", k.id);
        }
    }

    const DOCS: &str = r#"
[[file]]
path = "members.toml"
title = "成员单位"
about = "成员"
example_path = "content/consortia/demo/members.toml"
example = ""
[[file.table]]
name = "[[member]]"
[file.table.keys]
id = "编号"
bogus = "没有这个键"
"#;

    #[test]
    fn a_key_without_a_description_and_a_description_without_a_key_both_fail() {
        let problems = reference(DOCS).unwrap_err();
        let has = |s: &str| problems.iter().any(|p| p.contains(s));
        assert!(has("`bogus`"), "{problems:?}");
        assert!(has("键 `name` 没有说明"), "{problems:?}");
        assert!(has("content/site.toml: 文件没有说明"), "{problems:?}");
        assert!(has("kind member_kind: 类型没有说明"), "{problems:?}");
    }
}
