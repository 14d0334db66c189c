//! Routes: the one table that gives every output its path in the output folder and its URL, a
//! page's template and navigation section and whether it has a large-type twin, and the relative
//! link between any two outputs. Pages, the sitemap, feeds, charts and data files all take their
//! addresses from here, so no path or template is spelt out twice.

/// Joins the parts (each a `&str` or a `String`) into one `String`: routes are made by the
/// hundred thousand in a large site, and `format!` costs several times as much.
macro_rules! cat {
    ($($part:expr),+ $(,)?) => {{
        let mut joined = String::with_capacity(64);
        $(joined.push_str(&$part);)+
        joined
    }};
}

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
    /// One indicator's values as CSV, beside its chart.
    IndicatorData(&'a str, &'a str),
    /// Open data of a consortium: `indicators.csv` or `indicators.json`.
    Data(&'a str, &'a str),
    /// The annual report of a consortium and year, and the recommendation form of that year.
    Report(&'a str, i32),
    ReportForm(&'a str, i32),
    /// The form as a Word file, beside its page.
    FormDocx(&'a str, i32),
    /// The scorecard of a consortium's self-assessment.
    Assessment(&'a str),
    /// A framework's checklist of a consortium.
    Checklist(&'a str, &'a str),
    /// The 推荐名单汇总表 of a framework with a form: the consortia of the site that report
    /// under it, by 推荐市州; and the same as a workbook.
    Summary(&'a str),
    SummaryFile(&'a str),
    /// One demand list of a consortium in one year: `products`, `technology` or `talent`.
    DemandList(&'a str, &'a str, i32),
    /// The register of a consortium's rules and its policy package.
    Governance(&'a str),
    /// The industry–education matching map of a consortium.
    IndustryMap(&'a str),
    /// The lists of majors of a consortium.
    Majors(&'a str),
    /// The milestones of a consortium on a timeline.
    Milestones(&'a str),
    /// A free page of a consortium.
    ConsortiumPage(&'a str, &'a str),
    /// The search page, and a file of the search index (`meta.json`, `s/3.json` …).
    Search,
    SearchFile(&'a str),
    /// Indicators side by side across consortia.
    Compare,
    CompareIndicator(&'a str),
    /// One page (1-based) of an announcement list.
    Announcements(List<'a>, usize),
    Announcement(&'a str, &'a str),
    /// A file an announcement ships: consortium, announcement, file name.
    Attachment(&'a str, &'a str, &'a str),
    /// The Atom feed of an announcement list.
    Feed(List<'a>),
    NotFound,
    Sitemap,
    Robots,
    /// A file of the theme's `static/` folder, by its path inside that folder.
    Static(&'a str),
}

/// An announcement list: all of a consortium's announcements or of the whole site, or those of
/// one category, year or tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct List<'a> {
    /// `None`: the whole site.
    pub consortium: Option<&'a str>,
    pub filter: Filter<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Filter<'a> {
    All,
    /// By the category's URL segment.
    Category(&'a str),
    Year(i32),
    Tag(&'a str),
}

impl List<'_> {
    /// The list's folder, relative to the site root.
    fn folder(&self) -> String {
        let base = match self.consortium {
            Some(c) => cat!("consortia/", c, "/announcements/"),
            None => "announcements/".to_string(),
        };
        match self.filter {
            Filter::All => base,
            Filter::Category(slug) => cat!(base, "category/", slug, "/"),
            Filter::Year(y) => cat!(base, "archive/", itoa::Buffer::new().format(y), "/"),
            Filter::Tag(t) => cat!(base, "tags/", t, "/"),
        }
    }
}

/// What a URL path percent-encodes: controls, space, non-ASCII and the characters a path segment
/// may not hold as they are.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

impl Route<'_> {
    /// The URL path relative to the site root, percent-encoded: `consortia/x/members/` (a folder
    /// with `index.html`), `sitemap.xml`, or `""` for the home page.
    pub fn url(&self) -> String {
        let raw = self.raw_url();
        // Most paths need no escape: then the raw one is the URL, without a copy.
        match std::borrow::Cow::from(percent_encoding::utf8_percent_encode(&raw, PATH)) {
            std::borrow::Cow::Owned(encoded) => encoded,
            std::borrow::Cow::Borrowed(_) => raw,
        }
    }

    /// The URL path as the characters it names (a tag's page keeps its Chinese name).
    fn raw_url(&self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Page(slug) => cat!(slug, "/"),
            Route::Consortium(c) => cat!("consortia/", c, "/"),
            Route::Members(c) => cat!("consortia/", c, "/members/"),
            Route::Member(c, m) => cat!("consortia/", c, "/members/", m, "/"),
            Route::Programmes(c) => cat!("consortia/", c, "/programmes/"),
            Route::Programme(c, p) => cat!("consortia/", c, "/programmes/", p, "/"),
            Route::Training(c) => cat!("consortia/", c, "/training/"),
            Route::Indicators(c) => cat!("consortia/", c, "/indicators/"),
            Route::Indicator(c, k) => cat!("consortia/", c, "/indicators/", k, "/"),
            Route::Chart(c, k) => cat!("consortia/", c, "/indicators/", k, "/chart.svg"),
            Route::IndicatorData(c, k) => cat!("consortia/", c, "/indicators/", k, "/data.csv"),
            Route::Data(c, f) => cat!("consortia/", c, "/data/", f),
            Route::Report(c, y) => cat!(
                "consortia/",
                c,
                "/report/",
                itoa::Buffer::new().format(*y),
                "/"
            ),
            Route::ReportForm(c, y) => cat!(
                "consortia/",
                c,
                "/report/",
                itoa::Buffer::new().format(*y),
                "/form/"
            ),
            Route::FormDocx(c, y) => cat!(
                "consortia/",
                c,
                "/report/",
                itoa::Buffer::new().format(*y),
                "/form/form.docx"
            ),
            Route::Assessment(c) => cat!("consortia/", c, "/assessment/"),
            Route::Checklist(c, f) => cat!("consortia/", c, "/assessment/", f, "/"),
            Route::Summary(f) => cat!("frameworks/", f, "/"),
            Route::SummaryFile(f) => cat!("frameworks/", f, "/summary.xlsx"),
            Route::ConsortiumPage(c, p) => cat!("consortia/", c, "/", p, "/"),
            Route::Milestones(c) => cat!("consortia/", c, "/milestones/"),
            Route::Majors(c) => cat!("consortia/", c, "/majors/"),
            Route::IndustryMap(c) => cat!("consortia/", c, "/industry-map/"),
            Route::Governance(c) => cat!("consortia/", c, "/governance/"),
            Route::DemandList(c, l, y) => cat!(
                "consortia/",
                c,
                "/lists/",
                l,
                "/",
                itoa::Buffer::new().format(*y),
                "/"
            ),
            Route::Search => "search/".to_string(),
            Route::SearchFile(f) => cat!("search/", f),
            Route::Compare => "compare/".to_string(),
            Route::CompareIndicator(k) => cat!("compare/", k, "/"),
            Route::Announcements(list, page) => match page {
                0 | 1 => list.folder(),
                n => cat!(list.folder(), "page/", itoa::Buffer::new().format(*n), "/"),
            },
            Route::Announcement(c, a) => cat!("consortia/", c, "/announcements/", a, "/"),
            Route::Attachment(c, a, name) => cat!("consortia/", c, "/announcements/", a, "/", name),
            Route::Feed(list) => cat!(list.folder(), "atom.xml"),
            Route::NotFound => "404.html".to_string(),
            Route::Sitemap => "sitemap.xml".to_string(),
            Route::Robots => "robots.txt".to_string(),
            Route::Static(p) => cat!("static/", p),
        }
    }

    /// The template a page is rendered with; `None` for a file of bytes (a chart, data, an
    /// attachment, a feed, the sitemap, a static file).
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Route::Home => "portal.html",
            Route::Page(_) | Route::ConsortiumPage(..) => "page.html",
            Route::Consortium(_) => "consortium.html",
            Route::Members(_) => "members.html",
            Route::Member(..) => "member.html",
            Route::Programmes(_) => "programmes.html",
            Route::Programme(..) => "programme.html",
            Route::Training(_) => "training.html",
            Route::Indicators(_) => "indicators.html",
            Route::Indicator(..) => "indicator.html",
            Route::Report(..) => "report.html",
            Route::ReportForm(..) => "report-form.html",
            Route::Assessment(_) => "frameworks.html",
            Route::Checklist(..) => "assessment.html",
            Route::Summary(_) => "summary.html",
            Route::DemandList(..) => "demand-list.html",
            Route::Governance(_) => "governance.html",
            Route::IndustryMap(_) => "industry-map.html",
            Route::Majors(_) => "majors.html",
            Route::Milestones(_) => "milestones.html",
            Route::Search => "search.html",
            Route::Compare => "compare.html",
            Route::CompareIndicator(_) => "compare-indicator.html",
            Route::Announcements(..) => "announcements.html",
            Route::Announcement(..) => "announcement.html",
            Route::NotFound => "404.html",
            Route::Robots => "robots.txt",
            Route::Chart(..)
            | Route::IndicatorData(..)
            | Route::Data(..)
            | Route::SummaryFile(_)
            | Route::FormDocx(..)
            | Route::Attachment(..)
            | Route::Feed(_)
            | Route::Sitemap
            | Route::SearchFile(_)
            | Route::Static(_) => return None,
        })
    }

    /// The navigation section a page belongs to (its consortium's menu marks it); `""` for the
    /// site's own pages and for files.
    pub fn section(&self) -> &'static str {
        match self {
            Route::Consortium(_) => "home",
            Route::Members(_) | Route::Member(..) => "members",
            Route::Programmes(_) | Route::Programme(..) => "programmes",
            Route::Training(_) => "training",
            Route::Indicators(_) | Route::Indicator(..) => "indicators",
            Route::Report(..) | Route::ReportForm(..) => "report",
            Route::Assessment(_) | Route::Checklist(..) => "assessment",
            Route::DemandList(..) => "lists",
            Route::Governance(_) => "governance",
            Route::IndustryMap(_) => "industry-map",
            Route::Majors(_) => "majors",
            Route::Milestones(_) => "milestones",
            Route::ConsortiumPage(..) => "page",
            Route::Compare | Route::CompareIndicator(_) => "compare",
            Route::Announcements(..) | Route::Announcement(..) => "announcements",
            Route::Home
            | Route::Page(_)
            | Route::NotFound
            | Route::Robots
            | Route::Search
            | Route::Summary(_) => "",
            Route::Chart(..)
            | Route::IndicatorData(..)
            | Route::Data(..)
            | Route::SummaryFile(_)
            | Route::FormDocx(..)
            | Route::Attachment(..)
            | Route::Feed(_)
            | Route::Sitemap
            | Route::SearchFile(_)
            | Route::Static(_) => "",
        }
    }

    /// Whether the page has a large-type version under `elder/` when the site builds one: every
    /// HTML page in a folder of its own (`…/index.html`), so not the 404 page, `robots.txt` or a
    /// file.
    pub fn has_large_type_twin(&self) -> bool {
        self.template().is_some() && !matches!(self, Route::NotFound | Route::Robots)
    }

    /// The file the output is written to, relative to the output folder (not encoded).
    pub fn path(&self) -> String {
        let url = self.raw_url();
        if url.is_empty() || url.ends_with('/') {
            let mut url = url;
            url.push_str("index.html");
            url
        } else {
            url
        }
    }

    /// `path()` as it appears in a URL, percent-encoded.
    fn encoded_path(&self) -> String {
        let url = self.url();
        if url.is_empty() || url.ends_with('/') {
            let mut url = url;
            url.push_str("index.html");
            url
        } else {
            url
        }
    }

    /// The absolute URL under `base_url` (which ends in `/`).
    pub fn absolute(&self, base_url: &str) -> String {
        let url = self.url();
        let mut absolute = String::with_capacity(base_url.len() + url.len());
        absolute.push_str(base_url);
        absolute.push_str(&url);
        absolute
    }

    /// Whether the output is an HTML page listed in the sitemap (every page but the 404 and the
    /// search page, which has no content of its own).
    pub fn in_sitemap(&self) -> bool {
        // `path()` ends with `index.html`, without making it.
        let url = self.raw_url();
        (url.is_empty() || url.ends_with('/') || url.ends_with("index.html"))
            && !matches!(self, Route::Search)
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
        let p = from.encoded_path();
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
    fn a_route_gives_its_template_section_and_twin() {
        let list = List {
            consortium: Some("x"),
            filter: Filter::All,
        };
        let pages = [
            (Route::Home, "portal.html", ""),
            (Route::Page("a"), "page.html", ""),
            (Route::ConsortiumPage("x", "a"), "page.html", "page"),
            (Route::Member("x", "m"), "member.html", "members"),
            (Route::ReportForm("x", 2024), "report-form.html", "report"),
            (
                Route::DemandList("x", "talent", 2024),
                "demand-list.html",
                "lists",
            ),
            (Route::Milestones("x"), "milestones.html", "milestones"),
            (Route::Checklist("x", "f"), "assessment.html", "assessment"),
            (Route::Summary("f"), "summary.html", ""),
            (
                Route::Announcements(list, 2),
                "announcements.html",
                "announcements",
            ),
            (
                Route::CompareIndicator("k"),
                "compare-indicator.html",
                "compare",
            ),
        ];
        let known: Vec<&str> = crate::render::templates::DEFAULT_TEMPLATES
            .iter()
            .map(|(name, _)| *name)
            .collect();
        for (route, template, section) in pages {
            assert_eq!(route.template(), Some(template), "{route:?}");
            assert!(known.contains(&template), "{template} is not in the theme");
            assert_eq!(route.section(), section, "{route:?}");
            assert!(route.has_large_type_twin(), "{route:?}");
            assert!(route.path().ends_with("/index.html") || route.path() == "index.html");
        }
        // The 404 page and robots.txt have templates but no twin; files have neither.
        for route in [Route::NotFound, Route::Robots] {
            assert!(route.template().is_some() && !route.has_large_type_twin());
        }
        for route in [
            Route::Chart("x", "k"),
            Route::SummaryFile("f"),
            Route::FormDocx("x", 2024),
            Route::IndicatorData("x", "k"),
            Route::Feed(list),
            Route::Sitemap,
            Route::Static("style.css"),
        ] {
            assert_eq!(route.template(), None);
            assert!(!route.has_large_type_twin());
        }
    }

    #[test]
    fn lists_feeds_and_attachments() {
        let list = |c, filter| List {
            consortium: c,
            filter,
        };
        assert_eq!(
            Route::Announcements(list(Some("x"), Filter::All), 1).url(),
            "consortia/x/announcements/"
        );
        assert_eq!(
            Route::Announcements(list(Some("x"), Filter::Year(2024)), 2).path(),
            "consortia/x/announcements/archive/2024/page/2/index.html"
        );
        assert_eq!(
            Route::Announcements(list(None, Filter::Category("news")), 1).url(),
            "announcements/category/news/"
        );
        let tag = Route::Announcements(list(Some("x"), Filter::Tag("实训 基地")), 1);
        assert_eq!(
            tag.url(),
            "consortia/x/announcements/tags/%E5%AE%9E%E8%AE%AD%20%E5%9F%BA%E5%9C%B0/"
        );
        assert_eq!(
            tag.path(),
            "consortia/x/announcements/tags/实训 基地/index.html"
        );
        assert_eq!(
            Route::Feed(list(Some("x"), Filter::Category("news"))).url(),
            "consortia/x/announcements/category/news/atom.xml"
        );
        assert_eq!(
            Route::Attachment("x", "a", "附件1.pdf").absolute("https://a.org/"),
            "https://a.org/consortia/x/announcements/a/%E9%99%84%E4%BB%B61.pdf"
        );
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
            Route::Announcements(
                List {
                    consortium: Some("b"),
                    filter: Filter::Tag("实训 基地"),
                },
                3,
            ),
            Route::Feed(List {
                consortium: None,
                filter: Filter::Category("news"),
            }),
            Route::Attachment("b", "n", "附件1.pdf"),
            Route::Sitemap,
            Route::Static("style.css"),
        ];
        for from in &all {
            for to in &all {
                let l = link(from, to);
                let from_path = from.encoded_path();
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
