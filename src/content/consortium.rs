//! Reading one consortium folder (`content/consortia/<id>/`) into the model: its profile, members,
//! training ledger, indicators, programmes, announcements with their attachments, and its
//! optional files, every problem reported and none stopping the others.

use super::*;

const CONSORTIUM_FILES: [&str; 14] = [
    "consortium.toml",
    "industries.toml",
    "governance.toml",
    "lists.toml",
    "majors.toml",
    "milestones.toml",
    "pages",
    "assessment.toml",
    "members.toml",
    "indicators.toml",
    "training.toml",
    "report.toml",
    "programmes",
    "announcements",
];

/// Loads one consortium folder. A profile that cannot be read leaves a placeholder, so that the
/// other files are still checked (`Consortium::profile_unreadable`).
pub(super) fn load_consortium(
    root: &Path,
    dir: &str,
    sink: &mut Sink,
) -> Result<Option<Consortium>, LoadError> {
    let id = dir.rsplit('/').next().unwrap_or_default().to_string();
    unexpected_files(root, dir, sink)?;
    let profile_path = format!("{dir}/consortium.toml");
    if !root.join(&profile_path).is_file() {
        sink.diags.push(Diagnostic::file_error(
            &profile_path,
            rule!("load.missing_profile"),
        ));
        return Ok(None);
    }
    let profile = read_toml::<Profile>(root, &profile_path, "consortium.toml", sink)?;
    if !is_url_safe(&id) {
        sink.diags.push(Diagnostic::file_error(
            &profile_path,
            rule!("load.folder_characters", id),
        ));
    } else if let Some(problem) =
        crate::rules::names::unportable(&id, crate::rules::names::MAX_SLUG)
    {
        sink.diags
            .push(Diagnostic::file_error(&profile_path, problem));
    }

    let members_path = format!("{dir}/members.toml");
    // Without members.toml every reference to a member would be an error of its own: say once
    // that the file is missing, and treat its members as unknowable.
    let missing = !root.join(&members_path).is_file();
    if missing {
        sink.diags.push(Diagnostic::file_error(
            &members_path,
            rule!("load.missing_members"),
        ));
    }
    let (list, unreadable_ids, unreadable) = read_array(root, &members_path, "member", sink)?;
    let unreadable = unreadable || missing;
    let members = Members {
        list,
        unreadable_ids,
        unreadable,
        path: members_path,
    };
    let training_path = format!("{dir}/training.toml");
    let training = Training {
        sessions: read_array(root, &training_path, "session", sink)?.0,
        path: training_path,
    };
    let indicators = read_indicators(root, &format!("{dir}/indicators.toml"), sink)?;
    let pages = read_pages(root, &format!("{dir}/pages"), sink)?;
    let taxonomy = read_optional::<industries::Taxonomy>(
        root,
        &format!("{dir}/industries.toml"),
        "industries.toml",
        sink,
    )?;
    let governance_path = format!("{dir}/governance.toml");
    let governance = read_optional::<Governance>(root, &governance_path, "governance.toml", sink)?;
    let lists_path = format!("{dir}/lists.toml");
    let lists = read_optional::<DemandLists>(root, &lists_path, "lists.toml", sink)?;
    let majors_path = format!("{dir}/majors.toml");
    let majors = read_optional::<MajorLists>(root, &majors_path, "majors.toml", sink)?;
    let milestones_path = format!("{dir}/milestones.toml");
    let milestones = read_optional::<Milestones>(root, &milestones_path, "milestones.toml", sink)?;
    let report_path = format!("{dir}/report.toml");
    let report = read_optional::<Report>(root, &report_path, "report.toml", sink)?;
    let assessment_path = format!("{dir}/assessment.toml");
    let assessment =
        read_optional::<assessment::Assessment>(root, &assessment_path, "assessment.toml", sink)?;

    let programmes = read_programmes(root, dir, sink)?;
    let announcements = read_announcements(root, dir, sink)?;

    Ok(Some(Consortium {
        id,
        profile_path,
        profile_unreadable: profile.is_none(),
        profile: profile.unwrap_or_else(Profile::placeholder),
        members,
        programmes,
        training,
        indicators,
        announcements,
        report,
        report_path,
        assessment,
        assessment_path,
        milestones,
        milestones_path,
        majors,
        majors_path,
        lists,
        lists_path,
        governance,
        governance_path,
        taxonomy,
        pages,
    }))
}

/// `unexpected-file`: a file of a consortium folder that is none of the files it may hold.
fn unexpected_files(root: &Path, dir: &str, sink: &mut Sink) -> Result<(), LoadError> {
    for name in list(root, dir, |_, _, _| true)? {
        let base = name.rsplit('/').next().unwrap_or_default();
        if !CONSORTIUM_FILES.contains(&base) {
            let help = did_you_mean(base, CONSORTIUM_FILES);
            sink.diags.push(
                Diagnostic {
                    severity: crate::diagnostics::Severity::Warning,
                    ..Diagnostic::file_error(&name, rule!("load.unexpected_file"))
                }
                .with_help(help),
            );
        }
    }
    Ok(())
}

// Programmes and announcements are read in parallel (a consortium may have thousands), each file
// into its own sink, merged in file order.

/// The programmes of a consortium folder.
fn read_programmes(root: &Path, dir: &str, sink: &mut Sink) -> Result<Vec<Programme>, LoadError> {
    let files = sink.files;
    // The name files are called by in messages, made once for all of them.
    let what = msg!("what.programme_front_matter");
    read_each(
        &list_files(root, &format!("{dir}/programmes"), "md")?,
        sink,
        |rel, s| {
            let Some((meta, md)) = read_markdown_meta::<ProgrammeMeta>(root, rel, &what, s)? else {
                return Ok(None);
            };
            let slug = slug_of(rel, meta.slug.as_ref(), &md.file, &mut s.diags);
            Ok(Some(Programme {
                path: md.path,
                slug,
                meta: std::sync::Arc::unwrap_or_clone(meta),
                body: md.body,
                body_offset: md.body_offset,
            }))
        },
        files,
    )
}

/// The announcements of a consortium folder with their attachments, newest first.
fn read_announcements(
    root: &Path,
    dir: &str,
    sink: &mut Sink,
) -> Result<Vec<Announcement>, LoadError> {
    let files = sink.files;
    let what = msg!("what.announcement_front_matter");
    let announcements_dir = format!("{dir}/announcements");
    let announcements = read_each(
        &list_files(root, &announcements_dir, "md")?,
        sink,
        |rel, s| {
            let Some((meta, md)) = read_markdown_meta::<AnnouncementMeta>(root, rel, &what, s)?
            else {
                return Ok(None);
            };
            let slug = slug_of(rel, meta.slug.as_ref(), &md.file, &mut s.diags);
            let attachments =
                read_attachments(root, &announcements_dir, &meta.attachments, &md.file, s)?;
            Ok(Some(Announcement {
                path: md.path,
                slug,
                meta,
                body: md.body,
                body_offset: md.body_offset,
                attachments,
            }))
        },
        files,
    )?;
    // Newest first; ties by slug so the order never depends on the file system.
    Ok(crate::order::sorted_by(announcements, |a, b| {
        b.meta
            .date
            .get_ref()
            .cmp(a.meta.date.get_ref())
            .then(a.slug.cmp(&b.slug))
    }))
}

/// The files an announcement lists under `attachments`, each relative to the folder of its
/// Markdown file (`announcements/`) and inside it. A file that is missing, outside, or whose name
/// another attachment of the same announcement already has is reported where it is named.
fn read_attachments(
    root: &Path,
    folder: &str,
    list: &[AttachmentMeta],
    file: &SourceFile,
    sink: &mut Sink,
) -> Result<Vec<Attachment>, LoadError> {
    let mut out: Vec<Attachment> = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let rel = a.file.get_ref();
        let span = a.file.span();
        let inside = !rel.is_empty()
            && !rel.starts_with('/')
            && !rel.contains('\\')
            && rel
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        if !inside {
            sink.diags.push(Diagnostic::error(
                file,
                span,
                rule!("load.attachment_outside", rel, folder),
            ));
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
        // A Markdown file in a folder is a text attachment; one beside the announcements is an
        // announcement itself.
        let text = name.ends_with(".md") && rel.contains('/');
        if (name.ends_with(".md") && !text) || name == "index.html" {
            sink.diags.push(Diagnostic::error(
                file,
                span,
                rule!("load.attachment_page", rel),
            ));
            continue;
        }
        if let Some(problem) = crate::rules::names::unportable(&name, crate::rules::names::MAX_NAME)
        {
            sink.diags.push(Diagnostic::error(file, span, problem));
            continue;
        }
        let folded = crate::rules::names::folded(&name);
        if out
            .iter()
            .any(|o| crate::rules::names::folded(&o.name) == folded)
        {
            sink.diags.push(Diagnostic::error(
                file,
                span,
                rule!("load.attachment_same_name", name),
            ));
            continue;
        }
        let site_rel = format!("{folder}/{rel}");
        if text && root.join(&site_rel).is_file() {
            let what = msg!("what.attachment_text");
            if let Some(((), md)) = read_markdown::<NoMeta>(root, &site_rel, &what, sink, false)?
                .map(|(_, md)| ((), md))
            {
                out.push(Attachment {
                    no: i + 1,
                    title: a.title.clone(),
                    name,
                    bytes: std::sync::Arc::default(),
                    text: Some(AttachmentText {
                        path: md.path,
                        body: md.body,
                        body_offset: md.body_offset,
                    }),
                });
            }
            continue;
        }
        let diags = &mut sink.diags;
        match crate::safefs::read(root, &site_rel) {
            Ok(Ok(bytes)) => out.push(Attachment {
                no: i + 1,
                title: a.title.clone(),
                name,
                bytes: std::sync::Arc::new(bytes),
                text: None,
            }),
            Ok(Err(refused)) => {
                diags.push(Diagnostic::error(file, span, refused.message(&site_rel)))
            }
            Err(_) => diags.push(Diagnostic::error(
                file,
                span,
                rule!("load.attachment_missing", folder, rel),
            )),
        }
    }
    Ok(out)
}

/// A text attachment has no front matter of its own: any key in one is unknown.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoMeta {}

/// `indicators.toml`: `[actual]` and `[committed]` tables of `key = { year = value }`.
fn read_indicators(root: &Path, rel: &str, sink: &mut Sink) -> Result<Indicators, LoadError> {
    let none = || Indicators {
        path: rel.to_string(),
        entries: Vec::new(),
    };
    if !root.join(rel).is_file() {
        return Ok(none());
    }
    Ok(sink
        .parse(root, rel, |file, diags| indicators_of(rel, file, diags))?
        .unwrap_or_else(none))
}

fn indicators_of(rel: &str, file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Indicators {
    let mut out = Indicators {
        path: rel.to_string(),
        entries: Vec::new(),
    };
    let Some(doc) = tomlde::parse_document(file, &file.text, diags) else {
        return out;
    };
    for (section, table) in doc.into_inner() {
        let name: &str = section.get_ref().as_ref();
        let basis = match Basis::ALL.into_iter().find(|b| b.section() == name) {
            Some(basis) => basis,
            None => {
                let other = name;
                diags.push(
                    Diagnostic::error(file, section.span(), rule!("load.unknown_section", other))
                        .with_help(
                            did_you_mean(other, Basis::ALL.map(Basis::section))
                                .or_else(|| Some(msg!("load.indicator_sections"))),
                        ),
                );
                continue;
            }
        };
        let DeValue::Table(table) = table.into_inner() else {
            diags.push(Diagnostic::error(
                file,
                section.span(),
                rule!("load.section_not_table", section = section.get_ref()),
            ));
            continue;
        };
        for (key, years) in table {
            let key = toml::Spanned::new(key.span(), key.get_ref().to_string());
            let years_span = years.span();
            let DeValue::Table(years) = years.into_inner() else {
                diags.push(Diagnostic::error(
                    file,
                    years_span,
                    rule!("load.indicator_not_years", key = key.get_ref()),
                ));
                continue;
            };
            for (year, value) in years {
                let year_num = match crate::model::four_digit_year(year.get_ref()) {
                    Some(y) if (1900..=2200).contains(&y) => y,
                    _ => {
                        diags.push(Diagnostic::error(
                            file,
                            year.span(),
                            rule!("load.not_a_year", year = year.get_ref()),
                        ));
                        continue;
                    }
                };
                let value_span = value.span();
                let as_text = value.get_ref().as_str().map(str::to_string);
                let number = match value.get_ref() {
                    DeValue::Integer(_) | DeValue::Float(_) => {
                        serde::Deserialize::deserialize(toml::de::ValueDeserializer::from(value))
                            .ok()
                    }
                    _ => None,
                };
                let Some(number) = number else {
                    let help = as_text
                        .as_deref()
                        .and_then(|s| slips::for_string(s, slips::Wanted::Number));
                    diags.push(
                        Diagnostic::error(
                            file,
                            value_span,
                            rule!(
                                "load.value_not_number",
                                key = key.get_ref(),
                                year = year_num
                            ),
                        )
                        .with_help(help),
                    );
                    continue;
                };
                out.entries.push(IndicatorEntry {
                    key: key.clone(),
                    year: year_num,
                    year_span: year.span(),
                    value: number,
                    value_span,
                    basis,
                });
            }
        }
    }
    out
}
