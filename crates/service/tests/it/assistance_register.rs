//! The separate register of officials' relatives (单独登记备案) and the county's home visit that
//! gates their decision; a stop outside the periodic cycle on a reported change; the once-a-day
//! guard on the sweep's re-check scan. Both backends.

use service::assistance::ApplicationInput;
use service::assistance_register::HomeVisitInput;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::assistance::{
    after_publicity, grant, household, minimum_living_submit, morning, staff, submit_to_publicity, COUNTY,
};
use crate::{acts, count, test_app};

async fn a_relatives_case_is_registered_separately_and_needs_the_county_visit(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (h, a) = household(&t, &s, 31, "1024").await;
    let application = ApplicationInput {
        household_id: h,
        program: "minimum_living".into(),
        relative_of_official: true,
        ..Default::default()
    };
    let id = submit_to_publicity(&t, &s, minimum_living_submit(a), application).await;
    let (plain_h, plain_a) = household(&t, &s, 41, "1024").await;
    let plain = crate::assistance::at_publicity(&t, &s, plain_h, plain_a).await;
    after_publicity(&t).await; // 2021-07-13

    // Not decided without the county's visit — neither granted nor refused.
    let refused = app.act_on_case(&s.county_decider, id, None, &grant()).await.expect_err("no visit yet");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Invalid, "county_home_visit_required"));
    assert!(refused.basis().is_some_and(|b| b.contains("单独登记备案")), "{:?}", refused.basis());
    let refuse = domain::engine::action::Action::Decide {
        grant: false,
        reasons: "收入核实不符".into(),
        basis: "《社会救助暂行办法》第九条".into(),
    };
    let refused = app.act_on_case(&s.county_decider, id, None, &refuse).await.expect_err("no visit yet");
    assert_eq!(refused.code, "county_home_visit_required");

    // The register: the county's staff see it, masked; a township officer does not.
    let township = app.relatives_register(&s.officer).await.expect_err("township officer");
    assert_eq!(township.kind, ErrorKind::Forbidden);
    let register = app.relatives_register(&s.county_decider).await.expect("register");
    assert_eq!(register.iter().map(|e| e.case_id).collect::<Vec<_>>(), [id], "only the flagged case");
    let entry = &register[0];
    assert_eq!(entry.applicant_name_masked, "张*");
    assert!(entry.applicant_id_masked.contains('*'));
    assert!(entry.flag.contains("单独登记备案"));
    assert_eq!(entry.visited_on, None);
    let reads = acts(app, &format!("person:{a}")).await;
    assert_eq!(reads.iter().filter(|r| *r == "person.read").count(), 1, "{reads:?}");
    let elsewhere = t.staff("decider_other", "decider", "511703").await;
    assert!(app.relatives_register(&elsewhere).await.expect("other county").is_empty());

    // The visit: the county's only, with its facts checked.
    let visit = |on: &str, findings: &str| HomeVisitInput { visited_on: on.into(), findings: findings.into() };
    let err = app.record_home_visit(&s.officer, id, &visit("2021-07-12", "入户核实")).await.expect_err("township");
    assert_eq!((err.kind, err.code), (ErrorKind::Forbidden, "county_visit_only"));
    let err = app.record_home_visit(&elsewhere, id, &visit("2021-07-12", "入户核实")).await.expect_err("other");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    for (input, code) in [
        (visit("2021-13-01", "入户核实"), "invalid_date"),
        (visit("2021-07-14", "入户核实"), "date_in_future"),
        (visit("2021-07-04", "入户核实"), "before_application"),
        (visit("2021-07-12", "  "), "findings_required"),
        (visit("2021-07-12", &"查".repeat(1001)), "findings_too_long"),
    ] {
        let err = app.record_home_visit(&s.county_decider, id, &input).await.expect_err(code);
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert_eq!(err.problems.iter().map(|p| p.code).collect::<Vec<_>>(), [code]);
    }
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_home_visits").await, 0, "nothing half-written");
    let recorded = app
        .record_home_visit(&s.county_decider, id, &visit("2021-07-12", "县民政局入户核实，情况属实"))
        .await
        .expect("visit");
    assert_eq!(recorded.division, COUNTY);
    assert!(acts(app, &format!("case:{id}")).await.contains(&"assistance.home_visit".to_string()));
    let register = app.relatives_register(&s.county_decider).await.expect("register");
    assert_eq!(register[0].visited_on.as_deref(), Some("2021-07-12"));

    app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("granted after the visit");
    // An application not flagged never waited for a visit.
    app.act_on_case(&s.county_decider, plain, None, &grant()).await.expect("plain grant");
}
on_both!(relatives_register, a_relatives_case_is_registered_separately_and_needs_the_county_visit);

async fn the_recheck_scan_runs_once_a_day(db: Db) {
    let t = test_app(db).await;
    let pool = t.db.raw().await;
    let s = staff(&t).await;
    let app = &t.app;
    let (h, a) = household(&t, &s, 51, "1024").await;
    let id = crate::assistance::at_publicity(&t, &s, h, a).await;
    after_publicity(&t).await; // at confirmation, 2021-07-13
                               // A sweep for 2022-01-13 before the 低保 decision exists: the scan runs and marks the day.
    assert_eq!(app.sweep_once(morning(2022, 1, 13)).await.expect("first sweep"), 0);
    app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("grant"); // due 2022-01-13
    let later = morning(2022, 1, 13) + chrono::Duration::hours(6);
    t.clock.set(later).expect("forward");
    let reader = t.staff("leader_c", "leader", COUNTY).await;
    assert_eq!(app.rechecks_due(&reader, COUNTY, "2022-01-13").await.expect("due").len(), 1, "due that day");
    // The same day again: the scan is skipped (the mark survives in the database).
    let rechecks = "SELECT COUNT(*) FROM cases WHERE idempotency_key LIKE 'recheck:%'";
    app.sweep_once(later).await.expect("second sweep");
    assert_eq!(count(&pool, rechecks).await, 0, "scanned once on 2022-01-13");
    // The next day it runs, and opens the re-check.
    let next = morning(2022, 1, 14);
    t.clock.set(next).expect("forward");
    assert_eq!(app.sweep_once(next).await.expect("next day"), 1);
    assert_eq!(count(&pool, rechecks).await, 1);
    let mark = count(&pool, "SELECT COUNT(*) FROM sweep_marks WHERE last_day = '2022-01-14'").await;
    assert_eq!(mark, 1);
}
on_both!(recheck_once_a_day, the_recheck_scan_runs_once_a_day);

/// A change reported mid-period: an officer opens the re-check at once with the reason written; the
/// county stops payment with written reasons from the month after its decision (no 渐退期: the
/// income did not rise). Bad input refused, nothing written.
async fn a_reported_change_stops_payment_outside_the_cycle(db: Db) {
    use domain::engine::action::{Action, Verdict};
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let pool = t.db.raw().await;
    let (h, a) = household(&t, &s, 81, "1024").await;
    let id = crate::assistance::at_publicity(&t, &s, h, a).await;
    let (other_h, other_a) = household(&t, &s, 91, "1300").await; // equal to the standard: refused
    let refused_case = crate::assistance::at_publicity(&t, &s, other_h, other_a).await;
    after_publicity(&t).await;
    app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("grant");
    let refuse = Action::Decide { grant: false, reasons: "收入不低于标准".into(), basis: "第九条".into() };
    app.act_on_case(&s.county_decider, refused_case, None, &refuse).await.expect("refuse");
    let paid = app.assistance_decision(&s.officer, id).await.expect("decision").amount_fen;

    // 2021-09-15: the household reports that its member has moved away.
    let reported = morning(2021, 9, 15);
    t.clock.set(reported).expect("forward");
    let changes = "SELECT COUNT(*) FROM cases WHERE idempotency_key LIKE 'change:%'";
    let err = app.open_change_review(&s.officer, id, "  ").await.expect_err("no reason");
    assert_eq!(err.problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["reason_required"]);
    let err = app.open_change_review(&s.officer, id, &"变".repeat(501)).await.expect_err("too long");
    assert_eq!(err.problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["reason_too_long"]);
    let err = app.open_change_review(&s.officer, refused_case, "情况变化").await.expect_err("not paying");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "not_paying"));
    let far = t.staff("officer_far", "township_officer", "511703001").await;
    let err = app.open_change_review(&far, id, "情况变化").await.expect_err("other township");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(count(&pool, changes).await, 0, "nothing written");

    let reason = "家庭成员张二迁出本户，共同生活人口减少";
    let opened = app.open_change_review(&s.officer, id, reason).await.expect("opened");
    // One review of a decision at a time: a second report while this one runs names it.
    let again = app.open_change_review(&s.officer, id, reason).await.expect_err("twice");
    assert_eq!((again.kind, again.code), (ErrorKind::Conflict, "review_in_progress"));
    assert!(again.message.contains(&opened.case_id.to_string()), "{}", again.message);
    assert_eq!(count(&pool, changes).await, 1);
    let events = app.case_events(&s.officer, opened.case_id).await.expect("events");
    let application = events.iter().find(|e| e.act == "assistance.application").expect("application event");
    assert!(application.actor.starts_with("account:"), "opened by the officer: {}", application.actor);

    // The re-check runs the procedure; publicity 09-15 … 09-22, the sweep of 09-23 moves it on.
    let c = opened.case_id;
    app.act_on_case(&s.officer, c, None, &Action::Accept).await.expect("accept");
    for _ in 0..2 {
        let approve = Action::Review { verdict: Verdict::Approve, opinion: "核实迁出属实".into() };
        app.act_on_case(&s.officer, c, None, &approve).await.expect("review");
    }
    let confirm = morning(2021, 9, 23);
    t.clock.set(confirm).expect("forward");
    app.sweep_once(confirm).await.expect("sweep");
    let unexplained = Action::Decide { grant: false, reasons: " ".into(), basis: "第十三条".into() };
    let err = app.act_on_case(&s.county_decider, c, None, &unexplained).await.expect_err("a stop needs reasons");
    assert_eq!(err.code, "reasons_required");
    let stop = Action::Decide {
        grant: false,
        reasons: "共同生活的家庭成员迁出，经核实不再符合低保条件".into(),
        basis: "《社会救助暂行办法》第十三条".into(),
    };
    app.act_on_case(&s.county_decider, c, None, &stop).await.expect("stop");
    let d = app.assistance_decision(&s.officer, c).await.expect("stop decision");
    assert_eq!((d.outcome.as_str(), d.amount_fen), ("stop", 0));
    assert_eq!(d.first_month.as_deref(), Some("2021-10"), "from the month after the decision, no 渐退期");
    assert!(d.reasons.iter().any(|r| r.contains("迁出")), "{:?}", d.reasons);
    assert!(!d.trace.iter().any(|l| l.contains("渐退期")), "{:?}", d.trace);
    let reader = t.staff("leader_c", "leader", COUNTY).await;
    let september = app.payment_roll(&reader, COUNTY, "2021-09").await.expect("september");
    assert_eq!(september.total_fen, paid);
    assert_eq!(september.lines[0].stop_from.as_deref(), Some("2021-10"));
    let october = app.payment_roll(&reader, COUNTY, "2021-10").await.expect("october");
    assert!(october.lines.is_empty());
    assert_eq!(october.changes.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(), ["stopped"]);
}
on_both!(reported_change, a_reported_change_stops_payment_outside_the_cycle);
