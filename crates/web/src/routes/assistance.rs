//! Social assistance over HTTP: households, a case's application facts, the stored decision and
//! the monthly payment roll. Thin: every rule and check is in `service::assistance`.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use service::assistance::PaymentRollView;

use crate::dto::assistance::{
    ApplicationDto, ApplicationListDto, ApplicationRequest, CreateHouseholdRequest, DecisionDto, HouseholdDto,
    HouseholdVersionRequest, PaymentRollDto, RecheckListDto, RecheckQuery, RollQuery,
};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser, PageUser};
use crate::views::{render_status, Layout};
use crate::AppState;

/// Registers a household (members are persons on record) with its first dated version.
#[utoipa::path(
    post,
    path = "/api/v1/assistance/households",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreateHouseholdRequest,
    responses(
        (status = 201, description = "已登记", body = HouseholdDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "输入不符合规则（列出全部问题）", body = ErrorBody),
    )
)]
pub async fn create_household(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreateHouseholdRequest>,
) -> AppResult<(StatusCode, Json<HouseholdDto>)> {
    let view = state.app.create_household(&user.actor, &body.into_input()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// A household with every dated version (members masked).
#[utoipa::path(
    get,
    path = "/api/v1/assistance/households/{id}",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "家庭编号")),
    responses(
        (status = 200, description = "家庭及其各时期情况", body = HouseholdDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "家庭不存在", body = ErrorBody),
    )
)]
pub async fn household(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<HouseholdDto>> {
    Ok(Json(state.app.household(&user.actor, id).await?.into()))
}

/// A change of the household (members, income, assets) from a later date; earlier versions stay.
#[utoipa::path(
    post,
    path = "/api/v1/assistance/households/{id}/versions",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "家庭编号")),
    request_body = HouseholdVersionRequest,
    responses(
        (status = 201, description = "已登记新的家庭情况", body = HouseholdDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "家庭不存在", body = ErrorBody),
        (status = 422, description = "输入不符合规则（列出全部问题）", body = ErrorBody),
    )
)]
pub async fn add_version(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<HouseholdVersionRequest>,
) -> AppResult<(StatusCode, Json<HouseholdDto>)> {
    let view = state.app.add_household_version(&user.actor, id, &body.into_input()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Records what an assistance case asks for: household, program, facts (once per case).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assistance-application",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    request_body = ApplicationRequest,
    responses(
        (status = 201, description = "已登记救助申请信息（近亲属申请注明单独登记备案）", body = ApplicationDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "本件已登记（`application_exists`）", body = ErrorBody),
        (status = 422, description = "输入不符合规则（列出全部问题）", body = ErrorBody),
    )
)]
pub async fn register_application(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ApplicationRequest>,
) -> AppResult<(StatusCode, Json<ApplicationDto>)> {
    let view = state.app.register_assistance_application(&user.actor, id, &body.into_input()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The decision stored with the case's decide act: rule version, inputs, trace, amount, authority.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/assistance-decision",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    responses(
        (status = 200, description = "救助决定及其依据、计算过程", body = DecisionDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在或尚未决定", body = ErrorBody),
    )
)]
pub async fn decision(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<DecisionDto>> {
    Ok(Json(state.app.assistance_decision(&user.actor, id).await?.into()))
}

/// Applications by relatives of caseworkers or village cadres (单独登记备案) in the jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/assistance/flagged",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "单独登记备案的申请", body = ApplicationListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查看权限", body = ErrorBody),
    )
)]
pub async fn flagged(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<ApplicationListDto>> {
    let items = state.app.flagged_assistance_applications(&user.actor).await?;
    Ok(Json(ApplicationListDto { items: items.into_iter().map(Into::into).collect() }))
}

/// The payment roll (发放花名册) of a county for a month, from the stored decisions.
#[utoipa::path(
    get,
    path = "/api/v1/assistance/payment-roll",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(RollQuery),
    responses(
        (status = 200, description = "花名册：名单、分项目合计、较上月变动", body = PaymentRollDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "县或月份无效", body = ErrorBody),
    )
)]
pub async fn payment_roll(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<RollQuery>,
) -> AppResult<Json<PaymentRollDto>> {
    Ok(Json(state.app.payment_roll(&user.actor, &query.county, &query.month).await?.into()))
}

/// 低保 households due for their periodic re-check (动态管理: yearly, or every six months with members
/// able to work).
#[utoipa::path(
    get,
    path = "/api/v1/assistance/rechecks-due",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(RecheckQuery),
    responses(
        (status = 200, description = "到期应核查的低保家庭", body = RecheckListDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "县或日期无效", body = ErrorBody),
    )
)]
pub async fn rechecks_due(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<RecheckQuery>,
) -> AppResult<Json<RecheckListDto>> {
    let items = state.app.rechecks_due(&user.actor, &query.county, &query.on).await?;
    Ok(Json(RecheckListDto { items: items.into_iter().map(Into::into).collect() }))
}

/// The payment roll as an Excel file (花名册、分项目合计、较上月变动; the export is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/assistance/payment-roll.xlsx",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(RollQuery),
    responses(
        (status = 200, description = "xlsx 文件（身份证号码按导出人权限脱敏或完整）",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "县或月份无效", body = ErrorBody),
    )
)]
pub async fn payment_roll_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<RollQuery>,
) -> AppResult<impl IntoResponse> {
    let (name, bytes) = state.app.payment_roll_xlsx(&user.actor, &query.county, &query.month).await?;
    let headers = [
        (header::CONTENT_TYPE, XLSX.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    Ok((headers, bytes))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ---------------------------------------------------------------------------------------------
// The payment roll page

#[derive(Template)]
#[template(path = "payment_roll.html")]
pub struct PaymentRollPage {
    pub layout: Layout,
    pub county: String,
    pub month: String,
    pub message: Option<String>,
    pub roll: Option<PaymentRollView>,
}

/// The roll as a page, with the Excel download; the form when no county and month are given.
#[utoipa::path(
    get,
    path = "/assistance/payment-roll",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("county" = Option<String>, Query, description = "县级区划代码"),
        ("month" = Option<String>, Query, description = "YYYY-MM"),
    ),
    responses(
        (status = 200, description = "花名册页面", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 422, description = "县或月份无效：表单与提示", content_type = "text/html", body = String),
    )
)]
pub async fn roll_page(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let param = |name: &str| {
        query
            .as_deref()
            .and_then(|q| {
                form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    let (county, month) = (param("county"), param("month"));
    let page = |status: StatusCode, message: Option<String>, roll: Option<PaymentRollView>| {
        let layout = Layout::for_user("发放花名册", &user);
        render_status(status, &PaymentRollPage { layout, county: county.clone(), month: month.clone(), message, roll })
    };
    if county.is_empty() && month.is_empty() {
        return page(StatusCode::OK, None, None);
    }
    match state.app.payment_roll(&user.actor, &county, &month).await {
        Ok(roll) => page(StatusCode::OK, None, Some(roll)),
        Err(err) if err.kind == service::ErrorKind::Invalid => {
            let message = err.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("；");
            page(StatusCode::UNPROCESSABLE_ENTITY, Some(message), None)
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}
