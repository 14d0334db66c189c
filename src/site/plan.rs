//! The build plan: every page the site will have, the template that renders it, the data it shows
//! and the content files it depends on. Built from the validated model and the rendered Markdown;
//! pure (no I/O), so the plan of the same input is always the same.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::model::*;
use crate::site::format;

/// One output file to render from a template.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Output path relative to the output folder, `/`-separated (`consortia/x/index.html`).
    pub path: String,
    pub template: &'static str,
    pub context: Value,
    /// Content files this page shows; a change to any of them must re-render it.
    pub inputs: Vec<String>,
}

/// Indicators shown on consortium home pages and the portal, when a consortium reports them.
const HEADLINE: [&str; 8] = [
    "co_built_majors",
    "co_built_training_bases",
    "co_built_industry_colleges",
    "apprenticeship_trainees",
    "employment_rate",
    "enterprise_part_time_teachers",
    "skill_certifications",
    "staff_training_person_days",
];

/// How many announcements a consortium home lists.
const LATEST: usize = 5;

pub struct PlanInput<'a> {
    pub site: &'a Site,
    /// Rendered Markdown bodies by source path.
    pub html: &'a BTreeMap<String, String>,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
}

/// The relative prefix from an output file to the site root: `""` → `./`, `a/b/index.html` → `../../`.
pub fn root_prefix(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The path part of an absolute base URL (`https://a.org/x/` → `/x/`).
pub fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string()),
        None => base_url.to_string(),
    }
}

/// The public URL path of an output file (`a/b/index.html` → `a/b/`).
pub fn url_path(path: &str) -> String {
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

/// What the templates render: site-wide values every page sees, and the pages.
pub struct Plan {
    /// Template globals (`site`), the same for every page.
    pub globals: Value,
    pub pages: Vec<Planned>,
}

/// Every page of the site, in a fixed order.
pub fn plan(input: &PlanInput) -> Plan {
    let site = input.site;
    let mut out = Vec::new();
    let page = |path: String,
                template: &'static str,
                title: String,
                mut ctx: Value,
                inputs: Vec<String>| {
        let obj = ctx.as_object_mut().expect("contexts are objects");
        // The 404 page is served at any missing address, so its links start from the site's path.
        let root = if path == "404.html" {
            base_path(input.base_url)
        } else {
            root_prefix(&path)
        };
        obj.insert("root".into(), json!(root));
        obj.entry("c").or_insert(Value::Null);
        obj.entry("section").or_insert(json!(""));
        obj.insert(
            "canonical".into(),
            json!(format!("{}{}", input.base_url, url_path(&path))),
        );
        obj.insert("page_title".into(), json!(title));
        Planned {
            path,
            template,
            context: ctx,
            inputs,
        }
    };

    // Portal home.
    let index_inputs: Vec<String> = std::iter::once("content/site.toml".to_string())
        .chain(site.index.iter().map(|p| p.path.clone()))
        .chain(site.consortia.iter().flat_map(consortium_inputs))
        .collect();
    let intro = site
        .index
        .as_ref()
        .and_then(|p| input.html.get(&p.path))
        .cloned()
        .unwrap_or_default();
    let portal: Vec<Value> = site
        .consortia
        .iter()
        .map(|c| portal_entry(site, c))
        .collect();
    out.push(page(
        "index.html".into(),
        "portal.html",
        site.config.title.clone(),
        json!({ "intro": intro, "consortia": portal, "report_year": site.config.report_year.get_ref() }),
        index_inputs,
    ));

    // Free pages.
    for p in &site.pages {
        out.push(page(
            format!("{}/index.html", p.slug),
            "page.html",
            p.meta.title.clone(),
            json!({ "title": p.meta.title, "description": p.meta.description, "content": input.html.get(&p.path).cloned().unwrap_or_default() }),
            vec![p.path.clone(), "content/site.toml".into()],
        ));
    }

    for c in &site.consortia {
        let base = format!("consortia/{}/", c.id);
        let nav = json!({ "id": c.id, "name": c.profile.name, "short_name": c.profile.short_name, "base": base });
        let with_nav = |mut v: Value, section: &str| {
            let o = v.as_object_mut().expect("contexts are objects");
            o.insert("c".into(), nav.clone());
            o.insert("section".into(), json!(section));
            v
        };
        let inputs = consortium_inputs(c);
        let name = &c.profile.short_name;

        out.push(page(
            format!("{base}index.html"),
            "consortium.html",
            c.profile.name.clone(),
            with_nav(consortium_home(site, c), "home"),
            inputs.clone(),
        ));
        out.push(page(
            format!("{base}members/index.html"),
            "members.html",
            format!("成员单位 · {name}"),
            with_nav(member_directory(c), "members"),
            vec![c.members.path.clone(), c.profile_path.clone()],
        ));
        for m in &c.members.list {
            out.push(page(
                format!("{base}members/{}/index.html", m.id.get_ref()),
                "member.html",
                format!("{} · {name}", m.name),
                with_nav(member_page(c, m), "members"),
                inputs.clone(),
            ));
        }
        let prog_inputs: Vec<String> = c
            .programmes
            .iter()
            .map(|p| p.path.clone())
            .chain([c.members.path.clone()])
            .collect();
        out.push(page(
            format!("{base}programmes/index.html"),
            "programmes.html",
            format!("共建项目 · {name}"),
            with_nav(programme_list(c), "programmes"),
            prog_inputs,
        ));
        for p in &c.programmes {
            out.push(page(
                format!("{base}programmes/{}/index.html", p.slug),
                "programme.html",
                format!("{} · {name}", p.meta.title),
                with_nav(programme_page(c, p, input.html), "programmes"),
                vec![p.path.clone(), c.members.path.clone()],
            ));
        }
        out.push(page(
            format!("{base}training/index.html"),
            "training.html",
            format!("培训台账 · {name}"),
            with_nav(training_page(c), "training"),
            vec![c.training.path.clone(), c.members.path.clone()],
        ));
        out.push(page(
            format!("{base}indicators/index.html"),
            "indicators.html",
            format!("建设指标 · {name}"),
            with_nav(indicator_page(site, c), "indicators"),
            vec![c.indicators.path.clone(), "content/site.toml".into()],
        ));
        out.push(page(format!("{base}announcements/index.html"), "announcements.html", format!("成果公告 · {name}"),
            with_nav(json!({ "announcements": c.announcements.iter().map(announcement_entry).collect::<Vec<_>>() }), "announcements"),
            c.announcements.iter().map(|a| a.path.clone()).collect()));
        for a in &c.announcements {
            let mut v = announcement_entry(a);
            v["content"] = json!(input.html.get(&a.path).cloned().unwrap_or_default());
            out.push(page(
                format!("{base}announcements/{}/index.html", a.slug),
                "announcement.html",
                format!("{} · {name}", a.meta.title),
                with_nav(json!({ "a": v }), "announcements"),
                vec![a.path.clone()],
            ));
        }
    }

    out.push(page(
        "404.html".into(),
        "404.html",
        "页面未找到".into(),
        json!({}),
        vec!["content/site.toml".into()],
    ));
    // The sitemap lists every page but the 404, with absolute URLs.
    let urls: Vec<String> = out
        .iter()
        .filter(|p| p.path.ends_with("index.html"))
        .map(|p| format!("{}{}", input.base_url, url_path(&p.path)))
        .collect();
    out.push(page(
        "sitemap.xml".into(),
        "sitemap.xml",
        String::new(),
        json!({ "urls": urls }),
        index_inputs_all(site),
    ));
    out.push(page(
        "robots.txt".into(),
        "robots.txt",
        String::new(),
        json!({ "sitemap": format!("{}sitemap.xml", input.base_url) }),
        vec!["content/site.toml".into()],
    ));
    Plan {
        globals: json!({ "site": common(input) }),
        pages: out,
    }
}

fn index_inputs_all(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = vec!["content/site.toml".into()];
    v.extend(site.pages.iter().map(|p| p.path.clone()));
    v.extend(site.consortia.iter().flat_map(consortium_inputs));
    v
}

fn consortium_inputs(c: &Consortium) -> Vec<String> {
    let mut v = vec![
        c.profile_path.clone(),
        c.members.path.clone(),
        c.indicators.path.clone(),
        c.training.path.clone(),
    ];
    v.extend(c.programmes.iter().map(|p| p.path.clone()));
    v.extend(c.announcements.iter().map(|a| a.path.clone()));
    v
}

fn common(input: &PlanInput) -> Value {
    let site = input.site;
    json!({
        "title": site.config.title,
        "description": site.config.description,
        "lang": site.config.language,
        "illustrative": site.config.illustrative,
        "report_year": site.config.report_year.get_ref(),
        "pages": site.pages.iter().map(|p| json!({ "title": p.meta.title, "url": format!("{}/", p.slug) })).collect::<Vec<_>>(),
        "consortia": site.consortia.iter().map(|c| json!({ "id": c.id, "short_name": c.profile.short_name, "url": format!("consortia/{}/", c.id) })).collect::<Vec<_>>(),
    })
}

/// A member as a link target: name and URL relative to the site root.
fn member_ref(c: &Consortium, id: &str) -> Value {
    match c.member(id) {
        Some(m) => {
            json!({ "id": id, "name": m.name, "url": format!("consortia/{}/members/{}/", c.id, id), "kind": m.kind.label() })
        }
        None => json!({ "id": id, "name": id, "url": Value::Null, "kind": "" }),
    }
}

fn lead_view(c: &Consortium, lead: &Lead) -> Value {
    match (&lead.member, &lead.name) {
        (Some(m), name) => {
            let mut v = member_ref(c, m.get_ref());
            if let Some(n) = name {
                v["name"] = json!(n);
            }
            v
        }
        (None, name) => json!({ "name": name.clone().unwrap_or_default(), "url": Value::Null }),
    }
}

/// Latest actual value, the one before it, and the change, for one indicator of one consortium.
fn headline(site: &Site, c: &Consortium, key: &str) -> Option<Value> {
    let def = site.catalogue.get(key)?;
    let actual: Vec<Observation> = c
        .indicators
        .series(key)
        .into_iter()
        .filter(|o| o.basis == Basis::Actual)
        .collect();
    let last = actual.last()?;
    let prev = actual.iter().rev().nth(1);
    Some(json!({
        "key": key,
        "name": def.name,
        "unit": def.unit,
        "year": last.year,
        "value": format::number(last.value),
        "display": format::with_unit(last.value, &def.unit),
        "prev_year": prev.map(|p| p.year),
        "change": prev.map(|p| format::change(p.value, last.value, def.kind)),
        "direction": prev.map(|p| if last.value > p.value { "up" } else if last.value < p.value { "down" } else { "flat" }),
    }))
}

fn headlines(site: &Site, c: &Consortium) -> Vec<Value> {
    let mut v: Vec<Value> = HEADLINE
        .iter()
        .filter_map(|k| headline(site, c, k))
        .collect();
    if v.is_empty() {
        v = c
            .indicators
            .keys()
            .into_iter()
            .take(6)
            .filter_map(|k| headline(site, c, k))
            .collect();
    }
    v
}

/// Number of sessions, participants and person-days of some training sessions, formatted.
fn training_totals<'a>(
    sessions: impl IntoIterator<Item = &'a TrainingSession>,
) -> (usize, String, String) {
    let (mut n, mut participants, mut person_days) = (0, 0.0, 0.0);
    for s in sessions {
        n += 1;
        participants += s.participants as f64;
        person_days += *s.person_days.get_ref();
    }
    (n, format::number(participants), format::number(person_days))
}

/// Total enrolled students of some members, formatted.
fn students<'a>(members: impl IntoIterator<Item = &'a &'a Member>) -> String {
    let total: u64 = members
        .into_iter()
        .filter_map(|m| m.students.as_ref())
        .map(|s| *s.get_ref() as u64)
        .sum();
    format::number(total as f64)
}

fn portal_entry(site: &Site, c: &Consortium) -> Value {
    let (sessions, participants, person_days) = training_totals(&c.training.sessions);
    json!({
        "id": c.id,
        "name": c.profile.name,
        "short_name": c.profile.short_name,
        "kind": c.profile.kind.label(),
        "region": c.profile.region,
        "founded": c.profile.founded.iso(),
        "founded_cn": c.profile.founded.chinese(),
        "url": format!("consortia/{}/", c.id),
        "members": c.members.list.len(),
        "programmes": c.programmes.len(),
        "sessions": sessions,
        "participants": participants,
        "person_days": person_days,
        "headlines": headlines(site, c).into_iter().take(4).collect::<Vec<_>>(),
    })
}

fn kind_counts(c: &Consortium) -> Vec<Value> {
    MemberKind::ALL
        .iter()
        .map(|k| {
            let ms: Vec<&Member> = c.members.list.iter().filter(|m| m.kind == *k).collect();
            json!({
                "key": k.key(), "label": k.label(), "count": ms.len(),
                "school": k.is_school(), "students": students(&ms),
            })
        })
        .collect()
}

fn consortium_home(site: &Site, c: &Consortium) -> Value {
    let p = &c.profile;
    let bodies: Vec<Value> = p
        .bodies
        .iter()
        .map(|b| {
            json!({
                "kind": b.kind.label(),
                "name": b.name,
                "note": b.note,
                "seats": b.seats.iter().map(|s| json!({
                    "role": s.role, "name": s.name, "post": s.post, "organisation": s.organisation,
                    "member": s.member.as_ref().map(|m| member_ref(c, m.get_ref())),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let secretariat = p.secretariat.as_ref().map(|s| {
        json!({
            "host": s.host.as_ref().map(|h| member_ref(c, h.get_ref())),
            "office_area": format::number(*s.office_area.get_ref()),
            "full_time_staff": s.full_time_staff,
            "part_time_staff": s.part_time_staff,
            "total_staff": s.full_time_staff + s.part_time_staff,
            "phone": s.phone, "email": s.email, "address": s.address,
        })
    });
    let (sessions, participants, person_days) = training_totals(&c.training.sessions);
    json!({
        "profile": {
            "name": p.name, "short_name": p.short_name, "kind": p.kind.label(), "region": p.region,
            "founded": p.founded.iso(), "founded_cn": p.founded.chinese(),
            "description": p.description, "industries": p.industries,
        },
        "leads": {
            "park": lead_view(c, p.leads.park.get_ref()),
            "school": lead_view(c, p.leads.school.get_ref()),
            "enterprise": lead_view(c, p.leads.enterprise.get_ref()),
        },
        "secretariat": secretariat,
        "bodies": bodies,
        "phases": p.phases.iter().map(|ph| json!({
            "name": ph.name, "start": ph.start.iso(), "end": ph.end.iso(),
            "start_cn": ph.start.chinese(), "end_cn": ph.end.chinese(), "goals": ph.goals,
        })).collect::<Vec<_>>(),
        "headlines": headlines(site, c),
        "kinds": kind_counts(c),
        "member_count": c.members.list.len(),
        "programme_count": c.programmes.len(),
        "sessions": sessions,
        "participants": participants,
        "person_days": person_days,
        "latest": c.announcements.iter().take(LATEST).map(announcement_entry).collect::<Vec<_>>(),
    })
}

fn member_row(c: &Consortium, m: &Member) -> Value {
    json!({
        "id": m.id.get_ref(),
        "name": m.name,
        "short_name": m.short_name,
        "kind": m.kind.label(),
        "kind_key": m.kind.key(),
        "students": m.students.as_ref().map(|s| format::number(*s.get_ref() as f64)),
        "joined": m.joined.map(|d| d.iso()),
        "website": m.website,
        "tags": m.tags,
        "url": format!("consortia/{}/members/{}/", c.id, m.id.get_ref()),
    })
}

fn member_directory(c: &Consortium) -> Value {
    let groups: Vec<Value> = MemberKind::ALL
        .iter()
        .filter_map(|k| {
            let mut ms: Vec<&Member> = c.members.list.iter().filter(|m| m.kind == *k).collect();
            if ms.is_empty() {
                return None;
            }
            ms.sort_by(|a, b| a.id.get_ref().cmp(b.id.get_ref()));
            Some(json!({
                "key": k.key(), "label": k.label(), "count": ms.len(), "school": k.is_school(),
                "students": students(&ms),
                "members": ms.iter().map(|m| member_row(c, m)).collect::<Vec<_>>(),
            }))
        })
        .collect();
    json!({ "groups": groups, "kinds": kind_counts(c), "total": c.members.list.len() })
}

fn programme_entry(c: &Consortium, p: &Programme) -> Value {
    json!({
        "slug": p.slug,
        "title": p.meta.title,
        "kind": p.meta.kind.label(),
        "kind_key": p.meta.kind.key(),
        "status": p.meta.status.label(),
        "start_year": p.meta.start_year.get_ref(),
        "summary": p.meta.summary,
        "partners": p.meta.partners.iter().map(|r| member_ref(c, r.get_ref())).collect::<Vec<_>>(),
        "url": format!("consortia/{}/programmes/{}/", c.id, p.slug),
    })
}

fn session_row(c: &Consortium, s: &TrainingSession) -> Value {
    json!({
        "date": s.date.iso(),
        "title": s.title,
        "provider": member_ref(c, s.provider.get_ref()),
        "audience": s.audience.label(),
        "participants": format::number(s.participants as f64),
        "person_days": format::number(*s.person_days.get_ref()),
    })
}

fn member_page(c: &Consortium, m: &Member) -> Value {
    let id = m.id.get_ref().as_str();
    let programmes: Vec<Value> = c
        .programmes
        .iter()
        .filter(|p| p.meta.partners.iter().any(|r| r.get_ref() == id))
        .map(|p| programme_entry(c, p))
        .collect();
    let mut sessions: Vec<&TrainingSession> = c
        .training
        .sessions
        .iter()
        .filter(|s| s.provider.get_ref() == id)
        .collect();
    sessions.sort_by(|a, b| b.date.cmp(&a.date).then(a.title.cmp(&b.title)));
    let (session_count, participants, person_days) = training_totals(sessions.iter().copied());
    let p = &c.profile;
    let mut roles = Vec::new();
    for (lead, label) in [
        (&p.leads.park, "牵头园区"),
        (&p.leads.school, "牵头学校"),
        (&p.leads.enterprise, "牵头企业"),
    ] {
        if lead
            .get_ref()
            .member
            .as_ref()
            .is_some_and(|r| r.get_ref() == id)
        {
            roles.push(label.to_string());
        }
    }
    if p.secretariat
        .as_ref()
        .and_then(|s| s.host.as_ref())
        .is_some_and(|h| h.get_ref() == id)
    {
        roles.push("秘书处设立单位".to_string());
    }
    for b in &p.bodies {
        for s in &b.seats {
            if s.member.as_ref().is_some_and(|r| r.get_ref() == id) {
                roles.push(format!("{}{}单位", b.kind.label(), s.role));
            }
        }
    }
    roles.dedup();
    json!({
        "m": member_row(c, m),
        "description": m.description,
        "roles": roles,
        "programmes": programmes,
        "sessions": sessions.iter().map(|s| session_row(c, s)).collect::<Vec<_>>(),
        "session_count": session_count,
        "participants": participants,
        "person_days": person_days,
    })
}

fn programme_list(c: &Consortium) -> Value {
    let groups: Vec<Value> = ProgrammeKind::ALL
        .iter()
        .filter_map(|k| {
            let mut ps: Vec<&Programme> =
                c.programmes.iter().filter(|p| p.meta.kind == *k).collect();
            if ps.is_empty() {
                return None;
            }
            ps.sort_by(|a, b| {
                (a.meta.start_year.get_ref(), &a.slug).cmp(&(b.meta.start_year.get_ref(), &b.slug))
            });
            Some(
                json!({ "key": k.key(), "label": k.label(), "count": ps.len(),
            "programmes": ps.iter().map(|p| programme_entry(c, p)).collect::<Vec<_>>() }),
            )
        })
        .collect();
    json!({ "groups": groups, "total": c.programmes.len() })
}

fn programme_page(c: &Consortium, p: &Programme, html: &BTreeMap<String, String>) -> Value {
    json!({ "p": programme_entry(c, p), "content": html.get(&p.path).cloned().unwrap_or_default() })
}

fn training_page(c: &Consortium) -> Value {
    let years: BTreeSet<i32> = c.training.sessions.iter().map(|s| s.date.year()).collect();
    let totals: Vec<Value> = years
        .iter()
        .rev()
        .map(|&y| {
            let in_year: Vec<&TrainingSession> = c
                .training
                .sessions
                .iter()
                .filter(|s| s.date.year() == y)
                .collect();
            let rows: Vec<Value> = Audience::ALL
                .iter()
                .map(|a| {
                    let (n, participants, person_days) =
                        training_totals(in_year.iter().copied().filter(|s| s.audience == *a));
                    json!({
                        "audience": a.label(), "sessions": n,
                        "participants": participants, "person_days": person_days,
                    })
                })
                .collect();
            let (n, participants, person_days) = training_totals(in_year.iter().copied());
            json!({
                "year": y, "rows": rows, "sessions": n,
                "participants": participants, "person_days": person_days,
            })
        })
        .collect();
    let mut sessions: Vec<&TrainingSession> = c.training.sessions.iter().collect();
    sessions.sort_by(|a, b| b.date.cmp(&a.date).then(a.title.cmp(&b.title)));
    json!({ "totals": totals, "sessions": sessions.iter().map(|s| session_row(c, s)).collect::<Vec<_>>() })
}

/// How many years of actual values the indicator tables show (committed years are all shown).
const TABLE_YEARS: usize = 5;

fn indicator_page(site: &Site, c: &Consortium) -> Value {
    let report_year = *site.config.report_year.get_ref();
    let all: BTreeSet<i32> = c.indicators.entries.iter().map(|e| e.year).collect();
    let past: Vec<i32> = all.iter().copied().filter(|y| *y <= report_year).collect();
    let years: Vec<i32> = past[past.len().saturating_sub(TABLE_YEARS)..]
        .iter()
        .copied()
        .chain(all.iter().copied().filter(|y| *y > report_year))
        .collect();
    let keys = c.indicators.keys();
    let groups: Vec<Value> = site.catalogue.groups.iter().filter_map(|(gk, g)| {
        let rows: Vec<Value> = site.catalogue.indicators.iter()
            .filter(|(k, d)| &d.group == gk && keys.contains(k.as_str()))
            .map(|(k, d)| {
                let series = c.indicators.series(k);
                let cells: Vec<Value> = years.iter().map(|y| {
                    match series.iter().find(|o| o.year == *y) {
                        Some(o) => json!({ "value": format::number(o.value), "committed": o.basis == Basis::Committed }),
                        None => json!({ "value": Value::Null, "committed": *y > report_year }),
                    }
                }).collect();
                json!({ "key": k, "name": d.name, "unit": d.unit, "cells": cells,
                    "change": headline(site, c, k).and_then(|h| h["change"].as_str().map(str::to_string)) })
            }).collect();
        (!rows.is_empty()).then(|| json!({ "key": gk, "name": g.name, "rows": rows }))
    }).collect();
    json!({
        "years": years.iter().map(|y| json!({ "year": y, "committed": *y > report_year })).collect::<Vec<_>>(),
        "groups": groups,
    })
}

fn announcement_entry(a: &Announcement) -> Value {
    json!({
        "slug": a.slug,
        "title": a.meta.title,
        "date": a.meta.date.iso(),
        "date_cn": a.meta.date.chinese(),
        "tags": a.meta.tags,
        "summary": a.meta.summary,
        "draft": a.meta.draft,
        "url": format!("announcements/{}/", a.slug),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "./");
        assert_eq!(root_prefix("about/index.html"), "../");
        assert_eq!(
            root_prefix("consortia/x/members/y/index.html"),
            "../../../../"
        );
        assert_eq!(url_path("consortia/x/index.html"), "consortia/x/");
        assert_eq!(url_path("404.html"), "404.html");
        assert_eq!(base_path("https://a.org/x/"), "/x/");
        assert_eq!(base_path("https://a.org/"), "/");
        assert_eq!(base_path("/sub/"), "/sub/");
    }
}
