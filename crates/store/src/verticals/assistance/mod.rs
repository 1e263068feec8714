//! Social assistance: households as dated versions, applications (case → household, program),
//! and decisions committed with the case's decide act (one transaction). Migration 0005.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::person::NewPerson;
use sqlx::Row;

use crate::audit::append;
use crate::cases::{touch_case, CaseTouch};
use crate::crypto::Keys;
use crate::persons::{insert_person, Scope};
use crate::verticals::{ActConflict, ActError, Produced};
use crate::{Store, StoreError, StoreResult};

pub mod payee_accounts;
pub mod publicity_postings;
pub mod raise;

/// One household with every version, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub id: i64,
    pub division: String,
    pub urban: bool,
    /// (valid_from ISO date, body JSON), by date.
    pub versions: Vec<(String, String)>,
}

/// A household version to write: its date, its JSON body and the member person ids.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub valid_from: &'a str,
    pub body: &'a str,
    pub members: &'a [i64],
    /// (person, date of death) of the members the version states dead.
    pub deaths: &'a [(i64, String)],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub beneficiary: Option<i64>,
    pub facts: String,
    pub relative_flag: Option<String>,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub id: i64,
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub county: String,
    pub eligible: bool,
    pub granted: bool,
    pub payee: i64,
    /// JSON array of person ids.
    pub covered: String,
    pub amount_fen: i64,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    pub rule_version: String,
    pub inputs: String,
    /// JSON array of lines.
    pub trace: String,
    /// JSON array of reasons.
    pub reasons: String,
    pub authority: String,
    pub decided_on: String,
    pub applied_on: String,
    /// grant, refuse, adjust (a re-check that keeps paying), stop (a re-check that ends payment).
    pub outcome: String,
    /// The decision a periodic re-check reviewed.
    pub recheck_of: Option<i64>,
}

const DECISION_COLUMNS: &str =
    "id, case_id, household_id, program, county, eligible, granted, payee, covered, amount_fen, \
     first_month, last_month, rule_version, inputs, trace, reasons, authority, decided_on, applied_on, \
     outcome, recheck_of";

fn decision_from_row(row: &sqlx::any::AnyRow) -> StoreResult<DecisionRow> {
    Ok(DecisionRow {
        id: row.try_get(0)?,
        case_id: row.try_get(1)?,
        household_id: row.try_get(2)?,
        program: row.try_get(3)?,
        county: row.try_get(4)?,
        eligible: row.try_get::<i64, _>(5)? != 0,
        granted: row.try_get::<i64, _>(6)? != 0,
        payee: row.try_get(7)?,
        covered: row.try_get(8)?,
        amount_fen: row.try_get(9)?,
        first_month: row.try_get(10)?,
        last_month: row.try_get(11)?,
        rule_version: row.try_get(12)?,
        inputs: row.try_get(13)?,
        trace: row.try_get(14)?,
        reasons: row.try_get(15)?,
        authority: row.try_get(16)?,
        decided_on: row.try_get(17)?,
        applied_on: row.try_get(18)?,
        outcome: row.try_get(19)?,
        recheck_of: row.try_get(20)?,
    })
}

const APPLICATION_COLUMNS: &str =
    "a.case_id, a.household_id, a.program, a.beneficiary, a.facts, a.relative_flag, a.created_at_ms";

fn application_from_row(row: &sqlx::any::AnyRow) -> StoreResult<ApplicationRow> {
    Ok(ApplicationRow {
        case_id: row.try_get(0)?,
        household_id: row.try_get(1)?,
        program: row.try_get(2)?,
        beneficiary: row.try_get(3)?,
        facts: row.try_get(4)?,
        relative_flag: row.try_get(5)?,
        created_at_ms: row.try_get(6)?,
    })
}

/// A county home visit recorded on a case (单独登记备案 cases, 社会救助暂行办法; 民发〔2021〕57号).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeVisitRow {
    pub case_id: i64,
    pub visited_on: String,
    /// The division of the visiting office (a county or above).
    pub division: String,
    /// The actor label of the visitor.
    pub visitor: String,
    pub findings: String,
}

/// A decision to write with the decide act ([`crate::verticals::Effect::AssistanceDecision`]).
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub county: String,
    pub eligible: bool,
    pub granted: bool,
    pub payee: i64,
    pub covered: String,
    pub amount_fen: i64,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    pub rule_version: String,
    pub inputs: String,
    pub trace: String,
    pub reasons: String,
    pub authority: String,
    pub decided_on: String,
    pub applied_on: String,
    pub outcome: String,
    pub recheck_of: Option<i64>,
}

async fn insert_household(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    division: &str,
    urban: bool,
    created_by: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let sql = "INSERT INTO assistance_households (division, urban, created_by, created_at_ms) VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(sqlx::query_scalar(sql)
        .bind(division)
        .bind(i64::from(urban))
        .bind(created_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut **tx)
        .await?)
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    household: i64,
    version: &NewVersion<'_>,
    ms: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO assistance_household_versions (household_id, valid_from, body, created_at_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(household)
    .bind(version.valid_from)
    .bind(version.body)
    .bind(ms)
    .execute(&mut **tx)
    .await?;
    for person in version.members {
        let sql =
            "INSERT INTO assistance_household_members (household_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
        sqlx::query(sql).bind(household).bind(*person).execute(&mut **tx).await?;
    }
    // A death the version states is kept on the member row too (the earliest date stated).
    for (person, died_on) in version.deaths {
        sqlx::query(
            "UPDATE assistance_household_members SET died_on = $3 \
             WHERE household_id = $1 AND person_id = $2 AND (died_on IS NULL OR died_on > $3)",
        )
        .bind(household)
        .bind(*person)
        .bind(died_on.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A household version as built after its new members were inserted (owned: it names their ids).
#[derive(Debug, Clone, Default)]
pub struct VersionData {
    pub valid_from: String,
    pub body: String,
    pub members: Vec<i64>,
    pub deaths: Vec<(i64, String)>,
}

impl VersionData {
    fn borrowed(&self) -> NewVersion<'_> {
        NewVersion { valid_from: &self.valid_from, body: &self.body, members: &self.members, deaths: &self.deaths }
    }
}

/// Which household a form writes: a new one (its division and 城市/农村), or a new version of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseholdTarget {
    New { division: String, urban: bool },
    Existing(i64),
}

/// The persons a household form typed in and the store has not seen: each inserted with its
/// `person.create` event before the household is written, in the same transaction.
pub struct NewMembers<'a, F: Fn(usize, i64) -> EventDraft> {
    pub keys: &'a Keys,
    pub persons: &'a [NewPerson],
    /// The event of the `n`th new person, given its id.
    pub event: F,
}

impl Store {
    /// A new household with its first version and `household.create`, in one transaction.
    pub async fn create_household(
        &self,
        division: &str,
        urban: bool,
        created_by: i64,
        version: &NewVersion<'_>,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_household(&mut tx, division, urban, created_by, at).await?;
        insert_version(&mut tx, id, version, at.timestamp_millis()).await?;
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A household form as one unit of work: the new persons its rows typed in (with their
    /// events), then the household (new, or a new version of one) built by `build` on their ids
    /// (in the order of `new.persons`), then `build`'s events. Nothing is written unless all is.
    pub async fn write_household_form<F: Fn(usize, i64) -> EventDraft>(
        &self,
        new: NewMembers<'_, F>,
        target: &HouseholdTarget,
        created_by: i64,
        at: DateTime<Utc>,
        build: impl FnOnce(&[i64], i64) -> (VersionData, Vec<EventDraft>),
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(new.persons.len());
        for (n, person) in new.persons.iter().enumerate() {
            let id = insert_person(&mut tx, new.keys, person, created_by, at).await?;
            append(&mut tx, self.backend, &(new.event)(n, id), at).await?;
            ids.push(id);
        }
        let household = match target {
            HouseholdTarget::New { division, urban } => {
                insert_household(&mut tx, division, *urban, created_by, at).await?
            }
            HouseholdTarget::Existing(id) => *id,
        };
        let (version, events) = build(&ids, household);
        insert_version(&mut tx, household, &version.borrowed(), at.timestamp_millis()).await?;
        for event in &events {
            append(&mut tx, self.backend, event, at).await?;
        }
        tx.commit().await?;
        Ok(household)
    }

    /// A new version of a household from a date. A version on the same date is a conflict: versions
    /// are never rewritten.
    pub async fn add_household_version(
        &self,
        household: i64,
        version: &NewVersion<'_>,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        insert_version(&mut tx, household, version, at.timestamp_millis()).await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The households that have any of `persons` as a member (in any version), newest first, at
    /// most `limit`.
    pub async fn households_of_persons(&self, persons: &[i64], limit: i64) -> StoreResult<Vec<i64>> {
        if persons.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=persons.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT DISTINCT household_id FROM assistance_household_members WHERE person_id IN ({}) \
             ORDER BY household_id DESC LIMIT ${}",
            marks.join(", "),
            persons.len() + 1
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for person in persons {
            query = query.bind(*person);
        }
        Ok(query.bind(limit).fetch_all(&self.reads).await?)
    }

    pub async fn household(&self, id: i64) -> StoreResult<HouseholdRow> {
        let row = sqlx::query("SELECT id, division, urban FROM assistance_households WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let versions = sqlx::query(
            "SELECT valid_from, body FROM assistance_household_versions WHERE household_id = $1 ORDER BY valid_from",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<Vec<(String, String)>>>()?;
        Ok(HouseholdRow {
            id: row.try_get(0)?,
            division: row.try_get(1)?,
            urban: row.try_get::<i64, _>(2)? != 0,
            versions,
        })
    }

    /// Records the application's facts for a case (one per case) with its event.
    pub async fn put_application(
        &self,
        row: &ApplicationRow,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        self.put_application_and_account(row, None, at, event).await
    }

    /// [`Store::put_application`] with the payee's account entered with it (encrypted, see
    /// `payee_accounts.rs`), in the same transaction.
    pub async fn put_application_and_account(
        &self,
        row: &ApplicationRow,
        account: Option<(&crate::crypto::Keys, &payee_accounts::NewPayeeAccount<'_>)>,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        self.put_application_touching(row, account, at, event, None).await
    }

    /// [`Store::put_application_and_account`] as a client's write on the case ([`CaseTouch`]).
    pub async fn put_application_touching(
        &self,
        row: &ApplicationRow,
        account: Option<(&crate::crypto::Keys, &payee_accounts::NewPayeeAccount<'_>)>,
        at: DateTime<Utc>,
        event: &EventDraft,
        touch: Option<&CaseTouch<'_>>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if let Some(touch) = touch {
            touch_case(&mut tx, touch, at).await?;
        }
        if let Some((keys, account)) = account {
            payee_accounts::upsert(&mut tx, keys, account, at).await?;
        }
        sqlx::query(
            "INSERT INTO assistance_applications (case_id, household_id, program, beneficiary, facts, relative_flag, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.case_id)
        .bind(row.household_id)
        .bind(&row.program)
        .bind(row.beneficiary)
        .bind(&row.facts)
        .bind(row.relative_flag.clone())
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn application(&self, case_id: i64) -> StoreResult<Option<ApplicationRow>> {
        let sql = format!("SELECT {APPLICATION_COLUMNS} FROM assistance_applications a WHERE a.case_id = $1");
        let row = sqlx::query(&sql).bind(case_id).fetch_optional(&self.reads).await?;
        row.as_ref().map(application_from_row).transpose()
    }

    /// The applications of a household whose case is still open (a re-check under way, say).
    pub async fn open_applications_of_household(&self, household_id: i64) -> StoreResult<Vec<ApplicationRow>> {
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM assistance_applications a JOIN cases c ON c.id = a.case_id \
             WHERE a.household_id = $1 AND c.closed_at_ms IS NULL ORDER BY a.case_id"
        );
        let rows = sqlx::query(&sql).bind(household_id).fetch_all(&self.reads).await?;
        rows.iter().map(application_from_row).collect()
    }

    /// The flagged applications (经办人员、村干部近亲属: 单独登记备案) of households inside the scope.
    pub async fn flagged_applications(&self, scope: &Scope) -> StoreResult<Vec<ApplicationRow>> {
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM assistance_applications a JOIN assistance_households h ON h.id = a.household_id \
             WHERE a.relative_flag IS NOT NULL AND {} ORDER BY a.case_id",
            scope.clause("h.division", 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        query.fetch_all(&self.reads).await?.iter().map(application_from_row).collect()
    }

    pub async fn assistance_decision(&self, case_id: i64) -> StoreResult<Option<DecisionRow>> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM assistance_decisions WHERE case_id = $1");
        let row = sqlx::query(&sql).bind(case_id).fetch_optional(&self.reads).await?;
        row.as_ref().map(decision_from_row).transpose()
    }

    /// The decisions that set a county's payments — granted ones and re-check stops (停发) — in
    /// decision order.
    pub async fn granted_decisions_of_county(&self, county: &str) -> StoreResult<Vec<DecisionRow>> {
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM assistance_decisions WHERE county = $1 \
             AND (granted = 1 OR outcome = 'stop') ORDER BY id"
        );
        let rows = sqlx::query(&sql).bind(county).fetch_all(&self.reads).await?;
        rows.iter().map(decision_from_row).collect()
    }

    /// Every county's decisions of one program that set payments (granted, or a re-check stop), in
    /// decision order: what the sweep reads to open due re-checks.
    pub async fn paying_decisions_of_program(&self, program: &str) -> StoreResult<Vec<DecisionRow>> {
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM assistance_decisions WHERE program = $1 \
             AND (granted = 1 OR outcome = 'stop') ORDER BY id"
        );
        let rows = sqlx::query(&sql).bind(program).fetch_all(&self.reads).await?;
        rows.iter().map(decision_from_row).collect()
    }

    /// The decisions setting payments (granted, or a re-check stop) of every household any of
    /// `persons` belongs to (for exclusion).
    pub async fn granted_decisions_of_persons(&self, persons: &[i64]) -> StoreResult<Vec<DecisionRow>> {
        let mut out: Vec<DecisionRow> = Vec::new();
        for person in persons {
            let sql = format!(
                "SELECT {DECISION_COLUMNS} FROM assistance_decisions WHERE (granted = 1 OR outcome = 'stop') AND household_id IN \
                 (SELECT household_id FROM assistance_household_members WHERE person_id = $1) ORDER BY id"
            );
            for row in sqlx::query(&sql).bind(*person).fetch_all(&self.reads).await? {
                let d = decision_from_row(&row)?;
                if !out.iter().any(|o| o.id == d.id) {
                    out.push(d);
                }
            }
        }
        Ok(out)
    }

    /// Records the county's home visit of a case with its event, in one transaction.
    pub async fn put_home_visit(
        &self,
        visit: &HomeVisitRow,
        at: DateTime<Utc>,
        event: &EventDraft,
        touch: Option<&CaseTouch<'_>>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        if let Some(touch) = touch {
            touch_case(&mut tx, touch, at).await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assistance_home_visits (case_id, visited_on, division, visitor, findings, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(visit.case_id)
        .bind(&visit.visited_on)
        .bind(&visit.division)
        .bind(&visit.visitor)
        .bind(&visit.findings)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The home visits recorded on a case, oldest first.
    pub async fn home_visits(&self, case_id: i64) -> StoreResult<Vec<HomeVisitRow>> {
        let rows = sqlx::query(
            "SELECT case_id, visited_on, division, visitor, findings FROM assistance_home_visits \
             WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HomeVisitRow {
                    case_id: r.try_get(0)?,
                    visited_on: r.try_get(1)?,
                    division: r.try_get(2)?,
                    visitor: r.try_get(3)?,
                    findings: r.try_get(4)?,
                })
            })
            .collect()
    }
}

/// The decide act's effect, inside the act's transaction ([`crate::Store::commit_act`]): the
/// decision row. A second decision for the case is refused by `UNIQUE (case_id)`:
/// [`ActConflict::DecisionExists`].
pub(crate) async fn apply_decision(
    conn: &mut sqlx::AnyConnection,
    decision: &NewDecision,
    at: DateTime<Utc>,
) -> Result<Produced, ActError> {
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO assistance_decisions ({}, created_at_ms) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id",
        DECISION_COLUMNS.replacen("id, ", "", 1)
    ))
    .bind(decision.case_id)
    .bind(decision.household_id)
    .bind(&decision.program)
    .bind(&decision.county)
    .bind(i64::from(decision.eligible))
    .bind(i64::from(decision.granted))
    .bind(decision.payee)
    .bind(&decision.covered)
    .bind(decision.amount_fen)
    .bind(&decision.first_month)
    .bind(&decision.last_month)
    .bind(&decision.rule_version)
    .bind(&decision.inputs)
    .bind(&decision.trace)
    .bind(&decision.reasons)
    .bind(&decision.authority)
    .bind(&decision.decided_on)
    .bind(&decision.applied_on)
    .bind(&decision.outcome)
    .bind(decision.recheck_of)
    .bind(at.timestamp_millis())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => ActError::Conflict(ActConflict::DecisionExists),
        other => other.into(),
    })?;
    Ok(Produced::AssistanceDecision { id })
}
