//! The 推荐名单汇总表 of a framework with a form (湘教通〔2024〕23号 附件4): the site's consortia
//! that report under it, one table a 推荐市州 as each city's bureau sends it, with the bureau's
//! seal and filler left blank for the hand; and the same tables as a workbook, a sheet a city.

use serde::Serialize;

use crate::model::framework::Framework;
use crate::model::*;
use crate::site::routes::Route;

use super::common::DateView;
use super::planner::{Bytes, Output, Planner};

#[derive(Debug, Serialize)]
pub struct SummaryView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub issuer: &'a str,
    pub document: &'a str,
    pub year: i32,
    pub deadline: Option<DateView>,
    pub by: &'a str,
    pub to: &'a str,
    pub groups: Vec<SummaryGroup<'a>>,
    pub workbook: String,
}

/// The consortia one 推荐市州 recommends, or those whose form names none yet (`city` empty).
#[derive(Debug, Serialize)]
pub struct SummaryGroup<'a> {
    pub city: &'a str,
    pub rows: Vec<SummaryRow<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SummaryRow<'a> {
    pub no: usize,
    pub name: &'a str,
    pub form: String,
}

/// The consortia of `site` that report under `fw`, grouped by the 推荐市州 of their form of the
/// application year `year`, cities in the order they first appear, those with none last.
fn groups<'a>(site: &'a Site, fw: &Framework, year: i32) -> Vec<SummaryGroup<'a>> {
    let mut groups: Vec<SummaryGroup> = Vec::new();
    for c in site.reporting_under(&fw.id) {
        let city = c
            .report
            .as_ref()
            .and_then(|r| r.recommended_by_for(year))
            .unwrap_or("");
        let row = SummaryRow {
            no: 0,
            name: &c.profile.name,
            form: Route::ReportForm(&c.id, year).url(),
        };
        match groups.iter_mut().find(|g| g.city == city) {
            Some(g) => g.rows.push(row),
            None => groups.push(SummaryGroup {
                city,
                rows: vec![row],
            }),
        }
    }
    groups.sort_by_key(|g| g.city.is_empty());
    for g in &mut groups {
        for (i, r) in g.rows.iter_mut().enumerate() {
            r.no = i + 1;
        }
    }
    groups
}

/// The workbook: a sheet a 推荐市州, laid out as 附件4 prints it.
fn workbook(groups: &[SummaryGroup]) -> Vec<u8> {
    crate::site::opendata::workbook(|book| {
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let title = bold.clone().set_font_size(16);
        let mut used: Vec<String> = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            let mut name = sheet_name(g.city, i);
            if used.contains(&name) {
                // Two cities alike once cleaned: the second takes its number.
                name = format!("{}{}", name.chars().take(26).collect::<String>(), i + 1);
            }
            used.push(name.clone());
            let sheet = book.add_worksheet();
            sheet.set_name(name)?;
            sheet.write_string_with_format(0, 0, "市域产教联合体推荐名单汇总表", &title)?;
            let by = if g.city.is_empty() {
                "推荐单位：　　　　（公章）".to_string()
            } else {
                format!("推荐单位：{}　　　　（公章）", g.city)
            };
            sheet.write_string(1, 0, by)?;
            sheet.write_string(1, 1, "填报人及联系方式：")?;
            sheet.write_string_with_format(2, 0, "序号", &bold)?;
            sheet.write_string_with_format(2, 1, "市域产教联合体名称", &bold)?;
            for (r, row) in g.rows.iter().enumerate() {
                let at = 3 + r as u32;
                sheet.write_number(at, 0, row.no as f64)?;
                sheet.write_string(at, 1, row.name)?;
            }
            sheet.set_column_width(0, 28)?;
            sheet.set_column_width(1, 48)?;
        }
        Ok(())
    })
}

/// A sheet's name: the city, without the characters Excel refuses and within its 31; 未填报
/// for a group without one.
fn sheet_name(city: &str, i: usize) -> String {
    let clean: String = city
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    if clean.trim().is_empty() {
        format!("未填报{}", i + 1)
    } else {
        clean
    }
}

/// A summary page and its workbook for each framework with a form that a consortium of the
/// site reports under.
pub fn plan<'a>(p: &Planner<'_, 'a>) -> Vec<Output<'a>> {
    let site = p.input.site;
    let mut out = Vec::new();
    for fw in &site.frameworks.list {
        let Some(year) = fw.form_year() else { continue };
        let groups = groups(site, fw, year);
        if groups.is_empty() {
            continue;
        }
        out.push(Output::File {
            route: Route::SummaryFile(&fw.id),
            bytes: Bytes::Owned(workbook(&groups)),
        });
        let submission = fw.meta.submission.as_ref();
        let view = SummaryView {
            name: &fw.meta.name,
            title: &fw.meta.title,
            issuer: &fw.meta.issuer,
            document: &fw.meta.document,
            year,
            deadline: submission.map(|s| DateView::of(s.deadline.get_ref())),
            by: submission.map_or("", |s| s.by.as_str()),
            to: submission.map_or("", |s| s.to.as_str()),
            groups,
            workbook: Route::SummaryFile(&fw.id).url(),
        };
        let title = format!("市域产教联合体推荐名单汇总表 · {}", fw.meta.name);
        out.push(p.page(Route::Summary(&fw.id), title, None, view));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_keep_within_what_excel_takes() {
        assert_eq!(sheet_name("湘潭市", 0), "湘潭市");
        assert_eq!(sheet_name("", 1), "未填报2");
        assert_eq!(sheet_name("a/b[c]", 0), "abc");
        assert!(sheet_name(&"长".repeat(40), 0).chars().count() <= 31);
    }
}
