//! Read models for the service metrics (`service::stats`): the case rows a period's figures are
//! computed from. Aggregation is not done in SQL: the rows go to pure functions, which are unit
//! tested and say which definition they use.

use crate::cases::CaseRow;
use crate::persons::Scope;
use crate::{Store, StoreResult};

impl Store {
    /// Cases closed in `[from_ms, to_ms)` whose accepting or competent division is inside the
    /// scope (a coarse prefix filter; the caller checks the tree), oldest first.
    pub async fn cases_closed_between(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases("closed_at_ms >= ?1 AND closed_at_ms < ?2", &[from_ms, to_ms], scope, true).await
    }

    /// Every case not closed yet (drafts excluded) inside the scope: the snapshot the overdue
    /// count is taken from (columns only: `state` is left empty, the count reads the due date).
    pub async fn open_cases(&self, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases("closed_at_ms IS NULL AND status <> 'draft'", &[], scope, false).await
    }

    /// [`Store::open_cases`] with each case's state, for figures that ask the engine about a
    /// case (the dashboard's 临期, from the deadline's warning).
    pub async fn open_cases_with_state(&self, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases("closed_at_ms IS NULL AND status <> 'draft'", &[], scope, true).await
    }

    /// How many cases are on record (benchmark output).
    pub async fn case_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&self.read).await?)
    }

    /// How many marriage registrations are on record (benchmark output).
    pub async fn registration_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM marital_registrations").fetch_one(&self.read).await?)
    }

    /// The database's floor under the metrics of a period: counting the cases submitted in
    /// `[from_ms, to_ms)` and closed in it, and the open ones (the three sets the metrics read),
    /// without reading them out. For `bench stats`.
    pub async fn raw_case_scan(&self, from_ms: i64, to_ms: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM cases WHERE submitted_at_ms >= $1 AND submitted_at_ms < $2) \
             + (SELECT COUNT(*) FROM cases WHERE closed_at_ms >= $1 AND closed_at_ms < $2) \
             + (SELECT COUNT(*) FROM cases WHERE closed_at_ms IS NULL AND status <> 'draft')",
        )
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await?)
    }

    /// The same floor under the marriage statistics: counting the period's registrations.
    pub async fn raw_registration_scan(&self, from: &str, to: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM marital_registrations WHERE on_date >= $1 AND on_date <= $2")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&self.read)
            .await?)
    }
}
