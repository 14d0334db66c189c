//! The milestones of a consortium (时间节点) on a timeline, with what is overdue.

use serde::Serialize;

use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// The milestones of a consortium on a timeline, by due date.
#[derive(Debug, Serialize)]
pub struct MilestonesView<'a> {
    pub items: Vec<MilestoneView<'a>>,
    /// The day the statuses are judged on: 31 December of the report year.
    pub cutoff: DateView,
    pub overdue: usize,
    pub done: usize,
}

#[derive(Debug, Serialize)]
pub struct MilestoneView<'a> {
    pub title: &'a str,
    pub phase: &'a str,
    /// `None` when not yet named (待定).
    pub owner: Option<MemberRef<'a>>,
    /// `None` when not yet set (待定).
    pub due: Option<DateView>,
    pub done: Option<DateView>,
    /// `done`, `in_progress`, `not_started` or `overdue`.
    pub status: &'static str,
    pub label: &'static str,
    pub evidence: Vec<EvidenceLink>,
}

pub fn milestones_view<'a>(
    site: &'a Site,
    c: &'a Consortium,
    m: &'a Milestones,
    report_year: i32,
) -> MilestonesView<'a> {
    let cutoff =
        Date::year_end(report_year).expect("report_year is checked to be a plausible year");
    let mut list: Vec<&Milestone> = m.milestone.iter().collect();
    // By deadline; those without one (待定) last.
    list.sort_by_key(|x| (x.due.is_none(), x.due.as_ref().map(|d| *d.get_ref())));
    let items: Vec<MilestoneView> = list
        .into_iter()
        .map(|x| {
            let (status, label) = if x.overdue(cutoff) {
                ("overdue", "逾期")
            } else {
                (x.status.get_ref().key(), x.status.get_ref().label())
            };
            MilestoneView {
                title: &x.title,
                phase: &x.phase,
                owner: x.owner.as_ref().map(|o| member_ref(c, o.get_ref())),
                due: x.due.as_ref().map(|d| DateView::of(d.get_ref())),
                done: x.done.as_ref().map(|d| DateView::of(d.get_ref())),
                status,
                label,
                evidence: x
                    .evidence
                    .iter()
                    .filter_map(|e| evidence_link(site, c, e.get_ref()))
                    .collect(),
            }
        })
        .collect();
    MilestonesView {
        overdue: items.iter().filter(|i| i.status == "overdue").count(),
        done: items.iter().filter(|i| i.status == "done").count(),
        cutoff: DateView::of(&cutoff),
        items,
    }
}

/// The timeline, when the consortium has milestones.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Option<Output<'a>> {
    let m = c.milestones.as_ref().filter(|m| !m.milestone.is_empty())?;
    let site = p.input.site;
    let view = milestones_view(site, c, m, *site.config.report_year.get_ref());
    let title = format!("时间节点 · {}", c.profile.short_name);
    Some(p.page(Route::Milestones(&c.id), title, Some(c), view))
}
