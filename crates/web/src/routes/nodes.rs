//! 节点交换 (`/admin/nodes`): a regional node's exchange with the other provinces' nodes, for its
//! administrator: how many messages wait for the broker ("待发送 N": NATS unreachable, the outbox
//! accumulates), the latest messages, and the dead letters with their reasons (a message that
//! could not be applied is kept there, never dropped). docs/designs/nodes.md.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::error::AppError;
use crate::extract::PageUser;
use crate::views::{datetime_zh, render, Layout};
use crate::AppState;

pub struct MessageRow {
    pub kind: String,
    pub node: String,
    pub number: String,
    pub at: String,
    pub sent: String,
}

pub struct DeadRow {
    pub kind: String,
    pub node: String,
    pub reason: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "nodes.html")]
pub struct NodesPage {
    pub layout: Layout,
    /// `None`: this server is no node.
    pub node: Option<String>,
    pub nats: String,
    pub unsent: i64,
    pub received: i64,
    pub outbox: Vec<MessageRow>,
    pub dead: Vec<DeadRow>,
}

/// The name of a message kind.
fn kind_zh(kind: &str) -> String {
    match kind {
        service::nodes::KIND_HANDOVER => "推送办件".into(),
        service::nodes::KIND_RESULT => "返回结果".into(),
        _ => "无法识别的消息".into(),
    }
}

/// A node by its province's name (`510000` → 四川省).
fn node_zh(state: &AppState, node: &str) -> String {
    domain::division::DivisionCode::parse(node)
        .ok()
        .and_then(|code| state.app.divisions().full_name(&code))
        .unwrap_or_else(|| "未知节点".into())
}

fn at_zh(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(datetime_zh).unwrap_or_default()
}

/// The node's exchange: 待发送, the latest messages, the dead letters.
#[utoipa::path(
    get,
    path = "/admin/nodes",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "节点交换页：待发送件数、最近的消息、无法处理的消息（死信）及原因", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是系统管理员", content_type = "text/html", body = String),
    )
)]
pub async fn page(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let status = match state.app.node_status(&user.actor).await {
        Ok(status) => status,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let outbox = status
        .outbox
        .iter()
        .map(|row| {
            let payload: serde_json::Value = serde_json::from_str(&row.message.payload).unwrap_or_default();
            MessageRow {
                kind: kind_zh(&row.message.kind),
                node: node_zh(&state, &row.message.to_node),
                number: payload["number"].as_str().unwrap_or_default().to_string(),
                at: at_zh(row.created_at_ms),
                sent: row.sent_at_ms.map(at_zh).unwrap_or_else(|| "待发送".into()),
            }
        })
        .collect();
    let dead = status
        .dead
        .iter()
        .map(|d| DeadRow {
            kind: kind_zh(&d.kind),
            node: if d.from_node.is_empty() { "未知节点".into() } else { node_zh(&state, &d.from_node) },
            reason: d.reason.clone(),
            at: at_zh(d.at_ms),
        })
        .collect();
    render(&NodesPage {
        layout: Layout::for_user("节点交换", &user),
        node: status.node.as_ref().map(|n| node_zh(&state, &n.node)),
        nats: status.node.as_ref().map(|n| n.nats_url.clone()).unwrap_or_default(),
        unsent: status.unsent,
        received: status.received,
        outbox,
        dead,
    })
}
