//! chanjiao (产教): a static site generator for the public reporting of industry–education
//! consortia. Data flows one way: files → model (`content`, `model`) → diagnostics (`rules`, with
//! `rules::crosscheck`) → figures (`figures`) → page views and outputs (`site::pages`, one file a
//! page family, ordered by `site::plan`, formatted by `format`, addressed by `site::routes`) →
//! rendered pages (`site::render`, with `render` for Markdown and the theme) → disk
//! (`site::output`).

#[macro_use]
pub mod messages;

#[macro_use]
pub mod diagnostics;

pub mod announce;
pub mod charts;
pub mod cli;
pub mod content;
pub mod docnumber;
pub mod fasthash;
pub mod figures;
pub mod format;
pub mod guide;
pub mod model;
pub mod order;
pub mod render;
pub mod rules;
pub mod safefs;
pub mod scaffold;
pub mod serve;
pub mod sheets;
pub mod site;
pub mod source;
