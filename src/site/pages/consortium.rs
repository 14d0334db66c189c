//! A consortium's home page: its profile (leads, secretariat, bodies, phases, recognitions),
//! headline figures, members by kind, programmes and its latest announcements.

use std::sync::Arc;

use crate::figures::ConsortiumFigures;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// The consortium's home page, listing `latest` of its announcements.
pub fn plan<'a>(
    p: &Planner<'_, 'a>,
    f: &ConsortiumFigures<'a>,
    latest: Vec<Arc<AnnouncementEntry<'a>>>,
) -> Output<'a> {
    let c = f.consortium;
    let view = Box::new(consortium_view(f, p.input.visuals, latest));
    p.page(
        Route::Consortium(&c.id),
        c.profile.name.clone(),
        Some(c),
        view,
    )
}
