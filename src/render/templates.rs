//! Themes: Tera templates and static files. The default theme is compiled into the binary, so a
//! site without `themes/` builds; a site may override any template or static file by putting one
//! with the same name under `themes/<theme>/templates/` or `themes/<theme>/static/`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

macro_rules! theme_files {
    ($kind:literal, $include:ident, [$($name:literal),* $(,)?]) => {
        &[$(($name, $include!(concat!("../../themes/default/", $kind, "/", $name)))),*]
    };
}

/// The built-in templates, by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = theme_files!(
    "templates",
    include_str,
    [
        "base.html",
        "nav.html",
        "nav-section.html",
        "portal.html",
        "consortium.html",
        "members.html",
        "member.html",
        "programmes.html",
        "programme.html",
        "training.html",
        "indicators.html",
        "indicator-card.html",
        "indicator-latest.html",
        "indicator-values.html",
        "indicator.html",
        "compare.html",
        "compare-indicator.html",
        "grouped-charts.html",
        "announcements.html",
        "announcement-item.html",
        "announcement.html",
        "report.html",
        "assessment.html",
        "frameworks.html",
        "milestones.html",
        "majors.html",
        "industry-map.html",
        "governance.html",
        "demand-list.html",
        "report-form.html",
        "summary.html",
        "form-table.html",
        "report-table.html",
        "report-text.html",
        "report-people.html",
        "page.html",
        "search.html",
        "404.html",
        "robots.txt",
    ]
);

/// The built-in static files, by path under `static/`.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = theme_files!(
    "static",
    include_bytes,
    ["style.css", "favicon.svg", "search.js"]
);

/// A theme ready to render: compiled templates and the static files to copy.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path (under the output folder) → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Template sources by path, for caret display of template errors.
    pub sources: BTreeMap<String, SourceFile>,
    /// Template name → the path its source came from (a site file or the built-in theme).
    pub paths: BTreeMap<String, String>,
    /// The templates' sources, hashed: what every page's output depends on.
    pub hash: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("{}", msg!("load.unreadable", path = .path, source = .source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{}", msg!("theme.template_errors"))]
    Templates(Vec<Diagnostic>, BTreeMap<String, SourceFile>),
}

/// Loads the theme named in `site.toml`: the built-in files overlaid with the site's own.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, ThemeError> {
    let mut templates: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (format!("(built-in theme)/templates/{n}"), t.to_string()),
            )
        })
        .collect();
    let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (format!("static/{n}"), b.to_vec()))
        .collect();
    let theme_dir = root.join("themes").join(name);
    let mut diags = Vec::new();
    if name != "default" && !theme_dir.is_dir() {
        diags.push(Diagnostic::file_error(
            "content/site.toml",
            rule!("theme.theme_not_found", name),
        ));
        return Err(ThemeError::Templates(diags, BTreeMap::new()));
    }
    let theme_rel = format!("themes/{name}");
    for (rel, bytes) in walk(root, &format!("{theme_rel}/templates"), &mut diags)? {
        let path = format!("themes/{name}/templates/{rel}");
        match String::from_utf8(bytes) {
            Ok(text) => {
                templates.insert(rel, (path, text));
            }
            Err(_) => diags.push(Diagnostic::file_error(&path, rule!("theme.not_utf8"))),
        }
    }
    for (rel, bytes) in walk(root, &format!("{theme_rel}/static"), &mut diags)? {
        static_files.insert(format!("static/{rel}"), bytes);
    }
    for (rel, bytes) in walk(root, "static", &mut diags)? {
        static_files.insert(rel, bytes);
    }
    let mut tera = tera::Tera::new();
    // `hold`: text written by hand, for a table cell: a number stays on one line with its unit
    // and a date with its parts (`markdown::hold_numbers`).
    tera.register_filter(
        "hold",
        |text: tera::StringInput, _: tera::Kwargs, _: &tera::State| {
            text.inherit_safety(super::markdown::hold_numbers(text.as_str()))
        },
    );
    let mut sources = BTreeMap::new();
    for (path, text) in templates.values() {
        sources.insert(path.clone(), SourceFile::new(path.clone(), text.clone()));
    }
    let paths: BTreeMap<String, String> = templates
        .iter()
        .map(|(n, (p, _))| (n.clone(), p.clone()))
        .collect();
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
    {
        diags.extend(template_diagnostics(&e, &paths));
    }
    if !diags.is_empty() {
        return Err(ThemeError::Templates(diags, sources));
    }
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (name, src) in &sources {
            name.hash(&mut h);
            src.text.hash(&mut h);
        }
        h.finish()
    };
    Ok(Theme {
        tera,
        static_files,
        sources,
        paths,
        hash,
    })
}

/// A Tera error as diagnostics at the template's file, line and column where Tera knows them.
/// Template validation joins several compiler-style reports into one message; each becomes one
/// diagnostic.
pub fn template_diagnostics(e: &tera::Error, paths: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    use std::error::Error as _;
    let path_of = |name: &str| paths.get(name).cloned().unwrap_or_else(|| name.to_string());
    let diag = |path: String, line: usize, col: usize, message: String| {
        Diagnostic::at_line(
            &path,
            line.max(1),
            col.max(1),
            rule!("theme.template_error", message),
        )
    };
    if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = e.kind() {
        let mut message = r.message().to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        return vec![diag(
            path_of(r.filename()),
            r.span().start_line,
            r.span().start_col + 1,
            message,
        )];
    }
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!("\n{c}"));
        cause = c.source();
    }
    // Reports look like "error: message" followed by " --> name:line:col".
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            pending = Some(m.to_string());
        } else if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let ln = parts.next().and_then(|l| l.parse().ok());
            if let (Some(col), Some(ln), Some(name), Some(m)) =
                (col, ln, parts.next(), pending.take())
            {
                out.push(diag(path_of(name), ln, col, m));
            }
        }
    }
    if out.is_empty() {
        out.push(Diagnostic::file_error(
            "(templates)",
            rule!("theme.template_error", message = text.replace('\n', ": ")),
        ));
    }
    out
}

/// Every file below `root/dir` (if it exists), as sorted `/`-separated paths relative to it with
/// contents. A link out of the site's root, a pipe or a device is reported in `diags`, unread.
fn walk(
    root: &Path,
    dir: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, Vec<u8>)>, ThemeError> {
    let mut out = Vec::new();
    let full = root.join(dir);
    if !full.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(&full)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| ThemeError::Io {
            path: full.display().to_string(),
            source: e.into(),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&full)
            .expect("walkdir yields paths below its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel
            .split('/')
            .any(|s| s.starts_with('.') || s.ends_with('~'))
        {
            continue;
        }
        let site_rel = format!("{dir}/{rel}");
        match crate::safefs::read(root, &site_rel) {
            Ok(Ok(bytes)) => out.push((rel, bytes)),
            Ok(Err(refused)) => diags.push(Diagnostic::file_error(
                &site_rel,
                refused.message(&site_rel),
            )),
            Err(e) => {
                return Err(ThemeError::Io {
                    path: entry.path().display().to_string(),
                    source: e,
                })
            }
        }
    }
    Ok(out)
}
