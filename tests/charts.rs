//! Charts and open data: golden SVGs of the chart kinds (reviewed like code; `UPDATE_GOLDEN=1`
//! rewrites them), determinism, every SVG of the bundled site well-formed and described, and the
//! CSV and JSON files equal to `indicators.toml`.

mod common;

use std::collections::BTreeMap;
use std::fs;

use chanjiao::charts::{self, Canvas, Datum, GroupSeries, Mark, Shape, Spec};
use common::*;

fn datum(year: i32, value: f64, label: &str, mark: Mark) -> Datum {
    Datum {
        category: format!("{year}年"),
        value,
        label: label.to_string(),
        mark,
    }
}

fn specs() -> Vec<(&'static str, Spec<'static>)> {
    use Mark::*;
    vec![
        (
            "bar",
            Spec {
                id: "bar",
                title: "共建专业",
                unit: "个",
                shape: Shape::Bar,
                whole: true,
                data: vec![
                    datum(2022, 5.0, "5", Actual),
                    datum(2023, 8.0, "8", Actual),
                    datum(2024, 11.0, "11", Actual),
                ],
            },
        ),
        (
            "line",
            Spec {
                id: "line",
                title: "联合体学校整体就业率",
                unit: "%",
                shape: Shape::Line,
                whole: false,
                data: vec![
                    datum(2022, 95.2, "95.2", Actual),
                    datum(2023, 96.0, "96.0", Actual),
                    datum(2024, 96.4, "96.4", Actual),
                    datum(2025, 96.5, "96.5", Committed),
                ],
            },
        ),
        (
            "committed",
            Spec {
                id: "committed",
                title: "面向企业员工开展培训数",
                unit: "人日",
                shape: Shape::Bar,
                whole: false,
                data: vec![
                    datum(2023, 1355.0, "1,355.0", Actual),
                    datum(2024, 1612.5, "1,612.5", Derived),
                    datum(2025, 1774.0, "1,774.0", Committed),
                    datum(2026, 1935.0, "1,935.0", Committed),
                ],
            },
        ),
        (
            "one-year",
            Spec {
                id: "one",
                title: "运行经费总额",
                unit: "万元",
                shape: Shape::Bar,
                whole: false,
                data: vec![datum(2024, 584.88, "584.88", Actual)],
            },
        ),
    ]
}

#[test]
fn golden_charts() {
    let dir = repo().join("tests/golden/charts");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let elder = specs().into_iter().map(|(name, spec)| {
        (
            format!("{name}-elder"),
            charts::chart_on(&spec, Canvas::ELDER),
        )
    });
    let grouped = std::iter::once(("grouped".to_string(), charts::grouped(&grouped_spec())));
    let all = specs()
        .into_iter()
        .map(|(name, spec)| (name.to_string(), charts::chart(&spec)))
        .chain(elder)
        .chain(grouped);
    for (name, svg) in all {
        let path = dir.join(format!("{name}.svg"));
        if update {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &svg).unwrap();
            continue;
        }
        let golden = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            golden == svg,
            "{name}.svg differs from tests/golden/charts (UPDATE_GOLDEN=1 rewrites it; review the diff)"
        );
    }
    // The same data gives the same bytes.
    for (_, spec) in specs() {
        assert_eq!(charts::chart(&spec), charts::chart(&spec));
    }
}

/// Training by audience over two years, one audience missing in the first.
fn grouped_spec() -> charts::Grouped<'static> {
    let v = |n: f64| Some((n, chanjiao::format::fixed(n, 0)));
    charts::Grouped {
        id: "grouped",
        title: "培训期数（各年，按培训对象）",
        unit: "期",
        categories: vec!["2023年".into(), "2024年".into()],
        series: vec![
            GroupSeries {
                name: "企业员工".into(),
                values: vec![v(6.0), v(1165.0)],
            },
            GroupSeries {
                name: "学生".into(),
                values: vec![None, v(1025.0)],
            },
        ],
    }
}

/// Every value of a grouped chart is written on it, however narrow its bars: none is left out.
#[test]
fn a_grouped_chart_writes_every_value() {
    let g = grouped_spec();
    for svg in [charts::grouped(&g), charts::grouped_on(&g, Canvas::ELDER)] {
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect();
        for value in ["6", "1,165", "1,025"] {
            assert!(
                texts.iter().any(|t| t == value),
                "{value} missing: {texts:?}"
            );
        }
    }
}

/// The smallest text of every chart is 13 units in a 300-unit viewBox at the standard size, and
/// 1.3 times that in the large-type version: 12 px and 16 px where a phone shows it about 300 px
/// wide.
#[test]
fn chart_text_is_drawn_for_a_phone() {
    let smallest = |svg: &str| -> (f64, f64) {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let width: f64 = doc
            .root_element()
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        let min = doc
            .descendants()
            .filter_map(|n| n.attribute("font-size"))
            .map(|f| f.parse::<f64>().unwrap())
            .fold(f64::INFINITY, f64::min);
        (min, width)
    };
    for (name, spec) in specs() {
        let (min, width) = smallest(&charts::chart(&spec));
        assert!(min / width * 300.0 >= 12.9, "{name}: {min} in {width}");
        let (min, width) = smallest(&charts::chart_on(&spec, Canvas::ELDER));
        assert!(
            min / width * 300.0 >= 16.8,
            "{name} (elder): {min} in {width}"
        );
    }
}

#[test]
fn charts_say_in_words_what_they_show() {
    let (_, spec) = specs().remove(2);
    let svg = charts::chart(&spec);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some("committed-t committed-d")
    );
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(
        desc,
        "面向企业员工开展培训数，实际值：2023年1,355.0\u{2060}人\u{2060}日，2024年1,612.5\u{2060}人\u{2060}日（据培训台账汇总）；承诺值：2025年1,774.0\u{2060}人\u{2060}日，2026年1,935.0\u{2060}人\u{2060}日。"
    );
    // Committed values are labelled so in the legend; the derived value carries its mark.
    assert!(svg.contains("承诺值（非已完成数）"));
    assert!(svg.contains("1,612.5※"));
    assert!(svg.contains("※据培训台账汇总"));
}

/// Every `<svg>` of a built page or file: parsed as XML, with a title and a description.
fn check_svg(svg: &str, place: &str) {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{place}: SVG is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{place}");
    assert_eq!(root.attribute("role"), Some("img"), "{place}");
    for tag in ["title", "desc"] {
        let text = root
            .children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert!(!text.trim().is_empty(), "{place}: no <{tag}>");
    }
    let ids: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap_or_default()
        .split(' ')
        .collect();
    for id in ids {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "{place}: aria-labelledby names a missing id {id}"
        );
    }
}

#[test]
fn every_svg_of_the_bundled_site_is_well_formed_and_described() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);
    let files = read_tree(&public);
    let (mut standalone, mut inline) = (0, 0);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        // Charts; the theme's own files (the favicon) are not charts.
        if path.ends_with(".svg") && !path.starts_with("static/") {
            check_svg(&text, path);
            // A file stands alone: its size, a white background, whose figures, as of when and
            // from which source.
            let doc = roxmltree::Document::parse(&text).unwrap();
            let root = doc.root_element();
            assert!(
                root.attribute("width").is_some() && root.attribute("height").is_some(),
                "{path} has no size"
            );
            assert!(
                text.contains("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>"),
                "{path}"
            );
            let consortium = path.split('/').nth(1).unwrap();
            let name = match consortium {
                "xiaogan" => "孝感市域产教联合体",
                "weifang" => "潍坊",
                _ => "宝清",
            };
            // Its text as read, lines wrapped to its width joined again.
            let words: String = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .map(str::trim)
                .collect();
            assert!(words.contains(name), "{path} does not name its consortium");
            assert!(
                words.contains("数据截至2024年12月31日") && words.contains("来源："),
                "{path}: {words}"
            );
            standalone += 1;
        } else if path.ends_with(".html") {
            let mut ids = BTreeMap::new();
            for (i, part) in text.split("<svg ").skip(1).enumerate() {
                let end = part.find("</svg>").expect("every inline svg is closed");
                let svg = format!("<svg {}</svg>", &part[..end]);
                check_svg(&svg, &format!("{path} (svg {i})"));
                let id = svg
                    .split("aria-labelledby=\"")
                    .nth(1)
                    .and_then(|r| r.split(' ').next())
                    .unwrap_or_default()
                    .to_string();
                // Ids are unique on their page.
                assert!(ids.insert(id.clone(), i).is_none(), "{path}: id {id} twice");
                inline += 1;
            }
        }
    }
    // One file per indicator series of the three consortia; the charts again inline, plus
    // sparklines and comparisons.
    assert!(standalone >= 90, "{standalone} SVG files");
    assert!(inline > 2 * standalone, "{inline} inline charts");
}

#[test]
fn open_data_equals_indicators_toml() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&fixture("base"), &public, &[]);
    // Written in the fixture's indicators.toml, or summed from its ledger (marked derived).
    let expected = [
        ("co_built_majors", 2022, "5", "actual"),
        ("co_built_majors", 2024, "11", "actual"),
        ("co_built_majors", 2025, "14", "committed"),
        ("co_built_majors", 2026, "16", "committed"),
        ("employment_rate", 2023, "96.0", "actual"),
        ("employment_rate", 2025, "96.5", "committed"),
        ("operating_funds", 2024, "410.25", "actual"),
        ("teacher_enterprise_practice", 2018, "2.5", "actual"),
        ("local_orders", 2024, "60", "actual"),
        ("staff_training_person_days", 2023, "180.0", "derived"),
    ];
    let csv = fs::read_to_string(public.join("consortia/alpha/data/indicators.csv")).unwrap();
    // As Excel opens it: a byte-order mark says UTF-8, and the headers are Chinese.
    let csv = csv
        .strip_prefix('\u{FEFF}')
        .expect("a UTF-8 byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        reader.headers().unwrap(),
        vec!["指标键", "指标", "单位", "年度", "数值", "口径"]
    );
    // Each indicator's own file beside its chart holds its rows of the whole file, and no other.
    for key in ["co_built_majors", "employment_rate"] {
        let own =
            fs::read_to_string(public.join(format!("consortia/alpha/indicators/{key}/data.csv")))
                .unwrap();
        let own = own.strip_prefix('\u{FEFF}').expect("a byte-order mark");
        let mut r = csv::Reader::from_reader(own.as_bytes());
        let mine: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let theirs: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == key).collect();
        assert!(!mine.is_empty(), "{key}");
        assert_eq!(mine.iter().collect::<Vec<_>>(), theirs, "{key}");
    }
    for (key, year, value, basis) in expected {
        let row = rows
            .iter()
            .find(|r| &r[0] == key && r[3] == *year.to_string())
            .unwrap_or_else(|| panic!("no CSV row for {key} {year}"));
        assert_eq!((&row[4], &row[5]), (value, basis), "{key} {year}");
    }
    // Every value of indicators.toml is a row with its basis, and nothing else is but the
    // derived ones.
    let text = fs::read_to_string(fixture("base/content/consortia/alpha/indicators.toml")).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    let mut written = 0;
    for (section, basis) in [("actual", "actual"), ("committed", "committed")] {
        for (key, years) in doc[section].as_table().unwrap() {
            for (year, value) in years.as_table().unwrap() {
                let v = value
                    .as_float()
                    .or_else(|| value.as_integer().map(|i| i as f64))
                    .unwrap();
                // A year may have both: a commitment a form made, and what was achieved.
                let row = rows
                    .iter()
                    .find(|r| &r[0] == key && &r[3] == year && &r[5] == basis)
                    .unwrap_or_else(|| panic!("no {basis} CSV row for {key} {year}"));
                assert_eq!(row[4].parse::<f64>().unwrap(), v, "{key} {year}");
                written += 1;
            }
        }
    }
    let derived = rows.iter().filter(|r| &r[5] == "derived").count();
    assert_eq!(derived, 2);
    assert_eq!(rows.len(), written + derived);

    let json: serde_json::Value = serde_json::from_slice(
        &fs::read(public.join("consortia/alpha/data/indicators.json")).unwrap(),
    )
    .unwrap();
    let items = json["indicators"].as_array().unwrap();
    assert_eq!(items.len(), rows.len());
    let committed: Vec<_> = items
        .iter()
        .filter(|i| i["basis"] == "committed")
        .map(|i| {
            (
                i["key"].as_str().unwrap(),
                i["year"].as_i64().unwrap(),
                i["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        committed,
        vec![
            // The 2024 推荐书's commitments, as filed.
            ("operating_funds", 2024, 420.0),
            ("operating_funds", 2025, 450.0),
            ("funds_lead_units", 2024, 210.0),
            ("funds_government", 2024, 150.0),
            ("funds_other_members", 2024, 40.0),
            ("funds_other", 2024, 20.0),
            ("co_built_majors", 2025, 14.0),
            ("co_built_majors", 2026, 16.0),
            ("employment_rate", 2025, 96.5)
        ]
    );
}
