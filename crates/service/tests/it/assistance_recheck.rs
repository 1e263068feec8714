//! 动态管理 on both backends: the sweep opens the due re-checks of paying 低保 households as the
//! system, once per household and period however often it runs; a re-check decision adjusts the
//! amount (增发/减发) or stops payment (停发, with written reasons), and the payment roll follows
//! from the month after the decision. Also the 残联 step's certificate guard (两项补贴 v2).

use domain::engine::action::{Action, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use service::assistance::{HouseholdVersionInput, IncomeInput, MemberInput};
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::assistance::{after_publicity, at_publicity, grant, household, morning, staff, Staff, COUNTY};
use crate::{count, test_app};

/// A new version of the household from 2022-01-01 with `monthly` yuan of income for the applicant
/// in every month of 2021 (what a re-check investigation finds).
async fn income_changes(t: &TestApp, s: &Staff, household: i64, monthly: &str) {
    let view = t.app.household(&s.officer, household).await.expect("household");
    let members = view.versions[0]
        .members
        .iter()
        .map(|m| MemberInput { person_id: m.person_id, relationship: m.relationship.clone(), ..Default::default() })
        .collect::<Vec<_>>();
    let applicant = members[0].person_id;
    let income = (1..=12)
        .map(|m| IncomeInput {
            person_id: applicant,
            month: format!("2021-{m:02}"),
            kind: "工资性收入".into(),
            amount_yuan: monthly.into(),
            ..Default::default()
        })
        .collect();
    let version = HouseholdVersionInput { valid_from: "2022-01-01".into(), members, income, assets: vec![] };
    t.app.add_household_version(&s.officer, household, &version).await.expect("new version");
}

/// Accepts a re-check case and passes investigation and review; its publicity runs from `now`.
async fn to_publicity(t: &TestApp, s: &Staff, id: i64) {
    t.app.act_on_case(&s.officer, id, None, &Action::Accept).await.expect("accept re-check");
    for _ in 0..2 {
        let approve = Action::Review { verdict: Verdict::Approve, opinion: "复核入户调查属实".into() };
        t.app.act_on_case(&s.officer, id, None, &approve).await.expect("review");
    }
}

async fn the_sweep_opens_due_rechecks_once_and_their_decisions_change_the_roll(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (rising, rising_applicant) = household(&t, &s, 61, "1024").await;
    let (falling, falling_applicant) = household(&t, &s, 71, "1024").await;
    let first = at_publicity(&t, &s, rising, rising_applicant).await;
    let second = at_publicity(&t, &s, falling, falling_applicant).await;
    after_publicity(&t).await; // 2021-07-13
    for id in [first, second] {
        app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("grant");
    }
    let paid = app.assistance_decision(&s.officer, first).await.expect("decision").amount_fen;
    let pool = t.db.raw().await;
    let rechecks = "SELECT COUNT(*) FROM cases WHERE idempotency_key LIKE 'recheck:%'";

    // Half-yearly (the applicants can work): due 2022-01-13, not the day before.
    let eve = morning(2022, 1, 12);
    t.clock.set(eve).expect("forward");
    app.sweep_once(eve).await.expect("sweep");
    assert_eq!(count(&pool, rechecks).await, 0);
    let due_day = morning(2022, 1, 13);
    t.clock.set(due_day).expect("forward");
    assert_eq!(app.sweep_once(due_day).await.expect("sweep"), 2);
    // A rerun (or a second server) opens nothing more.
    assert_eq!(app.sweep_once(due_day).await.expect("sweep again"), 0);
    assert_eq!(count(&pool, rechecks).await, 2);

    let opened = |reviewed: i64| {
        let pool = pool.clone();
        async move { count(&pool, &format!("SELECT id FROM cases WHERE idempotency_key = 'recheck:{reviewed}'")).await }
    };
    let (recheck_up, recheck_down) = (opened(first).await, opened(second).await);
    let case = app.case(&s.officer, recheck_up).await.expect("re-check case");
    assert_eq!(case.case.status, CaseStatus::Submitted);
    assert_eq!(case.case.applicant, rising_applicant);
    let events = app.case_events(&s.officer, recheck_up).await.expect("events");
    let submit = events.iter().find(|e| e.act == "case.submit").expect("submit event");
    assert_eq!(submit.actor, "system", "opened ex officio by the system");
    assert!(events.iter().any(|e| e.act == "assistance.application" && e.actor == "system"));

    // The re-check investigations: one household's income fell, the other's rose above the line.
    income_changes(&t, &s, rising, "1400").await; // 700 per capita ≥ 650
    income_changes(&t, &s, falling, "800").await; // 400 per capita
    for id in [recheck_up, recheck_down] {
        to_publicity(&t, &s, id).await;
    }
    // Publicity 01-13 … 01-20 (7 natural days); the sweep of 01-21 moves both to confirmation and
    // opens nothing new: the households are still under review for this period.
    let confirm_day = morning(2022, 1, 21);
    t.clock.set(confirm_day).expect("forward");
    assert_eq!(app.sweep_once(confirm_day).await.expect("sweep"), 2);
    assert_eq!(count(&pool, rechecks).await, 2);

    // Income above the line: a grant is refused; the stop is decided with written reasons.
    let refused = app.act_on_case(&s.county_decider, recheck_up, None, &grant()).await.expect_err("no longer eligible");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Invalid, "not_eligible"));
    let stop = Action::Decide {
        grant: false,
        reasons: "家庭月人均收入已不低于当地低保标准".into(),
        basis: "《社会救助暂行办法》第十三条".into(),
    };
    let stopped = app.act_on_case(&s.county_decider, recheck_up, None, &stop).await.expect("stop");
    assert_eq!(stopped.case.status, CaseStatus::Closed(Outcome::Denied));
    let d = app.assistance_decision(&s.officer, recheck_up).await.expect("stop decision");
    assert_eq!((d.outcome.as_str(), d.granted, d.amount_fen), ("stop", false, 0));
    // Income above the line: the 渐退期 of the rule version (3 months [unconfirmed]) — paid February
    // to April, stopped from May.
    assert_eq!(d.first_month.as_deref(), Some("2022-05"), "stopped after the 渐退期");
    assert!(d.trace.iter().any(|l| l.contains("渐退期 3 个月")), "{:?}", d.trace);
    assert_eq!(d.recheck_of_case, Some(first));
    assert!(!d.reasons.is_empty(), "a stop states its reasons");
    assert!(d.trace.iter().any(|l| l.contains("停发")), "{:?}", d.trace);

    app.act_on_case(&s.county_decider, recheck_down, None, &grant()).await.expect("adjust");
    let up = app.assistance_decision(&s.officer, recheck_down).await.expect("adjust decision");
    assert_eq!((up.outcome.as_str(), up.granted), ("adjust", true));
    assert!(up.amount_fen > paid, "less income, more assistance: {} vs {paid}", up.amount_fen);
    assert!(up.trace.iter().any(|l| l.contains("增发")), "{:?}", up.trace);

    // The roll: January still pays both old amounts; February the new amount and, in its 渐退期,
    // the old amount of the stopped household (the line shows its stop month); May only the new one.
    let reader = t.staff("leader_c", "leader", COUNTY).await;
    let january = app.payment_roll(&reader, COUNTY, "2022-01").await.expect("january");
    assert_eq!(january.total_fen, 2 * paid);
    let february = app.payment_roll(&reader, COUNTY, "2022-02").await.expect("february");
    assert_eq!(february.lines.len(), 2);
    assert_eq!(february.total_fen, up.amount_fen + paid);
    let tapered = february.lines.iter().find(|l| l.case_id == first).expect("tapered line");
    assert_eq!(tapered.stop_from.as_deref(), Some("2022-05"));
    assert_eq!(february.changes.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(), ["changed"]);
    let april = app.payment_roll(&reader, COUNTY, "2022-04").await.expect("april");
    assert_eq!(april.total_fen, up.amount_fen + paid);
    let may = app.payment_roll(&reader, COUNTY, "2022-05").await.expect("may");
    assert_eq!(may.lines.len(), 1);
    assert_eq!(may.total_fen, up.amount_fen);
    assert_eq!(may.changes.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(), ["stopped"]);

    // The next period: the adjusted household is due six months after its re-check; the stopped one
    // never again (its newest decision pays nothing).
    let due = app.rechecks_due(&reader, COUNTY, "2022-07-21").await.expect("due");
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!((due[0].case_id, due[0].due.as_str()), (recheck_down, "2022-07-21"));
}
on_both!(rechecks, the_sweep_opens_due_rechecks_once_and_their_decisions_change_the_roll);

/// 残疾人两项补贴 v2 (from 2022-01-01): the county 残联 step checks the certificate's category and
/// grade against the subsidy; a grade the care subsidy does not cover stops the case at 残联 (the
/// refusal recorded), a re-assessed certificate lets it through to the county's decision.
async fn the_federation_checks_the_certificate_before_the_decision(db: Db) {
    use service::assistance::ApplicationInput;
    use service::cases::{ApplicantRef, SubmitCase};

    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let federation = t.staff("federation", "reviewer", COUNTY).await;
    let (h, a) = household(&t, &s, 95, "300").await;
    let certificate = |valid_from: &str, grade: i64| HouseholdVersionInput {
        valid_from: valid_from.into(),
        members: vec![MemberInput {
            person_id: a,
            relationship: "applicant".into(),
            disability_category: Some("physical".into()),
            disability_grade: Some(grade),
            ..Default::default()
        }],
        ..Default::default()
    };
    app.add_household_version(&s.officer, h, &certificate("2021-12-01", 3)).await.expect("grade 3 recorded");
    // 2022-01-04, the first working day after the New Year holiday (01-01 … 01-03).
    let start = morning(2022, 1, 4);
    t.clock.set(start).expect("forward");
    let submit = SubmitCase {
        item: "disability-subsidy".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(a),
        accepting_division: crate::assistance::TOWNSHIP.into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: serde_json::json!({}),
        idempotency_key: None,
    };
    let submitted = app.submit_case(&s.clerk, &submit).await.expect("submit").view;
    assert_eq!(submitted.case.item_version, 2, "the item in force on 2022-01-04");
    let id = submitted.case.id;
    app.act_on_case(&s.officer, id, None, &Action::Accept).await.expect("accept");
    let application = ApplicationInput {
        household_id: h,
        program: "disability_care".into(),
        beneficiary: Some(a),
        ..Default::default()
    };
    app.register_assistance_application(&s.officer, id, &application).await.expect("application");
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "情况属实".into() };
    app.act_on_case(&s.officer, id, None, &approve).await.expect("township review");
    // Publicity 01-04 … 01-11 (7 natural days); the sweep of 01-12 moves it to 残联.
    let after = morning(2022, 1, 12);
    t.clock.set(after).expect("forward");
    app.sweep_once(after).await.expect("sweep");
    assert_eq!(app.case(&federation, id).await.expect("case").case.step.as_deref(), Some("federation_review"));

    let refused = app.act_on_case(&federation, id, None, &approve).await.expect_err("grade 3 physical");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Invalid, "certificate_grade_not_eligible"));
    assert!(refused.message.contains("肢体残疾三级"), "{}", refused.message);
    let events = app.case_events(&federation, id).await.expect("events");
    assert!(events.iter().any(|e| e.act == "case.guard_refused"), "the refusal is on the record");
    assert_eq!(app.case(&federation, id).await.expect("case").case.step.as_deref(), Some("federation_review"));

    // Re-assessed: grade 2 from 01-12 — the federation passes it to the county's decision.
    app.add_household_version(&s.officer, h, &certificate("2022-01-12", 2)).await.expect("re-assessed");
    app.act_on_case(&federation, id, None, &approve).await.expect("certificate verified");
    assert_eq!(app.case(&s.county_decider, id).await.expect("case").case.step.as_deref(), Some("decide"));
}
on_both!(federation, the_federation_checks_the_certificate_before_the_decision);

/// 事实无人抚养儿童 across regions (国办发〔2020〕35号; 民发〔2019〕62号, 民发〔2020〕125号): accepted at another county's
/// township on 2021-09-29, pushed within 3 working days across the National Day holiday (10-01 … 10-07
/// off, Saturday 10-09 a 调休 working day), checked at the 户籍地 township within 15 and decided by the
/// county within 15 working days, the result returned and told within 3 — never publicised.
async fn an_unsupported_child_is_recognised_at_home_and_never_publicised(db: Db) {
    use domain::engine::action::DeliveryMethod;
    use service::assistance::{ApplicationInput, HouseholdInput};
    use service::cases::{ApplicantRef, SubmitCase};

    use crate::assistance::TOWNSHIP;
    use crate::{id_number, person_input};

    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    const ELSEWHERE: &str = "511703001"; // 达川区三里坪街道
    let far_clerk = t.staff("clerk_far", "clerk", ELSEWHERE).await;
    let far_officer = t.staff("officer_far", "township_officer", ELSEWHERE).await;
    let person =
        |name: &str, birth: &str, order: u32| person_input(name, &id_number("511702", birth, order), None, TOWNSHIP);
    let grandmother = app.create_person(&s.clerk, &person("李奶奶", "19500301", 111)).await.expect("guardian").id;
    let child = app.create_person(&s.clerk, &person("李小", "20120601", 112)).await.expect("child").id;
    let version = HouseholdVersionInput {
        valid_from: "2021-01-01".into(),
        members: vec![
            MemberInput { person_id: grandmother, relationship: "applicant".into(), ..Default::default() },
            MemberInput { person_id: child, relationship: "grandchild".into(), ..Default::default() },
        ],
        ..Default::default()
    };
    let household = HouseholdInput { division: TOWNSHIP.into(), urban: false, version };
    let h = app.create_household(&s.officer, &household).await.expect("household").id;

    let accepted_on = morning(2021, 9, 29);
    t.clock.set(accepted_on).expect("forward");
    let submit = SubmitCase {
        item: "unsupported-child-recognition".into(),
        channel: "window".into(),
        // The far window identifies the guardian by the ID card: matched to the record on file.
        applicant: ApplicantRef::New(person("李奶奶", "19500301", 111)),
        accepting_division: ELSEWHERE.into(),
        situation: Some("parents_disabled".into()),
        materials: ["application", "child_hukou", "guardian_id", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: serde_json::json!({ "hukou_division": TOWNSHIP }),
        idempotency_key: None,
    };
    let id = app.submit_case(&far_clerk, &submit).await.expect("accepted anywhere").view.case.id;
    app.act_on_case(&far_officer, id, None, &Action::Accept).await.expect("accept");
    let step = |view: service::cases::CaseView| (view.case.step.clone(), view.step_deadline.due.map(|d| d.to_string()));
    let at_forward = step(app.case(&far_officer, id).await.expect("case"));
    assert_eq!(at_forward, (Some("forward".into()), Some("2021-10-09".into())), "09-30, 10-08, 调休 10-09");
    // The home township cannot take what was not pushed yet.
    assert_eq!(
        app.act_on_case(&s.officer, id, None, &Action::Receive).await.expect_err("not pushed").kind,
        ErrorKind::Invalid
    );

    let pushed_on = morning(2021, 10, 8);
    t.clock.set(pushed_on).expect("forward");
    app.act_on_case(&far_officer, id, None, &Action::Forward).await.expect("pushed in time");
    app.act_on_case(&s.officer, id, None, &Action::Receive).await.expect("received at the 户籍地");
    let at_check = step(app.case(&s.officer, id).await.expect("case"));
    // 15 working days from 10-08: 10-09 (调休), 10-11 … 10-15, 10-18 … 10-22, 10-25 … 10-28.
    assert_eq!(at_check, (Some("township_check".into()), Some("2021-10-28".into())));
    let application = ApplicationInput {
        household_id: h,
        program: "unsupported_child".into(),
        beneficiary: Some(child),
        father: Some("severe_disability".into()),
        mother: Some("severe_disability".into()),
        ..Default::default()
    };
    app.register_assistance_application(&s.officer, id, &application).await.expect("application");
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "部门信息比对属实".into() };
    app.act_on_case(&s.officer, id, None, &approve).await.expect("township check");
    let at_confirm = step(app.case(&s.county_decider, id).await.expect("case"));
    assert_eq!(at_confirm.0.as_deref(), Some("confirm"), "straight to the county: no publicity step");
    assert_eq!(at_confirm.1.as_deref(), Some("2021-10-28"), "15 working days from 10-08 for the county too");
    app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("recognised at home");
    let d = app.assistance_decision(&s.county_decider, id).await.expect("decision");
    assert!(d.granted && d.amount_fen > 0);
    app.act_on_case(&s.county_decider, id, None, &Action::ReturnResult).await.expect("returned");
    let at_deliver = step(app.case(&far_officer, id).await.expect("back at the accepting place"));
    assert_eq!(
        at_deliver,
        (Some("deliver".into()), Some("2021-10-12".into())),
        "3 working days from 10-08: 10-09 (调休), 10-11, 10-12"
    );
    let deliver = Action::Deliver { method: DeliveryMethod::OnSite, tracking: None };
    let done = app.act_on_case(&far_officer, id, None, &deliver).await.expect("told");
    assert_eq!(done.case.status, CaseStatus::Closed(Outcome::Granted));
    // Never publicised: no step of the case was a wait (公示) step, no timer ever ran.
    let events = app.case_events(&s.county_decider, id).await.expect("events");
    assert!(!events.iter().any(|e| e.act == "case.timer_expired"), "no publicity period");
    assert!(!events.iter().any(|e| e.payload.contains("publicity")), "no publicity step entered");
}
on_both!(child_cross_region, an_unsupported_child_is_recognised_at_home_and_never_publicised);
