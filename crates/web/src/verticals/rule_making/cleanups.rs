//! 规范性文件清理 on the staff pages, and its published results for the public.
//!
//! A campaign lists the documents of a division in force on the day it opens; staff record
//! each document's conclusion (继续有效, 拟修改, 废止, 宣布失效) with its reason, and publish the
//! results once every document has one: each repeal or declared lapse then takes effect that
//! day (四川省行政规范性文件管理办法, 省政府令第351号: documents are cleaned up and the results
//! made public). The forms go through the service calls of the JSON API.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::access::Permission;
use domain::verticals::rule_making::document::Verdict;
use service::verticals::rule_making::CleanupFull;
use service::{ErrorKind, ServiceError};

use super::pages::{after_post, may, query_param, stale};
use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

/// One campaign in a list.
pub struct CampaignLine {
    pub id: i64,
    pub title: String,
    pub started: String,
    pub published: String,
    pub documents: usize,
    pub decided: usize,
}

fn campaign_line(c: &CleanupFull) -> CampaignLine {
    CampaignLine {
        id: c.id,
        title: c.title.clone(),
        started: date_zh(c.started_on),
        published: c.published_on.map(date_zh).unwrap_or_else(|| "尚未公布".into()),
        documents: c.items.len(),
        decided: c.items.iter().filter(|i| i.verdict.is_some()).count(),
    }
}

/// One document reviewed in a campaign.
pub struct ItemLine {
    pub document_id: i64,
    pub number: String,
    pub title: String,
    pub verdict: String,
    /// The verdict's machine value, to preselect it in the form.
    pub chosen: String,
    pub reason: String,
    pub decided: String,
}

fn item_lines(c: &CleanupFull) -> Vec<ItemLine> {
    c.items
        .iter()
        .map(|i| ItemLine {
            document_id: i.document_id,
            number: i.number.clone(),
            title: i.title.clone(),
            verdict: i.verdict.map(|v| v.name_zh().to_string()).unwrap_or_else(|| "尚无意见".into()),
            chosen: i.verdict.map(|v| v.as_str().to_string()).unwrap_or_default(),
            reason: i.reason.clone(),
            decided: i.decided_on.map(date_zh).unwrap_or_default(),
        })
        .collect()
}

fn verdict_choices() -> Vec<(&'static str, &'static str)> {
    Verdict::ALL.into_iter().map(|v| (v.as_str(), v.name_zh())).collect()
}

// ---------------------------------------------------------------------------------------------
// The list and the form that opens a campaign

#[derive(Template)]
#[template(path = "verticals/rule_making/cleanups.html")]
pub struct CleanupsPage {
    pub layout: Layout,
    pub lines: Vec<CampaignLine>,
    pub may_manage: bool,
    pub csrf_token: String,
    pub division: crate::pickers::DivisionPicker,
    pub title: String,
    pub errors: Vec<String>,
}

async fn cleanups_page(
    state: &AppState,
    user: &AuthUser,
    division: &str,
    title: String,
    errors: Vec<String>,
) -> Result<CleanupsPage, ServiceError> {
    let campaigns = state.app.rule_cleanups(&user.actor).await?;
    let field = crate::pickers::DivisionField::new("division", "清理范围（制定机关所在地）")
        .required()
        .down_to(domain::division::Level::County);
    Ok(CleanupsPage {
        layout: Layout::for_user("规范性文件清理", user),
        lines: campaigns.iter().map(campaign_line).collect(),
        may_manage: user.actor.may_somewhere(Permission::ManageRules),
        csrf_token: user.csrf_token.clone(),
        division: crate::pickers::DivisionPicker::new(state.app.divisions(), &user.actor, &field, division),
        title,
        errors,
    })
}

/// The clean-up campaigns of the reader's jurisdiction, and the form that opens one.
#[utoipa::path(
    get,
    path = "/rule-making/cleanups",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "规范性文件清理：各次清理及其进展，启动清理的表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn list(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    match cleanups_page(&state, &user, "", String::new(), vec![]).await {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Opens a campaign over every document of the division in force today; on success to its page.
#[utoipa::path(
    post,
    path = "/rule-making/cleanups",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, title"),
    responses(
        (status = 303, description = "已启动：转到清理页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 422, description = "表单与提示（如该地区没有现行有效的规范性文件）", content_type = "text/html", body = String),
    )
)]
pub async fn open(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let (division, title) = (post.one("division"), post.one("title"));
    let result = state.app.rule_cleanup_open(&user.actor, &division, &title).await;
    let to = |id| format!("/rule-making/cleanups/{id}?done=opened");
    let (state, division) = (&state, &division);
    after_post(user, result, to, |problems| cleanups_page(state, user, division, title, problems)).await
}

// ---------------------------------------------------------------------------------------------
// A campaign

#[derive(Template)]
#[template(path = "verticals/rule_making/cleanup.html")]
pub struct CleanupPage {
    pub layout: Layout,
    pub id: i64,
    pub revision: i64,
    pub title: String,
    pub started: String,
    pub published: Option<String>,
    pub items: Vec<ItemLine>,
    pub choices: Vec<(&'static str, &'static str)>,
    /// Staff who may record verdicts, while the results are not published.
    pub may_write: bool,
    pub complete: bool,
    pub csrf_token: String,
    pub done: Option<String>,
    pub errors: Vec<String>,
}

fn cleanup_page(
    state: &AppState,
    user: &AuthUser,
    c: &CleanupFull,
    done: Option<String>,
    errors: Vec<String>,
) -> CleanupPage {
    CleanupPage {
        layout: Layout::for_user("规范性文件清理", user),
        id: c.id,
        revision: c.revision,
        title: c.title.clone(),
        started: date_zh(c.started_on),
        published: c.published_on.map(date_zh),
        items: item_lines(c),
        choices: verdict_choices(),
        may_write: c.published_on.is_none() && may(state, user, Permission::ManageRules, &c.division),
        complete: c.items.iter().all(|i| i.verdict.is_some()),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
    }
}

/// A campaign: each document with its conclusion and reason, the forms that record them, and
/// the publication of the results.
#[utoipa::path(
    get,
    path = "/rule-making/cleanups/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "清理编号")),
    responses(
        (status = 200, description = "清理页：逐件清理意见及理由", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "清理不存在", content_type = "text/html", body = String),
    )
)]
pub async fn page(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let done = match query_param(&query, "done").as_str() {
        "opened" => Some("已启动清理，列出了启动之日现行有效的文件。请逐件提出清理意见。".to_string()),
        "verdict" => Some("已记录清理意见。".to_string()),
        "published" => Some("已公布清理结果；决定废止、宣布失效的文件自今日起不再有效。".to_string()),
        _ => None,
    };
    match state.app.rule_cleanup(&user.actor, id).await {
        Ok(c) => render_status(StatusCode::OK, &cleanup_page(&state, &user, &c, done, vec![])),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// A campaign's page form after its service call: back to the campaign, or its page again with
/// the refusal.
async fn after_cleanup_post(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    result: Result<CleanupFull, ServiceError>,
    done: &str,
) -> Response {
    let to = |_| format!("/rule-making/cleanups/{id}?done={done}");
    after_post(user, result, to, |problems| async move {
        let campaign = state.app.rule_cleanup(&user.actor, id).await?;
        Ok(cleanup_page(state, user, &campaign, None, problems))
    })
    .await
}

/// The conclusion on one document of a campaign, with its reason.
#[utoipa::path(
    post,
    path = "/rule-making/cleanups/{id}/verdicts",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "清理编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, document_id, verdict（keep、amend、repeal、declare_lapsed）, reason"),
    responses(
        (status = 303, description = "已记录：转回清理页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "清理不存在", content_type = "text/html", body = String),
        (status = 409, description = "已变化或结果已公布", content_type = "text/html", body = String),
        (status = 422, description = "清理页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn verdict(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let result = match (post.one("expected_revision").parse::<i64>(), post.one("document_id").parse::<i64>()) {
        (Ok(rev), Ok(document)) => {
            state
                .app
                .rule_cleanup_verdict(&user.actor, id, rev, document, &post.one("verdict"), &post.one("reason"))
                .await
        }
        (Err(_), _) => Err(stale()),
        (_, Err(_)) => Err(ServiceError::new(ErrorKind::Invalid, "not_in_cleanup", "该文件不在本次清理范围内")
            .with_field("document_id")),
    };
    after_cleanup_post(&state, user, id, result, "verdict").await
}

/// Publishes the results once every document has its conclusion.
#[utoipa::path(
    post,
    path = "/rule-making/cleanups/{id}/publish",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "清理编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision"),
    responses(
        (status = 303, description = "已公布：转回清理页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "清理不存在", content_type = "text/html", body = String),
        (status = 409, description = "已变化或结果已公布", content_type = "text/html", body = String),
        (status = 422, description = "尚有文件没有清理意见：清理页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn publish(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => state.app.rule_cleanup_publish(&user.actor, id, rev).await,
        Err(_) => Err(stale()),
    };
    after_cleanup_post(&state, user, id, result, "published").await
}

// ---------------------------------------------------------------------------------------------
// The public results

pub struct ResultBlock {
    pub title: String,
    pub published: String,
    pub items: Vec<ItemLine>,
}

#[derive(Template)]
#[template(path = "verticals/rule_making/cleanup_results.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub blocks: Vec<ResultBlock>,
}

/// The published results of the clean-ups: each document reviewed with its conclusion and reason.
#[utoipa::path(
    get,
    path = "/rule-making/cleanup-results",
    tag = "pages",
    responses((status = 200, description = "规范性文件清理结果（公众页面）", content_type = "text/html", body = String))
)]
pub async fn results(State(state): State<AppState>) -> Response {
    match state.app.rule_cleanup_results().await {
        Ok(campaigns) => render_status(
            StatusCode::OK,
            &ResultsPage {
                layout: Layout::public("规范性文件清理结果"),
                blocks: campaigns
                    .iter()
                    .map(|c| ResultBlock {
                        title: c.title.clone(),
                        published: c.published_on.map(date_zh).unwrap_or_default(),
                        items: item_lines(c),
                    })
                    .collect(),
            },
        ),
        Err(err) => AppError::from(err).into_html(),
    }
}
