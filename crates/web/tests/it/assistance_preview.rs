//! 核算预览 over HTTP: at the township's 初审 the case page and the API show the evaluation the
//! decision will make (rule version, standard, income window and the months missing from it,
//! trace), and the household API takes income for a period (monthly average or total).

use serde_json::json;
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth};

on_both!(the_case_page_and_the_api_preview_the_decision, |db| async move {
    use chrono::{TimeZone, Utc};
    use domain::engine::action::Action;
    use service::assistance::ApplicationInput;
    use service::cases::{ApplicantRef, SubmitCase};

    let api = Api::new(db).await;
    let t = &api.t;
    let app = &t.app;
    t.clock.set(Utc.with_ymd_and_hms(2021, 7, 5, 1, 0, 0).single().expect("instant")).expect("forward");
    let token = api.staff_token("officer_p", "township_officer", "511702001").await;
    let clerk = t.staff("clerk_p", "clerk", "511702001").await;
    let officer = t.staff("officer_ps", "township_officer", "511702001").await;
    let a = api.create_person(&token, "张一", &id_number("511702", "19700301", 91), "511702001").await;
    let b = api.create_person(&token, "张二", &id_number("511702", "20050601", 92), "511702001").await;
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    // The officer has the applicant's April–June income as one monthly average.
    let household = json!({
        "division": "511702001",
        "urban": true,
        "version": {
            "valid_from": "2021-01-01",
            "members": [{"person_id": a, "relationship": "applicant"}, {"person_id": b, "relationship": "child"}],
            "income": [{"person_id": a, "month": "2021-04", "until": "2021-06", "basis": "monthly",
                        "kind": "工资性收入", "amount_yuan": "600"}]
        }
    });
    let created = api.post("/api/v1/assistance/households", Auth::Bearer(&token), household).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let h = created.json();
    assert_eq!(h["versions"][0]["income"].as_array().map(Vec::len), Some(3), "{h}");
    let bad = json!({"division": "511702001", "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": a, "relationship": "applicant"}],
        "income": [{"person_id": a, "month": "2021-04", "until": "2021-01", "basis": "sum", "kind": "工资", "amount_yuan": "1"}]}});
    let refused = api.post("/api/v1/assistance/households", Auth::Bearer(&token), bad).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let fields: Vec<String> = refused.json()["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| format!("{}:{}", p["field"].as_str().unwrap_or(""), p["code"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(fields, vec!["income[0].basis:invalid_income_basis", "income[0].until:invalid_income_period"]);

    let submit = SubmitCase {
        item: "minimum-living-allowance".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(a),
        accepting_division: "511702001".into(),
        situation: Some("ordinary".into()),
        materials: ["application", "household_hukou", "id_cards", "income_assets_declaration"]
            .into_iter()
            .chain(["verification_authorisation", "bank_account"])
            .map(str::to_string)
            .collect(),
        data: json!({}),
        idempotency_key: None,
    };
    let id = app.submit_case(&clerk, &submit).await.expect("submit").view.case.id;
    let household = h["id"].as_i64().expect("household id");
    let application =
        ApplicationInput { household_id: household, program: "minimum_living".into(), ..Default::default() };
    app.register_assistance_application(&officer, id, &application).await.expect("application");
    app.act_on_case(&officer, id, None, &Action::Accept).await.expect("accept");

    // 初审: the API.
    let preview = api.get(&format!("/api/v1/cases/{id}/assistance-preview"), Auth::Bearer(&token)).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let p = preview.json();
    assert_eq!(p["rule_version"], "511700-2021-07");
    assert_eq!(p["standard_yuan"], "650");
    assert_eq!(p["income_window"], json!(["2021-01", "2021-06"]));
    assert_eq!(p["income_months_missing"], json!(["2021-01", "2021-02", "2021-03"]));
    assert!(p["trace"].as_array().is_some_and(|t| !t.is_empty()));
    let outsider = api.staff_token("officer_xp", "township_officer", "511703001").await;
    let denied = api.get(&format!("/api/v1/cases/{id}/assistance-preview"), Auth::Bearer(&outsider)).await;
    denied.assert_error(403, "forbidden");

    // 初审: the case page.
    let (session, _) = api.cookie_login("officer_p", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("核算预览"), "{html}");
    assert!(html.contains("511700-2021-07"), "{html}");
    assert!(html.contains("2021年1月至2021年6月（申请月份之前 6 个月）"), "{html}");
    assert!(html.contains("没有登记收入：2021年1月、2021年2月、2021年3月"), "{html}");
    assert!(html.contains("家庭月人均收入 150 元"), "{html}");
});

// The household form takes a period like the API (the one parser): a total spread to the fen, and
// a bad basis refused on the page with its Chinese message, nothing registered.
on_both!(the_household_form_takes_income_for_a_period, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer_f", "township_officer", "511702001").await;
    let (session, csrf) = api.cookie_login("officer_f", crate::helpers::STAFF_PASSWORD).await;
    let id = id_number("511702", "19700301", 93);
    let form = |basis: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("division", "511702001".to_string()),
            ("urban", "true".to_string()),
            ("valid_from", "2021-01-01".to_string()),
            ("m1_name", "李一".to_string()),
            ("m1_id_number", id.clone()),
            ("m1_relationship", "applicant".to_string()),
            ("i1_member", "1".to_string()),
            ("i1_month", "2021-01".to_string()),
            ("i1_until", "2021-03".to_string()),
            ("i1_basis", basis.to_string()),
            ("i1_kind", "工资性收入".to_string()),
            ("i1_amount", "100".to_string()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let api = &api;
        let session = session.clone();
        async move {
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.form("/assistance/households", Some(&session), &borrowed).await
        }
    };
    let bad = post(form("average")).await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("金额口径无效"), "{}", bad.text());
    let persons = api.get("/api/v1/persons?limit=500", Auth::Bearer(&officer)).await.json();
    assert_eq!(persons["items"].as_array().map(Vec::len), Some(0), "nothing registered: {persons}");
    let made = post(form("total")).await;
    assert_eq!(made.status, 303, "{}", made.text());
    let household: i64 = made
        .header("location")
        .and_then(|l| l.trim_start_matches("/assistance/households/").split('?').next()?.parse().ok())
        .expect("the household page");
    let view = api.get(&format!("/api/v1/assistance/households/{household}"), Auth::Bearer(&officer)).await.json();
    let income: Vec<(String, String)> = view["versions"][0]["income"]
        .as_array()
        .expect("income")
        .iter()
        .map(|i| (i["month"].as_str().unwrap_or("").to_string(), i["amount_yuan"].as_str().unwrap_or("").to_string()))
        .collect();
    let expected = [("2021-01", "33.34"), ("2021-02", "33.33"), ("2021-03", "33.33")];
    assert_eq!(income, expected.map(|(m, a)| (m.to_string(), a.to_string())).to_vec());
});
