//! The indicator catalogue: stable keys, Chinese names, units, value kinds and groups of the
//! recommendation form's tables. The built-in catalogue is compiled into the binary from
//! `src/catalogue.toml`; a site may add groups and indicators in `site.toml`. Order is the form's.

use serde::{Deserialize, Serialize};

/// How an indicator's values are checked: counts are whole numbers ≥ 0, amounts decimals ≥ 0,
/// percents lie in 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Count,
    Amount,
    Percent,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    pub name: String,
    #[serde(default)]
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub unit: String,
    pub kind: ValueKind,
    pub group: String,
    /// The document that names the indicator, where it is not the recommendation form.
    #[serde(default)]
    pub source: String,
    /// How many decimals every page prints; see `decimals()` for the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
}

impl IndicatorDef {
    /// Decimals printed for this indicator: as set, or by unit and kind (a percentage one; an
    /// amount in 万元 or 亿元 two; one in 人月 or 人日 one; a count none).
    /// The largest value any real consortium could report in this unit: ten trillion yuan, a
    /// billion people or days, 100%. Anything larger is a slip (a misplaced digit, an exponent),
    /// and refusing it keeps every chart axis and every total finite.
    pub fn max_value(&self) -> f64 {
        match (self.kind, self.unit.as_str()) {
            (ValueKind::Percent, _) => 100.0,
            (_, "亿元") => 1e5,
            (_, "万元") => 1e9,
            (_, "元") => 1e13,
            _ => 1e9,
        }
    }

    pub fn decimals(&self) -> usize {
        if let Some(d) = self.decimals {
            return usize::from(d.min(6));
        }
        match (self.kind, self.unit.as_str()) {
            (ValueKind::Percent, _) => 1,
            (ValueKind::Count, _) => 0,
            (ValueKind::Amount, "人月" | "人日") => 1,
            (ValueKind::Amount, _) => 2,
        }
    }
}

/// Groups and indicators in display order.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub groups: Vec<(String, GroupDef)>,
    pub indicators: Vec<(String, IndicatorDef)>,
}

const BUILT_IN: &str = include_str!("../catalogue.toml");

impl Catalogue {
    /// The catalogue compiled into the binary.
    pub fn built_in() -> Catalogue {
        // Parsed once: a preview asks for it on every rebuild.
        static PARSED: std::sync::LazyLock<Catalogue> = std::sync::LazyLock::new(|| {
            Catalogue::parse(BUILT_IN)
                .expect("the built-in catalogue is valid (checked by a unit test)")
        });
        PARSED.clone()
    }

    fn parse(text: &str) -> Result<Catalogue, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
        let section = |name: &str| -> Result<toml::Table, String> {
            match table.get(name) {
                Some(toml::Value::Table(t)) => Ok(t.clone()),
                _ => Err(format!("missing [{name}]")),
            }
        };
        let mut cat = Catalogue::default();
        for (key, value) in section("groups")? {
            let def: GroupDef = value.try_into().map_err(|e| format!("{key}: {e}"))?;
            cat.groups.push((key, def));
        }
        for (key, value) in section("indicators")? {
            let def: IndicatorDef = value.try_into().map_err(|e| format!("{key}: {e}"))?;
            if cat.group(&def.group).is_none() {
                return Err(format!("{key}: unknown group {}", def.group));
            }
            cat.indicators.push((key, def));
        }
        Ok(cat)
    }

    pub fn get(&self, key: &str) -> Option<&IndicatorDef> {
        self.indicators
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, d)| d)
    }

    pub fn group(&self, key: &str) -> Option<&GroupDef> {
        self.groups.iter().find(|(k, _)| k == key).map(|(_, d)| d)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.indicators.iter().map(|(k, _)| k.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_catalogue_parses_in_form_order() {
        let cat = Catalogue::built_in();
        assert_eq!(cat.groups[0].0, "overview");
        assert_eq!(cat.indicators[0].0, "operating_funds");
        assert!(cat.indicators.len() >= 40);
        let rate = cat.get("employment_rate").unwrap();
        assert_eq!((rate.unit.as_str(), rate.kind), ("%", ValueKind::Percent));
    }
}
