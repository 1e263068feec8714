//! The public case look-up (`App::track_case`): failures are throttled per client, so a
//! stranger typing wrong checks at a number does not lock its citizen out; and what a closed
//! case's applicant is told of its end (`App::tracked_closing`).

use chrono::Duration;
use domain::engine::action::{Action, Verdict};
use service::portal::next_step_zh;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
use crate::{id_number, test_app};

const STRANGER: &str = "203.0.113.66";
const CITIZEN: &str = "198.51.100.7";

async fn a_strangers_failures_do_not_lock_the_citizen_out(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let view = app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit").view;
    let number = view.case.number.clone();
    let code = app.case_check_code(&number);
    let start = app.now();
    for _ in 0..service::throttle::TRACK_MAX_PER_CLIENT_NUMBER {
        let err = app.track_case(&number, "0000", STRANGER).await.expect_err("a wrong check");
        assert_eq!((err.kind, err.code), (ErrorKind::NotFound, "case_not_found"), "as an unknown number");
    }
    let failed = app.now();
    // The stranger is throttled, even with the right check …
    let err = app.track_case(&number, &code, STRANGER).await.expect_err("throttled");
    assert_eq!((err.kind, err.code), (ErrorKind::TooManyRequests, "too_many_attempts"));
    // … the citizen, elsewhere, is not: by the code or by the ID tail.
    assert_eq!(app.track_case(&number, &code, CITIZEN).await.expect("the citizen").case.id, view.case.id);
    let tail = &id_number("511702", "19800101", 1)[14..];
    assert_eq!(app.track_case(&number, tail, CITIZEN).await.expect("by the ID tail").case.id, view.case.id);

    // The stranger's lock lifts 15:00 minutes after the failures (the simulated clock runs on
    // from where it is set: `start` is before the first failure, `failed` after the last; the
    // exact millisecond is the throttle's unit test).
    t.clock.set(start + Duration::minutes(15) - Duration::seconds(1)).expect("clock");
    let err = app.track_case(&number, &code, STRANGER).await.expect_err("still throttled at 14:59");
    assert_eq!(err.kind, ErrorKind::TooManyRequests);
    t.clock.set(failed + Duration::minutes(15)).expect("clock");
    app.track_case(&number, &code, STRANGER).await.expect("the window has passed at 15:00");
}
on_both!(track_throttled_per_client, a_strangers_failures_do_not_lock_the_citizen_out);

async fn a_number_guessed_from_many_addresses_keeps_its_code(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let view = app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit").view;
    let number = view.case.number.clone();
    for i in 0..service::throttle::TRACK_MAX_PER_NUMBER_SHORT {
        app.track_case(&number, "0000", &format!("203.0.113.{i}")).await.expect_err("a wrong check");
    }
    let tail = &id_number("511702", "19800101", 1)[14..];
    let err = app.track_case(&number, tail, CITIZEN).await.expect_err("the short check is closed");
    assert_eq!(
        (err.kind, err.code, err.field.as_deref()),
        (ErrorKind::TooManyRequests, "check_code_required", Some("check"))
    );
    // The same answer for a number that does not exist: it tells nothing about the number.
    let unknown = "511700-2021-999999";
    for i in 0..service::throttle::TRACK_MAX_PER_NUMBER_SHORT {
        app.track_case(unknown, "0000", &format!("203.0.113.{i}")).await.expect_err("unknown");
    }
    assert_eq!(app.track_case(unknown, tail, CITIZEN).await.expect_err("closed").code, "check_code_required");
    // The citizen's 查询码 still opens the case.
    let code = app.case_check_code(&number);
    assert_eq!(app.track_case(&number, &code, CITIZEN).await.expect("by the code").case.id, view.case.id);
}
on_both!(track_guessed_from_everywhere, a_number_guessed_from_many_addresses_keeps_its_code);

async fn a_closed_case_shows_its_date_and_decision(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    // Open: no closing, the next step in words.
    let view = app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit").view;
    assert_eq!(app.tracked_closing(&view).await.expect("closing"), None);
    assert!(next_step_zh(view.case.status, None).contains("等待受理"));
    // Denied at review: 不予准予, with the reasons the decision gives.
    let id = view.case.id;
    app.act_on_case(&city.clerk, id, None, &Action::Accept).await.expect("accept");
    let rejected = Action::Review { verdict: Verdict::Reject, opinion: "章程修改未经会员大会通过".into() };
    let view = app.act_on_case(&city.reviewer, id, None, &rejected).await.expect("reject");
    let closing = app.tracked_closing(&view).await.expect("closing").expect("closed");
    assert_eq!(closing.verdict, "不予准予");
    assert_eq!(closing.reasons.as_deref(), Some("章程修改未经会员大会通过"));
    assert_eq!(closing.date, app.today(), "the Shanghai date of the close");

    // Not accepted: the reasons of the 不予受理通知书.
    let other = change_application(&CHANGE_MATERIALS, Some("portal-refused"));
    let view = app.submit_case(&city.clerk, &other).await.expect("submit").view;
    let refuse = Action::RefuseAcceptance { reasons: "不属于本机关职权范围".into() };
    let view = app.act_on_case(&city.clerk, view.case.id, None, &refuse).await.expect("refuse");
    let closing = app.tracked_closing(&view).await.expect("closing").expect("closed");
    assert_eq!((closing.verdict, closing.reasons.as_deref()), ("不予受理", Some("不属于本机关职权范围")));
}
on_both!(track_closing, a_closed_case_shows_its_date_and_decision);
