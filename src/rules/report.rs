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

/// `assessment.toml`: every point is one of the published observation points; every piece of
/// evidence leads somewhere; a point marked 达成 names its evidence; the negative item (7) is
/// answered.
pub(super) fn assessment(ctx: &mut Ctx, a: &assessment::Assessment) {
    let c = ctx.c;
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
            if let Some(why) = ctx.evidence_problem(e.get_ref()) {
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
