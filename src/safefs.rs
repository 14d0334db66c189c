//! Reading only what belongs to the site: a regular file inside the folder it is read from
//! (`content/`, `static/`, `themes/<name>/`). A symbolic link whose target leaves that folder
//! (`env.txt -> /proc/self/environ`, or `static/x -> ../.env` at the site's root), a named pipe
//! (which would block a read for ever), a device (`/dev/zero` never ends) or a socket is refused
//! before a byte of it is read. A link that stays inside the folder is followed, as authors use
//! them to share a file between consortia; a folder that is itself a link (a `content/` kept
//! elsewhere) is where its files must stay.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a path is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A link (this path or a folder on the way to it) leads outside `folder` (site-relative).
    Outside { target: PathBuf, folder: String },
    /// Not a regular file: what it is, in words (`named pipe`, `device` …).
    NotRegular { kind: &'static str },
}

impl Refused {
    /// The diagnostic for this refusal of `path` (site-relative).
    pub fn message(&self, path: &str) -> crate::diagnostics::Message {
        match self {
            Refused::Outside { target, folder } => {
                rule!("load.outside_root", path, folder, target = target.display())
            }
            Refused::NotRegular { kind } => {
                let kind = match *kind {
                    "fifo" => msg!("load.kind_fifo"),
                    "device" => msg!("load.kind_device"),
                    "socket" => msg!("load.kind_socket"),
                    "folder" => msg!("load.kind_folder"),
                    _ => msg!("load.kind_special"),
                };
                rule!("load.not_regular", path, kind)
            }
        }
    }
}

/// What reading a file gave: its bytes, or why it was not read.
pub type Checked<T> = Result<T, Refused>;

fn kind_of(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "fifo";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if t.is_dir() {
        "folder"
    } else {
        "special"
    }
}

/// The folder a site-relative path must stay in: `themes/<name>` for a theme's files, else its
/// first folder (`content`, `static`).
pub fn boundary(rel: &str) -> &str {
    let mut parts = rel.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("themes"), Some(name), Some(_)) => &rel[..("themes/".len() + name.len())],
        (Some(first), Some(_), _) => first,
        _ => "",
    }
}

/// Whether `path`, with every link resolved, is inside `root/folder` (with its links resolved).
fn inside(root: &Path, folder: &str, path: &Path) -> io::Result<Checked<()>> {
    let bound = fs::canonicalize(root.join(folder))?;
    let target = fs::canonicalize(path)?;
    Ok(if target.starts_with(&bound) {
        Ok(())
    } else {
        Err(Refused::Outside {
            target,
            folder: folder.to_string(),
        })
    })
}

/// The folders found, in the current pass over the site, to be plain folders or links that stay
/// inside their boundary: a site of 10,000 announcements in one folder checks that folder once,
/// not 10,000 times. `None` outside a pass (every check is then made).
static CHECKED: std::sync::Mutex<Option<std::collections::HashSet<PathBuf>>> =
    std::sync::Mutex::new(None);

/// The current pass: a thread's memo of the last folder it checked holds only within one.
static PASS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

thread_local! {
    /// The last folder (site-relative) this thread found checked, and in which pass: files are
    /// read folder by folder, so nearly every lookup ends here, with no allocation or hashing.
    static LAST: std::cell::RefCell<(u64, String)> = const { std::cell::RefCell::new((0, String::new())) };
}

/// Starts a pass over the site (a build, a check, a preview's rebuild): folders are checked again.
pub fn begin_pass() {
    if let Ok(mut c) = CHECKED.lock() {
        *c = Some(std::collections::HashSet::new());
        PASS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Whether this thread last found `folder` checked in the current pass.
fn memo_holds(folder: &str) -> bool {
    let pass = PASS.load(std::sync::atomic::Ordering::SeqCst);
    pass != 0 && LAST.with(|l| l.borrow().0 == pass && l.borrow().1 == folder)
}

fn memo_set(folder: &str) {
    let pass = PASS.load(std::sync::atomic::Ordering::SeqCst);
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        l.0 = pass;
        l.1.clear();
        l.1.push_str(folder);
    });
}

fn checked(folder: &Path) -> bool {
    CHECKED
        .lock()
        .ok()
        .is_some_and(|c| c.as_ref().is_some_and(|set| set.contains(folder)))
}

fn mark_checked(folder: PathBuf) {
    if let Ok(mut c) = CHECKED.lock() {
        if let Some(set) = c.as_mut() {
            set.insert(folder);
        }
    }
}

/// Checks the folders from the boundary of `rel` down to `root/rel` (not the last part): a folder
/// that is a link must stay inside the boundary. One `lstat` a folder, once a pass.
pub fn check_folders(root: &Path, rel: &str) -> io::Result<Checked<()>> {
    let folder = boundary(rel);
    let below = rel[folder.len()..].trim_start_matches('/');
    let Some((folders, _)) = below.rsplit_once('/') else {
        return Ok(Ok(()));
    };
    let site_folder = &rel[..folder.len() + 1 + folders.len()];
    if memo_holds(site_folder) {
        return Ok(Ok(()));
    }
    let mut at = root.join(folder);
    let deepest = at.join(folders);
    if checked(&deepest) {
        memo_set(site_folder);
        return Ok(Ok(()));
    }
    for part in folders.split('/').filter(|p| !p.is_empty()) {
        at.push(part);
        if fs::symlink_metadata(&at)?.file_type().is_symlink() {
            if let Err(r) = inside(root, folder, &at)? {
                return Ok(Err(r));
            }
        }
    }
    if CHECKED.lock().is_ok_and(|c| c.is_some()) {
        memo_set(site_folder);
    }
    mark_checked(deepest);
    Ok(Ok(()))
}

/// Opens `root/rel` for reading if it is a regular file inside the root, without blocking on a
/// pipe; its metadata comes with it.
pub fn open(root: &Path, rel: &str) -> io::Result<Checked<(fs::File, fs::Metadata)>> {
    if let Err(r) = check_folders(root, rel)? {
        return Ok(Err(r));
    }
    let full = root.join(rel);
    let open = |follow: bool| {
        let mut options = fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Never block on a pipe; and, first, do not follow a link (that is checked first).
            let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
            options.custom_flags(libc::O_NONBLOCK | nofollow);
        }
        options.open(&full)
    };
    let file = match open(false) {
        Ok(f) => f,
        // A link: followed only once its target is known to stay inside the boundary.
        Err(e) if cfg!(unix) && e.raw_os_error() == Some(libc::ELOOP) => {
            if let Err(r) = inside(root, boundary(rel), &full)? {
                return Ok(Err(r));
            }
            open(true)?
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Err(Refused::NotRegular {
            kind: kind_of(&meta.file_type()),
        }));
    }
    Ok(Ok((file, meta)))
}

/// The bytes of `root/rel` if it is a regular file inside the root.
pub fn read(root: &Path, rel: &str) -> io::Result<Checked<Vec<u8>>> {
    let (mut file, meta) = match open(root, rel)? {
        Ok(f) => f,
        Err(r) => return Ok(Err(r)),
    };
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_root_pipes_and_devices_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/ok.txt"), "ok").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        fs::write(root.join(".env"), "KEY=secret").unwrap();
        std::os::unix::fs::symlink(root.join("a/ok.txt"), root.join("a/inner.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("a/env.txt")).unwrap();
        std::os::unix::fs::symlink("../.env", root.join("a/dotenv")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("a/zero")).unwrap();
        fs::create_dir_all(root.join("b")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("a/up")).unwrap();
        let fifo = root.join("a/pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);

        assert_eq!(read(&root, "a/ok.txt").unwrap().unwrap(), b"ok");
        assert_eq!(read(&root, "a/inner.txt").unwrap().unwrap(), b"ok");
        assert!(matches!(
            read(&root, "a/env.txt").unwrap(),
            Err(Refused::Outside { .. })
        ));
        assert!(matches!(
            read(&root, "a/zero").unwrap(),
            Err(Refused::Outside { .. })
        ));
        assert!(matches!(
            read(&root, "a/up/secret.txt").unwrap(),
            Err(Refused::Outside { .. })
        ));
        // A link to the site's root, outside the folder it is read from (`a/`), is refused too.
        assert!(matches!(
            read(&root, "a/dotenv").unwrap(),
            Err(Refused::Outside { .. })
        ));
        assert_eq!(boundary("themes/x/static/a.css"), "themes/x");
        assert_eq!(boundary("content/consortia/a/members.toml"), "content");
        assert_eq!(boundary("static/a.css"), "static");
        assert_eq!(
            read(&root, "a/pipe").unwrap(),
            Err(Refused::NotRegular { kind: "fifo" })
        );
        assert!(read(&root, "a/missing").is_err());
    }
}
