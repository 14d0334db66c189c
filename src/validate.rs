//! Rules across files: references between records, ids and slugs, indicator values against the
//! catalogue and the report year. Takes the loaded model and its sources; returns diagnostics and
//! the catalogue extended by `site.toml`. Rules never stop at the first problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{did_you_mean, Collector, Diagnostic};
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
                format!(
                    "indicator `{key}` is already in the built-in catalogue; choose another key"
                ),
            );
            continue;
        }
        if cat.group(&def.get_ref().group).is_none() {
            let groups: Vec<&str> = cat.groups.iter().map(|(k, _)| k.as_str()).collect();
            let help = did_you_mean(&def.get_ref().group, groups.iter().copied());
            ctx.error(
                "content/site.toml",
                def.span(),
                format!(
                    "indicator `{key}` names unknown group `{}`",
                    def.get_ref().group
                ),
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
    consortia: &[Consortium],
    sources: &BTreeMap<String, SourceFile>,
    broken: &BTreeSet<String>,
    taxonomy: &industries::Taxonomy,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    let report_year = *config.report_year.get_ref();
    if !(2000..=2100).contains(&report_year) {
        ctx.error(
            "content/site.toml",
            config.report_year.span(),
            format!("report_year {report_year} is not a plausible year"),
        );
    }
    if !(config.base_url.starts_with("http://")
        || config.base_url.starts_with("https://")
        || config.base_url.starts_with('/'))
    {
        ctx.error(
            "content/site.toml",
            0..0,
            format!(
                "base_url `{}` must start with https://, http:// or /",
                config.base_url
            ),
        );
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for page in pages {
        if RESERVED_SLUGS.contains(&page.slug.as_str()) {
            let span = page.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &page.path,
                span,
                format!(
                    "page slug `{}` is reserved for the site's own pages",
                    page.slug
                ),
            );
        }
        if let Some(first) = seen.insert(&page.slug, &page.path) {
            let span = page.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &page.path,
                span,
                format!(
                    "duplicate page slug `{}`, already used by {first}",
                    page.slug
                ),
            );
        }
        if page.meta.title.trim().is_empty() {
            ctx.error(&page.path, 0..0, "missing key `title` in page");
        }
    }
    announcements_config(&mut ctx, config);
    let facts = Facts {
        report_year: Some(report_year),
        catalogue,
        catalogue_complete: true,
        categories: config.categories().into_iter().map(|(n, _)| n).collect(),
        pages: Some(pages.iter().map(|p| p.slug.as_str()).collect()),
        broken,
        taxonomy,
    };
    for c in consortia {
        consortium(&mut ctx, c, &facts);
    }
    ctx.diags
}

/// The rules that need no `site.toml`, for a site whose `site.toml` could not be read: checks that
/// need the report year or the site's own indicators are left out, the rest still run.
pub fn without_config(
    consortia: &[Consortium],
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
                        format!(
                            "[year.{y}] is after the report year {}: the form's cells report what was achieved",
                            facts.report_year.unwrap_or_default()
                        ),
                    );
                }
            }
            _ => {
                ctx.error(
                    path,
                    span,
                    format!("[year.{year}] is not a year such as [year.2024]"),
                );
                continue;
            }
        }
        cells.extend(
            YearCells::CELLS
                .into_iter()
                .zip(by_year.texts())
                .filter_map(|(cell, text)| text.map(|t| (format!("{year}年 "), cell, t))),
        );
    }
    for (prefix, cell, text) in cells {
        let n = form_chars(text.get_ref());
        if n > cell.limit {
            ctx.warning(
                path,
                text.span(),
                format!(
                    "{prefix}{}（{}）has {n}字, over the form's limit of {}字",
                    cell.label, cell.key, cell.limit
                ),
            )
            .help = Some(format!(
                "shorten it by {}字; the count is the form's: each Chinese character and punctuation mark is one, a Latin word or a number is one, spaces are none",
                n - cell.limit
            ));
        }
    }
    if let (Some(pledge), Some(filled)) = (&report.pledge, &report.filled) {
        if pledge.date.get_ref() > filled.get_ref() {
            let note = ctx.note(path, filled.span(), "填表日期 given here");
            ctx.warning(
                path,
                pledge.date.span(),
                format!(
                    "the 申报承诺 is dated {}, after the 填表日期 {}",
                    pledge.date.get_ref().chinese(),
                    filled.get_ref().chinese()
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
                format!("`{}` is not an observation point of the construction indicators (1.1 … 6.3, 7)", no.get_ref()),
            )
            .help = did_you_mean(no.get_ref(), points.iter().copied());
            continue;
        }
        for e in &answer.evidence {
            if let Some(why) = evidence_problem(c, e.get_ref(), facts) {
                ctx.error(path, e.span(), format!("evidence `{}` leads nowhere: {why}", e.get_ref()))
                    .help = Some(
                    "write indicator:<key>, programme:<slug>, announcement:<slug>, member:<id>, page:<slug> or report:<year>".into(),
                );
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
                format!("point {} is marked 达成 with no evidence", no.get_ref()),
            )
            .help = Some(
                "add evidence = [\"indicator:…\", \"programme:…\"] naming where it shows".into(),
            );
        }
    }
    for i in indicators.iter().filter(|i| i.negative) {
        for p in &i.point {
            if a.answer(&p.no).is_none() {
                ctx.warning(
                    path,
                    0..0,
                    format!(
                        "item {} ({}) is not answered: the negative item asks whether {}",
                        p.no, i.name, p.text
                    ),
                )
                .help = Some(format!("add [point.\"{}\"] with a status", p.no));
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
                format!("document `{}` leads nowhere: {why}", d.get_ref()),
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
        || "write it as 机关代字〔YYYY〕N号, such as 湘教通〔2024〕23号".to_string(),
        |s| format!("write `{s}`"),
    );
    let why = if problem.slips.is_empty() {
        String::new()
    } else {
        format!(": {}", problem.slips.join("; "))
    };
    ctx.error(
        path,
        number.span(),
        format!(
            "发文字号 `{}` is not in the form 机关代字〔YYYY〕N号{why}",
            number.get_ref()
        ),
    )
    .help = Some(help);
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
                format!("an entry of {}, after the report year {r}", y.get_ref()),
            );
        }
    };
    for x in &l.product {
        check_ref(ctx, path, &x.member, "member");
        year(ctx, &x.year);
    }
    for x in &l.technology {
        check_ref(ctx, path, &x.member, "member");
        year(ctx, &x.year);
        match &x.taken_by {
            Some(t) => {
                let kind = t.get_ref().split_once(':').map(|(k, _)| k);
                if !matches!(kind, Some("programme" | "member")) {
                    ctx.error(
                        path,
                        t.span(),
                        format!(
                            "taken_by `{}` must be programme:<slug> or member:<id>",
                            t.get_ref()
                        ),
                    );
                } else if let Some(why) = evidence_problem(c, t.get_ref(), facts) {
                    ctx.error(
                        path,
                        t.span(),
                        format!("taken_by `{}` leads nowhere: {why}", t.get_ref()),
                    );
                }
            }
            None if *x.status.get_ref() == TechStatus::Solved => {
                ctx.warning(
                    path,
                    x.status.span(),
                    format!("`{}` is 已解决 but names no taker (taken_by)", x.title),
                );
            }
            None => {}
        }
    }
    for x in &l.talent {
        check_ref(ctx, path, &x.member, "member");
        year(ctx, &x.year);
        if *x.number.get_ref() == 0 {
            ctx.error(
                path,
                x.number.span(),
                format!("a demand for 0 people for the post {}", x.post),
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
                        format!(
                            "{} {}'s seat ends on {}, before it starts",
                            s.role,
                            s.name,
                            end.get_ref().chinese()
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
                    let note = ctx.note(path, at, format!("{} holds it here", t.name));
                    let d = ctx.error(
                        path,
                        span,
                        format!(
                            "{} and {} both hold the seat of {} for {} in {} at the same time",
                            t.name, s.name, s.role, s.organisation, b.name
                        ),
                    );
                    d.help = Some(
                        "give the earlier holder an `end` before the successor's `start`".into(),
                    );
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
        if let Some(kind) = check_ref(ctx, path, &x.school, "school") {
            if !kind.is_school() {
                ctx.error(
                    path,
                    x.school.span(),
                    format!(
                        "`{}` is a {}, not a school: majors are a school's",
                        x.school.get_ref(),
                        kind.label()
                    ),
                );
            }
        }
        if let Some(code) = &x.code {
            if !is_major_code(code.get_ref()) {
                ctx.error(
                    path,
                    code.span(),
                    format!("major code `{}` is not six digits (an undergraduate code may end in K or T), such as 460103", code.get_ref()),
                );
            }
        }
        let year = *x.year.get_ref();
        if facts.report_year.is_some_and(|r| year > r) {
            ctx.error(
                path,
                x.year.span(),
                format!(
                    "a list of {year}, after the report year {}",
                    facts.report_year.unwrap_or_default()
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
                    format!("on the {} here", other.list.get_ref().label()),
                );
                ctx.error(
                    path,
                    x.list.span(),
                    format!(
                        "{} of {} is on two lists in {year}: the {} and the {}",
                        x.name.get_ref(),
                        x.school.get_ref(),
                        other.list.get_ref().label(),
                        x.list.get_ref().label()
                    ),
                )
                .notes
                .push(note);
            }
            Some(_) => {
                ctx.warning(
                    path,
                    x.name.span(),
                    format!(
                        "{} of {} is listed twice on the same list in {year}",
                        x.name.get_ref(),
                        x.school.get_ref()
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
        check_ref(ctx, path, &ms.owner, "owner");
        for e in &ms.evidence {
            if let Some(why) = evidence_problem(c, e.get_ref(), facts) {
                ctx.error(
                    path,
                    e.span(),
                    format!("evidence `{}` leads nowhere: {why}", e.get_ref()),
                );
            }
        }
        match (&ms.done, ms.status.get_ref()) {
            (Some(d), MilestoneStatus::Done) => {
                if cutoff.is_some_and(|c| *d.get_ref() > c) {
                    ctx.error(
                        path,
                        d.span(),
                        format!(
                            "`{}` is done on {}, after the report date",
                            ms.title,
                            d.get_ref().chinese()
                        ),
                    );
                }
            }
            (Some(d), _) => {
                ctx.warning(
                    path,
                    d.span(),
                    format!(
                        "`{}` has a done date but its status is not 已完成",
                        ms.title
                    ),
                );
            }
            (None, _) => {}
        }
        if let Some(day) = cutoff {
            if ms.overdue(day) {
                ctx.warning(
                    path,
                    ms.due.span(),
                    format!(
                        "`{}` was due on {} and is not done as of {} (逾期)",
                        ms.title,
                        ms.due.get_ref().chinese(),
                        day.chinese()
                    ),
                )
                .help = Some(
                    "set status = \"已完成\" with its done date, or give the new due date".into(),
                );
            }
        }
    }
}

/// Why a piece of evidence leads nowhere, if it does.
fn evidence_problem(c: &Consortium, e: &str, facts: &Facts) -> Option<String> {
    let Some((kind, target)) = e.split_once(':') else {
        return Some("it has no kind before a colon".into());
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
            return Some(format!(
                "`{kind}` is not a kind of evidence ({})",
                assessment::EVIDENCE_KINDS.join(", ")
            ))
        }
    };
    (!found).then(|| match kind {
        "page" => format!("neither the site nor this consortium has a page `{target}`"),
        "report" => {
            format!("this consortium has no report for `{target}` (no actual values that year)")
        }
        _ => format!("this consortium has no {kind} `{target}`"),
    })
}

/// `[announcements]` of `site.toml`: sizes of at least one, and categories with a name and a URL
/// segment of their own.
fn announcements_config(ctx: &mut Ctx, config: &SiteConfig) {
    const SITE: &str = "content/site.toml";
    let a = &config.announcements;
    for (key, size) in [("page_size", &a.page_size), ("feed_size", &a.feed_size)] {
        if *size.get_ref() == 0 {
            ctx.error(SITE, size.span(), format!("{key} must be at least 1"));
        }
    }
    let mut names: Vec<&str> = CATEGORIES.iter().map(|(n, _)| *n).collect();
    let mut slugs: Vec<&str> = CATEGORIES.iter().map(|(_, s)| *s).collect();
    for c in &a.categories {
        let (name, slug) = (c.name.get_ref().as_str(), c.slug.get_ref().as_str());
        if name.trim().is_empty() {
            ctx.error(SITE, c.name.span(), "a category needs a name");
        } else if names.contains(&name) {
            ctx.error(
                SITE,
                c.name.span(),
                format!("category `{name}` is already defined"),
            );
        }
        let plain = !slug.is_empty()
            && slug
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !plain || slug.bytes().all(|b| b.is_ascii_digit()) {
            ctx.error(
                SITE,
                c.slug.span(),
                format!("category slug `{slug}` must be lowercase letters, digits and `-`, not only digits"),
            );
        } else if slugs.contains(&slug) {
            ctx.error(
                SITE,
                c.slug.span(),
                format!("category slug `{slug}` is already used"),
            );
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
            format!(
                "announcement slug `{}` is reserved for the announcement lists",
                a.slug
            ),
        );
    }
    if let Some(cat) = &a.meta.category {
        if !facts.categories.is_empty() && !facts.categories.contains(&cat.get_ref().as_str()) {
            let help =
                did_you_mean(cat.get_ref(), facts.categories.iter().copied()).or_else(|| {
                    Some(format!(
                    "the categories are {}; a site adds its own under [announcements] in site.toml",
                    facts.categories.join("、")
                ))
                });
            ctx.error(
                path,
                cat.span(),
                format!("unknown category `{}`", cat.get_ref()),
            )
            .help = help;
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for tag in &a.meta.tags {
        let t = tag.get_ref().as_str();
        if t.trim().is_empty() || t.trim() != t {
            ctx.error(
                path,
                tag.span(),
                "a tag must not be empty or start or end with a space",
            );
        } else if t == "."
            || t == ".."
            || t.chars()
                .any(|ch| "/\\?#%\"<>".contains(ch) || ch.is_control())
        {
            ctx.error(
                path,
                tag.span(),
                format!("tag `{t}` names a page of its own, so it cannot contain / \\ ? # % \" < > or be . or .."),
            );
        } else if seen.contains(&t) {
            ctx.warning(path, tag.span(), format!("tag `{t}` is given twice"));
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
                let note = ctx.note(path, written.span(), "成文日期 given here");
                ctx.error(
                    path,
                    number.span(),
                    format!(
                        "发文字号 `{}` is of {year}, after its 成文日期 {}",
                        number.get_ref(),
                        written.get_ref().chinese()
                    ),
                )
                .notes
                .push(note);
            }
        }
    }
    if let Some(written) = &a.meta.written {
        if written.get_ref() > a.meta.date.get_ref() {
            let note = ctx.note(path, a.meta.date.span(), "发布日期 given here");
            ctx.error(
                path,
                written.span(),
                format!(
                    "成文日期 {} is after the 发布日期 {}: a document is written before it is published",
                    written.get_ref().chinese(),
                    a.meta.date.get_ref().chinese()
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
                format!(
                    "updated {} is before the announcement's date {}",
                    updated.get_ref().iso(),
                    a.meta.date.get_ref().iso()
                ),
            );
        }
    }
    if a.meta.doc_number.is_some() && a.meta.issuer.is_none() {
        ctx.warning(
            path,
            a.meta.doc_number.as_ref().map_or(0..0, |n| n.span()),
            "an announcement with a 发文字号 should name its 发文机关 (`issuer`)",
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
                        Some(m) => Some(format!(
                            "`{written}` is the name of member `{}`: write its id, \"{}\"",
                            m.id.get_ref(),
                            m.id.get_ref()
                        )),
                        None => crate::diagnostics::closest(written, ids.iter().copied())
                            .and_then(|id| c.member(id))
                            .map(|m| format!("did you mean `{}` ({})?", m.id.get_ref(), m.name)),
                    };
                    ctx.error(
                        path,
                        r.span(),
                        format!("{what} `{written}` is not a member of this consortium"),
                    )
                    .help = help
                        .or_else(|| Some(format!("member ids are listed in {}", c.members.path)));
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
                format!("member id `{id}` may use only ASCII letters, digits, `-` and `_`"),
            );
        }
        let (line, _) = ctx.file(&c.members.path).line_col(m.id.span().start);
        if let Some(l) = first.insert(id, line) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                format!("duplicate member id `{id}`, first defined on line {l}"),
            );
            first.insert(id, l);
        }
        if let Some(s) = &m.students {
            if !m.kind.is_school() {
                ctx.error(
                    &c.members.path,
                    s.span(),
                    format!(
                        "`students` is for schools only, but `{id}` is {}",
                        m.kind.label()
                    ),
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
        (&p.leads.park, "lead park", None),
        (&p.leads.school, "lead school", Some("school")),
        (&p.leads.enterprise, "lead enterprise", Some("enterprise")),
    ] {
        let l = lead.get_ref();
        match &l.member {
            Some(r) => {
                if let Some(kind) = check_ref(ctx, path, r, role) {
                    let fits = match wanted {
                        Some("school") => kind.is_school(),
                        Some(_) => kind == MemberKind::Enterprise,
                        None => true,
                    };
                    if !fits {
                        ctx.warning(
                            path,
                            r.span(),
                            format!(
                                "{role} `{}` is {}, not a {}",
                                r.get_ref(),
                                kind.label(),
                                wanted.unwrap_or("")
                            ),
                        );
                    }
                }
            }
            None if l.name.as_deref().is_none_or(|n| n.trim().is_empty()) => {
                ctx.error(
                    path,
                    lead.span(),
                    format!("{role} needs `member` (a member id) or `name`"),
                );
            }
            None => {}
        }
    }
    if let Some(s) = &p.secretariat {
        if let Some(h) = &s.host {
            check_ref(ctx, path, h, "secretariat host");
        }
        let area = *s.office_area.get_ref();
        if !area.is_finite() || area < 0.0 {
            ctx.error(
                path,
                s.office_area.span(),
                format!("office_area must be a number of m² ≥ 0, found {area}"),
            );
        } else if area == 0.0 {
            ctx.warning(
                path,
                s.office_area.span(),
                "office_area is 0 m²: the form asks for the secretariat's fixed office area",
            );
        }
    }
    for b in &p.bodies {
        for seat in &b.seats {
            if let Some(m) = &seat.member {
                check_ref(ctx, path, m, "seat member");
            }
        }
    }
    for ph in &p.phases {
        if ph.end.get_ref() < ph.start.get_ref() {
            let note = ctx.note(
                path,
                ph.start.span(),
                format!("it starts on {}", ph.start.get_ref()),
            );
            ctx.error(
                path,
                ph.end.span(),
                format!(
                    "phase `{}` ends ({}) before it starts ({})",
                    ph.name,
                    ph.end.get_ref(),
                    ph.start.get_ref()
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
                format!(
                    "industry code `{}` is not in the taxonomy of {} ({})",
                    code.get_ref(),
                    taxonomy.province,
                    taxonomy.codes().collect::<Vec<_>>().join(", ")
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
                "a co-built programme needs at least one partner (`partners = [\"member-id\", …]`)",
            );
        }
        let mut seen = BTreeSet::new();
        for r in prog.meta.partners.get_ref() {
            if !seen.insert(r.get_ref()) {
                ctx.error(
                    &prog.path,
                    r.span(),
                    format!("partner `{}` is listed twice", r.get_ref()),
                );
                continue;
            }
            check_ref(ctx, &prog.path, r, "partner");
        }
        let y = *prog.meta.start_year.get_ref();
        if let Some(report_year) = facts.report_year.filter(|r| y > r + 5 || y < 1900) {
            ctx.error(
                &prog.path,
                prog.meta.start_year.span(),
                format!("start_year {y} is not plausible for report year {report_year}"),
            );
        }
        if let Some(started) = &prog.meta.started {
            if started.get_ref().year() != y {
                let note = ctx.note(
                    &prog.path,
                    prog.meta.start_year.span(),
                    "start_year given here",
                );
                ctx.error(
                    &prog.path,
                    started.span(),
                    format!(
                        "started {} is not in start_year {y}",
                        started.get_ref().iso()
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
                format!(
                    "a {}（{}）cannot be 五金: only majors, courses, textbooks and training bases are (金专业, 金课程, 金教材, 金基地)",
                    prog.meta.kind.key(),
                    prog.meta.kind.label()
                ),
            );
        }
        if let Some(awarded) = &prog.meta.awarded {
            let a = *awarded.get_ref();
            if !*prog.meta.gold.get_ref() && prog.meta.level.is_none() {
                ctx.warning(
                    &prog.path,
                    awarded.span(),
                    "`awarded` gives the year of a 五金 designation or a level, but neither `gold` nor `level` is set",
                );
            }
            if a < y {
                ctx.error(
                    &prog.path,
                    awarded.span(),
                    format!("awarded in {a}, before the programme started in {y}"),
                );
            }
            if facts.report_year.is_some_and(|r| a > r) {
                ctx.error(
                    &prog.path,
                    awarded.span(),
                    format!(
                        "awarded in {a}, after the report year {}",
                        facts.report_year.unwrap_or_default()
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
                    format!(
                        "completed {} is before the programme started",
                        completed.get_ref().iso()
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
                    format!(
                        "a completion date, but the status is {}（{}）: set status to completed（建成）or accredited（认定）",
                        prog.meta.status.key(),
                        prog.meta.status.label()
                    ),
                );
            }
        }
        if let Some(other) = slugs.insert(&prog.slug, &prog.path) {
            let span = prog.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &prog.path,
                span,
                format!(
                    "duplicate programme slug `{}`, already used by {other}",
                    prog.slug
                ),
            );
        }
    }

    // Training: providers exist, person-days sane.
    for s in &c.training.sessions {
        check_ref(ctx, &c.training.path, &s.provider, "provider");
        let pd = *s.person_days.get_ref();
        if !pd.is_finite() || pd < 0.0 {
            ctx.error(
                &c.training.path,
                s.person_days.span(),
                format!("person_days must be a number ≥ 0, found {pd}"),
            );
        } else if (pd * 10.0).fract() != 0.0 {
            ctx.error(&c.training.path, s.person_days.span(), format!("person_days {pd} has more than one decimal place (half days are the finest unit)"));
        }
        if let Some(report_year) = facts.report_year.filter(|r| s.date.get_ref().year() > *r) {
            ctx.warning(&c.training.path, s.date.span(), format!("session dated {} is after report year {report_year}; it is not counted until the report year moves on", s.date.get_ref()));
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
            ctx.error(ind_path, e.key.span(), format!("unknown indicator `{key}`"))
                .help = help.or_else(|| Some("see the indicator catalogue in README, or add it under [indicators] in site.toml".to_string()));
            continue;
        };
        let v = e.value;
        let problem = if v.is_nan() {
            Some("is NaN, not a number".to_string())
        } else if v.is_infinite() {
            Some("is infinite".to_string())
        } else {
            match def.kind {
                ValueKind::Count if v < 0.0 || v.fract() != 0.0 => Some(format!(
                    "is {v}, but {} ({}) is a count: a whole number ≥ 0",
                    def.name, def.unit
                )),
                ValueKind::Percent if !(0.0..=100.0).contains(&v) => Some(format!(
                    "is {v}, but {} is a percentage between 0 and 100",
                    def.name
                )),
                ValueKind::Amount if v < 0.0 => Some(format!(
                    "is {v}, but {} ({}) cannot be negative",
                    def.name, def.unit
                )),
                ValueKind::Amount
                    if matches!(def.unit.as_str(), "人日" | "人月")
                        && ((v * 10.0).round() - v * 10.0).abs() > 1e-6 =>
                {
                    Some(format!(
                        "is {v}, but {} ({}) has at most one decimal place (half days are the finest unit)",
                        def.name, def.unit
                    ))
                }
                _ => None,
            }
        };
        if let Some(p) = problem {
            ctx.error(
                ind_path,
                e.value_span.clone(),
                format!("{key} {} {p}", e.year),
            );
        }
        let Some(report_year) = facts.report_year else {
            continue;
        };
        match e.basis {
            Basis::Actual if e.year > report_year => {
                ctx.error(ind_path, e.year_span.clone(), format!("actual value of {key} for {}, after the report year {report_year}: a future year can only be [committed]", e.year));
            }
            Basis::Committed if e.year <= report_year => {
                ctx.error(ind_path, e.year_span.clone(), format!("committed value of {key} for {}, which is not after the report year {report_year}: report what was achieved under [actual]", e.year));
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
    let mut page_slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for p in &c.pages {
        let span = p.meta.slug.as_ref().map_or(0..0, |s| s.span());
        if RESERVED_CONSORTIUM_SLUGS.contains(&p.slug.as_str()) {
            ctx.error(
                &p.path,
                span.clone(),
                format!(
                    "page slug `{}` is taken by a section of the consortium",
                    p.slug
                ),
            );
        }
        if let Some(first) = page_slugs.insert(&p.slug, &p.path) {
            ctx.error(
                &p.path,
                span,
                format!("duplicate page slug `{}`, already used by {first}", p.slug),
            );
        }
        if p.meta.title.trim().is_empty() {
            ctx.error(&p.path, 0..0, "missing key `title` in page");
        }
    }

    // Announcements: unique slugs; a date after the report year's end is suspicious but allowed.
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for a in &c.announcements {
        announcement(ctx, a, facts);
        if let Some(other) = slugs.insert(&a.slug, &a.path) {
            let span = a.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &a.path,
                span,
                format!(
                    "duplicate announcement slug `{}`, already used by {other}",
                    a.slug
                ),
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
            &[c],
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
        assert!(d.contains(&"c/consortium.toml:7:25: error: lead enterprise `nobdy` is not a member of this consortium [did you mean `nobody` (学校)?]".to_string()), "{d:#?}");
        assert!(
            d.contains(
                &"c/consortium.toml:6:21: warning: lead school `ent` is 企业, not a school"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.contains(
                &"c/members.toml:5:12: error: `students` is for schools only, but `ent` is 企业"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.iter().any(|l| l.starts_with(
                "c/training.toml:7:15: error: person_days 1.25 has more than one decimal"
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
