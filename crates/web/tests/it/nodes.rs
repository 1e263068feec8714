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
    assert!(html.contains("<td data-label=\"类型\">推送办件</td><td data-label=\"发往\">四川省</td><td data-label=\"办件编号\">500101001-2021-000002</td>"), "{html}");
    assert!(html.contains("<td data-label=\"类型\">无法识别的消息</td><td data-label=\"来自\">重庆市</td><td data-label=\"原因\">未知的消息类型 case.unknown</td>"), "{html}");

    // Not an administrator: refused.
    api.staff_token("clerk_nodes", "clerk", "511702").await;
    let (clerk, _) = api.cookie_login("clerk_nodes", STAFF_PASSWORD).await;
    let refused = api.get("/admin/nodes", Auth::Cookie { session: &clerk, csrf: None }).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.text().contains("待发送"), "{}", refused.text());
});

// A decision made on the 四川 node, printed on the 重庆 node: the result brought the competent
// copy's number and record, so the accepting office prints that office's 决定书 — numbered on
// the 四川 copy, the amount and months from its record, naming the node that decided — and its
// QR code verifies it on the 重庆 node.
on_both!(the_accepting_node_prints_the_decision_the_other_node_made, |db| async move {
    let api = Api::on_node(db, "500000").await;
    let (case, remote) = crate::browser_nodes::pushed_to_sichuan(&api).await;
    let token = api.token("officer_cq", STAFF_PASSWORD).await;
    let auth = Auth::Bearer(&token);
    let notice = format!("/cases/{}/notices/decision", case.id);
    assert_eq!(api.get(&notice, auth).await.status, 404, "nothing decided yet");

    let decided = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2021, 7, 12, 2, 0, 0).single().expect("instant");
    let record = json!([
        {"act": "case.submit", "at_ms": decided.timestamp_millis() - 1, "payload": {}},
        {"act": "assistance.decision", "at_ms": decided.timestamp_millis(), "payload": {
            "program": "disability_care", "granted": true, "outcome": "grant", "amount_fen": 8000,
            "authority": "县级民政部门审核认定", "rule_version": "四川省2021", "first_month": "2021-08",
            "last_month": null, "trace": [], "reasons": []}},
    ]);
    let result = json!({
        "status": "已办结：准予", "revision": 9, "outcome": "granted", "reason": "", "documents": [],
        "decision": {"outcome": null, "granted": true, "reasons": "", "basis": "《四川省残疾人两项补贴实施办法》",
                     "delegated_by": null, "division": "511702", "by": "account:9:decider", "at": decided.to_rfc3339()},
        "notice_record": record,
    });
    let result = crate::browser_nodes::from_sichuan(service::nodes::KIND_RESULT, &case, remote, result);
    let objects = service::nodes::Objects::new();
    assert!(api.t.app.receive_message(&result, &objects).await.expect("applied"));

    let page = api.get(&notice, auth).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    // Numbered on the 四川 copy (its 000001), issued by 通川区, the node named, the area's rows.
    assert!(html.contains("民决〔2021〕第001-1号"), "{html}");
    assert!(
        html.contains("作出决定的节点") && html.contains(&format!("四川省节点（该节点办件编号{remote}）")),
        "{html}"
    );
    assert!(html.contains("80 元") && html.contains("2021年8月"), "the amount from the 四川 record: {html}");
    assert!(html.contains("通川区"), "{html}");
    // The QR code's address verifies the printed content on this node.
    let printed = html.split("扫描二维码核验本文书：").nth(1).expect("the verification address printed");
    let verify = printed[..printed.find('<').expect("its end")].replace("&#38;", "&");
    assert!(verify.starts_with("/verify/case/") && verify.contains("&k=decision&d="), "{verify}");
    let public = api.get(&verify, Auth::None).await;
    assert_eq!(public.status, 200, "{verify}: {}", public.text());
    assert!(public.text().contains("该文书与发文机关的记录相符"), "{}", public.text());
    let altered = verify.replace("&k=decision", "&k=acceptance");
    assert_eq!(api.get(&altered, Auth::None).await.status, 404);
});
