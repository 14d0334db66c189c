//! The rules of free pages, the site's (`content/pages/`) and a consortium's (`pages/`) alike:
//! a slug not reserved, one page a slug, and a title.

use super::*;

/// Paths that the build writes at the site root, which a free page's slug must not take.
pub const RESERVED_SLUGS: [&str; 10] = [
    "consortia",
    "compare",
    "frameworks",
    "search",
    "static",
    "404",
    "sitemap",
    "index",
    "announcements",
    "elder",
];

/// The sections of a consortium, which its pages' slugs must not take.
pub const RESERVED_CONSORTIUM_SLUGS: [&str; 15] = [
    "members",
    "programmes",
    "training",
    "indicators",
    "announcements",
    "report",
    "assessment",
    "data",
    "pages",
    "milestones",
    "majors",
    "lists",
    "industry-map",
    "governance",
    "index",
];

/// Free pages (the site's or a consortium's): a slug not `reserved` (said by `reserved_message`),
/// one page a slug, and a title.
pub(super) fn pages(
    ctx: &mut Collector,
    pages: &[Page],
    reserved: &[&str],
    reserved_message: impl Fn(&str) -> Message,
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for p in pages {
        let span = p.meta.slug.as_ref().map_or(0..0, |s| s.span());
        if reserved.contains(&p.slug.as_str()) {
            ctx.error(&p.path, span.clone(), reserved_message(&p.slug));
        }
        if let Some(first) = seen.insert(&p.slug, &p.path) {
            ctx.error(
                &p.path,
                span,
                rule!("check.duplicate_page_slug", slug = p.slug, first),
            );
        }
        if p.meta.title.trim().is_empty() {
            ctx.error(&p.path, 0..0, rule!("check.page_without_title"));
        }
    }
}
