//! The typed domain of a consortium reporting site, as read from `content/`. Plain data, no I/O.
//! Fields a rule may need to point at are `Spanned` (byte offsets into their own file).
//!
//! Glossary: 联合体 → Consortium; 成员单位 → Member; 牵头单位 → lead (park, school, enterprise);
//! 秘书处 → Secretariat; 理事会 → council; 领导小组 → leadership group; 共建项目 → Programme;
//! 培训 → TrainingSession; 人日 → person-days; 指标 → indicator; 实际 → actual; 承诺 → committed;
//! 成果公告 → Announcement; 填报年度 → report year.

mod announcements;
pub mod catalogue;
mod governance;
mod profile;
mod programmes;
mod records;
mod report;
mod site;

pub use announcements::*;
pub use governance::*;
pub use profile::*;
pub use programmes::*;
pub use records::*;
pub use report::*;
pub use site::*;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

pub use catalogue::{Catalogue, GroupDef, IndicatorDef, ValueKind};

pub mod assessment;
pub mod form;
pub mod framework;
pub mod industries;

/// A calendar date that really exists (TOML `2024-02-30` is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl Date {
    pub fn year(&self) -> i32 {
        chrono::Datelike::year(&self.0)
    }
    /// ISO 8601, `2024-03-12`. Written directly for the years of four digits (a site's sitemap
    /// and feeds write thousands); chrono's formatting, which signs the others, for the rest.
    pub fn iso(&self) -> String {
        use chrono::Datelike;
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if !(0..=9999).contains(&y) {
            return self.0.format("%Y-%m-%d").to_string();
        }
        format!("{y:04}-{m:02}-{d:02}")
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
            // Worded as serde words a wrong type, so that the message names what was found once.
            let found = if dt.date.is_some() {
                format!("date and time `{dt}`")
            } else {
                format!("time `{dt}`")
            };
            return Err(D::Error::invalid_value(
                serde::de::Unexpected::Other(&found),
                &"a date such as 2024-03-12",
            ));
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
    /// The frameworks consortia report under, and the site's own industry taxonomy.
    pub frameworks: framework::Frameworks,
    pub catalogue: Catalogue,
    pub index: Option<Page>,
    pub pages: Vec<Page>,
    pub consortia: Vec<std::sync::Arc<Consortium>>,
}

impl Site {
    /// The consortia that report under framework `id`, in the site's order.
    pub fn reporting_under<'s, 'i>(
        &'s self,
        id: &'i str,
    ) -> impl Iterator<Item = &'s Consortium> + use<'s, 'i> {
        self.consortia
            .iter()
            .map(|c| &**c)
            .filter(move |c| c.profile.framework_ids().any(|f| f == id))
    }
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
        .chain(MilestoneStatus::ALL.iter().map(|k| (k.key(), k.label())))
        .chain(BodyStatus::ALL.iter().map(|k| (k.key(), k.label())))
        .find(|(k, _)| *k == key)
        .map(|(_, l)| l)
}

/// A year key as the forms write it: exactly four digits (`2024`; not `02024`, which TOML would
/// take for another key holding the same year).
pub fn four_digit_year(key: &str) -> Option<i32> {
    (key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()))
        .then(|| key.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn iso_dates_are_chrono_s() {
        let mut day = chrono::NaiveDate::MIN;
        let mut checked = 0;
        while let Some(next) = day.checked_add_days(chrono::Days::new(997)) {
            assert_eq!(Date(day).iso(), day.format("%Y-%m-%d").to_string());
            day = next;
            checked += 1;
        }
        for (y, m, d) in [
            (0, 1, 1),
            (9, 2, 3),
            (2024, 2, 29),
            (9999, 12, 31),
            (10000, 1, 1),
        ] {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Date(day).iso(), day.format("%Y-%m-%d").to_string());
        }
        assert!(checked > 100_000);
    }
}
