//! Free pages: the site's own (`content/pages/`) and a consortium's (`pages/`), Markdown with a
//! title and a description.

use serde::Serialize;

use crate::model::*;
use crate::site::routes::Route;

use super::planner::{Output, Planner};

#[derive(Debug, Serialize)]
pub struct FreePageView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub content: &'a str,
}

fn view<'a>(p: &Planner<'_, 'a>, page: &'a Page) -> FreePageView<'a> {
    FreePageView {
        title: &page.meta.title,
        description: &page.meta.description,
        content: p.html(&page.path),
    }
}

/// The site's free pages.
pub fn site_pages<'a>(p: &Planner<'_, 'a>) -> Vec<Output<'a>> {
    p.input
        .site
        .pages
        .iter()
        .map(|x| p.page(Route::Page(&x.slug), x.meta.title.clone(), None, view(p, x)))
        .collect()
}

/// A consortium's free pages.
pub fn consortium_pages<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Vec<Output<'a>> {
    let name = &c.profile.short_name;
    c.pages
        .iter()
        .map(|x| {
            let title = format!("{} · {name}", x.meta.title);
            p.page(
                Route::ConsortiumPage(&c.id, &x.slug),
                title,
                Some(c),
                view(p, x),
            )
        })
        .collect()
}
