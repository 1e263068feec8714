//! The division table: the built-in tree loaded at `init`, so that grants and records carry
//! foreign keys to real divisions.

use domain::division::Divisions;

use crate::{Store, StoreResult};

impl Store {
    /// Loads every division that is not in the table yet (parents first: the data is sorted
    /// by code). Returns how many were added. Safe to run twice.
    pub async fn load_divisions(&self, divisions: &Divisions) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for division in divisions.iter() {
            added += sqlx::query("INSERT INTO divisions (code, name, level, parent_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING")
                .bind(division.code.as_str())
                .bind(&division.name)
                .bind(division.level.as_str())
                .bind(division.parent.as_ref().map(|p| p.as_str().to_string()))
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    pub async fn division_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM divisions").fetch_one(&self.reads).await?)
    }
}
