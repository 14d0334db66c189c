//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists, heading ids
//! that keep Chinese, and emphasis as Chinese writers type it. CommonMark leaves `**注意：**请按时提交`
//! literal because the closing `**` follows punctuation and precedes a letter; such leftover pairs
//! are turned into `<strong>`/`<em>` after parsing. Raw HTML is sanitised by ammonia unless allowed.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A problem found while rendering, at a byte offset of the Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownWarning {
    pub offset: usize,
    pub message: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub warnings: Vec<MarkdownWarning>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders `source` to HTML. With `allow_html` false, raw HTML is sanitised and every removed
/// element, handler or `javascript:` URL is a warning.
pub fn render(source: &str, allow_html: bool) -> Rendered {
    let mut warnings = Vec::new();
    let mut events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(source, options()).into_offset_iter().collect();
    let mut has_html = false;
    for (ev, range) in &events {
        if let Event::Html(h) | Event::InlineHtml(h) = ev {
            has_html = true;
            if !allow_html {
                for problem in unsafe_html(h) {
                    warnings.push(MarkdownWarning {
                        offset: range.start,
                        message: format!("raw HTML removed: {problem} (set `allow_html = true` under [markdown] in site.toml to keep raw HTML)"),
                    });
                }
            }
        }
    }
    events = fix_cjk_emphasis(events, source);
    let events = add_heading_ids(events);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if has_html && !allow_html {
        html = sanitizer().clean(&html).to_string();
    }
    Rendered { html, warnings }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input"])
            .add_generic_attributes(["id", "class"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// The problems ammonia will remove from a raw HTML fragment, named for the author.
fn unsafe_html(fragment: &str) -> Vec<String> {
    let allowed = sanitizer().clone_tags();
    let mut out = Vec::new();
    let lower = fragment.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(pos) = lower[i..].find('<') {
        let start = i + pos + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name: String = lower[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let tag_end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        if !name.is_empty() && !closing {
            if !allowed.contains(name.as_str()) {
                out.push(format!("<{name}> element"));
            } else {
                let attrs = &lower[name_start + name.len()..tag_end];
                for (j, _) in attrs.match_indices("on") {
                    let before_ok = j == 0
                        || attrs.as_bytes()[j - 1].is_ascii_whitespace()
                        || attrs.as_bytes()[j - 1] == b'/';
                    let handler: String = attrs[j..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect();
                    let after = attrs[j + handler.len()..].trim_start();
                    if before_ok && handler.len() > 2 && after.starts_with('=') {
                        out.push(format!("`{handler}` event handler on <{name}>"));
                    }
                }
                if attrs.contains("javascript:") {
                    out.push(format!("`javascript:` URL on <{name}>"));
                }
            }
        }
        i = tag_end.max(start);
        if i >= lower.len() {
            break;
        }
    }
    out.dedup();
    out
}

fn is_cjk(c: char) -> bool {
    let u = c as u32;
    u >= 0x2E80 || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

/// A piece of text with the emphasis that CommonMark left literal made explicit.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Start(bool),
    End(bool),
}

/// Finds literal `**…**` and `*…*` pairs next to Chinese text and splits them out. `None` when the
/// text has no such pair.
fn split_emphasis(text: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let changed = split_delim(text, "**", true, &mut out);
    let mut final_out = Vec::new();
    let mut any = changed;
    for p in out {
        match p {
            Piece::Text(t) => {
                let mut inner = Vec::new();
                if split_delim(&t, "*", false, &mut inner) {
                    any = true;
                    final_out.extend(inner);
                } else {
                    final_out.push(Piece::Text(t));
                }
            }
            other => final_out.push(other),
        }
    }
    any.then_some(final_out)
}

fn split_delim(text: &str, delim: &str, strong: bool, out: &mut Vec<Piece>) -> bool {
    let mut rest = text;
    let mut changed = false;
    loop {
        let Some(open) = find_delim(rest, delim, 0) else { break };
        let after_open = open + delim.len();
        let Some(close) = find_delim(rest, delim, after_open) else { break };
        let inner = &rest[after_open..close];
        let before = rest[..open].chars().next_back();
        let after = rest[close + delim.len()..].chars().next();
        let first = inner.chars().next();
        let last = inner.chars().next_back();
        let ok = match (first, last) {
            (Some(f), Some(l)) => {
                !f.is_whitespace()
                    && !l.is_whitespace()
                    && [before, first, last, after].into_iter().flatten().any(is_cjk)
            }
            _ => false,
        };
        if !ok {
            out.push(Piece::Text(rest[..after_open].to_string()));
            rest = &rest[after_open..];
            continue;
        }
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_string()));
        }
        out.push(Piece::Start(strong));
        out.push(Piece::Text(inner.to_string()));
        out.push(Piece::End(strong));
        changed = true;
        rest = &rest[close + delim.len()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    changed
}

/// The next delimiter run of exactly `delim` at or after `from` (a `*` inside `**` does not count).
fn find_delim(s: &str, delim: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = from;
    while i < b.len() {
        if b[i] == b'*' {
            let run = b[i..].iter().take_while(|&&c| c == b'*').count();
            if run == delim.len() {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Merges adjacent plain text events (outside code) whose source is the text itself, then applies
/// `split_emphasis`. Text with escapes (`\*`) differs from its source and is left alone.
fn fix_cjk_emphasis<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    source: &str,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    if !source.contains('*') {
        return events;
    }
    let mut out: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::with_capacity(events.len());
    let mut in_code = 0usize;
    let mut pending: Option<(String, std::ops::Range<usize>)> = None;
    let flush = |pending: &mut Option<(String, std::ops::Range<usize>)>,
                 out: &mut Vec<(Event<'a>, std::ops::Range<usize>)>| {
        if let Some((text, range)) = pending.take() {
            match split_emphasis(&text) {
                Some(pieces) => {
                    for p in pieces {
                        let ev = match p {
                            Piece::Text(t) => Event::Text(CowStr::from(t)),
                            Piece::Start(true) => Event::Start(Tag::Strong),
                            Piece::End(true) => Event::End(TagEnd::Strong),
                            Piece::Start(false) => Event::Start(Tag::Emphasis),
                            Piece::End(false) => Event::End(TagEnd::Emphasis),
                        };
                        out.push((ev, range.clone()));
                    }
                }
                None => out.push((Event::Text(CowStr::from(text)), range)),
            }
        }
    };
    for (ev, range) in events {
        match &ev {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            _ => {}
        }
        let plain = match &ev {
            Event::Text(t) if in_code == 0 => source.get(range.clone()) == Some(t.as_ref()),
            _ => false,
        };
        if plain {
            let Event::Text(t) = &ev else { unreachable!("checked above") };
            match &mut pending {
                Some((text, r)) if r.end == range.start => {
                    text.push_str(t);
                    r.end = range.end;
                }
                _ => {
                    flush(&mut pending, &mut out);
                    pending = Some((t.to_string(), range));
                }
            }
        } else {
            flush(&mut pending, &mut out);
            out.push((ev, range));
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// A heading's id: lower-case ASCII letters and digits, Chinese kept, other runs become `-`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn add_heading_ids(events: Vec<(Event<'_>, std::ops::Range<usize>)>) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut open: Option<(usize, String)> = None;
    for (ev, _) in events {
        match &ev {
            Event::Start(Tag::Heading { id: None, .. }) => {
                open = Some((out.len(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((at, text)) = open.take() {
                    let base = heading_id(&text);
                    let n = used.entry(base.clone()).or_insert(0);
                    let id = if *n == 0 { base } else { format!("{base}-{n}") };
                    *n += 1;
                    if let Event::Start(Tag::Heading { level, classes, attrs, .. }) = &out[at] {
                        let (level, classes, attrs): (HeadingLevel, _, _) =
                            (*level, classes.clone(), attrs.clone());
                        out[at] = Event::Start(Tag::Heading {
                            level,
                            id: Some(CowStr::from(id)),
                            classes,
                            attrs,
                        });
                    }
                }
            }
            _ => {}
        }
        out.push(ev);
    }
    out
}

/// Plain text of a Markdown snippet (for summaries and descriptions).
pub fn plain_text(source: &str) -> String {
    let mut s = String::new();
    for ev in Parser::new_ext(source, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(s: &str) -> String {
        render(s, false).html
    }

    #[test]
    fn chinese_emphasis_renders_bold() {
        assert_eq!(html("**注意：**请按时提交"), "<p><strong>注意：</strong>请按时提交</p>\n");
        assert_eq!(html("**“引号”**中文"), "<p><strong>“引号”</strong>中文</p>\n");
        assert_eq!(html("**《产教融合》**文件"), "<p><strong>《产教融合》</strong>文件</p>\n");
        assert_eq!(html("这是**加粗（括号）**的"), "<p>这是<strong>加粗（括号）</strong>的</p>\n");
        assert_eq!(html("这是*强调（括号）*的"), "<p>这是<em>强调（括号）</em>的</p>\n");
    }

    #[test]
    fn ascii_and_escaped_stars_stay_as_commonmark_says() {
        assert_eq!(html("a * b * c"), "<p>a * b * c</p>\n");
        assert_eq!(html(r"\*\*注意：\*\*请"), "<p>**注意：**请</p>\n");
        assert_eq!(html("`**注意：**请`"), "<p><code>**注意：**请</code></p>\n");
        assert_eq!(html("```\n**注意：**请\n```"), "<pre><code>**注意：**请\n</code></pre>\n");
        assert_eq!(html("**ok** then"), "<p><strong>ok</strong> then</p>\n");
    }

    #[test]
    fn headings_get_ids_that_keep_chinese() {
        let h = html("## 一、总体要求\n\n## 一、总体要求\n\n### Work Plan 2024");
        assert!(h.contains(r#"<h2 id="一-总体要求">"#), "{h}");
        assert!(h.contains(r#"<h2 id="一-总体要求-1">"#), "{h}");
        assert!(h.contains(r#"<h3 id="work-plan-2024">"#), "{h}");
    }

    #[test]
    fn tables_footnotes_tasks_and_strikethrough() {
        let h = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] 完成\n\n~~旧~~ 新[^1]\n\n[^1]: 注释\n");
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains(r#"<td style="text-align: right">2</td>"#), "{h}");
        assert!(h.contains("<del>旧</del>"), "{h}");
        assert!(h.contains("checkbox"), "{h}");
        assert!(h.contains("footnote-definition"), "{h}");
    }

    #[test]
    fn raw_html_is_sanitised_with_warnings() {
        let r = render(
            "text <span onclick=\"x()\">a</span>\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\">x</a> <iframe src=\"x\"></iframe>\n\n<svg><circle/></svg>\n",
            false,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("<iframe"), "{}", r.html);
        assert!(!r.html.contains("<svg"), "{}", r.html);
        let msgs: Vec<&str> = r.warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("<script>")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("onclick")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("javascript:")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("<iframe>")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("<svg>")), "{msgs:?}");
        let kept = render("<script>alert(1)</script>\n", true);
        assert!(kept.html.contains("<script>") && kept.warnings.is_empty());
    }
}
