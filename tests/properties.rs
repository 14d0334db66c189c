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
    sessions: Vec<(usize, usize, u32, u32, u32, u32)>, // provider, audience, month, day, participants, days
    counts: Vec<(usize, [u32; 5])>,                    // count key, values 2022..2026
    rate: [u32; 5],                                    // employment rate × 10
}

fn gen() -> impl Strategy<Value = Gen> {
    (3usize..9).prop_flat_map(|n| {
        (
            proptest::collection::vec(0usize..6, n),
            proptest::collection::vec(100u32..30000, n),
            proptest::collection::vec(
                (0..n, 0usize..4, 1u32..13, 1u32..29, 1u32..300, 1u32..10),
                1..12,
            ),
            proptest::collection::vec(
                (
                    0usize..5,
                    [0u32..500, 0u32..500, 0u32..500, 0u32..500, 0u32..500],
                ),
                0..5,
            ),
            [0u32..1001, 0u32..1001, 0u32..1001, 0u32..1001, 0u32..1001],
        )
            .prop_map(|(kinds, students, sessions, counts, rate)| Gen {
                kinds,
                students,
                sessions,
                counts,
                rate,
            })
    })
}

/// The files of a generated consortium, keyed by path under the site root.
fn render(g: &Gen) -> Vec<(String, String)> {
    let mut members = String::new();
    for (i, k) in g.kinds.iter().enumerate() {
        members.push_str(&format!(
            "[[member]]\nid = \"m{i}\"\nname = \"成员{i}\"\nkind = \"{}\"\n",
            KINDS[*k]
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
    let profile = "name = \"生成联合体\"\nshort_name = \"生成\"\nfounded = 2023-01-01\n\n[leads]\npark = { name = \"某园区\" }\nschool = { name = \"某学校\" }\nenterprise = { name = \"某企业\" }\n";
    vec![
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
    ]
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
            (i, l, "unknown member kind `factory`".to_string())
        }
        Fault::UnknownKey(n) => {
            let i = find(files, "members.toml");
            let l = insert_after(&mut files[i].1, "name = ", *n, "emial = \"x\"");
            (i, l, "unknown key `emial` in member".to_string())
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
    fn arbitrary_text_never_panics(text in "\\PC*", bytes in proptest::collection::vec(any::<u8>(), 0..200), which in 0usize..5) {
        let dir = tempfile::tempdir().unwrap();
        let mut files = render(&Gen { kinds: vec![1, 4, 3], students: vec![1000; 3], sessions: vec![(0, 0, 1, 1, 10, 1)], counts: vec![], rate: [950; 5] });
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
