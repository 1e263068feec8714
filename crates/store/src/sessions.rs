//! Login sessions (browser cookies) and API tokens. Only a hash of the token is stored, so a
//! copy of the database does not let anyone log in.

use chrono::{DateTime, Utc};
use sqlx::Row;

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
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        kind: SessionKind,
        csrf_token: &str,
        at: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, kind, csrf_token, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(kind.as_str())
        .bind(csrf_token)
        .bind(at.timestamp_millis())
        .bind(expires.timestamp_millis())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The live session for a token hash: not revoked, not expired at `at`, account enabled.
    pub async fn live_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<Option<Session>> {
        let row = sqlx::query(
            "SELECT s.account_id, s.kind, s.csrf_token, s.expires_at_ms FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.revoked_at_ms IS NULL AND s.expires_at_ms > $2 AND a.disabled_at_ms IS NULL",
        )
        .bind(token_hash)
        .bind(at.timestamp_millis())
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            Ok(Session {
                account_id: row.try_get(0)?,
                kind: row.try_get(1)?,
                csrf_token: row.try_get(2)?,
                expires_at_ms: row.try_get(3)?,
            })
        })
        .transpose()
    }

    /// Revokes one session; returns whether it was live.
    pub async fn revoke_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let n = sqlx::query("UPDATE sessions SET revoked_at_ms = $1 WHERE token_hash = $2 AND revoked_at_ms IS NULL")
            .bind(at.timestamp_millis())
            .bind(token_hash)
            .execute(&self.write)
            .await?
            .rows_affected();
        Ok(n > 0)
    }
}
