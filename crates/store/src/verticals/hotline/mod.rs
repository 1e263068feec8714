//! 12345 tickets and 差评整改: the area's tables (`migrations/`). A ticket's receipt is its row
//! and what is done to it are its acts, each numbered in its history (`seq`): an act written
//! on a history that moved meanwhile meets `UNIQUE (ticket_id, seq)` and is refused as
//! `Conflict("hotline_revision")`. Each act commits with its event. The periods are never
//! stored: `domain::verticals::hotline` computes them from the dates.

use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::EventDraft;
use domain::verticals::hotline::{Act, Dated, NewTicket, RectAct, RectDated, TicketKind};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::ratings::BAD_GRADES_SQL;
use crate::rows::{bad, date};
use crate::{Keys, Store, StoreError, StoreResult};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "hotline",
    sqlite: include_str!("migrations/sqlite/0001_hotline.sql"),
    postgres: include_str!("migrations/postgres/0001_hotline.sql"),
}];

/// A stored ticket, the caller's number masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub platform_number: Option<String>,
    pub kind: TicketKind,
    pub caller_name: String,
    pub phone_masked: String,
    /// The keyed hash of the number, for repeat calls (never shown).
    pub phone_hash: String,
    pub subject: String,
    pub content: String,
    pub division: String,
    pub received_at_ms: i64,
    pub received_on: NaiveDate,
}

/// A ticket with its acts in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFull {
    pub ticket: TicketRow,
    pub acts: Vec<Dated>,
}

/// A 差评 and its rectification acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRating {
    pub case_id: i64,
    pub case_number: String,
    pub item_slug: String,
    /// 整体满意度's grade.
    pub grade: String,
    pub comment: String,
    pub competent_division: String,
    pub rated_at_ms: i64,
    /// The rater (the case's applicant), to be shown masked only.
    pub rater_name: Option<String>,
    /// `online` or `offline`.
    pub channel: String,
    /// (indicator, grade) of every indicator rated.
    pub grades: Vec<(String, String)>,
    pub acts: Vec<RectDated>,
}

const TICKET_COLUMNS: &str = "id, platform_number, kind, caller_name, phone_masked, phone_hash, subject, content, \
     division, received_at_ms, received_on";

fn ticket_from_row(r: &sqlx::any::AnyRow) -> StoreResult<TicketRow> {
    let kind: String = r.try_get(2)?;
    Ok(TicketRow {
        id: r.try_get(0)?,
        platform_number: r.try_get(1)?,
        kind: TicketKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
        caller_name: r.try_get(3)?,
        phone_masked: r.try_get(4)?,
        phone_hash: r.try_get(5)?,
        subject: r.try_get(6)?,
        content: r.try_get(7)?,
        division: r.try_get(8)?,
        received_at_ms: r.try_get(9)?,
        received_on: date(&r.try_get::<String, _>(10)?)?,
    })
}

/// (owner id, kind, on, text, number, by) of an act row.
fn act_parts(r: &sqlx::any::AnyRow) -> StoreResult<(i64, String, NaiveDate, String, Option<i64>, String)> {
    Ok((r.try_get(0)?, r.try_get(1)?, date(&r.try_get::<String, _>(2)?)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?))
}

fn revision_conflict(err: sqlx::Error) -> StoreError {
    match StoreError::from(err) {
        StoreError::Conflict(_) => StoreError::Conflict("hotline_revision".into()),
        other => other,
    }
}

impl Store {
    /// Receives a ticket (the caller's number SM4-encrypted, with its keyed hash and a masked
    /// copy) and its event, in one transaction. Idempotent on the platform's number: a number
    /// already received answers the stored ticket's id and `false`.
    pub async fn hotline_receive(
        &self,
        keys: &Keys,
        ticket: &NewTicket,
        created_by: Option<i64>,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<(i64, bool)> {
        if let Some(id) = self.hotline_by_platform_number(ticket.platform_number.as_deref()).await? {
            return Ok((id, false));
        }
        let phone = ticket.caller_phone.as_str();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query_scalar(
            "INSERT INTO hotline_tickets (platform_number, kind, caller_name, phone_enc, phone_hash, phone_masked, subject, \
             content, division, received_at_ms, received_on, created_by, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(ticket.platform_number.clone())
        .bind(ticket.kind.as_str())
        .bind(&ticket.caller_name)
        .bind(keys.encrypt("phone_enc", phone))
        .bind(keys.lookup_hash("phone", phone))
        .bind(ticket.caller_phone.masked())
        .bind(&ticket.subject)
        .bind(&ticket.content)
        .bind(&ticket.division)
        .bind(ticket.received_at.timestamp_millis())
        .bind(ticket.received_on.to_string())
        .bind(created_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(id) => id,
            Err(err) => {
                return match StoreError::from(err) {
                    // The same platform number received meanwhile: that ticket.
                    StoreError::Conflict(_) => {
                        drop(tx);
                        let id = self.hotline_by_platform_number(ticket.platform_number.as_deref()).await?;
                        id.map(|id| (id, false)).ok_or(StoreError::Conflict("hotline_platform_number".into()))
                    }
                    other => Err(other),
                };
            }
        };
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok((id, true))
    }

    async fn hotline_by_platform_number(&self, number: Option<&str>) -> StoreResult<Option<i64>> {
        let Some(number) = number else { return Ok(None) };
        Ok(sqlx::query_scalar("SELECT id FROM hotline_tickets WHERE platform_number = $1")
            .bind(number)
            .fetch_optional(&self.write)
            .await?)
    }

    /// A ticket with its acts.
    pub async fn hotline_ticket(&self, id: i64) -> StoreResult<TicketFull> {
        let row = sqlx::query(&format!("SELECT {TICKET_COLUMNS} FROM hotline_tickets WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let ticket = ticket_from_row(&row)?;
        let rows = sqlx::query(
            "SELECT ticket_id, kind, on_date, text, number, by_label FROM hotline_acts WHERE ticket_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.reads)
        .await?;
        let acts = rows.iter().map(ticket_act).collect::<StoreResult<Vec<_>>>()?;
        Ok(TicketFull { ticket, acts: acts.into_iter().map(|(_, d)| d).collect() })
    }

    /// The tickets received in `[from, to)` whose division, or a unit they were dispatched to,
    /// is in the scope (a coarse prefix filter; the caller checks the tree), newest first, with
    /// their acts.
    pub async fn hotline_tickets(&self, scope: &Scope, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<TicketFull>> {
        let n = scope.0.len();
        // Its division in the scope, or dispatched to a unit in it (the unit's queue).
        let filter = format!(
            "({} OR id IN (SELECT ticket_id FROM hotline_acts WHERE kind = 'dispatch' AND {})) \
             AND received_on >= ${} AND received_on < ${}",
            scope.clause("division", 1),
            scope.clause("text", n + 1),
            2 * n + 1,
            2 * n + 2
        );
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM hotline_tickets WHERE {filter} ORDER BY received_at_ms DESC, id DESC"
        );
        let mut q = sqlx::query(&sql);
        for p in scope.patterns().chain(scope.patterns()) {
            q = q.bind(p);
        }
        let rows = q.bind(from.to_string()).bind(to.to_string()).fetch_all(&self.reads).await?;
        let tickets = rows.iter().map(ticket_from_row).collect::<StoreResult<Vec<_>>>()?;
        let sql = format!(
            "SELECT ticket_id, kind, on_date, text, number, by_label FROM hotline_acts WHERE ticket_id IN \
             (SELECT id FROM hotline_tickets WHERE {filter}) ORDER BY ticket_id, seq"
        );
        let mut q = sqlx::query(&sql);
        for p in scope.patterns().chain(scope.patterns()) {
            q = q.bind(p);
        }
        let rows = q.bind(from.to_string()).bind(to.to_string()).fetch_all(&self.reads).await?;
        let mut acts: std::collections::HashMap<i64, Vec<Dated>> = std::collections::HashMap::new();
        for row in &rows {
            let (ticket_id, dated) = ticket_act(row)?;
            acts.entry(ticket_id).or_default().push(dated);
        }
        Ok(tickets
            .into_iter()
            .map(|ticket| TicketFull { acts: acts.remove(&ticket.id).unwrap_or_default(), ticket })
            .collect())
    }

    /// Appends an act as the `seq`-th of the ticket's history (the number of acts the caller
    /// read), with its event, in one transaction; a history that moved is `hotline_revision`.
    pub async fn hotline_act(
        &self,
        ticket_id: i64,
        seq: usize,
        dated: &Dated,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO hotline_acts (ticket_id, seq, kind, on_date, text, number, by_label, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(ticket_id)
        .bind(seq as i64)
        .bind(dated.act.kind())
        .bind(dated.on.to_string())
        .bind(dated.act.text())
        .bind(dated.act.number())
        .bind(&dated.by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await
        .map_err(revision_conflict)?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 差评 (不满意、非常不满意) given in `[from_ms, to_ms)` on cases whose competent division
    /// is in the scope, newest first, each with its rectification acts. `case_id`: only that one.
    pub async fn hotline_bad_ratings(
        &self,
        scope: &Scope,
        from_ms: i64,
        to_ms: i64,
        case_id: Option<i64>,
    ) -> StoreResult<Vec<BadRating>> {
        let n = scope.0.len();
        let filter = format!(
            "(r.grade IN {BAD_GRADES_SQL} OR EXISTS (SELECT 1 FROM case_rating_grades b WHERE b.case_id = r.case_id \
             AND b.grade IN {BAD_GRADES_SQL})) AND {} AND r.rated_at_ms >= ${} AND r.rated_at_ms < ${} \
             AND (${} = 0 OR r.case_id = ${})",
            scope.clause("r.competent_division", 1),
            n + 1,
            n + 2,
            n + 3,
            n + 4
        );
        let sql = format!(
            "SELECT r.case_id, c.number, c.item_slug, r.grade, r.comment, r.competent_division, r.rated_at_ms, p.name, \
             r.channel \
             FROM case_ratings r JOIN cases c ON c.id = r.case_id LEFT JOIN persons p ON p.id = c.applicant_person_id \
             WHERE {filter} ORDER BY r.rated_at_ms DESC, r.case_id DESC"
        );
        let only = case_id.unwrap_or(0);
        let mut q = sqlx::query(&sql);
        for p in scope.patterns() {
            q = q.bind(p);
        }
        let rows = q.bind(from_ms).bind(to_ms).bind(only).bind(only).fetch_all(&self.reads).await?;
        let mut ratings = rows
            .iter()
            .map(|r| {
                Ok(BadRating {
                    case_id: r.try_get(0)?,
                    case_number: r.try_get(1)?,
                    item_slug: r.try_get(2)?,
                    grade: r.try_get(3)?,
                    comment: r.try_get(4)?,
                    competent_division: r.try_get(5)?,
                    rated_at_ms: r.try_get(6)?,
                    rater_name: r.try_get(7)?,
                    channel: r.try_get(8)?,
                    grades: Vec::new(),
                    acts: Vec::new(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let sql = format!(
            "SELECT a.case_id, a.kind, a.on_date, a.text, a.number, a.by_label FROM hotline_rectification_acts a \
             JOIN case_ratings r ON r.case_id = a.case_id WHERE {filter} ORDER BY a.case_id, a.seq"
        );
        let mut q = sqlx::query(&sql);
        for p in scope.patterns() {
            q = q.bind(p);
        }
        let rows = q.bind(from_ms).bind(to_ms).bind(only).bind(only).fetch_all(&self.reads).await?;
        let mut acts: std::collections::HashMap<i64, Vec<RectDated>> = std::collections::HashMap::new();
        for row in &rows {
            let (case_id, kind, on, text, number, by) = act_parts(row)?;
            let act = RectAct::from_stored(&kind, &text, number).ok_or_else(|| bad("rectification act", &kind))?;
            acts.entry(case_id).or_default().push(RectDated { act, on, by });
        }
        let sql = format!(
            "SELECT g.case_id, g.dimension, g.grade FROM case_rating_grades g \
             JOIN case_ratings r ON r.case_id = g.case_id WHERE {filter}"
        );
        let mut q = sqlx::query(&sql);
        for p in scope.patterns() {
            q = q.bind(p);
        }
        let rows = q.bind(from_ms).bind(to_ms).bind(only).bind(only).fetch_all(&self.reads).await?;
        let mut grades: std::collections::HashMap<i64, Vec<(String, String)>> = std::collections::HashMap::new();
        for row in &rows {
            grades.entry(row.try_get(0)?).or_default().push((row.try_get(1)?, row.try_get(2)?));
        }
        for rating in &mut ratings {
            rating.acts = acts.remove(&rating.case_id).unwrap_or_default();
            rating.grades = grades.remove(&rating.case_id).unwrap_or_default();
        }
        Ok(ratings)
    }

    /// Appends a rectification act as the `seq`-th of the case's, with its event.
    pub async fn hotline_rectification_act(
        &self,
        case_id: i64,
        seq: usize,
        dated: &RectDated,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO hotline_rectification_acts (case_id, seq, kind, on_date, text, number, by_label, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(case_id)
        .bind(seq as i64)
        .bind(dated.act.kind())
        .bind(dated.on.to_string())
        .bind(dated.act.text())
        .bind(dated.act.number())
        .bind(&dated.by)
        .bind(at.timestamp_millis())
        .execute(&mut *tx)
        .await
        .map_err(revision_conflict)?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn ticket_act(r: &sqlx::any::AnyRow) -> StoreResult<(i64, Dated)> {
    let (ticket_id, kind, on, text, number, by) = act_parts(r)?;
    let act = Act::from_stored(&kind, &text, number).ok_or_else(|| bad("act", &kind))?;
    Ok((ticket_id, Dated { act, on, by }))
}
