//! The build as a linear recipe: load → rules → figures and cross-checks → render Markdown →
//! plan (`plan`, with the page families of `pages` and the addresses of `routes`) → render pages
//! (`render`, with the preview's `cache`) → write (`output`). `prepare` runs the steps that find
//! problems (shared by `check` and `build`); `build` goes on to produce the files. Nothing here
//! prints or exits.

pub mod cache;
pub mod feeds;
pub mod opendata;
pub mod output;
pub mod pages;
pub mod plan;
pub mod prepare;
pub mod render;
pub mod routes;
pub mod search;
pub mod sitemap;
pub mod visuals;

pub use cache::{RenderCache, Update};
pub use prepare::{prepare, prepare_cached, Caches, Html, Prepared};
pub use render::render_site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::LoadError;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::templates;
use crate::source::SourceFile;

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

/// What `chanjiao check` runs: every content rule (drafts included) and the theme's templates.
pub fn check(root: &Path) -> Result<Prepared, Failure> {
    let prepared = prepare(root, true)?;
    load_theme(root, &prepared.site)?;
    Ok(prepared)
}

/// The theme the site names, loaded from `root`.
pub fn load_theme(root: &Path, site: &Site) -> Result<templates::Theme, Failure> {
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
    // On a thread of the worker pool, so that each parallel step starts there rather than being
    // handed over from this thread and back.
    rayon::scope(|_| build_in_pool(root, opts))
}

fn build_in_pool(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    // The output folder is checked first, so a refused folder costs no work; the staging folder
    // is removed again if anything below fails.
    let staging = output::Staging::create(root, &opts.output)?;
    let prepared = prepare(root, opts.drafts)?;
    let mut theme = load_theme(root, &prepared.site)?;
    let (counts, _) = render_site(
        &mut theme,
        &prepared,
        opts.base_url.as_deref(),
        None,
        &|path, bytes| {
            staging
                .write(path, bytes)
                .map_err(|e| Failure::Io(e.to_string()))
        },
    )?;
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
    /// How many outputs were rendered (the others were unchanged since the last render).
    pub rendered: usize,
}

pub(crate) fn content_failure(e: &tera::Error, paths: &BTreeMap<String, String>) -> Failure {
    Failure::Content {
        diagnostics: templates::template_diagnostics(e, paths),
        sources: BTreeMap::new(),
    }
}
