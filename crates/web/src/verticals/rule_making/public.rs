//! The public register of normative documents (`/rule-making/register?on=DATE`): the documents
//! in force on any date, their states derived from their dates (a document past its 有效期至
//! is gone from the list on the next day, with nobody acting).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::api::{parse_on, OnQuery};
use crate::extract::AppQuery;
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

pub struct RegisterLine {
    pub number: String,
    pub title: String,
    pub organ: String,
    pub published: String,
    pub effective: String,
    pub valid_until: String,
}

#[derive(Template)]
#[template(path = "verticals/rule_making/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    /// The day read, as typed back into the form (YYYY-MM-DD).
    pub on: String,
    pub on_zh: String,
    pub lines: Vec<RegisterLine>,
    pub error: Option<String>,
}

#[utoipa::path(
    get,
    path = "/rule-making/register",
    tag = "pages",
    params(OnQuery),
    responses(
        (status = 200, description = "指定日期现行有效的规范性文件目录", content_type = "text/html", body = String),
        (status = 422, description = "日期格式不对", content_type = "text/html", body = String),
    )
)]
pub async fn register(State(state): State<AppState>, AppQuery(query): AppQuery<OnQuery>) -> Response {
    let layout = Layout::public("现行有效的规范性文件");
    let today = state.app.today();
    let (on, status, error) = match parse_on(query.on.as_deref()) {
        Ok(on) => (on.unwrap_or(today), StatusCode::OK, None),
        Err(err) => (today, StatusCode::UNPROCESSABLE_ENTITY, Some(err.message)),
    };
    let lines = match state.app.rule_public_register(Some(on)).await {
        Ok(lines) => lines
            .into_iter()
            .map(|l| {
                let d = l.row.document;
                RegisterLine {
                    number: d.number,
                    title: d.title,
                    organ: d.organ,
                    published: date_zh(d.published_on),
                    effective: date_zh(d.effective_on),
                    valid_until: date_zh(d.valid_until),
                }
            })
            .collect(),
        Err(err) => return crate::error::AppError::from(err).into_html(),
    };
    let page = RegisterPage { layout, on: on.to_string(), on_zh: date_zh(on), lines, error };
    render_status(status, &page)
}
