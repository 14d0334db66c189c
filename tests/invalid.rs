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
        // A few problems (a static file over a page) are found only when the pages are planned.
        let command = if case.join("only-build-finds-it").exists() {
            "build"
        } else {
            "check"
        };
        let out_dir = out.path().join("first");
        let output = out_dir.to_str().unwrap();
        let args = |lang: Option<&'static str>| {
            let mut a = vec![command, "--root", root];
            if command == "build" {
                a.extend(["--output", output]);
            }
            if let Some(l) = lang {
                a.extend(["--lang", l]);
            }
            a
        };
        let check = chanjiao(&args(None));
        let text = stderr(&check);
        let got = diagnostic_lines(&text);
        // The same diagnostics in Chinese, at the same places with the same severities.
        let zh = chanjiao(&args(Some("zh")));
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

/// Codes of rules that no content can trigger, with the reason: they have no fixture.
const NO_FIXTURE: [(&str, &str); 1] = [(
    "io-failure",
    "an I/O failure while serving (a folder that cannot be read), not a rule of the content",
)];

/// Every rule code the sources use: the keys named by `rule!("…")` and `Message::named("…")`.
fn codes_in_sources() -> std::collections::BTreeSet<String> {
    let re =
        regex::Regex::new(r#"(?:rule!\(|Message::named\()\s*"[a-z_]+\.([a-z0-9_]+)""#).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    for entry in walk(&repo().join("src")) {
        if entry.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&entry).unwrap();
        for c in re.captures_iter(&text) {
            // The macro's own documentation names `section.name`.
            if &c[0] != "rule!(\"section.name\"" {
                codes.insert(c[1].replace('_', "-"));
            }
        }
    }
    codes
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every rule has its code explained (`chanjiao explain`) and an invalid fixture named after it
/// whose expected diagnostics, in both languages, show that code.
#[test]
fn every_rule_code_has_an_explanation_and_a_fixture_named_after_it() {
    let in_sources = codes_in_sources();
    let listed = chanjiao(&["explain", "--list", "--lang", "en"]);
    assert!(listed.status.success());
    let explained: std::collections::BTreeSet<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let unexplained: Vec<_> = in_sources.difference(&explained).collect();
    let stale: Vec<_> = explained.difference(&in_sources).collect();
    assert!(
        unexplained.is_empty(),
        "codes with no entry in src/rules/explain.toml: {unexplained:?}"
    );
    assert!(stale.is_empty(), "explained codes no rule uses: {stale:?}");
    let mut missing = Vec::new();
    for code in &in_sources {
        let case = fixture("invalid").join(code);
        if NO_FIXTURE.iter().any(|(c, _)| c == code) {
            assert!(
                !case.exists(),
                "{code} has a fixture now: take it off NO_FIXTURE"
            );
            continue;
        }
        let shows = |file: &str| {
            fs::read_to_string(case.join(file))
                .is_ok_and(|t| t.lines().any(|l| l.contains(&format!("[{code}]: "))))
        };
        if !shows("expected.txt") || !shows("expected.zh.txt") {
            missing.push(code.as_str());
        }
        let explain = chanjiao(&["explain", code, "--lang", "zh"]);
        assert!(explain.status.success(), "explain {code}");
    }
    assert!(
        missing.is_empty(),
        "rules with no fixture in tests/fixtures/invalid/<code>/ that triggers them: {missing:?}"
    );
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

/// A file with many problems of one rule lists the first 50 of that rule and says how many more
/// there are, as compilers do; the summary still counts every one, and another rule's problems in
/// the same file are all listed.
#[test]
fn fifty_problems_of_one_rule_in_a_file_then_a_count() {
    let site = site_copy("base");
    let path = site.path().join("content/site.toml");
    let text = fs::read_to_string(&path).unwrap();
    let extra: String = (0..120).map(|i| format!("extra_{i} = 1\n")).collect();
    fs::write(&path, format!("{extra}{text}")).unwrap();
    let members = site.path().join("content/consortia/alpha/members.toml");
    let text = fs::read_to_string(&members).unwrap();
    fs::write(
        &members,
        text.replacen("kind = \"government\"", "kind = \"goverment\"", 1),
    )
    .unwrap();
    let o = chanjiao(&[
        "--lang",
        "en",
        "check",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let listed = err
        .lines()
        .filter(|l| l.contains("error[unknown-key]"))
        .count();
    assert_eq!(listed, 50, "{err}");
    assert!(
        err.contains("content/site.toml: note: 70 more [unknown-key] problems are not listed"),
        "{err}"
    );
    assert!(
        err.contains("members.toml"),
        "another file's problem is listed: {err}"
    );
    assert!(err.contains("121 error(s)"), "{err}");
}
