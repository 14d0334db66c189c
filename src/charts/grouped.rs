//! Grouped bar charts: several series over the same years, a bar per series in each year's group,
//! coloured from a palette apart for colour-blind readers (hatched past it), with a legend.

use super::*;

/// Colours of the series of a grouped chart (Okabe–Ito, apart for colour-blind readers and of
/// different lightness in greyscale); series past the palette are hatched.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x1F, 0x29, 0x33),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xCC, 0x79, 0xA7),
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

/// A grouped bar chart: for each category a bar per series, with a legend of the series.
pub fn grouped(g: &Grouped) -> String {
    draw_svg(
        (WIDTH, HEIGHT),
        (
            g.id,
            &format!("{}（{}）", g.title, g.unit),
            &describe_grouped(g),
        ),
        |b| draw_grouped(b, g),
    )
}

fn draw_grouped(b: &mut SVGBackend, g: &Grouped) {
    let h = f64::from(HEIGHT);
    let pad = PAD;
    draw_heading(b, g.title, g.unit);
    // Legend rows first: their height decides the plot's bottom.
    let item_px = 13.0;
    let item_w = |label: &str| 20.0 + text_width(label, item_px);
    let sized: Vec<(usize, f64)> = g
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (i, item_w(&s.name)))
        .collect();
    let rows = legend_rows(&sized, 14.0);
    let legend_h = 20.0 * rows.len() as f64 + 4.0;
    let top = 90.0;
    let bottom = h - legend_h - 26.0 - 6.0;
    let max = g
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().map(|(v, _)| *v))
        .fold(0.0, f64::max);
    let axis = Axis::draw(
        b,
        0.0,
        if max > 0.0 { max * 1.12 } else { 1.0 },
        top,
        bottom,
    );
    let (left, right) = (axis.left, axis.right);
    let y_of = |v: f64| axis.y(v);
    let n = g.categories.len().max(1);
    let slot = (right - left) / n as f64;
    let k = g.series.len().max(1);
    let bar_w = ((slot * 0.8) / k as f64).min(28.0);
    let label_px = 11.0;
    for (ci, cat) in g.categories.iter().enumerate() {
        let cx = left + slot * (ci as f64 + 0.5);
        let cat_px = (slot * 0.95 / text_width(cat, 1.0)).clamp(9.0, 14.0);
        let _ = b.draw_text(
            cat,
            &at(font(cat_px, &INK), HPos::Center, VPos::Top),
            (cx as i32, (bottom + 6.0) as i32),
        );
        let x_start = cx - bar_w * k as f64 / 2.0;
        for (si, s) in g.series.iter().enumerate() {
            let Some((v, label)) = s.values.get(ci).and_then(|v| v.as_ref()) else {
                continue;
            };
            let color = PALETTE[si % PALETTE.len()];
            let x0 = (x_start + bar_w * si as f64) as i32;
            let x1 = (x_start + bar_w * (si as f64 + 1.0)) as i32 - 1;
            let y0 = y_of(*v) as i32;
            let _ = b.draw_rect((x0, y0), (x1, bottom as i32), &paint(color, 1), true);
            if si >= PALETTE.len() {
                hatch(b, (x0, y0), (x1, bottom as i32), WHITE);
            }
            // A value label only where it fits over its own bar; the table beside the chart
            // has every value.
            if text_width(label, label_px) <= bar_w + 2.0 {
                let _ = b.draw_text(
                    label,
                    &at(font(label_px, &INK), HPos::Center, VPos::Bottom),
                    ((x0 + x1) / 2, y0 - 3),
                );
            }
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let y = (h - legend_h + 4.0 + 20.0 * r as f64) as i32;
        let mut x = pad;
        for &si in row {
            let xi = x as i32;
            let color = PALETTE[si % PALETTE.len()];
            let _ = b.draw_rect((xi, y), (xi + 14, y + 12), &paint(color, 1), true);
            if si >= PALETTE.len() {
                hatch(b, (xi, y), (xi + 14, y + 12), WHITE);
            }
            let name = &g.series[si].name;
            let _ = b.draw_text(
                name,
                &at(font(item_px, &INK), HPos::Left, VPos::Center),
                (xi + 20, y + 6),
            );
            x += item_w(name) + 14.0;
        }
    }
}
