//! The self-assessment scorecard of a consortium (建设指标自评): every observation point with its
//! status and evidence.

use serde::Serialize;

use crate::model::assessment::{self, Assessment};
use crate::model::*;
use crate::site::routes::Route;

use super::common::*;
use super::planner::{Output, Planner};

/// The scorecard of a consortium's self-assessment against the construction indicators.
#[derive(Debug, Serialize)]
pub struct AssessmentView<'a> {
    pub indicators: Vec<IndicatorScore<'a>>,
    /// How many points have each status.
    pub counts: Vec<StatusCount>,
    pub answered: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub key: &'static str,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct IndicatorScore<'a> {
    pub no: String,
    pub name: String,
    pub negative: bool,
    pub points: Vec<PointScore<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PointScore<'a> {
    pub no: String,
    pub text: String,
    /// `achieved`, `partial`, `not_achieved`, `not_applicable`, or empty when not answered.
    pub status: &'static str,
    pub label: &'static str,
    pub evidence: Vec<EvidenceLink>,
    pub note: &'a str,
}

pub fn assessment_view<'a>(
    site: &'a Site,
    c: &'a Consortium,
    a: &'a Assessment,
) -> AssessmentView<'a> {
    let indicators: Vec<IndicatorScore> = assessment::indicators()
        .into_iter()
        .map(|i| IndicatorScore {
            points: i
                .point
                .iter()
                .map(|p| {
                    let answer = a.answer(&p.no);
                    let status = answer.map(|x| *x.status.get_ref());
                    PointScore {
                        no: p.no.clone(),
                        text: p.text.clone(),
                        status: status.map_or("", |s| s.key()),
                        label: status.map_or("未作答", |s| s.label()),
                        evidence: answer
                            .into_iter()
                            .flat_map(|x| &x.evidence)
                            .filter_map(|e| evidence_link(site, c, e.get_ref()))
                            .collect(),
                        note: answer.map_or("", |x| x.note.as_str()),
                    }
                })
                .collect(),
            no: i.no,
            name: i.name,
            negative: i.negative,
        })
        .collect();
    let all: Vec<&PointScore> = indicators.iter().flat_map(|i| &i.points).collect();
    AssessmentView {
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
        indicators,
    }
}

/// The scorecard, when the consortium has an `assessment.toml`.
pub fn plan<'a>(p: &Planner<'_, 'a>, c: &'a Consortium) -> Option<Output<'a>> {
    let a = c.assessment.as_ref()?;
    let title = format!("建设指标自评 · {}", c.profile.short_name);
    let view = assessment_view(p.input.site, c, a);
    Some(p.page(Route::Assessment(&c.id), title, Some(c), view))
}
