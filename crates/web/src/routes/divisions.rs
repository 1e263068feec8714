//! Administrative divisions: public reference data, no login needed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::division::{DivisionCode, Level};

use crate::dto::{DivisionDto, DivisionListDto, DivisionListQuery, DivisionRefDto, ErrorBody};
use crate::error::{AppError, AppResult};
use crate::extract::{AppPath, AppQuery};
use crate::AppState;

/// A division code from a path or query parameter: a malformed one is 400 naming the parameter.
pub(crate) fn parse_code(field: &str, input: &str) -> AppResult<DivisionCode> {
    DivisionCode::parse(input.trim())
        .map_err(|e| AppError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string()).with_field(field))
}

fn unknown(code: &DivisionCode) -> AppError {
    AppError::new(StatusCode::NOT_FOUND, "division_not_found", format!("行政区划代码“{code}”不存在"))
}

/// The children of `parent`, or the provinces.
#[utoipa::path(
    get,
    path = "/api/v1/divisions",
    tag = "divisions",
    params(DivisionListQuery),
    responses(
        (status = 200, description = "下级行政区划", body = DivisionListDto),
        (status = 400, description = "代码格式错误", body = ErrorBody),
        (status = 404, description = "上级行政区划不存在", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<DivisionListQuery>,
) -> AppResult<Json<DivisionListDto>> {
    let divisions = state.app.divisions();
    let items = match query.parent.as_deref() {
        Some(parent) => {
            let code = parse_code("parent", parent)?;
            if divisions.get(&code).is_none() {
                return Err(unknown(&code).with_field("parent"));
            }
            divisions.children(&code).into_iter().map(DivisionRefDto::from_division).collect()
        }
        None => divisions.iter().filter(|d| d.level == Level::Province).map(DivisionRefDto::from_division).collect(),
    };
    Ok(Json(DivisionListDto { items }))
}

#[utoipa::path(
    get,
    path = "/api/v1/divisions/{code}",
    tag = "divisions",
    params(("code" = String, Path, description = "6 位或 9 位行政区划代码", example = "511702")),
    responses(
        (status = 200, description = "行政区划", body = DivisionDto),
        (status = 400, description = "代码格式错误", body = ErrorBody),
        (status = 404, description = "行政区划不存在", body = ErrorBody),
    )
)]
pub async fn get(State(state): State<AppState>, AppPath(code): AppPath<String>) -> AppResult<Json<DivisionDto>> {
    let divisions = state.app.divisions();
    let code = parse_code("code", &code)?;
    let division = divisions.get(&code).ok_or_else(|| unknown(&code))?;
    Ok(Json(DivisionDto {
        code: division.code.to_string(),
        name: division.name.clone(),
        level: division.level.as_str().to_string(),
        level_name: division.level.name_zh().to_string(),
        full_name: divisions.full_name(&code).unwrap_or_else(|| division.name.clone()),
        parent: division.parent.as_ref().map(ToString::to_string),
        ancestors: divisions.ancestors(&code).into_iter().map(DivisionRefDto::from_division).collect(),
    }))
}
