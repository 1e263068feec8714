//! The day each once-a-day sweep job last ran (`sweep_marks`), durable across restarts and
//! shared by every server on the database, so a daily job runs once a day whoever sweeps.

use crate::{Store, StoreResult};

impl Store {
    /// The last day a once-a-day sweep job ran, if ever.
    pub async fn sweep_mark(&self, job: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT last_day FROM sweep_marks WHERE job = $1")
            .bind(job)
            .fetch_optional(&self.reads)
            .await?)
    }

    /// Remembers that a once-a-day sweep job ran on `day` (ISO date).
    pub async fn set_sweep_mark(&self, job: &str, day: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sweep_marks (job, last_day) VALUES ($1, $2) \
             ON CONFLICT (job) DO UPDATE SET last_day = excluded.last_day",
        )
        .bind(job)
        .bind(day)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
