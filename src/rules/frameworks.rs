//! Frameworks: the site's own are checked as files (catalogue keys, form layouts); a consortium's
//! choice of frameworks, its answers to their points, the bodies they ask for and the
//! declaration of no violation are checked against them.

use std::collections::BTreeMap;

use crate::diagnostics::{did_you_mean, Collector, Diagnostic};
use crate::model::assessment::{self, Answer};
use crate::model::form::{text_cells, FormLayout, FormYears};
use crate::model::framework::{Framework, Frameworks, FORMS};
use crate::model::*;
use crate::source::SourceFile;

use super::Ctx;

/// The site's own frameworks: every figure a point links is in the catalogue, and a form is one
/// whose layout is known.
pub fn site_frameworks(
    frameworks: &Frameworks,
    catalogue: &Catalogue,
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    for f in &frameworks.list {
        let Some(dir) = &f.dir else { continue };
        let points = format!("{dir}/assessment.toml");
        for (_, p) in f.points() {
            for k in &p.indicators {
                if catalogue.get(k.get_ref()).is_none() {
                    super::unknown_indicator(&mut ctx, catalogue, &points, k);
                }
            }
        }
        if let Some(form) = &f.meta.form {
            let own = form.get_ref() == &f.id && f.form.is_some();
            if !own && !FORMS.contains(&form.get_ref().as_str()) {
                ctx.error(
                    &format!("{dir}/framework.toml"),
                    form.span(),
                    rule!(
                        "check.unknown_form",
                        form = form.get_ref(),
                        forms = crate::messages::list(FORMS)
                    ),
                )
                .help = did_you_mean(form.get_ref(), FORMS.iter().copied());
            }
        }
        if let Some(form) = f.form.as_ref().filter(|_| f.dir.is_some()) {
            form_cells(&mut ctx, catalogue, &format!("{dir}/form.toml"), form);
        }
    }
    ctx.diags
}

/// A site's `form.toml`: every figure in the catalogue, every text cell one `report.toml` has.
fn form_cells(ctx: &mut Collector, catalogue: &Catalogue, path: &str, form: &FormLayout) {
    for r in form.rows() {
        for k in &r.keys {
            if catalogue.get(k.get_ref()).is_none() {
                super::unknown_indicator(ctx, catalogue, path, k);
            }
        }
        if let Some(t) = r.text.as_ref().filter(|_| r.text_cell().is_none()) {
            ctx.error(
                path,
                t.span(),
                rule!(
                    "check.unknown_text_cell",
                    cell = t.get_ref(),
                    cells = crate::messages::list(text_cells())
                ),
            )
            .help = did_you_mean(t.get_ref(), text_cells());
        }
    }
}

/// `consortium.toml`'s `frameworks`: each one the site knows.
pub(super) fn named(ctx: &mut Ctx) {
    let (c, known) = (ctx.c, ctx.facts.frameworks);
    for id in &c.profile.frameworks {
        if known.get(id.get_ref()).is_none() {
            ctx.error(
                &c.profile_path,
                id.span(),
                rule!(
                    "check.unknown_framework",
                    id = id.get_ref(),
                    known = crate::messages::list(known.ids())
                ),
            )
            .help = did_you_mean(id.get_ref(), known.ids());
        }
    }
}

/// The bodies each framework's points ask for, among the consortium's (in any status).
pub(super) fn bodies(ctx: &mut Ctx) {
    let c = ctx.c;
    if c.profile_unreadable {
        return;
    }
    for f in ctx.facts.frameworks.of(c) {
        for (kind, no) in f.missing_bodies(&c.profile.bodies) {
            ctx.warning(
                &c.profile_path,
                framework_span(c, &f.id),
                rule!(
                    "check.framework_body_missing",
                    framework = f.meta.name,
                    no,
                    body = kind.label()
                ),
            )
            .help = Some(msg!("check.framework_body_missing_help", kind = kind.key()));
        }
        let asks = f.points().find(|(_, p)| p.operation);
        if let (Some((_, p)), None) = (asks, &c.profile.operation) {
            ctx.warning(
                &c.profile_path,
                framework_span(c, &f.id),
                rule!(
                    "check.framework_operation_missing",
                    framework = f.meta.name,
                    no = p.no
                ),
            )
            .help = Some(msg!("check.framework_operation_missing_help"));
        }
    }
}

/// Where `consortium.toml` names framework `id`: its entry, or the start of the file when the
/// framework is the national one taken by default.
fn framework_span(c: &Consortium, id: &str) -> std::ops::Range<usize> {
    c.profile
        .frameworks
        .iter()
        .find(|f| f.get_ref() == id)
        .map_or(0..0, |f| f.span())
}

/// `assessment.toml`: a table per framework the consortium reports under; in it, the
/// framework's points, with evidence that leads somewhere; every point answered; the negative
/// item answered and not contradicted by the declaration of `report.toml`.
pub(super) fn assessment(ctx: &mut Ctx, a: &assessment::Assessment) {
    let c = ctx.c;
    let path = c.assessment_path.as_str();
    let frameworks = ctx.facts.frameworks;
    for (id, answers) in &a.frameworks {
        match frameworks.of(c).find(|f| f.id == *id.get_ref()) {
            Some(f) => answers_of(ctx, f, answers),
            None => {
                let mine: Vec<&str> = c.profile.framework_ids().collect();
                ctx.error(
                    path,
                    id.span(),
                    rule!(
                        "check.unknown_framework",
                        id = id.get_ref(),
                        known = crate::messages::list(mine.iter().copied())
                    ),
                )
                .help = did_you_mean(id.get_ref(), mine.iter().copied());
            }
        }
    }
    for f in frameworks.of(c) {
        unanswered(ctx, f, a);
        declaration(ctx, f, a);
    }
}

fn answers_of(ctx: &mut Ctx, f: &Framework, answers: &BTreeMap<toml::Spanned<String>, Answer>) {
    let path = ctx.c.assessment_path.as_str();
    let points: Vec<&str> = f.points().map(|(_, p)| p.no.as_str()).collect();
    for (no, answer) in answers {
        let Some((indicator, point)) = f.points().find(|(_, p)| p.no == *no.get_ref()) else {
            ctx.error(
                path,
                no.span(),
                rule!(
                    "check.unknown_point",
                    no = no.get_ref(),
                    framework = f.meta.assessment,
                    first = points.first().copied().unwrap_or_default(),
                    last = points.last().copied().unwrap_or_default()
                ),
            )
            .help = did_you_mean(no.get_ref(), points.iter().copied());
            continue;
        };
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
        // The negative item asks that nothing happened, which has no evidence to show; a point
        // that links figures or bodies of its own shows those.
        let linked = !point.indicators.is_empty() || !point.bodies.is_empty();
        if *answer.status.get_ref() == assessment::Status::Achieved
            && answer.evidence.is_empty()
            && !indicator.negative
            && !linked
        {
            ctx.warning(
                path,
                answer.status.span(),
                rule!("check.achieved_without_evidence", no = no.get_ref()),
            )
            .help = Some(msg!("check.achieved_without_evidence_help"));
        }
    }
}

/// The points of `f` with no answer: the negative item each on its own (it must be answered),
/// the others in one warning with their count.
fn unanswered(ctx: &mut Ctx, f: &Framework, a: &assessment::Assessment) {
    let c = ctx.c;
    // Without an `assessment.toml`, the framework's entry in `consortium.toml` is the place.
    let (path, at) = match &c.assessment {
        Some(_) => (
            c.assessment_path.as_str(),
            a.frameworks
                .keys()
                .find(|k| *k.get_ref() == f.id)
                .map_or(0..0, |k| k.span()),
        ),
        None => (c.profile_path.as_str(), framework_span(c, &f.id)),
    };
    let table = a.of(&f.id);
    let answered = |no: &str| table.is_some_and(|t| t.keys().any(|k| k.get_ref() == no));
    let mut open = Vec::new();
    for (i, p) in f.points() {
        if answered(&p.no) {
            continue;
        }
        if i.negative {
            ctx.warning(
                path,
                at.clone(),
                rule!(
                    "check.negative_unanswered",
                    no = p.no,
                    name = i.name,
                    text = p.text
                ),
            )
            .help = Some(msg!("check.negative_unanswered_help", id = f.id, no = p.no));
        } else {
            open.push(p.no.as_str());
        }
    }
    if !open.is_empty() {
        ctx.warning(
            path,
            at,
            rule!(
                "check.points_unanswered",
                framework = f.meta.name,
                count = open.len(),
                total = f.points().count(),
                points = crate::messages::list(open.iter().copied())
            ),
        )
        .help = Some(msg!(
            "check.points_unanswered_help",
            id = f.id,
            no = open[0]
        ));
    }
}

/// The declaration of no violation (`report.toml`'s `no_violation = true`) against a negative
/// item answered 未达成 (something did happen).
fn declaration(ctx: &mut Ctx, f: &Framework, a: &assessment::Assessment) {
    let c = ctx.c;
    let Some(declared) = c.report.as_ref().and_then(|r| r.no_violation.as_ref()) else {
        return;
    };
    if !*declared.get_ref() {
        return;
    }
    for (i, p) in f.points().filter(|(i, _)| i.negative) {
        let Some(answer) = a.answer(&f.id, &p.no) else {
            continue;
        };
        if *answer.status.get_ref() == assessment::Status::NotAchieved {
            let note = ctx.note(
                &c.assessment_path,
                answer.status.span(),
                msg!(
                    "check.declaration_contradicts_note",
                    no = p.no,
                    name = i.name
                ),
            );
            ctx.warning(
                &c.report_path,
                declared.span(),
                rule!(
                    "check.declaration_contradicts",
                    framework = f.meta.name,
                    no = p.no
                ),
            )
            .notes
            .push(note);
        }
    }
}

/// The form of each framework with one: the cells still empty, in one warning a form, and a
/// 人员姓名 list that does not hold 人员总数 names.
pub(super) fn forms(ctx: &mut Collector, f: &crate::figures::ConsortiumFigures, all: &Frameworks) {
    let c = f.consortium;
    if c.profile_unreadable {
        return;
    }
    for fw in all.of(c) {
        let (Some(layout), Some(year)) = (&fw.form, fw.form_year()) else {
            continue;
        };
        let gaps = crate::figures::form::gaps(layout, f, FormYears { year });
        if !gaps.empty.is_empty() {
            ctx.warning(
                &c.profile_path,
                framework_span(c, &fw.id),
                rule!(
                    "check.form_cells_empty",
                    year,
                    framework = fw.meta.name,
                    count = gaps.empty.len(),
                    cells = listed(&gaps.empty)
                ),
            )
            .help = Some(msg!("check.form_cells_empty_help", year));
        }
        over_the_forms_limit(ctx, f, layout, FormYears { year });
        if let Some((names, total)) = gaps.staff {
            let at = c
                .report
                .as_ref()
                .and_then(|r| r.secretariat.as_ref())
                .and_then(|s| s.staff.as_ref())
                .map_or(0..0, |s| s.span());
            ctx.warning(
                &c.report_path,
                at,
                rule!("check.staff_names_count", names, total),
            )
            .help = Some(msg!("check.staff_names_count_help"));
        }
    }
}

/// The text cells of a form that sets a lower limit than the cell's own, over that limit (the
/// cell's own limit is checked with the other cells of `report.toml`).
fn over_the_forms_limit(
    ctx: &mut Collector,
    f: &crate::figures::ConsortiumFigures,
    layout: &FormLayout,
    years: FormYears,
) {
    use crate::figures::form as data;
    let c = f.consortium;
    for block in layout.blocks() {
        for row in block.rows.iter().filter(|r| r.limit.is_some()) {
            let Some((own, _)) = row.text_cell() else {
                continue;
            };
            let cell = data::limited(own, row);
            for (y, _) in data::row_years(row, block, years) {
                let Some(text) = data::text(c.report.as_ref(), row, years, y) else {
                    continue;
                };
                let printed = crate::render::figrefs::resolve_plain(text.get_ref(), f).0;
                let n = crate::model::form_chars(&printed);
                if n > cell.limit && n <= own.limit {
                    let prefix = msg!("check.cell_form", year = years.year);
                    super::cells::over_limit(ctx, &c.report_path, text.span(), &prefix, cell, n);
                }
            }
        }
    }
}

/// The first cells of a long list, and 等 for the rest: the form page lists them all.
fn listed(cells: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut out = crate::messages::list(cells.iter().take(SHOWN));
    if cells.len() > SHOWN {
        out.push_str(&msg!("check.form_cells_more", more = cells.len() - SHOWN));
    }
    out
}
