//! 节点交换 (`/admin/nodes`): "待发送 N" while the outbox holds unsent messages, and the dead
//! letters with their reasons; administrators only.

use domain::audit::EventDraft;
use serde_json::json;
use store::nodes::{DeadLetter, Outgoing};
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

on_both!(the_node_page_shows_what_waits_and_what_could_not_be_applied, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, _) = api.cookie_login("admin", &password).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let hub = api.get("/admin", cookie).await.text();
    assert!(hub.contains("<a href=\"/admin/nodes\">节点交换</a>"), "{hub}");
    let page = api.get("/admin/nodes", cookie).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("<strong>待发送 0</strong>"), "{}", page.text());

    // Two messages written while the broker is unreachable, one message that could not be applied.
    let store = &api.t.app.store;
    let now = api.t.app.now();
    for n in 1..=2 {
        let message = Outgoing {
            id: format!("{n:032x}"),
            to_node: "510000".into(),
            kind: service::nodes::KIND_HANDOVER.into(),
            payload: json!({ "number": format!("500101001-2021-00000{n}") }).to_string(),
            sender_stream: String::new(),
        };
        let event = EventDraft::new(format!("case:{n}"), "system", "node.result_sent", json!({}));
        store.send_message(&event, &message, now).await.expect("sent to the outbox");
    }
    let letter = DeadLetter {
        id: "f".repeat(32),
        from_node: "500000".into(),
        kind: "case.unknown".into(),
        payload: "{}".into(),
        reason: "未知的消息类型 case.unknown".into(),
        at_ms: now.timestamp_millis(),
    };
    store.dead_letter(&letter).await.expect("kept");
    let html = api.get("/admin/nodes", cookie).await.text();
    assert!(html.contains("<strong>待发送 2</strong>"), "{html}");
    assert!(html.contains("<td>推送办件</td><td>四川省</td><td>500101001-2021-000002</td>"), "{html}");
    assert!(html.contains("<td>无法识别的消息</td><td>重庆市</td><td>未知的消息类型 case.unknown</td>"), "{html}");

    // Not an administrator: refused.
    api.staff_token("clerk_nodes", "clerk", "511702").await;
    let (clerk, _) = api.cookie_login("clerk_nodes", STAFF_PASSWORD).await;
    let refused = api.get("/admin/nodes", Auth::Cookie { session: &clerk, csrf: None }).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.text().contains("待发送"), "{}", refused.text());
});
