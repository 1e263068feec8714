//! The working-day calendar: public reads (what a day is, deadline arithmetic) and imports of a
//! new version by an administrator.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use domain::calendar::CalendarError;

use crate::dto::{
    CalendarVersionDto, CalendarVersionsDto, DayDto, DeadlineDto, DeadlineQuery, ErrorBody, ImportCalendarDto,
    ImportCalendarRequest,
};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

const WORKDAYS_RULE: &str = "按工作日计算：起算日不计入，自次日起算；周末和法定节假日不计，调休上班日计入\
（《行政许可法》第八十二条、《民法典》第二百零一条）";
const DAYS_RULE: &str = "按自然日计算：起算日不计入；期间最后一日是法定节假日或休息日的，以其后第一个工作日为\
期间最后一日（《民法典》第二百零一条、第二百零三条）";

fn parse_date(field: &str, code: &'static str, input: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::new(StatusCode::BAD_REQUEST, code, format!("日期“{field}”应为 YYYY-MM-DD 格式的有效日期"))
            .with_field(field)
    })
}

fn calendar_error(err: CalendarError, field: &str) -> AppError {
    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, err.code(), err.to_string()).with_field(field)
}

/// What the calendar says about one date.
#[utoipa::path(
    get,
    path = "/api/v1/calendar/days/{date}",
    tag = "calendar",
    params(("date" = String, Path, description = "YYYY-MM-DD", example = "2021-10-01")),
    responses(
        (status = 200, description = "该日情况", body = DayDto),
        (status = 400, description = "日期格式错误", body = ErrorBody),
        (status = 422, description = "该年度节假日安排未载入（`calendar_no_data`）", body = ErrorBody),
    )
)]
pub async fn day(State(state): State<AppState>, AppPath(date): AppPath<String>) -> AppResult<Json<DayDto>> {
    let date = parse_date("date", "invalid_path", &date)?;
    let calendar = state.app.calendar();
    let info = calendar.day(date).map_err(|e| calendar_error(e, "date"))?;
    Ok(Json(DayDto {
        date: date.to_string(),
        is_workday: info.is_workday,
        holiday_name: info.holiday_name.clone(),
        makeup: info.makeup,
        calendar_version: calendar.version().to_string(),
    }))
}

/// The `n`-th working day after `date`.
#[utoipa::path(
    get,
    path = "/api/v1/calendar/add-workdays",
    tag = "calendar",
    params(DeadlineQuery),
    responses(
        (status = 200, description = "期限届满日", body = DeadlineDto),
        (status = 400, description = "参数格式错误", body = ErrorBody),
        (status = 422, description = "所涉年度节假日安排未载入（`calendar_no_data`）", body = ErrorBody),
    )
)]
pub async fn add_workdays(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<DeadlineQuery>,
) -> AppResult<Json<DeadlineDto>> {
    deadline(&state, &query, WORKDAYS_RULE, |calendar, date, n| calendar.add_workdays(date, n))
}

/// `n` natural days after `date`, moved to the next working day if it falls on a day off.
#[utoipa::path(
    get,
    path = "/api/v1/calendar/add-days",
    tag = "calendar",
    params(DeadlineQuery),
    responses(
        (status = 200, description = "期限届满日", body = DeadlineDto),
        (status = 400, description = "参数格式错误", body = ErrorBody),
        (status = 422, description = "所涉年度节假日安排未载入（`calendar_no_data`）", body = ErrorBody),
    )
)]
pub async fn add_days(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<DeadlineQuery>,
) -> AppResult<Json<DeadlineDto>> {
    deadline(&state, &query, DAYS_RULE, |calendar, date, n| calendar.add_days(date, n))
}

fn deadline(
    state: &AppState,
    query: &DeadlineQuery,
    rule: &str,
    compute: impl Fn(&domain::calendar::WorkCalendar, NaiveDate, u32) -> Result<NaiveDate, CalendarError>,
) -> AppResult<Json<DeadlineDto>> {
    let date = parse_date("date", "invalid_query", &query.date)?;
    let calendar = state.app.calendar();
    let result = compute(&calendar, date, query.n).map_err(|e| calendar_error(e, "date"))?;
    Ok(Json(DeadlineDto {
        date: date.to_string(),
        n: query.n,
        result: result.to_string(),
        rule: rule.to_string(),
        calendar_version: calendar.version().to_string(),
    }))
}

/// The version in force and every imported version.
#[utoipa::path(
    get,
    path = "/api/v1/calendar/versions",
    tag = "calendar",
    responses((status = 200, description = "日历版本", body = CalendarVersionsDto))
)]
pub async fn versions(State(state): State<AppState>) -> AppResult<Json<CalendarVersionsDto>> {
    let calendar = state.app.calendar();
    let versions = state.app.calendar_versions().await?;
    Ok(Json(CalendarVersionsDto {
        in_force: calendar.version().to_string(),
        years: calendar.years().iter().copied().collect(),
        versions: versions
            .into_iter()
            .map(|v| CalendarVersionDto {
                years: v.years.split(',').filter_map(|y| y.trim().parse().ok()).collect(),
                version: v.version,
                source: v.source,
                imported_at: crate::dto::timestamp_ms(v.imported_at_ms),
            })
            .collect(),
    }))
}

/// Imports a calendar file as a new version (administrators).
#[utoipa::path(
    post,
    path = "/api/v1/calendar/versions",
    tag = "calendar",
    security(("bearer" = []), ("cookie" = [])),
    request_body = ImportCalendarRequest,
    responses(
        (status = 201, description = "已导入并生效", body = ImportCalendarDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无管理日历的权限", body = ErrorBody),
        (status = 422, description = "文件内容不正确（错误指出行号）或不含任何年度（`calendar_no_years`）；来源文件未填（`source_required`）、过长（`too_long`）或含控制字符（`control_chars`）", body = ErrorBody),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<ImportCalendarRequest>,
) -> AppResult<(StatusCode, Json<ImportCalendarDto>)> {
    let years = state.app.import_calendar(Some(&user.actor), &body.csv, &body.source).await?;
    let version = state.app.calendar().version().to_string();
    Ok((StatusCode::CREATED, Json(ImportCalendarDto { version, years })))
}
