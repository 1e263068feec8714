//! A period that runs from the day of receipt, restarts on a correction and leaves out a
//! third party's consultation (《政府信息公开条例》第三十条至第三十三条), on the engine: the dates
//! across 中秋 and 国庆 2021 (调休 Saturdays 9月18日, 10月9日 and Sunday 9月26日).

use chrono::{DateTime, NaiveDate, Utc};

use crate::access::Role;
use crate::calendar::WorkCalendar;
use crate::catalog::ServiceItem;
use crate::division::{Divisions, Level};
use crate::engine::action::{Action, SpecialKind};
use crate::engine::apply::apply;
use crate::engine::case::{Case, CaseStatus};
use crate::engine::context::{ActorAt, EngineContext};
use crate::engine::deadline::{consultation_deadline, deadline, step_deadline, Warning};
use crate::engine::receipt::{Receipt, ReceiptChannel};
use crate::engine::refusal::Refusal;
use crate::engine::testkit::{at, clerk, decider, draft, step, workdays, ItemBuilder};
use crate::procedure::{ExtensionRule, PauseKind, ReceiptRule, Seat, StepKind};

pub(super) const RECEIPT: &str = "《中华人民共和国政府信息公开条例》第三十一条";
pub(super) const RESTART: &str = "《中华人民共和国政府信息公开条例》第三十条";

pub(super) fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, day).unwrap()
}

/// 10:00 in Shanghai on a day of 2021.
pub(super) fn on(m: u32, day: u32) -> DateTime<Utc> {
    at(2021, m, day, 10, 0)
}

/// 登记 (7 working days to notify a correction) → 答复 → 送达; 20 working days from the receipt,
/// one extension of at most 20, the third party's 15 working days.
pub(super) fn item() -> ServiceItem {
    let mut accept = step("accept", "登记收到申请", StepKind::Accept, Some(Role::Clerk), Seat::Accepting);
    accept.limit = Some(workdays(7, RESTART));
    let mut answer = step("answer", "答复", StepKind::Decide, Some(Role::Decider), Seat::Competent);
    answer.level = Some(Level::County);
    let deliver = step("deliver", "送达", StepKind::Deliver, Some(Role::Clerk), Seat::Accepting);
    let mut item = ItemBuilder::new()
        .statutory(Some(workdays(20, "《中华人民共和国政府信息公开条例》第三十三条第二款")))
        .extension(Some(ExtensionRule {
            max: workdays(20, "《中华人民共和国政府信息公开条例》第三十三条第二款"),
            approver: Role::Decider,
        }))
        .pauses(vec![PauseKind::Supplement, PauseKind::Special])
        .build();
    item.procedure.steps = vec![accept, answer, deliver];
    item.procedure.receipt =
        Some(ReceiptRule { basis: RECEIPT.to_string(), correction_restarts: Some(RESTART.to_string()) });
    item.procedure.consultation = Some(workdays(15, "《中华人民共和国政府信息公开条例》第三十二条"));
    item
}

pub(super) fn ctx() -> EngineContext<'static> {
    EngineContext {
        divisions: Divisions::builtin(),
        calendar: WorkCalendar::builtin(),
        delegations: &[],
        guard: None,
        skip: None,
    }
}

pub(super) fn cal() -> &'static WorkCalendar {
    WorkCalendar::builtin()
}

pub(super) fn act(
    item: &ServiceItem,
    case: &Case,
    actor: &ActorAt,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Case, Refusal> {
    apply(item, case, &action, actor, now, &ctx()).map(|t| t.case)
}

pub(super) fn ok(item: &ServiceItem, case: &Case, actor: &ActorAt, action: Action, now: DateTime<Utc>) -> Case {
    act(item, case, actor, action.clone(), now).unwrap_or_else(|r| panic!("{action:?} refused: {r:?}"))
}

pub(super) fn receipt(channel: ReceiptChannel, submitted_on: NaiveDate, signed_on: Option<NaiveDate>) -> Receipt {
    let confirmed_on = if channel == ReceiptChannel::Post { None } else { signed_on };
    let signed_on = if channel == ReceiptChannel::Post { signed_on } else { None };
    Receipt { channel, submitted_on, signed_on, confirmed_on }
}

/// The test draft, made at `at` (the engine never dates an act before the case's last).
pub(super) fn draft_at(item: &ServiceItem, at: DateTime<Utc>) -> Case {
    let mut case = draft(item);
    case.step_entered_at = at;
    case
}

/// A draft carrying `receipt`, submitted (registered) at `registered`.
pub(super) fn submitted(item: &ServiceItem, receipt: Receipt, registered: DateTime<Utc>) -> Case {
    let mut case = draft_at(item, registered);
    case.receipt = Some(receipt);
    ok(item, &case, &clerk(), Action::Submit, registered)
}

pub(super) fn due(item: &ServiceItem, case: &Case, today: DateTime<Utc>) -> Option<NaiveDate> {
    deadline(item, case, cal(), today).due
}

#[test]
fn the_period_runs_from_the_day_received_by_its_channel_not_the_day_registered() {
    let item = item();
    // Posted on 15 September, signed for on Friday the 17th, registered on Wednesday the 22nd.
    let case = submitted(&item, receipt(ReceiptChannel::Post, d(9, 15), Some(d(9, 17))), on(9, 22));
    let d22 = deadline(&item, &case, cal(), on(9, 22));
    // 18 September (调休 Saturday) counts, 中秋 19–21 and 国庆 1–7 October do not: 21 October.
    assert_eq!(d22.due, Some(d(10, 21)));
    assert!(
        d22.explanation
            .starts_with(&format!("收到申请 2021-09-17（以本机关签收之日为收到申请之日，{RECEIPT}），当日不计")),
        "{}",
        d22.explanation
    );
    // The correction is notified within 7 working days of the receipt: by 28 September.
    assert_eq!(step_deadline(&item, &case, cal(), on(9, 22)).due, Some(d(9, 28)));
    let accepted = ok(&item, &case, &clerk(), Action::Accept, on(9, 23));
    assert_eq!(due(&item, &accepted, on(9, 23)), Some(d(10, 21)));
    // The day the limit ends: nothing left, not overdue; the next working day: overdue by one.
    let last = deadline(&item, &accepted, cal(), on(10, 21));
    assert_eq!((last.remaining_workdays, last.warning), (0, Warning::Yellow));
    let after = deadline(&item, &accepted, cal(), on(10, 22));
    assert_eq!((after.remaining_workdays, after.warning), (-1, Warning::Red));
    // The event records the receipt.
    let mut draft_case = draft_at(&item, on(9, 22));
    draft_case.receipt = Some(receipt(ReceiptChannel::Online, d(9, 16), Some(d(9, 17))));
    let submit = apply(&item, &draft_case, &Action::Submit, &clerk(), on(9, 22), &ctx()).unwrap();
    assert_eq!(
        submit.events[0].payload["receipt"],
        serde_json::json!({ "channel": "online", "received_on": "2021-09-17" })
    );
}

#[test]
fn received_on_a_makeup_saturday_and_on_a_holiday() {
    let item = item();
    // Saturday 9 October 2021 is a working day: the period counts from it.
    let saturday = submitted(&item, receipt(ReceiptChannel::InPerson, d(10, 9), None), on(10, 9));
    assert_eq!(due(&item, &saturday, on(10, 9)), Some(d(11, 5)));
    assert_eq!(step_deadline(&item, &saturday, cal(), on(10, 9)).due, Some(d(10, 19)));
    // Confirmed online on 3 October (国庆), registered on the 8th: the first day counted is the 8th.
    let holiday = submitted(&item, receipt(ReceiptChannel::Online, d(10, 2), Some(d(10, 3))), on(10, 8));
    assert_eq!(step_deadline(&item, &holiday, cal(), on(10, 8)).due, Some(d(10, 15)));
}

#[test]
fn the_receipt_is_required_where_declared_and_refused_elsewhere() {
    let item = item();
    let bare = act(&item, &draft_at(&item, on(9, 22)), &clerk(), Action::Submit, on(9, 22)).unwrap_err();
    assert_eq!(bare.code, "receipt_required");
    assert_eq!(bare.basis.as_deref(), Some(RECEIPT));
    // Posted but no day signed for.
    let mut unsigned = draft_at(&item, on(9, 22));
    unsigned.receipt = Some(receipt(ReceiptChannel::Post, d(9, 15), None));
    assert_eq!(act(&item, &unsigned, &clerk(), Action::Submit, on(9, 22)).unwrap_err().code, "receipt_date_required");
    // Received after the day it is registered.
    let mut later = draft_at(&item, on(9, 22));
    later.receipt = Some(receipt(ReceiptChannel::Post, d(9, 15), Some(d(9, 23))));
    assert_eq!(act(&item, &later, &clerk(), Action::Submit, on(9, 22)).unwrap_err().code, "receipt_after_submission");
    // An item whose period runs from the acceptance takes none.
    let plain = ItemBuilder::new().build();
    let mut stated = draft(&plain);
    stated.receipt = Some(receipt(ReceiptChannel::InPerson, d(9, 27), None));
    assert_eq!(act(&plain, &stated, &clerk(), Action::Submit, on(9, 27)).unwrap_err().code, "receipt_not_applicable");
}

#[test]
fn a_correction_restarts_the_period_from_the_corrected_request() {
    let item = item();
    let mut unclear = draft_at(&item, on(9, 17));
    unclear.materials.retain(|m| m != "proof");
    unclear.receipt = Some(receipt(ReceiptChannel::InPerson, d(9, 17), None));
    let case = ok(&item, &unclear, &clerk(), Action::Submit, on(9, 17));
    assert_eq!(due(&item, &case, on(9, 17)), Some(d(10, 21)));
    let notified =
        ok(&item, &case, &clerk(), Action::NotifyMissing { missing: vec!["proof".into()], until: None }, on(9, 24));
    assert_eq!(notified.status, CaseStatus::AwaitingSupplement);
    // While the correction is awaited no period runs.
    let waiting = deadline(&item, &notified, cal(), on(9, 27));
    assert_eq!(waiting.due, None);
    assert!(
        waiting.explanation.contains("重新计算") && waiting.explanation.contains(RESTART),
        "{}",
        waiting.explanation
    );
    let corrected = ok(&item, &notified, &clerk(), Action::Supplement { materials: vec!["proof".into()] }, on(9, 30));
    // 20 working days from 30 September, not from the 17th: 国庆 and the 调休 Saturday 10-09.
    let restarted = deadline(&item, &corrected, cal(), on(9, 30));
    assert_eq!(restarted.due, Some(d(11, 3)));
    assert!(
        restarted.explanation.starts_with("收到补正后的申请 2021-09-30，重新计算，当日不计"),
        "{}",
        restarted.explanation
    );
    let accepted = ok(&item, &corrected, &clerk(), Action::Accept, on(10, 8));
    assert_eq!(due(&item, &accepted, on(10, 8)), Some(d(11, 3)));
    // One correction notice only (一次性).
    let mut again = corrected.clone();
    again.materials.retain(|m| m != "proof");
    let refusal =
        act(&item, &again, &clerk(), Action::NotifyMissing { missing: vec!["proof".into()], until: None }, on(10, 8));
    assert_eq!(refusal.unwrap_err().code, "notice_already_given");
    // Without the restart, the correction only pauses the clock from the receipt: 9-24..9-30
    // (6 working days with the 调休 Sunday 9-26) are added to 21 October.
    let mut paused_only = item.clone();
    paused_only.procedure.receipt = Some(ReceiptRule { basis: RECEIPT.to_string(), correction_restarts: None });
    assert_eq!(due(&paused_only, &corrected, on(9, 30)), Some(d(10, 29)));
}

#[test]
fn a_consultation_is_not_counted_and_the_third_party_has_fifteen_working_days() {
    let item = item();
    let case = submitted(&item, receipt(ReceiptChannel::InPerson, d(9, 17), None), on(9, 17));
    let case = ok(&item, &case, &clerk(), Action::Accept, on(9, 17));
    assert_eq!(case.step.as_deref(), Some("answer"));
    let consult =
        Action::SpecialStart { kind: SpecialKind::Consultation, reason: "涉及第三方商业秘密".into() };
    let consulting = ok(&item, &case, &decider(), consult.clone(), on(9, 24));
    assert_eq!(consulting.status, CaseStatus::Paused(PauseKind::Special));
    // The third party's 15 working days run over 国庆 to 20 October; on that day it is the last.
    let third = consultation_deadline(&item, &consulting, cal(), on(10, 20)).expect("declared");
    assert_eq!((third.due, third.remaining_workdays), (Some(d(10, 20)), 0));
    assert_eq!(consultation_deadline(&item, &consulting, cal(), on(10, 21)).unwrap().warning, Warning::Red);
    // The opinion back on 12 October: 9-25..10-12 not counted (the sending day, the 24th, is).
    let answered = ok(&item, &consulting, &decider(), Action::SpecialEnd, on(10, 12));
    let d12 = deadline(&item, &answered, cal(), on(10, 12));
    assert_eq!(d12.due, Some(d(11, 3)));
    assert!(d12.explanation.contains("09-25至10-12 征求第三方意见"), "{}", d12.explanation);
    // With the one extension of 10 working days (第三十三条第二款): 17 November.
    let extended =
        ok(&item, &answered, &decider(), Action::Extend { workdays: 10, reason: "需要调取档案".into() }, on(11, 1));
    assert_eq!(due(&item, &extended, on(11, 1)), Some(d(11, 17)));
    let again = act(&item, &extended, &decider(), Action::Extend { workdays: 5, reason: "再次".into() }, on(11, 2));
    assert_eq!(again.unwrap_err().code, "extension_used");
    // An opinion back the day it was asked takes nothing out.
    let same_day = ok(
        &item,
        &ok(&item, &case, &decider(), consult.clone(), on(9, 24)),
        &decider(),
        Action::SpecialEnd,
        at(2021, 9, 24, 16, 0),
    );
    assert_eq!(due(&item, &same_day, on(9, 24)), Some(d(10, 21)));
    // An item that declares no third party's time has no consultation.
    let mut plain = item.clone();
    plain.procedure.consultation = None;
    assert_eq!(act(&plain, &case, &decider(), consult, on(9, 24)).unwrap_err().code, "consultation_not_allowed");
    assert!(consultation_deadline(&plain, &answered, cal(), on(10, 12)).is_none());
}

#[test]
fn a_correction_entered_later_counts_from_the_day_it_arrived() {
    let mut item = item();
    item.procedure.dated_acts = Some(RESTART.to_string());
    let mut unclear = draft_at(&item, on(9, 17));
    unclear.materials.retain(|m| m != "proof");
    unclear.receipt = Some(receipt(ReceiptChannel::InPerson, d(9, 17), None));
    let case = ok(&item, &unclear, &clerk(), Action::Submit, on(9, 17));
    let notified =
        ok(&item, &case, &clerk(), Action::NotifyMissing { missing: vec!["proof".into()], until: None }, on(9, 24));
    let supplement = Action::Supplement { materials: vec!["proof".into()] };
    // The corrected request came by post on 30 September and is entered on 8 October.
    let arrived = crate::engine::dated::act_instant(&item, &notified, d(9, 30), on(10, 8)).unwrap();
    let dated = ok(&item, &notified, &clerk(), supplement.clone(), arrived);
    assert_eq!(due(&item, &dated, on(10, 8)), Some(d(11, 3)));
    // Entered as of the day it is entered, it would run a working day longer.
    let undated = ok(&item, &notified, &clerk(), supplement, on(10, 8));
    assert_eq!(due(&item, &undated, on(10, 8)), Some(d(11, 4)));
    // Not before the notice, not after today.
    let early = crate::engine::dated::act_instant(&item, &notified, d(9, 23), on(10, 8)).unwrap_err();
    assert_eq!(early.code, "act_date_before_last");
}

#[test]
fn the_extension_is_decided_within_the_period_not_after_it() {
    let item = item();
    let case = submitted(&item, receipt(ReceiptChannel::InPerson, d(9, 17), None), on(9, 17));
    let case = ok(&item, &case, &clerk(), Action::Accept, on(9, 17));
    assert_eq!(due(&item, &case, on(9, 17)), Some(d(10, 21)));
    let extend = Action::Extend { workdays: 20, reason: "需要调取档案".into() };
    // On the day the period ends it may still be extended: by 20 working days, to 18 November.
    let buttons = crate::engine::apply::allowed_actions(&item, &case, &decider(), &ctx(), on(10, 21));
    assert!(buttons.contains(&crate::engine::action::ActionKind::Extend), "{buttons:?}");
    let extended = ok(&item, &case, &decider(), extend.clone(), at(2021, 10, 21, 23, 0));
    assert_eq!(due(&item, &extended, on(10, 22)), Some(d(11, 18)));
    // The next working day, Friday 22 October, the period has ended: refused, and no button.
    let late = act(&item, &case, &decider(), extend.clone(), on(10, 22)).unwrap_err();
    assert_eq!(late.code, "extension_period_ended");
    assert!(late.message.contains("2021-10-21"), "{}", late.message);
    let buttons = crate::engine::apply::allowed_actions(&item, &case, &decider(), &ctx(), on(10, 22));
    assert!(!buttons.contains(&crate::engine::action::ActionKind::Extend), "{buttons:?}");
    // A period ending on the eve of 国庆 (received 1 September: due 29 September) is over on the
    // first working day after the holiday, 8 October.
    let early = submitted(&item, receipt(ReceiptChannel::InPerson, d(9, 1), None), on(9, 1));
    let early = ok(&item, &early, &clerk(), Action::Accept, on(9, 1));
    assert_eq!(due(&item, &early, on(9, 1)), Some(d(9, 29)));
    assert_eq!(act(&item, &early, &decider(), extend, on(10, 8)).unwrap_err().code, "extension_period_ended");
}
