//! A request for government information answered in a real browser: the clerk sees it in the
//! list with its working days left, opens it, chooses the answer type on the form, and prints
//! the answer notice; the applicant then looks the request up by its number and 查询码. Screenshots in `target/screenshots/disclosure-*`.

use fantoccini::Locator;
use serde_json::json;
use test_support::Db;

use crate::browser::{
    act, both_widths, browser_available, click, click_to_new_page, expect_element, fact_input_id, fill, login, logout,
    serve, tick_every_material, visited, Driver,
};
use crate::helpers::{id_number, Api};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clerk_answers_a_request_for_information() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    let token = api.staff_token("clerk702", "clerk", "511702").await;
    let body = json!({
        "division": "511702", "applicant_kind": "natural_person", "applicant_name": "王建国",
        "identity": "511702198001011234", "contact": "13812345678",
        "description": "2021年本区城乡低保标准调整的文件", "form": "paper",
        "channel": "in_person", "submitted_on": "2021-06-01",
    });
    let id = api.earlier_disclosure_request(&token, &body).await;

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk702").await;

    client.goto(&format!("{base}/disclosure")).await.expect("list");
    let html = visited(&client, "disclosure-01-list").await;
    assert!(html.contains("王建国") && html.contains("剩20个工作日"), "{html}");
    // A new request is entered at the item's window form, not on the earlier request page.
    assert!(!html.contains("href=\"/disclosure/new\""), "{html}");
    click_to_new_page(&client, &format!("a[href=\"/disclosure/requests/{id}\"]")).await;
    let html = visited(&client, "disclosure-02-request").await;
    // 端午 (14 June 2021) is not counted: 20 working days end on 30 June.
    assert!(html.contains("2021年6月30日"), "{html}");
    assert!(html.contains("5117**************"), "the identity number masked: {html}");

    client.find(Locator::Id("kind-already_public")).await.expect("the type").click().await.expect("choose");
    let details = client.find(Locator::Id("details")).await.expect("details");
    details.send_keys("已在达州市通川区人民政府门户网站“政府信息公开”栏目公开").await.expect("type");
    click_to_new_page(&client, "form[action$=\"/answer\"] button[type=submit]").await;
    let html = visited(&client, "disclosure-03-answered").await;
    assert!(html.contains("已答复") && html.contains("第三十六条第（一）项"), "{html}");

    click_to_new_page(&client, &format!("a[href=\"/disclosure/requests/{id}/notices/answer\"]")).await;
    let html = visited(&client, "disclosure-04-notice").await;
    assert!(html.contains("政府信息公开申请答复书") && html.contains("已经主动公开"), "{html}");
    assert!(html.contains("六十日内") && html.contains("六个月内"), "the remedies: {html}");
    assert!(html.contains("<svg"), "the QR code: {html}");

    let marker = "扫描二维码核验本文书：";
    let start = html.find(marker).expect("the verification address") + marker.len();
    let url = html[start..].split('<').next().unwrap_or_default().replace("&amp;", "&").replace("&#38;", "&");

    // The applicant looks the request up on the public page with the number and 查询码.
    let number = format!("GK-511702-2021-{id:06}");
    let check = api.t.app.disclosure_check_code(&number);
    assert!(html.contains(&number) && html.contains(&check), "the notice prints both: {html}");
    client.goto(&format!("{base}/disclosure/track")).await.expect("the look-up form");
    client.find(Locator::Id("number")).await.expect("number").send_keys(&number).await.expect("type");
    client.find(Locator::Id("check")).await.expect("check").send_keys(&check).await.expect("type");
    click_to_new_page(&client, "form[action=\"/disclosure/track\"] button[type=submit]").await;
    let html = visited(&client, "disclosure-05-tracked").await;
    assert!(html.contains("答复类型") && html.contains("已主动公开，告知获取方式"), "{html}");
    assert!(html.contains("2021年6月1日"), "the answer's date: {html}");
    assert!(html.contains("王**") && !html.contains("王建国"), "a masked name only: {html}");

    // The QR code's address verifies the notice.
    client.goto(url.trim()).await.expect("the verification page");
    let html = visited(&client, "disclosure-06-verified").await;
    assert!(html.contains("该文书与发文机关的记录相符") && html.contains("通民公开答〔2021〕第"), "{html}");

    client.close().await.expect("close the session");
}

// A request as a case of the item: the clerk takes it in at the item's window form (the applicant,
// what is asked for, how it was received), accepts it; the decider answers 不予公开 with its reason
// (第三十六条第（三）项); the 答复书 prints the outcome's sentence, the remedies and the QR code.
// Screenshots in `target/screenshots/disclosure-case-*`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_case_is_taken_in_at_the_window_and_answered_withheld() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk702", "clerk", "511702").await;
    api.t.staff("decider702", "decider", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk702").await;

    client.goto(&format!("{base}/items/government-information-request/apply")).await.expect("form");
    visited(&client, "disclosure-case-01-window").await;
    fill(&client, "name", "王建国").await;
    fill(&client, "id_number", &id_number("511702", "19800101", 7)).await;
    click(&client, "#division option[value=\"511702\"]").await;
    click(&client, "#receipt_channel option[value=in_person]").await;
    client
        .execute("document.getElementById('receipt_submitted_on').value = '2021-06-01';", vec![])
        .await
        .expect("the day received");
    click(&client, &format!("#{} option[value=natural_person]", fact_input_id("facts.applicant_kind"))).await;
    fill(&client, &fact_input_id("facts.description"), "2021年本区城乡低保对象名单").await;
    click(&client, &format!("#{} option[value=paper]", fact_input_id("facts.provision_form"))).await;
    click(&client, &format!("#{} option[value=pickup]", fact_input_id("facts.receive_by"))).await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/government-information-request/apply\"][method=post] button")
        .await;
    let url = client.current_url().await.expect("the case page");
    let id: i64 = url.path().trim_start_matches("/cases/").parse().unwrap_or_else(|_| panic!("not a case: {url}"));
    act(&client, "accept").await;
    logout(&client).await;

    login(&client, &base, "decider702").await;
    client.goto(&format!("{base}/cases/{id}")).await.expect("case");
    visited(&client, "disclosure-case-02-to-answer").await;
    // The refusing outcomes share one form: the outcome picked, its reason chosen, confirmed.
    click(&client, "#decide-outcome-refuse option[value=withheld]").await;
    click(&client, "#outcome-withheld-reason option[value=third_party_rights]").await;
    fill(&client, "decide-reasons-refuse", "所申请信息涉及第三方个人隐私，第三方不同意公开").await;
    // The refusal's form as the decider fills it: the outcome's own fields under its label.
    client
        .execute("document.getElementById('decide-outcome-refuse').scrollIntoView({block: 'start'});", vec![])
        .await
        .expect("scrolled to the outcome's form");
    both_widths(&client, "disclosure-case-02b-refusal-form").await;
    click(&client, "#deciderefuse-confirm").await;
    click_to_new_page(&client, "form:has(#decide-outcome-refuse) button[type=submit]").await;
    expect_element(&client, "p.notice").await;
    let html = both_widths(&client, "disclosure-case-03-answered").await;
    assert!(html.contains("不予公开"), "the outcome on the case page: {html}");
    assert!(html.contains("保护第三方合法权益"), "the reason chosen: {html}");

    click_to_new_page(&client, &format!("a[href=\"/cases/{id}/notices/decision\"]")).await;
    let html = both_widths(&client, "disclosure-case-04-notice").await;
    assert!(html.contains("您申请获取的政府信息依法不予公开"), "the outcome's sentence: {html}");
    assert!(html.contains("第三十六条"), "the basis: {html}");
    assert!(html.contains("六十日") && html.contains("六个月"), "the remedies: {html}");
    assert!(html.contains("<svg") || html.contains("<img"), "the QR code: {html}");

    client.close().await.expect("close the session");
}
