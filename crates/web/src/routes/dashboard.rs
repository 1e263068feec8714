//! 领导驾驶舱 (`/dashboard`, and its figures at `GET /api/v1/stats/dashboard`): the service
//! metrics exactly as `/api/v1/stats/service` gives them, the open cases by division (临期,
//! 超期), cross-region counts and the months of the period, drawn as SVG on the server with the
//! numbers in tables beside the charts. For roles holding the statistics permission (领导 and
//! 系统管理员 first; staff see their own jurisdiction's).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::Json;
use service::dashboard::Dashboard;
use service::stats::{Metric, StatsQuery};

use crate::charts::{bars, Chart};
use crate::dto::operations::{DashboardDto, ServiceStatsQuery};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppQuery, AuthUser, PageUser};
use crate::routes::items::query_date;
use crate::views::{date_zh, render, Layout};
use crate::AppState;

/// The metrics the dashboard puts first, in this order (the four, then 好差评).
pub const HEADLINE: [&str; 5] =
    ["promise_compression", "instant_share_items", "full_online_rate", "on_time_rate", "satisfaction_rate"];

fn stats_query(query: &ServiceStatsQuery) -> AppResult<StatsQuery> {
    Ok(StatsQuery {
        from: query_date("from", query.from.as_deref())?,
        to: query_date("to", query.to.as_deref())?,
        division: query.division.clone(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/stats/dashboard",
    tag = "stats",
    security(("bearer" = []), ("cookie" = [])),
    params(ServiceStatsQuery),
    responses(
        (status = 200, description = "领导驾驶舱：各项指标（同 /api/v1/stats/service）、各区划未办结/临期/超期件数、按月办件量", body = DashboardDto),
        (status = 400, description = "参数格式错误（`invalid_query`）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该区划的指标", body = ErrorBody),
        (status = 422, description = "起始日晚于截止日（`invalid_period`），或区划不存在（`unknown_division`）", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<ServiceStatsQuery>,
) -> AppResult<Json<DashboardDto>> {
    let dashboard = state.app.dashboard(&user.actor, &stats_query(&query)?).await?;
    Ok(Json(DashboardDto::from_dashboard(&dashboard)))
}

/// One row of the metrics table.
pub struct MetricRow {
    pub key: &'static str,
    pub name: &'static str,
    pub display: String,
    pub numerator: i64,
    pub denominator: i64,
    pub definition: String,
}

impl MetricRow {
    fn new(m: &Metric) -> MetricRow {
        MetricRow {
            key: m.key,
            name: m.name,
            display: m.display(),
            numerator: m.numerator,
            denominator: m.denominator,
            definition: m.definition.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub from: String,
    pub to: String,
    pub from_zh: String,
    pub to_zh: String,
    pub today_zh: String,
    /// The division filter: a choice within the jurisdiction (empty: all of it).
    pub division: crate::pickers::DivisionPicker,
    pub scope: String,
    /// The division asked for, as the figures' links carry it (empty: the whole jurisdiction).
    pub division_query: String,
    pub headline: Vec<MetricRow>,
    pub others: Vec<MetricRow>,
    pub d: Dashboard,
    /// (key, name, count) of the cross-region classes and of the 好差评 grades.
    pub cross: Vec<(String, String, i64)>,
    pub grades: Vec<(String, String, i64)>,
    pub months: Vec<MonthRow>,
    pub charts: Vec<Chart>,
}

/// One month of the trend table: `2021-06` as 2021年6月.
pub struct MonthRow {
    pub month: String,
    pub month_zh: String,
    pub submitted: i64,
    pub closed: i64,
    pub on_time: i64,
    pub with_due: i64,
}

fn percent(v: f64) -> String {
    format!("{}%", (v * 10000.0).round() / 100.0)
}

fn count(v: f64) -> String {
    format!("{v:.0}")
}

fn build_charts(d: &Dashboard, headline: &[MetricRow], cross: &[(String, String, i64)]) -> Vec<Chart> {
    let metric = |key: &str| d.stats.metrics.iter().find(|m| m.key == key);
    let ratios: Vec<(String, Vec<Option<f64>>)> =
        headline.iter().filter_map(|row| metric(row.key).map(|m| (row.name.to_string(), vec![m.value]))).collect();
    let counts = |values: &[i64]| values.iter().map(|v| Some(*v as f64)).collect::<Vec<_>>();
    let divisions: Vec<(String, Vec<Option<f64>>)> =
        d.divisions.iter().map(|l| (l.name.clone(), counts(&[l.open, l.due_soon, l.overdue]))).collect();
    let months: Vec<(String, Vec<Option<f64>>)> =
        d.months.iter().map(|m| (month_zh(&m.month), counts(&[m.submitted, m.closed, m.on_time]))).collect();
    let cross: Vec<(String, Vec<Option<f64>>)> =
        cross.iter().map(|(_, name, n)| (name.clone(), counts(&[*n]))).collect();
    vec![
        bars("chart-metrics", "主要指标", &["比率"], &ratios, Some(1.0), percent),
        bars("chart-divisions", "各区划未办结办件", &["未办结", "临期", "超期"], &divisions, None, count),
        bars("chart-cross", "跨区域通办办件量", &["件数"], &cross, None, count),
        bars("chart-months", "按月办件量", &["提交", "办结", "按时办结"], &months, None, count),
    ]
}

/// `2021-06` → 2021年6月.
pub fn month_zh(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{y}年{}月", m.trim_start_matches('0')),
        None => month.to_string(),
    }
}

#[utoipa::path(
    get,
    path = "/dashboard",
    tag = "pages",
    security(("cookie" = [])),
    params(ServiceStatsQuery),
    responses(
        (status = 200, description = "领导驾驶舱：指标、各区划临期与超期、跨区域通办、按月趋势（SVG 图表及数据表）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 400, description = "日期格式错误", content_type = "text/html", body = String),
        (status = 403, description = "无权查看指标", content_type = "text/html", body = String),
    )
)]
pub async fn page(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let param = |name: &str| {
        query.as_deref().and_then(|q| {
            form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string())
        })
    };
    let asked = ServiceStatsQuery {
        from: param("from"),
        to: param("to"),
        division: param("division").filter(|d| !d.is_empty()),
    };
    let stats_query = match stats_query(&asked) {
        Ok(q) => q,
        Err(err) => return err.into_html_for(&user),
    };
    let d = match state.app.dashboard(&user.actor, &stats_query).await {
        Ok(d) => d,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let headline: Vec<MetricRow> =
        HEADLINE.iter().filter_map(|key| d.stats.metrics.iter().find(|m| m.key == *key)).map(MetricRow::new).collect();
    let others = d.stats.metrics.iter().filter(|m| !HEADLINE.contains(&m.key)).map(MetricRow::new).collect();
    let breakdown =
        |key: &str| d.stats.metrics.iter().find(|m| m.key == key).map(|m| m.breakdown.clone()).unwrap_or_default();
    let cross = breakdown("cross_region_cases");
    let grades = breakdown("satisfaction_rate");
    let charts = build_charts(&d, &headline, &cross);
    let months = d
        .months
        .iter()
        .map(|m| MonthRow {
            month: m.month.clone(),
            month_zh: month_zh(&m.month),
            submitted: m.submitted,
            closed: m.closed,
            on_time: m.on_time,
            with_due: m.with_due,
        })
        .collect();
    let divisions = state.app.divisions();
    let scope = d
        .stats
        .divisions
        .iter()
        .map(|c| {
            domain::division::DivisionCode::parse(c)
                .ok()
                .and_then(|code| divisions.full_name(&code))
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join("、");
    let page = DashboardPage {
        layout: Layout::for_user("领导驾驶舱", &user),
        from: d.stats.from.to_string(),
        to: d.stats.to.to_string(),
        from_zh: date_zh(d.stats.from),
        to_zh: date_zh(d.stats.to),
        today_zh: date_zh(d.stats.today),
        division: crate::pickers::DivisionPicker::new(
            divisions,
            &user.actor,
            &crate::pickers::DivisionField::new("division", "统计区划"),
            asked.division.as_deref().unwrap_or_default(),
        ),
        scope,
        division_query: asked.division.clone().unwrap_or_default(),
        headline,
        others,
        cross,
        grades,
        months,
        charts,
        d,
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_the_chinese_way() {
        assert_eq!(month_zh("2021-06"), "2021年6月");
        assert_eq!(month_zh("2021-12"), "2021年12月");
    }
}
