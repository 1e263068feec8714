//! The JSON API of 政府信息公开 依申请公开 under `/api/v1/disclosure/…`. Thin: each handler
//! parses with the same domain parser as the pages, calls the service and converts to a DTO.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use domain::verticals::disclosure::{codes, AnswerInput, RemedyInput, Stage, StepInput};
use serde::{Deserialize, Serialize};
use service::verticals::disclosure::{DisclosureLine, DisclosureView, ReportView};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisclosureStepBody)]
pub struct StepBody {
    /// correction_notice | corrected | extension | consultation_start | consultation_end
    pub kind: String,
    /// YYYY-MM-DD
    pub on: String,
    /// YYYY-MM-DD: the last day to correct (correction_notice).
    pub until: Option<String>,
    /// 1–20 (extension).
    pub workdays: Option<u32>,
    /// What to correct; who approved the extension and why; the third party consulted.
    pub note: Option<String>,
    /// The request's revision the client saw: a request changed since is 409 `disclosure_conflict`.
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// already_public | disclosed | partial | withheld | not_existing | not_this_organ | needs_creation |
    /// unclear_after_correction | repeat | petition | publication | excessive | reissue | abandoned |
    /// fee_unpaid | other
    pub kind: String,
    /// For withheld and partial: state_secret | prohibited_by_law | security | third_party_rights |
    /// internal_affairs | process_information | enforcement_file | administrative_query
    pub withhold_reason: Option<String>,
    pub details: Option<String>,
    /// YYYY-MM-DD
    pub answered_on: String,
    /// 第四十二条: whether an information processing fee was charged.
    pub fee_charged: Option<bool>,
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemedyBody {
    /// To record the result of a remedy already recorded.
    pub remedy_id: Option<i64>,
    /// review | suit_direct | suit_after_review
    pub kind: String,
    /// upheld | corrected | other | pending (default pending)
    pub result: Option<String>,
    /// YYYY-MM-DD
    pub filed_on: String,
    pub note: Option<String>,
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1–500, default 50.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The report's year, e.g. 2021.
    pub year: i32,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DisclosureStepDto)]
pub struct StepDto {
    pub kind: String,
    pub name: String,
    pub on: String,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerDto {
    pub kind: String,
    pub name: String,
    pub basis: String,
    pub notice_text: String,
    pub withhold_reason: Option<String>,
    pub details: String,
    pub answered_on: String,
    pub fee_charged: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemedyDto {
    pub id: i64,
    pub kind: String,
    pub kind_name: String,
    pub result: String,
    pub result_name: String,
    pub filed_on: String,
    pub note: String,
}

/// The periods on the day read.
#[derive(Debug, Serialize, ToSchema)]
pub struct LimitsDto {
    /// running | awaiting_correction | correction_lapsed | consulting | answered
    pub stage: String,
    pub stage_name: String,
    /// The last day for a correction notice (第三十条: 7 working days after receipt).
    pub correction_notice_due: String,
    /// The day the answer period counts from (the receipt or the corrected request's receipt).
    pub period_start: Option<String>,
    /// The last day to answer; absent while a correction is awaited or a third party consulted.
    pub answer_due: Option<String>,
    pub extension_workdays: u32,
    /// Working days left after today (0 on the last day, negative once past).
    pub remaining_workdays: Option<i64>,
    /// The last day to correct, while a correction is awaited or lapsed.
    pub correction_until: Option<String>,
    /// The third party's last day (第三十二条: 15 working days), while consulted.
    pub third_party_due: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDto {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub applicant_kind: String,
    pub applicant_name: String,
    /// Masked.
    pub identity: String,
    /// Masked.
    pub contact: String,
    pub address: String,
    pub description: String,
    pub form: String,
    pub channel: String,
    pub submitted_on: String,
    pub received_on: String,
    pub limits: LimitsDto,
    pub steps: Vec<StepDto>,
    pub answer: Option<AnswerDto>,
    pub remedies: Vec<RemedyDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DisclosureLineDto)]
pub struct LineDto {
    pub id: i64,
    pub division: String,
    pub applicant_name: String,
    pub description: String,
    pub received_on: String,
    pub answered_on: Option<String>,
    pub limits: LimitsDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DisclosureListDto)]
pub struct ListDto {
    pub items: Vec<LineDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRowDto {
    pub label: String,
    pub level: u8,
    /// 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他.
    pub counts: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemedyCellDto {
    pub group: String,
    pub result: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDto {
    pub year: i32,
    pub columns: Vec<String>,
    /// Section 三: 收到和处理政府信息公开申请情况.
    pub rows: Vec<ReportRowDto>,
    /// Section 四: 政府信息公开行政复议、行政诉讼情况.
    pub remedies: Vec<RemedyCellDto>,
}

fn limits_dto(limits: &domain::verticals::disclosure::Limits) -> LimitsDto {
    let (stage, correction_until, third_party_due) = match limits.stage {
        Stage::Running => ("running", None, None),
        Stage::AwaitingCorrection { until } => ("awaiting_correction", Some(until), None),
        Stage::CorrectionLapsed { until } => ("correction_lapsed", Some(until), None),
        Stage::Consulting { third_party_due, .. } => ("consulting", None, Some(third_party_due)),
        Stage::Answered { .. } => ("answered", None, None),
    };
    LimitsDto {
        stage: stage.into(),
        stage_name: limits.stage.name_zh().into(),
        correction_notice_due: limits.correction_notice_due.to_string(),
        period_start: limits.period_start.map(|d| d.to_string()),
        answer_due: limits.answer_due.map(|d| d.to_string()),
        extension_workdays: limits.extension_workdays,
        remaining_workdays: limits.remaining_workdays,
        correction_until: correction_until.map(|d| d.to_string()),
        third_party_due: third_party_due.map(|d| d.to_string()),
    }
}

impl From<DisclosureView> for RequestDto {
    fn from(v: DisclosureView) -> RequestDto {
        let r = &v.full.request;
        RequestDto {
            id: r.id,
            division: r.division.clone(),
            revision: r.revision,
            applicant_kind: r.applicant_kind.as_str().into(),
            applicant_name: r.applicant_name.clone(),
            identity: r.identity_masked.clone(),
            contact: r.contact_masked.clone(),
            address: r.address.clone(),
            description: r.description.clone(),
            form: r.form.as_str().into(),
            channel: r.channel.as_str().into(),
            submitted_on: r.submitted_on.to_string(),
            received_on: r.received_on.to_string(),
            limits: limits_dto(&v.limits),
            steps: v
                .full
                .steps
                .iter()
                .map(|s| StepDto {
                    kind: s.step.kind().into(),
                    name: s.step.name_zh().into(),
                    on: s.step.on().to_string(),
                    note: s.note.clone(),
                })
                .collect(),
            answer: v.full.answer.as_ref().map(|a| AnswerDto {
                kind: a.kind.as_str().into(),
                name: a.kind.name_zh().into(),
                basis: a.kind.basis().into(),
                notice_text: a.kind.notice_text().into(),
                withhold_reason: a.withhold_reason.map(|r| r.as_str().into()),
                details: a.details.clone(),
                answered_on: a.answered_on.to_string(),
                fee_charged: a.fee_charged,
            }),
            remedies: v
                .full
                .remedies
                .iter()
                .map(|m| RemedyDto {
                    id: m.id,
                    kind: m.kind.as_str().into(),
                    kind_name: m.kind.name_zh().into(),
                    result: m.result.as_str().into(),
                    result_name: m.result.name_zh().into(),
                    filed_on: m.filed_on.to_string(),
                    note: m.note.clone(),
                })
                .collect(),
        }
    }
}

impl From<DisclosureLine> for LineDto {
    fn from(l: DisclosureLine) -> LineDto {
        LineDto {
            id: l.request.id,
            division: l.request.division,
            applicant_name: l.request.applicant_name,
            description: l.request.description,
            received_on: l.request.received_on.to_string(),
            answered_on: l.answered_on.map(|d| d.to_string()),
            limits: limits_dto(&l.limits),
        }
    }
}

impl From<ReportView> for ReportDto {
    fn from(v: ReportView) -> ReportDto {
        ReportDto {
            year: v.report.year,
            columns: domain::verticals::disclosure::ApplicantKind::ALL
                .iter()
                .map(|k| k.name_zh().to_string())
                .collect(),
            rows: v
                .report
                .rows
                .iter()
                .map(|r| ReportRowDto {
                    label: r.label.clone(),
                    level: r.level,
                    counts: r.counts.to_vec(),
                    total: r.total(),
                })
                .collect(),
            remedies: v
                .report
                .remedy_columns()
                .into_iter()
                .map(|(group, result, count)| RemedyCellDto { group: group.into(), result: result.into(), count })
                .collect(),
        }
    }
}

impl StepBody {
    pub fn input(&self) -> StepInput {
        StepInput {
            kind: self.kind.clone(),
            on: self.on.clone(),
            until: self.until.clone().unwrap_or_default(),
            workdays: self.workdays.map(|n| n.to_string()).unwrap_or_default(),
            note: self.note.clone().unwrap_or_default(),
        }
    }
}

/// Retired: a new request for government information is a case of the item
/// `government-information-request`, opened by `POST /api/v1/cases` like every other item (its
/// facts in `facts`, its receipt by channel in `data.receipt`). The requests entered here before
/// stay readable and are handled and counted through the routes below.
#[utoipa::path(
    post,
    path = "/api/v1/disclosure/requests",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 410, description = "已停用：新的申请按事项办理，请使用 POST /api/v1/cases（item = government-information-request）；不写入任何内容", body = ErrorBody),
    )
)]
pub async fn create(_user: AuthUser) -> AppError {
    AppError::new(
        StatusCode::GONE,
        codes::DISCLOSURE_REQUEST_MOVED,
        "新的政府信息公开申请按事项“政府信息公开申请”（government-information-request）办理：请使用 POST /api/v1/cases",
    )
}

/// The requests in the caller's jurisdiction, unanswered first, with their periods today.
#[utoipa::path(
    get,
    path = "/api/v1/disclosure/requests",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "申请列表", body = ListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<ListQuery>,
) -> AppResult<Json<ListDto>> {
    let lines = state.app.disclosure_list(&user.actor, query.limit, query.offset).await?;
    Ok(Json(ListDto { items: lines.into_iter().map(Into::into).collect() }))
}

/// One request with its history and its periods today (the read is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/disclosure/requests/{id}",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    responses(
        (status = 200, description = "申请、办理环节、答复与期限", body = RequestDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "申请不存在", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<RequestDto>> {
    Ok(Json(state.app.disclosure_view(&user.actor, id).await?.into()))
}

/// Records a step: the one correction notice (第三十条), the corrected request, the one extension
/// (第三十三条第二款), a third-party consultation's start and end (第三十二条).
#[utoipa::path(
    post,
    path = "/api/v1/disclosure/requests/{id}/steps",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    request_body = StepBody,
    responses(
        (status = 201, description = "已记录，含重新计算的期限", body = RequestDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "申请不存在", body = ErrorBody),
        (status = 409, description = "`disclosure_conflict`：申请已变化", body = ErrorBody),
        (status = 422, description = "该环节此时不合法（`correction_once`、`correction_late`、`extension_once`、`extension_days`、`extension_after_due`、`correction_lapsed`、`consultation_open`…）", body = ErrorBody),
    )
)]
pub async fn step(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<StepBody>,
) -> AppResult<(StatusCode, Json<RequestDto>)> {
    let view = state.app.disclosure_step(&user.actor, id, body.expected_revision, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Records the answer (第三十六条、第三十七条 and the report's other closings).
#[utoipa::path(
    post,
    path = "/api/v1/disclosure/requests/{id}/answer",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    request_body = AnswerBody,
    responses(
        (status = 201, description = "已答复", body = RequestDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "申请不存在", body = ErrorBody),
        (status = 409, description = "`disclosure_conflict`、`disclosure_answered`", body = ErrorBody),
        (status = 422, description = "答复类型、理由或日期不符（`awaiting_correction`、`consultation_open`…）", body = ErrorBody),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<AnswerBody>,
) -> AppResult<(StatusCode, Json<RequestDto>)> {
    let input = AnswerInput {
        kind: body.kind,
        withhold_reason: body.withhold_reason.unwrap_or_default(),
        details: body.details.unwrap_or_default(),
        answered_on: body.answered_on,
        fee_charged: body.fee_charged.unwrap_or(false).to_string(),
    };
    let view = state.app.disclosure_answer(&user.actor, id, body.expected_revision, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Records a 行政复议 or 行政诉讼 against the answer, or its result.
#[utoipa::path(
    post,
    path = "/api/v1/disclosure/requests/{id}/remedies",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    request_body = RemedyBody,
    responses(
        (status = 201, description = "已记录", body = RequestDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "申请或记录不存在", body = ErrorBody),
        (status = 409, description = "`disclosure_conflict`", body = ErrorBody),
        (status = 422, description = "尚未答复（`not_answered`），或类型、结果、日期不符", body = ErrorBody),
    )
)]
pub async fn remedy(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RemedyBody>,
) -> AppResult<(StatusCode, Json<RequestDto>)> {
    let input = RemedyInput {
        kind: body.kind,
        result: body.result.unwrap_or_default(),
        filed_on: body.filed_on,
        note: body.note.unwrap_or_default(),
    };
    let view = state.app.disclosure_remedy(&user.actor, id, body.expected_revision, body.remedy_id, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Sections 三 and 四 of the annual report (第五十条), computed from the records of the caller's
/// jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/disclosure/report",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "年度报告第三、四部分", body = ReportDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无统计权限", body = ErrorBody),
        (status = 422, description = "年度无效", body = ErrorBody),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<ReportQuery>,
) -> AppResult<Json<ReportDto>> {
    Ok(Json(state.app.disclosure_report(&user.actor, query.year).await?.into()))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The same report as an Excel workbook.
#[utoipa::path(
    get,
    path = "/api/v1/disclosure/report.xlsx",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "xlsx 文件", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无统计权限", body = ErrorBody),
        (status = 422, description = "年度无效", body = ErrorBody),
    )
)]
pub async fn report_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<ReportQuery>,
) -> AppResult<impl IntoResponse> {
    let view = state.app.disclosure_report(&user.actor, query.year).await?;
    let bytes = super::xlsx::report_workbook(&view.report)
        .map_err(|e| crate::error::AppError::internal(format!("xlsx: {e}")))?;
    let headers = [
        (header::CONTENT_TYPE, XLSX.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"disclosure-report-{}.xlsx\"", query.year)),
    ];
    Ok((headers, bytes))
}
