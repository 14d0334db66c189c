//! Co-built programmes (`programmes/<slug>.md`, 共建项目): kinds, statuses, levels and 五金.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::*;

/// The kinds of co-built programme in the form and the Ministry notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    #[serde(alias = "共建专业", alias = "专业")]
    Major,
    #[serde(alias = "共建课程", alias = "课程")]
    Course,
    #[serde(alias = "共建教材", alias = "教材")]
    Textbook,
    #[serde(alias = "共建实训基地", alias = "实训基地")]
    TrainingBase,
    #[serde(alias = "共建产业学院", alias = "产业学院")]
    IndustryCollege,
    #[serde(alias = "学徒制班")]
    ApprenticeshipClass,
    #[serde(alias = "现场工程师班")]
    FieldEngineerClass,
    #[serde(alias = "订单班")]
    OrderClass,
    #[serde(alias = "技术服务平台")]
    ServicePlatform,
    #[serde(alias = "大师工作室")]
    MasterStudio,
}

impl ProgrammeKind {
    pub const ALL: [ProgrammeKind; 10] = [
        ProgrammeKind::Major,
        ProgrammeKind::Course,
        ProgrammeKind::Textbook,
        ProgrammeKind::TrainingBase,
        ProgrammeKind::IndustryCollege,
        ProgrammeKind::ApprenticeshipClass,
        ProgrammeKind::FieldEngineerClass,
        ProgrammeKind::OrderClass,
        ProgrammeKind::ServicePlatform,
        ProgrammeKind::MasterStudio,
    ];
    pub fn key(self) -> &'static str {
        match self {
            ProgrammeKind::Major => "major",
            ProgrammeKind::Course => "course",
            ProgrammeKind::Textbook => "textbook",
            ProgrammeKind::TrainingBase => "training_base",
            ProgrammeKind::IndustryCollege => "industry_college",
            ProgrammeKind::ApprenticeshipClass => "apprenticeship_class",
            ProgrammeKind::FieldEngineerClass => "field_engineer_class",
            ProgrammeKind::OrderClass => "order_class",
            ProgrammeKind::ServicePlatform => "service_platform",
            ProgrammeKind::MasterStudio => "master_studio",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ProgrammeKind::Major => "共建专业",
            ProgrammeKind::Course => "共建课程",
            ProgrammeKind::Textbook => "共建教材",
            ProgrammeKind::TrainingBase => "共建实训基地",
            ProgrammeKind::IndustryCollege => "共建产业学院",
            ProgrammeKind::ApprenticeshipClass => "学徒制班",
            ProgrammeKind::FieldEngineerClass => "现场工程师班",
            ProgrammeKind::OrderClass => "订单班",
            ProgrammeKind::ServicePlatform => "技术服务平台",
            ProgrammeKind::MasterStudio => "大师工作室",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStatus {
    #[serde(alias = "筹建")]
    Planned,
    #[serde(alias = "在建")]
    Building,
    #[serde(alias = "建成")]
    Completed,
    #[serde(alias = "认定")]
    Accredited,
}

impl ProgrammeStatus {
    pub const ALL: [ProgrammeStatus; 4] = [
        ProgrammeStatus::Planned,
        ProgrammeStatus::Building,
        ProgrammeStatus::Completed,
        ProgrammeStatus::Accredited,
    ];
    pub fn key(self) -> &'static str {
        match self {
            ProgrammeStatus::Planned => "planned",
            ProgrammeStatus::Building => "building",
            ProgrammeStatus::Completed => "completed",
            ProgrammeStatus::Accredited => "accredited",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ProgrammeStatus::Planned => "筹建",
            ProgrammeStatus::Building => "在建",
            ProgrammeStatus::Completed => "建成",
            ProgrammeStatus::Accredited => "认定",
        }
    }
}

impl ProgrammeMeta {
    /// 金专业, 金课程, 金教材 or 金基地, when the programme is marked as one of the 五金.
    pub fn gold_designation(&self) -> Option<&'static str> {
        self.kind.gold().filter(|_| *self.gold.get_ref())
    }
}

fn not_gold() -> Spanned<bool> {
    Spanned::new(0..0, false)
}

/// The level a programme was recognised at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    #[serde(alias = "校级")]
    School,
    #[serde(alias = "市级")]
    City,
    #[serde(alias = "省级")]
    Province,
    #[serde(alias = "国家级")]
    National,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::School, Level::City, Level::Province, Level::National];
    pub fn label(self) -> &'static str {
        match self {
            Level::School => "校级",
            Level::City => "市级",
            Level::Province => "省级",
            Level::National => "国家级",
        }
    }
}

impl ProgrammeKind {
    /// The 五金 designation a programme of this kind can carry, if any.
    pub fn gold(self) -> Option<&'static str> {
        match self {
            ProgrammeKind::Major => Some("金专业"),
            ProgrammeKind::Course => Some("金课程"),
            ProgrammeKind::Textbook => Some("金教材"),
            ProgrammeKind::TrainingBase => Some("金基地"),
            _ => None,
        }
    }
}

/// Front matter of `programmes/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeMeta {
    pub title: String,
    pub kind: ProgrammeKind,
    pub partners: Spanned<Vec<Spanned<String>>>,
    pub start_year: Spanned<i32>,
    pub status: ProgrammeStatus,
    /// The day building started (开工, 开班), in `start_year`; dates it in a quarterly report.
    pub started: Option<Spanned<Date>>,
    /// The day it was completed (建成) or accredited (认定).
    pub completed: Option<Spanned<Date>>,
    /// 五金: a 金专业, 金课程, 金教材 or 金基地, by the programme's kind.
    #[serde(default = "not_gold")]
    pub gold: Spanned<bool>,
    /// The level it was recognised at (校级, 市级, 省级, 国家级).
    pub level: Option<Spanned<Level>>,
    /// The year the 五金 designation or the level was awarded.
    pub awarded: Option<Spanned<i32>>,
    /// The codes of the industries it serves, in the province's taxonomy.
    #[serde(default)]
    pub industry_codes: Vec<Spanned<String>>,
    #[serde(default)]
    pub summary: String,
    pub slug: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Programme {
    pub path: String,
    pub slug: String,
    pub meta: ProgrammeMeta,
    /// The Markdown after the front matter; emptied once rendered (`render::release_bodies`).
    pub body: crate::source::Text,
    pub body_offset: usize,
}
