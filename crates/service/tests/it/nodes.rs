//! Regional nodes over the local NATS JetStream server (127.0.0.1:4222, or `MINZHENG_TEST_NATS`):
//! a 残疾人两项补贴 accepted at a 重庆 window and pushed (推送) is received by the 四川 node, decided
//! there and its result returned; each message applied once, replays harmless, a message that
//! cannot be applied kept as a dead letter with its reason. Without a NATS server the test fails
//! (it never skips).

use std::sync::Arc;
use std::time::Duration;

use domain::engine::action::Action;
use serde_json::Value;
use service::nodes::{self, Envelope, NodeConfig, WhereStage};
use test_support::{on_both, Db, TestApp};

use crate::assistance::{morning, TOWNSHIP};
use crate::test_app;

const CHONGQING: &str = "500101001"; // 重庆市万州区高笋塘街道

pub fn nats_url() -> String {
    std::env::var("MINZHENG_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// A stream prefix no other run uses.
fn prefix() -> String {
    format!("T{}", &nodes::message_id()[..12])
}

async fn node(db: Db, code: &str, prefix: &str) -> TestApp {
    let mut t = test_app(db).await;
    let config = NodeConfig::new(code, &nats_url(), prefix).expect("node");
    Arc::get_mut(&mut t.app).expect("not shared yet").set_node(Some(config));
    t
}

async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..200 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn a_subsidy_accepted_in_chongqing_is_decided_by_the_sichuan_node(db: Db) {
    let prefix = prefix();
    let cq = node(db, "500000", &prefix).await;
    let sc = node(db, "510000", &prefix).await;
    for t in [&cq, &sc] {
        t.clock.set(morning(2021, 7, 5)).expect("Monday 2021-07-05");
    }
    let clerk = cq.staff("clerk_cq", "clerk", CHONGQING).await;
    let officer = cq.staff("officer_cq", "township_officer", CHONGQING).await;
    let input = crate::assistance_returns::subsidy_at_chongqing(201);
    let case = cq.app.submit_case(&clerk, &input).await.expect("accepted at the 重庆 window").view.case;
    cq.app.act_on_case(&officer, case.id, None, &Action::Accept).await.expect("accept");
    assert_eq!(cq.app.unsent_messages().await.expect("count"), 0, "nothing crosses before the push");
    cq.app.act_on_case(&officer, case.id, None, &Action::Forward).await.expect("pushed to the 户籍地");

    // The push wrote its message in the act's transaction, naming the act's event.
    assert_eq!(cq.app.unsent_messages().await.expect("count"), 1, "待发送 1 while no link runs");
    let rows = cq.app.store.unsent_messages(10).await.expect("outbox");
    let events = cq.app.store.stream_events(&format!("case:{}", case.id)).await.expect("events");
    let forward = events.last().expect("the forward event");
    assert_eq!(forward.act, "case.forward");
    assert_eq!(rows[0].message.to_node, "510000");
    assert_eq!(rows[0].sender_hash.as_deref(), Some(hex::encode(forward.hash).as_str()));
    // The accepting case's page: the matter waits here to be sent; no remote clock yet.
    let whereabouts = async || {
        let view = cq.app.case(&officer, case.id).await.expect("case");
        cq.app.case_whereabouts(&view).await.expect("where").expect("a crossing")
    };
    let here = whereabouts().await;
    assert_eq!((here.node_name.as_str(), here.competent_name.contains("通川区")), ("四川省", true), "{here:?}");
    assert!(matches!(here.stage, WhereStage::Unsent { .. }), "{here:?}");

    // Both links run: the 四川 node receives the matter once, with the sender's hash.
    for t in [&cq, &sc] {
        let app = t.app.clone();
        tokio::spawn(async move { nodes::run_link(app, Duration::from_millis(50)).await });
    }
    until("the handover", async || sc.app.store.inbox_count().await.expect("inbox") == 1).await;
    until("the outbox marked sent", async || cq.app.unsent_messages().await.expect("count") == 0).await;
    // Now the 四川 node holds it and its clock runs there: 10 working days from its receipt.
    match whereabouts().await.stage {
        WhereStage::Remote { sent_on, limit, due_if_received_then } => {
            assert_eq!(sent_on.to_string(), "2021-07-05");
            assert_eq!(limit.map(|l| l.0), Some(10));
            assert_eq!(due_if_received_then.map(|d| d.to_string()).as_deref(), Some("2021-07-19"));
        }
        other => panic!("expected the remote node's clock, got {other:?}"),
    }
    let held = sc.app.held_matter(&case.number).await.expect("held");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].act, "node.case_received");
    let payload: Value = serde_json::from_str(&held[0].payload).expect("payload");
    assert_eq!(payload["link"]["sender_hash"], hex::encode(forward.hash));
    assert_eq!(payload["link"]["from_node"], "500000");
    assert_eq!(payload["competent"], TOWNSHIP);
    // The 户籍地's clock: 10 working days from receipt (Mon 07-05 → Mon 07-19).
    assert_eq!(payload["decide"]["due"], "2021-07-19");
    assert!(payload["decide"]["basis"].as_str().expect("basis").contains("10个工作日"));

    // A replay of the same message (a redelivery after a crash before the ack) changes nothing.
    let replay = Envelope {
        id: rows[0].message.id.clone(),
        from: "500000".into(),
        to: "510000".into(),
        kind: rows[0].message.kind.clone(),
        sender_stream: rows[0].message.sender_stream.clone(),
        sender_hash: rows[0].sender_hash.clone(),
        payload: serde_json::from_str(&rows[0].message.payload).expect("payload"),
    };
    assert!(!sc.app.receive_message(&replay).await.expect("replayed"), "a duplicate is not applied");
    assert_eq!(sc.app.held_matter(&case.number).await.expect("held").len(), 1);

    // Decided on the 四川 node; the result returns to the 重庆 case's own record.
    let sent = sc
        .app
        .return_held_result(&case.number, "granted", "符合护理补贴条件", "account:9:decider")
        .await
        .expect("sent");
    let err = sc.app.return_held_result(&case.number, "granted", "再次", "account:9:decider").await.expect_err("once");
    assert_eq!(err.code, "node_result_sent");
    until("the result", async || cq.app.store.inbox_count().await.expect("inbox") == 1).await;
    let events = cq.app.store.stream_events(&format!("case:{}", case.id)).await.expect("events");
    let result = events.last().expect("result event");
    assert_eq!(result.act, "node.result_received");
    let payload: Value = serde_json::from_str(&result.payload).expect("payload");
    assert_eq!(payload["outcome"], "granted");
    assert_eq!(payload["link"]["sender_hash"], hex::encode(sent.hash));
    // The accepting place's clock: tell the applicant within 3 working days (Mon 07-05 → Thu 07-08).
    assert_eq!(payload["deliver"]["due"], "2021-07-08");
    // Back here: the accepting office's clock runs (telling the applicant), with the outcome.
    match whereabouts().await.stage {
        WhereStage::Back { granted, due, limit, .. } => {
            assert_eq!(granted, Some(true));
            assert_eq!(due.map(|d| d.to_string()).as_deref(), Some("2021-07-08"));
            assert_eq!(limit.map(|l| l.0), Some(3));
        }
        other => panic!("expected the result back here, got {other:?}"),
    }
    // Both records still verify.
    for t in [&cq, &sc] {
        let verification = t.app.store.verify_record(None).await.expect("verify");
        assert!(verification.is_ok(), "{verification:?}");
    }

    // A message that cannot be applied is kept with its reason, never dropped.
    let js = tokio::time::timeout(Duration::from_secs(10), nodes::connect(sc.app.node().expect("node")))
        .await
        .expect("a NATS server answers (the test fails without one)")
        .expect("connected");
    let bad = Envelope { id: nodes::message_id(), kind: "case.unknown".into(), ..replay.clone() };
    let subject = sc.app.node().expect("node").subject_to("510000");
    js.publish(subject.clone(), serde_json::to_vec(&bad).expect("json").into())
        .await
        .expect("published")
        .await
        .expect("acknowledged");
    let unknown_case = Envelope {
        id: nodes::message_id(),
        kind: nodes::KIND_RESULT.into(),
        payload: serde_json::json!({"number": "500101001-2021-999999", "item": "disability-subsidy", "item_version": 1}),
        ..replay
    };
    js.publish(subject, serde_json::to_vec(&unknown_case).expect("json").into())
        .await
        .expect("published")
        .await
        .expect("acknowledged");
    until("the dead letters", async || sc.app.dead_letters(10).await.expect("dead").len() == 2).await;
    let dead = sc.app.dead_letters(10).await.expect("dead");
    assert!(dead.iter().any(|d| d.id == bad.id && d.reason.contains("未知的消息类型")), "{dead:?}");
    assert!(dead.iter().any(|d| d.id == unknown_case.id && d.reason.contains("本节点没有办件")), "{dead:?}");
    assert_eq!(sc.app.store.inbox_count().await.expect("inbox"), 1, "a dead letter is not applied");
}
on_both!(crossing, a_subsidy_accepted_in_chongqing_is_decided_by_the_sichuan_node);

async fn a_node_is_a_province_code(_db: Db) {
    for bad in ["511702", "51000", "5100000", "abcdef"] {
        let err = NodeConfig::new(bad, "nats://127.0.0.1:4222", "MZ").expect_err(bad);
        assert_eq!(err.code, "node_invalid");
    }
    let node = NodeConfig::new("510000", "nats://127.0.0.1:4222", "MZ").expect("四川");
    assert!(node.owns("511702001") && !node.owns("500101001"));
    assert_eq!(nodes::node_of("500101001"), "500000");
}
on_both!(province_codes, a_node_is_a_province_code);
