//! The `chanjiao` binary: parses the command line, calls one library function, prints its report
//! and decides the exit code (0 ok, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use chanjiao::cli::{Cli, Command};
use chanjiao::diagnostics;
use chanjiao::scaffold;
use chanjiao::site::{self, BuildOptions, Failure};

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(
    diags: &[diagnostics::Diagnostic],
    sources: &std::collections::BTreeMap<String, chanjiao::source::SourceFile>,
) {
    if !diags.is_empty() {
        eprint!("{}", diagnostics::render(diags, sources, color()));
    }
}

fn fail(f: Failure, building: bool) -> ExitCode {
    match f {
        Failure::Content {
            diagnostics,
            sources,
        } => {
            print_diagnostics(&diagnostics, &sources);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            let tail = if building {
                "; nothing was written"
            } else {
                ""
            };
            eprintln!("error: {errors} error(s), {warnings} warning(s){tail}");
            ExitCode::from(1)
        }
        Failure::Io(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// `chanjiao serve`: prints one line per rebuild, the diagnostics of a failed one, and runs until
/// Ctrl-C.
fn serve(args: chanjiao::cli::ServeArgs) -> ExitCode {
    use chanjiao::serve::{self, Report};
    let open = args.open;
    let report = move |r: Report| match r {
        Report::Listening { url, asked } => {
            let note = if url.ends_with(&format!(":{asked}/")) {
                String::new()
            } else {
                format!(" (port {asked} was busy)")
            };
            eprintln!("Serving at {url}{note}; press Ctrl-C to stop");
            if open {
                let _ = open_browser(&url);
            }
        }
        Report::NotLoopback(ip) => eprintln!(
            "warning: listening on {ip}, not on loopback: other machines can see this preview"
        ),
        Report::Rebuilt {
            changed,
            rendered,
            removed,
            millis,
        } => {
            let what = if changed.is_empty() {
                "first build".to_string()
            } else {
                changed.join(", ")
            };
            eprintln!(
                "{what}: {rendered} output(s) re-rendered, {removed} removed in {millis:.0} ms"
            );
        }
        Report::Failed {
            changed,
            text,
            errors,
        } => {
            eprint!("{text}");
            let what = if changed.is_empty() {
                "first build".to_string()
            } else {
                changed.join(", ")
            };
            eprintln!("{what}: {errors} error(s); the last good pages stay served");
        }
        Report::Trouble(msg) => eprintln!("warning: {msg}"),
    };
    let opts = serve::ServeOptions {
        root: args.root.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
    };
    match serve::serve(opts, std::sync::Arc::new(report)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `chanjiao announce`: checks the site, drafts the announcement and writes it beside the others
/// (or to `--output`), never over an existing file.
fn announce(args: chanjiao::cli::AnnounceArgs) -> ExitCode {
    use chanjiao::announce::{self, Kind, Request};
    let root = args.root.root;
    if args.quarter.is_some() && args.kind == chanjiao::cli::AnnounceKind::Annual {
        eprintln!("error: --quarter is for --kind quarterly");
        return ExitCode::from(2);
    }
    let prepared = match site::prepare(&root, true) {
        Ok(p) => p,
        Err(f) => return fail(f, false),
    };
    print_diagnostics(&prepared.warnings, &prepared.sources);
    let figures = chanjiao::figures::Figures::of(&prepared.site);
    let request = Request {
        consortium: args.consortium.clone(),
        year: args.year,
        kind: match (args.kind, args.quarter) {
            (chanjiao::cli::AnnounceKind::Quarterly, Some(q)) => Kind::Quarterly(q),
            _ => Kind::Annual,
        },
        date: chanjiao::model::Date(
            args.date
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
        ),
    };
    let draft = match announce::draft(&prepared.site, &figures, &request) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}", e.message);
            if let Some(help) = e.help {
                eprintln!("  = help: {help}");
            }
            return ExitCode::from(1);
        }
    };
    match announce::write(&root, &args.consortium, &draft, args.output.as_deref()) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; the draft was not written (announce never overwrites a file)",
                args.output.as_deref().unwrap_or(std::path::Path::new("")).display()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: cannot write the draft: {e}");
            ExitCode::from(2)
        }
    }
}

/// Opens `url` with the desktop's own opener.
fn open_browser(url: &str) -> std::io::Result<std::process::Child> {
    #[cfg(target_os = "macos")]
    let cmd = "open";
    #[cfg(target_os = "windows")]
    let cmd = "explorer";
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let cmd = "xdg-open";
    std::process::Command::new(cmd).arg(url).spawn()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => match site::check(&args.root) {
            Ok(p) => {
                print_diagnostics(&p.warnings, &p.sources);
                let consortia = p.site.consortia.len();
                eprintln!(
                    "Checked {consortia} consortia: no errors, {} warning(s)",
                    p.warnings.len()
                );
                ExitCode::SUCCESS
            }
            Err(f) => fail(f, false),
        },
        Command::Build(args) => {
            // Ctrl-C or SIGTERM: leave no staging folder behind and the previous output whole.
            let _ = ctrlc::set_handler(|| {
                chanjiao::site::output::interrupted();
                std::process::exit(130);
            });
            let root = args.root.root;
            let output = args.output.unwrap_or_else(|| root.join("public"));
            let opts = BuildOptions {
                output: output.clone(),
                base_url: args.base_url,
                drafts: args.drafts,
            };
            match site::build(&root, &opts) {
                Ok(r) => {
                    print_diagnostics(&r.warnings, &r.sources);
                    eprintln!(
                        "Built {} pages ({} files) in {:.2} s → {}",
                        r.pages,
                        r.files,
                        r.seconds,
                        output.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(f) => fail(f, true),
            }
        }
        Command::Serve(args) => serve(args),
        Command::Announce(args) => announce(args),
        Command::New(args) => match scaffold::new_site(&args.dir) {
            Ok(()) => {
                eprintln!(
                    "Created a new site in {}. Next: chanjiao build --root {}",
                    args.dir.display(),
                    args.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
