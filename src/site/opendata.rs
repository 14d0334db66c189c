//! Open data of a consortium beside its indicator files: its members, programmes and training
//! ledger as CSV and JSON (`consortia/<id>/data/members.csv` …), one row per record, with the
//! stable keys of the content files and the Chinese labels of the forms. Written with `csv` and
//! `serde_json`, never by hand. Every CSV table is also a sheet of the consortium's Excel workbook
//! (`data.xlsx`), with the same columns under Chinese headers, numbers as numbers, made from the
//! same rows.

use serde::Serialize;

use crate::format;
use crate::model::*;

#[derive(Serialize)]
struct MemberRow<'a> {
    id: &'a str,
    name: &'a str,
    short_name: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    students: Option<u32>,
    joined: Option<String>,
    website: &'a str,
}

#[derive(Serialize)]
struct ProgrammeRow<'a, P> {
    slug: &'a str,
    title: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    status: &'static str,
    status_label: &'static str,
    start_year: i32,
    started: Option<String>,
    completed: Option<String>,
    /// 金专业 …, when it is one of the 五金.
    gold: &'static str,
    level: &'static str,
    awarded: Option<i32>,
    /// Member ids: `a;b` in the CSV, a list in the JSON.
    partners: P,
}

#[derive(Serialize)]
struct SessionRow<'a> {
    date: String,
    title: &'a str,
    provider: &'a str,
    provider_name: &'a str,
    audience: &'static str,
    audience_label: &'static str,
    participants: u32,
    /// With one decimal, as the ledger counts half days: `17.5`.
    person_days: serde_json::Number,
}

/// Rows as CSV for a spreadsheet: a UTF-8 byte-order mark (so that Excel on a Chinese Windows
/// reads UTF-8, not the ANSI code page), the Chinese `headers` as the first line, then the rows
/// in the headers' field order, every text cell defused (`defuse`). With no rows, the header
/// line alone: an empty register is a table with nothing in it, not an empty file.
pub(crate) fn csv_of<T: Serialize>(
    headers: &[(&str, &str)],
    rows: impl IntoIterator<Item = T>,
) -> Vec<u8> {
    const FAIL: &str = "writing CSV into memory cannot fail";
    let mut plain = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for r in rows {
        plain.serialize(r).expect(FAIL);
    }
    let plain = plain.into_inner().expect(FAIL);
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(headers.iter().map(|(_, zh)| zh))
        .expect(FAIL);
    let mut cells = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(plain.as_slice());
    for record in cells.records().flatten() {
        out.write_record(
            record
                .iter()
                .map(|c| defuse(c).unwrap_or_else(|| c.to_string())),
        )
        .expect(FAIL);
    }
    out.into_inner().expect(FAIL)
}

/// The Chinese headers of the open-data tables' workbooks, by field, in the rows' order.
const MEMBER_HEADERS: [(&str, &str); 8] = [
    ("id", "标识"),
    ("name", "单位名称"),
    ("short_name", "简称"),
    ("kind", "类型键"),
    ("kind_label", "单位类型"),
    ("students", "在校生数"),
    ("joined", "加入日期"),
    ("website", "网站"),
];
const PROGRAMME_HEADERS: [(&str, &str); 13] = [
    ("slug", "标识"),
    ("title", "项目名称"),
    ("kind", "类型键"),
    ("kind_label", "项目类型"),
    ("status", "状态键"),
    ("status_label", "状态"),
    ("start_year", "开始年份"),
    ("started", "开工日期"),
    ("completed", "建成日期"),
    ("gold", "五金"),
    ("level", "认定级别"),
    ("awarded", "认定年份"),
    ("partners", "合作单位"),
];
const SESSION_HEADERS: [(&str, &str); 8] = [
    ("date", "培训日期"),
    ("title", "培训名称"),
    ("provider", "实施单位标识"),
    ("provider_name", "实施单位"),
    ("audience", "对象键"),
    ("audience_label", "培训对象"),
    ("participants", "人次"),
    ("person_days", "人日"),
];

/// A workbook made by `sheets`, with the fixed creation time and fast compression of the site's
/// downloads: the same tables always give the same bytes.
pub(crate) fn workbook(
    sheets: impl FnOnce(&mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError>,
) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    // The fastest deflate: each file of the zip costs its own compressor.
    book.set_zip_compression_level(1);
    if let Ok(epoch) = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1) {
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&epoch));
    }
    sheets(&mut book)
        .and_then(|_| book.save_to_buffer())
        .expect("the headers name the rows' fields, and a workbook is written into memory")
}

/// A sheet named `name` of `rows`, the same columns as their CSV under the Chinese `headers`, by
/// `rust_xlsxwriter`'s serde support: numbers as numbers, text as text (never a formula), an
/// empty cell where a value is absent; the headers alone when there are no rows.
pub(crate) fn add_sheet<T: Serialize>(
    book: &mut rust_xlsxwriter::Workbook,
    name: &str,
    headers: &[(&str, &str)],
    rows: &[T],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{CustomSerializeField, Format, SerializeFieldOptions};
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_range_width(0, headers.len().saturating_sub(1) as u16, 16)?;
    let Some(first) = rows.first() else {
        for (c, (_, header)) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *header, &bold)?;
        }
        return Ok(());
    };
    let columns: Vec<CustomSerializeField> = headers
        .iter()
        .map(|(field, header)| CustomSerializeField::new(*field).rename(*header))
        .collect();
    let options = SerializeFieldOptions::new()
        .set_header_format(bold)
        .set_custom_headers(&columns);
    ws.serialize_headers_with_options(0, 0, first, &options)?;
    ws.serialize(&rows)?;
    Ok(())
}

/// The members, programmes and training ledger of `c`, a sheet each.
pub(crate) fn record_sheets(
    book: &mut rust_xlsxwriter::Workbook,
    c: &Consortium,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    add_sheet(book, "成员单位", &MEMBER_HEADERS, &members(c))?;
    let programmes: Vec<_> = c
        .programmes
        .iter()
        .map(|p| programme(p, partner_ids(p).join(";")))
        .collect();
    add_sheet(book, "共建项目", &PROGRAMME_HEADERS, &programmes)?;
    add_sheet(book, "培训台账", &SESSION_HEADERS, &sessions(c))
}

/// A cell that Excel or WPS would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return and is not a number), with a leading `'` that makes it text, as OWASP advises
/// against CSV injection; `None` for a cell that is safe as it is.
pub fn defuse(cell: &str) -> Option<String> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    (risky && cell.trim().parse::<f64>().is_err()).then(|| format!("'{cell}"))
}

#[derive(Serialize)]
struct Doc<'a, T> {
    consortium: &'a str,
    name: &'a str,
    #[serde(flatten)]
    records: T,
}

fn json_of<T: Serialize>(c: &Consortium, records: T) -> Vec<u8> {
    let doc = Doc {
        consortium: &c.id,
        name: &c.profile.name,
        records,
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("serialising into memory cannot fail");
    out.push(b'\n');
    out
}

fn members(c: &Consortium) -> Vec<MemberRow<'_>> {
    c.members
        .list
        .iter()
        .map(|m| MemberRow {
            id: m.id.get_ref(),
            name: &m.name,
            short_name: m.short_name.as_deref().unwrap_or_default(),
            kind: m.kind.key(),
            kind_label: m.kind.label(),
            students: m.students.as_ref().map(|s| *s.get_ref()),
            joined: m.joined.as_ref().map(|d| d.get_ref().iso()),
            website: m.website.as_ref().map_or("", |w| w.get_ref().as_str()),
        })
        .collect()
}

fn programme<P>(p: &Programme, partners: P) -> ProgrammeRow<'_, P> {
    ProgrammeRow {
        slug: &p.slug,
        title: &p.meta.title,
        kind: p.meta.kind.key(),
        kind_label: p.meta.kind.label(),
        status: p.meta.status.key(),
        status_label: p.meta.status.label(),
        start_year: *p.meta.start_year.get_ref(),
        started: p.meta.started.as_ref().map(|d| d.get_ref().iso()),
        completed: p.meta.completed.as_ref().map(|d| d.get_ref().iso()),
        gold: p.meta.gold_designation().unwrap_or_default(),
        level: p.meta.level.as_ref().map_or("", |l| l.get_ref().label()),
        awarded: p.meta.awarded.as_ref().map(|a| *a.get_ref()),
        partners,
    }
}

fn partner_ids(p: &Programme) -> Vec<&str> {
    p.meta
        .partners
        .get_ref()
        .iter()
        .map(|r| r.get_ref().as_str())
        .collect()
}

fn sessions(c: &Consortium) -> Vec<SessionRow<'_>> {
    c.training
        .sessions
        .iter()
        .map(|s| SessionRow {
            date: s.date.get_ref().iso(),
            title: &s.title,
            provider: s.provider.get_ref(),
            provider_name: c
                .member(s.provider.get_ref())
                .map_or("", |m| m.name.as_str()),
            audience: s.audience.key(),
            audience_label: s.audience.label(),
            participants: s.participants,
            person_days: format::plain(*s.person_days.get_ref(), 1)
                .parse()
                .expect("a finite value prints as a JSON number"),
        })
        .collect()
}

/// Every open-data file of a consortium but the indicators: (file name, bytes).
pub fn files(c: &Consortium) -> Vec<(&'static str, Vec<u8>)> {
    #[derive(Serialize)]
    struct Members<'a> {
        members: Vec<MemberRow<'a>>,
    }
    #[derive(Serialize)]
    struct Programmes<'a> {
        programmes: Vec<ProgrammeRow<'a, Vec<&'a str>>>,
    }
    #[derive(Serialize)]
    struct Training<'a> {
        sessions: Vec<SessionRow<'a>>,
    }
    vec![
        ("members.csv", csv_of(&MEMBER_HEADERS, members(c))),
        (
            "members.json",
            json_of(
                c,
                Members {
                    members: members(c),
                },
            ),
        ),
        (
            "programmes.csv",
            csv_of(
                &PROGRAMME_HEADERS,
                c.programmes
                    .iter()
                    .map(|p| programme(p, partner_ids(p).join(";"))),
            ),
        ),
        (
            "programmes.json",
            json_of(
                c,
                Programmes {
                    programmes: c
                        .programmes
                        .iter()
                        .map(|p| programme(p, partner_ids(p)))
                        .collect(),
                },
            ),
        ),
        ("training.csv", csv_of(&SESSION_HEADERS, sessions(c))),
        (
            "training.json",
            json_of(
                c,
                Training {
                    sessions: sessions(c),
                },
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        for bad in [
            "=HYPERLINK(\"http://x\",\"点我\")",
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(defuse(bad), Some(format!("'{bad}")), "{bad:?}");
        }
        for ok in ["-5", "-0.25", "+3", "甲市职业技术学院", "a=b", ""] {
            assert_eq!(defuse(ok), None, "{ok:?}");
        }
        #[derive(Serialize)]
        struct R<'a> {
            name: &'a str,
            n: i32,
        }
        let out = String::from_utf8(csv_of(
            &[("name", "名称"), ("n", "数")],
            [
                R {
                    name: "=1+1",
                    n: -3,
                },
                R { name: "x", n: 2 },
            ],
        ))
        .unwrap();
        assert_eq!(out, "\u{FEFF}名称,数\n'=1+1,-3\nx,2\n");
        let empty = csv_of(&[("name", "名称"), ("n", "数")], Vec::<R>::new());
        assert_eq!(empty, "\u{FEFF}名称,数\n".as_bytes());
    }
}
