//! The applicant's own case page: a signed-in citizen opening `/cases/{id}` of their own
//! application sees it in plain words (status, next step, due date, what is missing and how to
//! supply it, the notices, the rating once closed) and none of the staff's rows; another
//! citizen sees nothing of it.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, Reply, STAFF_PASSWORD};
use crate::portal::{apply_online_with, citizen, complete_subsidy, SubsidyStaff};

#[track_caller]
fn page(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text());
    reply.text()
}

/// What only the staff's case page shows: none of it may reach the applicant.
const STAFF_ONLY: [&str; 8] = [
    "可办理的操作",
    "办理过程",
    "承办机关所在地",
    "受理机关所在地",
    "<dt>待办</dt>",
    "<dt>当前环节</dt>",
    "name=\"action\"",
    "case.",
];

#[track_caller]
fn no_staff_rows(html: &str) {
    for staff in STAFF_ONLY {
        assert!(!html.contains(staff), "the citizen's page shows {staff:?}: {html}");
    }
}

on_both!(a_citizen_sees_their_own_case_in_plain_words, |db| async move {
    let api = Api::new(db).await;
    let staff = SubsidyStaff::new(&api).await;
    let (session, csrf) = citizen(&api, "citizen1").await;
    let me = Auth::Cookie { session: &session, csrf: None };
    // Applied without the bank account: the office will ask for it.
    let materials = ["application_form", "id_card", "hukou", "disability_certificate"];
    let submitted = apply_online_with(&api, &session, &csrf, &id_number("511702", "19600101", 7), &materials).await;
    assert_eq!(submitted.status, 303, "{}", submitted.text());
    let path = submitted.header("location").expect("the case page").to_string();
    assert!(path.ends_with("?submitted=1"), "online, the case page opens as the receipt: {path}");
    let id: i64 = path.trim_start_matches("/cases/").split('?').next().unwrap_or_default().parse().expect("id");
    let township = api.token("dongcheng_officer", STAFF_PASSWORD).await;
    let number = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&township)).await.json()["number"]
        .as_str()
        .expect("number")
        .to_string();

    // Submitted: the status and the next step in words, the 查询码, nothing of the staff's.
    let html = page(&api.get(&path, me).await, 200);
    assert!(html.contains("<dt>状态</dt><dd>待受理</dd>"), "{html}");
    assert!(html.contains("<dt>下一步</dt><dd>等待受理"), "{html}");
    assert!(html.contains(&api.t.app.case_check_code(&number)), "{html}");
    assert!(html.contains("暂无文书"), "{html}");
    assert!(!html.contains("name=\"grade\""), "no rating before the end");
    no_staff_rows(&html);
    // The staff still get their own page.
    let officer = api.cookie_login("dongcheng_officer", STAFF_PASSWORD).await;
    let staff_page = page(&api.get(&path, Auth::Cookie { session: &officer.0, csrf: None }).await, 200);
    assert!(staff_page.contains("可办理的操作"), "{staff_page}");

    // Another citizen: not their case.
    let (other, _) = citizen(&api, "citizen2").await;
    let refused = api.get(&path, Auth::Cookie { session: &other, csrf: None }).await;
    assert!(matches!(refused.status.as_u16(), 403 | 404), "{}: {}", refused.status, refused.text());
    assert!(!refused.text().contains(&number), "nothing of the case shows");

    // The 一次性告知: what is missing, by name, how to supply it, and the notice to print.
    let told =
        api.act(id, Auth::Bearer(&township), json!({"action": "notify_missing", "missing": ["bank_account"]})).await;
    assert_eq!(told.status, 200, "{}", told.text());
    let item = api.t.app.items_on(api.t.app.today()).into_iter().find(|i| i.slug == "disability-subsidy");
    let account = item
        .and_then(|i| i.materials.iter().find(|m| m.id == "bank_account").map(|m| m.name.clone()))
        .expect("the material");
    let html = page(&api.get(&path, me).await, 200);
    assert!(html.contains("还需补正的材料") && html.contains(&format!("<li>{account}</li>")), "{html}");
    assert!(html.contains("<dt>下一步</dt><dd>请按一次性告知书补齐材料"), "{html}");
    assert!(html.contains("上传") && html.contains("补正"), "how to supply it: {html}");
    // An item without its own law of the correction: the 行政许可法 pause.
    assert!(html.contains("补齐后继续办理，补正期间不计入办理期限。"), "{html}");
    let notice = format!("/cases/{id}/notices/missing");
    assert!(html.contains(&format!("<a href=\"{notice}\">一次性告知书</a>")), "{html}");
    assert_eq!(api.get(&notice, me).await.status, 200, "the citizen opens the notice");
    no_staff_rows(&html);

    // Supplied and worked to its end: the result in words, the rating form.
    let supplied =
        api.act(id, Auth::Bearer(&township), json!({"action": "supplement", "materials": ["bank_account"]})).await;
    assert_eq!(supplied.status, 200, "{}", supplied.text());
    // Accepted: the next step and the day it is due by (Shanghai), as the API states it.
    let accepted = api.act(id, Auth::Bearer(&township), json!({"action": "accept"})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let due = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&township)).await.json()["due_date"]
        .as_str()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a date").format("%Y年%-m月%-d日").to_string())
        .expect("due once accepted");
    let html = page(&api.get(&path, me).await, 200);
    assert!(html.contains(&format!("<dt>办结期限</dt><dd>{due}前</dd>")), "{html}");
    assert!(html.contains(&format!("/cases/{id}/notices/acceptance")), "{html}");
    assert!(!html.contains("还需补正的材料"), "supplied: {html}");
    no_staff_rows(&html);
    complete_subsidy(&api, &staff, id).await;
    let (session, _) = api.cookie_login("citizen1", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let html = page(&api.get(&path, me).await, 200);
    assert!(html.contains("<dt>状态</dt><dd>已办结</dd>"), "{html}");
    assert!(html.contains("<dt>办理结果</dt><dd><strong>准予</strong></dd>"), "{html}");
    assert!(!html.contains("还需补正的材料") && !html.contains("<dt>下一步</dt>"), "{html}");
    assert!(html.contains(&format!("/cases/{id}/notices/acceptance")), "{html}");
    assert!(
        html.contains("form method=\"post\" action=\"/track/rate\"") && html.contains("name=\"usability\""),
        "{html}"
    );
    no_staff_rows(&html);
});
