//! Every act, allowed and refused, on the sample procedure (testkit::sample_steps).

use chrono::{DateTime, Duration, Utc};

use crate::access::Role;
use crate::calendar::WorkCalendar;
use crate::catalog::{AcceptAnywhere, ServiceItem};
use crate::division::{Divisions, Level};
use crate::engine::action::{Action, ActionKind, DeliveryMethod, SpecialKind, Verdict};
use crate::engine::apply::{allowed_actions, apply, settled, Transition};
use crate::engine::case::{Authority, Case, CaseStatus, CrossRegion, Outcome};
use crate::engine::context::{ActorAt, Delegation, EngineContext, GuardHook, SkipHook};
use crate::engine::refusal::Refusal;
use crate::engine::table::permits;
use crate::engine::testkit::{at, citizen, clerk, code, date, decider, draft, reviewer, staff, ItemBuilder, APPLICANT};
use crate::procedure::{PauseKind, TimerOutcome};

/// The fixture: an item, the delegations in force and an optional guard hook; every act goes
/// through [`Fx::act`], which checks what must hold of every act.
struct Fx<'h> {
    item: ServiceItem,
    delegations: Vec<Delegation>,
    guard: Option<GuardHook<'h>>,
    skip: Option<SkipHook<'h>>,
}

/// Monday 2021-09-27 09:00 in Shanghai plus `hours`.
fn t(hours: i64) -> DateTime<Utc> {
    at(2021, 9, 27, 9, 0) + Duration::hours(hours)
}

impl<'h> Fx<'h> {
    fn new(item: ServiceItem) -> Fx<'h> {
        Fx { item, delegations: Vec::new(), guard: None, skip: None }
    }

    fn sample() -> Fx<'h> {
        Fx::new(ItemBuilder::new().build())
    }

    fn ctx(&self) -> EngineContext<'_> {
        EngineContext {
            divisions: Divisions::builtin(),
            calendar: WorkCalendar::builtin(),
            delegations: &self.delegations,
            guard: self.guard,
            skip: self.skip,
        }
    }

    /// Applies and checks the invariants of every act: a success is +1 revision with events and
    /// its kind was offered; a refusal is exactly what the table says when the kind is not
    /// offered.
    fn act(&self, case: &Case, actor: &ActorAt, action: Action, now: DateTime<Utc>) -> Result<Transition, Refusal> {
        let ctx = self.ctx();
        let before = case.clone();
        let result = apply(&self.item, case, &action, actor, now, &ctx);
        let offered = allowed_actions(&self.item, case, actor, &ctx, now).contains(&action.kind());
        assert_eq!(case, &before);
        match &result {
            Ok(transition) => {
                assert!(offered, "{:?} succeeded but was not offered", action.kind());
                assert_eq!(transition.case.revision, case.revision + 1);
                assert!(!transition.events.is_empty());
            }
            // Offered, then refused for its data or by a named guard.
            Err(_) if offered => {}
            Err(refusal) => {
                // The table decides on the case as the law has it at `now`.
                let current = if action.kind() == ActionKind::TimerExpired {
                    case.clone()
                } else {
                    settled(&self.item, case, &ctx, now)
                };
                let table = permits(&self.item, &current, action.kind(), actor, &ctx, now).unwrap_err();
                assert_eq!(refusal, &table, "not offered, so refused by the table itself");
            }
        }
        result
    }

    fn ok(&self, case: &Case, actor: &ActorAt, action: Action, now: DateTime<Utc>) -> Case {
        match self.act(case, actor, action.clone(), now) {
            Ok(transition) => transition.case,
            Err(refusal) => panic!("{action:?} refused: {refusal:?}"),
        }
    }

    fn events(&self, case: &Case, actor: &ActorAt, action: Action, now: DateTime<Utc>) -> Transition {
        self.act(case, actor, action.clone(), now).unwrap_or_else(|r| panic!("{action:?} refused: {r:?}"))
    }

    fn refused(&self, case: &Case, actor: &ActorAt, action: Action, now: DateTime<Utc>) -> Refusal {
        match self.act(case, actor, action.clone(), now) {
            Ok(_) => panic!("{action:?} should have been refused"),
            Err(refusal) => refusal,
        }
    }

    fn allowed(&self, case: &Case, actor: &ActorAt, now: DateTime<Utc>) -> Vec<ActionKind> {
        allowed_actions(&self.item, case, actor, &self.ctx(), now)
    }

    fn submitted(&self) -> Case {
        self.ok(&draft(&self.item), &clerk(), Action::Submit, t(0))
    }

    /// Accepted on Monday 2021-09-27 10:00; at the review step.
    fn accepted(&self) -> Case {
        self.ok(&self.submitted(), &clerk(), Action::Accept, t(1))
    }

    fn at_decide(&self) -> Case {
        let case = self.ok(&self.accepted(), &reviewer(), approve(), t(2));
        assert_eq!(case.step.as_deref(), Some("publicity"));
        // 公示 7 日 from 09-27 ends 10-04 (国庆) → 10-08; expired on 10-09.
        let case = self.ok(&case, &ActorAt::system(), Action::TimerExpired, at(2021, 10, 9, 0, 30));
        assert_eq!(case.step.as_deref(), Some("decide"));
        case
    }
}

fn approve() -> Action {
    Action::Review { verdict: Verdict::Approve, opinion: "符合条件".into() }
}

fn grant() -> Action {
    Action::Decide { grant: true, reasons: String::new(), basis: String::new() }
}

fn stranger() -> ActorAt {
    citizen(APPLICANT + 1)
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn submit() {
    let fx = Fx::sample();
    let case = draft(&fx.item);
    let by_clerk = fx.events(&case, &clerk(), Action::Submit, t(0));
    assert_eq!(by_clerk.case.status, CaseStatus::Submitted);
    assert_eq!(by_clerk.case.step.as_deref(), Some("accept"));
    assert_eq!(by_clerk.case.submitted_at, Some(t(0)));
    assert_eq!(by_clerk.events[0].act, "case.submit");
    assert_eq!(by_clerk.events[0].payload["cross_region"], "none");
    assert_eq!(by_clerk.events[0].payload["revision"], 1);
    // The applicant online.
    assert_eq!(fx.ok(&case, &citizen(APPLICANT), Action::Submit, t(0)).status, CaseStatus::Submitted);
    // Someone else, a reviewer, a clerk elsewhere.
    assert_eq!(fx.refused(&case, &stranger(), Action::Submit, t(0)).code, "not_permitted");
    assert_eq!(fx.refused(&case, &reviewer(), Action::Submit, t(0)).code, "not_permitted");
    assert_eq!(fx.refused(&case, &staff(9, Role::Clerk, "511703"), Action::Submit, t(0)).code, "not_permitted");
    // Twice.
    assert_eq!(fx.refused(&by_clerk.case, &clerk(), Action::Submit, t(1)).code, "wrong_status");
    // Bad data.
    let mut odd = case.clone();
    odd.situation = Some("nonexistent".into());
    assert_eq!(fx.refused(&odd, &clerk(), Action::Submit, t(0)).code, "unknown_situation");
    let mut odd = case.clone();
    odd.materials.push("passport".into());
    assert_eq!(fx.refused(&odd, &clerk(), Action::Submit, t(0)).code, "unknown_material");
}

/// An item a township accepts (低保, 《社会救助暂行办法》第十一条第一项): the township's officer
/// is its window and takes the application in; an officer elsewhere, or a reviewer, is not.
#[test]
fn the_role_that_accepts_also_takes_the_application_in() {
    let fx = Fx::new(
        ItemBuilder::new()
            .edit_step("accept", |s| {
                s.role = Some(Role::TownshipOfficer);
                s.level = Some(Level::Township);
            })
            .build(),
    );
    assert_eq!(fx.item.procedure.window_roles(), vec![Role::Clerk, Role::TownshipOfficer]);
    let mut case = draft(&fx.item);
    case.accepting = code("511702001");
    let officer = staff(9, Role::TownshipOfficer, "511702001");
    let submitted = fx.ok(&case, &officer, Action::Submit, t(0));
    assert_eq!(submitted.status, CaseStatus::Submitted);
    assert_eq!(fx.ok(&submitted, &officer, Action::Accept, t(1)).status, CaseStatus::InProgress);
    assert_eq!(
        fx.refused(&case, &staff(9, Role::TownshipOfficer, "511702002"), Action::Submit, t(0)).code,
        "not_permitted"
    );
    assert_eq!(fx.refused(&case, &reviewer(), Action::Submit, t(0)).code, "not_permitted");
    // The sample item is accepted by a clerk: a township officer is no window for it.
    let sample = Fx::sample();
    assert_eq!(sample.item.procedure.window_roles(), vec![Role::Clerk]);
    let refusal =
        sample.refused(&draft(&sample.item), &staff(9, Role::TownshipOfficer, "511702"), Action::Submit, t(0));
    assert_eq!(refusal.code, "not_permitted");
    // Taken in at the county for a township's acceptance: refused, nothing is created.
    let mut county = draft(&fx.item);
    county.accepting = code("511702");
    assert_eq!(fx.refused(&county, &clerk(), Action::Submit, t(0)).code, "accepting_division_level");
}

#[test]
fn submit_where_the_item_may_not_be_accepted() {
    let fx = Fx::new(ItemBuilder::new().accept_anywhere(AcceptAnywhere::Hukou).build());
    let mut case = draft(&fx.item);
    case.accepting = code("511703");
    let refusal = fx.refused(&case, &staff(9, Role::Clerk, "511703"), Action::Submit, t(0));
    assert_eq!(refusal.code, "not_accepted_here");
    assert!(refusal.basis.unwrap().contains("国办发〔2020〕35号"));
}

#[test]
fn accept() {
    let fx = Fx::sample();
    let submitted = fx.submitted();
    let transition = fx.events(&submitted, &clerk(), Action::Accept, t(1));
    let case = &transition.case;
    assert_eq!(case.status, CaseStatus::InProgress);
    assert_eq!(case.accepted_at, Some(t(1)));
    // Not cross-region: forward and receive are skipped.
    assert_eq!(case.step.as_deref(), Some("review"));
    let payload = &transition.events[0].payload;
    assert_eq!(transition.events[0].act, "case.accept");
    assert_eq!(payload["completed"]["skipped"], serde_json::json!(["forward", "receive"]));
    assert_eq!(payload["completed"]["notices"], serde_json::json!(["acceptance_notice"]));
    assert_eq!(payload["completed"]["guards"], serde_json::json!(["applicant_identity"]));
    assert_eq!(payload["completed"]["guards_checked"], false);
    assert_eq!(payload["division"], "511702");

    assert_eq!(fx.refused(&submitted, &reviewer(), Action::Accept, t(1)).code, "not_permitted");
    assert_eq!(fx.refused(&submitted, &citizen(APPLICANT), Action::Accept, t(1)).code, "not_permitted");
    assert_eq!(fx.refused(case, &clerk(), Action::Accept, t(2)).code, "wrong_step");
    assert_eq!(fx.refused(&draft(&fx.item), &clerk(), Action::Accept, t(1)).code, "wrong_status");
}

#[test]
fn accept_needs_the_materials_but_tolerates_what_may_follow() {
    let fx = Fx::sample();
    let mut case = fx.submitted();
    case.materials.retain(|m| m != "proof" && m != "photo");
    let refusal = fx.refused(&case, &clerk(), Action::Accept, t(1));
    assert_eq!(refusal.code, "materials_incomplete");
    assert!(refusal.message.contains("证明材料"), "{}", refusal.message);
    assert!(!refusal.message.contains("照片"), "the photo is 容缺: {}", refusal.message);
    assert!(refusal.basis.unwrap().contains("第三十二条"));
    case.materials.push("proof".into());
    let transition = fx.events(&case, &clerk(), Action::Accept, t(1));
    assert_eq!(transition.events[0].payload["tolerated"], serde_json::json!(["photo"]));
}

#[test]
fn an_instant_item_is_finished_on_the_spot() {
    let fx = Fx::new(ItemBuilder::new().instant().build());
    let submitted = fx.submitted();
    let transition = fx.events(&submitted, &clerk(), Action::Accept, t(1));
    let acts: Vec<&str> = transition.events.iter().map(|e| e.act).collect();
    assert_eq!(acts, ["case.accept", "case.decide", "case.deliver"]);
    let case = &transition.case;
    assert_eq!(case.status, CaseStatus::Closed(Outcome::Granted));
    assert_eq!((case.accepted_at, case.closed_at), (Some(t(1)), Some(t(1))));
    assert_eq!(case.step, None);
    assert_eq!(case.revision, submitted.revision + 1);
    let decision = case.decision.as_ref().unwrap();
    assert!(decision.granted);
    assert_eq!(decision.authority, Authority::Own);
    assert_eq!(decision.basis, "《测试条例》第一条");
    assert_eq!(case.delivery.as_ref().unwrap().method, DeliveryMethod::OnSite);
    // Every step's guards, effects and notices are on record.
    let done: Vec<&str> = transition.events[1].payload["completed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        done,
        ["forward", "receive", "review", "publicity", "decide", "produce", "return_result", "issue", "deliver"]
    );
    // On the spot needs every material, 容缺 ones too.
    let mut short = submitted.clone();
    short.materials.retain(|m| m != "photo");
    assert_eq!(fx.refused(&short, &clerk(), Action::Accept, t(1)).code, "materials_incomplete");
}

#[test]
fn one_time_notice() {
    let fx = Fx::sample();
    let mut case = fx.submitted();
    assert!(!fx.allowed(&case, &clerk(), t(1)).contains(&ActionKind::NotifyMissing));
    assert_eq!(
        fx.refused(&case, &clerk(), Action::NotifyMissing { missing: ids(&["proof"]), until: None }, t(1)).code,
        "nothing_missing"
    );
    case.materials.retain(|m| m != "proof" && m != "photo");
    assert!(fx.allowed(&case, &clerk(), t(1)).contains(&ActionKind::NotifyMissing));
    // Names something not missing (the letter is optional, the application was brought).
    for extra in ["letter", "application", "id_card"] {
        let action = Action::NotifyMissing { missing: ids(&["proof", "photo", extra]), until: None };
        let refusal = fx.refused(&case, &clerk(), action, t(1));
        assert_eq!(refusal.code, "notice_not_missing", "{extra}");
    }
    // Must name everything at once.
    let refusal = fx.refused(&case, &clerk(), Action::NotifyMissing { missing: ids(&["proof"]), until: None }, t(1));
    assert_eq!(refusal.code, "notice_incomplete");
    assert!(refusal.message.contains("近期免冠照片"), "{}", refusal.message);
    let refusal = fx.refused(&case, &clerk(), Action::NotifyMissing { missing: ids(&["nothing"]), until: None }, t(1));
    assert_eq!(refusal.code, "unknown_material");
    assert_eq!(
        fx.refused(&case, &reviewer(), Action::NotifyMissing { missing: ids(&["proof", "photo"]), until: None }, t(1))
            .code,
        "not_permitted"
    );

    let action = Action::NotifyMissing { missing: ids(&["photo", "proof", "proof"]), until: None };
    let transition = fx.events(&case, &clerk(), action, t(1));
    let notified = &transition.case;
    assert_eq!(notified.status, CaseStatus::AwaitingSupplement);
    assert_eq!(notified.missing, ids(&["photo", "proof"]));
    let pause = notified.open_pause().unwrap();
    assert_eq!((pause.kind, pause.start), (PauseKind::Supplement, t(1)));
    assert_eq!(transition.events[0].payload["names"], serde_json::json!(["近期免冠照片", "证明材料"]));

    // Supplement: all of it, by the applicant or at the window.
    let partial = Action::Supplement { materials: ids(&["proof"]) };
    let refusal = fx.refused(notified, &citizen(APPLICANT), partial, t(30));
    assert_eq!(refusal.code, "supplement_incomplete");
    assert!(refusal.message.contains("近期免冠照片"));
    let full = Action::Supplement { materials: ids(&["proof", "photo"]) };
    assert_eq!(fx.refused(notified, &stranger(), full.clone(), t(30)).code, "not_permitted");
    assert_eq!(fx.refused(notified, &clerk(), Action::Accept, t(30)).code, "wrong_status");
    let supplemented = fx.ok(notified, &citizen(APPLICANT), full.clone(), t(30));
    assert_eq!(supplemented.status, CaseStatus::Submitted);
    assert!(supplemented.missing.is_empty() && supplemented.open_pause().is_none());
    assert_eq!(supplemented.pauses[0].end, Some(t(30)));
    assert_eq!(fx.ok(notified, &clerk(), full, t(30)).status, CaseStatus::Submitted);
    assert_eq!(
        fx.refused(&supplemented, &clerk(), Action::Supplement { materials: vec![] }, t(31)).code,
        "wrong_status"
    );

    // One notice only.
    let mut again = supplemented.clone();
    again.materials.retain(|m| m != "proof");
    let refusal = fx.refused(&again, &clerk(), Action::NotifyMissing { missing: ids(&["proof"]), until: None }, t(31));
    assert_eq!(refusal.code, "notice_already_given");
    assert_eq!(fx.ok(&supplemented, &clerk(), Action::Accept, t(31)).status, CaseStatus::InProgress);
}

#[test]
fn refuse_acceptance() {
    let fx = Fx::sample();
    let case = fx.submitted();
    let refusal = fx.refused(&case, &clerk(), Action::RefuseAcceptance { reasons: " ".into() }, t(1));
    assert_eq!(refusal.code, "reasons_required");
    assert!(refusal.basis.unwrap().contains("第七十二条"));
    let action = Action::RefuseAcceptance { reasons: "不属于本机关职权范围".into() };
    assert_eq!(fx.refused(&case, &reviewer(), action.clone(), t(1)).code, "not_permitted");
    let closed = fx.ok(&case, &clerk(), action.clone(), t(1));
    assert_eq!(closed.status, CaseStatus::Closed(Outcome::NotAccepted));
    assert_eq!((closed.step.as_deref(), closed.closed_at), (None, Some(t(1))));

    // While awaiting a supplement: the pause ends with the case.
    let mut short = case.clone();
    short.materials.retain(|m| m != "proof");
    let notified = fx.ok(&short, &clerk(), Action::NotifyMissing { missing: ids(&["proof"]), until: None }, t(1));
    let closed = fx.ok(&notified, &clerk(), action.clone(), t(50));
    assert!(closed.open_pause().is_none());
    // Not after acceptance.
    assert_eq!(fx.refused(&fx.accepted(), &clerk(), action, t(2)).code, "wrong_status");
}

#[test]
fn assign() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let assigned = fx.ok(&case, &reviewer(), Action::Assign { account: 42 }, t(2));
    assert_eq!(assigned.assignee, Some(42));
    assert_eq!(fx.refused(&case, &reviewer(), Action::Assign { account: 0 }, t(2)).code, "invalid_account");
    assert_eq!(fx.refused(&case, &clerk(), Action::Assign { account: 42 }, t(2)).code, "not_permitted");
    assert_eq!(fx.refused(&draft(&fx.item), &clerk(), Action::Assign { account: 42 }, t(2)).code, "wrong_status");
    // The next step starts unassigned.
    assert_eq!(fx.ok(&assigned, &reviewer(), approve(), t(3)).assignee, None);
}

#[test]
fn review_approve_return_reject() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let approved = fx.ok(&case, &reviewer(), approve(), t(2));
    assert_eq!(approved.step.as_deref(), Some("publicity"));
    // A reviewer of another county, a clerk, a city reviewer (reaching down).
    assert_eq!(fx.refused(&case, &staff(9, Role::Reviewer, "511703"), approve(), t(2)).code, "not_permitted");
    assert_eq!(fx.refused(&case, &clerk(), approve(), t(2)).code, "not_permitted");
    assert_eq!(fx.ok(&case, &staff(9, Role::Reviewer, "511700"), approve(), t(2)).step.as_deref(), Some("publicity"));

    // 退回 to the acceptance step, which passes it on again; the acceptance date stays.
    let back = Action::Review { verdict: Verdict::Return, opinion: "照片不清晰".into() };
    let returned = fx.ok(&case, &reviewer(), back, t(2));
    assert_eq!((returned.status, returned.step.as_deref()), (CaseStatus::InProgress, Some("accept")));
    assert_eq!(
        fx.allowed(&returned, &clerk(), t(3)),
        [ActionKind::Accept, ActionKind::Assign, ActionKind::SpecialStart, ActionKind::Suspend, ActionKind::Withdraw]
    );
    let again = fx.events(&returned, &clerk(), Action::Accept, t(3));
    assert_eq!(again.case.step.as_deref(), Some("review"));
    assert_eq!(again.case.accepted_at, case.accepted_at);
    assert_eq!(again.events[0].payload["again"], true);
    let silent = Action::Review { verdict: Verdict::Return, opinion: String::new() };
    assert_eq!(fx.refused(&case, &reviewer(), silent, t(2)).code, "opinion_required");
    let nowhere = Fx::new(ItemBuilder::new().edit_step("review", |s| s.on_return = None).build());
    let back = Action::Review { verdict: Verdict::Return, opinion: "退回".into() };
    assert_eq!(nowhere.refused(&nowhere.accepted(), &reviewer(), back, t(2)).code, "no_return_step");

    // 不予通过: denied, the opinion as reasons.
    let reject = Action::Review { verdict: Verdict::Reject, opinion: "不符合条件".into() };
    let denied = fx.ok(&case, &reviewer(), reject, t(2));
    assert_eq!(denied.status, CaseStatus::Closed(Outcome::Denied));
    let decision = denied.decision.unwrap();
    assert!(!decision.granted);
    assert_eq!((decision.reasons.as_str(), decision.division.as_str()), ("不符合条件", "511702"));
    let reject = Action::Review { verdict: Verdict::Reject, opinion: String::new() };
    assert_eq!(fx.refused(&case, &reviewer(), reject, t(2)).code, "opinion_required");
    assert_eq!(fx.refused(&fx.submitted(), &reviewer(), approve(), t(2)).code, "wrong_status");
}

#[test]
fn special_procedures_pause_the_clock() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let start = Action::SpecialStart { kind: SpecialKind::ExpertReview, reason: "需专家评审".into() };
    let transition = fx.events(&case, &reviewer(), start.clone(), t(2));
    let paused = &transition.case;
    assert_eq!(paused.status, CaseStatus::Paused(PauseKind::Special));
    assert_eq!(paused.open_pause().unwrap().special, Some(SpecialKind::ExpertReview));
    assert_eq!(transition.events[0].payload["notices"], serde_json::json!(["special_procedure_notice"]));
    // One pause at a time; nothing else moves while paused.
    assert_eq!(fx.refused(paused, &reviewer(), start.clone(), t(3)).code, "wrong_status");
    let suspend = Action::Suspend { reason: "等待法院判决".into() };
    assert_eq!(fx.refused(paused, &reviewer(), suspend, t(3)).code, "wrong_status");
    assert_eq!(fx.refused(paused, &reviewer(), approve(), t(3)).code, "wrong_status");
    assert_eq!(fx.refused(paused, &reviewer(), Action::Resume, t(3)).code, "wrong_status");
    assert_eq!(fx.refused(paused, &clerk(), Action::SpecialEnd, t(3)).code, "not_permitted");
    let resumed = fx.ok(paused, &reviewer(), Action::SpecialEnd, t(3));
    assert_eq!(resumed.status, CaseStatus::InProgress);
    assert_eq!(resumed.pauses[0].end, Some(t(3)));
    assert_eq!(fx.refused(&resumed, &reviewer(), Action::SpecialEnd, t(4)).code, "wrong_status");

    let unexplained = Action::SpecialStart { kind: SpecialKind::Hearing, reason: String::new() };
    assert_eq!(fx.refused(&case, &reviewer(), unexplained, t(2)).code, "reasons_required");
    let plain = Fx::new(ItemBuilder::new().pauses(vec![PauseKind::Supplement]).build());
    let refusal = plain.refused(&plain.accepted(), &reviewer(), start, t(2));
    assert_eq!(refusal.code, "pause_not_allowed");
    assert!(refusal.basis.unwrap().contains("第四十五条"));
}

#[test]
fn suspend_and_resume() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let suspend = Action::Suspend { reason: "申请人下落不明".into() };
    let suspended = fx.ok(&case, &reviewer(), suspend.clone(), t(2));
    assert_eq!(suspended.status, CaseStatus::Paused(PauseKind::Suspend));
    assert_eq!(fx.refused(&suspended, &reviewer(), Action::SpecialEnd, t(3)).code, "wrong_status");
    let resumed = fx.ok(&suspended, &reviewer(), Action::Resume, t(3));
    assert_eq!(resumed.status, CaseStatus::InProgress);
    assert_eq!(fx.refused(&case, &reviewer(), Action::Suspend { reason: "".into() }, t(2)).code, "reasons_required");
    assert_eq!(fx.refused(&case, &clerk(), suspend.clone(), t(2)).code, "not_permitted");
    let plain = Fx::new(ItemBuilder::new().pauses(vec![PauseKind::Special]).build());
    assert_eq!(plain.refused(&plain.accepted(), &reviewer(), suspend, t(2)).code, "pause_not_allowed");
}

#[test]
fn extend_once_by_the_approver_within_the_ceiling() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let extend = |workdays| Action::Extend { workdays, reason: "情况复杂".into() };
    let extended = fx.ok(&case, &decider(), extend(10), t(2));
    assert_eq!(extended.extensions.len(), 1);
    assert_eq!(extended.extensions[0].approver, "account:3:decider");
    let refusal = fx.refused(&extended, &decider(), extend(1), t(3));
    assert_eq!(refusal.code, "extension_used");
    assert!(refusal.basis.unwrap().contains("第四十二条"));
    assert_eq!(fx.refused(&case, &reviewer(), extend(5), t(2)).code, "not_permitted");
    assert_eq!(fx.refused(&case, &decider(), extend(11), t(2)).code, "extension_out_of_range");
    assert_eq!(fx.refused(&case, &decider(), extend(0), t(2)).code, "extension_out_of_range");
    let unexplained = Action::Extend { workdays: 5, reason: String::new() };
    assert_eq!(fx.refused(&case, &decider(), unexplained, t(2)).code, "reasons_required");
    // While paused too; not before acceptance.
    let paused = fx.ok(&case, &reviewer(), Action::Suspend { reason: "等待".into() }, t(2));
    assert_eq!(fx.ok(&paused, &decider(), extend(3), t(3)).extensions.len(), 1);
    assert_eq!(fx.refused(&fx.submitted(), &decider(), extend(3), t(1)).code, "wrong_status");
    let rigid = Fx::new(ItemBuilder::new().extension(None).build());
    assert_eq!(rigid.refused(&rigid.accepted(), &decider(), extend(3), t(2)).code, "extension_not_allowed");
}

#[test]
fn decide_grant_or_deny() {
    let fx = Fx::sample();
    let case = fx.at_decide();
    let transition = fx.events(&case, &decider(), grant(), at(2021, 10, 11, 10, 0));
    let granted = &transition.case;
    assert_eq!(granted.step.as_deref(), Some("produce"));
    let decision = granted.decision.as_ref().unwrap();
    assert!(decision.granted);
    assert_eq!((decision.authority.clone(), decision.division.as_str()), (Authority::Own, "511702"));
    assert_eq!(decision.basis, "《测试条例》第一条");
    let payload = &transition.events[0].payload;
    assert_eq!(payload["authority"]["kind"], "own");
    assert_eq!(payload["completed"]["effects"], serde_json::json!(["start_payment"]));
    // Decided: a hearing or a suspension has nothing left to serve, and is not offered.
    let later = at(2021, 10, 12, 10, 0);
    let hearing = Action::SpecialStart { kind: SpecialKind::Hearing, reason: "利害关系人申请听证".into() };
    let refusal = fx.refused(granted, &reviewer(), hearing, later);
    assert_eq!(refusal.code, "already_decided");
    assert!(refusal.basis.unwrap().contains("第四十五条"));
    let suspend = Action::Suspend { reason: "等待".into() };
    assert_eq!(fx.refused(granted, &reviewer(), suspend, later).code, "already_decided");
    let offered = fx.allowed(granted, &reviewer(), later);
    assert!(!offered.contains(&ActionKind::SpecialStart) && !offered.contains(&ActionKind::Suspend), "{offered:?}");
    assert!(offered.contains(&ActionKind::Produce), "{offered:?}");

    let now = at(2021, 10, 11, 10, 0);
    let deny =
        |reasons: &str, basis: &str| Action::Decide { grant: false, reasons: reasons.into(), basis: basis.into() };
    let refusal = fx.refused(&case, &decider(), deny("", "《测试条例》第三条"), now);
    assert_eq!(refusal.code, "reasons_required");
    assert!(refusal.basis.unwrap().contains("第三十八条"));
    assert_eq!(fx.refused(&case, &decider(), deny("收入超标", " "), now).code, "basis_required");
    let denied = fx.ok(&case, &decider(), deny("收入超标", "《测试条例》第三条"), now);
    assert_eq!(denied.status, CaseStatus::Closed(Outcome::Denied));
    assert_eq!(denied.decision.unwrap().reasons, "收入超标");
    assert_eq!(fx.refused(&case, &reviewer(), grant(), now).code, "not_permitted");
    assert_eq!(fx.refused(&fx.accepted(), &decider(), grant(), t(2)).code, "wrong_step");
}

#[test]
fn a_delegation_moves_the_decision_to_the_township_on_its_dates() {
    let mut fx = Fx::sample();
    fx.delegations.push(Delegation {
        item: fx.item.slug.clone(),
        step: "decide".into(),
        to_level: Level::Township,
        divisions: vec![code("511702")],
        from: date(2021, 10, 11),
        until: Some(date(2021, 10, 31)),
        document: "通府发〔2021〕9号".into(),
    });
    let case = fx.at_decide();
    let township = staff(5, Role::Decider, "511702001");
    // Not yet in force on 10-10 (a Sunday, but the date is what counts).
    assert_eq!(fx.refused(&case, &township, grant(), at(2021, 10, 10, 23, 0)).code, "not_permitted");
    let decided = fx.ok(&case, &township, grant(), at(2021, 10, 11, 9, 0));
    let decision = decided.decision.unwrap();
    assert_eq!(decision.authority, Authority::Delegated { document: "通府发〔2021〕9号".into() });
    assert_eq!(decision.division.as_str(), "511702001");
    // Revoked after 10-31.
    assert_eq!(fx.refused(&case, &township, grant(), at(2021, 11, 1, 9, 0)).code, "not_permitted");
    // While it is in force the power is the township's: the county's grant reaches the township
    // (grants reach their subtree) but does not act in its place, and is told where it went.
    let county = fx.refused(&case, &decider(), grant(), at(2021, 10, 12, 9, 0));
    assert_eq!(county.code, "delegated_elsewhere");
    assert!(county.message.contains("通府发〔2021〕9号"), "{}", county.message);
    // A staff member of the pilot township itself without the decider's role is told what is
    // missing there (the decider's grant at the township), not that the power went elsewhere.
    let officer = fx.refused(&case, &staff(6, Role::TownshipOfficer, "511702001"), grant(), at(2021, 10, 12, 9, 0));
    assert_eq!(officer.code, "not_permitted");
    assert!(officer.message.contains("审批决定人员"), "{}", officer.message);
    assert!(officer.message.contains("您在"), "{}", officer.message);
    assert!(!officer.message.contains("已下放至") || officer.message.contains("没有"), "{}", officer.message);
    // Before and after it, the county decides under its own power.
    let before = fx.ok(&case, &decider(), grant(), at(2021, 10, 10, 9, 0));
    assert_eq!(before.decision.unwrap().authority, Authority::Own);
    let after = fx.ok(&case, &decider(), grant(), at(2021, 11, 1, 9, 0));
    assert_eq!(after.decision.unwrap().authority, Authority::Own);
}

#[test]
fn produce_return_issue_deliver() {
    let fx = Fx::sample();
    let case = fx.ok(&fx.at_decide(), &decider(), grant(), at(2021, 10, 11, 10, 0));
    let now = at(2021, 10, 12, 10, 0);
    assert_eq!(fx.refused(&case, &clerk(), Action::Produce, now).code, "not_permitted");
    let produced = fx.ok(&case, &reviewer(), Action::Produce, now);
    // Not cross-region: the result stays here, return_result is skipped.
    assert_eq!(produced.step.as_deref(), Some("issue"));
    assert_eq!(fx.refused(&produced, &clerk(), Action::Produce, now).code, "wrong_step");
    let issued = fx.ok(&produced, &clerk(), Action::Issue, now);
    assert_eq!(issued.step.as_deref(), Some("deliver"));

    let post =
        |tracking: Option<&str>| Action::Deliver { method: DeliveryMethod::Post, tracking: tracking.map(String::from) };
    assert_eq!(fx.refused(&issued, &clerk(), post(None), now).code, "tracking_required");
    assert_eq!(fx.refused(&issued, &clerk(), post(Some("  ")), now).code, "tracking_required");
    let delivered = fx.ok(&issued, &clerk(), post(Some("EMS1234567890")), now);
    assert_eq!(delivered.status, CaseStatus::Closed(Outcome::Granted));
    assert_eq!(delivered.delivery.unwrap().tracking.as_deref(), Some("EMS1234567890"));

    let window_only = Fx::new(ItemBuilder::new().delivery(&["window"]).build());
    let mut at_deliver = issued.clone();
    at_deliver.item_slug = window_only.item.slug.clone();
    let refusal = window_only.refused(&at_deliver, &clerk(), post(Some("EMS1")), now);
    assert_eq!(refusal.code, "delivery_method_not_offered");
    let on_site = Action::Deliver { method: DeliveryMethod::OnSite, tracking: None };
    assert_eq!(window_only.ok(&at_deliver, &clerk(), on_site, now).status, CaseStatus::Closed(Outcome::Granted));
}

#[test]
fn a_cross_region_case_is_forwarded_received_and_returned() {
    // Accepted at 达川区 (511703) for an applicant registered in 通川区东城街道.
    let fx = Fx::sample();
    let mut case = draft(&fx.item);
    case.accepting = code("511703");
    case.cross_region = CrossRegion::County;
    let dachuan = staff(8, Role::Clerk, "511703");
    let case = fx.ok(&case, &dachuan, Action::Submit, t(0));
    let case = fx.ok(&case, &dachuan, Action::Accept, t(1));
    assert_eq!(case.step.as_deref(), Some("forward"));
    assert_eq!(fx.refused(&case, &clerk(), Action::Forward, t(2)).code, "not_permitted");
    let case = fx.ok(&case, &dachuan, Action::Forward, t(2));
    assert_eq!(case.step.as_deref(), Some("receive"));
    assert_eq!(fx.refused(&case, &dachuan, Action::Receive, t(3)).code, "not_permitted");
    let case = fx.ok(&case, &clerk(), Action::Receive, t(3));
    assert_eq!(case.step.as_deref(), Some("review"));
    let case = fx.ok(&case, &reviewer(), approve(), t(4));
    let case = fx.ok(&case, &ActorAt::system(), Action::TimerExpired, at(2021, 10, 9, 1, 0));
    let case = fx.ok(&case, &decider(), grant(), at(2021, 10, 11, 10, 0));
    let case = fx.ok(&case, &reviewer(), Action::Produce, at(2021, 10, 11, 11, 0));
    assert_eq!(case.step.as_deref(), Some("return_result"));
    assert_eq!(fx.refused(&case, &dachuan, Action::ReturnResult, at(2021, 10, 11, 12, 0)).code, "not_permitted");
    let case = fx.ok(&case, &clerk(), Action::ReturnResult, at(2021, 10, 11, 12, 0));
    assert_eq!(case.step.as_deref(), Some("issue"));
    let case = fx.ok(&case, &dachuan, Action::Issue, at(2021, 10, 12, 9, 0));
    let on_site = Action::Deliver { method: DeliveryMethod::OnSite, tracking: None };
    let case = fx.ok(&case, &dachuan, on_site, at(2021, 10, 12, 9, 5));
    assert_eq!(case.status, CaseStatus::Closed(Outcome::Granted));
    // submit, accept, forward, receive, review, timer, decide, produce, return, issue, deliver.
    assert_eq!(case.revision, 11);
}

#[test]
fn withdraw_before_the_decision() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let withdraw = Action::Withdraw { reason: "不再申请".into(), party: None };
    let transition = fx.events(&case, &citizen(APPLICANT), withdraw.clone(), t(2));
    assert_eq!(transition.case.status, CaseStatus::Closed(Outcome::Withdrawn));
    assert_eq!(transition.events[0].payload["by_applicant"], true);
    let at_window = fx.events(&case, &clerk(), Action::Withdraw { reason: String::new(), party: None }, t(2));
    assert_eq!(at_window.events[0].payload["by_applicant"], false);
    assert_eq!(fx.refused(&case, &stranger(), withdraw.clone(), t(2)).code, "not_permitted");
    assert_eq!(fx.refused(&case, &reviewer(), withdraw.clone(), t(2)).code, "not_permitted");
    // A draft may be withdrawn; a paused case too (the pause ends).
    assert_eq!(
        fx.ok(&draft(&fx.item), &citizen(APPLICANT), withdraw.clone(), t(0)).status,
        CaseStatus::Closed(Outcome::Withdrawn)
    );
    let paused = fx.ok(&case, &reviewer(), Action::Suspend { reason: "等待".into() }, t(2));
    assert!(fx.ok(&paused, &citizen(APPLICANT), withdraw.clone(), t(3)).open_pause().is_none());
    // Not once decided.
    let decided = fx.ok(&fx.at_decide(), &decider(), grant(), at(2021, 10, 11, 10, 0));
    let refusal = fx.refused(&decided, &citizen(APPLICANT), withdraw, at(2021, 10, 11, 11, 0));
    assert_eq!(refusal.code, "already_decided");
}

#[test]
fn terminate() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let terminate = Action::Terminate { reason: "申请人死亡".into() };
    assert_eq!(fx.ok(&case, &decider(), terminate.clone(), t(2)).status, CaseStatus::Closed(Outcome::Terminated));
    assert_eq!(fx.refused(&case, &clerk(), terminate.clone(), t(2)).code, "not_permitted");
    assert_eq!(
        fx.refused(&case, &decider(), Action::Terminate { reason: String::new() }, t(2)).code,
        "reasons_required"
    );
    assert_eq!(fx.refused(&draft(&fx.item), &decider(), terminate, t(0)).code, "wrong_status");
}

#[test]
fn timers() {
    let fx = Fx::sample();
    let waiting = fx.ok(&fx.accepted(), &reviewer(), approve(), t(2));
    let system = ActorAt::system();
    // 7 日 from 09-27 → 10-04, a 国庆 day → 10-08; expired from 10-09 00:00 Shanghai.
    let refusal = fx.refused(&waiting, &system, Action::TimerExpired, at(2021, 10, 8, 23, 59));
    assert_eq!(refusal.code, "timer_not_expired");
    assert!(refusal.message.contains("→ 2021-10-08"), "{}", refusal.message);
    assert_eq!(fx.refused(&waiting, &decider(), Action::TimerExpired, at(2021, 10, 9, 1, 0)).code, "system_only");
    assert_eq!(fx.allowed(&waiting, &system, at(2021, 10, 9, 1, 0)), [ActionKind::TimerExpired]);
    assert!(fx.allowed(&waiting, &system, at(2021, 10, 8, 9, 0)).is_empty());
    let advanced = fx.ok(&waiting, &system, Action::TimerExpired, at(2021, 10, 9, 1, 0));
    assert_eq!(advanced.step.as_deref(), Some("decide"));
    // The system does nothing else but open a case ex officio (a periodic re-check, 社会救助暂行办法
    // 第十三条): it may submit a draft, never withdraw, accept or supplement.
    assert_eq!(fx.refused(&fx.submitted(), &system, Action::Accept, t(1)).code, "not_permitted");
    let opened = fx.ok(&draft(&fx.item), &system, Action::Submit, t(0));
    assert_eq!(opened.status, CaseStatus::Submitted);
    let withdraw = Action::Withdraw { reason: "复核".into(), party: None };
    assert_eq!(fx.refused(&opened, &system, withdraw, t(1)).code, "not_permitted");
    assert_eq!(fx.refused(&fx.accepted(), &system, Action::TimerExpired, t(2)).code, "wrong_step");

    let cooling = Fx::new(
        ItemBuilder::new()
            .edit_step("publicity", |s| s.timer.as_mut().unwrap().outcome = TimerOutcome::DeemWithdrawn)
            .build(),
    );
    let waiting = cooling.ok(&cooling.accepted(), &reviewer(), approve(), t(2));
    let lapsed = cooling.ok(&waiting, &system, Action::TimerExpired, at(2021, 10, 9, 1, 0));
    assert_eq!(lapsed.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));

    // A timer running into a year without calendar data does not fire on a guess.
    let mut late = waiting.clone();
    late.step_entered_at = at(2026, 12, 28, 10, 0);
    let refusal = fx.refused(&late, &system, Action::TimerExpired, at(2027, 1, 10, 10, 0));
    assert_eq!(refusal.code, "calendar_no_data");
}

#[test]
fn a_closed_case_accepts_nothing() {
    let fx = Fx::sample();
    let closed =
        fx.ok(&fx.submitted(), &clerk(), Action::RefuseAcceptance { reasons: "不属于本机关职权".into() }, t(1));
    for actor in [clerk(), reviewer(), decider(), citizen(APPLICANT), ActorAt::system()] {
        assert!(fx.allowed(&closed, &actor, t(2)).is_empty());
    }
    for action in
        [Action::Accept, Action::Withdraw { reason: String::new(), party: None }, Action::Submit, Action::TimerExpired]
    {
        let refusal = fx.refused(&closed, &clerk(), action, t(2));
        assert_eq!(refusal.code, "case_closed");
        assert!(refusal.message.contains("不予受理"), "{}", refusal.message);
    }
}

#[test]
fn named_guards_are_checked_through_the_hook() {
    let hook = |guard: &str, case: &Case| -> Result<(), Refusal> {
        if guard == "eligible" && case.applicant == APPLICANT {
            return Err(Refusal::new("guard_not_eligible", "申请人不符合条件"));
        }
        Ok(())
    };
    let mut fx = Fx::sample();
    let case = fx.at_decide();
    fx.guard = Some(&hook);
    let now = at(2021, 10, 11, 10, 0);
    assert_eq!(fx.refused(&case, &decider(), grant(), now).code, "guard_not_eligible");
    // Guards hold a step's completion, not a denial.
    let deny =
        Action::Decide { grant: false, reasons: "不符合条件".into(), basis: "《测试条例》第三条".into() };
    assert_eq!(fx.ok(&case, &decider(), deny, now).status, CaseStatus::Closed(Outcome::Denied));
    // Checked guards are recorded as such.
    let transition = fx.events(&fx.submitted(), &clerk(), Action::Accept, t(1));
    assert_eq!(transition.events[0].payload["completed"]["guards_checked"], true);
}

/// A filing the law answers only with a receipt or with guidance (`refusable = false`;
/// 《养老机构管理办法》（民政部令第66号）: 材料不齐全的，指导补正): 不予受理 is never offered nor
/// applied, before or after a notice to complete, nor a refusal on the spot or at review; the
/// notice and the supplement stay open, and the case can only end granted (or withdrawn).
#[test]
fn a_matter_without_refusal_offers_none_and_applies_none() {
    let mut item = ItemBuilder::new().instant().build();
    item.procedure.refusable = false;
    let fx = Fx::new(item);
    let refuse = Action::RefuseAcceptance { reasons: "材料不全".into() };
    let deny =
        Action::Decide { grant: false, reasons: "材料不全".into(), basis: "《测试条例》第三条".into() };
    let mut short = fx.submitted();
    short.materials.retain(|m| m != "proof");
    assert!(!fx.allowed(&short, &clerk(), t(1)).contains(&ActionKind::RefuseAcceptance));
    assert_eq!(fx.refused(&short, &clerk(), refuse.clone(), t(1)).code, "refusal_not_provided");
    assert_eq!(fx.refused(&short, &clerk(), deny, t(1)).code, "refusal_not_provided");
    let notified = fx.ok(&short, &clerk(), Action::NotifyMissing { missing: ids(&["proof"]), until: None }, t(1));
    assert!(!fx.allowed(&notified, &clerk(), t(2)).contains(&ActionKind::RefuseAcceptance));
    assert_eq!(fx.refused(&notified, &clerk(), refuse, t(2)).code, "refusal_not_provided");
    let full = Action::Supplement { materials: ids(&["proof"]) };
    let completed = fx.ok(&notified, &citizen(APPLICANT), full, t(30));
    assert_eq!(fx.ok(&completed, &clerk(), Action::Accept, t(31)).status, CaseStatus::Closed(Outcome::Granted));
    // The same item, refusable: the refusal is there (the flag is what takes it away).
    let open = Fx::new(ItemBuilder::new().instant().build());
    assert!(open.allowed(&open.submitted(), &clerk(), t(1)).contains(&ActionKind::RefuseAcceptance));
}

#[test]
fn the_table_answers_per_actor() {
    let fx = Fx::sample();
    let submitted = fx.submitted();
    use ActionKind::*;
    assert_eq!(fx.allowed(&draft(&fx.item), &citizen(APPLICANT), t(0)), [Submit, Withdraw]);
    assert_eq!(fx.allowed(&submitted, &clerk(), t(1)), [Accept, RefuseAcceptance, Assign, Withdraw]);
    assert_eq!(fx.allowed(&submitted, &citizen(APPLICANT), t(1)), [Withdraw]);
    assert!(fx.allowed(&submitted, &stranger(), t(1)).is_empty());
    let accepted = fx.accepted();
    assert_eq!(fx.allowed(&accepted, &reviewer(), t(2)), [Assign, Review, SpecialStart, Suspend]);
    assert_eq!(fx.allowed(&accepted, &decider(), t(2)), [Extend, Terminate]);
}

#[test]
fn stale_or_foreign_inputs_are_refused() {
    let fx = Fx::sample();
    let case = fx.accepted();
    let mut other = ItemBuilder::new().build();
    other.version.number = 2;
    let refusal = apply(&other, &case, &approve(), &reviewer(), t(2), &fx.ctx()).unwrap_err();
    assert_eq!(refusal.code, "wrong_item_version");
    assert_eq!(fx.refused(&case, &reviewer(), approve(), t(0)).code, "time_before_last_act");
    let mut broken = case.clone();
    broken.step = Some("vanished".into());
    assert_eq!(fx.refused(&broken, &reviewer(), approve(), t(2)).code, "unknown_step");
    let mut far = case.clone();
    far.competent = code("440106");
    assert_eq!(fx.refused(&far, &reviewer(), approve(), t(2)).code, "division_unknown");
}

/// A window on an acting step (the divorce certificate window, 民法典第一千零七十七条第二款):
/// counted from the preceding wait's last day however late the sweep ran, and swept like a
/// wait step's timer, deeming the application withdrawn.
#[test]
fn an_acting_steps_window_counts_from_the_waits_end_and_deems_withdrawn() {
    use crate::engine::testkit::days;
    use crate::procedure::Timer;
    let fx = Fx::new(
        ItemBuilder::new()
            .edit_step("decide", |s| {
                s.timer = Some(Timer {
                    after: days(30, "民法典第一千零七十七条第二款"),
                    outcome: TimerOutcome::DeemWithdrawn,
                })
            })
            .build(),
    );
    let system = ActorAt::system();
    let waiting = fx.ok(&fx.accepted(), &reviewer(), approve(), t(2));
    // The 7-day publicity ends 10-08; the sweep runs three days late.
    let deciding = fx.ok(&waiting, &system, Action::TimerExpired, at(2021, 10, 11, 9, 0));
    assert_eq!(deciding.step.as_deref(), Some("decide"));
    assert_eq!(crate::calendar::shanghai_date(deciding.step_entered_at), date(2021, 10, 8));
    // 10-08 + 30 = 11-07, a Sunday → 11-08.
    assert!(fx.allowed(&deciding, &system, at(2021, 11, 8, 23, 0)).is_empty());
    assert_eq!(fx.refused(&deciding, &system, Action::TimerExpired, at(2021, 11, 8, 23, 0)).code, "timer_not_expired");
    assert_eq!(fx.allowed(&deciding, &system, at(2021, 11, 9, 0, 30)), [ActionKind::TimerExpired]);
    let lapsed = fx.ok(&deciding, &system, Action::TimerExpired, at(2021, 11, 9, 0, 30));
    assert_eq!(lapsed.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
}

#[test]
fn an_objection_during_publicity_sends_the_case_back_and_publicity_restarts() {
    // 社会救助暂行办法第十一条第二项; 社会救助暂行办法; 民发〔2021〕57号 step 5: an objection → re-investigate, publish again.
    let fx = Fx::new(
        ItemBuilder::new()
            .edit_step("publicity", |s| {
                s.role = Some(Role::Reviewer);
                s.on_return = Some("review".into());
            })
            .build(),
    );
    let waiting = fx.ok(&fx.accepted(), &reviewer(), approve(), t(2));
    assert_eq!(waiting.step.as_deref(), Some("publicity"));
    assert!(fx.allowed(&waiting, &reviewer(), t(3)).contains(&ActionKind::Review));
    let approve_now = fx.refused(&waiting, &reviewer(), approve(), t(3));
    assert_eq!(approve_now.code, "objection_only");
    let objection = Action::Review { verdict: Verdict::Return, opinion: "村民反映申请人有经营收入".into() };
    let back = fx.events(&waiting, &reviewer(), objection, t(3));
    assert_eq!(back.case.step.as_deref(), Some("review"));
    assert_eq!(back.events[0].payload["objection"], true);
    // Reviewed again: publicity starts over from the new entry, its timer counted from then.
    let again = fx.ok(&back.case, &reviewer(), approve(), at(2021, 9, 30, 10, 0));
    assert_eq!(again.step.as_deref(), Some("publicity"));
    assert_eq!(crate::calendar::shanghai_date(again.step_entered_at), date(2021, 9, 30));
    // 09-30 + 7 = 10-07 (国庆) → ends 10-08; not expired on 10-08 itself.
    assert_eq!(
        fx.refused(&again, &ActorAt::system(), Action::TimerExpired, at(2021, 10, 8, 23, 0)).code,
        "timer_not_expired"
    );
    let deciding = fx.ok(&again, &ActorAt::system(), Action::TimerExpired, at(2021, 10, 9, 0, 30));
    assert_eq!(deciding.step.as_deref(), Some("decide"));
}

#[test]
fn a_publicity_without_on_return_takes_no_objection_act() {
    let fx = Fx::new(ItemBuilder::new().edit_step("publicity", |s| s.role = Some(Role::Reviewer)).build());
    let waiting = fx.ok(&fx.accepted(), &reviewer(), approve(), t(2));
    let objection = Action::Review { verdict: Verdict::Return, opinion: "异议".into() };
    assert_eq!(fx.refused(&waiting, &reviewer(), objection, t(3)).code, "wrong_step");
}

/// A period takes effect at its end (民法典第二百零三条: 24:00 of its last day), not when the sweep
/// runs: at 23:59:59 of the last day the step is still open; at 00:00:00 of the next day every
/// act is decided on the case the law made, and the act records the timer with it.
#[test]
fn a_period_takes_effect_at_its_end_not_when_the_sweep_runs() {
    use crate::engine::testkit::days;
    use crate::procedure::Timer;
    let second = Duration::seconds(1);
    let fx = Fx::new(
        ItemBuilder::new()
            .edit_step("decide", |s| {
                s.timer = Some(Timer {
                    after: days(30, "民法典第一千零七十七条第二款"),
                    outcome: TimerOutcome::DeemWithdrawn,
                })
            })
            .build(),
    );
    let waiting = fx.ok(&fx.accepted(), &reviewer(), approve(), t(2));
    // 公示 7 日 from 09-27: day 7 is 10-04 (国庆) → ends Friday 10-08 (民法典第二百零三条).
    let last_second = at(2021, 10, 8, 23, 59) + Duration::seconds(59);
    let midnight = last_second + second;
    assert!(!fx.allowed(&waiting, &decider(), last_second).contains(&ActionKind::Decide));
    assert_eq!(fx.refused(&waiting, &decider(), grant(), last_second).code, "wrong_step");
    // 00:00:00 of 10-09, no sweep yet: the 公示 is over by law, the decision may be made.
    assert!(fx.allowed(&waiting, &decider(), midnight).contains(&ActionKind::Decide));
    let decided = fx.events(&waiting, &decider(), grant(), midnight);
    let acts: Vec<&str> = decided.events.iter().map(|e| e.act).collect();
    assert_eq!(acts, ["case.timer_expired", "case.decide"]);
    assert_eq!(decided.events[0].payload["outcome"], "advance");
    assert_eq!(decided.events[0].payload["step"], "decide", "the timer's event carries the state it left");
    assert_eq!(decided.events[0].payload["effective_at"], "2021-10-08T16:00:00+00:00");
    assert_eq!(decided.case.revision, waiting.revision + 1, "one act, one revision");

    // The window of the decide step (30 日 from 10-08: 11-07 is a Sunday → Monday 11-08).
    let deciding = fx.ok(&waiting, &ActorAt::system(), Action::TimerExpired, at(2021, 10, 12, 9, 0));
    let last_second = at(2021, 11, 8, 23, 59) + Duration::seconds(59);
    let midnight = last_second + second;
    assert!(fx.allowed(&deciding, &decider(), last_second).contains(&ActionKind::Decide));
    let in_time = fx.ok(&deciding, &decider(), grant(), last_second);
    assert_eq!(in_time.step.as_deref(), Some("produce"));
    // 00:00:00 of 11-09: deemed withdrawn by law, though the sweep has not run.
    assert!(fx.allowed(&deciding, &decider(), midnight).is_empty());
    let refused = fx.refused(&deciding, &decider(), grant(), midnight);
    assert_eq!(refused.code, "case_closed");
    assert!(refused.message.contains("视为撤回"), "{}", refused.message);
    let law = settled(&fx.item, &deciding, &fx.ctx(), midnight);
    assert_eq!(law.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
    assert_eq!(law.revision, deciding.revision, "settling records nothing by itself");
    // The sweep, days late, dates the lapse when the law made it.
    let swept = fx.ok(&deciding, &ActorAt::system(), Action::TimerExpired, at(2021, 11, 15, 3, 0));
    assert_eq!(swept.closed_at, Some(midnight));
    // A sweep that finds both periods over applies both, in order, as one act.
    let both = fx.events(&waiting, &ActorAt::system(), Action::TimerExpired, at(2021, 11, 20, 3, 0));
    assert_eq!(both.case.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
    assert_eq!(both.case.closed_at, Some(midnight));
    assert_eq!(both.events.len(), 2);
}

/// A 即办件 refused on the spot (婚姻登记条例（2003年）第七条: 不予登记的，应当向当事人说明理由;
/// 行政许可法第三十四条第二款): at the window, with reasons and basis, a written decision closes the
/// matter; a grant there is the acceptance itself. A matter that is not on the spot is not
/// decided at its acceptance.
#[test]
fn an_on_the_spot_matter_is_refused_on_the_spot_with_reasons() {
    let fx = Fx::new(ItemBuilder::new().instant().build());
    let submitted = fx.submitted();
    assert!(fx.allowed(&submitted, &clerk(), t(1)).contains(&ActionKind::Decide));
    let deny = |reasons: &str| Action::Decide {
        grant: false,
        reasons: reasons.into(),
        basis: "《婚姻登记条例》（2003年）第六条第（一）项".into(),
    };
    assert_eq!(fx.refused(&submitted, &clerk(), deny(""), t(1)).code, "reasons_required");
    assert_eq!(fx.refused(&submitted, &clerk(), grant(), t(1)).code, "grant_by_acceptance");
    let refused = fx.events(&submitted, &clerk(), deny("男方未到法定结婚年龄"), t(1));
    assert_eq!(refused.case.status, CaseStatus::Closed(Outcome::Denied));
    let decision = refused.case.decision.as_ref().expect("a written decision");
    assert_eq!((decision.granted, decision.reasons.as_str()), (false, "男方未到法定结婚年龄"));
    assert_eq!(refused.case.accepted_at, Some(t(1)), "received and examined at the window");
    assert_eq!(refused.events[0].payload["notices"], serde_json::json!(["denial_decision"]));
    // A promised matter is decided at its decide step only.
    let promised = Fx::sample();
    let submitted = promised.submitted();
    assert!(!promised.allowed(&submitted, &clerk(), t(1)).contains(&ActionKind::Decide));
    assert_eq!(promised.refused(&submitted, &clerk(), deny("x"), t(1)).code, "wrong_step");
}

/// The parties' own period (`party_time`): a ledger entry from entry to exit; the whole matter's
/// deadline does not run in it (also for a case that entered it before the ledger recorded it)
/// and leaves its days out afterwards.
#[test]
fn the_parties_time_is_not_the_offices() {
    use crate::engine::deadline::deadline;
    let fx = Fx::new(ItemBuilder::new().edit_step("publicity", |s| s.party_time = true).build());
    let waiting = fx.ok(&fx.accepted(), &reviewer(), approve(), t(2));
    let open = waiting.pauses.iter().filter(|p| p.kind == PauseKind::PartyTime && p.end.is_none()).count();
    assert_eq!(open, 1);
    assert!(waiting.open_pause().is_none(), "not a pause of the office's clock");
    let calendar = WorkCalendar::builtin();
    let now = at(2021, 11, 30, 9, 0);
    let in_it = deadline(&fx.item, &waiting, calendar, now);
    assert_eq!((in_it.due, in_it.warning), (None, crate::engine::deadline::Warning::Green), "{}", in_it.explanation);
    let mut legacy = waiting.clone();
    legacy.pauses.clear();
    assert_eq!(deadline(&fx.item, &legacy, calendar, now).due, None);
    // After the period (10-08 → 10-09 00:00) the entry is closed and its days are left out.
    let deciding = fx.ok(&waiting, &ActorAt::system(), Action::TimerExpired, at(2021, 10, 9, 1, 0));
    assert!(deciding.pauses.iter().all(|p| p.end.is_some()));
    let with = deadline(&fx.item, &deciding, calendar, at(2021, 10, 9, 9, 0)).due.expect("a due date");
    let mut unrecorded = deciding.clone();
    unrecorded.pauses.clear();
    let plain = deadline(&fx.item, &unrecorded, calendar, at(2021, 10, 9, 9, 0)).due.expect("a due date");
    assert!(with > plain, "{with} should be later than {plain}");
}

#[test]
fn a_step_the_law_passes_over_is_skipped_when_the_case_reaches_it() {
    let mut fx = Fx::sample();
    // The hook sees the step being entered and the case as it stands (the service decides from
    // the beneficiary's birth date on the act's day).
    let hook = |step: &crate::procedure::StepDef, case: &Case| step.id == "publicity" && case.applicant == APPLICANT;
    fx.skip = Some(&hook);
    let transition = fx.events(&fx.accepted(), &reviewer(), approve(), t(2));
    assert_eq!(transition.case.step.as_deref(), Some("decide"));
    assert_eq!(transition.events[0].payload["completed"]["skipped"], serde_json::json!(["publicity"]));
    // Without the hook the same act enters the publicity step.
    let plain = Fx::sample();
    assert_eq!(plain.ok(&plain.accepted(), &reviewer(), approve(), t(2)).step.as_deref(), Some("publicity"));
}

/// Outcomes the sample item declares, as a disclosure-like item would (《中华人民共和国政府信息
/// 公开条例》第三十六条): two grants and two refusals at the decision step, one refusal also at
/// review; `disclosed` and `withheld` the defaults.
fn declared_outcomes() -> crate::catalog::Outcomes {
    use crate::catalog::{OutcomeDef, Outcomes};
    let one = |key: &str, label: &str, grants: bool, steps: &[&str]| OutcomeDef {
        key: key.into(),
        label: label.into(),
        grants,
        notice: String::new(),
        basis: format!("《测试条例》第{}条", label.chars().count()),
        steps: steps.iter().map(|s| s.to_string()).collect(),
        form: crate::form::FormSpec::default(),
    };
    Outcomes {
        list: vec![
            one("disclosed", "予以公开", true, &["decide"]),
            one("partly", "部分公开", true, &["decide"]),
            one("not_exist", "信息不存在", false, &["decide"]),
            one("withheld", "不予公开", false, &["decide", "review"]),
        ],
        declared: true,
        grant_default: "disclosed".into(),
        refusal_default: Some("withheld".into()),
    }
}

fn decide_as(outcome: &str, reasons: &str) -> Action {
    Action::DecideOutcome {
        outcome: outcome.into(),
        reasons: reasons.into(),
        basis: String::new(),
        facts: Default::default(),
    }
}

#[test]
fn a_decision_records_the_outcome_it_names_or_its_sides_default() {
    let fx = Fx::new(ItemBuilder::new().outcomes(declared_outcomes()).build());
    let case = fx.at_decide();
    let now = at(2021, 10, 11, 10, 0);
    // Each declared outcome, named: its side closes the case, the key is recorded and the event
    // carries key and label.
    for (key, label, granted) in [
        ("disclosed", "予以公开", true),
        ("partly", "部分公开", true),
        ("not_exist", "信息不存在", false),
        ("withheld", "不予公开", false),
    ] {
        let transition = fx.events(&case, &decider(), decide_as(key, "经查"), now);
        let decision = transition.case.decision.as_ref().unwrap();
        assert_eq!((decision.outcome.as_deref(), decision.granted), (Some(key), granted), "{key}");
        let decided = transition.events.iter().find(|e| e.act == "case.decide").unwrap();
        assert_eq!(decided.payload["decision_outcome"], key);
        assert_eq!(decided.payload["decision_outcome_label"], label);
        if !granted {
            assert_eq!(transition.case.status, CaseStatus::Closed(Outcome::Denied));
            // The basis the act left empty is the outcome's declared one.
            assert_eq!(decision.basis, format!("《测试条例》第{}条", label.chars().count()));
        }
    }
    // A plain grant or refusal: the declared default of its side.
    let granted = fx.ok(&case, &decider(), grant(), now);
    assert_eq!(granted.decision.unwrap().outcome.as_deref(), Some("disclosed"));
    let deny = Action::Decide {
        grant: false, reasons: "涉及国家秘密".into(), basis: "《测试条例》第十四条".into()
    };
    assert_eq!(fx.ok(&case, &decider(), deny, now).decision.unwrap().outcome.as_deref(), Some("withheld"));
    // A refusal outcome still needs its reasons.
    assert_eq!(fx.refused(&case, &decider(), decide_as("not_exist", " "), now).code, "reasons_required");
    // An unknown key, and one this step may not choose, are refused.
    assert_eq!(fx.refused(&case, &decider(), decide_as("granted", ""), now).code, "unknown_outcome");
    // A rejecting review records the refusal the review step may choose.
    let rejected =
        fx.ok(&fx.accepted(), &reviewer(), Action::Review { verdict: Verdict::Reject, opinion: "不予".into() }, t(2));
    assert_eq!(rejected.decision.unwrap().outcome.as_deref(), Some("withheld"));
}

#[test]
fn an_outcome_is_chosen_only_at_its_steps() {
    let mut outcomes = declared_outcomes();
    outcomes.list[1].steps = vec!["review".into()];
    let fx = Fx::new(ItemBuilder::new().outcomes(outcomes).build());
    let case = fx.at_decide();
    let refusal = fx.refused(&case, &decider(), decide_as("partly", ""), at(2021, 10, 11, 10, 0));
    assert_eq!(refusal.code, "outcome_not_at_step");
    assert!(refusal.message.contains("部分公开"), "{}", refusal.message);
}

#[test]
fn an_item_without_declared_outcomes_records_the_implicit_ones() {
    let fx = Fx::sample();
    let case = fx.at_decide();
    let now = at(2021, 10, 11, 10, 0);
    assert_eq!(fx.ok(&case, &decider(), grant(), now).decision.unwrap().outcome.as_deref(), Some("granted"));
    // The implicit refusal has no basis of its own: the act states it, as for a plain refusal.
    assert_eq!(fx.refused(&case, &decider(), decide_as("denied", "不符合"), now).code, "basis_required");
    let deny = Action::DecideOutcome {
        outcome: "denied".into(),
        reasons: "不符合".into(),
        basis: "《测试条例》第三条".into(),
        facts: Default::default(),
    };
    assert_eq!(fx.ok(&case, &decider(), deny, now).decision.unwrap().outcome.as_deref(), Some("denied"));
    // A not refusable item: a refusal outcome is refused like any refusal.
    let mut item = ItemBuilder::new().build();
    item.procedure.refusable = false;
    item.outcomes = crate::catalog::Outcomes::implicit(false);
    let fx = Fx::new(item);
    let case = fx.at_decide();
    assert_eq!(fx.refused(&case, &decider(), decide_as("denied", "不符合"), now).code, "unknown_outcome");
}
