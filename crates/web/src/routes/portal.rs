//! The citizen portal's public pages: 办件查询 (`/track`: the case number and a check — the
//! check code given at submission and printed on the notices, or the last 4 characters of the
//! applicant's ID number) and 好差评 (`POST /track/rate`, once the case is closed, once per
//! case). Both are form posts, so neither the number nor the check lands in a URL or a log; a
//! wrong check reads exactly as an unknown number, and failures are throttled per client (429;
//! `service::throttle::TrackThrottle`), so nobody can lock a citizen out of their own case.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::engine::case::CaseStatus;
use serde::Deserialize;
use service::cases::CaseView;
use service::portal::{next_step_zh, Dimension, Grade, Rating, RatingChannel};

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
    /// The last day to correct, while the correction is awaited (an item that declares its
    /// period: `correction` in its procedure).
    pub correction_until: Option<String>,
    pub closed: bool,
    /// What happens next, while the case is open.
    pub next_step: String,
    /// 办结日期 (Asia/Shanghai), once closed.
    pub closed_on: Option<String>,
    /// What was decided, in plain Chinese, once closed.
    pub verdict: Option<String>,
    /// The reasons, where the notice served on the applicant gives them.
    pub reasons: Option<String>,
    /// 线上服务 or 线下服务: how the case was handled, and so which indicators it is rated on.
    pub channel: &'static str,
    /// The indicators to rate, as (field, name), 整体满意度 first.
    pub dimensions: Vec<(&'static str, &'static str)>,
    /// Once rated: each indicator's name and its grade's.
    pub rated: Vec<(String, String)>,
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
    let channel = RatingChannel::of_case(case.channel);
    let rated = state.app.rating_of(case.id).await?.map(|r| rated_rows(&r)).unwrap_or_default();
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
        correction_until: view.correction_deadline.as_ref().and_then(|d| d.due).map(date_zh),
        closed: matches!(case.status, CaseStatus::Closed(_)),
        channel: channel.name_zh(),
        dimensions: channel.dimensions().iter().map(|d| (d.as_str(), d.name_zh(channel))).collect(),
        rated,
    })
}

/// A rating as its rater reads it back: (indicator, grade) in Chinese, 整体满意度 first; a
/// rating given before the indicators were rated one by one shows its one grade.
pub(crate) fn rated_rows(rating: &Rating) -> Vec<(String, String)> {
    let channel = RatingChannel::parse(&rating.channel).unwrap_or(RatingChannel::Offline);
    let grade = |key: &str| Grade::parse(key).map_or("—", Grade::name_zh).to_string();
    let mut rows: Vec<(String, String)> = channel
        .dimensions()
        .iter()
        .filter_map(|d| {
            rating.grades.iter().find(|(k, _)| k == d.as_str()).map(|(_, g)| (d.name_zh(channel).to_string(), grade(g)))
        })
        .collect();
    if rows.is_empty() {
        rows.push((Dimension::Overall.name_zh(channel).to_string(), grade(&rating.grade)));
    }
    rows
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

/// The rating form's fields: the case, its check, a grade per indicator (named by its key:
/// `overall`, `efficiency`, … as [`Dimension::as_str`]) and the comment.
#[derive(Debug, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    check: String,
    #[serde(default)]
    comment: String,
    #[serde(flatten)]
    grades: BTreeMap<String, String>,
}

impl RateForm {
    /// The grades chosen; an indicator left unchosen is absent (the parser names it).
    fn grades(&self) -> BTreeMap<String, String> {
        self.grades.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

#[utoipa::path(
    post,
    path = "/track/rate",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "number, check, comment，以及每项评价指标一个字段（取值 very_satisfied、satisfied、fairly_satisfied、dissatisfied、very_dissatisfied）：网上申请的办件按线上服务评价 overall（整体满意度）、efficiency（办事效率）、guide_accuracy（办事指南精确度）、convenience（办事便捷度）、usability（平台操作性）；窗口受理的按线下服务评价 overall、efficiency（服务效率）、service_level（服务水平）、attitude（服务态度）"),
    responses(
        (status = 200, description = "已评价：办件页与致谢", content_type = "text/html", body = String),
        (status = 404, description = "办件编号或查询码不正确", content_type = "text/html", body = String),
        (status = 409, description = "该办件已评价", content_type = "text/html", body = String),
        (status = 422, description = "未办结、有评价指标未选择或不属于该办理方式，或意见过长", content_type = "text/html", body = String),
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
    let outcome = match state.app.rate_case(number, &form.check, &addr, &form.grades(), &form.comment).await {
        Ok(_) => Outcome { done: Some("感谢您的评价，评价已记录。".to_string()), ..Outcome::default() },
        Err(err) => {
            let err = AppError::from(err);
            Outcome { status: err.status, done: None, error: Some(err.message) }
        }
    };
    // The case again, with its rating now.
    shown(&state, number, &form.check, &addr, outcome).await
}

/// 好差评 over the API: the case, its check, a grade per indicator and the comment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// 办件编号.
    pub number: String,
    /// 查询码, or the last 4 characters of the applicant's ID number.
    pub check: String,
    /// Indicator key → grade key. 网上申请的办件（线上服务）: overall, efficiency, guide_accuracy,
    /// convenience, usability; 窗口受理的（线下服务）: overall, efficiency, service_level, attitude.
    /// Grades: very_satisfied, satisfied, fairly_satisfied, dissatisfied, very_dissatisfied.
    pub grades: BTreeMap<String, String>,
    #[serde(default)]
    pub comment: String,
}

/// One indicator's grade.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RatedDimensionDto {
    /// The indicator's key (overall, efficiency, …).
    pub dimension: String,
    /// 整体满意度, 办事效率, …
    pub name: String,
    pub grade: String,
    /// 非常满意 … 非常不满意.
    pub grade_name: String,
}

/// A rating as recorded.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RatingDto {
    /// online (线上服务) or offline (线下服务).
    pub channel: String,
    pub grades: Vec<RatedDimensionDto>,
    pub comment: String,
    /// 差评 on any indicator: the service will call back and rectify.
    pub bad: bool,
}

impl RatingDto {
    fn of(rating: &Rating) -> RatingDto {
        let channel = RatingChannel::parse(&rating.channel).unwrap_or(RatingChannel::Offline);
        let grades = rating
            .grades
            .iter()
            .map(|(d, g)| RatedDimensionDto {
                dimension: d.clone(),
                name: Dimension::parse(d).map_or("", |d| d.name_zh(channel)).to_string(),
                grade: g.clone(),
                grade_name: Grade::parse(g).map_or("", Grade::name_zh).to_string(),
            })
            .collect();
        RatingDto {
            channel: channel.as_str().to_string(),
            grades,
            comment: rating.comment.clone(),
            bad: rating.is_bad(),
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/track/rate",
    tag = "cases",
    request_body = RateRequest,
    responses(
        (status = 201, description = "已评价（每件一次；任一指标为不满意或非常不满意的，经办单位将回访整改）", body = RatingDto),
        (status = 400, description = "请求格式错误", body = crate::dto::ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = crate::dto::ErrorBody),
        (status = 404, description = "办件编号或查询码不正确（`case_not_found`，两者不加区分）", body = crate::dto::ErrorBody),
        (status = 409, description = "该办件已评价（`case_rated`）", body = crate::dto::ErrorBody),
        (status = 422, description = "未办结（`case_not_closed`）；指标未评价或评价不在五级之内（`unknown_grade`）、不属于该办理方式（`unknown_rating_dimension`）、意见过长（`comment_too_long`），列出全部问题", body = crate::dto::ErrorBody),
        (status = 429, description = "查询失败次数过多", body = crate::dto::ErrorBody),
    )
)]
pub async fn rate_api(
    State(state): State<AppState>,
    _same_site: crate::extract::SameSite,
    ClientAddr(addr): ClientAddr,
    crate::extract::AppJson(body): crate::extract::AppJson<RateRequest>,
) -> Result<(StatusCode, axum::Json<RatingDto>), AppError> {
    let rating = state.app.rate_case(body.number.trim(), &body.check, &addr, &body.grades, &body.comment).await?;
    Ok((StatusCode::CREATED, axum::Json(RatingDto::of(&rating))))
}
