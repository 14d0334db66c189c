//! TOML to typed values with every problem reported, not just the first. The document is parsed
//! into a spanned tree; each table is deserialised with serde, and when a key fails it is reported,
//! dropped and the rest retried, so one run finds every bad key of a file. serde's messages are
//! rewritten for people who edit TOML by hand (closest known key, whole numbers, dates).

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::slips;
use crate::diagnostics::{did_you_mean, Diagnostic, Message};
use crate::source::SourceFile;

/// Parses `text` (the file's text, or its front matter with the rest blanked) as a TOML document.
/// Syntax errors are reported and give `None`: a half-parsed tree would only add false alarms.
pub fn parse_document<'a>(
    file: &SourceFile,
    text: &'a str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<DeTable<'a>>> {
    let (mut table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        scrub_table(file, table.get_mut(), diags);
        return Some(table);
    }
    // One mistake, one diagnostic: a keyboard slip explains every syntax error on its line.
    let mut explained: Vec<usize> = Vec::new();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let (line, _) = file.line_col(span.start);
        if explained.contains(&line) {
            continue;
        }
        let slip = file.line_text(line).and_then(slips::on_line);
        match slip {
            Some(slip) => {
                explained.push(line);
                let start = file.line_start(line)
                    + char_bytes(file.line_text(line).unwrap_or(""), slip.col);
                diags.push(Diagnostic::error(file, start..start, slip.message));
            }
            None => {
                let message = syntax_error(&first_line(e.message()));
                diags.push(Diagnostic::error(
                    file,
                    span,
                    rule!("toml.invalid_toml", message),
                ));
            }
        }
    }
    None
}

/// Removes the characters no output may hold (`source::forbidden_char`) from every string of a
/// parsed document, each removal a warning at its string; a NUL is an error. TOML writes them only
/// as escapes (`"\u000c"`), so they come from a copy and paste or from a hostile hand.
fn scrub_table(file: &SourceFile, table: &mut DeTable<'_>, diags: &mut Vec<Diagnostic>) {
    let bad_key = |k: &str| k.chars().find(|&c| crate::source::forbidden_char(c));
    if table.iter().any(|(k, _)| bad_key(k.get_ref()).is_some()) {
        // A key no one can have meant is reported once and dropped with its value, so that
        // nothing follows from it.
        *table = std::mem::take(table)
            .into_iter()
            .filter(|(key, _)| match bad_key(key.get_ref()) {
                Some(c) => {
                    let code = crate::source::code_point(c);
                    diags.push(Diagnostic::error(
                        file,
                        key.span(),
                        rule!("toml.control_character_in_key", code),
                    ));
                    false
                }
                None => true,
            })
            .collect();
    }
    for (_, value) in table.iter_mut() {
        scrub_value(file, value, diags);
    }
}

fn scrub_value(file: &SourceFile, value: &mut Spanned<DeValue<'_>>, diags: &mut Vec<Diagnostic>) {
    let span = value.span();
    match value.get_mut() {
        DeValue::String(s) => {
            if !crate::source::has_forbidden(s) {
                return;
            }
            if s.contains('\0') {
                diags.push(Diagnostic::error(
                    file,
                    span.clone(),
                    rule!("toml.nul_character"),
                ));
            }
            let mut found: Vec<String> = Vec::new();
            for c in s
                .chars()
                .filter(|&c| c != '\0' && crate::source::forbidden_char(c))
            {
                let code = crate::source::code_point(c);
                if !found.contains(&code) {
                    found.push(code);
                }
            }
            if !found.is_empty() {
                diags.push(Diagnostic::warning(
                    file,
                    span,
                    rule!("toml.control_character", code = found.join(", ")),
                ));
            }
            *s = s
                .chars()
                .filter(|&c| !crate::source::forbidden_char(c))
                .collect::<String>()
                .into();
        }
        DeValue::Array(items) => {
            for item in items.iter_mut() {
                scrub_value(file, item, diags);
            }
        }
        DeValue::Table(t) => scrub_table(file, t, diags),
        _ => {}
    }
}

/// The byte length of the first `chars` characters of `line`.
fn char_bytes(line: &str, chars: usize) -> usize {
    line.chars().take(chars).map(char::len_utf8).sum()
}

/// A TOML syntax error as the parser words it (`invalid basic string, expected `"``), in the
/// current language: the common problems and expectations have messages of their own; any other
/// wording is kept as the parser gave it.
fn syntax_error(message: &str) -> String {
    let (problem, expected) = match message.split_once(", expected ") {
        Some((p, e)) => (p, Some(e)),
        None => (message, None),
    };
    let key = match problem {
        "invalid basic string" => "toml.syntax_basic_string",
        "invalid literal string" => "toml.syntax_literal_string",
        "key with no value" => "toml.syntax_no_value",
        "duplicate key" => "toml.syntax_duplicate_key",
        "unclosed table" => "toml.syntax_unclosed_table",
        "unclosed array" => "toml.syntax_unclosed_array",
        "unclosed inline table" => "toml.syntax_unclosed_inline_table",
        "invalid boolean" => "toml.syntax_boolean",
        "invalid date" => "toml.syntax_date",
        "invalid time" => "toml.syntax_time",
        "unquoted keys cannot be empty" => "toml.syntax_empty_key",
        "string values must be quoted" => "toml.syntax_unquoted_string",
        "unexpected leading zero" => "toml.syntax_leading_zero",
        "missing escaped value" => "toml.syntax_escape",
        "invalid fraction" => "toml.syntax_fraction",
        "unexpected key or value" => "toml.syntax_unexpected",
        "invalid unquoted key" => "toml.syntax_unquoted_key",
        "missing comma between key-value pairs" => "toml.syntax_inline_comma",
        "missing key for inline table element" => "toml.syntax_inline_key",
        "missing comma between array elements" => "toml.syntax_array_comma",
        "missing assignment between key-value pairs" => "toml.syntax_missing_assignment",
        "missing value" => "toml.syntax_missing_value",
        "missing value for key" => "toml.syntax_missing_value_for_key",
        "unexpected content" => "toml.syntax_unexpected_content",
        "extra comma in inline table" => "toml.syntax_extra_comma_inline",
        "extra comma in array" => "toml.syntax_extra_comma_array",
        "extra assignment between key-value pairs" => "toml.syntax_extra_assignment",
        "extra `=`" => "toml.syntax_extra_equals",
        "invalid value" => "toml.syntax_invalid_value",
        "invalid key" => "toml.syntax_invalid_key",
        "missing opening quote" => "toml.syntax_opening_quote",
        "invalid integer number" => "toml.syntax_integer",
        "invalid float" => "toml.syntax_float",
        "invalid key-value pair" => "toml.syntax_key_value",
        "unclosed array table" => "toml.syntax_unclosed_array_table",
        "`_` may only go between digits" => "toml.syntax_underscore",
        "invalid inline table element" => "toml.syntax_inline_element",
        "unexpected `=` in array" => "toml.syntax_equals_in_array",
        "invalid table" => "toml.syntax_invalid_table",
        "missing table open" => "toml.syntax_table_open",
        "unexpected sign" => "toml.syntax_sign",
        _ => "",
    };
    let problem = if key.is_empty() {
        problem.to_string()
    } else {
        crate::messages::text(key, &[])
    };
    match expected {
        None => problem,
        Some(expected) => {
            let expected = match expected {
                "nothing" => msg!("toml.expected_nothing"),
                "digits" => msg!("toml.expected_digits"),
                "literal string" => msg!("toml.expected_quoted"),
                "letters, numbers, `-`, `_`" => msg!("toml.expected_key_characters"),
                other if other.split(", ").any(|t| t == "newline") => other
                    .split(", ")
                    .map(|t| match t {
                        "newline" => msg!("toml.expected_newline"),
                        t => t.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(&msg!("check.list_separator")),
                other => {
                    // "month between 01 and 12", "day between 01 and 29".
                    let range = |prefix: &str| other.strip_prefix(prefix)?.split_once(" and ");
                    if let Some((from, to)) = range("month between ") {
                        msg!("toml.expected_month", from, to)
                    } else if let Some((from, to)) = range("day between ") {
                        msg!("toml.expected_day", from, to)
                    } else {
                        other.to_string()
                    }
                }
            };
            msg!("toml.syntax_expected", problem, expected)
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Deserialises a table into `T`. `what` names the table for messages (`[[member]]`,
/// `consortium.toml`); a nested table is named by its own path (`[[body.seat]]`). Each failing key
/// is a diagnostic and is dropped (a nested record missing a required key is dropped whole); the
/// rest is still returned when it forms a valid `T`, so one bad key does not hide the record from
/// cross-file rules. `None` when a required key of the table itself is missing or bad.
pub fn deserialize<T: DeserializeOwned>(
    file: &SourceFile,
    value: Spanned<DeValue<'_>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let span = value.span();
    let mut value = value.into_inner();
    let mut reported = 0usize;
    // Keys already reported and dropped, with the table they were in.
    let mut removed: Vec<(Vec<Step>, String)> = Vec::new();
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
        let err_span = err.span().unwrap_or(span.clone());
        let path = locate(&value, &err_span);
        let table_name = name_of(&path, what);
        // A required key that was dropped because it was bad is now missing: already reported.
        let follow_on = backticked(&message, "missing field `")
            .is_some_and(|f| removed.iter().any(|(p, k)| *p == path && *k == f));
        if follow_on {
            if path.is_empty() || !remove_at(&mut value, &path) {
                return None;
            }
            continue;
        }
        let culprit = table_at(&value, &path).and_then(|t| {
            t.iter()
                .find(|(k, v)| contains(&k.span(), &err_span) || holds(v, &err_span))
                .map(|(k, _)| k.get_ref().to_string())
        });
        diags.push(convert(
            file,
            &message,
            err_span,
            culprit.as_deref(),
            &table_name,
        ));
        reported += 1;
        // Every retry removes one key or one nested record, so this ends; the bound is a guard.
        if reported > 1000 {
            return None;
        }
        match culprit {
            Some(key) => {
                // An unknown key: every other key of the table that the type does not know is
                // reported and dropped at once, so that a table of many unknown keys costs one
                // retry, not one a key.
                let known = backticked(&message, "unknown field `")
                    .map(|_| expected_list(&first_line(&message)));
                let table = table_at_mut(&mut value, &path)?;
                let mut kept = toml::de::DeTable::default();
                for (k, v) in std::mem::take(table) {
                    let name = k.get_ref().as_ref();
                    if name == key.as_str() {
                        continue;
                    }
                    let unknown = known
                        .as_ref()
                        .is_some_and(|known| !known.is_empty() && !known.iter().any(|f| f == name));
                    if unknown {
                        let message = format!(
                            "unknown field `{name}`, expected {}",
                            known
                                .iter()
                                .flatten()
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                        diags.push(convert(file, &message, k.span(), Some(name), &table_name));
                        removed.push((path.clone(), name.to_string()));
                        continue;
                    }
                    kept.insert(k, v);
                }
                *table = kept;
                removed.push((path, key));
            }
            // The table itself is unusable (a required key is missing): drop it from its parent,
            // or give up when it is the root.
            None if path.is_empty() => return None,
            None => {
                if !remove_at(&mut value, &path) {
                    return None;
                }
            }
        }
    }
}

/// One step from a table into its contents.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Whether `span` lies within `v`: its own span, or the key or value span of anything inside it
/// (the span TOML gives an array of tables or a dotted table does not cover its contents).
fn holds(v: &Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    if contains(&v.span(), span) {
        return true;
    }
    match v.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .any(|(k, child)| contains(&k.span(), span) || holds(child, span)),
        DeValue::Array(items) => items.iter().any(|item| holds(item, span)),
        _ => false,
    }
}

/// The path from the root to the deepest table that holds `span`.
fn locate(root: &DeValue<'_>, span: &Range<usize>) -> Vec<Step> {
    let mut path = Vec::new();
    let mut here = root;
    'down: loop {
        match here {
            DeValue::Table(t) => {
                for (k, v) in t.iter() {
                    let inner = v.get_ref();
                    let nests = matches!(inner, DeValue::Table(_) | DeValue::Array(_));
                    if nests && holds(v, span) {
                        path.push(Step::Key(k.get_ref().to_string()));
                        here = inner;
                        continue 'down;
                    }
                }
                break;
            }
            DeValue::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if matches!(v.get_ref(), DeValue::Table(_)) && holds(v, span) {
                        path.push(Step::Index(i));
                        here = v.get_ref();
                        continue 'down;
                    }
                }
                // Inside an array but not inside one of its tables: the array's key is the culprit.
                path.pop();
                break;
            }
            _ => break,
        }
    }
    path
}

/// `[[body.seat]]`, `[leads.park]`, or `what` for the root.
fn name_of(path: &[Step], what: &str) -> String {
    if path.is_empty() {
        return what.to_string();
    }
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .collect();
    let prefix = what
        .strip_prefix("[[")
        .and_then(|w| w.strip_suffix("]]"))
        .map(|w| format!("{w}."))
        .unwrap_or_default();
    if matches!(path.last(), Some(Step::Index(_))) {
        format!("[[{prefix}{}]]", keys.join("."))
    } else {
        format!("[{prefix}{}]", keys.join("."))
    }
}

fn table_at<'v, 'i>(root: &'v DeValue<'i>, path: &[Step]) -> Option<&'v DeTable<'i>> {
    let mut here = root;
    for step in path {
        here = match (here, step) {
            (DeValue::Table(t), Step::Key(k)) => t.get(k.as_str())?.get_ref(),
            (DeValue::Array(a), Step::Index(i)) => a.get(*i)?.get_ref(),
            _ => return None,
        };
    }
    match here {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

fn table_at_mut<'v, 'i>(root: &'v mut DeValue<'i>, path: &[Step]) -> Option<&'v mut DeTable<'i>> {
    let mut here = root;
    for step in path {
        here = match (here, step) {
            (DeValue::Table(t), Step::Key(k)) => t.get_mut(k.as_str())?.get_mut(),
            (DeValue::Array(a), Step::Index(i)) => a.get_mut(*i)?.get_mut(),
            _ => return None,
        };
    }
    match here {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// Removes the value at `path` from its parent table or array; false if there is none.
fn remove_at(root: &mut DeValue<'_>, path: &[Step]) -> bool {
    let Some((last, parent_path)) = path.split_last() else {
        return false;
    };
    let mut here = root;
    for step in parent_path {
        let next = match (here, step) {
            (DeValue::Table(t), Step::Key(k)) => t.get_mut(k.as_str()).map(|v| v.get_mut()),
            (DeValue::Array(a), Step::Index(i)) => a.get_mut(*i).map(|v| v.get_mut()),
            _ => None,
        };
        match next {
            Some(n) => here = n,
            None => return false,
        }
    }
    match (here, last) {
        (DeValue::Table(t), Step::Key(k)) => {
            let kept = std::mem::take(t)
                .into_iter()
                .filter(|(key, _)| key.get_ref().as_ref() != k.as_str())
                .collect();
            *t = kept;
            true
        }
        (DeValue::Array(a), Step::Index(i)) => {
            let mut kept = toml::de::DeArray::new();
            for (j, item) in a.iter().enumerate() {
                if j != *i {
                    kept.push(item.clone());
                }
            }
            *a = kept;
            true
        }
        _ => false,
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

/// The backticked names after "expected" (`expected one of `a`, `b``, `expected `a` or `b``).
pub fn expected_list(message: &str) -> Vec<String> {
    let Some((_, list)) = message.split_once("expected") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `key（中文名）` for every ASCII kind key in `expected` (aliases are left out of the list).
fn kinds_with_labels(expected: &[String]) -> Vec<String> {
    expected
        .iter()
        .filter(|k| k.is_ascii())
        .map(|k| match crate::model::kind_label(k) {
            Some(label) => format!("{k}（{label}）"),
            None => k.clone(),
        })
        .collect()
}

/// The text inside `string "…"`, as serde prints what it found.
fn found_string(found: &str) -> Option<&str> {
    found.strip_prefix("string \"")?.strip_suffix('"')
}

/// Rewrites one serde/toml message into a diagnostic for a person editing the file. `table` names
/// the table the problem is in (`[[body.seat]]`), `key` the key when known.
fn convert(
    file: &SourceFile,
    message: &str,
    span: Range<usize>,
    key: Option<&str>,
    table: &str,
) -> Diagnostic {
    let message = first_line(message);
    if let Some(field) = backticked(&message, "unknown field `") {
        let expected = expected_list(&message);
        let help = did_you_mean(&field, expected.iter().map(String::as_str)).or_else(|| {
            (!expected.is_empty())
                .then(|| msg!("toml.known_keys", keys = crate::messages::list(&expected)))
        });
        return Diagnostic::error(
            file,
            span,
            Message::named(
                "toml.unknown_key",
                msg!("toml.unknown_key_in", field, table),
            ),
        )
        .with_help(help);
    }
    if let Some(variant) = backticked(&message, "unknown variant `") {
        let expected = expected_list(&message);
        let keys: Vec<&str> = expected
            .iter()
            .map(String::as_str)
            .filter(|k| k.is_ascii())
            .collect();
        // Closest by key, or by Chinese name (then the key is suggested).
        let by_label = keys.iter().copied().find(|k| {
            crate::model::kind_label(k)
                .is_some_and(|l| crate::diagnostics::closest(&variant, [l]).is_some())
        });
        let help = crate::diagnostics::closest(&variant, keys.iter().copied())
            .or(by_label)
            .map(|k| match crate::model::kind_label(k) {
                Some(label) => msg!("toml.did_you_mean_kind", k, label),
                None => msg!("diag.did_you_mean", c = k),
            });
        let expected = crate::messages::list(kinds_with_labels(&expected));
        let message = match key {
            Some(noun) => Message::named(
                "toml.unknown_value",
                msg!("toml.unknown_value_of", noun, variant, table, expected),
            ),
            None => rule!("toml.unknown_value", variant, table, expected),
        };
        return Diagnostic::error(file, span, message).with_help(help);
    }
    if let Some(field) = backticked(&message, "missing field `") {
        return Diagnostic::error(file, span, rule!("toml.missing_key", field, table));
    }
    let raw_found = found_part(&message);
    let hint = |wanted| found_string(&raw_found).and_then(|s| slips::for_string(s, wanted));
    let found = found_text(&raw_found);
    let problem = if message.contains("expected u32") || message.contains("expected u64") {
        let too_large = raw_found
            .strip_prefix("integer `")
            .and_then(|n| n.trim_end_matches('`').parse::<i64>().ok())
            .is_some_and(|n| n > 0);
        if too_large {
            rule!("toml.too_large", found, max = u32::MAX)
        } else {
            rule!("toml.expected_count", found)
        }
    } else if message.contains("expected i32") || message.contains("expected i64") {
        rule!("toml.expected_integer", found)
    } else if message.contains("expected f64") {
        rule!("toml.expected_number", found)
    } else if message.contains("TOML datetime") || message.contains("expected a date") {
        rule!("toml.expected_date", found)
    } else if message.contains("expected a string") {
        rule!("toml.expected_string", found)
    } else if message.contains("expected a boolean") {
        rule!("toml.expected_boolean", found)
    } else if message.contains("expected a sequence") {
        rule!("toml.expected_array", found)
    } else {
        rule!("toml.invalid_value", message = message.clone())
    };
    let friendly = match key {
        Some(key) => problem.wrapped(|problem| msg!("toml.key_problem", key, problem)),
        None => problem,
    };
    let help = if message.contains("TOML datetime") || message.contains("expected a date") {
        hint(slips::Wanted::Date)
    } else if [
        "expected u32",
        "expected u64",
        "expected i32",
        "expected i64",
        "expected f64",
    ]
    .iter()
    .any(|e| message.contains(e))
    {
        hint(slips::Wanted::Number)
    } else {
        None
    };
    Diagnostic::error(file, span, friendly).with_help(help)
}

/// What serde says it found (`integer `5``, `string "x"`), with the kind of value in the current
/// language.
fn found_text(found: &str) -> String {
    let kinds = [
        ("integer ", "toml.found_integer"),
        ("floating point ", "toml.found_float"),
        ("string ", "toml.found_string"),
        ("boolean ", "toml.found_boolean"),
        ("date and time ", "toml.found_datetime"),
        ("time ", "toml.found_time"),
    ];
    for (prefix, key) in kinds {
        if let Some(value) = found.strip_prefix(prefix) {
            return crate::messages::text(key, &[("value", &value)]);
        }
    }
    match found {
        "sequence" => msg!("toml.found_array"),
        "map" => msg!("toml.found_table"),
        _ => found.to_string(),
    }
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

/// What `array_of_tables` read: the records, the `id`s of elements that could not be read (so
/// references to them are not reported a second time), and whether the file holds other top-level
/// keys (a misspelt `[[members]]`: its records are unknown, so references cannot be judged).
pub struct Records<T> {
    pub records: Vec<T>,
    pub failed_ids: Vec<String>,
    pub foreign_keys: bool,
}

/// Walks an array-of-tables key (`[[member]]`) and deserialises each element on its own, so a bad
/// element does not hide problems in the others. Unknown top-level keys are reported.
pub fn array_of_tables<T: DeserializeOwned>(
    file: &SourceFile,
    doc: Spanned<DeTable<'_>>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Records<T> {
    let mut out = Vec::new();
    let mut failed_ids = Vec::new();
    let mut foreign_keys = false;
    let what = format!("[[{key}]]");
    for (k, v) in doc.into_inner() {
        if k.get_ref() != key {
            foreign_keys = true;
            diags.push(
                Diagnostic::error(file, k.span(), rule!("toml.unknown_key", key = k.get_ref()))
                    .with_help(
                        did_you_mean(k.get_ref(), [key])
                            .or_else(|| Some(msg!("toml.only_tables", table = key))),
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
                    match deserialize(file, item, &what, diags) {
                        Some(x) => out.push(x),
                        None => failed_ids.extend(id),
                    }
                }
            }
            _ => diags.push(Diagnostic::error(
                file,
                span,
                rule!("toml.must_be_tables", table = key),
            )),
        }
    }
    Records {
        records: out,
        failed_ids,
        foreign_keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In English the parser's own wording comes out unchanged (the Chinese is in zh.toml).
    #[test]
    fn syntax_errors_keep_the_parsers_english() {
        for src in [
            "a = \"x",
            "a 1",
            "a = 1\na = 2",
            "[t\nb = 1",
            "a = tru",
            "a = 2024-13-01",
            "a = 2024-02-30",
            "a = [1, 2",
            "a = {b = 1",
            "= 1",
            "a = 1 b",
            "a = 01",
            "a = 'x",
            "a = \"\\q\"",
            "a = 1.",
        ] {
            let e = toml::from_str::<toml::Table>(src).unwrap_err();
            let message = first_line(e.message());
            assert_eq!(syntax_error(&message), message, "{src:?}");
        }
    }
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
            array_of_tables(&file, d, "rec", &mut diags).records
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
            shown.contains(
                &"f.toml:3:1: error[unknown-key]: unknown key `cuont` in [[rec]]".to_string()
            ),
            "{shown:?}"
        );
        assert_eq!(
            diags.iter().find(|d| d.line == 3).unwrap().help.as_deref(),
            Some("did you mean `count`?")
        );
        assert!(
            shown.iter().any(|s| s.starts_with(
                "f.toml:5:9: error[expected-count]: `count`: expected a whole number ≥ 0"
            )),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|s| s.starts_with(
                "f.toml:10:8: error[unknown-value]: unknown kind `enterprize` in [[rec]]"
            )),
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
