//! 领导驾驶舱: the service metrics of the period (exactly [`App::service_stats`]'s), the open
//! cases by division (超期 by the same test as the 超期未办结 metric, 临期 by the engine's
//! warning), and the months of the period (submitted, closed, closed on time by the same test
//! as 按时办结率). Every figure comes from the records counted once by `stats_records`; the open
//! cases are read once, whole (the warnings need their state), and counted from those rows.

use chrono::{Datelike, NaiveDate};
use domain::access::Actor;
use domain::division::{DivisionCode, Divisions};
use domain::engine::deadline::Warning;
use store::cases::CaseRow;
use store::stats::{DayGroup, OpenGroup};

use domain::audit::EventDraft;
use serde_json::json;

use crate::cases::{is_case_staff, CaseView};
use crate::stats::{closed_on_time, date_of_day, is_overdue, ClosedCases, Period, ServiceStats, StatsQuery};
use crate::{case_json, App, ServiceError, ServiceResult};

/// The open cases of one division (one level below the jurisdiction asked for, or the
/// jurisdiction's own level for its own cases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivisionLoad {
    pub code: String,
    pub name: String,
    pub open: i64,
    /// 临期: the engine's yellow warning on the matter's deadline, not yet overdue.
    pub due_soon: i64,
    /// 超期: the due date is before today (as `overdue_open`).
    pub overdue: i64,
}

/// One month of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthLoad {
    /// `2021-06`.
    pub month: String,
    pub submitted: i64,
    pub closed: i64,
    /// Closed with a due date and on time (as `on_time_rate`).
    pub on_time: i64,
    /// Closed with a due date.
    pub with_due: i64,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub stats: ServiceStats,
    pub divisions: Vec<DivisionLoad>,
    pub months: Vec<MonthLoad>,
    /// Whether the caller may open the cases behind the figures ([`App::dashboard_cases`]):
    /// a case role somewhere (the administrator reads the figures only).
    pub cases_linked: bool,
}

/// One of a division's open-case figures, as a link to the cases it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenFigure {
    /// 未办结.
    Open,
    /// 临期.
    DueSoon,
    /// 超期.
    Overdue,
}

impl OpenFigure {
    pub fn parse(s: &str) -> Option<OpenFigure> {
        match s {
            "open" => Some(OpenFigure::Open),
            "due_soon" => Some(OpenFigure::DueSoon),
            "overdue" => Some(OpenFigure::Overdue),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OpenFigure::Open => "open",
            OpenFigure::DueSoon => "due_soon",
            OpenFigure::Overdue => "overdue",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            OpenFigure::Open => "未办结",
            OpenFigure::DueSoon => "临期",
            OpenFigure::Overdue => "超期",
        }
    }

    fn counts(self, open: &OpenCase) -> bool {
        match self {
            OpenFigure::Open => true,
            OpenFigure::DueSoon => open.due_soon,
            OpenFigure::Overdue => open.overdue,
        }
    }
}

/// An open case with the division it is counted under and its flags.
struct OpenCase {
    row: CaseRow,
    group: DivisionCode,
    due_soon: bool,
    overdue: bool,
}

/// The division a case is counted under: the one just below the scope root that holds the
/// competent office (the root itself for the root's own cases). None outside the scope.
pub fn group_of(code: &DivisionCode, scope: &[DivisionCode], divisions: &Divisions) -> Option<DivisionCode> {
    let root = scope.iter().find(|root| divisions.is_within(code, root))?;
    if code == root {
        return Some(root.clone());
    }
    let mut chain: Vec<DivisionCode> = divisions.ancestors(code).into_iter().map(|d| d.code.clone()).collect();
    chain.push(code.clone());
    chain.iter().find(|c| divisions.get(c).and_then(|d| d.parent.as_ref()) == Some(root)).cloned()
}

/// The months from `from` to `to`, each with its counts.
pub fn months(from: NaiveDate, to: NaiveDate, submitted: &[DayGroup], closed: &[ClosedCases]) -> Vec<MonthLoad> {
    let key = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    let mut out: Vec<MonthLoad> = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while day <= to && out.len() < 240 {
        out.push(MonthLoad { month: key(day), submitted: 0, closed: 0, on_time: 0, with_due: 0 });
        day = day.checked_add_months(chrono::Months::new(1)).unwrap_or(to.succ_opt().unwrap_or(to));
    }
    let at = |date: NaiveDate| -> Option<usize> {
        let month = key(date);
        out.iter().position(|m| m.month == month)
    };
    let submitted_at: Vec<(usize, i64)> = submitted
        .iter()
        .filter(|g| !g.draft)
        .filter_map(|g| date_of_day(g.day).and_then(at).map(|i| (i, g.count)))
        .collect();
    let closed_at: Vec<(usize, i64, Option<bool>)> =
        closed.iter().filter_map(|c| at(c.closed_on).map(|i| (i, c.count, closed_on_time(c)))).collect();
    for (i, n) in submitted_at {
        out[i].submitted += n;
    }
    for (i, n, on_time) in closed_at {
        out[i].closed += n;
        if let Some(ok) = on_time {
            out[i].with_due += n;
            out[i].on_time += if ok { n } else { 0 };
        }
    }
    out
}

impl App {
    /// The leader's dashboard over the caller's jurisdiction (or `query.division`).
    pub async fn dashboard(&self, actor: &Actor, query: &StatsQuery) -> ServiceResult<Dashboard> {
        let period = self.stats_period(Some(actor), query)?;
        let divisions = self.divisions();
        let open = self.open_cases_grouped(&period).await?;
        let submitted_days =
            self.store.submitted_day_counts(period.start_ms, period.end_ms, &period.store_scope).await?;
        let submitted_days: Vec<DayGroup> = submitted_days
            .into_iter()
            .filter(|g| period.covers(&g.accepting_division, &g.competent_division, divisions))
            .collect();
        let fetched = self
            .stats_records(period, open.iter().map(|o| OpenGroup::of(&o.row)).collect(), crate::stats::Source::Counts)
            .await?;
        let stats = self.metrics_of(&fetched);
        let mut loads: Vec<DivisionLoad> = Vec::new();
        for case in &open {
            let at = match loads.iter().position(|l| l.code == case.group.as_str()) {
                Some(at) => at,
                None => {
                    let name = divisions.get(&case.group).map(|d| d.name.clone()).unwrap_or_default();
                    loads.push(DivisionLoad { code: case.group.to_string(), name, open: 0, due_soon: 0, overdue: 0 });
                    loads.len() - 1
                }
            };
            loads[at].open += 1;
            loads[at].due_soon += i64::from(case.due_soon);
            loads[at].overdue += i64::from(case.overdue);
        }
        loads.sort_by(|a, b| a.code.cmp(&b.code));
        let months = months(fetched.period.from, fetched.period.to, &submitted_days, &fetched.closed);
        let cases_linked = actor.grants.iter().any(|g| is_case_staff(g.role));
        Ok(Dashboard { stats, divisions: loads, months, cases_linked })
    }

    /// The cases behind one figure of the dashboard's division table: the open cases of
    /// `query`'s scope counted under `group`, those the figure counts (the same rows, the same
    /// tests as [`App::dashboard`]), each cut again by the caller's own access. The listing is
    /// recorded as a search (the rows name their applicants, masked).
    pub async fn dashboard_cases(
        &self,
        actor: &Actor,
        query: &StatsQuery,
        group: &str,
        figure: OpenFigure,
    ) -> ServiceResult<Vec<CaseView>> {
        let period = self.stats_period(Some(actor), query)?;
        if !actor.grants.iter().any(|g| is_case_staff(g.role)) {
            return Err(ServiceError::forbidden());
        }
        let mut views = Vec::new();
        for case in self.open_cases_grouped(&period).await? {
            if case.group.as_str() != group || !figure.counts(&case) {
                continue;
            }
            let stored = case_json::from_json(&case.row.state).map_err(ServiceError::internal)?;
            if !self.may_see(actor, &stored) {
                continue;
            }
            let Some(item) = self.catalog.get(&stored.case.item_slug, stored.case.item_version) else { continue };
            views.push(self.view(Some(actor), &stored, item).await?);
        }
        let event = EventDraft::new(
            format!("account:{}", actor.account_id),
            actor.label(),
            "case.search",
            json!({"kind": "dashboard", "query": format!("{group} {}", figure.as_str()), "found": views.len()}),
        );
        self.store.record(&event, self.now()).await?;
        Ok(views)
    }

    /// The open cases of the period's scope, read once with their state (the warnings need
    /// it), each with the division it is counted under (by its competent office, else by its
    /// accepting one) and whether it is 临期 or 超期 today.
    async fn open_cases_grouped(&self, period: &Period) -> ServiceResult<Vec<OpenCase>> {
        let divisions = self.divisions();
        let open: Vec<CaseRow> = self.store.open_cases_with_state(&period.store_scope).await?;
        let mut out = Vec::new();
        for row in open {
            if !period.covers(&row.columns.accepting_division, &row.columns.competent_division, divisions) {
                continue;
            }
            let Ok(competent) = DivisionCode::parse(&row.columns.competent_division) else { continue };
            let Some(group) = group_of(&competent, &period.scope, divisions).or_else(|| {
                DivisionCode::parse(&row.columns.accepting_division)
                    .ok()
                    .and_then(|a| group_of(&a, &period.scope, divisions))
            }) else {
                continue;
            };
            let overdue = is_overdue(row.columns.due_date.as_deref(), period.today);
            let due_soon = !overdue && self.warning_of(&row).await? == Warning::Yellow;
            out.push(OpenCase { row, group, due_soon, overdue });
        }
        Ok(out)
    }

    /// The engine's warning on a case's whole-matter deadline, now.
    async fn warning_of(&self, row: &CaseRow) -> ServiceResult<Warning> {
        let stored = case_json::from_json(&row.state).map_err(ServiceError::internal)?;
        let Some(item) = self.catalog.get(&stored.case.item_slug, stored.case.item_version) else {
            return Ok(Warning::Green);
        };
        Ok(self.view(None, &stored, item).await?.deadline.warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).expect("code")
    }

    #[test]
    fn cases_are_grouped_one_level_below_the_scope() {
        let d = Divisions::builtin();
        let city = [code("511700")];
        assert_eq!(group_of(&code("511702001"), &city, d), Some(code("511702")));
        assert_eq!(group_of(&code("511722"), &city, d), Some(code("511722")));
        assert_eq!(group_of(&code("511700"), &city, d), Some(code("511700")), "the city's own cases");
        assert_eq!(group_of(&code("511302"), &city, d), None, "outside");
        let county = [code("511702")];
        assert_eq!(group_of(&code("511702001"), &county, d), Some(code("511702001")));
    }

    fn row(status: &str, submitted: NaiveDate, closed: Option<NaiveDate>, due: Option<&str>) -> CaseRow {
        let at = |d: NaiveDate| crate::stats::day_start_ms(d) + 10 * 3600 * 1000;
        CaseRow {
            id: 1,
            number: "511700-2021-000001".into(),
            columns: store::cases::CaseColumns {
                item_slug: "elderly-care-filing".into(),
                item_version: 1,
                status: status.into(),
                step: None,
                accepting_division: "511700".into(),
                competent_division: "511700".into(),
                cross_region: "none".into(),
                channel: "window".into(),
                applicant_person_id: None,
                submitted_at_ms: at(submitted),
                accepted_at_ms: None,
                closed_at_ms: closed.map(at),
                due_date: due.map(str::to_string),
                timer_due_ms: None,
                pause_count: None,
            },
            revision: 1,
            state: "{}".into(),
            append_slot: None,
        }
    }

    #[test]
    fn months_count_submissions_closings_and_on_time_closings() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2021, m, day).expect("date");
        let submitted = [
            row("in_progress", d(1, 31), None, None),
            row("closed", d(2, 1), Some(d(2, 10)), Some("2021-02-10")),
            row("closed", d(2, 3), Some(d(3, 1)), Some("2021-02-26")),
            row("draft", d(2, 4), None, None),
        ];
        let closed: Vec<ClosedCases> = submitted.iter().filter_map(ClosedCases::of_row).collect();
        let submitted: Vec<DayGroup> = submitted.iter().map(DayGroup::of).collect();
        let m = months(d(1, 1), d(3, 31), &submitted, &closed);
        let counts: Vec<(i64, i64, i64, i64)> =
            m.iter().map(|m| (m.submitted, m.closed, m.on_time, m.with_due)).collect();
        // January: one; February: two (the draft is not a submission), one closed on its due
        // day (on time); March: one closed after its due date.
        assert_eq!(counts, [(1, 0, 0, 0), (2, 1, 1, 1), (0, 1, 0, 1)]);
    }

    #[test]
    fn months_cover_the_period() {
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).expect("date");
        let to = NaiveDate::from_ymd_opt(2021, 12, 20).expect("date");
        let m = months(from, to, &[], &[]);
        assert_eq!(m.len(), 12);
        assert_eq!((m[0].month.as_str(), m[11].month.as_str()), ("2021-01", "2021-12"));
        let to = NaiveDate::from_ymd_opt(2021, 1, 31).expect("date");
        assert_eq!(months(from, to, &[], &[]).len(), 1);
    }
}
