//! A 跨省通办 case kept on two nodes, each copy an engine case (docs/designs/nodes.md):
//! 国办发〔2020〕35号《国务院办公厅关于加快推进政务服务“跨省通办”的指导意见》: 异地受理、属地办理
//! ("收受分离"). The accepting node's `forward` act sends the handover; the competent node opens
//! its copy at the `receive` step (`domain::engine::remote::received`), its staff handle it
//! through the case pages on its own calendar, and its `return_result` act sends the decision
//! back; the accepting copy takes it at its `deliver` step (`remote::result_returned`) and, once
//! delivered, tells the competent copy, which closes (`remote::delivered_there`). A review of the
//! competent office that returns the matter with reasons to the accepting office's step moves the
//! accepting copy back (`remote::returned_here`); its next `forward` pushes it again to the same
//! competent copy (`remote::pushed_again`). Every other act on a linked copy reports its status,
//! so each case page shows the other copy's number and status. The case's attachments travel
//! with the handover, a new push, a return and the result, checked by SM3 on arrival. Every message is applied once: the inbox row is an effect of the copy's act (or, for
//! the new copy, the case is opened under the message's id as its idempotency key).

use chrono::{DateTime, Datelike, Utc};
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::division::DivisionCode;
use domain::engine::action::{Action, ActionKind, DeliveryMethod, Verdict};
use domain::engine::case::{Authority, Case, CaseStatus, Channel, Decision, Delivery, NewCase};
use domain::engine::remote::{self, AcceptedThere};
use domain::person::{NewPerson, PersonInput};
use domain::procedure::{Seat, StepKind};
use serde_json::{json, Value};
use store::nodes::{Applied, InboxRow, Incoming, Link, NodeDocuments, Outgoing, ReceivedDocument, APPLIED_BEFORE};
use store::verticals::{ActConflict, ActError, Effect};
use store::StoreError;

use super::{message_id, node_of, Envelope, Objects, ReceiveError, KIND_HANDOVER, KIND_RESULT};
use crate::case_json::{self, Stored};
use crate::cases::columns;
use crate::{App, ServiceResult};

/// The competent node tells the accepting one it opened its copy (its number and status).
pub const KIND_RECEIVED: &str = "node.received";
/// A copy's status after an act on it.
pub const KIND_STATUS: &str = "node.status";
/// The accepting node told the applicant (送达): the competent copy closes.
pub const KIND_DELIVERED: &str = "node.delivered";
/// The competent office returned the matter with reasons to a step of the accepting office
/// (its review's 退回): the accepting copy moves back to that step.
pub const KIND_RETURNED: &str = "node.returned";
/// The accepting office pushed a returned matter again: the competent copy receives it again.
pub const KIND_RESENT: &str = "node.resent";

/// The field label the applicant's identity is sealed under in this node's outbox (SM4, this
/// node's own key); the publisher seals it again for the receiving node (`super::seal_for`).
pub(super) const SEALED_FIELD: &str = "node_applicant";

/// A copy's status in words: `办理中：县级民政部门审定` (a step's own name may hold brackets).
pub fn status_label(item: &ServiceItem, case: &Case) -> String {
    match case.step.as_deref().and_then(|s| item.procedure.step(s)) {
        Some(step) => format!("{}：{}", case.status.name_zh(), step.name),
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
/// another node's competent office (a second `forward`, after the matter was returned, pushes it
/// again to the same copy); on a linked copy, the result (`return_result`), the delivery
/// (`deliver`), a review's 退回 to the other office's step, or, for any other act, its status.
/// `None` when nothing crosses. The case's documents (its attachments) are listed with the
/// handover, the new push, the result and the return; the publisher sends their bytes.
pub(crate) async fn crossing(
    app: &App,
    item: &ServiceItem,
    before: &Stored,
    case: &Case,
    action: &Action,
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
    let kind = action.kind();
    let link = app.store.link_of_case(case.id).await?;
    let (to, kind, payload) = if kind == ActionKind::Forward && !node.owns(case.competent.as_str()) {
        let mut payload = common(link.as_ref().map_or(case.number.as_str(), |l| l.remote_number.as_str()));
        payload["materials"] = json!(case.materials);
        payload["form"] = before.form.clone();
        payload["documents"] = documents_of(app, case.id).await?;
        match &link {
            Some(link) => (link.remote_node.clone(), KIND_RESENT, payload),
            None => {
                payload["accepting"] = json!(case.accepting.as_str());
                payload["competent"] = json!(case.competent.as_str());
                payload["channel"] = json!(case.channel.as_str());
                payload["situation"] = json!(case.situation);
                payload["submitted_at"] = rfc3339(case.submitted_at);
                payload["accepted_at"] = rfc3339(case.accepted_at);
                payload["applicant"] = json!(app.sealed_applicant(case).await?);
                (node_of(case.competent.as_str()), KIND_HANDOVER, payload)
            }
        }
    } else {
        let Some(link) = link else { return Ok(None) };
        let mut payload = common(&link.remote_number);
        // The competent copy's result goes back when it is returned (`return_result`) or when
        // an act closes the copy with a decision (a review's 不予通过).
        let closed_now =
            matches!(case.status, CaseStatus::Closed(_)) && !matches!(before.case.status, CaseStatus::Closed(_));
        let competent_here = node.owns(case.competent.as_str());
        let result = kind == ActionKind::ReturnResult || (closed_now && competent_here);
        // A review's 退回 to a step the other node's office holds (the 户籍地's 初审 back to 受理).
        let other_seat = if competent_here { Seat::Accepting } else { Seat::Competent };
        let returned = match action {
            Action::Review { verdict: Verdict::Return, opinion } if waits_at(item, case, other_seat) => Some(opinion),
            _ => None,
        };
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
                payload["documents"] = documents_of(app, case.id).await?;
                payload["notice_record"] = notice_record(app, case.id).await?;
                KIND_RESULT
            }
            (_, Some(d)) if kind == ActionKind::Deliver => {
                payload["delivery"] =
                    json!({ "method": d.method.as_str(), "tracking": d.tracking, "at": d.at.to_rfc3339() });
                KIND_DELIVERED
            }
            _ if returned.is_some() => {
                payload["step"] = json!(case.step);
                payload["reason"] = json!(returned);
                payload["documents"] = documents_of(app, case.id).await?;
                KIND_RETURNED
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

/// Whether the case is in progress at a step of `seat` (the matter is with that office).
fn waits_at(item: &ServiceItem, case: &Case, seat: Seat) -> bool {
    case.status == CaseStatus::InProgress
        && case.step.as_deref().and_then(|s| item.procedure.step(s)).is_some_and(|s| s.seat == seat)
}

/// What the competent copy's decision notice reads beyond the decision: the copy's record (each
/// event's act, time and payload; not the messages between the nodes), where an area finds its
/// particulars (an amount and its months). With the copy's number (the notice's 文号 is numbered
/// on it) it lets the accepting node print the competent office's notice, named as that node's.
async fn notice_record(app: &App, case_id: i64) -> ServiceResult<Value> {
    let events = app.store.stream_events(&format!("case:{case_id}")).await?;
    Ok(json!(events
        .iter()
        .filter(|e| !e.act.starts_with("node."))
        .map(|e| json!({
            "act": e.act,
            "at_ms": e.at_ms,
            "payload": serde_json::from_str::<Value>(&e.payload).unwrap_or(Value::Null),
        }))
        .collect::<Vec<_>>()))
}

/// The case's documents as a message lists them (hash, name, type, size, label): the bytes
/// travel beside the message (`super::seal_for`).
async fn documents_of(app: &App, case_id: i64) -> ServiceResult<Value> {
    let rows = app.store.attachments(case_id).await?;
    Ok(json!(rows
        .iter()
        .map(|a| json!({
            "hash": a.hash,
            "file_name": a.file_name,
            "media_type": a.media_type,
            "size": a.size,
            "label": a.label,
        }))
        .collect::<Vec<_>>()))
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

    /// The opener of what a message carries sealed for this node (`None`: nothing is sealed).
    fn opener_of(&self, envelope: &Envelope) -> Result<Option<store::crypto::Opener>, ReceiveError> {
        let seal = &envelope.payload["seal"];
        let Some(ephemeral) = seal["ephemeral"].as_str() else { return Ok(None) };
        if self.node().map(|n| n.node.as_str()) != seal["for"].as_str() {
            return Err(permanent("消息不是为本节点加密的"));
        }
        self.keys.opener(ephemeral).map(Some).map_err(|_| permanent("消息的加密信息无效"))
    }

    /// The documents a message brought, each opened with this node's key and checked: it must
    /// have arrived (`objects`, by the name the message gives it), its bytes must hash to the
    /// SM3 value the sender recorded, and it must pass the checks of an upload.
    fn received_documents(
        &self,
        envelope: &Envelope,
        objects: &Objects,
    ) -> Result<Vec<ReceivedDocument>, ReceiveError> {
        let listed = envelope.payload["documents"].as_array().map(Vec::as_slice).unwrap_or_default();
        if listed.is_empty() {
            return Ok(Vec::new());
        }
        let opener = self.opener_of(envelope)?.ok_or_else(|| permanent("附件未按本节点的交换公钥加密"))?;
        let mut documents = Vec::with_capacity(listed.len());
        for doc in listed {
            let text = |k: &str| doc[k].as_str().unwrap_or_default();
            let (hash, name) = (text("hash"), text("file_name"));
            let sealed = objects.get(text("object")).ok_or_else(|| permanent(format!("附件“{name}”未随消息到达")))?;
            let bytes = opener
                .open(&format!("document:{hash}"), sealed)
                .map_err(|_| permanent(format!("附件“{name}”无法解密")))?;
            let checked = domain::attachment::check_attachment(name, text("label"), &bytes).map_err(|problems| {
                let what: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
                permanent(format!("附件“{name}”不符合要求：{}", what.join("；")))
            })?;
            if checked.hash != hash {
                return Err(permanent(format!("附件“{name}”的SM3校验值与发送方记录的不符")));
            }
            documents.push(ReceivedDocument {
                hash: checked.hash,
                file_name: checked.file_name,
                media_type: checked.media_type.as_str().to_string(),
                label: checked.label,
                bytes,
            });
        }
        Ok(documents)
    }

    /// Documents received for one of this node's cases, attached under the sending node's name.
    fn documents_for(&self, envelope: &Envelope, case_id: i64, items: Vec<ReceivedDocument>) -> NodeDocuments {
        let province = DivisionCode::parse(&envelope.from)
            .ok()
            .and_then(|c| self.divisions().get(&c).map(|d| d.name.clone()))
            .unwrap_or_else(|| envelope.from.clone());
        NodeDocuments {
            case_id,
            from_node: envelope.from.clone(),
            sender_name: format!("{province}节点（跨省通办）"),
            items,
        }
    }

    /// The applicant of a handover on this node's record: matched by ID number, or registered.
    async fn handover_person(&self, envelope: &Envelope, now: DateTime<Utc>) -> Result<(i64, NewPerson), ReceiveError> {
        let sealed = envelope.payload["applicant"].as_str().ok_or_else(|| permanent("消息缺少申请人信息"))?;
        let sealed = hex::decode(sealed).map_err(|_| permanent("申请人信息无法解析"))?;
        let opener = self.opener_of(envelope)?.ok_or_else(|| permanent("申请人信息未按本节点的交换公钥加密"))?;
        let plain = opener.open("applicant", &sealed).map_err(|_| permanent("申请人信息无法解密"))?;
        let fields: Value = serde_json::from_slice(&plain).map_err(|_| permanent("申请人信息无法解析"))?;
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
        objects: &Objects,
        item: &ServiceItem,
        link_payload: Value,
        now: DateTime<Utc>,
    ) -> Result<bool, ReceiveError> {
        let p = &envelope.payload;
        let documents = self.received_documents(envelope, objects)?;
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
        let stored = Stored {
            case: case.clone(),
            submitted_by: None,
            applicant_snapshot: Some((person.name.clone(), person.id.number.masked())),
            applicant_on_file: None,
            applicant_organization: None,
            form: p["form"].clone(),
            facts: Default::default(),
            decided: Default::default(),
        };
        let mut received = json!({
            "remote_number": remote_number,
            "from_node": envelope.from,
            "item": item.slug,
            "item_version": item.version.number,
            "accepting": case.accepting.as_str(),
            "competent": competent.as_str(),
            "documents": listed(&documents),
            "link": link_payload,
        });
        received["decide"] = super::due_of(self, item, StepKind::Decide, shanghai_date(now))?;
        let label = format!("node:{}", envelope.from);
        let division = competent.to_string();
        let created = self
            .store
            .create_case(
                &new,
                now,
                move |id, number| case_json::to_json(&stored.numbered(id, number)),
                move |id, number| {
                    received["number"] = json!(number);
                    vec![EventDraft::new(format!("case:{id}"), label, "node.case_received", received)
                        .in_division(&division)]
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
        let documents = self.documents_for(envelope, id, documents);
        let reply = Some((&reply, hash.as_deref()));
        match self.store.apply_message(&incoming, &[], reply, Some(&link), Some(&documents), now).await? {
            Applied::New(_) => Ok(true),
            Applied::Duplicate => Ok(false),
        }
    }

    /// A message on a copy this node keeps (`number` is this node's): the link's status, and
    /// for a result, a return, a new push or a delivery the copy moved past the other node's
    /// steps, with the event and the documents the message brought. A return and a new push
    /// are answered, in the same transaction, with this copy's status (or its receipt).
    pub(super) async fn receive_on_copy(
        &self,
        envelope: &Envelope,
        objects: &Objects,
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
        let documents = self.received_documents(envelope, objects)?;
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
        payload["documents"] = listed(&documents);
        let label = format!("node:{}", envelope.from);
        let (next, act, answer) = match envelope.kind.as_str() {
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
                (Some(next), "node.result_received", None)
            }
            KIND_RETURNED => {
                let step = p["step"].as_str().unwrap_or_default();
                let next = remote::returned_here(item, case, step, now).map_err(|r| permanent(r.message))?;
                (Some(next), "node.returned_received", Some(KIND_STATUS))
            }
            KIND_RESENT => {
                let materials = p["materials"]
                    .as_array()
                    .map(|m| m.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                payload["decide"] = super::due_of(self, item, StepKind::Decide, shanghai_date(now))?;
                let next = remote::pushed_again(item, case, materials, now).map_err(|r| permanent(r.message))?;
                (Some(next), "node.resent_received", Some(KIND_RECEIVED))
            }
            // A copy closed here already (its review refused the matter): the delivery noted.
            KIND_DELIVERED if matches!(case.status, CaseStatus::Closed(_)) => (None, "node.delivered_received", None),
            KIND_DELIVERED => {
                let d = &p["delivery"];
                let delivery = Delivery {
                    method: DeliveryMethod::parse(d["method"].as_str().unwrap_or_default())
                        .ok_or_else(|| permanent("送达方式无效"))?,
                    tracking: d["tracking"].as_str().map(str::to_string),
                    at: instant(&d["at"]).unwrap_or(now),
                };
                let next = remote::delivered_there(item, case, delivery, now).map_err(|r| permanent(r.message))?;
                (Some(next), "node.delivered_received", None)
            }
            KIND_RECEIVED => (None, "node.taken_there", None),
            _ => (None, "", None),
        };
        // The form is the case's data, not the record's (a new push brings it corrected).
        let form = payload.as_object_mut().and_then(|o| o.remove("form"));
        let events = if act.is_empty() {
            Vec::new()
        } else {
            vec![EventDraft::new(stream.clone(), label, act, payload.clone()).in_division(case.competent.as_str())]
        };
        let incoming = incoming_of(envelope);
        let documents = self.documents_for(envelope, case.id, documents);
        let Some(next) = next else {
            let documents = Some(&documents).filter(|d| !d.items.is_empty());
            return match self.store.apply_message(&incoming, &events, None, Some(&link), documents, now).await? {
                Applied::New(_) => Ok(true),
                Applied::Duplicate => Ok(false),
            };
        };
        let calendar = self.calendar();
        let cols = columns(item, &next, next.applicant, &calendar, now);
        let mut writes = vec![
            Effect::NodeInbox(Box::new(InboxRow {
                id: envelope.id.clone(),
                from_node: envelope.from.clone(),
                kind: envelope.kind.clone(),
                sender_hash: envelope.sender_hash.clone(),
            })),
            Effect::NodeLink(Box::new(link)),
            Effect::NodeDocuments(Box::new(documents)),
        ];
        if let Some(kind) = answer {
            let mut reply = json!({
                "number": p["remote_number"],
                "remote_number": next.number,
                "item": item.slug,
                "item_version": item.version.number,
                "status": status_label(item, &next),
                "revision": next.revision,
            });
            if kind == KIND_RECEIVED {
                reply["decide"] = payload["decide"].clone();
            }
            writes.push(Effect::NodeMessage(Box::new(Outgoing {
                id: message_id(),
                to_node: envelope.from.clone(),
                kind: kind.to_string(),
                payload: reply.to_string(),
                sender_stream: stream,
            })));
        }
        let form = form.filter(|_| envelope.kind == KIND_RESENT).unwrap_or_else(|| stored.form.clone());
        let state = case_json::to_json(&Stored { case: next, form, ..stored.clone() });
        let act = store::cases::CaseAct {
            id: row.id,
            expected_revision: row.revision,
            before: &row.columns,
            columns: &cols,
            state: &state,
            key: None,
        };
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

/// The documents as an event lists them: their SM3 hashes and names, not their bytes.
fn listed(documents: &[ReceivedDocument]) -> Value {
    json!(documents
        .iter()
        .map(|d| json!({ "sm3": d.hash, "file_name": d.file_name, "label": d.label }))
        .collect::<Vec<_>>())
}

fn incoming_of(envelope: &Envelope) -> Incoming<'_> {
    Incoming {
        id: &envelope.id,
        from_node: &envelope.from,
        kind: &envelope.kind,
        sender_hash: envelope.sender_hash.as_deref(),
    }
}
