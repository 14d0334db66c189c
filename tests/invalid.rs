//! Invalid-input fixtures: each folder of `tests/fixtures/invalid/` overlays files on the valid
//! `base` fixture and lists, in `expected.txt`, exactly the diagnostics `chanjiao check` must
//! print (their first lines, their help and the lines of their notes, without carets). Adding a case is adding a folder; `UPDATE_GOLDEN=1` writes
//! `expected.txt` from the current output, to be reviewed like code.

mod common;

use std::fs;

use common::*;

#[test]
fn every_invalid_fixture_gives_exactly_its_diagnostics() {
    let cases_dir = fixture("invalid");
    let mut cases: Vec<_> = fs::read_dir(&cases_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 25,
        "expected a fixture per rule, found {}",
        cases.len()
    );
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = site_copy("base");
        copy_tree(&case.join("overlay"), site.path());
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        let root = site.path().to_str().unwrap();
        let check = chanjiao(&["check", "--root", root]);
        let text = stderr(&check);
        let got = diagnostic_lines(&text);
        // The same diagnostics in Chinese, at the same places with the same severities.
        let zh = chanjiao(&["check", "--root", root, "--lang", "zh"]);
        let zh_text = stderr(&zh);
        let zh_got = diagnostic_lines(&zh_text);
        let expected_path = case.join("expected.txt");
        let zh_path = case.join("expected.zh.txt");
        if update {
            fs::write(&expected_path, format!("{got}\n")).unwrap();
            fs::write(&zh_path, format!("{zh_got}\n")).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected.trim_end() != got {
            failures.push(format!("{name}: diagnostics differ\n--- expected\n{}\n--- got\n{got}\n--- full output\n{text}", expected.trim_end()));
            continue;
        }
        let zh_expected = fs::read_to_string(&zh_path).unwrap_or_default();
        if zh_expected.trim_end() != zh_got {
            failures.push(format!(
                "{name}: Chinese diagnostics differ\n--- expected\n{}\n--- got\n{zh_got}",
                zh_expected.trim_end()
            ));
            continue;
        }
        let places = |t: &str| -> Vec<String> { t.lines().map(machine_part).collect() };
        if places(&got) != places(&zh_got) || zh.status.code() != check.status.code() {
            failures.push(format!(
                "{name}: the Chinese output is not at the same places\n{got}\n---\n{zh_got}"
            ));
        }
        // Exit codes: 1 with any error, 0 with warnings only; `build` agrees and writes nothing.
        let has_error = got
            .lines()
            .any(|l| parse_diagnostic(l).is_some_and(|d| d[3] == "error"));
        let want = if has_error { 1 } else { 0 };
        if check.status.code() != Some(want) {
            failures.push(format!(
                "{name}: check exited {:?}, expected {want}",
                check.status.code()
            ));
        }
        let build = run_build(site.path(), &public, &[]);
        if build.status.code() != Some(want) {
            failures.push(format!(
                "{name}: build exited {:?}, expected {want}",
                build.status.code()
            ));
        }
        if has_error && public.exists() {
            failures.push(format!("{name}: a failed build wrote {}", public.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The diagnostic lines of `check`'s output: first lines, notes and help, without carets.
fn diagnostic_lines(text: &str) -> String {
    text.lines()
        .filter(|l| parse_diagnostic(l).is_some() || l.starts_with("  = help: "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What editors and CI parse of a diagnostic line: path, line, column, severity and code, or
/// `= help:`.
fn machine_part(line: &str) -> String {
    match parse_diagnostic(line) {
        Some([path, l, c, severity, code, _]) => format!("{path}:{l}:{c}: {severity}[{code}]"),
        None => "  = help: ".to_string(),
    }
}

/// On a terminal-free run the offending line and a caret follow each diagnostic.
#[test]
fn diagnostics_show_the_line_and_a_caret() {
    let site = site_copy("base");
    copy_tree(&fixture("invalid/unknown-member-ref/overlay"), site.path());
    let o = chanjiao(&["check", "--root", site.path().to_str().unwrap()]);
    let text = stderr(&o);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("is not a member"))
        .expect(&text);
    assert!(lines[at + 2].ends_with("provider = \"schol\""), "{text}");
    let caret = lines[at + 3];
    let code = lines[at + 2];
    assert_eq!(caret.find('^'), code.find("\"schol\""), "{text}");
    // The whole value is underlined, quotes included.
    assert_eq!(
        caret.trim_end().matches('^').count(),
        "\"schol\"".len(),
        "{text}"
    );
    assert!(
        lines[at + 4].contains("did you mean `school` (甲市职业教育中心)?"),
        "{text}"
    );
}
