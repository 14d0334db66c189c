//! One consortium's recommendation form of one application year: where each row of the form's
//! layout takes its values and texts from, and which cells are still empty. The form page and
//! the completeness check (`form-cells-empty`, `staff-names-count`) both read it from here.

use toml::Spanned;

use super::{ConsortiumFigures, Point, Series};
use crate::model::form::{At, Block, Columns, FormLayout, FormYears, RowSpec};
use crate::model::{Basis, Report, TextCell};

/// The year columns of `block` on the form of `years`: part 2 shows the two years before the
/// application year as they stand, the funds block the year before as it stands and the
/// application year and the next as committed.
pub fn columns(block: &Block, years: FormYears) -> Vec<(i32, Basis)> {
    let y = years.year;
    match block.columns {
        Columns::Data => vec![(y - 2, Basis::Actual), (y - 1, Basis::Actual)],
        Columns::Form => vec![
            (y - 1, Basis::Actual),
            (y, Basis::Committed),
            (y + 1, Basis::Committed),
        ],
    }
}

/// The years a row of values or texts has cells for: its block's columns, or its one year.
pub fn row_years(row: &RowSpec, block: &Block, years: FormYears) -> Vec<(i32, Basis)> {
    match row.at {
        Some(At::DataYear) => vec![(years.data_year(), Basis::Actual)],
        Some(At::Year) => vec![(years.year, Basis::Committed)],
        // A text of the whole form has one cell, the form's own.
        None if row.text_cell().is_some_and(|(_, whole)| whole) => {
            vec![(years.year, Basis::Actual)]
        }
        None => columns(block, years),
    }
}

/// The figures a framework's form commits, with their years: what the consortium promised
/// when it filed the form.
pub fn commitments(fw: &crate::model::framework::Framework) -> Vec<(&str, i32)> {
    let (Some(layout), Some(year)) = (&fw.form, fw.form_year()) else {
        return Vec::new();
    };
    let years = FormYears { year };
    let mut out = Vec::new();
    for block in layout.blocks() {
        for row in block.rows.iter().filter(|r| r.text.is_none()) {
            for (y, basis) in row_years(row, block, years) {
                if basis == Basis::Committed {
                    out.extend(row.keys.iter().map(|k| (k.get_ref().as_str(), y)));
                }
            }
        }
    }
    out
}

/// The values of `row`'s figures in one year: one per key, `None` where nothing was entered.
pub fn values<'f, 'a>(
    f: &'f ConsortiumFigures<'a>,
    row: &RowSpec,
    (year, basis): (i32, Basis),
) -> Vec<Option<(&'f Series<'a>, &'f Point<'a>)>> {
    row.keys
        .iter()
        .map(|k| {
            f.series(k.get_ref())
                .and_then(|s| s.point(year, basis).map(|p| (s, p)))
        })
        .collect()
}

/// The text of a text row in one year: a whole-form cell from `[form.<year>]`, else the top of
/// `report.toml`; a year's cell from `[year.<year>]`.
pub fn text<'r>(
    report: Option<&'r Report>,
    row: &RowSpec,
    years: FormYears,
    year: i32,
) -> Option<&'r Spanned<String>> {
    let (cell, whole) = row.text_cell()?;
    let report = report?;
    if whole {
        let i = Report::CELLS.iter().position(|c| c.key == cell.key)?;
        whole_text(report, years, i)
    } else {
        let i = crate::model::YearCells::CELLS
            .iter()
            .position(|c| c.key == cell.key)?;
        report.year_of(year)?.texts()[i]
    }
}

/// The text cell with the limit the form gives it, where it gives one.
pub fn limited(cell: TextCell, row: &RowSpec) -> TextCell {
    TextCell {
        limit: row.limit.unwrap_or(cell.limit),
        ..cell
    }
}

/// Whole-form cell `i` of [`Report::CELLS`] on the form of `years`: as filed in
/// `[form.<year>]`, else as at the top of `report.toml`.
pub fn whole_text(report: &Report, years: FormYears, i: usize) -> Option<&Spanned<String>> {
    report
        .form_of(years.year)
        .and_then(|f| f.texts()[i])
        .or(report.texts()[i])
        .filter(|t| !t.get_ref().trim().is_empty())
}

/// What the form of `years` still lacks: the labels of its empty cells, in the form's order.
pub fn gaps(layout: &FormLayout, f: &ConsortiumFigures, years: FormYears) -> Gaps {
    let c = f.consortium;
    let report = c.report.as_ref();
    let mut empty: Vec<String> = Vec::new();
    let mut need = |label: &str, missing: bool| {
        if missing {
            empty.push(label.to_string());
        }
    };
    let y = years.year;
    need(
        "推荐市州",
        report.and_then(|r| r.recommended_by_for(y)).is_none(),
    );
    need("依托园区", c.profile.park.is_none());
    need("填表日期", report.and_then(|r| r.filled_for(y)).is_none());
    let leader = report.and_then(|r| r.leader.as_ref());
    need("联合体负责人", leader.is_none());
    need(
        "职务及联系方式",
        leader.is_none_or(|l| l.post.trim().is_empty() || l.contact.trim().is_empty()),
    );
    let sec = c.profile.secretariat.as_ref();
    let staff = report.and_then(|r| r.secretariat.as_ref());
    need("秘书处所在单位", sec.is_none_or(|s| s.host.is_none()));
    need("秘书处负责人", staff.is_none_or(|s| s.head.is_none()));
    need("固定办公面积", sec.is_none_or(|s| s.office_area.is_none()));
    need("联系电话", sec.is_none_or(|s| s.phone.is_none()));
    need("专职人数", sec.is_none_or(|s| s.full_time_staff.is_none()));
    need("兼职人数", sec.is_none_or(|s| s.part_time_staff.is_none()));
    let names = staff.map_or(0, |s| s.names().len());
    need("人员姓名", names == 0);
    for block in layout.blocks() {
        for row in &block.rows {
            let mut label = years.fill(&row.label, "");
            if !row.unit.is_empty() {
                label = format!("{label}（{}）", row.unit);
            }
            let missing: Vec<i32> = row_years(row, block, years)
                .into_iter()
                .filter(|&(y, b)| {
                    if row.text.is_some() {
                        text(report, row, years, y).is_none()
                    } else {
                        values(f, row, (y, b)).iter().all(Option::is_none)
                    }
                })
                .map(|(y, _)| y)
                .collect();
            if row.heading.is_some() || missing.is_empty() {
                continue;
            }
            if row.at.is_some() || row.text_cell().is_some_and(|(_, whole)| whole) {
                empty.push(label);
            } else {
                let ys: Vec<String> = missing.iter().map(|y| format!("{y}年")).collect();
                empty.push(format!("{label}（{}）", ys.join("、")));
            }
        }
    }
    for (i, label) in [(2, "特色与创新"), (3, "建设规划")] {
        let missing = report.is_none_or(|r| whole_text(r, years, i).is_none());
        if missing {
            empty.push(label.to_string());
        }
    }
    if report.and_then(|r| r.no_violation_for(y)).is_none() {
        empty.push("无违法违规事件的声明".to_string());
    }
    let counted = sec.and_then(|s| Some(s.full_time_staff? + s.part_time_staff?));
    Gaps {
        empty,
        staff: counted
            .filter(|&n| names > 0 && names != n as usize)
            .map(|n| (names, n)),
    }
}

/// The empty cells of one form, and a 人员姓名 list whose length is not 人员总数.
#[derive(Debug, Default)]
pub struct Gaps {
    pub empty: Vec<String>,
    /// (names listed, 人员总数) when they differ.
    pub staff: Option<(usize, u32)>,
}
