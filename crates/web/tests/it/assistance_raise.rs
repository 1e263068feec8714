//! 提标 over HTTP: the county's decider reviews the batch (API and page) and confirms one
//! household from the page as one act; the township is refused; a stale amount is a 409.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth};

on_both!(the_county_confirms_a_raise_from_its_page, |db| async move {
    use chrono::{TimeZone, Utc};
    use domain::engine::action::{Action, Verdict};
    use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
    use service::cases::{ApplicantRef, SubmitCase};

    let api = Api::new(db).await;
    let t = &api.t;
    let app = &t.app;
    let morning = |d: u32| Utc.with_ymd_and_hms(2021, 7, d, 1, 0, 0).single().expect("instant");
    t.clock.set(morning(5)).expect("forward");
    let clerk = t.staff("clerk_r", "clerk", "511702001").await;
    let officer = t.staff("officer_r", "township_officer", "511702001").await;
    let decider = t.staff("decider_r", "decider", "511702").await;
    let writer = api.staff_token("officer_rw", "township_officer", "511702001").await;
    let a = api.create_person(&writer, "张一", &id_number("511702", "19700301", 71), "511702001").await;
    let b = api.create_person(&writer, "张二", &id_number("511702", "20050601", 72), "511702001").await;
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    let income = vec![IncomeInput {
        person_id: a,
        month: "2021-01".into(),
        until: Some("2021-06".into()),
        kind: "工资性收入".into(),
        amount_yuan: "1024".into(),
        ..Default::default()
    }];
    let members = vec![
        MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() },
        MemberInput { person_id: b, relationship: "child".into(), ..Default::default() },
    ];
    let version = HouseholdVersionInput { valid_from: "2021-01-01".into(), members, income, assets: vec![] };
    let input = HouseholdInput { division: "511702001".into(), urban: true, version };
    let household = app.create_household(&officer, &input).await.expect("household").id;
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
    let application =
        ApplicationInput { household_id: household, program: "minimum_living".into(), ..Default::default() };
    app.register_assistance_application(&officer, id, &application).await.expect("application");
    app.act_on_case(&officer, id, None, &Action::Accept).await.expect("accept");
    for _ in 0..2 {
        let approve = Action::Review { verdict: Verdict::Approve, opinion: "属实".into() };
        app.act_on_case(&officer, id, None, &approve).await.expect("review");
    }
    t.clock.set(morning(13)).expect("forward");
    app.sweep_once(morning(13)).await.expect("sweep");
    let grant = Action::Decide { grant: true, reasons: String::new(), basis: String::new() };
    app.act_on_case(&decider, id, None, &grant).await.expect("grant");
    // A decision taken over from before the platform's item was in force, under the January standard.
    let pool = t.db.raw().await;
    sqlx::query(
        "UPDATE assistance_decisions SET rule_version = '511700-2021-01', amount_fen = 21600, \
         first_month = '2021-06', decided_on = '2021-05-20' WHERE case_id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect("earlier decision");

    let query = "county=511702&rule_version=511700-2021-07";
    let township = api.staff_token("officer_rt", "township_officer", "511702001").await;
    let refused = api.get(&format!("/api/v1/assistance/standard-raise?{query}"), Auth::Bearer(&township)).await;
    refused.assert_error(403, "forbidden");
    let token = api.staff_token("decider_rt", "decider", "511702").await;
    let batch = api.get(&format!("/api/v1/assistance/standard-raise?{query}"), Auth::Bearer(&token)).await;
    assert_eq!(batch.status, 200, "{}", batch.text());
    let batch = batch.json();
    assert_eq!(batch["items"][0]["case_id"], id);
    assert_eq!(
        (batch["items"][0]["before_yuan"].clone(), batch["items"][0]["amount_yuan"].clone()),
        (json!("216"), json!("276"))
    );
    let stale = api
        .post(
            "/api/v1/assistance/standard-raise/confirm",
            Auth::Bearer(&token),
            json!({"county": "511702", "rule_version": "511700-2021-07", "case_id": id, "amount_fen": 1}),
        )
        .await;
    stale.assert_error(409, "raise_changed");

    // The page: the trace and the confirmation form; confirmed from it, one act.
    let (session, csrf) = api.cookie_login("decider_rt", crate::helpers::STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/assistance/standard-raise?{query}"), cookie).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("原月救助金 216 元 → 新标准 276 元，自 2021-07 起执行"), "{html}");
    assert!(html.contains("提标：按511700-2021-07（2021年7月1日起施行）重新核算"), "{html}");
    assert!(html.contains("action=\"/assistance/standard-raise/confirm\""), "{html}");
    // The county and the standard are chosen, never typed.
    assert!(html.contains("<option value=\"511702\" selected>"), "{html}");
    assert!(
        html.contains("<option value=\"511700-2021-07\" selected>四川省达州市，2021年7月1日起施行（达州市提高城乡低保标准的通知）</option>"),
        "{html}"
    );
    assert!(!html.contains("name=\"rule_version\" required value="), "no typed version: {html}");
    let id_text = id.to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("county", "511702"),
        ("rule_version", "511700-2021-07"),
        ("case_id", id_text.as_str()),
        ("amount_fen", "27600"),
    ];
    let confirmed = api.form("/assistance/standard-raise/confirm", Some(&session), &fields).await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let again = api.form("/assistance/standard-raise/confirm", Some(&session), &fields).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again.text().contains("本件已按此次提标确认调整"), "{}", again.text());
    let after = api.get(&format!("/api/v1/assistance/standard-raise?{query}"), Auth::Bearer(&token)).await.json();
    assert_eq!(after["items"][0]["confirmed_on"], "2021-07-13");
    let roll = api.get("/api/v1/assistance/payment-roll?county=511702&month=2021-07", Auth::Bearer(&token)).await;
    assert_eq!(roll.json()["total_fen"], 27_600, "{}", roll.text());
});
