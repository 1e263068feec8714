//! 双随机、一公开: the declared conflicts of interest, the draws with their seed and canonical
//! input, and the drawn lines with their published results (migration 0002). Every write appends
//! its event in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::persons::Scope;
use crate::rows::{date, opt_date};
use crate::{Store, StoreError, StoreResult};

/// A declared conflict: the officer does not inspect the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub officer_id: i64,
    pub credit_code: String,
    pub reason: String,
    pub declared_on: NaiveDate,
}

/// A drawn organization and its two inspectors, with the result once published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRow {
    pub position: i64,
    pub credit_code: String,
    pub name: String,
    pub inspectors: [i64; 2],
    pub checked_on: Option<NaiveDate>,
    pub finding: Option<String>,
    pub note: Option<String>,
    pub published_on: Option<NaiveDate>,
}

/// A draw to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDraw {
    pub division: String,
    pub kind: String,
    pub drawn_on: NaiveDate,
    pub seed: String,
    /// The canonical input as JSON.
    pub input: String,
    pub input_sm3: String,
    pub drawn_by: i64,
    /// (credit code, name, the two inspectors), in draw order.
    pub lines: Vec<(String, String, [i64; 2])>,
}

/// A draw as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawRow {
    pub id: i64,
    pub division: String,
    pub kind: String,
    pub drawn_on: NaiveDate,
    pub seed: String,
    pub input: String,
    pub input_sm3: String,
    pub lines: Vec<LineRow>,
}

/// A result to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResult {
    pub draw_id: i64,
    pub position: i64,
    pub checked_on: NaiveDate,
    pub finding: String,
    pub note: String,
    pub published_on: NaiveDate,
}

const DRAW_COLUMNS: &str = "id, division, kind, drawn_on, seed, input, input_sm3";

fn draw_from_row(r: &sqlx::any::AnyRow) -> StoreResult<DrawRow> {
    Ok(DrawRow {
        id: r.try_get(0)?,
        division: r.try_get(1)?,
        kind: r.try_get(2)?,
        drawn_on: date(&r.try_get::<String, _>(3)?)?,
        seed: r.try_get(4)?,
        input: r.try_get(5)?,
        input_sm3: r.try_get(6)?,
        lines: Vec::new(),
    })
}

impl Store {
    /// Records a declared conflict and its event; one per officer and organization
    /// (`Conflict("inspector_conflict_taken")`).
    pub async fn enforcement_add_conflict(
        &self,
        row: &ConflictRow,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM enforcement_conflicts WHERE officer_id = $1 AND credit_code = $2")
                .bind(row.officer_id)
                .bind(&row.credit_code)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict("inspector_conflict_taken".into()));
        }
        sqlx::query(
            "INSERT INTO enforcement_conflicts (officer_id, credit_code, reason, declared_on, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.officer_id)
        .bind(&row.credit_code)
        .bind(&row.reason)
        .bind(row.declared_on.to_string())
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every declared conflict.
    pub async fn enforcement_conflicts(&self) -> StoreResult<Vec<ConflictRow>> {
        sqlx::query(
            "SELECT officer_id, credit_code, reason, declared_on FROM enforcement_conflicts ORDER BY officer_id, credit_code",
        )
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| {
            Ok(ConflictRow {
                officer_id: r.try_get(0)?,
                credit_code: r.try_get(1)?,
                reason: r.try_get(2)?,
                declared_on: date(&r.try_get::<String, _>(3)?)?,
            })
        })
        .collect()
    }

    /// Stores a draw, its lines and its event, in one transaction.
    pub async fn enforcement_add_draw(
        &self,
        draw: &NewDraw,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enforcement_draws (division, kind, drawn_on, seed, input, input_sm3, drawn_by, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&draw.division)
        .bind(&draw.kind)
        .bind(draw.drawn_on.to_string())
        .bind(&draw.seed)
        .bind(&draw.input)
        .bind(&draw.input_sm3)
        .bind(draw.drawn_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        for (position, (code, name, inspectors)) in draw.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO enforcement_draw_lines (draw_id, position, credit_code, name, officer_a, officer_b) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(code)
            .bind(name)
            .bind(inspectors[0])
            .bind(inspectors[1])
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn enforcement_attach_lines(&self, mut draws: Vec<DrawRow>) -> StoreResult<Vec<DrawRow>> {
        if draws.is_empty() {
            return Ok(draws);
        }
        let lines = sqlx::query(
            "SELECT draw_id, position, credit_code, name, officer_a, officer_b, checked_on, finding, note, published_on \
             FROM enforcement_draw_lines ORDER BY draw_id, position",
        )
        .fetch_all(&self.reads)
        .await?;
        for r in &lines {
            let draw_id: i64 = r.try_get(0)?;
            if let Some(draw) = draws.iter_mut().find(|d| d.id == draw_id) {
                draw.lines.push(LineRow {
                    position: r.try_get(1)?,
                    credit_code: r.try_get(2)?,
                    name: r.try_get(3)?,
                    inspectors: [r.try_get(4)?, r.try_get(5)?],
                    checked_on: opt_date(r.try_get(6)?)?,
                    finding: r.try_get(7)?,
                    note: r.try_get(8)?,
                    published_on: opt_date(r.try_get(9)?)?,
                });
            }
        }
        Ok(draws)
    }

    /// The draws of bodies inside the scope, newest first, with their lines.
    pub async fn enforcement_draws(&self, scope: &Scope) -> StoreResult<Vec<DrawRow>> {
        let sql = format!(
            "SELECT {DRAW_COLUMNS} FROM enforcement_draws WHERE {} ORDER BY drawn_on DESC, id DESC",
            scope.clause("division", 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let draws = query.fetch_all(&self.reads).await?.iter().map(draw_from_row).collect::<StoreResult<Vec<_>>>()?;
        self.enforcement_attach_lines(draws).await
    }

    /// One draw with its lines.
    pub async fn enforcement_draw(&self, id: i64) -> StoreResult<DrawRow> {
        let row = sqlx::query(&format!("SELECT {DRAW_COLUMNS} FROM enforcement_draws WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let draw = draw_from_row(&row)?;
        self.enforcement_attach_lines(vec![draw]).await?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Publishes the result of one drawn line with its event; a line already published is
    /// `Conflict("result_recorded")`, an unknown one `NotFound`.
    pub async fn enforcement_record_result(
        &self,
        result: &NewResult,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE enforcement_draw_lines SET checked_on = $1, finding = $2, note = $3, published_on = $4 \
             WHERE draw_id = $5 AND position = $6 AND finding IS NULL",
        )
        .bind(result.checked_on.to_string())
        .bind(&result.finding)
        .bind(&result.note)
        .bind(result.published_on.to_string())
        .bind(result.draw_id)
        .bind(result.position)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT position FROM enforcement_draw_lines WHERE draw_id = $1 AND position = $2")
                    .bind(result.draw_id)
                    .bind(result.position)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(if exists.is_some() {
                StoreError::Conflict("result_recorded".into())
            } else {
                StoreError::NotFound
            });
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }
}
