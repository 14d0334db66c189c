//! The annual report and the recommendation form, built from the bundled example and read back:
//! every catalogue indicator of the form's part 2 shows, for the year and the year before, the value
//! of `indicators.toml` (or the ledger's sum, marked ※), or 未填报; committed values appear only in
//! columns headed 承诺值; the text cells and their counts; the open-data files.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::*;

/// name → (key, group) from the catalogue the repository carries.
fn catalogue() -> BTreeMap<String, (String, String)> {
    let cat: toml::Table = fs::read_to_string(repo().join("src/catalogue.toml"))
        .unwrap()
        .parse()
        .unwrap();
    cat["indicators"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                v["name"].as_str().unwrap().to_string(),
                (k.clone(), v["group"].as_str().unwrap().to_string()),
            )
        })
        .collect()
}

/// `indicators.toml` of a consortium: (key, year, committed) → value.
fn values(dir: &Path) -> BTreeMap<(String, i64, bool), f64> {
    let t: toml::Table = fs::read_to_string(dir.join("indicators.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let mut out = BTreeMap::new();
    for (basis, committed) in [("actual", false), ("committed", true)] {
        for (key, years) in t
            .get(basis)
            .and_then(|v| v.as_table())
            .into_iter()
            .flatten()
        {
            for (y, v) in years.as_table().unwrap() {
                let v = v
                    .as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .unwrap();
                out.insert((key.clone(), y.parse().unwrap(), committed), v);
            }
        }
    }
    out
}

/// The ledger's person-days by (audience, year), for the two indicators derived from it.
fn ledger(dir: &Path) -> BTreeMap<(String, i64), f64> {
    let t: toml::Table = fs::read_to_string(dir.join("training.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let mut out = BTreeMap::new();
    for s in t["session"].as_array().unwrap() {
        let d = s["date"].as_datetime().unwrap().date.unwrap();
        let days = s["person_days"]
            .as_float()
            .or_else(|| s["person_days"].as_integer().map(|i| i as f64))
            .unwrap();
        *out.entry((
            s["audience"].as_str().unwrap().to_string(),
            i64::from(d.year),
        ))
        .or_insert(0.0) += days;
    }
    out
}

/// A table of the page: its caption, column headers and rows (header cell, then the cells with
/// their class).
struct Table {
    caption: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<(String, String)>)>,
}

fn text_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .map(|d| d.text().unwrap())
        .collect::<String>()
        .trim()
        .to_string()
}

fn tables(html: &str) -> Vec<Table> {
    // The pages are XHTML-compatible enough for an XML parser once the doctype is gone.
    let start = html.find("<main").unwrap();
    let end = html.rfind("</main>").unwrap() + "</main>".len();
    let doc = roxmltree::Document::parse(&html[start..end]).expect("the page body parses as XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("table"))
        .map(|t| {
            let caption = t
                .children()
                .find(|c| c.has_tag_name("caption"))
                .map(text_of)
                .unwrap_or_default();
            let columns = t
                .descendants()
                .filter(|n| n.has_tag_name("thead"))
                .flat_map(|h| h.descendants().filter(|n| n.has_tag_name("th")))
                .map(text_of)
                .collect();
            let rows = t
                .descendants()
                .filter(|n| n.has_tag_name("tbody"))
                .flat_map(|b| b.children().filter(|n| n.has_tag_name("tr")))
                .map(|tr| {
                    let th = tr.children().find(|c| c.has_tag_name("th")).map(text_of);
                    let cells = tr
                        .children()
                        .filter(|c| c.has_tag_name("td"))
                        .map(|td| (text_of(td), td.attribute("class").unwrap_or("").to_string()))
                        .collect();
                    (th.unwrap_or_default(), cells)
                })
                .collect();
            Table {
                caption,
                columns,
                rows,
            }
        })
        .collect()
}

/// `1,612.5` → 1612.5; `1,612.5※` likewise.
fn number(text: &str) -> Option<f64> {
    text.trim_end_matches('※').replace(',', "").parse().ok()
}

/// The bundled example with every consortium reporting under Hunan's call as well, so that each
/// has the 推荐书 of 2024 (the example's consortia are not in Hunan and report under the national
/// framework alone).
fn example_with_forms() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &site.path().join("content"));
    for id in ["xiaogan", "baoqing", "weifang"] {
        edit_file(
            &site
                .path()
                .join("content/consortia")
                .join(id)
                .join("consortium.toml"),
            "frameworks = [\"moe-2024\"]",
            "frameworks = [\"moe-2024\", \"hunan-2024\"]",
        );
    }
    site
}

#[test]
fn report_tables_match_the_indicator_files() {
    let site = example_with_forms();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &[]);
    let names = catalogue();
    let mut checked = 0;
    let mut missing = 0;
    for id in ["xiaogan", "baoqing", "weifang"] {
        let dir = repo().join("content/consortia").join(id);
        let vals = values(&dir);
        let ledger = ledger(&dir);
        let years: std::collections::BTreeSet<i64> =
            vals.keys().filter(|k| !k.2).map(|k| k.1).collect();
        for year in years {
            // The form of application year 2024 is filed under 2024 and shows 2023's data.
            let pages: &[&str] = if year == 2023 {
                &["index.html", "../2024/form/index.html"]
            } else {
                &["index.html"]
            };
            for page in pages {
                let path = format!("consortia/{id}/report/{year}/{page}");
                let html = fs::read_to_string(out.path().join(&path))
                    .unwrap_or_else(|_| panic!("{path} was not built"));
                let mut seen = std::collections::BTreeSet::new();
                for t in tables(&html) {
                    // The value tables: 项目, 单位, then one column per year.
                    if t.columns.first().map(String::as_str) != Some("项目") {
                        continue;
                    }
                    assert!(
                        !t.caption.is_empty(),
                        "{path}: a value table without a caption"
                    );
                    let cols: Vec<(i64, bool)> = t.columns[2..]
                        .iter()
                        .map(|c| {
                            let y: i64 = c[..4].parse().unwrap();
                            (y, c.contains("承诺值"))
                        })
                        .collect();
                    for (label, cells) in &t.rows {
                        let Some((key, _)) = names.get(label) else {
                            continue;
                        };
                        seen.insert(key.clone());
                        assert_eq!(cells.len(), cols.len() + 1, "{path}: {label}");
                        for ((text, class), (y, committed)) in cells[1..].iter().zip(&cols) {
                            let want =
                                vals.get(&(key.clone(), *y, *committed))
                                    .copied()
                                    .or_else(|| {
                                        // A person-day indicator not reported is summed from the ledger.
                                        let audience = match key.as_str() {
                                            "staff_training_person_days" => "enterprise_staff",
                                            "social_training_person_days" => "social",
                                            _ => return None,
                                        };
                                        (!committed)
                                            .then(|| {
                                                ledger.get(&(audience.to_string(), *y)).copied()
                                            })
                                            .flatten()
                                    });
                            assert_eq!(
                                class.contains("committed"),
                                *committed,
                                "{path}: {label} {y}: a committed value outside a committed column, or the reverse"
                            );
                            match want {
                                Some(v) => {
                                    let got = number(text).unwrap_or_else(|| {
                                        panic!("{path}: {label} {y}: `{text}` is not {v}")
                                    });
                                    assert!(
                                        (got - v).abs() < 0.006,
                                        "{path}: {label} {y}: {got} ≠ {v}"
                                    );
                                    checked += 1;
                                }
                                None => {
                                    assert_eq!(text, "未填报", "{path}: {label} {y} has no value");
                                    assert!(class.contains("missing"), "{path}: {label} {y}");
                                    missing += 1;
                                }
                            }
                        }
                    }
                }
                // Every catalogue indicator of part 2 is in the report, each with a row.
                for (key, group) in names.values() {
                    if ["resources", "teachers", "talent", "service", "enterprises"]
                        .contains(&group.as_str())
                        && !["rd_conversion_rate", "rd_income"].contains(&key.as_str())
                    {
                        assert!(seen.contains(key), "{path}: no row for {key}");
                    }
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} values checked");
    assert!(missing > 50, "only {missing} missing values seen");
}

#[test]
fn the_report_shows_text_cells_with_their_count_and_the_form_its_parts_in_order() {
    let site = example_with_forms();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &[]);
    let report =
        fs::read_to_string(out.path().join("consortia/xiaogan/report/2024/index.html")).unwrap();
    // 产业园区主导产业情况 of report.toml, with its count (计 as the form counts) and limit.
    assert!(report.contains("2024年园区总产值710.03\u{2060}亿\u{2060}元，比上年增长10.7%。"));
    assert!(report.contains("字（限200字）"));
    // A figure reference in a cell is printed as the data holds it.
    assert!(report.contains("联合体发布人才需求报告2\u{2060}个"));
    assert!(!report.contains("{{"));
    // Members as of 31 December of 2023 leave out the one that joined in 2024.
    let y2023 =
        fs::read_to_string(out.path().join("consortia/xiaogan/report/2023/index.html")).unwrap();
    assert!(report.contains("孝感市质量技术监督检测中心"));
    assert!(!y2023.contains("孝感市质量技术监督检测中心"));
    let form = fs::read_to_string(
        out.path()
            .join("consortia/xiaogan/report/2024/form/index.html"),
    )
    .unwrap();
    let order = [
        "市域产教联合体推荐书",
        "说　明",
        "1. 联合体概况",
        "2. 办学成效和服务能力",
        "3. 特色与创新",
        "4. 建设规划",
        "5. 申报承诺",
    ];
    let mut at = 0;
    for part in order {
        let i = form[at..]
            .find(part)
            .unwrap_or_else(|| panic!("{part} missing or out of order"));
        at += i + part.len();
    }
    // The cover and the pledge carry report.toml's names and dates.
    assert!(form.contains("推荐市州</dt><dd>孝感市"));
    // The signature line is left for the hand signature and the seal.
    assert!(form.contains("负责人签字：</p>") && !form.contains("负责人签字：李明"));
    // The funds columns of the form of 2024: 2023 as it stands, 2024 and 2025 committed.
    assert!(form.contains(">2023年</th>") && form.contains(">2024年（承诺值）</th>"));
    assert!(form.contains(">2025年（承诺值）</th>") && !form.contains(">2026年"));
}

/// A figure changed in `indicators.toml` changes every text cell of `report.toml` that cites it,
/// on the page and in the form, and the cell's count is of the text as printed.
#[test]
fn a_changed_figure_changes_the_report_cells_that_cite_it() {
    let site = example_with_forms();
    edit_file(
        &site
            .path()
            .join("content/consortia/xiaogan/indicators.toml"),
        "talent_demand_reports = { 2023 = 1, 2024 = 2 }",
        "talent_demand_reports = { 2023 = 1, 2024 = 12 }",
    );
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    // The form of 2024 shows the year 2023, so the cell of 2024 is on the report alone.
    let page = "report/2024/index.html";
    let html = fs::read_to_string(out.join("consortia/xiaogan").join(page)).unwrap();
    assert!(
        html.contains("联合体发布人才需求报告12\u{2060}个"),
        "{page} does not print the changed figure"
    );
    assert!(
        !html.contains("联合体发布人才需求报告2\u{2060}个"),
        "{page}"
    );
}

#[test]
fn open_data_lists_every_member_programme_and_session() {
    let out = tempfile::tempdir().unwrap();
    build(&repo(), out.path(), &[]);
    for id in ["xiaogan", "baoqing", "weifang"] {
        let dir = repo().join("content/consortia").join(id);
        let data = out.path().join("consortia").join(id).join("data");
        let members: toml::Table = fs::read_to_string(dir.join("members.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let n_members = members["member"].as_array().unwrap().len();
        let training: toml::Table = fs::read_to_string(dir.join("training.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let sessions = training["session"].as_array().unwrap();
        let n_programmes = fs::read_dir(dir.join("programmes")).unwrap().count();
        for (file, n) in [
            ("members", n_members),
            ("programmes", n_programmes),
            ("training", sessions.len()),
        ] {
            let mut r = csv::Reader::from_path(data.join(format!("{file}.csv"))).unwrap();
            assert_eq!(r.records().count(), n, "{id} {file}.csv");
            let json: serde_json::Value =
                serde_json::from_slice(&fs::read(data.join(format!("{file}.json"))).unwrap())
                    .unwrap();
            let list = json
                .as_object()
                .unwrap()
                .values()
                .find_map(|v| v.as_array())
                .unwrap();
            assert_eq!(list.len(), n, "{id} {file}.json");
        }
        // The ledger's sums survive the trip: participants and person-days add up the same.
        let mut r = csv::Reader::from_path(data.join("training.csv")).unwrap();
        let (mut p, mut d) = (0u64, 0f64);
        for rec in r.records() {
            let rec = rec.unwrap();
            p += rec[6].parse::<u64>().unwrap();
            d += rec[7].parse::<f64>().unwrap();
        }
        let want_p: i64 = sessions
            .iter()
            .map(|s| s["participants"].as_integer().unwrap())
            .sum();
        let want_d: f64 = sessions
            .iter()
            .map(|s| {
                s["person_days"]
                    .as_float()
                    .or_else(|| s["person_days"].as_integer().map(|i| i as f64))
                    .unwrap()
            })
            .sum();
        assert_eq!(p as i64, want_p, "{id}");
        assert!((d - want_d).abs() < 1e-6, "{id}");
    }
}
