//! Person records. Lists and single reads are masked; the full record is its own route, and the
//! service records every read. A search by ID number travels in a POST body, never in a URL.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::person::PersonInput;
use service::persons::PersonQuery;

use crate::dto::{
    CreatePersonRequest, DeathDto, ErrorBody, PersonDto, PersonFullDto, PersonListDto, PersonListQuery,
    PersonSearchRequest, RecordDeathRequest,
};
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// The default page size of lists (the service's).
const DEFAULT_LIMIT: i64 = 50;

#[utoipa::path(
    post,
    path = "/api/v1/persons",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreatePersonRequest,
    responses(
        (status = 201, description = "已登记（脱敏）", body = PersonDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 409, description = "该身份证号码已登记（`person_exists`）", body = ErrorBody),
        (status = 422, description = "输入不符合规则（列出全部问题）", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreatePersonRequest>,
) -> AppResult<(StatusCode, Json<PersonDto>)> {
    let input = PersonInput {
        name: body.name,
        id_number: body.id_number,
        phone: body.phone,
        address: body.address,
        division: body.division,
    };
    let person = state.app.create_person(&user.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(PersonDto::from_summary(&person, state.app.divisions()))))
}

/// Persons in the caller's jurisdiction, masked.
#[utoipa::path(
    get,
    path = "/api/v1/persons",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    params(PersonListQuery),
    responses(
        (status = 200, description = "人员列表（脱敏）", body = PersonListDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查看人员的权限", body = ErrorBody),
        (status = 422, description = "分页参数超出范围", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<PersonListQuery>,
) -> AppResult<Json<PersonListDto>> {
    let query = PersonQuery { name: None, id_number: None, limit: query.limit, offset: query.offset };
    find(&state, &user, query).await
}

/// Searches by name and/or ID number (recorded, the ID number masked).
#[utoipa::path(
    post,
    path = "/api/v1/persons/search",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    request_body = PersonSearchRequest,
    responses(
        (status = 200, description = "匹配的人员（脱敏）", body = PersonListDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查看人员的权限", body = ErrorBody),
        (status = 422, description = "身份证号码格式不正确，或分页参数超出范围", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<PersonSearchRequest>,
) -> AppResult<Json<PersonListDto>> {
    let query = PersonQuery { name: body.name, id_number: body.id_number, limit: body.limit, offset: body.offset };
    find(&state, &user, query).await
}

async fn find(state: &AppState, user: &AuthUser, query: PersonQuery) -> AppResult<Json<PersonListDto>> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = query.offset.unwrap_or(0);
    let found = state.app.persons(&user.actor, &query).await?;
    let divisions = state.app.divisions();
    Ok(Json(PersonListDto {
        items: found.iter().map(|p| PersonDto::from_summary(p, divisions)).collect(),
        limit,
        offset,
    }))
}

/// One person, masked (the read is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "人员编号")),
    responses(
        (status = 200, description = "人员（脱敏）", body = PersonDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "人员不存在", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<PersonDto>> {
    let person = state.app.person(&user.actor, id).await?;
    Ok(Json(PersonDto::from_summary(&person, state.app.divisions())))
}

/// One person with ID and phone numbers in clear (the read is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/full",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "人员编号")),
    responses(
        (status = 200, description = "完整记录", body = PersonFullDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内，或角色无权查看完整信息", body = ErrorBody),
        (status = 404, description = "人员不存在", body = ErrorBody),
    )
)]
pub async fn get_full(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<PersonFullDto>> {
    let person = state.app.person_full(&user.actor, id).await?;
    Ok(Json(PersonFullDto::from_full(&person, state.app.divisions())))
}

/// Records a person's death in the marital-status registry from its source document; a spouse
/// is left widowed (丧偶) and may marry again. A clerk or decider of the person's division.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/death",
    tag = "persons",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "人员编号")),
    request_body = RecordDeathRequest,
    responses(
        (status = 201, description = "已记录死亡；配偶（如有）为丧偶", body = DeathDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权记录", body = ErrorBody),
        (status = 404, description = "人员不存在", body = ErrorBody),
        (status = 409, description = "已记录死亡（`already_deceased`），或婚姻状况刚被改变", body = ErrorBody),
        (status = 422, description = "日期或来源文书不符合规则（列出全部问题）", body = ErrorBody),
    )
)]
pub async fn record_death(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RecordDeathRequest>,
) -> AppResult<(StatusCode, Json<DeathDto>)> {
    let input = service::deaths::DeathInput { date: body.date, source_document: body.source_document };
    let recorded = state.app.record_death(&user.actor, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(DeathDto {
            person_id: recorded.person_id,
            date: recorded.date,
            widowed_person_id: recorded.widowed_person_id,
        }),
    ))
}
