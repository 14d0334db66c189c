//! Charts and open data of every consortium, made once per build from the figures: the SVG of
//! each indicator series (inline on the pages and as a file of its own), its sparkline, and the
//! indicator values as CSV and JSON. Charts are drawn in parallel; the result is keyed by
//! consortium and indicator, so pages and files share the same bytes.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::charts::{self, Drawing, GroupSeries, Grouped, Spec};
use crate::figures::{ConsortiumFigures, Figures};
use crate::format;
use crate::model::{Audience, Basis, MemberKind, ProgrammeKind};

/// The drawings of one indicator series.
#[derive(Debug)]
pub struct SeriesVisual {
    pub chart: Drawing,
    pub sparkline: String,
    /// What the chart was drawn from, hashed (`charts::fingerprint`).
    drawn_from: u64,
}

/// A grouped chart of figures that are not indicators (members, programmes, training by year),
/// with the table of the same values that sits beside it.
#[derive(Debug, Serialize)]
pub struct GroupedVisual {
    pub title: String,
    pub unit: String,
    pub svg: Drawing,
    /// The years (or other categories) heading the table's columns.
    pub columns: Vec<String>,
    /// One row per series.
    pub rows: Vec<GroupedRow>,
    /// What the chart was drawn from, hashed (`charts::fingerprint`).
    #[serde(skip)]
    drawn_from: u64,
}

/// A series in the table: its name and a cell per column (`—` where there is none).
#[derive(Debug, Serialize)]
pub struct GroupedRow {
    pub name: String,
    pub cells: Vec<String>,
}

impl GroupedVisual {
    pub fn of(g: &Grouped) -> GroupedVisual {
        GroupedVisual::drawn(g, |_| None)
    }

    /// `of`, the SVG taken from `before` when it has one drawn from the same spec.
    fn drawn(g: &Grouped, before: impl Fn(u64) -> Option<Drawing>) -> GroupedVisual {
        let drawn_from = charts::fingerprint(g);
        GroupedVisual {
            drawn_from,
            title: g.title.to_string(),
            unit: g.unit.to_string(),
            svg: before(drawn_from).unwrap_or_else(|| charts::grouped_both(g)),
            columns: g.categories.clone(),
            rows: g
                .series
                .iter()
                .map(|s| GroupedRow {
                    name: s.name.clone(),
                    cells: s
                        .values
                        .iter()
                        .map(|v| v.as_ref().map_or("—".to_string(), |(_, l)| l.clone()))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The grouped charts of one consortium's derived series.
#[derive(Debug, Default, Serialize)]
pub struct DerivedVisuals {
    /// Members by kind at each year's end.
    pub members: Option<GroupedVisual>,
    /// Enrolled students by kind of school at each year's end.
    pub students: Option<GroupedVisual>,
    /// Programmes started each year, by kind.
    pub programmes: Option<GroupedVisual>,
    /// Training sessions, participants and person-days each year, by audience.
    pub training: Vec<GroupedVisual>,
}

/// A consortium's open-data files: name and bytes.
pub type DataFiles = Vec<(&'static str, Vec<u8>)>;

/// Everything drawn or tabulated for the site.
#[derive(Debug, Default)]
pub struct Visuals {
    /// By consortium id, then indicator key.
    pub series: BTreeMap<String, Arc<BTreeMap<String, SeriesVisual>>>,
    /// Members, programmes and training by year, by consortium id.
    pub derived: BTreeMap<String, Arc<DerivedVisuals>>,
    /// The comparison chart of each indicator across consortia, by key.
    pub compare: BTreeMap<String, Drawing>,
    /// What each comparison chart was drawn from, hashed.
    compare_specs: BTreeMap<String, u64>,
    /// `indicators.csv` and `indicators.json` by consortium id.
    pub csv: BTreeMap<String, Arc<Vec<u8>>>,
    pub json: BTreeMap<String, Arc<Vec<u8>>>,
    /// The other open-data files (members, programmes, training) by consortium id.
    pub records: BTreeMap<String, Arc<DataFiles>>,
}

impl Visuals {
    pub fn get(&self, consortium: &str, key: &str) -> Option<&SeriesVisual> {
        self.series.get(consortium)?.get(key)
    }
}

/// The id of a chart's `<title>`/`<desc>` on its pages.
pub fn chart_id(key: &str) -> String {
    format!("chart-{key}")
}

/// The id of a sparkline: unique even on a page that shows several consortia.
pub fn spark_id(consortium: &str, key: &str) -> String {
    format!("spark-{consortium}-{key}")
}

/// A consortium's id, its drawn series, and its CSV and JSON.
type ConsortiumVisuals = (
    String,
    BTreeMap<String, SeriesVisual>,
    Vec<u8>,
    Vec<u8>,
    DerivedVisuals,
    Vec<(&'static str, Vec<u8>)>,
);

/// Draws and tabulates the figures. A consortium for which `kept` says yes takes its part from
/// `previous` instead (its figures did not change since); of the others, a chart drawn from the
/// same spec as before is taken from `previous` too.
pub fn build(
    figures: &Figures,
    previous: Option<&Visuals>,
    kept: &(dyn Fn(&str) -> bool + Sync),
) -> Visuals {
    let (compare, compare_specs) = compare_charts(figures, previous);
    let mut v = Visuals {
        compare,
        compare_specs,
        ..Visuals::default()
    };
    let mut made = Vec::new();
    for f in &figures.consortia {
        let id = &f.consortium.id;
        let part = previous.filter(|_| kept(id)).and_then(|p| {
            Some((
                Arc::clone(p.series.get(id)?),
                Arc::clone(p.derived.get(id)?),
                Arc::clone(p.csv.get(id)?),
                Arc::clone(p.json.get(id)?),
                Arc::clone(p.records.get(id)?),
            ))
        });
        match part {
            Some((series, derived, csv, json, records)) => {
                v.series.insert(id.clone(), series);
                v.derived.insert(id.clone(), derived);
                v.csv.insert(id.clone(), csv);
                v.json.insert(id.clone(), json);
                v.records.insert(id.clone(), records);
            }
            None => made.push(f),
        }
    }
    let per: Vec<ConsortiumVisuals> = made
        .par_iter()
        .map(|f| {
            let id = &f.consortium.id;
            let series_before = previous.and_then(|p| p.series.get(id));
            let drawn: BTreeMap<String, SeriesVisual> = f
                .series
                .par_iter()
                .map(|s| {
                    let chart_id = chart_id(s.key);
                    let spark_id = spark_id(id, s.key);
                    let sp = charts::from_series(s, &chart_id);
                    // The sparkline is the chart's spec under an id made of the consortium and the
                    // key, so the chart's fingerprint stands for both drawings.
                    let drawn_from = charts::fingerprint(&sp);
                    let visual = match series_before
                        .and_then(|b| b.get(s.key))
                        .filter(|b| b.drawn_from == drawn_from)
                    {
                        Some(b) => SeriesVisual {
                            chart: b.chart.clone(),
                            sparkline: b.sparkline.clone(),
                            drawn_from,
                        },
                        None => SeriesVisual {
                            chart: charts::chart_both(&sp),
                            sparkline: charts::sparkline(&Spec {
                                id: &spark_id,
                                ..sp.clone()
                            }),
                            drawn_from,
                        },
                    };
                    (s.key.to_string(), visual)
                })
                .collect();
            let derived_before = previous.and_then(|p| p.derived.get(id)).map(|d| {
                d.members
                    .iter()
                    .chain(&d.students)
                    .chain(&d.programmes)
                    .chain(&d.training)
                    .map(|g| (g.drawn_from, &g.svg))
                    .collect::<std::collections::HashMap<u64, &Drawing>>()
            });
            let before = |h: u64| Some(Drawing::clone(derived_before.as_ref()?.get(&h)?));
            let csv = csv(f);
            let records = records(f, &csv, previous);
            (
                id.clone(),
                drawn,
                csv,
                json(f),
                derived(f, &before),
                records,
            )
        })
        .collect();
    for (id, drawn, csv, json, derived, records) in per {
        v.records.insert(id.clone(), Arc::new(records));
        v.series.insert(id.clone(), Arc::new(drawn));
        v.derived.insert(id.clone(), Arc::new(derived));
        v.csv.insert(id.clone(), Arc::new(csv));
        v.json.insert(id, Arc::new(json));
    }
    v
}

/// How many years the derived charts show (the latest ones).
const DERIVED_YEARS: usize = 5;

/// A grouped chart's series, leaving out those with nothing to show.
fn series_of<T: Copy>(
    names: &[(T, &str)],
    years: &[i32],
    value: impl Fn(T, i32) -> Option<(f64, String)>,
) -> Vec<GroupSeries> {
    names
        .iter()
        .map(|(k, name)| GroupSeries {
            name: name.to_string(),
            values: years.iter().map(|y| value(*k, *y)).collect(),
        })
        .filter(|s| s.values.iter().flatten().any(|(v, _)| *v > 0.0))
        .collect()
}

/// `before` gives the SVG of a chart drawn before from the spec with this fingerprint.
/// The last `DERIVED_YEARS` of these years, in order.
fn last_years(all: Vec<i32>) -> Vec<i32> {
    all[all.len().saturating_sub(DERIVED_YEARS)..].to_vec()
}

/// The years programmes started in, up to the report year: data are as of the report year's end,
/// so a programme due to start later is not a bar of a year the chart would otherwise seem to
/// report.
fn start_years(f: &ConsortiumFigures) -> Vec<i32> {
    let set: std::collections::BTreeSet<i32> = f
        .programmes
        .cells
        .keys()
        .map(|(_, y, _)| *y)
        .filter(|y| *y <= f.report_year)
        .collect();
    last_years(set.into_iter().collect())
}

/// The audiences of training with the labels a chart's legend gives them (the social audience
/// shortened).
fn audiences_short() -> Vec<(Audience, &'static str)> {
    Audience::ALL
        .iter()
        .map(|a| {
            let label = if *a == Audience::Social {
                "农民工、退役军人等"
            } else {
                a.label()
            };
            (*a, label)
        })
        .collect()
}

fn derived(f: &ConsortiumFigures, before: &dyn Fn(u64) -> Option<Drawing>) -> DerivedVisuals {
    let years_of = last_years;
    let labels = |ys: &[i32]| ys.iter().map(|y| format::year(*y)).collect::<Vec<_>>();
    let grouped = |id: &str, title: &str, unit: &str, years: &[i32], series: Vec<GroupSeries>| {
        (!series.is_empty() && !years.is_empty()).then(|| {
            GroupedVisual::drawn(
                &Grouped {
                    id,
                    title,
                    unit,
                    categories: labels(years),
                    series,
                },
                before,
            )
        })
    };
    let member_years = years_of(f.members_by_year.keys().copied().collect());
    let kinds: Vec<(MemberKind, &str)> = MemberKind::ALL.iter().map(|k| (*k, k.label())).collect();
    let members = grouped(
        "chart-members",
        "成员单位数（各年末，按类别）",
        "家",
        &member_years,
        series_of(&kinds, &member_years, |k, y| {
            let n = f.members_by_year[&y].get(k).members;
            Some((f64::from(n), format::count(u64::from(n))))
        }),
    );
    let schools: Vec<(MemberKind, &str)> = kinds
        .iter()
        .copied()
        .filter(|(k, _)| k.is_school())
        .collect();
    let students = grouped(
        "chart-students",
        "在校生数（各年末，按学校类别）",
        "人",
        &member_years,
        series_of(&schools, &member_years, |k, y| {
            // No school of the kind yet, or none that gives its enrolment: no bar, not a 0.
            let n = f.members_by_year[&y].get(k);
            let text = format::students(n)?;
            (n.students_missing < n.members).then_some((n.students as f64, text))
        }),
    );
    let start_years = start_years(f);
    let prog_kinds: Vec<(ProgrammeKind, &str)> =
        ProgrammeKind::ALL.iter().map(|k| (*k, k.label())).collect();
    let programmes = grouped(
        "chart-programmes",
        "各年启动的共建项目（按类别）",
        "项",
        &start_years,
        series_of(&prog_kinds, &start_years, |k, y| {
            let n = f.programmes.started(k, y);
            (n > 0).then(|| (f64::from(n), format::count(u64::from(n))))
        }),
    );
    let training_years = years_of(f.training.years());
    let audience_short = audiences_short();
    let training = [
        ("chart-sessions", "培训期数（各年，按培训对象）", "期", 0),
        (
            "chart-participants",
            "培训人次（各年，按培训对象）",
            "人次",
            1,
        ),
        (
            "chart-person-days",
            "培训人日（各年，按培训对象）",
            "人日",
            2,
        ),
    ]
    .into_iter()
    .filter_map(|(id, title, unit, which)| {
        grouped(
            id,
            title,
            unit,
            &training_years,
            series_of(&audience_short, &training_years, |a, y| {
                let t = f.training.year_audience(y, a);
                // A year without a session for this audience has nothing recorded: no bar, a dash.
                if t.sessions == 0 {
                    return None;
                }
                match which {
                    0 => Some((f64::from(t.sessions), format::count(u64::from(t.sessions)))),
                    1 => Some((t.participants as f64, format::count(t.participants))),
                    _ => Some((t.person_days(), format::person_days(&t))),
                }
            }),
        )
    })
    .collect();
    DerivedVisuals {
        members,
        students,
        programmes,
        training,
    }
}

/// The id of a comparison chart on its page.
pub fn compare_id(key: &str) -> String {
    format!("compare-{key}")
}

/// Bars of one indicator's comparable values, one per consortium that reports it, largest first.
/// A chart whose spec is the one `previous` drew is taken from it. Gives the charts and the hashes
/// of their specs.
fn compare_charts(
    figures: &Figures,
    previous: Option<&Visuals>,
) -> (BTreeMap<String, Drawing>, BTreeMap<String, u64>) {
    let keys: Vec<(&str, &crate::model::IndicatorDef)> = {
        let mut seen: BTreeMap<&str, &crate::model::IndicatorDef> = BTreeMap::new();
        for f in &figures.consortia {
            for s in &f.series {
                seen.entry(s.key).or_insert(s.def);
            }
        }
        seen.into_iter().collect()
    };
    keys.par_iter()
        .filter_map(|(key, def)| {
            let cmp = figures.compare(key)?;
            let id = compare_id(key);
            let title = format!("{}（{}年）", def.name, cmp.year);
            // Horizontal bars, largest first, each consortium's value written at its bar's end:
            // like for like (one year, one unit), readable on a phone.
            let mut entries: Vec<(String, f64, String)> = cmp
                .entries
                .iter()
                .filter_map(|e| {
                    let p = e.point?;
                    let mark = if p.derived() { "※" } else { "" };
                    Some((
                        e.figures.consortium.profile.short_name.clone(),
                        p.value,
                        format!("{}{mark}", format::indicator(p.value, def)),
                    ))
                })
                .collect();
            entries.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let spec = Grouped {
                id: &id,
                title: &title,
                unit: &def.unit,
                categories: entries.iter().map(|e| e.0.clone()).collect(),
                series: vec![GroupSeries {
                    name: format!("{}年实际值", cmp.year),
                    values: entries.iter().map(|e| Some((e.1, e.2.clone()))).collect(),
                }],
            };
            let drawn_from = charts::fingerprint(&spec);
            let before = previous.and_then(|p| {
                (p.compare_specs.get(*key) == Some(&drawn_from))
                    .then(|| p.compare.get(*key).cloned())
                    .flatten()
            });
            let chart = before.unwrap_or_else(|| charts::grouped_both(&spec));
            Some((key.to_string(), (drawn_from, chart)))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(key, (h, chart))| ((key.clone(), chart), (key, h)))
        .unzip()
}

/// One row of the open data: a value of an indicator in a year.
#[derive(Debug, Serialize)]
pub struct DataRow<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub year: i32,
    /// The number, with the indicator's decimals and no grouping.
    pub value: String,
    /// `actual`, `committed` (承诺), or `derived` (据培训台账汇总).
    pub basis: &'static str,
}

pub fn rows<'a>(f: &'a ConsortiumFigures) -> Vec<DataRow<'a>> {
    f.series
        .iter()
        .flat_map(|s| {
            s.points.iter().map(move |p| DataRow {
                key: s.key,
                name: &s.def.name,
                unit: &s.def.unit,
                year: p.year,
                value: format::plain(p.value, s.def.decimals()),
                basis: match (p.basis, p.derived()) {
                    (Basis::Committed, _) => "committed",
                    (Basis::Actual, true) => "derived",
                    (Basis::Actual, false) => "actual",
                },
            })
        })
        .collect()
}

fn csv(f: &ConsortiumFigures) -> Vec<u8> {
    super::opendata::csv_of(&INDICATOR_HEADERS, rows(f))
}

/// One indicator's rows of `indicators.csv`, as a file of its own beside its chart.
pub fn indicator_csv(f: &ConsortiumFigures, key: &str) -> Vec<u8> {
    super::opendata::csv_of(
        &INDICATOR_HEADERS,
        rows(f).into_iter().filter(|r| r.key == key),
    )
}

/// The JSON document: the consortium and its rows, values as numbers.
#[derive(Serialize)]
struct JsonDoc<'a> {
    consortium: &'a str,
    name: &'a str,
    report_year: i32,
    indicators: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    key: &'a str,
    name: &'a str,
    unit: &'a str,
    year: i32,
    value: serde_json::Number,
    basis: &'static str,
}

/// The rows with their values as numbers.
fn number_rows<'a>(f: &'a ConsortiumFigures) -> Vec<JsonRow<'a>> {
    rows(f)
        .into_iter()
        .map(|r| JsonRow {
            key: r.key,
            name: r.name,
            unit: r.unit,
            year: r.year,
            value: r
                .value
                .parse()
                .expect("a finite value prints as a JSON number"),
            basis: r.basis,
        })
        .collect()
}

/// The Chinese headers of `indicators.xlsx`.
const INDICATOR_HEADERS: [(&str, &str); 6] = [
    ("key", "指标键"),
    ("name", "指标"),
    ("unit", "单位"),
    ("year", "年度"),
    ("value", "数值"),
    ("basis", "口径"),
];

/// The open-data files of a consortium beside `indicators.csv` and `.json`: its members,
/// programmes and ledger, and every table as a sheet of one workbook (`data.xlsx`: a workbook a
/// table would cost four times the zip's fixed parts). The workbook is made from the same rows as
/// the CSV files, so when every CSV (`indicators_csv` among them) is the one `previous` made, so is
/// the workbook, and it is taken from there: a save that changes no table draws none.
fn records(
    f: &ConsortiumFigures,
    indicators_csv: &[u8],
    previous: Option<&Visuals>,
) -> Vec<(&'static str, Vec<u8>)> {
    use super::opendata;
    const XLSX: &str = "data.xlsx";
    let mut files = opendata::files(f.consortium);
    let id = f.consortium.id.as_str();
    let unchanged = previous.and_then(|p| {
        let before = p.records.get(id)?;
        let same_csv = p.csv.get(id)?.as_slice() == indicators_csv
            && files
                .iter()
                .filter(|(name, _)| name.ends_with(".csv"))
                .all(|(name, bytes)| before.iter().any(|(n, b)| n == name && b == bytes));
        same_csv.then(|| {
            before
                .iter()
                .find(|(n, _)| *n == XLSX)
                .map(|(_, b)| b.clone())
        })?
    });
    let xlsx = unchanged.unwrap_or_else(|| {
        opendata::workbook(|book| {
            opendata::add_sheet(book, "建设指标", &INDICATOR_HEADERS, &number_rows(f))?;
            opendata::record_sheets(book, f.consortium)
        })
    });
    files.push((XLSX, xlsx));
    files
}

fn json(f: &ConsortiumFigures) -> Vec<u8> {
    let doc = JsonDoc {
        consortium: &f.consortium.id,
        name: &f.consortium.profile.name,
        report_year: f.report_year,
        indicators: number_rows(f),
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("serialising into memory cannot fail");
    out.push(b'\n');
    out
}
