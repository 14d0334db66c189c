//! The rules of `training.toml`, the training ledger: providers that are members, person-days
//! that are half days or more, sessions not after the report year.

use super::*;

/// The most person-days one session can have: a billion (beyond it, a slip that would overflow
/// the totals and charts).
const MAX_PERSON_DAYS: f64 = 1e9;

/// `not-a-member` (the provider), `person-days-negative`, `person-days-decimals`,
/// `value-too-large`, `session-after-report-year`.
pub(super) fn training(ctx: &mut Ctx) {
    let (c, facts) = (ctx.c, ctx.facts);
    for s in &c.training.sessions {
        ctx.member_ref(&c.training.path, &s.provider, &msg!("role.provider"));
        let pd = *s.person_days.get_ref();
        if !pd.is_finite() || pd < 0.0 {
            ctx.error(
                &c.training.path,
                s.person_days.span(),
                rule!("check.person_days_negative", pd),
            );
        } else if pd > MAX_PERSON_DAYS {
            ctx.error(
                &c.training.path,
                s.person_days.span(),
                rule!(
                    "check.value_too_large",
                    key = "person_days",
                    year = s.date.get_ref().year(),
                    v = format!("{pd:e}"),
                    name = msg!("role.person_days"),
                    unit = "人日",
                    max = crate::format::fixed(MAX_PERSON_DAYS, 0)
                ),
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
}
