//! Names that become files and folders of the published site (ids, slugs, tags, attachment
//! names) must work wherever the site is copied: Windows refuses `CON`, `aux.pdf` and the
//! characters `< > : " / \ | ? *`, and drops a trailing dot or space; every system limits a name
//! to 255 bytes; Windows and macOS take names that differ only in letter case or in Unicode
//! normalisation (`é` typed as one character or as two) for the same file. Found at `check`, not
//! when the build writes the site.

use unicode_normalization::UnicodeNormalization;

use super::*;

/// The names Windows reserves for devices, whatever the case and whatever follows a dot.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The longest id or slug, in characters: with the folders around it an output path stays well
/// under every system's limits (255 bytes a name, 260 characters a path on older Windows).
pub const MAX_SLUG: usize = 80;
/// The longest tag or attachment name, in characters (a Chinese character takes 3 bytes).
pub const MAX_NAME: usize = 60;

/// `name-reserved`, `name-characters`, `name-too-long`: what keeps `name` from being a file name
/// on every system, if anything.
pub fn unportable(name: &str, max: usize) -> Option<crate::diagnostics::Message> {
    // Checked on every name of every check, so by bytes where it can be (the characters looked
    // for are ASCII; other controls were removed when the file was read).
    if name.len() > max {
        let n = name.chars().count();
        if n > max {
            let start: String = name.chars().take(20).collect();
            return Some(rule!("check.name_too_long", start, n, max));
        }
    }
    if let Some(b) = name
        .bytes()
        .find(|b| b"<>:\"/\\|?*".contains(b) || *b < 0x20 || *b == 0x7F)
    {
        let c = crate::diagnostics::visible(&char::from(b).to_string()).into_owned();
        return Some(rule!("check.name_characters", name, c));
    }
    if name.ends_with(['.', ' ']) {
        return Some(rule!("check.name_trailing_dot", name));
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if (3..=4).contains(&stem.len()) && RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return Some(rule!("check.name_reserved", name));
    }
    None
}

/// The form under which Windows and macOS compare names: Unicode NFC, lower case.
pub fn folded(name: &str) -> String {
    // Ids and slugs are ASCII, which normalisation leaves as it is: a consortium of 10,000
    // announcements folds their slugs on every check.
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.nfc().collect::<String>().to_lowercase()
}

/// Reports each name that, folded, equals an earlier different one (`case-clash`), with a note at
/// the first: the two would be one file on Windows and macOS.
pub fn clashes<'a>(
    ctx: &mut Collector,
    items: impl Iterator<Item = (&'a str, &'a str, std::ops::Range<usize>)>,
    what: &str,
) {
    // Thousands of names in a large consortium: hashed, not compared in a tree.
    let mut seen: crate::fasthash::Map<String, (&str, &str, std::ops::Range<usize>)> =
        Default::default();
    for (name, path, span) in items {
        let key = folded(name);
        match seen.get(&key) {
            Some((first, first_path, first_span)) if *first != name => {
                let note = ctx.note(
                    first_path,
                    first_span.clone(),
                    msg!("check.first_is_here", first),
                );
                ctx.error(path, span, rule!("check.case_clash", what, name, first))
                    .notes
                    .push(note);
            }
            Some(_) => {}
            None => {
                seen.insert(key, (name, path, span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_fail_somewhere_are_caught() {
        for bad in [
            "CON", "aux", "nul.txt", "Com1", "lpt9.pdf", "a:b", "a*b", "a|b", "x.", "x ", "a\u{7}",
        ] {
            assert!(unportable(bad, MAX_NAME).is_some(), "{bad:?}");
        }
        for ok in [
            "console",
            "auxiliary",
            "实训基地",
            "附件1.pdf",
            "com10",
            "a-b_c",
        ] {
            assert!(unportable(ok, MAX_NAME).is_none(), "{ok:?}");
        }
        assert!(unportable(&"长".repeat(61), MAX_NAME).is_some());
        assert_eq!(folded("Cafe\u{301}"), folded("café"));
        assert_eq!(folded("AI"), folded("ai"));
    }
}
