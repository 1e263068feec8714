//! Regional nodes over the local NATS JetStream server (127.0.0.1:4222, or `MINZHENG_TEST_NATS`):
//! a 残疾人两项补贴 accepted at a 重庆 window and pushed (推送) is received by the 四川 node, returned
//! with reasons, pushed again, decided there and its result returned; the documents travel both
//! ways (SM3-checked); each node has its own data key; each message applied once, replays
//! harmless, a message that cannot be applied kept as a dead letter with its reason. Without a
//! NATS server the test fails (it never skips).

use std::sync::Arc;
use std::time::Duration;

use domain::engine::action::{Action, DeliveryMethod, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::Value;
use service::attachments::Upload;
use service::nodes::{self, Envelope, NodeConfig, Objects, WhereStage};
use store::Keys;
use test_support::{on_both, Db, TestApp};

use crate::assistance::{care_application, grade_one_certificate, grant, household, morning, staff, COUNTY};

const CHONGQING: &str = "500101001"; // 重庆市万州区高笋塘街道

pub fn nats_url() -> String {
    std::env::var("MINZHENG_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// A stream prefix no other run uses.
fn prefix() -> String {
    format!("T{}", &nodes::message_id()[..12])
}

/// A node on its own database with its own data key (`master`): nodes never share a key.
async fn node(db: Db, code: &str, prefix: &str, master: u8) -> TestApp {
    let mut t = TestApp::with_keys(db, Keys::from_master(&[master; 32])).await.expect("a test database");
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
    let cq = node(db, "500000", &prefix, 0x50).await;
    let sc = node(db, "510000", &prefix, 0x51).await;
    cq.clock.set(morning(2021, 7, 5)).expect("Monday 2021-07-05");
    // The 四川 node (its clock set to the same Monday by `staff`): its township officer, county decider, 残联 reviewer, and the applicant's
    // household on its record (the handover finds the applicant by ID number).
    let s = staff(&sc).await;
    let federation = sc.staff("federation", "reviewer", COUNTY).await;
    let (household_id, applicant) = household(&sc, &s, 201, "300").await;
    let clerk = cq.staff("clerk_cq", "clerk", CHONGQING).await;
    let officer = cq.staff("officer_cq", "township_officer", CHONGQING).await;
    let input = crate::assistance_returns::subsidy_at_chongqing(201);
    let case = cq.app.submit_case(&clerk, &input).await.expect("accepted at the 重庆 window").view.case;
    cq.app.act_on_case(&officer, case.id, None, &Action::Accept).await.expect("accept");
    assert_eq!(cq.app.unsent_messages().await.expect("count"), 0, "nothing crosses before the push");
    // The applicant's materials, scanned at the window: they go with the matter.
    let form = b"%PDF-1.4 application form of the applicant".to_vec();
    let upload = Upload { file_name: "申请表.pdf", label: "申请审批表", bytes: &form };
    let form_sm3 = cq.app.add_attachment(&clerk, case.id, upload).await.expect("uploaded").hash;
    cq.app.act_on_case(&officer, case.id, None, &Action::Forward).await.expect("pushed to the 户籍地");

    // The push wrote its message in the act's transaction, naming the act's event; the
    // applicant's ID number travels sealed, never in clear.
    assert_eq!(cq.app.unsent_messages().await.expect("count"), 1, "待发送 1 while no link runs");
    let rows = cq.app.store.unsent_messages(10).await.expect("outbox");
    let events = cq.app.store.stream_events(&format!("case:{}", case.id)).await.expect("events");
    let forward = events.last().expect("the forward event");
    assert_eq!(forward.act, "case.forward");
    assert_eq!(rows[0].message.to_node, "510000");
    assert_eq!(rows[0].sender_hash.as_deref(), Some(hex::encode(forward.hash).as_str()));
    assert!(!rows[0].message.payload.contains("19700301"), "{}", rows[0].message.payload);
    // The accepting case's page: the matter waits here to be sent; no remote clock yet.
    let whereabouts = async || {
        let view = cq.app.case(&officer, case.id).await.expect("case");
        cq.app.case_whereabouts(&view).await.expect("where").expect("a crossing")
    };
    let here = whereabouts().await;
    assert_eq!((here.node_name.as_str(), here.competent_name.contains("通川区")), ("四川省", true), "{here:?}");
    assert!(matches!(here.stage, WhereStage::Unsent { .. }), "{here:?}");
    assert_eq!(here.counterpart, None);

    // Both links run: the 四川 node opens its own engine case, once, with the sender's hash.
    for t in [&cq, &sc] {
        let app = t.app.clone();
        tokio::spawn(async move { nodes::run_link(app, Duration::from_millis(50)).await });
    }
    until("the handover", async || sc.app.store.inbox_count().await.expect("inbox") == 1).await;
    // What crossed the broker is sealed for the 四川 node: no ID number, no document in clear.
    let js = tokio::time::timeout(Duration::from_secs(10), nodes::connect(sc.app.node().expect("node")))
        .await
        .expect("a NATS server answers (the test fails without one)")
        .expect("connected");
    let exchange = nodes::ensure_streams(sc.app.node().expect("node"), &js).await.expect("the exchange");
    let on_broker = exchange.stream.get_raw_message(1).await.expect("the handover on the stream");
    let on_broker: Envelope = serde_json::from_slice(&on_broker.payload).expect("an envelope");
    assert_eq!(on_broker.id, rows[0].message.id);
    assert_eq!(on_broker.payload["seal"]["for"], "510000");
    assert!(!on_broker.payload.to_string().contains("19700301"), "{}", on_broker.payload);
    let objects = nodes::fetch_documents(&exchange, &on_broker).await.expect("the documents");
    assert_eq!(objects.len(), 1);
    assert!(objects.values().all(|sealed| !sealed.windows(8).any(|w| w == b"%PDF-1.4")), "sealed");
    let copy = sc.app.store.case_of_link("500000", &case.number).await.expect("link").expect("the 四川 copy");
    let view = sc.app.case(&s.officer, copy).await.expect("the 户籍地's officer sees it");
    assert_eq!(view.case.applicant, applicant, "the applicant found by ID number");
    assert_eq!(view.case.step.as_deref(), Some("receive"));
    assert!(view.case.number.starts_with("511702001-2021-"), "numbered by the 户籍地: {}", view.case.number);
    assert!(view.allowed.contains(&domain::engine::action::ActionKind::Receive), "{:?}", view.allowed);
    let received = sc.app.store.stream_events(&format!("case:{copy}")).await.expect("events");
    assert_eq!(received[0].act, "node.case_received");
    let payload: Value = serde_json::from_str(&received[0].payload).expect("payload");
    assert_eq!(payload["link"]["sender_hash"], hex::encode(forward.hash));
    assert_eq!(payload["link"]["from_node"], "500000");
    assert_eq!(payload["remote_number"], case.number.as_str());
    // The 户籍地's clock: 10 working days from receipt (Mon 07-05 → Mon 07-19), on its calendar.
    assert_eq!(payload["decide"]["due"], "2021-07-19");
    assert!(payload["decide"]["basis"].as_str().expect("basis").contains("10个工作日"));
    let there = sc.app.case_whereabouts(&view).await.expect("where").expect("linked");
    assert!(matches!(&there.stage, WhereStage::HeldHere { accepting_name } if accepting_name.contains("万州区")));
    assert_eq!(there.counterpart.as_ref().map(|c| c.number.as_str()), Some(case.number.as_str()));

    // The accepting node learns the other copy's number and status, and the recorded due date.
    until("the receipt", async || whereabouts().await.counterpart.is_some()).await;
    let here = whereabouts().await;
    let other = here.counterpart.clone().expect("counterpart");
    assert_eq!(other.number, view.case.number);
    assert!(other.status.contains("户籍地乡镇接收"), "{other:?}");
    match here.stage {
        WhereStage::Remote { sent_on, limit, due_if_received_then } => {
            assert_eq!(sent_on.to_string(), "2021-07-05");
            assert_eq!(limit.map(|l| l.0), Some(10));
            assert_eq!(due_if_received_then.map(|d| d.to_string()).as_deref(), Some("2021-07-19"));
        }
        other => panic!("expected the remote node's clock, got {other:?}"),
    }

    // A replay of the handover (a redelivery after a crash before the ack) changes nothing.
    let replay = Envelope {
        id: rows[0].message.id.clone(),
        from: "500000".into(),
        to: "510000".into(),
        kind: rows[0].message.kind.clone(),
        sender_stream: rows[0].message.sender_stream.clone(),
        sender_hash: rows[0].sender_hash.clone(),
        payload: serde_json::from_str(&rows[0].message.payload).expect("payload"),
    };
    assert!(!sc.app.receive_message(&replay, &objects).await.expect("replayed"), "a duplicate is not applied");
    assert_eq!(sc.app.store.case_of_link("500000", &case.number).await.expect("link"), Some(copy));
    // The document arrived once, checked by SM3, in the name of the 重庆 node.
    let arrived = sc.app.store.attachments(copy).await.expect("attachments");
    assert_eq!(
        arrived.iter().map(|a| (a.hash.as_str(), a.file_name.as_str())).collect::<Vec<_>>(),
        [(form_sm3.as_str(), "申请表.pdf")]
    );
    assert_eq!(arrived[0].uploaded_by_name, "重庆市节点（跨省通办）");
    assert_eq!(payload["documents"][0]["sm3"], form_sm3.as_str());
    // Each node its own key: the outbox's sealing (the 重庆 key) opens nowhere else, and a
    // document whose bytes do not hash to the sender's SM3 is refused.
    let at_rest = Envelope { id: nodes::message_id(), ..replay.clone() };
    match sc.app.receive_message(&at_rest, &Objects::new()).await {
        Err(nodes::ReceiveError::Permanent(reason)) => assert!(reason.contains("未按本节点的交换公钥加密"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let mut forged = on_broker.clone();
    forged.id = nodes::message_id();
    forged.payload["documents"][0]["hash"] = serde_json::json!("0".repeat(64));
    match sc.app.receive_message(&forged, &objects).await {
        Err(nodes::ReceiveError::Permanent(reason)) => assert!(reason.contains("无法解密"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // The 户籍地 returns it with reasons (乡镇初审 退回 to 受理): both copies say so.
    let app = &sc.app;
    app.act_on_case(&s.officer, copy, None, &Action::Receive).await.expect("received");
    let reason = "缺少残疾人证复印件，请补充后重新推送";
    let back = Action::Review { verdict: Verdict::Return, opinion: reason.into() };
    app.act_on_case(&s.officer, copy, None, &back).await.expect("returned with reasons");
    until("the return", async || {
        cq.app.case(&officer, case.id).await.expect("case").case.step.as_deref() == Some("accept")
    })
    .await;
    match whereabouts().await.stage {
        WhereStage::Returned { reason: r, .. } => assert_eq!(r, reason),
        other => panic!("expected the return here, got {other:?}"),
    }
    let view = sc.app.case(&s.officer, copy).await.expect("copy");
    match sc.app.case_whereabouts(&view).await.expect("where").expect("linked").stage {
        WhereStage::ReturnedThere { reason: r, accepting_name, .. } => {
            assert_eq!(r, reason);
            assert!(accepting_name.contains("万州区"), "{accepting_name}");
        }
        other => panic!("expected the return there, got {other:?}"),
    }
    // The 四川 copy hears the 重庆 copy's own status after the return.
    until("the status after the return", async || {
        let view = sc.app.case(&s.officer, copy).await.expect("copy");
        let there = sc.app.case_whereabouts(&view).await.expect("where").expect("linked");
        there.counterpart.is_some_and(|c| c.status.contains("受理"))
    })
    .await;
    // Put right and pushed again: the same 四川 copy takes it at 接收, with the new document once.
    let certificate = b"%PDF-1.4 disability certificate copy".to_vec();
    let upload = Upload { file_name: "残疾人证.pdf", label: "残疾人证复印件", bytes: &certificate };
    let certificate_sm3 = cq.app.add_attachment(&clerk, case.id, upload).await.expect("uploaded").hash;
    cq.app.act_on_case(&officer, case.id, None, &Action::Accept).await.expect("accepted again");
    cq.app.act_on_case(&officer, case.id, None, &Action::Forward).await.expect("pushed again");
    until("the new push", async || {
        sc.app.case(&s.officer, copy).await.expect("copy").case.step.as_deref() == Some("receive")
    })
    .await;
    let mut arrived: Vec<String> =
        sc.app.store.attachments(copy).await.expect("attachments").into_iter().map(|a| a.hash).collect();
    arrived.sort();
    let mut sent = vec![form_sm3.clone(), certificate_sm3.clone()];
    sent.sort();
    assert_eq!(arrived, sent, "each document once");
    assert_eq!(sc.app.store.case_of_link("500000", &case.number).await.expect("link"), Some(copy), "no second copy");
    until("the receipt of the new push", async || matches!(whereabouts().await.stage, WhereStage::Remote { .. })).await;

    // Decided on the 四川 node through the normal acts, on its calendar.
    app.act_on_case(&s.officer, copy, None, &Action::Receive).await.expect("received");
    app.add_household_version(&s.officer, household_id, &grade_one_certificate(applicant)).await.expect("certificate");
    app.register_assistance_application(&s.officer, copy, &care_application(household_id, applicant))
        .await
        .expect("application");
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "情况属实".into() };
    app.act_on_case(&s.officer, copy, None, &approve).await.expect("township review");
    for t in [&cq, &sc] {
        t.clock.set(morning(2021, 7, 13)).expect("after the 7-day publicity");
    }
    sc.app.sweep_once(morning(2021, 7, 13)).await.expect("sweep");
    app.act_on_case(&federation, copy, None, &approve).await.expect("残联");
    app.act_on_case(&s.county_decider, copy, None, &grant()).await.expect("decided");
    // The accepting office cannot act on the 户籍地's steps, nor the 户籍地 on the accepting's.
    cq.app.act_on_case(&officer, case.id, None, &Action::Receive).await.expect_err("not its step");
    // The decision's document goes back with the result.
    let notice = b"%PDF-1.4 decision notice".to_vec();
    let upload = Upload { file_name: "审核认定决定书.pdf", label: "审核认定决定书", bytes: &notice };
    let notice_sm3 = app.add_attachment(&s.county_decider, copy, upload).await.expect("uploaded").hash;
    app.act_on_case(&s.county_decider, copy, None, &Action::ReturnResult).await.expect("returned");
    let sent = app.store.stream_events(&format!("case:{copy}")).await.expect("events");
    let returned = sent.iter().rev().find(|e| e.act == "case.return_result").expect("the return event");

    // Back at the accepting node: its engine case is at 告知申请人 with the decision, on its clock.
    until("the result", async || {
        cq.app.case(&officer, case.id).await.expect("case").case.step.as_deref() == Some("deliver")
    })
    .await;
    let back = cq.app.case(&officer, case.id).await.expect("case");
    assert!(back.case.decision.as_ref().is_some_and(|d| d.granted), "{:?}", back.case.decision);
    assert!(back.allowed.contains(&domain::engine::action::ActionKind::Deliver), "{:?}", back.allowed);
    let events = cq.app.store.stream_events(&format!("case:{}", case.id)).await.expect("events");
    let result = events.iter().rev().find(|e| e.act == "node.result_received").expect("result event");
    let payload: Value = serde_json::from_str(&result.payload).expect("payload");
    assert_eq!(payload["outcome"], "granted");
    // The competent copy's record came with it, for the decision notice: its number and its
    // area's decision (the amount the notice prints), not the messages between the nodes.
    assert_eq!(payload["remote_number"], sc.app.case(&s.officer, copy).await.expect("copy").case.number);
    let record = payload["notice_record"].as_array().expect("the competent copy's record");
    assert!(record.iter().any(|e| e["act"] == "assistance.decision" && e["payload"]["amount_fen"].is_i64()));
    assert!(record.iter().all(|e| !e["act"].as_str().unwrap_or_default().starts_with("node.")));
    let documents = cq.app.store.attachments(case.id).await.expect("attachments");
    let notice = documents.iter().find(|a| a.hash == notice_sm3).expect("the decision's document came back");
    assert_eq!(notice.uploaded_by_name, "四川省节点（跨省通办）");
    assert_eq!(documents.len(), 3, "the documents sent are not attached twice: {documents:?}");
    assert_eq!(payload["link"]["sender_hash"], hex::encode(returned.hash));
    // The accepting place's clock: tell the applicant within 3 working days (Tue 07-13 → Fri 07-16).
    assert_eq!(payload["deliver"]["due"], "2021-07-16");
    match whereabouts().await.stage {
        WhereStage::Back { granted, due, limit, .. } => {
            assert_eq!(granted, Some(true));
            assert_eq!(due.map(|d| d.to_string()).as_deref(), Some("2021-07-16"));
            assert_eq!(limit.map(|l| l.0), Some(3));
        }
        other => panic!("expected the result back here, got {other:?}"),
    }
    let deliver = Action::Deliver { method: DeliveryMethod::OnSite, tracking: None };
    let done = cq.app.act_on_case(&officer, case.id, None, &deliver).await.expect("delivered");
    assert_eq!(done.case.status, CaseStatus::Closed(Outcome::Granted));
    // The 户籍地's copy closes when the accepting node reports the delivery, and names its status.
    until("the delivery", async || {
        sc.app.case(&s.officer, copy).await.expect("copy").case.status == CaseStatus::Closed(Outcome::Granted)
    })
    .await;
    let view = sc.app.case(&s.officer, copy).await.expect("copy");
    let there = sc.app.case_whereabouts(&view).await.expect("where").expect("linked");
    assert_eq!(there.counterpart.map(|c| c.status).as_deref(), Some("已办结（准予）"));
    // Both records still verify.
    for t in [&cq, &sc] {
        let verification = t.app.store.verify_record(None).await.expect("verify");
        assert!(verification.is_ok(), "{verification:?}");
    }

    // A message that cannot be applied is kept with its reason, never dropped.
    let inbox = sc.app.store.inbox_count().await.expect("inbox");
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
    assert_eq!(sc.app.store.inbox_count().await.expect("inbox"), inbox, "a dead letter is not applied");
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
