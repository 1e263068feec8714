//! Login sessions (browser cookies) and API tokens. Only a hash of the token is stored, so a
//! copy of the database does not let anyone log in.

use chrono::{DateTime, Utc};
use sqlx::Row;

use domain::audit::EventDraft;

use crate::accounts::{grant_from_columns, Account};
use crate::audit::append;
use crate::{Store, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Cookie,
    Token,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Cookie => "cookie",
            SessionKind::Token => "token",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub account_id: i64,
    pub kind: String,
    pub csrf_token: String,
    pub expires_at_ms: i64,
}

impl Store {
    #[allow(clippy::too_many_arguments)] // one per column of the session row, plus its event
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        kind: SessionKind,
        csrf_token: &str,
        at: DateTime<Utc>,
        expires: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, kind, csrf_token, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(kind.as_str())
        .bind(csrf_token)
        .bind(at.timestamp_millis())
        .bind(expires.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live session behind `token_hash` at `at` (not revoked, not expired, its account not
    /// disabled) with its account and grants: one query, as every authenticated request asks it
    /// (three queries before, each a round trip to a pooled connection and back).
    pub async fn live_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<Option<(Session, Account)>> {
        let rows = sqlx::query(
            "SELECT s.account_id, s.kind, s.csrf_token, s.expires_at_ms, a.username, a.display_name, a.created_at_ms, \
                    g.role, g.division_code, a.person_id \
             FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN grants g ON g.account_id = a.id \
             WHERE s.token_hash = $1 AND s.revoked_at_ms IS NULL AND s.expires_at_ms > $2 AND a.disabled_at_ms IS NULL \
             ORDER BY g.id",
        )
        .bind(token_hash)
        .bind(at.timestamp_millis())
        .fetch_all(&self.reads)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let session = Session {
            account_id: first.try_get(0)?,
            kind: first.try_get(1)?,
            csrf_token: first.try_get(2)?,
            expires_at_ms: first.try_get(3)?,
        };
        let mut grants = Vec::with_capacity(rows.len());
        for row in &rows {
            if row.try_get::<Option<String>, _>(7)?.is_some() {
                grants.push(grant_from_columns(row, 7)?);
            }
        }
        let account = Account {
            id: session.account_id,
            username: first.try_get(4)?,
            display_name: first.try_get(5)?,
            disabled: false,
            grants,
            created_at_ms: first.try_get(6)?,
            person_id: first.try_get(9)?,
        };
        Ok(Some((session, account)))
    }

    /// Revokes one session; returns whether it was live.
    /// Revokes one session and records the logout (only when it was live).
    pub async fn revoke_session(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let account: Option<i64> =
            sqlx::query_scalar("SELECT account_id FROM sessions WHERE token_hash = $1 AND revoked_at_ms IS NULL")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(account_id) = account else { return Ok(false) };
        let n = sqlx::query("UPDATE sessions SET revoked_at_ms = $1 WHERE token_hash = $2 AND revoked_at_ms IS NULL")
            .bind(at.timestamp_millis())
            .bind(token_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            append(&mut tx, self.backend, &event(account_id), at).await?;
        }
        tx.commit().await?;
        Ok(n > 0)
    }
}
