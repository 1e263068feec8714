//! Persistence for minzheng: one schema and one set of repository functions that run on SQLite
//! (embedded default, WAL, `synchronous=FULL`, foreign keys on) and on PostgreSQL.
//!
//! Every public method that changes data is one unit of work: one transaction that commits the
//! change together with its event in the full-process record ([`audit`]). No transaction type
//! leaves this crate.
//!
//! Access goes through sqlx's `Any` driver: the backend is picked once, from the URL scheme, and
//! the same SQL (with `$1` placeholders, which SQLite also understands) runs on both. Where the
//! dialects differ (a sequence, `FOR UPDATE`) the method branches on [`Backend`].

pub mod accounts;
pub mod annual_report;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod crypto;
mod direct;
pub mod divisions;
pub mod generated;
pub mod group_commit;
mod migrate;
pub mod nodes;
pub mod organizations;
pub mod persons;
mod pg_batch;
pub mod ratings;
mod readers;
mod rows;
pub mod search;
pub mod sessions;
mod sqlite_batch;
pub mod stats;
pub mod sweep_marks;
pub mod verticals;

// --- Old module paths of the areas' tables, kept while the move to `verticals/` settles. ---
pub use verticals::assistance::{self, payee_accounts, publicity_postings, raise as assistance_raise};
pub use verticals::marriage;
// --- end of the old module paths. ---

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection};

pub use crypto::Keys;
/// PostgreSQL: the statement that writes a batch's plain acts (its plan is checked by a test).
pub use pg_batch::batch_sql as pg_plain_acts_statement;

/// How many acts hold a connection between their read and their write at once on PostgreSQL
/// ([`Store::case_for_act`]); more wait before their read.
pub const ACT_CONNECTIONS: u32 = 16;

/// How many plain reads run at once on PostgreSQL ([`readers`]); more wait their turn. On two
/// cores the server and PostgreSQL share, more backends only queue on the CPU.
const READ_CONNECTIONS: usize = 16;

/// How many case numbers are taken at once on PostgreSQL (each one short statement).
const NUMBER_CONNECTIONS: usize = 4;

/// How many statements that commit on their own (new cases) are written at once on PostgreSQL;
/// more wait their turn. Each waits for its WAL flush, which PostgreSQL shares among them.
const COMMIT_CONNECTIONS: usize = 16;

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Invalid(format!("数据库地址须以 sqlite:// 或 postgres:// 开头，收到：{}", redact_url(url))))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// The store's own error: callers map it, never match on sqlx.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("记录不存在")]
    NotFound,
    /// A uniqueness or version conflict; the text names what conflicted.
    #[error("冲突：{0}")]
    Conflict(String),
    /// The request cannot be stored as given (bad URL, bad data file).
    #[error("{0}")]
    Invalid(String),
    #[error("数据库错误：{0}")]
    Other(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or("unique").to_string())
            }
            // PostgreSQL cannot hold a NUL in text (SQLSTATE 22021). The web layer refuses NUL in
            // the inputs it parses; this keeps any path it missed a refusal, not a server error.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("22021") => {
                StoreError::Invalid("文字中含有数据库不能保存的字符（如空字符 NUL）".into())
            }
            _ => StoreError::Other(err.to_string()),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database: a write pool, a read pool for snapshots, and the plain reads' connections
/// ([`readers`]). On SQLite the write pool has one connection (the database has one writer
/// anyway, and a single writer never meets `SQLITE_BUSY`); reads run in parallel under WAL. On
/// PostgreSQL the write and read pools are the same pool.
#[derive(Clone)]
pub struct Store {
    write: AnyPool,
    /// Reads that need a snapshot over several statements (the record's checks and export).
    read: AnyPool,
    /// Plain reads, one statement each ([`readers`]).
    reads: readers::Readers,
    /// Where case numbers are taken (see [`Store::create_case`]): on PostgreSQL a few
    /// connections whose sessions commit without waiting for the WAL flush; on SQLite the plain
    /// reads' (never used: SQLite takes a number inside the writer's transaction).
    numbers: readers::Readers,
    /// Where a statement that commits on its own is written (a new case with its one event, see
    /// [`Store::create_case`]): on PostgreSQL connections of their own, without sqlx's ping on
    /// return; on SQLite the plain reads' (never used: SQLite writes through its one writer).
    commits: readers::Readers,
    /// Where an act reads its case and then writes its transition, on one checkout (see
    /// [`Store::case_for_act`]): on PostgreSQL connections of their own, so that an act holding
    /// one of these while it reads other things can never wait on itself; on SQLite the plain
    /// reads' (only the read: the act's write goes to the one writer).
    acts: readers::Readers,
    backend: Backend,
    /// The acts waiting for the writer of a group commit ([`group_commit`]).
    act_queue: std::sync::Arc<group_commit::ActQueue>,
    /// SQLite: the group commit's own connection ([`direct`]); `None` on PostgreSQL.
    direct: Option<std::sync::Arc<std::sync::Mutex<direct::Direct>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Adds `mode=rwc` to a SQLite URL so that a missing file is created. sqlx's SQLite driver opens
/// every connection with `journal_mode=WAL`, `synchronous=FULL` (an act acknowledged to a clerk
/// survives a power cut: a printed certificate number must never be issued twice) and
/// `foreign_keys=ON`; `durability()` reads them back and a test checks them.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The file behind a `sqlite://PATH` URL, if any.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(std::path::PathBuf::from(path))
    }
}

impl Store {
    /// Connects and applies the migrations that are not applied yet.
    pub async fn open(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let store = match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url);
                let options = AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Invalid(e.to_string()))?;
                let pool = |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .test_before_acquire(false)
                        .acquire_timeout(Duration::from_secs(60))
                        .connect_with(options.clone())
                };
                let write = pool(1).await.map_err(connect_error)?;
                // WAL is a property of the database file: set once, before the readers open.
                let mode: String =
                    sqlx::query_scalar("PRAGMA journal_mode=WAL").fetch_one(&write).await.map_err(connect_error)?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(StoreError::Other(format!("SQLite refused WAL mode (journal_mode={mode})")));
                }

                let read = pool(4).await.map_err(connect_error)?;
                let reads = readers::Readers::new(options, 4);
                let path = sqlite_path(&url)
                    .ok_or_else(|| StoreError::Invalid("SQLite needs a database file (sqlite://PATH)".into()))?;
                let direct = direct::Direct::open(&path)?;
                Store {
                    numbers: reads.clone(),
                    commits: reads.clone(),
                    acts: reads.clone(),
                    reads,
                    write,
                    read,
                    backend,
                    act_queue: Default::default(),
                    direct: Some(std::sync::Arc::new(std::sync::Mutex::new(direct))),
                }
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url).map_err(|e| StoreError::Invalid(e.to_string()))?;
                // No ping before every checkout (sqlx's default): on a local or LAN server it
                // costs a round trip per unit of work, as much as the work itself. A connection
                // that broke (a server restart) fails its next statement once and is replaced.
                let pool = AnyPoolOptions::new()
                    .max_connections(32)
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(60))
                    .connect_with(options.clone())
                    .await
                    .map_err(connect_error)?;
                // A number taken here is durable before any case that carries it: that case's
                // own commit waits for the WAL flush, and the WAL is flushed in order.
                let numbers = readers::Readers::with_setup(
                    options.clone(),
                    NUMBER_CONNECTIONS,
                    Some("SET synchronous_commit = off"),
                );
                let commits = readers::Readers::new(options.clone(), COMMIT_CONNECTIONS);
                // Sized like the number of acts the server commits at once; more wait their turn
                // before their read, holding nothing.
                let acts = readers::Readers::new(options.clone(), ACT_CONNECTIONS as usize);
                let reads = readers::Readers::new(options, READ_CONNECTIONS);
                Store {
                    write: pool.clone(),
                    read: pool,
                    reads,
                    numbers,
                    commits,
                    acts,
                    backend,
                    act_queue: Default::default(),
                    direct: None,
                }
            }
        };
        migrate::run(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a unit of work that writes. On SQLite the write lock is taken at once
    /// (`BEGIN IMMEDIATE`, waiting out the busy timeout): a deferred transaction that reads
    /// first cannot upgrade to a write once another connection has committed (the server and a
    /// CLI command on the same file) and fails at once with `SQLITE_BUSY`, whatever the timeout.
    pub(crate) async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.numbers.close().await;
        self.commits.close().await;
        self.acts.close().await;
        self.write.close().await;
        self.read.close().await;
        self.reads.close().await;
    }

    /// A meta value (`install_id`, `public_key`…).
    pub async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        let value: Option<String> =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(&self.reads).await?;
        Ok(value)
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Measures the database's raw limit: one transaction of one row update plus one row insert.
    /// Used by the benchmarks to print the figure the project's own is measured against.
    pub async fn raw_transaction(&self, key: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, '0') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(format!("bench:{}", key % 64))
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, '1')")
            .bind(format!("bench:row:{key}"))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the rows `raw_transaction` left behind.
    pub async fn clear_raw_rows(&self) -> StoreResult<()> {
        sqlx::query("DELETE FROM meta WHERE key LIKE 'bench:%'").execute(&self.write).await?;
        Ok(())
    }

    /// The durability mode in force, for benchmark output.
    pub async fn durability(&self) -> StoreResult<String> {
        let mut conn = self.write.acquire().await?;
        Ok(match self.backend {
            Backend::Sqlite => {
                let mode: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
                let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
                let name = match mode {
                    0 => "OFF",
                    1 => "NORMAL",
                    2 => "FULL",
                    _ => "EXTRA",
                };
                let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
                // The group commit's own connection must promise the same.
                let (direct_mode, direct_keys) = match &self.direct {
                    Some(direct) => direct.lock().unwrap_or_else(std::sync::PoisonError::into_inner).durability()?,
                    None => (mode, foreign_keys),
                };
                let same = if (direct_mode, direct_keys) == (mode, foreign_keys) { "same" } else { "differs" };
                format!("sqlite journal_mode={journal} synchronous={name} foreign_keys={foreign_keys} batches={same}")
            }
            Backend::Postgres => {
                let show = "SHOW synchronous_commit";
                let mode: String = sqlx::query_scalar(show).fetch_one(&mut *conn).await?;
                // A new case's statement commits on its own connection; a number's may skip the
                // flush (the case that carries it waits for a later one).
                let new_cases: String = sqlx::query_scalar(show).fetch_one(&self.commits).await?;
                let numbers: String = sqlx::query_scalar(show).fetch_one(&self.numbers).await?;
                format!("postgres synchronous_commit={mode} new_cases={new_cases} case_numbers={numbers}")
            }
        })
    }

    /// Checks that the connection answers (for `/healthz`).
    pub async fn ping(&self) -> StoreResult<()> {
        let mut conn = self.read.acquire().await?;
        conn.ping().await?;
        Ok(())
    }
}

fn connect_error(err: sqlx::Error) -> StoreError {
    StoreError::Other(format!("无法连接数据库：{err}"))
}
