//! The catalog as recorded: immutable item versions, publication per division (认领/发布/撤回),
//! and delegations (下放) of a step's power to a lower level.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::catalog::ServiceItem;
use sqlx::Row;

use crate::audit::append;
use crate::{Store, StoreError, StoreResult};

/// What recording a version found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Added,
    Same,
    /// The version exists with other content: refused (a published version is immutable).
    Different,
}

/// A delegation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationRow {
    pub id: i64,
    pub item_slug: String,
    pub step: String,
    pub to_level: String,
    pub division: String,
    pub valid_from: NaiveDate,
    /// The last day in force (inclusive), if revoked or limited.
    pub valid_until: Option<NaiveDate>,
    pub document: String,
}

/// An item's publication state in a division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub slug: String,
    pub division: String,
    pub claimed_at_ms: Option<i64>,
    pub published_at_ms: Option<i64>,
    pub withdrawn_at_ms: Option<i64>,
}

/// A change of an item's publication in a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationAct {
    /// 认领
    Claim,
    /// 发布
    Publish,
    /// 撤回
    Withdraw,
}

const DELEGATION_COLUMNS: &str = "id, item_slug, step, to_level, division_code, valid_from, valid_until, document";

fn delegation_row(row: &sqlx::any::AnyRow) -> StoreResult<DelegationRow> {
    Ok(DelegationRow {
        id: row.try_get(0)?,
        item_slug: row.try_get(1)?,
        step: row.try_get(2)?,
        to_level: row.try_get(3)?,
        division: row.try_get(4)?,
        valid_from: parse_date(&row.try_get::<String, _>(5)?)?,
        valid_until: row.try_get::<Option<String>, _>(6)?.map(|d| parse_date(&d)).transpose()?,
        document: row.try_get(7)?,
    })
}

fn parse_date(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| StoreError::Other(format!("bad date {text}: {e}")))
}

impl Store {
    /// Records an item version the first time it is seen; compares the content hash after that.
    pub async fn record_item_version(
        &self,
        item: &ServiceItem,
        content_hash: &str,
        content: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Recorded> {
        let mut tx = self.begin_write().await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT content_hash FROM item_versions WHERE slug = $1 AND version = $2")
                .bind(&item.slug)
                .bind(item.version.number as i64)
                .fetch_optional(&mut *tx)
                .await?;
        let outcome = match existing {
            Some(hash) if hash == content_hash => Recorded::Same,
            Some(_) => Recorded::Different,
            None => {
                sqlx::query(
                    "INSERT INTO item_versions (slug, version, effective_from, name, content_hash, content, reason, ordered_by, recorded_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&item.slug)
                .bind(item.version.number as i64)
                .bind(item.version.effective_from.to_string())
                .bind(&item.name)
                .bind(content_hash)
                .bind(content)
                .bind(&item.version.reason)
                .bind(&item.version.ordered_by)
                .bind(at.timestamp_millis())
                .execute(&mut *tx)
                .await?;
                let event = EventDraft::new(
                    format!("item:{}", item.slug),
                    "system",
                    "catalog.version",
                    serde_json::json!({"slug": item.slug, "version": item.version.number,
                        "effective_from": item.version.effective_from.to_string(), "reason": item.version.reason,
                        "ordered_by": item.version.ordered_by, "content_hash": content_hash}),
                );
                append(&mut tx, self.backend, &event, at).await?;
                Recorded::Added
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Delegations of an item (all of them; the engine checks the dates).
    pub async fn delegations(&self, item_slug: &str) -> StoreResult<Vec<DelegationRow>> {
        self.all_delegations(Some(item_slug)).await
    }

    /// Adds delegations (one row per division) and records the act, in one transaction.
    /// Returns the new rows' ids, in the order given.
    pub async fn add_delegations(
        &self,
        rows: &[DelegationRow],
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO delegations (item_slug, step, to_level, division_code, valid_from, valid_until, document, created_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&row.item_slug)
            .bind(&row.step)
            .bind(&row.to_level)
            .bind(&row.division)
            .bind(row.valid_from.to_string())
            .bind(row.valid_until.map(|d| d.to_string()))
            .bind(&row.document)
            .bind(at.timestamp_millis())
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// One delegation row.
    pub async fn delegation(&self, id: i64) -> StoreResult<DelegationRow> {
        let row = sqlx::query(&format!("SELECT {DELEGATION_COLUMNS} FROM delegations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        delegation_row(&row)
    }

    /// Every delegation, or those of one item, oldest first.
    pub async fn all_delegations(&self, item_slug: Option<&str>) -> StoreResult<Vec<DelegationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {DELEGATION_COLUMNS} FROM delegations WHERE ($1 = '' OR item_slug = $1) ORDER BY id"
        ))
        .bind(item_slug.unwrap_or(""))
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(delegation_row).collect()
    }

    /// Revokes a delegation from a date: it stays in force until the day before.
    pub async fn revoke_delegation(
        &self,
        id: i64,
        last_day: NaiveDate,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE delegations SET valid_until = $1 WHERE id = $2")
            .bind(last_day.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims, publishes or withdraws an item in a division, with its event.
    pub async fn set_publication(
        &self,
        slug: &str,
        division: &str,
        act: PublicationAct,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let ms = at.timestamp_millis();
        sqlx::query(
            "INSERT INTO item_publications (slug, division_code, updated_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (slug, division_code) DO NOTHING",
        )
        .bind(slug)
        .bind(division)
        .bind(ms)
        .execute(&mut *tx)
        .await?;
        let sql = match act {
            PublicationAct::Claim => "UPDATE item_publications SET claimed_at_ms = $1, updated_at_ms = $1 WHERE slug = $2 AND division_code = $3",
            PublicationAct::Publish => "UPDATE item_publications SET claimed_at_ms = COALESCE(claimed_at_ms, $1), published_at_ms = $1, withdrawn_at_ms = NULL, updated_at_ms = $1 WHERE slug = $2 AND division_code = $3",
            PublicationAct::Withdraw => "UPDATE item_publications SET withdrawn_at_ms = $1, updated_at_ms = $1 WHERE slug = $2 AND division_code = $3",
        };
        sqlx::query(sql).bind(ms).bind(slug).bind(division).execute(&mut *tx).await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publication states, optionally of one division.
    pub async fn publications(&self, division: Option<&str>) -> StoreResult<Vec<Publication>> {
        let rows = sqlx::query(
            "SELECT slug, division_code, claimed_at_ms, published_at_ms, withdrawn_at_ms FROM item_publications \
             WHERE ($1 = '' OR division_code = $1) ORDER BY slug, division_code",
        )
        .bind(division.unwrap_or(""))
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Publication {
                    slug: row.try_get(0)?,
                    division: row.try_get(1)?,
                    claimed_at_ms: row.try_get(2)?,
                    published_at_ms: row.try_get(3)?,
                    withdrawn_at_ms: row.try_get(4)?,
                })
            })
            .collect()
    }

    /// The recorded versions of an item (the public adjustment history): (version, effective
    /// from, name, reason, ordered by, recorded at).
    pub async fn item_history(&self, slug: &str) -> StoreResult<Vec<(i64, String, String, String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT version, effective_from, name, reason, ordered_by, recorded_at_ms FROM item_versions WHERE slug = $1 ORDER BY version",
        )
        .bind(slug)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                    row.try_get(5)?,
                ))
            })
            .collect()
    }
}
