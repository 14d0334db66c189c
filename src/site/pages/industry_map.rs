//! The industry–education matching map of a consortium (产教对接图谱): its industries in the
//! province's taxonomy, with the members and programmes that serve each.

use serde::Serialize;

use crate::format;
use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// The industry–education matching map (产教对接图谱): the industries of the province's taxonomy
/// that the consortium, its members or its programmes name, with who and what serves each.
#[derive(Debug, Serialize)]
pub struct IndustryMapView<'a> {
    pub province: &'a str,
    pub source: &'a str,
    pub rows: Vec<IndustryRow<'a>>,
    /// Members and programmes by industry code, as a chart with its table.
    pub charts: Vec<crate::site::visuals::GroupedVisual>,
}

#[derive(Debug, Serialize)]
pub struct IndustryRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub group: &'a str,
    /// One of the consortium's own (主导) industries.
    pub lead: bool,
    pub members: Vec<MemberRef<'a>>,
    pub programmes: Vec<ProgrammeEntry<'a>>,
    /// Where the province lays it out: core (★★★) and key (★★) cities.
    pub core: &'a [String],
    pub key: &'a [String],
}

pub fn industry_map_view<'a>(site: &'a Site, c: &'a Consortium) -> Option<IndustryMapView<'a>> {
    let t = site.frameworks.taxonomy_of(c)?;
    let has =
        |codes: &[toml::Spanned<String>], code: &str| codes.iter().any(|x| x.get_ref() == code);
    let rows: Vec<IndustryRow> = t
        .industry
        .iter()
        .map(|i| IndustryRow {
            code: &i.code,
            name: &i.name,
            group: t
                .group
                .iter()
                .find(|g| i.code.starts_with(g.code.as_str()))
                .map_or("", |g| g.name.as_str()),
            lead: has(&c.profile.industry_codes, &i.code),
            members: c
                .members
                .list
                .iter()
                .filter(|m| has(&m.industry_codes, &i.code))
                .map(|m| member_ref(c, m.id.get_ref()))
                .collect(),
            programmes: c
                .programmes
                .iter()
                .filter(|p| has(&p.meta.industry_codes, &i.code))
                .map(|p| programme_entry(c, p))
                .collect(),
            core: &i.core,
            key: &i.key,
        })
        .filter(|r| r.lead || !r.members.is_empty() || !r.programmes.is_empty())
        .collect();
    if rows.is_empty() {
        return None;
    }
    let series = |name: &str, n: &dyn Fn(&IndustryRow) -> usize| crate::charts::GroupSeries {
        name: name.to_string(),
        values: rows
            .iter()
            .map(|r| Some((n(r) as f64, format::count(n(r) as u64))))
            .collect(),
    };
    // Counts of tags nobody has entered are not zeros to draw: no chart until something is tagged.
    let tagged = rows
        .iter()
        .any(|r| !r.members.is_empty() || !r.programmes.is_empty());
    let grouped = crate::charts::Grouped {
        id: "industry-map",
        title: "各产业的成员单位与共建项目",
        unit: "个",
        categories: rows.iter().map(|r| r.code.to_string()).collect(),
        series: vec![
            series("成员单位", &|r| r.members.len()),
            series("共建项目", &|r| r.programmes.len()),
        ],
    };
    Some(IndustryMapView {
        province: &t.province,
        source: &t.source,
        charts: if tagged {
            vec![crate::site::visuals::GroupedVisual::of(&grouped)]
        } else {
            Vec::new()
        },
        rows,
    })
}

/// The map, when the consortium names industries.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Option<Output<'a>> {
    let view = industry_map_view(p.input.site, c)?;
    let title = format!("产教对接图谱 · {}", c.profile.short_name);
    Some(p.page(Route::IndustryMap(&c.id), title, Some(c), view))
}
