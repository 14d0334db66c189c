//! `chanjiao new DIR`: writes a small site with one consortium that `build` accepts at once, as a
//! starting point to edit. The files are kept in `src/scaffold/` and compiled in.

use std::fs;
use std::io;
use std::path::Path;

/// The scaffold's files, by path under the new folder.
const FILES: &[(&str, &str)] = &[
    ("content/site.toml", include_str!("scaffold/site.toml")),
    ("content/index.md", include_str!("scaffold/index.md")),
    ("content/pages/about.md", include_str!("scaffold/about.md")),
    (
        "content/consortia/demo/consortium.toml",
        include_str!("scaffold/consortium.toml"),
    ),
    (
        "content/consortia/demo/members.toml",
        include_str!("scaffold/members.toml"),
    ),
    (
        "content/consortia/demo/indicators.toml",
        include_str!("scaffold/indicators.toml"),
    ),
    (
        "content/consortia/demo/training.toml",
        include_str!("scaffold/training.toml"),
    ),
    (
        "content/consortia/demo/programmes/smart-manufacturing.md",
        include_str!("scaffold/programme.md"),
    ),
    (
        "content/consortia/demo/announcements/founded.md",
        include_str!("scaffold/announcement.md"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{}", msg!("new.not_empty", path = .0))]
    NotEmpty(String),
    #[error("{}", msg!("output.unwritable", path = .path, source = .source))]
    Io { path: String, source: io::Error },
}

/// Creates `dir` (or fills it if empty) with the scaffold site.
pub fn new_site(dir: &Path) -> Result<(), NewError> {
    let shown = dir.display().to_string();
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|source| NewError::Io {
            path: shown.clone(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(NewError::NotEmpty(shown));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let io = |source| NewError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(|source| NewError::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod comment_tests {
    use super::*;
    use crate::model::*;

    fn file(path: &str) -> &'static str {
        FILES
            .iter()
            .find(|(p, _)| *p == path)
            .expect("a scaffold file")
            .1
    }

    /// Every key the scaffold writes is explained in a Chinese comment right above it (or above
    /// its first use in the file, for the keys of a repeated record).
    #[test]
    fn every_key_has_a_chinese_comment() {
        for (path, text) in FILES {
            let mut explained: Vec<String> = Vec::new();
            let mut comment = false;
            for line in text.lines() {
                let t = line.trim();
                if t.starts_with('#') {
                    comment |= t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                    continue;
                }
                // A key, or a table's header; a blank line keeps the comment above it.
                let key = match t.split_once(" = ") {
                    Some((key, _)) => key.trim(),
                    None if t.starts_with('[') => t,
                    None => continue,
                };
                assert!(
                    comment || explained.iter().any(|k| k == key),
                    "{path}: `{key}` has no Chinese comment above it"
                );
                explained.push(key.to_string());
                comment = false;
            }
        }
    }

    /// The comment above each `kind`, `audience` and `status` names every value the code accepts,
    /// with its Chinese name: a value added to the code must be added here.
    #[test]
    fn the_comments_name_every_value_the_code_accepts() {
        let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
            (
                "content/consortia/demo/members.toml",
                MemberKind::ALL
                    .iter()
                    .map(|k| (k.key(), k.label()))
                    .collect(),
            ),
            (
                "content/consortia/demo/training.toml",
                Audience::ALL.iter().map(|k| (k.key(), k.label())).collect(),
            ),
            (
                "content/consortia/demo/programmes/smart-manufacturing.md",
                ProgrammeKind::ALL
                    .iter()
                    .map(|k| (k.key(), k.label()))
                    .collect(),
            ),
            (
                "content/consortia/demo/programmes/smart-manufacturing.md",
                ProgrammeStatus::ALL
                    .iter()
                    .map(|k| (k.key(), k.label()))
                    .collect(),
            ),
            (
                "content/consortia/demo/consortium.toml",
                BodyKind::ALL.iter().map(|k| (k.key(), k.label())).collect(),
            ),
            (
                "content/consortia/demo/consortium.toml",
                ConsortiumKind::ALL
                    .iter()
                    .map(|k| (k.key(), k.label()))
                    .collect(),
            ),
        ];
        for (path, values) in cases {
            let comments: String = file(path)
                .lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("");
            let comments = comments.replace(['#', ' '], "");
            for (key, label) in values {
                assert!(
                    comments.contains(&format!("{key}（{label}）")),
                    "{path}: the comments do not name `{key}（{label}）`"
                );
            }
        }
    }
}
