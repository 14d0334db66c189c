//! The steps that find problems: load, rules, cross-checks, Markdown and the charts inside it.
//! A consortium is read, checked and rendered on its own, as one unit: no rule of a consortium
//! reads another, and a chart block that draws another consortium's figures records whose. So a
//! preview that keeps the units (`Caches`) redoes after a save only the units whose folder changed
//! (all of them when the site's own files changed), and draws again only the chart blocks whose
//! consortium changed. `build` and `check` take the same path with nothing kept.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::content::{self, LoadError};
use crate::diagnostics::{self, Diagnostic};
use crate::figures::{ConsortiumFigures, Figures};
use crate::model::framework::Frameworks;
use crate::model::{Announcement, Consortium, Site};
use crate::render::{self, chartblock, RenderedBodies};
use crate::rules;
use crate::rules::crosscheck;
use crate::source::SourceFile;

use super::Failure;

/// A site that passed every check, with its Markdown rendered.
pub struct Prepared {
    pub site: Site,
    pub html: Html,
    /// Warnings only: any error makes `prepare` fail.
    pub warnings: Vec<Diagnostic>,
    /// The files the warnings point at (and only those), to print them with their lines.
    pub sources: BTreeMap<String, SourceFile>,
}

/// The HTML of every Markdown body of the site, by source path: the site's own pages, and each
/// consortium's bodies apart.
#[derive(Default)]
pub struct Html {
    site: Arc<BodiesHtml>,
    consortia: BTreeMap<String, Arc<BodiesHtml>>,
}

impl Html {
    /// The HTML of the body of this source file.
    pub fn get(&self, path: &str) -> Option<&str> {
        match path
            .strip_prefix("content/consortia/")
            .and_then(|p| p.split_once('/'))
        {
            Some((id, _)) => self.consortia.get(id)?.get(path),
            None => self.site.get(path),
        }
    }

    /// The HTML of one consortium's bodies: the same `Arc` from one preview rebuild to the next
    /// as long as none of them changed.
    pub fn of(&self, id: &str) -> Option<&Arc<BodiesHtml>> {
        self.consortia.get(id)
    }
}

/// A consortium's model and rendered Markdown as an earlier render saw them: where each of its
/// announcements was then, and whether it is what it was.
pub struct Former<'a> {
    model: &'a Consortium,
    html: &'a BodiesHtml,
    /// The former announcements' places by slug, made when one is not where it was.
    by_slug: std::sync::OnceLock<std::collections::HashMap<&'a str, usize>>,
    /// `unchanged` of every announcement now, made once for all who ask (`all`).
    all: std::sync::OnceLock<Vec<Option<usize>>>,
}

/// The former consortia of the last render, by id: made once a render, so that the search index
/// and the planner share what they find.
pub type Formers<'a> = HashMap<&'a str, Former<'a>>;

impl<'a> Former<'a> {
    pub fn of(model: &'a Consortium, html: &'a BodiesHtml) -> Former<'a> {
        Former {
            model,
            html,
            by_slug: std::sync::OnceLock::new(),
            all: std::sync::OnceLock::new(),
        }
    }

    /// Whether `model` is the very one this holds.
    pub fn is_of(&self, model: &Consortium) -> bool {
        std::ptr::eq(self.model, model)
    }

    /// `unchanged` of each announcement of `now`, the consortium as it is, with `html` the HTML
    /// now; made on every core the first time, then shared. A `Former` lives for one render,
    /// so that every caller asks about the same `now` and `html`.
    pub fn all(&self, now: &Consortium, html: &Html) -> &[Option<usize>] {
        self.all.get_or_init(|| {
            now.announcements
                .par_iter()
                .enumerate()
                .map(|(i, a)| self.unchanged(i, a, html))
                .collect()
        })
    }

    /// Where the announcement with this slug was; `at` is where it is now, and most likely was.
    fn place(&self, at: usize, slug: &str) -> Option<usize> {
        let all = &self.model.announcements;
        match all.get(at) {
            Some(a) if a.slug == slug => Some(at),
            _ => self
                .by_slug
                .get_or_init(|| {
                    all.iter()
                        .enumerate()
                        .map(|(i, a)| (a.slug.as_str(), i))
                        .collect()
                })
                .get(slug)
                .copied(),
        }
    }

    /// Where announcement `a`, now at `at`, was, when it is what it was: equal to its former
    /// self, with the same HTML for its body and its text attachments (`html` gives the HTML
    /// now).
    fn unchanged(&self, at: usize, a: &Announcement, html: &Html) -> Option<usize> {
        let was = self.place(at, &a.slug)?;
        let same_html = |path: &str| {
            let (now, then) = (html.get(path), self.html.get(path));
            now.map(str::as_ptr) == then.map(str::as_ptr) && now.map(str::len) == then.map(str::len)
                || now == then
        };
        let same = self.model.announcements[was] == *a
            && same_html(&a.path)
            && a.attachments
                .iter()
                .filter_map(|f| f.text.as_ref())
                .all(|t| same_html(&t.path));
        same.then_some(was)
    }
}

/// Rendered bodies with their chart blocks drawn.
#[derive(Default)]
pub struct BodiesHtml {
    bodies: Arc<RenderedBodies>,
    /// The bodies with chart blocks, drawn, by path.
    filled: BTreeMap<String, String>,
}

impl BodiesHtml {
    /// The HTML of the body of this source file.
    pub fn get(&self, path: &str) -> Option<&str> {
        match self.filled.get(path) {
            Some(h) => Some(h),
            None => self
                .bodies
                .bodies
                .get(path)
                .map(|b| b.rendered.html.as_str()),
        }
    }
}

/// What a preview keeps between rebuilds: the bytes of files, and each consortium's unit.
#[derive(Default)]
pub struct Caches {
    pub files: content::FileCache,
    /// By folder (`content/consortia/<id>`): the unit, and whether it still holds (no file of the
    /// folder was reported changed since it was made).
    units: Mutex<HashMap<String, (Arc<Unit>, bool)>>,
    /// The site's own bodies as last rendered.
    site_bodies: Mutex<Option<Arc<RenderedBodies>>>,
}

impl Caches {
    /// Forgets what these site-relative paths (files or folders) held: their bytes, and the units
    /// of the consortium folders they are in or hold.
    pub fn forget(&self, paths: &[String]) {
        self.files.forget(paths.iter().map(String::as_str));
        let Ok(mut units) = self.units.lock() else {
            return;
        };
        for (dir, (_, holds)) in units.iter_mut() {
            let touched = paths.iter().any(|p| {
                let p = p.trim_end_matches('/');
                p == dir
                    || p.strip_prefix(dir.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
                    || dir
                        .strip_prefix(p)
                        .is_some_and(|rest| rest.starts_with('/'))
            });
            if touched {
                *holds = false;
            }
        }
    }
}

/// One consortium folder, read, checked and rendered.
pub struct Unit {
    /// The site's own files it was made with (they decide its rules), hashed.
    fingerprint: u64,
    /// Absent when the folder has no readable `consortium.toml`. Drafts are removed unless the
    /// site was prepared with them.
    consortium: Option<Arc<Consortium>>,
    /// Its files, with the site's own files that its diagnostics may point at.
    sources: BTreeMap<String, SourceFile>,
    /// Every problem of its own: shape, rules, cross-checks, Markdown.
    diagnostics: Vec<Diagnostic>,
    bodies: Arc<RenderedBodies>,
    /// The bodies as they are, when none has a chart block.
    plain: Arc<BodiesHtml>,
    /// The bodies with their chart blocks drawn, and the consortia the blocks drew on, as they
    /// were: kept until one of those changes.
    filled: Mutex<Option<Filled>>,
}

struct Filled {
    read: Vec<(String, Option<Arc<Consortium>>)>,
    html: Arc<BodiesHtml>,
    diagnostics: Vec<Diagnostic>,
}

/// What every unit is made with: the site's own files and what came of them.
struct UnitInputs<'a> {
    rules: rules::Rules<'a>,
    site_sources: &'a BTreeMap<String, SourceFile>,
    site_broken: &'a BTreeSet<String>,
    drafts: bool,
    fingerprint: u64,
}

impl Unit {
    fn make(
        root: &Path,
        dir: &str,
        files: Option<&content::FileCache>,
        inputs: &UnitInputs,
        old: Option<&Unit>,
    ) -> Result<Unit, LoadError> {
        let loaded = content::load_consortium_dir(root, dir, files)?;
        let mut diagnostics = loaded.diagnostics;
        let mut sources = inputs.site_sources.clone();
        sources.extend(loaded.sources.into_iter().map(|f| (f.path.clone(), f)));
        let empty = |consortium, sources, diagnostics| Unit {
            fingerprint: inputs.fingerprint,
            consortium,
            sources,
            diagnostics,
            bodies: Arc::default(),
            plain: Arc::default(),
            filled: Mutex::new(None),
        };
        let Some(mut c) = loaded.consortium else {
            return Ok(empty(None, sources, diagnostics));
        };
        let mut broken = inputs.site_broken.clone();
        broken.extend(broken_files(&diagnostics));
        diagnostics.extend(inputs.rules.consortium(&c, &sources, &broken));
        let report_year = *inputs.rules.config.report_year.get_ref();
        let figures = ConsortiumFigures::of(&c, inputs.rules.catalogue, report_year);
        diagnostics.extend(crosscheck::consortium_rules(
            &figures,
            inputs.rules.frameworks,
            &sources,
        ));
        drop(figures);
        if !inputs.drafts {
            c.announcements.retain(|a| !a.meta.draft);
        }
        let bodies = render::render_bodies(
            &render::consortium_bodies(&c),
            inputs.rules.config.markdown.allow_html,
            &sources,
            old.map(|u| u.bodies.as_ref()),
        );
        diagnostics.extend(bodies.warnings.iter().cloned());
        render::release_bodies(&mut c);
        let bodies = Arc::new(bodies);
        Ok(Unit {
            plain: Arc::new(BodiesHtml {
                bodies: Arc::clone(&bodies),
                filled: BTreeMap::new(),
            }),
            bodies,
            ..empty(Some(Arc::new(c)), sources, diagnostics)
        })
    }

    /// The unit's bodies with their chart blocks drawn from the figures of `site`, and the
    /// problems of the blocks. Drawn again only when a consortium they drew on changed.
    fn html<'s>(
        &self,
        site: &'s Site,
        figures: &dyn Fn() -> &'s Figures<'s>,
    ) -> (Arc<BodiesHtml>, Vec<Diagnostic>) {
        if !self.bodies.has_charts() {
            return (Arc::clone(&self.plain), Vec::new());
        }
        let current = |id: &str| {
            site.consortia
                .binary_search_by(|c| c.id.as_str().cmp(id))
                .ok()
                .map(|i| &site.consortia[i])
        };
        let mut kept = self.filled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = kept.as_ref() {
            let same = f.read.iter().all(|(id, was)| match (current(id), was) {
                (Some(now), Some(was)) => Arc::ptr_eq(now, was),
                (None, None) => true,
                _ => false,
            });
            if same {
                return (Arc::clone(&f.html), f.diagnostics.clone());
            }
        }
        let mut read = BTreeSet::new();
        let (filled, diagnostics) =
            chartblock::fill(site, figures(), &self.bodies, &self.sources, &mut read);
        let html = Arc::new(BodiesHtml {
            bodies: Arc::clone(&self.bodies),
            filled,
        });
        // A block in error names what it could have meant from the whole site: not kept.
        *kept = (!diagnostics.iter().any(Diagnostic::is_error)).then(|| Filled {
            read: read
                .into_iter()
                .map(|id| {
                    let now = current(&id).cloned();
                    (id, now)
                })
                .collect(),
            html: Arc::clone(&html),
            diagnostics: diagnostics.clone(),
        });
        (html, diagnostics)
    }
}

/// The site's own files and the problems found in them, hashed: a unit made with another
/// fingerprint is made again.
fn fingerprint(
    sources: &BTreeMap<String, SourceFile>,
    broken: &BTreeSet<String>,
    drafts: bool,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    drafts.hash(&mut h);
    for (path, f) in sources {
        path.hash(&mut h);
        f.text.hash(&mut h);
    }
    broken.hash(&mut h);
    h.finish()
}

/// Loads and checks the site at `root`. Drafts are dropped unless `drafts` is set.
pub fn prepare(root: &Path, drafts: bool) -> Result<Prepared, Failure> {
    prepare_cached(root, drafts, None)
}

/// `prepare`, taking unchanged files and consortium units from `caches`.
pub fn prepare_cached(
    root: &Path,
    drafts: bool,
    caches: Option<&Caches>,
) -> Result<Prepared, Failure> {
    crate::safefs::begin_pass();
    let files = caches.map(|c| &c.files);
    let loaded = content::load_site_level(root, files)?;
    let dirs = content::consortium_dirs(root)?;
    let mut diags = loaded.diagnostics;
    let site_sources = loaded.sources;
    let frameworks = Frameworks::new(loaded.frameworks, loaded.taxonomy);
    let Some(config) = loaded.config else {
        return Err(without_config(
            root,
            &dirs,
            files,
            diags,
            site_sources,
            &frameworks,
        )?);
    };
    let (catalogue, cat_diags) = rules::catalogue(&config, &site_sources);
    diags.extend(cat_diags);
    diags.extend(rules::frameworks::site_frameworks(
        &frameworks,
        &catalogue,
        &site_sources,
    ));
    let site_broken = broken_files(&diags);
    diags.extend(rules::site_rules(&config, &loaded.pages, &site_sources));
    let inputs = UnitInputs {
        rules: rules::Rules {
            config: &config,
            catalogue: &catalogue,
            pages: &loaded.pages,
            frameworks: &frameworks,
        },
        site_sources: &site_sources,
        site_broken: &site_broken,
        drafts,
        fingerprint: fingerprint(&site_sources, &site_broken, drafts),
    };
    let units = units_of(root, &dirs, caches, &inputs)?;
    let site = Site {
        frameworks,
        config,
        catalogue,
        index: loaded.index,
        pages: loaded.pages,
        consortia: units.iter().filter_map(|u| u.consortium.clone()).collect(),
    };
    diags.extend(crosscheck::site_rules(&site, &site_sources));
    // The site-wide checks over consortia cite their files, which the units hold.
    let unit_source = |path: &str| units.iter().find_map(|u| u.sources.get(path));
    diags.extend(crosscheck::tag_clashes(&site, unit_source));
    diags.extend(crosscheck::amounts_beyond_peers(&site, unit_source));
    for u in &units {
        diags.extend(u.diagnostics.iter().cloned());
    }
    let html = html_of(&site, &units, &site_sources, caches, &mut diags);
    diagnostics::sort(&mut diags);
    let sources = cited(&diags, &site_sources, &units);
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

/// Every consortium unit: taken from `caches` when its folder and the site-wide inputs did not
/// change, else made again; the caches keep the new ones.
fn units_of(
    root: &Path,
    dirs: &[String],
    caches: Option<&Caches>,
    inputs: &UnitInputs,
) -> Result<Vec<Arc<Unit>>, LoadError> {
    let files = caches.map(|c| &c.files);
    let previous: HashMap<String, (Arc<Unit>, bool)> = caches
        .and_then(|c| c.units.lock().ok().map(|u| u.clone()))
        .unwrap_or_default();
    let units: Vec<Arc<Unit>> = dirs
        .par_iter()
        .map(|dir| match previous.get(dir) {
            Some((unit, true)) if unit.fingerprint == inputs.fingerprint => Ok(Arc::clone(unit)),
            old => Unit::make(root, dir, files, inputs, old.map(|(u, _)| u.as_ref())).map(Arc::new),
        })
        .collect::<Result<_, LoadError>>()?;
    if let Some(c) = caches {
        if let Ok(mut kept) = c.units.lock() {
            let now = dirs
                .iter()
                .cloned()
                .zip(units.iter().map(|u| (Arc::clone(u), true)))
                .collect();
            // The units made again are freed with the old map, on another thread.
            super::cache::drop_later((previous, std::mem::replace(&mut *kept, now)));
        }
    }
    Ok(units)
}

/// The rendered Markdown of the site's own files and of every consortium, with chart blocks
/// drawn; its warnings and problems join `diags`.
fn html_of(
    site: &Site,
    units: &[Arc<Unit>],
    site_sources: &BTreeMap<String, SourceFile>,
    caches: Option<&Caches>,
    diags: &mut Vec<Diagnostic>,
) -> Html {
    // The figures are needed only to draw chart blocks: made when one is drawn.
    let made = std::sync::OnceLock::new();
    let figures = || made.get_or_init(|| Figures::of(site));
    let previous_site = caches.and_then(|c| c.site_bodies.lock().ok()?.clone());
    let site_bodies = Arc::new(render::render_bodies(
        &render::site_bodies(site),
        site.config.markdown.allow_html,
        site_sources,
        previous_site.as_deref(),
    ));
    if let Some(c) = caches {
        if let Ok(mut kept) = c.site_bodies.lock() {
            *kept = Some(Arc::clone(&site_bodies));
        }
    }
    diags.extend(site_bodies.warnings.iter().cloned());
    let (filled, chart_diags) = if site_bodies.has_charts() {
        chartblock::fill(
            site,
            figures(),
            &site_bodies,
            site_sources,
            &mut BTreeSet::new(),
        )
    } else {
        Default::default()
    };
    diags.extend(chart_diags);
    let mut html = Html {
        site: Arc::new(BodiesHtml {
            bodies: site_bodies,
            filled,
        }),
        consortia: BTreeMap::new(),
    };
    for u in units {
        if let Some(c) = &u.consortium {
            let (bodies, d) = u.html(site, &figures);
            diags.extend(d);
            html.consortia.insert(c.id.clone(), bodies);
        }
    }
    html
}

/// The sources of the files the diagnostics point at: past checking, sources only serve to print
/// them.
fn cited(
    diags: &[Diagnostic],
    site_sources: &BTreeMap<String, SourceFile>,
    units: &[Arc<Unit>],
) -> BTreeMap<String, SourceFile> {
    let cited: BTreeSet<&str> = diags
        .iter()
        .flat_map(|d| {
            std::iter::once(d.path.as_str()).chain(d.notes.iter().map(|n| n.path.as_str()))
        })
        .collect();
    cited
        .into_iter()
        .filter_map(|path| {
            site_sources
                .get(path)
                .or_else(|| units.iter().find_map(|u| u.sources.get(path)))
                .map(|f| (path.to_string(), f.clone()))
        })
        .collect()
}

/// Without a readable `site.toml` the rules that need it are skipped; the others still run, so
/// every problem of the other files shows in the same run.
fn without_config(
    root: &Path,
    dirs: &[String],
    files: Option<&content::FileCache>,
    mut diags: Vec<Diagnostic>,
    mut sources: BTreeMap<String, SourceFile>,
    frameworks: &Frameworks,
) -> Result<Failure, LoadError> {
    let mut consortia = Vec::new();
    for dir in dirs {
        let c = content::load_consortium_dir(root, dir, files)?;
        sources.extend(c.sources.into_iter().map(|f| (f.path.clone(), f)));
        diags.extend(c.diagnostics);
        consortia.extend(c.consortium.map(Arc::new));
    }
    diags.extend(rules::without_config(
        &consortia,
        &sources,
        &broken_files(&diags),
        frameworks,
    ));
    diagnostics::sort(&mut diags);
    Ok(Failure::Content {
        diagnostics: diags,
        sources,
    })
}

/// The files whose loading gave an error.
fn broken_files(diags: &[Diagnostic]) -> BTreeSet<String> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.path.clone())
        .collect()
}
