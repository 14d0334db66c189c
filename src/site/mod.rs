//! The build as a linear recipe: load → validate → figures and cross-checks → render Markdown →
//! plan (routes, typed views) → render pages → write. `prepare` runs the steps that find problems
//! (shared by `check` and `build`); `build` goes on to produce the files. Nothing here prints or
//! exits.

pub mod output;
pub mod plan;
pub mod routes;
pub mod views;
pub mod visuals;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::content::{self, LoadError};
use crate::crosscheck;
use crate::diagnostics::{self, Diagnostic};
use crate::figures::Figures;
use crate::model::Site;
use crate::render::{self, templates};
use crate::source::SourceFile;
use crate::validate;

/// Why a command could not finish.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content (or templates): exit code 1.
    Content {
        diagnostics: Vec<Diagnostic>,
        sources: BTreeMap<String, SourceFile>,
    },
    /// Usage or I/O problems: exit code 2.
    Io(String),
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Io(e.to_string())
    }
}

impl From<output::OutputError> for Failure {
    fn from(e: output::OutputError) -> Self {
        Failure::Io(e.to_string())
    }
}

/// A site that passed every check, with its Markdown rendered.
pub struct Prepared {
    pub site: Site,
    pub html: BTreeMap<String, String>,
    /// Warnings only: any error makes `prepare` fail.
    pub warnings: Vec<Diagnostic>,
    pub sources: BTreeMap<String, SourceFile>,
}

/// Loads and checks the site at `root`. Drafts are dropped unless `drafts` is set.
pub fn prepare(root: &Path, drafts: bool) -> Result<Prepared, Failure> {
    let loaded = content::load_site(root)?;
    let mut diags = loaded.diagnostics;
    let sources = loaded.sources;
    let Some(config) = loaded.config else {
        // Without site.toml the rules that need it are skipped; the others still run, so every
        // problem of the other files shows in the same run.
        diags.extend(validate::without_config(&loaded.consortia, &sources));
        diagnostics::sort(&mut diags);
        return Err(Failure::Content {
            diagnostics: diags,
            sources,
        });
    };
    let (catalogue, cat_diags) = validate::catalogue(&config, &sources);
    diags.extend(cat_diags);
    diags.extend(validate::validate(
        &config,
        &catalogue,
        &loaded.pages,
        &loaded.consortia,
        &sources,
    ));
    let mut site = Site {
        config,
        catalogue,
        index: loaded.index,
        pages: loaded.pages,
        consortia: loaded.consortia,
    };
    // Figures are computed here for the cross-checks and the charts in Markdown; the build
    // computes them again from the final model (cheap, and nothing borrows across the two).
    diags.extend(crosscheck::check(&site, &Figures::of(&site), &sources));
    if !drafts {
        for c in &mut site.consortia {
            c.announcements.retain(|a| !a.meta.draft);
        }
    }
    let bodies = render::render_markdown(&site, &sources);
    diags.extend(bodies.warnings);
    let mut html = bodies.html;
    diags.extend(render::chartblock::fill(
        &site,
        &Figures::of(&site),
        &mut html,
        &bodies.charts,
        &sources,
    ));
    diagnostics::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Content {
            diagnostics: diags,
            sources,
        });
    }
    Ok(Prepared {
        site,
        html,
        warnings: diags,
        sources,
    })
}

/// What `chanjiao check` runs: every content rule (drafts included) and the theme's templates.
pub fn check(root: &Path) -> Result<Prepared, Failure> {
    let prepared = prepare(root, true)?;
    load_theme(root, &prepared.site)?;
    Ok(prepared)
}

fn load_theme(root: &Path, site: &Site) -> Result<templates::Theme, Failure> {
    templates::load_theme(root, &site.config.theme).map_err(|e| match e {
        templates::ThemeError::Io { .. } => Failure::Io(e.to_string()),
        templates::ThemeError::Templates(diagnostics, sources) => Failure::Content {
            diagnostics,
            sources,
        },
    })
}

pub struct BuildOptions {
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// What a successful build did.
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub seconds: f64,
    pub warnings: Vec<Diagnostic>,
    pub sources: BTreeMap<String, SourceFile>,
}

/// Builds the site at `root` into `opts.output`. On any failure the output folder is untouched.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    // The output folder is checked first, so a refused folder costs no work; the staging folder
    // is removed again if anything below fails.
    let staging = output::Staging::create(root, &opts.output)?;
    let prepared = prepare(root, opts.drafts)?;
    let counts = render_site(root, &prepared, opts.base_url.as_deref(), &|path, bytes| {
        staging
            .write(path, bytes)
            .map_err(|e| Failure::Io(e.to_string()))
    })?;
    staging.commit()?;
    Ok(BuildReport {
        pages: counts.pages,
        files: counts.files,
        seconds: started.elapsed().as_secs_f64(),
        warnings: prepared.warnings,
        sources: prepared.sources,
    })
}

/// `base_url` with exactly one trailing slash.
pub fn normalise_base_url(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}

/// Receives each rendered file: its path under the output folder and its bytes.
pub type Emit<'a> = dyn Fn(&str, &[u8]) -> Result<(), Failure> + Sync + 'a;

/// How many files a render produced.
pub struct Counts {
    pub pages: usize,
    pub files: usize,
}

/// Renders every planned page in parallel and hands each file, with the theme's static files, to
/// `emit` (path relative to the output folder, bytes). Template errors are all collected.
pub fn render_site(
    root: &Path,
    prepared: &Prepared,
    base_url: Option<&str>,
    emit: &Emit,
) -> Result<Counts, Failure> {
    let site = &prepared.site;
    let mut theme = load_theme(root, site)?;
    let base_url = normalise_base_url(base_url.unwrap_or(&site.config.base_url));
    let figures = Figures::of(site);
    let visuals = visuals::build(&figures);
    let plan = plan::plan(&plan::PlanInput {
        site,
        figures: &figures,
        visuals: &visuals,
        html: &prepared.html,
        base_url: &base_url,
    });
    // Site-wide data is given to Tera once, not copied into every page's context.
    theme.tera.global_context().insert("site", &plan.site);
    let mut written: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for o in &plan.outputs {
        written.insert(o.route().path());
    }
    for path in theme.static_files.keys() {
        if written.contains(path) {
            return Err(Failure::Content {
                diagnostics: vec![Diagnostic::file_error(
                    &format!("static/{path}"),
                    format!("static file would overwrite the generated page {path}"),
                )],
                sources: BTreeMap::new(),
            });
        }
    }
    let results: Vec<Result<(), Failure>> = plan
        .outputs
        .par_iter()
        .map(|o| match o {
            plan::Output::Page {
                route,
                template,
                context,
            } => {
                let ctx = tera::Context::from_serialize(context)
                    .map_err(|e| content_failure(&e, &theme.paths))?;
                let html = theme
                    .tera
                    .render(template, &ctx)
                    .map_err(|e| content_failure(&e, &theme.paths))?;
                emit(&route.path(), html.as_bytes())
            }
            plan::Output::File { route, bytes } => emit(&route.path(), bytes),
        })
        .collect();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(Failure::Content { diagnostics, .. }) => errors.extend(diagnostics),
            Err(io) => return Err(io),
        }
    }
    if !errors.is_empty() {
        diagnostics::sort(&mut errors);
        return Err(Failure::Content {
            diagnostics: errors,
            sources: theme.sources,
        });
    }
    for (path, bytes) in &theme.static_files {
        emit(path, bytes)?;
    }
    Ok(Counts {
        pages: written.iter().filter(|p| p.ends_with(".html")).count(),
        files: plan.outputs.len() + theme.static_files.len(),
    })
}

fn content_failure(e: &tera::Error, paths: &BTreeMap<String, String>) -> Failure {
    Failure::Content {
        diagnostics: templates::template_diagnostics(e, paths),
        sources: BTreeMap::new(),
    }
}
