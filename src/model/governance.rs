//! How a consortium works: its rules and policies (`governance.toml`), demand lists
//! (`lists.toml`), lists of majors (`majors.toml`) and milestones (`milestones.toml`).

use serde::Deserialize;
use toml::Spanned;

use super::*;

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
    /// The member responsible (牵头单位); a notice may not name one yet (shown 待定).
    pub owner: Option<Spanned<String>>,
    /// The deadline; a notice may not set one yet (shown 待定, never overdue).
    pub due: Option<Spanned<Date>>,
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
    pub const ALL: [MilestoneStatus; 3] = [
        MilestoneStatus::NotStarted,
        MilestoneStatus::InProgress,
        MilestoneStatus::Done,
    ];
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
        self.status.get_ref() != &MilestoneStatus::Done
            && self.due.as_ref().is_some_and(|d| *d.get_ref() < day)
    }
}
