//! Watching the site for saves: folders, not files (editors save by renaming), with notify and a
//! short debounce. Editor temporary files and the output and staging folders of `build` are
//! ignored. Each batch of relevant changes calls `on_change` once, on the watcher's own thread.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// How long the watcher waits for a burst of saves to end.
pub const DEBOUNCE: Duration = Duration::from_millis(80);

/// The folders below the site root that hold what a build reads.
const WATCHED: [&str; 3] = ["content", "themes", "static"];

/// Whether a changed path can change the site: inside a watched folder, not an editor's scratch
/// file, not hidden (`.git`, staging folders).
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return false;
    };
    if !WATCHED.iter().any(|w| first == *w) {
        return false;
    }
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let scratch = name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || name.ends_with(".tmp");
    let hidden = rel
        .components()
        .any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')));
    !scratch && !hidden
}

type Inner = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// The running watcher; dropping it stops watching.
pub struct Watcher(std::sync::Arc<std::sync::Mutex<Option<Inner>>>);

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Ok(mut w) = self.0.lock() {
            w.take();
        }
    }
}

/// Starts watching `root`. `on_change` gets the changed paths (relative to the root) of each
/// batch; `on_error` the watcher's own problems.
pub fn start(
    root: &Path,
    mut on_change: impl FnMut(Vec<String>) + Send + 'static,
    on_error: impl Fn(String) + Send + 'static,
) -> notify::Result<Watcher> {
    let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let root_canon = root_abs.canonicalize().unwrap_or_else(|_| root_abs.clone());
    let for_events = root_canon.clone();
    let shared: std::sync::Arc<std::sync::Mutex<Option<Inner>>> = Default::default();
    let from_events = std::sync::Arc::clone(&shared);
    let mut watched: Vec<PathBuf> = WATCHED
        .iter()
        .map(|w| root_canon.join(w))
        .filter(|d| d.is_dir())
        .collect();
    let handler = move |result: DebounceEventResult| match result {
        Ok(events) => {
            let mut paths: Vec<String> = Vec::new();
            for e in &events {
                if matches!(e.kind, EventKind::Access(_)) {
                    continue;
                }
                for p in &e.paths {
                    let p = canonical_parent(p);
                    // A content/, themes/ or static/ folder made after the start is watched
                    // from now on (the root itself is watched for this alone).
                    let top = p.parent() == Some(for_events.as_path())
                        && WATCHED.iter().any(|w| p.file_name() == Some(w.as_ref()));
                    if top && p.is_dir() && !watched.contains(&p) {
                        if let Ok(mut w) = from_events.lock() {
                            if let Some(w) = w.as_mut() {
                                match w.watch(&p, RecursiveMode::Recursive) {
                                    Ok(()) => watched.push(p.clone()),
                                    Err(e) => on_error(format!("watching {}: {e}", p.display())),
                                }
                            }
                        }
                    }
                    if relevant(&for_events, &p) {
                        let rel = p
                            .strip_prefix(&for_events)
                            .map(|r| r.to_string_lossy().replace('\\', "/"))
                            .unwrap_or_default();
                        if !paths.contains(&rel) {
                            paths.push(rel);
                        }
                    }
                }
            }
            if !paths.is_empty() {
                paths.sort();
                on_change(paths);
            }
        }
        Err(errors) => {
            for e in errors {
                on_error(msg!("serve.watch_failed", e));
            }
        }
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
    debouncer.watch(&root_canon, RecursiveMode::NonRecursive)?;
    for w in WATCHED {
        let dir = root_canon.join(w);
        if dir.is_dir() {
            debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    if let Ok(mut s) = shared.lock() {
        *s = Some(debouncer);
    }
    Ok(Watcher(shared))
}

/// A path with its parent folder resolved (the file itself may be gone after a delete or rename).
fn canonical_parent(p: &Path) -> PathBuf {
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map(|c| c.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_count() {
        let root = Path::new("/s");
        assert!(relevant(root, Path::new("/s/content/site.toml")));
        assert!(relevant(
            root,
            Path::new("/s/content/consortia/a/announcements/x.md")
        ));
        assert!(relevant(
            root,
            Path::new("/s/themes/default/templates/base.html")
        ));
        assert!(relevant(root, Path::new("/s/content/consortia/b")));
        for ignored in [
            "/s/public/index.html",
            "/s/.public.staging-12/index.html",
            "/s/content/.x.md.swp",
            "/s/content/x.md~",
            "/s/content/.#x.md",
            "/s/content/4913",
            "/s/target/debug/x",
            "/other/content/x.md",
        ] {
            assert!(!relevant(root, Path::new(ignored)), "{ignored}");
        }
    }
}
