//! Property tests for loading and validation: arbitrary input never panics; a generated valid
//! site gives no diagnostic; one injected fault gives exactly its one diagnostic, at its line.

mod common;

use std::fs;
use std::path::Path;

use chanjiao::site::{prepare, Failure};
use proptest::prelude::*;

const KINDS: [&str; 6] = [
    "secondary_vocational",
    "higher_vocational",
    "undergraduate",
    "government",
    "enterprise",
    "research",
];
const AUDIENCES: [&str; 4] = ["enterprise_staff", "social", "students", "teachers"];
const COUNT_KEYS: [&str; 5] = [
    "co_built_majors",
    "co_built_courses",
    "apprenticeship_trainees",
    "skill_certifications",
    "master_studios",
];

#[derive(Debug, Clone)]
struct Gen {
    kinds: Vec<usize>,
    students: Vec<u32>,
    /// Day of joining, counted from 2021-01-01 (before 2023, when the sessions are).
    joined: Vec<u32>,
    sessions: Vec<(usize, usize, u32, u32, u32, u32)>, // provider, audience, month, day, participants, days
    counts: Vec<(usize, [u32; 5])>,                    // count key, values 2022..2026
    rate: [u32; 5],                                    // employment rate × 10
    programmes: Vec<(usize, usize, i32, usize)>,       // kind, status, start year, partner
    funds: [[u32; 4]; 2], // sources in hundredths of 万元, 2023 and 2024
    staff_reported: bool, // person-days for enterprise staff written in indicators.toml
}

const PROGRAMME_KINDS: [&str; 10] = [
    "major",
    "course",
    "textbook",
    "training_base",
    "industry_college",
    "apprenticeship_class",
    "field_engineer_class",
    "order_class",
    "service_platform",
    "master_studio",
];
const STATUSES: [&str; 4] = ["planned", "building", "completed", "accredited"];
const FUND_KEYS: [&str; 4] = [
    "funds_lead_units",
    "funds_government",
    "funds_other_members",
    "funds_other",
];

fn gen() -> impl Strategy<Value = Gen> {
    (3usize..9).prop_flat_map(|n| {
        (
            proptest::collection::vec(0usize..6, n),
            proptest::collection::vec(100u32..30000, n),
            proptest::collection::vec(0u32..720, n),
            proptest::collection::vec(
                (0..n, 0usize..4, 1u32..13, 1u32..29, 1u32..300, 1u32..10),
                1..12,
            ),
            proptest::collection::vec(
                (
                    0usize..5,
                    // Within a factor of ten of each other, so no year-on-year jump is flagged.
                    [50u32..500, 50u32..500, 50u32..500, 50u32..500, 50u32..500],
                ),
                0..5,
            ),
            // Employment rates of 30% to 100%: a rate under 1 beside others of tens would be a
            // fraction written among percentages (`percent-mixed`).
            [
                300u32..1001,
                300u32..1001,
                300u32..1001,
                300u32..1001,
                300u32..1001,
            ],
            (
                proptest::collection::vec((0usize..10, 0usize..4, 2023i32..2025, 0..n), 0..6),
                [
                    [
                        5000u32..40000,
                        5000u32..40000,
                        5000u32..40000,
                        5000u32..40000,
                    ],
                    [
                        5000u32..40000,
                        5000u32..40000,
                        5000u32..40000,
                        5000u32..40000,
                    ],
                ],
                any::<bool>(),
            ),
        )
            .prop_map(
                |(
                    kinds,
                    students,
                    joined,
                    sessions,
                    counts,
                    rate,
                    (programmes, funds, staff_reported),
                )| Gen {
                    kinds,
                    students,
                    joined,
                    sessions,
                    counts,
                    rate,
                    programmes,
                    funds,
                    staff_reported,
                },
            )
    })
}

/// The files of a generated consortium, keyed by path under the site root.
fn render(g: &Gen) -> Vec<(String, String)> {
    let mut members = String::new();
    for (i, k) in g.kinds.iter().enumerate() {
        members.push_str(&format!(
            "[[member]]\nid = \"m{i}\"\nname = \"成员{i}\"\nkind = \"{}\"\njoined = {}\n",
            KINDS[*k],
            day(g.joined[i])
        ));
        if *k < 3 {
            members.push_str(&format!("students = {}\n", g.students[i]));
        }
        members.push('\n');
    }
    let mut training = String::new();
    for (p, a, m, d, people, days) in &g.sessions {
        training.push_str(&format!(
            "[[session]]\ndate = 2023-{m:02}-{d:02}\ntitle = \"培训\"\nprovider = \"m{p}\"\naudience = \"{}\"\nparticipants = {people}\nperson_days = {}\n\n",
            AUDIENCES[*a],
            people * days
        ));
    }
    let mut actual = String::from("[actual]\n");
    let mut committed = String::from("[committed]\n");
    let mut seen = std::collections::BTreeSet::new();
    for (k, v) in &g.counts {
        if seen.insert(*k) {
            actual.push_str(&format!(
                "{} = {{ 2022 = {}, 2023 = {}, 2024 = {} }}\n",
                COUNT_KEYS[*k], v[0], v[1], v[2]
            ));
            committed.push_str(&format!(
                "{} = {{ 2025 = {}, 2026 = {} }}\n",
                COUNT_KEYS[*k], v[3], v[4]
            ));
        }
    }
    let cents = |x: u32| format!("{}.{:02}", x / 100, x % 100);
    for (i, year) in [2023, 2024].iter().enumerate() {
        let total: u32 = g.funds[i].iter().sum();
        actual.push_str(&format!("operating_funds.{year} = {}\n", cents(total)));
        for (k, v) in FUND_KEYS.iter().zip(g.funds[i]) {
            actual.push_str(&format!("{k}.{year} = {}\n", cents(v)));
        }
    }
    if g.staff_reported {
        // The ledger's own sums, written down: reported, and in agreement.
        for year in [2023, 2024] {
            let tenths: u32 = g
                .sessions
                .iter()
                .filter(|s| s.1 == 0 && year == 2023)
                .map(|s| s.4 * s.5 * 10)
                .sum();
            if tenths > 0 {
                actual.push_str(&format!(
                    "staff_training_person_days.{year} = {}.{}\n",
                    tenths / 10,
                    tenths % 10
                ));
            }
        }
    }
    let r = |x: u32| format!("{}.{}", x / 10, x % 10);
    actual.push_str(&format!(
        "employment_rate = {{ 2022 = {}, 2023 = {}, 2024 = {} }}\n",
        r(g.rate[0]),
        r(g.rate[1]),
        r(g.rate[2])
    ));
    committed.push_str(&format!(
        "employment_rate = {{ 2025 = {}, 2026 = {} }}\n",
        r(g.rate[3]),
        r(g.rate[4])
    ));
    let profile = "name = \"生成联合体\"\nshort_name = \"生成\"\nfounded = 2021-01-01\n\n[leads]\npark = { name = \"某园区\" }\nschool = { name = \"某学校\" }\nenterprise = { name = \"某企业\" }\n";
    let mut files: Vec<(String, String)> = vec![
        (
            "content/site.toml".into(),
            "title = \"t\"\nbase_url = \"https://example.org/\"\nreport_year = 2024\n".into(),
        ),
        ("content/consortia/g/consortium.toml".into(), profile.into()),
        ("content/consortia/g/members.toml".into(), members),
        ("content/consortia/g/training.toml".into(), training),
        (
            "content/consortia/g/indicators.toml".into(),
            format!("{actual}\n{committed}"),
        ),
        // Every point of the national framework answered, so that a valid site checks clean.
        (
            "content/consortia/g/assessment.toml".into(),
            [
                "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3",
            ]
            .iter()
            .map(|no| format!("[moe-2024.\"{no}\"]\nstatus = \"不适用\"\n"))
            .collect(),
        ),
    ];
    for (i, (kind, status, start, partner)) in g.programmes.iter().enumerate() {
        files.push((
            format!("content/consortia/g/programmes/p{i}.md"),
            format!(
                "+++\ntitle = \"项目{i}\"\nkind = \"{}\"\npartners = [\"m{partner}\"]\nstart_year = {start}\nstatus = \"{}\"\n+++\n正文\n",
                PROGRAMME_KINDS[*kind], STATUSES[*status]
            ),
        ));
    }
    files
}

/// `2021-01-01` plus `n` days.
fn day(n: u32) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(u64::from(n));
    d.format("%Y-%m-%d").to_string()
}

fn write(root: &Path, files: &[(String, String)]) {
    for (p, t) in files {
        let path = root.join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, t).unwrap();
    }
}

/// One fault to inject: the file, the line to replace it on (by content), the replacement, and
/// what the single diagnostic must say.
#[derive(Debug, Clone)]
enum Fault {
    UnknownProvider(usize),
    UnknownMemberKind(usize),
    UnknownKey(usize),
    ImpossibleDate(usize),
    RateOver100,
    NegativeCount,
    FutureActual,
    PastCommitted,
    UnknownIndicator,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        (0usize..50).prop_map(Fault::UnknownProvider),
        (0usize..50).prop_map(Fault::UnknownMemberKind),
        (0usize..50).prop_map(Fault::UnknownKey),
        (0usize..50).prop_map(Fault::ImpossibleDate),
        Just(Fault::RateOver100),
        Just(Fault::NegativeCount),
        Just(Fault::FutureActual),
        Just(Fault::PastCommitted),
        Just(Fault::UnknownIndicator),
    ]
}

/// Replaces the `nth` line starting with `prefix` in `text`; returns its 1-based line number.
fn replace_line(text: &mut String, prefix: &str, nth: usize, with: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let hits: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(prefix))
        .map(|(i, _)| i)
        .collect();
    let at = hits[nth % hits.len()];
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[at] = with.to_string();
    *text = out.join("\n") + "\n";
    at + 1
}

/// Inserts `line` after the `nth` line starting with `prefix`; returns the new line's number.
fn insert_after(text: &mut String, prefix: &str, nth: usize, line: &str) -> usize {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let hits: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(prefix))
        .map(|(i, _)| i)
        .collect();
    let at = hits[nth % hits.len()] + 1;
    lines.insert(at, line.to_string());
    *text = lines.join("\n") + "\n";
    at + 1
}

/// Applies a fault; returns (file, line, substring of the message).
fn inject(files: &mut [(String, String)], f: &Fault) -> (String, usize, String) {
    let find = |files: &mut [(String, String)], suffix: &str| {
        files.iter().position(|(p, _)| p.ends_with(suffix)).unwrap()
    };
    let (idx, line, msg) = match f {
        Fault::UnknownProvider(n) => {
            let i = find(files, "training.toml");
            let l = replace_line(
                &mut files[i].1,
                "provider = ",
                *n,
                "provider = \"zz-missing\"",
            );
            (i, l, "provider `zz-missing` is not a member".to_string())
        }
        Fault::UnknownMemberKind(n) => {
            let i = find(files, "members.toml");
            // The record cannot be read without a kind, so it is left out of cross-file rules.
            let l = replace_line(&mut files[i].1, "kind = ", *n, "kind = \"factory\"");
            (i, l, "unknown kind `factory` in [[member]]".to_string())
        }
        Fault::UnknownKey(n) => {
            let i = find(files, "members.toml");
            let l = insert_after(&mut files[i].1, "name = ", *n, "emial = \"x\"");
            (i, l, "unknown key `emial` in [[member]]".to_string())
        }
        Fault::ImpossibleDate(n) => {
            let i = find(files, "training.toml");
            let l = replace_line(&mut files[i].1, "date = ", *n, "date = 2023-02-30");
            (i, l, "invalid date".to_string())
        }
        Fault::RateOver100 => {
            let i = find(files, "indicators.toml");
            let l = replace_line(
                &mut files[i].1,
                "employment_rate = { 2022",
                0,
                "employment_rate = { 2022 = 100.5, 2023 = 90, 2024 = 91 }",
            );
            (i, l, "employment_rate 2022 is 100.5".to_string())
        }
        Fault::NegativeCount => {
            let i = find(files, "indicators.toml");
            files[i].1 = files[i].1.replace(
                "[actual]\n",
                "[actual]\nco_built_textbooks = { 2023 = -4 }\n",
            );
            (i, 2, "co_built_textbooks 2023 is -4".to_string())
        }
        Fault::FutureActual => {
            let i = find(files, "indicators.toml");
            files[i].1 = files[i]
                .1
                .replace("[actual]\n", "[actual]\nresearch_outputs = { 2025 = 4 }\n");
            (
                i,
                2,
                "actual value of research_outputs for 2025".to_string(),
            )
        }
        Fault::PastCommitted => {
            let i = find(files, "indicators.toml");
            let text = files[i].1.clone();
            let line = text.lines().position(|l| l == "[committed]").unwrap() + 2;
            files[i].1 = text.replace(
                "[committed]\n",
                "[committed]\nresearch_outputs = { 2021 = 4 }\n",
            );
            (
                i,
                line,
                "committed value of research_outputs for 2021".to_string(),
            )
        }
        Fault::UnknownIndicator => {
            let i = find(files, "indicators.toml");
            files[i].1 = files[i]
                .1
                .replace("[actual]\n", "[actual]\nco_built_majorz = { 2023 = 4 }\n");
            (i, 2, "unknown indicator `co_built_majorz`".to_string())
        }
    };
    (files[idx].0.clone(), line, msg)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_valid_site_gives_no_diagnostic_and_one_fault_gives_exactly_one(g in gen(), f in fault()) {
        let dir = tempfile::tempdir().unwrap();
        let mut files = render(&g);
        write(dir.path(), &files);
        match prepare(dir.path(), false) {
            Ok(p) => prop_assert!(p.warnings.is_empty(), "{:?}", p.warnings),
            Err(Failure::Content { diagnostics, .. }) => prop_assert!(false, "valid site rejected: {diagnostics:?}"),
            Err(Failure::Io(e)) => prop_assert!(false, "{e}"),
        }
        let (path, line, msg) = inject(&mut files, &f);
        write(dir.path(), &files);
        match prepare(dir.path(), false) {
            Err(Failure::Content { diagnostics, .. }) => {
                prop_assert_eq!(diagnostics.len(), 1, "{:?} gave {:?}", f, diagnostics);
                let d = &diagnostics[0];
                prop_assert_eq!(&d.path, &path);
                prop_assert_eq!(d.line, line, "{:?}: {}", f, d);
                prop_assert!(d.message.contains(&msg), "{:?}: {}", f, d);
            }
            Ok(_) => prop_assert!(false, "fault {f:?} was not reported"),
            Err(Failure::Io(e)) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn every_figure_equals_a_naive_recomputation(g in gen()) {
        use chanjiao::figures::{Figures, Origin};
        use chanjiao::model::{Audience, Basis, MemberKind, ProgrammeKind, ProgrammeStatus};
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &render(&g));
        let p = match prepare(dir.path(), false) {
            Ok(p) => p,
            Err(Failure::Content { diagnostics, .. }) => return Err(TestCaseError::fail(format!("{diagnostics:?}"))),
            Err(Failure::Io(e)) => return Err(TestCaseError::fail(e)),
        };
        prop_assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let figures = Figures::of(&p.site);
        let f = &figures.consortia[0];
        let c = &p.site.consortia[0];

        // Members by kind, in all and as of 31 December of each year, straight from the generator.
        for (ki, kind) in MemberKind::ALL.iter().enumerate() {
            let all: Vec<usize> = (0..g.kinds.len()).filter(|i| g.kinds[*i] == ki).collect();
            prop_assert_eq!(f.members.get(*kind).members as usize, all.len());
            let students: u64 = all.iter().filter(|_| ki < 3).map(|i| u64::from(g.students[*i])).sum();
            prop_assert_eq!(f.members.get(*kind).students, students);
            for year in 2021..=2024 {
                let last_day = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
                let n = all
                    .iter()
                    .filter(|i| chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(u64::from(g.joined[**i])) <= last_day)
                    .count();
                prop_assert_eq!(f.members_by_year[&year].get(*kind).members as usize, n, "{:?} {}", kind, year);
            }
        }

        // Training by year × audience, and by provider.
        for (ai, audience) in Audience::ALL.iter().enumerate() {
            let mine: Vec<_> = g.sessions.iter().filter(|s| s.1 == ai).collect();
            let t = f.training.year_audience(2023, *audience);
            prop_assert_eq!(t.sessions as usize, mine.len());
            prop_assert_eq!(t.participants, mine.iter().map(|s| u64::from(s.4)).sum::<u64>());
            prop_assert_eq!(t.person_day_tenths, mine.iter().map(|s| u64::from(s.4 * s.5) * 10).sum::<u64>());
            prop_assert_eq!(f.training.year_audience(2024, *audience).sessions, 0);
        }
        for i in 0..g.kinds.len() {
            let n = g.sessions.iter().filter(|s| s.0 == i).count();
            prop_assert_eq!(f.training.provider(&format!("m{i}")).sessions as usize, n);
        }

        // Programmes by kind, status and start year.
        for (ki, kind) in ProgrammeKind::ALL.iter().enumerate() {
            for (si, status) in ProgrammeStatus::ALL.iter().enumerate() {
                let n = g.programmes.iter().filter(|p| p.0 == ki && p.1 == si).count();
                prop_assert_eq!(f.programmes.kind_status(*kind, *status) as usize, n);
            }
            for year in 2023..2025 {
                let n = g.programmes.iter().filter(|p| p.0 == ki && p.2 == year).count();
                prop_assert_eq!(f.programmes.started(*kind, year) as usize, n);
            }
        }

        // Every reported value is a point of its series; the change is the last two actual years.
        for e in &c.indicators.entries {
            let s = f.series(e.key.get_ref()).expect("a reported key has a series");
            let p = s.points.iter().find(|p| p.year == e.year && p.basis == e.basis).expect("a point per entry");
            prop_assert_eq!(p.value, e.value);
            prop_assert!(matches!(p.origin, Origin::Reported(_)));
        }
        for s in &f.series {
            let actual: Vec<(i32, f64)> = s.points.iter().filter(|p| p.basis == Basis::Actual).map(|p| (p.year, p.value)).collect();
            match (actual.len(), s.change()) {
                (n, Some(ch)) if n >= 2 => {
                    prop_assert_eq!((ch.from_year, ch.to_year), (actual[n - 2].0, actual[n - 1].0));
                    prop_assert_eq!(ch.delta, actual[n - 1].1 - actual[n - 2].1);
                }
                (n, None) => prop_assert!(n < 2),
                _ => prop_assert!(false, "change without two actual years"),
            }
        }

        // Person-days the ledger stands in for: derived exactly where indicators.toml is silent.
        for (key, ai) in [("staff_training_person_days", 0usize), ("social_training_person_days", 1)] {
            let tenths: u32 = g.sessions.iter().filter(|s| s.1 == ai).map(|s| s.4 * s.5 * 10).sum();
            let point = f.series(key).and_then(|s| s.point(2023, Basis::Actual).cloned());
            let reported = key == "staff_training_person_days" && g.staff_reported;
            match point {
                None => prop_assert_eq!(tenths, 0, "{} has no 2023 value", key),
                Some(pt) => {
                    prop_assert_eq!(pt.value, f64::from(tenths) / 10.0);
                    prop_assert_eq!(pt.derived(), !reported);
                }
            }
        }

        // Funds: the total equals the sum of the sources, in both years.
        for (i, year) in [2023, 2024].iter().enumerate() {
            let funds = f.funds.iter().find(|x| x.year == *year && x.basis == Basis::Actual).expect("funds of the year");
            prop_assert_eq!(funds.sources.len(), 4);
            let cents: u32 = g.funds[i].iter().sum();
            prop_assert!((funds.sources_sum() - f64::from(cents) / 100.0).abs() < 1e-6);
            prop_assert!((funds.total.unwrap().value - f64::from(cents) / 100.0).abs() < 1e-6);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*", bytes in proptest::collection::vec(any::<u8>(), 0..200), which in 0usize..5) {
        let dir = tempfile::tempdir().unwrap();
        let mut files = render(&Gen { kinds: vec![1, 4, 3], students: vec![1000; 3], joined: vec![0; 3], sessions: vec![(0, 0, 1, 1, 10, 1)], counts: vec![], rate: [950; 5], programmes: vec![], funds: [[10000; 4]; 2], staff_reported: false });
        files.push(("content/consortia/g/programmes/p.md".into(), "+++\ntitle = \"p\"\nkind = \"major\"\npartners = [\"m0\"]\nstart_year = 2023\nstatus = \"building\"\n+++\n正文".into()));
        files[1 + which % 4].1 = text.clone();
        write(dir.path(), &files);
        let _ = prepare(dir.path(), true);
        fs::write(dir.path().join(&files[1 + which % 4].0), &bytes).unwrap();
        let _ = prepare(dir.path(), true);
        fs::write(dir.path().join("content/consortia/g/programmes/p.md"), format!("+++\ntitle = \"p\"\nkind = \"major\"\npartners = [\"m0\"]\nstart_year = 2023\nstatus = \"building\"\n+++\n{text}")).unwrap();
        let _ = prepare(dir.path(), true);
    }

    #[test]
    fn markdown_rendering_never_panics_and_keeps_stars_balanced(text in "[*a注意：“”《》（）\\\\`\\[\\]() \\n-]{0,60}") {
        let r = chanjiao::render::markdown::render(&text, false);
        prop_assert_eq!(r.html.matches("<strong>").count(), r.html.matches("</strong>").count());
        prop_assert_eq!(r.html.matches("<em>").count(), r.html.matches("</em>").count());
        for c in ['\u{91}', '\u{92}', '\u{1}', '\u{2}'] {
            prop_assert!(!r.html.contains(c), "placeholder leaked: {:?}", r.html);
        }
    }
}
