//! 养老机构备案 under 承诺制 and the institutions' register (《养老机构管理办法》（民政部令第66号）):
//! a complete filing enters the register at once; an incomplete one is guided to completion and
//! can never be refused; 川渝通办 both ways; changes as dated versions; the post-filing
//! inspection due, overdue and done by the calendar; the figures from the register.

use chrono::{TimeZone, Utc};
use domain::engine::action::{Action, ActionKind};
use domain::engine::case::{CaseStatus, Outcome};
use domain::verticals::elderly_care::institution::{InspectionInput, InstitutionType};
use domain::verticals::elderly_care::{ChangeField, ChangeInput, InspectionState};
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::{App, ErrorKind};
use test_support::{on_both, Db};

use crate::{acts, count, id_number, person_input, test_app};

fn filing(order: u32, accepting: &str, premises: &str, materials: &[&str], kind: &str, beds: i64) -> SubmitCase {
    SubmitCase {
        item: "elderly-care-filing".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(person_input("王芳", &id_number("511703", "19700101", order), None, "511703")),
        accepting_division: accepting.into(),
        situation: Some("for_profit".into()),
        materials: materials.iter().map(|m| m.to_string()).collect(),
        data: json!({"premises_division": premises, "facts": {
            "operator": {"name": format!("康乐养老院{order}"), "credit_code": "52511702MJ0001AB69", "representative": "王芳", "division": "511702"},
            "service_address": "达川区翠屏街道1号",
            "beds": beds,
            "institution_type": kind,
            "floor_area": 2400,
            "service_scope": ["生活照料", "康复护理"],
            "commitment_signed": true
        }}),
        idempotency_key: None,
    }
}

const COMPLETE: [&str; 2] = ["filing_form", "commitment"];

async fn act(app: &App, actor: &domain::access::Actor, id: i64, action: Action) -> service::cases::CaseView {
    let kind = action.kind();
    app.act_on_case(actor, id, None, &action).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"))
}

async fn a_complete_filing_enters_the_register_at_once(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let view = app.submit_case(&clerk, &filing(1, "511703", "511703", &COMPLETE, "public_private", 120)).await;
    let id = view.expect("submit").view.case.id;
    let done = act(app, &clerk, id, Action::Accept).await;
    assert_eq!(done.case.status, CaseStatus::Closed(Outcome::Granted));
    let row = app.elderly_care_of_case(id).await.expect("read").expect("entered the register");
    assert_eq!(row.filed_on, app.today());
    assert_eq!((row.institution.beds, row.institution.institution_type), (120, InstitutionType::PublicPrivate));
    assert_eq!(row.institution.premises_division.as_str(), "511703");
    assert_eq!(acts(app, &format!("elderly_care:{}", row.id)).await, ["elderly_care.filed"]);
    let register = app.elderly_care_register(&clerk).await.expect("register");
    assert_eq!(register.len(), 1);
    // Filed Tuesday 2021-06-01: 端午 2021-06-14 is off; the 20th working day is 2021-06-30.
    let due = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
    assert_eq!(register[0].inspection, InspectionState::Due { due });
    // Another county's clerk neither sees it nor reads it.
    let other = t.staff("clerk702", "clerk", "511702").await;
    assert!(app.elderly_care_register(&other).await.expect("register").is_empty());
    assert_eq!(app.elderly_care_institution(&other, row.id).await.unwrap_err().kind, ErrorKind::Forbidden);
    // The public list shows it, without anyone signed in.
    let public = app.elderly_care_public().await.expect("public");
    assert_eq!((public[0].name.as_str(), public[0].beds, public[0].institution_type), ("康乐养老院1", 120, "公建民营"));
}
on_both!(complete_filing, a_complete_filing_enters_the_register_at_once);

/// The 备案书 names the institution's 法定代表人（主要负责人）: from the item's version 4 (in force
/// 2026-12-09) a filing without one is refused on that part, with every other problem at once.
async fn the_filing_names_the_legal_representative_from_version_4(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let without = |order| {
        let mut input = filing(order, "511703", "511703", &COMPLETE, "private", 60);
        input.data["facts"]["operator"]["representative"] = json!("");
        input
    };
    // Before version 4 the part was optional.
    let earlier = app.submit_case(&clerk, &without(1)).await.expect("optional before version 4");
    assert!(earlier.view.case.item_version < 4);
    t.clock.set(Utc.with_ymd_and_hms(2026, 12, 9, 1, 0, 0).unwrap()).expect("forward");
    let err = app.submit_case(&clerk, &without(2)).await.expect_err("refused");
    assert_eq!(err.kind, ErrorKind::Invalid);
    let fields: Vec<(&str, &str)> = err.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert_eq!(fields, [("facts.operator.representative", "required")]);
    let named = app.submit_case(&clerk, &filing(3, "511703", "511703", &COMPLETE, "private", 60)).await;
    assert_eq!(named.expect("named").view.case.item_version, 4);
}
on_both!(representative_required, the_filing_names_the_legal_representative_from_version_4);

async fn an_incomplete_filing_is_guided_to_completion_never_refused(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let raw = t.db.raw().await;
    let submitted = app.submit_case(&clerk, &filing(2, "511703", "511703", &["filing_form"], "private", 40)).await;
    let view = submitted.expect("submit").view;
    let id = view.case.id;
    assert!(!view.allowed.contains(&ActionKind::RefuseAcceptance), "{:?}", view.allowed);
    let refuse = Action::RefuseAcceptance { reasons: "缺少承诺书".into() };
    let refused = app.act_on_case(&clerk, id, None, &refuse).await.expect_err("no refusal");
    assert_eq!(refused.code, "refusal_not_provided");
    let deny = Action::Decide {
        grant: false, reasons: "缺少承诺书".into(), basis: "《养老机构管理办法》".into()
    };
    assert_eq!(app.act_on_case(&clerk, id, None, &deny).await.expect_err("no denial").code, "refusal_not_provided");
    assert_eq!(
        app.act_on_case(&clerk, id, None, &Action::Accept).await.expect_err("incomplete").code,
        "materials_incomplete"
    );
    let notified =
        act(app, &clerk, id, Action::NotifyMissing { missing: vec!["commitment".into()], until: None }).await;
    assert_eq!(notified.case.status, CaseStatus::AwaitingSupplement);
    assert!(!notified.allowed.contains(&ActionKind::RefuseAcceptance));
    assert_eq!(app.act_on_case(&clerk, id, None, &refuse).await.expect_err("still none").code, "refusal_not_provided");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM elderly_care_institutions").await, 0);
    // The commitment brought later: the receipt at once.
    t.clock.set(Utc.with_ymd_and_hms(2021, 6, 3, 2, 0, 0).unwrap()).expect("forward");
    act(app, &clerk, id, Action::Supplement { materials: vec!["commitment".into()] }).await;
    let done = act(app, &clerk, id, Action::Accept).await;
    assert_eq!(done.case.status, CaseStatus::Closed(Outcome::Granted));
    let row = app.elderly_care_of_case(id).await.expect("read").expect("entered");
    assert_eq!(row.filed_on.to_string(), "2021-06-03");
    let closed: Vec<String> =
        app.store.stream_events(&format!("case:{id}")).await.expect("events").into_iter().map(|e| e.act).collect();
    assert!(!closed.iter().any(|a| a == "case.refuse_acceptance"), "{closed:?}");
}
on_both!(incomplete_filing, an_incomplete_filing_is_guided_to_completion_never_refused);

/// 川渝通办: a window in 重庆 accepts a filing for premises in 达州, and a 达州 window one for
/// premises in 重庆; the register is the premises' (its 民政 holds the file).
async fn a_filing_crosses_between_sichuan_and_chongqing(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let wanzhou = t.staff("clerk-wz", "clerk", "500101").await;
    let dachuan = t.staff("clerk703", "clerk", "511703").await;
    let there = app.submit_case(&wanzhou, &filing(3, "500101", "511703", &COMPLETE, "private", 60)).await;
    let there = there.expect("accepted in 重庆").view.case;
    assert_eq!(there.competent.as_str(), "511703");
    let here = app.submit_case(&dachuan, &filing(4, "511703", "500101", &COMPLETE, "public", 80)).await;
    let here = here.expect("accepted in 达州").view.case;
    assert_eq!(here.competent.as_str(), "500101");
    for (actor, case) in [(&wanzhou, &there), (&dachuan, &here)] {
        let view = app.case(actor, case.id).await.expect("read");
        let action = view.allowed.iter().find(|k| **k == ActionKind::Accept).copied();
        assert_eq!(action, Some(ActionKind::Accept), "{:?}", view.allowed);
        act(app, actor, case.id, Action::Accept).await;
    }
    let in_dazhou = app.elderly_care_of_case(there.id).await.expect("read").expect("entered");
    assert_eq!((in_dazhou.accepting.as_str(), in_dazhou.institution.premises_division.as_str()), ("500101", "511703"));
    let in_chongqing = app.elderly_care_of_case(here.id).await.expect("read").expect("entered");
    assert_eq!(in_chongqing.institution.premises_division.as_str(), "500101");
    // Each register is its premises' 民政's.
    let register: Vec<i64> =
        app.elderly_care_register(&dachuan).await.expect("register").iter().map(|e| e.row.id).collect();
    assert_eq!(register, [in_dazhou.id]);
    let register: Vec<i64> =
        app.elderly_care_register(&wanzhou).await.expect("register").iter().map(|e| e.row.id).collect();
    assert_eq!(register, [in_chongqing.id]);
}
on_both!(cross_region, a_filing_crosses_between_sichuan_and_chongqing);

async fn changes_are_dated_versions_and_the_inspection_falls_due_by_the_calendar(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let leader = t.staff("leader700", "leader", "511700").await;
    let id = app
        .submit_case(&clerk, &filing(5, "511703", "511703", &COMPLETE, "private", 40))
        .await
        .expect("submit")
        .view
        .case
        .id;
    act(app, &clerk, id, Action::Accept).await;
    let row = app.elderly_care_of_case(id).await.expect("read").expect("entered");
    // 2021-07-01: overdue (due 2021-06-30), whoever looks and whether or not anything ran.
    t.clock.set(Utc.with_ymd_and_hms(2021, 7, 1, 1, 0, 0).unwrap()).expect("forward");
    let due = app.elderly_care_due(&clerk).await.expect("due");
    assert!(matches!(due[0].inspection, InspectionState::Overdue { .. }), "{:?}", due[0].inspection);
    let change = |field: &str, value: &str, on: &str| ChangeInput {
        field: field.into(),
        value: value.into(),
        premises_division: String::new(),
        changed_on: on.into(),
    };
    let view = app.elderly_care_change(&clerk, row.id, 0, &change("beds", "60", "2021-06-10")).await.expect("change");
    assert_eq!(view.full.row.institution.beds, 60);
    assert_eq!(view.full.versions.len(), 2);
    assert_eq!(view.full.versions[1].change_field, Some(ChangeField::Beds));
    assert_eq!(view.full.versions[0].beds, 40, "the filed version is kept");
    // Changed 2021-06-10, filed 2021-07-01: past the 10 working days (due 2021-06-25).
    assert_eq!(view.late_changes, [false, true]);
    // A stale revision is refused, nothing written.
    let stale = app.elderly_care_change(&clerk, row.id, 0, &change("name", "康乐颐养院", "2021-06-30")).await;
    assert_eq!(stale.unwrap_err().code, "elderly_care_conflict");
    let bad = app.elderly_care_change(&clerk, row.id, 1, &change("beds", "60", "2021-06-30")).await.unwrap_err();
    assert_eq!((bad.code, bad.field.as_deref()), ("unchanged", Some("value")));
    // A leader reads, but does not write.
    assert_eq!(
        app.elderly_care_change(&leader, row.id, 1, &change("name", "康乐颐养院", "2021-06-30"))
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    let inspection =
        InspectionInput {
            done_on: "2021-07-01".into(), result: "rectify".into(), findings: "消防通道堆放杂物".into()
        };
    let view = app.elderly_care_inspect(&clerk, row.id, 1, &inspection).await.expect("inspect");
    assert_eq!(
        view.inspection,
        InspectionState::Done { on: chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), late: true }
    );
    assert!(app.elderly_care_due(&clerk).await.expect("due").is_empty());
    assert_eq!(
        acts(app, &format!("elderly_care:{}", row.id)).await,
        ["elderly_care.filed", "elderly_care.change", "elderly_care.inspection"]
    );
    // The figures, from the register.
    let stats = app.elderly_care_stats(&leader, 2021).await.expect("stats");
    assert_eq!((stats.institutions, stats.beds, stats.filings, stats.inspections_done), (1, 60, 1, 1));
    assert_eq!(stats.by_county_type[&("511703".to_string(), InstitutionType::Private)].beds, 60);
    assert_eq!(app.elderly_care_stats(&leader, 2020).await.expect("stats").filings, 0);
}
on_both!(changes_and_inspection, changes_are_dated_versions_and_the_inspection_falls_due_by_the_calendar);
