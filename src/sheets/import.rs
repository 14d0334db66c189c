//! `chanjiao import members|training|indicators FILE --consortium ID [--merge]`: the rows of a
//! sheet, found by the headers a secretariat uses (单位名称, 单位类型, 加入日期, 在校生数; 培训日期,
//! 培训对象, 实施单位, 人次, 人日; 指标, 年度, 实际值, 承诺值, or one column a year), become
//! `members.toml`, `training.toml` or `indicators.toml`. Every bad cell is reported at its place
//! (`成员单位.xlsx:Sheet1!C7`), all at once, and nothing is written while any is bad. An existing
//! file is never replaced unless `--merge` is given, which updates its records by id (by name for
//! a member without one) and adds the new ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::Value;

use super::{Cell, Grid};
use crate::model::{Audience, Catalogue, MemberKind};

/// Which table a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Table {
    Members,
    Training,
    Indicators,
}

impl Table {
    /// The content file it becomes.
    pub fn file(self) -> &'static str {
        match self {
            Table::Members => "members.toml",
            Table::Training => "training.toml",
            Table::Indicators => "indicators.toml",
        }
    }

    /// The sheet's name in an exported workbook (and in a template).
    pub fn sheet(self) -> &'static str {
        match self {
            Table::Members => "成员单位",
            Table::Training => "培训台账",
            Table::Indicators => "建设指标",
        }
    }

    /// The columns, each with the headers it is known by (the first is the one export writes).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Table::Members => &MEMBER_FIELDS,
            Table::Training => &TRAINING_FIELDS,
            Table::Indicators => &INDICATOR_FIELDS,
        }
    }
}

/// One column of a table.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub headers: &'static [&'static str],
    pub required: bool,
}

const fn field(key: &'static str, headers: &'static [&'static str], required: bool) -> Field {
    Field {
        key,
        headers,
        required,
    }
}

const MEMBER_FIELDS: [Field; 8] = [
    field("id", &["标识", "成员单位标识", "编号", "id"], false),
    field(
        "name",
        &["单位名称", "成员单位名称", "成员单位", "名称", "name"],
        true,
    ),
    field("short_name", &["简称", "short_name"], false),
    field("kind", &["单位类型", "类型", "类别", "kind"], true),
    field("joined", &["加入日期", "加入时间", "joined"], false),
    field("students", &["在校生数", "在校生", "students"], false),
    field("website", &["网站", "网址", "website"], false),
    field(
        "credit_code",
        &["统一社会信用代码", "信用代码", "credit_code"],
        false,
    ),
];

const TRAINING_FIELDS: [Field; 6] = [
    field("date", &["培训日期", "日期", "开班日期", "date"], true),
    field("title", &["培训名称", "培训项目", "名称", "title"], true),
    field(
        "provider",
        &["实施单位", "承办单位", "培训单位", "provider"],
        true,
    ),
    field("audience", &["培训对象", "对象", "audience"], true),
    field(
        "participants",
        &["人次", "参训人次", "培训人次", "人数", "participants"],
        true,
    ),
    field("person_days", &["人日", "培训人日", "person_days"], true),
];

const INDICATOR_FIELDS: [Field; 5] = [
    field("key", &["指标", "指标键", "key"], false),
    field("name", &["指标名称", "name"], false),
    field("year", &["年度", "年份", "year"], false),
    field("actual", &["实际值", "actual"], false),
    field("committed", &["承诺值", "committed"], false),
];

/// A header as compared: no spaces, no unit in brackets (`在校生数（人）`), ASCII in lower case.
fn normalised(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in header.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            c if depth > 0 || c.is_whitespace() || c == '\u{3000}' || c == '*' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A year heading a column of a wide indicator table (`2024`, `2024年`, `2025年（承诺值）`), and
/// whether the heading says the column is committed.
fn year_column(cell: &Cell) -> Option<(i32, bool)> {
    let text = cell.text();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let year: i32 = (digits.len() == 4).then(|| digits.parse().ok()).flatten()?;
    let rest = &text[4..];
    let ok = rest.is_empty()
        || rest.starts_with('年')
        || rest.starts_with('（')
        || rest.starts_with('(');
    ok.then_some((year, text.contains("承诺")))
}

/// What a sheet's header row says: which column holds which field, and the year columns.
struct Header {
    row: usize,
    columns: BTreeMap<&'static str, usize>,
    years: Vec<(usize, i32, bool)>,
    /// The headers of the columns that hold nothing the table has (备注, 联系人 …).
    ignored: Vec<String>,
}

/// The row among the first ten that names the most known columns (a merged group heading above
/// it names none).
fn header(grid: &Grid, table: Table) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for row in 0..grid.rows.len().min(10) {
        let mut columns = BTreeMap::new();
        let mut years = Vec::new();
        let mut ignored = Vec::new();
        for (col, cell) in grid.rows[row].iter().enumerate() {
            let h = normalised(&cell.text());
            if h.is_empty() {
                continue;
            }
            if let Some(f) = table
                .fields()
                .iter()
                .find(|f| f.headers.iter().any(|k| normalised(k) == h))
            {
                columns.entry(f.key).or_insert(col);
            } else if let Some((y, committed)) =
                year_column(cell).filter(|_| table == Table::Indicators)
            {
                years.push((col, y, committed));
            } else {
                ignored.push(cell.text());
            }
        }
        let score = columns.len() + years.len();
        if score >= 2 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            let header = Header {
                row,
                columns,
                years,
                ignored,
            };
            best = Some((score, header));
        }
    }
    best.map(|(_, h)| h)
}

/// A problem at a cell (or at the sheet, with no cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: String,
    pub message: String,
}

/// What the site says that an import needs: the consortium's members (to find a provider by
/// name, a member's id by its name) and the report year (to tell actual from committed columns).
pub struct Context {
    pub members: Vec<(String, String, Option<String>)>,
    pub report_year: Option<i32>,
    pub catalogue: Catalogue,
}

impl Context {
    pub fn of(root: &Path, consortium: &str) -> Context {
        let read = |rel: &str| -> Option<toml::Table> {
            toml::from_str(&std::fs::read_to_string(root.join(rel)).ok()?).ok()
        };
        let members = read(&format!("content/consortia/{consortium}/members.toml"))
            .and_then(|t| t.get("member").and_then(|m| m.as_array()).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|m| {
                let s = |k: &str| m.get(k).and_then(|v| v.as_str()).map(str::to_string);
                Some((s("id")?, s("name")?, s("short_name")))
            })
            .collect();
        let report_year = read("content/site.toml")
            .and_then(|t| t.get("report_year").and_then(|y| y.as_integer()))
            .and_then(|y| i32::try_from(y).ok());
        Context {
            members,
            report_year,
            catalogue: Catalogue::built_in(),
        }
    }

    /// A member's id from what a sheet writes for it: its id, full name or short name.
    fn member(&self, written: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|(id, name, short)| {
                id == written || name == written || short.as_deref() == Some(written)
            })
            .map(|(id, _, _)| id.as_str())
    }
}

/// The member kind a sheet names: its key, its label or a common short form (中职, 高职, 企业 …).
fn member_kind(text: &str) -> Option<MemberKind> {
    let t = normalised(text);
    let alias = |k: MemberKind| -> &'static [&'static str] {
        match k {
            MemberKind::SecondaryVocational => &["中职", "中等职业学校", "技工学校"],
            MemberKind::HigherVocational => &["高职", "高职院校", "职教本科", "高等职业学校"],
            MemberKind::Undergraduate => &["本科", "普通本科", "本科学校", "普通高校"],
            MemberKind::Government => &["政府", "政府部门", "园区管委会", "行政机关"],
            MemberKind::Enterprise => &["企业", "公司"],
            MemberKind::Research => &["科研", "科研机构", "科研院所", "研究院"],
        }
    };
    MemberKind::ALL.into_iter().find(|k| {
        t == k.key() || t == normalised(k.label()) || alias(*k).iter().any(|a| t == normalised(a))
    })
}

fn audience(text: &str) -> Option<Audience> {
    let t = normalised(text);
    let alias = |a: Audience| -> &'static [&'static str] {
        match a {
            Audience::EnterpriseStaff => &["企业员工", "员工", "职工"],
            Audience::Social => &["社会人员", "农民工", "退役军人", "下岗职工", "社会"],
            Audience::Students => &["学生", "在校生"],
            Audience::Teachers => &["教师", "老师"],
        }
    };
    Audience::ALL.into_iter().find(|a| {
        t == a.key() || t == normalised(a.label()) || alias(*a).iter().any(|x| t == normalised(x))
    })
}

/// A TOML date of a day.
fn toml_date(d: chrono::NaiveDate) -> Value {
    use chrono::Datelike;
    Value::Datetime(toml::value::Datetime {
        date: Some(toml::value::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    })
}

/// A number as TOML: whole numbers as integers.
fn toml_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::Integer(n as i64)
    } else {
        Value::Float(n)
    }
}

/// What an import made: the content file's table, and what it did.
pub struct Done {
    pub table: toml::Table,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    /// The headers of the columns it left out.
    pub ignored: Vec<String>,
}

/// Reads `grid` as `table` and gives the TOML of the content file: the existing one's records
/// updated and added to when `existing` is given (`--merge`).
pub fn import(
    grid: &Grid,
    table: Table,
    ctx: &Context,
    existing: Option<toml::Table>,
) -> Result<Done, Vec<Problem>> {
    let sheet_problem = |message: String| Problem {
        place: format!("{}:{}", grid.file, grid.sheet),
        message,
    };
    let Some(head) = header(grid, table) else {
        let wanted: Vec<&str> = table.fields().iter().map(|f| f.headers[0]).collect();
        return Err(vec![sheet_problem(msg!(
            "import.no_header",
            wanted = wanted.join("、")
        ))]);
    };
    let missing: Vec<&str> = table
        .fields()
        .iter()
        .filter(|f| f.required && !head.columns.contains_key(f.key))
        .map(|f| f.headers[0])
        .collect();
    if !missing.is_empty() {
        return Err(vec![sheet_problem(msg!(
            "import.missing_columns",
            columns = missing.join("、")
        ))]);
    }
    let rows: Vec<usize> = (head.row + 1..grid.rows.len())
        .filter(|r| grid.rows[*r].iter().any(|c| !c.is_empty()))
        .collect();
    let mut problems = Vec::new();
    let mut out = existing.unwrap_or_default();
    let (added, updated) = match table {
        Table::Members => members(grid, &head, &rows, ctx, &mut out, &mut problems),
        Table::Training => training(grid, &head, &rows, ctx, &mut out, &mut problems),
        Table::Indicators => indicators(grid, &head, &rows, ctx, &mut out, &mut problems),
    };
    if problems.is_empty() {
        Ok(Done {
            table: out,
            rows: rows.len(),
            added,
            updated,
            ignored: head.ignored,
        })
    } else {
        Err(problems)
    }
}

/// Reads one row's cells by field, reporting at `problems` what is missing or wrong.
struct Row<'g> {
    grid: &'g Grid,
    head: &'g Header,
    row: usize,
}

impl Row<'_> {
    fn col(&self, key: &str) -> Option<usize> {
        self.head.columns.get(key).copied()
    }

    fn cell(&self, key: &str) -> &Cell {
        self.col(key)
            .map_or(&Cell::Empty, |c| self.grid.cell(self.row, c))
    }

    fn place(&self, key: &str) -> String {
        self.grid.place(self.row, self.col(key).unwrap_or(0))
    }

    fn problem(&self, problems: &mut Vec<Problem>, key: &str, message: String) {
        problems.push(Problem {
            place: self.place(key),
            message,
        });
    }

    /// The text of a required field, or a problem.
    fn required(&self, problems: &mut Vec<Problem>, key: &str, label: &str) -> Option<String> {
        let t = self.cell(key).text();
        if t.is_empty() {
            self.problem(problems, key, msg!("import.empty_cell", label));
            None
        } else {
            Some(t)
        }
    }

    /// A date, if the cell holds one; a problem if it holds something else.
    fn date(&self, problems: &mut Vec<Problem>, key: &str) -> Option<Option<chrono::NaiveDate>> {
        let cell = self.cell(key);
        if cell.is_empty() {
            return Some(None);
        }
        match cell.date() {
            Some(d) => Some(Some(d)),
            None => {
                self.problem(problems, key, msg!("import.not_a_date", text = cell.text()));
                None
            }
        }
    }

    /// A number ≥ 0 (whole when `whole`), if the cell holds one.
    fn number(&self, problems: &mut Vec<Problem>, key: &str, whole: bool) -> Option<Option<f64>> {
        let cell = self.cell(key);
        if cell.is_empty() {
            return Some(None);
        }
        match cell.number() {
            Some(n) if n >= 0.0 && (!whole || n.fract() == 0.0) => Some(Some(n)),
            _ => {
                let text = cell.text();
                let m = if whole {
                    msg!("import.not_a_count", text)
                } else {
                    msg!("import.not_a_number", text)
                };
                self.problem(problems, key, m);
                None
            }
        }
    }
}

fn members(
    grid: &Grid,
    head: &Header,
    rows: &[usize],
    ctx: &Context,
    out: &mut toml::Table,
    problems: &mut Vec<Problem>,
) -> (usize, usize) {
    let mut list = take_records(out, "member");
    let mut tally = (0, 0);
    // The sheet's own rows by name: a unit listed twice is a slip, not an update.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for &row in rows {
        let r = Row { grid, head, row };
        let name = r.required(problems, "name", "单位名称");
        if let Some(n) = &name {
            if let Some(first) = seen.insert(n.clone(), r.place("name")) {
                r.problem(problems, "name", msg!("import.twice", text = n, first));
            }
        }
        let kind_text = r.required(problems, "kind", "单位类型");
        let kind = kind_text.as_deref().and_then(|k| {
            let kind = member_kind(k);
            if kind.is_none() {
                let valid: Vec<String> = MemberKind::ALL
                    .iter()
                    .map(|k| k.label().to_string())
                    .collect();
                r.problem(
                    problems,
                    "kind",
                    msg!("import.unknown_kind", text = k, valid = valid.join("、")),
                );
            }
            kind
        });
        let joined = r.date(problems, "joined");
        let students = r.number(problems, "students", true);
        let (Some(name), Some(kind), Some(joined), Some(students)) = (name, kind, joined, students)
        else {
            continue;
        };
        let id_cell = r.cell("id").text();
        let by_name = |list: &[Value]| {
            list.iter()
                .position(|m| m.get("name").and_then(|n| n.as_str()) == Some(name.as_str()))
        };
        let at = if id_cell.is_empty() {
            by_name(&list)
        } else {
            list.iter()
                .position(|m| m.get("id").and_then(|i| i.as_str()) == Some(id_cell.as_str()))
        };
        let id = if !id_cell.is_empty() {
            id_cell
        } else if let Some(i) = at {
            list[i]
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        } else {
            ctx.member(&name)
                .map_or_else(|| free_id(&list), str::to_string)
        };
        if !crate::content::is_url_safe(&id) {
            r.problem(problems, "id", msg!("import.bad_id", id));
            continue;
        }
        let mut m = at
            .and_then(|i| list[i].as_table().cloned())
            .unwrap_or_default();
        m.insert("id".into(), Value::String(id));
        m.insert("name".into(), Value::String(name));
        let short = r.cell("short_name").text();
        if !short.is_empty() {
            m.insert("short_name".into(), Value::String(short));
        }
        m.insert("kind".into(), Value::String(kind.key().into()));
        if let Some(j) = joined {
            m.insert("joined".into(), toml_date(j));
        }
        if let Some(s) = students {
            m.insert("students".into(), toml_number(s));
        }
        let website = r.cell("website").text();
        if !website.is_empty() {
            m.insert("website".into(), Value::String(website));
        }
        let code = r.cell("credit_code").text().to_ascii_uppercase();
        if !code.is_empty() {
            if !crate::rules::credit_code_ok(&code) {
                r.problem(
                    problems,
                    "credit_code",
                    msg!("check.credit_code_form", code),
                );
                continue;
            }
            m.insert("credit_code".into(), Value::String(code));
        }
        put(&mut list, at, m, &mut tally);
    }
    out.insert("member".into(), Value::Array(list));
    tally
}

/// Puts `record` in `list`: in place of the record at `at`, or after the others; counts it in
/// `tally` (added, updated).
fn put(list: &mut Vec<Value>, at: Option<usize>, record: toml::Table, tally: &mut (usize, usize)) {
    match at {
        Some(i) => {
            list[i] = Value::Table(record);
            tally.1 += 1;
        }
        None => {
            list.push(Value::Table(record));
            tally.0 += 1;
        }
    }
}

/// The records of an array of tables (`[[member]]`), taken out of the file's table to be
/// updated and put back.
fn take_records(out: &mut toml::Table, key: &str) -> Vec<Value> {
    match out.remove(key) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}

/// An id no member of `list` has: `m001`, `m002` …
fn free_id(list: &[Value]) -> String {
    (1..)
        .map(|n| format!("m{n:03}"))
        .find(|id| {
            !list
                .iter()
                .any(|m| m.get("id").and_then(|v| v.as_str()) == Some(id))
        })
        .expect("an unbounded range has a free id")
}

fn training(
    grid: &Grid,
    head: &Header,
    rows: &[usize],
    ctx: &Context,
    out: &mut toml::Table,
    problems: &mut Vec<Problem>,
) -> (usize, usize) {
    let mut list = take_records(out, "session");
    // A row replaces a session of the existing file with its date, title and provider (each at
    // most once); rows of the sheet itself never merge, however alike (two sessions of one day).
    let mut replaceable: Vec<bool> = vec![true; list.len()];
    let mut tally = (0, 0);
    for &row in rows {
        let r = Row { grid, head, row };
        let date = r.date(problems, "date").flatten();
        if date.is_none() && r.cell("date").is_empty() {
            r.problem(
                problems,
                "date",
                msg!("import.empty_cell", label = "培训日期"),
            );
        }
        let title = r.required(problems, "title", "培训名称");
        let provider = r.required(problems, "provider", "实施单位").and_then(|p| {
            let id = ctx.member(&p).map(str::to_string);
            if id.is_none() {
                r.problem(
                    problems,
                    "provider",
                    msg!("import.unknown_member", text = p),
                );
            }
            id
        });
        let aud = r.required(problems, "audience", "培训对象").and_then(|a| {
            let found = audience(&a);
            if found.is_none() {
                let valid: Vec<&str> = Audience::ALL.iter().map(|a| a.label()).collect();
                r.problem(
                    problems,
                    "audience",
                    msg!("import.unknown_kind", text = a, valid = valid.join("、")),
                );
            }
            found
        });
        let participants = r.number(problems, "participants", true).flatten();
        let person_days = r.number(problems, "person_days", false).flatten();
        for (key, label, v) in [
            ("participants", "人次", participants),
            ("person_days", "人日", person_days),
        ] {
            if v.is_none() && r.cell(key).is_empty() {
                r.problem(problems, key, msg!("import.empty_cell", label));
            }
        }
        let (
            Some(date),
            Some(title),
            Some(provider),
            Some(aud),
            Some(participants),
            Some(person_days),
        ) = (date, title, provider, aud, participants, person_days)
        else {
            continue;
        };
        let mut s = toml::Table::new();
        s.insert("date".into(), toml_date(date));
        s.insert("title".into(), Value::String(title));
        s.insert("provider".into(), Value::String(provider));
        s.insert("audience".into(), Value::String(aud.key().into()));
        s.insert("participants".into(), toml_number(participants));
        s.insert("person_days".into(), toml_number(person_days));
        let same = |v: &Value| {
            ["date", "title", "provider"]
                .iter()
                .all(|k| v.get(*k) == s.get(*k))
        };
        let at = (0..replaceable.len()).find(|&i| replaceable[i] && same(&list[i]));
        if let Some(i) = at {
            replaceable[i] = false;
        }
        put(&mut list, at, s, &mut tally);
    }
    out.insert("session".into(), Value::Array(list));
    tally
}

fn indicators(
    grid: &Grid,
    head: &Header,
    rows: &[usize],
    ctx: &Context,
    out: &mut toml::Table,
    problems: &mut Vec<Problem>,
) -> (usize, usize) {
    let (mut added, mut updated) = (0, 0);
    let key_col = if head.columns.contains_key("key") {
        "key"
    } else {
        "name"
    };
    for &row in rows {
        let r = Row { grid, head, row };
        let Some(written) = r.required(problems, key_col, "指标") else {
            continue;
        };
        let key = ctx
            .catalogue
            .keys()
            .find(|k| *k == written || ctx.catalogue.get(k).is_some_and(|d| d.name == written))
            .map(str::to_string);
        let Some(key) = key else {
            let help = crate::diagnostics::did_you_mean(&written, ctx.catalogue.keys())
                .unwrap_or_default();
            r.problem(
                problems,
                key_col,
                msg!("import.unknown_indicator", text = written, help),
            );
            continue;
        };
        // Long form: a year column and the actual and committed columns.
        let mut values: Vec<(i32, bool, String, Option<f64>)> = Vec::new();
        if let Some(ycol) = r.col("year") {
            let ycell = grid.cell(row, ycol);
            let year = ycell
                .number()
                .filter(|y| y.fract() == 0.0 && (1900.0..=2200.0).contains(y));
            let Some(year) = year else {
                r.problem(
                    problems,
                    "year",
                    msg!("import.not_a_year", text = ycell.text()),
                );
                continue;
            };
            for (field, committed) in [("actual", false), ("committed", true)] {
                if let Some(v) = value(&r, problems, field) {
                    values.push((year as i32, committed, field.to_string(), Some(v)));
                }
            }
        }
        // Wide form: a column a year.
        for &(col, year, said_committed) in &head.years {
            let cell = grid.cell(row, col);
            if blank_value(cell) {
                continue;
            }
            let committed = said_committed || ctx.report_year.is_some_and(|r| year > r);
            match cell.number() {
                Some(v) => values.push((year, committed, String::new(), Some(v))),
                None => problems.push(Problem {
                    place: grid.place(row, col),
                    message: msg!("import.not_a_number", text = cell.text()),
                }),
            }
        }
        for (year, committed, _, v) in values {
            let Some(v) = v else { continue };
            let section = if committed { "committed" } else { "actual" };
            let years = out
                .entry(section)
                .or_insert_with(|| Value::Table(toml::Table::new()))
                .as_table_mut()
                .and_then(|t| {
                    t.entry(key.clone())
                        .or_insert_with(|| Value::Table(toml::Table::new()))
                        .as_table_mut()
                });
            if let Some(years) = years {
                match years.insert(year.to_string(), toml_number(v)) {
                    Some(_) => updated += 1,
                    None => added += 1,
                }
            }
        }
    }
    (added, updated)
}

/// A cell that holds no value: empty, or written as not reported (未填报, —, /).
fn blank_value(cell: &Cell) -> bool {
    let t = cell.text();
    t.is_empty() || matches!(t.as_str(), "未填报" | "—" | "-" | "/" | "／" | "－" | "无")
}

fn value(r: &Row, problems: &mut Vec<Problem>, field: &str) -> Option<f64> {
    let cell = r.cell(field);
    if blank_value(cell) {
        return None;
    }
    let n = cell.number();
    if n.is_none() {
        r.problem(
            problems,
            field,
            msg!("import.not_a_number", text = cell.text()),
        );
    }
    n
}

/// Where `table` goes in the consortium `id` of the site at `root`.
pub fn target(root: &Path, consortium: &str, table: Table) -> PathBuf {
    root.join("content/consortia")
        .join(consortium)
        .join(table.file())
}
