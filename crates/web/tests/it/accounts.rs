//! Accounts and grants through the API.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

fn new_account(username: &str, division: &str) -> Value {
    json!({
        "username": username,
        "display_name": "王小明",
        "password": STAFF_PASSWORD,
        "grants": [{"role": "clerk", "division": division}],
    })
}

on_both!(administrators_create_list_and_grant, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let admin = Auth::Bearer(&admin);
    let created = api.post("/api/v1/accounts", admin, new_account("wangxm", "511702")).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let account = created.json();
    assert_eq!(account["username"], "wangxm");
    assert_eq!(account["display_name"], "王小明");
    assert_eq!(account["disabled"], false);
    assert_eq!(
        account["grants"],
        json!([{"role": "clerk", "role_name": "窗口受理人员", "division": "511702", "division_name": "四川省达州市通川区"}])
    );
    assert!(account.get("password").is_none() && !created.text().contains("argon2"));
    let id = account["id"].as_i64().expect("id");

    let list = api.get("/api/v1/accounts", admin).await.json();
    let names: Vec<&str> =
        list["items"].as_array().map(|a| a.iter().filter_map(|x| x["username"].as_str()).collect()).unwrap_or_default();
    assert!(names.contains(&"admin") && names.contains(&"wangxm"), "{names:?}");

    let path = format!("/api/v1/accounts/{id}/grants");
    let granted = api.post(&path, admin, json!({"role": "reviewer", "division": "511703"})).await;
    assert_eq!(granted.status, 200, "{}", granted.text());
    assert_eq!(granted.json()["grants"].as_array().map(Vec::len), Some(2));
    api.post(&path, admin, json!({"role": "reviewer", "division": "511703"})).await.assert_error(409, "grant_exists");
    api.post("/api/v1/accounts/999999/grants", admin, json!({"role": "clerk", "division": "511702"}))
        .await
        .assert_error(404, "not_found");

    let before = api.footprint().await;
    let taken = api.post("/api/v1/accounts", admin, new_account("wangxm", "511702")).await;
    taken.assert_error(409, "username_taken");
    assert_eq!(taken.json()["field"], "username");
    let weak = json!({"username": "weak", "display_name": "", "password": "short", "grants": []});
    let reply = api.post("/api/v1/accounts", admin, weak).await;
    reply.assert_error(422, "required");
    let problems = reply.json()["problems"].clone();
    let codes: Vec<&str> =
        problems.as_array().map(|p| p.iter().filter_map(|x| x["code"].as_str()).collect()).unwrap_or_default();
    assert_eq!(codes, ["required", "weak_password", "grant_required"]);
    // Outside the administrator's tree (达州市): refused.
    let outside = api.post("/api/v1/accounts", admin, new_account("chengdu", "510100")).await;
    outside.assert_error(403, "forbidden");
    assert_eq!(api.footprint().await, before);
});

on_both!(staff_cannot_manage_accounts, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let clerk = Auth::Bearer(&clerk);
    let before = api.footprint().await;
    api.get("/api/v1/accounts", clerk).await.assert_error(403, "forbidden");
    api.post("/api/v1/accounts", clerk, new_account("sneaky", "511702")).await.assert_error(403, "forbidden");
    api.post("/api/v1/accounts/1/grants", clerk, json!({"role": "admin", "division": "511702"}))
        .await
        .assert_error(403, "forbidden");
    let reset = api.call("PUT", "/api/v1/accounts/1/password", clerk, Some(json!({"password": "taken-over-1"}))).await;
    reset.assert_error(403, "forbidden");
    assert_eq!(api.footprint().await, before);
});

on_both!(administrators_revoke_grants_and_disable_accounts, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let admin = Auth::Bearer(&admin);
    let created = api.post("/api/v1/accounts", admin, new_account("zhaoqi", "511702")).await.json();
    let id = created["id"].as_i64().expect("id");
    let token = api.token("zhaoqi", STAFF_PASSWORD).await;
    let revoke = format!("/api/v1/accounts/{id}/grants/revoke");
    let body = json!({"role": "clerk", "division": "511702"});
    let revoked = api.post(&revoke, admin, body.clone()).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    assert_eq!(revoked.json()["grants"], json!([]));
    api.post(&revoke, admin, body).await.assert_error(409, "grant_not_held");
    api.post(&revoke, admin, json!({"role": "chief", "division": "511702"})).await.assert_error(422, "unknown_role");
    let disabled = api.post(&format!("/api/v1/accounts/{id}/disable"), admin, json!({})).await;
    assert_eq!(disabled.status, 200, "{}", disabled.text());
    assert_eq!(disabled.json()["disabled"], true);
    assert_eq!(api.get("/api/v1/me", Auth::Bearer(&token)).await.status, 401, "its token ended");
    api.post(&format!("/api/v1/accounts/{id}/disable"), admin, json!({})).await.assert_error(409, "already_disabled");
    api.post("/api/v1/accounts/999999/disable", admin, json!({})).await.assert_error(404, "not_found");
});
