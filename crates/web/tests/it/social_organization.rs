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
    register_case(api, clerk, reviewer, decider, name).await.1
}

/// [`register_one`], returning the case's id too.
pub(crate) async fn register_case(api: &Api, clerk: &str, reviewer: &str, decider: &str, name: &str) -> (i64, i64) {
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
    (id, list.json()["items"][0]["id"].as_i64().expect("registered"))
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

/// An association registered in 2019, before the register was kept here, at 通川区.
pub(crate) fn imported_association(name: &str) -> store::verticals::social_organization::NewOrg {
    let on = chrono::NaiveDate::from_ymd_opt(2019, 4, 1).expect("date");
    store::verticals::social_organization::NewOrg {
        org_type: domain::verticals::social_organization::OrgType::SocialGroup,
        level: "county".into(),
        category: Some("trade_association".into()),
        sponsor: None,
        authority_division: "511702".into(),
        premises_division: "511702".into(),
        registered_on: on,
        legal_rep_person: None,
        case_id: None,
        version: store::verticals::social_organization::NewVersion {
            valid_from: on,
            change_kind: "establish".into(),
            name: name.into(),
            address: "通川区朝阳街道".into(),
            legal_rep_name: "张三".into(),
            funds_fen: 3_000_000,
            individual_members: 60,
            unit_members: 0,
            purpose: "行业服务".into(),
        },
    }
}

// The 2021 campaign on 2021-06-01: an association that did not report by 31 May is listed, and
// the list links to the enforcement 立案 form with its credit code and the basis (社团条例第三十条
// 第一款第三项), for an enforcement officer whose jurisdiction holds it; a reader who may not open
// cases sees the list without the link.
on_both!(the_unreported_list_links_to_enforcement, |db| async move {
    let api = Api::new(db).await;
    let ids = api
        .t
        .app
        .store
        .import_social_orgs(&[imported_association("通川区未年检商会")], api.t.app.now())
        .await
        .expect("imported");
    let code = ids[0].1.clone();
    api.staff_token("officer700", "enforcement_officer", "511700").await;
    api.staff_token("officer703", "enforcement_officer", "511703").await;
    api.staff_token("reviewer702", "legal_reviewer", "511702").await;
    // The template escapes the `&` of the query.
    let link = format!("/enforcement?org={code}&#38;basis=social_group_inspection&#38;year=2021");

    let (session, _) = api.cookie_login("officer700", STAFF_PASSWORD).await;
    let page = api.get("/organizations/inspections?year=2021", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("通川区未年检商会") && text.contains(&link), "{text}");
    assert!(text.contains("《社会团体登记管理条例》第三十条第一款第三项"), "{text}");
    // The link's form writes the 案由 with the year, as the list's batch action does, so a case
    // opened from it shows as opened on the list.
    let form = api
        .get(
            &format!("/enforcement?org={code}&basis=social_group_inspection&year=2021"),
            Auth::Cookie { session: &session, csrf: None },
        )
        .await
        .text();
    assert!(form.contains("2021年度不按照规定接受监督检查（未参加年度检查）"), "{form}");

    // A legal reviewer reads the list but opens no case: no link.
    let (session, _) = api.cookie_login("reviewer702", STAFF_PASSWORD).await;
    let text =
        api.get("/organizations/inspections?year=2021", Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(text.contains("通川区未年检商会"), "{text}");
    assert!(!text.contains("/enforcement?org="), "{text}");

    // A campaign whose 31 May is still ahead (2022) lists nobody as late, so no link.
    let (session, _) = api.cookie_login("officer700", STAFF_PASSWORD).await;
    let text =
        api.get("/organizations/inspections?year=2022", Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(!text.contains(&link), "{text}");

    // An officer of another county does not see the organization at all.
    let (session, _) = api.cookie_login("officer703", STAFF_PASSWORD).await;
    let text =
        api.get("/organizations/inspections?year=2021", Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(!text.contains("通川区未年检商会") && !text.contains("/enforcement?org="), "{text}");
});

// Closing (注销) a branch (社团条例第十七条第一款): refused for an unknown name, a day to come and a
// day before it opened, naming the field; recorded once, then refused as already closed; the
// page shows the day and offers no closing form once none is open; a neighbour cannot write.
on_both!(a_branch_is_closed_once, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let neighbour = api.staff_token("clerk703", "clerk", "511703").await;
    let id = register_one(&api, &clerk, &reviewer, &decider, "达州市科普志愿者协会").await;
    let opened = api
        .post(
            &format!("/api/v1/organizations/{id}/branches"),
            Auth::Bearer(&clerk),
            json!({"kind": "representative", "name": "科普讲师代表处", "principal": "李明",
                   "address": "达州市通川区朝阳东路88号", "opened_on": "2021-05-20"}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text());
    let path = format!("/api/v1/organizations/{id}/branches/close");
    let body = |name: &str, on: &str| json!({"name": name, "closed_on": on, "reason": "理事会决议撤并"});

    let unknown = api.post(&path, Auth::Bearer(&clerk), body("不存在的代表处", "2021-05-30")).await;
    unknown.assert_error(422, "branch_unknown");
    assert_eq!(unknown.json()["field"], "name");
    let early = api.post(&path, Auth::Bearer(&clerk), body("科普讲师代表处", "2021-05-19")).await;
    early.assert_error(422, "closed_before_opened");
    assert_eq!(early.json()["field"], "closed_on");
    api.post(&path, Auth::Bearer(&clerk), body("科普讲师代表处", "2021-06-02")).await.assert_error(422, "date_future");
    let empty = api.post(&path, Auth::Bearer(&clerk), json!({"name": "", "closed_on": "", "reason": ""})).await;
    assert_eq!(empty.status, 422, "{}", empty.text());
    api.post(&path, Auth::Bearer(&neighbour), body("科普讲师代表处", "2021-05-30"))
        .await
        .assert_error(403, "forbidden");

    let closed = api.post(&path, Auth::Bearer(&clerk), body("科普讲师代表处", "2021-05-30")).await;
    assert_eq!(closed.status, 200, "{}", closed.text());
    assert_eq!(closed.json()["branches"][0]["closed_on"], "2021-05-30");
    api.post(&path, Auth::Bearer(&clerk), body("科普讲师代表处", "2021-05-31"))
        .await
        .assert_error(409, "branch_closed");

    let (session, _) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let page = api.get(&format!("/organizations/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(page.contains("2021年5月30日"), "{page}");
    assert!(!page.contains("/branches/close"), "no open branch, no closing form: {page}");
});

// From the list to the cases: an enforcement officer of 通川区 ticks the unreported association
// and two officers of the register, and the form opens the case through the enforcement area's
// 立案; the page then shows it as opened (linking to the case) and offers it no more; a form
// without a choice is refused in Chinese on the page; the API answers the same service and the
// campaign's JSON names the case.
on_both!(the_unreported_are_opened_as_cases_from_the_list, |db| async move {
    let api = Api::new(db).await;
    let app = &api.t.app;
    let ids =
        app.store.import_social_orgs(&[imported_association("通川区未年检商会")], app.now()).await.expect("imported");
    let org = ids[0].0;
    let leader = api.t.staff("leader702", "leader", "511702").await;
    let mut officers = Vec::new();
    for (name, no) in [("王执法", "51170221001"), ("李执法", "51170221002")] {
        let input = domain::verticals::enforcement::OfficerInput {
            name: name.into(),
            certificate_no: no.into(),
            area: "通川区".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: "2019-01-01".into(),
            valid_until: "2023-12-31".into(),
            training_hours: "60".into(),
            legal_qualification: false,
        };
        officers
            .push(app.enforcement_add_officer(&leader, "511702", &input, "社会组织执法监察").await.expect("officer"));
    }
    let token = api.staff_token("officer702", "enforcement_officer", "511702").await;
    let (session, csrf) = api.cookie_login("officer702", STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };

    let page = api.get("/organizations/inspections?year=2021", cookie).await.text();
    assert!(page.contains(&format!("name=\"orgs\" value=\"{org}\"")), "{page}");
    assert!(page.contains("王执法（51170221001）") && page.contains("对所选社会组织立案"), "{page}");

    let (a, b) = (officers[0].to_string(), officers[1].to_string());
    let refused = api
        .form(
            "/organizations/inspections/enforcement",
            Some(&session),
            &[("csrf_token", csrf.as_str()), ("year", "2021"), ("officers", &a), ("officers", &b)],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("请至少选择一个逾期未报送的社会组织"), "{}", refused.text());

    let org_id = org.to_string();
    let opened = api
        .form(
            "/organizations/inspections/enforcement",
            Some(&session),
            &[("csrf_token", csrf.as_str()), ("year", "2021"), ("orgs", &org_id), ("officers", &a), ("officers", &b)],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.text());
    assert_eq!(opened.header("location"), Some("/organizations/inspections?year=2021&done=opened-1"));
    let cases = api.get("/api/v1/enforcement/cases", Auth::Bearer(&token)).await.json();
    let case = cases["items"][0]["id"].as_i64().expect("the case opened");

    let page = api.get("/organizations/inspections?year=2021&done=opened-1", cookie).await.text();
    assert!(page.contains("已对1个社会组织立案"), "{page}");
    assert!(page.contains(&format!("/enforcement/cases/{case}")), "{page}");
    assert!(!page.contains(&format!("name=\"orgs\" value=\"{org}\"")), "no second case offered: {page}");

    let again = api
        .post(
            "/api/v1/organizations/inspections/enforcement",
            Auth::Bearer(&token),
            json!({"year": "2021", "orgs": [org], "officers": officers}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json(), json!({"opened": [], "already": [{"organization": org, "case": case}]}));
    let campaign = api.get("/api/v1/organizations/inspections?year=2021", Auth::Bearer(&token)).await.json();
    assert_eq!(campaign["lines"][0]["enforcement_case"], case);
    api.post(
        "/api/v1/organizations/inspections/enforcement",
        Auth::Bearer(&token),
        json!({"year": "2021", "orgs": [], "officers": officers}),
    )
    .await
    .assert_error(422, "required");
});
