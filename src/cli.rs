//! The command line, as clap definitions only. `main` turns a parsed `Cli` into one call into the
//! library and maps its result to an exit code.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "chanjiao",
    version,
    about = "Static sites for the public reporting of industry–education consortia (市域产教联合体)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the content, then render the site into the output folder
    Build(BuildArgs),
    /// Check the content and print every problem; nothing is written
    Check(RootArg),
    /// Build into memory, serve on 127.0.0.1, and rebuild and reload the browser on every save
    Serve(ServeArgs),
    /// Draft an announcement from the figures (draft = true) under the consortium's announcements/
    Announce(AnnounceArgs),
    /// Create a new site with one small consortium that builds at once
    New(NewArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnnounceKind {
    /// 年度总结: the year against the year before
    Annual,
    /// 季度通报: the training ledger, members and programmes dated in one quarter
    Quarterly,
}

#[derive(Debug, Args)]
pub struct AnnounceArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// The consortium's id (its folder under content/consortia/)
    #[arg(long)]
    pub consortium: String,
    /// The year to report on
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value_t = AnnounceKind::Annual)]
    pub kind: AnnounceKind,
    /// The quarter, 1 to 4 (with --kind quarterly)
    #[arg(long, required_if_eq("kind", "quarterly"), value_parser = clap::value_parser!(u32).range(1..=4))]
    pub quarter: Option<u32>,
    /// Write the draft here instead (refused if the file exists)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The publication date in the draft's front matter, as 2025-01-15 [default: today]
    #[arg(long, value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date such as 2025-01-15"))
}

#[derive(Debug, Args)]
pub struct RootArg {
    /// The site folder (the one holding content/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Where to write the site [default: public/ under the root]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Public address of the site, overriding base_url in site.toml
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include announcements marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Port to listen on; the next free one is taken if it is busy
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on (anything but loopback lets other machines see the preview)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include announcements marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
    /// Open the preview in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create (must not exist or be empty)
    pub dir: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
