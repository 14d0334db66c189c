//! The portal: the site's home page, every consortium with its headline figures.

use serde::Serialize;

use crate::figures::ConsortiumFigures;
use crate::format;
use crate::site::routes::Route;
use crate::site::visuals::Visuals;

use super::common::*;
use super::planner::{Output, Planner};

#[derive(Debug, Serialize)]
pub struct PortalView<'a> {
    pub intro: &'a str,
    pub consortia: Vec<PortalEntry<'a>>,
    pub report_year: i32,
    /// The 推荐名单汇总表 of each framework with a form that a consortium reports under.
    pub summaries: Vec<SummaryLink<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SummaryLink<'a> {
    pub name: &'a str,
    pub year: i32,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct PortalEntry<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub kind: &'static str,
    pub region: &'a str,
    pub founded: DateView,
    pub url: String,
    pub members: String,
    /// Programmes under way or done (not those in preparation); `None` when none is recorded.
    pub programmes: Option<String>,
    /// `None` when the ledger has no session (未填报, not 0).
    pub training: Option<TotalsView>,
    pub headlines: Vec<HeadlineView<'a>>,
}

pub fn portal_entry<'a>(f: &ConsortiumFigures<'a>, visuals: &'a Visuals) -> PortalEntry<'a> {
    let c = f.consortium;
    PortalEntry {
        id: &c.id,
        name: &c.profile.name,
        short_name: &c.profile.short_name,
        kind: c.profile.kind.label(),
        region: &c.profile.region,
        founded: DateView::of(c.profile.founded.get_ref()),
        url: Route::Consortium(&c.id).url(),
        members: format::count(u64::from(f.members_at_cutoff().members())),
        programmes: recorded(f.programmes.under_way()),
        training: TotalsView::recorded(&f.training.total()),
        headlines: headlines(f, visuals).into_iter().take(4).collect(),
    }
}

/// The portal page.
pub fn plan<'a>(p: &Planner<'_, 'a>) -> Output<'a> {
    let site = p.input.site;
    let view = PortalView {
        intro: site.index.as_ref().map_or("", |x| p.html(&x.path)),
        consortia: p
            .input
            .figures
            .consortia
            .iter()
            .map(|f| portal_entry(f, p.input.visuals))
            .collect(),
        report_year: *site.config.report_year.get_ref(),
        summaries: site
            .frameworks
            .list
            .iter()
            .filter(|fw| site.reporting_under(&fw.id).next().is_some())
            .filter_map(|fw| {
                fw.form_year().map(|year| SummaryLink {
                    name: &fw.meta.name,
                    year,
                    url: Route::Summary(&fw.id).url(),
                })
            })
            .collect(),
    };
    p.page(Route::Home, site.config.title.clone(), None, view)
}
