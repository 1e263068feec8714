//! 双随机、一公开 over HTTP: the inspection list from the register of social organizations, the
//! officers with a valid credential, a declared conflict kept apart, the ratio of a regular draw,
//! the draw re-run from what is published, the results published, and the 立案 form prefilled
//! from the annual inspection's link. On both backends.

use chrono::NaiveDate;
use domain::division::Level;
use domain::verticals::enforcement::draw::{self, Conflict, DrawInput, DrawKind, Inspector, Target};
use serde_json::{json, Value};
use test_support::{on_both, Db};

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

const COUNTY: &str = "511702";

fn officer(no: &str, name: &str, until: &str) -> Value {
    json!({"division": COUNTY, "name": name, "certificate_no": no, "area": "通川区", "issued_by": "四川省人民政府",
           "valid_from": "2019-01-01", "valid_until": until, "training_hours": "60", "duties": "社会组织执法监察"})
}

fn org(i: usize, authority: &str) -> store::verticals::social_organization::NewOrg {
    let on = NaiveDate::from_ymd_opt(2018, 3, 1).expect("date");
    store::verticals::social_organization::NewOrg {
        org_type: domain::verticals::social_organization::OrgType::SocialGroup,
        level: "county".into(),
        category: None,
        sponsor: Some("通川区科学技术协会".into()),
        authority_division: authority.into(),
        premises_division: authority.into(),
        registered_on: on,
        legal_rep_person: None,
        case_id: None,
        version: store::verticals::social_organization::NewVersion {
            valid_from: on,
            change_kind: "establish".into(),
            name: format!("抽查测试{i}号协会"),
            address: "通川区朝阳街道".into(),
            legal_rep_name: "测试丁".into(),
            funds_fen: 3_000_000,
            individual_members: 60,
            unit_members: 0,
            purpose: "行业服务".into(),
        },
    }
}

/// The draw re-run by anyone from the public JSON: the same lines.
fn rerun(published: &Value, check_digest: bool) -> Vec<(String, [i64; 2])> {
    let input = DrawInput {
        seed: published["seed"].as_str().expect("seed").into(),
        count: published["count"].as_u64().expect("count") as usize,
        targets: published["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .map(|t| Target {
                credit_code: t["credit_code"].as_str().expect("code").into(),
                name: t["name"].as_str().expect("name").into(),
            })
            .collect(),
        inspectors: published["inspectors"]
            .as_array()
            .expect("inspectors")
            .iter()
            .map(|i| Inspector {
                id: i["id"].as_i64().expect("id"),
                name: i["name"].as_str().expect("name").into(),
                certificate_no: i["certificate_no"].as_str().expect("no").into(),
            })
            .collect(),
        conflicts: published["conflicts"]
            .as_array()
            .expect("conflicts")
            .iter()
            .map(|c| Conflict {
                officer: c["officer"].as_i64().expect("officer"),
                credit_code: c["credit_code"].as_str().expect("code").into(),
            })
            .collect(),
    };
    if check_digest {
        assert_eq!(draw::input_digest(&input), published["input_sm3"], "the published lists are the ones drawn from");
    }
    let kind = if published["kind"] == "regular" { DrawKind::Regular } else { DrawKind::Special };
    draw::draw(&input, kind, Level::County)
        .expect("the draw re-runs")
        .into_iter()
        .map(|d| (d.credit_code, d.inspectors))
        .collect()
}

fn lines(published: &Value) -> Vec<(String, [i64; 2])> {
    published["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            let i = l["inspectors"].as_array().expect("inspectors");
            (
                l["credit_code"].as_str().expect("code").to_string(),
                [i[0].as_i64().expect("a"), i[1].as_i64().expect("b")],
            )
        })
        .collect()
}

async fn a_random_inspection_drawn_published_and_re_run(db: Db) {
    let api = Api::new(db).await;
    let leader = api.staff_token("draw-leader", "leader", COUNTY).await;
    let officer_token = api.staff_token("draw-officer", "enforcement_officer", COUNTY).await;
    let mut ids = Vec::new();
    for (no, name, until) in [
        ("D-001", "赵检查", "2023-12-31"),
        ("D-002", "钱检查", "2023-12-31"),
        ("D-003", "孙检查", "2023-12-31"),
        ("D-004", "李过期", "2020-12-31"),
    ] {
        let reply = api.post("/api/v1/enforcement/officers", Auth::Bearer(&leader), officer(no, name, until)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        ids.push(reply.json()["items"][0]["id"].as_i64().expect("id"));
    }
    let expired = ids[3];
    let mut orgs: Vec<_> = (0..40).map(|i| org(i, COUNTY)).collect();
    orgs.push(org(99, "511703"));
    let imported = api.t.app.store.import_social_orgs(&orgs, api.t.app.now()).await.expect("the register");
    let codes: Vec<String> = imported.iter().map(|(_, c)| c.clone()).collect();
    let elsewhere = codes[40].clone();

    // The officer may not draw; the ratio of a regular draw (3% of 40 is 2) is held.
    let body = json!({"division": COUNTY, "kind": "regular", "count": 2});
    assert_eq!(api.post("/api/v1/enforcement/inspections", Auth::Bearer(&officer_token), body).await.status, 403);
    let reply = api
        .post(
            "/api/v1/enforcement/inspections",
            Auth::Bearer(&leader),
            json!({"division": COUNTY, "kind": "regular", "count": 1}),
        )
        .await;
    reply.assert_error(422, "draw_below_ratio");
    assert!(reply.text().contains("第五条"), "{}", reply.text());
    let reply = api
        .post(
            "/api/v1/enforcement/inspections",
            Auth::Bearer(&leader),
            json!({"division": COUNTY, "kind": "yearly", "count": 0}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let problems = reply.json();
    let fields: Vec<&str> =
        problems["problems"].as_array().expect("problems").iter().filter_map(|p| p["field"].as_str()).collect();
    assert!(fields.contains(&"kind") && fields.contains(&"count"), "{fields:?}");

    // A declared conflict: 赵检查 with the first organization; declared twice is a conflict.
    let conflict = json!({"officer": ids[0], "credit_code": codes[0], "reason": "其配偶任该协会秘书长"});
    let reply = api.post("/api/v1/enforcement/inspections/conflicts", Auth::Bearer(&leader), conflict.clone()).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    api.post("/api/v1/enforcement/inspections/conflicts", Auth::Bearer(&leader), conflict)
        .await
        .assert_error(409, "inspector_conflict_taken");
    let unknown = json!({"officer": ids[0], "credit_code": "51511702MJ0000000X", "reason": "x"});
    api.post("/api/v1/enforcement/inspections/conflicts", Auth::Bearer(&leader), unknown)
        .await
        .assert_error(422, "org_unknown");

    // Every organization of the county drawn: two distinct valid inspectors each, the conflict
    // kept apart, the expired credential never drawn, the other county's organization not listed.
    let reply = api
        .post(
            "/api/v1/enforcement/inspections",
            Auth::Bearer(&leader),
            json!({"division": COUNTY, "kind": "special", "count": 40}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let drawn = reply.json();
    let id = drawn["id"].as_i64().expect("id");
    assert_eq!(drawn["targets"].as_array().map(Vec::len), Some(40));
    assert!(!drawn.to_string().contains(&elsewhere));
    let got = lines(&drawn);
    assert_eq!(got.len(), 40);
    for (code, [a, b]) in &got {
        assert_ne!(a, b);
        assert!(a != &expired && b != &expired, "an expired credential drawn");
        if code == &codes[0] {
            assert!(a != &ids[0] && b != &ids[0], "the declared conflict kept apart");
        }
    }

    // 一公开: the public JSON re-runs to the same draw; the page shows the seed.
    let public = api.get(&format!("/api/v1/enforcement/public/{COUNTY}/inspections"), Auth::None).await;
    assert_eq!(public.status, 200, "{}", public.text());
    let published =
        public.json()["items"].as_array().expect("items").iter().find(|d| d["id"] == id).cloned().expect("published");
    assert_eq!(rerun(&published, true), got);
    let mut tampered = published.clone();
    tampered["seed"] = json!("00".repeat(32));
    assert_ne!(rerun(&tampered, false), got, "another seed would have drawn otherwise");

    // The inspectors publish a result; before the draw, twice, or an unknown line is refused.
    let result = |position: i64, on: &str| json!({"position": position, "checked_on": on, "finding": "rectify", "note": "未按期公开年度报告"});
    let url = format!("/api/v1/enforcement/inspections/{id}/results");
    api.post(&url, Auth::Bearer(&officer_token), result(0, "2021-05-31")).await.assert_error(422, "checked_early");
    api.post(&url, Auth::Bearer(&officer_token), result(40, "2021-06-01")).await.assert_error(422, "draw_line_unknown");
    assert_eq!(
        api.post(&url, Auth::Bearer(&leader), result(0, "2021-06-01")).await.status,
        403,
        "the heads draw, officers inspect"
    );
    let reply = api.post(&url, Auth::Bearer(&officer_token), result(0, "2021-06-01")).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let line = &reply.json()["lines"][0];
    assert_eq!(line["finding"], "rectify");
    assert_eq!(line["published_on"], "2021-06-01");
    assert_eq!(line["publish_by"], "2021-06-30"); // 20 working days, 端午 (06-14) off
    api.post(&url, Auth::Bearer(&officer_token), result(0, "2021-06-01")).await.assert_error(409, "result_recorded");

    // A problem found opens a case: the result links to the 立案 form, prefilled with the
    // organization, what was found and the two inspectors who found it.
    let (officer_session, _) = api.cookie_login("draw-officer", STAFF_PASSWORD).await;
    let officer_cookie = Auth::Cookie { session: &officer_session, csrf: None };
    let page = api.get("/enforcement/inspections", officer_cookie).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let first = &got[0];
    let link = format!("/enforcement?org={}&draw={id}&line=0#file", first.0);
    assert!(page.text().contains(&link.replace('&', "&#38;")), "the result links to 立案");
    let page = api.get(link.trim_end_matches("#file"), officer_cookie).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains(&format!("value=\"{}\"", first.0)), "the organization prefilled");
    assert!(html.contains("value=\"未按期公开年度报告（2021年6月1日双随机抽查发现）\""), "what was found prefilled");
    for inspector in first.1 {
        assert!(html.contains(&format!("value=\"{inspector}\" checked")), "inspector {inspector} ticked");
    }
    // A line not inspected yet, or another organization's, prefills nothing of the inspection.
    let page = api.get(&format!("/enforcement?org={}&draw={id}&line=1", got[1].0), officer_cookie).await;
    assert!(!page.text().contains("双随机抽查发现"), "a line without a result prefills no violation");
    let page = api.get(&format!("/enforcement?org={}&draw={id}&line=0", got[1].0), officer_cookie).await;
    assert!(!page.text().contains("双随机抽查发现"), "another organization's line prefills nothing");

    let page = api.get(&format!("/enforcement/public/{COUNTY}"), Auth::None).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    for text in
        ["双随机、一公开", published["seed"].as_str().expect("seed"), "发现问题，已责令整改", "抽查测试", "钱检查"]
    {
        assert!(html.contains(text), "{text} on the public page");
    }
    for internal in ["rectify", "special", "enforcement."] {
        assert!(!html.contains(internal), "{internal} on a public page");
    }
    // The year's account: a special draw of 40 does not stand for the regular one (第五条).
    assert!(html.contains("本年度尚未开展定期抽查"), "the missing regular draw shown");
    assert!(html.contains("<td>40家</td><td>1家</td><td>1家</td><td>0家</td>"), "special, inspected, problems, late");

    // The staff page: the draw with its seed; a refused draw shows the law's words again.
    let (session, csrf) = api.cookie_login("draw-leader", STAFF_PASSWORD).await;
    let page = api.get("/enforcement/inspections", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains(published["seed"].as_str().expect("seed")));
    assert!(page.text().contains("其配偶任该协会秘书长"), "the conflicts listed");
    let refused = api
        .form(
            "/enforcement/inspections",
            Some(&session),
            &[("csrf_token", csrf.as_str()), ("division", COUNTY), ("kind", "regular"), ("count", "1")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("第五条"));
    let drawn = api
        .form(
            "/enforcement/inspections",
            Some(&session),
            &[("csrf_token", csrf.as_str()), ("division", COUNTY), ("kind", "regular"), ("count", "2")],
        )
        .await;
    assert_eq!(drawn.status, 303, "{}", drawn.text());
    let html = api.get(&format!("/enforcement/public/{COUNTY}"), Auth::None).await.text();
    assert!(
        html.contains("抽取2家（检查对象名录40家，按比例至少2家）<br><span class=\"hint\">达到规定比例"),
        "the share met"
    );
    assert!(!html.contains("本年度尚未开展定期抽查"));

    // The record: the draw and the result are events with the seed.
    let events = api.t.app.store.stream_events("enforcement:draws").await.expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.act.as_str()).collect();
    assert!(kinds.contains(&"enforcement.draw") && kinds.contains(&"enforcement.inspection_result"), "{kinds:?}");
    let seed = published["seed"].as_str().expect("seed");
    assert!(events.iter().any(|e| e.act == "enforcement.draw" && e.payload.contains(seed)));
}
on_both!(a_random_inspection_drawn_published_and_re_run, a_random_inspection_drawn_published_and_re_run);

async fn the_filing_form_prefilled_from_the_annual_inspection_link(db: Db) {
    let api = Api::new(db).await;
    api.t.staff("pre-officer", "enforcement_officer", COUNTY).await;
    api.t.staff("pre-clerk", "clerk", COUNTY).await;
    let imported = api.t.app.store.import_social_orgs(&[org(7, COUNTY)], api.t.app.now()).await.expect("register");
    let code = imported[0].1.clone();
    let (session, _) = api.cookie_login("pre-officer", STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/enforcement?org={code}&basis=social_group_inspection"), cookie).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    for text in [
        format!("value=\"{code}\""),
        "value=\"抽查测试7号协会\"".to_string(),
        "value=\"测试丁\"".to_string(),
        "不按照规定接受监督检查（未参加年度检查），违反《社会团体登记管理条例》第三十条第一款第三项".to_string(),
    ] {
        assert!(html.contains(&text), "{text} prefilled");
    }
    // An unknown code says so; a basis not known leaves the violation empty.
    let page = api.get("/enforcement?org=51511702MJ0000000X&basis=x", cookie).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("没有统一社会信用代码为51511702MJ0000000X的组织"));
    // A reader who may not file sees no prefill (and the clerk no workbench at all).
    let (clerk, _) = api.cookie_login("pre-clerk", STAFF_PASSWORD).await;
    let page = api.get(&format!("/enforcement?org={code}"), Auth::Cookie { session: &clerk, csrf: None }).await;
    assert_eq!(page.status, 403);
}
on_both!(
    the_filing_form_prefilled_from_the_annual_inspection_link,
    the_filing_form_prefilled_from_the_annual_inspection_link
);
