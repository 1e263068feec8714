//! The marriage registration desk (结婚登记窗口): both parties at the window, found by ID number
//! (or new), the conditions checked and shown **before anything is written** — the same guards
//! the engine runs at the act (guards.rs), on the item version in force today — then, if every
//! one holds, the case submitted and accepted on the spot (即办: registered, certificate numbered).

use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::engine::action::Action;
use domain::engine::refusal::Refusal;
use domain::person::{NewPerson, PersonInput};
use domain::problem::FieldError;
use serde_json::{json, Value};

use crate::cases::{ApplicantRef, SubmitCase};
use crate::guards::{guard_label, registry_from_rows, GuardFacts, PartyFacts};
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The item the desk registers.
pub const MARRIAGE_ITEM: &str = "marriage-registration";
/// The situation of an ordinary marriage of two mainland residents.
const SITUATION: &str = "ordinary";

/// One party at the window: their identity (found on record by the ID number, else registered
/// with the case) and, for the 2021 pilot, where a 居住证 was issued.
#[derive(Debug, Clone)]
pub struct DeskParty {
    pub person: PersonInput,
    pub residence_permit_division: Option<String>,
}

/// What the clerk enters at the desk.
#[derive(Debug, Clone)]
pub struct DeskInput {
    /// The registration office (the clerk's window).
    pub office: String,
    pub parties: [DeskParty; 2],
    pub declaration_signed: bool,
    pub materials: Vec<String>,
    pub idempotency_key: Option<String>,
}

/// One condition as the clerk sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskCheck {
    pub label: &'static str,
    pub ok: bool,
    /// 符合 or the refusal's message.
    pub message: String,
    pub basis: Option<String>,
    /// The refusal's code (`under_marriage_age`, …), if refused.
    pub code: Option<&'static str>,
}

/// The checks, and whether each party is on record with which marital status.
#[derive(Debug, Clone)]
pub struct DeskChecks {
    pub checks: Vec<DeskCheck>,
    /// Per party: `Some((person id, 婚姻状况))` when on record.
    pub on_record: [Option<(i64, &'static str)>; 2],
}

impl DeskChecks {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// The desk's answer to "register": the case made, or the checks that failed (nothing written).
#[derive(Debug, Clone)]
pub enum DeskOutcome {
    Registered { case_id: i64 },
    Refused(DeskChecks),
}

fn check_of(label: &'static str, result: Result<(), Refusal>) -> DeskCheck {
    match result {
        Ok(()) => DeskCheck { label, ok: true, message: "符合".into(), basis: None, code: None },
        Err(r) => DeskCheck { label, ok: false, message: r.message, basis: r.basis, code: Some(r.code) },
    }
}

impl App {
    /// Checks a marriage at the desk: validated (both parties' fields, every problem named by
    /// `party_a.` / `party_b.` + field), authorized ([`Permission::CheckMaritalRegistry`] at the
    /// office), then every guard of the item in force today and the materials of the ordinary
    /// situation. Writes nothing but the reads: each party on record gets `person.registry_check`.
    pub async fn marriage_desk_check(&self, actor: &Actor, input: &DeskInput) -> ServiceResult<DeskChecks> {
        let (checks, _) = self.desk_checks(actor, input).await?;
        Ok(checks)
    }

    /// Checks, and registers only if every check holds: the other party found or registered
    /// (matched by ID number, as an applicant is), the case submitted and accepted on the spot.
    /// A second post with the same idempotency key (a double click) answers the case the first
    /// made, before checking again (the couple is married by then).
    pub async fn marriage_desk_register(&self, actor: &Actor, input: &DeskInput) -> ServiceResult<DeskOutcome> {
        if let Some(key) = input.idempotency_key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            if let Some(keyed) = self.store.case_by_idempotency_key(key).await? {
                // A key is bound to the account that used it first (idempotency.rs).
                if keyed.account_id.is_some_and(|a| a != actor.account_id) {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "idempotency_key_reused",
                        "该幂等键已被其他账号的请求使用，请为本次请求使用新的幂等键",
                    )
                    .with_field("idempotency_key"));
                }
                let case_id = keyed.id;
                // Seen only by who may see it: the certificate page checks again.
                self.case(actor, case_id).await?;
                return Ok(DeskOutcome::Registered { case_id });
            }
        }
        let (checks, parsed) = self.desk_checks(actor, input).await?;
        if !checks.passed() {
            // The refusal is an act on record (the conditions, their basis, the parties masked);
            // nothing else is written.
            let refused: Vec<Value> = checks
                .checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| json!({ "condition": c.label, "code": c.code, "message": c.message, "basis": c.basis }))
                .collect();
            let parties: Vec<String> = parsed.iter().map(|p| p.id.number.masked()).collect();
            let office = input.office.trim();
            let draft = EventDraft::new(
                format!("marriage:desk:{office}"),
                actor.label(),
                "marriage.desk_refused",
                json!({ "office": office, "parties": parties, "refused": refused }),
            )
            .in_division(office);
            self.store.record(&draft, self.now()).await?;
            return Ok(DeskOutcome::Refused(checks));
        }
        let [applicant, other] = parsed;
        let other_id = match checks.on_record[1] {
            Some((id, _)) => id,
            None => self.applicant_person(actor, &other).await?,
        };
        let [a, b] = &input.parties;
        let mut data = json!({
            "other_party": other_id,
            "declaration_signed": input.declaration_signed,
            "hukou_division": applicant.division.as_str(),
            "other_party_hukou_division": other.division.as_str(),
        });
        for (key, permit) in [
            ("residence_permit_division", &a.residence_permit_division),
            ("other_party_residence_permit_division", &b.residence_permit_division),
        ] {
            if let Some(code) = permit.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                data[key] = Value::String(code.to_string());
            }
        }
        let submit = SubmitCase {
            item: MARRIAGE_ITEM.into(),
            channel: "window".into(),
            applicant: ApplicantRef::New(a.person.clone()),
            accepting_division: input.office.clone(),
            situation: Some(SITUATION.into()),
            materials: input.materials.clone(),
            data,
            idempotency_key: input.idempotency_key.clone(),
        };
        let submitted = self.submit_case(actor, &submit).await?;
        let case = &submitted.view.case;
        if case.decision.is_none() {
            self.act_on_case(actor, case.id, None, &Action::Accept).await?;
        }
        Ok(DeskOutcome::Registered { case_id: case.id })
    }

    /// 不予登记 at the desk (婚姻登记条例（2003年）第六条、第七条: 不予登记的，应当向当事人说明理由):
    /// the application is put on record and refused on the spot with the registrar's reasons and
    /// the basis of every condition that failed (or of the questioning, e.g. 非双方自愿, which no
    /// check can see). Returns the case, whose 不予登记决定书 is then printed.
    pub async fn marriage_desk_refuse(&self, actor: &Actor, input: &DeskInput, reasons: &str) -> ServiceResult<i64> {
        if reasons.trim().is_empty() {
            return Err(
                ServiceError::new(ErrorKind::Invalid, "reasons_required", "请填写不予登记的理由").with_field("reasons")
            );
        }
        let (checks, parsed) = self.desk_checks(actor, input).await?;
        let mut basis: Vec<String> = checks.checks.iter().filter(|c| !c.ok).filter_map(|c| c.basis.clone()).collect();
        basis.dedup();
        if basis.is_empty() {
            basis.push("《中华人民共和国民法典》第一千零四十六条；《婚姻登记条例》（2003年）第六条、第七条".into());
        }
        let [applicant, other] = parsed;
        let other_id = match checks.on_record[1] {
            Some((id, _)) => id,
            None => self.applicant_person(actor, &other).await?,
        };
        let data = json!({
            "other_party": other_id,
            "declaration_signed": input.declaration_signed,
            "hukou_division": applicant.division.as_str(),
            "other_party_hukou_division": other.division.as_str(),
        });
        let submit = SubmitCase {
            item: MARRIAGE_ITEM.into(),
            channel: "window".into(),
            applicant: ApplicantRef::New(input.parties[0].person.clone()),
            accepting_division: input.office.clone(),
            situation: Some(SITUATION.into()),
            materials: input.materials.clone(),
            data,
            idempotency_key: input.idempotency_key.clone(),
        };
        let submitted = self.submit_case(actor, &submit).await?;
        let case = &submitted.view.case;
        if case.decision.is_none() {
            let deny = Action::Decide { grant: false, reasons: reasons.trim().to_string(), basis: basis.join("；") };
            self.act_on_case(actor, case.id, None, &deny).await?;
        }
        Ok(case.id)
    }

    async fn desk_checks(&self, actor: &Actor, input: &DeskInput) -> ServiceResult<(DeskChecks, [NewPerson; 2])> {
        let now = self.now();
        let today = shanghai_date(now);
        let mut problems: Vec<FieldError> = Vec::new();
        let office = self.division("office", &input.office);
        let mut parsed = Vec::new();
        for (prefix, party) in ["party_a", "party_b"].into_iter().zip(&input.parties) {
            match NewPerson::parse(&party.person, today, self.regions(), self.divisions()) {
                Ok(person) => parsed.push(person),
                Err(errors) => problems.extend(errors.into_iter().map(|mut e| {
                    e.field = format!("{prefix}.{}", e.field);
                    e
                })),
            }
            if let Some(code) = party.residence_permit_division.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                if let Err(e) = self.division("residence_permit_division", code) {
                    problems.push(FieldError::new(
                        &format!("{prefix}.residence_permit_division"),
                        e.code,
                        e.message.clone(),
                    ));
                }
            }
        }
        let office = match office {
            Ok(office) => Some(office),
            Err(e) => {
                problems.push(FieldError::new("office", e.code, e.message.clone()));
                None
            }
        };
        let (Some(office), Ok(parsed)) = (office, <[NewPerson; 2]>::try_from(parsed)) else {
            return Err(ServiceError::invalid(problems));
        };
        if !problems.is_empty() {
            return Err(ServiceError::invalid(problems));
        }
        self.authorize(actor, Permission::CheckMaritalRegistry, &office)?;
        let item = self.item_on(MARRIAGE_ITEM, today)?;

        // The parties: on record (by the keyed hash of the ID number) or not yet.
        let mut ids = [None, None];
        for (slot, person) in ids.iter_mut().zip(&parsed) {
            *slot = self.store.person_id_by_id_number(&self.keys, person.id.number.as_str()).await?;
        }
        let on_record: Vec<i64> = ids.iter().flatten().copied().collect();
        let rows = self.store.marital_registrations_of(&on_record).await?;
        let registry = registry_from_rows(&rows).map_err(|e| ServiceError::internal(&e))?;
        for id in &on_record {
            let summary = self.store.person_summary(*id).await?;
            let draft = EventDraft::new(
                format!("person:{id}"),
                actor.label(),
                "person.registry_check",
                json!({ "office": office.as_str(), "item": MARRIAGE_ITEM, "at": "desk" }),
            )
            .in_division(summary.division);
            self.store.record(&draft, now).await?;
        }
        // A party not on record stands in with a placeholder id (the same one for the same number).
        let same_number = parsed[0].id.number.as_str() == parsed[1].id.number.as_str();
        let placeholder = |i: usize| if same_number { -1 } else { -1 - i as i64 };
        let facts_of = |i: usize| PartyFacts {
            id: ids[i].unwrap_or_else(|| placeholder(i)),
            sex: parsed[i].id.sex,
            birth: parsed[i].id.birth_date,
            hukou: parsed[i].division.clone(),
            residence_permit: input.parties[i]
                .residence_permit_division
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .and_then(|c| domain::division::DivisionCode::parse(c).ok()),
            record_division: parsed[i].division.to_string(),
        };
        let facts = GuardFacts {
            divisions: self.divisions(),
            on: today,
            form: json!({ "declaration_signed": input.declaration_signed }),
            applicant: facts_of(0),
            other: Ok(facts_of(1)),
            registry,
        };
        let mut guards: Vec<&str> = Vec::new();
        for step in &item.procedure.steps {
            for guard in &step.guards {
                if !guards.contains(&guard.as_str()) {
                    guards.push(guard);
                }
            }
        }
        let mut checks: Vec<DeskCheck> =
            guards.iter().map(|g| check_of(guard_label(g), facts.check_at(g, &office, Some(SITUATION)))).collect();
        // The materials of the ordinary situation (shared ones are fetched, never demanded).
        let wanted = item.situations.iter().find(|s| s.id == SITUATION).map(|s| s.materials.clone());
        let missing: Vec<&str> = item
            .materials
            .iter()
            .filter(|m| m.required && !m.shared && wanted.as_ref().is_none_or(|w| w.contains(&m.id)))
            .filter(|m| !input.materials.contains(&m.id))
            .map(|m| m.name.as_str())
            .collect();
        checks.push(check_of(
            "申请材料",
            if missing.is_empty() {
                Ok(())
            } else {
                Err(Refusal::new("materials_missing", format!("尚未收到：{}", missing.join("、"))))
            },
        ));
        let status_of = |i: usize| ids[i].map(|id| (id, facts.registry.status(id).name_zh()));
        Ok((DeskChecks { checks, on_record: [status_of(0), status_of(1)] }, parsed))
    }
}
