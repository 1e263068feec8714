//! Files on a case (migration 0016), stored by content: `blobs` holds the bytes under their SM3
//! hash, written once per hash; `attachments` names a blob on a case. An attachment is added with
//! its event on the case's record stream in one transaction.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::{Store, StoreResult};

/// One attachment of a case, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    /// SM3 of the bytes, hex: the key of the blob.
    pub hash: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub label: String,
    /// The account that uploaded it, and that account's display name.
    pub uploaded_by: i64,
    pub uploaded_by_name: String,
    pub uploaded_at_ms: i64,
    pub withdrawn: bool,
}

/// An attachment to add: the checked file and who adds it.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub case_id: i64,
    pub hash: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub label: &'a str,
    pub uploaded_by: i64,
    pub bytes: &'a [u8],
}

const COLUMNS: &str = "a.id, a.case_id, a.hash, a.file_name, a.media_type, a.size, a.label, a.uploaded_by, \
                       COALESCE(c.display_name, ''), a.uploaded_at_ms, a.withdrawn";

fn from_row(row: &sqlx::any::AnyRow) -> StoreResult<AttachmentRow> {
    Ok(AttachmentRow {
        id: row.try_get(0)?,
        case_id: row.try_get(1)?,
        hash: row.try_get(2)?,
        file_name: row.try_get(3)?,
        media_type: row.try_get(4)?,
        size: row.try_get(5)?,
        label: row.try_get(6)?,
        uploaded_by: row.try_get(7)?,
        uploaded_by_name: row.try_get(8)?,
        uploaded_at_ms: row.try_get(9)?,
        withdrawn: row.try_get::<i64, _>(10)? != 0,
    })
}

impl Store {
    /// Adds an attachment: its blob unless one with the same hash is already stored, the
    /// attachment row, and the event `event(id)` names, in one transaction.
    pub async fn add_attachment(
        &self,
        new: &NewAttachment<'_>,
        event: impl FnOnce(i64) -> EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<AttachmentRow> {
        let size = i64::try_from(new.bytes.len()).map_err(|_| crate::StoreError::Invalid("文件过大".into()))?;
        let at_ms = at.timestamp_millis();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO blobs (hash, bytes, size, created_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(new.hash)
        .bind(new.bytes.to_vec())
        .bind(size)
        .bind(at_ms)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (case_id, hash, file_name, media_type, size, label, uploaded_by, uploaded_at_ms, withdrawn) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0) RETURNING id",
        )
        .bind(new.case_id)
        .bind(new.hash)
        .bind(new.file_name)
        .bind(new.media_type)
        .bind(size)
        .bind(new.label)
        .bind(new.uploaded_by)
        .bind(at_ms)
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, &event(id), at).await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM attachments a LEFT JOIN accounts c ON c.id = a.uploaded_by WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let row = from_row(&row)?;
        tx.commit().await?;
        Ok(row)
    }

    /// The attachments of a case that are not withdrawn, oldest first.
    pub async fn attachments(&self, case_id: i64) -> StoreResult<Vec<AttachmentRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM attachments a LEFT JOIN accounts c ON c.id = a.uploaded_by \
             WHERE a.case_id = $1 AND a.withdrawn = 0 ORDER BY a.id"
        ))
        .bind(case_id)
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One attachment of a case (`NotFound` when it is not that case's).
    pub async fn attachment(&self, case_id: i64, id: i64) -> StoreResult<AttachmentRow> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM attachments a LEFT JOIN accounts c ON c.id = a.uploaded_by \
             WHERE a.id = $1 AND a.case_id = $2"
        ))
        .bind(id)
        .bind(case_id)
        .fetch_one(&self.reads)
        .await?;
        from_row(&row)
    }

    /// The bytes stored under `hash`, if any: what a node sends with a matter to another node
    /// (the act that sent it is on the record; its message lists the hashes).
    pub async fn blob(&self, hash: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(sqlx::query_scalar("SELECT bytes FROM blobs WHERE hash = $1").bind(hash).fetch_optional(&self.reads).await?)
    }

    /// The bytes stored under `hash`, and their download's event, in one transaction: the bytes
    /// are handed out only once the download is on the record.
    pub async fn attachment_download(&self, hash: &str, event: &EventDraft, at: DateTime<Utc>) -> StoreResult<Vec<u8>> {
        let mut tx = self.begin_write().await?;
        let bytes: Vec<u8> =
            sqlx::query_scalar("SELECT bytes FROM blobs WHERE hash = $1").bind(hash).fetch_one(&mut *tx).await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(bytes)
    }
}
