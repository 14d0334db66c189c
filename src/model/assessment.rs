//! The self-assessment: a framework's indicators with their observation points (its
//! `assessment.toml`, see [`super::framework`]), and a consortium's answers (its own
//! `assessment.toml`): a status and evidence for each point of each framework it reports under.

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
    /// The governing bodies the point asks for (理事会 …): shown as its evidence, and missing
    /// ones reported by `check`.
    #[serde(default)]
    pub bodies: Vec<Spanned<super::BodyKind>>,
    /// Catalogue keys of the figures that show the point, linked as its evidence.
    #[serde(default)]
    pub indicators: Vec<Spanned<String>>,
    /// The point asks for 实体化运作: the consortium's `[operation]` is its evidence, and a
    /// consortium without one is reported by `check`.
    #[serde(default)]
    pub operation: bool,
}

/// A framework's `assessment.toml`: its indicators in the published order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    pub indicator: Vec<Indicator>,
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

/// A consortium's `assessment.toml`: a table per framework, a table per point in it
/// (`[moe-2024."1.1"]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Assessment {
    pub frameworks: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Answer>>,
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
    /// The answers to framework `id`'s points, when the file has a table for it.
    pub fn of(&self, id: &str) -> Option<&BTreeMap<Spanned<String>, Answer>> {
        self.frameworks
            .iter()
            .find(|(k, _)| k.get_ref() == id)
            .map(|(_, a)| a)
    }

    /// The answer to point `no` of framework `id`.
    pub fn answer(&self, id: &str, no: &str) -> Option<&Answer> {
        self.of(id)?
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
