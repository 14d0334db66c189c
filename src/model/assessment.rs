//! The self-assessment: the construction indicators of the province (市域产教联合体建设指标,
//! 湘教通〔2024〕23号 附件2) with their observation points, shipped as `src/assessment.toml`, and a
//! consortium's answers (`assessment.toml`): a status and evidence for each point.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// One basic indicator (基本指标) and its observation points (观测点).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub no: String,
    pub name: String,
    /// The negative item (否定性指标): its point asks whether something bad happened.
    #[serde(default)]
    pub negative: bool,
    pub point: Vec<ObservationPoint>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationPoint {
    pub no: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
struct Points {
    indicator: Vec<Indicator>,
}

const BUILT_IN: &str = include_str!("../assessment.toml");

/// The indicators and observation points, in the published order.
pub fn indicators() -> Vec<Indicator> {
    toml::from_str::<Points>(BUILT_IN)
        .expect("the built-in observation points are valid (checked by a unit test)")
        .indicator
}

/// A status of an observation point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[serde(alias = "达成")]
    Achieved,
    #[serde(alias = "部分达成")]
    Partial,
    #[serde(alias = "未达成")]
    NotAchieved,
    #[serde(alias = "不适用")]
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Achieved,
        Status::Partial,
        Status::NotAchieved,
        Status::NotApplicable,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Partial => "partial",
            Status::NotAchieved => "not_achieved",
            Status::NotApplicable => "not_applicable",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Achieved => "达成",
            Status::Partial => "部分达成",
            Status::NotAchieved => "未达成",
            Status::NotApplicable => "不适用",
        }
    }
}

/// `assessment.toml`: `[point."1.1"]` tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    #[serde(default)]
    pub point: BTreeMap<Spanned<String>, Answer>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub status: Spanned<Status>,
    /// Where the point is shown: `indicator:<key>`, `programme:<slug>`, `announcement:<slug>`,
    /// `member:<id>`, `page:<slug>` or `report:<year>`.
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
    #[serde(default)]
    pub note: String,
}

impl Assessment {
    pub fn answer(&self, no: &str) -> Option<&Answer> {
        self.point
            .iter()
            .find(|(k, _)| k.get_ref() == no)
            .map(|(_, a)| a)
    }
}

/// The kinds of evidence, as written before the colon.
pub const EVIDENCE_KINDS: [&str; 6] = [
    "indicator",
    "programme",
    "announcement",
    "member",
    "page",
    "report",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_points_are_the_published_ones() {
        let all = indicators();
        assert_eq!(all.len(), 7);
        let points: Vec<&str> = all
            .iter()
            .flat_map(|i| i.point.iter().map(|p| p.no.as_str()))
            .collect();
        assert_eq!(points.len(), 26);
        assert_eq!(points[0], "1.1");
        assert_eq!(points[25], "7");
        assert!(all[6].negative && !all[0].negative);
    }
}
