//! 发文字号, the number of an official document: 机关代字 + 〔year〕 + serial + 号, such as
//! 湘教通〔2024〕23号. The year is four digits inside 六角括号 〔〕 (U+3014, U+3015); the serial has
//! no leading zeros and no 第. The usual slips (look-alike brackets, 第, padding zeros, spaces, a
//! missing 号) are recognised, so the message can give the right form.

/// Why a 发文字号 is not in the standard form, and the form it most likely means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, in a few words each (more than one slip may be present).
    pub slips: Vec<String>,
    /// The standard form, when the slips could be undone unambiguously.
    pub suggestion: Option<String>,
}

/// Brackets that are mistaken for 六角括号: ASCII and full-width square and round brackets,
/// 【】, 〖〗, the small ﹝﹞ and the tortoise-shell look-alikes ⦗⦘.
const LOOK_ALIKES: [(char, char); 8] = [
    ('[', ']'),
    ('［', '］'),
    ('【', '】'),
    ('〖', '〗'),
    ('(', ')'),
    ('（', '）'),
    ('﹝', '﹞'),
    ('⦗', '⦘'),
];

/// Whether `s` is a 发文字号 in the standard form.
pub fn is_standard(s: &str) -> bool {
    let Some((prefix, rest)) = s.split_once('〔') else {
        return false;
    };
    let Some((year, rest)) = rest.split_once('〕') else {
        return false;
    };
    let Some(serial) = rest.strip_suffix('号') else {
        return false;
    };
    !prefix.is_empty()
        && prefix.chars().all(is_code_char)
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && !serial.is_empty()
        && serial.bytes().all(|b| b.is_ascii_digit())
        && !serial.starts_with('0')
}

/// The year inside the brackets of a standard 发文字号.
pub fn year(s: &str) -> Option<i32> {
    if !is_standard(s) {
        return None;
    }
    let start = s.find('〔')? + '〔'.len_utf8();
    s[start..start + 4].parse().ok()
}

/// A character of the 机关代字: a Chinese character, an ASCII letter or digit.
fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_han(c)
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// `None` when `s` is in the standard form; otherwise what is wrong with it.
pub fn check(s: &str) -> Option<Problem> {
    if is_standard(s) {
        return None;
    }
    let mut slips = Vec::new();
    let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.len() != s.len() {
        slips.push(msg!("doc_number.spaces"));
    }
    // Look-alike brackets around the year become 〔〕.
    for (open, close) in LOOK_ALIKES {
        if let Some(i) = t.find(open) {
            if let Some(j) = t[i..].find(close).map(|j| i + j) {
                let inner = &t[i + open.len_utf8()..j];
                if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                    t = format!("{}〔{inner}〕{}", &t[..i], &t[j + close.len_utf8()..]);
                    slips.push(msg!("doc_number.brackets"));
                    break;
                }
            }
        }
    }
    let suggestion = (|| {
        let (prefix, rest) = t.split_once('〔')?;
        let (year, rest) = rest.split_once('〕')?;
        if year.len() != 4 {
            slips.push(msg!("doc_number.short_year"));
            return None;
        }
        let mut serial = rest;
        if let Some(r) = serial.strip_prefix('第') {
            slips.push(msg!("doc_number.di"));
            serial = r;
        }
        let digits: String = serial.chars().take_while(char::is_ascii_digit).collect();
        let tail = &serial[digits.len()..];
        let trimmed = digits.trim_start_matches('0');
        if trimmed.len() != digits.len() && !trimmed.is_empty() {
            slips.push(msg!("doc_number.leading_zeros"));
        }
        match tail {
            "号" => {}
            "" => slips.push(msg!("doc_number.no_hao")),
            _ => return None,
        }
        let fixed = format!("{prefix}〔{year}〕{trimmed}号");
        is_standard(&fixed).then_some(fixed)
    })();
    Some(Problem { slips, suggestion })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_forms_pass() {
        for ok in [
            "湘教通〔2024〕23号",
            "教职成厅函〔2024〕20号",
            "中办发〔2022〕65号",
            "鲁教职字〔2023〕1号",
            "国办发〔2020〕45号",
        ] {
            assert!(is_standard(ok), "{ok}");
            assert_eq!(check(ok), None);
        }
        assert_eq!(year("湘教通〔2024〕23号"), Some(2024));
    }

    #[test]
    fn slips_get_the_standard_form() {
        let cases = [
            ("湘教通[2024]23号", "湘教通〔2024〕23号"),
            ("湘教通［2024］23号", "湘教通〔2024〕23号"),
            ("湘教通【2024】23号", "湘教通〔2024〕23号"),
            ("湘教通（2024）23号", "湘教通〔2024〕23号"),
            ("国办发(2020) 45号", "国办发〔2020〕45号"),
            ("湘教通〔2024〕023号", "湘教通〔2024〕23号"),
            ("湘教通〔2024〕第23号", "湘教通〔2024〕23号"),
            ("湘教通〔2024〕23", "湘教通〔2024〕23号"),
            ("孝教发〔2023〕第07号", "孝教发〔2023〕7号"),
        ];
        for (bad, good) in cases {
            let p = check(bad).unwrap_or_else(|| panic!("{bad} passed"));
            assert_eq!(p.suggestion.as_deref(), Some(good), "{bad}: {p:?}");
            assert!(!p.slips.is_empty(), "{bad}");
        }
    }

    #[test]
    fn hopeless_forms_get_no_guess() {
        for bad in [
            "(95)12号",
            "湘教通2024年23号",
            "〔2024〕23号",
            "湘教通〔2024〕0号",
            "",
        ] {
            let p = check(bad).unwrap_or_else(|| panic!("{bad} passed"));
            assert_eq!(p.suggestion, None, "{bad}");
        }
    }
}
