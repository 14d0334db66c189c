//! The annual report of a consortium and year and the recommendation form of that year, which
//! show the same view: in the order and with the rows of the form (湘教通〔2024〕23号 附件3
//! 市域产教联合体推荐书): 1 联合体概况, 2 办学成效和服务能力, 3 特色与创新, 4 建设规划, then the
//! year's programmes, training and announcements. Every number comes from the figures; a value
//! not reported is a cell marked 未填报, never 0, and a committed value (承诺) only ever appears in a
//! column headed as such.

use std::sync::Arc;

use serde::Serialize;

use crate::figures::{ConsortiumFigures, Origin, Series};
use crate::format;
use crate::model::*;
use crate::render::figrefs;
use crate::site::routes::{Filter, Route};
use crate::site::visuals::Visuals;

use super::common::*;
use super::planner::{Output, Planner};

pub mod docx;
pub mod form;

/// What a missing value shows.
pub use crate::format::NOT_REPORTED;

/// The wording every report and form prints the same, in one place for the pages and the Word
/// file: the declaration of no violation, its absence, the ledger legend, and the pledge and the
/// recommendation box with the lines left for the hand.
#[derive(Debug, Serialize)]
pub struct Wording {
    pub declaration: &'static str,
    pub no_declaration: &'static str,
    pub legend: &'static str,
    /// The pledge, then its signature lines.
    pub pledge: [&'static str; 4],
    /// The recommendation box's lines.
    pub opinion: [&'static str; 4],
}

pub const WORDING: Wording = Wording {
    declaration: "产教联合体各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规事件。",
    no_declaration: "未作无违法违规事件的声明。",
    legend: "※ 据培训台账汇总：该数值未在指标表中填报，由培训台账中当年对应培训对象的人日合计得出。",
    pledge: [
        "我承诺：前述所填报数据、内容均真实、准确、有效，并自愿接受有关方面核查。如有弄虚作假或其他违规行为，自愿退出认定，并接受处理。",
        "负责人签字：",
        "公章",
        "年　　月　　日",
    ],
    opinion: [
        "推荐意见：",
        "地方教育行政部门负责人签字：",
        "公章",
        "年　　月　　日",
    ],
};

/// One value cell.
#[derive(Debug, Serialize)]
pub struct Cell {
    /// The value with its decimals (no unit: the row names it), or 未填报.
    pub text: String,
    pub missing: bool,
    /// Summed from the training ledger (据培训台账汇总).
    pub derived: bool,
    /// In a column of committed values (承诺值).
    pub committed: bool,
}

impl Cell {
    fn missing(basis: Basis) -> Cell {
        Cell {
            text: NOT_REPORTED.to_string(),
            missing: true,
            derived: false,
            committed: basis == Basis::Committed,
        }
    }

    /// The value of `s` in `year` on `basis`, or a missing cell.
    fn of(s: Option<&Series>, year: i32, basis: Basis) -> Cell {
        match s.and_then(|s| s.point(year, basis).map(|p| (s, p))) {
            Some((s, p)) => Cell {
                text: format::indicator(p.value, s.def),
                missing: false,
                derived: matches!(p.origin, Origin::Ledger { .. }),
                committed: basis == Basis::Committed,
            },
            None => Cell::missing(basis),
        }
    }

    /// Values the form prints in one cell, `a / b`: missing when all are.
    fn joined(parts: Vec<Cell>) -> Cell {
        Cell {
            text: parts
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            missing: parts.iter().all(|c| c.missing),
            derived: parts.iter().any(|c| c.derived),
            committed: parts.iter().any(|c| c.committed),
        }
    }
}

/// A text cell of the form with its count: the text as printed (figure references replaced by
/// their values), its 字数 and the limit.
#[derive(Debug, Serialize)]
pub struct TextView {
    pub label: &'static str,
    pub text: Option<String>,
    /// The text cut at blank lines.
    pub paragraphs: Vec<String>,
    pub count: usize,
    pub limit: usize,
}

impl TextView {
    fn of(cell: TextCell, text: Option<&toml::Spanned<String>>, f: &ConsortiumFigures) -> TextView {
        let text = text
            .map(|t| figrefs::resolve_plain(t.get_ref(), f).0)
            .filter(|t| !t.trim().is_empty());
        TextView {
            label: cell.label,
            paragraphs: text.as_deref().map_or(Vec::new(), |t| {
                t.split("\n\n")
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect()
            }),
            count: text.as_deref().map_or(0, form_chars),
            limit: cell.limit,
            text,
        }
    }
}

/// A column of a table of values: its year and whether it holds committed values.
#[derive(Debug, Serialize)]
pub struct Column {
    pub year: i32,
    pub committed: bool,
    pub label: String,
}

/// A row of the form: an indicator with its values in the table's columns, a composite row
/// (成果转化率（%）/到账经费（万元）), or a text cell.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    pub key: &'a str,
    pub label: String,
    pub unit: &'a str,
    pub cells: Vec<Cell>,
    /// A text cell instead of values: the cell of each column's year.
    pub texts: Vec<TextView>,
}

#[derive(Debug, Serialize)]
pub struct Section<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub rows: Vec<Row<'a>>,
}

/// Members of one kind as of 31 December of the year.
#[derive(Debug, Serialize)]
pub struct KindLine<'a> {
    pub label: &'static str,
    pub school: bool,
    pub count: String,
    /// Schools only: the kind's enrolment (see `format::students`).
    pub students: Option<String>,
    pub names: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ReportView<'a> {
    pub year: i32,
    pub prev: i32,
    pub overview: Box<ConsortiumView<'a>>,
    pub leader: Option<&'a Person>,
    pub secretariat_head: Option<&'a str>,
    pub secretariat_staff: Vec<&'a str>,
    pub recommended_by: &'a str,
    pub filled: Option<DateView>,
    pub pledge_signer: Option<&'a str>,
    pub pledge_date: Option<DateView>,
    /// 31 December of the year.
    pub cutoff: DateView,
    pub members: Vec<KindLine<'a>>,
    pub members_total: String,
    /// The enrolment of all schools, `None` when there is no school.
    pub students_total: Option<String>,
    /// Funds and park output: the previous year and the year (actual), then committed years.
    pub overview_columns: Vec<Column>,
    pub overview_rows: Vec<Row<'a>>,
    pub park_industries: TextView,
    pub local_policy: TextView,
    /// Part 2: the previous year and the year, both actual.
    pub columns: Vec<Column>,
    pub sections: Vec<Section<'a>>,
    pub features: TextView,
    /// The declaration of no violation (the form's negative item): `yes`, `no`, or empty when
    /// `report.toml` does not say.
    pub no_violation: &'static str,
    pub plan: TextView,
    /// Values committed for the years after the report year, by indicator.
    pub commitment_columns: Vec<Column>,
    pub commitments: Vec<Row<'a>>,
    pub programmes: Vec<ProgrammeEntry<'a>>,
    pub training: Vec<AudienceTotals>,
    pub training_total: TotalsView,
    /// The year's newest announcements (at most [`LATEST`]); the rest are in its archive.
    pub announcements: Vec<Arc<AnnouncementEntry<'a>>>,
    /// How many announcements the year has, and its archive, when it has any.
    pub announcements_total: String,
    pub announcements_url: Option<String>,
    pub data: OpenDataLinks,
    /// The forms of the frameworks the consortium reports under whose data year this is.
    pub forms: Vec<FormLink>,
    /// On a form: its framework.
    pub framework: Option<super::assessment::FrameworkRef<'a>>,
    pub years: Vec<YearLink>,
    pub wording: &'static Wording,
}

/// A link to a form from the report of its data year.
#[derive(Debug, Serialize)]
pub struct FormLink {
    pub year: i32,
    pub name: String,
    pub url: String,
}

/// Links to the open data of a consortium.
#[derive(Debug, Serialize)]
pub struct OpenDataLinks {
    pub files: Vec<DataFile>,
}

#[derive(Debug, Serialize)]
pub struct DataFile {
    pub name: &'static str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct AudienceTotals {
    pub audience: &'static str,
    pub totals: TotalsView,
}

impl OpenDataLinks {
    pub fn of(id: &str) -> OpenDataLinks {
        OpenDataLinks {
            files: OPEN_DATA
                .iter()
                .map(|f| DataFile {
                    name: f,
                    url: Route::Data(id, f).url(),
                })
                .collect(),
        }
    }
}

/// The open-data files of every consortium, beside the indicator files.
pub const OPEN_DATA: [&str; 9] = [
    "data.xlsx",
    "indicators.csv",
    "indicators.json",
    "members.csv",
    "members.json",
    "programmes.csv",
    "programmes.json",
    "training.csv",
    "training.json",
];

#[derive(Debug, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
    pub current: bool,
}

/// The groups of the form's part 2, in its order.
const PART2: [&str; 5] = ["resources", "teachers", "talent", "service", "enterprises"];

/// The years a consortium has a report for: every year from its founding (or its first actual
/// value, when that is earlier) to the report year, with 未填报 where nothing was entered.
pub fn report_years(f: &ConsortiumFigures) -> Vec<i32> {
    let founded = f.consortium.founded().map(|d| d.get_ref().year());
    let first = f
        .series
        .iter()
        .flat_map(|s| s.actual().map(|p| p.year))
        .chain(founded)
        .min();
    match first {
        Some(first) => (first.max(f.report_year - 50)..=f.report_year).collect(),
        None => Vec::new(),
    }
}

pub fn report_view<'a>(
    catalogue: &'a Catalogue,
    f: &ConsortiumFigures<'a>,
    visuals: &'a Visuals,
    year: i32,
    entries: &Entries<'a>,
) -> ReportView<'a> {
    let c = f.consortium;
    let report = c.report.as_ref();
    let prev = year - 1;
    let t = Table::of(f);
    // Part 1: funds and park output, members as of 31 December of the year.
    let mut overview_columns = vec![actual(prev), actual(year)];
    overview_columns.extend(t.committed_years.iter().map(|&y| committed(y)));
    let cutoff = Date::year_end(year).expect("a report year is within 50 years of the report year");
    // Before the founding the form counts the members that are to form it (拟组成, 说明三).
    let founded_later = c.founded().is_some_and(|d| *d.get_ref() > cutoff);
    let members = if founded_later {
        Members::of(c, Date(chrono::NaiveDate::MAX))
    } else {
        Members::of(c, cutoff)
    };
    // Part 2: the form's rows, with the year's text cells where the form puts them.
    let columns = vec![actual(prev), actual(year)];
    let sections = part2(catalogue, &t, report, (prev, year), &columns);
    let commitment_columns: Vec<Column> = t.committed_years.iter().map(|&y| committed(y)).collect();
    let commitments: Vec<Row> = catalogue
        .indicators
        .iter()
        .filter(|(k, _)| f.series(k).is_some_and(|s| s.committed().next().is_some()))
        .map(|(k, d)| t.row(k, d, &commitment_columns))
        .collect();
    let period = f.period(
        Date::year_start(year).expect("a report year is within 50 years of the report year"),
        cutoff,
    );
    // Newest first, as `c.announcements` is sorted.
    let of_year = || {
        c.announcements
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.meta.date.get_ref().year() == year)
    };
    let text = |i: usize| TextView::of(Report::CELLS[i], report.and_then(|r| r.texts()[i]), f);
    ReportView {
        year,
        prev,
        overview: Box::new(consortium_view(f, visuals, Vec::new())),
        leader: report.and_then(|r| r.leader.as_ref()),
        secretariat_head: report
            .and_then(|r| r.secretariat.as_ref())
            .and_then(|s| s.head.as_deref()),
        secretariat_staff: report
            .and_then(|r| r.secretariat.as_ref())
            .map(|s| s.names().iter().map(String::as_str).collect())
            .unwrap_or_default(),
        recommended_by: report.map_or("", |r| r.recommended_by.as_str()),
        filled: report
            .and_then(|r| r.filled.as_ref())
            .map(|d| DateView::of(d.get_ref())),
        pledge_signer: report
            .and_then(|r| r.pledge.as_ref())
            .map(|p| p.signer.as_str()),
        pledge_date: report
            .and_then(|r| r.pledge.as_ref())
            .map(|p| DateView::of(p.date.get_ref())),
        cutoff: DateView::of(&cutoff),
        members: members.lines,
        members_total: members.total,
        students_total: members.students,
        overview_rows: overview_rows(catalogue, &t, &overview_columns),
        overview_columns,
        park_industries: text(0),
        local_policy: text(1),
        columns,
        sections,
        features: text(2),
        no_violation: match report.and_then(|r| r.no_violation.as_ref()) {
            Some(b) if *b.get_ref() => "yes",
            Some(_) => "no",
            None => "",
        },
        plan: text(3),
        commitment_columns,
        commitments,
        programmes: period
            .started
            .iter()
            .map(|p| programme_entry(c, p))
            .collect(),
        training: AudienceTotals::of(&period),
        training_total: TotalsView::of(&period.training_total()),
        announcements: of_year()
            .take(LATEST)
            .map(|(i, _)| entries.get(i).clone())
            .collect(),
        announcements_total: format::count(of_year().count() as u64),
        announcements_url: of_year()
            .next()
            .map(|_| Route::Announcements(list_of(c, Filter::Year(year)), 1).url()),
        data: OpenDataLinks::of(&c.id),
        forms: Vec::new(),
        framework: None,
        years: YearLink::all(f, year),
        wording: &WORDING,
    }
}

impl AudienceTotals {
    /// The training of a period by audience.
    fn of(period: &crate::figures::Period) -> Vec<AudienceTotals> {
        period
            .training
            .iter()
            .map(|(a, t)| AudienceTotals {
                audience: a.label(),
                totals: TotalsView::of(t),
            })
            .collect()
    }
}

impl YearLink {
    /// A link to the report of every year with actual values, `current` marked.
    fn all(f: &ConsortiumFigures, current: i32) -> Vec<YearLink> {
        report_years(f)
            .into_iter()
            .map(|y| YearLink {
                year: y,
                url: Route::Report(&f.consortium.id, y).url(),
                current: y == current,
            })
            .collect()
    }
}

/// The rows of the overview group (funds and park output) in `cols`.
fn overview_rows<'a>(catalogue: &'a Catalogue, t: &Table<'_, 'a>, cols: &[Column]) -> Vec<Row<'a>> {
    let rows = catalogue.indicators.iter();
    let rows = rows.filter(|(_, d)| d.group == "overview");
    rows.map(|(k, d)| t.row(k, d, cols)).collect()
}

/// A column of actual values of year `y`.
fn actual(y: i32) -> Column {
    Column {
        year: y,
        committed: false,
        label: format!("{y}年"),
    }
}

/// A column of committed values of year `y`.
fn committed(y: i32) -> Column {
    Column {
        year: y,
        committed: true,
        label: format!("{y}年（承诺值）"),
    }
}

/// The value rows of a consortium's tables.
struct Table<'f, 'a> {
    f: &'f ConsortiumFigures<'a>,
    /// The years after the report year that any indicator has a commitment for.
    committed_years: Vec<i32>,
}

impl<'f, 'a> Table<'f, 'a> {
    fn of(f: &'f ConsortiumFigures<'a>) -> Self {
        let mut ys: Vec<i32> = f
            .series
            .iter()
            .flat_map(|s| s.committed().map(|p| p.year))
            .filter(|&y| y > f.report_year)
            .collect();
        ys.sort_unstable();
        ys.dedup();
        Table {
            f,
            committed_years: ys,
        }
    }

    /// The row of indicator `key`, a cell a column: a value, or 未填报.
    fn row(&self, key: &'a str, def: &'a IndicatorDef, cols: &[Column]) -> Row<'a> {
        Row {
            key,
            label: def.name.clone(),
            unit: &def.unit,
            cells: cols
                .iter()
                .map(|col| {
                    let basis = if col.committed {
                        Basis::Committed
                    } else {
                        Basis::Actual
                    };
                    Cell::of(self.f.series(key), col.year, basis)
                })
                .collect(),
            texts: Vec::new(),
        }
    }
}

/// The members as of a day: by kind with their names, in all, and their students.
struct Members<'a> {
    lines: Vec<KindLine<'a>>,
    total: String,
    students: Option<String>,
}

impl<'a> Members<'a> {
    fn of(c: &'a Consortium, cutoff: Date) -> Self {
        let in_year = |m: &&Member| m.joined.as_ref().is_none_or(|j| *j.get_ref() <= cutoff);
        let students = |list: &[&Member]| {
            let mut k = crate::figures::KindCount::default();
            list.iter()
                .filter(|m| m.kind.is_school())
                .for_each(|m| k.add(m));
            format::students(k)
        };
        let lines = MemberKind::ALL
            .iter()
            .map(|&kind| {
                let list: Vec<&Member> = c
                    .members
                    .list
                    .iter()
                    .filter(|m| m.kind == kind)
                    .filter(in_year)
                    .collect();
                KindLine {
                    label: kind.label(),
                    school: kind.is_school(),
                    count: format::count(list.len() as u64),
                    students: students(&list),
                    names: list.iter().map(|m| m.name.as_str()).collect(),
                }
            })
            .collect();
        let all: Vec<&Member> = c.members.list.iter().filter(in_year).collect();
        Members {
            lines,
            total: format::count(all.len() as u64),
            students: students(&all),
        }
    }
}

/// Part 2 of the form: its groups' rows for `columns`, with the text cells of the two years
/// where the form puts them.
fn part2<'a>(
    catalogue: &'a Catalogue,
    t: &Table<'_, 'a>,
    report: Option<&'a Report>,
    (prev, year): (i32, i32),
    columns: &[Column],
) -> Vec<Section<'a>> {
    let cells_of = |y: i32| {
        report.and_then(|r| {
            r.year
                .iter()
                .find(|(k, _)| k.get_ref() == &y.to_string())
                .map(|(_, v)| v)
        })
    };
    let text_row = |pick: usize| -> Row<'a> {
        let texts: Vec<TextView> = [prev, year]
            .iter()
            .map(|&y| {
                let text = cells_of(y).and_then(|cells| cells.texts()[pick]);
                TextView::of(YearCells::CELLS[pick], text, t.f)
            })
            .collect();
        Row {
            key: "",
            label: texts[0].label.to_string(),
            unit: "",
            cells: Vec::new(),
            texts,
        }
    };
    let section = |(gk, g): &'a (String, GroupDef)| {
        let mut rows: Vec<Row> = Vec::new();
        let mut defs = catalogue
            .indicators
            .iter()
            .filter(|(_, d)| &d.group == gk)
            .peekable();
        while let Some((k, d)) = defs.next() {
            // The form prints the conversion rate and the income in one row.
            if k == "rd_conversion_rate" {
                if let Some((k2, d2)) = defs.next_if(|(k2, _)| k2 == "rd_income") {
                    rows.push(joined_row(k, t.row(k, d, columns), t.row(k2, d2, columns)));
                    continue;
                }
            }
            rows.push(t.row(k, d, columns));
            match k.as_str() {
                "teacher_enterprise_practice" => rows.push(text_row(0)),
                "talent_demand_reports" => {
                    rows.push(text_row(1));
                    rows.push(text_row(2));
                }
                "employment_rate" => rows.push(text_row(3)),
                _ => {}
            }
        }
        Section {
            key: gk,
            name: &g.name,
            rows,
        }
    };
    PART2
        .iter()
        .filter_map(|g| catalogue.groups.iter().find(|(k, _)| k == g))
        .map(section)
        .collect()
}

/// The research conversion rate and its income in the one row the form prints them in.
fn joined_row<'a>(key: &'a str, a: Row<'a>, b: Row<'a>) -> Row<'a> {
    Row {
        key,
        label: "校企合作开展技术研发的成果转化率（%）/到账经费（万元）".to_string(),
        unit: "",
        cells: a
            .cells
            .into_iter()
            .zip(b.cells)
            .map(|(x, y)| Cell::joined(vec![x, y]))
            .collect(),
        texts: Vec::new(),
    }
}

/// The annual report of every year, and the form of each framework with a form: the form of
/// application year Y shows the view of year Y-1 (its members at the end of Y-1, its part 2
/// with Y-2 and Y-1), with the funds of Y-1 as they stand and those of Y and Y+1 as committed
/// (湘教通〔2024〕23号 附件3, 说明三).
pub fn plan<'a>(
    p: &Planner<'_, 'a>,
    f: &ConsortiumFigures<'a>,
    entries: &Entries<'a>,
) -> Vec<Output<'a>> {
    let c = f.consortium;
    let (id, name) = (c.id.as_str(), &c.profile.short_name);
    let site = p.input.site;
    let catalogue = &site.catalogue;
    let forms: Vec<&'a crate::model::framework::Framework> = site
        .frameworks
        .of(c)
        .filter(|fw| fw.form_year().is_some())
        .collect();
    let mut out = Vec::new();
    for year in report_years(f) {
        let mut view = report_view(catalogue, f, p.input.visuals, year, entries);
        view.forms = forms
            .iter()
            .filter_map(|fw| fw.form_year().map(|y| (fw, y)))
            .filter(|(_, y)| y - 1 == year)
            .map(|(fw, y)| FormLink {
                year: y,
                name: fw.meta.name.clone(),
                url: Route::ReportForm(id, y).url(),
            })
            .collect();
        let title = format!("{year}年度报告 · {name}");
        out.push(p.page(Route::Report(id, year), title, Some(c), view));
    }
    for fw in forms {
        let (Some(y), Some(layout)) = (fw.form_year(), fw.form.as_ref()) else {
            continue;
        };
        let mut view = report_view(catalogue, f, p.input.visuals, y - 1, entries);
        view.framework = Some(super::assessment::FrameworkRef::of(c, fw));
        let view = form::view(view, f, fw, layout, y);
        if let Some(bytes) = docx::form(&view) {
            out.push(Output::File {
                route: Route::FormDocx(id, y),
                bytes: super::planner::Bytes::Owned(bytes),
            });
        }
        let title = format!("{y}年{} · {name}", layout.title);
        out.push(p.page(Route::ReportForm(id, y), title, Some(c), view));
    }
    out
}
