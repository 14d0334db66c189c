//! How deep a Markdown body may nest: lists, quotes and emphasis beyond [`MAX_DEPTH`] levels
//! are published flat and raw HTML that would leave more than that many elements open is
//! published as text, each with one `nesting-too-deep` warning, so that no step (the sanitiser,
//! the browser) pays for a depth in its square.

use pulldown_cmark::Event;

use super::markdown::MarkdownWarning;

/// How deep lists, quotes, emphasis and the like may nest. No real text comes near it; a body
/// nested deeper (`- - - …` ten thousand times) costs every HTML reader time in the square of
/// its depth, the sanitiser and the browser included.
pub const MAX_DEPTH: usize = 64;

/// How many elements a piece of raw HTML leaves open (less those it closes): void elements,
/// self-closing tags, comments and declarations open none.
pub(super) fn opened(html: &str) -> isize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let mut n = 0isize;
    for (i, _) in html.match_indices('<') {
        let rest = &html[i + 1..];
        if rest.starts_with('/') {
            n -= 1;
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        let tag_end = rest.find('>').map_or(rest, |e| &rest[..e]);
        if !tag_end.ends_with('/') {
            n += 1;
        }
    }
    n
}

/// Raw HTML that would leave more than [`MAX_DEPTH`] elements open is published as text from
/// there on, with one warning: every HTML reader (the sanitiser, the browser) pays for deep
/// nesting in the square of its depth.
pub(super) fn raw_html_in_depth<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    warnings: &mut Vec<MarkdownWarning>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut depth = 0isize;
    let mut warned = false;
    events
        .into_iter()
        .map(|(ev, range)| match ev {
            Event::Html(h) | Event::InlineHtml(h)
                if warned || depth + opened(&h) > MAX_DEPTH as isize =>
            {
                if !warned {
                    warned = true;
                    warnings.push(MarkdownWarning {
                        offset: range.start,
                        message: rule!("markdown.nesting_too_deep", max = MAX_DEPTH),
                    });
                }
                (Event::Text(h), range)
            }
            Event::Html(h) => {
                depth = (depth + opened(&h)).max(0);
                (Event::Html(h), range)
            }
            Event::InlineHtml(h) => {
                depth = (depth + opened(&h)).max(0);
                (Event::InlineHtml(h), range)
            }
            ev => (ev, range),
        })
        .collect()
}

/// The events with every element deeper than [`MAX_DEPTH`] left out, its text kept at the
/// deepest level, and one warning where the first one starts.
pub(super) fn flatten_deep<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    warnings: &mut Vec<MarkdownWarning>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut depth = 0usize;
    let too_deep = events.iter().any(|(e, _)| {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth > MAX_DEPTH
    });
    if !too_deep {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // Whether each open element is kept, and how many are.
    let mut open: Vec<bool> = Vec::new();
    let mut kept = 0usize;
    let mut warned = false;
    for (ev, range) in events {
        match &ev {
            Event::Start(_) => {
                let keep = kept < MAX_DEPTH;
                open.push(keep);
                if !keep {
                    if !warned {
                        warned = true;
                        warnings.push(MarkdownWarning {
                            offset: range.start,
                            message: rule!("markdown.nesting_too_deep", max = MAX_DEPTH),
                        });
                    }
                    continue;
                }
                kept += 1;
            }
            Event::End(_) => {
                if open.pop() == Some(false) {
                    continue;
                }
                kept = kept.saturating_sub(1);
            }
            _ => {}
        }
        out.push((ev, range));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::render;

    #[test]
    fn nesting_deeper_than_the_cap_is_published_flat_with_one_warning() {
        let r = render(&format!("{}<span>最深处</span>\n", "- ".repeat(500)), false);
        assert_eq!(r.html.matches("<ul>").count(), MAX_DEPTH / 2);
        assert_eq!(
            r.html.matches("<ul>").count(),
            r.html.matches("</ul>").count()
        );
        assert!(r.html.contains("最深处"));
        assert_eq!(r.warnings.len(), 1);
        // Raw HTML nested deeper is published as text from the piece that crosses the cap (here
        // the whole block, one piece).
        let r = render(&format!("{}x\n", "<div>".repeat(200)), true);
        assert!(r.html.matches("<div>").count() <= MAX_DEPTH);
        assert!(r.html.contains("&lt;div&gt;"));
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(
            opened("<p class=\"a\"><br><img src=x/><!-- c --></p><span/>"),
            0
        );
        // Nesting within the cap is left alone.
        let r = render("- a\n  - b\n    - c\n", false);
        assert_eq!(r.html.matches("<ul>").count(), 3);
        assert!(r.warnings.is_empty());
    }
}
