//! 法治政府建设台账: the area's table (its own migrations, `migrations/`): the records of the eight
//! registers, each its canonical values as JSON (checked by `domain::verticals::rule_of_law::parse`
//! before they are written and read back through it). A write and its events commit in one
//! transaction; an import writes every row or none.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::verticals::rule_of_law::{parse, Entry, Register};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::rows::bad;
use crate::{Store, StoreError, StoreResult};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "rule_of_law",
    sqlite: include_str!("migrations/sqlite/0001_rule_of_law.sql"),
    postgres: include_str!("migrations/postgres/0001_rule_of_law.sql"),
}];

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    pub id: i64,
    /// Bumped by every change; a change under an older revision is refused.
    pub revision: i64,
    pub entry: Entry,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const COLUMNS: &str = "id, register, fields, revision, created_at_ms, updated_at_ms";

fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<RecordRow> {
    let register: String = r.try_get(1)?;
    let register = Register::parse(&register).ok_or_else(|| bad("register", &register))?;
    let fields: String = r.try_get(2)?;
    let values: BTreeMap<String, String> = serde_json::from_str(&fields).map_err(|_| bad("fields", &fields))?;
    let entry = parse(register, &values).map_err(|_| bad("fields", &fields))?;
    Ok(RecordRow {
        id: r.try_get(0)?,
        entry,
        revision: r.try_get(3)?,
        created_at_ms: r.try_get(4)?,
        updated_at_ms: r.try_get(5)?,
    })
}

fn fields_json(entry: &Entry) -> StoreResult<String> {
    serde_json::to_string(&entry.values).map_err(|e| StoreError::Other(format!("rule_of_law: {e}")))
}

impl Store {
    /// Adds records (one from a form, every row of a workbook) and an event per record, in one
    /// transaction: all of them or none.
    pub async fn rule_of_law_add(
        &self,
        entries: &[Entry],
        created_by: i64,
        at: DateTime<Utc>,
        event: impl Fn(i64, &Entry) -> EventDraft,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(entries.len());
        for entry in entries {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO rule_of_law_records (register, division, day, until, fields, revision, created_by, \
                 created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $7) RETURNING id",
            )
            .bind(entry.register.as_str())
            .bind(entry.division.as_str())
            .bind(entry.date.to_string())
            .bind(entry.until.map(|d| d.to_string()))
            .bind(fields_json(entry)?)
            .bind(created_by)
            .bind(at.timestamp_millis())
            .fetch_one(&mut *tx)
            .await?;
            append(&mut tx, self.backend, &event(id, entry), at).await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Replaces a record's values under the revision the caller read: changed since is
    /// `Conflict("rule_of_law_conflict")`, gone is `NotFound`.
    pub async fn rule_of_law_change(
        &self,
        id: i64,
        expected_revision: i64,
        entry: &Entry,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE rule_of_law_records SET division = $1, day = $2, until = $3, fields = $4, \
             revision = revision + 1, updated_at_ms = $5 WHERE id = $6 AND revision = $7 AND register = $8",
        )
        .bind(entry.division.as_str())
        .bind(entry.date.to_string())
        .bind(entry.until.map(|d| d.to_string()))
        .bind(fields_json(entry)?)
        .bind(at.timestamp_millis())
        .bind(id)
        .bind(expected_revision)
        .bind(entry.register.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM rule_of_law_records WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("rule_of_law_conflict".into()),
                None => StoreError::NotFound,
            });
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One record.
    pub async fn rule_of_law_record(&self, id: i64) -> StoreResult<RecordRow> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM rule_of_law_records WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    /// The records of a register (every register with `None`) inside the scope, by date then id.
    pub async fn rule_of_law_records(&self, register: Option<Register>, scope: &Scope) -> StoreResult<Vec<RecordRow>> {
        let (filter, first) = match register {
            Some(_) => ("register = $1 AND ", 2),
            None => ("", 1),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM rule_of_law_records WHERE {filter}{} ORDER BY day, id",
            scope.clause("division", first)
        );
        let mut query = sqlx::query(&sql);
        if let Some(register) = register {
            query = query.bind(register.as_str());
        }
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        query.fetch_all(&self.reads).await?.iter().map(from_row).collect()
    }
}
