//! The account pages in a real browser: an administrator creates an account (the division
//! through the picker), reads the one-time password, and the new account signs in with it.
//! Screenshots in `target/screenshots/accounts-*`.

use fantoccini::Locator;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, logout, serve, visited, Driver};
use crate::browser_pickers::choose_division;
use crate::helpers::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_administrator_creates_an_account_that_then_signs_in() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("admin700", "admin", "511700").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    crate::browser::login(&client, &base, "admin700").await;

    click_to_new_page(&client, "a[href=\"/admin/accounts\"]").await;
    visited(&client, "accounts-01-list").await;
    client.find(Locator::Id("username")).await.expect("username").send_keys("zhaoliu").await.expect("type");
    client.find(Locator::Id("display_name")).await.expect("name").send_keys("赵六").await.expect("type");
    client.find(Locator::Css("#role option[value=\"clerk\"]")).await.expect("role").click().await.expect("choose");
    choose_division(&client, "division", &["511702"]).await;
    visited(&client, "accounts-02-filled").await;
    click_to_new_page(&client, "form[method=post][action=\"/admin/accounts\"] button[type=submit]").await;
    let html = visited(&client, "accounts-03-created").await;
    assert!(html.contains("窗口受理人员（四川省达州市通川区）"), "{html}");
    let password =
        client.find(Locator::Id("one-time-password")).await.expect("the password").text().await.expect("text");
    assert_eq!(password.len(), 16, "{password}");

    logout(&client).await;
    client.find(Locator::Id("username")).await.expect("username").send_keys("zhaoliu").await.expect("type");
    client.find(Locator::Id("password")).await.expect("password").send_keys(&password).await.expect("type");
    click_to_new_page(&client, "main form button[type=submit]").await;
    assert_eq!(client.current_url().await.expect("url").path(), "/", "signed in with the one-time password");
    let html = visited(&client, "accounts-04-new-account-home").await;
    assert!(!html.contains("/admin/accounts"), "a clerk has no account pages link");
    client.close().await.expect("close");
}
