//! 行政执法: the area's tables (its own migrations, `migrations/`): the officers' register, the
//! 行政处罚 cases, their dated acts and the fault-accountability reviews. Every write to a case
//! bumps its revision under the revision the caller read (a case changed since is
//! `Conflict("enforcement_revision")`) and appends its events, in one transaction. Stages and
//! deadlines are never stored: `domain::verticals::enforcement` derives them from the acts.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::verticals::enforcement::{Act, Filing, NewOfficer, Officer};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::rows::{bad, date};
use crate::{Store, StoreError, StoreResult};

mod draws;

pub use draws::{ConflictRow, DrawRow, LineRow, NewDraw, NewResult};

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "enforcement",
        sqlite: include_str!("migrations/sqlite/0001_enforcement.sql"),
        postgres: include_str!("migrations/postgres/0001_enforcement.sql"),
    },
    Migration {
        version: 2,
        name: "inspections",
        sqlite: include_str!("migrations/sqlite/0002_inspections.sql"),
        postgres: include_str!("migrations/postgres/0002_inspections.sql"),
    },
];

/// A register entry with where it belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerRow {
    pub officer: Officer,
    /// The enforcement body's division.
    pub division: String,
    /// The officer's duties (职责), shown on the public page.
    pub duties: String,
}

/// The party of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// By its 统一社会信用代码.
    Organization { name: String, uscc: String },
    /// A person from the persons store (the name kept for lists; the numbers stay there).
    Person { person_id: i64, name: String },
}

/// A case as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub division: String,
    pub party: Party,
    pub violation: String,
    pub filing: Filing,
    pub filed_by: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub party: Party,
    pub violation: String,
    pub filing: Filing,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActRow {
    pub act: Act,
    pub recorded_by: i64,
    pub recorded_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accountability {
    pub case_id: i64,
    pub opened_on: NaiveDate,
    pub officers: Vec<i64>,
    pub reason: String,
}

/// A case with its acts and its accountability review, as one read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFull {
    pub case: CaseRow,
    pub acts: Vec<ActRow>,
    pub accountability: Option<Accountability>,
}

/// What a write adds besides its act: an evidence file (its SM3 hash and bytes, kept in the
/// shared blob store) or an accountability review.
#[derive(Debug, Default)]
pub struct ActExtras<'a> {
    pub evidence: Option<(&'a str, &'a [u8])>,
    pub accountability: Option<Accountability>,
}

const OFFICER_COLUMNS: &str = "id, division, name, certificate_no, area, issued_by, valid_from, valid_until, \
     training_hours, legal_qualification, suspended, duties";

fn officer_from_row(r: &sqlx::any::AnyRow) -> StoreResult<OfficerRow> {
    Ok(OfficerRow {
        officer: Officer {
            id: r.try_get(0)?,
            name: r.try_get(2)?,
            certificate_no: r.try_get(3)?,
            area: r.try_get(4)?,
            issued_by: r.try_get(5)?,
            valid_from: date(&r.try_get::<String, _>(6)?)?,
            valid_until: date(&r.try_get::<String, _>(7)?)?,
            training_hours: r.try_get(8)?,
            legal_qualification: r.try_get::<i64, _>(9)? != 0,
            suspended: r.try_get::<i64, _>(10)? != 0,
            reviews_done: 0,
        },
        division: r.try_get(1)?,
        duties: r.try_get(11)?,
    })
}

const CASE_COLUMNS: &str =
    "id, division, revision, party_kind, party_name, party_uscc, person_id, violation, filing, created_at_ms";

fn case_from_row(r: &sqlx::any::AnyRow) -> StoreResult<CaseRow> {
    let kind: String = r.try_get(3)?;
    let name: String = r.try_get(4)?;
    let party = match kind.as_str() {
        "organization" => {
            Party::Organization { name, uscc: r.try_get::<Option<String>, _>(5)?.ok_or_else(|| bad("party", &kind))? }
        }
        "person" => {
            Party::Person { person_id: r.try_get::<Option<i64>, _>(6)?.ok_or_else(|| bad("party", &kind))?, name }
        }
        _ => return Err(bad("party kind", &kind)),
    };
    let filing: String = r.try_get(8)?;
    Ok(CaseRow {
        id: r.try_get(0)?,
        division: r.try_get(1)?,
        revision: r.try_get(2)?,
        party,
        violation: r.try_get(7)?,
        filing: serde_json::from_str(&filing).map_err(|_| bad("filing", &filing))?,
        created_at_ms: r.try_get(9)?,
    })
}

fn act_from_row(payload: &str, recorded_by: i64, recorded_at_ms: i64) -> StoreResult<ActRow> {
    let act = serde_json::from_str(payload).map_err(|_| bad("act", payload))?;
    Ok(ActRow { act, recorded_by, recorded_at_ms })
}

fn ids_json(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Adds a register entry and its event, in one transaction. A certificate number already in
    /// the register is `Conflict("certificate_taken")`.
    pub async fn enforcement_add_officer(
        &self,
        division: &str,
        officer: &NewOfficer,
        duties: &str,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM enforcement_officers WHERE certificate_no = $1")
            .bind(&officer.certificate_no)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict("certificate_taken".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enforcement_officers (division, name, certificate_no, area, issued_by, valid_from, valid_until, \
             training_hours, legal_qualification, suspended, duties, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11) RETURNING id",
        )
        .bind(division)
        .bind(&officer.name)
        .bind(&officer.certificate_no)
        .bind(&officer.area)
        .bind(&officer.issued_by)
        .bind(officer.valid_from.to_string())
        .bind(officer.valid_until.to_string())
        .bind(officer.training_hours)
        .bind(i64::from(officer.legal_qualification))
        .bind(duties)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Suspends (暂扣) or restores an officer's credential, with its event.
    pub async fn enforcement_set_suspended(
        &self,
        id: i64,
        suspended: bool,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE enforcement_officers SET suspended = $1 WHERE id = $2")
            .bind(i64::from(suspended))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The register entries inside the scope (all of them with `None`), each with the number of
    /// 法制审核 reviews recorded by the officer on any case.
    pub async fn enforcement_officers(&self, scope: Option<&Scope>) -> StoreResult<Vec<OfficerRow>> {
        let rows = match scope {
            Some(scope) => {
                let sql = format!(
                    "SELECT {OFFICER_COLUMNS} FROM enforcement_officers WHERE {} ORDER BY id",
                    scope.clause("division", 1)
                );
                let mut query = sqlx::query(&sql);
                for pattern in scope.patterns() {
                    query = query.bind(pattern);
                }
                query.fetch_all(&self.reads).await?
            }
            None => {
                sqlx::query(&format!("SELECT {OFFICER_COLUMNS} FROM enforcement_officers ORDER BY id"))
                    .fetch_all(&self.reads)
                    .await?
            }
        };
        let mut officers = rows.iter().map(officer_from_row).collect::<StoreResult<Vec<_>>>()?;
        let reviews: Vec<String> = sqlx::query_scalar("SELECT payload FROM enforcement_acts WHERE kind = 'review'")
            .fetch_all(&self.reads)
            .await?;
        for payload in reviews {
            if let Ok(Act::Review { reviewer, .. }) = serde_json::from_str::<Act>(&payload) {
                if let Some(row) = officers.iter_mut().find(|o| o.officer.id == reviewer) {
                    row.officer.reviews_done += 1;
                }
            }
        }
        Ok(officers)
    }

    /// Files a case (立案) and its event, in one transaction.
    pub async fn enforcement_create_case(
        &self,
        case: &NewCase,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let (kind, name, uscc, person_id) = match &case.party {
            Party::Organization { name, uscc } => ("organization", name, Some(uscc.clone()), None),
            Party::Person { person_id, name } => ("person", name, None, Some(*person_id)),
        };
        let filing = serde_json::to_string(&case.filing).map_err(|e| StoreError::Other(e.to_string()))?;
        let insert = sqlx::query_scalar(
            "INSERT INTO enforcement_cases (division, revision, party_kind, party_name, party_uscc, person_id, violation, \
             filing, filed_on, filed_by, created_at_ms) VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&case.division)
        .bind(kind)
        .bind(name)
        .bind(uscc)
        .bind(person_id)
        .bind(&case.violation)
        .bind(filing)
        .bind(case.filing.filed_on.to_string())
        .bind(case.filed_by)
        .bind(at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }

    /// A case with its acts and its accountability review.
    pub async fn enforcement_case(&self, id: i64) -> StoreResult<CaseFull> {
        let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM enforcement_cases WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let case = case_from_row(&row)?;
        let acts = sqlx::query(
            "SELECT payload, recorded_by, recorded_at_ms FROM enforcement_acts WHERE case_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| act_from_row(&r.try_get::<String, _>(0)?, r.try_get(1)?, r.try_get(2)?))
        .collect::<StoreResult<Vec<_>>>()?;
        let accountability = sqlx::query(
            "SELECT case_id, opened_on, officers, reason FROM enforcement_accountability WHERE case_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reads)
        .await?
        .map(|r| accountability_from_row(&r))
        .transpose()?;
        Ok(CaseFull { case, acts, accountability })
    }

    /// Every case in the scope with its acts, newest first.
    pub async fn enforcement_cases(&self, scope: &Scope) -> StoreResult<Vec<CaseFull>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM enforcement_cases WHERE {} ORDER BY filed_on DESC, id DESC",
            scope.clause("division", 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let cases = query.fetch_all(&self.reads).await?.iter().map(case_from_row).collect::<StoreResult<Vec<_>>>()?;
        let sql = format!(
            "SELECT a.case_id, a.payload, a.recorded_by, a.recorded_at_ms FROM enforcement_acts a \
             JOIN enforcement_cases c ON c.id = a.case_id WHERE {} ORDER BY a.id",
            scope.clause("c.division", 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let act_rows = query.fetch_all(&self.reads).await?;
        let accountability = sqlx::query("SELECT case_id, opened_on, officers, reason FROM enforcement_accountability")
            .fetch_all(&self.reads)
            .await?
            .iter()
            .map(accountability_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let mut out: Vec<CaseFull> = cases
            .into_iter()
            .map(|case| {
                let acc = accountability.iter().find(|a| a.case_id == case.id).cloned();
                CaseFull { case, acts: Vec::new(), accountability: acc }
            })
            .collect();
        for r in &act_rows {
            let case_id: i64 = r.try_get(0)?;
            if let Some(full) = out.iter_mut().find(|f| f.case.id == case_id) {
                full.acts.push(act_from_row(&r.try_get::<String, _>(1)?, r.try_get(2)?, r.try_get(3)?)?);
            }
        }
        Ok(out)
    }

    /// Records an act (with its evidence file or accountability review) and its events, at the
    /// revision read, in one transaction.
    #[allow(clippy::too_many_arguments)] // the act, what it adds, its writer, and the write's contract
    pub async fn enforcement_add_act(
        &self,
        case_id: i64,
        revision: i64,
        act: &Act,
        extras: ActExtras<'_>,
        recorded_by: i64,
        at: DateTime<Utc>,
        events: &[EventDraft],
    ) -> StoreResult<()> {
        let payload = serde_json::to_string(act).map_err(|e| StoreError::Other(e.to_string()))?;
        let at_ms = at.timestamp_millis();
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE enforcement_cases SET revision = revision + 1 WHERE id = $1 AND revision = $2")
            .bind(case_id)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("enforcement_revision".into()));
        }
        if let Some((hash, bytes)) = extras.evidence {
            let size = i64::try_from(bytes.len()).map_err(|_| StoreError::Invalid("文件过大".into()))?;
            sqlx::query(
                "INSERT INTO blobs (hash, bytes, size, created_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
            )
            .bind(hash)
            .bind(bytes.to_vec())
            .bind(size)
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO enforcement_acts (case_id, kind, on_date, payload, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case_id)
        .bind(act.kind())
        .bind(act.on().to_string())
        .bind(payload)
        .bind(recorded_by)
        .bind(at_ms)
        .execute(&mut *tx)
        .await?;
        if let Some(acc) = extras.accountability {
            sqlx::query(
                "INSERT INTO enforcement_accountability (case_id, opened_on, officers, reason, created_at_ms) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING",
            )
            .bind(acc.case_id)
            .bind(acc.opened_on.to_string())
            .bind(ids_json(&acc.officers))
            .bind(&acc.reason)
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
        }
        for event in events {
            append(&mut tx, self.backend, event, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// An evidence file by its SM3 hash (from the shared blob store).
    pub async fn enforcement_evidence(&self, hash: &str) -> StoreResult<Vec<u8>> {
        sqlx::query_scalar("SELECT bytes FROM blobs WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)
    }
}

fn accountability_from_row(r: &sqlx::any::AnyRow) -> StoreResult<Accountability> {
    let officers: String = r.try_get(2)?;
    Ok(Accountability {
        case_id: r.try_get(0)?,
        opened_on: date(&r.try_get::<String, _>(1)?)?,
        officers: serde_json::from_str(&officers).map_err(|_| bad("officers", &officers))?,
        reason: r.try_get(3)?,
    })
}
