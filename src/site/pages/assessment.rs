//! What a consortium reports under (报送与自评): the index of its frameworks, and a page a
//! framework with every observation point's status and evidence (the figures and bodies the
//! point names are linked by themselves), what is still open, and what the notice asks to be sent.

use serde::Serialize;

use crate::model::assessment::{self, Assessment};
use crate::model::framework::{Framework, Scope};
use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// A consortium's self-assessment against one framework.
#[derive(Debug, Serialize)]
pub struct AssessmentView<'a> {
    pub framework: FrameworkRef<'a>,
    pub indicators: Vec<IndicatorScore<'a>>,
    /// How many points have each status.
    pub counts: Vec<StatusCount>,
    pub answered: usize,
    pub total: usize,
    /// The numbers of the points not answered.
    pub open: Vec<&'a str>,
    /// The governing bodies the framework asks for that the consortium lacks.
    pub missing_bodies: Vec<&'static str>,
    pub submission: Option<SubmissionView<'a>>,
    /// 支撑材料目录: every piece of evidence once, numbered, with the points it supports.
    pub materials: Vec<Material>,
    pub others: Vec<FrameworkRef<'a>>,
}

/// One entry of the index of supporting material.
#[derive(Debug, Serialize)]
pub struct Material {
    pub label: String,
    pub url: String,
    pub points: Vec<String>,
}

/// A framework as pages name and link it.
#[derive(Debug, Serialize)]
pub struct FrameworkRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub issuer: &'a str,
    pub document: &'a str,
    pub date: DateView,
    pub national: bool,
    pub assessment: &'a str,
    pub url: String,
    /// Its form of the application year, when it has one.
    pub form_url: Option<String>,
    pub form_year: Option<i32>,
    /// The site's 推荐名单汇总表 of the framework, when it has a form.
    pub summary_url: Option<String>,
}

impl<'a> FrameworkRef<'a> {
    pub fn of(c: &'a Consortium, f: &'a Framework) -> FrameworkRef<'a> {
        let m = &f.meta;
        FrameworkRef {
            id: &f.id,
            name: &m.name,
            title: &m.title,
            issuer: &m.issuer,
            document: &m.document,
            date: DateView::of(m.date.get_ref()),
            national: m.scope == Scope::National,
            assessment: &m.assessment,
            url: Route::Checklist(&c.id, &f.id).url(),
            form_url: f.form_year().map(|y| Route::ReportForm(&c.id, y).url()),
            form_year: f.form_year(),
            summary_url: f.form_year().map(|_| Route::Summary(&f.id).url()),
        }
    }
}

/// What a framework asks to be sent.
#[derive(Debug, Serialize)]
pub struct SubmissionView<'a> {
    pub deadline: DateView,
    pub by: &'a str,
    pub to: &'a str,
    pub address: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ItemView<'a> {
    pub name: &'a str,
    pub copies: Option<u32>,
    pub seal: bool,
    pub note: &'a str,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub key: &'static str,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct IndicatorScore<'a> {
    pub no: &'a str,
    pub name: &'a str,
    pub negative: bool,
    pub points: Vec<PointScore<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PointScore<'a> {
    pub no: &'a str,
    pub text: &'a str,
    /// `achieved`, `partial`, `not_achieved`, `not_applicable`, or empty when not answered.
    pub status: &'static str,
    pub label: &'static str,
    /// The evidence the answer names, then the figures and bodies the point names.
    pub evidence: Vec<EvidenceLink>,
    pub note: &'a str,
}

pub fn assessment_view<'a>(
    site: &'a Site,
    c: &'a Consortium,
    f: &'a Framework,
    a: Option<&'a Assessment>,
) -> AssessmentView<'a> {
    let indicators: Vec<IndicatorScore> = f
        .indicators
        .iter()
        .map(|i| IndicatorScore {
            points: i
                .point
                .iter()
                .map(|p| {
                    let answer = a.and_then(|a| a.answer(&f.id, &p.no));
                    let status = answer.map(|x| *x.status.get_ref());
                    PointScore {
                        no: &p.no,
                        text: &p.text,
                        status: status.map_or("", |s| s.key()),
                        label: status.map_or("未作答", |s| s.label()),
                        evidence: answer
                            .into_iter()
                            .flat_map(|x| &x.evidence)
                            .filter_map(|e| evidence_link(site, c, e.get_ref()))
                            .chain(linked(site, c, p))
                            .collect(),
                        note: answer.map_or("", |x| x.note.as_str()),
                    }
                })
                .collect(),
            no: &i.no,
            name: &i.name,
            negative: i.negative,
        })
        .collect();
    let all: Vec<&PointScore> = indicators.iter().flat_map(|i| &i.points).collect();
    let mut materials: Vec<Material> = Vec::new();
    for p in &all {
        for e in &p.evidence {
            match materials
                .iter_mut()
                .find(|m| m.url == e.url && m.label == e.label)
            {
                Some(m) => m.points.push(p.no.to_string()),
                None => materials.push(Material {
                    label: e.label.clone(),
                    url: e.url.clone(),
                    points: vec![p.no.to_string()],
                }),
            }
        }
    }
    AssessmentView {
        materials,
        framework: FrameworkRef::of(c, f),
        counts: assessment::Status::ALL
            .iter()
            .map(|s| StatusCount {
                key: s.key(),
                label: s.label(),
                count: all.iter().filter(|p| p.status == s.key()).count(),
            })
            .collect(),
        answered: all.iter().filter(|p| !p.status.is_empty()).count(),
        total: all.len(),
        open: all
            .iter()
            .filter(|p| p.status.is_empty())
            .map(|p| p.no)
            .collect(),
        missing_bodies: f
            .missing_bodies(&c.profile.bodies)
            .into_iter()
            .map(|(kind, _)| kind.label())
            .collect(),
        submission: f.meta.submission.as_ref().map(|s| SubmissionView {
            deadline: DateView::of(s.deadline.get_ref()),
            by: &s.by,
            to: &s.to,
            address: &s.address,
            email: &s.email,
            phone: &s.phone,
            items: s
                .items
                .iter()
                .map(|i| ItemView {
                    name: &i.name,
                    copies: i.copies,
                    seal: i.seal,
                    note: &i.note,
                })
                .collect(),
        }),
        others: site
            .frameworks
            .of(c)
            .filter(|o| o.id != f.id)
            .map(|o| FrameworkRef::of(c, o))
            .collect(),
        indicators,
    }
}

/// The figures the point names that the consortium reports, its bodies of the kinds the point
/// asks for, and its 实体化运作 when the point asks for it.
fn linked<'s>(
    site: &'s Site,
    c: &'s Consortium,
    p: &'s assessment::ObservationPoint,
) -> impl Iterator<Item = EvidenceLink> + 's {
    let figures = p
        .indicators
        .iter()
        .filter(|k| {
            c.indicators
                .entries
                .iter()
                .any(|e| e.key.get_ref() == k.get_ref())
        })
        .filter_map(move |k| evidence_link(site, c, &format!("indicator:{}", k.get_ref())));
    let bodies = p.bodies.iter().flat_map(move |kind| {
        c.profile
            .bodies
            .iter()
            .filter(move |b| b.kind == *kind.get_ref())
            .map(move |b| EvidenceLink {
                label: b.name.clone(),
                url: Route::Consortium(&c.id).url(),
            })
    });
    let operation = c
        .profile
        .operation
        .as_ref()
        .filter(|_| p.operation)
        .map(|o| EvidenceLink {
            label: format!("实体化运作：{}", o.entity),
            url: format!("{}#operation", Route::Consortium(&c.id).url()),
        });
    figures.chain(bodies).chain(operation)
}

/// The index of what a consortium reports under.
#[derive(Debug, Serialize)]
pub struct FrameworksView<'a> {
    pub frameworks: Vec<FrameworkSummary<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FrameworkSummary<'a> {
    pub framework: FrameworkRef<'a>,
    pub answered: usize,
    pub total: usize,
    pub deadline: Option<DateView>,
}

/// The index, and a page a framework.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Vec<Output<'a>> {
    let site = p.input.site;
    let short = &c.profile.short_name;
    let mut out = Vec::new();
    let mut summaries = Vec::new();
    for f in site.frameworks.of(c) {
        let view = assessment_view(site, c, f, c.assessment.as_ref());
        summaries.push(FrameworkSummary {
            framework: FrameworkRef::of(c, f),
            answered: view.answered,
            total: view.total,
            deadline: f
                .meta
                .submission
                .as_ref()
                .map(|s| DateView::of(s.deadline.get_ref())),
        });
        let title = format!("{} · {short}", f.meta.name);
        out.push(p.page(Route::Checklist(&c.id, &f.id), title, Some(c), view));
    }
    let view = FrameworksView {
        frameworks: summaries,
    };
    let title = format!("报送与自评 · {short}");
    out.push(p.page(Route::Assessment(&c.id), title, Some(c), view));
    out
}
