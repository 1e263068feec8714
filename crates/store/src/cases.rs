//! Cases (办件): the state cache of each matter plus indexed columns for the lists, committed with
//! their events. The events in stream `case:{id}` are the truth; `state` is the engine's `Case`
//! as JSON (written by `service`), which the events could rebuild.

use chrono::{DateTime, Utc};
use domain::audit::{EventDraft, Hash, GENESIS};
use sqlx::Row;

use crate::audit::{
    append, bind_event, hash_hex, lock_head_sql, parse_hash, seal, write_event, StreamHeadLock, EVENT_INSERT,
    GENESIS_HEX,
};
use crate::direct::{self, Direct, Script};
use crate::group_commit::NewCaseParts;
use crate::persons::Scope;
use crate::readers::Reader;
use crate::verticals::{ActConflict, ActError, Effect, EffectOutput};
use crate::{AnyQuery, Backend, Store, StoreError, StoreResult};

/// The indexed columns of a case, as `service` derives them from the engine's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseColumns {
    pub item_slug: String,
    pub item_version: i64,
    pub status: String,
    pub step: Option<String>,
    pub accepting_division: String,
    pub competent_division: String,
    pub cross_region: String,
    pub channel: String,
    pub applicant_person_id: Option<i64>,
    pub submitted_at_ms: i64,
    pub accepted_at_ms: Option<i64>,
    pub closed_at_ms: Option<i64>,
    /// Cache of the derived due date (YYYY-MM-DD), recomputed when the calendar changes.
    pub due_date: Option<String>,
    /// When the current step's timer fires (for the sweep), if it has one.
    pub timer_due_ms: Option<i64>,
    /// How many pauses (补正, 特别程序, 中止…) the case's state records; the service metrics
    /// read a closed case's state only when it has some. None: the state has no pause ledger.
    pub pause_count: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub columns: CaseColumns,
    pub revision: i64,
    pub state: String,
    /// Read for an act ([`Store::case_for_act`]): where the act's event goes in the case's
    /// record stream. `None` from every other read.
    pub append_slot: Option<AppendSlot>,
}

/// Where the next event of a case's record stream goes, as read with the case: the stream's
/// head (its length and last hash) and a global seq taken in the same statement (PostgreSQL:
/// from the sequence, after the read's snapshot, so it is larger than the seq of every event the
/// head covers; SQLite: the one after the last, checked free at the write). With it an act seals
/// its event before writing and commits in one call ([`Store::transition_case`]); the write
/// checks that the head has not moved.
#[derive(Debug, Clone)]
pub struct AppendSlot {
    pub stream: String,
    pub head_stream_seq: i64,
    pub head_hash: Hash,
    pub seq: i64,
    /// The connection the read ran on, kept for the write: one pool checkout per act.
    connection: HeldConnection,
}

/// A connection kept from an act's read for its write, taken once: an act reads and writes on
/// one checkout. Dropped unused (the act was refused), it goes back to the acts' connections.
#[derive(Clone)]
struct HeldConnection(std::sync::Arc<std::sync::Mutex<Option<Reader>>>);

impl HeldConnection {
    fn new(connection: Option<Reader>) -> HeldConnection {
        HeldConnection(std::sync::Arc::new(std::sync::Mutex::new(connection)))
    }

    /// The connection, if nobody took it yet.
    fn take(&self) -> Option<Reader> {
        self.0.lock().ok().and_then(|mut held| held.take())
    }
}

impl std::fmt::Debug for HeldConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.0.lock().map(|held| held.is_some()).unwrap_or(false);
        f.write_str(if held { "HeldConnection(held)" } else { "HeldConnection(released)" })
    }
}

/// What a new case needs: its columns, a state builder (given id and number) and its events.
pub struct NewCase<'a> {
    pub columns: CaseColumns,
    /// The division and year that number the case: `<division>-<year>-<6 digits>`.
    pub number_division: &'a str,
    pub number_year: i32,
    pub idempotency_key: Option<&'a str>,
    /// What the key is bound to: the account that sent it and the keyed hash of its request.
    pub idempotency_binding: Option<(i64, &'a str)>,
}

/// A submission's idempotency key and what it is bound to (NULL on rows made before binding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedCase {
    pub id: i64,
    pub account_id: Option<i64>,
    pub fingerprint: Option<String>,
}

/// An act's idempotency key, bound to the account and the keyed hash of its request; written
/// with the act, in its transaction.
#[derive(Debug, Clone, Copy)]
pub struct ActKey<'a> {
    pub key: &'a str,
    pub account_id: i64,
    pub fingerprint: &'a str,
}

/// An act's idempotency key as stored: its binding and what the act committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActKeyRow {
    pub account_id: i64,
    pub fingerprint: String,
    pub case_id: i64,
    /// The case's revision after the act.
    pub revision: i64,
    /// The case state the act committed.
    pub state: String,
}

/// Filters of the case list; every list is also cut to the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub item: Option<String>,
    pub division: Option<String>,
    pub open_only: bool,
    pub limit: i64,
    pub offset: i64,
}

pub(crate) const COLUMNS: &str = "id, number, item_slug, item_version, status, step, accepting_division, competent_division, \
     cross_region, channel, applicant_person_id, submitted_at_ms, accepted_at_ms, closed_at_ms, due_date, timer_due_ms, pause_count, revision, state";

pub(crate) fn row_to_case(row: &sqlx::any::AnyRow) -> StoreResult<CaseRow> {
    Ok(CaseRow {
        id: row.try_get(0)?,
        number: row.try_get(1)?,
        columns: CaseColumns {
            item_slug: row.try_get(2)?,
            item_version: row.try_get(3)?,
            status: row.try_get(4)?,
            step: row.try_get(5)?,
            accepting_division: row.try_get(6)?,
            competent_division: row.try_get(7)?,
            cross_region: row.try_get(8)?,
            channel: row.try_get(9)?,
            applicant_person_id: row.try_get(10)?,
            submitted_at_ms: row.try_get(11)?,
            accepted_at_ms: row.try_get(12)?,
            closed_at_ms: row.try_get(13)?,
            due_date: row.try_get(14)?,
            timer_due_ms: row.try_get(15)?,
            pause_count: row.try_get(16)?,
        },
        revision: row.try_get(17)?,
        state: row.try_get(18)?,
        append_slot: None,
    })
}

/// One act's change of a case row: the columns and state it writes, if the case is still at
/// `expected_revision`.
#[derive(Debug, Clone)]
pub struct CaseAct<'a> {
    pub id: i64,
    pub expected_revision: i64,
    /// The columns as read at `expected_revision`: only those that differ are written.
    pub before: &'a CaseColumns,
    pub columns: &'a CaseColumns,
    pub state: &'a str,
    /// The request's idempotency key, recorded with the act (a retry replays, never reapplies).
    pub key: Option<ActKey<'a>>,
}

/// A column value to bind.
#[derive(PartialEq)]
pub(crate) enum ColumnValue<'c> {
    Text(Option<&'c str>),
    Int(Option<i64>),
}

/// The columns an act can change (the rest are fixed at submission) with their PostgreSQL
/// types, in the order of [`act_column_values`].
pub(crate) const ACT_COLUMNS: [(&str, &str); 9] = [
    ("status", "text"),
    ("step", "text"),
    ("competent_division", "text"),
    ("cross_region", "text"),
    ("due_date", "text"),
    ("accepted_at_ms", "bigint"),
    ("closed_at_ms", "bigint"),
    ("timer_due_ms", "bigint"),
    ("pause_count", "bigint"),
];

/// The values of [`ACT_COLUMNS`] in `c`, in its order.
pub(crate) fn act_column_values(c: &CaseColumns) -> [ColumnValue<'_>; 9] {
    [
        ColumnValue::Text(Some(c.status.as_str())),
        ColumnValue::Text(c.step.as_deref()),
        ColumnValue::Text(Some(c.competent_division.as_str())),
        ColumnValue::Text(Some(c.cross_region.as_str())),
        ColumnValue::Text(c.due_date.as_deref()),
        ColumnValue::Int(c.accepted_at_ms),
        ColumnValue::Int(c.closed_at_ms),
        ColumnValue::Int(c.timer_due_ms),
        ColumnValue::Int(c.pause_count),
    ]
}

/// The columns an act can change whose new value differs from the one read. SQLite rewrites
/// the entry of every index on a column named in `SET`, whatever its value, and most acts
/// change none of the indexed ones (status, dates, timer).
fn changed_columns<'c>(before: &CaseColumns, after: &'c CaseColumns) -> Vec<(&'static str, ColumnValue<'c>)> {
    ACT_COLUMNS
        .iter()
        .zip(act_column_values(before))
        .zip(act_column_values(after))
        .filter(|((_, b), a)| b != a)
        .map(|(((name, _), _), a)| (*name, a))
        .collect()
}

/// The optimistic update of one act's changed columns and its state: the SQL, with
/// placeholders from `$first` (the changed columns, the state, the time, the id, the expected
/// revision), and the changed values, compared once.
pub(crate) struct CaseUpdate<'c> {
    sql: String,
    changed: Vec<ColumnValue<'c>>,
    act: &'c CaseAct<'c>,
}

pub(crate) fn case_update<'c>(first: usize, act: &'c CaseAct<'c>) -> CaseUpdate<'c> {
    let mut set = String::new();
    let mut changed = Vec::new();
    for (k, (name, value)) in changed_columns(act.before, act.columns).into_iter().enumerate() {
        set.push_str(&format!("{name} = ${}, ", first + k));
        changed.push(value);
    }
    let n = first + changed.len();
    let sql = format!(
        "UPDATE cases SET {set}state = ${n}, revision = revision + 1, updated_at_ms = ${} WHERE id = ${} AND revision = ${}",
        n + 1,
        n + 2,
        n + 3
    );
    CaseUpdate { sql, changed, act }
}

impl CaseUpdate<'_> {
    /// Binds the values of [`CaseUpdate::sql`], in its order.
    pub(crate) fn bind<'q>(&self, mut query: AnyQuery<'q>, at: DateTime<Utc>) -> AnyQuery<'q> {
        for value in self.values(at) {
            query = value.bind(query);
        }
        query
    }

    /// The values of [`CaseUpdate::sql`], in its order, owned (to be bound in another task).
    fn values(&self, at: DateTime<Utc>) -> Vec<OwnedValue> {
        let act = self.act;
        let mut values: Vec<OwnedValue> = self
            .changed
            .iter()
            .map(|value| match value {
                ColumnValue::Text(text) => OwnedValue::Text(text.map(str::to_string)),
                ColumnValue::Int(int) => OwnedValue::Int(*int),
            })
            .collect();
        values.push(OwnedValue::Text(Some(act.state.to_string())));
        values.extend([at.timestamp_millis(), act.id, act.expected_revision].map(|n| OwnedValue::Int(Some(n))));
        values
    }
}

/// A value bound to a statement, owned.
enum OwnedValue {
    Text(Option<String>),
    Int(Option<i64>),
}

impl OwnedValue {
    fn bind(self, query: AnyQuery<'_>) -> AnyQuery<'_> {
        match self {
            OwnedValue::Text(text) => query.bind(text),
            OwnedValue::Int(int) => query.bind(int),
        }
    }
}

/// The number format, in one place: `511702-2021-000123`.
pub fn case_number(division: &str, year: i32, seq: i64) -> String {
    format!("{division}-{year}-{seq:06}")
}

/// The insert of a new case, its 22 values from `$first` in [`bind_new_case`]'s order.
fn case_insert_sql(first: usize) -> String {
    let values: Vec<String> = (0..17).map(|i| format!("${}", first + i)).collect();
    let p = |i: usize| format!("${}", first + i);
    format!(
        "INSERT INTO cases ({NEW_CASE_COLUMNS}, revision, idempotency_key, state, created_at_ms, updated_at_ms, \
         idempotency_account, idempotency_fingerprint) \
         VALUES ({}, 1, {}, {}, {}, {}, {}, {})",
        values.join(", "),
        p(17),
        p(18),
        p(19),
        p(19),
        p(20),
        p(21)
    )
}

/// The first columns of a new case row: its id, its number and its [`CaseColumns`] (bound by
/// [`bind_columns`]); every insert of a case names these, then its own.
pub(crate) const NEW_CASE_COLUMNS: &str = "id, number, item_slug, item_version, status, step, accepting_division, \
     competent_division, cross_region, channel, applicant_person_id, submitted_at_ms, accepted_at_ms, closed_at_ms, \
     due_date, timer_due_ms, pause_count";

/// Binds a case's id, number and columns, in the order of [`NEW_CASE_COLUMNS`].
pub(crate) fn bind_columns<'q>(query: AnyQuery<'q>, id: i64, number: &str, c: &CaseColumns) -> AnyQuery<'q> {
    query
        .bind(id)
        .bind(number.to_string())
        .bind(c.item_slug.clone())
        .bind(c.item_version)
        .bind(c.status.clone())
        .bind(c.step.clone())
        .bind(c.accepting_division.clone())
        .bind(c.competent_division.clone())
        .bind(c.cross_region.clone())
        .bind(c.channel.clone())
        .bind(c.applicant_person_id)
        .bind(c.submitted_at_ms)
        .bind(c.accepted_at_ms)
        .bind(c.closed_at_ms)
        .bind(c.due_date.clone())
        .bind(c.timer_due_ms)
        .bind(c.pause_count)
}

/// Binds the 22 values of [`case_insert_sql`], in its order.
fn bind_new_case<'q>(
    query: AnyQuery<'q>,
    new: &NewCase<'_>,
    (id, number): (i64, &str),
    state: &str,
    at: DateTime<Utc>,
) -> AnyQuery<'q> {
    bind_columns(query, id, number, &new.columns)
        .bind(new.idempotency_key.map(str::to_string))
        .bind(state.to_string())
        .bind(at.timestamp_millis())
        .bind(new.idempotency_binding.map(|(account, _)| account))
        .bind(new.idempotency_binding.map(|(_, fingerprint)| fingerprint.to_string()))
}

/// A taken idempotency key is a conflict on it, for the caller to replay.
fn key_taken(e: impl Into<StoreError>) -> StoreError {
    match e.into() {
        StoreError::Conflict(_) => StoreError::Conflict("idempotency_key".into()),
        other => other,
    }
}

/// PostgreSQL: the insert and the lock of the new stream in one statement (a CTE), then the
/// events as every append writes them.
async fn insert_new_case_postgres(
    conn: &mut sqlx::AnyConnection,
    new: &NewCase<'_>,
    case: (i64, &str),
    state: &str,
    drafts: &[EventDraft],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let Some((first, rest)) = drafts.split_first() else {
        return Err(StoreError::Invalid("a case without an event is not recorded".into()));
    };
    let sql = lock_head_sql(Backend::Postgres, "FROM (SELECT 1 FROM inserted) AS i").replacen(
        "INSERT INTO audit_streams",
        &format!("WITH inserted AS ({} RETURNING id) INSERT INTO audit_streams", case_insert_sql(3)),
        1,
    );
    let query = bind_new_case(sqlx::query(&sql).bind(first.stream.clone()).bind(GENESIS_HEX), new, case, state, at);
    let head = query.fetch_one(&mut *conn).await.map_err(key_taken)?;
    write_event(&mut *conn, Backend::Postgres, first, at, StreamHeadLock::from_row(&head)?).await?;
    for event in rest {
        append(&mut *conn, Backend::Postgres, event, at).await?;
    }
    Ok(())
}

/// SQLite: the new stream starts at genesis and `first_seq` was read under the one write lock,
/// so the events are sealed here and the case row, the stream head and the events are written
/// by one multi-statement script (`$1` the stream, `$2` unused, `$3`..`$24` the case, `$25`..`$27`
/// the head, then ten per event). A stream that somehow exists already fails its primary key:
/// nothing is written.
fn sqlite_new_case_script(
    new: &NewCase<'_>,
    case: (i64, &str),
    state: &str,
    first_seq: i64,
    drafts: &[EventDraft],
    at: DateTime<Utc>,
) -> StoreResult<Script> {
    let mut prev = GENESIS;
    let mut sealed = Vec::with_capacity(drafts.len());
    for (i, draft) in (0i64..).zip(drafts) {
        let event = seal(draft, first_seq + i, i + 1, at, prev);
        prev = event.hash;
        sealed.push(event);
    }
    let last = sealed.last().ok_or_else(|| StoreError::Invalid("a case without an event is not recorded".into()))?;
    let rows: Vec<String> = (0..sealed.len())
        .map(|k| {
            let params: Vec<String> = (1..=10).map(|j| format!("${}", 27 + 10 * k + j)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let sql = format!(
        "{}; \
         INSERT INTO audit_streams (stream, head_stream_seq, head_seq, head_hash, checkpointed_stream_seq) VALUES ($1, $25, $26, $27, 0); \
         INSERT INTO audit_events (seq, stream, stream_seq, at_ms, actor, act, division_code, payload, prev_hash, hash) VALUES {}",
        case_insert_sql(3),
        rows.join(", ")
    );
    let mut query = bind_new_case(sqlx::query(&sql).bind(last.stream.clone()).bind(GENESIS_HEX), new, case, state, at)
        .bind(last.stream_seq)
        .bind(last.seq)
        .bind(hash_hex(&last.hash));
    for event in &sealed {
        query = query
            .bind(event.seq)
            .bind(event.stream.clone())
            .bind(event.stream_seq)
            .bind(event.at_ms)
            .bind(event.actor.clone())
            .bind(event.act.clone())
            .bind(event.division.clone())
            .bind(event.payload.clone())
            .bind(hash_hex(&event.prev_hash))
            .bind(hash_hex(&event.hash));
    }
    Script::of(query)
}

/// The case an idempotency key already made: its id and number, not created.
async fn existing_case<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    new: &NewCase<'_>,
) -> StoreResult<Option<(i64, String, bool)>> {
    let Some(script) = existing_case_script(new)? else { return Ok(None) };
    let row = script.query().fetch_optional(conn).await?;
    row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?, false))).transpose()
}

/// The lookup of the case a new case's idempotency key made, if it has a key.
fn existing_case_script(new: &NewCase<'_>) -> StoreResult<Option<Script>> {
    let Some(key) = new.idempotency_key else { return Ok(None) };
    Script::of(sqlx::query("SELECT id, number FROM cases WHERE idempotency_key = $1").bind(key)).map(Some)
}

/// Takes the next number of the case's division and year, with the case's id and the seq of
/// its first event, in one statement: (id, number, first seq). SQLite has one writer: the next
/// id is after the largest (cases are never deleted), and so is the next event's seq.
async fn take_number<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    backend: Backend,
    new: &NewCase<'_>,
) -> StoreResult<(i64, String, i64)> {
    let numbered = number_script(backend, new)?.query().fetch_one(conn).await?;
    let (seq, id, first_seq): (i64, i64, i64) = (numbered.try_get(0)?, numbered.try_get(1)?, numbered.try_get(2)?);
    Ok((id, case_number(new.number_division, new.number_year, seq), first_seq))
}

/// The statement [`take_number`] runs: its rows are (the division's count, the id, the first seq).
fn number_script(backend: Backend, new: &NewCase<'_>) -> StoreResult<Script> {
    let next = match backend {
        Backend::Postgres => "nextval('cases_id_seq'), nextval('audit_seq')",
        Backend::Sqlite => {
            "(SELECT COALESCE(MAX(id), 0) + 1 FROM cases), (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)"
        }
    };
    let counter = format!(
        "INSERT INTO case_counters (division_code, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (division_code, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last, {next}"
    );
    Script::of(sqlx::query(&counter).bind(new.number_division).bind(new.number_year as i64))
}

/// A new case's events, checked: at least one, all in its stream `case:{id}`.
fn new_case_events(id: i64, drafts: Vec<EventDraft>) -> StoreResult<Vec<EventDraft>> {
    let stream = format!("case:{id}");
    if drafts.is_empty() {
        return Err(StoreError::Invalid("a case without an event is not recorded".into()));
    }
    if let Some(other) = drafts.iter().find(|d| d.stream != stream) {
        return Err(StoreError::Invalid(format!("a new case's event belongs to {stream}, not {}", other.stream)));
    }
    Ok(drafts)
}

/// SQLite: a new case inside the group commit's transaction, on its writer's own connection
/// ([`crate::direct`]), under the write lock: the key looked up, the number taken, the case, its
/// stream and its events written (the new stream starts at genesis and the database has one
/// writer, so the events are sealed before anything is read back, and written by one call).
pub(crate) fn create_case_direct(
    direct: &Direct,
    new: &NewCase<'_>,
    at: DateTime<Utc>,
    parts: NewCaseParts,
) -> StoreResult<(i64, String, bool)> {
    if let Some(script) = existing_case_script(new)? {
        if let Some(row) = direct.run(&script)?.first() {
            return Ok((direct::int(row, 0)?, direct::text(row, 1)?, false));
        }
    }
    let numbered = direct.run(&number_script(Backend::Sqlite, new)?)?;
    let row = numbered.first().ok_or(StoreError::NotFound)?;
    let (seq, id, first_seq) = (direct::int(row, 0)?, direct::int(row, 1)?, direct::int(row, 2)?);
    let number = case_number(new.number_division, new.number_year, seq);
    let (state, drafts) = parts(id, &number);
    let drafts = new_case_events(id, drafts)?;
    let script = sqlite_new_case_script(new, (id, &number), &state, first_seq, &drafts, at)?;
    direct.run(&script).map_err(key_taken)?;
    Ok((id, number, true))
}

impl Store {
    /// Creates a case: numbers it (unique per division and year, never reused: the counter row
    /// only grows), inserts it with the state `state(id, number)` and appends `events(id, number)`
    /// to stream `case:{id}`, in one transaction. With an idempotency key already used, returns
    /// the existing case's id and number and writes nothing (or `Conflict("idempotency_key")`
    /// when another submission took the key meanwhile).
    ///
    /// The number, the id and the first event's seq are taken in one statement, so the row is
    /// inserted whole (its state names both). On PostgreSQL a case with one event is then written
    /// in one more statement, in its own transaction: the case, its new stream head and the event
    /// (two round trips; with more events, BEGIN, the case with its stream, the events, COMMIT).
    /// On SQLite a submission is written by the group commit's writer, like an act
    /// ([`crate::group_commit`]): in the batch's transaction under its own savepoint, sharing its
    /// durable commit ([`create_case_direct`]: the number, then the case, its stream and its
    /// events in one call). One commit per submission was half of the commits under load, all
    /// on the one write lock.
    ///
    /// Numbers are unique and never reused, but not gapless on PostgreSQL: see below.
    pub async fn create_case(
        &self,
        new: &NewCase<'_>,
        at: DateTime<Utc>,
        state: impl FnOnce(i64, &str) -> String + Send + 'static,
        events: impl FnOnce(i64, &str) -> Vec<EventDraft> + Send + 'static,
    ) -> StoreResult<(i64, String, bool)> {
        if self.backend == Backend::Sqlite {
            let parts: NewCaseParts = Box::new(move |id, number| (state(id, number), events(id, number)));
            return self.create_case_grouped(new, at, parts).await;
        }
        // A key already used replays: looked up before a number is taken, so a retry does not
        // use up a number. PostgreSQL looks outside any transaction (the unique index on the key
        // refuses a submission racing this one: `Conflict("idempotency_key")`).
        if new.idempotency_key.is_some() {
            if let Some(existing) = existing_case(&self.reads, new).await? {
                return Ok(existing);
            }
        }
        // PostgreSQL: the counter moves in its own short transaction, so the office's counter row
        // is locked for one statement, not until this case commits (every submission at one
        // office would queue behind the one committing). A submission that fails after this
        // leaves a gap; a number is never given twice.
        let (id, number, first_seq) = take_number(&self.numbers, self.backend, new).await?;
        let (state, drafts) = (state(id, &number), new_case_events(id, events(id, &number))?);
        match drafts.as_slice() {
            // One event: the case, its stream's head (the new stream's first event) and the
            // event in one autocommitted statement.
            [only] => {
                let event = seal(only, first_seq, 1, at, GENESIS);
                let sql = format!(
                    "WITH inserted AS ({} RETURNING id), \
                     head AS (INSERT INTO audit_streams (stream, head_stream_seq, head_seq, head_hash, checkpointed_stream_seq) \
                       SELECT $2, $3, $1, $10, 0 FROM inserted RETURNING stream) \
                     {EVENT_INSERT} SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM head",
                    case_insert_sql(11)
                );
                let query = bind_new_case(bind_event(sqlx::query(&sql), &event), new, (id, &number), &state, at);
                query.execute(&self.commits).await.map_err(key_taken)?;
            }
            _ => {
                let mut tx = self.begin_write().await?;
                insert_new_case_postgres(&mut tx, new, (id, &number), &state, &drafts, at).await?;
                tx.commit().await?;
            }
        }
        Ok((id, number, true))
    }

    /// Commits a transition: the new columns and state, only if the case is still at
    /// `expected_revision` (else `Conflict` with the current status), and its events.
    ///
    /// With the case's [`AppendSlot`] (read by [`Store::case_for_act`]) and one event, it is
    /// committed in one call to the database: see [`Store::transition_in_one_statement`].
    /// Otherwise, or when the record stream moved since the read, the locked way: BEGIN, the
    /// update with the lock of the stream, the event, COMMIT. On SQLite it goes to the group
    /// commit's writer like every act ([`Store::commit_act`]).
    pub async fn transition_case(
        &self,
        act: &CaseAct<'_>,
        events: &[EventDraft],
        at: DateTime<Utc>,
        slot: Option<&AppendSlot>,
    ) -> StoreResult<i64> {
        if self.direct.is_some() {
            let events = events.to_vec();
            self.commit_act(act, &[], move |_| events, at, slot).await?;
            return Ok(act.expected_revision + 1);
        }
        Ok(self.transition(act, events, at, slot).await?)
    }

    /// Commits one act with what it writes besides its case, in one transaction: the case
    /// update guarded by its revision, each [`Effect`] in order, then `events(output)` (which
    /// may name what the effects produced, e.g. a certificate number), then the act's
    /// idempotency key. A conflict is typed ([`ActConflict`]) and leaves nothing of this act
    /// written.
    ///
    /// Acts that arrive together share one transaction and one durable commit (group commit,
    /// [`crate::group_commit`]): each is applied under its own savepoint (with effects by
    /// [`Store::apply_act`], without by [`Store::apply_plain_act`] or, on PostgreSQL with the
    /// read's `slot`, one statement), and each caller is answered only after the commit. A lone act is
    /// [`Store::commit_one`] (one statement on PostgreSQL with the read's `slot`).
    pub async fn commit_act(
        &self,
        act: &CaseAct<'_>,
        effects: &[Effect],
        events: impl FnOnce(&EffectOutput) -> Vec<EventDraft> + Send + 'static,
        at: DateTime<Utc>,
        slot: Option<&AppendSlot>,
    ) -> Result<EffectOutput, ActError> {
        self.commit_claimed_or_grouped(act, effects, Box::new(events), at, slot).await
    }

    /// One act alone in its transaction. Without an effect it is [`Store::transition_case`]
    /// (one statement on PostgreSQL with the read's `slot`).
    pub(crate) async fn commit_one(
        &self,
        act: &CaseAct<'_>,
        effects: &[Effect],
        events: crate::group_commit::ActEvents,
        at: DateTime<Utc>,
        slot: Option<&AppendSlot>,
    ) -> Result<EffectOutput, ActError> {
        if effects.is_empty() {
            let output = EffectOutput::default();
            self.transition(act, &events(&output), at, slot).await?;
            return Ok(output);
        }
        let mut tx = self.begin_write().await?;
        let output = self.apply_act(&mut tx, act, effects, events, at).await?;
        tx.commit().await?;
        Ok(output)
    }

    /// Applies one act inside a unit of work it does not own (its own, or a batch's savepoint):
    /// the guarded update with its idempotency key, the effects, the events, the node messages'
    /// sender hash, and [`in_act_transaction`].
    pub(crate) async fn apply_act(
        &self,
        conn: &mut sqlx::AnyConnection,
        act: &CaseAct<'_>,
        effects: &[Effect],
        events: crate::group_commit::ActEvents,
        at: DateTime<Utc>,
    ) -> Result<EffectOutput, ActError> {
        update_case(conn, act, at).await?;
        let mut output = EffectOutput::default();
        for effect in effects {
            output.produced.push(effect.apply(conn, at).await?);
        }
        let mut last = None;
        for event in events(&output) {
            last = Some(append(conn, self.backend, &event, at).await?);
        }
        let messages: Vec<String> = output
            .produced
            .iter()
            .filter_map(|p| match p {
                crate::verticals::Produced::NodeMessage { id } => Some(id.clone()),
                _ => None,
            })
            .collect();
        if let (Some(last), false) = (&last, messages.is_empty()) {
            crate::nodes::set_sender_hash(conn, &messages, last).await?;
        }
        in_act_transaction(conn, act, at).await?;
        Ok(output)
    }

    /// [`Store::transition_case`] with its conflict typed.
    async fn transition(
        &self,
        act: &CaseAct<'_>,
        events: &[EventDraft],
        at: DateTime<Utc>,
        slot: Option<&AppendSlot>,
    ) -> Result<i64, ActError> {
        if let Some((slot, event)) = self.one_statement_slot(act, events, slot) {
            if self.transition_in_one_statement(act, event, at, slot).await? {
                return Ok(act.expected_revision + 1);
            }
            // Not written: the case moved (the locked way below reports the conflict) or only its
            // record stream did (an event without a new revision, e.g. a refused condition).
        }
        let mut tx = self.begin_write().await?;
        self.apply_plain_act(&mut tx, act, events, at).await?;
        tx.commit().await?;
        Ok(act.expected_revision + 1)
    }

    /// An act without effects inside a unit of work it does not own (its own transaction, or a
    /// batch's savepoint), the locked way: the case update and the lock of its record stream in
    /// one call (no updated row, no lock, no row back: [`ActConflict::Revision`]); on PostgreSQL
    /// one statement (a CTE), on SQLite two statements sent together, the lock only if the
    /// update changed the row (`changes()`): under the one write lock every call is a wait for
    /// the database's thread, and for a core. Then the events, the act's key and
    /// [`in_act_transaction`].
    pub(crate) async fn apply_plain_act(
        &self,
        conn: &mut sqlx::AnyConnection,
        act: &CaseAct<'_>,
        events: &[EventDraft],
        at: DateTime<Utc>,
    ) -> Result<(), ActError> {
        let Some((first, rest)) = events.split_first() else {
            return Err(StoreError::Invalid("a transition without an event is not recorded".into()).into());
        };
        let update = case_update(3, act);
        let sql = match self.backend {
            Backend::Postgres => lock_head_sql(self.backend, "FROM (SELECT 1 FROM updated) AS u").replacen(
                "INSERT INTO audit_streams",
                &format!("WITH updated AS ({} RETURNING id) INSERT INTO audit_streams", update.sql),
                1,
            ),
            Backend::Sqlite => format!("{}; {}", update.sql, lock_head_sql(self.backend, "WHERE changes() = 1")),
        };
        // fetch_all: the Any driver's fetch_optional stops at the first statement's result.
        let locked = update
            .bind(sqlx::query(&sql).bind(first.stream.clone()).bind(GENESIS_HEX), at)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .next();
        let Some(head) = locked else {
            return Err(case_moved(conn, act.id).await);
        };
        write_event(&mut *conn, self.backend, first, at, StreamHeadLock::from_row(&head)?).await?;
        for event in rest {
            append(&mut *conn, self.backend, event, at).await?;
        }
        record_act_key(conn, act, at).await?;
        in_act_transaction(conn, act, at).await
    }

    /// The case as an act reads it, with its record stream's head and the global seq its event
    /// would take ([`CaseRow::append_slot`]), in one statement. On PostgreSQL the seq is taken
    /// from the sequence (an act refused after this leaves a gap: the record is gap-tolerant
    /// there anyway) and the read's connection, of the acts' pool, is kept for the act's write
    /// and given back when the write is done or the row is dropped. On SQLite the seq is the one
    /// after the last (one writer: the write checks that it is still free) and the read's
    /// connection goes back at once (a reader cannot write).
    pub async fn case_for_act(&self, id: i64) -> StoreResult<CaseRow> {
        // The stream name as the service names a case's record stream.
        let stream = format!("case:{id}");
        let next_seq = match self.backend {
            Backend::Postgres => "nextval('audit_seq')",
            Backend::Sqlite => "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)",
        };
        let mut connection = self.acts.checkout().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, s.head_stream_seq, s.head_hash, {next_seq} \
             FROM cases LEFT JOIN audit_streams s ON s.stream = $2 WHERE id = $1"
        ))
        .bind(id)
        .bind(&stream)
        .fetch_optional(connection.conn())
        .await?;
        connection.done();
        let row = row.ok_or(StoreError::NotFound)?;
        let mut case = row_to_case(&row)?;
        let (head, hash): (Option<i64>, Option<String>) = (row.try_get(19)?, row.try_get(20)?);
        if let (Some(head_stream_seq), Some(hash)) = (head, hash) {
            let head_hash = parse_hash(&hash)?;
            let kept = (self.backend == Backend::Postgres).then_some(connection);
            let connection = HeldConnection::new(kept);
            case.append_slot =
                Some(AppendSlot { stream, head_stream_seq, head_hash, seq: row.try_get(21)?, connection });
        }
        Ok(case)
    }

    /// PostgreSQL: the transition and its one event in one statement in their own transaction
    /// (autocommit; the commit waits for the WAL flush like any other), the event sealed at the
    /// read's slot ([`write_in_one_statement`]). `false`: nothing was written (the case or its
    /// stream moved since the read).
    async fn transition_in_one_statement(
        &self,
        act: &CaseAct<'_>,
        draft: &EventDraft,
        at: DateTime<Utc>,
        slot: &AppendSlot,
    ) -> StoreResult<bool> {
        // On the read's connection if it is still held (a second write from the same read, as
        // a retry, goes through the pool).
        match slot.connection.take() {
            Some(mut connection) => {
                let written = write_in_one_statement(connection.conn(), act, draft, at, slot).await?;
                connection.done();
                Ok(written)
            }
            None => write_in_one_statement(&mut *self.write.acquire().await?, act, draft, at, slot).await,
        }
    }

    /// PostgreSQL: the slot and the one event of an act that one statement can write
    /// ([`write_in_one_statement`], alone or inside a batch's transaction): the read's slot of
    /// the event's stream, one event, no idempotency key. (SQLite's writer has its own:
    /// [`crate::sqlite_batch`].)
    pub(crate) fn one_statement_slot<'s, 'e>(
        &self,
        act: &CaseAct<'_>,
        events: &'e [EventDraft],
        slot: Option<&'s AppendSlot>,
    ) -> Option<(&'s AppendSlot, &'e EventDraft)> {
        (self.backend == Backend::Postgres).then(|| plain_slot(act, events, slot)).flatten()
    }

    pub async fn case(&self, id: i64) -> StoreResult<CaseRow> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM cases WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_case(&row)
    }

    pub async fn case_by_number(&self, number: &str) -> StoreResult<CaseRow> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM cases WHERE number = $1"))
            .bind(number)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_case(&row)
    }

    /// Cases whose accepting or competent division is inside the scope, newest first.
    pub async fn cases(&self, scope: &Scope, filter: &CaseFilter) -> StoreResult<Vec<CaseRow>> {
        let n = scope.0.len();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE ({} OR {})",
            scope.clause("accepting_division", 1),
            scope.clause("competent_division", n + 1)
        );
        let mut next = 2 * n + 1;
        let mut binds: Vec<String> = Vec::new();
        for (column, value) in [("status", &filter.status), ("item_slug", &filter.item)] {
            if let Some(value) = value {
                sql.push_str(&format!(" AND {column} = ${next}"));
                binds.push(value.clone());
                next += 1;
            }
        }
        if let Some(division) = &filter.division {
            sql.push_str(&format!(" AND (accepting_division LIKE ${next} OR competent_division LIKE ${next})"));
            binds.push(format!("{}%", crate::persons::prefix_of(division)));
            next += 1;
        }
        if filter.open_only {
            sql.push_str(" AND closed_at_ms IS NULL");
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${next} OFFSET ${}", next + 1));
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns().chain(scope.patterns()) {
            query = query.bind(pattern);
        }
        for value in binds {
            query = query.bind(value);
        }
        let rows = query.bind(filter.limit).bind(filter.offset).fetch_all(&self.reads).await?;
        rows.iter().map(row_to_case).collect()
    }

    /// Open cases whose timer is due at `at`, oldest first: the sweep's work list.
    pub async fn cases_with_due_timers(&self, at: DateTime<Utc>, limit: i64) -> StoreResult<Vec<CaseRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cases WHERE timer_due_ms IS NOT NULL AND timer_due_ms <= $1 AND closed_at_ms IS NULL \
             ORDER BY timer_due_ms LIMIT $2"
        ))
        .bind(at.timestamp_millis())
        .bind(limit)
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(row_to_case).collect()
    }

    /// Every open case (for recomputing cached due dates after a calendar import).
    /// The open case (not closed) of `item_slug` whose applicant is `person_id`, if any: (id,
    /// number). Read before a new application of the same person for the same item.
    pub async fn open_case_of(&self, item_slug: &str, person_id: i64) -> StoreResult<Option<(i64, String)>> {
        let row = sqlx::query(
            "SELECT id, number FROM cases WHERE applicant_person_id = $1 AND item_slug = $2 AND closed_at_ms IS NULL \
             ORDER BY id LIMIT 1",
        )
        .bind(person_id)
        .bind(item_slug)
        .fetch_optional(&self.reads)
        .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    pub async fn open_case_ids(&self) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE closed_at_ms IS NULL ORDER BY id")
            .fetch_all(&self.reads)
            .await?)
    }

    /// Updates the cached due date only (derived data; no event: nothing happened to the case).
    pub async fn set_case_due_date(&self, id: i64, due_date: Option<&str>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE cases SET due_date = $1 WHERE id = $2")
            .bind(due_date.map(str::to_string))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The case a submission's idempotency key made, with what the key is bound to.
    pub async fn case_by_idempotency_key(&self, key: &str) -> StoreResult<Option<KeyedCase>> {
        let row = sqlx::query(
            "SELECT id, idempotency_account, idempotency_fingerprint FROM cases WHERE idempotency_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.write)
        .await?;
        row.map(|row| Ok(KeyedCase { id: row.try_get(0)?, account_id: row.try_get(1)?, fingerprint: row.try_get(2)? }))
            .transpose()
    }

    /// A [`CaseTouch`] on its own, in its own transaction: for a write on a case whose records
    /// are elsewhere (a re-check opened on a reported change makes a new case).
    pub async fn touch(&self, touch: &CaseTouch<'_>, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        touch_case(&mut tx, touch, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An act's idempotency key, if used.
    pub async fn act_key(&self, key: &str) -> StoreResult<Option<ActKeyRow>> {
        let row =
            sqlx::query("SELECT account_id, fingerprint, case_id, revision, state FROM case_act_keys WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.write)
                .await?;
        row.map(|row| {
            Ok(ActKeyRow {
                account_id: row.try_get(0)?,
                fingerprint: row.try_get(1)?,
                case_id: row.try_get(2)?,
                revision: row.try_get(3)?,
                state: row.try_get(4)?,
            })
        })
        .transpose()
    }

    /// The case an idempotency key made, if any.
    pub async fn case_id_by_idempotency_key(&self, key: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE idempotency_key = $1")
            .bind(key)
            .fetch_optional(&self.reads)
            .await?)
    }

    /// Updates the derived columns only (cached due date and timer instant; no event: nothing
    /// happened to the case), if the case is still at `revision`: a transition committed since
    /// wrote its own, newer values. Returns whether the row was updated.
    pub async fn set_case_derived(
        &self,
        id: i64,
        revision: i64,
        due_date: Option<&str>,
        timer_due_ms: Option<i64>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE cases SET due_date = $1, timer_due_ms = $2 WHERE id = $3 AND revision = $4")
            .bind(due_date.map(str::to_string))
            .bind(timer_due_ms)
            .bind(id)
            .bind(revision)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n > 0)
    }

    /// Case rows matching `condition` whose accepting or competent division is inside the scope
    /// (a coarse prefix filter; callers check the tree), oldest first. `condition` names its
    /// values `?1`, `?2`… in the order of `values`. Without `with_state` the rows' `state` is
    /// empty (not read).
    pub(crate) async fn scoped_cases(
        &self,
        condition: &str,
        values: &[i64],
        scope: &Scope,
        with_state: bool,
    ) -> StoreResult<Vec<CaseRow>> {
        let columns = match with_state {
            true => COLUMNS.to_string(),
            false => format!("{}'' AS state", COLUMNS.trim_end_matches("state")),
        };
        let rows = self.scoped_select("cases", &columns, condition, values, scope, "ORDER BY id").await?;
        rows.iter().map(row_to_case).collect()
    }

    /// `SELECT {select} FROM {table} WHERE {condition} AND <in scope> {tail}`: the one place the
    /// scope's prefix filter is put on a read of cases (`table`: `cases`, or a table of counts
    /// kept by the same two divisions). `condition` names its values `?1`, `?2`…
    pub(crate) async fn scoped_select(
        &self,
        table: &str,
        select: &str,
        condition: &str,
        values: &[i64],
        scope: &Scope,
        tail: &str,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        let n = scope.0.len();
        let mut condition = condition.to_string();
        for k in (1..=values.len()).rev() {
            condition = condition.replace(&format!("?{k}"), &format!("${}", 2 * n + k));
        }
        let sql = format!(
            "SELECT {select} FROM {table} WHERE {condition} AND ({} OR {}) {tail}",
            scope.clause("accepting_division", 1),
            scope.clause("competent_division", n + 1)
        );
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns().chain(scope.patterns()) {
            query = query.bind(pattern);
        }
        for value in values {
            query = query.bind(*value);
        }
        Ok(query.fetch_all(&self.reads).await?)
    }
}

/// PostgreSQL: an act and its one event as one statement on `conn` (autocommitted alone, or
/// inside a batch's savepoint), the event sealed before the write at the slot's place. In the
/// order the locked way takes its locks: the case updated if still at `expected_revision` (its
/// row lock), then its stream's head moved (the head's row lock), then the event inserted, each
/// only if the step before it wrote its row. If the stream moved since the read, an event
/// already holds the slot's place and `UNIQUE (stream, stream_seq)` refuses the insert, which
/// undoes the whole statement (inside a transaction it aborts it: the caller rolls back to its
/// savepoint): either all of it is written or nothing. `false`: nothing was written (the case
/// or its stream moved since the read).
pub(crate) async fn write_in_one_statement(
    conn: &mut sqlx::AnyConnection,
    act: &CaseAct<'_>,
    draft: &EventDraft,
    at: DateTime<Utc>,
    slot: &AppendSlot,
) -> StoreResult<bool> {
    let event = seal(draft, slot.seq, slot.head_stream_seq + 1, at, slot.head_hash);
    // $1…$10 the event (seq, stream, stream_seq, …, prev_hash, hash), from $11 the case update.
    let update = case_update(11, act);
    let sql = format!(
        "WITH updated AS ({} RETURNING id), \
         head AS (UPDATE audit_streams SET head_stream_seq = $3, head_seq = $1, head_hash = $10 \
           WHERE stream = $2 AND EXISTS (SELECT 1 FROM updated) RETURNING stream) \
         {EVENT_INSERT} SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM head RETURNING seq",
        update.sql
    );
    let written = update.bind(bind_event(sqlx::query(&sql), &event), at).fetch_optional(&mut *conn).await;
    written_at_slot(written.map(|row| row.is_some()))
}

/// What a one-call write at a slot answers: whether it wrote. A place taken in the stream (the
/// stream moved since the read; no other unique value is written there) means nothing was.
fn written_at_slot(written: Result<bool, sqlx::Error>) -> StoreResult<bool> {
    match written {
        Ok(written) => Ok(written),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// The slot and the one event of an act that one call can write, whatever the call: the read's
/// slot of the event's stream, one event, no idempotency key.
pub(crate) fn plain_slot<'s, 'e>(
    act: &CaseAct<'_>,
    events: &'e [EventDraft],
    slot: Option<&'s AppendSlot>,
) -> Option<(&'s AppendSlot, &'e EventDraft)> {
    match (slot, events, act.key) {
        (Some(slot), [event], None) if slot.stream == event.stream => Some((slot, event)),
        _ => None,
    }
}

/// SQLite: the statements that write one act and its one event sealed at its slot, each ending
/// with `;`: the case updated only if still at its expected revision, the event's seq still the
/// one after the last and its stream's head still the slot's; then the head moved and the event
/// inserted (`RETURNING seq`), each only if the statement before it wrote its row
/// (`changes()`). `$1`…`$10` are the event's values in [`bind_event`]'s order (seq, stream,
/// stream_seq, …, prev_hash, hash), the update's placeholders start at `$11`.
pub(crate) fn sqlite_act_at_slot(update: &CaseUpdate<'_>) -> String {
    format!(
        "{} AND (SELECT COALESCE(MAX(seq), 0) FROM audit_events) = $1 - 1 \
           AND (SELECT head_stream_seq FROM audit_streams WHERE stream = $2) = $3 - 1; \
         UPDATE audit_streams SET head_stream_seq = $3, head_seq = $1, head_hash = $10 \
           WHERE stream = $2 AND changes() = 1; \
         {EVENT_INSERT} SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE changes() = 1 RETURNING seq;",
        update.sql
    )
}

/// The guarded update of one case inside a unit of work: the new columns and state, only if
/// the case is still at `expected_revision` (else [`ActConflict::Revision`] with the current
/// status), and the act's idempotency key.
async fn update_case(conn: &mut sqlx::AnyConnection, act: &CaseAct<'_>, at: DateTime<Utc>) -> Result<(), ActError> {
    let update = case_update(1, act);
    let changed = update.bind(sqlx::query(&update.sql), at).execute(&mut *conn).await?.rows_affected();
    if changed == 0 {
        return Err(case_moved(conn, act.id).await);
    }
    record_act_key(conn, act, at).await
}

/// **The one place for work inside every act's transaction** besides the case, its effects,
/// its events and its key (e.g. maintained aggregates): called by [`Store::apply_act`] (acts
/// with effects, and every act of a group commit's batch) and by the locked way of
/// [`Store::transition_case`]. The one-call ways of an act without effects (on PostgreSQL
/// [`write_in_one_statement`], alone or in a batch, and the batch's statement of
/// `crate::pg_batch`; on SQLite the batch's script of `crate::sqlite_batch`) have no place
/// for it: work added here must either join those statements or turn them off
/// ([`plain_slot`], which all ask).
async fn in_act_transaction(
    _conn: &mut sqlx::AnyConnection,
    _act: &CaseAct<'_>,
    _at: DateTime<Utc>,
) -> Result<(), ActError> {
    Ok(())
}

/// Records an act's idempotency key with what it committed, in the act's transaction. A key
/// taken meanwhile (the same request racing itself) is [`ActConflict::IdempotencyKey`]: the act
/// is undone with the transaction, and the caller replays the other's answer.
async fn record_act_key(conn: &mut sqlx::AnyConnection, act: &CaseAct<'_>, at: DateTime<Utc>) -> Result<(), ActError> {
    let Some(key) = act.key else { return Ok(()) };
    sqlx::query(
        "INSERT INTO case_act_keys (key, account_id, fingerprint, case_id, revision, state, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(key.key.to_string())
    .bind(key.account_id)
    .bind(key.fingerprint.to_string())
    .bind(act.id)
    .bind(act.expected_revision + 1)
    .bind(act.state.to_string())
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => ActError::Conflict(ActConflict::IdempotencyKey),
        other => other.into(),
    })?;
    Ok(())
}

/// A write on a case that is not an engine act (an application's facts, a home visit, a 公示
/// posting…): it is a change of the case, so it moves the case's revision like an act (the
/// new `state` carries the new revision), only if the case is still at `expected_revision`,
/// and records the request's idempotency key with the answer it gave — all in the write's
/// own transaction.
#[derive(Debug, Clone, Copy)]
pub struct CaseTouch<'a> {
    pub id: i64,
    pub expected_revision: i64,
    /// The case state with its revision moved on.
    pub state: &'a str,
    pub key: Option<ActKey<'a>>,
    /// The answer a retry with the key replays (JSON).
    pub answer: &'a str,
}

/// The prefix of the `Conflict` a [`CaseTouch`] meets when the case moved: then its status.
pub const CASE_MOVED: &str = "case_moved:";

/// Applies a [`CaseTouch`] inside a write's transaction: `Conflict(status)` when the case moved
/// since it was read, `Conflict("idempotency_key")` when the key was taken meanwhile.
pub(crate) async fn touch_case(
    conn: &mut sqlx::AnyConnection,
    touch: &CaseTouch<'_>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let changed = sqlx::query(
        "UPDATE cases SET state = $1, revision = revision + 1, updated_at_ms = $2 WHERE id = $3 AND revision = $4",
    )
    .bind(touch.state.to_string())
    .bind(at.timestamp_millis())
    .bind(touch.id)
    .bind(touch.expected_revision)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        // Told apart from a constraint's conflict of the write itself (e.g. a second application).
        return Err(match case_conflict(conn, touch.id).await? {
            StoreError::Conflict(status) => StoreError::Conflict(format!("{CASE_MOVED}{status}")),
            other => other,
        });
    }
    let Some(key) = touch.key else { return Ok(()) };
    sqlx::query(
        "INSERT INTO case_act_keys (key, account_id, fingerprint, case_id, revision, state, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(key.key.to_string())
    .bind(key.account_id)
    .bind(key.fingerprint.to_string())
    .bind(touch.id)
    .bind(touch.expected_revision + 1)
    .bind(touch.answer.to_string())
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await
    .map_err(key_taken)?;
    Ok(())
}

/// An act's conflict for a case that changed since its read ([`ActConflict::Revision`]), or is
/// gone (`NotFound`).
async fn case_moved(conn: &mut sqlx::AnyConnection, id: i64) -> ActError {
    match case_conflict(conn, id).await {
        Ok(StoreError::Conflict(status)) => ActError::Conflict(ActConflict::Revision { status }),
        Ok(other) | Err(other) => ActError::Store(other),
    }
}

/// The error for a transition that found the case changed (or gone).
async fn case_conflict(conn: &mut sqlx::AnyConnection, id: i64) -> StoreResult<StoreError> {
    let current: Option<String> =
        sqlx::query_scalar("SELECT status FROM cases WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    Ok(match current {
        Some(status) => StoreError::Conflict(status),
        None => StoreError::NotFound,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> CaseColumns {
        CaseColumns {
            item_slug: "social-group-change-registration".into(),
            item_version: 1,
            status: "in_progress".into(),
            step: Some("review".into()),
            accepting_division: "511700".into(),
            competent_division: "511700".into(),
            cross_region: "none".into(),
            channel: "window".into(),
            applicant_person_id: Some(1),
            submitted_at_ms: 1,
            accepted_at_ms: Some(2),
            closed_at_ms: None,
            due_date: Some("2021-11-09".into()),
            timer_due_ms: None,
            pause_count: Some(0),
        }
    }

    fn act<'a>(before: &'a CaseColumns, after: &'a CaseColumns) -> CaseAct<'a> {
        CaseAct { id: 7, expected_revision: 3, before, columns: after, state: "{}", key: None }
    }

    #[test]
    fn an_act_writes_only_the_columns_it_changed_and_always_the_state() {
        let before = columns();
        let same = columns();
        assert_eq!(
            case_update(1, &act(&before, &same)).sql,
            "UPDATE cases SET state = $1, revision = revision + 1, updated_at_ms = $2 WHERE id = $3 AND revision = $4"
        );
        let mut closed = columns();
        closed.status = "closed".into();
        closed.step = None;
        closed.closed_at_ms = Some(9);
        closed.due_date = None;
        let sql = case_update(11, &act(&before, &closed)).sql;
        assert_eq!(
            sql,
            "UPDATE cases SET status = $11, step = $12, due_date = $13, closed_at_ms = $14, state = $15, \
             revision = revision + 1, updated_at_ms = $16 WHERE id = $17 AND revision = $18"
        );
        // Every column an act can change is compared: each one changed alone is written.
        let changes: [fn(&mut CaseColumns); 9] = [
            |c| c.status = "closed".into(),
            |c| c.step = None,
            |c| c.competent_division = "511702".into(),
            |c| c.cross_region = "county".into(),
            |c| c.due_date = Some("2021-11-10".into()),
            |c| c.accepted_at_ms = None,
            |c| c.closed_at_ms = Some(3),
            |c| c.timer_due_ms = Some(4),
            |c| c.pause_count = Some(1),
        ];
        for change in changes {
            let mut after = columns();
            change(&mut after);
            assert_eq!(changed_columns(&before, &after).len(), 1, "{after:?}");
        }
    }
}
