//! 好差评: the citizen's rating of a completed case, one per case (the primary key of
//! `case_ratings` refuses a second, even two at the same instant), with a grade for each
//! indicator of its channel (`case_rating_grades`), committed with its event on the case's
//! record stream.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::rating::Grade;
use sqlx::Row;

use crate::audit::append;
use crate::persons::Scope;
use crate::{Store, StoreError, StoreResult};

/// One stored rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub case_id: i64,
    /// 整体满意度's grade key (`very_satisfied` … `very_dissatisfied`).
    pub grade: String,
    pub comment: String,
    pub accepting_division: String,
    pub competent_division: String,
    pub rated_at_ms: i64,
    /// `online` or `offline` (`domain::rating::RatingChannel`).
    pub channel: String,
    /// (indicator key, grade key) for every indicator rated, 整体满意度 among them.
    pub grades: Vec<(String, String)>,
}

impl Rating {
    /// A 差评 (不满意、非常不满意) on any indicator: the rating opens a rectification.
    pub fn is_bad(&self) -> bool {
        std::iter::once(&self.grade)
            .chain(self.grades.iter().map(|(_, g)| g))
            .any(|g| Grade::parse(g).is_some_and(|g| !g.is_good()))
    }
}

/// 不满意 and 非常不满意, the 差评 (国办发〔2019〕51号).
pub const BAD_GRADES_SQL: &str = "('dissatisfied', 'very_dissatisfied')";

/// Ratings alike in their case's divisions and their grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingGroup {
    pub accepting_division: String,
    pub competent_division: String,
    pub grade: String,
    pub count: i64,
}

/// Indicator grades alike in their case's divisions, channel, indicator and grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionGroup {
    pub accepting_division: String,
    pub competent_division: String,
    pub channel: String,
    pub dimension: String,
    pub grade: String,
    pub count: i64,
}

const COLUMNS: &str = "case_id, grade, comment, accepting_division, competent_division, rated_at_ms, channel";

fn from_row(row: &sqlx::any::AnyRow) -> StoreResult<Rating> {
    Ok(Rating {
        case_id: row.try_get(0)?,
        grade: row.try_get(1)?,
        comment: row.try_get(2)?,
        accepting_division: row.try_get(3)?,
        competent_division: row.try_get(4)?,
        rated_at_ms: row.try_get(5)?,
        channel: row.try_get(6)?,
        grades: Vec::new(),
    })
}

impl Store {
    /// Stores a rating, its indicators' grades and its event in one transaction. A case already
    /// rated: `Conflict`.
    pub async fn rate_case(&self, rating: &Rating, event: &EventDraft, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let inserted =
            sqlx::query(&format!("INSERT INTO case_ratings ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
                .bind(rating.case_id)
                .bind(rating.grade.clone())
                .bind(rating.comment.clone())
                .bind(rating.accepting_division.clone())
                .bind(rating.competent_division.clone())
                .bind(rating.rated_at_ms)
                .bind(rating.channel.clone())
                .execute(&mut *tx)
                .await;
        if let Err(err) = inserted {
            return Err(match StoreError::from(err) {
                StoreError::Conflict(_) => StoreError::Conflict("case_rated".into()),
                other => other,
            });
        }
        for (dimension, grade) in &rating.grades {
            sqlx::query("INSERT INTO case_rating_grades (case_id, dimension, grade) VALUES ($1, $2, $3)")
                .bind(rating.case_id)
                .bind(dimension.clone())
                .bind(grade.clone())
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rating of a case, if it has one.
    pub async fn case_rating(&self, case_id: i64) -> StoreResult<Option<Rating>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM case_ratings WHERE case_id = $1"))
            .bind(case_id)
            .fetch_optional(&self.reads)
            .await?;
        let Some(mut rating) = row.as_ref().map(from_row).transpose()? else { return Ok(None) };
        rating.grades = self.rating_grades(case_id).await?;
        Ok(Some(rating))
    }

    /// (indicator, grade) of a case's rating, in the order the indicators were stored.
    pub async fn rating_grades(&self, case_id: i64) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT dimension, grade FROM case_rating_grades WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(&self.reads)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Ratings given in `[from_ms, to_ms)` whose case's accepting or competent division is
    /// inside the scope (a coarse prefix filter; the caller checks the tree), counted by the
    /// case's divisions and the grade.
    pub async fn rating_groups(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<RatingGroup>> {
        let keys = "r.accepting_division, r.competent_division, r.grade";
        let rows = self.grouped_ratings("case_ratings r", keys, from_ms, to_ms, scope).await?;
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

    /// The indicators' grades of ratings given in `[from_ms, to_ms)` in the scope (as
    /// [`Store::rating_groups`]), counted by the case's divisions, channel, indicator and grade.
    pub async fn rating_dimension_groups(
        &self,
        from_ms: i64,
        to_ms: i64,
        scope: &Scope,
    ) -> StoreResult<Vec<DimensionGroup>> {
        let keys = "r.accepting_division, r.competent_division, r.channel, g.dimension, g.grade";
        let from = "case_ratings r JOIN case_rating_grades g ON g.case_id = r.case_id";
        let rows = self.grouped_ratings(from, keys, from_ms, to_ms, scope).await?;
        rows.iter()
            .map(|r| {
                Ok(DimensionGroup {
                    accepting_division: r.try_get(0)?,
                    competent_division: r.try_get(1)?,
                    channel: r.try_get(2)?,
                    dimension: r.try_get(3)?,
                    grade: r.try_get(4)?,
                    count: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// `SELECT keys, COUNT(*) FROM from … GROUP BY keys` over the ratings (alias `r`) given in
    /// `[from_ms, to_ms)` whose case's accepting or competent division is inside the scope.
    async fn grouped_ratings(
        &self,
        from: &str,
        keys: &str,
        from_ms: i64,
        to_ms: i64,
        scope: &Scope,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT {keys}, COUNT(*) FROM {from} WHERE r.rated_at_ms >= ${} AND r.rated_at_ms < ${} AND ({} OR {}) \
             GROUP BY {keys} ORDER BY {keys}",
            2 * n + 1,
            2 * n + 2,
            scope.clause("r.accepting_division", 1),
            scope.clause("r.competent_division", n + 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns().chain(scope.patterns()) {
            query = query.bind(pattern);
        }
        Ok(query.bind(from_ms).bind(to_ms).fetch_all(&self.reads).await?)
    }
}
