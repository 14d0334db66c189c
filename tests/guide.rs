//! The user guide (`guide/`, 用户手册): its reference chapters are what the code generates today
//! (a key, kind, catalogue entry or rule code added without its description fails here); the
//! examples of every file together make a site that `check` passes without a warning; the guide
//! builds with chanjiao itself, without a warning, and every link in it leads to a page and an
//! anchor that exist; every rule code the hand-written chapters name is a real one.
//!
//! `UPDATE_GOLDEN=1 cargo test --test guide` rewrites the generated chapters.

mod common;

use std::fs;

use common::*;

fn guide() -> std::path::PathBuf {
    repo().join("guide")
}

fn docs() -> String {
    fs::read_to_string(guide().join("reference.toml")).unwrap()
}

#[test]
fn reference_chapters_are_what_the_code_generates() {
    let chapters = chanjiao::guide::reference(&docs()).unwrap_or_else(|problems| {
        panic!(
            "guide/reference.toml and the code disagree:\n  {}",
            problems.join("\n  ")
        )
    });
    let pages = guide().join("content/pages");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for c in &chapters {
        let path = pages.join(c.file);
        if update {
            fs::write(&path, &c.text).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(c.text.as_str()) {
            stale.push(c.file);
        }
    }
    assert!(
        stale.is_empty(),
        "guide/content/pages/{stale:?} differ from what the code generates; review and run \
         `UPDATE_GOLDEN=1 cargo test --test guide`"
    );
}

#[test]
fn the_examples_make_a_site_that_check_passes_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples = 0;
    for f in chanjiao::guide::examples(&docs()).unwrap() {
        let path = dir.path().join(&f.example_path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, f.example.trim_start()).unwrap();
        for extra in &f.extra_files {
            let p = dir.path().join(extra);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, b"%PDF-1.4\n").unwrap();
        }
        examples += 1;
    }
    assert!(examples >= 15);
    let o = chanjiao(&["check", "--root", dir.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    // The assessment example answers two points, not every point of a framework, and the
    // examples fill a few cells of the form: the warnings allowed say what is still open.
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning[")).collect();
    assert!(
        warnings
            .iter()
            .all(|l| l.contains("warning[points-unanswered]")
                || l.contains("warning[form-cells-empty]")),
        "the guide's examples draw warnings:\n{err}"
    );
}

#[test]
fn the_guide_builds_without_a_warning_and_every_link_leads_somewhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let o = build(&guide(), &out, &[]);
    let err = stderr(&o);
    assert!(
        !err.contains("warning["),
        "the guide draws warnings:\n{err}"
    );
    for page in [
        "install",
        "workflow",
        "common-errors",
        "extend",
        "reference-files",
        "reference-kinds",
        "reference-catalogue",
        "reference-rules",
    ] {
        assert!(
            out.join(page).join("index.html").is_file(),
            "guide page {page} missing"
        );
    }
    let found = links(&out);
    assert!(
        found.anchored >= 10,
        "only {} links to an anchor on another page",
        found.anchored
    );
    assert!(
        found.broken.is_empty(),
        "broken links:\n  {}",
        found.broken.join("\n  ")
    );
}

#[test]
fn every_rule_code_the_chapters_name_exists() {
    let codes = chanjiao::rules::explain::all();
    let code = regex::Regex::new(r"reference-rules/#([a-z0-9-]+)").unwrap();
    let mut named = 0;
    for entry in fs::read_dir(guide().join("content/pages")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("reference-")
        {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for c in code.captures_iter(&text) {
            assert!(
                codes.contains_key(&c[1]),
                "{}: no rule code {}",
                path.display(),
                &c[1]
            );
            named += 1;
        }
    }
    assert!(named >= 10, "the chapters name {named} rule codes");
}
