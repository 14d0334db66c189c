//! The figures of the `base` fixture against numbers worked out by hand from its files
//! (`tests/fixtures/base/content/consortia/alpha/`), and their formatting on the pages.

mod common;

use chanjiao::figures::{Direction, Figures, Origin};
use chanjiao::format;
use chanjiao::model::{Audience, Basis, MemberKind, ProgrammeKind, ProgrammeStatus};
use chanjiao::site::prepare;

fn base() -> chanjiao::site::Prepared {
    match prepare(&common::fixture("base"), false) {
        Ok(p) => p,
        Err(_) => panic!("the base fixture checks clean"),
    }
}

#[test]
fn members_by_kind_as_of_each_year_end() {
    let p = base();
    let figures = Figures::of(&p.site);
    let f = figures.consortium("alpha").unwrap();
    // park, college, school, uni, maker, lab: one of each kind.
    assert_eq!(f.members.members(), 6);
    assert_eq!(f.members.students(), 15_000 + 3_200 + 21_000);
    // Only the college had joined by 31 December 2022 (it joined on 2017-03-01).
    let y2022 = f.members_by_year[&2022];
    assert_eq!(y2022.members(), 1);
    assert_eq!(y2022.get(MemberKind::HigherVocational).students, 15_000);
    // The research institute joined on 2024-01-10: five members at the end of 2023.
    let y2023 = f.members_by_year[&2023];
    assert_eq!(y2023.members(), 5);
    assert_eq!(y2023.get(MemberKind::Research).members, 0);
    assert_eq!(y2023.students(), 39_200);
    assert_eq!(f.members_at_cutoff().members(), 6);
    // The years run from the founding (2017) to the report year.
    assert_eq!(f.members_by_year.keys().next(), Some(&2017));
    assert_eq!(f.members_by_year.keys().last(), Some(&2024));
}

#[test]
fn training_by_year_audience_and_provider() {
    let p = base();
    let figures = Figures::of(&p.site);
    let f = figures.consortium("alpha").unwrap();
    let t2023 = f.training.year(2023);
    assert_eq!(
        (t2023.sessions, t2023.participants, t2023.person_days()),
        (1, 60, 180.0)
    );
    let t2024 = f.training.year(2024);
    assert_eq!(
        (t2024.sessions, t2024.participants, t2024.person_days()),
        (3, 40 + 30 + 12, 120.0 + 15.0 + 60.0)
    );
    let social = f.training.year_audience(2024, Audience::Social);
    assert_eq!((social.sessions, social.person_days()), (1, 120.0));
    let maker = f.training.provider("maker");
    assert_eq!(
        (maker.sessions, maker.participants, maker.person_days()),
        (2, 42, 75.0)
    );
    assert_eq!(f.training.total().sessions, 4);
    assert_eq!(f.training.years(), vec![2023, 2024]);
    assert_eq!(format::person_days(&f.training.total()), "375.0");
}

#[test]
fn programmes_by_kind_status_and_start_year() {
    let p = base();
    let figures = Figures::of(&p.site);
    let f = figures.consortium("alpha").unwrap();
    assert_eq!(f.programmes.total(), 2);
    assert_eq!(
        f.programmes
            .kind_status(ProgrammeKind::Major, ProgrammeStatus::Building),
        1
    );
    assert_eq!(f.programmes.started(ProgrammeKind::Major, 2023), 1);
    assert_eq!(
        f.programmes.started(ProgrammeKind::ServicePlatform, 2024),
        1
    );
    assert_eq!(f.programmes.kind(ProgrammeKind::Course), 0);
}

#[test]
fn series_changes_and_derived_person_days() {
    let p = base();
    let figures = Figures::of(&p.site);
    let f = figures.consortium("alpha").unwrap();

    let majors = f.series("co_built_majors").unwrap();
    assert_eq!(majors.actual().count(), 3);
    assert_eq!(
        majors.committed().map(|p| p.year).collect::<Vec<_>>(),
        [2025, 2026]
    );
    let ch = majors.change().unwrap();
    assert_eq!((ch.from_year, ch.to_year, ch.delta), (2023, 2024, 3.0));
    assert_eq!(ch.percent, Some(37.5));
    assert_eq!(ch.direction(), Direction::Up);
    assert_eq!(format::change(&ch, majors.def), "+3（+37.5%）");
    // The figure knows its line: `co_built_majors = { 2022 = 5, 2023 = 8, 2024 = 11 }` is line 2.
    let src = majors.latest_actual().unwrap().source().unwrap();
    let text = std::fs::read_to_string(common::fixture("base").join(src.path)).unwrap();
    let file = chanjiao::source::SourceFile::new(src.path, text);
    assert_eq!(file.line_col(src.span.start), (2, 48));

    let rate = f.series("employment_rate").unwrap();
    let ch = rate.change().unwrap();
    assert_eq!(ch.percent, None);
    assert!((ch.delta - 0.4).abs() < 1e-9);
    assert_eq!(
        format::change(&ch, rate.def),
        "+0.4\u{2060}个\u{2060}百\u{2060}分\u{2060}点"
    );
    assert_eq!(
        format::indicator_with_unit(rate.point(2023, Basis::Actual).unwrap().value, rate.def),
        "96.0%"
    );

    // Where indicators.toml has no person-days of a year, the ledger gives them, marked as
    // derived; a year it has (2022) stands as entered.
    let staff = f.series("staff_training_person_days").unwrap();
    assert_eq!(staff.points.len(), 2);
    assert!(!staff.points[0].derived() && staff.points[0].year == 2022);
    let pt = &staff.points[1];
    assert_eq!((pt.year, pt.value, pt.basis), (2023, 180.0, Basis::Actual));
    assert!(matches!(pt.origin, Origin::Ledger { sessions: 1, .. }));
    assert!(pt.derived());
    let social = f.series("social_training_person_days").unwrap();
    let last = social.points.last().unwrap();
    assert_eq!((last.year, last.value), (2024, 120.0));
    assert!(last.derived());
}

#[test]
fn funds_by_source() {
    let p = base();
    let figures = Figures::of(&p.site);
    let f = figures.consortium("alpha").unwrap();
    let y2024 = f.funds.iter().find(|x| x.year == 2024).unwrap();
    assert_eq!(y2024.total.unwrap().value, 410.25);
    assert_eq!(y2024.sources.len(), 4);
    assert_eq!(y2024.sources[0].0, "funds_lead_units");
    assert!((y2024.sources_sum() - 410.25).abs() < 1e-9);
    let y2023 = f.funds.iter().find(|x| x.year == 2023).unwrap();
    assert!(y2023.sources.is_empty());
    let def = p.site.catalogue.get("operating_funds").unwrap();
    assert_eq!(
        format::indicator_with_unit(y2023.total.unwrap().value, def),
        "320.50\u{2060}万\u{2060}元"
    );
}
