//! Reading a site's `content/` folder into the model. Every file is decoded and parsed; every
//! problem of shape (syntax, types, unknown keys) becomes a diagnostic, and the parts that parsed are
//! kept so cross-file rules can still run. Nothing here prints; I/O failures are returned as errors.

mod consortium;
pub mod slips;
pub mod tomlde;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::de::DeValue;

use crate::diagnostics::{did_you_mean, Diagnostic, Message};
use crate::model::*;

use crate::source::{isolate, split_front_matter, SourceFile};
use consortium::load_consortium;

/// What loading produced: the model (absent when `site.toml` itself is unusable), the decoded
/// sources for caret display, and the problems found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<SiteConfig>,
    pub index: Option<Page>,
    pub pages: Vec<Page>,
    pub consortia: Vec<std::sync::Arc<Consortium>>,
    /// `content/industries.toml`, the site's own industry taxonomy, when it has one.
    pub taxonomy: Option<industries::Taxonomy>,
    /// The site's own frameworks (`content/frameworks/<id>/`) that could be read.
    pub frameworks: Vec<framework::Framework>,
    pub sources: BTreeMap<String, SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}", msg!("load.not_a_site", path = .0.display()))]
    NotASite(PathBuf),
    #[error("{}", msg!("load.unreadable", path = .path.display(), source = .source))]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The files read by earlier loads, kept by path with the size and modification time they had, so
/// a preview that reloads after a save reads again only the files that changed. A file's bytes
/// are let go once what parsing them gave is kept: a token stands for them after, and a file
/// whose token is the very same is not parsed again. `forget` drops the paths a watcher reported,
/// whatever their time says.
#[derive(Default)]
pub struct FileCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, CachedFile>>,
    /// What parsing each file gave, by path, with the token of the bytes it was parsed from.
    parsed: std::sync::Mutex<std::collections::HashMap<String, (Bytes, ParsedAny)>>,
    /// Whether a file kept is taken as it is without looking at its size and time: only where a
    /// watcher reports every change (`forget`), and `stale` catches what it missed.
    trusted: std::sync::atomic::AtomicBool,
}

type Bytes = std::sync::Arc<Vec<u8>>;
type ParsedAny = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// What parsing one file gave: the value (`None` when the file could not be decoded), the decoded
/// file and the problems found.
struct Parsed<R> {
    value: Option<R>,
    file: Option<SourceFile>,
    diags: Vec<Diagnostic>,
}

struct CachedFile {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The bytes, or, once parsed (`released`), an empty token that stands for them.
    bytes: std::sync::Arc<Vec<u8>>,
    released: bool,
}

impl CachedFile {
    /// Whether a file of this size and time is the one kept. Without a time, it may not be.
    fn is(&self, len: u64, modified: Option<std::time::SystemTime>) -> bool {
        self.len == len && self.modified == modified && modified.is_some()
    }
}

impl FileCache {
    /// Forgets these site-relative paths (files or folders).
    pub fn forget<'a>(&self, paths: impl IntoIterator<Item = &'a str>) {
        if let Ok(mut e) = self.entries.lock() {
            let parsed = self.parsed.lock();
            let mut parsed = parsed.ok();
            for p in paths {
                if let Some(parsed) = parsed.as_mut() {
                    parsed.remove(p);
                }
                // A path that was a file holds nothing else; any other may be a folder.
                if e.remove(p).is_some() {
                    continue;
                }
                let folder = format!("{}/", p.trim_end_matches('/'));
                e.retain(|k, _| !k.starts_with(&folder));
                if let Some(parsed) = parsed.as_mut() {
                    parsed.retain(|k, _| !k.starts_with(&folder));
                }
            }
        }
    }

    /// Takes kept files as they are, without a look at their size and time, until forgotten
    /// (`on`), or looks at each again. A preview of ten thousand files spends a third of a
    /// rebuild's reading on those looks; a watcher that reports every change makes them needless.
    pub fn trust(&self, on: bool) {
        self.trusted.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// The kept files that changed since they were read (another size or time), are gone, or
    /// are no longer regular files in checked folders; each is forgotten. A trusting preview asks
    /// after each rebuild, to catch a change its watcher missed.
    pub fn stale(&self, root: &Path) -> Vec<String> {
        use rayon::prelude::*;
        let kept: Vec<(String, u64, Option<std::time::SystemTime>)> = match self.entries.lock() {
            Ok(e) => e
                .iter()
                .map(|(rel, c)| (rel.clone(), c.len, c.modified))
                .collect(),
            Err(_) => return Vec::new(),
        };
        crate::safefs::begin_pass();
        let mut stale: Vec<String> = kept
            .into_par_iter()
            .filter(|(rel, len, modified)| {
                // Where the file system keeps no time, only a size or kind can tell: a file so
                // kept is otherwise trusted, or every rebuild would find it changed.
                let holds = matches!(crate::safefs::check_folders(root, rel), Ok(Ok(())))
                    && fs::symlink_metadata(root.join(rel)).is_ok_and(|m| {
                        m.is_file() && m.len() == *len && m.modified().ok() == *modified
                    });
                !holds
            })
            .map(|(rel, _, _)| rel)
            .collect();
        stale.sort();
        self.forget(stale.iter().map(String::as_str));
        stale
    }

    /// What parsing this file gave when it had these very bytes.
    fn parsed<R: Send + Sync + 'static>(
        &self,
        rel: &str,
        bytes: &Bytes,
    ) -> Option<std::sync::Arc<Parsed<R>>> {
        let parsed = self.parsed.lock().ok()?;
        let (was, value) = parsed.get(rel)?;
        if !std::sync::Arc::ptr_eq(was, bytes) {
            return None;
        }
        std::sync::Arc::clone(value).downcast().ok()
    }

    /// The file's bytes, and whether they are the token of bytes let go (`release`): from the
    /// cache when the cache trusts its watcher or the file's size and time are unchanged, else
    /// from disk. A file that is not a regular file inside the root is refused, cached or not (in a
    /// trusting cache, once the watcher or `stale` reports that it changed).
    fn read(&self, root: &Path, rel: &str) -> io::Result<crate::safefs::Checked<(Bytes, bool)>> {
        // A preview whose watcher reports every change: a file kept was not changed.
        if self.trusted.load(std::sync::atomic::Ordering::Relaxed) {
            if let Some(c) = self
                .entries
                .lock()
                .ok()
                .and_then(|e| e.get(rel).map(|c| (c.bytes.clone(), c.released)))
            {
                return Ok(Ok(c));
            }
        }
        // The common case of a preview's rebuild, at one `lstat` a file: a regular file (no link,
        // no pipe) in checked folders, the same size and time as when it was read.
        if let Ok(Ok(())) = crate::safefs::check_folders(root, rel) {
            let meta = fs::symlink_metadata(root.join(rel))?;
            if meta.is_file() {
                if let Ok(e) = self.entries.lock() {
                    if let Some(c) = e
                        .get(rel)
                        .filter(|c| c.is(meta.len(), meta.modified().ok()))
                    {
                        return Ok(Ok((std::sync::Arc::clone(&c.bytes), c.released)));
                    }
                }
            }
        }
        let (mut file, meta) = match crate::safefs::open(root, rel)? {
            Ok(f) => f,
            Err(r) => return Ok(Err(r)),
        };
        let (len, modified) = (meta.len(), meta.modified().ok());
        if let Ok(e) = self.entries.lock() {
            if let Some(c) = e.get(rel).filter(|c| c.is(len, modified)) {
                return Ok(Ok((std::sync::Arc::clone(&c.bytes), c.released)));
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        io::Read::read_to_end(&mut file, &mut bytes)?;
        let bytes = std::sync::Arc::new(bytes);
        if let Ok(mut e) = self.entries.lock() {
            e.insert(
                rel.to_string(),
                CachedFile {
                    len,
                    modified,
                    bytes: std::sync::Arc::clone(&bytes),
                    released: false,
                },
            );
        }
        Ok(Ok((bytes, false)))
    }

    /// Lets go of a file's bytes once what parsing them gave is kept: gives the token that
    /// stands for them after, or `None` when the file was read again meanwhile.
    fn release(&self, rel: &str, bytes: &Bytes) -> Option<Bytes> {
        let mut e = self.entries.lock().ok()?;
        let c = e.get_mut(rel)?;
        if !std::sync::Arc::ptr_eq(&c.bytes, bytes) {
            return None;
        }
        let token: Bytes = std::sync::Arc::new(Vec::new());
        c.bytes = std::sync::Arc::clone(&token);
        c.released = true;
        Some(token)
    }
}

/// Collects what one file or folder produced.
#[derive(Default)]
struct Sink<'c> {
    sources: Vec<SourceFile>,
    diags: Vec<Diagnostic>,
    files: Option<&'c FileCache>,
}

impl Sink<'_> {
    /// Reads and decodes a file and gives it to `parse`, with where to put the problems found. A
    /// decoding problem is a diagnostic and gives `None`. With a cache, a file whose bytes did not
    /// change gives what it gave last time, problems included, without being parsed again.
    fn parse<R: Clone + Send + Sync + 'static>(
        &mut self,
        root: &Path,
        rel: &str,
        parse: impl FnOnce(&SourceFile, &mut Vec<Diagnostic>) -> R,
    ) -> Result<Option<R>, LoadError> {
        // The full path only for an error: a rebuild takes thousands of files from the cache.
        let failed = |e: io::Error| io_err(&root.join(rel))(e);
        let refused = |sink: &mut Self, r: crate::safefs::Refused| {
            sink.diags.push(Diagnostic::file_error(rel, r.message(rel)));
            Ok(None)
        };
        let Some(cache) = self.files else {
            return match crate::safefs::read(root, rel).map_err(failed)? {
                Ok(bytes) => {
                    let parsed = Self::decode_and_parse(rel, bytes, parse);
                    Ok(self.take(parsed))
                }
                Err(r) => refused(self, r),
            };
        };
        let (mut bytes, released) = match cache.read(root, rel).map_err(failed)? {
            Ok(b) => b,
            Err(r) => return refused(self, r),
        };
        if let Some(hit) = cache.parsed::<R>(rel, &bytes) {
            self.sources.extend(hit.file.clone());
            self.diags.extend(hit.diags.iter().cloned());
            return Ok(hit.value.clone());
        }
        if released {
            // What was kept of the file is gone or of another kind: its bytes again, from disk.
            cache.forget([rel]);
            bytes = match cache.read(root, rel).map_err(failed)? {
                Ok((b, _)) => b,
                Err(r) => return refused(self, r),
            };
        }
        let parsed = Self::decode_and_parse(rel, bytes.to_vec(), parse);
        let kept = Parsed {
            value: parsed.value.clone(),
            file: parsed.file.clone(),
            diags: parsed.diags.clone(),
        };
        let token = cache.release(rel, &bytes).unwrap_or(bytes);
        if let Ok(mut p) = cache.parsed.lock() {
            p.insert(rel.to_string(), (token, std::sync::Arc::new(kept)));
        }
        Ok(self.take(parsed))
    }

    /// Puts a parsed file's text and problems into the sink; gives its value.
    fn take<R>(&mut self, parsed: Parsed<R>) -> Option<R> {
        self.sources.extend(parsed.file);
        self.diags.extend(parsed.diags);
        parsed.value
    }

    fn decode_and_parse<R>(
        rel: &str,
        bytes: Vec<u8>,
        parse: impl FnOnce(&SourceFile, &mut Vec<Diagnostic>) -> R,
    ) -> Parsed<R> {
        let mut diags = Vec::new();
        match SourceFile::decode(rel, bytes) {
            Ok(f) => Parsed {
                value: Some(parse(&f, &mut diags)),
                file: Some(f),
                diags,
            },
            Err(e) => {
                diags.push(Diagnostic::at_line(
                    rel,
                    e.line,
                    e.col,
                    match e.encoding {
                        crate::source::Guess::Utf16 => {
                            Message::named("load.not_utf8", msg!("load.not_utf8_utf16"))
                        }
                        crate::source::Guess::Gb18030 => rule!("load.not_utf8"),
                        crate::source::Guess::Unknown => {
                            Message::named("load.not_utf8", msg!("load.not_utf8_unknown"))
                        }
                    },
                ));
                Parsed {
                    value: None,
                    file: None,
                    diags,
                }
            }
        }
    }
}

/// Loads `root/content`. Fails only when the folder is not a site or cannot be read.
pub fn load_site(root: &Path) -> Result<Loaded, LoadError> {
    load_site_cached(root, None)
}

/// `load_site`, taking the bytes of unchanged files from `files`.
pub fn load_site_cached(root: &Path, files: Option<&FileCache>) -> Result<Loaded, LoadError> {
    let mut loaded = load_site_level(root, files)?;
    let results: Vec<Result<LoadedConsortium, LoadError>> = consortium_dirs(root)?
        .par_iter()
        .map(|dir| load_consortium_dir(root, dir, files))
        .collect();
    for r in results {
        let c = r?;
        loaded
            .sources
            .extend(c.sources.into_iter().map(|f| (f.path.clone(), f)));
        loaded.diagnostics.extend(c.diagnostics);
        loaded
            .consortia
            .extend(c.consortium.map(std::sync::Arc::new));
    }
    Ok(loaded)
}

/// What one consortium folder gave: the consortium (absent without a `consortium.toml`), its
/// decoded files and the problems of shape found in them.
pub struct LoadedConsortium {
    pub consortium: Option<Consortium>,
    pub sources: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The consortium folders (`content/consortia/<id>`), as sorted site-relative paths.
pub fn consortium_dirs(root: &Path) -> Result<Vec<String>, LoadError> {
    list_dirs(root, "content/consortia")
}

/// Loads one consortium folder (`content/consortia/<id>`), taking unchanged files from `files`.
pub fn load_consortium_dir(
    root: &Path,
    dir: &str,
    files: Option<&FileCache>,
) -> Result<LoadedConsortium, LoadError> {
    let mut s = Sink {
        files,
        ..Sink::default()
    };
    let consortium = load_consortium(root, dir, &mut s)?;
    Ok(LoadedConsortium {
        consortium,
        sources: s.sources,
        diagnostics: s.diags,
    })
}

/// Loads everything of `root/content` but the consortium folders: `site.toml`, `index.md`, the
/// free pages and the industry taxonomy.
pub fn load_site_level(root: &Path, files: Option<&FileCache>) -> Result<Loaded, LoadError> {
    let content = root.join("content");
    if !content.join("site.toml").is_file() {
        return Err(LoadError::NotASite(root.to_path_buf()));
    }
    let mut sink = Sink {
        files,
        ..Sink::default()
    };
    let mut loaded = Loaded {
        config: read_toml::<SiteConfig>(root, "content/site.toml", "site.toml", &mut sink)?,
        ..Loaded::default()
    };

    if content.join("index.md").is_file() {
        loaded.index = read_markdown::<PageMeta>(
            root,
            "content/index.md",
            &msg!("what.front_matter"),
            &mut sink,
            false,
        )?
        .map(|(meta, md)| Page {
            path: md.path,
            slug: String::new(),
            meta,
            body: md.body,
            body_offset: md.body_offset,
        });
    }

    loaded.pages = read_pages(root, "content/pages", &mut sink)?;
    loaded.taxonomy = read_optional::<industries::Taxonomy>(
        root,
        "content/industries.toml",
        "industries.toml",
        &mut sink,
    )?;
    loaded.frameworks = read_frameworks(root, &mut sink)?;
    loaded.sources = sink
        .sources
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();
    loaded.diagnostics = sink.diags;
    Ok(loaded)
}

/// The site's own frameworks: a folder `content/frameworks/<id>/` with its `framework.toml` and
/// `assessment.toml`, and `industries.toml` when it lays out industries. A framework with a file
/// that could not be read is left out (its problems are reported).
fn read_frameworks(root: &Path, sink: &mut Sink) -> Result<Vec<framework::Framework>, LoadError> {
    const DIR: &str = "content/frameworks";
    if !root.join(DIR).is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for dir in list_dirs(root, DIR)? {
        let id = dir.rsplit('/').next().unwrap_or_default().to_string();
        let mut missing = false;
        for file in ["framework.toml", "assessment.toml"] {
            let path = format!("{dir}/{file}");
            if !root.join(&path).is_file() {
                sink.diags.push(Diagnostic::file_error(
                    &path,
                    rule!("load.framework_file_missing", file),
                ));
                missing = true;
            }
        }
        if missing {
            continue;
        }
        let meta = read_toml::<framework::Meta>(
            root,
            &format!("{dir}/framework.toml"),
            "framework.toml",
            sink,
        )?;
        let points = read_toml::<assessment::Points>(
            root,
            &format!("{dir}/assessment.toml"),
            "assessment.toml",
            sink,
        )?;
        let taxonomy = read_optional::<industries::Taxonomy>(
            root,
            &format!("{dir}/industries.toml"),
            "industries.toml",
            sink,
        )?;
        let form = read_optional::<crate::model::form::FormLayout>(
            root,
            &format!("{dir}/form.toml"),
            "form.toml",
            sink,
        )?;
        if let (Some(meta), Some(points)) = (meta, points) {
            out.push(framework::Framework {
                id,
                meta,
                indicators: points.indicator,
                taxonomy,
                form,
                dir: Some(dir),
            });
        }
    }
    Ok(out)
}

/// Files with extension `ext` directly in `root/rel`, as sorted site-relative paths. Anything so
/// named that is not a folder is listed, links, pipes and devices included: reading it reports
/// what is refused (`safefs`), where skipping it would hide it.
fn list_files(root: &Path, rel: &str, ext: &str) -> Result<Vec<String>, LoadError> {
    list(root, rel, |name, kind, path| {
        name.rsplit_once('.').map(|(_, e)| e) == Some(ext) && !is(kind, path, fs::FileType::is_dir)
    })
}

fn list_dirs(root: &Path, rel: &str) -> Result<Vec<String>, LoadError> {
    list(root, rel, |_, kind, path| {
        is(kind, path, fs::FileType::is_dir)
    })
}

/// Whether a folder entry is a file (or a folder): its type as the folder listing gave it, or,
/// for a link or when the listing did not say, the type of what it points to (at `path`).
fn is(
    kind: Option<fs::FileType>,
    path: &dyn Fn() -> PathBuf,
    test: fn(&fs::FileType) -> bool,
) -> bool {
    match kind {
        Some(k) if !k.is_symlink() => test(&k),
        _ => fs::metadata(path()).is_ok_and(|m| test(&m.file_type())),
    }
}

/// The entries of folder `rel` that `keep` keeps (given the name, the type the listing gave and
/// the full path, made only when asked for), by site-relative path, sorted; hidden and backup
/// files left out.
fn list(
    root: &Path,
    rel: &str,
    keep: impl Fn(&str, Option<fs::FileType>, &dyn Fn() -> PathBuf) -> bool,
) -> Result<Vec<String>, LoadError> {
    let dir = root.join(rel);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(&dir).map_err(io_err(&dir))? {
        let entry = entry.map_err(io_err(&dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if keep(name, entry.file_type().ok(), &|| entry.path()) {
            out.push(format!("{rel}/{name}"));
        }
    }
    out.sort();
    Ok(out)
}

/// A Markdown file's parts once its front matter parsed.
#[derive(Clone)]
struct Markdown {
    path: String,
    file: SourceFile,
    body: crate::source::Text,
    body_offset: usize,
}

/// The body with every character no output may hold (`source::forbidden_char`) replaced by as
/// many spaces as it had bytes, so that every offset into it still points where it did; each is a
/// warning at its place, a NUL an error.
fn scrub_body(
    file: &SourceFile,
    range: std::ops::Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> crate::source::Text {
    let body = &file.text[range.clone()];
    if !crate::source::has_forbidden(body) {
        return crate::source::Text::of(file, range);
    }
    let mut out = String::with_capacity(body.len());
    for (i, c) in body.char_indices() {
        if !crate::source::forbidden_char(c) {
            out.push(c);
            continue;
        }
        let at = range.start + i;
        let code = crate::source::code_point(c);
        diags.push(if c == '\0' {
            Diagnostic::error(file, at..at + 1, rule!("toml.nul_character"))
        } else {
            Diagnostic::warning(
                file,
                at..at + c.len_utf8(),
                rule!("toml.control_character", code),
            )
        });
        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
    }
    out.into()
}

fn read_markdown<T: serde::de::DeserializeOwned + Default + Clone + Send + Sync + 'static>(
    root: &Path,
    rel: &str,
    what: &str,
    sink: &mut Sink,
    require_front_matter: bool,
) -> Result<Option<(T, Markdown)>, LoadError> {
    Ok(sink
        .parse(root, rel, |file, diags| {
            let (meta, body_range) = match split_front_matter(&file.text) {
                None if !require_front_matter => (Some(T::default()), 0..file.text.len()),
                None => {
                    diags.push(Diagnostic::error(
                        file,
                        0..0,
                        rule!("load.missing_front_matter"),
                    ));
                    return None;
                }
                Some(Err(at)) => {
                    diags.push(Diagnostic::error(
                        file,
                        at..at,
                        rule!("load.front_matter_unclosed"),
                    ));
                    return None;
                }
                Some(Ok(fm)) => {
                    let text = isolate(&file.text, fm.toml.clone());
                    (table_of(file, &text, what, diags), fm.body)
                }
            };
            let body = scrub_body(file, body_range.clone(), diags);
            meta.map(|meta| {
                let md = Markdown {
                    path: rel.to_string(),
                    body,
                    body_offset: body_range.start,
                    file: file.clone(),
                };
                (meta, md)
            })
        })?
        .flatten())
}

fn read_markdown_meta<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
    root: &Path,
    rel: &str,
    what: &str,
    sink: &mut Sink,
) -> Result<Option<(std::sync::Arc<T>, Markdown)>, LoadError> {
    // Programme and announcement front matter has required keys, so there is no default. It is
    // shared, not copied, with the parse a preview keeps.
    #[derive(Clone)]
    struct NoDefault<T>(Option<std::sync::Arc<T>>);
    impl<T> Default for NoDefault<T> {
        fn default() -> Self {
            NoDefault(None)
        }
    }
    impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for NoDefault<T> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            T::deserialize(d).map(|t| NoDefault(Some(std::sync::Arc::new(t))))
        }
    }
    Ok(read_markdown::<NoDefault<T>>(root, rel, what, sink, true)?
        .and_then(|(meta, md)| meta.0.map(|m| (m, md))))
}

/// The URL segment of a Markdown file: its `slug` key, or its file name without `.md`.
fn slug_of(
    rel: &str,
    explicit: Option<&toml::Spanned<String>>,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let stem = Path::new(rel)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let (slug, span) = match explicit {
        Some(s) => (s.get_ref().clone(), s.span()),
        None => (stem, 0..0),
    };
    if !is_url_safe(&slug) {
        diags.push(Diagnostic::error(
            file,
            span,
            rule!("load.slug_characters", slug),
        ));
    } else if let Some(problem) =
        crate::rules::names::unportable(&slug, crate::rules::names::MAX_SLUG)
    {
        diags.push(Diagnostic::error(file, span, problem));
    }
    slug
}

/// Ids and slugs become URL segments: ASCII letters, digits, `-` and `_`, not empty.
pub fn is_url_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The free pages of a folder (`content/pages/` or a consortium's `pages/`), in menu order.
fn read_pages(root: &Path, dir: &str, sink: &mut Sink) -> Result<Vec<Page>, LoadError> {
    let mut pages = Vec::new();
    let what = msg!("what.page_front_matter");
    for rel in list_files(root, dir, "md")? {
        if let Some((meta, md)) = read_markdown::<PageMeta>(root, &rel, &what, sink, true)? {
            let slug = slug_of(&rel, meta.slug.as_ref(), &md.file, &mut sink.diags);
            pages.push(Page {
                path: md.path,
                slug,
                meta,
                body: md.body,
                body_offset: md.body_offset,
            });
        }
    }
    pages.sort_by(|a, b| (a.meta.weight, &a.slug).cmp(&(b.meta.weight, &b.slug)));
    Ok(pages)
}

/// An optional TOML file of one table: `None` when it is absent or could not be read (reported).
fn read_optional<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
    root: &Path,
    rel: &str,
    what: &str,
    sink: &mut Sink,
) -> Result<Option<T>, LoadError> {
    if !root.join(rel).is_file() {
        return Ok(None);
    }
    read_toml(root, rel, what, sink)
}

/// A TOML file of one table, every problem reported: `None` when it could not be read.
fn read_toml<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
    root: &Path,
    rel: &str,
    what: &str,
    sink: &mut Sink,
) -> Result<Option<T>, LoadError> {
    Ok(sink
        .parse(root, rel, |file, diags| {
            table_of(file, &file.text, what, diags)
        })?
        .flatten())
}

/// `text` (the file's text, or the part of it that is TOML with the rest blanked) as one table of
/// type `T`, every problem reported.
fn table_of<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    text: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let doc = tomlde::parse_document(file, text, diags)?;
    let span = doc.span();
    tomlde::deserialize::<T>(
        file,
        toml::Spanned::new(span, DeValue::Table(doc.into_inner())),
        what,
        diags,
    )
}

/// Reads every file of `rels` with `read`, in parallel, each into a sink of its own; merges their
/// sources and diagnostics into `sink` and returns what they made, in the order of `rels`.
fn read_each<'c, T: Send>(
    rels: &[String],
    sink: &mut Sink<'c>,
    read: impl Fn(&str, &mut Sink<'c>) -> Result<Option<T>, LoadError> + Sync,
    files: Option<&'c FileCache>,
) -> Result<Vec<T>, LoadError> {
    let results: Vec<Result<(Option<T>, Sink<'c>), LoadError>> = rels
        .par_iter()
        .map(|rel| {
            let mut s = Sink {
                files,
                ..Sink::default()
            };
            read(rel, &mut s).map(|t| (t, s))
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        let (t, s) = r?;
        sink.sources.extend(s.sources);
        sink.diags.extend(s.diags);
        out.extend(t);
    }
    Ok(out)
}

/// An optional `[[key]]` file; absent means empty. Returns the records, the ids of records that
/// could not be read, and whether the records as a whole are unknowable (the file could not be
/// read, or holds a misspelt top-level key).
fn read_array<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
    root: &Path,
    rel: &str,
    key: &str,
    sink: &mut Sink,
) -> Result<(Vec<T>, Vec<String>, bool), LoadError> {
    if !root.join(rel).is_file() {
        return Ok((Vec::new(), Vec::new(), false));
    }
    Ok(sink
        .parse(root, rel, |file, diags| {
            match tomlde::parse_document(file, &file.text, diags) {
                Some(doc) => {
                    let r = tomlde::array_of_tables(file, doc, key, diags);
                    (r.records, r.failed_ids, r.foreign_keys)
                }
                None => (Vec::new(), Vec::new(), true),
            }
        })?
        .unwrap_or((Vec::new(), Vec::new(), true)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's bytes are let go once parsed; a later parse of another kind reads them again from
    /// disk, and the same parse again is taken as it was, without reading.
    #[test]
    fn bytes_let_go_are_read_again_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        fs::write(dir.path().join("content/a.md"), "正文").unwrap();
        let cache = FileCache::default();
        let mut sink = Sink {
            files: Some(&cache),
            ..Sink::default()
        };
        let text = |f: &SourceFile, _: &mut Vec<Diagnostic>| f.text.to_string();
        let length = |f: &SourceFile, _: &mut Vec<Diagnostic>| f.text.len();
        let root = dir.path();
        assert_eq!(
            sink.parse(root, "content/a.md", text).unwrap().unwrap(),
            "正文"
        );
        let held = |cache: &FileCache| cache.entries.lock().unwrap()["content/a.md"].bytes.len();
        assert_eq!(held(&cache), 0, "the bytes are let go");
        assert_eq!(sink.parse(root, "content/a.md", length).unwrap(), Some(6));
        fs::remove_file(root.join("content/a.md")).unwrap();
        // The same parse again is taken as it was: trusting its watcher, the cache does not even
        // look at the file, which is gone.
        cache.trust(true);
        assert_eq!(sink.parse(root, "content/a.md", length).unwrap(), Some(6));
    }
}
