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
