//! 重大行政决策和规范性文件: the area's tables (its own migration folder). Every write takes the
//! row at the revision the caller read (a row changed since is `Conflict("rule_revision")`) and
//! appends its events, in one transaction. States and deadlines are never stored: they are
//! derived from the dates by `domain::verticals::rule_making`.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::verticals::rule_making::consultation::CommentStatus;
use domain::verticals::rule_making::decision::Step;
use domain::verticals::rule_making::document::{NewDocument, StatusAct, StatusActKind, Validity, Verdict};
use domain::verticals::rule_making::hearing::{Selection, Side};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::rows::{bad, date, opt_date};
use crate::{Keys, Store, StoreError, StoreResult};

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "rule_making",
        sqlite: include_str!("migrations/sqlite/0001_rule_making.sql"),
        postgres: include_str!("migrations/postgres/0001_rule_making.sql"),
    },
    Migration {
        version: 2,
        name: "rule_comments",
        sqlite: include_str!("migrations/sqlite/0002_rule_comments.sql"),
        postgres: include_str!("migrations/postgres/0002_rule_comments.sql"),
    },
    Migration {
        version: 3,
        name: "rule_comment_accounts",
        sqlite: include_str!("migrations/sqlite/0003_rule_comment_accounts.sql"),
        postgres: include_str!("migrations/postgres/0003_rule_comment_accounts.sql"),
    },
    Migration {
        version: 4,
        name: "rule_phone_codes",
        sqlite: include_str!("migrations/sqlite/0004_rule_phone_codes.sql"),
        postgres: include_str!("migrations/postgres/0004_rule_phone_codes.sql"),
    },
    Migration {
        version: 5,
        name: "rule_hearing_applications",
        sqlite: include_str!("migrations/sqlite/0005_rule_hearing_applications.sql"),
        postgres: include_str!("migrations/postgres/0005_rule_hearing_applications.sql"),
    },
];

/// An application to take part in a hearing, with the organ's selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    pub id: i64,
    pub decision_id: i64,
    /// The position of the hearing's notice among the decision's acts.
    pub hearing_at: i64,
    pub person_id: i64,
    pub name: String,
    pub side: Side,
    pub statement: String,
    pub applied_on: NaiveDate,
    pub status: Selection,
    pub reason: String,
    pub decided_on: Option<NaiveDate>,
    pub revision: i64,
}

/// The field name the phone of a public comment is sealed under (in `rule_phone_codes` and,
/// copied, in `rule_comments`).
const PHONE_FIELD: &str = "rule_phone";

/// An SMS recorded as sent (the log the demo shows in place of a gateway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsRow {
    pub id: i64,
    pub decision_id: i64,
    pub phone_masked: String,
    pub message: String,
    pub sent_at: DateTime<Utc>,
    /// The division of the draft's decision (whose staff may read the SMS).
    pub division: String,
}

/// What became of a comment presented with a phone code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneComment {
    /// The code matched: the comment is recorded with its event (its id).
    Accepted(i64),
    /// No code of that ticket for this draft that is unused and unexpired.
    Missing,
    /// The code did not match; `left` tries remain on it.
    Wrong { left: i64 },
    /// Too many wrong tries: the code is spent.
    Spent,
}

/// A citizen's comment on a decision's draft, with the organ's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRow {
    pub id: i64,
    pub decision_id: i64,
    pub name: String,
    pub content: String,
    pub submitted_on: NaiveDate,
    pub status: CommentStatus,
    pub answer: String,
    pub answered_on: Option<NaiveDate>,
    pub revision: i64,
    /// The person of the signed-in citizen account it came from (实名认证); none for a comment
    /// from a verified phone, or received before comments required one.
    pub person_id: Option<i64>,
    /// The verified mobile it came from, masked (the number is stored SM4-encrypted).
    pub phone_masked: Option<String>,
}

/// A decision in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub id: i64,
    pub division: String,
    pub year: i32,
    pub title: String,
    pub organ: String,
    pub summary: String,
    pub opened_on: NaiveDate,
    pub revision: i64,
}

/// A decision with its acts, in the order recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFull {
    pub decision: DecisionRow,
    pub steps: Vec<(Step, i64)>,
}

/// What opens a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecisionRow {
    pub year: i32,
    pub title: String,
    pub organ: String,
    pub summary: String,
    pub opened_on: NaiveDate,
}

/// A document in the register, with its acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub document: NewDocument,
    pub amends_id: Option<i64>,
    pub filing_number: Option<String>,
    pub filed_on: Option<NaiveDate>,
    pub flagged_law: Option<String>,
    pub flagged_on: Option<NaiveDate>,
    pub acts: Vec<StatusAct>,
}

impl DocumentRow {
    pub fn validity(&self) -> Validity {
        Validity { effective_on: self.document.effective_on, valid_until: self.document.valid_until }
    }
}

/// A clean-up campaign and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanupFull {
    pub id: i64,
    pub division: String,
    pub title: String,
    pub started_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub revision: i64,
    pub items: Vec<CleanupItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanupItem {
    pub document_id: i64,
    pub number: String,
    pub title: String,
    pub verdict: Option<Verdict>,
    pub reason: String,
    pub decided_on: Option<NaiveDate>,
}

/// The tables whose rows carry a revision.
#[derive(Debug, Clone, Copy)]
enum Table {
    Decisions,
    Documents,
    Cleanups,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Decisions => "rule_decisions",
            Table::Documents => "rule_documents",
            Table::Cleanups => "rule_cleanups",
        }
    }
}

/// Takes the row at the revision the caller read; a row changed since is
/// `Conflict("rule_revision")`, a row that is not there `NotFound`.
async fn bump(tx: &mut sqlx::AnyConnection, table: Table, id: i64, revision: i64) -> StoreResult<()> {
    let done =
        sqlx::query(&format!("UPDATE {} SET revision = revision + 1 WHERE id = $1 AND revision = $2", table.name()))
            .bind(id)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        let exists: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id = $1", table.name()))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match exists {
            Some(_) => StoreError::Conflict("rule_revision".into()),
            None => StoreError::NotFound,
        });
    }
    Ok(())
}

const DOCUMENT_COLUMNS: &str =
    "id, division, revision, number, title, organ, published_on, effective_on, valid_until, \
     affects_business, comment_opened_on, comment_until, comment_short_reason, review_submitted_on, review_opinion_on, \
     review_opinion, basis, amends_id, filing_number, filed_on, flagged_law, flagged_on";

fn document_from_row(r: &sqlx::any::AnyRow) -> StoreResult<DocumentRow> {
    let comment_opened = opt_date(r.try_get(10)?)?;
    let comment_until = opt_date(r.try_get(11)?)?;
    let short: String = r.try_get(12)?;
    let basis: String = r.try_get(16)?;
    Ok(DocumentRow {
        id: r.try_get(0)?,
        division: r.try_get(1)?,
        revision: r.try_get(2)?,
        document: NewDocument {
            number: r.try_get(3)?,
            title: r.try_get(4)?,
            organ: r.try_get(5)?,
            published_on: date(&r.try_get::<String, _>(6)?)?,
            effective_on: date(&r.try_get::<String, _>(7)?)?,
            valid_until: date(&r.try_get::<String, _>(8)?)?,
            affects_business: r.try_get::<i64, _>(9)? != 0,
            comment: comment_opened.zip(comment_until).map(|(o, u)| (o, u, short)),
            review_submitted_on: date(&r.try_get::<String, _>(13)?)?,
            review_opinion_on: date(&r.try_get::<String, _>(14)?)?,
            review_opinion: r.try_get(15)?,
            basis: basis.lines().map(String::from).collect(),
            amends: None,
        },
        amends_id: r.try_get(17)?,
        filing_number: r.try_get(18)?,
        filed_on: opt_date(r.try_get(19)?)?,
        flagged_law: r.try_get(20)?,
        flagged_on: opt_date(r.try_get(21)?)?,
        acts: Vec::new(),
    })
}

async fn insert_act(
    conn: &mut sqlx::AnyConnection,
    document_id: i64,
    act: &StatusAct,
    cleanup_id: Option<i64>,
    by: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO rule_document_acts (document_id, kind, on_date, reason, cleanup_id, recorded_by, recorded_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(document_id)
    .bind(act.kind.as_str())
    .bind(act.on.to_string())
    .bind(&act.reason)
    .bind(cleanup_id)
    .bind(by)
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Opens a decision and records its event, in one transaction.
    pub async fn create_rule_decision(
        &self,
        division: &str,
        decision: &NewDecisionRow,
        opened_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO rule_decisions (division, year, title, organ, summary, opened_on, revision, opened_by, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) RETURNING id",
        )
        .bind(division)
        .bind(i64::from(decision.year))
        .bind(&decision.title)
        .bind(&decision.organ)
        .bind(&decision.summary)
        .bind(decision.opened_on.to_string())
        .bind(opened_by)
        .bind(at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }

    /// A decision with its acts.
    pub async fn rule_decision(&self, id: i64) -> StoreResult<DecisionFull> {
        let r = sqlx::query(
            "SELECT id, division, year, title, organ, summary, opened_on, revision FROM rule_decisions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reads)
        .await?
        .ok_or(StoreError::NotFound)?;
        let decision = DecisionRow {
            id: r.try_get(0)?,
            division: r.try_get(1)?,
            year: i32::try_from(r.try_get::<i64, _>(2)?).map_err(|_| bad("year", "?"))?,
            title: r.try_get(3)?,
            organ: r.try_get(4)?,
            summary: r.try_get(5)?,
            opened_on: date(&r.try_get::<String, _>(6)?)?,
            revision: r.try_get(7)?,
        };
        let steps =
            sqlx::query("SELECT detail, recorded_by FROM rule_decision_steps WHERE decision_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.reads)
                .await?
                .iter()
                .map(|r| {
                    let detail: String = r.try_get(0)?;
                    let step: Step = serde_json::from_str(&detail).map_err(|_| bad("step", &detail))?;
                    Ok((step, r.try_get::<i64, _>(1)?))
                })
                .collect::<StoreResult<Vec<_>>>()?;
        Ok(DecisionFull { decision, steps })
    }

    /// The decisions of a year (the 目录), in the scope, with their acts.
    pub async fn rule_decisions(&self, scope: &Scope, year: i32) -> StoreResult<Vec<DecisionFull>> {
        let n = scope.0.len();
        let sql = format!(
            "SELECT id FROM rule_decisions WHERE {} AND year = ${} ORDER BY opened_on, id",
            scope.clause("division", 1),
            n + 1
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let ids = query.bind(i64::from(year)).fetch_all(&self.reads).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.rule_decision(id).await?);
        }
        Ok(out)
    }

    /// Records an act of a decision and its event, at the revision read.
    pub async fn add_rule_decision_step(
        &self,
        id: i64,
        revision: i64,
        step: &Step,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let detail = serde_json::to_string(step).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        bump(&mut tx, Table::Decisions, id, revision).await?;
        sqlx::query(
            "INSERT INTO rule_decision_steps (decision_id, kind, on_date, detail, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(step.kind())
        .bind(step.on().to_string())
        .bind(detail)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Registers a document; one that amends another records the amendment on the other (on
    /// the new one's 施行日) in the same transaction. The same 文号 of the same organ twice is
    /// `Conflict("rule_document_number")`.
    #[allow(clippy::too_many_arguments)] // the document, its writer, and the write's contract
    pub async fn create_rule_document(
        &self,
        division: &str,
        document: &NewDocument,
        amends_id: Option<i64>,
        created_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> Vec<EventDraft>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO rule_documents (division, number, title, organ, published_on, effective_on, valid_until, \
             affects_business, comment_opened_on, comment_until, comment_short_reason, review_submitted_on, \
             review_opinion_on, review_opinion, basis, amends_id, revision, created_by, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, $17, $18) RETURNING id",
        )
        .bind(division)
        .bind(&document.number)
        .bind(&document.title)
        .bind(&document.organ)
        .bind(document.published_on.to_string())
        .bind(document.effective_on.to_string())
        .bind(document.valid_until.to_string())
        .bind(i64::from(document.affects_business))
        .bind(document.comment.as_ref().map(|c| c.0.to_string()))
        .bind(document.comment.as_ref().map(|c| c.1.to_string()))
        .bind(document.comment.as_ref().map(|c| c.2.clone()).unwrap_or_default())
        .bind(document.review_submitted_on.to_string())
        .bind(document.review_opinion_on.to_string())
        .bind(&document.review_opinion)
        .bind(document.basis.join("\n"))
        .bind(amends_id)
        .bind(created_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(err) => {
                return Err(match StoreError::from(err) {
                    StoreError::Conflict(_) => StoreError::Conflict("rule_document_number".into()),
                    other => other,
                })
            }
        };
        if let Some(old) = amends_id {
            let act = StatusAct {
                kind: StatusActKind::Amended,
                on: document.effective_on,
                reason: format!("由{}修改", document.number),
            };
            insert_act(&mut tx, old, &act, None, created_by, at).await?;
            sqlx::query("UPDATE rule_documents SET revision = revision + 1 WHERE id = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        for draft in event(id) {
            append(&mut tx, self.backend, &draft, at).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn rule_document_acts(&self, id: i64) -> StoreResult<Vec<StatusAct>> {
        sqlx::query("SELECT kind, on_date, reason FROM rule_document_acts WHERE document_id = $1 ORDER BY on_date, id")
            .bind(id)
            .fetch_all(&self.reads)
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get(0)?;
                Ok(StatusAct {
                    kind: StatusActKind::parse(&kind).ok_or_else(|| bad("act", &kind))?,
                    on: date(&r.try_get::<String, _>(1)?)?,
                    reason: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// A document with its acts.
    pub async fn rule_document(&self, id: i64) -> StoreResult<DocumentRow> {
        let r = sqlx::query(&format!("SELECT {DOCUMENT_COLUMNS} FROM rule_documents WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut row = document_from_row(&r)?;
        row.acts = self.rule_document_acts(id).await?;
        Ok(row)
    }

    /// The register: every document in the scope (all divisions when `None`), newest first.
    pub async fn rule_documents(&self, scope: Option<&Scope>) -> StoreResult<Vec<DocumentRow>> {
        let clause = scope.map(|s| s.clause("division", 1)).unwrap_or_else(|| "1 = 1".into());
        let sql =
            format!("SELECT {DOCUMENT_COLUMNS} FROM rule_documents WHERE {clause} ORDER BY published_on DESC, id DESC");
        let mut query = sqlx::query(&sql);
        if let Some(scope) = scope {
            for pattern in scope.patterns() {
                query = query.bind(pattern);
            }
        }
        let rows = query.fetch_all(&self.reads).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = document_from_row(r)?;
            row.acts = self.rule_document_acts(row.id).await?;
            out.push(row);
        }
        Ok(out)
    }

    /// The document's id by its organ and 文号.
    pub async fn rule_document_by_number(&self, organ: &str, number: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM rule_documents WHERE organ = $1 AND number = $2")
            .bind(organ)
            .bind(number)
            .fetch_optional(&self.reads)
            .await?)
    }

    /// Records the filing (备案) of a document, at the revision read.
    #[allow(clippy::too_many_arguments)] // the filing, its writer, and the write's contract
    pub async fn file_rule_document(
        &self,
        id: i64,
        revision: i64,
        filing_number: &str,
        filed_on: NaiveDate,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bump(&mut tx, Table::Documents, id, revision).await?;
        sqlx::query("UPDATE rule_documents SET filing_number = $1, filed_on = $2 WHERE id = $3")
            .bind(filing_number)
            .bind(filed_on.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a state act (废止, 宣布失效) on a document, at the revision read.
    pub async fn add_rule_document_act(
        &self,
        id: i64,
        revision: i64,
        act: &StatusAct,
        by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bump(&mut tx, Table::Documents, id, revision).await?;
        insert_act(&mut tx, id, act, None, by, at).await?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Flags documents for review because a law they cite changed, with one event each.
    pub async fn flag_rule_documents(
        &self,
        ids: &[i64],
        law: &str,
        on: NaiveDate,
        at: DateTime<Utc>,
        events: &[EventDraft],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for id in ids {
            sqlx::query(
                "UPDATE rule_documents SET flagged_law = $1, flagged_on = $2, revision = revision + 1 WHERE id = $3",
            )
            .bind(law)
            .bind(on.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        for event in events {
            append(&mut tx, self.backend, event, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Opens a clean-up campaign over `documents`, with its event.
    #[allow(clippy::too_many_arguments)] // the campaign, its writer, and the write's contract
    pub async fn create_rule_cleanup(
        &self,
        division: &str,
        title: &str,
        started_on: NaiveDate,
        documents: &[i64],
        created_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rule_cleanups (division, title, started_on, revision, created_by, created_at_ms) \
             VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
        )
        .bind(division)
        .bind(title)
        .bind(started_on.to_string())
        .bind(created_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        for document in documents {
            sqlx::query("INSERT INTO rule_cleanup_items (cleanup_id, document_id) VALUES ($1, $2)")
                .bind(id)
                .bind(document)
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A campaign with its items.
    pub async fn rule_cleanup(&self, id: i64) -> StoreResult<CleanupFull> {
        let r = sqlx::query(
            "SELECT id, division, title, started_on, published_on, revision FROM rule_cleanups WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reads)
        .await?
        .ok_or(StoreError::NotFound)?;
        let items = sqlx::query(
            "SELECT i.document_id, d.number, d.title, i.verdict, i.reason, i.decided_on FROM rule_cleanup_items i \
             JOIN rule_documents d ON d.id = i.document_id WHERE i.cleanup_id = $1 ORDER BY d.published_on, d.id",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(|r| {
            let verdict: Option<String> = r.try_get(3)?;
            Ok(CleanupItem {
                document_id: r.try_get(0)?,
                number: r.try_get(1)?,
                title: r.try_get(2)?,
                verdict: verdict.as_deref().map(|v| Verdict::parse(v).ok_or_else(|| bad("verdict", v))).transpose()?,
                reason: r.try_get(4)?,
                decided_on: opt_date(r.try_get(5)?)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(CleanupFull {
            id: r.try_get(0)?,
            division: r.try_get(1)?,
            title: r.try_get(2)?,
            started_on: date(&r.try_get::<String, _>(3)?)?,
            published_on: opt_date(r.try_get(4)?)?,
            revision: r.try_get(5)?,
            items,
        })
    }

    /// The campaigns in the scope, newest first.
    pub async fn rule_cleanups(&self, scope: &Scope) -> StoreResult<Vec<CleanupFull>> {
        let sql = format!(
            "SELECT id FROM rule_cleanups WHERE {} ORDER BY started_on DESC, id DESC",
            scope.clause("division", 1)
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        let ids = query.fetch_all(&self.reads).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.rule_cleanup(id).await?);
        }
        Ok(out)
    }

    /// Records the verdict on one document of a campaign, at the campaign's revision read.
    #[allow(clippy::too_many_arguments)] // the verdict, its writer, and the write's contract
    pub async fn set_rule_cleanup_verdict(
        &self,
        id: i64,
        revision: i64,
        document_id: i64,
        verdict: Verdict,
        reason: &str,
        on: NaiveDate,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bump(&mut tx, Table::Cleanups, id, revision).await?;
        let done = sqlx::query(
            "UPDATE rule_cleanup_items SET verdict = $1, reason = $2, decided_on = $3 WHERE cleanup_id = $4 AND document_id = $5",
        )
        .bind(verdict.as_str())
        .bind(reason)
        .bind(on.to_string())
        .bind(id)
        .bind(document_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a campaign's results: the published day, each repeal or lapse as its
    /// document's act on that day, and the events, in one transaction.
    #[allow(clippy::too_many_arguments)] // the campaign, its writer, and the write's contract
    pub async fn publish_rule_cleanup(
        &self,
        id: i64,
        revision: i64,
        on: NaiveDate,
        acts: &[(i64, StatusAct)],
        by: i64,
        at: DateTime<Utc>,
        events: &[EventDraft],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bump(&mut tx, Table::Cleanups, id, revision).await?;
        sqlx::query("UPDATE rule_cleanups SET published_on = $1 WHERE id = $2")
            .bind(on.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (document_id, act) in acts {
            insert_act(&mut tx, *document_id, act, Some(id), by, at).await?;
            sqlx::query("UPDATE rule_documents SET revision = revision + 1 WHERE id = $1")
                .bind(document_id)
                .execute(&mut *tx)
                .await?;
        }
        for event in events {
            append(&mut tx, self.backend, event, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every decision that has opened a comment period, newest first (the public consultation
    /// list; a draft published for comment is public).
    pub async fn rule_decisions_consulted(&self) -> StoreResult<Vec<DecisionFull>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM rule_decisions d WHERE EXISTS \
             (SELECT 1 FROM rule_decision_steps s WHERE s.decision_id = d.id AND s.kind = 'comment_opened') \
             ORDER BY id DESC",
        )
        .fetch_all(&self.reads)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.rule_decision(id).await?);
        }
        Ok(out)
    }

    /// Records a citizen's comment and its event, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_rule_comment(
        &self,
        decision_id: i64,
        from: (i64, i64),
        name: &str,
        content: &str,
        on: NaiveDate,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO rule_comments (decision_id, name, content, submitted_on, submitted_at_ms, status, answer, revision, \
             account_id, person_id) VALUES ($1, $2, $3, $4, $5, 'received', '', 0, $6, $7) RETURNING id",
        )
        .bind(decision_id)
        .bind(name)
        .bind(content)
        .bind(on.to_string())
        .bind(at.timestamp_millis())
        .bind(from.0)
        .bind(from.1);
        self.insert_with_event(insert, at, event).await
    }

    /// Records an SMS with a one-time code for commenting on `decision_id` from `phone`, and its
    /// event, in one transaction: the phone sealed, hashed and masked, the code as a keyed hash
    /// of itself with the phone's hash. Returns the ticket (the row's id) the comment presents.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_rule_phone_code(
        &self,
        keys: &Keys,
        decision_id: i64,
        phone: &str,
        code: &str,
        message: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let phone_hash = keys.lookup_hash(PHONE_FIELD, phone);
        let insert = sqlx::query_scalar(
            "INSERT INTO rule_phone_codes (decision_id, phone_enc, phone_hash, phone_masked, code_hash, message, \
             sent_at_ms, expires_at_ms, tries) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0) RETURNING id",
        )
        .bind(decision_id)
        .bind(keys.encrypt(PHONE_FIELD, phone))
        .bind(phone_hash.clone())
        .bind(domain::person::mask_phone(phone))
        .bind(code_hash(keys, &phone_hash, code))
        .bind(message)
        .bind(at.timestamp_millis())
        .bind(expires_at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }

    /// Checks `code` against the ticket's code for `decision_id` and, when it matches, spends the
    /// code and records the comment (its phone copied sealed and masked) with its event — in one
    /// transaction. A wrong code counts a try (committed, the comment not written); the last
    /// allowed wrong try spends the code.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_rule_comment_by_phone(
        &self,
        keys: &Keys,
        ticket: i64,
        decision_id: i64,
        code: &str,
        max_tries: i64,
        comment: (&str, &str),
        on: NaiveDate,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<PhoneComment> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT phone_enc, phone_hash, phone_masked, code_hash, tries FROM rule_phone_codes \
             WHERE id = $1 AND decision_id = $2 AND used_at_ms IS NULL AND expires_at_ms > $3",
        )
        .bind(ticket)
        .bind(decision_id)
        .bind(at.timestamp_millis())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(PhoneComment::Missing);
        };
        let (phone_enc, phone_hash, phone_masked, expected, tries): (String, String, String, String, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?);
        if tries >= max_tries {
            return Ok(PhoneComment::Spent);
        }
        let presented = code_hash(keys, &phone_hash, code);
        let differs = presented.len() != expected.len()
            || presented.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) != 0;
        if differs {
            let tries = tries + 1;
            // The last wrong try spends the code.
            let spent = (tries >= max_tries).then_some(at.timestamp_millis());
            sqlx::query("UPDATE rule_phone_codes SET tries = $1, used_at_ms = $2 WHERE id = $3")
                .bind(tries)
                .bind(spent)
                .bind(ticket)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(if spent.is_some() {
                PhoneComment::Spent
            } else {
                PhoneComment::Wrong { left: max_tries - tries }
            });
        }
        let used = sqlx::query("UPDATE rule_phone_codes SET used_at_ms = $1 WHERE id = $2 AND used_at_ms IS NULL")
            .bind(at.timestamp_millis())
            .bind(ticket)
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() == 0 {
            return Ok(PhoneComment::Missing);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rule_comments (decision_id, name, content, submitted_on, submitted_at_ms, status, answer, revision, \
             phone_enc, phone_masked) VALUES ($1, $2, $3, $4, $5, 'received', '', 0, $6, $7) RETURNING id",
        )
        .bind(decision_id)
        .bind(comment.0)
        .bind(comment.1)
        .bind(on.to_string())
        .bind(at.timestamp_millis())
        .bind(phone_enc)
        .bind(phone_masked)
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(PhoneComment::Accepted(id))
    }

    /// Records a citizen's application to take part in a hearing and its event, in one
    /// transaction; a second one of the same person to the same hearing is
    /// `Conflict("rule_hearing_applications_person")`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_rule_hearing_application(
        &self,
        decision_id: i64,
        hearing_at: i64,
        from: (i64, i64),
        name: &str,
        side: Side,
        statement: &str,
        on: NaiveDate,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO rule_hearing_applications (decision_id, hearing_at, account_id, person_id, name, side, statement, \
             applied_on, applied_at_ms, status, reason, revision) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'applied', '', 0) RETURNING id",
        )
        .bind(decision_id)
        .bind(hearing_at)
        .bind(from.0)
        .bind(from.1)
        .bind(name)
        .bind(side.as_str())
        .bind(statement)
        .bind(on.to_string())
        .bind(at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }

    /// The applications to a decision's hearings, in the order received.
    pub async fn rule_hearing_applications(&self, decision_id: i64) -> StoreResult<Vec<ApplicationRow>> {
        let rows = sqlx::query(
            "SELECT id, decision_id, hearing_at, person_id, name, side, statement, applied_on, status, reason, \
             decided_on, revision FROM rule_hearing_applications WHERE decision_id = $1 ORDER BY id",
        )
        .bind(decision_id)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                let side: String = r.try_get(5)?;
                let status: String = r.try_get(8)?;
                Ok(ApplicationRow {
                    id: r.try_get(0)?,
                    decision_id: r.try_get(1)?,
                    hearing_at: r.try_get(2)?,
                    person_id: r.try_get(3)?,
                    name: r.try_get(4)?,
                    side: Side::parse(&side).ok_or_else(|| bad("hearing side", &side))?,
                    statement: r.try_get(6)?,
                    applied_on: date(&r.try_get::<String, _>(7)?)?,
                    status: Selection::parse(&status).ok_or_else(|| bad("hearing selection", &status))?,
                    reason: r.try_get(9)?,
                    decided_on: opt_date(r.try_get(10)?)?,
                    revision: r.try_get(11)?,
                })
            })
            .collect()
    }

    /// Decides an application not yet decided, at the revision read, with its event.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_rule_hearing_application(
        &self,
        id: i64,
        revision: i64,
        status: Selection,
        reason: &str,
        on: NaiveDate,
        by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE rule_hearing_applications SET status = $1, reason = $2, decided_on = $3, decided_by = $4, \
             revision = revision + 1 WHERE id = $5 AND revision = $6 AND decided_on IS NULL",
        )
        .bind(status.as_str())
        .bind(reason)
        .bind(on.to_string())
        .bind(by)
        .bind(id)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("rule_revision".into()));
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The SMS recorded as sent, newest first (at most `limit`).
    pub async fn rule_sms_sent(&self, limit: i64) -> StoreResult<Vec<SmsRow>> {
        let rows = sqlx::query(
            "SELECT c.id, c.decision_id, c.phone_masked, c.message, c.sent_at_ms, d.division \
             FROM rule_phone_codes c JOIN rule_decisions d ON d.id = c.decision_id ORDER BY c.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                let ms: i64 = r.try_get(4)?;
                Ok(SmsRow {
                    id: r.try_get(0)?,
                    decision_id: r.try_get(1)?,
                    phone_masked: r.try_get(2)?,
                    message: r.try_get(3)?,
                    sent_at: DateTime::from_timestamp_millis(ms).ok_or_else(|| bad("sent_at_ms", &ms.to_string()))?,
                    division: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The comments on a decision, in the order received.
    pub async fn rule_comments(&self, decision_id: i64) -> StoreResult<Vec<CommentRow>> {
        let rows = sqlx::query(
            "SELECT id, decision_id, name, content, submitted_on, status, answer, answered_on, revision, person_id, \
             phone_masked FROM rule_comments WHERE decision_id = $1 ORDER BY id",
        )
        .bind(decision_id)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get(5)?;
                Ok(CommentRow {
                    id: r.try_get(0)?,
                    decision_id: r.try_get(1)?,
                    name: r.try_get(2)?,
                    content: r.try_get(3)?,
                    submitted_on: date(&r.try_get::<String, _>(4)?)?,
                    status: CommentStatus::parse(&status).ok_or_else(|| bad("comment status", &status))?,
                    answer: r.try_get(6)?,
                    answered_on: opt_date(r.try_get(7)?)?,
                    revision: r.try_get(8)?,
                    person_id: r.try_get(9)?,
                    phone_masked: r.try_get(10)?,
                })
            })
            .collect()
    }

    /// Answers a comment not yet answered, at the revision read, with its event.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_rule_comment(
        &self,
        id: i64,
        revision: i64,
        status: CommentStatus,
        answer: &str,
        on: NaiveDate,
        by: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE rule_comments SET status = $1, answer = $2, answered_on = $3, answered_by = $4, revision = revision + 1 \
             WHERE id = $5 AND revision = $6 AND answered_on IS NULL",
        )
        .bind(status.as_str())
        .bind(answer)
        .bind(on.to_string())
        .bind(by)
        .bind(id)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM rule_comments WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("rule_revision".into()),
                None => StoreError::NotFound,
            });
        }
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every decision of every organ, in the order opened (the public 主动公开 column reads the
    /// published ones).
    pub async fn rule_decisions_all(&self) -> StoreResult<Vec<DecisionFull>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM rule_decisions ORDER BY id").fetch_all(&self.reads).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.rule_decision(id).await?);
        }
        Ok(out)
    }
}

/// The keyed hash a phone code is kept as: the code with the phone's own hash, so the same code
/// sent to two phones is two hashes.
fn code_hash(keys: &Keys, phone_hash: &str, code: &str) -> String {
    keys.lookup_hash("rule_phone_code", &format!("{phone_hash}:{code}"))
}
