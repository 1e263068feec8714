//! Administering the catalog: claiming, publishing and withdrawing items for a division (with
//! their events), delegations (下放) with their validation and revocation, and who may do it.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{Api, Auth};

const DIBAO: &str = "minimum-living-allowance";

/// The acts recorded in an item's stream, in order.
async fn item_acts(api: &Api, slug: &str) -> Vec<(String, Option<String>, Value)> {
    let events = api.t.app.store.stream_events(&format!("item:{slug}")).await.expect("events");
    events
        .into_iter()
        .map(|e| (e.act, e.division, serde_json::from_str(&e.payload).unwrap_or(Value::Null)))
        .filter(|(act, _, _)| act != "catalog.version")
        .collect()
}

async fn publish_act(api: &Api, auth: Auth<'_>, slug: &str, division: &str, act: &str) -> crate::helpers::Reply {
    api.post(&format!("/api/v1/admin/items/{slug}/publication"), auth, json!({"division": division, "act": act})).await
}

on_both!(claim_publish_withdraw_in_order_with_their_events, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let admin = Auth::Bearer(&admin);

    // Publishing what is not claimed: refused, nothing recorded.
    publish_act(&api, admin, DIBAO, "511702", "publish").await.assert_error(409, "not_claimed");
    publish_act(&api, admin, DIBAO, "511702", "withdraw").await.assert_error(409, "not_published");
    assert!(item_acts(&api, DIBAO).await.is_empty());

    let claimed = publish_act(&api, admin, DIBAO, "511702", "claim").await;
    assert_eq!(claimed.status, 200, "{}", claimed.text());
    let claimed = claimed.json();
    assert_eq!(
        (claimed["state"].as_str(), claimed["division_name"].as_str()),
        (Some("claimed"), Some("四川省达州市通川区"))
    );
    assert!(claimed["claimed_at"].as_str().is_some_and(|t| t.starts_with("2021-06-01T09:")));
    publish_act(&api, admin, DIBAO, "511702", "claim").await.assert_error(409, "already_claimed");

    let published = publish_act(&api, admin, DIBAO, "511702", "publish").await.json();
    assert_eq!((published["state"].as_str(), published["state_name"].as_str()), (Some("published"), Some("已发布")));
    publish_act(&api, admin, DIBAO, "511702", "publish").await.assert_error(409, "already_published");
    let withdrawn = publish_act(&api, admin, DIBAO, "511702", "withdraw").await.json();
    assert_eq!(withdrawn["state"], "withdrawn");
    let again = publish_act(&api, admin, DIBAO, "511702", "publish").await.json();
    assert_eq!((again["state"].as_str(), again["withdrawn_at"].as_str()), (Some("published"), None));

    let acts = item_acts(&api, DIBAO).await;
    let names: Vec<&str> = acts.iter().map(|(act, _, _)| act.as_str()).collect();
    assert_eq!(names, ["catalog.claim", "catalog.publish", "catalog.withdraw", "catalog.publish"]);
    assert!(acts.iter().all(|(_, division, payload)| division.as_deref() == Some("511702")
        && payload["slug"] == DIBAO
        && payload["division"] == "511702"));

    // Another division keeps its own state; the list shows both for the city administrator.
    publish_act(&api, admin, DIBAO, "511703", "claim").await;
    let list = api.get("/api/v1/admin/publications", admin).await.json();
    let rows: Vec<(String, String)> = list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|p| (p["division"].as_str().unwrap_or("").into(), p["state"].as_str().unwrap_or("").into()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(rows, [("511702".to_string(), "published".to_string()), ("511703".into(), "claimed".into())]);
    let one = api.get("/api/v1/admin/publications?division=511703", admin).await.json();
    assert_eq!(one["items"].as_array().map(Vec::len), Some(1));
});

on_both!(publication_input_and_access_are_checked, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let admin = Auth::Bearer(&admin);
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let county_admin = api.staff_token("tcadmin", "admin", "511702").await;
    let (clerk, county_admin) = (Auth::Bearer(&clerk), Auth::Bearer(&county_admin));
    let before = api.footprint().await;

    publish_act(&api, clerk, DIBAO, "511702", "claim").await.assert_error(403, "forbidden");
    api.get("/api/v1/admin/publications", clerk).await.assert_error(403, "forbidden");
    publish_act(&api, county_admin, DIBAO, "511703", "claim").await.assert_error(403, "forbidden");
    api.get("/api/v1/admin/publications?division=511703", county_admin).await.assert_error(403, "forbidden");
    publish_act(&api, Auth::None, DIBAO, "511702", "claim").await.assert_error(401, "unauthorized");
    publish_act(&api, admin, "no-such-item", "511702", "claim").await.assert_error(404, "item_not_found");
    let bad = publish_act(&api, admin, DIBAO, "999999", "approve").await;
    bad.assert_error(422, "unknown_act");
    assert_eq!(bad.json()["problems"].as_array().map(Vec::len), Some(2), "every problem at once: {}", bad.text());
    publish_act(&api, admin, DIBAO, "abc", "claim").await.assert_error(422, "unknown_division");
    // 低保 is exercised at county and township level, not by the city.
    publish_act(&api, admin, DIBAO, "511700", "claim").await.assert_error(422, "level_not_in_item");
    api.get("/api/v1/admin/publications?division=abc", admin).await.assert_error(422, "unknown_division");
    api.get("/api/v1/admin/publications?x=1", admin).await.assert_error(400, "invalid_query");
    assert_eq!(api.footprint().await, before, "nothing recorded");
    assert!(api.get("/api/v1/admin/publications", admin).await.json()["items"].as_array().is_some_and(Vec::is_empty));

    // The county administrator manages its own county.
    let own = publish_act(&api, county_admin, DIBAO, "511702", "claim").await;
    assert_eq!(own.status, 200, "{}", own.text());
});

fn delegation(divisions: &[&str]) -> Value {
    json!({"item": DIBAO, "step": "confirm", "to_level": "township", "divisions": divisions,
           "from": "2021-06-01", "document": "达市民发〔2021〕5号"})
}

on_both!(delegations_are_validated_recorded_and_revoked_from_a_date, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let admin = Auth::Bearer(&admin);
    let before = api.footprint().await;

    // Every problem at once, nothing written.
    let bad = json!({"item": DIBAO, "step": "approve", "to_level": "village", "divisions": ["511702", "999999999", "abc"],
                     "from": "2021-06-31", "document": "  "});
    let reply = api.post("/api/v1/admin/delegations", admin, bad).await;
    reply.assert_error(422, "invalid_date");
    let fields: Vec<String> = reply.json()["problems"]
        .as_array()
        .map(|p| p.iter().filter_map(|p| p["field"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    for field in ["from", "document", "step", "to_level", "divisions[1]", "divisions[2]"] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let cases: Vec<(Value, &str)> = vec![
        (json!({"item": "no-such-item"}), "unknown_item"),
        (json!({"step": "accept"}), "level_not_below"), // accept is at township level already
        (json!({"step": "publicity"}), "level_not_below"),
        (json!({"to_level": "county"}), "level_not_below"),
        (json!({"divisions": ["511702"]}), "division_level_mismatch"),
        (json!({"divisions": []}), "required"),
        (json!({"divisions": ["511702001", "511702001"]}), "duplicate_division"),
    ];
    for (change, code) in cases {
        let mut body = delegation(&["511702001"]);
        for (k, v) in change.as_object().cloned().unwrap_or_default() {
            body[k] = v;
        }
        api.post("/api/v1/admin/delegations", admin, body.clone()).await.assert_error(422, code);
    }
    assert_eq!(api.footprint().await, before);

    let granted = api.post("/api/v1/admin/delegations", admin, delegation(&["511702001", "511702002"])).await;
    assert_eq!(granted.status, 201, "{}", granted.text());
    let granted = granted.json();
    let rows = granted["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["division"].as_str(), rows[0]["to_level"].as_str()), (Some("511702001"), Some("township")));
    assert_eq!((rows[0]["from"].as_str(), rows[0]["until"].as_str()), (Some("2021-06-01"), None));
    assert_eq!(rows[0]["in_force_today"], true);
    let acts = item_acts(&api, DIBAO).await;
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0].0, "delegation.grant");
    assert_eq!(acts[0].2["divisions"], json!(["511702001", "511702002"]));
    assert_eq!(acts[0].2["from_level"], "county");
    assert_eq!(acts[0].2["document"], "达市民发〔2021〕5号");
    // The engine's table sees them.
    assert_eq!(api.t.app.store.delegations(DIBAO).await.expect("rows").len(), 2);

    // The same step for the same township again: a conflict.
    api.post("/api/v1/admin/delegations", admin, delegation(&["511702001"]))
        .await
        .assert_error(409, "delegation_exists");

    // Revoke from a later date: in force until the day before.
    let id = rows[0]["id"].as_i64().expect("id");
    let revoke = |from: &str| json!({ "from": from });
    let uri = format!("/api/v1/admin/delegations/{id}/revoke");
    api.post(&uri, admin, revoke("2021-05-31")).await.assert_error(422, "revoke_backdated");
    api.post(&uri, admin, revoke("2021-09-31")).await.assert_error(422, "invalid_date");
    api.post("/api/v1/admin/delegations/999999/revoke", admin, revoke("2021-09-01"))
        .await
        .assert_error(404, "delegation_not_found");
    let revoked = api.post(&uri, admin, revoke("2021-09-01")).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    let revoked = revoked.json();
    assert_eq!((revoked["until"].as_str(), revoked["in_force_today"].as_bool()), (Some("2021-08-31"), Some(true)));
    api.post(&uri, admin, revoke("2021-10-01")).await.assert_error(409, "delegation_already_revoked");
    let acts = item_acts(&api, DIBAO).await;
    assert_eq!(acts.last().map(|a| a.0.as_str()), Some("delegation.revoke"));
    assert_eq!(acts.last().map(|a| a.2["valid_until"].clone()), Some(json!("2021-08-31")));
    let stored = api.t.app.store.delegation(id).await.expect("row");
    assert_eq!(stored.valid_until.map(|d| d.to_string()).as_deref(), Some("2021-08-31"));

    // After the revocation date a new delegation of the same step may start.
    let mut later = delegation(&["511702001"]);
    later["from"] = json!("2021-09-01");
    assert_eq!(api.post("/api/v1/admin/delegations", admin, later).await.status, 201);

    let list = api.get(&format!("/api/v1/admin/delegations?item={DIBAO}"), admin).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(3));
    let none = api.get("/api/v1/admin/delegations?item=elderly-care-filing", admin).await.json();
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
});

on_both!(a_clerk_cannot_delegate_nor_a_county_admin_another_countys_townships, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let county_admin = api.staff_token("tcadmin", "admin", "511702").await;
    let (clerk, county_admin) = (Auth::Bearer(&clerk), Auth::Bearer(&county_admin));
    let before = api.footprint().await;
    api.post("/api/v1/admin/delegations", clerk, delegation(&["511702001"])).await.assert_error(403, "forbidden");
    api.get("/api/v1/admin/delegations", clerk).await.assert_error(403, "forbidden");
    // 511703001 is in 达川区: out of reach, even listed beside its own township.
    api.post("/api/v1/admin/delegations", county_admin, delegation(&["511702001", "511703001"]))
        .await
        .assert_error(403, "forbidden");
    assert_eq!(api.footprint().await, before, "nothing recorded");
    assert!(api.t.app.store.delegations(DIBAO).await.expect("rows").is_empty());

    let own = api.post("/api/v1/admin/delegations", county_admin, delegation(&["511702001"])).await;
    assert_eq!(own.status, 201, "{}", own.text());
    let id = own.json()["items"][0]["id"].as_i64().expect("id");
    // The city administrator delegates in 达川区; the county administrator neither sees nor revokes it.
    let city = api.admin_token().await;
    let theirs = api.post("/api/v1/admin/delegations", Auth::Bearer(&city), delegation(&["511703001"])).await.json();
    let theirs_id = theirs["items"][0]["id"].as_i64().expect("id");
    let seen = api.get("/api/v1/admin/delegations", county_admin).await.json();
    let ids: Vec<i64> =
        seen["items"].as_array().map(|i| i.iter().filter_map(|d| d["id"].as_i64()).collect()).unwrap_or_default();
    assert_eq!(ids, [id]);
    api.post(&format!("/api/v1/admin/delegations/{theirs_id}/revoke"), county_admin, json!({"from": "2021-07-01"}))
        .await
        .assert_error(403, "forbidden");
    api.post(&format!("/api/v1/admin/delegations/{id}/revoke"), clerk, json!({"from": "2021-07-01"}))
        .await
        .assert_error(403, "forbidden");
});
