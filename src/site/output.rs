//! Writing the output folder safely. Pages are written into a staging folder beside the output and
//! swapped in only when all of them are on disk, so a failed build leaves the previous site as it
//! was: on Linux the two folders are exchanged in one step (`renameat2` with `RENAME_EXCHANGE`), so
//! an output folder exists at every instant. Folders that are not chanjiao's own output are refused
//! rather than overwritten. A build stopped by Ctrl-C or SIGTERM removes its staging folder
//! (`interrupted`); one killed outright leaves it, and the next build removes it. Each staging
//! folder is held by an advisory lock on a file beside it, which the system releases when its
//! build ends however it ends: a folder whose lock is free is stale, whatever `/proc` says (a
//! killed build left unreaped in a container is still listed there).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as chanjiao's output (and so safe to replace).
pub const MARKER: &str = ".chanjiao-output";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}", msg!("output.is_root", path = .0.display()))]
    IsRoot(PathBuf),
    #[error("{}", msg!("output.holds_content", path = .0.display()))]
    HoldsContent(PathBuf),
    #[error("{}", msg!("output.contains_root", path = .0.display()))]
    ContainsRoot(PathBuf),
    #[error("{}", msg!("output.inside_content", path = .0.display()))]
    InsideContent(PathBuf),
    #[error("{}", msg!("output.foreign", path = .0.display(), marker = MARKER))]
    Foreign(PathBuf),
    #[error("{}", msg!("output.not_a_folder", path = .0.display()))]
    NotAFolder(PathBuf),
    #[error("{}", msg!("output.unwritable", path = .path.display(), source = .source))]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute, normalised form of `p` that works before `p` exists.
fn absolute(p: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    // Resolve symlinks of the part that exists, keep the rest as written.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|s| s.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for r in rest.into_iter().rev() {
        out.push(r);
    }
    Ok(out)
}

/// Checks that `output` may be replaced by a build of the site at `root`.
pub fn check_output(root: &Path, output: &Path) -> Result<(), OutputError> {
    let root_abs = absolute(root).map_err(io_at(root))?;
    let out_abs = absolute(output).map_err(io_at(output))?;
    if out_abs == root_abs {
        return Err(OutputError::IsRoot(output.to_path_buf()));
    }
    if root_abs.starts_with(&out_abs) {
        return Err(OutputError::ContainsRoot(output.to_path_buf()));
    }
    if out_abs.starts_with(root_abs.join("content")) {
        return Err(OutputError::InsideContent(output.to_path_buf()));
    }
    if out_abs.join("content").exists() {
        return Err(OutputError::HoldsContent(output.to_path_buf()));
    }
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return Err(OutputError::NotAFolder(output.to_path_buf()));
        }
        let mut entries = fs::read_dir(&out_abs).map_err(io_at(output))?;
        let empty = entries.next().is_none();
        if !empty && !out_abs.join(MARKER).is_file() {
            return Err(OutputError::Foreign(output.to_path_buf()));
        }
    }
    Ok(())
}

/// A staging folder beside the output. Pages are written into it as they are rendered; `commit`
/// swaps it in for the output folder. Dropped without `commit`, it is removed and the previous
/// output stays as it was.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    old: PathBuf,
    committed: bool,
    /// The lock file, locked for as long as this build runs.
    lock: (PathBuf, fs::File),
}

impl Staging {
    /// Checks that `output` may be replaced, then creates an empty staging folder beside it.
    pub fn create(root: &Path, output: &Path) -> Result<Staging, OutputError> {
        check_output(root, output)?;
        let out_abs = absolute(output).map_err(io_at(output))?;
        let parent = out_abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.staging-{pid}"));
        let old = parent.join(format!(".{name}.old-{pid}"));
        let lock_path = parent.join(format!(".{name}.lock-{pid}"));
        let lock = fs::File::create(&lock_path).map_err(io_at(&lock_path))?;
        lock.lock().map_err(io_at(&lock_path))?;
        remove_stale(&parent, &name, &out_abs);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        active()
            .lock()
            .map(|mut a| a.push((dir.clone(), out_abs.clone(), old.clone())))
            .ok();
        Ok(Staging {
            dir,
            output: out_abs,
            old,
            committed: false,
            lock: (lock_path, lock),
        })
    }

    /// Writes one file, `rel` being a `/`-separated path under the output folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        if STOPPING.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(OutputError::Io {
                path,
                source: io::Error::new(io::ErrorKind::Interrupted, msg!("output.interrupted")),
            });
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        fs::write(&path, bytes).map_err(io_at(&path))
    }

    /// Marks the staging folder as chanjiao's output and swaps it in for the output folder.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let marker = self.dir.join(MARKER);
        fs::write(
            &marker,
            "此文件夹是 chanjiao 的生成结果，`chanjiao build` 会整体替换它。\nThis folder is chanjiao's build output; `chanjiao build` replaces it whole.\n",
        )
        .map_err(io_at(&marker))?;
        if self.output.exists() && exchange(&self.dir, &self.output).is_ok() {
            // The staging folder's name now holds the previous output.
            self.committed = true;
            return remove_tree(&self.dir).map_err(io_at(&self.dir));
        }
        let had_old = self.output.exists();
        if had_old {
            let _ = fs::remove_dir_all(&self.old);
            fs::rename(&self.output, &self.old).map_err(io_at(&self.output))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_old {
                let _ = fs::rename(&self.old, &self.output);
            }
            return Err(OutputError::Io {
                path: self.output.clone(),
                source: e,
            });
        }
        self.committed = true;
        if had_old {
            remove_tree(&self.old).map_err(io_at(&self.old))?;
        }
        Ok(())
    }
}

/// Swaps two folders in one step, so that neither name is ever missing (Linux 3.15 and later, on
/// the file systems that support it). Elsewhere, an error, and the caller renames twice.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
        };
        let (a, b) = (c(a)?, c(b)?);
        // SAFETY: both paths are NUL-terminated strings that live across the call.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Removes a folder and everything in it, its subfolders in parallel: the previous output of a
/// large site is tens of thousands of files, and removing them one by one is a good part of a
/// build. A symbolic link is removed, never followed.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        if let Ok(mut a) = active().lock() {
            a.retain(|(d, _, _)| d != &self.dir);
        }
        let _ = fs::remove_file(&self.lock.0);
    }
}

/// The staging folders of builds running in this process, with their output and the name the old
/// output takes while it is swapped: what a signal handler must clean up. A process-wide list,
/// because a signal handler can reach nothing else.
fn active() -> &'static std::sync::Mutex<Vec<(PathBuf, PathBuf, PathBuf)>> {
    static ACTIVE: std::sync::OnceLock<std::sync::Mutex<Vec<(PathBuf, PathBuf, PathBuf)>>> =
        std::sync::OnceLock::new();
    ACTIVE.get_or_init(Default::default)
}

/// Called when the process is interrupted (Ctrl-C, SIGTERM): removes the staging folders of the
/// builds in progress and, if one was stopped in the middle of swapping, puts the previous output
/// back. The output is then as it was before the build.
pub fn interrupted() {
    STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
    let list = match active().lock() {
        Ok(a) => a.clone(),
        Err(p) => p.into_inner().clone(),
    };
    // Twice: a write already under way when the flag was set may recreate a folder.
    for _ in 0..2 {
        for (dir, output, old) in &list {
            settle(dir, output, old);
            // The process ends next, and its lock with it.
            if let Some(name) = dir.file_name().and_then(|n| n.to_str()) {
                let _ = fs::remove_file(dir.with_file_name(name.replace(".staging-", ".lock-")));
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
}

/// Whether the process was interrupted: a build that fails from then on failed because of it.
pub fn stopping() -> bool {
    STOPPING.load(std::sync::atomic::Ordering::SeqCst)
}

/// Set once the process is interrupted: no further file is written.
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Removes a staging folder and restores or removes the old output beside it.
fn settle(dir: &Path, output: &Path, old: &Path) {
    let _ = fs::remove_dir_all(dir);
    if old.exists() {
        if output.exists() {
            let _ = fs::remove_dir_all(old);
        } else {
            let _ = fs::rename(old, output);
        }
    }
}

/// Whether the build with this id still runs: its lock file is locked. A lock that can be taken
/// belongs to no running build (the system releases it when a process ends, even one never
/// reaped); a missing lock file means a build that never took one.
fn running(parent: &Path, name: &str, pid: u32) -> bool {
    let path = parent.join(format!(".{name}.lock-{pid}"));
    let Ok(file) = fs::OpenOptions::new().write(true).open(&path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => false,
        Err(fs::TryLockError::WouldBlock) => true,
        // A system without locks: never remove what may be a running build's.
        Err(fs::TryLockError::Error(_)) => true,
    }
}

/// Removes the staging folders (and restores the old outputs) that builds no longer running left
/// beside the output: after kill -9 or a power loss.
fn remove_stale(parent: &Path, name: &str, output: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let pid = rest
            .strip_prefix("staging-")
            .or_else(|| rest.strip_prefix("old-"))
            .or_else(|| rest.strip_prefix("lock-"))
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else {
            continue;
        };
        if pid == own || running(parent, name, pid) {
            continue;
        }
        settle(
            &parent.join(format!(".{name}.staging-{pid}")),
            output,
            &parent.join(format!(".{name}.old-{pid}")),
        );
        let _ = fs::remove_file(parent.join(format!(".{name}.lock-{pid}")));
    }
}
