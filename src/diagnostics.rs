//! Diagnostics: every problem found in a site's content, with the file, line and column it sits at.
//! Loading and validation collect them; nothing here prints. `render` formats them the way compilers
//! do (`path:line:col: error: message`, then the offending line and a caret) for the command line.

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

/// One problem at one place. `line` and `col` are 1-based; `col` counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
    /// A hint shown under the caret, such as the closest known key.
    pub help: Option<String>,
    /// Other places the problem involves ("the ledger sums to … here"), each with its own position.
    pub notes: Vec<Note>,
}

/// A second place a diagnostic points at, printed as `path:line:col: note: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Note {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Note {
    pub fn at(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Note {
        let (line, col) = file.line_col(span.start);
        Note {
            path: file.path.clone(),
            line,
            col,
            message: message.into(),
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
    pub fn error(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::at(file, span.start, Severity::Error, message)
    }

    pub fn warning(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::at(file, span.start, Severity::Warning, message)
    }

    fn at(
        file: &SourceFile,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = file.line_col(offset);
        Diagnostic {
            path: file.path.clone(),
            line,
            col,
            severity,
            message: message.into(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// A problem with a whole file that has no useful position (line 1, column 1).
    pub fn file_error(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: 1,
            col: 1,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            notes: Vec::new(),
        }
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
            "{}:{}:{}: {}: {}{}",
            self.path,
            self.line,
            self.col,
            self.severity,
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

    pub fn file(&self, path: &str) -> std::borrow::Cow<'a, SourceFile> {
        match self.sources.get(path) {
            Some(f) => std::borrow::Cow::Borrowed(f),
            None => std::borrow::Cow::Owned(SourceFile::new(path, String::new())),
        }
    }

    pub fn error(
        &mut self,
        path: &str,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(&self.file(path), span, msg);
        self.push(d)
    }

    pub fn warning(
        &mut self,
        path: &str,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
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

/// Formats diagnostics for a terminal or a log. With `sources`, each one is followed by the line it
/// points at and a caret under the column; `color` adds ANSI colour to the severity.
pub fn render(diags: &[Diagnostic], sources: &BTreeMap<String, SourceFile>, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let (start, end) = if color {
            match d.severity {
                Severity::Error => ("\x1b[1;31m", "\x1b[0m"),
                Severity::Warning => ("\x1b[1;33m", "\x1b[0m"),
            }
        } else {
            ("", "")
        };
        out.push_str(&format!(
            "{}:{}:{}: {start}{}{end}: {}{}\n",
            d.path,
            d.line,
            d.col,
            d.severity,
            d.severity.lead(),
            d.message
        ));
        caret(&mut out, sources, &d.path, d.line, d.col, (start, end));
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {}\n", msg!("diag.help", help)));
        }
        for n in &d.notes {
            let (start, end) = if color {
                ("\x1b[1;36m", "\x1b[0m")
            } else {
                ("", "")
            };
            out.push_str(&format!(
                "{}:{}:{}: {start}note{end}: {}{}\n",
                n.path,
                n.line,
                n.col,
                msg!("diag.note_lead"),
                n.message
            ));
            caret(&mut out, sources, &n.path, n.line, n.col, (start, end));
        }
    }
    out
}

/// The source line at `line` and a caret under `col`, when the file is known.
fn caret(
    out: &mut String,
    sources: &BTreeMap<String, SourceFile>,
    path: &str,
    line_no: usize,
    col: usize,
    (start, end): (&str, &str),
) {
    let Some(line) = sources.get(path).and_then(|f| f.line_text(line_no)) else {
        return;
    };
    let gutter = line_no.to_string();
    let pad: String = " ".repeat(gutter.len());
    out.push_str(&format!("{pad} |\n{gutter} | {line}\n{pad} | "));
    let width: usize = line
        .chars()
        .take(col.saturating_sub(1))
        .map(|c| if c == '\t' { 1 } else { c.width().unwrap_or(0) })
        .sum();
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
    out.push_str(&format!("{indent}{start}^{end}\n"));
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
    fn closest_finds_typos_and_ignores_strangers() {
        let keys = ["students", "joined", "website", "kind"];
        assert_eq!(closest("studnets", keys), Some("students"));
        assert_eq!(closest("webiste", keys), Some("website"));
        assert_eq!(closest("zzzzzz", keys), None);
    }

    #[test]
    fn caret_sits_under_wide_characters() {
        let file = SourceFile::new("a.toml", "name = \"联合体\" x\n".to_string());
        let d = Diagnostic::error(&file, 19..20, "bad");
        assert_eq!((d.line, d.col), (1, 14));
        let mut sources = BTreeMap::new();
        sources.insert("a.toml".to_string(), file);
        let text = render(&[d], &sources, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a.toml:1:14: error: bad");
        assert_eq!(lines[2], "1 | name = \"联合体\" x");
        // 8 ASCII + 3 wide (6 columns) + quote + space = 16 columns before the caret.
        assert_eq!(lines[3], format!("  | {}^", " ".repeat(16)));
    }
}
