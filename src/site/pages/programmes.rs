//! The co-built programmes of a consortium (共建项目) and a page for each.

use serde::Serialize;

use crate::figures::ConsortiumFigures;
use crate::format;
use crate::model::*;
use crate::site::routes::Route;
use crate::site::visuals::{GroupedVisual, Visuals};

use super::common::*;
use super::planner::{Output, Planner};

#[derive(Debug, Serialize)]
pub struct ProgrammeGroup<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub count: String,
    pub programmes: Vec<ProgrammeEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ProgrammesView<'a> {
    pub groups: Vec<ProgrammeGroup<'a>>,
    pub total: String,
    /// Of which in preparation (筹建), when any.
    pub planned: Option<String>,
    /// Whether the list is the complete register (`complete_register`), or the programmes the
    /// consortium chose to show, beside counts that the indicators give.
    pub complete: bool,
    /// 五金 by designation, and programmes by level, where there are any.
    pub gold: Vec<CountLine>,
    pub levels: Vec<CountLine>,
    /// Programmes started each year by kind, charted.
    pub charts: Vec<&'a GroupedVisual>,
}

pub fn programmes_view<'a>(f: &ConsortiumFigures<'a>, visuals: &'a Visuals) -> ProgrammesView<'a> {
    let c = f.consortium;
    let groups = ProgrammeKind::ALL
        .iter()
        .filter(|k| f.programmes.kind(**k) > 0)
        .map(|k| {
            let mut ps: Vec<&Programme> =
                c.programmes.iter().filter(|p| p.meta.kind == *k).collect();
            ps.sort_by(|a, b| {
                (a.meta.start_year.get_ref(), &a.slug).cmp(&(b.meta.start_year.get_ref(), &b.slug))
            });
            ProgrammeGroup {
                key: k.key(),
                label: k.label(),
                count: format::count(u64::from(f.programmes.kind(*k))),
                programmes: ps.into_iter().map(|p| programme_entry(c, p)).collect(),
            }
        })
        .collect();
    let gold = gold_counts(c);
    let levels = Level::ALL
        .iter()
        .map(|l| CountLine {
            label: l.label(),
            count: c
                .programmes
                .iter()
                .filter(|p| p.meta.level.as_ref().is_some_and(|x| x.get_ref() == l))
                .count(),
        })
        .filter(|l| l.count > 0)
        .collect();
    ProgrammesView {
        groups,
        gold,
        levels,
        total: format::count(u64::from(f.programmes.total())),
        planned: recorded(f.programmes.total() - f.programmes.under_way()),
        complete: c.profile.complete_register,
        charts: visuals
            .derived
            .get(&c.id)
            .map(|d| d.programmes.iter().collect())
            .unwrap_or_default(),
    }
}

#[derive(Debug, Serialize)]
pub struct ProgrammeView<'a> {
    pub p: ProgrammeEntry<'a>,
    pub content: &'a str,
}

/// The programme list and every programme's page.
pub fn plan<'a>(p: &Planner<'_, 'a>, f: &ConsortiumFigures<'a>) -> Vec<Output<'a>> {
    let c = f.consortium;
    let (id, name) = (c.id.as_str(), &c.profile.short_name);
    let mut out = vec![p.page(
        Route::Programmes(id),
        format!("共建项目 · {name}"),
        Some(c),
        programmes_view(f, p.input.visuals),
    )];
    for x in &c.programmes {
        let view = ProgrammeView {
            p: programme_entry(c, x),
            content: p.html(&x.path),
        };
        let title = format!("{} · {name}", x.meta.title);
        out.push(p.page(Route::Programme(id, &x.slug), title, Some(c), view));
    }
    out
}
