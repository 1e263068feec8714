//! A deputy's suggestion from 交办 to the satisfaction form in a real browser: the clerk
//! registers it on the form and sees its reply due (3 months, 代表法 第五十一条), records the
//! contact with the deputy and the drafted reply; sending before the leader's approval is refused;
//! the 局长 approves; the clerk sends it, prints the reply letter, and records the deputy's
//! 满意 form, which closes it. Screenshots in `target/screenshots/suggestions-*`.

use fantoccini::{Client, Locator};
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, fill, login, logout, serve, visited, Driver};
use crate::helpers::Api;

async fn choose(client: &Client, id: &str, value: &str) {
    let select = client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("{id}: {e}"));
    select.select_by_value(value).await.unwrap_or_else(|e| panic!("{id}={value}: {e}"));
}

/// Records an act on the suggestion's page.
async fn record(client: &Client, kind: &str, proposer: &str, result: &str, note: &str) -> String {
    choose(client, "act-kind", kind).await;
    if !proposer.is_empty() {
        choose(client, "act-proposer", proposer).await;
    }
    if !result.is_empty() {
        choose(client, "act-result", result).await;
    }
    if !note.is_empty() {
        fill(client, "act-note", note).await;
    }
    click_to_new_page(client, "form[action$=\"/acts\"] button[type=submit]").await;
    client.source().await.expect("page")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deputys_suggestion_from_assignment_to_the_satisfaction_form() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk702", "clerk", "511702").await;
    api.t.staff("leader702", "leader", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk702").await;

    client.goto(&format!("{base}/suggestions/new")).await.expect("the form");
    visited(&client, "suggestions-01-form").await;
    fill(&client, "session", "通川区第八届人民代表大会第一次会议").await;
    fill(&client, "number", "第0021号").await;
    fill(&client, "proposers", "王建国").await;
    fill(&client, "subject", "关于加强农村留守老人关爱服务的建议").await;
    fill(&client, "lead_unit", "通川区民政局").await;
    // 交办 on the day shown (today, 1 June 2021).
    click_to_new_page(&client, "form[action=\"/suggestions/new\"] button[type=submit]").await;
    let html = visited(&client, "suggestions-02-registered").await;
    // 3 months from 1 June: 1 September 2021 (a Wednesday).
    assert!(html.contains("已登记") && html.contains("2021年9月1日"), "{html}");
    let path = client.current_url().await.expect("url").path().to_string();

    let html = record(&client, "contact", "王建国", "", "面商：到代表所在村实地查看").await;
    assert!(html.contains("联系沟通（面商）"), "{html}");
    let html =
        record(&client, "draft", "", "", "一、已将全区农村留守老人纳入探访关爱。\n二、下一步将建立信息台账。").await;
    assert!(html.contains("拟定答复"), "{html}");
    let html = record(&client, "send", "王建国", "", "").await;
    assert!(html.contains("须经领导审定"), "not sent before the approval: {html}");
    visited(&client, "suggestions-03-refused").await;

    logout(&client).await;
    login(&client, &base, "leader702").await;
    client.goto(&format!("{base}{path}")).await.expect("the suggestion");
    let html = record(&client, "approve", "", "", "").await;
    assert!(html.contains("领导审定答复"), "{html}");
    logout(&client).await;

    login(&client, &base, "clerk702").await;
    client.goto(&format!("{base}{path}")).await.expect("the suggestion");
    let html = record(&client, "send", "王建国", "", "").await;
    assert!(html.contains("已答复，待反馈意见"), "{html}");
    visited(&client, "suggestions-04-sent").await;
    click_to_new_page(&client, "a[href*=\"/replies/\"]").await;
    let html = visited(&client, "suggestions-05-letter").await;
    assert!(html.contains("王建国代表") && html.contains("已将全区农村留守老人纳入探访关爱"), "{html}");
    assert!(html.contains("<svg"), "the QR code: {html}");

    client.goto(&format!("{base}{path}")).await.expect("the suggestion");
    let html = record(&client, "feedback", "王建国", "satisfied", "").await;
    assert!(html.contains("已办结") && html.contains("满意"), "{html}");
    assert!(!html.contains("记录办理环节"), "closed: no more acts: {html}");
    visited(&client, "suggestions-06-done").await;

    // The public summary of results (代表法第五十一条: made public), at both widths.
    logout(&client).await;
    client.goto(&format!("{base}/suggestions/results?year=2021")).await.expect("the results");
    let html = crate::browser::both_widths(&client, "suggestions-07-results").await;
    assert!(html.contains("关于加强农村留守老人关爱服务的建议") || html.contains("100%"), "{html}");

    client.close().await.expect("close the session");
}
