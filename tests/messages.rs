//! The interface's two languages: `check` on a broken site gives the golden output under
//! `--lang zh` and `--lang en`, the language follows `--lang`, then `LC_ALL`/`LC_MESSAGES`/`LANG`,
//! then the site's `language`, and help and summaries follow it too. (That every message has both
//! languages is a unit test of `messages`; every invalid fixture also has its Chinese golden file.)

mod common;

use std::fs;
use std::process::Output;

use common::*;

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = command();
    c.env_remove("LANG").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
}

/// `check` on the fixture with every kind of problem at once: the whole output, carets and the
/// summary line included, as golden files to review.
#[test]
fn check_output_is_golden_in_both_languages() {
    let site = site_copy("base");
    copy_tree(
        &fixture("invalid/every-problem-at-once/overlay"),
        site.path(),
    );
    let root = site.path().to_str().unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for lang in ["zh", "en"] {
        let o = run(&["check", "--root", root, "--lang", lang], &[]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let got = stderr(&o);
        let path = repo().join(format!(
            "tests/golden/check/every-problem-at-once.{lang}.txt"
        ));
        if update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            got,
            want,
            "{} differs (UPDATE_GOLDEN=1 to accept)",
            path.display()
        );
    }
}

fn is_chinese(o: &Output) -> bool {
    stderr(o).contains("已检查")
}

#[test]
fn the_language_follows_the_flag_then_the_locale_then_the_site() {
    let zh_site = site_copy("base");
    let zh = zh_site.path().to_str().unwrap();
    let en_site = site_copy("base");
    let site_toml = en_site.path().join("content/site.toml");
    // The base fixture gives no language, so it is the default, Chinese.
    let text = fs::read_to_string(&site_toml).unwrap();
    assert!(!text.contains("language"), "{text}");
    fs::write(&site_toml, format!("language = \"en\"\n{text}")).unwrap();
    let en = en_site.path().to_str().unwrap();
    let check = |root: &str, extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["check", "--root", root];
        args.extend_from_slice(extra);
        let o = run(&args, env);
        assert!(o.status.success(), "{}", stderr(&o));
        is_chinese(&o)
    };
    // No locale: the site's language decides.
    assert!(check(zh, &[], &[]));
    assert!(!check(en, &[], &[]));
    // A neutral locale leaves it to the site too.
    assert!(check(zh, &[], &[("LANG", "C.UTF-8")]));
    // A locale that names a language wins over the site; LC_ALL over LC_MESSAGES over LANG.
    assert!(!check(zh, &[], &[("LANG", "en_US.UTF-8")]));
    assert!(check(en, &[], &[("LANG", "zh_CN.UTF-8")]));
    assert!(check(
        en,
        &[],
        &[("LC_MESSAGES", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")]
    ));
    assert!(!check(
        zh,
        &[],
        &[("LC_ALL", "en_GB.UTF-8"), ("LC_MESSAGES", "zh_CN")]
    ));
    // The flag wins over everything, before or after the command.
    assert!(!check(zh, &["--lang", "en"], &[("LC_ALL", "zh_CN.UTF-8")]));
    assert!(check(en, &["--lang=zh"], &[("LC_ALL", "en_US.UTF-8")]));
    let o = run(&["--lang", "zh", "check", "--root", en], &[]);
    assert!(is_chinese(&o), "{}", stderr(&o));
}

#[test]
fn help_and_summaries_are_in_the_chosen_language() {
    let help = |lang: &str, args: &[&str]| {
        let mut all = vec!["--lang", lang];
        all.extend_from_slice(args);
        let o = run(&all, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let zh = help("zh", &["--help"]);
    assert!(
        zh.contains("用法：") && zh.contains("命令") && zh.contains("显示帮助"),
        "{zh}"
    );
    assert!(zh.contains("检查内容并列出全部问题"), "{zh}");
    assert!(!zh.contains("Usage") && !zh.contains("Print help"), "{zh}");
    let build = help("zh", &["build", "--help"]);
    assert!(
        build.contains("网站的写出位置") && build.contains("[默认：.]"),
        "{build}"
    );
    let en = help("en", &["announce", "--help"]);
    assert!(
        en.contains("Usage:") && en.contains("The year to report on"),
        "{en}"
    );
    assert!(en.contains("annual (年度总结"), "{en}");

    let site = site_copy("base");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let (root, public) = (site.path().to_str().unwrap(), public.to_str().unwrap());
    let o = run(
        &["build", "--root", root, "--output", public, "--lang", "zh"],
        &[],
    );
    assert!(
        stderr(&o).contains("已生成") && stderr(&o).contains("个页面"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &["build", "--root", root, "--output", public, "--lang", "en"],
        &[],
    );
    assert!(
        stderr(&o).contains("Built ") && stderr(&o).contains(" pages "),
        "{}",
        stderr(&o)
    );
    // A usage error in a value names the value in the chosen language.
    let o = run(
        &[
            "announce",
            "--root",
            root,
            "--consortium",
            "alpha",
            "--year",
            "2024",
            "--date",
            "soon",
            "--lang",
            "zh",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("不是形如 2025-01-15 的日期"),
        "{}",
        stderr(&o)
    );
}
