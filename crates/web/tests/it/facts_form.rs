//! The item's declared form (`[[form]]`): the window form draws it from the catalog, the form and
//! the JSON API's `facts` go through the one parser (the same bad input, the same field codes),
//! and a case's facts are shown on its page (the facts panel) and in the case API.

use fantoccini::Locator;
use serde_json::{json, Value};
use test_support::{on_both, Db};

use crate::browser::{browser_available, enter, login, serve, visited, Driver};
use crate::helpers::{filing_facts, id_number, Api, Auth, FILING_FACTS, STAFF_PASSWORD};
use crate::workbench::assert_labelled;

const COUNTY: &str = "511702";
const PATH: &str = "/items/elderly-care-filing/apply";

/// A 养老机构备案 at the 通川区 window over the API.
fn filing(order: u32, facts: Value) -> Value {
    json!({
        "item": "elderly-care-filing",
        "channel": "window",
        "applicant": {"name": "刘备案", "id_number": id_number(COUNTY, "19700101", order), "division": COUNTY},
        "accepting_division": COUNTY,
        "situation": "for_profit",
        "materials": ["filing_form", "commitment"],
        "data": {"premises_division": COUNTY},
        "facts": facts
    })
}

/// The window form's own fields for the same application.
fn window_fields<'a>(csrf: &'a str, key: &'a str, id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("idempotency_key", key),
        ("situation", "for_profit"),
        ("accepting_division", COUNTY),
        ("name", "刘备案"),
        ("id_number", id),
        ("division", COUNTY),
        ("premises_division", COUNTY),
        ("materials", "filing_form"),
        ("materials", "commitment"),
    ]
}

/// The (field, code) pairs the page marks next to its fields.
fn page_codes(html: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = html
        .split("<span data-field=\"")
        .skip(1)
        .filter_map(|rest| {
            let (field, rest) = rest.split_once('"')?;
            let code = rest.split_once("data-code=\"")?.1.split_once('"')?.0;
            Some((field.to_string(), code.to_string()))
        })
        .collect();
    found.sort();
    found
}

/// The (field, code) pairs of an API refusal, the facts' only.
fn api_codes(reply: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = reply["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| (p["field"].as_str().unwrap_or("").to_string(), p["code"].as_str().unwrap_or("").to_string()))
        .filter(|(field, _)| field.starts_with("facts."))
        .collect();
    found.sort();
    found
}

on_both!(the_window_form_draws_the_items_declared_fields, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk702", "clerk", COUNTY).await;
    let (session, _) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let page = api.get(PATH, Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert_labelled(&html);
    // Each field with its label, its required mark, its help and its basis, in the form's order.
    let beds = html.find("<label for=\"fact-beds\">床位数 <span class=\"required\"").expect("beds with its mark");
    let scope = html.find("<label for=\"fact-service_scope\">服务范围").expect("scope");
    assert!(beds < scope, "the form's order");
    assert!(html.contains("全日集中住宿和照料护理，床位数在10张以上"), "help: {html}");
    assert!(html.contains("依据：《中华人民共和国老年人权益保障法》第四十三条"), "basis: {html}");
    assert!(html.contains("name=\"facts.operator.credit_code\""), "an organization in parts: {html}");
    assert!(html.contains("<textarea id=\"fact-service_scope\" name=\"facts.service_scope\""), "a list: {html}");
    assert!(html.contains("<input id=\"fact-residents_from\" name=\"facts.residents_from\" type=\"date\""), "{html}");
    assert!(html.contains("<option value=\"true\">是</option>"), "a bool: {html}");
    // The operator's 住所地 is chosen from the division table (opening at the clerk's county),
    // never typed as a code; choosing a level asks the server for the next one.
    let place = "<select id=\"facts-operator-division\" name=\"facts.operator.division\" required";
    assert!(html.contains(place) && !html.contains("id=\"fact-operator-division\""), "a place picker: {html}");
    assert!(html.contains(&format!("<option value=\"{COUNTY}\" selected>通川区（不再细分）</option>")), "{html}");
    assert!(html.contains("<legend>住所地（必选）</legend>"), "{html}");
    let query =
        "field=facts.operator.division&legend=%E4%BD%8F%E6%89%80%E5%9C%B0&scope=all&required=1&deepest=township";
    let refresh = format!("/pickers/divisions?{query}&parent=511700");
    let next = api.get(&refresh, Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(next.status, 200, "{}", next.text());
    let fragment = next.text();
    assert!(fragment.contains("id=\"facts-operator-division-picker\"") && fragment.contains(place), "{fragment}");
    assert!(fragment.contains("<option value=\"511700\" selected>达州市（不再细分）</option>"), "{fragment}");

    // The online form a citizen sees draws the same fields, and posts the same names.
    api.t.staff("citizen1", "citizen", COUNTY).await;
    let (citizen, csrf) = api.cookie_login("citizen1", STAFF_PASSWORD).await;
    let online = api.get(PATH, Auth::Cookie { session: &citizen, csrf: None }).await;
    assert_eq!(online.status, 200, "{}", online.text());
    let online = online.text();
    assert!(online.contains("网上申请：养老机构备案"), "{online}");
    assert!(online.contains("<label for=\"fact-beds\">床位数 <span class=\"required\""), "{online}");
    assert_labelled(&online);
    let id = id_number(COUNTY, "19700101", 2);
    let mut fields = window_fields(&csrf, "facts-online-1", &id);
    fields.retain(|(name, _)| *name != "accepting_division");
    fields.push(("facts.beds", "abc"));
    let refused = api.form(PATH, Some(&citizen), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let codes = page_codes(&refused.text());
    assert!(codes.contains(&("facts.beds".to_string(), "bad_int".to_string())), "{codes:?}");
    assert!(codes.contains(&("facts.operator".to_string(), "required".to_string())), "{codes:?}");
});

on_both!(the_same_bad_facts_get_the_same_codes_from_the_form_and_the_api, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", COUNTY).await;
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let before = api.footprint().await;

    // Too few beds, a wrong check character, a day that does not exist, an empty list, a bool
    // that is no answer.
    let bad = [
        ("facts.operator.name", "幸福养老服务中心"),
        ("facts.operator.credit_code", "52511702MJ0001AB68"),
        ("facts.operator.division", COUNTY),
        ("facts.service_address", "翠屏街道1号"),
        ("facts.beds", "9"),
        ("facts.service_scope", ""),
        ("facts.residents_from", "2021-02-29"),
        ("facts.commitment_signed", "maybe"),
    ];
    let facts = json!({
        "operator": {"name": "幸福养老服务中心", "credit_code": "52511702MJ0001AB68", "division": COUNTY},
        "service_address": "翠屏街道1号",
        "beds": 9,
        "service_scope": [],
        "residents_from": "2021-02-29",
        "commitment_signed": "maybe"
    });
    let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), filing(3, facts)).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let from_api = api_codes(&reply.json());
    let expected: Vec<(String, String)> = [
        ("facts.beds", "below_min"),
        ("facts.commitment_signed", "bad_bool"),
        ("facts.floor_area", "required"),
        ("facts.institution_type", "required"),
        ("facts.operator.credit_code", "uscc_checksum"),
        ("facts.residents_from", "bad_date"),
        ("facts.service_scope", "required"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(from_api, expected);

    let id = id_number(COUNTY, "19700101", 3);
    let fields: Vec<(&str, &str)> = window_fields(&csrf, "facts-bad-1", &id).into_iter().chain(bad).collect();
    let page = api.form(PATH, Some(&session), &fields).await;
    assert_eq!(page.status, 422, "{}", page.text());
    let html = page.text();
    assert_eq!(page_codes(&html), expected, "the same codes, each next to its field");
    // The message names the field's label, and what was typed is kept.
    assert!(html.contains("“床位数”不能小于10"), "{html}");
    assert!(html.contains("value=\"9\""), "{html}");
    assert!(html.contains("aria-describedby=\"fact-beds-error\""), "{html}");
    assert_eq!(api.footprint().await, before, "nothing written either way");

    // A key the form does not declare is refused by the API, not dropped.
    let mut facts = filing_facts(COUNTY);
    facts["bedz"] = json!(40);
    let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), filing(4, facts)).await;
    assert_eq!(api_codes(&reply.json()), [("facts.bedz".to_string(), "unknown_fact".to_string())]);
    // Facts in both places are one mistake.
    let mut body = filing(4, filing_facts(COUNTY));
    body["data"]["facts"] = json!({});
    api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await.assert_error(400, "invalid_body");
    assert_eq!(api.footprint().await, before);
});

on_both!(a_cases_facts_are_shown_on_its_page_and_in_the_api, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", COUNTY).await;
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    // By the API.
    let mut facts = filing_facts(COUNTY);
    facts["residents_from"] = json!("2021-05-20");
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), filing(5, facts)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let case = created.json();
    let shown: Vec<(&str, &str)> = case["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .map(|f| (f["field"].as_str().unwrap_or(""), f["text"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(shown[2], ("beds", "40"));
    assert_eq!(shown[3], ("service_scope", "生活照料、康复护理"));
    assert_eq!(shown[4], ("residents_from", "2021年5月20日"));
    assert_eq!(shown[5], ("commitment_signed", "是"));
    let id = case["id"].as_i64().expect("id");
    let html = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(html.contains("<section aria-label=\"申请事项\""), "the facts panel: {html}");
    for (label, text) in [
        ("床位数", "40"),
        ("服务范围", "生活照料、康复护理"),
        ("开始收住老年人日期", "2021年5月20日"),
        ("服务场所地址", "翠屏街道1号"),
    ] {
        assert!(html.contains(&format!("<dt>{label}</dt><dd>{text}</dd>")), "{label}: {html}");
    }
    assert!(html.contains("幸福养老服务中心（统一社会信用代码 52511702MJ0001AB69）"), "{html}");

    // By the window form: the same facts on the case page.
    let id_text = id_number(COUNTY, "19700101", 6);
    let fields: Vec<(&str, &str)> =
        window_fields(&csrf, "facts-good-1", &id_text).into_iter().chain(FILING_FACTS).collect();
    let made = api.form(PATH, Some(&session), &fields).await;
    assert_eq!(made.status, 303, "{}", made.text());
    let location = made.header("location").unwrap_or_default().to_string();
    let html = api.get(&location, me).await.text();
    assert!(html.contains("<dt>床位数</dt><dd>40</dd>"), "{html}");
    assert!(html.contains("<dt>服务范围</dt><dd>生活照料、康复护理</dd>"), "{html}");
    assert!(
        html.contains("<dt>已书面承诺符合建筑、消防、食品安全、医疗卫生、特种设备等要求</dt><dd>是</dd>"),
        "{html}"
    );
    assert!(!html.contains("开始收住老年人日期"), "an optional field left empty is not shown: {html}");
    // The item's form is in the catalog API too.
    let item = api.get("/api/v1/items/elderly-care-filing", Auth::None).await.json();
    let beds = item["form"].as_array().expect("form").iter().find(|f| f["id"] == "beds").cloned().expect("beds");
    assert_eq!(
        (beds["kind"].as_str(), beds["min"].as_i64(), beds["required"].as_bool()),
        (Some("int"), Some(10), Some(true))
    );
    // Each part of the operator says whether it must be given (the version of 2021 leaves the
    // representative optional; version 4 requires it).
    let operator = item["form"].as_array().expect("form").iter().find(|f| f["id"] == "operator").cloned();
    let parts = operator.expect("operator")["parts"].as_array().cloned().expect("parts");
    let required: Vec<(&str, bool)> =
        parts.iter().map(|p| (p["value"].as_str().unwrap_or(""), p["required"].as_bool().unwrap_or(true))).collect();
    assert_eq!(required, [("name", true), ("credit_code", true), ("representative", false), ("division", true)]);
});

/// The window form of a light item filled in a real browser, at desktop and phone width: a
/// refusal shown next to its field, then the case page with its facts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_filing_form_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk702", "clerk", COUNTY).await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk702").await;

    for (width, height, name) in [(1280, 1000, "desktop"), (412, 915, "phone")] {
        client.set_window_size(width, height).await.expect("window size");
        client.goto(&format!("{base}{PATH}?situation=for_profit")).await.expect("apply");
        visited(&client, &format!("facts-01-filing-form-{name}")).await;
        let order = if name == "desktop" { 7 } else { 8 };
        let id_text = id_number(COUNTY, "19700101", order);
        for field in ["division", "premises_division"] {
            let option = format!("#{field} option[value=\"{COUNTY}\"]");
            client.find(Locator::Css(&option)).await.expect(&option).click().await.expect("choose");
        }
        let typed = [("name", "刘备案"), ("id_number", id_text.as_str())];
        for (name, value) in typed.into_iter().chain(FILING_FACTS) {
            if value.is_empty() || name == "facts.commitment_signed" || name == "facts.institution_type" {
                continue;
            }
            // Too few beds first: refused next to the field.
            let value = if name == "facts.beds" { "9" } else { value };
            enter(&client, name, value).await;
        }
        client
            .find(Locator::Id("fact-commitment_signed"))
            .await
            .expect("bool")
            .select_by_value("true")
            .await
            .expect("select");
        client
            .find(Locator::Id("fact-institution_type"))
            .await
            .expect("choice")
            .select_by_value("private")
            .await
            .expect("select");
        for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
            checkbox.click().await.expect("tick");
        }
        let submit = "form[action=\"/items/elderly-care-filing/apply\"][method=post] button";
        crate::browser::click_to_new_page(&client, submit).await;
        let html = visited(&client, &format!("facts-02-refused-{name}")).await;
        assert!(html.contains("“床位数”不能小于10"), "{html}");
        let beds = client.find(Locator::Id("fact-beds")).await.expect("beds");
        beds.clear().await.expect("clear");
        beds.send_keys("40").await.expect("type");
        crate::browser::click_to_new_page(&client, submit).await;
        client.wait().for_element(Locator::Css("section[aria-label=\"申请事项\"]")).await.expect("the facts panel");
        let html = visited(&client, &format!("facts-03-case-{name}")).await;
        assert!(html.contains("<dt>床位数</dt><dd>40</dd>"), "{html}");
    }
}
