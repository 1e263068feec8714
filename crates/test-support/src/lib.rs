//! Test databases for minzheng: each test gets a fresh SQLite file or a fresh PostgreSQL schema,
//! so tests run in parallel and leave nothing behind.
//!
//! PostgreSQL tests run when `MINZHENG_TEST_PG` holds a server URL (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`). Without it they are skipped on a developer's
//! machine, but **fail** when `CI` is set: in CI the suite must run.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use domain::access::Actor;
use domain::clock::SimulatedClock;
use rand::Rng;
use service::accounts::AccountInput;
use service::App;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use store::{Keys, Store};

pub const PG_ENV: &str = "MINZHENG_TEST_PG";

/// Which backend a conformance test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A fresh database. Dropping it removes the file or the schema.
pub struct TestDb {
    pub url: String,
    pub db: Db,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

fn random_name(prefix: &str) -> String {
    let n: u64 = rand::thread_rng().gen();
    format!("{prefix}{n:016x}")
}

/// The PostgreSQL server URL, or None when PostgreSQL tests should be skipped here.
/// Panics in CI when it is missing: a suite that needs PostgreSQL must fail there, not skip.
pub fn pg_url() -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{PG_ENV} is not set but CI is: the PostgreSQL conformance suite must run in CI")
        }
        _ => {
            eprintln!("skipping PostgreSQL test: set {PG_ENV}=postgres://… to run it");
            None
        }
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(random_name("minzheng-test-"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}", dir.join("test.db").display());
        TestDb { url, db: Db::Sqlite, dir: Some(dir), pg: None }
    }

    /// None when PostgreSQL tests are skipped (see [`pg_url`]).
    pub async fn postgres() -> Option<TestDb> {
        let base = pg_url()?;
        let schema = random_name("t_");
        let pool = admin_pool(&base).await;
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.expect("create test schema");
        pool.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        // The files beside the database (key, checkpoint) get one folder, removed on drop.
        let dir = std::env::temp_dir().join(random_name("minzheng-pgfiles-"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Some(TestDb { url, db: Db::Postgres, dir: Some(dir), pg: Some((base, schema)) })
    }

    pub async fn new(db: Db) -> Option<TestDb> {
        match db {
            Db::Sqlite => Some(TestDb::sqlite().await),
            Db::Postgres => TestDb::postgres().await,
        }
    }

    /// The folder for files beside the database (key file, checkpoint file).
    /// The same folder on every call; removed with the database.
    pub fn dir(&self) -> PathBuf {
        self.dir.clone().expect("every test database has a folder")
    }

    /// A raw connection pool, for tests that tamper with the database behind the store's back.
    pub async fn raw(&self) -> AnyPool {
        admin_pool(&self.url).await
    }

    pub async fn store(&self) -> Store {
        Store::open(&self.url).await.expect("open test store")
    }
}

async fn admin_pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new().max_connections(2).connect(url).await.expect("connect to test database")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((base, schema)) = self.pg.take() {
            // Drop runs outside async context: a private runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                runtime.block_on(async {
                    let pool = admin_pool(&base).await;
                    let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&pool).await;
                    pool.close().await;
                });
            })
            .join();
        }
    }
}

/// 2021-06-01 09:00 Asia/Shanghai, the start of the 跨省通办 pilot: the default test time.
pub fn test_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 6, 1, 1, 0, 0).single().expect("valid time")
}

/// An initialised application on a test database, on a simulated clock, with its key and
/// checkpoint file in the database's folder.
pub struct TestApp {
    pub app: Arc<App>,
    pub clock: Arc<SimulatedClock>,
    pub db: TestDb,
    pub admin_password: String,
}

impl TestApp {
    pub async fn new(db: Db) -> Option<TestApp> {
        let db = TestDb::new(db).await?;
        let store = db.store().await;
        let keys = Keys::from_master(&[42u8; 32]);
        let clock = Arc::new(SimulatedClock::starting_at(test_start()));
        let checkpoint = db.dir().join("checkpoint.json");
        let app = App::new(store, keys, clock.clone(), Some(checkpoint)).await.expect("app");
        let report = app.init("511700").await.expect("init");
        let (_, admin_password) = report.admin.expect("a fresh database creates the admin");
        Some(TestApp { app: Arc::new(app), clock, db, admin_password })
    }

    /// Creates an account holding `role` at `division` (password `test-pass-2021`) and
    /// returns it as an actor.
    pub async fn staff(&self, username: &str, role: &str, division: &str) -> Actor {
        let input = AccountInput {
            username: username.into(),
            display_name: format!("测试{username}"),
            password: "test-pass-2021".into(),
            grants: vec![(role.into(), division.into())],
        };
        let account = self.app.create_account(None, &input).await.expect("create staff account");
        Actor { account_id: account.id, username: account.username, grants: account.grants }
    }
}

/// Runs a conformance test body on SQLite and on PostgreSQL (when available).
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                ($body)($crate::Db::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if $crate::pg_url().is_none() {
                    return;
                }
                ($body)($crate::Db::Postgres).await
            }
        }
    };
}
