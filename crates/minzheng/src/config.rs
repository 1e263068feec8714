//! Configuration: the database URL, the data key, the checkpoint file, logging.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context};
use domain::clock::Clock;
use service::App;
use store::{Keys, Store};

use crate::cli::DbArgs;

pub const DATA_KEY_ENV: &str = "MINZHENG_DATA_KEY";

/// Logs go to standard error: human-readable by default, JSON lines with `--log-json`.
/// `MINZHENG_LOG` (e.g. `debug`, `web=trace`) sets the filter; the default is `info`.
pub fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MINZHENG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Files kept beside an embedded database: `minzheng.db` → `minzheng.db.key`.
fn beside(url: &str, suffix: &str) -> Option<PathBuf> {
    store::sqlite_path(url).map(|path| {
        let mut name = path.into_os_string();
        name.push(suffix);
        PathBuf::from(name)
    })
}

pub fn checkpoint_file(db: &DbArgs) -> PathBuf {
    db.checkpoint_file
        .clone()
        .or_else(|| beside(&db.url, ".checkpoint.json"))
        .unwrap_or_else(|| PathBuf::from("minzheng-checkpoint.json"))
}

/// The data key: `MINZHENG_DATA_KEY`, else the key file (created for SQLite when absent).
fn keys(db: &DbArgs) -> anyhow::Result<Keys> {
    if let Ok(hex_key) = std::env::var(DATA_KEY_ENV) {
        return Keys::from_hex(&hex_key).with_context(|| format!("{DATA_KEY_ENV} 无效"));
    }
    let Some(path) = db.key_file.clone().or_else(|| beside(&db.url, ".key")) else {
        bail!("PostgreSQL 部署须提供数据密钥：设置 {DATA_KEY_ENV}（64位十六进制，可用 `openssl rand -hex 32` 生成）或 --key-file");
    };
    let (keys, created) = Keys::load_or_create(&path).with_context(|| format!("密钥文件 {}", path.display()))?;
    if created {
        eprintln!(
            "已生成数据密钥文件 {}（权限 0600）。这只适用于本机试用：生产环境请通过 {DATA_KEY_ENV} 或 --key-file 提供自己的密钥，并妥善备份——丢失密钥将无法解密身份证号和电话。",
            path.display()
        );
    }
    Ok(keys)
}

/// Opens the store (migrating it) and builds the application.
pub async fn open_app(db: &DbArgs, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
    let store = Store::open(&db.url).await.with_context(|| format!("打开数据库 {}", store::redact_url(&db.url)))?;
    let keys = keys(db)?;
    let app = App::new(store, keys, clock, Some(checkpoint_file(db))).await?;
    Ok(app)
}

/// Whether the database already exists (a SQLite file on disk, or any PostgreSQL URL).
pub fn database_exists(url: &str) -> bool {
    match store::sqlite_path(url) {
        Some(path) => path.exists(),
        None => true,
    }
}
