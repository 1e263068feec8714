//! A filing of an elderly-care institution in a real browser, from the window to the receipt: the
//! clerk fills the item's form, receives the filing on the spot, opens the 备案回执 (basic
//! conditions, support policies, QR code), finds the institution in the register and records its
//! on-site inspection, then its suspension with the residents' resettlement plan. Screenshots in
//! `target/screenshots/elderly-care-*`.

use fantoccini::Locator;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, enter, login, serve, visited, Driver};
use crate::helpers::{id_number, Api, FILING_FACTS};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clerk_files_an_institution_from_the_window_to_the_receipt() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk702", "clerk", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk702").await;

    client.goto(&format!("{base}/items/elderly-care-filing/apply?situation=for_profit")).await.expect("apply");
    visited(&client, "elderly-care-01-form").await;
    let id_text = id_number("511702", "19700101", 9);
    let typed =
        [("name", "刘备案"), ("id_number", id_text.as_str()), ("division", "511702"), ("premises_division", "511702")];
    for (name, value) in typed.into_iter().chain(FILING_FACTS) {
        if value.is_empty() || name == "facts.commitment_signed" || name == "facts.institution_type" {
            continue;
        }
        enter(&client, name, value).await;
    }
    for (id, value) in [("fact-commitment_signed", "true"), ("fact-institution_type", "private")] {
        client.find(Locator::Id(id)).await.expect(id).select_by_value(value).await.expect("select");
    }
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        checkbox.click().await.expect("tick");
    }
    click_to_new_page(&client, "form[action=\"/items/elderly-care-filing/apply\"][method=post] button").await;
    let html = visited(&client, "elderly-care-02-case").await;
    assert!(html.contains("<dt>机构类型</dt><dd>民办</dd>"), "{html}");
    assert!(!html.contains("不予受理"), "no refusal is offered: {html}");

    click_to_new_page(&client, "form input[name=action][value=accept] ~ p button").await;
    let html = visited(&client, "elderly-care-03-filed").await;
    assert!(html.contains("/notices/decision"), "{html}");
    click_to_new_page(&client, "a[href$=\"/notices/decision\"]").await;
    let html = visited(&client, "elderly-care-04-receipt").await;
    for text in ["养老机构备案回执", "养老机构基本条件告知", "扶持政策清单", "幸福养老服务中心", "<svg"]
    {
        assert!(html.contains(text), "{text}: {html}");
    }

    client.goto(&format!("{base}/elderly-care")).await.expect("register");
    let html = visited(&client, "elderly-care-05-register").await;
    assert!(html.contains("幸福养老服务中心") && html.contains("待检查"), "{html}");
    click_to_new_page(&client, "a[href^=\"/elderly-care/institutions/\"]").await;
    visited(&client, "elderly-care-06-institution").await;
    client.find(Locator::Id("findings")).await.expect("findings").send_keys("与备案信息一致").await.expect("type");
    click_to_new_page(&client, "form[action$=\"/inspections\"] button[type=submit]").await;
    let html = visited(&client, "elderly-care-07-inspected").await;
    assert!(html.contains("已记录现场检查") && html.contains("与备案信息相符"), "{html}");

    // Suspended the day it is reported, with its residents' resettlement plan: recorded, flagged.
    client.find(Locator::Id("act")).await.expect("act").select_by_value("suspend").await.expect("select");
    for (id, value) in
        [("residents", "5"), ("placement", "5人转入通川区社会福利院，费用由本机构承担"), ("reason", "消防改造")]
    {
        client.find(Locator::Id(id)).await.expect(id).send_keys(value).await.expect("type");
    }
    click_to_new_page(&client, "form[action$=\"/status\"] button[type=submit]").await;
    let html = visited(&client, "elderly-care-08-suspended").await;
    assert!(html.contains("已记录暂停、终止或恢复服务") && html.contains("提前告知不足60日"), "{html}");
    assert!(html.contains("<dt>状态</dt><dd>暂停服务</dd>"), "{html}");

    client.close().await.expect("close the session");
}
