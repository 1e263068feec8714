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

// Branches and representative offices (《社会团体登记管理条例》第十七条): a social group enters a
// branch by field; a regional branch, a branch opened by a branch, an unknown opener and a second
// open branch of the same name are refused naming the field; the page shows the entry and its
// form refuses in Chinese; a neighbour county cannot write.
on_both!(branches_follow_article_17, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let neighbour = api.staff_token("clerk703", "clerk", "511703").await;
    let id = register_one(&api, &clerk, &reviewer, &decider, "达州市科普志愿者协会").await;
    let path = format!("/api/v1/organizations/{id}/branches");
    let body = |name: &str, regional: &str, by: &str| {
        json!({"kind": "branch", "name": name, "principal": "李明", "address": "达州市通川区朝阳东路88号",
               "regional": regional, "opened_by_branch": by, "opened_on": "2021-06-01"})
    };

    let regional = api.post(&path, Auth::Bearer(&clerk), body("达州市科普志愿者协会通川区分会", "yes", "")).await;
    regional.assert_error(422, "regional_branch");
    assert_eq!(regional.json()["field"], "regional");
    let empty = api
        .post(
            &path,
            Auth::Bearer(&clerk),
            json!({"kind": "office", "name": " ", "principal": "", "address": "", "opened_on": "2021-06-31"}),
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.text());
    let fields: Vec<String> = empty.json()["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fields, ["kind", "name", "principal", "address", "opened_on"]);

    let made = api.post(&path, Auth::Bearer(&clerk), body("科普讲师专业委员会", "no", "")).await;
    assert_eq!(made.status, 201, "{}", made.text());
    assert_eq!(made.json()["branches"][0]["kind_name"], "分支机构");
    assert_eq!(made.json()["branches"][0]["principal"], "李明");
    api.post(&path, Auth::Bearer(&clerk), body("科普讲师专业委员会", "no", ""))
        .await
        .assert_error(409, "branch_name_taken");
    let sub = api.post(&path, Auth::Bearer(&clerk), body("科普讲师专业委员会秘书处", "no", "科普讲师专业委员会")).await;
    sub.assert_error(422, "branch_of_branch");
    assert_eq!(sub.json()["field"], "opened_by_branch");
    api.post(&path, Auth::Bearer(&clerk), body("青少年科普工作委员会", "no", "不存在的分会"))
        .await
        .assert_error(422, "branch_unknown");
    api.post(&path, Auth::Bearer(&neighbour), body("青少年科普工作委员会", "no", ""))
        .await
        .assert_error(403, "forbidden");

    // The page: the entry in the table, the form's refusal in Chinese.
    let (session, csrf) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/organizations/{id}"), cookie).await;
    assert!(
        page.text().contains("科普讲师专业委员会") && page.text().contains("登记分支机构、代表机构"),
        "{}",
        page.text()
    );
    let refused = api
        .form(
            &format!("/organizations/{id}/branches"),
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("kind", "branch"),
                ("name", "达州市科普志愿者协会达川区分会"),
                ("principal", "王五"),
                ("address", "达川区"),
                ("regional", "yes"),
                ("opened_on", "2021-06-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("社会团体不得设立地域性的分支机构"), "{}", refused.text());
});
