//! 养老机构备案: the institutions' register (the area's migration 0001). An institution enters
//! through the filing act's [`crate::verticals::Effect::ElderlyCareFiling`], in that act's one
//! transaction; its changes and inspections are written here, each with its event, under the
//! revision the caller read (`Conflict("elderly_care_revision")` otherwise). Periods are never
//! stored: `domain::verticals::elderly_care` computes them from the dates.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::verticals::elderly_care::institution::InspectionResult;
use domain::verticals::elderly_care::{
    Change, ChangeField, Inspection, Institution, InstitutionType, Status, StatusAct, StatusChange,
};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::rows::{bad, date};
use crate::verticals::{ActError, Produced};
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
        name: "service_status",
        sqlite: include_str!("migrations/sqlite/0002_service_status.sql"),
        postgres: include_str!("migrations/postgres/0002_service_status.sql"),
    },
];

/// An institution entering the register with its filing.
#[derive(Debug, Clone)]
pub struct NewFiling {
    pub case_id: i64,
    pub accepting: String,
    pub filed_on: NaiveDate,
    pub institution: Institution,
}

/// An institution on the register, as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRow {
    pub id: i64,
    pub case_id: i64,
    /// The window that accepted the filing (another province's under 川渝通办).
    pub accepting: String,
    pub filed_on: NaiveDate,
    pub revision: i64,
    pub institution: Institution,
}

/// One dated version: the filing (no field) or a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: i64,
    pub change_field: Option<ChangeField>,
    pub changed_on: NaiveDate,
    pub filed_on: NaiveDate,
    pub name: String,
    pub representative: String,
    pub beds: i64,
    pub floor_area: i64,
    pub address: String,
    pub division: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionRow {
    pub id: i64,
    pub done_on: NaiveDate,
    pub result: InspectionResult,
    pub findings: String,
}

/// An institution with its versions, inspections and reported suspensions, closures and
/// resumptions (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionFull {
    pub row: InstitutionRow,
    pub versions: Vec<VersionRow>,
    pub inspections: Vec<InspectionRow>,
    pub status_changes: Vec<StatusChange>,
}

const COLUMNS: &str = "id, case_id, accepting, division, filed_on, revision, name, credit_code, representative, \
    institution_type, beds, floor_area, address, service_scope, residents_from, status";

fn row_of(r: &sqlx::any::AnyRow) -> StoreResult<InstitutionRow> {
    let division: String = r.try_get(3)?;
    let kind: String = r.try_get(9)?;
    let status: String = r.try_get(15)?;
    let scope: String = r.try_get(13)?;
    Ok(InstitutionRow {
        id: r.try_get(0)?,
        case_id: r.try_get(1)?,
        accepting: r.try_get(2)?,
        filed_on: date(&r.try_get::<String, _>(4)?)?,
        revision: r.try_get(5)?,
        institution: Institution {
            name: r.try_get(6)?,
            credit_code: r.try_get(7)?,
            representative: r.try_get(8)?,
            institution_type: InstitutionType::parse(&kind).ok_or_else(|| bad("type", &kind))?,
            beds: r.try_get(10)?,
            floor_area: r.try_get(11)?,
            address: r.try_get(12)?,
            premises_division: DivisionCode::parse(&division).map_err(|_| bad("division", &division))?,
            service_scope: scope.lines().map(str::to_string).filter(|s| !s.is_empty()).collect(),
            residents_from: r.try_get::<Option<String>, _>(14)?.map(|d| date(&d)).transpose()?,
            status: Status::parse(&status).ok_or_else(|| bad("status", &status))?,
        },
    })
}

/// Writes a version row of `institution` (`change`: none for the filing).
#[allow(clippy::too_many_arguments)] // the version's columns and the write's contract
async fn insert_version(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    version: i64,
    change: Option<(ChangeField, NaiveDate)>,
    filed_on: NaiveDate,
    institution: &Institution,
    recorded_by: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO elderly_care_versions (institution_id, version, change_field, changed_on, filed_on, name, \
         representative, beds, floor_area, address, division, recorded_by, recorded_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(version)
    .bind(change.map(|(f, _)| f.as_str()))
    .bind(change.map_or(filed_on, |(_, on)| on).to_string())
    .bind(filed_on.to_string())
    .bind(&institution.name)
    .bind(&institution.representative)
    .bind(institution.beds)
    .bind(institution.floor_area)
    .bind(&institution.address)
    .bind(institution.premises_division.as_str())
    .bind(recorded_by)
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The filing's effect: the institution and its first version, in the act's transaction. A
/// second entry for the same case is refused by `UNIQUE (case_id)`.
pub(crate) async fn apply_filing(
    conn: &mut sqlx::AnyConnection,
    filing: &NewFiling,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let i = &filing.institution;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO elderly_care_institutions (case_id, accepting, division, filed_on, revision, name, credit_code, \
         representative, institution_type, beds, floor_area, address, service_scope, residents_from, status, created_at_ms) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(filing.case_id)
    .bind(&filing.accepting)
    .bind(i.premises_division.as_str())
    .bind(filing.filed_on.to_string())
    .bind(&i.name)
    .bind(&i.credit_code)
    .bind(&i.representative)
    .bind(i.institution_type.as_str())
    .bind(i.beds)
    .bind(i.floor_area)
    .bind(&i.address)
    .bind(i.service_scope.join("\n"))
    .bind(i.residents_from.map(|d| d.to_string()))
    .bind(i.status.as_str())
    .bind(at.timestamp_millis())
    .fetch_one(&mut *conn)
    .await?;
    insert_version(conn, id, 1, None, filing.filed_on, i, None, at).await?;
    Ok(Produced::ElderlyCareFiling { id })
}

/// The institution a [`Produced`] list names, if an elderly-care filing is among them.
pub fn institution_of(output: &crate::verticals::EffectOutput) -> Option<i64> {
    output.produced.iter().find_map(|p| match p {
        Produced::ElderlyCareFiling { id } => Some(*id),
        _ => None,
    })
}

impl Store {
    /// One institution with its versions and inspections.
    pub async fn elderly_care_institution(&self, id: i64) -> StoreResult<InstitutionFull> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM elderly_care_institutions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let row = row_of(&row)?;
        let versions = sqlx::query(
            "SELECT version, change_field, changed_on, filed_on, name, representative, beds, floor_area, address, division \
             FROM elderly_care_versions WHERE institution_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| -> StoreResult<VersionRow> {
            let field: Option<String> = r.try_get(1)?;
            Ok(VersionRow {
                version: r.try_get(0)?,
                change_field: field.as_deref().map(|f| ChangeField::parse(f).ok_or_else(|| bad("change", f))).transpose()?,
                changed_on: date(&r.try_get::<String, _>(2)?)?,
                filed_on: date(&r.try_get::<String, _>(3)?)?,
                name: r.try_get(4)?,
                representative: r.try_get(5)?,
                beds: r.try_get(6)?,
                floor_area: r.try_get(7)?,
                address: r.try_get(8)?,
                division: r.try_get(9)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let inspections = self.elderly_care_inspections(id).await?;
        let status_changes = self.elderly_care_status_changes(id).await?;
        Ok(InstitutionFull { row, versions, inspections, status_changes })
    }

    async fn elderly_care_status_changes(&self, id: i64) -> StoreResult<Vec<StatusChange>> {
        sqlx::query(
            "SELECT act, reported_on, effective_on, residents, placement, reason FROM elderly_care_status_changes \
             WHERE institution_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| {
            let act: String = r.try_get(0)?;
            Ok(StatusChange {
                act: StatusAct::parse(&act).ok_or_else(|| bad("act", &act))?,
                reported_on: date(&r.try_get::<String, _>(1)?)?,
                effective_on: date(&r.try_get::<String, _>(2)?)?,
                residents: r.try_get(3)?,
                placement: r.try_get(4)?,
                reason: r.try_get(5)?,
            })
        })
        .collect()
    }

    /// Records a suspension, closure or resumption: the institution's status, the report, and the
    /// event, at the revision read.
    pub async fn record_elderly_care_status(
        &self,
        id: i64,
        revision: i64,
        change: &StatusChange,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        Store::bump_elderly_care(&mut tx, id, revision).await?;
        sqlx::query("UPDATE elderly_care_institutions SET status = $1 WHERE id = $2")
            .bind(change.act.to().as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO elderly_care_status_changes (institution_id, act, reported_on, effective_on, residents, \
             placement, reason, recorded_by, recorded_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(change.act.as_str())
        .bind(change.reported_on.to_string())
        .bind(change.effective_on.to_string())
        .bind(change.residents)
        .bind(&change.placement)
        .bind(&change.reason)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn elderly_care_inspections(&self, id: i64) -> StoreResult<Vec<InspectionRow>> {
        sqlx::query(
            "SELECT id, done_on, result, findings FROM elderly_care_inspections WHERE institution_id = $1 ORDER BY done_on, id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| {
            let result: String = r.try_get(2)?;
            Ok(InspectionRow {
                id: r.try_get(0)?,
                done_on: date(&r.try_get::<String, _>(1)?)?,
                result: InspectionResult::parse(&result).ok_or_else(|| bad("result", &result))?,
                findings: r.try_get(3)?,
            })
        })
        .collect()
    }

    /// The institution entered by the filing case `case_id`, if it has been.
    pub async fn elderly_care_institution_of_case(&self, case_id: i64) -> StoreResult<Option<InstitutionRow>> {
        sqlx::query(&format!("SELECT {COLUMNS} FROM elderly_care_institutions WHERE case_id = $1"))
            .bind(case_id)
            .fetch_optional(&self.reads)
            .await?
            .as_ref()
            .map(row_of)
            .transpose()
    }

    /// The register: every institution whose premises are inside `scope` (`None`: all, for the
    /// public list), with the day of its first inspection; by division, then filing day.
    pub async fn elderly_care_institutions(
        &self,
        scope: Option<&Scope>,
    ) -> StoreResult<Vec<(InstitutionRow, Option<NaiveDate>)>> {
        let clause = scope.map_or_else(|| "1 = 1".to_string(), |s| s.clause("i.division", 1));
        let sql = format!(
            "SELECT {cols}, (SELECT MIN(done_on) FROM elderly_care_inspections n WHERE n.institution_id = i.id) \
             FROM elderly_care_institutions i WHERE {clause} ORDER BY i.division, i.filed_on, i.id",
            cols = COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", "),
        );
        let mut query = sqlx::query(&sql);
        if let Some(scope) = scope {
            for pattern in scope.patterns() {
                query = query.bind(pattern);
            }
        }
        let rows = query.fetch_all(&self.reads).await?;
        rows.iter()
            .map(|r| {
                let first: Option<String> = r.try_get(16)?;
                Ok((row_of(r)?, first.map(|d| date(&d)).transpose()?))
            })
            .collect()
    }

    async fn bump_elderly_care(tx: &mut sqlx::AnyConnection, id: i64, revision: i64) -> StoreResult<()> {
        let done =
            sqlx::query("UPDATE elderly_care_institutions SET revision = revision + 1 WHERE id = $1 AND revision = $2")
                .bind(id)
                .bind(revision)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("elderly_care_revision".into()));
        }
        Ok(())
    }

    /// Files a change: the institution as it now stands, its new version, and the event, at the
    /// revision read.
    #[allow(clippy::too_many_arguments)] // the change, its result, its writer, and the write's contract
    pub async fn file_elderly_care_change(
        &self,
        id: i64,
        revision: i64,
        change: &Change,
        next: &Institution,
        filed_on: NaiveDate,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        Store::bump_elderly_care(&mut tx, id, revision).await?;
        sqlx::query(
            "UPDATE elderly_care_institutions SET name = $1, representative = $2, beds = $3, floor_area = $4, \
             address = $5, division = $6 WHERE id = $7",
        )
        .bind(&next.name)
        .bind(&next.representative)
        .bind(next.beds)
        .bind(next.floor_area)
        .bind(&next.address)
        .bind(next.premises_division.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let version: i64 =
            sqlx::query_scalar("SELECT MAX(version) FROM elderly_care_versions WHERE institution_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        insert_version(
            &mut tx,
            id,
            version + 1,
            Some((change.field, change.changed_on)),
            filed_on,
            next,
            Some(recorded_by),
            at,
        )
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an on-site inspection and its event, at the revision read.
    pub async fn record_elderly_care_inspection(
        &self,
        id: i64,
        revision: i64,
        inspection: &Inspection,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        Store::bump_elderly_care(&mut tx, id, revision).await?;
        let inspection_id: i64 = sqlx::query_scalar(
            "INSERT INTO elderly_care_inspections (institution_id, done_on, result, findings, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(inspection.done_on.to_string())
        .bind(inspection.result.as_str())
        .bind(&inspection.findings)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(inspection_id)
    }
}
