//! The live preview on one large consortium: a thousand announcements in `alpha` of the base
//! fixture, spread over years, categories and tags. Random sequences of edits that move an
//! announcement between list pages (its title, date, category, tags), change its body, add one,
//! delete one or make one a draft, change the consortium's name or an attachment; after each,
//! every output the preview serves equals what a fresh preview of the same files serves, byte for
//! byte, and none is missing or left over; an edit of a title or a body re-renders only the
//! outputs that show it. And the preview that trusts
//! its watcher, as `serve` does: a change the watcher missed is found after the rebuild.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use chanjiao::serve::Preview;
use chanjiao::site::RenderCache;
use common::*;
use proptest::prelude::*;

/// Announcements generated into `alpha`.
const MANY: usize = 1000;
const CATEGORIES: [Option<&str>; 4] = [None, Some("通知公告"), Some("媒体报道"), Some("工作动态")];
const TAGS: [&str; 3] = ["订单培养", "实训基地", "共建专业"];

fn rel(i: usize) -> String {
    format!("content/consortia/alpha/announcements/gen-{i:04}.md")
}

/// The announcement file `i` with these fields.
fn announcement(
    title: &str,
    date: &str,
    category: Option<&str>,
    tags: &[&str],
    body: &str,
) -> String {
    let mut front = format!("+++\ntitle = \"{title}\"\ndate = {date}\n");
    if let Some(c) = category {
        front.push_str(&format!("category = \"{c}\"\n"));
    }
    if !tags.is_empty() {
        let list: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
        front.push_str(&format!("tags = [{}]\n", list.join(", ")));
    }
    format!("{front}+++\n{body}\n")
}

fn date_of(n: usize) -> String {
    format!("{}-{:02}-{:02}", 2021 + n % 4, n % 12 + 1, n % 28 + 1)
}

fn tags_of(mask: usize) -> Vec<&'static str> {
    TAGS.iter()
        .enumerate()
        .filter(|(k, _)| mask >> k & 1 == 1)
        .map(|(_, t)| *t)
        .collect()
}

/// The base fixture with `MANY` more announcements in `alpha`, ten to a list page.
fn large_site() -> tempfile::TempDir {
    let site = site_copy("base");
    let config = site.path().join("content/site.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("page_size = 2", "page_size = 10")).unwrap();
    for i in 0..MANY {
        let text = announcement(
            &format!("生成公告{i}"),
            &date_of(i * 7),
            CATEGORIES[i % CATEGORIES.len()],
            &tags_of(i % 8),
            &format!("第{i}篇，联合体共建实训基地。"),
        );
        fs::write(site.path().join(rel(i)), text).unwrap();
    }
    site
}

#[derive(Debug, Clone)]
enum Edit {
    Title(usize, u16),
    Date(usize, usize),
    Category(usize, usize),
    Tags(usize, usize),
    Body(usize, u16),
    Add(u16),
    Delete(usize),
    Draft(usize),
    /// The consortium's full name, which the header of every one of its pages shows.
    Name(u16),
    /// The bytes of a file attached to an announcement (its page gives the size).
    AttachedFile(u16),
    /// The text of a Markdown attachment, printed on its announcement's page.
    AttachedText(u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = 0..MANY;
    prop_oneof![
        (i.clone(), any::<u16>()).prop_map(|(i, n)| Edit::Title(i, n)),
        (i.clone(), 0usize..2000).prop_map(|(i, d)| Edit::Date(i, d)),
        (i.clone(), 0..CATEGORIES.len()).prop_map(|(i, c)| Edit::Category(i, c)),
        (i.clone(), 0usize..8).prop_map(|(i, t)| Edit::Tags(i, t)),
        (i.clone(), any::<u16>()).prop_map(|(i, n)| Edit::Body(i, n)),
        any::<u16>().prop_map(Edit::Add),
        i.clone().prop_map(Edit::Delete),
        i.prop_map(Edit::Draft),
        any::<u16>().prop_map(Edit::Name),
        any::<u16>().prop_map(Edit::AttachedFile),
        any::<u16>().prop_map(Edit::AttachedText),
    ]
}

/// Replaces the line of the front matter that starts with `key = ` (or adds it), in file `i`.
fn set_key(root: &Path, i: usize, key: &str, line: Option<String>) -> Vec<String> {
    let path = root.join(rel(i));
    let Ok(text) = fs::read_to_string(&path) else {
        return vec![rel(i)];
    };
    let (front, body) = text[4..].split_once("+++\n").unwrap();
    let mut lines: Vec<String> = front
        .lines()
        .filter(|l| !l.starts_with(&format!("{key} = ")))
        .map(str::to_string)
        .collect();
    lines.extend(line);
    fs::write(&path, format!("+++\n{}\n+++\n{body}", lines.join("\n"))).unwrap();
    vec![rel(i)]
}

/// Applies an edit; returns the site-relative paths it touched, as a watcher reports them.
fn apply(root: &Path, e: &Edit) -> Vec<String> {
    match *e {
        Edit::Title(i, n) => set_key(root, i, "title", Some(format!("title = \"改过的标题{n}\""))),
        Edit::Date(i, d) => set_key(root, i, "date", Some(format!("date = {}", date_of(d)))),
        Edit::Category(i, c) => set_key(
            root,
            i,
            "category",
            CATEGORIES[c].map(|c| format!("category = \"{c}\"")),
        ),
        Edit::Tags(i, t) => {
            let tags: Vec<String> = tags_of(t).iter().map(|t| format!("\"{t}\"")).collect();
            set_key(
                root,
                i,
                "tags",
                (!tags.is_empty()).then(|| format!("tags = [{}]", tags.join(", "))),
            )
        }
        Edit::Body(i, n) => {
            let path = root.join(rel(i));
            if let Ok(text) = fs::read_to_string(&path) {
                fs::write(&path, format!("{text}\n补充{n}。\n")).unwrap();
            }
            vec![rel(i)]
        }
        Edit::Add(n) => {
            let rel = format!("content/consortia/alpha/announcements/new-{n}.md");
            let text = announcement(
                &format!("新增公告{n}"),
                &date_of(usize::from(n)),
                None,
                &tags_of(usize::from(n) % 8),
                "新的正文。",
            );
            fs::write(root.join(&rel), text).unwrap();
            vec![rel]
        }
        Edit::Delete(i) => {
            let _ = fs::remove_file(root.join(rel(i)));
            vec![rel(i)]
        }
        Edit::Draft(i) => set_key(root, i, "draft", Some("draft = true".into())),
        Edit::Name(n) => {
            let rel = "content/consortia/alpha/consortium.toml";
            let text = fs::read_to_string(root.join(rel)).unwrap();
            let line = text.lines().find(|l| l.starts_with("name = ")).unwrap();
            let text = text.replace(line, &format!("name = \"甲市市域产教联合体{n}\""));
            fs::write(root.join(rel), text).unwrap();
            vec![rel.to_string()]
        }
        Edit::AttachedFile(n) => {
            let rel = "content/consortia/alpha/announcements/notice/专业名单.txt";
            fs::write(root.join(rel), "名单\n".repeat(usize::from(n % 50) + 1)).unwrap();
            vec![rel.to_string()]
        }
        Edit::AttachedText(n) => {
            let rel = "content/consortia/alpha/announcements/notice/申报说明.md";
            let text = fs::read_to_string(root.join(rel)).unwrap();
            fs::write(root.join(rel), format!("{text}\n补充说明{n}。\n")).unwrap();
            vec![rel.to_string()]
        }
    }
}

fn served(cache: &RenderCache) -> BTreeMap<String, Vec<u8>> {
    cache
        .paths()
        .map(|p| (p.to_string(), cache.get(p).unwrap().to_vec()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn the_preview_of_a_large_consortium_always_equals_a_fresh_one(edits in proptest::collection::vec(edit(), 1..6)) {
        let site = large_site();
        let mut preview = Preview::new(site.path(), false);
        let mut cache = RenderCache::default();
        preview.rebuild(&[], &mut cache).map_err(|_| TestCaseError::fail("first build"))?;
        for e in &edits {
            let saved = apply(site.path(), e);
            let r = preview.rebuild(&saved, &mut cache).map_err(|_| TestCaseError::fail(format!("{e:?}")))?;
            let mut fresh = RenderCache::default();
            Preview::new(site.path(), false)
                .rebuild(&[], &mut fresh)
                .map_err(|_| TestCaseError::fail("fresh build"))?;
            let (got, want) = (served(&cache), served(&fresh));
            let differ: Vec<&String> = want.keys().filter(|k| got.get(*k) != want.get(*k)).take(5).collect();
            let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).take(5).collect();
            prop_assert!(differ.is_empty() && extra.is_empty(), "after {:?}: differ {:?}, extra {:?}", e, differ, extra);
            // A save that leaves an announcement where it stands in every list re-renders its
            // page, the list pages and feeds that show it and the search files of its words,
            // not the consortium.
            if matches!(e, Edit::Title(..) | Edit::Body(..)) {
                prop_assert!(r.changed.len() <= 60, "after {:?}: {} outputs re-rendered: {:?}", e, r.changed.len(), r.changed);
            }
        }
    }
}

/// A preview that trusts its watcher (as `serve` does) takes a file it read as it was until told
/// that it changed, even when its consortium is read again; a change the watcher missed is found
/// by `stale` after the rebuild, and the rebuild with it shows it.
#[test]
fn a_change_the_watcher_missed_is_found_after_the_rebuild() {
    let site = site_copy("base");
    let mut preview = Preview::new(site.path(), false);
    let mut cache = RenderCache::default();
    preview.rebuild(&[], &mut cache).unwrap();
    preview.trust_watcher();
    let rel = "content/consortia/alpha/announcements/notice.md";
    let page = "consortia/alpha/announcements/notice/index.html";
    let shows = |cache: &RenderCache| {
        String::from_utf8(cache.get(page).unwrap())
            .unwrap()
            .contains("未报告的修改")
    };
    let text = fs::read_to_string(site.path().join(rel)).unwrap();
    // Another size, so that the change shows whatever the resolution of the file's time.
    let edited = text.replacen("title = \"", "title = \"未报告的修改", 1);
    fs::write(site.path().join(rel), edited).unwrap();
    // Another file of the consortium is reported: the consortium is read again, the unreported
    // file taken as it was.
    let other = "content/consortia/alpha/announcements/draft.md".to_string();
    preview.rebuild(&[other], &mut cache).unwrap();
    assert!(!shows(&cache));
    let missed = preview.stale();
    assert_eq!(missed, vec![rel.to_string()]);
    preview.rebuild(&missed, &mut cache).unwrap();
    assert!(shows(&cache));
    assert!(preview.stale().is_empty());
}
