//! A case whose steps are split between two regional nodes (跨省通办, docs/designs/nodes.md):
//! 国办发〔2020〕35号《国务院办公厅关于加快推进政务服务“跨省通办”的指导意见》: 异地受理、属地办理
//! ("收受分离"); the accepting place pushes the matter (`forward`), the competent place receives,
//! handles and decides it and returns the result (`receive` … `return_result`), the accepting
//! place tells the applicant (`deliver`). Each node keeps its own copy of the case; the steps the
//! other node does reach this copy as a message, and these functions move the copy past them.
//! Pure: the caller passes the time and stores what comes back.

use chrono::{DateTime, Utc};

use crate::catalog::ServiceItem;
use crate::division::Divisions;
use crate::engine::case::{Case, CaseStatus, Decision, Delivery, NewCase, Outcome};
use crate::engine::refusal::Refusal;
use crate::procedure::{Seat, StepKind};

/// When the other node accepted the matter (its own record has the acts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedThere {
    pub submitted_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// The first step of `kind` in the item's procedure.
fn step_of(item: &ServiceItem, kind: StepKind) -> Result<String, Refusal> {
    item.procedure
        .steps
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.id.clone())
        .ok_or_else(|| Refusal::new("remote_step_missing", format!("事项“{}”的办理流程没有跨区域环节", item.name)))
}

/// The competent node's copy of a case pushed to it: in progress at the item's `receive` step,
/// entered `now` (its clocks run on this node from its receipt), the acceptance's times as the
/// accepting node recorded them.
pub fn received(
    item: &ServiceItem,
    new: NewCase,
    there: AcceptedThere,
    divisions: &Divisions,
    now: DateTime<Utc>,
) -> Result<Case, Refusal> {
    let step = step_of(item, StepKind::Receive)?;
    let mut case = Case::draft(new, divisions, now);
    case.status = CaseStatus::InProgress;
    case.step = Some(step);
    case.submitted_at = there.submitted_at.or(Some(now));
    case.accepted_at = there.accepted_at.or(Some(now));
    case.step_entered_at = now;
    case.revision = 1;
    Ok(case)
}

/// The copy waits on the other node: in progress at a step of the other office's `seat`.
fn waits_on(item: &ServiceItem, case: &Case, seat: Seat) -> Result<(), Refusal> {
    let here = case.step.as_deref().and_then(|s| item.procedure.step(s));
    match (case.status, here) {
        (CaseStatus::InProgress, Some(step)) if step.seat == seat => Ok(()),
        _ => Err(Refusal::new("remote_step_mismatch", "办件当前环节不在对方节点，不能接收对方的办理结果")),
    }
}

/// The accepting node's copy when the competent node's result comes back: the decision
/// recorded, the case at the step after the item's `return_result` (the accepting office's:
/// 颁发 or 告知申请人) entered `now`, this office's clock. Refused unless the copy waits on the
/// competent office.
pub fn result_returned(
    item: &ServiceItem,
    case: &Case,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<Case, Refusal> {
    waits_on(item, case, Seat::Competent)?;
    let returned = step_of(item, StepKind::ReturnResult)?;
    let next_step =
        item.procedure.next_of(&returned).map(|s| s.id.clone()).ok_or_else(|| {
            Refusal::new("remote_step_missing", format!("事项“{}”的办理流程没有跨区域环节", item.name))
        })?;
    let mut next = case.clone();
    next.step = Some(next_step);
    next.step_entered_at = now;
    next.assignee = None;
    next.decision = Some(decision);
    next.revision += 1;
    Ok(next)
}

/// The accepting node's copy when the competent office returns the matter with reasons (its
/// review's 退回 to a step of the accepting office, e.g. 受理 to put the materials right): the
/// copy at that step, entered `now`, on this office's clock. Refused unless the copy waits on the
/// competent office and the step is the accepting office's.
pub fn returned_here(item: &ServiceItem, case: &Case, step: &str, now: DateTime<Utc>) -> Result<Case, Refusal> {
    waits_on(item, case, Seat::Competent)?;
    let target = item
        .procedure
        .step(step)
        .filter(|s| s.seat == Seat::Accepting)
        .ok_or_else(|| Refusal::new("remote_step_mismatch", format!("退回的环节“{step}”不是受理地的环节")))?;
    let mut next = case.clone();
    next.step = Some(target.id.clone());
    next.step_entered_at = now;
    next.assignee = None;
    next.revision += 1;
    Ok(next)
}

/// The competent node's copy when the accepting office, having put right what it was returned
/// for, pushes the matter again: at the `receive` step again, entered `now` (this office's
/// clock runs from this receipt), with the materials as they now stand. Refused unless the
/// copy waits on the accepting office before any decision.
pub fn pushed_again(
    item: &ServiceItem,
    case: &Case,
    materials: Vec<String>,
    now: DateTime<Utc>,
) -> Result<Case, Refusal> {
    waits_on(item, case, Seat::Accepting)?;
    if case.decision.is_some() {
        return Err(Refusal::new("remote_step_mismatch", "本件已作出决定，不能再次接收推送"));
    }
    let mut next = case.clone();
    next.step = Some(step_of(item, StepKind::Receive)?);
    next.step_entered_at = now;
    next.assignee = None;
    next.materials = materials;
    next.revision += 1;
    Ok(next)
}

/// The competent node's copy when the accepting node has told the applicant: the delivery
/// recorded and the case closed, granted or denied as decided here. Refused unless the copy
/// waits on the accepting office.
pub fn delivered_there(
    item: &ServiceItem,
    case: &Case,
    delivery: Delivery,
    now: DateTime<Utc>,
) -> Result<Case, Refusal> {
    waits_on(item, case, Seat::Accepting)?;
    let mut next = case.clone();
    let denied = next.decision.as_ref().is_some_and(|d| !d.granted);
    next.delivery = Some(delivery);
    next.status = CaseStatus::Closed(if denied { Outcome::Denied } else { Outcome::Granted });
    next.step = None;
    next.closed_at = Some(now);
    next.assignee = None;
    next.revision += 1;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::action::DeliveryMethod;
    use crate::engine::case::{Authority, CrossRegion};
    use crate::engine::testkit::{at, code, draft, ItemBuilder};

    fn decision(granted: bool) -> Decision {
        Decision {
            outcome: None,
            granted,
            reasons: if granted { String::new() } else { "不符合条件".into() },
            basis: "依据".into(),
            authority: Authority::Own,
            division: code("500101"),
            by: "node:500000:account:3:decider".into(),
            at: at(2021, 10, 8, 10, 0),
        }
    }

    /// A case accepted at a 重庆 window for a 四川 户籍 (跨省通办).
    fn accepted_elsewhere(item: &ServiceItem) -> NewCase {
        let mut new = NewCase {
            id: 0,
            number: String::new(),
            item_slug: item.slug.clone(),
            item_version: item.version.number,
            channel: crate::engine::case::Channel::Window,
            applicant: 7,
            situation: Some("standard".into()),
            materials: Vec::new(),
            accepting: code("500101001"),
            competent: code("511702001"),
        };
        new.materials = draft(item).materials;
        new
    }

    #[test]
    fn the_competent_copy_starts_at_receive_on_the_day_it_arrives() {
        let item = ItemBuilder::new().build();
        // Received on the Saturday after 国庆 (2021-10-09, a 调休 working day): its clock starts then.
        let arrived = at(2021, 10, 9, 2, 0);
        let there =
            AcceptedThere { submitted_at: Some(at(2021, 9, 30, 1, 0)), accepted_at: Some(at(2021, 9, 30, 2, 0)) };
        let case = received(&item, accepted_elsewhere(&item), there, Divisions::builtin(), arrived).expect("received");
        assert_eq!((case.status, case.step.as_deref()), (CaseStatus::InProgress, Some("receive")));
        assert_eq!(case.step_entered_at, arrived);
        assert_eq!(case.accepted_at, there.accepted_at, "the acceptance is the accepting node's");
        assert_eq!(case.cross_region, CrossRegion::Province);
        // An item without cross-region steps cannot take a handover.
        let mut plain = item.clone();
        plain.procedure.steps.retain(|s| s.kind != StepKind::Receive);
        let err =
            received(&plain, accepted_elsewhere(&plain), there, Divisions::builtin(), arrived).expect_err("no receive");
        assert_eq!(err.code, "remote_step_missing");
    }

    #[test]
    fn the_result_moves_the_accepting_copy_to_its_own_next_step_once() {
        let item = ItemBuilder::new().build();
        let mut waiting = draft(&item);
        waiting.status = CaseStatus::InProgress;
        waiting.step = Some("receive".into());
        waiting.revision = 3;
        let now = at(2021, 10, 8, 11, 0);
        let back = result_returned(&item, &waiting, decision(true), now).expect("back");
        // After 结果返回 comes the accepting office's 颁发, not straight to 送达.
        assert_eq!(back.step.as_deref(), Some("issue"));
        assert_eq!((back.step_entered_at, back.revision), (now, 4));
        assert!(back.decision.as_ref().is_some_and(|d| d.granted));
        // Applied again (the copy has moved on): refused, so a replay can never move it twice.
        let err = result_returned(&item, &back, decision(true), now).expect_err("not waiting any more");
        assert_eq!(err.code, "remote_step_mismatch");
    }

    #[test]
    fn a_return_with_reasons_moves_the_accepting_copy_back_and_a_new_push_the_competent_one() {
        let item = ItemBuilder::new().build();
        let mut waiting = draft(&item);
        waiting.status = CaseStatus::InProgress;
        waiting.step = Some("receive".into());
        waiting.revision = 3;
        // Returned on the Saturday 2021-10-09 (a 调休 working day): this office's clock from then.
        let now = at(2021, 10, 9, 2, 0);
        let back = returned_here(&item, &waiting, "accept", now).expect("returned");
        assert_eq!((back.step.as_deref(), back.step_entered_at, back.revision), (Some("accept"), now, 4));
        assert_eq!(back.status, CaseStatus::InProgress);
        // Applied again (the copy is here now): refused; a competent office's step is no return target.
        assert_eq!(returned_here(&item, &back, "accept", now).expect_err("here already").code, "remote_step_mismatch");
        assert_eq!(returned_here(&item, &waiting, "decide", now).expect_err("not ours").code, "remote_step_mismatch");

        // The competent copy, returned to 受理, takes the new push at 接收 with the new materials.
        let mut there = waiting.clone();
        there.step = Some("accept".into());
        let later = at(2021, 10, 11, 3, 0);
        let again = pushed_again(&item, &there, vec!["身份证".into()], later).expect("pushed again");
        assert_eq!((again.step.as_deref(), again.step_entered_at), (Some("receive"), later));
        assert_eq!(again.materials, vec!["身份证".to_string()]);
        // Not while it is at its own office's step, nor once decided.
        assert_eq!(pushed_again(&item, &again, Vec::new(), later).expect_err("here").code, "remote_step_mismatch");
        there.decision = Some(decision(true));
        assert_eq!(pushed_again(&item, &there, Vec::new(), later).expect_err("decided").code, "remote_step_mismatch");
    }

    #[test]
    fn the_delivery_closes_the_competent_copy_as_decided() {
        let item = ItemBuilder::new().build();
        let mut waiting = draft(&item);
        waiting.status = CaseStatus::InProgress;
        waiting.step = Some("issue".into());
        waiting.decision = Some(decision(false));
        let now = at(2021, 10, 11, 3, 0);
        let delivery = Delivery { method: DeliveryMethod::OnSite, tracking: None, at: now };
        let closed = delivered_there(&item, &waiting, delivery.clone(), now).expect("closed");
        assert_eq!(closed.status, CaseStatus::Closed(Outcome::Denied));
        assert_eq!((closed.step, closed.closed_at), (None, Some(now)));
        // A copy still at its own office's step is not closed by a message.
        waiting.step = Some("decide".into());
        let err = delivered_there(&item, &waiting, delivery, now).expect_err("still here");
        assert_eq!(err.code, "remote_step_mismatch");
    }
}
