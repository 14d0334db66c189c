//! Every number the site shows, computed once from the model: members by kind as of 31 December,
//! programmes by kind, status and start year, the training ledger by year × audience × provider,
//! indicator series (reported, committed and derived from the ledger), year-on-year changes and
//! funds by source. Pure: model in, typed numbers out; no formatting and no I/O. Each figure keeps
//! the file and byte span it came from, so a diagnostic, a chart or a report cell can point at it.

pub mod form;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::model::*;

/// Where a figure came from: a file of the site and a byte span in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source<'a> {
    pub path: &'a str,
    pub span: Range<usize>,
}

/// The indicators that a training ledger can stand in for, with the audience they count.
pub const LEDGER_INDICATORS: [(&str, Audience); 2] = [
    ("staff_training_person_days", Audience::EnterpriseStaff),
    ("social_training_person_days", Audience::Social),
];

/// The funding-source indicators that add up to `operating_funds`.
pub const FUND_SOURCES: [&str; 4] = [
    "funds_lead_units",
    "funds_government",
    "funds_other_members",
    "funds_other",
];
pub const FUND_TOTAL: &str = "operating_funds";

/// How many years before the report year members are counted for, at most.
const MAX_YEARS: i32 = 100;

/// The figures of the whole site, one entry per consortium in the site's order.
#[derive(Debug)]
pub struct Figures<'a> {
    pub consortia: Vec<ConsortiumFigures<'a>>,
}

impl<'a> Figures<'a> {
    pub fn of(site: &'a Site) -> Figures<'a> {
        let report_year = *site.config.report_year.get_ref();
        Figures {
            consortia: site
                .consortia
                .iter()
                .map(|c| ConsortiumFigures::of(c, &site.catalogue, report_year))
                .collect(),
        }
    }

    /// One indicator across consortia, like with like: the actual values of one year, the latest
    /// year in which the most consortia report it. `None` when no consortium has an actual value.
    pub fn compare(&self, key: &str) -> Option<Comparison<'_, 'a>> {
        let mut count: BTreeMap<i32, usize> = BTreeMap::new();
        for f in &self.consortia {
            if let Some(s) = f.series(key) {
                for p in s.actual() {
                    *count.entry(p.year).or_default() += 1;
                }
            }
        }
        let most = *count.values().max()?;
        let year = *count.iter().rev().find(|(_, n)| **n == most)?.0;
        let mut entries: Vec<Compared<'_, 'a>> = self
            .consortia
            .iter()
            .map(|f| Compared {
                figures: f,
                point: f
                    .series(key)
                    .and_then(|s| s.actual().find(|p| p.year == year)),
            })
            .collect();
        // Largest first; consortia without the figure (未填报) last, in site order.
        entries.sort_by(|a, b| match (a.point, b.point) {
            (Some(x), Some(y)) => y.value.total_cmp(&x.value),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        Some(Comparison { year, entries })
    }

    /// The figures of the consortium with this id.
    pub fn consortium(&self, id: &str) -> Option<&ConsortiumFigures<'a>> {
        self.consortia.iter().find(|c| c.consortium.id == id)
    }
}

/// One indicator across consortia in one year.
#[derive(Debug)]
pub struct Comparison<'f, 'a> {
    pub year: i32,
    /// Every consortium, largest value first, those without the figure last.
    pub entries: Vec<Compared<'f, 'a>>,
}

#[derive(Debug)]
pub struct Compared<'f, 'a> {
    pub figures: &'f ConsortiumFigures<'a>,
    /// The actual value of the comparison's year; `None` is 未填报, never 0.
    pub point: Option<&'f Point<'a>>,
}

/// Members and enrolled students of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCount {
    pub members: u32,
    /// The sum of the enrolments given.
    pub students: u64,
    /// Schools whose enrolment is not given: the sum leaves them out, and says so.
    pub students_missing: u32,
}

impl KindCount {
    /// Counts `m`, and its enrolment or, at a school that gives none, its absence.
    pub fn add(&mut self, m: &Member) {
        self.members += 1;
        match &m.students {
            Some(s) => self.students += u64::from(*s.get_ref()),
            None if m.kind.is_school() => self.students_missing += 1,
            None => {}
        }
    }
}

/// Members by kind, in the order of `MemberKind::ALL`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Composition {
    pub by_kind: [KindCount; 6],
}

impl Composition {
    pub fn add(&mut self, m: &Member) {
        let i = MemberKind::ALL
            .iter()
            .position(|k| *k == m.kind)
            .expect("every kind is in ALL");
        self.by_kind[i].add(m);
    }
    pub fn get(&self, kind: MemberKind) -> KindCount {
        let i = MemberKind::ALL
            .iter()
            .position(|k| *k == kind)
            .expect("every kind is in ALL");
        self.by_kind[i]
    }
    pub fn members(&self) -> u32 {
        self.by_kind.iter().map(|k| k.members).sum()
    }
    pub fn students(&self) -> u64 {
        self.by_kind.iter().map(|k| k.students).sum()
    }
    /// Kinds with their counts, in the form's order.
    pub fn iter(&self) -> impl Iterator<Item = (MemberKind, KindCount)> + '_ {
        MemberKind::ALL
            .iter()
            .copied()
            .zip(self.by_kind.iter().copied())
    }
}

/// Sessions, participants and person-days of some training sessions. Person-days are kept in
/// tenths (the ledger allows half days), so sums are exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrainingTotals {
    pub sessions: u32,
    pub participants: u64,
    pub person_day_tenths: u64,
}

impl TrainingTotals {
    fn add_session(&mut self, s: &TrainingSession) {
        self.sessions += 1;
        self.participants += u64::from(s.participants);
        self.person_day_tenths += tenths(*s.person_days.get_ref());
    }
    fn add(&mut self, o: &TrainingTotals) {
        self.sessions += o.sessions;
        self.participants += o.participants;
        self.person_day_tenths += o.person_day_tenths;
    }
    pub fn person_days(&self) -> f64 {
        self.person_day_tenths as f64 / 10.0
    }
}

/// Person-days in tenths; values the checks refuse (negative, NaN) count as nothing.
fn tenths(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        (v * 10.0).round() as u64
    } else {
        0
    }
}

/// The training ledger summed by year × audience × provider.
#[derive(Debug, Default)]
pub struct TrainingFigures<'a> {
    pub cells: BTreeMap<(i32, Audience, &'a str), TrainingTotals>,
    /// The first session of each year and audience, to point at from a diagnostic.
    pub first: BTreeMap<(i32, Audience), Source<'a>>,
}

impl<'a> TrainingFigures<'a> {
    fn of(c: &'a Consortium) -> Self {
        let mut t = TrainingFigures::default();
        for s in &c.training.sessions {
            let y = s.date.get_ref().year();
            t.cells
                .entry((y, s.audience, s.provider.get_ref().as_str()))
                .or_default()
                .add_session(s);
            t.first.entry((y, s.audience)).or_insert(Source {
                path: &c.training.path,
                span: s.date.span(),
            });
        }
        t
    }
    fn sum(&self, keep: impl Fn(i32, Audience, &str) -> bool) -> TrainingTotals {
        let mut out = TrainingTotals::default();
        for ((y, a, p), v) in &self.cells {
            if keep(*y, *a, p) {
                out.add(v);
            }
        }
        out
    }
    /// Everything in the ledger.
    pub fn total(&self) -> TrainingTotals {
        self.sum(|_, _, _| true)
    }
    pub fn year(&self, year: i32) -> TrainingTotals {
        self.sum(|y, _, _| y == year)
    }
    pub fn year_audience(&self, year: i32, audience: Audience) -> TrainingTotals {
        self.sum(|y, a, _| y == year && a == audience)
    }
    pub fn provider(&self, id: &str) -> TrainingTotals {
        self.sum(|_, _, p| p == id)
    }
    /// Years with at least one session, ascending.
    pub fn years(&self) -> Vec<i32> {
        let set: BTreeSet<i32> = self.cells.keys().map(|(y, _, _)| *y).collect();
        set.into_iter().collect()
    }
}

/// What happened in a period (a year or a quarter): members that joined, programmes started and
/// completed, and the training ledger by audience.
#[derive(Debug)]
pub struct Period<'a> {
    pub from: Date,
    pub to: Date,
    /// Members whose `joined` date falls in the period, in file order.
    pub joined: Vec<&'a Member>,
    pub joined_by_kind: Composition,
    /// Programmes started in the period: by `started` date, or for a whole year by `start_year`
    /// when no date is given.
    pub started: Vec<&'a Programme>,
    /// Programmes whose `completed` date falls in the period.
    pub completed: Vec<&'a Programme>,
    pub training: BTreeMap<Audience, TrainingTotals>,
}

impl Period<'_> {
    pub fn training_total(&self) -> TrainingTotals {
        let mut t = TrainingTotals::default();
        for v in self.training.values() {
            t.add(v);
        }
        t
    }

    /// Whether the period covers one whole calendar year.
    pub fn whole_year(&self) -> bool {
        use chrono::Datelike;
        self.from.0.year() == self.to.0.year()
            && self.from.0.ordinal() == 1
            && self.to.0.month() == 12
            && self.to.0.day() == 31
    }
}

impl<'a> ConsortiumFigures<'a> {
    /// What happened from `from` to `to`, both days included.
    pub fn period(&self, from: Date, to: Date) -> Period<'a> {
        let c = self.consortium;
        let within = |d: &Date| from <= *d && *d <= to;
        let mut p = Period {
            from,
            to,
            joined: Vec::new(),
            joined_by_kind: Composition::default(),
            started: Vec::new(),
            completed: Vec::new(),
            training: BTreeMap::new(),
        };
        let whole_year = p.whole_year();
        for m in &c.members.list {
            if m.joined.as_ref().is_some_and(|j| within(j.get_ref())) {
                p.joined.push(m);
                p.joined_by_kind.add(m);
            }
        }
        for prog in &c.programmes {
            let started = match &prog.meta.started {
                Some(d) => within(d.get_ref()),
                None => whole_year && *prog.meta.start_year.get_ref() == from.year(),
            };
            if started {
                p.started.push(prog);
            }
            if prog
                .meta
                .completed
                .as_ref()
                .is_some_and(|d| within(d.get_ref()))
            {
                p.completed.push(prog);
            }
        }
        for s in &c.training.sessions {
            if within(s.date.get_ref()) {
                p.training.entry(s.audience).or_default().add_session(s);
            }
        }
        p
    }
}

/// Programmes counted by kind, status and start year.
#[derive(Debug, Default)]
pub struct ProgrammeFigures {
    pub cells: BTreeMap<(ProgrammeKind, i32, StatusKey), u32>,
}

/// `ProgrammeStatus` as an ordered map key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatusKey(pub usize);

impl StatusKey {
    pub fn of(s: ProgrammeStatus) -> StatusKey {
        StatusKey(
            ProgrammeStatus::ALL
                .iter()
                .position(|x| *x == s)
                .expect("every status is in ALL"),
        )
    }
}

impl ProgrammeFigures {
    fn of(c: &Consortium) -> Self {
        let mut p = ProgrammeFigures::default();
        for prog in &c.programmes {
            *p.cells
                .entry((
                    prog.meta.kind,
                    *prog.meta.start_year.get_ref(),
                    StatusKey::of(prog.meta.status),
                ))
                .or_default() += 1;
        }
        p
    }
    fn sum(&self, keep: impl Fn(ProgrammeKind, i32, ProgrammeStatus) -> bool) -> u32 {
        self.cells
            .iter()
            .filter(|((k, y, s), _)| keep(*k, *y, ProgrammeStatus::ALL[s.0]))
            .map(|(_, n)| *n)
            .sum()
    }
    pub fn total(&self) -> u32 {
        self.sum(|_, _, _| true)
    }
    /// Programmes under way or done: all but those in preparation (筹建).
    pub fn under_way(&self) -> u32 {
        self.sum(|_, _, s| s != ProgrammeStatus::Planned)
    }
    pub fn kind(&self, kind: ProgrammeKind) -> u32 {
        self.sum(|k, _, _| k == kind)
    }
    pub fn kind_status(&self, kind: ProgrammeKind, status: ProgrammeStatus) -> u32 {
        self.sum(|k, _, s| k == kind && s == status)
    }
    /// Programmes of a kind that started in `year`.
    pub fn started(&self, kind: ProgrammeKind, year: i32) -> u32 {
        self.sum(|k, y, _| k == kind && y == year)
    }
}

/// How a value came to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin<'a> {
    /// Written in `indicators.toml`.
    Reported(Source<'a>),
    /// Summed from the training ledger (据培训台账汇总), where `indicators.toml` has no value.
    Ledger {
        sessions: u32,
        first: Option<Source<'a>>,
    },
}

/// One value of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point<'a> {
    pub year: i32,
    pub value: f64,
    pub basis: Basis,
    pub origin: Origin<'a>,
}

impl Point<'_> {
    pub fn derived(&self) -> bool {
        matches!(self.origin, Origin::Ledger { .. })
    }
    pub fn source(&self) -> Option<&Source<'_>> {
        match &self.origin {
            Origin::Reported(s) => Some(s),
            Origin::Ledger { first, .. } => first.as_ref(),
        }
    }
}

/// The change of an indicator from one actual year to the next one reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub from_year: i32,
    pub to_year: i32,
    pub from: f64,
    pub to: f64,
    /// `to - from`, in the indicator's unit (percentage points for percentages).
    pub delta: f64,
    /// The relative change in percent, for counts and amounts whose earlier value is not 0.
    pub percent: Option<f64>,
    pub kind: ValueKind,
}

impl Change {
    pub fn direction(&self) -> Direction {
        if self.delta > 0.0 {
            Direction::Up
        } else if self.delta < 0.0 {
            Direction::Down
        } else {
            Direction::Flat
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// All values of one indicator of one consortium, by year, actual before committed.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    pub key: &'a str,
    pub def: &'a IndicatorDef,
    pub points: Vec<Point<'a>>,
}

impl<'a> Series<'a> {
    pub fn actual(&self) -> impl DoubleEndedIterator<Item = &Point<'a>> {
        self.points.iter().filter(|p| p.basis == Basis::Actual)
    }
    pub fn committed(&self) -> impl Iterator<Item = &Point<'a>> {
        self.points.iter().filter(|p| p.basis == Basis::Committed)
    }
    /// The value of `year` on `basis`: a year may have both, a form's commitment and what was
    /// achieved.
    pub fn point(&self, year: i32, basis: Basis) -> Option<&Point<'a>> {
        self.points
            .iter()
            .find(|p| p.year == year && p.basis == basis)
    }
    pub fn latest_actual(&self) -> Option<&Point<'a>> {
        self.actual().last()
    }
    /// The actual value of `year` against the actual value of the year before, when both exist.
    pub fn change_in(&self, year: i32) -> Option<Change> {
        let to = self.actual().find(|p| p.year == year)?;
        let from = self.actual().find(|p| p.year == year - 1)?;
        Some(change(self.def.kind, from, to))
    }
    /// The latest actual value against the actual value before it.
    pub fn change(&self) -> Option<Change> {
        let mut actual = self.actual().rev();
        let to = actual.next()?;
        let from = actual.next()?;
        Some(change(self.def.kind, from, to))
    }
}

fn change(kind: ValueKind, from: &Point, to: &Point) -> Change {
    let delta = to.value - from.value;
    Change {
        from_year: from.year,
        to_year: to.year,
        from: from.value,
        to: to.value,
        delta,
        percent: (kind != ValueKind::Percent && from.value != 0.0)
            .then(|| delta / from.value.abs() * 100.0),
        kind,
    }
}

/// Operating funds of one year and what its sources add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Funds<'a> {
    pub year: i32,
    pub basis: Basis,
    pub total: Option<&'a IndicatorEntry>,
    pub sources: Vec<(&'a str, &'a IndicatorEntry)>,
}

impl Funds<'_> {
    pub fn sources_sum(&self) -> f64 {
        self.sources.iter().map(|(_, e)| e.value).sum()
    }
}

/// The figures of one consortium.
#[derive(Debug)]
pub struct ConsortiumFigures<'a> {
    pub consortium: &'a Consortium,
    pub report_year: i32,
    /// All members, whatever their joining date (the directory).
    pub members: Composition,
    /// Members as of 31 December of each year from the first year with any figure to the report
    /// year; a member without `joined` counts in every year.
    pub members_by_year: BTreeMap<i32, Composition>,
    pub programmes: ProgrammeFigures,
    pub training: TrainingFigures<'a>,
    /// Series of the catalogue indicators that have a value, in catalogue order.
    pub series: Vec<Series<'a>>,
    /// Funds by year and basis, where the total or any source is given.
    pub funds: Vec<Funds<'a>>,
}

impl<'a> ConsortiumFigures<'a> {
    pub fn of(c: &'a Consortium, catalogue: &'a Catalogue, report_year: i32) -> Self {
        let mut members = Composition::default();
        for m in &c.members.list {
            members.add(m);
        }
        let training = TrainingFigures::of(c);
        let series = series(c, catalogue, &training, report_year);
        let first_year = [
            c.founded().map(|f| f.get_ref().year()),
            c.members
                .list
                .iter()
                .filter_map(|m| m.joined.as_ref().map(|j| j.get_ref().year()))
                .min(),
            series.iter().flat_map(|s| s.actual().map(|p| p.year)).min(),
            training.years().first().copied(),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(report_year)
        .min(report_year)
        // A mistyped year (0024 for 2024) must not make a table of two thousand years; the
        // checks report it, and a century is more than any consortium reports on.
        .max(report_year.saturating_sub(MAX_YEARS));
        let members_by_year = (first_year..=report_year)
            .map(|y| (y, composition_at(c, y)))
            .collect();
        ConsortiumFigures {
            consortium: c,
            report_year,
            members,
            members_by_year,
            programmes: ProgrammeFigures::of(c),
            funds: funds(c),
            training,
            series,
        }
    }

    /// Members as of 31 December of the report year: what the pages count.
    pub fn members_at_cutoff(&self) -> Composition {
        self.members_by_year
            .get(&self.report_year)
            .copied()
            .unwrap_or_default()
    }

    pub fn series(&self, key: &str) -> Option<&Series<'a>> {
        self.series.iter().find(|s| s.key == key)
    }

    /// Years with any indicator value, ascending.
    pub fn indicator_years(&self) -> Vec<i32> {
        let set: BTreeSet<i32> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.year))
            .collect();
        set.into_iter().collect()
    }
}

/// Members who had joined by 31 December of `year`.
pub fn composition_at(c: &Consortium, year: i32) -> Composition {
    let mut out = Composition::default();
    for m in &c.members.list {
        if m.joined.as_ref().is_none_or(|j| j.get_ref().year() <= year) {
            out.add(m);
        }
    }
    out
}

fn series<'a>(
    c: &'a Consortium,
    catalogue: &'a Catalogue,
    training: &TrainingFigures<'a>,
    report_year: i32,
) -> Vec<Series<'a>> {
    let mut out = Vec::new();
    for (key, def) in &catalogue.indicators {
        let mut points: Vec<Point<'a>> = c
            .indicators
            .entries
            .iter()
            .filter(|e| e.key.get_ref() == key)
            .map(|e| Point {
                year: e.year,
                value: e.value,
                basis: e.basis,
                origin: Origin::Reported(Source {
                    path: &c.indicators.path,
                    span: e.value_span.clone(),
                }),
            })
            .collect();
        if let Some((_, audience)) = LEDGER_INDICATORS.iter().find(|(k, _)| k == key) {
            for year in training.years() {
                if year > report_year
                    || points
                        .iter()
                        .any(|p| p.year == year && p.basis == Basis::Actual)
                {
                    continue;
                }
                let t = training.year_audience(year, *audience);
                if t.sessions == 0 {
                    continue;
                }
                points.push(Point {
                    year,
                    value: t.person_days(),
                    basis: Basis::Actual,
                    origin: Origin::Ledger {
                        sessions: t.sessions,
                        first: training.first.get(&(year, *audience)).cloned(),
                    },
                });
            }
        }
        if points.is_empty() {
            continue;
        }
        points.sort_by_key(|p| (p.year, p.basis));
        out.push(Series {
            key: key.as_str(),
            def,
            points,
        });
    }
    out
}

fn funds(c: &Consortium) -> Vec<Funds<'_>> {
    let mut by_year: BTreeMap<(i32, Basis), Funds<'_>> = BTreeMap::new();
    for e in &c.indicators.entries {
        let key = e.key.get_ref().as_str();
        let is_total = key == FUND_TOTAL;
        let source = FUND_SOURCES.iter().find(|k| **k == key);
        if !is_total && source.is_none() {
            continue;
        }
        let f = by_year.entry((e.year, e.basis)).or_insert(Funds {
            year: e.year,
            basis: e.basis,
            total: None,
            sources: Vec::new(),
        });
        match source {
            Some(k) => f.sources.push((k, e)),
            None => f.total = Some(e),
        }
    }
    for f in by_year.values_mut() {
        f.sources
            .sort_by_key(|(k, _)| FUND_SOURCES.iter().position(|x| x == k));
    }
    by_year.into_values().collect()
}
