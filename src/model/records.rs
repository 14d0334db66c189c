//! The training ledger (`training.toml`, 培训台账) and the yearly indicators (`indicators.toml`,
//! actual and committed values).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::*;

/// Who a training session served, as the form's two 人日 rows and the school rows split them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[serde(alias = "企业员工")]
    EnterpriseStaff,
    #[serde(alias = "农民工、退役军人、下岗职工等", alias = "社会人员")]
    Social,
    #[serde(alias = "学生")]
    Students,
    #[serde(alias = "教师")]
    Teachers,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::EnterpriseStaff,
        Audience::Social,
        Audience::Students,
        Audience::Teachers,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Audience::EnterpriseStaff => "enterprise_staff",
            Audience::Social => "social",
            Audience::Students => "students",
            Audience::Teachers => "teachers",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Audience::EnterpriseStaff => "企业员工",
            Audience::Social => "农民工、退役军人、下岗职工等",
            Audience::Students => "学生",
            Audience::Teachers => "教师",
        }
    }
}

/// One `[[session]]` of `training.toml` (培训台账).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSession {
    pub date: Spanned<Date>,
    pub title: String,
    pub provider: Spanned<String>,
    pub audience: Audience,
    pub participants: u32,
    pub person_days: Spanned<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct Training {
    pub path: String,
    pub sessions: Vec<TrainingSession>,
}

/// Whether a value was achieved or promised; never to be confused on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Actual,
    Committed,
}

impl Basis {
    /// Both, in the order `indicators.toml` names its sections.
    pub const ALL: [Basis; 2] = [Basis::Actual, Basis::Committed];

    /// The section of `indicators.toml` that holds values of this basis.
    pub fn section(self) -> &'static str {
        match self {
            Basis::Actual => "actual",
            Basis::Committed => "committed",
        }
    }
}

/// One value of one indicator in one year, as written in `indicators.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorEntry {
    pub key: Spanned<String>,
    pub year: i32,
    pub year_span: std::ops::Range<usize>,
    pub value: f64,
    pub value_span: std::ops::Range<usize>,
    pub basis: Basis,
}

/// `indicators.toml`: `[actual]` and `[committed]` values of catalogue keys by year.
#[derive(Debug, Clone, Default)]
pub struct Indicators {
    pub path: String,
    pub entries: Vec<IndicatorEntry>,
}
