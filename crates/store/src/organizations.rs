//! Organization records (法人或者其他组织 as applicants): one per 统一社会信用代码, kept in clear
//! (a public identifier); the contact phone SM4-encrypted, with a keyed hash and a masked copy,
//! as a person's.

use chrono::{DateTime, Utc};
use domain::applicant::OrganizationApplicant;
use domain::audit::EventDraft;
use sqlx::Row;

use crate::audit::append;
use crate::crypto::Keys;
use crate::{Store, StoreError, StoreResult};

/// An organization as lists and cases show it: the phone masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationSummary {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub representative: String,
    pub phone_masked: Option<String>,
    pub address: String,
    pub division: String,
}

const COLUMNS: &str = "id, credit_code, name, representative, phone_masked, address, division_code";

fn summary_from_row(row: &sqlx::any::AnyRow) -> StoreResult<OrganizationSummary> {
    Ok(OrganizationSummary {
        id: row.try_get(0)?,
        credit_code: row.try_get(1)?,
        name: row.try_get(2)?,
        representative: row.try_get(3)?,
        phone_masked: row.try_get(4)?,
        address: row.try_get(5)?,
        division: row.try_get(6)?,
    })
}

impl Store {
    /// Inserts an organization and its event (masked fields only) in one transaction. A code
    /// already on file is a conflict.
    pub async fn create_organization(
        &self,
        keys: &Keys,
        org: &OrganizationApplicant,
        created_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let ms = at.timestamp_millis();
        let phone = org.phone.as_ref();
        let o = &org.organization;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organizations (credit_code, name, representative, phone_enc, phone_hash, phone_masked, \
             address, division_code, created_by, created_at_ms, updated_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(o.credit_code.code.as_str())
        .bind(&o.name)
        .bind(&o.representative)
        .bind(phone.map(|p| keys.encrypt("phone", p.as_str())))
        .bind(phone.map(|p| keys.lookup_hash("phone", p.as_str())))
        .bind(phone.map(|p| p.masked()))
        .bind(&org.address)
        .bind(o.division.as_str())
        .bind(created_by)
        .bind(ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The organization on file with this 统一社会信用代码 (in capitals, as parsed).
    pub async fn organization_by_code(&self, credit_code: &str) -> StoreResult<Option<OrganizationSummary>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM organizations WHERE credit_code = $1"))
            .bind(credit_code)
            .fetch_optional(&self.reads)
            .await?;
        row.as_ref().map(summary_from_row).transpose()
    }

    pub async fn organization_summary(&self, id: i64) -> StoreResult<OrganizationSummary> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM organizations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        summary_from_row(&row)
    }

    /// Every stored value of the organizations' contact columns, for the tests that prove no
    /// plaintext phone is kept.
    pub async fn raw_organization_columns(&self) -> StoreResult<Vec<String>> {
        let rows = sqlx::query(
            "SELECT COALESCE(phone_enc, ''), COALESCE(phone_hash, ''), COALESCE(phone_masked, '') FROM organizations",
        )
        .fetch_all(&self.reads)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            for i in 0..3 {
                out.push(row.try_get::<String, _>(i)?);
            }
        }
        Ok(out)
    }
}
