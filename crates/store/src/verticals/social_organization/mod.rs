//! 社会组织登记: the register's tables (this folder's migrations). A registration granted on the
//! engine enters the organization and its first version in the act's transaction
//! ([`apply_registration`]); a deregistration marks it 注销 ([`apply_deregistration`]). The
//! inspections and the 脱钩 separations are written with their event in one transaction. No
//! state is stored that a date decides (late, dormant, decoupled): the domain derives it.

mod read;

pub use read::{Announcement, BranchRow, DecouplingRow, InspectionRow, OrgFull, OrgRow, RegisterFilter, VersionRow};

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::verticals::social_organization::{code, OrgType};

use super::{ActError, Produced};
use crate::audit::append;
use crate::migrate::Migration;
use crate::{Store, StoreError, StoreResult};

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "register",
        sqlite: include_str!("migrations/sqlite/0001_register.sql"),
        postgres: include_str!("migrations/postgres/0001_register.sql"),
    },
    Migration {
        version: 2,
        name: "branch_particulars",
        sqlite: include_str!("migrations/sqlite/0002_branch_particulars.sql"),
        postgres: include_str!("migrations/postgres/0002_branch_particulars.sql"),
    },
];

/// One version of an organization's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVersion {
    pub valid_from: NaiveDate,
    /// `establish`, `name`, `address`, `legal_rep`, `other`, `deregister`.
    pub change_kind: String,
    pub name: String,
    pub address: String,
    pub legal_rep_name: String,
    pub funds_fen: i64,
    pub individual_members: i64,
    pub unit_members: i64,
    pub purpose: String,
}

/// A registration to enter: the organization and its first version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub org_type: OrgType,
    pub level: String,
    pub category: Option<String>,
    pub sponsor: Option<String>,
    /// The registration authority's division (6 digits), also the code's region.
    pub authority_division: String,
    pub premises_division: String,
    pub registered_on: NaiveDate,
    pub legal_rep_person: Option<i64>,
    pub case_id: Option<i64>,
    pub version: NewVersion,
}

/// A deregistration: the organization by its code, on a day, by a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deregistration {
    pub credit_code: String,
    pub on: NaiveDate,
    pub case_id: i64,
}

/// A change of a registered fact: its new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub credit_code: String,
    pub on: NaiveDate,
    pub case_id: i64,
    /// `name`, `address`, `legal_rep` or `other`.
    pub kind: String,
    pub new_value: String,
}

/// The code a produced registration got.
pub fn registered_code(output: &super::EffectOutput) -> Option<(i64, &str)> {
    output.produced.iter().find_map(|p| match p {
        Produced::SocialOrgRegistration { id, credit_code } => Some((*id, credit_code.as_str())),
        _ => None,
    })
}

async fn insert_org(
    conn: &mut sqlx::AnyConnection,
    org: &NewOrg,
    at: DateTime<Utc>,
) -> Result<(i64, String), ActError> {
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(code_seq), 0) + 1 FROM social_orgs WHERE authority_division = $1 AND org_type = $2",
    )
    .bind(&org.authority_division)
    .bind(org.org_type.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let region: String = org.authority_division.chars().take(6).collect();
    let credit_code = u32::try_from(seq)
        .ok()
        .and_then(|seq| code::assign(org.org_type, &region, seq))
        .ok_or_else(|| StoreError::Invalid(format!("登记管理机关{region}的统一社会信用代码序号已用尽")))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO social_orgs (credit_code, code_seq, org_type, level, category, sponsor, authority_division, \
         premises_division, status, registered_on, legal_rep_person, case_id, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'normal', $9, $10, $11, $12) RETURNING id",
    )
    .bind(&credit_code)
    .bind(seq)
    .bind(org.org_type.as_str())
    .bind(&org.level)
    .bind(&org.category)
    .bind(&org.sponsor)
    .bind(&org.authority_division)
    .bind(&org.premises_division)
    .bind(org.registered_on.to_string())
    .bind(org.legal_rep_person)
    .bind(org.case_id)
    .bind(at.timestamp_millis())
    .fetch_one(&mut *conn)
    .await?;
    insert_version(conn, id, &org.version, org.case_id, at).await?;
    Ok((id, credit_code))
}

async fn insert_version(
    conn: &mut sqlx::AnyConnection,
    org_id: i64,
    v: &NewVersion,
    case_id: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO social_org_versions (org_id, valid_from, change_kind, name, address, legal_rep_name, funds_fen, \
         individual_members, unit_members, purpose, case_id, recorded_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(org_id)
    .bind(v.valid_from.to_string())
    .bind(&v.change_kind)
    .bind(&v.name)
    .bind(&v.address)
    .bind(&v.legal_rep_name)
    .bind(v.funds_fen)
    .bind(v.individual_members)
    .bind(v.unit_members)
    .bind(&v.purpose)
    .bind(case_id)
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The registration effect: the organization, its code and its first version.
pub(crate) async fn apply_registration(
    conn: &mut sqlx::AnyConnection,
    org: &NewOrg,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let (id, credit_code) = insert_org(conn, org, at).await?;
    Ok(Produced::SocialOrgRegistration { id, credit_code })
}

/// The deregistration effect: the organization in the register, if it is there and 正常, becomes
/// 注销 with a last version for the 公告. One registered before the register was kept is not
/// there: nothing is written (`id: None`).
pub(crate) async fn apply_deregistration(
    conn: &mut sqlx::AnyConnection,
    d: &Deregistration,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM social_orgs WHERE credit_code = $1 AND status = 'normal'")
            .bind(&d.credit_code)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(id) = found else { return Ok(Produced::SocialOrgDeregistration { id: None }) };
    sqlx::query("UPDATE social_orgs SET status = 'deregistered', ended_on = $1 WHERE id = $2")
        .bind(d.on.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let last = read::last_version(conn, id).await?;
    let version = NewVersion { valid_from: d.on, change_kind: "deregister".into(), ..last };
    insert_version(conn, id, &version, Some(d.case_id), at).await?;
    Ok(Produced::SocialOrgDeregistration { id: Some(id) })
}

/// The change effect: a new version of the organization (正常, in the register) with the changed
/// fact; `id: None` when it is not in the register.
pub(crate) async fn apply_change(
    conn: &mut sqlx::AnyConnection,
    c: &Change,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM social_orgs WHERE credit_code = $1 AND status = 'normal'")
            .bind(&c.credit_code)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(id) = found else { return Ok(Produced::SocialOrgChange { id: None }) };
    let mut version = read::last_version(conn, id).await?;
    version.valid_from = c.on;
    version.change_kind = c.kind.clone();
    match c.kind.as_str() {
        "name" => version.name = c.new_value.clone(),
        "address" => version.address = c.new_value.clone(),
        "legal_rep" => version.legal_rep_name = c.new_value.clone(),
        _ => {}
    }
    insert_version(conn, id, &version, Some(c.case_id), at).await?;
    Ok(Produced::SocialOrgChange { id: Some(id) })
}

/// An annual inspection's record for one organization and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionInput {
    pub year: i32,
    pub to_sponsor_on: Option<NaiveDate>,
    pub to_authority_on: Option<NaiveDate>,
    pub result: Option<String>,
}

/// A branch or representative office as entered (checked by the service's parser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchInput {
    /// `branch` | `representative`.
    pub kind: String,
    pub name: String,
    pub principal: String,
    pub address: String,
    pub opened_on: NaiveDate,
}

/// One of the five separations done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeparationInput {
    pub former_organ: String,
    pub separation: String,
    pub done_on: NaiveDate,
    pub evidence: String,
}

impl Store {
    /// Enters organizations directly (the register as it stood before this system, and the
    /// demo), each with its first version, in one transaction. Returns their ids.
    pub async fn import_social_orgs(&self, orgs: &[NewOrg], at: DateTime<Utc>) -> StoreResult<Vec<(i64, String)>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(orgs.len());
        for org in orgs {
            ids.push(insert_org(&mut tx, org, at).await.map_err(StoreError::from)?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Records (or replaces) an organization's inspection for a year, with its event.
    pub async fn put_social_org_inspection(
        &self,
        org_id: i64,
        input: &InspectionInput,
        event: &EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM social_org_inspections WHERE org_id = $1 AND year = $2")
            .bind(org_id)
            .bind(i64::from(input.year))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO social_org_inspections (org_id, year, to_sponsor_on, to_authority_on, result, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org_id)
        .bind(i64::from(input.year))
        .bind(input.to_sponsor_on.map(|d| d.to_string()))
        .bind(input.to_authority_on.map(|d| d.to_string()))
        .bind(&input.result)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enters a branch or representative office of an organization, with its event.
    pub async fn put_social_org_branch(
        &self,
        org_id: i64,
        input: &BranchInput,
        event: &EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO social_org_branches (org_id, kind, name, opened_on, principal, address, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(org_id)
        .bind(&input.kind)
        .bind(&input.name)
        .bind(input.opened_on.to_string())
        .bind(&input.principal)
        .bind(&input.address)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the closing (注销) of an open branch or representative office of an organization,
    /// with its event. Returns false, writing nothing, when no open one has that name.
    pub async fn close_social_org_branch(
        &self,
        org_id: i64,
        name: &str,
        closed_on: NaiveDate,
        event: &EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE social_org_branches SET closed_on = $1 WHERE org_id = $2 AND name = $3 AND closed_on IS NULL",
        )
        .bind(closed_on.to_string())
        .bind(org_id)
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records one separation of an association's 脱钩 (once per kind), with its event.
    pub async fn put_social_org_separation(
        &self,
        org_id: i64,
        input: &SeparationInput,
        event: &EventDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO social_org_decouplings (org_id, former_organ, separation, done_on, evidence, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org_id)
        .bind(&input.former_organ)
        .bind(&input.separation)
        .bind(input.done_on.to_string())
        .bind(&input.evidence)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Bulk rows for the demo: inspections and separations without events (the demo's history).
    pub async fn import_social_org_history(
        &self,
        inspections: &[(i64, InspectionInput)],
        separations: &[(i64, SeparationInput)],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for (org_id, i) in inspections {
            sqlx::query(
                "INSERT INTO social_org_inspections (org_id, year, to_sponsor_on, to_authority_on, result, recorded_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(org_id)
            .bind(i64::from(i.year))
            .bind(i.to_sponsor_on.map(|d| d.to_string()))
            .bind(i.to_authority_on.map(|d| d.to_string()))
            .bind(&i.result)
            .bind(at.timestamp_millis())
            .execute(&mut *tx)
            .await?;
        }
        for (org_id, s) in separations {
            sqlx::query(
                "INSERT INTO social_org_decouplings (org_id, former_organ, separation, done_on, evidence, recorded_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(org_id)
            .bind(&s.former_organ)
            .bind(&s.separation)
            .bind(s.done_on.to_string())
            .bind(&s.evidence)
            .bind(at.timestamp_millis())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
