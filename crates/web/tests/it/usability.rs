//! What the header's menu offers each role: only pages the role may open (every link answers
//! 200 for it), and the dashboard exactly for those the access matrix lets read the service
//! figures — the menu follows the matrix, no role is named for it.

use domain::access::{roles_for, Permission, ALL_ROLES};
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

/// The links of the header's main navigation in `html`.
fn menu_links(html: &str) -> Vec<String> {
    let start = html.find("<nav aria-label=\"主导航\">").expect("the menu");
    let menu = &html[start..];
    let menu = &menu[..menu.find("</nav>").expect("the menu's end")];
    menu.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

on_both!(every_menu_link_opens_for_the_role_that_sees_it, |db| async move {
    let api = Api::new(db).await;
    for role in ALL_ROLES {
        let division = match role.as_str() {
            "township_officer" => "511702001",
            _ => "511702",
        };
        let username = format!("menu_{}", role.as_str());
        api.t.staff(&username, role.as_str(), division).await;
        let (session, _) = api.cookie_login(&username, STAFF_PASSWORD).await;
        let me = Auth::Cookie { session: &session, csrf: None };
        let home = api.get("/", me).await;
        assert_eq!(home.status, 200, "{}: {}", role.as_str(), home.text());
        let links = menu_links(&home.text());
        assert!(!links.is_empty(), "{}", role.as_str());
        for link in &links {
            let page = api.get(link, me).await;
            assert_eq!(
                page.status,
                200,
                "{} sees {link} in the menu but may not open it: {}",
                role.as_str(),
                page.text()
            );
        }
        let reads_figures = roles_for(Permission::ReadServiceStats).contains(&role);
        assert_eq!(
            links.iter().any(|l| l == "/dashboard"),
            reads_figures,
            "{}: the dashboard in the menu as the matrix says ({links:?})",
            role.as_str()
        );
    }
});

/// `id` with its check digit changed: a mistyped number.
fn mistyped(id: &str) -> String {
    let last = if id.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &id[..17])
}

// The marriage desk: required fields marked; a refusal next to its field, the summary naming
// the party and the field.
on_both!(the_marriage_desk_refuses_next_to_the_field, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("desk_clerk", "clerk", "511702").await;
    let (session, csrf) = api.cookie_login("desk_clerk", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let form = api.get("/marriage/desk", me).await.text();
    assert!(form.contains("公民身份号码 <span class=\"required\" aria-hidden=\"true\">*</span>"), "{form}");
    let bride = crate::helpers::id_number("511702", "19920202", 2);
    let groom = mistyped(&crate::helpers::id_number("511702", "19900101", 1));
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "check"),
        ("office", "511702"),
        ("a_name", "张三"),
        ("a_id_number", groom.as_str()),
        ("a_division", "511702"),
        ("b_name", "李四"),
        ("b_id_number", bride.as_str()),
        ("b_division", "511702"),
    ];
    let before = api.footprint().await;
    let refused = api.form("/marriage/desk", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("<span id=\"a_id_number-error\" class=\"field-error\">"), "next to the field: {html}");
    assert!(html.contains("aria-describedby=\"a_id_number-error\""), "{html}");
    assert!(!html.contains("id=\"b_id_number-error\""), "the other party's number is fine: {html}");
    assert!(html.contains("<li>一方当事人公民身份号码："), "the summary names party and field: {html}");
    assert!(html.contains(&format!("value=\"{groom}\"")), "what was typed stays: {html}");
    assert_eq!(api.footprint().await, before, "nothing written");
});

// The household form: required marks, and each refusal next to its row's input and linked from
// the summary (the rows counted as the form shows them, blank rows between included).
on_both!(the_household_form_refuses_next_to_the_row, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("hh_officer", "township_officer", "511702001").await;
    let (session, csrf) = api.cookie_login("hh_officer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let form = api.get("/assistance/households", me).await.text();
    assert!(form.contains("自何日起为此情况 <span class=\"required\" aria-hidden=\"true\">*</span>"), "{form}");
    let applicant = crate::helpers::id_number("511702", "19700301", 41);
    let child = mistyped(&crate::helpers::id_number("511702", "20100601", 42));
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("division", "511702001"),
        ("urban", "true"),
        ("valid_from", "2021-01-01"),
        ("m1_name", "王一"),
        ("m1_id_number", applicant.as_str()),
        ("m1_relationship", "applicant"),
        ("m2_name", ""),
        ("m2_id_number", ""),
        ("m3_name", "王三"),
        ("m3_id_number", child.as_str()),
        ("m3_relationship", "child"),
        ("i1_member", "1"),
        ("i1_month", "2021-01"),
        ("i1_kind", "工资性收入"),
        ("i1_amount", "十元"),
    ];
    let before = api.footprint().await;
    let refused = api.form("/assistance/households", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    // The amount is refused before any person is looked up: at the first income row.
    assert!(html.contains("<span id=\"i1_amount-error\" class=\"field-error\">"), "{html}");
    assert!(html.contains("<a href=\"#i1_amount\">第1项收入："), "linked from the summary: {html}");
    assert_eq!(api.footprint().await, before, "nothing written");
    // The amount fixed: the mistyped number of the third row is refused at that row.
    let mut fields = fields.to_vec();
    fields.retain(|(k, _)| *k != "i1_amount");
    fields.push(("i1_amount", "10"));
    let refused = api.form("/assistance/households", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("<span id=\"m3_id_number-error\" class=\"field-error\">"), "{html}");
    assert!(html.contains("<a href=\"#m3_id_number\">第3行成员："), "{html}");
    assert!(!html.contains("id=\"m1_id_number-error\""), "{html}");
});
