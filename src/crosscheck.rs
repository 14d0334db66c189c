//! Cross-checks: places where a report contradicts itself. They read the model and its figures and
//! return diagnostics that name both places (the second as a note with its own position): the
//! ledger against the person-day indicators, funding sources against the total, dates against
//! joining and founding, implausible values, and ids that differ only in letter case.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostics::{Collector, Diagnostic};
use crate::figures::{ConsortiumFigures, Figures, Origin, Series, FUND_TOTAL, LEDGER_INDICATORS};
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

/// Every cross-check over the site and its figures.
pub fn check(
    site: &Site,
    figures: &Figures,
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    case_clashes(
        &mut ctx,
        site.pages
            .iter()
            .map(|p| (p.slug.as_str(), p.path.as_str(), slug_span(&p.meta.slug))),
        "page slug",
    );
    case_clashes(
        &mut ctx,
        site.consortia
            .iter()
            .map(|c| (c.id.as_str(), c.profile_path.as_str(), 0..0)),
        "consortium folder",
    );
    for f in &figures.consortia {
        consortium(&mut ctx, f);
    }
    ctx.diags
}

fn slug_span(s: &Option<toml::Spanned<String>>) -> Range<usize> {
    s.as_ref().map_or(0..0, |s| s.span())
}

fn consortium(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let c = f.consortium;
    ledger_against_indicators(ctx, f);
    funds_add_up(ctx, f);
    dates_against_joining(ctx, c);
    values_before_founding(ctx, c);
    for s in &f.series {
        implausible_values(ctx, s);
    }
    case_clashes(
        ctx,
        c.members.list.iter().map(|m| {
            (
                m.id.get_ref().as_str(),
                c.members.path.as_str(),
                m.id.span(),
            )
        }),
        "member id",
    );
    case_clashes(
        ctx,
        c.programmes
            .iter()
            .map(|p| (p.slug.as_str(), p.path.as_str(), slug_span(&p.meta.slug))),
        "programme slug",
    );
    case_clashes(
        ctx,
        c.announcements
            .iter()
            .map(|a| (a.slug.as_str(), a.path.as_str(), slug_span(&a.meta.slug))),
        "announcement slug",
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
                    format!(
                        "the training ledger has {} session(s) for {} in {}, {} in all; the first is here",
                        ledger.sessions,
                        audience.label(),
                        p.year,
                        format::with_unit(&format::person_days(&ledger), "人日"),
                    ),
                )
            });
            let d = ctx.warning(
                src.path,
                src.span.clone(),
                format!(
                    "{key} {} is {}, but the training ledger sums to {} for {}: correct one of them, or remove the value so the figure is derived from the ledger (据培训台账汇总)",
                    p.year,
                    format::indicator_with_unit(p.value, series.def),
                    format::with_unit(&format::person_days(&ledger), "人日"),
                    audience.label(),
                ),
            );
            d.notes.extend(note);
        }
    }
}

/// The funding sources of a year must add up to `operating_funds` of that year.
fn funds_add_up(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let path = f.consortium.indicators.path.as_str();
    for funds in &f.funds {
        let (Some(total), Some((first_key, first))) = (funds.total, funds.sources.first()) else {
            continue;
        };
        let sum = funds.sources_sum();
        if (sum - total.value).abs() < FUNDS_TOLERANCE {
            continue;
        }
        let names: Vec<&str> = funds.sources.iter().map(|(k, _)| *k).collect();
        let note = ctx.note(
            path,
            first.value_span.clone(),
            format!(
                "the sources of {} ({}) start here with {first_key}",
                funds.year,
                names.join(" + ")
            ),
        );
        let basis = match funds.basis {
            Basis::Actual => "",
            Basis::Committed => " (committed)",
        };
        ctx.warning(
            path,
            total.value_span.clone(),
            format!(
                "{FUND_TOTAL} {}{basis} is {} 万元, but its sources add up to {} 万元",
                funds.year,
                format::fixed(total.value, 2),
                format::fixed(sum, 2),
            ),
        )
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
                format!("the consortium was founded on {}", fd.get_ref()),
            );
            ctx.warning(
                &c.training.path,
                s.date.span(),
                format!(
                    "session `{}` on {date} is dated before the consortium was founded",
                    s.title
                ),
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
                format!(
                    "session `{}` on {date} is dated before its provider `{}` joined",
                    s.title,
                    m.id.get_ref()
                ),
            )
            .notes
            .push(note);
        }
    }
    for p in &c.programmes {
        let start = *p.meta.start_year.get_ref();
        for r in p.meta.partners.get_ref() {
            let Some(m) = c.member(r.get_ref()) else {
                continue;
            };
            if m.joined
                .as_ref()
                .is_some_and(|j| j.get_ref().year() > start)
            {
                let note = joined_note(ctx, c, m);
                ctx.warning(
                    &p.path,
                    r.span(),
                    format!(
                        "the programme starts in {start}, before its partner `{}` joined",
                        r.get_ref()
                    ),
                )
                .notes
                .push(note);
            }
        }
    }
}

/// "`x` (name) joined on …", at the member's `joined`.
fn joined_note(ctx: &Ctx, c: &Consortium, m: &Member) -> crate::diagnostics::Note {
    let span = m.joined.as_ref().map_or(m.id.span(), |j| j.span());
    let when = m
        .joined
        .as_ref()
        .map(|j| j.get_ref().to_string())
        .unwrap_or_default();
    ctx.note(
        &c.members.path,
        span,
        format!("`{}` ({}) joined on {when}", m.id.get_ref(), m.name),
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
    let named = match keys.len() {
        1 => keys[0].to_string(),
        2 => format!("{} and {}", keys[0], keys[1]),
        n => format!("{}, {} and {} more", keys[0], keys[1], n - 2),
    };
    let note = ctx.note(
        &c.profile_path,
        fd.span(),
        format!("the consortium was founded on {}", fd.get_ref()),
    );
    ctx.warning(
        &c.indicators.path,
        first.year_span.clone(),
        format!(
            "actual values for {} ({named}) come before the consortium was founded in {founded_year}",
            years.join(", ")
        ),
    )
    .notes
    .push(note);
}

/// Values that are probably typed in the wrong unit or scale.
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
                    format!(
                        "every value of {} is at most 1: percentages are written 0–100 (did you mean {} for {}?)",
                        s.key,
                        format::fixed(p.value * 100.0, 1),
                        p.value
                    ),
                );
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
                            format!(
                                "{} {} is {} 万元 ({} 亿元): was it entered in 元? {} 元 is {} 万元",
                                s.key,
                                p.year,
                                format::fixed(p.value, 2),
                                format::fixed(p.value / 10_000.0, 2),
                                format::fixed(p.value, 0),
                                format::fixed(p.value / 10_000.0, 2),
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
                    format!(
                        "{} {} is {}",
                        s.key,
                        prev.year,
                        format::indicator_with_unit(prev.value, s.def)
                    ),
                );
                ctx.warning(
                    cur_src.path,
                    cur_src.span.clone(),
                    format!(
                        "{} {} is {}, {} the year before: check the unit and the digits",
                        s.key,
                        cur.year,
                        format::indicator_with_unit(cur.value, s.def),
                        if cur.value > prev.value {
                            "more than ten times"
                        } else {
                            "less than a tenth of"
                        },
                    ),
                )
                .notes
                .push(note);
            }
        }
    }
}

/// Two names that differ only in letter case overwrite each other on Windows and macOS.
fn case_clashes<'a>(
    ctx: &mut Ctx,
    items: impl Iterator<Item = (&'a str, &'a str, Range<usize>)>,
    what: &str,
) {
    let mut seen: BTreeMap<String, (&str, &str, Range<usize>)> = BTreeMap::new();
    for (name, path, span) in items {
        match seen.get(&name.to_lowercase()) {
            Some((first, first_path, first_span)) if *first != name => {
                let note = ctx.note(first_path, first_span.clone(), format!("`{first}` is here"));
                ctx.error(
                    path,
                    span,
                    format!(
                        "{what} `{name}` differs from `{first}` only in letter case: the two overwrite each other on Windows and macOS"
                    ),
                )
                .notes
                .push(note);
            }
            Some(_) => {}
            None => {
                seen.insert(name.to_lowercase(), (name, path, span));
            }
        }
    }
}
