//! The rules of `consortium.toml`, the consortium's profile: its leads, secretariat, governing
//! bodies and their seats, phases, recognitions and industry codes.

use super::*;

/// The profile's rules: its leads, secretariat, the members named on seats, and phases.
pub(super) fn profile(ctx: &mut Ctx) {
    leads(ctx);
    secretariat(ctx);
    phases(ctx);
}

/// The lead park, school and enterprise: `lead-needs-member-or-name`, `lead-wrong-kind`, and
/// `not-a-member` for each reference.
fn leads(ctx: &mut Ctx) {
    let c = ctx.c;
    let p = &c.profile;
    let path = c.profile_path.as_str();
    for (lead, role, wanted) in [
        (&p.leads.park, msg!("role.lead_park"), None),
        (&p.leads.school, msg!("role.lead_school"), Some("school")),
        (
            &p.leads.enterprise,
            msg!("role.lead_enterprise"),
            Some("enterprise"),
        ),
    ] {
        let l = lead.get_ref();
        match &l.member {
            Some(r) => {
                if let Some(kind) = ctx.member_ref(path, r, &role) {
                    let fits = match wanted {
                        Some("school") => kind.is_school(),
                        Some(_) => kind == MemberKind::Enterprise,
                        None => true,
                    };
                    if !fits {
                        ctx.warning(
                            path,
                            r.span(),
                            rule!(
                                "check.lead_wrong_kind",
                                role,
                                id = r.get_ref(),
                                kind = kind.label(),
                                wanted = match wanted {
                                    Some("school") => msg!("role.school"),
                                    _ => msg!("role.enterprise"),
                                }
                            ),
                        );
                    }
                }
            }
            None if l.name.as_deref().is_none_or(|n| n.trim().is_empty()) => {
                ctx.error(
                    path,
                    lead.span(),
                    rule!("check.lead_needs_member_or_name", role),
                );
            }
            None => {}
        }
    }
}

/// `office-area-negative`, `office-area-zero`, and `not-a-member` for the host and for the
/// members named on seats.
fn secretariat(ctx: &mut Ctx) {
    let c = ctx.c;
    let p = &c.profile;
    let path = c.profile_path.as_str();
    if let Some(s) = &p.secretariat {
        if let Some(h) = &s.host {
            ctx.member_ref(path, h, &msg!("role.secretariat_host"));
        }
        if let Some(a) = &s.office_area {
            let area = *a.get_ref();
            if !area.is_finite() || !(0.0..=1e7).contains(&area) {
                ctx.error(path, a.span(), rule!("check.office_area_negative", area));
            } else if area == 0.0 {
                ctx.warning(path, a.span(), rule!("check.office_area_zero"));
            }
        }
    }
    for b in &p.bodies {
        for seat in &b.seats {
            if let Some(m) = &seat.member {
                ctx.member_ref(path, m, &msg!("role.seat_member"));
            }
        }
        // A body in preparation has no day it was set up yet.
        if let (Some(status), Some(day)) = (&b.status, &b.established) {
            if *status.get_ref() == BodyStatus::Planned {
                let note = ctx.note(path, status.span(), msg!("check.planned_here"));
                ctx.warning(
                    path,
                    day.span(),
                    rule!(
                        "check.planned_body_established",
                        name = b.name,
                        day = day.get_ref().chinese()
                    ),
                )
                .notes
                .push(note);
            }
        }
    }
}

/// `phase-ends-before-start`.
fn phases(ctx: &mut Ctx) {
    let c = ctx.c;
    let path = c.profile_path.as_str();
    for ph in &c.profile.phases {
        if ph.end.get_ref() < ph.start.get_ref() {
            let note = ctx.note(
                path,
                ph.start.span(),
                msg!("check.phase_starts_here", start = ph.start.get_ref()),
            );
            ctx.error(
                path,
                ph.end.span(),
                rule!(
                    "check.phase_ends_before_start",
                    name = ph.name,
                    end = ph.end.get_ref(),
                    start = ph.start.get_ref()
                ),
            )
            .notes
            .push(note);
        }
    }
}

/// Seats with dates: a holder's end is not before the start, and two holders of one seat (the
/// same role for the same organisation in one body) do not sit at once.
pub(super) fn seats(ctx: &mut Ctx) {
    let c = ctx.c;
    let path = c.profile_path.as_str();
    for b in &c.profile.bodies {
        for (i, s) in b.seats.iter().enumerate() {
            if let (Some(start), Some(end)) = (&s.start, &s.end) {
                if end.get_ref() < start.get_ref() {
                    ctx.error(
                        path,
                        end.span(),
                        rule!(
                            "check.seat_ends_before_start",
                            role = s.role,
                            name = s.holder(),
                            end = end.get_ref().chinese()
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
                    let note = ctx.note(path, at, msg!("check.seat_held_here", name = t.holder()));
                    let d = ctx.error(
                        path,
                        span,
                        rule!(
                            "check.seat_overlap",
                            first = t.holder(),
                            second = s.holder(),
                            role = s.role,
                            organisation = s.organisation,
                            body = b.name
                        ),
                    );
                    d.help = Some(msg!("check.seat_overlap_help"));
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
        doc_number(ctx, path, d);
    }
}

/// `unknown-industry-code`: industry codes of the consortium, its members and its programmes are
/// the taxonomy's (the site's own, or the built-in one).
pub(super) fn industry_codes(ctx: &mut Ctx) {
    let (c, facts) = (ctx.c, ctx.facts);
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
    let Some(taxonomy) = facts.frameworks.taxonomy_of(c) else {
        // No layout to read codes in: said once, at the first code.
        if let Some((path, code)) = codes.into_iter().next() {
            let frameworks: Vec<&str> = c.profile.framework_ids().collect();
            ctx.error(
                path,
                code.span(),
                rule!(
                    "check.industry_code_without_taxonomy",
                    code = code.get_ref(),
                    frameworks = crate::messages::list(frameworks.iter().copied())
                ),
            )
            .help = Some(msg!("check.industry_code_without_taxonomy_help"));
        }
        return;
    };
    for (path, code) in codes {
        if taxonomy.get(code.get_ref()).is_none() {
            ctx.error(
                path,
                code.span(),
                rule!(
                    "check.unknown_industry_code",
                    code = code.get_ref(),
                    province = taxonomy.province,
                    codes = crate::messages::list(taxonomy.codes())
                ),
            )
            .help = did_you_mean(code.get_ref(), taxonomy.codes());
        }
    }
}
