//! The service metrics counted in SQL (grouped reads) against the same metrics from every row
//! read out and counted one by one, over a generated set of cases: the same figures on both
//! backends, for the whole jurisdiction, a county and a month.

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
    for k in 0..240 {
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
                |_, _| state.clone(),
                |id, _| vec![EventDraft::new(format!("case:{id}"), "system", "case.test", json!({"k": k}))],
            )
            .await
            .expect("create case");
    }
    assert!(paused > 10 && closed > 100, "the set has paused and closed cases: {paused}, {closed}");

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
        let figure = |key: &str| {
            let m = by_sql.metrics.iter().find(|m| m.key == key).expect("metric");
            (m.numerator, m.denominator)
        };
        assert!(figure("online_application_rate").1 > 0, "{query:?}: submissions counted");
        assert!(figure("average_workdays").1 > 0, "{query:?}: closings counted");
        assert!(figure("overdue_open").1 > 0, "{query:?}: open cases counted");
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
