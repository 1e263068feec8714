//! The area's JSON API: a person's marital status and registrations, and the registration
//! statistics.

use axum::extract::State;
use axum::Json;

use super::dto::{MaritalStatusDto, MarriageStatsDto, MarriageStatsQuery};
use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppPath, AppQuery, AuthUser};
use crate::routes::items::query_date;
use crate::AppState;

/// One person's marital status and registrations (the read is recorded on the person's record).
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/marital-status",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "人员编号")),
    responses(
        (status = 200, description = "婚姻状况及登记记录", body = MaritalStatusDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "人员不存在", body = ErrorBody),
    )
)]
pub async fn marital_status(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<MaritalStatusDto>> {
    let view = state.app.marital_status(&user.actor, id).await?;
    Ok(Json(MaritalStatusDto::from_view(view)))
}

/// 婚姻登记统计 over the caller's statistics grant: registrations by type, office and month, split
/// 本地 / 跨区县 / 跨地市 / 跨省 by the nearer party's 户籍地, with the rule stated.
#[utoipa::path(
    get,
    path = "/api/v1/stats/marriage",
    tag = "stats",
    // The name it had in the document before it moved into the area.
    operation_id = "marriage",
    security(("bearer" = []), ("cookie" = [])),
    params(MarriageStatsQuery),
    responses(
        (status = 200, description = "婚姻登记统计及口径", body = MarriageStatsDto),
        (status = 400, description = "参数格式错误（`invalid_query`）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看统计", body = ErrorBody),
        (status = 422, description = "起始日晚于截止日（`invalid_period`）", body = ErrorBody),
    )
)]
pub async fn statistics(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<MarriageStatsQuery>,
) -> AppResult<Json<MarriageStatsDto>> {
    let to = query_date("to", query.to.as_deref())?.unwrap_or_else(|| state.app.today());
    let from = query_date("from", query.from.as_deref())?
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to));
    let stats = state.app.marriage_statistics(&user.actor, from, to).await?;
    Ok(Json(MarriageStatsDto::from_stats(&stats)))
}
