//! Reads of the register: the list with its current facts, one organization with its history,
//! the 公告 (社团条例第二十三条; 民非条例第十八条), the inspections of a year and the separations.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::NewVersion;
use crate::persons::Scope;
use crate::rows::{bad, date, opt_date};
use crate::{Store, StoreError, StoreResult};

/// An organization with its current facts (its latest version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub id: i64,
    pub credit_code: String,
    pub org_type: String,
    pub level: String,
    pub category: Option<String>,
    pub sponsor: Option<String>,
    pub authority_division: String,
    pub premises_division: String,
    pub status: String,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub first_activity_on: Option<NaiveDate>,
    pub legal_rep_person: Option<i64>,
    pub case_id: Option<i64>,
    pub name: String,
    pub address: String,
    pub legal_rep_name: String,
    pub funds_fen: i64,
    pub individual_members: i64,
    pub unit_members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub valid_from: NaiveDate,
    pub change_kind: String,
    pub version: NewVersion,
    pub case_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchRow {
    pub kind: String,
    pub name: String,
    pub principal: String,
    pub address: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionRow {
    pub org_id: i64,
    pub year: i32,
    pub to_sponsor_on: Option<NaiveDate>,
    pub to_authority_on: Option<NaiveDate>,
    pub result: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecouplingRow {
    pub org_id: i64,
    pub former_organ: String,
    pub separation: String,
    pub done_on: NaiveDate,
    pub evidence: String,
}

/// An organization with its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFull {
    pub org: OrgRow,
    pub versions: Vec<VersionRow>,
    pub branches: Vec<BranchRow>,
    pub inspections: Vec<InspectionRow>,
    pub separations: Vec<DecouplingRow>,
}

/// One entry of the 公告: an establishment, a change of name, address or legal representative,
/// or a deregistration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub org_id: i64,
    pub credit_code: String,
    pub org_type: String,
    pub change_kind: String,
    pub on: NaiveDate,
    pub name: String,
    pub address: String,
    pub legal_rep_name: String,
}

/// What the register list is filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// Part of the name or the code.
    pub query: Option<String>,
    pub org_type: Option<String>,
    pub status: Option<String>,
}

/// The latest version of each organization: the row with the greatest id.
const CURRENT: &str = "o.id, o.credit_code, o.org_type, o.level, o.category, o.sponsor, o.authority_division, \
     o.premises_division, o.status, o.registered_on, o.ended_on, o.first_activity_on, o.legal_rep_person, o.case_id, \
     v.name, v.address, v.legal_rep_name, v.funds_fen, v.individual_members, v.unit_members \
     FROM social_orgs o JOIN social_org_versions v ON v.id = \
     (SELECT MAX(id) FROM social_org_versions w WHERE w.org_id = o.id)";

fn org_from_row(r: &AnyRow) -> StoreResult<OrgRow> {
    Ok(OrgRow {
        id: r.try_get(0)?,
        credit_code: r.try_get(1)?,
        org_type: r.try_get(2)?,
        level: r.try_get(3)?,
        category: r.try_get(4)?,
        sponsor: r.try_get(5)?,
        authority_division: r.try_get(6)?,
        premises_division: r.try_get(7)?,
        status: r.try_get(8)?,
        registered_on: date(&r.try_get::<String, _>(9)?)?,
        ended_on: opt_date(r.try_get(10)?)?,
        first_activity_on: opt_date(r.try_get(11)?)?,
        legal_rep_person: r.try_get(12)?,
        case_id: r.try_get(13)?,
        name: r.try_get(14)?,
        address: r.try_get(15)?,
        legal_rep_name: r.try_get(16)?,
        funds_fen: r.try_get(17)?,
        individual_members: r.try_get(18)?,
        unit_members: r.try_get(19)?,
    })
}

const VERSION_COLUMNS: &str =
    "valid_from, change_kind, name, address, legal_rep_name, funds_fen, individual_members, unit_members, purpose, case_id";

fn version_from_row(r: &AnyRow) -> StoreResult<VersionRow> {
    let valid_from = date(&r.try_get::<String, _>(0)?)?;
    let change_kind: String = r.try_get(1)?;
    Ok(VersionRow {
        valid_from,
        change_kind: change_kind.clone(),
        version: NewVersion {
            valid_from,
            change_kind,
            name: r.try_get(2)?,
            address: r.try_get(3)?,
            legal_rep_name: r.try_get(4)?,
            funds_fen: r.try_get(5)?,
            individual_members: r.try_get(6)?,
            unit_members: r.try_get(7)?,
            purpose: r.try_get(8)?,
        },
        case_id: r.try_get(9)?,
    })
}

fn inspection_from_row(r: &AnyRow) -> StoreResult<InspectionRow> {
    Ok(InspectionRow {
        org_id: r.try_get(0)?,
        year: i32::try_from(r.try_get::<i64, _>(1)?).map_err(|_| bad("year", "out of range"))?,
        to_sponsor_on: opt_date(r.try_get(2)?)?,
        to_authority_on: opt_date(r.try_get(3)?)?,
        result: r.try_get(4)?,
    })
}

fn separation_from_row(r: &AnyRow) -> StoreResult<DecouplingRow> {
    Ok(DecouplingRow {
        org_id: r.try_get(0)?,
        former_organ: r.try_get(1)?,
        separation: r.try_get(2)?,
        done_on: date(&r.try_get::<String, _>(3)?)?,
        evidence: r.try_get(4)?,
    })
}

pub(super) async fn last_version(conn: &mut sqlx::AnyConnection, org_id: i64) -> StoreResult<NewVersion> {
    let row = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM social_org_versions WHERE org_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(org_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(version_from_row(&row)?.version)
}

impl Store {
    /// The organizations whose premises are in the scope, filtered, by name.
    pub async fn social_orgs(&self, scope: &Scope, filter: &RegisterFilter) -> StoreResult<Vec<OrgRow>> {
        let mut clauses = vec![scope.clause("o.premises_division", 1)];
        let mut binds: Vec<String> = scope.patterns().collect();
        if let Some(q) = filter.query.as_deref().filter(|q| !q.is_empty()) {
            binds.push(format!("%{q}%"));
            clauses.push(format!("(v.name LIKE ${k} OR o.credit_code LIKE ${k})", k = binds.len()));
        }
        if let Some(t) = &filter.org_type {
            binds.push(t.clone());
            clauses.push(format!("o.org_type = ${}", binds.len()));
        }
        if let Some(s) = &filter.status {
            binds.push(s.clone());
            clauses.push(format!("o.status = ${}", binds.len()));
        }
        let sql = format!("SELECT {CURRENT} WHERE {} ORDER BY v.name, o.id", clauses.join(" AND "));
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = query.bind(b);
        }
        query.fetch_all(&self.reads).await?.iter().map(org_from_row).collect()
    }

    /// One organization with its versions, branches, inspections and separations.
    pub async fn social_org(&self, id: i64) -> StoreResult<OrgFull> {
        let row = sqlx::query(&format!("SELECT {CURRENT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let org = org_from_row(&row)?;
        let versions =
            sqlx::query(&format!("SELECT {VERSION_COLUMNS} FROM social_org_versions WHERE org_id = $1 ORDER BY id"))
                .bind(id)
                .fetch_all(&self.reads)
                .await?
                .iter()
                .map(version_from_row)
                .collect::<StoreResult<Vec<_>>>()?;
        let branches = sqlx::query(
            "SELECT kind, name, opened_on, closed_on, principal, address FROM social_org_branches WHERE org_id = $1 \
             ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| {
            Ok(BranchRow {
                kind: r.try_get(0)?,
                name: r.try_get(1)?,
                opened_on: date(&r.try_get::<String, _>(2)?)?,
                closed_on: opt_date(r.try_get(3)?)?,
                principal: r.try_get(4)?,
                address: r.try_get(5)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let inspections = sqlx::query(
            "SELECT org_id, year, to_sponsor_on, to_authority_on, result FROM social_org_inspections WHERE org_id = $1 ORDER BY year",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(inspection_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        let separations = sqlx::query(
            "SELECT org_id, former_organ, separation, done_on, evidence FROM social_org_decouplings WHERE org_id = $1 ORDER BY done_on, id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(separation_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(OrgFull { org, versions, branches, inspections, separations })
    }

    /// The organization holding a credit code.
    pub async fn social_org_id_by_code(&self, code: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM social_orgs WHERE credit_code = $1")
            .bind(code)
            .fetch_optional(&self.reads)
            .await?)
    }

    /// The organization a registration case entered, if any.
    pub async fn social_org_of_case(&self, case_id: i64) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT org_id FROM social_org_versions WHERE case_id = $1 ORDER BY id LIMIT 1")
            .bind(case_id)
            .fetch_optional(&self.reads)
            .await?)
    }

    /// The 公告, newest first: every version but a change of other facts.
    pub async fn social_org_announcements(&self, limit: i64) -> StoreResult<Vec<Announcement>> {
        let rows = sqlx::query(
            "SELECT o.id, o.credit_code, o.org_type, v.change_kind, v.valid_from, v.name, v.address, v.legal_rep_name \
             FROM social_org_versions v JOIN social_orgs o ON o.id = v.org_id WHERE v.change_kind <> 'other' \
             ORDER BY v.valid_from DESC, v.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Announcement {
                    org_id: r.try_get(0)?,
                    credit_code: r.try_get(1)?,
                    org_type: r.try_get(2)?,
                    change_kind: r.try_get(3)?,
                    on: date(&r.try_get::<String, _>(4)?)?,
                    name: r.try_get(5)?,
                    address: r.try_get(6)?,
                    legal_rep_name: r.try_get(7)?,
                })
            })
            .collect()
    }

    /// Every inspection record of a campaign year.
    pub async fn social_org_inspections(&self, year: i32) -> StoreResult<Vec<InspectionRow>> {
        sqlx::query(
            "SELECT org_id, year, to_sponsor_on, to_authority_on, result FROM social_org_inspections WHERE year = $1",
        )
        .bind(i64::from(year))
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(inspection_from_row)
        .collect()
    }

    /// Every separation on record.
    pub async fn social_org_separations(&self) -> StoreResult<Vec<DecouplingRow>> {
        sqlx::query("SELECT org_id, former_organ, separation, done_on, evidence FROM social_org_decouplings ORDER BY org_id, done_on")
            .fetch_all(&self.reads)
            .await?
            .iter()
            .map(separation_from_row)
            .collect()
    }
}
