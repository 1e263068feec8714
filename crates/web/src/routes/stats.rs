//! The service metrics (政务服务指标) for staff, over their jurisdiction.

use axum::extract::State;
use axum::Json;
use service::stats::StatsQuery;

use crate::dto::operations::{ServiceStatsDto, ServiceStatsQuery};
use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppQuery, AuthUser};
use crate::routes::items::query_date;
use crate::AppState;

/// 承诺时限压缩率, 即办件占比, 全程网办率, 网上申请率, 认领率, 发布率, 按时办结率, average working
/// days, cases by cross-region class and overdue open cases: each with its value, numerator,
/// denominator and definition, computed from the records of the caller's jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/stats/service",
    tag = "stats",
    security(("bearer" = []), ("cookie" = [])),
    params(ServiceStatsQuery),
    responses(
        (status = 200, description = "各项指标及其口径", body = ServiceStatsDto),
        (status = 400, description = "参数格式错误（`invalid_query`）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该区划的指标", body = ErrorBody),
        (status = 422, description = "起始日晚于截止日（`invalid_period`），或区划不存在（`unknown_division`）", body = ErrorBody),
    )
)]
pub async fn service(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<ServiceStatsQuery>,
) -> AppResult<Json<ServiceStatsDto>> {
    let query = StatsQuery {
        from: query_date("from", query.from.as_deref())?,
        to: query_date("to", query.to.as_deref())?,
        division: query.division,
    };
    let stats = state.app.service_stats(Some(&user.actor), &query).await?;
    Ok(Json(ServiceStatsDto::from_stats(&stats)))
}
