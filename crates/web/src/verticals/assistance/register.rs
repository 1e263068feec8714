//! The separate register (单独登记备案) of applications by relatives of caseworkers or village cadres,
//! and the county's home visit that such a case needs before it is decided (社会救助暂行办法; 民发〔2021〕57号 低保 step
//! 1). Thin: the rules are `service::assistance_register`.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use service::assistance_register::{HomeVisitInput, HomeVisitView, RegisterEntry};
use utoipa::ToSchema;

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AuthUser, PagePath, PagePost, PageUser};
use crate::routes::work::redirect;
use crate::views::{render_status, Layout};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterEntryDto {
    pub case_id: i64,
    pub case_number: String,
    pub household_id: i64,
    pub program: String,
    pub program_name: String,
    /// Masked (张*).
    pub applicant_name: String,
    /// Masked.
    pub applicant_id_number: String,
    /// Why it is registered separately.
    pub flag: String,
    pub registered_on: String,
    /// The county's latest home visit, if any: until then the case cannot be decided.
    pub visited_on: Option<String>,
}

impl From<RegisterEntry> for RegisterEntryDto {
    fn from(e: RegisterEntry) -> RegisterEntryDto {
        RegisterEntryDto {
            case_id: e.case_id,
            case_number: e.case_number,
            household_id: e.household_id,
            program: e.program,
            program_name: e.program_name,
            applicant_name: e.applicant_name_masked,
            applicant_id_number: e.applicant_id_masked,
            flag: e.flag,
            registered_on: e.registered_on,
            visited_on: e.visited_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterDto {
    pub items: Vec<RegisterEntryDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HomeVisitRequest {
    /// YYYY-MM-DD, not before the application, not after today.
    pub visited_on: String,
    /// What the visit found.
    pub findings: String,
    /// The case's revision the client saw (required): a case changed since is 409 `case_conflict`.
    #[schema(required = true)]
    pub expected_revision: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HomeVisitDto {
    pub case_id: i64,
    pub visited_on: String,
    pub division: String,
    pub division_name: String,
    pub visitor: String,
    pub findings: String,
}

impl From<HomeVisitView> for HomeVisitDto {
    fn from(v: HomeVisitView) -> HomeVisitDto {
        HomeVisitDto {
            case_id: v.case_id,
            visited_on: v.visited_on,
            division: v.division,
            division_name: v.division_name,
            visitor: v.visitor,
            findings: v.findings,
        }
    }
}

/// The register of applications by relatives of caseworkers or village cadres (单独登记备案), for
/// the county's staff, within their jurisdiction; applicants masked, each line a recorded read.
#[utoipa::path(
    get,
    path = "/api/v1/assistance/relatives-register",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "单独登记备案的申请（申请人已脱敏）", body = RegisterDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅县级及以上民政工作人员可查看", body = ErrorBody),
    )
)]
pub async fn register(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<RegisterDto>> {
    let items = state.app.relatives_register(&user.actor).await?;
    Ok(Json(RegisterDto { items: items.into_iter().map(Into::into).collect() }))
}

/// Records the county's home visit (入户调查) of an assistance case.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assistance-home-visit",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "办件编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：应答丢失时以同一键、同一请求体重试，返回首次的应答，绝不重复写入；同一键用于不同请求为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`"),
    ),
    request_body = HomeVisitRequest,
    responses(
        (status = 201, description = "已登记入户调查", body = HomeVisitDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "非本件管辖的县级民政工作人员", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "`case_conflict`：办件已变化（`revision` 当前版本、`last_act` 最近一次办理的人、操作与时间）；`idempotency_key_reused`：幂等键已为其他账号所用", body = ErrorBody),
        (status = 422, description = "日期或调查情况无效；本件未登记救助申请；缺少 `expected_revision`（`expected_revision_required`）；幂等键已用于不同请求（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn record_visit(
    State(state): State<AppState>,
    user: AuthUser,
    headers: axum::http::HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<HomeVisitRequest>,
) -> AppResult<(StatusCode, Json<HomeVisitDto>)> {
    let key = crate::routes::cases::idempotency_header(&headers)?;
    let expected = crate::routes::cases::required_revision(body.expected_revision)?;
    let input = HomeVisitInput { visited_on: body.visited_on, findings: body.findings };
    let view = state.app.record_home_visit_keyed(&user.actor, id, expected, key.as_deref(), &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

#[derive(Template)]
#[template(path = "verticals/assistance/relatives_register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub message: Option<String>,
    pub done: bool,
    pub entries: Vec<RegisterEntry>,
    /// The home-visit forms' idempotency key (with the case id): a form sent twice is applied once.
    pub form_key: String,
}

async fn page(state: &AppState, user: &AuthUser, status: StatusCode, message: Option<String>, done: bool) -> Response {
    match state.app.relatives_register(&user.actor).await {
        Ok(entries) => {
            let layout = Layout::for_user("近亲属申请单独登记备案", user);
            let csrf_token = user.csrf_token.clone();
            let form_key = crate::routes::apply::fresh_key();
            render_status(status, &RegisterPage { layout, csrf_token, message, done, entries, form_key })
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// The register as a page, with a home-visit form on each case not yet visited.
#[utoipa::path(
    get,
    path = "/assistance/relatives-register",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "单独登记备案名册", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "仅县级及以上民政工作人员可查看", content_type = "text/html", body = String),
    )
)]
pub async fn register_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let done = query.as_deref().is_some_and(|q| q.contains("done=visit"));
    page(&state, &user, StatusCode::OK, None, done).await
}

/// The home-visit form of one case on the register page.
#[utoipa::path(
    post,
    path = "/assistance/relatives-register/{id}/visits",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision（页面所见的办件版本号，必填）, idempotency_key（幂等键：重复提交只写入一次）, visited_on, findings"),
    responses(
        (status = 303, description = "已登记：回到名册"),
        (status = 403, description = "非本件管辖的县级民政工作人员或表单已过期", content_type = "text/html", body = String),
        (status = 409, description = "办件已被他人办理或变化：页面显示当前状态与最近一次办理", content_type = "text/html", body = String),
        (status = 422, description = "输入有误：名册页面与提示", content_type = "text/html", body = String),
    )
)]
pub async fn visit_form(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = HomeVisitInput { visited_on: post.one("visited_on"), findings: post.one("findings") };
    let user = &post.user;
    let result = match crate::verticals::assistance::pages::form_write(&post.fields) {
        Ok((expected, key)) => {
            state.app.record_home_visit_keyed(&user.actor, id, expected, key.as_deref(), &input).await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => redirect("/assistance/relatives-register?done=visit"),
        Err(err) if matches!(err.kind, service::ErrorKind::Invalid | service::ErrorKind::Conflict) => {
            let message = if err.problems.is_empty() {
                err.message.clone()
            } else {
                err.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("；")
            };
            let status = AppError::from(err).status;
            page(&state, user, status, Some(message), false).await
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}
