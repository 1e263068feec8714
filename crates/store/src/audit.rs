//! The full-process record on disk: append inside a unit of work, checkpoints, reading for
//! verification and export. The chain rules themselves are `domain::audit`.

use chrono::{DateTime, Utc};
use domain::audit::{link, Break, Checkpoint, Event, EventDraft, Hash, StreamHead, Verifier, VerifyReport, GENESIS};
use serde_json::{json, Value};
use sm3::{Digest, Sm3};
use sqlx::{AnyConnection, Row};

use crate::crypto::{verify_signature, Keys};
use crate::{Backend, Store, StoreError, StoreResult};

/// [`GENESIS`] as stored.
pub(crate) const GENESIS_HEX: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub(crate) fn hash_hex(hash: &Hash) -> String {
    hex::encode(hash)
}

pub(crate) fn parse_hash(text: &str) -> StoreResult<Hash> {
    let bytes = hex::decode(text).map_err(|_| StoreError::Other(format!("bad hash in record: {text}")))?;
    bytes.try_into().map_err(|_| StoreError::Other(format!("bad hash length in record: {text}")))
}

/// Appends one event to its stream inside the caller's transaction. The stream's head row is
/// locked (PostgreSQL) or the database has one writer (SQLite), and `UNIQUE (stream, stream_seq)`
/// makes a fork impossible even if that were bypassed.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    backend: Backend,
    draft: &EventDraft,
    at: DateTime<Utc>,
) -> StoreResult<Event> {
    let row = sqlx::query(&lock_head_sql(backend, ""))
        .bind(&draft.stream)
        .bind(hash_hex(&GENESIS))
        .fetch_one(&mut *conn)
        .await?;
    write_event(conn, backend, draft, at, StreamHeadLock::from_row(&row)?).await
}

/// The stream head as locked for an append: its length, last hash, and the global seq taken
/// for the new event.
pub(crate) struct StreamHeadLock {
    head_stream_seq: i64,
    prev_hash: Hash,
    seq: i64,
}

impl StreamHeadLock {
    pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> StoreResult<StreamHeadLock> {
        Ok(StreamHeadLock {
            head_stream_seq: row.try_get(0)?,
            prev_hash: parse_hash(&row.try_get::<String, _>(1)?)?,
            seq: row.try_get(2)?,
        })
    }
}

/// One statement creates the stream's head row if needed, locks it (an upsert that updates
/// takes the row lock, like `FOR UPDATE`) and returns the head; the global seq is taken in the
/// same statement, after the lock, so within a stream seq grows with stream_seq. (SQLite has
/// one writer: MAX + 1 is gapless there.) Binds: `$1` stream, `$2` the genesis hash.
/// `source`, when not empty, is a `FROM` clause (e.g. a CTE that updates the matter under an
/// optimistic revision): no row from it, no lock and no row returned.
pub(crate) fn lock_head_sql(backend: Backend, source: &str) -> String {
    let next_seq = match backend {
        Backend::Postgres => "nextval('audit_seq')",
        Backend::Sqlite => "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)",
    };
    let values = if source.is_empty() {
        "VALUES ($1, 0, 0, $2, 0)".to_string()
    } else {
        format!("SELECT $1, 0, 0, $2, 0 {source}")
    };
    format!(
        "INSERT INTO audit_streams (stream, head_stream_seq, head_seq, head_hash, checkpointed_stream_seq) \
         {values} ON CONFLICT (stream) DO UPDATE SET stream = excluded.stream \
         RETURNING head_stream_seq, head_hash, {next_seq}"
    )
}

/// The event `draft` becomes at position (`seq`, `stream_seq`) after `prev_hash`: its payload
/// in canonical JSON and its SM3 link over every field.
pub(crate) fn seal(draft: &EventDraft, seq: i64, stream_seq: i64, at: DateTime<Utc>, prev_hash: Hash) -> Event {
    let mut event = Event {
        seq,
        stream: draft.stream.clone(),
        stream_seq,
        at_ms: at.timestamp_millis(),
        actor: draft.actor.clone(),
        act: draft.act.clone(),
        division: draft.division.clone(),
        payload: domain::audit::canonical_json(&draft.payload),
        prev_hash,
        hash: GENESIS,
    };
    event.hash = link(&event.prev_hash, &event.bytes());
    event
}

/// The insert of one sealed event, its values to follow as `$1`…`$10` in [`bind_event`]'s order
/// (seq, stream, stream_seq, at_ms, actor, act, division, payload, prev_hash, hash).
pub(crate) const EVENT_INSERT: &str =
    "INSERT INTO audit_events (seq, stream, stream_seq, at_ms, actor, act, division_code, payload, prev_hash, hash)";

/// Binds the 10 values of [`EVENT_INSERT`], in its order.
pub(crate) fn bind_event<'q>(query: crate::AnyQuery<'q>, event: &'q Event) -> crate::AnyQuery<'q> {
    query
        .bind(event.seq)
        .bind(&event.stream)
        .bind(event.stream_seq)
        .bind(event.at_ms)
        .bind(&event.actor)
        .bind(&event.act)
        .bind(event.division.clone())
        .bind(&event.payload)
        .bind(hash_hex(&event.prev_hash))
        .bind(hash_hex(&event.hash))
}

/// Writes the event after its stream head was locked, and moves the head.
pub(crate) async fn write_event(
    conn: &mut AnyConnection,
    backend: Backend,
    draft: &EventDraft,
    at: DateTime<Utc>,
    head: StreamHeadLock,
) -> StoreResult<Event> {
    let StreamHeadLock { head_stream_seq, prev_hash, seq } = head;
    let event = seal(draft, seq, head_stream_seq + 1, at, prev_hash);
    // The event written and the head moved in one call: on PostgreSQL one statement (a
    // data-modifying CTE), on SQLite two statements sent together.
    let insert = format!("{EVENT_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    let move_head = "UPDATE audit_streams SET head_stream_seq = $3, head_seq = $1, head_hash = $10 WHERE stream = $2";
    let sql = match backend {
        Backend::Postgres => format!("WITH appended AS ({insert}) {move_head}"),
        Backend::Sqlite => format!("{insert}; {move_head}"),
    };
    bind_event(sqlx::query(&sql), &event).execute(&mut *conn).await?;
    Ok(event)
}

/// The PostgreSQL advisory lock that serialises checkpoints (the migrations use 72616).
const CHECKPOINT_LOCK: i64 = 72617;

const EVENT_COLUMNS: &str = "seq, stream, stream_seq, at_ms, actor, act, division_code, payload, prev_hash, hash";

fn event_from_row(row: &sqlx::any::AnyRow) -> StoreResult<Event> {
    Ok(Event {
        seq: row.try_get(0)?,
        stream: row.try_get(1)?,
        stream_seq: row.try_get(2)?,
        at_ms: row.try_get(3)?,
        actor: row.try_get(4)?,
        act: row.try_get(5)?,
        division: row.try_get(6)?,
        payload: row.try_get(7)?,
        prev_hash: parse_hash(&row.try_get::<String, _>(8)?)?,
        hash: parse_hash(&row.try_get::<String, _>(9)?)?,
    })
}

/// A checkpoint as published outside the database: its number and hash, signed with SM2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub no: i64,
    pub at_ms: i64,
    pub hash: String,
    pub signature: String,
    pub public_key: String,
}

impl SignedCheckpoint {
    pub fn message(no: i64, hash: &str) -> Vec<u8> {
        format!("minzheng-checkpoint:{no}:{hash}").into_bytes()
    }

    pub fn to_json(&self) -> Value {
        json!({"type": "signed_checkpoint", "no": self.no, "at_ms": self.at_ms, "hash": self.hash,
               "signature": self.signature, "public_key": self.public_key})
    }

    pub fn from_json(value: &Value) -> Option<SignedCheckpoint> {
        Some(SignedCheckpoint {
            no: value.get("no")?.as_i64()?,
            at_ms: value.get("at_ms")?.as_i64()?,
            hash: value.get("hash")?.as_str()?.to_string(),
            signature: value.get("signature")?.as_str()?.to_string(),
            public_key: value.get("public_key")?.as_str()?.to_string(),
        })
    }

    pub fn signature_valid(&self) -> bool {
        verify_signature(&self.public_key, &SignedCheckpoint::message(self.no, &self.hash), &self.signature)
    }
}

pub fn event_to_json(event: &Event) -> Value {
    json!({"type": "event", "seq": event.seq, "stream": event.stream, "stream_seq": event.stream_seq,
           "at_ms": event.at_ms, "actor": event.actor, "act": event.act, "division": event.division,
           "payload": event.payload, "prev_hash": hash_hex(&event.prev_hash), "hash": hash_hex(&event.hash)})
}

pub fn event_from_json(value: &Value) -> Option<Event> {
    let hash = |key: &str| -> Option<Hash> { hex::decode(value.get(key)?.as_str()?).ok()?.try_into().ok() };
    Some(Event {
        seq: value.get("seq")?.as_i64()?,
        stream: value.get("stream")?.as_str()?.to_string(),
        stream_seq: value.get("stream_seq")?.as_i64()?,
        at_ms: value.get("at_ms")?.as_i64()?,
        actor: value.get("actor")?.as_str()?.to_string(),
        act: value.get("act")?.as_str()?.to_string(),
        division: value.get("division").and_then(|d| d.as_str()).map(str::to_string),
        payload: value.get("payload")?.as_str()?.to_string(),
        prev_hash: hash("prev_hash")?,
        hash: hash("hash")?,
    })
}

pub fn checkpoint_to_json(cp: &Checkpoint) -> Value {
    let heads: Vec<Value> =
        cp.heads.iter().map(|h| json!([h.stream, h.stream_seq, h.seq, hash_hex(&h.hash)])).collect();
    json!({"type": "checkpoint", "no": cp.no, "at_ms": cp.at_ms, "heads": heads,
           "prev_hash": hash_hex(&cp.prev_hash), "hash": hash_hex(&cp.hash)})
}

pub fn checkpoint_from_json(value: &Value) -> Option<Checkpoint> {
    let hash = |v: &Value| -> Option<Hash> { hex::decode(v.as_str()?).ok()?.try_into().ok() };
    let heads = value
        .get("heads")?
        .as_array()?
        .iter()
        .map(|h| {
            Some(StreamHead {
                stream: h.get(0)?.as_str()?.to_string(),
                stream_seq: h.get(1)?.as_i64()?,
                seq: h.get(2)?.as_i64()?,
                hash: hash(h.get(3)?)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Checkpoint {
        no: value.get("no")?.as_i64()?,
        at_ms: value.get("at_ms")?.as_i64()?,
        heads,
        prev_hash: hash(value.get("prev_hash")?)?,
        hash: hash(value.get("hash")?)?,
    })
}

/// The outcome of verifying the record.
pub type Verification = Result<VerifyReport, Break>;

impl Store {
    /// Records an event on its own (administrative acts whose change is the event itself, such
    /// as reading a person's record).
    pub async fn record(&self, draft: &EventDraft, at: DateTime<Utc>) -> StoreResult<Event> {
        let mut tx = self.begin_write().await?;
        let event = append(&mut tx, self.backend, draft, at).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Writes a checkpoint over the heads of every stream that moved since the last one, signs
    /// it, and returns it (None when nothing moved). The caller publishes the signed head.
    pub async fn checkpoint(
        &self,
        keys: &Keys,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<(Checkpoint, SignedCheckpoint)>> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            // One checkpoint at a time (the server's ticker, a CLI command, another node): a
            // row lock on the newest checkpoint would let two writers read the same newest
            // row and collide on the next number, and two writers locking the stream heads in
            // different orders deadlock, taking appends waiting on those heads with them.
            // SQLite holds its one write lock from `begin_write`.
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CHECKPOINT_LOCK).execute(&mut *tx).await?;
        }
        let last = sqlx::query("SELECT no, hash FROM audit_checkpoints ORDER BY no DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let (prev_no, prev_hash) = match last {
            Some(row) => (row.try_get::<i64, _>(0)?, parse_hash(&row.try_get::<String, _>(1)?)?),
            None => (0, GENESIS),
        };
        let rows = sqlx::query(
            "UPDATE audit_streams SET checkpointed_stream_seq = head_stream_seq \
             WHERE head_stream_seq > checkpointed_stream_seq RETURNING stream, head_stream_seq, head_seq, head_hash",
        )
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut heads = rows
            .iter()
            .map(|row| {
                Ok(StreamHead {
                    stream: row.try_get(0)?,
                    stream_seq: row.try_get(1)?,
                    seq: row.try_get(2)?,
                    hash: parse_hash(&row.try_get::<String, _>(3)?)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        heads.sort_by(|a, b| a.stream.cmp(&b.stream));
        let mut cp = Checkpoint { no: prev_no + 1, at_ms: at.timestamp_millis(), heads, prev_hash, hash: GENESIS };
        cp.hash = cp.computed_hash();
        let hash = hash_hex(&cp.hash);
        let signature = keys.sign(&SignedCheckpoint::message(cp.no, &hash));
        let heads_json = checkpoint_to_json(&cp)["heads"].to_string();
        sqlx::query("INSERT INTO audit_checkpoints (no, at_ms, heads, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(cp.no)
            .bind(cp.at_ms)
            .bind(heads_json)
            .bind(hash_hex(&cp.prev_hash))
            .bind(&hash)
            .bind(&signature)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let signed =
            SignedCheckpoint { no: cp.no, at_ms: cp.at_ms, hash, signature, public_key: keys.public_key_hex() };
        Ok(Some((cp, signed)))
    }

    /// All checkpoints in order.
    pub async fn checkpoints(&self) -> StoreResult<Vec<Checkpoint>> {
        read_checkpoints(&mut *self.read.acquire().await?).await
    }

    /// The newest checkpoint with its stored signature, if any.
    pub async fn latest_signed_checkpoint(&self, keys: &Keys) -> StoreResult<Option<SignedCheckpoint>> {
        read_latest_signed(&mut *self.read.acquire().await?, keys).await
    }

    /// The heads the stream table records.
    pub async fn stream_heads(&self) -> StoreResult<Vec<StreamHead>> {
        read_heads(&mut *self.read.acquire().await?).await
    }

    /// Events with `seq > after`, in order, at most `limit`.
    pub async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Event>> {
        read_events_after(&mut *self.read.acquire().await?, after, limit).await
    }

    /// The events of one stream (a case, a person…), oldest first.
    pub async fn stream_events(&self, stream: &str) -> StoreResult<Vec<Event>> {
        let rows =
            sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE stream = $1 ORDER BY stream_seq"))
                .bind(stream)
                .fetch_all(&self.reads)
                .await?;
        rows.iter().map(event_from_row).collect()
    }

    pub async fn event_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&self.reads).await?)
    }

    /// A read-only transaction that sees one state of the record from its first read to its
    /// end (PostgreSQL: `REPEATABLE READ`; SQLite: a read transaction under WAL). Reading the
    /// record in several queries outside one would mix states: on PostgreSQL events commit out
    /// of `seq` order, so a later batch can hold an event whose predecessor in its stream was
    /// still uncommitted when the earlier batch was read (a false "missing"), and a checkpoint
    /// committed between two reads names heads the events read before it lack.
    async fn begin_snapshot(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Postgres => self.read.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?,
            Backend::Sqlite => self.read.begin().await?,
        })
    }

    /// Walks the whole record, in one snapshot: the checkpoint chain, the external signed
    /// checkpoint (when given), every event in order, and the stream heads.
    pub async fn verify_record(&self, external: Option<&SignedCheckpoint>) -> StoreResult<Verification> {
        let mut tx = self.begin_snapshot().await?;
        let checkpoints = read_checkpoints(&mut tx).await?;
        let mut verifier = Verifier::new();
        if let Err(brk) = domain::audit::verify_checkpoints(&checkpoints, &mut verifier) {
            return Ok(Err(brk));
        }
        if let Some(signed) = external {
            if let Err(brk) = check_external(&checkpoints, signed) {
                return Ok(Err(brk));
            }
        }
        for head in read_heads(&mut tx).await? {
            verifier.expect_head(&head);
        }
        let mut after = 0;
        loop {
            let batch = read_events_after(&mut tx, after, 5000).await?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for event in &batch {
                verifier.push(event);
            }
        }
        tx.commit().await?;
        Ok(verifier.finish())
    }

    /// The record as export lines, read in one snapshot: the events from `from` on (JSON, see
    /// [`event_to_json`]), then every checkpoint, then the newest signed checkpoint. `line`
    /// receives each in turn. Returns the number of events.
    pub async fn export_record(
        &self,
        keys: &Keys,
        from: i64,
        mut line: impl FnMut(Value) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_snapshot().await?;
        // Every line is hashed as written; the last line signs the digest, so a third party
        // holding the bureau's public key detects any line added, removed or changed.
        let mut digest = Sm3::new();
        let mut emit = |value: Value, digest: &mut Sm3| -> StoreResult<()> {
            digest.update(value.to_string().as_bytes());
            digest.update(b"\n");
            line(value)
        };
        let from = from.max(1);
        emit(json!({"type": "export", "from": from}), &mut digest)?;
        let mut after = from - 1;
        let mut n = 0;
        loop {
            let batch = read_events_after(&mut tx, after, 5000).await?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for event in &batch {
                emit(event_to_json(event), &mut digest)?;
                n += 1;
            }
        }
        for cp in read_checkpoints(&mut tx).await? {
            emit(checkpoint_to_json(&cp), &mut digest)?;
        }
        if let Some(signed) = read_latest_signed(&mut tx, keys).await? {
            emit(signed.to_json(), &mut digest)?;
        }
        tx.commit().await?;
        let digest = hex::encode(digest.finalize());
        let signature = keys.sign(&export_message(from, n, &digest));
        line(json!({"type": "export_signature", "from": from, "events": n, "digest": digest,
                    "signature": signature, "public_key": keys.public_key_hex()}))?;
        Ok(n)
    }
}

fn export_message(from: i64, events: u64, digest: &str) -> Vec<u8> {
    format!("minzheng-export:{from}:{events}:{digest}").into_bytes()
}

async fn read_checkpoints(conn: &mut AnyConnection) -> StoreResult<Vec<Checkpoint>> {
    let rows = sqlx::query("SELECT no, at_ms, heads, prev_hash, hash FROM audit_checkpoints ORDER BY no")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            let heads: Value = serde_json::from_str(&row.try_get::<String, _>(2)?)
                .map_err(|e| StoreError::Other(format!("bad checkpoint heads: {e}")))?;
            let value = json!({"no": row.try_get::<i64, _>(0)?, "at_ms": row.try_get::<i64, _>(1)?, "heads": heads,
                               "prev_hash": row.try_get::<String, _>(3)?, "hash": row.try_get::<String, _>(4)?});
            checkpoint_from_json(&value).ok_or_else(|| StoreError::Other("bad checkpoint row".into()))
        })
        .collect()
}

async fn read_latest_signed(conn: &mut AnyConnection, keys: &Keys) -> StoreResult<Option<SignedCheckpoint>> {
    let row = sqlx::query("SELECT no, at_ms, hash, signature FROM audit_checkpoints ORDER BY no DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| {
        Ok(SignedCheckpoint {
            no: row.try_get(0)?,
            at_ms: row.try_get(1)?,
            hash: row.try_get(2)?,
            signature: row.try_get(3)?,
            public_key: keys.public_key_hex(),
        })
    })
    .transpose()
}

async fn read_heads(conn: &mut AnyConnection) -> StoreResult<Vec<StreamHead>> {
    let rows =
        sqlx::query("SELECT stream, head_stream_seq, head_seq, head_hash FROM audit_streams WHERE head_stream_seq > 0")
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|row| {
            Ok(StreamHead {
                stream: row.try_get(0)?,
                stream_seq: row.try_get(1)?,
                seq: row.try_get(2)?,
                hash: parse_hash(&row.try_get::<String, _>(3)?)?,
            })
        })
        .collect()
}

async fn read_events_after(conn: &mut AnyConnection, after: i64, limit: i64) -> StoreResult<Vec<Event>> {
    let rows = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(event_from_row).collect()
}

/// The signed checkpoint kept outside the database must be authentic and present in the
/// database's checkpoint chain: otherwise the record was cut back.
pub fn check_external(checkpoints: &[Checkpoint], signed: &SignedCheckpoint) -> Result<(), Break> {
    if !signed.signature_valid() {
        return Err(Break::Checkpoint {
            no: signed.no,
            reason: "the external checkpoint's SM2 signature is invalid (外部检查点签名无效)".into(),
        });
    }
    match checkpoints.iter().find(|cp| cp.no == signed.no) {
        Some(cp) if hash_hex(&cp.hash) == signed.hash => Ok(()),
        Some(_) => Err(Break::Checkpoint {
            no: signed.no,
            reason: "differs from the signed checkpoint kept outside the database (与库外签名检查点不一致)".into(),
        }),
        None => Err(Break::Checkpoint {
            no: signed.no,
            reason: format!(
                "missing: the signed checkpoint outside the database is #{} but the database holds {} (记录被截断)",
                signed.no,
                checkpoints.len()
            ),
        }),
    }
}

/// Verifies an export file's lines (header, events, checkpoints, signed checkpoint, and the
/// signature over the whole file). With `public_key`, the file must be signed by that key (the
/// bureau's published key): without it, anyone could rehash and re-sign a forged file.
pub fn verify_lines(lines: impl Iterator<Item = String>, public_key: Option<&str>) -> Result<Verification, String> {
    let mut events = Vec::new();
    let mut checkpoints = Vec::new();
    let mut signed = None;
    let mut header_from = None;
    let mut digest = Sm3::new();
    let mut signature = None;
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line).map_err(|e| format!("第{}行不是有效的 JSON：{e}", i + 1))?;
        let bad = || format!("第{}行格式不正确", i + 1);
        if signature.is_some() {
            return Err(format!("第{}行出现在导出签名之后", i + 1));
        }
        if value.get("type").and_then(Value::as_str) != Some("export_signature") {
            digest.update(value.to_string().as_bytes());
            digest.update(b"\n");
        }
        match value.get("type").and_then(Value::as_str) {
            Some("export") => header_from = Some(value.get("from").and_then(Value::as_i64).ok_or_else(bad)?),
            Some("event") => events.push(event_from_json(&value).ok_or_else(bad)?),
            Some("checkpoint") => checkpoints.push(checkpoint_from_json(&value).ok_or_else(bad)?),
            Some("signed_checkpoint") => signed = Some(SignedCheckpoint::from_json(&value).ok_or_else(bad)?),
            Some("export_signature") => signature = Some(value),
            _ => return Err(bad()),
        }
    }
    // The chain is checked first (it says where and how); then the file's own signature.
    let mut file_problem: Option<String> = None;
    match &signature {
        Some(sig) => {
            let field = |k: &str| sig.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            let (from, count) = (sig.get("from").and_then(Value::as_i64), sig.get("events").and_then(Value::as_u64));
            let key = field("public_key");
            let message = export_message(from.unwrap_or(-1), count.unwrap_or(u64::MAX), &field("digest"));
            if hex::encode(digest.finalize()) != field("digest")
                || !verify_signature(&key, &message, &field("signature"))
            {
                file_problem = Some("the export file was altered after it was signed (导出文件签名不符)".into());
            } else if from != header_from || count != Some(events.len() as u64) {
                file_problem = Some("the export header does not match its signature (导出文件头与签名不符)".into());
            } else if public_key.is_some_and(|expected| !expected.eq_ignore_ascii_case(&key)) {
                file_problem = Some(
                    "the export is signed with another key than the published one (签名密钥与公布的公钥不符)".into(),
                );
            }
        }
        None if public_key.is_some() => {
            file_problem = Some("the export carries no signature (导出文件缺少签名)".into())
        }
        None => {}
    }
    let from = header_from.or_else(|| events.first().map(|e| e.seq)).unwrap_or(1);
    let mut verifier = Verifier::from_seq(from);
    if let Err(brk) = domain::audit::verify_checkpoints(&checkpoints, &mut verifier) {
        return Ok(Err(brk));
    }
    if let Some(signed) = &signed {
        if public_key.is_some_and(|expected| !expected.eq_ignore_ascii_case(&signed.public_key)) {
            file_problem =
                Some("the checkpoint is signed with another key than the published one (检查点签名密钥不符)".into());
        }
        if let Err(brk) = check_external(&checkpoints, signed) {
            return Ok(Err(brk));
        }
    }
    for event in &events {
        verifier.push(event);
    }
    match (verifier.finish(), file_problem) {
        (Ok(_), Some(reason)) => Ok(Err(Break::Checkpoint { no: 0, reason })),
        (result, _) => Ok(result),
    }
}
