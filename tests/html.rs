//! The built pages are valid HTML: the Nu HTML checker (npm's `vnu-jar`, run with Java) reports no
//! error on any page or SVG file of the bundled example, the base fixture or the user guide. Needs Java and
//! `npm ci --prefix tests/browser` (both on CI); skipped with one line where they are missing.

mod common;

use std::process::Command;

use common::*;

#[test]
fn every_page_passes_the_nu_html_checker() {
    if !needs(&[JAVA, Need::Npm("vnu-jar")]) {
        return;
    }
    let jar = repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let out = tempfile::tempdir().unwrap();
    let example = out.path().join("example");
    let base = out.path().join("base");
    let guide = out.path().join("guide");
    build(&repo(), &example, &[]);
    build(&fixture("base"), &base, &[]);
    build(&repo().join("guide"), &guide, &[]);
    let o = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--also-check-svg"])
        .arg(&example)
        .arg(&base)
        .arg(&guide)
        .output()
        .expect("java is installed");
    let report = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && report.trim().is_empty(), "{report}");
}
