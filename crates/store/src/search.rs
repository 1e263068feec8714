//! The read models of the staff search (`service::search`): persons by exact name, and the
//! cases of given applicants inside a scope.

use crate::cases::{row_to_case, CaseRow, COLUMNS};
use crate::persons::Scope;
use crate::{Store, StoreResult};

impl Store {
    /// The ids of the persons with exactly this name, newest first, at most `limit`.
    pub async fn person_ids_by_name(&self, name: &str, limit: i64) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM persons WHERE name = $1 ORDER BY id DESC LIMIT $2")
            .bind(name.to_string())
            .bind(limit)
            .fetch_all(&self.reads)
            .await?)
    }

    /// The cases whose applicant is one of `persons` and whose accepting or competent division
    /// is inside the scope (a coarse prefix filter; the caller checks the tree), newest first.
    pub async fn cases_of_applicants(&self, scope: &Scope, persons: &[i64], limit: i64) -> StoreResult<Vec<CaseRow>> {
        if persons.is_empty() {
            return Ok(Vec::new());
        }
        let n = scope.0.len();
        let ids: Vec<String> = (0..persons.len()).map(|i| format!("${}", 2 * n + 1 + i)).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE applicant_person_id IN ({}) AND ({} OR {}) ORDER BY id DESC LIMIT ${}",
            ids.join(", "),
            scope.clause("accepting_division", 1),
            scope.clause("competent_division", n + 1),
            2 * n + persons.len() + 1
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns().chain(scope.patterns()) {
            query = query.bind(pattern);
        }
        for id in persons {
            query = query.bind(*id);
        }
        let rows = query.bind(limit).fetch_all(&self.reads).await?;
        rows.iter().map(row_to_case).collect()
    }
}
