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
    for (start, text) in year_sentences(body) {
        sentence(ctx, f, path, text, offset + start);
    }
}

/// The sentences of `body` that name a year (hold a 年), each with where it starts. Each is
/// found from its first 年, without reading the sentences between (most of a body, which
/// thousands of bodies make long).
fn year_sentences(body: &str) -> impl Iterator<Item = (usize, &str)> {
    const ENDS: [char; 5] = ['。', '；', '！', '？', '\n'];
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + body.get(from..)?.find('年')?;
        let start = body[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| ENDS.contains(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = body[at..].find(ENDS).map_or(body.len(), |i| at + i);
        from = end;
        Some((start, &body[start..end]))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentences_that_name_a_year_are_those_a_full_split_gives() {
        use proptest::prelude::*;
        let parts = proptest::sample::select(vec![
            "年",
            "。",
            "；",
            "！",
            "？",
            "\n",
            "2024",
            "共建专业",
            "12个",
            "a",
            " ",
        ]);
        proptest!(|(body in proptest::collection::vec(parts, 0..40))| {
            let body: String = body.concat();
            // Every sentence, split at each end, as a reader would.
            let mut all = Vec::new();
            let mut start = 0;
            for (i, ch) in body.char_indices() {
                if matches!(ch, '。' | '；' | '！' | '？' | '\n') {
                    all.push((start, &body[start..i]));
                    start = i + ch.len_utf8();
                }
            }
            all.push((start, &body[start..]));
            let with_year: Vec<(usize, &str)> =
                all.into_iter().filter(|(_, s)| s.contains('年')).collect();
            prop_assert_eq!(year_sentences(&body).collect::<Vec<_>>(), with_year);
        });
    }
}
