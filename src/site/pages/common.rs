//! View pieces that several page families show: dates, the site-wide values (`SiteView`), a
//! consortium's navigation (`Nav`), member and programme references, headline figures, totals,
//! member counts by kind, training sessions, announcements as their lists show them, evidence
//! links and the demand lists a consortium has. Views are `Serialize` structs that borrow from
//! the model and the figures; numbers arrive computed (`figures`) and leave formatted (`format`);
//! URLs are relative to the site root (templates prefix them with `root`) and come from `routes`.

use serde::Serialize;

use crate::figures::{ConsortiumFigures, Direction, Series, TrainingTotals};
use crate::format;
use crate::model::*;
use crate::site::routes::{Filter, List, Route};
use crate::site::visuals::Visuals;

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
    /// The search page, when the site has search: every page's header has a search box.
    pub search: Option<String>,
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
            search: site.config.search.enabled.then(|| Route::Search.url()),
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
            // Every consortium reports under a framework (the national one by default).
            assessment: Some(Route::Assessment(&c.id).url()),
            lists: c.lists.as_ref().and_then(|l| {
                demand_pages(l)
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

/// A member as a link target.
#[derive(Debug, Serialize)]
pub struct MemberRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: Option<String>,
    pub kind: &'static str,
}

impl<'a> MemberRef<'a> {
    /// A unit named with no member page to link to.
    fn unlinked(id: &'a str, name: &'a str) -> Self {
        MemberRef {
            id,
            name,
            url: None,
            kind: "",
        }
    }
}

/// The member `id` of `c` with a link to its page, or the id alone when no member has it.
pub fn member_ref<'a>(c: &'a Consortium, id: &'a str) -> MemberRef<'a> {
    match c.member(id) {
        Some(m) => MemberRef {
            id,
            name: &m.name,
            url: Some(Route::Member(&c.id, id).url()),
            kind: m.kind.label(),
        },
        None => MemberRef::unlinked(id, id),
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
    let change_text = change.map(|c| format::change(&c, s.def));
    // A change that rounds to nothing at the indicator's decimals reads 持平 once (the change
    // itself says it), never 上升 持平 or 持平 持平.
    let flat = change_text.as_deref() == Some("持平");
    let (arrow, word) = match change.map(|c| c.direction()) {
        _ if flat => ("＝", ""),
        Some(Direction::Up) => ("▲", "上升"),
        Some(Direction::Down) => ("▼", "下降"),
        Some(Direction::Flat) => ("＝", ""),
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
        change: change_text,
        direction: change.map(|c| if flat { Direction::Flat } else { c.direction() }),
        arrow,
        word,
        url: Route::Indicator(id, s.key).url(),
        // A trend needs two actual years; one would be a lone dot.
        spark: (s.points.len() >= 2)
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
    /// The totals of a ledger, or `None` (未填报) when it records no session at all.
    pub fn recorded(t: &TrainingTotals) -> Option<TotalsView> {
        (t.sessions > 0).then(|| TotalsView::of(t))
    }
}

/// A count of records, or `None` (未填报) when there is none: an empty register is a register
/// nobody has filled in yet, not a reported zero.
pub fn recorded(n: u32) -> Option<String> {
    (n > 0).then(|| format::count(u64::from(n)))
}

/// One row of a member-composition table.
#[derive(Debug, Serialize)]
pub struct KindRow {
    pub key: &'static str,
    pub label: &'static str,
    pub count: String,
    pub school: bool,
    /// Schools only: see `format::students`.
    pub students: Option<String>,
}

/// The enrolment of a kind's members as the tables show it (`format::students`); `None` for a
/// kind that is not a school.
pub fn school_students(kind: MemberKind, n: crate::figures::KindCount) -> Option<String> {
    kind.is_school().then(|| format::students(n)).flatten()
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
            students: school_students(k, n),
        })
        .collect()
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

pub fn session_row<'a>(c: &'a Consortium, s: &'a TrainingSession) -> SessionRow<'a> {
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
pub fn sessions_newest_first<'a>(
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

/// Each announcement of a consortium as lists show it, made when first asked for and shared
/// after: in the live preview, the pages and list items of the announcements that did not change
/// are the last render's, and their entries are never made.
pub struct Entries<'a> {
    c: &'a Consortium,
    categories: Vec<(&'a str, &'a str)>,
    made: Vec<std::sync::OnceLock<std::sync::Arc<AnnouncementEntry<'a>>>>,
    /// By announcement, in the live preview: where it was in the last render when its page and
    /// list item are made from what they were then (`planner::Previous::unchanged`).
    pub unchanged: Vec<Option<usize>>,
}

impl<'a> Entries<'a> {
    pub fn of(
        c: &'a Consortium,
        categories: Vec<(&'a str, &'a str)>,
        unchanged: Vec<Option<usize>>,
    ) -> Entries<'a> {
        Entries {
            c,
            categories,
            made: (0..c.announcements.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            unchanged,
        }
    }

    /// The entry of the consortium's announcement `i`.
    pub fn get(&self, i: usize) -> &std::sync::Arc<AnnouncementEntry<'a>> {
        self.made[i].get_or_init(|| {
            std::sync::Arc::new(announcement_entry(
                self.c,
                &self.c.announcements[i],
                &self.categories,
            ))
        })
    }

    /// The entries of the first `n` announcements (the newest).
    pub fn first(&self, n: usize) -> Vec<std::sync::Arc<AnnouncementEntry<'a>>> {
        (0..n.min(self.made.len()))
            .map(|i| self.get(i).clone())
            .collect()
    }
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

#[derive(Debug, Serialize)]
pub struct EvidenceLink {
    pub label: String,
    pub url: String,
}

/// Where a piece of evidence leads (it was checked to lead somewhere).
pub fn evidence_link(site: &Site, c: &Consortium, e: &str) -> Option<EvidenceLink> {
    let (kind, target) = e.split_once(':')?;
    let (label, route) = match kind {
        "indicator" => (
            site.catalogue.get(target)?.name.clone(),
            Route::Indicator(&c.id, target),
        ),
        "programme" => {
            let p = c.programmes.iter().find(|p| p.slug == target)?;
            (p.meta.title.clone(), Route::Programme(&c.id, target))
        }
        "announcement" => {
            let a = c.announcements.iter().find(|a| a.slug == target)?;
            (a.meta.title.clone(), Route::Announcement(&c.id, target))
        }
        "member" => (c.member(target)?.name.clone(), Route::Member(&c.id, target)),
        "page" => match c.pages.iter().find(|p| p.slug == target) {
            Some(p) => (p.meta.title.clone(), Route::ConsortiumPage(&c.id, target)),
            None => {
                let p = site.pages.iter().find(|p| p.slug == target)?;
                (p.meta.title.clone(), Route::Page(target))
            }
        },
        "report" => {
            let y: i32 = target.parse().ok()?;
            (format!("{y}年度报告"), Route::Report(&c.id, y))
        }
        _ => return None,
    };
    Some(EvidenceLink {
        label,
        url: route.url(),
    })
}

/// Every (list, year) page of a consortium's demand lists.
pub fn demand_pages(l: &DemandLists) -> Vec<(&'static str, i32)> {
    DEMAND_LISTS
        .iter()
        .flat_map(|(key, _)| l.years(key).into_iter().map(move |y| (*key, y)))
        .collect()
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

/// A lead as the profile names it: a member (by the name the lead gives, if any) or a name.
fn lead_view<'a>(c: &'a Consortium, lead: &'a Lead) -> MemberRef<'a> {
    match &lead.member {
        Some(m) => {
            let mut v = member_ref(c, m.get_ref());
            if let Some(n) = &lead.name {
                v.name = n;
            }
            v
        }
        None => MemberRef::unlinked("", lead.name.as_deref().unwrap_or_default()),
    }
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
    /// 依托园区, when given.
    pub park: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct LeadsView<'a> {
    pub park: MemberRef<'a>,
    pub school: MemberRef<'a>,
    pub enterprise: MemberRef<'a>,
}

/// 实体化运作, as the home page shows it.
#[derive(Debug, Serialize)]
pub struct OperationView<'a> {
    pub entity: &'a str,
    pub legal_form: &'a str,
    pub registered: Option<DateView>,
    pub shared_office: bool,
    pub property_rights: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SecretariatView<'a> {
    pub host: Option<MemberRef<'a>>,
    /// Each `None` when the file does not say (未填报).
    pub office_area: Option<String>,
    pub full_time_staff: Option<String>,
    pub part_time_staff: Option<String>,
    /// Only when both counts are given.
    pub total_staff: Option<String>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct BodyView<'a> {
    pub kind: &'static str,
    /// Still being set up (筹建).
    pub planned: bool,
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
    pub operation: Option<OperationView<'a>>,
    pub bodies: Vec<BodyView<'a>>,
    pub phases: Vec<PhaseView<'a>>,
    pub headlines: Vec<HeadlineView<'a>>,
    pub kinds: Vec<KindRow>,
    pub member_count: String,
    /// Programmes under way or done; `None` when none is recorded (未填报, not 0).
    pub programme_count: Option<String>,
    /// Programmes in preparation (筹建), counted apart.
    pub planned_count: Option<String>,
    /// 五金 among the programmes, by designation.
    pub gold: Vec<CountLine>,
    /// `None` when the ledger has no session (未填报, not 0).
    pub training: Option<TotalsView>,
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
            park: p.park.as_deref(),
        },
        leads: LeadsView {
            park: lead_view(c, p.leads.park.get_ref()),
            school: lead_view(c, p.leads.school.get_ref()),
            enterprise: lead_view(c, p.leads.enterprise.get_ref()),
        },
        operation: p.operation.as_ref().map(|o| OperationView {
            entity: &o.entity,
            legal_form: &o.legal_form,
            registered: o.registered.as_ref().map(|d| DateView::of(d.get_ref())),
            shared_office: o.shared_office,
            property_rights: &o.property_rights,
        }),
        secretariat: p.secretariat.as_ref().map(|s| SecretariatView {
            host: s.host.as_ref().map(|h| member_ref(c, h.get_ref())),
            office_area: s
                .office_area
                .as_ref()
                .map(|a| format::measure(*a.get_ref())),
            full_time_staff: s.full_time_staff.map(|n| format::count(u64::from(n))),
            part_time_staff: s.part_time_staff.map(|n| format::count(u64::from(n))),
            total_staff: s
                .full_time_staff
                .zip(s.part_time_staff)
                .map(|(f, p)| format::count(u64::from(f) + u64::from(p))),
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
                    name: s.holder(),
                    post: &s.post,
                    organisation: &s.organisation,
                    member: s.member.as_ref().map(|m| member_ref(c, m.get_ref())),
                    since: s.start.as_ref().map(|d| DateView::of(d.get_ref())),
                    until: s.end.as_ref().map(|d| DateView::of(d.get_ref())),
                };
                let ended = |s: &&Seat| s.end.as_ref().is_some_and(|e| *e.get_ref() < cutoff);
                BodyView {
                    kind: b.kind.label(),
                    planned: b.planned(),
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
        programme_count: recorded(f.programmes.under_way()),
        planned_count: recorded(f.programmes.total() - f.programmes.under_way()),
        gold: gold_counts(c),
        training: TotalsView::recorded(&f.training.total()),
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
