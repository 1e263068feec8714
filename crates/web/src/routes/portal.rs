//! The citizen portal's public pages: 办件查询 (`/track`: the case number and a check — the
//! check code given at submission and printed on the notices, or the last 4 characters of the
//! applicant's ID number) and 好差评 (`POST /track/rate`, once the case is closed, once per
//! case). Both are form posts, so neither the number nor the check lands in a URL or a log; a
//! wrong check reads exactly as an unknown number, and failures are throttled (429).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::engine::case::CaseStatus;
use serde::Deserialize;
use service::cases::CaseView;
use service::portal::Grade;

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

async fn tracked(state: &AppState, view: &CaseView) -> Result<Tracked, AppError> {
    let case = &view.case;
    let rated =
        state.app.rating_of(case.id).await?.and_then(|r| Grade::parse(&r.grade)).map(|g| g.name_zh().to_string());
    Ok(Tracked {
        number: case.number.clone(),
        item_name: view.item_name.clone(),
        status: match case.status {
            CaseStatus::Closed(outcome) => outcome.name_zh().to_string(),
            other => other.name_zh().to_string(),
        },
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

/// The error page status and message for a refused look-up or rating.
fn refused(err: AppError) -> (StatusCode, Option<String>) {
    (err.status, Some(err.message))
}

#[utoipa::path(
    post,
    path = "/track",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "number, check"),
    responses(
        (status = 200, description = "办件的状态、当前环节、办结期限；已办结且未评价时附评价表", content_type = "text/html", body = String),
        (status = 404, description = "办件编号或查询码不正确（两者不加区分）", content_type = "text/html", body = String),
        (status = 429, description = "查询失败次数过多", content_type = "text/html", body = String),
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
    match state.app.track_case(number, &form.check, &addr).await {
        Ok(view) => match tracked(&state, &view).await {
            Ok(case) => page(StatusCode::OK, number, &form.check, Some(case), None, None),
            Err(err) => err.into_html(),
        },
        Err(err) => {
            let (status, message) = refused(AppError::from(err));
            page(status, number, "", None, None, message)
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
    let result = state.app.rate_case(number, &form.check, &addr, &form.grade, &form.comment).await;
    let (status, done, error) = match result {
        Ok(_) => (StatusCode::OK, Some("感谢您的评价，评价已记录。".to_string()), None),
        Err(err) => {
            let (status, message) = refused(AppError::from(err));
            (status, None, message)
        }
    };
    // Show the case again (its rating now), unless the number and check did not match.
    match state.app.track_case(number, &form.check, &addr).await {
        Ok(view) => match tracked(&state, &view).await {
            Ok(case) => page(status, number, &form.check, Some(case), done, error),
            Err(err) => err.into_html(),
        },
        Err(_) => page(status, number, "", None, None, error),
    }
}
