//! `sitemap.xml` (the Sitemaps protocol 0.9): every page but the 404, by absolute URL, with
//! `<lastmod>` for a dated page. Written with `quick-xml`, which escapes what needs escaping, as
//! bytes: a site of tens of thousands of pages has as many entries, and a template would first copy
//! each into its own value.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

/// One page of the sitemap.
#[derive(Debug, PartialEq)]
pub struct Entry {
    /// The page's absolute URL, percent-encoded.
    pub loc: String,
    /// `2024-03-12`, for a dated page.
    pub lastmod: Option<String>,
}

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

pub fn xml<'e>(entries: impl IntoIterator<Item = &'e Entry> + Clone) -> Vec<u8> {
    let count = entries.clone().into_iter().count();
    let mut w = Writer::new_with_indent(Vec::with_capacity(count * 96), b' ', 2);
    let ok = "writing XML into memory cannot fail";
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect(ok);
    w.create_element("urlset")
        .with_attribute(("xmlns", NS))
        .write_inner_content(|w| {
            for e in entries {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&e.loc))?;
                    if let Some(d) = &e.lastmod {
                        w.create_element("lastmod")
                            .write_text_content(BytesText::new(d))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
        .expect(ok);
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_escaped_and_dated() {
        let xml = String::from_utf8(xml(&[
            Entry {
                loc: "https://a.org/x/?a=1&b=2".into(),
                lastmod: Some("2024-03-12".into()),
            },
            Entry {
                loc: "https://a.org/".into(),
                lastmod: None,
            },
        ]))
        .unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<loc>https://a.org/x/?a=1&amp;b=2</loc>"));
        assert!(xml.contains("<lastmod>2024-03-12</lastmod>"));
        assert_eq!(xml.matches("<url>").count(), 2);
        assert!(roxmltree::Document::parse(&xml).is_ok());
    }
}
