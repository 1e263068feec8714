//! 社会组织登记 on the engine, and the register's use cases. The registration items' steps name
//! the area's guards (`social_org_conditions`, `social_org_sponsor_consent`,
//! `social_org_liquidated`) and effects (`social_org_register`, `social_org_deregister`); this
//! module answers them from the case's facts (its `[[form]]`): [`guards`] before an act, [`skip`]
//! for the sponsor's step of a direct-registration category, [`effects`] for what a granted
//! decision writes in the act's transaction. The register, the 公告, the annual inspection and
//! the 脱钩 tracker are in [`register`]; the enforcement cases opened from the inspection's list
//! of organizations that did not report in [`enforcement`].

pub mod enforcement;
pub mod indicators;
pub mod openness;
pub mod register;

/// The register's rows, as the web layer reads them.
pub use store::verticals::social_organization::{
    Announcement, DecouplingRow, InspectionRow, OrgFull, OrgRow, VersionRow,
};

use chrono::NaiveDate;
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::engine::action::Action;
use domain::engine::case::Case;
use domain::engine::refusal::Refusal;
use domain::form::{FactValue, Facts};
use domain::procedure::StepDef;
use domain::procedure::StepKind;
use domain::verticals::social_organization::{self as rules, conditions, facts as read_facts, Level, OrgType};
use serde_json::json;
use store::verticals::social_organization::{Change, Deregistration, NewOrg, NewVersion};
use store::verticals::{EffectOutput, Produced};

use crate::case_json::Stored;

/// What the area's guards and effects read, loaded before the act.
pub(crate) struct SocialOrgGuards {
    org_type: Option<OrgType>,
    /// The level of the office that decides the item (its registering step's `level`).
    decided_at: Level,
    facts: Facts,
    filed_on: NaiveDate,
    applicant_name: String,
}

/// The facts of `stored` for `item`'s guards and effects.
pub(crate) fn guards(item: &ServiceItem, stored: &Stored, now: chrono::DateTime<chrono::Utc>) -> SocialOrgGuards {
    let case = &stored.case;
    // The deciding step's level names the registration authority (社团条例第七条; 基金会管理条例
    // 第六条); an item that does not say is the city's.
    let decided_at = item
        .procedure
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Decide)
        .and_then(|s| s.level)
        .and_then(Level::of_office)
        .unwrap_or(Level::Prefecture);
    SocialOrgGuards {
        org_type: OrgType::of_item(&item.slug),
        decided_at,
        facts: stored.facts.clone(),
        filed_on: shanghai_date(case.submitted_at.unwrap_or(now)),
        applicant_name: stored.applicant_snapshot.as_ref().map(|(name, _)| name.clone()).unwrap_or_default(),
    }
}

impl SocialOrgGuards {
    fn registration(&self) -> Result<conditions::RegistrationFacts, Refusal> {
        let org_type = self.org_type.ok_or_else(|| {
            Refusal::new("social_org_type_unknown", "本事项不是社会团体、民办非企业单位或基金会的登记")
        })?;
        read_facts::registration(org_type, &self.facts, self.decided_at)
    }

    /// The check behind the guard `name` (the engine's hook).
    pub(crate) fn check(&self, name: &str) -> Result<(), Refusal> {
        match name {
            rules::GUARD_CONDITIONS => conditions::check_conditions(&self.registration()?),
            rules::GUARD_SPONSOR => conditions::check_sponsor(&self.registration()?),
            rules::GUARD_LIQUIDATED => {
                read_facts::check_liquidated(read_facts::date(&self.facts, "liquidation_completed_on"), self.filed_on)
            }
            _ => Ok(()),
        }
    }

    /// Registers directly: the sponsor's step is passed over.
    pub(crate) fn is_direct(&self) -> bool {
        self.registration().is_ok_and(|r| r.is_direct())
    }
}

/// The skip hook for a direct registration: the sponsor's step only.
pub(crate) fn skip_sponsor_step(step: &StepDef, _: &Case) -> bool {
    step.id == rules::SPONSOR_STEP
}

/// What an act on a social organization item writes besides the case.
pub(crate) enum SocialOrgEffect {
    Register(Box<NewOrg>),
    Change(Change),
    Deregister(Deregistration),
}

fn text(facts: &Facts, id: &str) -> String {
    match facts.get(id) {
        Some(FactValue::Text(s) | FactValue::Choice(s)) => s.clone(),
        Some(FactValue::List(items)) => items.join("；"),
        _ => String::new(),
    }
}

/// The effects the step completed by `action` names, when it grants.
pub(crate) fn effects(
    item: &ServiceItem,
    guards: &SocialOrgGuards,
    before: &Case,
    after: &Case,
    action: &Action,
) -> Result<Vec<SocialOrgEffect>, Refusal> {
    let Action::Decide { grant: true, .. } = action else { return Ok(Vec::new()) };
    let Some(step) = before.step.as_deref().and_then(|s| item.procedure.step(s)) else { return Ok(Vec::new()) };
    let on = after.decision.as_ref().map_or(guards.filed_on, |d| shanghai_date(d.at));
    let mut out = Vec::new();
    for effect in &step.effects {
        match effect.as_str() {
            rules::EFFECT_REGISTER => {
                let registration = guards.registration()?;
                let f = &guards.facts;
                let premises = match f.get("premises_division") {
                    Some(FactValue::Division(code)) => code.clone(),
                    _ => after.competent.to_string(),
                };
                let purpose = [text(f, "purpose"), text(f, "business_scope"), text(f, "purpose_and_scope")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("；");
                out.push(SocialOrgEffect::Register(Box::new(NewOrg {
                    org_type: registration.org_type,
                    level: registration.level.as_str().into(),
                    category: registration.category.map(|c| c.as_str().to_string()),
                    sponsor: if registration.is_direct() { None } else { registration.sponsor.clone() },
                    // The office that decided is the registration authority; its code's region is
                    // the credit code's (GB 32100-2015).
                    authority_division: after
                        .decision
                        .as_ref()
                        .map_or_else(|| after.competent.to_string(), |d| d.division.to_string()),
                    premises_division: premises,
                    registered_on: on,
                    // 0: an organization applied, no person named.
                    legal_rep_person: (after.applicant != 0).then_some(after.applicant),
                    case_id: Some(after.id),
                    version: NewVersion {
                        valid_from: on,
                        change_kind: "establish".into(),
                        name: text(f, "name"),
                        address: text(f, "address"),
                        legal_rep_name: guards.applicant_name.clone(),
                        funds_fen: registration.funds_fen,
                        individual_members: i64::from(registration.individual_members),
                        unit_members: i64::from(registration.unit_members),
                        purpose,
                    },
                })));
            }
            rules::EFFECT_CHANGE => {
                let kind = text(&guards.facts, "changed_item");
                if let (Some(FactValue::Organization(org)), false) = (guards.facts.get("organization"), kind.is_empty())
                {
                    let new_value = text(&guards.facts, "new_value").trim().to_string();
                    if kind != "other" && new_value.is_empty() {
                        return Err(Refusal::new(
                            "social_org_new_value_required",
                            "请填写变更后的名称、住所或法定代表人姓名",
                        ));
                    }
                    out.push(SocialOrgEffect::Change(Change {
                        credit_code: org.credit_code.clone(),
                        on,
                        case_id: after.id,
                        kind,
                        new_value,
                    }));
                }
            }
            rules::EFFECT_DEREGISTER => {
                if let Some(FactValue::Organization(org)) = guards.facts.get("organization") {
                    out.push(SocialOrgEffect::Deregister(Deregistration {
                        credit_code: org.credit_code.clone(),
                        on,
                        case_id: after.id,
                    }));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

impl SocialOrgEffect {
    pub(crate) fn store(&self) -> store::verticals::Effect {
        match self {
            SocialOrgEffect::Register(org) => store::verticals::Effect::SocialOrgRegistration(org.clone()),
            SocialOrgEffect::Deregister(d) => store::verticals::Effect::SocialOrgDeregistration(d.clone()),
            SocialOrgEffect::Change(c) => store::verticals::Effect::SocialOrgChange(c.clone()),
        }
    }

    /// The register's event, on the case's stream, naming what the store produced.
    pub(crate) fn events(&self, case: &Case, actor: &str, output: &EffectOutput) -> Vec<EventDraft> {
        let stream = format!("case:{}", case.id);
        match self {
            SocialOrgEffect::Register(org) => {
                let Some((id, code)) = store::verticals::social_organization::registered_code(output) else {
                    return Vec::new();
                };
                vec![EventDraft::new(
                    stream,
                    actor,
                    "social_org.registered",
                    json!({"org_id": id, "credit_code": code, "name": org.version.name, "org_type": org.org_type.as_str()}),
                )
                .in_division(case.competent.as_str())]
            }
            SocialOrgEffect::Change(c) => {
                let id = output.produced.iter().find_map(|p| match p {
                    Produced::SocialOrgChange { id } => Some(*id),
                    _ => None,
                });
                vec![EventDraft::new(
                    stream,
                    actor,
                    "social_org.changed",
                    json!({"org_id": id.flatten(), "credit_code": c.credit_code, "changed": c.kind, "on": c.on.to_string()}),
                )
                .in_division(case.competent.as_str())]
            }
            SocialOrgEffect::Deregister(d) => {
                let id = output.produced.iter().find_map(|p| match p {
                    Produced::SocialOrgDeregistration { id } => Some(*id),
                    _ => None,
                });
                vec![EventDraft::new(
                    stream,
                    actor,
                    "social_org.deregistered",
                    json!({"org_id": id.flatten(), "credit_code": d.credit_code, "on": d.on.to_string()}),
                )
                .in_division(case.competent.as_str())]
            }
        }
    }
}
