//! The annual draft of the year a consortium was founded: it tells the founding, the units that
//! founded it, its bodies and who sits on them, its targets and phases, and the first steps taken
//! after it. Nothing is said to be missing that could not exist yet: no "没有新加入" of a
//! consortium that did not exist the year before, no empty sections, and the founders are not
//! "new members".

use std::borrow::Cow;
use std::fmt::Write as _;

use super::*;

/// The draft for `req.year`, the founding year of `f`'s consortium.
pub(super) fn draft(f: &ConsortiumFigures, req: &Request, founded: Date) -> Draft {
    let c = f.consortium;
    let y = req.year;
    let p = &c.profile;
    let name = md(&p.name);
    let mut out = front_matter(
        &format!("{}{y}年度建设情况", p.name),
        req.date,
        "年度总结",
        &format!(
            "联合体于{}成立，本稿记述组建情况、建设目标和起步工作。",
            format::date(&founded)
        ),
    );
    let _ = writeln!(
        out,
        "\n{}，{name}（以下简称联合体）成立。现将{y}年联合体组建和建设情况公告如下。\n",
        format::date(&founded)
    );
    let _ = writeln!(out, "## 一、组建情况\n");
    founders(&mut out, c, founded);
    for b in &p.bodies {
        body(&mut out, c, b);
    }
    if let Some(host) = p
        .secretariat
        .as_ref()
        .and_then(|s| s.host.as_ref())
        .and_then(|h| c.member(h.get_ref()))
    {
        let _ = writeln!(out, "联合体秘书处设在{}。", md(&host.name));
    }
    let mut section = 2;
    if p.target.is_some() || !p.phases.is_empty() {
        let _ = writeln!(out, "\n## {}、建设目标\n", number(section));
        section += 1;
        targets(&mut out, p);
    }
    let (from, to) = bounds(y, None);
    let period = f.period(from, to);
    let mut steps = String::new();
    first_steps(&mut steps, f, &period, founded);
    if !steps.is_empty() {
        let _ = writeln!(out, "\n## {}、起步工作\n", number(section));
        section += 1;
        out.push_str(&steps);
    }
    let reported: Vec<(&Series, &crate::figures::Point)> = f
        .series
        .iter()
        .filter_map(|s| s.actual().find(|p| p.year == y).map(|p| (s, p)))
        .collect();
    if !reported.is_empty() {
        // No year before to compare with: the values of the first year, as they stand.
        let _ = writeln!(out, "\n## {}、主要指标\n", number(section));
        section += 1;
        let _ = writeln!(
            out,
            "{y}年，联合体填报实际值的建设指标共{}项，见下表。",
            format::count(reported.len() as u64)
        );
        indicator_table(&mut out, &reported, y, 0);
    }
    if f.series.iter().any(|s| s.committed().any(|p| p.year > y)) {
        let _ = writeln!(out, "\n## {}、今后的承诺目标\n", number(section));
        commitments_section(&mut out, f, y);
    }
    let _ = writeln!(out, "\n{name}秘书处");
    Draft {
        slug: format!("annual-{y}"),
        text: out,
    }
}

/// 二, 三 … for a section number.
fn number(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七"]
        .get(n - 1)
        .copied()
        .unwrap_or("七")
}

/// The units that founded the consortium: those that had joined by its founding day (or give
/// no date).
fn founders(out: &mut String, c: &Consortium, founded: Date) {
    let list: Vec<&Member> = c
        .members
        .list
        .iter()
        .filter(|m| m.joined.as_ref().is_none_or(|j| *j.get_ref() <= founded))
        .collect();
    if list.is_empty() {
        return;
    }
    let mut by_kind = crate::figures::Composition::default();
    for m in &list {
        by_kind.add(m);
    }
    let names: Vec<Cow<str>> = list.iter().map(|m| md(&m.name)).collect();
    let _ = writeln!(
        out,
        "联合体由{}家单位共同组建（{}）：{}。",
        format::count(list.len() as u64),
        kinds_text(&by_kind),
        names.join("、")
    );
}

/// A body and its seats as published: `设立…领导小组，组长张明（…副市长），共2人。`
fn body(out: &mut String, c: &Consortium, b: &Body) {
    let when = b
        .established
        .as_ref()
        .map(|d| format::date(d.get_ref()))
        .unwrap_or_default();
    if b.planned() && b.seats.is_empty() {
        let _ = writeln!(out, "筹建{}。", md(&b.name));
        return;
    }
    let verb = if b.planned() { "筹建" } else { "设立" };
    let mut text = format!("{when}{verb}{}", md(&b.name));
    let lead = b.seats.first();
    if let Some(s) = lead {
        let unit = if s.organisation.is_empty() {
            s.member
                .as_ref()
                .and_then(|m| c.member(m.get_ref()))
                .map_or(String::new(), |m| m.name.clone())
        } else {
            s.organisation.clone()
        };
        let _ = write!(text, "，{}", md(&s.role));
        match &s.name {
            Some(n) => {
                let _ = write!(text, "{}", md(n));
                if !unit.is_empty() || !s.post.is_empty() {
                    let _ = write!(text, "（{}{}）", md(&unit), md(&s.post));
                }
            }
            None => text.push_str(TO_BE_DECIDED),
        }
        let open: Vec<&str> = b
            .seats
            .iter()
            .filter(|s| s.name.is_none())
            .map(|s| s.role.as_str())
            .collect();
        let _ = write!(text, "，共{}人", format::count(b.seats.len() as u64));
        if !open.is_empty() && lead.is_some_and(|l| l.name.is_some()) {
            let _ = write!(text, "（{}人选待定）", open.join("、"));
        }
    }
    let _ = writeln!(out, "{text}。");
}

fn targets(out: &mut String, p: &Profile) {
    if let Some(t) = &p.target {
        let _ = writeln!(
            out,
            "联合体力争于{}前建成{}{}。",
            format::date(t.by.get_ref()),
            t.level.label(),
            p.kind.label()
        );
    }
    if p.phases.is_empty() {
        return;
    }
    let phases: Vec<String> = p
        .phases
        .iter()
        .map(|ph| {
            let goals: Vec<Cow<str>> = ph.goals.iter().map(|g| md(g)).collect();
            let mut s = format!(
                "{}（{}至{}）",
                md(&ph.name),
                format::date(ph.start.get_ref()),
                format::date(ph.end.get_ref())
            );
            if !goals.is_empty() {
                let _ = write!(s, "{}", goals.join("、"));
            }
            s
        })
        .collect();
    let _ = writeln!(
        out,
        "建设方案分{}个阶段推进：{}。",
        format::count(p.phases.len() as u64),
        phases.join("；")
    );
}

/// What happened after the founding: units that joined later in the year, programmes started,
/// training given. Only what there is.
fn first_steps(out: &mut String, f: &ConsortiumFigures, period: &Period, founded: Date) {
    let later: Vec<&&Member> = period
        .joined
        .iter()
        .filter(|m| m.joined.as_ref().is_some_and(|j| *j.get_ref() > founded))
        .collect();
    if !later.is_empty() {
        let names: Vec<Cow<str>> = later.iter().map(|m| md(&m.name)).collect();
        let _ = writeln!(
            out,
            "成立后新加入成员单位{}家：{}。截至{}，联合体共有成员单位{}。",
            format::count(later.len() as u64),
            names.join("、"),
            format::date(&period.to),
            members_total(f, period.to)
        );
    }
    if !period.started.is_empty() {
        let _ = writeln!(
            out,
            "开始建设共建项目{}个：{}。",
            format::count(period.started.len() as u64),
            programmes_text(&period.started)
        );
    }
    if !period.completed.is_empty() {
        let _ = writeln!(
            out,
            "建成或获认定的共建项目{}个：{}。",
            format::count(period.completed.len() as u64),
            programmes_text(&period.completed)
        );
    }
    let t = period.training_total();
    if t.sessions > 0 {
        let _ = writeln!(out, "{}。", training_line("开展培训", &t, None));
    }
}
