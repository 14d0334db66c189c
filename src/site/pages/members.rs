//! The member directory of a consortium (成员单位) and a page for each member.

use serde::Serialize;

use crate::figures::ConsortiumFigures;
use crate::format;
use crate::model::*;
use crate::site::routes::Route;
use crate::site::visuals::{GroupedVisual, Visuals};

use super::common::*;
use super::planner::{Output, Planner};

#[derive(Debug, Serialize)]
pub struct MemberRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub kind: &'static str,
    pub kind_key: &'static str,
    /// Whether the member is a school, whose enrolment the forms ask for.
    pub school: bool,
    /// Its enrolment; `None` at a school is 未填报.
    pub students: Option<String>,
    pub joined: Option<DateView>,
    pub website: Option<&'a str>,
    /// Whether the website may be a link (the allow-list of `render::links`); else it is text.
    pub website_is_link: bool,
    pub tags: &'a [String],
    pub url: String,
}

pub fn member_row<'a>(c: &'a Consortium, m: &'a Member) -> MemberRow<'a> {
    MemberRow {
        id: m.id.get_ref(),
        name: &m.name,
        short_name: m.short_name.as_deref(),
        kind: m.kind.label(),
        kind_key: m.kind.key(),
        school: m.kind.is_school(),
        students: m
            .students
            .as_ref()
            .map(|s| format::count(u64::from(*s.get_ref()))),
        joined: m.joined.as_ref().map(|d| DateView::of(d.get_ref())),
        website: m.website.as_ref().map(|w| w.get_ref().as_str()),
        website_is_link: m
            .website
            .as_ref()
            .is_some_and(|w| crate::render::links::allowed(w.get_ref())),
        tags: &m.tags,
        url: Route::Member(&c.id, m.id.get_ref()).url(),
    }
}

#[derive(Debug, Serialize)]
pub struct MemberGroup<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub count: String,
    pub school: bool,
    /// Schools only: the group's enrolment (see `format::students`).
    pub students: Option<String>,
    pub members: Vec<MemberRow<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MembersView<'a> {
    pub groups: Vec<MemberGroup<'a>>,
    /// Counts as of 31 December of the report year.
    pub kinds: Vec<KindRow>,
    pub total: String,
    /// Members listed below who joined after the report year (not in the counts).
    pub later: String,
    /// Members and students by kind at each year's end, charted.
    pub charts: Vec<&'a GroupedVisual>,
}

pub fn members_view<'a>(f: &ConsortiumFigures<'a>, visuals: &'a Visuals) -> MembersView<'a> {
    let c = f.consortium;
    let groups = f
        .members
        .iter()
        .filter(|(_, n)| n.members > 0)
        .map(|(k, n)| {
            let mut ms: Vec<&Member> = c.members.list.iter().filter(|m| m.kind == k).collect();
            ms.sort_by(|a, b| a.id.get_ref().cmp(b.id.get_ref()));
            MemberGroup {
                key: k.key(),
                label: k.label(),
                count: format::count(u64::from(n.members)),
                school: k.is_school(),
                students: school_students(k, n),
                members: ms.into_iter().map(|m| member_row(c, m)).collect(),
            }
        })
        .collect();
    let at_cutoff = f.members_at_cutoff().members();
    MembersView {
        groups,
        kinds: kind_rows(f),
        total: format::count(u64::from(at_cutoff)),
        later: format::count(u64::from(f.members.members() - at_cutoff)),
        charts: visuals
            .derived
            .get(&c.id)
            .map(|d| d.members.iter().chain(d.students.iter()).collect())
            .unwrap_or_default(),
    }
}

#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    pub m: MemberRow<'a>,
    pub description: &'a str,
    pub roles: Vec<String>,
    pub programmes: Vec<ProgrammeEntry<'a>>,
    pub sessions: Vec<SessionRow<'a>>,
    pub training: TotalsView,
}

pub fn member_view<'a>(f: &ConsortiumFigures<'a>, m: &'a Member) -> MemberView<'a> {
    let c = f.consortium;
    let id = m.id.get_ref().as_str();
    let programmes = c
        .programmes
        .iter()
        .filter(|p| p.meta.partners.get_ref().iter().any(|r| r.get_ref() == id))
        .map(|p| programme_entry(c, p))
        .collect();
    let p = &c.profile;
    let mut roles = Vec::new();
    for (lead, label) in [
        (&p.leads.park, "牵头园区"),
        (&p.leads.school, "牵头学校"),
        (&p.leads.enterprise, "牵头企业"),
    ] {
        if lead
            .get_ref()
            .member
            .as_ref()
            .is_some_and(|r| r.get_ref() == id)
        {
            roles.push(label.to_string());
        }
    }
    if p.secretariat
        .as_ref()
        .and_then(|s| s.host.as_ref())
        .is_some_and(|h| h.get_ref() == id)
    {
        roles.push("秘书处设立单位".to_string());
    }
    for b in &p.bodies {
        for s in &b.seats {
            if s.member.as_ref().is_some_and(|r| r.get_ref() == id) {
                roles.push(format!("{}{}单位", b.kind.label(), s.role));
            }
        }
    }
    roles.dedup();
    MemberView {
        m: member_row(c, m),
        description: &m.description,
        roles,
        programmes,
        sessions: sessions_newest_first(c, |s| s.provider.get_ref() == id),
        training: TotalsView::of(&f.training.provider(id)),
    }
}

/// The directory and every member's page.
pub fn plan<'a>(p: &Planner<'_, 'a>, f: &ConsortiumFigures<'a>) -> Vec<Output<'a>> {
    let c = f.consortium;
    let (id, name) = (c.id.as_str(), &c.profile.short_name);
    let mut out = vec![p.page(
        Route::Members(id),
        format!("成员单位 · {name}"),
        Some(c),
        members_view(f, p.input.visuals),
    )];
    for m in &c.members.list {
        out.push(p.page(
            Route::Member(id, m.id.get_ref()),
            format!("{} · {name}", m.name),
            Some(c),
            Box::new(member_view(f, m)),
        ));
    }
    out
}
