//! Hostile fields: a corpus of strings a careless or hostile author could type (script URLs,
//! markup, control and bidi characters, spreadsheet formulas, Tera and Markdown syntax, paths out
//! of the site, very long text) is put into every human-text field of every content file of the
//! bundled example and appended to every Markdown body. The build must still succeed, and every
//! output file must parse with a parser for its format (HTML with html5ever, XML and SVG with
//! roxmltree, CSV, JSON) and hold nothing executable that a clean build of the same site does not:
//! no new script, no event handler, no link or source outside the scheme allow-list, no CSV cell
//! that a spreadsheet would run, nothing read from outside the site.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// What goes into the fields, in turn. None holds a NUL (refused with an error: its own test).
const CORPUS: [&str; 16] = [
    "<script>alert(1)</script>",
    "javascript:alert(document.domain)",
    "\"><img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://example.com\",\"点我\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "{{ 7*7 }}{% if true %}模板{% endif %}",
    "[点我](javascript:alert(1)) ![图](data:text/html,<script>alert(1)</script>)",
    "\u{202e}反向文字\u{202c}\u{2066}隔离\u{2069}",
    "换页\u{000c}与ESC\u{001b}[2J与\u{fffe}",
    "| 甲 | 乙 |\n|---|---|",
    "]]><!-- --><![CDATA[ x ]]>",
    "&amp;&lt;&#x3C;script&#x3E;",
    "../../../../etc/passwd",
    "-2+3",
    "\t=1+1",
];

/// Keys whose values are not free text: their form is checked (a category from a list, a 文号 …).
const STRUCTURED: [&str; 14] = [
    "instrument",
    "list",
    "category",
    "doc_number",
    "level",
    "status",
    "kind",
    "audience",
    "slug",
    "member",
    "file",
    "provider",
    "host",
    "date",
];

fn long_text() -> String {
    "很长的文字".repeat(400)
}

#[test]
fn hostile_text_in_every_field_builds_into_well_formed_harmless_output() {
    let clean_site = bundled_copy();
    let clean_out = tempfile::tempdir().unwrap();
    let clean = clean_out.path().join("public");
    build(clean_site.path(), &clean, &[]);

    let site = bundled_copy();
    let mut n = 0usize;
    for file in files(&site.path().join("content")) {
        let text = fs::read_to_string(&file).unwrap();
        let hostile = match file.extension().and_then(|e| e.to_str()) {
            Some("toml") => poison_toml(&text, &mut n),
            Some("md") => poison_markdown(&text, &mut n),
            _ => continue,
        };
        fs::write(&file, hostile).unwrap();
    }
    assert!(n > 300, "only {n} fields were poisoned");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let built = run_build(site.path(), &public, &[]);
    assert!(
        built.status.success(),
        "the build of the hostile site failed:\n{}",
        stderr(&built)
    );

    let allowed = Allowed::of(&clean);
    let mut problems = Vec::new();
    let outputs = files(&public);
    for path in &outputs {
        let rel = path.strip_prefix(&public).unwrap().display().to_string();
        let bytes = fs::read(path).unwrap();
        if bytes
            .windows(b"root:x:0:0".len())
            .any(|w| w == b"root:x:0:0")
        {
            problems.push(format!("{rel}: holds a line of /etc/passwd"));
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let text = || String::from_utf8(bytes.clone()).expect("outputs are UTF-8");
        match ext {
            "html" => check_html(&rel, &text(), &allowed, &mut problems),
            "xml" | "svg" => check_xml(&rel, &text(), &mut problems),
            "csv" => check_csv(&rel, &bytes, &mut problems),
            "xlsx" => check_xlsx(&rel, &bytes, &mut problems),
            "json" => {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    problems.push(format!("{rel}: not JSON: {e}"));
                }
            }
            _ => {}
        }
    }
    let pages = outputs
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(pages > 300, "only {pages} pages were checked");
    eprintln!(
        "{n} fields poisoned; {} output files checked, {pages} of them pages",
        outputs.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems in {} files:\n{}",
        problems.len(),
        outputs.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

/// The bundled example (`content/` and `themes/` of the repository) in a temporary folder.
fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// The next string of the corpus (every tenth field gets a very long one instead).
fn next(n: &mut usize) -> String {
    *n += 1;
    if (*n).is_multiple_of(10) {
        long_text()
    } else {
        CORPUS[*n % CORPUS.len()].to_string()
    }
}

/// A TOML basic string's escaped form.
fn toml_escaped(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || c == '\u{fffe}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Appends a hostile string to every one-line basic string value that holds Chinese text (the
/// human text of the forms), in TOML files and in front matter.
fn poison_toml(text: &str, n: &mut usize) -> String {
    let re = regex::Regex::new(r#"^(\s*([A-Za-z_]+)\s*=\s*")((?:[^"\\\n]|\\.)*)("\s*(?:#.*)?)$"#)
        .unwrap();
    text.lines()
        .map(|line| match re.captures(line) {
            // In front of the text (where a spreadsheet looks for a formula) and after it, in turn.
            Some(c) if !STRUCTURED.contains(&&c[2]) && !c[3].is_ascii() => {
                let hostile = toml_escaped(&next(n));
                if (*n).is_multiple_of(2) {
                    format!("{}{hostile}{}{}", &c[1], &c[3], &c[4])
                } else {
                    format!("{}{}{hostile}{}", &c[1], &c[3], &c[4])
                }
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Poisons a Markdown file's front matter and appends hostile Markdown to its body.
fn poison_markdown(text: &str, n: &mut usize) -> String {
    let (front, body) = match text
        .strip_prefix("+++\n")
        .and_then(|r| r.split_once("\n+++\n"))
    {
        Some((f, b)) => (Some(f), b),
        None => (None, text),
    };
    let mut body = body.to_string();
    body.push_str("\n\n");
    for _ in 0..3 {
        body.push_str(&next(n));
        body.push_str("\n\n");
    }
    body.push_str(
        "[链接](javascript:alert(1)) <javascript:alert(2)> [数据](data:text/html;base64,PHNjcmlwdD4=) \
         ![图](vbscript:msgbox) [空白](%20javascript:alert(6)) [大写](JAVASCRIPT:alert(7))\n",
    );
    // Half the bodies hold raw HTML as well (sanitised whole); the other half only Markdown,
    // whose links the allow-list alone must stop.
    if (*n).is_multiple_of(2) {
        body.push_str(
            "\n<a href=\"jav&#x61;script:alert(3)\" onclick=\"x()\">原始</a>\n\n<script>alert(4)</script>\n\n\
             <iframe src=\"https://example.com\"></iframe><svg onload=\"alert(5)\"></svg>\n",
        );
    }
    match front {
        Some(f) => format!("+++\n{}+++\n{body}", poison_toml(f, n)),
        None => body,
    }
}

/// What a clean build of the same site holds that would otherwise look executable: its scripts
/// (by text or source), its event-handler attributes and its forms (the search box and page).
struct Allowed {
    scripts: BTreeSet<String>,
    handlers: BTreeSet<String>,
    forms: BTreeSet<String>,
}

impl Allowed {
    fn of(public: &Path) -> Allowed {
        let mut a = Allowed {
            scripts: BTreeSet::new(),
            handlers: BTreeSet::new(),
            forms: BTreeSet::new(),
        };
        for path in files(public) {
            if path.extension().is_some_and(|e| e == "html") {
                let doc = scraper::Html::parse_document(&fs::read_to_string(&path).unwrap());
                for el in doc
                    .root_element()
                    .descendants()
                    .filter_map(scraper::ElementRef::wrap)
                {
                    if el.value().name() == "script" {
                        a.scripts.insert(script_key(&el));
                    }
                    if el.value().name() == "form" {
                        a.forms.insert(form_key(&el));
                    }
                    for (name, value) in el.value().attrs() {
                        if name.starts_with("on") {
                            a.handlers.insert(format!("{name}={value}"));
                        }
                    }
                }
            }
        }
        a
    }
}

/// A form as the theme writes it, whichever page it is on: its attributes, with the action's
/// way up to the site root left out (what it holds is checked element by element).
fn form_key(el: &scraper::ElementRef) -> String {
    let mut attrs: Vec<String> = el
        .value()
        .attrs()
        .map(|(name, value)| {
            let value = if name == "action" {
                value
                    .trim_start_matches("../")
                    .trim_start_matches("./")
                    .trim_start_matches('/')
            } else {
                value
            };
            format!("{name}={value}")
        })
        .collect();
    attrs.sort();
    attrs.join(" ")
}

fn script_key(el: &scraper::ElementRef) -> String {
    match el.value().attr("src") {
        Some(src) => format!("src:{}", src.rsplit('/').next().unwrap_or(src)),
        None => format!("text:{}", el.text().collect::<String>()),
    }
}

const URL_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
];

fn check_html(rel: &str, text: &str, allowed: &Allowed, problems: &mut Vec<String>) {
    let doc = scraper::Html::parse_document(text);
    if !doc.errors.is_empty() {
        // html5ever's parse errors are the spec's: the build's pages have none.
        problems.push(format!(
            "{rel}: HTML parse errors: {:?}",
            &doc.errors[..doc.errors.len().min(3)]
        ));
    }
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = el.value().name();
        if name == "script" && !allowed.scripts.contains(&script_key(&el)) {
            problems.push(format!(
                "{rel}: a script the theme does not have: {}",
                el.html()
            ));
        }
        let refresh = name == "meta"
            && el
                .value()
                .attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("refresh"));
        let theme_form = name == "form" && allowed.forms.contains(&form_key(&el));
        if refresh
            || (matches!(name, "iframe" | "object" | "embed" | "form" | "base") && !theme_form)
        {
            problems.push(format!("{rel}: a <{name}> element: {}", el.html()));
        }
        for (attr, value) in el.value().attrs() {
            if attr.starts_with("on") && !allowed.handlers.contains(&format!("{attr}={value}")) {
                problems.push(format!("{rel}: an event handler {attr}=\"{value}\""));
            }
            if URL_ATTRIBUTES.contains(&attr) && !chanjiao::render::links::allowed(value) {
                problems.push(format!("{rel}: {attr}=\"{value}\" on <{name}>"));
            }
        }
    }
}

fn check_xml(rel: &str, text: &str, problems: &mut Vec<String>) {
    match roxmltree::Document::parse(text) {
        Err(e) => problems.push(format!("{rel}: not well-formed XML: {e}")),
        Ok(doc) => {
            for node in doc.descendants().filter(|n| n.is_element()) {
                if node.tag_name().name() == "script" {
                    problems.push(format!("{rel}: a <script> element"));
                }
                for a in node.attributes() {
                    if a.name().starts_with("on") {
                        problems.push(format!("{rel}: an event handler {}", a.name()));
                    }
                    if a.name() == "href" && !chanjiao::render::links::allowed(a.value()) {
                        problems.push(format!("{rel}: href=\"{}\"", a.value()));
                    }
                }
            }
        }
    }
}

/// A workbook opens, and no cell of it is a formula (hostile text stays text).
fn check_xlsx(rel: &str, bytes: &[u8], problems: &mut Vec<String>) {
    use calamine::Reader;
    let mut book = match calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())) {
        Ok(b) => b,
        Err(e) => return problems.push(format!("{rel}: not a workbook: {e}")),
    };
    for name in book.sheet_names() {
        match book.worksheet_formula(&name) {
            Ok(f) => {
                if f.used_cells().any(|(_, _, formula)| !formula.is_empty()) {
                    problems.push(format!("{rel}: sheet {name} holds a formula"));
                }
            }
            Err(e) => problems.push(format!("{rel}: sheet {name}: {e}")),
        }
    }
}

fn check_csv(rel: &str, bytes: &[u8], problems: &mut Vec<String>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    for record in reader.records() {
        match record {
            Err(e) => problems.push(format!("{rel}: not CSV: {e}")),
            Ok(r) => {
                for cell in r.iter() {
                    // OWASP's list, checked here on its own rather than with the code under test.
                    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                        && cell.trim().parse::<f64>().is_err();
                    if formula {
                        problems.push(format!("{rel}: a cell a spreadsheet would run: {cell:?}"));
                    }
                }
            }
        }
    }
}
