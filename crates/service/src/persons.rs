//! Person records: created within the caller's jurisdiction, read masked or in full, and every
//! access to one person's record recorded in the full-process record.

use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::idcard::IdNumber;
use domain::person::{NewPerson, PersonInput};
use serde_json::json;
use store::persons::{PersonFull, PersonSummary, Scope};

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// What [`App::attach_person`] does with a person on file outside the caller's jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Elsewhere {
    /// An application: the same human applies; the record is used, the caller learns nothing.
    Attach,
    /// A household member: refused (the household's views would show the record).
    Refuse,
}

/// A person on file, as found by [`App::person_on_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OnFile {
    pub id: i64,
    /// The record's division.
    pub division: String,
    /// The caller may read persons there.
    pub visible: bool,
    /// The name typed differs from the record's.
    pub name_differs: bool,
}

impl OnFile {
    /// "Already registered": naming the record only to someone who may see it.
    fn exists_error(&self) -> ServiceError {
        let message = if self.visible {
            format!("该身份证号码的人员已登记（编号 {}）", self.id)
        } else {
            "该身份证号码的人员已在其他辖区登记".to_string()
        };
        ServiceError::new(ErrorKind::Conflict, "person_exists", message).with_field("id_number")
    }
}

/// The record [`App::attach_person`] settled on.
#[derive(Debug, Clone)]
pub(crate) struct Attached {
    pub id: i64,
    /// `None` when registered by this call.
    pub on_file: Option<OnFile>,
}

/// A household member typed in on a form ([`App::typed_member`]), nothing written yet.
#[derive(Debug, Clone)]
pub enum TypedMember {
    /// On file within the caller's jurisdiction; `mismatch`: the event recording that the name
    /// typed differs from the record's, to append with what the form writes.
    OnFile { id: i64, mismatch: Option<EventDraft> },
    /// Not on file: to register with what the form writes.
    New(NewPerson),
}

/// `person.create` of a record just inserted (masked fields only).
pub(crate) fn person_created(actor: &Actor, person: &NewPerson, as_applicant: bool, id: i64) -> EventDraft {
    let mut payload = json!({
        "name": person.name,
        "id_number": person.id.number.masked(),
        "phone": person.phone.as_ref().map(|p| p.masked()),
        "division": person.division.as_str(),
    });
    if as_applicant {
        payload["as_applicant"] = json!(true);
    }
    EventDraft::new(format!("person:{id}"), actor.label(), "person.create", payload)
        .in_division(person.division.to_string())
}

/// `person.name_mismatch`: a record found by its ID number under another name than typed.
fn name_mismatch(actor: &Actor, on_file: &OnFile, typed_name: &str, context: &str) -> EventDraft {
    EventDraft::new(
        format!("person:{}", on_file.id),
        actor.label(),
        "person.name_mismatch",
        json!({"typed_name": typed_name, "context": context}),
    )
    .in_division(on_file.division.clone())
}

/// A search over the persons the actor may see.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl App {
    fn scope(&self, actor: &Actor, permission: Permission) -> Scope {
        Scope(actor.scope(permission).iter().map(|c| c.to_string()).collect())
    }

    pub async fn create_person(&self, actor: &Actor, input: &PersonInput) -> ServiceResult<PersonSummary> {
        let person =
            NewPerson::parse(input, self.today(), self.regions(), self.divisions()).map_err(ServiceError::invalid)?;
        self.authorize(actor, Permission::WritePerson, &person.division)?;
        if let Some(on_file) = self.person_on_file(actor, &person).await? {
            return Err(on_file.exists_error());
        }
        self.register_person(actor, &person, false).await
    }

    /// The record of the person typed in as `person`, found by the keyed hash of the ID number:
    /// the one lookup every form and API that takes an ID number goes through. Reads only.
    pub(crate) async fn person_on_file(&self, actor: &Actor, person: &NewPerson) -> ServiceResult<Option<OnFile>> {
        self.on_file_by_number(actor, &person.id.number, Some(&person.name)).await
    }

    /// [`App::person_on_file`] by the number alone (`typed_name`: the name typed with it, if any).
    pub(crate) async fn on_file_by_number(
        &self,
        actor: &Actor,
        number: &IdNumber,
        typed_name: Option<&str>,
    ) -> ServiceResult<Option<OnFile>> {
        let Some(id) = self.store.person_id_by_id_number(&self.keys, number.as_str()).await? else {
            return Ok(None);
        };
        let summary = match self.store.person_summary(id).await {
            Ok(summary) => summary,
            Err(store::StoreError::NotFound) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        let visible = self
            .division("division", &summary.division)
            .is_ok_and(|d| actor.may(Permission::ReadPerson, &d, self.divisions()));
        let name_differs = typed_name.is_some_and(|typed| summary.name != typed);
        Ok(Some(OnFile { id, division: summary.division, visible, name_differs }))
    }

    /// The person typed in by ID number as a record, the same way on every path (an application at
    /// the window or online, the apply form, a household member, the marriage desk's other party):
    ///
    /// - not on file: registered now (`person.create`) by the caller;
    /// - on file where the caller may read persons: that record;
    /// - on file elsewhere: the same human, so an application (`Elsewhere::Attach`) goes ahead on
    ///   that record, but the caller is told nothing of it (the case shows what was typed, no
    ///   record id: see `CaseView`); a household member (`Elsewhere::Refuse`) would show the record
    ///   in the caller's household views, so it is refused without naming the record.
    ///
    /// A typed name that differs from the record's is never dropped: the case keeps what was
    /// typed, and `person.name_mismatch` is recorded on the person's stream in the record's
    /// division (the typed name and where it came from), for whoever may read that record.
    pub(crate) async fn attach_person(
        &self,
        actor: &Actor,
        person: &NewPerson,
        elsewhere: Elsewhere,
        context: &str,
    ) -> ServiceResult<Attached> {
        let mut on_file = self.person_on_file(actor, person).await?;
        if on_file.is_none() {
            match self.register_person(actor, person, elsewhere == Elsewhere::Attach).await {
                Ok(summary) => return Ok(Attached { id: summary.id, on_file: None }),
                // Registered meanwhile by someone else: that record.
                Err(e) if e.code == "person_exists" => on_file = self.person_on_file(actor, person).await?,
                Err(other) => return Err(other),
            }
        }
        let on_file = on_file.ok_or_else(|| ServiceError::internal("person conflict without a person"))?;
        if !on_file.visible && elsewhere == Elsewhere::Refuse {
            return Err(on_file.exists_error());
        }
        if on_file.name_differs {
            self.store.record(&name_mismatch(actor, &on_file, &person.name, context), self.now()).await?;
        }
        Ok(Attached { id: on_file.id, on_file: Some(on_file) })
    }

    /// A household member typed in by ID number and name on the household form: the person on
    /// file within the caller's jurisdiction, else registered in `input.division`
    /// ([`App::typed_member`], then [`App::attach_person`] with [`Elsewhere::Refuse`]).
    pub async fn household_member(&self, actor: &Actor, input: &PersonInput) -> ServiceResult<i64> {
        match self.typed_member(actor, input).await? {
            TypedMember::OnFile { id, mismatch } => {
                if let Some(event) = mismatch {
                    self.store.record(&event, self.now()).await?;
                }
                Ok(id)
            }
            TypedMember::New(person) => {
                Ok(self.attach_person(actor, &person, Elsewhere::Refuse, "household").await?.id)
            }
        }
    }

    /// A household member typed in on a form, looked up and checked without writing anything: the
    /// person on file within the caller's jurisdiction (refused when on file elsewhere), or the
    /// person to register in `input.division` (which the caller must be allowed to write in).
    /// A row with the number alone names a member on file within the caller's jurisdiction.
    pub async fn typed_member(&self, actor: &Actor, input: &PersonInput) -> ServiceResult<TypedMember> {
        if input.name.trim().is_empty() {
            if let Ok(info) = domain::idcard::parse_id(input.id_number.trim(), self.today(), self.regions()) {
                if let Some(on_file) = self.on_file_by_number(actor, &info.number, None).await? {
                    return if on_file.visible {
                        Ok(TypedMember::OnFile { id: on_file.id, mismatch: None })
                    } else {
                        Err(on_file.exists_error())
                    };
                }
            }
        }
        let person =
            NewPerson::parse(input, self.today(), self.regions(), self.divisions()).map_err(ServiceError::invalid)?;
        match self.person_on_file(actor, &person).await? {
            Some(on_file) if !on_file.visible => Err(on_file.exists_error()),
            Some(on_file) => {
                let mismatch = on_file.name_differs.then(|| name_mismatch(actor, &on_file, &person.name, "household"));
                Ok(TypedMember::OnFile { id: on_file.id, mismatch })
            }
            None => {
                self.authorize(actor, Permission::WritePerson, &person.division)?;
                Ok(TypedMember::New(person))
            }
        }
    }

    /// Inserts the record with its `person.create` event.
    async fn register_person(
        &self,
        actor: &Actor,
        person: &NewPerson,
        as_applicant: bool,
    ) -> ServiceResult<PersonSummary> {
        let id = self
            .store
            .create_person(&self.keys, person, actor.account_id, self.now(), |id| {
                person_created(actor, person, as_applicant, id)
            })
            .await
            .map_err(|e| match e {
                store::StoreError::Conflict(_) => {
                    ServiceError::new(ErrorKind::Conflict, "person_exists", "该身份证号码的人员已登记")
                        .with_field("id_number")
                }
                other => other.into(),
            })?;
        Ok(self.store.person_summary(id).await?)
    }

    pub(crate) async fn visible_summary(
        &self,
        actor: &Actor,
        id: i64,
        permission: Permission,
    ) -> ServiceResult<PersonSummary> {
        // Who holds the permission nowhere is refused before the lookup: the answer must not
        // tell which ids exist.
        if !actor.may_somewhere(permission) {
            return Err(ServiceError::forbidden());
        }
        let summary = self.store.person_summary(id).await.map_err(|e| match e {
            store::StoreError::NotFound => ServiceError::not_found("人员"),
            other => other.into(),
        })?;
        let division = self.division("division", &summary.division)?;
        self.authorize(actor, permission, &division)?;
        Ok(summary)
    }

    /// The masked record. The access is recorded (`person.read`).
    pub async fn person(&self, actor: &Actor, id: i64) -> ServiceResult<PersonSummary> {
        let summary = self.visible_summary(actor, id, Permission::ReadPerson).await?;
        let event = EventDraft::new(format!("person:{id}"), actor.label(), "person.read", json!({}))
            .in_division(summary.division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(summary)
    }

    /// The full record with ID and phone numbers in clear. The reading is recorded
    /// (`person.read_full`) in the same transaction that decrypts.
    pub async fn person_full(&self, actor: &Actor, id: i64) -> ServiceResult<PersonFull> {
        let summary = self.visible_summary(actor, id, Permission::ReadPersonFull).await?;
        let event = EventDraft::new(format!("person:{id}"), actor.label(), "person.read_full", json!({}))
            .in_division(summary.division);
        Ok(self.store.person_full(&self.keys, id, self.now(), &event).await?)
    }

    /// Persons inside the actor's jurisdiction, masked. A search by name or ID number is itself
    /// recorded, with the ID number masked.
    pub async fn persons(&self, actor: &Actor, query: &PersonQuery) -> ServiceResult<Vec<PersonSummary>> {
        if !actor.may_somewhere(Permission::ReadPerson) {
            return Err(ServiceError::forbidden());
        }
        let (limit, offset) = crate::page(query.limit, query.offset)?;
        let name = query.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let id_number = query.id_number.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let id_info = match id_number {
            Some(number) => Some(domain::idcard::parse_id(number, self.today(), self.regions()).map_err(|e| {
                ServiceError::new(ErrorKind::Invalid, domain::person::id_field_code(e.code()), e.to_string())
                    .with_field("id_number")
            })?),
            None => None,
        };
        let id_hash = id_info.as_ref().map(|info| self.keys.lookup_hash("id_number", info.number.as_str()));
        let scope = self.scope(actor, Permission::ReadPerson);
        // The prefix filter of the store is coarse (a record may carry a code the tree no longer
        // reaches, e.g. a county since abolished); the tree is the authority. The page is counted
        // after the tree's filter, reading batch after batch, so a page is short only at the end.
        let visible = |p: &PersonSummary| {
            self.division("division", &p.division)
                .is_ok_and(|d| actor.may(Permission::ReadPerson, &d, self.divisions()))
        };
        let batch = limit.max(100);
        let (mut found, mut skipped, mut read) = (Vec::new(), 0i64, 0i64);
        'pages: loop {
            let rows = self.store.persons(&scope, name, id_hash.as_deref(), batch, read).await?;
            let n = rows.len() as i64;
            read += n;
            for p in rows.into_iter().filter(|p| visible(p)) {
                if skipped < offset {
                    skipped += 1;
                } else if (found.len() as i64) < limit {
                    found.push(p);
                } else {
                    break 'pages;
                }
            }
            if n < batch || found.len() as i64 >= limit {
                break;
            }
        }
        if name.is_some() || id_info.is_some() {
            let masked_id = id_info.map(|info| info.number.masked());
            let event = EventDraft::new(
                format!("account:{}", actor.account_id),
                actor.label(),
                "person.search",
                json!({"name": name, "id_number": masked_id, "results": found.iter().map(|p| p.id).collect::<Vec<_>>()}),
            );
            self.store.record(&event, self.now()).await?;
        }
        Ok(found)
    }
}
