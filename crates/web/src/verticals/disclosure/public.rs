//! The public pages of 依申请公开: 申请查询 (`/disclosure/track`: the request number and its
//! 查询码, a form post so neither lands in a URL or a log; failures throttled per client like the
//! case look-up) and the verification of a printed notice (`/disclosure/verify/{number}`, the
//! target of the notice's QR code). Neither shows personal data beyond the masked name.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::person::mask_name;
use domain::verticals::disclosure::{NoticeKind, Stage};
use serde::Deserialize;
use service::verticals::disclosure::track::request_number;
use service::verticals::disclosure::DisclosureView;

use super::pages::{due_text, notice_document};
use crate::error::AppError;
use crate::extract::{self, AppPath, AppQuery, ClientAddr, PageForm};
use crate::routes::notices::{constant_time_eq, not_found_page, verification_input, verified, VerifyPage, VerifyQuery};
use crate::views::{date_zh, render, render_status, Layout};
use crate::AppState;

/// What the public look-up shows of a request.
pub struct TrackedRequest {
    pub number: String,
    pub applicant: String,
    pub received: String,
    pub stage: String,
    pub due: String,
    /// The answer's type and date, once answered.
    pub answer: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "verticals/disclosure/track.html")]
pub struct TrackPage {
    pub layout: Layout,
    pub number: String,
    pub request: Option<TrackedRequest>,
    pub error: Option<String>,
}

fn tracked(view: &DisclosureView) -> TrackedRequest {
    let r = &view.full.request;
    let answered = matches!(view.limits.stage, Stage::Answered { .. });
    TrackedRequest {
        number: request_number(r),
        applicant: mask_name(&r.applicant_name),
        received: date_zh(r.received_on),
        stage: view.limits.stage.name_zh().into(),
        due: if answered { "—".into() } else { due_text(&view.limits) },
        answer: view.full.answer.as_ref().map(|a| (a.kind.name_zh().to_string(), date_zh(a.answered_on))),
    }
}

fn page(status: StatusCode, number: &str, request: Option<TrackedRequest>, error: Option<String>) -> Response {
    let layout = Layout::public("政府信息公开申请查询");
    render_status(status, &TrackPage { layout, number: number.to_string(), request, error })
}

#[derive(Debug, Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    check: String,
}

#[utoipa::path(
    get,
    path = "/disclosure/track",
    tag = "pages",
    responses((status = 200, description = "政府信息公开申请查询表单：申请编号与查询码", content_type = "text/html", body = String))
)]
pub async fn track_form() -> Response {
    page(StatusCode::OK, "", None, None)
}

#[utoipa::path(
    post,
    path = "/disclosure/track",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "number, check"),
    responses(
        (status = 200, description = "办理阶段、答复期限；已答复的，答复类型和日期；申请人姓名脱敏", content_type = "text/html", body = String),
        (status = 404, description = "申请编号或查询码不正确（两者不加区分）", content_type = "text/html", body = String),
        (status = 429, description = "本客户端查询失败次数过多", content_type = "text/html", body = String),
    )
)]
pub async fn track(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<TrackForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    let number = form.number.trim();
    match state.app.disclosure_track(number, &form.check, &addr).await {
        Ok(view) => page(StatusCode::OK, number, Some(tracked(&view)), None),
        Err(err) => {
            let err = AppError::from(err);
            page(err.status, number, None, Some(err.message))
        }
    }
}

#[utoipa::path(
    get,
    path = "/disclosure/verify/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "申请编号，如 GK-511702-2026-000005"),
        ("c" = String, Query, description = "文书上印制的查询码"),
        ("k" = Option<String>, Query, description = "文书种类（二维码中）：answer | correction | extension"),
        ("d" = Option<String>, Query, description = "文书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "公开核验页：文书名称、文号、申请编号、成文日期、内容摘要，以及脱敏的申请人姓名", content_type = "text/html", body = String),
        (status = 404, description = "编号或查询码不符，或文书内容与记录不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与申请编号和查询码相符的文书";
    const ALTERED: &str = "文书内容与记录不符：该文书可能被改动或伪造，请向发文机关核实";
    let (number, query) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let view = match verified(state.app.disclosure_verify(&number, &query.c).await, NOT_FOUND) {
        Ok(view) => view,
        Err(page) => return page,
    };
    let doc = NoticeKind::parse(&query.k).and_then(|kind| notice_document(&state, &view, kind));
    let matches = doc.as_ref().is_some_and(|doc| constant_time_eq(&doc.digest(), &query.d.trim().to_ascii_lowercase()));
    let Some(doc) = doc.filter(|_| matches) else {
        return not_found_page(ALTERED);
    };
    let r = &view.full.request;
    let rows = vec![
        ("文书".to_string(), doc.title.clone()),
        ("文号".to_string(), doc.number.clone()),
        ("发文机关".to_string(), doc.authority.clone()),
        ("成文日期".to_string(), doc.date_cn()),
        ("内容摘要（SM3）".to_string(), doc.short_digest()),
        ("申请编号".to_string(), doc.case_number.clone()),
        ("申请人".to_string(), mask_name(&r.applicant_name)),
        ("收到申请日期".to_string(), date_zh(r.received_on)),
    ];
    render(&VerifyPage {
        title: "文书核验".into(),
        back: None,
        intro: "该文书与发文机关的记录相符。文书信息如下（仅显示必要的脱敏信息）：".into(),
        rows,
    })
}
