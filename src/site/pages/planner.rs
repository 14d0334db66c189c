//! What planning makes: the outputs of the site (a page is a template and its typed view, a file
//! is bytes), what every page's template is handed (`PageContext`), and the `Planner` that page
//! families make their pages with. A page's route gives its template, its navigation section and
//! whether it has a large-type twin, so a family never names a template.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::figures::Figures;
use crate::model::*;
use crate::site::feeds::{self, FeedSpec, Item};
use crate::site::routes::{base_path, root_prefix, Route};
use crate::site::sitemap;
use crate::site::visuals::Visuals;

use super::common::{AnnouncementEntry, Nav};

/// One output of the site.
#[derive(Debug)]
pub enum Output<'a> {
    /// A template rendered with a view.
    Page {
        route: Route<'a>,
        template: &'static str,
        context: Box<PageContext<'a>>,
        /// Whether the page also has a large-type version under `elder/`.
        elder: bool,
        /// When the page last changed, for a dated page (the sitemap's `<lastmod>`).
        lastmod: Option<Date>,
        /// Fragments the page shows, in order, by their index in `Plan::fragments`; the template
        /// gets them rendered as `items`.
        items: Vec<usize>,
    },
    /// Bytes written as they are: borrowed from the model or the visuals where they are kept, or
    /// made when the file is written (a feed), so the plan holds no second copy.
    File { route: Route<'a>, bytes: Bytes<'a> },
    /// A page or file the last render made from the very same things (in the live preview, an
    /// announcement's page and attachments when nothing they show changed): not planned, hashed
    /// or rendered again; the bytes it had stay.
    Kept {
        route: Route<'a>,
        /// Whether the page has a large-type version, kept too.
        elder: bool,
        lastmod: Option<Date>,
    },
}

/// What a file output holds.
#[derive(Debug)]
pub enum Bytes<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
    /// An Atom feed, written when it is rendered.
    Feed(Box<(FeedSpec<'a>, Vec<Item<'a>>)>),
    /// The very bytes the last render gave this output (with a cache of it).
    Unchanged,
    /// Written already, ahead of the pages (a build's search index, freed before the pages are
    /// planned).
    Written,
}

impl Bytes<'_> {
    /// The file's bytes.
    pub fn get(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Bytes::Borrowed(b) => std::borrow::Cow::Borrowed(b),
            Bytes::Owned(b) => std::borrow::Cow::Borrowed(b),
            Bytes::Feed(f) => std::borrow::Cow::Owned(feeds::atom(&f.0, &f.1)),
            Bytes::Unchanged | Bytes::Written => std::borrow::Cow::Borrowed(&[]),
        }
    }
}

impl Output<'_> {
    pub fn route(&self) -> &Route<'_> {
        match self {
            Output::Page { route, .. }
            | Output::File { route, .. }
            | Output::Kept { route, .. } => route,
        }
    }
}

pub struct PlanInput<'a> {
    pub site: &'a Site,
    pub figures: &'a Figures<'a>,
    /// Charts and open data, drawn from the figures.
    pub visuals: &'a Visuals,
    /// Rendered Markdown bodies by source path.
    pub html: &'a crate::site::Html,
    /// The search index, when the site has search.
    pub search: Option<&'a crate::site::search::SearchIndex>,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
    /// Whether the outputs the last render made of a consortium (by id) still hold, since nothing
    /// they show changed: then the consortium is not planned, and its sitemap entries are taken
    /// from `before`.
    pub kept: &'a (dyn Fn(&str) -> bool + Sync),
    /// The sitemap of the last render, in parts.
    pub before: Option<&'a Sitemap>,
    /// In the live preview, the hash of the templates and site-wide values of this render, and
    /// the last render when it had the same (`Planner::previous`).
    pub previous: Option<(u64, Option<&'a crate::site::RenderCache>)>,
    /// The consortia as the last render saw them, shared with the search index.
    pub formers: &'a crate::site::prepare::Formers<'a>,
}

/// What the last render made a consortium's announcement pages from, when each page showed the
/// same of its consortium and site as now (`Planner::context`): the model and its rendered
/// Markdown, and each announcement's list item. An announcement equal to its former self, with
/// the same HTML, has the same page and the same list item.
pub struct Previous<'a> {
    /// The model and HTML then: where each announcement was, and whether it is what it was.
    former: &'a crate::site::prepare::Former<'a>,
    /// The hash of each announcement's list item then, in the order of `model`, and the items
    /// by hash.
    items: Option<Items<'a>>,
    /// What each list page showed then, hashed, by its URL (`ListKeys`).
    list_keys: Option<&'a ListKeys>,
}

/// A consortium's list pages by URL, each with a hash of what it showed: the list's own values
/// and the announcements on it, by their place in the model it was made from
/// (`announcements::plan`).
pub type ListKeys = std::collections::HashMap<String, u64>;

/// Hashes of list items in order, and the items by hash.
type Items<'a> = (&'a [u64], &'a std::collections::HashMap<u64, Arc<str>>);

impl<'a> Previous<'a> {
    /// Where each announcement of `c`, as it is now, was in the last render, when it is what its
    /// page and list item were made from (`Former::all`).
    pub fn unchanged(&self, c: &Consortium, html: &crate::site::Html) -> &[Option<usize>] {
        self.former.all(c, html)
    }

    /// The hash of what the list page at `url` showed in the last render.
    pub fn list_key(&self, url: &str) -> Option<u64> {
        self.list_keys?.get(url).copied()
    }

    /// The list item the last render made of its announcement `was`: its hash and HTML.
    pub fn item(&self, was: usize) -> Option<(u64, Arc<str>)> {
        let (hashes, items) = self.items?;
        let hash = *hashes.get(was)?;
        Some((hash, items.get(&hash)?.clone()))
    }
}

/// The sitemap's entries in parts: the site's own pages before the consortia's, each
/// consortium's by id, and the site's own pages after.
#[derive(Default, PartialEq)]
pub struct Sitemap {
    pub head: Vec<sitemap::Entry>,
    pub consortia: Vec<(String, Arc<Vec<sitemap::Entry>>)>,
    pub tail: Vec<sitemap::Entry>,
}

impl Sitemap {
    /// The same entries in the same order as `other`, each consortium's the very same.
    pub fn same_as(&self, other: &Sitemap) -> bool {
        self.head == other.head
            && self.tail == other.tail
            && self.consortia.len() == other.consortia.len()
            && self
                .consortia
                .iter()
                .zip(&other.consortia)
                .all(|((a, x), (b, y))| a == b && Arc::ptr_eq(x, y))
    }
}

/// A part many pages show, rendered once: an announcement as its lists show it
/// (`announcement-item.html`). Its links start with [`ROOT_MARK`], which each page replaces with
/// its own way to the site root.
#[derive(Debug)]
pub struct Fragment<'a> {
    /// The consortium it belongs to.
    pub owner: &'a str,
    pub template: &'static str,
    pub made: Made<'a>,
}

/// What a fragment is rendered from, or, in the live preview, what the last render made of it
/// when what it shows did not change.
#[derive(Debug)]
pub enum Made<'a> {
    View(Arc<AnnouncementEntry<'a>>),
    Kept { hash: u64, html: Arc<str> },
}

/// What a fragment's links start with until a page puts in its `root`: characters of Unicode's
/// private use area, which HTML escaping leaves as they are and no content has reason to hold.
pub const ROOT_MARK: &str = "\u{E000}root\u{E001}";

/// The folder of the large-type version (长辈模式) of every page.
pub const ELDER: &str = "elder/";

/// The URL of a page's large-type version, relative to the site root.
pub fn elder_route_url(route: &Route) -> String {
    format!("{ELDER}{}", route.url())
}

/// What every page template is handed: the common fields and the page's own view.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// The relative path from this page to the root of its version of the site: the site root,
    /// or `elder/` for the large-type version. Links to pages start with it.
    pub root: String,
    /// The relative path from this page to the site root itself. Links to files that have one
    /// version only (stylesheet, charts, data, sitemap) start with it.
    pub assets: String,
    /// Whether this is the large-type, high-contrast version (长辈模式).
    pub elder: bool,
    /// The same page in the other version, when there is one.
    pub switch: String,
    pub canonical: String,
    pub page_title: String,
    pub c: Option<std::sync::Arc<Nav<'a>>>,
    pub section: &'static str,
    /// The page's own data: its fields join the context's at the top level (`PageView::context`).
    #[serde(skip)]
    pub view: View<'a>,
}

/// A page's own data, handed to its template: any view that serialises (the view structs of the
/// page families). Each view is serialised by code made for its own type, whole, once for the
/// template and (in the live preview) once for the hash that tells whether it changed.
pub trait PageView: std::fmt::Debug + Send + Sync {
    /// The view's fields as a Tera context, beside the page's common fields.
    fn context(&self) -> Result<tera::Context, tera::Error>;
    /// The view as CBOR, written into `w`; false when it cannot be serialised.
    fn cbor(&self, w: &mut dyn std::io::Write) -> bool;
}

impl<T: serde::Serialize + std::fmt::Debug + Send + Sync> PageView for T {
    fn context(&self) -> Result<tera::Context, tera::Error> {
        tera::Context::from_serialize(self)
    }

    fn cbor(&self, w: &mut dyn std::io::Write) -> bool {
        ciborium::into_writer(self, w).is_ok()
    }
}

/// A page's view, of whichever family.
pub type View<'a> = Box<dyn PageView + 'a>;

/// What page families plan with: the plan's input and each consortium's navigation, made once
/// and shared by all its pages.
pub struct Planner<'p, 'a> {
    pub input: &'p PlanInput<'a>,
    navs: BTreeMap<&'a str, Arc<Nav<'a>>>,
    /// In the live preview, the hash of what each consortium's announcement pages show besides
    /// their announcement, by id (`context`).
    pub contexts: BTreeMap<&'a str, u64>,
    previous: BTreeMap<&'a str, Previous<'a>>,
    /// In the live preview, the list pages' hashes of this render, by consortium id.
    pub list_keys: std::sync::Mutex<std::collections::HashMap<String, ListKeys>>,
}

impl<'p, 'a> Planner<'p, 'a> {
    pub fn new(input: &'p PlanInput<'a>) -> Self {
        let navs = input
            .site
            .consortia
            .iter()
            .map(|c| (c.id.as_str(), Arc::new(Nav::of(c))))
            .collect();
        let mut p = Planner {
            input,
            navs,
            contexts: BTreeMap::new(),
            previous: BTreeMap::new(),
            list_keys: Default::default(),
        };
        let Some((seed, cache)) = input.previous else {
            return p;
        };
        for c in &input.site.consortia {
            let id = c.id.as_str();
            let context = p.context(seed, c);
            p.contexts.insert(id, context);
            let Some(cache) = cache else { continue };
            let (Some(former), Some(&was)) = (input.formers.get(id), cache.contexts.get(id)) else {
                continue;
            };
            if was == context {
                let items = cache.item_hashes.get(id).zip(cache.fragments.get(id));
                let previous = Previous {
                    former,
                    items: items.map(|(h, f)| (h.as_slice(), f.as_ref())),
                    list_keys: cache.list_keys.get(id).map(|k| k.as_ref()),
                };
                p.previous.insert(id, previous);
            }
        }
        p
    }

    /// What an announcement's page (`announcements::page`) shows besides its announcement, its
    /// HTML and the templates and site-wide values (`seed`), hashed: the consortium's navigation
    /// (its id and names), the categories (their URLs) and whether pages have a large-type
    /// version. A field of the page taken from anywhere else must join this hash, or a preview
    /// would keep the page when it changed.
    fn context(&self, seed: u64, c: &Consortium) -> u64 {
        crate::site::cache::hash_of(seed, |w| {
            w.view(&*self.navs[c.id.as_str()]);
            w.view(&self.input.site.config.categories());
            w.view(&self.input.site.config.accessibility.elder);
        })
    }

    /// What the last render made this consortium's announcement pages from, when they showed the
    /// same of it as now.
    pub fn previous(&self, c: &Consortium) -> Option<&Previous<'a>> {
        self.previous.get(c.id.as_str())
    }

    /// The rendered Markdown body of the file at `path`.
    pub fn html(&self, path: &str) -> &'a str {
        self.input.html.get(path).unwrap_or_default()
    }

    /// A page at `route`, titled `title`, of consortium `c` (or of the site), showing `view` with
    /// the template and navigation section its route gives.
    pub fn page(
        &self,
        route: Route<'a>,
        title: String,
        c: Option<&'a Consortium>,
        view: impl PageView + 'a,
    ) -> Output<'a> {
        let input = self.input;
        let path = route.path();
        // The 404 page is served at any missing address, so its links start from the site's path.
        let root = if route == Route::NotFound {
            base_path(input.base_url)
        } else {
            root_prefix(&path)
        };
        let elder = self.has_elder(&route);
        Output::Page {
            route,
            template: route.template().unwrap_or_default(),
            elder,
            lastmod: None,
            items: Vec::new(),
            context: Box::new(PageContext {
                switch: if elder {
                    format!("{root}{}", elder_route_url(&route))
                } else {
                    String::new()
                },
                assets: root.clone(),
                elder: false,
                root,
                canonical: route.absolute(input.base_url),
                page_title: title,
                c: c.map(|c| self.navs[c.id.as_str()].clone()),
                section: route.section(),
                view: Box::new(view),
            }),
        }
    }

    /// The output at `route` that the last render made from the very same things, kept as it
    /// is (`Output::Kept`), with the large-type version a page there has.
    pub fn kept(&self, route: Route<'a>, lastmod: Option<Date>) -> Output<'a> {
        Output::Kept {
            route,
            elder: self.has_elder(&route),
            lastmod,
        }
    }

    /// Whether the page at `route` also has a large-type version.
    fn has_elder(&self, route: &Route) -> bool {
        self.input.site.config.accessibility.elder && route.has_large_type_twin()
    }
}
