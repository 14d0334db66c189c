//! Sparklines: small bars of a series' values, for a table cell or a card, named and described
//! like a chart.

use super::*;

/// Size of a sparkline.
pub const SPARK_W: u32 = 120;
pub const SPARK_H: u32 = 36;

/// Small bars of every value from zero, actual solid and committed hatched as in the full chart,
/// for a table cell or a card whose text gives the values; named and described like a chart.
pub fn sparkline(spec: &Spec) -> String {
    let mut svg = String::new();
    {
        let mut b = SVGBackend::with_string(&mut svg, (SPARK_W, SPARK_H));
        let (w, h) = (f64::from(SPARK_W), f64::from(SPARK_H));
        let max = spec.data.iter().map(|d| d.value).fold(0.0, f64::max);
        let n = spec.data.len().max(1);
        let slot = (w - 4.0) / n as f64;
        let bar_w = (slot * 0.7).clamp(2.0, 18.0);
        let bottom = h - 2.0;
        for (i, d) in spec.data.iter().enumerate() {
            let x = 2.0 + slot * (i as f64 + 0.5);
            let top = if max > 0.0 {
                bottom - (d.value.max(0.0) / max) * (h - 6.0)
            } else {
                bottom
            };
            let (from, to) = (
                ((x - bar_w / 2.0) as i32, top as i32),
                ((x + bar_w / 2.0) as i32, bottom as i32),
            );
            if to.1 - from.1 >= 1 {
                swatch(&mut b, from, to, (d.mark, COMMITTED));
            }
        }
        let _ = b.draw_line(
            (1, bottom as i32),
            (w as i32 - 1, bottom as i32),
            &paint(MUTED, 1),
        );
        b.present().expect("drawing into a string cannot fail");
    }
    accessible(
        svg,
        spec.id,
        &format!("{}历年数值", spec.title),
        &describe(spec),
        SPARK_W,
        SPARK_H,
    )
}
