//! 12345 tickets from the platform to the call-back, and a 差评's rectification, through the
//! real database (`App::hotline_*`).

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use domain::engine::action::{Action, Verdict};
use domain::verticals::hotline::{ActInput, Escalation, RectInput, RectStage, Stage, TicketInput};
use service::stats::StatsQuery;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
use crate::{acts, count, test_app};

fn ticket(number: &str) -> TicketInput {
    TicketInput {
        platform_number: number.into(),
        kind: "complaint".into(),
        caller_name: "王先生".into(),
        caller_phone: "13812345678".into(),
        subject: "养老服务补贴发放".into(),
        content: "老人养老服务补贴三个月未到账".into(),
        division: "511700".into(),
        received_at: "2021-06-01 08:30".into(),
    }
}

fn act(kind: &str, text: &str) -> ActInput {
    ActInput { kind: kind.into(), text: text.into(), ..ActInput::default() }
}

async fn a_ticket_runs_from_the_platform_to_the_callback(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let platform = t.staff("platform", "clerk", "511700").await;
    let bureau = t.staff("bureau", "reviewer", "511700").await;
    let leader = t.staff("approver", "decider", "511700").await;
    let unit = t.staff("unit702", "clerk", "511702").await;
    let sibling = t.staff("unit703", "clerk", "511703").await;

    // Refused field by field, nothing written.
    let bad = TicketInput { caller_phone: "123".into(), kind: "praise".into(), ..ticket("SC-1") };
    let err = app.hotline_receive(&platform, &bad).await.expect_err("invalid");
    assert_eq!(err.kind, ErrorKind::Invalid);
    assert_eq!(count(&t.db.raw().await, "SELECT COUNT(*) FROM hotline_tickets").await, 0);

    // Received once, however often the platform sends it; a different ticket under the number is refused.
    let (id, created) = app.hotline_receive(&platform, &ticket("SC-1")).await.expect("receive");
    assert!(created);
    let (again, created) = app.hotline_receive(&platform, &ticket("SC-1")).await.expect("receive again");
    assert_eq!((again, created), (id, false));
    let other = TicketInput { content: "另一件事".into(), ..ticket("SC-1") };
    assert_eq!(app.hotline_receive(&platform, &other).await.expect_err("reused").code, "platform_number_reused");
    // A sibling county cannot receive for the city.
    assert_eq!(app.hotline_receive(&sibling, &ticket("SC-2")).await.expect_err("outside").kind, ErrorKind::Forbidden);

    let view = app.hotline_view(&bureau, id).await.expect("view");
    assert_eq!(view.full.ticket.phone_masked, "138****5678");
    assert_eq!(view.status.state.due.to_string(), "2021-06-23", "15 working days, 端午 06-12..14 off");

    // Dispatch within the city only.
    let outside = ActInput { unit: "500101".into(), ..act("dispatch", "") };
    assert_eq!(app.hotline_act(&bureau, id, None, &outside).await.expect_err("outside").code, "unit_outside_division");
    let dispatch = ActInput { unit: "511702".into(), ..act("dispatch", "") };
    app.hotline_act(&bureau, id, Some(0), &dispatch).await.expect("dispatch");
    // A stale history is refused.
    assert_eq!(app.hotline_act(&bureau, id, Some(0), &dispatch).await.expect_err("stale").code, "hotline_conflict");

    // Left unsigned, it escalates on its own: sign due 06-02, 催办 on 06-03, 督办 on 06-07.
    t.clock.set(Utc.with_ymd_and_hms(2021, 6, 3, 1, 0, 0).unwrap()).expect("clock");
    assert_eq!(app.hotline_view(&bureau, id).await.expect("view").status.escalation, Escalation::Urge);
    t.clock.set(Utc.with_ymd_and_hms(2021, 6, 7, 1, 0, 0).unwrap()).expect("clock");
    let list = app.hotline_list(&bureau, 2021).await.expect("list");
    assert_eq!((list.len(), list[0].status.escalation), (1, Escalation::Supervise));

    // Only the unit signs; another county's clerk may not.
    assert_eq!(
        app.hotline_act(&sibling, id, None, &act("sign", "")).await.expect_err("sibling").kind,
        ErrorKind::Forbidden
    );
    app.hotline_act(&unit, id, None, &act("sign", "")).await.expect("sign");
    let extension = ActInput { workdays: "5".into(), ..act("extension_request", "需调取发放记录") };
    app.hotline_act(&unit, id, None, &extension).await.expect("ask");
    let approve = ActInput { yes: "yes".into(), ..act("extension_decision", "同意") };
    let view = app.hotline_act(&leader, id, None, &approve).await.expect("approve");
    assert_eq!(view.status.state.due.to_string(), "2021-06-30");
    app.hotline_act(&unit, id, None, &act("reply", "已核实并补发")).await.expect("reply");
    let unsatisfied = ActInput { yes: "no".into(), ..act("callback", "称尚未到账") };
    let view = app.hotline_act(&bureau, id, None, &unsatisfied).await.expect("callback");
    assert_eq!((view.status.state.stage, view.status.state.round), (Stage::Handling, 2));
    app.hotline_act(&unit, id, None, &act("reply", "已到账")).await.expect("reply again");
    let satisfied = ActInput { yes: "yes".into(), ..act("callback", "") };
    let view = app.hotline_act(&bureau, id, None, &satisfied).await.expect("callback");
    assert_eq!(view.status.state.stage, Stage::Closed);

    let stream = acts(app, &format!("hotline:{id}")).await;
    for name in [
        "hotline.receive",
        "hotline.read",
        "hotline.dispatch",
        "hotline.sign",
        "hotline.extension_decision",
        "hotline.callback",
    ] {
        assert!(stream.iter().any(|a| a == name), "{name} in {stream:?}");
    }
    let stats = app.hotline_stats(&bureau, 2021).await.expect("stats");
    assert_eq!(
        (stats.tickets.received, stats.tickets.completed, stats.tickets.called_back, stats.tickets.satisfied),
        (1, 1, 1, 1)
    );
    let export = app.hotline_export(&bureau, 2021).await.expect("export");
    assert_eq!((export.len(), export[0].reply.as_str(), export[0].satisfied), (1, "已到账", Some(true)));
    // The number is kept encrypted: not in clear anywhere in the table.
    let clear =
        count(&t.db.raw().await, "SELECT COUNT(*) FROM hotline_tickets WHERE phone_enc LIKE '%13812345678%'").await;
    assert_eq!(clear, 0);
}
on_both!(hotline_ticket_journey, a_ticket_runs_from_the_platform_to_the_callback);

async fn a_bad_rating_opens_a_rectification_nobody_closes_without_a_callback(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let other = t.staff("reviewer703", "reviewer", "511703").await;
    let view = app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await.expect("submit").view;
    let id = view.case.id;
    app.act_on_case(&city.clerk, id, None, &Action::Accept).await.expect("accept");
    let rejected = Action::Review { verdict: Verdict::Reject, opinion: "材料不符".into() };
    let view = app.act_on_case(&city.reviewer, id, None, &rejected).await.expect("reject");
    let number = view.case.number.clone();
    let check = app.case_check_code(&number);
    // A window case is rated on the 线下 indicators; the rater is satisfied overall but not with
    // the 服务态度: a 差评 on one indicator is a 差评 to rectify.
    let sheet = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let online_only = sheet(&[("overall", "satisfied"), ("usability", "satisfied")]);
    let refused = app.rate_case(&number, &check, "198.51.100.7", &online_only, "").await.expect_err("online keys");
    let fields: Vec<(&str, &str)> = refused.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert_eq!(
        fields,
        [
            ("usability", "unknown_rating_dimension"),
            ("efficiency", "unknown_grade"),
            ("service_level", "unknown_grade"),
            ("attitude", "unknown_grade")
        ]
    );
    assert!(app.rating_of(id).await.expect("rating").is_none(), "nothing written");
    let grades = sheet(&[
        ("overall", "satisfied"),
        ("efficiency", "satisfied"),
        ("service_level", "fairly_satisfied"),
        ("attitude", "very_dissatisfied"),
    ]);
    let rating = app.rate_case(&number, &check, "198.51.100.7", &grades, "态度差").await.expect("rate");
    assert_eq!((rating.channel.as_str(), rating.grade.as_str(), rating.is_bad()), ("offline", "satisfied", true));
    assert_eq!(
        app.rate_case(&number, &check, "198.51.100.7", &grades, "").await.expect_err("twice").code,
        "case_rated"
    );

    // The rating is the matter: there from the rating's own commit.
    let list = app.hotline_rectifications(&city.reviewer, 2021).await.expect("list");
    assert_eq!((list.len(), list[0].state.stage), (1, RectStage::AwaitingCallBack));
    assert!(app.hotline_rectifications(&other, 2021).await.expect("other county").is_empty());
    assert_eq!(
        app.hotline_rectify(
            &other,
            id,
            None,
            &RectInput { kind: "callback".into(), text: "x".into(), yes: String::new() }
        )
        .await
        .expect_err("outside")
        .kind,
        ErrorKind::Forbidden
    );
    let fix = RectInput { kind: "fix".into(), text: "已整改".into(), yes: String::new() };
    assert_eq!(
        app.hotline_rectify(&city.reviewer, id, None, &fix).await.expect_err("no callback").code,
        "callback_required"
    );
    // The rater may not rate the fix before there is one.
    assert_eq!(
        app.hotline_rate_fix(&number, &check, "198.51.100.7", "satisfied").await.expect_err("open").code,
        "rectification_open"
    );

    t.clock.advance(Duration::days(1)).expect("clock");
    let callback =
        RectInput {
            kind: "callback".into(), text: "电话回访，申请人反映窗口答复不清".into(), yes: String::new()
        };
    app.hotline_rectify(&city.reviewer, id, Some(0), &callback).await.expect("callback");
    let verify = RectInput { kind: "verify".into(), text: "属实".into(), yes: "yes".into() };
    app.hotline_rectify(&city.reviewer, id, Some(1), &verify).await.expect("verify");
    let view = app.hotline_rectify(&city.reviewer, id, Some(2), &fix).await.expect("fix");
    assert_eq!((view.state.stage, view.state.callback_overdue), (RectStage::Closed, false));
    app.hotline_rate_fix(&number, &check, "198.51.100.7", "satisfied").await.expect("rate the fix");
    let view = app.hotline_rectification(&city.reviewer, id).await.expect("view");
    assert_eq!(view.state.fix_grade.as_deref(), Some("satisfied"));
    // The rating itself is never altered.
    let stored = app.rating_of(id).await.expect("rating").expect("rated");
    let mut stored_grades = stored.grades.clone();
    stored_grades.sort();
    assert_eq!(stored_grades, grades.clone().into_iter().collect::<Vec<_>>());
    // The service statistics read each indicator: 服务态度 0 of 1 good, 整体满意度 1 of 1.
    let query = StatsQuery { from: None, to: None, division: None };
    let service = app.service_stats(None, &query).await.expect("service stats");
    let metric = |key: &str| {
        let m = service.metrics.iter().find(|m| m.key == key).unwrap_or_else(|| panic!("{key}"));
        (m.numerator, m.denominator)
    };
    assert_eq!(metric("rating_offline_attitude"), (0, 1));
    assert_eq!(metric("rating_offline_overall"), (1, 1));
    assert_eq!(metric("rating_online_overall"), (0, 0));
    let stats = app.hotline_stats(&city.reviewer, 2021).await.expect("stats");
    assert_eq!(stats.rectifications.rectification_rate(), Some(100.0));
    assert!(acts(app, &format!("hotline:rectification:{id}")).await.iter().any(|a| a == "hotline.fix_rated"));
    // The annual report reads it: one 实名差评 (the applicant is known by name), called back and closed.
    let leader = t.staff("leader700", "leader", "511700").await;
    let figures = app.report_figures(Some(&leader), "511700", 2021).await.expect("figures");
    let named = figures.get("hotline:named_bad_rectified").expect("the indicator");
    assert_eq!((named.numerator, named.denominator), (1, Some(1)));
    assert!(figures.get("hotline:on_time").is_some() && figures.get("hotline:received").is_some());
    let attitude = figures.get("service:rating_offline_attitude").expect("the indicator");
    assert_eq!((attitude.numerator, attitude.denominator), (0, Some(1)));
}
on_both!(hotline_rectification, a_bad_rating_opens_a_rectification_nobody_closes_without_a_callback);
