//! The text side of search: HTML made plain text, text normalised (NFKC, lower case), cut into
//! tokens (Han characters and their bigrams, other words whole) and keyed, and the shard a token
//! falls in. `static/search.js` cuts a query the same way: a browser test runs both on the same
//! strings.

use unicode_normalization::UnicodeNormalization;

/// The text of an HTML fragment: tags dropped (with what `<svg>`, `<script>` and `<style>`
/// hold), entities decoded, runs of white space made one space.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[open..];
        let skip_to = ["svg", "script", "style"].iter().find_map(|t| {
            let tag = rest.get(1..=t.len())?;
            let after = rest.as_bytes().get(t.len() + 1).copied();
            (tag.eq_ignore_ascii_case(t) && matches!(after, Some(b' ' | b'>' | b'/')))
                .then(|| format!("</{t}>"))
        });
        rest = match skip_to.and_then(|end| rest.find(&end).map(|i| i + end.len())) {
            Some(end) => &rest[end..],
            None => rest.find('>').map_or("", |i| &rest[i + 1..]),
        };
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out);
    // The word joiners that hold numbers to their units are nothing a reader types.
    decoded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(crate::format::WORD_JOINER, "")
}

/// Whether `c` is a Han character (the ranges `search.js` uses too).
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `c` is a Han character that normalisation leaves as it is (not one of the
/// compatibility ideographs, which NFKC maps to unified ones).
fn plain_han(c: char) -> bool {
    is_han(c) && !matches!(c as u32, 0xF900..=0xFAFF)
}

/// `text` as the index compares it: NFKC, then lower case, as `search.js` does with
/// `normalize("NFKC").toLowerCase()`. Done a stretch between Han characters at a time: a Han
/// character composes with nothing and has no case, so each stretch normalises as it would in
/// the whole, and most stretches (ASCII, or punctuation already normal) cost a scan.
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .chars()
        .all(|c| plain_han(c) || (c.is_ascii() && !c.is_ascii_uppercase()))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if plain_han(c) {
            push_normalised(&text[start..i], &mut out);
            out.push(c);
            start = i + c.len_utf8();
        }
    }
    push_normalised(&text[start..], &mut out);
    std::borrow::Cow::Owned(out)
}

/// Appends the stretch `text`, normalised, to `out`.
fn push_normalised(text: &str, out: &mut String) {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            out.push_str(&text.to_ascii_lowercase());
        } else {
            out.push_str(text);
        }
    } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        out.push_str(&text.to_lowercase());
    } else {
        out.push_str(&text.nfkc().collect::<String>().to_lowercase());
    }
}

/// One token, as the tokeniser finds it.
pub(super) enum Token<'t> {
    Han(char),
    Pair(char, char),
    Word(&'t str),
}

/// Calls `each` with every token of the normalised `text`, in order: each pair of neighbouring
/// Han characters (a Han character alone is its own token), and each run of other letters and
/// digits. With `edges`, as the index cuts a page, a Han character at the edge of a longer run
/// next to a letter or a digit is a token too, so that a query's lone character beside a number
/// (`第3期`, `1号`) finds the page that has it in a longer run (`本年第3期`, `1号文`).
pub(super) fn each_token(text: &str, edges: bool, mut each: impl FnMut(Token<'_>)) {
    let mut prev: Option<char> = None;
    let mut run = 0usize;
    let mut word: Option<usize> = None;
    // Whether the character before the current run of Han characters was a letter or digit.
    let mut after_word = false;
    for (i, c) in text.char_indices() {
        if is_han(c) {
            if let Some(start) = word.take() {
                each(Token::Word(&text[start..i]));
                after_word = true;
            }
            if let Some(p) = prev {
                if run == 1 && edges && after_word {
                    each(Token::Han(p));
                }
                each(Token::Pair(p, c));
            }
            prev = Some(c);
            run += 1;
        } else {
            let alnum = c.is_alphanumeric();
            if let Some(p) = prev.take() {
                if run == 1 || (edges && alnum) {
                    each(Token::Han(p));
                }
            }
            run = 0;
            if alnum {
                word.get_or_insert(i);
            } else if let Some(start) = word.take() {
                each(Token::Word(&text[start..i]));
            }
            after_word = alnum;
        }
    }
    if let (1, Some(p)) = (run, prev) {
        each(Token::Han(p));
    }
    if let Some(start) = word {
        each(Token::Word(&text[start..]));
    }
}

/// The tokens of `text`, in order, repeats kept (see `each_token`).
pub fn tokens(text: &str) -> Vec<String> {
    let text = normalise(text);
    let mut out = Vec::new();
    each_token(&text, false, |t| {
        out.push(match t {
            Token::Han(c) => c.to_string(),
            Token::Pair(a, b) => [a, b].iter().collect(),
            Token::Word(w) => w.to_string(),
        })
    });
    out
}

/// A token as the index keys it: Han characters packed into a number, other words as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Key {
    Han(u64),
    Word(Box<str>),
}

impl Key {
    pub(super) fn of(t: Token<'_>) -> Key {
        match t {
            Token::Han(c) => Key::Han(u64::from(c)),
            Token::Pair(a, b) => Key::Han(1 << 42 | u64::from(a) << 21 | u64::from(b)),
            Token::Word(w) => Key::Word(w.into()),
        }
    }

    pub(super) fn text(&self) -> String {
        match self {
            Key::Word(w) => w.to_string(),
            Key::Han(n) => {
                let char_at = |shift: u32| char::from_u32((n >> shift & 0x1F_FFFF) as u32);
                let mut s = String::new();
                if n >> 42 == 1 {
                    s.extend(char_at(21));
                }
                s.extend(char_at(0));
                s
            }
        }
    }
}

/// FNV-1a (32 bits) of the token's UTF-8 bytes: which shard holds it.
pub fn shard_of(token: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h as usize) % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_a_stretch_at_a_time_is_normalising_the_whole() {
        for text in [
            "注意：ＡＢＣ１２（二〇二四）e\u{301}Σ字ΣΑ 丽\u{F9F1}①",
            "ΌΣΟΣ 字 ὈΔΥΣΣΕΎΣ",
            "孝产教联〔2025〕1号",
        ] {
            let whole = text.nfkc().collect::<String>().to_lowercase();
            assert_eq!(normalise(text), whole, "{text}");
        }
    }

    #[test]
    fn chinese_is_cut_into_bigrams_and_other_words_kept_whole() {
        assert_eq!(tokens("订单班"), ["订单", "单班"]);
        assert_eq!(tokens("号"), ["号"]);
        assert_eq!(
            tokens("孝产教联〔2025〕1号"),
            ["孝产", "产教", "教联", "2025", "1", "号"]
        );
        assert_eq!(tokens("CNC-Major 培训"), ["cnc", "major", "培训"]);
        // Full-width forms are the half-width ones.
        assert_eq!(tokens("ＡＢＣ１２"), tokens("abc12"));
        // A page is cut with the edges of its runs of Han characters, so that `第3期` finds
        // `本年第3期`.
        let mut page = Vec::new();
        each_token("本年第3期培训", true, |t| {
            page.push(Key::of(t).text())
        });
        assert_eq!(page, ["本年", "年第", "第", "3", "期", "期培", "培训"]);
        let mut edges = std::collections::BTreeSet::new();
        each_token("本年第3期培训", true, |t| {
            edges.insert(Key::of(t).text());
        });
        assert!(tokens("第3期").iter().all(|t| edges.contains(t)));
    }

    #[test]
    fn plain_text_drops_tags_charts_and_entities() {
        let html =
            "<p>订单班 &amp; 学徒</p><svg viewBox=\"0 0 1 1\"><text>图</text></svg><p>完</p>";
        assert_eq!(plain_text(html), "订单班 & 学徒 完");
    }

    #[test]
    fn shards_follow_fnv_1a() {
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", 1 << 31), 0xe40c292c % (1 << 31));
    }
}
