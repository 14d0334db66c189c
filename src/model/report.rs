//! The text cells of the recommendation form and the annual report (`report.toml`), and how the
//! form counts characters (字数).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::*;

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
    /// The form of an application year as filed (`[form.2024]`): what it says there stands on
    /// that form whatever the cells above say in later years.
    #[serde(default)]
    pub form: BTreeMap<Spanned<String>, FormCells>,
}

/// `[form.2024]` of `report.toml`: the cover, the text cells and the declaration of the form of
/// that application year, each in place of the one at the top of the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormCells {
    pub recommended_by: Option<String>,
    pub filled: Option<Spanned<Date>>,
    pub park_industries: Option<Spanned<String>>,
    pub local_policy: Option<Spanned<String>>,
    pub features: Option<Spanned<String>>,
    pub plan: Option<Spanned<String>>,
    pub no_violation: Option<Spanned<bool>>,
}

impl FormCells {
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
    /// 人员姓名: as many names as 人员总数 (专职 and 兼职 of `consortium.toml`).
    pub staff: Option<Spanned<Vec<String>>>,
}

impl SecretariatStaff {
    pub fn names(&self) -> &[String] {
        self.staff.as_ref().map_or(&[], |s| s.get_ref())
    }
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

/// Where a text cell of `report.toml` is: at the top, in a year's table, or in a form's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellPlace<'a> {
    Whole,
    Year(&'a str),
    Form(&'a str),
}

impl Report {
    /// Every text cell that is filled in: where it is, the cell, and its text.
    pub fn cells(&self) -> Vec<(CellPlace<'_>, TextCell, &Spanned<String>)> {
        let whole = Report::CELLS
            .into_iter()
            .zip(self.texts())
            .filter_map(|(cell, text)| Some((CellPlace::Whole, cell, text?)));
        let by_year = self.year.iter().flat_map(|(year, cells)| {
            let at = CellPlace::Year(year.get_ref().as_str());
            YearCells::CELLS
                .into_iter()
                .zip(cells.texts())
                .filter_map(move |(cell, text)| Some((at, cell, text?)))
        });
        let by_form = self.form.iter().flat_map(|(year, cells)| {
            let at = CellPlace::Form(year.get_ref().as_str());
            Report::CELLS
                .into_iter()
                .zip(cells.texts())
                .filter_map(move |(cell, text)| Some((at, cell, text?)))
        });
        whole.chain(by_year).chain(by_form).collect()
    }

    /// The form of application year `year` as filed, when `[form.<year>]` is there.
    pub fn form_of(&self, year: i32) -> Option<&FormCells> {
        self.form
            .iter()
            .find(|(k, _)| super::four_digit_year(k.get_ref()) == Some(year))
            .map(|(_, v)| v)
    }

    /// 推荐市州 on the form of application year `year`: as filed, else at the top; `None`
    /// when blank.
    pub fn recommended_by_for(&self, year: i32) -> Option<&str> {
        let city = self
            .form_of(year)
            .and_then(|f| f.recommended_by.as_deref())
            .unwrap_or(&self.recommended_by)
            .trim();
        Some(city).filter(|s| !s.is_empty())
    }

    /// 填表日期 on the form of application year `year`: as filed, else at the top.
    pub fn filled_for(&self, year: i32) -> Option<&Spanned<Date>> {
        self.form_of(year)
            .and_then(|f| f.filled.as_ref())
            .or(self.filled.as_ref())
    }

    /// The declaration of no violation on the form of application year `year`: as filed, else
    /// at the top.
    pub fn no_violation_for(&self, year: i32) -> Option<&Spanned<bool>> {
        self.form_of(year)
            .and_then(|f| f.no_violation.as_ref())
            .or(self.no_violation.as_ref())
    }

    /// The cells of year `year`, when `[year.<year>]` is there.
    pub fn year_of(&self, year: i32) -> Option<&YearCells> {
        self.year
            .iter()
            .find(|(k, _)| super::four_digit_year(k.get_ref()) == Some(year))
            .map(|(_, v)| v)
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
        if c == crate::format::WORD_JOINER {
            // Keeps a number with its unit; nothing a reader sees.
            continue;
        }
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
        assert_eq!(form_chars("报告2\u{2060}个"), 4);
    }
}
