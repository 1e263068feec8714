//! The limit the act benchmarks are measured against: a raw transaction made **without** the
//! project's database layer — one row update plus one row insert, durably committed, at the
//! same client count and on the same database.
//!
//! - SQLite: the SQLite C library itself (`libsqlite3-sys`, the same build sqlx links), one
//!   connection per client on its own thread, WAL and `synchronous=FULL`, prepared statements
//!   (`BEGIN IMMEDIATE`, `UPDATE`, `INSERT`, `COMMIT`) stepped and reset — what a C program does.
//! - PostgreSQL: pgbench-style statements on plain connections (sqlx's `PgConnection`, one per
//!   client, prepared statements: `BEGIN`, `UPDATE`, `INSERT`, `COMMIT`), not the store's pools.
//!
//! This is the only module of the workspace with `unsafe` code: the C calls of the SQLite probe.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr, CString};
use std::path::Path;
use std::ptr;
use std::time::Instant;

use anyhow::{anyhow, bail, Context};
use libsqlite3_sys as ffi;
use sqlx::Connection;

/// Rows the updates cycle over (as many "branches" as pgbench's scale 1 has tellers, roughly).
const UPDATED_ROWS: i64 = 64;

/// Raw transactions per second at `clients` clients, `n` transactions in all, on the database
/// at `url` (a `sqlite://` file or a `postgres://` database). Its table is its own
/// (`bench_raw_*`), created if missing and emptied after.
pub async fn raw_rate(url: &str, n: u64, clients: usize) -> anyhow::Result<f64> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        postgres_rate(url, n, clients).await
    } else {
        let path = store::sqlite_path(url).ok_or_else(|| anyhow!("the raw probe needs a SQLite file"))?;
        tokio::task::spawn_blocking(move || sqlite_rate(&path, n, clients)).await.context("raw probe thread")?
    }
}

/// One SQLite connection through the C library.
struct Db(*mut ffi::sqlite3);

/// One prepared statement of a [`Db`].
struct Stmt(*mut ffi::sqlite3_stmt);

impl Db {
    fn open(path: &Path) -> anyhow::Result<Db> {
        let name = CString::new(path.to_str().ok_or_else(|| anyhow!("path not UTF-8"))?)?;
        let mut db = ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE | ffi::SQLITE_OPEN_NOMUTEX;
        // SAFETY: `name` is a NUL-terminated string alive for the call; `db` receives a handle.
        let rc = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut db, flags, ptr::null()) };
        let db = Db(db);
        if rc != ffi::SQLITE_OK {
            bail!("sqlite3_open_v2: {}", db.error());
        }
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_busy_timeout(db.0, 60_000) };
        db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL")?;
        Ok(db)
    }

    fn error(&self) -> String {
        if self.0.is_null() {
            return "out of memory".into();
        }
        // SAFETY: a valid handle; the message is a NUL-terminated string owned by SQLite.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }.to_string_lossy().into_owned()
    }

    fn exec(&self, sql: &str) -> anyhow::Result<()> {
        let sql = CString::new(sql)?;
        // SAFETY: a valid handle and a NUL-terminated statement; no callback, no error buffer.
        let rc = unsafe { ffi::sqlite3_exec(self.0, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) };
        if rc != ffi::SQLITE_OK {
            bail!("sqlite3_exec: {}", self.error());
        }
        Ok(())
    }

    fn prepare(&self, sql: &str) -> anyhow::Result<Stmt> {
        let sql = CString::new(sql)?;
        let mut stmt = ptr::null_mut();
        // SAFETY: a valid handle and a NUL-terminated statement; `stmt` receives the statement.
        let rc = unsafe { ffi::sqlite3_prepare_v2(self.0, sql.as_ptr(), -1, &mut stmt, ptr::null_mut()) };
        if rc != ffi::SQLITE_OK {
            bail!("sqlite3_prepare_v2: {}", self.error());
        }
        Ok(Stmt(stmt))
    }

    /// Binds `text` as `?1` and `int` as `?2` (when given), steps `stmt` to its end and resets it.
    fn run(&self, stmt: &Stmt, text: Option<&str>, int: Option<i64>) -> anyhow::Result<()> {
        // SAFETY: a statement of this handle; SQLITE_TRANSIENT makes SQLite copy the text.
        unsafe {
            if let Some(text) = text {
                let len = c_int::try_from(text.len())?;
                ffi::sqlite3_bind_text(stmt.0, 1, text.as_ptr().cast(), len, ffi::SQLITE_TRANSIENT());
            }
            if let Some(int) = int {
                ffi::sqlite3_bind_int64(stmt.0, 2, int);
            }
            let rc = ffi::sqlite3_step(stmt.0);
            ffi::sqlite3_reset(stmt.0);
            if rc != ffi::SQLITE_DONE {
                bail!("sqlite3_step: {}", self.error());
            }
        }
        Ok(())
    }
}

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: finalized once, before its connection closes (statements drop first).
        unsafe { ffi::sqlite3_finalize(self.0) };
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: every statement of the handle was finalized before.
        unsafe { ffi::sqlite3_close(self.0) };
    }
}

fn sqlite_rate(path: &Path, n: u64, clients: usize) -> anyhow::Result<f64> {
    let setup = Db::open(path)?;
    setup.exec(
        "CREATE TABLE IF NOT EXISTS bench_raw_heads (k INTEGER PRIMARY KEY, v INTEGER NOT NULL); \
         CREATE TABLE IF NOT EXISTS bench_raw_rows (k TEXT PRIMARY KEY, v INTEGER NOT NULL); \
         DELETE FROM bench_raw_rows;",
    )?;
    (0..UPDATED_ROWS)
        .try_for_each(|k| setup.exec(&format!("INSERT OR IGNORE INTO bench_raw_heads VALUES ({k}, 0)")))?;
    let per_client = n.div_ceil(clients as u64);
    let started = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|client| {
                scope.spawn(move || -> anyhow::Result<()> {
                    let db = Db::open(path)?;
                    let begin = db.prepare("BEGIN IMMEDIATE")?;
                    let update = db.prepare("UPDATE bench_raw_heads SET v = v + 1 WHERE k = ?2")?;
                    let insert = db.prepare("INSERT INTO bench_raw_rows (k, v) VALUES (?1, ?2)")?;
                    let commit = db.prepare("COMMIT")?;
                    for i in 0..per_client {
                        let key = (client as u64 * per_client + i) as i64;
                        db.run(&begin, None, None)?;
                        db.run(&update, None, Some(key % UPDATED_ROWS))?;
                        db.run(&insert, Some(&format!("row:{key}")), Some(key))?;
                        db.run(&commit, None, None)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().map_err(|_| anyhow!("raw probe thread panicked"))?)
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    setup.exec("DELETE FROM bench_raw_rows")?;
    Ok((per_client * clients as u64) as f64 / elapsed)
}

async fn postgres_rate(url: &str, n: u64, clients: usize) -> anyhow::Result<f64> {
    let mut setup = sqlx::PgConnection::connect(url).await.context("raw probe connection")?;
    for sql in [
        "CREATE TABLE IF NOT EXISTS bench_raw_heads (k BIGINT PRIMARY KEY, v BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS bench_raw_rows (k TEXT PRIMARY KEY, v BIGINT NOT NULL)",
        "TRUNCATE bench_raw_rows",
    ] {
        sqlx::query(sql).execute(&mut setup).await?;
    }
    sqlx::query(&format!(
        "INSERT INTO bench_raw_heads (k, v) SELECT g, 0 FROM generate_series(0, {}) g ON CONFLICT DO NOTHING",
        UPDATED_ROWS - 1
    ))
    .execute(&mut setup)
    .await?;
    let per_client = n.div_ceil(clients as u64);
    let mut connections = Vec::with_capacity(clients);
    for _ in 0..clients {
        connections.push(sqlx::PgConnection::connect(url).await.context("raw probe connection")?);
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for (client, mut conn) in connections.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for i in 0..per_client {
                let key = (client as u64 * per_client + i) as i64;
                // Prepared once per connection and reused (sqlx's statement cache), as pgbench -M prepared.
                sqlx::query("BEGIN").execute(&mut conn).await?;
                sqlx::query("UPDATE bench_raw_heads SET v = v + 1 WHERE k = $1")
                    .bind(key % UPDATED_ROWS)
                    .execute(&mut conn)
                    .await?;
                sqlx::query("INSERT INTO bench_raw_rows (k, v) VALUES ($1, $2)")
                    .bind(format!("row:{key}"))
                    .bind(key)
                    .execute(&mut conn)
                    .await?;
                sqlx::query("COMMIT").execute(&mut conn).await?;
            }
            conn.close().await?;
            Ok::<_, sqlx::Error>(())
        }));
    }
    for task in tasks {
        task.await.context("raw probe task")??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    sqlx::query("TRUNCATE bench_raw_rows").execute(&mut setup).await?;
    Ok((per_client * clients as u64) as f64 / elapsed)
}
