//! Properties over random sequences of acts by random actors on the sample procedure
//! (style rule 43): the clock never counts paused time, nothing is due before acceptance, a
//! case has at most one open pause and one current step, a closed case never reopens, every
//! success is one revision with events, every refusal leaves the case as it was, and the buttons
//! (`allowed_actions`) never disagree with `apply`.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use crate::access::Role;
use crate::calendar::{shanghai_date, WorkCalendar};
use crate::catalog::ServiceItem;
use crate::division::{Divisions, Level};
use crate::engine::action::{Action, ActionKind, DeliveryMethod, SpecialKind, Verdict};
use crate::engine::apply::{allowed_actions, apply, settled};
use crate::engine::case::{Case, CaseStatus, CrossRegion};
use crate::engine::context::{ActorAt, Delegation, EngineContext};
use crate::engine::deadline::{deadline, step_deadline};
use crate::engine::materials::missing_required;
use crate::engine::table::permits;
use crate::engine::testkit::{at, citizen, code, date, draft, staff, ItemBuilder, APPLICANT};
use crate::procedure::PauseKind;

/// One random act: who, what (from the table or from every kind), and its data.
#[derive(Debug, Clone)]
struct Seed {
    actor: u8,
    from_table: bool,
    kind: u8,
    exact: bool,
    mask: u8,
    n: u8,
    hours: u16,
    /// Whether an act that only ends the case (withdraw, terminate, refuse) may be picked from
    /// the table: mostly not, so that walks get deep into the procedure.
    may_end: bool,
}

fn seed() -> impl Strategy<Value = Seed> {
    let parts = (any::<u8>(), any::<bool>(), any::<u8>(), any::<bool>(), any::<u8>(), any::<u8>(), 1u16..=120);
    (parts, proptest::bool::weighted(0.01)).prop_map(|((actor, from_table, kind, exact, mask, n, hours), may_end)| {
        Seed { actor, from_table, kind, exact, mask, n, hours, may_end }
    })
}

/// The kind an act seed picks: one the table offers, or any kind at all; mostly not an act
/// that only ends the case, so that walks get deep into the procedure. `None`: skip this turn.
fn pick(s: &Seed, offered: &[ActionKind]) -> Option<ActionKind> {
    let ending = [ActionKind::Withdraw, ActionKind::Terminate, ActionKind::RefuseAcceptance];
    let kind = if s.from_table {
        let pool: Vec<ActionKind> = offered.iter().copied().filter(|k| s.may_end || !ending.contains(k)).collect();
        *pool.get(usize::from(s.kind) % pool.len().max(1))?
    } else {
        ActionKind::ALL[usize::from(s.kind) % ActionKind::ALL.len()]
    };
    (s.may_end || !ending.contains(&kind)).then_some(kind)
}

fn actors() -> Vec<ActorAt> {
    vec![
        staff(1, Role::Clerk, "511702"),
        staff(2, Role::Reviewer, "511702"),
        staff(3, Role::Decider, "511702"),
        staff(4, Role::Clerk, "511703"),
        staff(5, Role::Decider, "511702001"),
        staff(6, Role::Reviewer, "511700"),
        citizen(APPLICANT),
        citizen(APPLICANT + 1),
        ActorAt::system(),
    ]
}

fn text(on: bool) -> String {
    if on {
        "理由".to_string()
    } else {
        String::new()
    }
}

fn subset(item: &ServiceItem, mask: u8) -> Vec<String> {
    item.materials.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, m)| m.id.clone()).collect()
}

fn action(item: &ServiceItem, case: &Case, kind: ActionKind, s: &Seed) -> Action {
    let bit = |i: u8| s.mask & (1 << i) != 0;
    match kind {
        ActionKind::Submit => Action::Submit,
        ActionKind::Accept => Action::Accept,
        ActionKind::NotifyMissing => Action::NotifyMissing {
            missing: if s.exact {
                missing_required(item, case).iter().map(|m| m.id.clone()).collect()
            } else {
                subset(item, s.mask)
            },
            until: None,
        },
        ActionKind::Supplement => {
            Action::Supplement { materials: if s.exact { case.missing.clone() } else { subset(item, s.mask) } }
        }
        ActionKind::RefuseAcceptance => Action::RefuseAcceptance { reasons: text(bit(0)) },
        ActionKind::Assign => Action::Assign { account: i64::from(s.n % 4) },
        ActionKind::Review => Action::Review { verdict: Verdict::ALL[usize::from(s.n % 3)], opinion: text(s.exact) },
        ActionKind::SpecialStart => {
            Action::SpecialStart { kind: SpecialKind::ALL[usize::from(s.n % 3)], reason: text(s.exact) }
        }
        ActionKind::SpecialEnd => Action::SpecialEnd,
        ActionKind::Extend => Action::Extend { workdays: u32::from(s.n % 13), reason: text(s.exact) },
        ActionKind::Suspend => Action::Suspend { reason: text(s.exact) },
        ActionKind::Resume => Action::Resume,
        ActionKind::Decide => Action::Decide { grant: s.exact, reasons: text(bit(0)), basis: text(bit(1)) },
        ActionKind::Produce => Action::Produce,
        ActionKind::Issue => Action::Issue,
        ActionKind::Deliver => Action::Deliver {
            method: DeliveryMethod::ALL[usize::from(s.n % 3)],
            tracking: bit(2).then(|| "EMS0001".to_string()),
        },
        ActionKind::Withdraw => Action::Withdraw { reason: text(bit(0)), party: None },
        ActionKind::Terminate => Action::Terminate { reason: text(s.exact) },
        ActionKind::Forward => Action::Forward,
        ActionKind::Receive => Action::Receive,
        ActionKind::ReturnResult => Action::ReturnResult,
        ActionKind::TimerExpired => Action::TimerExpired,
    }
}

/// The state invariants of any case the engine produced.
fn check_state(item: &ServiceItem, case: &Case, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let calendar = WorkCalendar::builtin();
    let open: Vec<_> = case.pauses.iter().filter(|p| p.end.is_none()).collect();
    prop_assert!(open.len() <= 1, "more than one open pause: {:?}", case.pauses);
    match case.status {
        CaseStatus::Paused(kind) => prop_assert!(open.len() == 1 && open[0].kind == kind),
        CaseStatus::AwaitingSupplement => prop_assert!(open.len() == 1 && open[0].kind == PauseKind::Supplement),
        _ => prop_assert!(open.is_empty(), "{:?} with an open pause", case.status),
    }
    for pause in &case.pauses {
        prop_assert!(pause.end.is_none_or(|end| end >= pause.start));
    }
    // One current step while the case is open, and it is the procedure's; none otherwise.
    let open_case = !matches!(case.status, CaseStatus::Draft | CaseStatus::Closed(_));
    prop_assert_eq!(case.step.is_some(), open_case);
    if let Some(step) = &case.step {
        prop_assert!(item.procedure.step(step).is_some());
    }
    prop_assert_eq!(case.closed_at.is_some(), case.is_closed());

    // Deadlines: never before acceptance; paused time never counted.
    let matter = deadline(item, case, calendar, now);
    if let (Some(accepted), Some(due)) = (case.accepted_at, matter.due) {
        prop_assert!(due >= shanghai_date(accepted), "due {due} before acceptance: {}", matter.explanation);
        let mut unpaused = case.clone();
        unpaused.pauses.clear();
        let plain = deadline(item, &unpaused, calendar, now).due.unwrap();
        prop_assert!(due >= plain, "pauses brought the due date forward: {due} < {plain}");
    }
    let step = step_deadline(item, case, calendar, now);
    if let Some(due) = step.due {
        prop_assert!(due >= shanghai_date(case.step_entered_at));
        let mut unpaused = case.clone();
        unpaused.pauses.clear();
        prop_assert!(due >= step_deadline(item, &unpaused, calendar, now).due.unwrap());
    }
    Ok(())
}

fn run(seeds: &[Seed], start_day: u32, cross_region: bool, short: bool) -> Result<(), TestCaseError> {
    let item = ItemBuilder::new().build();
    let delegations = [Delegation {
        item: item.slug.clone(),
        step: "decide".into(),
        to_level: Level::Township,
        divisions: vec![code("511702")],
        from: date(2022, 1, 1),
        until: Some(date(2023, 12, 31)),
        document: "通府发〔2021〕9号".into(),
    }];
    let ctx = EngineContext {
        divisions: Divisions::builtin(),
        calendar: WorkCalendar::builtin(),
        delegations: &delegations,
        guard: None,
        skip: None,
    };
    let actors = actors();
    let mut now = at(2021, 1, 4, 9, 0) + Duration::days(i64::from(start_day));
    let mut case = draft(&item);
    case.step_entered_at = now;
    if cross_region {
        case.accepting = code("511703");
        case.cross_region = CrossRegion::County;
    }
    if short {
        case.materials.retain(|m| m != "proof" && m != "photo");
    }

    for s in seeds {
        now += Duration::hours(i64::from(s.hours));
        let actor = &actors[usize::from(s.actor) % actors.len()];
        let offered = allowed_actions(&item, &case, actor, &ctx, now);
        let Some(kind) = pick(s, &offered) else {
            continue;
        };
        let act = action(&item, &case, kind, s);
        let before = case.clone();
        let result = apply(&item, &case, &act, actor, now, &ctx);
        prop_assert_eq!(&case, &before, "apply changed its input");
        match result {
            Ok(transition) => {
                prop_assert!(!before.is_closed(), "a closed case accepted {:?}", kind);
                prop_assert!(offered.contains(&kind), "{:?} succeeded but was not offered", kind);
                prop_assert_eq!(transition.case.revision, before.revision + 1);
                prop_assert!(!transition.events.is_empty());
                for event in &transition.events {
                    prop_assert_eq!(&event.payload["revision"], &serde_json::json!(transition.case.revision));
                }
                let next = transition.case;
                if before.accepted_at.is_some() {
                    prop_assert_eq!(next.accepted_at, before.accepted_at, "the acceptance date moved");
                }
                if before.submitted_at.is_some() {
                    prop_assert_eq!(next.submitted_at, before.submitted_at);
                }
                prop_assert!(next.pauses.len() >= before.pauses.len(), "the pause ledger lost an entry");
                check_state(&item, &next, now)?;
                case = next;
            }
            Err(refusal) => {
                if before.is_closed() {
                    prop_assert_eq!(refusal.code, "case_closed");
                }
                if !offered.contains(&kind) {
                    // The table decides on the case as the law has it at `now` (a period that
                    // ran out has taken effect); the sweep's own act on the case as stored.
                    let current = if kind == ActionKind::TimerExpired {
                        before.clone()
                    } else {
                        settled(&item, &before, &ctx, now)
                    };
                    let table = permits(&item, &current, kind, actor, &ctx, now).unwrap_err();
                    prop_assert_eq!(refusal, table);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_acts_keep_the_invariants(
        seeds in proptest::collection::vec(seed(), 1..120),
        start_day in 0u32..2300,
        cross_region in any::<bool>(),
        short in any::<bool>(),
    ) {
        run(&seeds, start_day, cross_region, short)?;
    }
}

/// The random walk reaches the end of the procedure often enough to mean something.
#[test]
fn the_walk_reaches_every_status() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(seed(), 150);
    let item = ItemBuilder::new().build();
    let ctx = EngineContext::new(Divisions::builtin(), WorkCalendar::builtin());
    let actors = actors();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let seeds = strategy.new_tree(&mut runner).unwrap().current();
        let mut case = draft(&item);
        case.materials.retain(|m| m != "proof");
        let mut now = at(2021, 3, 1, 9, 0);
        case.step_entered_at = now;
        for s in seeds.iter().map(|s| Seed { from_table: true, ..s.clone() }) {
            now += Duration::hours(i64::from(s.hours));
            let actor = &actors[usize::from(s.actor) % actors.len()];
            let offered = allowed_actions(&item, &case, actor, &ctx, now);
            let Some(kind) = pick(&s, &offered) else {
                continue;
            };
            if let Ok(t) = apply(&item, &case, &action(&item, &case, kind, &s), actor, now, &ctx) {
                case = t.case;
                seen.insert(case.status.name_zh());
            }
        }
    }
    for status in [
        "待受理",
        "待补正",
        "办理中",
        "暂停（特别程序）",
        "中止",
        "已办结（准予）",
        "已办结（不予准予）",
        "申请人已撤回",
    ] {
        assert!(seen.contains(status), "never reached {status}: {seen:?}");
    }
}
