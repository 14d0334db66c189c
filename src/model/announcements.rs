//! Announcements (`announcements/<slug>.md`, 成果公告 and the other categories): front matter,
//! issuers and attachments.

use serde::Deserialize;
use toml::Spanned;

use super::*;

/// Front matter of `announcements/<slug>.md` (公告: 成果公告, 季度通报, 年度总结 …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementMeta {
    pub title: String,
    /// 发布日期: the day it was published.
    pub date: Spanned<Date>,
    /// The day of the last substantive change, when it was corrected after publication.
    pub updated: Option<Spanned<Date>>,
    /// One of the built-in categories or those of `[announcements]` in `site.toml`;
    /// [`DEFAULT_CATEGORY`] when absent.
    pub category: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    /// 发文字号, for an official document: 机关代字〔YYYY〕N号.
    pub doc_number: Option<Spanned<String>>,
    /// 发文机关: one, or several for a joint issue.
    pub issuer: Option<Issuers>,
    /// 成文日期.
    pub written: Option<Spanned<Date>>,
    /// 附件, in order: files beside the Markdown, shipped with the page.
    #[serde(default)]
    pub attachments: Vec<AttachmentMeta>,
}

/// `issuer = "…"` or `issuer = ["…", "…"]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Issuers {
    One(String),
    Many(Vec<String>),
}

impl Issuers {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Issuers::One(s) => vec![s.as_str()],
            Issuers::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// One entry of `attachments`: its title and its file, relative to the announcement's folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentMeta {
    pub title: String,
    pub file: Spanned<String>,
}

/// An attachment that was found: its number (附件1 …), title, file name and bytes; or, for a
/// Markdown file (`text`), its text, printed after the announcement as official documents print
/// their 附件.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub no: usize,
    pub title: String,
    /// The file name, as it is published beside the page.
    pub name: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
    pub text: Option<AttachmentText>,
}

/// A text attachment: a Markdown file in a folder under `announcements/`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentText {
    /// Its path from the site root, as diagnostics and rendered bodies name it.
    pub path: String,
    /// Emptied once rendered, as an announcement's.
    pub body: crate::source::Text,
    pub body_offset: usize,
}

/// Equal when every field is (spans aside: `Spanned` compares values), as a preview asks of an
/// announcement before it keeps the page made from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Announcement {
    pub path: String,
    pub slug: String,
    /// Shared with the parse of its file that a preview keeps: an announcement read again
    /// unchanged is the same, and is seen to be without comparing it.
    pub meta: std::sync::Arc<AnnouncementMeta>,
    /// The Markdown after the front matter; emptied once rendered (`render::release_bodies`),
    /// when the prepared site holds its HTML.
    pub body: crate::source::Text,
    pub body_offset: usize,
    pub attachments: Vec<Attachment>,
}

impl Announcement {
    pub fn category(&self) -> &str {
        self.meta
            .category
            .as_ref()
            .map_or(DEFAULT_CATEGORY, |c| c.get_ref().as_str())
    }

    /// The date of the last change: `updated`, else `date`.
    pub fn updated(&self) -> Date {
        *self
            .meta
            .updated
            .as_ref()
            .unwrap_or(&self.meta.date)
            .get_ref()
    }
}
