//! The administration pages in a real browser, at desktop and phone width: the hub from the
//! menu, the record's verification, the calendar, an item claimed for a county (the division
//! through the picker); and the household form grown by a row without script. Screenshots in
//! `target/screenshots/admin-*`.

use fantoccini::Locator;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, login, logout, serve, visited, Driver};
use crate::browser_pickers::choose_division;
use crate::helpers::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_administrator_verifies_the_record_and_claims_an_item() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("admin700", "admin", "511700").await;
    api.t.staff("officer", "township_officer", "511702001").await;
    api.t.app.checkpoint().await.expect("checkpoint");
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "admin700").await;

    click_to_new_page(&client, "nav a[href=\"/admin\"]").await;
    visited(&client, "admin-01-hub").await;
    click_to_new_page(&client, "main a[href=\"/admin/record\"]").await;
    let html = visited(&client, "admin-02-record").await;
    assert!(html.contains("记录完整："), "{html}");
    assert!(html.contains("<strong>有效</strong>"), "{html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "admin-03-record-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    client.goto(&format!("{base}/admin/calendar")).await.expect("calendar");
    visited(&client, "admin-04-calendar").await;

    client.goto(&format!("{base}/admin/items")).await.expect("items");
    visited(&client, "admin-05-items").await;
    client
        .find(Locator::Css("#item option[value=\"marriage-registration\"]"))
        .await
        .expect("the item")
        .click()
        .await
        .expect("choose");
    choose_division(&client, "pub_division", &["511702"]).await;
    click_to_new_page(&client, "form[action=\"/admin/items/publication\"] button[type=submit]").await;
    let html = visited(&client, "admin-06-claimed").await;
    assert!(html.contains("已办理认领、发布或撤回。"), "{html}");
    assert!(html.contains("<td data-label=\"事项\">内地居民结婚登记</td><td data-label=\"行政区划\">四川省达州市通川区</td><td data-label=\"状态\">已认领</td>"), "{html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "admin-07-items-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
    logout(&client).await;

    // The household form grows by a row; what was typed stays.
    login(&client, &base, "officer").await;
    client.goto(&format!("{base}/assistance/households")).await.expect("households");
    client.find(Locator::Id("i4_amount")).await.expect("row 4").send_keys("321").await.expect("type");
    click_to_new_page(&client, "button[name=grow][value=income]").await;
    client.set_window_size(412, 915).await.expect("phone width");
    let html = visited(&client, "admin-08-household-grown-phone").await;
    assert!(html.contains("id=\"i5_amount\""), "{html}");
    let kept = client.find(Locator::Id("i4_amount")).await.expect("row 4").prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some("321"));
    client.close().await.expect("close");
}
