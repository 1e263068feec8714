//! The division picker in a real browser: a county clerk and a marriage clerk choose a township
//! through the cascade (htmx redraws the picker from `/pickers/divisions`), at desktop and at
//! phone width. Screenshots in `target/screenshots/pickers-*`.

use fantoccini::{Client, Locator};
use test_support::Db;

use crate::browser::{browser_available, login, serve, visited, Driver};
use crate::helpers::Api;

/// Chooses `codes` one after another in the picker of `field` (each in the select that posts
/// the field, then waits until htmx has redrawn the picker with it chosen above).
pub async fn choose_division(client: &Client, field: &str, codes: &[&str]) {
    for code in codes {
        let select = client.find(Locator::Id(field)).await.unwrap_or_else(|e| panic!("{field}: {e}"));
        let cascades = select.attr("hx-get").await.expect("attribute").is_some();
        let option = format!("#{field} option[value=\"{code}\"]");
        client
            .find(Locator::Css(&option))
            .await
            .unwrap_or_else(|e| panic!("{option}: {e}"))
            .click()
            .await
            .expect("choose");
        if cascades {
            // Redrawn by the server: the choice is now marked selected in the markup.
            let chosen = format!("#{field}-picker select[name=parent] option[value=\"{code}\"][selected]");
            let leaf = format!("#{field} option[value=\"{code}\"][selected]");
            let redrawn = format!("{chosen}, {leaf}");
            client.wait().for_element(Locator::Css(&redrawn)).await.unwrap_or_else(|e| panic!("{redrawn}: {e}"));
        }
    }
}

/// The value the picker of `field` would post.
async fn posted(client: &Client, field: &str) -> String {
    let script = format!("return document.getElementById('{field}').value;");
    client.execute(&script, vec![]).await.expect("the value").as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_township_is_chosen_through_the_cascade_at_desktop_and_phone_width() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("leader700", "leader", "511700").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "leader700").await;

    // The payment roll of a township of the city: city (chosen, the only one) → county → township.
    client.goto(&format!("{base}/assistance/payment-roll")).await.expect("roll form");
    let html = visited(&client, "pickers-01-roll-form").await;
    assert!(html.contains("<select id=\"county\" name=\"county\" required"), "{html}");
    assert_eq!(posted(&client, "county").await, "511700", "the city itself until a county is chosen");
    choose_division(&client, "county", &["511702"]).await;
    assert_eq!(posted(&client, "county").await, "511702");
    visited(&client, "pickers-02-county-chosen").await;
    choose_division(&client, "county", &["511702001"]).await;
    assert_eq!(posted(&client, "county").await, "511702001");
    visited(&client, "pickers-03-township-chosen").await;
    // The form posts the field the text input did: the roll of that township.
    client.execute("document.getElementById('month').value = '2021-08';", vec![]).await.expect("the month");
    crate::browser::click_to_new_page(&client, "form[action=\"/assistance/payment-roll\"] button[type=submit]").await;
    let url = client.current_url().await.expect("url");
    assert!(url.query().unwrap_or_default().contains("county=511702001"), "{url}");
    visited(&client, "pickers-04-roll").await;

    // At phone width: the lists stack; going back up to another county redraws below it.
    client.set_window_size(412, 915).await.expect("phone width");
    client.goto(&format!("{base}/assistance/payment-roll")).await.expect("roll form");
    choose_division(&client, "county", &["511703"]).await;
    let html = visited(&client, "pickers-05-phone-county").await;
    assert!(!html.contains("value=\"511702001\""), "the other county's townships are gone");
    let township = client
        .execute("return document.querySelector('#county option:nth-child(2)').value;", vec![])
        .await
        .expect("a township")
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(township.starts_with("511703") && township.len() == 9, "{township}");
    choose_division(&client, "county", &[township.as_str()]).await;
    assert_eq!(posted(&client, "county").await, township);
    visited(&client, "pickers-06-phone-township").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    client.close().await.expect("close the session");
}
