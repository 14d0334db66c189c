//! Every message a user reads, in Simplified Chinese and in English. The texts live in one
//! catalogue per language (`messages/zh.toml`, `messages/en.toml`), keyed `section.name`, with
//! `{name}` placeholders filled by [`msg!`]; code never assembles a message from English words.
//! The language is chosen once per run ([`choose`]) and read by every message made after.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// 简体中文
    Zh,
    /// English
    En,
}

impl Lang {
    /// The catalogue's text, as TOML.
    pub fn catalogue_source(self) -> &'static str {
        match self {
            Lang::Zh => include_str!("messages/zh.toml"),
            Lang::En => include_str!("messages/en.toml"),
        }
    }

    /// The language a locale name such as `zh_CN.UTF-8` or `en_GB` asks for; `None` for the
    /// neutral `C` and `POSIX` locales and for an empty value.
    pub fn of_locale(name: &str) -> Option<Lang> {
        let lang = name.split(['_', '.', '@', '-']).next().unwrap_or("");
        match lang.to_ascii_lowercase().as_str() {
            "" | "c" | "posix" => None,
            "zh" => Some(Lang::Zh),
            _ => Some(Lang::En),
        }
    }
}

/// The language of a site whose `site.toml` names none.
pub const DEFAULT_SITE_LANGUAGE: &str = "zh-CN";

static CURRENT: AtomicU8 = AtomicU8::new(Lang::En as u8);

/// Sets the language of every message made from now on.
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are made in.
pub fn lang() -> Lang {
    if CURRENT.load(Ordering::Relaxed) == Lang::Zh as u8 {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The language of this run: `--lang`, else the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that
/// names a language, else the site's `language` in `content/site.toml` under `root` (Chinese
/// when not given). With no site to read (`new`, a missing or unreadable `site.toml`) it is
/// Chinese: the users are Chinese secretariats, and a `C` locale says nothing of them.
pub fn choose(flag: Option<Lang>, env: impl Fn(&str) -> Option<String>, root: &Path) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(lang) = env(var).as_deref().and_then(Lang::of_locale) {
            return lang;
        }
    }
    // The site's language, when there is a site.toml to read (its problems are reported later).
    let Ok(site) = std::fs::read_to_string(root.join("content/site.toml")) else {
        return Lang::Zh;
    };
    let language = toml::from_str::<toml::Table>(&site)
        .ok()
        .and_then(|t| t.get("language")?.as_str().map(str::to_string))
        .unwrap_or_else(|| DEFAULT_SITE_LANGUAGE.to_string());
    match Lang::of_locale(&language) {
        Some(Lang::Zh) => Lang::Zh,
        _ => Lang::En,
    }
}

/// A catalogue: `section.name` → text.
pub type MessageCatalogue = HashMap<String, String>;

/// Reads a catalogue's TOML: one table per section, one string per message.
pub fn parse_catalogue(source: &str) -> Result<MessageCatalogue, String> {
    let table: toml::Table = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut out = MessageCatalogue::new();
    for (section, messages) in table {
        let messages = messages
            .as_table()
            .ok_or_else(|| format!("`{section}` is not a table"))?;
        for (name, text) in messages {
            let text = text
                .as_str()
                .ok_or_else(|| format!("`{section}.{name}` is not a string"))?;
            out.insert(format!("{section}.{name}"), text.to_string());
        }
    }
    Ok(out)
}

fn catalogue(lang: Lang) -> &'static MessageCatalogue {
    static ZH: OnceLock<MessageCatalogue> = OnceLock::new();
    static EN: OnceLock<MessageCatalogue> = OnceLock::new();
    let cell = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    // The catalogues are part of the binary and a test reads both, so they always parse.
    cell.get_or_init(|| parse_catalogue(lang.catalogue_source()).unwrap_or_default())
}

/// The names of the `{name}` placeholders in a text, in order (`{{` is a literal brace).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        if rest[at..].starts_with("{{") {
            rest = &rest[at + 2..];
            continue;
        }
        let Some(len) = rest[at + 1..].find('}') else {
            break;
        };
        out.push(&rest[at + 1..at + 1 + len]);
        rest = &rest[at + 2 + len..];
    }
    out
}

/// The message `key` in `lang` with its placeholders filled from `args`. A key missing from the
/// catalogue (a test forbids it) shows as the key with its arguments, never as a panic.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let Some(template) = catalogue(lang).get(key) else {
        let args: Vec<String> = args.iter().map(|(n, v)| format!("{n}={v}")).collect();
        return format!("{key}({})", args.join(", "));
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template.as_str();
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let name_end = tail.find('}').filter(|_| tail.starts_with('{'));
        match name_end.and_then(|end| {
            let name = &tail[1..end];
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (end, v))
        }) {
            Some((end, value)) => {
                use fmt::Write;
                let _ = write!(out, "{value}");
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The message `key` in the current language.
pub fn text(key: &str, args: &[(&str, &dyn Display)]) -> String {
    text_in(lang(), key, args)
}

/// Items named in a message, joined the way the language lists them: `a, b` or `a、b`.
pub fn list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let separator = text("diag.list_comma", &[]);
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(&separator)
}

/// `msg!("section.name", arg = value, other)`: the message in the current language, with each
/// `{arg}` filled (a bare name stands for `name = name`).
#[macro_export]
macro_rules! msg {
    (@value $name:ident = $value:expr) => { $value };
    (@value $name:ident) => { $name };
    ($key:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::messages::text(
            $key,
            &[$((stringify!($name), &$crate::msg!(@value $name $(= $value)?) as &dyn ::std::fmt::Display)),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn both() -> (MessageCatalogue, MessageCatalogue) {
        let zh = parse_catalogue(Lang::Zh.catalogue_source()).expect("zh.toml parses");
        let en = parse_catalogue(Lang::En.catalogue_source()).expect("en.toml parses");
        (zh, en)
    }

    /// Every call of `msg!` or `rule!` in the sources: its key and the names of its arguments.
    fn uses() -> Vec<(String, String, BTreeSet<String>)> {
        let mut out = Vec::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let file = entry
                .path()
                .strip_prefix(&src)
                .unwrap()
                .display()
                .to_string();
            let mut rest = text.as_str();
            // A `msg!` or a `rule!` call, whichever comes first.
            let next = |r: &str| {
                [("msg!(\"", 5), ("rule!(\"", 6)]
                    .iter()
                    .filter_map(|(m, len)| r.find(m).map(|at| (at, *len)))
                    .min()
            };
            while let Some((at, len)) = next(rest) {
                let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
                let in_comment = rest[line_start..at].contains("//");
                let call = &rest[at + len..];
                let end = closing_paren(call);
                let inner = &call[..end];
                rest = &call[end..];
                if in_comment {
                    continue;
                }
                let mut args = split_top_level(inner).into_iter();
                let key = args.next().unwrap_or_default();
                let Some(key) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) else {
                    continue;
                };
                let names = args
                    .map(|a| a.split('=').next().unwrap_or_default().trim().to_string())
                    .filter(|n| !n.is_empty())
                    .collect();
                out.push((file.clone(), key.to_string(), names));
            }
        }
        out
    }

    /// The index of the `)` closing a call whose text starts just after its `(`.
    fn closing_paren(s: &str) -> usize {
        let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
        for (i, c) in s.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_str => escaped = true,
                '"' => in_str = !in_str,
                '(' | '[' | '{' if !in_str => depth += 1,
                ')' | ']' | '}' if !in_str => {
                    if depth == 0 {
                        return i;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        s.len()
    }

    fn split_top_level(s: &str) -> Vec<String> {
        let mut out = vec![String::new()];
        let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
        for c in s.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_str => escaped = true,
                '"' => in_str = !in_str,
                '(' | '[' | '{' if !in_str => depth += 1,
                ')' | ']' | '}' if !in_str => depth = depth.saturating_sub(1),
                ',' if !in_str && depth == 0 => {
                    out.push(String::new());
                    continue;
                }
                _ => {}
            }
            out.last_mut().unwrap().push(c);
        }
        out.into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect()
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        let (zh, en) = both();
        let zh_keys: BTreeSet<&String> = zh.keys().collect();
        let en_keys: BTreeSet<&String> = en.keys().collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        assert!(
            only_zh.is_empty(),
            "messages with no English text: {only_zh:?}"
        );
        assert!(
            only_en.is_empty(),
            "messages with no Chinese text: {only_en:?}"
        );
        for (key, en_text) in &en {
            let mut a = placeholders(en_text);
            let mut b = placeholders(&zh[key]);
            a.sort();
            a.dedup();
            b.sort();
            b.dedup();
            assert_eq!(
                a, b,
                "`{key}` has other placeholders in zh.toml than in en.toml"
            );
            assert!(
                !zh[key].trim().is_empty() || en_text.is_empty(),
                "`{key}` is empty in zh.toml"
            );
        }
    }

    #[test]
    fn every_message_used_exists_with_its_arguments_and_every_message_is_used() {
        let (_, en) = both();
        let uses = uses();
        assert!(
            uses.len() > 200,
            "only {} messages found in the sources",
            uses.len()
        );
        let mut used: BTreeMap<&str, usize> = BTreeMap::new();
        for (file, key, names) in &uses {
            let Some(text) = en.get(key) else {
                panic!("{file}: `{key}` is in no catalogue");
            };
            let wanted: BTreeSet<String> =
                placeholders(text).into_iter().map(str::to_string).collect();
            assert_eq!(
                names, &wanted,
                "{file}: `{key}` is given other arguments than its text names"
            );
            *used.entry(key).or_default() += 1;
        }
        // The command line's help texts are looked up by the name of each command and argument.
        let mut help = BTreeSet::from(["help.about".to_string()]);
        fn walk(cmd: &clap::Command, sub: &str, out: &mut BTreeSet<String>) {
            if !sub.is_empty() {
                out.insert(format!("help.{sub}"));
            }
            for arg in cmd.get_arguments() {
                out.insert(crate::cli::help_key(sub, arg.get_id().as_str()));
            }
            for c in cmd.get_subcommands() {
                walk(c, c.get_name(), out);
            }
        }
        walk(&crate::cli::command(), "", &mut help);
        for key in &help {
            assert!(en.contains_key(key), "no help text `{key}`");
        }
        // Keys reached through `text(key, …)` with a literal key.
        let sources: String =
            walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                .map(|e| std::fs::read_to_string(e.path()).unwrap())
                .collect();
        let unused: Vec<&String> = en
            .keys()
            .filter(|k| !used.contains_key(k.as_str()) && !help.contains(*k))
            .filter(|k| !sources.contains(&format!("\"{k}\"")))
            .collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    }

    #[test]
    fn placeholders_are_filled_and_braces_kept() {
        assert_eq!(placeholders("a {x} b {{c}} {y}"), ["x", "y"]);
        let n = 3;
        assert_eq!(
            text_in(Lang::En, "missing.key", &[("n", &n)]),
            "missing.key(n=3)"
        );
    }

    #[test]
    fn locale_names_choose_a_language() {
        assert_eq!(Lang::of_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::of_locale("zh-Hans"), Some(Lang::Zh));
        assert_eq!(Lang::of_locale("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::of_locale("de_DE"), Some(Lang::En));
        assert_eq!(Lang::of_locale("C.UTF-8"), None);
        assert_eq!(Lang::of_locale("POSIX"), None);
        assert_eq!(Lang::of_locale(""), None);
    }

    #[test]
    fn the_flag_wins_then_the_environment_then_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/site.toml"),
            "language = \"zh-CN\"\n",
        )
        .unwrap();
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let root = dir.path();
        assert_eq!(choose(Some(Lang::En), env(&[]), root), Lang::En);
        assert_eq!(
            choose(None, env(&[("LANG", "en_US.UTF-8")]), root),
            Lang::En
        );
        assert_eq!(
            choose(
                None,
                env(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US")]),
                root
            ),
            Lang::Zh
        );
        assert_eq!(
            choose(
                None,
                env(&[("LC_MESSAGES", "en_US"), ("LANG", "zh_CN")]),
                root
            ),
            Lang::En
        );
        // A neutral locale leaves the choice to the site.
        assert_eq!(choose(None, env(&[("LANG", "C.UTF-8")]), root), Lang::Zh);
        assert_eq!(choose(None, env(&[]), &root.join("nowhere")), Lang::Zh);
        assert_eq!(
            choose(None, env(&[("LANG", "C")]), &root.join("nowhere")),
            Lang::Zh
        );
    }
}
