//! Site search: a static index of every announcement, member, programme, consortium and free page
//! (each once: the large-type pages are the same pages), searched in the reader's browser by
//! `static/search.js` without a server.
//!
//! Chinese has no spaces between words, so the index is of character bigrams (n-grams of two, as
//! Lucene's CJK analyser and most Chinese search engines index without a dictionary): `订单班`
//! is found through `订单` and `单班`, and the browser keeps only the pages whose text holds the
//! query as typed. A dictionary segmenter would miss the terms a reader types most (unit names,
//! abbreviations, 文号, new coinages such as 订单班) and would have to ship its dictionary to the
//! browser to cut the query the same way. Latin words and numbers are indexed whole. Text is
//! NFKC-normalised and lower-cased on both sides, so full-width and half-width forms match
//! (`ＡＢＣ１２` = `abc12`). The tokeniser here and in `search.js` must stay the same: a test
//! runs both on the same strings.
//!
//! The index is cut so that a query downloads little: `meta.json` (the filters, each page's kind,
//! where each part's pages start), the shards (`s/N.json`) holding the query's tokens (a token's
//! shard is its FNV-1a hash modulo the shard count), and the fragments of the results shown
//! (`f/site/N.json` and `f/c/<consortium>/N.json`, ten pages each: address, title, consortium,
//! type, category, date and text). Filters are tokens too (`~c:<consortium>`, `~t:<type>`,
//! `~k:<category>`, `~y:<year>`). The pages are numbered part by part (the site's own, then each
//! consortium's), so that a preview keeps the part of a consortium that did not change. The same
//! site always gives the same bytes.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::*;
use crate::site::prepare::Formers;
use crate::site::routes::Route;
use crate::site::Html;

mod shards;
mod text;

use shards::{shard_json, Joined, Postings};
use text::{each_token, Key};
pub use text::{normalise, plain_text, shard_of, tokens};

/// Pages a fragment file holds.
pub const FRAGMENT: usize = 10;
/// Characters of a page's text kept for excerpts and for checking a match.
const TEXT: usize = 1200;

/// What kind of page a result is, in the order results of equal weight are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Consortium,
    Member,
    Programme,
    Announcement,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Consortium,
        Kind::Member,
        Kind::Programme,
        Kind::Announcement,
        Kind::Page,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Consortium => "consortium",
            Kind::Member => "member",
            Kind::Programme => "programme",
            Kind::Announcement => "announcement",
            Kind::Page => "page",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Consortium => "联合体",
            Kind::Member => "成员单位",
            Kind::Programme => "共建项目",
            Kind::Announcement => "公告",
            Kind::Page => "页面",
        }
    }
}

/// One page as the index sees it.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Relative to the site root.
    pub url: String,
    pub title: String,
    /// The consortium's id and short name.
    pub consortium: Option<(String, String)>,
    pub kind: Kind,
    pub category: Option<String>,
    pub date: Option<Date>,
    pub year: Option<i32>,
    /// The searchable text besides the title: names, numbers, summary and body.
    pub text: String,
}

impl Doc {
    /// A page of the site's own, without its text.
    fn page(url: String, title: String) -> Doc {
        Doc {
            url,
            title,
            consortium: None,
            kind: Kind::Page,
            category: None,
            date: None,
            year: None,
            text: String::new(),
        }
    }
}

/// Puts the pages in the order results of equal weight are listed: by kind (a consortium, a
/// member and a programme before the announcements that mention them), newest first, then by
/// address.
fn in_order(docs: Vec<Entry<'_>>) -> Vec<Entry<'_>> {
    crate::order::sorted_by(docs, |a, b| {
        let (a, b) = (&a.doc, &b.doc);
        a.kind
            .cmp(&b.kind)
            .then(b.date.cmp(&a.date))
            .then_with(|| a.url.cmp(&b.url))
    })
}

/// A piece of a page's searchable text: plain text, or a body's HTML.
enum Piece<'s> {
    Text(std::borrow::Cow<'s, str>),
    Html(Option<&'s str>),
}

impl<'s> From<&'s str> for Piece<'s> {
    fn from(text: &'s str) -> Self {
        Piece::Text(text.into())
    }
}

impl From<String> for Piece<'_> {
    fn from(text: String) -> Self {
        Piece::Text(text.into())
    }
}

/// A page as the index will see it: its fields, what its text is made of, and a hash of both.
/// Its text is made only when its postings or its fragment must be made again.
struct Entry<'s> {
    doc: Arc<Doc>,
    pieces: Pieces<'s>,
    hash: u64,
    /// The place in its consortium's model of the announcement it is.
    announcement: Option<usize>,
}

/// What a page's text is made of.
enum Pieces<'s> {
    Made(Vec<Piece<'s>>),
    /// An announcement's pieces (`announcement_pieces`), made when asked for: one the last index
    /// had, unchanged, whose page and hash are taken from there.
    Of(&'s Announcement),
}

impl<'s> Entry<'s> {
    fn new(doc: Doc, pieces: Vec<Piece<'s>>) -> Entry<'s> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut feed = |text: &str| {
            h.update(text.as_bytes());
            h.update(&[0xff]);
        };
        feed(&doc.url);
        feed(&doc.title);
        if let Some((id, name)) = &doc.consortium {
            feed(id);
            feed(name);
        }
        feed(doc.kind.key());
        feed(doc.category.as_deref().unwrap_or("\0"));
        let day = doc
            .date
            .map_or(i32::MIN, |d| chrono::Datelike::num_days_from_ce(&d.0));
        feed(&day.to_string());
        feed(&doc.year.map(|y| y.to_string()).unwrap_or_default());
        for p in &pieces {
            match p {
                Piece::Text(t) => feed(t),
                Piece::Html(html) => feed(html.unwrap_or("\0")),
            }
        }
        Entry {
            hash: h.digest(),
            doc: Arc::new(doc),
            pieces: Pieces::Made(pieces),
            announcement: None,
        }
    }

    /// The page with its text: the fields that hold text, one space between them.
    fn made(&self, html: &'s Html) -> Doc {
        let of;
        let pieces = match &self.pieces {
            Pieces::Made(pieces) => pieces,
            Pieces::Of(a) => {
                of = announcement_pieces(a, html);
                &of
            }
        };
        let mut text = String::new();
        for p in pieces {
            let piece = match p {
                Piece::Text(t) => std::borrow::Cow::Borrowed(t.as_ref()),
                Piece::Html(body) => body.map(plain_text).unwrap_or_default().into(),
            };
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(piece);
        }
        Doc {
            text,
            ..(*self.doc).clone()
        }
    }
}

/// The site's own pages.
fn site_docs<'s>(site: &'s Site, html: &'s Html) -> Vec<Entry<'s>> {
    in_order(
        site.pages
            .iter()
            .map(|p| {
                let doc = Doc::page(Route::Page(&p.slug).url(), p.meta.title.clone());
                let pieces = vec![
                    p.meta.description.as_str().into(),
                    Piece::Html(html.get(&p.path)),
                ];
                Entry::new(doc, pieces)
            })
            .collect(),
    )
}

/// A page of consortium `c`, without its text.
fn doc_of(c: &Consortium, url: String, title: &str, kind: Kind) -> Doc {
    Doc {
        url,
        title: title.to_string(),
        consortium: Some((c.id.clone(), c.profile.short_name.clone())),
        kind,
        category: None,
        date: None,
        year: None,
        text: String::new(),
    }
}

/// The pages of one consortium: its home, members, programmes, announcements and free pages.
/// Those of its announcements that `before` had, unchanged, are taken from there.
fn consortium_docs<'s, 'f>(
    c: &'s Consortium,
    html: &'s Html,
    before: Option<&'f Part>,
    formers: &Formers<'f>,
) -> Vec<Entry<'s>> {
    let id = c.id.as_str();
    let doc = |url: String, title: &str, kind: Kind| doc_of(c, url, title, kind);
    let p = &c.profile;
    let mut out = vec![Entry::new(
        doc(Route::Consortium(id).url(), &p.name, Kind::Consortium),
        vec![
            p.short_name.as_str().into(),
            p.region.as_str().into(),
            p.description.as_str().into(),
            p.industries.join(" ").into(),
            id.into(),
        ],
    )];
    for m in &c.members.list {
        let pieces = vec![
            m.short_name.as_deref().unwrap_or("").into(),
            m.aliases.join(" ").into(),
            m.kind.label().into(),
            m.tags.join(" ").into(),
            m.description.as_str().into(),
            m.id.get_ref().as_str().into(),
            m.credit_code
                .as_ref()
                .map_or("", |c| c.get_ref().as_str())
                .into(),
        ];
        let mut d = doc(
            Route::Member(id, m.id.get_ref()).url(),
            &m.name,
            Kind::Member,
        );
        d.year = m.joined.as_ref().map(|j| j.get_ref().year());
        out.push(Entry::new(d, pieces));
    }
    for g in &c.programmes {
        let partners: Vec<&str> = g
            .meta
            .partners
            .get_ref()
            .iter()
            .filter_map(|p| c.member(p.get_ref()).map(|m| m.name.as_str()))
            .collect();
        // The prose first, where an excerpt reads best; the names and keys after.
        let pieces = vec![
            g.meta.summary.as_str().into(),
            Piece::Html(html.get(&g.path)),
            partners.join(" ").into(),
            g.meta.kind.label().into(),
            g.meta.status.label().into(),
            g.slug.as_str().into(),
        ];
        let mut d = doc(
            Route::Programme(id, &g.slug).url(),
            &g.meta.title,
            Kind::Programme,
        );
        d.year = Some(*g.meta.start_year.get_ref());
        out.push(Entry::new(d, pieces));
    }
    out.extend(announcement_docs(c, html, before, formers));
    for p in &c.pages {
        out.push(Entry::new(
            doc(
                Route::ConsortiumPage(id, &p.slug).url(),
                &p.meta.title,
                Kind::Page,
            ),
            vec![
                p.meta.description.as_str().into(),
                Piece::Html(html.get(&p.path)),
            ],
        ));
    }
    in_order(out)
}

/// The pages of a consortium's announcements, made on every core (thousands in a large
/// consortium). One that `before` had, unchanged, is taken from there, its text not made; the
/// render's `formers` tell which, when `before` was made from the model they hold (the last
/// render's, as it always is in a preview).
fn announcement_docs<'s, 'f>(
    c: &'s Consortium,
    html: &'s Html,
    before: Option<&'f Part>,
    formers: &Formers<'f>,
) -> Vec<Entry<'s>> {
    let id = c.id.as_str();
    let before = before.and_then(|b| {
        let then = b.then.as_ref()?;
        (then.model.profile.short_name == c.profile.short_name).then_some((b, then))
    });
    let unchanged = before
        .and_then(|(_, then)| formers.get(id).filter(|f| f.is_of(&then.model)))
        .map(|f| f.all(c, html));
    c.announcements
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let kept = before.zip(unchanged).and_then(|((b, then), unchanged)| {
                let was = (*unchanged.get(i)?)?;
                let k = *then.places.get(was)? as usize;
                Some((Arc::clone(b.docs.get(k)?), *b.hashes.get(k)?))
            });
            match kept {
                Some((doc, hash)) => Entry {
                    doc,
                    hash,
                    pieces: Pieces::Of(a),
                    announcement: Some(i),
                },
                None => {
                    let m = &a.meta;
                    let mut d = doc_of(
                        c,
                        Route::Announcement(id, &a.slug).url(),
                        &m.title,
                        Kind::Announcement,
                    );
                    d.category = Some(a.category().to_string());
                    d.date = Some(*m.date.get_ref());
                    d.year = Some(m.date.get_ref().year());
                    Entry {
                        announcement: Some(i),
                        ..Entry::new(d, announcement_pieces(a, html))
                    }
                }
            }
        })
        .collect()
}

/// What an announcement's searchable text is made of.
fn announcement_pieces<'s>(a: &'s Announcement, html: &'s Html) -> Vec<Piece<'s>> {
    let m = &a.meta;
    let tags: Vec<&str> = m.tags.iter().map(|t| t.get_ref().as_str()).collect();
    vec![
        m.summary.as_str().into(),
        m.doc_number
            .as_ref()
            .map_or("", |d| d.get_ref().as_str())
            .into(),
        m.issuer
            .as_ref()
            .map(|i| i.list().join(" "))
            .unwrap_or_default()
            .into(),
        tags.join(" ").into(),
        Piece::Html(html.get(&a.path)),
    ]
}

/// One value of a filter: what the index calls it and what the page shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Facet {
    pub value: String,
    pub label: String,
}

/// The filters of the search page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub consortia: Vec<Facet>,
    pub kinds: Vec<Facet>,
    pub categories: Vec<Facet>,
    pub years: Vec<Facet>,
}

/// Pages a run of postings covers: a preview makes again only the runs whose pages changed. A
/// whole number of fragments, so that a run's pages' text serves both and is dropped with it.
const RUN: usize = 25 * FRAGMENT;

/// A fragment file: a hash of its pages, its path under `search/`, its bytes.
/// A fragment file: a hash of its pages and its path. Its bytes are made only when its pages
/// change (`Part::of` gives them apart), and a preview's cache keeps them as the output it wrote.
type Fragment = (u64, String);

/// The pages of the site itself, or of one consortium, with their tokens and fragments: what a
/// preview keeps while the consortium does not change. Its postings and fragments are kept in
/// runs of pages, each with a hash of its pages: when the consortium changes, a run whose pages
/// are the same, in the same places, is taken as it was, so that a save of one page tokenises
/// and writes little more than that page.
#[derive(Debug)]
pub struct Part {
    /// The folder of its fragments under `f/`: `site`, or `c/<consortium>`.
    folder: String,
    /// Its pages, in order, without their text (the postings and fragments hold it).
    docs: Vec<Arc<Doc>>,
    /// Each page's hash, in the same order.
    hashes: Vec<u64>,
    /// A consortium's: what its pages were made from.
    then: Option<Then>,
    /// Each run of `RUN` pages: a hash of its pages, and token → its pages (numbered within the
    /// run: the index adds where the run starts), ascending, each `page × 2 + 1 if in the
    /// title`.
    runs: Vec<(u64, std::sync::Arc<Postings>)>,
    /// Each fragment, in order.
    fragments: Vec<Fragment>,
}

/// What a consortium's part was made from, in a preview: its model, and where each of its
/// announcements is among the part's pages, by place in the model. The render cache holds the
/// same model, so that keeping it here costs nothing.
struct Then {
    model: Arc<Consortium>,
    places: Vec<u32>,
}

impl std::fmt::Debug for Then {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Then")
            .field("model", &self.model.id)
            .field("places", &self.places.len())
            .finish_non_exhaustive()
    }
}

/// Fragment files made by `Part::of`, by path under `search/`, with their bytes.
type Fresh = Vec<(String, Vec<u8>)>;

/// A hash of the pages of a run or fragment: their own hashes, in order.
fn hash_of_run(entries: &[Entry<'_>]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for e in entries {
        h.update(&e.hash.to_le_bytes());
    }
    h.digest()
}

impl Part {
    /// The part of these pages, and the fragment files made for it; what `before` holds of the
    /// same pages in the same places is taken from it (its fragments are not made again).
    /// `from` is the model a consortium's pages are made from, kept for the next index.
    fn of<'s>(
        folder: String,
        entries: Vec<Entry<'s>>,
        before: Option<&Part>,
        html: &'s Html,
        from: Option<Arc<Consortium>>,
    ) -> (Part, Fresh) {
        type Made = (
            u64,
            std::sync::Arc<Postings>,
            Vec<(Fragment, Option<Vec<u8>>)>,
        );
        let made: Vec<Made> = entries
            .par_chunks(RUN)
            .enumerate()
            .map(|(run, chunk)| {
                // A page's text, made once for its run and its fragment, only when one of them
                // is made again, and dropped with the run.
                let texts: Vec<std::sync::OnceLock<Doc>> =
                    chunk.iter().map(|_| std::sync::OnceLock::new()).collect();
                let made = |i: usize| texts[i].get_or_init(|| chunk[i].made(html));
                let hash = hash_of_run(chunk);
                let postings = match before.and_then(|b| b.runs.get(run)) {
                    Some((h, kept)) if *h == hash => std::sync::Arc::clone(kept),
                    _ => std::sync::Arc::new(run_postings(chunk.len(), made)),
                };
                let fragments = chunk
                    .chunks(FRAGMENT)
                    .enumerate()
                    .map(|(k, pages)| {
                        let i = run * RUN / FRAGMENT + k;
                        let hash = hash_of_run(pages);
                        match before.and_then(|b| b.fragments.get(i)) {
                            Some((h, path)) if *h == hash => ((hash, path.clone()), None),
                            _ => {
                                let docs: Vec<&Doc> =
                                    (0..pages.len()).map(|j| made(k * FRAGMENT + j)).collect();
                                let bytes = fragment_json(&docs);
                                ((hash, format!("f/{folder}/{i}.json")), Some(bytes))
                            }
                        }
                    })
                    .collect();
                (hash, postings, fragments)
            })
            .collect();
        let mut runs = Vec::with_capacity(made.len());
        let mut fragments = Vec::new();
        let mut fresh = Vec::new();
        for (hash, postings, frags) in made {
            runs.push((hash, postings));
            for (fragment, bytes) in frags {
                if let Some(bytes) = bytes {
                    fresh.push((fragment.1.clone(), bytes));
                }
                fragments.push(fragment);
            }
        }
        let then = from.map(|model| {
            let mut places = vec![0; model.announcements.len()];
            for (k, e) in entries.iter().enumerate() {
                if let Some(place) = e.announcement.and_then(|i| places.get_mut(i)) {
                    *place = u32::try_from(k).unwrap_or(u32::MAX);
                }
            }
            Then { model, places }
        });
        let (docs, hashes) = entries.into_iter().map(|e| (e.doc, e.hash)).unzip();
        let part = Part {
            folder,
            docs,
            hashes,
            then,
            runs,
            fragments,
        };
        (part, fresh)
    }
}

/// The postings of a run of `pages` pages, each page's text given by `made`: token → its pages,
/// numbered within the run (the index adds where the run starts).
fn run_postings<'d>(pages: usize, made: impl Fn(usize) -> &'d Doc) -> Postings {
    let mut postings = Postings::default();
    for i in 0..pages {
        let page = u32::try_from(i).unwrap_or(u32::MAX) * 2;
        doc_tokens(made(i), |key, title| {
            let pages = postings.entry(key).or_default();
            match pages.last_mut() {
                // Seen on this page already: in the title if either is.
                Some(last) if *last / 2 == page / 2 => *last |= u32::from(title),
                _ => pages.push(page + u32::from(title)),
            }
        });
    }
    postings
}

/// The index: its files (`meta.json`, the shards, and each part's fragments), the filters, and
/// its parts.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// `meta.json` and the shards, by path under `search/`.
    head: Vec<(String, Vec<u8>)>,
    /// The fragment files made for this index (a part's others are the same as the last
    /// render's: `unchanged`).
    fresh: Fresh,
    /// In a preview, the joined postings, for the next index to splice.
    joined: Option<Joined>,
    /// The shards the same as the last index's, not made again (`unchanged`).
    same: Vec<String>,
    pub facets: Facets,
    /// By consortium id; the site's own pages under `""`.
    parts: BTreeMap<String, std::sync::Arc<Part>>,
    /// The names of its files once they are written and their bytes freed (`into_written`).
    written: Vec<String>,
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    fragment: usize,
    /// Each part's fragment folder and the number of its first page.
    parts: Vec<(&'a str, usize)>,
    /// Each page's kind, a digit a page (`Kind` order): results of equal weight are listed by it.
    kinds: String,
    facets: &'a Facets,
}

/// Calls `each` with every token of one page and whether it is in the title (the title's
/// first), filters included; a token may come more than once.
fn doc_tokens(d: &Doc, mut each: impl FnMut(Key, bool)) {
    each_token(&normalise(&d.title), true, |t| each(Key::of(t), true));
    each_token(&normalise(&d.text), true, |t| each(Key::of(t), false));
    if let Some((id, _)) = &d.consortium {
        each(Key::Word(format!("~c:{id}").into()), false);
    }
    each(Key::Word(format!("~t:{}", d.kind.key()).into()), false);
    if let Some(k) = &d.category {
        each(Key::Word(format!("~k:{k}").into()), false);
    }
    if let Some(y) = d.year {
        each(Key::Word(format!("~y:{y}").into()), false);
    }
}

fn facets<'d>(site: &Site, docs: impl Iterator<Item = &'d Doc> + Clone) -> Facets {
    let mut kinds: Vec<Kind> = docs.clone().map(|d| d.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut years: Vec<i32> = docs.clone().filter_map(|d| d.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let used: std::collections::BTreeSet<&str> =
        docs.filter_map(|d| d.category.as_deref()).collect();
    Facets {
        consortia: site
            .consortia
            .iter()
            .map(|c| Facet {
                value: c.id.clone(),
                label: c.profile.short_name.clone(),
            })
            .collect(),
        kinds: kinds
            .iter()
            .map(|k| Facet {
                value: k.key().to_string(),
                label: k.label().to_string(),
            })
            .collect(),
        categories: site
            .config
            .categories()
            .into_iter()
            .filter(|(name, _)| used.contains(name))
            .map(|(name, _)| Facet {
                value: name.to_string(),
                label: name.to_string(),
            })
            .collect(),
        years: years
            .iter()
            .map(|y| Facet {
                value: y.to_string(),
                label: format!("{y}年"),
            })
            .collect(),
    }
}

/// The search index of the site. A consortium that `kept` says has not changed since `previous`
/// was built takes its part from there. With `again` (a preview, which builds the next index
/// from this one), the joined postings are kept, so that the next index splices in only the runs
/// of pages that changed; a build drops each shard once written.
pub fn build<'f>(
    site: &Site,
    html: &Html,
    previous: Option<&'f SearchIndex>,
    kept: &(dyn Fn(&str) -> bool + Sync),
    again: bool,
    formers: &Formers<'f>,
) -> SearchIndex {
    let (own, mut fresh) = Part::of(
        "site".into(),
        site_docs(site, html),
        previous.and_then(|p| p.parts.get("")).map(|p| p.as_ref()),
        html,
        None,
    );
    let mut parts: Vec<(String, Arc<Part>)> = vec![(String::new(), Arc::new(own))];
    let consortia: Vec<(String, Arc<Part>, Fresh)> = site
        .consortia
        .par_iter()
        .map(|c| {
            let before = previous.and_then(|p| p.parts.get(&c.id));
            match before {
                Some(part) if kept(&c.id) => (c.id.clone(), Arc::clone(part), Vec::new()),
                _ => {
                    let before = before.map(|p| p.as_ref());
                    let from = again.then(|| Arc::clone(c));
                    let docs = consortium_docs(c, html, before, formers);
                    let (part, made) = Part::of(format!("c/{}", c.id), docs, before, html, from);
                    (c.id.clone(), Arc::new(part), made)
                }
            }
        })
        .collect();
    for (id, part, made) in consortia {
        parts.push((id, part));
        fresh.extend(made);
    }
    let joined = Joined::of(
        &parts,
        previous.and_then(|p| Some((p.joined.as_ref()?, &p.parts))),
    );
    let all_docs = parts
        .iter()
        .flat_map(|(_, p)| p.docs.iter().map(Arc::as_ref));
    let facets = facets(site, all_docs.clone());
    let meta = Meta {
        version: 1,
        docs: parts.iter().map(|(_, p)| p.docs.len()).sum(),
        shards: joined.shards.len(),
        fragment: FRAGMENT,
        parts: parts
            .iter()
            .scan(0, |at, (_, p)| {
                let start = *at;
                *at += p.docs.len();
                Some((p.folder.as_str(), start))
            })
            .collect(),
        kinds: all_docs.map(|d| char::from(b'0' + d.kind as u8)).collect(),
        facets: &facets,
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![("meta.json".into(), json(&meta))];
    // A shard the same as the last index's is not written again.
    let keep = again.then(|| joined.clone());
    let made: Vec<(String, Option<Vec<u8>>)> = joined
        .shards
        .into_par_iter()
        .zip(joined.same)
        .enumerate()
        .map(|(i, (tokens, same))| (format!("s/{i}.json"), (!same).then(|| shard_json(&tokens))))
        .collect();
    let mut same = Vec::new();
    for (name, bytes) in made {
        match bytes {
            Some(bytes) => files.push((name, bytes)),
            None => same.push(name),
        }
    }
    SearchIndex {
        head: files,
        fresh,
        joined: keep,
        same,
        facets,
        parts: parts.into_iter().collect(),
        written: Vec::new(),
    }
}

impl SearchIndex {
    /// The index once its files are written: its filters and the names of its files, without
    /// their bytes or its parts.
    pub fn into_written(self) -> SearchIndex {
        let written = self.files().map(|(name, _)| name.to_string()).collect();
        SearchIndex {
            facets: self.facets,
            written,
            ..SearchIndex::default()
        }
    }

    /// The index as a preview keeps it for the next render: its parts and filters, without the
    /// bytes of its files (the render cache holds what was written).
    pub fn kept(&self) -> SearchIndex {
        SearchIndex {
            facets: self.facets.clone(),
            parts: self.parts.clone(),
            joined: self.joined.clone(),
            ..SearchIndex::default()
        }
    }

    /// The names of the files `into_written` freed.
    pub fn written(&self) -> impl Iterator<Item = &str> {
        self.written.iter().map(String::as_str)
    }

    /// The files of the index made for it, by path under `search/`: `meta.json`, the shards,
    /// and the fragments whose pages changed (all of them without a previous index).
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.head
            .iter()
            .chain(&self.fresh)
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
    }

    /// The shards and fragment files whose bytes are the very ones the last render wrote.
    pub fn unchanged(&self) -> impl Iterator<Item = &str> {
        let fresh: std::collections::HashSet<&str> =
            self.fresh.iter().map(|(name, _)| name.as_str()).collect();
        self.same.iter().map(String::as_str).chain(
            self.parts
                .values()
                .flat_map(|p| p.fragments.iter())
                .map(|(_, name)| name.as_str())
                .filter(move |name| !fresh.contains(name)),
        )
    }
}

/// The JSON of `value`, at its own length: a preview keeps the index's files.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("serialising into memory cannot fail");
    bytes.shrink_to_fit();
    bytes
}

/// A page of a fragment: address, title, consortium, type, category, date, text (cut to `TEXT`
/// characters) and whether the text was cut.
type FragmentRow = (
    String,
    String,
    String,
    &'static str,
    String,
    String,
    String,
    bool,
);

/// A fragment: the pages `docs`, each a `FragmentRow`.
fn fragment_json(docs: &[&Doc]) -> Vec<u8> {
    let rows: Vec<FragmentRow> = docs
        .iter()
        .map(|d| {
            let text: String = d.text.chars().take(TEXT).collect();
            let cut = text.len() < d.text.len();
            (
                d.url.clone(),
                d.title.clone(),
                d.consortium
                    .as_ref()
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                d.kind.label(),
                d.category.clone().unwrap_or_default(),
                d.date.map(|x| x.iso()).unwrap_or_default(),
                text,
                cut,
            )
        })
        .collect();
    json(&rows)
}
