//! The account a payee is paid into (migration 0014): one current account per person, the number
//! SM4-encrypted with the column name as associated data (as ID numbers are), beside a masked
//! copy for rolls read without full access.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::crypto::Keys;
use crate::{Store, StoreResult};

/// An account to record for a person; `number` in clear (digits), encrypted on the way in.
#[derive(Clone, Copy)]
pub struct NewPayeeAccount<'a> {
    pub person_id: i64,
    pub kind: &'a str,
    pub bank: &'a str,
    pub number: &'a str,
    pub number_masked: &'a str,
    /// The application it was entered with.
    pub case_id: Option<i64>,
}

/// A stored account: the number sealed and masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayeeAccountRow {
    pub person_id: i64,
    pub kind: String,
    pub bank: String,
    pub number_enc: String,
    pub number_masked: String,
}

/// The column the cipher text binds as associated data.
const FIELD: &str = "payee_account_number";

pub(crate) async fn upsert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    keys: &Keys,
    account: &NewPayeeAccount<'_>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO assistance_payee_accounts (person_id, kind, bank, number_enc, number_masked, case_id, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (person_id) DO UPDATE SET kind = excluded.kind, bank = excluded.bank, \
         number_enc = excluded.number_enc, number_masked = excluded.number_masked, case_id = excluded.case_id, \
         updated_at_ms = excluded.updated_at_ms",
    )
    .bind(account.person_id)
    .bind(account.kind)
    .bind(account.bank)
    .bind(keys.encrypt(FIELD, account.number))
    .bind(account.number_masked)
    .bind(account.case_id)
    .bind(at.timestamp_millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The current account of `person`, if one was entered.
    pub async fn payee_account(&self, person: i64) -> StoreResult<Option<PayeeAccountRow>> {
        let row = sqlx::query(
            "SELECT person_id, kind, bank, number_enc, number_masked FROM assistance_payee_accounts WHERE person_id = $1",
        )
        .bind(person)
        .fetch_optional(&self.reads)
        .await?;
        row.map(|r| {
            Ok(PayeeAccountRow {
                person_id: r.try_get(0)?,
                kind: r.try_get(1)?,
                bank: r.try_get(2)?,
                number_enc: r.try_get(3)?,
                number_masked: r.try_get(4)?,
            })
        })
        .transpose()
    }
}

/// The account number in clear. Only for a reader with full access, whose reading is recorded.
pub fn open_number(keys: &Keys, row: &PayeeAccountRow) -> StoreResult<String> {
    keys.decrypt(FIELD, &row.number_enc)
}
