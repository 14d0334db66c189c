//! Announcements (成果公告 and the other categories): each announcement's page with its
//! attachments, the lists (all, by category, by year, by tag) cut into pages, and the Atom feeds
//! of the lists, a consortium's and the site's.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::figures::ConsortiumFigures;
use crate::format;
use crate::model::*;
use crate::site::routes::{Filter, List, Route};

use super::common::*;
use super::planner::{Bytes, ListKeys, Output, Planner};
use crate::site::feeds::{FeedSpec, Item};

/// Page numbers and the links between the pages of a list.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The pages to link: the first, the last, and two either side of the current one; `gap`
    /// marks a skipped run before the item.
    pub items: Vec<PagerItem>,
}

#[derive(Debug, Serialize)]
pub struct PagerItem {
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}

impl Pager {
    pub fn of(list: List<'_>, current: usize, total: usize) -> Pager {
        let url = |n: usize| Route::Announcements(list, n).url();
        let mut items = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(current) <= 2 {
                items.push(PagerItem {
                    number: n,
                    url: url(n),
                    current: n == current,
                    gap: n > last_shown + 1,
                });
                last_shown = n;
            }
        }
        Pager {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            items,
        }
    }
}

/// One page of an announcement list. Its announcements come as `items`: each rendered once by
/// `announcement-item.html` and shared by every list that shows it (see `plan::Fragment`).
#[derive(Debug, Serialize)]
pub struct AnnouncementsView {
    /// What the list holds: 全部公告, a category's name, 2024年, 标签：…
    pub heading: String,
    /// `all`, `category`, `year` or `tag`.
    pub filter: &'static str,
    pub total: usize,
    /// 全部 and every category with announcements, with counts.
    pub categories: Vec<FilterLink>,
    /// Every year with announcements, newest first, with counts.
    pub years: Vec<FilterLink>,
    pub pager: Pager,
    /// The list's Atom feed (the consortium's, or its category's).
    pub feed: Option<String>,
}

/// An announcement's own page: its entry, the metadata of an official document, its body and
/// its attachments.
#[derive(Debug, Serialize)]
pub struct AnnouncementView<'a> {
    pub a: std::sync::Arc<AnnouncementEntry<'a>>,
    /// 发文机关, one or more.
    pub issuers: Vec<&'a str>,
    /// 成文日期.
    pub written: Option<DateView>,
    pub updated: Option<DateView>,
    /// Whether to show the metadata block of an official document (发文机关, 发文字号, 成文日期).
    pub document: bool,
    pub attachments: Vec<AttachmentView<'a>>,
    pub content: &'a str,
    pub feed: String,
}

#[derive(Debug, Serialize)]
pub struct AttachmentView<'a> {
    pub no: usize,
    pub title: &'a str,
    pub name: &'a str,
    /// Relative to the site root, with `assets` (one copy serves both versions of the page).
    pub url: String,
    /// `PDF`, `DOCX` … from the file name.
    pub kind: String,
    pub size: String,
    /// A text attachment's HTML, printed after the announcement; its heading ids and the links
    /// to them are prefixed with `anchor`, so that they do not clash with the body's.
    pub html: Option<String>,
    /// The id of a text attachment's section (`attachment-1`).
    pub anchor: String,
}

/// A text attachment's HTML with every id, and every link to one on the page, prefixed.
fn prefixed_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}-"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}-"))
}

pub fn announcement_view<'a>(
    c: &'a Consortium,
    a: &'a Announcement,
    entry: std::sync::Arc<AnnouncementEntry<'a>>,
    content: &'a str,
    html: impl Fn(&str) -> &'a str,
) -> AnnouncementView<'a> {
    let m = &a.meta;
    AnnouncementView {
        a: entry,
        issuers: m.issuer.as_ref().map(Issuers::list).unwrap_or_default(),
        written: m.written.as_ref().map(|d| DateView::of(d.get_ref())),
        updated: m
            .updated
            .as_ref()
            .filter(|u| u.get_ref() != m.date.get_ref())
            .map(|d| DateView::of(d.get_ref())),
        document: m.doc_number.is_some() || m.issuer.is_some() || m.written.is_some(),
        attachments: a
            .attachments
            .iter()
            .map(|f| {
                let anchor = format!("attachment-{}", f.no);
                AttachmentView {
                    no: f.no,
                    title: &f.title,
                    name: &f.name,
                    url: Route::Attachment(&c.id, &a.slug, &f.name).url(),
                    kind: f
                        .name
                        .rsplit_once('.')
                        .map_or(String::new(), |(_, ext)| ext.to_ascii_uppercase()),
                    size: format::file_size(f.bytes.len() as u64),
                    html: f
                        .text
                        .as_ref()
                        .map(|t| prefixed_ids(html(&t.path), &anchor)),
                    anchor,
                }
            })
            .collect(),
        content,
        feed: Route::Feed(list_of(c, Filter::All)).url(),
    }
}

/// A consortium's announcement pages: each announcement with its attachments, and the lists (all,
/// by category, by year, by tag), each cut into pages of `page_size`. The announcements are the
/// fragments from `first_fragment` on, in the consortium's order.
pub fn plan<'a>(
    p: &Planner<'_, 'a>,
    f: &ConsortiumFigures<'a>,
    entries: &Entries<'a>,
    first_fragment: usize,
) -> Vec<Output<'a>> {
    let c = f.consortium;
    let mut out = announcement_pages(p, c, entries);
    let lists = Lists::of(c, &p.input.site.config.categories());
    let size = (*p.input.site.config.announcements.page_size.get_ref()).max(1);
    // Every page of every list, made in parallel, kept in order.
    let pages: Vec<(&Listed<'a>, usize)> = lists
        .lists
        .iter()
        .flat_map(|l| (1..=l.2.len().div_ceil(size).max(1)).map(move |n| (l, n)))
        .collect();
    let previous = p.previous(c);
    let links = links_hash(&lists, size);
    let made: Vec<(Output<'a>, Option<(String, u64)>)> = pages
        .par_iter()
        .map(|&(listed, n)| {
            if p.input.previous.is_none() {
                return (
                    list_page(p, c, &lists, listed, (n, size), first_fragment),
                    None,
                );
            }
            // In the live preview, a page that shows what it showed in the last render, the
            // same announcements (unchanged, in the same order) under the same list values, is
            // that render's.
            let chunk =
                &listed.2[((n - 1) * size).min(listed.2.len())..(n * size).min(listed.2.len())];
            let route = Route::Announcements(list_of(c, listed.0), n);
            let url = route.url();
            let key = |place: &dyn Fn(usize) -> Option<usize>| {
                list_key(links, listed, &url, chunk.iter().map(|&i| place(i)))
            };
            let then = previous.and_then(|was| was.list_key(&url));
            let kept = then.is_some_and(|then| key(&|i| entries.unchanged[i]) == Some(then));
            let o = match kept {
                true => p.kept(route, (n == 1).then(|| last_change(c, chunk)).flatten()),
                false => list_page(p, c, &lists, listed, (n, size), first_fragment),
            };
            (o, key(&|i| Some(i)).map(|k| (url, k)))
        })
        .collect();
    let mut keys = ListKeys::with_capacity(made.len());
    for (o, key) in made {
        out.push(o);
        keys.extend(key);
    }
    if p.input.previous.is_some() {
        p.list_keys
            .lock()
            .expect("no thread panics while holding this lock")
            .insert(c.id.clone(), keys);
    }
    out
}

/// A hash of what every list page of a consortium shows besides its own list and announcements:
/// the links to the lists (labels, URLs and counts) and the page size.
fn links_hash(lists: &Lists, size: usize) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for l in lists.category_links.iter().chain(&lists.year_links) {
        for part in [l.label.as_bytes(), l.url.as_bytes(), b"\0"] {
            h.update(part);
        }
        h.update(&(l.count as u64).to_le_bytes());
    }
    h.update(&(size as u64).to_le_bytes());
    h.digest()
}

/// A hash of the page at `url` of `listed`: its list's heading and length, and its
/// announcements, each by its place in a model (`None` when one has none there, and the page
/// no hash).
fn list_key(
    links: u64,
    (_, heading, idx): &Listed,
    url: &str,
    places: impl Iterator<Item = Option<usize>>,
) -> Option<u64> {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(links);
    for part in [url.as_bytes(), b"\0", heading.as_bytes(), b"\0"] {
        h.update(part);
    }
    h.update(&(idx.len() as u64).to_le_bytes());
    for place in places {
        h.update(&(place? as u64).to_le_bytes());
    }
    Some(h.digest())
}

/// When the newest of these announcements last changed.
fn last_change(c: &Consortium, chunk: &[usize]) -> Option<Date> {
    chunk.iter().map(|&i| c.announcements[i].updated()).max()
}

/// Each announcement's page and attachments, made in parallel, kept in order. In the live
/// preview, those of an announcement that is what it was, with the same HTML, are the last
/// render's (`Output::Kept`): a save in a consortium of thousands of announcements plans the
/// pages of the ones that changed.
fn announcement_pages<'a>(
    p: &Planner<'_, 'a>,
    c: &'a Consortium,
    entries: &Entries<'a>,
) -> Vec<Output<'a>> {
    let id = c.id.as_str();
    let pages: Vec<Vec<Output<'a>>> = c
        .announcements
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let files = a.attachments.iter().filter(|f| f.text.is_none());
            if entries.unchanged[i].is_some() {
                let mut outs = vec![p.kept(Route::Announcement(id, &a.slug), Some(a.updated()))];
                outs.extend(
                    files.map(|file| p.kept(Route::Attachment(id, &a.slug, &file.name), None)),
                );
                return outs;
            }
            let mut outs = vec![page(p, c, a, entries.get(i))];
            outs.extend(files.map(|file| Output::File {
                route: Route::Attachment(id, &a.slug, &file.name),
                bytes: Bytes::Borrowed(&file.bytes),
            }));
            outs
        })
        .collect();
    pages.into_iter().flatten().collect()
}

/// An announcement's page. What it shows besides the announcement and its HTML is hashed by
/// `Planner::context`: a field taken from elsewhere must join that hash.
fn page<'a>(
    p: &Planner<'_, 'a>,
    c: &'a Consortium,
    a: &'a Announcement,
    entry: &Arc<AnnouncementEntry<'a>>,
) -> Output<'a> {
    let name = &c.profile.short_name;
    let mut o = p.page(
        Route::Announcement(&c.id, &a.slug),
        format!("{} · {name}", a.meta.title),
        Some(c),
        announcement_view(c, a, entry.clone(), p.html(&a.path), |path| p.html(path)),
    );
    if let Output::Page { lastmod, .. } = &mut o {
        *lastmod = Some(a.updated());
    }
    o
}

/// A list of announcements: its filter, its heading and the announcements it holds, by index,
/// newest first like the consortium's.
type Listed<'a> = (Filter<'a>, String, Vec<usize>);

/// Every list of a consortium's announcements, with the links to them that list pages show.
struct Lists<'a> {
    lists: Vec<Listed<'a>>,
    category_links: Vec<FilterLink>,
    year_links: Vec<FilterLink>,
}

impl<'a> Lists<'a> {
    fn of(c: &'a Consortium, categories: &[(&'a str, &'a str)]) -> Lists<'a> {
        let n = c.announcements.len();
        let mut lists: Vec<Listed<'a>> =
            vec![(Filter::All, "全部公告".to_string(), (0..n).collect())];
        for (cat, slug) in categories {
            let idx: Vec<usize> = (0..n)
                .filter(|&i| c.announcements[i].category() == *cat)
                .collect();
            if !idx.is_empty() {
                lists.push((Filter::Category(slug), cat.to_string(), idx));
            }
        }
        let mut years: BTreeMap<std::cmp::Reverse<i32>, Vec<usize>> = BTreeMap::new();
        let mut tags: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (i, a) in c.announcements.iter().enumerate() {
            years
                .entry(std::cmp::Reverse(a.meta.date.get_ref().year()))
                .or_default()
                .push(i);
            for t in &a.meta.tags {
                let list = tags.entry(t.get_ref().as_str()).or_default();
                // A tag given twice is warned about; it lists the announcement once.
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let link = |filter: Filter<'a>, label: String, count: usize| FilterLink {
            label,
            url: Route::Announcements(list_of(c, filter), 1).url(),
            count,
            current: false,
        };
        let category_links = lists
            .iter()
            .map(|(filter, label, idx)| {
                let label = if *filter == Filter::All {
                    "全部".to_string()
                } else {
                    label.clone()
                };
                link(*filter, label, idx.len())
            })
            .collect();
        let year_links = years
            .iter()
            .map(|(y, idx)| link(Filter::Year(y.0), format!("{}年", y.0), idx.len()))
            .collect();
        lists.extend(
            years
                .into_iter()
                .map(|(y, idx)| (Filter::Year(y.0), format!("{}年公告", y.0), idx)),
        );
        lists.extend(
            tags.into_iter()
                .map(|(t, idx)| (Filter::Tag(t), format!("标签：{t}"), idx)),
        );
        Lists {
            lists,
            category_links,
            year_links,
        }
    }
}

/// `links`, the one to `url` marked as the current list.
fn mark(links: &[FilterLink], url: &str) -> Vec<FilterLink> {
    links
        .iter()
        .map(|l| FilterLink {
            current: l.url == url,
            ..l.clone()
        })
        .collect()
}

/// Page `n` of a list, with `size` announcements a page.
fn list_page<'a>(
    p: &Planner<'_, 'a>,
    c: &'a Consortium,
    lists: &Lists<'a>,
    (filter, heading, idx): &Listed<'a>,
    (n, size): (usize, usize),
    first_fragment: usize,
) -> Output<'a> {
    let name = &c.profile.short_name;
    let list = list_of(c, *filter);
    let total_pages = idx.len().div_ceil(size).max(1);
    let first_url = Route::Announcements(list, 1).url();
    let title = match (filter, n) {
        (Filter::All, 1) => format!("公告 · {name}"),
        (Filter::All, n) => format!("公告 · 第{n}页 · {name}"),
        (_, 1) => format!("{heading} · 公告 · {name}"),
        (_, n) => format!("{heading} · 公告 · 第{n}页 · {name}"),
    };
    let view = AnnouncementsView {
        heading: heading.clone(),
        filter: match filter {
            Filter::All => "all",
            Filter::Category(_) => "category",
            Filter::Year(_) => "year",
            Filter::Tag(_) => "tag",
        },
        total: idx.len(),
        categories: mark(&lists.category_links, &first_url),
        years: mark(&lists.year_links, &first_url),
        pager: Pager::of(list, n, total_pages),
        feed: matches!(filter, Filter::All | Filter::Category(_)).then(|| Route::Feed(list).url()),
    };
    let mut o = p.page(Route::Announcements(list, n), title, Some(c), view);
    if let Output::Page { items, lastmod, .. } = &mut o {
        let chunk = &idx[((n - 1) * size).min(idx.len())..(n * size).min(idx.len())];
        *items = chunk.iter().map(|&i| first_fragment + i).collect();
        // The first page changes when any announcement it shows does.
        if n == 1 {
            *lastmod = last_change(c, chunk);
        }
    }
    o
}

/// The Atom feeds: per consortium and per category of it, and for the whole site and per
/// category of it. A list with no announcements has no feed. `kept` tells the consortia not
/// planned, by their index in the site.
pub fn feeds<'a>(p: &Planner<'_, 'a>, kept: &[bool]) -> Vec<Output<'a>> {
    let site = p.input.site;
    let mut out = Vec::new();
    for (c, kept) in site.consortia.iter().zip(kept) {
        if !*kept {
            out.extend(consortium_feeds(p, c));
        }
    }
    out.extend(site_feeds(p));
    out
}

/// A feed's output: its title, the list it is of and the page it stands for, with its items.
fn feed<'a>(
    p: &Planner<'_, 'a>,
    title: String,
    list: List<'a>,
    page: Route<'a>,
    items: Vec<Item<'a>>,
) -> Output<'a> {
    let spec = FeedSpec {
        title,
        route: Route::Feed(list),
        page,
        author: &p.input.site.config.title,
        base_url: p.input.base_url,
    };
    Output::File {
        route: spec.route,
        bytes: Bytes::Feed(Box::new((spec, items))),
    }
}

/// An announcement as a feed shows it.
fn item<'a>(p: &Planner<'_, 'a>, c: &'a Consortium, a: &'a Announcement) -> Item<'a> {
    Item {
        consortium: c,
        announcement: a,
        html: p.html(&a.path),
    }
}

/// A consortium's feed and the feeds of its categories.
fn consortium_feeds<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Vec<Output<'a>> {
    let config = &p.input.site.config;
    let size = (*config.announcements.feed_size.get_ref()).max(1);
    let name = &c.profile.name;
    let mut out = Vec::new();
    let all = list_of(c, Filter::All);
    if !c.announcements.is_empty() {
        let items = c.announcements.iter().take(size).map(|a| item(p, c, a));
        let page = Route::Announcements(all, 1);
        out.push(feed(
            p,
            format!("{name} · 公告"),
            all,
            page,
            items.collect(),
        ));
    }
    for (cat, slug) in &config.categories() {
        let items: Vec<Item> = c
            .announcements
            .iter()
            .filter(|a| a.category() == *cat)
            .take(size)
            .map(|a| item(p, c, a))
            .collect();
        if items.is_empty() {
            continue;
        }
        let list = list_of(c, Filter::Category(slug));
        let page = Route::Announcements(list, 1);
        out.push(feed(p, format!("{name} · {cat}"), list, page, items));
    }
    out
}

/// The whole site's feed and the feeds of its categories: every consortium's announcements
/// merged, newest first, as far as a feed goes.
fn site_feeds<'a>(p: &Planner<'_, 'a>) -> Vec<Output<'a>> {
    let site = p.input.site;
    let categories = site.config.categories();
    let filters = std::iter::once((Filter::All, "公告")).chain(
        categories
            .iter()
            .map(|(cat, slug)| (Filter::Category(slug), *cat)),
    );
    let mut out = Vec::new();
    for (filter, label) in filters {
        let category = matches!(filter, Filter::Category(_)).then_some(label);
        let items: Vec<Item> = newest(site, category)
            .into_iter()
            .map(|(c, a)| item(p, c, a))
            .collect();
        if items.is_empty() {
            continue;
        }
        let list = List {
            consortium: None,
            filter,
        };
        let title = format!("{} · {label}", site.config.title);
        out.push(feed(p, title, list, Route::Home, items));
    }
    out
}

/// The site's newest announcements (of `category`, or all), as many as a feed holds: each
/// consortium's are newest first already, so their next ones are merged.
fn newest<'a>(site: &'a Site, category: Option<&str>) -> Vec<(&'a Consortium, &'a Announcement)> {
    let size = (*site.config.announcements.feed_size.get_ref()).max(1);
    let before = |c1: &Consortium, a1: &Announcement, c2: &Consortium, a2: &Announcement| {
        a2.meta
            .date
            .get_ref()
            .cmp(a1.meta.date.get_ref())
            .then(c1.id.cmp(&c2.id))
            .then(a1.slug.cmp(&a2.slug))
    };
    let mut lists: Vec<_> = site
        .consortia
        .iter()
        .map(|c| {
            let c: &'a Consortium = c;
            c.announcements
                .iter()
                .filter(move |a| category.is_none_or(|cat| a.category() == cat))
                .map(move |a| (c, a))
                .peekable()
        })
        .collect();
    let mut out = Vec::with_capacity(size);
    while out.len() < size {
        // The newest of the consortia's next announcements.
        let mut best: Option<(usize, &'a Consortium, &'a Announcement)> = None;
        for (i, list) in lists.iter_mut().enumerate() {
            let Some(&(c, a)) = list.peek() else {
                continue;
            };
            if best.is_none_or(|(_, bc, ba)| before(c, a, bc, ba).is_lt()) {
                best = Some((i, c, a));
            }
        }
        let Some((i, _, _)) = best else {
            break;
        };
        out.extend(lists[i].next());
    }
    out
}
