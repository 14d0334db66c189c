//! The site's pages that are not content: the 404 page and `robots.txt`.

use serde::Serialize;

use crate::site::routes::Route;

use super::planner::{Output, Planner};

#[derive(Debug, Serialize)]
pub struct EmptyView {}

#[derive(Debug, Serialize)]
pub struct RobotsView {
    pub sitemap: String,
}

/// The page served at any missing address.
pub fn not_found<'a>(p: &Planner<'_, 'a>) -> Output<'a> {
    p.page(Route::NotFound, "页面未找到".into(), None, EmptyView {})
}

/// `robots.txt`, naming the sitemap.
pub fn robots<'a>(p: &Planner<'_, 'a>) -> Output<'a> {
    let view = RobotsView {
        sitemap: Route::Sitemap.absolute(p.input.base_url),
    };
    p.page(Route::Robots, String::new(), None, view)
}
