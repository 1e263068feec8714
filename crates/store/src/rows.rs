//! What the areas' own tables share (`verticals/<area>`): a stored date read back, the error
//! for a value a row should never hold, and a new matter's row written with its first event.
//! Generic: it names no area.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;

use crate::audit::append;
use crate::{Store, StoreError, StoreResult};

/// An `INSERT … RETURNING id` with its values bound.
pub(crate) type InsertReturningId<'q> = sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>>;

/// A value a row should never hold (a kind no parser knows, a date that is not one): the
/// record is wrong, not the request.
pub(crate) fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Other(format!("bad {what} in record: {value}"))
}

/// A date as stored (`YYYY-MM-DD`).
pub(crate) fn date(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad("date", text))
}

/// A date column that may be empty.
pub(crate) fn opt_date(text: Option<String>) -> StoreResult<Option<NaiveDate>> {
    text.as_deref().map(date).transpose()
}

impl Store {
    /// A new matter: its row (`insert`) and its first event (`event`, which names the new id),
    /// in one transaction, so there is never a matter without its event nor an event without
    /// its matter. A unique key the row breaks is [`StoreError::Conflict`], nothing written.
    pub(crate) async fn insert_with_event(
        &self,
        insert: InsertReturningId<'_>,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert.fetch_one(&mut *tx).await?;
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }
}
