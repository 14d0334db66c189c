//! Sparklines: a small line of a series' actual values, for a table cell, named and described
//! like a chart.

use super::*;

/// Size of a sparkline.
pub const SPARK_W: u32 = 120;
pub const SPARK_H: u32 = 36;

/// A small line of the actual values, for a table cell; named and described like a chart.
pub fn sparkline(spec: &Spec) -> String {
    let mut svg = String::new();
    let actual: Vec<&Datum> = spec
        .data
        .iter()
        .filter(|d| d.mark != Mark::Committed)
        .collect();
    {
        let mut b = SVGBackend::with_string(&mut svg, (SPARK_W, SPARK_H));
        let (w, h) = (f64::from(SPARK_W), f64::from(SPARK_H));
        let max = actual.iter().map(|d| d.value).fold(f64::MIN, f64::max);
        let min = actual.iter().map(|d| d.value).fold(f64::MAX, f64::min);
        let span = (max - min).max(1e-9);
        let n = actual.len();
        let x_of = |i: usize| {
            if n <= 1 {
                w / 2.0
            } else {
                4.0 + (w - 8.0) * i as f64 / (n - 1) as f64
            }
        };
        let y_of = |v: f64| {
            if max == min {
                h / 2.0
            } else {
                h - 5.0 - (v - min) / span * (h - 10.0)
            }
        };
        let pts: Vec<(i32, i32)> = actual
            .iter()
            .enumerate()
            .map(|(i, d)| (x_of(i) as i32, y_of(d.value) as i32))
            .collect();
        for pair in pts.windows(2) {
            let _ = b.draw_line(pair[0], pair[1], &paint(ACTUAL, 2));
        }
        if let Some(last) = pts.last() {
            let _ = b.draw_circle(*last, 3, &paint(ACTUAL, 1), true);
        }
        b.present().expect("drawing into a string cannot fail");
    }
    let only_actual = Spec {
        data: actual.into_iter().cloned().collect(),
        ..spec.clone()
    };
    accessible(
        svg,
        spec.id,
        &format!("{}走势", spec.title),
        &describe(&only_actual),
        SPARK_W,
        SPARK_H,
    )
}
