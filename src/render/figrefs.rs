//! Figures in prose: `{{ 指标("co_built_majors", 2024) }}` in a Markdown body stands for that
//! figure as the data holds it (`13个`), so that a corrected figure corrects every sentence that
//! cites it. The calls:
//!
//! - `指标("key", year)` (`indicator`): the actual value of a catalogue indicator, with its unit;
//! - `承诺("key", year)` (`committed`): the committed value (承诺值);
//! - `成员数(year)` (`members`): the member units as of 31 December of the year (`23家`);
//! - `培训人日(year)` (`person_days`): the person-days of the training ledger in the year.
//!
//! A site page names its consortium first: `{{ 指标("xiaogan", "co_built_majors", 2024) }}`. A
//! reference inside `code` stays as written, and so does anything between braces that is not a
//! call (`{{ 7*7 }}`). While Markdown is rendered, each reference is
//! replaced by a placeholder of the same length (so every offset of the body still points into
//! its file); once the figures exist, `value` gives the text that takes its place, or a
//! diagnostic.

use crate::diagnostics::Message;
use crate::figures::{ConsortiumFigures, Figures};
use crate::format;
use crate::model::Basis;

/// A reference as written, and where it starts in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRef {
    pub call: String,
    pub offset: usize,
    pub len: usize,
}

const OPEN: char = '\u{E001}';
const PAD: char = '\u{E002}';

/// The references of `source` outside code spans and code blocks (`code` gives their byte
/// ranges), and the source with each replaced by a placeholder of the same byte length.
pub fn take(source: &str, code: &[std::ops::Range<usize>]) -> (String, Vec<FigureRef>) {
    let mut refs = Vec::new();
    if !source.contains("{{") {
        return (source.to_string(), refs);
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    while let Some(found) = source[at..].find("{{") {
        let start = at + found;
        let Some(close) = source[start..].find("}}") else {
            break;
        };
        let end = start + close + 2;
        let inner = &source[start + 2..end - 2];
        let in_code = code.iter().any(|r| r.start <= start && start < r.end);
        if in_code || inner.contains('\n') || inner.contains("{{") || !looks_like_call(inner) {
            out.push_str(&source[at..start + 2]);
            at = start + 2;
            continue;
        }
        out.push_str(&source[at..start]);
        let Some(placeholder) = placeholder(refs.len(), end - start) else {
            out.push_str(&source[start..end]);
            at = end;
            continue;
        };
        out.push_str(&placeholder);
        refs.push(FigureRef {
            call: inner.trim().to_string(),
            offset: start,
            len: end - start,
        });
        at = end;
    }
    out.push_str(&source[at..]);
    (out, refs)
}

/// Whether `{{ … }}` holds a call (`名称(…)`): anything else between braces (`{{ 7*7 }}`, a
/// template someone pasted) is text as written, not a reference.
fn looks_like_call(inner: &str) -> bool {
    let t = inner.trim();
    let name_len = t
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    name_len > 0
        && !t.starts_with(|c: char| c.is_ascii_digit())
        && t[name_len..].trim_start().starts_with('(')
        && t.ends_with(')')
}

/// `OPEN`, the index with enough leading zeros, `OPEN`, then `PAD`s: exactly `len` bytes.
fn placeholder(i: usize, len: usize) -> Option<String> {
    let digits = i.to_string().len();
    // OPEN and PAD take 3 bytes each: the zeros make up what threes cannot.
    (digits..digits + 3).find_map(|width| {
        let rest = len.checked_sub(6 + width)?;
        (rest % 3 == 0).then(|| {
            let mut s = String::with_capacity(len);
            s.push(OPEN);
            s.push_str(&format!("{i:0width$}"));
            s.push(OPEN);
            s.extend(std::iter::repeat_n(PAD, rest / 3));
            s
        })
    })
}

/// Replaces every placeholder in `html` by `text(i)`, the text of reference `i`.
pub fn fill(html: &str, text: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let Some(tail) = after[digits..].strip_prefix(OPEN) else {
            out.push(OPEN);
            rest = after;
            continue;
        };
        let i: usize = after[..digits].parse().unwrap_or(usize::MAX);
        out.push_str(&html_escape::encode_text(&text(i)));
        rest = tail.trim_start_matches(PAD);
    }
    out.push_str(rest);
    out
}

/// `text` (a text cell of `report.toml`, not Markdown) with each reference replaced by its
/// value in the figures of `f`, and each reference that has none: where it stands in `text`,
/// and why.
pub fn resolve_plain(
    text: &str,
    f: &ConsortiumFigures,
) -> (String, Vec<(std::ops::Range<usize>, Message)>) {
    let (_, refs) = take(text, &[]);
    if refs.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let own = f.consortium.id.as_str();
    let lookup = |id: &str| (id == own).then_some(f);
    let (mut out, mut problems, mut at) = (String::with_capacity(text.len()), Vec::new(), 0);
    for r in refs {
        out.push_str(&text[at..r.offset]);
        match value(&r.call, Some(own), &lookup, &mut |_| {}) {
            Ok(v) => out.push_str(&v),
            Err(m) => problems.push((r.offset..r.offset + r.len, m)),
        }
        at = r.offset + r.len;
    }
    out.push_str(&text[at..]);
    (out, problems)
}

/// A call parsed: its function and its arguments, strings unquoted.
#[derive(Debug, PartialEq)]
enum Arg {
    Text(String),
    Year(i32),
}

fn parse(call: &str) -> Option<(&str, Vec<Arg>)> {
    let open = call.find('(')?;
    let name = call[..open].trim();
    let args = call[open + 1..].trim().strip_suffix(')')?;
    let mut out = Vec::new();
    for a in args
        .split([',', '，'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        if let Some(s) = a
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .or_else(|| a.strip_prefix('“').and_then(|s| s.strip_suffix('”')))
        {
            out.push(Arg::Text(s.to_string()));
        } else {
            out.push(Arg::Year(a.trim_end_matches('年').parse().ok()?));
        }
    }
    Some((name, out))
}

/// The figures of a consortium by its id, as far as the caller may read them.
pub type Lookup<'l, 'a> = dyn Fn(&str) -> Option<&'l ConsortiumFigures<'a>> + 'l;

/// The figures of every consortium of the site, for a body of any page.
pub fn site_lookup<'l, 'a>(
    figures: &'l Figures<'a>,
) -> impl Fn(&str) -> Option<&'l ConsortiumFigures<'a>> {
    move |id| figures.consortium(id)
}

/// The text reference `call` stands for, in a body of consortium `home` (none for a site page),
/// or what is wrong with it. `figures` finds a consortium's figures; `read` is told the
/// consortium it drew on.
pub fn value(
    call: &str,
    home: Option<&str>,
    figures: &Lookup,
    read: &mut dyn FnMut(&str),
) -> Result<String, Message> {
    let bad = || rule!("figure.figure_ref_form", call);
    let (name, mut args) = parse(call).ok_or_else(bad)?;
    let needs_key = matches!(name, "指标" | "indicator" | "承诺" | "committed");
    let known = needs_key || matches!(name, "成员数" | "members" | "培训人日" | "person_days");
    if !known {
        return Err(rule!("figure.figure_ref_form", call));
    }
    // A site page names the consortium first; a consortium's body may, and means its own.
    let arity = if needs_key { 2 } else { 1 };
    let id = if args.len() == arity + 1 {
        match args.remove(0) {
            Arg::Text(id) => id,
            Arg::Year(_) => return Err(bad()),
        }
    } else {
        home.ok_or_else(|| rule!("figure.figure_ref_needs_consortium", call))?
            .to_string()
    };
    if args.len() != arity {
        return Err(bad());
    }
    read(&id);
    let f = figures(&id).ok_or_else(|| {
        rule!(
            "figure.figure_ref_no_value",
            call,
            why = msg!("figure.no_consortium", id)
        )
    })?;
    let Some(Arg::Year(year)) = args.pop() else {
        return Err(bad());
    };
    let no_value = |why: String| rule!("figure.figure_ref_no_value", call, why);
    match (name, args.pop()) {
        ("指标" | "indicator" | "承诺" | "committed", Some(Arg::Text(key))) => {
            let basis = if matches!(name, "指标" | "indicator") {
                Basis::Actual
            } else {
                Basis::Committed
            };
            indicator(f, &key, year, basis).map_err(no_value)
        }
        ("成员数" | "members", None) => {
            let n = f
                .members_by_year
                .get(&year)
                .ok_or_else(|| no_value(msg!("figure.no_members", year)))?;
            Ok(format::with_unit(
                &format::count(u64::from(n.members())),
                "家",
            ))
        }
        ("培训人日" | "person_days", None) => {
            let t = f.training.year(year);
            if t.sessions == 0 {
                return Err(no_value(msg!("figure.no_training", year)));
            }
            Ok(format::with_unit(&format::person_days(&t), "人日"))
        }
        _ => Err(bad()),
    }
}

fn indicator(f: &ConsortiumFigures, key: &str, year: i32, basis: Basis) -> Result<String, String> {
    let s = f.series(key).ok_or_else(|| msg!("figure.no_series", key))?;
    let p = s.point(year, basis).ok_or_else(|| match basis {
        Basis::Actual => msg!("figure.no_actual", key, year),
        Basis::Committed => msg!("figure.no_committed", key, year),
    })?;
    let text = format::indicator_with_unit(p.value, s.def);
    Ok(match basis {
        Basis::Actual => text,
        Basis::Committed => format!("{text}（承诺值）"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_every_length_and_come_back() {
        for len in 9..40 {
            let p = placeholder(7, len).unwrap();
            assert_eq!(p.len(), len, "{len}");
        }
        let src = "共建专业{{ 指标(\"co_built_majors\", 2024) }}，`{{ 不是引用 }}`。";
        let code_at = src.find('`').unwrap();
        let code = std::iter::once(code_at..src.len()).collect::<Vec<_>>();
        let (out, refs) = take(src, &code);
        assert_eq!(out.len(), src.len());
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].call, "指标(\"co_built_majors\", 2024)");
        assert_eq!(
            &src[refs[0].offset..refs[0].offset + refs[0].len],
            "{{ 指标(\"co_built_majors\", 2024) }}"
        );
        assert_eq!(
            fill(&out, |_| "13个".to_string()),
            "共建专业13个，`{{ 不是引用 }}`。"
        );
        // Braces around anything but a call are text.
        let (same, none) = take("{{ 7*7 }}{% if true %}x{% endif %}", &[]);
        assert!(none.is_empty());
        assert_eq!(same, "{{ 7*7 }}{% if true %}x{% endif %}");
    }

    #[test]
    fn calls_parse_with_chinese_punctuation() {
        assert_eq!(
            parse("指标(“co_built_majors”，2024年)"),
            Some((
                "指标",
                vec![Arg::Text("co_built_majors".into()), Arg::Year(2024)]
            ))
        );
        assert_eq!(
            parse("成员数(2024)"),
            Some(("成员数", vec![Arg::Year(2024)]))
        );
        assert_eq!(parse("成员数 2024"), None);
    }
}
