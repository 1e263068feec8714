//! 提标 adjustments (migration 0012): one row per paying decision adjusted to a raised standard,
//! written with its event in one transaction; the payment roll reads them next to the decisions.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::{Store, StoreResult};

/// A confirmed adjustment of decision `decision_id` (case `case_id`) to the rule `rule_version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaiseRow {
    pub id: i64,
    pub rule_version: String,
    pub decision_id: i64,
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub county: String,
    pub payee: i64,
    /// JSON array of person ids.
    pub covered: String,
    pub before_fen: i64,
    pub amount_fen: i64,
    pub first_month: String,
    pub last_month: Option<String>,
    /// JSON array of the trace lines.
    pub trace: String,
    pub confirmed_by: String,
    pub confirmed_on: String,
}

const COLUMNS: &str = "id, rule_version, decision_id, case_id, household_id, program, county, payee, covered, \
                       before_fen, amount_fen, first_month, last_month, trace, confirmed_by, confirmed_on";

fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<RaiseRow> {
    Ok(RaiseRow {
        id: r.try_get("id")?,
        rule_version: r.try_get("rule_version")?,
        decision_id: r.try_get("decision_id")?,
        case_id: r.try_get("case_id")?,
        household_id: r.try_get("household_id")?,
        program: r.try_get("program")?,
        county: r.try_get("county")?,
        payee: r.try_get("payee")?,
        covered: r.try_get("covered")?,
        before_fen: r.try_get("before_fen")?,
        amount_fen: r.try_get("amount_fen")?,
        first_month: r.try_get("first_month")?,
        last_month: r.try_get("last_month")?,
        trace: r.try_get("trace")?,
        confirmed_by: r.try_get("confirmed_by")?,
        confirmed_on: r.try_get("confirmed_on")?,
    })
}

impl Store {
    /// Writes a confirmed adjustment and its event in one transaction. A second confirmation of
    /// the same decision under the same rule version is `StoreError::Conflict`.
    pub async fn commit_raise_adjustment(
        &self,
        row: &RaiseRow,
        event: &EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO assistance_raise_adjustments (rule_version, decision_id, case_id, household_id, program, \
             county, payee, covered, before_fen, amount_fen, first_month, last_month, trace, confirmed_by, \
             confirmed_on, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(&row.rule_version)
        .bind(row.decision_id)
        .bind(row.case_id)
        .bind(row.household_id)
        .bind(&row.program)
        .bind(&row.county)
        .bind(row.payee)
        .bind(&row.covered)
        .bind(row.before_fen)
        .bind(row.amount_fen)
        .bind(&row.first_month)
        .bind(row.last_month.clone())
        .bind(&row.trace)
        .bind(&row.confirmed_by)
        .bind(&row.confirmed_on)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The confirmed adjustments of a county, oldest first.
    pub async fn raise_adjustments_of_county(&self, county: &str) -> StoreResult<Vec<RaiseRow>> {
        let sql = format!("SELECT {COLUMNS} FROM assistance_raise_adjustments WHERE county = $1 ORDER BY id");
        let rows = sqlx::query(&sql).bind(county).fetch_all(&self.reads).await?;
        rows.iter().map(from_row).collect()
    }
}
