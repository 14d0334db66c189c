//! A framework's recommendation form (`form.toml`): its 说明 and its cells, in the order and with
//! the labels the notice prints them. The cover, the head of 联合体概况 (name, 负责人, 秘书处,
//! members) and parts 3–5 are the same on every form; the blocks of values and text cells, their
//! columns and their footnotes are the notice's own and are data.

use serde::Deserialize;
use toml::Spanned;

use super::report::{Report, TextCell, YearCells};

/// `form.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormLayout {
    pub title: String,
    /// 说明, verbatim (see [`FormYears::fill`] for the placeholders).
    pub notes: Vec<String>,
    /// 1. 联合体概况: the blocks after the members, and the part's footnotes.
    pub overview: Part,
    /// 2. 办学成效和服务能力.
    pub part2: Part,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// The footnote mark of the 联合体负责人 cell (part 1 only).
    pub leader_note: Option<u8>,
    /// The part's footnotes, numbered from 1.
    #[serde(default)]
    pub footnotes: Vec<String>,
    #[serde(default, rename = "block")]
    pub blocks: Vec<Block>,
}

/// A table of the form: its rows in the block's year columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub name: String,
    /// The head of the label column (项目名称).
    #[serde(default)]
    pub head: String,
    #[serde(default)]
    pub columns: Columns,
    /// The footnote mark of the first year column.
    pub year_note: Option<u8>,
    #[serde(default, rename = "row")]
    pub rows: Vec<RowSpec>,
}

/// The year columns of a block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Columns {
    /// The two years before the application year, as they stand (part 2).
    #[default]
    Data,
    /// The year before the application year as it stands, the application year and the next as
    /// commitments (说明三).
    Form,
}

/// Where a row has one cell for all columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum At {
    /// The year before the application year, as it stands.
    DataYear,
    /// The application year, as committed.
    Year,
}

/// One row: values of catalogue figures, a text cell of `report.toml`, or a heading over the
/// rows that follow.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    pub label: String,
    /// The unit printed in the row's value cells, when the label does not hold it.
    #[serde(default)]
    pub unit: String,
    /// The figures of its cells: one, or two the form prints in one cell (a / b).
    #[serde(default)]
    pub keys: Vec<Spanned<String>>,
    /// A text cell of `report.toml` instead of values.
    pub text: Option<Spanned<String>>,
    /// The 字数 the form allows the text, where it is not the cell's own.
    pub limit: Option<usize>,
    /// One cell for the whole row instead of one a column.
    pub at: Option<At>,
    /// A heading row, with the head of its values' column (类型), or "" for none.
    pub heading: Option<String>,
    /// The footnote mark the label carries.
    pub note: Option<u8>,
}

impl RowSpec {
    /// The text cell it names: a cell of the whole form, or one of a year.
    pub fn text_cell(&self) -> Option<(TextCell, bool)> {
        let key = self.text.as_ref()?.get_ref();
        let whole = Report::CELLS.into_iter().find(|c| c.key == key);
        whole.map(|c| (c, true)).or_else(|| {
            YearCells::CELLS
                .into_iter()
                .find(|c| c.key == key)
                .map(|c| (c, false))
        })
    }
}

impl FormLayout {
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.overview.blocks.iter().chain(&self.part2.blocks)
    }

    pub fn rows(&self) -> impl Iterator<Item = &RowSpec> {
        self.blocks().flat_map(|b| b.rows.iter())
    }
}

/// The text cells a form may name: those of the whole form, then those of a year.
pub fn text_cells() -> impl Iterator<Item = &'static str> {
    Report::CELLS
        .iter()
        .chain(YearCells::CELLS.iter())
        .map(|c| c.key)
}

/// The years of one form: its application year and the year reported as it stands.
#[derive(Debug, Clone, Copy)]
pub struct FormYears {
    pub year: i32,
}

impl FormYears {
    pub fn data_year(self) -> i32 {
        self.year - 1
    }

    /// `text` with `{notice}`, `{data_year}`, `{year}` and `{next}` filled in.
    pub fn fill(self, text: &str, notice: &str) -> String {
        text.replace("{notice}", notice)
            .replace("{data_year}", &self.data_year().to_string())
            .replace("{year}", &self.year.to_string())
            .replace("{next}", &(self.year + 1).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hunan_form_names_known_figures_and_cells_and_fills_its_years() {
        let form: FormLayout =
            toml::from_str(include_str!("../frameworks/hunan-2024/form.toml")).unwrap();
        let catalogue = crate::model::Catalogue::built_in();
        for r in form.rows() {
            for k in &r.keys {
                assert!(catalogue.get(k.get_ref()).is_some(), "{}", k.get_ref());
            }
            if r.text.is_some() {
                assert!(r.text_cell().is_some(), "{}", r.label);
            }
        }
        let y = FormYears { year: 2024 };
        assert_eq!(
            y.fill(&form.notes[2], "通知"),
            "三、年度数据截止时间为每年12月31日，2023年数据为已组成或拟组成联合体成员单位的汇总数据，2024—2025年数据为申报单位承诺的建成数据。"
        );
        // The three figures of the catalogue that the form does not print stay off it.
        for k in [
            "local_employment_rate",
            "tech_service_income",
            "patent_conversion_income",
        ] {
            assert!(!form.rows().any(|r| r.keys.iter().any(|x| x.get_ref() == k)));
        }
    }
}
