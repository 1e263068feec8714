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
        self.scoped_cases("closed_at_ms >= ?1 AND closed_at_ms < ?2", &[from_ms, to_ms], scope).await
    }

    /// Every case not closed yet (drafts excluded) inside the scope: the snapshot the overdue
    /// count is taken from.
    pub async fn open_cases(&self, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases("closed_at_ms IS NULL AND status <> 'draft'", &[], scope).await
    }
}
