//! Social assistance over HTTP: households, a case's application facts, the stored decision and
//! the monthly payment roll. Thin: every rule and check is in `service::assistance`.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use service::assistance::PaymentRollView;

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser, PageUser};
use crate::verticals::assistance::dto::{
    ApplicationDto, ApplicationRequest, CreateHouseholdRequest, DecisionDto, HouseholdDto, HouseholdVersionRequest,
    PaymentRollDto, RecheckListDto, RecheckQuery, RollQuery,
};
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
    params(
        ("id" = i64, Path, description = "办件编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：应答丢失时以同一键、同一请求体重试，返回首次的应答，绝不重复写入；同一键用于不同请求为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`"),
    ),
    request_body = ApplicationRequest,
    responses(
        (status = 201, description = "已登记救助申请信息（近亲属申请注明单独登记备案）", body = ApplicationDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "本件已登记（`application_exists`）；`case_conflict`：办件已变化（`revision` 当前版本、`last_act` 最近一次办理的人、操作与时间）；`idempotency_key_reused`：幂等键已为其他账号所用", body = ErrorBody),
        (status = 422, description = "输入不符合规则（列出全部问题）；缺少 `expected_revision`（`expected_revision_required`）；幂等键已用于不同请求（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn register_application(
    State(state): State<AppState>,
    user: AuthUser,
    headers: axum::http::HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ApplicationRequest>,
) -> AppResult<(StatusCode, Json<ApplicationDto>)> {
    let key = crate::routes::cases::idempotency_header(&headers)?;
    let expected = crate::routes::cases::required_revision(body.expected_revision)?;
    let input = body.into_input();
    let view =
        state.app.register_assistance_application_keyed(&user.actor, id, expected, key.as_deref(), &input).await?;
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

/// The payment roll (发放花名册) of a county for a month, from the stored decisions; a township
/// code gives that township's own lines.
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
        (status = 422, description = "区划或月份无效", body = ErrorBody),
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
    let roll = state.app.payment_roll_export(&user.actor, &query.county, &query.month).await?;
    let bytes = super::xlsx::roll_workbook(&roll).map_err(|e| AppError::internal(format!("xlsx: {e}")))?;
    let name = super::xlsx::file_name(&roll);
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
#[template(path = "verticals/assistance/payment_roll.html")]
pub struct PaymentRollPage {
    pub layout: Layout,
    pub county: String,
    /// The county or township, chosen within the jurisdiction.
    pub county_picker: crate::pickers::DivisionPicker,
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
        ("county" = Option<String>, Query, description = "县级或乡镇（街道）区划代码"),
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
        let field = crate::pickers::DivisionField::new("county", "县（市、区）或乡镇（街道）").required();
        let county_picker = crate::pickers::DivisionPicker::new(state.app.divisions(), &user.actor, &field, &county);
        render_status(
            status,
            &PaymentRollPage { layout, county: county.clone(), county_picker, month: month.clone(), message, roll },
        )
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

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeReviewRequest {
    /// The reported change that calls for the re-check (written reasons, 社会救助暂行办法第十三条).
    pub reason: String,
    /// The reviewed case's revision the client saw (required): a case changed since is 409
    /// `case_conflict`.
    #[schema(required = true)]
    pub expected_revision: Option<i64>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChangeReviewDto {
    /// The re-check case opened.
    pub case_id: i64,
    pub number: String,
    pub reviewed_case_id: i64,
}

/// Opens a re-check of a paying 低保 decision outside the periodic cycle, on a reported change; its
/// decision increases, reduces or stops payment (a stop after the 渐退期 when income rose above the line).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assistance-change",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "发放中的低保办件编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：应答丢失时以同一键、同一请求体重试，返回首次的应答，绝不重复写入；同一键用于不同请求为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`"),
    ),
    request_body = ChangeReviewRequest,
    responses(
        (status = 201, description = "已发起调整核查（新办件）", body = ChangeReviewDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "今天已就该决定发起过调整核查；`case_conflict`：办件已变化（`revision` 当前版本、`last_act` 最近一次办理的人、操作与时间）；`idempotency_key_reused`：幂等键已为其他账号所用", body = ErrorBody),
        (status = 422, description = "未写明原因；本件没有发放中的低保决定或已有更新的决定；缺少 `expected_revision`（`expected_revision_required`）；幂等键已用于不同请求（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn open_change_review(
    State(state): State<AppState>,
    user: AuthUser,
    headers: axum::http::HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ChangeReviewRequest>,
) -> AppResult<(StatusCode, Json<ChangeReviewDto>)> {
    let key = crate::routes::cases::idempotency_header(&headers)?;
    let expected = crate::routes::cases::required_revision(body.expected_revision)?;
    let opened = state.app.open_change_review_keyed(&user.actor, id, expected, key.as_deref(), &body.reason).await?;
    let dto =
        ChangeReviewDto { case_id: opened.case_id, number: opened.number, reviewed_case_id: opened.reviewed_case_id };
    Ok((StatusCode::CREATED, Json(dto)))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    /// Why the 户籍地 returns the case (on the termination notice).
    pub reasons: String,
    /// The case's revision the client saw (required): a case changed since is 409 `case_conflict`.
    #[schema(required = true)]
    pub expected_revision: Option<i64>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReturnedDto {
    pub case_id: i64,
    pub received_on: String,
    /// The last day of the 3 working days from receipt.
    pub due: String,
    pub on_time: bool,
}

/// Returns a case received from another place to the accepting place with written reasons (before
/// any decision; the 户籍地 county's decider), within 3 working days of receipt.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assistance-return",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "办件编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：应答丢失时以同一键、同一请求体重试，返回首次的应答，绝不重复写入；同一键用于不同请求为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`"),
    ),
    request_body = ReturnRequest,
    responses(
        (status = 200, description = "已退回受理地", body = ReturnedDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权终止办理", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "`case_conflict`：办件已变化（`revision` 当前版本、`last_act` 最近一次办理的人、操作与时间）；`idempotency_key_reused`：幂等键已为其他账号所用", body = ErrorBody),
        (status = 422, description = "未写明理由；非异地受理、尚未接收或已作出决定；缺少 `expected_revision`（`expected_revision_required`）；幂等键已用于不同请求（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn return_received(
    State(state): State<AppState>,
    user: AuthUser,
    headers: axum::http::HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReturnRequest>,
) -> AppResult<Json<ReturnedDto>> {
    let key = crate::routes::cases::idempotency_header(&headers)?;
    let expected = crate::routes::cases::required_revision(body.expected_revision)?;
    let r = state.app.return_received_case_keyed(&user.actor, id, expected, key.as_deref(), &body.reasons).await?;
    Ok(Json(ReturnedDto {
        case_id: r.view.case.id,
        received_on: r.received_on.to_string(),
        due: r.due.to_string(),
        on_time: r.on_time,
    }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReceivedQuery {
    /// A county code, e.g. 511702.
    pub county: String,
    /// YYYY-MM-DD, included.
    pub from: String,
    /// YYYY-MM-DD, included.
    pub to: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = AssistanceReceivedDto)]
pub struct ReceivedDto {
    pub received: usize,
    pub completed: usize,
    pub returned: usize,
    pub returned_on_time: usize,
    pub open: usize,
}

/// The assistance cases a county received from outside the province in a period: completed,
/// returned (and within the limit), still open.
#[utoipa::path(
    get,
    path = "/api/v1/assistance/received-from-other-provinces",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(ReceivedQuery),
    responses(
        (status = 200, description = "跨省通办接收件：办结、退回、在办", body = ReceivedDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "县或日期无效", body = ErrorBody),
    )
)]
pub async fn received_from_other_provinces(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ReceivedQuery>,
) -> AppResult<Json<ReceivedDto>> {
    let c = state.app.received_from_other_provinces(&user.actor, &q.county, &q.from, &q.to).await?;
    Ok(Json(ReceivedDto {
        received: c.received,
        completed: c.completed,
        returned: c.returned,
        returned_on_time: c.returned_on_time,
        open: c.open,
    }))
}
