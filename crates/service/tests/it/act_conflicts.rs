//! The store's one act transaction (`Store::commit_act`): each typed conflict, met through the
//! real database, leaves nothing of the act written — not the case update, not the effect's
//! rows, not a certificate number, not an event.

use domain::audit::EventDraft;
use domain::marriage::CertificateKind;
use serde_json::json;
use store::assistance::{NewDecision, NewVersion};
use store::cases::{ActKey, CaseAct, CaseRow};
use store::marriage::NewMaritalRegistration;
use store::verticals::{ActConflict, ActError, Effect, EffectOutput, Produced};
use store::Store;
use test_support::{on_both, Db};

use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
use crate::{count, id_number, person_input, test_app};

/// Everything an act could write, for "nothing was written".
async fn written(pool: &sqlx::AnyPool) -> [i64; 7] {
    let mut out = [0; 7];
    let probes = [
        "SELECT COUNT(*) FROM audit_events",
        "SELECT CAST(COALESCE(SUM(revision), 0) AS BIGINT) FROM cases",
        "SELECT COUNT(*) FROM case_act_keys",
        "SELECT COUNT(*) FROM marital_registrations",
        "SELECT COUNT(*) FROM marital_current",
        "SELECT CAST(COALESCE(SUM(last), 0) AS BIGINT) FROM certificate_counters",
        "SELECT COUNT(*) FROM assistance_decisions",
    ];
    for (slot, sql) in out.iter_mut().zip(probes) {
        *slot = count(pool, sql).await;
    }
    out
}

/// A case of its own for each applicant `order` (a distinct person each).
async fn cases(t: &test_support::TestApp, orders: &[u32]) -> Vec<CaseRow> {
    let city = city_staff(t).await;
    let mut out = Vec::new();
    for order in orders {
        let mut input = change_application(&CHANGE_MATERIALS, None);
        input.applicant = service::cases::ApplicantRef::New(person_input(
            "当事人",
            &id_number("511702", "19900101", *order),
            None,
            "511702",
        ));
        let id = t.app.submit_case(&city.clerk, &input).await.expect("submit").view.case.id;
        out.push(t.app.store.case(id).await.expect("row"));
    }
    out
}

fn note(case: &CaseRow, n: i64) -> EventDraft {
    EventDraft::new(format!("case:{}", case.id), "test", "case.note", json!({"n": n}))
}

/// Commits an act on `case` as read (its revision), with `effects`.
async fn commit(
    store: &Store,
    case: &CaseRow,
    effects: &[Effect],
    key: Option<ActKey<'_>>,
) -> Result<EffectOutput, ActError> {
    let act = CaseAct {
        id: case.id,
        expected_revision: case.revision,
        before: &case.columns,
        columns: &case.columns,
        state: &case.state,
        key,
    };
    let event = note(case, case.revision);
    store.commit_act(&act, effects, move |_| vec![event], chrono::Utc::now(), None).await
}

fn registration(kind: &str, case: &CaseRow, a: i64, b: i64, certificate: CertificateKind) -> Effect {
    Effect::MaritalRegistration(NewMaritalRegistration {
        kind: kind.into(),
        office: "511702".into(),
        on_date: "2021-06-01".into(),
        year: 2021,
        person_a: a,
        person_b: Some(b),
        certificate: Some(certificate),
        case_id: case.id,
        cross_region: "none".into(),
    })
}

async fn a_stale_revision_is_a_revision_conflict(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let store = &t.app.store;
    let case = cases(&t, &[1]).await.remove(0);
    let person = case.columns.applicant_person_id.expect("applicant");
    commit(store, &case, &[], None).await.expect("the first act commits");
    let before = written(&raw).await;
    // The fast path (no effect) and the transaction with an effect: both typed, both write nothing.
    for effects in [vec![], vec![registration("marriage", &case, person, person + 1, CertificateKind::Marriage)]] {
        match commit(store, &case, &effects, None).await {
            Err(ActError::Conflict(ActConflict::Revision { status })) => assert_eq!(status, case.columns.status),
            other => panic!("a stale revision must be a revision conflict: {other:?}"),
        }
        assert_eq!(written(&raw).await, before, "nothing written");
    }
}
on_both!(revision_conflict, a_stale_revision_is_a_revision_conflict);

async fn a_taken_key_is_an_idempotency_conflict(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let store = &t.app.store;
    let [first, second]: [CaseRow; 2] = cases(&t, &[1, 2]).await.try_into().expect("two cases");
    let key = ActKey { key: "k-1", account_id: 1, fingerprint: "f" };
    commit(store, &first, &[], Some(key)).await.expect("the first act commits with its key");
    let before = written(&raw).await;
    let (a, b) = (first.columns.applicant_person_id.expect("a"), second.columns.applicant_person_id.expect("b"));
    for effects in [vec![], vec![registration("marriage", &second, a, b, CertificateKind::Marriage)]] {
        match commit(store, &second, &effects, Some(key)).await {
            Err(ActError::Conflict(ActConflict::IdempotencyKey)) => {}
            other => panic!("a taken key must be an idempotency conflict: {other:?}"),
        }
        assert_eq!(written(&raw).await, before, "nothing written");
    }
}
on_both!(idempotency_conflict, a_taken_key_is_an_idempotency_conflict);

async fn a_changed_marital_status_is_its_conflict(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let store = &t.app.store;
    let rows = cases(&t, &[1, 2, 3]).await;
    let person = |k: usize| rows[k].columns.applicant_person_id.expect("applicant");
    let (a, b, c) = (person(0), person(1), person(2));

    let output = commit(store, &rows[0], &[registration("marriage", &rows[0], a, b, CertificateKind::Marriage)], None)
        .await
        .expect("the first marriage registers");
    let number = store::marriage::certificate_number_of(&output).expect("a certificate number").to_string();
    assert!(
        matches!(&output.produced[..], [Produced::MaritalRegistration { certificate_number: Some(n), .. }] if *n == number)
    );
    let before = written(&raw).await;

    // A marries C while married to B: marital_current refuses the row.
    match commit(store, &rows[1], &[registration("marriage", &rows[1], c, a, CertificateKind::Marriage)], None).await {
        Err(ActError::Conflict(ActConflict::MaritalStatusChanged)) => {}
        other => panic!("a second marriage must be refused: {other:?}"),
    }
    assert_eq!(written(&raw).await, before, "nothing written, not even a certificate number");

    // A divorces C, to whom they are not married.
    match commit(store, &rows[2], &[registration("divorce", &rows[2], a, c, CertificateKind::Divorce)], None).await {
        Err(ActError::Conflict(ActConflict::MaritalStatusChanged)) => {}
        other => panic!("a divorce of a couple not married must be refused: {other:?}"),
    }
    assert_eq!(written(&raw).await, before, "nothing written");

    // The divorce of A and B is what the registry holds: it commits, with the next number.
    let output = commit(store, &rows[2], &[registration("divorce", &rows[2], b, a, CertificateKind::Divorce)], None)
        .await
        .expect("the divorce registers");
    assert_ne!(store::marriage::certificate_number_of(&output), Some(number.as_str()));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM marital_current").await, 0);
}
on_both!(marital_status_conflict, a_changed_marital_status_is_its_conflict);

async fn a_second_decision_is_its_conflict(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let store = &t.app.store;
    let case = cases(&t, &[1]).await.remove(0);
    let payee = case.columns.applicant_person_id.expect("applicant");
    let version = NewVersion { valid_from: "2021-01-01", body: "{}", members: &[payee], deaths: &[] };
    let household = store
        .create_household("511702", true, 1, &version, t.app.now(), |id| {
            EventDraft::new(format!("household:{id}"), "test", "household.create", json!({}))
        })
        .await
        .expect("a household");
    let decision = Effect::AssistanceDecision(Box::new(NewDecision {
        case_id: case.id,
        household_id: household,
        program: "minimum_living".into(),
        county: "511702".into(),
        eligible: true,
        granted: true,
        payee,
        covered: "[]".into(),
        amount_fen: 1000,
        first_month: Some("2021-07".into()),
        last_month: None,
        rule_version: "test".into(),
        inputs: "{}".into(),
        trace: "[]".into(),
        reasons: "[]".into(),
        authority: "test".into(),
        decided_on: "2021-06-01".into(),
        applied_on: "2021-05-01".into(),
        outcome: "grant".into(),
        recheck_of: None,
    }));
    let output = commit(store, &case, std::slice::from_ref(&decision), None).await.expect("the decision commits");
    let [Produced::AssistanceDecision { id }] = output.produced[..] else { panic!("one decision: {output:?}") };
    assert_eq!(store.assistance_decision(case.id).await.expect("read").map(|d| d.id), Some(id));
    let before = written(&raw).await;
    // The case read again (its revision now): only the decision's uniqueness refuses.
    let fresh = store.case(case.id).await.expect("row");
    match commit(store, &fresh, &[decision], None).await {
        Err(ActError::Conflict(ActConflict::DecisionExists)) => {}
        other => panic!("a second decision must be refused: {other:?}"),
    }
    assert_eq!(written(&raw).await, before, "nothing written");
}
on_both!(decision_conflict, a_second_decision_is_its_conflict);
