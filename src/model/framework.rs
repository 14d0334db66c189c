//! Frameworks: what a consortium reports under. A framework is a folder of TOML: its
//! `framework.toml` (the notice, its form and year rule, its submission duties), its
//! `assessment.toml` (the indicators and observation points a consortium assesses itself
//! against) and, for a province, its `industries.toml` (the industry layout). Two are built in:
//! `moe-2024`, the national building tasks of 教职成厅函〔2024〕20号, and `hunan-2024`, Hunan's call
//! of 湘教通〔2024〕23号 with its 推荐书. A site adds its own in `content/frameworks/<id>/`.

use serde::Deserialize;
use toml::Spanned;

use super::assessment::{Indicator, Points};
use super::form::FormLayout;
use super::industries::Taxonomy;
use super::Date;

/// One framework, built in or the site's own.
#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub meta: Meta,
    pub indicators: Vec<Indicator>,
    pub taxonomy: Option<Taxonomy>,
    /// Its recommendation form: its own `form.toml`, or the built-in form its `form` names.
    pub form: Option<FormLayout>,
    /// Where it was read from (`content/frameworks/<id>`), `None` when built in.
    pub dir: Option<String>,
}

/// Whether a framework is the nation's or a province's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[serde(alias = "国家")]
    National,
    #[serde(alias = "省")]
    Province,
}

/// The built-in forms, by the name of their framework.
pub const FORMS: [&str; 1] = ["hunan-2024"];

/// `framework.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// How pages name it: 湖南省市域产教联合体推荐（2024年）.
    pub name: String,
    /// The notice's title, as its form cites it.
    pub title: String,
    pub issuer: String,
    /// Its document number (发文字号): 湘教通〔2024〕23号.
    pub document: String,
    pub date: Spanned<Date>,
    pub scope: Scope,
    pub province: Option<String>,
    /// What its checklist is called: 市域产教联合体建设指标（附件2）.
    pub assessment: String,
    /// Its recommendation form: one of [`FORMS`], or its own id with its own `form.toml`; none
    /// when it has no form.
    pub form: Option<Spanned<String>>,
    /// The year its form applies for: the year before is reported as it stands, this year and
    /// the next as commitments.
    pub application_year: Option<Spanned<i32>>,
    pub submission: Option<Submission>,
}

/// What the notice asks to be sent, by when and to whom.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub deadline: Spanned<Date>,
    /// Who sends it: 各市州教育（体）局.
    #[serde(default)]
    pub by: String,
    pub to: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default, rename = "item")]
    pub items: Vec<SubmissionItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionItem {
    pub name: String,
    pub copies: Option<u32>,
    /// 加盖公章.
    #[serde(default)]
    pub seal: bool,
    #[serde(default)]
    pub note: String,
}

/// The id of the national framework, which a consortium reports under when it names none.
pub const NATIONAL: &str = "moe-2024";

/// A built-in framework's files: id, framework.toml, assessment.toml, industries.toml, form.toml.
type Files = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const BUILT_IN: [Files; 2] = [
    (
        "moe-2024",
        include_str!("../frameworks/moe-2024/framework.toml"),
        include_str!("../frameworks/moe-2024/assessment.toml"),
        None,
        None,
    ),
    (
        "hunan-2024",
        include_str!("../frameworks/hunan-2024/framework.toml"),
        include_str!("../frameworks/hunan-2024/assessment.toml"),
        Some(include_str!("../frameworks/hunan-2024/industries.toml")),
        Some(include_str!("../frameworks/hunan-2024/form.toml")),
    ),
];

impl Framework {
    /// The frameworks built in, `moe-2024` first.
    pub fn built_in() -> Vec<Framework> {
        BUILT_IN
            .iter()
            .map(|(id, meta, points, industries, form)| Framework {
                id: id.to_string(),
                meta: toml::from_str(meta).expect("a built-in framework.toml is valid (unit test)"),
                indicators: toml::from_str::<Points>(points)
                    .expect("a built-in assessment.toml is valid (unit test)")
                    .indicator,
                taxonomy: industries.map(|t| {
                    toml::from_str(t).expect("a built-in industries.toml is valid (unit test)")
                }),
                form: form
                    .map(|t| toml::from_str(t).expect("a built-in form.toml is valid (unit test)")),
                dir: None,
            })
            .collect()
    }

    /// Every observation point, in order, with its indicator.
    pub fn points(
        &self,
    ) -> impl Iterator<Item = (&Indicator, &super::assessment::ObservationPoint)> {
        self.indicators
            .iter()
            .flat_map(|i| i.point.iter().map(move |p| (i, p)))
    }

    /// The kinds of body its points ask for that none of `bodies` is (in any status), each with
    /// the first point that asks for it, in the order of the points.
    pub fn missing_bodies(&self, bodies: &[super::Body]) -> Vec<(super::BodyKind, &str)> {
        let mut missing: Vec<(super::BodyKind, &str)> = Vec::new();
        for (_, p) in self.points() {
            for kind in p.bodies.iter().map(|b| *b.get_ref()) {
                if !bodies.iter().any(|b| b.kind == kind)
                    && !missing.iter().any(|(k, _)| *k == kind)
                {
                    missing.push((kind, p.no.as_str()));
                }
            }
        }
        missing
    }

    /// The form's application year, when it has a form.
    pub fn form_year(&self) -> Option<i32> {
        self.form.as_ref()?;
        self.meta.application_year.as_ref().map(|y| *y.get_ref())
    }
}

/// The frameworks a site knows: the built-in ones, then the site's own (a site framework of a
/// built-in id takes its place), and the site's own industry taxonomy.
#[derive(Debug, Clone, Default)]
pub struct Frameworks {
    pub list: Vec<Framework>,
    /// `content/industries.toml`, for consortia whose frameworks have no industry layout.
    pub site_taxonomy: Option<Taxonomy>,
}

impl Frameworks {
    pub fn new(site: Vec<Framework>, site_taxonomy: Option<Taxonomy>) -> Frameworks {
        let mut list = Framework::built_in();
        let built_in = list.clone();
        for mut f in site {
            // A framework without a form.toml of its own fills in the built-in form it names.
            if f.form.is_none() {
                let named = f.meta.form.as_ref().map(|n| n.get_ref().as_str());
                f.form = built_in
                    .iter()
                    .find(|b| Some(b.id.as_str()) == named)
                    .and_then(|b| b.form.clone());
            }
            match list.iter_mut().find(|b| b.id == f.id) {
                Some(b) => *b = f,
                None => list.push(f),
            }
        }
        Frameworks {
            list,
            site_taxonomy,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Framework> {
        self.list.iter().find(|f| f.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|f| f.id.as_str())
    }

    /// The known frameworks a consortium reports under, in its order.
    pub fn of<'a>(&'a self, c: &'a super::Consortium) -> impl Iterator<Item = &'a Framework> {
        c.profile.framework_ids().filter_map(move |id| self.get(id))
    }

    /// The industry taxonomy of a consortium: its own `industries.toml`, else that of the first
    /// of its frameworks that has one, else the site's; `None` when there is none.
    pub fn taxonomy_of<'a>(&'a self, c: &'a super::Consortium) -> Option<&'a Taxonomy> {
        c.taxonomy
            .as_ref()
            .or_else(|| self.of(c).find_map(|f| f.taxonomy.as_ref()))
            .or(self.site_taxonomy.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_frameworks_read_and_hold_their_published_points() {
        let all = Framework::built_in();
        assert_eq!(all[0].id, NATIONAL);
        let hunan = &all[1];
        let points: Vec<&str> = hunan.points().map(|(_, p)| p.no.as_str()).collect();
        assert_eq!(points.len(), 26);
        assert_eq!((points[0], points[25]), ("1.1", "7"));
        assert!(hunan.indicators[6].negative && !hunan.indicators[0].negative);
        assert_eq!(hunan.form_year(), Some(2024));
        assert_eq!(hunan.taxonomy.as_ref().unwrap().industry.len(), 16);
        let moe = &all[0];
        assert_eq!(moe.points().count(), 12);
        assert!(moe.taxonomy.is_none() && moe.form_year().is_none());
        // The built-in forms are those of FORMS, each its framework's own.
        let with_form: Vec<&str> = all
            .iter()
            .filter(|f| f.form.is_some())
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(with_form, FORMS);
        let catalogue = crate::model::Catalogue::built_in();
        for f in &all {
            for (_, p) in f.points() {
                for k in &p.indicators {
                    assert!(
                        catalogue.get(k.get_ref()).is_some(),
                        "{}: {}",
                        f.id,
                        k.get_ref()
                    );
                }
            }
        }
    }
}
