//! 实名认证 of a citizen's account made before accounts were bound to persons: the home page says
//! it cannot apply online yet and links the page; the page binds it as 实名注册 would (refusals
//! next to their fields, nothing bound), once.

use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

on_both!(an_older_citizen_account_is_bound_to_its_person_on_its_page, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("old-citizen", "citizen", "511702").await;
    let (session, csrf) = api.cookie_login("old-citizen", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let home = api.get("/", me).await.text();
    assert!(home.contains("本账户尚未实名认证") && home.contains("<a href=\"/account/verify\">"), "{home}");
    let form = api.get("/account/verify", me).await;
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(form.text().contains("<form method=\"post\" action=\"/account/verify\""), "{}", form.text());

    // A wrong check digit: next to the field, nothing bound.
    let mut good = id_number("511702", "19800101", 3);
    let last = good.pop().expect("check digit");
    let bad = format!("{good}{}", if last == '0' { '1' } else { '0' });
    good.push(last);
    let before = api.footprint().await;
    let fields = [("csrf_token", csrf.as_str()), ("name", "王五"), ("id_number", bad.as_str())];
    let refused = api.form("/account/verify", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("<span id=\"id_number-error\" class=\"field-error\">"), "{html}");
    assert!(html.contains("value=\"王五\""), "what was typed is kept: {html}");
    assert_eq!(api.footprint().await, before);
    // Without the CSRF token: refused.
    assert_eq!(api.form("/account/verify", Some(&session), &fields[1..]).await.status, 403);

    let fields = [("csrf_token", csrf.as_str()), ("name", "王五"), ("id_number", good.as_str())];
    let bound = api.form("/account/verify", Some(&session), &fields).await;
    assert_eq!(bound.status, 303, "{}", bound.text());
    assert_eq!(bound.header("location"), Some("/?verified=1"));
    let home = api.get("/", me).await.text();
    assert!(!home.contains("本账户尚未实名认证"), "{home}");
    assert!(api.get("/account/verify", me).await.text().contains("本账户已完成实名认证"));
    let again = api.form("/account/verify", Some(&session), &fields).await;
    assert_eq!(again.status, 409, "{}", again.text());

    // Staff have no such page.
    api.t.staff("clerk1", "clerk", "511702").await;
    let (clerk, _) = api.cookie_login("clerk1", STAFF_PASSWORD).await;
    assert_eq!(api.get("/account/verify", Auth::Cookie { session: &clerk, csrf: None }).await.status, 403);
});

on_both!(an_unverified_citizen_applying_online_is_sent_to_verify_by_a_link, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("old-citizen", "citizen", "511702").await;
    let (session, csrf) = api.cookie_login("old-citizen", STAFF_PASSWORD).await;
    let id = id_number("511702", "19600101", 7);
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", "unverified-online-1"),
        ("situation", "care_subsidy"),
        ("name", "赵小红"),
        ("id_number", id.as_str()),
        ("division", "511702001"),
        ("materials", "application_form"),
    ];
    let before = api.footprint().await;
    let refused = api.form("/items/disability-subsidy/apply", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("data-code=\"citizen_unverified\""), "{html}");
    assert!(html.contains("<a href=\"/account/verify\">完成实名认证</a>"), "the refusal links the page: {html}");
    assert!(html.contains("value=\"赵小红\""), "what was typed is kept: {html}");
    assert_eq!(api.footprint().await, before, "nothing written");
});
