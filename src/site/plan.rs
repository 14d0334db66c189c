//! The plan of outputs: every file the site will have, each either a page (a template and its
//! typed view) or a file of bytes (the sitemap's kin: charts, feeds and data files join here).
//! Built from the validated model, its figures and the rendered Markdown; pure, so the same input
//! always gives the same plan. A page's output depends only on its template and its view.

use std::collections::BTreeMap;

use crate::figures::Figures;
use crate::model::*;
use crate::site::routes::{base_path, root_prefix, Route};
use crate::site::views::*;
use crate::site::visuals::Visuals;

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
    },
    /// Bytes written as they are.
    File { route: Route<'a>, bytes: Vec<u8> },
}

impl Output<'_> {
    pub fn route(&self) -> &Route<'_> {
        match self {
            Output::Page { route, .. } | Output::File { route, .. } => route,
        }
    }
}

pub struct PlanInput<'a> {
    pub site: &'a Site,
    pub figures: &'a Figures<'a>,
    /// Charts and open data, drawn from the figures.
    pub visuals: &'a Visuals,
    /// Rendered Markdown bodies by source path.
    pub html: &'a BTreeMap<String, String>,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
}

/// What the templates render: site-wide values every page sees, and the outputs.
pub struct Plan<'a> {
    /// Template globals (`site`), the same for every page.
    pub site: SiteView<'a>,
    pub outputs: Vec<Output<'a>>,
}

/// The folder of the large-type version (长辈模式) of every page.
pub const ELDER: &str = "elder/";

/// The URL of a page's large-type version, relative to the site root.
pub fn elder_route_url(route: &Route) -> String {
    format!("{ELDER}{}", route.url())
}

/// Every output of the site, in a fixed order.
pub fn plan<'a>(input: &PlanInput<'a>) -> Plan<'a> {
    let site = input.site;
    let html = |path: &str| -> &'a str { input.html.get(path).map_or("", |s| s.as_str()) };
    let mut out: Vec<Output<'a>> = Vec::new();
    let page = |route: Route<'a>,
                template: &'static str,
                title: String,
                c: Option<&'a Consortium>,
                section: &'static str,
                view: View<'a>| {
        let path = route.path();
        // The 404 page is served at any missing address, so its links start from the site's path.
        let root = if route == Route::NotFound {
            base_path(input.base_url)
        } else {
            root_prefix(&path)
        };
        let elder = input.site.config.accessibility.elder && path.ends_with("index.html");
        Output::Page {
            route,
            template,
            elder,
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
                c: c.map(Nav::of),
                section,
                view,
            }),
        }
    };

    out.push(page(
        Route::Home,
        "portal.html",
        site.config.title.clone(),
        None,
        "",
        View::Portal(PortalView {
            intro: site.index.as_ref().map_or("", |p| html(&p.path)),
            consortia: input
                .figures
                .consortia
                .iter()
                .map(|f| portal_entry(f, input.visuals))
                .collect(),
            report_year: *site.config.report_year.get_ref(),
        }),
    ));

    for p in &site.pages {
        out.push(page(
            Route::Page(&p.slug),
            "page.html",
            p.meta.title.clone(),
            None,
            "",
            View::Page(FreePageView {
                title: &p.meta.title,
                description: &p.meta.description,
                content: html(&p.path),
            }),
        ));
    }

    for f in &input.figures.consortia {
        let c = f.consortium;
        let id = c.id.as_str();
        let name = &c.profile.short_name;
        out.push(page(
            Route::Consortium(id),
            "consortium.html",
            c.profile.name.clone(),
            Some(c),
            "home",
            View::Consortium(Box::new(consortium_view(f, input.visuals))),
        ));
        out.push(page(
            Route::Members(id),
            "members.html",
            format!("成员单位 · {name}"),
            Some(c),
            "members",
            View::Members(members_view(f, input.visuals)),
        ));
        for m in &c.members.list {
            out.push(page(
                Route::Member(id, m.id.get_ref()),
                "member.html",
                format!("{} · {name}", m.name),
                Some(c),
                "members",
                View::Member(member_view(f, m)),
            ));
        }
        out.push(page(
            Route::Programmes(id),
            "programmes.html",
            format!("共建项目 · {name}"),
            Some(c),
            "programmes",
            View::Programmes(programmes_view(f, input.visuals)),
        ));
        for p in &c.programmes {
            out.push(page(
                Route::Programme(id, &p.slug),
                "programme.html",
                format!("{} · {name}", p.meta.title),
                Some(c),
                "programmes",
                View::Programme(ProgrammeView {
                    p: programme_entry(c, p),
                    content: html(&p.path),
                }),
            ));
        }
        out.push(page(
            Route::Training(id),
            "training.html",
            format!("培训台账 · {name}"),
            Some(c),
            "training",
            View::Training(training_view(f, input.visuals)),
        ));
        out.push(page(
            Route::Indicators(id),
            "indicators.html",
            format!("建设指标 · {name}"),
            Some(c),
            "indicators",
            View::Indicators(indicators_view(&site.catalogue, f, input.visuals)),
        ));
        for s in &f.series {
            out.push(page(
                Route::Indicator(id, s.key),
                "indicator.html",
                format!("{} · {name}", s.def.name),
                Some(c),
                "indicators",
                View::Indicator(Box::new(indicator_view(
                    &site.catalogue,
                    f,
                    s,
                    input.visuals,
                ))),
            ));
            if let Some(v) = input.visuals.get(id, s.key) {
                out.push(Output::File {
                    route: Route::Chart(id, s.key),
                    bytes: v.chart.as_bytes().to_vec(),
                });
            }
        }
        for (file, bytes) in [
            ("indicators.csv", input.visuals.csv.get(id)),
            ("indicators.json", input.visuals.json.get(id)),
        ] {
            if let Some(bytes) = bytes {
                out.push(Output::File {
                    route: Route::Data(id, file),
                    bytes: bytes.clone(),
                });
            }
        }
        out.push(page(
            Route::Announcements(id),
            "announcements.html",
            format!("成果公告 · {name}"),
            Some(c),
            "announcements",
            View::Announcements(AnnouncementsView {
                announcements: c
                    .announcements
                    .iter()
                    .map(|a| announcement_entry(c, a))
                    .collect(),
            }),
        ));
        for a in &c.announcements {
            out.push(page(
                Route::Announcement(id, &a.slug),
                "announcement.html",
                format!("{} · {name}", a.meta.title),
                Some(c),
                "announcements",
                View::Announcement(AnnouncementView {
                    a: announcement_entry(c, a),
                    content: html(&a.path),
                }),
            ));
        }
    }

    out.push(page(
        Route::Compare,
        "compare.html",
        "联合体比较".into(),
        None,
        "compare",
        View::CompareIndex(compare_index(&site.catalogue, input.figures)),
    ));
    for (key, def) in compared_keys(&site.catalogue, input.figures) {
        if let Some(view) = compare_view(input.figures, key, def, input.visuals) {
            out.push(page(
                Route::CompareIndicator(key),
                "compare-indicator.html",
                format!("{} · 联合体比较", def.name),
                None,
                "compare",
                View::Compare(view),
            ));
        }
    }

    out.push(page(
        Route::NotFound,
        "404.html",
        "页面未找到".into(),
        None,
        "",
        View::Empty(EmptyView {}),
    ));
    // The sitemap lists every page but the 404, with absolute URLs.
    let urls: Vec<String> = out
        .iter()
        .map(Output::route)
        .filter(|r| r.in_sitemap())
        .map(|r| r.absolute(input.base_url))
        .collect();
    out.push(page(
        Route::Sitemap,
        "sitemap.xml",
        String::new(),
        None,
        "",
        View::Sitemap(SitemapView { urls }),
    ));
    out.push(page(
        Route::Robots,
        "robots.txt",
        String::new(),
        None,
        "",
        View::Robots(RobotsView {
            sitemap: Route::Sitemap.absolute(input.base_url),
        }),
    ));
    Plan {
        site: SiteView::of(site),
        outputs: out,
    }
}
