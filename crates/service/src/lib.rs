//! minzheng's use cases. Each public function: check the input and the caller's grants, ask the
//! domain, commit the result and its event in one store call. The web and CLI layers call only
//! this crate; nothing here knows HTTP or terminals.

pub mod accounts;
pub mod annual_report;
pub mod attachments;
pub mod audit;
mod cache;
pub mod calendar;
mod case_json;
pub mod cases;
pub mod catalog;
pub mod citizens;
pub mod dashboard;
pub mod delegations;
pub mod error;
pub mod guide_reviews;
pub mod handlers;
mod idempotency;
pub mod init;
pub mod items;
pub mod nodes;
pub mod open_case;
pub mod openness;
mod organizations;
pub mod outcome_stats;
pub mod persons;
pub mod portal;
pub mod search;
pub mod stats;
pub mod status;
pub mod sweep;
pub mod synthetic;
pub mod throttle;
pub mod verticals;
pub mod web_support;

// --- Old module paths of the areas' modules, kept while the move to `verticals/` settles. ---
pub(crate) use verticals::assistance::roll as assistance_roll;
pub use verticals::assistance::{
    self, accounts as assistance_accounts, change as assistance_change, income as assistance_income,
    preview as assistance_preview, publicity as assistance_publicity, raise as assistance_raise,
    register as assistance_register, returns as assistance_returns,
};
pub use verticals::marriage::{self, deaths, desk as marriage_desk};
pub(crate) use verticals::marriage::{death_facts, guards};
// --- end of the old module paths. ---

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{Actor, Permission};
use domain::calendar::{shanghai_date, WorkCalendar};
use domain::clock::Clock;
use domain::division::{DivisionCode, Divisions};
use domain::idcard::RegionHistory;
use store::{Keys, Store};

pub use error::{ErrorKind, ServiceError, ServiceResult};

/// Everything a use case needs, built once at start and passed down (no globals).
pub struct App {
    /// The database. Public for the integration tests (which inspect and break rows); the web
    /// layer and the binary reach it only through `App`'s use cases (a tidy test holds this).
    pub store: Store,
    pub(crate) keys: Keys,
    pub(crate) clock: Arc<dyn Clock>,
    /// Where the newest signed checkpoint is published outside the database.
    pub checkpoint_file: Option<PathBuf>,
    calendar: RwLock<Arc<WorkCalendar>>,
    pub(crate) throttle: throttle::LoginThrottle,
    /// Failed public look-ups of a case (`portal::track_case`), per client (see
    /// [`throttle::TrackThrottle`]).
    pub(crate) track_throttle: throttle::TrackThrottle,
    /// The number of the newest checkpoint this process published to `checkpoint_file`.
    published: tokio::sync::Mutex<i64>,
    pub(crate) delegation_cache: cache::TtlCache<Vec<domain::engine::context::Delegation>>,
    /// Live sessions by token hash ([`App::authenticate`]); cleared by every change to a session,
    /// an account or its grants made through this process.
    pub(crate) session_cache: cache::TtlCache<accounts::LiveSession>,
    /// The catalog of service items (every version), validated at start.
    pub catalog: Arc<domain::catalog::Catalog>,
    /// The (path, text) of the catalog files, recorded in the database by `sync_catalog`.
    catalog_files: Arc<Vec<(String, String)>>,
    /// How new passwords are hashed: always [`accounts::PasswordHashing::Production`] in the
    /// program; the test harness lowers it (see [`App::set_password_hashing`]).
    password_hashing: accounts::PasswordHashing,
    /// This process as a regional node (`serve --node … --nats …`); `None`: one process.
    node: Option<nodes::NodeConfig>,
}

impl App {
    /// Opens the application on a store with the catalog shipped in the program; loads the
    /// calendar version in force.
    pub async fn new(
        store: Store,
        keys: Keys,
        clock: Arc<dyn Clock>,
        checkpoint_file: Option<PathBuf>,
    ) -> ServiceResult<App> {
        App::with_catalog(store, keys, clock, checkpoint_file, catalog::embedded_files()).await
    }

    /// Same, with the catalog read from the given files. A broken file refuses the start,
    /// naming every problem with its file and line.
    pub async fn with_catalog(
        store: Store,
        keys: Keys,
        clock: Arc<dyn Clock>,
        checkpoint_file: Option<PathBuf>,
        catalog_files: Vec<(String, String)>,
    ) -> ServiceResult<App> {
        let loaded = catalog::LoadedCatalog::parse(catalog_files)?;
        App::with_loaded_catalog(store, keys, clock, checkpoint_file, loaded).await
    }

    /// Same, with a catalog already parsed: a process that opens many applications on the same
    /// catalog (the test harness) parses it once.
    pub async fn with_loaded_catalog(
        store: Store,
        keys: Keys,
        clock: Arc<dyn Clock>,
        checkpoint_file: Option<PathBuf>,
        loaded: catalog::LoadedCatalog,
    ) -> ServiceResult<App> {
        let calendar = calendar::load_in_force(&store).await?;
        Ok(App {
            delegation_cache: cache::TtlCache::new(cases::DELEGATION_CACHE_TTL),
            session_cache: cache::TtlCache::new(accounts::SESSION_CACHE_TTL),
            catalog: loaded.catalog,
            catalog_files: loaded.files,
            store,
            keys,
            clock,
            checkpoint_file,
            calendar: RwLock::new(calendar),
            throttle: throttle::LoginThrottle::default(),
            track_throttle: throttle::TrackThrottle::default(),
            published: tokio::sync::Mutex::new(0),
            password_hashing: accounts::PasswordHashing::Production,
            node: None,
        })
    }

    /// Sets how new passwords are hashed. Only the test harness calls this (with
    /// [`accounts::PasswordHashing::TestOnly`], so that test accounts cost microseconds); the
    /// program never does, and a CLI test checks the strength of the hashes it writes.
    pub fn set_password_hashing(&mut self, hashing: accounts::PasswordHashing) {
        self.password_hashing = hashing;
    }

    /// How new passwords are hashed.
    pub fn password_hashing(&self) -> accounts::PasswordHashing {
        self.password_hashing
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in Asia/Shanghai.
    pub fn today(&self) -> NaiveDate {
        shanghai_date(self.now())
    }

    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set_calendar(&self, calendar: WorkCalendar) {
        *self.calendar.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(calendar);
    }

    pub fn divisions(&self) -> &'static Divisions {
        Divisions::builtin()
    }

    pub fn regions(&self) -> &'static RegionHistory {
        RegionHistory::builtin()
    }

    /// The one place that decides access: `permission` at `division` for `actor`.
    pub fn authorize(&self, actor: &Actor, permission: Permission, division: &DivisionCode) -> ServiceResult<()> {
        if actor.may(permission, division, self.divisions()) {
            Ok(())
        } else {
            tracing::warn!(actor.id = actor.account_id, division = %division, permission = ?permission, "access denied");
            Err(ServiceError::forbidden())
        }
    }

    /// Parses a division code that must exist in the tree.
    pub fn division(&self, field: &str, code: &str) -> ServiceResult<DivisionCode> {
        DivisionCode::parse(code.trim()).ok().filter(|c| self.divisions().get(c).is_some()).ok_or_else(|| {
            ServiceError::new(ErrorKind::Invalid, "unknown_division", format!("行政区划代码“{}”不存在", code.trim()))
                .with_field(field)
        })
    }
}

/// A list page: `limit` 1-500 (default 50), `offset` ≥ 0 (default 0).
pub(crate) fn page(limit: Option<i64>, offset: Option<i64>) -> ServiceResult<(i64, i64)> {
    let limit = limit.unwrap_or(50);
    let offset = offset.unwrap_or(0);
    if !(1..=500).contains(&limit) {
        return Err(
            ServiceError::new(ErrorKind::Invalid, "invalid_limit", "每页条数须在1至500之间").with_field("limit")
        );
    }
    if offset < 0 {
        return Err(ServiceError::new(ErrorKind::Invalid, "invalid_offset", "偏移量不能为负数").with_field("offset"));
    }
    Ok((limit, offset))
}
