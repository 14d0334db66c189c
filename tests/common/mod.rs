//! Helpers shared by the integration tests: temporary copies of fixture sites, running the real
//! binary, and reading a built site back.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The one pattern that parses a diagnostic's first line in either language, as README gives it:
/// path, line, column, severity, the rule code in brackets (notes have none), and the message.
pub const DIAGNOSTIC_LINE: &str =
    r"^(.+):(\d+):(\d+): (error|warning|note)(?:\[([a-z0-9-]+)\])?: (.*)$";

/// The parts of a diagnostic line: path, line, column, severity, code and message.
#[allow(dead_code)]
pub fn parse_diagnostic(line: &str) -> Option<[String; 6]> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(DIAGNOSTIC_LINE).unwrap());
    let c = re.captures(line)?;
    let part = |i: usize| c.get(i).map_or(String::new(), |m| m.as_str().to_string());
    Some([part(1), part(2), part(3), part(4), part(5), part(6)])
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Replaces `before`, which must stand in the file at `path`, by `after`: an edit as a secretariat
/// makes it, on a copy of a site.
pub fn edit_file(path: &Path, before: &str, after: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(before),
        "{} no longer holds {before}",
        path.display()
    );
    std::fs::write(path, text.replace(before, after)).unwrap();
}

/// Copies every file below `from` into `to`.
///
/// Links are copied as links. A file named `NAME.mkfifo` becomes a named pipe `NAME` (git cannot
/// hold one), so that fixtures can try what reading a pipe does.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
            continue;
        }
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&dest);
        if entry.file_type().is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else if let Some(pipe) = dest.to_str().unwrap().strip_suffix(".mkfifo") {
            let _ = fs::remove_file(pipe);
            let made = Command::new("mkfifo").arg(pipe).status().unwrap();
            assert!(made.success(), "mkfifo {pipe}");
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary folder holding a copy of fixture `name` (its `content/`, `themes/` …).
pub fn site_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

/// The binary, with English messages whatever the machine's locale (the fixtures' sites are
/// Chinese, which would otherwise choose Chinese); `tests/messages.rs` checks the other ways.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chanjiao"));
    c.env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

pub fn chanjiao(args: &[&str]) -> Output {
    command()
        .args(args)
        .output()
        .expect("the chanjiao binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir` by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Runs `chanjiao build` on the site at `root` into `out`, whatever the outcome.
pub fn run_build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    chanjiao(&args)
}

/// Builds the site at `root` into `out` with the real binary; panics with its stderr on failure.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let o = run_build(root, out, extra);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    o
}

/// A running `chanjiao serve`, stopped when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    pub log: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(root: &Path) -> Server {
    let mut c = command();
    c.args(["serve", "--port", "0", "--root"]).arg(root);
    serve_with(c)
}

/// `chanjiao serve` with at most `descriptors` open files (`ulimit -n`), as on a small server.
pub fn serve_with_descriptors(root: &Path, descriptors: u32) -> Server {
    let serve = command();
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("ulimit -n {descriptors} && exec \"$0\" \"$@\""))
        .arg(serve.get_program())
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .envs(serve.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
    serve_with(c)
}

#[allow(clippy::zombie_processes)] // the Server's Drop kills and waits for it
fn serve_with(mut command: Command) -> Server {
    let mut child = command
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let stderr = child.stderr.take().unwrap();
    let (tx, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let line = log
            .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
            .expect("serve says where it listens");
        if let Some(rest) = line.strip_prefix("Serving at http://127.0.0.1:") {
            let port = rest.split('/').next().unwrap().parse().unwrap();
            return Server { child, port, log };
        }
    }
}

/// A tool that a test needs beyond Rust and a C compiler.
pub enum Need {
    /// A program on the PATH, and how to install it.
    Program(&'static str, &'static str),
    /// An npm package of `tests/browser`.
    Npm(&'static str),
}

pub const CHROMIUM: Need = Need::Program("chromium", "apt-get install chromium fonts-noto-cjk");
pub const NODE: Need = Need::Program("node", "apt-get install nodejs npm");
pub const JAVA: Need = Need::Program("java", "apt-get install default-jre-headless");
pub const XMLLINT: Need = Need::Program("xmllint", "apt-get install libxml2-utils");
pub const PDFTOTEXT: Need = Need::Program("pdftotext", "apt-get install poppler-utils");

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Whether the tools a test needs are installed. When one is missing the test is skipped with
/// one line naming what is missing and how to install it, so that `cargo test` passes on a machine
/// with Rust alone; with `CHANJIAO_REQUIRE_TOOLS` set (`.ci/run` sets it) a missing tool fails the
/// test instead, so CI never skips. `CHANJIAO_SKIP_BROWSER` skips these tests even when the tools
/// are there.
pub fn needs(list: &[Need]) -> bool {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let missing: Vec<String> = list
        .iter()
        .filter_map(|n| match n {
            Need::Program(p, how) => (!on_path(p)).then(|| format!("`{p}` ({how})")),
            Need::Npm(package) => (!repo()
                .join("tests/browser/node_modules")
                .join(package)
                .is_dir())
            .then(|| format!("npm package `{package}` (npm ci --prefix tests/browser)")),
        })
        .collect();
    let required = std::env::var_os("CHANJIAO_REQUIRE_TOOLS").is_some();
    if std::env::var_os("CHANJIAO_SKIP_BROWSER").is_some() && !required {
        say(&format!("skipped {test}: CHANJIAO_SKIP_BROWSER is set"));
        return false;
    }
    if missing.is_empty() {
        return true;
    }
    let line = format!("skipped {test}: missing {}", missing.join(", "));
    assert!(
        !required,
        "{line}; CHANJIAO_REQUIRE_TOOLS is set, so a missing tool is a failure"
    );
    say(&line);
    false
}

/// A line on the terminal even while the test harness captures the test's output (it captures
/// `eprintln!`, not writes to the standard error itself), so a skip is seen on a passing run.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The tools of a test that drives Chromium with the npm package `package`.
pub fn browser_tools(package: &'static str) -> bool {
    needs(&[CHROMIUM, NODE, Need::Npm(package)])
}

/// What `links` found in a built site.
pub struct Links {
    /// Internal links and sources followed.
    pub checked: usize,
    /// Of those, links to an anchor on another page.
    pub anchored: usize,
    /// Each link that leads to no built file or to no such id, with the page it is on.
    pub broken: Vec<String>,
}

/// Follows every internal `href` and `src` of every page of the site built at `public` to the
/// file it names and, with a fragment, to the id on that page.
pub fn links(public: &Path) -> Links {
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id = regex::Regex::new(r#"\sid="([^"]+)""#).unwrap();
    let files = read_tree(public);
    let ids = |path: &str| -> BTreeSet<String> {
        let text = String::from_utf8_lossy(&files[path]).into_owned();
        id.captures_iter(&text).map(|c| c[1].to_string()).collect()
    };
    let mut found = Links {
        checked: 0,
        anchored: 0,
        broken: Vec::new(),
    };
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for cap in attr.captures_iter(&text) {
            let link = cap[1].replace("&amp;", "&");
            if link.is_empty()
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            // Links are percent-encoded; files are named by the characters they encode.
            let target = percent_encoding::percent_decode_str(&target)
                .decode_utf8_lossy()
                .into_owned();
            let fragment = fragment.map(|f| {
                percent_encoding::percent_decode_str(&f)
                    .decode_utf8_lossy()
                    .into_owned()
            });
            let resolved = if target.is_empty() {
                path.clone()
            } else {
                let base = if target.starts_with('/') {
                    String::new()
                } else {
                    path.rsplit_once('/')
                        .map_or(String::new(), |(d, _)| format!("{d}/"))
                };
                let mut parts: Vec<&str> = Vec::new();
                let joined = format!("{base}{}", target.trim_start_matches('/'));
                for seg in joined.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s),
                    }
                }
                let mut r = parts.join("/");
                if target.ends_with('/') || r.is_empty() {
                    r = if r.is_empty() {
                        "index.html".into()
                    } else {
                        format!("{r}/index.html")
                    };
                }
                r
            };
            found.checked += 1;
            if fragment.is_some() && !target.is_empty() {
                found.anchored += 1;
            }
            if !files.contains_key(&resolved) {
                found
                    .broken
                    .push(format!("{path}: {link} → {resolved} (missing)"));
            } else if let Some(f) = fragment {
                if resolved.ends_with(".html") && !ids(&resolved).contains(&f) {
                    found
                        .broken
                        .push(format!("{path}: {link} → #{f} (no such id)"));
                }
            }
        }
    }
    found
}
