//! The journeys that used to strand a case, in a real browser to their end: a township officer
//! takes in and accepts a 低保 application at the township window; a county clerk types the
//! county as the 户籍地, is asked for the township as a choice and submits; a clerk takes in a
//! divorce naming the other party by name and ID number and accepts it. Screenshots at desktop and
//! phone width in `target/screenshots/dead-ends-*`.

use serde_json::json;
use test_support::Db;

use crate::assistance_pages::{morning, TOWNSHIP};
use crate::browser::{
    act, both_widths, browser_available, click, click_to_new_page, fill, login, logout, serve, tick_every_material,
    visited, Driver,
};
use crate::helpers::{id_number, Api, Auth};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn journeys_that_used_to_strand_a_case_end_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    // The 低保 item is in force from 2021-07-01: Monday 2021-07-05.
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    api.t.staff("officer", "township_officer", TOWNSHIP).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    // A married couple on record, for the divorce.
    let man_id = id_number("511702", "19900101", 1);
    let wife_id = id_number("511702", "19920202", 2);
    let man = api.create_person(&clerk, "张三", &man_id, "511702").await["id"].as_i64().expect("id");
    let wife = api.create_person(&clerk, "李四", &wife_id, "511702").await["id"].as_i64().expect("id");
    let marriage = json!({"item": "marriage-registration", "channel": "window", "applicant": {"person_id": man},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "declaration"],
        "data": {"other_party": wife, "declaration_signed": true}});
    let married = api.post("/api/v1/cases", Auth::Bearer(&clerk), marriage).await;
    assert_eq!(married.status, 201, "{}", married.text());
    let married = married.json()["id"].as_i64().expect("id");
    assert_eq!(api.act(married, Auth::Bearer(&clerk), json!({"action": "accept"})).await.status, 200);

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    // 1. The township officer at the township window: takes the application in and accepts it.
    login(&client, &base, "officer").await;
    client.goto(&format!("{base}/items/minimum-living-allowance/apply")).await.expect("form");
    let html = visited(&client, "dead-ends-01-township-window").await;
    assert!(html.contains("窗口受理：最低生活保障审核确认"), "{html}");
    let applicant = id_number("511702", "19700301", 11);
    for (id, value) in [("name", "王一"), ("id_number", applicant.as_str())] {
        fill(&client, id, value).await;
    }
    click(&client, &format!("#division option[value=\"{TOWNSHIP}\"]")).await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/minimum-living-allowance/apply\"][method=post] button").await;
    let html = both_widths(&client, "dead-ends-02-township-case").await;
    assert!(html.contains("待受理"), "{html}");
    assert!(html.contains("东城街道 乡镇（街道）经办人员"), "who holds it: {html}");
    act(&client, "accept").await;
    let html = visited(&client, "dead-ends-03-township-accepted").await;
    assert!(html.contains("已办理：受理"), "{html}");
    // The investigation waits for the household's data, and the page says so.
    assert!(html.contains("通过前须补齐"), "{html}");
    logout(&client).await;

    // 2. The county clerk: the township is a choice; a county typed as 户籍地 asks for it.
    login(&client, &base, "clerk702").await;
    client.goto(&format!("{base}/items/minimum-living-allowance/apply")).await.expect("form");
    let html = visited(&client, "dead-ends-04-county-window").await;
    assert!(html.contains("<option value=\"511702001\">四川省达州市通川区东城街道</option>"), "{html}");
    let applicant = id_number("511702", "19700301", 12);
    for (id, value) in [("name", "王二"), ("id_number", applicant.as_str())] {
        fill(&client, id, value).await;
    }
    // The county itself (不再细分) as 户籍地: the form asks for the township.
    click(&client, "#division option[value=\"511702\"]").await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/minimum-living-allowance/apply\"][method=post] button").await;
    let html = both_widths(&client, "dead-ends-05-asked-for-the-township").await;
    assert!(html.contains("不是乡镇（街道）"), "{html}");
    click(&client, &format!("#division option[value=\"{TOWNSHIP}\"]")).await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/minimum-living-allowance/apply\"][method=post] button").await;
    let html = visited(&client, "dead-ends-06-county-case").await;
    assert!(html.contains("待受理") && html.contains("东城街道 乡镇（街道）经办人员"), "{html}");
    assert!(client.current_url().await.expect("url").path().starts_with("/cases/"));

    // 3. A divorce at the county's registration office: the other party by name and ID number.
    client.goto(&format!("{base}/items/divorce-registration/apply")).await.expect("form");
    visited(&client, "dead-ends-07-divorce-form").await;
    for (id, value) in [
        ("name", "张三"),
        ("id_number", man_id.as_str()),
        ("other_name", "李四"),
        ("other_id_number", wife_id.as_str()),
    ] {
        fill(&client, id, value).await;
    }
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/divorce-registration/apply\"][method=post] button").await;
    let html = visited(&client, "dead-ends-08-divorce-case").await;
    assert!(html.contains("待受理"), "{html}");
    act(&client, "accept").await;
    let html = both_widths(&client, "dead-ends-09-divorce-accepted").await;
    assert!(html.contains("已办理：受理"), "{html}");
    assert!(html.contains("离婚冷静期"), "the cooling-off period runs: {html}");
    assert!(!html.contains(&wife_id), "the ID number masked");
    // 撤回 is drawn apart, and the browser will not send it unconfirmed.
    client.execute("document.querySelector('form.destructive').scrollIntoView();", vec![]).await.expect("scroll");
    visited(&client, "dead-ends-10-withdraw-drawn-apart").await;
    click(&client, "form.destructive button.danger").await;
    let still = client.current_url().await.expect("url");
    assert!(still.path().starts_with("/cases/"), "{still}");
    let valid = client
        .execute("return document.querySelector('form.destructive input[name=confirm]').checkValidity();", vec![])
        .await
        .expect("validity");
    assert_eq!(valid, json!(false), "the confirmation is required before it is sent");

    client.close().await.expect("close the session");
}
