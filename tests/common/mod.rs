//! Helpers shared by the integration tests: temporary copies of fixture sites, running the real
//! binary, and reading a built site back.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies every file below `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
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

pub fn chanjiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chanjiao"))
        .args(args)
        .env("NO_COLOR", "1")
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
