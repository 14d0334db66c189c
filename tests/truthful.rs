//! 未填报, never 0: the `truthful` fixture has a consortium founded this year with no figures at
//! all (`young`) and one whose files leave figures out (`blanks`: a school without its enrolment,
//! a year missing from a series, audiences without a session, staff counts not given). Every
//! member kind is present in both from their founding, so no count over a complete register is 0
//! either. No file of the fixture holds a 0, so no output may show one: every page, chart, feed,
//! CSV and JSON file is scanned.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use regex::Regex;

/// A zero standing as a number of its own: `0`, `0.0`, `0.00`, not the 0 of `10`, `2024-01-05`,
/// `0–100` or `#0072B2`.
fn zero() -> Regex {
    Regex::new(r"(?:^|[^\d.,:\-/#A-Za-z_])(0(?:\.0+)?)(?:$|[^\d.,:\-/A-Za-z_–%])").unwrap()
}

/// The text a reader sees on an HTML page or in an SVG: text nodes outside `script` and
/// `style`, leaving out the value-axis tick labels of charts (`text-anchor="end"`: an axis
/// starts at 0 by design).
fn visible_text(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let skipped = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                matches!(e.name(), "script" | "style")
                    || (e.name() == "text" && e.attr("text-anchor") == Some("end"))
            })
        });
        if !skipped && !text.trim().is_empty() {
            out.push(text.to_string());
        }
    }
    out
}

fn json_zeros(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Number(n) if n.as_f64() == Some(0.0) => out.push(at.to_string()),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                json_zeros(x, &format!("{at}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                json_zeros(x, &format!("{at}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Every zero in the file at `rel`, each with its context.
fn zeros_in(rel: &str, bytes: &[u8]) -> Vec<String> {
    let re = zero();
    let text = String::from_utf8_lossy(bytes);
    let scan = |chunks: Vec<String>| -> Vec<String> {
        chunks
            .iter()
            .filter(|t| re.is_match(t))
            .map(|t| format!("{rel}: {:?}", t.trim()))
            .collect()
    };
    if rel.ends_with(".html") || rel.ends_with(".svg") {
        scan(visible_text(&text))
    } else if rel.ends_with(".xml") {
        // Feeds carry pages as escaped HTML: read the XML, then the HTML inside it.
        let Ok(doc) = roxmltree::Document::parse(&text) else {
            return vec![format!("{rel}: not XML")];
        };
        let chunks = doc
            .descendants()
            .filter_map(|n| n.text())
            .flat_map(|t| {
                if t.contains('<') {
                    visible_text(t)
                } else {
                    vec![t.to_string()]
                }
            })
            .collect();
        scan(chunks)
    } else if rel.ends_with(".json") {
        let mut out = Vec::new();
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(v) => json_zeros(&v, rel, &mut out),
            Err(e) => out.push(format!("{rel}: not JSON: {e}")),
        }
        out
    } else if rel.ends_with(".csv") {
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        rows.records()
            .flatten()
            .flat_map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
            .filter(|cell| cell.parse::<f64>().is_ok_and(|v| v == 0.0))
            .map(|cell| format!("{rel}: cell {cell:?}"))
            .collect()
    } else {
        Vec::new()
    }
}

/// The text a reader sees: the word joiners that hold numbers to their units are invisible.
fn text_of(public: &Path, rel: &str) -> String {
    let html = fs::read_to_string(public.join(rel)).unwrap();
    let text = visible_text(&html).join(" ").replace('\u{2060}', "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn no_output_shows_a_zero_that_no_file_holds() {
    let root = fixture("truthful");
    // The premise: the fixture itself holds no zero anywhere.
    for (rel, bytes) in read_tree(&root.join("content")) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            !zero().is_match(&text),
            "the fixture must hold no 0, but {rel} does"
        );
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = build(&root, &public, &[]);
    // The young consortia have answered nothing, set up no body and filled no form yet: `check`
    // says what their frameworks still lack, and nothing else.
    let lacks = [
        "points-unanswered",
        "framework-body-missing",
        "negative-unanswered",
        "form-cells-empty",
        "framework-operation-missing",
    ];
    assert!(
        stderr(&o)
            .lines()
            .filter(|l| l.contains("warning["))
            .all(|l| lacks.iter().any(|c| l.contains(&format!("warning[{c}]")))),
        "the fixture builds without other warnings: {}",
        stderr(&o)
    );
    // The form of a consortium without a figure is built, and `check` says what it lacks.
    assert!(
        stderr(&o)
            .lines()
            .any(|l| l.starts_with("content/consortia/young/consortium.toml")
                && l.contains("warning[form-cells-empty]")),
        "{}",
        stderr(&o)
    );
    let files = read_tree(&public);
    assert!(files.len() > 50, "only {} files were built", files.len());
    // The search index is numbers of documents and postings, not figures.
    let found: Vec<String> = files
        .iter()
        .filter(|(rel, _)| !rel.starts_with("search/"))
        .flat_map(|(rel, bytes)| zeros_in(rel, bytes))
        .collect();
    assert!(
        found.is_empty(),
        "{} zeros nobody entered:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn what_is_not_reported_says_so() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&fixture("truthful"), &public, &[]);
    let has = |rel: &str, needles: &[&str]| {
        let text = text_of(&public, rel);
        for n in needles {
            assert!(text.contains(n), "{rel} should say {n:?}:\n{text}");
        }
    };
    // The form of a consortium with no figure: every value cell 未填报, and the box of what is
    // still empty.
    has(
        "consortia/young/report/2024/form/index.html",
        &["未填报", "尚待填写", "共建专业（个）（2022年、2023年）"],
    );
    // No register and no ledger: 未填报, on the home page and on the portal.
    has(
        "consortia/young/index.html",
        &["共建项目 未填报", "培训 未填报", "固定办公面积", "待定"],
    );
    has("index.html", &["共建项目", "培训人日", "未填报"]);
    // Nothing reported: one line that says so, not an empty page.
    has(
        "consortia/young/indicators/index.html",
        &["尚未填报任何建设指标数值"],
    );
    has(
        "consortia/young/training/index.html",
        &["培训台账尚未登记培训"],
    );
    has(
        "consortia/young/programmes/index.html",
        &["尚未登记共建项目"],
    );
    // A task whose owner and deadline the notice does not give yet: 待定, never overdue.
    has(
        "consortia/young/milestones/index.html",
        &["期限 待定 成立理事会", "牵头单位： 待定", "没有逾期"],
    );
    // A school without its enrolment, alone in its kind and beside schools that give theirs.
    has(
        "consortia/blanks/members/index.html",
        &["高职院校（含职教本科） 1 未填报"],
    );
    has(
        "consortia/blanks/members/college/index.html",
        &["在校生数 未填报"],
    );
    // A year missing between two reported years is a row of its own, and a change across the
    // gap names the year it is measured from.
    has(
        "consortia/blanks/indicators/co_built_majors/index.html",
        &["2023年 未填报"],
    );
    has(
        "consortia/blanks/index.html",
        &["较2022年", "专职 4人 ，兼职 未填报"],
    );
    // An empty table is still a table: its header line.
    let csv = fs::read_to_string(public.join("consortia/young/data/training.csv")).unwrap();
    assert!(csv.starts_with("\u{FEFF}培训日期,培训名称,"), "{csv:?}");
}

/// A figure cited in prose (`{{ 指标("co_built_majors", 2024) }}`) is the data's: correcting the
/// figure corrects the sentence on the next build, in the feed and the search fragments as on the
/// page, and a reference written inside `code` stays as written.
#[test]
fn a_corrected_figure_corrects_every_sentence_citing_it() {
    let site = site_copy("base");
    let notice = site
        .path()
        .join("content/consortia/alpha/announcements/notice.md");
    let mut text = fs::read_to_string(&notice).unwrap();
    text.push_str(
        "\n2024年，联合体共建专业{{ 指标(\"co_built_majors\", 2024) }}，成员单位{{ 成员数(2024) }}；写法：`{{ 指标(\"co_built_majors\", 2024) }}`。\n",
    );
    fs::write(&notice, text).unwrap();
    let sentence = |public: &Path| {
        let page = text_of(public, "consortia/alpha/announcements/notice/index.html");
        let at = page
            .find("2024年，联合体共建专业")
            .expect("the sentence is on the page");
        page[at..].chars().take(80).collect::<String>()
    };
    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first");
    build(site.path(), &first, &[]);
    assert!(
        sentence(&first).starts_with(
            "2024年，联合体共建专业11个，成员单位6家；写法： {{ 指标(\"co_built_majors\", 2024) }}"
        ),
        "{}",
        sentence(&first)
    );
    let indicators = site.path().join("content/consortia/alpha/indicators.toml");
    let t = fs::read_to_string(&indicators).unwrap();
    fs::write(&indicators, t.replace("2024 = 11 }", "2024 = 13 }")).unwrap();
    let second = out.path().join("second");
    build(site.path(), &second, &[]);
    assert!(
        sentence(&second).starts_with("2024年，联合体共建专业13个"),
        "{}",
        sentence(&second)
    );
    for (rel, bytes) in read_tree(&second) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains('\u{E001}') && !text.contains("共建专业11\u{2060}个"),
            "{rel} holds a placeholder or the old figure"
        );
    }
}
