//! The full-process record (全过程记录): the hash chain and its verification, pure.
//!
//! Shape (docs/designs/flows.md, "The record"): every event belongs to a *stream*, the matter it is
//! about (`case:42`, `person:7`, `account:3`, `calendar`). Each stream is its own SM3 chain
//! (`stream_seq` 1, 2, 3…, each event hashing the previous event's hash), so acts on different
//! matters commit in parallel. A global, gap-tolerant `seq` orders all events and is hashed too.
//! Periodic *checkpoints* form a second chain over the streams' heads; the newest checkpoint is
//! signed (SM2) and kept outside the database, so a truncated tail or a whole matter deleted
//! with all its events is detected as well as an edited, inserted or reordered event.
//!
//! 行政处罚法 Art. 47 asks for a record of the whole process of enforcement, archived;
//! 国办发〔2018〕118号 asks that it be complete and traceable.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::Value;
use sm3::{Digest, Sm3};

pub type Hash = [u8; 32];

/// The hash a stream's first event links to.
pub const GENESIS: Hash = [0u8; 32];

/// One recorded event, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub seq: i64,
    pub stream: String,
    pub stream_seq: i64,
    /// Milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
    /// Who acted: `account:3:zhangsan`, `system`.
    pub actor: String,
    /// What was done, a stable identifier such as `person.create`.
    pub act: String,
    /// The division the act concerns, when it has one.
    pub division: Option<String>,
    /// Canonical JSON (see [`canonical_json`]).
    pub payload: String,
    pub prev_hash: Hash,
    pub hash: Hash,
}

/// What a caller asks to record; the store fills in the sequence numbers and hashes.
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub stream: String,
    pub actor: String,
    pub act: String,
    pub division: Option<String>,
    pub payload: Value,
}

impl EventDraft {
    pub fn new(stream: impl Into<String>, actor: impl Into<String>, act: &str, payload: Value) -> EventDraft {
        EventDraft { stream: stream.into(), actor: actor.into(), act: act.to_string(), division: None, payload }
    }

    pub fn in_division(mut self, division: impl Into<String>) -> EventDraft {
        self.division = Some(division.into());
        self
    }
}

/// JSON with object keys sorted and no insignificant white space: the same value always gives
/// the same bytes, whatever map order serde_json was built with.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            out.push('{');
            for (i, (key, val)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(val, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The bytes an event's hash covers: every field but the hashes, as a canonical JSON array.
#[allow(clippy::too_many_arguments)] // one argument per hashed field, in hash order
pub fn event_bytes(
    seq: i64,
    stream: &str,
    stream_seq: i64,
    at_ms: i64,
    actor: &str,
    act: &str,
    division: Option<&str>,
    payload: &str,
) -> Vec<u8> {
    let fields = Value::Array(vec![
        seq.into(),
        stream.into(),
        stream_seq.into(),
        at_ms.into(),
        actor.into(),
        act.into(),
        division.map(Value::from).unwrap_or(Value::Null),
        payload.into(),
    ]);
    canonical_json(&fields).into_bytes()
}

/// hash = SM3(previous hash ‖ event bytes).
pub fn link(prev: &Hash, bytes: &[u8]) -> Hash {
    let mut hasher = Sm3::new();
    hasher.update(prev);
    hasher.update(bytes);
    hasher.finalize().into()
}

impl Event {
    pub fn bytes(&self) -> Vec<u8> {
        event_bytes(
            self.seq,
            &self.stream,
            self.stream_seq,
            self.at_ms,
            &self.actor,
            &self.act,
            self.division.as_deref(),
            &self.payload,
        )
    }

    pub fn computed_hash(&self) -> Hash {
        link(&self.prev_hash, &self.bytes())
    }
}

/// A stream's head as a checkpoint saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamHead {
    pub stream: String,
    pub stream_seq: i64,
    pub seq: i64,
    pub hash: Hash,
}

/// A link of the checkpoint chain: the heads of the streams that changed since the previous
/// checkpoint, chained with SM3 like the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub no: i64,
    pub at_ms: i64,
    pub heads: Vec<StreamHead>,
    pub prev_hash: Hash,
    pub hash: Hash,
}

pub fn checkpoint_bytes(no: i64, at_ms: i64, heads: &[StreamHead]) -> Vec<u8> {
    let heads: Vec<Value> = heads
        .iter()
        .map(|h| {
            Value::Array(vec![h.stream.clone().into(), h.stream_seq.into(), h.seq.into(), hex::encode(h.hash).into()])
        })
        .collect();
    canonical_json(&Value::Array(vec![no.into(), at_ms.into(), Value::Array(heads)])).into_bytes()
}

impl Checkpoint {
    pub fn computed_hash(&self) -> Hash {
        link(&self.prev_hash, &checkpoint_bytes(self.no, self.at_ms, &self.heads))
    }
}

/// How the record is broken, at the first sequence number where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The event's content no longer matches its hash, or the next event's link.
    Edited { seq: i64, stream: String },
    /// Events of a stream are missing before this one.
    Missing { seq: i64, stream: String, expected_stream_seq: i64, found_stream_seq: i64 },
    /// The event stands in the wrong place in its stream's order.
    OutOfOrder { seq: i64, stream: String },
    /// An event that does not belong to the chain (a duplicate position, or a forged link).
    Inserted { seq: i64, stream: String },
    /// Events at the end of a stream are gone: a checkpoint or the stream's head says it
    /// reached `expected_stream_seq` (at `seq`), the record stops at `found_stream_seq`.
    TailMissing { seq: i64, stream: String, expected_stream_seq: i64, found_stream_seq: i64 },
    /// The checkpoint chain itself is broken at checkpoint `no`.
    Checkpoint { no: i64, reason: String },
}

impl Break {
    /// The sequence number where the record breaks (for checkpoints, the checkpoint number).
    pub fn seq(&self) -> i64 {
        match self {
            Break::Edited { seq, .. }
            | Break::Missing { seq, .. }
            | Break::OutOfOrder { seq, .. }
            | Break::Inserted { seq, .. }
            | Break::TailMissing { seq, .. } => *seq,
            Break::Checkpoint { no, .. } => *no,
        }
    }

    /// A one-word kind: `edited`, `missing`, `out_of_order`, `inserted`, `checkpoint`.
    pub fn kind(&self) -> &'static str {
        match self {
            Break::Edited { .. } => "edited",
            Break::Missing { .. } | Break::TailMissing { .. } => "missing",
            Break::OutOfOrder { .. } => "out_of_order",
            Break::Inserted { .. } => "inserted",
            Break::Checkpoint { .. } => "checkpoint",
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Break::Edited { seq, stream } => {
                write!(f, "broken at seq {seq}: edited (event of {stream} does not match its hash or the next link; 记录被篡改)")
            }
            Break::Missing { seq, stream, expected_stream_seq, found_stream_seq } => write!(
                f,
                "broken at seq {seq}: missing ({stream} jumps from #{} to #{found_stream_seq}; 记录缺失)",
                expected_stream_seq - 1
            ),
            Break::OutOfOrder { seq, stream } => {
                write!(f, "broken at seq {seq}: out of order (event of {stream} is out of its place; 记录顺序被打乱)")
            }
            Break::Inserted { seq, stream } => {
                write!(f, "broken at seq {seq}: inserted (event of {stream} does not belong to the chain; 记录被插入)")
            }
            Break::TailMissing { seq, stream, expected_stream_seq, found_stream_seq } => write!(
                f,
                "broken at seq {seq}: missing ({stream} should reach #{expected_stream_seq}, the record stops at #{found_stream_seq}; 记录尾部缺失)"
            ),
            Break::Checkpoint { no, reason } => write!(f, "broken at checkpoint {no}: {reason}"),
        }
    }
}

#[derive(Debug, Default)]
struct StreamState {
    /// Next stream_seq expected.
    next: i64,
    last_hash: Hash,
    last_seq: i64,
    /// stream_seq values skipped over, with the seq where the jump was seen.
    skipped: BTreeMap<i64, i64>,
}

impl Break {
    /// When two findings share a sequence number, the more specific one is reported.
    fn priority(&self) -> u8 {
        match self {
            Break::OutOfOrder { .. } => 5,
            Break::Inserted { .. } => 4,
            Break::Missing { .. } | Break::TailMissing { .. } => 3,
            Break::Edited { .. } => 2,
            Break::Checkpoint { .. } => 1,
        }
    }
}

/// Verifies events fed in `seq` order, streaming: memory grows with the number of streams,
/// not of events. Register the heads the record must reach first, with [`Verifier::expect_head`].
#[derive(Debug, Default)]
pub struct Verifier {
    streams: HashMap<String, StreamState>,
    expected: HashMap<(String, i64), (i64, Hash)>,
    first_break: Option<Break>,
    last_seq: i64,
    /// Ranges of global sequence numbers not present (inclusive), in order.
    gaps: Vec<(i64, i64)>,
    events: u64,
    bytes: u64,
    /// Streams whose first event is taken as given (a partial export starts mid-chain).
    trust_first_link: bool,
    /// Heads before this seq are outside a partial export and not expected.
    min_seq: i64,
}

impl Verifier {
    pub fn new() -> Verifier {
        Verifier::default()
    }

    /// For an export that starts at sequence number `from`: each stream's first event may link
    /// to a hash outside the file and is taken as the anchor; heads before `from` are not
    /// expected. `from <= 1` is a full verification.
    pub fn from_seq(from: i64) -> Verifier {
        Verifier { trust_first_link: from > 1, min_seq: from, ..Verifier::default() }
    }

    fn record(&mut self, brk: Break) {
        let replace = match &self.first_break {
            None => true,
            Some(existing) => {
                brk.seq() < existing.seq() || (brk.seq() == existing.seq() && brk.priority() > existing.priority())
            }
        };
        if replace {
            self.first_break = Some(brk);
        }
    }

    /// The first global sequence number missing in `(after, upto]`, if any: where a deletion
    /// most likely happened (SQLite numbers without gaps; PostgreSQL may leave gaps on rollback).
    fn first_gap(&self, after: i64, upto: i64) -> Option<i64> {
        let in_range = self
            .gaps
            .iter()
            .map(|&(start, end)| (start.max(after + 1), end))
            .find(|&(start, end)| start <= end && start <= upto)
            .map(|(start, _)| start);
        in_range.or_else(|| (self.last_seq < upto).then(|| (self.last_seq + 1).max(after + 1)))
    }

    /// A head that some checkpoint (or the stream table) says exists, with its hash.
    pub fn expect_head(&mut self, head: &StreamHead) {
        if head.seq < self.min_seq {
            return;
        }
        self.expected.insert((head.stream.clone(), head.stream_seq), (head.seq, head.hash));
    }

    pub fn push(&mut self, event: &Event) {
        self.events += 1;
        self.bytes += (event.payload.len() + event.stream.len() + event.actor.len() + event.act.len() + 64) as u64;
        let mut findings = Vec::new();
        if event.seq <= self.last_seq {
            findings.push(Break::OutOfOrder { seq: event.seq, stream: event.stream.clone() });
        } else {
            let first_expected = if self.events == 1 && self.trust_first_link { event.seq } else { self.last_seq + 1 };
            if event.seq > first_expected {
                self.gaps.push((first_expected, event.seq - 1));
            }
            self.last_seq = event.seq;
        }
        if event.computed_hash() != event.hash {
            findings.push(Break::Edited { seq: event.seq, stream: event.stream.clone() });
        }
        if let Some((seq, hash)) = self.expected.remove(&(event.stream.clone(), event.stream_seq)) {
            if hash != event.hash || seq != event.seq {
                findings.push(Break::Edited { seq: event.seq, stream: event.stream.clone() });
            }
        }
        let trust_first = self.trust_first_link;
        let state = self.streams.entry(event.stream.clone()).or_insert_with(|| StreamState {
            next: if trust_first { 0 } else { 1 },
            last_hash: GENESIS,
            ..StreamState::default()
        });
        if state.next == 0 {
            // First event of a stream in a partial export: the anchor.
            state.next = event.stream_seq + 1;
            state.last_hash = event.hash;
            state.last_seq = event.seq;
        } else if event.stream_seq == state.next {
            if event.prev_hash != state.last_hash {
                // The previous event was changed and rehashed, or this one was forged.
                let at = if state.next == 1 { event.seq } else { state.last_seq };
                findings.push(Break::Edited { seq: at, stream: event.stream.clone() });
            }
            state.next += 1;
            state.last_hash = event.hash;
            state.last_seq = event.seq;
        } else if event.stream_seq > state.next {
            for missing in state.next..event.stream_seq {
                state.skipped.insert(missing, event.seq);
            }
            let (expected_stream_seq, after) = (state.next, state.last_seq);
            state.next = event.stream_seq + 1;
            state.last_hash = event.hash;
            state.last_seq = event.seq;
            let gap = self.first_gap(after, event.seq).filter(|g| *g < event.seq);
            findings.push(Break::Missing {
                seq: gap.unwrap_or(event.seq),
                stream: event.stream.clone(),
                expected_stream_seq,
                found_stream_seq: event.stream_seq,
            });
        } else if let Some(jump_seq) = state.skipped.remove(&event.stream_seq) {
            findings.push(Break::OutOfOrder { seq: jump_seq, stream: event.stream.clone() });
        } else {
            findings.push(Break::Inserted { seq: event.seq, stream: event.stream.clone() });
        }
        for finding in findings {
            self.record(finding);
        }
    }

    /// Ends verification: any expected head not seen means the tail of its stream was cut.
    pub fn finish(mut self) -> Result<VerifyReport, Break> {
        let leftovers: Vec<((String, i64), (i64, Hash))> = self.expected.drain().collect();
        for ((stream, stream_seq), (seq, _)) in leftovers {
            let (found, after) = self.streams.get(&stream).map(|s| (s.next - 1, s.last_seq)).unwrap_or((0, 0));
            if found >= stream_seq {
                // The position exists but was never matched: its event moved or was replaced.
                self.record(Break::Edited { seq, stream });
                continue;
            }
            let at = self.first_gap(after, seq).unwrap_or(seq);
            self.record(Break::TailMissing {
                seq: at,
                stream,
                expected_stream_seq: stream_seq,
                found_stream_seq: found,
            });
        }
        match self.first_break {
            Some(brk) => Err(brk),
            None => Ok(VerifyReport { events: self.events, streams: self.streams.len() as u64, bytes: self.bytes }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub streams: u64,
    /// Roughly the bytes hashed, for throughput figures.
    pub bytes: u64,
}

/// Checks the checkpoint chain (in `no` order) and hands every head to the verifier.
pub fn verify_checkpoints(checkpoints: &[Checkpoint], verifier: &mut Verifier) -> Result<(), Break> {
    let mut prev = GENESIS;
    let first_no = match checkpoints.first() {
        Some(first) if verifier.trust_first_link => {
            prev = first.prev_hash;
            first.no
        }
        _ => 1,
    };
    for (expected_no, cp) in (first_no..).zip(checkpoints) {
        if cp.no != expected_no {
            return Err(Break::Checkpoint {
                no: expected_no,
                reason: format!("checkpoint {expected_no} is missing (found {})", cp.no),
            });
        }
        if cp.prev_hash != prev || cp.computed_hash() != cp.hash {
            return Err(Break::Checkpoint { no: cp.no, reason: "edited (检查点被篡改)".into() });
        }
        for head in &cp.heads {
            verifier.expect_head(head);
        }
        prev = cp.hash;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
