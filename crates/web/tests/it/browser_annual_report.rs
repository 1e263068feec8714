//! The published annual report in a real browser: a reader opens it, sees its charts (SVG with a
//! title and a description, the numbers in a table beside each), follows a figure to its
//! definition and — signed in as the organ's staff — to the records it counted, and the figure
//! equals the rows listed; then follows a record to its page. At desktop and at phone width.
//! Screenshots in `target/screenshots/annual-report-*`.

use fantoccini::{Client, Locator};
use serde_json::json;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, login, serve, visited, Driver};
use crate::helpers::{id_number, Api, Auth};

const FIGURE: &str = "a.figure[href$=\"/indicators/suggestions:deputy_assigned\"]";

async fn phone_then_desktop(client: &Client, name: &str) {
    client.set_window_size(412, 915).await.expect("phone width");
    visited(client, name).await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("the element's text")
}

async fn count_of(client: &Client, css: &str) -> usize {
    client.find_all(Locator::Css(css)).await.expect("a lookup").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_follows_a_published_figure_to_the_records_it_counts() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let clerk = api.staff_token("rclerk", "clerk", "511700").await;
    let leader = api.staff_token("rleader", "leader", "511700").await;
    // Three deputies' suggestions assigned to the bureau in 2021, and one case at the window
    // (the charts' months and cross-region kinds).
    for n in 1..=3 {
        let made = api
            .post(
                "/api/v1/suggestions/items",
                Auth::Bearer(&clerk),
                json!({
                    "division": "511700", "kind": "deputy", "session": "达州市第四届人民代表大会第六次会议",
                    "number": format!("第{n:04}号"), "proposers": "李四", "subject": format!("关于完善临时救助制度的建议（{n}）"),
                    "lead_unit": "达州市民政局", "assigned_on": format!("2021-03-1{n}")
                }),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
    }
    let case = api
        .post(
            "/api/v1/cases",
            Auth::Bearer(&clerk),
            json!({
                "item": "social-group-change-registration",
                "channel": "window",
                "applicant": {"name": "王小明", "id_number": id_number("511702", "19800101", 1), "division": "511702"},
                "accepting_division": "511700",
                "situation": "change_name_scope",
                "materials": ["application", "sponsor_approval", "meeting_resolution", "certificate"],
                "data": {"premises_division": "511700"},
                "facts": crate::helpers::application(1)["facts"].clone()
            }),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.text());
    let body = "一、主要举措和成效\n(一)依法办理建议提案\n2021年办理人大代表建议{{suggestions:deputy_assigned}}件，均按期办结。";
    let saved = api.post("/api/v1/reports/511700/2021/versions", Auth::Bearer(&leader), json!({"body": body})).await;
    assert_eq!(saved.status, 201, "{}", saved.text());
    let id = saved.json()["id"].as_i64().unwrap();
    let published = api.post(&format!("/api/v1/reports/versions/{id}/publish"), Auth::Bearer(&leader), json!({})).await;
    assert_eq!(published.status, 200, "{}", published.text());

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    // The public: the report with its charts, each figure a link to its definition.
    client.goto(&format!("{base}/reports/511700/2021")).await.expect("the published report");
    let html = visited(&client, "annual-report-01-public").await;
    assert!(html.contains("签名验证有效"), "{html}");
    let printed = text_of(&client, FIGURE).await;
    assert_eq!(printed, "3", "the figure as published");
    let charts = count_of(&client, ".report-charts svg[role=img] title").await;
    assert!(charts >= 2, "the months and the cross-region charts: {html}");
    assert_eq!(count_of(&client, ".report-charts svg[role=img] desc").await, charts, "each chart describes itself");
    assert_eq!(count_of(&client, ".report-charts table").await, charts, "each chart has its numbers in a table");
    assert!(html.contains("2021年6月") && html.contains("按月办件量"), "{html}");
    phone_then_desktop(&client, "annual-report-01b-public-phone").await;

    click_to_new_page(&client, FIGURE).await;
    let html = visited(&client, "annual-report-02-definition-public").await;
    assert!(html.contains("<h1>") && html.contains("定义"), "{html}");
    assert!(html.contains("工作人员登录后按管辖范围查看"), "the public sees no records: {html}");
    assert_eq!(count_of(&client, "table.list tbody tr").await, 0);

    // The organ's leader: the same figure, its definition and the records it counted.
    login(&client, &base, "rleader").await;
    client.goto(&format!("{base}/reports/511700/2021")).await.expect("the published report");
    visited(&client, "annual-report-03-signed-in").await;
    let figure: usize = text_of(&client, FIGURE).await.parse().expect("a count");
    click_to_new_page(&client, FIGURE).await;
    let html = visited(&client, "annual-report-04-records").await;
    assert!(html.contains("定义") && html.contains("所计记录"), "{html}");
    let rows = count_of(&client, "table.list tbody tr").await;
    assert_eq!(rows, figure, "the figure counts the rows listed: {html}");
    assert!(html.contains(&format!("共 {figure} 条")), "{html}");
    for n in 1..=3 {
        assert!(html.contains(&format!("第{n:04}号")) || html.contains(&format!("（{n}）")), "record {n}: {html}");
    }
    phone_then_desktop(&client, "annual-report-04b-records-phone").await;

    // A record: its own page.
    click_to_new_page(&client, "table.list tbody tr a[href^=\"/suggestions/items/\"]").await;
    let html = visited(&client, "annual-report-05-record").await;
    assert!(html.contains("关于完善临时救助制度的建议"), "{html}");

    client.close().await.expect("close the session");
}

/// 办事指南要素核查 in a real browser: the city's catalogue administrator opens the page from the
/// administration hub, chooses the item and the division (never typed), ticks an element without
/// saying what was wrong and is told beside the note, then says it and sees the review listed. At
/// desktop and phone width; screenshots `annual-report-guide-*`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_administrator_records_a_guide_review_from_the_page() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("gadmin", "admin", "511700").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "gadmin").await;
    client.goto(&format!("{base}/admin")).await.expect("the hub");
    click_to_new_page(&client, "main a[href=\"/admin/guide-reviews\"]").await;
    visited(&client, "annual-report-guide-01-empty").await;
    client
        .find(Locator::Css("#item option[value=\"standard-place-name-certificate\"]"))
        .await
        .expect("the item")
        .click()
        .await
        .expect("choose");
    crate::browser_pickers::choose_division(&client, "division", &["511700"]).await;
    client.find(Locator::Id("wrong-phones")).await.expect("the element").click().await.expect("tick");
    click_to_new_page(&client, "form[action=\"/admin/guide-reviews\"] button[type=submit]").await;
    let html = visited(&client, "annual-report-guide-02-note-missing").await;
    assert!(html.contains("id=\"note-error\""), "the note is asked for beside it: {html}");
    assert!(html.contains("value=\"phones\" checked"), "the ticked element stays ticked: {html}");
    client
        .find(Locator::Id("note"))
        .await
        .expect("the note")
        .send_keys("监督电话与中心公告不一致")
        .await
        .expect("type");
    click_to_new_page(&client, "form[action=\"/admin/guide-reviews\"] button[type=submit]").await;
    let html = visited(&client, "annual-report-guide-03-recorded").await;
    assert!(html.contains("已记录核查") && html.contains("咨询和监督电话有误"), "{html}");
    assert!(html.contains("监督电话与中心公告不一致") && html.contains("四川省达州市"), "{html}");
    assert!(
        html.contains("<td data-label=\"核查人\">测试gadmin</td>") && !html.contains("account:"),
        "the reviewer by name: {html}"
    );
    phone_then_desktop(&client, "annual-report-guide-04-recorded-phone").await;
    client.close().await.expect("close the session");
}
