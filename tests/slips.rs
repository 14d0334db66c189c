//! The slips a secretariat makes, in `tests/slips/corpus.toml`, each applied to the valid `base`
//! fixture: `chanjiao check` must catch each (a diagnostic, a failing exit code where it is an
//! error), and say it in Chinese under `--lang zh` — the parser's English is not an answer — and in
//! English under `--lang en`.

mod common;

use std::fs;

use common::*;
use regex::Regex;

#[derive(serde::Deserialize)]
struct Corpus {
    slip: Vec<Slip>,
}

#[derive(serde::Deserialize)]
struct Slip {
    name: String,
    file: String,
    find: Option<String>,
    replace: Option<String>,
    #[serde(default)]
    delete: bool,
    encoding: Option<String>,
}

/// The message of each diagnostic headline (`path:line:col: error[code]: message`, or a
/// headline without a place), leaving out the closing count.
fn messages(stderr: &str) -> Vec<String> {
    let head =
        Regex::new(r"^(?:\S+:\d+:\d+: )?(?:error|warning)(?:\[[a-z0-9-]+\])?: (.*)$").unwrap();
    stderr
        .lines()
        .filter_map(|l| head.captures(l).map(|c| c[1].to_string()))
        .filter(|m| !m.contains("个错误") && !m.contains("error(s)"))
        .collect()
}

#[test]
fn every_common_slip_is_caught_and_told_in_both_languages() {
    let corpus: Corpus =
        toml::from_str(&fs::read_to_string(repo().join("tests/slips/corpus.toml")).unwrap())
            .unwrap();
    assert!(
        corpus.slip.len() >= 60,
        "the corpus has {} slips",
        corpus.slip.len()
    );
    // Three English words in a row, outside `code`: a sentence of the parser, not of ours.
    let english = Regex::new(r"[A-Za-z]+(?: [A-Za-z]+){2,}").unwrap();
    let code = Regex::new(r"`[^`]*`").unwrap();
    let han = Regex::new(r"\p{Han}").unwrap();
    let words = Regex::new(r"[A-Za-z]+ [A-Za-z]+").unwrap();
    let mut failures = Vec::new();
    for s in &corpus.slip {
        let site = site_copy("base");
        let path = site.path().join(&s.file);
        if s.delete {
            fs::remove_file(&path).unwrap();
        } else if let Some(enc) = &s.encoding {
            let text = fs::read_to_string(&path).unwrap();
            let bytes = match enc.as_str() {
                "gbk" => encoding_rs::GBK.encode(&text).0.into_owned(),
                "utf-16" => {
                    let mut b = vec![0xFF, 0xFE];
                    b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                    b
                }
                other => panic!("{}: unknown encoding {other}", s.name),
            };
            fs::write(&path, bytes).unwrap();
        } else {
            let (find, replace) = (s.find.as_deref().unwrap(), s.replace.as_deref().unwrap());
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                text.contains(find),
                "{}: `{find}` is not in {}",
                s.name,
                s.file
            );
            fs::write(&path, text.replacen(find, replace, 1)).unwrap();
        }
        let root = site.path().to_str().unwrap();
        for lang in ["zh", "en"] {
            let out = chanjiao(&["check", "--root", root, "--lang", lang]);
            let found = messages(&stderr(&out));
            if found.is_empty() {
                failures.push(format!("{} ({lang}): nothing caught it", s.name));
                continue;
            }
            for m in &found {
                let prose = code.replace_all(m, "");
                let wrong = match lang {
                    "zh" => !han.is_match(&prose) || english.is_match(&prose),
                    _ => m.starts_with("错误") || m.starts_with("警告") || !words.is_match(m),
                };
                if wrong {
                    failures.push(format!("{} ({lang}): {m}", s.name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} slips are not told in their language:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
