//! PostgreSQL: the plain acts of a group commit's batch written by one statement.
//!
//! A batch's acts without effects and without a key, each with its read's slot
//! ([`crate::cases::AppendSlot`]) and one event in the slot's stream, are written together:
//! the values of every act travel as one JSON parameter (the `Any` driver binds no arrays),
//! and one data-modifying statement applies each act's update guarded by its revision, moves
//! the stream heads of the acts whose update took, and inserts their events sealed at their
//! slots — the same three steps, in the same order and under the same guards, as the single
//! act's statement ([`crate::cases::write_in_one_statement`]). It answers which acts it
//! wrote; an act whose case moved since its read wrote nothing and goes the locked way alone,
//! under its savepoint, which answers its conflict. If a stream moved since its read (an event
//! without a new revision), its event's place is taken and `UNIQUE (stream, stream_seq)` fails
//! the whole statement: nothing of it is written and every act of the batch goes the locked
//! way. So the batch costs one round trip for all its plain acts instead of two per act.
//!
//! Only the first act of the batch on a case is written here: a later one on the same case must
//! see the first one's revision (it is refused, or applied after it, the locked way), and an
//! act arriving after an act on the same case that is not written here must not overtake it.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::{json, Value};

use crate::audit::{hash_hex, seal, EVENT_INSERT};
use crate::cases::{act_column_values, ColumnValue, ACT_COLUMNS};
use crate::group_commit::SlottedAct;
use crate::StoreResult;

/// The statement: `$1` the acts as a JSON array of objects (see [`act_row`]). It returns the
/// index (`k`) of every act it wrote. Every column an act can change ([`ACT_COLUMNS`]) is set
/// (to its value read if the act did not change it: PostgreSQL compares values, so an unchanged
/// indexed column keeps the update HOT, and the aggregates' trigger compares them too).
///
/// The cases and the streams are found by their keys listed as an array (`= ANY (ARRAY(…))`),
/// so that they are read by their primary key's index. Joined to the acts alone, the planner
/// counts 100 rows for `jsonb_to_recordset` and, on a table of up to a few thousand cases (an
/// office's first months), reads the whole table into a hash instead: 0.9 ms a batch at 640
/// cases, more with every case until the planner turns to the index.
pub fn batch_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let typed: String = ACT_COLUMNS.iter().map(|(name, sql_type)| format!("{name} {sql_type}, ")).collect();
        let set: String = ACT_COLUMNS.iter().map(|(name, _)| format!("{name} = a.{name}, ")).collect();
        format!(
            "WITH a AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS a(\
               k bigint, id bigint, expected bigint, {typed}state text, updated_at_ms bigint, seq bigint, \
               stream text, stream_seq bigint, at_ms bigint, actor text, act text, division_code text, payload text, \
               prev_hash text, hash text)), \
             updated AS (UPDATE cases c SET {set}state = a.state, revision = c.revision + 1, \
               updated_at_ms = a.updated_at_ms FROM a \
               WHERE c.id = ANY (ARRAY(SELECT id FROM a)) AND c.id = a.id AND c.revision = a.expected RETURNING a.k), \
             head AS (UPDATE audit_streams s SET head_stream_seq = a.stream_seq, head_seq = a.seq, head_hash = a.hash \
               FROM a JOIN updated u ON u.k = a.k \
               WHERE s.stream = ANY (ARRAY(SELECT stream FROM a)) AND s.stream = a.stream RETURNING a.k), \
             appended AS ({EVENT_INSERT} SELECT a.seq, a.stream, a.stream_seq, a.at_ms, a.actor, a.act, \
               a.division_code, a.payload, a.prev_hash, a.hash FROM a JOIN head h ON h.k = a.k) \
             SELECT k FROM head"
        )
    })
}

/// The JSON object of one act, the columns of [`batch_sql`]'s `a`.
fn act_row(a: &SlottedAct<'_>) -> Value {
    let event = seal(a.event, a.slot.seq, a.slot.head_stream_seq + 1, a.at, a.slot.head_hash);
    let mut row = json!({
        "k": a.k,
        "id": a.act.id,
        "expected": a.act.expected_revision,
        "state": a.act.state,
        "updated_at_ms": a.at.timestamp_millis(),
        "seq": event.seq,
        "stream": event.stream,
        "stream_seq": event.stream_seq,
        "at_ms": event.at_ms,
        "actor": event.actor,
        "act": event.act,
        "division_code": event.division,
        "payload": event.payload,
        "prev_hash": hash_hex(&event.prev_hash),
        "hash": hash_hex(&event.hash),
    });
    for ((name, _), value) in ACT_COLUMNS.iter().zip(act_column_values(a.act.columns)) {
        row[*name] = match value {
            ColumnValue::Text(text) => json!(text),
            ColumnValue::Int(int) => json!(int),
        };
    }
    row
}

/// The acts [`write_plain_acts`] writes, sealed and encoded (owned: the writer's future holds
/// them across its awaits).
pub(crate) struct SlottedActs {
    json: String,
    count: usize,
}

impl SlottedActs {
    pub(crate) fn new(acts: &[SlottedAct<'_>]) -> SlottedActs {
        SlottedActs { json: Value::Array(acts.iter().map(act_row).collect()).to_string(), count: acts.len() }
    }

    /// How many acts there are.
    pub(crate) fn len(&self) -> usize {
        self.count
    }
}

/// Writes `acts` by one statement on `conn` (see the module's documentation): the places
/// (`k`) of the acts written. An error (a stream that moved since its read among them) means
/// that nothing was written and, inside a transaction, that it is aborted.
pub(crate) async fn write_plain_acts(conn: &mut sqlx::AnyConnection, acts: SlottedActs) -> StoreResult<HashSet<usize>> {
    let written: Vec<i64> = sqlx::query_scalar(batch_sql()).bind(acts.json).fetch_all(&mut *conn).await?;
    Ok(written.into_iter().filter_map(|k| usize::try_from(k).ok()).collect())
}
