//! The SMS sent to the public with their one-time codes for commenting on a draft, as staff
//! read them. The project has no SMS gateway: an SMS is recorded as sent and this page is the
//! stand-in for the gateway's delivery log (the demo reads a code from it). Only the staff who
//! manage rule-making in the draft's division see its SMS; the phone is shown masked.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::AppError;
use crate::extract::PageUser;
use crate::views::{datetime_zh, render_status, Layout};
use crate::AppState;

/// One SMS as listed: (sent at, phone masked, message, decision id).
pub type SmsLine = (String, String, String, i64);

#[derive(Template)]
#[template(path = "verticals/rule_making/sms.html")]
pub struct SmsPage {
    pub layout: Layout,
    pub lines: Vec<SmsLine>,
}

/// The SMS recorded as sent, newest first.
#[utoipa::path(
    get,
    path = "/rule-making/sms",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "短信发送记录（公众提交意见的验证码短信；本系统未接入短信网关，以此记录代替）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无管理决策和规范性文件的权限", content_type = "text/html", body = String),
    )
)]
pub async fn page(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    match state.app.rule_sms_sent(&user.actor).await {
        Ok(rows) => render_status(
            StatusCode::OK,
            &SmsPage {
                layout: Layout::for_user("短信发送记录", &user),
                lines: rows
                    .into_iter()
                    .map(|r| (datetime_zh(r.sent_at), r.phone_masked, r.message, r.decision_id))
                    .collect(),
            },
        ),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}
