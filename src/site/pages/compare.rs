//! Comparisons across consortia (联合体比较): the index of comparable indicators and a page for
//! each, side by side with a chart.

use serde::Serialize;

use crate::figures::Figures;
use crate::format;
use crate::model::*;
use crate::site::routes::Route;
use crate::site::visuals::Visuals;

use super::planner::{Output, Planner};

/// The comparison index: every indicator that any consortium reports, with each consortium's
/// value of the comparison's year side by side.
#[derive(Debug, Serialize)]
pub struct CompareIndexView<'a> {
    pub groups: Vec<CompareGroup<'a>>,
    pub consortia: usize,
    /// The consortia's short names, in the site's order: the columns of the values.
    pub names: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct CompareGroup<'a> {
    pub name: &'a str,
    pub rows: Vec<CompareLink<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CompareLink<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub url: String,
    pub year: i32,
    /// How many consortia report it in that year.
    pub reporting: usize,
    /// Each consortium's value of that year, in the order of `names`; `None` is 未填报.
    pub values: Vec<Option<String>>,
}

/// The indicators that any consortium reports, in catalogue order.
pub fn compared_keys<'a>(
    catalogue: &'a Catalogue,
    figures: &Figures,
) -> Vec<(&'a str, &'a IndicatorDef)> {
    catalogue
        .indicators
        .iter()
        .filter(|(k, _)| figures.consortia.iter().any(|f| f.series(k).is_some()))
        .map(|(k, d)| (k.as_str(), d))
        .collect()
}

pub fn compare_index<'a>(catalogue: &'a Catalogue, figures: &Figures<'a>) -> CompareIndexView<'a> {
    let keys = compared_keys(catalogue, figures);
    let groups = catalogue
        .groups
        .iter()
        .filter_map(|(gk, g)| {
            let rows: Vec<CompareLink> = keys
                .iter()
                .filter(|(_, d)| &d.group == gk)
                .filter_map(|(k, d)| {
                    let cmp = figures.compare(k)?;
                    Some(CompareLink {
                        name: &d.name,
                        unit: &d.unit,
                        url: Route::CompareIndicator(k).url(),
                        year: cmp.year,
                        reporting: cmp.entries.iter().filter(|e| e.point.is_some()).count(),
                        values: figures
                            .consortia
                            .iter()
                            .map(|f| {
                                cmp.entries
                                    .iter()
                                    .find(|e| std::ptr::eq(e.figures, f))
                                    .and_then(|e| e.point)
                                    .map(|p| format::indicator(p.value, d))
                            })
                            .collect(),
                    })
                })
                .collect();
            (!rows.is_empty()).then_some(CompareGroup {
                name: &g.name,
                rows,
            })
        })
        .collect();
    CompareIndexView {
        groups,
        consortia: figures.consortia.len(),
        names: figures
            .consortia
            .iter()
            .map(|f| f.consortium.profile.short_name.as_str())
            .collect(),
    }
}

/// One indicator across consortia.
#[derive(Debug, Serialize)]
pub struct CompareView<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub year: i32,
    pub chart: Option<&'a crate::charts::Drawing>,
    pub rows: Vec<CompareRow<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CompareRow<'a> {
    pub name: &'a str,
    /// The consortium's page of this indicator, when it reports it at all.
    pub url: Option<String>,
    /// The value of the comparison's year; `None` shows as 未填报.
    pub value: Option<String>,
    pub derived: bool,
    /// The consortium's own trend (its sparkline).
    pub spark: Option<&'a str>,
}

pub fn compare_view<'a>(
    figures: &Figures<'a>,
    key: &'a str,
    def: &'a IndicatorDef,
    visuals: &'a Visuals,
) -> Option<CompareView<'a>> {
    let cmp = figures.compare(key)?;
    Some(CompareView {
        name: &def.name,
        unit: &def.unit,
        year: cmp.year,
        chart: visuals.compare.get(key),
        rows: cmp
            .entries
            .iter()
            .map(|e| {
                let c = e.figures.consortium;
                let reports = e.figures.series(key).is_some();
                CompareRow {
                    name: &c.profile.name,
                    url: reports.then(|| Route::Indicator(&c.id, key).url()),
                    value: e.point.map(|p| format::indicator_with_unit(p.value, def)),
                    derived: e.point.is_some_and(|p| p.derived()),
                    spark: e
                        .figures
                        .series(key)
                        .filter(|s| s.actual().count() >= 2)
                        .and_then(|_| visuals.get(&c.id, key))
                        .map(|v| v.sparkline.as_str()),
                }
            })
            .collect(),
    })
}

/// The index and every compared indicator's page.
pub fn plan<'a>(p: &Planner<'_, 'a>) -> Vec<Output<'a>> {
    let (catalogue, figures) = (&p.input.site.catalogue, p.input.figures);
    // A site of pages alone (the user guide) has nothing to compare, and no link to the page.
    if p.input.site.consortia.is_empty() {
        return Vec::new();
    }
    let mut out = vec![p.page(
        Route::Compare,
        "联合体比较".into(),
        None,
        compare_index(catalogue, figures),
    )];
    for (key, def) in compared_keys(catalogue, figures) {
        if let Some(view) = compare_view(figures, key, def, p.input.visuals) {
            let title = format!("{} · 联合体比较", def.name);
            out.push(p.page(Route::CompareIndicator(key), title, None, view));
        }
    }
    out
}
