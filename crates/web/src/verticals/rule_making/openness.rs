//! The public 主动公开 column of rule-making (`/rule-making/openness`, 政府信息公开条例第二十条、
//! 第二十六条): the decisions adopted with the day formed, the day published and the
//! 20-working-day limit checked; the normative documents in force with their publication dates
//! (read from the register, not typed twice); links to the other columns already published
//! (public consultation, the register on a date, suggestion results, enforcement 公示).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::AppError;
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

#[derive(Template)]
#[template(path = "verticals/rule_making/openness.html")]
pub struct OpennessPage {
    pub layout: Layout,
    /// (title, organ, formed, due, published, status, late)
    pub decisions: Vec<(String, String, String, String, String, &'static str, bool)>,
    /// (number, title, organ, published)
    pub documents: Vec<(String, String, String, String)>,
}

/// The rule-making part of the 政务公开 column.
#[utoipa::path(
    get,
    path = "/rule-making/openness",
    tag = "pages",
    responses((status = 200, description = "主动公开：重大行政决策（形成日期、公开日期、20个工作日时限）和现行有效的规范性文件", content_type = "text/html", body = String))
)]
pub async fn page(State(state): State<AppState>) -> Response {
    use domain::verticals::rule_making::openness::Disclosure;
    let items = match state.app.rule_proactive().await {
        Ok(items) => items,
        Err(err) => return AppError::from(err).into_html(),
    };
    let documents = match state.app.rule_public_register(None).await {
        Ok(lines) => lines,
        Err(err) => return AppError::from(err).into_html(),
    };
    let page = OpennessPage {
        layout: Layout::public("主动公开"),
        decisions: items
            .into_iter()
            .map(|i| {
                let late = matches!(i.disclosure, Some(Disclosure::Late | Disclosure::Pending { overdue: true }));
                (
                    i.title,
                    i.organ,
                    date_zh(i.formed),
                    i.due.map(date_zh).unwrap_or_else(|| "—".into()),
                    i.published.map(date_zh).unwrap_or_else(|| "—".into()),
                    i.disclosure.map(Disclosure::name_zh).unwrap_or("日历未载明该日期，无法计算"),
                    late,
                )
            })
            .collect(),
        documents: documents
            .into_iter()
            .map(|l| {
                let d = l.row.document;
                (d.number, d.title, d.organ, date_zh(d.published_on))
            })
            .collect(),
    };
    render_status(StatusCode::OK, &page)
}
