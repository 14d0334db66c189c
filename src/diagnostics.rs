//! Diagnostics: every problem found in a site's content, with the file, line and column it sits at
//! and the code of the rule that found it. Loading and the rules collect them; nothing here prints.
//! `render` formats them the way compilers do (`path:line:col: error[code]: message`, then the
//! offending line with its span underlined) for the command line.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use crate::source::SourceFile;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

impl Severity {
    /// What follows `error: ` or `warning: ` before the message: nothing in English, 错误：or
    /// 警告：in Chinese. The English word stays first so that editors and CI can parse the line.
    pub fn lead(self) -> String {
        match self {
            Severity::Error => msg!("diag.error_lead"),
            Severity::Warning => msg!("diag.warning_lead"),
        }
    }
}

/// The text of a diagnostic and the rule it reports, made by [`rule!`](crate::rule): the code is
/// the name of the message's key (`check.partner_twice` reports `partner-twice`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The catalogue key of the message, `section.name`.
    pub key: &'static str,
    /// The message in the run's language.
    pub text: String,
}

impl Message {
    /// A message of the rule `key` worded by another message of the catalogue (one rule may say
    /// what it found in more than one way).
    pub fn named(key: &'static str, text: String) -> Message {
        Message { key, text }
    }

    /// The rule code the message reports: its key's name, with `-` for `_`.
    pub fn code(&self) -> String {
        code_of(self.key)
    }

    /// The same rule, with its text put into a longer sentence (`` `key`: {problem} ``).
    pub fn wrapped(self, wrap: impl FnOnce(String) -> String) -> Message {
        Message {
            key: self.key,
            text: wrap(self.text),
        }
    }
}

/// The rule code of a message key: `check.partner_twice` → `partner-twice`.
pub fn code_of(key: &str) -> String {
    key.rsplit('.').next().unwrap_or(key).replace('_', "-")
}

/// `rule!("section.name", arg = value, …)`: the message of a diagnostic, as [`msg!`](crate::msg)
/// makes its text, with the rule code its key names.
#[macro_export]
macro_rules! rule {
    ($key:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::diagnostics::Message {
            key: $key,
            text: $crate::msg!($key $(, $name $(= $value)?)*),
        }
    };
}

/// One problem at one place. `line` and `col` are 1-based; `col` counts characters, not bytes.
/// The span ends before `end_col` on the same line (the rest of the line when it goes on).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    /// The catalogue key of the message, which names the rule (see [`code_of`]). Before the
    /// message, so that problems at one place sort alike in every language.
    pub key: &'static str,
    pub message: String,
    /// A hint shown under the caret, such as the closest known key.
    pub help: Option<String>,
    /// Other places the problem involves ("the ledger sums to … here"), each with its own position.
    pub notes: Vec<Note>,
    pub end_col: usize,
}

/// A second place a diagnostic points at, printed as `path:line:col: note: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Note {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub end_col: usize,
}

/// The line, column and end column of a span (the end on the span's first line).
fn place(file: &SourceFile, span: &Range<usize>) -> (usize, usize, usize) {
    let (line, col) = file.line_col(span.start);
    let (end_line, end) = file.line_col(span.end.max(span.start));
    let end_col = if end_line == line {
        end.max(col + 1)
    } else {
        // A span over several lines is underlined to the end of its first line.
        file.line_text(line)
            .map_or(col + 1, |t| (t.chars().count() + 1).max(col + 1))
    };
    (line, col, end_col)
}

impl Note {
    pub fn at(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Note {
        let (line, col, end_col) = place(file, &span);
        Note {
            path: file.path.clone(),
            line,
            col,
            message: message.into(),
            end_col,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: note: {}{}",
            self.path,
            self.line,
            self.col,
            msg!("diag.note_lead"),
            self.message
        )
    }
}

impl Diagnostic {
    pub fn error(file: &SourceFile, span: Range<usize>, message: Message) -> Self {
        Self::at(file, span, Severity::Error, message)
    }

    pub fn warning(file: &SourceFile, span: Range<usize>, message: Message) -> Self {
        Self::at(file, span, Severity::Warning, message)
    }

    fn at(file: &SourceFile, span: Range<usize>, severity: Severity, message: Message) -> Self {
        let (line, col, end_col) = place(file, &span);
        Diagnostic {
            path: file.path.clone(),
            line,
            col,
            severity,
            message: message.text,
            help: None,
            notes: Vec::new(),
            key: message.key,
            end_col,
        }
    }

    /// A problem at a line and column found by other means (a template engine's report).
    pub fn at_line(path: &str, line: usize, col: usize, message: Message) -> Self {
        Diagnostic {
            path: path.to_string(),
            line,
            col,
            severity: Severity::Error,
            message: message.text,
            help: None,
            notes: Vec::new(),
            key: message.key,
            end_col: col + 1,
        }
    }

    /// A problem with a whole file that has no useful position (line 1, column 1).
    pub fn file_error(path: &str, message: Message) -> Self {
        Self::at_line(path, 1, 1, message)
    }

    /// The code of the rule that found the problem (`partner-twice`), for `chanjiao explain`.
    pub fn code(&self) -> String {
        code_of(self.key)
    }

    pub fn with_note(mut self, note: Note) -> Self {
        self.notes.push(note);
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}{}",
            self.path,
            self.line,
            self.col,
            self.severity,
            self.code(),
            self.severity.lead(),
            self.message
        )
    }
}

/// Gathers the diagnostics of a pass over the model, placing each by path and byte span in the
/// decoded sources (a path with no source gets line 1, column 1).
pub struct Collector<'a> {
    sources: &'a BTreeMap<String, SourceFile>,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Collector<'a> {
    pub fn new(sources: &'a BTreeMap<String, SourceFile>) -> Self {
        Collector {
            sources,
            diags: Vec::new(),
        }
    }

    /// A collector over the same sources, with no diagnostics yet: for a part of a pass run on
    /// another thread, whose diagnostics join this one's after.
    pub fn fork(&self) -> Collector<'a> {
        Collector::new(self.sources)
    }

    pub fn file(&self, path: &str) -> std::borrow::Cow<'a, SourceFile> {
        match self.sources.get(path) {
            Some(f) => std::borrow::Cow::Borrowed(f),
            None => std::borrow::Cow::Owned(SourceFile::new(path, String::new())),
        }
    }

    pub fn error(&mut self, path: &str, span: Range<usize>, msg: Message) -> &mut Diagnostic {
        let d = Diagnostic::error(&self.file(path), span, msg);
        self.push(d)
    }

    pub fn warning(&mut self, path: &str, span: Range<usize>, msg: Message) -> &mut Diagnostic {
        let d = Diagnostic::warning(&self.file(path), span, msg);
        self.push(d)
    }

    /// A note at another place, to attach to a diagnostic.
    pub fn note(&self, path: &str, span: Range<usize>, msg: impl Into<String>) -> Note {
        Note::at(&self.file(path), span, msg)
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }
}

/// Sorts by path, line and column and drops exact repeats, so output is stable across runs.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort();
    diags.dedup();
}

/// How many diagnostics of one rule are listed for one file; the rest are counted in one line.
pub const SHOWN_PER_RULE_AND_FILE: usize = 50;

/// Formats diagnostics for a terminal or a log. With `sources`, each one is followed by the line it
/// points at and a caret under the column; `color` adds ANSI colour to the severity. The word
/// joiners that hold numbers to their units on pages are left out: a terminal needs none.
pub fn render(diags: &[Diagnostic], sources: &BTreeMap<String, SourceFile>, color: bool) -> String {
    let mut out = String::new();
    // After the first `SHOWN_PER_RULE_AND_FILE` of a rule in a file, a count: a file with a
    // million unknown keys must not print a million lines.
    let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for d in diags {
        let n = seen.entry((d.path.as_str(), d.code())).or_insert(0);
        *n += 1;
        if *n > SHOWN_PER_RULE_AND_FILE {
            continue;
        }
        let (start, end) = if color {
            match d.severity {
                Severity::Error => ("\x1b[1;31m", "\x1b[0m"),
                Severity::Warning => ("\x1b[1;33m", "\x1b[0m"),
            }
        } else {
            ("", "")
        };
        out.push_str(&format!(
            "{}:{}:{}: {start}{}[{}]{end}: {}{}\n",
            visible(&d.path),
            d.line,
            d.col,
            d.severity,
            d.code(),
            d.severity.lead(),
            visible(&crate::format::plain_text(&d.message))
        ));
        caret(
            &mut out,
            sources,
            &d.path,
            (d.line, d.col, d.end_col),
            (start, end),
        );
        if let Some(help) = &d.help {
            out.push_str(&format!(
                "  = help: {}\n",
                visible(&crate::format::plain_text(&msg!("diag.help", help)))
            ));
        }
        for n in &d.notes {
            let (start, end) = if color {
                ("\x1b[1;36m", "\x1b[0m")
            } else {
                ("", "")
            };
            out.push_str(&format!(
                "{}:{}:{}: {start}note{end}: {}{}\n",
                visible(&n.path),
                n.line,
                n.col,
                msg!("diag.note_lead"),
                visible(&crate::format::plain_text(&n.message))
            ));
            caret(
                &mut out,
                sources,
                &n.path,
                (n.line, n.col, n.end_col),
                (start, end),
            );
        }
    }
    for ((path, code), n) in seen {
        if n > SHOWN_PER_RULE_AND_FILE {
            out.push_str(&format!(
                "{}: note: {}{}\n",
                visible(path),
                msg!("diag.note_lead"),
                msg!(
                    "diag.more_of_rule",
                    more = n - SHOWN_PER_RULE_AND_FILE,
                    code,
                    shown = SHOWN_PER_RULE_AND_FILE
                )
            ));
        }
    }
    out
}

/// Characters shown either side of the caret on a line too long for a terminal.
const WINDOW: usize = 60;

/// A long line cut to the part around columns `col`..`end_col` (1-based, in characters), with
/// … where it was cut, and the columns in the cut line; a short line as it is.
fn window(line: &str, col: usize, end_col: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 2 * WINDOW + 40 {
        return (line.to_string(), col, end_col);
    }
    let at = col.saturating_sub(1).min(chars.len());
    let lo = at.saturating_sub(WINDOW);
    let hi = (at + WINDOW).min(chars.len()).max(at);
    let mut out = String::new();
    if lo > 0 {
        out.push('…');
    }
    out.extend(&chars[lo..hi]);
    if hi < chars.len() {
        out.push('…');
    }
    let shift = lo - usize::from(lo > 0);
    let end = end_col.min(hi + 1);
    (out, col - shift, end.saturating_sub(shift).max(col - shift))
}

/// The source line at `line` and carets under the columns from `col` to before `end_col`, when
/// the file is known.
fn caret(
    out: &mut String,
    sources: &BTreeMap<String, SourceFile>,
    path: &str,
    (line_no, col, end_col): (usize, usize, usize),
    (start, end): (&str, &str),
) {
    let Some(line) = sources.get(path).and_then(|f| f.line_text(line_no)) else {
        return;
    };
    let (clipped, col, end_col) = window(line, col, end_col);
    let line = clipped.as_str();
    let gutter = line_no.to_string();
    let pad: String = " ".repeat(gutter.len());
    out.push_str(&format!("{pad} |\n{gutter} | {}\n{pad} | ", visible(line)));
    let width_of = |c: char| match escape(c) {
        Some(e) => e.len(),
        None if c == '\t' => 1,
        None => c.width().unwrap_or(0),
    };
    let width: usize = line.chars().take(col.saturating_sub(1)).map(width_of).sum();
    let indent: String = line
        .chars()
        .take(col.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect::<String>();
    let indent = if indent.contains('\t') {
        indent
    } else {
        " ".repeat(width)
    };
    let under: usize = line
        .chars()
        .skip(col.saturating_sub(1))
        .take(end_col.saturating_sub(col))
        .map(width_of)
        .sum();
    let carets = "^".repeat(under.max(1));
    out.push_str(&format!("{indent}{start}{carets}{end}\n"));
}

/// How a character that a terminal would act on rather than show is written in diagnostics: a
/// control character (an ANSI escape can retitle or clear the terminal) or a bidirectional
/// control (it reorders the text around it), as `\u{1b}`. Tabs stay.
fn escape(c: char) -> Option<String> {
    let acts = (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    acts.then(|| format!("\\u{{{:x}}}", c as u32))
}

/// `text` with every character a terminal would act on written as an escape.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| escape(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escape(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(word, c);
        let contains = c.contains(word) || word.contains(c);
        let score = if contains && !word.is_empty() {
            score.max(0.7)
        } else {
            score
        };
        if score >= 0.5 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates).map(|c| msg!("diag.did_you_mean", c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_control_characters_are_shown_as_escapes() {
        assert_eq!(visible("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(visible("\u{202e}文字"), "\\u{202e}文字");
        assert_eq!(visible("tab\tkept 中文"), "tab\tkept 中文");
        let file = SourceFile::new("a.toml", "name = \"\u{1b}[2J\"\n".to_string());
        let d = Diagnostic::error(&file, 7..14, rule!("check.tag_blank"));
        let sources = BTreeMap::from([("a.toml".to_string(), file)]);
        let out = render(&[d], &sources, false);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("\\u{1b}[2J"), "{out}");
    }

    #[test]
    fn closest_finds_typos_and_ignores_strangers() {
        let keys = ["students", "joined", "website", "kind"];
        assert_eq!(closest("studnets", keys), Some("students"));
        assert_eq!(closest("webiste", keys), Some("website"));
        assert_eq!(closest("zzzzzz", keys), None);
    }

    fn bad() -> Message {
        Message {
            key: "check.bad_value",
            text: "bad".to_string(),
        }
    }

    #[test]
    fn a_long_line_is_shown_around_its_caret() {
        let line = format!("{}错{}", "a".repeat(500), "b".repeat(500));
        let (shown, col, end) = window(&line, 501, 502);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().count(), 2 * WINDOW + 2);
        assert_eq!(shown.chars().nth(col - 1), Some('错'));
        assert_eq!(end, col + 1);
        // A short line, and the start of a long one, are not cut in front.
        assert_eq!(window("abc", 2, 3), ("abc".to_string(), 2, 3));
        let (shown, col, _) = window(&line, 1, 2);
        assert!(!shown.starts_with('…') && col == 1);
    }

    #[test]
    fn caret_sits_under_wide_characters() {
        let file = SourceFile::new("a.toml", "name = \"联合体\" x\n".to_string());
        let d = Diagnostic::error(&file, 19..20, bad());
        assert_eq!((d.line, d.col), (1, 14));
        let mut sources = BTreeMap::new();
        sources.insert("a.toml".to_string(), file);
        let text = render(&[d], &sources, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a.toml:1:14: error[bad-value]: bad");
        assert_eq!(lines[2], "1 | name = \"联合体\" x");
        // 8 ASCII + 3 wide (6 columns) + quote + space = 16 columns before the caret.
        assert_eq!(lines[3], format!("  | {}^", " ".repeat(16)));
    }

    #[test]
    fn carets_underline_the_whole_span() {
        let text = "date = 2024-13-01\nname = \"联合体\"\nlist = [\n  1,\n]\n".to_string();
        let file = SourceFile::new("a.toml", text.clone());
        let mut sources = BTreeMap::new();
        sources.insert("a.toml".to_string(), file.clone());
        let shown = |span: std::ops::Range<usize>| {
            let d = Diagnostic::warning(&file, span, bad());
            render(&[d], &sources, false)
                .lines()
                .nth(3)
                .unwrap()
                .to_string()
        };
        // A wrong date: all ten characters.
        assert_eq!(
            shown(7..17),
            format!("  | {}{}", " ".repeat(7), "^".repeat(10))
        );
        // Chinese text in quotes: two columns a character.
        let start = text.find('"').unwrap();
        let end = text.rfind('"').unwrap() + 1;
        assert_eq!(
            shown(start..end),
            format!("  | {}{}", " ".repeat(7), "^".repeat(8))
        );
        // A span over several lines: to the end of its first line.
        let start = text.find('[').unwrap();
        assert_eq!(
            shown(start..text.len() - 1),
            format!("  | {}^", " ".repeat(7))
        );
        // An empty span still shows one caret.
        assert_eq!(shown(0..0), "  | ^");
    }
}
