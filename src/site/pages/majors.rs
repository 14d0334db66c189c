//! The lists of majors of a consortium's schools (专业清单), by year and list.

use serde::Serialize;

use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// The three lists of majors of a consortium, year by year (newest first).
#[derive(Debug, Serialize)]
pub struct MajorsView<'a> {
    pub years: Vec<MajorYear<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MajorYear<'a> {
    pub year: i32,
    pub lists: Vec<MajorListView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MajorListView<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub majors: Vec<MajorRow<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MajorRow<'a> {
    pub school: MemberRef<'a>,
    pub name: &'a str,
    pub code: &'a str,
}

pub fn majors_view<'a>(c: &'a Consortium, m: &'a MajorLists) -> MajorsView<'a> {
    let mut years: Vec<i32> = m.major.iter().map(|x| *x.year.get_ref()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    MajorsView {
        years: years
            .into_iter()
            .map(|y| MajorYear {
                year: y,
                lists: MajorList::ALL
                    .iter()
                    .map(|l| MajorListView {
                        key: l.key(),
                        label: l.label(),
                        majors: m
                            .major
                            .iter()
                            .filter(|x| *x.year.get_ref() == y && x.list.get_ref() == l)
                            .map(|x| MajorRow {
                                school: member_ref(c, x.school.get_ref()),
                                name: x.name.get_ref(),
                                code: x.code.as_ref().map_or("", |c| c.get_ref().as_str()),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The lists, when the consortium has majors.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Option<Output<'a>> {
    let m = c.majors.as_ref().filter(|m| !m.major.is_empty())?;
    let title = format!("专业清单 · {}", c.profile.short_name);
    Some(p.page(Route::Majors(&c.id), title, Some(c), majors_view(c, m)))
}
