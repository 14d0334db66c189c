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

mod grouped;
mod sparkline;

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

fn draw_chart(b: &mut SVGBackend, spec: &Spec, c: &Canvas, heading: &Heading, legend: &Legend) {
    let line_h = line_of(c.px(MIN_TEXT));
    let heading_end = heading.draw(b, spec.unit);
    let has_committed = spec.data.iter().any(|d| d.mark == Mark::Committed);
    let n = spec.data.len().max(1);
    // The slot a year takes, estimated from the widest tick label the axis can need.
    let guess_slot = (c.width - 2.0 * PAD - c.px(MIN_TEXT) * 3.5) / n as f64;
    let label_px = c.px(MIN_TEXT);
    let labels: Vec<f64> = spec
        .data
        .iter()
        .map(|d| text_width(&value_label(d), label_px))
        .collect();
    // Labels too wide for their slots may sit a line higher (`Labels`): room for that line.
    let stagger = crowded(&labels, guess_slot);
    let years = Years::of(spec, c, guess_slot);
    let x_label_h = years.height(c) + if has_committed { line_h } else { 0.0 };
    let label_room = line_h * if stagger { 2.0 } else { 1.0 };
    let (top, bottom) = (
        heading_end + label_room,
        c.height - legend.height() - x_label_h - 8.0,
    );

    // Value axis: bars from zero; a percentage line clipped to its data, the axis marked where
    // it does not start at zero.
    let values: Vec<f64> = spec.data.iter().map(|d| d.value).collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let (lo, hi) = match spec.shape {
        Shape::Bar => (0.0, if max > 0.0 { max * 1.05 } else { 1.0 }),
        Shape::Line => {
            let span = (max - min).max(1.0);
            (
                (min - span * 0.5).max(0.0),
                (max + span * 0.3).min(100.0).max(min + 1.0),
            )
        }
    };
    let axis = Axis::draw(b, c, (lo, hi), (top, bottom), spec.whole);
    if axis.lo > 0.0 {
        // The axis does not start at zero: a break in the base line says so.
        let (x, y) = (axis.left as i32 + 10, axis.bottom as i32);
        let _ = b.draw_rect((x - 1, y - 4), (x + 6, y + 4), &paint(WHITE, 1), true);
        for dx in [0, 5] {
            let _ = b.draw_line((x + dx - 3, y + 5), (x + dx + 2, y - 5), &paint(MUTED, 1));
        }
    }
    let frame = Frame {
        slot: (axis.right - axis.left) / n as f64,
        axis,
        label_px,
        line_h,
        committed: c.committed,
    };
    years.draw(b, spec, &frame, c);
    match spec.shape {
        Shape::Bar => draw_bars(b, spec, &frame),
        Shape::Line => draw_line(b, spec, &frame),
    }
    legend.draw(b, c.height - legend.height());
}

/// Where a chart's marks go: a slot a year across the axis.
struct Frame {
    axis: Axis,
    slot: f64,
    label_px: f64,
    line_h: f64,
    committed: RGBColor,
}

/// Value labels placed left to right, each over its mark or, where it would run into the label
/// before it, just above that one: no label is left out.
struct Labels {
    /// The box of the last label placed: left, right and top.
    last: Option<(f64, f64, f64)>,
}

impl Frame {
    /// The centre of the `i`th year's slot.
    fn x(&self, i: usize) -> f64 {
        self.axis.left + self.slot * (i as f64 + 0.5)
    }

    /// A datum's value label, centred over `(x, y)` or above the label before it where the two
    /// would meet, in the colour of its mark.
    fn value_label(&self, b: &mut SVGBackend, placed: &mut Labels, d: &Datum, (x, y): (i32, i32)) {
        let label = value_label(d);
        let color = if d.mark == Mark::Committed {
            self.committed
        } else {
            INK
        };
        let w = text_width(&label, self.label_px);
        // Kept clear of the axis' labels on the left and of the canvas' edge on the right.
        let x = (f64::from(x))
            .max(self.axis.left + w / 2.0 + 1.0)
            .min(self.axis.right + PAD - w / 2.0 - 2.0);
        let (left, right) = (x - w / 2.0, x + w / 2.0);
        // A line of text takes a little more than its size.
        let h = self.label_px * 1.45;
        let mut bottom = f64::from(y);
        if let Some((l, r, top)) = placed.last {
            let meets_x = left < r + 3.0 && right > l - 3.0;
            if meets_x && bottom > top - 2.0 && bottom - h < top + h {
                bottom = top - 2.0;
            }
        }
        placed.last = Some((left, right, bottom - h));
        let _ = b.draw_text(
            &label,
            &at(font(self.label_px, &color), HPos::Center, VPos::Bottom),
            (x as i32, bottom as i32),
        );
    }
}

/// The years under the axis: `2024年`, or `2024` where that does not fit, on two lines turn by
/// turn where even that does not; each committed year marked 承诺 beneath.
struct Years {
    texts: Vec<String>,
    two_rows: bool,
}

impl Years {
    fn of(spec: &Spec, c: &Canvas, slot: f64) -> Years {
        let px = c.px(MIN_TEXT);
        let widths = |t: &[String]| -> Vec<f64> { t.iter().map(|s| text_width(s, px)).collect() };
        let mut texts: Vec<String> = spec.data.iter().map(|d| d.category.clone()).collect();
        if crowded(&widths(&texts), slot) {
            let short: Vec<String> = texts
                .iter()
                .map(|t| t.strip_suffix('年').unwrap_or(t).to_string())
                .collect();
            texts = short;
        }
        let two_rows = crowded(&widths(&texts), slot);
        Years { texts, two_rows }
    }

    fn height(&self, c: &Canvas) -> f64 {
        line_of(c.px(MIN_TEXT)) * if self.two_rows { 2.0 } else { 1.0 } + 4.0
    }

    fn draw(&self, b: &mut SVGBackend, spec: &Spec, frame: &Frame, c: &Canvas) {
        let px = c.px(MIN_TEXT);
        let bottom = frame.axis.bottom + 5.0;
        let rows = if self.two_rows { 2.0 } else { 1.0 };
        for (i, (d, text)) in spec.data.iter().zip(&self.texts).enumerate() {
            let x = frame.x(i) as i32;
            let row = if self.two_rows { (i % 2) as f64 } else { 0.0 };
            let _ = b.draw_text(
                text,
                &at(font(px, &INK), HPos::Center, VPos::Top),
                (x, (bottom + row * frame.line_h) as i32),
            );
            if d.mark == Mark::Committed {
                let _ = b.draw_text(
                    "承诺",
                    &at(font(px, &c.committed), HPos::Center, VPos::Top),
                    (x, (bottom + rows * frame.line_h) as i32),
                );
            }
        }
    }
}

/// A bar a year: solid for actual values (with a white inner frame when derived), hatched for
/// committed ones, each with its value label.
fn draw_bars(b: &mut SVGBackend, spec: &Spec, frame: &Frame) {
    let bar_w = (frame.slot * 0.56).min(48.0);
    let bottom = frame.axis.bottom as i32;
    let mut placed = Labels { last: None };
    for (i, d) in spec.data.iter().enumerate() {
        let (x0, x1) = (frame.x(i) - bar_w / 2.0, frame.x(i) + bar_w / 2.0);
        let y0 = frame.axis.y(d.value.max(frame.axis.lo));
        let (xa, xb, ya, yb) = (x0 as i32, x1 as i32, y0 as i32, bottom);
        match d.mark {
            Mark::Actual | Mark::Derived => {
                let _ = b.draw_rect((xa, ya), (xb, yb), &paint(ACTUAL, 1), true);
                // Derived: a white inner frame inside the solid bar.
                if d.mark == Mark::Derived && xb - xa > 8 && yb - ya > 8 {
                    let inner = ((xa + 3, ya + 3), (xb - 3, yb - 3));
                    let _ = b.draw_rect(inner.0, inner.1, &paint(WHITE, 2), false);
                }
            }
            Mark::Committed => {
                let _ = b.draw_rect((xa, ya), (xb, yb), &paint(WHITE, 1), true);
                hatch(b, (xa, ya), (xb, yb), frame.committed);
                let _ = b.draw_rect((xa, ya), (xb, yb), &paint(frame.committed, 2), false);
            }
        }
        frame.value_label(b, &mut placed, d, (frame.x(i) as i32, ya - 3));
    }
}

/// A line through the years, dashed towards committed values, with a dot each (hollow when
/// committed) and its value label.
fn draw_line(b: &mut SVGBackend, spec: &Spec, frame: &Frame) {
    let pts: Vec<(i32, i32)> = spec
        .data
        .iter()
        .enumerate()
        .map(|(i, d)| (frame.x(i) as i32, frame.axis.y(d.value) as i32))
        .collect();
    for (i, pair) in pts.windows(2).enumerate() {
        if spec.data[i + 1].mark == Mark::Committed {
            dashed(b, pair[0], pair[1], frame.committed);
        } else {
            let _ = b.draw_line(pair[0], pair[1], &paint(ACTUAL, 3));
        }
    }
    let mut placed = Labels { last: None };
    for (d, &p) in spec.data.iter().zip(&pts) {
        dot(b, p, d.mark, frame.committed);
        frame.value_label(b, &mut placed, d, (p.0, p.1 - 9));
    }
}

/// A point of a line: filled, or hollow in the colour of 承诺 when committed.
fn dot(b: &mut SVGBackend, p: (i32, i32), mark: Mark, committed: RGBColor) {
    match mark {
        Mark::Committed => {
            let _ = b.draw_circle(p, 5, &paint(WHITE, 1), true);
            let _ = b.draw_circle(p, 5, &paint(committed, 2), false);
        }
        Mark::Actual | Mark::Derived => {
            let _ = b.draw_circle(p, 5, &paint(ACTUAL, 1), true);
        }
    }
}

/// A chart's legend: its items, wrapped into rows that fit the width, each swatch drawn as the
/// chart draws its mark (a bar, or a stretch of line with its dot).
struct Legend<'s> {
    rows: Vec<Vec<(&'s str, Mark)>>,
    shape: Shape,
    px: f64,
    committed: RGBColor,
}

impl<'s> Legend<'s> {
    fn of(spec: &Spec, c: &Canvas) -> Legend<'static> {
        let mut items: Vec<(&str, Mark)> = vec![("实际值", Mark::Actual)];
        if spec.data.iter().any(|d| d.mark == Mark::Derived) {
            items.push(("※据培训台账汇总", Mark::Derived));
        }
        if spec.data.iter().any(|d| d.mark == Mark::Committed) {
            items.push(("承诺值（非已完成数）", Mark::Committed));
        }
        let px = c.px(MIN_TEXT);
        let sized: Vec<((&str, Mark), f64)> = items
            .iter()
            .map(|it| (*it, Self::item_w(it.0, px)))
            .collect();
        Legend {
            rows: legend_rows(&sized, 14.0, c.width),
            shape: spec.shape,
            px,
            committed: c.committed,
        }
    }

    fn item_w(label: &str, px: f64) -> f64 {
        28.0 + text_width(label, px)
    }

    fn line_h(&self) -> f64 {
        line_of(self.px) + 2.0
    }

    fn height(&self) -> f64 {
        self.line_h() * self.rows.len() as f64 + 4.0
    }

    /// The legend from `top` down.
    fn draw(&self, b: &mut SVGBackend, top: f64) {
        for (r, row) in self.rows.iter().enumerate() {
            let y = (top + 2.0 + self.line_h() * r as f64) as i32;
            let mid = y + (self.line_h() / 2.0) as i32;
            let mut x = PAD;
            for (label, mark) in row {
                let xi = x as i32;
                match (self.shape, mark) {
                    (Shape::Line, Mark::Committed) => {
                        dashed(b, (xi, mid), (xi + 22, mid), self.committed);
                        dot(b, (xi + 11, mid), *mark, self.committed);
                    }
                    (Shape::Line, _) => {
                        let _ = b.draw_line((xi, mid), (xi + 22, mid), &paint(ACTUAL, 3));
                        dot(b, (xi + 11, mid), *mark, self.committed);
                    }
                    (Shape::Bar, _) => swatch(
                        b,
                        (xi + 3, mid - 7),
                        (xi + 19, mid + 7),
                        (*mark, self.committed),
                    ),
                }
                let _ = b.draw_text(
                    label,
                    &at(font(self.px, &INK), HPos::Left, VPos::Center),
                    (xi + 28, mid),
                );
                x += Self::item_w(label, self.px) + 14.0;
            }
        }
    }
}

/// A bar's swatch in a legend, drawn as the bar is (a committed one in the colour given).
fn swatch(
    b: &mut SVGBackend,
    from: (i32, i32),
    to: (i32, i32),
    (mark, committed): (Mark, RGBColor),
) {
    match mark {
        Mark::Committed => {
            let _ = b.draw_rect(from, to, &paint(WHITE, 1), true);
            hatch(b, from, to, committed);
            let _ = b.draw_rect(from, to, &paint(committed, 2), false);
        }
        Mark::Actual => {
            let _ = b.draw_rect(from, to, &paint(ACTUAL, 1), true);
        }
        Mark::Derived => {
            let _ = b.draw_rect(from, to, &paint(ACTUAL, 1), true);
            let inner = ((from.0 + 3, from.1 + 3), (to.0 - 3, to.1 - 3));
            let _ = b.draw_rect(inner.0, inner.1, &paint(WHITE, 2), false);
        }
    }
}

/// The label over a bar or point: the value, marked ※ when derived from the ledger.
fn value_label(d: &Datum) -> String {
    if d.mark == Mark::Derived {
        format!("{}※", d.label)
    } else {
        d.label.clone()
    }
}

/// Diagonal hatching inside a rectangle, line by line (plotters has no patterns).
fn hatch(b: &mut SVGBackend, (x0, y0): (i32, i32), (x1, y1): (i32, i32), color: RGBColor) {
    let gap = 6;
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 {
        return;
    }
    // Lines x - y = c for c across the rectangle, clipped to it.
    let mut c = -h;
    while c < w {
        let (mut ax, mut ay) = (c, 0);
        if ax < 0 {
            ay = -ax;
            ax = 0;
        }
        let (mut bx, mut by) = (c + h, h);
        if bx > w {
            by = h - (bx - w);
            bx = w;
        }
        if ay < h && by > 0 {
            let _ = b.draw_line((x0 + ax, y0 + ay), (x0 + bx, y0 + by), &paint(color, 1));
        }
        c += gap;
    }
}

/// A dashed line, drawn as short segments.
fn dashed(b: &mut SVGBackend, p0: (i32, i32), p1: (i32, i32), color: RGBColor) {
    let (dx, dy) = (f64::from(p1.0 - p0.0), f64::from(p1.1 - p0.1));
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return;
    }
    let (dash, gap) = (8.0, 5.0);
    let mut t = 0.0;
    while t < len {
        let t1 = (t + dash).min(len);
        let a = (p0.0 + (dx * t / len) as i32, p0.1 + (dy * t / len) as i32);
        let z = (p0.0 + (dx * t1 / len) as i32, p0.1 + (dy * t1 / len) as i32);
        let _ = b.draw_line(a, z, &paint(color, 2));
        t += dash + gap;
    }
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
