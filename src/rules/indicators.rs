//! The rules of `indicators.toml`: known keys, values of their kind, actual values up to the
//! report year and committed values after it.

use super::*;

/// `unknown-indicator`, `value-nan`, `value-infinite`, `value-not-count`, `value-not-percent`,
/// `value-negative`, `value-decimals`, `value-too-large`, `actual-in-future`, `committed-in-past`.
pub(super) fn indicators(ctx: &mut Ctx) {
    let (c, facts) = (ctx.c, ctx.facts);
    let ind_path = c.indicators.path.as_str();
    // A form commits figures for its application year and the next (说明三): those
    // commitments stand as filed after the years have passed.
    let filed: Vec<(&str, i32)> = facts
        .frameworks
        .of(c)
        .flat_map(|f| crate::figures::form::commitments(f))
        .collect();
    for e in &c.indicators.entries {
        let key = e.key.get_ref().as_str();
        let catalogue = facts.catalogue;
        let Some(def) = catalogue.get(key) else {
            if !facts.catalogue_complete {
                continue;
            }
            unknown_indicator(ctx, catalogue, ind_path, &e.key);
            continue;
        };
        let (v, year, name, unit) = (e.value, e.year, &def.name, &def.unit);
        let problem = if v.is_nan() {
            Some(rule!("check.value_nan", key, year))
        } else if v.is_infinite() {
            Some(rule!("check.value_infinite", key, year))
        } else {
            match def.kind {
                ValueKind::Count | ValueKind::Amount if v > def.max_value() => {
                    let max = crate::format::fixed(def.max_value(), 0);
                    let v = format!("{v:e}");
                    Some(rule!(
                        "check.value_too_large",
                        key,
                        year,
                        v,
                        name,
                        unit,
                        max
                    ))
                }
                ValueKind::Count if v < 0.0 || v.fract() != 0.0 => {
                    Some(rule!("check.value_not_count", key, year, v, name, unit))
                }
                ValueKind::Percent if !(0.0..=100.0).contains(&v) => {
                    Some(rule!("check.value_not_percent", key, year, v, name))
                }
                ValueKind::Amount if v < 0.0 => {
                    Some(rule!("check.value_negative", key, year, v, name, unit))
                }
                ValueKind::Amount
                    if matches!(unit.as_str(), "人日" | "人月")
                        && ((v * 10.0).round() - v * 10.0).abs() > 1e-6 =>
                {
                    Some(rule!("check.value_decimals", key, year, v, name, unit))
                }
                _ => None,
            }
        };
        if let Some(p) = problem {
            ctx.error(ind_path, e.value_span.clone(), p);
        }
        let Some(report_year) = facts.report_year else {
            continue;
        };
        match e.basis {
            Basis::Actual if e.year > report_year => {
                ctx.error(
                    ind_path,
                    e.year_span.clone(),
                    rule!("check.actual_in_future", key, year = e.year, report_year),
                );
            }
            Basis::Committed if e.year <= report_year && !filed.contains(&(key, e.year)) => {
                ctx.error(
                    ind_path,
                    e.year_span.clone(),
                    rule!("check.committed_in_past", key, year = e.year, report_year),
                );
            }
            _ => {}
        }
    }
}
