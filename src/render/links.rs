//! The one allow-list every URL from content passes before it becomes a link: `http`, `https`,
//! `mailto`, `tel`, or a relative address. `javascript:`, `data:`, `vbscript:` and every other
//! scheme are refused: a browser would run or open them as the page's own. The scheme is read as
//! a browser reads it (leading spaces and controls dropped, tabs and newlines removed, any case).

/// The schemes a link from content may have.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The scheme of `url` as a browser reads it, lower-cased; `None` for a relative address.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let head = &cleaned[..colon];
    let mut chars = head.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    Some(head.to_ascii_lowercase())
}

/// The scheme of `url` when the allow-list refuses it.
pub fn refused_scheme(url: &str) -> Option<String> {
    scheme(url).filter(|s| !ALLOWED_SCHEMES.contains(&s.as_str()))
}

/// Whether `url` may be a link.
pub fn allowed(url: &str) -> bool {
    refused_scheme(url).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_schemes_are_refused_however_written() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "jav\nascript:x",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox",
            "file:///etc/passwd",
        ] {
            assert!(!allowed(bad), "{bad:?}");
        }
        for good in [
            "https://example.org/a?b#c",
            "HTTP://example.org",
            "mailto:office@example.org",
            "tel:+86-712-0000000",
            "/members/",
            "../a.pdf",
            "notice/附件1.pdf",
            "#section",
            "?q=1",
            "a/b:c",
            "2024:01",
            "",
        ] {
            assert!(allowed(good), "{good:?}");
        }
    }
}
