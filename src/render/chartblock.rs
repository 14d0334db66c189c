//! Charts inside Markdown: a fenced block whose info string is `chart` holds TOML naming an
//! indicator (`indicator = "co_built_majors"`, optional `consortium`, `years = [first, last]`,
//! `kind = "bar" | "line"`). Once the figures exist, each block becomes the indicator's chart with
//! a table of its values; a bad block is a diagnostic at its line and column in the Markdown file.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::de::DeValue;
use toml::Spanned;

use crate::charts::{self, Shape};
use crate::content::tomlde;
use crate::diagnostics::{did_you_mean, Diagnostic, Message};
use crate::figures::Figures;
use crate::format;
use crate::model::{Basis, IndicatorDef, Site};
use crate::render::figrefs;
use crate::render::markdown::{chart_placeholder, ChartBlockSource};
use crate::render::RenderedBodies;
use crate::source::SourceFile;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockSpec {
    indicator: Spanned<String>,
    consortium: Option<Spanned<String>>,
    years: Option<Spanned<[i32; 2]>>,
    kind: Option<BlockKind>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum BlockKind {
    #[serde(alias = "柱状图")]
    Bar,
    #[serde(alias = "折线图")]
    Line,
}

/// The consortium a Markdown file belongs to, from its path (`content/consortia/<id>/…`).
fn home_consortium(path: &str) -> Option<&str> {
    path.strip_prefix("content/consortia/")?.split('/').next()
}

/// The HTML of every body that holds chart blocks, with its charts drawn, by source path; and the
/// problems. `read` receives the id of each consortium whose figures a block drew on (or tried to).
pub fn fill(
    site: &Site,
    figures: &Figures,
    bodies: &RenderedBodies,
    sources: &BTreeMap<String, SourceFile>,
    read: &mut BTreeSet<String>,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut filled = BTreeMap::new();
    // With a report year no one could mean (reported once, `implausible-report-year`), the
    // figures of years have no frame: a reference to them would only repeat that error.
    let judged = crate::rules::PLAUSIBLE_REPORT_YEARS.contains(site.config.report_year.get_ref());
    let mut charted: Vec<(&String, &crate::render::MarkdownBody)> = bodies
        .bodies
        .iter()
        .filter(|(_, b)| !b.rendered.charts.is_empty() || !b.rendered.refs.is_empty())
        .collect();
    charted.sort_unstable_by_key(|(path, _)| *path);
    for (path, body) in charted {
        let Some(file) = sources.get(path) else {
            continue;
        };
        let drawn: Vec<String> = body
            .charts()
            .enumerate()
            .map(|(i, block)| {
                draw(site, figures, file, i, &block, &mut diags, read).unwrap_or_default()
            })
            .collect();
        let mut html = put_charts(&body.rendered.html, &drawn);
        if !body.rendered.refs.is_empty() {
            let home = home_consortium(path);
            let texts: Vec<String> = body
                .rendered
                .refs
                .iter()
                .map(|r| {
                    let mut note = |id: &str| {
                        read.insert(id.to_string());
                    };
                    figrefs::value(&r.call, home, &figrefs::site_lookup(figures), &mut note)
                        .unwrap_or_else(|m| {
                            if judged {
                                let at = body.offset + r.offset;
                                diags.push(Diagnostic::error(file, at..at + r.len, m));
                            }
                            String::new()
                        })
                })
                .collect();
            html = figrefs::fill(&html, |i| texts.get(i).cloned().unwrap_or_default());
        }
        filled.insert(path.clone(), html);
    }
    (filled, diags)
}

/// `html` with each chart block's placeholder (`chart_placeholder(i)`) replaced by `drawn[i]`,
/// in one pass: a body of thousands of blocks costs its length, not its length once a block.
fn put_charts(html: &str, drawn: &[String]) -> String {
    if drawn.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + drawn.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    let mut next = 0;
    while next < drawn.len() {
        let placeholder = chart_placeholder(next);
        // Placeholders stand in the order of their blocks; one the sanitiser took out is skipped.
        let Some(at) = rest.find(&placeholder) else {
            next += 1;
            continue;
        };
        out.push_str(&rest[..at]);
        out.push_str(&drawn[next]);
        rest = &rest[at + placeholder.len()..];
        next += 1;
    }
    out.push_str(rest);
    out
}

fn draw(
    site: &Site,
    figures: &Figures,
    file: &SourceFile,
    i: usize,
    block: &ChartBlockSource,
    diags: &mut Vec<Diagnostic>,
    read: &mut BTreeSet<String>,
) -> Option<String> {
    let path = file.path.as_str();
    let (spec, range, base) = spec_of(file, block, diags)?;
    // The spec's spans are relative to `base`, and so is `range` from here on.
    let err =
        |diags: &mut Vec<Diagnostic>, at: Range<usize>, msg: Message, help: Option<String>| {
            let at = at.start + base..at.end + base;
            diags.push(Diagnostic::error(file, at, msg).with_help(help));
        };
    let range = range.start - base..range.end - base;
    let key = spec.indicator.get_ref().as_str();
    let Some(def) = site.catalogue.get(key) else {
        err(
            diags,
            spec.indicator.span(),
            rule!("chart.unknown_indicator", key),
            did_you_mean(key, site.catalogue.keys()),
        );
        return None;
    };
    let cid = match (&spec.consortium, home_consortium(path)) {
        (Some(c), _) => c.get_ref().as_str(),
        (None, Some(c)) => c,
        (None, None) => {
            err(
                diags,
                range.start..range.start,
                rule!("chart.chart_needs_consortium"),
                None,
            );
            return None;
        }
    };
    read.insert(cid.to_string());
    let Some(f) = figures.consortium(cid) else {
        let at = spec
            .consortium
            .as_ref()
            .map_or(range.start..range.start, |c| c.span());
        let ids = site.consortia.iter().map(|c| c.id.as_str());
        err(
            diags,
            at,
            rule!("chart.chart_no_consortium", cid),
            did_you_mean(cid, ids),
        );
        return None;
    };
    let Some(series) = f.series(key) else {
        err(
            diags,
            spec.indicator.span(),
            rule!("chart.chart_no_values", cid, key, name = def.name),
            None,
        );
        return None;
    };
    let (first, last) = match &spec.years {
        Some(y) => {
            let [a, b] = *y.get_ref();
            if a > b {
                err(
                    diags,
                    y.span(),
                    rule!("chart.chart_years_backwards", a, b),
                    None,
                );
                return None;
            }
            (a, b)
        }
        None => (i32::MIN, i32::MAX),
    };
    let mut series = series.clone();
    series.points.retain(|p| (first..=last).contains(&p.year));
    if series.points.is_empty() {
        let at = spec
            .years
            .as_ref()
            .map_or(spec.indicator.span(), |y| y.span());
        err(
            diags,
            at,
            rule!("chart.chart_no_values_between", key, first, last),
            None,
        );
        return None;
    }
    Some(figure(
        &series,
        def,
        format!("block{i}-{key}"),
        spec.kind,
        &f.consortium.profile.short_name,
    ))
}

/// A chart block's TOML, parsed, and the byte range it takes in the file. Its spans are relative
/// to the offset returned with it. A block that stands in the file as written is parsed on its
/// own (a body of thousands of blocks must not have the file lexed once a block), and the
/// problems found are moved to its place in the file; one that does not (a block in a list
/// item, its indentation taken off) is parsed in a copy of the file blank but for it.
fn spec_of(
    file: &SourceFile,
    block: &ChartBlockSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<(BlockSpec, Range<usize>, usize)> {
    let start = block.offset;
    let range = start..start + block.toml.len();
    let parse = |file: &SourceFile, text: &str, diags: &mut Vec<Diagnostic>| {
        let doc = tomlde::parse_document(file, text, diags)?;
        let span = doc.span();
        tomlde::deserialize::<BlockSpec>(
            file,
            Spanned::new(span, DeValue::Table(doc.into_inner())),
            &msg!("what.chart_block"),
            diags,
        )
    };
    if file.text.get(range.clone()) != Some(block.toml.as_str()) {
        let text = format!("{}{}", " ".repeat(start), block.toml);
        return parse(file, &text, diags).map(|spec| (spec, range, 0));
    }
    let local = SourceFile::new(file.path.clone(), block.toml.clone());
    let mut found = Vec::new();
    let spec = parse(&local, &block.toml, &mut found);
    let (line0, col0) = file.line_col(start);
    for mut d in found {
        if d.line == 1 {
            d.col += col0 - 1;
            d.end_col += col0 - 1;
        }
        d.line += line0 - 1;
        for n in &mut d.notes {
            if n.line == 1 {
                n.col += col0 - 1;
                n.end_col += col0 - 1;
            }
            n.line += line0 - 1;
        }
        diags.push(d);
    }
    spec.map(|spec| (spec, range, start))
}

/// `html` with the large-type drawing of each chart block left out: for a reader with no style
/// sheet to hide it (a feed reader), which would show both.
pub fn standard_only(html: &str) -> String {
    const OPEN: &str = "<div class=\"v-elder\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        // The drawing, then the division's end.
        let end = rest[at..].find("</svg>").and_then(|svg| {
            let after = at + svg + "</svg>".len();
            rest[after..]
                .find("</div>")
                .map(|d| after + d + "</div>".len())
        });
        match end {
            Some(end) => rest = &rest[end..],
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The drawn chart block: the chart of `series` (as a bar or line chart when the block says),
/// and its values in a table beneath it, captioned with the indicator and the consortium.
fn figure(
    series: &crate::figures::Series,
    def: &IndicatorDef,
    id: String,
    kind: Option<BlockKind>,
    consortium: &str,
) -> String {
    let mut chart_spec = charts::from_series(series, &id);
    if let Some(kind) = kind {
        chart_spec.shape = match kind {
            BlockKind::Bar => Shape::Bar,
            BlockKind::Line => Shape::Line,
        };
    }
    // A body's HTML serves both versions of its page: both drawings go in, and the style sheet
    // shows the one of the version.
    let drawn = charts::chart_both(&chart_spec);
    let svg = format!(
        "<div class=\"v-standard\">{}</div><div class=\"v-elder\">{}</div>",
        drawn.standard, drawn.elder
    );
    let mut rows = String::new();
    for p in &series.points {
        let basis = match (p.basis, p.derived()) {
            (Basis::Committed, _) => "承诺值",
            (_, true) => "据培训台账汇总",
            _ => "实际值",
        };
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{basis}</td></tr>",
            format::year(p.year),
            html_escape::encode_text(&format::indicator_with_unit(p.value, def)),
        ));
    }
    format!(
        "<figure class=\"chart-box\">{svg}</figure>\n<div class=\"scroll\" tabindex=\"0\"><table class=\"data series\"><caption>{}（{}）</caption><thead><tr><th scope=\"col\">年度</th><th scope=\"col\" class=\"num\">数值</th><th scope=\"col\">类型</th></tr></thead><tbody>{rows}</tbody></table></div>",
        html_escape::encode_text(&def.name),
        html_escape::encode_text(consortium),
    )
}
