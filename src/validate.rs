//! Rules across files: references between records, ids and slugs, indicator values against the
//! catalogue and the report year. Takes the loaded model and its sources; returns diagnostics and
//! the catalogue extended by `site.toml`. Rules never stop at the first problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{did_you_mean, Collector, Diagnostic, Message};
use crate::model::*;
use crate::source::SourceFile;

/// Paths that the build writes at the site root, which a free page's slug must not take.
pub const RESERVED_SLUGS: [&str; 8] = [
    "consortia",
    "compare",
    "static",
    "404",
    "sitemap",
    "index",
    "announcements",
    "elder",
];

/// The sections of a consortium, which its pages' slugs must not take.
pub const RESERVED_CONSORTIUM_SLUGS: [&str; 15] = [
    "members",
    "programmes",
    "training",
    "indicators",
    "announcements",
    "report",
    "assessment",
    "data",
    "pages",
    "milestones",
    "majors",
    "lists",
    "industry-map",
    "governance",
    "index",
];

/// Folders of an announcement list, which an announcement's slug must not take.
pub const RESERVED_ANNOUNCEMENT_SLUGS: [&str; 4] = ["page", "category", "archive", "tags"];

type Ctx<'a> = Collector<'a>;

/// The report years a site may have.
const PLAUSIBLE_REPORT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The built-in catalogue with the site's own groups and indicators added, and problems with them.
pub fn catalogue(
    config: &SiteConfig,
    sources: &BTreeMap<String, SourceFile>,
) -> (Catalogue, Vec<Diagnostic>) {
    let mut cat = Catalogue::built_in();
    let mut ctx = Collector::new(sources);
    for (key, group) in &config.groups {
        if cat.group(key).is_none() {
            cat.groups.push((key.clone(), group.clone()));
        }
    }
    for (key, def) in &config.indicators {
        if cat.get(key).is_some() {
            ctx.error(
                "content/site.toml",
                def.span(),
                rule!("check.indicator_built_in", key),
            );
            continue;
        }
        if cat.group(&def.get_ref().group).is_none() {
            let groups: Vec<&str> = cat.groups.iter().map(|(k, _)| k.as_str()).collect();
            let help = did_you_mean(&def.get_ref().group, groups.iter().copied());
            ctx.error(
                "content/site.toml",
                def.span(),
                rule!("check.unknown_group", key, group = def.get_ref().group),
            )
            .help = help;
            continue;
        }
        cat.indicators.push((key.clone(), def.get_ref().clone()));
    }
    (cat, ctx.diags)
}

/// Every cross-file rule over the loaded site.
pub fn validate(
    config: &SiteConfig,
    catalogue: &Catalogue,
    pages: &[Page],
    consortia: &[std::sync::Arc<Consortium>],
    sources: &BTreeMap<String, SourceFile>,
    broken: &BTreeSet<String>,
    taxonomy: &industries::Taxonomy,
) -> Vec<Diagnostic> {
    let mut diags = site_rules(config, pages, sources);
    let rules = Rules {
        config,
        catalogue,
        pages,
        taxonomy,
    };
    for c in consortia {
        diags.extend(rules.consortium(c, sources, broken));
    }
    diags
}

/// The rules of the site's own files: `site.toml` and the free pages.
pub fn site_rules(
    config: &SiteConfig,
    pages: &[Page],
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    let report_year = *config.report_year.get_ref();
    if !PLAUSIBLE_REPORT_YEARS.contains(&report_year) {
        ctx.error(
            "content/site.toml",
            config.report_year.span(),
            rule!("check.implausible_report_year", report_year),
        );
    }
    if !(config.base_url.starts_with("http://")
        || config.base_url.starts_with("https://")
        || config.base_url.starts_with('/'))
    {
        ctx.error(
            "content/site.toml",
            0..0,
            rule!("check.base_url_scheme", url = config.base_url),
        );
    }
    page_rules(&mut ctx, pages, &RESERVED_SLUGS, |slug| {
        rule!("check.page_slug_reserved", slug)
    });
    announcements_config(&mut ctx, config);
    ctx.diags
}

/// What the rules of one consortium read from the rest of the site: nothing of another
/// consortium, so each consortium can be checked on its own.
pub struct Rules<'a> {
    pub config: &'a SiteConfig,
    pub catalogue: &'a Catalogue,
    pub pages: &'a [Page],
    pub taxonomy: &'a industries::Taxonomy,
}

impl Rules<'_> {
    /// Every rule of one consortium. `sources` holds its files; `broken` names the files (of the
    /// site or the consortium) whose loading gave an error.
    pub fn consortium(
        &self,
        c: &Consortium,
        sources: &BTreeMap<String, SourceFile>,
        broken: &BTreeSet<String>,
    ) -> Vec<Diagnostic> {
        let mut ctx = Collector::new(sources);
        let facts = Facts {
            // An implausible report year is reported once (`implausible-report-year`); the rules
            // that compare with it are left out, as when site.toml cannot be read.
            report_year: Some(*self.config.report_year.get_ref())
                .filter(|y| PLAUSIBLE_REPORT_YEARS.contains(y)),
            catalogue: self.catalogue,
            catalogue_complete: true,
            categories: self
                .config
                .categories()
                .into_iter()
                .map(|(n, _)| n)
                .collect(),
            pages: Some(self.pages.iter().map(|p| p.slug.as_str()).collect()),
            broken,
            taxonomy: self.taxonomy,
        };
        consortium(&mut ctx, c, &facts);
        ctx.diags
    }
}

/// The rules that need no `site.toml`, for a site whose `site.toml` could not be read: checks that
/// need the report year or the site's own indicators are left out, the rest still run.
pub fn without_config(
    consortia: &[std::sync::Arc<Consortium>],
    sources: &BTreeMap<String, SourceFile>,
    broken: &BTreeSet<String>,
    taxonomy: &industries::Taxonomy,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    let catalogue = Catalogue::built_in();
    let facts = Facts {
        report_year: None,
        catalogue: &catalogue,
        catalogue_complete: false,
        categories: Vec::new(),
        pages: None,
        broken,
        taxonomy,
    };
    for c in consortia {
        consortium(&mut ctx, c, &facts);
    }
    ctx.diags
}

/// What the rules know from `site.toml`.
struct Facts<'a> {
    report_year: Option<i32>,
    catalogue: &'a Catalogue,
    /// False when `site.toml` could not be read: it may add indicators the rules cannot see.
    catalogue_complete: bool,
    /// Announcement categories; empty when `site.toml` could not be read.
    categories: Vec<&'a str>,
    /// Slugs of the site's free pages (evidence may name them); `None` when not known.
    pages: Option<Vec<&'a str>>,
    /// Files that had errors of their own: what they would hold cannot be referred to or judged.
    broken: &'a BTreeSet<String>,
    /// The industry taxonomy codes are checked against.
    taxonomy: &'a industries::Taxonomy,
}

/// `report.toml`: every text cell within the form's limit (counted as the form counts), years that
/// are years and not after the report year.
fn report_rules(ctx: &mut Ctx, c: &Consortium, report: &Report, facts: &Facts) {
    let path = c.report_path.as_str();
    let mut cells: Vec<(String, TextCell, &toml::Spanned<String>)> = Report::CELLS
        .into_iter()
        .zip(report.texts())
        .filter_map(|(cell, text)| text.map(|t| (String::new(), cell, t)))
        .collect();
    for (year, by_year) in &report.year {
        let span = year.span();
        let year = year.get_ref();
        match year.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => {
                if facts.report_year.is_some_and(|r| y > r) {
                    ctx.error(
                        path,
                        span.clone(),
                        rule!(
                            "check.report_year_after",
                            y,
                            report_year = facts.report_year.unwrap_or_default()
                        ),
                    );
                }
            }
            _ => {
                ctx.error(path, span, rule!("check.report_year_not_a_year", year));
                continue;
            }
        }
        cells.extend(
            YearCells::CELLS
                .into_iter()
                .zip(by_year.texts())
                .filter_map(|(cell, text)| text.map(|t| (msg!("check.cell_year", year), cell, t))),
        );
    }
    for (prefix, cell, text) in cells {
        let n = form_chars(text.get_ref());
        if n > cell.limit {
            ctx.warning(
                path,
                text.span(),
                rule!(
                    "check.cell_over_limit",
                    prefix,
                    label = cell.label,
                    key = cell.key,
                    n,
                    limit = cell.limit
                ),
            )
            .help = Some(msg!("check.cell_over_limit_help", over = n - cell.limit));
        }
    }
    if let (Some(pledge), Some(filled)) = (&report.pledge, &report.filled) {
        if pledge.date.get_ref() > filled.get_ref() {
            let note = ctx.note(path, filled.span(), msg!("check.filled_here"));
            ctx.warning(
                path,
                pledge.date.span(),
                rule!(
                    "check.pledge_after_filled",
                    pledge = pledge.date.get_ref().chinese(),
                    filled = filled.get_ref().chinese()
                ),
            )
            .notes
            .push(note);
        }
    }
}

/// `assessment.toml`: every point is one of the published observation points; every piece of
/// evidence leads somewhere; a point marked 达成 names its evidence; the negative item (7) is
/// answered.
fn assessment_rules(ctx: &mut Ctx, c: &Consortium, a: &assessment::Assessment, facts: &Facts) {
    let path = c.assessment_path.as_str();
    let indicators = assessment::indicators();
    let points: Vec<&str> = indicators
        .iter()
        .flat_map(|i| i.point.iter().map(|p| p.no.as_str()))
        .collect();
    for (no, answer) in &a.point {
        if !points.contains(&no.get_ref().as_str()) {
            ctx.error(
                path,
                no.span(),
                rule!("check.unknown_point", no = no.get_ref()),
            )
            .help = did_you_mean(no.get_ref(), points.iter().copied());
            continue;
        }
        for e in &answer.evidence {
            if let Some(why) = evidence_problem(c, e.get_ref(), facts) {
                ctx.error(
                    path,
                    e.span(),
                    rule!("check.evidence_nowhere", evidence = e.get_ref(), why),
                )
                .help = Some(msg!("check.evidence_help"));
            }
        }
        // The negative item asks that nothing happened, which has no evidence to show.
        let negative = indicators
            .iter()
            .any(|i| i.negative && i.point.iter().any(|p| p.no == *no.get_ref()));
        if *answer.status.get_ref() == assessment::Status::Achieved
            && answer.evidence.is_empty()
            && !negative
        {
            ctx.warning(
                path,
                answer.status.span(),
                rule!("check.achieved_without_evidence", no = no.get_ref()),
            )
            .help = Some(msg!("check.achieved_without_evidence_help"));
        }
    }
    for i in indicators.iter().filter(|i| i.negative) {
        for p in &i.point {
            if a.answer(&p.no).is_none() {
                ctx.warning(
                    path,
                    0..0,
                    rule!(
                        "check.negative_unanswered",
                        no = p.no,
                        name = i.name,
                        text = p.text
                    ),
                )
                .help = Some(msg!("check.negative_unanswered_help", no = p.no));
            }
        }
    }
}

/// `governance.toml`: documents lead somewhere and 发文字号 have the standard form.
fn governance_rules(ctx: &mut Ctx, c: &Consortium, g: &Governance, facts: &Facts) {
    let path = c.governance_path.as_str();
    let documents = g
        .rule
        .iter()
        .filter_map(|r| r.document.as_ref())
        .chain(g.policy.iter().filter_map(|p| p.document.as_ref()));
    for d in documents {
        if let Some(why) = evidence_problem(c, d.get_ref(), facts) {
            ctx.error(
                path,
                d.span(),
                rule!("check.document_nowhere", document = d.get_ref(), why),
            );
        }
    }
    for n in g.policy.iter().filter_map(|p| p.doc_number.as_ref()) {
        doc_number_rule(ctx, path, n);
    }
}

/// A 发文字号 in the standard form, or an error saying what slipped and the form it likely
/// means. Returns whether it was standard.
fn doc_number_rule(ctx: &mut Ctx, path: &str, number: &toml::Spanned<String>) -> bool {
    let Some(problem) = crate::docnumber::check(number.get_ref()) else {
        return true;
    };
    let help = problem.suggestion.as_ref().map_or_else(
        || msg!("check.doc_number_form_help"),
        |s| msg!("check.doc_number_write", s),
    );
    let text = number.get_ref();
    // One rule: the slips, when they are known, say what is wrong with the form.
    let message = if problem.slips.is_empty() {
        rule!("check.doc_number_form", number = text)
    } else {
        let slips = problem.slips.join(msg!("check.list_separator").as_str());
        Message::named(
            "check.doc_number_form",
            msg!("check.doc_number_slips", number = text, slips),
        )
    };
    ctx.error(path, number.span(), message).help = Some(help);
    false
}

/// `lists.toml`: entries belong to members, years are not after the report year, a technology
/// demand's taker leads somewhere and a solved one names it, a talent demand asks for someone.
fn list_rules(ctx: &mut Ctx, c: &Consortium, l: &DemandLists, facts: &Facts, check_ref: &CheckRef) {
    let path = c.lists_path.as_str();
    let year = |ctx: &mut Ctx, y: &toml::Spanned<i32>| {
        if let Some(r) = facts.report_year.filter(|r| *y.get_ref() > *r) {
            ctx.error(
                path,
                y.span(),
                rule!("check.entry_after_report_year", year = y.get_ref(), r),
            );
        }
    };
    for x in &l.product {
        check_ref(ctx, path, &x.member, &msg!("role.member"));
        year(ctx, &x.year);
    }
    for x in &l.technology {
        check_ref(ctx, path, &x.member, &msg!("role.member"));
        year(ctx, &x.year);
        match &x.taken_by {
            Some(t) => {
                let kind = t.get_ref().split_once(':').map(|(k, _)| k);
                if !matches!(kind, Some("programme" | "member")) {
                    ctx.error(
                        path,
                        t.span(),
                        rule!("check.taken_by_form", taken_by = t.get_ref()),
                    );
                } else if let Some(why) = evidence_problem(c, t.get_ref(), facts) {
                    ctx.error(
                        path,
                        t.span(),
                        rule!("check.taken_by_nowhere", taken_by = t.get_ref(), why),
                    );
                }
            }
            None if *x.status.get_ref() == TechStatus::Solved => {
                ctx.warning(
                    path,
                    x.status.span(),
                    rule!("check.solved_without_taker", title = x.title),
                );
            }
            None => {}
        }
    }
    for x in &l.talent {
        check_ref(ctx, path, &x.member, &msg!("role.member"));
        year(ctx, &x.year);
        if *x.number.get_ref() == 0 {
            ctx.error(
                path,
                x.number.span(),
                rule!("check.demand_for_nobody", post = x.post),
            );
        }
    }
}

/// Seats with dates: a holder's end is not before the start, and two holders of one seat (the
/// same role for the same organisation in one body) do not sit at once.
fn seat_rules(ctx: &mut Ctx, c: &Consortium) {
    let path = c.profile_path.as_str();
    for b in &c.profile.bodies {
        for (i, s) in b.seats.iter().enumerate() {
            if let (Some(start), Some(end)) = (&s.start, &s.end) {
                if end.get_ref() < start.get_ref() {
                    ctx.error(
                        path,
                        end.span(),
                        rule!(
                            "check.seat_ends_before_start",
                            role = s.role,
                            name = s.name,
                            end = end.get_ref().chinese()
                        ),
                    );
                }
            }
            if s.start.is_none() && s.end.is_none() {
                continue;
            }
            for t in &b.seats[..i] {
                if t.role != s.role || t.organisation != s.organisation || t.organisation.is_empty()
                {
                    continue;
                }
                let begins = |x: &Seat| x.start.as_ref().map(|d| *d.get_ref());
                let ends = |x: &Seat| x.end.as_ref().map(|d| *d.get_ref());
                let overlap = begins(s).is_none_or(|b| ends(t).is_none_or(|e| b <= e))
                    && begins(t).is_none_or(|b| ends(s).is_none_or(|e| b <= e));
                if overlap {
                    let span = s
                        .start
                        .as_ref()
                        .or(s.end.as_ref())
                        .map_or(0..0, |d| d.span());
                    let at = t
                        .start
                        .as_ref()
                        .or(t.end.as_ref())
                        .map_or(0..0, |d| d.span());
                    let note = ctx.note(path, at, msg!("check.seat_held_here", name = t.name));
                    let d = ctx.error(
                        path,
                        span,
                        rule!(
                            "check.seat_overlap",
                            first = t.name,
                            second = s.name,
                            role = s.role,
                            organisation = s.organisation,
                            body = b.name
                        ),
                    );
                    d.help = Some(msg!("check.seat_overlap_help"));
                    d.notes.push(note);
                }
            }
        }
    }
    for d in c
        .profile
        .recognition
        .iter()
        .filter_map(|r| r.document.as_ref())
    {
        doc_number_rule(ctx, path, d);
    }
}

/// `majors.toml`: schools are member schools, codes have the national form, a year is not after
/// the report year, and one major is on one list a year.
fn major_rules(ctx: &mut Ctx, c: &Consortium, m: &MajorLists, facts: &Facts, check_ref: &CheckRef) {
    let path = c.majors_path.as_str();
    let mut seen: BTreeMap<(&str, String, i32), &ListedMajor> = BTreeMap::new();
    for x in &m.major {
        if let Some(kind) = check_ref(ctx, path, &x.school, &msg!("role.school")) {
            if !kind.is_school() {
                ctx.error(
                    path,
                    x.school.span(),
                    rule!(
                        "check.major_school_not_school",
                        school = x.school.get_ref(),
                        kind = kind.label()
                    ),
                );
            }
        }
        if let Some(code) = &x.code {
            if !is_major_code(code.get_ref()) {
                ctx.error(
                    path,
                    code.span(),
                    rule!("check.major_code", code = code.get_ref()),
                );
            }
        }
        let year = *x.year.get_ref();
        if facts.report_year.is_some_and(|r| year > r) {
            ctx.error(
                path,
                x.year.span(),
                rule!(
                    "check.list_after_report_year",
                    year,
                    report_year = facts.report_year.unwrap_or_default()
                ),
            );
        }
        // One major: the school and its code, or its name when no code is given.
        let id = x
            .code
            .as_ref()
            .map_or_else(|| x.name.get_ref().clone(), |c| c.get_ref().clone());
        match seen.get(&(x.school.get_ref().as_str(), id.clone(), year)) {
            Some(other) if other.list.get_ref() != x.list.get_ref() => {
                let note = ctx.note(
                    path,
                    other.list.span(),
                    msg!(
                        "check.major_listed_here",
                        list = other.list.get_ref().label()
                    ),
                );
                ctx.error(
                    path,
                    x.list.span(),
                    rule!(
                        "check.major_on_two_lists",
                        major = x.name.get_ref(),
                        school = x.school.get_ref(),
                        year,
                        first = other.list.get_ref().label(),
                        second = x.list.get_ref().label()
                    ),
                )
                .notes
                .push(note);
            }
            Some(_) => {
                ctx.warning(
                    path,
                    x.name.span(),
                    rule!(
                        "check.major_listed_twice",
                        major = x.name.get_ref(),
                        school = x.school.get_ref(),
                        year
                    ),
                );
            }
            None => {
                seen.insert((x.school.get_ref().as_str(), id, year), x);
            }
        }
    }
}

/// `milestones.toml`: owners are members, evidence leads somewhere, a done milestone has a date
/// not after the report date, and one past due and not done on 31 December of the report year is
/// a warning (逾期: the notices ask that overdue tasks be supervised).
fn milestone_rules(
    ctx: &mut Ctx,
    c: &Consortium,
    m: &Milestones,
    facts: &Facts,
    check_ref: &CheckRef,
) {
    let path = c.milestones_path.as_str();
    let cutoff = facts.report_year.and_then(Date::year_end);
    for ms in &m.milestone {
        check_ref(ctx, path, &ms.owner, &msg!("role.owner"));
        for e in &ms.evidence {
            if let Some(why) = evidence_problem(c, e.get_ref(), facts) {
                ctx.error(
                    path,
                    e.span(),
                    rule!("check.evidence_nowhere", evidence = e.get_ref(), why),
                );
            }
        }
        match (&ms.done, ms.status.get_ref()) {
            (Some(d), MilestoneStatus::Done) => {
                if cutoff.is_some_and(|c| *d.get_ref() > c) {
                    ctx.error(
                        path,
                        d.span(),
                        rule!(
                            "check.milestone_done_after_report",
                            title = ms.title,
                            done = d.get_ref().chinese()
                        ),
                    );
                }
            }
            (Some(d), _) => {
                ctx.warning(
                    path,
                    d.span(),
                    rule!("check.milestone_done_date_not_done", title = ms.title),
                );
            }
            (None, _) => {}
        }
        if let Some(day) = cutoff {
            if ms.overdue(day) {
                ctx.warning(
                    path,
                    ms.due.span(),
                    rule!(
                        "check.milestone_overdue",
                        title = ms.title,
                        due = ms.due.get_ref().chinese(),
                        day = day.chinese()
                    ),
                )
                .help = Some(msg!("check.milestone_overdue_help"));
            }
        }
    }
}

/// Why a piece of evidence leads nowhere, if it does.
fn evidence_problem(c: &Consortium, e: &str, facts: &Facts) -> Option<String> {
    let Some((kind, target)) = e.split_once(':') else {
        return Some(msg!("check.evidence_without_kind"));
    };
    // Evidence in a file that could not be read is not judged: its error is reported already.
    let dir = c.profile_path.trim_end_matches("consortium.toml");
    let broken = |prefix: &str| facts.broken.iter().any(|p| p.starts_with(prefix));
    let unknowable = match kind {
        "indicator" | "report" => broken(&format!("{dir}indicators.toml")),
        "programme" => broken(&format!("{dir}programmes/")),
        "announcement" => broken(&format!("{dir}announcements/")),
        "member" => c.members.is_unknowable(target),
        "page" => broken("content/pages/") || broken(&format!("{dir}pages/")),
        _ => false,
    };
    if unknowable {
        return None;
    }
    let found = match kind {
        "indicator" => {
            let derived = matches!(
                target,
                "staff_training_person_days" | "social_training_person_days"
            ) && !c.training.sessions.is_empty();
            derived
                || c.indicators
                    .entries
                    .iter()
                    .any(|x| x.key.get_ref() == target)
        }
        "programme" => c.programmes.iter().any(|p| p.slug == target),
        "announcement" => c.announcements.iter().any(|x| x.slug == target),
        "member" => c.member(target).is_some(),
        "page" => {
            c.pages.iter().any(|p| p.slug == target)
                || facts.pages.as_ref().is_none_or(|p| p.contains(&target))
        }
        "report" => target.parse::<i32>().is_ok_and(|y| {
            c.indicators
                .entries
                .iter()
                .any(|x| x.basis == Basis::Actual && x.year == y)
        }),
        _ => {
            return Some(msg!(
                "check.evidence_unknown_kind",
                kind,
                kinds = crate::messages::list(assessment::EVIDENCE_KINDS)
            ))
        }
    };
    (!found).then(|| match kind {
        "page" => msg!("check.evidence_no_page", target),
        "report" => msg!("check.evidence_no_report", target),
        _ => msg!("check.evidence_no_target", kind, target),
    })
}

/// Free pages (the site's or a consortium's): a slug not `reserved` (said by `reserved_message`),
/// one page a slug, and a title.
fn page_rules(
    ctx: &mut Ctx,
    pages: &[Page],
    reserved: &[&str],
    reserved_message: impl Fn(&str) -> Message,
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for p in pages {
        let span = p.meta.slug.as_ref().map_or(0..0, |s| s.span());
        if reserved.contains(&p.slug.as_str()) {
            ctx.error(&p.path, span.clone(), reserved_message(&p.slug));
        }
        if let Some(first) = seen.insert(&p.slug, &p.path) {
            ctx.error(
                &p.path,
                span,
                rule!("check.duplicate_page_slug", slug = p.slug, first),
            );
        }
        if p.meta.title.trim().is_empty() {
            ctx.error(&p.path, 0..0, rule!("check.page_without_title"));
        }
    }
}

/// `[announcements]` of `site.toml`: sizes of at least one, and categories with a name and a URL
/// segment of their own.
fn announcements_config(ctx: &mut Ctx, config: &SiteConfig) {
    const SITE: &str = "content/site.toml";
    let a = &config.announcements;
    for (key, size) in [("page_size", &a.page_size), ("feed_size", &a.feed_size)] {
        if *size.get_ref() == 0 {
            ctx.error(SITE, size.span(), rule!("check.size_at_least_one", key));
        }
    }
    let mut names: Vec<&str> = CATEGORIES.iter().map(|(n, _)| *n).collect();
    let mut slugs: Vec<&str> = CATEGORIES.iter().map(|(_, s)| *s).collect();
    for c in &a.categories {
        let (name, slug) = (c.name.get_ref().as_str(), c.slug.get_ref().as_str());
        if name.trim().is_empty() {
            ctx.error(SITE, c.name.span(), rule!("check.category_without_name"));
        } else if names.contains(&name) {
            ctx.error(
                SITE,
                c.name.span(),
                rule!("check.category_defined_twice", name),
            );
        }
        let plain = !slug.is_empty()
            && slug
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !plain || slug.bytes().all(|b| b.is_ascii_digit()) {
            ctx.error(SITE, c.slug.span(), rule!("check.category_slug_form", slug));
        } else if slugs.contains(&slug) {
            ctx.error(SITE, c.slug.span(), rule!("check.category_slug_used", slug));
        }
        names.push(name);
        slugs.push(slug);
    }
}

/// The rules of one announcement's front matter that need no other file.
fn announcement(ctx: &mut Ctx, a: &Announcement, facts: &Facts) {
    let path = a.path.as_str();
    if RESERVED_ANNOUNCEMENT_SLUGS.contains(&a.slug.as_str()) {
        let span = a.meta.slug.as_ref().map_or(0..0, |s| s.span());
        ctx.error(
            path,
            span,
            rule!("check.announcement_slug_reserved", slug = a.slug),
        );
    }
    if let Some(cat) = &a.meta.category {
        if !facts.categories.is_empty() && !facts.categories.contains(&cat.get_ref().as_str()) {
            let help =
                did_you_mean(cat.get_ref(), facts.categories.iter().copied()).or_else(|| {
                    Some(msg!(
                        "check.categories_are",
                        categories = facts.categories.join("、")
                    ))
                });
            ctx.error(
                path,
                cat.span(),
                rule!("check.unknown_category", category = cat.get_ref()),
            )
            .help = help;
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for tag in &a.meta.tags {
        let t = tag.get_ref().as_str();
        if t.trim().is_empty() || t.trim() != t {
            ctx.error(path, tag.span(), rule!("check.tag_blank"));
        } else if t == "."
            || t == ".."
            || t.chars()
                .any(|ch| "/\\?#%\"<>".contains(ch) || ch.is_control())
        {
            ctx.error(path, tag.span(), rule!("check.tag_characters", t));
        } else if seen.contains(&t) {
            ctx.warning(path, tag.span(), rule!("check.tag_twice", t));
        }
        seen.push(t);
    }
    if let Some(number) = &a.meta.doc_number {
        // `year` is only given for a standard form, so a malformed one has its error alone.
        let standard = doc_number_rule(ctx, path, number);
        if let (true, Some(year), Some(written)) = (
            standard,
            crate::docnumber::year(number.get_ref()),
            a.meta.written.as_ref(),
        ) {
            if year > written.get_ref().year() {
                let note = ctx.note(path, written.span(), msg!("check.written_here"));
                ctx.error(
                    path,
                    number.span(),
                    rule!(
                        "check.doc_number_after_written",
                        number = number.get_ref(),
                        year,
                        written = written.get_ref().chinese()
                    ),
                )
                .notes
                .push(note);
            }
        }
    }
    if let Some(written) = &a.meta.written {
        if written.get_ref() > a.meta.date.get_ref() {
            let note = ctx.note(path, a.meta.date.span(), msg!("check.date_here"));
            ctx.error(
                path,
                written.span(),
                rule!(
                    "check.written_after_date",
                    written = written.get_ref().chinese(),
                    date = a.meta.date.get_ref().chinese()
                ),
            )
            .notes
            .push(note);
        }
    }
    if let Some(updated) = &a.meta.updated {
        if updated.get_ref() < a.meta.date.get_ref() {
            ctx.error(
                path,
                updated.span(),
                rule!(
                    "check.updated_before_date",
                    updated = updated.get_ref().iso(),
                    date = a.meta.date.get_ref().iso()
                ),
            );
        }
    }
    if a.meta.doc_number.is_some() && a.meta.issuer.is_none() {
        ctx.warning(
            path,
            a.meta.doc_number.as_ref().map_or(0..0, |n| n.span()),
            rule!("check.doc_number_without_issuer"),
        );
    }
}

fn consortium(ctx: &mut Ctx, c: &Consortium, facts: &Facts) {
    let ids: Vec<&str> = c
        .members
        .list
        .iter()
        .map(|m| m.id.get_ref().as_str())
        .collect();
    // A reference to a member: must exist. A member's name where its id belongs says which id to
    // write; otherwise the closest id is suggested, with its name.
    let check_ref =
        |ctx: &mut Ctx, path: &str, r: &toml::Spanned<String>, what: &str| -> Option<MemberKind> {
            let written = r.get_ref().as_str();
            match c.member(written) {
                Some(m) => Some(m.kind),
                None if c.members.is_unknowable(written) => None,
                None => {
                    let by_name =
                        c.members.list.iter().find(|m| {
                            m.name == written || m.short_name.as_deref() == Some(written)
                        });
                    let help = match by_name {
                        Some(m) => Some(msg!(
                            "check.member_name_for_id",
                            written,
                            id = m.id.get_ref()
                        )),
                        None => crate::diagnostics::closest(written, ids.iter().copied())
                            .and_then(|id| c.member(id))
                            .map(|m| {
                                msg!(
                                    "check.did_you_mean_member",
                                    id = m.id.get_ref(),
                                    name = m.name
                                )
                            }),
                    };
                    ctx.error(path, r.span(), rule!("check.not_a_member", what, written))
                        .help =
                        help.or_else(|| Some(msg!("check.member_ids_in", path = c.members.path)));
                    None
                }
            }
        };

    // Members: ids unique and usable in URLs; students only for schools.
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &c.members.list {
        let id = m.id.get_ref();
        if !crate::content::is_url_safe(id) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                rule!("check.member_id_characters", id),
            );
        }
        let (line, _) = ctx.file(&c.members.path).line_col(m.id.span().start);
        if let Some(l) = first.insert(id, line) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                rule!("check.duplicate_member_id", id, l),
            );
            first.insert(id, l);
        }
        if let Some(s) = &m.students {
            if !m.kind.is_school() {
                ctx.error(
                    &c.members.path,
                    s.span(),
                    rule!("check.students_not_school", id, kind = m.kind.label()),
                );
            }
        }
    }

    // Profile: leads, secretariat, seats, phases (unless the profile could not be read).
    let p = &c.profile;
    if c.profile_unreadable {
        programmes_training_indicators(ctx, c, facts, &check_ref);
        return;
    }
    let path = c.profile_path.as_str();
    for (lead, role, wanted) in [
        (&p.leads.park, msg!("role.lead_park"), None),
        (&p.leads.school, msg!("role.lead_school"), Some("school")),
        (
            &p.leads.enterprise,
            msg!("role.lead_enterprise"),
            Some("enterprise"),
        ),
    ] {
        let l = lead.get_ref();
        match &l.member {
            Some(r) => {
                if let Some(kind) = check_ref(ctx, path, r, &role) {
                    let fits = match wanted {
                        Some("school") => kind.is_school(),
                        Some(_) => kind == MemberKind::Enterprise,
                        None => true,
                    };
                    if !fits {
                        ctx.warning(
                            path,
                            r.span(),
                            rule!(
                                "check.lead_wrong_kind",
                                role,
                                id = r.get_ref(),
                                kind = kind.label(),
                                wanted = match wanted {
                                    Some("school") => msg!("role.school"),
                                    _ => msg!("role.enterprise"),
                                }
                            ),
                        );
                    }
                }
            }
            None if l.name.as_deref().is_none_or(|n| n.trim().is_empty()) => {
                ctx.error(
                    path,
                    lead.span(),
                    rule!("check.lead_needs_member_or_name", role),
                );
            }
            None => {}
        }
    }
    if let Some(s) = &p.secretariat {
        if let Some(h) = &s.host {
            check_ref(ctx, path, h, &msg!("role.secretariat_host"));
        }
        let area = *s.office_area.get_ref();
        if !area.is_finite() || area < 0.0 {
            ctx.error(
                path,
                s.office_area.span(),
                rule!("check.office_area_negative", area),
            );
        } else if area == 0.0 {
            ctx.warning(path, s.office_area.span(), rule!("check.office_area_zero"));
        }
    }
    for b in &p.bodies {
        for seat in &b.seats {
            if let Some(m) = &seat.member {
                check_ref(ctx, path, m, &msg!("role.seat_member"));
            }
        }
    }
    for ph in &p.phases {
        if ph.end.get_ref() < ph.start.get_ref() {
            let note = ctx.note(
                path,
                ph.start.span(),
                msg!("check.phase_starts_here", start = ph.start.get_ref()),
            );
            ctx.error(
                path,
                ph.end.span(),
                rule!(
                    "check.phase_ends_before_start",
                    name = ph.name,
                    end = ph.end.get_ref(),
                    start = ph.start.get_ref()
                ),
            )
            .notes
            .push(note);
        }
    }
    programmes_training_indicators(ctx, c, facts, &check_ref);
}

/// Checks a reference to a member (`ctx`, file, the reference, what it is) and gives its kind.
type CheckRef<'a> = dyn Fn(&mut Ctx, &str, &toml::Spanned<String>, &str) -> Option<MemberKind> + 'a;

/// The rules over programmes, training and indicators, which need no profile.
fn programmes_training_indicators(
    ctx: &mut Ctx,
    c: &Consortium,
    facts: &Facts,
    check_ref: &CheckRef,
) {
    if let Some(m) = &c.milestones {
        milestone_rules(ctx, c, m, facts, check_ref);
    }
    if let Some(m) = &c.majors {
        major_rules(ctx, c, m, facts, check_ref);
    }
    if let Some(l) = &c.lists {
        list_rules(ctx, c, l, facts, check_ref);
    }
    if let Some(g) = &c.governance {
        governance_rules(ctx, c, g, facts);
    }
    // Industry codes of the consortium, its members and its programmes are the taxonomy's.
    let codes = c
        .profile
        .industry_codes
        .iter()
        .map(|x| (c.profile_path.as_str(), x))
        .chain(c.members.list.iter().flat_map(|m| {
            m.industry_codes
                .iter()
                .map(|x| (c.members.path.as_str(), x))
        }))
        .chain(
            c.programmes
                .iter()
                .flat_map(|p| p.meta.industry_codes.iter().map(|x| (p.path.as_str(), x))),
        );
    let taxonomy = c.taxonomy.as_ref().unwrap_or(facts.taxonomy);
    for (path, code) in codes {
        if taxonomy.get(code.get_ref()).is_none() {
            ctx.error(
                path,
                code.span(),
                rule!(
                    "check.unknown_industry_code",
                    code = code.get_ref(),
                    province = taxonomy.province,
                    codes = crate::messages::list(taxonomy.codes())
                ),
            )
            .help = did_you_mean(code.get_ref(), taxonomy.codes());
        }
    }
    // Programmes: partners exist, start year plausible, slugs unique.
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for prog in &c.programmes {
        if prog.meta.partners.get_ref().is_empty() {
            ctx.error(
                &prog.path,
                prog.meta.partners.span(),
                rule!("check.programme_without_partner"),
            );
        }
        let mut seen = BTreeSet::new();
        for r in prog.meta.partners.get_ref() {
            if !seen.insert(r.get_ref()) {
                ctx.error(
                    &prog.path,
                    r.span(),
                    rule!("check.partner_twice", partner = r.get_ref()),
                );
                continue;
            }
            check_ref(ctx, &prog.path, r, &msg!("role.partner"));
        }
        let y = *prog.meta.start_year.get_ref();
        if let Some(report_year) = facts.report_year.filter(|r| y > r + 5 || y < 1900) {
            ctx.error(
                &prog.path,
                prog.meta.start_year.span(),
                rule!("check.start_year_implausible", y, report_year),
            );
        }
        if let Some(started) = &prog.meta.started {
            if started.get_ref().year() != y {
                let note = ctx.note(
                    &prog.path,
                    prog.meta.start_year.span(),
                    msg!("check.start_year_here"),
                );
                ctx.error(
                    &prog.path,
                    started.span(),
                    rule!(
                        "check.started_not_in_start_year",
                        started = started.get_ref().iso(),
                        y
                    ),
                )
                .notes
                .push(note);
            }
        }
        if *prog.meta.gold.get_ref() && prog.meta.kind.gold().is_none() {
            ctx.error(
                &prog.path,
                prog.meta.gold.span(),
                rule!(
                    "check.gold_kind",
                    kind = prog.meta.kind.key(),
                    label = prog.meta.kind.label()
                ),
            );
        }
        if let Some(awarded) = &prog.meta.awarded {
            let a = *awarded.get_ref();
            if !*prog.meta.gold.get_ref() && prog.meta.level.is_none() {
                ctx.warning(
                    &prog.path,
                    awarded.span(),
                    rule!("check.awarded_without_gold"),
                );
            }
            if a < y {
                ctx.error(
                    &prog.path,
                    awarded.span(),
                    rule!("check.awarded_before_start", a, y),
                );
            }
            if facts.report_year.is_some_and(|r| a > r) {
                ctx.error(
                    &prog.path,
                    awarded.span(),
                    rule!(
                        "check.awarded_after_report_year",
                        a,
                        report_year = facts.report_year.unwrap_or_default()
                    ),
                );
            }
        }
        if let Some(completed) = &prog.meta.completed {
            let before_start = match &prog.meta.started {
                Some(s) => completed.get_ref() < s.get_ref(),
                None => completed.get_ref().year() < y,
            };
            if before_start {
                ctx.error(
                    &prog.path,
                    completed.span(),
                    rule!(
                        "check.completed_before_start",
                        completed = completed.get_ref().iso()
                    ),
                );
            }
            if matches!(
                prog.meta.status,
                ProgrammeStatus::Planned | ProgrammeStatus::Building
            ) {
                ctx.warning(
                    &prog.path,
                    completed.span(),
                    rule!(
                        "check.completed_status",
                        status = prog.meta.status.key(),
                        label = prog.meta.status.label()
                    ),
                );
            }
        }
        if let Some(other) = slugs.insert(&prog.slug, &prog.path) {
            let span = prog.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &prog.path,
                span,
                rule!("check.duplicate_programme_slug", slug = prog.slug, other),
            );
        }
    }

    // Training: providers exist, person-days sane.
    for s in &c.training.sessions {
        check_ref(ctx, &c.training.path, &s.provider, &msg!("role.provider"));
        let pd = *s.person_days.get_ref();
        if !pd.is_finite() || pd < 0.0 {
            ctx.error(
                &c.training.path,
                s.person_days.span(),
                rule!("check.person_days_negative", pd),
            );
        } else if (pd * 10.0).fract() != 0.0 {
            ctx.error(
                &c.training.path,
                s.person_days.span(),
                rule!("check.person_days_decimals", pd),
            );
        }
        if let Some(report_year) = facts.report_year.filter(|r| s.date.get_ref().year() > *r) {
            ctx.warning(
                &c.training.path,
                s.date.span(),
                rule!(
                    "check.session_after_report_year",
                    date = s.date.get_ref(),
                    report_year
                ),
            );
        }
    }

    // Indicators: known keys, values of the right kind, years on the right side of the report year.
    let ind_path = c.indicators.path.as_str();
    for e in &c.indicators.entries {
        let key = e.key.get_ref().as_str();
        let catalogue = facts.catalogue;
        let Some(def) = catalogue.get(key) else {
            if !facts.catalogue_complete {
                continue;
            }
            let help = did_you_mean(key, catalogue.keys());
            ctx.error(
                ind_path,
                e.key.span(),
                rule!("check.unknown_indicator", key),
            )
            .help = help.or_else(|| Some(msg!("check.unknown_indicator_help")));
            continue;
        };
        let (v, year, name, unit) = (e.value, e.year, &def.name, &def.unit);
        let problem = if v.is_nan() {
            Some(rule!("check.value_nan", key, year))
        } else if v.is_infinite() {
            Some(rule!("check.value_infinite", key, year))
        } else {
            match def.kind {
                ValueKind::Count if v < 0.0 || v.fract() != 0.0 => {
                    Some(rule!("check.value_not_count", key, year, v, name, unit))
                }
                ValueKind::Percent if !(0.0..=100.0).contains(&v) => {
                    Some(rule!("check.value_not_percent", key, year, v, name))
                }
                ValueKind::Amount if v < 0.0 => {
                    Some(rule!("check.value_negative", key, year, v, name, unit))
                }
                ValueKind::Amount
                    if matches!(unit.as_str(), "人日" | "人月")
                        && ((v * 10.0).round() - v * 10.0).abs() > 1e-6 =>
                {
                    Some(rule!("check.value_decimals", key, year, v, name, unit))
                }
                _ => None,
            }
        };
        if let Some(p) = problem {
            ctx.error(ind_path, e.value_span.clone(), p);
        }
        let Some(report_year) = facts.report_year else {
            continue;
        };
        match e.basis {
            Basis::Actual if e.year > report_year => {
                ctx.error(
                    ind_path,
                    e.year_span.clone(),
                    rule!("check.actual_in_future", key, year = e.year, report_year),
                );
            }
            Basis::Committed if e.year <= report_year => {
                ctx.error(
                    ind_path,
                    e.year_span.clone(),
                    rule!("check.committed_in_past", key, year = e.year, report_year),
                );
            }
            _ => {}
        }
    }

    if let Some(report) = &c.report {
        report_rules(ctx, c, report, facts);
    }
    if let Some(a) = &c.assessment {
        assessment_rules(ctx, c, a, facts);
    }
    if !c.profile_unreadable {
        seat_rules(ctx, c);
    }
    page_rules(ctx, &c.pages, &RESERVED_CONSORTIUM_SLUGS, |slug| {
        rule!("check.page_slug_section", slug)
    });

    // Announcements: unique slugs; a date after the report year's end is suspicious but allowed.
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for a in &c.announcements {
        announcement(ctx, a, facts);
        if let Some(other) = slugs.insert(&a.slug, &a.path) {
            let span = a.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &a.path,
                span,
                rule!("check.duplicate_announcement_slug", slug = a.slug, other),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = "name = \"n\"\nshort_name = \"s\"\nfounded = 2023-06-01\n[leads]\npark = { name = \"园区\" }\nschool = { member = \"ent\" }\nenterprise = { member = \"nobdy\" }\n";
    const MEMBERS: &str = "[[member]]\nid = \"ent\"\nname = \"企业\"\nkind = \"enterprise\"\nstudents = 5\n\n[[member]]\nid = \"nobody\"\nname = \"学校\"\nkind = \"higher_vocational\"\n";
    const TRAINING: &str = "[[session]]\ndate = 2024-01-02\ntitle = \"t\"\nprovider = \"ent\"\naudience = \"social\"\nparticipants = 3\nperson_days = 1.25\n";

    /// Runs the rules over one consortium written as TOML, with its files as sources.
    fn run(indicators: &[(&str, i32, f64, Basis)]) -> Vec<String> {
        #[derive(serde::Deserialize)]
        struct M {
            member: Vec<Member>,
        }
        #[derive(serde::Deserialize)]
        struct T {
            session: Vec<TrainingSession>,
        }
        let files = [
            ("c/consortium.toml", PROFILE),
            ("c/members.toml", MEMBERS),
            ("c/training.toml", TRAINING),
            ("c/indicators.toml", ""),
        ];
        let sources: BTreeMap<String, SourceFile> = files
            .iter()
            .map(|(p, t)| (p.to_string(), SourceFile::new(*p, t.to_string())))
            .collect();
        let c = Consortium {
            id: "c".into(),
            profile_path: "c/consortium.toml".into(),
            profile_unreadable: false,
            profile: toml::from_str(PROFILE).unwrap(),
            members: Members {
                path: "c/members.toml".into(),
                list: toml::from_str::<M>(MEMBERS).unwrap().member,
                ..Members::default()
            },
            programmes: Vec::new(),
            training: Training {
                path: "c/training.toml".into(),
                sessions: toml::from_str::<T>(TRAINING).unwrap().session,
            },
            indicators: Indicators {
                path: "c/indicators.toml".into(),
                entries: indicators
                    .iter()
                    .map(|(k, y, v, b)| IndicatorEntry {
                        key: toml::Spanned::new(0..0, k.to_string()),
                        year: *y,
                        year_span: 0..0,
                        value: *v,
                        value_span: 0..0,
                        basis: *b,
                    })
                    .collect(),
            },
            announcements: Vec::new(),
            report: None,
            report_path: "c/report.toml".into(),
            assessment: None,
            assessment_path: "c/assessment.toml".into(),
            pages: Vec::new(),
            milestones: None,
            milestones_path: "c/milestones.toml".into(),
            majors: None,
            majors_path: "c/majors.toml".into(),
            lists: None,
            lists_path: "c/lists.toml".into(),
            governance: None,
            governance_path: "c/governance.toml".into(),
            taxonomy: None,
        };
        let config: SiteConfig =
            toml::from_str("title = \"t\"\nbase_url = \"https://e.org/\"\nreport_year = 2024\n")
                .unwrap();
        let cat = Catalogue::built_in();
        let mut d = validate(
            &config,
            &cat,
            &[],
            &[std::sync::Arc::new(c)],
            &sources,
            &BTreeSet::new(),
            &industries::Taxonomy::hunan(),
        );
        crate::diagnostics::sort(&mut d);
        d.iter()
            .map(|d| {
                format!(
                    "{}{}",
                    d,
                    d.help.as_ref().map_or(String::new(), |h| format!(" [{h}]"))
                )
            })
            .collect()
    }

    #[test]
    fn member_rules() {
        let d = run(&[]);
        assert!(d.contains(&"c/consortium.toml:7:25: error[not-a-member]: lead enterprise `nobdy` is not a member of this consortium [did you mean `nobody` (学校)?]".to_string()), "{d:#?}");
        assert!(
            d.contains(
                &"c/consortium.toml:6:21: warning[lead-wrong-kind]: lead school `ent` is 企业, not a school"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.contains(
                &"c/members.toml:5:12: error[students-not-school]: `students` is for schools only, but `ent` is 企业"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.iter().any(|l| l.starts_with(
                "c/training.toml:7:15: error[person-days-decimals]: person_days 1.25 has more than one decimal"
            )),
            "{d:#?}"
        );
        assert_eq!(d.len(), 4, "{d:#?}");
    }

    #[test]
    fn indicator_rules_follow_kind_and_report_year() {
        use Basis::*;
        let base = run(&[]).len();
        let with = |e: &[(&str, i32, f64, Basis)]| run(e).len() - base;
        assert_eq!(
            with(&[
                ("co_built_majors", 2024, 3.0, Actual),
                ("co_built_majors", 2025, 5.0, Committed)
            ]),
            0
        );
        assert_eq!(with(&[("co_built_majors", 2024, 3.5, Actual)]), 1);
        assert_eq!(
            with(&[
                ("employment_rate", 2024, 100.0, Actual),
                ("employment_rate", 2023, 0.0, Actual)
            ]),
            0
        );
        assert_eq!(with(&[("employment_rate", 2024, 100.01, Actual)]), 1);
        assert_eq!(
            with(&[
                ("operating_funds", 2024, 0.5, Actual),
                ("operating_funds", 2023, -0.5, Actual)
            ]),
            1
        );
        assert_eq!(with(&[("operating_funds", 2024, f64::NAN, Actual)]), 1);
        assert_eq!(with(&[("co_built_majors", 2025, 3.0, Actual)]), 1);
        assert_eq!(with(&[("co_built_majors", 2024, 3.0, Committed)]), 1);
        assert_eq!(with(&[("no_such_key", 2024, 3.0, Actual)]), 1);
    }
}
