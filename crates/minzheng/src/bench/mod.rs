//! `minzheng bench`: figures printed, never asserted. Each prints the project's figure beside
//! the limit it is measured against.

mod http;
mod raw;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use domain::access::{Actor, Role};
use domain::audit::EventDraft;
use domain::clock::SystemClock;
use domain::engine::action::{Action, DeliveryMethod, Verdict};
use domain::person::PersonInput;
use serde_json::json;
use service::accounts::AccountInput;
use service::cases::{ApplicantRef, SubmitCase};
use service::{App, ServiceError};
use sm3::{Digest, Sm3};
use store::Store;

use crate::cli::BenchCommand;

/// A fresh folder in the temp folder for one benchmark run.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("minzheng-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A SQLite database file in `dir`.
fn sqlite_in(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("bench.db").display())
}

/// A fresh SQLite file in the temp folder, for benchmarks run without `--db`.
fn temp_sqlite() -> String {
    sqlite_in(&temp_dir("db"))
}

/// The data key of a benchmark database: `MINZHENG_DATA_KEY` when set (to reuse a generated
/// database across runs, e.g. `bench stats` then `bench http`), else a fresh one.
fn bench_keys_hex() -> String {
    std::env::var(crate::config::DATA_KEY_ENV).unwrap_or_else(|_| store::Keys::generate_hex())
}

/// A valid citizen identity number (GB 11643-1999) from its 17-digit body.
fn id_number(body: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", CHECK[(sum % 11) as usize] as char)
}

/// The item the benchmarks drive: a 承诺件 of six acting steps after submission.
const LIFECYCLE_ITEM: &str = "social-group-change-registration";
const LIFECYCLE_SITUATION: &str = "change_name_scope";
const LIFECYCLE_MATERIALS: [&str; 4] = ["application", "sponsor_approval", "meeting_resolution", "certificate"];

/// The facts of the item's form: the organization and what changes.
fn lifecycle_facts() -> serde_json::Value {
    json!({
        "organization": {"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": "511702"},
        "change_before": "名称：达州市青年志愿者协会",
        "change_after": "名称：达州市志愿服务协会"
    })
}
/// Acts per case: submit, accept, review, decide, produce, issue, deliver.
const ACTS_PER_CASE: u64 = 7;

/// A benchmark database ready for work: the application, the city's clerk, reviewer and
/// decider, and an applicant on file.
struct Fixture {
    app: Arc<App>,
    /// The database under the application, for what the benchmark measures below the use cases
    /// (raw transactions, bulk writes); the application itself is reached only through its use cases.
    store: Store,
    keys: store::Keys,
    staff: Arc<[Actor; 3]>,
    /// The clerk's password (for `bench http`, which logs in).
    clerk_password: String,
    applicant: i64,
    applicant_name: String,
    applicant_id_masked: String,
}

async fn staff(app: &App, username: String, role: Role) -> anyhow::Result<(Actor, String)> {
    let password = service::accounts::random_password();
    let input = AccountInput {
        display_name: username.clone(),
        username,
        password: password.clone(),
        grants: vec![(role.as_str().into(), "511700".into())],
    };
    let account = app.create_account(None, &input).await?;
    Ok((Actor { account_id: account.id, username: account.username, grants: account.grants }, password))
}

impl Fixture {
    async fn prepare(url: &str, key_hex: &str) -> anyhow::Result<Fixture> {
        let store = Store::open(url).await.with_context(|| format!("打开 {}", store::redact_url(url)))?;
        let keys = store::Keys::from_hex(key_hex)?;
        let app = Arc::new(App::new(store.clone(), keys.clone(), Arc::new(SystemClock), None).await?);
        app.init(service::init::DEFAULT_ROOT_DIVISION).await?;
        let tag = chrono::Utc::now().timestamp_micros() % 1_000_000_000;
        let (clerk, clerk_password) = staff(&app, format!("bench-clerk-{tag}"), Role::Clerk).await?;
        let (reviewer, _) = staff(&app, format!("bench-reviewer-{tag}"), Role::Reviewer).await?;
        let (decider, _) = staff(&app, format!("bench-decider-{tag}"), Role::Decider).await?;
        let id_number = id_number("51170219700101999");
        let applicant = match store.person_id_by_id_number(&keys, &id_number).await? {
            Some(id) => id,
            None => {
                let input = PersonInput {
                    name: "基准测试".into(),
                    id_number,
                    phone: None,
                    address: Some("达州市通川区".into()),
                    division: "511702".into(),
                };
                app.create_person(&clerk, &input).await?.id
            }
        };
        let summary = store.person_summary(applicant).await?;
        Ok(Fixture {
            app,
            store,
            keys,
            staff: Arc::new([clerk, reviewer, decider]),
            clerk_password,
            applicant,
            applicant_name: summary.name,
            applicant_id_masked: summary.id_number_masked,
        })
    }

    /// Submits the benchmark's application at the city's window; the new case's id.
    async fn submit(&self) -> anyhow::Result<i64> {
        Ok(self.app.submit_case(&self.staff[0], &self.application()).await?.view.case.id)
    }

    /// The applicant as a submission keeps them: id, name, masked ID number.
    fn applicant_snapshot(&self) -> (i64, &str, &str) {
        (self.applicant, &self.applicant_name, &self.applicant_id_masked)
    }

    /// The benchmark's application at the city's window.
    fn application(&self) -> SubmitCase {
        SubmitCase {
            item: LIFECYCLE_ITEM.into(),
            channel: "window".into(),
            applicant: ApplicantRef::Person(self.applicant),
            accepting_division: "511700".into(),
            situation: Some(LIFECYCLE_SITUATION.into()),
            materials: LIFECYCLE_MATERIALS.map(String::from).to_vec(),
            data: json!({"premises_division": "511700", "facts": lifecycle_facts()}),
            idempotency_key: None,
        }
    }
}

async fn append_events(store: &Store, events: u64, concurrency: usize) -> anyhow::Result<f64> {
    let store = Arc::new(store.clone());
    let started = Instant::now();
    let per_task = events.div_ceil(concurrency as u64);
    let mut tasks = Vec::new();
    for task in 0..concurrency {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_task {
                let n = task as u64 * per_task + i;
                let draft = EventDraft::new(
                    format!("bench:{}", n % 1000),
                    "system",
                    "bench.append",
                    json!({"n": n, "note": "基准测试事件", "division": "511702"}),
                )
                .in_division("511702");
                store.record(&draft, chrono::Utc::now()).await?;
            }
            Ok::<_, store::StoreError>(())
        }));
    }
    for task in tasks {
        task.await.context("bench task")??;
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The raw transaction through the project's own database layer (sqlx's `Any` pool of the
/// store), printed beside the limit to show what that layer costs.
async fn layer_raw_rate(store: &Store, n: u64, concurrency: usize) -> anyhow::Result<f64> {
    let store = Arc::new(store.clone());
    let started = Instant::now();
    let per_task = n.div_ceil(concurrency as u64);
    let mut tasks = Vec::new();
    for task in 0..concurrency {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_task {
                store.raw_transaction((task as u64 * per_task + i) as i64).await?;
            }
            Ok::<_, store::StoreError>(())
        }));
    }
    for task in tasks {
        task.await.context("bench task")??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    store.clear_raw_rows().await?;
    Ok((per_task * concurrency as u64) as f64 / elapsed)
}

/// One case through its whole life, each act through `App` as the server calls it.
async fn one_case(fixture: &Fixture) -> Result<(), ServiceError> {
    let [clerk, reviewer, decider] = &*fixture.staff;
    let id = fixture.app.submit_case(clerk, &fixture.application()).await?.view.case.id;
    let acts = [
        (clerk, Action::Accept),
        (reviewer, Action::Review { verdict: Verdict::Approve, opinion: String::new() }),
        (decider, Action::Decide { grant: true, reasons: String::new(), basis: String::new() }),
        (clerk, Action::Produce),
        (clerk, Action::Issue),
        (clerk, Action::Deliver { method: DeliveryMethod::OnSite, tracking: None }),
    ];
    for (actor, action) in &acts {
        fixture.app.act_on_case(actor, id, None, action).await?;
    }
    Ok(())
}

/// Rounds the lifecycle run is cut into: each round drives its share of the cases, then runs
/// the raw transactions for as many transitions, so both figures see the same machine (on a
/// shared machine the load of the neighbours drifts within seconds).
const ROUNDS: u64 = 5;

/// Drives `cases` cases with `concurrency` tasks; the seconds it took.
async fn drive_cases(fixture: &Arc<Fixture>, cases: u64, concurrency: usize) -> anyhow::Result<f64> {
    let per_task = cases.div_ceil(concurrency as u64);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let fixture = fixture.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_task {
                one_case(&fixture).await?;
            }
            Ok::<_, ServiceError>(())
        }));
    }
    for task in tasks {
        task.await.context("bench task")??;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn lifecycle(url: &str, cases: u64, concurrency: usize) -> anyhow::Result<()> {
    let fixture = Arc::new(Fixture::prepare(url, &bench_keys_hex()).await?);
    let store = fixture.store.clone();
    println!("backend={} {} concurrency={concurrency}", store.backend().as_str(), store.durability().await?);
    let per_round = cases.div_ceil(ROUNDS).div_ceil(concurrency as u64) * concurrency as u64;
    let (mut seconds, mut raw_seconds, mut raw_txns) = (0.0, 0.0, 0u64);
    let mut round_rates = Vec::new();
    for _ in 0..ROUNDS {
        let round = drive_cases(&fixture, per_round, concurrency).await?;
        round_rates.push(format!("{:.0}", (per_round * ACTS_PER_CASE) as f64 / round));
        seconds += round;
        let n = (per_round * ACTS_PER_CASE).min(2000).div_ceil(concurrency as u64) * concurrency as u64;
        raw_seconds += n as f64 / raw::raw_rate(url, n, concurrency).await?;
        raw_txns += n;
    }
    let layer_raw =
        layer_raw_rate(&store, 1000u64.div_ceil(concurrency as u64) * concurrency as u64, concurrency).await?;
    let done = per_round * ROUNDS;
    let transitions = done * ACTS_PER_CASE;
    let raw = raw_txns as f64 / raw_seconds;
    let cases_per_s = done as f64 / seconds;
    let transitions_per_s = transitions as f64 / seconds;
    println!(
        "cases={done} transitions={transitions} seconds={seconds:.2} rounds={ROUNDS} (each act: one transaction with its events; \
         raw transactions run between the rounds)"
    );
    println!("transitions_per_s by round: {}", round_rates.join(", "));
    println!(
        "cases_per_s={cases_per_s:.1} transitions_per_s={transitions_per_s:.0} raw_txn_per_s={raw:.0} ratio={:.2}",
        transitions_per_s / raw
    );
    let grouped = store.group_commit_stats();
    println!(
        "group_commit transactions={} acts={} submissions={} largest={} in_one_statement={} (acts and submissions per \
         transaction {:.1}; submissions join the batches on SQLite only; in_one_statement: plain acts written before \
         the rest of their batch, on PostgreSQL by one statement, on SQLite one call each)",
        grouped.batches,
        grouped.acts,
        grouped.submissions,
        grouped.largest,
        grouped.in_one_statement,
        (grouped.acts + grouped.submissions) as f64 / grouped.batches.max(1) as f64
    );
    println!(
        "(raw_txn_per_s: one row update + one row insert per transaction without the project's database layer, {}; \
         the same through the store's pool: {layer_raw:.0}/s)",
        match store.backend() {
            store::Backend::Sqlite => "the SQLite C library, prepared statements",
            store::Backend::Postgres => "plain PgConnection per client, prepared statements",
        }
    );
    Ok(())
}

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Lifecycle { cases, db, concurrency } => {
            let url = db.unwrap_or_else(temp_sqlite);
            lifecycle(&url, cases.max(1), concurrency.max(1)).await?;
        }
        BenchCommand::Http { db, duration, connections, threads } => {
            return http::run(http::HttpOptions { db, seconds: duration, connections, threads }).await;
        }
        BenchCommand::Stats { cases, db, runs, no_generate, copies_of } => {
            return stats::run(db, cases.max(1), runs, !no_generate, copies_of).await;
        }
        BenchCommand::Record { events, db, concurrency } => {
            let url = db.unwrap_or_else(temp_sqlite);
            let store = Store::open(&url).await.with_context(|| format!("打开 {}", store::redact_url(&url)))?;
            let concurrency = concurrency.max(1);
            println!("backend={} {} concurrency={concurrency}", store.backend().as_str(), store.durability().await?);
            let seconds = append_events(&store, events, concurrency).await?;
            let appended = events.div_ceil(concurrency as u64) * concurrency as u64;
            let raw = raw::raw_rate(&url, appended.min(2000), concurrency).await?;
            let rate = appended as f64 / seconds;
            println!("raw_txn_per_s={raw:.0} (one row update + one row insert per transaction)");
            println!("events_per_s={rate:.0} ratio={:.2}", rate / raw);
        }
        BenchCommand::Verify { db, events } => {
            let url = match db {
                Some(url) => url,
                None => {
                    let url = temp_sqlite();
                    let store = Store::open(&url).await?;
                    append_events(&store, events, 4).await?;
                    url
                }
            };
            let store = Store::open(&url).await.with_context(|| format!("打开 {}", store::redact_url(&url)))?;
            let started = Instant::now();
            let report = store.verify_record(None).await?.map_err(|brk| anyhow::anyhow!("record broken: {brk}"))?;
            let seconds = started.elapsed().as_secs_f64();
            let mb = report.bytes as f64 / 1e6;
            // The limit: SM3 over the same number of bytes in memory.
            let buffer = vec![0x5au8; report.bytes.max(1) as usize];
            let raw_started = Instant::now();
            let digest = Sm3::digest(&buffer);
            let raw_seconds = raw_started.elapsed().as_secs_f64().max(1e-9);
            std::hint::black_box(digest);
            println!(
                "backend={} events={} streams={} bytes={}",
                store.backend().as_str(),
                report.events,
                report.streams,
                report.bytes
            );
            println!("raw_sm3_mb_per_s={:.1}", mb / raw_seconds);
            println!(
                "events_per_s={:.0} mb_per_s={:.1} ratio={:.3}",
                report.events as f64 / seconds,
                mb / seconds,
                (mb / seconds) / (mb / raw_seconds)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
