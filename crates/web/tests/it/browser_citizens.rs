//! A citizen's own account in a real browser, at desktop and phone width: 实名注册 (refused next to
//! the field first), an online application for oneself with the situation changed midway (what
//! was typed stays), the receipt with the number and 查询码, the same application again refused
//! as a duplicate, and one for a close relative declared as such. Screenshots in
//! `target/screenshots/citizens-*`.

use fantoccini::{Client, Locator};
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, fill, logout, serve, visited, Driver};
use crate::helpers::{id_number, Api, STAFF_PASSWORD};

const APPLY: &str = "form[action=\"/items/disability-subsidy/apply\"][method=post] button";

async fn choose(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("choose");
}

async fn value_of(client: &Client, id: &str) -> String {
    let script = format!("return document.getElementById('{id}').value;");
    client.execute(&script, vec![]).await.expect("value").as_str().unwrap_or_default().to_string()
}

async fn tick_all(client: &Client) {
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        if !checkbox.is_selected().await.expect("state") {
            checkbox.click().await.expect("tick");
        }
    }
}

/// Registers `username` as `name` with the ID number `id` through the page; signed in after.
async fn register(client: &Client, base: &str, shot: &str, username: &str, name: &str, id: &str) {
    client.goto(&format!("{base}/login")).await.expect("login");
    click_to_new_page(client, "a[href=\"/register\"]").await;
    visited(client, &format!("{shot}-01-register")).await;
    // A check digit mistyped: refused next to the ID number, the rest kept.
    let wrong = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    for (field, value) in [("username", username), ("password", STAFF_PASSWORD), ("name", name), ("id_number", &wrong)]
    {
        fill(client, field, value).await;
    }
    click_to_new_page(client, "form[action=\"/register\"] button").await;
    let html = visited(client, &format!("{shot}-02-register-refused")).await;
    assert!(html.contains("data-field=\"id_number\""), "refused at the ID number: {html}");
    assert!(html.contains("校验码"), "the check digit is named: {html}");
    assert_eq!(value_of(client, "name").await, name, "what was typed stays");
    fill(client, "id_number", id).await;
    fill(client, "password", STAFF_PASSWORD).await;
    click_to_new_page(client, "form[action=\"/register\"] button").await;
    assert_eq!(client.current_url().await.expect("url").path(), "/", "registered and signed in");
    visited(client, &format!("{shot}-03-home")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_registers_and_applies_for_themselves_and_a_relative_at_both_widths() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("dongcheng_officer", "township_officer", "511702001").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    for (width, height, shot, order) in [(1280, 1000, "citizens-desktop", 21), (390, 844, "citizens-phone", 31)] {
        client.set_window_size(width, height).await.expect("window size");
        let me = id_number("511702", "19700101", order);
        let username = format!("zhao{order}");
        register(&client, &base, shot, &username, "赵群众", &me).await;

        // For oneself: the situation changed midway keeps what was typed.
        client.goto(&format!("{base}/items/disability-subsidy/apply")).await.expect("form");
        visited(&client, &format!("{shot}-04-apply")).await;
        fill(&client, "name", "赵群众").await;
        fill(&client, "id_number", &me).await;
        choose(&client, "#situation-choice option[value=\"care_subsidy\"]").await;
        click_to_new_page(&client, "button[name=refresh]").await;
        let html = visited(&client, &format!("{shot}-05-situation-changed")).await;
        assert!(html.contains("当前材料清单按情形：<strong>申请重度残疾人护理补贴</strong>"), "{html}");
        assert_eq!(value_of(&client, "id_number").await, me, "the ID number typed stays");
        assert_eq!(value_of(&client, "name").await, "赵群众");
        choose(&client, "#division option[value=\"511702001\"]").await;
        tick_all(&client).await;
        click_to_new_page(&client, APPLY).await;
        let html = visited(&client, &format!("{shot}-06-receipt")).await;
        assert!(html.contains("<h1>申请已提交</h1>"), "{html}");
        let number =
            client.find(Locator::Css(".confirmation .receipt")).await.expect("number").text().await.expect("t");
        let code = client.find(Locator::Css(".confirmation dd:last-child .receipt")).await.expect("code");
        assert_eq!(code.text().await.expect("code"), api.t.app.case_check_code(&number), "the 查询码 is the case's");

        // The same again while it is open: refused next to the ID number.
        client.goto(&format!("{base}/items/disability-subsidy/apply?situation=care_subsidy")).await.expect("form");
        fill(&client, "name", "赵群众").await;
        fill(&client, "id_number", &me).await;
        choose(&client, "#division option[value=\"511702001\"]").await;
        tick_all(&client).await;
        click_to_new_page(&client, APPLY).await;
        let html = visited(&client, &format!("{shot}-07-duplicate-refused")).await;
        assert!(html.contains("data-code=\"duplicate_application\""), "{html}");
        assert!(html.contains("请勿重复申请"), "{html}");

        // A stranger as oneself: refused; declared as a parent: accepted.
        let mother = id_number("511702", "19450101", order + 1);
        fill(&client, "name", "钱母亲").await;
        fill(&client, "id_number", &mother).await;
        click_to_new_page(&client, APPLY).await;
        let html = visited(&client, &format!("{shot}-08-not-the-holder")).await;
        assert!(html.contains("data-code=\"not_account_holder\""), "{html}");
        choose(&client, "#applicant_relation option[value=\"parent\"]").await;
        tick_all(&client).await;
        click_to_new_page(&client, APPLY).await;
        let html = visited(&client, &format!("{shot}-09-relative-receipt")).await;
        assert!(html.contains("<h1>申请已提交</h1>"), "{html}");
        logout(&client).await;
    }
    client.close().await.expect("close");
}
