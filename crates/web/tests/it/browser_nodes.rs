//! A 跨省通办 case on the accepting node's case page in a real browser: where the matter is,
//! whose clock runs and the other node's copy (对方办件), at desktop and phone width; then the
//! same page once the 户籍地 returned the matter with reasons (退回). The other node's messages
//! are handed to `App::receive_message` (the NATS link is tested in the service and CLI suites).
//! Screenshots in `target/screenshots/nodes-*`.

use chrono::{TimeZone, Utc};
use domain::engine::action::Action;
use domain::engine::case::Case;
use domain::person::PersonInput;
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::nodes::{self, Envelope, Objects};
use test_support::Db;

use crate::browser::{both_widths, browser_available, expect_element, login, serve, visited, Driver};
use crate::helpers::{id_number, Api};

const CHONGQING: &str = "500101001"; // 重庆市万州区高笋塘街道
const HUKOU: &str = "511702001"; // 四川省达州市通川区东城街道

/// A message from the 四川 node about the 重庆 case (its copy `remote`).
pub fn from_sichuan(kind: &str, case: &Case, remote: &str, extra: serde_json::Value) -> Envelope {
    let mut payload = json!({
        "number": case.number,
        "remote_number": remote,
        "item": case.item_slug,
        "item_version": case.item_version,
    });
    if let (Some(payload), Some(extra)) = (payload.as_object_mut(), extra.as_object()) {
        payload.extend(extra.clone());
    }
    Envelope {
        id: nodes::message_id(),
        from: "510000".into(),
        to: "500000".into(),
        kind: kind.into(),
        sender_stream: "case:1".into(),
        sender_hash: Some("ab".repeat(32)),
        payload,
    }
}

/// A 残疾人护理补贴 application accepted at a 重庆 window and pushed to the 四川 户籍地, whose node
/// opened its copy (returned, with its number) and reported it received; the staff
/// `officer_cq` handles it in 重庆.
pub async fn pushed_to_sichuan(api: &Api) -> (Case, &'static str) {
    let app = &api.t.app;
    api.t.clock.set(Utc.with_ymd_and_hms(2021, 7, 5, 1, 0, 0).single().expect("instant")).expect("Monday");
    let clerk = api.t.staff("clerk_cq", "clerk", CHONGQING).await;
    let officer = api.t.staff("officer_cq", "township_officer", CHONGQING).await;
    let applicant = PersonInput {
        name: "张一".into(),
        id_number: id_number("511702", "19700301", 101),
        phone: None,
        address: Some("达州市通川区朝阳路1号".into()),
        division: HUKOU.into(),
    };
    let submit = SubmitCase {
        item: "disability-subsidy".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(applicant),
        accepting_division: CHONGQING.into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: json!({ "hukou_division": HUKOU }),
        idempotency_key: None,
    };
    let case = app.submit_case(&clerk, &submit).await.expect("accepted in 重庆").view.case;
    for action in [Action::Accept, Action::Forward] {
        app.act_on_case(&officer, case.id, None, &action).await.expect("pushed to the 户籍地");
    }
    // The broker took the push; the 四川 node opened its copy and reported its number and clock.
    let handover = app.store.unsent_messages(1).await.expect("outbox").remove(0);
    app.store.mark_sent(&handover.message.id, app.now()).await.expect("sent");
    let remote = "511702001-2021-000001";
    let receipt = json!({
        "status": "办理中：户籍地乡镇接收",
        "revision": 1,
        "decide": { "due": "2021-07-19", "workdays": 10, "basis": "残疾人两项补贴“跨省通办”：户籍地自收到之日起10个工作日内审核认定（国办发〔2020〕35号“跨省通办”流程）" },
    });
    let receipt = from_sichuan(nodes::KIND_RECEIVED, &case, remote, receipt);
    assert!(app.receive_message(&receipt, &Objects::new()).await.expect("applied"));
    (case, remote)
}

/// The 跨省通办 section at phone width, scrolled into view (`<name>.png`).
async fn where_at_phone_width(client: &fantoccini::Client, name: &str) {
    client.set_window_size(412, 915).await.expect("phone width");
    client.execute("document.getElementById('where-title').scrollIntoView();", Vec::new()).await.expect("scrolled");
    visited(client, name).await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_accepting_node_shows_where_the_matter_is_and_the_other_copy() {
    if !browser_available() {
        return;
    }
    let api = Api::on_node(Db::Sqlite, "500000").await;
    let app = &api.t.app;
    let (case, remote) = pushed_to_sichuan(&api).await;

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "officer_cq").await;
    client.goto(&format!("{base}/cases/{}", case.id)).await.expect("the case page");
    expect_element(&client, "dd.where-other").await;
    let html = both_widths(&client, "nodes-01-case-at-the-other-node").await;
    assert!(html.contains(&format!("四川省节点办件 {remote}；办理中：户籍地乡镇接收；2021年7月5日报告")), "{html}");
    where_at_phone_width(&client, "nodes-01-case-at-the-other-node-where").await;
    assert!(html.contains("2021年7月19日"), "the 户籍地's due date: {html}");
    // Nothing on the row overflows a phone's width.
    client.set_window_size(412, 915).await.expect("phone width");
    let overflow = client
        .execute(
            "return [...document.querySelectorAll('main dd')].some(d => d.scrollWidth > d.clientWidth + 1);",
            Vec::new(),
        )
        .await
        .expect("measured");
    assert_eq!(overflow, json!(false), "a fact overflows at phone width");
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // Returned with reasons: the page says 退回, why, and that the matter is back here.
    let reason = "缺少残疾人证复印件，请补充后重新推送";
    let returned =
        json!({ "status": "办理中：受理（一次性告知所需材料）", "revision": 3, "step": "accept", "reason": reason });
    let returned = from_sichuan(nodes::KIND_RETURNED, &case, remote, returned);
    assert!(app.receive_message(&returned, &Objects::new()).await.expect("applied"));
    client.goto(&format!("{base}/cases/{}", case.id)).await.expect("the case page");
    expect_element(&client, "dd.where-other").await;
    let html = both_widths(&client, "nodes-02-case-returned").await;
    assert!(html.contains("退回本机关") && html.contains(reason), "{html}");
    where_at_phone_width(&client, "nodes-02-case-returned-where").await;
    client.close().await.expect("close the browser");
}
