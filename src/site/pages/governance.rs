//! The register of a consortium's rules and its policy package (制度与政策).

use serde::Serialize;

use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// The register of a consortium's charter and rules and its local policy package.
#[derive(Debug, Serialize)]
pub struct GovernanceView<'a> {
    pub rules: Vec<RuleView<'a>>,
    pub policies: Vec<PolicyView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct RuleView<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub adopted: Option<DateView>,
    pub document: Option<EvidenceLink>,
}

#[derive(Debug, Serialize)]
pub struct PolicyView<'a> {
    pub instrument: &'static str,
    pub title: &'a str,
    pub doc_number: Option<&'a str>,
    pub issuer: &'a str,
    pub status: &'static str,
    pub document: Option<EvidenceLink>,
}

pub fn governance_view<'a>(
    site: &'a Site,
    c: &'a Consortium,
    g: &'a Governance,
) -> GovernanceView<'a> {
    let link = |d: &Option<toml::Spanned<String>>| {
        d.as_ref().and_then(|d| evidence_link(site, c, d.get_ref()))
    };
    GovernanceView {
        rules: g
            .rule
            .iter()
            .map(|r| RuleView {
                name: &r.name,
                kind: &r.kind,
                adopted: r.adopted.as_ref().map(|d| DateView::of(d.get_ref())),
                document: link(&r.document),
            })
            .collect(),
        policies: g
            .policy
            .iter()
            .map(|p| PolicyView {
                instrument: p.instrument.get_ref().label(),
                title: &p.title,
                doc_number: p.doc_number.as_ref().map(|d| d.get_ref().as_str()),
                issuer: &p.issuer,
                status: p.status.label(),
                document: link(&p.document),
            })
            .collect(),
    }
}

/// The register, when the consortium has rules or policies.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Option<Output<'a>> {
    let g = c
        .governance
        .as_ref()
        .filter(|g| !g.rule.is_empty() || !g.policy.is_empty())?;
    let title = format!("制度与政策 · {}", c.profile.short_name);
    let view = governance_view(p.input.site, c, g);
    Some(p.page(Route::Governance(&c.id), title, Some(c), view))
}
