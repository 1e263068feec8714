//! Working-day calendar versions. The built-in arrangement ships with the program; an import
//! stores a new version (the previous one merged with the new file, the new file winning
//! by date), which takes effect without a new build.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::{Store, StoreResult};

#[derive(Debug, Clone)]
pub struct CalendarVersion {
    pub id: i64,
    pub version: String,
    pub source: String,
    pub years: String,
    pub csv: String,
    pub imported_by: String,
    pub imported_at_ms: i64,
}

impl Store {
    pub async fn add_calendar_version(
        &self,
        version: &CalendarVersion,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calendar_versions (version, source, years, csv, imported_by, imported_at_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&version.version)
        .bind(&version.source)
        .bind(&version.years)
        .bind(&version.csv)
        .bind(&version.imported_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The name of the newest imported version, if any: the cheap check a running server makes
    /// to pick up a version imported by another process.
    pub async fn latest_calendar_version(&self) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT version FROM calendar_versions ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.reads)
            .await?)
    }

    /// The newest imported version, if any (otherwise the built-in one is in force).
    pub async fn latest_calendar(&self) -> StoreResult<Option<CalendarVersion>> {
        let row = sqlx::query("SELECT id, version, source, years, csv, imported_by, imported_at_ms FROM calendar_versions ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.reads)
            .await?;
        row.map(|row| {
            Ok(CalendarVersion {
                id: row.try_get(0)?,
                version: row.try_get(1)?,
                source: row.try_get(2)?,
                years: row.try_get(3)?,
                csv: row.try_get(4)?,
                imported_by: row.try_get(5)?,
                imported_at_ms: row.try_get(6)?,
            })
        })
        .transpose()
    }

    /// Every version, newest first, without the data.
    pub async fn calendar_versions(&self) -> StoreResult<Vec<(String, String, String, i64)>> {
        let rows = sqlx::query("SELECT version, source, years, imported_at_ms FROM calendar_versions ORDER BY id DESC")
            .fetch_all(&self.reads)
            .await?;
        rows.iter().map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?))).collect()
    }
}
