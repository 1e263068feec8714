//! The public catalog: the items in force on a date (a later version is not shown before its
//! date), every element of an item, the adjustment history, and bad input on those endpoints.

use serde_json::Value;
use test_support::on_both;

use crate::helpers::{Api, Auth};

const PLACE_NAME: &str = "standard-place-name-certificate";

fn slugs(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["slug"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn version_of(list: &Value, slug: &str) -> Option<i64> {
    list["items"].as_array()?.iter().find(|i| i["slug"] == slug)?["version"].as_i64()
}

on_both!(items_in_force_follow_their_effective_dates, |db| async move {
    let api = Api::new(db).await;
    // v1 from 2021-01-01, v2 (the 2022 地名管理条例) from 2022-05-01.
    let before_v2 = api.get("/api/v1/items?on=2022-04-30", Auth::None).await;
    assert_eq!(before_v2.status, 200, "{}", before_v2.text());
    let before_v2 = before_v2.json();
    assert_eq!(before_v2["on"], "2022-04-30");
    assert_eq!(version_of(&before_v2, PLACE_NAME), Some(1));
    let from_v2 = api.get("/api/v1/items?on=2022-05-01", Auth::None).await.json();
    assert_eq!(version_of(&from_v2, PLACE_NAME), Some(2));
    assert_eq!(slugs(&before_v2), slugs(&from_v2), "one version of each item on each date");

    let one = api.get(&format!("/api/v1/items/{PLACE_NAME}?on=2022-04-30"), Auth::None).await.json();
    assert_eq!((one["version"].as_i64(), one["effective_from"].as_str()), (Some(1), Some("2021-01-01")));
    let two = api.get(&format!("/api/v1/items/{PLACE_NAME}?on=2022-05-01"), Auth::None).await.json();
    assert_eq!((two["version"].as_i64(), two["effective_from"].as_str()), (Some(2), Some("2022-05-01")));
    assert_eq!(two["ordered_by"], "国务院令第753号");
    assert_ne!(one["legal_basis"], two["legal_basis"], "v2 changed the legal basis");

    // Before the first version takes effect: not in the list, and 404 with its own code.
    let early = api.get("/api/v1/items?on=2020-12-31", Auth::None).await.json();
    assert!(!slugs(&early).contains(&PLACE_NAME.to_string()));
    api.get(&format!("/api/v1/items/{PLACE_NAME}?on=2020-12-31"), Auth::None)
        .await
        .assert_error(404, "item_not_in_force");

    // Default: today (the test clock stands at 2021-06-01). 低保 (from 2021-07-01) is not in force
    // yet; 结婚登记 is, in its 2003 条例 version (v1), and the 2025 revision is v2.
    let today = api.get("/api/v1/items", Auth::None).await.json();
    assert_eq!(today["on"], "2021-06-01");
    assert_eq!(version_of(&today, PLACE_NAME), Some(1));
    assert!(!slugs(&today).contains(&"minimum-living-allowance".to_string()));
    api.get("/api/v1/items/minimum-living-allowance", Auth::None).await.assert_error(404, "item_not_in_force");
    assert_eq!(version_of(&today, "marriage-registration"), Some(1));
    let now = api.get("/api/v1/items?on=2025-06-01", Auth::None).await.json();
    assert_eq!(version_of(&now, "marriage-registration"), Some(2));
    assert!(slugs(&now).len() > slugs(&today).len());
    assert!(slugs(&now).len() >= 20, "the shipped catalog: {}", slugs(&now).len());
});

on_both!(an_item_carries_every_element_of_its_implementation_list, |db| async move {
    let api = Api::new(db).await;
    let item = api.get("/api/v1/items/minimum-living-allowance?on=2021-07-01", Auth::None).await;
    assert_eq!(item.status, 200, "{}", item.text());
    let item = item.json();
    for field in [
        "slug",
        "code",
        "name",
        "kind",
        "legal_basis",
        "case_type",
        "statutory_limit",
        "promised_limit",
        "materials",
        "situations",
        "online_depth",
        "cross_region_mode",
        "version",
        "effective_from",
        "implementing_body",
        "body_nature",
        "levels",
        "power_source",
        "fee",
        "place",
        "hours",
        "phone",
        "supervision_phone",
        "acceptance_conditions",
        "accept_anywhere",
        "result",
        "city_centre",
        "steps",
    ] {
        assert!(item.get(field).is_some(), "{field} missing: {item}");
    }
    assert_eq!(item["slug"], "minimum-living-allowance");
    assert_eq!(item["case_type"], "promised");
    let statutory = &item["statutory_limit"];
    assert!(statutory["value"].as_u64().is_some() && statutory["unit"].is_string() && statutory["basis"].is_string());
    assert!(item["legal_basis"].as_array().is_some_and(|b| !b.is_empty()));
    let steps = item["steps"].as_array().cloned().unwrap_or_default();
    let confirm = steps.iter().find(|s| s["id"] == "confirm").expect("a confirm step");
    assert_eq!((confirm["level"].as_str(), confirm["kind"].is_string()), (Some("county"), true));
    for key in ["id", "name", "kind", "role", "limit"] {
        assert!(confirm.get(key).is_some(), "step.{key}: {confirm}");
    }
    let material = &item["materials"][0];
    for key in ["id", "name", "source", "form", "copies", "required", "tolerance", "shared"] {
        assert!(material.get(key).is_some(), "material.{key}: {material}");
    }
    assert!(item["situations"][0]["materials"].is_array());
});

on_both!(the_adjustment_history_is_public, |db| async move {
    let api = Api::new(db).await;
    let history = api.get(&format!("/api/v1/items/{PLACE_NAME}/history"), Auth::None).await;
    assert_eq!(history.status, 200, "{}", history.text());
    let history = history.json();
    let versions = history["versions"].as_array().cloned().unwrap_or_default();
    // v3 lists the item's outcomes (2026-12-07), v4 who may apply (2026-12-08).
    assert_eq!(versions.len(), 4);
    assert_eq!(
        (versions[3]["version"].as_i64(), versions[3]["effective_from"].as_str()),
        (Some(4), Some("2026-12-08"))
    );
    assert_eq!(
        (versions[0]["version"].as_i64(), versions[0]["effective_from"].as_str()),
        (Some(1), Some("2021-01-01"))
    );
    assert_eq!(
        (versions[2]["version"].as_i64(), versions[2]["effective_from"].as_str()),
        (Some(3), Some("2026-12-07"))
    );
    assert_eq!(
        (versions[1]["version"].as_i64(), versions[1]["effective_from"].as_str()),
        (Some(2), Some("2022-05-01"))
    );
    assert_eq!(versions[1]["reason"], "新《地名管理条例》施行，更新设定依据");
    assert_eq!(versions[1]["ordered_by"], "国务院令第753号");
    let recorded = versions[1]["recorded_at"].as_str().unwrap_or_default();
    assert!(recorded.starts_with("2021-06-01T09:0"), "recorded at init, by the app's clock: {recorded}");
    let single = api.get("/api/v1/items/minimum-living-allowance/history", Auth::None).await.json();
    assert_eq!(single["versions"].as_array().map(Vec::len), Some(3), "v1, its outcomes and its applicants versions");
});

on_both!(bad_input_on_the_item_endpoints, |db| async move {
    let api = Api::new(db).await;
    let before = api.footprint().await;
    for uri in [
        "/api/v1/items?on=2021-13-01",
        "/api/v1/items?on=yesterday",
        "/api/v1/items/minimum-living-allowance?on=2021-02-30",
    ] {
        let reply = api.get(uri, Auth::None).await;
        reply.assert_error(400, "invalid_query");
        assert_eq!(reply.json()["field"], "on", "{uri}");
    }
    api.get("/api/v1/items?date=2021-06-01", Auth::None).await.assert_error(400, "invalid_query");
    for slug in ["no-such-item", "%27%3B%20DROP%20TABLE%20cases%3B%20--", "%3Cscript%3E", "a".repeat(300).as_str()] {
        let reply = api.get(&format!("/api/v1/items/{slug}"), Auth::None).await;
        reply.assert_error(404, "item_not_found");
        assert!(!reply.text().contains("<script>") && !reply.text().contains("DROP"), "{}", reply.text());
        api.get(&format!("/api/v1/items/{slug}/history"), Auth::None).await.assert_error(404, "item_not_found");
    }
    assert_eq!(api.footprint().await, before, "reads write nothing");
});
