//! The live preview with the real binary: `chanjiao serve` on a free port over a copy of the base
//! fixture; edits on disk reach the event stream and the served pages; a broken file shows the
//! overlay and fixing it clears it; pages come and go with their files; requests that try to leave
//! the output get nothing; an interrupted build leaves no staging folder. And, in process, random
//! sequences of edits always leave the preview equal to a clean build, byte for byte.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{fs, thread};

use common::*;

/// One HTTP/1.1 request with the given raw path and Host; returns (status, headers, body).
fn request(port: u16, method: &str, path: &str, host: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = request(port, "GET", path, &format!("127.0.0.1:{port}"));
    (status, body)
}

/// The event stream of a server, read on a thread of its own.
struct Events(mpsc::Receiver<String>);

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /__chanjiao/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if tx.send(format!("{event} {data}")).is_err() {
                        break;
                    }
                }
            }
        });
        // Let the subscription reach the server before anything is edited.
        thread::sleep(Duration::from_millis(300));
        Events(rx)
    }

    /// Waits for an event of this name; returns its data.
    fn wait(&self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let e = self
                .0
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{name}` event"));
            if let Some(data) = e.strip_prefix(&format!("{name} ")) {
                return data.to_string();
            }
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn an_edit_reaches_the_page_and_the_event_stream() {
    let site = site_copy("base");
    let server = serve(site.path());
    let (status, page) = get(server.port, "/consortia/alpha/announcements/majors/");
    assert_eq!(status, 200);
    assert!(page.contains("联合体新增共建专业3个。"));
    assert!(
        page.contains("/__chanjiao/events"),
        "the reload script is served"
    );
    let events = Events::open(server.port);
    edit(
        &site
            .path()
            .join("content/consortia/alpha/announcements/majors.md"),
        "summary = \"联合体新增共建专业3个。\"",
        "summary = \"联合体新增共建专业4个。\"",
    );
    let changed = events.wait("reload");
    assert!(
        changed.contains("\"consortia/alpha/announcements/majors/\""),
        "{changed}"
    );
    // Only the pages that show the summary were re-rendered.
    assert!(!changed.contains("members"), "{changed}");
    let (_, page) = get(server.port, "/consortia/alpha/announcements/majors/");
    assert!(page.contains("联合体新增共建专业4个。"));
    // The terminal has one line for the rebuild.
    let line = server
        .log
        .recv_timeout(Duration::from_secs(5))
        .expect("a line per rebuild");
    assert!(
        line.contains("majors.md") && line.contains("re-rendered"),
        "{line}"
    );
}

#[test]
fn a_broken_file_shows_the_overlay_until_it_is_fixed() {
    let site = site_copy("base");
    let server = serve(site.path());
    let events = Events::open(server.port);
    let members = site.path().join("content/consortia/alpha/members.toml");
    let good = fs::read_to_string(&members).unwrap();
    fs::write(&members, format!("{good}\nbroken = \n")).unwrap();
    let overlay = events.wait("overlay");
    let at = format!(
        "content/consortia/alpha/members.toml:{}:10: error: invalid TOML",
        good.lines().count() + 2
    );
    assert!(overlay.contains(&at), "{overlay}");
    // Every page shows it, escaped, over the last good content.
    let (status, page) = get(server.port, "/consortia/alpha/");
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"chanjiao-overlay\"") && page.contains(&at),
        "{page}"
    );
    assert!(page.contains("broken = "));
    assert!(page.contains("甲市市域产教联合体"));
    fs::write(&members, good).unwrap();
    events.wait("clear");
    let (_, page) = get(server.port, "/consortia/alpha/");
    assert!(!page.contains("id=\"chanjiao-overlay\""));
}

#[test]
fn serve_on_a_broken_site_serves_the_overlay() {
    let site = site_copy("base");
    let profile = site.path().join("content/consortia/alpha/consortium.toml");
    edit(
        &profile,
        "short_name = \"甲市联合体\"",
        "short_name = \"甲市联合体",
    );
    let server = serve(site.path());
    let (status, page) = get(server.port, "/");
    assert_eq!(status, 404, "nothing was built yet");
    assert!(
        page.contains("content/consortia/alpha/consortium.toml:2:"),
        "{page}"
    );
    let events = Events::open(server.port);
    edit(
        &profile,
        "short_name = \"甲市联合体",
        "short_name = \"甲市联合体\"",
    );
    events.wait("clear");
    let (status, page) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"chanjiao-overlay\""));
}

#[test]
fn pages_come_and_go_with_their_files() {
    let site = site_copy("base");
    let server = serve(site.path());
    let events = Events::open(server.port);
    let new = site
        .path()
        .join("content/consortia/alpha/announcements/new-base.md");
    fs::write(
        &new,
        "+++\ntitle = \"新建实训基地投入使用\"\ndate = 2024-10-08\n+++\n正文。\n",
    )
    .unwrap();
    let changed = events.wait("reload");
    assert!(
        changed.contains("consortia/alpha/announcements/new-base/"),
        "{changed}"
    );
    let (status, page) = get(server.port, "/consortia/alpha/announcements/new-base/");
    assert_eq!(status, 200);
    assert!(page.contains("新建实训基地投入使用"));
    let (_, list) = get(server.port, "/consortia/alpha/announcements/");
    assert!(list.contains("新建实训基地投入使用"));
    let (_, sitemap) = get(server.port, "/sitemap.xml");
    assert!(sitemap.contains("announcements/new-base/"));
    fs::remove_file(&new).unwrap();
    let changed = events.wait("reload");
    assert!(
        changed.contains("consortia/alpha/announcements/new-base/"),
        "{changed}"
    );
    let (status, _) = get(server.port, "/consortia/alpha/announcements/new-base/");
    assert_eq!(status, 404);
    let (_, list) = get(server.port, "/consortia/alpha/announcements/");
    assert!(!list.contains("新建实训基地投入使用"));
    let (_, sitemap) = get(server.port, "/sitemap.xml");
    assert!(!sitemap.contains("announcements/new-base/"));
}

#[test]
fn requests_never_leave_the_output() {
    let site = site_copy("base");
    let secret = "SECRET-OUTSIDE-THE-OUTPUT";
    fs::write(site.path().join("secret.txt"), secret).unwrap();
    fs::write(site.path().join("content/secret.txt"), secret).unwrap();
    // A static file that is a link out of the site is not served either.
    fs::create_dir_all(site.path().join("static")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.path().join("secret.txt"),
        site.path().join("static/link.txt"),
    )
    .unwrap();
    let server = serve(site.path());
    let port = server.port;
    let attacks = [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/static\\..\\..\\secret.txt",
        "/content/secret.txt",
        "/link.txt",
        "//etc/passwd",
        "/./secret.txt",
        "/%ff",
        "/%C0%AE%C0%AE/secret.txt",
    ];
    for path in attacks {
        let (status, _, body) = request(port, "GET", path, &format!("127.0.0.1:{port}"));
        assert!(
            !body.contains(secret) && !body.contains("root:x:0"),
            "{path} leaked a file"
        );
        assert_ne!(status, 200, "{path} answered 200");
    }
    // Only GET and HEAD.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let (status, _, _) = request(port, method, "/", &format!("127.0.0.1:{port}"));
        assert_eq!(status, 405, "{method}");
    }
    // A folder without its slash is redirected on this server, never to another host.
    let (status, head, _) = request(port, "GET", "//about", &format!("127.0.0.1:{port}"));
    assert_eq!(status, 301);
    assert!(head.contains("location: /about/"), "{head}");
    let (status, head, body) = request(port, "HEAD", "/", &format!("localhost:{port}"));
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(!head
        .to_ascii_lowercase()
        .contains("access-control-allow-origin"));
    // Another name for this address (DNS rebinding) is refused.
    let (status, _, body) = request(port, "GET", "/", &format!("attacker.example:{port}"));
    assert_eq!(status, 421);
    assert!(!body.contains("甲市"));
}

/// Sends a signal with the shell's own `kill` (a builtin, so no package is needed).
fn signal_process(pid: u32, signal: &str) -> std::process::ExitStatus {
    Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {pid}"))
        .status()
        .unwrap()
}

/// A site large enough that its build takes a while: one consortium, many announcements.
fn large_site() -> tempfile::TempDir {
    let site = site_copy("base");
    let dir = site.path().join("content/consortia/alpha/announcements");
    for i in 0..4000 {
        fs::write(
            dir.join(format!("bulk-{i:05}.md")),
            format!(
                "+++\ntitle = \"公告{i}\"\ndate = 2024-05-{:02}\n+++\n{}\n",
                i % 28 + 1,
                "联合体成员学校与企业共建课程与实训基地。".repeat(40)
            ),
        )
        .unwrap();
    }
    site
}

fn staging_left(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-") || n.contains(".old-"))
        .collect()
}

#[test]
fn an_interrupted_build_leaves_nothing_behind() {
    let site = large_site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(site.path(), &public, &[]);
    let pages = read_tree(&public).len();
    for signal in ["INT", "TERM", "KILL"] {
        let mut child = command()
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&public)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the staging folder is being written, then stop the build.
        let deadline = Instant::now() + Duration::from_secs(20);
        while staging_left(out.path()).is_empty() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        thread::sleep(Duration::from_millis(30));
        let stopped = signal_process(child.id(), signal);
        assert!(stopped.success());
        let status = child.wait().unwrap();
        if signal == "KILL" {
            // Killed outright: its staging folder stays until the next build.
            build(site.path(), &public, &[]);
        } else {
            assert!(!status.success(), "{signal}: the build was not stopped");
        }
        assert_eq!(staging_left(out.path()), Vec::<String>::new(), "{signal}");
        assert_eq!(
            read_tree(&public).len(),
            pages,
            "{signal}: the output is whole"
        );
    }
}

mod edits {
    //! Random sequences of edits; after each, the preview's outputs equal a clean build's.

    use super::*;
    use chanjiao::serve::Preview;
    use chanjiao::site::RenderCache;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Edit {
        AddAnnouncement(u8),
        ChangeAnnouncement(u8),
        DeleteAnnouncement(u8),
        RenameAnnouncement(u8),
        RenameMember(u8),
        AddMember(u8),
        ChangeIndicator(u16),
        ChangeTemplate(u8),
        RemoveTemplate,
        BreakThenFix,
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (0u8..4).prop_map(Edit::AddAnnouncement),
            (0u8..4).prop_map(Edit::ChangeAnnouncement),
            (0u8..4).prop_map(Edit::DeleteAnnouncement),
            (0u8..4).prop_map(Edit::RenameAnnouncement),
            (0u8..6).prop_map(Edit::RenameMember),
            (0u8..3).prop_map(Edit::AddMember),
            (1u16..500).prop_map(Edit::ChangeIndicator),
            (0u8..3).prop_map(Edit::ChangeTemplate),
            Just(Edit::RemoveTemplate),
            Just(Edit::BreakThenFix),
        ]
    }

    /// Applies an edit; returns the site-relative paths it touched, as a watcher would report them.
    fn apply(root: &Path, e: &Edit) -> Vec<String> {
        let ann = root.join("content/consortia/alpha/announcements");
        let members = root.join("content/consortia/alpha/members.toml");
        let a = |name: String| format!("content/consortia/alpha/announcements/{name}");
        let m = || vec!["content/consortia/alpha/members.toml".to_string()];
        match e {
            Edit::AddAnnouncement(i) => {
                fs::write(
                    ann.join(format!("gen-{i}.md")),
                    format!(
                        "+++\ntitle = \"生成公告{i}\"\ndate = 2024-0{}-10\n+++\n第{i}篇。\n",
                        i + 1
                    ),
                )
                .unwrap();
                vec![a(format!("gen-{i}.md"))]
            }
            Edit::ChangeAnnouncement(i) => {
                let p = ann.join(format!("gen-{i}.md"));
                if p.exists() {
                    let t = fs::read_to_string(&p).unwrap();
                    fs::write(&p, t.replace("篇。", "篇，已更新。")).unwrap();
                }
                vec![a(format!("gen-{i}.md"))]
            }
            Edit::DeleteAnnouncement(i) => {
                let _ = fs::remove_file(ann.join(format!("gen-{i}.md")));
                vec![a(format!("gen-{i}.md"))]
            }
            Edit::RenameAnnouncement(i) => {
                let from = ann.join(format!("gen-{i}.md"));
                if from.exists() {
                    fs::rename(&from, ann.join(format!("moved-{i}.md"))).unwrap();
                }
                vec![a(format!("gen-{i}.md")), a(format!("moved-{i}.md"))]
            }
            Edit::RenameMember(i) => {
                let t = fs::read_to_string(&members).unwrap();
                let names = [
                    "甲市高新区管委会",
                    "甲市职业技术学院",
                    "甲市职业教育中心",
                    "甲市学院",
                    "甲市装备集团有限公司",
                    "甲市产业技术研究院",
                ];
                let n = names[usize::from(*i)];
                if t.contains(&format!("name = \"{n}\"")) {
                    fs::write(
                        &members,
                        t.replace(&format!("name = \"{n}\""), &format!("name = \"{n}（改）\"")),
                    )
                    .unwrap();
                }
                m()
            }
            Edit::AddMember(i) => {
                let mut t = fs::read_to_string(&members).unwrap();
                let id = format!("extra{i}");
                if !t.contains(&format!("id = \"{id}\"")) {
                    t.push_str(&format!("\n[[member]]\nid = \"{id}\"\nname = \"新增企业{i}\"\nkind = \"enterprise\"\njoined = 2024-03-01\n"));
                    fs::write(&members, t).unwrap();
                }
                m()
            }
            Edit::ChangeIndicator(v) => {
                let p = root.join("content/consortia/alpha/indicators.toml");
                let t = fs::read_to_string(&p).unwrap();
                let line = t
                    .lines()
                    .find(|l| l.starts_with("local_orders"))
                    .unwrap()
                    .to_string();
                fs::write(
                    &p,
                    t.replace(&line, &format!("local_orders = {{ 2024 = {v} }}")),
                )
                .unwrap();
                vec!["content/consortia/alpha/indicators.toml".to_string()]
            }
            Edit::ChangeTemplate(i) => {
                let dir = root.join("themes/default/templates");
                fs::create_dir_all(&dir).unwrap();
                let base = chanjiao::render::templates::DEFAULT_TEMPLATES
                    .iter()
                    .find(|(n, _)| *n == "404.html")
                    .unwrap()
                    .1;
                fs::write(
                    dir.join("404.html"),
                    base.replace("页面未找到", &format!("页面未找到（{i}）")),
                )
                .unwrap();
                vec!["themes/default/templates/404.html".to_string()]
            }
            Edit::RemoveTemplate => {
                let _ = fs::remove_file(root.join("themes/default/templates/404.html"));
                vec!["themes/default/templates/404.html".to_string()]
            }
            Edit::BreakThenFix => vec!["content/site.toml".to_string()],
        }
    }

    /// The preview's outputs as a map like `read_tree` gives for a built folder.
    fn served(cache: &RenderCache) -> std::collections::BTreeMap<String, Vec<u8>> {
        cache
            .paths()
            .map(|p| (p.to_string(), cache.get(p).unwrap().to_vec()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn the_preview_always_equals_a_clean_build(edits in proptest::collection::vec(edit(), 1..8)) {
            let site = site_copy("base");
            let mut preview = Preview::new(site.path(), false);
            let mut cache = RenderCache::default();
            preview.rebuild(&[], &mut cache).map_err(|_| TestCaseError::fail("first build"))?;
            for e in &edits {
                let saved = apply(site.path(), e);
                if let Edit::BreakThenFix = e {
                    // A failed rebuild keeps the last good outputs, and the next one catches up.
                    let p = site.path().join("content/site.toml");
                    let good = fs::read_to_string(&p).unwrap();
                    fs::write(&p, format!("{good}\n= broken\n")).unwrap();
                    let before = served(&cache);
                    prop_assert!(preview.rebuild(&saved, &mut cache).is_err());
                    prop_assert_eq!(&served(&cache), &before);
                    fs::write(&p, good).unwrap();
                }
                preview.rebuild(&saved, &mut cache).map_err(|_| TestCaseError::fail(format!("{e:?}")))?;
                let out = tempfile::tempdir().unwrap();
                let public = out.path().join("public");
                build(site.path(), &public, &[]);
                let mut clean = read_tree(&public);
                clean.remove(".chanjiao-output");
                let got = served(&cache);
                let differ: Vec<&String> = clean.keys().filter(|k| got.get(*k) != clean.get(*k)).collect();
                let extra: Vec<&String> = got.keys().filter(|k| !clean.contains_key(*k)).collect();
                prop_assert!(differ.is_empty() && extra.is_empty(), "after {:?}: differ {:?}, extra {:?}", e, differ, extra);
            }
        }
    }
}

#[test]
fn a_busy_port_gives_the_next_one_and_ctrl_c_stops_at_once() {
    let site = site_copy("base");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().port();
    let mut child = command()
        .args(["serve", "--port", &busy.to_string(), "--root"])
        .arg(site.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let serving = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("Serving at"))
        .expect("serve says where it listens");
    assert!(
        serving.contains(&format!("(port {busy} was busy)")),
        "{serving}"
    );
    let port: u16 = serving
        .trim_start_matches("Serving at http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(port, busy);
    // An open event stream does not hold the server up.
    let _events = Events::open(port);
    let stopped = Instant::now();
    assert!(signal_process(child.id(), "INT").success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(stopped.elapsed() < Duration::from_secs(5));
    drop(taken);
}

#[test]
fn a_theme_folder_made_while_serving_is_watched() {
    let site = site_copy("base");
    assert!(!site.path().join("themes").exists());
    let server = serve(site.path());
    let events = Events::open(server.port);
    let dir = site.path().join("themes/default/templates");
    fs::create_dir_all(&dir).unwrap();
    let page = chanjiao::render::templates::DEFAULT_TEMPLATES
        .iter()
        .find(|(n, _)| *n == "404.html")
        .unwrap()
        .1;
    fs::write(
        dir.join("404.html"),
        page.replace("页面未找到", "找不到页面"),
    )
    .unwrap();
    events.wait("reload");
    let (_, body) = get(server.port, "/404.html");
    assert!(body.contains("找不到页面"));
    // A second save in the new folder is seen too: it is watched, not just noticed once.
    thread::sleep(Duration::from_millis(200));
    fs::write(
        dir.join("404.html"),
        page.replace("页面未找到", "此页不存在"),
    )
    .unwrap();
    events.wait("reload");
    let (_, body) = get(server.port, "/404.html");
    assert!(body.contains("此页不存在"));
}
