//! A major decision in a real browser, on the dates the law counts: the clerk enters it in the
//! year's catalogue and publishes the draft for comment (30 日, 第十五条); a citizen signed in
//! with a verified account comments on the public page at phone width, and a visitor with a
//! mobile verified by an SMS code; after the period the clerk answers a comment and records
//! the 意见采纳情况, which the public page then shows; the legality review (7 个工作日,
//! 第二十七条) by the legal office with its printed opinion; the collective discussion; the
//! publication; and the normative document registered from it showing in the public register
//! from its 施行日, not the day before. Desktop and phone width; screenshots in
//! `target/screenshots/rule-making-*`.

use chrono::{TimeZone, Utc};
use fantoccini::{Client, Locator};
use serde_json::json;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, login, logout, serve, visited, Driver};
use crate::helpers::Api;

/// Sets a field's value (date inputs take their ISO value this way in every locale).
async fn set(client: &Client, id: &str, value: &str) {
    client
        .execute("document.getElementById(arguments[0]).value = arguments[1];", vec![json!(id), json!(value)])
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

async fn check(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("tick");
}

/// Opens the step form of `kind` on the decision's page, fills it and posts it.
async fn record(client: &Client, kind: &str, fields: &[(&str, &str)], ticks: &[&str]) -> String {
    let form = format!("form:has(input[name=kind][value={kind}])");
    client
        .execute("document.querySelector(arguments[0]).closest('details').open = true;", vec![json!(form)])
        .await
        .expect("open the form");
    for (id, value) in fields {
        set(client, &format!("{kind}-{id}"), value).await;
    }
    for name in ticks {
        check(client, &format!("#{kind}-{name}")).await;
    }
    click_to_new_page(client, &format!("{form} button[type=submit]")).await;
    client.source().await.expect("page")
}

fn morning(month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, month, day, 1, 0, 0).single().expect("instant")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_decision_from_draft_to_the_register() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("rm_clerk", "clerk", "511702").await;
    api.t.staff("rm_legal", "legal_reviewer", "511702").await;
    api.t.staff("rm_head", "decider", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "rm_clerk").await;

    client.goto(&format!("{base}/rule-making")).await.expect("the catalogue");
    visited(&client, "rule-making-01-catalogue").await;
    set(&client, "d-title", "通川区农村公益性公墓布局规划").await;
    set(&client, "d-organ", "达州市通川区民政局").await;
    set(&client, "d-summary", "拟在三个乡镇各新建一处农村公益性公墓，草案及编制说明附后。").await;
    click_to_new_page(&client, "form[action=\"/rule-making/decisions\"] button[type=submit]").await;
    let html = visited(&client, "rule-making-02-opened").await;
    assert!(html.contains("已列入目录") && html.contains("未开展"), "{html}");
    let path = client.current_url().await.expect("url").path().to_string();

    // 30 日 from 2 June end on 1 July: a shorter period without its reason is refused.
    let html = record(&client, "comment_opened", &[("on", "2021-06-01"), ("until", "2021-06-30")], &[]).await;
    assert!(html.contains("第十五条"), "{html}");
    visited(&client, "rule-making-03-refused").await;
    let html = record(&client, "comment_opened", &[("on", "2021-06-01"), ("until", "2021-07-01")], &[]).await;
    assert!(html.contains("征求意见至2021年7月1日"), "{html}");
    logout(&client).await;

    // A citizen signed in with a verified (实名认证) account comments at phone width; without
    // signing in the page asks for it.
    client.set_window_size(412, 915).await.expect("phone width");
    client.goto(&format!("{base}/rule-making/consultations")).await.expect("the list");
    visited(&client, "rule-making-04-consultations-phone").await;
    click_to_new_page(&client, "main table a").await;
    let html = visited(&client, "rule-making-05-draft-anonymous-phone").await;
    assert!(html.contains("实名注册") && !html.contains("提交意见</button>"), "{html}");
    let draft = client.current_url().await.expect("url").path().to_string();
    let person = domain::person::PersonInput {
        name: "张三".into(),
        id_number: crate::helpers::id_number("511702", "19800101", 51),
        phone: Some("13800000000".into()),
        address: None,
        division: "511702".into(),
    };
    api.t.citizen("rm_citizen", "511702", &person).await;
    login(&client, &base, "rm_citizen").await;
    client.goto(&format!("{base}{draft}")).await.expect("the draft");
    visited(&client, "rule-making-05-draft-phone").await;
    set(&client, "content", "建议在公墓入口设置无障碍通道和停车位，方便老年人祭扫。").await;
    click_to_new_page(&client, "form[action$=\"/comments\"] button[type=submit]").await;
    let html = visited(&client, "rule-making-06-commented-phone").await;
    assert!(html.contains("意见已提交"), "{html}");
    logout(&client).await;

    // Without an account: a mobile verified by a one-time SMS code (the SMS recorded as sent,
    // as staff read it in the log); the number is never shown back.
    client.goto(&format!("{base}{draft}")).await.expect("the draft");
    set(&client, "phone", "13912345678").await;
    click_to_new_page(&client, "form[action$=\"/phone-code\"] button[type=submit]").await;
    let html = visited(&client, "rule-making-06b-code-sent-phone").await;
    assert!(html.contains("验证码已发送至139****5678") && !html.contains("13912345678"), "{html}");
    let sms = api.t.app.store.rule_sms_sent(1).await.expect("the SMS log");
    let code: String = sms[0].message.split("验证码").nth(1).expect("a code").chars().take(6).collect();
    set(&client, "code", &code).await;
    set(&client, "p-name", "王五").await;
    set(&client, "p-content", "建议拓宽公墓周边道路，方便祭扫车辆通行。").await;
    click_to_new_page(&client, "form[action$=\"/phone-comments\"] button[type=submit]").await;
    let html = visited(&client, "rule-making-06c-phone-commented-phone").await;
    assert!(html.contains("意见已提交"), "{html}");
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // The day after the period: the answer, the summary, the procedures left out, the request.
    api.t.clock.set(morning(7, 2)).expect("forward");
    login(&client, &base, "rm_clerk").await;
    client.goto(&format!("{base}{path}")).await.expect("the decision");
    let html = visited(&client, "rule-making-07-comment-received").await;
    assert!(html.contains("测试rm_citizen（实名认证）") && html.contains("无障碍通道"), "{html}");
    assert!(html.contains("王五（手机139****5678已验证）"), "{html}");
    client
        .find(Locator::Css("form[action*=\"/comments/\"] select"))
        .await
        .expect("status")
        .select_by_value("adopted")
        .await
        .expect("choose");
    client
        .find(Locator::Css("form[action*=\"/comments/\"] textarea"))
        .await
        .expect("answer")
        .send_keys("已在规划中增设无障碍通道和停车位。")
        .await
        .expect("type");
    click_to_new_page(&client, "form[action*=\"/comments/\"] button[type=submit]").await;
    let html = client.source().await.expect("page");
    assert!(html.contains("已答复该条意见"), "{html}");
    record(
        &client,
        "comment_summary",
        &[("on", "2021-07-02"), ("received", "2"), ("adopted", "1"), ("text", "采纳增设无障碍通道和停车位的意见。")],
        &[],
    )
    .await;
    client
        .execute("document.getElementById('omitted-procedure').value = 'expert_argument';", vec![])
        .await
        .expect("choose");
    record(&client, "omitted", &[("on", "2021-07-02"), ("text", "非专业性、技术性较强的事项")], &[]).await;
    client
        .execute("document.getElementById('omitted-procedure').value = 'risk_assessment';", vec![])
        .await
        .expect("choose");
    record(&client, "omitted", &[("on", "2021-07-02"), ("text", "不致对社会稳定、公共安全造成不利影响")], &[]).await;
    // 7 working days from Friday 2 July end on Tuesday 13 July.
    let html = record(
        &client,
        "legality_requested",
        &[("on", "2021-07-02"), ("until", "2021-07-12"), ("name", "局法制机构")],
        &[],
    )
    .await;
    assert!(html.contains("7个工作日"), "{html}");
    let html = record(
        &client,
        "legality_requested",
        &[("on", "2021-07-02"), ("until", "2021-07-13"), ("name", "局法制机构")],
        &[],
    )
    .await;
    assert!(html.contains("等待合法性审查意见"), "{html}");
    visited(&client, "rule-making-08-review-requested").await;
    logout(&client).await;

    // The public page now shows the 意见采纳情况, the commenter masked.
    client.set_window_size(412, 915).await.expect("phone width");
    client.goto(&format!("{base}/rule-making/consultations")).await.expect("the list");
    click_to_new_page(&client, "main table a").await;
    let html = visited(&client, "rule-making-09-summary-phone").await;
    assert!(
        html.contains("共收到意见2条，采纳1条") && html.contains("测*") && !html.contains("测试rm_citizen"),
        "{html}"
    );
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // The legal office's opinion, printed.
    api.t.clock.set(morning(7, 13)).expect("forward");
    login(&client, &base, "rm_legal").await;
    client.goto(&format!("{base}{path}")).await.expect("the decision");
    record(
        &client,
        "legality_opinion",
        &[("on", "2021-07-13"), ("text", "决策草案符合《殡葬管理条例》第十条的规定。")],
        &["passed"],
    )
    .await;
    click_to_new_page(&client, "a[href*=\"/legality-opinion/\"]").await;
    let html = visited(&client, "rule-making-10-legality-opinion").await;
    assert!(html.contains("合法性审查意见书") && html.contains("审查结论"), "{html}");
    client.goto(&format!("{base}{path}")).await.expect("back to the decision");
    logout(&client).await;

    // The head's meeting, then publication; the catalogue shows it complete.
    api.t.clock.set(morning(7, 14)).expect("forward");
    login(&client, &base, "rm_head").await;
    client.goto(&format!("{base}{path}")).await.expect("the decision");
    client.execute("document.getElementById('discussion-outcome').value = 'adopted';", vec![]).await.expect("choose");
    record(
        &client,
        "discussion",
        &[("on", "2021-07-14"), ("text", "局长办公会议纪要〔2021〕9号")],
        &["head_spoke_last", "majority_agrees"],
    )
    .await;
    let html = record(&client, "published", &[("on", "2021-07-14"), ("text", "通川区人民政府门户网站")], &[]).await;
    assert!(html.contains("程序完备并已公布"), "{html}");
    visited(&client, "rule-making-11-published").await;
    logout(&client).await;

    // The clerk registers the normative document issued on it; the public register shows it
    // from its 施行日 (15 July), not on the day before.
    login(&client, &base, "rm_clerk").await;
    client.goto(&format!("{base}/rule-making/documents/new")).await.expect("the form");
    for (id, value) in [
        ("number", "通民发〔2021〕9号"),
        ("title", "通川区农村公益性公墓管理办法"),
        ("organ", "通川区民政局"),
        ("review_submitted_on", "2021-07-02"),
        ("review_opinion_on", "2021-07-13"),
        ("review_opinion", "经审核，合法"),
        ("published_on", "2021-07-14"),
        ("effective_on", "2021-07-15"),
        ("valid_until", "2026-07-14"),
        ("basis", "殡葬管理条例"),
    ] {
        set(&client, id, value).await;
    }
    visited(&client, "rule-making-12-document-form").await;
    click_to_new_page(&client, "form[action=\"/rule-making/documents/new\"] button[type=submit]").await;
    let html = visited(&client, "rule-making-13-document").await;
    assert!(html.contains("已登记") && html.contains("尚未施行"), "{html}");
    client.goto(&format!("{base}/rule-making/register?on=2021-07-14")).await.expect("the register");
    let html = visited(&client, "rule-making-14-register-before").await;
    assert!(!html.contains("通民发〔2021〕9号"), "{html}");
    client.set_window_size(412, 915).await.expect("phone width");
    client.goto(&format!("{base}/rule-making/register?on=2021-07-15")).await.expect("the register");
    let html = visited(&client, "rule-making-15-register-phone").await;
    assert!(html.contains("通民发〔2021〕9号"), "{html}");
}
