//! A consortium's profile (`consortium.toml`) and its members (`members.toml`): kinds, leads,
//! secretariat, governing bodies and seats, levels, recognitions, targets and phases.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::*;

/// The six kinds of member in the recommendation form's 联合体成员情况 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    #[serde(alias = "中职学校", alias = "中职")]
    SecondaryVocational,
    #[serde(
        alias = "高职院校（含职教本科）",
        alias = "高职院校",
        alias = "职教本科"
    )]
    HigherVocational,
    #[serde(alias = "普通本科学校", alias = "本科学校")]
    Undergraduate,
    #[serde(alias = "政府部门")]
    Government,
    #[serde(alias = "企业")]
    Enterprise,
    #[serde(alias = "科研机构")]
    Research,
}

impl MemberKind {
    pub const ALL: [MemberKind; 6] = [
        MemberKind::SecondaryVocational,
        MemberKind::HigherVocational,
        MemberKind::Undergraduate,
        MemberKind::Government,
        MemberKind::Enterprise,
        MemberKind::Research,
    ];
    pub fn key(self) -> &'static str {
        match self {
            MemberKind::SecondaryVocational => "secondary_vocational",
            MemberKind::HigherVocational => "higher_vocational",
            MemberKind::Undergraduate => "undergraduate",
            MemberKind::Government => "government",
            MemberKind::Enterprise => "enterprise",
            MemberKind::Research => "research",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MemberKind::SecondaryVocational => "中职学校",
            MemberKind::HigherVocational => "高职院校（含职教本科）",
            MemberKind::Undergraduate => "普通本科学校",
            MemberKind::Government => "政府部门",
            MemberKind::Enterprise => "企业",
            MemberKind::Research => "科研机构",
        }
    }
    pub fn is_school(self) -> bool {
        matches!(
            self,
            MemberKind::SecondaryVocational
                | MemberKind::HigherVocational
                | MemberKind::Undergraduate
        )
    }
}

/// One `[[member]]` of `members.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: Spanned<String>,
    pub name: String,
    pub short_name: Option<String>,
    /// Other names readers know the unit by (湖北职院 for 湖北职业技术学院): search finds the
    /// member by any of them.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: MemberKind,
    /// Enrolled students (在校生数); schools only.
    pub students: Option<Spanned<u32>>,
    pub joined: Option<Spanned<Date>>,
    pub website: Option<Spanned<String>>,
    /// 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.
    pub credit_code: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The codes of the industries it works in, in the province's taxonomy.
    #[serde(default)]
    pub industry_codes: Vec<Spanned<String>>,
    #[serde(default)]
    pub description: String,
}

/// `members.toml`.
#[derive(Debug, Clone, Default)]
pub struct Members {
    pub path: String,
    pub list: Vec<Member>,
    /// Ids of `[[member]]` records that could not be read (already reported).
    pub unreadable_ids: Vec<String>,
    /// The file could not be read at all (already reported): references cannot be checked.
    pub unreadable: bool,
}

impl Members {
    /// Whether a reference to `id` cannot be judged because its record had errors of its own.
    pub fn is_unknowable(&self, id: &str) -> bool {
        self.unreadable || self.unreadable_ids.iter().any(|u| u == id)
    }
}

/// A lead unit of the consortium: a member id, or a name when the unit is not a member.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lead {
    pub member: Option<Spanned<String>>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leads {
    pub park: Spanned<Lead>,
    pub school: Spanned<Lead>,
    pub enterprise: Spanned<Lead>,
}

/// `[operation]`: 实体化运作 (湘教通〔2024〕23号 附件2 2.2, 教职成厅函〔2024〕20号 二): the entity that
/// runs the consortium day to day, its legal form, and the property-right arrangements (产权明晰).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The operating entity (实体化运行机构): a centre, a company, the secretariat itself.
    pub entity: String,
    /// Its legal form: 事业单位, 企业法人, 社会服务机构, or 非法人（协议） for one set up by agreement.
    #[serde(default)]
    pub legal_form: String,
    /// When it was registered or set up.
    pub registered: Option<Spanned<Date>>,
    /// 集中办公: the leads and the secretariat work from one office.
    #[serde(default)]
    pub shared_office: bool,
    /// 产权安排: who owns what is built together, and how proceeds are shared.
    #[serde(default)]
    pub property_rights: String,
}

/// The secretariat (秘书处): host member, office and staff, as the form's 概况 table asks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secretariat {
    pub host: Option<Spanned<String>>,
    /// Fixed office area in m²; many founding notices do not give it (shown 未填报).
    pub office_area: Option<Spanned<f64>>,
    /// Full-time and part-time staff; either may be unknown (shown 未填报).
    pub full_time_staff: Option<u32>,
    pub part_time_staff: Option<u32>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    #[serde(alias = "理事会")]
    Council,
    #[serde(alias = "领导小组")]
    LeadershipGroup,
    /// 秘书处 or 办公室 (such as the leadership group's office).
    #[serde(alias = "办公室", alias = "秘书处")]
    Office,
    #[serde(alias = "执行机构")]
    Executive,
    #[serde(alias = "专门委员会")]
    Committee,
    #[serde(alias = "工作专班")]
    TaskForce,
}

impl BodyKind {
    pub const ALL: [BodyKind; 6] = [
        BodyKind::Council,
        BodyKind::LeadershipGroup,
        BodyKind::Office,
        BodyKind::Executive,
        BodyKind::Committee,
        BodyKind::TaskForce,
    ];
    pub fn key(self) -> &'static str {
        match self {
            BodyKind::Council => "council",
            BodyKind::LeadershipGroup => "leadership_group",
            BodyKind::Office => "office",
            BodyKind::Executive => "executive",
            BodyKind::Committee => "committee",
            BodyKind::TaskForce => "task_force",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            BodyKind::Council => "理事会",
            BodyKind::LeadershipGroup => "领导小组",
            BodyKind::Office => "办公室（秘书处）",
            BodyKind::Executive => "执行机构",
            BodyKind::Committee => "专门委员会",
            BodyKind::TaskForce => "工作专班",
        }
    }
}

/// A governing body (理事会 or 领导小组) and its seats in published order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub kind: BodyKind,
    pub name: String,
    /// Closing notes as published, e.g. where the office sits.
    #[serde(default)]
    pub note: String,
    /// The day it was set up (elected, appointed): the day its seats date from unless a seat
    /// gives its own `start`.
    pub established: Option<Spanned<Date>>,
    /// 筹建 for a body still being set up (a 理事会 the founding notice plans); set up when not
    /// given.
    pub status: Option<Spanned<BodyStatus>>,
    #[serde(default, rename = "seat")]
    pub seats: Vec<Seat>,
}

/// Whether a body is set up or still being set up (筹建).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyStatus {
    #[serde(alias = "已成立")]
    Established,
    #[serde(alias = "筹建", alias = "筹建中")]
    Planned,
}

impl BodyStatus {
    pub const ALL: [BodyStatus; 2] = [BodyStatus::Established, BodyStatus::Planned];
    pub fn key(self) -> &'static str {
        match self {
            BodyStatus::Established => "established",
            BodyStatus::Planned => "planned",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            BodyStatus::Established => "已成立",
            BodyStatus::Planned => "筹建",
        }
    }
}

impl Body {
    /// Whether it is still being set up (筹建).
    pub fn planned(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(|s| *s.get_ref() == BodyStatus::Planned)
    }
}

/// One person's seat: role in the body (组长, 副组长, 理事长 …), their post and organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seat {
    pub role: String,
    /// The holder; a notice may name the post and not yet the person (shown 待定).
    pub name: Option<String>,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub organisation: String,
    pub member: Option<Spanned<String>>,
    /// From when the holder sits, and until when: a replaced holder keeps the seat's history
    /// (the successor from the same unit takes the seat without a new document, 不另行文).
    pub start: Option<Spanned<Date>>,
    pub end: Option<Spanned<Date>>,
}

impl Seat {
    /// The holder's name, or 待定 when the notice names none yet.
    pub fn holder(&self) -> &str {
        self.name.as_deref().unwrap_or(TO_BE_DECIDED)
    }
    /// Whether the holder sits on `day`.
    pub fn holds_on(&self, day: Date) -> bool {
        self.start.as_ref().is_none_or(|s| *s.get_ref() <= day)
            && self.end.as_ref().is_none_or(|e| *e.get_ref() >= day)
    }
}

/// What a seat, an owner or a date not yet decided reads as.
pub const TO_BE_DECIDED: &str = "待定";

/// The level of a consortium (市级, 省级培育, 省级, 国家级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsortiumLevel {
    #[serde(alias = "市级")]
    City,
    #[serde(alias = "省级培育")]
    ProvinceCandidate,
    #[serde(alias = "省级")]
    Province,
    #[serde(alias = "国家级")]
    National,
}

impl ConsortiumLevel {
    pub fn label(self) -> &'static str {
        match self {
            ConsortiumLevel::City => "市级",
            ConsortiumLevel::ProvinceCandidate => "省级培育",
            ConsortiumLevel::Province => "省级",
            ConsortiumLevel::National => "国家级",
        }
    }
}

/// A recognition of the consortium at a level, by a document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    pub level: ConsortiumLevel,
    /// The document, such as 教职成厅函〔2023〕23号 (checked like a 发文字号).
    pub document: Option<Spanned<String>>,
    pub date: Spanned<Date>,
}

/// The level the consortium aims at, and by when.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub level: ConsortiumLevel,
    pub by: Spanned<Date>,
}

/// A phase of the construction plan (e.g. 第一阶段 打基础、建机制).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub name: String,
    pub start: Spanned<Date>,
    pub end: Spanned<Date>,
    #[serde(default)]
    pub goals: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConsortiumKind {
    #[default]
    #[serde(alias = "市域产教联合体")]
    City,
    #[serde(alias = "县域产教联合体")]
    County,
    #[serde(alias = "行业产教融合共同体")]
    Industry,
}

impl ConsortiumKind {
    pub const ALL: [ConsortiumKind; 3] = [
        ConsortiumKind::City,
        ConsortiumKind::County,
        ConsortiumKind::Industry,
    ];
    pub fn key(self) -> &'static str {
        match self {
            ConsortiumKind::City => "city",
            ConsortiumKind::County => "county",
            ConsortiumKind::Industry => "industry",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ConsortiumKind::City => "市域产教联合体",
            ConsortiumKind::County => "县域产教联合体",
            ConsortiumKind::Industry => "行业产教融合共同体",
        }
    }
}

/// `consortium.toml`: the profile (联合体概况).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub short_name: String,
    #[serde(default)]
    pub kind: ConsortiumKind,
    #[serde(default)]
    pub region: String,
    pub founded: Spanned<Date>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub industries: Vec<String>,
    /// The codes of its industries in the province's taxonomy (产教对接图谱).
    #[serde(default)]
    pub industry_codes: Vec<Spanned<String>>,
    /// 依托园区: the industrial park it is built on (the lead park is its management committee).
    pub park: Option<String>,
    pub leads: Leads,
    pub secretariat: Option<Secretariat>,
    /// 实体化运作: the entity that runs it and who owns what it builds.
    pub operation: Option<Operation>,
    #[serde(default, rename = "body")]
    pub bodies: Vec<Body>,
    #[serde(default, rename = "phase")]
    pub phases: Vec<Phase>,
    /// Its level now, its recognitions, and the level it aims at.
    pub level: Option<ConsortiumLevel>,
    #[serde(default)]
    pub recognition: Vec<Recognition>,
    pub target: Option<Target>,
    /// Whether `programmes/` registers every co-built programme (共建项目台账完整), so that the
    /// counts in `indicators.toml` can be checked against it. Off by default: many sites show
    /// only their flagship programmes.
    #[serde(default)]
    pub complete_register: bool,
    /// The frameworks it reports under (`moe-2024`, `hunan-2024`, or a site's own), in the order
    /// its pages list them; the national one when it names none.
    #[serde(default)]
    pub frameworks: Vec<Spanned<String>>,
}

impl Profile {
    /// The ids of the frameworks it reports under.
    pub fn framework_ids(&self) -> impl Iterator<Item = &str> {
        let named = self.frameworks.iter().map(|f| f.get_ref().as_str());
        let national = self
            .frameworks
            .is_empty()
            .then_some(super::framework::NATIONAL);
        named.chain(national)
    }

    /// Stands in for a `consortium.toml` that could not be read (see `Consortium::profile`).
    pub fn placeholder() -> Profile {
        let lead = || {
            Spanned::new(
                0..0,
                Lead {
                    member: None,
                    name: None,
                },
            )
        };
        Profile {
            industry_codes: Vec::new(),
            park: None,
            operation: None,
            level: None,
            recognition: Vec::new(),
            target: None,
            complete_register: false,
            frameworks: Vec::new(),
            name: String::new(),
            short_name: String::new(),
            kind: ConsortiumKind::default(),
            region: String::new(),
            founded: Spanned::new(0..0, Date(chrono::NaiveDate::MIN)),
            description: String::new(),
            industries: Vec::new(),
            leads: Leads {
                park: lead(),
                school: lead(),
                enterprise: lead(),
            },
            secretariat: None,
            bodies: Vec::new(),
            phases: Vec::new(),
        }
    }
}
