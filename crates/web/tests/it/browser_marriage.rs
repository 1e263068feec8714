//! The marriage desk in a real browser: a clerk signs in, enters a couple at the window, sees the
//! refusal for the under-age party with its basis (nothing written), registers a valid couple and
//! opens the certificate, then the statistics page. Screenshots in `target/screenshots/marriage-*`.

use fantoccini::{Client, Locator};
use test_support::Db;

use crate::browser::{browser_available, fill, login, serve, visited, Driver};
use crate::helpers::{id_number, Api};

async fn press(client: &Client, action: &str) {
    let button = format!("form[action=\"/marriage/desk\"] button[value={action}]");
    crate::browser::click_to_new_page(client, &button).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clerk_registers_a_marriage_at_the_desk() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00: the 2003 条例 (v1), both 户籍 in 通川区.
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk702", "clerk", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk702").await;

    client.goto(&format!("{base}/marriage/desk")).await.expect("desk");
    visited(&client, "marriage-01-desk").await;
    // The groom turns 22 tomorrow (2021-06-02).
    let young = id_number("511702", "19990602", 1);
    let groom = id_number("511702", "19900101", 1);
    let bride = id_number("511702", "19920202", 2);
    for (id, value) in
        [("a_name", "张三"), ("a_id_number", young.as_str()), ("b_name", "李四"), ("b_id_number", bride.as_str())]
    {
        fill(&client, id, value).await;
    }
    // The 户籍地 is chosen, never typed: province, city, county.
    for field in ["a_division", "b_division"] {
        crate::browser_pickers::choose_division(&client, field, &["510000", "511700", "511702"]).await;
    }
    client.execute("document.getElementById('a_division-picker').scrollIntoView();", vec![]).await.expect("scroll");
    visited(&client, "marriage-01b-divisions-chosen").await;
    client.find(Locator::Id("declaration")).await.expect("declaration").click().await.expect("tick");
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        checkbox.click().await.expect("tick");
    }
    press(&client, "check").await;
    client.wait().for_element(Locator::Css("section[aria-label=核验结果]")).await.expect("the checks");
    let html = visited(&client, "marriage-02-refused-under-age").await;
    assert!(html.contains("不符合结婚登记条件"), "{html}");
    assert!(html.contains("第一千零四十七条"), "the basis: {html}");
    // Registering anyway is refused the same way: nothing written.
    press(&client, "register").await;
    client.wait().for_element(Locator::Css("section[aria-label=核验结果]")).await.expect("the checks");
    assert_eq!(client.current_url().await.expect("url").path(), "/marriage/desk");

    // The right groom: every condition holds; registered, and the certificate page opens.
    fill(&client, "a_id_number", &groom).await;
    press(&client, "check").await;
    client.wait().for_element(Locator::Css("p.notice")).await.expect("all conditions hold");
    visited(&client, "marriage-03-checks-passed").await;
    press(&client, "register").await;
    client.wait().for_element(Locator::Css("section[aria-label=核验]")).await.expect("the certificate");
    let url = client.current_url().await.expect("url");
    assert!(url.path().ends_with("/certificate"), "{url}");
    let html = visited(&client, "marriage-04-certificate").await;
    assert!(html.contains("结婚证") && html.contains("J511702-2021-000001"), "{html}");
    assert!(html.contains("<svg"), "the QR code: {html}");

    // The statistics: the one registration, local.
    client.goto(&format!("{base}/marriage/stats?from=2021-01-01&to=2021-12-31")).await.expect("stats");
    let html = visited(&client, "marriage-05-stats").await;
    assert!(html.contains("共 1 件：本地 1"), "{html}");
    assert!(html.contains("结婚登记") && html.contains("2021-06"), "{html}");

    client.close().await.expect("close the session");
}
