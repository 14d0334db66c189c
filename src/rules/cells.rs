//! The text cells of `report.toml` with the figures they cite: each figure reference
//! (`{{ 指标("co_built_majors", 2024) }}`) must have a value in the consortium's own data, each
//! cell stays within the form's limit counted on the text as printed (references replaced by
//! their values), and numbers written by hand are held against the data as in Markdown prose.

use crate::diagnostics::Collector;
use crate::figures::ConsortiumFigures;
use crate::model::{form_chars, CellPlace, TextCell};
use crate::render::figrefs;

type Ctx<'a> = Collector<'a>;

pub fn consortium(ctx: &mut Ctx, f: &ConsortiumFigures) {
    let c = f.consortium;
    let Some(report) = &c.report else {
        return;
    };
    let path = c.report_path.as_str();
    let file = ctx.file(path);
    for (year, cell, text) in report.cells() {
        let raw = text.get_ref();
        // Where the string's own characters start in the file, when they are the value as
        // written (no escapes); otherwise diagnostics point at the whole string.
        let body = content_start(&file.text, text.span(), raw);
        let place = |r: std::ops::Range<usize>| match body {
            Some(at) => at + r.start..at + r.end,
            None => text.span(),
        };
        let (printed, problems) = figrefs::resolve_plain(raw, f);
        // With an implausible report year (reported once) a reference has no year to stand in.
        if crate::rules::PLAUSIBLE_REPORT_YEARS.contains(&f.report_year) {
            for (at, m) in problems {
                ctx.error(path, place(at), m);
            }
        }
        let n = form_chars(&printed);
        if n > cell.limit {
            let prefix = match year {
                CellPlace::Whole => String::new(),
                CellPlace::Year(year) => msg!("check.cell_year", year),
                CellPlace::Form(year) => msg!("check.cell_form", year),
            };
            over_limit(ctx, path, text.span(), &prefix, cell, n);
        }
        if let Some(at) = body {
            super::prose::text_against_figures(ctx, f, path, raw, at);
        }
    }
}

/// `cell-over-limit`: the text at `span` has `n` 字, over `cell`'s limit.
pub(super) fn over_limit(
    ctx: &mut Ctx,
    path: &str,
    span: std::ops::Range<usize>,
    prefix: &str,
    cell: TextCell,
    n: usize,
) {
    ctx.warning(
        path,
        span,
        rule!(
            "check.cell_over_limit",
            prefix,
            label = cell.label,
            key = cell.key,
            n,
            limit = cell.limit
        ),
    )
    .help = Some(msg!("check.cell_over_limit_help", over = n - cell.limit));
}

/// Where the characters of a TOML string whose whole token spans `span` start in `src`, when the
/// token holds `value` exactly as written (a literal string, or a basic one without escapes).
fn content_start(src: &str, span: std::ops::Range<usize>, value: &str) -> Option<usize> {
    let token = src.get(span.clone())?;
    let quote = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| token.starts_with(q) && token.ends_with(q) && token.len() >= 2 * q.len())?;
    let mut inner = &token[quote.len()..token.len() - quote.len()];
    let mut start = span.start + quote.len();
    if quote.len() == 3 {
        // A newline right after the opening quotes is not part of the string.
        for nl in ["\r\n", "\n"] {
            if let Some(rest) = inner.strip_prefix(nl) {
                inner = rest;
                start += nl.len();
                break;
            }
        }
    }
    (inner == value).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::content_start;

    #[test]
    fn finds_the_characters_of_a_string_as_written() {
        let src = "a = \"共建\"\nb = '''\n多行\n文字'''\nc = \"带\\n转义\"";
        let at = |needle: &str| src.find(needle).unwrap();
        let span = at("\"共建\"")..at("\"共建\"") + "\"共建\"".len();
        assert_eq!(content_start(src, span, "共建"), Some(at("共建")));
        let span = at("'''")..src.find("字'''").unwrap() + "字'''".len();
        assert_eq!(content_start(src, span, "多行\n文字"), Some(at("多行")));
        let span = at("\"带")..src.len();
        assert_eq!(content_start(src, span, "带\n转义"), None);
    }
}
