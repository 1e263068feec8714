//! Administration: the publication of items per division (认领/发布/撤回), delegations (下放),
//! the simulated clock and the administrator's status. Administrators only; each act is
//! recorded by the service.

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use domain::clock::SimulatedClock;
use service::delegations::DelegationInput;

use crate::dto::items::{
    DelegationDto, DelegationListDto, DelegationQuery, DelegationRequest, PublicationDto, PublicationListDto,
    PublicationQuery, PublicationRequest, RevokeDelegationRequest,
};
use crate::dto::operations::{AdminStatusDto, ClockDto, ClockRequest};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// Claims, publishes or withdraws an item for a division.
#[utoipa::path(
    post,
    path = "/api/v1/admin/items/{slug}/publication",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    params(("slug" = String, Path, example = "minimum-living-allowance")),
    request_body = PublicationRequest,
    responses(
        (status = 200, description = "该事项在该区划的认领、发布状态", body = PublicationDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员，或授权不及该区划", body = ErrorBody),
        (status = 404, description = "事项不存在（`item_not_found`）", body = ErrorBody),
        (status = 409, description = "与当前状态不符（`already_claimed`、`not_claimed`、`already_published`、`not_published`）", body = ErrorBody),
        (status = 422, description = "操作或区划不正确（`unknown_act`、`unknown_division`、`level_not_in_item`）", body = ErrorBody),
    )
)]
pub async fn publication(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(slug): AppPath<String>,
    AppJson(body): AppJson<PublicationRequest>,
) -> AppResult<Json<PublicationDto>> {
    let row = state.app.set_publication(&user.actor, &slug, &body.division, &body.act).await?;
    Ok(Json(PublicationDto::from_row(&row, state.app.divisions())))
}

/// The publication rows of a division, or of every division the administrator reaches.
#[utoipa::path(
    get,
    path = "/api/v1/admin/publications",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    params(PublicationQuery),
    responses(
        (status = 200, description = "认领、发布记录", body = PublicationListDto),
        (status = 400, description = "参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员，或授权不及该区划", body = ErrorBody),
        (status = 422, description = "区划不存在（`unknown_division`）", body = ErrorBody),
    )
)]
pub async fn publications(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<PublicationQuery>,
) -> AppResult<Json<PublicationListDto>> {
    let rows = state.app.publications(&user.actor, query.division.as_deref()).await?;
    let divisions = state.app.divisions();
    Ok(Json(PublicationListDto { items: rows.iter().map(|r| PublicationDto::from_row(r, divisions)).collect() }))
}

/// Delegates the power of an item's step to a lower level for listed divisions (下放).
#[utoipa::path(
    post,
    path = "/api/v1/admin/delegations",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    request_body = DelegationRequest,
    responses(
        (status = 201, description = "已下放（每个区划一条记录）", body = DelegationListDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员，或授权不及所列区划", body = ErrorBody),
        (status = 409, description = "该环节在所列区划已有下放（`delegation_exists`）", body = ErrorBody),
        (status = 422, description = "事项、环节、层级、区划、日期或文号不正确（一次列出全部问题）", body = ErrorBody),
    )
)]
pub async fn grant_delegation(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<DelegationRequest>,
) -> AppResult<(StatusCode, Json<DelegationListDto>)> {
    let input = DelegationInput {
        item: body.item,
        step: body.step,
        to_level: body.to_level,
        divisions: body.divisions,
        from: body.from,
        document: body.document,
    };
    let rows = state.app.grant_delegation(Some(&user.actor), &input).await?;
    let (divisions, today) = (state.app.divisions(), state.app.today());
    let items = rows.iter().map(|r| DelegationDto::from_row(r, divisions, today)).collect();
    Ok((StatusCode::CREATED, Json(DelegationListDto { items })))
}

/// The delegations of the divisions the administrator reaches.
#[utoipa::path(
    get,
    path = "/api/v1/admin/delegations",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    params(DelegationQuery),
    responses(
        (status = 200, description = "下放记录", body = DelegationListDto),
        (status = 400, description = "参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员", body = ErrorBody),
    )
)]
pub async fn delegations(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<DelegationQuery>,
) -> AppResult<Json<DelegationListDto>> {
    let rows = state.app.delegation_list(Some(&user.actor), query.item.as_deref()).await?;
    let (divisions, today) = (state.app.divisions(), state.app.today());
    Ok(Json(DelegationListDto { items: rows.iter().map(|r| DelegationDto::from_row(r, divisions, today)).collect() }))
}

/// Revokes a delegation from a date (today or later): in force until the day before.
#[utoipa::path(
    post,
    path = "/api/v1/admin/delegations/{id}/revoke",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path)),
    request_body = RevokeDelegationRequest,
    responses(
        (status = 200, description = "已收回", body = DelegationDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员，或授权不及该区划", body = ErrorBody),
        (status = 404, description = "下放记录不存在（`delegation_not_found`）", body = ErrorBody),
        (status = 409, description = "已收回（`delegation_already_revoked`）", body = ErrorBody),
        (status = 422, description = "日期不正确或早于今日（`invalid_date`、`revoke_backdated`）", body = ErrorBody),
    )
)]
pub async fn revoke_delegation(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RevokeDelegationRequest>,
) -> AppResult<Json<DelegationDto>> {
    let row = state.app.revoke_delegation(Some(&user.actor), id, &body.from).await?;
    Ok(Json(DelegationDto::from_row(&row, state.app.divisions(), state.app.today())))
}

/// The simulated clock, present only when the server was started with `--simulated-clock`;
/// otherwise the route answers as an unknown one (404 `route_not_found`), before anything else.
pub struct Simulated(pub Arc<SimulatedClock>);

impl FromRequestParts<AppState> for Simulated {
    type Rejection = AppError;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        state.simulated.clone().map(Simulated).ok_or_else(AppError::not_found_route)
    }
}

/// Moves the simulated clock forward (test and demo mode only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/clock",
    tag = "admin",
    security(("bearer" = []), ("cookie" = [])),
    request_body = ClockRequest,
    responses(
        (status = 200, description = "模拟时钟已拨到该时间", body = ClockDto),
        (status = 400, description = "请求格式错误，或时间不是 RFC 3339（`invalid_time`）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员", body = ErrorBody),
        (status = 404, description = "服务器未以 --simulated-clock 启动：此接口不存在（`route_not_found`）", body = ErrorBody),
        (status = 422, description = "只能向前拨（`clock_backwards`），且只能在工作日历已载入的年份内（`clock_outside_calendar`）", body = ErrorBody),
    )
)]
pub async fn set_clock(
    Simulated(clock): Simulated,
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<ClockRequest>,
) -> AppResult<Json<ClockDto>> {
    let to = DateTime::parse_from_rfc3339(body.now.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        AppError::new(
            StatusCode::BAD_REQUEST,
            "invalid_time",
            "时间应为带时区的 RFC 3339 格式，如 2021-10-08T09:00:00+08:00",
        )
        .with_field("now")
    })?;
    let now = state.app.set_simulated_clock(&user.actor, &clock, to).await?;
    Ok(Json(ClockDto { now: crate::dto::timestamp(now) }))
}

/// What the administrator must know: the calendar in force and the calendar-year warning.
#[utoipa::path(
    get,
    path = "/api/v1/admin/status",
    tag = "admin",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "运行状态与提醒", body = AdminStatusDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是管理员", body = ErrorBody),
    )
)]
pub async fn status(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<AdminStatusDto>> {
    let status = state.app.admin_status(&user.actor)?;
    Ok(Json(AdminStatusDto {
        today: status.today.to_string(),
        simulated_clock: state.simulated_now(),
        calendar_version: status.calendar_version,
        calendar_years: status.calendar_years,
        calendar_warning: status.calendar_warning,
    }))
}
