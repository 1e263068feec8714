//! Journeys that used to strand a case, walked over HTTP as the real role: a township officer takes
//! in 低保 at the township window; a county window is offered the county's townships and a county
//! typed where a township is needed is asked for the township (a choice), never a case nobody can
//! move; a divorce names the other party by name and ID number on the form and is accepted; the
//! township's investigation says what is missing and where to fill it in; the case page names who
//! holds the case.

use serde_json::{json, Value};
use test_support::on_both;

use crate::assistance_pages::{morning, TOWNSHIP};
use crate::helpers::{id_number, Api, Auth, Reply, STAFF_PASSWORD};

const MINIMUM_LIVING_MATERIALS: [&str; 6] = [
    "application",
    "household_hukou",
    "id_cards",
    "income_assets_declaration",
    "verification_authorisation",
    "bank_account",
];

/// The window form of 低保 posted with `accepting` and the 户籍地 `division`.
async fn post_minimum_living(
    api: &Api,
    session: &str,
    csrf: &str,
    accepting: &str,
    division: &str,
    order: u32,
) -> Reply {
    let id_text = id_number("511702", "19700301", order);
    let key = format!("dead-ends-{order}-{accepting}-{division}");
    let mut fields = vec![
        ("csrf_token", csrf),
        ("idempotency_key", key.as_str()),
        ("situation", "ordinary"),
        ("accepting_division", accepting),
        ("name", "王一"),
        ("id_number", id_text.as_str()),
        ("division", division),
    ];
    fields.extend(MINIMUM_LIVING_MATERIALS.iter().map(|m| ("materials", *m)));
    api.form("/items/minimum-living-allowance/apply", Some(session), &fields).await
}

fn case_id(reply: &Reply) -> i64 {
    assert_eq!(reply.status, 303, "{}", reply.text());
    let location = reply.header("location").expect("the case page");
    location.trim_start_matches("/cases/").parse().expect("a case id")
}

on_both!(a_township_officer_takes_in_a_minimum_living_application_at_the_window, |db| async move {
    let api = Api::new(db).await;
    // The 低保 item is in force from 2021-07-01: Monday 2021-07-05.
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    // The township is a window for what it accepts: the window form, at the officer's township.
    let form = api.get("/items/minimum-living-allowance/apply", me).await;
    assert_eq!(form.status, 200, "{}", form.text());
    let html = form.text();
    assert!(html.contains("窗口受理：最低生活保障审核确认"), "{html}");
    assert!(html.contains(&format!("<option value=\"{TOWNSHIP}\"")), "{html}");
    let id = case_id(&post_minimum_living(&api, &session, &csrf, TOWNSHIP, TOWNSHIP, 1).await);

    // The case page says who holds it: the township's officer, who accepts it.
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("待受理"), "{page}");
    assert!(
        page.contains("<dt>待办</dt><dd class=\"holder\">四川省达州市通川区东城街道 乡镇（街道）经办人员</dd>"),
        "{page}"
    );
    let accepted = api.act(id, Auth::Bearer(&officer), json!({"action": "accept"})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());

    // The JSON API the same; an officer of another township is no window here.
    let body = |n: u32| {
        json!({"item": "minimum-living-allowance", "channel": "window",
            "applicant": {"name": "王二", "id_number": id_number("511702", "19700301", n), "division": TOWNSHIP},
            "accepting_division": TOWNSHIP, "situation": "ordinary", "materials": MINIMUM_LIVING_MATERIALS,
            "data": {"hukou_division": TOWNSHIP}})
    };
    // Without the declared 户籍 township the ID number names only the county: asked for it.
    let mut undeclared = body(2);
    undeclared["data"] = json!({});
    let refused = api.post("/api/v1/cases", Auth::Bearer(&officer), undeclared).await;
    refused.assert_error(422, "competent_division_level");
    assert_eq!(refused.json()["field"], "data.hukou_division");
    let second = api.post("/api/v1/cases", Auth::Bearer(&officer), body(2)).await;
    assert_eq!(second.status, 201, "{}", second.text());
    let elsewhere = api.staff_token("officer2", "township_officer", "511702002").await;
    api.post("/api/v1/cases", Auth::Bearer(&elsewhere), body(3)).await.assert_error(403, "forbidden");
    // An item a clerk accepts (marriage): the township officer has no window for it.
    assert_eq!(api.get("/items/marriage-registration/apply", me).await.status, 403);
});

on_both!(a_county_window_asks_for_the_township_and_strands_no_case, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    // The county clerk's window for 低保 is a choice of the county's townships, not the county.
    let html = api.get("/items/minimum-living-allowance/apply", me).await.text();
    assert!(html.contains("<option value=\"511702001\">四川省达州市通川区东城街道</option>"), "{html}");
    let window =
        html.split("id=\"accepting_division\"").nth(1).and_then(|s| s.split("</select>").next()).expect("windows");
    assert!(!window.contains("<option value=\"511702\""), "the county itself is no window for 低保: {window}");

    // At the county (a forged form or the API): refused naming the field; nothing is written.
    let before = api.footprint().await;
    let county = json!({"item": "minimum-living-allowance", "channel": "window",
        "applicant": {"name": "王一", "id_number": id_number("511702", "19700301", 4), "division": TOWNSHIP},
        "accepting_division": "511702", "situation": "ordinary", "materials": MINIMUM_LIVING_MATERIALS, "data": {}});
    let refused = api.post("/api/v1/cases", Auth::Bearer(&clerk), county).await;
    refused.assert_error(422, "accepting_division_level");
    assert_eq!(refused.json()["field"], "accepting_division", "{}", refused.text());
    assert!(refused.json()["message"].as_str().is_some_and(|m| m.contains("请选择其下的乡镇（街道）")));
    let forged = post_minimum_living(&api, &session, &csrf, "511702", TOWNSHIP, 4).await;
    assert_eq!(forged.status, 422, "{}", forged.text());

    // The 户籍地 typed as the county: the form comes back asking for the township, as a choice.
    let typed_county = post_minimum_living(&api, &session, &csrf, TOWNSHIP, "511702", 4).await;
    assert_eq!(typed_county.status, 422, "{}", typed_county.text());
    let html = typed_county.text();
    assert!(html.contains("不是乡镇（街道）"), "{html}");
    assert!(html.contains("<select id=\"division\" name=\"division\" required autofocus>"), "a choice: {html}");
    assert!(html.contains("户籍所在地（四川省达州市通川区下辖）"), "{html}");
    assert!(html.contains("<option value=\"511702001\">四川省达州市通川区东城街道</option>"), "{html}");
    crate::workbench::assert_labelled(&html);
    assert_eq!(api.footprint().await, before, "no case, no person, no event");
    // The township chosen: submitted.
    case_id(&post_minimum_living(&api, &session, &csrf, TOWNSHIP, "511702001", 4).await);

    // Online, a citizen who types the county is asked for the township the same way.
    let (citizen, citizen_csrf) = crate::portal::citizen_as(&api, "citizen1", "赵一", 5).await;
    let mut fields = vec![
        ("csrf_token", citizen_csrf.as_str()),
        ("situation", "ordinary"),
        ("name", "赵一"),
        ("division", "511702"),
    ];
    let id_text = id_number("511702", "19600101", 5);
    fields.push(("id_number", id_text.as_str()));
    fields.extend(MINIMUM_LIVING_MATERIALS.iter().map(|m| ("materials", *m)));
    let online = api.form("/items/minimum-living-allowance/apply", Some(&citizen), &fields).await;
    assert_eq!(online.status, 422, "{}", online.text());
    assert!(
        online.text().contains("<option value=\"511702001\">四川省达州市通川区东城街道</option>"),
        "{}",
        online.text()
    );
});

on_both!(a_divorce_names_the_other_party_by_id_number_and_is_accepted, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let man_id = id_number("511702", "19900101", 1);
    let wife_id = id_number("511702", "19920202", 2);
    let man = api.create_person(&clerk, "张三", &man_id, "511702").await["id"].as_i64().expect("id");
    let wife = api.create_person(&clerk, "李四", &wife_id, "511702").await["id"].as_i64().expect("id");
    let marriage = json!({"item": "marriage-registration", "channel": "window", "applicant": {"person_id": man},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "declaration"],
        "data": {"other_party": wife, "declaration_signed": true}});
    let married = api.post("/api/v1/cases", Auth::Bearer(&clerk), marriage).await;
    assert_eq!(married.status, 201, "{}", married.text());
    let married = married.json()["id"].as_i64().expect("id");
    assert_eq!(api.act(married, Auth::Bearer(&clerk), json!({"action": "accept"})).await.status, 200);

    // A divorce an older client submitted without the other party: not accepted, and the page
    // says what to do instead of leaving the case where nobody can move it.
    let materials_list =
        ["id_cards", "household_registers", "marriage_certificates", "divorce_agreement", "application"];
    let bare = json!({"item": "divorce-registration", "channel": "window", "applicant": {"person_id": man},
        "accepting_division": "511702", "situation": "ordinary", "materials": materials_list, "data": {}});
    let bare = api.post("/api/v1/cases", Auth::Bearer(&clerk), bare).await;
    assert_eq!(bare.status, 201, "{}", bare.text());
    let bare = bare.json()["id"].as_i64().expect("id");
    let refused = api.act(bare, Auth::Bearer(&clerk), json!({"action": "accept"})).await;
    refused.assert_error(422, "other_party_required");
    assert!(refused.text().contains("姓名和公民身份号码"), "{}", refused.text());

    // The window form asks for the other party by name and ID number.
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/cases/{bare}"), me).await.text();
    assert!(
        page.contains("本件未登记另一方当事人") && page.contains("href=\"/items/divorce-registration/apply\""),
        "{page}"
    );
    assert!(page.contains("不予受理"), "the way out is offered: {page}");
    // A second application while this one is open is a duplicate: it is closed first, as the
    // page says.
    let closed = api
        .act(bare, Auth::Bearer(&clerk), json!({"action": "refuse_acceptance", "reasons": "未登记另一方当事人"}))
        .await;
    assert_eq!(closed.status, 200, "{}", closed.text());
    let html = api.get("/items/divorce-registration/apply?situation=ordinary", me).await.text();
    assert!(html.contains("<legend>另一方当事人</legend>") && html.contains("id=\"other_id_number\""), "{html}");
    crate::workbench::assert_labelled(&html);
    let materials = ["id_cards", "household_registers", "marriage_certificates", "divorce_agreement", "application"];
    let post = |other: &'static str, other_id: String, key: &'static str| {
        let (session, csrf, man_id) = (session.clone(), csrf.clone(), man_id.clone());
        let api = &api;
        async move {
            let mut fields = vec![
                ("csrf_token", csrf.clone()),
                ("idempotency_key", key.to_string()),
                ("situation", "ordinary".to_string()),
                ("accepting_division", "511702".to_string()),
                ("name", "张三".to_string()),
                ("id_number", man_id),
                ("division", "511702".to_string()),
                ("other_name", other.to_string()),
                ("other_id_number", other_id),
            ];
            fields.extend(materials.iter().map(|m| ("materials", m.to_string())));
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.form("/items/divorce-registration/apply", Some(&session), &fields).await
        }
    };
    // A bad ID number for the other party: named as such, nothing written.
    let before = api.footprint().await;
    let bad = post("李四", "511702199202021234".into(), "divorce-bad").await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("另一方当事人："), "{}", bad.text());
    assert!(bad.text().contains("value=\"李四\""), "the form keeps what was typed");
    assert_eq!(api.footprint().await, before);
    // The right one: the case keeps the wife's record; 受理 passes the marriage checks.
    let id = case_id(&post("李四", wife_id.clone(), "divorce-good").await);
    let accepted = api.act(id, Auth::Bearer(&clerk), json!({"action": "accept"})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains(&format!("<option value=\"{wife}\">另一方当事人")), "the wife is the other party: {page}");
    assert!(!page.contains(&wife_id), "the ID number is masked");

    // 撤回 ends the matter: drawn apart, with a confirmation the browser requires.
    assert!(page.contains("class=\"destructive\""), "{page}");
    assert!(page.contains("name=\"confirm\" value=\"yes\" required"), "{page}");
    assert!(page.contains("<button type=\"submit\" class=\"danger\">撤回申请"), "{page}");
    assert!(!page.contains("<button type=\"submit\" class=\"danger\">受理"), "{page}");
    assert!(page.contains("办理期限"), "an open case counts down: {page}");
    let revision = api.revision(id, Auth::Bearer(&clerk)).await;
    let wife_text = wife.to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "withdraw"),
        ("expected_revision", revision.as_str()),
        ("party", wife_text.as_str()),
        ("reason", "不愿意离婚"),
        ("confirm", "yes"),
    ];
    let posted = api.form(&format!("/cases/{id}/act"), Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    // Closed: 办结时间, and no countdown left.
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("<dt>办结时间</dt><dd>2021年6月1日"), "{page}");
    assert!(!page.contains("办理期限") && !page.contains("剩 "), "no countdown on a closed case: {page}");
    assert!(!page.contains("可办理的操作"), "{page}");
});

on_both!(the_investigation_says_what_is_missing_and_where_to_fill_it_in, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    let a = api.create_person(&officer, "张一", &id_number("511702", "19700301", 21), TOWNSHIP).await;
    let a = a["id"].as_i64().expect("id");
    let id = crate::assistance_pages::minimum_living_case(&api, &officer, a).await;
    assert_eq!(api.act(id, Auth::Bearer(&officer), json!({"action": "accept"})).await.status, 200);
    let (session, _) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    // No application recorded: the investigation is refused, and the page says what and where.
    let approve = json!({"action": "review", "verdict": "approve", "opinion": "经调查属实"});
    let refused = api.act(id, Auth::Bearer(&officer), approve.clone()).await;
    refused.assert_error(422, "investigation_data_missing");
    assert!(refused.text().contains("救助申请信息"), "{}", refused.text());
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("通过前须补齐") && page.contains("href=\"#assistance-application\""), "{page}");
    assert!(page.contains("id=\"assistance-application\""), "the anchor: {page}");

    // A household with three months of income: the page names the months and links the household.
    let income: Vec<Value> = (4..=6)
        .map(|m| json!({"person_id": a, "month": format!("2021-{m:02}"), "kind": "工资性收入", "amount_yuan": "600"}))
        .collect();
    let household = json!({"division": TOWNSHIP, "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": a, "relationship": "applicant"}], "income": income, "assets": []}});
    let household = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household).await;
    assert_eq!(household.status, 201, "{}", household.text());
    let household = household.json()["id"].as_i64().expect("household");
    let revision: i64 = api.revision(id, Auth::Bearer(&officer)).await.parse().expect("revision");
    let application = json!({"household_id": household, "program": "minimum_living", "expected_revision": revision});
    let recorded =
        api.post(&format!("/api/v1/cases/{id}/assistance-application"), Auth::Bearer(&officer), application).await;
    assert!(recorded.status.is_success(), "{}", recorded.text());
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("2021年1月、2021年2月、2021年3月"), "{page}");
    assert!(page.contains(&format!("href=\"/assistance/households/{household}\"")), "{page}");
    api.act(id, Auth::Bearer(&officer), approve.clone()).await.assert_error(422, "investigation_data_missing");

    // The months entered (0 where there was none): the investigation passes, the notice is gone.
    let income: Vec<Value> = (1..=6)
        .map(|m| {
            let amount = if m < 4 { "0" } else { "600" };
            json!({"person_id": a, "month": format!("2021-{m:02}"), "kind": "工资性收入", "amount_yuan": amount})
        })
        .collect();
    let version = json!({"valid_from": "2021-07-05", "members": [{"person_id": a, "relationship": "applicant"}],
        "income": income, "assets": []});
    let added =
        api.post(&format!("/api/v1/assistance/households/{household}/versions"), Auth::Bearer(&officer), version).await;
    assert!(added.status.is_success(), "{}", added.text());
    assert_eq!(api.act(id, Auth::Bearer(&officer), approve).await.status, 200);
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(!page.contains("通过前须补齐"), "{page}");
    // Whoever acts next reads what the investigation found.
    assert!(page.contains("<span class=\"note\">：通过：经调查属实</span>"), "{page}");

    // The township's opinion, the 公示 run out: the county's decider sees the opinions and the
    // figures, and the refusal is a form of its own, drawn apart and confirmed.
    let opinion = json!({"action": "review", "verdict": "approve", "opinion": "建议批准"});
    assert_eq!(api.act(id, Auth::Bearer(&officer), opinion).await.status, 200);
    api.t.clock.set(morning(2021, 7, 13)).expect("forward");
    api.t.app.sweep_once(morning(2021, 7, 13)).await.expect("sweep");
    let decider_token = api.staff_token("decider", "decider", "511702").await;
    let (session, csrf) = api.cookie_login("decider", STAFF_PASSWORD).await;
    let decider = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/cases/{id}"), decider).await.text();
    assert!(page.contains("：通过：建议批准</span>"), "the township's opinion: {page}");
    assert!(page.contains("城市低保标准"), "the figures the decision will use: {page}");
    assert!(page.contains("<button type=\"submit\">准予</button>"), "{page}");
    assert!(page.contains("<button type=\"submit\" class=\"danger\">不予许可（说明理由）</button>"), "{page}");
    assert!(page.contains("id=\"decide-reasons-refuse\""), "{page}");
    crate::workbench::assert_labelled(&page);
    let revision = api.revision(id, Auth::Bearer(&decider_token)).await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "decide"),
        ("expected_revision", revision.as_str()),
        ("idempotency_key", "refuse-1"),
        ("grant", "false"),
        ("reasons", "家庭财产超过规定"),
        ("basis", "《社会救助暂行办法》第九条"),
        ("confirm", "yes"),
    ];
    let posted = api.form(&format!("/cases/{id}/act"), Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let page = api.get(&format!("/cases/{id}"), decider).await.text();
    assert!(page.contains("<dt>办结时间</dt>") && !page.contains("办理期限"), "{page}");
    assert!(page.contains("：不予准予：家庭财产超过规定</span>"), "{page}");
    assert!(!page.contains("听证") && !page.contains("中止"), "nothing left to hold a hearing for: {page}");
});

// A submission the engine refuses registers nobody: the other party typed by name and ID number
// is found or registered only after the engine has decided the case may be opened.
on_both!(a_refused_submission_registers_no_other_party, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let man_id = id_number("511702", "19900101", 1);
    let man = api.create_person(&clerk, "张三", &man_id, "511702").await["id"].as_i64().expect("id");
    let before = api.footprint().await;
    // The engine refuses a material the item does not list; the other party typed by name and ID
    // number must not have been registered by then.
    let marriage = json!({"item": "marriage-registration", "channel": "window", "applicant": {"person_id": man},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "no_such_material"],
        "data": {"other_party": {"name": "王五", "id_number": id_number("511702", "19930303", 2)},
                 "declaration_signed": true}});
    let refused = api.post("/api/v1/cases", Auth::Bearer(&clerk), marriage).await;
    refused.assert_error(422, "unknown_material");
    assert_eq!(api.footprint().await, before, "a refused submission wrote something");
});
