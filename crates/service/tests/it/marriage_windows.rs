//! The two divorce windows through the service on the simulated clock (民法典第一千零七十七条,
//! counted by 第二百零一条至第二百零三条): either party withdraws during the cooling-off period (the
//! last day included, not the day after), the certificate on the first and the last day of the
//! second window, the application deemed withdrawn by the sweep the day after, and windows
//! whose last day is a day off.

use domain::access::Actor;
use domain::engine::action::{Action, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::{json, Value};
use service::cases::SubmitCase;
use service::App;
use test_support::{on_both, Db, TestApp};

use crate::marriage::{divorce, marriage, morning, office, person, Office};
use crate::{acts, test_app};

/// The 2003 条例 (v1, before 2025-05-10) also asks for both 户口簿.
fn under_2003_rules(input: &mut SubmitCase, before_2025: bool) {
    if before_2025 {
        input.materials.push("household_registers".into());
    }
}

/// A married couple on record at `code`: (husband, wife). `n` keeps the ID numbers apart.
async fn couple(t: &TestApp, clerk: &Actor, code: &str, n: u32, before_2025: bool) -> (i64, i64) {
    let man = person(t, clerk, &format!("男方{n}"), code, "19900101", 2 * n + 1).await;
    let wife = person(t, clerk, &format!("女方{n}"), code, "19920202", 2 * n + 2).await;
    let mut input = marriage(man, json!({ "other_party": wife, "declaration_signed": true }), code);
    under_2003_rules(&mut input, before_2025);
    let id = t.app.submit_case(clerk, &input).await.expect("submit").view.case.id;
    t.app.act_on_case(clerk, id, None, &Action::Accept).await.expect("married");
    (man, wife)
}

/// Submits and receives a divorce (受理回执: the cooling-off period starts).
async fn receive(app: &App, clerk: &Actor, applicant: i64, other: i64, code: &str, before_2025: bool) -> i64 {
    let mut input = divorce(applicant, other, code);
    under_2003_rules(&mut input, before_2025);
    let id = app.submit_case(clerk, &input).await.expect("submit").view.case.id;
    app.act_on_case(clerk, id, None, &Action::Accept).await.expect("received");
    id
}

/// Both parties at the window asking for the certificate, the review, the registration.
async fn certificate(app: &App, o: &Office, id: i64) -> String {
    let approve = |opinion: &str| Action::Review { verdict: Verdict::Approve, opinion: opinion.into() };
    app.act_on_case(&o.clerk, id, None, &approve("双方到场申请发给离婚证")).await.expect("window");
    app.act_on_case(&o.reviewer, id, None, &approve("确属自愿")).await.expect("review");
    let grant = Action::Decide {
        grant: true, reasons: "准予离婚登记".into(), basis: "民法典第一千零七十八条".into()
    };
    app.act_on_case(&o.decider, id, None, &grant).await.expect("registered");
    app.act_on_case(&o.clerk, id, None, &Action::Produce).await.expect("printed");
    let view = app.act_on_case(&o.clerk, id, None, &Action::Issue).await.expect("issued");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Granted));
    let status = app.marital_status(&o.clerk, view.case.applicant).await.expect("status");
    assert_eq!(status.status, "divorced");
    status.history.last().and_then(|r| r.certificate_number.clone()).expect("a certificate number")
}

fn withdraw(party: Option<i64>) -> Action {
    Action::Withdraw { reason: "不愿意离婚".into(), party }
}

/// The payload of the last event of `act` on the case.
async fn payload_of(app: &App, clerk: &Actor, id: i64, act: &str) -> Value {
    let events = app.case_events(clerk, id).await.expect("events");
    let event = events.iter().rev().find(|e| e.act == act).unwrap_or_else(|| panic!("no {act}"));
    serde_json::from_str(&event.payload).expect("json payload")
}

async fn withdrawal_on_day_30_certificate_on_days_31_and_60_deemed_withdrawn_on_day_61(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 2)).expect("forward");
    let o = office(&t, "511702").await;
    let (a_man, a_wife) = couple(&t, &o.clerk, "511702", 1, false).await;
    let (b_man, b_wife) = couple(&t, &o.clerk, "511702", 2, false).await;
    let (c_man, c_wife) = couple(&t, &o.clerk, "511702", 3, false).await;
    let (d_man, d_wife) = couple(&t, &o.clerk, "511702", 4, false).await;
    let stranger = person(&t, &o.clerk, "路人", "511702", "19880808", 99).await;

    // Received Monday 2025-06-09 (not counted): day 30 = Wed 07-09, day 60 = Fri 08-08.
    t.clock.set(morning(2025, 6, 9)).expect("forward: receipt");
    let a = receive(app, &o.clerk, a_man, a_wife, "511702", false).await;
    let b = receive(app, &o.clerk, b_man, b_wife, "511702", false).await;
    let c = receive(app, &o.clerk, c_man, c_wife, "511702", false).await;
    let d = receive(app, &o.clerk, d_man, d_wife, "511702", false).await;

    // Day 30: the last day of the cooling-off period. The wife — not the applicant — withdraws
    // at the window; the clerk records which party, with the basis.
    t.clock.set(morning(2025, 7, 9)).expect("forward: day 30");
    let refused = app.act_on_case(&o.clerk, c, None, &withdraw(None)).await.expect_err("which party");
    assert_eq!(refused.code, "withdrawal_party_required");
    let refused = app.act_on_case(&o.clerk, c, None, &withdraw(Some(stranger))).await.expect_err("not a party");
    assert_eq!(refused.code, "withdrawal_party_invalid");
    // A marriage case has no second party to name.
    let single = person(&t, &o.clerk, "单身", "511702", "19890909", 97).await;
    let input = marriage(single, json!({ "other_party": stranger, "declaration_signed": true }), "511702");
    let m = app.submit_case(&o.clerk, &input).await.expect("submit").view.case.id;
    let refused = app.act_on_case(&o.clerk, m, None, &withdraw(Some(single))).await.expect_err("no party");
    assert_eq!(refused.code, "party_not_applicable");
    let view = app.act_on_case(&o.clerk, c, None, &withdraw(Some(c_wife))).await.expect("withdrawn on day 30");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Withdrawn));
    let recorded = payload_of(app, &o.clerk, c, "case.withdraw").await;
    assert_eq!(recorded["party"], c_wife);
    assert_eq!(recorded["party_role"], "other_party");
    assert!(recorded["basis"].as_str().is_some_and(|b| b.contains("第一千零七十七条")), "{recorded}");
    assert_eq!(app.marital_status(&o.clerk, c_man).await.expect("status").spouse_person_id, Some(c_wife));
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0, "day 30 still runs");

    // Day 31: too late to withdraw — refused with the basis and on record, even before the sweep
    // moved the case on; then the sweep opens the certificate window of the three still open.
    t.clock.set(morning(2025, 7, 10)).expect("forward: day 31");
    let refused = app.act_on_case(&o.clerk, d, None, &withdraw(Some(d_man))).await.expect_err("day 31");
    assert_eq!(refused.code, "withdrawal_period_over");
    assert!(refused.basis().is_some_and(|b| b.contains("第一千零七十七条")), "{:?}", refused.basis());
    assert!(refused.message.contains("2025-07-09"), "{}", refused.message);
    assert!(acts(app, &format!("case:{d}")).await.contains(&"case.guard_refused".to_string()));
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 3);
    // Couple A asks for the certificate on day 31.
    let number = certificate(app, &o, a).await;
    assert!(number.starts_with("L511702-2025-"), "{number}");

    // Day 60: the last day of the certificate window — couple B in time.
    t.clock.set(morning(2025, 8, 8)).expect("forward: day 60");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0, "day 60 still runs");
    certificate(app, &o, b).await;

    // Day 61: couple D never came — deemed withdrawn by the system; still married.
    t.clock.set(morning(2025, 8, 9)).expect("forward: day 61");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    let view = app.case(&o.clerk, d).await.expect("case");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
    let events = app.case_events(&o.clerk, d).await.expect("events");
    let last = events.last().expect("event");
    assert_eq!((last.act.as_str(), last.actor.as_str()), ("case.timer_expired", "system"));
    assert_eq!(app.marital_status(&o.clerk, d_man).await.expect("status").spouse_person_id, Some(d_wife));
}
on_both!(
    divorce_windows_days_30_31_60_61,
    withdrawal_on_day_30_certificate_on_days_31_and_60_deemed_withdrawn_on_day_61
);

async fn windows_ending_on_a_day_off_move_to_the_next_working_day(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    // 2021: the 2003 条例 (v1), both parties' 户籍 at 通川区.
    t.clock.set(morning(2021, 8, 20)).expect("forward");
    let o = office(&t, "511702").await;
    let (e_man, e_wife) = couple(&t, &o.clerk, "511702", 5, true).await;
    let (f_man, f_wife) = couple(&t, &o.clerk, "511702", 6, true).await;

    // Received 2021-09-01: day 30 is 10-01 (国庆节) → the cooling-off period ends Friday 10-08,
    // the first working day after the holiday; the certificate window's day 30 is Sunday 11-07
    // → Monday 11-08; deemed withdrawn on 11-09.
    t.clock.set(morning(2021, 9, 1)).expect("forward: receipt");
    let e = receive(app, &o.clerk, e_man, e_wife, "511702", true).await;
    let f = receive(app, &o.clerk, f_man, f_wife, "511702", true).await;
    let view = app.case(&o.clerk, f).await.expect("case");
    assert_eq!(view.step_deadline.due.map(|d| d.to_string()).as_deref(), Some("2021-10-08"));
    assert!(view.step_deadline.explanation.contains("顺延"), "{}", view.step_deadline.explanation);

    // 10-08, the moved last day: the applicant still withdraws; the sweep leaves F running.
    t.clock.set(morning(2021, 10, 8)).expect("forward: the moved last day");
    let view = app.act_on_case(&o.clerk, e, None, &withdraw(Some(e_man))).await.expect("in time");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Withdrawn));
    assert_eq!(payload_of(app, &o.clerk, e, "case.withdraw").await["party_role"], "applicant");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0);

    // 10-09 (a 调休 working Saturday): the certificate window is open; withdrawing is not.
    t.clock.set(morning(2021, 10, 9)).expect("forward");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    let view = app.case(&o.clerk, f).await.expect("case");
    assert_eq!(view.case.step.as_deref(), Some("issuance_window"));
    assert_eq!(view.step_deadline.due.map(|d| d.to_string()).as_deref(), Some("2021-11-08"));
    let refused = app.act_on_case(&o.clerk, f, None, &withdraw(Some(f_wife))).await.expect_err("too late");
    assert_eq!(refused.code, "withdrawal_period_over");

    // Sunday 11-07 (the plain day 30) and Monday 11-08 (the moved last day) still run.
    for day in [7, 8] {
        t.clock.set(morning(2021, 11, day)).expect("forward");
        assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 0, "2021-11-{day:02}");
    }
    t.clock.set(morning(2021, 11, 9)).expect("forward");
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    assert_eq!(app.case(&o.clerk, f).await.expect("case").case.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
}
on_both!(divorce_windows_on_a_holiday, windows_ending_on_a_day_off_move_to_the_next_working_day);

/// `h:mi:s` Asia/Shanghai on `y-m-d`.
fn shanghai(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(y, m, d, h, mi, s).single())
        .map(|t| t.with_timezone(&chrono::Utc))
        .expect("instant")
}

/// A time limit takes effect by law at its end (民法典第一千零七十七条; 第二百零三条: 24:00 of the
/// last day), not when the sweep next runs: no sweep runs in this test. At 23:59:59 of day 30
/// the cooling-off period still runs (a withdrawal is lawful, the certificate request is not);
/// at 00:00:00 of day 31 the request is lawful; at 00:00:00 of day 61 the application has lapsed
/// and no certificate can be asked for or registered. Also across a holiday that moves the end.
async fn the_divorce_periods_take_effect_at_their_end_without_the_sweep(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 2)).expect("forward");
    let o = office(&t, "511702").await;
    let (a_man, a_wife) = couple(&t, &o.clerk, "511702", 11, false).await;
    let (b_man, b_wife) = couple(&t, &o.clerk, "511702", 12, false).await;
    let (c_man, c_wife) = couple(&t, &o.clerk, "511702", 13, false).await;
    let ask = Action::Review { verdict: Verdict::Approve, opinion: "双方到场申请发给离婚证".into() };

    // Received Monday 2025-06-09: day 30 = 07-09, day 60 = 08-08.
    t.clock.set(morning(2025, 6, 9)).expect("forward: receipt");
    let a = receive(app, &o.clerk, a_man, a_wife, "511702", false).await;
    let b = receive(app, &o.clerk, b_man, b_wife, "511702", false).await;
    let c = receive(app, &o.clerk, c_man, c_wife, "511702", false).await;

    t.clock.set(shanghai(2025, 7, 9, 23, 59, 59)).expect("forward: the last second of day 30");
    let refused = app.act_on_case(&o.clerk, a, None, &ask).await.expect_err("still cooling off");
    assert_eq!(refused.code, "wrong_step");
    let view = app.act_on_case(&o.clerk, c, None, &withdraw(Some(c_wife))).await.expect("withdrawn in time");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Withdrawn));

    // 00:00:00 of day 31: the certificate window is open by law; the sweep has not run.
    t.clock.set(shanghai(2025, 7, 10, 0, 0, 0)).expect("forward: day 31");
    let view = app.case(&o.clerk, a).await.expect("case");
    assert_eq!(view.case.step.as_deref(), Some("issuance_window"), "the case as the law has it");
    assert!(view.allowed.contains(&domain::engine::action::ActionKind::Review));
    let view = app.act_on_case(&o.clerk, a, None, &ask).await.expect("a lawful request on day 31");
    assert_eq!(view.case.step.as_deref(), Some("review"));
    let events = app.case_events(&o.clerk, a).await.expect("events");
    let lapse = events.iter().find(|e| e.act == "case.timer_expired").expect("the end of the cooling-off on record");
    assert_eq!(lapse.actor, "system");

    // The last second of day 60: couple B may still ask. 00:00:00 of day 61: A's request was
    // made in time and goes on; B's application lapsed — nothing can be registered.
    t.clock.set(shanghai(2025, 8, 8, 23, 59, 59)).expect("forward: the last second of day 60");
    assert!(app.case(&o.clerk, b).await.expect("case").allowed.contains(&domain::engine::action::ActionKind::Review));
    t.clock.set(shanghai(2025, 8, 9, 0, 0, 0)).expect("forward: day 61");
    let refused = app.act_on_case(&o.clerk, b, None, &ask).await.expect_err("lapsed at the end of day 60");
    assert_eq!(refused.code, "case_closed");
    let view = app.case(&o.clerk, b).await.expect("case");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
    assert!(view.allowed.is_empty(), "{:?}", view.allowed);
    assert_eq!(app.marital_status(&o.clerk, b_man).await.expect("status").spouse_person_id, Some(b_wife));
    // The sweep then records what the law did, dated at the period's end.
    assert_eq!(app.sweep_once(app.now()).await.expect("sweep"), 1);
    let view = app.case(&o.clerk, b).await.expect("case");
    assert_eq!(view.case.closed_at, Some(shanghai(2025, 8, 9, 0, 0, 0)));
    certificate_after_window(app, &o, a).await;
}
on_both!(divorce_periods_take_effect_at_their_end, the_divorce_periods_take_effect_at_their_end_without_the_sweep);

/// The review, registration and issue of a case whose certificate was asked for.
async fn certificate_after_window(app: &App, o: &Office, id: i64) {
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "确属自愿".into() };
    app.act_on_case(&o.reviewer, id, None, &approve).await.expect("review");
    let grant = Action::Decide {
        grant: true, reasons: "准予离婚登记".into(), basis: "民法典第一千零七十八条".into()
    };
    app.act_on_case(&o.decider, id, None, &grant).await.expect("registered");
}

/// The cooling-off period whose day 30 is 2021-10-01 (国庆节) ends Friday 10-08 (民法典第二百零三条):
/// the certificate cannot be asked for at its last second, and can at 00:00:00 of 10-09.
async fn a_period_moved_past_a_holiday_ends_at_the_moved_day(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2021, 8, 20)).expect("forward");
    let o = office(&t, "511702").await;
    let (man, wife) = couple(&t, &o.clerk, "511702", 14, true).await;
    t.clock.set(morning(2021, 9, 1)).expect("forward: receipt");
    let id = receive(app, &o.clerk, man, wife, "511702", true).await;
    let ask = Action::Review { verdict: Verdict::Approve, opinion: "双方到场申请发给离婚证".into() };
    t.clock.set(shanghai(2021, 10, 8, 23, 59, 59)).expect("forward");
    assert_eq!(app.act_on_case(&o.clerk, id, None, &ask).await.expect_err("still cooling off").code, "wrong_step");
    t.clock.set(shanghai(2021, 10, 9, 0, 0, 0)).expect("forward");
    let view = app.act_on_case(&o.clerk, id, None, &ask).await.expect("the window is open");
    assert_eq!(view.case.step.as_deref(), Some("review"));
}
on_both!(divorce_period_moved_past_a_holiday, a_period_moved_past_a_holiday_ends_at_the_moved_day);

/// The two divorce periods are the parties' time (民法典第一千零七十七条), not the office's: no
/// divorce shows as overdue through its lawful 60 days, and neither the deadline shown nor
/// 按时办结率 / 平均办理用时 / 超期未办结 count them. The office's "当场" (0 working days) runs
/// from the day both parties ask for the certificate.
async fn the_parties_periods_are_not_the_offices_time(db: Db) {
    use service::stats::StatsQuery;
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 2)).expect("forward");
    let o = office(&t, "511702").await;
    let (a_man, a_wife) = couple(&t, &o.clerk, "511702", 21, false).await;
    let (b_man, b_wife) = couple(&t, &o.clerk, "511702", 22, false).await;
    t.clock.set(morning(2025, 6, 9)).expect("forward: receipt");
    let a = receive(app, &o.clerk, a_man, a_wife, "511702", false).await;
    let b = receive(app, &o.clerk, b_man, b_wife, "511702", false).await;
    let figure = |stats: &service::stats::ServiceStats, key: &str| {
        let m = stats.metrics.iter().find(|m| m.key == key).expect("metric");
        (m.numerator, m.denominator)
    };
    let june = StatsQuery {
        from: Some(chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date")),
        to: None,
        division: Some("511702".into()),
    };

    // Day 20 of the cooling-off period: not overdue, no office deadline running.
    t.clock.set(morning(2025, 6, 29)).expect("forward: day 20");
    let view = app.case(&o.clerk, a).await.expect("case");
    assert_eq!(view.deadline.due, None, "{}", view.deadline.explanation);
    assert_eq!(view.deadline.warning, domain::engine::deadline::Warning::Green);
    assert!(view.deadline.explanation.contains("当事人"), "{}", view.deadline.explanation);
    let stats = app.service_stats(None, &june).await.expect("stats");
    assert_eq!(figure(&stats, "overdue_open").0, 0, "no divorce is overdue in its cooling-off period");

    // Day 31: both parties of A ask; the office registers and issues the same day: on time, 0 days.
    t.clock.set(morning(2025, 7, 10)).expect("forward: day 31");
    let ask = Action::Review { verdict: Verdict::Approve, opinion: "双方到场申请发给离婚证".into() };
    let view = app.act_on_case(&o.clerk, a, None, &ask).await.expect("asked");
    assert_eq!(
        view.deadline.due.map(|d| d.to_string()).as_deref(),
        Some("2025-07-10"),
        "{}",
        view.deadline.explanation
    );
    certificate_after_window(app, &o, a).await;
    app.act_on_case(&o.clerk, a, None, &Action::Produce).await.expect("printed");
    let view = app.act_on_case(&o.clerk, a, None, &Action::Issue).await.expect("issued");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Granted));
    assert_eq!(view.deadline.warning, domain::engine::deadline::Warning::Green, "{}", view.deadline.explanation);

    // Day 61: B lapsed in the parties' time: no office deadline to keep.
    t.clock.set(morning(2025, 8, 9)).expect("forward: day 61");
    app.sweep_once(app.now()).await.expect("sweep");
    let view = app.case(&o.clerk, b).await.expect("case");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
    assert_eq!(view.deadline.due, None);
    let summer = StatsQuery {
        from: Some(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date")),
        to: Some(chrono::NaiveDate::from_ymd_opt(2025, 8, 31).expect("date")),
        division: Some("511702".into()),
    };
    let stats = app.service_stats(None, &summer).await.expect("stats");
    assert_eq!(figure(&stats, "on_time_rate"), (1, 1), "A on time; B had no office deadline");
    assert_eq!(figure(&stats, "average_workdays").0, 0, "the 60 days are not the office's working days");
    let by_rows = app.service_stats_by_rows(None, &summer).await.expect("stats by rows");
    assert_eq!(stats, by_rows);
}
on_both!(divorce_parties_time_is_not_the_offices, the_parties_periods_are_not_the_offices_time);

/// A marriage that fails a condition at the window (under age: 民法典第一千零四十七条) does not
/// stay open at 待受理: the registrar ends it with a written 不予登记 decision with reasons and
/// basis (婚姻登记条例（2003年）第六条、第七条), and the decision is on record.
async fn a_refused_marriage_ends_with_a_written_refusal(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 2)).expect("forward");
    let o = office(&t, "511702").await;
    let young = person(&t, &o.clerk, "男方少年", "511702", "20050101", 31).await;
    let bride = person(&t, &o.clerk, "女方", "511702", "20000202", 32).await;
    let input = marriage(young, json!({ "other_party": bride, "declaration_signed": true }), "511702");
    let id = app.submit_case(&o.clerk, &input).await.expect("submit").view.case.id;
    let refused = app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect_err("under age");
    assert_eq!(refused.code, "under_marriage_age");
    let view = app.case(&o.clerk, id).await.expect("case");
    assert!(view.allowed.contains(&domain::engine::action::ActionKind::Decide), "{:?}", view.allowed);
    let deny = Action::Decide {
        grant: false,
        reasons: "男方未到法定结婚年龄（二十二周岁）".into(),
        basis: "《中华人民共和国民法典》第一千零四十七条；《婚姻登记条例》第六条第（一）项".into(),
    };
    let view = app.act_on_case(&o.clerk, id, None, &deny).await.expect("不予登记");
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Denied));
    let decision = view.case.decision.as_ref().expect("decision");
    assert!(!decision.granted && decision.reasons.contains("法定结婚年龄"));
    let recorded = payload_of(app, &o.clerk, id, "case.decide").await;
    assert_eq!(recorded["notices"], json!(["denial_decision"]));
    assert_eq!(recorded["granted"], false);
    // Nothing was registered.
    assert_eq!(app.marital_status(&o.clerk, young).await.expect("status").spouse_person_id, None);
}
on_both!(a_refused_marriage_ends_with_a_decision, a_refused_marriage_ends_with_a_written_refusal);
