//! Cases received from outside the province (跨省通办): one completed at the 户籍地, two returned to
//! the accepting place with written reasons — one within the 3 working days, one late — and the
//! counts (the 2021 report's "3 received, 1 completed, 2 returned") computed from the records.

use domain::engine::action::{Action, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::assistance::{
    after_publicity, care_application, grade_one_certificate, grant, household, staff, COUNTY, TOWNSHIP,
};
use crate::{id_number, person_input, test_app};

const CHONGQING: &str = "500101001"; // 重庆市万州区高笋塘街道

pub(crate) fn subsidy_at_chongqing(order: u32) -> SubmitCase {
    SubmitCase {
        item: "disability-subsidy".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(person_input("张一", &id_number("511702", "19700301", order), None, TOWNSHIP)),
        accepting_division: CHONGQING.into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: json!({ "hukou_division": TOWNSHIP }),
        idempotency_key: None,
    }
}

async fn received_cases_are_completed_or_returned_with_reasons(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await; // Monday 2021-07-05
    let app = &t.app;
    let far_clerk = t.staff("clerk_cq", "clerk", CHONGQING).await;
    let far_officer = t.staff("officer_cq", "township_officer", CHONGQING).await;
    let federation = t.staff("federation", "reviewer", COUNTY).await;
    let mut ids = Vec::new();
    let mut households = Vec::new();
    for order in [101, 111, 121] {
        let (h, a) = household(&t, &s, order, "300").await;
        households.push((h, a));
        let id = app.submit_case(&far_clerk, &subsidy_at_chongqing(order)).await.expect("accepted").view.case.id;
        let view = app.case(&far_officer, id).await.expect("case");
        assert_eq!(view.case.cross_region, domain::engine::case::CrossRegion::Province);
        app.act_on_case(&far_officer, id, None, &Action::Accept).await.expect("accept");
        ids.push(id);
    }
    let (done, early, late) = (ids[0], ids[1], ids[2]);
    // Not received yet: nothing to return.
    let err = app.return_received_case(&s.county_decider, early, "户籍不在本地").await.expect_err("at forward");
    assert_eq!(err.code, "not_received");
    for id in &ids {
        app.act_on_case(&far_officer, *id, None, &Action::Forward).await.expect("pushed");
        app.act_on_case(&s.officer, *id, None, &Action::Receive).await.expect("received");
    }

    // Bad input and the wrong hands.
    let err = app.return_received_case(&s.county_decider, early, "  ").await.expect_err("no reasons");
    assert_eq!(err.problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["reasons_required"]);
    let err = app.return_received_case(&s.officer, early, "户籍不在本地").await.expect_err("township officer");
    assert_eq!(err.code, "not_permitted");
    let (plain_h, plain_a) = household(&t, &s, 131, "1024").await;
    let plain = crate::assistance::at_publicity(&t, &s, plain_h, plain_a).await;
    let err = app.return_received_case(&s.county_decider, plain, "理由").await.expect_err("not cross-region");
    assert_eq!(err.code, "not_cross_region");

    // Returned the day it was received: within the limit; the reasons go on the termination notice.
    let reasons = "经核查申请人户籍已迁出本县，请告知申请人向现户籍地申请";
    let rev = app.store.case(early).await.expect("row").revision;
    let returned = app
        .return_received_case_keyed(&s.county_decider, early, rev, Some("return-early-1"), reasons)
        .await
        .expect("returned");
    assert_eq!(returned.view.case.status, CaseStatus::Closed(Outcome::Terminated));
    // The answer lost, the same return retried with its key: the first answer, returned once
    // (not refused by the checks the return itself made true).
    let again = app
        .return_received_case_keyed(&s.county_decider, early, rev, Some("return-early-1"), reasons)
        .await
        .expect("replayed");
    assert_eq!(again.view.case.revision, returned.view.case.revision);
    let stale = app.return_received_case_keyed(&s.county_decider, early, rev, None, reasons).await;
    assert_eq!(stale.expect_err("stale").code, "case_conflict", "a stale return without its key");
    assert_eq!(
        (returned.received_on.to_string(), returned.due.to_string()),
        ("2021-07-05".into(), "2021-07-08".into())
    );
    assert!(returned.on_time);
    let events = app.case_events(&far_officer, early).await.expect("the accepting place sees why");
    assert_eq!(events.iter().filter(|e| e.act == "case.terminate").count(), 1, "returned once");
    let terminate = events.iter().find(|e| e.act == "case.terminate").expect("terminate event");
    assert!(terminate.payload.contains(reasons), "{}", terminate.payload);
    assert!(terminate.payload.contains("termination_notice"));

    // The completed one: reviewed, publicised, checked by 残联 and decided at home.
    let (h, a) = households[0];
    let certificate = grade_one_certificate(a);
    app.add_household_version(&s.officer, h, &certificate).await.expect("certificate");
    let application = care_application(h, a);
    app.register_assistance_application(&s.officer, done, &application).await.expect("application");
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "情况属实".into() };
    app.act_on_case(&s.officer, done, None, &approve).await.expect("township review");
    after_publicity(&t).await; // 2021-07-13
    app.act_on_case(&federation, done, None, &approve).await.expect("残联");
    app.act_on_case(&s.county_decider, done, None, &grant()).await.expect("decided");
    let err = app.return_received_case(&s.county_decider, done, "理由").await.expect_err("decided");
    assert_eq!(err.code, "already_decided");

    // Returned on 07-13, after the limit (07-08): still returned, counted late.
    let late_return = app.return_received_case(&s.county_decider, late, "材料与户籍地档案不符").await.expect("late");
    assert!(!late_return.on_time);

    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let (from, to) = ("2021-01-01", "2021-12-31");
    for (county, from, to, code) in [
        ("5117", from, to, "invalid_county"),
        (COUNTY, "2021-02-30", to, "invalid_date"),
        (COUNTY, to, from, "period_reversed"),
    ] {
        let err = app.received_from_other_provinces(&leader, county, from, to).await.expect_err(code);
        assert_eq!(err.problems.iter().map(|p| p.code).collect::<Vec<_>>(), [code]);
    }
    let counts = app.received_from_other_provinces(&leader, COUNTY, from, to).await.expect("counts");
    assert_eq!((counts.received, counts.completed, counts.returned, counts.open), (3, 1, 2, 0));
    assert_eq!(counts.returned_on_time, 1);
    // Another county received none of them.
    let other = t.staff("leader_o", "leader", "511703").await;
    let none = app.received_from_other_provinces(&other, "511703", from, to).await.expect("other county");
    assert_eq!(none.received, 0);
    let err = app.received_from_other_provinces(&other, COUNTY, from, to).await.expect_err("not theirs");
    assert_eq!(err.kind, ErrorKind::Forbidden);
}
on_both!(received_returns, received_cases_are_completed_or_returned_with_reasons);
