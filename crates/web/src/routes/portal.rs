//! The citizen portal's public pages: 办件查询 (`/track`: the case number and a check — the
//! check code given at submission and printed on the notices, or the last 4 characters of the
//! applicant's ID number) and 好差评 (`POST /track/rate`, once the case is closed, once per
//! case). Both are form posts, so neither the number nor the check lands in a URL or a log; a
//! wrong check reads exactly as an unknown number, and failures are throttled per client (429;
//! `service::throttle::TrackThrottle`), so nobody can lock a citizen out of their own case.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::engine::case::CaseStatus;
use serde::Deserialize;
use service::cases::CaseView;
use service::portal::{next_step_zh, Grade};

use crate::error::AppError;
use crate::extract::{self, ClientAddr, PageForm};
use crate::views::{date_zh, datetime_zh, render_status, Layout};
use crate::AppState;

/// What the tracking page shows of a case: no names but the masked applicant, no staff.
pub struct Tracked {
    pub number: String,
    pub item_name: String,
    pub status: String,
    pub step: String,
    pub applicant: String,
    pub submitted: String,
    pub due: Option<String>,
    pub closed: bool,
    /// What happens next, while the case is open.
    pub next_step: String,
    /// 办结日期 (Asia/Shanghai), once closed.
    pub closed_on: Option<String>,
    /// What was decided, in plain Chinese, once closed.
    pub verdict: Option<String>,
    /// The reasons, where the notice served on the applicant gives them.
    pub reasons: Option<String>,
    /// The grade's Chinese name, once rated.
    pub rated: Option<String>,
}

#[derive(Template)]
#[template(path = "track.html")]
pub struct TrackPage {
    pub layout: Layout,
    pub number: String,
    pub check: String,
    pub case: Option<Tracked>,
    pub grades: Vec<(&'static str, &'static str)>,
    pub done: Option<String>,
    pub error: Option<String>,
}

fn page(
    status: StatusCode,
    number: &str,
    check: &str,
    case: Option<Tracked>,
    done: Option<String>,
    error: Option<String>,
) -> Response {
    let grades = Grade::ALL.into_iter().map(|g| (g.as_str(), g.name_zh())).collect();
    let page = TrackPage {
        layout: Layout::public("办件查询"),
        number: number.to_string(),
        check: if case.is_some() { check.to_string() } else { String::new() },
        case,
        grades,
        done,
        error,
    };
    render_status(status, &page)
}

pub(crate) async fn tracked(state: &AppState, view: &CaseView) -> Result<Tracked, AppError> {
    let case = &view.case;
    let rated =
        state.app.rating_of(case.id).await?.and_then(|r| Grade::parse(&r.grade)).map(|g| g.name_zh().to_string());
    let closing = state.app.tracked_closing(view).await?;
    let ended = closing.is_some();
    Ok(Tracked {
        next_step: next_step_zh(case.status, view.step_name.as_deref()),
        closed_on: closing.as_ref().map(|c| date_zh(c.date)),
        verdict: closing.as_ref().map(|c| c.outcome.clone().unwrap_or_else(|| c.verdict.to_string())),
        reasons: closing.and_then(|c| c.reasons),
        number: case.number.clone(),
        item_name: view.item_name.clone(),
        // Closed: the result has its own line (办理结果), the status says only that it ended.
        status: if ended { "已办结".to_string() } else { crate::views::status_zh(case.status) },
        step: view.step_name.clone().unwrap_or_else(|| "—".to_string()),
        applicant: view.applicant.as_ref().map(|a| a.name_masked.clone()).unwrap_or_default(),
        submitted: case.submitted_at.map(datetime_zh).unwrap_or_default(),
        due: view.deadline.due.map(date_zh),
        closed: matches!(case.status, CaseStatus::Closed(_)),
        rated,
    })
}

/// The tracking form's fields.
#[derive(Debug, Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    check: String,
}

#[utoipa::path(
    get,
    path = "/track",
    tag = "pages",
    responses((status = 200, description = "办件查询表单：办件编号与查询码（或申请人身份证号后4位）", content_type = "text/html", body = String))
)]
pub async fn form() -> Response {
    page(StatusCode::OK, "", "", None, None, None)
}

#[utoipa::path(
    post,
    path = "/track",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "number, check"),
    responses(
        (status = 200, description = "办件的状态、当前环节、下一步与办结期限；已办结的，办结日期、办理结果及决定书所载理由，未评价时附评价表", content_type = "text/html", body = String),
        (status = 404, description = "办件编号或查询码不正确（两者不加区分）", content_type = "text/html", body = String),
        (status = 429, description = "本客户端查询失败次数过多（按客户端地址计，不因他人输错而锁定办件）；或该办件编号近期各处查询失败较多，暂只接受查询码", content_type = "text/html", body = String),
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
    shown(&state, number, &form.check, &addr, Outcome::default()).await
}

/// What a post adds to the tracking page: a thanks, or a refusal with its status.
struct Outcome {
    status: StatusCode,
    done: Option<String>,
    error: Option<String>,
}

impl Default for Outcome {
    fn default() -> Outcome {
        Outcome { status: StatusCode::OK, done: None, error: None }
    }
}

/// The tracking page of the case behind `number` for whoever holds `check`; when they do not
/// match, the form again with the refusal (the same for a wrong check and an unknown number).
async fn shown(state: &AppState, number: &str, check: &str, addr: &str, outcome: Outcome) -> Response {
    // The post already found no match (or was throttled): do not look again, nor count twice.
    if matches!(outcome.status, StatusCode::NOT_FOUND | StatusCode::TOO_MANY_REQUESTS) {
        return page(outcome.status, number, "", None, None, outcome.error);
    }
    match state.app.track_case(number, check, addr).await {
        Ok(view) => match tracked(state, &view).await {
            Ok(case) => page(outcome.status, number, check, Some(case), outcome.done, outcome.error),
            Err(err) => err.into_html(),
        },
        // A refused post keeps its own refusal (e.g. already rated) over the look-up's.
        Err(_) if outcome.error.is_some() => page(outcome.status, number, "", None, None, outcome.error),
        Err(err) => {
            let err = AppError::from(err);
            page(err.status, number, "", None, None, Some(err.message))
        }
    }
}

/// The rating form's fields.
#[derive(Debug, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    check: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    comment: String,
}

#[utoipa::path(
    post,
    path = "/track/rate",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "number, check, grade（very_satisfied、satisfied、fairly_satisfied、dissatisfied、very_dissatisfied）, comment"),
    responses(
        (status = 200, description = "已评价：办件页与致谢", content_type = "text/html", body = String),
        (status = 404, description = "办件编号或查询码不正确", content_type = "text/html", body = String),
        (status = 409, description = "该办件已评价", content_type = "text/html", body = String),
        (status = 422, description = "未办结、未选择评价或意见过长", content_type = "text/html", body = String),
        (status = 429, description = "查询失败次数过多", content_type = "text/html", body = String),
    )
)]
pub async fn rate(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<RateForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    let number = form.number.trim();
    let outcome = match state.app.rate_case(number, &form.check, &addr, &form.grade, &form.comment).await {
        Ok(_) => Outcome { done: Some("感谢您的评价，评价已记录。".to_string()), ..Outcome::default() },
        Err(err) => {
            let err = AppError::from(err);
            Outcome { status: err.status, done: None, error: Some(err.message) }
        }
    };
    // The case again, with its rating now.
    shown(&state, number, &form.check, &addr, outcome).await
}
