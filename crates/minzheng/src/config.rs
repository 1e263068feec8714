//! Configuration: the database URL, the data key, the checkpoint file, logging.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use domain::clock::Clock;
use service::App;
use store::{Keys, Store};

use crate::cli::DbArgs;

pub const DATA_KEY_ENV: &str = "MINZHENG_DATA_KEY";

/// Logs go to standard error: human-readable by default, JSON lines with `--log-json`.
/// `MINZHENG_LOG` (e.g. `debug`, `web=trace`) sets the filter; the default is `default`
/// (`info,sqlx=warn`; the benchmarks, whose output is their figures, `warn,sqlx=error`).
pub fn init_logging(json: bool, default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MINZHENG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
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
    open_app_with_catalog(db, clock, None).await
}

/// Same, with the catalog read from `catalog` (a directory of `<slug>/v<N>.toml`) instead of the
/// one built in. A broken catalog refuses the start, naming every file, line and problem.
pub async fn open_app_with_catalog(db: &DbArgs, clock: Arc<dyn Clock>, catalog: Option<&Path>) -> anyhow::Result<App> {
    let files = match catalog {
        Some(dir) => Some(catalog_files(dir)?),
        None => None,
    };
    let store = Store::open(&db.url).await.with_context(|| format!("打开数据库 {}", store::redact_url(&db.url)))?;
    let keys = keys(db)?;
    let checkpoint = Some(checkpoint_file(db));
    let app = match files {
        Some(files) => App::with_catalog(store, keys, clock, checkpoint, files).await?,
        None => App::new(store, keys, clock, checkpoint).await?,
    };
    Ok(app)
}

/// The item files of a catalog directory, checked before anything else is opened: a broken
/// file stops the program here, naming every file, line and problem.
pub fn catalog_files(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let files = service::catalog::read_dir_files(dir).map_err(anyhow::Error::msg)?;
    if files.is_empty() {
        bail!("目录 {} 中没有事项文件（应为 <slug>/v<N>.toml）", dir.display());
    }
    let problems = service::catalog::check_files(&files);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        bail!("事项清单文件有误，拒绝启动：\n{}", lines.join("\n"));
    }
    Ok(files)
}

/// Whether the database already exists (a SQLite file on disk, or any PostgreSQL URL).
pub fn database_exists(url: &str) -> bool {
    match store::sqlite_path(url) {
        Some(path) => path.exists(),
        None => true,
    }
}
