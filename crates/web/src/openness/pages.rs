//! The pages of the columns: 政务公开 (`/openness`) and 法治政府建设 (`/openness/rule-of-law`),
//! public, each piece with the day it was formed, its last day to be published and the day it
//! was; and the staff register (`/openness/register`) with what is still unpublished and the
//! overdue flagged first.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use service::openness::{Column, OpenLine};

use crate::error::AppError;
use crate::extract::{cookie_session, PageUser};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

/// How many of a category's latest pieces the public column lists (its own page has them all).
const SHOWN: usize = 15;

/// One line of a column.
pub struct LineView {
    pub title: String,
    pub href: Option<String>,
    pub organ: String,
    pub basis: &'static str,
    pub formed: String,
    pub due: String,
    pub limit_basis: &'static str,
    pub published: String,
    pub state: &'static str,
    pub late: bool,
}

impl LineView {
    fn of(l: &OpenLine) -> LineView {
        LineView {
            title: l.entry.title.clone(),
            href: l.entry.href.clone(),
            organ: l.organ.clone(),
            basis: l.entry.basis,
            formed: date_zh(l.entry.formed),
            due: l.due.map(date_zh).unwrap_or_else(|| "—".into()),
            limit_basis: l.limit_basis,
            published: l.entry.published.map(date_zh).unwrap_or_else(|| "尚未公开".into()),
            state: l.state.map(|s| s.name_zh()).unwrap_or("日历未载明该期间，无法计算"),
            late: l.is_late(),
        }
    }
}

/// A category of a column: its count, its latest lines and where the rest is.
pub struct Group {
    pub category: &'static str,
    pub basis: &'static str,
    pub count: usize,
    pub late: usize,
    pub lines: Vec<LineView>,
    pub more: Option<String>,
}

fn groups(lines: &[OpenLine], shown: usize) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for l in lines {
        if out.last().is_none_or(|g| g.category != l.entry.category) {
            out.push(Group {
                category: l.entry.category,
                basis: l.entry.basis,
                count: 0,
                late: 0,
                lines: Vec::new(),
                more: None,
            });
        }
        let Some(g) = out.last_mut() else { continue };
        g.count += 1;
        g.late += usize::from(l.is_late());
        if g.lines.len() < shown {
            g.lines.push(LineView::of(l));
        } else if g.more.is_none() {
            g.more = l.entry.href.clone();
        }
    }
    out
}

#[derive(Template)]
#[template(path = "openness/column.html")]
pub struct ColumnPage {
    pub layout: Layout,
    pub heading: &'static str,
    pub intro: &'static str,
    pub groups: Vec<Group>,
    /// Where the other column is.
    pub other: (&'static str, &'static str),
    pub staff: bool,
}

async fn column_page(state: &AppState, headers: &HeaderMap, column: Column) -> Response {
    let user = cookie_session(headers, state).await;
    let lines = match state.app.open_column(column).await {
        Ok(lines) => lines,
        Err(err) => return AppError::from(err).into_html(),
    };
    let (heading, intro, other) = match column {
        Column::Proactive => (
            "政务公开",
            "依据《中华人民共和国政府信息公开条例》第十九条、第二十条，本机关主动公开下列政府信息；依据第二十六条，属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内公开（法律、法规另有规定的，从其规定）。各栏目的内容取自业务记录，与各业务的公开页面一致。",
            ("/openness/rule-of-law", "法治政府建设专栏"),
        ),
        Column::RuleOfLaw => (
            "法治政府建设专栏",
            "本专栏公开本机关的法治政府建设年度报告、现行有效的规范性文件，以及普法活动、民主法治示范村（社区）等法治政府建设情况，内容取自报告和登记记录。",
            ("/openness", "政务公开"),
        ),
    };
    let layout = match &user {
        Some(user) => Layout::for_user(heading, user),
        None => Layout::public(heading),
    };
    let staff = user.as_ref().is_some_and(|u| u.actor.may_somewhere(domain::access::Permission::ReadReport));
    render_status(StatusCode::OK, &ColumnPage { layout, heading, intro, groups: groups(&lines, SHOWN), other, staff })
}

/// The 政务公开 column.
#[utoipa::path(
    get,
    path = "/openness",
    tag = "pages",
    responses((status = 200, description = "政务公开：各类主动公开的政府信息，每条列明形成日期、应公开期限（政府信息公开条例第二十六条）和公开日期", content_type = "text/html", body = String))
)]
pub async fn proactive(State(state): State<AppState>, headers: HeaderMap) -> Response {
    column_page(&state, &headers, Column::Proactive).await
}

/// The 法治政府建设 column.
#[utoipa::path(
    get,
    path = "/openness/rule-of-law",
    tag = "pages",
    responses((status = 200, description = "法治政府建设专栏：年度报告、现行有效的规范性文件、普法活动和民主法治示范村（社区）", content_type = "text/html", body = String))
)]
pub async fn rule_of_law(State(state): State<AppState>, headers: HeaderMap) -> Response {
    column_page(&state, &headers, Column::RuleOfLaw).await
}

#[derive(Template)]
#[template(path = "openness/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    /// Published late or unpublished past the limit.
    pub late: Vec<LineView>,
    /// Unpublished, still within the limit.
    pub pending: Vec<LineView>,
    /// Per category: (category, count, published on time, late).
    pub totals: Vec<(&'static str, usize, usize, usize)>,
}

/// The staff register of 主动公开: the overdue first.
#[utoipa::path(
    get,
    path = "/openness/register",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "主动公开台账：逾期未公开和超期公开的信息、待公开的信息、各栏目按时公开情况", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无权查阅", content_type = "text/html", body = String),
    )
)]
pub async fn register(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    use domain::openness::PublishState;
    let lines = match state.app.open_register(&user.actor).await {
        Ok(lines) => lines,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let late = lines.iter().filter(|l| l.is_late()).map(LineView::of).collect();
    let pending = lines
        .iter()
        .filter(|l| matches!(l.state, Some(PublishState::Pending { overdue: false })))
        .map(LineView::of)
        .collect();
    let mut totals: Vec<(&'static str, usize, usize, usize)> = Vec::new();
    for l in &lines {
        if totals.last().is_none_or(|t| t.0 != l.entry.category) {
            totals.push((l.entry.category, 0, 0, 0));
        }
        if let Some(t) = totals.last_mut() {
            t.1 += 1;
            t.2 += usize::from(l.state == Some(PublishState::OnTime));
            t.3 += usize::from(l.is_late());
        }
    }
    let page = RegisterPage { layout: Layout::for_user("主动公开台账", &user), late, pending, totals };
    render_status(StatusCode::OK, &page)
}
