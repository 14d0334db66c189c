//! Typed page views: what each template is handed, as `Serialize` structs that borrow from the
//! model and the figures. Numbers arrive here already computed (`figures`) and leave formatted
//! (`format`); a field a template needs and the view lacks is a compile error, not an empty string.
//! URLs are relative to the site root (templates prefix them with `root`) and come from `routes`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::figures::{ConsortiumFigures, Direction, Figures, Origin, Series, TrainingTotals};
use crate::format;
use crate::model::*;
use crate::site::routes::{Filter, List, Route};
use crate::site::visuals::{GroupedVisual, Visuals};

/// Indicators shown on consortium home pages and the portal, when a consortium reports them.
pub const HEADLINE: [&str; 8] = [
    "co_built_majors",
    "co_built_training_bases",
    "co_built_industry_colleges",
    "apprenticeship_trainees",
    "employment_rate",
    "enterprise_part_time_teachers",
    "skill_certifications",
    "staff_training_person_days",
];

/// How many announcements a consortium home lists.
pub const LATEST: usize = 5;

/// How many years of actual values the indicator tables show (committed years are all shown).
pub const TABLE_YEARS: usize = 5;

/// A date for `<time datetime="{{ d.iso }}">{{ d.text }}</time>`.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl DateView {
    pub fn of(d: &Date) -> DateView {
        DateView {
            iso: format::date_iso(d),
            text: format::date(d),
        }
    }
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub lang: &'a str,
    pub illustrative: bool,
    pub report_year: i32,
    /// 31 December of the report year: the date the figures stand at.
    pub cutoff: DateView,
    pub pages: Vec<Link<'a>>,
    /// The Atom feed of every announcement, when there is one.
    pub feed: Option<String>,
    pub consortia: Vec<ConsortiumLink<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct ConsortiumLink<'a> {
    pub id: &'a str,
    pub short_name: &'a str,
    pub url: String,
}

impl<'a> SiteView<'a> {
    pub fn of(site: &'a Site) -> SiteView<'a> {
        let report_year = *site.config.report_year.get_ref();
        let cutoff =
            Date::year_end(report_year).expect("report_year is checked to be a plausible year");
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            lang: &site.config.language,
            illustrative: site.config.illustrative,
            report_year,
            cutoff: DateView::of(&cutoff),
            pages: site
                .pages
                .iter()
                .map(|p| Link {
                    title: &p.meta.title,
                    url: Route::Page(&p.slug).url(),
                })
                .collect(),
            feed: site
                .consortia
                .iter()
                .any(|c| !c.announcements.is_empty())
                .then(|| {
                    Route::Feed(List {
                        consortium: None,
                        filter: Filter::All,
                    })
                    .url()
                }),
            consortia: site
                .consortia
                .iter()
                .map(|c| ConsortiumLink {
                    id: &c.id,
                    short_name: &c.profile.short_name,
                    url: Route::Consortium(&c.id).url(),
                })
                .collect(),
        }
    }
}

/// The consortium a page belongs to, for its sub-navigation.
#[derive(Debug, Serialize)]
pub struct Nav<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub base: String,
    /// The consortium's Atom feed, when it has announcements.
    pub feed: Option<String>,
    /// Its latest annual report, when it has actual figures.
    pub report: Option<String>,
    /// Its self-assessment, when it has one.
    pub assessment: Option<String>,
    /// Its free pages, in menu order.
    pub pages: Vec<Link<'a>>,
    /// Its milestones, when it has any.
    pub milestones: Option<String>,
    /// Its lists of majors, when it has any.
    pub majors: Option<String>,
    /// Its industry map, when it names industries.
    pub industry_map: Option<String>,
    /// Its register of rules and policies, when it has one.
    pub governance: Option<String>,
    /// Its demand lists (the newest page), when it has any.
    pub lists: Option<String>,
}

impl<'a> Nav<'a> {
    pub fn of(c: &'a Consortium) -> Nav<'a> {
        Nav {
            id: &c.id,
            name: &c.profile.name,
            short_name: &c.profile.short_name,
            base: Route::Consortium(&c.id).url(),
            feed: (!c.announcements.is_empty()).then(|| Route::Feed(list_of(c, Filter::All)).url()),
            // Actual values are never after the report year (a rule), so the latest is reported on.
            report: c
                .indicators
                .entries
                .iter()
                .filter(|e| e.basis == Basis::Actual)
                .map(|e| e.year)
                .max()
                .map(|y| Route::Report(&c.id, y).url()),
            assessment: c
                .assessment
                .as_ref()
                .map(|_| Route::Assessment(&c.id).url()),
            lists: c.lists.as_ref().and_then(|l| {
                crate::site::report::demand_pages(l)
                    .first()
                    .map(|(k, y)| Route::DemandList(&c.id, k, *y).url())
            }),
            governance: c
                .governance
                .as_ref()
                .filter(|g| !g.rule.is_empty() || !g.policy.is_empty())
                .map(|_| Route::Governance(&c.id).url()),
            industry_map: (!c.profile.industry_codes.is_empty()
                || c.members.list.iter().any(|m| !m.industry_codes.is_empty())
                || c.programmes
                    .iter()
                    .any(|p| !p.meta.industry_codes.is_empty()))
            .then(|| Route::IndustryMap(&c.id).url()),
            majors: c
                .majors
                .as_ref()
                .filter(|m| !m.major.is_empty())
                .map(|_| Route::Majors(&c.id).url()),
            milestones: c
                .milestones
                .as_ref()
                .filter(|m| !m.milestone.is_empty())
                .map(|_| Route::Milestones(&c.id).url()),
            pages: c
                .pages
                .iter()
                .map(|p| Link {
                    title: &p.meta.title,
                    url: Route::ConsortiumPage(&c.id, &p.slug).url(),
                })
                .collect(),
        }
    }
}

/// What every page template is handed: the common fields and the page's own view.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// The relative path from this page to the root of its version of the site: the site root,
    /// or `elder/` for the large-type version. Links to pages start with it.
    pub root: String,
    /// The relative path from this page to the site root itself. Links to files that have one
    /// version only (stylesheet, charts, data, sitemap) start with it.
    pub assets: String,
    /// Whether this is the large-type, high-contrast version (长辈模式).
    pub elder: bool,
    /// The same page in the other version, when there is one.
    pub switch: String,
    pub canonical: String,
    pub page_title: String,
    pub c: Option<std::sync::Arc<Nav<'a>>>,
    pub section: &'static str,
    #[serde(flatten)]
    pub view: View<'a>,
}

/// The page's own data, one variant per template.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum View<'a> {
    Portal(PortalView<'a>),
    Page(FreePageView<'a>),
    Consortium(Box<ConsortiumView<'a>>),
    Members(MembersView<'a>),
    Member(Box<MemberView<'a>>),
    Programmes(ProgrammesView<'a>),
    Programme(ProgrammeView<'a>),
    Training(TrainingView<'a>),
    Indicators(IndicatorsView<'a>),
    Indicator(Box<IndicatorView<'a>>),
    CompareIndex(CompareIndexView<'a>),
    Compare(CompareView<'a>),
    Announcements(AnnouncementsView),
    Announcement(AnnouncementView<'a>),
    /// Shared by the report and the form of a year.
    Report(std::sync::Arc<crate::site::report::ReportView<'a>>),
    Assessment(crate::site::report::AssessmentView<'a>),
    Milestones(crate::site::report::MilestonesView<'a>),
    Majors(crate::site::report::MajorsView<'a>),
    IndustryMap(crate::site::report::IndustryMapView<'a>),
    Governance(crate::site::report::GovernanceView<'a>),
    DemandList(crate::site::report::DemandListView<'a>),
    Robots(RobotsView),
    Empty(EmptyView),
}

#[derive(Debug, Serialize)]
pub struct EmptyView {}

#[derive(Debug, Serialize)]
pub struct RobotsView {
    pub sitemap: String,
}

#[derive(Debug, Serialize)]
pub struct FreePageView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub content: &'a str,
}

/// A member as a link target.
#[derive(Debug, Serialize)]
pub struct MemberRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: Option<String>,
    pub kind: &'static str,
}

pub fn member_ref<'a>(c: &'a Consortium, id: &'a str) -> MemberRef<'a> {
    match c.member(id) {
        Some(m) => MemberRef {
            id,
            name: &m.name,
            url: Some(Route::Member(&c.id, id).url()),
            kind: m.kind.label(),
        },
        None => MemberRef {
            id,
            name: id,
            url: None,
            kind: "",
        },
    }
}

fn lead_view<'a>(c: &'a Consortium, lead: &'a Lead) -> MemberRef<'a> {
    match &lead.member {
        Some(m) => {
            let mut v = member_ref(c, m.get_ref());
            if let Some(n) = &lead.name {
                v.name = n;
            }
            v
        }
        None => MemberRef {
            id: "",
            name: lead.name.as_deref().unwrap_or_default(),
            url: None,
            kind: "",
        },
    }
}

/// An indicator's latest actual value and its change on the actual year before.
#[derive(Debug, Serialize)]
pub struct HeadlineView<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub year: i32,
    /// The value alone, with the indicator's decimals.
    pub value: String,
    /// The value with its unit.
    pub display: String,
    pub derived: bool,
    pub prev_year: Option<i32>,
    pub change: Option<String>,
    pub direction: Option<Direction>,
    /// ▲, ▼ or ＝ with the word 上升, 下降 or 持平: the change never rests on colour alone.
    pub arrow: &'static str,
    pub word: &'static str,
    /// The indicator's own page.
    pub url: String,
    /// The sparkline of its actual values (inline SVG), where one was drawn.
    pub spark: Option<&'a str>,
}

pub fn headline<'a>(
    f: &ConsortiumFigures<'a>,
    s: &Series<'a>,
    visuals: &'a Visuals,
) -> Option<HeadlineView<'a>> {
    let last = s.latest_actual()?;
    let change = s.change();
    let (arrow, word) = match change.map(|c| c.direction()) {
        Some(Direction::Up) => ("▲", "上升"),
        Some(Direction::Down) => ("▼", "下降"),
        Some(Direction::Flat) => ("＝", "持平"),
        None => ("", ""),
    };
    let id = f.consortium.id.as_str();
    Some(HeadlineView {
        key: s.key,
        name: &s.def.name,
        unit: &s.def.unit,
        year: last.year,
        value: format::indicator(last.value, s.def),
        display: format::indicator_with_unit(last.value, s.def),
        derived: last.derived(),
        prev_year: change.map(|c| c.from_year),
        change: change.map(|c| format::change(&c, s.def)),
        direction: change.map(|c| c.direction()),
        arrow,
        word,
        url: Route::Indicator(id, s.key).url(),
        // A trend needs two actual years; one would be a lone dot.
        spark: (s.actual().count() >= 2)
            .then(|| visuals.get(id, s.key).map(|v| v.sparkline.as_str()))
            .flatten(),
    })
}

/// The headline indicators a consortium reports, or its first six indicators when it reports none
/// of them.
pub fn headlines<'a>(f: &ConsortiumFigures<'a>, visuals: &'a Visuals) -> Vec<HeadlineView<'a>> {
    let v: Vec<HeadlineView> = HEADLINE
        .iter()
        .filter_map(|k| f.series(k))
        .filter_map(|s| headline(f, s, visuals))
        .collect();
    if !v.is_empty() {
        return v;
    }
    f.series
        .iter()
        .filter_map(|s| headline(f, s, visuals))
        .take(6)
        .collect()
}

/// Sessions, participants and person-days, formatted.
#[derive(Debug, Serialize)]
pub struct TotalsView {
    pub sessions: String,
    pub participants: String,
    pub person_days: String,
}

impl TotalsView {
    pub fn of(t: &TrainingTotals) -> TotalsView {
        TotalsView {
            sessions: format::count(u64::from(t.sessions)),
            participants: format::count(t.participants),
            person_days: format::person_days(t),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PortalView<'a> {
    pub intro: &'a str,
    pub consortia: Vec<PortalEntry<'a>>,
    pub report_year: i32,
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
    pub programmes: String,
    pub training: TotalsView,
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
        programmes: format::count(u64::from(f.programmes.total())),
        training: TotalsView::of(&f.training.total()),
        headlines: headlines(f, visuals).into_iter().take(4).collect(),
    }
}

/// One row of a member-composition table.
#[derive(Debug, Serialize)]
pub struct KindRow {
    pub key: &'static str,
    pub label: &'static str,
    pub count: String,
    pub school: bool,
    pub students: String,
}

/// Members by kind as of 31 December of the report year.
pub fn kind_rows(f: &ConsortiumFigures) -> Vec<KindRow> {
    f.members_at_cutoff()
        .iter()
        .map(|(k, n)| KindRow {
            key: k.key(),
            label: k.label(),
            count: format::count(u64::from(n.members)),
            school: k.is_school(),
            students: format::count(n.students),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ProfileView<'a> {
    pub name: &'a str,
    pub short_name: &'a str,
    pub kind: &'static str,
    pub region: &'a str,
    pub founded: DateView,
    pub description: &'a str,
    pub industries: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct LeadsView<'a> {
    pub park: MemberRef<'a>,
    pub school: MemberRef<'a>,
    pub enterprise: MemberRef<'a>,
}

#[derive(Debug, Serialize)]
pub struct SecretariatView<'a> {
    pub host: Option<MemberRef<'a>>,
    pub office_area: String,
    pub full_time_staff: String,
    pub part_time_staff: String,
    pub total_staff: String,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct BodyView<'a> {
    pub kind: &'static str,
    pub name: &'a str,
    pub note: &'a str,
    /// Those who sit on 31 December of the report year.
    pub seats: Vec<SeatView<'a>>,
    /// Holders whose time ended before it (历任).
    pub past: Vec<SeatView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SeatView<'a> {
    pub role: &'a str,
    pub name: &'a str,
    pub post: &'a str,
    pub organisation: &'a str,
    pub member: Option<MemberRef<'a>>,
    pub since: Option<DateView>,
    pub until: Option<DateView>,
}

#[derive(Debug, Serialize)]
pub struct PhaseView<'a> {
    pub name: &'a str,
    pub start: DateView,
    pub end: DateView,
    pub goals: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct ConsortiumView<'a> {
    pub profile: ProfileView<'a>,
    pub leads: LeadsView<'a>,
    pub secretariat: Option<SecretariatView<'a>>,
    pub bodies: Vec<BodyView<'a>>,
    pub phases: Vec<PhaseView<'a>>,
    pub headlines: Vec<HeadlineView<'a>>,
    pub kinds: Vec<KindRow>,
    pub member_count: String,
    pub programme_count: String,
    /// 五金 among the programmes, by designation.
    pub gold: Vec<CountLine>,
    pub training: TotalsView,
    pub latest: Vec<std::sync::Arc<AnnouncementEntry<'a>>>,
    /// 市级, 省级培育 …, when given.
    pub level: Option<&'static str>,
    pub recognitions: Vec<RecognitionView<'a>>,
    /// The level aimed at and by when.
    pub target: Option<TargetView>,
}

#[derive(Debug, Serialize)]
pub struct TargetView {
    pub level: &'static str,
    pub by: DateView,
}

#[derive(Debug, Serialize)]
pub struct RecognitionView<'a> {
    pub level: &'static str,
    pub document: Option<&'a str>,
    pub date: DateView,
}

pub fn consortium_view<'a>(
    f: &ConsortiumFigures<'a>,
    visuals: &'a Visuals,
    latest: Vec<std::sync::Arc<AnnouncementEntry<'a>>>,
) -> ConsortiumView<'a> {
    let c = f.consortium;
    let p = &c.profile;
    let cutoff =
        Date::year_end(f.report_year).expect("report_year is checked to be a plausible year");
    ConsortiumView {
        profile: ProfileView {
            name: &p.name,
            short_name: &p.short_name,
            kind: p.kind.label(),
            region: &p.region,
            founded: DateView::of(p.founded.get_ref()),
            description: &p.description,
            industries: &p.industries,
        },
        leads: LeadsView {
            park: lead_view(c, p.leads.park.get_ref()),
            school: lead_view(c, p.leads.school.get_ref()),
            enterprise: lead_view(c, p.leads.enterprise.get_ref()),
        },
        secretariat: p.secretariat.as_ref().map(|s| SecretariatView {
            host: s.host.as_ref().map(|h| member_ref(c, h.get_ref())),
            office_area: format::measure(*s.office_area.get_ref()),
            full_time_staff: format::count(u64::from(s.full_time_staff)),
            part_time_staff: format::count(u64::from(s.part_time_staff)),
            total_staff: format::count(u64::from(s.full_time_staff) + u64::from(s.part_time_staff)),
            phone: s.phone.as_deref(),
            email: s.email.as_deref(),
            address: s.address.as_deref(),
        }),
        bodies: p
            .bodies
            .iter()
            .map(|b| {
                let seat = |s: &'a Seat| SeatView {
                    role: &s.role,
                    name: &s.name,
                    post: &s.post,
                    organisation: &s.organisation,
                    member: s.member.as_ref().map(|m| member_ref(c, m.get_ref())),
                    since: s.start.as_ref().map(|d| DateView::of(d.get_ref())),
                    until: s.end.as_ref().map(|d| DateView::of(d.get_ref())),
                };
                let ended = |s: &&Seat| s.end.as_ref().is_some_and(|e| *e.get_ref() < cutoff);
                BodyView {
                    kind: b.kind.label(),
                    name: &b.name,
                    note: &b.note,
                    seats: b.seats.iter().filter(|s| !ended(s)).map(seat).collect(),
                    past: b.seats.iter().filter(ended).map(seat).collect(),
                }
            })
            .collect(),
        phases: p
            .phases
            .iter()
            .map(|ph| PhaseView {
                name: &ph.name,
                start: DateView::of(ph.start.get_ref()),
                end: DateView::of(ph.end.get_ref()),
                goals: &ph.goals,
            })
            .collect(),
        headlines: headlines(f, visuals),
        kinds: kind_rows(f),
        member_count: format::count(u64::from(f.members_at_cutoff().members())),
        programme_count: format::count(u64::from(f.programmes.total())),
        gold: gold_counts(c),
        training: TotalsView::of(&f.training.total()),
        latest,
        level: p.level.map(ConsortiumLevel::label),
        recognitions: p
            .recognition
            .iter()
            .map(|r| RecognitionView {
                level: r.level.label(),
                document: r.document.as_ref().map(|d| d.get_ref().as_str()),
                date: DateView::of(r.date.get_ref()),
            })
            .collect(),
        target: p.target.as_ref().map(|t| TargetView {
            level: t.level.label(),
            by: DateView::of(t.by.get_ref()),
        }),
    }
}

#[derive(Debug, Serialize)]
pub struct MemberRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub kind: &'static str,
    pub kind_key: &'static str,
    pub students: Option<String>,
    pub joined: Option<DateView>,
    pub website: Option<&'a str>,
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
        students: m
            .students
            .as_ref()
            .map(|s| format::count(u64::from(*s.get_ref()))),
        joined: m.joined.as_ref().map(|d| DateView::of(d.get_ref())),
        website: m.website.as_deref(),
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
    pub students: String,
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
                students: format::count(n.students),
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
pub struct ProgrammeEntry<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    /// 金专业, 金课程, 金教材 or 金基地, when it is one.
    pub gold: Option<&'static str>,
    /// 省级 …, when recognised at a level.
    pub level: Option<&'static str>,
    pub awarded: Option<i32>,
    pub kind: &'static str,
    pub kind_key: &'static str,
    pub status: &'static str,
    pub start_year: i32,
    pub summary: &'a str,
    pub partners: Vec<MemberRef<'a>>,
    pub url: String,
}

pub fn programme_entry<'a>(c: &'a Consortium, p: &'a Programme) -> ProgrammeEntry<'a> {
    ProgrammeEntry {
        slug: &p.slug,
        title: &p.meta.title,
        gold: p.meta.gold_designation(),
        level: p.meta.level.as_ref().map(|l| l.get_ref().label()),
        awarded: p.meta.awarded.as_ref().map(|a| *a.get_ref()),
        kind: p.meta.kind.label(),
        kind_key: p.meta.kind.key(),
        status: p.meta.status.label(),
        start_year: *p.meta.start_year.get_ref(),
        summary: &p.meta.summary,
        partners: p
            .meta
            .partners
            .get_ref()
            .iter()
            .map(|r| member_ref(c, r.get_ref()))
            .collect(),
        url: Route::Programme(&c.id, &p.slug).url(),
    }
}

#[derive(Debug, Serialize)]
pub struct SessionRow<'a> {
    pub date: DateView,
    pub title: &'a str,
    pub provider: MemberRef<'a>,
    pub audience: &'static str,
    pub participants: String,
    pub person_days: String,
}

fn session_row<'a>(c: &'a Consortium, s: &'a TrainingSession) -> SessionRow<'a> {
    SessionRow {
        date: DateView::of(s.date.get_ref()),
        title: &s.title,
        provider: member_ref(c, s.provider.get_ref()),
        audience: s.audience.label(),
        participants: format::count(u64::from(s.participants)),
        person_days: format::fixed(*s.person_days.get_ref(), 1),
    }
}

/// Sessions newest first; ties by title, so the order never depends on the file.
fn sessions_newest_first<'a>(
    c: &'a Consortium,
    keep: impl Fn(&TrainingSession) -> bool,
) -> Vec<SessionRow<'a>> {
    let mut v: Vec<&TrainingSession> = c.training.sessions.iter().filter(|s| keep(s)).collect();
    v.sort_by(|a, b| {
        b.date
            .get_ref()
            .cmp(a.date.get_ref())
            .then(a.title.cmp(&b.title))
    });
    v.into_iter().map(|s| session_row(c, s)).collect()
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

#[derive(Debug, Serialize)]
pub struct ProgrammeGroup<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub count: String,
    pub programmes: Vec<ProgrammeEntry<'a>>,
}

/// The 五金 among a consortium's programmes, by designation, where there are any.
pub fn gold_counts(c: &Consortium) -> Vec<CountLine> {
    ProgrammeKind::ALL
        .iter()
        .filter_map(|k| k.gold())
        .map(|g| CountLine {
            label: g,
            count: c
                .programmes
                .iter()
                .filter(|p| p.meta.gold_designation() == Some(g))
                .count(),
        })
        .filter(|l| l.count > 0)
        .collect()
}

/// A label and how many.
#[derive(Debug, Serialize)]
pub struct CountLine {
    pub label: &'static str,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct ProgrammesView<'a> {
    pub groups: Vec<ProgrammeGroup<'a>>,
    pub total: String,
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

#[derive(Debug, Serialize)]
pub struct AudienceRow {
    pub audience: &'static str,
    #[serde(flatten)]
    pub totals: TotalsView,
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
                    totals: TotalsView::of(&f.training.year_audience(y, *a)),
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

/// One value of a series, for the vertical table beside its chart.
#[derive(Debug, Serialize)]
pub struct SeriesRow {
    pub year: i32,
    pub value: String,
    /// 实际值, 承诺值 or 据培训台账汇总.
    pub basis: &'static str,
    pub committed: bool,
    pub derived: bool,
}

pub fn series_rows(s: &Series) -> Vec<SeriesRow> {
    s.points
        .iter()
        .map(|p| {
            let committed = p.basis == Basis::Committed;
            let derived = matches!(p.origin, Origin::Ledger { .. });
            SeriesRow {
                year: p.year,
                value: format::indicator_with_unit(p.value, s.def),
                basis: if committed {
                    "承诺值"
                } else if derived {
                    "据培训台账汇总"
                } else {
                    "实际值"
                },
                committed,
                derived,
            }
        })
        .collect()
}

/// One indicator on the dashboard: its chart, latest value, change and values.
#[derive(Debug, Serialize)]
pub struct IndicatorCard<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub url: String,
    /// The chart as inline SVG.
    pub chart: &'a str,
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
        chart: visuals.get(id, s.key).map_or("", |v| v.chart.as_str()),
        chart_file: Route::Chart(id, s.key).url(),
        csv: Route::Data(id, "indicators.csv").url(),
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
}

impl DataLinks {
    pub fn of(consortium: &str) -> DataLinks {
        DataLinks {
            csv: Route::Data(consortium, "indicators.csv").url(),
            json: Route::Data(consortium, "indicators.json").url(),
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

/// The comparison index: every indicator that any consortium reports.
#[derive(Debug, Serialize)]
pub struct CompareIndexView<'a> {
    pub groups: Vec<CompareGroup<'a>>,
    pub consortia: usize,
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

pub fn compare_index<'a>(catalogue: &'a Catalogue, figures: &Figures) -> CompareIndexView<'a> {
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
    }
}

/// One indicator across consortia.
#[derive(Debug, Serialize)]
pub struct CompareView<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub year: i32,
    pub chart: &'a str,
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
        chart: visuals.compare.get(key).map_or("", String::as_str),
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

/// The recommendation form, where an indicator names no other source.
pub const FORM: &str = "湘教通〔2024〕23号 附件3《市域产教联合体推荐书》";

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
        source: if s.def.source.is_empty() {
            FORM
        } else {
            &s.def.source
        },
        decimals: s.def.decimals(),
        data: DataLinks::of(&f.consortium.id),
    }
}

/// A link with a label: a category, year or tag filter, a feed.
#[derive(Debug, Clone, Serialize)]
pub struct FilterLink {
    pub label: String,
    pub url: String,
    pub count: usize,
    pub current: bool,
}

/// An announcement's category or one of its tags, as a link to its list.
#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub label: String,
    pub url: String,
}

/// An announcement as a list shows it. Built once per announcement and shared by every list it
/// appears in.
#[derive(Debug, Serialize)]
pub struct AnnouncementEntry<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub date: DateView,
    pub category: TagLink,
    pub tags: Vec<TagLink>,
    pub summary: &'a str,
    pub doc_number: Option<&'a str>,
    pub draft: bool,
    pub url: String,
}

/// The list of one consortium, with a filter.
pub fn list_of<'a>(c: &'a Consortium, filter: Filter<'a>) -> List<'a> {
    List {
        consortium: Some(c.id.as_str()),
        filter,
    }
}

/// The URL segment of a category, by name.
pub fn category_slug<'a>(categories: &[(&'a str, &'a str)], name: &str) -> &'a str {
    categories
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, s)| *s)
}

pub fn announcement_entry<'a>(
    c: &'a Consortium,
    a: &'a Announcement,
    categories: &[(&'a str, &'a str)],
) -> AnnouncementEntry<'a> {
    let cat = a.category();
    AnnouncementEntry {
        slug: &a.slug,
        title: &a.meta.title,
        date: DateView::of(a.meta.date.get_ref()),
        category: TagLink {
            label: cat.to_string(),
            url: Route::Announcements(
                list_of(c, Filter::Category(category_slug(categories, cat))),
                1,
            )
            .url(),
        },
        tags: a
            .meta
            .tags
            .iter()
            .map(|t| TagLink {
                label: t.get_ref().clone(),
                url: Route::Announcements(list_of(c, Filter::Tag(t.get_ref())), 1).url(),
            })
            .collect(),
        summary: &a.meta.summary,
        doc_number: a.meta.doc_number.as_ref().map(|d| d.get_ref().as_str()),
        draft: a.meta.draft,
        url: Route::Announcement(&c.id, &a.slug).url(),
    }
}

/// Page numbers and the links between the pages of a list.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The pages to link: the first, the last, and two either side of the current one; `gap`
    /// marks a skipped run before the item.
    pub items: Vec<PagerItem>,
}

#[derive(Debug, Serialize)]
pub struct PagerItem {
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}

impl Pager {
    pub fn of(list: List<'_>, current: usize, total: usize) -> Pager {
        let url = |n: usize| Route::Announcements(list, n).url();
        let mut items = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(current) <= 2 {
                items.push(PagerItem {
                    number: n,
                    url: url(n),
                    current: n == current,
                    gap: n > last_shown + 1,
                });
                last_shown = n;
            }
        }
        Pager {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            items,
        }
    }
}

/// One page of an announcement list. Its announcements come as `items`: each rendered once by
/// `announcement-item.html` and shared by every list that shows it (see `plan::Fragment`).
#[derive(Debug, Serialize)]
pub struct AnnouncementsView {
    /// What the list holds: 全部公告, a category's name, 2024年, 标签：…
    pub heading: String,
    /// `all`, `category`, `year` or `tag`.
    pub filter: &'static str,
    pub total: usize,
    /// 全部 and every category with announcements, with counts.
    pub categories: Vec<FilterLink>,
    /// Every year with announcements, newest first, with counts.
    pub years: Vec<FilterLink>,
    pub pager: Pager,
    /// The list's Atom feed (the consortium's, or its category's).
    pub feed: Option<String>,
}

/// An announcement's own page: its entry, the metadata of an official document, its body and
/// its attachments.
#[derive(Debug, Serialize)]
pub struct AnnouncementView<'a> {
    pub a: std::sync::Arc<AnnouncementEntry<'a>>,
    /// 发文机关, one or more.
    pub issuers: Vec<&'a str>,
    /// 成文日期.
    pub written: Option<DateView>,
    pub updated: Option<DateView>,
    /// Whether to show the metadata block of an official document (发文机关, 发文字号, 成文日期).
    pub document: bool,
    pub attachments: Vec<AttachmentView<'a>>,
    pub content: &'a str,
    pub feed: String,
}

#[derive(Debug, Serialize)]
pub struct AttachmentView<'a> {
    pub no: usize,
    pub title: &'a str,
    pub name: &'a str,
    /// Relative to the site root, with `assets` (one copy serves both versions of the page).
    pub url: String,
    /// `PDF`, `DOCX` … from the file name.
    pub kind: String,
    pub size: String,
}

pub fn announcement_view<'a>(
    c: &'a Consortium,
    a: &'a Announcement,
    entry: std::sync::Arc<AnnouncementEntry<'a>>,
    content: &'a str,
) -> AnnouncementView<'a> {
    let m = &a.meta;
    AnnouncementView {
        a: entry,
        issuers: m.issuer.as_ref().map(Issuers::list).unwrap_or_default(),
        written: m.written.as_ref().map(|d| DateView::of(d.get_ref())),
        updated: m
            .updated
            .as_ref()
            .filter(|u| u.get_ref() != m.date.get_ref())
            .map(|d| DateView::of(d.get_ref())),
        document: m.doc_number.is_some() || m.issuer.is_some() || m.written.is_some(),
        attachments: a
            .attachments
            .iter()
            .map(|f| AttachmentView {
                no: f.no,
                title: &f.title,
                name: &f.name,
                url: Route::Attachment(&c.id, &a.slug, &f.name).url(),
                kind: f
                    .name
                    .rsplit_once('.')
                    .map_or(String::new(), |(_, ext)| ext.to_ascii_uppercase()),
                size: format::file_size(f.bytes.len() as u64),
            })
            .collect(),
        content,
        feed: Route::Feed(list_of(c, Filter::All)).url(),
    }
}
