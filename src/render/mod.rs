//! Rendering: Markdown bodies to HTML (`markdown`) and pages through the theme's Tera templates
//! (`templates`). Takes the validated model; returns HTML strings and render-time warnings.

pub mod chartblock;
pub mod markdown;
pub mod templates;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::source::SourceFile;

/// Rendered Markdown kept by the body's content (and whether raw HTML is allowed), so a preview
/// that rebuilds after an edit renders only the bodies that changed. Entries not used by the last
/// render are dropped.
#[derive(Default)]
pub struct MarkdownCache {
    entries: std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<markdown::Rendered>>>,
}

impl MarkdownCache {
    fn key(body: &str, allow_html: bool) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut h);
        allow_html.hash(&mut h);
        h.finish()
    }

    /// How many bodies are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What rendering the Markdown bodies gave.
pub struct RenderedBodies {
    /// HTML by source path; chart blocks stand as placeholders until `chartblock::fill`.
    pub html: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
    /// The chart blocks of each body, with offsets in the whole file.
    pub charts: BTreeMap<String, Vec<markdown::ChartBlockSource>>,
}

/// Renders every Markdown body of the site in parallel; returns HTML by source path, the warnings
/// (sanitised raw HTML) positioned in their files, and the chart blocks. With a cache, bodies
/// rendered before are taken from it.
pub fn render_markdown(
    site: &Site,
    sources: &BTreeMap<String, SourceFile>,
    cache: Option<&MarkdownCache>,
) -> RenderedBodies {
    let allow_html = site.config.markdown.allow_html;
    let mut bodies: Vec<(&str, &str, usize)> = Vec::new();
    if let Some(p) = &site.index {
        bodies.push((&p.path, &p.body, p.body_offset));
    }
    bodies.extend(
        site.pages
            .iter()
            .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset)),
    );
    for c in &site.consortia {
        bodies.extend(
            c.pages
                .iter()
                .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset)),
        );
        bodies.extend(
            c.programmes
                .iter()
                .map(|p| (p.path.as_str(), p.body.as_str(), p.body_offset)),
        );
        bodies.extend(
            c.announcements
                .iter()
                .map(|a| (a.path.as_str(), a.body.as_str(), a.body_offset)),
        );
    }
    type One = (
        String,
        String,
        Vec<Diagnostic>,
        Vec<markdown::ChartBlockSource>,
        Option<(u64, std::sync::Arc<markdown::Rendered>)>,
    );
    let rendered: Vec<One> = bodies
        .par_iter()
        .map(|(path, body, offset)| {
            // With a cache, a body rendered before is shared with it, not copied.
            let key = cache.map(|_| MarkdownCache::key(body, allow_html));
            let hit = cache
                .zip(key)
                .and_then(|(c, k)| c.entries.lock().ok()?.get(&k).cloned());
            let r = hit.unwrap_or_else(|| std::sync::Arc::new(markdown::render(body, allow_html)));
            let kept = key.map(|k| (k, r.clone()));
            let warnings = match sources.get(*path) {
                Some(file) => r
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
            // The HTML is moved out when nothing else holds it (a build), copied when the cache does.
            let (html, charts) = match std::sync::Arc::try_unwrap(r) {
                Ok(r) => (r.html, r.charts),
                Err(shared) => (shared.html.clone(), shared.charts.clone()),
            };
            let charts = charts
                .into_iter()
                .map(|mut c| {
                    c.offset += offset;
                    c
                })
                .collect();
            (path.to_string(), html, warnings, charts, kept)
        })
        .collect();
    let mut out = RenderedBodies {
        html: BTreeMap::new(),
        warnings: Vec::new(),
        charts: BTreeMap::new(),
    };
    let mut kept = std::collections::HashMap::new();
    for (path, h, w, c, k) in rendered {
        kept.extend(k);
        if !c.is_empty() {
            out.charts.insert(path.clone(), c);
        }
        out.html.insert(path, h);
        out.warnings.extend(w);
    }
    if let Some(cache) = cache {
        if let Ok(mut e) = cache.entries.lock() {
            *e = kept;
        }
    }
    out
}
