//! The wire format of the operator's and the leader's endpoints: the simulated clock, the
//! administrator's status (calendar-year warning) and the service metrics.

use serde::{Deserialize, Serialize};
use service::stats::{Metric, ServiceStats};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// The new simulated time, RFC 3339 with its offset, e.g. `2021-10-08T09:00:00+08:00`;
    /// never earlier than the current simulated time.
    pub now: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockDto {
    /// The simulated time now, RFC 3339 in China Standard Time.
    pub now: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminStatusDto {
    /// Today (Asia/Shanghai) by the server's clock.
    pub today: String,
    /// The simulated time, when the server runs on a simulated clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated_clock: Option<String>,
    pub calendar_version: String,
    pub calendar_years: Vec<i32>,
    /// From 1 October until next year's holiday arrangement is loaded (or when this year's is
    /// missing): what to do, in Chinese. Null otherwise.
    pub calendar_warning: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceStatsQuery {
    /// `YYYY-MM-DD`, first day (inclusive); default 1 January of `to`'s year.
    #[param(example = "2021-01-01")]
    pub from: Option<String>,
    /// `YYYY-MM-DD`, last day (inclusive); default today.
    #[param(example = "2021-12-31")]
    pub to: Option<String>,
    /// A division the caller's grants reach; default all of them.
    pub division: Option<String>,
}

/// Decided cases of a period by item and outcome (`GET /api/v1/stats/outcomes`).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeStatsDto {
    pub from: String,
    pub to: String,
    /// One row per item version and outcome that occurred, in item, version and declaration order.
    pub rows: Vec<OutcomeCountDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeCountDto {
    /// The item's slug.
    pub item: String,
    pub item_name: String,
    /// The item's version the cases ran under (each version names its outcomes).
    pub version: u32,
    /// The outcome's key (`granted` / `denied` for an item declaring none).
    pub outcome: String,
    /// Its Chinese label.
    pub label: String,
    /// Whether it grants.
    pub grants: bool,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MetricBreakdownDto {
    pub key: String,
    pub name: String,
    pub count: i64,
}

/// One metric with what it is made of and the definition it uses.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetricDto {
    /// `promise_compression`, `promise_compression_days`, `instant_share_items`,
    /// `instant_share_cases`, `full_online_rate`, `online_application_rate`, `claim_rate`,
    /// `publish_rate`, `on_time_rate`, `average_workdays`, `cross_region_cases`, `overdue_open`,
    /// `satisfaction_rate` (好差评, with the count of each grade in `breakdown`).
    pub key: String,
    /// 承诺时限压缩率…
    pub name: String,
    /// A ratio (0-1), an average in working days, or a count; null without data.
    pub value: Option<f64>,
    /// The value as people read it: `37.5%`, `4.2 个工作日`, `3 件`, `无数据`.
    pub display: String,
    pub numerator: i64,
    pub denominator: i64,
    /// `ratio`, `workdays` or `count`.
    pub unit: String,
    /// The definition used, in Chinese, with its source ("工作口径…" for
    /// the working definitions of local 一网通办 assessments).
    pub definition: String,
    /// Counts by class (cross-region classes, 好差评 grades); empty for the others.
    pub breakdown: Vec<MetricBreakdownDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceStatsDto {
    pub from: String,
    pub to: String,
    /// The divisions covered, each with everything below it.
    pub divisions: Vec<String>,
    /// The day the snapshot figures (overdue) were taken.
    pub today: String,
    pub metrics: Vec<MetricDto>,
}

impl MetricDto {
    pub fn from_metric(metric: &Metric) -> MetricDto {
        MetricDto {
            key: metric.key.to_string(),
            name: metric.name.to_string(),
            value: metric.value,
            display: metric.display(),
            numerator: metric.numerator,
            denominator: metric.denominator,
            unit: metric.unit.as_str().to_string(),
            definition: metric.definition.clone(),
            breakdown: metric
                .breakdown
                .iter()
                .map(|(key, name, count)| MetricBreakdownDto { key: key.clone(), name: name.clone(), count: *count })
                .collect(),
        }
    }
}

impl ServiceStatsDto {
    pub fn from_stats(stats: &ServiceStats) -> ServiceStatsDto {
        ServiceStatsDto {
            from: stats.from.to_string(),
            to: stats.to.to_string(),
            divisions: stats.divisions.clone(),
            today: stats.today.to_string(),
            metrics: stats.metrics.iter().map(MetricDto::from_metric).collect(),
        }
    }
}

/// The open cases of one division on the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct DivisionLoadDto {
    pub code: String,
    pub name: String,
    pub open: i64,
    /// 临期: the engine's yellow warning, not yet overdue.
    pub due_soon: i64,
    /// 超期: due date before today (the `overdue_open` metric's test).
    pub overdue: i64,
}

/// One month of the dashboard's trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthLoadDto {
    /// `2021-06`.
    pub month: String,
    pub submitted: i64,
    pub closed: i64,
    /// Closed on time among `with_due` (the `on_time_rate` test).
    pub on_time: i64,
    pub with_due: i64,
}

/// 领导驾驶舱: the service metrics, the open cases by division, and the months of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardDto {
    pub stats: ServiceStatsDto,
    pub divisions: Vec<DivisionLoadDto>,
    pub months: Vec<MonthLoadDto>,
}

impl DashboardDto {
    pub fn from_dashboard(d: &service::dashboard::Dashboard) -> DashboardDto {
        DashboardDto {
            stats: ServiceStatsDto::from_stats(&d.stats),
            divisions: d
                .divisions
                .iter()
                .map(|l| DivisionLoadDto {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    open: l.open,
                    due_soon: l.due_soon,
                    overdue: l.overdue,
                })
                .collect(),
            months: d
                .months
                .iter()
                .map(|m| MonthLoadDto {
                    month: m.month.clone(),
                    submitted: m.submitted,
                    closed: m.closed,
                    on_time: m.on_time,
                    with_due: m.with_due,
                })
                .collect(),
        }
    }
}
