//! Markdown and the theme: every Markdown body of the site rendered to HTML once (`markdown`,
//! here: `render_bodies`, which reuses the bodies of the last render whose text did not change),
//! chart blocks in Markdown drawn into them (`chartblock`), and the theme's Tera templates and
//! static files loaded (`templates`). Pages are rendered with the templates in `site::render`.

pub mod chartblock;
mod depth;
pub mod figrefs;
pub mod links;
pub mod markdown;
pub mod templates;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use std::sync::Arc;

use crate::model::{Consortium, Site};
use crate::source::SourceFile;

/// One rendered Markdown body: its HTML (chart blocks stand as placeholders until
/// `chartblock::fill`), shared rather than copied, with what it was rendered from.
#[derive(Clone)]
pub struct MarkdownBody {
    /// The body's content and whether raw HTML was allowed, hashed: an unchanged body is not
    /// rendered again.
    key: u64,
    pub rendered: Arc<markdown::Rendered>,
    /// Where the body starts in its file.
    pub offset: usize,
}

impl MarkdownBody {
    fn key(body: &str, allow_html: bool) -> u64 {
        xxhash_rust::xxh3::xxh3_64_with_seed(body.as_bytes(), u64::from(allow_html))
    }

    /// The chart blocks, with offsets in the whole file.
    pub fn charts(&self) -> impl Iterator<Item = markdown::ChartBlockSource> + '_ {
        self.rendered
            .charts
            .iter()
            .map(|c| markdown::ChartBlockSource {
                toml: c.toml.clone(),
                offset: c.offset + self.offset,
            })
    }
}

/// What rendering Markdown bodies gave.
#[derive(Default)]
pub struct RenderedBodies {
    /// By source path: a hash map, looked up once or twice per announcement on every save of a
    /// preview (`chartblock::fill`, whose reports follow the paths' order, sorts what it walks).
    pub bodies: crate::fasthash::Map<String, MarkdownBody>,
    /// Sanitised raw HTML, positioned in the files.
    pub warnings: Vec<Diagnostic>,
}

impl RenderedBodies {
    /// Whether any body holds a chart block or a figure reference: what the figures fill in.
    pub fn has_charts(&self) -> bool {
        self.bodies
            .values()
            .any(|b| !b.rendered.charts.is_empty() || !b.rendered.refs.is_empty())
    }
}

/// Renders Markdown bodies (path, text, where the text starts in its file) in parallel. A body of
/// `previous` with the same content is shared, not rendered again.
pub fn render_bodies(
    bodies: &[(&str, &str, usize)],
    allow_html: bool,
    sources: &BTreeMap<String, SourceFile>,
    previous: Option<&RenderedBodies>,
) -> RenderedBodies {
    let known: std::collections::HashMap<u64, &Arc<markdown::Rendered>> = previous
        .map(|p| p.bodies.values().map(|b| (b.key, &b.rendered)).collect())
        .unwrap_or_default();
    let rendered: Vec<(String, MarkdownBody, Vec<Diagnostic>)> = bodies
        .par_iter()
        .map(|&(path, body, offset)| {
            let key = MarkdownBody::key(body, allow_html);
            let rendered = match known.get(&key) {
                Some(r) => Arc::clone(r),
                None => Arc::new(markdown::render(body, allow_html)),
            };
            let warnings = match sources.get(path) {
                Some(file) => rendered
                    .warnings
                    .iter()
                    .map(|w| {
                        Diagnostic::warning(
                            file,
                            offset + w.offset..offset + w.offset,
                            w.message.clone(),
                        )
                    })
                    .collect(),
                None => Vec::new(),
            };
            let body = MarkdownBody {
                key,
                rendered,
                offset,
            };
            (path.to_string(), body, warnings)
        })
        .collect();
    let mut out = RenderedBodies::default();
    for (path, body, warnings) in rendered {
        out.bodies.insert(path, body);
        out.warnings.extend(warnings);
    }
    out
}

/// The Markdown bodies of a consortium: its free pages, programmes and announcements.
pub fn consortium_bodies(c: &Consortium) -> Vec<(&str, &str, usize)> {
    let pages = c
        .pages
        .iter()
        .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset));
    let programmes = c
        .programmes
        .iter()
        .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset));
    let announcements = c
        .announcements
        .iter()
        .map(|a| (a.path.as_str(), a.body.as_str(), a.body_offset));
    let attachments = c
        .announcements
        .iter()
        .flat_map(|a| &a.attachments)
        .filter_map(|f| f.text.as_ref())
        .map(|t| (t.path.as_str(), t.body.as_str(), t.body_offset));
    pages
        .chain(programmes)
        .chain(announcements)
        .chain(attachments)
        .collect()
}

/// Frees the Markdown of the bodies `consortium_bodies` gives, once they are rendered: past the
/// rules and rendering, only their HTML is read, and a site of thousands of announcements would
/// otherwise hold both until it is written.
pub fn release_bodies(c: &mut Consortium) {
    let bodies = c
        .pages
        .iter_mut()
        .map(|p| &mut p.body)
        .chain(c.programmes.iter_mut().map(|p| &mut p.body))
        .chain(c.announcements.iter_mut().flat_map(|a| {
            std::iter::once(&mut a.body).chain(
                a.attachments
                    .iter_mut()
                    .filter_map(|f| f.text.as_mut())
                    .map(|t| &mut t.body),
            )
        }));
    for body in bodies {
        *body = crate::source::Text::default();
    }
}

/// The Markdown bodies of the site's own pages: `index.md` and the free pages.
pub fn site_bodies(site: &Site) -> Vec<(&str, &str, usize)> {
    site.index
        .iter()
        .chain(&site.pages)
        .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset))
        .collect()
}
