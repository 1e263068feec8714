//! Applying one act to a case: the table says whether it may happen ([`permits`]), then the act's
//! data is checked and the next state and its events are built. Pure: the caller stores the new
//! state and the events in one transaction (docs/designs/engine.md, "Storage").

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::catalog::{CaseType, ServiceItem};
use crate::engine::action::{Action, ActionKind, DeliveryMethod, SpecialKind, Verdict};
use crate::engine::basis;
use crate::engine::case::{Authority, Case, CaseStatus, CrossRegion, Decision, Delivery, Extension, Outcome, Pause};
use crate::engine::context::{ActorAt, EngineContext};
use crate::engine::deadline::timer_due;
use crate::engine::jurisdiction::may_accept;
use crate::engine::materials::{blocking_acceptance, missing_required, names};
use crate::engine::refusal::{optional_text, required_text, Refusal};
use crate::engine::table::{latest_instant, permits, Permit};
use crate::procedure::{PauseKind, StepDef, StepKind, TimerOutcome};

/// One recorded fact of an act, for the case's stream (`case:{id}`). Every payload carries the
/// state the act left the case in (`status`, `step`, `revision`) and the acting office
/// (`division`), besides what the act itself says.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseEvent {
    pub act: &'static str,
    pub payload: Value,
}

/// The result of a successful act: the next state (revision + 1) and at least one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub case: Case,
    pub events: Vec<CaseEvent>,
}

/// The acts `actor` may do on `case` at `now`: the buttons to show. Asks the same table as
/// [`apply`], so a button shown is never refused for its state, step or actor (only for the data
/// entered, or a named guard).
pub fn allowed_actions(
    item: &ServiceItem,
    case: &Case,
    actor: &ActorAt,
    ctx: &EngineContext,
    now: DateTime<Utc>,
) -> Vec<ActionKind> {
    // The buttons of the case as the law has it at `now` (a period that ran out has done its work).
    let settled = settle(item, case, ctx, now).map(|(case, _)| case);
    let current = settled.as_ref().unwrap_or(case);
    ActionKind::ALL
        .into_iter()
        .filter(|&kind| {
            let on = if kind == ActionKind::TimerExpired { case } else { current };
            permits(item, on, kind, actor, ctx, now).is_ok()
        })
        .collect()
}

/// The case as the law has it at `now`: every period of a timed step (a wait step's timer, an
/// acting step's window) whose last day is over has taken effect, in order, whether or not the
/// sweep has recorded it yet. A time limit takes effect by law at its end (民法典第二百零三条: a
/// period ends at 24:00 of its last day), not when the sweep next runs; the sweep only records
/// it. The case's revision is unchanged. A timer whose due date rests on a year without calendar
/// data is left to the sweep (it refuses to guess).
pub fn settled(item: &ServiceItem, case: &Case, ctx: &EngineContext, now: DateTime<Utc>) -> Case {
    settle(item, case, ctx, now).map(|(case, _)| case).unwrap_or_else(|_| case.clone())
}

/// The instant a step's timer takes effect: 00:00 Asia/Shanghai of the day after its last day
/// (民法典第二百零三条), if that is at or before `now`.
fn timer_effect(item: &ServiceItem, case: &Case, ctx: &EngineContext, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let correction = item.procedure.correction.is_some() && case.correction_pending_until().is_some();
    if case.is_closed() || !(case.status == CaseStatus::InProgress || correction) {
        return None;
    }
    let step = case.step.as_deref().and_then(|id| item.procedure.step(id))?;
    let due = timer_due(item, case, step, ctx.calendar, now)?;
    if due.provisional {
        return None;
    }
    let at = first_instant_of(due.due?.succ_opt()?)?;
    (at <= now).then_some(at)
}

/// Applies, as the system, every timer of `case` that ran out by `now`, each at the instant it
/// took effect (never before the case's latest recorded instant). Returns the settled case and
/// the events, each finished with the state it left (the revision is the caller's).
fn settle(
    item: &ServiceItem,
    case: &Case,
    ctx: &EngineContext,
    now: DateTime<Utc>,
) -> Result<(Case, Vec<Recorded>), Refusal> {
    let system = ActorAt::system();
    let mut case = case.clone();
    let mut events = Vec::new();
    for _ in 0..=item.procedure.steps.len() {
        let Some(effect) = timer_effect(item, &case, ctx, now) else {
            break;
        };
        let at = effect.max(latest_instant(&case));
        let permit = permits(item, &case, ActionKind::TimerExpired, &system, ctx, at)?;
        let mut act = Act { item, ctx, actor: &system, permit, now: at, case, events: Vec::new() };
        act.timer_expired(effect)?;
        let Act { case: next, events: new, permit, .. } = act;
        case = next;
        events.extend(new.into_iter().map(|(act, payload)| (act, finish(payload, &case, &permit))));
    }
    Ok((case, events))
}

/// The state an act left the case in, added to each of its events' payloads.
fn finish(mut payload: Map<String, Value>, case: &Case, permit: &Permit) -> Map<String, Value> {
    payload.insert("status".into(), json!(case.status.as_str()));
    if let CaseStatus::Closed(outcome) = case.status {
        payload.insert("outcome".into(), json!(outcome.as_str()));
    }
    payload.insert("step".into(), json!(case.step));
    payload.insert("division".into(), json!(permit.division.as_ref().map(|d| d.to_string())));
    payload
}

/// Applies `action` by `actor` at `now`. A refusal leaves `case` as it was.
pub fn apply(
    item: &ServiceItem,
    case: &Case,
    action: &Action,
    actor: &ActorAt,
    now: DateTime<Utc>,
    ctx: &EngineContext,
) -> Result<Transition, Refusal> {
    // The sweep's act: the table checks that the current step's timer ran out; then every timer
    // that ran out by `now` is applied, each at the instant it took effect.
    if action.kind() == ActionKind::TimerExpired {
        permits(item, case, ActionKind::TimerExpired, actor, ctx, now)?;
        let (settled, events) = settle(item, case, ctx, now)?;
        if events.is_empty() {
            return Err(
                Refusal::new("timer_not_expired", "本件当前环节的期限尚未届满").with_basis(basis::CIVIL_CODE_PERIODS)
            );
        }
        return Ok(transition(settled, events));
    }
    // Any other act is decided on the case as the law has it at `now`: a period that ended has
    // taken effect (its events are recorded with this act), whether or not the sweep ran.
    let (settled, mut events) = settle(item, case, ctx, now)?;
    let permit = permits(item, &settled, action.kind(), actor, ctx, now)?;
    let mut act = Act { item, ctx, actor, permit, now, case: settled, events: Vec::new() };
    act.perform(action)?;
    let Act { case, events: own, permit, .. } = act;
    events.extend(own.into_iter().map(|(act, payload)| (act, finish(payload, &case, &permit))));
    Ok(transition(case, events))
}

/// One stored act: revision + 1, every event carrying it.
fn transition(mut case: Case, events: Vec<Recorded>) -> Transition {
    case.revision += 1;
    let events = events
        .into_iter()
        .map(|(act, mut payload)| {
            payload.insert("revision".into(), json!(case.revision));
            CaseEvent { act, payload: Value::Object(payload) }
        })
        .collect();
    Transition { case, events }
}

/// An event recorded by an act in the making: its act name and payload.
type Recorded = (&'static str, Map<String, Value>);

/// One act in the making: the case being changed and the events recorded so far.
struct Act<'a> {
    item: &'a ServiceItem,
    ctx: &'a EngineContext<'a>,
    actor: &'a ActorAt,
    permit: Permit,
    now: DateTime<Utc>,
    case: Case,
    events: Vec<(&'static str, Map<String, Value>)>,
}

/// 00:00:00 Asia/Shanghai on `date`.
fn first_instant_of(date: chrono::NaiveDate) -> Option<DateTime<Utc>> {
    let naive = date.and_hms_opt(0, 0, 0)?;
    naive.and_local_timezone(crate::calendar::shanghai_offset()).single().map(|t| t.with_timezone(&Utc))
}

/// 23:59:59 Asia/Shanghai on `date`: the last instant of a period's last day.
fn last_instant_of(date: chrono::NaiveDate) -> Option<DateTime<Utc>> {
    let naive = date.and_hms_opt(23, 59, 59)?;
    naive.and_local_timezone(crate::calendar::shanghai_offset()).single().map(|t| t.with_timezone(&Utc))
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl<'a> Act<'a> {
    fn record(&mut self, kind: ActionKind, payload: Value) {
        self.events.push((kind.event_act(), object(payload)));
    }

    fn current_step(&self) -> Result<&'a StepDef, Refusal> {
        let item: &'a ServiceItem = self.item;
        self.case
            .step
            .as_deref()
            .and_then(|id| item.procedure.step(id))
            .ok_or_else(|| Refusal::new("unknown_step", "本件当前没有可办理的环节"))
    }

    fn perform(&mut self, action: &Action) -> Result<(), Refusal> {
        let negative = matches!(
            action,
            Action::RefuseAcceptance { .. }
                | Action::Decide { grant: false, .. }
                | Action::Review { verdict: Verdict::Reject, .. }
        ) || matches!(action, Action::DecideOutcome { outcome, .. }
            if self.item.outcomes.get(outcome).is_some_and(|o| !o.grants));
        if negative && !self.item.procedure.refusable {
            return Err(super::table::no_refusal());
        }
        match action {
            Action::Submit => self.submit(),
            Action::Accept => self.accept(),
            Action::NotifyMissing { missing, until } => self.notify_missing(missing, *until),
            Action::Supplement { materials } => self.supplement(materials),
            Action::RefuseAcceptance { reasons } => self.refuse_acceptance(reasons),
            Action::Assign { account } => self.assign(*account),
            Action::Review { verdict, opinion } => self.review(*verdict, opinion),
            Action::SpecialStart { kind, reason } => self.special_start(*kind, reason),
            Action::SpecialEnd => self.end_pause(ActionKind::SpecialEnd),
            Action::Extend { workdays, reason } => self.extend(*workdays, reason),
            Action::Suspend { reason } => self.suspend(reason),
            Action::Resume => self.end_pause(ActionKind::Resume),
            Action::Decide { grant, reasons, basis } => self.decide(*grant, reasons, basis, None),
            Action::DecideOutcome { outcome, reasons, basis, .. } => {
                let step = self.current_step()?;
                let item: &'a ServiceItem = self.item;
                let Some(def) = item.outcomes.get(outcome.trim()) else {
                    let known: Vec<String> =
                        item.outcomes.list.iter().map(|o| format!("{}（{}）", o.label, o.key)).collect();
                    return Err(Refusal::new(
                        "unknown_outcome",
                        format!("本事项没有“{}”这一办理结果，可选：{}", outcome.trim(), known.join("、")),
                    ));
                };
                if !def.at_step(&step.id) {
                    return Err(Refusal::new(
                        "outcome_not_at_step",
                        format!("办理结果“{}”不能在“{}”环节作出", def.label, step.name),
                    ));
                }
                self.decide(def.grants, reasons, basis, Some(def))
            }
            Action::Produce => self.complete_current(ActionKind::Produce, json!({})),
            Action::Issue => self.complete_current(ActionKind::Issue, json!({})),
            Action::Deliver { method, tracking } => self.deliver(*method, tracking.as_deref()),
            Action::Withdraw { reason, party } => self.withdraw(reason, *party),
            Action::Terminate { reason } => self.terminate(reason),
            Action::Forward => self.complete_current(ActionKind::Forward, json!({})),
            Action::Receive => self.complete_current(ActionKind::Receive, json!({})),
            Action::ReturnResult => self.complete_current(ActionKind::ReturnResult, json!({})),
            // Applied through `settle` (see `apply`), never here.
            Action::TimerExpired => Err(Refusal::new("system_only", "期满由系统按期限自动执行")),
        }
    }

    /// 提交申请: the situation and materials are the item's, the office may accept it
    /// (国办发〔2020〕35号), every step has an office to act on it (`check_staffed`), and the
    /// case enters the first step.
    fn submit(&mut self) -> Result<(), Refusal> {
        let item = self.item;
        if let Some(situation) = &self.case.situation {
            if !item.situations.iter().any(|s| &s.id == situation) {
                return Err(Refusal::new("unknown_situation", format!("本事项没有“{situation}”这一办理情形")));
            }
        }
        self.check_known_materials(&self.case.materials)?;
        may_accept(item, &self.case.accepting, &self.case.competent, self.ctx.divisions)?;
        crate::engine::authority::check_staffed(item, &self.case, self.ctx, crate::calendar::shanghai_date(self.now))?;
        let received_on = self.check_receipt()?;
        let first = item.procedure.first().ok_or_else(|| Refusal::new("no_steps", "本事项没有办理流程"))?;
        self.case.status = CaseStatus::Submitted;
        self.case.submitted_at = Some(self.now);
        self.enter(&first.id);
        let case = &self.case;
        let payload = json!({
            "channel": case.channel.as_str(),
            "accepting": case.accepting.to_string(),
            "competent": case.competent.to_string(),
            "cross_region": case.cross_region.as_str(),
            "situation": case.situation,
            "materials": case.materials,
        });
        let mut payload = payload;
        if let (Some(receipt), Some(received_on)) = (&case.receipt, received_on) {
            payload["receipt"] = json!({ "channel": receipt.channel.as_str(), "received_on": received_on.to_string() });
        }
        self.record(ActionKind::Submit, payload);
        Ok(())
    }

    /// The receipt an item whose period runs from the day of receipt needs (and no other item
    /// takes): its channel's date present, not after the day the case is submitted
    /// (《政府信息公开条例》第三十一条, as the item's `[procedure.receipt]` cites it).
    fn check_receipt(&self) -> Result<Option<chrono::NaiveDate>, Refusal> {
        let (rule, receipt) = match (&self.item.procedure.receipt, &self.case.receipt) {
            (None, None) => return Ok(None),
            (None, Some(_)) => {
                return Err(Refusal::new(
                    "receipt_not_applicable",
                    "本事项的办理期限自受理之日起计算，无需登记收到申请的方式和日期",
                ))
            }
            (Some(rule), None) => {
                return Err(Refusal::new(
                    "receipt_required",
                    "本事项的办理期限自收到申请之日起计算，请登记申请方式和收到申请的日期",
                )
                .with_basis(&rule.basis))
            }
            (Some(rule), Some(receipt)) => (rule, receipt),
        };
        let received = receipt.receipt_date().map_err(|e| Refusal::new(e.code, e.message).with_basis(&rule.basis))?;
        let today = crate::calendar::shanghai_date(self.now);
        if received > today || receipt.submitted_on > today {
            return Err(Refusal::new(
                "receipt_after_submission",
                format!("收到申请之日（{received}）不能晚于登记之日（{today}）"),
            )
            .with_basis(&rule.basis));
        }
        Ok(Some(received))
    }

    /// 受理 (行政许可法 Art. 32(5)): the materials are complete (容缺 ones may follow). A 即办件
    /// is decided and served on the spot (Art. 34 para. 2). A case a review sent back is passed
    /// on again; its acceptance date stays.
    fn accept(&mut self) -> Result<(), Refusal> {
        let step = self.current_step()?;
        let blocking = blocking_acceptance(self.item, &self.case);
        if !blocking.is_empty() {
            return Err(Refusal::new(
                "materials_incomplete",
                format!("申请材料不齐全，缺少：{}。请一次性告知申请人需要补正的全部内容", names(&blocking)),
            )
            .with_basis(basis::LICENSING_ACCEPTANCE));
        }
        let tolerated: Vec<String> = missing_required(self.item, &self.case).iter().map(|m| m.id.clone()).collect();
        let again = self.case.accepted_at.is_some();
        if !again {
            self.case.accepted_at = Some(self.now);
        }
        self.case.status = CaseStatus::InProgress;
        if self.item.case_type == CaseType::Instant && !again {
            return self.on_the_spot(step, tolerated);
        }
        let completed = self.complete(step)?;
        self.record(ActionKind::Accept, json!({ "again": again, "tolerated": tolerated, "completed": completed }));
        Ok(())
    }

    /// 即办件: accepted, decided (granted) and served at the window in one act, with an event
    /// for each; every step's guards are checked and its effects and notices recorded.
    fn on_the_spot(&mut self, accept_step: &'a StepDef, tolerated: Vec<String>) -> Result<(), Refusal> {
        let item = self.item;
        let mut steps = vec![accept_step];
        let mut current = accept_step;
        while let Some(next) = item.procedure.next_of(&current.id) {
            if steps.len() > item.procedure.steps.len() || steps.iter().any(|s| s.id == next.id) {
                break;
            }
            steps.push(next);
            current = next;
        }
        let mut completed = Vec::new();
        for step in &steps {
            completed.push(self.completion(step)?);
        }
        let rest = completed.split_off(1);
        self.record(
            ActionKind::Accept,
            json!({ "on_the_spot": true, "tolerated": tolerated, "completed": completed, "basis": basis::LICENSING_ON_THE_SPOT }),
        );
        let decision = self.decision(true, String::new(), item.legal_basis.join("；"));
        let payload = json!({
            "granted": true,
            "decision_outcome": decision.outcome,
            "on_the_spot": true,
            "basis": decision.basis,
            "authority": authority_json(&decision.authority),
            "completed": rest,
        });
        self.case.decision = Some(decision);
        self.record(ActionKind::Decide, payload);
        self.case.delivery = Some(Delivery { method: DeliveryMethod::OnSite, tracking: None, at: self.now });
        self.record(ActionKind::Deliver, json!({ "method": DeliveryMethod::OnSite.as_str(), "tracking": null }));
        self.close(Outcome::Granted);
        Ok(())
    }

    /// 一次性告知 (行政许可法 Art. 32(4), Art. 72(4)): the notice names every missing required
    /// material and nothing else; the acceptance clock stops until the supplement.
    fn notify_missing(&mut self, listed: &[String], until: Option<chrono::NaiveDate>) -> Result<(), Refusal> {
        let listed = self.check_known_materials(listed)?;
        let until = self.correction_until(until)?;
        let expected = missing_required(self.item, &self.case);
        if let Some(extra) = listed.iter().find(|id| !expected.iter().any(|m| &m.id == *id)) {
            let name = self.material_name(extra);
            return Err(Refusal::new("notice_not_missing", format!("“{name}”不是尚缺的必需材料，不应要求补正"))
                .with_basis(basis::LICENSING_ACCEPTANCE));
        }
        let omitted: Vec<_> = expected.iter().copied().filter(|m| !listed.contains(&m.id)).collect();
        if !omitted.is_empty() {
            return Err(Refusal::new(
                "notice_incomplete",
                format!("一次性告知须列明需要补正的全部内容，还应列入：{}", names(&omitted)),
            )
            .with_basis(basis::LICENSING_ACCEPTANCE));
        }
        self.case.missing = expected.iter().map(|m| m.id.clone()).collect();
        self.open_pause(PauseKind::Supplement, None, "一次性告知补正".to_string());
        self.case.status = CaseStatus::AwaitingSupplement;
        self.case.correction_until = until;
        let mut payload = json!({
            "missing": self.case.missing,
            "names": expected.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
            "notices": ["supplement_notice"],
            "basis": basis::LICENSING_ACCEPTANCE,
        });
        if let (Some(until), Some(rule)) = (until, &self.item.procedure.correction) {
            payload["until"] = json!(until.to_string());
            payload["correction_basis"] = json!(rule.period.basis);
        }
        self.record(ActionKind::NotifyMissing, payload);
        Ok(())
    }

    /// The last day to correct the notice sets, for an item that declares the correction's own
    /// period (《政府信息公开条例》第三十条: 说明……合理的补正期限): the day stated, not before the
    /// declared period counted from the notice's day (the bureau's measure of a reasonable period:
    /// a notice may give more time, never less; a day already past is refused first); else the
    /// end of the declared period. An item without it takes no day.
    fn correction_until(&self, stated: Option<chrono::NaiveDate>) -> Result<Option<chrono::NaiveDate>, Refusal> {
        let Some(rule) = &self.item.procedure.correction else {
            return match stated {
                None => Ok(None),
                Some(_) => Err(Refusal::new(
                    "correction_period_not_declared",
                    "本事项未设补正期限，告知补正时无需填写补正期限",
                )
                .with_field("until")),
            };
        };
        let today = crate::calendar::shanghai_date(self.now);
        let least = crate::engine::deadline::period_end(&rule.period, today, self.ctx.calendar)
            .map(|(end, _)| end)
            .ok_or_else(|| Refusal::new("calendar_no_data", "补正期限超出可计算的日期范围"))?;
        match stated {
            None => Ok(Some(least)),
            Some(until) if until < today => Err(Refusal::new(
                "correction_until_past",
                format!("补正期限的最后一日（{until}）已经过去，应不早于告知之日（{today}）"),
            )
            .with_field("until")
            .with_basis(&rule.period.basis)),
            Some(until) if until < least => Err(Refusal::new(
                "correction_period_too_short",
                format!("补正期限不得短于{}{}，最后一日应不早于{least}", rule.period.value, rule.period.unit.name_zh()),
            )
            .with_field("until")
            .with_basis(&rule.period.basis)),
            Some(until) => Ok(Some(until)),
        }
    }

    /// 补正: everything the notice listed, at once (Art. 32(5): 提交全部补正申请材料的，应当受理).
    fn supplement(&mut self, brought: &[String]) -> Result<(), Refusal> {
        let brought = self.check_known_materials(brought)?;
        let still: Vec<String> = self.case.missing.iter().filter(|id| !brought.contains(id)).cloned().collect();
        if !still.is_empty() {
            let still: Vec<String> = still.iter().map(|id| self.material_name(id)).collect();
            return Err(Refusal::new("supplement_incomplete", format!("补正材料不全，还缺：{}", still.join("、")))
                .with_basis(basis::LICENSING_ACCEPTANCE));
        }
        for id in &brought {
            if !self.case.materials.contains(id) {
                self.case.materials.push(id.clone());
            }
        }
        self.case.missing.clear();
        self.close_pause();
        self.case.status = CaseStatus::Submitted;
        self.record(ActionKind::Supplement, json!({ "materials": brought }));
        Ok(())
    }

    /// 不予受理 (Art. 32(1)–(2)), with reasons (Art. 72(7)) and a dated written notice.
    fn refuse_acceptance(&mut self, reasons: &str) -> Result<(), Refusal> {
        let reasons = required_text(reasons, "不予受理的理由", "reasons_required")
            .map_err(|r| r.with_basis(basis::LICENSING_REASONS_DUTY))?;
        self.close(Outcome::NotAccepted);
        self.record(
            ActionKind::RefuseAcceptance,
            json!({ "reasons": reasons, "notices": ["refusal_notice"], "basis": basis::LICENSING_ACCEPTANCE }),
        );
        Ok(())
    }

    fn assign(&mut self, account: i64) -> Result<(), Refusal> {
        if account <= 0 {
            return Err(Refusal::new("invalid_account", "请选择承办人"));
        }
        self.case.assignee = Some(account);
        self.record(ActionKind::Assign, json!({ "account": account }));
        Ok(())
    }

    /// 审核: approve → the next step; return → `on_return` with an opinion; reject → denied,
    /// with the opinion as reasons (行政许可法 Art. 38 para. 2).
    ///
    /// At a wait step with `on_return` (公示) only `return` is possible: an objection (异议) sends
    /// the matter back to investigation, and the publicity starts again when it comes back
    /// (社会救助暂行办法第十一条第二项; 社会救助暂行办法; 民发〔2021〕57号 step 5).
    fn review(&mut self, verdict: Verdict, opinion: &str) -> Result<(), Refusal> {
        let step = self.current_step()?;
        if step.kind == StepKind::Wait && verdict != Verdict::Return {
            return Err(Refusal::new(
                "objection_only",
                format!("“{}”期间只能登记异议并退回重新调查（verdict = return），期满自动进入下一环节", step.name),
            ));
        }
        match verdict {
            Verdict::Approve => {
                let opinion = optional_text(opinion, "审核意见")?;
                let completed = self.complete(step)?;
                self.record(
                    ActionKind::Review,
                    json!({ "verdict": verdict.as_str(), "opinion": opinion, "completed": completed }),
                );
            }
            Verdict::Return => {
                let opinion = required_text(opinion, "退回意见", "opinion_required")?;
                let target = step
                    .on_return
                    .as_deref()
                    .ok_or_else(|| Refusal::new("no_return_step", format!("“{}”环节不能退回", step.name)))?;
                let target =
                    self.item.procedure.step(target).ok_or_else(|| {
                        Refusal::new("unknown_step", format!("退回的目标环节“{target}”不在办理流程中"))
                    })?;
                self.enter(&target.id);
                let objection = step.kind == StepKind::Wait;
                self.record(
                    ActionKind::Review,
                    json!({ "verdict": verdict.as_str(), "opinion": opinion, "returned_to": target.id, "objection": objection }),
                );
            }
            Verdict::Reject => {
                let opinion = required_text(opinion, "不予通过的理由", "opinion_required")
                    .map_err(|r| r.with_basis(basis::LICENSING_DENIAL_REASONS))?;
                let decision = self.decision(false, opinion.clone(), self.item.legal_basis.join("；"));
                let authority = authority_json(&decision.authority);
                self.case.decision = Some(decision);
                self.close(Outcome::Denied);
                self.record(
                    ActionKind::Review,
                    json!({ "verdict": verdict.as_str(), "opinion": opinion, "authority": authority }),
                );
            }
        }
        Ok(())
    }

    /// 特别程序 (行政许可法 Art. 45): the clock stops; the applicant is told in writing. A
    /// consultation of a third party only where the item declares the third party's time
    /// (《政府信息公开条例》第三十二条), whose basis the act records.
    fn special_start(&mut self, kind: SpecialKind, reason: &str) -> Result<(), Refusal> {
        let basis_text = match (kind, &self.item.procedure.consultation) {
            (SpecialKind::Consultation, Some(limit)) => limit.basis.clone(),
            (SpecialKind::Consultation, None) => {
                return Err(Refusal::new("consultation_not_allowed", "本事项的办理流程不包含征求第三方意见"));
            }
            _ => basis::LICENSING_SPECIAL_TIME.to_string(),
        };
        let reason = required_text(reason, "特别程序的事由", "reasons_required")?;
        self.open_pause(PauseKind::Special, Some(kind), reason.clone());
        self.case.status = CaseStatus::Paused(PauseKind::Special);
        self.record(
            ActionKind::SpecialStart,
            json!({
                "kind": kind.as_str(),
                "reason": reason,
                "notices": ["special_procedure_notice"],
                "basis": basis_text,
            }),
        );
        Ok(())
    }

    /// 中止: the clock stops until 恢复.
    fn suspend(&mut self, reason: &str) -> Result<(), Refusal> {
        let reason = required_text(reason, "中止的事由", "reasons_required")?;
        self.open_pause(PauseKind::Suspend, None, reason.clone());
        self.case.status = CaseStatus::Paused(PauseKind::Suspend);
        self.record(ActionKind::Suspend, json!({ "reason": reason, "notices": ["suspension_notice"] }));
        Ok(())
    }

    /// 特别程序结束 / 恢复办理: the open pause ends now and the clock runs again.
    fn end_pause(&mut self, kind: ActionKind) -> Result<(), Refusal> {
        let pause = self.close_pause();
        self.case.status = CaseStatus::InProgress;
        let special = pause.and_then(|p| p.special).map(|s| s.as_str());
        self.record(kind, json!({ "special": special }));
        Ok(())
    }

    /// 延长 (行政许可法 Art. 42): once, within the rule's ceiling, with reasons told to the
    /// applicant; the approver is the one who acts (the table checked the role).
    fn extend(&mut self, workdays: u32, reason: &str) -> Result<(), Refusal> {
        let Some(rule) = &self.item.procedure.extension else {
            return Err(Refusal::new("extension_not_allowed", "本事项的办理期限不能延长"));
        };
        if workdays == 0 || workdays > rule.max.value {
            return Err(Refusal::new(
                "extension_out_of_range",
                format!("延长期限须为 1 至 {} {}", rule.max.value, rule.max.unit.name_zh()),
            )
            .with_basis(&rule.max.basis));
        }
        let reason = required_text(reason, "延长期限的理由", "reasons_required")
            .map_err(|r| r.with_basis(basis::LICENSING_EXTENSION))?;
        self.case.extensions.push(Extension {
            workdays,
            reason: reason.clone(),
            approver: self.actor.label.clone(),
            at: self.now,
        });
        self.record(
            ActionKind::Extend,
            json!({
                "workdays": workdays,
                "unit": rule.max.unit.as_str(),
                "reason": reason,
                "approver": self.actor.label,
                "notices": ["extension_notice"],
                "basis": rule.max.basis,
            }),
        );
        Ok(())
    }

    /// 作出决定: grant (the step's guards must hold) and go on; or deny with reasons and basis
    /// (行政许可法 Art. 38 para. 2), which closes the matter.
    /// `outcome`: the declared outcome the act names; `None`: the item's default of its side.
    fn decide(
        &mut self,
        grant: bool,
        reasons: &str,
        basis_text: &str,
        outcome: Option<&'a crate::catalog::OutcomeDef>,
    ) -> Result<(), Refusal> {
        let step = self.current_step()?;
        // On the spot at the window of a 即办件 (the table allowed it): only a refusal; a grant is
        // the acceptance itself, which checks every step's conditions.
        let on_the_spot = step.kind == StepKind::Accept;
        if on_the_spot && grant {
            return Err(Refusal::new("grant_by_acceptance", "当场办结的事项，准予即为受理（当场办结），请使用“受理”"));
        }
        let (reasons, basis_text) = if grant {
            let basis_text = optional_text(basis_text, "决定依据")?;
            let basis_text = if basis_text.is_empty() { self.item.legal_basis.join("；") } else { basis_text };
            (optional_text(reasons, "决定理由")?, basis_text)
        } else {
            let with_basis = |r: Refusal| r.with_basis(basis::LICENSING_DENIAL_REASONS);
            let reasons = required_text(reasons, "不予准予的理由", "reasons_required").map_err(with_basis)?;
            // A declared outcome carries its basis; the act may state a more precise one.
            let declared = outcome.map(|o| o.basis.as_str()).filter(|b| !b.is_empty() && basis_text.trim().is_empty());
            let basis_text = required_text(declared.unwrap_or(basis_text), "不予准予的依据", "basis_required")
                .map_err(with_basis)?;
            (reasons, basis_text)
        };
        let mut decision = self.decision(grant, reasons, basis_text);
        if let Some(outcome) = outcome {
            decision.outcome = Some(outcome.key.clone());
        }
        let mut payload = json!({
            "granted": grant,
            "reasons": decision.reasons,
            "basis": decision.basis,
            "authority": authority_json(&decision.authority),
        });
        if let Some(def) = self.item.outcomes.of_decision(decision.outcome.as_deref(), grant) {
            // `outcome` in a payload is how the case closed (`finish`); this is the item's.
            payload["decision_outcome"] = json!(def.key);
            payload["decision_outcome_label"] = json!(def.label);
        }
        if grant {
            let completed = self.completion(step)?;
            self.case.decision = Some(decision);
            payload["completed"] = self.advance(step, completed);
        } else {
            self.case.decision = Some(decision);
            payload["notices"] = json!(["denial_decision"]);
            if on_the_spot {
                // Received, examined and refused at the window (行政许可法第三十四条第二款).
                self.case.accepted_at = Some(self.now);
                payload["on_the_spot"] = json!(true);
                payload["basis_of_procedure"] = json!(basis::LICENSING_ON_THE_SPOT);
            }
            self.close(Outcome::Denied);
        }
        self.record(ActionKind::Decide, payload);
        Ok(())
    }

    /// 送达: by a method the item offers; a post needs its tracking number.
    fn deliver(&mut self, method: DeliveryMethod, tracking: Option<&str>) -> Result<(), Refusal> {
        let offered = &self.item.result.delivery;
        if !offered.is_empty() && !offered.iter().any(|m| m == method.catalog_name()) {
            return Err(Refusal::new(
                "delivery_method_not_offered",
                format!("本事项的办理结果不提供“{}”", method.name_zh()),
            ));
        }
        let tracking = optional_text(tracking.unwrap_or(""), "邮件单号")?;
        if method == DeliveryMethod::Post && tracking.is_empty() {
            return Err(Refusal::new("tracking_required", "邮寄送达须填写邮件单号"));
        }
        let tracking = (!tracking.is_empty()).then_some(tracking);
        self.case.delivery = Some(Delivery { method, tracking: tracking.clone(), at: self.now });
        self.complete_current(ActionKind::Deliver, json!({ "method": method.as_str(), "tracking": tracking }))
    }

    /// 撤回申请, by the applicant's side, before the decision (the table checked both).
    fn withdraw(&mut self, reason: &str, party: Option<i64>) -> Result<(), Refusal> {
        let reason = optional_text(reason, "撤回理由")?;
        let by_applicant = self.actor.owns(&self.case);
        self.close(Outcome::Withdrawn);
        self.record(ActionKind::Withdraw, json!({ "reason": reason, "by_applicant": by_applicant, "party": party }));
        Ok(())
    }

    fn terminate(&mut self, reason: &str) -> Result<(), Refusal> {
        let reason = required_text(reason, "终止的理由", "reasons_required")?;
        self.close(Outcome::Terminated);
        self.record(ActionKind::Terminate, json!({ "reason": reason, "notices": ["termination_notice"] }));
        Ok(())
    }

    /// 期满: the step's timer ran out at `effect` (the table checked it): advance, or deem the
    /// application withdrawn. The act is dated when the period ended, and says so.
    fn timer_expired(&mut self, effect: DateTime<Utc>) -> Result<(), Refusal> {
        let step = self.current_step()?;
        let effective_at = effect.to_rfc3339();
        let item: &'a ServiceItem = self.item;
        if let (Some(rule), Some(until)) = (&item.procedure.correction, self.case.correction_pending_until()) {
            return self.correction_lapsed(rule, until, effective_at);
        }
        let outcome = step.timer.as_ref().map(|t| t.outcome).unwrap_or(TimerOutcome::Advance);
        match outcome {
            TimerOutcome::Advance => {
                // The next step counts from the wait's last day, not from when the sweep ran: the
                // 30 days after the cooling-off period are counted from its end (民法典第二百零一条:
                // that day not counted; 第一千零七十七条第二款), however late the timer fires.
                let ended = timer_due(self.item, &self.case, step, self.ctx.calendar, self.now).and_then(|d| d.due);
                let completed = self.complete(step)?;
                if let Some(last) = ended.and_then(last_instant_of).filter(|last| *last < self.now) {
                    self.case.step_entered_at = last;
                }
                self.record(
                    ActionKind::TimerExpired,
                    json!({ "outcome": "advance", "completed": completed, "effective_at": effective_at }),
                );
            }
            TimerOutcome::DeemWithdrawn => {
                self.close(Outcome::DeemedWithdrawn);
                self.record(
                    ActionKind::TimerExpired,
                    json!({ "outcome": "deem_withdrawn", "expired_step": step.id, "effective_at": effective_at }),
                );
            }
        }
        Ok(())
    }

    /// The correction's period ran out without the correction (《政府信息公开条例》第三十条:
    /// 申请人无正当理由逾期不补正的，视为放弃申请): the case closes with the declared lapse outcome,
    /// a decision that does not grant, recorded as a decide act's outcome is; no notice to type.
    fn correction_lapsed(
        &mut self,
        rule: &crate::procedure::CorrectionRule,
        until: chrono::NaiveDate,
        effective_at: String,
    ) -> Result<(), Refusal> {
        let item: &'a ServiceItem = self.item;
        let def = item.outcomes.get(&rule.lapse_outcome);
        let label = def.map(|d| d.label.as_str()).unwrap_or(rule.lapse_outcome.as_str());
        let reasons = format!("补正期限于{until}届满，申请人未补正，{label}");
        let basis_text = def.map(|d| d.basis.clone()).filter(|b| !b.is_empty()).unwrap_or(rule.period.basis.clone());
        let mut decision = self.decision(false, reasons, basis_text);
        decision.outcome = Some(rule.lapse_outcome.clone());
        let payload = json!({
            "lapse": "correction",
            "until": until.to_string(),
            "granted": false,
            "reasons": decision.reasons,
            "basis": decision.basis,
            "decision_outcome": rule.lapse_outcome,
            "decision_outcome_label": label,
            "effective_at": effective_at,
        });
        self.case.decision = Some(decision);
        self.close(Outcome::Denied);
        self.record(ActionKind::TimerExpired, payload);
        Ok(())
    }

    /// Completes the current step and records `payload` plus the completion.
    fn complete_current(&mut self, kind: ActionKind, payload: Value) -> Result<(), Refusal> {
        let step = self.current_step()?;
        let completed = self.complete(step)?;
        let mut payload = object(payload);
        payload.insert("completed".into(), completed);
        self.record(kind, Value::Object(payload));
        Ok(())
    }

    /// Completes `step` going forward: its named guards must hold, its effects and notices are
    /// recorded, and the case enters the next step (or closes at the end).
    fn complete(&mut self, step: &StepDef) -> Result<Value, Refusal> {
        let completed = self.completion(step)?;
        Ok(self.advance(step, completed))
    }

    /// Enters the step after `step` and adds where the case went to its `completed` record.
    fn advance(&mut self, step: &StepDef, mut completed: Value) -> Value {
        let (entered, skipped) = self.enter_next(step);
        completed["entered"] = json!(entered);
        completed["skipped"] = json!(skipped);
        completed
    }

    /// The guards (checked through the context's hook, when there is one) and what a step's
    /// completion records.
    fn completion(&self, step: &StepDef) -> Result<Value, Refusal> {
        let checked = match self.ctx.guard {
            Some(hook) => {
                for guard in &step.guards {
                    hook(guard, &self.case)?;
                }
                true
            }
            None => false,
        };
        Ok(json!({
            "step": step.id,
            "guards": step.guards,
            "guards_checked": checked,
            "effects": step.effects,
            "notices": step.notices,
        }))
    }

    /// Enters the step after `from`. The cross-region steps (forward, receive, return result)
    /// are skipped when the case is not cross-region (国办发〔2020〕35号: 收受分离 only applies
    /// between places). At the end of the procedure the case closes: granted unless the
    /// decision on record denied it.
    fn enter_next(&mut self, from: &StepDef) -> (Option<String>, Vec<String>) {
        let procedure = &self.item.procedure;
        let mut skipped = Vec::new();
        let mut next = procedure.next_of(&from.id);
        while let Some(step) = next {
            let cross_region_step = matches!(step.kind, StepKind::Forward | StepKind::Receive | StepKind::ReturnResult);
            // A step the item skips for this 情形 (e.g. no 公示 for minors: 特困人员认定办法).
            let skipped_for_situation =
                self.case.situation.as_ref().is_some_and(|situation| step.skip_situations.contains(situation));
            // A step the law passes over for this case on this day (e.g. no 公示 for a minor,
            // decided from the birth date, not the 情形): the context's hook.
            let skipped_by_law = self.ctx.skip.is_some_and(|hook| hook(step, &self.case));
            if !((cross_region_step && self.case.cross_region == CrossRegion::None)
                || skipped_for_situation
                || skipped_by_law)
                || skipped.len() > procedure.steps.len()
            {
                break;
            }
            skipped.push(step.id.clone());
            next = procedure.next_of(&step.id);
        }
        match next {
            Some(step) => {
                let id = step.id.clone();
                self.enter(&id);
                (Some(id), skipped)
            }
            None => {
                let denied = self.case.decision.as_ref().is_some_and(|d| !d.granted);
                self.close(if denied { Outcome::Denied } else { Outcome::Granted });
                (None, skipped)
            }
        }
    }

    /// Enters `step`. The parties' own period (a `party_time` step) is a ledger entry from entry
    /// to exit, so the office's time leaves it out.
    fn enter(&mut self, step: &str) {
        self.end_party_time();
        let item: &'a ServiceItem = self.item;
        if let Some(def) = item.procedure.step(step).filter(|d| d.party_time) {
            self.case.pauses.push(Pause {
                kind: PauseKind::PartyTime,
                special: None,
                reason: def.name.clone(),
                start: self.now,
                end: None,
            });
        }
        self.case.step = Some(step.to_string());
        self.case.step_entered_at = self.now;
        self.case.assignee = None;
    }

    /// Ends the open `PartyTime` entry, if any, now.
    fn end_party_time(&mut self) {
        let now = self.now;
        for pause in self.case.pauses.iter_mut().filter(|p| p.kind == PauseKind::PartyTime && p.end.is_none()) {
            pause.end = Some(now);
        }
    }

    fn close(&mut self, outcome: Outcome) {
        self.end_party_time();
        self.close_pause();
        self.case.status = CaseStatus::Closed(outcome);
        self.case.step = None;
        self.case.closed_at = Some(self.now);
        self.case.assignee = None;
    }

    fn open_pause(&mut self, kind: PauseKind, special: Option<SpecialKind>, reason: String) {
        self.case.pauses.push(Pause { kind, special, reason, start: self.now, end: None });
    }

    /// Ends the open pause, if any, now; returns it.
    fn close_pause(&mut self) -> Option<Pause> {
        let now = self.now;
        let pause = self.case.pauses.iter_mut().find(|p| p.end.is_none() && p.kind != PauseKind::PartyTime)?;
        pause.end = Some(now);
        Some(pause.clone())
    }

    /// The decision, with the item's default outcome of its side at the current step (a decide
    /// act that names one replaces it).
    fn decision(&self, granted: bool, reasons: String, basis_text: String) -> Decision {
        let outcome = self.item.outcomes.default_for(self.case.step.as_deref(), granted).map(|o| o.key.clone());
        Decision {
            outcome,
            granted,
            reasons,
            basis: basis_text,
            authority: self.permit.authority.clone(),
            division: self.permit.division.clone().unwrap_or_else(|| self.case.competent.clone()),
            by: self.actor.label.clone(),
            at: self.now,
        }
    }

    /// Trimmed, deduplicated material ids, each one of the item's.
    fn check_known_materials(&self, ids: &[String]) -> Result<Vec<String>, Refusal> {
        let mut out: Vec<String> = Vec::new();
        for id in ids {
            let id = id.trim();
            if !self.item.materials.iter().any(|m| m.id == id) {
                let shown: String = id.chars().take(32).collect();
                return Err(Refusal::new("unknown_material", format!("本事项没有“{shown}”这项材料")));
            }
            if !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    fn material_name(&self, id: &str) -> String {
        self.item.materials.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_else(|| id.to_string())
    }
}

fn authority_json(authority: &Authority) -> Value {
    match authority {
        Authority::Own => json!({ "kind": "own" }),
        Authority::Delegated { document } => json!({ "kind": "delegated", "document": document }),
    }
}
