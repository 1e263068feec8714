//! `minzheng bench`: figures printed, never asserted. Each prints the project's figure beside
//! the limit it is measured against.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use domain::audit::EventDraft;
use serde_json::json;
use sm3::{Digest, Sm3};
use store::Store;

use crate::cli::BenchCommand;

/// A fresh SQLite file in the temp folder, for benchmarks run without `--db`.
fn temp_sqlite() -> String {
    let dir = std::env::temp_dir().join(format!("minzheng-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    format!("sqlite://{}", dir.join("bench.db").display())
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

async fn raw_rate(store: &Store, n: u64, concurrency: usize) -> anyhow::Result<f64> {
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

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Record { events, db, concurrency } => {
            let url = db.unwrap_or_else(temp_sqlite);
            let store = Store::open(&url).await.with_context(|| format!("打开 {}", store::redact_url(&url)))?;
            let concurrency = concurrency.max(1);
            println!("backend={} {} concurrency={concurrency}", store.backend().as_str(), store.durability().await?);
            let seconds = append_events(&store, events, concurrency).await?;
            let appended = events.div_ceil(concurrency as u64) * concurrency as u64;
            let raw = raw_rate(&store, appended.min(2000), concurrency).await?;
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
