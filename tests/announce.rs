//! `chanjiao announce` on the bundled example: the drafts match their golden files, every number in
//! a draft traces back to the content files, a draft never overwrites a file, and a site with a
//! draft still checks and builds.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::*;

/// A copy of the bundled example's `content/`.
fn bundled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    dir
}

fn announce(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["announce", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    chanjiao(&all)
}

/// Drafts one announcement to a temporary file and returns its text.
fn draft(root: &Path, args: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("draft.md");
    let mut all = args.to_vec();
    all.extend_from_slice(&["--output", path.to_str().unwrap()]);
    let o = announce(root, &all);
    assert!(
        o.status.success(),
        "announce {args:?} failed: {}",
        stderr(&o)
    );
    fs::read_to_string(path).unwrap()
}

/// The golden drafts of `tests/golden/announce/`, each with the arguments that make it;
/// `UPDATE_GOLDEN=1` rewrites them. The bundled annual announcements started as these drafts.
const GOLDEN: [(&str, &[&str]); 5] = [
    (
        "xiaogan-annual-2024.md",
        &[
            "--consortium",
            "xiaogan",
            "--year",
            "2024",
            "--date",
            "2025-01-15",
        ],
    ),
    (
        "baoqing-annual-2024.md",
        &[
            "--consortium",
            "baoqing",
            "--year",
            "2024",
            "--date",
            "2025-01-10",
        ],
    ),
    (
        "weifang-annual-2024.md",
        &[
            "--consortium",
            "weifang",
            "--year",
            "2024",
            "--date",
            "2025-01-20",
        ],
    ),
    (
        "xiaogan-quarterly-2024-q3.md",
        &[
            "--consortium",
            "xiaogan",
            "--year",
            "2024",
            "--kind",
            "quarterly",
            "--quarter",
            "3",
            "--date",
            "2024-10-10",
        ],
    ),
    (
        "weifang-quarterly-2024-q4.md",
        &[
            "--consortium",
            "weifang",
            "--year",
            "2024",
            "--kind",
            "quarterly",
            "--quarter",
            "4",
            "--date",
            "2025-01-08",
        ],
    ),
];

#[test]
fn drafts_of_the_bundled_data_match_their_golden_files() {
    let site = bundled();
    for (name, args) in GOLDEN {
        let text = draft(site.path(), args);
        let golden = repo().join("tests/golden/announce").join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::write(&golden, &text).unwrap();
            continue;
        }
        assert_eq!(
            text,
            fs::read_to_string(&golden).unwrap(),
            "{name} changed (UPDATE_GOLDEN=1 to accept)"
        );
    }
}

/// Numbers a draft may contain for one consortium, computed here from the TOML files with no
/// code of chanjiao: every value; every sum of the training ledger by year or quarter, with or
/// without one audience; counts of members, programmes and indicators; and the differences (and
/// percentage changes) between values of consecutive years or sums of consecutive periods.
struct Allowed {
    values: Vec<f64>,
}

impl Allowed {
    fn of(dir: &Path) -> Allowed {
        let read = |name: &str| -> toml::Table {
            fs::read_to_string(dir.join(name))
                .ok()
                .map(|t| t.parse().unwrap())
                .unwrap_or_default()
        };
        let mut values: Vec<f64> = Vec::new();
        let num = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
        // Indicators: values, and changes on the year before.
        let indicators = read("indicators.toml");
        let mut reported_by_year: std::collections::BTreeMap<i64, Vec<(f64, f64)>> =
            Default::default();
        for basis in ["actual", "committed"] {
            let Some(table) = indicators.get(basis).and_then(|t| t.as_table()) else {
                continue;
            };
            for (_, by_year) in table {
                let by_year = by_year.as_table().unwrap();
                for (y, v) in by_year {
                    let v = num(v).unwrap();
                    values.push(v);
                    let y: i64 = y.parse().unwrap();
                    if let Some(prev) = by_year.get(&(y - 1).to_string()).and_then(num) {
                        values.push(v - prev);
                        if prev != 0.0 {
                            values.push((v - prev) / prev * 100.0);
                        }
                    }
                    if basis == "actual" {
                        let prev = by_year.get(&(y - 1).to_string()).and_then(num);
                        reported_by_year
                            .entry(y)
                            .or_default()
                            .push((v, prev.unwrap_or(f64::NAN)));
                    }
                }
            }
        }
        // How many indicators have a value, rose or fell in a year (the ledger may add two).
        for list in reported_by_year.values() {
            let n = list.len() as f64;
            let up = list.iter().filter(|(v, p)| v > p).count() as f64;
            let down = list.iter().filter(|(v, p)| v < p).count() as f64;
            for extra in 0..=2 {
                values.extend([n + extra as f64, up + extra as f64, down]);
            }
        }
        // The ledger: sums by period (year, quarter) and audience, and their changes.
        let training = read("training.toml");
        let sessions: Vec<&toml::Table> = training
            .get("session")
            .and_then(|s| s.as_array())
            .map(|a| a.iter().map(|s| s.as_table().unwrap()).collect())
            .unwrap_or_default();
        let mut periods: Vec<(i64, u32)> = Vec::new(); // (year, quarter 0 = the whole year)
        for y in 2020..=2026 {
            periods.push((y, 0));
            for q in 1..=4 {
                periods.push((y, q));
            }
        }
        let audiences: BTreeSet<String> = sessions
            .iter()
            .map(|s| s["audience"].as_str().unwrap().to_string())
            .collect();
        let sums = |(y, q): (i64, u32), audience: Option<&str>| -> [f64; 3] {
            let mut t = [0.0; 3];
            for s in &sessions {
                let d = s["date"].as_datetime().unwrap().date.unwrap();
                let quarter = (u32::from(d.month) - 1) / 3 + 1;
                if i64::from(d.year) != y || (q != 0 && quarter != q) {
                    continue;
                }
                if audience.is_some_and(|a| a != s["audience"].as_str().unwrap()) {
                    continue;
                }
                t[0] += 1.0;
                t[1] += num(&s["participants"]).unwrap();
                t[2] += num(&s["person_days"]).unwrap();
            }
            t
        };
        for p in &periods {
            let mut groups: Vec<Option<&str>> = vec![None];
            groups.extend(audiences.iter().map(|a| Some(a.as_str())));
            for a in groups {
                let now = sums(*p, a);
                values.extend(now);
                // The period before: the year before, or the quarter before.
                let before = match p {
                    (y, 0) => Some((y - 1, 0)),
                    (y, 1) => Some((y - 1, 4)),
                    (y, q) => Some((*y, q - 1)),
                };
                if let Some(b) = before {
                    let then = sums(b, a);
                    for k in 0..3 {
                        values.push(now[k] - then[k]);
                        if then[k] != 0.0 {
                            values.push((now[k] - then[k]) / then[k] * 100.0);
                        }
                    }
                }
            }
        }
        // Counts of records: members, programmes, and students of members.
        let members = read("members.toml");
        let list = members
            .get("member")
            .and_then(|m| m.as_array())
            .cloned()
            .unwrap_or_default();
        for m in &list {
            if let Some(s) = m.get("students").and_then(num) {
                values.push(s);
            }
        }
        let programmes = fs::read_dir(dir.join("programmes")).map_or(0, |d| d.count());
        for n in 0..=list.len().max(programmes) {
            values.push(n as f64);
        }
        Allowed { values }
    }

    /// Whether `token` (as written: `1,612.5`) is one of the numbers, at the token's decimals.
    fn contains(&self, token: &str) -> bool {
        let plain = token.replace(',', "");
        let decimals = plain.split_once('.').map_or(0, |(_, f)| f.len());
        self.values
            .iter()
            .any(|v| format!("{:.*}", decimals, v.abs()) == plain)
    }
}

/// The body of a draft without its front matter, chart blocks, dates, years and figure
/// references (`{{ 指标("key", 2024) }}`, which print the data by construction): the numbers
/// left are the figures written out.
fn figures_of(text: &str) -> Vec<String> {
    let body = text.split("+++").nth(2).unwrap();
    let mut kept = String::new();
    let mut in_chart = false;
    for line in body.lines() {
        if line.starts_with("```") {
            in_chart = !in_chart;
            continue;
        }
        if !in_chart {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    let refs = regex::Regex::new(r"\{\{[^}]*\}\}").unwrap();
    let kept = refs.replace_all(&kept, "");
    let dates = regex::Regex::new(r"\d{4}年(\d{1,2}月(\d{1,2}日)?)?").unwrap();
    let kept = dates.replace_all(&kept, "");
    let numbers = regex::Regex::new(r"\d[\d,]*(\.\d+)?").unwrap();
    numbers
        .find_iter(&kept)
        .map(|m| m.as_str().to_string())
        .collect()
}

#[test]
fn every_number_in_a_draft_traces_back_to_the_content() {
    let site = bundled();
    let mut checked = 0;
    for id in ["xiaogan", "baoqing", "weifang"] {
        let allowed = Allowed::of(&site.path().join("content/consortia").join(id));
        let mut drafts = vec![draft(
            site.path(),
            &["--consortium", id, "--year", "2024", "--date", "2025-01-20"],
        )];
        for q in ["3", "4"] {
            drafts.push(draft(
                site.path(),
                &[
                    "--consortium",
                    id,
                    "--year",
                    "2024",
                    "--kind",
                    "quarterly",
                    "--quarter",
                    q,
                    "--date",
                    "2025-01-20",
                ],
            ));
        }
        for text in &drafts {
            let numbers = figures_of(text);
            assert!(numbers.len() > 10, "{id}: only {numbers:?}");
            for n in numbers {
                assert!(allowed.contains(&n), "{id}: {n} is in no file\n{text}");
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "only {checked} numbers checked");
}

#[test]
fn the_check_would_catch_an_invented_number() {
    let site = bundled();
    let allowed = Allowed::of(&site.path().join("content/consortia/xiaogan"));
    assert!(allowed.contains("1,612.5"));
    assert!(allowed.contains("46.2"));
    assert!(!allowed.contains("1,612.4"));
    assert!(!allowed.contains("98,765"));
}

#[test]
fn announce_never_overwrites_a_file() {
    let site = bundled();
    let args = [
        "--consortium",
        "xiaogan",
        "--year",
        "2024",
        "--date",
        "2025-01-20",
    ];
    let dir = site.path().join("content/consortia/xiaogan/announcements");
    let hand_written = fs::read(dir.join("annual-2024.md")).unwrap();
    let first = announce(site.path(), &args);
    let second = announce(site.path(), &args);
    assert!(first.status.success() && second.status.success());
    let a = String::from_utf8(first.stdout).unwrap();
    let b = String::from_utf8(second.stdout).unwrap();
    assert!(a.trim().ends_with("annual-2024-2.md"), "{a}");
    assert!(b.trim().ends_with("annual-2024-3.md"), "{b}");
    assert_eq!(fs::read(dir.join("annual-2024.md")).unwrap(), hand_written);
    assert_eq!(
        fs::read(dir.join("annual-2024-2.md")).unwrap(),
        fs::read(dir.join("annual-2024-3.md")).unwrap()
    );
    // --output names one file, and an existing one is refused and left as it was.
    let taken = site.path().join("taken.md");
    fs::write(&taken, "keep me").unwrap();
    let mut with_output = args.to_vec();
    with_output.extend(["--output", taken.to_str().unwrap()]);
    let refused = announce(site.path(), &with_output);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("already exists"));
    assert_eq!(fs::read_to_string(&taken).unwrap(), "keep me");

    // The drafts check, and build only with --drafts.
    let check = chanjiao(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    let out = tempfile::tempdir().unwrap();
    build(site.path(), &out.path().join("plain"), &[]);
    build(site.path(), &out.path().join("drafts"), &["--drafts"]);
    let page = "consortia/xiaogan/announcements/annual-2024-2/index.html";
    assert!(!out.path().join("plain").join(page).exists());
    let html = fs::read_to_string(out.path().join("drafts").join(page)).unwrap();
    assert!(html.contains("草稿"));
    // Its chart blocks became charts.
    assert!(html.contains("<svg"), "the draft's charts were not drawn");
    // Its figures are references: printed from the data, and corrected with it.
    let draft = fs::read_to_string(dir.join("annual-2024-2.md")).unwrap();
    assert!(draft.contains("{{ 指标(\"co_built_courses\", 2024) }}"));
    assert!(!html.contains("{{"), "a reference was left unresolved");
    assert!(
        html.contains("38\u{2060}个"),
        "共建课程 2024 = 38 is not printed"
    );
    edit_file(
        &site
            .path()
            .join("content/consortia/xiaogan/indicators.toml"),
        "co_built_courses = { 2023 = 26, 2024 = 38 }",
        "co_built_courses = { 2023 = 26, 2024 = 39 }",
    );
    build(site.path(), &out.path().join("corrected"), &["--drafts"]);
    let html = fs::read_to_string(out.path().join("corrected").join(page)).unwrap();
    assert!(html.contains("39\u{2060}个") && !html.contains("38\u{2060}个"));
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let site = bundled();
    let unknown = announce(site.path(), &["--consortium", "xiaogn", "--year", "2024"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("did you mean `xiaogan`?"),
        "{}",
        stderr(&unknown)
    );
    let future = announce(site.path(), &["--consortium", "xiaogan", "--year", "2025"]);
    assert_eq!(future.status.code(), Some(1));
    assert!(stderr(&future).contains("after the report year 2024"));
    let ancient = announce(site.path(), &["--consortium", "xiaogan", "--year=-40000"]);
    assert_eq!(ancient.status.code(), Some(1), "{}", stderr(&ancient));
    let early = announce(
        site.path(),
        &[
            "--consortium",
            "weifang",
            "--year",
            "2024",
            "--kind",
            "quarterly",
            "--quarter",
            "1",
        ],
    );
    assert_eq!(early.status.code(), Some(1));
    assert!(stderr(&early).contains("before the consortium was founded"));
    let no_quarter = announce(
        site.path(),
        &[
            "--consortium",
            "xiaogan",
            "--year",
            "2024",
            "--kind",
            "quarterly",
        ],
    );
    assert_eq!(
        no_quarter.status.code(),
        Some(2),
        "clap refuses a missing --quarter"
    );
    // Nothing was written by any of them.
    let dir = site.path().join("content/consortia/xiaogan/announcements");
    assert!(!dir.join("annual-2024-2.md").exists());
}

/// The founding year's draft tells the founding, the founders, the bodies and what followed; it
/// never says something is missing that could not exist yet, and writes numbers with their
/// Chinese units as GB/T 15835 does (`6家`, `2人`).
#[test]
fn the_founding_year_is_told_as_a_founding() {
    let root = fixture("truthful");
    let text = draft(
        &root,
        &[
            "--consortium",
            "young",
            "--year",
            "2024",
            "--date",
            "2025-01-15",
        ],
    );
    for wanted in [
        "2024年9月1日，丙市市域产教联合体（以下简称联合体）成立",
        "联合体由6家单位共同组建",
        "设立丙市联合体建设领导小组，组长张明（丙市人民政府副市长），共2人（办公室主任人选待定）",
        "联合体秘书处设在丙市职业技术学院",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in:\n{text}");
    }
    for unwanted in ["没有", "新加入", "尚未填报", "未填报", "上年"] {
        assert!(!text.contains(unwanted), "{unwanted:?} in:\n{text}");
    }
    let spaced = regex::Regex::new(r"\d[ \u{a0}\u{2060}]+[个家人项期万亿]").unwrap();
    assert!(
        !spaced.is_match(&text),
        "a number apart from its unit:\n{text}"
    );
    // A year after the founding is compared with the year before, as before.
    let later = draft(
        &fixture("base"),
        &[
            "--consortium",
            "alpha",
            "--year",
            "2024",
            "--date",
            "2025-01-15",
        ],
    );
    assert!(later.contains("与2023年相比"), "{later}");
    assert!(
        !spaced.is_match(&later),
        "a number apart from its unit:\n{later}"
    );
}
