//! The pages of 政府信息公开 依申请公开: the staff list with deadlines, the request page of a
//! request entered before the move with its step, answer and remedy forms, the printable notices
//! and the annual report. Forms go through the same domain parsers as the JSON API. A new request
//! is a case of the item, entered on the item's form (the old entry forms redirect there).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::verticals::disclosure::{
    AnswerInput, AnswerKind, ApplicantKind, NoticeKind, RemedyInput, RemedyKind, RemedyResult, Stage, StepInput,
    WithholdReason, REMEDIES_TEXT,
};
use service::verticals::disclosure::track::{case_shaped, request_number};
use service::verticals::disclosure::DisclosureView;
use service::{ErrorKind, ServiceError};

use crate::document::{document_number, Document};
use crate::error::AppError;
use crate::extract::{PagePath, PagePost, PageUser};
use crate::routes::notices::{public_base, qr_svg};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

fn problems(err: &ServiceError) -> Vec<String> {
    if err.problems.is_empty() {
        vec![err.message.clone()]
    } else {
        err.problems.iter().map(|p| p.message.clone()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The list

pub struct ListLine {
    pub id: i64,
    pub applicant: String,
    pub description: String,
    pub received: String,
    pub stage: String,
    pub due: String,
    /// (colour, text) of the time left.
    pub badge: Option<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "verticals/disclosure/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub lines: Vec<ListLine>,
    /// The requests that are cases of the item: (case id, number, what is sought, received,
    /// status, due).
    pub cases: Vec<(i64, String, String, String, String, String)>,
    pub report_year: i32,
}

pub(super) fn due_text(limits: &domain::verticals::disclosure::Limits) -> String {
    match (limits.stage, limits.answer_due) {
        (Stage::AwaitingCorrection { until } | Stage::CorrectionLapsed { until }, _) => {
            format!("补正期限{}", date_zh(until))
        }
        (Stage::Consulting { third_party_due, .. }, _) => {
            format!("暂停计算（第三方意见期限{}）", date_zh(third_party_due))
        }
        (_, Some(due)) => date_zh(due),
        _ => "—".into(),
    }
}

fn badge(limits: &domain::verticals::disclosure::Limits) -> Option<(&'static str, String)> {
    if matches!(limits.stage, Stage::Answered { .. }) {
        return None;
    }
    match limits.remaining_workdays? {
        n if n < 0 => Some(("red", format!("已超期{}个工作日", -n))),
        0 => Some(("red", "今日期满".into())),
        n if n <= 5 => Some(("yellow", format!("剩{n}个工作日"))),
        n => Some(("green", format!("剩{n}个工作日"))),
    }
}

/// The staff list: the requests of the jurisdiction (the cases of the item, then those received
/// before in the area's own table, unanswered first), with their deadlines.
#[utoipa::path(
    get,
    path = "/disclosure",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "政府信息公开申请列表（含答复期限）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn list(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let lines = match state.app.disclosure_list(&user.actor, Some(200), None).await {
        Ok(lines) => lines,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let lines = lines
        .into_iter()
        .map(|l| ListLine {
            id: l.request.id,
            applicant: l.request.applicant_name.clone(),
            description: l.request.description.chars().take(40).collect(),
            received: date_zh(l.request.received_on),
            stage: l.limits.stage.name_zh().into(),
            due: due_text(&l.limits),
            badge: badge(&l.limits),
        })
        .collect();
    let cases = match super::cases::list_lines(&state, &user).await {
        Ok(cases) => cases,
        Err(err) => return err.into_html_for(&user),
    };
    let page = ListPage {
        layout: Layout::for_user("政府信息公开申请", &user),
        lines,
        cases,
        report_year: state.app.today().year() - 1,
    };
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// The entry forms of before the move

/// Where a request is entered now: the item's form, the window form for staff and the online
/// form for a citizen (the same address; `routes::apply`). A request is a case of the item,
/// opened by the one `open_case`.
pub(super) const ITEM_FORM: &str = "/items/government-information-request/apply";

/// The staff entry form of before the move: a request is entered on the item's window form now.
#[utoipa::path(
    get,
    path = "/disclosure/new",
    tag = "pages",
    responses((status = 303, description = "政府信息公开申请按事项受理：转到事项的窗口受理表单 /items/government-information-request/apply"))
)]
pub async fn new_form() -> Redirect {
    Redirect::to(ITEM_FORM)
}

/// The public form of before the move: a citizen applies on the item's online form now.
#[utoipa::path(
    get,
    path = "/disclosure/apply",
    tag = "pages",
    responses((status = 303, description = "政府信息公开申请按事项办理：转到事项的网上申请表单 /items/government-information-request/apply（须登录）"))
)]
pub async fn apply_form() -> Redirect {
    Redirect::to(ITEM_FORM)
}

#[derive(Template)]
#[template(path = "verticals/disclosure/notice.html")]
pub struct NoticePage {
    pub layout: Layout,
    pub title: String,
    pub applicant: String,
    pub received: String,
    pub description: String,
    pub paragraphs: Vec<String>,
    pub rows: Vec<(String, String)>,
    pub remedies: String,
    pub organ: String,
    pub dated: String,
    /// The request number and its 查询码 (the receipt and every notice print them).
    pub number: String,
    pub check: String,
    /// A notice's 文号, its QR code (SVG markup rendered by `qrcode`, no user text) and the
    /// verification address the code holds; empty on the receipt.
    pub doc_number: String,
    pub qr: String,
    pub url: String,
}

// ---------------------------------------------------------------------------------------------
// The request page

pub struct RequestLines {
    pub id: i64,
    /// The request number and its 查询码, to give the applicant (申请回执).
    pub number: String,
    pub check: String,
    pub revision: i64,
    pub applicant: String,
    pub applicant_kind: String,
    pub identity: String,
    pub contact: String,
    pub description: String,
    pub form: String,
    pub channel: String,
    pub received: String,
    pub receipt_rule: String,
    pub stage: String,
    pub limits: Vec<(String, String)>,
    /// (date, step, note)
    pub steps: Vec<(String, String, String)>,
    /// (date, type, basis, fee)
    pub answer: Option<(String, String, String, String)>,
    /// (id, kind, filed on, result)
    pub remedies: Vec<(i64, String, String, String)>,
    pub notices: Vec<(&'static str, &'static str)>,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "verticals/disclosure/request.html")]
pub struct RequestPage {
    pub layout: Layout,
    pub r: RequestLines,
    pub done: Option<String>,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub today: String,
    pub step_kinds: Vec<(&'static str, &'static str)>,
    pub answer_kinds: Vec<(&'static str, &'static str, &'static str)>,
    pub reasons: Vec<(&'static str, &'static str, &'static str)>,
    pub remedy_kinds: Vec<(&'static str, &'static str)>,
    pub remedy_results: Vec<(&'static str, &'static str)>,
}

fn notices_of(view: &DisclosureView) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let has = |kind: &str| view.full.steps.iter().any(|s| s.step.kind() == kind);
    if has("correction_notice") {
        out.push(("correction", NoticeKind::Correction.title_zh()));
    }
    if has("extension") {
        out.push(("extension", NoticeKind::Extension.title_zh()));
    }
    if view.full.answer.is_some() {
        out.push(("answer", NoticeKind::Answer.title_zh()));
    }
    out
}

fn lines(state: &AppState, view: &DisclosureView) -> RequestLines {
    let r = &view.full.request;
    let number = request_number(r);
    let l = &view.limits;
    let mut limits = vec![("告知补正的最后一日".to_string(), date_zh(l.correction_notice_due))];
    if let Some(start) = l.period_start {
        limits.push(("答复期限起算日".into(), format!("{}（当日不计入）", date_zh(start))));
    }
    if l.extension_workdays > 0 {
        limits.push(("已延长".into(), format!("{}个工作日", l.extension_workdays)));
    }
    if !l.paused.is_empty() {
        let spans: Vec<String> = l.paused.iter().map(|(a, b)| format!("{}至{}", date_zh(*a), date_zh(*b))).collect();
        limits.push(("征求第三方意见（不计入期限）".into(), spans.join("；")));
    }
    limits.push(("答复期限".into(), due_text(l)));
    if let Some((_, text)) = badge(l) {
        limits.push(("剩余".into(), text));
    }
    RequestLines {
        id: r.id,
        check: state.app.disclosure_check_code(&number),
        number,
        revision: r.revision,
        applicant: r.applicant_name.clone(),
        applicant_kind: r.applicant_kind.name_zh().into(),
        identity: r.identity_masked.clone(),
        contact: r.contact_masked.clone(),
        description: r.description.clone(),
        form: r.form.name_zh().into(),
        channel: r.channel.name_zh().into(),
        received: date_zh(r.received_on),
        receipt_rule: r.channel.receipt_rule_zh().into(),
        stage: l.stage.name_zh().into(),
        limits,
        steps: view
            .full
            .steps
            .iter()
            .map(|s| {
                let extra = match &s.step {
                    domain::verticals::disclosure::Step::CorrectionNotice { until, .. } => {
                        format!("，补正期限至{}", date_zh(*until))
                    }
                    domain::verticals::disclosure::Step::Extension { workdays, .. } => {
                        format!("，延长{workdays}个工作日")
                    }
                    _ => String::new(),
                };
                (date_zh(s.step.on()), format!("{}{extra}", s.step.name_zh()), s.note.clone())
            })
            .collect(),
        answer: view.full.answer.as_ref().map(|a| {
            (
                date_zh(a.answered_on),
                a.kind.name_zh().to_string(),
                a.kind.basis().to_string(),
                if a.fee_charged { "收取信息处理费" } else { "未收费" }.to_string(),
            )
        }),
        remedies: view
            .full
            .remedies
            .iter()
            .map(|m| (m.id, m.kind.name_zh().into(), date_zh(m.filed_on), m.result.name_zh().into()))
            .collect(),
        notices: notices_of(view),
        open: view.full.answer.is_none(),
    }
}

fn done_text(code: &str) -> Option<String> {
    Some(
        match code {
            "created" => "申请已登记。",
            "step" => "已记录，期限已按最新情况重新计算。",
            "answer" => "已答复。可打印答复书。",
            "remedy" => "已记录。",
            _ => return None,
        }
        .to_string(),
    )
}

fn request_page(
    state: &AppState,
    user: &crate::extract::AuthUser,
    view: DisclosureView,
    done: Option<String>,
    errors: Vec<String>,
) -> RequestPage {
    RequestPage {
        layout: Layout::for_user("政府信息公开申请", user),
        r: lines(state, &view),
        done,
        errors,
        csrf_token: user.csrf_token.clone(),
        today: state.app.today().to_string(),
        step_kinds: vec![
            ("correction_notice", "告知补正（条例第三十条，一次性告知）"),
            ("corrected", "收到补正后的申请（答复期限重新起算）"),
            ("extension", "延长答复期限（条例第三十三条第二款，经负责人同意）"),
            ("consultation_start", "书面征求第三方意见（条例第三十二条，不计入期限）"),
            ("consultation_end", "第三方意见收回或期满"),
        ],
        answer_kinds: AnswerKind::ALL.iter().map(|k| (k.as_str(), k.name_zh(), k.basis())).collect(),
        reasons: WithholdReason::ALL.iter().map(|r| (r.as_str(), r.name_zh(), r.basis())).collect(),
        remedy_kinds: RemedyKind::ALL.iter().map(|k| (k.as_str(), k.name_zh())).collect(),
        remedy_results: RemedyResult::ALL.iter().map(|k| (k.as_str(), k.name_zh())).collect(),
    }
}

/// A request's page: its facts, periods and history, and the forms to handle it.
#[utoipa::path(
    get,
    path = "/disclosure/requests/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    responses(
        (status = 200, description = "申请页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "申请不存在", content_type = "text/html", body = String),
    )
)]
pub async fn request(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    match state.app.disclosure_view(&user.actor, id).await {
        Ok(view) => {
            let done = done_text(&query_param(&query, "done"));
            render_status(StatusCode::OK, &request_page(&state, &user, view, done, vec![]))
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// A write from the request page: on success back to the page; a refusal re-renders it (422)
/// with every problem; a conflict (409) shows the request as it is now.
async fn answer_with(
    state: &AppState,
    post: &PagePost,
    id: i64,
    done: &str,
    result: Result<DisclosureView, ServiceError>,
) -> Response {
    let user = &post.user;
    match result {
        Ok(_) => Redirect::to(&format!("/disclosure/requests/{id}?done={done}")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            match state.app.disclosure_view(&user.actor, id).await {
                Ok(view) => render_status(status, &request_page(state, user, view, None, problems(&err))),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

fn revision(post: &PagePost) -> Result<i64, ServiceError> {
    post.one("expected_revision").parse::<i64>().map_err(|_| {
        ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
            .with_field("expected_revision")
    })
}

/// Records a step from the request page.
#[utoipa::path(
    post,
    path = "/disclosure/requests/{id}/steps",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, kind, on, until, workdays, note"),
    responses(
        (status = 303, description = "已记录：转回申请页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "申请不存在", content_type = "text/html", body = String),
        (status = 409, description = "申请已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "该环节此时不合法：申请页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn step(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = StepInput {
        kind: post.one("kind"),
        on: post.one("on"),
        until: post.one("until"),
        workdays: post.one("workdays"),
        note: post.one("note"),
    };
    let result = match revision(&post) {
        Ok(rev) => state.app.disclosure_step(&post.user.actor, id, rev, &input).await,
        Err(err) => Err(err),
    };
    answer_with(&state, &post, id, "step", result).await
}

/// Records the answer from the request page.
#[utoipa::path(
    post,
    path = "/disclosure/requests/{id}/answer",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, kind, withhold_reason, details, answered_on, fee_charged"),
    responses(
        (status = 303, description = "已答复：转回申请页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "申请不存在", content_type = "text/html", body = String),
        (status = 409, description = "申请已变化或已答复", content_type = "text/html", body = String),
        (status = 422, description = "答复不符合规则：申请页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn answer(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = AnswerInput {
        kind: post.one("kind"),
        withhold_reason: post.one("withhold_reason"),
        details: post.one("details"),
        answered_on: post.one("answered_on"),
        fee_charged: post.one("fee_charged"),
    };
    let result = match revision(&post) {
        Ok(rev) => state.app.disclosure_answer(&post.user.actor, id, rev, &input).await,
        Err(err) => Err(err),
    };
    answer_with(&state, &post, id, "answer", result).await
}

/// Records a 行政复议 or 行政诉讼, or its result, from the request page.
#[utoipa::path(
    post,
    path = "/disclosure/requests/{id}/remedies",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "申请编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, remedy_id, kind, result, filed_on, note"),
    responses(
        (status = 303, description = "已记录：转回申请页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "申请不存在", content_type = "text/html", body = String),
        (status = 409, description = "申请已变化", content_type = "text/html", body = String),
        (status = 422, description = "不符合规则：申请页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn remedy(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = RemedyInput {
        kind: post.one("kind"),
        result: post.one("result"),
        filed_on: post.one("filed_on"),
        note: post.one("note"),
    };
    let remedy_id = post.one("remedy_id");
    let result = match (revision(&post), remedy_id.as_str()) {
        (Err(err), _) => Err(err),
        (Ok(rev), "") => state.app.disclosure_remedy(&post.user.actor, id, rev, None, &input).await,
        (Ok(rev), rid) => match rid.parse::<i64>() {
            Ok(rid) => state.app.disclosure_remedy(&post.user.actor, id, rev, Some(rid), &input).await,
            Err(_) => {
                Err(ServiceError::new(ErrorKind::Invalid, "invalid_remedy_id", "所选记录无效").with_field("remedy_id"))
            }
        },
    };
    answer_with(&state, &post, id, "remedy", result).await
}

// ---------------------------------------------------------------------------------------------
// Notices

#[derive(Debug, serde::Deserialize)]
pub struct NoticePath {
    id: i64,
    kind: String,
}

/// The mark of a 答复书's 文号, whether the request runs on the engine or in its own table.
pub(crate) const ANSWER_MARK: &str = "公开答";

/// The notice's path segment and the mark in its 文号.
fn kind_parts(kind: NoticeKind) -> (&'static str, &'static str) {
    match kind {
        NoticeKind::Answer => ("answer", ANSWER_MARK),
        NoticeKind::Correction => ("correction", "公开补"),
        NoticeKind::Extension => ("extension", "公开延"),
    }
}

/// The organ a request was made to, as its notices sign.
fn organ_of(state: &AppState, view: &DisclosureView) -> String {
    domain::division::DivisionCode::parse(&view.full.request.division)
        .ok()
        .and_then(|code| state.app.divisions().get(&code).map(|d| format!("{}民政局", d.name)))
        .unwrap_or_default()
}

/// A notice of a request as an official document: its 文号 (derived from the request number by
/// [`document_number`]) and its content, whose SM3 digest the QR code carries and the public
/// verification page recomputes from the record. `None` while the request has no such notice.
pub(super) fn notice_document(state: &AppState, view: &DisclosureView, kind: NoticeKind) -> Option<Document> {
    let r = &view.full.request;
    let step = |name: &str| view.full.steps.iter().find(|s| s.step.kind() == name);
    let (paragraphs, rows, dated) = match kind {
        NoticeKind::Correction => {
            let s = step("correction_notice")?;
            let domain::verticals::disclosure::Step::CorrectionNotice { on, until } = s.step else { return None };
            (
                vec![
                    "经审查，您的申请内容不够明确。依据《中华人民共和国政府信息公开条例》第三十条，现一次性告知您作出补正，需要补正的事项如下。".to_string(),
                    format!("请于{}前补正。答复期限自本机关收到补正后的申请之日起计算；无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。", date_zh(until)),
                ],
                vec![("需要补正的事项".to_string(), s.note.clone()), ("补正期限".to_string(), date_zh(until))],
                on,
            )
        }
        NoticeKind::Extension => {
            let s = step("extension")?;
            let domain::verticals::disclosure::Step::Extension { on, workdays } = s.step else { return None };
            let due = view.limits.answer_due.map(date_zh).unwrap_or_else(|| "—".into());
            (
                vec![format!(
                    "因需要延长答复期限，经本机关政府信息公开工作机构负责人同意，依据《中华人民共和国政府信息公开条例》第三十三条第二款，答复期限延长{workdays}个工作日，延长后的答复期限至{due}。"
                )],
                vec![("批准及理由".to_string(), s.note.clone()), ("延长后的答复期限".to_string(), due)],
                on,
            )
        }
        NoticeKind::Answer => {
            let a = view.full.answer.as_ref()?;
            let mut rows = vec![("答复类型".to_string(), a.kind.name_zh().to_string())];
            if let Some(reason) = a.withhold_reason {
                rows.push(("不予公开的理由".to_string(), format!("{}（{}）", reason.name_zh(), reason.basis())));
            }
            if !a.details.is_empty() {
                rows.push(("具体内容".to_string(), a.details.clone()));
            }
            rows.push(("依据".to_string(), a.kind.basis().to_string()));
            rows.push((
                "信息处理费".to_string(),
                if a.fee_charged {
                    "依法收取（条例第四十二条）"
                } else {
                    "不收取（条例第四十二条）"
                }
                .to_string(),
            ));
            (vec![a.kind.notice_text().to_string()], rows, a.answered_on)
        }
    };
    let number = request_number(r);
    let office = domain::division::DivisionCode::parse(&r.division).ok()?;
    let (segment, mark) = kind_parts(kind);
    let mut body = vec![format!(
        "本机关于{}收到您提出的政府信息公开申请，所需信息：“{}”。",
        date_zh(r.received_on),
        r.description
    )];
    body.extend(paragraphs);
    Some(Document {
        kind: segment,
        title: kind.title_zh().into(),
        number: document_number(state.app.divisions(), &office, mark, case_shaped(&number)),
        case_number: number,
        authority: organ_of(state, view),
        addressee: r.applicant_name.clone(),
        body,
        rows,
        lists: Vec::new(),
        remedies: REMEDIES_TEXT.into(),
        date: dated,
    })
}

/// The verification address of a notice: the request number, its 查询码, the kind and the
/// digest of the notice's content.
fn verify_url(state: &AppState, headers: &HeaderMap, doc: &Document) -> String {
    format!(
        "{}/disclosure/verify/{}?c={}&k={}&d={}",
        public_base(state, headers),
        doc.case_number,
        state.app.disclosure_check_code(&doc.case_number),
        doc.kind,
        doc.digest()
    )
}

/// A printable notice of a request: answer, correction or extension.
#[utoipa::path(
    get,
    path = "/disclosure/requests/{id}/notices/{kind}",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("id" = i64, Path, description = "申请编号"),
        ("kind" = String, Path, description = "answer 答复书 | correction 补正告知书 | extension 延期告知书"),
    ),
    responses(
        (status = 200, description = "可打印的文书", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "申请不存在，或尚无此文书", content_type = "text/html", body = String),
    )
)]
pub async fn notice(
    State(state): State<AppState>,
    PagePath(NoticePath { id, kind }): PagePath<NoticePath>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let not_found = |message: &str| AppError::new(StatusCode::NOT_FOUND, "not_found", message).into_html_for(&user);
    let view = match state.app.disclosure_view(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let Some(kind) = NoticeKind::parse(&kind) else {
        return not_found("没有这种文书；可选：answer、correction、extension");
    };
    let Some(doc) = notice_document(&state, &view, kind) else {
        return not_found("该申请尚无此文书");
    };
    let url = verify_url(&state, &headers, &doc);
    let r = &view.full.request;
    let page = NoticePage {
        layout: Layout::for_user(kind.title_zh(), &user),
        title: doc.title.clone(),
        applicant: doc.addressee.clone(),
        received: date_zh(r.received_on),
        description: r.description.clone(),
        paragraphs: doc.body.clone(),
        rows: doc.rows.clone(),
        remedies: doc.remedies.clone(),
        organ: doc.authority.clone(),
        dated: date_zh(doc.date),
        check: state.app.disclosure_check_code(&doc.case_number),
        number: doc.case_number.clone(),
        doc_number: doc.number.clone(),
        qr: qr_svg(&url),
        url,
    };
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// The annual report

pub struct ReportTable {
    pub scope: String,
    pub columns: Vec<&'static str>,
    /// (label with its indent, counts, total)
    pub rows: Vec<(String, Vec<i64>, i64)>,
    pub remedies: Vec<(&'static str, &'static str, i64)>,
}

#[derive(Template)]
#[template(path = "verticals/disclosure/report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub year: String,
    pub message: Option<String>,
    pub table: Option<ReportTable>,
}

/// Sections 三 and 四 of the annual report of a year, as a page with its Excel download.
#[utoipa::path(
    get,
    path = "/disclosure/report",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "年度，默认上一年")),
    responses(
        (status = 200, description = "年度报告第三、四部分", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无统计权限", content_type = "text/html", body = String),
        (status = 422, description = "年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn report(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let year_text = query_param(&query, "year");
    let page = |status, year: String, message, table| {
        render_status(
            status,
            &ReportPage { layout: Layout::for_user("政府信息公开年度报告", &user), year, message, table },
        )
    };
    let year = if year_text.is_empty() {
        state.app.today().year() - 1
    } else {
        match year_text.parse::<i32>() {
            Ok(y) => y,
            Err(_) => return page(StatusCode::UNPROCESSABLE_ENTITY, year_text, Some("年度应为四位数字".into()), None),
        }
    };
    match state.app.disclosure_report(&user.actor, year).await {
        Ok(view) => {
            let names: Vec<String> = view
                .divisions
                .iter()
                .map(|code| {
                    domain::division::DivisionCode::parse(code)
                        .ok()
                        .and_then(|c| state.app.divisions().get(&c).map(|d| d.name.clone()))
                        .unwrap_or_else(|| code.clone())
                })
                .collect();
            let table = ReportTable {
                scope: names.join("、"),
                columns: ApplicantKind::ALL.iter().map(|k| k.name_zh()).collect(),
                rows: view
                    .report
                    .rows
                    .iter()
                    .map(|r| {
                        (
                            format!("{}{}", "\u{3000}".repeat(usize::from(r.level)), r.label),
                            r.counts.to_vec(),
                            r.total(),
                        )
                    })
                    .collect(),
                remedies: view.report.remedy_columns(),
            };
            page(StatusCode::OK, year.to_string(), None, Some(table))
        }
        Err(err) if err.kind == ErrorKind::Invalid => {
            page(StatusCode::UNPROCESSABLE_ENTITY, year.to_string(), Some(err.message.clone()), None)
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}
