//! Read models for the service metrics (`service::stats`): the case rows a period's figures are
//! computed from. Aggregation is not done in SQL: the rows go to pure functions, which are unit
//! tested and say which definition they use.

use crate::cases::{row_to_case, CaseRow, COLUMNS};
use crate::persons::Scope;
use crate::{Store, StoreResult};

impl Store {
    /// Cases closed in `[from_ms, to_ms)` whose accepting or competent division is inside the
    /// scope (a coarse prefix filter; the caller checks the tree), oldest first.
    pub async fn cases_closed_between(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE closed_at_ms >= ${} AND closed_at_ms < ${} AND ({} OR {}) ORDER BY id",
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
        rows.iter().map(row_to_case).collect()
    }

    /// Every case not closed yet (drafts excluded) inside the scope: the snapshot the overdue
    /// count is taken from.
    pub async fn open_cases(&self, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE closed_at_ms IS NULL AND status <> 'draft' AND ({} OR {}) ORDER BY id",
            scope.clause("accepting_division", 1),
            scope.clause("competent_division", n + 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns().chain(scope.patterns()) {
            query = query.bind(pattern);
        }
        let rows = query.fetch_all(&self.read).await?;
        rows.iter().map(row_to_case).collect()
    }
}
