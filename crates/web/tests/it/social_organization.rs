//! 社会组织登记 over HTTP: a direct registration through the case API enters the register; the
//! register's API and pages, the printable certificate and its public verification (a changed
//! digest does not verify), the public 公告, the xlsx export, the inspection form's refusals in
//! Chinese naming the field, the campaign's list of who did not report, jurisdiction. On both
//! backends.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

pub(crate) fn registration(order: u32, name: &str) -> Value {
    json!({
        "item": "social-group-registration",
        "channel": "window",
        "applicant": {"name": "陈志强", "id_number": id_number("511702", "19750302", order), "phone": "13912345678", "division": "511702"},
        "accepting_division": "511700",
        "situation": "direct",
        "materials": ["application", "capital_premises", "leaders_identity", "draft_articles", "member_list"],
        "data": {"premises_division": "511700"},
        "facts": {
            "name": name,
            "address": "达州市通川区朝阳东路88号",
            "purpose": "促进科学技术普及",
            "business_scope": ["科普讲座"],
            "activity_area": "达州市",
            "activity_funds": "50000",
            "individual_members": 56,
            "unit_members": 0,
            "level": "prefecture",
            "category": "science",
            "premises_division": "511702"
        }
    })
}

/// Registers a science association through the case API; returns its id in the register.
pub(crate) async fn register_one(api: &Api, clerk: &str, reviewer: &str, decider: &str, name: &str) -> i64 {
    let case = api.post("/api/v1/cases", Auth::Bearer(clerk), registration(1, name)).await;
    assert_eq!(case.status, 201, "{}", case.text());
    let id = case.json()["id"].as_i64().expect("id");
    assert_eq!(api.act(id, Auth::Bearer(clerk), json!({"action": "accept"})).await.status, 200);
    let reviewed = api.act(id, Auth::Bearer(reviewer), json!({"action": "review", "verdict": "approve"})).await;
    assert_eq!(reviewed.status, 200, "{}", reviewed.text());
    let decided = api.act(id, Auth::Bearer(decider), json!({"action": "decide", "grant": true})).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let list = api.get("/api/v1/organizations?q=科普", Auth::Bearer(clerk)).await;
    assert_eq!(list.status, 200, "{}", list.text());
    list.json()["items"][0]["id"].as_i64().expect("registered")
}

fn verify_path(html: &str) -> String {
    let start = html.find("/organizations/verify/").expect("a verification address");
    let rest = &html[start..];
    rest[..rest.find('<').expect("end")].replace("&amp;", "&")
}

on_both!(the_register_over_http, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let neighbour = api.staff_token("clerk703", "clerk", "511703").await;
    let id = register_one(&api, &clerk, &reviewer, &decider, "达州市科普志愿者协会").await;

    let org = api.get(&format!("/api/v1/organizations/{id}"), Auth::Bearer(&clerk)).await;
    assert_eq!(org.status, 200, "{}", org.text());
    let org = org.json();
    assert_eq!(org["organization"]["category_name"], "科技类");
    assert_eq!(org["organization"]["status_name"], "正常");
    assert_eq!(org["versions"][0]["change_kind"], "establish");
    let code = org["organization"]["credit_code"].as_str().expect("code").to_string();
    api.get(&format!("/api/v1/organizations/{id}"), Auth::Bearer(&neighbour)).await.assert_error(403, "forbidden");
    let theirs = api.get("/api/v1/organizations", Auth::Bearer(&neighbour)).await.json();
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0), "nobody sideways");
    api.get("/api/v1/organizations?org_type=club", Auth::Bearer(&clerk)).await.assert_error(422, "org_type_unknown");

    // The inspection: refused in Chinese naming the field; then recorded.
    let bad = api
        .post(
            &format!("/api/v1/organizations/{id}/inspections"),
            Auth::Bearer(&clerk),
            json!({"year": "2021", "to_authority_on": "2021-13-01", "result": "pass"}),
        )
        .await;
    bad.assert_error(422, "date_format");
    assert_eq!(bad.json()["field"], "to_authority_on");
    let unknown = api
        .post(
            &format!("/api/v1/organizations/{id}/inspections"),
            Auth::Bearer(&clerk),
            json!({"year": "2021", "grade": "A"}),
        )
        .await;
    unknown.assert_error(400, "invalid_body");
    assert_eq!(unknown.json()["field"], "grade");

    // The pages: the register, the organization, the certificate and its verification.
    let (session, _) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let page = api.get("/organizations?q=科普", cookie).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("达州市科普志愿者协会") && page.text().contains("直接登记（科技类）"));
    let page = api.get(&format!("/organizations/{id}"), cookie).await;
    assert!(page.text().contains("登记事项的历次变更") && page.text().contains(&code), "{}", page.text());
    let certificate = api.get(&format!("/organizations/{id}/certificate"), cookie).await;
    assert_eq!(certificate.status, 200);
    assert!(certificate.text().contains("社会团体法人登记证书") && certificate.text().contains("<svg"));
    let verify = verify_path(&certificate.text());
    let verified = api.get(&verify, Auth::None).await;
    assert_eq!(verified.status, 200, "{}", verified.text());
    assert!(
        verified.text().contains("达州市科普志愿者协会") && verified.text().contains("陈**"),
        "{}",
        verified.text()
    );
    let tampered = verify.replace("?d=", "?d=0");
    assert_eq!(api.get(&tampered, Auth::None).await.status, 404);
    assert_eq!(api.get("/organizations/verify/51511700MJ0000013X?d=00", Auth::None).await.status, 404);

    // The public 公告 and the export.
    let notices = api.get("/organizations/announcements", Auth::None).await;
    assert!(notices.text().contains("成立登记") && notices.text().contains("达州市科普志愿者协会"));
    let json = api.get("/api/v1/organizations/announcements", Auth::None).await.json();
    assert_eq!(json["items"][0]["kind"], "成立登记");
    let xlsx = api.get("/api/v1/organizations/register.xlsx", Auth::Bearer(&clerk)).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "a zip container");

    // Registered this year: not in this year's campaign; the figures count it as direct.
    let stats = api.get("/api/v1/organizations/stats?year=2021", Auth::Bearer(&clerk)).await.json();
    assert_eq!(stats["by_type_and_path"][0]["direct"], 1);
    assert_eq!(stats["by_type_and_path"][0]["sponsored"], 0);
    let campaign = api.get("/api/v1/organizations/inspections?year=2021", Auth::Bearer(&clerk)).await.json();
    assert_eq!(campaign["lines"].as_array().map(Vec::len), Some(0));
    api.get("/api/v1/organizations/inspections?year=abc", Auth::Bearer(&clerk)).await.assert_error(422, "year_invalid");
});
