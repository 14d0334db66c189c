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
    forms(ctx, report);
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

/// `[form.<year>]`: the application year of a form of a framework the consortium reports under.
fn forms(ctx: &mut Ctx, report: &Report) {
    let c = ctx.c;
    let years: Vec<i32> = ctx
        .facts
        .frameworks
        .of(c)
        .filter_map(|f| f.form_year())
        .collect();
    for key in report.form.keys() {
        let year = crate::model::four_digit_year(key.get_ref());
        if year.is_some_and(|y| years.contains(&y)) {
            continue;
        }
        let d = ctx.error(
            &c.report_path,
            key.span(),
            rule!(
                "check.form_without_framework",
                year = key.get_ref(),
                years = crate::messages::list(years.iter().map(|y| format!("[form.{y}]")))
            ),
        );
        d.help = Some(msg!("check.form_without_framework_help"));
    }
}
