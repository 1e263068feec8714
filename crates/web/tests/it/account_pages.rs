//! The administrator's account pages: create an account and grant a role through the forms,
//! and the account can sign in with the one-time password the page showed; a reset, a revoked
//! grant, a disabled account.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

/// The one-time password the page shows (`<output id="one-time-password">`).
fn shown_password(html: &str) -> String {
    let start = html.find("<output id=\"one-time-password\">").map(|i| i + "<output id=\"one-time-password\">".len());
    let start = start.unwrap_or_else(|| panic!("no one-time password on the page: {html}"));
    let end = html[start..].find("</output>").map(|i| start + i).expect("end of the password");
    html[start..end].to_string()
}

on_both!(an_administrator_creates_an_account_and_grants_a_role_through_the_pages, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, csrf) = api.cookie_login("admin", &password).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };

    let home = api.get("/", cookie).await.text();
    assert!(home.contains("<a href=\"/admin/accounts\">账户管理</a>"), "{home}");
    let list = api.get("/admin/accounts", cookie).await;
    assert_eq!(list.status, 200, "{}", list.text());
    let html = list.text();
    assert!(html.contains("<td data-label=\"用户名\">admin</td>") && html.contains("系统管理员（"), "{html}");
    // The role is chosen, the division picked, never typed.
    assert!(html.contains("<option value=\"clerk\">窗口受理人员</option>"), "{html}");
    assert!(html.contains("<select id=\"division\" name=\"division\" required"), "{html}");

    // A refusal is shown next to its field, nothing written.
    let before = api.footprint().await;
    let bad = [
        ("csrf_token", csrf.as_str()),
        ("username", "lisi"),
        ("display_name", ""),
        ("role", "clerk"),
        ("division", "511702"),
    ];
    let refused = api.form("/admin/accounts", Some(&session), &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("<span id=\"display_name-error\" class=\"field-error\">"), "{html}");
    assert!(html.contains("value=\"lisi\""), "the input is kept: {html}");
    assert_eq!(api.footprint().await, before);
    // Without the CSRF token: refused.
    let forged = api.form("/admin/accounts", Some(&session), &bad[1..]).await;
    assert_eq!(forged.status, 403, "{}", forged.text());

    let fields = [
        ("csrf_token", csrf.as_str()),
        ("username", "lisi"),
        ("display_name", "李四"),
        ("role", "clerk"),
        ("division", "511702"),
    ];
    let created = api.form("/admin/accounts", Some(&session), &fields).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let html = created.text();
    assert!(html.contains("窗口受理人员（四川省达州市通川区）"), "{html}");
    let one_time = shown_password(&html);
    let again = api.form("/admin/accounts", Some(&session), &fields).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again.text().contains("<span id=\"username-error\" class=\"field-error\">用户名已被使用</span>"));

    let token = api.token("lisi", &one_time).await;
    let me = api.get("/api/v1/me", Auth::Bearer(&token)).await.json();
    let id = me["account"]["id"].as_i64().expect("account id");

    let page = api.get(&format!("/admin/accounts/{id}"), cookie).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(!page.text().contains("one-time-password"), "the password is shown once only");
    let grant = [("csrf_token", csrf.as_str()), ("role", "reviewer"), ("division", "511703")];
    let granted = api.form(&format!("/admin/accounts/{id}/grants"), Some(&session), &grant).await;
    assert_eq!(granted.status, 303, "{}", granted.text());
    assert_eq!(granted.header("location"), Some(format!("/admin/accounts/{id}").as_str()));
    let html = api.get(&format!("/admin/accounts/{id}"), cookie).await.text();
    assert!(html.contains("审核人员（四川省达州市达川区）"), "{html}");
    let twice = api.form(&format!("/admin/accounts/{id}/grants"), Some(&session), &grant).await;
    assert_eq!(twice.status, 409, "{}", twice.text());
    assert!(twice.text().contains("该账户已有此授权"));

    // The account signs in again and holds both roles.
    let token = api.token("lisi", &one_time).await;
    let roles = api.get("/api/v1/me", Auth::Bearer(&token)).await.json()["account"]["grants"].clone();
    assert_eq!(roles.as_array().map(Vec::len), Some(2), "{roles}");

    // A reset: a new password shown once, the old one no longer works.
    let reset =
        api.form(&format!("/admin/accounts/{id}/password"), Some(&session), &[("csrf_token", csrf.as_str())]).await;
    assert_eq!(reset.status, 200, "{}", reset.text());
    let fresh = shown_password(&reset.text());
    assert_ne!(fresh, one_time);
    let old = api.post("/api/v1/auth/token", Auth::None, json!({"username": "lisi", "password": one_time})).await;
    old.assert_error(401, "bad_credentials");
    api.token("lisi", &fresh).await;

    // Revoke the added grant, then disable the account: it can no longer sign in.
    let revoked = api.form(&format!("/admin/accounts/{id}/grants/revoke"), Some(&session), &grant).await;
    assert_eq!(revoked.status, 303, "{}", revoked.text());
    let html = api.get(&format!("/admin/accounts/{id}"), cookie).await.text();
    assert!(!html.contains("审核人员（") && html.contains("窗口受理人员（"), "{html}");
    let again = api.form(&format!("/admin/accounts/{id}/grants/revoke"), Some(&session), &grant).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again.text().contains("该账户没有此授权"));
    let csrf_only = [("csrf_token", csrf.as_str())];
    let disabled = api.form(&format!("/admin/accounts/{id}/disable"), Some(&session), &csrf_only).await;
    assert_eq!(disabled.status, 303, "{}", disabled.text());
    assert!(api.get(&format!("/admin/accounts/{id}"), cookie).await.text().contains("<dd>已停用</dd>"));
    let refused = api.post("/api/v1/auth/token", Auth::None, json!({"username": "lisi", "password": fresh})).await;
    refused.assert_error(401, "bad_credentials");
    // An administrator cannot disable their own account.
    let me = api.get("/api/v1/me", cookie).await.json()["account"]["id"].as_i64().expect("admin id");
    let own = api.form(&format!("/admin/accounts/{me}/disable"), Some(&session), &csrf_only).await;
    assert_eq!(own.status, 422, "{}", own.text());
    assert!(own.text().contains("不能停用自己的账户"));
});

on_both!(staff_get_403_on_the_account_pages, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk_ap", "clerk", "511702").await;
    let (session, csrf) = api.cookie_login("clerk_ap", STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let home = api.get("/", cookie).await.text();
    assert!(!home.contains("/admin/accounts"), "no link for staff: {home}");
    assert_eq!(api.get("/admin/accounts", cookie).await.status, 403);
    assert_eq!(api.get("/admin/accounts/1", cookie).await.status, 403);
    let before = api.footprint().await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("username", "sneaky"),
        ("display_name", "某人"),
        ("role", "admin"),
        ("division", "511702"),
    ];
    assert_eq!(api.form("/admin/accounts", Some(&session), &fields).await.status, 403);
    let grant = [("csrf_token", csrf.as_str()), ("role", "admin"), ("division", "511702")];
    assert_eq!(api.form("/admin/accounts/1/grants", Some(&session), &grant).await.status, 403);
    assert_eq!(
        api.form("/admin/accounts/1/password", Some(&session), &[("csrf_token", csrf.as_str())]).await.status,
        403
    );
    assert_eq!(api.footprint().await, before);
});
