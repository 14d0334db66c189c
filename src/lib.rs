//! chanjiao (产教): a static site generator for the public reporting of industry–education
//! consortia. Data flows one way: files → model (`content`, `model`) → diagnostics (`validate`)
//! → build plan (`site::plan`) → rendered pages (`render`) → disk (`site::output`).

pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod site;
pub mod source;
pub mod validate;
