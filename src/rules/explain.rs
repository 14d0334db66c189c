//! `chanjiao explain`: the long explanation of every rule code, as rustc's `--explain` gives one.
//! The texts live in `explain.toml`, one table per code with a summary and an explanation in
//! Chinese and English, the file the rule concerns, and a wrong and a right example. A code is the
//! name of the key of the message its diagnostics use (see [`crate::diagnostics::code_of`]).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::messages::{lang, Lang};

/// One rule's explanation.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The file or files the rule reads.
    pub file: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub zh: String,
    pub en: String,
    /// Input the rule refuses, and the same input put right.
    pub wrong: String,
    pub right: String,
}

impl Explanation {
    /// The one-line summary in `lang`.
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.summary_zh,
            Lang::En => &self.summary_en,
        }
    }

    /// The explanation in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The explanation catalogue's text, as TOML.
pub const SOURCE: &str = include_str!("explain.toml");

/// Every code with its explanation, in code order.
pub fn all() -> &'static BTreeMap<String, Explanation> {
    static ALL: OnceLock<BTreeMap<String, Explanation>> = OnceLock::new();
    // The catalogue is part of the binary and a test reads it whole, so it always parses.
    ALL.get_or_init(|| toml::from_str(SOURCE).unwrap_or_default())
}

/// A code as a user may type it: `partner-twice`, `partner_twice`, `PARTNER-TWICE` or the
/// bracketed `error[partner-twice]` copied from a diagnostic.
fn normalise(code: &str) -> String {
    let code = code.trim();
    let code = match (code.find('['), code.rfind(']')) {
        (Some(open), Some(close)) if open < close => &code[open + 1..close],
        _ => code,
    };
    code.to_ascii_lowercase().replace('_', "-")
}

/// The explanation of `code` in the current language, ready to print; or, for an unknown code,
/// the message saying so with the closest code.
pub fn explain(code: &str) -> Result<String, (String, Option<String>)> {
    let wanted = normalise(code);
    let Some(e) = all().get(&wanted) else {
        let help = crate::diagnostics::did_you_mean(&wanted, all().keys().map(String::as_str))
            .or_else(|| Some(msg!("explain.see_list")));
        return Err((msg!("explain.unknown_code", code), help));
    };
    let lang = lang();
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok(format!(
        "{wanted}: {summary}\n{file_label}{file}\n\n{text}\n\n{wrong_label}\n{wrong}\n\n{right_label}\n{right}\n",
        summary = e.summary(lang),
        file_label = msg!("explain.file"),
        file = e.file,
        text = e.text(lang),
        wrong_label = msg!("explain.wrong"),
        wrong = indent(&e.wrong),
        right_label = msg!("explain.right"),
        right = indent(&e.right),
    ))
}

/// Every code with its one-line summary in the current language, one a line, aligned.
pub fn list() -> String {
    let width = all().keys().map(String::len).max().unwrap_or(0);
    let lang = lang();
    all()
        .iter()
        .map(|(code, e)| format!("{code:width$}  {}\n", e.summary(lang)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_parses_and_every_entry_is_whole() {
        let parsed: BTreeMap<String, Explanation> = toml::from_str(SOURCE).expect("explain.toml");
        assert!(parsed.len() > 100, "{} codes", parsed.len());
        for (code, e) in &parsed {
            assert_eq!(normalise(code), *code, "codes are lowercase with `-`");
            for (what, text) in [
                ("file", &e.file),
                ("summary_zh", &e.summary_zh),
                ("summary_en", &e.summary_en),
                ("zh", &e.zh),
                ("en", &e.en),
                ("wrong", &e.wrong),
                ("right", &e.right),
            ] {
                assert!(!text.trim().is_empty(), "{code}: `{what}` is empty");
            }
            assert_ne!(
                e.wrong.trim(),
                e.right.trim(),
                "{code}: wrong and right are the same"
            );
            assert!(
                e.summary_zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{code}: the Chinese summary has no Chinese"
            );
        }
    }

    #[test]
    fn a_code_is_found_however_it_is_typed() {
        for typed in [
            "partner-twice",
            "partner_twice",
            "PARTNER-TWICE",
            "error[partner-twice]",
        ] {
            assert!(explain(typed).is_ok(), "{typed}");
        }
        let (_, help) = explain("partner-twise").unwrap_err();
        assert!(help.unwrap().contains("partner-twice"));
    }
}
