//! The assistance pages in a real browser: a township officer registers a household on its page,
//! records the 低保 application on the case page, sees the publicity window, and after the county's
//! decision the case page shows the decision with its eligibility trace. Screenshots in
//! `target/screenshots/assistance-*`.

use chrono::{TimeZone, Utc};
use fantoccini::Locator;
use serde_json::json;
use test_support::Db;

use crate::assistance_pages::{act, minimum_living_case};
use crate::browser::{browser_available, click, fill, login, serve, visited, Driver};
use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

const TOWNSHIP: &str = "511702001";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_township_officer_takes_a_minimum_living_application_to_its_decision() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    // The 低保 item is in force from 2021-07-01: Monday 2021-07-05.
    let morning = |d: u32| Utc.with_ymd_and_hms(2021, 7, d, 1, 0, 0).single().expect("instant");
    api.t.clock.set(morning(5)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", TOWNSHIP).await;
    api.t.staff("officer", "township_officer", TOWNSHIP).await;
    api.t.staff("decider", "decider", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "officer").await;

    // The household: the applicant and a child, registered by their ID numbers.
    click(&client, "nav a[href=\"/assistance/households\"]").await;
    client.wait().for_element(Locator::Id("m1_name")).await.expect("the household form");
    visited(&client, "assistance-01-household-form").await;
    let applicant = id_number("511702", "19700301", 31);
    let child = id_number("511702", "20100601", 32);
    fill(&client, "m1_name", "王一").await;
    fill(&client, "m1_id_number", &applicant).await;
    fill(&client, "m2_name", "王二").await;
    fill(&client, "m2_id_number", &child).await;
    click(&client, "#m2_relationship option[value=child]").await;
    fill(&client, "a1_value", "2000").await;
    // No income in the first half of 2021: one line for the period at 0 a month (a month of the
    // income window left without any income on record holds up the grant).
    let period = "document.getElementById('i1_month').value = '2021-01'; \
                  document.getElementById('i1_until').value = '2021-06';";
    client.execute(period, vec![]).await.expect("the income period");
    fill(&client, "i1_kind", "工资性收入").await;
    fill(&client, "i1_amount", "0").await;
    click(&client, "#household-submit").await;
    if client.wait().for_element(Locator::Css("p.notice")).await.is_err() {
        panic!("not registered: {}", client.source().await.expect("source"));
    }
    let html = visited(&client, "assistance-02-household").await;
    assert!(html.contains("王二") && html.contains("子女") && html.contains("¥2,000.00"), "{html}");
    assert!(!html.contains(&applicant), "the ID number masked");
    let url = client.current_url().await.expect("url");
    let household: i64 = url.path().rsplit('/').next().and_then(|id| id.parse().ok()).expect("the household id");

    // The clerk's case (through the API); the officer records the application on its page.
    let persons = api.get(&format!("/api/v1/assistance/households/{household}"), Auth::Bearer(&clerk)).await.json();
    let person = persons["versions"][0]["members"][0]["person_id"].as_i64().expect("the applicant");
    let id = minimum_living_case(&api, &clerk, person).await;
    client.goto(&format!("{base}/cases/{id}")).await.expect("case page");
    visited(&client, "assistance-03-case-application-form").await;
    // The household is the applicant's: offered and already chosen, no number typed.
    let chosen = format!("#aa-household-{household}:checked");
    client.find(Locator::Css(&chosen)).await.unwrap_or_else(|e| panic!("{chosen}: {e}"));
    click(&client, &format!("form[action=\"/cases/{id}/assistance-application\"] button")).await;
    client.wait().for_element(Locator::Css("p.notice")).await.expect("recorded");
    let html = visited(&client, "assistance-04-case-application").await;
    assert!(html.contains("已登记救助申请信息") && html.contains("最低生活保障"), "{html}");
    assert!(html.contains("王一家（2 人）</a>"), "the household by its members, not its number: {html}");

    // Accepted, investigated, reviewed (through the API): the page shows the publicity window.
    let officer = api.token("officer", STAFF_PASSWORD).await;
    act(&api, &officer, id, json!({"action": "accept"})).await;
    for _ in 0..2 {
        act(&api, &officer, id, json!({"action": "review", "verdict": "approve", "opinion": "经调查属实"})).await;
    }
    client.goto(&format!("{base}/cases/{id}")).await.expect("case page");
    let html = visited(&client, "assistance-05-publicity").await;
    assert!(html.contains("至2021年7月12日期满"), "{html}");

    // After the publicity the county decides; the officer signs in again and reads the decision.
    api.t.clock.set(morning(13)).expect("forward");
    api.t.app.sweep_once(morning(13)).await.expect("sweep");
    let decider = api.token("decider", STAFF_PASSWORD).await;
    act(&api, &decider, id, json!({"action": "decide", "grant": true})).await;
    let decision = api.get(&format!("/api/v1/cases/{id}/assistance-decision"), Auth::Bearer(&decider)).await.json();
    login(&client, &base, "officer").await;
    client.goto(&format!("{base}/cases/{id}")).await.expect("case page");
    client.wait().for_element(Locator::Css("section[aria-label=救助决定]")).await.expect("the decision");
    let html = visited(&client, "assistance-06-decision").await;
    let text = html.replace("&#60;", "<").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    let trace = decision["trace"].as_array().cloned().unwrap_or_default();
    assert!(!trace.is_empty(), "{decision}");
    for line in trace {
        assert!(text.contains(line.as_str().expect("a line")), "{line}: {html}");
    }
    assert!(html.contains(&web::views::yuan(decision["amount_fen"].as_i64().expect("amount"))), "{html}");
    client.close().await.expect("close the session");
}
