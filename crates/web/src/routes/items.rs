//! The service items in force on a date and their adjustment history: public, no login.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;

use crate::dto::items::{ItemDto, ItemHistoryDto, ItemListDto, ItemVersionDto, ItemsQuery};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppPath, AppQuery};
use crate::AppState;

/// An optional `YYYY-MM-DD` query parameter; a malformed one is 400 `invalid_query`.
pub(crate) fn query_date(field: &str, input: Option<&str>) -> AppResult<Option<NaiveDate>> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| {
            AppError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("查询参数“{field}”应为 YYYY-MM-DD 格式的有效日期"),
            )
            .with_field(field)
        }),
    }
}

/// The catalog in force on a date: one version of each item, with every element of its
/// implementation list.
#[utoipa::path(
    get,
    path = "/api/v1/items",
    tag = "items",
    params(ItemsQuery),
    responses(
        (status = 200, description = "该日施行的事项（每项一个版本）", body = ItemListDto),
        (status = 400, description = "日期格式错误（`invalid_query`）", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<ItemsQuery>,
) -> AppResult<Json<ItemListDto>> {
    let on = state.app.on_or_today(query_date("on", query.on.as_deref())?);
    let items = state.app.items_on(on).into_iter().map(ItemDto::from_item).collect();
    Ok(Json(ItemListDto { on: on.to_string(), items }))
}

/// One item, in the version in force on a date.
#[utoipa::path(
    get,
    path = "/api/v1/items/{slug}",
    tag = "items",
    params(("slug" = String, Path, example = "minimum-living-allowance"), ItemsQuery),
    responses(
        (status = 200, description = "事项", body = ItemDto),
        (status = 400, description = "日期格式错误（`invalid_query`）", body = ErrorBody),
        (status = 404, description = "事项不存在（`item_not_found`），或该日尚未施行（`item_not_in_force`）", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    AppPath(slug): AppPath<String>,
    AppQuery(query): AppQuery<ItemsQuery>,
) -> AppResult<Json<ItemDto>> {
    let on = state.app.on_or_today(query_date("on", query.on.as_deref())?);
    Ok(Json(ItemDto::from_item(state.app.item_on(&slug, on)?)))
}

/// The public adjustment history of an item: every version with its effective date, reason and
/// the document that ordered it.
#[utoipa::path(
    get,
    path = "/api/v1/items/{slug}/history",
    tag = "items",
    params(("slug" = String, Path, example = "standard-place-name-certificate")),
    responses(
        (status = 200, description = "调整记录（最早的在前）", body = ItemHistoryDto),
        (status = 404, description = "事项不存在（`item_not_found`）", body = ErrorBody),
    )
)]
pub async fn history(State(state): State<AppState>, AppPath(slug): AppPath<String>) -> AppResult<Json<ItemHistoryDto>> {
    let versions = state.app.item_history(&slug).await?;
    Ok(Json(ItemHistoryDto { slug, versions: versions.iter().map(ItemVersionDto::from_record).collect() }))
}
