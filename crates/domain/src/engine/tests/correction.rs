//! The correction's own period and its lapse (《政府信息公开条例》第三十条: 一次性告知申请人作出补正，
//! 说明需要补正的事项和合理的补正期限; 申请人无正当理由逾期不补正的，视为放弃申请), on the engine:
//! dates across 国庆 2021 and the 调休 Saturday 10月9日, the day the period ends (still
//! correctable) and the next 00:00 (lapsed), a correction on the last day restarting the period.

use chrono::{DateTime, NaiveDate, Utc};

use super::receipt::{act, cal, ctx, d, draft_at, due, item, ok, on, receipt, RESTART};
use crate::catalog::{OutcomeDef, Outcomes, ServiceItem};
use crate::engine::action::{Action, ActionKind};
use crate::engine::apply::{allowed_actions, apply, settled};
use crate::engine::case::{Case, CaseStatus, Outcome};
use crate::engine::context::ActorAt;
use crate::engine::deadline::{correction_timer, current_timer};
use crate::engine::receipt::ReceiptChannel;
use crate::engine::testkit::{at, clerk, workdays};
use crate::procedure::CorrectionRule;

fn outcome(key: &str, label: &str, grants: bool) -> OutcomeDef {
    OutcomeDef {
        key: key.into(),
        label: label.into(),
        grants,
        notice: String::new(),
        basis: RESTART.into(),
        steps: Vec::new(),
        form: crate::form::FormSpec::default(),
    }
}

/// The item of `receipt.rs` with a correction period of 15 working days whose lapse is
/// `abandoned` (视为放弃申请).
fn corrected_item() -> ServiceItem {
    let mut item = item();
    item.outcomes = Outcomes {
        list: vec![
            outcome("provided", "予以提供", true),
            outcome("refused", "不予提供", false),
            outcome("abandoned", "视为放弃申请", false),
        ],
        declared: true,
        grant_default: "provided".into(),
        refusal_default: Some("refused".into()),
    };
    item.procedure.correction =
        Some(CorrectionRule { period: workdays(15, RESTART), lapse_outcome: "abandoned".into() });
    item
}

/// A request received in person on `received` and registered that day, without its `proof`.
fn unclear(item: &ServiceItem, received: NaiveDate, registered: DateTime<Utc>) -> Case {
    let mut draft = draft_at(item, registered);
    draft.materials.retain(|m| m != "proof");
    draft.receipt = Some(receipt(ReceiptChannel::InPerson, received, None));
    ok(item, &draft, &clerk(), Action::Submit, registered)
}

fn notify(until: Option<NaiveDate>) -> Action {
    Action::NotifyMissing { missing: vec!["proof".into()], until }
}

fn supplement() -> Action {
    Action::Supplement { materials: vec!["proof".into()] }
}

/// 00:00 Asia/Shanghai on a day of 2021.
fn midnight(m: u32, day: u32) -> DateTime<Utc> {
    at(2021, m, day, 0, 0)
}

#[test]
fn the_declared_period_runs_from_the_notice_across_national_day() {
    let item = corrected_item();
    let case = unclear(&item, d(9, 17), on(9, 17));
    let notified = ok(&item, &case, &clerk(), notify(None), on(9, 24));
    // 15 working days after Friday 24 September: the 调休 Sunday 9-26 and Saturday 10-09 count,
    // 国庆 10-01..10-07 does not.
    assert_eq!(notified.correction_until, Some(d(10, 20)));
    let timer = correction_timer(&item, &notified, cal(), on(9, 27)).expect("awaiting the correction");
    assert_eq!(timer.due, Some(d(10, 20)));
    assert!(timer.explanation.contains("补正期限至 2021-10-20") && timer.explanation.contains(RESTART));
    // The sweep's column is that timer.
    assert_eq!(current_timer(&item, &notified, cal(), on(9, 27)).and_then(|t| t.due), Some(d(10, 20)));
    // A notice given on the 调休 Saturday 10-09: its 15 working days end on 29 October.
    let saturday = unclear(&item, d(10, 8), on(10, 8));
    let notified_saturday = ok(&item, &saturday, &clerk(), notify(None), on(10, 9));
    assert_eq!(notified_saturday.correction_until, Some(d(10, 29)));
}

#[test]
fn still_correctable_on_the_last_day_and_lapsed_the_next_midnight() {
    let item = corrected_item();
    let notified = ok(&item, &unclear(&item, d(9, 17), on(9, 17)), &clerk(), notify(None), on(9, 24));
    let last_evening = at(2021, 10, 20, 23, 59);
    // On the last day: awaited, the supplement offered, the system's expiry refused.
    assert_eq!(settled(&item, &notified, &ctx(), last_evening).status, CaseStatus::AwaitingSupplement);
    let buttons = allowed_actions(&item, &notified, &clerk(), &ctx(), last_evening);
    assert!(buttons.contains(&ActionKind::Supplement), "{buttons:?}");
    let early = act(&item, &notified, &ActorAt::system(), Action::TimerExpired, last_evening).unwrap_err();
    assert_eq!(early.code, "timer_not_expired");
    // At 00:00 the next day the lapse has taken effect: closed, not granting, outcome `abandoned`.
    let lapse = apply(&item, &notified, &Action::TimerExpired, &ActorAt::system(), midnight(10, 21), &ctx()).unwrap();
    let closed = &lapse.case;
    assert_eq!(closed.status, CaseStatus::Closed(Outcome::Denied));
    let decision = closed.decision.as_ref().expect("a decision");
    assert_eq!((decision.outcome.as_deref(), decision.granted), (Some("abandoned"), false));
    assert!(decision.reasons.contains("2021-10-20"), "{}", decision.reasons);
    let event = &lapse.events[0].payload;
    assert_eq!(lapse.events[0].act, "case.timer_expired");
    assert_eq!((event["lapse"].as_str(), event["decision_outcome"].as_str()), (Some("correction"), Some("abandoned")));
    assert_eq!(event["until"], "2021-10-20");
    // A supplement brought after it is refused: the case has ended.
    let late = act(&item, &notified, &clerk(), supplement(), at(2021, 10, 21, 9, 0)).unwrap_err();
    assert_eq!(late.code, "case_closed");
    // Without a declared correction period the case waits, with no timer.
    let mut plain = item.clone();
    plain.procedure.correction = None;
    let waiting = ok(&plain, &unclear(&plain, d(9, 17), on(9, 17)), &clerk(), notify(None), on(9, 24));
    assert_eq!(waiting.correction_until, None);
    assert!(current_timer(&plain, &waiting, cal(), on(11, 30)).is_none());
    assert_eq!(settled(&plain, &waiting, &ctx(), on(11, 30)).status, CaseStatus::AwaitingSupplement);
}

#[test]
fn a_correction_on_the_last_day_restarts_the_period() {
    let item = corrected_item();
    let notified = ok(&item, &unclear(&item, d(9, 17), on(9, 17)), &clerk(), notify(None), on(9, 24));
    let corrected = ok(&item, &notified, &clerk(), supplement(), at(2021, 10, 20, 16, 0));
    assert_eq!(corrected.status, CaseStatus::Submitted);
    // No timer any more; the 20 working days run anew from 20 October (that day not counted).
    assert!(correction_timer(&item, &corrected, cal(), midnight(10, 21)).is_none());
    assert_eq!(settled(&item, &corrected, &ctx(), midnight(10, 22)).status, CaseStatus::Submitted);
    assert_eq!(due(&item, &corrected, on(10, 21)), Some(d(11, 17)));
    // The notice's day stays on record.
    assert_eq!(corrected.correction_until, Some(d(10, 20)));
}

#[test]
fn a_stated_last_day_is_not_past_nor_shorter_than_the_declared_period() {
    let item = corrected_item();
    let case = unclear(&item, d(9, 17), on(9, 17));
    let past = act(&item, &case, &clerk(), notify(Some(d(9, 23))), on(9, 24)).unwrap_err();
    assert_eq!((past.code, past.field), ("correction_until_past", Some("until")));
    let short = act(&item, &case, &clerk(), notify(Some(d(10, 19))), on(9, 24)).unwrap_err();
    assert_eq!((short.code, short.field), ("correction_period_too_short", Some("until")));
    assert!(short.message.contains("2021-10-20"), "{}", short.message);
    // The declared period's own last day, or a later one, is taken as stated.
    assert_eq!(ok(&item, &case, &clerk(), notify(Some(d(10, 20))), on(9, 24)).correction_until, Some(d(10, 20)));
    let longer = ok(&item, &case, &clerk(), notify(Some(d(10, 29))), on(9, 24));
    assert_eq!(longer.correction_until, Some(d(10, 29)));
    assert_eq!(current_timer(&item, &longer, cal(), on(10, 21)).and_then(|t| t.due), Some(d(10, 29)));
    assert_eq!(settled(&item, &longer, &ctx(), at(2021, 10, 29, 23, 0)).status, CaseStatus::AwaitingSupplement);
    assert!(settled(&item, &longer, &ctx(), midnight(10, 30)).is_closed());
    // An item that declares no correction period takes no day.
    let mut plain = item.clone();
    plain.procedure.correction = None;
    let refused = act(&plain, &case, &clerk(), notify(Some(d(10, 29))), on(9, 24)).unwrap_err();
    assert_eq!((refused.code, refused.field), ("correction_period_not_declared", Some("until")));
}
