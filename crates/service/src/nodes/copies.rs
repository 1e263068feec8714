//! A 跨省通办 case kept on two nodes, each copy an engine case (docs/designs/nodes.md):
//! 国办发〔2020〕35号《国务院办公厅关于加快推进政务服务“跨省通办”的指导意见》: 异地受理、属地办理
//! ("收受分离"). The accepting node's `forward` act sends the handover; the competent node opens
//! its copy at the `receive` step (`domain::engine::remote::received`), its staff handle it
//! through the case pages on its own calendar, and its `return_result` act sends the decision
//! back; the accepting copy takes it at its `deliver` step (`remote::result_returned`) and, once
//! delivered, tells the competent copy, which closes (`remote::delivered_there`). Every other
//! act on a linked copy reports its status, so each case page shows the other copy's number and
//! status. Every message is applied once: the inbox row is an effect of the copy's act (or, for
//! the new copy, the case is opened under the message's id as its idempotency key).

use chrono::{DateTime, Datelike, Utc};
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::division::DivisionCode;
use domain::engine::action::{ActionKind, DeliveryMethod};
use domain::engine::case::{Authority, Case, CaseStatus, Channel, Decision, Delivery, NewCase};
use domain::engine::remote::{self, AcceptedThere};
use domain::person::{NewPerson, PersonInput};
use domain::procedure::StepKind;
use serde_json::{json, Value};
use store::nodes::{Applied, InboxRow, Incoming, Link, Outgoing, APPLIED_BEFORE};
use store::verticals::{ActConflict, ActError, Effect};
use store::StoreError;

use super::{message_id, node_of, Envelope, ReceiveError, KIND_HANDOVER, KIND_RESULT};
use crate::case_json::{self, Stored};
use crate::cases::columns;
use crate::{App, ServiceResult};

/// The competent node tells the accepting one it opened its copy (its number and status).
pub const KIND_RECEIVED: &str = "node.received";
/// A copy's status after an act on it.
pub const KIND_STATUS: &str = "node.status";
/// The accepting node told the applicant (送达): the competent copy closes.
pub const KIND_DELIVERED: &str = "node.delivered";

/// The field label the applicant's identity is sealed under (SM4, the deployment's key).
const SEALED_FIELD: &str = "node_applicant";

/// A copy's status in words: `办理中（县级民政部门审定）`.
pub fn status_label(item: &ServiceItem, case: &Case) -> String {
    match case.step.as_deref().and_then(|s| item.procedure.step(s)) {
        Some(step) => format!("{}（{}）", case.status.name_zh(), step.name),
        None => case.status.name_zh().to_string(),
    }
}

fn rfc3339(at: Option<DateTime<Utc>>) -> Value {
    json!(at.map(|t| t.to_rfc3339()))
}

fn instant(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
}

fn permanent(what: impl Into<String>) -> ReceiveError {
    ReceiveError::Permanent(what.into())
}

/// What an act on a case adds when it crosses a node: the handover after a `forward` to
/// another node's competent office; on a linked copy, the result (`return_result`), the delivery
/// (`deliver`) or, for any other act, its status. `None` when nothing crosses.
pub(crate) async fn crossing(
    app: &App,
    item: &ServiceItem,
    before: &Stored,
    case: &Case,
    action: ActionKind,
) -> ServiceResult<Option<Effect>> {
    let Some(node) = app.node() else { return Ok(None) };
    let common = |number: &str| {
        json!({
            "number": number,
            "remote_number": case.number,
            "item": item.slug,
            "item_version": item.version.number,
            "status": status_label(item, case),
            "revision": case.revision,
        })
    };
    let (to, kind, payload) = if action == ActionKind::Forward && !node.owns(case.competent.as_str()) {
        let mut payload = common(&case.number);
        payload["accepting"] = json!(case.accepting.as_str());
        payload["competent"] = json!(case.competent.as_str());
        payload["channel"] = json!(case.channel.as_str());
        payload["situation"] = json!(case.situation);
        payload["materials"] = json!(case.materials);
        payload["submitted_at"] = rfc3339(case.submitted_at);
        payload["accepted_at"] = rfc3339(case.accepted_at);
        payload["form"] = before.form.clone();
        payload["applicant"] = json!(app.sealed_applicant(case).await?);
        (node_of(case.competent.as_str()), KIND_HANDOVER, payload)
    } else {
        let Some(link) = app.store.link_of_case(case.id).await? else { return Ok(None) };
        let mut payload = common(&link.remote_number);
        // The competent copy's result goes back when it is returned (`return_result`) or when
        // an act closes the copy with a decision (a review's 不予通过).
        let closed_now =
            matches!(case.status, CaseStatus::Closed(_)) && !matches!(before.case.status, CaseStatus::Closed(_));
        let result = action == ActionKind::ReturnResult || (closed_now && node.owns(case.competent.as_str()));
        let kind = match (&case.decision, &case.delivery) {
            (Some(d), _) if result => {
                payload["decision"] = json!({
                    "outcome": d.outcome,
                    "granted": d.granted,
                    "reasons": d.reasons,
                    "basis": d.basis,
                    "delegated_by": match &d.authority { Authority::Own => None, Authority::Delegated { document } => Some(document) },
                    "division": d.division.as_str(),
                    "by": d.by,
                    "at": d.at.to_rfc3339(),
                });
                payload["outcome"] = json!(if d.granted { "granted" } else { "denied" });
                payload["reason"] = json!(d.reasons);
                KIND_RESULT
            }
            (_, Some(d)) if action == ActionKind::Deliver => {
                payload["delivery"] =
                    json!({ "method": d.method.as_str(), "tracking": d.tracking, "at": d.at.to_rfc3339() });
                KIND_DELIVERED
            }
            _ => KIND_STATUS,
        };
        (link.remote_node, kind, payload)
    };
    Ok(Some(Effect::NodeMessage(Box::new(Outgoing {
        id: message_id(),
        to_node: to,
        kind: kind.to_string(),
        payload: payload.to_string(),
        sender_stream: format!("case:{}", case.id),
    }))))
}

impl App {
    /// The applicant's identity for the competent node, sealed (SM4) so that no ID number is in
    /// clear in the outbox, the broker or the inbox. Reading the full record is an event.
    async fn sealed_applicant(&self, case: &Case) -> ServiceResult<String> {
        let read = EventDraft::new(
            format!("person:{}", case.applicant),
            "system",
            "person.read_full",
            json!({ "context": "node_handover", "case": case.number }),
        )
        .in_division(case.accepting.as_str());
        let full = self.store.person_full(&self.keys, case.applicant, self.now(), &read).await?;
        let input = PersonInput {
            name: full.summary.name,
            id_number: full.id_number,
            phone: full.phone,
            address: Some(full.summary.address).filter(|a| !a.is_empty()),
            division: full.summary.division,
        };
        let plain = serde_json::to_string(&json!({
            "name": input.name, "id_number": input.id_number, "phone": input.phone,
            "address": input.address, "division": input.division,
        }))
        .map_err(|e| crate::ServiceError::internal(e.to_string()))?;
        Ok(self.keys.encrypt(SEALED_FIELD, &plain))
    }

    /// The applicant of a handover on this node's record: matched by ID number, or registered.
    async fn handover_person(&self, envelope: &Envelope, now: DateTime<Utc>) -> Result<(i64, NewPerson), ReceiveError> {
        let sealed = envelope.payload["applicant"].as_str().ok_or_else(|| permanent("消息缺少申请人信息"))?;
        let plain = self.keys.decrypt(SEALED_FIELD, sealed).map_err(|_| permanent("申请人信息无法解密"))?;
        let fields: Value = serde_json::from_str(&plain).map_err(|_| permanent("申请人信息无法解析"))?;
        let text = |k: &str| fields[k].as_str().map(str::to_string);
        let input = PersonInput {
            name: text("name").unwrap_or_default(),
            id_number: text("id_number").unwrap_or_default(),
            phone: text("phone"),
            address: text("address"),
            division: text("division").unwrap_or_default(),
        };
        let person = NewPerson::parse(&input, shanghai_date(now), self.regions(), self.divisions())
            .map_err(|problems| permanent(format!("申请人信息无效：{}", problems.len())))?;
        let number = person.id.number.as_str();
        if let Some(id) = self.store.person_id_by_id_number(&self.keys, number).await? {
            return Ok((id, person));
        }
        let payload = json!({
            "name": person.name,
            "id_number": person.id.number.masked(),
            "division": person.division.as_str(),
            "from_node": envelope.from,
        });
        let division = person.division.to_string();
        let label = format!("node:{}", envelope.from);
        match self
            .store
            .create_person(&self.keys, &person, 0, now, |id| {
                EventDraft::new(format!("person:{id}"), label, "person.create", payload).in_division(division)
            })
            .await
        {
            Ok(id) => Ok((id, person)),
            // Registered meanwhile (a second link with the same message): that record.
            Err(StoreError::Conflict(_)) => match self.store.person_id_by_id_number(&self.keys, number).await? {
                Some(id) => Ok((id, person)),
                None => Err(ReceiveError::Transient(crate::ServiceError::internal("person conflict without a person"))),
            },
            Err(other) => Err(other.into()),
        }
    }

    /// A handover: this node's copy opened at the `receive` step (its clocks from today on
    /// this node's calendar), linked to the sender's case, and the sender told its number.
    pub(super) async fn receive_handover(
        &self,
        envelope: &Envelope,
        item: &ServiceItem,
        link_payload: Value,
        now: DateTime<Utc>,
    ) -> Result<bool, ReceiveError> {
        let p = &envelope.payload;
        let division = |k: &str| {
            DivisionCode::parse(p[k].as_str().unwrap_or_default())
                .map_err(|_| permanent(format!("消息的区划代码无效：{k}")))
        };
        let (accepting, competent) = (division("accepting")?, division("competent")?);
        if !self.node().is_some_and(|n| n.owns(competent.as_str())) {
            return Err(permanent(format!("审核地 {competent} 不属于本节点")));
        }
        let remote_number = p["number"].as_str().unwrap_or_default().to_string();
        let (applicant, person) = self.handover_person(envelope, now).await?;
        let new = NewCase {
            id: 0,
            number: String::new(),
            item_slug: item.slug.clone(),
            item_version: item.version.number,
            channel: Channel::parse(p["channel"].as_str().unwrap_or_default()).unwrap_or(Channel::Window),
            applicant,
            situation: p["situation"].as_str().map(str::to_string),
            materials: p["materials"]
                .as_array()
                .map(|m| m.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
            accepting,
            competent: competent.clone(),
        };
        let there =
            AcceptedThere { submitted_at: instant(&p["submitted_at"]), accepted_at: instant(&p["accepted_at"]) };
        let case = remote::received(item, new, there, self.divisions(), now).map_err(|r| permanent(r.message))?;
        let calendar = self.calendar();
        let cols = columns(item, &case, applicant, &calendar, now);
        let key = format!("node:{}", envelope.id);
        let new = store::cases::NewCase {
            columns: cols,
            number_division: competent.as_str(),
            number_year: shanghai_date(now).year(),
            idempotency_key: Some(&key),
            idempotency_binding: None,
        };
        let snapshot = Some((person.name.clone(), person.id.number.masked()));
        let form = p["form"].clone();
        let stored = |id: i64, number: &str| {
            let mut case = case.clone();
            case.id = id;
            case.number = number.to_string();
            Stored {
                case,
                submitted_by: None,
                applicant_snapshot: snapshot.clone(),
                applicant_on_file: None,
                form: form.clone(),
                facts: Default::default(),
            }
        };
        let mut received = json!({
            "remote_number": remote_number,
            "from_node": envelope.from,
            "item": item.slug,
            "item_version": item.version.number,
            "accepting": case.accepting.as_str(),
            "competent": competent.as_str(),
            "link": link_payload,
        });
        received["decide"] = super::due_of(self, item, StepKind::Decide, shanghai_date(now))?;
        let label = format!("node:{}", envelope.from);
        let created = self
            .store
            .create_case(
                &new,
                now,
                |id, number| case_json::to_json(&stored(id, number)),
                |id, number| {
                    received["number"] = json!(number);
                    vec![EventDraft::new(format!("case:{id}"), label, "node.case_received", received)
                        .in_division(competent.as_str())]
                },
            )
            .await;
        let (id, number) = match created {
            Ok((id, number, _)) => (id, number),
            // The same message applied by a second link at this instant: redelivered, then a replay.
            Err(StoreError::Conflict(what)) => {
                return Err(ReceiveError::Transient(crate::ServiceError::internal(format!("conflict: {what}"))))
            }
            Err(other) => return Err(other.into()),
        };
        let stream = format!("case:{id}");
        let first = self.store.stream_events(&stream).await?;
        let hash = first.first().map(|e| hex::encode(e.hash));
        let mut answer = json!({
            "number": remote_number,
            "remote_number": number,
            "item": item.slug,
            "item_version": item.version.number,
            "status": status_label(item, &case),
            "revision": case.revision,
        });
        answer["decide"] = super::due_of(self, item, StepKind::Decide, shanghai_date(now))?;
        let reply = Outgoing {
            id: message_id(),
            to_node: envelope.from.clone(),
            kind: KIND_RECEIVED.to_string(),
            payload: answer.to_string(),
            sender_stream: stream,
        };
        let link = Link {
            case_id: id,
            remote_node: envelope.from.clone(),
            remote_number,
            remote_status: p["status"].as_str().unwrap_or_default().to_string(),
            remote_revision: p["revision"].as_i64().unwrap_or(0),
            updated_at_ms: now.timestamp_millis(),
        };
        let incoming = incoming_of(envelope);
        match self.store.apply_message(&incoming, &[], Some((&reply, hash.as_deref())), Some(&link), now).await? {
            Applied::New(_) => Ok(true),
            Applied::Duplicate => Ok(false),
        }
    }

    /// A message on a copy this node keeps (`number` is this node's): the link's status, and
    /// for a result or a delivery the copy moved past the other node's steps, with the event.
    pub(super) async fn receive_on_copy(
        &self,
        envelope: &Envelope,
        link_payload: Value,
        now: DateTime<Utc>,
    ) -> Result<bool, ReceiveError> {
        let p = &envelope.payload;
        let number = p["number"].as_str().unwrap_or_default();
        let row = match self.store.case_by_number(number).await {
            Ok(row) => row,
            Err(StoreError::NotFound) => return Err(permanent(format!("本节点没有办件 {number}"))),
            Err(other) => return Err(other.into()),
        };
        let (row, stored, item) = self.load_case_for_act(row.id).await.map_err(ReceiveError::Transient)?;
        let case = &stored.case;
        let link = Link {
            case_id: case.id,
            remote_node: envelope.from.clone(),
            remote_number: p["remote_number"].as_str().unwrap_or_default().to_string(),
            remote_status: p["status"].as_str().unwrap_or_default().to_string(),
            remote_revision: p["revision"].as_i64().unwrap_or(0),
            updated_at_ms: now.timestamp_millis(),
        };
        let stream = format!("case:{}", case.id);
        let mut payload = p.clone();
        payload["link"] = link_payload;
        let label = format!("node:{}", envelope.from);
        let (next, act) = match envelope.kind.as_str() {
            KIND_RESULT => {
                let d = &p["decision"];
                let decision = Decision {
                    outcome: d["outcome"].as_str().map(str::to_string),
                    granted: d["granted"].as_bool().ok_or_else(|| permanent("结果缺少决定"))?,
                    reasons: d["reasons"].as_str().unwrap_or_default().to_string(),
                    basis: d["basis"].as_str().unwrap_or_default().to_string(),
                    authority: match d["delegated_by"].as_str() {
                        Some(document) => Authority::Delegated { document: document.to_string() },
                        None => Authority::Own,
                    },
                    division: DivisionCode::parse(d["division"].as_str().unwrap_or_default())
                        .map_err(|_| permanent("结果的决定机关区划无效"))?,
                    by: format!("{label}:{}", d["by"].as_str().unwrap_or_default()),
                    at: instant(&d["at"]).unwrap_or(now),
                };
                payload["deliver"] = super::due_of(self, item, StepKind::Deliver, shanghai_date(now))?;
                let next = remote::result_returned(item, case, decision, now).map_err(|r| permanent(r.message))?;
                (Some(next), "node.result_received")
            }
            // A copy closed here already (its review refused the matter): the delivery noted.
            KIND_DELIVERED if matches!(case.status, CaseStatus::Closed(_)) => (None, "node.delivered_received"),
            KIND_DELIVERED => {
                let d = &p["delivery"];
                let delivery = Delivery {
                    method: DeliveryMethod::parse(d["method"].as_str().unwrap_or_default())
                        .ok_or_else(|| permanent("送达方式无效"))?,
                    tracking: d["tracking"].as_str().map(str::to_string),
                    at: instant(&d["at"]).unwrap_or(now),
                };
                let next = remote::delivered_there(item, case, delivery, now).map_err(|r| permanent(r.message))?;
                (Some(next), "node.delivered_received")
            }
            KIND_RECEIVED => (None, "node.taken_there"),
            _ => (None, ""),
        };
        let events = if act.is_empty() {
            Vec::new()
        } else {
            vec![EventDraft::new(stream, label, act, payload).in_division(case.competent.as_str())]
        };
        let incoming = incoming_of(envelope);
        let Some(next) = next else {
            return match self.store.apply_message(&incoming, &events, None, Some(&link), now).await? {
                Applied::New(_) => Ok(true),
                Applied::Duplicate => Ok(false),
            };
        };
        let calendar = self.calendar();
        let cols = columns(item, &next, next.applicant, &calendar, now);
        let state = case_json::to_json(&Stored { case: next, ..stored.clone() });
        let act = store::cases::CaseAct {
            id: row.id,
            expected_revision: row.revision,
            before: &row.columns,
            columns: &cols,
            state: &state,
            key: None,
        };
        let writes = [
            Effect::NodeInbox(Box::new(InboxRow {
                id: envelope.id.clone(),
                from_node: envelope.from.clone(),
                kind: envelope.kind.clone(),
                sender_hash: envelope.sender_hash.clone(),
            })),
            Effect::NodeLink(Box::new(link)),
        ];
        match self.store.commit_act(&act, &writes, |_| events, now, None).await {
            Ok(_) => Ok(true),
            Err(ActError::Store(StoreError::Conflict(what))) if what == APPLIED_BEFORE => Ok(false),
            // The copy moved meanwhile (its staff acted): redelivered, then applied on the new state.
            Err(ActError::Conflict(ActConflict::Revision { status })) => {
                Err(ReceiveError::Transient(crate::ServiceError::internal(format!("case moved: {status}"))))
            }
            Err(ActError::Conflict(other)) => Err(permanent(other.to_string())),
            Err(ActError::Store(other)) => Err(other.into()),
        }
    }
}

fn incoming_of(envelope: &Envelope) -> Incoming<'_> {
    Incoming {
        id: &envelope.id,
        from_node: &envelope.from,
        kind: &envelope.kind,
        sender_hash: envelope.sender_hash.as_deref(),
    }
}
