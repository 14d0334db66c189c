//! Grouped bar charts: several series over the same years, a bar per series in each year's group,
//! coloured from a palette apart for colour-blind readers, with a legend.

use super::*;

/// Colours of the series of a grouped chart: each at least 3:1 on white (a bar is read against
/// the page), mid and deep tones in turn so that neighbours are at least 3:1 apart as well (WCAG
/// 1.4.11), of different hues, none the vermilion of 承诺, nor hatched, which marks 承诺 alone.
/// The palette has an even length, so the alternation holds past its end.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x33, 0x88, 0xD6),
    RGBColor(0x1F, 0x29, 0x33),
    RGBColor(0x23, 0x97, 0x6A),
    RGBColor(0x2E, 0x14, 0x50),
    RGBColor(0xC8, 0x58, 0x9A),
    RGBColor(0x0A, 0x33, 0x26),
];

/// One series of a grouped chart: its name and a value (with its printed label) per category.
#[derive(Debug, Clone)]
pub struct GroupSeries {
    pub name: String,
    pub values: Vec<Option<(f64, String)>>,
}

impl std::hash::Hash for GroupSeries {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.name.hash(h);
        self.values.len().hash(h);
        for v in &self.values {
            v.as_ref().map(|(n, l)| (n.to_bits(), l)).hash(h);
        }
    }
}

/// Several series over the same categories (years), drawn as groups of bars.
#[derive(Debug, Clone, Hash)]
pub struct Grouped<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub unit: &'a str,
    pub categories: Vec<String>,
    pub series: Vec<GroupSeries>,
}

/// The sentence `<desc>` gives for a grouped chart: each series with its values.
pub fn describe_grouped(g: &Grouped) -> String {
    let parts: Vec<String> = g
        .series
        .iter()
        .map(|s| {
            let vals: Vec<String> = s
                .values
                .iter()
                .zip(&g.categories)
                .filter_map(|(v, c)| {
                    v.as_ref()
                        .map(|(_, l)| format!("{c}{}", crate::format::with_unit(l, g.unit)))
                })
                .collect();
            format!("{}：{}", s.name, vals.join("，"))
        })
        .collect();
    format!("{}，{}。", g.title, parts.join("；"))
}

/// A grouped bar chart for both versions of a page.
pub fn grouped_both(g: &Grouped) -> Drawing {
    Drawing {
        standard: grouped_on(g, Canvas::STANDARD),
        elder: grouped_on(g, Canvas::ELDER),
    }
}

/// A grouped bar chart at the standard size.
pub fn grouped(g: &Grouped) -> String {
    grouped_on(g, Canvas::STANDARD)
}

/// A grouped bar chart on `canvas`: for each category (year) its series as horizontal bars from
/// zero, each with its value written at its end, so that no value is left out however narrow the
/// chart; a legend of the series under the title. Its height follows from what it holds.
pub fn grouped_on(g: &Grouped, canvas: Canvas) -> String {
    let layout = GroupedLayout::of(g, &canvas);
    draw_svg(
        (canvas.width as u32, layout.height.round() as u32),
        (
            &format!("{}{}", g.id, canvas.suffix),
            &format!("{}（{}）", g.title, g.unit),
            &describe_grouped(g),
        ),
        |b| layout.draw(b, g, &canvas),
    )
}

/// Where a grouped chart's parts go.
struct GroupedLayout {
    heading: Heading,
    legend: Vec<Vec<usize>>,
    px: f64,
    bar_h: f64,
    height: f64,
}

impl GroupedLayout {
    fn item_w(name: &str, px: f64) -> f64 {
        24.0 + text_width(name, px)
    }

    fn of(g: &Grouped, c: &Canvas) -> GroupedLayout {
        let px = c.px(MIN_TEXT);
        let heading = Heading::of(c, g.title);
        let sized: Vec<(usize, f64)> = g
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (i, Self::item_w(&s.name, px)))
            .collect();
        let legend = legend_rows(&sized, 12.0, c.width);
        let bar_h = px + 3.0;
        // A line of the legend or a category, and a bar with its value.
        let line = line_of(px) + 2.0;
        let mut height = 10.0 + heading.line_h() * heading.lines.len() as f64 + line;
        height += line * legend.len() as f64 + 6.0;
        for ci in 0..g.categories.len() {
            let bars = g
                .series
                .iter()
                .filter(|s| value_at(s, ci).is_some())
                .count();
            if bars > 0 {
                height += line + line * bars as f64 + 6.0;
            }
        }
        GroupedLayout {
            heading,
            legend,
            px,
            bar_h,
            height: height + 4.0,
        }
    }

    fn draw(&self, b: &mut SVGBackend, g: &Grouped, c: &Canvas) {
        let px = self.px;
        let line = line_of(px) + 2.0;
        let mut y = self.heading.draw(b, g.unit);
        for row in &self.legend {
            let mid = (y + line / 2.0) as i32;
            let mut x = PAD;
            for &si in row {
                let xi = x as i32;
                let _ = b.draw_rect(
                    (xi, mid - 7),
                    (xi + 16, mid + 7),
                    &paint(color(si), 1),
                    true,
                );
                let name = &g.series[si].name;
                let _ = b.draw_text(
                    name,
                    &at(font(px, &INK), HPos::Left, VPos::Center),
                    (xi + 22, mid),
                );
                x += Self::item_w(name, px) + 12.0;
            }
            y += line;
        }
        y += 6.0;
        let max = g
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().map(|(v, _)| *v))
            .fold(0.0, f64::max);
        let widest = g
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().map(|(_, l)| text_width(l, px)))
            .fold(0.0, f64::max);
        let left = PAD;
        let room = (c.width - PAD - left - widest - 6.0).max(20.0);
        let len = |v: f64| {
            if max > 0.0 {
                (v / max * room).max(0.0)
            } else {
                0.0
            }
        };
        for (ci, cat) in g.categories.iter().enumerate() {
            if g.series.iter().all(|s| value_at(s, ci).is_none()) {
                continue;
            }
            let _ = b.draw_text(
                cat,
                &at(font(px, &INK), HPos::Left, VPos::Top),
                (left as i32, y as i32),
            );
            y += line;
            let bars = g
                .series
                .iter()
                .filter(|s| value_at(s, ci).is_some())
                .count();
            let _ = b.draw_line(
                (left as i32, y as i32 - 2),
                (left as i32, (y + line * bars as f64) as i32),
                &paint(MUTED, 1),
            );
            for (si, s) in g.series.iter().enumerate() {
                let Some((v, label)) = value_at(s, ci) else {
                    continue;
                };
                let x1 = left + len(v);
                let top = y + (line - self.bar_h) / 2.0;
                let (ya, yb) = (top as i32, (top + self.bar_h) as i32);
                if x1 > left + 0.5 {
                    let _ = b.draw_rect(
                        (left as i32, ya),
                        (x1 as i32, yb),
                        &paint(color(si), 1),
                        true,
                    );
                }
                let _ = b.draw_text(
                    label,
                    &at(font(px, &INK), HPos::Left, VPos::Center),
                    ((x1 + 5.0) as i32, (ya + yb) / 2),
                );
                y += line;
            }
            y += 6.0;
        }
    }
}

/// A series' value and label at category `ci`, if it has one other than zero (a bar of nothing
/// says nothing; the table beside the chart and its description list every value).
fn value_at(s: &GroupSeries, ci: usize) -> Option<(f64, &str)> {
    s.values
        .get(ci)
        .and_then(|v| v.as_ref())
        .filter(|(v, _)| *v != 0.0)
        .map(|(v, l)| (*v, l.as_str()))
}

/// The colour of series `i`, past the palette from its start again (each bar has its value
/// written beside it and the legend keeps the order, so a repeated colour is still read right).
fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relative luminance of WCAG 2.1.
    fn luminance(c: RGBColor) -> f64 {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn series_colours_stand_out_from_the_page_and_from_their_neighbours() {
        let white = RGBColor(0xFF, 0xFF, 0xFF);
        for i in 0..PALETTE.len() * 2 {
            let (a, b) = (color(i), color(i + 1));
            assert!(contrast(a, white) >= 3.0, "series {i} on white");
            assert!(
                contrast(a, b) >= 3.0,
                "series {i} and {} are too alike",
                i + 1
            );
            assert_ne!(a, COMMITTED, "series {i} takes the colour of 承诺");
        }
    }
}
