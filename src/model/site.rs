//! The site's own settings (`content/site.toml`: accessibility, Markdown, announcement
//! categories and sizes) and its free pages.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::*;

/// `content/site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// The year whose 12月31日 closes the latest actual figures; later years may only be committed.
    pub report_year: Spanned<i32>,
    /// Shows a banner saying the figures are illustrative, not official.
    #[serde(default)]
    pub illustrative: bool,
    /// A theme folder under `themes/`; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub accessibility: AccessibilityConfig,
    #[serde(default)]
    pub announcements: AnnouncementsConfig,
    #[serde(default)]
    pub search: SearchConfig,
    /// Groups added to the built-in catalogue.
    #[serde(default)]
    pub groups: BTreeMap<String, GroupDef>,
    /// Indicators added to the built-in catalogue.
    #[serde(default)]
    pub indicators: BTreeMap<String, Spanned<IndicatorDef>>,
}

/// The site's `language` when `site.toml` gives none.
pub fn default_language() -> String {
    crate::messages::DEFAULT_SITE_LANGUAGE.to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

/// `[accessibility]` of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityConfig {
    /// Also build every page under `elder/` in large type and high contrast (长辈模式, the rules
    /// for older users of public websites), linked from every page. On by default.
    #[serde(default = "yes")]
    pub elder: bool,
}

impl Default for AccessibilityConfig {
    fn default() -> Self {
        AccessibilityConfig { elder: true }
    }
}

fn yes() -> bool {
    true
}

/// `[search]` of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Write the search index, the search page and the search box of every page. On by default.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written (trusted authors only). Off: it is sanitised.
    #[serde(default)]
    pub allow_html: bool,
}

/// Front matter of `index.md` and `pages/*.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Overrides the file name as the page's URL segment.
    pub slug: Option<Spanned<String>>,
    /// Menu order; lower first, then by slug.
    #[serde(default)]
    pub weight: i32,
}

/// A free page or the home text: front matter plus the Markdown body (byte range into its file).
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub slug: String,
    pub meta: PageMeta,
    /// The Markdown after the front matter; a consortium's free page's is emptied once rendered
    /// (`render::release_bodies`).
    pub body: crate::source::Text,
    /// Byte offset of the body in the file, for positions of warnings found while rendering.
    pub body_offset: usize,
}

/// The category of an announcement that names none.
pub const DEFAULT_CATEGORY: &str = "成果公告";

/// The built-in categories: name and URL segment.
pub const CATEGORIES: [(&str, &str); 5] = [
    ("成果公告", "achievements"),
    ("季度通报", "quarterly"),
    ("年度总结", "annual"),
    ("工作动态", "news"),
    ("通知公告", "notices"),
];

/// `[announcements]` of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementsConfig {
    /// Announcements per list page.
    #[serde(default = "default_page_size")]
    pub page_size: Spanned<usize>,
    /// Entries per Atom feed, newest first.
    #[serde(default = "default_feed_size")]
    pub feed_size: Spanned<usize>,
    /// Categories added to the built-in ones.
    #[serde(default)]
    pub categories: Vec<CategoryDef>,
}

fn default_page_size() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}

fn default_feed_size() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}

impl Default for AnnouncementsConfig {
    fn default() -> Self {
        AnnouncementsConfig {
            page_size: default_page_size(),
            feed_size: default_feed_size(),
            categories: Vec::new(),
        }
    }
}

/// A category a site adds: its name and its URL segment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    pub name: Spanned<String>,
    pub slug: Spanned<String>,
}

impl SiteConfig {
    /// Every category, built-in first: (name, URL segment).
    pub fn categories(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = CATEGORIES.to_vec();
        for c in &self.announcements.categories {
            if !out.iter().any(|(n, _)| *n == c.name.get_ref()) {
                out.push((c.name.get_ref(), c.slug.get_ref()));
            }
        }
        out
    }
}
