//! `chanjiao serve`: builds the site into memory, serves it over HTTP (axum) on a loopback address,
//! watches the site's folders (notify), rebuilds after each save with the same functions as
//! `build` (re-rendering only outputs whose view or template changed), and tells open pages over
//! Server-Sent Events to reload, to swap the stylesheet, or to show the diagnostics in an overlay.
//! The output folder of `build` is never touched; nothing is written to disk.

mod http;
mod listen;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::Diagnostic;
use crate::render::templates::Theme;
use crate::site::{self, Caches, Failure, RenderCache};
use crate::source::SourceFile;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
}

/// What `serve` reports while it runs; `main` prints it.
#[derive(Debug)]
pub enum ServeEvent {
    /// Listening at this address (the first free port from the one asked for).
    Listening { url: String, asked: u16 },
    /// Bound to an address other than loopback: other machines can reach the preview.
    NotLoopback(IpAddr),
    /// A rebuild finished.
    Rebuilt {
        changed: Vec<String>,
        rendered: usize,
        removed: usize,
        millis: f64,
    },
    /// A rebuild found problems; the last good pages stay served.
    Failed {
        changed: Vec<String>,
        text: String,
        errors: usize,
    },
    /// The watcher or the server failed (the preview goes on without it where it can).
    Trouble(String),
}

/// The site as served: the outputs of the last good build, and the problems of the last attempt.
pub struct Served {
    pub render: RenderCache,
    /// The diagnostics of the last rebuild as HTML, when it failed.
    pub overlay: Option<String>,
}

/// A change sent to open pages.
#[derive(Debug, Clone)]
pub enum PageEvent {
    /// These URL paths (relative to the site root) changed: pages showing one of them reload.
    Reload(Vec<String>),
    /// Only the stylesheet changed: pages swap it without reloading.
    Css,
    /// The site has problems: pages show this overlay.
    Overlay(String),
    /// The problems are fixed: pages remove the overlay (and reload to show the fix).
    Clear(Vec<String>),
    /// The server is stopping: event streams end, so that it can.
    Shutdown,
}

/// The incremental builder: the same steps as `build`, with rendered Markdown and rendered
/// outputs kept between runs.
pub struct Preview {
    root: PathBuf,
    drafts: bool,
    caches: Caches,
    /// The theme as last loaded, by name: loaded again when it is another or a file of a theme
    /// or of `static/` changed.
    theme: Option<(String, Theme)>,
}

/// What one rebuild changed.
pub struct Rebuilt {
    /// Output paths that were (re-)rendered, in order.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub sources: std::collections::BTreeMap<String, SourceFile>,
}

impl Preview {
    pub fn new(root: &Path, drafts: bool) -> Preview {
        Preview {
            root: root.to_path_buf(),
            drafts,
            caches: Caches::default(),
            theme: None,
        }
    }

    /// Takes the files read before as they are until `rebuild` is told they changed: for a
    /// preview whose watcher reports every save. `stale` finds what it missed.
    pub fn trust_watcher(&mut self) {
        self.caches.files.trust(true);
    }

    /// The files read before that changed unreported (another size or time, gone, or no longer
    /// a regular file in checked folders), to rebuild with.
    pub fn stale(&self) -> Vec<String> {
        self.caches.files.stale(&self.root)
    }

    /// Checks and renders the site into `render`, which keeps the last good outputs on failure.
    /// `saved` names the files and folders (site-relative) that changed since the last rebuild:
    /// they are read again whatever their size and time say, with the consortium folders they
    /// are in or hold.
    pub fn rebuild(
        &mut self,
        saved: &[String],
        render: &mut RenderCache,
    ) -> Result<Rebuilt, Failure> {
        let (rebuilt, update) = self.render(saved, render)?;
        render.apply(update);
        Ok(rebuilt)
    }

    /// `rebuild`, leaving `render` as it is (it may be served meanwhile): the caller applies the
    /// update.
    pub fn render(
        &mut self,
        saved: &[String],
        render: &RenderCache,
    ) -> Result<(Rebuilt, site::Update), Failure> {
        // On a thread of the pool that does the parallel work: a rebuild after one save is small,
        // and handing each of its parallel steps over from another thread and back costs more
        // than the step itself when the pool has been idle.
        rayon::scope(|_| self.render_in_pool(saved, render))
    }

    fn render_in_pool(
        &mut self,
        saved: &[String],
        render: &RenderCache,
    ) -> Result<(Rebuilt, site::Update), Failure> {
        self.caches.forget(saved);
        let theme_files = |p: &String| {
            ["themes", "static"]
                .iter()
                .any(|d| p == d || p.starts_with(&format!("{d}/")))
        };
        if saved.iter().any(theme_files) {
            self.theme = None;
        }
        let prepared = site::prepare_cached(&self.root, self.drafts, Some(&self.caches))?;
        let name = &prepared.site.config.theme;
        let theme = match self.theme.take() {
            Some((was, theme)) if was == *name => theme,
            _ => site::load_theme(&self.root, &prepared.site)?,
        };
        let (_, theme) = self.theme.insert((name.clone(), theme));
        let changed = Mutex::new(Vec::new());
        // A preview is served from its own address: links are relative, canonical URLs local.
        let (_, update) = site::render_site(theme, &prepared, None, Some(render), &|path, _| {
            changed
                .lock()
                .expect("no thread panics while holding this lock")
                .push(path.to_string());
            Ok(())
        })?;
        let mut changed = changed
            .into_inner()
            .expect("no thread panics while holding this lock");
        changed.sort();
        let update = update.expect("a render with a cache gives an update");
        let rebuilt = Rebuilt {
            changed,
            removed: update.removed.clone(),
            warnings: prepared.warnings,
            sources: prepared.sources,
        };
        site::cache::drop_later((prepared.site, prepared.html));
        Ok((rebuilt, update))
    }
}

/// The URL path of an output path (`a/index.html` → `a/`).
pub fn url_of(path: &str) -> String {
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

/// Diagnostics as HTML for the overlay: the same text as the terminal (`text`, with `errors`
/// errors), escaped.
pub fn overlay_html(text: &str, errors: usize) -> String {
    format!(
        "<div id=\"chanjiao-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:1.5rem;font:15px/1.5 ui-monospace,monospace\"><p style=\"font:bold 18px/1.4 sans-serif;color:#ff8a8a;margin:0 0 1rem\">{}</p><pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        html_escape::encode_text(&msg!("serve.overlay_heading", errors)),
        html_escape::encode_text(text)
    )
}

/// Shared between the server, the watcher and the rebuilds.
pub struct Shared {
    pub served: RwLock<Served>,
    pub changes: broadcast::Sender<PageEvent>,
    /// Host header values the server answers to.
    pub hosts: Vec<String>,
    /// Bound to a non-loopback address: also answer to any IP address with the right port
    /// (a name other than `localhost` is still refused).
    pub any_ip: Option<u16>,
}

/// A failed rebuild's errors, not shown yet: the overlay for open pages and the terminal's report.
struct Unshown {
    html: String,
    event: ServeEvent,
}

impl Unshown {
    /// Shows the errors over every page, and reports them.
    fn show(self, shared: &Shared, report: &(dyn Fn(ServeEvent) + Send + Sync)) {
        shared
            .served
            .write()
            .expect("no thread panics while holding this lock")
            .overlay = Some(self.html.clone());
        let _ = shared.changes.send(PageEvent::Overlay(self.html));
        report(self.event);
    }
}

/// Runs one rebuild; when it succeeds, takes in what it made and tells open pages what changed.
/// `what` names the files that changed. A failure is given back to be shown (or not, when the
/// next change comes soon enough); the last good pages stay served meanwhile.
fn rebuild_and_announce(
    preview: &mut Preview,
    shared: &Shared,
    what: Vec<String>,
    report: &(dyn Fn(ServeEvent) + Send + Sync),
) -> Result<(), Unshown> {
    let started = Instant::now();
    // Pages are served from the last build while the rebuild runs (readers share the lock);
    // what it made is taken in at the end.
    let (result, had_overlay) = {
        let served = shared
            .served
            .read()
            .expect("no thread panics while holding this lock");
        (
            preview.render(&what, &served.render),
            served.overlay.is_some(),
        )
    };
    match result {
        Ok((r, update)) => {
            let mut served = shared
                .served
                .write()
                .expect("no thread panics while holding this lock");
            served.render.apply(update);
            served.overlay = None;
            drop(served);
            let urls: Vec<String> = r
                .changed
                .iter()
                .chain(r.removed.iter())
                .map(|p| url_of(p))
                .collect();
            let only_css = !urls.is_empty() && urls.iter().all(|u| u.ends_with(".css"));
            let change = if had_overlay {
                PageEvent::Clear(urls)
            } else if only_css {
                PageEvent::Css
            } else {
                PageEvent::Reload(urls)
            };
            let _ = shared.changes.send(change);
            report(ServeEvent::Rebuilt {
                changed: what,
                rendered: r.changed.len(),
                removed: r.removed.len(),
                millis: started.elapsed().as_secs_f64() * 1000.0,
            });
            Ok(())
        }
        Err(failure) => {
            // An I/O problem is shown like a content problem, at the folder it concerns.
            let (diagnostics, sources, io) = match failure {
                Failure::Content {
                    diagnostics,
                    sources,
                } => (diagnostics, sources, None),
                Failure::Io(msg) => (
                    vec![Diagnostic::file_error(
                        "content",
                        rule!("serve.io_failure", message = msg.clone()),
                    )],
                    Default::default(),
                    Some(msg),
                ),
            };
            let text = crate::diagnostics::render(&diagnostics, &sources, false);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let html = overlay_html(&text, errors);
            Err(Unshown {
                html,
                event: match io {
                    Some(msg) => ServeEvent::Trouble(msg),
                    None => ServeEvent::Failed {
                        changed: what,
                        text,
                        errors,
                    },
                },
            })
        }
    }
}

/// Rebuilds after every batch of changes until the watcher stops. A failure is shown only when
/// no change comes within `watch::HOLD` of it; after each rebuild, the files changed without
/// the watcher's word are looked for, and rebuilt in turn.
fn rebuild_on_changes(
    mut preview: Preview,
    mut changes: watch::Changes,
    shared: &Shared,
    report: &(dyn Fn(ServeEvent) + Send + Sync),
) {
    let mut next = changes.next();
    while let watch::Wait::Changed(paths) = next {
        if let Err(unshown) = rebuild_and_announce(&mut preview, shared, paths, report) {
            match changes.within(watch::HOLD) {
                watch::Wait::Quiet => unshown.show(shared, report),
                more => {
                    next = more;
                    continue;
                }
            }
        }
        let missed = preview.stale();
        next = if missed.is_empty() {
            changes.next()
        } else {
            watch::Wait::Changed(missed)
        };
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{}", msg!("load.not_a_site", path = .0.display()))]
    NotASite(PathBuf),
    #[error("{}", msg!("serve.no_port", from = .from, to = .to, bind = .bind, source = .source))]
    NoPort {
        bind: IpAddr,
        from: u16,
        to: u16,
        source: std::io::Error,
    },
    #[error("{}", msg!("serve.cannot_start", reason = .0))]
    Start(String),
}

/// Builds, serves and watches until Ctrl-C (or SIGTERM). A broken site is served as its overlay
/// until it is fixed; content and template errors never stop the preview.
pub fn serve(
    opts: ServeOptions,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<(), ServeError> {
    if !opts.root.join("content/site.toml").is_file() {
        return Err(ServeError::NotASite(opts.root.clone()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Start(e.to_string()))?;
    runtime.block_on(async move {
        let (listener, addr) = bind(opts.bind, opts.port).await?;
        if !opts.bind.is_loopback() {
            report(ServeEvent::NotLoopback(opts.bind));
        }
        let (changes, _) = broadcast::channel(64);
        let shared = Arc::new(Shared {
            served: RwLock::new(Served {
                render: RenderCache::default(),
                overlay: None,
            }),
            changes,
            hosts: allowed_hosts(addr),
            any_ip: (!opts.bind.is_loopback()).then_some(addr.port()),
        });
        // The first build, then a rebuild after every batch of saves, on a thread of its own.
        let mut preview = Preview::new(&opts.root, opts.drafts);
        if let Err(unshown) =
            rebuild_and_announce(&mut preview, &shared, Vec::new(), report.as_ref())
        {
            unshown.show(&shared, report.as_ref());
        }
        // From now on the watcher tells what changed.
        preview.trust_watcher();
        let (watcher, changes) = watch::start(&opts.root, {
            let report = Arc::clone(&report);
            move |e| report(ServeEvent::Trouble(e))
        })
        .map_err(|e| ServeError::Start(e.to_string()))?;
        std::thread::spawn({
            let shared = Arc::clone(&shared);
            let report = Arc::clone(&report);
            move || rebuild_on_changes(preview, changes, &shared, report.as_ref())
        });
        report(ServeEvent::Listening {
            url: format!("http://{addr}/"),
            asked: opts.port,
        });
        let app = http::router(Arc::clone(&shared));
        let stopping = Arc::clone(&shared);
        listen::serve(listener, app, async move {
            shutdown_signal().await;
            // Open event streams end with the page's last event.
            let _ = stopping.changes.send(PageEvent::Shutdown);
        })
        .await;
        drop(watcher);
        Ok(())
    })
}

/// Binds the first free port from `port` on (twenty tries).
async fn bind(ip: IpAddr, port: u16) -> Result<(tokio::net::TcpListener, SocketAddr), ServeError> {
    let last = port.saturating_add(19);
    let mut error = None;
    for p in port..=last {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => {
                let addr = l
                    .local_addr()
                    .map_err(|e| ServeError::Start(e.to_string()))?;
                return Ok((l, addr));
            }
            Err(e) => error = Some(e),
        }
    }
    Err(ServeError::NoPort {
        bind: ip,
        from: port,
        to: last,
        source: error.unwrap_or_else(|| std::io::Error::other("no port tried")),
    })
}

/// The Host header values that name this server; any other is refused (DNS rebinding).
fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        addr.to_string(),
    ];
    hosts.sort();
    hosts.dedup();
    hosts
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
