//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists, heading ids
//! that keep Chinese, and emphasis as Chinese writers type it. Plain CommonMark leaves
//! `**注意：**请按时提交` literal because the closing `**` follows punctuation and precedes a letter;
//! the CJK-friendly amendment (`ENABLE_CJK_FRIENDLY_EMPHASIS`) makes it bold. Line breaks between
//! Chinese characters are dropped. Raw HTML is sanitised by ammonia unless allowed.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A problem found while rendering, at a byte offset of the Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownWarning {
    pub offset: usize,
    pub message: crate::diagnostics::Message,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub warnings: Vec<MarkdownWarning>,
    /// The ```` ```chart ```` blocks, in order; each stands in `html` as `chart_placeholder(i)`
    /// until the charts are drawn from the figures.
    pub charts: Vec<ChartBlockSource>,
    /// The figure references (`{{ 指标("co_built_majors", 2024) }}`), in order; each stands in
    /// `html` as a placeholder until the figures exist (`figrefs::fill`).
    pub refs: Vec<super::figrefs::FigureRef>,
}

/// The TOML inside a ```` ```chart ```` block and where it starts in the Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartBlockSource {
    pub toml: String,
    pub offset: usize,
}

/// What stands in the HTML for chart block `i` (private-use characters survive sanitising).
pub fn chart_placeholder(i: usize) -> String {
    format!("<div class=\"chart-block\">\u{E000}{i}\u{E000}</div>")
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_CJK_FRIENDLY_EMPHASIS
}

/// Renders `source` to HTML. With `allow_html` false, raw HTML is sanitised and every removed
/// element, handler or `javascript:` URL is a warning.
pub fn render(source: &str, allow_html: bool) -> Rendered {
    let (replaced, refs) = if source.contains("{{") {
        super::figrefs::take(source, &code_ranges(source))
    } else {
        (String::new(), Vec::new())
    };
    let source = if refs.is_empty() { source } else { &replaced };
    let mut warnings = Vec::new();
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(source, options())
        .into_offset_iter()
        .collect();
    let mut has_html = false;
    for (ev, range) in &events {
        if let Event::Html(h) | Event::InlineHtml(h) = ev {
            has_html = true;
            if !allow_html {
                for problem in unsafe_html(h) {
                    warnings.push(MarkdownWarning {
                        offset: range.start,
                        message: rule!("markdown.html_removed", problem),
                    });
                }
            }
        }
    }
    let events = drop_unsafe_links(events, &mut warnings);
    let events = super::depth::flatten_deep(
        super::depth::raw_html_in_depth(events, &mut warnings),
        &mut warnings,
    );
    let (events, charts) = take_chart_blocks(events, source);
    let events = hold_numbers_in_cells(join_cjk_lines(name_task_boxes(add_heading_ids(events))));
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if has_html && !allow_html {
        html = sanitizer().clean(&html).to_string();
    }
    if html.contains("<table>") {
        // A table wider than a phone scrolls in a frame of its own (which a keyboard can reach),
        // so that no cell has to break a number.
        html = html
            .replace("<table>", "<div class=\"scroll\" tabindex=\"0\"><table>")
            .replace("</table>", "</table></div>");
    }
    // Every page's HTML is kept until the site is written: keep no spare capacity.
    html.shrink_to_fit();
    Rendered {
        html,
        warnings,
        charts,
        refs,
    }
}

/// In table cells, where columns are narrow on a phone, a number stays on one line with its unit
/// and a date with its parts: a word joiner (U+2060) between a digit and the Han character or
/// `%` after it (`13⁠个`, `2024⁠年`), and between 年 or 月 and the digit after it.
fn hold_numbers_in_cells(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Table(_))))
    {
        return events;
    }
    let mut in_cell = false;
    events
        .into_iter()
        .map(|e| match e {
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                e
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                e
            }
            Event::Text(t) if in_cell => Event::Text(hold_numbers(&t).into()),
            e => e,
        })
        .collect()
}

/// Units of more than one Han character, held whole after a number.
const UNITS: [&str; 7] = ["个百分点", "万元", "亿元", "人日", "人次", "人月", "平方米"];

/// `text` with a word joiner wherever a line must not break inside a number with its unit or
/// inside a date (see `hold_numbers_in_cells`).
pub fn hold_numbers(text: &str) -> String {
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    // Han characters still to be held to the one before (the rest of a unit).
    let mut hold = 0;
    for (i, c) in text.char_indices() {
        out.push(c);
        let Some(next) = text[i + c.len_utf8()..].chars().next() else {
            break;
        };
        if hold > 0 {
            out.push(crate::format::WORD_JOINER);
            hold -= 1;
            continue;
        }
        let after = &text[i + c.len_utf8()..];
        let unit = c.is_ascii_digit() && (han(next) || next == '%');
        let date = matches!(c, '年' | '月')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_ascii_digit();
        if unit || date {
            out.push(crate::format::WORD_JOINER);
        }
        if c.is_ascii_digit() {
            if let Some(u) = UNITS.iter().find(|u| after.starts_with(**u)) {
                hold = u.chars().count() - 1;
            }
        }
        prev = Some(c);
    }
    out
}

/// The byte ranges of code spans and code blocks, where `{{ … }}` is text as written.
fn code_ranges(source: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (ev, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match ev {
            Event::Code(_) => out.push(range),
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    out.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    out
}

/// Publishes as text every link and image whose address the allow-list refuses
/// (`javascript:`, `data:` …), with a warning at it: its text (an image's alt text) stays, the
/// link goes. This is what keeps a body without raw HTML safe; raw HTML is sanitised besides.
fn drop_unsafe_links<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    warnings: &mut Vec<MarkdownWarning>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let refused = |ev: &Event| match ev {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            super::links::refused_scheme(dest_url)
        }
        _ => None,
    };
    if !events.iter().any(|(e, _)| refused(e).is_some()) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // Whether each open link or image (they nest: an image in a link) is being dropped.
    let mut dropping: Vec<bool> = Vec::new();
    for (ev, range) in events {
        match &ev {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let scheme = refused(&ev);
                dropping.push(scheme.is_some());
                if let Some(scheme) = scheme {
                    warnings.push(MarkdownWarning {
                        offset: range.start,
                        message: rule!("markdown.unsafe_url", scheme),
                    });
                    continue;
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) if dropping.pop() == Some(true) => continue,
            _ => {}
        }
        out.push((ev, range));
    }
    out
}

/// Whether a line break between `c` and another such character is no space in the text: Chinese
/// characters, kana, CJK punctuation and full-width forms. Hangul is left out: Korean separates
/// words with spaces.
fn joins_without_space(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F      // CJK symbols and punctuation
        | 0x3040..=0x30FF    // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // CJK extensions B and beyond
}

/// Drops a soft line break between two Chinese characters (or Chinese punctuation): a browser
/// shows it as a space, which Chinese text does not have. A break next to Latin text is kept.
fn join_cjk_lines(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events.iter().any(|e| matches!(e, Event::SoftBreak)) {
        return events;
    }
    let inline_tag = |e: &Event| {
        matches!(
            e,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
                | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
        )
    };
    let last_char = |e: &Event| match e {
        Event::Text(t) => t.chars().next_back(),
        _ => None,
    };
    let first_char = |e: &Event| match e {
        Event::Text(t) => t.chars().next(),
        _ => None,
    };
    let drop: Vec<bool> = (0..events.len())
        .map(|i| {
            if !matches!(events[i], Event::SoftBreak) {
                return false;
            }
            let before = events[..i]
                .iter()
                .rev()
                .find(|e| !inline_tag(e))
                .and_then(last_char);
            let after = events[i + 1..]
                .iter()
                .find(|e| !inline_tag(e))
                .and_then(first_char);
            matches!((before, after), (Some(a), Some(b)) if joins_without_space(a) && joins_without_space(b))
        })
        .collect();
    events
        .into_iter()
        .zip(drop)
        .filter_map(|(e, d)| (!d).then_some(e))
        .collect()
}

/// Gives each task-list checkbox an accessible name (已完成 / 未完成): a bare checkbox has none.
fn name_task_boxes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    events
        .into_iter()
        .map(|ev| match ev {
            Event::TaskListMarker(done) => Event::Html(CowStr::from(if done {
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"已完成\"> "
            } else {
                "<input type=\"checkbox\" disabled=\"\" aria-label=\"未完成\"> "
            })),
            other => other,
        })
        .collect()
}

/// Replaces each fenced block whose info string is `chart` with a placeholder, keeping its text.
fn take_chart_blocks<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    text: &str,
) -> (
    Vec<(Event<'a>, std::ops::Range<usize>)>,
    Vec<ChartBlockSource>,
) {
    use pulldown_cmark::CodeBlockKind;
    let is_chart = |ev: &Event| {
        matches!(ev, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
            if info.split_whitespace().next() == Some("chart"))
    };
    if !events.iter().any(|(ev, _)| is_chart(ev)) {
        return (events, Vec::new());
    }
    let mut out = Vec::with_capacity(events.len());
    let mut charts = Vec::new();
    let mut open: Option<(ChartBlockSource, std::ops::Range<usize>)> = None;
    for (ev, range) in events {
        match (&mut open, &ev) {
            (None, _) if is_chart(&ev) => {
                // The block's content starts on the line after the opening fence.
                let body = text[range.clone()]
                    .find('\n')
                    .map_or(range.end, |i| range.start + i + 1);
                open = Some((
                    ChartBlockSource {
                        toml: String::new(),
                        offset: body,
                    },
                    range,
                ));
            }
            (Some((block, _)), Event::Text(t)) => block.toml.push_str(t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let (block, range) = open.take().expect("a block is open");
                out.push((
                    Event::Html(CowStr::from(chart_placeholder(charts.len()))),
                    range,
                ));
                charts.push(block);
            }
            (Some(_), _) => {}
            (None, _) => out.push((ev, range)),
        }
    }
    (out, charts)
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input"])
            .add_generic_attributes(["id", "class"])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .link_rel(Some("noopener noreferrer"))
            .url_schemes(HashSet::from(super::links::ALLOWED_SCHEMES));
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
                out.push(msg!("markdown.element", name));
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
                        out.push(msg!("markdown.handler", handler, name));
                    }
                }
                for value in url_attributes(attrs) {
                    if let Some(scheme) = super::links::refused_scheme(&value) {
                        out.push(msg!("markdown.scheme_in_html", scheme, name));
                    }
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

/// The values of the `href`, `src` and similar attributes in a tag's (lower-cased) attributes.
fn url_attributes(attrs: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
    ] {
        for (j, _) in attrs.match_indices(name) {
            let before_ok = j == 0 || !attrs.as_bytes()[j - 1].is_ascii_alphanumeric();
            let rest = attrs[j + name.len()..].trim_start();
            let Some(value) = rest.strip_prefix('=').map(str::trim_start) else {
                continue;
            };
            if !before_ok {
                continue;
            }
            let value = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                _ => value
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push(html_escape::decode_html_entities(value).into_owned());
        }
    }
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

/// The ids that the default theme's templates use (a test keeps this list whole), and the ones
/// chanjiao's own scripts look for.
pub const PAGE_IDS: [&str; 35] = [
    "main",
    "pending",
    "operation",
    "materials",
    "summaries",
    "submission",
    "attachments",
    "by-year",
    "train",
    "secretariat",
    "rules",
    "progs",
    "policies",
    "phases",
    "opendata",
    "members",
    "list-title",
    "ledger",
    "leads",
    "latest",
    "form-title",
    "form-notes",
    "figures",
    "search",
    "top",
    "content",
    "site-q",
    "search-form",
    "q",
    "filter-c",
    "filter-t",
    "filter-k",
    "filter-y",
    "search-status",
    "search-results",
];

/// Whether `id` has the shape of an id the templates number (`y2024`, `ind-3`, `body-2` …).
fn numbered_page_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    id.strip_prefix('y').is_some_and(digits)
        || ["ind-", "cg-", "body-", "form", "part"]
            .iter()
            .any(|p| id.strip_prefix(p).is_some_and(digits))
        || id.starts_with("g-")
        || id.starts_with("h-")
}

fn add_heading_ids(events: Vec<(Event<'_>, std::ops::Range<usize>)>) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    // The ids the theme's pages give their own parts: a heading `## main` must not take one.
    let mut used: BTreeMap<String, usize> = PAGE_IDS.iter().map(|id| (id.to_string(), 1)).collect();
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
                    let n = used
                        .entry(base.clone())
                        .or_insert(usize::from(numbered_page_id(&base)));
                    let id = if *n == 0 { base } else { format!("{base}-{n}") };
                    *n += 1;
                    if let Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }) = &out[at]
                    {
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

    #[test]
    fn numbers_and_dates_in_cells_are_held_whole() {
        let j = '\u{2060}';
        assert_eq!(
            hold_numbers("379.71万元，+0.4个百分点"),
            format!("379.71{j}万{j}元，+0.4{j}个{j}百{j}分{j}点")
        );
        assert_eq!(
            hold_numbers("2025年1月13日前"),
            format!("2025{j}年{j}1{j}月{j}13{j}日前")
        );
        assert_eq!(hold_numbers("96.5%"), format!("96.5{j}%"));
        assert_eq!(hold_numbers("共建专业"), "共建专业");
        let h = render(
            "| 指标 | 2024年 |\n|---|---|\n| 经费 | 12万元 |\n\n正文2024年",
            false,
        )
        .html;
        assert!(h.contains(&format!("12{j}万{j}元")), "{h}");
        assert!(
            h.contains("正文2024年"),
            "text outside a table is left as written: {h}"
        );
        assert!(
            h.contains("<div class=\"scroll\" tabindex=\"0\"><table>"),
            "{h}"
        );
    }

    use super::*;

    fn html(s: &str) -> String {
        render(s, false).html
    }

    #[test]
    fn chinese_emphasis_renders_bold() {
        assert_eq!(
            html("**注意：**请按时提交"),
            "<p><strong>注意：</strong>请按时提交</p>\n"
        );
        assert_eq!(
            html("**“引号”**中文"),
            "<p><strong>“引号”</strong>中文</p>\n"
        );
        assert_eq!(
            html("**《产教融合》**文件"),
            "<p><strong>《产教融合》</strong>文件</p>\n"
        );
        assert_eq!(
            html("这是**加粗（括号）**的"),
            "<p>这是<strong>加粗（括号）</strong>的</p>\n"
        );
        assert_eq!(
            html("这是*强调（括号）*的"),
            "<p>这是<em>强调（括号）</em>的</p>\n"
        );
        assert_eq!(
            html("**注意：**请按时提交。**“引号”**中文，**《产教融合》**文件。"),
            "<p><strong>注意：</strong>请按时提交。<strong>“引号”</strong>中文，<strong>《产教融合》</strong>文件。</p>\n"
        );
        assert_eq!(
            html("- **注意：**请\n- 第二项"),
            "<ul>\n<li><strong>注意：</strong>请</li>\n<li>第二项</li>\n</ul>\n"
        );
        assert_eq!(
            html("[**注意：](x)**请"),
            "<p><a href=\"x\">**注意：</a>**请</p>\n"
        );
    }

    #[test]
    fn ascii_and_escaped_stars_stay_as_commonmark_says() {
        assert_eq!(html("a * b * c"), "<p>a * b * c</p>\n");
        assert_eq!(html(r"\*\*注意：\*\*请"), "<p>**注意：**请</p>\n");
        assert_eq!(html("`**注意：**请`"), "<p><code>**注意：**请</code></p>\n");
        assert_eq!(
            html("```\n**注意：**请\n```"),
            "<pre><code>**注意：**请\n</code></pre>\n"
        );
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
    fn heading_ids_never_take_an_id_of_the_page() {
        let h = html("## main\n\n## Attachments\n\n## 附件");
        assert!(h.contains(r#"<h2 id="main-1">"#), "{h}");
        assert!(h.contains(r#"<h2 id="attachments-1">"#), "{h}");
        let h = html("## y2024\n\n## Year 2024");
        assert!(h.contains(r#"<h2 id="y2024-1">"#), "{h}");
        assert!(h.contains(r#"<h2 id="year-2024">"#), "{h}");
        let templates =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let re = |t: &str| -> Vec<String> {
            t.split("id=\"")
                .skip(1)
                .filter_map(|r| r.split('"').next())
                .filter(|id| !id.contains('{'))
                .map(str::to_string)
                .collect()
        };
        for entry in std::fs::read_dir(templates).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for id in re(&text) {
                assert!(
                    PAGE_IDS.contains(&id.as_str()) || numbered_page_id(&id),
                    "template id `{id}` is neither in PAGE_IDS nor of a numbered shape"
                );
            }
        }
    }

    #[test]
    fn tables_footnotes_tasks_and_strikethrough() {
        let h =
            html("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] 完成\n\n~~旧~~ 新[^1]\n\n[^1]: 注释\n");
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
        let msgs: Vec<&str> = r.warnings.iter().map(|w| w.message.text.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("<script>")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("onclick")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("javascript:")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("<iframe>")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("<svg>")), "{msgs:?}");
        let kept = render("<script>alert(1)</script>\n", true);
        assert!(kept.html.contains("<script>") && kept.warnings.is_empty());
    }
    #[test]
    fn script_links_in_a_body_without_raw_html_are_text() {
        let r = render(
            "[点我](javascript:alert(1)) ![图](data:image/png;base64,AA==) <vbscript:x> \
             [大写](JavaScript:alert(2)) [ok](https://example.org/) [相对](../a.pdf) \
             [邮件](mailto:a@example.org) [![内](javascript:x)](https://example.org/)\n",
            false,
        );
        for bad in [
            "href=\"javascript",
            "src=\"data:",
            "href=\"vbscript",
            "href=\"JavaScript",
            "src=\"javascript",
        ] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        for good in [
            "href=\"https://example.org/\"",
            "href=\"../a.pdf\"",
            "href=\"mailto:a@example.org\"",
        ] {
            assert!(r.html.contains(good), "{good} missing in {}", r.html);
        }
        assert!(
            r.html.contains("点我") && r.html.contains("图") && r.html.contains("内"),
            "{}",
            r.html
        );
        let codes: Vec<&str> = r.warnings.iter().map(|w| w.message.key).collect();
        assert_eq!(codes, vec!["markdown.unsafe_url"; 5]);
        // Trusted raw HTML keeps its own links; Markdown links are still filtered.
        let trusted = render("[x](javascript:alert(1))\n", true);
        assert!(!trusted.html.contains("href"), "{}", trusted.html);
    }

    #[test]
    fn a_line_break_between_chinese_characters_is_no_space() {
        let h = |s: &str| render(s, false).html;
        assert_eq!(h("上午好。\n这是通知。\n"), "<p>上午好。这是通知。</p>\n");
        assert_eq!(h("第一行\n第二行\n"), "<p>第一行第二行</p>\n");
        // Next to Latin text the break stays (a space in the browser).
        assert_eq!(h("中文\nEnglish\n"), "<p>中文\nEnglish</p>\n");
        assert_eq!(h("English\n中文\n"), "<p>English\n中文</p>\n");
        // Through emphasis, in lists and in quotes.
        assert_eq!(h("**重点**\n工作\n"), "<p><strong>重点</strong>工作</p>\n");
        assert_eq!(
            h("- 第一项内容\n  继续说明\n"),
            "<ul>\n<li>第一项内容继续说明</li>\n</ul>\n"
        );
        assert_eq!(
            h("> 引用第一行\n> 引用第二行\n"),
            "<blockquote>\n<p>引用第一行引用第二行</p>\n</blockquote>\n"
        );
        // Korean keeps its spaces; a hard break is kept.
        assert_eq!(h("한국어\n문장\n"), "<p>한국어\n문장</p>\n");
        assert_eq!(h("上午好。  \n这是\n"), "<p>上午好。<br />\n这是</p>\n");
    }
}
