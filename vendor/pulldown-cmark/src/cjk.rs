//! The CommonMark CJK-friendly amendment to the emphasis rules
//! (<https://github.com/tats-u/markdown-cjk-friendly/blob/main/specification.md>): punctuation
//! that is itself a CJK character no longer blocks a delimiter run, and a CJK character outside a
//! run lets it open or close. Used when `Options::ENABLE_CJK_FRIENDLY_EMPHASIS` is set.

use icu_properties::props::{EastAsianWidth, EmojiPresentation, Script};
use icu_properties::{CodePointMapData, CodePointSetData};

use crate::puncttable::is_punctuation;

/// A CJK character: East Asian Width W, F or H and not shown as emoji by default, or Hangul.
pub(crate) fn is_cjk(c: char) -> bool {
    if (c as u32) < 0x1100 {
        return false;
    }
    let wide = matches!(
        CodePointMapData::<EastAsianWidth>::new().get(c),
        EastAsianWidth::Wide | EastAsianWidth::Fullwidth | EastAsianWidth::Halfwidth
    );
    (wide && !CodePointSetData::new::<EmojiPresentation>().contains(c))
        || CodePointMapData::<Script>::new().get(c) == Script::Hangul
}

/// U+FE00–U+FE0E: a variation selector that is not the emoji presentation selector.
fn is_general_vs(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0E)
}

/// U+E0100–U+E01EF: an ideographic variation selector.
fn is_ideographic_vs(c: char) -> bool {
    matches!(c as u32, 0xE0100..=0xE01EF)
}

/// Punctuation of ambiguous width followed by U+FE01, its full-width form (`“︁`): CJK punctuation.
fn is_cjk_ambiguous_punctuation(c: char, selector: Option<char>) -> bool {
    selector == Some('\u{FE01}')
        && is_punctuation(c)
        && CodePointMapData::<EastAsianWidth>::new().get(c) == EastAsianWidth::Ambiguous
}

/// What stands on one side of a delimiter run.
#[derive(Clone, Copy, Default)]
struct Side {
    whitespace: bool,
    punctuation: bool,
    non_cjk_punctuation: bool,
    cjk: bool,
    ideographic_vs: bool,
}

impl Side {
    fn of(c: Option<char>, selector: Option<char>) -> Side {
        let Some(c) = c else {
            // The beginning and the end of the line count as whitespace.
            return Side {
                whitespace: true,
                ..Side::default()
            };
        };
        let punctuation = is_punctuation(c);
        let cjk = is_cjk(c);
        Side {
            whitespace: c.is_whitespace(),
            punctuation,
            non_cjk_punctuation: punctuation && !cjk && !is_cjk_ambiguous_punctuation(c, selector),
            cjk,
            ideographic_vs: false,
        }
    }

    /// The character sequence before a run: a variation selector belongs to the character it follows.
    fn before(text: &str) -> Side {
        let mut chars = text.chars().rev();
        match chars.next() {
            Some(c) if is_ideographic_vs(c) => Side {
                ideographic_vs: true,
                ..Side::default()
            },
            Some(c) if is_general_vs(c) => match chars.next() {
                Some(base) => Side::of(Some(base), Some(c)),
                None => Side::of(Some(c), None),
            },
            last => Side::of(last, None),
        }
    }

    fn after(text: &str) -> Side {
        let mut chars = text.chars();
        let first = chars.next();
        Side::of(first, chars.next())
    }
}

/// Whether a run is left- and right-flanking by the amendment.
fn flanking(delim: u8, before: &str, after: &str) -> (bool, bool, Side, Side) {
    let prev = Side::before(before);
    let next = Side::after(after);
    // A file pattern such as `*.pdf` after Chinese text (`格式为*.doc、*.pdf`) is never emphasis.
    let file_pattern = delim == b'*'
        && after.starts_with('.')
        && after[1..].starts_with(|c: char| c.is_ascii_alphanumeric());
    let left = !next.whitespace
        && (!next.non_cjk_punctuation
            || prev.whitespace
            || prev.non_cjk_punctuation
            || ((prev.cjk || prev.ideographic_vs) && !file_pattern));
    let right = !prev.whitespace
        && (!prev.non_cjk_punctuation || next.whitespace || next.non_cjk_punctuation || next.cjk);
    (left, right, prev, next)
}

/// Whether the run of `delim` between `before` and `after` can open emphasis; `None` for a
/// delimiter the amendment leaves alone.
pub(crate) fn can_open(delim: u8, before: &str, after: &str) -> Option<bool> {
    let (left, right, prev, _) = flanking(delim, before, after);
    match delim {
        b'*' => Some(left),
        b'_' => Some(left && (!right || prev.punctuation)),
        _ => None,
    }
}

/// Whether the run of `delim` (of `run_len`) between `before` and `after` can close emphasis;
/// `None` for a delimiter the amendment leaves alone.
pub(crate) fn can_close(delim: u8, run_len: usize, before: &str, after: &str) -> Option<bool> {
    let (left, right, _, next) = flanking(delim, before, after);
    match delim {
        b'*' => Some(right),
        b'_' => Some(right && (!left || next.punctuation)),
        b'~' if run_len > 1 => Some(right),
        _ => None,
    }
}
