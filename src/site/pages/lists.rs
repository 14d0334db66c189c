//! The demand lists of a consortium (产品、技术、人才需求清单): one page a list and year.

use serde::Serialize;

use crate::format;
use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// One of the three demand lists of a consortium in one year, with links to the others: one page
/// per list and year, so the lists filter without JavaScript.
#[derive(Debug, Serialize)]
pub struct DemandListView<'a> {
    /// `products`, `technology` or `talent`.
    pub list: &'static str,
    pub label: &'static str,
    pub year: i32,
    /// Every list and year, as links, the current one marked.
    pub choices: Vec<FilterLink>,
    pub rows: Vec<DemandRow<'a>>,
    pub total: String,
}

#[derive(Debug, Serialize)]
pub struct DemandRow<'a> {
    pub member: MemberRef<'a>,
    /// The product's name, the demand's title, or the post.
    pub name: &'a str,
    pub detail: &'a str,
    pub status: &'static str,
    pub number: Option<String>,
    pub taken_by: Option<EvidenceLink>,
}

pub fn demand_list_view<'a>(
    site: &'a Site,
    c: &'a Consortium,
    l: &'a DemandLists,
    list: &'static str,
    year: i32,
) -> DemandListView<'a> {
    let in_year = |y: &toml::Spanned<i32>| *y.get_ref() == year;
    let rows: Vec<DemandRow> = match list {
        "products" => l
            .product
            .iter()
            .filter(|x| in_year(&x.year))
            .map(|x| DemandRow {
                member: member_ref(c, x.member.get_ref()),
                name: &x.name,
                detail: &x.description,
                status: "",
                number: None,
                taken_by: None,
            })
            .collect(),
        "technology" => l
            .technology
            .iter()
            .filter(|x| in_year(&x.year))
            .map(|x| DemandRow {
                member: member_ref(c, x.member.get_ref()),
                name: &x.title,
                detail: "",
                status: x.status.get_ref().label(),
                number: None,
                taken_by: x
                    .taken_by
                    .as_ref()
                    .and_then(|t| evidence_link(site, c, t.get_ref())),
            })
            .collect(),
        _ => l
            .talent
            .iter()
            .filter(|x| in_year(&x.year))
            .map(|x| DemandRow {
                member: member_ref(c, x.member.get_ref()),
                name: &x.post,
                detail: &x.major,
                status: "",
                number: Some(format::count(u64::from(*x.number.get_ref()))),
                taken_by: None,
            })
            .collect(),
    };
    let total = match list {
        "talent" => format::count(
            l.talent
                .iter()
                .filter(|x| in_year(&x.year))
                .map(|x| u64::from(*x.number.get_ref()))
                .sum(),
        ),
        _ => format::count(rows.len() as u64),
    };
    DemandListView {
        list,
        label: DEMAND_LISTS
            .iter()
            .find(|(k, _)| *k == list)
            .map_or("", |(_, n)| *n),
        year,
        choices: demand_pages(l)
            .into_iter()
            .map(|(k, y)| FilterLink {
                label: format!(
                    "{y}年{}",
                    DEMAND_LISTS
                        .iter()
                        .find(|(x, _)| *x == k)
                        .map_or("", |(_, n)| *n)
                ),
                url: Route::DemandList(&c.id, k, y).url(),
                count: 0,
                current: k == list && y == year,
            })
            .collect(),
        rows,
        total,
    }
}

/// Every list and year of `lists.toml`.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Vec<Output<'a>> {
    let Some(l) = &c.lists else {
        return Vec::new();
    };
    demand_pages(l)
        .into_iter()
        .map(|(list, year)| {
            let view = demand_list_view(p.input.site, c, l, list, year);
            let title = format!("{year}年{} · {}", view.label, c.profile.short_name);
            p.page(Route::DemandList(&c.id, list, year), title, Some(c), view)
        })
        .collect()
}
