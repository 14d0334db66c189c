//! The search page (搜索): the form with its filters, filled in by `static/search.js` from the
//! index (`crate::site::search`), and the files of the index. Without JavaScript the page links
//! to every consortium's announcements by year and by category instead.

use serde::Serialize;

use crate::model::*;
use crate::site::routes::{Filter, List, Route};
use crate::site::search::Facets;

use super::common::Link;
use super::planner::{Bytes, Output, Planner};

#[derive(Debug, Serialize)]
pub struct SearchView<'a> {
    pub facets: &'a Facets,
    /// The index's folder, from the site root.
    pub index: String,
    pub archives: Vec<Archive<'a>>,
}

/// A consortium's announcement archives, for readers without JavaScript.
#[derive(Debug, Serialize)]
pub struct Archive<'a> {
    pub name: &'a str,
    pub years: Vec<YearLink>,
    pub categories: Vec<Link<'a>>,
}

#[derive(Debug, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
}

fn archive<'a>(site: &'a Site, c: &'a Consortium) -> Archive<'a> {
    let id = c.id.as_str();
    let list = |filter| {
        Route::Announcements(
            List {
                consortium: Some(id),
                filter,
            },
            1,
        )
        .url()
    };
    let mut years: Vec<i32> = c
        .announcements
        .iter()
        .map(|a| a.meta.date.get_ref().year())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Archive {
        name: &c.profile.short_name,
        years: years
            .into_iter()
            .map(|year| YearLink {
                year,
                url: list(Filter::Year(year)),
            })
            .collect(),
        categories: site
            .config
            .categories()
            .into_iter()
            .filter(|(name, _)| c.announcements.iter().any(|a| a.category() == *name))
            .map(|(name, slug)| Link {
                title: name,
                url: list(Filter::Category(slug)),
            })
            .collect(),
    }
}

/// The search page and the index's files, when the site has search.
pub fn plan<'a>(p: &Planner<'_, 'a>) -> Vec<Output<'a>> {
    let Some(index) = p.input.search else {
        return Vec::new();
    };
    let site = p.input.site;
    let view = SearchView {
        facets: &index.facets,
        index: Route::SearchFile("").url(),
        archives: site
            .consortia
            .iter()
            .filter(|c| !c.announcements.is_empty())
            .map(|c| archive(site, c))
            .collect(),
    };
    let mut out = vec![p.page(Route::Search, "搜索".into(), None, view)];
    out.extend(index.files().map(|(name, bytes)| Output::File {
        route: Route::SearchFile(name),
        bytes: Bytes::Borrowed(bytes),
    }));
    out.extend(index.written().map(|name| Output::File {
        route: Route::SearchFile(name),
        bytes: Bytes::Written,
    }));
    out.extend(index.unchanged().map(|name| Output::File {
        route: Route::SearchFile(name),
        bytes: Bytes::Unchanged,
    }));
    out
}
