//! Cross-checks: places where a report contradicts itself. They read the model and its figures and
//! return diagnostics that name both places (the second as a note with its own position): the
//! ledger against the person-day indicators, funding sources against the total, dates against
//! joining and founding, implausible values, and ids that differ only in letter case.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostics::{Collector, Diagnostic, Message};
use crate::figures::{
    ConsortiumFigures, Figures, Origin, Series, FUND_SOURCES, FUND_TOTAL, LEDGER_INDICATORS,
};
use crate::format;
use crate::model::*;
use crate::source::SourceFile;

/// A ledger sum and an indicator agree when they differ by less than half a tenth of a day.
const PERSON_DAY_TOLERANCE: f64 = 0.05;
/// Funding sources and their total agree to the hundredth of a 万元 (the form's precision).
const FUNDS_TOLERANCE: f64 = 0.005;
/// An amount in 万元 at or above this looks as if it was entered in 元.
const YUAN_SUSPECT: f64 = 1_000_000.0;
/// A year-on-year ratio above this is flagged.
const JUMP: f64 = 10.0;

type Ctx<'a> = Collector<'a>;

/// The consortium files at `paths`, found with `source`: what a site-wide check's diagnostics
/// cite, gathered only once it has found something to say.
fn sources_at<'s, 'p>(
    paths: impl Iterator<Item = &'p str>,
    source: impl Fn(&str) -> Option<&'s SourceFile>,
) -> BTreeMap<String, SourceFile> {
    paths
        .filter_map(|path| source(path).map(|f| (path.to_string(), f.clone())))
        .collect()
}

/// Tags that differ only in case or Unicode form (`case-clash`): a tag has a list page in its
/// consortium and one for the whole site, so two such tags would be one folder on Windows and
/// macOS. `source` gives an announcement's file by path (looked up only when two tags clash).
pub fn tag_clashes<'s>(
    site: &Site,
    source: impl Fn(&str) -> Option<&'s SourceFile>,
) -> Vec<Diagnostic> {
    let tags = || {
        site.consortia.iter().flat_map(|c| {
            c.announcements.iter().flat_map(|a| {
                a.meta
                    .tags
                    .iter()
                    .map(|t| (t.get_ref().as_str(), a.path.as_str(), t.span()))
            })
        })
    };
    // A site has many announcements and few tags: fold each distinct tag once.
    // (An ordered set: comparing a short tag with the few distinct ones costs less than hashing.)
    let distinct: std::collections::BTreeSet<&str> = tags().map(|(t, _, _)| t).collect();
    let mut spellings: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for t in distinct {
        spellings
            .entry(super::names::folded(t))
            .or_default()
            .push(t);
    }
    if spellings.values().all(|s| s.len() < 2) {
        return Vec::new();
    }
    let sources = sources_at(
        tags()
            .filter(|(t, _, _)| spellings[&super::names::folded(t)].len() > 1)
            .map(|(_, path, _)| path),
        source,
    );
    let mut ctx = Collector::new(&sources);
    super::names::clashes(&mut ctx, tags(), &msg!("what.tag"));
    ctx.diags
}

/// `amount-beyond-peers`: an amount more than 100 times the median of the same indicator, year
/// and basis in the site's other consortia (at least two of them): entered in 元 where 万元 was
/// asked, or in 万元 where 亿元. A note points at a peer's value. `source` gives a consortium's
/// file by path (looked up only for a value that is reported).
pub fn amounts_beyond_peers<'s>(
    site: &Site,
    source: impl Fn(&str) -> Option<&'s SourceFile>,
) -> Vec<Diagnostic> {
    type Key<'a> = (&'a str, i32, bool);
    let mut groups: BTreeMap<Key, Vec<(&Consortium, &IndicatorEntry)>> = BTreeMap::new();
    for c in &site.consortia {
        for e in &c.indicators.entries {
            let amount = site.catalogue.get(e.key.get_ref()).is_some_and(|d| {
                d.kind == ValueKind::Amount && !matches!(d.unit.as_str(), "人日" | "人月")
            });
            if amount && e.value.is_finite() && e.value > 0.0 {
                let committed = e.basis == Basis::Committed;
                groups
                    .entry((e.key.get_ref(), e.year, committed))
                    .or_default()
                    .push((c, e));
            }
        }
    }
    let mut found: Vec<(&Consortium, &IndicatorEntry, &Consortium, &IndicatorEntry)> = Vec::new();
    for list in groups.values().filter(|l| l.len() >= 3) {
        for (i, (c, e)) in list.iter().enumerate() {
            let mut peers: Vec<&(&Consortium, &IndicatorEntry)> = list
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| p)
                .collect();
            peers.sort_by(|a, b| a.1.value.total_cmp(&b.1.value));
            let (pc, pe) = *peers[peers.len() / 2];
            if e.value > pe.value * 100.0 {
                found.push((c, e, pc, pe));
            }
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let sources = sources_at(
        found
            .iter()
            .flat_map(|(c, _, pc, _)| [c.indicators.path.as_str(), pc.indicators.path.as_str()]),
        source,
    );
    let mut ctx = Collector::new(&sources);
    for (c, e, pc, pe) in found {
        let def = site
            .catalogue
            .get(e.key.get_ref())
            .expect("grouped by known keys");
        let note = ctx.note(
            &pc.indicators.path,
            pe.value_span.clone(),
            msg!(
                "check.peer_value",
                consortium = pc.profile.short_name,
                value = format::indicator_with_unit(pe.value, def)
            ),
        );
        ctx.warning(
            &c.indicators.path,
            e.value_span.clone(),
            rule!(
                "check.amount_beyond_peers",
                key = e.key.get_ref(),
                year = e.year,
                value = format::indicator_with_unit(e.value, def),
                times = format::fixed(e.value / pe.value, 0)
            ),
        )
        .notes
        .push(note);
    }
    ctx.diags
}

/// Every cross-check over the site and its figures.
pub fn check(
    site: &Site,
    figures: &Figures,
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut diags = site_rules(site, sources);
    for f in &figures.consortia {
        diags.extend(consortium_rules(f, &site.frameworks, sources));
    }
    diags
}

/// The cross-checks between consortia and between the site's free pages: names that differ only
/// in letter case.
pub fn site_rules(site: &Site, sources: &BTreeMap<String, SourceFile>) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    super::names::clashes(
        &mut ctx,
        site.pages
            .iter()
            .map(|p| (p.slug.as_str(), p.path.as_str(), slug_span(&p.meta.slug))),
        &msg!("what.page_slug"),
    );
    super::names::clashes(
        &mut ctx,
        site.consortia
            .iter()
            .map(|c| (c.id.as_str(), c.profile_path.as_str(), 0..0)),
        &msg!("what.consortium_folder"),
    );
    ctx.diags
}

/// The cross-checks within one consortium; `sources` holds its files.
pub fn consortium_rules(
    f: &ConsortiumFigures,
    frameworks: &crate::model::framework::Frameworks,
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    consortium(&mut ctx, f);
    super::frameworks::forms(&mut ctx, f, frameworks);
    ctx.diags
}

fn slug_span(s: &Option<toml::Spanned<String>>) -> Range<usize> {
    s.as_ref().map_or(0..0, |s| s.span())
}

fn consortium(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let c = f.consortium;
    // A value out of every real range is an error already; sums and comparisons with it would
    // only repeat it in numbers nobody can read.
    let in_range = f.series.iter().all(|s| {
        s.points
            .iter()
            .all(|p| p.value.is_finite() && p.value.abs() <= s.def.max_value())
    }) && c
        .training
        .sessions
        .iter()
        .all(|s| s.person_days.get_ref().is_finite() && *s.person_days.get_ref() <= 1e9);
    if in_range {
        ledger_against_indicators(ctx, f);
        funds_add_up(ctx, f);
        for s in &f.series {
            implausible_values(ctx, s);
        }
    }
    dates_against_joining(ctx, c);
    values_before_founding(ctx, c);
    super::records::consortium(ctx, f);
    super::prose::consortium(ctx, f);
    super::cells::consortium(ctx, f);
    super::names::clashes(
        ctx,
        c.members.list.iter().map(|m| {
            (
                m.id.get_ref().as_str(),
                c.members.path.as_str(),
                m.id.span(),
            )
        }),
        &msg!("what.member_id"),
    );
    super::names::clashes(
        ctx,
        c.programmes
            .iter()
            .map(|p| (p.slug.as_str(), p.path.as_str(), slug_span(&p.meta.slug))),
        &msg!("what.programme_slug"),
    );
    super::names::clashes(
        ctx,
        c.announcements
            .iter()
            .map(|a| (a.slug.as_str(), a.path.as_str(), slug_span(&a.meta.slug))),
        &msg!("what.announcement_slug"),
    );
}

/// A person-day indicator written in `indicators.toml` must equal the ledger's sum for its year
/// and audience, where the ledger has sessions of that audience in that year.
fn ledger_against_indicators(ctx: &mut Ctx, f: &ConsortiumFigures) {
    for (key, audience) in LEDGER_INDICATORS {
        let Some(series) = f.series(key) else {
            continue;
        };
        for p in series.actual() {
            let Origin::Reported(src) = &p.origin else {
                continue;
            };
            let ledger = f.training.year_audience(p.year, audience);
            if ledger.sessions == 0 || (ledger.person_days() - p.value).abs() < PERSON_DAY_TOLERANCE
            {
                continue;
            }
            let note = f.training.first.get(&(p.year, audience)).map(|first| {
                ctx.note(
                    first.path,
                    first.span.clone(),
                    msg!(
                        "check.ledger_first_session",
                        sessions = ledger.sessions,
                        audience = audience.label(),
                        year = p.year,
                        total = format::with_unit(&format::person_days(&ledger), "人日"),
                    ),
                )
            });
            let d = ctx.warning(
                src.path,
                src.span.clone(),
                rule!(
                    "check.ledger_differs",
                    key,
                    year = p.year,
                    value = format::indicator_with_unit(p.value, series.def),
                    total = format::with_unit(&format::person_days(&ledger), "人日"),
                    audience = audience.label(),
                ),
            );
            d.notes.extend(note);
        }
    }
}

/// The funding sources of a year must add up to `operating_funds` of that year (or, when some
/// are not reported, stay below it).
fn funds_add_up(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let path = f.consortium.indicators.path.as_str();
    for funds in &f.funds {
        let (Some(total), Some((first_key, first))) = (funds.total, funds.sources.first()) else {
            continue;
        };
        let sum = funds.sources_sum();
        // With some sources not reported (未填报), the given ones may fall short of the total;
        // they can never exceed it.
        let partial = funds.sources.len() < FUND_SOURCES.len();
        if (sum - total.value).abs() < FUNDS_TOLERANCE
            || (partial && sum < total.value + FUNDS_TOLERANCE)
        {
            continue;
        }
        let names: Vec<&str> = funds.sources.iter().map(|(k, _)| *k).collect();
        let note = ctx.note(
            path,
            first.value_span.clone(),
            msg!(
                "check.fund_sources_here",
                year = funds.year,
                sources = names.join(" + "),
                first_key
            ),
        );
        let (year, amount, sum) = (
            funds.year,
            format::fixed(total.value, 2),
            format::fixed(sum, 2),
        );
        let message = match funds.basis {
            Basis::Actual => {
                rule!(
                    "check.funds_differ",
                    key = FUND_TOTAL,
                    year,
                    total = amount,
                    sum
                )
            }
            Basis::Committed => rule!(
                "check.committed_funds_differ",
                key = FUND_TOTAL,
                year,
                total = amount,
                sum
            ),
        };
        ctx.warning(path, total.value_span.clone(), message)
            .notes
            .push(note);
    }
}

/// Training sessions dated before the consortium was founded or before their provider joined, and
/// programmes that start before one of their partners joined.
fn dates_against_joining(ctx: &mut Ctx, c: &Consortium) {
    let founded = c.founded();
    for s in &c.training.sessions {
        let date = s.date.get_ref();
        if let Some(fd) = founded.filter(|fd| date < fd.get_ref()) {
            let note = ctx.note(
                &c.profile_path,
                fd.span(),
                msg!("check.founded_on", founded = fd.get_ref()),
            );
            ctx.warning(
                &c.training.path,
                s.date.span(),
                rule!("check.session_before_founding", title = s.title, date),
            )
            .notes
            .push(note);
            continue;
        }
        let Some(m) = c.member(s.provider.get_ref()) else {
            continue;
        };
        if m.joined.as_ref().is_some_and(|j| date < j.get_ref()) {
            let note = joined_note(ctx, c, m);
            ctx.warning(
                &c.training.path,
                s.date.span(),
                rule!(
                    "check.session_before_provider_joined",
                    title = s.title,
                    date,
                    provider = m.id.get_ref()
                ),
            )
            .notes
            .push(note);
        }
    }
    for p in &c.programmes {
        let start = *p.meta.start_year.get_ref();
        let started = p.meta.started.as_ref().map(|d| *d.get_ref());
        for r in p.meta.partners.get_ref() {
            let Some(joined) = c
                .member(r.get_ref())
                .and_then(|m| m.joined.as_ref().map(|j| (m, *j.get_ref())))
            else {
                continue;
            };
            let (m, joined) = joined;
            // By day where the programme gives its day, else by year.
            let message = match started {
                Some(day) if day < joined => Message::named(
                    "check.programme_before_partner_joined",
                    msg!(
                        "check.programme_started_before_partner_joined",
                        started = day,
                        partner = r.get_ref()
                    ),
                ),
                None if joined.year() > start => rule!(
                    "check.programme_before_partner_joined",
                    start,
                    partner = r.get_ref()
                ),
                _ => continue,
            };
            let note = joined_note(ctx, c, m);
            ctx.warning(&p.path, r.span(), message).notes.push(note);
        }
    }
}

/// "`x` (name) joined on …", at the member's `joined`.
pub(super) fn joined_note(ctx: &Ctx, c: &Consortium, m: &Member) -> crate::diagnostics::Note {
    let span = m.joined.as_ref().map_or(m.id.span(), |j| j.span());
    let when = m
        .joined
        .as_ref()
        .map(|j| j.get_ref().to_string())
        .unwrap_or_default();
    ctx.note(
        &c.members.path,
        span,
        msg!("check.joined_on", id = m.id.get_ref(), name = m.name, when),
    )
}

/// Actual values for years before the founding year: one warning for the file, at the first one.
fn values_before_founding(ctx: &mut Ctx, c: &Consortium) {
    let Some(fd) = c.founded() else {
        return;
    };
    let founded_year = fd.get_ref().year();
    let mut early: Vec<&IndicatorEntry> = c
        .indicators
        .entries
        .iter()
        .filter(|e| e.basis == Basis::Actual && e.year < founded_year)
        .collect();
    early.sort_by_key(|e| e.year_span.start);
    let Some(first) = early.first() else {
        return;
    };
    let years: std::collections::BTreeSet<i32> = early.iter().map(|e| e.year).collect();
    let years: Vec<String> = years.iter().map(i32::to_string).collect();
    let mut keys: Vec<&str> = Vec::new();
    for e in &early {
        if !keys.contains(&e.key.get_ref().as_str()) {
            keys.push(e.key.get_ref());
        }
    }
    let (first_key, years) = (keys[0], crate::messages::list(&years));
    // One rule, worded by how many indicators it names.
    let text = match keys.len() {
        1 => msg!(
            "check.values_before_founding",
            years,
            first_key,
            founded_year
        ),
        2 => msg!(
            "check.values_before_founding_2",
            years,
            first_key,
            second_key = keys[1],
            founded_year
        ),
        n => msg!(
            "check.values_before_founding_more",
            years,
            first_key,
            second_key = keys[1],
            more = n - 2,
            founded_year
        ),
    };
    let note = ctx.note(
        &c.profile_path,
        fd.span(),
        msg!("check.founded_on", founded = fd.get_ref()),
    );
    let message = crate::diagnostics::Message::named("check.values_before_founding", text);
    ctx.warning(&c.indicators.path, first.year_span.clone(), message)
        .notes
        .push(note);
}

/// Values that are probably typed in the wrong unit or scale.
/// `percent-mixed`: a percentage series where some years are written as fractions of 1 (0.583)
/// and others as percentages (95.1). The fewer kind is reported (fractions when the two are as
/// many), each value at its place that, read the other way, lies within a factor of two of the
/// others' median, with a note at a value of the other kind.
fn percent_mixed(
    ctx: &mut Ctx,
    s: &Series,
    reported: &[(&crate::figures::Point, &crate::figures::Source)],
) {
    let (small, large): (Vec<_>, Vec<_>) = reported
        .iter()
        .filter(|(p, _)| p.value > 0.0)
        .partition(|(p, _)| p.value <= 1.0);
    if small.is_empty() || large.is_empty() {
        return;
    }
    let (odd, usual, scale) = if small.len() <= large.len() {
        (&small, &large, 100.0)
    } else {
        (&large, &small, 0.01)
    };
    // Only a value that, read the other way, lies near the others (0.583 beside 95.1 is 58.3):
    // a rate of 0.2% beside 78.3% may be true.
    let mut others: Vec<f64> = usual.iter().map(|(p, _)| p.value).collect();
    others.sort_by(f64::total_cmp);
    let median = others[others.len() / 2];
    let (usual_point, usual_src) = usual[0];
    for (p, src) in odd.iter() {
        let read_otherwise = p.value * scale;
        if !(median / 2.0..=median * 2.0).contains(&read_otherwise) {
            continue;
        }
        let note = ctx.note(
            usual_src.path,
            usual_src.span.clone(),
            msg!(
                "check.value_of_year",
                key = s.key,
                year = usual_point.year,
                value = usual_point.value
            ),
        );
        ctx.warning(
            src.path,
            src.span.clone(),
            rule!(
                "check.percent_mixed",
                key = s.key,
                year = p.year,
                value = p.value
            ),
        )
        .notes
        .push(note);
    }
}

fn implausible_values(ctx: &mut Ctx, s: &Series) {
    let reported: Vec<(&crate::figures::Point, &crate::figures::Source)> = s
        .points
        .iter()
        .filter_map(|p| match &p.origin {
            // Values the rules refuse (negative, not finite) are reported already.
            Origin::Reported(src) if p.value.is_finite() && p.value >= 0.0 => Some((p, src)),
            _ => None,
        })
        .collect();
    let Some((_, first_src)) = reported.first() else {
        return;
    };
    match s.def.kind {
        ValueKind::Percent => {
            let all_small = reported.iter().all(|(p, _)| p.value <= 1.0);
            let example = reported.iter().find(|(p, _)| p.value > 0.0);
            if let (true, Some((p, _))) = (all_small, example) {
                ctx.warning(
                    first_src.path,
                    first_src.span.clone(),
                    rule!(
                        "check.percent_as_fraction",
                        key = s.key,
                        percent = format::fixed(p.value * 100.0, 1),
                        value = p.value
                    ),
                );
            } else {
                percent_mixed(ctx, s, &reported);
            }
        }
        ValueKind::Count | ValueKind::Amount => {
            let yuan = |v: f64| s.def.unit == "万元" && v >= YUAN_SUSPECT;
            if s.def.unit == "万元" {
                for (p, src) in &reported {
                    if yuan(p.value) {
                        ctx.warning(
                            src.path,
                            src.span.clone(),
                            rule!(
                                "check.amount_in_yuan",
                                key = s.key,
                                year = p.year,
                                wan = format::fixed(p.value, 2),
                                yi = format::fixed(p.value / 10_000.0, 2),
                                yuan = format::fixed(p.value, 0),
                            ),
                        );
                    }
                }
            }
            for pair in reported.windows(2) {
                let ((prev, prev_src), (cur, cur_src)) = (pair[0], pair[1]);
                let jump = (prev.value > 0.0 && cur.value > prev.value * JUMP)
                    || (cur.value > 0.0 && prev.value > cur.value * JUMP);
                // A value that looks entered in 元 is reported once, as that.
                if !jump || yuan(prev.value) || yuan(cur.value) {
                    continue;
                }
                let note = ctx.note(
                    prev_src.path,
                    prev_src.span.clone(),
                    msg!(
                        "check.value_of_year",
                        key = s.key,
                        year = prev.year,
                        value = format::indicator_with_unit(prev.value, s.def)
                    ),
                );
                let (key, year, value) = (
                    &s.key,
                    cur.year,
                    format::indicator_with_unit(cur.value, s.def),
                );
                let message = if cur.value > prev.value {
                    rule!("check.jump_up", key, year, value)
                } else {
                    rule!("check.jump_down", key, year, value)
                };
                ctx.warning(cur_src.path, cur_src.span.clone(), message)
                    .notes
                    .push(note);
            }
        }
    }
}
