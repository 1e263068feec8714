//! 好差评: the citizen's rating of a completed case, one per case (the primary key of
//! `case_ratings` refuses a second, even two at the same instant), committed with its event on
//! the case's record stream.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::persons::Scope;
use crate::{Store, StoreError, StoreResult};

/// One stored rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub case_id: i64,
    /// The grade's key (`very_satisfied` … `very_dissatisfied`).
    pub grade: String,
    pub comment: String,
    pub accepting_division: String,
    pub competent_division: String,
    pub rated_at_ms: i64,
}

/// Ratings alike in their case's divisions and their grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingGroup {
    pub accepting_division: String,
    pub competent_division: String,
    pub grade: String,
    pub count: i64,
}

const COLUMNS: &str = "case_id, grade, comment, accepting_division, competent_division, rated_at_ms";

fn from_row(row: &sqlx::any::AnyRow) -> StoreResult<Rating> {
    Ok(Rating {
        case_id: row.try_get(0)?,
        grade: row.try_get(1)?,
        comment: row.try_get(2)?,
        accepting_division: row.try_get(3)?,
        competent_division: row.try_get(4)?,
        rated_at_ms: row.try_get(5)?,
    })
}

impl Store {
    /// Stores a rating and its event in one transaction. A case already rated: `Conflict`.
    pub async fn rate_case(&self, rating: &Rating, event: &EventDraft, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(&format!("INSERT INTO case_ratings ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"))
            .bind(rating.case_id)
            .bind(rating.grade.clone())
            .bind(rating.comment.clone())
            .bind(rating.accepting_division.clone())
            .bind(rating.competent_division.clone())
            .bind(rating.rated_at_ms)
            .execute(&mut *tx)
            .await;
        if let Err(err) = inserted {
            return Err(match StoreError::from(err) {
                StoreError::Conflict(_) => StoreError::Conflict("case_rated".into()),
                other => other,
            });
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rating of a case, if it has one.
    pub async fn case_rating(&self, case_id: i64) -> StoreResult<Option<Rating>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM case_ratings WHERE case_id = $1"))
            .bind(case_id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Ratings given in `[from_ms, to_ms)` whose case's accepting or competent division is
    /// inside the scope (a coarse prefix filter; the caller checks the tree), counted by the
    /// case's divisions and the grade.
    pub async fn rating_groups(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<RatingGroup>> {
        let n = scope.0.len();
        let keys = "accepting_division, competent_division, grade";
        let sql = format!(
            "SELECT {keys}, COUNT(*) FROM case_ratings WHERE rated_at_ms >= ${} AND rated_at_ms < ${} AND ({} OR {}) \
             GROUP BY {keys} ORDER BY {keys}",
            2 * n + 1,
            2 * n + 2,
            scope.clause("accepting_division", 1),
            scope.clause("competent_division", n + 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns().chain(scope.patterns()) {
            query = query.bind(pattern);
        }
        let rows = query.bind(from_ms).bind(to_ms).fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(RatingGroup {
                    accepting_division: r.try_get(0)?,
                    competent_division: r.try_get(1)?,
                    grade: r.try_get(2)?,
                    count: r.try_get(3)?,
                })
            })
            .collect()
    }
}
