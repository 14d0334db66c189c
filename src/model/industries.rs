//! An industry taxonomy: a province's industries by code, and the cities where each is a core
//! (★★★) or key (★★) industry. A province's framework may carry one (Hunan's A1 现代石化 … D4 前沿材料,
//! from 湘教通〔2024〕23号 附件1); a consortium or a site gives its own in `industries.toml`.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    pub province: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub cities: Vec<String>,
    #[serde(default)]
    pub group: Vec<IndustryGroup>,
    pub industry: Vec<Industry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryGroup {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub code: String,
    pub name: String,
    /// Cities where it is a core industry (★★★).
    #[serde(default)]
    pub core: Vec<String>,
    /// Cities where it is a key industry (★★).
    #[serde(default)]
    pub key: Vec<String>,
}

impl Taxonomy {
    pub fn get(&self, code: &str) -> Option<&Industry> {
        self.industry.iter().find(|i| i.code == code)
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.industry.iter().map(|i| i.code.as_str())
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn hunan_has_four_groups_of_four() {
        let hunan = crate::model::framework::Framework::built_in().remove(1);
        let t = hunan.taxonomy.unwrap();
        assert_eq!(t.group.len(), 4);
        assert_eq!(t.industry.len(), 16);
        assert_eq!(t.cities.len(), 14);
        assert_eq!(t.get("A1").map(|i| i.name.as_str()), Some("现代石化"));
        assert_eq!(t.get("D4").map(|i| i.name.as_str()), Some("前沿材料"));
        // 文化旅游 is laid out in every city (14 in the table's count column).
        let b4 = t.get("B4").unwrap();
        assert_eq!(b4.core.len() + b4.key.len(), 14);
    }
}
