//! `GET /healthz`: the process answers and the database too.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use crate::dto::{ErrorBody, HealthDto};
use crate::error::{AppError, AppResult};
use crate::AppState;

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "服务与数据库正常", body = HealthDto),
        (status = 503, description = "数据库不可用", body = ErrorBody),
    )
)]
pub async fn check(State(state): State<AppState>) -> AppResult<Json<HealthDto>> {
    // A failing store was logged by the service where the error arose.
    state
        .app
        .ping()
        .await
        .map_err(|_| AppError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", "数据库暂时不可用"))?;
    Ok(Json(HealthDto { status: "ok".to_string(), simulated_clock: state.simulated_now() }))
}
