//! Atom feeds of announcements: one per consortium, one per category of a consortium, one for the
//! whole site and one per category of the whole site. Written with `atom_syndication`; every URL
//! is absolute (from `base_url`), entries are newest first, and a feed's time is its newest
//! entry's, so the same content always gives the same bytes.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};

use crate::model::{Announcement, Consortium, Date};
use crate::site::routes::Route;

/// Announcements are dated by day; a feed gives them midnight, China Standard Time.
fn datetime(d: Date) -> FixedDateTime {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    d.0.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(offset)
        .single()
        .expect("a fixed offset has one local time")
}

/// What a feed is about.
#[derive(Debug)]
pub struct FeedSpec<'a> {
    pub title: String,
    /// The feed's own route.
    pub route: Route<'a>,
    /// The HTML page the feed stands for.
    pub page: Route<'a>,
    /// Who publishes it (the site's title).
    pub author: &'a str,
    pub base_url: &'a str,
}

/// An announcement with what its entry needs beside it.
#[derive(Debug)]
pub struct Item<'a> {
    pub consortium: &'a Consortium,
    pub announcement: &'a Announcement,
    /// Its rendered body.
    pub html: &'a str,
}

/// The feed as bytes: `items` must be newest first and already cut to the feed's size.
pub fn atom(spec: &FeedSpec, items: &[Item]) -> Vec<u8> {
    let link = |href: String, rel: &str, mime: Option<&str>| Link {
        href,
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    };
    let entries: Vec<Entry> = items.iter().map(|i| entry(spec, i)).collect();
    let updated = items
        .iter()
        .map(|i| i.announcement.updated())
        .max()
        .map(datetime)
        .unwrap_or_else(|| datetime(Date(chrono::NaiveDate::default())));
    let feed = Feed {
        title: Text::plain(spec.title.clone()),
        id: spec.route.absolute(spec.base_url),
        updated,
        authors: vec![Person {
            name: spec.author.to_string(),
            ..Default::default()
        }],
        links: vec![
            link(
                spec.route.absolute(spec.base_url),
                "self",
                Some("application/atom+xml"),
            ),
            link(
                spec.page.absolute(spec.base_url),
                "alternate",
                Some("text/html"),
            ),
        ],
        generator: Some(Generator {
            value: "chanjiao".to_string(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        lang: Some("zh-CN".to_string()),
        entries,
        ..Default::default()
    };
    let mut out = Vec::new();
    feed.write_to(&mut out)
        .expect("writing a feed into memory cannot fail");
    out.push(b'\n');
    out
}

fn entry(spec: &FeedSpec, item: &Item) -> Entry {
    let (c, a) = (item.consortium, item.announcement);
    let url = Route::Announcement(&c.id, &a.slug).absolute(spec.base_url);
    let authors = match &a.meta.issuer {
        Some(issuers) => issuers
            .list()
            .into_iter()
            .map(|name| Person {
                name: name.to_string(),
                ..Default::default()
            })
            .collect(),
        None => vec![Person {
            name: c.profile.name.clone(),
            ..Default::default()
        }],
    };
    let mut categories = vec![Category {
        term: a.category().to_string(),
        ..Default::default()
    }];
    categories.extend(
        a.meta
            .tags
            .iter()
            .filter(|t| t.get_ref() != a.category())
            .map(|t| Category {
                term: t.get_ref().clone(),
                ..Default::default()
            }),
    );
    Entry {
        title: Text::plain(a.meta.title.clone()),
        id: url.clone(),
        updated: datetime(a.updated()),
        published: Some(datetime(*a.meta.date.get_ref())),
        authors,
        categories,
        links: vec![Link {
            href: url.clone(),
            rel: "alternate".to_string(),
            mime_type: Some("text/html".to_string()),
            ..Default::default()
        }],
        summary: (!a.meta.summary.is_empty()).then(|| Text::plain(a.meta.summary.clone())),
        // Relative links in the body resolve against the announcement's own address.
        content: Some(Content {
            base: Some(url),
            value: Some(crate::render::chartblock::standard_only(item.html)),
            content_type: Some("html".to_string()),
            ..Default::default()
        }),
        ..Default::default()
    }
}
