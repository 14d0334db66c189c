//! The command line: clap definitions, with every help text taken from the message catalogue in
//! the run's language (`command`). `main` turns a parsed `Cli` into one call into the library and
//! maps its result to an exit code.

use std::path::PathBuf;

use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand};

use crate::messages::Lang;

#[derive(Debug, Parser)]
#[command(name = "chanjiao", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(BuildArgs),
    Check(RootArg),
    Serve(ServeArgs),
    Announce(AnnounceArgs),
    New(NewArgs),
    Explain(ExplainArgs),
    Import(ImportArgs),
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub root: RootArg,
    #[arg(value_enum)]
    pub table: crate::sheets::import::Table,
    #[arg(required_unless_present = "template")]
    pub file: Option<PathBuf>,
    #[arg(long, required_unless_present = "template")]
    pub consortium: Option<String>,
    #[arg(long, conflicts_with = "template")]
    pub merge: bool,
    #[arg(long)]
    pub template: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub root: RootArg,
    #[arg(long)]
    pub consortium: String,
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnnounceKind {
    Annual,
    Quarterly,
}

#[derive(Debug, Args)]
pub struct AnnounceArgs {
    #[command(flatten)]
    pub root: RootArg,
    #[arg(long)]
    pub consortium: String,
    #[arg(long, value_parser = whole_number::<i32>)]
    pub year: i32,
    #[arg(long, value_enum, default_value_t = AnnounceKind::Annual)]
    pub kind: AnnounceKind,
    #[arg(long, required_if_eq("kind", "quarterly"), value_parser = quarter)]
    pub quarter: Option<u32>,
    #[arg(long)]
    pub output: Option<PathBuf>,
    #[arg(long, value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
}

// Value parsers of their own, so that a refused value is explained in the run's language.

fn whole_number<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| msg!("help.bad_number", s))
}

fn quarter(s: &str) -> Result<u32, String> {
    match s.parse() {
        Ok(q @ 1..=4) => Ok(q),
        _ => Err(msg!("help.bad_quarter", s)),
    }
}

fn ip_address(s: &str) -> Result<std::net::IpAddr, String> {
    s.parse().map_err(|_| msg!("help.bad_address", s))
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| msg!("help.bad_date", s))
}

#[derive(Debug, Args)]
pub struct RootArg {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    #[arg(long)]
    pub output: Option<PathBuf>,
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    #[arg(long, default_value_t = 1111, value_parser = whole_number::<u16>)]
    pub port: u16,
    #[arg(long, default_value = "127.0.0.1", value_parser = ip_address)]
    pub bind: std::net::IpAddr,
    #[arg(long)]
    pub drafts: bool,
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    pub dir: PathBuf,
}

/// The command line with every help text, heading and the usage line in the current language.
pub fn command() -> clap::Command {
    localize(Cli::command(), "")
}

/// The catalogue key of the help of `arg` in the subcommand `sub` (`""` for the top level):
/// options shared by every subcommand have one text each.
pub fn help_key(sub: &str, arg: &str) -> String {
    match arg {
        "root" | "lang" | "help" | "version" | "drafts" => format!("help.arg_{arg}"),
        _ => format!("help.{sub}_{arg}"),
    }
}

fn localize(cmd: clap::Command, sub: &str) -> clap::Command {
    let about = if sub.is_empty() {
        msg!("help.about")
    } else {
        crate::messages::text(&format!("help.{sub}"), &[])
    };
    // The template's {placeholders} are clap's, left for clap to fill.
    let template = crate::messages::text("help.template", &[]);
    let mut cmd = cmd
        .about(about)
        .help_template(template)
        .subcommand_help_heading(msg!("help.commands_heading"))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        );
    if sub.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = crate::messages::text(&help_key(sub, &id), &[]);
        cmd = cmd.mut_arg(&id, |a| {
            let heading = if a.is_positional() {
                msg!("help.arguments_heading")
            } else {
                msg!("help.options_heading")
            };
            // Possible and default values are part of each help text, in its language.
            let a = a.help(help).help_heading(heading);
            if a.get_action().takes_values() {
                a.hide_possible_values(true).hide_default_value(true)
            } else {
                a
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(&name, |c| localize(c, &name));
    }
    cmd
}

/// A usage error in the current language: what clap found wrong, with the value or option it names
/// and its suggestion. Kinds no user meets in practice keep clap's own (English) text.
pub fn usage_error(e: &clap::Error) -> (String, Option<String>) {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => crate::messages::list(v),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let suggestion = |kind| {
        let s = get(kind);
        (!s.is_empty()).then(|| msg!("diag.did_you_mean", c = s))
    };
    let try_help = Some(msg!("cli.try_help"));
    match e.kind() {
        ErrorKind::UnknownArgument => (
            msg!("cli.unknown_argument", arg),
            suggestion(ContextKind::SuggestedArg).or(try_help),
        ),
        ErrorKind::InvalidSubcommand => (
            msg!(
                "cli.unknown_command",
                command = get(ContextKind::InvalidSubcommand)
            ),
            suggestion(ContextKind::SuggestedSubcommand).or(try_help),
        ),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            let message = if value.is_empty() {
                msg!("cli.missing_value", arg)
            } else {
                msg!("cli.invalid_value", value, arg)
            };
            let help = (!valid.is_empty()).then(|| msg!("cli.valid_values", valid));
            (message, help.or(try_help))
        }
        ErrorKind::ValueValidation => {
            // The reason is the value parser's own, already in the current language.
            let reason = std::error::Error::source(e).map_or_else(String::new, |s| s.to_string());
            (msg!("cli.bad_value", arg, reason), try_help)
        }
        ErrorKind::MissingRequiredArgument => (msg!("cli.missing_argument", arg), try_help),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            (msg!("cli.missing_command"), try_help)
        }
        ErrorKind::ArgumentConflict => (
            msg!("cli.conflict", arg, other = get(ContextKind::PriorArg)),
            try_help,
        ),
        _ => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            (first.trim_start_matches("error: ").to_string(), try_help)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }
}
