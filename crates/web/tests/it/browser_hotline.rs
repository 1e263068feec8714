//! A 12345 ticket from the platform to the call-back in a real browser: the bureau's staff see
//! it in the queue with its limit, dispatch it, the unit signs and replies, and the bureau
//! records the call-back; the ticket is archived. Screenshots in `target/screenshots/hotline-*`.

use fantoccini::Locator;
use serde_json::json;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, login, serve, visited, Driver};
use crate::helpers::{Api, Auth};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ticket_goes_from_receipt_to_the_callback() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    let platform = api.staff_token("platform", "clerk", "511700").await;
    api.staff_token("bureau700", "reviewer", "511700").await;
    let body = json!({
        "platform_number": "SC12345-20210601-0007", "kind": "complaint", "caller_name": "赵先生",
        "caller_phone": "13700001111", "subject": "养老服务补贴未到账",
        "content": "父亲的养老服务补贴三个月未到账", "division": "511700",
        "received_at": "2021-06-01 08:10",
    });
    let created = api.post("/api/v1/hotline/tickets", Auth::Bearer(&platform), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["ticket"]["id"].as_i64().expect("id");

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "bureau700").await;

    client.goto(&format!("{base}/hotline")).await.expect("queue");
    let html = visited(&client, "hotline-01-queue").await;
    // 投诉举报: 15 working days, 端午 (12–14 June) not counted: 23 June.
    assert!(html.contains("养老服务补贴未到账") && html.contains("2021年6月23日"), "{html}");
    assert!(html.contains("137****1111") && !html.contains("13700001111"), "{html}");
    click_to_new_page(&client, &format!("a[href=\"/hotline/tickets/{id}\"]")).await;
    visited(&client, "hotline-02-ticket").await;

    // 派单 to 通川区 (a choice by name), 签收, 办结反馈, 回访.
    let option = client.find(Locator::Css("#unit option[value=\"511702\"]")).await.expect("the unit");
    option.click().await.expect("choose");
    click_to_new_page(&client, "form[action$=\"/acts\"] button[type=submit]").await;
    let html = visited(&client, "hotline-03-dispatched").await;
    assert!(html.contains("待签收") && html.contains("签收期限"), "{html}");
    click_to_new_page(&client, "form[action$=\"/acts\"] button[type=submit]").await;
    let reply = client.find(Locator::Id("reply-text")).await.expect("the reply");
    reply.send_keys("经核实，补贴已于6月3日补发到账").await.expect("type");
    click_to_new_page(&client, "form[action$=\"/acts\"] button[type=submit]").await;
    let html = visited(&client, "hotline-04-replied").await;
    assert!(html.contains("已办结，待回访"), "{html}");
    client.find(Locator::Id("satisfied-yes")).await.expect("satisfied").click().await.expect("choose");
    click_to_new_page(&client, "form[action$=\"/acts\"] button[type=submit]").await;
    let html = visited(&client, "hotline-05-closed").await;
    assert!(html.contains("已归档") && html.contains("回访：满意"), "{html}");

    client.close().await.expect("close the session");
}
