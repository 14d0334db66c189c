//! Markdown conformance: the CommonMark 0.31.2 spec examples, the same examples with their Latin
//! words replaced by Chinese ones, and the cases of the CommonMark CJK-friendly amendment's suite
//! (tests/conformance/NOTICE.md says where each file comes from and under which licence).

use chanjiao::render::markdown;
use pulldown_cmark::{html, Options, Parser};
use std::sync::LazyLock;

use percent_encoding::percent_decode_str;
use regex::Regex;
use serde::Deserialize;

#[derive(Deserialize)]
struct Example {
    markdown: String,
    html: String,
    example: usize,
}

#[derive(Deserialize)]
struct CjkCase {
    file: String,
    case: usize,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let text = include_str!("conformance/commonmark-0.31.2.json");
    serde_json::from_str(text).expect("the CommonMark examples parse")
}

fn commonmark(md: &str, cjk: bool) -> String {
    let options = if cjk {
        Options::ENABLE_CJK_FRIENDLY_EMPHASIS
    } else {
        Options::empty()
    };
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, options));
    out
}

/// Line breaks between tags and the spelling of void elements do not count.
fn normalise(html: &str) -> String {
    html.replace("<br>", "<br />")
        .replace("<br/>", "<br />")
        .replace("<hr>", "<hr />")
        .replace("<hr/>", "<hr />")
        .replace(">\n<", "><")
        .replace("&quot;", "\"")
}

#[test]
fn every_commonmark_example_passes_with_the_amendment_on() {
    let mut failed = Vec::new();
    for ex in examples() {
        let plain = commonmark(&ex.markdown, false);
        let cjk = commonmark(&ex.markdown, true);
        // The amendment changes nothing for text without CJK characters.
        assert_eq!(
            plain, cjk,
            "example {} changes with the amendment",
            ex.example
        );
        if normalise(&cjk) != normalise(&ex.html) {
            failed.push(ex.example);
        }
    }
    assert!(failed.is_empty(), "CommonMark examples failing: {failed:?}");
}

/// Latin words of the spec examples, in any case, and the Chinese words that stand in for them.
const WORDS: [(&str, &str); 6] = [
    ("foo", "中文"),
    ("bar", "文件"),
    ("baz", "通知"),
    ("bim", "材料"),
    ("aaa", "甲乙"),
    ("bbb", "丙丁"),
];

fn chinese(text: &str) -> String {
    static PATTERNS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        WORDS
            .map(|(latin, zh)| (Regex::new(&format!("(?i){latin}")).unwrap(), zh))
            .into()
    });
    let mut out = text.to_string();
    for (latin, zh) in PATTERNS.iter() {
        out = latin.replace_all(&out, *zh).into_owned();
    }
    out
}

/// Whether a word of the example is a tag name, an attribute name or part of an e-mail address,
/// which HTML and CommonMark allow in ASCII only.
fn words_must_stay_latin(md: &str) -> bool {
    static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
        let words = WORDS.map(|(w, _)| w).join("|");
        Regex::new(&format!(
            r"(?i)</?({words})|<[^<>]*\s({words})\s*=|<[^<>\s]*@"
        ))
        .unwrap()
    });
    PATTERN.is_match(md)
}

/// HTML compared with percent-encoded URLs decoded: raw HTML keeps Chinese URLs as typed.
fn comparable(html: &str) -> String {
    normalise(&percent_decode_str(html).decode_utf8_lossy())
}

/// Examples whose Chinese version renders otherwise than the Latin one because the amendment says
/// so (checked below: plain CommonMark still renders them as the spec does).
const CHINESE_DIFFERENCES: &[(usize, &str)] = &[
    (368, "`*(*中文)`: the second `*` follows `(` and precedes a CJK character, so by rule 2bγ of right-flanking it closes"),
    (369, "`*(*中文*)*`: the same `*(*` pair closes before 中文, leaving `*)*` its own emphasis"),
    (392, "`**(**中文)`: as 368, with `**`"),
];

#[test]
fn commonmark_examples_with_chinese_words_pass_or_follow_the_amendment() {
    let mut unexplained = Vec::new();
    let mut changed = 0;
    for ex in examples() {
        let md = chinese(&ex.markdown);
        if md == ex.markdown || words_must_stay_latin(&ex.markdown) {
            continue;
        }
        changed += 1;
        let want = comparable(&chinese(&ex.html));
        let got = comparable(&commonmark(&md, true));
        let listed = CHINESE_DIFFERENCES.iter().any(|(n, _)| *n == ex.example);
        if got == want {
            assert!(
                !listed,
                "example {} passes now: take it off the list",
                ex.example
            );
        } else if !listed || comparable(&commonmark(&md, false)) != want {
            unexplained.push((ex.example, md, got, want));
        }
    }
    assert!(
        changed > 400,
        "only {changed} examples have words to replace"
    );
    assert!(
        unexplained.is_empty(),
        "{} Chinese examples differ: {unexplained:#?}",
        unexplained.len()
    );
}

fn cjk_cases() -> Vec<CjkCase> {
    let text = include_str!("conformance/cjk-friendly.json");
    serde_json::from_str(text).expect("the CJK-friendly cases parse")
}

/// Cases of the CJK-friendly suite this renderer answers otherwise, with the reason.
const CJK_FRIENDLY_DIFFERENCES: &[(&str, usize, &str)] = &[];

#[test]
fn the_cjk_friendly_suite_passes() {
    let cases = cjk_cases();
    assert_eq!(cases.len(), 126);
    let mut failed = Vec::new();
    for case in &cases {
        let got = markdown::render(&case.markdown, false).html;
        let listed = CJK_FRIENDLY_DIFFERENCES
            .iter()
            .any(|(f, n, _)| *f == case.file && *n == case.case);
        if (normalise(&got) == normalise(&case.html)) == listed {
            failed.push(format!(
                "{} #{}{}: {:?}\n  got  {got:?}\n  want {:?}",
                case.file,
                case.case,
                if listed {
                    " (listed as a difference)"
                } else {
                    ""
                },
                case.markdown,
                case.html
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn render(md: &str) -> String {
    markdown::render(md, false).html
}

#[test]
fn emphasis_inside_links_and_crossing_pairs_nest_as_commonmark_says() {
    assert_eq!(
        render("*中文 [*文件*](/url)*\n"),
        "<p><em>中文 <a href=\"/url\"><em>文件</em></a></em></p>\n"
    );
    assert_eq!(
        render("*中文 _文件* 通知_\n"),
        "<p><em>中文 _文件</em> 通知_</p>\n"
    );
    assert_eq!(
        render("*中文 __文件 *通知 材料__ bam*\n"),
        "<p><em>中文 <strong>文件 *通知 材料</strong> bam</em></p>\n"
    );
    assert_eq!(
        render("*[中文*]\n\n[中文*]: /url\n"),
        "<p>*<a href=\"/url\">中文*</a></p>\n"
    );
}

#[test]
fn a_link_title_keeps_its_text() {
    let html = render("[政策](/p \"**重要**政策\")\n");
    assert_eq!(
        html,
        "<p><a href=\"/p\" title=\"**重要**政策\">政策</a></p>\n"
    );
    assert!(
        !html.contains(|c: char| c.is_control() && c != '\n'),
        "{html:?}"
    );
}

#[test]
fn bold_italic_labels_and_underscores_next_to_chinese_punctuation() {
    assert_eq!(
        render("***特别提醒：***逾期不予受理\n"),
        "<p><em><strong>特别提醒：</strong></em>逾期不予受理</p>\n"
    );
    assert_eq!(
        render("__注意__：按时提交\n"),
        "<p><strong>注意</strong>：按时提交</p>\n"
    );
    assert_eq!(
        render("~~旧标准。~~新标准\n"),
        "<p><del>旧标准。</del>新标准</p>\n"
    );
}

#[test]
fn file_patterns_stay_literal() {
    assert_eq!(
        render("上传文件格式为*.doc、*.pdf\n"),
        "<p>上传文件格式为*.doc、*.pdf</p>\n"
    );
    assert_eq!(
        render("通配符*.xlsx和*.csv均可\n"),
        "<p>通配符*.xlsx和*.csv均可</p>\n"
    );
    // Emphasis that merely starts with a full stop is still emphasis.
    assert_eq!(
        render("这是*。重点*内容\n"),
        "<p>这是<em>。重点</em>内容</p>\n"
    );
}

#[test]
fn a_list_continuation_after_a_blank_line_keeps_its_emphasis() {
    assert_eq!(
        render("1. 第一项\n\n    **注意：**续写的段落\n"),
        "<ol>\n<li>\n<p>第一项</p>\n<p><strong>注意：</strong>续写的段落</p>\n</li>\n</ol>\n"
    );
}

#[test]
fn non_cjk_characters_above_the_cjk_blocks_are_not_cjk() {
    // Mathematical and Avestan letters are not CJK: CommonMark's rules apply unchanged.
    assert_eq!(render("a**a𝜵**a\n"), "<p>a**a𝜵**a</p>\n");
    assert_eq!(render("a**𐬻a**a\n"), "<p>a**𐬻a**a</p>\n");
    // Hangul Jamo is Korean script.
    assert_eq!(render("ᅡ**(a)**\n"), "<p>ᅡ<strong>(a)</strong></p>\n");
}

/// The suite's "Compatible with GFM extension" case, whose expected HTML is micromark's own
/// footnote markup: its emphasis and strikethrough, checked in this renderer's markup.
#[test]
fn emphasis_and_strikethrough_next_to_a_footnote() {
    let html = render("あ**()**あ[^1]\n\n[^1]: ~~あ~~\n");
    assert!(
        html.starts_with("<p>あ<strong>()</strong>あ<sup class=\"footnote-reference\">"),
        "{html}"
    );
    assert!(html.contains("<p><del>あ</del></p>"), "{html}");
}
