//! `chanjiao announce`: drafts an announcement from the figures, so that no number is typed twice.
//! An annual draft (年度总结) sets the year against the one before: the indicators that rose most,
//! any that fell, members that joined, programmes started and completed, the training ledger, and
//! the committed targets of the coming years as commitments (承诺). A quarterly draft (季度通报)
//! covers the training ledger and the members and programmes dated in the quarter. Every number is
//! taken from `figures` and formatted by `format`; a figure with no previous value is stated
//! without a change, and a period with no data says so instead of printing zeros. The founding
//! year has a draft of its own (`founding`).

mod founding;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::figures::{Change, ConsortiumFigures, Figures, Origin, Period, Series, TrainingTotals};
use crate::format;
use crate::model::*;

/// An annual or a quarterly draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Annual,
    /// Quarter 1–4.
    Quarterly(u32),
}

/// What to draft.
#[derive(Debug, Clone)]
pub struct Request {
    pub consortium: String,
    pub year: i32,
    pub kind: Kind,
    /// The draft's publication date (`date` in its front matter).
    pub date: Date,
}

/// Content text (a name, a title) as Markdown that shows it as written: every character Markdown
/// would act on (`[`, `]`, `|`, `*`, `_`, `<` …) is escaped, so a member named
/// `某企业[点我](javascript:…)` is no link and a `|` shifts no table cell.
pub fn md(text: &str) -> Cow<'_, str> {
    const ACTIVE: &[char] = &[
        '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '!', '&',
    ];
    if !text.contains(ACTIVE) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if ACTIVE.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// A drafted announcement: its file name (without `.md`) and its Markdown with front matter.
#[derive(Debug, Clone)]
pub struct Draft {
    pub slug: String,
    pub text: String,
}

impl Draft {
    /// The draft as a plain Markdown file: numbers and Chinese units run together (`5个`), with
    /// no invisible joiners for an editor to trip over.
    fn plain(self) -> Draft {
        Draft {
            text: format::plain_text(&self.text),
            ..self
        }
    }
}

/// How many rising indicators the annual draft names (all are in its table).
const TOP_RISES: usize = 5;
/// How many of them get a chart.
const CHARTS: usize = 2;

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

/// Why a draft cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    pub message: String,
    pub help: Option<String>,
}

/// Drafts the announcement `req` asks for.
pub fn draft(site: &Site, figures: &Figures, req: &Request) -> Result<Draft, RequestError> {
    let Some(f) = figures.consortium(&req.consortium) else {
        let ids: Vec<&str> = site.consortia.iter().map(|c| c.id.as_str()).collect();
        return Err(RequestError {
            message: msg!("announce.no_consortium", id = req.consortium),
            help: crate::diagnostics::did_you_mean(&req.consortium, ids.iter().copied()).or_else(
                || {
                    Some(msg!(
                        "announce.consortia_are",
                        ids = crate::messages::list(&ids)
                    ))
                },
            ),
        });
    };
    let report_year = *site.config.report_year.get_ref();
    if req.year < 1900 {
        return Err(RequestError {
            message: msg!("announce.implausible_year", year = req.year),
            help: Some(msg!("announce.implausible_year_help", report_year)),
        });
    }
    if req.year > report_year {
        return Err(RequestError {
            message: msg!("announce.after_report_year", year = req.year, report_year),
            help: Some(msg!("announce.after_report_year_help")),
        });
    }
    let end = match req.kind {
        Kind::Annual => bounds(req.year, None).1,
        Kind::Quarterly(q) => bounds(req.year, Some(q.clamp(1, 4))).1,
    };
    if let Some(founded) = f.consortium.founded() {
        if end < *founded.get_ref() {
            return Err(RequestError {
                message: msg!(
                    "announce.before_founding",
                    end = format::date(&end),
                    founded = format::date(founded.get_ref())
                ),
                help: Some(msg!("announce.before_founding_help")),
            });
        }
    }
    match req.kind {
        Kind::Annual => Ok(annual(f, req).plain()),
        Kind::Quarterly(q) if (1..=4).contains(&q) => Ok(quarterly(f, req, q).plain()),
        Kind::Quarterly(q) => Err(RequestError {
            message: msg!("announce.no_such_quarter", q),
            help: Some(msg!("announce.no_such_quarter_help")),
        }),
    }
}

/// Writes `draft` under the consortium's `announcements/`, or to `output`, never over an existing
/// file: without `output`, a taken name gets `-2`, `-3` … added; an `output` that exists is
/// refused. Returns the path written.
pub fn write(
    root: &Path,
    consortium: &str,
    draft: &Draft,
    output: Option<&Path>,
) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let open = |path: &Path| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let (path, mut file) = match output {
        Some(p) => {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            (p.to_path_buf(), open(p)?)
        }
        None => {
            let dir = root
                .join("content/consortia")
                .join(consortium)
                .join("announcements");
            std::fs::create_dir_all(&dir)?;
            let mut n = 1;
            loop {
                let name = if n == 1 {
                    format!("{}.md", draft.slug)
                } else {
                    format!("{}-{n}.md", draft.slug)
                };
                let path = dir.join(name);
                // `create_new` makes taking the name and creating the file one step, so two runs
                // at once never write the same file.
                match open(&path) {
                    Ok(file) => break (path, file),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
                    Err(e) => return Err(e),
                }
            }
        }
    };
    file.write_all(draft.text.as_bytes())?;
    Ok(path)
}

/// The front matter of a draft.
fn front_matter(title: &str, date: Date, category: &str, summary: &str) -> String {
    format!(
        "+++\n\
         # 本稿由 chanjiao announce 根据联合体填报的数据生成，数字均取自数据文件。\n\
         # 正文中的 {{{{ 指标(…) }}}}、{{{{ 成员数(…) }}}} 等是数据引用，生成网站时换成数据文件中的数值，\n\
         # 数据更正后随之更新；请保留引用，不要改成数字。\n\
         # 请核对、修改正文后，将 draft 改为 false 发布。\n\
         title = {}\n\
         date = {}\n\
         category = {}\n\
         summary = {}\n\
         draft = true\n\
         +++\n",
        toml_string(title),
        date.iso(),
        toml_string(category),
        toml_string(summary),
    )
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `1月1日` to `12月31日` of `year`, or of quarter `q`.
fn bounds(year: i32, quarter: Option<u32>) -> (Date, Date) {
    let (m1, m2) = match quarter {
        Some(q) => (q * 3 - 2, q * 3),
        None => (1, 12),
    };
    let first = chrono::NaiveDate::from_ymd_opt(year, m1, 1).expect("a valid month");
    let last = if m2 == 12 {
        chrono::NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        chrono::NaiveDate::from_ymd_opt(year, m2 + 1, 1).and_then(|d| d.pred_opt())
    }
    .expect("a valid day");
    (Date(first), Date(last))
}

/// The figure reference that prints an actual value of the data (`{{ 指标("key", 2024) }}`):
/// a draft cites its figures, so that a figure corrected in the data corrects the announcement.
fn actual_ref(s: &Series, year: i32) -> String {
    format!("{{{{ 指标(\"{}\", {year}) }}}}", s.key)
}

/// The reference of a committed value (`{{ 承诺("key", 2025) }}`, printed with （承诺值）).
fn committed_ref(s: &Series, year: i32) -> String {
    format!("{{{{ 承诺(\"{}\", {year}) }}}}", s.key)
}

/// A year's actual value by reference, marked when it was summed from the ledger.
fn value_text(s: &Series, p: &crate::figures::Point) -> String {
    let mut out = actual_ref(s, p.year);
    if matches!(p.origin, Origin::Ledger { .. }) {
        out.push_str("（据培训台账汇总）");
    }
    out
}

/// `比上年增加12 门，增长46.2%` or, for a percentage, `比上年提高0.4个百分点`.
fn change_text(c: &Change, def: &IndicatorDef, up: bool) -> String {
    let d = format::indicator(c.delta.abs(), def);
    match (c.kind, c.percent) {
        (ValueKind::Percent, _) => {
            format!("比上年{}{d}个百分点", if up { "提高" } else { "降低" })
        }
        (_, Some(p)) => format!(
            "比上年{}{}，{}{}%",
            if up { "增加" } else { "减少" },
            format::with_unit(&d, &def.unit),
            if up { "增长" } else { "下降" },
            format::fixed(p.abs(), 1)
        ),
        (_, None) => format!(
            "比上年{}{}",
            if up { "增加" } else { "减少" },
            format::with_unit(&d, &def.unit)
        ),
    }
}

/// Whether a change shows as none at the indicator's decimals.
fn flat(c: &Change, def: &IndicatorDef) -> bool {
    format::indicator(c.delta.abs(), def) == format::indicator(0.0, def)
}

/// `企业3家、高职院校（含职教本科）1家`.
fn kinds_text(by_kind: &crate::figures::Composition) -> String {
    by_kind
        .iter()
        .filter(|(_, k)| k.members > 0)
        .map(|(kind, k)| format!("{}{}家", kind.label(), format::count(u64::from(k.members))))
        .collect::<Vec<_>>()
        .join("、")
}

/// `12期、340人次、1,612.5人日`; `days` in place of the person-days (a reference) when given.
fn training_line(label: &str, t: &TrainingTotals, days: Option<String>) -> String {
    format!(
        "{label}{}期、{}人次、{}",
        format::count(u64::from(t.sessions)),
        format::count(t.participants),
        days.unwrap_or_else(|| format::with_unit(&format::person_days(t), "人日"))
    )
}

/// Programmes grouped by kind: `共建专业2个（A、B）；订单班1个（C）`.
fn programmes_text(list: &[&Programme]) -> String {
    let mut kinds: Vec<ProgrammeKind> = Vec::new();
    for p in list {
        if !kinds.contains(&p.meta.kind) {
            kinds.push(p.meta.kind);
        }
    }
    kinds
        .iter()
        .map(|k| {
            let names: Vec<Cow<str>> = list
                .iter()
                .filter(|p| p.meta.kind == *k)
                .map(|p| md(&p.meta.title))
                .collect();
            format!(
                "{}{}个（{}）",
                k.label(),
                format::count(names.len() as u64),
                names.join("、")
            )
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Members at the end of the period: those that joined by its last day, or have no date.
fn members_at(c: &Consortium, day: Date) -> usize {
    c.members
        .list
        .iter()
        .filter(|m| m.joined.as_ref().is_none_or(|j| *j.get_ref() <= day))
        .count()
}

/// The members on `day` (`23家`): at the end of a year, where the figures hold the count, the
/// reference that cites it (`{{ 成员数(2024) }}`).
fn members_total(f: &ConsortiumFigures, day: Date) -> String {
    let year = day.year();
    if Date::year_end(year) == Some(day) && f.members_by_year.contains_key(&year) {
        format!("{{{{ 成员数({year}) }}}}")
    } else {
        format::with_unit(&format::count(members_at(f.consortium, day) as u64), "家")
    }
}

fn members_section(out: &mut String, f: &ConsortiumFigures, p: &Period, span: &str) {
    if p.joined.is_empty() {
        let _ = writeln!(out, "{span}没有新加入的成员单位。");
    } else {
        let names: Vec<Cow<str>> = p.joined.iter().map(|m| md(&m.name)).collect();
        let _ = writeln!(
            out,
            "{span}新加入联合体的成员单位{}家（{}）：{}。",
            format::count(p.joined.len() as u64),
            kinds_text(&p.joined_by_kind),
            names.join("、")
        );
    }
    let _ = writeln!(
        out,
        "截至{}，联合体共有成员单位{}。",
        format::date(&p.to),
        members_total(f, p.to)
    );
}

fn programmes_section(out: &mut String, p: &Period, span: &str, dated_only: bool) {
    if p.started.is_empty() {
        let _ = writeln!(out, "{span}没有新开始建设的共建项目。");
    } else {
        let _ = writeln!(
            out,
            "{span}新开始建设的共建项目{}个：{}。",
            format::count(p.started.len() as u64),
            programmes_text(&p.started)
        );
    }
    if p.completed.is_empty() {
        let _ = writeln!(out, "{span}没有登记建成或认定日期的共建项目。");
    } else {
        let _ = writeln!(
            out,
            "{span}建成或获认定的共建项目{}个：{}。",
            format::count(p.completed.len() as u64),
            programmes_text(&p.completed)
        );
    }
    if dated_only {
        let _ = writeln!(out, "（只统计登记了开始日期或建成日期的项目。）");
    }
}

/// The ledger of the period by audience, and its change on the period before. A period that is
/// a whole year cites its person-days (`{{ 培训人日(2024) }}`).
fn training_section(out: &mut String, p: &Period, before: &Period, span: &str, before_name: &str) {
    let whole_year = Date::year_start(p.from.year()) == Some(p.from)
        && Date::year_end(p.from.year()) == Some(p.to);
    let days = whole_year.then(|| format!("{{{{ 培训人日({}) }}}}", p.from.year()));
    let total = p.training_total();
    if total.sessions == 0 {
        let _ = writeln!(out, "{span}培训台账没有登记培训。");
        return;
    }
    let parts: Vec<String> = p
        .training
        .iter()
        .map(|(a, t)| training_line(&format!("面向{}", a.label()), t, None))
        .collect();
    let _ = writeln!(
        out,
        "{span}，联合体成员单位开展培训{}，其中{}。",
        training_line("", &total, days),
        parts.join("；")
    );
    let prev = before.training_total();
    if prev.sessions == 0 {
        let _ = writeln!(out, "{before_name}培训台账没有登记培训，不作比较。");
        return;
    }
    let diff = total.person_day_tenths as i64 - prev.person_day_tenths as i64;
    let days = |tenths: u64| format::fixed(tenths as f64 / 10.0, 1);
    let change = match diff.cmp(&0) {
        std::cmp::Ordering::Equal => "持平".to_string(),
        ord => {
            let up = ord == std::cmp::Ordering::Greater;
            format!(
                "{}{}，{}{}%",
                if up { "增加" } else { "减少" },
                format::with_unit(&days(diff.unsigned_abs()), "人日"),
                if up { "增长" } else { "下降" },
                format::fixed(
                    diff.unsigned_abs() as f64 / prev.person_day_tenths as f64 * 100.0,
                    1
                )
            )
        }
    };
    let _ = writeln!(
        out,
        "{before_name}培训{}，本期培训人日比{before_name}{change}。",
        training_line("", &prev, None),
    );
}

fn annual(f: &ConsortiumFigures, req: &Request) -> Draft {
    let c = f.consortium;
    let y = req.year;
    // The founding year is told as a founding, not as a year against one that did not exist.
    if let Some(founded) = c.founded().map(|d| *d.get_ref()).filter(|d| d.year() == y) {
        return founding::draft(f, req, founded);
    }
    let title = format!("{}{y}年度建设成效", c.profile.name);
    let name = md(&c.profile.name);
    let mut out = front_matter(
        &title,
        req.date,
        "年度总结",
        &format!("{y}年度主要指标、成员单位、共建项目和培训情况。"),
    );
    let _ = writeln!(
        out,
        "\n{y}年，{name}（以下简称联合体）各成员单位按照建设方案推进各项工作。现将{y}年度建设成效公告如下。\n"
    );
    let _ = writeln!(out, "## 一、主要指标\n");
    indicators_section(&mut out, f, y);

    // 二、成员单位 三、共建项目 四、培训
    let (from, to) = bounds(y, None);
    let (bfrom, bto) = bounds(y - 1, None);
    let period = f.period(from, to);
    let before = f.period(bfrom, bto);
    let _ = writeln!(out, "## 二、成员单位\n");
    members_section(&mut out, f, &period, &format!("{y}年"));
    let _ = writeln!(out, "\n## 三、共建项目\n");
    programmes_section(&mut out, &period, &format!("{y}年"), false);
    let _ = writeln!(out, "\n## 四、培训\n");
    training_section(&mut out, &period, &before, &format!("{y}年"), "上年");

    let _ = writeln!(out, "\n## 五、今后的承诺目标\n");
    commitments_section(&mut out, f, y);
    let _ = writeln!(out, "\n{name}秘书处");
    Draft {
        slug: format!("annual-{y}"),
        text: out,
    }
}

/// The indicators reported for a year, by how they moved since the year before.
struct Movements<'s, 'a> {
    /// Rises, largest relative rise first (a rise from 0, with no percentage, after those).
    rises: Vec<(&'s Series<'a>, Change)>,
    /// Percentages that rose, by percentage points, largest first.
    points: Vec<(&'s Series<'a>, Change)>,
    falls: Vec<(&'s Series<'a>, Change)>,
    flats: Vec<&'s Series<'a>>,
    /// Reported this year but not the year before.
    fresh: Vec<(&'s Series<'a>, &'s crate::figures::Point<'a>)>,
}

impl<'s, 'a> Movements<'s, 'a> {
    fn of(reported: &[(&'s Series<'a>, &'s crate::figures::Point<'a>)], y: i32) -> Self {
        let mut m = Movements {
            rises: Vec::new(),
            points: Vec::new(),
            falls: Vec::new(),
            flats: Vec::new(),
            fresh: Vec::new(),
        };
        for &(s, p) in reported {
            match s.change_in(y) {
                None => m.fresh.push((s, p)),
                Some(ch) if flat(&ch, s.def) => m.flats.push(s),
                Some(ch) if ch.delta > 0.0 && ch.kind == ValueKind::Percent => {
                    m.points.push((s, ch))
                }
                Some(ch) if ch.delta > 0.0 => m.rises.push((s, ch)),
                Some(ch) => m.falls.push((s, ch)),
            }
        }
        m.rises.sort_by(|(a, x), (b, z)| {
            let key = |c: &Change| c.percent.unwrap_or(f64::NEG_INFINITY);
            key(z)
                .partial_cmp(&key(x))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.key.cmp(b.key))
        });
        m.points.sort_by(|(a, x), (b, z)| {
            z.delta
                .partial_cmp(&x.delta)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.key.cmp(b.key))
        });
        m
    }
}

/// 一、主要指标: how the year's indicators moved, charts of the largest rises, and the table.
fn indicators_section(out: &mut String, f: &ConsortiumFigures, y: i32) {
    let reported: Vec<(&Series, &crate::figures::Point)> = f
        .series
        .iter()
        .filter_map(|s| s.actual().find(|p| p.year == y).map(|p| (s, p)))
        .collect();
    if reported.is_empty() {
        let _ = writeln!(out, "{y}年度没有填报建设指标的实际值。\n");
        return;
    }
    let m = Movements::of(&reported, y);
    let _ = writeln!(
        out,
        "{y}年，联合体有实际值的建设指标共{}项。",
        format::count(reported.len() as u64)
    );
    let comparable = reported.len() - m.fresh.len();
    let charts = movement_text(out, &m, y, comparable);
    for key in &charts {
        let _ = writeln!(out, "\n```chart\nindicator = \"{key}\"\n```");
    }
    indicator_table(out, &reported, y, comparable);
    out.push('\n');
}

/// The sentences on rises, falls and the rest; returns the indicators to chart.
fn movement_text<'a>(
    out: &mut String,
    m: &Movements<'_, 'a>,
    y: i32,
    comparable: usize,
) -> Vec<&'a str> {
    let describe = |list: &[(&Series, Change)], up: bool| -> Vec<String> {
        list.iter()
            .map(|(s, ch)| {
                let p = s.point(y, Basis::Actual).expect("a reported value");
                format!(
                    "{}{}，{}",
                    md(&s.def.name),
                    value_text(s, p),
                    change_text(ch, s.def, up)
                )
            })
            .collect()
    };
    let mut charts = Vec::new();
    if comparable == 0 {
        let _ = writeln!(
            out,
            "{}年没有填报建设指标的实际值，本年数值不作比较，见下表。",
            y - 1
        );
    } else if m.rises.is_empty() && m.points.is_empty() {
        let _ = writeln!(out, "与{}年相比，没有指标增长。", y - 1);
    } else {
        if !m.rises.is_empty() {
            let top = &m.rises[..m.rises.len().min(TOP_RISES)];
            let _ = writeln!(
                out,
                "与{}年相比，{}项指标增长，增幅居前的是：{}。",
                y - 1,
                format::count(m.rises.len() as u64),
                describe(top, true).join("；")
            );
            charts.extend(top.iter().take(CHARTS).map(|(s, _)| s.key));
        }
        if !m.points.is_empty() {
            let _ = writeln!(
                out,
                "比率类指标中，{}。",
                describe(&m.points, true).join("；")
            );
        }
    }
    if comparable == 0 {
    } else if m.falls.is_empty() {
        let _ = writeln!(out, "没有指标比上年下降。");
    } else {
        let _ = writeln!(
            out,
            "{}项指标比上年下降：{}。",
            format::count(m.falls.len() as u64),
            describe(&m.falls, false).join("；")
        );
    }
    if !m.flats.is_empty() {
        let names: Vec<Cow<str>> = m.flats.iter().map(|s| md(&s.def.name)).collect();
        let _ = writeln!(out, "{}与上年持平。", names.join("、"));
    }
    if !m.fresh.is_empty() && comparable > 0 {
        let list: Vec<String> = m
            .fresh
            .iter()
            .map(|(s, p)| format!("{}{}", md(&s.def.name), value_text(s, p)))
            .collect();
        let _ = writeln!(
            out,
            "以下指标{}年没有填报，只列本年数值：{}。",
            y - 1,
            list.join("；")
        );
    }
    charts
}

/// The year's values, against the year before's when any is comparable.
fn indicator_table(
    out: &mut String,
    reported: &[(&Series, &crate::figures::Point)],
    y: i32,
    comparable: usize,
) {
    if comparable == 0 {
        let _ = writeln!(out, "\n| 指标 | {y}年 |\n|---|--:|");
        for (s, p) in reported {
            let _ = writeln!(out, "| {} | {} |", md(&s.def.name), value_text(s, p));
        }
        return;
    }
    let _ = writeln!(
        out,
        "\n{y}年各项指标与上年对比如下表。\n\n| 指标 | {}年 | {y}年 | 比上年 |\n|---|--:|--:|--:|",
        y - 1
    );
    for (s, p) in reported {
        let before = s
            .actual()
            .find(|q| q.year == y - 1)
            .map_or("未填报".to_string(), |q| actual_ref(s, q.year));
        let change = s
            .change_in(y)
            .map_or("—".to_string(), |ch| format::change(&ch, s.def));
        let _ = writeln!(
            out,
            "| {} | {before} | {} | {change} |",
            md(&s.def.name),
            actual_ref(s, p.year)
        );
    }
}

/// 五、今后的承诺目标: the commitments of the first year after `y` that has any, beside the
/// year's actual values.
fn commitments_section(out: &mut String, f: &ConsortiumFigures, y: i32) {
    let next = f
        .series
        .iter()
        .flat_map(|s| s.committed())
        .map(|p| p.year)
        .filter(|&py| py > y)
        .min();
    let Some(ny) = next else {
        let _ = writeln!(out, "联合体尚未填报{y}年以后的承诺值。");
        return;
    };
    let _ = writeln!(
        out,
        "以下为联合体对{ny}年的承诺值（承诺），是今后要达到的目标，不是已经完成的数值。\n\n| 指标 | {y}年 | {ny}年 |\n|---|--:|--:|"
    );
    for s in &f.series {
        let Some(target) = s.committed().find(|p| p.year == ny) else {
            continue;
        };
        let now = s
            .actual()
            .find(|p| p.year == y)
            .map_or("未填报".to_string(), |p| actual_ref(s, p.year));
        let _ = writeln!(
            out,
            "| {} | {now} | {} |",
            md(&s.def.name),
            committed_ref(s, target.year)
        );
    }
}

fn quarterly(f: &ConsortiumFigures, req: &Request, q: u32) -> Draft {
    let c = f.consortium;
    let y = req.year;
    let name = md(&c.profile.name);
    let qn = QUARTERS[(q - 1) as usize];
    let title = format!("{}{y}年第{qn}季度工作通报", c.profile.name);
    let mut out = front_matter(
        &title,
        req.date,
        "季度通报",
        &format!("{y}年第{qn}季度培训、共建项目和成员单位情况。"),
    );
    let (from, to) = bounds(y, Some(q));
    let (by, bq) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    let (bfrom, bto) = bounds(by, Some(bq));
    let period = f.period(from, to);
    let before = f.period(bfrom, bto);
    let span = format!("{y}年第{qn}季度");
    let _ = writeln!(
        out,
        "\n现将{name}{span}（{}至{}）工作情况通报如下。\n",
        format::date(&from),
        format::date(&to)
    );
    let _ = writeln!(out, "## 一、培训\n");
    training_section(&mut out, &period, &before, &span, "上季度");
    // The person-day indicator of the audience with the most person-days this quarter.
    let busiest = period
        .training
        .iter()
        .max_by_key(|(_, t)| t.person_day_tenths)
        .and_then(|(a, _)| match a {
            Audience::EnterpriseStaff => Some("staff_training_person_days"),
            Audience::Social => Some("social_training_person_days"),
            _ => None,
        })
        .filter(|key| f.series(key).is_some());
    if let Some(key) = busiest {
        let _ = writeln!(out, "\n```chart\nindicator = \"{key}\"\n```");
    }
    let _ = writeln!(out, "\n## 二、共建项目\n");
    programmes_section(&mut out, &period, &span, true);
    let _ = writeln!(out, "\n## 三、成员单位\n");
    members_section(&mut out, f, &period, &span);
    let _ = writeln!(
        out,
        "\n建设指标按年度填报，见年度总结和“建设指标”栏目。\n\n{name}秘书处"
    );
    Draft {
        slug: format!("quarterly-{y}-q{q}"),
        text: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_and_year_bounds() {
        let d = |y, m, d| Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(bounds(2024, None), (d(2024, 1, 1), d(2024, 12, 31)));
        assert_eq!(bounds(2024, Some(1)), (d(2024, 1, 1), d(2024, 3, 31)));
        assert_eq!(bounds(2024, Some(2)), (d(2024, 4, 1), d(2024, 6, 30)));
        assert_eq!(bounds(2024, Some(4)), (d(2024, 10, 1), d(2024, 12, 31)));
    }

    #[test]
    fn names_in_drafts_are_text_not_markdown() {
        for name in [
            "某企业[点我](javascript:alert(1))",
            "甲|乙 公司",
            "**粗体** _斜体_ `代码` <b>x</b> &amp; ![i](x.png) # 标题 ~~删~~",
            "C:\\路径\\",
        ] {
            let html = crate::render::markdown::render(&format!("成员单位：{}。", md(name)), false);
            assert!(
                !html.html.contains("<a")
                    && !html.html.contains("<strong")
                    && !html.html.contains("<img"),
                "{}",
                html.html
            );
            let text = crate::render::markdown::plain_text(&format!("{}", md(name)));
            assert_eq!(text, name);
        }
        let row = crate::render::markdown::render(
            &format!("| 名称 | 数 |\n|---|---|\n| {} | 1 |\n", md("甲|乙")),
            false,
        );
        assert!(row.html.contains("<td>甲|乙</td>"), "{}", row.html);
    }
}
