//! The registry beyond registrations, on both backends: a death recorded from its source document
//! leaves the spouse widowed and free to marry again; a reissued certificate supersedes the one it
//! replaces on the public verification.

use domain::engine::action::Action;
use serde_json::json;
use service::deaths::DeathInput;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::marriage::{marriage, morning, office, person, register_marriage, reissue};
use crate::{acts, count, test_app};

fn death(date: &str, source: &str) -> DeathInput {
    DeathInput { date: date.into(), source_document: source.into() }
}

async fn a_recorded_death_leaves_the_spouse_widowed_and_free_to_marry(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 1).await;
    let wife = person(&t, &o.clerk, "李四", "511702", "19920202", 2).await;
    let suitor = person(&t, &o.clerk, "王五", "511702", "19910303", 3).await;
    let woman = person(&t, &o.clerk, "赵六", "511702", "19930404", 4).await;
    let view = register_marriage(app, &o.clerk, man, wife, "511702").await.1.expect("married");
    let number = app.case_certificate(&o.clerk, view.case.id).await.expect("certificate").number;
    t.clock.set(morning(2025, 9, 1)).expect("forward");

    // Bad input: every problem at once, nothing written.
    let pool = t.db.raw().await;
    let refused = app.record_death(&o.clerk, man, &death("2025-13-01", " ")).await.expect_err("bad input");
    let fields: Vec<(&str, &str)> = refused.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert_eq!(fields, [("date", "invalid_date"), ("source_document", "source_document_required")]);
    let refused = app.record_death(&o.clerk, man, &death("2025-09-02", "死亡医学证明")).await.expect_err("future");
    assert_eq!(refused.problems[0].code, "date_in_future");
    let refused = app.record_death(&o.clerk, man, &death("2025-05-01", "死亡医学证明")).await.expect_err("before");
    assert_eq!(refused.problems[0].code, "death_before_registration");
    // Who may: a clerk of the person's division, not another county's, not a leader.
    let elsewhere = t.staff("clerk511703", "clerk", "511703").await;
    let leader = t.staff("leader511702", "leader", "511702").await;
    for actor in [&elsewhere, &leader] {
        let refused = app.record_death(actor, man, &death("2025-08-20", "死亡医学证明 N1")).await.expect_err("who");
        assert_eq!(refused.kind, ErrorKind::Forbidden);
    }
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 1);

    let recorded =
        app.record_death(&o.clerk, man, &death("2025-08-20", "死亡医学证明 N511702250001")).await.expect("recorded");
    assert_eq!(recorded.widowed_person_id, Some(wife));
    let status = app.marital_status(&o.clerk, wife).await.expect("status");
    assert_eq!((status.status, status.spouse_person_id), ("widowed", Some(man)));
    assert_eq!(status.since.as_deref(), Some("2025-08-20"));
    assert_eq!(app.marital_status(&o.clerk, man).await.expect("status").status, "deceased");
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_current").await, 0);
    assert!(acts(app, &format!("person:{man}")).await.contains(&"person.death_recorded".to_string()));
    assert!(acts(app, &format!("person:{wife}")).await.contains(&"person.widowed".to_string()));
    let source: Option<String> =
        sqlx::query_scalar("SELECT source_document FROM marital_registrations WHERE kind = 'death'")
            .fetch_one(&pool)
            .await
            .expect("death row");
    assert_eq!(source.as_deref(), Some("死亡医学证明 N511702250001"));
    let refused = app.record_death(&o.clerk, man, &death("2025-08-21", "户口注销证明")).await.expect_err("twice");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Conflict, "already_deceased"));
    // The marriage certificate is no longer current.
    let check = app.certificate_check_code(&number);
    let verified = app.verify_certificate(&number, &check).await.expect("exists");
    assert!(!verified.current && !verified.superseded, "{verified:?}");

    // Nobody marries the deceased; the widow marries again.
    let input = marriage(woman, json!({ "other_party": man, "declaration_signed": true }), "511702");
    let id = app.submit_case(&o.clerk, &input).await.expect("submit").view.case.id;
    let refused = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect_err("deceased");
    assert_eq!(refused.code, "party_deceased");
    register_marriage(app, &o.clerk, suitor, wife, "511702").await.1.expect("the widow remarries");
    assert_eq!(app.marital_status(&o.clerk, wife).await.expect("status").spouse_person_id, Some(suitor));
}
on_both!(death_widows_the_spouse, a_recorded_death_leaves_the_spouse_widowed_and_free_to_marry);

async fn a_reissue_supersedes_the_certificate_it_replaces(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 1).await;
    let wife = person(&t, &o.clerk, "李四", "511702", "19920202", 2).await;
    let view = register_marriage(app, &o.clerk, man, wife, "511702").await.1.expect("married");
    let original = app.case_certificate(&o.clerk, view.case.id).await.expect("certificate").number;
    let verify = |number: String| async move {
        let check = app.certificate_check_code(&number);
        let status = app.verify_certificate(&number, &check).await.expect("exists");
        (status.current, status.superseded, status.standing_name)
    };
    assert_eq!(verify(original.clone()).await, (true, false, "有效"));

    // The wife lost hers: the BJ replaces the J.
    let mut numbers = Vec::new();
    for applicant in [wife, man] {
        let id = app.submit_case(&o.clerk, &reissue(applicant)).await.expect("submit").view.case.id;
        app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect("reissued");
        numbers.push(app.case_certificate(&o.clerk, id).await.expect("certificate").number);
        if numbers.len() == 1 {
            assert_eq!(verify(original.clone()).await, (false, true, "已失效（已补发新证）"));
            assert_eq!(verify(numbers[0].clone()).await, (true, false, "有效"));
        }
    }
    // Then the husband lost his (the same registration): the first BJ is superseded too.
    assert_eq!(verify(numbers[0].clone()).await, (false, true, "已失效（已补发新证）"));
    assert_eq!(verify(numbers[1].clone()).await, (true, false, "有效"));
    assert!(numbers.iter().all(|n| n.starts_with("BJ511702-2025-")), "{numbers:?}");
}
on_both!(reissue_supersedes, a_reissue_supersedes_the_certificate_it_replaces);
