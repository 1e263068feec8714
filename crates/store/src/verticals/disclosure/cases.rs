//! Requests as cases of the item `government-information-request` (the area's migration 0001):
//! the answer a case's decide act records, written by the act's
//! [`crate::verticals::Effect::DisclosureAnswer`] in the act's one transaction, and the
//! remedies taken against it, each with its event on the case's stream. The report reads the
//! cases of the item with their answers beside the requests of `disclosure_requests`.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::verticals::disclosure::{AnswerKind, RemedyKind, RemedyResult, WithholdReason};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::rows::{bad, date};
use crate::verticals::{ActConflict, ActError, Produced};
use crate::{Store, StoreResult};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "case_answers",
    sqlite: include_str!("migrations/sqlite/0001_case_answers.sql"),
    postgres: include_str!("migrations/postgres/0001_case_answers.sql"),
}];

/// The answer of a request case (one per case: the primary key refuses a second).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAnswer {
    pub case_id: i64,
    /// The competent division (the organ that answered), which scopes the report.
    pub division: String,
    pub kind: AnswerKind,
    pub withhold_reason: Option<WithholdReason>,
    pub fee_charged: bool,
    pub answered_on: NaiveDate,
}

/// A remedy against a request case's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRemedy {
    pub id: i64,
    pub case_id: i64,
    pub kind: RemedyKind,
    pub result: RemedyResult,
    pub filed_on: NaiveDate,
    pub note: String,
}

/// One case of the item as the report reads it: its state (the receipt and the facts are in
/// it) and its answer, if answered.
#[derive(Debug, Clone)]
pub struct CaseReportRow {
    pub case_id: i64,
    pub division: String,
    pub state: String,
    pub answer: Option<CaseAnswer>,
}

/// Writes the answer inside the decide act's transaction.
pub(crate) async fn apply_answer(
    conn: &mut sqlx::AnyConnection,
    answer: &CaseAnswer,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT case_id FROM disclosure_case_answers WHERE case_id = $1")
        .bind(answer.case_id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_some() {
        return Err(ActError::Conflict(ActConflict::DecisionExists));
    }
    sqlx::query(
        "INSERT INTO disclosure_case_answers (case_id, division, kind, withhold_reason, fee_charged, answered_on, recorded_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(answer.case_id)
    .bind(&answer.division)
    .bind(answer.kind.as_str())
    .bind(answer.withhold_reason.map(|r| r.as_str()))
    .bind(i64::from(answer.fee_charged))
    .bind(answer.answered_on.to_string())
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await?;
    Ok(Produced::DisclosureAnswer { case_id: answer.case_id })
}

const ANSWER_COLUMNS: &str = "a.case_id, a.division, a.kind, a.withhold_reason, a.fee_charged, a.answered_on";

/// Reads an answer from the columns of [`ANSWER_COLUMNS`] starting at `at`.
fn answer_from_row(r: &sqlx::any::AnyRow, at: usize) -> StoreResult<Option<CaseAnswer>> {
    let Some(case_id) = r.try_get::<Option<i64>, _>(at)? else { return Ok(None) };
    let kind: String = r.try_get(at + 2)?;
    let reason: Option<String> = r.try_get(at + 3)?;
    Ok(Some(CaseAnswer {
        case_id,
        division: r.try_get(at + 1)?,
        kind: AnswerKind::parse(&kind).ok_or_else(|| bad("answer kind", &kind))?,
        withhold_reason: reason.as_deref().and_then(WithholdReason::parse),
        fee_charged: r.try_get::<i64, _>(at + 4)? != 0,
        answered_on: date(&r.try_get::<String, _>(at + 5)?)?,
    }))
}

fn remedy_from_row(r: &sqlx::any::AnyRow) -> StoreResult<CaseRemedy> {
    let kind: String = r.try_get(2)?;
    let result: String = r.try_get(3)?;
    Ok(CaseRemedy {
        id: r.try_get(0)?,
        case_id: r.try_get(1)?,
        kind: RemedyKind::parse(&kind).ok_or_else(|| bad("remedy kind", &kind))?,
        result: RemedyResult::parse(&result).ok_or_else(|| bad("remedy result", &result))?,
        filed_on: date(&r.try_get::<String, _>(4)?)?,
        note: r.try_get(5)?,
    })
}

const REMEDY_COLUMNS: &str = "m.id, m.case_id, m.kind, m.result, m.filed_on, m.note";

impl Store {
    /// A request case's answer and the remedies against it.
    pub async fn disclosure_case_record(&self, case_id: i64) -> StoreResult<(Option<CaseAnswer>, Vec<CaseRemedy>)> {
        let row = sqlx::query(&format!("SELECT {ANSWER_COLUMNS} FROM disclosure_case_answers a WHERE a.case_id = $1"))
            .bind(case_id)
            .fetch_optional(&self.reads)
            .await?;
        let answer = match row {
            Some(r) => answer_from_row(&r, 0)?,
            None => None,
        };
        let rows = sqlx::query(&format!(
            "SELECT {REMEDY_COLUMNS} FROM disclosure_case_remedies m WHERE m.case_id = $1 ORDER BY m.id"
        ))
        .bind(case_id)
        .fetch_all(&self.reads)
        .await?;
        let remedies = rows.iter().map(remedy_from_row).collect::<StoreResult<Vec<_>>>()?;
        Ok((answer, remedies))
    }

    /// The cases of `item_slug` whose competent division is inside the scope (a prefix filter;
    /// the caller checks the tree), with their answers, oldest first.
    pub async fn disclosure_case_rows(&self, scope: &Scope, item_slug: &str) -> StoreResult<Vec<CaseReportRow>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT c.id, c.competent_division, c.state, {ANSWER_COLUMNS} FROM cases c \
             LEFT JOIN disclosure_case_answers a ON a.case_id = c.id WHERE c.item_slug = ${} AND {} ORDER BY c.id",
            n + 1,
            scope.clause("c.competent_division", 1),
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let rows = query.bind(item_slug).fetch_all(&self.reads).await?;
        rows.iter()
            .map(|r| {
                Ok(CaseReportRow {
                    case_id: r.try_get(0)?,
                    division: r.try_get(1)?,
                    state: r.try_get(2)?,
                    answer: answer_from_row(r, 3)?,
                })
            })
            .collect()
    }

    /// The remedies against answered cases in the scope, with the answering division.
    pub async fn disclosure_case_remedies(&self, scope: &Scope) -> StoreResult<Vec<(String, CaseRemedy)>> {
        let sql = format!(
            "SELECT {REMEDY_COLUMNS}, a.division FROM disclosure_case_remedies m \
             JOIN disclosure_case_answers a ON a.case_id = m.case_id WHERE {} ORDER BY m.id",
            scope.clause("a.division", 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let rows = query.fetch_all(&self.reads).await?;
        rows.iter().map(|r| Ok((r.try_get(6)?, remedy_from_row(r)?))).collect()
    }

    /// Records a remedy against an answered case (new, or a new result of `remedy_id`) and its
    /// event, in one transaction.
    pub async fn put_disclosure_case_remedy(
        &self,
        remedy_id: Option<i64>,
        remedy: &CaseRemedy,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = super::write_remedy(
            &mut tx,
            super::RemedyOwner::Case(remedy.case_id),
            remedy_id,
            (remedy.kind, remedy.result, remedy.filed_on, &remedy.note),
            recorded_by,
            at,
        )
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(id)
    }
}
