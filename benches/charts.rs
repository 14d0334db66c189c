//! Chart benchmark: draws the charts of 100 consortia (40 indicator series each, five years of
//! actual values and two committed years, plus a sparkline per series), first on one thread and
//! then in parallel as the build does, and reports charts per second. Run with
//! `cargo bench --bench charts`.

use std::time::Instant;

use chanjiao::charts::{self, Datum, Mark, Shape, Spec};
use rayon::prelude::*;

fn specs(ids: &[String]) -> Vec<Spec<'_>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let base = 10.0 + (i % 97) as f64 * 13.7;
            let shape = if i % 5 == 0 { Shape::Line } else { Shape::Bar };
            let data = (0..7)
                .map(|k| {
                    let v = if shape == Shape::Line {
                        90.0 + (i % 7) as f64 + k as f64 * 0.4
                    } else {
                        base * (1.0 + k as f64 * 0.15)
                    };
                    Datum {
                        category: format!("{}年", 2020 + k),
                        value: v,
                        label: chanjiao::format::fixed(v, 1),
                        mark: if k < 5 { Mark::Actual } else { Mark::Committed },
                    }
                })
                .collect();
            Spec {
                id,
                title: "共建专业",
                unit: "个",
                shape,
                whole: false,
                data,
            }
        })
        .collect()
}

fn main() {
    let ids: Vec<String> = (0..100 * 40).map(|i| format!("chart-{i}")).collect();
    let specs = specs(&ids);
    let draw = |s: &Spec| charts::chart(s).len() + charts::sparkline(s).len();
    // Warm up, then measure: each run draws every chart and its sparkline.
    let _: usize = specs.iter().take(200).map(draw).sum();
    let runs = 3;
    let mut one = Vec::new();
    let mut par = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let bytes: usize = specs.iter().map(draw).sum();
        one.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let bytes_par: usize = specs.par_iter().map(draw).sum();
        par.push(t.elapsed().as_secs_f64());
        assert_eq!(bytes, bytes_par, "the same charts in both runs");
    }
    one.sort_by(f64::total_cmp);
    par.sort_by(f64::total_cmp);
    let n = specs.len() as f64 * 2.0;
    println!(
        "{} charts (4,000 series × chart and sparkline) of 100 consortia, median of {runs} runs:",
        n as usize
    );
    println!(
        "  one thread:  {:.3} s, {:.0} charts/s",
        one[runs / 2],
        n / one[runs / 2]
    );
    println!(
        "  {} threads:  {:.3} s, {:.0} charts/s ({:.2}x)",
        rayon::current_num_threads(),
        par[runs / 2],
        n / par[runs / 2],
        one[runs / 2] / par[runs / 2]
    );
}
