//! The recommendation form as a Word file (`form.docx`), made from the very view the form page
//! shows, so that the two hold the same cells: A4, 仿宋_GB2312 小四 at a fixed 16磅 line (说明四),
//! the cover, 说明, the five parts with their tables and footnotes, and the pledge left for the
//! hand signature and seal. A missing value reads 未填报 as on the page.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, Table,
    TableCell, TableRow, VAlignType, VertAlignType, WidthType,
};

use super::form::{FormRow, FormTable, FormView};
use super::{Cell, TextView, WORDING};
use crate::format::NOT_REPORTED;

/// Half-points: 小四 is 12磅, 小二 18磅, 四号 14磅.
const BODY: usize = 24;
const TITLE: usize = 36;
const HEADING: usize = 28;
/// A4 in twentieths of a point, and margins of 2.54 cm and 3.17 cm.
const A4: (u32, u32) = (11906, 16838);
/// The usable width of the page, for tables.
const TEXT_WIDTH: usize = 11906 - 2 * 1800;

fn fangsong() -> RunFonts {
    RunFonts::new()
        .east_asia("仿宋_GB2312")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn heiti() -> RunFonts {
    RunFonts::new().east_asia("黑体").ascii("Times New Roman")
}

fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text).fonts(heiti()).size(HEADING).bold())
}

/// A run raised as a footnote mark.
fn mark(n: u8) -> Run {
    let mut r = run(&n.to_string());
    r.run_property = r.run_property.vert_align(VertAlignType::SuperScript);
    r
}

fn cell(text: &str) -> TableCell {
    TableCell::new()
        .add_paragraph(para(text))
        .vertical_align(VAlignType::Center)
}

fn head(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(run(text).bold()))
}

fn label(text: &str, note: Option<u8>) -> TableCell {
    let mut p = Paragraph::new().add_run(run(text));
    if let Some(n) = note {
        p = p.add_run(mark(n));
    }
    TableCell::new().add_paragraph(p)
}

/// A value as the page prints it: the value (or 未填报), ※ when summed from the ledger.
fn value(c: &Cell) -> TableCell {
    let text = if c.derived {
        format!("{}※", c.text)
    } else {
        c.text.clone()
    };
    TableCell::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Right)
            .add_run(run(&text)),
    )
}

/// A text cell: its paragraphs and its count against the limit, or 未填报.
fn text(t: &TextView) -> TableCell {
    let mut c = TableCell::new();
    if t.text.is_none() {
        return c.add_paragraph(para(NOT_REPORTED));
    }
    for p in &t.paragraphs {
        c = c.add_paragraph(para(p));
    }
    c.add_paragraph(para(&format!("{}字（限{}字）", t.count, t.limit)))
}

/// A table of `columns` columns across the page, the first (the labels) wider than the rest.
fn table(rows: Vec<TableRow>, columns: usize) -> Table {
    let columns = columns.max(1);
    let first = if columns == 1 {
        TEXT_WIDTH
    } else {
        TEXT_WIDTH * 2 / (columns + 1)
    };
    let rest = (TEXT_WIDTH - first) / (columns - 1).max(1);
    let mut grid = vec![first];
    grid.extend(std::iter::repeat_n(rest, columns - 1));
    Table::new(rows)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// One block of the form, as the page lays it out.
fn block(b: &FormTable) -> Vec<DocPart> {
    let n = b.columns.len();
    let mut header = vec![head(if b.head.is_empty() { "项目" } else { &b.head })];
    if b.units {
        header.push(head("单位"));
    }
    for (i, col) in b.columns.iter().enumerate() {
        let mut p = Paragraph::new().add_run(run(&col.label).bold());
        if let (0, Some(note)) = (i, b.year_note) {
            p = p.add_run(mark(note));
        }
        header.push(TableCell::new().add_paragraph(p));
    }
    let mut rows = vec![TableRow::new(header)];
    rows.extend(b.rows.iter().map(|r| row(b, r, n)));
    vec![
        dp(para(&b.name)),
        DocPart::T(Box::new(table(rows, 1 + usize::from(b.units) + n))),
    ]
}

fn row(b: &FormTable, r: &FormRow, n: usize) -> TableRow {
    let mut cells = vec![label(&r.label, r.note)];
    match r.kind {
        "heading" => {
            if r.head.is_empty() {
                cells.push(cell("").grid_span(n + usize::from(b.units)));
            } else {
                if b.units {
                    cells.push(head(&r.head));
                }
                cells.extend(b.columns.iter().map(|c| head(&c.label)));
            }
        }
        "values" => {
            if b.units {
                cells.push(cell(&r.unit));
            }
            cells.extend(r.cells.iter().map(|c| c.as_ref().map_or(cell(""), value)));
        }
        _ => {
            if b.units {
                cells.push(cell(""));
            }
            let span = if r.kind == "text" { n } else { 1 };
            cells.extend(r.texts.iter().map(|t| text(t).grid_span(span)));
        }
    }
    TableRow::new(cells)
}

enum DocPart {
    P(Box<Paragraph>),
    T(Box<Table>),
}

fn dp(p: Paragraph) -> DocPart {
    DocPart::P(Box::new(p))
}

/// The form of `v` as the bytes of a `.docx` file; `None` only if packing into memory fails.
pub fn form(v: &FormView) -> Option<Vec<u8>> {
    let mut parts: Vec<DocPart> = Vec::new();
    let mut p = |x: Paragraph| parts.push(dp(x));
    let f = &v.form;
    let r = &v.report;
    let o = &r.overview;
    p(Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(run(f.title).fonts(heiti()).size(TITLE).bold()));
    let or_missing = |x: Option<&str>| x.unwrap_or(NOT_REPORTED).to_string();
    let cover = [
        ("联合体名称", o.profile.name.to_string()),
        ("推荐市州", or_missing(f.recommended_by)),
        ("依托园区", format!("{}（公章）", or_missing(f.park))),
        ("牵头学校", format!("{}（公章）", o.leads.school.name)),
        ("牵头企业", format!("{}（公章）", o.leads.enterprise.name)),
        (
            "填表日期",
            or_missing(f.filled.as_ref().map(|d| d.text.as_str())),
        ),
    ];
    for (k, val) in cover {
        p(para(&format!("{k}　{val}")));
    }
    p(heading("说　明"));
    for n in &f.notes {
        p(para(n));
    }
    p(heading("1. 联合体概况"));
    parts.push(DocPart::T(Box::new(overview_table(v))));
    parts.push(dp(para(&format!(
        "联合体成员情况（截至{}）",
        r.cutoff.text
    ))));
    parts.push(DocPart::T(Box::new(members_table(v))));
    for b in &f.overview {
        parts.extend(block(b));
    }
    footnotes(&mut parts, &f.overview_notes);
    parts.push(dp(heading("2. 办学成效和服务能力")));
    for b in &f.part2 {
        parts.extend(block(b));
    }
    footnotes(&mut parts, &f.part2_notes);
    if f.derived {
        parts.push(dp(para(WORDING.legend)));
    }
    closing(&mut parts, v);
    pack(parts)
}

fn footnotes(parts: &mut Vec<DocPart>, notes: &[String]) {
    for (i, n) in notes.iter().enumerate() {
        parts.push(dp(Paragraph::new()
            .add_run(mark(i as u8 + 1))
            .add_run(run(n))));
    }
}

/// Parts 3–5: the two long texts, the declaration, and the pledge.
fn closing(parts: &mut Vec<DocPart>, v: &FormView) {
    let f = &v.form;
    let long = |parts: &mut Vec<DocPart>, title: &str, limit: &str, t: &TextView| {
        parts.push(dp(heading(title)));
        parts.push(dp(para(limit)));
        if t.text.is_none() {
            parts.push(dp(para(NOT_REPORTED)));
        }
        for x in &t.paragraphs {
            parts.push(dp(para(x)));
        }
    };
    long(parts, "3. 特色与创新", "（2000字以内）", &f.features);
    match f.no_violation {
        "yes" => parts.push(dp(para(WORDING.declaration))),
        "no" => parts.push(dp(para(WORDING.no_declaration))),
        _ => {}
    }
    long(parts, "4. 建设规划", "（1000字以内）", &f.plan);
    parts.push(dp(heading("5. 申报承诺")));
    let signed = |lines: &[&str]| {
        lines
            .iter()
            .fold(TableCell::new(), |c, l| c.add_paragraph(para(l)))
    };
    let pledge = TableRow::new(vec![cell("申报单位承诺"), signed(&WORDING.pledge)]);
    let opinion = TableRow::new(vec![cell("地方教育行政部门意见"), signed(&WORDING.opinion)]);
    parts.push(DocPart::T(Box::new(table(vec![pledge, opinion], 2))));
}

/// The head of part 1: name and founding, the 负责人, and the secretariat.
fn overview_table(v: &FormView) -> Table {
    let r = &v.report;
    let o = &r.overview;
    let missing = || NOT_REPORTED.to_string();
    let leader_name = r.leader.map_or_else(missing, |l| l.name.clone());
    let leader_post = r.leader.map_or(String::new(), |l| {
        if l.contact.is_empty() {
            l.post.clone()
        } else {
            format!("{}，{}", l.post, l.contact)
        }
    });
    let mut rows = vec![
        TableRow::new(vec![
            cell("联合体名称"),
            cell(o.profile.name),
            cell("（拟）成立时间"),
            cell(&o.profile.founded.text),
        ]),
        TableRow::new(vec![
            label("联合体负责人", v.form.leader_note),
            cell(&leader_name),
            cell("职务及联系方式"),
            cell(&leader_post),
        ]),
    ];
    if let Some(s) = &o.secretariat {
        let or = |x: Option<&str>| x.map_or_else(missing, str::to_string);
        rows.push(TableRow::new(vec![
            cell("秘书处（办公室）情况").grid_span(4)
        ]));
        rows.push(TableRow::new(vec![
            cell("秘书处所在单位"),
            cell(s.host.as_ref().map_or("", |h| h.name)),
            cell("秘书处负责人"),
            cell(&or(r.secretariat_head)),
        ]));
        rows.push(TableRow::new(vec![
            cell("固定办公面积"),
            cell(
                &s.office_area
                    .as_ref()
                    .map_or_else(missing, |a| format!("{a} m²")),
            ),
            cell("联系电话"),
            cell(&or(s.phone)),
        ]));
        rows.push(TableRow::new(vec![
            cell("人员总数"),
            cell(&or(s.total_staff.as_deref())),
            cell("专职人数 / 兼职人数"),
            cell(&format!(
                "{} / {}",
                or(s.full_time_staff.as_deref()),
                or(s.part_time_staff.as_deref())
            )),
        ]));
        rows.push(TableRow::new(vec![
            cell("人员姓名"),
            cell(&r.secretariat_staff.join("、")).grid_span(3),
        ]));
    }
    table(rows, 4)
}

fn members_table(v: &FormView) -> Table {
    let mut rows = vec![TableRow::new(vec![
        head("组成"),
        head("数量（在校生数）"),
        head("单位名称"),
    ])];
    for k in &v.report.members {
        let count = match &k.students {
            Some(s) => format!("{}（{s}）", k.count),
            None => k.count.clone(),
        };
        rows.push(TableRow::new(vec![
            cell(k.label),
            cell(&count),
            cell(&k.names.join("、")),
        ]));
    }
    table(rows, 3)
}

/// The document: A4, the form's font and fixed line, the parts in order.
fn pack(parts: Vec<DocPart>) -> Option<Vec<u8>> {
    let margin = PageMargin::new()
        .top(1440)
        .bottom(1440)
        .left(1800)
        .right(1800);
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(margin)
        .default_fonts(fangsong())
        .default_size(BODY)
        .default_line_spacing(
            LineSpacing::new()
                .line(320)
                .line_rule(LineSpacingType::Exact),
        );
    for part in parts {
        doc = match part {
            DocPart::P(p) => doc.add_paragraph(*p),
            DocPart::T(t) => doc.add_table(*t),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    // Packing writes into memory; a failure there leaves no file rather than a broken one.
    doc.build().pack(&mut out).ok()?;
    Some(out.into_inner())
}
