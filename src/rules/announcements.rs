//! The rules of announcements: their front matter (slug, category, tags, 发文字号 and dates), one
//! announcement a slug, and the `[announcements]` settings of `site.toml`.

use super::*;

/// Folders of an announcement list, which an announcement's slug must not take.
pub const RESERVED_ANNOUNCEMENT_SLUGS: [&str; 4] = ["page", "category", "archive", "tags"];

/// Every announcement of the consortium, and `duplicate-announcement-slug`.
pub(super) fn announcements(ctx: &mut Ctx) {
    let c = ctx.c;
    // Thousands of paths that share a long prefix: hashed, not compared in a tree.
    let mut slugs: crate::fasthash::Map<&str, &str> = Default::default();
    for a in &c.announcements {
        announcement(ctx, a);
        if let Some(other) = slugs.insert(&a.slug, &a.path) {
            let span = a.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &a.path,
                span,
                rule!("check.duplicate_announcement_slug", slug = a.slug, other),
            );
        }
    }
}

/// The rules of one announcement's front matter that need no other file.
fn announcement(ctx: &mut Ctx, a: &Announcement) {
    slug_and_category(ctx, a);
    tags(ctx, a);
    official_document(ctx, a);
}

/// `announcement-slug-reserved`, `unknown-category`.
fn slug_and_category(ctx: &mut Ctx, a: &Announcement) {
    let facts = ctx.facts;
    let path = a.path.as_str();
    if RESERVED_ANNOUNCEMENT_SLUGS.contains(&a.slug.as_str()) {
        let span = a.meta.slug.as_ref().map_or(0..0, |s| s.span());
        ctx.error(
            path,
            span,
            rule!("check.announcement_slug_reserved", slug = a.slug),
        );
    }
    if let Some(cat) = &a.meta.category {
        if !facts.categories.is_empty() && !facts.categories.contains(&cat.get_ref().as_str()) {
            let help =
                did_you_mean(cat.get_ref(), facts.categories.iter().copied()).or_else(|| {
                    Some(msg!(
                        "check.categories_are",
                        categories = facts.categories.join("、")
                    ))
                });
            ctx.error(
                path,
                cat.span(),
                rule!("check.unknown_category", category = cat.get_ref()),
            )
            .help = help;
        }
    }
}

/// `tag-blank`, `tag-characters`, `tag-twice`: each tag names a list page of its own.
fn tags(ctx: &mut Ctx, a: &Announcement) {
    let path = a.path.as_str();
    let mut seen: Vec<&str> = Vec::new();
    for tag in &a.meta.tags {
        let t = tag.get_ref().as_str();
        if t.trim().is_empty() || t.trim() != t {
            ctx.error(path, tag.span(), rule!("check.tag_blank"));
        } else if t == "."
            || t == ".."
            || t.chars()
                .any(|ch| "/\\?#%\"<>".contains(ch) || ch.is_control())
        {
            ctx.error(path, tag.span(), rule!("check.tag_characters", t));
        } else if let Some(problem) = super::names::unportable(t, super::names::MAX_NAME) {
            ctx.error(path, tag.span(), problem);
        } else if seen.contains(&t) {
            ctx.warning(path, tag.span(), rule!("check.tag_twice", t));
        }
        seen.push(t);
    }
}

/// The 发文字号 and the dates of an official document: `doc-number-form`,
/// `doc-number-after-written`, `written-after-date`, `updated-before-date`,
/// `doc-number-without-issuer`.
fn official_document(ctx: &mut Ctx, a: &Announcement) {
    let path = a.path.as_str();
    if let Some(number) = &a.meta.doc_number {
        // `year` is only given for a standard form, so a malformed one has its error alone.
        let standard = doc_number(ctx, path, number);
        if let (true, Some(year), Some(written)) = (
            standard,
            crate::docnumber::year(number.get_ref()),
            a.meta.written.as_ref(),
        ) {
            if year > written.get_ref().year() {
                let note = ctx.note(path, written.span(), msg!("check.written_here"));
                ctx.error(
                    path,
                    number.span(),
                    rule!(
                        "check.doc_number_after_written",
                        number = number.get_ref(),
                        year,
                        written = written.get_ref().chinese()
                    ),
                )
                .notes
                .push(note);
            }
        }
    }
    if let Some(written) = &a.meta.written {
        if written.get_ref() > a.meta.date.get_ref() {
            let note = ctx.note(path, a.meta.date.span(), msg!("check.date_here"));
            ctx.error(
                path,
                written.span(),
                rule!(
                    "check.written_after_date",
                    written = written.get_ref().chinese(),
                    date = a.meta.date.get_ref().chinese()
                ),
            )
            .notes
            .push(note);
        }
    }
    if let Some(updated) = &a.meta.updated {
        if updated.get_ref() < a.meta.date.get_ref() {
            ctx.error(
                path,
                updated.span(),
                rule!(
                    "check.updated_before_date",
                    updated = updated.get_ref().iso(),
                    date = a.meta.date.get_ref().iso()
                ),
            );
        }
    }
    if a.meta.doc_number.is_some() && a.meta.issuer.is_none() {
        ctx.warning(
            path,
            a.meta.doc_number.as_ref().map_or(0..0, |n| n.span()),
            rule!("check.doc_number_without_issuer"),
        );
    }
}

/// `[announcements]` of `site.toml`: sizes of at least one, and categories with a name and a URL
/// segment of their own.
pub(super) fn settings(ctx: &mut Collector, config: &SiteConfig) {
    const SITE: &str = "content/site.toml";
    let a = &config.announcements;
    for (key, size) in [("page_size", &a.page_size), ("feed_size", &a.feed_size)] {
        if *size.get_ref() == 0 {
            ctx.error(SITE, size.span(), rule!("check.size_at_least_one", key));
        }
    }
    let mut names: Vec<&str> = CATEGORIES.iter().map(|(n, _)| *n).collect();
    let mut slugs: Vec<&str> = CATEGORIES.iter().map(|(_, s)| *s).collect();
    for c in &a.categories {
        let (name, slug) = (c.name.get_ref().as_str(), c.slug.get_ref().as_str());
        if name.trim().is_empty() {
            ctx.error(SITE, c.name.span(), rule!("check.category_without_name"));
        } else if names.contains(&name) {
            ctx.error(
                SITE,
                c.name.span(),
                rule!("check.category_defined_twice", name),
            );
        }
        let plain = !slug.is_empty()
            && slug
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !plain || slug.bytes().all(|b| b.is_ascii_digit()) {
            ctx.error(SITE, c.slug.span(), rule!("check.category_slug_form", slug));
        } else if slugs.contains(&slug) {
            ctx.error(SITE, c.slug.span(), rule!("check.category_slug_used", slug));
        }
        names.push(name);
        slugs.push(slug);
    }
}
