//! The build as a linear recipe: load → validate → figures and cross-checks → render Markdown →
//! plan (routes, typed views) → render pages → write. `prepare` runs the steps that find problems
//! (shared by `check` and `build`); `build` goes on to produce the files. Nothing here prints or
//! exits.

pub mod feeds;
pub mod opendata;
pub mod output;
pub mod pages;
pub mod plan;
pub mod prepare;
pub mod routes;
pub mod sitemap;
pub mod visuals;

pub use prepare::{prepare, prepare_cached, Caches, Html, Prepared};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::content::LoadError;
use crate::diagnostics::{self, Diagnostic};
use crate::figures::Figures;
use crate::model::{Consortium, Site};
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

/// What the last render gave, by output path: a hash of what the output depends on (its template
/// and view, or its bytes, and the theme) and the bytes. With it, a render re-renders only the
/// outputs whose view or template changed, and does not even plan the outputs of a consortium
/// that did not change; without, it renders everything (`build`).
#[derive(Default)]
pub struct RenderCache {
    outputs: HashMap<String, (u64, Arc<Vec<u8>>)>,
    /// The output paths by the consortium they belong to (`""` for the site's own).
    owned: HashMap<String, Arc<Vec<String>>>,
    /// Fragments of the last render by the consortium they belong to, then by the hash of their
    /// template and view.
    fragments: HashMap<String, Arc<HashMap<u64, Arc<str>>>>,
    /// The hash of the templates and the site-wide values every output was made with.
    seed: Option<u64>,
    /// What each consortium's outputs were made from: its model and its rendered Markdown.
    made_from: HashMap<String, (Arc<Consortium>, Arc<prepare::BodiesHtml>)>,
    /// The sitemap's entries, in parts.
    sitemap: Arc<plan::Sitemap>,
    visuals: Option<Arc<visuals::Visuals>>,
}

impl RenderCache {
    /// The bytes of an output of the last render.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.outputs.get(path).map(|(_, b)| b.as_slice())
    }

    /// Every output path of the last render.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.outputs.keys().map(String::as_str)
    }

    /// Takes in what a render made.
    pub fn apply(&mut self, update: Update) {
        for path in &update.removed {
            self.outputs.remove(path);
        }
        for (path, h, bytes) in update.fresh {
            self.outputs.insert(path, (h, bytes));
        }
        self.owned = update.owned;
        self.fragments = update.fragments;
        self.seed = Some(update.seed);
        self.made_from = update.made_from;
        self.sitemap = update.sitemap;
        self.visuals = Some(update.visuals);
    }
}

/// What a render with a cache made, for `RenderCache::apply`.
pub struct Update {
    fresh: Vec<(String, u64, Arc<Vec<u8>>)>,
    /// Outputs of the last render that this one no longer has, sorted.
    pub removed: Vec<String>,
    owned: HashMap<String, Arc<Vec<String>>>,
    fragments: HashMap<String, Arc<HashMap<u64, Arc<str>>>>,
    seed: u64,
    made_from: HashMap<String, (Arc<Consortium>, Arc<prepare::BodiesHtml>)>,
    sitemap: Arc<plan::Sitemap>,
    visuals: Arc<visuals::Visuals>,
}

/// The consortium an output belongs to, from its path (`consortia/<id>/…`, or the same under
/// the large-type folder).
fn owner(path: &str) -> Option<&str> {
    path.strip_prefix(plan::ELDER)
        .unwrap_or(path)
        .strip_prefix("consortia/")?
        .split_once('/')
        .map(|(id, _)| id)
}

/// What the large-type version of a page changes in its context.
struct ElderVersion {
    root: String,
    switch: String,
}

/// Feeds what is written into a hasher, so a view is hashed as it serialises, without a copy.
/// XXH3: every view a rebuild plans is hashed, only to see whether it changed.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hash_of(seed: u64, what: impl FnOnce(&mut HashWriter)) -> u64 {
    let mut w = HashWriter(xxhash_rust::xxh3::Xxh3::with_seed(seed));
    what(&mut w);
    w.0.digest()
}

impl HashWriter {
    /// Feeds a view in as CBOR: self-describing (field names, lengths, types), so two different
    /// views never give the same bytes, and cheaper to make than JSON (no escaping, no decimal
    /// numbers). Should it fail, the hash is made unlike any other, so that what it stands for
    /// counts as changed.
    fn view<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        static FAILED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        if ciborium::into_writer(value, &mut *self).is_err() {
            let n = FAILED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.0.update(b"\0failed\0");
            self.0.update(&n.to_le_bytes());
        }
    }
}

/// Renders the planned outputs in parallel and hands each to `emit` (path relative to the output
/// folder, bytes), with the theme's static files. With `cache`, only outputs whose template, view
/// or bytes changed since the last render are rendered and emitted, and what to update the cache
/// with is returned. Template errors are all collected.
pub fn render_site(
    theme: &mut templates::Theme,
    prepared: &Prepared,
    base_url: Option<&str>,
    cache: Option<&RenderCache>,
    emit: &Emit,
) -> Result<(Counts, Option<Update>), Failure> {
    let site = &prepared.site;
    let base_url = normalise_base_url(base_url.unwrap_or(&site.config.base_url));
    let figures = Figures::of(site);
    // Everything every page shares: the templates and the site-wide data.
    let seed = cache.map(|_| {
        hash_of(theme.hash, |w| {
            std::io::Write::write_all(w, base_url.as_bytes()).ok();
            // A static file may take a page's path: with another one, every page is planned
            // again, so that the clash is seen.
            for path in theme.static_files.keys() {
                std::io::Write::write_all(w, path.as_bytes()).ok();
            }
            w.view(&pages::common::SiteView::of(site));
        })
    });
    // A consortium is kept when its model and Markdown are the very ones its outputs were made
    // from, with the same templates and site-wide data: then none of its outputs can differ.
    let by_id: HashMap<&str, &Arc<Consortium>> =
        site.consortia.iter().map(|c| (c.id.as_str(), c)).collect();
    let kept = |id: &str| -> bool {
        let Some(c) = cache.filter(|c| c.seed.is_some() && c.seed == seed) else {
            return false;
        };
        c.made_from.get(id).is_some_and(|(model, html)| {
            by_id.get(id).is_some_and(|now| Arc::ptr_eq(now, model))
                && prepared
                    .html
                    .of(id)
                    .is_some_and(|now| Arc::ptr_eq(now, html))
        })
    };
    let visuals = Arc::new(visuals::build(
        &figures,
        cache.and_then(|c| c.visuals.as_deref()),
        &kept,
    ));
    let plan = plan::plan(&plan::PlanInput {
        site,
        figures: &figures,
        visuals: &visuals,
        html: &prepared.html,
        base_url: &base_url,
        kept: &kept,
        before: cache.map(|c| c.sitemap.as_ref()),
    });
    // Site-wide data is given to Tera once, not copied into every page's context.
    theme.tera.global_context().insert("site", &plan.site);
    let mut written: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for o in &plan.outputs {
        written.insert(o.route().path());
        if let plan::Output::Page { elder: true, .. } = o {
            written.insert(format!("{}{}", plan::ELDER, o.route().path()));
        }
    }
    for path in theme.static_files.keys() {
        if written.contains(path) {
            return Err(Failure::Content {
                diagnostics: vec![Diagnostic::file_error(
                    &format!("static/{path}"),
                    rule!("output.static_overwrites_page", path),
                )],
                sources: BTreeMap::new(),
            });
        }
    }
    // Fragments first: each rendered once, with its links starting at `ROOT_MARK`.
    // With a cache, a fragment whose template and view did not change is taken from it.
    let made: Vec<(Option<u64>, std::sync::Arc<str>)> = plan
        .fragments
        .par_iter()
        .map(|f| {
            let hash = seed.map(|seed| {
                hash_of(seed, |w| {
                    std::io::Write::write_all(w, f.template.as_bytes()).ok();
                    w.view(&f.view);
                })
            });
            if let Some(html) = hash.and_then(|h| cache?.fragments.get(f.owner)?.get(&h)) {
                return Ok((hash, html.clone()));
            }
            let mut ctx = tera::Context::new();
            ctx.insert("a", &f.view);
            ctx.insert("root", plan::ROOT_MARK);
            let html = theme
                .tera
                .render(f.template, &ctx)
                .map_err(|e| content_failure(&e, &theme.paths))?;
            // Tera renders into a roomy buffer; tens of thousands are kept, so keep only the text.
            Ok((hash, std::sync::Arc::from(html.as_str())))
        })
        .collect::<Result<_, Failure>>()?;
    let fragments: Vec<std::sync::Arc<str>> = made.iter().map(|(_, f)| f.clone()).collect();
    // The navigation of each consortium and section, rendered once for all its pages.
    let mut sections: BTreeMap<(Option<&str>, &str), &plan::PageContext> = BTreeMap::new();
    for o in &plan.outputs {
        if let plan::Output::Page { context, .. } = o {
            sections
                .entry((context.c.as_ref().map(|c| c.id), context.section))
                .or_insert(context);
        }
    }
    let navs: BTreeMap<(Option<&str>, &str), [String; 2]> = sections
        .into_par_iter()
        .map(|(key, page)| {
            let mut ctx = tera::Context::new();
            ctx.insert("c", &page.c);
            ctx.insert("section", page.section);
            ctx.insert("root", plan::ROOT_MARK);
            let render = |template: &str| {
                theme
                    .tera
                    .render(template, &ctx)
                    .map_err(|e| content_failure(&e, &theme.paths))
            };
            Ok((key, [render("nav.html")?, render("nav-section.html")?]))
        })
        .collect::<Result<_, Failure>>()?;
    let unchanged = |path: &str, hash: Option<u64>| -> bool {
        match (cache, hash) {
            (Some(c), Some(h)) => c.outputs.get(path).is_some_and(|(old, _)| *old == h),
            _ => false,
        }
    };
    // Each output, and the large-type version of each page that has one: the version's path,
    // and the values that differ from the page's own context.
    // How many were rendered, and (with a cache) what to keep of them.
    type Done = Result<(usize, Vec<(String, u64, std::sync::Arc<Vec<u8>>)>), Failure>;
    let results: Vec<Done> = plan
        .outputs
        .par_iter()
        .map(|o| {
            let (mut count, mut done) = (0, Vec::new());
            let versions: Vec<(String, Option<ElderVersion>)> = match o {
                plan::Output::Page {
                    route, elder: true, ..
                } => {
                    let path = route.path();
                    let elder_path = format!("{}{path}", plan::ELDER);
                    let assets = routes::root_prefix(&elder_path);
                    let version = ElderVersion {
                        root: format!("{assets}{}", plan::ELDER),
                        switch: format!("{assets}{}", route.url()),
                    };
                    vec![(path, None), (elder_path, Some(version))]
                }
                _ => vec![(o.route().path(), None)],
            };
            for (path, version) in versions {
                if let plan::Output::File {
                    bytes: plan::Bytes::Unchanged,
                    ..
                } = o
                {
                    continue;
                }
                let salt = u64::from(version.is_some());
                let hash = seed.map(|seed| match o {
                    plan::Output::Page {
                        template,
                        context,
                        items,
                        ..
                    } => hash_of(seed ^ salt, |w| {
                        std::io::Write::write_all(w, template.as_bytes()).ok();
                        w.view(context);
                        for &i in items {
                            std::io::Write::write_all(w, fragments[i].as_bytes()).ok();
                        }
                    }),
                    plan::Output::File { bytes, .. } => hash_of(seed, |w| {
                        std::io::Write::write_all(w, &bytes.get()).ok();
                    }),
                });
                if unchanged(&path, hash) {
                    continue;
                }
                let bytes = match o {
                    plan::Output::Page {
                        template,
                        context,
                        items,
                        ..
                    } => {
                        let mut ctx = tera::Context::from_serialize(context)
                            .map_err(|e| content_failure(&e, &theme.paths))?;
                        if let Some(v) = &version {
                            ctx.insert("root", &v.root);
                            ctx.insert("assets", &routes::root_prefix(&path));
                            ctx.insert("elder", &true);
                            ctx.insert("switch", &v.switch);
                        }
                        let root = version.as_ref().map_or(&context.root, |v| &v.root);
                        if let Some([nav, section]) =
                            navs.get(&(context.c.as_ref().map(|c| c.id), context.section))
                        {
                            ctx.insert("nav", &nav.replace(plan::ROOT_MARK, root));
                            ctx.insert("nav_section", &section.replace(plan::ROOT_MARK, root));
                        }
                        if !items.is_empty() {
                            let html: Vec<String> = items
                                .iter()
                                .map(|&i| fragments[i].replace(plan::ROOT_MARK, root))
                                .collect();
                            ctx.insert("items", &html);
                        }
                        // Straight into bytes: no second pass to check the UTF-8 Tera wrote.
                        let mut bytes = Vec::with_capacity(16 * 1024);
                        theme
                            .tera
                            .render_to(template, &ctx, &mut bytes)
                            .map_err(|e| content_failure(&e, &theme.paths))?;
                        std::borrow::Cow::Owned(bytes)
                    }
                    plan::Output::File { bytes, .. } => bytes.get(),
                };
                emit(&path, &bytes)?;
                count += 1;
                if let Some(h) = hash {
                    done.push((path, h, std::sync::Arc::new(bytes.into_owned())));
                }
            }
            Ok((count, done))
        })
        .collect();
    let mut errors = Vec::new();
    let mut fresh = Vec::new();
    let mut rendered = 0;
    for r in results {
        match r {
            Ok((count, entries)) => {
                rendered += count;
                fresh.extend(entries);
            }
            Err(Failure::Content { diagnostics, .. }) => errors.extend(diagnostics),
            Err(io) => return Err(io),
        }
    }
    if !errors.is_empty() {
        diagnostics::sort(&mut errors);
        return Err(Failure::Content {
            diagnostics: errors,
            sources: theme.sources.clone(),
        });
    }
    for (path, bytes) in &theme.static_files {
        let hash = seed.map(|s| hash_of(s, |w| std::io::Write::write_all(w, bytes).unwrap_or(())));
        if !unchanged(path, hash) {
            emit(path, bytes)?;
            rendered += usize::from(cache.is_some());
            if let Some(h) = hash {
                fresh.push((path.clone(), h, std::sync::Arc::new(bytes.clone())));
            }
        }
    }
    let update = match (cache, seed) {
        (Some(c), Some(seed)) => {
            // What this render made, by the consortium it belongs to; the others keep theirs.
            let mut owned: HashMap<String, Vec<String>> = HashMap::new();
            for path in written.iter().chain(theme.static_files.keys()) {
                owned
                    .entry(owner(path).unwrap_or_default().to_string())
                    .or_default()
                    .push(path.clone());
            }
            let mut removed: Vec<String> = c
                .owned
                .iter()
                .filter(|(id, _)| !kept(id))
                .flat_map(|(_, paths)| paths.iter())
                .filter(|path| !written.contains(*path) && !theme.static_files.contains_key(*path))
                .cloned()
                .collect();
            removed.sort();
            let mut owned: HashMap<String, Arc<Vec<String>>> =
                owned.into_iter().map(|(id, p)| (id, Arc::new(p))).collect();
            for (id, paths) in &c.owned {
                if kept(id) {
                    owned.insert(id.clone(), Arc::clone(paths));
                }
            }
            let mut fragments: HashMap<String, HashMap<u64, Arc<str>>> = HashMap::new();
            for ((h, html), f) in made.into_iter().zip(&plan.fragments) {
                if let Some(h) = h {
                    fragments
                        .entry(f.owner.to_string())
                        .or_default()
                        .insert(h, html);
                }
            }
            let mut fragments: HashMap<String, Arc<HashMap<u64, Arc<str>>>> = fragments
                .into_iter()
                .map(|(id, f)| (id, Arc::new(f)))
                .collect();
            for (id, f) in &c.fragments {
                if kept(id) {
                    fragments.insert(id.clone(), Arc::clone(f));
                }
            }
            let made_from = site
                .consortia
                .iter()
                .filter_map(|m| {
                    let html = prepared.html.of(&m.id)?;
                    Some((m.id.clone(), (Arc::clone(m), Arc::clone(html))))
                })
                .collect();
            Some(Update {
                fresh,
                removed,
                owned,
                fragments,
                seed,
                made_from,
                sitemap: Arc::new(plan.sitemap),
                visuals: Arc::clone(&visuals),
            })
        }
        _ => None,
    };
    Ok((
        Counts {
            pages: written.iter().filter(|p| p.ends_with(".html")).count(),
            files: written.len() + theme.static_files.len(),
            rendered,
        },
        update,
    ))
}

fn content_failure(e: &tera::Error, paths: &BTreeMap<String, String>) -> Failure {
    Failure::Content {
        diagnostics: templates::template_diagnostics(e, paths),
        sources: BTreeMap::new(),
    }
}
