//! Regional nodes: the transactional outbox, the inbox and the dead letters
//! (docs/designs/nodes.md). A message to another node is a row of `node_outbox` written in the
//! transaction of the act that sends it, with the act's event hash; a publisher sends the rows
//! not yet sent and marks each sent after the broker acknowledged it. A message received is
//! applied in one transaction with its row in `node_inbox` (primary key: the message id), so a
//! redelivery finds the row and changes nothing. A message that cannot be applied is kept in
//! `node_dead_letters` with its reason.

use chrono::{DateTime, Utc};
use domain::audit::{Event, EventDraft};
use sqlx::Row;

use crate::audit::{append, hash_hex};
use crate::migrate::Migration;
use crate::{Store, StoreResult};

/// The name the nodes' migrations are recorded under (`area_migrations.area`).
pub const MIGRATION_SET: &str = "nodes";

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "nodes",
        sqlite: include_str!("migrations/sqlite/0001_nodes.sql"),
        postgres: include_str!("migrations/postgres/0001_nodes.sql"),
    },
    Migration {
        version: 2,
        name: "outbox_by_stream",
        sqlite: include_str!("migrations/sqlite/0002_outbox_by_stream.sql"),
        postgres: include_str!("migrations/postgres/0002_outbox_by_stream.sql"),
    },
    Migration {
        version: 3,
        name: "node_links",
        sqlite: include_str!("migrations/sqlite/0003_node_links.sql"),
        postgres: include_str!("migrations/postgres/0003_node_links.sql"),
    },
];

/// A case kept on two nodes: this node's case, the other node's number for it and its status
/// there as last reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub case_id: i64,
    pub remote_node: String,
    pub remote_number: String,
    /// The other copy's status (`CaseStatus::as_str` there, with its step: `in_progress:decide`).
    pub remote_status: String,
    /// The other copy's revision when it reported.
    pub remote_revision: i64,
    pub updated_at_ms: i64,
}

/// A received message's inbox row, as an act's effect writes it (owned: it lives in the act).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub id: String,
    pub from_node: String,
    pub kind: String,
    pub sender_hash: Option<String>,
}

/// The conflict an act's inbox row answers when the message was applied before: nothing of the
/// act is written.
pub const APPLIED_BEFORE: &str = "node_message_applied";

/// Writes a message's inbox row inside the caller's transaction: `false` when the id is there
/// already (the message was applied before).
pub(crate) async fn insert_inbox(
    conn: &mut sqlx::AnyConnection,
    row: &Incoming<'_>,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO node_inbox (id, from_node, kind, sender_hash, received_at_ms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(row.id)
    .bind(row.from_node)
    .bind(row.kind)
    .bind(row.sender_hash.map(str::to_string))
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// Writes (or updates) a case's link inside the caller's transaction.
pub(crate) async fn upsert_link(conn: &mut sqlx::AnyConnection, link: &Link) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO node_links (case_id, remote_node, remote_number, remote_status, remote_revision, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO UPDATE SET remote_node = $2, remote_number = $3, \
         remote_status = $4, remote_revision = $5, updated_at_ms = $6 WHERE node_links.remote_revision <= $5",
    )
    .bind(link.case_id)
    .bind(&link.remote_node)
    .bind(&link.remote_number)
    .bind(&link.remote_status)
    .bind(link.remote_revision)
    .bind(link.updated_at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A message to another node, as the sending act writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Random, 32 hex characters: the broker's dedupe id and the receiver's inbox key.
    pub id: String,
    /// The receiving node (its province code).
    pub to_node: String,
    pub kind: String,
    /// JSON.
    pub payload: String,
    /// The record stream of the sender's event the message carries.
    pub sender_stream: String,
}

/// A row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub pos: i64,
    pub message: Outgoing,
    /// The SM3 hash (hex) of the sender's event.
    pub sender_hash: Option<String>,
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
}

/// A message received, as the receiver applies it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub id: &'a str,
    pub from_node: &'a str,
    pub kind: &'a str,
    pub sender_hash: Option<&'a str>,
}

/// What applying a message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// First time: its events, as written.
    New(Vec<Event>),
    /// The inbox already holds the id: nothing was written.
    Duplicate,
}

/// A document that came with a message from another node, checked on arrival (its bytes hash
/// to `hash` by SM3, its type and size are those an upload may have).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedDocument {
    pub hash: String,
    pub file_name: String,
    pub media_type: String,
    pub label: String,
    pub bytes: Vec<u8>,
}

/// The documents a message brings to one of this node's cases. They are attached under the
/// sending node's exchange account (`node:<province>`, display name `sender_name`: no roles, no
/// password, disabled, so it signs nothing in and only names who added the file); a document the
/// case has already (same SM3 hash) is not attached twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDocuments {
    pub case_id: i64,
    pub from_node: String,
    pub sender_name: String,
    pub items: Vec<ReceivedDocument>,
}

/// Attaches the documents inside the caller's transaction.
pub(crate) async fn attach_documents(
    conn: &mut sqlx::AnyConnection,
    documents: &NodeDocuments,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    if documents.items.is_empty() {
        return Ok(());
    }
    let at_ms = at.timestamp_millis();
    let username = format!("node:{}", documents.from_node);
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
        .bind(&username)
        .fetch_optional(&mut *conn)
        .await?;
    let account = match found {
        Some(id) => id,
        None => {
            sqlx::query_scalar(
                "INSERT INTO accounts (username, display_name, password_hash, disabled_at_ms, created_at_ms, updated_at_ms) \
                 VALUES ($1, $2, '!', $3, $3, $3) RETURNING id",
            )
            .bind(&username)
            .bind(&documents.sender_name)
            .bind(at_ms)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    for doc in &documents.items {
        let size = i64::try_from(doc.bytes.len()).map_err(|_| crate::StoreError::Invalid("文件过大".into()))?;
        sqlx::query(
            "INSERT INTO blobs (hash, bytes, size, created_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(&doc.hash)
        .bind(doc.bytes.clone())
        .bind(size)
        .bind(at_ms)
        .execute(&mut *conn)
        .await?;
        let there: Option<i64> =
            sqlx::query_scalar("SELECT id FROM attachments WHERE case_id = $1 AND hash = $2 AND withdrawn = 0 LIMIT 1")
                .bind(documents.case_id)
                .bind(&doc.hash)
                .fetch_optional(&mut *conn)
                .await?;
        if there.is_some() {
            continue;
        }
        sqlx::query(
            "INSERT INTO attachments (case_id, hash, file_name, media_type, size, label, uploaded_by, uploaded_at_ms, withdrawn) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
        )
        .bind(documents.case_id)
        .bind(&doc.hash)
        .bind(&doc.file_name)
        .bind(&doc.media_type)
        .bind(size)
        .bind(&doc.label)
        .bind(account)
        .bind(at_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A message kept because it could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub id: String,
    pub from_node: String,
    pub kind: String,
    pub payload: String,
    pub reason: String,
    pub at_ms: i64,
}

/// Writes an outbox row inside the caller's transaction.
pub(crate) async fn enqueue(
    conn: &mut sqlx::AnyConnection,
    message: &Outgoing,
    sender_hash: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO node_outbox (id, to_node, kind, payload, sender_stream, sender_hash, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&message.id)
    .bind(&message.to_node)
    .bind(&message.kind)
    .bind(&message.payload)
    .bind(&message.sender_stream)
    .bind(sender_hash.map(str::to_string))
    .bind(at.timestamp_millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Names the hash of the act's event on the outbox rows the act wrote (the rows are written
/// before the events, which may name what the effects produced).
pub(crate) async fn set_sender_hash(conn: &mut sqlx::AnyConnection, ids: &[String], event: &Event) -> StoreResult<()> {
    for id in ids {
        sqlx::query("UPDATE node_outbox SET sender_hash = $1, sender_stream = $2 WHERE id = $3")
            .bind(hash_hex(&event.hash))
            .bind(&event.stream)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn outbox_row(row: &sqlx::any::AnyRow) -> StoreResult<OutboxRow> {
    Ok(OutboxRow {
        pos: row.try_get(0)?,
        message: Outgoing {
            id: row.try_get(1)?,
            to_node: row.try_get(2)?,
            kind: row.try_get(3)?,
            payload: row.try_get(4)?,
            sender_stream: row.try_get(5)?,
        },
        sender_hash: row.try_get(6)?,
        created_at_ms: row.try_get(7)?,
        sent_at_ms: row.try_get(8)?,
    })
}

const OUTBOX_COLUMNS: &str = "pos, id, to_node, kind, payload, sender_stream, sender_hash, created_at_ms, sent_at_ms";

impl Store {
    /// The sender's event and the message that carries it, in one transaction.
    pub async fn send_message(&self, event: &EventDraft, message: &Outgoing, at: DateTime<Utc>) -> StoreResult<Event> {
        let mut tx = self.begin_write().await?;
        let written = append(&mut tx, self.backend, event, at).await?;
        let mut message = message.clone();
        message.sender_stream = written.stream.clone();
        enqueue(&mut tx, &message, Some(&hash_hex(&written.hash)), at).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// The messages not yet acknowledged by the broker, oldest first.
    pub async fn unsent_messages(&self, limit: i64) -> StoreResult<Vec<OutboxRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM node_outbox WHERE sent_at_ms IS NULL ORDER BY pos LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// Every outbox row (sent or not), oldest first: for the operator's page and the proofs.
    pub async fn outbox(&self, limit: i64) -> StoreResult<Vec<OutboxRow>> {
        let rows = sqlx::query(&format!("SELECT {OUTBOX_COLUMNS} FROM node_outbox ORDER BY pos DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&self.reads)
            .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// The messages record stream `stream` sent (a case's handover, say), oldest first.
    pub async fn outbox_of_stream(&self, stream: &str) -> StoreResult<Vec<OutboxRow>> {
        let rows =
            sqlx::query(&format!("SELECT {OUTBOX_COLUMNS} FROM node_outbox WHERE sender_stream = $1 ORDER BY pos"))
                .bind(stream)
                .fetch_all(&self.reads)
                .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// "待发送 N": how many messages wait for the broker's acknowledgement.
    pub async fn unsent_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM node_outbox WHERE sent_at_ms IS NULL")
            .fetch_one(&self.reads)
            .await?)
    }

    /// Marks a message sent (the broker acknowledged it). Marking it again changes nothing.
    pub async fn mark_sent(&self, id: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE node_outbox SET sent_at_ms = $1 WHERE id = $2 AND sent_at_ms IS NULL")
            .bind(at.timestamp_millis())
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Applies a received message: its inbox row and its events in one transaction. A message
    /// already in the inbox writes nothing ([`Applied::Duplicate`]). `reply`, if any, is a
    /// message this one answers with, written in the same transaction after the events (its
    /// sender event is the last of them); `documents`, the files it brought.
    pub async fn apply_message(
        &self,
        incoming: &Incoming<'_>,
        events: &[EventDraft],
        reply: Option<(&Outgoing, Option<&str>)>,
        link: Option<&Link>,
        documents: Option<&NodeDocuments>,
        at: DateTime<Utc>,
    ) -> StoreResult<Applied> {
        let mut tx = self.begin_write().await?;
        if !insert_inbox(&mut tx, incoming, at).await? {
            return Ok(Applied::Duplicate);
        }
        if let Some(documents) = documents {
            attach_documents(&mut tx, documents, at).await?;
        }
        let mut written = Vec::with_capacity(events.len());
        for event in events {
            written.push(append(&mut tx, self.backend, event, at).await?);
        }
        if let Some(link) = link {
            upsert_link(&mut tx, link).await?;
        }
        if let Some((reply, hash)) = reply {
            // The reply carries the last event written here, else the hash the caller names.
            let last = written.last().map(|e| (e.stream.clone(), hash_hex(&e.hash)));
            let mut reply = reply.clone();
            if let Some((stream, _)) = &last {
                reply.sender_stream = stream.clone();
            }
            let hash = last.as_ref().map(|(_, h)| h.clone()).or(hash.map(str::to_string));
            enqueue(&mut tx, &reply, hash.as_deref(), at).await?;
        }
        tx.commit().await?;
        Ok(Applied::New(written))
    }

    /// The link of a case kept on two nodes, if it is one.
    pub async fn link_of_case(&self, case_id: i64) -> StoreResult<Option<Link>> {
        let row = sqlx::query(
            "SELECT case_id, remote_node, remote_number, remote_status, remote_revision, updated_at_ms FROM node_links \
             WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.write)
        .await?;
        row.map(|row| {
            Ok(Link {
                case_id: row.try_get(0)?,
                remote_node: row.try_get(1)?,
                remote_number: row.try_get(2)?,
                remote_status: row.try_get(3)?,
                remote_revision: row.try_get(4)?,
                updated_at_ms: row.try_get(5)?,
            })
        })
        .transpose()
    }

    /// This node's case kept for (or with) another node's case `number`.
    pub async fn case_of_link(&self, remote_node: &str, remote_number: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT case_id FROM node_links WHERE remote_node = $1 AND remote_number = $2")
            .bind(remote_node)
            .bind(remote_number)
            .fetch_optional(&self.write)
            .await?)
    }

    /// Whether a message was applied here.
    pub async fn inbox_has(&self, id: &str) -> StoreResult<bool> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM node_inbox WHERE id = $1").bind(id).fetch_optional(&self.write).await?;
        Ok(found.is_some())
    }

    /// How many messages this node applied.
    pub async fn inbox_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM node_inbox").fetch_one(&self.write).await?)
    }

    /// Keeps a message that cannot be applied, with its reason. `false`: it was kept already.
    pub async fn dead_letter(&self, letter: &DeadLetter) -> StoreResult<bool> {
        let inserted = sqlx::query(
            "INSERT INTO node_dead_letters (id, from_node, kind, payload, reason, at_ms) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&letter.id)
        .bind(&letter.from_node)
        .bind(&letter.kind)
        .bind(&letter.payload)
        .bind(&letter.reason)
        .bind(letter.at_ms)
        .execute(&self.write)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// The dead letters, newest first.
    pub async fn dead_letters(&self, limit: i64) -> StoreResult<Vec<DeadLetter>> {
        let rows = sqlx::query(
            "SELECT id, from_node, kind, payload, reason, at_ms FROM node_dead_letters ORDER BY at_ms DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeadLetter {
                    id: row.try_get(0)?,
                    from_node: row.try_get(1)?,
                    kind: row.try_get(2)?,
                    payload: row.try_get(3)?,
                    reason: row.try_get(4)?,
                    at_ms: row.try_get(5)?,
                })
            })
            .collect()
    }
}
