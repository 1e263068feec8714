//! The administration pages beside the accounts: the hub lists what the user may open (asked of
//! the access matrix), the record's page runs the SM3 chain verifier and shows the signed
//! checkpoint (and a record edited behind the store's back as broken), the calendar's import form
//! and the catalog's claims, publication and delegations through the API's service functions.

use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

on_both!(the_hub_lists_only_what_the_role_may_open, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, _) = api.cookie_login("admin", &password).await;
    let admin = Auth::Cookie { session: &session, csrf: None };
    let home = api.get("/", admin).await.text();
    assert!(home.contains("<a href=\"/admin\">系统管理</a>"), "{home}");
    let hub = api.get("/admin", admin).await;
    assert_eq!(hub.status, 200, "{}", hub.text());
    let html = hub.text();
    for href in ["/admin/accounts", "/admin/items", "/admin/calendar", "/admin/record"] {
        assert!(html.contains(&format!("<a href=\"{href}\">")), "{href}: {html}");
    }

    // A leader reads the record, manages nothing else.
    api.t.staff("leader1", "leader", "511702").await;
    let (leader, _) = api.cookie_login("leader1", STAFF_PASSWORD).await;
    let leader = Auth::Cookie { session: &leader, csrf: None };
    let html = api.get("/admin", leader).await.text();
    assert!(html.contains("<a href=\"/admin/record\">"), "{html}");
    assert!(!html.contains("/admin/accounts") && !html.contains("/admin/items"), "{html}");
    assert_eq!(api.get("/admin/items", leader).await.status, 403);
    assert_eq!(api.get("/admin/calendar", leader).await.status, 403);

    // A clerk has no administration page and no link to one.
    api.t.staff("clerk1", "clerk", "511702").await;
    let (clerk, _) = api.cookie_login("clerk1", STAFF_PASSWORD).await;
    let clerk = Auth::Cookie { session: &clerk, csrf: None };
    let home = api.get("/", clerk).await.text();
    assert!(!home.contains("href=\"/admin"), "{home}");
    for page in ["/admin", "/admin/record", "/admin/items", "/admin/calendar"] {
        assert_eq!(api.get(page, clerk).await.status, 403, "{page}");
    }
});

on_both!(the_record_page_runs_the_verifier_and_shows_the_signed_checkpoint, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, _) = api.cookie_login("admin", &password).await;
    let admin = Auth::Cookie { session: &session, csrf: None };
    api.t.staff("clerk1", "clerk", "511702").await;
    api.t.app.checkpoint().await.expect("checkpoint");
    let events = api.t.app.store.event_count().await.expect("count");

    let page = api.get("/admin/record", admin).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<p role=\"status\" class=\"notice\" id=\"record-finding\">记录完整："), "{html}");
    assert!(html.contains(&format!("<dt>记录条数</dt><dd>{events}</dd>")), "{html}");
    let newest = api.t.app.store.checkpoints().await.expect("checkpoints").last().expect("a checkpoint").no;
    assert!(html.contains(&format!("第 {newest} 号（")), "{html}");
    assert!(html.contains("<strong>有效</strong>，由本服务的密钥签署"), "{html}");
    assert!(html.contains(&api.t.app.checkpoint_public_key()), "{html}");

    // An event edited behind the store's back: the page says where the record breaks.
    let raw = api.t.db.raw().await;
    let seq: i64 = sqlx::query_scalar("SELECT MIN(seq) FROM audit_events").fetch_one(&raw).await.expect("seq");
    sqlx::query("UPDATE audit_events SET actor = 'account:9:intruder' WHERE seq = $1")
        .bind(seq)
        .execute(&raw)
        .await
        .expect("tamper");
    let html = api.get("/admin/record", admin).await.text();
    assert!(html.contains("<div role=\"alert\" class=\"alert\" id=\"record-finding\"><p>记录未通过校验："), "{html}");
    assert!(html.contains(&format!("第 {seq} 条记录")), "{html}");
});

on_both!(the_calendar_page_lists_versions_and_refuses_a_bad_file_by_field, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, csrf) = api.cookie_login("admin", &password).await;
    let admin = Auth::Cookie { session: &session, csrf: None };
    let page = api.get("/admin/calendar", admin).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    let in_force = api.t.app.calendar().version().to_string();
    assert!(html.contains(&format!("<dt>在用版本</dt><dd>{in_force}</dd>")), "{html}");
    assert!(html.contains("2021年"), "{html}");

    let before = api.footprint().await;
    let bad =
        [("csrf_token", csrf.as_str()), ("source", ""), ("csv", "date,is_workday,holiday_name,is_makeup_workday\n")];
    let refused = api.form("/admin/calendar", Some(&session), &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("<span id=\"source-error\" class=\"field-error\">"), "{html}");
    assert_eq!(api.footprint().await, before, "nothing imported");
    assert_eq!(api.t.app.calendar().version(), in_force);
    // Without the CSRF token: refused.
    assert_eq!(api.form("/admin/calendar", Some(&session), &bad[1..]).await.status, 403);
});

on_both!(an_administrator_claims_publishes_and_delegates_through_the_pages, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, csrf) = api.cookie_login("admin", &password).await;
    let admin = Auth::Cookie { session: &session, csrf: None };
    let page = api.get("/admin/items", admin).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    // Items, steps and divisions are chosen, never typed.
    assert!(html.contains("<option value=\"minimum-living-allowance\">"), "{html}");
    assert!(html.contains("<option value=\"minimum-living-allowance:confirm\">"), "{html}");

    let claim = [
        ("csrf_token", csrf.as_str()),
        ("item", "minimum-living-allowance"),
        ("pub_division", "511702"),
        ("act", "claim"),
    ];
    let done = api.form("/admin/items/publication", Some(&session), &claim).await;
    assert_eq!(done.status, 303, "{}", done.text());
    let html = api.get("/admin/items?done=publication", admin).await.text();
    assert!(
        html.contains("<td data-label=\"行政区划\">四川省达州市通川区</td><td data-label=\"状态\">已认领</td>"),
        "{html}"
    );
    // A second claim: 409, said on the page, the choices kept.
    let again = api.form("/admin/items/publication", Some(&session), &claim).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again.text().contains("<p role=\"alert\" class=\"alert\">"), "{}", again.text());
    // A publication act the service does not know: next to the field.
    let bad = [
        ("csrf_token", csrf.as_str()),
        ("item", "minimum-living-allowance"),
        ("pub_division", "511702"),
        ("act", "burn"),
    ];
    let refused = api.form("/admin/items/publication", Some(&session), &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("<span class=\"field-error\">操作应为"), "{}", refused.text());

    // A delegation without its document: refused by field, nothing written.
    let before = api.footprint().await;
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("item_step", "minimum-living-allowance:confirm"),
        ("to_level", "township"),
        ("del_division", "511702001"),
        ("from", "2021-06-01"),
        ("document", ""),
    ];
    let refused = api.form("/admin/delegations", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("<span id=\"document-error\" class=\"field-error\">"), "{}", refused.text());
    assert_eq!(api.footprint().await, before);
    fields[5] = ("document", "通川府发〔2021〕1号");
    let granted = api.form("/admin/delegations", Some(&session), &fields).await;
    assert_eq!(granted.status, 303, "{}", granted.text());
    let rows = api.t.app.delegation_list(None, None).await.expect("delegations");
    let row = rows.iter().find(|r| r.document == "通川府发〔2021〕1号").expect("the delegation");
    let html = api.get("/admin/items", admin).await.text();
    assert!(html.contains("<td data-label=\"文号\">通川府发〔2021〕1号</td>"), "{html}");
    assert!(html.contains(&format!("action=\"/admin/delegations/{}/revoke\"", row.id)), "{html}");

    let today = api.t.app.today().to_string();
    let revoke = [("csrf_token", csrf.as_str()), ("from", today.as_str()), ("confirm", "yes")];
    let revoked = api.form(&format!("/admin/delegations/{}/revoke", row.id), Some(&session), &revoke).await;
    assert_eq!(revoked.status, 303, "{}", revoked.text());
    let again = api.form(&format!("/admin/delegations/{}/revoke", row.id), Some(&session), &revoke).await;
    assert_eq!(again.status, 409, "{}", again.text());
    let html = api.get("/admin/items", admin).await.text();
    assert!(html.contains("已收回"), "{html}");
});
