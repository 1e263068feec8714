//! An outcome's own form (`form` of an `[[outcomes]]` entry): a decision naming the outcome
//! states its fields, parsed by the item form's one parser, refused field by field, kept with
//! the case, recorded in the decide event and shown with the case.

use chrono::{TimeZone, Utc};
use domain::engine::action::Action;
use domain::engine::case::{CaseStatus, Outcome};
use domain::form::FormValues;
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use test_support::{on_both, Db, TestApp};

use crate::{id_number, person_input};

fn decide(data: serde_json::Value) -> Action {
    Action::DecideOutcome {
        outcome: "withheld".into(),
        reasons: "申请公开的信息涉及国家秘密".into(),
        basis: String::new(),
        facts: FormValues::from_json(&data).expect("an object"),
    }
}

async fn a_decision_states_its_outcomes_form(db: Db) {
    let text = test_support::items::outcome_form_item();
    assert!(text.contains("form = ["), "the outcome form was added");
    let t = TestApp::with_items(db, &[("catalog/outcome-form-test/v1.toml", &text)]).await.expect("a test database");
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let decider = t.staff("decider703", "decider", "511703").await;
    t.clock.set(Utc.with_ymd_and_hms(2021, 6, 1, 2, 0, 0).unwrap()).expect("forward");
    let request = SubmitCase {
        item: "outcome-form-test".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(person_input("李明", &id_number("511703", "19800101", 7), None, "511703")),
        accepting_division: "511703".into(),
        situation: None,
        materials: vec!["request".into()],
        data: json!({}),
        idempotency_key: None,
    };
    let id = app.submit_case(&clerk, &request).await.expect("submit").view.case.id;
    app.act_on_case(&clerk, id, None, &Action::Accept).await.expect("accepted");
    // Refused field by field: the required reason missing, the fee not money, a field not declared.
    let refused = app.act_on_case(&decider, id, None, &decide(json!({"fee": "x", "other": 1}))).await.unwrap_err();
    let mut fields: Vec<(&str, &str)> = refused.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    fields.sort();
    assert_eq!(fields.len(), 3, "{fields:?}");
    assert_eq!(fields.iter().map(|f| f.0).collect::<Vec<_>>(), ["data.fee", "data.other", "data.reason"]);
    assert_eq!(fields[2].1, "required");
    assert_eq!(app.case(&decider, id).await.expect("read").case.status, CaseStatus::InProgress);
    // Stated: kept with the case, in the decide event, shown as rows.
    let decided = app.act_on_case(&decider, id, None, &decide(json!({"reason": "state_secret", "fee": "12.50"}))).await;
    let decided = decided.expect("decided");
    assert_eq!(decided.case.status, CaseStatus::Closed(Outcome::Denied));
    let rows: Vec<(&str, &str)> = decided.decided_rows.iter().map(|r| (r.label.as_str(), r.text.as_str())).collect();
    assert_eq!(rows, [("不予公开的理由", "属于国家秘密"), ("信息处理费", "¥12.50")]);
    let reread = app.case(&decider, id).await.expect("read");
    assert_eq!(reread.decided_rows.len(), 2);
    let events = app.case_events(&decider, id).await.expect("events");
    let event = events.iter().rev().find(|e| e.act == "case.decide").expect("the decision");
    let payload: serde_json::Value = serde_json::from_str(&event.payload).expect("json");
    // Typed as the case keeps its facts (a choice by its value).
    assert_eq!(payload["outcome_facts"]["reason"], json!({"choice": "state_secret"}));
    assert_eq!(payload["decision_outcome"], json!("withheld"));
}
on_both!(states_its_form, a_decision_states_its_outcomes_form);
