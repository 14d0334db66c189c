//! The construction indicators of a consortium (建设指标): the overview by group, a page for each
//! indicator with its series and chart, the charts as SVG files, and the open data (CSV, JSON)
//! they are drawn from.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::charts;
use crate::figures::{ConsortiumFigures, Origin, Series};
use crate::format;
use crate::model::*;
use crate::site::routes::Route;
use crate::site::visuals::Visuals;

use super::common::*;
use super::planner::{Bytes, Output, Planner};

/// How many years of actual values the indicator tables show (committed years are all shown).
pub const TABLE_YEARS: usize = 5;

/// One value of a series, for the vertical table beside its chart.
#[derive(Debug, Serialize)]
pub struct SeriesRow {
    pub year: i32,
    pub value: String,
    /// The value without its unit, where the unit stands in a heading (未填报 when missing).
    pub number: String,
    /// 实际值, 承诺值 or 据培训台账汇总.
    pub basis: &'static str,
    pub committed: bool,
    pub derived: bool,
    /// A year between two reported years that has no value: 未填报, never left out silently.
    pub missing: bool,
}

/// The values of a series by year, with a 未填报 row for each year missing between its first and
/// last actual value.
pub fn series_rows(s: &Series) -> Vec<SeriesRow> {
    let mut out = Vec::with_capacity(s.points.len());
    let mut last_actual: Option<i32> = None;
    for p in &s.points {
        if p.basis == Basis::Actual {
            for year in last_actual.map_or(p.year, |y| y + 1)..p.year {
                out.push(SeriesRow {
                    year,
                    value: format::NOT_REPORTED.to_string(),
                    number: format::NOT_REPORTED.to_string(),
                    basis: "",
                    committed: false,
                    derived: false,
                    missing: true,
                });
            }
            last_actual = Some(p.year);
        }
        out.push(series_row(s, p));
    }
    out
}

fn series_row(s: &Series, p: &crate::figures::Point) -> SeriesRow {
    let committed = p.basis == Basis::Committed;
    let derived = matches!(p.origin, Origin::Ledger { .. });
    SeriesRow {
        year: p.year,
        value: format::indicator_with_unit(p.value, s.def),
        number: format::indicator(p.value, s.def),
        basis: if committed {
            "承诺值"
        } else if derived {
            "据培训台账汇总"
        } else {
            "实际值"
        },
        committed,
        derived,
        missing: false,
    }
}

/// One indicator on the dashboard: its chart, latest value, change and values.
#[derive(Debug, Serialize)]
pub struct IndicatorCard<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub url: String,
    /// The chart as inline SVG, for each version of the page.
    pub chart: Option<&'a crate::charts::Drawing>,
    /// The chart as a file of its own.
    pub chart_file: String,
    /// The consortium's indicator values as CSV.
    pub csv: String,
    pub latest: Option<HeadlineView<'a>>,
    pub rows: Vec<SeriesRow>,
}

pub fn indicator_card<'a>(
    f: &ConsortiumFigures<'a>,
    s: &Series<'a>,
    visuals: &'a Visuals,
) -> IndicatorCard<'a> {
    let id = f.consortium.id.as_str();
    IndicatorCard {
        key: s.key,
        name: &s.def.name,
        unit: &s.def.unit,
        url: Route::Indicator(id, s.key).url(),
        chart: visuals.get(id, s.key).map(|v| &v.chart),
        chart_file: Route::Chart(id, s.key).url(),
        csv: Route::IndicatorData(id, s.key).url(),
        latest: headline(f, s, visuals),
        rows: series_rows(s),
    }
}

#[derive(Debug, Serialize)]
pub struct IndicatorGroup<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub cards: Vec<IndicatorCard<'a>>,
}

/// Links to a consortium's open data.
#[derive(Debug, Serialize)]
pub struct DataLinks {
    pub csv: String,
    pub json: String,
    pub xlsx: String,
}

impl DataLinks {
    pub fn of(consortium: &str) -> DataLinks {
        DataLinks {
            csv: Route::Data(consortium, "indicators.csv").url(),
            json: Route::Data(consortium, "indicators.json").url(),
            xlsx: Route::Data(consortium, "data.xlsx").url(),
        }
    }
}

/// The dashboard: every indicator with data, grouped as in the catalogue.
#[derive(Debug, Serialize)]
pub struct IndicatorsView<'a> {
    pub groups: Vec<IndicatorGroup<'a>>,
    /// Whether any shown value is derived from the ledger (the page then explains the mark).
    pub any_derived: bool,
    pub data: DataLinks,
}

pub fn indicators_view<'a>(
    catalogue: &'a Catalogue,
    f: &ConsortiumFigures<'a>,
    visuals: &'a Visuals,
) -> IndicatorsView<'a> {
    let mut by_group: BTreeMap<&str, Vec<IndicatorCard>> = BTreeMap::new();
    for s in &f.series {
        by_group
            .entry(&s.def.group)
            .or_default()
            .push(indicator_card(f, s, visuals));
    }
    let groups = catalogue
        .groups
        .iter()
        .filter_map(|(gk, g)| {
            by_group.remove(gk.as_str()).map(|cards| IndicatorGroup {
                key: gk,
                name: &g.name,
                cards,
            })
        })
        .collect();
    IndicatorsView {
        groups,
        any_derived: f
            .series
            .iter()
            .any(|s| s.points.iter().any(|p| p.derived())),
        data: DataLinks::of(&f.consortium.id),
    }
}

/// The recommendation form, where an indicator names no other source.
pub const FORM: &str = "湘教通〔2024〕23号 附件3《市域产教联合体推荐书》";

/// Where an indicator's figures are asked for: its catalogue source, or the form.
fn source_of<'a>(s: &Series<'a>) -> &'a str {
    if s.def.source.is_empty() {
        FORM
    } else {
        &s.def.source
    }
}

/// One indicator's own page: the card, and what the indicator is.
#[derive(Debug, Serialize)]
pub struct IndicatorView<'a> {
    pub card: IndicatorCard<'a>,
    pub name_en: &'a str,
    pub kind: &'static str,
    pub group: &'a str,
    pub source: &'a str,
    pub decimals: usize,
    pub data: DataLinks,
}

pub fn indicator_view<'a>(
    catalogue: &'a Catalogue,
    f: &ConsortiumFigures<'a>,
    s: &Series<'a>,
    visuals: &'a Visuals,
) -> IndicatorView<'a> {
    IndicatorView {
        card: indicator_card(f, s, visuals),
        name_en: &s.def.name_en,
        kind: match s.def.kind {
            ValueKind::Count => "计数（整数）",
            ValueKind::Amount => "数额",
            ValueKind::Percent => "比例（0–100）",
        },
        group: catalogue
            .group(&s.def.group)
            .map_or("", |g| g.name.as_str()),
        source: source_of(s),
        decimals: s.def.decimals(),
        data: DataLinks::of(&f.consortium.id),
    }
}

/// The overview, each indicator's page and chart, then the consortium's data files.
pub fn plan<'a>(p: &Planner<'_, 'a>, f: &ConsortiumFigures<'a>) -> Vec<Output<'a>> {
    let c = f.consortium;
    let (id, name) = (c.id.as_str(), &c.profile.short_name);
    let (catalogue, visuals) = (&p.input.site.catalogue, p.input.visuals);
    let mut out = vec![p.page(
        Route::Indicators(id),
        format!("建设指标 · {name}"),
        Some(c),
        indicators_view(catalogue, f, visuals),
    )];
    for s in &f.series {
        out.push(p.page(
            Route::Indicator(id, s.key),
            format!("{} · {name}", s.def.name),
            Some(c),
            Box::new(indicator_view(catalogue, f, s, visuals)),
        ));
        if let Some(v) = visuals.get(id, s.key) {
            // A file of its own says what the page around it would: whose figures, as of when,
            // from which form.
            let cutoff = Date::year_end(f.report_year).map_or(String::new(), |d| format::date(&d));
            let lines = [
                format!("{} · 数据截至{cutoff}", c.profile.name),
                format!("来源：{}", source_of(s)),
            ];
            out.push(Output::File {
                route: Route::Chart(id, s.key),
                bytes: Bytes::Owned(charts::standalone(&v.chart.standard, &lines).into_bytes()),
            });
        }
        out.push(Output::File {
            route: Route::IndicatorData(id, s.key),
            bytes: Bytes::Owned(crate::site::visuals::indicator_csv(f, s.key)),
        });
    }
    let tables = [
        ("indicators.csv", visuals.csv.get(id)),
        ("indicators.json", visuals.json.get(id)),
    ];
    let records = visuals.records.get(id).into_iter().flat_map(|r| r.iter());
    for (file, bytes) in tables
        .into_iter()
        .filter_map(|(file, b)| Some((file, b?.as_slice())))
        .chain(records.map(|(file, b)| (*file, b.as_slice())))
    {
        out.push(Output::File {
            route: Route::Data(id, file),
            bytes: Bytes::Borrowed(bytes),
        });
    }
    out
}
