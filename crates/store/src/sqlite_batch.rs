//! SQLite: the plain acts of a group commit's batch written one call each.
//!
//! SQLite runs on a thread of its own: every call from the writer is a hand-off to that thread
//! and back, and with one write lock the calls of a batch queue behind each other. The locked
//! way costs an act three calls (its savepoint, its update with the lock of its stream, its
//! event); here an act without effects and without a key, with its read's slot
//! ([`crate::cases::AppendSlot`]) and one event in the slot's stream, costs one: the single
//! act's statements ([`crate::cases::sqlite_act_at_slot`]) sent together, its update guarded by
//! its revision, by its stream's head and by its event's seq being the one after the last, then
//! its head and its event, each only if the step before wrote its row. Either all of an act is
//! written or nothing, so it needs no savepoint. Its event is sealed at the seq after the last,
//! which the writer knows: it read the last once, inside the batch's transaction (under its
//! write lock), and counts the events it wrote since. An act whose case or stream moved since
//! its read writes nothing and goes the locked way after, under its savepoint, which answers
//! its conflict. Each act's text depends only on which columns it changes, so its statements
//! are prepared once per connection, not per batch (preparing an update of `cases` compiles its
//! triggers).

use std::collections::HashSet;

use crate::audit::{bind_event, seal};
use crate::cases::{case_update, sqlite_act_at_slot};
use crate::group_commit::SlottedAct;
use crate::StoreResult;

/// Writes `acts`, one call each, on `conn` inside the batch's transaction: the places (`k`) of
/// the acts written. An error means an act's statements stopped part way: the caller rolls the
/// transaction back.
pub(crate) async fn write_plain_acts(
    conn: &mut sqlx::AnyConnection,
    acts: &[SlottedAct<'_>],
) -> StoreResult<HashSet<usize>> {
    let mut last: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_events").fetch_one(&mut *conn).await?;
    let mut taken = HashSet::new();
    for a in acts {
        let event = seal(a.event, last + 1, a.slot.head_stream_seq + 1, a.at, a.slot.head_hash);
        let update = case_update(11, &a.act);
        let sql = sqlite_act_at_slot(&update);
        // fetch_all: the Any driver's fetch_optional stops at the first statement's result.
        let written = update.bind(bind_event(sqlx::query(&sql), &event), a.at).fetch_all(&mut *conn).await?;
        if !written.is_empty() {
            last += 1;
            taken.insert(a.k);
        }
    }
    Ok(taken)
}
