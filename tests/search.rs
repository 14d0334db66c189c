//! Site search without a browser: the index holds every announcement, member, programme,
//! consortium and free page once (never a 长辈模式 twin), each at an address that was built; the
//! filters name what the site has; `[search] enabled = false` leaves no index, no search page and
//! no search box. The browser half is in `tests/browser.rs`.

mod common;

use std::fs;

use common::*;

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn every_page_is_indexed_once_at_an_address_that_exists() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    build(&repo(), &public, &[]);
    let meta = json(&public.join("search/meta.json"));
    let docs = meta["docs"].as_u64().unwrap() as usize;
    let fragment = meta["fragment"].as_u64().unwrap() as usize;
    let mut urls = Vec::new();
    let parts = meta["parts"].as_array().unwrap();
    for (k, part) in parts.iter().enumerate() {
        let (folder, start) = (
            part[0].as_str().unwrap(),
            part[1].as_u64().unwrap() as usize,
        );
        let end = parts
            .get(k + 1)
            .map_or(docs, |p| p[1].as_u64().unwrap() as usize);
        assert_eq!(start, urls.len());
        for i in 0..(end - start).div_ceil(fragment) {
            let f = json(&public.join(format!("search/f/{folder}/{i}.json")));
            for row in f.as_array().unwrap() {
                urls.push(row[0].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(meta["kinds"].as_str().unwrap().len(), docs);
    assert_eq!(urls.len(), docs);
    let mut unique = urls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), docs, "a page is indexed twice");
    for u in &urls {
        assert!(!u.starts_with("elder/"), "{u}: a 长辈模式 page is indexed");
        let decoded = percent_encoding::percent_decode_str(u)
            .decode_utf8()
            .unwrap();
        assert!(
            public.join(&*decoded).join("index.html").is_file(),
            "{u} was not built"
        );
    }
    // Every announcement, member, programme and consortium of the bundled example.
    let content = repo().join("content/consortia");
    let mut expected = 0;
    for c in fs::read_dir(&content).unwrap() {
        let c = c.unwrap().path();
        expected += 1;
        for folder in ["announcements", "programmes", "pages"] {
            if let Ok(files) = fs::read_dir(c.join(folder)) {
                expected += files
                    .filter(|f| {
                        f.as_ref()
                            .unwrap()
                            .path()
                            .extension()
                            .is_some_and(|e| e == "md")
                    })
                    .count();
            }
        }
        let members = fs::read_to_string(c.join("members.toml")).unwrap();
        expected += members.matches("[[member]]").count();
    }
    expected += fs::read_dir(repo().join("content/pages")).unwrap().count();
    assert_eq!(docs, expected);
    let facets = &meta["facets"];
    let values = |k: &str| -> Vec<String> {
        facets[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(values("consortia"), ["baoqing", "weifang", "xiaogan"]);
    assert!(values("categories").contains(&"年度总结".to_string()));
    assert!(values("years").contains(&"2024".to_string()));
    // The search page has its 长辈模式 twin, which leads to 长辈模式 pages; neither is in the sitemap.
    let elder = fs::read_to_string(public.join("elder/search/index.html")).unwrap();
    assert!(elder.contains(r#"data-index="../../search/" data-root="../../elder/""#));
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/search/"));
    // Every page's header has the box, which works without JavaScript: a form sent to the page.
    let home = fs::read_to_string(public.join("consortia/xiaogan/index.html")).unwrap();
    assert!(home.contains(
        r#"<form class="site-search" role="search" action="../../search/" method="get">"#
    ));
}

#[test]
fn search_can_be_turned_off() {
    let site = site_copy("base");
    let config = site.path().join("content/site.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\n[search]\nenabled = false\n");
    fs::write(&config, text).unwrap();
    let public = site.path().join("public");
    build(site.path(), &public, &[]);
    assert!(!public.join("search").exists());
    assert!(!public.join("elder/search").exists());
    for (rel, bytes) in read_tree(&public) {
        if rel.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(!html.contains("site-search"), "{rel} has a search box");
        }
    }
}
