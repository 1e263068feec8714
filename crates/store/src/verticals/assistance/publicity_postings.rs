//! Where and when a 公示 notice was posted (migration 0014), recorded with its event.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::cases::{touch_case, CaseTouch};
use crate::{Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingRow {
    pub id: i64,
    pub case_id: i64,
    pub place: String,
    pub posted_at_ms: i64,
    pub recorded_by: i64,
    pub recorded_at_ms: i64,
}

impl Store {
    /// Records a posting of a case's 公示 notice and its event, in one transaction.
    #[allow(clippy::too_many_arguments)] // one posting's fields, its event and its case write
    pub async fn put_publicity_posting(
        &self,
        case_id: i64,
        place: &str,
        posted_at_ms: i64,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
        touch: Option<&CaseTouch<'_>>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if let Some(touch) = touch {
            touch_case(&mut tx, touch, at).await?;
        }
        sqlx::query(
            "INSERT INTO assistance_publicity_postings (case_id, place, posted_at_ms, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case_id)
        .bind(place)
        .bind(posted_at_ms)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The postings of a case's 公示, in the order they were posted.
    pub async fn publicity_postings(&self, case_id: i64) -> StoreResult<Vec<PostingRow>> {
        let rows = sqlx::query(
            "SELECT id, case_id, place, posted_at_ms, recorded_by, recorded_at_ms FROM assistance_publicity_postings \
             WHERE case_id = $1 ORDER BY posted_at_ms, id",
        )
        .bind(case_id)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PostingRow {
                    id: r.try_get(0)?,
                    case_id: r.try_get(1)?,
                    place: r.try_get(2)?,
                    posted_at_ms: r.try_get(3)?,
                    recorded_by: r.try_get(4)?,
                    recorded_at_ms: r.try_get(5)?,
                })
            })
            .collect()
    }
}
