//! The server-rendered pages: login form, home, logout with its CSRF field, escaping.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{Api, Auth, Reply, STAFF_PASSWORD};

#[track_caller]
fn assert_html(reply: &Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(reply.text().contains("<html lang=\"zh-CN\">"));
}

/// The hidden CSRF field's value on the home page.
fn csrf_field(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    html.split_once(marker).and_then(|(_, rest)| rest.split_once('"')).map(|(v, _)| v.to_string()).unwrap_or_default()
}

on_both!(login_page_and_redirects, |db| async move {
    let api = Api::new(db).await;
    let home = api.get("/", Auth::None).await;
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/login"));
    let login = api.get("/login", Auth::None).await;
    assert_html(&login, 200);
    let html = login.text();
    assert!(html.contains("<label for=\"username\">用户名</label>"));
    assert!(html.contains("<label for=\"password\">密码</label>"));
    assert!(html.contains("<form method=\"post\" action=\"/login\">"));
    // A stale cookie is no session.
    let stale = "ab".repeat(32);
    let home = api.get("/", Auth::Cookie { session: &stale, csrf: None }).await;
    assert_eq!(home.header("location"), Some("/login"));
});

on_both!(login_logout_round_trip, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let create = json!({
        "username": "zhangsan",
        "display_name": "<script>alert(1)</script>张三",
        "password": STAFF_PASSWORD,
        "grants": [{"role": "clerk", "division": "511702"}],
    });
    assert_eq!(api.post("/api/v1/accounts", Auth::Bearer(&admin), create).await.status, 201);

    let wrong = api.form("/login", None, &[("username", "zhangsan"), ("password", "wrong-pass-1")]).await;
    assert_html(&wrong, 401);
    assert!(wrong.text().contains("用户名或密码错误"));
    assert!(wrong.text().contains("value=\"zhangsan\""), "the username is kept");
    assert!(wrong.header("set-cookie").is_none());

    let ok = api.form("/login", None, &[("username", "zhangsan"), ("password", STAFF_PASSWORD)]).await;
    assert_eq!(ok.status, 303, "{}", ok.text());
    assert_eq!(ok.header("location"), Some("/"));
    let cookie = ok.header("set-cookie").unwrap_or_default().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = ok.cookie("mz_session").expect("session");

    let home = api.get("/", Auth::Cookie { session: &session, csrf: None }).await;
    assert_html(&home, 200);
    let html = home.text();
    assert!(html.contains("欢迎"));
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;张三"), "{html}");
    assert!(!html.contains("<script>"), "escaped: {html}");
    assert!(html.contains("窗口受理人员（四川省达州市通川区）"));
    assert!(html.contains("href=\"/api/v1/openapi.json\""));
    assert!(html.contains("href=\"/items/social-group-change-registration/apply\""), "a clerk sees the window forms");
    let csrf = csrf_field(&html);
    assert_eq!(csrf.len(), 64);

    // Logout needs the hidden field.
    let refused = api.form("/logout", Some(&session), &[]).await;
    assert_html(&refused, 403);
    let refused = api.form("/logout", Some(&session), &[("csrf_token", &"0".repeat(64))]).await;
    assert_html(&refused, 403);
    assert_eq!(api.get("/", Auth::Cookie { session: &session, csrf: None }).await.status, 200, "still logged in");
    let out = api.form("/logout", Some(&session), &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    assert!(out.header("set-cookie").unwrap_or_default().contains("Max-Age=0"));
    let home = api.get("/", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(home.header("location"), Some("/login"));
});

on_both!(form_login_errors_rerender_with_their_status, |db| async move {
    let api = Api::new(db).await;
    let empty = api.form("/login", None, &[]).await;
    assert_html(&empty, 422);
    assert!(empty.text().contains("请输入用户名和密码"));
    let markup = api.form("/login", None, &[("username", "\"><script>x</script>"), ("password", "p")]).await;
    assert_html(&markup, 401);
    assert!(!markup.text().contains("<script>x"));
    let wrong_type = api.raw("POST", "/login", Auth::None, Some("application/json"), b"{}".to_vec()).await;
    assert_html(&wrong_type, 415);
    for _ in 0..4 {
        assert_html(&api.form("/login", None, &[("username", "admin"), ("password", "wrong-pass-1")]).await, 401);
    }
    let throttled = api.form("/login", None, &[("username", "admin"), ("password", "wrong-pass-1")]).await;
    assert_html(&throttled, 401);
    let throttled = api.form("/login", None, &[("username", "admin"), ("password", "wrong-pass-1")]).await;
    assert_html(&throttled, 429);
    assert!(throttled.text().contains("15分钟"));
});

on_both!(pages_share_one_layout_and_the_stylesheet, |db| async move {
    let api = Api::new(db).await;
    let css = api.get("/static/app.css", Auth::None).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.text().contains("@media (max-width: 40rem)"), "phone width");
    assert!(css.header("content-security-policy").is_some_and(|c| c.starts_with("default-src 'self'")));
    for path in ["/login", "/no-such-page"] {
        let html = api.get(path, Auth::None).await.text();
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/static/app.css\">"), "{path}: {html}");
        assert!(html.contains("<nav aria-label=\"主导航\">"), "{path}");
        assert!(!html.contains("style="), "{path}: no inline style (CSP)");
    }
});

// After login, back to the page that asked for it (a page of this site only).
on_both!(login_goes_back_to_the_page_that_asked, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk_back", "clerk", "511702").await;
    let asked = api.get("/work?status=open", Auth::None).await;
    assert_eq!(asked.header("location"), Some("/login?next=%2Fwork%3Fstatus%3Dopen"));
    let form = api.get("/login?next=%2Fwork%3Fstatus%3Dopen", Auth::None).await.text();
    assert!(form.contains("<input type=\"hidden\" name=\"next\" value=\"/work?status=open\">"), "{form}");
    let fields =
        [("username", "clerk_back"), ("password", crate::helpers::STAFF_PASSWORD), ("next", "/work?status=open")];
    let signed_in = api.form("/login", None, &fields).await;
    assert_eq!((signed_in.status.as_u16(), signed_in.header("location")), (303, Some("/work?status=open")));
    // Another host is never gone to: home instead.
    let fields =
        [("username", "clerk_back"), ("password", crate::helpers::STAFF_PASSWORD), ("next", "//evil.example/")];
    let signed_in = api.form("/login", None, &fields).await;
    assert_eq!(signed_in.header("location"), Some("/"));
});

// A page that does not exist keeps the signed-in menu (the way back to one's work).
on_both!(the_not_found_page_keeps_the_menu, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk_lost", "clerk", "511702").await;
    let (session, _) = api.cookie_login("clerk_lost", STAFF_PASSWORD).await;
    let lost = api.get("/no-such-page", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(lost.status.as_u16(), 404);
    let html = lost.text();
    assert!(html.contains("页面不存在") && html.contains("class=\"logout\""), "{html}");
    assert!(html.contains("clerk_lost"), "the user's menu: {html}");
    let anonymous = api.get("/no-such-page", Auth::None).await.text();
    assert!(!anonymous.contains("class=\"logout\""), "{anonymous}");
});
