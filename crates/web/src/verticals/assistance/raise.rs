//! 提标 for the county (`service::assistance_raise`): the batch of paying decisions under a raised
//! standard, `GET /api/v1/assistance/standard-raise` and the page `/assistance/standard-raise`, and
//! the confirmation of one household's adjustment as one act,
//! `POST /api/v1/assistance/standard-raise/confirm` and the page's form.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use service::assistance_raise::{RaiseBatchView, RaiseLineView};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppQuery, AuthUser, PagePost, PageUser};
use crate::views::{render_status, Layout};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RaiseQuery {
    /// A county code, e.g. 511702.
    pub county: String,
    /// The raised rule version (救助标准版本), e.g. 511700-2021-07.
    pub rule_version: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseConfirmRequest {
    pub county: String,
    pub rule_version: String,
    /// The case whose paying decision is adjusted.
    pub case_id: i64,
    /// The new monthly amount the decider reviewed, in fen (409 `raise_changed` if the evaluation
    /// now gives another).
    pub amount_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RaiseLineDto {
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub program_name: String,
    pub payee: i64,
    pub name: String,
    pub before_fen: i64,
    pub before_yuan: String,
    pub amount_fen: i64,
    pub amount_yuan: String,
    /// YYYY-MM: the new amount is paid from this month.
    pub from_month: String,
    /// The evaluation under the new version, ending with the adjustment's line.
    pub trace: Vec<String>,
    /// Why the line cannot be confirmed in the batch (an individual re-check is needed).
    pub reasons: Vec<String>,
    pub confirmable: bool,
    /// YYYY-MM-DD, once confirmed.
    pub confirmed_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RaiseBatchDto {
    pub county: String,
    pub county_name: String,
    pub rule_version: String,
    pub rule_document: String,
    pub effective_from: String,
    pub items: Vec<RaiseLineDto>,
}

impl From<RaiseLineView> for RaiseLineDto {
    fn from(l: RaiseLineView) -> RaiseLineDto {
        RaiseLineDto {
            case_id: l.case_id,
            household_id: l.household_id,
            program: l.program,
            program_name: l.program_name,
            payee: l.payee,
            name: l.name,
            before_fen: l.before_fen,
            before_yuan: l.before_yuan,
            amount_fen: l.amount_fen,
            amount_yuan: l.amount_yuan,
            from_month: l.from_month,
            trace: l.trace,
            reasons: l.reasons,
            confirmable: l.confirmable,
            confirmed_on: l.confirmed_on,
        }
    }
}

impl From<RaiseBatchView> for RaiseBatchDto {
    fn from(b: RaiseBatchView) -> RaiseBatchDto {
        RaiseBatchDto {
            county: b.county,
            county_name: b.county_name,
            rule_version: b.rule_version,
            rule_document: b.rule_document,
            effective_from: b.effective_from,
            items: b.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// 提标: the county's paying decisions made under an earlier standard, each evaluated under the
/// raised version from the month of the raise, and which are confirmed. Records nothing.
#[utoipa::path(
    get,
    path = "/api/v1/assistance/standard-raise",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(RaiseQuery),
    responses(
        (status = 200, description = "提标调整清单：原金额、新金额、执行月份、计算过程", body = RaiseBatchDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是该县的审批人员", body = ErrorBody),
        (status = 422, description = "县或标准版本无效", body = ErrorBody),
    )
)]
pub async fn batch(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<RaiseQuery>,
) -> AppResult<Json<RaiseBatchDto>> {
    Ok(Json(state.app.standard_raise(&user.actor, &query.county, &query.rule_version).await?.into()))
}

/// Confirms one household's adjustment under the raise, as one act (`assistance.standard_raise`).
#[utoipa::path(
    post,
    path = "/api/v1/assistance/standard-raise/confirm",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    request_body = RaiseConfirmRequest,
    responses(
        (status = 201, description = "已确认调整，自提标当月起按新金额发放", body = RaiseLineDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是该县的审批人员", body = ErrorBody),
        (status = 409, description = "已确认（`raise_already_confirmed`），或核算结果已变化（`raise_changed`）", body = ErrorBody),
        (status = 422, description = "县或标准版本无效，本件不在清单中（`not_in_raise`），或须个案核查（`raise_needs_review`）", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<RaiseConfirmRequest>,
) -> AppResult<(StatusCode, Json<RaiseLineDto>)> {
    let line = state
        .app
        .confirm_standard_raise(&user.actor, &body.county, &body.rule_version, body.case_id, body.amount_fen)
        .await?;
    Ok((StatusCode::CREATED, Json(line.into())))
}

#[derive(Template)]
#[template(path = "verticals/assistance/standard_raise.html")]
pub struct RaisePage {
    pub layout: Layout,
    pub csrf_token: String,
    pub county: String,
    /// The county, chosen within the jurisdiction.
    pub county_picker: crate::pickers::DivisionPicker,
    pub rule_version: String,
    /// The standards on file that bear on the user's jurisdiction, as (id, what it is), newest
    /// first: chosen, never typed.
    pub rule_versions: Vec<(String, String)>,
    pub message: Option<String>,
    pub done: bool,
    pub batch: Option<RaiseBatchView>,
}

fn page(
    user: &AuthUser,
    status: StatusCode,
    (county, rule_version): (String, String),
    message: Option<String>,
    done: bool,
    batch: Option<RaiseBatchView>,
) -> Response {
    let layout = Layout::for_user("提标调整", user);
    let csrf_token = user.csrf_token.clone();
    let field = crate::pickers::DivisionField::new("county", "县（市、区）")
        .required()
        .down_to(domain::division::Level::County);
    let county_picker =
        crate::pickers::DivisionPicker::new(domain::division::Divisions::builtin(), &user.actor, &field, &county);
    let divisions = domain::division::Divisions::builtin();
    let roots = crate::pickers::roots(divisions, &user.actor, crate::pickers::PickScope::Jurisdiction);
    let bears = |v: &domain::division::DivisionCode| {
        roots.iter().any(|r| divisions.is_within(&r.code, v) || divisions.is_within(v, &r.code))
    };
    let mut versions: Vec<_> =
        domain::assistance::RuleSet::builtin().versions().iter().filter(|v| bears(&v.division)).collect();
    versions.sort_by(|a, b| (b.effective_from, &b.id).cmp(&(a.effective_from, &a.id)));
    let rule_versions = versions
        .iter()
        .map(|v| {
            let place = divisions.full_name(&v.division).unwrap_or_else(|| v.division.to_string());
            (v.id.clone(), format!("{place}，{}起施行（{}）", crate::views::date_zh(v.effective_from), v.document))
        })
        .collect();
    let page =
        RaisePage { layout, csrf_token, county, county_picker, rule_version, rule_versions, message, done, batch };
    render_status(status, &page)
}

async fn show(state: &AppState, user: &AuthUser, county: String, rule_version: String, done: bool) -> Response {
    if county.is_empty() && rule_version.is_empty() {
        return page(user, StatusCode::OK, (county, rule_version), None, false, None);
    }
    match state.app.standard_raise(&user.actor, &county, &rule_version).await {
        Ok(batch) => page(user, StatusCode::OK, (county, rule_version), None, done, Some(batch)),
        Err(err) if err.kind == service::ErrorKind::Invalid => {
            let message = err.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("；");
            page(user, StatusCode::UNPROCESSABLE_ENTITY, (county, rule_version), Some(message), false, None)
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// The county's 提标 page: the batch with each household's trace and a confirmation per line.
#[utoipa::path(
    get,
    path = "/assistance/standard-raise",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("county" = Option<String>, Query, description = "县级区划代码"),
        ("rule_version" = Option<String>, Query, description = "提标后的救助标准版本"),
    ),
    responses(
        (status = 200, description = "提标调整页面", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是该县的审批人员", content_type = "text/html", body = String),
        (status = 422, description = "县或标准版本无效：表单与提示", content_type = "text/html", body = String),
    )
)]
pub async fn raise_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let param = |name: &str| {
        query
            .as_deref()
            .and_then(|q| {
                form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    show(&state, &user, param("county"), param("rule_version"), param("done") == "1").await
}

/// The page's confirmation of one line (one act), back to the batch.
#[utoipa::path(
    post,
    path = "/assistance/standard-raise/confirm",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, county, rule_version, case_id, amount_fen"),
    responses(
        (status = 303, description = "已确认：转回提标调整页"),
        (status = 403, description = "CSRF 令牌不符，或不是该县的审批人员", content_type = "text/html", body = String),
        (status = 409, description = "已确认，或核算结果已变化：提标调整页与提示", content_type = "text/html", body = String),
        (status = 422, description = "输入无效或本件须个案核查：提标调整页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn confirm_form(State(state): State<AppState>, post: PagePost) -> Response {
    let (county, rule_version) = (post.one("county").trim().to_string(), post.one("rule_version").trim().to_string());
    let user = &post.user;
    let (Ok(case_id), Ok(amount_fen)) =
        (post.one("case_id").trim().parse::<i64>(), post.one("amount_fen").trim().parse::<i64>())
    else {
        let message = Some("办件编号或金额无效".to_string());
        return page(user, StatusCode::UNPROCESSABLE_ENTITY, (county, rule_version), message, false, None);
    };
    match state.app.confirm_standard_raise(&user.actor, &county, &rule_version, case_id, amount_fen).await {
        Ok(_) => {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("county", &county)
                .append_pair("rule_version", &rule_version)
                .append_pair("done", "1")
                .finish();
            Redirect::to(&format!("/assistance/standard-raise?{query}")).into_response()
        }
        Err(err) if matches!(err.kind, service::ErrorKind::Invalid | service::ErrorKind::Conflict) => {
            let status = if err.kind == service::ErrorKind::Conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let message = if err.problems.is_empty() {
                err.message.clone()
            } else {
                err.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("；")
            };
            let batch = state.app.standard_raise(&user.actor, &county, &rule_version).await.ok();
            page(user, status, (county, rule_version), Some(message), false, batch)
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}
