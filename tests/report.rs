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
            // The form's cells are checked against its layout (`the_form_prints_…`).
            for page in ["index.html"] {
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

/// The rows of the 推荐书 of 湘教通〔2024〕23号 附件3 as the notice prints them, table by table
/// (the 2024 form: its data year is 2023).
const NOTICE_ROWS: [(&str, &[&str]); 6] = [
    (
        "运行经费与产业园区总产值",
        &[
            "已投入或拟投入运行经费总额（万元）",
            "2024年拟投入运行经费来源（万元）",
            "牵头单位负担",
            "政府核拨",
            "其他成员负担",
            "其他途径",
            "2023年产业园区总产值（亿元）",
            "产业园区主导产业情况",
            "联合体所在地制定支持职业教育政策及落实情况",
        ],
    ),
    (
        "资源共建共享",
        &["共建专业", "共建课程", "共建教材", "共建实训基地", "共建产业学院"],
    ),
    (
        "师资共建共享",
        &[
            "企业兼职教师",
            "企业兼职教师",
            "校际兼职教师",
            "校际兼职教师",
            "教师企业实践",
            "教师教学团队获国家级奖励情况",
        ],
    ),
    (
        "人才培养质量",
        &[
            "联合培养情况",
            "中国特色学徒制培养",
            "现场工程师培养",
            "其他联合培养",
            "发布人才需求报告（个）",
            "搭建人才供需信息平台，完善职业教育专业动态调整机制情况",
            "联合体各类主体深度合作，及时把新方法、新技术、新工艺、新标准引入教育教学实践情况",
            "联合体内企业设立学徒岗位占岗位总量的比例（%）",
            "联合体内企业为学生提供实习实训量（人月）",
            "中高职贯通培养（人数）",
            "中高本衔接培养（人数）",
            "联合体内普通本科学校招收中高职毕业生和企业一线优秀员工就读本科和专业学位研究生（人数）",
            "通过“文化素质+职业技能”考试招生学生升学比例（%）",
            "联合体学校整体就业率（%）",
            "职业院校技能大赛获奖情况",
        ],
    ),
    (
        "服务发展能力",
        &[
            "共性技术服务平台（个）",
            "校企合作开展技术研发的成果转化率（%）/到账经费（万元）",
            "研究成果数量（个）",
            "技能鉴定量（人次）",
            "大师工作室数量（个）",
            "面向企业员工开展培训数（人日）",
            "面向农民工、退役军人、下岗职工等培训数（人日）",
        ],
    ),
    (
        "联合体企业情况",
        &[
            "企业职工总数（人）",
            "企业资产总额（万元）",
            "2023年企业销售总额（万元）",
            "2023年校企合作产生的直接经济效益（万元）",
            "规模以上企业数（个）1",
            "限额以上企业数（个）2",
        ],
    ),
];

/// The form of 2024 prints the notice's tables and rows in its order, and each value cell holds
/// what `indicators.toml` holds for the figures and year the layout (`form.toml`) gives it.
#[test]
fn the_form_prints_every_cell_of_the_notice_with_the_figures() {
    let site = example_with_forms();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &[]);
    let layout: toml::Value = toml::from_str(
        &fs::read_to_string(repo().join("src/frameworks/hunan-2024/form.toml")).unwrap(),
    )
    .unwrap();
    let blocks: Vec<&toml::Value> = ["overview", "part2"]
        .iter()
        .flat_map(|p| layout[p]["block"].as_array().unwrap())
        .collect();
    let mut checked = 0;
    for id in ["xiaogan", "baoqing", "weifang"] {
        let vals = values(&repo().join("content/consortia").join(id));
        let path = format!("consortia/{id}/report/2024/form/index.html");
        let html = fs::read_to_string(out.path().join(&path)).unwrap();
        let form_tables: Vec<Table> = tables(&html)
            .into_iter()
            .filter(|t| NOTICE_ROWS.iter().any(|(c, _)| *c == t.caption))
            .collect();
        assert_eq!(form_tables.len(), NOTICE_ROWS.len(), "{path}");
        for ((t, (caption, rows)), block) in form_tables.iter().zip(NOTICE_ROWS).zip(&blocks) {
            assert_eq!(t.caption, caption, "{path}: tables out of order");
            let labels: Vec<&str> = t.rows.iter().map(|(l, _)| l.as_str()).collect();
            assert_eq!(labels, rows, "{path}: {caption}");
            let units = t.columns.iter().any(|c| c == "单位");
            let years: Vec<(i64, bool)> = t.columns[1 + units as usize..]
                .iter()
                .map(|c| (c[..4].parse().unwrap(), c.contains("承诺值")))
                .collect();
            for ((label, cells), row) in t.rows.iter().zip(block["row"].as_array().unwrap()) {
                let Some(keys) = row.get("keys").and_then(|k| k.as_array()) else {
                    continue;
                };
                let cells = &cells[units as usize..];
                // A value of one year stands in its year's column, the others blank.
                let at: Option<(i64, bool)> = match row.get("at").and_then(|a| a.as_str()) {
                    Some("data_year") => Some((2023, false)),
                    Some("year") => Some((2024, true)),
                    _ => None,
                };
                assert_eq!(cells.len(), years.len(), "{path}: {label}");
                for ((text, class), (y, committed)) in cells.iter().zip(&years) {
                    if at.is_some_and(|a| a != (*y, *committed)) {
                        assert!(text.is_empty() && class == "blank", "{path}: {label} {y}");
                        continue;
                    }
                    let want: Vec<String> = keys
                        .iter()
                        .map(|k| {
                            let k = k.as_str().unwrap().to_string();
                            vals.get(&(k, *y, *committed))
                                .map_or("未填报".to_string(), |v| format!("{v}"))
                        })
                        .collect();
                    let got: Vec<&str> = text.split(" / ").collect();
                    assert_eq!(got.len(), want.len(), "{path}: {label} {y}");
                    for (g, w) in got.iter().zip(&want) {
                        match (number(g), w.parse::<f64>()) {
                            (Some(g), Ok(w)) => {
                                assert!((g - w).abs() < 0.006, "{path}: {label} {y}")
                            }
                            // A person-day figure not entered is summed from the ledger (※).
                            (Some(_), Err(_)) => {
                                assert!(g.ends_with('※'), "{path}: {label} {y}: {g}")
                            }
                            _ => assert_eq!(g, w, "{path}: {label} {y}"),
                        }
                    }
                    assert_eq!(
                        class.contains("committed"),
                        *committed,
                        "{path}: {label} {y}"
                    );
                    checked += 1;
                }
            }
        }
        // The rest of the notice's wording: the secretariat's label, the footnotes, and none
        // of the catalogue's figures the form does not ask for.
        for text in [
            "秘书处（办公室）情况",
            "（拟）成立时间",
            "联合体负责人<sup>1</sup>",
            "联合体负责人指所在产业园区管委会负责同志。",
            "2023年数据为已组成或拟组成联合体成员单位的汇总数据，2024—2025年数据为申报单位承诺的建成数据，下同。",
            "规模以上工业：指年主营业务收入在2000万元及以上的工业企业。",
            "类型",
        ] {
            assert!(html.contains(text), "{path}: {text}");
        }
        for text in ["本地就业率", "技术服务到款额", "专利转化到款额"] {
            assert!(!html.contains(text), "{path}: {text} is not on the form");
        }
    }
    // 76 value cells a form: 8 in the funds block, 34 rows of part 2 in two years.
    assert_eq!(checked, 3 * 76);
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

/// The 推荐名单汇总表 of hunan-2024 lists every consortium reporting under it in a table of its
/// 推荐市州, each linking its form, and the workbook holds the same tables, a sheet a city, in
/// the layout of 附件4.
#[test]
fn the_summary_table_lists_each_consortium_under_its_city_in_the_page_and_the_workbook() {
    use calamine::Reader;
    let site = example_with_forms();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &[]);
    let dir = out.path().join("frameworks/hunan-2024");
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    let pages: Vec<Table> = tables(&html);
    let mut book = calamine::open_workbook_auto(dir.join("summary.xlsx")).unwrap();
    // In the site's order of consortia (by folder: baoqing, weifang, xiaogan).
    let cities = ["双鸭山市", "潍坊市", "孝感市"];
    assert_eq!(book.sheet_names(), cities);
    let names = [
        ("双鸭山市", "宝清县域产教联合体"),
        ("潍坊市", "潍坊现代农业市域产教联合体"),
        ("孝感市", "孝感市域产教联合体"),
    ];
    assert_eq!(pages.len(), cities.len());
    for ((city, name), table) in names.iter().zip(&pages) {
        assert_eq!(table.caption, format!("{city}的推荐名单"));
        assert_eq!(table.columns, ["序号", "市域产教联合体名称"]);
        // The page's one row, and the same in the sheet under the notice's heads.
        let cells: Vec<&str> = table.rows[0].1.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(cells, ["1", *name]);
        let rows: Vec<Vec<String>> = book
            .worksheet_range(city)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][0], "市域产教联合体推荐名单汇总表");
        assert!(
            rows[1][0].starts_with(&format!("推荐单位：{city}"))
                && rows[1][0].ends_with("（公章）")
        );
        assert_eq!(rows[1][1], "填报人及联系方式：");
        assert_eq!(rows[2], ["序号", "市域产教联合体名称"]);
        assert_eq!(rows[3], ["1", *name]);
        assert_eq!(rows.len(), 4);
    }
    // Each name links the consortium's form of 2024, and the portal links the table.
    assert!(html.contains("consortia/xiaogan/report/2024/form/"));
    let home = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(home.contains("frameworks/hunan-2024/"));
}

/// Every cell of a page's tables, row by row, heads and values alike.
fn page_cells(html: &str) -> Vec<Vec<Vec<String>>> {
    let start = html.find("<main").unwrap();
    let end = html.rfind("</main>").unwrap() + "</main>".len();
    let doc = roxmltree::Document::parse(&html[start..end]).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("table"))
        .map(|t| {
            t.descendants()
                .filter(|n| n.has_tag_name("tr"))
                .map(|tr| {
                    tr.children()
                        .filter(|c| c.has_tag_name("th") || c.has_tag_name("td"))
                        // The template's line breaks between paragraphs are not text.
                        .map(|c| text_of(c).replace('\n', ""))
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Every cell of a Word file's tables, row by row, a cell's paragraphs run together.
fn docx_cells(bytes: &[u8]) -> Vec<Vec<Vec<String>>> {
    use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
    let doc = docx_rs::read_docx(bytes).expect("the form is a Word file");
    doc.document
        .children
        .iter()
        .filter_map(|c| match c {
            DocumentChild::Table(t) => Some(t),
            _ => None,
        })
        .map(|t| {
            t.rows
                .iter()
                .map(|TableChild::TableRow(r)| {
                    r.cells
                        .iter()
                        .map(|TableRowChild::TableCell(c)| {
                            c.children
                                .iter()
                                .filter_map(|x| match x {
                                    TableCellContent::Paragraph(p) => Some(p.raw_text()),
                                    _ => None,
                                })
                                .collect::<String>()
                                .trim()
                                .to_string()
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The Word file of each form holds every table of the form page, cell for cell: the head of
/// 联合体概况, the members, the form's blocks and the pledge.
#[test]
fn the_word_form_holds_the_cells_of_the_form_page() {
    let site = example_with_forms();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &[]);
    for id in ["xiaogan", "baoqing", "weifang"] {
        let dir = out.path().join(format!("consortia/{id}/report/2024/form"));
        let html = fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(
            html.contains("report/2024/form/form.docx\""),
            "{id}: the page links its Word file"
        );
        let page = page_cells(&html);
        let word = docx_cells(&fs::read(dir.join("form.docx")).unwrap());
        assert_eq!(page.len(), 9, "{id}: tables on the page");
        assert_eq!(word.len(), page.len(), "{id}: tables in the Word file");
        for (i, (p, w)) in page.iter().zip(&word).enumerate() {
            assert_eq!(p, w, "{id}: table {i}");
        }
        // Outside the tables: the 说明 with the form's years and the footnotes of both parts.
        let text = docx_paragraphs(&fs::read(dir.join("form.docx")).unwrap());
        for line in [
            "三、年度数据截止时间为每年12月31日，2023年数据为已组成或拟组成联合体成员单位的汇总数据，2024—2025年数据为申报单位承诺的建成数据。",
            "1联合体负责人指所在产业园区管委会负责同志。",
            "1规模以上工业：指年主营业务收入在2000万元及以上的工业企业。",
        ] {
            assert!(
                text.iter().any(|p| p.contains(line)),
                "{id}: {line} is not in the Word file"
            );
        }
    }
}

/// The paragraphs of a Word file outside its tables.
fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let doc = docx_rs::read_docx(bytes).unwrap();
    doc.document
        .children
        .iter()
        .filter_map(|c| match c {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect()
}

/// The form of 2024 as filed: `[form.2024]` stands on the form in place of the cells at the top
/// of `report.toml`, which the annual report keeps showing.
#[test]
fn a_filed_form_keeps_its_own_text() {
    let site = example_with_forms();
    let report = site.path().join("content/consortia/xiaogan/report.toml");
    let mut text = fs::read_to_string(&report).unwrap();
    text.push_str(
        "\n[form.2024]\nrecommended_by = \"孝感市教育局代推\"\nplan = \"定稿时的建设规划。\"\n",
    );
    fs::write(&report, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = out.path().join("consortia/xiaogan/report");
    let form = fs::read_to_string(dir.join("2024/form/index.html")).unwrap();
    assert!(
        form.contains("定稿时的建设规划。") && form.contains("推荐市州</dt><dd>孝感市教育局代推")
    );
    let annual = fs::read_to_string(dir.join("2024/index.html")).unwrap();
    assert!(!annual.contains("定稿时的建设规划。"));
    let word = docx_paragraphs(&fs::read(dir.join("2024/form/form.docx")).unwrap());
    assert!(word.iter().any(|p| p == "定稿时的建设规划。"));
}

/// A province's own form may allow a text cell fewer characters than the cell usually has: the
/// form page counts against that limit and `check` warns where the text is over it.
#[test]
fn a_forms_own_text_limit_is_the_one_counted_and_checked() {
    let site = example_with_forms();
    // The site's own hunan-2024, the built-in one with 产业园区主导产业情况 cut to 10字.
    let dir = site.path().join("content/frameworks/hunan-2024");
    fs::create_dir_all(&dir).unwrap();
    for file in [
        "framework.toml",
        "assessment.toml",
        "industries.toml",
        "form.toml",
    ] {
        let text = fs::read_to_string(repo().join("src/frameworks/hunan-2024").join(file)).unwrap();
        let text = if file == "form.toml" {
            text.replace(
                "text = \"park_industries\"\nlimit = 200",
                "text = \"park_industries\"\nlimit = 10",
            )
        } else {
            text
        };
        fs::write(dir.join(file), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/consortia/xiaogan/report.toml")
                && l.contains("warning[cell-over-limit]")
                && l.contains("2024年推荐书")
                && l.contains("10字")),
        "{err}"
    );
    let form = fs::read_to_string(
        out.path()
            .join("consortia/xiaogan/report/2024/form/index.html"),
    )
    .unwrap();
    assert!(form.contains("字（限10字）"));
    // The annual report keeps the cell's own limit.
    let annual =
        fs::read_to_string(out.path().join("consortia/xiaogan/report/2024/index.html")).unwrap();
    assert!(annual.contains("字（限200字）") && !annual.contains("（限10字）"));
}
