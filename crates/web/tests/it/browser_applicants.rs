//! An organization applies at the window in a real browser: the clerk chooses 法人或者其他组织,
//! the form shows the organization's fields (keeping what was typed), and the case page names the
//! organization with its 统一社会信用代码. Screenshots at 1280 and 390 wide in
//! `target/screenshots/applicants-*`.

use fantoccini::Locator;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, enter, login, serve, visited, Driver};
use crate::helpers::{Api, CHANGE_FACTS};

const PATH: &str = "/items/social-group-change-registration/apply";

/// Saves the page at 1280 and at 390 wide (`<name>-390`); returns the source.
async fn at_both_widths(client: &fantoccini::Client, name: &str) -> String {
    let html = visited(client, name).await;
    client.set_window_size(390, 844).await.expect("phone width");
    visited(client, &format!("{name}-390")).await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
    html
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_organization_applies_at_the_window_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk700", "clerk", "511700").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk700").await;

    client.goto(&format!("{base}{PATH}")).await.expect("the window form");
    let html = at_both_widths(&client, "applicants-01-person").await;
    assert!(html.contains("id=\"id_number\"") && html.contains("法人或者其他组织"), "{html}");

    // The name typed first is kept when the kind changes.
    client.find(Locator::Id("name")).await.expect("name").send_keys("达州市青年志愿者协会").await.expect("type");
    client
        .find(Locator::Id("applicant_kind"))
        .await
        .expect("the kind")
        .select_by_value("organization")
        .await
        .expect("select");
    click_to_new_page(&client, "#kind-refresh").await;
    let html = at_both_widths(&client, "applicants-02-organization").await;
    assert!(html.contains("id=\"credit_code\"") && !html.contains("id=\"id_number\""), "{html}");
    assert!(html.contains("value=\"达州市青年志愿者协会\""), "{html}");
    // The organization's fields themselves, in view.
    client.execute("document.getElementById('applicant_kind').scrollIntoView();", Vec::new()).await.expect("scroll");
    at_both_widths(&client, "applicants-02-organization-fields").await;

    for (id, value) in [("credit_code", "515117025041234500"), ("representative", "王五"), ("phone", "13912345678")] {
        client.find(Locator::Id(id)).await.expect(id).send_keys(value).await.expect("type");
    }
    for (name, value) in CHANGE_FACTS.into_iter().chain([("division", "511702"), ("premises_division", "511700")]) {
        enter(&client, name, value).await;
    }
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        if !checkbox.is_selected().await.expect("state") {
            checkbox.click().await.expect("tick");
        }
    }
    click_to_new_page(&client, &format!("form[action=\"{PATH}\"][method=post] button[type=submit]:not([name])")).await;
    let html = at_both_widths(&client, "applicants-03-case").await;
    assert!(html.contains("达州市青年志愿者协会（统一社会信用代码 515117025041234500）"), "{html}");
    client.close().await.expect("close the session");
}
