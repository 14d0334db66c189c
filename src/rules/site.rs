//! The rules of `site.toml`: the indicator groups and indicators it adds to the catalogue, a
//! plausible report year and a base URL; with its free pages and announcement settings.

use super::*;

/// The report years a site may have.
pub(crate) const PLAUSIBLE_REPORT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The built-in catalogue with the site's own groups and indicators added, and problems with them.
pub fn catalogue(
    config: &SiteConfig,
    sources: &BTreeMap<String, SourceFile>,
) -> (Catalogue, Vec<Diagnostic>) {
    let mut cat = Catalogue::built_in();
    let mut ctx = Collector::new(sources);
    // Looked up in sets, not by scanning the catalogue: a site.toml of 100,000 groups must cost
    // its length, not its length squared.
    let mut groups: std::collections::HashSet<String> =
        cat.groups.iter().map(|(k, _)| k.clone()).collect();
    for (key, group) in &config.groups {
        if groups.insert(key.clone()) {
            cat.groups.push((key.clone(), group.clone()));
        }
    }
    let mut indicators: std::collections::HashSet<String> =
        cat.indicators.iter().map(|(k, _)| k.clone()).collect();
    for (key, def) in &config.indicators {
        if !indicators.insert(key.clone()) {
            ctx.error(
                "content/site.toml",
                def.span(),
                rule!("check.indicator_built_in", key),
            );
            continue;
        }
        if !groups.contains(&def.get_ref().group) {
            let groups: Vec<&str> = cat.groups.iter().map(|(k, _)| k.as_str()).collect();
            let help = did_you_mean(&def.get_ref().group, groups.iter().copied());
            ctx.error(
                "content/site.toml",
                def.span(),
                rule!("check.unknown_group", key, group = def.get_ref().group),
            )
            .help = help;
            continue;
        }
        cat.indicators.push((key.clone(), def.get_ref().clone()));
    }
    (cat, ctx.diags)
}

/// The rules of the site's own files: `site.toml` and the free pages.
pub fn site_rules(
    config: &SiteConfig,
    pages: &[Page],
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    let report_year = *config.report_year.get_ref();
    if !PLAUSIBLE_REPORT_YEARS.contains(&report_year) {
        ctx.error(
            "content/site.toml",
            config.report_year.span(),
            rule!("check.implausible_report_year", report_year),
        );
    }
    if !base_url_is_valid(&config.base_url) {
        ctx.error(
            "content/site.toml",
            0..0,
            rule!("check.base_url_scheme", url = config.base_url),
        );
    }
    pages::pages(&mut ctx, pages, &RESERVED_SLUGS, |slug| {
        rule!("check.page_slug_reserved", slug)
    });
    announcements::settings(&mut ctx, config);
    ctx.diags
}

/// Whether `url` can stand before every address of the site, in pages, feeds and the sitemap: an
/// http(s) address or a path from the server's root, with no space, control character, query or
/// fragment (which would cut every address made from it).
pub fn base_url_is_valid(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let (rest, absolute) = if let Some(r) = lower.strip_prefix("https://") {
        (r, true)
    } else if let Some(r) = lower.strip_prefix("http://") {
        (r, true)
    } else {
        (lower.as_str(), false)
    };
    (absolute && !rest.is_empty() && !rest.starts_with('/') || lower.starts_with('/'))
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_that_would_cut_every_address_are_refused() {
        for good in [
            "https://example.org/",
            "http://example.org/sub/",
            "/",
            "/sub/",
        ] {
            assert!(base_url_is_valid(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "example.org/",
            "https://",
            "https:///x",
            "https://example.org/a b/",
            "https://example.org/#x",
            "https://example.org/?q=1",
            "https://example.org/\u{7}",
            "",
        ] {
            assert!(!base_url_is_valid(bad), "{bad:?}");
        }
    }
}
