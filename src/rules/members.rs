//! The rules of `members.toml`: member ids unique and usable in URLs, students only for schools.

use super::*;

/// `duplicate-member-id`, `member-id-characters`, `students-not-school`, `unsafe-url`.
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
        if let Some(w) = &m.website {
            if let Some(scheme) = crate::render::links::refused_scheme(w.get_ref()) {
                ctx.warning(&c.members.path, w.span(), rule!("check.unsafe_url", scheme));
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
