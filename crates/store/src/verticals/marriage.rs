//! The marital-status registry: registrations, the married-now lock rows and the certificate
//! counters. A registration commits with the case act that made it (one transaction).

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::marriage::{certificate_number, CertificateKind};
use sqlx::Row;

use crate::audit::append;
use crate::persons::Scope;
use crate::verticals::{ActConflict, ActError, EffectOutput, Produced};
use crate::{Store, StoreError, StoreResult};

/// One registration row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaritalRegistration {
    pub id: i64,
    /// `marriage`, `divorce`, `marriage_reissue`, `divorce_reissue`.
    pub kind: String,
    pub office: String,
    /// ISO date (Asia/Shanghai).
    pub on_date: String,
    pub person_a: i64,
    pub person_b: Option<i64>,
    pub certificate_number: Option<String>,
    pub case_id: Option<i64>,
    /// `none` | `county` | `prefecture` | `province` (domain::marriage::classify_registration).
    pub cross_region: String,
    /// A death: the document it was recorded from (migration 0006).
    pub source_document: Option<String>,
}

/// A death to record: `person` died `on_date`; `spouse` (if married) is left widowed.
#[derive(Debug, Clone)]
pub struct NewDeath<'a> {
    pub person: i64,
    pub spouse: Option<i64>,
    /// The division the record is kept at (the deceased's).
    pub division: &'a str,
    pub on_date: &'a str,
    pub source_document: &'a str,
}

/// A registration to write with a case act ([`crate::verticals::Effect::MaritalRegistration`]).
#[derive(Debug, Clone)]
pub struct NewMaritalRegistration {
    pub kind: String,
    pub office: String,
    pub on_date: String,
    pub year: i32,
    pub person_a: i64,
    pub person_b: Option<i64>,
    pub certificate: Option<CertificateKind>,
    pub case_id: i64,
    pub cross_region: String,
}

const COLUMNS: &str =
    "id, kind, office, on_date, person_a, person_b, certificate_number, case_id, cross_region, source_document";

fn from_row(row: &sqlx::any::AnyRow) -> StoreResult<MaritalRegistration> {
    Ok(MaritalRegistration {
        id: row.try_get(0)?,
        kind: row.try_get(1)?,
        office: row.try_get(2)?,
        on_date: row.try_get(3)?,
        person_a: row.try_get(4)?,
        person_b: row.try_get(5)?,
        certificate_number: row.try_get(6)?,
        case_id: row.try_get(7)?,
        cross_region: row.try_get(8)?,
        source_document: row.try_get(9)?,
    })
}

/// A historical registration from an import file (no case).
#[derive(Debug, Clone)]
pub struct ImportedRegistration {
    pub kind: String,
    pub office: String,
    pub on_date: String,
    pub person_a: i64,
    pub person_b: i64,
    pub certificate_number: Option<String>,
    pub cross_region: String,
}

impl Store {
    /// The registration a case made, if any.
    pub async fn marital_registration_by_case(&self, case_id: i64) -> StoreResult<Option<MaritalRegistration>> {
        let row =
            sqlx::query(&format!("SELECT {COLUMNS} FROM marital_registrations WHERE case_id = $1 ORDER BY id LIMIT 1"))
                .bind(case_id)
                .fetch_optional(&self.reads)
                .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The registration of a certificate number, if any.
    pub async fn marital_registration_by_number(&self, number: &str) -> StoreResult<Option<MaritalRegistration>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM marital_registrations WHERE certificate_number = $1"))
            .bind(number)
            .fetch_optional(&self.reads)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Imports historical registrations, all or nothing, in one transaction: the rows, the
    /// married-now rows of every person named (`married`: the final (person, spouse) pairs the
    /// caller folded; every other named person has none), and `events`. A certificate number
    /// already on record is `Conflict("certificate_number")`.
    pub async fn import_registrations(
        &self,
        rows: &[ImportedRegistration],
        married: &[(i64, i64)],
        events: &[EventDraft],
        at: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        let mut persons: Vec<i64> = rows.iter().flat_map(|r| [r.person_a, r.person_b]).collect();
        persons.sort_unstable();
        persons.dedup();
        for row in rows {
            sqlx::query(
                "INSERT INTO marital_registrations (kind, office, on_date, person_a, person_b, certificate_number, case_id, \
                 cross_region, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)",
            )
            .bind(&row.kind)
            .bind(&row.office)
            .bind(&row.on_date)
            .bind(row.person_a)
            .bind(row.person_b)
            .bind(row.certificate_number.clone())
            .bind(&row.cross_region)
            .bind(at.timestamp_millis())
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict("certificate_number".into()),
                other => other,
            })?;
        }
        for person in &persons {
            sqlx::query("DELETE FROM marital_current WHERE person_id = $1").bind(*person).execute(&mut *tx).await?;
        }
        for (person, spouse) in married {
            let registration: i64 = sqlx::query_scalar(
                "SELECT MAX(id) FROM marital_registrations WHERE kind = 'marriage' AND \
                 ((person_a = $1 AND person_b = $2) OR (person_a = $2 AND person_b = $1))",
            )
            .bind(*person)
            .bind(*spouse)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO marital_current (person_id, spouse_id, registration_id) VALUES ($1, $2, $3)")
                .bind(*person)
                .bind(*spouse)
                .bind(registration)
                .execute(&mut *tx)
                .await?;
        }
        for event in events {
            append(&mut tx, self.backend, event, at).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// The registrations dated `from..=to` (ISO dates) at offices within `scope`, for statistics.
    pub async fn marital_registrations_between(
        &self,
        from: &str,
        to: &str,
        scope: &Scope,
    ) -> StoreResult<Vec<MaritalRegistration>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM marital_registrations WHERE kind <> 'death' AND on_date >= $1 AND on_date <= $2 AND {} \
             ORDER BY on_date, id",
            scope.clause("office", 3)
        );
        let mut query = sqlx::query(&sql).bind(from.to_string()).bind(to.to_string());
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let rows = query.fetch_all(&self.reads).await?;
        rows.iter().map(from_row).collect()
    }

    /// Every registration naming any of `persons`, in date then id order.
    pub async fn marital_registrations_of(&self, persons: &[i64]) -> StoreResult<Vec<MaritalRegistration>> {
        let mut out: Vec<MaritalRegistration> = Vec::new();
        for person in persons {
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM marital_registrations WHERE person_a = $1 OR person_b = $1 ORDER BY on_date, id"
            ))
            .bind(*person)
            .fetch_all(&self.reads)
            .await?;
            for row in &rows {
                let reg = from_row(row)?;
                if !out.iter().any(|r| r.id == reg.id) {
                    out.push(reg);
                }
            }
        }
        out.sort_by(|a, b| (a.on_date.as_str(), a.id).cmp(&(b.on_date.as_str(), b.id)));
        Ok(out)
    }

    /// Records a death, in one transaction: the `death` row, the end of the married-now rows
    /// of the deceased and the spouse (so the survivor may marry again), and `events`. The
    /// married-now rows must be what the caller folded: a spouse given whose row is gone, or none
    /// given while a row exists, is `Conflict("marital_status_changed")`.
    pub async fn record_death(
        &self,
        death: &NewDeath<'_>,
        events: &[EventDraft],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO marital_registrations (kind, office, on_date, person_a, person_b, certificate_number, case_id, \
             cross_region, created_at_ms, source_document) VALUES ('death', $1, $2, $3, $4, NULL, NULL, 'none', $5, $6)",
        )
        .bind(death.division)
        .bind(death.on_date)
        .bind(death.person)
        .bind(death.spouse)
        .bind(at.timestamp_millis())
        .bind(death.source_document)
        .execute(&mut *tx)
        .await?;
        let removed = sqlx::query("DELETE FROM marital_current WHERE person_id = $1 OR spouse_id = $1")
            .bind(death.person)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed != if death.spouse.is_some() { 2 } else { 0 } {
            return Err(StoreError::Conflict("marital_status_changed".into()));
        }
        for event in events {
            append(&mut tx, self.backend, event, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The registering act's effect, inside the act's transaction ([`crate::Store::commit_act`]):
/// the certificate number from `certificate_counters(office, year)`, the registration row, the
/// married-now rows (a marriage inserts one per party: if either is married meanwhile — another
/// office, the same instant — the primary key refuses it; a divorce removes both, and refuses
/// unless both were there: [`ActConflict::MaritalStatusChanged`]).
pub(crate) async fn apply_registration(
    conn: &mut sqlx::AnyConnection,
    reg: &NewMaritalRegistration,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let number = match reg.certificate {
        Some(kind) => {
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO certificate_counters (office, year, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (office, year) DO UPDATE SET last = certificate_counters.last + 1 RETURNING last",
            )
            .bind(&reg.office)
            .bind(i64::from(reg.year))
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::from)?;
            let office = domain::division::DivisionCode::parse(&reg.office)
                .map_err(|e| StoreError::Invalid(format!("office {}: {e}", reg.office)))?;
            Some(certificate_number(kind, &office, reg.year, u64::try_from(seq).unwrap_or(0)))
        }
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO marital_registrations (kind, office, on_date, person_a, person_b, certificate_number, case_id, \
         cross_region, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&reg.kind)
    .bind(&reg.office)
    .bind(&reg.on_date)
    .bind(reg.person_a)
    .bind(reg.person_b)
    .bind(number.clone())
    .bind(reg.case_id)
    .bind(&reg.cross_region)
    .bind(at.timestamp_millis())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    match (reg.kind.as_str(), reg.person_b) {
        ("marriage", Some(b)) => {
            for (person, spouse) in [(reg.person_a, b), (b, reg.person_a)] {
                sqlx::query("INSERT INTO marital_current (person_id, spouse_id, registration_id) VALUES ($1, $2, $3)")
                    .bind(person)
                    .bind(spouse)
                    .bind(id)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| match StoreError::from(e) {
                        StoreError::Conflict(_) => ActError::Conflict(ActConflict::MaritalStatusChanged),
                        other => other.into(),
                    })?;
            }
        }
        ("divorce", Some(b)) => {
            let removed = sqlx::query(
                "DELETE FROM marital_current WHERE (person_id = $1 AND spouse_id = $2) OR (person_id = $2 AND spouse_id = $1)",
            )
            .bind(reg.person_a)
            .bind(b)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from)?
            .rows_affected();
            if removed != 2 {
                return Err(ActError::Conflict(ActConflict::MaritalStatusChanged));
            }
        }
        _ => {}
    }
    Ok(Produced::MaritalRegistration { id, certificate_number: number })
}

/// The certificate number a registering act's effect produced, for its events.
pub fn certificate_number_of(output: &EffectOutput) -> Option<&str> {
    output.produced.iter().find_map(|p| match p {
        Produced::MaritalRegistration { certificate_number, .. } => certificate_number.as_deref(),
        _ => None,
    })
}
