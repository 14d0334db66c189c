//! Browser tests: the bundled example, built, renders in headless Chromium. The DOM that Chromium
//! builds from the files must hold the pages' content; a phone-width screenshot must be produced.
//! Driven over CDP by `tests/browser/layout.mjs`, on every page of both versions at 1280, 390, 360
//! and 320 px and at 200% zoom: no page scrolls sideways; every chart has a rendered size and every
//! text of it lies inside its viewBox without overlapping another; no table cell is clipped; no
//! number with its unit or sign wraps; chart text is 12 px and more at 360 px (16 px in 长辈模式);
//! the indicators page is at most 8,000 px tall at 390 px; and the report, form and assessment
//! pages hold no clipped cell and no broken number in print at A4 width. axe-core finds no WCAG 2.1
//! A or AA violation on a page of every type, and the large-type version (长辈模式) also meets the
//! enhanced contrast rule with large type.
//! Needs Debian's `chromium` and, for the tests over CDP, `npm ci --prefix tests/browser` (both
//! done by `.ci/run`); where they are missing, each test says so in one line and is skipped.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn chromium(args: &[&str]) -> Option<String> {
    if !needs(&[CHROMIUM]) {
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn home_and_consortium_pages_render_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);

    let Some(home) = chromium(&["--dump-dom", &url(&public.join("index.html"))]) else {
        return;
    };
    assert!(home.contains("<html lang=\"zh-CN\""), "{home}");
    assert!(
        home.contains("<h1>市域产教联合体信息公开示例站</h1>"),
        "{home}"
    );
    for name in [
        "孝感市域产教联合体",
        "宝清县域产教联合体",
        "潍坊现代农业市域产教联合体",
    ] {
        assert!(home.contains(name), "home lacks {name}");
    }
    assert!(
        home.contains("本站为示例站点"),
        "the illustrative banner is missing"
    );

    let page = chromium(&[
        "--dump-dom",
        &url(&public.join("consortia/xiaogan/index.html")),
    ])
    .unwrap();
    assert!(page.contains("<h1>孝感市域产教联合体</h1>"), "{page}");
    assert!(page.contains("牵头学校"), "{page}");
    assert!(page.contains("湖北职业技术学院"), "{page}");
    assert!(page.contains("孝感市域产教联合体建设领导小组"), "{page}");
    assert!(page.contains("较上年"), "{page}");

    let shot = out.path().join("phone.png");
    chromium(&[
        "--window-size=390,2400",
        &format!("--screenshot={}", shot.display()),
        &url(&public.join("consortia/weifang/indicators/index.html")),
    ])
    .unwrap();
    let bytes = std::fs::read(&shot).expect("screenshot written");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "screenshot is {} bytes",
        bytes.len()
    );
}

#[test]
fn charts_fit_and_pages_do_not_scroll_sideways() {
    if !browser_tools("puppeteer-core") {
        return;
    }
    let script = repo().join("tests/browser/layout.mjs");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);
    // Every page of the site.
    let mut pages: Vec<std::path::PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages.push(entry.path().to_path_buf());
        }
    }
    assert!(pages.len() > 500, "only {} pages to check", pages.len());
    // The 推荐书, its checklist and the bureau's summary, which the bundled example has none
    // of (no bundled consortium is in Hunan): the fixture's, in both versions.
    let fixture = out.path().join("fixture");
    build(&repo().join("tests/fixtures/base"), &fixture, &[]);
    for version in ["", "elder/"] {
        for rel in [
            "consortia/alpha/report/2024/form/",
            "consortia/alpha/assessment/hunan-2024/",
            "frameworks/hunan-2024/",
        ] {
            pages.push(fixture.join(format!("{version}{rel}index.html")));
        }
    }
    let o = Command::new("node")
        .arg(&script)
        .args(&pages)
        .output()
        .expect("node is installed");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "layout problems: {report}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The report counts what it checked: every chart and its texts, every table cell and
    // number at every width, and the report, form and assessment pages on paper.
    let count = |field: &str| -> usize {
        report
            .split(&format!("\"{field}\":"))
            .nth(1)
            .and_then(|r| r.split([',', '}']).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    assert!(
        count("charts") > 500,
        "too few charts were checked: {report}"
    );
    assert!(
        count("cells") > 50_000,
        "too few table cells were checked: {report}"
    );
    assert!(
        count("numbers") > 20_000,
        "too few numbers were checked: {report}"
    );
    assert!(
        count("printed") >= 20,
        "too few pages were printed: {report}"
    );
}

#[test]
fn a_served_page_follows_saves_by_itself() {
    if !browser_tools("puppeteer-core") {
        return;
    }
    let site = site_copy("base");
    // The site's own copy of the stylesheet, so that a change to it is a theme change.
    let css = site.path().join("themes/default/static/style.css");
    std::fs::create_dir_all(css.parent().unwrap()).unwrap();
    std::fs::copy(repo().join("themes/default/static/style.css"), &css).unwrap();
    let server = serve(site.path());
    let announcement = site
        .path()
        .join("content/consortia/alpha/announcements/majors.md");
    let o = Command::new("node")
        .arg(repo().join("tests/browser/reload.mjs"))
        .arg(format!(
            "http://127.0.0.1:{}/consortia/alpha/announcements/majors/",
            server.port
        ))
        .arg(&announcement)
        .arg("2024年新增共建专业")
        .arg("2024年度新增共建专业")
        .arg("2024年度新增共建专业")
        .arg(&css)
        .output()
        .expect("node is installed");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "live reload: {report}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_page_of_every_type_has_no_wcag_violation() {
    if !browser_tools("axe-core") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);
    let mut pages: Vec<std::path::PathBuf> = [
        "index.html",
        "404.html",
        "compare/index.html",
        "compare/co_built_majors/index.html",
        "data-notes/index.html",
        "search/index.html",
    ]
    .iter()
    .map(|p| public.join(p))
    .collect();
    for rel in [
        "",
        "members/",
        "members/hbzy/",
        "programmes/",
        "programmes/cnc-course/",
        "training/",
        "indicators/",
        "indicators/co_built_majors/",
        "announcements/",
        "announcements/page/2/",
        "announcements/category/achievements/",
        "announcements/archive/2024/",
        "announcements/tags/培训/",
        "announcements/annual-2024/",
        "report/2024/",
        "assessment/",
        "assessment/moe-2024/",
        "milestones/",
        "measures/",
        "majors/",
        "lists/talent/2024/",
        "industry-map/",
        "governance/",
    ] {
        pages.push(public.join(format!("consortia/xiaogan/{rel}index.html")));
    }
    // The bundled consortia report under the national framework alone; the fixture's reports
    // under Hunan's as well, with its 推荐书 and submission duties.
    let fixture = out.path().join("fixture");
    build(&repo().join("tests/fixtures/base"), &fixture, &[]);
    for rel in ["report/2024/form/", "assessment/hunan-2024/"] {
        pages.push(fixture.join(format!("consortia/alpha/{rel}index.html")));
    }
    // The bureau's summary table of the framework, on the site.
    pages.push(fixture.join("frameworks/hunan-2024/index.html"));
    for p in &pages {
        assert!(p.is_file(), "{} was not built", p.display());
    }
    run_script("axe.mjs", &[], &pages);
}

#[test]
fn the_large_type_version_is_large_and_high_contrast() {
    if !browser_tools("axe-core") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);
    // Every page has its 长辈模式 version, and the two link to each other.
    let normal = std::fs::read_to_string(public.join("consortia/xiaogan/index.html")).unwrap();
    assert!(normal.contains("href=\"../../elder/consortia/xiaogan/\">长辈模式（大字版）"));
    let elder = std::fs::read_to_string(public.join("elder/consortia/xiaogan/index.html")).unwrap();
    assert!(elder.contains("<html lang=\"zh-CN\" class=\"elder\">"));
    assert!(elder.contains("href=\"../../../consortia/xiaogan/\">返回标准版"));
    // Its links stay in the large-type version; its stylesheet and files are the site's own.
    assert!(elder.contains("href=\"../../../elder/consortia/xiaogan/members/\""));
    assert!(elder.contains("href=\"../../../static/style.css\""));
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("/elder/"),
        "the sitemap lists each page once"
    );
    let pages: Vec<std::path::PathBuf> = [
        "",
        "compare/",
        "compare/co_built_majors/",
        "data-notes/",
        "search/",
        "consortia/xiaogan/",
        "consortia/xiaogan/members/",
        "consortia/xiaogan/members/hbzy/",
        "consortia/xiaogan/programmes/cnc-course/",
        "consortia/xiaogan/training/",
        "consortia/xiaogan/indicators/",
        "consortia/xiaogan/indicators/co_built_majors/",
        "consortia/xiaogan/announcements/",
        "consortia/xiaogan/announcements/annual-2024/",
        "consortia/baoqing/announcements/plan-issued/",
        "consortia/xiaogan/report/2024/",
    ]
    .iter()
    .map(|p| public.join(format!("elder/{p}index.html")))
    .collect();
    run_script("axe.mjs", &["--elder"], &pages);
    let shot = out.path().join("elder.png");
    chromium(&[
        "--window-size=390,1600",
        &format!("--screenshot={}", shot.display()),
        &url(&public.join("elder/consortia/xiaogan/index.html")),
    ])
    .unwrap();
    assert!(std::fs::read(&shot).unwrap().len() > 20_000);
}

/// The text of a PDF in the order it was drawn (a table cell's lines one after the other), by
/// `pdftotext` (Debian `poppler-utils`).
fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (apt-get install poppler-utils)");
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(o.stdout).unwrap()
}

fn pdf_pages(pdf: &Path) -> usize {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn the_report_and_the_form_print_in_order_with_every_row() {
    if !browser_tools("puppeteer-core") || !needs(&[PDFTOTEXT]) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);
    let report = public.join("consortia/xiaogan/report/2024/index.html");
    // The form of Hunan's call, application year 2024, of the fixture that reports under it.
    let fixture = out.path().join("fixture");
    build(&repo().join("tests/fixtures/base"), &fixture, &[]);
    let form = fixture.join("consortia/alpha/report/2024/form/index.html");
    let prefix = out.path().join("print");
    let o = Command::new("node")
        .arg(repo().join("tests/browser/pdf.mjs"))
        .arg(&prefix)
        .arg(&report)
        .arg(&form)
        .output()
        .expect("node is installed");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report_pdf = out.path().join("print-0.pdf");
    let form_pdf = out.path().join("print-1.pdf");
    // Every part in order; the form opens with its cover and 说明 and ends with the pledge.
    let squeeze = |s: String| s.split_whitespace().collect::<String>();
    let report_text = squeeze(pdf_text(&report_pdf));
    let form_text = squeeze(pdf_text(&form_pdf));
    for (text, parts) in [
        (
            &report_text,
            &[
                "1.联合体概况",
                "2.办学成效和服务能力",
                "3.特色与创新",
                "4.建设规划",
                "5.",
            ][..],
        ),
        (
            &form_text,
            &[
                "市域产教联合体推荐书",
                "说明",
                "1.联合体概况",
                "2.办学成效和服务能力",
                "3.特色与创新",
                "4.建设规划",
                "5.申报承诺",
            ][..],
        ),
    ] {
        let mut at = 0;
        for part in parts {
            let i = text[at..]
                .find(part)
                .unwrap_or_else(|| panic!("{part} missing or out of order in the PDF"));
            at += i + part.len();
        }
    }
    // No navigation on paper, and no links to files that do nothing there.
    assert!(!form_text.contains("跳到正文") && !form_text.contains("长辈模式"));
    assert!(!report_text.contains("开放数据"));
    // The annual report runs on: at most 6 A4 pages (it took 12, page 1 nearly blank, the last
    // an empty open-data page) and under 2 MB (backgrounds made it 12 MB); its first page holds
    // part 1 and its last page more than a page number.
    let pages = pdf_pages(&report_pdf);
    assert!(
        (3..=6).contains(&pages),
        "the report prints on {pages} pages"
    );
    let bytes = std::fs::metadata(&report_pdf).unwrap().len();
    assert!(bytes < 2_000_000, "the report's PDF is {bytes} bytes");
    let raw = pdf_text(&report_pdf);
    let sheets: Vec<String> = raw
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect())
        .filter(|p: &String| !p.is_empty())
        .collect();
    assert!(sheets[0].contains("1.联合体概况"), "page 1: {}", sheets[0]);
    let last = sheets.last().unwrap();
    assert!(last.chars().count() > 40, "the last page holds only {last}");
    // Every row of every table of the page is on paper, across page breaks.
    let html = std::fs::read_to_string(&form).unwrap();
    let rows = regex::Regex::new(r#"<th scope="row">([^<]+)</th>"#).unwrap();
    let mut n = 0;
    for c in rows.captures_iter(&html) {
        let label: String = c[1].split_whitespace().collect();
        assert!(
            form_text.contains(&label),
            "the row {label} is lost in print"
        );
        n += 1;
    }
    assert!(n > 40, "only {n} rows");
    // A4 pages, each part starting a page: more pages than parts.
    assert!(pdf_pages(&form_pdf) >= 7, "{} pages", pdf_pages(&form_pdf));
    // Page numbers are printed.
    let first = pdf_text(&form_pdf);
    assert!(
        first.contains("\u{c}") && first.lines().any(|l| l.trim() == "2"),
        "no page numbers"
    );
}

/// Runs the script `name` of `tests/browser/` on `pages` (with `args` first); panics with its
/// report when it fails.
fn run_script(name: &str, args: &[&str], pages: &[std::path::PathBuf]) {
    let o = Command::new("node")
        .arg(repo().join("tests/browser").join(name))
        .args(args)
        .args(pages)
        .output()
        .expect("node is installed");
    assert!(
        o.status.success(),
        "{name}: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_user_guide_reads_on_a_phone_and_has_no_wcag_violation() {
    if !browser_tools("axe-core") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("guide");
    build(&repo().join("guide"), &public, &[]);
    let (mut standard, mut elder) = (Vec::new(), Vec::new());
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            if path.starts_with(public.join("elder")) {
                elder.push(path);
            } else {
                standard.push(path);
            }
        }
    }
    assert!(standard.len() >= 10 && elder.len() >= 10);
    // No page scrolls sideways at 1280, 390 or 320 px or at 200% zoom: long file names, addresses
    // and code blocks break or wrap.
    let all: Vec<_> = standard.iter().chain(&elder).cloned().collect();
    run_script("layout.mjs", &[], &all);
    run_script("axe.mjs", &[], &standard);
    run_script("axe.mjs", &["--elder"], &elder);
    let shot = out.path().join("guide.png");
    chromium(&[
        "--window-size=360,2400",
        &format!("--screenshot={}", shot.display()),
        &url(&public.join("common-errors/index.html")),
    ])
    .unwrap();
    assert!(std::fs::read(&shot).unwrap().len() > 20_000);
}

/// Runs `tests/browser/search.mjs` on the built site at `public` with `spec`, and returns what it
/// prints.
fn search_in_chromium(public: &Path, spec: &serde_json::Value) -> serde_json::Value {
    let o = Command::new("node")
        .arg(repo().join("tests/browser/search.mjs"))
        .arg(public)
        .arg(spec.to_string())
        .output()
        .expect("node is installed");
    assert!(
        o.status.success(),
        "search.mjs: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn search_finds_what_readers_type_filtered_and_from_the_header_box() {
    if !browser_tools("puppeteer-core") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&repo(), &public, &[]);
    let strings = [
        "订单班",
        "孝产教联〔2025〕1号",
        "ＡＢＣ１２ CNC-Major",
        "湖北职院 2024年",
        "𠀀字 é Ω",
        "~c:xiaogan",
    ];
    let spec = serde_json::json!({
        "tokens": strings,
        "queries": [
            {"q": "订单班"},
            {"q": "湖北职院"},
            {"q": "孝产教联〔2025〕1号"},
            {"q": "实训基地"},
            {"q": "潍坊"},
            {"q": "订单班", "c": "xiaogan"},
            {"q": "订单班", "t": "announcement"},
            {"q": "实训基地", "c": "xiaogan", "t": "programme"},
            {"q": "湖北职院", "box": true, "width": 390},
            {"q": "湖北职院", "elder": true},
        ],
    });
    let found = search_in_chromium(&public, &spec);
    // The browser cuts text and picks shards exactly as the index does.
    for (s, js) in strings.iter().zip(found["tokens"].as_array().unwrap()) {
        let rust = chanjiao::site::search::tokens(s);
        assert_eq!(js["tokens"], serde_json::json!(rust), "tokens of {s}");
        for (t, shard) in rust.iter().zip(js["shards"].as_array().unwrap()) {
            assert_eq!(
                shard,
                &serde_json::json!(chanjiao::site::search::shard_of(t, 97)),
                "{t}"
            );
        }
    }
    let runs = found["runs"].as_array().unwrap();
    let results = |i: usize| runs[i]["results"].as_array().unwrap().clone();
    let first = |i: usize| results(i)[0].clone();
    let href = |r: &serde_json::Value| r["href"].as_str().unwrap().to_string();
    let title = |r: &serde_json::Value| r["title"].as_str().unwrap().to_string();
    assert!(title(&first(0)).contains("订单班"), "{:?}", runs[0]);
    assert!(results(0).len() >= 4, "{:?}", runs[0]);
    assert!(
        href(&first(1)).ends_with("consortia/xiaogan/members/hbzy/"),
        "{:?}",
        runs[1]
    );
    assert_eq!(first(1)["marked"], serde_json::json!(["湖北职院"]));
    assert!(href(&first(2)).ends_with("consortia/xiaogan/announcements/annual-2024/"));
    assert!(
        title(&first(3)).contains("实训基地")
            && first(3)["meta"].as_str().unwrap().contains("共建项目")
    );
    assert!(
        href(&first(4)).ends_with("consortia/weifang/"),
        "{:?}",
        runs[4]
    );
    // Filters: by consortium, by type, and both.
    assert!(
        !results(5).is_empty()
            && results(5)
                .iter()
                .all(|r| href(r).contains("consortia/xiaogan/"))
    );
    assert!(results(5).len() < results(0).len());
    assert!(
        !results(6).is_empty()
            && results(6)
                .iter()
                .all(|r| r["meta"].as_str().unwrap().contains("公告"))
    );
    assert!(results(7)
        .iter()
        .all(|r| href(r).contains("consortia/xiaogan/programmes/")));
    assert!(!results(7).is_empty());
    // The header's box at 390 px: on screen, no sideways scroll, and it leads to the results.
    let boxed = &runs[8];
    let rect = &boxed["query"]["boxRect"];
    assert!(rect["x"].as_f64().unwrap() + rect["width"].as_f64().unwrap() <= 390.0);
    assert!(boxed["query"]["scrollWidth"].as_f64().unwrap() <= 390.0);
    assert!(boxed["url"].as_str().unwrap().starts_with("/search/?q="));
    assert!(href(&results(8)[0]).ends_with("consortia/xiaogan/members/hbzy/"));
    // 长辈模式's search page leads to 长辈模式's pages.
    assert!(href(&results(9)[0]).ends_with("elder/consortia/xiaogan/members/hbzy/"));
}
