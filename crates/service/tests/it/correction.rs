//! The correction's own period and its lapse, declared by an item (`[procedure] correction`;
//! 《政府信息公开条例》第三十条: 说明需要补正的事项和合理的补正期限; 逾期不补正的，视为放弃申请):
//! the one-time notice sets the last day, the sweep closes the case the next 00:00 with the
//! declared lapse outcome, and a last day already past is refused on its field.

use chrono::{NaiveDate, TimeZone, Utc};
use domain::engine::action::Action;
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::{id_number, person_input};

use test_support::items::{CORRECTION_ITEM as ITEM, CORRECTION_PATH as PATH};

fn request(order: u32) -> SubmitCase {
    SubmitCase {
        item: "correction-test".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(person_input("李明", &id_number("511703", "19800101", order), None, "511703")),
        accepting_division: "511703".into(),
        situation: None,
        materials: Vec::new(),
        data: json!({}),
        idempotency_key: None,
    }
}

fn notice(until: Option<NaiveDate>) -> Action {
    Action::NotifyMissing { missing: vec!["request".into()], until }
}

/// `hh:mm` Asia/Shanghai on a day of June 2021.
fn june(day: u32, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2021, 6, day, hour, minute, 0).single())
        .expect("a time")
        .with_timezone(&Utc)
}

async fn a_correction_not_made_in_its_period_lapses_by_the_sweep(db: Db) {
    let t = TestApp::with_items(db, &[(PATH, ITEM)]).await.expect("a test database");
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    t.clock.set(june(1, 10, 0)).expect("Tuesday 1 June");
    let id = app.submit_case(&clerk, &request(1)).await.expect("submit").view.case.id;
    let notified = app.act_on_case(&clerk, id, None, &notice(None)).await.expect("notified");
    // 15 working days after 1 June, 端午 (14 June) not counted.
    let last_day = NaiveDate::from_ymd_opt(2021, 6, 23).unwrap();
    assert_eq!(notified.case.status, CaseStatus::AwaitingSupplement);
    assert_eq!(notified.case.correction_until, Some(last_day));
    assert_eq!(notified.correction_deadline.as_ref().and_then(|d| d.due), Some(last_day));
    // On the last day it is still awaited; the sweep moves nothing.
    assert_eq!(app.sweep_once(june(23, 23, 59)).await.expect("sweep"), 0);
    assert_eq!(app.case(&clerk, id).await.expect("read").case.status, CaseStatus::AwaitingSupplement);
    // At 00:00 the next day the sweep records the lapse: not granted, outcome `abandoned`.
    t.clock.set(june(24, 0, 5)).expect("forward");
    assert_eq!(app.sweep_once(june(24, 0, 0)).await.expect("sweep"), 1);
    let lapsed = app.case(&clerk, id).await.expect("read");
    assert_eq!(lapsed.case.status, CaseStatus::Closed(Outcome::Denied));
    let decision = lapsed.case.decision.as_ref().expect("a decision");
    assert_eq!((decision.outcome.as_deref(), decision.granted), (Some("abandoned"), false));
    assert_eq!(lapsed.outcome.as_ref().map(|o| o.label.as_str()), Some("视为放弃申请"));
    assert!(lapsed.correction_deadline.is_none());
    let events = app.case_events(&clerk, id).await.expect("events");
    let last = events.last().expect("an event");
    assert_eq!(last.act, "case.timer_expired");
    let payload: serde_json::Value = serde_json::from_str(&last.payload).expect("json");
    assert_eq!((payload["lapse"].as_str(), payload["until"].as_str()), (Some("correction"), Some("2021-06-23")));
}
on_both!(lapses_by_the_sweep, a_correction_not_made_in_its_period_lapses_by_the_sweep);

async fn a_last_day_past_or_too_early_is_refused_on_its_field(db: Db) {
    let t = TestApp::with_items(db, &[(PATH, ITEM)]).await.expect("a test database");
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    t.clock.set(june(1, 10, 0)).expect("Tuesday 1 June");
    let id = app.submit_case(&clerk, &request(2)).await.expect("submit").view.case.id;
    let past = app.act_on_case(&clerk, id, None, &notice(NaiveDate::from_ymd_opt(2021, 5, 31))).await.unwrap_err();
    assert_eq!(
        (past.kind, past.code, past.field.as_deref()),
        (ErrorKind::Invalid, "correction_until_past", Some("until"))
    );
    let early = app.act_on_case(&clerk, id, None, &notice(NaiveDate::from_ymd_opt(2021, 6, 22))).await.unwrap_err();
    assert_eq!((early.code, early.field.as_deref()), ("correction_period_too_short", Some("until")));
    // A later day is the notice's; a correction on it restarts nothing but the wait ends.
    let later = NaiveDate::from_ymd_opt(2021, 6, 30);
    let notified = app.act_on_case(&clerk, id, None, &notice(later)).await.expect("notified");
    assert_eq!(notified.case.correction_until, later);
    t.clock.set(june(30, 17, 0)).expect("the last day");
    let supplement = Action::Supplement { materials: vec!["request".into()] };
    let corrected = app.act_on_case(&clerk, id, None, &supplement).await.expect("corrected on the last day");
    assert_eq!(corrected.case.status, CaseStatus::Submitted);
    assert_eq!(app.sweep_once(june(30, 23, 59) + chrono::TimeDelta::days(1)).await.expect("sweep"), 0);
}
on_both!(refused_on_its_field, a_last_day_past_or_too_early_is_refused_on_its_field);
