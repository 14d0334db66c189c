//! The live preview's memory of the last render: a hash of what each output depends on (its
//! template and view, or its bytes, and the site-wide seed) with its bytes, the fragments and
//! navigation made, and what each consortium's outputs were made from. With it a render skips
//! what cannot have changed; `update` gathers what to keep after a render.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::Consortium;
use crate::site::pages::planner::ListKeys;
use crate::site::plan::{self, Fragment, PageContext};
use crate::site::{prepare, search, visuals, Prepared};

/// What the last render gave, by output path: a hash of what the output depends on (its template
/// and view, or its bytes, and the theme) and the bytes. With it, a render re-renders only the
/// outputs whose view or template changed, and does not even plan the outputs of a consortium
/// that did not change; without, it renders everything (`build`).
#[derive(Default)]
pub struct RenderCache {
    /// By output path: the hash, and the bytes compressed (`kept`).
    pub(super) outputs: HashMap<String, (u64, Arc<[u8]>)>,
    /// The output paths by the consortium they belong to (`""` for the site's own).
    pub(super) owned: HashMap<String, Arc<Vec<String>>>,
    /// Fragments of the last render by the consortium they belong to, then by the hash of their
    /// template and view.
    pub(super) fragments: HashMap<String, Arc<HashMap<u64, Arc<str>>>>,
    /// The hash of each announcement's fragment (its list item), by consortium, in the order of
    /// its model in `made_from`.
    pub(super) item_hashes: HashMap<String, Arc<Vec<u64>>>,
    /// The hash of the templates and the site-wide values every output was made with.
    pub(super) seed: Option<u64>,
    /// What each consortium's outputs were made from: its model and its rendered Markdown.
    pub(super) made_from: HashMap<String, (Arc<Consortium>, Arc<prepare::BodiesHtml>)>,
    /// The sitemap's entries, in parts.
    pub(super) sitemap: Arc<plan::Sitemap>,
    pub(super) visuals: Option<Arc<visuals::Visuals>>,
    /// The search index, with the parts a consortium that does not change keeps.
    pub(super) search: Option<Arc<search::SearchIndex>>,
    /// What every output in `outputs` is compressed against (`kept`), made at the first render
    /// and kept as long as the cache.
    pub(super) dictionary: Option<Arc<[u8]>>,
    /// What each consortium's announcement pages showed besides their announcement, hashed
    /// (`Planner::context`), by id: with the same, a page whose announcement did not change is
    /// kept.
    pub(super) contexts: HashMap<String, u64>,
    /// Each consortium's list pages, hashed (`ListKeys`), by id: made with `made_from`.
    pub(super) list_keys: HashMap<String, Arc<ListKeys>>,
}

impl RenderCache {
    /// The bytes of an output of the last render.
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        let (_, kept) = self.outputs.get(path)?;
        lz4_flex::block::decompress_size_prepended_with_dict(
            kept,
            self.dictionary.as_deref().unwrap_or_default(),
        )
        .ok()
    }

    /// Whether the last render made this output.
    pub fn contains(&self, path: &str) -> bool {
        self.outputs.contains_key(path)
    }

    /// Every output path of the last render.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.outputs.keys().map(String::as_str)
    }

    /// Takes in what a render made. What it replaces is freed on another thread (`drop_later`).
    pub fn apply(&mut self, update: Update) {
        let mut spent = Vec::with_capacity(update.removed.len() + update.fresh.len());
        for path in &update.removed {
            spent.extend(self.outputs.remove(path));
        }
        for (path, h, bytes) in update.fresh {
            spent.extend(self.outputs.insert(path, (h, bytes)));
        }
        self.seed = Some(update.seed);
        self.dictionary = Some(update.dictionary);
        drop_later((
            spent,
            std::mem::replace(&mut self.owned, update.owned),
            std::mem::replace(&mut self.fragments, update.fragments),
            std::mem::replace(&mut self.item_hashes, update.item_hashes),
            std::mem::replace(&mut self.made_from, update.made_from),
            std::mem::replace(&mut self.sitemap, update.sitemap),
            self.visuals.replace(update.visuals),
            std::mem::replace(&mut self.search, update.search),
            std::mem::replace(&mut self.contexts, update.contexts),
            std::mem::replace(&mut self.list_keys, update.list_keys),
        ));
    }
}

/// Frees `value` on a thread of its own: a preview's rebuild replaces large structures (a
/// consortium's model, views and index), and freeing them one allocation at a time would
/// otherwise stand between a save and the reload.
pub fn drop_later<T: Send + 'static>(value: T) {
    type Spent = Box<dyn Send>;
    static DROPPER: std::sync::OnceLock<Option<std::sync::mpsc::Sender<Spent>>> =
        std::sync::OnceLock::new();
    let sender = DROPPER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Spent>();
        std::thread::Builder::new()
            .name("chanjiao-free".into())
            .spawn(move || rx.into_iter().for_each(drop))
            .ok()
            .map(|_| tx)
    });
    // Without the thread (it could not be started), freed here.
    if let Some(tx) = sender {
        if let Err(std::sync::mpsc::SendError(value)) = tx.send(Box::new(value)) {
            drop(value);
        }
    }
}

/// An output a render made: its path, the hash of what it depends on, and its bytes as `kept`.
pub(super) type Fresh = (String, u64, Arc<[u8]>);

/// An output's bytes as a preview keeps them: compressed with LZ4 against the cache's
/// `dictionary` (pages and data files shrink to a tenth or less, and are made again in
/// microseconds when served).
pub(super) fn kept(bytes: &[u8], dictionary: &[u8]) -> Arc<[u8]> {
    Arc::from(lz4_flex::block::compress_prepend_size_with_dict(
        bytes, dictionary,
    ))
}

/// LZ4 looks back this far: the end of a longer dictionary is what counts.
const WINDOW: usize = 64 * 1024;

/// A dictionary for `kept` from sample outputs, the most alike to most outputs last: the head,
/// navigation and footer every page repeats then cost a few bytes a page.
pub(super) fn dictionary(samples: &[u8]) -> Arc<[u8]> {
    Arc::from(&samples[samples.len().saturating_sub(WINDOW)..])
}

/// A fragment a render made: the hash of its template and view (with a cache) and its HTML.
pub(super) type MadeFragment = (Option<u64>, Arc<str>);

/// What a render with a cache made, for `RenderCache::apply`.
pub struct Update {
    fresh: Vec<Fresh>,
    /// Outputs of the last render that this one no longer has, sorted.
    pub removed: Vec<String>,
    owned: HashMap<String, Arc<Vec<String>>>,
    fragments: HashMap<String, Arc<HashMap<u64, Arc<str>>>>,
    item_hashes: HashMap<String, Arc<Vec<u64>>>,
    seed: u64,
    made_from: HashMap<String, (Arc<Consortium>, Arc<prepare::BodiesHtml>)>,
    sitemap: Arc<plan::Sitemap>,
    visuals: Arc<visuals::Visuals>,
    search: Option<Arc<search::SearchIndex>>,
    contexts: HashMap<String, u64>,
    list_keys: HashMap<String, Arc<ListKeys>>,
    dictionary: Arc<[u8]>,
}

/// What a render made, by consortium id, with what the last render made of the consortia it
/// kept (`kept`).
fn with_kept<T>(
    made: HashMap<String, T>,
    before: &HashMap<String, Arc<T>>,
    kept: &dyn Fn(&str) -> bool,
) -> HashMap<String, Arc<T>> {
    let mut out: HashMap<String, Arc<T>> =
        made.into_iter().map(|(id, v)| (id, Arc::new(v))).collect();
    for (id, v) in before {
        if kept(id) {
            out.insert(id.clone(), Arc::clone(v));
        }
    }
    out
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

/// Feeds what is written into a hasher, so a view is hashed as it serialises, without a copy.
/// XXH3: every view a rebuild plans is hashed, only to see whether it changed.
pub(super) struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) fn hash_of(seed: u64, what: impl FnOnce(&mut HashWriter)) -> u64 {
    let mut w = HashWriter(xxhash_rust::xxh3::Xxh3::with_seed(seed));
    what(&mut w);
    w.0.digest()
}

impl HashWriter {
    /// Feeds a view in as CBOR: self-describing (field names, lengths, types), so two different
    /// views never give the same bytes, and cheaper to make than JSON (no escaping, no decimal
    /// numbers). Should it fail, the hash is made unlike any other, so that what it stands for
    /// counts as changed.
    pub(super) fn view<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        if ciborium::into_writer(value, &mut *self).is_err() {
            self.failed();
        }
    }

    /// Feeds a page in: its common fields, then its own view, each as CBOR.
    pub(super) fn page(&mut self, context: &PageContext) {
        self.view(context);
        if !context.view.cbor(self) {
            self.failed();
        }
    }

    /// Makes the hash unlike any other.
    fn failed(&mut self) {
        static FAILED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = FAILED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.update(b"\0failed\0");
        self.0.update(&n.to_le_bytes());
    }
}

/// The paths a render writes.
pub type Written = std::collections::HashSet<String, crate::fasthash::Build>;

/// What a render with a cache made, to keep until the next: the outputs `written` (with the
/// `fresh` ones' hashes and bytes) and fragments `made`; the kept consortia's stay as they were.
pub(super) struct Made<'r, 'a> {
    pub written: &'r Written,
    /// The theme's static files, by path.
    pub static_files: &'r BTreeMap<String, Vec<u8>>,
    pub fresh: Vec<Fresh>,
    pub fragments: Vec<MadeFragment>,
    pub plan_fragments: &'r [Fragment<'a>],
    pub sitemap: plan::Sitemap,
    pub visuals: Arc<visuals::Visuals>,
    pub search: Option<Arc<search::SearchIndex>>,
    pub contexts: HashMap<String, u64>,
    pub list_keys: HashMap<String, ListKeys>,
    pub dictionary: Arc<[u8]>,
}

/// The cache's update after a render that made `made` from `prepared`, on `c`, the cache it
/// started from; `kept` tells the consortia it did not plan.
pub(super) fn update(
    c: &RenderCache,
    seed: u64,
    prepared: &Prepared,
    made: Made,
    kept: &dyn Fn(&str) -> bool,
) -> Update {
    // What this render made, by the consortium it belongs to; the others keep theirs.
    let mut owned: HashMap<String, Vec<String>> = HashMap::new();
    for path in made.written.iter().chain(made.static_files.keys()) {
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
        .filter(|path| !made.written.contains(*path) && !made.static_files.contains_key(*path))
        .cloned()
        .collect();
    removed.sort();
    let owned = with_kept(owned, &c.owned, kept);
    let mut fragments: HashMap<String, HashMap<u64, Arc<str>>> = HashMap::new();
    let mut item_hashes: HashMap<String, Vec<u64>> = HashMap::new();
    for ((h, html), f) in made.fragments.into_iter().zip(made.plan_fragments) {
        if let Some(h) = h {
            // A consortium's fragments are its announcements, in order.
            item_hashes.entry(f.owner.to_string()).or_default().push(h);
            fragments
                .entry(f.owner.to_string())
                .or_default()
                .insert(h, html);
        }
    }
    let item_hashes = with_kept(item_hashes, &c.item_hashes, kept);
    let fragments = with_kept(fragments, &c.fragments, kept);
    let list_keys = with_kept(made.list_keys, &c.list_keys, kept);
    let made_from = prepared
        .site
        .consortia
        .iter()
        .filter_map(|m| {
            let html = prepared.html.of(&m.id)?;
            Some((m.id.clone(), (Arc::clone(m), Arc::clone(html))))
        })
        .collect();
    Update {
        fresh: made.fresh,
        removed,
        owned,
        fragments,
        item_hashes,
        seed,
        made_from,
        sitemap: Arc::new(made.sitemap),
        visuals: made.visuals,
        search: made.search.map(|s| Arc::new(s.kept())),
        contexts: made.contexts,
        list_keys,
        dictionary: made.dictionary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page as a theme makes them: the same head, navigation and footer around its own text.
    fn page(n: usize) -> String {
        let nav: String = (0..40)
            .map(|i| format!("<li><a href=\"/consortia/c{i:03}/\">第{i}联合体</a></li>"))
            .collect();
        format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>公告{n}</title>\
             <link rel=\"stylesheet\" href=\"/style.css\"></head><body><nav><ul>{nav}</ul></nav>\
             <main><h1>公告{n}</h1><p>联合体新增共建专业{n}个。</p></main><footer>示例数据</footer>\
             </body></html>"
        )
    }

    #[test]
    fn outputs_kept_against_the_dictionary_come_back_whole_and_small() {
        let samples = [page(0), page(1)].concat();
        let dictionary = dictionary(samples.as_bytes());
        let bytes = page(7).into_bytes();
        let alone = lz4_flex::compress_prepend_size(&bytes).len();
        let kept = kept(&bytes, &dictionary);
        assert!(
            kept.len() * 4 < alone,
            "{} bytes kept, {alone} without the dictionary",
            kept.len()
        );
        let cache = RenderCache {
            outputs: HashMap::from([("a/index.html".to_string(), (0, kept))]),
            dictionary: Some(dictionary),
            ..RenderCache::default()
        };
        assert_eq!(cache.get("a/index.html"), Some(bytes));
        // Only the end of long samples is kept: LZ4 looks no further back.
        let long = page(3).repeat(WINDOW / page(3).len() + 2);
        let d = super::dictionary(long.as_bytes());
        assert_eq!(d.len(), WINDOW);
        assert!(long.as_bytes().ends_with(&d));
    }
}
