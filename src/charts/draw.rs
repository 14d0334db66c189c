//! Drawing a chart of one series on its canvas: the frame and its axes, bars or a line with its
//! dots, the legend, value labels, and the hatching and dashes that mark what was promised
//! (承诺) apart from what was achieved in greyscale too. The layout these draw into is worked out
//! in the parent module.

use super::*;

pub(super) fn draw_chart(
    b: &mut SVGBackend,
    spec: &Spec,
    c: &Canvas,
    heading: &Heading,
    legend: &Legend,
) {
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
pub(super) struct Legend<'s> {
    rows: Vec<Vec<(&'s str, Mark)>>,
    shape: Shape,
    px: f64,
    committed: RGBColor,
}

impl<'s> Legend<'s> {
    pub(super) fn of(spec: &Spec, c: &Canvas) -> Legend<'static> {
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

    pub(super) fn height(&self) -> f64 {
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
pub(super) fn swatch(
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
