//! The rules of `programmes/<slug>.md`: partners that are members, once each; a plausible start
//! year and dates that agree with it; 五金 and levels; completion; slugs unique.

use super::*;

/// Every programme's rules, and `duplicate-programme-slug`.
pub(super) fn programmes(ctx: &mut Ctx) {
    let c = ctx.c;
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for prog in &c.programmes {
        partners(ctx, prog);
        years(ctx, prog);
        designation(ctx, prog);
        completion(ctx, prog);
        if let Some(other) = slugs.insert(&prog.slug, &prog.path) {
            let span = prog.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &prog.path,
                span,
                rule!("check.duplicate_programme_slug", slug = prog.slug, other),
            );
        }
    }
}

/// `programme-without-partner`, `partner-twice`, and `not-a-member` for each partner.
fn partners(ctx: &mut Ctx, prog: &Programme) {
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
        ctx.member_ref(&prog.path, r, &msg!("role.partner"));
    }
}

/// `start-year-implausible`, `started-not-in-start-year`.
fn years(ctx: &mut Ctx, prog: &Programme) {
    let facts = ctx.facts;
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
}

/// `gold-kind`, `awarded-without-gold`, `awarded-before-start`, `awarded-after-report-year`.
fn designation(ctx: &mut Ctx, prog: &Programme) {
    let facts = ctx.facts;
    let y = *prog.meta.start_year.get_ref();
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
}

/// `completed-before-start`, `completed-status`.
fn completion(ctx: &mut Ctx, prog: &Programme) {
    let y = *prog.meta.start_year.get_ref();
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
}
