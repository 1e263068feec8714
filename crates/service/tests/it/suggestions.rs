//! 建议提案办理 through the service: every act is one event on the suggestion's stream, written
//! with its row; a write under a stale revision changes nothing; the figures follow the records.
//! On both backends.

use domain::verticals::suggestions::{ActInput, SuggestionInput};
use service::ErrorKind;
use test_support::on_both;

use crate::test_app;

fn input(proposers: &str, assigned_on: &str) -> SuggestionInput {
    SuggestionInput {
        kind: "deputy".into(),
        session: "达州市第四届人民代表大会第六次会议".into(),
        number: "第0001号".into(),
        proposers: proposers.into(),
        subject: "关于完善临时救助制度的建议".into(),
        lead_unit: "达州市民政局".into(),
        co_units: String::new(),
        difficult: String::new(),
        assigned_on: assigned_on.into(),
    }
}

fn act(kind: &str, on: &str, proposer: &str, result: &str, note: &str) -> ActInput {
    ActInput {
        kind: kind.into(),
        on: on.into(),
        proposer: proposer.into(),
        unit: String::new(),
        result: result.into(),
        note: note.into(),
    }
}

on_both!(acts_are_events_and_a_stale_write_changes_nothing, |db| async move {
    let t = test_app(db).await;
    let clerk = t.staff("clerk", "clerk", "511700").await;
    let leader = t.staff("leader", "leader", "511700").await;
    let app = &t.app;
    let id = app.suggestion_create(&clerk, "511700", &input("李四", "2021-05-10"), None).await.expect("registered");
    let v = app.suggestion_act(&clerk, id, 0, &act("draft", "2021-05-20", "", "", "答复正文")).await.expect("drafted");
    assert_eq!(v.full.row.revision, 1);
    // A second write read at revision 0: refused, nothing written.
    let stale = app.suggestion_act(&clerk, id, 0, &act("contact", "2021-05-21", "李四", "", "面商")).await.unwrap_err();
    assert_eq!((stale.kind, stale.code), (ErrorKind::Conflict, "suggestion_conflict"));
    app.suggestion_act(&leader, id, 1, &act("approve", "2021-05-21", "", "", "")).await.expect("approved");
    app.suggestion_act(&clerk, id, 2, &act("send", "2021-05-24", "李四", "", "")).await.expect("sent");
    let events = app.store.stream_events(&format!("suggestion:{id}")).await.expect("events");
    let names: Vec<&str> = events.iter().map(|e| e.act.as_str()).collect();
    assert_eq!(names, ["suggestion.assigned", "suggestion.draft", "suggestion.approve", "suggestion.send"]);
    let v = app.suggestion_view(&clerk, id).await.expect("view");
    assert_eq!(v.full.acts.len(), 3, "the stale contact left no row");
});

on_both!(the_figures_follow_the_records, |db| async move {
    let t = test_app(db).await;
    let clerk = t.staff("clerk", "clerk", "511700").await;
    let leader = t.staff("leader", "leader", "511700").await;
    let other = t.staff("other", "clerk", "511800").await;
    let app = &t.app;
    t.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2021, 6, 20, 1, 0, 0).single().expect("instant"))
        .expect("forward");
    // Three suggestions of 2021: answered on time and satisfied; answered late (15 March + 3
    // months = 15 June; sent 16 June is after) and basically satisfied; one sent back.
    for (assigned, sent, result) in [("2021-03-15", "2021-05-20", "satisfied"), ("2021-03-15", "2021-06-16", "basic")] {
        let id = app.suggestion_create(&clerk, "511700", &input("李四", assigned), None).await.expect("registered");
        app.suggestion_act(&clerk, id, 0, &act("draft", "2021-05-18", "", "", "答复正文")).await.expect("draft");
        app.suggestion_act(&leader, id, 1, &act("approve", "2021-05-19", "", "", "")).await.expect("approve");
        let sent_on = sent;
        app.suggestion_act(&clerk, id, 2, &act("send", sent_on, "李四", "", "")).await.expect("send");
        app.suggestion_act(&clerk, id, 3, &act("feedback", sent_on, "李四", result, "")).await.expect("form");
    }
    let back = app.suggestion_create(&clerk, "511700", &input("王五", "2021-03-15"), None).await.expect("registered");
    app.suggestion_act(&clerk, back, 0, &act("send_back", "2021-03-18", "", "", "不属于民政部门职责"))
        .await
        .expect("back");
    let stats = app.suggestion_stats(&leader, 2021).await.expect("stats");
    let s = stats.total;
    assert_eq!((s.assigned, s.sent_back, s.handled, s.on_time), (3, 1, 2, 1));
    assert_eq!((s.satisfied, s.basic, s.dissatisfied), (1, 1, 0));
    assert_eq!(s.satisfaction_percent(), Some(100));
    // Another city's bureau sees none of it.
    let theirs = app.suggestion_stats(&other, 2021).await.expect("stats");
    assert_eq!(theirs.total.assigned, 0);
    // The public results list the two answered and the one sent back.
    let (public, _) = app.suggestion_results(2021).await.expect("results");
    assert_eq!(public.len(), 3);
});
