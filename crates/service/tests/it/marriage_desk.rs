//! The registration desk: the conditions shown before anything is written, then the registration.

use domain::engine::case::{CaseStatus, Outcome};
use service::marriage_desk::{DeskInput, DeskOutcome, DeskParty};
use test_support::{on_both, Db};

use crate::marriage::{morning, office};
use crate::{count, id_number, person_input, test_app};

fn party(name: &str, region: &str, birth: &str, order: u32) -> DeskParty {
    DeskParty {
        person: person_input(name, &id_number(region, birth, order), None, region),
        residence_permit_division: None,
    }
}

fn desk(a: DeskParty, b: DeskParty) -> DeskInput {
    DeskInput {
        office: "511702".into(),
        parties: [a, b],
        declaration_signed: true,
        materials: ["id_cards", "declaration"].map(str::to_string).to_vec(),
        idempotency_key: None,
    }
}

async fn the_desk_shows_a_refusal_before_writing_and_registers_a_valid_couple(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let o = office(&t, "511702").await;
    let pool = t.db.raw().await;
    let written = "SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM marital_registrations)";
    let before = count(&pool, written).await;

    // The groom turns 22 on 2025-06-04: one day short. Shown, with the basis; nothing written.
    let young = desk(party("张三", "511702", "20030604", 1), party("李四", "511702", "20000101", 2));
    let checks = app.marriage_desk_check(&o.clerk, &young).await.expect("checked");
    assert!(!checks.passed());
    let age = checks.checks.iter().find(|c| !c.ok).expect("a refusal");
    assert_eq!(age.code, Some("under_marriage_age"));
    assert!(age.basis.as_deref().is_some_and(|b| b.contains("第一千零四十七条")), "{age:?}");
    assert!(checks.checks.iter().filter(|c| c.code != Some("under_marriage_age")).all(|c| c.ok), "{checks:?}");
    match app.marriage_desk_register(&o.clerk, &young).await.expect("answered") {
        DeskOutcome::Refused(checks) => assert!(!checks.passed()),
        DeskOutcome::Registered { .. } => panic!("an under-age party registered"),
    }
    assert_eq!(count(&pool, written).await, before, "nothing written");
    assert_eq!(crate::acts(app, "marriage:desk:511702").await, ["marriage.desk_refused"], "the refusal is on record");

    // Bad input names the party and the field.
    let mut bad = desk(party("张三", "511702", "19900101", 1), party("李四", "511702", "19920202", 2));
    bad.parties[1].person.id_number = "51170219920202002".into();
    let refused = app.marriage_desk_check(&o.clerk, &bad).await.expect_err("malformed");
    assert!(refused.problems.iter().any(|p| p.field == "party_b.id_number"), "{:?}", refused.problems);

    // A valid couple, both new: registered on the spot.
    let mut couple = desk(party("张三", "511702", "19900101", 1), party("李四", "511702", "19920202", 2));
    couple.idempotency_key = Some("desk-test-1".into());
    let DeskOutcome::Registered { case_id } = app.marriage_desk_register(&o.clerk, &couple).await.expect("ok") else {
        panic!("refused");
    };
    // A double click: the same case, not a refusal for being married now.
    match app.marriage_desk_register(&o.clerk, &couple).await.expect("replayed") {
        DeskOutcome::Registered { case_id: again } => assert_eq!(again, case_id),
        DeskOutcome::Refused(checks) => panic!("refused on replay: {checks:?}"),
    }
    let view = app.case(&o.clerk, case_id).await.expect("case");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Granted));
    let cert = app.case_certificate(&o.clerk, case_id).await.expect("certificate");
    assert!(cert.number.starts_with("J511702-2025-"), "{}", cert.number);
    // Now both are on record as married: the desk says so before a second marriage.
    let again = desk(party("张三", "511702", "19900101", 1), party("王五", "511702", "19930303", 4));
    let checks = app.marriage_desk_check(&o.clerk, &again).await.expect("checked");
    assert_eq!(checks.on_record[0].map(|(_, s)| s), Some("已婚"));
    assert!(checks.checks.iter().any(|c| c.code == Some("already_married")), "{checks:?}");
}
on_both!(marriage_desk, the_desk_shows_a_refusal_before_writing_and_registers_a_valid_couple);

/// 不予登记 at the desk (婚姻登记条例（2003年）第六条、第七条): a couple that fails a condition is
/// refused on the spot with the registrar's reasons and the failed condition's basis, on record
/// as a closed case with its decision; no reasons, no decision; nothing registered.
async fn the_desk_refuses_with_a_written_decision(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let o = office(&t, "511702").await;
    let young = desk(party("张三", "511702", "20030604", 1), party("李四", "511702", "20000101", 2));
    let refused = app.marriage_desk_refuse(&o.clerk, &young, "  ").await.expect_err("reasons first");
    assert_eq!((refused.code, refused.field.as_deref()), ("reasons_required", Some("reasons")));
    let id = app.marriage_desk_refuse(&o.clerk, &young, "男方未到法定结婚年龄").await.expect("refused");
    let view = app.case(&o.clerk, id).await.expect("case");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Denied));
    let decision = view.case.decision.expect("decision");
    assert_eq!(decision.reasons, "男方未到法定结婚年龄");
    assert!(decision.basis.contains("第一千零四十七条"), "{}", decision.basis);
    let status = app.marital_status(&o.clerk, view.case.applicant).await.expect("status");
    assert_eq!(status.spouse_person_id, None);
}
on_both!(marriage_desk_refusal, the_desk_refuses_with_a_written_decision);
