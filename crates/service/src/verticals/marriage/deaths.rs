//! Deaths in the marital-status registry: a clerk of the deceased's division records the death
//! from a source document (死亡医学证明、户口注销证明、人民法院宣告死亡判决…); the spouse is then
//! widowed (丧偶) and may marry again: the prohibition of bigamy (民法典第一千零四十二条第二款)
//! binds only while a spouse lives. Which article ends a marriage by death is not in the sources consulted
//! [unconfirmed]; the registry's rule is `domain::marriage::registry` (`RegistryEntry::Death`).

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::marriage::MaritalStatus;
use domain::problem::FieldError;
use serde::Serialize;
use serde_json::json;
use store::marriage::NewDeath;
use store::StoreError;

use crate::guards::registry_from_rows;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The longest source-document text kept.
const SOURCE_MAX_CHARS: usize = 200;

/// A death to record, as entered.
#[derive(Debug, Clone)]
pub struct DeathInput {
    /// ISO date of death (Asia/Shanghai).
    pub date: String,
    /// The document the death is recorded from: its kind and number, e.g.
    /// "死亡医学证明 N511702210001".
    pub source_document: String,
}

/// The recorded death: who was left widowed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeathRecorded {
    pub person_id: i64,
    pub date: String,
    /// The spouse now widowed, if the person was married.
    pub widowed_person_id: Option<i64>,
}

impl App {
    /// [`App::record_death`] of the person on record with `id_number` (the staff page's way in:
    /// the clerk has the document, not the record's number). Unknown number: 404.
    pub async fn record_death_by_id_number(
        &self,
        actor: &Actor,
        id_number: &str,
        input: &DeathInput,
    ) -> ServiceResult<DeathRecorded> {
        if !actor.may_somewhere(Permission::RecordDeath) {
            return Err(ServiceError::forbidden());
        }
        let parsed = domain::idcard::parse_id(id_number, self.today(), self.regions()).map_err(|e| {
            ServiceError::invalid(vec![FieldError::new("id_number", "invalid_id_number", e.to_string())])
        })?;
        // A number on file where the caller may not read persons answers as an unknown one: the
        // clerk must not learn that a person is on file elsewhere (`App::person_on_file`).
        let person = match self.on_file_by_number(actor, &parsed.number, None).await? {
            Some(on_file) if on_file.visible => on_file.id,
            _ => return Err(ServiceError::not_found("人员")),
        };
        self.record_death(actor, person, input).await
    }

    /// Records `person`'s death: validated (the date: ISO, not after today, not before the birth
    /// date; the source document: required, at most 200 characters), authorized
    /// ([`Permission::RecordDeath`] at the person's division), checked against the registry (not
    /// already recorded dead; not before the person's last registration, which would rewrite
    /// history), then the death row, the end of both married-now rows and the events
    /// (`person.death_recorded` on the deceased, `person.widowed` on the spouse) in one
    /// transaction.
    pub async fn record_death(&self, actor: &Actor, person: i64, input: &DeathInput) -> ServiceResult<DeathRecorded> {
        let today = self.today();
        let mut problems = Vec::new();
        let date = match NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d") {
            Ok(d) if d <= today => Some(d),
            Ok(_) => {
                problems.push(FieldError::new("date", "date_in_future", "死亡日期不能晚于今天"));
                None
            }
            Err(_) => {
                problems.push(FieldError::new("date", "invalid_date", "死亡日期应为 YYYY-MM-DD 格式的日期"));
                None
            }
        };
        let source = input.source_document.trim();
        if source.is_empty() {
            problems.push(FieldError::new(
                "source_document",
                "source_document_required",
                "请填写死亡信息的来源文书及编号",
            ));
        } else if source.chars().count() > SOURCE_MAX_CHARS {
            problems.push(FieldError::new(
                "source_document",
                "source_document_too_long",
                format!("来源文书不能超过{SOURCE_MAX_CHARS}个字"),
            ));
        }
        let Some(date) = date.filter(|_| problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        let summary = self.visible_summary(actor, person, Permission::RecordDeath).await?;
        if NaiveDate::parse_from_str(&summary.birth_date, "%Y-%m-%d").is_ok_and(|birth| date < birth) {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "date",
                "death_before_birth",
                "死亡日期早于出生日期",
            )]));
        }
        let rows = self.store.marital_registrations_of(&[person]).await?;
        let registry = registry_from_rows(&rows).map_err(|e| ServiceError::internal(&e))?;
        let status = registry.status(person);
        if let MaritalStatus::Deceased { on } = status {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "already_deceased",
                format!("该人员已于 {on} 记录死亡"),
            ));
        }
        if let Some(last) = registry.history(person).last().map(|e| e.date()).filter(|last| date < *last) {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "date",
                "death_before_registration",
                format!("死亡日期早于该人员 {last} 的婚姻登记记录，请核对来源文书"),
            )]));
        }
        let spouse = status.spouse();
        let on_date = date.to_string();
        let payload = json!({ "date": on_date, "source_document": source, "widowed": spouse });
        let mut events =
            vec![EventDraft::new(format!("person:{person}"), actor.label(), "person.death_recorded", payload)
                .in_division(summary.division.clone())];
        if let Some(spouse) = spouse {
            events.push(
                EventDraft::new(
                    format!("person:{spouse}"),
                    actor.label(),
                    "person.widowed",
                    json!({ "former_spouse": person, "since": on_date }),
                )
                .in_division(summary.division.clone()),
            );
        }
        let death =
            NewDeath { person, spouse, division: &summary.division, on_date: &on_date, source_document: source };
        self.store.record_death(&death, &events, self.now()).await.map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::new(
                ErrorKind::Conflict,
                "marital_status_changed",
                "该人员的婚姻状况刚被另一登记改变，未记录死亡，请重新核验",
            ),
            other => other.into(),
        })?;
        Ok(DeathRecorded { person_id: person, date: on_date, widowed_person_id: spouse })
    }
}
