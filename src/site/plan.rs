//! The plan of outputs: every file the site will have, in a fixed order, each a page (a template
//! and its typed view) or a file of bytes. Orchestration only: the page families (`pages/`) make
//! the pages; this puts them in order, shares the announcement fragments every list shows, plans
//! each consortium's outputs in parallel (in the live preview, it keeps a consortium's when nothing
//! it shows changed, and an announcement's page and list item when the announcement did not) and
//! assembles the sitemap. Pure: the same input always gives the same plan, and a page's output
//! depends only on its template and its view.

use std::sync::Arc;

use rayon::prelude::*;

use crate::figures::ConsortiumFigures;
use crate::site::pages::common::{Entries, SiteView, LATEST};
use crate::site::pages::{
    announcements, assessment, compare, consortium, extras, free, governance, indicators,
    industry_map, lists, majors, members, milestones, portal, programmes, report, search, summary,
    training,
};
use crate::site::routes::Route;
use crate::site::sitemap;

pub use crate::site::pages::planner::{
    elder_route_url, Bytes, Fragment, Made, Output, PageContext, PlanInput, Planner, Sitemap,
    ELDER, ROOT_MARK,
};

/// What the templates render: site-wide values every page sees, the outputs, and the fragments
/// pages share.
pub struct Plan<'a> {
    /// Template globals (`site`), the same for every page.
    pub site: SiteView<'a>,
    pub outputs: Vec<Output<'a>>,
    pub fragments: Vec<Fragment<'a>>,
    /// The sitemap's entries, in parts.
    pub sitemap: Sitemap,
    /// In the live preview, what each consortium's announcement pages show besides their
    /// announcement, hashed (`Planner::context`), by id.
    pub contexts: std::collections::HashMap<String, u64>,
    /// In the live preview, each planned consortium's list pages, hashed (`ListKeys`).
    pub list_keys: std::collections::HashMap<String, super::pages::planner::ListKeys>,
}

/// Every output of the site, in a fixed order: the portal and the site's pages, each consortium's
/// outputs, the feeds, the comparisons, the 404 page, the sitemap and `robots.txt`.
pub fn plan<'a>(input: &PlanInput<'a>) -> Plan<'a> {
    let p = Planner::new(input);
    let mut out = vec![portal::plan(&p)];
    out.extend(free::site_pages(&p));
    // The pages before the consortia's, as the sitemap lists them.
    let head = entries_of(&out, input.base_url);
    let kept = kept_parts(input);
    let entries = announcement_entries(&p, &kept);
    let (fragments, first) = fragments_of(&p, &entries);
    let not_planned: Vec<bool> = kept.iter().map(Option::is_some).collect();
    // Each consortium not kept in parallel; the feeds meanwhile. All in order.
    let (made, feeds) = rayon::join(
        || {
            input
                .figures
                .consortia
                .par_iter()
                .enumerate()
                .map(|(ci, f)| {
                    let entries = entries[ci].as_ref()?;
                    Some(consortium_outputs(&p, f, entries, first[ci]))
                })
                .collect::<Vec<_>>()
        },
        || announcements::feeds(&p, &not_planned),
    );
    let parts = sitemap_parts(input, kept, made, &mut out);
    let tail = out.len();
    out.extend(feeds);
    out.extend(compare::plan(&p));
    out.extend(summary::plan(&p));
    out.extend(search::plan(&p));
    out.push(extras::not_found(&p));
    let sitemap = Sitemap {
        head,
        consortia: parts,
        tail: entries_of(&out[tail..], input.base_url),
    };
    out.push(sitemap_file(input, &sitemap));
    out.push(extras::robots(&p));
    Plan {
        site: SiteView::of(input.site),
        outputs: out,
        fragments,
        sitemap,
        contexts: p
            .contexts
            .iter()
            .map(|(id, h)| (id.to_string(), *h))
            .collect(),
        list_keys: p
            .list_keys
            .into_inner()
            .expect("no thread panics while holding this lock"),
    }
}

/// A consortium's outputs, made in two halves at once (a rebuild after one save makes a single
/// consortium's), in order.
fn consortium_outputs<'a>(
    p: &Planner<'_, 'a>,
    f: &ConsortiumFigures<'a>,
    entries: &Entries<'a>,
    first_fragment: usize,
) -> Vec<Output<'a>> {
    let c = f.consortium;
    let (mut out, rest) = rayon::join(
        || {
            let latest = entries.first(LATEST);
            let mut out = vec![consortium::plan(p, f, latest)];
            out.extend(members::plan(p, f));
            out.extend(programmes::plan(p, f));
            out.push(training::plan(p, f));
            out.extend(indicators::plan(p, f));
            out
        },
        || {
            let mut out = announcements::plan(p, f, entries, first_fragment);
            out.extend(lists::plan(p, c));
            out.extend(governance::plan(p, c));
            out.extend(industry_map::plan(p, c));
            out.extend(majors::plan(p, c));
            out.extend(milestones::plan(p, c));
            out.extend(free::consortium_pages(p, c));
            out.extend(assessment::plan(p, c));
            out.extend(report::plan(p, f, entries));
            out
        },
    );
    out.extend(rest);
    out
}

/// The sitemap entries of the last render of each consortium not planned (kept), by its index.
fn kept_parts(input: &PlanInput) -> Vec<Option<Arc<Vec<sitemap::Entry>>>> {
    input
        .site
        .consortia
        .iter()
        .map(|c| {
            if (input.kept)(&c.id) {
                part_before(input, &c.id).cloned()
            } else {
                None
            }
        })
        .collect()
}

/// A consortium's sitemap entries in the last render.
fn part_before<'a>(input: &PlanInput<'a>, id: &str) -> Option<&'a Arc<Vec<sitemap::Entry>>> {
    let before = input.before?;
    let i = before
        .consortia
        .binary_search_by(|(c, _)| c.as_str().cmp(id))
        .ok()?;
    Some(&before.consortia[i].1)
}

/// Each announcement of each consortium planned, as lists show it, made when first asked for and
/// shared by every list; in the live preview, with which announcements are what the last render
/// made their page and list item from (found in parallel).
fn announcement_entries<'a>(
    p: &Planner<'_, 'a>,
    kept: &[Option<Arc<Vec<sitemap::Entry>>>],
) -> Vec<Option<Entries<'a>>> {
    let input = p.input;
    input
        .site
        .consortia
        .iter()
        .zip(kept)
        .map(|(c, kept)| {
            if kept.is_some() {
                return None;
            }
            let unchanged = match p.previous(c) {
                Some(was) => was.unchanged(c, input.html).to_vec(),
                None => vec![None; c.announcements.len()],
            };
            Some(Entries::of(c, input.site.config.categories(), unchanged))
        })
        .collect()
}

/// Every announcement is one fragment; a consortium's are consecutive, from the index given for
/// it. The fragment of an announcement that did not change is the last render's.
fn fragments_of<'a>(
    p: &Planner<'_, 'a>,
    entries: &[Option<Entries<'a>>],
) -> (Vec<Fragment<'a>>, Vec<usize>) {
    let mut fragments: Vec<Fragment<'a>> = Vec::new();
    let mut first: Vec<usize> = Vec::new();
    for (list, c) in entries.iter().zip(&p.input.site.consortia) {
        first.push(fragments.len());
        let Some(list) = list else { continue };
        let previous = p.previous(c);
        let made: Vec<Fragment<'a>> = (0..c.announcements.len())
            .into_par_iter()
            .map(|i| {
                let kept = list.unchanged[i].and_then(|was| previous?.item(was));
                Fragment {
                    owner: c.id.as_str(),
                    template: "announcement-item.html",
                    made: match kept {
                        Some((hash, html)) => Made::Kept { hash, html },
                        None => Made::View(list.get(i).clone()),
                    },
                }
            })
            .collect();
        fragments.extend(made);
    }
    (fragments, first)
}

/// Each consortium's sitemap entries, kept or made; the outputs made join `out`.
fn sitemap_parts<'a>(
    input: &PlanInput<'a>,
    kept: Vec<Option<Arc<Vec<sitemap::Entry>>>>,
    made: Vec<Option<Vec<Output<'a>>>>,
    out: &mut Vec<Output<'a>>,
) -> Vec<(String, Arc<Vec<sitemap::Entry>>)> {
    let mut parts = Vec::new();
    for ((f, kept), made) in input.figures.consortia.iter().zip(kept).zip(made) {
        let id = &f.consortium.id;
        let part = match kept {
            Some(kept) => kept,
            None => {
                let made = made.unwrap_or_default();
                // Entries equal to the last render's are the same part, so an unchanged sitemap
                // is seen without comparing it whole.
                let entries = entries_of(&made, input.base_url);
                out.extend(made);
                match part_before(input, id) {
                    Some(before) if **before == entries => Arc::clone(before),
                    _ => Arc::new(entries),
                }
            }
        };
        parts.push((id.clone(), part));
    }
    parts
}

/// `sitemap.xml`, or the bytes of the last render when its entries did not change.
fn sitemap_file<'a>(input: &PlanInput<'a>, sitemap: &Sitemap) -> Output<'a> {
    let bytes = if input.before.is_some_and(|b| sitemap.same_as(b)) {
        Bytes::Unchanged
    } else {
        let urls = sitemap
            .head
            .iter()
            .chain(sitemap.consortia.iter().flat_map(|(_, p)| p.iter()))
            .chain(&sitemap.tail);
        Bytes::Owned(sitemap::xml(urls))
    };
    Output::File {
        route: Route::Sitemap,
        bytes,
    }
}

/// What the sitemap lists of these outputs: every page but the 404, with absolute URLs, and when
/// dated pages changed.
fn entries_of(outputs: &[Output], base_url: &str) -> Vec<sitemap::Entry> {
    outputs
        .iter()
        .filter(|o| o.route().in_sitemap())
        .map(|o| sitemap::Entry {
            loc: o.route().absolute(base_url),
            lastmod: match o {
                Output::Page {
                    lastmod: Some(d), ..
                }
                | Output::Kept {
                    lastmod: Some(d), ..
                } => Some(d.iso()),
                _ => None,
            },
        })
        .collect()
}
