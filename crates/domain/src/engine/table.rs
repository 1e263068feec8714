//! The one table of which acts are possible: in which status, at which kind of step, by whom,
//! and under which payload-free conditions (style rule 12; OpenCRVS `availableActions`). Both
//! [`allowed_actions`](super::apply::allowed_actions) (the buttons) and
//! [`apply`](super::apply::apply) (the guard of the POST) ask [`permits`], so they never
//! disagree. What depends on the act's data (the materials named, the reasons given, a named
//! guard's verdict) is checked by `apply` alone, after this.

use chrono::{DateTime, Utc};

use crate::access::Role;
use crate::calendar::shanghai_date;
use crate::catalog::ServiceItem;
use crate::division::DivisionCode;
use crate::engine::action::ActionKind;
use crate::engine::authority::acting_division;
use crate::engine::basis;
use crate::engine::case::{Authority, Case, CaseStatus};
use crate::engine::context::{ActorAt, EngineContext};
use crate::engine::deadline::timer_due;
use crate::engine::materials::missing_required;
use crate::engine::refusal::Refusal;
use crate::procedure::{PauseKind, StepDef, StepKind};

/// What the table grants: the office the act is done at and under whose power.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Permit {
    pub division: Option<DivisionCode>,
    pub authority: Authority,
}

/// Who may do an act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The current step's role, with a grant reaching the step's acting division.
    StepRole,
    /// The applicant's side: the citizen whose case it is, or a clerk reaching the accepting
    /// office who records it at the window.
    Applicant,
    /// The extension rule's approver role (本行政机关负责人, 行政许可法 Art. 42), reaching the
    /// competent division.
    Approver,
    /// A decider reaching the competent division: the authority that answers for the matter.
    Authority,
    /// The system's timer sweep, and nobody else.
    System,
}

/// Where in the procedure an act is possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Anywhere,
    /// Only at a step of this kind.
    Kind(StepKind),
    /// At a step that people act on (it has a role; a wait step has none).
    Staffed,
    /// At a step with a timer: a wait step, or an acting step's window (the divorce
    /// certificate window, 民法典第一千零七十七条第二款).
    Timed,
    /// At a decide step; or, for a 即办件, at its acceptance step: a matter decided on the spot
    /// may be refused on the spot too (行政许可法第三十四条第二款; 婚姻登记条例（2003年）第七条: 不予登记
    /// 的，应当向当事人说明理由), with reasons, so a marriage that fails its conditions ends with a
    /// written decision instead of staying open at the window.
    Deciding,
    /// At a review step, or at a wait step with `on_return`: a publicity (公示) where an
    /// objection sends the matter back (社会救助暂行办法第十一条第二项; 社会救助暂行办法; 民发〔2021〕57号 step 5).
    Returnable,
}

struct Row {
    when: fn(CaseStatus) -> bool,
    at: At,
    who: Who,
}

fn draft(s: CaseStatus) -> bool {
    s == CaseStatus::Draft
}
fn submitted(s: CaseStatus) -> bool {
    s == CaseStatus::Submitted
}
/// Accept: a submitted case, or one a review sent back to the acceptance step.
fn submitted_or_returned(s: CaseStatus) -> bool {
    matches!(s, CaseStatus::Submitted | CaseStatus::InProgress)
}
fn awaiting_supplement(s: CaseStatus) -> bool {
    s == CaseStatus::AwaitingSupplement
}
fn before_acceptance(s: CaseStatus) -> bool {
    matches!(s, CaseStatus::Submitted | CaseStatus::AwaitingSupplement)
}
/// Decide: a case in progress (a decide step) or, on the spot, a submitted one (see `At::Deciding`).
fn decidable(s: CaseStatus) -> bool {
    matches!(s, CaseStatus::InProgress | CaseStatus::Submitted)
}
fn in_progress(s: CaseStatus) -> bool {
    s == CaseStatus::InProgress
}
/// A timer runs: a step's, in progress; or the correction's, awaiting it (`At::Timed` checks
/// which).
fn timed(s: CaseStatus) -> bool {
    matches!(s, CaseStatus::InProgress | CaseStatus::AwaitingSupplement)
}
fn running(s: CaseStatus) -> bool {
    matches!(s, CaseStatus::InProgress | CaseStatus::Paused(_))
}
fn in_special(s: CaseStatus) -> bool {
    s == CaseStatus::Paused(PauseKind::Special)
}
fn suspended(s: CaseStatus) -> bool {
    s == CaseStatus::Paused(PauseKind::Suspend)
}
/// Submitted and not closed.
fn open(s: CaseStatus) -> bool {
    !matches!(s, CaseStatus::Draft | CaseStatus::Closed(_))
}
fn not_closed(s: CaseStatus) -> bool {
    !matches!(s, CaseStatus::Closed(_))
}

/// The table, total over [`ActionKind`]. Sources: 行政许可法 Art. 32 (acceptance, one-time
/// notice, refusal to accept), Art. 34 (on the spot), Art. 38 (decision), Art. 42 (extension),
/// Art. 45 (special procedures); 国办发〔2020〕35号 (forward, receive, return); the rest is the
/// platform's procedure model (docs/designs/engine.md).
fn row(kind: ActionKind) -> Row {
    use ActionKind as K;
    let row = |when, at, who| Row { when, at, who };
    match kind {
        K::Submit => row(draft, At::Anywhere, Who::Applicant),
        K::Accept => row(submitted_or_returned, At::Kind(StepKind::Accept), Who::StepRole),
        K::NotifyMissing => row(submitted, At::Kind(StepKind::Accept), Who::StepRole),
        K::Supplement => row(awaiting_supplement, At::Kind(StepKind::Accept), Who::Applicant),
        K::RefuseAcceptance => row(before_acceptance, At::Kind(StepKind::Accept), Who::StepRole),
        K::Assign => row(open, At::Staffed, Who::StepRole),
        K::Review => row(in_progress, At::Returnable, Who::StepRole),
        K::SpecialStart => row(in_progress, At::Staffed, Who::StepRole),
        K::SpecialEnd => row(in_special, At::Staffed, Who::StepRole),
        K::Extend => row(running, At::Anywhere, Who::Approver),
        K::Suspend => row(in_progress, At::Staffed, Who::StepRole),
        K::Resume => row(suspended, At::Staffed, Who::StepRole),
        K::Decide => row(decidable, At::Deciding, Who::StepRole),
        K::Produce => row(in_progress, At::Kind(StepKind::Produce), Who::StepRole),
        K::Issue => row(in_progress, At::Kind(StepKind::Issue), Who::StepRole),
        K::Deliver => row(in_progress, At::Kind(StepKind::Deliver), Who::StepRole),
        K::Withdraw => row(not_closed, At::Anywhere, Who::Applicant),
        K::Terminate => row(open, At::Anywhere, Who::Authority),
        K::Forward => row(in_progress, At::Kind(StepKind::Forward), Who::StepRole),
        K::Receive => row(in_progress, At::Kind(StepKind::Receive), Who::StepRole),
        K::ReturnResult => row(in_progress, At::Kind(StepKind::ReturnResult), Who::StepRole),
        K::TimerExpired => row(timed, At::Timed, Who::System),
    }
}

/// May `actor` do an act of `kind` on `case` at `now`? The checks, in order: the case belongs
/// to this item version; a closed case accepts nothing; the status; the step; the actor; the
/// payload-free conditions of the act.
pub(crate) fn permits(
    item: &ServiceItem,
    case: &Case,
    kind: ActionKind,
    actor: &ActorAt,
    ctx: &EngineContext,
    now: DateTime<Utc>,
) -> Result<Permit, Refusal> {
    if case.item_slug != item.slug || case.item_version != item.version.number {
        return Err(Refusal::new(
            "wrong_item_version",
            format!(
                "本件按“{}”第{}版办理，不能用第{}版的规则处理",
                case.item_slug, case.item_version, item.version.number
            ),
        ));
    }
    if let CaseStatus::Closed(outcome) = case.status {
        return Err(Refusal::new(
            "case_closed",
            format!("本件已办结（{}），不能再{}", outcome.name_zh(), kind.name_zh()),
        ));
    }
    if now < latest_instant(case) {
        return Err(Refusal::new("time_before_last_act", "办理时间早于本件上一次办理的时间，请核对系统时钟"));
    }
    let row = row(kind);
    if !(row.when)(case.status) {
        return Err(Refusal::new(
            "wrong_status",
            format!("本件当前为“{}”，不能{}", case.status.name_zh(), kind.name_zh()),
        ));
    }
    let step = current_step(item, case)?;
    match (row.at, step) {
        (At::Anywhere, _) => {}
        (At::Kind(wanted), Some(step)) if step.kind == wanted => {}
        (At::Staffed, Some(step)) if step.role.is_some() => {}
        (At::Timed, Some(step))
            if (case.status == CaseStatus::InProgress && step.timer.is_some())
                || (case.status == CaseStatus::AwaitingSupplement
                    && item.procedure.correction.is_some()
                    && case.correction_pending_until().is_some()) => {}
        (At::Deciding, Some(step))
            if (step.kind == StepKind::Decide && case.status == CaseStatus::InProgress)
                || (step.kind == StepKind::Accept
                    && item.case_type == crate::catalog::CaseType::Instant
                    && case.accepted_at.is_none()) => {}
        (At::Returnable, Some(step))
            if step.kind == StepKind::Review || (step.kind == StepKind::Wait && step.on_return.is_some()) => {}
        (_, step) => {
            let name = step.map(|s| s.name.as_str()).unwrap_or("（无）");
            return Err(Refusal::new("wrong_step", format!("当前环节“{name}”不能{}", kind.name_zh())));
        }
    }
    let permit = who_may(item, case, kind, row.who, step, actor, ctx, now)?;
    precondition(item, case, kind, step, ctx, now)?;
    Ok(permit)
}

/// The refusal of a refusal, for an item whose law gives none ([`crate::procedure::ProcedureDef::refusable`]):
/// what is missing is completed with the applicant's help, never refused.
pub(crate) fn no_refusal() -> Refusal {
    Refusal::new(
        "refusal_not_provided",
        "本事项依法不作不予受理或不予通过的决定：材料不齐全的，应当一次告知并指导申请人补齐",
    )
}

/// The current step's definition; an unknown step id is a broken case, refused.
fn current_step<'a>(item: &'a ServiceItem, case: &Case) -> Result<Option<&'a StepDef>, Refusal> {
    match &case.step {
        None => Ok(None),
        Some(id) => item.procedure.step(id).map(Some).ok_or_else(|| {
            Refusal::new("unknown_step", format!("本件所处环节“{id}”不在第{}版的办理流程中", item.version.number))
        }),
    }
}

/// The latest instant the case records: no act may be dated before it.
pub(crate) fn latest_instant(case: &Case) -> DateTime<Utc> {
    let pause_times = case.pauses.iter().flat_map(|p| [Some(p.start), p.end]).flatten();
    [case.submitted_at, case.accepted_at, Some(case.step_entered_at)]
        .into_iter()
        .flatten()
        .chain(pause_times)
        .chain(case.extensions.iter().map(|e| e.at))
        .max()
        .unwrap_or(case.step_entered_at)
}

#[allow(clippy::too_many_arguments)] // the table row's inputs, passed through once
fn who_may(
    item: &ServiceItem,
    case: &Case,
    kind: ActionKind,
    who: Who,
    step: Option<&StepDef>,
    actor: &ActorAt,
    ctx: &EngineContext,
    now: DateTime<Utc>,
) -> Result<Permit, Refusal> {
    let divisions = ctx.divisions;
    if who == Who::System {
        if actor.is_system() {
            return Ok(Permit { division: None, authority: Authority::Own });
        }
        return Err(Refusal::new("system_only", format!("“{}”由系统按期限自动执行", kind.name_zh())));
    }
    // 依职权启动: the system may open a case ex officio where the law orders the administration to
    // act of its own motion — the periodic re-check of a 低保 household (社会救助暂行办法第十三条:
    // 定期核查) — recorded with the system actor. The service decides when; nothing else is open to it.
    if actor.is_system() && kind == ActionKind::Submit {
        return Ok(Permit { division: Some(case.accepting.clone()), authority: Authority::Own });
    }
    if actor.is_system() {
        return Err(Refusal::new("not_permitted", format!("系统不能{}", kind.name_zh())));
    }
    let deny = |role: Role, division: &DivisionCode| {
        let place = divisions.full_name(division).unwrap_or_else(|| division.to_string());
        Refusal::new(
            "not_permitted",
            format!("{}须由{}（{}）办理，您没有该权限", kind.name_zh(), place, role.name_zh()),
        )
    };
    match who {
        Who::StepRole => {
            let Some(step) = step else {
                return Err(Refusal::new("wrong_step", format!("当前没有可以{}的环节", kind.name_zh())));
            };
            let Some(role) = step.role else {
                return Err(Refusal::new("wrong_step", format!("“{}”环节不由人工办理", step.name)));
            };
            let (division, authority) = acting_division(item, case, step, ctx, shanghai_date(now))?;
            // A power moved down (下放) is exercised by the division it was moved to; the county
            // keeps supervision, not the act (社会救助暂行办法; 民发〔2021〕57号, 低保 roles: "有条件的地方可按程序将审核
            // 确认权限下放至乡镇(街道)，县级民政部门加强监督指导" [C-web]). So under a delegation
            // only a grant at that division itself acts; a county grant reaching it does not.
            let permitted = match &authority {
                Authority::Delegated { .. } => actor.holds_at(role, &division),
                _ => actor.reaches(role, &division, divisions),
            };
            if permitted {
                Ok(Permit { division: Some(division), authority })
            } else if let Authority::Delegated { document } = &authority {
                let place = divisions.full_name(&division).unwrap_or_else(|| division.to_string());
                // Staff of the division the power went to, without the step's role there: what
                // is missing is that role's grant at this division, not a place elsewhere.
                if actor.grants.iter().any(|g| g.division == division) {
                    return Err(Refusal::new(
                        "not_permitted",
                        format!(
                            "{}已依{document}下放至{place}，须由{place}的{}办理；您在{place}没有{}权限",
                            kind.name_zh(),
                            role.name_zh(),
                            role.name_zh()
                        ),
                    ));
                }
                Err(Refusal::new(
                    "delegated_elsewhere",
                    format!("{}已下放至{place}（{document}），须由{place}的{}办理", kind.name_zh(), role.name_zh()),
                ))
            } else {
                Err(deny(role, &division))
            }
        }
        Who::Applicant => {
            // The applicant, or the window of the accepting office: its clerk, or the role that
            // accepts the item there (a township's officer for 低保, ProcedureDef::window_roles).
            let window =
                item.procedure.window_roles().into_iter().any(|r| actor.reaches(r, &case.accepting, divisions));
            if actor.owns(case) || window {
                Ok(Permit { division: Some(case.accepting.clone()), authority: Authority::Own })
            } else {
                Err(Refusal::new(
                    "not_permitted",
                    format!("{}须由申请人本人或受理窗口（{}）办理", kind.name_zh(), Role::Clerk.name_zh()),
                ))
            }
        }
        Who::Approver => {
            let Some(rule) = &item.procedure.extension else {
                return Err(Refusal::new("extension_not_allowed", "本事项的办理期限不能延长")
                    .with_basis(basis::LICENSING_EXTENSION));
            };
            if actor.reaches(rule.approver, &case.competent, divisions) {
                Ok(Permit { division: Some(case.competent.clone()), authority: Authority::Own })
            } else {
                Err(deny(rule.approver, &case.competent))
            }
        }
        Who::Authority => {
            if actor.reaches(Role::Decider, &case.competent, divisions) {
                Ok(Permit { division: Some(case.competent.clone()), authority: Authority::Own })
            } else {
                Err(deny(Role::Decider, &case.competent))
            }
        }
        Who::System => unreachable!("handled above"),
    }
}

/// The conditions that depend on the case, not on the act's data.
fn precondition(
    item: &ServiceItem,
    case: &Case,
    kind: ActionKind,
    step: Option<&StepDef>,
    ctx: &EngineContext,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let allows = |pause: PauseKind| item.procedure.pauses.contains(&pause);
    match kind {
        // A matter the law answers only with a receipt or with guidance (`refusable = false`).
        ActionKind::RefuseAcceptance if !item.procedure.refusable => return Err(no_refusal()),
        // 行政许可法 Art. 32(4): 一次告知 — once, and only when something is missing.
        ActionKind::NotifyMissing => {
            if case.pauses.iter().any(|p| p.kind == PauseKind::Supplement) {
                return Err(Refusal::new("notice_already_given", "已一次性告知过需要补正的全部内容，不能再次告知")
                    .with_basis(basis::LICENSING_ACCEPTANCE));
            }
            if missing_required(item, case).is_empty() {
                return Err(Refusal::new("nothing_missing", "申请材料已齐全，无需告知补正"));
            }
        }
        // 行政许可法 Art. 45: only the pauses the procedure provides for.
        ActionKind::SpecialStart if !allows(PauseKind::Special) => {
            return Err(Refusal::new("pause_not_allowed", "本事项的办理流程不包含听证、检验检测、专家评审等特别程序")
                .with_basis(basis::LICENSING_SPECIAL_TIME));
        }
        ActionKind::Suspend if !allows(PauseKind::Suspend) => {
            return Err(Refusal::new("pause_not_allowed", "本事项的办理流程不包含中止"));
        }
        // 行政许可法 Art. 42: one extension.
        ActionKind::Extend if !case.extensions.is_empty() => {
            return Err(Refusal::new("extension_used", "办理期限已延长过一次，不能再延长")
                .with_basis(basis::LICENSING_EXTENSION));
        }
        // The extension is decided within the period it extends (行政许可法第四十二条: 二十日内不能
        // 作出决定的，经本行政机关负责人批准，可以延长; 《政府信息公开条例》第三十三条第二款: 不能在
        // 规定期限内作出答复的……可以延长答复期限): on the period's last day still, not after it.
        ActionKind::Extend => {
            let period = crate::engine::deadline::deadline(item, case, ctx.calendar, now);
            if let Some(due) = period.due.filter(|due| shanghai_date(now) > *due) {
                let basis_text = item.procedure.extension.as_ref().map_or(basis::LICENSING_EXTENSION, |r| &r.max.basis);
                return Err(Refusal::new(
                    "extension_period_ended",
                    format!("办理期限已于{due}届满，不能再延长：延长期限应在期限届满前决定"),
                )
                .with_basis(basis_text));
            }
        }
        // 听证、检验检测、专家评审 (行政许可法第四十五条) and 中止 serve the decision still to be
        // made: once it is made there is nothing left for them to serve.
        ActionKind::SpecialStart | ActionKind::Suspend if case.decision.is_some() => {
            return Err(Refusal::new("already_decided", format!("已作出决定，不能再{}", kind.name_zh()))
                .with_basis(basis::LICENSING_SPECIAL_TIME));
        }
        ActionKind::Withdraw if case.decision.is_some() => {
            return Err(Refusal::new("already_decided", "已作出决定，不能再撤回申请"));
        }
        ActionKind::TimerExpired => {
            let Some(step) = step else {
                return Err(Refusal::new("no_timer", "当前环节没有计时"));
            };
            let Some(due) = timer_due(item, case, step, ctx.calendar, now) else {
                return Err(Refusal::new("no_timer", format!("“{}”环节没有计时", step.name)));
            };
            if due.provisional {
                return Err(Refusal::new(
                    "calendar_no_data",
                    format!("“{}”期满日依赖尚未载入的节假日安排（{}），暂不自动处理", step.name, due.explanation),
                ));
            }
            let today = shanghai_date(now);
            if due.due.is_none_or(|due| today <= due) {
                return Err(Refusal::new("timer_not_expired", format!("“{}”尚未期满：{}", step.name, due.explanation))
                    .with_basis(basis::CIVIL_CODE_PERIODS));
            }
        }
        _ => {}
    }
    Ok(())
}
