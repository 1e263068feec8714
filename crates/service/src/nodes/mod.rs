//! Regional nodes exchanging 跨省通办 matters (docs/designs/nodes.md).
//!
//! A node owns the divisions of one province (`--node 510000`: every code beginning `51`). When
//! an act hands a matter to an office another node owns, the act's transaction writes the
//! message to the outbox (`store::nodes`); [`publish_pending`] sends what is unsent to the
//! JetStream stream with the message id as `Nats-Msg-Id` (the stream drops a second copy within
//! its duplicate window) and marks each row sent after the stream's acknowledgement. The
//! receiving node's durable pull consumer hands each message to [`App::receive_message`], which
//! applies it in one transaction with its inbox row; the message is acknowledged only after
//! that commit, so a node killed in between gets it again and the inbox row makes the second
//! apply a no-op. A message that cannot be applied goes to the dead letters (a table an admin
//! reads, and a dead-letter stream), never dropped.
//!
//! What crosses is personal data: each node has its own data key and never needs another's.
//! In the outbox the applicant's identity is sealed under the sender's own key; the publisher
//! seals it again, and the case's documents, for the receiving node alone (SM2 key agreement
//! with that node's exchange public key, `store::crypto::Keys::sealer_for`); the receiver opens
//! them with its own key and stores them under its own key. Each node announces its exchange
//! public key in a JetStream key-value bucket; documents travel in a JetStream object store,
//! named by message and SM3 hash, and are checked by SM3 on arrival.
//!
//! Which matters cross: a case whose procedure forwards it (推送, a `forward` step) to a
//! competent office of another node, and its result returned (`return_result`) to an accepting
//! office of another node — 国办发〔2020〕35号《国务院办公厅关于加快推进政务服务“跨省通办”的
//! 指导意见》: 异地受理、属地办理 ("收受分离"), the result returned to the accepting place.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::division::DivisionCode;
use domain::procedure::{Seat, StepKind};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::nodes::DeadLetter;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

mod copies;
pub(crate) use copies::crossing;
pub use copies::{status_label, KIND_DELIVERED, KIND_RECEIVED, KIND_RESENT, KIND_RETURNED, KIND_STATUS};

/// The sealed documents that came with a message, by the object names the message gives them.
pub type Objects = BTreeMap<String, Vec<u8>>;

/// The message kinds.
pub const KIND_HANDOVER: &str = "node.handover";
pub const KIND_RESULT: &str = "node.result";

/// This process as a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeConfig {
    /// The province code the node owns (`510000`).
    pub node: String,
    pub nats_url: String,
    /// Stream and subject prefix: one per deployment (and per test run, so runs never meet).
    pub prefix: String,
}

impl NodeConfig {
    /// A node for a province code (`510000`); anything else is refused.
    pub fn new(node: &str, nats_url: &str, prefix: &str) -> ServiceResult<NodeConfig> {
        let valid = node.len() == 6 && node.bytes().all(|b| b.is_ascii_digit()) && node.ends_with("0000");
        if !valid || !prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') || prefix.is_empty() {
            return Err(ServiceError::new(ErrorKind::Invalid, "node_invalid", "节点须为省级区划代码（如 510000）")
                .with_field("node"));
        }
        Ok(NodeConfig { node: node.to_string(), nats_url: nats_url.to_string(), prefix: prefix.to_string() })
    }

    /// Whether this node owns a division (same province).
    pub fn owns(&self, division: &str) -> bool {
        node_of(division) == self.node
    }

    pub fn stream(&self) -> String {
        format!("{}_NODES", self.prefix)
    }

    pub fn dead_stream(&self) -> String {
        format!("{}_NODES_DEAD", self.prefix)
    }

    pub fn subject_to(&self, node: &str) -> String {
        format!("{}.node.{node}", self.prefix)
    }

    pub fn durable(&self) -> String {
        format!("{}_node_{}", self.prefix, self.node)
    }

    /// The key-value bucket where each node announces its exchange public key.
    pub fn keys_bucket(&self) -> String {
        format!("{}_NODE_KEYS", self.prefix)
    }

    /// The object store the documents travel in.
    pub fn documents_bucket(&self) -> String {
        format!("{}_NODE_DOCS", self.prefix)
    }
}

/// The node that owns a division: its province (`511702` → `510000`).
pub fn node_of(division: &str) -> String {
    format!("{}0000", division.get(..2).unwrap_or("00"))
}

/// A message as it travels: the outbox row and the sender's event hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Envelope {
    pub id: String,
    pub from: String,
    pub to: String,
    pub kind: String,
    pub sender_stream: String,
    pub sender_hash: Option<String>,
    pub payload: Value,
}

/// A new message id: 128 random bits in hex.
pub fn message_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The working-day limit of an item's first step of `kind` held by the competent office (for
/// `Decide`) or the accepting one (for `Deliver`), from the catalog: the segment clock of the
/// node holding the matter.
fn segment_limit(item: &ServiceItem, kind: StepKind) -> Option<(u32, String)> {
    item.procedure
        .steps
        .iter()
        .find(|s| s.kind == kind)
        .and_then(|s| s.limit.as_ref())
        .and_then(|l| (l.unit == domain::procedure::LimitUnit::Workday).then(|| (l.value, l.basis.clone())))
}

/// The limit of `kind` counted from `today` on this node's calendar, as recorded on receipt:
/// `{ due, workdays, basis }` (null when the step has no limit in working days). A year without
/// calendar data is refused, never guessed (and not retried).
pub(crate) fn due_of(
    app: &App,
    item: &ServiceItem,
    kind: StepKind,
    today: chrono::NaiveDate,
) -> Result<Value, ReceiveError> {
    match segment_limit(item, kind) {
        None => Ok(Value::Null),
        Some((days, basis)) => match app.calendar().add_workdays(today, days) {
            Ok(date) => Ok(json!({ "due": date.to_string(), "workdays": days, "basis": basis })),
            Err(err) => Err(ReceiveError::Permanent(format!("无法计算时限：{err}"))),
        },
    }
}

/// What [`App::node_status`] answers.
#[derive(Debug, Clone)]
pub struct NodeStatus {
    /// `None`: this process is no node (one process serves everything).
    pub node: Option<NodeConfig>,
    /// Messages written and not yet acknowledged by the broker ("待发送").
    pub unsent: i64,
    /// Messages from other nodes applied here.
    pub received: i64,
    /// The latest outbox rows, newest first.
    pub outbox: Vec<store::nodes::OutboxRow>,
    pub dead: Vec<DeadLetter>,
}

/// Where a matter this node accepted and handed to another node is, and whose clock runs: what
/// the accepting case's page shows (the holding node's own record is not readable from here;
/// what is known is this node's outbox and the messages that came back).
#[derive(Debug, Clone, PartialEq)]
pub struct Whereabouts {
    /// The province whose node holds (or held) the matter: `四川省`.
    pub node_name: String,
    /// The competent office (户籍地) by its full name.
    pub competent_name: String,
    pub stage: WhereStage,
    /// The other node's copy of the case: its number and status as last reported.
    pub counterpart: Option<Counterpart>,
}

/// The other node's copy of a case, as it last reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterpart {
    /// The province of the other node: `重庆市`.
    pub node_name: String,
    pub number: String,
    pub status: String,
    pub as_of: chrono::NaiveDate,
}

/// The stage of a handed-over matter.
#[derive(Debug, Clone, PartialEq)]
pub enum WhereStage {
    /// This node is the competent one: it holds the matter accepted at `accepting_name` on
    /// another node, and its own clocks run (the case's deadlines).
    HeldHere { accepting_name: String },
    /// The handover waits in this node's outbox for the broker (待发送): pushed on `since`.
    Unsent { since: chrono::NaiveDate },
    /// Delivered to the broker on `sent_on`: the competent node holds it and its clock runs
    /// (the `decide` step's limit, from the day that node receives it).
    Remote {
        sent_on: chrono::NaiveDate,
        /// The limit in working days and its legal basis, from the item version.
        limit: Option<(u32, String)>,
        /// The due date: as the holding node recorded it on receipt, else if received the day
        /// it was sent.
        due_if_received_then: Option<chrono::NaiveDate>,
    },
    /// The competent office returned the matter with reasons on `on` (退回): it is back at this
    /// office's step (the case's status says which), on this office's clock, until it is
    /// pushed again.
    Returned { on: chrono::NaiveDate, reason: String },
    /// This (competent) node returned the matter with reasons on `on` to the accepting office
    /// `accepting_name`; its clock starts again when the matter is pushed again.
    ReturnedThere { on: chrono::NaiveDate, reason: String, accepting_name: String },
    /// The result came back on `on`: this node's clock runs (telling the applicant).
    Back {
        on: chrono::NaiveDate,
        /// Some(true) granted, Some(false) denied.
        granted: Option<bool>,
        reason: Option<String>,
        /// The `deliver` step's due date and limit as recorded on receipt.
        due: Option<chrono::NaiveDate>,
        limit: Option<(u32, String)>,
    },
}

/// Why a message was not applied.
#[derive(Debug)]
pub enum ReceiveError {
    /// It can never be applied (unknown kind, item, case; bad data): a dead letter.
    Permanent(String),
    /// Try again later (the database was unreachable).
    Transient(ServiceError),
}

impl From<store::StoreError> for ReceiveError {
    fn from(err: store::StoreError) -> ReceiveError {
        ReceiveError::Transient(err.into())
    }
}

impl App {
    /// This process as a node, if it is one.
    pub fn node(&self) -> Option<&NodeConfig> {
        self.node.as_ref()
    }

    pub fn set_node(&mut self, node: Option<NodeConfig>) {
        self.node = node;
    }

    /// Where a 跨省通办 case kept on two nodes is and whose clock runs, with the other copy's
    /// number and status: on the accepting node, from its outbox and the messages that came
    /// back; on the competent node, its own copy holds it. None when this process is no node or
    /// the case crossed no node. `view` is the case as its reader was allowed to see it.
    pub async fn case_whereabouts(&self, view: &crate::cases::CaseView) -> ServiceResult<Option<Whereabouts>> {
        let case = &view.case;
        let Some(node) = self.node() else { return Ok(None) };
        let (accepting_here, competent_here) = (node.owns(case.accepting.as_str()), node.owns(case.competent.as_str()));
        if accepting_here == competent_here {
            return Ok(None);
        }
        let divisions = self.divisions();
        let province = |code: &str| {
            let remote = node_of(code);
            DivisionCode::parse(&remote).ok().and_then(|c| divisions.get(&c).map(|d| d.name.clone())).unwrap_or(remote)
        };
        let full = |code: &DivisionCode| divisions.full_name(code).unwrap_or_else(|| code.to_string());
        let date = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(shanghai_date);
        let link = self.store.link_of_case(case.id).await?;
        let counterpart = |name: String| {
            link.as_ref().map(|l| Counterpart {
                node_name: name,
                number: l.remote_number.clone(),
                status: l.remote_status.clone(),
                as_of: date(l.updated_at_ms).unwrap_or_else(|| self.today()),
            })
        };
        let competent_name = full(&case.competent);
        let stream = format!("case:{}", case.id);
        let events = self.store.stream_events(&stream).await?;
        // The latest event of `act` (its position, time and payload).
        let latest = |act: &str| {
            events
                .iter()
                .enumerate()
                .rev()
                .find(|(_, e)| e.act == act)
                .map(|(i, e)| (i, e.at_ms, serde_json::from_str::<Value>(&e.payload).unwrap_or(Value::Null)))
        };
        let payload_of = |act: &str| latest(act).map(|(_, at, payload)| (at, payload));
        let item = self.case_item(case);
        if competent_here {
            if link.is_none() {
                return Ok(None);
            }
            let accepting_name = full(&case.accepting);
            let returned = item.is_some_and(|i| {
                case.status == domain::engine::case::CaseStatus::InProgress
                    && case.step.as_deref().and_then(|s| i.procedure.step(s)).is_some_and(|s| s.seat == Seat::Accepting)
                    && case.decision.is_none()
            });
            let stage = match latest("case.review").filter(|(_, _, p)| p["verdict"] == "return") {
                Some((_, at, payload)) if returned => WhereStage::ReturnedThere {
                    on: date(at).unwrap_or_else(|| self.today()),
                    reason: payload["opinion"].as_str().unwrap_or_default().to_string(),
                    accepting_name,
                },
                _ => WhereStage::HeldHere { accepting_name },
            };
            return Ok(Some(Whereabouts {
                node_name: province(case.competent.as_str()),
                competent_name,
                stage,
                counterpart: counterpart(province(case.accepting.as_str())),
            }));
        }
        let outbox = self.store.outbox_of_stream(&stream).await?;
        // The latest push: the handover, or a new push after a return.
        let Some(handover) =
            outbox.iter().rev().find(|r| r.message.kind == KIND_HANDOVER || r.message.kind == KIND_RESENT)
        else {
            return Ok(None);
        };
        let node_name = province(case.competent.as_str());
        let pushed = latest("case.forward").map(|(i, _, _)| i);
        let due_in = |v: &Value| v["due"].as_str().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let returned = latest("node.returned_received").filter(|(i, _, _)| Some(*i) > pushed);
        let stage = if let Some((at_ms, payload)) = payload_of("node.result_received") {
            let deliver = &payload["deliver"];
            WhereStage::Back {
                on: date(at_ms).unwrap_or_else(|| self.today()),
                granted: payload["outcome"].as_str().map(|o| o == "granted"),
                reason: payload["reason"].as_str().filter(|r| !r.is_empty()).map(str::to_string),
                due: due_in(deliver),
                limit: deliver["workdays"]
                    .as_u64()
                    .map(|w| (w as u32, deliver["basis"].as_str().unwrap_or_default().to_string())),
            }
        } else if let Some((_, at_ms, payload)) = returned {
            WhereStage::Returned {
                on: date(at_ms).unwrap_or_else(|| self.today()),
                reason: payload["reason"].as_str().unwrap_or_default().to_string(),
            }
        } else if let Some(sent) = handover.sent_at_ms.and_then(date) {
            let limit = item.and_then(|i| segment_limit(i, StepKind::Decide));
            // The due date the holding node recorded on receiving this push (not an earlier one).
            let recorded = latest("node.taken_there")
                .filter(|(i, _, _)| Some(*i) > pushed)
                .and_then(|(_, _, p)| due_in(&p["decide"]));
            WhereStage::Remote {
                sent_on: sent,
                due_if_received_then: recorded
                    .or_else(|| limit.as_ref().and_then(|(d, _)| self.calendar().add_workdays(sent, *d).ok())),
                limit,
            }
        } else {
            WhereStage::Unsent { since: date(handover.created_at_ms).unwrap_or_else(|| self.today()) }
        };
        Ok(Some(Whereabouts { counterpart: counterpart(node_name.clone()), node_name, competent_name, stage }))
    }

    /// "待发送 N": messages not yet acknowledged by the broker.
    pub async fn unsent_messages(&self) -> ServiceResult<i64> {
        Ok(self.store.unsent_count().await?)
    }

    /// The dead letters, for the admin page.
    pub async fn dead_letters(&self, limit: i64) -> ServiceResult<Vec<DeadLetter>> {
        Ok(self.store.dead_letters(limit).await?)
    }

    /// The node's exchange as its administrator sees it: "待发送 N", the latest messages and
    /// the dead letters. Administrators only (ManageSystem).
    pub async fn node_status(&self, actor: &domain::access::Actor) -> ServiceResult<NodeStatus> {
        if !actor.may_somewhere(domain::access::Permission::ManageSystem) {
            return Err(ServiceError::forbidden());
        }
        Ok(NodeStatus {
            node: self.node().cloned(),
            unsent: self.store.unsent_count().await?,
            received: self.store.inbox_count().await?,
            outbox: self.store.outbox(50).await?,
            dead: self.store.dead_letters(100).await?,
        })
    }

    /// A message from another node, applied once: `Ok(false)` when it was applied before. A
    /// handover opens this node's copy of the case; the other kinds move or annotate a copy this
    /// node keeps (`copies`).
    /// `objects`: the sealed documents that came with it (see [`fetch_documents`]).
    pub async fn receive_message(&self, envelope: &Envelope, objects: &Objects) -> Result<bool, ReceiveError> {
        let now = self.now();
        if self.store.inbox_has(&envelope.id).await? {
            return Ok(false);
        }
        let slug = envelope.payload["item"].as_str().unwrap_or_default();
        let version = envelope.payload["item_version"].as_u64().unwrap_or(0) as u32;
        let item = self
            .catalog
            .get(slug, version)
            .ok_or_else(|| ReceiveError::Permanent(format!("本节点没有事项 {slug} 第 {version} 版")))?;
        envelope.payload["number"]
            .as_str()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ReceiveError::Permanent("消息缺少办件编号".into()))?;
        let link = json!({
            "message": envelope.id,
            "from_node": envelope.from,
            "sender_stream": envelope.sender_stream,
            "sender_hash": envelope.sender_hash,
        });
        match envelope.kind.as_str() {
            KIND_HANDOVER => self.receive_handover(envelope, objects, item, link, now).await,
            KIND_RESULT | KIND_RECEIVED | KIND_STATUS | KIND_DELIVERED | KIND_RETURNED | KIND_RESENT => {
                self.receive_on_copy(envelope, objects, link, now).await
            }
            other => Err(ReceiveError::Permanent(format!("未知的消息类型 {other}"))),
        }
    }

    /// Keeps a message that cannot be applied, with its reason.
    pub async fn dead_letter(
        &self,
        id: &str,
        from: &str,
        kind: &str,
        payload: &str,
        reason: &str,
    ) -> ServiceResult<()> {
        let letter = DeadLetter {
            id: id.to_string(),
            from_node: from.to_string(),
            kind: kind.to_string(),
            payload: payload.to_string(),
            reason: reason.to_string(),
            at_ms: self.now().timestamp_millis(),
        };
        self.store.dead_letter(&letter).await?;
        Ok(())
    }
}

/// Sends every unsent outbox row; `Ok(n)` sent, an error when the broker did not acknowledge
/// (the rest stay in the outbox for the next round).
pub async fn publish_pending(
    app: &App,
    js: &async_nats::jetstream::Context,
    exchange: &Exchange,
) -> Result<usize, String> {
    let node = app.node().ok_or("本进程不是节点")?.clone();
    let mut sent = 0;
    loop {
        let rows = app.store.unsent_messages(100).await.map_err(|e| e.to_string())?;
        if rows.is_empty() {
            return Ok(sent);
        }
        for row in rows {
            let envelope = Envelope {
                id: row.message.id.clone(),
                from: node.node.clone(),
                to: row.message.to_node.clone(),
                kind: row.message.kind.clone(),
                sender_stream: row.message.sender_stream.clone(),
                sender_hash: row.sender_hash.clone(),
                payload: seal_for(app, exchange, &row).await?,
            };
            let body = serde_json::to_vec(&envelope).map_err(|e| e.to_string())?;
            let mut headers = async_nats::HeaderMap::new();
            headers.insert("Nats-Msg-Id", row.message.id.as_str());
            let ack = js
                .publish_with_headers(node.subject_to(&row.message.to_node), headers, body.into())
                .await
                .map_err(|e| e.to_string())?;
            tokio::time::timeout(Duration::from_secs(5), ack)
                .await
                .map_err(|_| "发布确认超时".to_string())?
                .map_err(|e| e.to_string())?;
            app.store.mark_sent(&row.message.id, app.now()).await.map_err(|e| e.to_string())?;
            sent += 1;
        }
    }
}

/// A message's payload as it travels: what is personal in it sealed for the receiving node
/// alone. The applicant's identity, sealed in the outbox under this node's key, is opened and
/// sealed again for the receiver; each listed document's bytes are sealed and put in the object
/// store under `<message id>.<SM3>`. The seal is derived from the message id, so publishing the
/// message again (after a crash between the broker's acknowledgement and `mark_sent`) writes
/// the same bytes. A receiver that has not announced its key yet: the message waits.
async fn seal_for(app: &App, exchange: &Exchange, row: &store::nodes::OutboxRow) -> Result<Value, String> {
    let mut payload: Value = serde_json::from_str(&row.message.payload).unwrap_or(Value::Null);
    let applicant = payload["applicant"].as_str().map(str::to_string);
    let documents = payload["documents"].as_array().map_or(0, Vec::len);
    if applicant.is_none() && documents == 0 {
        return Ok(payload);
    }
    let to = &row.message.to_node;
    let public = exchange
        .keys
        .get(to.as_str())
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("节点 {to} 的交换公钥尚未登记，消息待发送"))?;
    let sealer = app
        .keys
        .sealer_for(&String::from_utf8_lossy(&public), &row.message.id)
        .map_err(|e| format!("节点 {to} 的交换公钥：{e}"))?;
    if let Some(at_rest) = applicant {
        let plain = app.keys.decrypt(copies::SEALED_FIELD, &at_rest).map_err(|e| e.to_string())?;
        payload["applicant"] = json!(hex::encode(sealer.seal("applicant", plain.as_bytes())));
    }
    for i in 0..documents {
        let hash = payload["documents"][i]["hash"].as_str().unwrap_or_default().to_string();
        let bytes =
            app.store.blob(&hash).await.map_err(|e| e.to_string())?.ok_or_else(|| format!("附件 {hash} 不在本节点"))?;
        let sealed = sealer.seal(&format!("document:{hash}"), &bytes);
        let name = format!("{}.{hash}", row.message.id);
        // Put once: an object there already is this one, complete (its description is written
        // after its chunks); replacing it could cut a receiver reading it.
        if exchange.documents.info(name.as_str()).await.is_err() {
            exchange.documents.put(name.as_str(), &mut sealed.as_slice()).await.map_err(|e| e.to_string())?;
        }
        payload["documents"][i]["object"] = json!(name);
    }
    payload["seal"] = json!({ "ephemeral": sealer.ephemeral, "for": to });
    Ok(payload)
}

/// The sealed documents a message names, from the object store. A document not there is left
/// out (applying the message then makes it a dead letter); a broker error is an error (the
/// message is redelivered).
pub async fn fetch_documents(exchange: &Exchange, envelope: &Envelope) -> Result<Objects, String> {
    use async_nats::jetstream::object_store::GetErrorKind;
    use tokio::io::AsyncReadExt;
    let mut objects = Objects::new();
    for doc in envelope.payload["documents"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let Some(name) = doc["object"].as_str() else { continue };
        let found = tokio::time::timeout(Duration::from_secs(30), exchange.documents.get(name)).await;
        match found.map_err(|_| format!("附件 {name} 读取超时"))? {
            Ok(mut object) => {
                let mut bytes = Vec::new();
                // Never wait forever on a document (the message comes back later).
                tokio::time::timeout(Duration::from_secs(30), object.read_to_end(&mut bytes))
                    .await
                    .map_err(|_| format!("附件 {name} 读取超时"))?
                    .map_err(|e| e.to_string())?;
                objects.insert(name.to_string(), bytes);
            }
            Err(err) if err.kind() == GetErrorKind::NotFound => {}
            Err(err) => return Err(err.to_string()),
        }
    }
    Ok(objects)
}

/// The exchange on the broker: the message stream, the nodes' exchange public keys (a
/// key-value bucket, one key per province) and the documents in transit (an object store).
#[derive(Clone)]
pub struct Exchange {
    pub stream: async_nats::jetstream::stream::Stream,
    pub keys: async_nats::jetstream::kv::Store,
    pub documents: async_nats::jetstream::object_store::ObjectStore,
}

/// The node's JetStream streams: the messages (deduped on `Nats-Msg-Id` within two hours), the
/// dead letters, the key bucket and the documents' object store.
pub async fn ensure_streams(node: &NodeConfig, js: &async_nats::jetstream::Context) -> Result<Exchange, String> {
    use async_nats::jetstream::object_store;
    use async_nats::jetstream::stream::Config;
    let stream = js
        .get_or_create_stream(Config {
            name: node.stream(),
            subjects: vec![format!("{}.node.*", node.prefix)],
            duplicate_window: Duration::from_secs(2 * 3600),
            ..Default::default()
        })
        .await
        .map_err(|e| e.to_string())?;
    js.get_or_create_stream(Config {
        name: node.dead_stream(),
        subjects: vec![format!("{}.dead.*", node.prefix)],
        ..Default::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    // The bucket's stream as `create_key_value` would make it (one value per key, rolled up),
    // made directly: that call first asks the account's API level, which the NATS 2.9 server
    // here does not report in the form async-nats 0.42 expects.
    js.get_or_create_stream(Config {
        name: format!("KV_{}", node.keys_bucket()),
        subjects: vec![format!("$KV.{}.>", node.keys_bucket())],
        max_messages_per_subject: 1,
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        discard: async_nats::jetstream::stream::DiscardPolicy::New,
        ..Default::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let keys = js.get_key_value(node.keys_bucket()).await.map_err(|e| e.to_string())?;
    let documents = match js.get_object_store(node.documents_bucket()).await {
        Ok(documents) => documents,
        Err(_) => js
            .create_object_store(object_store::Config { bucket: node.documents_bucket(), ..Default::default() })
            .await
            .map_err(|e| e.to_string())?,
    };
    Ok(Exchange { stream, keys, documents })
}

/// Announces this node's exchange public key (what the other nodes seal for).
pub async fn announce_key(app: &App, exchange: &Exchange) -> Result<(), String> {
    let node = app.node().ok_or("本进程不是节点")?;
    let public = app.keys.exchange_public_hex();
    exchange.keys.put(node.node.as_str(), public.into_bytes().into()).await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Connects to NATS, retrying until it answers.
pub async fn connect(node: &NodeConfig) -> Result<async_nats::jetstream::Context, String> {
    let client = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connect(node.nats_url.as_str())
        .await
        .map_err(|e| e.to_string())?;
    Ok(async_nats::jetstream::new(client))
}

/// Runs the node's link until the process ends: the publisher (every `every`, and at once
/// after each round that sent something) and the durable consumer of this node's subject.
pub async fn run_link(app: Arc<App>, every: Duration) -> Result<(), String> {
    let node = app.node().ok_or("本进程不是节点")?.clone();
    let js = connect(&node).await?;
    let exchange = loop {
        match ensure_streams(&node, &js).await {
            Ok(exchange) => match announce_key(&app, &exchange).await {
                Ok(()) => break exchange,
                Err(err) => {
                    tracing::warn!(error = %err, "exchange key not announced; retrying");
                    tokio::time::sleep(every).await;
                }
            },
            Err(err) => {
                tracing::warn!(error = %err, "JetStream not ready; retrying");
                tokio::time::sleep(every).await;
            }
        }
    };
    let publisher = {
        let app = app.clone();
        let js = js.clone();
        let exchange = exchange.clone();
        tokio::spawn(async move {
            loop {
                match publish_pending(&app, &js, &exchange).await {
                    Ok(0) => tokio::time::sleep(every).await,
                    Ok(_) => {}
                    Err(err) => {
                        tracing::warn!(error = %err, "outbox not published; the rows wait");
                        tokio::time::sleep(every).await;
                    }
                }
            }
        })
    };
    let consumer = tokio::spawn(consume(app, js, exchange, node));
    let _ = tokio::join!(publisher, consumer);
    Ok(())
}

/// The durable pull consumer: each message applied, then acknowledged; a failure to apply
/// (the database) is not acknowledged and comes back; a message that can never be applied is a
/// dead letter, then terminated.
async fn consume(app: Arc<App>, js: async_nats::jetstream::Context, exchange: Exchange, node: NodeConfig) {
    use async_nats::jetstream::consumer::{pull, AckPolicy};
    use async_nats::jetstream::AckKind;
    use futures_util::StreamExt;
    loop {
        let consumer = exchange
            .stream
            .get_or_create_consumer(
                &node.durable(),
                pull::Config {
                    durable_name: Some(node.durable()),
                    filter_subject: node.subject_to(&node.node),
                    ack_policy: AckPolicy::Explicit,
                    ack_wait: Duration::from_secs(10),
                    ..Default::default()
                },
            )
            .await;
        let mut messages = match consumer {
            Ok(consumer) => match consumer.messages().await {
                Ok(messages) => messages,
                Err(err) => {
                    tracing::warn!(error = %err, "consumer not ready");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            },
            Err(err) => {
                tracing::warn!(error = %err, "consumer not ready");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        while let Some(message) = messages.next().await {
            let Ok(message) = message else { break };
            let raw = String::from_utf8_lossy(&message.payload).to_string();
            let result = match serde_json::from_str::<Envelope>(&raw) {
                Ok(envelope) => match fetch_documents(&exchange, &envelope).await {
                    Ok(objects) => app
                        .receive_message(&envelope, &objects)
                        .await
                        .map_err(|e| (envelope.id, envelope.from, envelope.kind, e)),
                    Err(err) => Err((
                        envelope.id,
                        envelope.from,
                        envelope.kind,
                        ReceiveError::Transient(ServiceError::internal(format!("附件读取失败：{err}"))),
                    )),
                },
                Err(err) => Err((
                    message
                        .headers
                        .as_ref()
                        .and_then(|h| h.get("Nats-Msg-Id").map(|v| v.to_string()))
                        .unwrap_or_else(message_id),
                    String::new(),
                    String::new(),
                    ReceiveError::Permanent(format!("消息无法解析：{err}")),
                )),
            };
            match result {
                Ok(_) => {
                    let _ = message.ack().await;
                }
                Err((id, from, kind, ReceiveError::Permanent(reason))) => {
                    tracing::warn!(message = %id, reason = %reason, "dead letter");
                    if app.dead_letter(&id, &from, &kind, &raw, &reason).await.is_ok() {
                        let mut headers = async_nats::HeaderMap::new();
                        headers.insert("Nats-Msg-Id", id.as_str());
                        headers.insert("Minzheng-Reason", reason.replace(['\r', '\n'], " ").as_str());
                        let subject = format!("{}.dead.{}", node.prefix, node.node);
                        if let Ok(ack) = js.publish_with_headers(subject, headers, raw.clone().into()).await {
                            let _ = ack.await;
                        }
                        let _ = message.ack_with(AckKind::Term).await;
                    }
                }
                Err((id, _, _, ReceiveError::Transient(err))) => {
                    tracing::warn!(message = %id, error = %err, "not applied; redelivered later");
                    let _ = message.ack_with(AckKind::Nak(Some(Duration::from_millis(500)))).await;
                }
            }
        }
    }
}
