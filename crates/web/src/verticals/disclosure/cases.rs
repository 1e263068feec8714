//! A request that is a case of the item `government-information-request`: what the area adds to
//! the generic case page and API. The request's content is the case's facts (the generic facts
//! panel); the answer's record (its type, basis and notice sentence) and the remedies against it
//! are the area's, shown in a panel with the form to record a 行政复议 or 行政诉讼, and read and
//! written under `/api/v1/disclosure/cases/{id}`.

use super::pages::ANSWER_MARK;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use domain::audit::Event;
use domain::verticals::disclosure::{RemedyInput, RemedyKind, RemedyResult, REMEDIES_TEXT};
use serde::{Deserialize, Serialize};
use service::cases::CaseView;
use service::verticals::disclosure::cases::CaseRecord;
use service::{ErrorKind, ServiceError};
use utoipa::ToSchema;

use super::api::{AnswerDto, RemedyDto};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AuthUser, PagePath, PagePost};
use crate::routes::notices::{AnswerWords, AreaNotice, NoticeKind, Verdict};
use crate::verticals::Panel;
use crate::AppState;

/// A request case's answer and the remedies against it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DisclosureCaseDto)]
pub struct CaseRecordDto {
    pub case_id: i64,
    /// Absent until the case is decided.
    pub answer: Option<AnswerDto>,
    pub remedies: Vec<RemedyDto>,
}

fn record_dto(case_id: i64, record: &CaseRecord) -> CaseRecordDto {
    CaseRecordDto {
        case_id,
        answer: record.answer.as_ref().map(|a| AnswerDto {
            kind: a.kind.as_str().into(),
            name: a.kind.name_zh().into(),
            basis: a.kind.basis().into(),
            notice_text: a.kind.notice_text().into(),
            withhold_reason: a.withhold_reason.map(|r| r.as_str().into()),
            details: String::new(),
            answered_on: a.answered_on.to_string(),
            fee_charged: a.fee_charged,
        }),
        remedies: record
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

/// A remedy against a request case's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisclosureCaseRemedyBody)]
pub struct CaseRemedyBody {
    /// To record the result of a remedy already recorded.
    pub remedy_id: Option<i64>,
    /// review | suit_direct | suit_after_review
    pub kind: String,
    /// upheld | corrected | other | pending (default pending)
    pub result: Option<String>,
    /// YYYY-MM-DD
    pub filed_on: String,
    pub note: Option<String>,
}

/// A request case's answer and remedies.
#[utoipa::path(
    get,
    path = "/api/v1/disclosure/cases/{id}",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    responses(
        (status = 200, description = "答复和行政复议、行政诉讼记录", body = CaseRecordDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不是政府信息公开申请的办件", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CaseRecordDto>> {
    let record = state.app.disclosure_case_record(&user.actor, id).await?;
    Ok(Json(record_dto(id, &record)))
}

/// Records a 行政复议 or 行政诉讼 against a request case's answer, or its result.
#[utoipa::path(
    post,
    path = "/api/v1/disclosure/cases/{id}/remedies",
    tag = "disclosure",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    request_body = CaseRemedyBody,
    responses(
        (status = 201, description = "已记录", body = CaseRecordDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件或记录不存在", body = ErrorBody),
        (status = 422, description = "尚未答复（`not_answered`），或类型、结果、日期不符", body = ErrorBody),
    )
)]
pub async fn remedy(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<CaseRemedyBody>,
) -> AppResult<(StatusCode, Json<CaseRecordDto>)> {
    let input = RemedyInput {
        kind: body.kind,
        result: body.result.unwrap_or_default(),
        filed_on: body.filed_on,
        note: body.note.unwrap_or_default(),
    };
    let record = state.app.disclosure_case_remedy(&user.actor, id, body.remedy_id, &input).await?;
    Ok((StatusCode::CREATED, Json(record_dto(id, &record))))
}

/// Records a remedy from the case page.
#[utoipa::path(
    post,
    path = "/cases/{id}/disclosure/remedies",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, remedy_id, kind, result, filed_on, note"),
    responses(
        (status = 303, description = "已记录：转回办件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
        (status = 422, description = "不符合规则", content_type = "text/html", body = String),
    )
)]
pub async fn remedy_page(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = RemedyInput {
        kind: post.one("kind"),
        result: post.one("result"),
        filed_on: post.one("filed_on"),
        note: post.one("note"),
    };
    let remedy_id = match post.one("remedy_id").as_str() {
        "" => Ok(None),
        rid => rid.parse::<i64>().map(Some).map_err(|_| {
            ServiceError::new(ErrorKind::Invalid, "invalid_remedy_id", "所选记录无效").with_field("remedy_id")
        }),
    };
    let result = match remedy_id {
        Ok(rid) => state.app.disclosure_case_remedy(&post.user.actor, id, rid, &input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done=disclosure_remedy")).into_response(),
        Err(err) => AppError::from(err).into_html_for(&post.user),
    }
}

/// The message after the panel's form was sent.
pub(crate) fn done_message(done: &str) -> Option<&'static str> {
    (done == "disclosure_remedy").then_some("已记录行政复议、行政诉讼情况")
}

#[derive(Template)]
#[template(path = "verticals/disclosure/case_panel.html")]
struct CasePanel {
    id: i64,
    csrf_token: String,
    /// (name, basis, notice sentence, answered on).
    answer: Option<(&'static str, &'static str, &'static str, String)>,
    /// (id, kind, filed on, result).
    remedies: Vec<(i64, &'static str, String, &'static str)>,
    remedies_text: &'static str,
    may_record: bool,
    remedy_kinds: Vec<(&'static str, &'static str)>,
    remedy_results: Vec<(&'static str, &'static str)>,
}

/// The answer's record and the remedies, on the case page (once decided).
pub(crate) async fn case_panels(state: &AppState, user: &AuthUser, view: &CaseView) -> Result<Vec<Panel>, AppError> {
    let record = state.app.disclosure_case_record(&user.actor, view.case.id).await?;
    let Some(answer) = &record.answer else { return Ok(Vec::new()) };
    let may_record =
        user.actor.may(domain::access::Permission::WritePerson, &view.case.competent, state.app.divisions());
    let panel = CasePanel {
        id: view.case.id,
        csrf_token: user.csrf_token.clone(),
        answer: Some((
            answer.kind.name_zh(),
            answer.kind.basis(),
            answer.kind.notice_text(),
            crate::views::date_zh(answer.answered_on),
        )),
        remedies: record
            .remedies
            .iter()
            .map(|m| (m.id, m.kind.name_zh(), crate::views::date_zh(m.filed_on), m.result.name_zh()))
            .collect(),
        remedies_text: REMEDIES_TEXT,
        may_record,
        remedy_kinds: RemedyKind::ALL.iter().map(|k| (k.as_str(), k.name_zh())).collect(),
        remedy_results: RemedyResult::ALL.iter().map(|k| (k.as_str(), k.name_zh())).collect(),
    };
    Ok(vec![Panel::render("答复和救济", &panel)?])
}

/// The decision notice of a request case is its 答复书: the outcome's notice sentence in the area's
/// title, the article the answer rests on, and the remedies every answer names (行政复议 60 日, 行政诉讼 6 个月), a disclosure too:
/// the applicant may challenge how, or how much, was provided.
pub(crate) fn notice_rows(kind: NoticeKind, view: &CaseView, _events: &[Event]) -> AreaNotice {
    // 第三十条: the correction notice states the period to correct, and what follows if it lapses.
    if kind == NoticeKind::Missing {
        let Some(until) = view.case.correction_until else { return AreaNotice::default() };
        return AreaNotice {
            rows: vec![
                ("补正期限", format!("{}（含当日）", crate::views::date_zh(until))),
                (
                    "逾期未补正",
                    "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请（《中华人民共和国政府信息公开条例》第三十条）".to_string(),
                ),
            ],
            ..AreaNotice::default()
        };
    }
    let Some(outcome) = view.outcome.as_ref().filter(|_| kind == NoticeKind::Decision) else {
        return AreaNotice::default();
    };
    AreaNotice {
        verdict: Some(Verdict {
            title: "政府信息公开申请答复书", words: outcome.notice.clone(), adverse: true
        }),
        // The answer's article is the decision's basis (the generic 依据 row, the outcome's own
        // unless the decider named another): not repeated here.
        answer: Some(AnswerWords { time_label: "答复时间", remedies: REMEDIES_TEXT, mark: ANSWER_MARK }),
        ..AreaNotice::default()
    }
}

/// The cases of the item in the reader's jurisdiction, newest first, as the staff list shows
/// them: (case id, number, what is sought, received, status, due).
pub(crate) async fn list_lines(
    state: &AppState,
    user: &AuthUser,
) -> Result<Vec<(i64, String, String, String, String, String)>, AppError> {
    let query = service::cases::CaseQuery {
        item: Some(service::verticals::disclosure::cases::ITEM_SLUG.into()),
        limit: Some(200),
        ..Default::default()
    };
    // Who may read the earlier requests but works no cases (an administrator) sees none here.
    let views = match state.app.cases(&user.actor, &query).await {
        Ok(views) => views,
        Err(err) if err.kind == ErrorKind::Forbidden => return Ok(Vec::new()),
        Err(err) => return Err(err.into()),
    };
    Ok(views
        .iter()
        .map(|v| {
            let sought = v
                .fact_rows
                .iter()
                .find(|f| f.field == "description")
                .map(|f| f.text.chars().take(40).collect())
                .unwrap_or_default();
            let received = v.case.receipt.as_ref().and_then(|r| r.receipt_date().ok());
            let due = if v.case.closed_at.is_some() {
                String::new()
            } else {
                v.deadline.due.map(crate::views::date_zh).unwrap_or_else(|| "暂停计算".into())
            };
            (
                v.case.id,
                v.case.number.clone(),
                sought,
                received.map(crate::views::date_zh).unwrap_or_default(),
                v.step_name.clone().unwrap_or_else(|| crate::views::case_status_zh(v)),
                due,
            )
        })
        .collect())
}
