//! 政府信息公开 依申请公开: the area's tables. A request is now a case of the item
//! `government-information-request`, its answer and remedies in [`cases`] (the area's own
//! migrations); the requests received before, in the shared migration 0017's tables here, stay
//! readable and handleable until closed, and the report reads both. Every write bumps the request's
//! revision under the revision the caller read (a request changed since is
//! `Conflict("disclosure_revision")`), and appends its event, in one transaction. The periods
//! are never stored: they are computed from the dates by `domain::verticals::disclosure`.

pub mod cases;

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::verticals::disclosure::{
    AnswerKind, ApplicantKind, Channel, NewRequest, ProvisionForm, RemedyKind, RemedyResult, Step, WithholdReason,
};
use sqlx::Row;

use crate::audit::append;
use crate::persons::Scope;
use crate::rows::{bad, date, opt_date};
use crate::{Keys, Store, StoreError, StoreResult};

/// A stored request, its personal numbers masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub applicant_kind: ApplicantKind,
    pub applicant_name: String,
    pub identity_masked: String,
    pub contact_masked: String,
    pub address: String,
    pub description: String,
    pub form: ProvisionForm,
    pub channel: Channel,
    pub submitted_on: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    pub received_on: NaiveDate,
    pub created_at_ms: i64,
}

/// A stored step, with its note (what to correct, who approved, which third party).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub step: Step,
    pub note: String,
    pub recorded_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub kind: AnswerKind,
    pub withhold_reason: Option<WithholdReason>,
    pub details: String,
    pub answered_on: NaiveDate,
    pub fee_charged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemedyRow {
    pub id: i64,
    pub request_id: i64,
    pub kind: RemedyKind,
    pub result: RemedyResult,
    pub filed_on: NaiveDate,
    pub note: String,
}

/// A request with its history, as one read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFull {
    pub request: RequestRow,
    pub steps: Vec<StepRow>,
    pub answer: Option<AnswerRow>,
    pub remedies: Vec<RemedyRow>,
}

const REQUEST_COLUMNS: &str =
    "id, division, revision, applicant_kind, applicant_name, identity_masked, contact_masked, \
     address, description, form, channel, submitted_on, signed_on, confirmed_on, received_on, created_at_ms";

fn request_from_row(r: &sqlx::any::AnyRow) -> StoreResult<RequestRow> {
    let kind: String = r.try_get(3)?;
    let form: String = r.try_get(9)?;
    let channel: String = r.try_get(10)?;
    Ok(RequestRow {
        id: r.try_get(0)?,
        division: r.try_get(1)?,
        revision: r.try_get(2)?,
        applicant_kind: ApplicantKind::parse(&kind).ok_or_else(|| bad("applicant kind", &kind))?,
        applicant_name: r.try_get(4)?,
        identity_masked: r.try_get(5)?,
        contact_masked: r.try_get(6)?,
        address: r.try_get(7)?,
        description: r.try_get(8)?,
        form: ProvisionForm::parse(&form).ok_or_else(|| bad("form", &form))?,
        channel: Channel::parse(&channel).ok_or_else(|| bad("channel", &channel))?,
        submitted_on: date(&r.try_get::<String, _>(11)?)?,
        signed_on: opt_date(r.try_get(12)?)?,
        confirmed_on: opt_date(r.try_get(13)?)?,
        received_on: date(&r.try_get::<String, _>(14)?)?,
        created_at_ms: r.try_get(15)?,
    })
}

fn step_from_row(r: &sqlx::any::AnyRow) -> StoreResult<StepRow> {
    let kind: String = r.try_get(0)?;
    let on = date(&r.try_get::<String, _>(1)?)?;
    let until = opt_date(r.try_get(2)?)?;
    let workdays: Option<i64> = r.try_get(3)?;
    let step = match kind.as_str() {
        "correction_notice" => Step::CorrectionNotice { on, until: until.ok_or_else(|| bad("correction", &kind))? },
        "corrected" => Step::Corrected { on },
        "extension" => Step::Extension {
            on,
            workdays: workdays.and_then(|n| u32::try_from(n).ok()).ok_or_else(|| bad("extension", &kind))?,
        },
        "consultation_start" => Step::ConsultationStart { on },
        "consultation_end" => Step::ConsultationEnd { on },
        _ => return Err(bad("step kind", &kind)),
    };
    Ok(StepRow { step, note: r.try_get(4)?, recorded_at_ms: r.try_get(5)? })
}

/// What the annual report reads of a request: its applicant kind, receipt and answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub division: String,
    pub applicant_kind: ApplicantKind,
    pub received_on: NaiveDate,
    pub answer: Option<(NaiveDate, AnswerKind, Option<WithholdReason>)>,
}

impl Store {
    /// Stores a new request (its identity number and telephone SM4-encrypted, with masked
    /// copies) and its event, in one transaction.
    pub async fn create_disclosure_request(
        &self,
        keys: &Keys,
        division: &str,
        request: &NewRequest,
        created_by: Option<i64>,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO disclosure_requests (division, revision, applicant_kind, applicant_name, identity_enc, identity_masked, \
             contact_enc, contact_masked, address, description, form, channel, submitted_on, signed_on, confirmed_on, \
             received_on, created_by, created_at_ms) \
             VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(division)
        .bind(request.applicant_kind.as_str())
        .bind(&request.applicant_name)
        .bind(keys.encrypt("identity_enc", &request.identity))
        .bind(domain::idcard::mask_id_text(&request.identity))
        .bind(keys.encrypt("contact_enc", &request.contact))
        .bind(domain::person::mask_phone(&request.contact))
        .bind(&request.address)
        .bind(&request.description)
        .bind(request.form.as_str())
        .bind(request.receipt.channel.as_str())
        .bind(request.receipt.submitted_on.to_string())
        .bind(request.receipt.signed_on.map(|d| d.to_string()))
        .bind(request.receipt.confirmed_on.map(|d| d.to_string()))
        .bind(request.received_on.to_string())
        .bind(created_by)
        .bind(at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }

    /// A request with its steps, answer and remedies.
    pub async fn disclosure_request(&self, id: i64) -> StoreResult<RequestFull> {
        let row = sqlx::query(&format!("SELECT {REQUEST_COLUMNS} FROM disclosure_requests WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let request = request_from_row(&row)?;
        let steps = sqlx::query(
            "SELECT kind, on_date, until_date, workdays, note, recorded_at_ms FROM disclosure_steps \
             WHERE request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(step_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        let answer = sqlx::query(
            "SELECT kind, withhold_reason, details, answered_on, fee_charged FROM disclosure_answers WHERE request_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reads)
        .await?
        .map(|r| -> StoreResult<AnswerRow> {
            let kind: String = r.try_get(0)?;
            let reason: Option<String> = r.try_get(1)?;
            Ok(AnswerRow {
                kind: AnswerKind::parse(&kind).ok_or_else(|| bad("answer kind", &kind))?,
                withhold_reason: reason.as_deref().and_then(WithholdReason::parse),
                details: r.try_get(2)?,
                answered_on: date(&r.try_get::<String, _>(3)?)?,
                fee_charged: r.try_get::<i64, _>(4)? != 0,
            })
        })
        .transpose()?;
        let remedies = self.disclosure_remedies_where("request_id = $1", id).await?;
        Ok(RequestFull { request, steps, answer, remedies })
    }

    async fn disclosure_remedies_where(&self, clause: &str, value: i64) -> StoreResult<Vec<RemedyRow>> {
        let rows = sqlx::query(&format!(
            "SELECT id, request_id, kind, result, filed_on, note FROM disclosure_remedies WHERE {clause} ORDER BY id"
        ))
        .bind(value)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(2)?;
                let result: String = r.try_get(3)?;
                Ok(RemedyRow {
                    id: r.try_get(0)?,
                    request_id: r.try_get(1)?,
                    kind: RemedyKind::parse(&kind).ok_or_else(|| bad("remedy kind", &kind))?,
                    result: RemedyResult::parse(&result).ok_or_else(|| bad("remedy result", &result))?,
                    filed_on: date(&r.try_get::<String, _>(4)?)?,
                    note: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The requests whose division is inside the scope (a prefix filter; the caller checks the
    /// tree), unanswered first, then newest first.
    pub async fn disclosure_requests(
        &self,
        scope: &Scope,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<(RequestRow, Option<NaiveDate>)>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT {cols}, (SELECT answered_on FROM disclosure_answers a WHERE a.request_id = r.id) FROM disclosure_requests r \
             WHERE {clause} ORDER BY CASE WHEN EXISTS (SELECT 1 FROM disclosure_answers a WHERE a.request_id = r.id) THEN 1 ELSE 0 END, \
             received_on DESC, id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2,
            cols = REQUEST_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", "),
            clause = scope.clause("r.division", 1),
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let rows = query.bind(limit).bind(offset).fetch_all(&self.reads).await?;
        rows.iter().map(|r| Ok((request_from_row(r)?, opt_date(r.try_get(16)?)?))).collect()
    }

    /// What the annual report reads: every request in the scope received by `last_day`.
    pub async fn disclosure_report_rows(&self, scope: &Scope, last_day: NaiveDate) -> StoreResult<Vec<ReportRow>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT r.applicant_kind, r.received_on, a.answered_on, a.kind, a.withhold_reason, r.division FROM disclosure_requests r \
             LEFT JOIN disclosure_answers a ON a.request_id = r.id WHERE {} AND r.received_on <= ${} ORDER BY r.id",
            scope.clause("r.division", 1),
            n + 1
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let rows = query.bind(last_day.to_string()).fetch_all(&self.reads).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(0)?;
                let answered_on: Option<String> = r.try_get(2)?;
                let answer_kind: Option<String> = r.try_get(3)?;
                let reason: Option<String> = r.try_get(4)?;
                let answer = match (answered_on, answer_kind) {
                    (Some(on), Some(k)) => Some((
                        date(&on)?,
                        AnswerKind::parse(&k).ok_or_else(|| bad("answer kind", &k))?,
                        reason.as_deref().and_then(WithholdReason::parse),
                    )),
                    _ => None,
                };
                Ok(ReportRow {
                    division: r.try_get(5)?,
                    applicant_kind: ApplicantKind::parse(&kind).ok_or_else(|| bad("applicant kind", &kind))?,
                    received_on: date(&r.try_get::<String, _>(1)?)?,
                    answer,
                })
            })
            .collect()
    }

    /// The remedies against requests in the scope, with the request's division.
    pub async fn disclosure_report_remedies(&self, scope: &Scope) -> StoreResult<Vec<(String, RemedyRow)>> {
        let sql = format!(
            "SELECT m.id, m.request_id, m.kind, m.result, m.filed_on, m.note, r.division FROM disclosure_remedies m \
             JOIN disclosure_requests r ON r.id = m.request_id WHERE {} ORDER BY m.id",
            scope.clause("r.division", 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let rows = query.fetch_all(&self.reads).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(2)?;
                let result: String = r.try_get(3)?;
                Ok((
                    r.try_get(6)?,
                    RemedyRow {
                        id: r.try_get(0)?,
                        request_id: r.try_get(1)?,
                        kind: RemedyKind::parse(&kind).ok_or_else(|| bad("remedy kind", &kind))?,
                        result: RemedyResult::parse(&result).ok_or_else(|| bad("remedy result", &result))?,
                        filed_on: date(&r.try_get::<String, _>(4)?)?,
                        note: r.try_get(5)?,
                    },
                ))
            })
            .collect()
    }

    /// Takes the request at the revision the caller read, inside `tx`; a request changed since
    /// is `Conflict("disclosure_revision")`.
    async fn bump_disclosure(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        id: i64,
        revision: i64,
    ) -> StoreResult<()> {
        let done =
            sqlx::query("UPDATE disclosure_requests SET revision = revision + 1 WHERE id = $1 AND revision = $2")
                .bind(id)
                .bind(revision)
                .execute(&mut **tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("disclosure_revision".into()));
        }
        Ok(())
    }

    /// Records a step and its event, at the revision read.
    #[allow(clippy::too_many_arguments)] // the step, its note, its writer, and the write's contract
    pub async fn add_disclosure_step(
        &self,
        id: i64,
        revision: i64,
        step: &Step,
        note: &str,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let (until, workdays) = match step {
            Step::CorrectionNotice { until, .. } => (Some(until.to_string()), None),
            Step::Extension { workdays, .. } => (None, Some(i64::from(*workdays))),
            _ => (None, None),
        };
        let mut tx = self.begin_write().await?;
        Store::bump_disclosure(&mut tx, id, revision).await?;
        sqlx::query(
            "INSERT INTO disclosure_steps (request_id, kind, on_date, until_date, workdays, note, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(step.kind())
        .bind(step.on().to_string())
        .bind(until)
        .bind(workdays)
        .bind(note)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the answer and its event, at the revision read; a second answer is
    /// `Conflict("disclosure_answered")`.
    #[allow(clippy::too_many_arguments)] // the answer, its writer, and the write's contract
    pub async fn answer_disclosure(
        &self,
        id: i64,
        revision: i64,
        answer: &AnswerRow,
        answered_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        Store::bump_disclosure(&mut tx, id, revision).await?;
        let inserted = sqlx::query(
            "INSERT INTO disclosure_answers (request_id, kind, withhold_reason, details, answered_on, fee_charged, answered_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(answer.kind.as_str())
        .bind(answer.withhold_reason.map(|r| r.as_str()))
        .bind(&answer.details)
        .bind(answer.answered_on.to_string())
        .bind(i64::from(answer.fee_charged))
        .bind(answered_by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            return Err(match StoreError::from(err) {
                StoreError::Conflict(_) => StoreError::Conflict("disclosure_answered".into()),
                other => other,
            });
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a remedy (new, or a new result of `remedy_id`) and its event, at the revision read.
    #[allow(clippy::too_many_arguments)] // the remedy, its writer, and the write's contract
    pub async fn put_disclosure_remedy(
        &self,
        id: i64,
        revision: i64,
        remedy_id: Option<i64>,
        remedy: &RemedyRow,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        Store::bump_disclosure(&mut tx, id, revision).await?;
        let remedy_id = write_remedy(
            &mut tx,
            RemedyOwner::Request(id),
            remedy_id,
            (remedy.kind, remedy.result, remedy.filed_on, &remedy.note),
            recorded_by,
            at,
        )
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(remedy_id)
    }
}

/// Whose remedies a row belongs to: a request entered before the move, or a request case.
#[derive(Debug, Clone, Copy)]
pub(super) enum RemedyOwner {
    Request(i64),
    Case(i64),
}

/// Writes a remedy of `owner` (new, or a new result of `remedy_id`) in `tx`: the one write of
/// both remedy tables, which differ only in the column naming their owner.
pub(super) async fn write_remedy(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    owner: RemedyOwner,
    remedy_id: Option<i64>,
    (kind, result, filed_on, note): (RemedyKind, RemedyResult, NaiveDate, &str),
    recorded_by: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let (table, column, owner_id) = match owner {
        RemedyOwner::Request(id) => ("disclosure_remedies", "request_id", id),
        RemedyOwner::Case(id) => ("disclosure_case_remedies", "case_id", id),
    };
    match remedy_id {
        Some(rid) => {
            let done = sqlx::query(&format!(
                "UPDATE {table} SET result = $1, note = $2, recorded_by = $3, recorded_at_ms = $4 \
                 WHERE id = $5 AND {column} = $6"
            ))
            .bind(result.as_str())
            .bind(note)
            .bind(recorded_by)
            .bind(at.timestamp_millis())
            .bind(rid)
            .bind(owner_id)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(rid)
        }
        None => Ok(sqlx::query_scalar(&format!(
            "INSERT INTO {table} ({column}, kind, result, filed_on, note, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        ))
        .bind(owner_id)
        .bind(kind.as_str())
        .bind(result.as_str())
        .bind(filed_on.to_string())
        .bind(note)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut **tx)
        .await?),
    }
}
