//! 实名注册 over HTTP: the page, its refusals next to their fields with their codes (the form
//! kept, never the password), one account per person, and a registered citizen signed in and
//! applying online as themselves.

use test_support::on_both;

use crate::helpers::{id_number, Api, Auth};

fn fields<'a>(username: &'a str, name: &'a str, id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("username", username), ("password", "citizen-pass-2021"), ("name", name), ("id_number", id)]
}

on_both!(a_citizen_registers_once_through_the_page, |db| async move {
    let api = Api::new(db).await;
    let page = api.get("/register", Auth::None).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<h1>实名注册</h1>") && html.contains("name=\"id_number\""), "{html}");
    crate::workbench::assert_labelled(&html);
    let login = api.get("/login", Auth::None).await.text();
    assert!(login.contains("href=\"/register\""), "the login page leads to it");

    // Refused next to each field, with its code; the form kept but the password.
    let before = api.footprint().await;
    let id = id_number("511702", "19800101", 41);
    let wrong_check = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    let refused = api
        .form(
            "/register",
            None,
            &[("username", "no"), ("password", "secret-9"), ("name", "钱群众"), ("id_number", &wrong_check)],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.text());
    let html = refused.text();
    for (field, code) in [("username", "invalid_username"), ("password", "weak_password"), ("id_number", "id_checksum")]
    {
        assert!(html.contains(&format!("data-field=\"{field}\" data-code=\"{code}\"")), "{field} {code}: {html}");
    }
    assert!(html.contains("身份证号码的校验码（最后一位）错误"), "the check digit names the ID number: {html}");
    assert!(html.contains("value=\"钱群众\""), "kept");
    assert!(!html.contains("secret-9"), "never the password");
    assert_eq!(api.footprint().await, before, "nothing written");

    // Registered: signed in (a session cookie), home.
    let done = api.form("/register", None, &fields("qian", "钱群众", &id)).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.text());
    assert!(done.header("set-cookie").is_some_and(|c| c.starts_with("mz_session=")));
    // The same person again: refused at the ID number.
    let twice = api.form("/register", None, &fields("qian2", "钱群众", &id)).await;
    assert_eq!(twice.status.as_u16(), 409);
    assert!(twice.text().contains("data-field=\"id_number\" data-code=\"person_has_account\""), "{}", twice.text());
});
