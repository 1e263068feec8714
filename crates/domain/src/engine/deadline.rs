//! Deadlines, derived and never stored (docs/designs/engine.md; 民法典第二百条至第二百零四条; 行政许可法第八十二条; 国务院办公厅 holiday notices): from the
//! day the period starts (not counted, 民法典 Art. 201), the limit and its unit, the calendar, the
//! pauses (inclusive Shanghai-date ranges, not counted: 行政许可法 Art. 45, 政府信息公开条例
//! Art. 30/33) and the extensions (行政许可法 Art. 42). A 工作日 limit excludes the statutory
//! holidays and counts the 调休 working days (行政许可法 Art. 82); a 日 limit counts natural days
//! and a last day off moves to the next working day (民法典 Art. 203). A year without calendar
//! data gives a provisional due date (Monday–Friday assumed) that says so.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use crate::calendar::{months_end, shanghai_date, shanghai_offset, CalendarError, WorkCalendar};
use crate::catalog::ServiceItem;
use crate::engine::action::SpecialKind;
use crate::engine::case::{Case, CaseStatus};
use crate::procedure::{Limit, LimitUnit, PauseKind, StepDef, StepKind};

/// Days walked at most when explaining a period (about 55 years): a bound, not a rule.
const MAX_WALK_DAYS: u32 = 20_000;

/// How close the matter is to its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Warning {
    /// 正常.
    Green,
    /// 临期: within the last 20% of the limit, and at least the last working day (or day).
    Yellow,
    /// 超期 (or, once closed, 超期办结).
    Red,
}

impl Warning {
    pub fn as_str(self) -> &'static str {
        match self {
            Warning::Green => "green",
            Warning::Yellow => "yellow",
            Warning::Red => "red",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Warning::Green => "正常",
            Warning::Yellow => "临期",
            Warning::Red => "超期",
        }
    }
}

/// A computed deadline. Counts are working days whatever the limit's unit; the warning is
/// measured in the limit's unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The last day of the period (the act is due by its end); `None` when there is no period.
    pub due: Option<NaiveDate>,
    /// True when a year without calendar data was assumed to be Monday–Friday.
    pub provisional: bool,
    /// Working days run since the start (pauses excluded), up to today or the closing day.
    pub used_workdays: u32,
    /// Working days left after today up to the due date; negative when overdue (the working
    /// days run since the due date).
    pub remaining_workdays: i64,
    /// For a period counted in natural days (日: 公示 7 天, the divorce windows): the natural days
    /// left after today up to the due date, negative when overdue; `None` for a period of
    /// working days. What a natural-day period shows instead of `remaining_workdays`.
    pub remaining_days: Option<i64>,
    pub warning: Warning,
    /// How the due date was reached, in Chinese, for the case page and the applicant.
    pub explanation: String,
}

impl Deadline {
    fn none(explanation: impl Into<String>) -> Deadline {
        Deadline {
            due: None,
            provisional: false,
            used_workdays: 0,
            remaining_workdays: 0,
            remaining_days: None,
            warning: Warning::Green,
            explanation: explanation.into(),
        }
    }
}

/// The deadline of the whole matter: the promised limit (承诺时限), else the statutory one
/// (法定时限), from the acceptance date, plus the extensions granted.
pub fn deadline(item: &ServiceItem, case: &Case, calendar: &WorkCalendar, now: DateTime<Utc>) -> Deadline {
    let start = match matter_start(item, case) {
        Ok(start) => start,
        Err(none) => return none,
    };
    let Some(limit) = item.promised_limit.as_ref().or(item.statutory_limit.as_ref()) else {
        return Deadline::none("本事项未设办结期限");
    };
    // The parties' own periods (民法典第一千零七十七条: the cooling-off and the 30 days to ask for
    // the certificate) are not the office's time: no limit runs during them, and a matter that
    // ended in them (withdrawn, deemed withdrawn) had no limit of the office's to keep.
    // (A case that entered the step before the ledger recorded the parties' time has no entry:
    // the step itself says so.)
    let party_step = case.step.as_deref().and_then(|id| item.procedure.step(id)).filter(|s| s.party_time);
    if let Some(name) = case.open_party_time().map(|p| p.reason.as_str()).or(party_step.map(|s| s.name.as_str())) {
        return Deadline::none(format!(
            "“{name}”为当事人的期间，不计入本机关的办理时限；办结期限自该期间结束之日起计算"
        ));
    }
    let party_end = case.pauses.iter().filter(|p| p.kind == PauseKind::PartyTime).filter_map(|p| p.end).max();
    if case.closed_at.is_some() && party_end.is_some() && case.closed_at == party_end {
        return Deadline::none("在当事人的期间内终结，不计办结期限");
    }
    let MatterStart { date: start, heading, instant, instant_heading } = start;
    let period = Period {
        start,
        limit,
        extension: case.extensions.iter().map(|e| e.workdays).fold(0u32, u32::saturating_add),
        heading,
        hours_from: (instant_heading, instant, case.closed_at.unwrap_or(now)),
    };
    let mut spans = spans(item, case, now);
    spans.extend(party_spans(case));
    // A restarted period leaves out what came before it (the correction awaited).
    spans.retain(|s| s.to > start);
    compute(&period, &spans, calendar, measured_on(case, now), case.is_closed())
}

/// Where the whole matter's period starts: the day it is not counted from, its heading and the
/// instant (for a limit in hours).
struct MatterStart {
    date: NaiveDate,
    heading: String,
    instant: DateTime<Utc>,
    instant_heading: String,
}

/// The day the matter's period runs from (not counted, 民法典第二百零一条):
/// - the day of the acceptance act, for most items (行政许可法第三十二条、第四十二条);
/// - for an item whose period runs from the receipt (`[procedure.receipt]`), the day the
///   application counts as received by its channel (《政府信息公开条例》第三十一条), whether or not
///   it has been accepted yet; where the item restarts it on a correction (第三十条), no period
///   runs while the correction is awaited, and it runs anew from the day the corrected
///   application arrives.
///
/// `Err`: no period runs, with the reason.
fn matter_start(item: &ServiceItem, case: &Case) -> Result<MatterStart, Deadline> {
    let received = item.procedure.receipt.as_ref().zip(case.received_on());
    let Some((rule, received_on)) = received else {
        let Some(accepted_at) = case.accepted_at else {
            if case.is_closed() {
                return Err(Deadline::none("未受理，不计办结期限"));
            }
            return Err(Deadline::none("尚未受理；办结期限自受理之日起算，受理当日不计"));
        };
        let date = shanghai_date(accepted_at);
        return Ok(MatterStart {
            date,
            heading: format!("受理 {date}，受理当日不计"),
            instant: accepted_at,
            instant_heading: format!("受理于 {}", local_time(accepted_at)),
        });
    };
    if case.is_closed() && case.accepted_at.is_none() && case.decision.is_none() {
        return Err(Deadline::none("未受理，不计办结期限"));
    }
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(shanghai_offset()).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    };
    if let Some(restart) = &rule.correction_restarts {
        if case.status == CaseStatus::AwaitingSupplement {
            return Err(Deadline::none(format!("等待补正；期限自收到补正后的申请之日起重新计算（{restart}）")));
        }
        let corrected = case.pauses.iter().filter(|p| p.kind == PauseKind::Supplement).filter_map(|p| p.end).max();
        if let Some(corrected) = corrected.map(shanghai_date).filter(|d| *d >= received_on) {
            return Ok(MatterStart {
                date: corrected,
                heading: format!("收到补正后的申请 {corrected}，重新计算，当日不计（{restart}）"),
                instant: midnight(corrected),
                instant_heading: format!("收到补正后的申请 {corrected}"),
            });
        }
    }
    let rule_zh = case.receipt.map(|r| r.channel.receipt_rule_zh()).unwrap_or_default();
    Ok(MatterStart {
        date: received_on,
        heading: format!("收到申请 {received_on}（{rule_zh}，{}），当日不计", rule.basis),
        instant: midnight(received_on),
        instant_heading: format!("收到申请 {received_on}"),
    })
}

/// The parties' own periods of `case` (closed ones: an open one stops the whole clock).
fn party_spans(case: &Case) -> Vec<Span> {
    case.pauses
        .iter()
        .filter(|p| p.kind == PauseKind::PartyTime)
        .filter_map(|p| {
            Some(Span {
                from: shanghai_date(p.start),
                to: shanghai_date(p.end?),
                name: p.kind.name_zh(),
                open: false,
                party: true,
            })
        })
        .collect()
}

/// The deadline of the current step: its limit (a wait step: its timer) from the day the case
/// entered it. No extension applies to a step.
pub fn step_deadline(item: &ServiceItem, case: &Case, calendar: &WorkCalendar, now: DateTime<Utc>) -> Deadline {
    let Some(step) = case.step.as_deref().and_then(|id| item.procedure.step(id)) else {
        return Deadline::none("当前没有办理环节");
    };
    let Some(limit) = step_period(step) else {
        return Deadline::none(format!("“{}”环节未设期限", step.name));
    };
    // Where the period runs from the receipt, so does the acceptance step's (《政府信息公开条例》
    // 第三十条: the correction is notified 自收到申请之日起7个工作日内).
    let received = item.procedure.receipt.as_ref().and(case.received_on()).filter(|_| step.kind == StepKind::Accept);
    let (start, heading) = match received {
        Some(received_on) => (received_on, format!("收到申请 {received_on}，当日不计")),
        None => {
            let start = shanghai_date(case.step_entered_at);
            (start, format!("进入“{}”环节 {start}，当日不计", step.name))
        }
    };
    let period = Period { start, limit, extension: 0, heading, hours_from: step_hours_from(step, case, now) };
    compute(&period, &spans(item, case, now), calendar, measured_on(case, now), case.is_closed())
}

/// The current step's timer as a deadline (a wait step, or an acting step's window); `None`
/// when the step has no timer. The store keeps when it runs out, for the sweep.
pub fn current_timer(item: &ServiceItem, case: &Case, calendar: &WorkCalendar, now: DateTime<Utc>) -> Option<Deadline> {
    let step = case.step.as_deref().and_then(|id| item.procedure.step(id))?;
    timer_due(item, case, step, calendar, now)
}

/// A wait step's timer as a deadline, from the day the case entered the step (pauses not
/// counted); `None` for a step without a timer. The timer has run out once the Shanghai date is
/// past `due` (民法典 Art. 203: a period ends at 24:00 of its last day).
pub(crate) fn timer_due(
    item: &ServiceItem,
    case: &Case,
    step: &StepDef,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Option<Deadline> {
    if let Some(correction) = correction_timer(item, case, calendar, now) {
        return Some(correction);
    }
    let timer = step.timer.as_ref()?;
    let start = shanghai_date(case.step_entered_at);
    let period = Period {
        start,
        limit: &timer.after,
        extension: 0,
        heading: format!("进入“{}”环节 {start}，当日不计", step.name),
        hours_from: step_hours_from(step, case, now),
    };
    Some(compute(&period, &spans(item, case, now), calendar, measured_on(case, now), case.is_closed()))
}

/// The last day of `limit` counted from `start` (not counted) on the calendar, with whether it
/// rests on a year without calendar data: the default last day to correct
/// ([`crate::procedure::CorrectionRule`]).
pub(crate) fn period_end(limit: &Limit, start: NaiveDate, calendar: &WorkCalendar) -> Option<(NaiveDate, bool)> {
    let period = Period {
        start,
        limit,
        extension: 0,
        heading: String::new(),
        hours_from: (String::new(), DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MIN_UTC),
    };
    let computed = compute(&period, &[], calendar, start, false);
    computed.due.map(|due| (due, computed.provisional))
}

/// The correction's period as the case's timer, while the correction is awaited, for an item that
/// declares it ([`crate::procedure::CorrectionRule`]; 《政府信息公开条例》第三十条: 合理的补正期限,
/// 逾期不补正的视为放弃申请): due on the last day the notice set; it runs out at 00:00 Asia/Shanghai
/// after that day (民法典第二百零三条). `None` otherwise.
pub fn correction_timer(
    item: &ServiceItem,
    case: &Case,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Option<Deadline> {
    let rule = item.procedure.correction.as_ref()?;
    let until = case.correction_pending_until()?;
    let notice = case.pauses.iter().filter(|p| p.kind == PauseKind::Supplement).map(|p| p.start).max()?;
    let notified = shanghai_date(notice);
    let today = measured_on(case, now);
    let remaining_workdays = if today <= until {
        i64::from(calendar.workdays_elapsed(today, until, &[]).unwrap_or(0))
    } else {
        -i64::from(calendar.workdays_elapsed(until, today, &[]).unwrap_or(0))
    };
    let left = (until - today).num_days();
    // The last fifth of the period, and at least its last day.
    let zone = ((until - notified).num_days().max(1) + 4) / 5;
    let warning = if today > until {
        Warning::Red
    } else if left <= zone {
        Warning::Yellow
    } else {
        Warning::Green
    };
    Some(Deadline {
        due: Some(until),
        provisional: false,
        used_workdays: calendar.workdays_elapsed(notified, today.min(until), &[]).unwrap_or(0),
        remaining_workdays,
        remaining_days: Some(left),
        warning,
        explanation: format!(
            "告知补正 {notified}；补正期限至 {until}（{}），逾期未补正的，视为放弃申请",
            rule.period.basis
        ),
    })
}

/// The period a step runs for: a wait step's timer, else its limit.
fn step_period(step: &StepDef) -> Option<&Limit> {
    match (&step.timer, step.kind) {
        (Some(timer), StepKind::Wait) => Some(&timer.after),
        _ => step.limit.as_ref().or(step.timer.as_ref().map(|t| &t.after)),
    }
}

struct Period<'a> {
    /// The day the period starts; not counted.
    start: NaiveDate,
    limit: &'a Limit,
    extension: u32,
    heading: String,
    /// For a limit in hours (民法典 第二百零一条第二款: counted from the moment itself): the
    /// heading, the instant the period starts and the instant the clock is read at.
    hours_from: (String, DateTime<Utc>, DateTime<Utc>),
}

/// A step's `hours_from`: from the moment the case entered it.
fn step_hours_from(step: &StepDef, case: &Case, now: DateTime<Utc>) -> (String, DateTime<Utc>, DateTime<Utc>) {
    let heading = format!("进入“{}”环节于 {}", step.name, local_time(case.step_entered_at));
    (heading, case.step_entered_at, case.closed_at.unwrap_or(now))
}

/// `2026-12-05 14:30` in Asia/Shanghai.
fn local_time(instant: DateTime<Utc>) -> String {
    instant.with_timezone(&shanghai_offset()).format("%Y-%m-%d %H:%M").to_string()
}

/// A pause as an inclusive range of Shanghai dates.
struct Span {
    from: NaiveDate,
    to: NaiveDate,
    name: &'static str,
    open: bool,
    /// The parties' own period: the office's period resumes on its last day, so a due date
    /// that would fall inside it falls on that day (a 0-day limit: the day the parties ask).
    party: bool,
}

/// The case's pauses of the kinds its procedure does not count; an open pause runs to `now`.
/// A consultation of a third party leaves its sending day counted
/// ([`SpecialKind::Consultation`]); one answered the day it was sent takes out nothing.
fn spans(item: &ServiceItem, case: &Case, now: DateTime<Utc>) -> Vec<Span> {
    case.pauses
        .iter()
        .filter(|p| item.procedure.pauses.contains(&p.kind))
        .filter_map(|p| {
            let start = shanghai_date(p.start);
            let from = if p.special == Some(SpecialKind::Consultation) { start.succ_opt()? } else { start };
            let to = shanghai_date(p.end.unwrap_or(now));
            (from <= to).then(|| Span { from, to, name: p.name_zh(), open: p.end.is_none(), party: false })
        })
        .collect()
}

/// The third party's time in the case's latest consultation (`consultation` of the item's
/// procedure; 《政府信息公开条例》第三十二条: 15 working days from the day it receives the request,
/// counted here from the day the request is sent, not counted itself); `None` without one. Read
/// while the consultation is open; once closed, on the day its opinion was recorded.
pub fn consultation_deadline(
    item: &ServiceItem,
    case: &Case,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Option<Deadline> {
    let limit = item.procedure.consultation.as_ref()?;
    let pause = case.pauses.iter().filter(|p| p.special == Some(SpecialKind::Consultation)).max_by_key(|p| p.start)?;
    let start = shanghai_date(pause.start);
    let period = Period {
        start,
        limit,
        extension: 0,
        heading: format!("征求第三方意见 {start}，当日不计"),
        hours_from: (String::new(), pause.start, pause.end.unwrap_or(now)),
    };
    Some(compute(&period, &[], calendar, shanghai_date(pause.end.unwrap_or(now)), pause.end.is_some()))
}

/// The day the clock is read on: today, or the closing day of a closed case.
fn measured_on(case: &Case, now: DateTime<Utc>) -> NaiveDate {
    shanghai_date(case.closed_at.unwrap_or(now))
}

fn compute(period: &Period, spans: &[Span], calendar: &WorkCalendar, today: NaiveDate, closed: bool) -> Deadline {
    let n = period.limit.value.saturating_add(period.extension);
    let ranges: Vec<(NaiveDate, NaiveDate)> = spans.iter().map(|s| (s.from, s.to)).collect();
    let due = match period.limit.unit {
        LimitUnit::Workday => workday_due(calendar, period.start, n, &ranges),
        LimitUnit::Day => natural_due(calendar, period.start, n, &ranges),
        LimitUnit::Month => month_due(calendar, period.start, n, &ranges),
        LimitUnit::Hour => return hours(period, n, calendar, today, closed),
    };
    let Some(Due { date: mut due, provisional, natural_end }) = due else {
        return Deadline::none(format!("{}；期限超出可计算的日期范围", period.heading));
    };
    for _ in 0..spans.len() {
        match spans.iter().find(|s| s.party && s.from <= due && due < s.to) {
            Some(s) => due = s.to,
            None => break,
        }
    }
    let walk = walk(calendar, period, due, today, spans);

    let remaining_workdays = if today > due { -i64::from(walk.overdue) } else { i64::from(walk.remaining) };
    let warning = if today > due {
        Warning::Red
    } else if closed {
        Warning::Green
    } else {
        let left = match period.limit.unit {
            LimitUnit::Workday => i64::from(walk.remaining),
            LimitUnit::Day | LimitUnit::Month | LimitUnit::Hour => (due - today).num_days(),
        };
        // The last 20% of the limit, and at least the last one (a limit in months: 20% of its
        // days).
        let zone = match period.limit.unit {
            LimitUnit::Month => ((due - period.start).num_days().max(1) + 4) / 5,
            _ => i64::from(n.div_ceil(5).max(1)),
        };
        if left <= zone {
            Warning::Yellow
        } else {
            Warning::Green
        }
    };

    let mut parts = vec![period.heading.clone(), limit_text(period.limit, period.extension)];
    parts.extend(walk.segments);
    if let Some(end) = natural_end.filter(|end| *end != due) {
        let why = calendar.day(end).ok().and_then(|d| d.holiday_name.clone()).unwrap_or_else(|| "休息日".to_string());
        parts.push(format!("期满日 {} 为{why}，顺延至 {}", short(end, period.start), short(due, period.start)));
    }
    let mut result = due.to_string();
    if provisional {
        let years: Vec<String> = walk.assumed_years.iter().map(|y| y.to_string()).collect();
        let years = if years.is_empty() { "部分年份".to_string() } else { format!("{} 年", years.join("、")) };
        parts.push(format!("{years}节假日安排未载入，按周一至周五暂定"));
        result.push_str("（暂定）");
    }
    Deadline {
        due: Some(due),
        provisional,
        used_workdays: walk.used,
        remaining_workdays,
        remaining_days: matches!(period.limit.unit, LimitUnit::Day | LimitUnit::Month)
            .then(|| (due - today).num_days()),
        warning,
        explanation: format!("{} → {result}", parts.join("；")),
    }
}

struct Due {
    date: NaiveDate,
    provisional: bool,
    /// For a 日 limit: the last natural day, before moving off a day off.
    natural_end: Option<NaiveDate>,
}

/// 行政许可法 Art. 82: `n` working days after `start`, pauses not counted; provisional past the
/// calendar's data.
fn workday_due(calendar: &WorkCalendar, start: NaiveDate, n: u32, ranges: &[(NaiveDate, NaiveDate)]) -> Option<Due> {
    match calendar.add_workdays_excluding(start, n, ranges) {
        Ok(date) => Some(Due { date, provisional: false, natural_end: None }),
        Err(CalendarError::NoData { .. }) => {
            let (date, provisional) = calendar.add_workdays_provisional(start, n, ranges);
            (date != NaiveDate::MAX).then_some(Due { date, provisional, natural_end: None })
        }
        Err(_) => None,
    }
}

/// 民法典 Art. 201–203: `n` natural days after `start` (paused days not counted); a last day
/// off moves to the next working day.
fn natural_due(calendar: &WorkCalendar, start: NaiveDate, n: u32, ranges: &[(NaiveDate, NaiveDate)]) -> Option<Due> {
    let mut end = start;
    let mut left = n;
    while left > 0 {
        end = end.succ_opt()?;
        if !ranges.iter().any(|&(from, to)| from <= end && end <= to) {
            left -= 1;
        }
    }
    match calendar.add_days(end, 0) {
        Ok(date) => Some(Due { date, provisional: false, natural_end: Some(end) }),
        Err(CalendarError::NoData { .. }) => {
            let mut date = end;
            while !day(calendar, date).workday {
                date = date.succ_opt()?;
            }
            Some(Due { date, provisional: true, natural_end: Some(end) })
        }
        Err(_) => None,
    }
}

/// 民法典 第二百零一条至第二百零三条: `n` calendar months after `start` ([`months_end`]: the
/// corresponding day, else the month's last day), then one more day for each paused day up to
/// there (paused days are not counted, as for a 日 limit); a last day off moves to the next
/// working day.
fn month_due(calendar: &WorkCalendar, start: NaiveDate, n: u32, ranges: &[(NaiveDate, NaiveDate)]) -> Option<Due> {
    let paused = |d: NaiveDate| ranges.iter().any(|&(from, to)| from <= d && d <= to);
    let mut end = months_end(start, n)?;
    let mut owed = 0u32;
    let mut d = start;
    while d < end {
        d = d.succ_opt()?;
        owed += u32::from(paused(d));
    }
    while owed > 0 {
        end = end.succ_opt()?;
        if !paused(end) {
            owed -= 1;
        }
    }
    match calendar.add_days(end, 0) {
        Ok(date) => Some(Due { date, provisional: false, natural_end: Some(end) }),
        Err(CalendarError::NoData { .. }) => {
            let mut date = end;
            while !day(calendar, date).workday {
                date = date.succ_opt()?;
            }
            Some(Due { date, provisional: true, natural_end: Some(end) })
        }
        Err(_) => None,
    }
}

/// A limit of `n` hours: due `n` hours after the moment the period starts (民法典 第二百零一条
/// 第二款), whatever the day; overdue once the clock is read after that moment. Pauses do not
/// apply (the catalog refuses hours in a procedure with pauses). The counts are the working days
/// between the dates, as for every unit.
fn hours(period: &Period, n: u32, calendar: &WorkCalendar, today: NaiveDate, closed: bool) -> Deadline {
    let (heading, from, read_at) = &period.hours_from;
    let Some(due_at) = from.checked_add_signed(chrono::TimeDelta::hours(i64::from(n))) else {
        return Deadline::none(format!("{heading}；期限超出可计算的日期范围"));
    };
    let due = shanghai_date(due_at);
    let used = calendar.workdays_elapsed(period.start, today, &[]).unwrap_or(0);
    let remaining = i64::from(calendar.workdays_elapsed(today, due, &[]).unwrap_or(0));
    let overdue = i64::from(calendar.workdays_elapsed(due, today, &[]).unwrap_or(0));
    let warning = if *read_at > due_at {
        Warning::Red
    } else if closed || today < due {
        Warning::Green
    } else {
        Warning::Yellow
    };
    Deadline {
        due: Some(due),
        provisional: false,
        used_workdays: used,
        remaining_workdays: if today > due { -overdue } else { remaining },
        remaining_days: None,
        warning,
        explanation: format!(
            "{heading}，按小时计算，自该时刻起算；{} → {}",
            limit_text(period.limit, period.extension),
            local_time(due_at)
        ),
    }
}

struct DayFacts<'a> {
    workday: bool,
    makeup: bool,
    holiday: Option<&'a str>,
    /// The year has no data: Monday–Friday assumed.
    assumed: bool,
}

fn day(calendar: &WorkCalendar, d: NaiveDate) -> DayFacts<'_> {
    match calendar.day(d) {
        Ok(info) => DayFacts {
            workday: info.is_workday,
            makeup: info.makeup,
            holiday: info.holiday_name.as_deref(),
            assumed: false,
        },
        Err(_) => DayFacts {
            workday: !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
            makeup: false,
            holiday: None,
            assumed: true,
        },
    }
}

#[derive(Default)]
struct Walk {
    used: u32,
    remaining: u32,
    overdue: u32,
    /// Explanation segments, in date order.
    segments: Vec<String>,
    assumed_years: BTreeSet<i32>,
}

/// Walks the days after `start` up to the later of `due` and `today`: counts the working days
/// used, left and overdue, and collects what the explanation names up to `due`: the holiday
/// periods skipped, the 调休 days counted, each pause and the working (or natural) days it
/// took out.
fn walk(calendar: &WorkCalendar, period: &Period, due: NaiveDate, today: NaiveDate, spans: &[Span]) -> Walk {
    let workday_unit = period.limit.unit == LimitUnit::Workday;
    let last = due.max(today);
    let mut out = Walk::default();
    let mut dated: Vec<(NaiveDate, String)> = Vec::new();
    let mut holiday: Option<(NaiveDate, NaiveDate, &str)> = None;
    let mut span_workdays = vec![0u32; spans.len()];
    let mut span_days = vec![0u32; spans.len()];
    let mut span_first: Vec<Option<NaiveDate>> = vec![None; spans.len()];
    let mut span_last: Vec<Option<NaiveDate>> = vec![None; spans.len()];

    let mut d = period.start;
    for _ in 0..MAX_WALK_DAYS {
        d = match d.succ_opt() {
            Some(next) if next <= last => next,
            _ => break,
        };
        let facts = day(calendar, d);
        let paused = spans.iter().any(|s| s.from <= d && d <= s.to);
        if facts.workday && !paused {
            if d <= today {
                out.used += 1;
            } else if d <= due {
                out.remaining += 1;
            }
            if d > due && d <= today {
                out.overdue += 1;
            }
        }
        if d > due {
            continue;
        }
        if facts.assumed {
            out.assumed_years.insert(d.year());
        }
        for (i, s) in spans.iter().enumerate() {
            if s.from <= d && d <= s.to {
                span_days[i] += 1;
                span_workdays[i] += u32::from(facts.workday);
                span_first[i].get_or_insert(d);
                span_last[i] = Some(d);
            }
        }
        if !workday_unit {
            continue;
        }
        match (facts.holiday, holiday) {
            (Some(name), Some((from, _, current))) if current == name => holiday = Some((from, d, name)),
            (now_name, previous) => {
                if let Some(run) = previous {
                    dated.push(holiday_segment(run, period.start));
                }
                holiday = now_name.map(|name| (d, d, name));
            }
        }
        if facts.makeup && !paused {
            dated.push((d, format!("{} 调休上班计入", short(d, period.start))));
        }
    }
    if let Some(run) = holiday {
        dated.push(holiday_segment(run, period.start));
    }
    for (i, s) in spans.iter().enumerate() {
        let (Some(first), Some(last)) = (span_first[i], span_last[i]) else {
            continue;
        };
        let range = if first == last {
            short(first, period.start)
        } else {
            format!("{}至{}", short(first, period.start), short(last, period.start))
        };
        let count =
            if workday_unit { format!("{} 个工作日", span_workdays[i]) } else { format!("{} 日", span_days[i]) };
        let open = if s.open { "暂停中，" } else { "" };
        dated.push((first, format!("{range} {}（{open}{count}）不计", s.name)));
    }
    dated.sort_by_key(|(date, _)| *date);
    out.segments = dated.into_iter().map(|(_, text)| text).collect();
    out
}

fn holiday_segment((from, to, name): (NaiveDate, NaiveDate, &str), start: NaiveDate) -> (NaiveDate, String) {
    let range = if from == to { short(from, start) } else { format!("{}至{}", short(from, start), short(to, start)) };
    (from, format!("{range} {name}不计"))
}

/// `MM-DD` within the start's year, the full date otherwise.
fn short(d: NaiveDate, start: NaiveDate) -> String {
    if d.year() == start.year() {
        d.format("%m-%d").to_string()
    } else {
        d.to_string()
    }
}

fn limit_text(limit: &Limit, extension: u32) -> String {
    let unit = match limit.unit {
        LimitUnit::Workday => "个工作日",
        LimitUnit::Day => "日（自然日）",
        LimitUnit::Month => "个月",
        LimitUnit::Hour => "小时",
    };
    if extension == 0 {
        format!("{} {unit}", limit.value)
    } else {
        format!("{} {unit}，经批准延长 {extension} {unit}", limit.value)
    }
}
