//! Charts: pure functions from a series of yearly values to an SVG string, drawn with plotters'
//! SVG backend. The layout is computed here, in pixels, from an explicit text-width estimate
//! (plotters measures Chinese text about twice too wide), so labels are never clipped; text stays
//! text under a CSS font stack, bars are drawn one by one in year order, and the same data always
//! gives the same bytes. Each chart carries `<title>` and `<desc>` stating its values in words.

use plotters::prelude::{DrawingBackend, SVGBackend};

use crate::figures::{Origin, Series};
use crate::model::{Basis, ValueKind};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont, RGBColor, ShapeStyle, TextStyle};

mod draw;
mod grouped;
mod sparkline;

use draw::*;

pub use grouped::{describe_grouped, grouped, grouped_both, grouped_on, GroupSeries, Grouped};
pub use sparkline::{sparkline, SPARK_H, SPARK_W};

/// Chinese first, then fallbacks every system has; no font is needed when building.
pub const FONT_STACK: &str =
    "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif";

/// Okabe–Ito blue and a darkened vermilion: apart for colour-blind readers, and apart in
/// greyscale as a filled bar against an outlined, hatched one.
const ACTUAL: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// 承诺, in every chart and table: a dark vermilion, 5.8:1 on white, so that its text reads too.
const COMMITTED: RGBColor = RGBColor(0xA8, 0x48, 0x00);
/// 承诺 in 长辈模式, as its tables have it: the same hue, 9:1 on white.
const COMMITTED_ELDER: RGBColor = RGBColor(0x7A, 0x34, 0x00);
const INK: RGBColor = RGBColor(0x1F, 0x29, 0x33);
const MUTED: RGBColor = RGBColor(0x52, 0x5C, 0x66);
const GRID: RGBColor = RGBColor(0xD9, 0xDE, 0xE3);
const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// Whether a value was achieved or promised, and whether it was summed from the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Actual,
    Committed,
    /// An actual value derived from the training ledger (据培训台账汇总).
    Derived,
}

/// One bar or point.
#[derive(Debug, Clone, PartialEq)]
pub struct Datum {
    /// What the axis shows under it: `2024年`, or a consortium's short name.
    pub category: String,
    pub value: f64,
    /// The value as the pages print it.
    pub label: String,
    pub mark: Mark,
}

impl std::hash::Hash for Datum {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.category.hash(h);
        self.value.to_bits().hash(h);
        self.label.hash(h);
        self.mark.hash(h);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Counts and amounts.
    Bar,
    /// Percentages.
    Line,
}

/// What a chart shows.
#[derive(Debug, Clone, Hash)]
pub struct Spec<'a> {
    /// Unique within a page: prefixes the ids of `<title>` and `<desc>`.
    pub id: &'a str,
    pub title: &'a str,
    pub unit: &'a str,
    pub shape: Shape,
    /// A count of whole things: the axis ticks are whole numbers.
    pub whole: bool,
    pub data: Vec<Datum>,
}

/// What a chart is drawn from, hashed: the same for the same spec, so a drawing can be kept
/// while it is (the charts are pure functions of their specs).
pub fn fingerprint(spec: &impl std::hash::Hash) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    spec.hash(&mut h);
    std::hash::Hasher::finish(&h)
}

/// The chart spec of a series: bars for counts and amounts, a line for percentages. A count
/// with decimals (person-days) whose values are all whole is labelled without them (`475`, not
/// `475.0`).
pub fn from_series<'a>(s: &'a Series, id: &'a str) -> Spec<'a> {
    let whole_values = s.points.iter().all(|p| p.value.fract() == 0.0);
    let decimals = if whole_values && s.def.kind != ValueKind::Percent {
        0
    } else {
        s.def.decimals()
    };
    Spec {
        id,
        title: &s.def.name,
        unit: &s.def.unit,
        shape: match s.def.kind {
            ValueKind::Percent => Shape::Line,
            ValueKind::Count | ValueKind::Amount => Shape::Bar,
        },
        whole: s.def.kind == ValueKind::Count && s.def.decimals() == 0,
        data: s
            .points
            .iter()
            .map(|p| Datum {
                category: crate::format::year(p.year),
                value: p.value,
                label: crate::format::fixed(p.value, decimals),
                mark: match (p.basis, &p.origin) {
                    (Basis::Committed, _) => Mark::Committed,
                    (Basis::Actual, Origin::Ledger { .. }) => Mark::Derived,
                    (Basis::Actual, Origin::Reported(_)) => Mark::Actual,
                },
            })
            .collect(),
    }
}

/// The canvas a chart is drawn for: its viewBox and how large its text is. A chart is drawn about
/// as wide as a phone shows it (300 units in a column of about 300 px), so that its smallest
/// text, 13 units, is not shrunk below 12 px there; pages cap its width on larger screens. The
/// large-type version (长辈模式) draws every text 1.3 times as large, 16 px and more on a phone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Canvas {
    pub width: f64,
    pub height: f64,
    /// How much larger than the standard sizes every text is drawn.
    pub text: f64,
    /// Appended to the chart's id, so that both versions may sit in one page.
    pub suffix: &'static str,
    /// The colour of 承诺: the one the version's tables use.
    pub committed: RGBColor,
}

impl Canvas {
    pub const STANDARD: Canvas = Canvas {
        width: 300.0,
        height: 270.0,
        text: 1.0,
        suffix: "",
        committed: COMMITTED,
    };
    pub const ELDER: Canvas = Canvas {
        width: 300.0,
        height: 320.0,
        text: 1.3,
        suffix: "-e",
        committed: COMMITTED_ELDER,
    };

    /// A text size: the standard `px`, scaled.
    fn px(&self, px: f64) -> f64 {
        px * self.text
    }
}

/// The height a line of text at `px` takes: a Chinese font's glyphs reach beyond its size.
fn line_of(px: f64) -> f64 {
    px * 1.45
}

/// The smallest text a chart draws at the standard size, in viewBox units.
pub const MIN_TEXT: f64 = 13.0;

/// The width in pixels that `text` takes at `px`: a Chinese character is one em, a Latin
/// letter, digit or sign a little over half of one. Slightly generous on purpose.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| {
            if c as u32 >= 0x2E80 {
                1.0
            } else if c == ' ' {
                0.3
            } else {
                0.62
            }
        })
        .sum::<f64>()
        * px
}

fn font(px: f64, color: &RGBColor) -> TextStyle<'static> {
    // plotters' SVG backend writes font-size as size / 1.24.
    let mut style = TextStyle::from((FONT_STACK, px * 1.24).into_font());
    style.color = color.to_backend_color();
    style
}

fn at(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// A fill or stroke for plotters' backend calls.
fn paint(color: RGBColor, width: u32) -> ShapeStyle {
    color.stroke_width(width)
}

/// Round numbers for a value axis from 0 (or `lo`) to at least `hi`: the step and the top. A
/// count (`whole`) gets whole steps: no 2.5 of a major.
fn nice_axis(lo: f64, hi: f64, ticks: usize, whole: bool) -> (f64, f64, f64) {
    let span = (hi - lo).max(1e-9);
    let raw = span / ticks as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let steps: &[f64] = if whole && mag <= 1.0 {
        &[1.0, 2.0, 5.0, 10.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0, 10.0]
    };
    let step = steps
        .iter()
        .map(|m| (m * mag).max(if whole { 1.0 } else { 0.0 }))
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let bottom = (lo / step).floor() * step;
    let top = (hi / step).ceil() * step;
    (bottom, top, step)
}

/// An axis label: whole numbers grouped, otherwise as few decimals as the step needs.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step.fract().abs() < 1e-9 {
        0
    } else if (step * 10.0).fract().abs() < 1e-9 {
        1
    } else {
        2
    };
    crate::format::fixed(v, decimals)
}

/// The sentence `<desc>` gives: every value in words, actual and committed apart.
pub fn describe(spec: &Spec) -> String {
    let part = |mark: &[Mark]| -> Vec<String> {
        spec.data
            .iter()
            .filter(|d| mark.contains(&d.mark))
            .map(|d| {
                let derived = if d.mark == Mark::Derived {
                    "（据培训台账汇总）"
                } else {
                    ""
                };
                format!(
                    "{}{}{derived}",
                    d.category,
                    crate::format::with_unit(&d.label, spec.unit)
                )
            })
            .collect()
    };
    let actual = part(&[Mark::Actual, Mark::Derived]);
    let committed = part(&[Mark::Committed]);
    let mut out = format!("{}，", spec.title);
    if actual.is_empty() {
        out.push_str("暂无实际值");
    } else {
        out.push_str(&format!("实际值：{}", actual.join("，")));
    }
    if !committed.is_empty() {
        out.push_str(&format!("；承诺值：{}", committed.join("，")));
    }
    out.push('。');
    out
}

/// Rounds every `font-size="…"` to two decimals: plotters prints `size / 1.24` with float noise.
fn tidy_font_sizes(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("font-size=\"") {
        let start = at + "font-size=\"".len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        match rest[start..end].parse::<f64>() {
            Ok(v) => {
                let t = format!("{v:.2}");
                out.push_str(t.trim_end_matches('0').trim_end_matches('.'));
            }
            Err(_) => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces plotters' opening `<svg …>` with one that scales, is an image to assistive
/// technology, and is named and described by its `<title>` and `<desc>`.
fn accessible(svg: String, id: &str, title: &str, desc: &str, width: u32, height: u32) -> String {
    let svg = tidy_font_sizes(&svg);
    let body = svg.split_once(">\n").map_or(svg.as_str(), |(_, b)| b);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">\n<title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n{body}",
        html_escape::encode_text(title),
        html_escape::encode_text(desc)
    )
}

/// Draws with plotters into an SVG string, then names and describes it (see `accessible`).
fn draw_svg(
    (width, height): (u32, u32),
    (id, title, desc): (&str, &str, &str),
    draw: impl FnOnce(&mut SVGBackend),
) -> String {
    let mut svg = String::new();
    {
        let mut b = SVGBackend::with_string(&mut svg, (width, height));
        draw(&mut b);
        b.present().expect("drawing into a string cannot fail");
    }
    accessible(svg, id, title, desc, width, height)
}

/// A chart drawn for both versions of a page: the standard one and the large-type one.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Drawing {
    pub standard: String,
    pub elder: String,
}

/// The full chart of one series for both versions of a page.
pub fn chart_both(spec: &Spec) -> Drawing {
    Drawing {
        standard: chart_on(spec, Canvas::STANDARD),
        elder: chart_on(spec, Canvas::ELDER),
    }
}

/// A chart as a file of its own (`chart.svg`): it must say what a page around it says. Its size
/// is given (`width`, `height`), it has a white background, and `lines` (the consortium, the
/// data's date, the source) are written under it, wrapped to its width.
pub fn standalone(svg: &str, lines: &[String]) -> String {
    let Some(rest) = svg.strip_prefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
    else {
        return svg.to_string();
    };
    let Some((size, body)) = rest.split_once('"') else {
        return svg.to_string();
    };
    let mut parts = size.split(' ').filter_map(|n| n.parse::<f64>().ok());
    let (Some(w), Some(h)) = (parts.next(), parts.next()) else {
        return svg.to_string();
    };
    let px = 12.0;
    let wrapped: Vec<String> = lines
        .iter()
        .flat_map(|l| wrap(l, px, w - 2.0 * PAD))
        .collect();
    let line_h = line_of(px);
    let total = h + 6.0 + line_h * wrapped.len() as f64;
    let mut footer = String::new();
    for (i, line) in wrapped.iter().enumerate() {
        footer.push_str(&format!(
            "<text x=\"{PAD}\" y=\"{:.1}\" font-family=\"{FONT_STACK}\" font-size=\"{px}\" fill=\"#525C66\">{}</text>\n",
            h + 6.0 + line_h * (i as f64 + 0.8),
            html_escape::encode_text(line)
        ));
    }
    // The background goes first, under everything the chart draws.
    let (head, tail) = body.split_once("</desc>\n").unwrap_or(("", body));
    let head = if head.is_empty() {
        String::new()
    } else {
        format!("{head}</desc>\n")
    };
    let tail = tail.trim_end().strip_suffix("</svg>").unwrap_or(tail);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{total:.0}\" viewBox=\"0 0 {w} {total:.0}\"{head}<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n{tail}{footer}</svg>\n"
    )
}

/// The full chart of one series, at the standard size.
pub fn chart(spec: &Spec) -> String {
    chart_on(spec, Canvas::STANDARD)
}

/// The full chart of one series on `canvas`.
pub fn chart_on(spec: &Spec, canvas: Canvas) -> String {
    let heading = Heading::of(&canvas, spec.title);
    let legend = Legend::of(spec, &canvas);
    let height = canvas.height + heading.extra() + legend.height();
    draw_svg(
        (canvas.width as u32, height.round() as u32),
        (
            &format!("{}{}", spec.id, canvas.suffix),
            &format!("{}（{}）", spec.title, spec.unit),
            &describe(spec),
        ),
        |b| {
            let c = Canvas { height, ..canvas };
            draw_chart(b, spec, &c, &heading, &legend)
        },
    )
}

/// Padding around a chart.
const PAD: f64 = 14.0;

/// Splits `text` into lines no wider than `width` at `px`, between characters (never inside a
/// run of Latin letters or digits).
fn wrap(text: &str, px: f64, width: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut word = String::new();
    let flush = |lines: &mut Vec<String>, word: &mut String| {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && text_width(&format!("{line}{word}"), px) > width {
            lines.push(std::mem::take(word));
        } else {
            line.push_str(word);
            word.clear();
        }
    };
    for ch in text.chars() {
        word.push(ch);
        if !ch.is_ascii_alphanumeric() {
            flush(&mut lines, &mut word);
        }
    }
    flush(&mut lines, &mut word);
    lines
}

/// A chart's title, wrapped to the canvas, and the unit under it.
struct Heading {
    lines: Vec<String>,
    title_px: f64,
    unit_px: f64,
}

impl Heading {
    fn of(c: &Canvas, title: &str) -> Heading {
        let title_px = c.px(16.0);
        Heading {
            lines: wrap(title, title_px, c.width - 2.0 * PAD),
            title_px,
            unit_px: c.px(MIN_TEXT),
        }
    }

    fn line_h(&self) -> f64 {
        line_of(self.title_px)
    }

    /// How much taller than one title line the heading is.
    fn extra(&self) -> f64 {
        self.line_h() * (self.lines.len() as f64 - 1.0)
    }

    /// Draws the title and the unit; gives where the heading ends.
    fn draw(&self, b: &mut SVGBackend, unit: &str) -> f64 {
        let mut y = 10.0;
        for line in &self.lines {
            let _ = b.draw_text(
                line,
                &at(font(self.title_px, &INK), HPos::Left, VPos::Top),
                (PAD as i32, y as i32),
            );
            y += self.line_h();
        }
        let _ = b.draw_text(
            &format!("单位：{unit}"),
            &at(font(self.unit_px, &MUTED), HPos::Left, VPos::Top),
            (PAD as i32, y as i32),
        );
        y + line_of(self.unit_px) + 4.0
    }
}

/// A value axis drawn with its grid: where the plot lies and how a value maps to a height.
struct Axis {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    lo: f64,
    hi: f64,
}

impl Axis {
    /// Round ticks covering `lo..hi` (whole numbers for counts), their labels sized to the
    /// widest, grid lines and the base line, between `top` and `bottom`.
    fn draw(
        b: &mut SVGBackend,
        c: &Canvas,
        (lo, hi): (f64, f64),
        (top, bottom): (f64, f64),
        whole: bool,
    ) -> Axis {
        let (lo, hi, step) = nice_axis(lo, hi, 4, whole);
        let ticks: Vec<f64> = (0..=((hi - lo) / step).round() as usize)
            .map(|i| lo + step * i as f64)
            .collect();
        let tick_px = c.px(MIN_TEXT);
        let tick_w = ticks
            .iter()
            .map(|t| text_width(&tick_label(*t, step), tick_px))
            .fold(0.0, f64::max);
        let axis = Axis {
            left: PAD + tick_w + 6.0,
            right: c.width - PAD,
            top,
            bottom,
            lo,
            hi,
        };
        for t in &ticks {
            let y = axis.y(*t).round() as i32;
            let _ = b.draw_line(
                (axis.left as i32, y),
                (axis.right as i32, y),
                &paint(GRID, 1),
            );
            let _ = b.draw_text(
                &tick_label(*t, step),
                &at(font(tick_px, &MUTED), HPos::Right, VPos::Center),
                ((axis.left - 5.0) as i32, y),
            );
        }
        let _ = b.draw_line(
            (axis.left as i32, bottom as i32),
            (axis.right as i32, bottom as i32),
            &paint(MUTED, 1),
        );
        axis
    }

    fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.lo) / (self.hi - self.lo) * (self.bottom - self.top)
    }
}

/// Legend items wrapped into rows that fit the chart's width.
fn legend_rows<T: Copy>(items: &[(T, f64)], gap: f64, width: f64) -> Vec<Vec<T>> {
    let mut rows: Vec<Vec<T>> = vec![Vec::new()];
    let mut used = 0.0;
    for (item, w) in items {
        let need = w + if used > 0.0 { gap } else { 0.0 };
        if used > 0.0 && PAD + used + need > width - PAD {
            rows.push(Vec::new());
            used = 0.0;
        }
        used += w + if used > 0.0 { gap } else { 0.0 };
        rows.last_mut().expect("one row at least").push(*item);
    }
    rows
}

/// Whether labels of `widths`, centred `slot` apart, would run into each other on one line.
fn crowded(widths: &[f64], slot: f64) -> bool {
    widths.windows(2).any(|w| (w[0] + w[1]) / 2.0 + 4.0 > slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_changes_with_anything_a_chart_draws() {
        let datum = |value: f64, label: &str, mark| Datum {
            category: "2024年".into(),
            value,
            label: label.into(),
            mark,
        };
        let spec = |id, value, label, mark| Spec {
            id,
            title: "共建专业数",
            unit: "个",
            shape: Shape::Bar,
            whole: true,
            data: vec![datum(value, label, mark)],
        };
        let base = fingerprint(&spec("chart-a", 12.0, "12", Mark::Actual));
        assert_eq!(
            base,
            fingerprint(&spec("chart-a", 12.0, "12", Mark::Actual))
        );
        for other in [
            spec("chart-b", 12.0, "12", Mark::Actual),
            spec("chart-a", 13.0, "12", Mark::Actual),
            spec("chart-a", 12.0, "12.0", Mark::Actual),
            spec("chart-a", 12.0, "12", Mark::Committed),
            Spec {
                shape: Shape::Line,
                ..spec("chart-a", 12.0, "12", Mark::Actual)
            },
        ] {
            assert_ne!(base, fingerprint(&other), "{other:?}");
        }
        let grouped = |series: Vec<GroupSeries>| Grouped {
            id: "chart-members",
            title: "成员单位数",
            unit: "家",
            categories: vec!["2023年".into(), "2024年".into()],
            series,
        };
        let one = |name: &str, values: Vec<Option<(f64, String)>>| GroupSeries {
            name: name.into(),
            values,
        };
        let some = |v: f64| Some((v, v.to_string()));
        let a = fingerprint(&grouped(vec![one("企业", vec![some(1.0), None])]));
        for other in [
            grouped(vec![one("企业", vec![None, some(1.0)])]),
            grouped(vec![one("学校", vec![some(1.0), None])]),
            grouped(vec![one("企业", vec![some(1.0)]), one("", vec![])]),
            grouped(vec![one("企业", vec![some(2.0), None])]),
        ] {
            assert_ne!(a, fingerprint(&other), "{other:?}");
        }
    }

    #[test]
    fn axes_are_round() {
        assert_eq!(nice_axis(0.0, 11.0, 4, true), (0.0, 15.0, 5.0));
        assert_eq!(nice_axis(0.0, 1612.5, 4, false), (0.0, 2000.0, 500.0));
        assert_eq!(nice_axis(90.0, 97.0, 4, false), (90.0, 98.0, 2.0));
        // Counts never get a fractional tick.
        assert_eq!(nice_axis(0.0, 9.0, 4, false), (0.0, 10.0, 2.5));
        assert_eq!(nice_axis(0.0, 9.0, 4, true), (0.0, 10.0, 5.0));
        assert_eq!(nice_axis(0.0, 1.05, 4, true), (0.0, 2.0, 1.0));
        assert_eq!(tick_label(2000.0, 500.0), "2,000");
        assert_eq!(tick_label(2.5, 2.5), "2.5");
    }

    #[test]
    fn chinese_is_measured_as_one_em() {
        assert_eq!(text_width("承诺", 10.0), 20.0);
        assert!((text_width("2024年", 10.0) - (4.0 * 6.2 + 10.0)).abs() < 1e-9);
    }
}
