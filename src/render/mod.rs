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

/// Renders every Markdown body of the site in parallel. Returns HTML by source path and the
/// warnings (sanitised raw HTML), positioned in their files.
/// What rendering the Markdown bodies gave.
pub struct RenderedBodies {
    /// HTML by source path; chart blocks stand as placeholders until `chartblock::fill`.
    pub html: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
    /// The chart blocks of each body, with offsets in the whole file.
    pub charts: BTreeMap<String, Vec<markdown::ChartBlockSource>>,
}

pub fn render_markdown(site: &Site, sources: &BTreeMap<String, SourceFile>) -> RenderedBodies {
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
    );
    let rendered: Vec<One> = bodies
        .par_iter()
        .map(|(path, body, offset)| {
            let r = markdown::render(body, allow_html);
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
            let charts = r
                .charts
                .into_iter()
                .map(|mut c| {
                    c.offset += offset;
                    c
                })
                .collect();
            (path.to_string(), r.html, warnings, charts)
        })
        .collect();
    let mut out = RenderedBodies {
        html: BTreeMap::new(),
        warnings: Vec::new(),
        charts: BTreeMap::new(),
    };
    for (path, h, w, c) in rendered {
        if !c.is_empty() {
            out.charts.insert(path.clone(), c);
        }
        out.html.insert(path, h);
        out.warnings.extend(w);
    }
    out
}
