//! Rendering the plan with the theme's Tera templates: the fragments many pages share (rendered
//! once), each consortium's navigation, every page and its large-type version, the files of bytes
//! and the static files, in parallel, each handed to `emit`. Template errors are all collected.
//! With the live preview's cache (`cache.rs`), only outputs whose template, view or bytes changed
//! since the last render are rendered, and a consortium whose model did not change is not even
//! planned.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::{self, Diagnostic};
use crate::figures::Figures;
use crate::model::Consortium;
use crate::render::templates::Theme;
use crate::site::cache::{self, hash_of, Fresh, HashWriter, MadeFragment, RenderCache, Update};
use crate::site::pages::common::SiteView;
use crate::site::plan::{self, Output, PageContext, Plan};
use crate::site::{content_failure, normalise_base_url, prepare, routes, visuals};
use crate::site::{Counts, Emit, Failure, Prepared};

/// The navigation of each consortium (or of the site) and section, rendered: the menu and the
/// section's sub-menu.
type Navs<'a> = BTreeMap<(Option<&'a str>, &'static str), [String; 2]>;

/// What one output's rendering made: how many files, and (with a cache) each one's path, hash
/// and bytes.
type Done = Result<(usize, Vec<Fresh>), Failure>;

/// What the large-type version of a page changes in its context.
struct ElderVersion {
    root: String,
    switch: String,
}

/// Renders the planned outputs in parallel and hands each to `emit` (path relative to the output
/// folder, bytes), with the theme's static files. With `cache`, only outputs whose template, view
/// or bytes changed since the last render are rendered and emitted, and what to update the cache
/// with is returned. Template errors are all collected.
pub fn render_site(
    theme: &mut Theme,
    prepared: &Prepared,
    base_url: Option<&str>,
    cache: Option<&RenderCache>,
    emit: &Emit,
) -> Result<(Counts, Option<Update>), Failure> {
    let site = &prepared.site;
    let base_url = normalise_base_url(base_url.unwrap_or(&site.config.base_url));
    let figures = Figures::of(site);
    let seed = cache.map(|_| seed_of(theme, &base_url, site));
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
    // What the last render made each consortium from: which announcements are unchanged is
    // found once, for the search index and the planner.
    let formers: prepare::Formers<'_> = cache
        .map(|c| {
            c.made_from
                .iter()
                .map(|(id, (model, html))| (id.as_str(), prepare::Former::of(model, html)))
                .collect()
        })
        .unwrap_or_default();
    let (visuals, search) = rayon::join(
        || {
            Arc::new(visuals::build(
                &figures,
                cache.and_then(|c| c.visuals.as_deref()),
                &kept,
            ))
        },
        || search_index(prepared, cache, &kept, &formers, emit),
    );
    let search = search?;
    let plan = plan::plan(&plan::PlanInput {
        site,
        figures: &figures,
        visuals: &visuals,
        html: &prepared.html,
        search: search.as_deref(),
        base_url: &base_url,
        kept: &kept,
        before: cache.map(|c| c.sitemap.as_ref()),
        previous: seed.map(|s| (s, cache.filter(|c| c.seed == Some(s)))),
        formers: &formers,
    });
    // Site-wide data is given to Tera once, not copied into every page's context.
    theme.tera.global_context().insert("site", &plan.site);
    let written = written_paths(&plan, theme)?;
    let theme = &*theme;
    let made = render_fragments(theme, &plan, seed, cache)?;
    let fragments: Vec<Arc<str>> = made.iter().map(|(_, f)| f.clone()).collect();
    let navs = render_navs(theme, &plan)?;
    let unchanged = |path: &str, hash: Option<u64>| -> bool {
        match (cache, hash) {
            (Some(c), Some(h)) => c.outputs.get(path).is_some_and(|(old, _)| *old == h),
            _ => false,
        }
    };
    let dictionary = cache.map(|c| match &c.dictionary {
        Some(d) => Arc::clone(d),
        None => dictionary(theme, &plan, &fragments, &navs),
    });
    let keep = seed.zip(dictionary.as_deref());
    let results: Vec<Done> = plan
        .outputs
        .par_iter()
        .map(|o| render_output(theme, o, keep, &fragments, &navs, &unchanged, emit))
        .collect();
    let (mut rendered, mut fresh) = gather(results, theme)?;
    for (path, bytes) in &theme.static_files {
        let hash = seed.map(|s| hash_of(s, |w| std::io::Write::write_all(w, bytes).unwrap_or(())));
        if !unchanged(path, hash) {
            emit(path, bytes)?;
            rendered += usize::from(cache.is_some());
            if let (Some(h), Some((_, d))) = (hash, keep) {
                fresh.push((path.clone(), h, cache::kept(bytes, d)));
            }
        }
    }
    let counts = Counts {
        pages: written.iter().filter(|p| p.ends_with(".html")).count(),
        files: written.len() + theme.static_files.len(),
        rendered,
    };
    let update = match (cache, seed, dictionary) {
        (Some(c), Some(seed), Some(dictionary)) => {
            let made = cache::Made {
                written: &written,
                static_files: &theme.static_files,
                fresh,
                fragments: made,
                plan_fragments: &plan.fragments,
                sitemap: plan.sitemap,
                visuals: Arc::clone(&visuals),
                search: search.clone(),
                contexts: plan.contexts,
                list_keys: plan.list_keys,
                dictionary,
            };
            Some(cache::update(c, seed, prepared, made, &kept))
        }
        _ => None,
    };
    Ok((counts, update))
}

/// The search index, when the site has one. A build writes it at once and keeps only its filters
/// and file names, so that its bytes are not held while every page is planned and rendered.
fn search_index<'c>(
    prepared: &Prepared,
    cache: Option<&'c RenderCache>,
    kept: &(dyn Fn(&str) -> bool + Sync),
    formers: &prepare::Formers<'c>,
    emit: &Emit,
) -> Result<Option<Arc<super::search::SearchIndex>>, Failure> {
    let site = &prepared.site;
    if !site.config.search.enabled {
        return Ok(None);
    }
    let index = super::search::build(
        site,
        &prepared.html,
        cache.and_then(|c| c.search.as_deref()),
        kept,
        cache.is_some(),
        formers,
    );
    Ok(Some(Arc::new(match cache {
        Some(_) => index,
        None => {
            let files: Vec<(&str, &[u8])> = index.files().collect();
            files.par_iter().try_for_each(|(name, bytes)| {
                emit(&routes::Route::SearchFile(name).path(), bytes)
            })?;
            drop(files);
            index.into_written()
        }
    })))
}

/// Everything every page shares: the templates, the base URL, the static files' paths and the
/// site-wide data. A static file may take a page's path: with another one, every page is planned
/// again, so that the clash is seen.
fn seed_of(theme: &Theme, base_url: &str, site: &crate::model::Site) -> u64 {
    hash_of(theme.hash, |w| {
        std::io::Write::write_all(w, base_url.as_bytes()).ok();
        for path in theme.static_files.keys() {
            std::io::Write::write_all(w, path.as_bytes()).ok();
        }
        w.view(&SiteView::of(site));
    })
}

/// Every path the plan writes (a page's large-type version too); a static file may take none.
/// A hash set: thousands of paths that share long prefixes, made and looked up on every rebuild
/// of a preview.
fn written_paths(plan: &Plan, theme: &Theme) -> Result<cache::Written, Failure> {
    let mut written = cache::Written::default();
    written.reserve(plan.outputs.len());
    for o in &plan.outputs {
        written.insert(o.route().path());
        if let Output::Page { elder: true, .. } | Output::Kept { elder: true, .. } = o {
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
    Ok(written)
}

/// Each fragment rendered once, with its links starting at `ROOT_MARK`, and (with a cache) its
/// hash; one whose template and view did not change is taken from the cache.
fn render_fragments(
    theme: &Theme,
    plan: &Plan,
    seed: Option<u64>,
    cache: Option<&RenderCache>,
) -> Result<Vec<MadeFragment>, Failure> {
    plan.fragments
        .par_iter()
        .map(|f| {
            let view = match &f.made {
                plan::Made::Kept { hash, html } => return Ok((Some(*hash), html.clone())),
                plan::Made::View(view) => view,
            };
            let hash = seed.map(|seed| {
                hash_of(seed, |w| {
                    std::io::Write::write_all(w, f.template.as_bytes()).ok();
                    w.view(view);
                })
            });
            if let Some(html) = hash.and_then(|h| cache?.fragments.get(f.owner)?.get(&h)) {
                return Ok((hash, html.clone()));
            }
            let mut ctx = tera::Context::new();
            ctx.insert("a", view);
            ctx.insert("root", plan::ROOT_MARK);
            let html = theme
                .tera
                .render(f.template, &ctx)
                .map_err(|e| content_failure(&e, &theme.paths))?;
            // Tera renders into a roomy buffer; tens of thousands are kept, so keep only the text.
            Ok((hash, Arc::from(html.as_str())))
        })
        .collect()
}

/// The navigation of each consortium and section, rendered once for all its pages.
fn render_navs<'a>(theme: &Theme, plan: &'a Plan) -> Result<Navs<'a>, Failure> {
    let mut sections: BTreeMap<(Option<&str>, &str), &PageContext> = BTreeMap::new();
    for o in &plan.outputs {
        if let Output::Page { context, .. } = o {
            sections
                .entry((context.c.as_ref().map(|c| c.id), context.section))
                .or_insert(context);
        }
    }
    sections
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
        .collect()
}

/// The paths an output is written to: its own, and its large-type version's with the values that
/// differ from the page's own context.
fn versions(o: &Output) -> Vec<(String, Option<ElderVersion>)> {
    match o {
        Output::Page {
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
    }
}

/// What an output depends on, hashed: its template, context and fragments, or its bytes. Its
/// large-type version depends on the same (its differences follow from the page's path), so its
/// hash is made from this one (`render_output`) without hashing the view twice.
fn output_hash(seed: u64, o: &Output, fragments: &[Arc<str>]) -> u64 {
    match o {
        Output::Page {
            template,
            context,
            items,
            ..
        } => hash_of(seed, |w: &mut HashWriter| {
            std::io::Write::write_all(w, template.as_bytes()).ok();
            w.page(context);
            for &i in items {
                std::io::Write::write_all(w, fragments[i].as_bytes()).ok();
            }
        }),
        Output::File { bytes, .. } => hash_of(seed, |w| {
            std::io::Write::write_all(w, &bytes.get()).ok();
        }),
        // Never rendered (`render_output`), so never hashed: the last render's hash stays.
        Output::Kept { .. } => 0,
    }
}

/// Renders one output in each of its versions (unless unchanged) and emits it. With a cache,
/// `keep` gives the seed its hash is made with and the dictionary it is kept against.
fn render_output(
    theme: &Theme,
    o: &Output,
    keep: Option<(u64, &[u8])>,
    fragments: &[Arc<str>],
    navs: &Navs,
    unchanged: &(dyn Fn(&str, Option<u64>) -> bool + Sync),
    emit: &Emit,
) -> Done {
    let (mut count, mut done) = (0, Vec::new());
    if let Output::File {
        bytes: plan::Bytes::Unchanged | plan::Bytes::Written,
        ..
    }
    | Output::Kept { .. } = o
    {
        return Ok((count, done));
    }
    let hash = keep.map(|(seed, _)| output_hash(seed, o, fragments));
    for (path, version) in versions(o) {
        // The large-type version's hash is a bijection of the page's: it changes exactly when
        // the page's does.
        let hash = hash.map(|h| match version {
            Some(_) => h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15,
            None => h,
        });
        if unchanged(&path, hash) {
            continue;
        }
        let bytes = match o {
            Output::Page {
                template,
                context,
                items,
                ..
            } => {
                let page = PageParts {
                    context,
                    items,
                    version: version.as_ref(),
                    path: &path,
                };
                std::borrow::Cow::Owned(render_page(theme, template, page, fragments, navs)?)
            }
            Output::File { bytes, .. } => bytes.get(),
            Output::Kept { .. } => continue,
        };
        emit(&path, &bytes)?;
        count += 1;
        if let (Some(h), Some((_, d))) = (hash, keep) {
            done.push((path, h, cache::kept(&bytes, d)));
        }
    }
    Ok((count, done))
}

/// The dictionary a preview keeps its outputs against: the first page of each template,
/// rendered, the template with the most pages last (`cache::dictionary`).
fn dictionary(theme: &Theme, plan: &Plan, fragments: &[Arc<str>], navs: &Navs) -> Arc<[u8]> {
    let mut first: HashMap<&str, (usize, &Output)> = HashMap::new();
    for o in &plan.outputs {
        if let Output::Page { template, .. } = o {
            first.entry(template).or_insert((0, o)).0 += 1;
        }
    }
    let mut pages: Vec<(usize, &str, &Output)> =
        first.into_iter().map(|(t, (n, o))| (n, t, o)).collect();
    pages.sort_unstable_by_key(|(n, t, _)| (*n, *t));
    let samples = Mutex::new(Vec::new());
    for (_, _, o) in pages {
        // A page that fails here fails in the render itself, where it is reported.
        let _ = render_output(
            theme,
            o,
            None,
            fragments,
            navs,
            &|_, _| false,
            &|_, bytes| {
                samples
                    .lock()
                    .expect("no thread panics while holding this lock")
                    .extend_from_slice(bytes);
                Ok(())
            },
        );
    }
    let samples = samples
        .into_inner()
        .expect("no thread panics while holding this lock");
    cache::dictionary(&samples)
}

/// A page in one version: its context, the fragments it shows, and the large-type version's
/// values when it is that version.
struct PageParts<'r> {
    context: &'r PageContext<'r>,
    items: &'r [usize],
    version: Option<&'r ElderVersion>,
    path: &'r str,
}

/// A page rendered with its template, its navigation and fragments put in with its `root`.
fn render_page(
    theme: &Theme,
    template: &str,
    page: PageParts,
    fragments: &[Arc<str>],
    navs: &Navs,
) -> Result<Vec<u8>, Failure> {
    let context = page.context;
    let failure = |e: tera::Error| content_failure(&e, &theme.paths);
    let mut ctx = tera::Context::from_serialize(context).map_err(failure)?;
    // The view's own fields, at the top level as the template sees them.
    ctx.extend(context.view.context().map_err(failure)?);
    if let Some(v) = page.version {
        ctx.insert("root", &v.root);
        ctx.insert("assets", &routes::root_prefix(page.path));
        ctx.insert("elder", &true);
        ctx.insert("switch", &v.switch);
    }
    let root = page.version.map_or(&context.root, |v| &v.root);
    if let Some([nav, section]) = navs.get(&(context.c.as_ref().map(|c| c.id), context.section)) {
        ctx.insert("nav", &nav.replace(plan::ROOT_MARK, root));
        ctx.insert("nav_section", &section.replace(plan::ROOT_MARK, root));
    }
    if !page.items.is_empty() {
        let html: Vec<String> = page
            .items
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
    Ok(bytes)
}

/// The outputs' results gathered: how many were rendered and what to keep, or every template
/// error at once.
fn gather(results: Vec<Done>, theme: &Theme) -> Done {
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
    Ok((rendered, fresh))
}
