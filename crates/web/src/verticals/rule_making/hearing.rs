//! 听证报名 on the pages (重大行政决策程序暂行条例第十六条): a signed-in 实名认证 citizen applies
//! from the draft's public page to take part in the hearing announced for it; staff decide each
//! application from the decision's page. The forms call the service the API would.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::consultation::{page_after, shown_refusal, Typed};
use super::pages::{after_decision_post, stale};
use crate::error::AppError;
use crate::extract::{PagePath, PagePost};
use crate::AppState;

/// A signed-in 实名认证 citizen's application to take part in the hearing announced for a
/// draft (第十六条), before its day and until its list of participants is published.
#[utoipa::path(
    post,
    path = "/rule-making/consultations/{id}/hearing-applications",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, side（affected、business、organization、public）, statement"),
    responses(
        (status = 303, description = "已报名：转回征求意见页；未登录：转到 /login"),
        (status = 400, description = "编号格式不对", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，或不是办事群众的账户", content_type = "text/html", body = String),
        (status = 404, description = "没有公开征求意见的这一决策草案", content_type = "text/html", body = String),
        (status = 409, description = "已报名该听证会：征求意见页与提示", content_type = "text/html", body = String),
        (status = 415, description = "不是表单提交", content_type = "text/html", body = String),
        (status = 422, description = "没有接受报名的听证会、账户尚未实名认证，或报名内容不符合要求：征求意见页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn apply(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let (side, statement) = (post.one("side"), post.one("statement"));
    match state.app.rule_hearing_apply(&user.actor, id, &side, &statement).await {
        Ok(_) => Redirect::to(&format!("/rule-making/consultations/{id}?done=applied#hearing")).into_response(),
        Err(err) => match shown_refusal(&err) {
            Some((status, message)) => {
                let typed = Typed { side, statement, error: Some(message), ..Typed::default() };
                page_after(&state, id, status, Some(user), typed).await
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct ApplicationPath {
    id: i64,
    application: i64,
}

/// The organ's selection on one application to a hearing, from the decision's page.
#[utoipa::path(
    post,
    path = "/rule-making/decisions/{id}/hearing-applications/{application}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号"), ("application" = i64, Path, description = "报名编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, status（selected、not_selected）, reason"),
    responses(
        (status = 303, description = "已记录：转回决策页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "决策或报名不存在", content_type = "text/html", body = String),
        (status = 409, description = "已作出遴选决定或已变化", content_type = "text/html", body = String),
        (status = 422, description = "名单已公布，或未选择结果、未说明理由：决策页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn select(
    State(state): State<AppState>,
    PagePath(ApplicationPath { id, application }): PagePath<ApplicationPath>,
    post: PagePost,
) -> Response {
    let user = &post.user;
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => state
            .app
            .rule_hearing_select(&user.actor, id, application, rev, &post.one("status"), &post.one("reason"))
            .await
            .map(|_| ()),
        Err(_) => Err(stale()),
    };
    after_decision_post(&state, user, id, result, "selected").await
}
