//! Routes: the one table that gives every output its path in the output folder and its URL, and
//! the relative link between any two of them. Pages, the sitemap, and later feeds, charts and data
//! files all take their addresses from here, so no path is spelt out twice.

/// Every kind of output the site has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route<'a> {
    Home,
    Page(&'a str),
    Consortium(&'a str),
    Members(&'a str),
    Member(&'a str, &'a str),
    Programmes(&'a str),
    Programme(&'a str, &'a str),
    Training(&'a str),
    Indicators(&'a str),
    /// One indicator of a consortium: its full series, definition and chart.
    Indicator(&'a str, &'a str),
    /// The SVG chart of one indicator, as a file.
    Chart(&'a str, &'a str),
    /// Open data of a consortium: `indicators.csv` or `indicators.json`.
    Data(&'a str, &'a str),
    /// Indicators side by side across consortia.
    Compare,
    CompareIndicator(&'a str),
    Announcements(&'a str),
    Announcement(&'a str, &'a str),
    NotFound,
    Sitemap,
    Robots,
    /// A file of the theme's `static/` folder, by its path inside that folder.
    Static(&'a str),
}

impl Route<'_> {
    /// The URL path relative to the site root: `consortia/x/members/` (a folder with
    /// `index.html`), `sitemap.xml`, or `""` for the home page.
    pub fn url(&self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Page(slug) => format!("{slug}/"),
            Route::Consortium(c) => format!("consortia/{c}/"),
            Route::Members(c) => format!("consortia/{c}/members/"),
            Route::Member(c, m) => format!("consortia/{c}/members/{m}/"),
            Route::Programmes(c) => format!("consortia/{c}/programmes/"),
            Route::Programme(c, p) => format!("consortia/{c}/programmes/{p}/"),
            Route::Training(c) => format!("consortia/{c}/training/"),
            Route::Indicators(c) => format!("consortia/{c}/indicators/"),
            Route::Indicator(c, k) => format!("consortia/{c}/indicators/{k}/"),
            Route::Chart(c, k) => format!("consortia/{c}/indicators/{k}/chart.svg"),
            Route::Data(c, f) => format!("consortia/{c}/data/{f}"),
            Route::Compare => "compare/".to_string(),
            Route::CompareIndicator(k) => format!("compare/{k}/"),
            Route::Announcements(c) => format!("consortia/{c}/announcements/"),
            Route::Announcement(c, a) => format!("consortia/{c}/announcements/{a}/"),
            Route::NotFound => "404.html".to_string(),
            Route::Sitemap => "sitemap.xml".to_string(),
            Route::Robots => "robots.txt".to_string(),
            Route::Static(p) => format!("static/{p}"),
        }
    }

    /// The file the output is written to, relative to the output folder.
    pub fn path(&self) -> String {
        let url = self.url();
        if url.is_empty() || url.ends_with('/') {
            format!("{url}index.html")
        } else {
            url
        }
    }

    /// The absolute URL under `base_url` (which ends in `/`).
    pub fn absolute(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.url())
    }

    /// Whether the output is an HTML page listed in the sitemap (every page but the 404).
    pub fn in_sitemap(&self) -> bool {
        self.path().ends_with("index.html")
    }
}

/// The relative prefix from an output file to the site root: `index.html` → `./`,
/// `a/b/index.html` → `../../`.
pub fn root_prefix(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The relative link from the page at `from` to the output at `to`.
pub fn link(from: &Route, to: &Route) -> String {
    let from_dirs: Vec<String> = {
        let p = from.path();
        let mut parts: Vec<String> = p.split('/').map(str::to_string).collect();
        parts.pop();
        parts
    };
    let to_url = to.url();
    let to_parts: Vec<&str> = to_url.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a.as_str() == **b)
        .count();
    // The last element of `to_parts` is the file name ("" for a folder URL), never a shared folder.
    let common = common.min(to_parts.len().saturating_sub(1));
    let up = "../".repeat(from_dirs.len() - common);
    let rest = to_parts[common..].join("/");
    let out = format!("{up}{rest}");
    if out.is_empty() {
        "./".to_string()
    } else {
        out
    }
}

/// The path part of an absolute base URL (`https://a.org/x/` → `/x/`).
pub fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string()),
        None => base_url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_urls_and_prefixes() {
        assert_eq!(Route::Home.path(), "index.html");
        assert_eq!(
            Route::Member("x", "y").path(),
            "consortia/x/members/y/index.html"
        );
        assert_eq!(Route::Member("x", "y").url(), "consortia/x/members/y/");
        assert_eq!(Route::NotFound.path(), "404.html");
        assert_eq!(
            Route::Sitemap.absolute("https://a.org/"),
            "https://a.org/sitemap.xml"
        );
        assert!(!Route::NotFound.in_sitemap());
        assert!(Route::Page("about").in_sitemap());
        assert_eq!(root_prefix("index.html"), "./");
        assert_eq!(root_prefix("about/index.html"), "../");
        assert_eq!(
            root_prefix("consortia/x/members/y/index.html"),
            "../../../../"
        );
        assert_eq!(base_path("https://a.org/x/"), "/x/");
        assert_eq!(base_path("https://a.org/"), "/");
        assert_eq!(base_path("/sub/"), "/sub/");
    }

    #[test]
    fn links_between_any_two_routes() {
        let m = Route::Member("x", "y");
        assert_eq!(link(&m, &Route::Members("x")), "../");
        assert_eq!(link(&m, &Route::Home), "../../../../");
        assert_eq!(link(&m, &Route::Programme("x", "p")), "../../programmes/p/");
        assert_eq!(link(&Route::Home, &Route::Consortium("x")), "consortia/x/");
        assert_eq!(link(&Route::Home, &Route::Home), "./");
        assert_eq!(link(&m, &m), "./");
        assert_eq!(link(&Route::Page("a"), &Route::Sitemap), "../sitemap.xml");
        assert_eq!(
            link(&Route::Consortium("x"), &Route::Consortium("xy")),
            "../xy/"
        );
        // Every link resolves to the target's URL from the source's folder.
        let all = [
            Route::Home,
            Route::Page("about"),
            Route::Consortium("a"),
            Route::Member("a", "m"),
            Route::Announcement("b", "n"),
            Route::Sitemap,
            Route::Static("style.css"),
        ];
        for from in &all {
            for to in &all {
                let l = link(from, to);
                let from_path = from.path();
                let mut dirs: Vec<&str> = from_path.split('/').collect();
                dirs.pop();
                for part in l.split('/') {
                    match part {
                        ".." => {
                            dirs.pop();
                        }
                        "." | "" => {}
                        p => dirs.push(p),
                    }
                }
                let mut resolved = dirs.join("/");
                if l.ends_with('/') && !resolved.is_empty() {
                    resolved.push('/');
                }
                assert_eq!(resolved, to.url(), "{from:?} → {to:?} via {l}");
            }
        }
    }
}
