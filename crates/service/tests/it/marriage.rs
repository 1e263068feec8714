//! Marriage registration through the real database, on both backends: a couple registered, a
//! second marriage refused while married and allowed after a divorce, two offices registering the
//! same person at the same instant, and bad input refused with its condition and basis.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use domain::access::Actor;
use domain::engine::action::{Action, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::{json, Value};
use service::cases::{ApplicantRef, SubmitCase};
use service::{App, ErrorKind};
use test_support::{on_both, Db, TestApp};
use tokio::sync::Barrier;

use crate::{acts, count, id_number, person_input, test_app};

/// 09:00 Asia/Shanghai on a date.
pub(crate) fn morning(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().expect("instant")
}

/// A person on record: `order` odd for a man, even for a woman (GB 11643-1999 顺序码).
pub(crate) async fn person(t: &TestApp, clerk: &Actor, name: &str, region: &str, birth: &str, order: u32) -> i64 {
    let input = person_input(name, &id_number(region, birth, order), None, region);
    t.app.create_person(clerk, &input).await.unwrap_or_else(|e| panic!("person {name}: {e}")).id
}

pub(crate) fn marriage(applicant: i64, data: Value, office: &str) -> SubmitCase {
    SubmitCase {
        item: "marriage-registration".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(applicant),
        accepting_division: office.into(),
        situation: Some("ordinary".into()),
        materials: ["id_cards", "declaration"].map(str::to_string).to_vec(),
        data,
        idempotency_key: None,
    }
}

pub(crate) fn divorce(applicant: i64, other: i64, office: &str) -> SubmitCase {
    SubmitCase {
        item: "divorce-registration".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(applicant),
        accepting_division: office.into(),
        situation: Some("ordinary".into()),
        materials: ["id_cards", "marriage_certificates", "divorce_agreement", "application"]
            .map(str::to_string)
            .to_vec(),
        data: json!({ "other_party": other }),
        idempotency_key: None,
    }
}

/// Submits and accepts a marriage (即办件: registered on the spot); the result of the accept.
pub(crate) async fn register_marriage(
    app: &App,
    clerk: &Actor,
    a: i64,
    b: i64,
    office: &str,
) -> (i64, Result<service::cases::CaseView, service::ServiceError>) {
    let input = marriage(a, json!({ "other_party": b, "declaration_signed": true }), office);
    let id = app.submit_case(clerk, &input).await.expect("submit").view.case.id;
    (id, app.act_on_case(clerk, id, None, &Action::Accept).await)
}

/// A marriage certificate lost: the reissue application at 通川区.
pub(crate) fn reissue(applicant: i64) -> SubmitCase {
    SubmitCase {
        item: "marriage-certificate-reissue".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(applicant),
        accepting_division: "511702".into(),
        situation: Some("marriage_certificate".into()),
        materials: vec!["id_card".into()],
        data: json!({}),
        idempotency_key: None,
    }
}

pub(crate) struct Office {
    pub clerk: Actor,
    pub reviewer: Actor,
    pub decider: Actor,
}

pub(crate) async fn office(t: &TestApp, code: &str) -> Office {
    Office {
        clerk: t.staff(&format!("clerk{code}"), "clerk", code).await,
        reviewer: t.staff(&format!("reviewer{code}"), "reviewer", code).await,
        decider: t.staff(&format!("decider{code}"), "decider", code).await,
    }
}

async fn a_couple_is_registered_and_may_remarry_only_after_a_divorce(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward: the 2025 条例 (v2) is in force");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 1).await;
    let wife = person(&t, &o.clerk, "李四", "511702", "19920202", 2).await;
    let other = person(&t, &o.clerk, "王五", "511702", "19930303", 4).await;

    let (id, accepted) = register_marriage(app, &o.clerk, man, wife, "511702").await;
    let view = accepted.expect("registered on the spot");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Granted));
    let status = app.marital_status(&o.clerk, man).await.expect("status");
    assert_eq!((status.status, status.spouse_person_id), ("married", Some(wife)));
    assert_eq!(status.since.as_deref(), Some("2025-06-03"));
    assert_eq!(status.history.len(), 1);
    assert_eq!(status.history[0].certificate_number.as_deref(), Some("J511702-2025-000001"));
    assert_eq!(status.history[0].cross_region, "none");
    assert_eq!(app.marital_status(&o.clerk, wife).await.expect("status").spouse_person_id, Some(man));
    // Both parties' records and the case, in the one transaction of the act.
    assert!(acts(app, &format!("case:{id}")).await.contains(&"marriage.registered".to_string()));
    for p in [man, wife] {
        let on_record = acts(app, &format!("person:{p}")).await;
        assert!(on_record.contains(&"person.marital_registration".to_string()), "{on_record:?}");
        assert!(on_record.contains(&"person.marital_status_read".to_string()), "the read is an event");
        assert!(!on_record.contains(&"person.registry_check".to_string()), "within the clerk's own grant");
    }

    // A second marriage while married: refused, naming the condition and its basis; the
    // refusal is on record, nothing else is written.
    let (second, refused) = register_marriage(app, &o.clerk, man, other, "511702").await;
    let refused = refused.expect_err("already married");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Invalid, "already_married"));
    assert!(refused.basis().is_some_and(|b| b.contains("第一千零四十二条")), "{:?}", refused.basis());
    assert!(acts(app, &format!("case:{second}")).await.contains(&"case.guard_refused".to_string()));
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 1);
    assert_eq!(app.case(&o.clerk, second).await.expect("case").case.status, CaseStatus::Submitted);

    // The divorce: accepted, the cooling-off period runs out, both ask for the certificate.
    let id = app.submit_case(&o.clerk, &divorce(wife, man, "511702")).await.expect("submit").view.case.id;
    app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect("accepted: a receipt");
    t.clock.set(morning(2025, 7, 4)).expect("forward: day 31");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    let approve = |opinion: &str| Action::Review { verdict: Verdict::Approve, opinion: opinion.into() };
    app.act_on_case(&o.clerk, id, None, &approve("双方到场申请发给离婚证")).await.expect("window");
    app.act_on_case(&o.reviewer, id, None, &approve("确属自愿")).await.expect("review");
    let grant = Action::Decide {
        grant: true, reasons: "准予离婚登记".into(), basis: "民法典第一千零七十八条".into()
    };
    app.act_on_case(&o.decider, id, None, &grant).await.expect("registered");
    let status = app.marital_status(&o.clerk, man).await.expect("status");
    assert_eq!((status.status, status.spouse_person_id), ("divorced", Some(wife)));
    assert_eq!(status.history[1].certificate_number.as_deref(), Some("L511702-2025-000002"));
    // The marriage certificate is no longer current; the divorce certificate is.
    for (number, current) in [("J511702-2025-000001", false), ("L511702-2025-000002", true)] {
        let check = app.certificate_check_code(number);
        assert_eq!(app.verify_certificate(number, &check).await.expect("exists").current, current, "{number}");
    }
    assert_eq!(app.verify_certificate("J511702-2025-000001", "00000000").await.expect_err("code").code, "not_found");

    // Now free to marry: the refused application is accepted.
    app.act_on_case(&o.clerk, second, None, &Action::Accept).await.expect("registered after the divorce");
    let status = app.marital_status(&o.clerk, man).await.expect("status");
    assert_eq!(status.spouse_person_id, Some(other));
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_current").await, 2);
}
on_both!(couple_registered, a_couple_is_registered_and_may_remarry_only_after_a_divorce);

async fn two_offices_registering_the_same_person_at_once_one_succeeds(db: Db) {
    let t = test_app(db).await;
    let app = t.app.clone();
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let tongchuan = office(&t, "511702").await;
    let dachuan = office(&t, "511703").await;
    let man = person(&t, &tongchuan.clerk, "张三", "511702", "19900101", 1).await;
    let first = person(&t, &tongchuan.clerk, "李四", "511702", "19920202", 2).await;
    let second = person(&t, &dachuan.clerk, "王五", "511703", "19930303", 4).await;
    let mut ids = Vec::new();
    // Each office's applicant is the bride on its own record; the groom is the other party.
    for (clerk, wife, code) in [(&tongchuan.clerk, first, "511702"), (&dachuan.clerk, second, "511703")] {
        let input = marriage(wife, json!({ "other_party": man, "declaration_signed": true }), code);
        ids.push((clerk.clone(), app.submit_case(clerk, &input).await.expect("submit").view.case.id));
    }
    let barrier = Arc::new(Barrier::new(2));
    let mut tasks = Vec::new();
    for (clerk, id) in ids {
        let (app, barrier) = (app.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            app.act_on_case(&clerk, id, Some(1), &Action::Accept).await
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{:?}", results.iter().map(|r| r.as_ref().err().map(|e| e.code)).collect::<Vec<_>>());
    let failed = results.into_iter().find_map(Result::err).expect("one refused");
    assert!(
        ["marital_status_changed", "already_married"].contains(&failed.code),
        "refused as already married or changed meanwhile: {}",
        failed.code
    );
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 1);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_current").await, 2);
}
on_both!(same_person_at_once, two_offices_registering_the_same_person_at_once_one_succeeds);

async fn bad_input_is_refused_with_its_condition(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 1).await;
    let woman = person(&t, &o.clerk, "李四", "511702", "19920202", 2).await;
    let stranger = person(&t, &o.clerk, "赵六", "511702", "19940404", 6).await;

    // A malformed ID number: the applicant is refused before anything is written.
    let mut input = marriage(man, json!({ "other_party": woman, "declaration_signed": true }), "511702");
    let good = id_number("511702", "19950505", 11);
    let wrong_check = if good.ends_with('0') { '1' } else { '0' };
    let bad = format!("{}{wrong_check}", &good[..17]);
    input.applicant = ApplicantRef::New(person_input("钱七", &bad, None, "511702"));
    let refused = app.submit_case(&o.clerk, &input).await.expect_err("malformed ID");
    assert_eq!(refused.kind, ErrorKind::Invalid);

    let cases = [
        (json!({ "other_party": man, "declaration_signed": true }), "same_person"),
        (json!({ "other_party": woman }), "declaration_missing"),
        (json!({ "declaration_signed": true }), "other_party_required"),
        (json!({ "other_party": 999_999, "declaration_signed": true }), "other_party_unknown"),
    ];
    for (data, code) in cases {
        let id = app.submit_case(&o.clerk, &marriage(man, data, "511702")).await.expect("submit").view.case.id;
        let refused = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect_err(code);
        assert_eq!(refused.code, code);
        // Closed, as the clerk would, so the next application of the same man is no duplicate.
        let close = Action::RefuseAcceptance { reasons: "不符合受理条件".into() };
        app.act_on_case(&o.clerk, id, None, &close).await.expect("不予受理");
    }

    // A divorce of people not married to each other.
    let id = app.submit_case(&o.clerk, &divorce(man, stranger, "511702")).await.expect("submit").view.case.id;
    let refused = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect_err("not married");
    assert_eq!(refused.code, "not_married_to_each_other");
    assert!(refused.basis().is_some_and(|b| b.contains("第一千零七十六条")));
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 0);
}
on_both!(bad_marriage_input, bad_input_is_refused_with_its_condition);

async fn a_2021_case_follows_the_2021_competence_rules(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    // Neither 户籍 in 达州 (成都 锦江区 and 重庆 万州区).
    t.clock.set(morning(2021, 7, 15)).expect("forward: the pilot is in force");
    let o = office(&t, "511702").await;
    let chengdu = t.staff("clerk510104", "clerk", "510104").await;
    let chongqing = t.staff("clerk500101", "clerk", "500101").await;
    let woman = person(&t, &chongqing, "李四", "500101", "19920202", 2).await;
    // The groom comes to the window with his ID card: registered in the flow.
    let groom = ApplicantRef::New(person_input("张三", &id_number("510104", "19900101", 1), None, "510104"));
    let data = json!({ "other_party": woman, "declaration_signed": true });
    let mut input = marriage(0, data.clone(), "511702");
    input.applicant = groom.clone();
    input.materials.push("household_registers".into());
    let view = app.submit_case(&o.clerk, &input).await.expect("submit").view;
    let (id, man) = (view.case.id, view.case.applicant);
    let refused = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect_err("no permit");
    assert_eq!(refused.code, "office_not_competent");
    let close = Action::RefuseAcceptance { reasons: "不属于本机关管辖".into() };
    app.act_on_case(&o.clerk, id, None, &close).await.expect("不予受理");
    // With a 通川区 居住证: accepted (v1, the 2003 条例 and the pilot).
    let mut data = data;
    data["residence_permit_division"] = json!("511702");
    let mut input = marriage(man, data, "511702");
    input.applicant = groom;
    input.materials.push("household_registers".into());
    let id = app.submit_case(&o.clerk, &input).await.expect("submit").view.case.id;
    let view = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect("registered");
    assert_eq!(view.case.item_version, 1);
    // The 达州 clerk's guards read the 重庆 party's registry entry: allowed to the registration
    // office (CheckMaritalRegistry), recorded on her record.
    let on_record = acts(app, &format!("person:{woman}")).await;
    assert!(on_record.contains(&"person.registry_check".to_string()), "{on_record:?}");
    let status = app.marital_status(&o.clerk, man).await;
    // The 达州 clerk does not reach a 成都 person's record: scoped.
    assert_eq!(status.expect_err("scoped").kind, ErrorKind::Forbidden);
    let status = app.marital_status(&chengdu, man).await.expect("status");
    assert_eq!(status.history[0].cross_region, "prefecture", "the nearer party (成都) is in the same province");
    assert_eq!(status.history[0].certificate_number.as_deref(), Some("J511702-2021-000001"));
}
on_both!(competence_2021, a_2021_case_follows_the_2021_competence_rules);

/// A sweep that runs late still counts the certificate window from the cooling-off period's last
/// day (days 30, 31, 60, 61 themselves: marriage_windows.rs).
async fn a_late_sweep_counts_the_certificate_window_from_the_cooling_off_end(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 2)).expect("forward");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 1).await;
    let wife = person(&t, &o.clerk, "李四", "511702", "19920202", 2).await;
    register_marriage(app, &o.clerk, man, wife, "511702").await.1.expect("married");

    // Received Monday 2025-06-09: cooling-off to 07-09 (day 30), certificate window to 08-08
    // (day 60, a Friday) — the domain's windows say the same.
    t.clock.set(morning(2025, 6, 9)).expect("forward");
    let id = app.submit_case(&o.clerk, &divorce(man, wife, "511702")).await.expect("submit").view.case.id;
    app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect("received");
    let windows = domain::marriage::divorce_windows(
        chrono::NaiveDate::from_ymd_opt(2025, 6, 9).expect("date"),
        app.calendar().as_ref(),
    )
    .expect("windows");
    assert_eq!(windows.deemed_withdrawn_on().to_string(), "2025-08-09");
    t.clock.set(morning(2025, 7, 9)).expect("forward: day 30, the last day to withdraw");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0);
    t.clock.set(morning(2025, 7, 12)).expect("forward: the sweep runs late (a Saturday)");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    let view = app.case(&o.clerk, id).await.expect("case");
    assert_eq!(view.case.step.as_deref(), Some("issuance_window"));
    assert_eq!(
        view.step_deadline.due.map(|d| d.to_string()).as_deref(),
        Some("2025-08-08"),
        "{}",
        view.step_deadline.explanation
    );
}
on_both!(divorce_late_sweep, a_late_sweep_counts_the_certificate_window_from_the_cooling_off_end);

async fn statistics_count_by_type_office_and_month_with_the_cross_region_split(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let tongchuan = office(&t, "511702").await;
    let dachuan = office(&t, "511703").await;
    let a = person(&t, &tongchuan.clerk, "张三", "511702", "19900101", 1).await;
    let b = person(&t, &tongchuan.clerk, "李四", "511702", "19920202", 2).await;
    let c = person(&t, &dachuan.clerk, "王五", "511703", "19900303", 3).await;
    let d = person(&t, &dachuan.clerk, "赵六", "511703", "19920404", 4).await;
    register_marriage(app, &tongchuan.clerk, a, b, "511702").await.1.expect("local");
    t.clock.set(morning(2025, 7, 1)).expect("forward");
    // A 达川区 couple registered at 通川区: 跨区县.
    let input = marriage(c, json!({ "other_party": d, "declaration_signed": true }), "511702");
    let city_clerk = t.staff("clerk511700", "clerk", "511700").await;
    let id = app.submit_case(&city_clerk, &input).await;
    // The 通川区 clerk cannot submit for a 达川区 person on record; the city clerk can, at 通川区.
    let id = id.expect("submit").view.case.id;
    app.act_on_case(&tongchuan.clerk, id, None, &Action::Accept).await.expect("registered");

    let leader = t.staff("leader511700", "leader", "511700").await;
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let stats = app.marriage_statistics(&leader, date("2025-01-01"), date("2025-12-31")).await.expect("stats");
    assert_eq!(stats.total.total, 2);
    assert_eq!((stats.total.local, stats.total.cross_county), (1, 1));
    let months: Vec<(&str, &str, &str, u64)> =
        stats.rows.iter().map(|r| (r.kind.as_str(), r.office.as_str(), r.month.as_str(), r.counts.total)).collect();
    assert_eq!(months, [("marriage", "511702", "2025-06", 1), ("marriage", "511702", "2025-07", 1)]);
    assert!(stats.definition.contains("较近的一方"));
    // A county leader of 达川区 sees none of 通川区's registrations.
    let county = t.staff("leader511703", "leader", "511703").await;
    let stats = app.marriage_statistics(&county, date("2025-01-01"), date("2025-12-31")).await.expect("stats");
    assert_eq!(stats.total.total, 0);
    let refused = app.marriage_statistics(&leader, date("2025-12-31"), date("2025-01-01")).await.expect_err("period");
    assert_eq!(refused.code, "invalid_period");
}
on_both!(marriage_statistics, statistics_count_by_type_office_and_month_with_the_cross_region_split);

async fn an_import_is_all_or_nothing_and_reports_bad_rows_by_line(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let o = office(&t, "511702").await;
    let ids: Vec<String> = [("19800101", 1), ("19820202", 2), ("19840303", 4)]
        .iter()
        .map(|(birth, order)| id_number("511702", birth, *order))
        .collect();
    let mut persons = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let input = person_input(&format!("当事人{i}"), id, None, "511702");
        persons.push(app.create_person(&o.clerk, &input).await.expect("person").id);
    }
    let header = service::marriage::IMPORT_HEADER;
    let (a, b, c) = (&ids[0], &ids[1], &ids[2]);
    let pool = t.db.raw().await;

    // Bad rows: every one named by its line; nothing written.
    let bad = format!(
        "{header}\nmarriage,511702,2005-05-20,{a},{b},J511702-2005-000001\nwedding,511702,2005-05-20,{a},{b},\n\
         marriage,999999,2030-01-01,{a},{a},\nmarriage,511702,2006-01-01,{a}\n"
    );
    let refused = app.import_marriages(&bad, "test").await.expect_err("bad rows");
    let fields: Vec<&str> = refused.problems.iter().map(|p| p.field.as_str()).collect();
    assert!(fields.contains(&"line 3") && fields.contains(&"line 4") && fields.contains(&"line 5"), "{fields:?}");
    assert!(!fields.contains(&"line 2"), "{fields:?}");
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 0);

    // A marriage while married (line 3) fails the registry fold: nothing imported.
    let bigamy = format!(
        "{header}\nmarriage,511702,2005-05-20,{a},{b},J511702-2005-000001\nmarriage,511702,2008-01-01,{a},{c},\n"
    );
    let refused = app.import_marriages(&bigamy, "test").await.expect_err("bigamy");
    assert_eq!((refused.code, refused.problems[0].field.as_str()), ("already_married", "line 3"));
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 0);

    // Good: married 2005, divorced 2010, the registry and the married-now rows follow.
    let good = format!(
        "{header}\nmarriage,511702,2005-05-20,{a},{b},J511702-2005-000001\ndivorce,511702,2010-03-01,{b},{a},\n\
         marriage,511703,2012-08-08,{a},{c},\n"
    );
    assert_eq!(app.import_marriages(&good, "达州档案").await.expect("imported"), 3);
    let status = app.marital_status(&o.clerk, persons[0]).await.expect("status");
    assert_eq!((status.status, status.spouse_person_id), ("married", Some(persons[2])));
    assert_eq!(status.history.len(), 3);
    assert_eq!(status.history[2].cross_region, "county");
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_current").await, 2);
    // The same certificate number again: refused as a whole.
    let again = format!("{header}\nmarriage,511702,2005-05-20,{a},{b},J511702-2005-000001\n");
    let refused = app.import_marriages(&again, "test").await.expect_err("again");
    assert!(["import_certificate_exists", "already_married"].contains(&refused.code), "{}", refused.code);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM marital_registrations").await, 3);
}
on_both!(marriage_import, an_import_is_all_or_nothing_and_reports_bad_rows_by_line);

async fn a_reissue_is_checked_against_the_registry(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 3)).expect("forward");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 1).await;
    let wife = person(&t, &o.clerk, "李四", "511702", "19920202", 2).await;
    let single = person(&t, &o.clerk, "王五", "511702", "19930303", 3).await;
    register_marriage(app, &o.clerk, man, wife, "511702").await.1.expect("married");
    // Nobody on record married to 王五: refused with the basis, recorded.
    let id = app.submit_case(&o.clerk, &reissue(single)).await.expect("submit").view.case.id;
    let refused = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect_err("no marriage");
    assert_eq!(refused.code, "no_marriage_on_record");
    assert!(refused.basis().is_some_and(|b| b.contains("第十七条")), "{:?}", refused.basis());
    // The wife's certificate lost: reissued on the spot, BJ numbered from the office's counter.
    let id = app.submit_case(&o.clerk, &reissue(wife)).await.expect("submit").view.case.id;
    app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect("reissued");
    let status = app.marital_status(&o.clerk, wife).await.expect("status");
    assert_eq!(status.status, "married", "a reissue changes no status");
    let last = status.history.last().expect("reissue on record");
    assert_eq!(
        (last.kind.as_str(), last.certificate_number.as_deref()),
        ("marriage_reissue", Some("BJ511702-2025-000002"))
    );
}
on_both!(reissue, a_reissue_is_checked_against_the_registry);
