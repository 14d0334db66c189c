//! The typed domain of a consortium reporting site, as read from `content/`. Plain data, no I/O.
//! Fields a rule may need to point at are `Spanned` (byte offsets into their own file).
//!
//! Glossary: 联合体 → Consortium; 成员单位 → Member; 牵头单位 → lead (park, school, enterprise);
//! 秘书处 → Secretariat; 理事会 → council; 领导小组 → leadership group; 共建项目 → Programme;
//! 培训 → TrainingSession; 人日 → person-days; 指标 → indicator; 实际 → actual; 承诺 → committed;
//! 成果公告 → Announcement; 填报年度 → report year.

pub mod catalogue;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

pub use catalogue::{Catalogue, GroupDef, IndicatorDef, ValueKind};

pub mod assessment;
pub mod industries;

/// A calendar date that really exists (TOML `2024-02-30` is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl Date {
    pub fn year(&self) -> i32 {
        chrono::Datelike::year(&self.0)
    }
    /// ISO 8601, `2024-03-12`.
    pub fn iso(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
    /// 1 January of `year` (`None` for a year no calendar date has).
    pub fn year_start(year: i32) -> Option<Date> {
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).map(Date)
    }
    /// 31 December of `year`: the day a year's figures stand at.
    pub fn year_end(year: i32) -> Option<Date> {
        chrono::NaiveDate::from_ymd_opt(year, 12, 31).map(Date)
    }
    /// The form used in Chinese official documents: `2024年3月12日`, no zero padding.
    pub fn chinese(&self) -> String {
        use chrono::Datelike;
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let dt = toml::value::Datetime::deserialize(d)?;
        let (Some(date), None, None) = (dt.date, dt.time, dt.offset) else {
            return Err(D::Error::custom(format!(
                "expected a date such as 2024-03-12, found `{dt}`"
            )));
        };
        chrono::NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
            .map(Date)
            .ok_or_else(|| D::Error::custom(msg!("toml.impossible_date", date)))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// `content/site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// The year whose 12月31日 closes the latest actual figures; later years may only be committed.
    pub report_year: Spanned<i32>,
    /// Shows a banner saying the figures are illustrative, not official.
    #[serde(default)]
    pub illustrative: bool,
    /// A theme folder under `themes/`; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub accessibility: AccessibilityConfig,
    #[serde(default)]
    pub announcements: AnnouncementsConfig,
    /// Groups added to the built-in catalogue.
    #[serde(default)]
    pub groups: BTreeMap<String, GroupDef>,
    /// Indicators added to the built-in catalogue.
    #[serde(default)]
    pub indicators: BTreeMap<String, Spanned<IndicatorDef>>,
}

/// The site's `language` when `site.toml` gives none.
pub fn default_language() -> String {
    "zh-CN".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

/// `[accessibility]` of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityConfig {
    /// Also build every page under `elder/` in large type and high contrast (长辈模式, the rules
    /// for older users of public websites), linked from every page. On by default.
    #[serde(default = "yes")]
    pub elder: bool,
}

impl Default for AccessibilityConfig {
    fn default() -> Self {
        AccessibilityConfig { elder: true }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written (trusted authors only). Off: it is sanitised.
    #[serde(default)]
    pub allow_html: bool,
}

/// Front matter of `index.md` and `pages/*.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Overrides the file name as the page's URL segment.
    pub slug: Option<Spanned<String>>,
    /// Menu order; lower first, then by slug.
    #[serde(default)]
    pub weight: i32,
}

/// A free page or the home text: front matter plus the Markdown body (byte range into its file).
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub slug: String,
    pub meta: PageMeta,
    pub body: String,
    /// Byte offset of the body in the file, for positions of warnings found while rendering.
    pub body_offset: usize,
}

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
    pub kind: MemberKind,
    /// Enrolled students (在校生数); schools only.
    pub students: Option<Spanned<u32>>,
    pub joined: Option<Spanned<Date>>,
    pub website: Option<String>,
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

/// The secretariat (秘书处): host member, office and staff, as the form's 概况 table asks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secretariat {
    pub host: Option<Spanned<String>>,
    /// Fixed office area in m².
    pub office_area: Spanned<f64>,
    pub full_time_staff: u32,
    pub part_time_staff: u32,
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
    #[serde(default, rename = "seat")]
    pub seats: Vec<Seat>,
}

/// One person's seat: role in the body (组长, 副组长, 理事长 …), their post and organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seat {
    pub role: String,
    pub name: String,
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
    /// Whether the holder sits on `day`.
    pub fn holds_on(&self, day: Date) -> bool {
        self.start.as_ref().is_none_or(|s| *s.get_ref() <= day)
            && self.end.as_ref().is_none_or(|e| *e.get_ref() >= day)
    }
}

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
    pub leads: Leads,
    pub secretariat: Option<Secretariat>,
    #[serde(default, rename = "body")]
    pub bodies: Vec<Body>,
    #[serde(default, rename = "phase")]
    pub phases: Vec<Phase>,
    /// Its level now, its recognitions, and the level it aims at.
    pub level: Option<ConsortiumLevel>,
    #[serde(default)]
    pub recognition: Vec<Recognition>,
    pub target: Option<Target>,
}

impl Profile {
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
            level: None,
            recognition: Vec::new(),
            target: None,
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
    pub body: String,
    pub body_offset: usize,
}

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

/// One value in a series: a year, a value and its basis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observation {
    pub year: i32,
    pub value: f64,
    pub basis: Basis,
}

/// `indicators.toml`: `[actual]` and `[committed]` values of catalogue keys by year.
#[derive(Debug, Clone, Default)]
pub struct Indicators {
    pub path: String,
    pub entries: Vec<IndicatorEntry>,
}

impl Indicators {
    /// Values of one indicator, sorted by year, actual before committed within a year.
    pub fn series(&self, key: &str) -> Vec<Observation> {
        let mut out: Vec<Observation> = self
            .entries
            .iter()
            .filter(|e| e.key.get_ref() == key)
            .map(|e| Observation {
                year: e.year,
                value: e.value,
                basis: e.basis,
            })
            .collect();
        out.sort_by_key(|o| (o.year, o.basis));
        out
    }

    /// The keys that have values, sorted.
    pub fn keys(&self) -> std::collections::BTreeSet<&str> {
        self.entries
            .iter()
            .map(|e| e.key.get_ref().as_str())
            .collect()
    }
}

/// Front matter of `announcements/<slug>.md` (公告: 成果公告, 季度通报, 年度总结 …).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementMeta {
    pub title: String,
    /// 发布日期: the day it was published.
    pub date: Spanned<Date>,
    /// The day of the last substantive change, when it was corrected after publication.
    pub updated: Option<Spanned<Date>>,
    /// One of the built-in categories or those of `[announcements]` in `site.toml`;
    /// [`DEFAULT_CATEGORY`] when absent.
    pub category: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    /// 发文字号, for an official document: 机关代字〔YYYY〕N号.
    pub doc_number: Option<Spanned<String>>,
    /// 发文机关: one, or several for a joint issue.
    pub issuer: Option<Issuers>,
    /// 成文日期.
    pub written: Option<Spanned<Date>>,
    /// 附件, in order: files beside the Markdown, shipped with the page.
    #[serde(default)]
    pub attachments: Vec<AttachmentMeta>,
}

/// `issuer = "…"` or `issuer = ["…", "…"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Issuers {
    One(String),
    Many(Vec<String>),
}

impl Issuers {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Issuers::One(s) => vec![s.as_str()],
            Issuers::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// One entry of `attachments`: its title and its file, relative to the announcement's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentMeta {
    pub title: String,
    pub file: Spanned<String>,
}

/// An attachment that was found: its number (附件1 …), title, file name and bytes.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub no: usize,
    pub title: String,
    /// The file name, as it is published beside the page.
    pub name: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// The category of an announcement that names none.
pub const DEFAULT_CATEGORY: &str = "成果公告";

/// The built-in categories: name and URL segment.
pub const CATEGORIES: [(&str, &str); 5] = [
    ("成果公告", "achievements"),
    ("季度通报", "quarterly"),
    ("年度总结", "annual"),
    ("工作动态", "news"),
    ("通知公告", "notices"),
];

/// `[announcements]` of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementsConfig {
    /// Announcements per list page.
    #[serde(default = "default_page_size")]
    pub page_size: Spanned<usize>,
    /// Entries per Atom feed, newest first.
    #[serde(default = "default_feed_size")]
    pub feed_size: Spanned<usize>,
    /// Categories added to the built-in ones.
    #[serde(default)]
    pub categories: Vec<CategoryDef>,
}

fn default_page_size() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}

fn default_feed_size() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}

impl Default for AnnouncementsConfig {
    fn default() -> Self {
        AnnouncementsConfig {
            page_size: default_page_size(),
            feed_size: default_feed_size(),
            categories: Vec::new(),
        }
    }
}

/// A category a site adds: its name and its URL segment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    pub name: Spanned<String>,
    pub slug: Spanned<String>,
}

impl SiteConfig {
    /// Every category, built-in first: (name, URL segment).
    pub fn categories(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = CATEGORIES.to_vec();
        for c in &self.announcements.categories {
            if !out.iter().any(|(n, _)| *n == c.name.get_ref()) {
                out.push((c.name.get_ref(), c.slug.get_ref()));
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Announcement {
    pub path: String,
    pub slug: String,
    pub meta: AnnouncementMeta,
    pub body: String,
    pub body_offset: usize,
    pub attachments: Vec<Attachment>,
}

impl Announcement {
    pub fn category(&self) -> &str {
        self.meta
            .category
            .as_ref()
            .map_or(DEFAULT_CATEGORY, |c| c.get_ref().as_str())
    }

    /// The date of the last change: `updated`, else `date`.
    pub fn updated(&self) -> Date {
        *self
            .meta
            .updated
            .as_ref()
            .unwrap_or(&self.meta.date)
            .get_ref()
    }
}

/// `report.toml` (optional): the text cells of the recommendation form (推荐书) and the annual
/// report. Each text has the form's limit in characters (`limits`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 推荐市州 (the cover).
    #[serde(default)]
    pub recommended_by: String,
    /// 联合体负责人: the responsible person of the park's management committee.
    pub leader: Option<Person>,
    /// 秘书处负责人 and 人员姓名.
    pub secretariat: Option<SecretariatStaff>,
    /// 产业园区主导产业情况 (≤ 200字).
    pub park_industries: Option<Spanned<String>>,
    /// 联合体所在地制定支持职业教育政策及落实情况 (≤ 500字).
    pub local_policy: Option<Spanned<String>>,
    /// 特色与创新 (≤ 2000字).
    pub features: Option<Spanned<String>>,
    /// 建设规划 (≤ 1000字).
    pub plan: Option<Spanned<String>>,
    /// The declaration that no member broke the law or the rules in enrolment, employment or
    /// safety in the last three years (the form's negative item): true to make it.
    pub no_violation: Option<Spanned<bool>>,
    /// 申报承诺: who signs it and when.
    pub pledge: Option<Pledge>,
    /// 填表日期.
    pub filled: Option<Spanned<Date>>,
    /// The cells the form asks for year by year.
    #[serde(default)]
    pub year: BTreeMap<Spanned<String>, YearCells>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub contact: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretariatStaff {
    pub head: Option<String>,
    #[serde(default)]
    pub staff: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    pub signer: String,
    pub date: Spanned<Date>,
}

/// `[year.2024]` of `report.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearCells {
    /// 教师教学团队获国家级奖励情况 (≤ 100字).
    pub teaching_awards: Option<Spanned<String>>,
    /// 职业院校技能大赛获奖情况 (≤ 100字).
    pub skills_competitions: Option<Spanned<String>>,
    /// 搭建人才供需信息平台，完善职业教育专业动态调整机制情况 (≤ 200字).
    pub talent_platform: Option<Spanned<String>>,
    /// 联合体各类主体深度合作，及时把新方法、新技术、新工艺、新标准引入教育教学实践情况 (≤ 200字).
    pub new_standards: Option<Spanned<String>>,
}

/// A text cell of the form: its key, its label and its limit in characters (字).
#[derive(Debug, Clone, Copy)]
pub struct TextCell {
    pub key: &'static str,
    pub label: &'static str,
    pub limit: usize,
}

impl Report {
    /// The whole-report cells, in the form's order.
    pub const CELLS: [TextCell; 4] = [
        TextCell {
            key: "park_industries",
            label: "产业园区主导产业情况",
            limit: 200,
        },
        TextCell {
            key: "local_policy",
            label: "联合体所在地制定支持职业教育政策及落实情况",
            limit: 500,
        },
        TextCell {
            key: "features",
            label: "特色与创新",
            limit: 2000,
        },
        TextCell {
            key: "plan",
            label: "建设规划",
            limit: 1000,
        },
    ];

    /// The texts of [`Report::CELLS`], in their order.
    pub fn texts(&self) -> [Option<&Spanned<String>>; 4] {
        [
            self.park_industries.as_ref(),
            self.local_policy.as_ref(),
            self.features.as_ref(),
            self.plan.as_ref(),
        ]
    }
}

impl YearCells {
    /// The cells of one year, in the form's order.
    pub const CELLS: [TextCell; 4] = [
        TextCell {
            key: "teaching_awards",
            label: "教师教学团队获国家级奖励情况",
            limit: 100,
        },
        TextCell {
            key: "talent_platform",
            label: "搭建人才供需信息平台，完善职业教育专业动态调整机制情况",
            limit: 200,
        },
        TextCell {
            key: "new_standards",
            label:
                "联合体各类主体深度合作，及时把新方法、新技术、新工艺、新标准引入教育教学实践情况",
            limit: 200,
        },
        TextCell {
            key: "skills_competitions",
            label: "职业院校技能大赛获奖情况",
            limit: 100,
        },
    ];

    /// The texts of [`YearCells::CELLS`], in their order.
    pub fn texts(&self) -> [Option<&Spanned<String>>; 4] {
        [
            self.teaching_awards.as_ref(),
            self.talent_platform.as_ref(),
            self.new_standards.as_ref(),
            self.skills_competitions.as_ref(),
        ]
    }
}

/// How the form counts characters (字数), as a word processor's 字数统计 does: each Chinese
/// character and each punctuation mark counts one, a run of Latin letters or digits (a word, a
/// number such as 2024 or 95.5) counts one, and white space counts nothing.
pub fn form_chars(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_word = false;
        } else if c.is_ascii_alphanumeric()
            || (in_word && matches!(c, '.' | ',' | '-' | '_' | '\''))
        {
            if !in_word {
                count += 1;
                in_word = true;
            }
        } else {
            count += 1;
            in_word = false;
        }
    }
    count
}

#[cfg(test)]
mod form_chars_tests {
    use super::form_chars;

    #[test]
    fn counts_as_the_form_counts() {
        assert_eq!(form_chars("联合体发布人才需求报告2个。"), 14);
        assert_eq!(form_chars("Industry 4.0 与 5G 技术进入课堂。"), 11);
        assert_eq!(form_chars("  \n\t"), 0);
        assert_eq!(form_chars("95.5%"), 2);
        assert_eq!(form_chars("“双师型”教师"), 7);
    }
}

/// `governance.toml`: the register of the consortium's charter and rules, and the local policy
/// package that supports it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    #[serde(default)]
    pub rule: Vec<Rule>,
    #[serde(default)]
    pub policy: Vec<Policy>,
}

/// A charter or rule of the consortium (章程, 议事规程, 运营管理制度 …).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub name: String,
    /// 章程, 议事规程, 运营管理制度, 人员聘用及评价, 绩效考核, 运营质量保障 …
    pub kind: String,
    pub adopted: Option<Spanned<Date>>,
    /// Where it is published, as evidence is written: `announcement:<slug>` or `page:<slug>`.
    pub document: Option<Spanned<String>>,
}

/// A measure of the local policy package.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub instrument: Spanned<Instrument>,
    pub title: String,
    pub doc_number: Option<Spanned<String>>,
    #[serde(default)]
    pub issuer: String,
    pub status: PolicyStatus,
    pub document: Option<Spanned<String>>,
}

/// The instruments the notices name (金融、财政、税费、土地、信用、就业和收入分配).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    #[serde(alias = "金融")]
    Finance,
    #[serde(alias = "财政")]
    Fiscal,
    #[serde(alias = "税费")]
    Tax,
    #[serde(alias = "土地")]
    Land,
    #[serde(alias = "信用")]
    Credit,
    #[serde(alias = "就业")]
    Employment,
    #[serde(alias = "收入分配")]
    Income,
}

impl Instrument {
    pub fn label(self) -> &'static str {
        match self {
            Instrument::Finance => "金融",
            Instrument::Fiscal => "财政",
            Instrument::Tax => "税费",
            Instrument::Land => "土地",
            Instrument::Credit => "信用",
            Instrument::Employment => "就业",
            Instrument::Income => "收入分配",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    #[serde(alias = "已出台")]
    Issued,
    #[serde(alias = "落实中")]
    Implementing,
    #[serde(alias = "已落实")]
    Implemented,
}

impl PolicyStatus {
    pub fn label(self) -> &'static str {
        match self {
            PolicyStatus::Issued => "已出台",
            PolicyStatus::Implementing => "落实中",
            PolicyStatus::Implemented => "已落实",
        }
    }
}

/// `lists.toml`: the three demand lists (核心产品清单, 技术需求清单, 人才需求清单).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandLists {
    #[serde(default)]
    pub product: Vec<Product>,
    #[serde(default)]
    pub technology: Vec<TechDemand>,
    #[serde(default)]
    pub talent: Vec<TalentDemand>,
}

/// A core product of a member enterprise (核心产品清单).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub member: Spanned<String>,
    pub year: Spanned<i32>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A technology demand (技术需求清单) and who took it up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TechDemand {
    pub member: Spanned<String>,
    pub year: Spanned<i32>,
    pub title: String,
    pub status: Spanned<TechStatus>,
    /// Who took it up, as evidence is written: `programme:<slug>` or `member:<id>`.
    pub taken_by: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechStatus {
    #[serde(alias = "征集")]
    Collecting,
    #[serde(alias = "对接中")]
    Matching,
    #[serde(alias = "已解决")]
    Solved,
}

impl TechStatus {
    pub fn label(self) -> &'static str {
        match self {
            TechStatus::Collecting => "征集",
            TechStatus::Matching => "对接中",
            TechStatus::Solved => "已解决",
        }
    }
}

/// A talent demand (人才需求清单): a post, how many, and the major it asks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalentDemand {
    pub member: Spanned<String>,
    pub year: Spanned<i32>,
    pub post: String,
    pub number: Spanned<u32>,
    #[serde(default)]
    pub major: String,
}

/// The three demand lists: URL segment and name.
pub const DEMAND_LISTS: [(&str, &str); 3] = [
    ("products", "核心产品清单"),
    ("technology", "技术需求清单"),
    ("talent", "人才需求清单"),
];

impl DemandLists {
    /// The years each list has entries for, by URL segment, newest first.
    pub fn years(&self, list: &str) -> Vec<i32> {
        let mut ys: Vec<i32> = match list {
            "products" => self.product.iter().map(|x| *x.year.get_ref()).collect(),
            "technology" => self.technology.iter().map(|x| *x.year.get_ref()).collect(),
            _ => self.talent.iter().map(|x| *x.year.get_ref()).collect(),
        };
        ys.sort_unstable_by(|a, b| b.cmp(a));
        ys.dedup();
        ys
    }
}

/// `majors.toml`: the three lists of majors (重点建设专业清单, 改造升级专业清单, 限制撤销专业清单).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MajorLists {
    #[serde(default)]
    pub major: Vec<ListedMajor>,
}

/// One `[[major]]`: a school's major on one of the lists in one year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedMajor {
    /// The member school.
    pub school: Spanned<String>,
    pub name: Spanned<String>,
    /// The national major code (专业代码): six digits, an undergraduate one may end in K or T.
    pub code: Option<Spanned<String>>,
    pub list: Spanned<MajorList>,
    pub year: Spanned<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MajorList {
    #[serde(alias = "重点建设")]
    Key,
    #[serde(alias = "改造升级")]
    Upgrade,
    #[serde(alias = "限制撤销")]
    Restrict,
}

impl MajorList {
    pub const ALL: [MajorList; 3] = [MajorList::Key, MajorList::Upgrade, MajorList::Restrict];
    pub fn label(self) -> &'static str {
        match self {
            MajorList::Key => "重点建设专业清单",
            MajorList::Upgrade => "改造升级专业清单",
            MajorList::Restrict => "限制撤销专业清单",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            MajorList::Key => "key",
            MajorList::Upgrade => "upgrade",
            MajorList::Restrict => "restrict",
        }
    }
}

/// Whether `code` has the form of a national major code: six digits, an undergraduate code
/// possibly followed by K (特设) or T (国家控制布点).
pub fn is_major_code(code: &str) -> bool {
    let digits = code.strip_suffix(['K', 'T']).unwrap_or(code);
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `milestones.toml`: dated commitments of the consortium (from the phases of its plan).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestones {
    #[serde(default)]
    pub milestone: Vec<Milestone>,
}

/// One `[[milestone]]`: what is promised, by whom and when, and how far it has come.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub title: String,
    /// The member responsible (牵头单位).
    pub owner: Spanned<String>,
    pub due: Spanned<Date>,
    pub status: Spanned<MilestoneStatus>,
    /// The day it was done.
    pub done: Option<Spanned<Date>>,
    /// The phase of the plan it belongs to, as named in `consortium.toml`.
    #[serde(default)]
    pub phase: String,
    /// Where it shows, as in `assessment.toml`: `announcement:<slug>`, `programme:<slug>` …
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    #[serde(alias = "未开始")]
    NotStarted,
    #[serde(alias = "进行中")]
    InProgress,
    #[serde(alias = "已完成")]
    Done,
}

impl MilestoneStatus {
    pub fn key(self) -> &'static str {
        match self {
            MilestoneStatus::NotStarted => "not_started",
            MilestoneStatus::InProgress => "in_progress",
            MilestoneStatus::Done => "done",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MilestoneStatus::NotStarted => "未开始",
            MilestoneStatus::InProgress => "进行中",
            MilestoneStatus::Done => "已完成",
        }
    }
}

impl Milestone {
    /// Past its due date on `day` and not done: 逾期.
    pub fn overdue(&self, day: Date) -> bool {
        self.status.get_ref() != &MilestoneStatus::Done && *self.due.get_ref() < day
    }
}

/// One consortium folder, `content/consortia/<id>/`.
#[derive(Debug, Clone)]
pub struct Consortium {
    pub id: String,
    pub profile_path: String,
    /// When `consortium.toml` could not be read (already reported), `profile` is a placeholder:
    /// the other files are still checked, and rules that need the profile are skipped. A site
    /// with such a consortium never gets past the checks, so no page shows the placeholder.
    pub profile_unreadable: bool,
    pub profile: Profile,
    pub members: Members,
    pub programmes: Vec<Programme>,
    pub training: Training,
    pub indicators: Indicators,
    pub announcements: Vec<Announcement>,
    /// `report.toml`, when there is one.
    pub report: Option<Report>,
    pub report_path: String,
    /// `assessment.toml`, when there is one.
    pub assessment: Option<assessment::Assessment>,
    pub assessment_path: String,
    /// `industries.toml` of the consortium: its province's taxonomy, when it is not the site's.
    pub taxonomy: Option<industries::Taxonomy>,
    /// `governance.toml`, when there is one.
    pub governance: Option<Governance>,
    pub governance_path: String,
    /// `lists.toml`, when there is one.
    pub lists: Option<DemandLists>,
    pub lists_path: String,
    /// `majors.toml`, when there is one.
    pub majors: Option<MajorLists>,
    pub majors_path: String,
    /// `milestones.toml`, when there is one.
    pub milestones: Option<Milestones>,
    pub milestones_path: String,
    /// Free pages of the consortium (`pages/*.md`: its work measures, its charter …), in menu
    /// order.
    pub pages: Vec<Page>,
}

impl Consortium {
    /// The founding date, when the profile could be read.
    pub fn founded(&self) -> Option<&Spanned<Date>> {
        (!self.profile_unreadable).then_some(&self.profile.founded)
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        // Ids are unique (a validation rule), so the first match is the member.
        self.members.list.iter().find(|m| m.id.get_ref() == id)
    }
}

/// The whole site. Collections are sorted (consortia by id, pages by slug) so output is stable.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The industry taxonomy: `content/industries.toml`, else Hunan's.
    pub taxonomy: industries::Taxonomy,
    pub catalogue: Catalogue,
    pub index: Option<Page>,
    pub pages: Vec<Page>,
    pub consortia: Vec<std::sync::Arc<Consortium>>,
}

/// The Chinese name of any kind key (member, body, consortium, programme, status, audience), as
/// the forms print it; used to list the valid kinds in diagnostics.
pub fn kind_label(key: &str) -> Option<&'static str> {
    MemberKind::ALL
        .iter()
        .map(|k| (k.key(), k.label()))
        .chain(BodyKind::ALL.iter().map(|k| (k.key(), k.label())))
        .chain(ConsortiumKind::ALL.iter().map(|k| (k.key(), k.label())))
        .chain(ProgrammeKind::ALL.iter().map(|k| (k.key(), k.label())))
        .chain(ProgrammeStatus::ALL.iter().map(|k| (k.key(), k.label())))
        .chain(Audience::ALL.iter().map(|k| (k.key(), k.label())))
        .find(|(k, _)| *k == key)
        .map(|(_, l)| l)
}
