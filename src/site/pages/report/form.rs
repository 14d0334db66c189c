//! The recommendation form (推荐书) of a framework's application year, laid out by the
//! framework's `form.toml`: the cover, 说明, the head of 联合体概况 (shared with the report),
//! then the form's own blocks of values and text cells with their footnotes, parts 3–5, and a
//! box (not printed) of the cells still empty.

use serde::Serialize;

use super::{Cell, Column, ReportView, TextView};
use crate::figures::form::{self as data, Gaps};
use crate::figures::ConsortiumFigures;
use crate::model::form::{Block, FormLayout, FormYears, RowSpec};
use crate::model::framework::Framework;
use crate::model::*;
use crate::site::pages::common::DateView;

#[derive(Debug, Serialize)]
pub struct FormView<'a> {
    #[serde(flatten)]
    pub report: ReportView<'a>,
    pub form: FormPage<'a>,
}

#[derive(Debug, Serialize)]
pub struct FormPage<'a> {
    pub title: &'a str,
    /// The application year and the year reported as it stands.
    pub year: i32,
    pub data_year: i32,
    pub notes: Vec<String>,
    pub recommended_by: Option<&'a str>,
    pub filled: Option<DateView>,
    /// 依托园区.
    pub park: Option<&'a str>,
    pub leader_note: Option<u8>,
    pub overview: Vec<FormTable>,
    pub overview_notes: Vec<String>,
    pub part2: Vec<FormTable>,
    pub part2_notes: Vec<String>,
    pub features: TextView,
    pub plan: TextView,
    /// `yes`, `no`, or empty when nothing is declared.
    pub no_violation: &'static str,
    /// Whether a value is summed from the training ledger (marked ※).
    pub derived: bool,
    /// The cells still empty (the 尚待填写 box), and a staff list of the wrong length.
    pub gaps: Vec<String>,
    pub staff_mismatch: Option<(usize, u32)>,
    /// The same form as a Word file.
    pub docx: String,
}

/// One block of the form: a table with its year columns.
#[derive(Debug, Serialize)]
pub struct FormTable {
    pub name: String,
    pub head: String,
    pub columns: Vec<Column>,
    pub year_note: Option<u8>,
    /// Whether a row prints a unit, for the 单位 column.
    pub units: bool,
    pub rows: Vec<FormRow>,
}

/// A row: `values` (a value a column, or one in its year's column), `texts` (a text a
/// column), `text` (one text across the columns) or `heading`.
#[derive(Debug, Serialize)]
pub struct FormRow {
    pub kind: &'static str,
    pub label: String,
    pub unit: String,
    pub note: Option<u8>,
    /// A heading's head of its values' column (类型).
    pub head: String,
    /// A cell a column; `None` in the columns of a one-value row other than its year.
    pub cells: Vec<Option<Cell>>,
    pub texts: Vec<TextView>,
}

/// The form of `fw`'s application year `year` for one consortium, on the view of the year
/// before (`report`).
pub fn view<'a>(
    report: ReportView<'a>,
    f: &ConsortiumFigures<'a>,
    fw: &'a Framework,
    layout: &'a FormLayout,
    year: i32,
) -> FormView<'a> {
    let c = f.consortium;
    let years = FormYears { year };
    let notice = fw.meta.title.as_str();
    let r = c.report.as_ref();
    let tables = |blocks: &'a [Block]| -> Vec<FormTable> {
        blocks.iter().map(|b| table(b, f, years, notice)).collect()
    };
    let fill =
        |notes: &[String]| -> Vec<String> { notes.iter().map(|n| years.fill(n, notice)).collect() };
    let whole = |i: usize| {
        TextView::of(
            Report::CELLS[i],
            r.and_then(|r| data::whole_text(r, years, i)),
            f,
        )
    };
    let overview = tables(&layout.overview.blocks);
    let part2 = tables(&layout.part2.blocks);
    let derived = overview
        .iter()
        .chain(&part2)
        .flat_map(|t| &t.rows)
        .any(|row| row.cells.iter().flatten().any(|x| x.derived));
    let Gaps { empty, staff } = data::gaps(layout, f, years);
    let declared = r.and_then(|r| r.no_violation_for(year));
    FormView {
        form: FormPage {
            title: &layout.title,
            year,
            data_year: years.data_year(),
            notes: fill(&layout.notes),
            recommended_by: r.and_then(|r| r.recommended_by_for(year)),
            filled: r
                .and_then(|r| r.filled_for(year))
                .map(|d| DateView::of(d.get_ref())),
            park: c.profile.park.as_deref(),
            leader_note: layout.overview.leader_note,
            overview,
            overview_notes: fill(&layout.overview.footnotes),
            part2,
            part2_notes: fill(&layout.part2.footnotes),
            features: whole(2),
            plan: whole(3),
            no_violation: match declared {
                Some(b) if *b.get_ref() => "yes",
                Some(_) => "no",
                None => "",
            },
            derived,
            gaps: empty,
            staff_mismatch: staff,
            docx: crate::site::routes::Route::FormDocx(&c.id, year).url(),
        },
        report,
    }
}

fn column((year, basis): (i32, Basis)) -> Column {
    match basis {
        Basis::Actual => super::actual(year),
        Basis::Committed => super::committed(year),
    }
}

fn table(block: &Block, f: &ConsortiumFigures, years: FormYears, notice: &str) -> FormTable {
    FormTable {
        name: years.fill(&block.name, notice),
        head: block.head.clone(),
        columns: data::columns(block, years)
            .into_iter()
            .map(column)
            .collect(),
        year_note: block.year_note,
        units: block.rows.iter().any(|r| !r.unit.is_empty()),
        rows: block
            .rows
            .iter()
            .map(|row| form_row(row, block, f, years, notice))
            .collect(),
    }
}

fn form_row(
    row: &RowSpec,
    block: &Block,
    f: &ConsortiumFigures,
    years: FormYears,
    notice: &str,
) -> FormRow {
    let mut out = FormRow {
        kind: "heading",
        label: years.fill(&row.label, notice),
        unit: row.unit.clone(),
        note: row.note,
        head: row.heading.clone().unwrap_or_default(),
        cells: Vec::new(),
        texts: Vec::new(),
    };
    if row.heading.is_some() {
        return out;
    }
    let at = data::row_years(row, block, years);
    let single = at.len() == 1 && data::columns(block, years).len() > 1;
    let report = f.consortium.report.as_ref();
    if let Some((cell, _)) = row.text_cell() {
        out.kind = if single { "text" } else { "texts" };
        let cell = data::limited(cell, row);
        out.texts = at
            .iter()
            .map(|&(y, _)| TextView::of(cell, data::text(report, row, years, y), f))
            .collect();
    } else {
        // A value of one year stands in its year's column, the others left blank.
        out.kind = "values";
        out.cells = data::columns(block, years)
            .into_iter()
            .map(|c| at.contains(&c).then(|| value_cell(f, row, c)))
            .collect();
    }
    out
}

/// The cell of a row's figures in one year: one value, or two the form prints as a / b.
fn value_cell(f: &ConsortiumFigures, row: &RowSpec, (year, basis): (i32, Basis)) -> Cell {
    Cell::joined(
        row.keys
            .iter()
            .map(|k| Cell::of(f.series(k.get_ref()), year, basis))
            .collect(),
    )
}
