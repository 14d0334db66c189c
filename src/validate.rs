//! Rules across files: references between records, ids and slugs, indicator values against the
//! catalogue and the report year. Takes the loaded model and its sources; returns diagnostics and
//! the catalogue extended by `site.toml`. Rules never stop at the first problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{did_you_mean, Collector, Diagnostic};
use crate::model::*;
use crate::source::SourceFile;

/// Paths that the build writes at the site root, which a free page's slug must not take.
pub const RESERVED_SLUGS: [&str; 6] = ["consortia", "compare", "static", "404", "sitemap", "index"];

type Ctx<'a> = Collector<'a>;

/// The built-in catalogue with the site's own groups and indicators added, and problems with them.
pub fn catalogue(
    config: &SiteConfig,
    sources: &BTreeMap<String, SourceFile>,
) -> (Catalogue, Vec<Diagnostic>) {
    let mut cat = Catalogue::built_in();
    let mut ctx = Collector::new(sources);
    for (key, group) in &config.groups {
        if cat.group(key).is_none() {
            cat.groups.push((key.clone(), group.clone()));
        }
    }
    for (key, def) in &config.indicators {
        if cat.get(key).is_some() {
            ctx.error(
                "content/site.toml",
                def.span(),
                format!(
                    "indicator `{key}` is already in the built-in catalogue; choose another key"
                ),
            );
            continue;
        }
        if cat.group(&def.get_ref().group).is_none() {
            let groups: Vec<&str> = cat.groups.iter().map(|(k, _)| k.as_str()).collect();
            let help = did_you_mean(&def.get_ref().group, groups.iter().copied());
            ctx.error(
                "content/site.toml",
                def.span(),
                format!(
                    "indicator `{key}` names unknown group `{}`",
                    def.get_ref().group
                ),
            )
            .help = help;
            continue;
        }
        cat.indicators.push((key.clone(), def.get_ref().clone()));
    }
    (cat, ctx.diags)
}

/// Every cross-file rule over the loaded site.
pub fn validate(
    config: &SiteConfig,
    catalogue: &Catalogue,
    pages: &[Page],
    consortia: &[Consortium],
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    let report_year = *config.report_year.get_ref();
    if !(2000..=2100).contains(&report_year) {
        ctx.error(
            "content/site.toml",
            config.report_year.span(),
            format!("report_year {report_year} is not a plausible year"),
        );
    }
    if !(config.base_url.starts_with("http://")
        || config.base_url.starts_with("https://")
        || config.base_url.starts_with('/'))
    {
        ctx.error(
            "content/site.toml",
            0..0,
            format!(
                "base_url `{}` must start with https://, http:// or /",
                config.base_url
            ),
        );
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for page in pages {
        if RESERVED_SLUGS.contains(&page.slug.as_str()) {
            let span = page.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &page.path,
                span,
                format!(
                    "page slug `{}` is reserved for the site's own pages",
                    page.slug
                ),
            );
        }
        if let Some(first) = seen.insert(&page.slug, &page.path) {
            let span = page.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &page.path,
                span,
                format!(
                    "duplicate page slug `{}`, already used by {first}",
                    page.slug
                ),
            );
        }
        if page.meta.title.trim().is_empty() {
            ctx.error(&page.path, 0..0, "missing key `title` in page");
        }
    }
    let facts = Facts {
        report_year: Some(report_year),
        catalogue,
        catalogue_complete: true,
    };
    for c in consortia {
        consortium(&mut ctx, c, &facts);
    }
    ctx.diags
}

/// The rules that need no `site.toml`, for a site whose `site.toml` could not be read: checks that
/// need the report year or the site's own indicators are left out, the rest still run.
pub fn without_config(
    consortia: &[Consortium],
    sources: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    let mut ctx = Collector::new(sources);
    let catalogue = Catalogue::built_in();
    let facts = Facts {
        report_year: None,
        catalogue: &catalogue,
        catalogue_complete: false,
    };
    for c in consortia {
        consortium(&mut ctx, c, &facts);
    }
    ctx.diags
}

/// What the rules know from `site.toml`.
struct Facts<'a> {
    report_year: Option<i32>,
    catalogue: &'a Catalogue,
    /// False when `site.toml` could not be read: it may add indicators the rules cannot see.
    catalogue_complete: bool,
}

fn consortium(ctx: &mut Ctx, c: &Consortium, facts: &Facts) {
    let ids: Vec<&str> = c
        .members
        .list
        .iter()
        .map(|m| m.id.get_ref().as_str())
        .collect();
    // A reference to a member: must exist. A member's name where its id belongs says which id to
    // write; otherwise the closest id is suggested, with its name.
    let check_ref =
        |ctx: &mut Ctx, path: &str, r: &toml::Spanned<String>, what: &str| -> Option<MemberKind> {
            let written = r.get_ref().as_str();
            match c.member(written) {
                Some(m) => Some(m.kind),
                None if c.members.is_unknowable(written) => None,
                None => {
                    let by_name =
                        c.members.list.iter().find(|m| {
                            m.name == written || m.short_name.as_deref() == Some(written)
                        });
                    let help = match by_name {
                        Some(m) => Some(format!(
                            "`{written}` is the name of member `{}`: write its id, \"{}\"",
                            m.id.get_ref(),
                            m.id.get_ref()
                        )),
                        None => crate::diagnostics::closest(written, ids.iter().copied())
                            .and_then(|id| c.member(id))
                            .map(|m| format!("did you mean `{}` ({})?", m.id.get_ref(), m.name)),
                    };
                    ctx.error(
                        path,
                        r.span(),
                        format!("{what} `{written}` is not a member of this consortium"),
                    )
                    .help = help
                        .or_else(|| Some(format!("member ids are listed in {}", c.members.path)));
                    None
                }
            }
        };

    // Members: ids unique and usable in URLs; students only for schools.
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &c.members.list {
        let id = m.id.get_ref();
        if !crate::content::is_url_safe(id) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                format!("member id `{id}` may use only ASCII letters, digits, `-` and `_`"),
            );
        }
        let (line, _) = ctx.file(&c.members.path).line_col(m.id.span().start);
        if let Some(l) = first.insert(id, line) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                format!("duplicate member id `{id}`, first defined on line {l}"),
            );
            first.insert(id, l);
        }
        if let Some(s) = &m.students {
            if !m.kind.is_school() {
                ctx.error(
                    &c.members.path,
                    s.span(),
                    format!(
                        "`students` is for schools only, but `{id}` is {}",
                        m.kind.label()
                    ),
                );
            }
        }
    }

    // Profile: leads, secretariat, seats, phases (unless the profile could not be read).
    let p = &c.profile;
    if c.profile_unreadable {
        programmes_training_indicators(ctx, c, facts, &check_ref);
        return;
    }
    let path = c.profile_path.as_str();
    for (lead, role, wanted) in [
        (&p.leads.park, "lead park", None),
        (&p.leads.school, "lead school", Some("school")),
        (&p.leads.enterprise, "lead enterprise", Some("enterprise")),
    ] {
        let l = lead.get_ref();
        match &l.member {
            Some(r) => {
                if let Some(kind) = check_ref(ctx, path, r, role) {
                    let fits = match wanted {
                        Some("school") => kind.is_school(),
                        Some(_) => kind == MemberKind::Enterprise,
                        None => true,
                    };
                    if !fits {
                        ctx.warning(
                            path,
                            r.span(),
                            format!(
                                "{role} `{}` is {}, not a {}",
                                r.get_ref(),
                                kind.label(),
                                wanted.unwrap_or("")
                            ),
                        );
                    }
                }
            }
            None if l.name.as_deref().is_none_or(|n| n.trim().is_empty()) => {
                ctx.error(
                    path,
                    lead.span(),
                    format!("{role} needs `member` (a member id) or `name`"),
                );
            }
            None => {}
        }
    }
    if let Some(s) = &p.secretariat {
        if let Some(h) = &s.host {
            check_ref(ctx, path, h, "secretariat host");
        }
        let area = *s.office_area.get_ref();
        if !area.is_finite() || area < 0.0 {
            ctx.error(
                path,
                s.office_area.span(),
                format!("office_area must be a number of m² ≥ 0, found {area}"),
            );
        } else if area == 0.0 {
            ctx.warning(
                path,
                s.office_area.span(),
                "office_area is 0 m²: the form asks for the secretariat's fixed office area",
            );
        }
    }
    for b in &p.bodies {
        for seat in &b.seats {
            if let Some(m) = &seat.member {
                check_ref(ctx, path, m, "seat member");
            }
        }
    }
    for ph in &p.phases {
        if ph.end.get_ref() < ph.start.get_ref() {
            let note = ctx.note(
                path,
                ph.start.span(),
                format!("it starts on {}", ph.start.get_ref()),
            );
            ctx.error(
                path,
                ph.end.span(),
                format!(
                    "phase `{}` ends ({}) before it starts ({})",
                    ph.name,
                    ph.end.get_ref(),
                    ph.start.get_ref()
                ),
            )
            .notes
            .push(note);
        }
    }
    programmes_training_indicators(ctx, c, facts, &check_ref);
}

/// Checks a reference to a member (`ctx`, file, the reference, what it is) and gives its kind.
type CheckRef<'a> = dyn Fn(&mut Ctx, &str, &toml::Spanned<String>, &str) -> Option<MemberKind> + 'a;

/// The rules over programmes, training and indicators, which need no profile.
fn programmes_training_indicators(
    ctx: &mut Ctx,
    c: &Consortium,
    facts: &Facts,
    check_ref: &CheckRef,
) {
    // Programmes: partners exist, start year plausible, slugs unique.
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for prog in &c.programmes {
        if prog.meta.partners.get_ref().is_empty() {
            ctx.error(
                &prog.path,
                prog.meta.partners.span(),
                "a co-built programme needs at least one partner (`partners = [\"member-id\", …]`)",
            );
        }
        let mut seen = BTreeSet::new();
        for r in prog.meta.partners.get_ref() {
            if !seen.insert(r.get_ref()) {
                ctx.error(
                    &prog.path,
                    r.span(),
                    format!("partner `{}` is listed twice", r.get_ref()),
                );
                continue;
            }
            check_ref(ctx, &prog.path, r, "partner");
        }
        let y = *prog.meta.start_year.get_ref();
        if let Some(report_year) = facts.report_year.filter(|r| y > r + 5 || y < 1900) {
            ctx.error(
                &prog.path,
                prog.meta.start_year.span(),
                format!("start_year {y} is not plausible for report year {report_year}"),
            );
        }
        if let Some(other) = slugs.insert(&prog.slug, &prog.path) {
            let span = prog.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &prog.path,
                span,
                format!(
                    "duplicate programme slug `{}`, already used by {other}",
                    prog.slug
                ),
            );
        }
    }

    // Training: providers exist, person-days sane.
    for s in &c.training.sessions {
        check_ref(ctx, &c.training.path, &s.provider, "provider");
        let pd = *s.person_days.get_ref();
        if !pd.is_finite() || pd < 0.0 {
            ctx.error(
                &c.training.path,
                s.person_days.span(),
                format!("person_days must be a number ≥ 0, found {pd}"),
            );
        } else if (pd * 10.0).fract() != 0.0 {
            ctx.error(&c.training.path, s.person_days.span(), format!("person_days {pd} has more than one decimal place (half days are the finest unit)"));
        }
        if let Some(report_year) = facts.report_year.filter(|r| s.date.get_ref().year() > *r) {
            ctx.warning(&c.training.path, s.date.span(), format!("session dated {} is after report year {report_year}; it is not counted until the report year moves on", s.date.get_ref()));
        }
    }

    // Indicators: known keys, values of the right kind, years on the right side of the report year.
    let ind_path = c.indicators.path.as_str();
    for e in &c.indicators.entries {
        let key = e.key.get_ref().as_str();
        let catalogue = facts.catalogue;
        let Some(def) = catalogue.get(key) else {
            if !facts.catalogue_complete {
                continue;
            }
            let help = did_you_mean(key, catalogue.keys());
            ctx.error(ind_path, e.key.span(), format!("unknown indicator `{key}`"))
                .help = help.or_else(|| Some("see the indicator catalogue in README, or add it under [indicators] in site.toml".to_string()));
            continue;
        };
        let v = e.value;
        let problem = if v.is_nan() {
            Some("is NaN, not a number".to_string())
        } else if v.is_infinite() {
            Some("is infinite".to_string())
        } else {
            match def.kind {
                ValueKind::Count if v < 0.0 || v.fract() != 0.0 => Some(format!(
                    "is {v}, but {} ({}) is a count: a whole number ≥ 0",
                    def.name, def.unit
                )),
                ValueKind::Percent if !(0.0..=100.0).contains(&v) => Some(format!(
                    "is {v}, but {} is a percentage between 0 and 100",
                    def.name
                )),
                ValueKind::Amount if v < 0.0 => Some(format!(
                    "is {v}, but {} ({}) cannot be negative",
                    def.name, def.unit
                )),
                ValueKind::Amount
                    if matches!(def.unit.as_str(), "人日" | "人月")
                        && ((v * 10.0).round() - v * 10.0).abs() > 1e-6 =>
                {
                    Some(format!(
                        "is {v}, but {} ({}) has at most one decimal place (half days are the finest unit)",
                        def.name, def.unit
                    ))
                }
                _ => None,
            }
        };
        if let Some(p) = problem {
            ctx.error(
                ind_path,
                e.value_span.clone(),
                format!("{key} {} {p}", e.year),
            );
        }
        let Some(report_year) = facts.report_year else {
            continue;
        };
        match e.basis {
            Basis::Actual if e.year > report_year => {
                ctx.error(ind_path, e.year_span.clone(), format!("actual value of {key} for {}, after the report year {report_year}: a future year can only be [committed]", e.year));
            }
            Basis::Committed if e.year <= report_year => {
                ctx.error(ind_path, e.year_span.clone(), format!("committed value of {key} for {}, which is not after the report year {report_year}: report what was achieved under [actual]", e.year));
            }
            _ => {}
        }
    }

    // Announcements: unique slugs; a date after the report year's end is suspicious but allowed.
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for a in &c.announcements {
        if let Some(other) = slugs.insert(&a.slug, &a.path) {
            let span = a.meta.slug.as_ref().map_or(0..0, |s| s.span());
            ctx.error(
                &a.path,
                span,
                format!(
                    "duplicate announcement slug `{}`, already used by {other}",
                    a.slug
                ),
            );
        }
    }
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
        };
        let config: SiteConfig =
            toml::from_str("title = \"t\"\nbase_url = \"https://e.org/\"\nreport_year = 2024\n")
                .unwrap();
        let cat = Catalogue::built_in();
        let mut d = validate(&config, &cat, &[], &[c], &sources);
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
        assert!(d.contains(&"c/consortium.toml:7:25: error: lead enterprise `nobdy` is not a member of this consortium [did you mean `nobody` (学校)?]".to_string()), "{d:#?}");
        assert!(
            d.contains(
                &"c/consortium.toml:6:21: warning: lead school `ent` is 企业, not a school"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.contains(
                &"c/members.toml:5:12: error: `students` is for schools only, but `ent` is 企业"
                    .to_string()
            ),
            "{d:#?}"
        );
        assert!(
            d.iter().any(|l| l.starts_with(
                "c/training.toml:7:15: error: person_days 1.25 has more than one decimal"
            )),
            "{d:#?}"
        );
        assert_eq!(d.len(), 4, "{d:#?}");
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
