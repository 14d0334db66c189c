//! The rules of the files that record how a consortium works: `governance.toml` (rules and
//! policies), `lists.toml` (the product, technology and talent demand lists), `majors.toml` (the
//! lists of majors) and `milestones.toml`.

use super::*;

/// `governance.toml`: documents lead somewhere and 发文字号 have the standard form.
pub(super) fn governance(ctx: &mut Ctx, g: &Governance) {
    let c = ctx.c;
    let path = c.governance_path.as_str();
    let documents = g
        .rule
        .iter()
        .filter_map(|r| r.document.as_ref())
        .chain(g.policy.iter().filter_map(|p| p.document.as_ref()));
    for d in documents {
        if let Some(why) = ctx.evidence_problem(d.get_ref()) {
            ctx.error(
                path,
                d.span(),
                rule!("check.document_nowhere", document = d.get_ref(), why),
            );
        }
    }
    for n in g.policy.iter().filter_map(|p| p.doc_number.as_ref()) {
        doc_number(ctx, path, n);
    }
}

/// `lists.toml`: entries belong to members, years are not after the report year, a technology
/// demand's taker leads somewhere and a solved one names it, a talent demand asks for someone.
pub(super) fn lists(ctx: &mut Ctx, l: &DemandLists) {
    let (c, facts) = (ctx.c, ctx.facts);
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
        ctx.member_ref(path, &x.member, &msg!("role.member"));
        year(ctx, &x.year);
    }
    for x in &l.technology {
        ctx.member_ref(path, &x.member, &msg!("role.member"));
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
                } else if let Some(why) = ctx.evidence_problem(t.get_ref()) {
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
        ctx.member_ref(path, &x.member, &msg!("role.member"));
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

/// `majors.toml`: schools are member schools, codes have the national form, a year is not after
/// the report year, and one major is on one list a year.
pub(super) fn majors(ctx: &mut Ctx, m: &MajorLists) {
    let (c, facts) = (ctx.c, ctx.facts);
    let path = c.majors_path.as_str();
    let mut seen: BTreeMap<(&str, String, i32), &ListedMajor> = BTreeMap::new();
    for x in &m.major {
        if let Some(kind) = ctx.member_ref(path, &x.school, &msg!("role.school")) {
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
pub(super) fn milestones(ctx: &mut Ctx, m: &Milestones) {
    let (c, facts) = (ctx.c, ctx.facts);
    let path = c.milestones_path.as_str();
    let cutoff = facts.report_year.and_then(Date::year_end);
    for ms in &m.milestone {
        if let Some(owner) = &ms.owner {
            ctx.member_ref(path, owner, &msg!("role.owner"));
        }
        for e in &ms.evidence {
            if let Some(why) = ctx.evidence_problem(e.get_ref()) {
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
        if let (Some(day), Some(due)) = (cutoff, &ms.due) {
            if ms.overdue(day) {
                ctx.warning(
                    path,
                    due.span(),
                    rule!(
                        "check.milestone_overdue",
                        title = ms.title,
                        due = due.get_ref().chinese(),
                        day = day.chinese()
                    ),
                )
                .help = Some(msg!("check.milestone_overdue_help"));
            }
        }
    }
}
