//! SQLite: the plain acts of a group commit's batch, written on the writer's own connection
//! ([`crate::direct`]), one script each.
//!
//! The locked way costs an act three statements (its savepoint, its update with the lock of its
//! stream, its event); here an act without effects and without a key, with its read's slot
//! ([`crate::cases::AppendSlot`]) and one event in the slot's stream, costs one script: the
//! act's statements ([`crate::cases::sqlite_act_at_slot`]), its update guarded by its
//! revision, by its stream's head and by its event's seq being the one after the last, then its
//! head and its event, each only if the step before wrote its row. Either all of an act is
//! written or nothing, so it needs no savepoint. Its event is sealed at the seq after the last,
//! which the writer knows: it read the last once, inside the batch's transaction (under its
//! write lock), and counts the events it wrote since. An act whose case or stream moved since
//! its read writes nothing and goes the locked way after. Each act's text depends only on which
//! columns it changes, so its statements are prepared once per connection, not per batch
//! (preparing an update of `cases` compiles its triggers).

use std::collections::HashSet;

use crate::audit::{bind_event, seal};
use crate::cases::{case_update, sqlite_act_at_slot};
use crate::direct::{self, Direct, Script};
use crate::group_commit::SlottedAct;
use crate::StoreResult;

/// Writes `acts`, one script each, on `direct` inside the batch's transaction: the places (`k`)
/// of the acts written. An error means an act's statements stopped part way: the caller rolls
/// the transaction back.
pub(crate) fn write_plain_acts(direct: &Direct, acts: &[SlottedAct<'_>]) -> StoreResult<HashSet<usize>> {
    let last = direct.run(&Script::of(sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM audit_events"))?)?;
    let mut last = last.first().map(|row| direct::int(row, 0)).transpose()?.unwrap_or(0);
    let mut taken = HashSet::new();
    for a in acts {
        let event = seal(a.event, last + 1, a.slot.head_stream_seq + 1, a.at, a.slot.head_hash);
        let update = case_update(11, &a.act);
        let sql = sqlite_act_at_slot(&update);
        let written = direct.run(&Script::of(update.bind(bind_event(sqlx::query(&sql), &event), a.at))?)?;
        if !written.is_empty() {
            last += 1;
            taken.insert(a.k);
        }
    }
    Ok(taken)
}
