//! Charts and open data of every consortium, made once per build from the figures: the SVG of
//! each indicator series (inline on the pages and as a file of its own), its sparkline, and the
//! indicator values as CSV and JSON. Charts are drawn in parallel; the result is keyed by
//! consortium and indicator, so pages and files share the same bytes.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::charts::{self, Datum, Mark, Shape, Spec};
use crate::figures::{ConsortiumFigures, Figures, Origin, Series};
use crate::format;
use crate::model::{Basis, ValueKind};

/// The drawings of one indicator series.
#[derive(Debug)]
pub struct SeriesVisual {
    pub chart: String,
    pub sparkline: String,
}

/// Everything drawn or tabulated for the site.
#[derive(Debug, Default)]
pub struct Visuals {
    /// By consortium id, then indicator key.
    pub series: BTreeMap<String, BTreeMap<String, SeriesVisual>>,
    /// The comparison chart of each indicator across consortia, by key.
    pub compare: BTreeMap<String, String>,
    /// `indicators.csv` and `indicators.json` by consortium id.
    pub csv: BTreeMap<String, Vec<u8>>,
    pub json: BTreeMap<String, Vec<u8>>,
}

impl Visuals {
    pub fn get(&self, consortium: &str, key: &str) -> Option<&SeriesVisual> {
        self.series.get(consortium)?.get(key)
    }
}

/// The chart spec of a series: bars for counts and amounts, a line for percentages.
pub fn spec<'a>(s: &'a Series, id: &'a str) -> Spec<'a> {
    Spec {
        id,
        title: &s.def.name,
        unit: &s.def.unit,
        shape: match s.def.kind {
            ValueKind::Percent => Shape::Line,
            ValueKind::Count | ValueKind::Amount => Shape::Bar,
        },
        data: s
            .points
            .iter()
            .map(|p| Datum {
                category: format::year(p.year),
                value: p.value,
                label: format::indicator(p.value, s.def),
                mark: match (p.basis, &p.origin) {
                    (Basis::Committed, _) => Mark::Committed,
                    (Basis::Actual, Origin::Ledger { .. }) => Mark::Derived,
                    (Basis::Actual, Origin::Reported(_)) => Mark::Actual,
                },
            })
            .collect(),
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
type ConsortiumVisuals = (String, BTreeMap<String, SeriesVisual>, Vec<u8>, Vec<u8>);

pub fn build(figures: &Figures) -> Visuals {
    let per: Vec<ConsortiumVisuals> = figures
        .consortia
        .par_iter()
        .map(|f| {
            let drawn: BTreeMap<String, SeriesVisual> = f
                .series
                .par_iter()
                .map(|s| {
                    let id = chart_id(s.key);
                    let spark_id = spark_id(&f.consortium.id, s.key);
                    let sp = spec(s, &id);
                    let visual = SeriesVisual {
                        chart: charts::chart(&sp),
                        sparkline: charts::sparkline(&Spec {
                            id: &spark_id,
                            ..sp.clone()
                        }),
                    };
                    (s.key.to_string(), visual)
                })
                .collect();
            (f.consortium.id.clone(), drawn, csv(f), json(f))
        })
        .collect();
    let mut v = Visuals {
        compare: compare_charts(figures),
        ..Visuals::default()
    };
    for (id, drawn, csv, json) in per {
        v.series.insert(id.clone(), drawn);
        v.csv.insert(id.clone(), csv);
        v.json.insert(id, json);
    }
    v
}

/// The id of a comparison chart on its page.
pub fn compare_id(key: &str) -> String {
    format!("compare-{key}")
}

/// Bars of one indicator's comparable values, one per consortium that reports it, largest first.
fn compare_charts(figures: &Figures) -> BTreeMap<String, String> {
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
            let spec = Spec {
                id: &id,
                title: &title,
                unit: &def.unit,
                shape: Shape::Bar,
                data: cmp
                    .entries
                    .iter()
                    .filter_map(|e| {
                        let p = e.point?;
                        Some(Datum {
                            category: e.figures.consortium.profile.short_name.clone(),
                            value: p.value,
                            label: format::indicator(p.value, def),
                            mark: if p.derived() {
                                Mark::Derived
                            } else {
                                Mark::Actual
                            },
                        })
                    })
                    .collect(),
            };
            Some((key.to_string(), charts::chart(&spec)))
        })
        .collect()
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
                value: format!("{:.*}", s.def.decimals(), p.value),
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
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows(f) {
        w.serialize(&r)
            .expect("writing CSV into memory cannot fail");
    }
    w.into_inner().expect("writing CSV into memory cannot fail")
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

fn json(f: &ConsortiumFigures) -> Vec<u8> {
    let doc = JsonDoc {
        consortium: &f.consortium.id,
        name: &f.consortium.profile.name,
        report_year: f.report_year,
        indicators: rows(f)
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
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("serialising into memory cannot fail");
    out.push(b'\n');
    out
}
