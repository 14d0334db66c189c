//! Slips of a Chinese keyboard in TOML: curly quotes, full-width `＝` and `：`, full-width digits,
//! dates written the Chinese way, and numbers quoted with their `%`. Each check takes the text a
//! person typed and says in plain words what to type instead; `tomlde` attaches it to the place.

use crate::diagnostics::Message;

/// A slip found on one line: the character offset (in chars) where it starts, and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    pub col: usize,
    pub message: crate::diagnostics::Message,
}

/// The first keyboard slip on a line that TOML could not parse, if any.
pub fn on_line(line: &str) -> Option<Slip> {
    let chars: Vec<char> = line.chars().collect();
    let at = |pred: &dyn Fn(char) -> bool| chars.iter().position(|c| pred(*c));
    // A comment is not parsed, so slips inside one do not matter.
    let end = chars.iter().position(|c| *c == '#').unwrap_or(chars.len());
    let within = |i: Option<usize>| i.filter(|i| *i < end);
    if let Some(i) = within(at(&|c| matches!(c, '“' | '”' | '‘' | '’'))) {
        return Some(Slip {
            col: i,
            message: rule!("slip.chinese_quotes"),
        });
    }
    if let Some(i) = within(at(&|c| c == '＝')) {
        return Some(Slip {
            col: i,
            message: rule!("slip.full_width_equals"),
        });
    }
    let quoted = |i: usize| chars[..i].iter().filter(|c| **c == '"').count() % 2 == 1;
    if chars.first() == Some(&'\u{3000}') {
        return Some(Slip {
            col: 0,
            message: rule!("slip.full_width_space"),
        });
    }
    // A key typed in Chinese (`在校生 = 1200`): keys are the English names of the forms' items.
    if let Some(eq) = within(at(&|c| c == '=')) {
        let key: String = chars[..eq].iter().collect::<String>().trim().to_string();
        let cjk = key.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if cjk && !key.starts_with('"') && !key.starts_with('[') {
            let message = match key_for(&key) {
                Some(english) => rule!("slip.chinese_key", key, english),
                None => Message::named("slip.chinese_key", msg!("slip.chinese_key_unknown", key)),
            };
            return Some(Slip { col: 0, message });
        }
    }
    if let Some(i) = within(at(&|c| c == '：')).filter(|i| !quoted(*i)) {
        return Some(Slip {
            col: i,
            message: rule!("slip.full_width_colon"),
        });
    }
    if let Some(i) = within(at(&|c| ('０'..='９').contains(&c))).filter(|i| !quoted(*i)) {
        let typed: String = chars[i..]
            .iter()
            .take_while(|c| ('０'..='９').contains(*c) || **c == '．')
            .collect();
        return Some(Slip {
            col: i,
            message: rule!(
                "slip.full_width_digits",
                typed,
                ascii = ascii_digits(&typed)
            ),
        });
    }
    if let Some(i) = within(at(&|c| "，；［］｛｝、".contains(c))).filter(|i| !quoted(*i)) {
        let typed = chars[i].to_string();
        let ascii = match chars[i] {
            '，' | '、' => ",",
            '；' => ",",
            '［' => "[",
            '］' => "]",
            '｛' => "{",
            _ => "}",
        };
        return Some(Slip {
            col: i,
            message: rule!("slip.full_width_punctuation", typed, ascii),
        });
    }
    // A year alone where a date is wanted (`joined = 2023年`).
    let text_before: String = chars[..end].iter().collect();
    if let Some(pos) = text_before.find('年') {
        let before = &text_before[..pos];
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let after = text_before[pos + '年'.len_utf8()..].trim();
        if digits.len() == 4 && after.is_empty() && !quoted(before.chars().count()) {
            let year: String = digits.chars().rev().collect();
            return Some(Slip {
                col: before.chars().count() - 4,
                message: rule!("slip.year_only_date", year),
            });
        }
    }
    // An unquoted date written 2024/5/20, 2024.5.20, 2024-5-20 or 2024年5月20日.
    let text: String = chars[..end].iter().collect();
    if let Some((byte, iso)) = find_date(&text) {
        if !quoted(text[..byte].chars().count()) {
            return Some(Slip {
                col: text[..byte].chars().count(),
                message: rule!("slip.date_form", iso),
            });
        }
    }
    None
}

/// A hint for text in quotes where a number or a date was expected.
pub fn for_string(found: &str, wanted: Wanted) -> Option<String> {
    let t = found.trim();
    match wanted {
        Wanted::Number => {
            if let Some(n) = t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
                let n = ascii_digits(n.trim());
                if n.parse::<f64>().is_ok() {
                    return Some(msg!("slip.number_without_percent", n));
                }
            }
            let plain = ascii_digits(&t.replace(',', ""));
            let digits_end = plain
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(plain.len());
            let (number, unit) = plain.split_at(digits_end);
            if !unit.is_empty()
                && number.parse::<f64>().is_ok()
                && !unit.chars().any(|c| c.is_ascii_digit())
            {
                return Some(msg!("slip.number_without_unit", unit = unit.trim(), number));
            }
            if plain.parse::<f64>().is_ok() {
                return Some(if t.chars().any(|c| ('０'..='９').contains(&c)) {
                    msg!("slip.number_ascii_unquoted", plain)
                } else {
                    msg!("slip.number_unquoted", plain)
                });
            }
            None
        }
        Wanted::Date => find_date(t)
            .map(|(_, iso)| iso)
            .or_else(|| {
                let ok = t.len() == 10 && chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
                ok.then(|| t.to_string())
            })
            .map(|iso| msg!("slip.date_unquoted", iso)),
    }
}

/// What a key wanted when it got text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Number,
    Date,
}

/// The key a Chinese name of a form's item stands for, as `import` knows the items' headers.
fn key_for(chinese: &str) -> Option<&'static str> {
    use crate::sheets::import::Table;
    let wanted = chinese.trim_end_matches('数');
    [Table::Members, Table::Training, Table::Indicators]
        .iter()
        .flat_map(|t| t.fields())
        .find(|f| {
            f.headers
                .iter()
                .any(|h| *h == chinese || h.trim_end_matches('数') == wanted)
        })
        .map(|f| f.key)
}

/// Full-width digits and point to ASCII.
fn ascii_digits(s: &str) -> String {
    s.chars().map(ascii_digit).collect()
}

/// A full-width digit or point as its ASCII form (`１２．５` is 12.5); any other character as it is.
pub fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' => '.',
        other => other,
    }
}

/// The first date written 2024/5/20, 2024.5.20 or 2024年5月20日 in `text`: its byte offset and
/// its ISO form.
fn find_date(text: &str) -> Option<(usize, String)> {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for start in 0..bytes.len() {
        let rest: String = bytes[start..].iter().map(|(_, c)| *c).collect();
        let rest = ascii_digits(&rest);
        if let Some(iso) = date_prefix(&rest) {
            let boundary = start == 0 || !bytes[start - 1].1.is_ascii_digit();
            if boundary {
                return Some((bytes[start].0, iso));
            }
        }
    }
    None
}

/// `2024/5/20…`, `2024.5.20…`, `2024年5月20日…` at the start of `s`, as `2024-05-20`.
fn date_prefix(s: &str) -> Option<String> {
    let take_num = |s: &str, max: usize| -> Option<(u32, usize)> {
        let n = s.chars().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > max {
            return None;
        }
        Some((s[..n].parse().ok()?, n))
    };
    let (y, n) = take_num(s, 4)?;
    if n != 4 {
        return None;
    }
    let rest = &s[n..];
    let (sep1, sep2, tail) = if rest.starts_with('年') {
        ('年', '月', Some('日'))
    } else if let Some(after) = rest.strip_prefix('-') {
        // Only as a slip: `2024-5-20`, a month or day of one digit (2024-05-20 is right).
        let parts: Vec<&str> = after.splitn(3, |c: char| !c.is_ascii_digit()).collect();
        if parts.len() < 2 || (parts[0].len() == 2 && parts[1].len() == 2) {
            return None;
        }
        ('-', '-', None)
    } else if rest.starts_with('/') {
        ('/', '/', None)
    } else if rest.starts_with('.') {
        ('.', '.', None)
    } else {
        return None;
    };
    let rest = &rest[sep1.len_utf8()..];
    let (m, n) = take_num(rest, 2)?;
    let rest = rest[n..].strip_prefix(sep2)?;
    let (d, n) = take_num(rest, 2)?;
    if let Some(t) = tail {
        rest[n..].strip_prefix(t)?;
    }
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_on_a_line_are_named() {
        let q = on_line("name = “孝感”").unwrap();
        assert_eq!(q.col, 7);
        assert!(q.message.text.contains("straight quotes"));
        assert!(on_line("kind ＝ \"enterprise\"")
            .unwrap()
            .message
            .text
            .contains("`＝`"));
        assert!(on_line("kind：\"enterprise\"")
            .unwrap()
            .message
            .text
            .contains("`：`"));
        assert_eq!(on_line("note = \"说明：见下\"   "), None);
        assert!(on_line("participants = １２")
            .unwrap()
            .message
            .text
            .contains("as in 12"));
        assert!(on_line("joined = 2024/5/20")
            .unwrap()
            .message
            .text
            .contains("2024-05-20"));
        assert!(on_line("joined = 2024年5月20日")
            .unwrap()
            .message
            .text
            .contains("2024-05-20"));
        assert_eq!(on_line("joined = 2024-05-20 # 2024/5/20"), None);
        let key = |l: &str| on_line(l).map(|s| (s.message.key, s.col));
        assert_eq!(
            key("students = 1200，"),
            Some(("slip.full_width_punctuation", 15))
        );
        assert_eq!(key("在校生 = 1200"), Some(("slip.chinese_key", 0)));
        assert!(on_line("在校生 = 1200")
            .unwrap()
            .message
            .text
            .contains("students"));
        assert_eq!(key("joined = 2023-6-1"), Some(("slip.date_form", 9)));
        assert!(on_line("joined = 2023-6-1")
            .unwrap()
            .message
            .text
            .contains("2023-06-01"));
        assert_eq!(key("joined = 2023年"), Some(("slip.year_only_date", 9)));
        assert_eq!(
            key("\u{3000}students = 1200"),
            Some(("slip.full_width_space", 0))
        );
        assert_eq!(
            key("tags = ［\"a\"］"),
            Some(("slip.full_width_punctuation", 7))
        );
        assert_eq!(key("note = \"甲，乙\" 2024"), None);
        assert_eq!(key("joined = 2024-05-20 x"), None);
    }

    #[test]
    fn strings_for_numbers_and_dates() {
        assert_eq!(
            for_string("58.3%", Wanted::Number).unwrap(),
            "write the number alone, without quotes and without `%`: 58.3"
        );
        assert_eq!(
            for_string("１２", Wanted::Number).unwrap(),
            "write the number with ASCII digits and without quotes: 12"
        );
        assert_eq!(
            for_string("2024年5月20日", Wanted::Date).unwrap(),
            "write the date without quotes: 2024-05-20"
        );
        assert_eq!(
            for_string("2024-05-20", Wanted::Date).unwrap(),
            "write the date without quotes: 2024-05-20"
        );
        assert_eq!(for_string("soon", Wanted::Date), None);
        assert_eq!(for_string("many", Wanted::Number), None);
        assert_eq!(
            for_string("60人", Wanted::Number).unwrap(),
            "write the number alone, without quotes and without the unit `人`: 60"
        );
    }
}
