//! Records against what is said about them: counts in `indicators.toml` against the programme
//! register, seats against when their units joined, a programme's own year tables against its
//! start, a milestone's owner against the programme it evidences, and a programme's status
//! against its own checklist. Warnings: each names the second place in a note.

use crate::diagnostics::{Collector, Message};
use crate::figures::ConsortiumFigures;
use crate::model::*;

type Ctx<'a> = Collector<'a>;

/// The counting indicators that a programme register of one kind stands behind.
const COUNTED_BY_RECORDS: [(&str, ProgrammeKind); 7] = [
    ("co_built_majors", ProgrammeKind::Major),
    ("co_built_courses", ProgrammeKind::Course),
    ("co_built_textbooks", ProgrammeKind::Textbook),
    ("co_built_training_bases", ProgrammeKind::TrainingBase),
    ("co_built_industry_colleges", ProgrammeKind::IndustryCollege),
    (
        "common_tech_service_platforms",
        ProgrammeKind::ServicePlatform,
    ),
    ("master_studios", ProgrammeKind::MasterStudio),
];

/// At most this many programme titles are named in a note.
const NAMED: usize = 6;

pub fn consortium(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let c = f.consortium;
    counts_against_records(ctx, f);
    if !c.profile_unreadable {
        seats_against_joining(ctx, c, f.report_year);
    }
    for p in &c.programmes {
        years_before_start(ctx, c, p);
        status_against_checklist(ctx, p);
    }
    if let Some(m) = &c.milestones {
        owners_against_partners(ctx, c, m);
    }
}

/// A count above the programmes registered of its kind by that year, or a rise in a year that
/// registers none. Only where the profile says `programmes/` is the complete register, and for
/// kinds it registers at all: a site that shows its flagship programmes is not asked to list all.
fn counts_against_records(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let c = f.consortium;
    if c.profile_unreadable || !c.profile.complete_register {
        return;
    }
    let path = c.indicators.path.as_str();
    for (key, kind) in COUNTED_BY_RECORDS {
        let records: Vec<&Programme> = c
            .programmes
            .iter()
            .filter(|p| p.meta.kind == kind)
            .collect();
        if records.is_empty() {
            continue;
        }
        let entries: Vec<&IndicatorEntry> = c
            .indicators
            .entries
            .iter()
            .filter(|e| e.basis == Basis::Actual && e.key.get_ref() == key)
            .collect();
        for e in &entries {
            let by_then: Vec<&&Programme> = records
                .iter()
                .filter(|p| *p.meta.start_year.get_ref() <= e.year)
                .collect();
            let started: Vec<&&Programme> = by_then
                .iter()
                .copied()
                .filter(|p| *p.meta.start_year.get_ref() == e.year)
                .collect();
            let before = entries.iter().find(|x| x.year == e.year - 1);
            let (year, value) = (e.year, crate::format::plain(e.value, 0));
            let message = if e.value > by_then.len() as f64 + 0.5 {
                rule!(
                    "check.count_beyond_records",
                    key,
                    year,
                    value,
                    kind = kind.label(),
                    records = by_then.len()
                )
            } else if before.is_some_and(|b| e.value > b.value) && started.is_empty() {
                let before = crate::format::plain(before.map_or(0.0, |b| b.value), 0);
                rule!(
                    "check.rise_without_record",
                    key,
                    year,
                    value,
                    before,
                    kind = kind.label()
                )
            } else {
                continue;
            };
            let first = records[0];
            let titles: Vec<&str> = by_then
                .iter()
                .take(NAMED)
                .map(|p| p.meta.title.as_str())
                .collect();
            let listed = if titles.is_empty() {
                msg!("check.records_none_by", year, kind = kind.label())
            } else {
                let more = by_then.len().saturating_sub(NAMED);
                let mut list = titles.join(msg!("check.list_separator").as_str());
                if more > 0 {
                    list.push_str(&msg!("check.records_more", more));
                }
                msg!("check.records_listed", year, kind = kind.label(), list)
            };
            let note = ctx.note(&first.path, first.meta.start_year.span(), listed);
            ctx.warning(path, e.value_span.clone(), message)
                .notes
                .push(note);
        }
    }
}

/// A seat held by a unit before it joined: by day, where the seat or its body gives one, else a
/// unit that joins only after the report year while the seat is shown as held.
fn seats_against_joining(ctx: &mut Ctx, c: &Consortium, report_year: i32) {
    let path = c.profile_path.as_str();
    // An implausible report year has its own error; no seat is measured against it.
    let Some(cutoff) = Date::year_end(report_year)
        .filter(|_| super::site::PLAUSIBLE_REPORT_YEARS.contains(&report_year))
    else {
        return;
    };
    for b in &c.profile.bodies {
        for s in &b.seats {
            let Some(r) = &s.member else {
                continue;
            };
            let Some((m, joined)) = c
                .member(r.get_ref())
                .and_then(|m| m.joined.as_ref().map(|j| (m, *j.get_ref())))
            else {
                continue;
            };
            let since = s
                .start
                .as_ref()
                .or(b.established.as_ref())
                .map(|d| *d.get_ref());
            let message = match since {
                Some(day) if day < joined => rule!(
                    "check.seat_before_member_joined",
                    holder = s.holder(),
                    body = b.name,
                    since = day,
                    member = r.get_ref()
                ),
                None if joined > cutoff && s.holds_on(cutoff) => Message::named(
                    "check.seat_before_member_joined",
                    msg!(
                        "check.seat_member_joins_later",
                        holder = s.holder(),
                        body = b.name,
                        cutoff,
                        member = r.get_ref()
                    ),
                ),
                _ => continue,
            };
            let note = super::crosscheck::joined_note(ctx, c, m);
            ctx.warning(path, r.span(), message).notes.push(note);
        }
    }
}

/// The lines of a programme's text, each with the byte offset in its file where it starts.
fn lines_at(p: &Programme) -> impl Iterator<Item = (usize, &str)> {
    p.body
        .split_inclusive('\n')
        .scan(p.body_offset, |offset, line| {
            let at = *offset;
            *offset += line.len();
            Some((at, line))
        })
}

/// The rows of the year tables in a programme's text (a Markdown table whose first column is
/// headed 年度 or 年份), each row's year with its byte span in the file.
fn table_years(p: &Programme) -> Vec<(i32, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut in_year_table = false;
    for (at, line) in lines_at(p) {
        let row = line.trim();
        if !row.starts_with('|') {
            in_year_table = false;
            continue;
        }
        let first = row
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or("")
            .trim();
        if matches!(first, "年度" | "年份") {
            in_year_table = true;
            continue;
        }
        if !in_year_table {
            continue;
        }
        let digits = first.trim_end_matches('年');
        if let Some(year) = four_digit_year(digits) {
            let start = at + line.find(digits).unwrap_or(0);
            out.push((year, start..start + digits.len()));
        }
    }
    out
}

/// Rows of a programme's year table for years before it started, or before the consortium was
/// founded: figures of a programme that did not exist yet.
fn years_before_start(ctx: &mut Ctx, c: &Consortium, p: &Programme) {
    let start = *p.meta.start_year.get_ref();
    let founded = c.founded().map(|d| d.get_ref().year());
    let Some((year, span)) = table_years(p)
        .into_iter()
        .find(|(y, _)| *y < start || founded.is_some_and(|f| *y < f))
    else {
        return;
    };
    let note = if year < start {
        ctx.note(
            &p.path,
            p.meta.start_year.span(),
            msg!("check.programme_starts_in", start),
        )
    } else {
        let fd = c.founded().expect("compared with the founding above");
        ctx.note(
            &c.profile_path,
            fd.span(),
            msg!("check.founded_on", founded = fd.get_ref()),
        )
    };
    ctx.warning(
        &p.path,
        span,
        rule!(
            "check.programme_year_before_start",
            year,
            title = p.meta.title
        ),
    )
    .notes
    .push(note);
}

/// The words of a checklist item that the status claims done.
fn claimed_by(status: ProgrammeStatus) -> &'static [&'static str] {
    match status {
        ProgrammeStatus::Accredited => &["认定", "评审", "验收"],
        ProgrammeStatus::Completed => &["建成", "验收"],
        _ => &[],
    }
}

/// Whether an open checklist item is a step the programme's status says is done: an item that
/// names a level (申报省级认定) contradicts only a recognition at that level or above, since a
/// programme recognised at 市级 may well still be applying at 省级.
fn contradicts(p: &Programme, task: &str) -> bool {
    if !claimed_by(p.meta.status).iter().any(|w| task.contains(w)) {
        return false;
    }
    match Level::ALL.iter().find(|l| task.contains(l.label())) {
        Some(named) => p.meta.level.as_ref().is_some_and(|l| l.get_ref() >= named),
        None => true,
    }
}

/// A programme marked 建成 or 认定 whose own checklist (`- [ ] …` in its text) still lists that
/// step as not done.
fn status_against_checklist(ctx: &mut Ctx, p: &Programme) {
    if claimed_by(p.meta.status).is_empty() {
        return;
    }
    for (at, line) in lines_at(p) {
        let item = line.trim_start();
        let Some(task) = ["- [ ]", "* [ ]", "+ [ ]"]
            .iter()
            .find_map(|m| item.strip_prefix(m))
        else {
            continue;
        };
        let task = task.trim();
        if !contradicts(p, task) {
            continue;
        }
        let start = at + (line.len() - item.len());
        let status = p.meta.status.label();
        ctx.warning(
            &p.path,
            start..start + item.trim_end().len(),
            rule!("check.status_against_checklist", status, task),
        );
        return;
    }
}

/// A milestone whose evidence is a programme its owner is not a partner of.
fn owners_against_partners(ctx: &mut Ctx, c: &Consortium, m: &Milestones) {
    for ms in &m.milestone {
        let Some(owner_at) = &ms.owner else {
            continue;
        };
        let owner = owner_at.get_ref();
        if c.member(owner).is_none() {
            continue;
        }
        for ev in &ms.evidence {
            let Some(slug) = ev.get_ref().strip_prefix("programme:") else {
                continue;
            };
            let Some(p) = c.programmes.iter().find(|p| p.slug == slug) else {
                continue;
            };
            if p.meta
                .partners
                .get_ref()
                .iter()
                .any(|r| r.get_ref() == owner)
            {
                continue;
            }
            let note = ctx.note(
                &p.path,
                p.meta.partners.span(),
                msg!("check.partners_are", title = p.meta.title),
            );
            ctx.warning(
                &c.milestones_path,
                owner_at.span(),
                rule!("check.owner_not_partner", owner, title = p.meta.title),
            )
            .notes
            .push(note);
        }
    }
}
