//! Spreadsheets in and out: `export` then `import` of every consortium of the bundled example gives
//! the same values; a workbook as secretariats make them (a merged heading over the headers, dates
//! as Excel serials and as text, numbers stored as text, blank rows) and a GB18030 CSV import; each
//! bad cell is reported at its A1 place, all at once, with nothing written; an existing file is
//! merged only when asked.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use rust_xlsxwriter::{Format, Workbook};

/// A copy of the bundled example with an empty consortium folder `fresh` (its profile only).
fn site_with_fresh_consortium() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let fresh = dir.path().join("content/consortia/fresh");
    fs::create_dir_all(&fresh).unwrap();
    fs::copy(
        repo().join("content/consortia/xiaogan/consortium.toml"),
        fresh.join("consortium.toml"),
    )
    .unwrap();
    dir
}

fn import(root: &Path, args: &[&str]) -> std::process::Output {
    let mut a = vec!["import"];
    a.extend_from_slice(args);
    a.extend(["--root", root.to_str().unwrap(), "--lang", "zh"]);
    chanjiao(&a)
}

fn table(path: &Path) -> toml::Table {
    toml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The records of an array of tables, each reduced to `keys`, numbers as f64.
fn records(t: &toml::Table, array: &str, keys: &[&str]) -> Vec<Vec<String>> {
    let value = |v: Option<&toml::Value>| match v {
        Some(toml::Value::Integer(i)) => format!("{}", *i as f64),
        Some(toml::Value::Float(f)) => format!("{f}"),
        Some(toml::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "—".to_string(),
    };
    t.get(array)
        .and_then(|a| a.as_array())
        .unwrap()
        .iter()
        .map(|r| keys.iter().map(|k| value(r.get(*k))).collect())
        .collect()
}

fn indicator_values(t: &toml::Table) -> Vec<(String, String, String, f64)> {
    let mut out = Vec::new();
    for (section, keys) in t {
        for (key, years) in keys.as_table().unwrap() {
            for (year, v) in years.as_table().unwrap() {
                let v = v
                    .as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .unwrap();
                out.push((section.clone(), key.clone(), year.clone(), v));
            }
        }
    }
    out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    out
}

#[test]
fn export_then_import_gives_the_same_values() {
    for consortium in ["xiaogan", "weifang", "baoqing"] {
        let site = site_with_fresh_consortium();
        let root = site.path();
        let book = root.join("导出.xlsx");
        let o = chanjiao(&[
            "export",
            "--root",
            root.to_str().unwrap(),
            "--consortium",
            consortium,
            book.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        for t in ["members", "training", "indicators"] {
            let o = import(root, &[t, book.to_str().unwrap(), "--consortium", "fresh"]);
            assert!(o.status.success(), "{consortium} {t}: {}", stderr(&o));
        }
        let from = |c: &str, f: &str| table(&root.join(format!("content/consortia/{c}/{f}")));
        let member_keys = [
            "id",
            "name",
            "short_name",
            "kind",
            "joined",
            "students",
            "website",
        ];
        assert_eq!(
            records(&from("fresh", "members.toml"), "member", &member_keys),
            records(&from(consortium, "members.toml"), "member", &member_keys),
            "{consortium}: members"
        );
        let session_keys = [
            "date",
            "title",
            "provider",
            "audience",
            "participants",
            "person_days",
        ];
        assert_eq!(
            records(&from("fresh", "training.toml"), "session", &session_keys),
            records(&from(consortium, "training.toml"), "session", &session_keys),
            "{consortium}: training"
        );
        assert_eq!(
            indicator_values(&from("fresh", "indicators.toml")),
            indicator_values(&from(consortium, "indicators.toml")),
            "{consortium}: indicators"
        );
        // Exporting again never replaces the workbook.
        let again = chanjiao(&[
            "export",
            "--root",
            root.to_str().unwrap(),
            "--consortium",
            consortium,
            book.to_str().unwrap(),
        ]);
        assert_eq!(again.status.code(), Some(2));
    }
}

/// A members sheet as one is really kept: a title row, a merged group heading over the headers,
/// headers with units in brackets, a blank row, dates as serials and as text, numbers as text.
#[test]
fn a_workbook_as_secretariats_keep_it_imports() {
    let site = site_with_fresh_consortium();
    let root = site.path();
    let book = root.join("成员单位名单.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "示例联合体成员单位名单").unwrap();
    ws.merge_range(1, 0, 1, 3, "基本信息", &Format::new())
        .unwrap();
    for (c, h) in ["单位名称", "单位类型", "加入日期", "在校生数（人）", "备注"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "示例职业技术学院").unwrap();
    ws.write_string(3, 1, "高职").unwrap();
    ws.write_number(3, 2, 45078.0).unwrap(); // 2023-06-01 as Excel stores it
    ws.write_string(3, 3, "12,000").unwrap();
    // Row 5 is left blank.
    ws.write_string(5, 0, "示例装备集团有限公司").unwrap();
    ws.write_string(5, 1, "企业").unwrap();
    ws.write_string(5, 2, "2023年6月1日").unwrap();
    wb.save(&book).unwrap();
    let o = import(
        root,
        &["members", book.to_str().unwrap(), "--consortium", "fresh"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("未导入的列（不属于此表）：备注"),
        "{}",
        stderr(&o)
    );
    let t = table(&root.join("content/consortia/fresh/members.toml"));
    assert_eq!(
        records(&t, "member", &["id", "name", "kind", "joined", "students"]),
        vec![
            vec![
                "m001",
                "示例职业技术学院",
                "higher_vocational",
                "2023-06-01",
                "12000"
            ],
            vec![
                "m002",
                "示例装备集团有限公司",
                "enterprise",
                "2023-06-01",
                "—"
            ],
        ]
    );
}

#[test]
fn a_gb18030_csv_ledger_imports() {
    let site = site_with_fresh_consortium();
    let root = site.path();
    fs::copy(
        repo().join("content/consortia/xiaogan/members.toml"),
        root.join("content/consortia/fresh/members.toml"),
    )
    .unwrap();
    let csv = "培训日期,培训名称,实施单位,培训对象,人次,人日\n\
               2024/3/12,数控加工技能提升培训,湖北职业技术学院,企业员工,40,120\n\
               ,,,,,\n\
               2024-04-02,电工取证培训,xgzy,社会人员,３０,４５．５\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(csv);
    let file = root.join("培训台账.csv");
    fs::write(&file, &bytes).unwrap();
    let o = import(
        root,
        &["training", file.to_str().unwrap(), "--consortium", "fresh"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let t = table(&root.join("content/consortia/fresh/training.toml"));
    let keys = [
        "date",
        "provider",
        "audience",
        "participants",
        "person_days",
    ];
    assert_eq!(
        records(&t, "session", &keys),
        vec![
            vec!["2024-03-12", "hbzy", "enterprise_staff", "40", "120"],
            vec!["2024-04-02", "xgzy", "social", "30", "45.5"],
        ]
    );
}

/// Ten bad cells in three sheets: each at its A1 place, all at once, and nothing written.
/// Imports the CSV `text`, written as `name` in the site at `root`, into `table` of the empty
/// consortium `fresh`: the import must fail, report an error with `marker` at each of `cells`
/// (`Sheet1!C7`), and write no file. Returns what it printed.
fn refused(
    root: &Path,
    table: &str,
    name: &str,
    text: &str,
    cells: &[&str],
    marker: &str,
) -> String {
    let file = root.join(name);
    fs::write(&file, text).unwrap();
    let o = import(
        root,
        &[table, file.to_str().unwrap(), "--consortium", "fresh"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for cell in cells {
        let place = format!("{name}:Sheet1!{cell}");
        assert!(
            err.contains(&format!("{place}: {marker}")),
            "{place} missing in\n{err}"
        );
    }
    let written = root.join(format!("content/consortia/fresh/{table}.toml"));
    assert!(!written.exists(), "{} was written", written.display());
    err
}

#[test]
fn every_bad_cell_is_reported_at_its_place_and_nothing_is_written() {
    let site = site_with_fresh_consortium();
    let root = site.path();
    let fresh = root.join("content/consortia/fresh");
    fs::copy(
        repo().join("content/consortia/xiaogan/members.toml"),
        root.join("other-members.toml"),
    )
    .unwrap();
    refused(
        root,
        "members",
        "members.csv",
        "单位名称,单位类型,加入日期,在校生数,统一社会信用代码\n\
         ,企业,2023-06-01,,\n\
         示例学院,大学,2023-06-01,,\n\
         示例中职,中职,2023年,,\n\
         示例高职,高职,2023-06-01,-5,\n\
         示例技校,中职,2023-06-01,很多,\n\
         示例学院,中职,2023-06-01,,\n\
         示例企业,企业,2023-06-01,,91420900MA4X00000X\n",
        &["A2", "B3", "C4", "D5", "D6", "A7"],
        "error: 错误：",
    );

    fs::copy(root.join("other-members.toml"), fresh.join("members.toml")).unwrap();
    refused(
        root,
        "training",
        "ledger.csv",
        "培训日期,培训名称,实施单位,培训对象,人次,人日\n\
         2024-03-12,培训甲,不存在的单位,企业员工,40,120\n\
         2024-03-13,培训乙,xgzy,外星人,40,120\n\
         2024-03-14,培训丙,xgzy,教师,四十,abc\n",
        &["C2", "D3", "E4", "F4"],
        "error: ",
    );

    let err = refused(
        root,
        "indicators",
        "values.csv",
        "指标,年度,实际值,承诺值\nco_built_majorz,2024,4,\n共建专业,二〇二四,4,\n共建专业,2024,很多,\n",
        &["A2", "B3", "C4"],
        "error: ",
    );
    assert!(
        err.contains("co_built_majors"),
        "a suggestion for the misspelt key: {err}"
    );
}

#[test]
fn an_existing_file_is_merged_only_when_asked() {
    let site = site_with_fresh_consortium();
    let root = site.path();
    let target = root.join("content/consortia/fresh/members.toml");
    fs::copy(
        repo().join("content/consortia/xiaogan/members.toml"),
        &target,
    )
    .unwrap();
    let before = fs::read(&target).unwrap();
    let sheet = root.join("new.csv");
    fs::write(
        &sheet,
        "标识,单位名称,单位类型,在校生数\nxgzy,孝感职业技术学院,高职,16000\n,新加入的企业,企业,\n",
    )
    .unwrap();
    let o = import(
        root,
        &["members", sheet.to_str().unwrap(), "--consortium", "fresh"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        fs::read(&target).unwrap(),
        before,
        "replaced without --merge"
    );
    let o = import(
        root,
        &[
            "members",
            sheet.to_str().unwrap(),
            "--consortium",
            "fresh",
            "--merge",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let t = table(&target);
    let list = records(&t, "member", &["id", "students", "joined"]);
    let xgzy = list.iter().find(|r| r[0] == "xgzy").unwrap();
    assert_eq!(xgzy[1], "16000", "the record was updated");
    assert_ne!(xgzy[2], "—", "fields the sheet does not have are kept");
    assert_eq!(
        list.len(),
        records(
            &table(&repo().join("content/consortia/xiaogan/members.toml")),
            "member",
            &["id"]
        )
        .len()
            + 1
    );
    let check = chanjiao(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        !stderr(&check).contains("content/consortia/fresh/members.toml"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_template_holds_the_headers_and_an_example_that_imports() {
    let site = site_with_fresh_consortium();
    let root = site.path();
    for t in ["members", "training", "indicators"] {
        let file = root.join(format!("{t}.xlsx"));
        let o = chanjiao(&[
            "import",
            "--template",
            t,
            file.to_str().unwrap(),
            "--lang",
            "zh",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = import(root, &[t, file.to_str().unwrap(), "--consortium", "fresh"]);
        assert!(o.status.success(), "{t}: {}", stderr(&o));
    }
}

/// The cells of sheet `name` of the workbook at `path`, as calamine reads them.
fn workbook_rows(path: &Path, name: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["建设指标", "成员单位", "共建项目", "培训台账"]
    );
    let range = book.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn every_open_data_table_is_also_a_sheet_of_the_workbook_with_the_same_cells() {
    use calamine::Data;
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    build(&repo(), &public, &[]);
    let mut compared = 0;
    for c in ["xiaogan", "baoqing", "weifang"] {
        let data = public.join(format!("consortia/{c}/data"));
        for (table, sheet) in [
            ("indicators", "建设指标"),
            ("members", "成员单位"),
            ("programmes", "共建项目"),
            ("training", "培训台账"),
        ] {
            let csv_path = data.join(format!("{table}.csv"));
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_path(&csv_path)
                .unwrap();
            let csv_rows: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let xlsx = workbook_rows(&data.join("data.xlsx"), sheet);
            if csv_rows.is_empty() {
                // No records: the CSV is empty, the sheet holds its headers.
                assert_eq!(xlsx.len(), 1, "{c} {table}: rows");
                continue;
            }
            assert_eq!(xlsx.len(), csv_rows.len(), "{c} {table}: rows");
            // The headers are Chinese, one a CSV column.
            assert_eq!(xlsx[0].len(), csv_rows[0].len(), "{c} {table}: columns");
            for h in &xlsx[0] {
                assert!(
                    matches!(h, Data::String(s) if !s.is_ascii()),
                    "{c} {table}: header {h:?} is not Chinese"
                );
            }
            for (r, (x, v)) in xlsx.iter().zip(&csv_rows).enumerate().skip(1) {
                for (col, (cell, text)) in x.iter().zip(v).enumerate() {
                    let same = match cell {
                        Data::Empty => text.is_empty(),
                        Data::Float(n) => text.parse::<f64>().ok() == Some(*n),
                        Data::Int(n) => text.parse::<i64>().ok() == Some(*n),
                        Data::String(s) => {
                            // A number is never text; a CSV cell Excel would run is defused there.
                            text.parse::<f64>().is_err()
                                && (s == text
                                    || chanjiao::site::opendata::defuse(s).as_ref() == Some(text))
                        }
                        other => panic!("{c} {table}: unexpected cell {other:?}"),
                    };
                    assert!(same, "{c} {table} row {r} col {col}: {cell:?} vs {text:?}");
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1000, "only {compared} cells compared");
}
