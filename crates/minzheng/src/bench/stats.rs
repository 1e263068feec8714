//! `bench stats`: the service metrics and the marriage statistics over a generated database.
//! The cases are driven through the engine in memory (`App::generate_case`) and written by the
//! store's bulk path, one transaction per batch; the marriage registrations go through the
//! store's import path with a pool of persons on file.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::access::Actor;
use domain::calendar::shanghai_offset;
use domain::engine::action::{Action, DeliveryMethod, Verdict};
use domain::marriage::classify_registration;
use domain::person::PersonInput;
use serde_json::json;
use service::stats::StatsQuery;
use service::synthetic::Plan;
use store::marriage::ImportedRegistration;

use super::{bench_keys_hex, id_number, temp_dir, Fixture, LIFECYCLE_ITEM, LIFECYCLE_MATERIALS};

/// The year the generated work falls in (the calendar ships it).
pub(super) const YEAR: i32 = 2025;
/// Cases per bulk transaction.
const BATCH: usize = 2000;
/// Cases per marriage registration generated, and the most couples they are spread over (one
/// couple per 20 registrations, each registering and divorcing in turn through the year).
const CASES_PER_REGISTRATION: u64 = 5;
const MAX_COUPLES: usize = 500;
/// The offices the registrations are spread over (Dazhou's districts and counties).
const OFFICES: [&str; 7] = ["511702", "511703", "511722", "511723", "511724", "511725", "511781"];

fn at(day: u32, minute: u32) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(YEAR, 1, 2).unwrap_or_default() + Duration::days(i64::from(day));
    let local = date.and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::minutes(i64::from(minute));
    shanghai_offset().from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// The acts of case `k`: seven in ten go to delivery, the rest stop at accept, review or
/// decide; one in thirteen waits ten days between acts (late), the rest one or two.
/// Acts of a plan: by whom, what, when.
type Acts<'a> = Vec<(&'a Actor, Action, DateTime<Utc>)>;

fn acts(k: u64, total: u64, staff: &[Actor; 3]) -> (DateTime<Utc>, Acts<'_>) {
    let [clerk, reviewer, decider] = staff;
    let day = (k * 340 / total.max(1)) as u32;
    let submitted = at(day, (k % 420) as u32);
    let gap = if k.is_multiple_of(13) { 10 } else { 1 + (k % 2) as i64 };
    let all = [
        (clerk, Action::Accept),
        (reviewer, Action::Review { verdict: Verdict::Approve, opinion: String::new() }),
        (decider, Action::Decide { grant: true, reasons: String::new(), basis: String::new() }),
        (clerk, Action::Produce),
        (clerk, Action::Issue),
        (clerk, Action::Deliver { method: DeliveryMethod::OnSite, tracking: None }),
    ];
    let count = if k % 10 < 7 { all.len() } else { (k % 10 - 6) as usize };
    let acts = all
        .into_iter()
        .take(count)
        .enumerate()
        .map(|(i, (actor, action))| {
            (actor, action, submitted + Duration::days(gap * (i as i64 + 1)) - Duration::hours(1))
        })
        .collect();
    (submitted, acts)
}

fn progress(what: &str, done: u64, total: u64, started: Instant) {
    let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-9);
    eprint!("\r{what} {done}/{total} ({:.0}%, {rate:.0}/s)   ", done as f64 * 100.0 / total.max(1) as f64);
    let _ = std::io::stderr().flush();
}

/// Generates `total` cases in batches: the engine drives batch n + 1 in memory while the store
/// writes batch n on another worker thread (one batch in flight), so the two cores both work.
async fn generate_cases(fixture: &Fixture, total: u64) -> anyhow::Result<f64> {
    let started = Instant::now();
    let data = json!({"premises_division": "511700"});
    let (applicant, name, masked) = fixture.applicant_snapshot();
    let mut done = 0u64;
    let mut writing: Option<(u64, tokio::task::JoinHandle<store::StoreResult<Vec<i64>>>)> = None;
    while done < total {
        let n = (total - done).min(BATCH as u64);
        let mut batch = Vec::with_capacity(n as usize);
        for k in done..done + n {
            let (submitted, acts) = acts(k, total, &fixture.staff);
            let plan = Plan {
                item: LIFECYCLE_ITEM,
                accepting_division: "511700",
                situation: Some(super::LIFECYCLE_SITUATION),
                materials: &LIFECYCLE_MATERIALS,
                data: &data,
                applicant: (applicant, name, masked),
                submitted: (&fixture.staff[0], submitted),
                acts,
            };
            batch.push(fixture.app.generate_case(&plan).await?);
        }
        if let Some((written, task)) = writing.take() {
            task.await.context("the bulk writer")??;
            progress("生成办件", written, total, started);
        }
        let store = fixture.store.clone();
        writing = Some((done + n, tokio::spawn(async move { store.insert_generated_cases(&batch).await })));
        done += n;
    }
    if let Some((written, task)) = writing.take() {
        task.await.context("the bulk writer")??;
        progress("生成办件", written, total, started);
    }
    eprintln!();
    Ok(started.elapsed().as_secs_f64())
}

async fn generate_registrations(fixture: &Fixture, total: u64) -> anyhow::Result<f64> {
    let started = Instant::now();
    let app = &fixture.app;
    let couples = (total as usize / 20).clamp(1, MAX_COUPLES);
    // The couples: persons on file, in the districts and counties.
    let mut persons: Vec<(i64, String)> = Vec::with_capacity(2 * couples);
    for i in 0..2 * couples {
        let division = OFFICES[i % OFFICES.len()];
        let birth = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + Duration::days((i / 900) as i64);
        let body = format!("{division}{}{:03}", birth.format("%Y%m%d"), i % 900 + 100);
        let input = PersonInput {
            name: format!("测试{i}"),
            id_number: id_number(&body),
            phone: None,
            address: None,
            division: division.into(),
        };
        let id = match fixture.store.person_id_by_id_number(&fixture.keys, &input.id_number).await? {
            Some(id) => id,
            None => app.create_person(&fixture.staff[0], &input).await?.id,
        };
        persons.push((id, division.to_string()));
    }
    let divisions = app.divisions();
    let per_couple = total.div_ceil(couples as u64).max(1);
    let mut done = 0u64;
    while done < total {
        let n = (total - done).min(BATCH as u64);
        let mut rows = Vec::with_capacity(n as usize);
        let mut events = Vec::new();
        for r in done..done + n {
            let couple = (r % couples as u64) as usize;
            let j = r / couples as u64;
            let ((a, hukou_a), (b, hukou_b)) = (&persons[2 * couple], &persons[2 * couple + 1]);
            let office = OFFICES[(r % OFFICES.len() as u64) as usize];
            let day = (j * 340 / per_couple) as i64;
            let on = NaiveDate::from_ymd_opt(YEAR, 1, 2).unwrap_or_default() + Duration::days(day);
            let parse = |c: &str| domain::division::DivisionCode::parse(c).context("division");
            let cross = classify_registration(&parse(office)?, [&parse(hukou_a)?, &parse(hukou_b)?], divisions);
            let kind = if j.is_multiple_of(2) { "marriage" } else { "divorce" };
            let row = ImportedRegistration {
                kind: kind.into(),
                office: office.into(),
                on_date: on.to_string(),
                person_a: *a,
                person_b: *b,
                certificate_number: None,
                cross_region: cross.as_str().into(),
            };
            for person in [*a, *b] {
                events.push(
                    domain::audit::EventDraft::new(
                        format!("person:{person}"),
                        "system",
                        "person.marital_registration",
                        json!({"imported": true, "kind": row.kind, "office": row.office, "date": row.on_date,
                               "certificate_number": null, "cross_region": row.cross_region}),
                    )
                    .in_division(office),
                );
            }
            rows.push(row);
        }
        // Married now: the couples whose last registration so far is a marriage.
        let last = done + n;
        let married: Vec<(i64, i64)> = (0..couples as u64)
            .filter(|c| *c < last && ((last - 1 - c) / couples as u64).is_multiple_of(2))
            .flat_map(|c| {
                let (a, b) = (persons[2 * c as usize].0, persons[2 * c as usize + 1].0);
                [(a, b), (b, a)]
            })
            .collect();
        events.insert(
            0,
            domain::audit::EventDraft::new(
                "marriage:import",
                "system",
                "marriage.import",
                json!({"count": n, "source": "bench stats"}),
            ),
        );
        fixture.store.import_registrations(&rows, &married, &events, Utc::now()).await?;
        done += n;
        progress("生成婚姻登记", done, total, started);
    }
    eprintln!();
    Ok(started.elapsed().as_secs_f64())
}

/// Runs `query` `runs` times; the best and the mean in milliseconds.
async fn time<F, Fut, T>(runs: u32, mut query: F) -> anyhow::Result<(f64, f64)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        std::hint::black_box(query().await?);
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    Ok((best, times.iter().sum::<f64>() / times.len() as f64))
}

/// The limit the year's figures are printed beside: a year of a million cases in < 1 s.
const LIMIT_MS: f64 = 1000.0;
/// Above this many cases the row-by-row check is skipped (it reads every row: minutes).
const ROWS_CHECK_UP_TO: i64 = 200_000;
/// The most marriage registrations generated with `--copies-of` (keeps the run short).
const MAX_REGISTRATIONS_COPYING: u64 = 20_000;
/// Copies made per statement (and transaction) when cases are copied.
const COPY_CHUNK: u64 = 10;
/// The divisions the copies are spread over (the city and its districts and counties).
const COPY_DIVISIONS: [&str; 8] = ["511700", "511702", "511703", "511722", "511723", "511724", "511725", "511781"];

pub async fn run(
    db: Option<String>,
    cases: u64,
    runs: u32,
    generate: bool,
    copies_of: u64,
) -> anyhow::Result<ExitCode> {
    let dir = temp_dir("stats");
    let url = db.clone().unwrap_or_else(|| super::sqlite_in(&dir));
    let fixture = Fixture::prepare(&url, &bench_keys_hex()).await?;
    let store = &fixture.store;
    println!("backend={} {}", store.backend().as_str(), store.durability().await?);
    if generate {
        // With copies: at most MAX_REGISTRATIONS_COPYING registrations (their import is not what is timed).
        let registrations = match copies_of {
            0 => cases / CASES_PER_REGISTRATION,
            _ => (cases / CASES_PER_REGISTRATION).min(MAX_REGISTRATIONS_COPYING),
        };
        let engine = if copies_of > 0 { copies_of.min(cases) } else { cases };
        let seconds = generate_cases(&fixture, engine).await?;
        println!("generated cases={engine} seconds={seconds:.1} cases_per_s={:.0}", engine as f64 / seconds.max(1e-9));
        let copies = cases / engine - 1;
        if copies > 0 {
            // The rest as copies of those in SQL (bulk: the counts kept by the triggers as for any insert).
            let started = Instant::now();
            let total = copies * engine;
            let written = store
                .copy_cases_for_bench(copies, COPY_CHUNK, &COPY_DIVISIONS, |done| {
                    progress("复制办件", done, total, started)
                })
                .await?;
            eprintln!();
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "copied cases={written} ({copies} copies of each, spread over {} divisions) seconds={seconds:.1} \
                 cases_per_s={:.0}",
                COPY_DIVISIONS.len(),
                written as f64 / seconds.max(1e-9)
            );
        }
        let seconds = generate_registrations(&fixture, registrations).await?;
        println!("generated marital_registrations={registrations} seconds={seconds:.1}");
    }
    let (in_db, registrations_in_db) = (store.case_count().await?, store.registration_count().await?);
    let from = NaiveDate::from_ymd_opt(YEAR, 1, 1).context("date")?;
    let to = NaiveDate::from_ymd_opt(YEAR, 12, 31).context("date")?;
    let clerk = &fixture.staff[0];
    println!("cases_in_db={in_db} marital_registrations_in_db={registrations_in_db} runs={runs}");
    // The whole year (every generated case), and one month of it.
    let june =
        (NaiveDate::from_ymd_opt(YEAR, 6, 1).context("date")?, NaiveDate::from_ymd_opt(YEAR, 6, 30).context("date")?);
    for (label, (from, to)) in [("year", (from, to)), ("month", june)] {
        let query = StatsQuery { from: Some(from), to: Some(to), division: None };
        let (from_ms, to_ms) = (service::stats::day_start_ms(from), service::stats::day_start_ms(to) + 86_400_000);
        let (raw_best, _) = time(runs, || async { Ok(store.raw_case_scan(from_ms, to_ms).await?) }).await?;
        let (best, mean) = time(runs, || async { Ok(fixture.app.service_stats(Some(clerk), &query).await?) }).await?;
        println!(
            "period={label} {from}..{to} raw_scan_ms={raw_best:.1} (the database counting the period's submitted, \
             closed and open cases: what any read of the rows costs at least)"
        );
        println!(
            "period={label} service_stats_ms={best:.1} mean_ms={mean:.1} limit_ms={LIMIT_MS:.0} within_limit={} \
             (from the counts kept in the act's transaction)",
            best < LIMIT_MS
        );
        // The same figures from the period's rows grouped in SQL at the time of asking (before the counts).
        let (grouped_best, _) =
            time(1, || async { Ok(fixture.app.service_stats_grouped(Some(clerk), &query).await?) }).await?;
        let counts = fixture.app.service_stats(Some(clerk), &query).await?;
        let same = counts == fixture.app.service_stats_grouped(Some(clerk), &query).await?;
        println!("period={label} grouped_rows_ms={grouped_best:.1} (one run) same_figures={same}");
        if !same {
            anyhow::bail!("the metrics from the counts differ from the metrics grouped from the rows");
        }
        // And from every row read out and counted one by one, once, where that takes seconds, not minutes.
        if in_db <= ROWS_CHECK_UP_TO {
            let started = Instant::now();
            let by_rows = fixture.app.service_stats_by_rows(Some(clerk), &query).await?;
            let rows_ms = started.elapsed().as_secs_f64() * 1e3;
            let same = by_rows == counts;
            println!("period={label} by_rows_ms={rows_ms:.1} (one run) same_figures={same}");
            if !same {
                anyhow::bail!("the metrics from the counts differ from the metrics counted row by row");
            }
        }
    }
    // The annual report's indicators of the city's 民政局 for the year (every area's).
    let (best, mean) = time(runs, || async { Ok(fixture.app.report_figures(None, "511700", YEAR).await?) }).await?;
    println!(
        "period=year annual_report_indicators_ms={best:.1} mean_ms={mean:.1} limit_ms={LIMIT_MS:.0} within_limit={}",
        best < LIMIT_MS
    );
    // Every count recounted from the rows, once.
    let started = Instant::now();
    let drift = store.case_aggregate_drift().await?;
    println!(
        "aggregate_drift={} recount_ms={:.1} (every count kept against the rows counted afresh)",
        drift.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    if let Some(first) = drift.first() {
        anyhow::bail!("the counts differ from the rows: {first}");
    }
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let (raw_best, _) = time(runs, || async { Ok(store.raw_registration_scan(&from_text, &to_text).await?) }).await?;
    let (best, mean) = time(runs, || async { Ok(fixture.app.marriage_statistics(clerk, from, to).await?) }).await?;
    println!("period=year raw_registration_scan_ms={raw_best:.1}");
    println!("period=year marriage_stats_ms={best:.1} mean_ms={mean:.1} ratio={:.3}", raw_best / best.max(1e-9));
    if db.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(ExitCode::SUCCESS)
}
