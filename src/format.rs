//! The one place where numbers, units, changes and dates become text. Every page, chart label,
//! announcement and report cell formats through here, so the same figure always reads the same:
//! an indicator has a fixed number of decimals, thousands are grouped, a number and its unit never
//! break apart, and dates read 2024年3月12日 (ISO only inside `<time datetime>`). No locale, no
//! float noise: output is byte-identical across runs and machines.

use crate::figures::{Change, KindCount, TrainingTotals};
use crate::model::{Date, IndicatorDef, ValueKind};

/// Joins a number to its unit so that a line never breaks between them.
pub const NBSP: char = '\u{a0}';

/// What a figure nobody entered reads as, wherever it is shown: never 0.
pub const NOT_REPORTED: &str = "未填报";

/// `v` with `decimals` decimals and no grouping, for CSV and JSON: `-0` (and a negative value
/// that rounds to zero) is `0`.
pub fn plain(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v);
    match text.strip_prefix('-') {
        Some(rest) if !rest.bytes().any(|b| (b'1'..=b'9').contains(&b)) => rest.to_string(),
        _ => text,
    }
}

/// `v` with exactly `decimals` decimals and grouped thousands: `12600.0, 0` → `12,600`;
/// `94.0, 1` → `94.0`; `1234.5, 2` → `1,234.50`.
pub fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    // `-0.00` is printed as `0.00`.
    if v < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    out.push_str(&group(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A file size in the units a reader expects: `812 B`, `12.3 KB`, `4.5 MB` (1 KB = 1024 B).
pub fn file_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes}{NBSP}B")
    } else if b < KB * KB {
        format!("{}{NBSP}KB", fixed(b / KB, 1))
    } else {
        format!("{}{NBSP}MB", fixed(b / KB / KB, 1))
    }
}

/// A whole number with grouped thousands: `12600` → `12,600`.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A measured quantity that is not an indicator (an office area in m²): as written, up to two
/// decimals, trailing zeros dropped: `260` → `260`, `150.5` → `150.5`.
pub fn measure(v: f64) -> String {
    let s = fixed(v, 2);
    match s.split_once('.') {
        Some((int, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_string()
            } else {
                format!("{int}.{frac}")
            }
        }
        None => s,
    }
}

/// A value of an indicator, with the indicator's decimals.
pub fn indicator(v: f64, def: &IndicatorDef) -> String {
    fixed(v, def.decimals())
}

/// Holds a number to a Chinese unit that follows it without a space, so that a line never
/// breaks between them (a line may break before any Han character).
pub const WORD_JOINER: char = '\u{2060}';

/// A number already formatted, joined to its unit as GB/T 15835 writes it: no space before a
/// Chinese unit or `%` (`5个`, `420.00万元`, `96.4%`, held together by word joiners, between the
/// number and the unit and inside the unit, since a line may break between any two Han
/// characters), a no-break space before a symbol such as `m²`.
pub fn with_unit(number: &str, unit: &str) -> String {
    match unit.chars().next() {
        None => number.to_string(),
        Some('%') => format!("{number}%"),
        Some(c) if is_han(c) => {
            let mut out = String::with_capacity(number.len() + unit.len() * 2 + 3);
            out.push_str(number);
            for ch in unit.chars() {
                out.push(WORD_JOINER);
                out.push(ch);
            }
            out
        }
        Some(_) => format!("{number}{NBSP}{unit}"),
    }
}

/// Text for plain files (Markdown drafts): without the word joiners `with_unit` puts in.
pub fn plain_text(text: &str) -> String {
    text.replace(WORD_JOINER, "")
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// A value of an indicator with its unit.
pub fn indicator_with_unit(v: f64, def: &IndicatorDef) -> String {
    with_unit(&indicator(v, def), &def.unit)
}

/// Enrolled students of some schools: the sum of the counts given, 未填报 when none is, and how
/// many schools left it blank when some did (`3,200（1所未填报）`). `None` when there is no school.
pub fn students(k: KindCount) -> Option<String> {
    if k.members == 0 {
        None
    } else if k.students_missing == k.members {
        Some(NOT_REPORTED.to_string())
    } else if k.students_missing > 0 {
        Some(format!(
            "{}（{}所未填报）",
            count(k.students),
            k.students_missing
        ))
    } else {
        Some(count(k.students))
    }
}

/// Person-days from the ledger, always with one decimal (half days are allowed): `180.0`.
pub fn person_days(t: &TrainingTotals) -> String {
    fixed(t.person_days(), 1)
}

/// The change on the previous year: `+3（+37.5%）` for counts and amounts, `+0.4 个百分点` for
/// percentages, `持平` when nothing changed; the delta has the indicator's decimals.
pub fn change(c: &Change, def: &IndicatorDef) -> String {
    let decimals = def.decimals();
    if fixed(c.delta.abs(), decimals) == fixed(0.0, decimals) {
        return "持平".to_string();
    }
    let sign = if c.delta > 0.0 { "+" } else { "−" };
    let abs = fixed(c.delta.abs(), decimals);
    match (c.kind, c.percent) {
        (ValueKind::Percent, _) => with_unit(&format!("{sign}{abs}"), "个百分点"),
        (_, Some(p)) => format!("{sign}{abs}（{sign}{}%）", fixed(p.abs(), 1)),
        (_, None) => format!("{sign}{abs}"),
    }
}

/// A date as Chinese text: `2024年3月12日`, no zero padding (GB/T 9704 style).
pub fn date(d: &Date) -> String {
    d.chinese()
}

/// The same date for `<time datetime>`: `2024-03-12`.
pub fn date_iso(d: &Date) -> String {
    d.iso()
}

/// A year as Chinese text: `2024年`, the number held to 年 by a word joiner (a table header or a
/// chart label never breaks it).
pub fn year(y: i32) -> String {
    format!("{y}{WORD_JOINER}年")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_have_no_negative_zero() {
        assert_eq!(plain(-0.0, 2), "0.00");
        assert_eq!(plain(-0.001, 2), "0.00");
        assert_eq!(plain(-1.5, 1), "-1.5");
        assert_eq!(plain(1234.5, 1), "1234.5");
    }

    fn def(kind: ValueKind, unit: &str) -> IndicatorDef {
        IndicatorDef {
            name: "x".into(),
            name_en: String::new(),
            unit: unit.into(),
            kind,
            group: "g".into(),
            source: String::new(),
            decimals: None,
        }
    }

    #[test]
    fn numbers_have_fixed_decimals_and_grouped_thousands() {
        assert_eq!(fixed(12600.0, 0), "12,600");
        assert_eq!(fixed(1234567.5, 1), "1,234,567.5");
        assert_eq!(fixed(94.0, 1), "94.0");
        assert_eq!(fixed(0.0, 2), "0.00");
        assert_eq!(fixed(999.0, 0), "999");
        assert_eq!(fixed(1000.0, 0), "1,000");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-1234.5, 2), "-1,234.50");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(measure(260.0), "260");
        assert_eq!(measure(150.5), "150.5");
        assert_eq!(measure(1234.25), "1,234.25");
        let pct = def(ValueKind::Percent, "%");
        assert_eq!(indicator_with_unit(94.0, &pct), "94.0%");
        let money = def(ValueKind::Amount, "万元");
        assert_eq!(
            indicator_with_unit(1234.5, &money),
            "1,234.50\u{2060}万\u{2060}元"
        );
        let days = def(ValueKind::Amount, "人日");
        assert_eq!(indicator(180.0, &days), "180.0");
        let n = def(ValueKind::Count, "个");
        assert_eq!(indicator_with_unit(12.0, &n), "12\u{2060}个");
        assert_eq!(
            date(&Date(chrono::NaiveDate::from_ymd_opt(2024, 3, 2).unwrap())),
            "2024年3月2日"
        );
    }

    #[test]
    fn changes_name_points_for_percentages() {
        let ch = |kind, from: f64, to: f64| Change {
            from_year: 2023,
            to_year: 2024,
            from,
            to,
            delta: to - from,
            percent: (kind != ValueKind::Percent && from != 0.0)
                .then(|| (to - from) / from * 100.0),
            kind,
        };
        let pct = def(ValueKind::Percent, "%");
        let n = def(ValueKind::Count, "个");
        assert_eq!(
            change(&ch(ValueKind::Percent, 96.0, 96.4), &pct),
            "+0.4\u{2060}个\u{2060}百\u{2060}分\u{2060}点"
        );
        assert_eq!(change(&ch(ValueKind::Count, 8.0, 11.0), &n), "+3（+37.5%）");
        assert_eq!(change(&ch(ValueKind::Count, 10.0, 8.0), &n), "−2（−20.0%）");
        assert_eq!(change(&ch(ValueKind::Count, 0.0, 5.0), &n), "+5");
        assert_eq!(change(&ch(ValueKind::Count, 3.0, 3.0), &n), "持平");
        assert_eq!(change(&ch(ValueKind::Percent, 96.0, 96.01), &pct), "持平");
    }
}
