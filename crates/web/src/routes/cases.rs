//! Cases (办件): submit, act, read, list, the record of one case, and the caller's work list.
//! Every rule is the service's and the engine's; a refusal carries the engine's code, its
//! Chinese message and the legal basis.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use service::cases::CaseQuery;

use crate::case_dto::{
    ActionRequest, CaseDto, CaseEventDto, CaseEventListDto, CaseListDto, CaseListQuery, SubmitCaseRequest,
};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// The default page size of lists (the service's).
const DEFAULT_LIMIT: i64 = 50;

/// The revision a client's write on a case was drawn at: required on every write on a case
/// (acts, and every write an area makes on a case: an application, a 公示 posting …), 422 naming
/// the field when missing.
pub(crate) fn required_revision(expected: Option<i64>) -> AppResult<i64> {
    expected.ok_or_else(|| {
        AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "expected_revision_required",
            "缺少办件版本号（expected_revision）：请先读取办件，以其 revision 作为 expected_revision",
        )
        .with_field("expected_revision")
    })
}

/// The `Idempotency-Key` header: 1–128 visible ASCII characters.
pub(crate) fn idempotency_header(headers: &HeaderMap) -> AppResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let text = value.to_str().ok().map(str::trim).filter(|v| !v.is_empty() && v.len() <= 128);
    match text {
        Some(key) => Ok(Some(key.to_string())),
        None => Err(AppError::new(
            StatusCode::BAD_REQUEST,
            "invalid_idempotency_header",
            "Idempotency-Key 请求头须为1至128个可见字符",
        )
        .with_field("Idempotency-Key")),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/cases",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：同一账号以同一键重复提交同一申请，返回原办件（200）；同一键用于内容不同的申请为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`")),
    request_body = SubmitCaseRequest,
    responses(
        (status = 201, description = "已提交（新办件）", body = CaseDto),
        (status = 200, description = "同一幂等键的重复提交：返回原办件", body = CaseDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "窗口提交须为受理地的窗口人员；网上提交须为办事群众", body = ErrorBody),
        (status = 409, description = "幂等键已被其他账号的请求使用（`idempotency_key_reused`）", body = ErrorBody),
        (status = 422, description = "事项、区划、申请人或材料不符合规则（引擎的代码、中文说明与依据）；或幂等键已用于内容不同的申请（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    AppJson(body): AppJson<SubmitCaseRequest>,
) -> AppResult<(StatusCode, Json<CaseDto>)> {
    let input = body.into_input(idempotency_header(&headers)?)?;
    let submitted = state.app.submit_case(&user.actor, &input).await?;
    let status = if submitted.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(CaseDto::from_view(&submitted.view, state.app.divisions()))))
}

#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/actions",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "办件编号（id）"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：应答丢失时以同一键、同一请求体重试，返回首次办理的应答（同一 revision），绝不重复办理；同一键用于不同请求体为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`"),
    ),
    request_body = ActionRequest,
    responses(
        (status = 200, description = "已办理：办件的新状态（同一幂等键的重试：首次办理后的状态）", body = CaseDto),
        (status = 400, description = "请求格式错误（含幂等键格式不正确）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "办件已被办理（`case_conflict`：`state` 当前状态、`revision` 当前版本、`last_act` 最近一次办理的人、操作与时间），或幂等键已为其他账号所用（`idempotency_key_reused`）", body = ErrorBody),
        (status = 422, description = "引擎拒绝：代码、中文说明与法律依据（`basis`）；缺少 `expected_revision`（`expected_revision_required`）；或幂等键已用于不同请求（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActionRequest>,
) -> AppResult<Json<CaseDto>> {
    let key = idempotency_header(&headers)?;
    let expected = required_revision(body.expected_revision)?;
    let action = body.to_action()?;
    let on = body.on()?;
    let view = state.app.act_on_case_dated(&user.actor, id, expected, key.as_deref(), &action, on).await?;
    Ok(Json(CaseDto::from_view(&view, state.app.divisions())))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    responses(
        (status = 200, description = "办件：状态、期限及其说明、可办理的操作", body = CaseDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
    )
)]
pub async fn get(State(state): State<AppState>, user: AuthUser, AppPath(id): AppPath<i64>) -> AppResult<Json<CaseDto>> {
    let view = state.app.case(&user.actor, id).await?;
    let mut dto = CaseDto::from_view(&view, state.app.divisions());
    crate::verticals::case_json(&state, &user, &view, &mut dto).await?;
    Ok(Json(dto))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(CaseListQuery),
    responses(
        (status = 200, description = "管辖范围内的办件（办事群众：本人提交的办件），新者在前", body = CaseListDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查看办件的角色", body = ErrorBody),
        (status = 422, description = "状态、预警、事项或区划不存在，或分页参数超出范围", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<CaseListQuery>,
) -> AppResult<Json<CaseListDto>> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = query.offset.unwrap_or(0);
    let query = CaseQuery {
        state: query.state,
        warning: query.warning,
        item: query.item,
        division: query.division,
        limit: query.limit,
        offset: query.offset,
    };
    let views = state.app.cases(&user.actor, &query).await?;
    let divisions = state.app.divisions();
    Ok(Json(CaseListDto { items: views.iter().map(|v| CaseDto::from_view(v, divisions)).collect(), limit, offset }))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/events",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    responses(
        (status = 200, description = "办件的全过程记录，先者在前", body = CaseEventListDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CaseEventListDto>> {
    let events = state.app.case_events(&user.actor, id).await?;
    Ok(Json(CaseEventListDto { items: events.iter().map(CaseEventDto::from_event).collect() }))
}

#[utoipa::path(
    get,
    path = "/api/v1/my/work",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "待办：当前环节由本人角色办理的未办结办件，最紧急者在前", body = CaseListDto),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn my_work(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<CaseListDto>> {
    let views = state.app.cases_awaiting(&user.actor).await?;
    let divisions = state.app.divisions();
    let n = i64::try_from(views.len()).unwrap_or(i64::MAX);
    Ok(Json(CaseListDto {
        items: views.iter().map(|v| CaseDto::from_view(v, divisions)).collect(),
        limit: n,
        offset: 0,
    }))
}
