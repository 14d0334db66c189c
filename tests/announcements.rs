//! Announcement lists, categories, tags, year archives, Atom feeds and the sitemap, on the `base`
//! fixture with generated announcements added: pages are read back from a real build.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::*;

const BASE: &str = "https://example.org/sub/";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The base fixture (page size 2, feed size 2) with `extra` more announcements, built.
/// Announcement `gen-i` is dated in 2022, later as i grows: older than every fixture announcement, so the
/// newest-first order is the fixture's three, then gen-0 … in reverse.
fn built_with(extra: usize) -> (tempfile::TempDir, tempfile::TempDir) {
    let site = site_copy("base");
    let dir = site.path().join("content/consortia/alpha/announcements");
    for i in 0..extra {
        let category = ["工作动态", "成果公告", "工作动态"][i % 3];
        fs::write(
            dir.join(format!("gen-{i}.md")),
            format!(
                "+++\ntitle = \"第{i}篇\"\ndate = 2022-{:02}-{:02}\ncategory = \"{category}\"\ntags = [\"{}\"]\n+++\n正文{i}。\n",
                i / 28 + 1,
                i % 28 + 1,
                if i % 2 == 0 { "偶数" } else { "奇数" }
            ),
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path(), &[]);
    (site, out)
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|_| panic!("{rel} was not built"))
}

/// The announcement links of a list page, in order (slugs).
fn listed(html: &str) -> Vec<String> {
    let list = html
        .split_once("<ul class=\"list\">")
        .map_or("", |(_, rest)| rest.split_once("</ul>").unwrap().0);
    let re = regex::Regex::new(
        r#"<li><time[^>]*>[^<]*</time> <a href="[^"]*/announcements/([^/"]+)/">"#,
    )
    .unwrap();
    re.captures_iter(list).map(|c| c[1].to_string()).collect()
}

/// `rel="prev"` and `rel="next"` targets, resolved against the page's folder.
fn pager(html: &str, page_path: &str) -> (Option<String>, Option<String>) {
    let find = |rel: &str| {
        let re = regex::Regex::new(&format!(r#"<a href="([^"]+)" rel="{rel}">"#)).unwrap();
        re.captures(html).map(|c| resolve(page_path, &c[1]))
    };
    (find("prev"), find("next"))
}

/// A relative link from the page at `from` (an `index.html` path) to a site path.
fn resolve(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if link.ends_with('/') {
        format!("{joined}/index.html")
    } else {
        joined
    }
}

#[test]
fn pagination_first_middle_and_last_page() {
    // 3 fixture announcements (the draft is left out) + 5 = 8, at 2 a page: 4 pages.
    let (_site, out) = built_with(5);
    let base = "consortia/alpha/announcements/";
    let paths: Vec<String> = (1..=4)
        .map(|n| {
            if n == 1 {
                format!("{base}index.html")
            } else {
                format!("{base}page/{n}/index.html")
            }
        })
        .collect();
    assert!(
        !out.path().join(format!("{base}page/5/index.html")).exists(),
        "no page after the last"
    );
    assert!(
        !out.path().join(format!("{base}page/1/index.html")).exists(),
        "page 1 is the list itself"
    );
    let mut all = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        let html = page(out.path(), p);
        let items = listed(&html);
        assert_eq!(items.len(), 2, "{p}: {items:?}");
        all.extend(items);
        let (prev, next) = pager(&html, p);
        assert_eq!(prev, i.checked_sub(1).map(|j| paths[j].clone()), "{p} prev");
        assert_eq!(next, paths.get(i + 1).cloned(), "{p} next");
        assert!(html.contains(&format!("第 {} 页 / 共 4 页", i + 1)), "{p}");
        // The current page is marked, and the first and last are always linked.
        assert!(
            html.contains(&format!("aria-current=\"page\">{}</a>", i + 1)),
            "{p}"
        );
        assert!(html.contains(">1</a>") && html.contains(">4</a>"), "{p}");
    }
    // Newest first, each announcement once.
    let want: Vec<String> = ["notice", "majors", "report-2023"]
        .iter()
        .map(|s| s.to_string())
        .chain((0..5).rev().map(|i| format!("gen-{i}")))
        .collect();
    assert_eq!(all, want);
}

#[test]
fn long_lists_skip_page_numbers_but_keep_first_last_and_neighbours() {
    let (_site, out) = built_with(37); // 40 announcements, 20 pages
    let html = page(
        out.path(),
        "consortia/alpha/announcements/page/10/index.html",
    );
    let nav = html.split_once("class=\"pager\"").unwrap().1;
    let re = regex::Regex::new(r">(\d+)</a>").unwrap();
    let numbers: Vec<u32> = re
        .captures_iter(nav)
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert_eq!(numbers, [1, 8, 9, 10, 11, 12, 20]);
    assert_eq!(nav.matches("class=\"gap\"").count(), 2);
}

#[test]
fn categories_tags_and_year_archives_list_only_their_own() {
    let (_site, out) = built_with(6);
    let base = "consortia/alpha/announcements";
    let pages_of = |folder: &str| -> Vec<String> {
        let mut all = listed(&page(out.path(), &format!("{base}/{folder}/index.html")));
        let mut n = 2;
        while let Ok(html) = fs::read_to_string(
            out.path()
                .join(format!("{base}/{folder}/page/{n}/index.html")),
        ) {
            all.extend(listed(&html));
            n += 1;
        }
        all
    };
    // gen-0, gen-2, gen-3, gen-5 are 工作动态; gen-1, gen-4 and majors are 成果公告.
    assert_eq!(
        pages_of("category/news"),
        ["gen-5", "gen-3", "gen-2", "gen-0"]
    );
    assert_eq!(
        pages_of("category/achievements"),
        ["majors", "gen-4", "gen-1"]
    );
    assert_eq!(pages_of("category/notices"), ["notice"]);
    assert_eq!(pages_of("category/media"), ["report-2023"]);
    assert!(
        !out.path()
            .join(format!("{base}/category/quarterly"))
            .exists(),
        "an empty category has no page"
    );
    assert_eq!(pages_of("tags/偶数"), ["gen-4", "gen-2", "gen-0"]);
    assert_eq!(pages_of("tags/共建专业"), ["notice", "majors"]);
    assert_eq!(pages_of("archive/2024"), ["notice", "majors"]);
    assert_eq!(pages_of("archive/2023"), ["report-2023"]);
    assert_eq!(pages_of("archive/2022").len(), 6);
    // The list shows the category filters with counts, the current one marked.
    let news = page(out.path(), &format!("{base}/category/news/index.html"));
    assert!(news.contains("aria-current=\"page\">工作动态<span class=\"count\">（4）</span>"));
    assert!(news.contains(">全部<span class=\"count\">（9）</span>"));
    assert!(news.contains(">2022年<span class=\"count\">（6）</span>"));
    // An announcement links its tags and category.
    let notice = page(out.path(), &format!("{base}/notice/index.html"));
    assert!(notice.contains(
        "href=\"../../../../consortia/alpha/announcements/category/notices/\">通知公告</a>"
    ));
    assert!(notice.contains("tags/%E5%AE%9E%E8%AE%AD%20%E5%9F%BA%E5%9C%B0/\">实训 基地</a>"));
}

#[test]
fn official_documents_show_their_metadata_and_ship_their_attachments() {
    let (site, out) = built_with(0);
    let html = page(
        out.path(),
        "consortia/alpha/announcements/notice/index.html",
    );
    for want in [
        "<th scope=\"row\">发文机关</th><td>测试联合体理事会、测试市教育局</td>",
        "<th scope=\"row\">发文字号</th><td>测联发〔2024〕3号</td>",
        "<th scope=\"row\">成文日期</th><td><time datetime=\"2024-10-18\">2024年10月18日</time>",
        "<th scope=\"row\">发布日期</th><td><time datetime=\"2024-10-21\">2024年10月21日</time>",
        "附件1　2024年共建专业名单</a> <span class=\"meta\">（TXT，41\u{a0}B）</span>",
    ] {
        assert!(html.contains(want), "missing {want}");
    }
    // The metadata block comes before the title.
    assert!(html.find("class=\"docmeta\"").unwrap() < html.find("<h1>").unwrap());
    let shipped = out
        .path()
        .join("consortia/alpha/announcements/notice/专业名单.txt");
    assert_eq!(
        fs::read(shipped).unwrap(),
        fs::read(
            site.path()
                .join("content/consortia/alpha/announcements/notice/专业名单.txt")
        )
        .unwrap()
    );
    // The elder version links the same single copy.
    let elder = page(
        out.path(),
        "elder/consortia/alpha/announcements/notice/index.html",
    );
    assert!(elder.contains(
        "href=\"../../../../../consortia/alpha/announcements/notice/%E4%B8%93%E4%B8%9A%E5%90%8D%E5%8D%95.txt\""
    ));
}

/// The children of `node` named `name` in the Atom namespace.
fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|c| c.has_tag_name((ATOM, name)))
        .collect()
}

fn text_of(node: roxmltree::Node, name: &str) -> String {
    children(node, name)
        .first()
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn feeds_are_atom_with_absolute_links_newest_first() {
    let (_site, out) = built_with(4);
    let files = read_tree(out.path());
    let feeds: BTreeMap<&String, String> = files
        .iter()
        .filter(|(p, _)| p.ends_with("atom.xml"))
        .map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
        .collect();
    let names: Vec<&str> = feeds.keys().map(|s| s.as_str()).collect();
    // A feed reader has no style sheet to hide the large-type drawing of a chart block: a feed
    // carries the standard drawing alone.
    let with_charts: Vec<&String> = feeds
        .iter()
        .filter(|(_, x)| x.contains("v-standard"))
        .map(|(p, _)| *p)
        .collect();
    assert!(!with_charts.is_empty(), "no feed holds a chart block");
    for (path, x) in &feeds {
        assert!(
            !x.contains("v-elder"),
            "{path} holds both drawings of a chart"
        );
    }
    for want in [
        "announcements/atom.xml",
        "announcements/category/news/atom.xml",
        "consortia/alpha/announcements/atom.xml",
        "consortia/alpha/announcements/category/notices/atom.xml",
        "consortia/alpha/announcements/category/media/atom.xml",
    ] {
        assert!(names.contains(&want), "no {want} in {names:?}");
    }
    assert!(!names
        .iter()
        .any(|n| n.contains("/archive/") || n.contains("/tags/")));
    for (path, xml) in &feeds {
        let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        let feed = doc.root_element();
        assert!(feed.has_tag_name((ATOM, "feed")), "{path}");
        assert_eq!(text_of(feed, "id"), format!("{BASE}{path}"), "{path}");
        assert!(!text_of(feed, "title").is_empty(), "{path}");
        let updated = text_of(feed, "updated");
        assert!(
            chrono::DateTime::parse_from_rfc3339(&updated).is_ok(),
            "{path}: {updated}"
        );
        assert!(
            !children(feed, "author").is_empty(),
            "{path}: a feed needs an author"
        );
        let links = children(feed, "link");
        assert!(
            links.iter().any(|l| l.attribute("rel") == Some("self")
                && l.attribute("href") == Some(&format!("{BASE}{path}"))),
            "{path}: self link"
        );
        let entries = children(feed, "entry");
        assert!(
            !entries.is_empty() && entries.len() <= 2,
            "{path}: feed_size is 2"
        );
        let mut last: Option<chrono::DateTime<chrono::FixedOffset>> = None;
        let mut ids = Vec::new();
        for e in &entries {
            let id = text_of(*e, "id");
            assert!(id.starts_with(BASE), "{path}: id {id}");
            assert!(!text_of(*e, "title").is_empty(), "{path}");
            let published =
                chrono::DateTime::parse_from_rfc3339(&text_of(*e, "published")).unwrap();
            chrono::DateTime::parse_from_rfc3339(&text_of(*e, "updated")).unwrap();
            if let Some(prev) = last {
                assert!(prev >= published, "{path}: newest first");
            }
            last = Some(published);
            let href = children(*e, "link")
                .into_iter()
                .find(|l| l.attribute("rel") == Some("alternate"))
                .and_then(|l| l.attribute("href"))
                .unwrap_or_else(|| panic!("{path}: entry without a link"))
                .to_string();
            assert_eq!(href, id);
            // The link leads to a built page.
            let rel = href.strip_prefix(BASE).unwrap();
            assert!(
                files.contains_key(&format!("{rel}index.html")),
                "{path}: {href}"
            );
            ids.push(id);
        }
        ids.dedup();
        assert_eq!(ids.len(), entries.len(), "{path}: an entry twice");
    }
    // The site feed holds the newest announcements of the whole site.
    let site = roxmltree::Document::parse(&feeds[&"announcements/atom.xml".to_string()]).unwrap();
    let ids: Vec<String> = children(site.root_element(), "entry")
        .iter()
        .map(|e| text_of(*e, "id"))
        .collect();
    assert_eq!(
        ids,
        [
            format!("{BASE}consortia/alpha/announcements/notice/"),
            format!("{BASE}consortia/alpha/announcements/majors/")
        ]
    );
    // Pages name the feeds in <head>, and the feeds exist.
    let list = page(
        out.path(),
        "consortia/alpha/announcements/category/notices/index.html",
    );
    for feed in [
        "announcements/atom.xml",
        "consortia/alpha/announcements/atom.xml",
        "consortia/alpha/announcements/category/notices/atom.xml",
    ] {
        assert!(
            list.contains("type=\"application/atom+xml\" title=\"")
                && list.contains(&format!("href=\"../../../../../{feed}\">")),
            "the category page does not link {feed}"
        );
    }
}

#[test]
fn sitemap_dates_pages_and_the_404_is_not_indexed() {
    let (_site, out) = built_with(0);
    let sitemap = page(out.path(), "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let mut dated = BTreeMap::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, "url")))
    {
        let loc = url
            .children()
            .find(|n| n.has_tag_name((ns, "loc")))
            .and_then(|n| n.text())
            .unwrap()
            .to_string();
        assert!(loc.is_ascii(), "a <loc> is percent-encoded: {loc}");
        if let Some(m) = url.children().find(|n| n.has_tag_name((ns, "lastmod"))) {
            dated.insert(loc, m.text().unwrap().to_string());
        }
    }
    assert_eq!(
        dated
            .get(&format!("{BASE}consortia/alpha/announcements/majors/"))
            .map(String::as_str),
        Some("2024-09-01")
    );
    // `updated` wins over `date`.
    assert_eq!(
        dated
            .get(&format!("{BASE}consortia/alpha/announcements/report-2023/"))
            .map(String::as_str),
        Some("2024-01-05")
    );
    assert_eq!(
        dated
            .get(&format!("{BASE}consortia/alpha/announcements/"))
            .map(String::as_str),
        Some("2024-10-21")
    );
    assert!(
        !dated.keys().any(|k| k.ends_with("/members/")),
        "undated pages have no lastmod"
    );
    assert!(!sitemap.contains("404"));
    let not_found = page(out.path(), "404.html");
    assert!(not_found.contains("<meta name=\"robots\" content=\"noindex\">"));
    // The sitemap is valid against the sitemaps.org schema (when xmllint is there).
    let xsd = repo().join("tests/conformance/sitemap-0.9.xsd");
    if needs(&[XMLLINT]) {
        let o = std::process::Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&xsd)
            .arg(out.path().join("sitemap.xml"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}
