//! The rules that content must follow, one file per content file: `site.toml` (`site`), free
//! pages (`pages`), a consortium's profile (`profile`), members, programmes, training, indicators,
//! announcements, the report and assessment (`report`), governance and lists (`governance`), and
//! the cross-checks over the figures (`crosscheck`). Every rule reports with `rule!`, whose
//! message key names the rule's code; `chanjiao explain CODE` prints what a code means
//! (`explain`). Rules never stop at the first problem, and no rule of a consortium reads another.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::{Deref, DerefMut};

use crate::diagnostics::{did_you_mean, Collector, Diagnostic, Message};
use crate::model::*;
use crate::source::SourceFile;

mod announcements;
mod cells;
pub mod crosscheck;
pub mod explain;
pub mod frameworks;
mod governance;
mod indicators;
mod members;
pub mod names;
mod pages;
mod profile;
mod programmes;
mod prose;
mod records;
mod report;
mod site;
pub use members::credit_code_ok;
pub use site::base_url_is_valid;
mod training;

pub use announcements::RESERVED_ANNOUNCEMENT_SLUGS;
pub use pages::{RESERVED_CONSORTIUM_SLUGS, RESERVED_SLUGS};
pub(crate) use site::PLAUSIBLE_REPORT_YEARS;
pub use site::{catalogue, site_rules};

/// Every cross-file rule over the loaded site.
pub fn validate(
    config: &SiteConfig,
    catalogue: &Catalogue,
    pages: &[Page],
    consortia: &[std::sync::Arc<Consortium>],
    sources: &BTreeMap<String, SourceFile>,
    broken: &BTreeSet<String>,
    frameworks: &framework::Frameworks,
) -> Vec<Diagnostic> {
    let mut diags = site_rules(config, pages, sources);
    let rules = Rules {
        config,
        catalogue,
        pages,
        frameworks,
    };
    for c in consortia {
        diags.extend(rules.consortium(c, sources, broken));
    }
    diags
}

/// What the rules of one consortium read from the rest of the site: nothing of another
/// consortium, so each consortium can be checked on its own.
pub struct Rules<'a> {
    pub config: &'a SiteConfig,
    pub catalogue: &'a Catalogue,
    pub pages: &'a [Page],
    pub frameworks: &'a framework::Frameworks,
}

impl Rules<'_> {
    /// Every rule of one consortium. `sources` holds its files; `broken` names the files (of the
    /// site or the consortium) whose loading gave an error.
    pub fn consortium(
        &self,
        c: &Consortium,
        sources: &BTreeMap<String, SourceFile>,
        broken: &BTreeSet<String>,
    ) -> Vec<Diagnostic> {
        let facts = Facts {
            // An implausible report year is reported once (`implausible-report-year`); the rules
            // that compare with it are left out, as when site.toml cannot be read.
            report_year: Some(*self.config.report_year.get_ref())
                .filter(|y| PLAUSIBLE_REPORT_YEARS.contains(y)),
            catalogue: self.catalogue,
            catalogue_complete: true,
            categories: self
                .config
                .categories()
                .into_iter()
                .map(|(n, _)| n)
                .collect(),
            pages: Some(self.pages.iter().map(|p| p.slug.as_str()).collect()),
            broken,
            frameworks: self.frameworks,
        };
        consortium(c, &facts, sources)
    }
}

/// The rules that need no `site.toml`, for a site whose `site.toml` could not be read: checks that
/// need the report year or the site's own indicators are left out, the rest still run.
pub fn without_config(
    consortia: &[std::sync::Arc<Consortium>],
    sources: &BTreeMap<String, SourceFile>,
    broken: &BTreeSet<String>,
    frameworks: &framework::Frameworks,
) -> Vec<Diagnostic> {
    let catalogue = Catalogue::built_in();
    let facts = Facts {
        report_year: None,
        catalogue: &catalogue,
        catalogue_complete: false,
        categories: Vec::new(),
        pages: None,
        broken,
        frameworks,
    };
    consortia
        .iter()
        .flat_map(|c| consortium(c, &facts, sources))
        .collect()
}

/// `unknown-indicator`: `key`, at its place in `path`, is not in the catalogue; the closest key
/// is suggested, else the catalogue.
pub(crate) fn unknown_indicator(
    out: &mut Collector,
    catalogue: &Catalogue,
    path: &str,
    key: &toml::Spanned<String>,
) {
    let help = did_you_mean(key.get_ref(), catalogue.keys());
    out.error(
        path,
        key.span(),
        rule!("check.unknown_indicator", key = key.get_ref()),
    )
    .help = help.or_else(|| Some(msg!("check.unknown_indicator_help")));
}

/// What the rules know from `site.toml`.
pub(crate) struct Facts<'a> {
    pub report_year: Option<i32>,
    pub catalogue: &'a Catalogue,
    /// False when `site.toml` could not be read: it may add indicators the rules cannot see.
    pub catalogue_complete: bool,
    /// Announcement categories; empty when `site.toml` could not be read.
    pub categories: Vec<&'a str>,
    /// Slugs of the site's free pages (evidence may name them); `None` when not known.
    pub pages: Option<Vec<&'a str>>,
    /// Files that had errors of their own: what they would hold cannot be referred to or judged.
    pub broken: &'a BTreeSet<String>,
    /// The industry taxonomy codes are checked against.
    pub frameworks: &'a framework::Frameworks,
}

/// What one consortium's rules work with: where their diagnostics go (the context derefs to its
/// [`Collector`]), the consortium, and what they know from `site.toml`.
pub(crate) struct Ctx<'a> {
    out: Collector<'a>,
    pub c: &'a Consortium,
    pub facts: &'a Facts<'a>,
    /// The consortium's member ids, for suggestions.
    ids: Vec<&'a str>,
}

impl<'a> Deref for Ctx<'a> {
    type Target = Collector<'a>;
    fn deref(&self) -> &Collector<'a> {
        &self.out
    }
}

impl DerefMut for Ctx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.out
    }
}

impl<'a> Ctx<'a> {
    fn new(
        c: &'a Consortium,
        facts: &'a Facts<'a>,
        sources: &'a BTreeMap<String, SourceFile>,
    ) -> Self {
        let ids = c
            .members
            .list
            .iter()
            .map(|m| m.id.get_ref().as_str())
            .collect();
        Ctx {
            out: Collector::new(sources),
            c,
            facts,
            ids,
        }
    }

    /// `not-a-member`: a reference to a member (`what` says which) must name one; gives its kind.
    /// A member's name where its id belongs says which id to write; otherwise the closest id is
    /// suggested, with its name. A member of a file that could not be read is not judged.
    pub(super) fn member_ref(
        &mut self,
        path: &str,
        r: &toml::Spanned<String>,
        what: &str,
    ) -> Option<MemberKind> {
        let c = self.c;
        let written = r.get_ref().as_str();
        match c.member(written) {
            Some(m) => Some(m.kind),
            None if c.members.is_unknowable(written) => None,
            None => {
                let by_name = c
                    .members
                    .list
                    .iter()
                    .find(|m| m.name == written || m.short_name.as_deref() == Some(written));
                let help = match by_name {
                    Some(m) => Some(msg!(
                        "check.member_name_for_id",
                        written,
                        id = m.id.get_ref()
                    )),
                    None => crate::diagnostics::closest(written, self.ids.iter().copied())
                        .and_then(|id| c.member(id))
                        .map(|m| {
                            msg!(
                                "check.did_you_mean_member",
                                id = m.id.get_ref(),
                                name = m.name
                            )
                        }),
                };
                self.error(path, r.span(), rule!("check.not_a_member", what, written))
                    .help =
                    help.or_else(|| Some(msg!("check.member_ids_in", path = c.members.path)));
                None
            }
        }
    }

    /// Why a piece of evidence leads nowhere, if it does.
    pub(super) fn evidence_problem(&self, e: &str) -> Option<String> {
        let (c, facts) = (self.c, self.facts);
        let Some((kind, target)) = e.split_once(':') else {
            return Some(msg!("check.evidence_without_kind"));
        };
        // Evidence in a file that could not be read is not judged: its error is reported already.
        let dir = c.profile_path.trim_end_matches("consortium.toml");
        let broken = |prefix: &str| facts.broken.iter().any(|p| p.starts_with(prefix));
        let unknowable = match kind {
            "indicator" | "report" => broken(&format!("{dir}indicators.toml")),
            "programme" => broken(&format!("{dir}programmes/")),
            "announcement" => broken(&format!("{dir}announcements/")),
            "member" => c.members.is_unknowable(target),
            "page" => broken("content/pages/") || broken(&format!("{dir}pages/")),
            _ => false,
        };
        if unknowable {
            return None;
        }
        let found = match kind {
            "indicator" => {
                let derived = matches!(
                    target,
                    "staff_training_person_days" | "social_training_person_days"
                ) && !c.training.sessions.is_empty();
                derived
                    || c.indicators
                        .entries
                        .iter()
                        .any(|x| x.key.get_ref() == target)
            }
            "programme" => c.programmes.iter().any(|p| p.slug == target),
            "announcement" => c.announcements.iter().any(|x| x.slug == target),
            "member" => c.member(target).is_some(),
            "page" => {
                c.pages.iter().any(|p| p.slug == target)
                    || facts.pages.as_ref().is_none_or(|p| p.contains(&target))
            }
            "report" => target.parse::<i32>().is_ok_and(|y| {
                c.indicators
                    .entries
                    .iter()
                    .any(|x| x.basis == Basis::Actual && x.year == y)
            }),
            _ => {
                return Some(msg!(
                    "check.evidence_unknown_kind",
                    kind,
                    kinds = crate::messages::list(assessment::EVIDENCE_KINDS)
                ))
            }
        };
        (!found).then(|| match kind {
            "page" => msg!("check.evidence_no_page", target),
            "report" => msg!("check.evidence_no_report", target),
            _ => msg!("check.evidence_no_target", kind, target),
        })
    }
}

/// A 发文字号 in the standard form, or an error saying what slipped and the form it likely
/// means. Returns whether it was standard.
pub(super) fn doc_number(ctx: &mut Collector, path: &str, number: &toml::Spanned<String>) -> bool {
    let Some(problem) = crate::docnumber::check(number.get_ref()) else {
        return true;
    };
    let help = problem.suggestion.as_ref().map_or_else(
        || msg!("check.doc_number_form_help"),
        |s| msg!("check.doc_number_write", s),
    );
    let text = number.get_ref();
    // One rule: the slips, when they are known, say what is wrong with the form.
    let message = if problem.slips.is_empty() {
        rule!("check.doc_number_form", number = text)
    } else {
        let slips = problem.slips.join(msg!("check.list_separator").as_str());
        Message::named(
            "check.doc_number_form",
            msg!("check.doc_number_slips", number = text, slips),
        )
    };
    ctx.error(path, number.span(), message).help = Some(help);
    false
}

/// Every rule of one consortium.
fn consortium(
    c: &Consortium,
    facts: &Facts,
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Ctx::new(c, facts, sources);
    members::members(&mut ctx);
    members::members_twice(&mut ctx);
    // The profile's rules need the profile; a profile that could not be read has its error.
    if !c.profile_unreadable {
        profile::profile(&mut ctx);
        profile::seats(&mut ctx);
    }
    if let Some(m) = &c.milestones {
        governance::milestones(&mut ctx, m);
    }
    if let Some(m) = &c.majors {
        governance::majors(&mut ctx, m);
    }
    if let Some(l) = &c.lists {
        governance::lists(&mut ctx, l);
    }
    if let Some(g) = &c.governance {
        governance::governance(&mut ctx, g);
    }
    profile::industry_codes(&mut ctx);
    programmes::programmes(&mut ctx);
    training::training(&mut ctx);
    indicators::indicators(&mut ctx);
    if let Some(r) = &c.report {
        report::report(&mut ctx, r);
    }
    frameworks::named(&mut ctx);
    frameworks::bodies(&mut ctx);
    let unanswered = crate::model::assessment::Assessment::default();
    frameworks::assessment(&mut ctx, c.assessment.as_ref().unwrap_or(&unanswered));
    pages::pages(&mut ctx, &c.pages, &RESERVED_CONSORTIUM_SLUGS, |slug| {
        rule!("check.page_slug_section", slug)
    });
    announcements::announcements(&mut ctx);
    ctx.out.diags
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = "name = \"n\"\nshort_name = \"s\"\nfounded = 2023-06-01\n[leads]\npark = { name = \"园区\" }\nschool = { member = \"ent\" }\nenterprise = { member = \"nobdy\" }\n";
    const MEMBERS: &str = "[[member]]\nid = \"ent\"\nname = \"企业\"\nkind = \"enterprise\"\nstudents = 5\n\n[[member]]\nid = \"nobody\"\nname = \"学校\"\nkind = \"higher_vocational\"\n";
    const TRAINING: &str = "[[session]]\ndate = 2024-01-02\ntitle = \"t\"\nprovider = \"ent\"\naudience = \"social\"\nparticipants = 3\nperson_days = 1.25\n";

    /// Runs the rules over one consortium written as TOML, with its files as sources.
    fn run(indicators: &[(&str, i32, f64, Basis)]) -> Vec<String> {
        #[derive(serde::Deserialize)]
        struct M {
            member: Vec<Member>,
        }
        #[derive(serde::Deserialize)]
        struct T {
            session: Vec<TrainingSession>,
        }
        let files = [
            ("c/consortium.toml", PROFILE),
            ("c/members.toml", MEMBERS),
            ("c/training.toml", TRAINING),
            ("c/indicators.toml", ""),
        ];
        let sources: BTreeMap<String, SourceFile> = files
            .iter()
            .map(|(p, t)| (p.to_string(), SourceFile::new(*p, t.to_string())))
            .collect();
        let c = Consortium {
            id: "c".into(),
            profile_path: "c/consortium.toml".into(),
            profile_unreadable: false,
            profile: toml::from_str(PROFILE).unwrap(),
            members: Members {
                path: "c/members.toml".into(),
                list: toml::from_str::<M>(MEMBERS).unwrap().member,
                ..Members::default()
            },
            programmes: Vec::new(),
            training: Training {
                path: "c/training.toml".into(),
                sessions: toml::from_str::<T>(TRAINING).unwrap().session,
            },
            indicators: Indicators {
                path: "c/indicators.toml".into(),
                entries: indicators
                    .iter()
                    .map(|(k, y, v, b)| IndicatorEntry {
                        key: toml::Spanned::new(0..0, k.to_string()),
                        year: *y,
                        year_span: 0..0,
                        value: *v,
                        value_span: 0..0,
                        basis: *b,
                    })
                    .collect(),
            },
            announcements: Vec::new(),
            report: None,
            report_path: "c/report.toml".into(),
            assessment: None,
            assessment_path: "c/assessment.toml".into(),
            pages: Vec::new(),
            milestones: None,
            milestones_path: "c/milestones.toml".into(),
            majors: None,
            majors_path: "c/majors.toml".into(),
            lists: None,
            lists_path: "c/lists.toml".into(),
            governance: None,
            governance_path: "c/governance.toml".into(),
            taxonomy: None,
        };
        let config: SiteConfig =
            toml::from_str("title = \"t\"\nbase_url = \"https://e.org/\"\nreport_year = 2024\n")
                .unwrap();
        let cat = Catalogue::built_in();
        let mut d = validate(
            &config,
            &cat,
            &[],
            &[std::sync::Arc::new(c)],
            &sources,
            &BTreeSet::new(),
            &framework::Frameworks::new(Vec::new(), None),
        );
        crate::diagnostics::sort(&mut d);
        d.iter()
            .map(|d| {
                format!(
                    "{}{}",
                    d,
                    d.help.as_ref().map_or(String::new(), |h| format!(" [{h}]"))
                )
            })
            .collect()
    }

    #[test]
    fn member_rules() {
        let d = run(&[]);
        assert!(d.contains(&"c/consortium.toml:7:25: error[not-a-member]: lead enterprise `nobdy` is not a member of this consortium [did you mean `nobody` (学校)?]".to_string()), "{d:#?}");
        assert!(
            d.contains(
                &"c/consortium.toml:6:21: warning[lead-wrong-kind]: lead school `ent` is 企业, not a school"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.contains(
                &"c/members.toml:5:12: error[students-not-school]: `students` is for schools only, but `ent` is 企业"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.iter().any(|l| l.starts_with(
                "c/training.toml:7:15: error[person-days-decimals]: person_days 1.25 has more than one decimal"
            )),
            "{d:#?}"
        );
        // A consortium with no assessment.toml is told once that its framework's points are open.
        assert!(
            d[0].contains("warning[points-unanswered]: 12 of the 12 points"),
            "{d:#?}"
        );
        assert_eq!(d.len(), 5, "{d:#?}");
    }

    #[test]
    fn indicator_rules_follow_kind_and_report_year() {
        use Basis::*;
        let base = run(&[]).len();
        let with = |e: &[(&str, i32, f64, Basis)]| run(e).len() - base;
        assert_eq!(
            with(&[
                ("co_built_majors", 2024, 3.0, Actual),
                ("co_built_majors", 2025, 5.0, Committed)
            ]),
            0
        );
        assert_eq!(with(&[("co_built_majors", 2024, 3.5, Actual)]), 1);
        assert_eq!(
            with(&[
                ("employment_rate", 2024, 100.0, Actual),
                ("employment_rate", 2023, 0.0, Actual)
            ]),
            0
        );
        assert_eq!(with(&[("employment_rate", 2024, 100.01, Actual)]), 1);
        assert_eq!(
            with(&[
                ("operating_funds", 2024, 0.5, Actual),
                ("operating_funds", 2023, -0.5, Actual)
            ]),
            1
        );
        assert_eq!(with(&[("operating_funds", 2024, f64::NAN, Actual)]), 1);
        assert_eq!(with(&[("co_built_majors", 2025, 3.0, Actual)]), 1);
        assert_eq!(with(&[("co_built_majors", 2024, 3.0, Committed)]), 1);
        assert_eq!(with(&[("no_such_key", 2024, 3.0, Actual)]), 1);
    }
}
