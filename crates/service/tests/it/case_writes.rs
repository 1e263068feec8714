//! Every client write on a case (not only the engine's acts) under the contract of acts: the
//! revision the client saw is checked (a stale one is `case_conflict` with the revision now and
//! the last act), the write moves the case's revision, and a retry with the same idempotency key
//! is applied once and answered as the first was. Both backends.

use domain::engine::action::Action;
use service::assistance::ApplicationInput;
use service::assistance_publicity::PostingInput;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::assistance::{household, minimum_living_submit, staff};
use crate::{acts, count, test_app};

async fn a_retried_application_is_applied_once_and_a_stale_one_is_a_conflict(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (h, a) = household(&t, &s, 71, "1024").await;
    let id = app.submit_case(&s.clerk, &minimum_living_submit(a)).await.expect("submit").view.case.id;
    let rev = app.store.case(id).await.expect("row").revision;
    let input = ApplicationInput { household_id: h, program: "minimum_living".into(), ..Default::default() };

    let first = app
        .register_assistance_application_keyed(&s.officer, id, rev, Some("app-key-1"), &input)
        .await
        .expect("registered");
    // The write moved the case's revision (row and state alike).
    assert_eq!(app.store.case(id).await.expect("row").revision, rev + 1);
    assert_eq!(app.case(&s.officer, id).await.expect("case").case.revision as i64, rev + 1);
    // The answer lost, the same request retried with its key: the first answer, nothing twice.
    let again = app
        .register_assistance_application_keyed(&s.officer, id, rev, Some("app-key-1"), &input)
        .await
        .expect("replayed");
    assert_eq!(again, first);
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, &format!("SELECT COUNT(*) FROM assistance_applications WHERE case_id = {id}")).await, 1);
    let recorded = acts(app, &format!("case:{id}")).await;
    assert_eq!(recorded.iter().filter(|a| *a == "assistance.application").count(), 1, "{recorded:?}");
    assert_eq!(app.store.case(id).await.expect("row").revision, rev + 1);
    // The same key with another request, or from another account: refused, not replayed.
    let other = ApplicationInput { program: "temporary".into(), ..input.clone() };
    let err = app
        .register_assistance_application_keyed(&s.officer, id, rev, Some("app-key-1"), &other)
        .await
        .expect_err("mismatch");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "idempotency_key_mismatch"));
    let err = app
        .register_assistance_application_keyed(&s.clerk, id, rev, Some("app-key-1"), &input)
        .await
        .expect_err("reused");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "idempotency_key_reused"));

    // An act on the case since: a write drawn at the old revision is a conflict naming it.
    app.act_on_case(&s.officer, id, None, &Action::Accept).await.expect("accept");
    let posting = PostingInput { place: "社区公示栏".into(), posted_at: "2021-07-05 09:00".into() };
    let err = app.record_publicity_posting_keyed(&s.officer, id, rev + 1, None, &posting).await.expect_err("stale");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "case_conflict"));
    let extra = err.extra.as_ref().expect("detail");
    assert_eq!(extra.revision, Some(rev + 2));
    let last = extra.last_act.as_ref().expect("the last act");
    assert_eq!((last.name.as_str(), last.action.as_str()), ("受理", "accept"));
    assert!(!last.by.is_empty() && !last.by.starts_with("account:"), "{last:?}");
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_publicity_postings").await, 0, "nothing written");

    // Someone with no case role anywhere: refused before any lookup, even of an unknown id.
    let outsider = t.staff("admin_x", "admin", "511702").await;
    for case in [id, 999_999] {
        let err = app
            .register_assistance_application_keyed(&outsider, case, 1, Some("app-key-1"), &input)
            .await
            .expect_err("outsider");
        assert_eq!(err.kind, ErrorKind::Forbidden, "{err:?}");
    }
}
on_both!(keyed_case_writes, a_retried_application_is_applied_once_and_a_stale_one_is_a_conflict);
