//! The assistance pages over HTTP: a household registered and changed through its forms (members by
//! ID number, found or registered; IDs masked; bad input shown in Chinese; another township's
//! household a 403 page), and a 低保 case page: the application form, the publicity window, and
//! once decided the decision with its eligibility trace, amount, rule version and authority.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};
use crate::workbench::assert_labelled;

pub(crate) const TOWNSHIP: &str = "511702001";

pub(crate) fn morning(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().expect("instant")
}

/// The `id` of the household a 303 leads to (`/assistance/households/{id}?done=1`).
fn household_of(location: Option<&str>) -> i64 {
    let location = location.expect("a redirect");
    let rest = location.strip_prefix("/assistance/households/").expect("the household page");
    rest.split('?').next().and_then(|id| id.parse().ok()).expect("an id")
}

on_both!(a_household_is_registered_and_changed_through_its_pages, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    let known_id = id_number("511702", "19700301", 11);
    let known = api.create_person(&officer, "张一", &known_id, TOWNSHIP).await["id"].as_i64().expect("id");
    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    assert_eq!(api.get("/assistance/households", Auth::None).await.status, 303, "the login first");
    let form = api.get("/assistance/households", me).await;
    assert_eq!(form.status, 200);
    let html = form.text();
    assert!(html.contains("href=\"/assistance/households\">救助家庭</a>"), "the nav link: {html}");
    assert!(html.contains("href=\"/assistance/payment-roll\">发放花名册</a>"), "the roll link: {html}");
    assert_labelled(&html);

    // Bad input: an invalid ID number and a date that is none; every problem listed, nothing written.
    let before = api.footprint().await;
    let bad = [
        ("csrf_token", csrf.as_str()),
        ("division", TOWNSHIP),
        ("urban", "true"),
        ("valid_from", "2021-02-30"),
        ("m1_name", "张二"),
        ("m1_id_number", "511702200506011234"),
        ("m1_relationship", "child"),
    ];
    let reply = api.form("/assistance/households", Some(&session), &bad).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("日期格式应为 YYYY-MM-DD"), "{}", reply.text());
    assert!(reply.text().contains("value=\"张二\""), "the form keeps what was typed");
    let mut bad_id = bad;
    bad_id[3] = ("valid_from", "2021-01-01");
    bad_id[5] = ("m1_id_number", "51170220050601123");
    let reply = api.form("/assistance/households", Some(&session), &bad_id).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("第1行成员"), "{}", reply.text());
    assert_eq!(api.footprint().await, before, "no person, no household, no event");
    let no_member = [("csrf_token", csrf.as_str()), ("division", TOWNSHIP), ("valid_from", "2021-01-01")];
    let reply = api.form("/assistance/households", Some(&session), &no_member).await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("请至少填写一名家庭成员"));
    let missing_token = [("division", TOWNSHIP), ("valid_from", "2021-01-01"), ("m1_name", "张一")];
    assert_eq!(api.form("/assistance/households", Some(&session), &missing_token).await.status, 403);

    // A good one: the known person found by ID number, the child registered; income and an asset.
    let child_id = id_number("511702", "20050601", 12);
    let good = [
        ("csrf_token", csrf.as_str()),
        ("division", TOWNSHIP),
        ("urban", "true"),
        ("valid_from", "2021-01-01"),
        ("m1_name", "张一"),
        ("m1_id_number", known_id.as_str()),
        ("m1_relationship", "applicant"),
        ("m1_disability", "physical"),
        ("m1_grade", "2"),
        ("m2_name", "张二"),
        ("m2_id_number", child_id.as_str()),
        ("m2_relationship", "child"),
        ("i1_member", "1"),
        ("i1_month", "2020-12"),
        ("i1_kind", "工资性收入"),
        ("i1_amount", "1512.50"),
        ("a1_kind", "financial"),
        ("a1_value", "3000"),
    ];
    let made = api.form("/assistance/households", Some(&session), &good).await;
    assert_eq!(made.status, 303, "{}", made.text());
    let id = household_of(made.header("location"));
    let api_view = api.get(&format!("/api/v1/assistance/households/{id}"), Auth::Bearer(&officer)).await.json();
    let members = api_view["versions"][0]["members"].as_array().cloned().unwrap_or_default();
    assert_eq!(members.len(), 2, "{api_view}");
    assert_eq!(members[0]["person_id"], known, "found by its ID number, not registered twice");
    let page = api.get(made.header("location").expect("where"), me).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    for shown in ["已登记", "自2021年1月1日起", "张二", "子女", "肢体残疾二级", "¥1,512.50", "¥3,000.00"]
    {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert!(!html.contains(&known_id) && !html.contains(&child_id), "IDs masked");
    assert!(html.contains(members[1]["id_number_masked"].as_str().expect("masked")));
    assert_labelled(&html);

    // A new version: not before the last one; then from 2021-06-01 without the child.
    let path = format!("/assistance/households/{id}/versions");
    let (known_s, child_s) = (known.to_string(), members[1]["person_id"].to_string());
    let version = |from: &'static str, child_relationship: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("valid_from", from.to_string()),
            ("m1_person", known_s.clone()),
            ("m1_relationship", "applicant".to_string()),
            ("m2_person", child_s.clone()),
            ("m2_relationship", child_relationship.to_string()),
        ]
    };
    let as_refs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let early = as_refs(&version("2020-12-31", "child"));
    let early: Vec<(&str, &str)> = early.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = api.form(&path, Some(&session), &early).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("须晚于最近一次登记的日期"), "{}", reply.text());
    let later = as_refs(&version("2021-06-01", ""));
    let later: Vec<(&str, &str)> = later.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = api.form(&path, Some(&session), &later).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let versions = api.get(&format!("/api/v1/assistance/households/{id}"), Auth::Bearer(&officer)).await.json();
    let versions = versions["versions"].as_array().cloned().unwrap_or_default();
    assert_eq!(versions.iter().map(|v| v["members"].as_array().map(Vec::len)).collect::<Vec<_>>(), [Some(2), Some(1)]);
    let html = api.get(&format!("/assistance/households/{id}"), me).await.text();
    assert!(html.find("自2021年6月1日起") < html.find("自2021年1月1日起"), "the newest first");

    // Another township's officer: a 403 page, the pages' own 404 and 400.
    api.staff_token("neighbour", "township_officer", "511703001").await;
    let (theirs, _) = api.cookie_login("neighbour", STAFF_PASSWORD).await;
    let them = Auth::Cookie { session: &theirs, csrf: None };
    let outside = api.get(&format!("/assistance/households/{id}"), them).await;
    assert_eq!(outside.status, 403);
    assert!(outside.text().contains("<h1>"), "a page, not a blank");
    assert_eq!(api.get("/assistance/households/999999", me).await.status, 404);
    assert_eq!(api.get("/assistance/households/abc", me).await.status, 400);
    assert_eq!(api.get("/assistance/households?id=abc", me).await.status, 422);
    let open = api.get(&format!("/assistance/households?id={id}"), me).await;
    assert_eq!(open.header("location"), Some(format!("/assistance/households/{id}").as_str()));
});

/// A 低保 case submitted at the township's window through the API, its six materials received; its id.
pub async fn minimum_living_case(api: &Api, clerk: &str, applicant: i64) -> i64 {
    let materials = [
        "application",
        "household_hukou",
        "id_cards",
        "income_assets_declaration",
        "verification_authorisation",
        "bank_account",
    ];
    let submit = json!({"item": "minimum-living-allowance", "channel": "window", "applicant": {"person_id": applicant},
        "accepting_division": TOWNSHIP, "situation": "ordinary", "materials": materials, "data": {}});
    let created = api.post("/api/v1/cases", Auth::Bearer(clerk), submit).await;
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["id"].as_i64().expect("id")
}

/// An act on a case through the API, which must succeed.
pub async fn act(api: &Api, token: &str, id: i64, body: Value) {
    let reply = api.act(id, Auth::Bearer(token), body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

on_both!(a_household_form_with_a_bad_last_row_writes_nobody, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("officer", "township_officer", TOWNSHIP).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    // On file in the neighbouring township: the officer may not make them a member.
    let elsewhere_id = id_number("511702", "19600101", 31);
    api.create_person(&clerk, "赵九", &elsewhere_id, "511702002").await;
    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let (first, second) = (id_number("511702", "19700301", 21), id_number("511702", "20050601", 22));
    // The check character of a real number changed: the format holds, the number does not.
    let mut bad = id_number("511702", "20080808", 23);
    let last = if bad.ends_with('0') { "1" } else { "0" };
    bad.replace_range(17.., last);
    let form = |third: &str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("division", TOWNSHIP.to_string()),
            ("urban", "true".to_string()),
            ("valid_from", "2021-01-01".to_string()),
            ("m1_name", "钱一".to_string()),
            ("m1_id_number", first.clone()),
            ("m1_relationship", "applicant".to_string()),
            ("m2_name", "钱二".to_string()),
            ("m2_id_number", second.clone()),
            ("m2_relationship", "child".to_string()),
            ("m3_name", "钱三".to_string()),
            ("m3_id_number", third.to_string()),
            ("m3_relationship", "child".to_string()),
            ("i1_member", "2".to_string()),
            ("i1_month", "2020-12".to_string()),
            ("i1_kind", "工资性收入".to_string()),
            ("i1_amount", "800".to_string()),
        ]
    };
    let before = api.footprint().await;
    for (third, said) in [(bad.as_str(), "第3行成员"), (elsewhere_id.as_str(), "已在其他辖区登记")] {
        let fields = form(third);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = api.form("/assistance/households", Some(&session), &pairs).await;
        assert_eq!(reply.status, 422, "{}", reply.text());
        let html = reply.text();
        assert!(html.contains(said), "{said}: {html}");
        assert!(html.contains("id=\"m3_id_number-error\""), "at its input: {html}");
        assert_eq!(api.footprint().await, before, "no person of rows 1 and 2, no household, no event");
    }
    // With the third row right, the three are written together with the household.
    let third = id_number("511702", "20080808", 23);
    let fields = form(&third);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = api.form("/assistance/households", Some(&session), &pairs).await;
    assert_eq!(made.status, 303, "{}", made.text());
    let (persons, accounts, events) = api.footprint().await;
    assert_eq!((persons, accounts), (before.0 + 3, before.1), "three persons registered");
    assert_eq!(events, before.2 + 4, "three person.create and one household.create");
    let id = household_of(made.header("location"));
    let officer = Auth::Cookie { session: &session, csrf: None };
    let view = api.get(&format!("/api/v1/assistance/households/{id}"), officer).await.json();
    let members = view["versions"][0]["members"].as_array().cloned().unwrap_or_default();
    assert_eq!(members.len(), 3, "{view}");
    let income = view["versions"][0]["income"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        income.first().map(|i| &i["person_id"]),
        Some(&members[1]["person_id"]),
        "the income is row 2's: {view}"
    );
});

on_both!(a_minimum_living_case_page_records_the_application_and_shows_the_decision, |db| async move {
    let api = Api::new(db).await;
    // The 低保 item is in force from 2021-07-01: Monday 2021-07-05.
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", TOWNSHIP).await;
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    api.staff_token("decider", "decider", "511702").await;
    let a = api.create_person(&clerk, "张一", &id_number("511702", "19700301", 21), TOWNSHIP).await;
    let b = api.create_person(&clerk, "张二", &id_number("511702", "20050601", 22), TOWNSHIP).await;
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    let income: Vec<Value> = (0..24)
        .map(|i| {
            json!({"person_id": a, "month": format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
                        "kind": "工资性收入", "amount_yuan": "1024"})
        })
        .collect();
    let household = json!({"division": TOWNSHIP, "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": a, "relationship": "applicant"}, {"person_id": b, "relationship": "child"}],
        "income": income, "assets": []}});
    let household = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household).await;
    let household = household.json()["id"].as_i64().expect("household");
    let id = minimum_living_case(&api, &clerk, a).await;

    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains(&format!("action=\"/cases/{id}/assistance-application\"")), "{page}");
    assert_labelled(&page);

    // Bad input shown on the case page in Chinese; nothing recorded.
    let path = format!("/cases/{id}/assistance-application");
    let post = |mut fields: Vec<(&'static str, String)>| {
        let api = &api;
        let session = session.clone();
        let officer = officer.clone();
        async move {
            fields.push(("expected_revision", api.revision(id, Auth::Bearer(&officer)).await));
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.form(&format!("/cases/{id}/assistance-application"), Some(&session), &fields).await
        }
    };
    let token = || ("csrf_token", csrf.clone());
    let reply = post(vec![token(), ("household_id", "abc".into()), ("program", "minimum_living".into())]).await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("所选家庭无效"), "{}", reply.text());
    let reply = post(vec![token(), ("household_id", "999999".into()), ("program", "minimum_living".into())]).await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("家庭不存在"), "{}", reply.text());
    let reply = post(vec![token(), ("household_id", household.to_string()), ("program", "orphan".into())]).await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("本件办理的事项不是"), "{}", reply.text());
    assert_eq!(api.form(&path, Some(&session), &[("household_id", "1")]).await.status, 403, "no CSRF token");
    api.staff_token("neighbour", "township_officer", "511703001").await;
    let (theirs, their_csrf) = api.cookie_login("neighbour", STAFF_PASSWORD).await;
    let fields = [("csrf_token", their_csrf.as_str()), ("household_id", "1"), ("program", "minimum_living")];
    assert_eq!(api.form(&path, Some(&theirs), &fields).await.status, 403, "another township");

    // The payee's account is parsed by the same rules as the API's: a wrong check digit refused.
    let reply = post(vec![
        token(),
        ("household_id", household.to_string()),
        ("program", "minimum_living".into()),
        ("account_kind", "bank_card".into()),
        ("account_bank", "中国农业银行达州分行".into()),
        ("account_number", "6228480402564890017".into()),
    ])
    .await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("收款账号校验位不符"), "{}", reply.text());
    let reply =
        post(vec![token(), ("household_id", household.to_string()), ("program", "minimum_living".into())]).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let page = api.get(&format!("/cases/{id}?done=assistance_application"), me).await.text();
    assert!(page.contains("已登记救助申请信息") && page.contains("最低生活保障"), "{page}");
    assert!(page.contains(&format!("href=\"/assistance/households/{household}\"")), "{page}");
    let again =
        post(vec![token(), ("household_id", household.to_string()), ("program", "minimum_living".into())]).await;
    assert_eq!(again.status, 409, "once per case");

    // Accepted, investigated and reviewed: the publicity step with its window of 7 natural days.
    act(&api, &officer, id, json!({"action": "accept"})).await;
    for _ in 0..2 {
        act(&api, &officer, id, json!({"action": "review", "verdict": "approve", "opinion": "经调查属实"})).await;
    }
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("公示期7天（自然日") && page.contains("至2021年7月12日期满"), "{page}");
    assert!(page.contains("意见选“退回”"), "the objection explained: {page}");
    // Natural days left, not working days (5 working days are left to 07-12).
    assert!(page.contains("还剩 7 天"), "{page}");
    let case = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&officer)).await.json();
    assert_eq!(case["step_deadline"]["remaining_days"], 7, "{case}");
    // Where and when the notice was posted: the page's form, then the API; both on the page.
    assert!(page.contains(&format!("action=\"/cases/{id}/assistance-publicity\"")), "{page}");
    let rev = api.revision(id, Auth::Bearer(&officer)).await;
    let posted = api
        .form(
            &format!("/cases/{id}/assistance-publicity"),
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("place", "朝阳社区居委会公示栏"),
                ("posted_at", "2021-07-05T08:30"),
                ("expected_revision", rev.as_str()),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let rev = api.revision(id, Auth::Bearer(&officer)).await;
    let bad = api
        .form(
            &format!("/cases/{id}/assistance-publicity"),
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("place", ""),
                ("posted_at", "2021-07-05T08:30"),
                ("expected_revision", &rev),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("请填写公示张贴地点"), "{}", bad.text());
    let path = format!("/api/v1/cases/{id}/assistance-publicity");
    let rev: i64 = api.revision(id, Auth::Bearer(&officer)).await.parse().expect("revision");
    let reply = api
        .post(
            &path,
            Auth::Bearer(&officer),
            json!({"place": "朝阳社区党群服务中心", "posted_at": "2021-07-05 08:45", "expected_revision": rev}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    api.post(&path, Auth::Bearer(&officer), json!({"place": "x", "posted_at": "2021-07-05 08:45", "by": 1}))
        .await
        .assert_error(400, "invalid_body");
    let publicity = api.get(&path, Auth::Bearer(&officer)).await.json();
    assert_eq!(publicity["period"], "7 天（自然日）");
    assert_eq!((publicity["remaining"].as_i64(), publicity["days_unit"].as_str()), (Some(7), Some("天")));
    assert_eq!(publicity["postings"].as_array().map(Vec::len), Some(2));
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("朝阳社区居委会公示栏") && page.contains("2021-07-05 08:30"), "{page}");
    assert_labelled(&page);

    // After publicity the county decides; the case page shows the decision with its trace.
    let now = morning(2021, 7, 13);
    api.t.clock.set(now).expect("forward");
    api.t.app.sweep_once(now).await.expect("sweep");
    // A week later the sessions of the morning have expired: sign in again.
    let decider = api.token("decider", STAFF_PASSWORD).await;
    let officer = api.token("officer", STAFF_PASSWORD).await;
    let (session, _) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    act(&api, &decider, id, json!({"action": "decide", "grant": true})).await;
    let decision = api.get(&format!("/api/v1/cases/{id}/assistance-decision"), Auth::Bearer(&officer)).await.json();
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("救助决定"), "{page}");
    let amount = web::views::yuan(decision["amount_fen"].as_i64().expect("amount"));
    for shown in
        [amount.as_str(), "本级职权", "自2021年8月起按月发放", decision["rule_version"].as_str().expect("version")]
    {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    // The page as read (askama escapes `<` in the trace as `&#60;`).
    let text = page.replace("&#60;", "<").replace("&#62;", ">").replace("&#38;", "&");
    for line in decision["trace"].as_array().cloned().unwrap_or_default() {
        assert!(text.contains(line.as_str().expect("a line")), "{line}: {page}");
    }
    assert!(text.contains("家庭月人均收入 512 元 < 城市低保标准"), "{page}");
});

on_both!(the_household_form_grows_and_shrinks_without_losing_what_was_typed, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("officer", "township_officer", TOWNSHIP).await;
    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf_token", csrf.as_str()),
        ("division", TOWNSHIP),
        ("urban", "true"),
        ("valid_from", "2021-05-01"),
        ("m1_name", "张三"),
        ("m1_relationship", "self"),
        ("m2_name", "李四"),
        ("m2_relationship", "spouse"),
        ("i1_member", "2"),
        ("i1_month", "2021-01"),
        ("i1_amount", "100"),
        ("i2_member", "1"),
        ("i2_month", "2021-02"),
        ("i2_amount", "200"),
        ("i3_member", "2"),
        ("i3_month", "2021-03"),
        ("i3_amount", "300"),
        ("i4_member", "1"),
        ("i4_month", "2021-04"),
        ("i4_amount", "400"),
        ("a1_kind", "deposit"),
        ("a1_value", "5000"),
    ];
    let before = api.footprint().await;

    // A fifth income row: the form again, everything typed kept, nothing written.
    fields.push(("grow", "income"));
    let grown = api.form("/assistance/households", Some(&session), &fields).await;
    assert_eq!(grown.status, 200, "{}", grown.text());
    let html = grown.text();
    assert!(html.contains("id=\"i5_amount\" name=\"i5_amount\""), "{html}");
    assert!(!html.contains("id=\"i6_amount\""), "{html}");
    assert!(html.contains("name=\"i4_amount\" type=\"text\" inputmode=\"decimal\" value=\"400\""), "{html}");
    assert!(html.contains("value=\"张三\"") && html.contains("value=\"李四\""), "{html}");
    assert!(html.contains("<button type=\"submit\" name=\"remove\" value=\"i5\""), "{html}");
    assert_eq!(api.footprint().await, before);

    // The second income row removed: the ones after it move up.
    fields.pop();
    fields.push(("remove", "i2"));
    let html = api.form("/assistance/households", Some(&session), &fields).await.text();
    assert!(html.contains("name=\"i2_amount\" type=\"text\" inputmode=\"decimal\" value=\"300\""), "{html}");
    assert!(html.contains("name=\"i3_amount\" type=\"text\" inputmode=\"decimal\" value=\"400\""), "{html}");
    assert!(!html.contains("id=\"i4_amount\""), "{html}");

    // The first member removed: 李四 is row 1, and the income rows that named row 2 follow him.
    fields.pop();
    fields.push(("remove", "m1"));
    let html = api.form("/assistance/households", Some(&session), &fields).await.text();
    assert!(html.contains("name=\"m1_name\" type=\"text\" autocomplete=\"off\" value=\"李四\""), "{html}");
    assert!(!html.contains("value=\"张三\"") && !html.contains("id=\"m2_name\""), "{html}");
    let first_income =
        html.split("id=\"i1_member\"").nth(1).and_then(|rest| rest.split("</select>").next()).expect("row 1");
    assert!(first_income.contains("<option value=\"1\" selected>"), "{first_income}");
    assert_eq!(api.footprint().await, before);
});
