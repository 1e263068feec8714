//! Accounts and their grants. Password hashes arrive already hashed (argon2id, in `service`).

use chrono::{DateTime, Utc};
use domain::access::{Grant, Role};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use sqlx::Row;

use crate::audit::append;
use crate::{Store, StoreError, StoreResult};

#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub grants: Vec<Grant>,
    pub created_at_ms: i64,
    /// A citizen's account: the person it belongs to (实名绑定). Staff accounts have none.
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub grants: Vec<Grant>,
    /// The person a citizen's account belongs to; `Conflict("person")` when another account
    /// already belongs to them.
    pub person_id: Option<i64>,
}

impl Store {
    /// Creates an account with its grants and records `account.create` in one transaction.
    /// The event is built by `event` from the new id.
    pub async fn create_account(
        &self,
        account: &NewAccount,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let ms = at.timestamp_millis();
        if let Some(person_id) = account.person_id {
            // Asked first so the refusal names the person whatever the database calls its index.
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict("person".into()));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO accounts (username, display_name, password_hash, created_at_ms, updated_at_ms, person_id) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
        )
        .bind(&account.username)
        .bind(&account.display_name)
        .bind(&account.password_hash)
        .bind(ms)
        .bind(account.person_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(msg) if msg.contains("person") => StoreError::Conflict("person".into()),
            StoreError::Conflict(_) => StoreError::Conflict("username".into()),
            other => other,
        })?;
        for grant in &account.grants {
            insert_grant(&mut tx, id, grant, ms).await?;
        }
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Binds an unbound account to the person it belongs to and records the act in one
    /// transaction. `Conflict("person")` when another account belongs to that person,
    /// `Conflict("bound")` when this account already belongs to someone, `NotFound` without it.
    pub async fn bind_person(
        &self,
        account_id: i64,
        person_id: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let current: Option<Option<i64>> = sqlx::query_scalar("SELECT person_id FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
        match current {
            None => return Err(StoreError::NotFound),
            Some(Some(_)) => return Err(StoreError::Conflict("bound".into())),
            Some(None) => {}
        }
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict("person".into()));
        }
        sqlx::query("UPDATE accounts SET person_id = $1, updated_at_ms = $2 WHERE id = $3 AND person_id IS NULL")
            .bind(person_id)
            .bind(at.timestamp_millis())
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict("person".into()),
                other => other,
            })?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account that belongs to `person_id`, if any.
    pub async fn account_of_person(&self, person_id: i64) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&self.reads)
            .await?)
    }

    /// Adds a grant and records `account.grant` in one transaction.
    pub async fn add_grant(
        &self,
        account_id: i64,
        grant: &Grant,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        insert_grant(&mut tx, account_id, grant, at.timestamp_millis()).await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a grant and records `account.revoke` in one transaction; `NotFound` when the
    /// account does not hold it.
    pub async fn remove_grant(
        &self,
        account_id: i64,
        grant: &Grant,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query("DELETE FROM grants WHERE account_id = $1 AND role = $2 AND division_code = $3")
            .bind(account_id)
            .bind(grant.role.as_str())
            .bind(grant.division.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables an account (it can no longer sign in), revokes every session, and records the
    /// act; `Conflict` when it is already disabled, `NotFound` when there is no such account.
    pub async fn disable_account(&self, account_id: i64, at: DateTime<Utc>, event: &EventDraft) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let ms = at.timestamp_millis();
        let changed = sqlx::query(
            "UPDATE accounts SET disabled_at_ms = $1, updated_at_ms = $1 WHERE id = $2 AND disabled_at_ms IS NULL",
        )
        .bind(ms)
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(if exists.is_some() { StoreError::Conflict("disabled".into()) } else { StoreError::NotFound });
        }
        sqlx::query("UPDATE sessions SET revoked_at_ms = $1 WHERE account_id = $2 AND revoked_at_ms IS NULL")
            .bind(ms)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the password hash, revokes every session, and records the act.
    pub async fn set_password(
        &self,
        account_id: i64,
        password_hash: &str,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let ms = at.timestamp_millis();
        let changed = sqlx::query("UPDATE accounts SET password_hash = $1, updated_at_ms = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(ms)
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("UPDATE sessions SET revoked_at_ms = $1 WHERE account_id = $2 AND revoked_at_ms IS NULL")
            .bind(ms)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn account_by_username(&self, username: &str) -> StoreResult<Option<(Account, String)>> {
        let row = sqlx::query("SELECT id, password_hash FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.reads)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get(0)?;
        let hash: String = row.try_get(1)?;
        Ok(Some((self.account(id).await?, hash)))
    }

    pub async fn account(&self, id: i64) -> StoreResult<Account> {
        let row = sqlx::query(
            "SELECT id, username, display_name, disabled_at_ms, created_at_ms, person_id FROM accounts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reads)
        .await?
        .ok_or(StoreError::NotFound)?;
        let grants = self.grants_of(id).await?;
        Ok(Account {
            id: row.try_get(0)?,
            username: row.try_get(1)?,
            display_name: row.try_get(2)?,
            disabled: row.try_get::<Option<i64>, _>(3)?.is_some(),
            grants,
            created_at_ms: row.try_get(4)?,
            person_id: row.try_get(5)?,
        })
    }

    async fn grants_of(&self, account_id: i64) -> StoreResult<Vec<Grant>> {
        let rows = sqlx::query("SELECT role, division_code FROM grants WHERE account_id = $1 ORDER BY id")
            .bind(account_id)
            .fetch_all(&self.reads)
            .await?;
        rows.iter().map(grant_from_row).collect()
    }

    /// Every account, with grants, in id order.
    pub async fn accounts(&self) -> StoreResult<Vec<Account>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM accounts ORDER BY id").fetch_all(&self.reads).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.account(id).await?);
        }
        Ok(out)
    }

    pub async fn account_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(&self.reads).await?)
    }
}

fn grant_from_row(row: &sqlx::any::AnyRow) -> StoreResult<Grant> {
    grant_from_columns(row, 0)
}

/// The grant in columns `at` (role) and `at + 1` (division code) of a row.
pub(crate) fn grant_from_columns(row: &sqlx::any::AnyRow, at: usize) -> StoreResult<Grant> {
    let role: String = row.try_get(at)?;
    let division: String = row.try_get(at + 1)?;
    Ok(Grant {
        role: Role::parse(&role).ok_or_else(|| StoreError::Other(format!("unknown role in database: {role}")))?,
        division: DivisionCode::parse(&division).map_err(|e| StoreError::Other(e.to_string()))?,
    })
}

async fn insert_grant(conn: &mut sqlx::AnyConnection, account_id: i64, grant: &Grant, ms: i64) -> StoreResult<()> {
    sqlx::query("INSERT INTO grants (account_id, role, division_code, created_at_ms) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(grant.role.as_str())
        .bind(grant.division.as_str())
        .bind(ms)
        .execute(&mut *conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict("grant".into()),
            StoreError::Other(msg) if msg.contains("FOREIGN KEY") || msg.contains("foreign key") => {
                StoreError::Invalid(format!("行政区划 {} 不存在", grant.division))
            }
            other => other,
        })?;
    Ok(())
}
