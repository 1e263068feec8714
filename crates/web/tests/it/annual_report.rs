//! The annual report over HTTP: the figures with their records, a version saved and published
//! through the API, the public page carrying each figure as a link to its definition, the
//! indicator's page listing the records only to staff whose grants reach them, drift shown on the
//! public page after a late record, the .docx and .xlsx downloads. On both backends.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

fn suggestion(number: &str) -> serde_json::Value {
    json!({
        "division": "511700", "kind": "deputy", "session": "达州市第四届人民代表大会第六次会议",
        "number": number, "proposers": "李四", "subject": "关于完善临时救助制度的建议",
        "lead_unit": "达州市民政局", "assigned_on": "2021-03-15"
    })
}

on_both!(a_published_report_links_every_figure_to_its_records_and_shows_drift, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("rclerk", "clerk", "511700").await;
    let leader = api.staff_token("rleader", "leader", "511700").await;
    let outsider = api.staff_token("routsider", "leader", "511800").await;
    let made = api.post("/api/v1/suggestions/items", Auth::Bearer(&clerk), suggestion("第0001号")).await;
    assert_eq!(made.status, 201, "{}", made.text());

    let figures = api.get("/api/v1/reports/511700/2021/indicators", Auth::Bearer(&leader)).await;
    assert_eq!(figures.status, 200, "{}", figures.text());
    let figures = figures.json();
    assert_eq!(figures["report_due"], "2022-02-28");
    assert_eq!(figures["publish_due"], "2022-03-31");
    let deputy = figures["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "suggestions:deputy_assigned")
        .cloned()
        .unwrap();
    assert_eq!((deputy["value"].as_str(), deputy["records"].as_array().map(Vec::len)), (Some("1"), Some(1)));
    api.get("/api/v1/reports/511700/2021/indicators", Auth::Bearer(&outsider)).await.assert_error(403, "forbidden");

    // A reference to nothing is refused with the field; a good version is saved and published.
    let bad =
        api.post("/api/v1/reports/511700/2021/versions", Auth::Bearer(&leader), json!({"body": "{{nope}}"})).await;
    bad.assert_error(422, "unknown_indicator");
    let body = "一、主要举措和成效\n2021年办理人大代表建议{{suggestions:deputy_assigned}}件。";
    let saved = api.post("/api/v1/reports/511700/2021/versions", Auth::Bearer(&leader), json!({"body": body})).await;
    assert_eq!(saved.status, 201, "{}", saved.text());
    let id = saved.json()["id"].as_i64().unwrap();
    let public_page = api.get("/reports/511700/2021", Auth::None).await;
    assert_eq!(public_page.status, 404, "nothing is public before publishing");
    let published = api.post(&format!("/api/v1/reports/versions/{id}/publish"), Auth::Bearer(&leader), json!({})).await;
    assert_eq!(published.status, 200, "{}", published.text());
    assert_eq!(published.json()["figures"][0]["value"], "1");
    api.post(&format!("/api/v1/reports/versions/{id}/publish"), Auth::Bearer(&leader), json!({}))
        .await
        .assert_error(409, "report_published");

    let page = api.get("/reports/511700/2021", Auth::None).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    let link = "/reports/511700/2021/indicators/suggestions:deputy_assigned";
    assert!(html.contains(&format!(r#"href="{link}""#)) && html.contains("签名验证有效"), "{html}");
    assert!(html.contains("达州市民政局2021年度法治政府建设工作情况报告"), "{html}");
    // The figure's page: the definition for everyone, the records for the organ's staff only.
    let public = api.get(link, Auth::None).await;
    assert_eq!(public.status, 200);
    assert!(public.text().contains("代表法 第五十一条") || public.text().contains("交办"), "{}", public.text());
    assert!(!public.text().contains("/suggestions/items/"), "no records to the public");
    let (session, _) = api.cookie_login("rleader", STAFF_PASSWORD).await;
    let staff = api.get(link, Auth::Cookie { session: &session, csrf: None }).await;
    assert!(staff.text().contains("/suggestions/items/"), "{}", staff.text());

    // A late record of 2021: the published figure stays, the drift is shown.
    api.post("/api/v1/suggestions/items", Auth::Bearer(&clerk), suggestion("第0002号")).await;
    let check = api.get(&format!("/api/v1/reports/versions/{id}/published"), Auth::None).await.json();
    assert_eq!(check["signature_valid"], true);
    assert_eq!(check["drift"][0]["key"], "suggestions:deputy_assigned");
    assert_eq!((check["drift"][0]["published"].as_str(), check["drift"][0]["now"].as_str()), (Some("1"), Some("2")));
    let html = api.get("/reports/511700/2021", Auth::None).await.text();
    assert!(
        html.contains("发布后指标变动") && html.contains(">1</a>件") && html.contains("<td>1</td><td>2</td>"),
        "{html}"
    );

    // The downloads.
    let docx = api.get("/reports/511700/2021/report.docx", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(docx.status, 200);
    assert!(docx.body.starts_with(b"PK"), "a zip container");
    let xlsx = api.get("/reports/511700/2021/figures.xlsx", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));
});

// 办事指南要素核查 through the API and the staff page: one service function, the same refusals (a
// county's administrator may not review the city's guide; a level the item is not exercised at;
// an unknown element), the page lists the latest review of each guide and says a refusal beside
// its field. On both backends.
on_both!(a_guide_review_is_recorded_through_the_api_and_the_page, |db| async move {
    let api = Api::new(db).await;
    let city = api.staff_token("gcity", "admin", "511700").await;
    let county = api.staff_token("gcounty", "admin", "511702").await;
    let item = "standard-place-name-certificate";
    let path = format!("/api/v1/admin/items/{item}/guide-reviews");
    let wrong = json!({"division": "511700", "wrong": ["phones"], "note": "监督电话与中心公告不一致"});
    let made = api.post(&path, Auth::Bearer(&city), wrong).await;
    assert_eq!(made.status, 201, "{}", made.text());
    let made = made.json();
    assert_eq!((made["accurate"].as_bool(), made["wrong_names"][0].as_str()), (Some(false), Some("咨询和监督电话")));
    assert_eq!(made["division_name"], "四川省达州市");
    api.post(&path, Auth::Bearer(&county), json!({"division": "511700"}))
        .await
        .assert_error(403, "reviewer_outside_organ");
    api.post(&path, Auth::Bearer(&city), json!({"division": "511700", "wrong": ["fees"], "note": "x"}))
        .await
        .assert_error(422, "unknown_guide_element");
    api.post(
        "/api/v1/admin/items/place-name-info-query/guide-reviews",
        Auth::Bearer(&city),
        json!({"division": "511702"}),
    )
    .await
    .assert_error(422, "guide_level_not_in_item");
    let listed = api.get("/api/v1/admin/guide-reviews", Auth::Bearer(&city)).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(1), "only the recorded review");

    // The page: the latest review listed; the form records another; refusals beside the field.
    let (session, csrf) = api.cookie_login("gcity", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let page = api.get("/admin/guide-reviews", me).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("咨询和监督电话有误") && html.contains("监督电话与中心公告不一致"), "{html}");
    assert!(html.contains(r#"<option value="standard-place-name-certificate">"#), "items are chosen: {html}");
    let fields = [("csrf_token", csrf.as_str()), ("item", item), ("division", "511700")];
    let done = api.form("/admin/guide-reviews", Some(&session), &fields).await;
    assert_eq!(done.status, 303, "{}", done.text());
    let html = api.get("/admin/guide-reviews?done=1", me).await.text();
    assert!(html.contains("已记录核查") && html.contains("14项要素全部准确"), "{html}");
    let silent = [("csrf_token", csrf.as_str()), ("item", item), ("division", "511700"), ("wrong", "fee")];
    let refused = api.form("/admin/guide-reviews", Some(&session), &silent).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains(r#"id="note-error""#) && html.contains(r#"value="fee" checked"#), "{html}");
    let (county_session, county_csrf) = api.cookie_login("gcounty", STAFF_PASSWORD).await;
    let outside = [("csrf_token", county_csrf.as_str()), ("item", item), ("division", "511700")];
    let refused = api.form("/admin/guide-reviews", Some(&county_session), &outside).await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("只有四川省达州市或其上级的事项管理员"), "{}", refused.text());
    let listed = api.get("/api/v1/admin/guide-reviews", Auth::Bearer(&city)).await.json();
    assert_eq!(listed["items"][0]["accurate"], true, "the latest review counts");
});
