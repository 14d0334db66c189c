//! The rules of `members.toml`: member ids unique and usable in URLs, students only for schools.

use super::*;

/// `duplicate-member-id`, `member-id-characters`, `students-not-school`, `unsafe-url`,
/// `credit-code-form`, `member-twice`.
pub(super) fn members(ctx: &mut Ctx) {
    let c = ctx.c;
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &c.members.list {
        let id = m.id.get_ref();
        if !crate::content::is_url_safe(id) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                rule!("check.member_id_characters", id),
            );
        } else if let Some(problem) = super::names::unportable(id, super::names::MAX_SLUG) {
            ctx.error(&c.members.path, m.id.span(), problem);
        }
        let (line, _) = ctx.file(&c.members.path).line_col(m.id.span().start);
        if let Some(l) = first.insert(id, line) {
            ctx.error(
                &c.members.path,
                m.id.span(),
                rule!("check.duplicate_member_id", id, l),
            );
            first.insert(id, l);
        }
        if let Some(code) = &m.credit_code {
            if !credit_code_ok(code.get_ref()) {
                ctx.error(
                    &c.members.path,
                    code.span(),
                    rule!("check.credit_code_form", code = code.get_ref()),
                );
            }
        }
        if let Some(w) = &m.website {
            let url = w.get_ref().trim();
            if let Some(scheme) = crate::render::links::refused_scheme(url) {
                ctx.warning(&c.members.path, w.span(), rule!("check.unsafe_url", scheme));
            } else if !url.contains("://") && url.contains('.') {
                // `college.example.org`: shown as text, never as a link, unless it says how.
                ctx.warning(
                    &c.members.path,
                    w.span(),
                    rule!(
                        "check.website_without_scheme",
                        url,
                        fixed = format!("https://{url}")
                    ),
                );
            }
        }
        if let Some(s) = &m.students {
            if !m.kind.is_school() {
                ctx.error(
                    &c.members.path,
                    s.span(),
                    rule!("check.students_not_school", id, kind = m.kind.label()),
                );
            }
        }
    }
}

/// `member-twice`: one unit entered twice under two ids, found by its name as written (full- and
/// half-width forms, spaces and bracket styles aside) or by its 统一社会信用代码. It would count
/// twice in every member total.
pub(super) fn members_twice(ctx: &mut Ctx) {
    let c = ctx.c;
    let mut names: BTreeMap<String, &Member> = BTreeMap::new();
    let mut codes: BTreeMap<String, &Member> = BTreeMap::new();
    for m in &c.members.list {
        let first = names.get(&same_name(&m.name)).copied().or_else(|| {
            m.credit_code
                .as_ref()
                .and_then(|code| codes.get(&code.get_ref().to_ascii_uppercase()).copied())
        });
        if let Some(first) = first.filter(|f| f.id.get_ref() != m.id.get_ref()) {
            let note = ctx.note(
                &c.members.path,
                first.id.span(),
                msg!("check.first_is_here", first = first.id.get_ref()),
            );
            ctx.warning(
                &c.members.path,
                m.id.span(),
                rule!(
                    "check.member_twice",
                    id = m.id.get_ref(),
                    first = first.id.get_ref(),
                    name = m.name
                ),
            )
            .notes
            .push(note);
            continue;
        }
        names.entry(same_name(&m.name)).or_insert(m);
        if let Some(code) = &m.credit_code {
            codes
                .entry(code.get_ref().to_ascii_uppercase())
                .or_insert(m);
        }
    }
}

/// A unit's name as compared: compatibility forms folded (full-width letters, digits and
/// brackets to their plain forms), spaces dropped.
fn same_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `code` is a 统一社会信用代码 by GB 32100-2015: 18 characters of `0-9` and the capitals
/// but I, O, S, V and Z, the last a check character computed from the other seventeen.
pub fn credit_code_ok(code: &str) -> bool {
    const CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let code = code.to_ascii_uppercase();
    let values: Option<Vec<usize>> = code
        .bytes()
        .map(|b| CHARS.iter().position(|c| *c == b))
        .collect();
    let Some(values) = values.filter(|v| v.len() == 18) else {
        return false;
    };
    let sum: usize = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31 == values[17]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_are_checked_by_their_check_character() {
        for good in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91420900MA4X00000U",
            "91420900ma4x00000u",
        ] {
            assert!(credit_code_ok(good), "{good}");
        }
        for bad in [
            "91350100M000100Y44",
            "91350100M000100Y4",
            "91350100M00O100Y43",
            "",
            "９１３５０１００Ｍ０００１００Ｙ４３",
        ] {
            assert!(!credit_code_ok(bad), "{bad}");
        }
        assert_eq!(
            same_name("示例（集团） 有限公司"),
            same_name("示例(集团)有限公司")
        );
        assert_eq!(same_name("ＡＢＣ科技"), same_name("ABC科技"));
    }
}
