//! The account pages in a real browser: an administrator creates an account (the division
//! through the picker), reads the one-time password, and the new account signs in with it.
//! Screenshots in `target/screenshots/accounts-*`.

use fantoccini::Locator;
use test_support::Db;

use crate::browser::{both_widths, browser_available, click, click_to_new_page, login, logout, serve, visited, Driver};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_administrator_grants_a_role_to_an_existing_account_which_then_sees_its_pages() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("admin700", "admin", "511700").await;
    api.t.staff("clerk702", "clerk", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    // Before: a clerk has no 账户管理 in the menu, and the page refuses it.
    login(&client, &base, "clerk702").await;
    let html = visited(&client, "grant-01-clerk-before").await;
    assert!(!html.contains("href=\"/admin/accounts\""), "{html}");
    client.goto(&format!("{base}/admin/accounts")).await.expect("accounts");
    let html = visited(&client, "grant-02-clerk-refused").await;
    assert!(html.contains("class=\"alert\"") && !html.contains("id=\"username\""), "refused: {html}");
    logout(&client).await;

    // The administrator finds the account in the list and makes it the county's 系统管理员 too.
    login(&client, &base, "admin700").await;
    click_to_new_page(&client, "a[href=\"/admin/accounts\"]").await;
    let account = client
        .find(Locator::XPath("//tr[td[1][normalize-space(.)='clerk702']]//a[starts-with(@href, '/admin/accounts/')]"))
        .await
        .expect("the account in the list");
    let href = account.attr("href").await.expect("href").expect("a link");
    click_to_new_page(&client, &format!("a[href=\"{href}\"]")).await;
    let html = both_widths(&client, "grant-03-account").await;
    assert!(html.contains("窗口受理人员（四川省达州市通川区）"), "{html}");
    click(&client, "#role option[value=\"admin\"]").await;
    choose_division(&client, "division", &["511702"]).await;
    visited(&client, "grant-04-filled").await;
    click_to_new_page(&client, &format!("form[action=\"{href}/grants\"] button[type=submit]")).await;
    let html = both_widths(&client, "grant-05-granted").await;
    assert!(html.contains("窗口受理人员（四川省达州市通川区）"), "the old grant stays: {html}");
    assert!(html.contains("系统管理员（四川省达州市通川区）"), "the new grant: {html}");
    logout(&client).await;

    // After: the same account sees 账户管理 in its menu and opens it, its own county's accounts.
    login(&client, &base, "clerk702").await;
    let html = both_widths(&client, "grant-06-clerk-after").await;
    assert!(html.contains("href=\"/admin/accounts\""), "{html}");
    click_to_new_page(&client, "a[href=\"/admin/accounts\"]").await;
    let html = both_widths(&client, "grant-07-accounts").await;
    assert!(!html.contains("class=\"alert\"") && html.contains("id=\"username\""), "{html}");
    assert_eq!(client.current_url().await.expect("url").path(), "/admin/accounts");
    client.close().await.expect("close");
}
