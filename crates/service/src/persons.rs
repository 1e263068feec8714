//! Person records: created within the caller's jurisdiction, read masked or in full, and every
//! access to one person's record recorded in the full-process record.

use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::person::{NewPerson, PersonInput};
use serde_json::json;
use store::persons::{PersonFull, PersonSummary, Scope};

use crate::{App, ErrorKind, ServiceError, ServiceResult};

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
        if let Some(existing) = self.store.person_id_by_id_number(&self.keys, person.id.number.as_str()).await? {
            // Name the existing record only to someone who may see it.
            let visible = self.visible_summary(actor, existing, Permission::ReadPerson).await.is_ok();
            let message = if visible {
                format!("该身份证号码的人员已登记（编号 {existing}）")
            } else {
                "该身份证号码的人员已在其他辖区登记".to_string()
            };
            return Err(ServiceError::new(ErrorKind::Conflict, "person_exists", message).with_field("id_number"));
        }
        let payload = json!({
            "name": person.name,
            "id_number": person.id.number.masked(),
            "phone": person.phone.as_ref().map(|p| p.masked()),
            "division": person.division.as_str(),
        });
        let label = actor.label();
        let division = person.division.to_string();
        let id = self
            .store
            .create_person(&self.keys, &person, actor.account_id, self.now(), |id| {
                EventDraft::new(format!("person:{id}"), label, "person.create", payload).in_division(division)
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
        let found = self.store.persons(&scope, name, id_hash.as_deref(), limit, offset).await?;
        // The prefix filter of the store is coarse; the tree is the authority.
        let found: Vec<PersonSummary> = found
            .into_iter()
            .filter(|p| {
                self.division("division", &p.division)
                    .map(|d| actor.may(Permission::ReadPerson, &d, self.divisions()))
                    .unwrap_or(false)
            })
            .collect();
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
