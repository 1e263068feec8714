//! A request's periods on the procedure engine: the published item
//! (`catalog/government-information-request/v1.toml`: the receipt by channel, the correction that
//! restarts the period, the consultation of a third party and the one extension declared in its
//! `[procedure]`) run through the engine's acts gives the same due
//! dates as the area's own [`Timeline`], across 中秋 and 国庆 2021 and their 调休 working days
//! (Saturday 18 September, Sunday 26 September, Saturday 9 October).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::{Channel, ReceiptFacts, Step, Timeline};
use crate::access::{Grant, Role};
use crate::calendar::{shanghai_offset, WorkCalendar};
use crate::catalog::{parse_item, ServiceItem};
use crate::division::{DivisionCode, Divisions};
use crate::engine::action::{Action, SpecialKind};
use crate::engine::apply::apply;
use crate::engine::case::{case_number, Case, Channel as CaseChannel, NewCase};
use crate::engine::context::{ActorAt, EngineContext};
use crate::engine::deadline::{consultation_deadline, deadline, step_deadline};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, day).unwrap()
}

/// 10:00 in Shanghai on a day of 2021.
fn on(m: u32, day: u32) -> DateTime<Utc> {
    shanghai_offset().with_ymd_and_hms(2021, m, day, 10, 0, 0).unwrap().with_timezone(&Utc)
}

fn cal() -> &'static WorkCalendar {
    WorkCalendar::builtin()
}

fn item() -> ServiceItem {
    parse_item("catalog/government-information-request/v1.toml", super::outcomes::tests::ITEM)
        .unwrap_or_else(|p| panic!("{}", p.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")))
}

fn staff(role: Role) -> ActorAt {
    ActorAt {
        account_id: Some(1),
        label: format!("account:1:{}", role.as_str()),
        person_id: None,
        grants: vec![Grant { role, division: DivisionCode::parse("511702").unwrap() }],
    }
}

fn act(item: &ServiceItem, case: &Case, role: Role, action: Action, now: DateTime<Utc>) -> Case {
    let ctx =
        EngineContext { divisions: Divisions::builtin(), calendar: cal(), delegations: &[], guard: None, skip: None };
    match apply(item, case, &action, &staff(role), now, &ctx) {
        Ok(transition) => transition.case,
        Err(refusal) => panic!("{action:?} refused: {refusal:?}"),
    }
}

/// A request registered at the 通川区 window at `at`, received as `receipt` says; with
/// its form (material `request`) unless it is to be corrected.
fn registered(item: &ServiceItem, receipt: ReceiptFacts, complete: bool, at: DateTime<Utc>) -> Case {
    let office = DivisionCode::parse("511702").unwrap();
    let new = NewCase {
        id: 1,
        number: case_number(&office, 2021, 1),
        item_slug: item.slug.clone(),
        item_version: item.version.number,
        channel: CaseChannel::Window,
        applicant: 7,
        situation: Some("ordinary".into()),
        materials: if complete { vec!["request".into()] } else { Vec::new() },
        accepting: office.clone(),
        competent: office,
    };
    let mut draft = Case::draft(new, Divisions::builtin(), at);
    draft.receipt = Some(receipt);
    act(item, &draft, Role::Clerk, Action::Submit, at)
}

fn in_person(on: NaiveDate) -> ReceiptFacts {
    ReceiptFacts { channel: Channel::InPerson, submitted_on: on, signed_on: None, confirmed_on: None }
}

/// The engine's due date and the area's, read on `today`; they must agree.
fn both(item: &ServiceItem, case: &Case, timeline: &Timeline, today: NaiveDate) -> Option<NaiveDate> {
    let now = shanghai_offset().from_local_datetime(&today.and_hms_opt(12, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
    let engine = deadline(item, case, cal(), now).due;
    let area = timeline.limits(cal(), today).unwrap().answer_due;
    assert_eq!(engine, area, "engine and area disagree on {today}");
    engine
}

#[test]
fn a_plain_request_posted_and_registered_later() {
    let item = item();
    // Signed for on Friday 17 September, registered on Wednesday the 22nd.
    let posted =
        ReceiptFacts { channel: Channel::Post, submitted_on: d(9, 15), signed_on: Some(d(9, 17)), confirmed_on: None };
    let case = registered(&item, posted, true, on(9, 22));
    let timeline = Timeline::new(posted.receipt_date().unwrap());
    assert_eq!(both(&item, &case, &timeline, d(9, 22)), Some(d(10, 21)));
    // The correction is notified by the 7th working day after the receipt, as the area says.
    let notice_due = step_deadline(&item, &case, cal(), on(9, 22)).due;
    assert_eq!(notice_due, Some(timeline.limits(cal(), d(9, 22)).unwrap().correction_notice_due));
    assert_eq!(notice_due, Some(d(9, 28)));
    let accepted = act(&item, &case, Role::Clerk, Action::Accept, on(9, 23));
    assert_eq!(both(&item, &accepted, &timeline, d(10, 21)), Some(d(10, 21)));
}

#[test]
fn received_on_the_makeup_saturday() {
    let item = item();
    let case = registered(&item, in_person(d(10, 9)), true, on(10, 9));
    let timeline = Timeline::new(d(10, 9));
    assert_eq!(both(&item, &case, &timeline, d(10, 9)), Some(d(11, 5)));
    assert_eq!(step_deadline(&item, &case, cal(), on(10, 9)).due, Some(d(10, 19)));
}

#[test]
fn a_correction_restarts_the_period_on_both() {
    let item = item();
    let case = registered(&item, in_person(d(9, 17)), false, on(9, 17));
    let mut timeline = Timeline::new(d(9, 17));
    let notified = act(
        &item,
        &case,
        Role::Clerk,
        Action::NotifyMissing { missing: vec!["request".into()], until: None },
        on(9, 24),
    );
    timeline.steps.push(Step::CorrectionNotice { on: d(9, 24), until: d(10, 15) });
    assert_eq!(both(&item, &notified, &timeline, d(9, 27)), None);
    let corrected =
        act(&item, &notified, Role::Clerk, Action::Supplement { materials: vec!["request".into()] }, on(9, 30));
    timeline.steps.push(Step::Corrected { on: d(9, 30) });
    assert_eq!(both(&item, &corrected, &timeline, d(9, 30)), Some(d(11, 3)));
    let accepted = act(&item, &corrected, Role::Clerk, Action::Accept, on(10, 8));
    assert_eq!(both(&item, &accepted, &timeline, d(10, 8)), Some(d(11, 3)));
}

#[test]
fn a_consultation_and_an_extension_on_both() {
    let item = item();
    let case = registered(&item, in_person(d(9, 17)), true, on(9, 17));
    let case = act(&item, &case, Role::Clerk, Action::Accept, on(9, 17));
    let mut timeline = Timeline::new(d(9, 17));
    let consult =
        Action::SpecialStart { kind: SpecialKind::Consultation, reason: "涉及第三方商业秘密".into() };
    let consulting = act(&item, &case, Role::Decider, consult, on(9, 24));
    timeline.steps.push(Step::ConsultationStart { on: d(9, 24) });
    // The third party's 15 working days: the engine's clock and the area's stage agree.
    let third = consultation_deadline(&item, &consulting, cal(), on(9, 27)).unwrap().due;
    let stage = timeline.limits(cal(), d(9, 27)).unwrap().stage;
    assert_eq!(stage, super::Stage::Consulting { since: d(9, 24), third_party_due: third.unwrap() });
    assert_eq!(third, Some(d(10, 20)));
    let back = act(&item, &consulting, Role::Decider, Action::SpecialEnd, on(10, 12));
    timeline.steps.push(Step::ConsultationEnd { on: d(10, 12) });
    assert_eq!(both(&item, &back, &timeline, d(10, 12)), Some(d(11, 3)));
    let extended =
        act(&item, &back, Role::Decider, Action::Extend { workdays: 10, reason: "需要调取档案".into() }, on(11, 1));
    timeline.steps.push(Step::Extension { on: d(11, 1), workdays: 10 });
    assert_eq!(both(&item, &extended, &timeline, d(11, 1)), Some(d(11, 17)));
}

#[test]
fn an_uncorrected_request_is_abandoned_on_the_published_item() {
    let item = item();
    let case = registered(&item, in_person(d(9, 17)), false, on(9, 17));
    let notice = Action::NotifyMissing { missing: vec!["request".into()], until: None };
    let notified = act(&item, &case, Role::Clerk, notice, on(9, 24));
    // The item's 15 working days after Friday 24 September: the 调休 Sunday 26 September and
    // Saturday 9 October count, 国庆 does not.
    assert_eq!(notified.correction_until, Some(d(10, 20)));
    // The last day is still in time: a correction then restarts the period from it.
    let late = act(&item, &notified, Role::Clerk, Action::Supplement { materials: vec!["request".into()] }, on(10, 20));
    let mut timeline = Timeline::new(d(9, 17));
    timeline.steps.push(Step::CorrectionNotice { on: d(9, 24), until: d(10, 20) });
    timeline.steps.push(Step::Corrected { on: d(10, 20) });
    assert_eq!(both(&item, &late, &timeline, d(10, 20)), Some(d(11, 17)));
    // Not corrected: at 00:00 after the last day the request is treated as abandoned (第三十条).
    let midnight = shanghai_offset().with_ymd_and_hms(2021, 10, 21, 0, 0, 0).unwrap().with_timezone(&Utc);
    let ctx =
        EngineContext { divisions: Divisions::builtin(), calendar: cal(), delegations: &[], guard: None, skip: None };
    let lapsed = apply(&item, &notified, &Action::TimerExpired, &ActorAt::system(), midnight, &ctx)
        .unwrap_or_else(|refusal| panic!("{refusal:?}"))
        .case;
    let decision = lapsed.decision.expect("closed by a decision");
    assert_eq!(decision.outcome.as_deref(), Some(super::AnswerKind::Abandoned.as_str()));
    assert!(!decision.granted);
}
