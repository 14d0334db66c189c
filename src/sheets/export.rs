//! Workbooks out: `chanjiao export --consortium ID FILE.xlsx` writes a consortium's members,
//! training ledger and indicators, one sheet each, with the headers `import` reads; and
//! `chanjiao import --template TABLE` writes an empty sheet with those headers and one filled
//! example row. Written by `rust_xlsxwriter`; dates are written as text (`2023-06-01`), which
//! Excel and WPS show as written and `import` reads back.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::import::Table;
use crate::model::{Basis, Consortium};

/// A cell to write.
enum Out {
    Text(String),
    Number(f64),
    Empty,
}

fn headers(table: Table) -> Vec<&'static str> {
    table.fields().iter().map(|f| f.headers[0]).collect()
}

/// The sheet of `table`: its headers in bold, frozen above the rows.
fn sheet(book: &mut Workbook, table: Table, rows: &[Vec<Out>]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(table.sheet())?;
    for (c, h) in headers(table).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Out::Text(t) => {
                    ws.write_string(r, c, t)?;
                }
                Out::Number(n) => {
                    ws.write_number(r, c, *n)?;
                }
                Out::Empty => {}
            }
        }
    }
    Ok(())
}

fn text(s: impl Into<String>) -> Out {
    Out::Text(s.into())
}

fn member_rows(c: &Consortium) -> Vec<Vec<Out>> {
    c.members
        .list
        .iter()
        .map(|m| {
            vec![
                text(m.id.get_ref()),
                text(&m.name),
                m.short_name.as_ref().map_or(Out::Empty, text),
                text(m.kind.label()),
                m.joined
                    .as_ref()
                    .map_or(Out::Empty, |d| text(d.get_ref().iso())),
                m.students
                    .as_ref()
                    .map_or(Out::Empty, |s| Out::Number(f64::from(*s.get_ref()))),
                m.website.as_ref().map_or(Out::Empty, |w| text(w.get_ref())),
                m.credit_code
                    .as_ref()
                    .map_or(Out::Empty, |c| text(c.get_ref())),
            ]
        })
        .collect()
}

fn training_rows(c: &Consortium) -> Vec<Vec<Out>> {
    c.training
        .sessions
        .iter()
        .map(|s| {
            vec![
                text(s.date.get_ref().iso()),
                text(&s.title),
                text(s.provider.get_ref()),
                text(s.audience.label()),
                Out::Number(f64::from(s.participants)),
                Out::Number(*s.person_days.get_ref()),
            ]
        })
        .collect()
}

fn indicator_rows(c: &Consortium, catalogue: &crate::model::Catalogue) -> Vec<Vec<Out>> {
    let mut keyed: std::collections::BTreeMap<(String, i32), (Option<f64>, Option<f64>)> =
        std::collections::BTreeMap::new();
    for e in &c.indicators.entries {
        let slot = keyed.entry((e.key.get_ref().clone(), e.year)).or_default();
        match e.basis {
            Basis::Actual => slot.0 = Some(e.value),
            Basis::Committed => slot.1 = Some(e.value),
        }
    }
    keyed
        .into_iter()
        .map(|((key, year), (actual, committed))| {
            let name = catalogue
                .get(&key)
                .map_or(String::new(), |d| d.name.clone());
            vec![
                text(key),
                text(name),
                Out::Number(f64::from(year)),
                actual.map_or(Out::Empty, Out::Number),
                committed.map_or(Out::Empty, Out::Number),
            ]
        })
        .collect()
}

/// A workbook of the consortium's members, ledger and indicators.
pub fn workbook(c: &Consortium, catalogue: &crate::model::Catalogue) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    sheet(&mut book, Table::Members, &member_rows(c))?;
    sheet(&mut book, Table::Training, &training_rows(c))?;
    sheet(&mut book, Table::Indicators, &indicator_rows(c, catalogue))?;
    book.save_to_buffer()
}

/// An empty sheet of `table` with its headers and one filled example row.
pub fn template(table: Table) -> Result<Vec<u8>, XlsxError> {
    let example = match table {
        Table::Members => vec![
            text("college"),
            text("示例职业技术学院"),
            text("示例职院"),
            text("高职院校（含职教本科）"),
            text("2023-06-01"),
            Out::Number(12000.0),
            text("https://www.example.edu.cn/"),
            text("12420900MB12345677"),
        ],
        Table::Training => vec![
            text("2024-03-12"),
            text("数控加工技能提升培训"),
            text("示例职业技术学院"),
            text("企业员工"),
            Out::Number(40.0),
            Out::Number(120.0),
        ],
        Table::Indicators => vec![
            text("co_built_majors"),
            text("共建专业"),
            Out::Number(2024.0),
            Out::Number(4.0),
            Out::Empty,
        ],
    };
    let mut book = Workbook::new();
    sheet(&mut book, table, &[example])?;
    book.save_to_buffer()
}
