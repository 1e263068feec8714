//! The service metrics from the counts kept in the act's transaction (migration 0020's
//! triggers) and from the period's rows grouped in SQL, against the same metrics from every row
//! read out and counted one by one, over a generated set of cases: the same figures on both
//! backends, for the whole jurisdiction, a county and a month, after inserts, after every kind
//! of change to a case row and after real acts (refusals, deliveries, overdue cases, a holiday);
//! and a count that misses one write is caught.

use chrono::NaiveDate;
use domain::audit::EventDraft;
use domain::catalog::CaseType;
use serde_json::json;
use service::stats::{day_start_ms, StatsQuery};
use store::cases::{CaseColumns, NewCase};
use test_support::{on_both, Db};

use crate::test_app;

/// A small deterministic generator (the set is the same on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn sql_and_rows_agree(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let instant = app
        .catalog
        .items_on(date(2021, 6, 1))
        .into_iter()
        .find(|i| i.case_type == CaseType::Instant && i.version.number == 1)
        .map(|i| i.slug.clone())
        .expect("an instant item");
    let slugs = [instant.as_str(), "minimum-living-allowance", "no-such-item"];
    let divisions = ["511702001", "511702", "511703001", "511722", "510104"];
    let mut rng = Lcg(7);
    let day_ms = 86_400_000;
    let (mut paused, mut closed) = (0, 0);
    for k in 0..1200 {
        // Instants over 2021 at any minute (some just before or after Shanghai midnight).
        let submitted = day_start_ms(date(2021, 1, 1)) + rng.next(360) as i64 * day_ms + rng.next(1440) as i64 * 60_000;
        let accepted =
            (rng.next(6) > 0).then(|| submitted + rng.next(3) as i64 * day_ms + rng.next(600) as i64 * 60_000);
        let closes = rng.next(10) < 6;
        let closed_at = closes.then(|| accepted.unwrap_or(submitted) + rng.next(25) as i64 * day_ms + 3_600_000);
        let due = accepted.map(|a| {
            let d = service::stats::day_start_ms(date(2021, 1, 1));
            let days = (a - d) / day_ms + 5 + rng.next(20) as i64;
            (date(2021, 1, 1) + chrono::Duration::days(days)).to_string()
        });
        // The pause ledger: none (an old state), empty, or one or two pauses.
        let pauses = match rng.next(5) {
            0 => None,
            1 | 2 => Some(vec![]),
            n => Some(
                (0..n - 2)
                    .map(|i| {
                        let start = accepted.unwrap_or(submitted) + (2 + 3 * i as i64) * day_ms;
                        json!({"kind": "special", "start": start, "end": start + 2 * day_ms})
                    })
                    .collect::<Vec<_>>(),
            ),
        };
        let state = match &pauses {
            None => "{}".to_string(),
            Some(p) => json!({ "pauses": p }).to_string(),
        };
        paused += i32::from(closes && pauses.as_ref().is_some_and(|p| !p.is_empty()));
        closed += i32::from(closes);
        let status = match (closes, rng.next(12)) {
            (true, _) => "closed",
            (false, 0) => "draft",
            _ => "in_progress",
        };
        let accepting = divisions[rng.next(divisions.len() as u64) as usize];
        let competent = if rng.next(4) == 0 { divisions[rng.next(divisions.len() as u64) as usize] } else { accepting };
        let columns = CaseColumns {
            item_slug: slugs[rng.next(slugs.len() as u64) as usize].into(),
            item_version: 1,
            status: status.into(),
            step: None,
            accepting_division: accepting.into(),
            competent_division: competent.into(),
            cross_region: ["none", "county", "prefecture", "province"][rng.next(4) as usize].into(),
            channel: ["window", "online"][rng.next(2) as usize].into(),
            applicant_person_id: None,
            submitted_at_ms: submitted,
            accepted_at_ms: accepted,
            closed_at_ms: closed_at,
            due_date: if rng.next(8) == 0 { None } else { due },
            timer_due_ms: None,
            pause_count: pauses.as_ref().map(|p| p.len() as i64),
        };
        let new = NewCase {
            columns,
            number_division: accepting,
            number_year: 2021,
            idempotency_key: None,
            idempotency_binding: None,
        };
        app.store
            .create_case(
                &new,
                app.now(),
                move |_, _| state,
                move |id, _| vec![EventDraft::new(format!("case:{id}"), "system", "case.test", json!({"k": k}))],
            )
            .await
            .expect("create case");
    }
    assert!(paused > 50 && closed > 500, "the set has paused and closed cases: {paused}, {closed}");
    assert_eq!(app.store.case_aggregate_drift().await.expect("drift"), Vec::<String>::new(), "after the inserts");
    // Every kind of change a case row sees, on a tenth of them each (the counts move with it).
    let changes = [
        "UPDATE cases SET status = 'in_progress' WHERE status = 'draft' AND id % 3 = 0",
        "UPDATE cases SET status = 'closed', closed_at_ms = submitted_at_ms + 9 * 86400000 \
         WHERE closed_at_ms IS NULL AND status <> 'draft' AND id % 5 = 1",
        "UPDATE cases SET due_date = '2021-12-31' WHERE id % 10 = 2",
        "UPDATE cases SET due_date = NULL WHERE id % 10 = 3",
        "UPDATE cases SET competent_division = '511722' WHERE id % 10 = 4",
        "UPDATE cases SET pause_count = 0, state = '{\"pauses\":[]}' WHERE pause_count IS NULL AND id % 10 = 5",
        "UPDATE cases SET accepted_at_ms = submitted_at_ms + 86400000 WHERE accepted_at_ms IS NULL AND id % 10 = 6",
        "UPDATE cases SET submitted_at_ms = submitted_at_ms + 86400000, channel = 'online' WHERE id % 10 = 7",
        "UPDATE cases SET step = 'review', revision = revision + 1 WHERE id % 10 = 8",
        "DELETE FROM cases WHERE id % 97 = 0 AND id NOT IN (SELECT case_id FROM case_ratings)",
    ];
    let pool = t.db.raw().await;
    for change in changes {
        sqlx::query(change).execute(&pool).await.unwrap_or_else(|e| panic!("{change}: {e}"));
    }
    assert_eq!(app.store.case_aggregate_drift().await.expect("drift"), Vec::<String>::new(), "after the changes");

    let queries = [
        StatsQuery { from: Some(date(2021, 1, 1)), to: Some(date(2021, 12, 31)), division: None },
        StatsQuery { from: Some(date(2021, 6, 1)), to: Some(date(2021, 6, 30)), division: None },
        StatsQuery { from: Some(date(2021, 1, 1)), to: Some(date(2021, 12, 31)), division: Some("511702".into()) },
        StatsQuery { from: Some(date(2021, 3, 1)), to: Some(date(2021, 9, 30)), division: Some("511700".into()) },
    ];
    for query in &queries {
        let by_sql = app.service_stats(None, query).await.expect("stats");
        let by_rows = app.service_stats_by_rows(None, query).await.expect("stats by rows");
        assert_eq!(by_sql, by_rows, "{query:?}");
        assert_eq!(app.service_stats_grouped(None, query).await.expect("grouped"), by_rows, "{query:?}");
        let figure = |key: &str| {
            let m = by_sql.metrics.iter().find(|m| m.key == key).expect("metric");
            (m.numerator, m.denominator)
        };
        assert!(figure("online_application_rate").1 > 0, "{query:?}: submissions counted");
        assert!(figure("average_workdays").1 > 0, "{query:?}: closings counted");
        assert!(figure("overdue_open").1 > 0, "{query:?}: open cases counted");
    }
    // The annual report's time used by item (its chart): from the counts kept by item and the
    // cases with pauses, as from every closed row, for the city's organ and a county's.
    for organ in ["511700", "511702"] {
        let counted = app.report_item_times(organ, 2021, false).await.expect("from the counts");
        let by_rows = app.report_item_times(organ, 2021, true).await.expect("by rows");
        assert_eq!(counted, by_rows, "{organ}");
        assert!(by_rows.iter().map(|i| i.cases).sum::<i64>() > 20, "{organ}: closed cases counted: {by_rows:?}");
    }
    // The year over everything: the figures are the set's (not empty, not all equal).
    let year = app.service_stats(None, &queries[0]).await.expect("stats");
    let average = year.metrics.iter().find(|m| m.key == "average_workdays").expect("average");
    assert!(
        average.definition.contains("没有暂停记录"),
        "the cases without a ledger are noted: {}",
        average.definition
    );
    let on_time = year.metrics.iter().find(|m| m.key == "on_time_rate").expect("on time");
    assert!(on_time.numerator > 0 && on_time.numerator < on_time.denominator, "{on_time:?}");
}
on_both!(sql_and_rows_agree, sql_and_rows_agree);

/// Real submissions and acts through the engine (each in its own transaction with its counts):
/// refusals, deliveries, cases left open past their due date, acts across the National Day
/// holiday; the figures from the counts equal those from the rows for the city and for a
/// county reader (who sees its subtree only); then a count that missed one write is caught.
async fn counts_follow_real_acts_and_a_missed_count_is_caught(db: Db) {
    use domain::engine::action::{Action, Verdict};
    use service::cases::ApplicantRef;

    let t = test_app(db).await;
    let app = &t.app;
    let city = crate::cases::city_staff(&t).await;
    let county_clerk = t.staff("clerk703", "clerk", "511703").await;
    let mut ids = Vec::new();
    for k in 0..12u32 {
        let mut input = crate::cases::change_application(&crate::cases::CHANGE_MATERIALS, None);
        let region = if k % 3 == 0 { "511703" } else { "511702" };
        let id_number = crate::id_number(region, "19800101", 100 + k);
        input.applicant = ApplicantRef::New(crate::person_input("申请人", &id_number, None, region));
        if k % 3 == 0 {
            input.accepting_division = "511703".into();
            input.data = json!({"premises_division": "511703", "facts": crate::cases::change_facts()});
        }
        let clerk = if k % 3 == 0 { &county_clerk } else { &city.clerk };
        let id = app.submit_case(clerk, &input).await.expect("submit").view.case.id;
        ids.push((id, k));
    }
    // Acts spread over June … October 2021 (the National Day holiday and its 调休 Saturday inside).
    // Days after the one before: 06-01, 06-21, 07-11, 10-01 (国庆), 10-09 (调休 Saturday).
    for (step, days) in [(0, 0), (1, 20), (2, 20), (3, 82), (4, 8)] {
        if days > 0 {
            t.clock.advance(chrono::Duration::days(days)).expect("clock");
        }
        for (id, k) in &ids {
            let (id, k) = (*id, *k);
            let clerk = if k % 3 == 0 { &county_clerk } else { &city.clerk };
            let action = match (k % 4, step) {
                // Refused at acceptance.
                (0, 0) => Some((clerk, Action::RefuseAcceptance { reasons: "不属于本机关登记范围".into() })),
                (0, _) => None,
                // Accepted and left open (overdue by October).
                (1, 0) => Some((clerk, Action::Accept)),
                (1, _) => None,
                // Delivered over the months.
                (_, 0) => Some((clerk, Action::Accept)),
                (_, 1) if k % 3 != 0 => {
                    Some((&city.reviewer, Action::Review { verdict: Verdict::Approve, opinion: "材料齐全".into() }))
                }
                (_, 2) if k % 3 != 0 => Some((
                    &city.decider,
                    Action::Decide { grant: k % 2 == 0, reasons: "依法审查".into(), basis: String::new() },
                )),
                (_, 3) if k % 3 != 0 && k % 2 == 0 => Some((&city.clerk, Action::Produce)),
                (_, 4) if k % 3 != 0 && k % 2 == 0 => Some((&city.clerk, Action::Issue)),
                _ => None,
            };
            if let Some((actor, action)) = action {
                // An act the engine refuses (its step not reached) changes nothing; the counts neither.
                let _ = app.act_on_case(actor, id, None, &action).await;
            }
        }
        assert_eq!(app.store.case_aggregate_drift().await.expect("drift"), Vec::<String>::new(), "step {step}");
    }
    let year = StatsQuery { from: Some(date(2021, 1, 1)), to: Some(date(2021, 12, 31)), division: None };
    let city_figures = app.service_stats(Some(&city.clerk), &year).await.expect("stats");
    assert_eq!(city_figures, app.service_stats_by_rows(Some(&city.clerk), &year).await.expect("rows"));
    let county = app.service_stats(Some(&county_clerk), &year).await.expect("county stats");
    assert_eq!(county, app.service_stats_by_rows(Some(&county_clerk), &year).await.expect("county rows"));
    let submissions = |s: &service::stats::ServiceStats| {
        s.metrics.iter().find(|m| m.key == "online_application_rate").map(|m| m.denominator).expect("metric")
    };
    assert_eq!(submissions(&county), 4, "the county reader counts its own 4 cases, not the city's");
    assert!(submissions(&city_figures) >= 8, "{}", submissions(&city_figures));
    let overdue = city_figures.metrics.iter().find(|m| m.key == "overdue_open").expect("overdue");
    assert!(overdue.numerator > 0, "an accepted case left open is overdue by October: {overdue:?}");

    // A write whose count was missed (as if an act had bypassed the trigger): caught by both checks.
    let pool = t.db.raw().await;
    sqlx::query(
        "UPDATE case_agg_open SET n = n + 1 WHERE accepting_division = (SELECT MIN(accepting_division) FROM case_agg_open)",
    )
    .execute(&pool)
    .await
    .expect("corrupt a count");
    assert!(!app.store.case_aggregate_drift().await.expect("drift").is_empty(), "the drift check sees it");
    assert_ne!(
        app.service_stats(Some(&city.clerk), &year).await.expect("stats"),
        app.service_stats_by_rows(Some(&city.clerk), &year).await.expect("rows"),
        "the figures from the counts differ from the rows"
    );
}
on_both!(counts_follow_real_acts, counts_follow_real_acts_and_a_missed_count_is_caught);
