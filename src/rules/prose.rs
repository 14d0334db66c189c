//! Numbers in prose against the data, conservatively: in a sentence that names a year
//! (`2024年`), an indicator's name followed at once by a number and the indicator's unit
//! (`共建专业12个`) must be that year's actual value. A sentence that speaks of change or of a
//! part (新增, 相比, 其中, 建成 …) is left alone, since its numbers are not the year's totals; so is
//! a sentence without a year, or a year without a value.
//! The help names the reference that keeps the sentence right (`{{ 指标("co_built_majors", 2024) }}`).

use crate::diagnostics::Collector;
use crate::figures::ConsortiumFigures;
use crate::format;

type Ctx<'a> = Collector<'a>;

/// Words that make a sentence's numbers changes or parts, not the year's totals.
const CHANGE_WORDS: [&str; 14] = [
    "新增",
    "增加",
    "新建",
    "新开",
    "减少",
    "其中",
    "另有",
    "新获",
    "相比",
    "比上年",
    "较上年",
    "建成",
    "认定",
    "下降",
];

/// Every body of the consortium, each on its own (in parallel: a consortium may have thousands),
/// the problems in the bodies' order.
pub fn consortium(ctx: &mut Ctx, f: &ConsortiumFigures) {
    use rayon::prelude::*;
    let c = f.consortium;
    let bodies: Vec<(&str, &str, usize)> = c
        .announcements
        .iter()
        .map(|a| (a.path.as_str(), a.body.as_str(), a.body_offset))
        .chain(
            c.programmes
                .iter()
                .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset)),
        )
        .chain(
            c.pages
                .iter()
                .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset)),
        )
        .collect();
    let found: Vec<Vec<crate::diagnostics::Diagnostic>> = bodies
        .par_iter()
        .map(|&(path, body, offset)| {
            let mut own = ctx.fork();
            text_against_figures(&mut own, f, path, body, offset);
            own.diags
        })
        .collect();
    ctx.diags.extend(found.into_iter().flatten());
}

/// The sentences of `body` (Markdown or a text cell), which starts at `offset` in `path`, against
/// the figures.
pub(super) fn text_against_figures(
    ctx: &mut Ctx,
    f: &ConsortiumFigures,
    path: &str,
    body: &str,
    offset: usize,
) {
    let mut start = 0;
    for (i, ch) in body.char_indices() {
        if matches!(ch, '。' | '；' | '！' | '？' | '\n') {
            sentence(ctx, f, path, &body[start..i], offset + start);
            start = i + ch.len_utf8();
        }
    }
    sentence(ctx, f, path, &body[start..], offset + start);
}

/// The first `2024年` of a sentence.
fn year_of(text: &str) -> Option<i32> {
    let at = text.find('年')?;
    let digits: String = text[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() == 4)
        .then(|| digits.chars().rev().collect::<String>().parse().ok())
        .flatten()
}

/// The numbers of a sentence: where each starts, and its text (`3,167.5`).
fn numbers(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit()
            && (i == 0 || !matches!(bytes[i - 1], b'0'..=b'9' | b',' | b'.'))
        {
            let end = i + bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || **b == b',' || **b == b'.')
                .count();
            out.push((i, text[i..end].trim_end_matches(['.', ','])));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn sentence(ctx: &mut Ctx, f: &ConsortiumFigures, path: &str, text: &str, at: usize) {
    if !text.contains('年') || text.contains('|') || CHANGE_WORDS.iter().any(|w| text.contains(w))
    {
        return;
    }
    let Some(year) = year_of(text) else {
        return;
    };
    // Each number, then the indicator whose name it follows: a sentence has few numbers, and
    // a site many bodies, so names are looked for only where a number stands.
    for (start, number) in numbers(text) {
        let Some(s) = f.series.iter().find(|s| {
            let unit = s.def.unit.as_str();
            !unit.is_empty()
                && unit != "%"
                && text[..start].ends_with(s.def.name.as_str())
                && text[start + number.len()..].trim_start().starts_with(unit)
        }) else {
            continue;
        };
        let Ok(written) = number.replace(',', "").parse::<f64>() else {
            continue;
        };
        let Some(p) = s.actual().find(|p| p.year == year) else {
            continue;
        };
        let decimals = s.def.decimals();
        if format::plain(written, decimals) == format::plain(p.value, decimals) {
            continue;
        }
        let (name, unit) = (s.def.name.as_str(), s.def.unit.as_str());
        let value = format::indicator_with_unit(p.value, s.def);
        let place = at + start..at + start + number.len();
        let d = ctx.warning(
            path,
            place,
            rule!(
                "check.prose_differs",
                name,
                written = format!("{number}{unit}"),
                year,
                value = format::plain_text(&value)
            ),
        );
        d.help = Some(msg!("check.prose_differs_help", key = s.key, year));
        if let Some(src) = p.source() {
            let note = ctx.note(
                src.path,
                src.span.clone(),
                msg!("check.prose_value_here", year),
            );
            ctx.diags.last_mut().expect("just pushed").notes.push(note);
        }
    }
}
