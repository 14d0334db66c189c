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

/// A LAN neighbour opening 2,000 silent connections (some sending half a request head, as a slow
/// client does) against a preview limited to 1,024 descriptors: the editor's next request is
/// still answered within a second, because silent connections are closed oldest first once 256
/// are open.
#[test]
fn a_request_is_answered_while_two_thousand_idle_connections_are_open() {
    let site = site_copy("base");
    let server = serve_with_descriptors(site.path(), 1024);
    let port = server.port;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let opened = Instant::now();
    let mut idle = Vec::new();
    for i in 0..2000 {
        let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("connection {i}: {e}"));
        if i % 40 == 0 {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHo");
        }
        idle.push(s);
    }
    let opening = opened.elapsed();
    let started = Instant::now();
    let (status, body) = get(port, "/");
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    assert!(
        took < Duration::from_secs(1),
        "answered after {took:?} with {} idle connections",
        idle.len()
    );
    // The event stream, once opened, is kept however many silent connections follow.
    let events = Events::open(port);
    for _ in 0..600 {
        if let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_secs(10)) {
            idle.push(s);
        }
    }
    fs::write(
        site.path().join("content/pages/about.md"),
        "+++\ntitle = \"关于\"\n+++\n改过的正文。\n",
    )
    .unwrap();
    events.wait("reload");
    eprintln!(
        "idle connections: {} opened in {opening:?}; a request answered in {took:?}",
        idle.len()
    );
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
    let broken = format!("{good}\nbroken = \n");
    // An editor that saves in two steps a moment apart: the first leaves the file broken, and
    // the preview rebuilds between them. That moment is never shown.
    fs::write(&members, &broken).unwrap();
    thread::sleep(Duration::from_millis(150));
    let renamed = good.replace("甲市职业教育中心", "甲市第一职业教育中心");
    fs::write(&members, &renamed).unwrap();
    let first = events
        .0
        .recv_timeout(Duration::from_secs(15))
        .expect("an event after the saves");
    assert!(first.starts_with("reload "), "{first}");
    let (_, page) = get(server.port, "/consortia/alpha/members/");
    assert!(!page.contains("id=\"chanjiao-overlay\""));
    assert!(
        page.contains("甲市第一职业教育中心"),
        "the second save is shown"
    );
    // A file left broken is shown, once no other change comes.
    fs::write(&members, &broken).unwrap();
    let overlay = events.wait("overlay");
    let at = format!(
        "content/consortia/alpha/members.toml:{}:10: error[invalid-toml]: invalid TOML",
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
    // A static file that is a link out of static/ (here to the site's root) is refused where it
    // is, and never served.
    #[cfg(unix)]
    {
        let events = Events::open(port);
        fs::create_dir_all(site.path().join("static")).unwrap();
        std::os::unix::fs::symlink(
            site.path().join("secret.txt"),
            site.path().join("static/link.txt"),
        )
        .unwrap();
        let overlay = events.wait("overlay");
        assert!(overlay.contains("outside-root"), "{overlay}");
        let (status, _, body) = request(port, "GET", "/link.txt", &format!("127.0.0.1:{port}"));
        assert!(!body.contains(secret), "/link.txt leaked a file");
        assert_ne!(status, 200, "/link.txt answered 200");
    }
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
        .filter(|n| n.contains(".staging-") || n.contains(".old-") || n.contains(".lock-"))
        .collect()
}

/// Whether a process has ended and not been reaped (state `Z` in /proc).
fn is_zombie(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit(')')
                .next()
                .map(|r| r.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

#[test]
fn the_output_folder_exists_at_every_instant_of_a_rebuild() {
    let site = large_site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(site.path(), &public, &[]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (stop, index) = (stop.clone(), public.join("index.html"));
        thread::spawn(move || {
            let mut missing = 0;
            let mut looks = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                looks += 1;
                if !index.exists() {
                    missing += 1;
                }
            }
            (missing, looks)
        })
    };
    for _ in 0..3 {
        build(site.path(), &public, &[]);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (missing, looks) = watcher.join().unwrap();
    assert!(looks > 100, "the watcher looked only {looks} times");
    assert_eq!(
        missing, 0,
        "index.html was missing {missing} times of {looks}"
    );
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
        if signal == "KILL" {
            // Killed outright: its staging folder stays until the next build, which runs while
            // the killed build is left unreaped (a zombie, still listed in /proc, as under a
            // container's PID 1 that does not reap): its free lock tells it is gone.
            let deadline = Instant::now() + Duration::from_secs(10);
            while !is_zombie(child.id()) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(5));
            }
            assert!(is_zombie(child.id()), "the killed build is not a zombie");
            build(site.path(), &public, &[]);
            child.wait().unwrap();
        } else {
            let status = child.wait().unwrap();
            // One exit code for an interrupted build, however far it got.
            assert_eq!(status.code(), Some(130), "{signal}: {status:?}");
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
    //! Random sequences of edits over a site of two consortia (the second draws a chart of the
    //! first's figures); after each, the preview's outputs equal a clean build's.

    use super::*;
    use chanjiao::serve::Preview;
    use chanjiao::site::RenderCache;
    use proptest::prelude::*;

    /// The consortia edits choose from, and the prefix of their members' names.
    const CONSORTIA: [(&str, &str); 2] = [("alpha", "甲市"), ("beta", "乙市")];

    #[derive(Debug, Clone)]
    enum Edit {
        AddAnnouncement(usize, u8),
        ChangeAnnouncement(usize, u8),
        DeleteAnnouncement(usize, u8),
        RenameAnnouncement(usize, u8),
        RenameMember(usize, u8),
        AddMember(usize, u8),
        ChangeIndicator(usize, u16),
        PublishDraft,
        ChangeTemplate(u8),
        RemoveTemplate,
        BreakThenFix,
        BreakConsortiumThenFix,
        AddConsortium,
        RemoveConsortium,
        ChangePageSize(u8),
        ChangeFreePage(u8),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let c = 0..CONSORTIA.len();
        prop_oneof![
            (c.clone(), 0u8..4).prop_map(|(c, i)| Edit::AddAnnouncement(c, i)),
            (c.clone(), 0u8..4).prop_map(|(c, i)| Edit::ChangeAnnouncement(c, i)),
            (c.clone(), 0u8..4).prop_map(|(c, i)| Edit::DeleteAnnouncement(c, i)),
            (c.clone(), 0u8..4).prop_map(|(c, i)| Edit::RenameAnnouncement(c, i)),
            (c.clone(), 0u8..6).prop_map(|(c, i)| Edit::RenameMember(c, i)),
            (c.clone(), 0u8..3).prop_map(|(c, i)| Edit::AddMember(c, i)),
            (c, 1u16..500).prop_map(|(c, v)| Edit::ChangeIndicator(c, v)),
            Just(Edit::PublishDraft),
            (0u8..3).prop_map(Edit::ChangeTemplate),
            Just(Edit::RemoveTemplate),
            Just(Edit::BreakThenFix),
            Just(Edit::BreakConsortiumThenFix),
            Just(Edit::AddConsortium),
            Just(Edit::RemoveConsortium),
            (1u8..4).prop_map(Edit::ChangePageSize),
            (0u8..3).prop_map(Edit::ChangeFreePage),
        ]
    }

    /// Copies a folder, putting `to` for `from` in every text file.
    fn copy_replacing(src: &Path, dst: &Path, from: &str, to: &str) {
        fs::create_dir_all(dst).unwrap();
        for e in fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            let target = dst.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy_replacing(&e.path(), &target, from, to);
            } else {
                let bytes = fs::read(e.path()).unwrap();
                match String::from_utf8(bytes) {
                    Ok(t) => fs::write(target, t.replace(from, to)).unwrap(),
                    Err(e) => fs::write(target, e.into_bytes()).unwrap(),
                }
            }
        }
    }

    /// The base fixture with a second consortium, `beta`, whose announcement charts `alpha`'s
    /// own indicator and cites its value in a sentence (a figure reference): an edit of the value
    /// must reach both.
    fn two_consortia() -> tempfile::TempDir {
        let site = site_copy("base");
        let dir = site.path().join("content/consortia");
        copy_replacing(&dir.join("alpha"), &dir.join("beta"), "甲市", "乙市");
        fs::write(
            dir.join("beta/announcements/chart.md"),
            "+++\ntitle = \"甲市订单培养\"\ndate = 2024-05-01\n+++\n2024年甲市订单培养{{ 指标(\"alpha\", \"local_orders\", 2024) }}，见下图。\n\n```chart\nindicator = \"local_orders\"\nconsortium = \"alpha\"\n```\n",
        )
        .unwrap();
        site
    }

    /// Applies an edit; returns the site-relative paths it touched, as a watcher would report them.
    fn apply(root: &Path, e: &Edit) -> Vec<String> {
        let dir = |c: usize| format!("content/consortia/{}", CONSORTIA[c].0);
        let ann = |c: usize, name: &str| format!("{}/announcements/{name}", dir(c));
        let members = |c: usize| format!("{}/members.toml", dir(c));
        match e {
            Edit::AddAnnouncement(c, i) => {
                let rel = ann(*c, &format!("gen-{i}.md"));
                fs::write(
                    root.join(&rel),
                    format!(
                        "+++\ntitle = \"生成公告{i}\"\ndate = 2024-0{}-10\n+++\n第{i}篇。\n",
                        i + 1
                    ),
                )
                .unwrap();
                vec![rel]
            }
            Edit::ChangeAnnouncement(c, i) => {
                let rel = ann(*c, &format!("gen-{i}.md"));
                let p = root.join(&rel);
                if p.exists() {
                    let t = fs::read_to_string(&p).unwrap();
                    fs::write(&p, t.replace("篇。", "篇，已更新。")).unwrap();
                }
                vec![rel]
            }
            Edit::DeleteAnnouncement(c, i) => {
                let rel = ann(*c, &format!("gen-{i}.md"));
                let _ = fs::remove_file(root.join(&rel));
                vec![rel]
            }
            Edit::RenameAnnouncement(c, i) => {
                let (from, to) = (
                    ann(*c, &format!("gen-{i}.md")),
                    ann(*c, &format!("moved-{i}.md")),
                );
                if root.join(&from).exists() {
                    fs::rename(root.join(&from), root.join(&to)).unwrap();
                }
                vec![from, to]
            }
            Edit::RenameMember(c, i) => {
                let p = root.join(members(*c));
                let t = fs::read_to_string(&p).unwrap();
                let city = CONSORTIA[*c].1;
                let names = [
                    "高新区管委会",
                    "职业技术学院",
                    "职业教育中心",
                    "学院",
                    "装备集团有限公司",
                    "产业技术研究院",
                ];
                let n = format!("{city}{}", names[usize::from(*i)]);
                if t.contains(&format!("name = \"{n}\"")) {
                    fs::write(
                        &p,
                        t.replace(&format!("name = \"{n}\""), &format!("name = \"{n}（改）\"")),
                    )
                    .unwrap();
                }
                vec![members(*c)]
            }
            Edit::AddMember(c, i) => {
                let p = root.join(members(*c));
                let mut t = fs::read_to_string(&p).unwrap();
                let id = format!("extra{i}");
                if !t.contains(&format!("id = \"{id}\"")) {
                    t.push_str(&format!("\n[[member]]\nid = \"{id}\"\nname = \"新增企业{i}\"\nkind = \"enterprise\"\njoined = 2024-03-01\n"));
                    fs::write(&p, t).unwrap();
                }
                vec![members(*c)]
            }
            Edit::ChangeIndicator(c, v) => {
                let rel = format!("{}/indicators.toml", dir(*c));
                let p = root.join(&rel);
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
                vec![rel]
            }
            Edit::PublishDraft => {
                let rel = ann(0, "draft.md");
                let p = root.join(&rel);
                let t = fs::read_to_string(&p).unwrap();
                fs::write(&p, t.replace("draft = true", "draft = false")).unwrap();
                vec![rel]
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
            Edit::BreakConsortiumThenFix => vec![members(1)],
            Edit::AddConsortium => {
                // A folder that appears with its files already inside, as a copy or a move does.
                let to = root.join("content/consortia/gamma");
                if !to.exists() {
                    let staged = root.join("gamma.tmp");
                    copy_replacing(&root.join(dir(0)), &staged, "甲市", "丙市");
                    fs::rename(&staged, &to).unwrap();
                }
                vec!["content/consortia/gamma".to_string()]
            }
            Edit::RemoveConsortium => {
                let _ = fs::remove_dir_all(root.join("content/consortia/gamma"));
                vec!["content/consortia/gamma".to_string()]
            }
            Edit::ChangePageSize(n) => {
                let p = root.join("content/site.toml");
                let t = fs::read_to_string(&p).unwrap();
                let line = t
                    .lines()
                    .find(|l| l.starts_with("page_size"))
                    .unwrap()
                    .to_string();
                fs::write(&p, t.replace(&line, &format!("page_size = {n}"))).unwrap();
                vec!["content/site.toml".to_string()]
            }
            Edit::ChangeFreePage(i) => {
                let p = root.join("content/pages/about.md");
                let t = fs::read_to_string(&p).unwrap();
                fs::write(&p, format!("{t}\n补充说明{i}。\n")).unwrap();
                vec!["content/pages/about.md".to_string()]
            }
        }
    }

    /// The preview's outputs as a map like `read_tree` gives for a built folder.
    fn served(cache: &RenderCache) -> std::collections::BTreeMap<String, Vec<u8>> {
        cache
            .paths()
            .map(|p| (p.to_string(), cache.get(p).unwrap().to_vec()))
            .collect()
    }

    /// Breaks a file, checks that the rebuild fails and keeps the last good outputs, and mends it.
    fn break_and_fix(
        preview: &mut Preview,
        cache: &mut RenderCache,
        path: &Path,
        saved: &[String],
    ) -> Result<(), TestCaseError> {
        let good = fs::read_to_string(path).unwrap();
        fs::write(path, format!("{good}\n= broken\n")).unwrap();
        let before = served(cache);
        prop_assert!(preview.rebuild(saved, cache).is_err());
        prop_assert_eq!(&served(cache), &before);
        fs::write(path, good).unwrap();
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn the_preview_always_equals_a_clean_build(edits in proptest::collection::vec(edit(), 1..10)) {
            let site = two_consortia();
            let mut preview = Preview::new(site.path(), false);
            let mut cache = RenderCache::default();
            preview.rebuild(&[], &mut cache).map_err(|_| TestCaseError::fail("first build"))?;
            for e in &edits {
                let saved = apply(site.path(), e);
                match e {
                    Edit::BreakThenFix | Edit::BreakConsortiumThenFix => {
                        // A failed rebuild keeps the last good outputs, and the next one catches up.
                        break_and_fix(&mut preview, &mut cache, &site.path().join(&saved[0]), &saved)?;
                    }
                    _ => {}
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

    /// A static file that takes the path of a page of a consortium no save touched is refused, as
    /// a build refuses it, and the page stays served.
    #[test]
    fn a_static_file_over_a_kept_page_is_refused() {
        let site = two_consortia();
        let mut preview = Preview::new(site.path(), false);
        let mut cache = RenderCache::default();
        preview.rebuild(&[], &mut cache).unwrap();
        let page = "consortia/beta/index.html";
        let before = cache.get(page).unwrap().to_vec();
        let dir = site.path().join("static/consortia/beta");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.html"), "static").unwrap();
        let saved = vec!["static/consortia/beta/index.html".to_string()];
        assert!(preview.rebuild(&saved, &mut cache).is_err());
        assert_eq!(cache.get(page).unwrap(), before.as_slice());
    }

    /// A save that changes one consortium's announcement re-renders none of the other's outputs,
    /// and a change to the first consortium's figures redraws the second's chart of them.
    #[test]
    fn a_save_re_renders_what_it_changed_and_only_that() {
        let site = two_consortia();
        let mut preview = Preview::new(site.path(), false);
        let mut cache = RenderCache::default();
        let first = preview.rebuild(&[], &mut cache).unwrap();
        assert!(first
            .changed
            .iter()
            .any(|p| p.starts_with("consortia/beta/")));
        let saved = apply(site.path(), &Edit::AddAnnouncement(0, 1));
        let r = preview.rebuild(&saved, &mut cache).unwrap();
        assert!(r
            .changed
            .contains(&"consortia/alpha/announcements/gen-1/index.html".to_string()));
        assert!(
            !r.changed.iter().any(|p| p.contains("consortia/beta/")),
            "{:?}",
            r.changed
        );
        let chart = "consortia/beta/announcements/chart/index.html";
        let before = String::from_utf8(cache.get(chart).unwrap().to_vec()).unwrap();
        assert!(before.contains("60"), "{before}");
        let saved = apply(site.path(), &Edit::ChangeIndicator(0, 487));
        let r = preview.rebuild(&saved, &mut cache).unwrap();
        assert!(r.changed.contains(&chart.to_string()), "{:?}", r.changed);
        let after = String::from_utf8(cache.get(chart).unwrap().to_vec()).unwrap();
        assert!(after.contains("487"), "{after}");
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
