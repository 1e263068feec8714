//! Cases through the real database: a whole promised matter, an 即办件 on the spot, the one-time
//! notice pausing the clock, concurrent acts, idempotent submission, jurisdiction, the timer
//! sweep, cross-region classification, and a calendar import firming a provisional due date.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use domain::access::Actor;
use domain::calendar::CSV_HEADER;
use domain::engine::action::{Action, ActionKind, DeliveryMethod, Verdict};
use domain::engine::case::{CaseStatus, CrossRegion, Outcome};
use serde_json::json;
use service::cases::{ApplicantRef, CaseQuery, SubmitCase};
use service::{App, ErrorKind};
use test_support::{on_both, Db, TestApp};
use tokio::sync::Barrier;

use crate::{acts, count, id_number, person_input, test_app};

const CHANGE: &str = "social-group-change-registration";
pub(crate) const CHANGE_MATERIALS: [&str; 4] = ["application", "sponsor_approval", "meeting_resolution", "certificate"];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// 09:00 Asia/Shanghai on a date.
fn morning(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().expect("instant")
}

fn new_applicant(order: u32, region: &str) -> ApplicantRef {
    ApplicantRef::New(person_input("申请人", &id_number(region, "19800101", order), Some("13912345678"), region))
}

/// The facts of a 社会团体变更登记's form (`[[form]]`).
pub(crate) fn change_facts() -> serde_json::Value {
    json!({
        "organization": {"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": "511702"},
        "change_before": "名称：达州市青年志愿者协会",
        "change_after": "名称：达州市志愿服务协会"
    })
}

/// The facts of a 养老机构备案's form.
fn filing_facts() -> serde_json::Value {
    json!({
        "operator": {"name": "达川区幸福养老服务中心", "credit_code": "52511702MJ0001AB69", "division": "511703"},
        "service_address": "达川区翠屏街道1号",
        "beds": 40,
        "institution_type": "private",
        "floor_area": 1200,
        "service_scope": ["生活照料", "康复护理"],
        "commitment_signed": true
    })
}

/// A 社会团体变更登记 at the city window (511700), premises in the city.
pub(crate) fn change_application(materials: &[&str], key: Option<&str>) -> SubmitCase {
    SubmitCase {
        item: CHANGE.into(),
        channel: "window".into(),
        applicant: new_applicant(1, "511702"),
        accepting_division: "511700".into(),
        situation: Some("change_name_scope".into()),
        materials: materials.iter().map(|m| m.to_string()).collect(),
        data: json!({"premises_division": "511700", "facts": change_facts()}),
        idempotency_key: key.map(str::to_string),
    }
}

pub(crate) struct City {
    pub clerk: Actor,
    pub reviewer: Actor,
    pub decider: Actor,
}

pub(crate) async fn city_staff(t: &TestApp) -> City {
    City {
        clerk: t.staff("clerk700", "clerk", "511700").await,
        reviewer: t.staff("reviewer700", "reviewer", "511700").await,
        decider: t.staff("decider700", "decider", "511700").await,
    }
}

async fn act(app: &App, actor: &Actor, id: i64, action: Action) -> service::cases::CaseView {
    let kind = action.kind();
    app.act_on_case(actor, id, None, &action).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"))
}

async fn a_promised_matter_runs_from_submission_to_delivery(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let submitted = app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit");
    assert!(submitted.created);
    let view = submitted.view;
    let id = view.case.id;
    assert!(view.case.number.starts_with("511700-2021-"), "{}", view.case.number);
    assert_eq!(view.case.status, CaseStatus::Submitted);
    assert_eq!(
        view.allowed,
        [ActionKind::Accept, ActionKind::RefuseAcceptance, ActionKind::Assign, ActionKind::Withdraw]
    );
    assert_eq!(view.case.cross_region, CrossRegion::None);

    let view = act(app, &city.clerk, id, Action::Accept).await;
    assert_eq!(view.case.step.as_deref(), Some("review"));
    // 5 working days from 2021-06-01: 06-02…06-08.
    assert_eq!(view.deadline.due, Some(date(2021, 6, 8)));
    assert!(view.deadline.explanation.contains("受理 2021-06-01"), "{}", view.deadline.explanation);
    assert_eq!(view.allowed, [ActionKind::Withdraw], "the clerk cannot review, only record a withdrawal");
    act(app, &city.reviewer, id, Action::Review { verdict: Verdict::Approve, opinion: "材料齐全".into() }).await;
    act(app, &city.decider, id, Action::Decide { grant: true, reasons: String::new(), basis: String::new() }).await;
    act(app, &city.clerk, id, Action::Produce).await;
    act(app, &city.clerk, id, Action::Issue).await;
    let view = act(app, &city.clerk, id, Action::Deliver { method: DeliveryMethod::OnSite, tracking: None }).await;
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Granted));
    assert_eq!(view.case.revision, 7);
    assert!(view.allowed.is_empty());

    let acts = acts(app, &format!("case:{id}")).await;
    let expected = ["submit", "accept", "review", "decide", "produce", "issue", "deliver"].map(|a| format!("case.{a}"));
    assert_eq!(acts, expected);
    let events = app.case_events(&city.clerk, id).await.expect("events");
    assert!(events.iter().all(|e| e.division.as_deref() == Some("511700")), "in the competent division");
    assert_eq!(events[3].actor, city.decider.label());
    let payload: serde_json::Value = serde_json::from_str(&events[6].payload).expect("payload");
    assert_eq!(payload["status"], "closed");
    assert_eq!(payload["number"], view.case.number.as_str());
    let row = app.store.case(id).await.expect("row");
    assert_eq!((row.columns.status.as_str(), row.revision), ("closed", 7));
    assert_eq!(row.columns.due_date.as_deref(), Some("2021-06-08"));
    assert!(row.columns.closed_at_ms.is_some());

    // A closed case takes nothing more.
    let err = app.act_on_case(&city.clerk, id, None, &Action::Produce).await.expect_err("closed");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "case_closed"));
    app.checkpoint().await.expect("checkpoint");
    app.verify_record().await.expect("verification runs").expect("the record verifies");
}
on_both!(promised_lifecycle, a_promised_matter_runs_from_submission_to_delivery);

async fn an_instant_item_is_completed_in_one_accept(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let input = SubmitCase {
        item: "elderly-care-filing".into(),
        channel: "window".into(),
        applicant: new_applicant(2, "511703"),
        accepting_division: "511703".into(),
        situation: Some("for_profit".into()),
        materials: vec!["filing_form".into(), "commitment".into()],
        data: json!({"premises_division": "511703", "facts": filing_facts()}),
        idempotency_key: None,
    };
    let view = app.submit_case(&clerk, &input).await.expect("submit").view;
    let view = act(app, &clerk, view.case.id, Action::Accept).await;
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Granted));
    assert!(view.case.decision.as_ref().is_some_and(|d| d.granted));
    assert_eq!(view.case.revision, 2, "one act");
    let acts = acts(app, &format!("case:{}", view.case.id)).await;
    assert_eq!(acts, ["case.submit", "case.accept", "case.decide", "case.deliver"]);
}
on_both!(instant_item, an_instant_item_is_completed_in_one_accept);

async fn the_one_time_notice_stops_the_clock_until_the_supplement(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let input = change_application(&["application", "sponsor_approval"], None);
    let id = app.submit_case(&city.clerk, &input).await.expect("submit").view.case.id;
    let refused = app.act_on_case(&city.clerk, id, None, &Action::Accept).await.expect_err("incomplete");
    assert_eq!(refused.code, "materials_incomplete");
    assert!(refused.basis().is_some_and(|b| b.contains("第三十二条")), "{:?}", refused.basis());
    let partial = Action::NotifyMissing { missing: vec!["meeting_resolution".into()], until: None };
    assert_eq!(
        app.act_on_case(&city.clerk, id, None, &partial).await.expect_err("all at once").code,
        "notice_incomplete"
    );
    let notice =
        Action::NotifyMissing { missing: vec!["meeting_resolution".into(), "certificate".into()], until: None };
    let view = act(app, &city.clerk, id, notice).await;
    assert_eq!(view.case.status, CaseStatus::AwaitingSupplement);

    // Three working days later (Friday 06-04) the applicant brings everything.
    t.clock.set(morning(2021, 6, 4)).expect("forward");
    let view = act(
        app,
        &city.clerk,
        id,
        Action::Supplement { materials: vec!["meeting_resolution".into(), "certificate".into()] },
    )
    .await;
    assert_eq!(view.case.status, CaseStatus::Submitted);
    let calendar = app.calendar();
    let unpaused = calendar.add_workdays(date(2021, 6, 1), 5).expect("calendar");
    let paused = calendar.add_workdays(date(2021, 6, 1), 5 + 3).expect("calendar");
    assert_eq!(unpaused, date(2021, 6, 8));
    assert_eq!(view.step_deadline.due, Some(paused), "{}", view.step_deadline.explanation);
    assert!(view.step_deadline.explanation.contains("补正（3 个工作日）不计"), "{}", view.step_deadline.explanation);

    let view = act(app, &city.clerk, id, Action::Accept).await;
    assert!(view.case.accepted_at.is_some());
    assert_eq!(view.deadline.due, Some(calendar.add_workdays(date(2021, 6, 4), 5).expect("calendar")));
    let acts = acts(app, &format!("case:{id}")).await;
    assert_eq!(acts, ["case.submit", "case.notify_missing", "case.supplement", "case.accept"]);
}
on_both!(one_time_notice, the_one_time_notice_stops_the_clock_until_the_supplement);

async fn two_acts_at_once_one_wins_and_nothing_is_half_applied(db: Db) {
    let t = test_app(db).await;
    let city = city_staff(&t).await;
    let clerk2 = t.staff("clerk700b", "clerk", "511700").await;
    let id = t
        .app
        .submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None))
        .await
        .expect("submit")
        .view
        .case
        .id;
    let events_before = t.app.store.event_count().await.expect("count");
    let barrier = Arc::new(Barrier::new(2));
    let mut tasks = Vec::new();
    for (actor, action) in [
        (city.clerk.clone(), Action::Accept),
        (clerk2, Action::RefuseAcceptance { reasons: "不属于本机关登记范围".into() }),
    ] {
        let (app, barrier) = (t.app.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            app.act_on_case(&actor, id, Some(1), &action).await
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    let lost: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!((won.len(), lost.len()), (1, 1), "{results:?}");
    let now = &won[0].case;
    let err = lost[0];
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "case_conflict"));
    let state = now.status.as_str();
    assert_eq!(err.state(), Some(state));
    assert!(err.message.contains("当前状态"), "{}", err.message);
    let row = t.app.store.case(id).await.expect("row");
    assert_eq!((row.revision, row.columns.status.as_str()), (2, state));
    assert_eq!(t.app.store.event_count().await.expect("count"), events_before + 1, "one act's events only");
    assert_eq!(acts(&t.app, &format!("case:{id}")).await.len(), 2);

    // A stale revision is refused before the engine runs.
    let stale = t.app.act_on_case(&city.clerk, id, Some(1), &Action::Produce).await.expect_err("stale");
    assert_eq!(stale.code, "case_conflict");
}
on_both!(concurrent_acts, two_acts_at_once_one_wins_and_nothing_is_half_applied);

async fn the_same_idempotency_key_makes_one_case(db: Db) {
    let t = test_app(db).await;
    let city = city_staff(&t).await;
    let input = change_application(&CHANGE_MATERIALS, Some("form-7f3a"));
    let first = t.app.submit_case(&city.clerk, &input).await.expect("first");
    let second = t.app.submit_case(&city.clerk, &input).await.expect("replay");
    assert!(first.created && !second.created);
    assert_eq!(first.view.case.id, second.view.case.id);
    let raw = t.db.raw().await;
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM cases").await, 1);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, 1);
    assert_eq!(acts(&t.app, &format!("case:{}", first.view.case.id)).await, ["case.submit"]);

    // Two at once with one key: still one case.
    let input = change_application(&CHANGE_MATERIALS, Some("form-race"));
    let (a, b) = tokio::join!(t.app.submit_case(&city.clerk, &input), t.app.submit_case(&city.clerk, &input));
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_eq!(a.view.case.id, b.view.case.id);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM cases").await, 2);

    // Someone who may not see the case cannot use its key.
    let other = t.staff("clerk703", "clerk", "511703").await;
    let mut foreign = input.clone();
    foreign.accepting_division = "511703".into();
    let err = t.app.submit_case(&other, &foreign).await.expect_err("reused key");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "idempotency_key_reused"));
}
on_both!(idempotent_submit, the_same_idempotency_key_makes_one_case);

/// An act retried with its key while the first is still in flight (the same request racing
/// itself): applied once, both answered with the revision it made; the key then belongs to that
/// request and account.
async fn an_act_key_racing_itself_is_applied_once(db: Db) {
    let t = test_app(db).await;
    let city = city_staff(&t).await;
    let id = t
        .app
        .submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None))
        .await
        .expect("submit")
        .view
        .case
        .id;
    let barrier = Arc::new(Barrier::new(2));
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let (app, barrier, actor) = (t.app.clone(), barrier.clone(), city.clerk.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            app.act_on_case_keyed(&actor, id, 1, Some("act-race-1"), &Action::Accept).await
        }));
    }
    for task in tasks {
        let view = task.await.expect("task").expect("both answered");
        assert_eq!(view.case.revision, 2);
    }
    assert_eq!(acts(&t.app, &format!("case:{id}")).await, ["case.submit", "case.accept"]);
    assert_eq!(t.app.store.case(id).await.expect("row").revision, 2);
    let other = Action::RefuseAcceptance { reasons: "不属于本机关登记范围".into() };
    let err = t.app.act_on_case_keyed(&city.clerk, id, 1, Some("act-race-1"), &other).await.expect_err("mismatch");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "idempotency_key_mismatch"));
    let colleague = t.staff("clerk700x", "clerk", "511700").await;
    let err =
        t.app.act_on_case_keyed(&colleague, id, 1, Some("act-race-1"), &Action::Accept).await.expect_err("reused");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "idempotency_key_reused"));
    // A stale revision without a key: the conflict says the revision now and who did what.
    let err = t.app.act_on_case_keyed(&colleague, id, 1, None, &Action::Accept).await.expect_err("stale");
    assert_eq!(err.code, "case_conflict");
    let extra = err.extra.as_ref().expect("detail");
    assert_eq!(extra.revision, Some(2));
    let last = extra.last_act.as_ref().expect("the last act");
    assert_eq!((last.name.as_str(), last.action.as_str()), ("受理", "accept"));
    assert!(!last.by.is_empty() && !last.by.starts_with("account:"), "{last:?}");
}
on_both!(act_key_race, an_act_key_racing_itself_is_applied_once);

async fn a_county_clerk_never_sees_another_countys_cases(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let dachuan = t.staff("clerk703", "clerk", "511703").await;
    let tongchuan = t.staff("clerk702", "clerk", "511702").await;
    let city_leader = t.staff("leader700", "leader", "511700").await;
    let input = SubmitCase {
        item: CHANGE.into(),
        channel: "window".into(),
        applicant: new_applicant(3, "511703"),
        accepting_division: "511700".into(),
        situation: Some("change_name_scope".into()),
        materials: CHANGE_MATERIALS.iter().map(|m| m.to_string()).collect(),
        data: json!({"premises_division": "511703", "facts": change_facts()}),
        idempotency_key: None,
    };
    // A county clerk cannot submit at the city window.
    assert_eq!(app.submit_case(&dachuan, &input).await.expect_err("not their window").kind, ErrorKind::Forbidden);
    let filing = SubmitCase {
        item: "elderly-care-filing".into(),
        accepting_division: "511703".into(),
        situation: Some("for_profit".into()),
        materials: vec!["filing_form".into()],
        data: json!({"premises_division": "511703", "facts": filing_facts()}),
        ..input
    };
    let id = app.submit_case(&dachuan, &filing).await.expect("submit").view.case.id;

    let err = app.case(&tongchuan, id).await.expect_err("other county");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(app.case_events(&tongchuan, id).await.expect_err("events").kind, ErrorKind::Forbidden);
    let before = app.store.case(id).await.expect("row").revision;
    let err = app.act_on_case(&tongchuan, id, None, &Action::Accept).await.expect_err("act");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(app.store.case(id).await.expect("row").revision, before);
    assert!(app.cases(&tongchuan, &CaseQuery::default()).await.expect("list").is_empty());
    assert!(app.cases_awaiting(&tongchuan).await.expect("work").is_empty());

    assert_eq!(app.cases(&dachuan, &CaseQuery::default()).await.expect("list").len(), 1);
    let work = app.cases_awaiting(&dachuan).await.expect("work");
    assert_eq!(work.iter().map(|v| v.case.id).collect::<Vec<_>>(), [id]);
    assert_eq!(app.case(&city_leader, id).await.expect("the city sees it").case.id, id);
    assert!(app.cases_awaiting(&city_leader).await.expect("work").is_empty(), "a leader holds no step's role");
    let query = CaseQuery { division: Some("511702".into()), ..CaseQuery::default() };
    assert!(app.cases(&city_leader, &query).await.expect("filtered").is_empty());
    let query = CaseQuery { state: Some("submitted".into()), item: Some("elderly-care-filing".into()), ..query };
    let query = CaseQuery { division: Some("511703".into()), ..query };
    assert_eq!(app.cases(&city_leader, &query).await.expect("filtered").len(), 1);
}
on_both!(county_jurisdiction, a_county_clerk_never_sees_another_countys_cases);

async fn the_sweep_ends_the_cooling_off_period_as_the_system(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    // The 2025 条例 (in force 2025-05-10) governs this item.
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    // A couple on the registry (the divorce's guards check they are married to each other).
    let mut couple = Vec::new();
    for (name, order) in [("甲", 3), ("乙", 4)] {
        let input = person_input(name, &id_number("511702", "19800101", order), None, "511702");
        couple.push(app.create_person(&clerk, &input).await.expect("person").id);
    }
    let marriage = SubmitCase {
        item: "marriage-registration".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(couple[0]),
        accepting_division: "511702".into(),
        situation: Some("ordinary".into()),
        materials: ["id_cards", "declaration"].map(str::to_string).to_vec(),
        data: json!({"other_party": couple[1], "declaration_signed": true}),
        idempotency_key: None,
    };
    let married = app.submit_case(&clerk, &marriage).await.expect("submit").view.case.id;
    act(app, &clerk, married, Action::Accept).await;
    let input = SubmitCase {
        item: "divorce-registration".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(couple[0]),
        accepting_division: "511702".into(),
        situation: Some("ordinary".into()),
        materials: ["id_cards", "marriage_certificates", "divorce_agreement", "application"]
            .map(str::to_string)
            .to_vec(),
        data: json!({"other_party": couple[1]}),
        idempotency_key: None,
    };
    let id = app.submit_case(&clerk, &input).await.expect("submit").view.case.id;
    let view = act(app, &clerk, id, Action::Accept).await;
    assert_eq!(view.case.step.as_deref(), Some("cooling_off"));
    // 30 days from 06-03: 07-03 (a Thursday); runs out at 24:00 that day.
    assert_eq!(view.step_deadline.due, Some(date(2025, 7, 3)), "{}", view.step_deadline.explanation);
    let row = app.store.case(id).await.expect("row");
    let due = Utc.with_ymd_and_hms(2025, 7, 3, 16, 0, 0).single().expect("instant");
    assert_eq!(row.columns.timer_due_ms, Some(due.timestamp_millis()));
    let refused = app.act_on_case(&clerk, id, None, &Action::TimerExpired).await.expect_err("people cannot");
    assert_eq!(refused.code, "system_only");

    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0, "not yet due");
    t.clock.set(morning(2025, 7, 3)).expect("forward");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0, "the last day still runs");
    t.clock.set(morning(2025, 7, 4)).expect("forward");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0, "applied once");
    let view = app.case(&clerk, id).await.expect("case");
    assert_eq!(view.case.step.as_deref(), Some("issuance_window"));
    let events = app.case_events(&clerk, id).await.expect("events");
    let last = events.last().expect("event");
    assert_eq!((last.act.as_str(), last.actor.as_str()), ("case.timer_expired", "system"));
    let payload: serde_json::Value = serde_json::from_str(&last.payload).expect("payload");
    assert_eq!(payload["outcome"], "advance");
    // The certificate window's own timer: 30 days from the cooling-off period's last day (07-03),
    // 08-02 a Saturday → Monday 08-04; deemed withdrawn from 08-05 00:00 Shanghai.
    let window_due = Utc.with_ymd_and_hms(2025, 8, 4, 16, 0, 0).single().expect("instant");
    assert_eq!(app.store.case(id).await.expect("row").columns.timer_due_ms, Some(window_due.timestamp_millis()));
}
on_both!(timer_sweep, the_sweep_ends_the_cooling_off_period_as_the_system);

async fn a_case_accepted_outside_the_hukou_county_is_cross_region(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2021, 7, 1)).expect("forward: the item is in force from 06-30");
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let officer = t.staff("town702001", "township_officer", "511702001").await;
    let input = SubmitCase {
        item: "orphan-recognition".into(),
        channel: "window".into(),
        // The applicant's ID number is from 达川区 (511703): the 户籍地 decides.
        applicant: new_applicant(5, "511703"),
        accepting_division: "511702001".into(),
        situation: Some("both_parents_dead".into()),
        materials: ["application", "guardian_id", "death_evidence", "bank_account"].map(str::to_string).to_vec(),
        data: json!({}),
        idempotency_key: None,
    };
    // The ID number names the county only, and the township checks the child's situation: no
    // township could act, so the 户籍 township is asked for; nothing is created.
    let err = app.submit_case(&clerk, &input).await.expect_err("a county 户籍地");
    assert_eq!((err.code, err.field.as_deref()), ("competent_division_level", Some("data.hukou_division")));
    assert!(err.message.contains("四川省达州市达川区不是乡镇（街道）"), "{}", err.message);
    let input = SubmitCase { data: json!({"hukou_division": "511703001"}), ..input };
    let view = app.submit_case(&clerk, &input).await.expect("submit").view;
    assert_eq!(view.case.competent.as_str(), "511703001");
    assert_eq!(view.case.cross_region, CrossRegion::County);
    let row = app.store.case(view.case.id).await.expect("row");
    assert_eq!(
        (
            row.columns.cross_region.as_str(),
            row.columns.accepting_division.as_str(),
            row.columns.competent_division.as_str()
        ),
        ("county", "511702001", "511703001")
    );
    // Accepted here, then forwarded (not skipped: the offices differ).
    let view = act(app, &officer, view.case.id, Action::Accept).await;
    assert_eq!(view.case.step.as_deref(), Some("forward"));
    assert!(view.allowed.contains(&ActionKind::Forward), "{:?}", view.allowed);
    // A 户籍地-only item refuses an office outside the 户籍 county.
    let input = SubmitCase {
        item: "temporary-assistance".into(),
        situation: Some("emergency".into()),
        materials: vec!["application".into(), "id_card".into()],
        applicant: new_applicant(6, "511703"),
        ..input
    };
    let err = app.submit_case(&clerk, &input).await.expect_err("hukou only");
    assert_eq!(err.code, "not_accepted_here");
    assert!(err.basis().is_some());
}
on_both!(cross_region, a_case_accepted_outside_the_hukou_county_is_cross_region);

fn csv_2027() -> String {
    let mut rows = vec![CSV_HEADER.to_string()];
    let mut d = date(2027, 1, 1);
    while d.year() == 2027 {
        let weekend = matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        rows.push(if d == date(2027, 1, 1) {
            format!("{d},false,元旦,false")
        } else {
            format!("{d},{},,false", !weekend)
        });
        d = d.succ_opt().expect("next day");
    }
    rows.join("\n") + "\n"
}

async fn a_calendar_import_firms_a_provisional_due_date(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2026, 12, 28)).expect("forward");
    let city = city_staff(&t).await;
    let admin = t.staff("admin700", "admin", "511700").await;
    let id =
        app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit").view.case.id;
    let view = act(app, &city.clerk, id, Action::Accept).await;
    assert!(view.deadline.provisional, "{}", view.deadline.explanation);
    assert!(view.deadline.explanation.contains("暂定"), "{}", view.deadline.explanation);
    let before = app.store.case(id).await.expect("row").columns.due_date;
    assert_eq!(before, view.deadline.due.map(|d| d.to_string()));

    app.import_calendar(Some(&admin), &csv_2027(), "国办发明电（测试）").await.expect("import");
    let view = app.case(&city.clerk, id).await.expect("case");
    assert!(!view.deadline.provisional, "{}", view.deadline.explanation);
    let firm = app.calendar().add_workdays(date(2026, 12, 28), 5).expect("calendar has 2027 now");
    assert_eq!(view.deadline.due, Some(firm));
    assert!(view.deadline.explanation.contains("元旦"), "{}", view.deadline.explanation);
    let after = app.store.case(id).await.expect("row").columns.due_date;
    assert_eq!(after, Some(firm.to_string()));
    assert_ne!(before, after, "元旦 2027 is off: the due date moves a day");
}
on_both!(calendar_firms_due_dates, a_calendar_import_firms_a_provisional_due_date);

async fn refused_submissions_write_nothing(db: Db) {
    let t = test_app(db).await;
    let city = city_staff(&t).await;
    let citizen = t.staff("citizen1", "citizen", "511702").await;
    let raw = t.db.raw().await;
    let before = crate::footprint(&raw).await;
    let cases_before = count(&raw, "SELECT COUNT(*) FROM cases").await;
    let good = change_application(&CHANGE_MATERIALS, None);
    let bad = [
        (SubmitCase { item: "no-such-item".into(), ..good.clone() }, "unknown_item"),
        (SubmitCase { channel: "fax".into(), ..good.clone() }, "unknown_channel"),
        (SubmitCase { accepting_division: "519999".into(), ..good.clone() }, "unknown_division"),
        (SubmitCase { data: json!({"facts": change_facts()}), ..good.clone() }, "premises_required"),
        (
            SubmitCase { data: json!({"premises_division": 7, "facts": change_facts()}), ..good.clone() },
            "invalid_value",
        ),
        // The item's declared form: a required fact missing, an undeclared one, a bad credit code.
        (SubmitCase { data: json!({"premises_division": "511700"}), ..good.clone() }, "required"),
        (SubmitCase { data: json!({"premises_division": "511700", "facts": [1]}), ..good.clone() }, "facts_not_object"),
        (SubmitCase { situation: Some("nope".into()), ..good.clone() }, "unknown_situation"),
        (SubmitCase { materials: vec!["forged".into()], ..good.clone() }, "unknown_material"),
        (SubmitCase { applicant: ApplicantRef::Person(999_999), ..good.clone() }, "unknown_person"),
        (
            SubmitCase { applicant: ApplicantRef::New(person_input("", "123", None, "511702")), ..good.clone() },
            "required",
        ),
    ];
    for (input, code) in bad {
        let err = t.app.submit_case(&city.clerk, &input).await.expect_err(code);
        assert_eq!(err.code, code, "{err}");
        assert_ne!(err.kind, ErrorKind::Internal);
    }
    let err = t.app.submit_case(&citizen, &good).await.expect_err("a citizen is no clerk");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(crate::footprint(&raw).await, before);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM cases").await, cases_before);
}
on_both!(refused_submissions, refused_submissions_write_nothing);

/// The facts of the item's form: every bad field refused at once on `facts.<field>` (with the
/// applicant's problems), nothing written; good ones kept typed with the case and shown in the
/// form's order.
async fn facts_are_parsed_by_the_items_form_and_kept(db: Db) {
    let t = test_app(db).await;
    let city = city_staff(&t).await;
    let raw = t.db.raw().await;
    let before = crate::footprint(&raw).await;
    let mut facts = change_facts();
    facts["organization"]["credit_code"] = json!("515117025041234501");
    facts["change_after"] = json!("");
    facts["colour"] = json!("red");
    let mut input = change_application(&CHANGE_MATERIALS, None);
    input.data = json!({"premises_division": "511700", "facts": facts});
    input.applicant = ApplicantRef::New(person_input("", &id_number("511702", "19800101", 1), None, "511702"));
    let err = t.app.submit_case(&city.clerk, &input).await.expect_err("refused");
    let mut found: Vec<(String, &str)> = err.problems.iter().map(|p| (p.field.clone(), p.code)).collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("applicant.name".to_string(), "required"),
            ("facts.change_after".to_string(), "required"),
            ("facts.colour".to_string(), "unknown_fact"),
            ("facts.organization.credit_code".to_string(), "uscc_checksum"),
        ]
    );
    assert!(err.problems.iter().any(|p| p.message.contains("“变更后内容”")), "{err:?}");
    assert_eq!(crate::footprint(&raw).await, before, "nothing written");

    let view = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit").view;
    let view = t.app.case(&city.clerk, view.case.id).await.expect("read back");
    let rows: Vec<(&str, &str)> = view.fact_rows.iter().map(|r| (r.label.as_str(), r.text.as_str())).collect();
    assert_eq!(rows[0].0, "社会组织");
    assert!(rows[0].1.starts_with("达州市青年志愿者协会（统一社会信用代码 515117025041234500）"), "{rows:?}");
    assert_eq!(rows[1], ("变更前内容", "名称：达州市青年志愿者协会"));
    assert_eq!(rows[2], ("变更后内容", "名称：达州市志愿服务协会"));
    assert!(matches!(view.facts.get("organization"), Some(domain::form::FactValue::Organization(_))));
}
on_both!(facts_kept, facts_are_parsed_by_the_items_form_and_kept);

async fn a_citizen_applies_online_and_sees_only_their_own(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let citizen = t
        .citizen("citizen1", "511702", &person_input("申请人", &id_number("511702", "19800101", 1), None, "511702"))
        .await;
    let neighbour = t
        .citizen("citizen2", "511702", &person_input("邻居", &id_number("511702", "19800101", 2), None, "511702"))
        .await;
    let input = SubmitCase { channel: "online".into(), ..change_application(&CHANGE_MATERIALS, None) };
    let view = app.submit_case(&citizen, &input).await.expect("online").view;
    assert_eq!(view.case.channel.as_str(), "online");
    assert!(view.allowed.contains(&ActionKind::Withdraw), "{:?}", view.allowed);
    assert_eq!(app.cases(&citizen, &CaseQuery::default()).await.expect("own").len(), 1);
    assert!(app.cases(&neighbour, &CaseQuery::default()).await.expect("none").is_empty());
    assert_eq!(app.case(&neighbour, view.case.id).await.expect_err("not theirs").kind, ErrorKind::Forbidden);
    let view = act(app, &citizen, view.case.id, Action::Withdraw { reason: "不再变更".into(), party: None }).await;
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Withdrawn));
    let clerk = t.staff("clerk700", "clerk", "511700").await;
    let err = app.submit_case(&clerk, &SubmitCase { idempotency_key: None, ..input }).await.expect_err("online");
    assert_eq!(err.code, "online_citizens_only");
}
on_both!(online_citizen, a_citizen_applies_online_and_sees_only_their_own);
