//! Test databases for minzheng: each test gets a fresh SQLite file or a fresh PostgreSQL
//! database, so tests run in parallel and leave nothing behind.
//!
//! Setup is cheap: the migrations and the reference data are applied once per test process,
//! into a template, and every test gets a copy of it (on SQLite the template's file bytes
//! written to a new file; on PostgreSQL `CREATE DATABASE … TEMPLATE …`, a file-level copy). A
//! [`TestDb`] is a migrated, empty database; a [`TestApp`]'s database is, in addition,
//! initialised (`App::init`: divisions, catalog, the first administrator, a checkpoint), as
//! if `init` had just run on it. Test accounts are hashed at test strength
//! ([`PasswordHashing::TestOnly`]); the program never is.
//!
//! PostgreSQL tests run when `MINZHENG_TEST_PG` holds a server URL (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`; the role needs `CREATEDB`). Without it they are
//! skipped on a developer's machine, but **fail** when `CI` is set: in CI the suite must run.
//! The databases are named `mzt_<boot>_<pid>_<random>`; a process's templates outlive it, and
//! the next test process on the same machine drops those of processes that are gone.
//!
//! When `MINZHENG_TEST_TIMES` names a file, each test database appends one line to it when it
//! is dropped: `package/binary<TAB>test<TAB>start<TAB>end` (Unix seconds), the test named by its
//! thread (libtest names each test's thread after the test); `on_both!` tests add a line for
//! the whole body. `.ci/run` prints the ten slowest tests from it.

pub mod items;

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeZone, Utc};
use domain::access::Actor;
use domain::clock::SimulatedClock;
use rand::Rng;
use service::accounts::AccountInput;
pub use service::accounts::PasswordHashing;
use service::catalog::LoadedCatalog;
use service::App;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use store::{Keys, Store};
use tokio::sync::OnceCell;

pub const PG_ENV: &str = "MINZHENG_TEST_PG";
/// The file the test durations are appended to (see the crate documentation).
pub const TIMES_ENV: &str = "MINZHENG_TEST_TIMES";

/// The division the test administrator is granted (`App::init`'s root).
const ROOT_DIVISION: &str = "511700";

/// Which backend a conformance test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A fresh database, migrated. Dropping it removes the file or the database.
pub struct TestDb {
    pub url: String,
    pub db: Db,
    dir: Option<PathBuf>,
    /// (server URL, database name) of a PostgreSQL test database.
    pg: Option<(String, String)>,
    started: SystemTime,
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

/// What a test database is copied from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Migrated, no rows.
    Migrated,
    /// Migrated and initialised (`App::init`).
    Initialised,
}

/// What `App::init` produced in a template, for every copy of it.
struct InitOutput {
    admin_password: String,
    /// The checkpoint file `init` published (the same for every copy: same rows, same key).
    checkpoint: Option<Vec<u8>>,
}

struct SqliteTemplates {
    migrated: Vec<u8>,
    initialised: Vec<u8>,
    init: InitOutput,
}

struct PgTemplates {
    migrated: String,
    initialised: String,
    init: InitOutput,
}

static SQLITE_TEMPLATES: OnceCell<SqliteTemplates> = OnceCell::const_new();
static PG_TEMPLATES: OnceCell<PgTemplates> = OnceCell::const_new();

/// The shipped catalog, parsed once per process (parsing it is most of what opening an `App`
/// costs in a debug build).
fn shipped_catalog() -> LoadedCatalog {
    static CATALOG: OnceLock<LoadedCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| LoadedCatalog::embedded().expect("the shipped catalog is valid")).clone()
}

/// The test master key (every test database's data key derives from it).
fn test_keys() -> Keys {
    Keys::from_master(&[42u8; 32])
}

/// Runs `App::init` on `url` as a test app would, publishing the checkpoint to `dir`.
async fn initialise(url: &str, dir: &std::path::Path) -> InitOutput {
    let store = Store::open(url).await.expect("open template store");
    let clock = Arc::new(SimulatedClock::starting_at(test_start()));
    let checkpoint = dir.join("checkpoint.json");
    let mut app = App::with_loaded_catalog(store, test_keys(), clock, Some(checkpoint.clone()), shipped_catalog())
        .await
        .expect("template app");
    app.set_password_hashing(PasswordHashing::TestOnly);
    let report = app.init(ROOT_DIVISION).await.expect("init the template");
    let (_, admin_password) = report.admin.expect("a fresh database creates the admin");
    app.store.close().await;
    InitOutput { admin_password, checkpoint: std::fs::read(&checkpoint).ok() }
}

/// The bytes of a closed SQLite database, its WAL folded in.
async fn sqlite_bytes(url: &str, path: &std::path::Path) -> Vec<u8> {
    let pool = admin_pool(url).await;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await.expect("checkpoint the template");
    pool.close().await;
    std::fs::read(path).expect("read the template file")
}

async fn sqlite_templates() -> &'static SqliteTemplates {
    SQLITE_TEMPLATES
        .get_or_init(|| async {
            let dir = std::env::temp_dir().join(random_name("minzheng-template-"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let path = dir.join("template.db");
            let url = format!("sqlite://{}", path.display());
            Store::open(&url).await.expect("migrate the template").close().await;
            let migrated = sqlite_bytes(&url, &path).await;
            let init = initialise(&url, &dir).await;
            let initialised = sqlite_bytes(&url, &path).await;
            let _ = std::fs::remove_dir_all(&dir);
            SqliteTemplates { migrated, initialised, init }
        })
        .await
}

/// This machine's boot, so that a test process cleans up only after processes of this machine.
fn boot_tag() -> Option<String> {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let tag: String = id.chars().filter(char::is_ascii_hexdigit).take(8).collect();
    (tag.len() == 8).then(|| tag.to_ascii_lowercase())
}

/// `mzt_<boot>_<pid>_<random>`: a test database of this process.
fn pg_database_name() -> String {
    let boot = boot_tag().unwrap_or_else(|| "00000000".into());
    random_name(&format!("mzt_{boot}_{}_", std::process::id()))
}

/// `url` with its database replaced by `name` (the query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = url.split_at(url.find('?').unwrap_or(url.len()));
    let authority = head.find("://").map_or(0, |i| i + 3);
    let path = head[authority..].find('/').map_or(head.len(), |i| authority + i);
    format!("{}/{name}{query}", &head[..path])
}

/// Drops the test databases of test processes of this machine that are gone (killed, or
/// ended with their templates still there).
async fn drop_orphans(admin: AnyPool) {
    let Some(boot) = boot_tag() else { return };
    let prefix = format!("mzt_{boot}_");
    let names: Vec<String> = sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'mzt\\_%'")
        .fetch_all(&admin)
        .await
        .unwrap_or_default();
    for name in names {
        let Some(pid) = name.strip_prefix(&prefix).and_then(|rest| rest.split('_').next()) else { continue };
        if pid.parse::<u32>().is_ok() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = sqlx::query(&sql).execute(&admin).await;
        }
    }
}

async fn pg_templates(base: &str) -> &'static PgTemplates {
    PG_TEMPLATES
        .get_or_init(|| async {
            let admin = admin_pool(base).await;
            drop_orphans(admin.clone()).await;
            let migrated = format!("{}_m", pg_database_name());
            sqlx::query(&format!("CREATE DATABASE \"{migrated}\"")).execute(&admin).await.expect("create template");
            Store::open(&with_database(base, &migrated)).await.expect("migrate the template").close().await;
            let initialised = format!("{}_i", pg_database_name());
            sqlx::query(&format!("CREATE DATABASE \"{initialised}\" TEMPLATE \"{migrated}\""))
                .execute(&admin)
                .await
                .expect("create template");
            let dir = std::env::temp_dir().join(random_name("minzheng-template-"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let init = initialise(&with_database(base, &initialised), &dir).await;
            let _ = std::fs::remove_dir_all(&dir);
            admin.close().await;
            PgTemplates { migrated, initialised, init }
        })
        .await
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        TestDb::sqlite_at(Stage::Migrated).await.0
    }

    async fn sqlite_at(stage: Stage) -> (TestDb, &'static InitOutput) {
        let started = SystemTime::now();
        let templates = sqlite_templates().await;
        let dir = std::env::temp_dir().join(random_name("minzheng-test-"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("test.db");
        let bytes = if stage == Stage::Initialised { &templates.initialised } else { &templates.migrated };
        std::fs::write(&path, bytes).expect("copy the template database");
        let url = format!("sqlite://{}", path.display());
        (TestDb { url, db: Db::Sqlite, dir: Some(dir), pg: None, started }, &templates.init)
    }

    /// None when PostgreSQL tests are skipped (see [`pg_url`]).
    pub async fn postgres() -> Option<TestDb> {
        Some(TestDb::postgres_at(Stage::Migrated).await?.0)
    }

    async fn postgres_at(stage: Stage) -> Option<(TestDb, &'static InitOutput)> {
        let started = SystemTime::now();
        let base = pg_url()?;
        let templates = pg_templates(&base).await;
        let template = if stage == Stage::Initialised { &templates.initialised } else { &templates.migrated };
        let name = pg_database_name();
        let admin = admin_pool(&base).await;
        sqlx::query(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""))
            .execute(&admin)
            .await
            .expect("create the test database");
        admin.close().await;
        let url = with_database(&base, &name);
        // The files beside the database (key, checkpoint) get one folder, removed on drop.
        let dir = std::env::temp_dir().join(random_name("minzheng-pgfiles-"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Some((TestDb { url, db: Db::Postgres, dir: Some(dir), pg: Some((base, name)), started }, &templates.init))
    }

    pub async fn new(db: Db) -> Option<TestDb> {
        match db {
            Db::Sqlite => Some(TestDb::sqlite().await),
            Db::Postgres => TestDb::postgres().await,
        }
    }

    async fn at(db: Db, stage: Stage) -> Option<(TestDb, &'static InitOutput)> {
        match db {
            Db::Sqlite => Some(TestDb::sqlite_at(stage).await),
            Db::Postgres => TestDb::postgres_at(stage).await,
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
        if let Some((base, name)) = self.pg.take() {
            // Drop runs outside async context: a private runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                runtime.block_on(async {
                    let pool = admin_pool(&base).await;
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&pool).await;
                    pool.close().await;
                });
            })
            .join();
        }
        record_time(self.started);
    }
}

/// Appends this test's span (from `started` until now) to the file named by
/// `MINZHENG_TEST_TIMES`, if set. Never fails a test.
pub fn record_time(started: SystemTime) {
    let Some(path) = std::env::var_os(TIMES_ENV).filter(|p| !p.is_empty()) else { return };
    let thread = std::thread::current();
    let test = match thread.name() {
        Some(name) if name != "main" && !name.starts_with("tokio-") => name.to_string(),
        _ => return,
    };
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|stem| match stem.rsplit_once('-') {
            Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name.to_string(),
            _ => stem,
        })
        .unwrap_or_default();
    // `cargo test` runs each test binary with its package's name in the environment.
    let binary = match std::env::var("CARGO_PKG_NAME") {
        Ok(package) if !package.is_empty() => format!("{package}/{binary}"),
        _ => binary,
    };
    let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    let line = format!("{binary}\t{test}\t{:.3}\t{:.3}\n", secs(started), secs(SystemTime::now()));
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = file.write_all(line.as_bytes());
    }
}

/// Records the span of a test body when dropped (also when the test panics).
pub struct TestTimer(SystemTime);

impl TestTimer {
    pub fn start() -> TestTimer {
        TestTimer(SystemTime::now())
    }
}

impl Drop for TestTimer {
    fn drop(&mut self) {
        record_time(self.0);
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
        TestApp::with_keys(db, test_keys()).await
    }

    /// The same on its own data key (a regional node of its own, say: nodes never share a
    /// key). The template database holds no personal data, so any key opens it.
    pub async fn with_keys(db: Db, keys: Keys) -> Option<TestApp> {
        TestApp::open(db, keys, shipped_catalog()).await
    }

    /// The same with the shipped catalog and `extra` item files (`(path, text)`, the path
    /// `catalog/<slug>/v<N>.toml`): an engine feature tested on an item no shipped file declares.
    pub async fn with_items(db: Db, extra: &[(&str, &str)]) -> Option<TestApp> {
        let mut files = service::catalog::embedded_files();
        files.extend(extra.iter().map(|(path, text)| (path.to_string(), text.to_string())));
        let catalog = LoadedCatalog::parse(files).expect("the extra item files are valid");
        TestApp::open(db, test_keys(), catalog).await
    }

    async fn open(db: Db, keys: Keys, catalog: LoadedCatalog) -> Option<TestApp> {
        let (db, init) = TestDb::at(db, Stage::Initialised).await?;
        if let Some(checkpoint) = &init.checkpoint {
            std::fs::write(db.dir().join("checkpoint.json"), checkpoint).expect("write the checkpoint file");
        }
        let store = db.store().await;
        let clock = Arc::new(SimulatedClock::starting_at(test_start()));
        let checkpoint = db.dir().join("checkpoint.json");
        let mut app =
            App::with_loaded_catalog(store, keys, clock.clone(), Some(checkpoint), catalog).await.expect("app");
        app.set_password_hashing(PasswordHashing::TestOnly);
        Some(TestApp { app: Arc::new(app), clock, db, admin_password: init.admin_password.clone() })
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

    /// A citizen's account (办事群众 at `division`, password `test-pass-2021`) bound to `person`
    /// (实名认证, `App::bind_citizen`): the person it applies online for, or whose relatives.
    pub async fn citizen(&self, username: &str, division: &str, person: &domain::person::PersonInput) -> Actor {
        let actor = self.staff(username, "citizen", division).await;
        self.app.bind_citizen(&actor, person).await.expect("bind the citizen to their person");
        actor
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
                let _timer = $crate::TestTimer::start();
                ($body)($crate::Db::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if $crate::pg_url().is_none() {
                    return;
                }
                let _timer = $crate::TestTimer::start();
                ($body)($crate::Db::Postgres).await
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced_and_its_options_kept() {
        assert_eq!(with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(with_database("postgres://u:p@h/test?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
