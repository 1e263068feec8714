//! The versions of the annual report on building a law-based government (法治政府建设年度报告):
//! one row per saved narrative, frozen with its figures and signature when published. Every write
//! commits with its event in one transaction.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::{Store, StoreError, StoreResult};

/// A saved version of an organ's report for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportVersionRow {
    pub id: i64,
    pub organ: String,
    pub year: i32,
    pub version: i64,
    pub body: String,
    pub saved_by: i64,
    pub saved_at_ms: i64,
    /// Set once published.
    pub published: Option<Published>,
}

/// What publishing froze.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub at_ms: i64,
    /// The figures as published (JSON written by the service).
    pub figures: String,
    /// The exact bytes signed (canonical JSON of organ, year, version, text and figures).
    pub signed: String,
    /// SM2 signature (hex) over `signed`.
    pub signature: String,
    /// The SM2 public key (hex) that verifies it.
    pub public_key: String,
}

const COLUMNS: &str = "id, organ, year, version, body, saved_by, saved_at_ms, published_at_ms, figures, signed, \
                       signature, public_key";

fn row_of(row: &sqlx::any::AnyRow) -> StoreResult<ReportVersionRow> {
    let published_at: Option<i64> = row.try_get("published_at_ms")?;
    let published = match published_at {
        Some(at_ms) => Some(Published {
            at_ms,
            figures: row.try_get::<Option<String>, _>("figures")?.unwrap_or_default(),
            signed: row.try_get::<Option<String>, _>("signed")?.unwrap_or_default(),
            signature: row.try_get::<Option<String>, _>("signature")?.unwrap_or_default(),
            public_key: row.try_get::<Option<String>, _>("public_key")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(ReportVersionRow {
        id: row.try_get("id")?,
        organ: row.try_get("organ")?,
        year: row.try_get::<i64, _>("year")? as i32,
        version: row.try_get("version")?,
        body: row.try_get("body")?,
        saved_by: row.try_get("saved_by")?,
        saved_at_ms: row.try_get("saved_at_ms")?,
        published,
    })
}

impl Store {
    /// Saves `body` as the next version of `organ`'s report for `year`; the version number is the
    /// last one + 1 (the unique index refuses a concurrent second writer of the same number).
    pub async fn save_report_version(
        &self,
        organ: &str,
        year: i32,
        body: &str,
        saved_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64, i64) -> EventDraft,
    ) -> StoreResult<ReportVersionRow> {
        let mut tx = self.begin_write().await?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM annual_report_versions WHERE organ = $1 AND year = $2")
                .bind(organ)
                .bind(i64::from(year))
                .fetch_one(&mut *tx)
                .await?;
        let version = last.unwrap_or(0) + 1;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO annual_report_versions (organ, year, version, body, saved_by, saved_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(organ)
        .bind(i64::from(year))
        .bind(version)
        .bind(body)
        .bind(saved_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("report_version".into()),
            other => other.into(),
        })?;
        append(&mut tx, self.backend, &event(id, version), at).await?;
        tx.commit().await?;
        self.report_version(id).await
    }

    /// Freezes version `id` as published, unless it already is (conflict).
    pub async fn publish_report_version(
        &self,
        id: i64,
        published: &Published,
        event: EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<ReportVersionRow> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE annual_report_versions SET published_at_ms = $1, figures = $2, signed = $3, signature = $4, \
             public_key = $5 WHERE id = $6 AND published_at_ms IS NULL",
        )
        .bind(published.at_ms)
        .bind(&published.figures)
        .bind(&published.signed)
        .bind(&published.signature)
        .bind(&published.public_key)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("report_published".into()));
        }
        append(&mut tx, self.backend, &event, at).await?;
        tx.commit().await?;
        self.report_version(id).await
    }

    pub async fn report_version(&self, id: i64) -> StoreResult<ReportVersionRow> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM annual_report_versions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_of(&row)
    }

    /// Every version of `organ`'s report for `year`, oldest first.
    pub async fn report_versions(&self, organ: &str, year: i32) -> StoreResult<Vec<ReportVersionRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM annual_report_versions WHERE organ = $1 AND year = $2 ORDER BY version"
        ))
        .bind(organ)
        .bind(i64::from(year))
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(row_of).collect()
    }

    /// The published versions of every organ and year, newest first.
    pub async fn published_reports(&self) -> StoreResult<Vec<ReportVersionRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM annual_report_versions WHERE published_at_ms IS NOT NULL \
             ORDER BY year DESC, organ, version DESC"
        ))
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(row_of).collect()
    }
}
