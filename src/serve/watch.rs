//! Watching the site for saves: folders, not files (editors save by renaming), with notify.
//! Editor temporary files and the output and staging folders of `build` are ignored.
//!
//! The changes come in batches (`Changes::next`): a batch ends when the folders have been quiet
//! for `QUIET`, which a save's events (written, renamed, deleted within a millisecond or two) never
//! are. The preview rebuilds after each batch, at once; a rebuild that fails is shown only when no
//! other change comes within `HOLD` of it (`Changes::within`), so that a file caught half-written
//! by an editor that saves in steps never flashes an error.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the folders must be quiet for a batch of changes to end.
pub const QUIET: Duration = Duration::from_millis(15);

/// The longest a batch gathers while changes keep coming (a checkout of many files), before the
/// preview rebuilds with what it has.
pub const LONGEST: Duration = Duration::from_millis(1000);

/// How long a failed rebuild waits for another change before its errors are shown.
pub const HOLD: Duration = Duration::from_millis(300);

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

/// The running watcher; dropping it stops watching (and ends `Changes`).
pub struct Watcher(Arc<Mutex<Option<RecommendedWatcher>>>);

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Ok(mut w) = self.0.lock() {
            w.take();
        }
    }
}

/// What waiting for changes gave.
#[derive(Debug, PartialEq)]
pub enum Wait {
    /// A batch of changed paths, relative to the root, sorted, each once.
    Changed(Vec<String>),
    /// Nothing relevant changed in the time given.
    Quiet,
    /// The watcher stopped.
    Stopped,
}

/// The changes the watcher reports, gathered into batches.
pub struct Changes {
    events: mpsc::Receiver<notify::Result<Event>>,
    /// The root, resolved.
    root: PathBuf,
    /// The folders watched; a content/, themes/ or static/ folder made after the start joins
    /// them (the root itself is watched for this alone).
    watched: Vec<PathBuf>,
    watcher: Arc<Mutex<Option<RecommendedWatcher>>>,
    on_error: Box<dyn Fn(String) + Send>,
}

impl Changes {
    /// Changes read from `events`, for a site at `root` (resolved), with no watcher to extend:
    /// what `start` builds on, and what tests feed by hand.
    pub fn from_events(
        events: mpsc::Receiver<notify::Result<Event>>,
        root: PathBuf,
        on_error: impl Fn(String) + Send + 'static,
    ) -> Changes {
        Changes {
            events,
            root,
            watched: Vec::new(),
            watcher: Arc::default(),
            on_error: Box::new(on_error),
        }
    }

    /// Blocks until a batch of relevant changes has come in.
    pub fn next(&mut self) -> Wait {
        self.wait(None)
    }

    /// Waits at most `limit` for a relevant change; the batch it starts is gathered in full.
    pub fn within(&mut self, limit: Duration) -> Wait {
        self.wait(Some(Instant::now() + limit))
    }

    fn wait(&mut self, deadline: Option<Instant>) -> Wait {
        loop {
            let first = match deadline {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(d) => self
                    .events
                    .recv_timeout(d.saturating_duration_since(Instant::now())),
            };
            let first = match first {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => return Wait::Quiet,
                Err(RecvTimeoutError::Disconnected) => return Wait::Stopped,
            };
            let mut paths = Vec::new();
            self.take(first, &mut paths);
            let began = Instant::now();
            while began.elapsed() < LONGEST {
                match self.events.recv_timeout(QUIET) {
                    Ok(e) => self.take(e, &mut paths),
                    Err(_) => break,
                }
            }
            if !paths.is_empty() {
                paths.sort();
                return Wait::Changed(paths);
            }
        }
    }

    /// Adds the relevant paths of one event to `paths`.
    fn take(&mut self, event: notify::Result<Event>, paths: &mut Vec<String>) {
        let event = match event {
            Ok(e) => e,
            Err(e) => return (self.on_error)(msg!("serve.watch_failed", e)),
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for p in &event.paths {
            let p = canonical_parent(p);
            let top = p.parent() == Some(self.root.as_path())
                && WATCHED.iter().any(|w| p.file_name() == Some(w.as_ref()));
            if top && p.is_dir() && !self.watched.contains(&p) {
                self.watch(p.clone());
            }
            if relevant(&self.root, &p) {
                let rel = p
                    .strip_prefix(&self.root)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                if !paths.contains(&rel) {
                    paths.push(rel);
                }
            }
        }
    }

    /// Watches a folder made after the start.
    fn watch(&mut self, dir: PathBuf) {
        let Ok(mut w) = self.watcher.lock() else {
            return;
        };
        if let Some(w) = w.as_mut() {
            match w.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => self.watched.push(dir),
                Err(e) => (self.on_error)(format!("watching {}: {e}", dir.display())),
            }
        }
    }
}

/// Starts watching `root`: the changes come from `Changes`; `on_error` gets the watcher's own
/// problems.
pub fn start(
    root: &Path,
    on_error: impl Fn(String) + Send + 'static,
) -> notify::Result<(Watcher, Changes)> {
    let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let root_canon = root_abs.canonicalize().unwrap_or_else(|_| root_abs.clone());
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })?;
    watcher.watch(&root_canon, RecursiveMode::NonRecursive)?;
    let mut changes = Changes::from_events(rx, root_canon.clone(), on_error);
    for w in WATCHED {
        let dir = root_canon.join(w);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
            changes.watched.push(dir);
        }
    }
    if let Ok(mut s) = changes.watcher.lock() {
        *s = Some(watcher);
    }
    Ok((Watcher(Arc::clone(&changes.watcher)), changes))
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

    fn saved(root: &Path, rel: &str) -> notify::Result<Event> {
        Ok(Event::new(EventKind::Modify(notify::event::ModifyKind::Any)).add_path(root.join(rel)))
    }

    #[test]
    fn a_burst_of_saves_is_one_batch_and_a_quiet_wait_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (tx, rx) = mpsc::channel();
        let mut changes = Changes::from_events(rx, root.clone(), |e| panic!("{e}"));
        // Nothing comes: the wait gives up after its limit, not before.
        let began = Instant::now();
        assert_eq!(changes.within(Duration::from_millis(40)), Wait::Quiet);
        assert!(began.elapsed() >= Duration::from_millis(40));
        // A save in steps (a scratch file, the file twice, a reading of another, an output
        // file) is one batch of the one file.
        for rel in ["content/4913", "content/a.md", "public/index.html"] {
            tx.send(saved(&root, rel)).unwrap();
        }
        let read = Event::new(EventKind::Access(notify::event::AccessKind::Any));
        tx.send(Ok(read.add_path(root.join("content/b.md"))))
            .unwrap();
        tx.send(saved(&root, "content/a.md")).unwrap();
        assert_eq!(changes.next(), Wait::Changed(vec!["content/a.md".into()]));
        // Changes that cannot change the site do not end a wait; one that can does.
        tx.send(saved(&root, "public/x.html")).unwrap();
        assert_eq!(changes.within(QUIET * 4), Wait::Quiet);
        tx.send(saved(&root, "themes/t/base.html")).unwrap();
        tx.send(saved(&root, "content/site.toml")).unwrap();
        assert_eq!(
            changes.within(QUIET * 4),
            Wait::Changed(vec![
                "content/site.toml".into(),
                "themes/t/base.html".into()
            ])
        );
        drop(tx);
        assert_eq!(changes.next(), Wait::Stopped);
    }
}
