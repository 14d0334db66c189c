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
pub fn inside(root: &Path, folder: &str, path: &Path) -> io::Result<Checked<()>> {
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

/// Checks the folders from the boundary of `rel` down to `root/rel` (not the last part): a folder
/// that is a link must stay inside the boundary. Cheap when no folder is a link (one `lstat` a
/// folder).
pub fn check_folders(root: &Path, rel: &str) -> io::Result<Checked<()>> {
    let folder = boundary(rel);
    let below = rel[folder.len()..].trim_start_matches('/');
    let mut at = root.join(folder);
    let parts: Vec<&str> = below.split('/').filter(|p| !p.is_empty()).collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(part);
        if fs::symlink_metadata(&at)?.file_type().is_symlink() {
            if let Err(r) = inside(root, folder, &at)? {
                return Ok(Err(r));
            }
        }
    }
    Ok(Ok(()))
}

/// Opens `root/rel` for reading if it is a regular file inside the root, without blocking on a
/// pipe; its metadata comes with it.
pub fn open(root: &Path, rel: &str) -> io::Result<Checked<(fs::File, fs::Metadata)>> {
    if let Err(r) = check_folders(root, rel)? {
        return Ok(Err(r));
    }
    let full = root.join(rel);
    let lmeta = fs::symlink_metadata(&full)?;
    let t = lmeta.file_type();
    if t.is_symlink() {
        if let Err(r) = inside(root, boundary(rel), &full)? {
            return Ok(Err(r));
        }
    } else if !t.is_file() {
        return Ok(Err(Refused::NotRegular { kind: kind_of(&t) }));
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A pipe put in place between the check and the open must not block.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(&full)?;
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

/// `read`, with a refusal turned into an I/O error (for callers that report both alike).
pub fn read_or_error(root: &Path, rel: &str) -> io::Result<Vec<u8>> {
    read(root, rel)?.map_err(|r| io::Error::other(r.message(rel).text))
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
