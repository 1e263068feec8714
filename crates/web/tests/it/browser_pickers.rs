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
    let html = visited(&client, "pickers-03-township-chosen").await;
    assert_eq!(html.matches("模拟时钟").count(), 1, "the redrawn picker carries no second banner");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_household_is_found_by_a_members_name_and_opened() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let officer = api.staff_token("officer", "township_officer", "511702001").await;
    let id_text = crate::helpers::id_number("511702", "19700301", 51);
    let person = api.create_person(&officer, "钱七", &id_text, "511702001").await["id"].as_i64().expect("person");
    let household = serde_json::json!({"division": "511702001", "urban": true, "version": {
        "valid_from": "2021-01-01",
        "members": [{"person_id": person, "relationship": "applicant"}],
        "income": [],
        "assets": []
    }});
    let made = api.post("/api/v1/assistance/households", crate::helpers::Auth::Bearer(&officer), household).await;
    let household = made.json()["id"].as_i64().expect("the household");
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "officer").await;

    client.goto(&format!("{base}/assistance/households")).await.expect("households");
    visited(&client, "pickers-10-households").await;
    client.find(Locator::Id("open-q")).await.expect("the search box").send_keys("钱七").await.expect("type");
    let choice = format!("#open-choices input[name=id][value=\"{household}\"]");
    client.wait().for_element(Locator::Css(&choice)).await.unwrap_or_else(|e| panic!("{choice}: {e}"));
    let html = visited(&client, "pickers-11-household-found").await;
    assert_eq!(html.matches("模拟时钟").count(), 1, "the fragment carries no second banner");
    assert!(html.contains("钱七") && html.contains("5117**************"), "{html}");
    assert!(!html.contains(&id_text), "masked");
    client.find(Locator::Css(&choice)).await.expect("choice").click().await.expect("choose");
    crate::browser::click_to_new_page(&client, "form[action=\"/assistance/households\"][method=get] button").await;
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), format!("/assistance/households/{household}"));
    visited(&client, "pickers-12-household-opened").await;
    client.close().await.expect("close the session");
}
