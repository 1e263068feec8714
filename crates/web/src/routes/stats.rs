//! The service metrics (政务服务指标) for staff, over their jurisdiction.

use axum::extract::State;
use axum::Json;
use service::stats::StatsQuery;

use crate::dto::operations::{OutcomeCountDto, OutcomeStatsDto, ServiceStatsDto, ServiceStatsQuery};
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

/// The decided cases of the period counted by the outcome each recorded, per item (予以公开,
/// 部分公开, 信息不存在…, as each item declares them; 准予 / 不予准予 for an item declaring
/// none), over the caller's jurisdiction: the same period, divisions and permission as the
/// service metrics.
#[utoipa::path(
    get,
    path = "/api/v1/stats/outcomes",
    tag = "stats",
    security(("bearer" = []), ("cookie" = [])),
    params(ServiceStatsQuery),
    responses(
        (status = 200, description = "按事项、办理结果统计的办结件数", body = OutcomeStatsDto),
        (status = 400, description = "参数格式错误（`invalid_query`）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该区划的统计", body = ErrorBody),
        (status = 422, description = "起始日晚于截止日（`invalid_period`），或区划不存在（`unknown_division`）", body = ErrorBody),
    )
)]
pub async fn outcomes(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<ServiceStatsQuery>,
) -> AppResult<Json<OutcomeStatsDto>> {
    let query = StatsQuery {
        from: query_date("from", query.from.as_deref())?,
        to: query_date("to", query.to.as_deref())?,
        division: query.division,
    };
    let stats = state.app.outcome_stats(Some(&user.actor), &query).await?;
    Ok(Json(OutcomeStatsDto {
        from: stats.from.to_string(),
        to: stats.to.to_string(),
        rows: stats
            .rows
            .into_iter()
            .map(|r| OutcomeCountDto {
                item: r.item_slug,
                item_name: r.item_name,
                version: r.item_version,
                outcome: r.outcome,
                label: r.label,
                grants: r.grants,
                count: r.count,
            })
            .collect(),
    }))
}
