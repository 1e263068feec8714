//! The rater's page for rating the fix of a 差评 (国办发〔2019〕51号: 办事企业和群众对整改情况
//! 进行评价): the case's number, its 查询码 and the grade, public, never a staff act. The same
//! check and throttle as the progress look-up; a wrong check reads as an unknown number.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use service::portal::Grade;

use crate::error::AppError;
use crate::extract::{self, ClientAddr, PageForm};
use crate::views::{render_status, Layout};
use crate::AppState;

#[derive(Template)]
#[template(path = "verticals/hotline/rate_fix.html")]
pub struct RateFixPage {
    pub layout: Layout,
    pub number: String,
    pub grades: Vec<(&'static str, &'static str)>,
    pub done: Option<&'static str>,
    pub error: Option<String>,
}

fn page(status: StatusCode, number: &str, done: Option<&'static str>, error: Option<String>) -> Response {
    let page = RateFixPage {
        layout: Layout::public("差评整改评价"),
        number: number.to_string(),
        grades: Grade::ALL.into_iter().map(|g| (g.as_str(), g.name_zh())).collect(),
        done,
        error,
    };
    render_status(status, &page)
}

/// The form.
#[utoipa::path(
    get,
    path = "/hotline/rate-fix",
    tag = "pages",
    responses((status = 200, description = "差评整改评价表：办件编号、查询码和对整改结果的评价", content_type = "text/html", body = String))
)]
pub async fn form() -> Response {
    page(StatusCode::OK, "", None, None)
}

#[derive(Debug, Deserialize)]
pub struct RateFixForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    check: String,
    #[serde(default)]
    grade: String,
}

/// The rater's grade of the fix.
#[utoipa::path(
    post,
    path = "/hotline/rate-fix",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "number, check, grade（very_satisfied、satisfied、fairly_satisfied、dissatisfied、very_dissatisfied）"),
    responses(
        (status = 200, description = "已记录对整改结果的评价", content_type = "text/html", body = String),
        (status = 403, description = "来自其他网站的请求", content_type = "text/html", body = String),
        (status = 404, description = "办件编号或查询码不正确，或该办件没有差评", content_type = "text/html", body = String),
        (status = 422, description = "整改未办结、已评价过或未选择评价", content_type = "text/html", body = String),
        (status = 429, description = "查询失败次数过多", content_type = "text/html", body = String),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<RateFixForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    let number = form.number.trim();
    match state.app.hotline_rate_fix(number, &form.check, &addr, &form.grade).await {
        Ok(()) => page(StatusCode::OK, number, Some("感谢您对整改结果的评价，评价已记录。"), None),
        Err(err) => {
            let err = AppError::from(err);
            page(err.status, number, None, Some(err.message))
        }
    }
}
