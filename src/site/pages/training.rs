//! The training ledger of a consortium (培训台账): sessions by year and audience, with person-days.

use serde::Serialize;

use crate::figures::ConsortiumFigures;
use crate::model::*;
use crate::site::routes::Route;
use crate::site::visuals::{GroupedVisual, Visuals};

use super::common::*;
use super::planner::{Output, Planner};

#[derive(Debug, Serialize)]
pub struct AudienceRow {
    pub audience: &'static str,
    /// `None` when the year has no session for the audience (a dash, not 0).
    pub totals: Option<TotalsView>,
}

#[derive(Debug, Serialize)]
pub struct TrainingYear {
    pub year: i32,
    pub rows: Vec<AudienceRow>,
    #[serde(flatten)]
    pub totals: TotalsView,
}

#[derive(Debug, Serialize)]
pub struct TrainingView<'a> {
    pub totals: Vec<TrainingYear>,
    pub sessions: Vec<SessionRow<'a>>,
    /// Sessions, participants and person-days by year and audience, charted.
    pub charts: Vec<&'a GroupedVisual>,
}

pub fn training_view<'a>(f: &ConsortiumFigures<'a>, visuals: &'a Visuals) -> TrainingView<'a> {
    let totals = f
        .training
        .years()
        .into_iter()
        .rev()
        .map(|y| TrainingYear {
            year: y,
            rows: Audience::ALL
                .iter()
                .map(|a| AudienceRow {
                    audience: a.label(),
                    totals: TotalsView::recorded(&f.training.year_audience(y, *a)),
                })
                .collect(),
            totals: TotalsView::of(&f.training.year(y)),
        })
        .collect();
    TrainingView {
        totals,
        sessions: sessions_newest_first(f.consortium, |_| true),
        charts: visuals
            .derived
            .get(&f.consortium.id)
            .map(|d| d.training.iter().collect())
            .unwrap_or_default(),
    }
}

/// The training page.
pub fn plan<'a>(p: &Planner<'_, 'a>, f: &ConsortiumFigures<'a>) -> Output<'a> {
    let c = f.consortium;
    let title = format!("培训台账 · {}", c.profile.short_name);
    p.page(
        Route::Training(&c.id),
        title,
        Some(c),
        training_view(f, p.input.visuals),
    )
}
