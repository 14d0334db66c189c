//! TOML to typed values with every problem reported, not just the first. The document is parsed
//! into a spanned tree; each table is deserialised with serde, and when a key fails it is reported,
//! dropped and the rest retried, so one run finds every bad key of a file. serde's messages are
//! rewritten for people who edit TOML by hand (closest known key, whole numbers, dates).

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::SourceFile;

/// Parses `text` (the file's text, or its front matter with the rest blanked) as a TOML document.
/// Syntax errors are reported and give `None`: a half-parsed tree would only add false alarms.
pub fn parse_document<'a>(
    file: &SourceFile,
    text: &'a str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<DeTable<'a>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(table);
    }
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let message = first_line(e.message());
        diags.push(Diagnostic::error(
            file,
            span,
            format!("invalid TOML: {message}"),
        ));
    }
    None
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Deserialises a table into `T`. `what` names the record for messages ("member", "programme").
/// Each failing key is a diagnostic and is dropped; the rest is still returned when it forms a
/// valid `T` (so one bad key does not hide the record from cross-file rules). `None` when a
/// required key is missing or bad.
pub fn deserialize<T: DeserializeOwned>(
    file: &SourceFile,
    value: Spanned<DeValue<'_>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let span = value.span();
    let mut value = value.into_inner();
    let mut removed: Vec<String> = Vec::new();
    loop {
        let attempt = T::deserialize(ValueDeserializer::from(Spanned::new(
            span.clone(),
            value.clone(),
        )));
        let err = match attempt {
            Ok(v) => return Some(v),
            Err(e) => e,
        };
        let message = err.message().to_string();
        if let Some(field) = backticked(&message, "missing field `") {
            if removed.iter().any(|r| r == &field) {
                return None;
            }
        }
        let err_span = err.span().unwrap_or(span.clone());
        let table = match &mut value {
            DeValue::Table(t) => t,
            _ => {
                diags.push(convert(file, &message, err_span, None, what));
                return None;
            }
        };
        let culprit = table
            .iter()
            .find(|(k, v)| contains(&k.span(), &err_span) || contains(&v.span(), &err_span))
            .map(|(k, v)| (k.get_ref().to_string(), k.span(), v.span()));
        diags.push(convert(
            file,
            &message,
            err_span,
            culprit.as_ref().map(|(k, _, _)| k.as_str()),
            what,
        ));
        match culprit {
            Some((key, _, _)) => {
                let kept = std::mem::take(table)
                    .into_iter()
                    .filter(|(k, _)| k.get_ref().as_ref() != key.as_str())
                    .collect();
                *table = kept;
                removed.push(key);
            }
            None => return None,
        }
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer.start < outer.end
}

/// The text between `prefix` and the next backtick.
fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1;
    Some(rest.split('`').next()?.to_string())
}

/// The backticked names after "expected one of".
fn expected_list(message: &str) -> Vec<String> {
    match message.split_once("expected one of ") {
        Some((_, list)) => list
            .split(',')
            .filter_map(|s| s.trim().strip_prefix('`')?.strip_suffix('`'))
            .map(str::to_string)
            .collect(),
        None => match message.split_once("expected `") {
            Some((_, one)) => one
                .split('`')
                .next()
                .map(str::to_string)
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
    }
}

/// Rewrites one serde/toml message into a diagnostic for a person editing the file.
fn convert(
    file: &SourceFile,
    message: &str,
    span: Range<usize>,
    key: Option<&str>,
    what: &str,
) -> Diagnostic {
    let message = first_line(message);
    if let Some(field) = backticked(&message, "unknown field `") {
        let expected = expected_list(&message);
        let help = did_you_mean(&field, expected.iter().map(String::as_str)).or_else(|| {
            (!expected.is_empty()).then(|| format!("known keys: {}", expected.join(", ")))
        });
        return Diagnostic::error(file, span, format!("unknown key `{field}` in {what}"))
            .with_help(help);
    }
    if let Some(variant) = backticked(&message, "unknown variant `") {
        let expected = expected_list(&message);
        let noun = match key {
            Some(k) => format!("{what} {k}"),
            None => what.to_string(),
        };
        let help = did_you_mean(&variant, expected.iter().map(String::as_str));
        return Diagnostic::error(
            file,
            span,
            format!(
                "unknown {noun} `{variant}`; expected one of: {}",
                expected.join(", ")
            ),
        )
        .with_help(help);
    }
    if let Some(field) = backticked(&message, "missing field `") {
        return Diagnostic::error(file, span, format!("missing key `{field}` in {what}"));
    }
    let subject = key.map_or(String::new(), |k| format!("`{k}`: "));
    let friendly = if message.contains("expected u32") || message.contains("expected u64") {
        let found = found_part(&message);
        let too_large = found
            .strip_prefix("integer `")
            .and_then(|n| n.trim_end_matches('`').parse::<i64>().ok())
            .is_some_and(|n| n > 0);
        if too_large {
            format!("{subject}{found} is too large (at most {})", u32::MAX)
        } else {
            format!("{subject}expected a whole number ≥ 0, found {found}")
        }
    } else if message.contains("expected i32") || message.contains("expected i64") {
        format!(
            "{subject}expected a whole number, found {}",
            found_part(&message)
        )
    } else if message.contains("expected f64") {
        format!("{subject}expected a number, found {}", found_part(&message))
    } else if message.contains("TOML datetime") || message.contains("expected a date") {
        format!(
            "{subject}expected a date such as 2024-03-12 (unquoted), found {}",
            found_part(&message)
        )
    } else if message.contains("expected a string") {
        format!(
            "{subject}expected text in quotes, found {}",
            found_part(&message)
        )
    } else if message.contains("expected a boolean") {
        format!(
            "{subject}expected true or false, found {}",
            found_part(&message)
        )
    } else if message.contains("expected a sequence") {
        format!(
            "{subject}expected an array [...], found {}",
            found_part(&message)
        )
    } else {
        format!("{subject}{message}")
    };
    Diagnostic::error(file, span, friendly)
}

/// "string \"x\"" out of "invalid type: string \"x\", expected u32".
fn found_part(message: &str) -> String {
    let body = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .unwrap_or(message);
    match body.rsplit_once(", expected") {
        Some((found, _)) => found.to_string(),
        None => body.to_string(),
    }
}

/// Walks an array-of-tables key (`[[member]]`) and deserialises each element on its own, so a bad
/// element does not hide problems in the others. Unknown top-level keys are reported. Returns the
/// records and the `id`s of elements that could not be read, so references to them are not
/// reported a second time.
pub fn array_of_tables<T: DeserializeOwned>(
    file: &SourceFile,
    doc: Spanned<DeTable<'_>>,
    key: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<T>, Vec<String>) {
    let mut out = Vec::new();
    let mut failed_ids = Vec::new();
    for (k, v) in doc.into_inner() {
        if k.get_ref() != key {
            diags.push(
                Diagnostic::error(file, k.span(), format!("unknown key `{}`", k.get_ref()))
                    .with_help(
                        did_you_mean(k.get_ref(), [key])
                            .or_else(|| Some(format!("this file holds only [[{key}]] tables"))),
                    ),
            );
            continue;
        }
        let span = v.span();
        match v.into_inner() {
            DeValue::Array(items) => {
                for item in items {
                    let id = item
                        .get_ref()
                        .as_table()
                        .and_then(|t| t.get("id"))
                        .and_then(|v| v.get_ref().as_str())
                        .map(str::to_string);
                    match deserialize(file, item, what, diags) {
                        Some(x) => out.push(x),
                        None => failed_ids.extend(id),
                    }
                }
            }
            _ => diags.push(Diagnostic::error(
                file,
                span,
                format!("`{key}` must be written as [[{key}]] tables"),
            )),
        }
    }
    (out, failed_ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        id: String,
        count: u32,
        kind: Kind,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Enterprise,
        Government,
    }

    fn run(text: &str) -> (Vec<Rec>, Vec<Diagnostic>) {
        let file = SourceFile::new("f.toml", text.to_string());
        let mut diags = Vec::new();
        let doc = parse_document(&file, &file.text, &mut diags);
        let recs = doc.map_or(Vec::new(), |d| {
            array_of_tables(&file, d, "rec", "record", &mut diags).0
        });
        (recs, diags)
    }

    #[test]
    fn every_bad_key_of_every_record_is_reported() {
        let (recs, diags) = run(
            "[[rec]]\nid = \"a\"\ncuont = 1\nkind = \"enterprise\"\ncount = -2\n\n[[rec]]\nid = \"b\"\ncount = 3\nkind = \"enterprize\"\n\n[[rec]]\nid = \"c\"\ncount = 1\nkind = \"government\"\n",
        );
        assert_eq!(recs.len(), 1);
        let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert!(
            shown.contains(&"f.toml:3:1: error: unknown key `cuont` in record".to_string()),
            "{shown:?}"
        );
        assert_eq!(
            diags.iter().find(|d| d.line == 3).unwrap().help.as_deref(),
            Some("did you mean `count`?")
        );
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("f.toml:5:9: error: `count`: expected a whole number ≥ 0")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("f.toml:10:8: error: unknown record kind `enterprize`")),
            "{shown:?}"
        );
        assert_eq!(diags.len(), 3, "{shown:?}");
    }

    #[test]
    fn syntax_errors_are_positioned() {
        let (_, diags) = run("[[rec]]\nid = \"a\ncount = 1\n");
        assert!(!diags.is_empty());
        assert_eq!(diags[0].line, 2);
        assert!(diags[0].message.starts_with("invalid TOML"));
    }
}
