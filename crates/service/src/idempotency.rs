//! Idempotency keys, bound to their request as the payment APIs bind theirs: a key belongs to
//! the account that first sent it and to that request's fingerprint, a keyed hash (HMAC-SM3, so
//! a fingerprint of a body holding an ID number reveals nothing) of the request as parsed — its
//! canonical form, independent of key order or spacing in the body.
//!
//! The same key, account and request replays the first answer; the same key from another
//! account is 409 `idempotency_key_reused`; the same key with another request is 422
//! `idempotency_key_mismatch`. Submissions keep the binding on the case row they made, acts in
//! `case_act_keys` with the state the act committed, written in the act's transaction.

use domain::access::Actor;
use domain::engine::action::{Action, ActionKind};
use serde_json::json;
use store::cases::{ActKeyRow, KeyedCase};

use std::future::Future;

use domain::catalog::ServiceItem;
use serde::de::DeserializeOwned;
use serde::Serialize;
use store::cases::{CaseTouch, CASE_MOVED};
use store::StoreError;

use crate::case_json::{self, Stored};
use crate::cases::{conflict, ApplicantRef, CaseView, SubmitCase};
use crate::error::LastAct;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The longest key accepted.
pub(crate) const MAX_KEY_CHARS: usize = 128;

/// What a client's write on a case (other than an engine act) is given to commit with: the
/// case as read, and the [`CaseTouch`] its store write applies in its own transaction (the
/// revision moved on, the key recorded with the answer).
pub(crate) struct CaseWrite<'k> {
    pub stored: Stored,
    pub item: &'k ServiceItem,
    id: i64,
    expected_revision: i64,
    state: String,
    key: Option<(&'k str, i64, String)>,
}

impl CaseWrite<'_> {
    /// The touch for the store write, with the answer a retry replays.
    pub fn touch<'t>(&'t self, answer: &'t str) -> CaseTouch<'t> {
        CaseTouch {
            id: self.id,
            expected_revision: self.expected_revision,
            state: &self.state,
            key: self.key.as_ref().map(|(key, account_id, fingerprint)| store::cases::ActKey {
                key,
                account_id: *account_id,
                fingerprint,
            }),
            answer,
        }
    }
}

/// A store write's error under a [`CaseTouch`]: the case moved (`case_conflict`), the key taken
/// meanwhile (`idempotency_key_taken`), or `None` for the write's own error.
pub(crate) fn touch_error(e: &StoreError) -> Option<ServiceError> {
    match e {
        StoreError::Conflict(what) if what == "idempotency_key" => {
            Some(ServiceError::new(ErrorKind::Conflict, "idempotency_key_taken", "该幂等键刚被同一请求使用"))
        }
        StoreError::Conflict(what) => what.strip_prefix(CASE_MOVED).map(conflict),
        _ => None,
    }
}

/// A key sent: trimmed, empty = none, at most 128 visible characters.
pub(crate) fn parse_key(key: Option<&str>) -> ServiceResult<Option<&str>> {
    let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(None) };
    if key.chars().count() > MAX_KEY_CHARS || key.chars().any(char::is_control) {
        return Err(ServiceError::new(
            ErrorKind::Invalid,
            "invalid_idempotency_key",
            "幂等键须为1至128个字符，且不含控制字符",
        )
        .with_field("idempotency_key"));
    }
    Ok(Some(key))
}

fn reused() -> ServiceError {
    ServiceError::new(
        ErrorKind::Conflict,
        "idempotency_key_reused",
        "该幂等键已被其他账号的请求使用，请为本次请求使用新的幂等键",
    )
    .with_field("idempotency_key")
}

fn mismatch() -> ServiceError {
    ServiceError::new(
        ErrorKind::Invalid,
        "idempotency_key_mismatch",
        "该幂等键已用于内容不同的另一请求；重试须与原请求完全相同，新请求请使用新的幂等键",
    )
    .with_field("idempotency_key")
}

/// Checks a key's binding against this account and request.
fn check_binding(actor: &Actor, account: Option<i64>, stored: Option<&str>, fingerprint: &str) -> ServiceResult<()> {
    if account.is_some_and(|a| a != actor.account_id) {
        return Err(reused());
    }
    if stored.is_some_and(|f| f != fingerprint) {
        return Err(mismatch());
    }
    Ok(())
}

impl App {
    /// The fingerprint of a request's canonical text.
    fn fingerprint(&self, canonical: &str) -> String {
        self.keys.lookup_hash("idempotency_request", canonical)
    }

    /// A submission's fingerprint: every field of the application as parsed, the key left out.
    pub(crate) fn submission_fingerprint(&self, input: &SubmitCase) -> String {
        let text = |s: &str| s.trim().to_string();
        let applicant = match &input.applicant {
            ApplicantRef::Person(id) => json!({ "person": id }),
            ApplicantRef::New(p) => json!({
                "name": text(&p.name),
                "id_number": text(&p.id_number).to_uppercase(),
                "phone": p.phone.as_deref().map(text),
                "address": p.address.as_deref().map(text),
                "division": text(&p.division),
            }),
            ApplicantRef::Organization { organization: o, phone, address } => json!({
                "kind": "organization",
                "name": text(&o.name),
                "credit_code": text(&o.credit_code).to_uppercase(),
                "representative": o.representative.as_deref().map(text),
                "phone": phone.as_deref().map(text),
                "address": address.as_deref().map(text),
                "division": text(&o.division),
            }),
        };
        let mut materials: Vec<String> = input.materials.iter().map(|m| text(m)).collect();
        materials.sort();
        // serde_json's maps are ordered by key: this text is canonical.
        let canonical = json!({
            "item": text(&input.item),
            "channel": text(&input.channel),
            "applicant": applicant,
            "accepting_division": text(&input.accepting_division),
            "situation": input.situation.as_deref().map(text),
            "materials": materials,
            "data": input.data,
        });
        self.fingerprint(&format!("submit\n{canonical}"))
    }

    /// An act's fingerprint: the case, the revision it was drawn at and the act with its fields.
    pub(crate) fn act_fingerprint(
        &self,
        id: i64,
        expected_revision: Option<i64>,
        action: &Action,
        dated: Option<chrono::NaiveDate>,
    ) -> String {
        // An act entered without a date keeps the fingerprint it always had.
        match dated {
            None => self.fingerprint(&format!("act\n{id}\n{expected_revision:?}\n{action:?}")),
            Some(on) => self.fingerprint(&format!("act\n{id}\n{expected_revision:?}\n{action:?}\n{on}")),
        }
    }

    /// Every client's write on a case that is not an engine act (an assistance application, a
    /// home visit, a 公示 posting…) goes through here, under the contract of acts: permission
    /// first ([`App::case_for`]), the revision the client saw checked (`case_conflict` with the
    /// revision now and the last act when stale; `None` only for internal callers), and an
    /// idempotency key bound to the account and the request (`kind`, the case, the revision and
    /// the request's canonical text) whose first answer a retry gets back. `write` commits with
    /// [`CaseWrite::touch`] in its transaction: the case's revision moves on with it.
    pub(crate) async fn case_write<'a, T, F, Fut>(
        &'a self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        key: Option<&'a str>,
        request: (&str, String),
        write: F,
    ) -> ServiceResult<T>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce(CaseWrite<'a>) -> Fut,
        Fut: Future<Output = ServiceResult<T>>,
    {
        crate::cases::reaches_cases(actor)?;
        let key = parse_key(key)?;
        let (kind, canonical) = request;
        let fingerprint =
            key.map(|_| self.fingerprint(&format!("write\n{kind}\n{id}\n{expected_revision:?}\n{canonical}")));
        if let (Some(key), Some(fingerprint)) = (key, &fingerprint) {
            if let Some(done) = self.store.act_key(key).await? {
                return self.replay_write(actor, done, fingerprint).await;
            }
        }
        let (row, mut stored, item) = self.case_for(actor, id, false).await?;
        if expected_revision.is_some_and(|e| e != row.revision) {
            return self.write_conflict(actor, id, key, fingerprint.as_deref(), conflict(&row.columns.status)).await;
        }
        stored.case.revision = u64::try_from(row.revision + 1).map_err(ServiceError::internal)?;
        let state = case_json::to_json(&stored);
        stored.case.revision -= 1;
        let ticket = CaseWrite {
            stored,
            item,
            id,
            expected_revision: row.revision,
            state,
            key: key.zip(fingerprint.clone()).map(|(k, f)| (k, actor.account_id, f)),
        };
        match write(ticket).await {
            Ok(answer) => Ok(answer),
            Err(err) if err.code == "idempotency_key_taken" || err.code == "case_conflict" => {
                self.write_conflict(actor, id, key, fingerprint.as_deref(), err).await
            }
            Err(err) => Err(err),
        }
    }

    /// After a conflict: the first answer when this very request (its key) committed meanwhile,
    /// else the conflict explained (the revision now and the last act).
    async fn write_conflict<T: DeserializeOwned>(
        &self,
        actor: &Actor,
        id: i64,
        key: Option<&str>,
        fingerprint: Option<&str>,
        err: ServiceError,
    ) -> ServiceResult<T> {
        if let (Some(key), Some(fingerprint)) = (key, fingerprint) {
            if let Some(done) = self.store.act_key(key).await? {
                return self.replay_write(actor, done, fingerprint).await;
            }
        }
        Err(self.explain_conflict(id, err).await)
    }

    /// The first answer of a write whose key is known, once its binding holds and the caller
    /// may still see the case.
    async fn replay_write<T: DeserializeOwned>(
        &self,
        actor: &Actor,
        done: ActKeyRow,
        fingerprint: &str,
    ) -> ServiceResult<T> {
        check_binding(actor, Some(done.account_id), Some(&done.fingerprint), fingerprint)?;
        self.case_for(actor, done.case_id, false).await?;
        serde_json::from_str(&done.state).map_err(|_| mismatch())
    }

    /// The case a submission's key made, if any, once its binding holds.
    pub(crate) async fn keyed_submission(
        &self,
        actor: &Actor,
        key: &str,
        fingerprint: &str,
    ) -> ServiceResult<Option<i64>> {
        let Some(KeyedCase { id, account_id, fingerprint: stored }) = self.store.case_by_idempotency_key(key).await?
        else {
            return Ok(None);
        };
        check_binding(actor, account_id, stored.as_deref(), fingerprint)?;
        Ok(Some(id))
    }

    /// The answer an act's key already had, once its binding holds: the case as the act left
    /// it (the revision it answered), never the act again.
    pub(crate) async fn replay_act(
        &self,
        actor: &Actor,
        done: ActKeyRow,
        fingerprint: &str,
    ) -> ServiceResult<CaseView> {
        check_binding(actor, Some(done.account_id), Some(&done.fingerprint), fingerprint)?;
        let stored = case_json::from_json(&done.state).map_err(ServiceError::internal)?;
        if !self.may_see(actor, &stored) {
            return Err(ServiceError::forbidden());
        }
        let item = self
            .catalog
            .get(&stored.case.item_slug, stored.case.item_version)
            .ok_or_else(|| ServiceError::internal(format!("case {}: item version not in the catalog", done.case_id)))?;
        self.view(Some(actor), &stored, item).await
    }

    /// A `case_conflict` with what a client needs to tell its own act from another's: the case's
    /// revision now and its last act (who by display name, what by its Chinese name, when).
    pub(crate) async fn explain_conflict(&self, id: i64, err: ServiceError) -> ServiceError {
        if err.code != "case_conflict" {
            return err;
        }
        let Ok(row) = self.store.case(id).await else { return err };
        let events = self.store.stream_events(&format!("case:{id}")).await.unwrap_or_default();
        let last = events.iter().rev().find_map(|e| {
            let kind = ActionKind::parse(e.act.strip_prefix("case.")?)?;
            Some((e, kind))
        });
        let mut last_act = None;
        if let Some((event, kind)) = last {
            let by = self.actor_label(&event.actor).await;
            if let Some(at) = chrono::DateTime::from_timestamp_millis(event.at_ms) {
                last_act =
                    Some(LastAct { by, name: kind.name_zh().to_string(), action: kind.as_str().to_string(), at });
            }
        }
        let message = match &last_act {
            Some(act) => format!(
                "{}（最近一次办理：{}于{}{}）",
                err.message,
                act.by,
                act.at.with_timezone(&domain::calendar::shanghai_offset()).format("%Y年%-m月%-d日 %H:%M"),
                act.name
            ),
            None => err.message.clone(),
        };
        let mut err = err.with_conflict(row.revision, last_act);
        err.message = message;
        err
    }
}
