//! An outcome's own form over HTTP: the case page's decide form shows the refusal outcome's
//! fields under its label; the API's `data` is refused field by field on `data.<field>`; the
//! page posts `data.<outcome>.<field>` and the decided facts are shown on the case page and in
//! the decision notice. On both backends.

use serde_json::json;
use test_support::items::{outcome_form_item, OUTCOME_FORM_PATH};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

on_both!(the_decide_form_carries_the_outcomes_own_fields, |db| async move {
    let text = outcome_form_item();
    let api = Api::with_items(db, &[(OUTCOME_FORM_PATH, &text)]).await;
    let clerk = api.staff_token("clerk703", "clerk", "511703").await;
    let decider = api.staff_token("decider703", "decider", "511703").await;
    let body = json!({
        "item": "outcome-form-test",
        "channel": "window",
        "applicant": {"name": "李明", "id_number": id_number("511703", "19800101", 9), "division": "511703"},
        "accepting_division": "511703",
        "materials": ["request"],
    });
    let case = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(case.status, 201, "{}", case.text());
    let id = case.json()["id"].as_i64().expect("id");
    assert_eq!(api.act(id, Auth::Bearer(&clerk), json!({"action": "accept"})).await.status, 200);
    // The decider's page: the refusal's form offers the outcome's fields under its label.
    let (session, csrf) = api.cookie_login("decider703", STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(page.contains("办理结果为“不予公开”时须填写"), "{page}");
    assert!(page.contains("name=\"data.withheld.reason\"") && page.contains("属于国家秘密"), "{page}");
    // A required choice is marked and asks for one (the browser does not insist: only the chosen
    // outcome's fields are required); an optional one's empty choice says it may stay empty.
    assert!(page.contains("不予公开的理由 <span class=\"required\" aria-hidden=\"true\">*</span></label>"), "{page}");
    assert!(page.contains("name=\"data.withheld.reason\">\n<option value=\"\">请选择</option>"), "{page}");
    assert!(page.contains("收取信息处理费</label>"), "{page}");
    assert!(page.contains("name=\"data.withheld.charged\">\n<option value=\"\">不选择</option>"), "{page}");
    // The API refuses every problem of the form at once, each on its field.
    let refused = api
        .act(
            id,
            Auth::Bearer(&decider),
            json!({"action": "decide", "outcome": "withheld", "reasons": "涉密", "data": {"fee": "x"}}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let problems = refused.json()["problems"].clone();
    let fields: Vec<&str> = problems.as_array().expect("problems").iter().filter_map(|p| p["field"].as_str()).collect();
    assert!(fields.contains(&"data.reason") && fields.contains(&"data.fee"), "{problems}");
    // The page's form: only the chosen outcome's fields are taken.
    let revision = api.revision(id, Auth::Bearer(&decider)).await;
    let posted = api
        .form(
            &format!("/cases/{id}/act"),
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("action", "decide"),
                ("expected_revision", revision.as_str()),
                ("outcome", "withheld"),
                ("reasons", "申请公开的信息属于国家秘密"),
                ("basis", ""),
                ("data.withheld.reason", "state_secret"),
                ("data.withheld.fee", ""),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(page.contains("<dt>不予公开的理由</dt><dd>属于国家秘密</dd>"), "{page}");
    let notice = api.get(&format!("/cases/{id}/notices/decision"), Auth::Bearer(&decider)).await;
    assert!(notice.text().contains("属于国家秘密"), "{}", notice.text());
});

on_both!(the_correction_period_is_stated_and_shown, |db| async move {
    let text = outcome_form_item();
    let api = Api::with_items(db, &[(OUTCOME_FORM_PATH, &text)]).await;
    let clerk = api.staff_token("clerk703", "clerk", "511703").await;
    let body = json!({
        "item": "outcome-form-test",
        "channel": "window",
        "applicant": {"name": "李明", "id_number": id_number("511703", "19800101", 11), "division": "511703"},
        "accepting_division": "511703",
        "materials": [],
    });
    let case = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(case.status, 201, "{}", case.text());
    let id = case.json()["id"].as_i64().expect("id");
    // A last day already past is refused on `until`.
    let notice = |until: &str| json!({"action": "notify_missing", "missing": ["request"], "until": until});
    let past = api.act(id, Auth::Bearer(&clerk), notice("2021-05-31")).await;
    assert_eq!(past.status, 422, "{}", past.text());
    assert_eq!(
        (past.json()["code"].as_str(), past.json()["field"].as_str()),
        (Some("correction_until_past"), Some("until"))
    );
    // A later day than the declared period's is the notice's, shown on the case page.
    assert_eq!(api.act(id, Auth::Bearer(&clerk), notice("2021-06-30")).await.status, 200);
    let (session, _) = api.cookie_login("clerk703", STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(page.contains("补正期限"), "{page}");
    assert!(page.contains("补正期限至 2021-06-30"), "{page}");
});
