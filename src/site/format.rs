//! Fixed number formatting for pages: the same value always prints the same way (no locale, no
//! float noise), so output is byte-identical across runs and machines.

use crate::model::ValueKind;

/// `12600` → `12,600`; `96.40` → `96.4`; at most two decimals.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let rounded = (v * 100.0).round() / 100.0;
    let neg = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as u64;
    let frac = ((abs - abs.trunc()) * 100.0).round() as u64;
    let mut digits = int.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    grouped = format!("{digits}{grouped}");
    let mut s = if neg { format!("-{grouped}") } else { grouped };
    if frac > 0 {
        let f = format!("{frac:02}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// A value with its unit, e.g. `96.4%`, `1,200 人日`.
pub fn with_unit(v: f64, unit: &str) -> String {
    if unit == "%" {
        format!("{}%", number(v))
    } else {
        format!("{} {unit}", number(v))
    }
}

/// The change from `prev` to `cur`: percentage points for percentages, otherwise the difference and
/// the relative change.
pub fn change(prev: f64, cur: f64, kind: ValueKind) -> String {
    let d = cur - prev;
    if d == 0.0 {
        return "持平".to_string();
    }
    let sign = if d > 0.0 { "+" } else { "−" };
    let abs = number(d.abs());
    match kind {
        ValueKind::Percent => format!("{sign}{abs} 个百分点"),
        _ if prev != 0.0 => {
            let pct = d / prev.abs() * 100.0;
            format!(
                "{sign}{abs}（{sign}{}%）",
                number((pct.abs() * 10.0).round() / 10.0)
            )
        }
        _ => format!("{sign}{abs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_trimmed() {
        assert_eq!(number(12600.0), "12,600");
        assert_eq!(number(1234567.5), "1,234,567.5");
        assert_eq!(number(96.40), "96.4");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(999.0), "999");
        assert_eq!(number(0.125), "0.13");
        assert_eq!(with_unit(96.4, "%"), "96.4%");
        assert_eq!(with_unit(180.0, "人日"), "180 人日");
    }

    #[test]
    fn changes_name_points_for_percentages() {
        assert_eq!(change(96.0, 96.4, ValueKind::Percent), "+0.4 个百分点");
        assert_eq!(change(8.0, 11.0, ValueKind::Count), "+3（+37.5%）");
        assert_eq!(change(10.0, 8.0, ValueKind::Count), "−2（−20%）");
        assert_eq!(change(0.0, 5.0, ValueKind::Count), "+5");
        assert_eq!(change(3.0, 3.0, ValueKind::Count), "持平");
    }
}
