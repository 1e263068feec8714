//! What the HTTP layer needs beyond the use cases: the record types it renders (named here so
//! that `web` depends on `service` only, never on `store`) and a few plain reads.

use domain::access::Actor;

use crate::{App, ServiceResult};

pub use store::accounts::Account;
pub use store::persons::{PersonFull, PersonSummary};
pub use store::sessions::SessionKind;

/// One imported calendar version, without its data.
#[derive(Debug, Clone)]
pub struct CalendarVersionInfo {
    pub version: String,
    pub source: String,
    /// The years the version covers, e.g. `2020,2021,2022`.
    pub years: String,
    pub imported_at_ms: i64,
}

impl App {
    /// Checks that the database answers (for `/healthz`).
    pub async fn ping(&self) -> ServiceResult<()> {
        Ok(self.store.ping().await?)
    }

    /// The account behind an authenticated actor (display name, grants), for `/me` and pages.
    pub async fn account_of(&self, actor: &Actor) -> ServiceResult<Account> {
        Ok(self.store.account(actor.account_id).await?)
    }

    /// Every imported calendar version, newest first. Public: the calendar is public data.
    pub async fn calendar_versions(&self) -> ServiceResult<Vec<CalendarVersionInfo>> {
        let rows = self.store.calendar_versions().await?;
        Ok(rows
            .into_iter()
            .map(|(version, source, years, imported_at_ms)| CalendarVersionInfo {
                version,
                source,
                years,
                imported_at_ms,
            })
            .collect())
    }
}
