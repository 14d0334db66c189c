//! Source files as read from disk: decoded text (UTF-8, a leading BOM dropped), the path relative to
//! the site root, and a line index that turns byte offsets into the line and column an editor shows.
//! CRLF files keep their bytes; `\r` is simply never counted as a column.

use std::ops::Range;

/// One decoded file. Offsets everywhere else in the crate are byte offsets into `text`. Its text
/// and line index are shared by its copies (the model, diagnostics and a preview's caches hold
/// many).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub text: std::sync::Arc<str>,
    line_starts: std::sync::Arc<[usize]>,
}

/// A part of a file's text, as the model holds a Markdown body: it shares the file's decoded
/// text (which a preview keeps for every file it read) instead of copying it, and its copies
/// share it too.
#[derive(Clone, Default)]
pub struct Text {
    text: std::sync::Arc<str>,
    range: Range<usize>,
}

impl Text {
    /// The text of `file` in `range` (a range of `char` boundaries).
    pub fn of(file: &SourceFile, range: Range<usize>) -> Text {
        debug_assert!(file.text.get(range.clone()).is_some());
        Text {
            text: std::sync::Arc::clone(&file.text),
            range,
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.get(self.range.clone()).unwrap_or_default()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        let range = 0..s.len();
        Text {
            text: s.into(),
            range,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        std::sync::Arc::ptr_eq(&self.text, &other.text) && self.range == other.range
            || self.as_str() == other.as_str()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Where a file's bytes stop being UTF-8 text (the first bad byte), so they cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub line: usize,
    pub col: usize,
    /// What the bytes most likely are, for advice on converting them.
    pub encoding: Guess,
}

/// The encoding a file that is not UTF-8 was most likely saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    /// UTF-16 (记事本's “Unicode”): a byte-order mark, or a NUL in every other byte.
    Utf16,
    /// GBK or GB18030 (记事本's “ANSI” on a Chinese Windows): the bytes decode as GB18030.
    Gb18030,
    Unknown,
}

impl Guess {
    pub fn of(bytes: &[u8]) -> Guess {
        let sample = &bytes[..bytes.len().min(4096)];
        let odd_nuls = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
        if bytes.starts_with(b"\xFF\xFE")
            || bytes.starts_with(b"\xFE\xFF")
            || (sample.len() >= 4 && (odd_nuls.max(even_nuls)) * 4 >= sample.len())
        {
            Guess::Utf16
        } else if encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some()
        {
            Guess::Gb18030
        } else {
            Guess::Unknown
        }
    }
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: line_starts.into(),
        }
    }

    /// Decodes raw bytes: UTF-8 only, with an optional BOM. Anything else is reported at the first
    /// bad byte, since the usual cause is a file saved as GBK by an older editor.
    pub fn decode(path: impl Into<String>, bytes: Vec<u8>) -> Result<Self, DecodeError> {
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let before =
                    std::str::from_utf8(&bytes[..valid]).expect("valid_up_to marks valid UTF-8");
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let encoding = Guess::of(&bytes);
                Err(DecodeError {
                    line,
                    col,
                    encoding,
                })
            }
        }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().filter(|&c| c != '\r').count() + 1;
        (line, col)
    }

    /// The byte offset where a 1-based line starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.line_starts.get(i))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e - 1);
        Some(self.text[start..end.max(start)].trim_end_matches('\r'))
    }
}

/// Whether `c` may not stand in published text: a control character other than tab, line feed
/// and carriage return (XML 1.0 forbids C0 controls, HTML all of them), or a noncharacter
/// (U+FDD0–U+FDEF, U+FFFE, U+FFFF and their likes in every plane). One in a title would make every
/// Atom feed ill-formed; one in an indicator's name breaks its chart's SVG.
pub fn forbidden_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || ('\u{fdd0}'..='\u{fdef}').contains(&c)
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// Whether `text` holds a `forbidden_char`. Every body is scanned on every build, so the bytes
/// are first run through two branch-free passes the compiler vectorises: one for C0 controls and
/// DEL, one for the lead bytes of C1 controls and noncharacters (a superset: `￥` passes it too).
/// Only text that fails them is read character by character.
pub fn has_forbidden(text: &str) -> bool {
    let b = text.as_bytes();
    let control = b.iter().fold(false, |acc, &x| {
        acc | ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r')) | (x == 0x7F)
    });
    let suspect = control
        || b.iter().zip(b.iter().skip(1)).fold(false, |acc, (&x, &y)| {
            acc | ((x == 0xC2) & (y <= 0x9F))
                | ((x == 0xEF) & ((y == 0xB7) | (y == 0xBF)))
                | ((x >= 0xF0) & (y & 0x0F == 0x0F))
        });
    suspect && text.chars().any(forbidden_char)
}

/// `U+000C` for a character, as messages name it.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A Markdown file split into its TOML front matter and its body, both as byte ranges of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub toml: Range<usize>,
    pub body: Range<usize>,
}

/// Splits `+++` front matter from the body. Returns `None` when the file does not open with `+++`,
/// and `Err(offset)` when the opening fence is never closed.
pub fn split_front_matter(text: &str) -> Option<Result<FrontMatter, usize>> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return None;
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Some(Ok(FrontMatter {
                toml: first_end..pos,
                body: end..text.len(),
            }));
        }
        pos = end;
    }
    Some(Err(0))
}

/// The text of `range` with everything outside it blanked to spaces (newlines kept), so that a TOML
/// parser run on it reports byte offsets of the whole file.
pub fn isolate(text: &str, range: Range<usize>) -> String {
    let mut out = String::with_capacity(range.end);
    for c in text[..range.start].chars() {
        if c == '\n' {
            out.push('\n');
        } else {
            for _ in 0..c.len_utf8() {
                out.push(' ');
            }
        }
    }
    out.push_str(&text[range]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_skips_cr() {
        let f = SourceFile::new("x", "ab\r\n联合体x\n".to_string());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(2), (1, 3));
        assert_eq!(f.line_col(4), (2, 1));
        assert_eq!(f.line_col(4 + 9), (2, 4));
        assert_eq!(f.line_text(1), Some("ab"));
        assert_eq!(f.line_text(2), Some("联合体x"));
        assert_eq!(f.line_text(3), Some(""));
        assert_eq!(f.line_text(4), None);
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_forbidden_characters() {
        let samples = [
            "普通中文（全角）：“引号”，。",
            "tab\tlf\ncr\r",
            "a\u{c}b",
            "\u{0}",
            "\u{7f}",
            "\u{85}",
            "©°é",
            "\u{fdd0}",
            "\u{fdef}",
            "\u{fdf0}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{fffd}",
            "\u{1fffe}",
            "\u{10ffff}",
            "\u{1f600}",
            "\u{20000}𠀀",
            "\u{2fffe}",
            "\u{ff01}",
        ];
        for s in samples {
            assert_eq!(has_forbidden(s), s.chars().any(forbidden_char), "{s:?}");
        }
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("中{c}文");
            assert_eq!(has_forbidden(&s), forbidden_char(c), "{c:?}");
        }
    }

    #[test]
    fn decode_strips_bom_and_points_at_gbk() {
        let f = SourceFile::decode("x", b"\xEF\xBB\xBFa = 1\n".to_vec()).unwrap();
        assert_eq!(&*f.text, "a = 1\n");
        // "联" in GBK is 0xC1 0xAA.
        let e = SourceFile::decode("x", b"a = 1\nb = \"\xC1\xAA\"\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.col), (2, 6));
    }

    #[test]
    fn front_matter_split_handles_crlf_and_unclosed() {
        let t = "+++\r\ntitle = \"x\"\r\n+++\r\nbody\r\n";
        let fm = split_front_matter(t).unwrap().unwrap();
        assert_eq!(&t[fm.toml.clone()], "title = \"x\"\r\n");
        assert_eq!(&t[fm.body.clone()], "body\r\n");
        assert_eq!(split_front_matter("no front matter"), None);
        assert_eq!(split_front_matter("+++\ntitle = 1\n"), Some(Err(0)));
        let iso = isolate(t, fm.toml.clone());
        assert_eq!(iso.len(), fm.toml.end);
        assert!(iso.starts_with("   \r\n") || iso.starts_with("    \n"));
    }
}
