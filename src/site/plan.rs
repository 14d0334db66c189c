//! The plan of outputs: every file the site will have, each either a page (a template and its
//! typed view) or a file of bytes (the sitemap's kin: charts, feeds and data files join here).
//! Built from the validated model, its figures and the rendered Markdown; pure, so the same input
//! always gives the same plan. A page's output depends only on its template and its view.

use std::collections::BTreeMap;

use crate::figures::{ConsortiumFigures, Figures};
use crate::model::*;
use std::sync::Arc;

use rayon::prelude::*;

use crate::site::feeds::{self, FeedSpec, Item};
use crate::site::report;
use crate::site::routes::{base_path, root_prefix, Filter, List, Route};
use crate::site::sitemap;
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
        /// When the page last changed, for a dated page (the sitemap's `<lastmod>`).
        lastmod: Option<Date>,
        /// Fragments the page shows, in order, by their index in `Plan::fragments`; the template
        /// gets them rendered as `items`.
        items: Vec<usize>,
    },
    /// Bytes written as they are: borrowed from the model or the visuals where they are kept, or
    /// made when the file is written (a feed), so the plan holds no second copy.
    File { route: Route<'a>, bytes: Bytes<'a> },
}

/// What a file output holds.
#[derive(Debug)]
pub enum Bytes<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
    /// An Atom feed, written when it is rendered.
    Feed(Box<(FeedSpec<'a>, Vec<Item<'a>>)>),
    /// The very bytes the last render gave this output (with a cache of it).
    Unchanged,
}

impl Bytes<'_> {
    /// The file's bytes.
    pub fn get(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Bytes::Borrowed(b) => std::borrow::Cow::Borrowed(b),
            Bytes::Owned(b) => std::borrow::Cow::Borrowed(b),
            Bytes::Feed(f) => std::borrow::Cow::Owned(feeds::atom(&f.0, &f.1)),
            Bytes::Unchanged => std::borrow::Cow::Borrowed(&[]),
        }
    }
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
    pub html: &'a crate::site::Html,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
    /// Whether the outputs the last render made of a consortium (by id) still hold, since nothing
    /// they show changed: then the consortium is not planned, and its sitemap entries are taken
    /// from `before`.
    pub kept: &'a (dyn Fn(&str) -> bool + Sync),
    /// The sitemap of the last render, in parts.
    pub before: Option<&'a Sitemap>,
}

/// The sitemap's entries in parts: the site's own pages before the consortia's, each
/// consortium's by id, and the site's own pages after.
#[derive(Default, PartialEq)]
pub struct Sitemap {
    pub head: Vec<sitemap::Entry>,
    pub consortia: Vec<(String, Arc<Vec<sitemap::Entry>>)>,
    pub tail: Vec<sitemap::Entry>,
}

impl Sitemap {
    /// The same entries in the same order as `other`, each consortium's the very same.
    fn same_as(&self, other: &Sitemap) -> bool {
        self.head == other.head
            && self.tail == other.tail
            && self.consortia.len() == other.consortia.len()
            && self
                .consortia
                .iter()
                .zip(&other.consortia)
                .all(|((a, x), (b, y))| a == b && Arc::ptr_eq(x, y))
    }
}

/// What the templates render: site-wide values every page sees, the outputs, and the fragments
/// pages share.
pub struct Plan<'a> {
    /// Template globals (`site`), the same for every page.
    pub site: SiteView<'a>,
    pub outputs: Vec<Output<'a>>,
    pub fragments: Vec<Fragment<'a>>,
    /// The sitemap's entries, in parts.
    pub sitemap: Sitemap,
}

/// A part many pages show, rendered once: an announcement as its lists show it
/// (`announcement-item.html`). Its links start with [`ROOT_MARK`], which each page replaces with
/// its own way to the site root.
#[derive(Debug)]
pub struct Fragment<'a> {
    /// The consortium it belongs to.
    pub owner: &'a str,
    pub template: &'static str,
    pub view: Arc<AnnouncementEntry<'a>>,
}

/// What a fragment's links start with until a page puts in its `root`: characters of Unicode's
/// private use area, which HTML escaping leaves as they are and no content has reason to hold.
pub const ROOT_MARK: &str = "\u{E000}root\u{E001}";

/// The folder of the large-type version (长辈模式) of every page.
pub const ELDER: &str = "elder/";

/// The URL of a page's large-type version, relative to the site root.
pub fn elder_route_url(route: &Route) -> String {
    format!("{ELDER}{}", route.url())
}

/// Every output of the site, in a fixed order.
pub fn plan<'a>(input: &PlanInput<'a>) -> Plan<'a> {
    let site = input.site;
    let html = |path: &str| -> &'a str { input.html.get(path).unwrap_or_default() };
    let mut out: Vec<Output<'a>> = Vec::new();
    // Each consortium's navigation, made once and shared by all its pages.
    let navs: BTreeMap<&str, Arc<Nav<'a>>> = site
        .consortia
        .iter()
        .map(|c| (c.id.as_str(), Arc::new(Nav::of(c))))
        .collect();
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
            lastmod: None,
            items: Vec::new(),
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
                c: c.map(|c| navs[c.id.as_str()].clone()),
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

    // The pages before the consortia's, as the sitemap lists them.
    let head = entries_of(&out, input.base_url);
    let part_before = |id: &str| -> Option<&'a Arc<Vec<sitemap::Entry>>> {
        let before = input.before?;
        let i = before
            .consortia
            .binary_search_by(|(c, _)| c.as_str().cmp(id))
            .ok()?;
        Some(&before.consortia[i].1)
    };
    // The sitemap entries of each consortium not planned.
    let kept: Vec<Option<Arc<Vec<sitemap::Entry>>>> = site
        .consortia
        .iter()
        .map(|c| {
            if (input.kept)(&c.id) {
                part_before(&c.id).cloned()
            } else {
                None
            }
        })
        .collect();
    let categories = site.config.categories();
    // Each announcement as lists show it, made once (in parallel) and shared by every list.
    let entries: Vec<Vec<Arc<AnnouncementEntry<'a>>>> = site
        .consortia
        .iter()
        .zip(&kept)
        .map(|(c, kept)| {
            if kept.is_some() {
                return Vec::new();
            }
            c.announcements
                .par_iter()
                .map(|a| Arc::new(announcement_entry(c, a, &categories)))
                .collect()
        })
        .collect();
    // Every announcement is one fragment; a consortium's are consecutive, from `first[ci]`.
    let mut fragments: Vec<Fragment<'a>> = Vec::new();
    let mut first: Vec<usize> = Vec::new();
    for (list, c) in entries.iter().zip(&site.consortia) {
        first.push(fragments.len());
        fragments.extend(list.iter().map(|e| Fragment {
            owner: c.id.as_str(),
            template: "announcement-item.html",
            view: e.clone(),
        }));
    }
    // The outputs of each consortium not kept, made in parallel, and each in two halves at once
    // (a rebuild after one save makes a single consortium's); the feeds meanwhile. All in order.
    let consortium_outputs = |ci: usize, f: &ConsortiumFigures<'a>| -> Vec<Output<'a>> {
        let c = f.consortium;
        let id = c.id.as_str();
        let name = &c.profile.short_name;
        let (mut out, rest) = rayon::join(
            || {
                let mut out = Vec::new();
                out.push(page(
                    Route::Consortium(id),
                    "consortium.html",
                    c.profile.name.clone(),
                    Some(c),
                    "home",
                    View::Consortium(Box::new(consortium_view(
                        f,
                        input.visuals,
                        entries[ci].iter().take(LATEST).cloned().collect(),
                    ))),
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
                        View::Member(Box::new(member_view(f, m))),
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
                            bytes: Bytes::Borrowed(v.chart.as_bytes()),
                        });
                    }
                }
                for (file, bytes) in [
                    (
                        "indicators.csv",
                        input.visuals.csv.get(id).map(|b| b.as_slice()),
                    ),
                    (
                        "indicators.json",
                        input.visuals.json.get(id).map(|b| b.as_slice()),
                    ),
                ] {
                    if let Some(bytes) = bytes {
                        out.push(Output::File {
                            route: Route::Data(id, file),
                            bytes: Bytes::Borrowed(bytes),
                        });
                    }
                }
                for (file, bytes) in input
                    .visuals
                    .records
                    .get(id)
                    .into_iter()
                    .flat_map(|r| r.iter())
                {
                    out.push(Output::File {
                        route: Route::Data(id, file),
                        bytes: Bytes::Borrowed(bytes),
                    });
                }
                out
            },
            || {
                let mut out = Vec::new();
                announcement_pages(&mut out, &page, input, f, &entries[ci], first[ci]);
                if let Some(l) = &c.lists {
                    for (list, year) in report::demand_pages(l) {
                        let view = report::demand_list_view(site, c, l, list, year);
                        out.push(page(
                            Route::DemandList(id, list, year),
                            "demand-list.html",
                            format!("{year}年{} · {name}", view.label),
                            Some(c),
                            "lists",
                            View::DemandList(view),
                        ));
                    }
                }
                if let Some(g) = c
                    .governance
                    .as_ref()
                    .filter(|g| !g.rule.is_empty() || !g.policy.is_empty())
                {
                    out.push(page(
                        Route::Governance(id),
                        "governance.html",
                        format!("制度与政策 · {name}"),
                        Some(c),
                        "governance",
                        View::Governance(report::governance_view(site, c, g)),
                    ));
                }
                if let Some(view) = report::industry_map_view(site, c) {
                    out.push(page(
                        Route::IndustryMap(id),
                        "industry-map.html",
                        format!("产教对接图谱 · {name}"),
                        Some(c),
                        "industry-map",
                        View::IndustryMap(view),
                    ));
                }
                if let Some(m) = c.majors.as_ref().filter(|m| !m.major.is_empty()) {
                    out.push(page(
                        Route::Majors(id),
                        "majors.html",
                        format!("专业清单 · {name}"),
                        Some(c),
                        "majors",
                        View::Majors(report::majors_view(c, m)),
                    ));
                }
                if let Some(m) = c.milestones.as_ref().filter(|m| !m.milestone.is_empty()) {
                    out.push(page(
                        Route::Milestones(id),
                        "milestones.html",
                        format!("时间节点 · {name}"),
                        Some(c),
                        "milestones",
                        View::Milestones(report::milestones_view(
                            site,
                            c,
                            m,
                            *site.config.report_year.get_ref(),
                        )),
                    ));
                }
                for p in &c.pages {
                    out.push(page(
                        Route::ConsortiumPage(id, &p.slug),
                        "page.html",
                        format!("{} · {name}", p.meta.title),
                        Some(c),
                        "page",
                        View::Page(FreePageView {
                            title: &p.meta.title,
                            description: &p.meta.description,
                            content: html(&p.path),
                        }),
                    ));
                }
                if let Some(a) = &c.assessment {
                    out.push(page(
                        Route::Assessment(id),
                        "assessment.html",
                        format!("建设指标自评 · {name}"),
                        Some(c),
                        "assessment",
                        View::Assessment(report::assessment_view(site, c, a)),
                    ));
                }
                for year in report::report_years(f) {
                    // The report and the form show the same view, made once.
                    let view = Arc::new(report::report_view(
                        &site.catalogue,
                        f,
                        input.visuals,
                        year,
                        &entries[ci],
                    ));
                    out.push(page(
                        Route::Report(id, year),
                        "report.html",
                        format!("{year}年度报告 · {name}"),
                        Some(c),
                        "report",
                        View::Report(view.clone()),
                    ));
                    out.push(page(
                        Route::ReportForm(id, year),
                        "report-form.html",
                        format!("{year}年市域产教联合体推荐书 · {name}"),
                        Some(c),
                        "report",
                        View::Report(view),
                    ));
                }
                out
            },
        );
        out.extend(rest);
        out
    };
    let (made, feed_outputs) = rayon::join(
        || {
            input
                .figures
                .consortia
                .par_iter()
                .enumerate()
                .map(|(ci, f)| kept[ci].is_none().then(|| consortium_outputs(ci, f)))
                .collect::<Vec<_>>()
        },
        || {
            let mut out = Vec::new();
            feeds(&mut out, input, &kept);
            out
        },
    );
    // Each consortium's sitemap entries, kept or made.
    let mut parts: Vec<(String, Arc<Vec<sitemap::Entry>>)> = Vec::new();
    for ((f, kept), made) in input.figures.consortia.iter().zip(&kept).zip(made) {
        let id = &f.consortium.id;
        let part = match kept {
            Some(kept) => Arc::clone(kept),
            None => {
                let made = made.unwrap_or_default();
                // Entries equal to the last render's are the same part, so an unchanged sitemap
                // is seen without comparing it whole.
                let entries = entries_of(&made, input.base_url);
                out.extend(made);
                match part_before(id) {
                    Some(before) if **before == entries => Arc::clone(before),
                    _ => Arc::new(entries),
                }
            }
        };
        parts.push((id.clone(), part));
    }

    let tail = out.len();
    out.extend(feed_outputs);

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
    let sitemap = Sitemap {
        head,
        consortia: parts,
        tail: entries_of(&out[tail..], input.base_url),
    };
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
    out.push(Output::File {
        route: Route::Sitemap,
        bytes,
    });
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
        fragments,
        sitemap,
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
                } => Some(d.iso()),
                _ => None,
            },
        })
        .collect()
}

/// Makes a page output: route, template, title, consortium, section, view.
type PageFn<'p, 'a> = dyn Fn(
        Route<'a>,
        &'static str,
        String,
        Option<&'a Consortium>,
        &'static str,
        View<'a>,
    ) -> Output<'a>
    + Sync
    + 'p;

/// A consortium's announcement pages: each announcement with its attachments, and the lists (all,
/// by category, by year, by tag), each cut into pages of `page_size`.
fn announcement_pages<'a>(
    out: &mut Vec<Output<'a>>,
    page: &PageFn<'_, 'a>,
    input: &PlanInput<'a>,
    f: &ConsortiumFigures<'a>,
    entries: &[Arc<AnnouncementEntry<'a>>],
    first_fragment: usize,
) {
    let c = f.consortium;
    let id = c.id.as_str();
    let name = &c.profile.short_name;
    let html = |path: &str| -> &'a str { input.html.get(path).unwrap_or_default() };
    let config = &input.site.config;
    let categories = config.categories();
    // Each announcement's page and attachments, made in parallel, kept in order.
    let pages: Vec<Vec<Output<'a>>> = c
        .announcements
        .par_iter()
        .zip(entries.par_iter())
        .map(|(a, entry)| {
            let mut o = page(
                Route::Announcement(id, &a.slug),
                "announcement.html",
                format!("{} · {name}", a.meta.title),
                Some(c),
                "announcements",
                View::Announcement(announcement_view(c, a, entry.clone(), html(&a.path))),
            );
            if let Output::Page { lastmod, .. } = &mut o {
                *lastmod = Some(a.updated());
            }
            let mut outs = vec![o];
            outs.extend(a.attachments.iter().map(|file| Output::File {
                route: Route::Attachment(id, &a.slug, &file.name),
                bytes: Bytes::Borrowed(&file.bytes),
            }));
            outs
        })
        .collect();
    out.extend(pages.into_iter().flatten());

    // Which announcements each list holds, by index, newest first like `c.announcements`.
    let mut lists: Vec<(Filter<'a>, String, Vec<usize>)> = vec![(
        Filter::All,
        "全部公告".to_string(),
        (0..entries.len()).collect(),
    )];
    for (cat, slug) in &categories {
        let idx: Vec<usize> = (0..entries.len())
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
    let category_links: Vec<FilterLink> = lists
        .iter()
        .map(|(filter, label, idx)| FilterLink {
            label: if *filter == Filter::All {
                "全部".to_string()
            } else {
                label.clone()
            },
            url: Route::Announcements(list_of(c, *filter), 1).url(),
            count: idx.len(),
            current: false,
        })
        .collect();
    let year_links: Vec<FilterLink> = years
        .iter()
        .map(|(y, idx)| FilterLink {
            label: format!("{}年", y.0),
            url: Route::Announcements(list_of(c, Filter::Year(y.0)), 1).url(),
            count: idx.len(),
            current: false,
        })
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

    let size = (*config.announcements.page_size.get_ref()).max(1);
    // Every page of every list, made in parallel, kept in order.
    type ListPage<'l, 'a> = (&'l (Filter<'a>, String, Vec<usize>), usize);
    let pages: Vec<ListPage<'_, 'a>> = lists
        .iter()
        .flat_map(|l| (1..=l.2.len().div_ceil(size).max(1)).map(move |n| (l, n)))
        .collect();
    let mark = |links: &[FilterLink], url: &str| -> Vec<FilterLink> {
        links
            .iter()
            .map(|l| FilterLink {
                current: l.url == url,
                ..l.clone()
            })
            .collect()
    };
    let made: Vec<Output<'a>> = pages
        .par_iter()
        .map(|&((filter, heading, idx), n)| {
            let list = list_of(c, *filter);
            let total_pages = idx.len().div_ceil(size).max(1);
            let first_url = Route::Announcements(list, 1).url();
            let title = match (filter, n) {
                (Filter::All, 1) => format!("公告 · {name}"),
                (Filter::All, n) => format!("公告 · 第{n}页 · {name}"),
                (_, 1) => format!("{heading} · 公告 · {name}"),
                (_, n) => format!("{heading} · 公告 · 第{n}页 · {name}"),
            };
            let mut o = page(
                Route::Announcements(list, n),
                "announcements.html",
                title,
                Some(c),
                "announcements",
                View::Announcements(AnnouncementsView {
                    heading: heading.clone(),
                    filter: match filter {
                        Filter::All => "all",
                        Filter::Category(_) => "category",
                        Filter::Year(_) => "year",
                        Filter::Tag(_) => "tag",
                    },
                    total: idx.len(),
                    categories: mark(&category_links, &first_url),
                    years: mark(&year_links, &first_url),
                    pager: Pager::of(list, n, total_pages),
                    feed: matches!(filter, Filter::All | Filter::Category(_))
                        .then(|| Route::Feed(list).url()),
                }),
            );
            if let Output::Page { items, lastmod, .. } = &mut o {
                let chunk = &idx[((n - 1) * size).min(idx.len())..(n * size).min(idx.len())];
                *items = chunk.iter().map(|&i| first_fragment + i).collect();
                // The first page changes when any announcement it shows does.
                if n == 1 {
                    *lastmod = chunk.iter().map(|&i| c.announcements[i].updated()).max();
                }
            }
            o
        })
        .collect();
    out.extend(made);
}

/// The Atom feeds: per consortium and per category of it, and for the whole site and per
/// category of it. A list with no announcements has no feed.
/// `kept` tells the consortia not planned, by their index in the site.
fn feeds<'a>(
    out: &mut Vec<Output<'a>>,
    input: &PlanInput<'a>,
    kept: &[Option<Arc<Vec<sitemap::Entry>>>],
) {
    let site = input.site;
    let size = (*site.config.announcements.feed_size.get_ref()).max(1);
    let html = |path: &str| -> &'a str { input.html.get(path).unwrap_or_default() };
    let item = |c: &'a Consortium, a: &'a Announcement| Item {
        consortium: c,
        announcement: a,
        html: html(&a.path),
    };
    let categories = site.config.categories();
    let spec = |title: String, list: List<'a>, page: Route<'a>| FeedSpec {
        title,
        route: Route::Feed(list),
        page,
        author: &site.config.title,
        base_url: input.base_url,
    };
    for (c, kept) in site.consortia.iter().zip(kept) {
        if kept.is_some() {
            continue;
        }
        let all = list_of(c, Filter::All);
        let name = &c.profile.name;
        if !c.announcements.is_empty() {
            let items: Vec<Item> = c
                .announcements
                .iter()
                .take(size)
                .map(|a| item(c, a))
                .collect();
            let s = spec(format!("{name} · 公告"), all, Route::Announcements(all, 1));
            out.push(Output::File {
                route: s.route,
                bytes: Bytes::Feed(Box::new((s, items))),
            });
        }
        for (cat, slug) in &categories {
            let items: Vec<Item> = c
                .announcements
                .iter()
                .filter(|a| a.category() == *cat)
                .take(size)
                .map(|a| item(c, a))
                .collect();
            if items.is_empty() {
                continue;
            }
            let list = list_of(c, Filter::Category(slug));
            let s = spec(
                format!("{name} · {cat}"),
                list,
                Route::Announcements(list, 1),
            );
            out.push(Output::File {
                route: s.route,
                bytes: Bytes::Feed(Box::new((s, items))),
            });
        }
    }
    // The whole site: every consortium's announcements merged, newest first, as far as the feed
    // goes. Each consortium's are newest first already.
    let newest = |c1: &Consortium, a1: &Announcement, c2: &Consortium, a2: &Announcement| {
        a2.meta
            .date
            .get_ref()
            .cmp(a1.meta.date.get_ref())
            .then(c1.id.cmp(&c2.id))
            .then(a1.slug.cmp(&a2.slug))
    };
    let merged = |category: Option<&str>| -> Vec<(&'a Consortium, &'a Announcement)> {
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
                if best.is_none_or(|(_, bc, ba)| newest(c, a, bc, ba).is_lt()) {
                    best = Some((i, c, a));
                }
            }
            let Some((i, _, _)) = best else {
                break;
            };
            out.extend(lists[i].next());
        }
        out
    };
    let filters = std::iter::once((Filter::All, "公告")).chain(
        categories
            .iter()
            .map(|(cat, slug)| (Filter::Category(slug), *cat)),
    );
    for (filter, label) in filters {
        let items: Vec<Item> = merged(match filter {
            Filter::Category(_) => Some(label),
            _ => None,
        })
        .into_iter()
        .map(|(c, a)| item(c, a))
        .collect();
        if items.is_empty() {
            continue;
        }
        let list = List {
            consortium: None,
            filter,
        };
        let s = spec(
            format!("{} · {label}", site.config.title),
            list,
            Route::Home,
        );
        out.push(Output::File {
            route: s.route,
            bytes: Bytes::Feed(Box::new((s, items))),
        });
    }
}
