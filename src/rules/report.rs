//! The rules of `report.toml` (the text cells of the form and the annual report) and of
//! `assessment.toml` (the self-assessment against the construction indicators).

use super::*;

/// `report.toml`: years that are years and not after the report year, a pledge not after the
/// form was filled. The text cells are checked with the figures their references draw on
/// (`cells`).
pub(super) fn report(ctx: &mut Ctx, report: &Report) {
    let (c, facts) = (ctx.c, ctx.facts);
    let path = c.report_path.as_str();
    for year in report.year.keys() {
        let span = year.span();
        let year = year.get_ref();
        match crate::model::four_digit_year(year) {
            Some(y) if (2000..=2100).contains(&y) => {
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
