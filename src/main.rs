//! The `chanjiao` binary: parses the command line, calls one library function, prints its report
//! and decides the exit code (0 ok, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::FromArgMatches;

use chanjiao::cli::{Cli, Command};
use chanjiao::diagnostics;
use chanjiao::messages;
use chanjiao::msg;
use chanjiao::scaffold;
use chanjiao::site::{self, BuildOptions, Failure};

/// A build allocates and frees hundreds of thousands of small strings from every core; jemalloc
/// does that faster than the system allocator, with no more peak memory.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options (read under this name, since its symbols are prefixed): pages freed go back
/// to the system within 0.2 s, from a thread of its own, instead of being kept for 10 s. A
/// preview's rebuild frees a large consortium's old model, views and index; kept, those pages
/// added a fifth to `serve`'s peak memory. No slower in the benchmarks (see README).
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static malloc_conf: &[u8; 59] = b"background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0\0";

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
    // Interrupted (Ctrl-C, SIGTERM): whatever failed since, the exit code says so, as the handler's does.
    if chanjiao::site::output::stopping() {
        return ExitCode::from(130);
    }
    match f {
        Failure::Content {
            diagnostics,
            sources,
        } => {
            print_diagnostics(&diagnostics, &sources);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            let summary = if building {
                msg!("cli.failed_build", errors, warnings)
            } else {
                msg!("cli.failed_check", errors, warnings)
            };
            error(summary);
            ExitCode::from(1)
        }
        Failure::Io(msg) => {
            error(msg);
            ExitCode::from(2)
        }
    }
}

/// `chanjiao serve`: prints one line per rebuild, the diagnostics of a failed one, and runs until
/// Ctrl-C.
fn serve(args: chanjiao::cli::ServeArgs) -> ExitCode {
    use chanjiao::serve::{self, ServeEvent};
    let open = args.open;
    let report = move |r: ServeEvent| match r {
        ServeEvent::Listening { url, asked } => {
            // Port 0 asks the system for any free port: none was busy.
            if asked == 0 || url.ends_with(&format!(":{asked}/")) {
                eprintln!("{}", msg!("cli.serving", url));
            } else {
                eprintln!("{}", msg!("cli.serving_port_busy", url, asked));
            }
            if open {
                let _ = open_browser(&url);
            }
        }
        ServeEvent::NotLoopback(ip) => warning(msg!("cli.not_loopback", ip)),
        ServeEvent::Rebuilt {
            changed,
            rendered,
            removed,
            millis,
        } => {
            // Tenths while a rebuild takes under a tenth of a second, which is the usual case.
            let millis = if millis < 100.0 {
                format!("{millis:.1}")
            } else {
                format!("{millis:.0}")
            };
            let what = changed_files(&changed);
            eprintln!("{}", msg!("cli.rebuilt", what, rendered, removed, millis));
        }
        ServeEvent::Failed {
            changed,
            text,
            errors,
        } => {
            eprint!("{text}");
            let what = changed_files(&changed);
            eprintln!("{}", msg!("cli.rebuild_failed", what, errors));
        }
        ServeEvent::Trouble(msg) => warning(msg),
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
            error(e);
            ExitCode::from(2)
        }
    }
}

/// `chanjiao announce`: checks the site, drafts the announcement and writes it beside the others
/// (or to `--output`), never over an existing file.
/// `chanjiao import`: every bad cell at its place, or one line saying what was written.
fn import(args: chanjiao::cli::ImportArgs) -> ExitCode {
    use chanjiao::sheets::{self, export, Failure};
    if args.template {
        let name = format!("{}模板.xlsx", args.table.sheet());
        let path = args.file.unwrap_or_else(|| std::path::PathBuf::from(name));
        return match export::template(args.table)
            .map_err(|e| e.to_string())
            .and_then(|bytes| write_new(&path, &bytes))
        {
            Ok(()) => {
                eprintln!("{}", msg!("import.template_written", path = path.display()));
                ExitCode::SUCCESS
            }
            Err(e) => {
                error(e);
                ExitCode::from(2)
            }
        };
    }
    let (Some(file), Some(consortium)) = (args.file, args.consortium) else {
        return ExitCode::from(2);
    };
    match sheets::run_import(&args.root.root, args.table, &file, &consortium, args.merge) {
        Ok(s) => {
            eprintln!(
                "{}",
                msg!(
                    "import.written",
                    path = s.path.display(),
                    rows = s.rows,
                    added = s.added,
                    updated = s.updated
                )
            );
            if !s.ignored.is_empty() {
                let columns = s.ignored.join("、");
                eprintln!("  = {}", msg!("import.ignored_columns", columns));
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Cells(problems)) => {
            let severity = diagnostics::Severity::Error;
            for p in &problems {
                eprintln!(
                    "{}: {severity}: {}{}",
                    diagnostics::visible(&p.place),
                    severity.lead(),
                    diagnostics::visible(&p.message)
                );
            }
            error(msg!("import.failed", n = problems.len()));
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            error(e);
            ExitCode::from(2)
        }
    }
}

/// Writes a file that must not exist yet (a template or an export never replaces a file).
fn write_new(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| msg!("output.unwritable", path = path.display(), source = e))
}

/// `chanjiao export --consortium ID FILE.xlsx`.
fn export(args: chanjiao::cli::ExportArgs) -> ExitCode {
    // Only this consortium is read: a workbook is wanted most when the site does not check yet.
    let dir = format!("content/consortia/{}", args.consortium);
    let loaded = chanjiao::content::load_consortium_dir(&args.root.root, &dir, None);
    let Some(c) = loaded.ok().and_then(|l| l.consortium) else {
        let folder = args.root.root.join(&dir);
        error(msg!(
            "import.no_consortium",
            consortium = args.consortium,
            folder = folder.display()
        ));
        return ExitCode::from(2);
    };
    let catalogue = chanjiao::model::Catalogue::built_in();
    let bytes = match chanjiao::sheets::export::workbook(&c, &catalogue) {
        Ok(b) => b,
        Err(e) => {
            error(e);
            return ExitCode::from(2);
        }
    };
    match write_new(&args.file, &bytes) {
        Ok(()) => {
            eprintln!("{}", msg!("import.exported", path = args.file.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            error(e);
            ExitCode::from(2)
        }
    }
}

fn announce(args: chanjiao::cli::AnnounceArgs) -> ExitCode {
    use chanjiao::announce::{self, Kind, Request};
    let root = args.root.root;
    if args.quarter.is_some() && args.kind == chanjiao::cli::AnnounceKind::Annual {
        error(msg!("cli.quarter_needs_quarterly"));
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
            error(e.message);
            if let Some(help) = e.help {
                eprintln!("  = help: {}", msg!("diag.help", help));
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
            let path = args.output.as_deref().unwrap_or(std::path::Path::new(""));
            error(msg!("cli.draft_exists", path = path.display()));
            ExitCode::from(1)
        }
        Err(e) => {
            error(msg!("cli.draft_unwritable", e));
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

/// The value of `--name value` or `--name=value` among the raw arguments.
fn raw_flag(args: &[std::ffi::OsString], name: &str) -> Option<String> {
    let long = format!("--{name}");
    let prefix = format!("--{name}=");
    args.iter().enumerate().find_map(|(i, a)| {
        let a = a.to_str()?;
        if a == long {
            args.get(i + 1)?.to_str().map(str::to_string)
        } else {
            a.strip_prefix(&prefix).map(str::to_string)
        }
    })
}

/// Prints `error: ` and the message (with 错误： in Chinese), the way diagnostics lead.
fn error(text: impl std::fmt::Display) {
    let severity = diagnostics::Severity::Error;
    eprintln!("{severity}: {}{text}", severity.lead());
}

fn warning(text: impl std::fmt::Display) {
    let severity = diagnostics::Severity::Warning;
    eprintln!("{severity}: {}{text}", severity.lead());
}

/// "first build", or the files whose change caused a rebuild.
fn changed_files(changed: &[String]) -> String {
    if changed.is_empty() {
        msg!("cli.first_build")
    } else {
        changed.join(", ")
    }
}

/// `chanjiao explain CODE` and `chanjiao explain --list`, on stdout.
fn explain(args: chanjiao::cli::ExplainArgs) -> ExitCode {
    use chanjiao::rules::explain;
    let Some(code) = args.code.filter(|_| !args.list) else {
        print!("{}", explain::list());
        return ExitCode::SUCCESS;
    };
    match explain::explain(&code) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err((message, help)) => {
            error(message);
            if let Some(help) = help {
                eprintln!("  = help: {}", msg!("diag.help", help));
            }
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    // The language is chosen before parsing, so that `--help` is in it too.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let flag = raw_flag(&args, "lang")
        .and_then(|l| <messages::Lang as clap::ValueEnum>::from_str(&l, true).ok());
    let root = raw_flag(&args, "root").unwrap_or_else(|| ".".to_string());
    messages::set_lang(messages::choose(
        flag,
        |var| std::env::var(var).ok(),
        std::path::Path::new(&root),
    ));
    let cli = match chanjiao::cli::command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let (message, help) = chanjiao::cli::usage_error(&e);
            error(message);
            if let Some(help) = help {
                eprintln!("  = help: {}", msg!("diag.help", help));
            }
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Check(args) => match site::check(&args.root) {
            Ok(p) => {
                print_diagnostics(&p.warnings, &p.sources);
                let consortia = p.site.consortia.len();
                let warnings = p.warnings.len();
                eprintln!("{}", msg!("cli.checked", consortia, warnings));
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
            if let Some(url) = args
                .base_url
                .as_deref()
                .filter(|u| !chanjiao::rules::base_url_is_valid(u))
            {
                error(msg!("check.base_url_scheme", url));
                return ExitCode::from(2);
            }
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
                    let seconds = format!("{:.2}", r.seconds);
                    eprintln!(
                        "{}",
                        msg!(
                            "cli.built",
                            pages = r.pages,
                            files = r.files,
                            seconds,
                            output = output.display()
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(f) => fail(f, true),
            }
        }
        Command::Explain(args) => explain(args),
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::Serve(args) => serve(args),
        Command::Announce(args) => announce(args),
        Command::New(args) => match scaffold::new_site(&args.dir) {
            Ok(()) => {
                eprintln!("{}", msg!("cli.created", dir = args.dir.display()));
                ExitCode::SUCCESS
            }
            Err(e) => {
                error(e);
                ExitCode::from(2)
            }
        },
    }
}
