//! The service metrics (政务服务指标) of a period and a jurisdiction, computed from the records:
//! the catalog in force, the publication rows and the cases (the counts `store::stats` keeps in
//! each act's transaction, by division, item, day, due date…), never from constants. Each metric carries its value, numerator, denominator
//! and the definition it uses.
//!
//! The working definitions are those of local 一网通办 assessments, which are not a national text; the
//! others are this platform's and say so. The aggregation functions below are pure and unit
//! tested: they take the groups (a group of one per row works the same, which is how
//! [`App::service_stats_by_rows`] checks the SQL counting); [`App::service_stats`] only fetches
//! the groups and cuts them to the caller's grants.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use domain::access::{Actor, Permission};
use domain::calendar::{shanghai_date, shanghai_offset, WorkCalendar};
use domain::catalog::{CaseType, Catalog, ServiceItem};
use domain::division::{DivisionCode, Divisions, Level};
use domain::engine::case::CrossRegion;
use domain::procedure::LimitUnit;
use store::cases::CaseRow;
use store::catalog::Publication;
use store::persons::Scope;
use store::ratings::{DimensionGroup, RatingGroup};
use store::stats::{ClosedGroup, OpenGroup, SubmittedGroup};

use crate::portal::{Dimension, Grade, RatingChannel};
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The note every working definition (not a national text; from local 一网通办 assessments) carries.
pub const UNCONFIRMED: &str =
    "工作口径（各地政务服务考核的通行算法，尚无全国统一文本）；用于正式报告前须向四川省政务服务和资源交易服务中心核实";
/// The note of the definitions this platform chose.
pub const PLATFORM: &str = "本平台口径";

/// What a metric's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricUnit {
    /// numerator ÷ denominator, 0..1.
    Ratio,
    /// An average in working days (numerator: total working days; denominator: cases).
    Workdays,
    /// A count (= numerator); the denominator is the population it is taken from.
    Count,
}

impl MetricUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricUnit::Ratio => "ratio",
            MetricUnit::Workdays => "workdays",
            MetricUnit::Count => "count",
        }
    }
}

/// One figure with what it is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// Stable machine key, e.g. `promise_compression`.
    pub key: &'static str,
    /// 承诺时限压缩率…
    pub name: &'static str,
    /// None when the denominator is 0 (no data, not zero).
    pub value: Option<f64>,
    pub numerator: i64,
    pub denominator: i64,
    pub unit: MetricUnit,
    /// The definition used, in Chinese, with its source note.
    pub definition: String,
    /// Counts by class (cross-region classes), empty otherwise: (key, Chinese name, count).
    pub breakdown: Vec<(String, String, i64)>,
}

impl Metric {
    fn new(key: &'static str, name: &'static str, unit: MetricUnit, numerator: i64, denominator: i64) -> Metric {
        let value = match unit {
            MetricUnit::Count => Some(numerator as f64),
            _ if denominator == 0 => None,
            MetricUnit::Ratio => Some(round(numerator as f64 / denominator as f64, 4)),
            MetricUnit::Workdays => Some(round(numerator as f64 / denominator as f64, 2)),
        };
        Metric { key, name, value, numerator, denominator, unit, definition: String::new(), breakdown: Vec::new() }
    }

    fn defined(mut self, definition: impl Into<String>) -> Metric {
        self.definition = definition.into();
        self
    }

    /// The value as people read it: `37.5%`, `4.2 个工作日`, `3 件`, or `无数据`.
    pub fn display(&self) -> String {
        match (self.value, self.unit) {
            (None, _) => "无数据".to_string(),
            (Some(v), MetricUnit::Ratio) => format!("{}%", round(v * 100.0, 2)),
            (Some(v), MetricUnit::Workdays) => format!("{v} 个工作日"),
            (Some(v), MetricUnit::Count) => format!("{v} 件"),
        }
    }
}

fn round(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (value * factor).round() / factor
}

/// The metrics of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The divisions the figures cover (each with everything below it).
    pub divisions: Vec<String>,
    /// The day the snapshot figures (overdue) are taken on.
    pub today: NaiveDate,
    pub metrics: Vec<Metric>,
}

/// The period and place asked for. Dates are Asia/Shanghai, both inclusive.
#[derive(Debug, Clone, Default)]
pub struct StatsQuery {
    /// Default: 1 January of `to`'s year.
    pub from: Option<NaiveDate>,
    /// Default: today.
    pub to: Option<NaiveDate>,
    /// Default: every division the caller's grants reach.
    pub division: Option<String>,
}

/// The first instant of a Shanghai date, as epoch milliseconds.
pub fn day_start_ms(date: NaiveDate) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    shanghai_offset().from_local_datetime(&midnight).single().map(|t| t.timestamp_millis()).unwrap_or_default()
}

pub(crate) fn date_of_ms(ms: i64) -> Option<NaiveDate> {
    Utc.timestamp_millis_opt(ms).single().map(shanghai_date)
}

// ---------------------------------------------------------------------------------------------
// Items

/// The promise the item makes: its promised limit; an 即办件 without one promises 0 (当场).
fn promised_value(item: &ServiceItem) -> Option<(u32, LimitUnit)> {
    match (&item.promised_limit, item.case_type) {
        (Some(limit), _) => Some((limit.value, limit.unit)),
        (None, CaseType::Instant) => item.statutory_limit.as_ref().map(|s| (0, s.unit)),
        (None, CaseType::Promised) => None,
    }
}

/// 承诺时限压缩率 = Σ(法定 − 承诺) ÷ Σ法定 over the items in force with a statutory limit in
/// `unit` (items without a 法定时限 are left out; units are never mixed).
pub fn promise_compression(items: &[&ServiceItem], unit: LimitUnit) -> Metric {
    let mut saved: i64 = 0;
    let mut statutory: i64 = 0;
    let mut counted = 0;
    for item in items {
        let Some(limit) = item.statutory_limit.as_ref().filter(|l| l.unit == unit) else { continue };
        let promised = match promised_value(item) {
            Some((value, u)) if u == unit => value,
            // Unreachable for a validated catalog (units must match); no promise = no compression.
            _ => limit.value,
        };
        statutory += i64::from(limit.value);
        saved += i64::from(limit.value.saturating_sub(promised));
        counted += 1;
    }
    let (key, name, unit_name) = match unit {
        LimitUnit::Workday => ("promise_compression", "承诺时限压缩率", "工作日"),
        LimitUnit::Day => ("promise_compression_days", "承诺时限压缩率（以自然日计时的事项）", "自然日"),
        LimitUnit::Month => ("promise_compression_months", "承诺时限压缩率（以月计时的事项）", "月"),
        LimitUnit::Hour => ("promise_compression_hours", "承诺时限压缩率（以小时计时的事项）", "小时"),
    };
    Metric::new(key, name, MetricUnit::Ratio, saved, statutory).defined(format!(
        "Σ(法定办结时限 − 承诺办结时限) ÷ Σ法定办结时限 × 100%，取统计截止日在用的事项中法定时限以{unit_name}计的 \
         {counted} 项（无法定时限的事项不计；即办件未写承诺时限的按当场办结即 0 计；不同计时单位不混合相加）。{UNCONFIRMED}"
    ))
}

/// The items in force that an organ at one of `levels` handles (the item's `levels`, 行使层级 in
/// the 权责清单): the items every item-based figure counts, so that a county's figures do not
/// count an item only a prefecture handles, nor a city's one only townships handle.
pub fn items_at<'a>(items: &[&'a ServiceItem], levels: &[Level]) -> Vec<&'a ServiceItem> {
    items.iter().copied().filter(|i| i.levels.iter().any(|l| levels.contains(l))).collect()
}

/// Says in an item-based figure's definition which items it counted: those handled at `levels`.
pub fn at_levels(mut metric: Metric, levels: &[Level]) -> Metric {
    let names: Vec<&str> = levels.iter().map(|l| l.name_zh()).collect();
    metric.definition.push_str(&format!("事项只计行使层级含{}的事项（事项清单所列层级）。", names.join("、")));
    metric
}

/// The levels of the divisions of `scope` (each once, in the order met).
pub fn levels_of(scope: &[DivisionCode], divisions: &Divisions) -> Vec<Level> {
    let mut levels = Vec::new();
    for level in scope.iter().filter_map(|c| divisions.get(c)).map(|d| d.level) {
        if !levels.contains(&level) {
            levels.push(level);
        }
    }
    levels
}

/// 即办件占比（按事项）= 即办件事项数 ÷ 依申请事项数.
pub fn instant_share_by_items(items: &[&ServiceItem]) -> Metric {
    let instant = items.iter().filter(|i| i.case_type == CaseType::Instant).count();
    Metric::new("instant_share_items", "即办件占比（按事项）", MetricUnit::Ratio, instant as i64, items.len() as i64)
        .defined(format!(
            "办件类型为即办件的事项数 ÷ 依申请事项数，取统计截止日在用的事项（本平台事项清单中的事项均为依申请办理）。{UNCONFIRMED}"
        ))
}

/// 全程网办率 = 网上办理深度为 4 的事项数 ÷ 依申请事项数.
pub fn full_online_rate(items: &[&ServiceItem]) -> Metric {
    let online = items.iter().filter(|i| i.online_depth == 4).count();
    Metric::new("full_online_rate", "全程网办率", MetricUnit::Ratio, online as i64, items.len() as i64).defined(format!(
        "网上办理深度为 4 级（网上申请、受理、审查、决定、送达，零跑动）的事项数 ÷ 依申请事项数，取统计截止日在用的事项。{UNCONFIRMED}"
    ))
}

/// 认领率 / 发布率: the items in force claimed (published) at one of `divisions` by the end of
/// the period ÷ the items in force.
pub fn publication_rates(
    items: &[&ServiceItem],
    publications: &[Publication],
    divisions: &[String],
    end_ms: i64,
) -> (Metric, Metric) {
    let ours = |p: &&Publication| divisions.contains(&p.division);
    let claimed = items
        .iter()
        .filter(|item| {
            publications.iter().filter(ours).any(|p| p.slug == item.slug && p.claimed_at_ms.is_some_and(|t| t < end_ms))
        })
        .count();
    let published = items
        .iter()
        .filter(|item| {
            publications.iter().filter(ours).any(|p| {
                p.slug == item.slug
                    && p.published_at_ms.is_some_and(|t| t < end_ms)
                    && p.withdrawn_at_ms.is_none_or(|t| t >= end_ms)
            })
        })
        .count();
    let total = items.len() as i64;
    let scope = divisions.join("、");
    let claim = Metric::new("claim_rate", "认领率", MetricUnit::Ratio, claimed as i64, total).defined(format!(
        "统计区划本级（{scope}，不含下级）在统计截止日前已认领的在用事项数 ÷ 统计截止日在用事项数。\
         认领、发布状态取自认领记录（只保留每项最近一次操作的时间）。{PLATFORM}"
    ));
    let publish = Metric::new("publish_rate", "发布率", MetricUnit::Ratio, published as i64, total).defined(format!(
        "统计区划本级（{scope}，不含下级）在统计截止日处于已发布（未撤回）状态的在用事项数 ÷ 统计截止日在用事项数。{PLATFORM}"
    ));
    (claim, publish)
}

// ---------------------------------------------------------------------------------------------
// Cases

/// A day number of the store's grouped reads (days since 1970-01-01, Shanghai) as a date.
pub(crate) fn date_of_day(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::try_days(day)?)
}

/// The submissions among the groups: drafts are not submitted.
fn submissions(groups: &[SubmittedGroup]) -> impl Iterator<Item = &SubmittedGroup> {
    groups.iter().filter(|g| !g.draft)
}

/// 即办件占比（按办件）= 即办件事项的办件数 ÷ 办件数 (the cases submitted in the period).
pub fn instant_share_by_cases(cases: &[SubmittedGroup], catalog: &Catalog) -> Metric {
    let mut instant = 0;
    let mut total = 0;
    for group in submissions(cases) {
        let version = u32::try_from(group.item_version).unwrap_or_default();
        let Some(item) = catalog.get(&group.item_slug, version) else { continue };
        total += group.count;
        if item.case_type == CaseType::Instant {
            instant += group.count;
        }
    }
    Metric::new("instant_share_cases", "即办件占比（按办件量）", MetricUnit::Ratio, instant, total)
        .defined(format!("统计期内提交的办件中，所办事项版本为即办件的办件数 ÷ 办件数（草稿不计）。{UNCONFIRMED}"))
}

/// 网上申请率 = 网上提交的办件数 ÷ 办件数.
pub fn online_application_rate(cases: &[SubmittedGroup]) -> Metric {
    let all: i64 = submissions(cases).map(|g| g.count).sum();
    let online: i64 = submissions(cases).filter(|g| g.channel == "online").map(|g| g.count).sum();
    Metric::new("online_application_rate", "网上申请率", MetricUnit::Ratio, online, all)
        .defined(format!("统计期内提交的办件中，经网上办理渠道提交的办件数 ÷ 办件数（草稿不计）。{PLATFORM}"))
}

/// Closed cases alike in everything the closing figures read: one group of the store's
/// (`count` cases without pauses) or one case with pauses.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedCases {
    pub accepting_division: String,
    pub competent_division: String,
    /// None: never accepted (e.g. 不予受理).
    pub accepted_on: Option<NaiveDate>,
    pub closed_on: NaiveDate,
    /// The cached due date (YYYY-MM-DD).
    pub due_date: Option<String>,
    /// The paused ranges (inclusive Shanghai dates); None: the state has no pause ledger.
    pub pauses: Option<Vec<(NaiveDate, NaiveDate)>>,
    pub count: i64,
}

impl ClosedCases {
    /// A group of the store's closed cases without pauses.
    pub fn of_group(group: &ClosedGroup) -> Option<ClosedCases> {
        Some(ClosedCases {
            accepting_division: group.accepting_division.clone(),
            competent_division: group.competent_division.clone(),
            accepted_on: group.accepted_day.and_then(date_of_day),
            closed_on: date_of_day(group.closed_day)?,
            due_date: group.due_date.clone(),
            pauses: group.pause_count.map(|_| Vec::new()),
            count: group.count,
        })
    }

    /// One closed case, its pauses read from its state.
    pub fn of_row(row: &CaseRow) -> Option<ClosedCases> {
        let closed_on = date_of_ms(row.columns.closed_at_ms?)?;
        Some(ClosedCases {
            accepting_division: row.columns.accepting_division.clone(),
            competent_division: row.columns.competent_division.clone(),
            accepted_on: row.columns.accepted_at_ms.and_then(date_of_ms),
            closed_on,
            due_date: row.columns.due_date.clone(),
            pauses: pauses_from_state(&row.state, closed_on),
            count: 1,
        })
    }
}

/// Whether closed cases were closed on time: None when they have no due date.
pub(crate) fn closed_on_time(cases: &ClosedCases) -> Option<bool> {
    let due = NaiveDate::parse_from_str(cases.due_date.as_deref()?, "%Y-%m-%d").ok()?;
    Some(cases.closed_on <= due)
}

/// 按时办结率 = 办结日不晚于办结期限的办件数 ÷ 有办结期限的办结件数 (cases closed in the period).
pub fn on_time_rate(closed: &[ClosedCases]) -> Metric {
    let (mut on_time, mut with_due) = (0, 0);
    for cases in closed {
        let Some(ok) = closed_on_time(cases) else { continue };
        with_due += cases.count;
        on_time += if ok { cases.count } else { 0 };
    }
    Metric::new("on_time_rate", "按时办结率", MetricUnit::Ratio, on_time, with_due).defined(format!(
        "统计期内办结、且有办结期限的办件中，办结日（北京时间）不晚于办结期限（法定或承诺时限，含延长，扣除暂停）的办件数 ÷ \
         这些办件数。未受理即终结（不予受理等）的办件没有办结期限，不计。{PLATFORM}"
    ))
}

/// The paused ranges recorded in a case's state cache (`pauses: [{start, end}]`, RFC 3339 or
/// epoch milliseconds), as inclusive Shanghai-date ranges; an open pause runs to `closed_on`.
/// `None` when the state carries no pause ledger.
pub fn pauses_from_state(state: &str, closed_on: NaiveDate) -> Option<Vec<(NaiveDate, NaiveDate)>> {
    let value: serde_json::Value = serde_json::from_str(state).ok()?;
    let pauses = value.get("pauses")?.as_array()?;
    let instant = |v: &serde_json::Value| -> Option<NaiveDate> {
        match v {
            serde_json::Value::String(s) => DateTime::parse_from_rfc3339(s).ok().map(|t| shanghai_date(t.to_utc())),
            serde_json::Value::Number(n) => n.as_i64().and_then(date_of_ms),
            _ => None,
        }
    };
    Some(
        pauses
            .iter()
            .filter_map(|p| {
                let start = instant(p.get("start")?)?;
                let end = p.get("end").and_then(instant).unwrap_or(closed_on);
                Some((start, end.min(closed_on)))
            })
            .collect(),
    )
}

/// 平均办理用时 = Σ(受理至办结的工作日数，扣除暂停) ÷ 办结件数 (cases closed in the period that
/// were accepted).
pub fn average_workdays(closed: &[ClosedCases], calendar: &WorkCalendar) -> Metric {
    let mut total: i64 = 0;
    let mut counted: i64 = 0;
    let mut without_calendar = 0;
    let mut without_ledger = 0;
    for cases in closed {
        let Some(accepted) = cases.accepted_on else { continue };
        let pauses = cases.pauses.as_deref().unwrap_or_else(|| {
            without_ledger += cases.count;
            &[]
        });
        match calendar.workdays_elapsed(accepted, cases.closed_on, pauses) {
            Ok(days) => {
                total += i64::from(days) * cases.count;
                counted += cases.count;
            }
            Err(_) => without_calendar += cases.count,
        }
    }
    let mut notes = String::new();
    if without_calendar > 0 {
        notes.push_str(&format!("另有 {without_calendar} 件所涉年度节假日安排未载入，未计。"));
    }
    if without_ledger > 0 {
        notes.push_str(&format!("其中 {without_ledger} 件的状态缓存中没有暂停记录，按无暂停计。"));
    }
    Metric::new("average_workdays", "平均办理用时", MetricUnit::Workdays, total, counted).defined(format!(
        "统计期内办结、且已受理的办件，自受理日（不计）至办结日的工作日数（按工作日历，扣除办件状态中记录的补正、\
         特别程序、中止等暂停期间）之和 ÷ 办件数。{notes}{PLATFORM}"
    ))
}

/// 跨区域通办办件量: the cases submitted in the period by cross-region class; the value is the
/// number of cases outside their own county.
pub fn cases_by_cross_region(cases: &[SubmittedGroup]) -> Metric {
    let all: i64 = submissions(cases).map(|g| g.count).sum();
    let classes = [CrossRegion::None, CrossRegion::County, CrossRegion::Prefecture, CrossRegion::Province];
    let breakdown: Vec<(String, String, i64)> = classes
        .iter()
        .map(|class| {
            let n = submissions(cases).filter(|g| g.cross_region == class.as_str()).map(|g| g.count).sum();
            (class.as_str().to_string(), class.name_zh().to_string(), n)
        })
        .collect();
    let cross: i64 = breakdown.iter().skip(1).map(|(_, _, n)| n).sum();
    let mut metric =
        Metric::new("cross_region_cases", "跨区域通办办件量", MetricUnit::Count, cross, all).defined(format!(
            "统计期内提交的办件按受理地与办理地的关系分类（本县办理、市内跨县通办、省内跨市通办、跨省通办）；\
         数值为跨县及以上的办件数，分母为办件总数（草稿不计）。{PLATFORM}"
        ));
    metric.breakdown = breakdown;
    metric
}

/// Whether an open case is overdue on `today`: its cached due date is before it.
pub(crate) fn is_overdue(due_date: Option<&str>, today: NaiveDate) -> bool {
    due_date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).is_some_and(|d| d < today)
}

/// 超期未办结办件数: open cases whose cached due date is before `today`.
pub fn overdue_open(open: &[OpenGroup], today: NaiveDate) -> Metric {
    let all: i64 = open.iter().map(|g| g.count).sum();
    let overdue: i64 = open.iter().filter(|g| is_overdue(g.due_date.as_deref(), today)).map(|g| g.count).sum();
    Metric::new("overdue_open", "超期未办结办件数", MetricUnit::Count, overdue, all).defined(format!(
        "{today}（统计时）仍未办结、且办结期限早于当日的办件数；分母为未办结办件总数。不受统计期限制。{PLATFORM}"
    ))
}

/// 好差评满意率 = 好评数（非常满意、满意、基本满意）÷ 评价总数, the ratings given in the period,
/// with the count of each grade.
pub fn satisfaction(ratings: &[RatingGroup]) -> Metric {
    let breakdown: Vec<(String, String, i64)> = Grade::ALL
        .into_iter()
        .map(|g| {
            (
                g.as_str().to_string(),
                g.name_zh().to_string(),
                ratings.iter().filter(|r| r.grade == g.as_str()).map(|r| r.count).sum(),
            )
        })
        .collect();
    let good: i64 = Grade::ALL.into_iter().zip(&breakdown).filter(|(g, _)| g.is_good()).map(|(_, b)| b.2).sum();
    let total: i64 = breakdown.iter().map(|b| b.2).sum();
    let mut metric = Metric::new("satisfaction_rate", "好差评满意率", MetricUnit::Ratio, good, total).defined(format!(
        "统计期内办事群众对已办结办件的评价中，非常满意、满意、基本满意（好评）的件数 ÷ 评价总数；每件只评一次。\
         五级评价见国办发〔2019〕51号。{PLATFORM}"
    ));
    metric.breakdown = breakdown;
    metric
}

/// The metric of each 好差评 indicator (国办发〔2019〕51号: 线上 整体满意度、办事效率、办事指南精确度、
/// 办事便捷度、平台操作性; 线下 整体满意度、服务效率、服务水平、服务态度): its key and name.
pub const DIMENSION_METRICS: [(RatingChannel, Dimension, &str, &str); 9] = [
    (RatingChannel::Online, Dimension::Overall, "rating_online_overall", "线上服务好评率：整体满意度"),
    (RatingChannel::Online, Dimension::Efficiency, "rating_online_efficiency", "线上服务好评率：办事效率"),
    (RatingChannel::Online, Dimension::GuideAccuracy, "rating_online_guide_accuracy", "线上服务好评率：办事指南精确度"),
    (RatingChannel::Online, Dimension::Convenience, "rating_online_convenience", "线上服务好评率：办事便捷度"),
    (RatingChannel::Online, Dimension::Usability, "rating_online_usability", "线上服务好评率：平台操作性"),
    (RatingChannel::Offline, Dimension::Overall, "rating_offline_overall", "线下服务好评率：整体满意度"),
    (RatingChannel::Offline, Dimension::Efficiency, "rating_offline_efficiency", "线下服务好评率：服务效率"),
    (RatingChannel::Offline, Dimension::ServiceLevel, "rating_offline_service_level", "线下服务好评率：服务水平"),
    (RatingChannel::Offline, Dimension::Attitude, "rating_offline_attitude", "线下服务好评率：服务态度"),
];

/// 好差评 by indicator: for each indicator of each channel, 好评数 ÷ the ratings that graded it,
/// with the count of each grade. A rating given before the indicators were rated one by one
/// counts in 整体满意度 only.
pub fn dimension_satisfaction(groups: &[DimensionGroup]) -> Vec<Metric> {
    DIMENSION_METRICS
        .iter()
        .map(|&(channel, dimension, key, name)| {
            let count = |grade: Grade| -> i64 {
                groups
                    .iter()
                    .filter(|g| {
                        g.channel == channel.as_str() && g.dimension == dimension.as_str() && g.grade == grade.as_str()
                    })
                    .map(|g| g.count)
                    .sum()
            };
            let breakdown: Vec<(String, String, i64)> = Grade::ALL
                .into_iter()
                .map(|g| (g.as_str().to_string(), g.name_zh().to_string(), count(g)))
                .collect();
            let good: i64 = Grade::ALL.into_iter().filter(|g| g.is_good()).map(count).sum();
            let total: i64 = breakdown.iter().map(|b| b.2).sum();
            let mut metric = Metric::new(key, name, MetricUnit::Ratio, good, total).defined(format!(
                "统计期内对{}的评价中，“{}”一项评为非常满意、满意或基本满意的件数 ÷ 评价了该项的件数。\
                 评价指标见国办发〔2019〕51号（线上：整体满意度、办事效率、办事指南精确度、办事便捷度、平台操作性；\
                 线下：整体满意度、服务效率、服务水平、服务态度）。网上申请的办件按线上服务评价，窗口受理的按线下服务评价。{PLATFORM}",
                channel.name_zh(),
                dimension.name_zh(channel)
            ));
            metric.breakdown = breakdown;
            metric
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The use case

/// True when a case's accepting or competent division lies inside one of `scope`.
pub(crate) fn in_scope(accepting: &str, competent: &str, scope: &[DivisionCode], divisions: &Divisions) -> bool {
    [accepting, competent].into_iter().any(|code| {
        DivisionCode::parse(code).is_ok_and(|code| scope.iter().any(|root| divisions.is_within(&code, root)))
    })
}

/// The period and jurisdiction of a query, checked.
pub(crate) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub scope: Vec<DivisionCode>,
    /// The levels of the organs read (`scope`'s divisions, a reader's grants or the division
    /// asked for): the item-based figures count the items handled there ([`items_at`]). None for
    /// the platform's whole catalogue (no reader, no division: every item).
    pub levels: Option<Vec<Level>>,
    /// The store's prefix filter for `scope` (coarse: groups are cut with [`in_scope`]).
    pub store_scope: Scope,
    /// `[start_ms, end_ms)`: the period's instants.
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Period {
    pub(crate) fn covers(&self, accepting: &str, competent: &str, divisions: &Divisions) -> bool {
        in_scope(accepting, competent, &self.scope, divisions)
    }
}

/// Where the counts of cases come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The counts kept in the act's transaction (`store::stats`, tables `case_agg_*`): a
    /// period's figures read as many counts as there are (division, item, day…) groups, however
    /// many cases. What every page and API reads.
    Counts,
    /// The period's case rows grouped in SQL at the time of asking.
    Groups,
}

/// The records a period's figures are computed from, counted and cut to the jurisdiction.
pub(crate) struct Fetched {
    pub period: Period,
    /// Cases submitted in the period.
    pub submitted: Vec<SubmittedGroup>,
    /// Cases closed in the period.
    pub closed: Vec<ClosedCases>,
    /// Cases open now.
    pub open: Vec<OpenGroup>,
    pub publications: Vec<Publication>,
    /// Ratings given in the period.
    pub ratings: Vec<RatingGroup>,
    /// Their indicators' grades.
    pub dimensions: Vec<DimensionGroup>,
}

impl App {
    /// The service metrics of a period, over the caller's jurisdiction (or `query.division`,
    /// which it must reach). `actor` None is the CLI operator (everything).
    pub async fn service_stats(&self, actor: Option<&Actor>, query: &StatsQuery) -> ServiceResult<ServiceStats> {
        self.service_stats_from(actor, query, Source::Counts).await
    }

    /// [`App::service_stats`] with the cases grouped in SQL at the time of asking (`GROUP BY`
    /// over the period's rows) instead of the counts the triggers keep: `bench stats` times it
    /// beside the counts, and the tests check both give the same figures.
    pub async fn service_stats_grouped(
        &self,
        actor: Option<&Actor>,
        query: &StatsQuery,
    ) -> ServiceResult<ServiceStats> {
        self.service_stats_from(actor, query, Source::Groups).await
    }

    async fn service_stats_from(
        &self,
        actor: Option<&Actor>,
        query: &StatsQuery,
        source: Source,
    ) -> ServiceResult<ServiceStats> {
        let period = self.stats_period(actor, query)?;
        let divisions = self.divisions();
        let open = match source {
            Source::Counts => self.store.open_counts(&period.store_scope).await?,
            Source::Groups => self.store.open_case_groups(&period.store_scope).await?,
        };
        let open: Vec<OpenGroup> = open
            .into_iter()
            .filter(|g| period.covers(&g.accepting_division, &g.competent_division, divisions))
            .collect();
        let fetched = self.stats_records(period, open, source).await?;
        Ok(self.metrics_of(&fetched))
    }

    /// [`App::service_stats`] from every case row of the period read out and counted one by one
    /// (as the figures were computed before the counting moved into SQL), through the same
    /// pure functions. `bench stats` times it beside the SQL path; the tests check that both
    /// give the same figures. (The ratings are counted in SQL in both.)
    pub async fn service_stats_by_rows(
        &self,
        actor: Option<&Actor>,
        query: &StatsQuery,
    ) -> ServiceResult<ServiceStats> {
        let period = self.stats_period(actor, query)?;
        let divisions = self.divisions();
        let ours =
            |r: &&CaseRow| period.covers(&r.columns.accepting_division, &r.columns.competent_division, divisions);
        let (start, end, scope) = (period.start_ms, period.end_ms, &period.store_scope);
        let submitted = self.store.cases_submitted_between(start, end, scope).await?;
        let submitted = submitted.iter().filter(ours).map(SubmittedGroup::of).collect();
        let closed = self.store.cases_closed_between(start, end, scope).await?;
        let closed = closed.iter().filter(ours).filter_map(ClosedCases::of_row).collect();
        let open = self.store.open_cases_with_state(scope).await?;
        let open = open.iter().filter(ours).map(OpenGroup::of).collect();
        let publications = self.store.publications(None).await?;
        let ratings = self.store.rating_groups(start, end, scope).await?;
        let ratings = ratings
            .into_iter()
            .filter(|r| period.covers(&r.accepting_division, &r.competent_division, divisions))
            .collect();
        let dimensions = self.store.rating_dimension_groups(start, end, scope).await?;
        let dimensions = dimensions
            .into_iter()
            .filter(|r| period.covers(&r.accepting_division, &r.competent_division, divisions))
            .collect();
        Ok(self.metrics_of(&Fetched { period, submitted, closed, open, publications, ratings, dimensions }))
    }

    /// Checks the caller and the period asked for.
    pub(crate) fn stats_period(&self, actor: Option<&Actor>, query: &StatsQuery) -> ServiceResult<Period> {
        if let Some(actor) = actor {
            if !actor.may_somewhere(Permission::ReadServiceStats) {
                return Err(ServiceError::forbidden());
            }
        }
        let today = self.today();
        let to = query.to.unwrap_or(today);
        let from = query.from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
        if from > to {
            return Err(
                ServiceError::new(ErrorKind::Invalid, "invalid_period", "统计起始日不能晚于截止日").with_field("from")
            );
        }
        let divisions = self.divisions();
        let (scope, levels) = match query.division.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(division) => {
                let code = self.division("division", division)?;
                if let Some(actor) = actor {
                    self.authorize(actor, Permission::ReadServiceStats, &code)?;
                }
                let levels = levels_of(std::slice::from_ref(&code), divisions);
                (vec![code], Some(levels))
            }
            None => match actor {
                Some(actor) => {
                    let scope = actor.scope(Permission::ReadServiceStats);
                    let levels = levels_of(&scope, divisions);
                    (scope, Some(levels))
                }
                None => {
                    (divisions.iter().filter(|d| d.level == Level::Province).map(|d| d.code.clone()).collect(), None)
                }
            },
        };
        let store_scope = Scope(scope.iter().map(|c| c.to_string()).collect());
        let start_ms = day_start_ms(from);
        let end_ms = to.checked_add_days(Days::new(1)).map(day_start_ms).unwrap_or(i64::MAX);
        Ok(Period { from, to, today, scope, levels, store_scope, start_ms, end_ms })
    }

    /// Counts the records of the period (the one place both the metrics and the dashboard read
    /// them), given the open cases (counted by the caller: the dashboard reads them whole).
    pub(crate) async fn stats_records(
        &self,
        period: Period,
        open: Vec<OpenGroup>,
        source: Source,
    ) -> ServiceResult<Fetched> {
        let divisions = self.divisions();
        let ours = |accepting: &str, competent: &str| period.covers(accepting, competent, divisions);
        let (start, end, scope) = (period.start_ms, period.end_ms, &period.store_scope);
        let (submitted, groups) = match source {
            Source::Counts => (
                self.store.submitted_counts(start, end, scope).await?,
                self.store.closed_counts(start, end, scope).await?,
            ),
            Source::Groups => (
                self.store.submitted_groups(start, end, scope).await?,
                self.store.closed_groups(start, end, scope).await?,
            ),
        };
        let submitted = submitted.into_iter().filter(|g| ours(&g.accepting_division, &g.competent_division)).collect();
        let with_pauses = self.store.closed_cases_with_pauses(start, end, scope).await?;
        let closed = groups
            .iter()
            .filter_map(ClosedCases::of_group)
            .chain(with_pauses.iter().filter_map(ClosedCases::of_row))
            .filter(|c| ours(&c.accepting_division, &c.competent_division))
            .collect();
        let publications = self.store.publications(None).await?;
        let ratings = self.store.rating_groups(start, end, scope).await?;
        let ratings = ratings.into_iter().filter(|r| ours(&r.accepting_division, &r.competent_division)).collect();
        let dimensions = self.store.rating_dimension_groups(start, end, scope).await?;
        let dimensions =
            dimensions.into_iter().filter(|r| ours(&r.accepting_division, &r.competent_division)).collect();
        Ok(Fetched { period, submitted, closed, open, publications, ratings, dimensions })
    }

    pub(crate) fn metrics_of(&self, f: &Fetched) -> ServiceStats {
        let p = &f.period;
        // The item-based figures count the items the reader's organs handle at their level.
        let in_force = self.catalog.items_on(p.to);
        let items = match &p.levels {
            Some(levels) => items_at(&in_force, levels),
            None => in_force,
        };
        let scope_codes: Vec<String> = p.scope.iter().map(|c| c.to_string()).collect();
        let (claim, publish) = publication_rates(&items, &f.publications, &scope_codes, p.end_ms);
        let by_items = [
            promise_compression(&items, LimitUnit::Workday),
            promise_compression(&items, LimitUnit::Day),
            instant_share_by_items(&items),
            full_online_rate(&items),
            claim,
            publish,
        ]
        .map(|m| match &p.levels {
            Some(levels) => at_levels(m, levels),
            None => m,
        });
        let [compression, compression_days, instant_items, full_online, claim, publish] = by_items;
        let metrics = vec![
            compression,
            compression_days,
            instant_items,
            instant_share_by_cases(&f.submitted, &self.catalog),
            full_online,
            online_application_rate(&f.submitted),
            claim,
            publish,
            on_time_rate(&f.closed),
            average_workdays(&f.closed, &self.calendar()),
            cases_by_cross_region(&f.submitted),
            overdue_open(&f.open, p.today),
            satisfaction(&f.ratings),
        ];
        let metrics = metrics.into_iter().chain(dimension_satisfaction(&f.dimensions)).collect();
        ServiceStats { from: p.from, to: p.to, divisions: scope_codes, today: p.today, metrics }
    }
}

#[cfg(test)]
mod tests {
    use store::cases::CaseColumns;

    use super::*;

    fn catalog() -> Catalog {
        Catalog::from_files(&crate::catalog::embedded_files()).expect("the shipped catalog")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn ms(y: i32, m: u32, d: u32) -> i64 {
        day_start_ms(date(y, m, d)) + 10 * 3600 * 1000
    }

    fn case(slug: &str, channel: &str, cross: &str) -> CaseRow {
        CaseRow {
            id: 1,
            number: "511702-2021-000001".into(),
            columns: CaseColumns {
                item_slug: slug.into(),
                item_version: 1,
                status: "in_progress".into(),
                step: None,
                accepting_division: "511702".into(),
                competent_division: "511702".into(),
                cross_region: cross.into(),
                channel: channel.into(),
                applicant_person_id: None,
                submitted_at_ms: ms(2021, 6, 1),
                accepted_at_ms: None,
                closed_at_ms: None,
                due_date: None,
                timer_due_ms: None,
                pause_count: None,
            },
            revision: 1,
            state: "{}".into(),
            append_slot: None,
        }
    }

    fn submitted(rows: &[CaseRow]) -> Vec<SubmittedGroup> {
        rows.iter().map(SubmittedGroup::of).collect()
    }

    fn closed_cases(rows: &[CaseRow]) -> Vec<ClosedCases> {
        rows.iter().filter_map(ClosedCases::of_row).collect()
    }

    fn closed(accepted: i64, closed: i64, due: Option<&str>, state: &str) -> CaseRow {
        let mut row = case("minimum-living-allowance", "window", "none");
        row.columns.status = "closed".into();
        row.columns.accepted_at_ms = Some(accepted);
        row.columns.closed_at_ms = Some(closed);
        row.columns.due_date = due.map(str::to_string);
        row.state = state.into();
        row
    }

    #[test]
    fn item_figures_count_only_the_items_handled_at_the_readers_level() {
        let catalog = catalog();
        let mut items: Vec<ServiceItem> = catalog.items_on(date(2021, 12, 31)).into_iter().cloned().collect();
        let count = |items: &[ServiceItem], level: Level| items.iter().filter(|i| i.levels.contains(&level)).count();
        let (county, prefecture) = (count(&items, Level::County), count(&items, Level::Prefecture));
        assert!(county > 0 && prefecture > 0 && county < items.len(), "the catalogue spans levels");
        let rate = |items: &[ServiceItem], level: Level| {
            let refs: Vec<&ServiceItem> = items.iter().collect();
            let m = full_online_rate(&items_at(&refs, &[level]));
            (m.numerator, m.denominator)
        };
        let online = |items: &[ServiceItem], level: Level| {
            items.iter().filter(|i| i.levels.contains(&level) && i.online_depth == 4).count() as i64
        };
        assert_eq!(rate(&items, Level::County), (online(&items, Level::County), county as i64));
        // An item only the prefecture handled is handed to counties too: the county's figure
        // counts it from then on, the prefecture's still does.
        let moved =
            items.iter_mut().find(|i| i.levels == [Level::Prefecture]).expect("an item only the prefecture handles");
        moved.levels.push(Level::County);
        assert_eq!(rate(&items, Level::County), (online(&items, Level::County), county as i64 + 1));
        assert_eq!(rate(&items, Level::Prefecture).1, prefecture as i64);
        let defined = at_levels(full_online_rate(&[]), &[Level::County, Level::Township]);
        assert!(defined.definition.ends_with("事项只计行使层级含县级、乡级的事项（事项清单所列层级）。"));
        let scope = ["511702", "511703", "511702001"].map(|c| DivisionCode::parse(c).expect("code"));
        assert_eq!(levels_of(&scope, Divisions::builtin()), [Level::County, Level::Township]);
    }

    #[test]
    fn compression_sums_over_items_with_a_statutory_limit() {
        let catalog = catalog();
        let items = catalog.items_on(date(2021, 6, 1));
        let metric = promise_compression(&items, LimitUnit::Workday);
        // Recompute by hand from the files, so the figure is the records', not a constant.
        let (mut saved, mut total) = (0i64, 0i64);
        for item in &items {
            if let Some(s) = item.statutory_limit.as_ref().filter(|l| l.unit == LimitUnit::Workday) {
                let p = item.promised_limit.as_ref().map(|p| p.value).unwrap_or(0);
                total += i64::from(s.value);
                saved += i64::from(s.value - p);
            }
        }
        assert!(total > 0);
        assert_eq!((metric.numerator, metric.denominator), (saved, total));
        assert!(metric.definition.contains("工作口径（各地政务服务考核的通行算法"));

        // Change one item's promise: the figure follows.
        let mut changed: Vec<ServiceItem> = items.iter().map(|i| (*i).clone()).collect();
        let target = changed
            .iter_mut()
            .find(|i| {
                i.statutory_limit.as_ref().is_some_and(|l| l.unit == LimitUnit::Workday) && i.promised_limit.is_some()
            })
            .expect("an item with both limits");
        let before = target.promised_limit.as_ref().map(|p| p.value).unwrap_or(0);
        if let Some(p) = target.promised_limit.as_mut() {
            p.value = 0;
        }
        let refs: Vec<&ServiceItem> = changed.iter().collect();
        let after = promise_compression(&refs, LimitUnit::Workday);
        assert_eq!(after.numerator, saved + i64::from(before));
        assert_eq!(after.denominator, total);
    }

    #[test]
    fn item_shares_count_instant_and_full_online_items() {
        let catalog = catalog();
        let items = catalog.items_on(date(2021, 6, 1));
        let instant = instant_share_by_items(&items);
        assert_eq!(instant.denominator, items.len() as i64);
        assert_eq!(instant.numerator, items.iter().filter(|i| i.case_type == CaseType::Instant).count() as i64);
        let online = full_online_rate(&items);
        assert_eq!(online.numerator, items.iter().filter(|i| i.online_depth == 4).count() as i64);
        assert_eq!(full_online_rate(&[]).value, None, "no items: no figure, not zero");
    }

    #[test]
    fn case_shares_read_the_rows() {
        let catalog = catalog();
        let instant_slug = catalog
            .items_on(date(2021, 6, 1))
            .into_iter()
            .find(|i| i.case_type == CaseType::Instant && i.version.number == 1)
            .map(|i| i.slug.clone())
            .expect("an instant item");
        let mut draft = case("minimum-living-allowance", "online", "none");
        draft.columns.status = "draft".into();
        let rows = vec![
            case(&instant_slug, "online", "none"),
            case("minimum-living-allowance", "window", "county"),
            case("minimum-living-allowance", "online", "province"),
            case("no-such-item", "window", "none"),
            draft,
        ];
        let by_cases = instant_share_by_cases(&submitted(&rows), &catalog);
        assert_eq!((by_cases.numerator, by_cases.denominator), (1, 3), "unknown items and drafts left out");
        let online = online_application_rate(&submitted(&rows));
        assert_eq!((online.numerator, online.denominator), (2, 4));
        assert_eq!(online.value, Some(0.5));
        let cross = cases_by_cross_region(&submitted(&rows));
        assert_eq!((cross.numerator, cross.denominator), (2, 4));
        let counts: Vec<i64> = cross.breakdown.iter().map(|b| b.2).collect();
        assert_eq!(counts, [2, 1, 0, 1]);
    }

    #[test]
    fn on_time_and_average_use_the_dates_and_the_calendar() {
        let calendar = WorkCalendar::builtin();
        // Accepted Wed 2021-09-29, closed Fri 2021-10-15: 09-30, 10-08, 10-09 (调休), 10-11..15 = 8.
        let a = closed(ms(2021, 9, 29), ms(2021, 10, 15), Some("2021-10-15"), "{}");
        // The same with a pause 10-11..10-12 recorded in the state: 6.
        let paused = r#"{"pauses":[{"kind":"special","start":"2021-10-11T02:00:00Z","end":"2021-10-12T09:00:00Z"}]}"#;
        let b = closed(ms(2021, 9, 29), ms(2021, 10, 15), Some("2021-10-14"), paused);
        // Not accepted: no due date, not counted in either.
        let mut c = closed(ms(2021, 9, 29), ms(2021, 9, 29), None, "{}");
        c.columns.accepted_at_ms = None;
        let rows = vec![a, b, c];
        let on_time = on_time_rate(&closed_cases(&rows));
        assert_eq!((on_time.numerator, on_time.denominator), (1, 2));
        let average = average_workdays(&closed_cases(&rows), calendar);
        assert_eq!((average.numerator, average.denominator), (8 + 6, 2));
        assert_eq!(average.value, Some(7.0));
        assert!(average.definition.contains("1 件的状态缓存中没有暂停记录"), "{}", average.definition);
    }

    #[test]
    fn a_group_counts_as_many_cases_as_it_holds() {
        let calendar = WorkCalendar::builtin();
        let late = closed(ms(2021, 9, 29), ms(2021, 10, 15), Some("2021-10-14"), r#"{"pauses":[]}"#);
        let one = ClosedCases::of_row(&late).expect("a closed case");
        let three = ClosedCases { count: 3, ..one.clone() };
        let rows = vec![one.clone(), one.clone(), one];
        let pair = |m: Metric| (m.numerator, m.denominator);
        assert_eq!(pair(on_time_rate(std::slice::from_ref(&three))), pair(on_time_rate(&rows)));
        assert_eq!(pair(on_time_rate(&rows)), (0, 3));
        assert_eq!(pair(average_workdays(&[three], calendar)), (3 * 8, 3));
    }

    #[test]
    fn the_store_counts_days_as_the_service_dates_instants() {
        // Around Shanghai midnight (16:00 UTC): the SQL day number and the date agree.
        let midnight = day_start_ms(date(2021, 10, 15));
        for at in [midnight - 1, midnight, midnight + 1, ms(2021, 12, 31), ms(2024, 2, 29)] {
            assert_eq!(date_of_day(store::stats::day_of_ms(at)), date_of_ms(at), "{at}");
        }
        assert_eq!(date_of_day(store::stats::day_of_ms(midnight - 1)), Some(date(2021, 10, 14)));
    }

    #[test]
    fn pauses_are_read_leniently() {
        let closed_on = date(2021, 10, 15);
        assert_eq!(pauses_from_state("not json", closed_on), None);
        assert_eq!(pauses_from_state("{}", closed_on), None);
        let open = format!(r#"{{"pauses":[{{"start":{}}}]}}"#, ms(2021, 10, 11));
        assert_eq!(pauses_from_state(&open, closed_on), Some(vec![(date(2021, 10, 11), closed_on)]));
    }

    #[test]
    fn overdue_counts_open_cases_past_their_due_date() {
        let today = date(2021, 10, 15);
        let mut late = case("minimum-living-allowance", "window", "none");
        late.columns.due_date = Some("2021-10-14".into());
        let mut due_today = case("minimum-living-allowance", "window", "none");
        due_today.columns.due_date = Some("2021-10-15".into());
        let no_due = case("minimum-living-allowance", "window", "none");
        let metric = overdue_open(&[late, due_today, no_due].iter().map(OpenGroup::of).collect::<Vec<_>>(), today);
        assert_eq!((metric.numerator, metric.denominator), (1, 3));
        assert_eq!(metric.display(), "1 件");
    }

    #[test]
    fn publication_rates_count_the_division_itself_by_the_end_of_the_period() {
        let catalog = catalog();
        let items = catalog.items_on(date(2021, 6, 1));
        let slug = |n: usize| items[n].slug.clone();
        let row =
            |slug: String, division: &str, claimed: Option<i64>, published: Option<i64>, withdrawn: Option<i64>| {
                Publication {
                    slug,
                    division: division.into(),
                    claimed_at_ms: claimed,
                    published_at_ms: published,
                    withdrawn_at_ms: withdrawn,
                }
            };
        let end = day_start_ms(date(2021, 7, 1));
        let rows = vec![
            row(slug(0), "511702", Some(ms(2021, 6, 1)), Some(ms(2021, 6, 2)), None),
            row(slug(1), "511702", Some(ms(2021, 6, 1)), Some(ms(2021, 6, 2)), Some(ms(2021, 6, 3))),
            row(slug(2), "511702", Some(ms(2021, 8, 1)), None, None),
            row(slug(3), "511703", Some(ms(2021, 6, 1)), Some(ms(2021, 6, 2)), None),
        ];
        let (claim, publish) = publication_rates(&items, &rows, &["511702".to_string()], end);
        assert_eq!((claim.numerator, claim.denominator), (2, items.len() as i64));
        assert_eq!(publish.numerator, 1);
    }
}
