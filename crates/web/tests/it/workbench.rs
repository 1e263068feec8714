//! The staff workbench in HTML: 待办, the case page with its deadline explained, acts posted as
//! forms (CSRF, 303 back, the engine's refusal and the 409 conflict shown in Chinese), search by
//! case number, and the 403 page for a case outside the officer's jurisdiction.

use test_support::on_both;

use crate::helpers::{application, id_number, Api, Auth, Reply, STAFF_PASSWORD};

#[track_caller]
fn assert_page(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
    let html = reply.text();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    html
}

/// Every `<input>`, `<select>` and `<textarea>` but hidden inputs has a `<label for=…>` naming
/// its id, and every `<img>` has `alt`.
#[track_caller]
pub fn assert_labelled(html: &str) {
    for tag in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(tag) {
            let element = &html[at..at + html[at..].find('>').unwrap_or(html.len() - at)];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = element
                .split_once("id=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(id, _)| id)
                .unwrap_or_else(|| panic!("a field without an id: {element}"));
            assert!(html.contains(&format!("for=\"{id}\"")), "no label for {element}");
        }
    }
    for (at, _) in html.match_indices("<img") {
        let element = &html[at..at + html[at..].find('>').unwrap_or(html.len() - at)];
        assert!(element.contains("alt=\""), "an image without alt: {element}");
    }
}

async fn submit(api: &Api, token: &str, order: u32) -> (i64, String) {
    let created = api.post("/api/v1/cases", Auth::Bearer(token), application(order)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let case = created.json();
    (case["id"].as_i64().expect("id"), case["number"].as_str().expect("number").to_string())
}

on_both!(a_clerk_works_a_case_from_the_workbench, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let (id, number) = submit(&api, &clerk, 1).await;
    let (session, csrf) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    // Without a session: the login page.
    for path in ["/work", "/cases", &format!("/cases/{id}")] {
        let reply = api.get(path, Auth::None).await;
        let back = format!("/login?next={}", crate::helpers::urlencode(path));
        assert_eq!((reply.status.as_u16(), reply.header("location")), (303, Some(back.as_str())), "{path}");
    }

    // 待办 lists the case waiting for acceptance, with its link.
    let work = assert_page(&api.get("/work", me).await, 200);
    assert!(work.contains(&format!("<a href=\"/cases/{id}\">{number}</a>")), "{work}");
    assert!(work.contains("社会团体变更登记"), "{work}");
    assert!(work.contains("王**"), "masked applicant: {work}");
    assert!(!work.contains("王小明"), "no full name in a list");
    assert!(work.contains("class=\"badge green\""), "{work}");
    assert_labelled(&work);

    // The case page: the facts, the accept button with the CSRF token and the revision.
    let page = assert_page(&api.get(&format!("/cases/{id}"), me).await, 200);
    assert!(page.contains(&format!("<h1>办件 {number}</h1>")), "{page}");
    assert!(page.contains("待受理"), "{page}");
    assert!(page.contains(&format!("<form method=\"post\" action=\"/cases/{id}/act\">")));
    assert!(page.contains("<input type=\"hidden\" name=\"action\" value=\"accept\">"));
    assert!(page.contains(&format!("name=\"csrf_token\" value=\"{csrf}\"")));
    assert!(page.contains("<input type=\"hidden\" name=\"expected_revision\" value=\"1\">"));
    assert!(!page.contains(&id_number("511702", "19800101", 1)), "no clear ID number");
    assert_labelled(&page);

    // An act without the CSRF token is refused and changes nothing.
    let act = format!("/cases/{id}/act");
    let forged = api.form(&act, Some(&session), &[("action", "accept"), ("expected_revision", "1")]).await;
    assert_page(&forged, 403);
    // The engine's refusal is shown on the case page, in Chinese: a clerk does not decide.
    let refused = api
        .form(
            &act,
            Some(&session),
            &[("csrf_token", &csrf), ("action", "decide"), ("grant", "true"), ("expected_revision", "1")],
        )
        .await;
    let html = assert_page(&refused, 422);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains(&format!("<h1>办件 {number}</h1>")), "the case page again: {html}");
    // A missing field of the act: its own message.
    let incomplete = api
        .form(&act, Some(&session), &[("csrf_token", &csrf), ("action", "notify_missing"), ("expected_revision", "1")])
        .await;
    assert!(assert_page(&incomplete, 422).contains("需要补正的材料"));

    // Accept: 303 back to the case page, which explains the deadline.
    let accepted = api
        .form(&act, Some(&session), &[("csrf_token", &csrf), ("action", "accept"), ("expected_revision", "1")])
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text());
    let location = accepted.header("location").unwrap_or_default().to_string();
    assert_eq!(location, format!("/cases/{id}?done=accept"));
    let page = assert_page(&api.get(&location, me).await, 200);
    assert!(page.contains("已办理：受理"), "{page}");
    assert!(page.contains("2021年6月8日"), "due date in Chinese: {page}");
    assert!(page.contains("受理 2021-06-01，受理当日不计；5 个工作日"), "the explanation: {page}");
    assert!(page.contains(&format!("href=\"/cases/{id}/notices/acceptance\"")), "{page}");
    assert!(page.contains("受理（测试clerk700）"), "the timeline: {page}");

    // The same form again (revision 1): 409, the page says what happened.
    let stale = api
        .form(&act, Some(&session), &[("csrf_token", &csrf), ("action", "accept"), ("expected_revision", "1")])
        .await;
    let html = assert_page(&stale, 409);
    assert!(html.contains("本件刚由他人办理"), "{html}");

    // Search by number.
    let search = assert_page(&api.get("/cases", me).await, 200);
    assert!(search.contains("<label for=\"q\">办件编号、公民身份号码或申请人姓名</label>"));
    assert_labelled(&search);
    let found = api.get(&format!("/cases?number={number}"), me).await;
    assert_eq!((found.status.as_u16(), found.header("location")), (303, Some(format!("/cases/{id}").as_str())));
    let missing = assert_page(&api.get("/cases?number=511700-2021-999999", me).await, 404);
    assert!(missing.contains("没有编号为“511700-2021-999999”的办件"), "{missing}");
    let bad = api.get("/cases/abc", me).await;
    assert_page(&bad, 400);
});

on_both!(an_officer_gets_the_403_page_for_a_case_outside_their_township, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let (id, number) = submit(&api, &clerk, 2).await;
    api.t.staff("dongcheng", "township_officer", "511702001").await;
    let (session, csrf) = api.cookie_login("dongcheng", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let path = format!("/cases/{id}");
    let html = assert_page(&api.get(&path, me).await, 403);
    assert!(html.contains("<h1>无权访问</h1>"), "{path}: {html}");
    assert!(html.contains("<span class=\"who\">dongcheng</span>"), "still signed in: {html}");
    assert!(html.contains("role=\"alert\""), "{path}");
    // The search by number does not confirm the number exists (see search.rs): not found.
    let html = assert_page(&api.get(&format!("/cases?number={number}"), me).await, 404);
    assert!(html.contains(&format!("没有编号为“{number}”的办件")), "{html}");
    let act = api
        .form(
            &format!("/cases/{id}/act"),
            Some(&session),
            &[("csrf_token", &csrf), ("action", "accept"), ("expected_revision", "1")],
        )
        .await;
    assert!(assert_page(&act, 403).contains("无权访问"));
    // Nothing waits for them.
    let work = assert_page(&api.get("/work", me).await, 200);
    assert!(work.contains("目前没有等待您办理的办件"), "{work}");
});

/// The value of the hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split_once(&marker).and_then(|(_, rest)| rest.split_once('"')).map(|(v, _)| v.to_string()).unwrap_or_default()
}

on_both!(a_clerk_accepts_an_application_at_the_window_form, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk700", "clerk", "511700").await;
    let (session, csrf) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let path = "/items/social-group-change-registration/apply";

    // The situation chooses the checklist.
    let form = assert_page(&api.get(path, me).await, 200);
    assert!(form.contains("<h1>窗口受理：社会团体变更登记</h1>"), "{form}");
    assert!(form.contains("<label for=\"situation-choice\">"), "{form}");
    assert!(form.contains("<label for=\"premises_division\""), "premises item, by picker: {form}");
    assert_labelled(&form);
    let chosen = assert_page(&api.get(&format!("{path}?situation=change_name_scope"), me).await, 200);
    assert!(chosen.contains("<option value=\"change_name_scope\" selected>"), "{chosen}");
    assert!(chosen.contains("value=\"meeting_resolution\""), "{chosen}");
    assert_labelled(&chosen);
    let key = hidden(&chosen, "idempotency_key");
    assert!(key.starts_with("web-"), "{key}");

    let id_text = id_number("511702", "19800101", 7);
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", key.as_str()),
        ("situation", "change_name_scope"),
        ("accepting_division", "511700"),
        ("name", "李四"),
        ("id_number", "511702198013010001"),
        ("phone", "13912345678"),
        ("address", ""),
        ("division", "511702"),
        ("premises_division", "511700"),
        ("materials", "application"),
        ("materials", "sponsor_approval"),
        ("materials", "meeting_resolution"),
        ("materials", "certificate"),
    ];
    fields.extend(crate::helpers::CHANGE_FACTS);
    // A bad ID number: the form again with the problem, what was typed kept; nothing made.
    let refused = api.form(path, Some(&session), &fields).await;
    let html = assert_page(&refused, 422);
    assert!(html.contains("申请未能提交"), "{html}");
    assert!(html.contains("value=\"李四\""), "{html}");
    assert!(api.get("/api/v1/cases", Auth::Cookie { session: &session, csrf: None }).await.json()["items"]
        .as_array()
        .is_some_and(Vec::is_empty));
    // Without the CSRF token: refused.
    assert_page(&api.form(path, Some(&session), &fields[1..]).await, 403);

    fields[5] = ("id_number", id_text.as_str());
    let made = api.form(path, Some(&session), &fields).await;
    assert_eq!(made.status, 303, "{}", made.text());
    let location = made.header("location").unwrap_or_default().to_string();
    assert!(location.starts_with("/cases/"), "{location}");
    // A double click: the same case.
    let again = api.form(path, Some(&session), &fields).await;
    assert_eq!(again.header("location"), Some(location.as_str()));

    let page = assert_page(&api.get(&location, me).await, 200);
    assert!(page.contains("待受理") && page.contains("李*"), "{page}");
    let revision = hidden(&page, "expected_revision");
    let act = format!("{location}/act");
    let accepted = api
        .form(&act, Some(&session), &[("csrf_token", &csrf), ("action", "accept"), ("expected_revision", &revision)])
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text());
    let page = assert_page(&api.get(&location, me).await, 200);
    assert!(page.contains("受理 2021-06-01，受理当日不计；5 个工作日"), "{page}");
    assert!(page.contains("2021年6月8日"), "{page}");

    // Not a clerk: no window form.
    api.t.staff("reviewer700", "reviewer", "511700").await;
    let (reviewer, _) = api.cookie_login("reviewer700", STAFF_PASSWORD).await;
    assert_page(&api.get(path, Auth::Cookie { session: &reviewer, csrf: None }).await, 403);
    assert_page(&api.get("/items/no-such-item/apply", me).await, 404);
});

on_both!(the_work_list_puts_the_most_urgent_first_with_its_warning, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    // Submitted 2021-06-01: the 受理 step's 5 working days end 2021-06-08.
    let (late, late_number) = submit(&api, &clerk, 11).await;
    api.t.clock.advance(chrono::Duration::days(8)).expect("forward");
    // Submitted 2021-06-09 (a new sign-in: sessions last 8 hours): all 5 days ahead, to 2021-06-17
    // over the 端午节 holiday (14 June).
    let clerk = api.token("clerk700", STAFF_PASSWORD).await;
    let (fresh, fresh_number) = submit(&api, &clerk, 12).await;
    let (session, _) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let work = assert_page(&api.get("/work", Auth::Cookie { session: &session, csrf: None }).await, 200);
    let at = |number: &str| work.find(number).unwrap_or_else(|| panic!("{number} listed: {work}"));
    assert!(at(&late_number) < at(&fresh_number), "the overdue case first: {work}");
    let row = |id: i64| {
        let start = work.find(&format!("href=\"/cases/{id}\"")).expect("row");
        let begin = work[..start].rfind("<tr>").expect("row start");
        let end = start + work[start..].find("</tr>").expect("row end");
        work[begin..end].to_string()
    };
    let late_row = row(late);
    assert!(late_row.contains("class=\"badge red\">超期</span>"), "{late_row}");
    assert!(late_row.contains("2021年6月8日") && late_row.contains("超期 1 个工作日"), "{late_row}");
    let fresh_row = row(fresh);
    assert!(fresh_row.contains("class=\"badge green\">正常</span>"), "{fresh_row}");
    assert!(fresh_row.contains("2021年6月17日") && fresh_row.contains("剩 5 个工作日"), "{fresh_row}");
});
