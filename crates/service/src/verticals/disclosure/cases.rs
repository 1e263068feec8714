//! Requests as cases of the item `government-information-request`: what the area adds to the
//! engine's case. The decide act's effect records the answer (its type from the outcome the act
//! named, 政府信息公开条例第三十六条) in the area's table, in the act's transaction, so the annual
//! report counts it; the remedies (行政复议, 行政诉讼) are recorded against the answered case.

use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::engine::case::Case;
use domain::form::{FactValue, Facts};
use domain::problem::FieldError;
use domain::verticals::disclosure::{outcomes, AnswerKind, ApplicantKind, RemedyInput, RequestRecord, WithholdReason};
use serde_json::json;
use store::verticals::disclosure::cases::{CaseAnswer, CaseRemedy};
use store::verticals::EffectOutput;

use crate::{App, ServiceError, ServiceResult};

/// The item whose cases are requests.
pub const ITEM_SLUG: &str = "government-information-request";

/// A request case's answer and remedies, for its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub answer: Option<CaseAnswer>,
    pub remedies: Vec<CaseRemedy>,
}

/// The applicant's kind the request states (the form's `applicant_kind`); a person when unstated.
pub fn applicant_kind(facts: &Facts) -> ApplicantKind {
    match facts.get("applicant_kind") {
        Some(FactValue::Choice(value)) => ApplicantKind::parse(value).unwrap_or(ApplicantKind::NaturalPerson),
        _ => ApplicantKind::NaturalPerson,
    }
}

/// The answer a decision records: the outcome it named, else its side's default (予以公开 or
/// 其他处理, as the item declares).
fn answer_kind(item: &ServiceItem, case: &Case) -> Option<AnswerKind> {
    let decision = case.decision.as_ref()?;
    let fallback = if decision.granted { AnswerKind::Disclosed } else { AnswerKind::Other };
    Some(
        item.outcomes
            .of_decision(decision.outcome.as_deref(), decision.granted)
            .and_then(|o| outcomes::answer_kind(&o.key))
            .unwrap_or(fallback),
    )
}

/// The answer the act from `before` to `after` gives, if it is the decision, with what the decide
/// act stated by its outcome's form (`decided`): the withholding reason (第十四条至第十六条, the
/// annual report's row of a 不予公开) and whether the 第四十二条 fee is charged (stated so, or an
/// amount above zero).
pub(crate) fn answer_effect(item: &ServiceItem, before: &Case, after: &Case, decided: &Facts) -> Option<CaseAnswer> {
    if before.decision.is_some() {
        return None;
    }
    let decision = after.decision.as_ref()?;
    let withhold_reason = match decided.get(outcomes::REASON_FIELD) {
        Some(FactValue::Choice(value)) => WithholdReason::parse(value),
        _ => None,
    };
    let fee_charged = matches!(decided.get(outcomes::FEE_CHARGED_FIELD), Some(FactValue::Bool(true)))
        || matches!(decided.get(outcomes::FEE_AMOUNT_FIELD), Some(FactValue::Money(fen)) if *fen > 0);
    Some(CaseAnswer {
        case_id: after.id,
        division: after.competent.to_string(),
        kind: answer_kind(item, after)?,
        withhold_reason,
        fee_charged,
        answered_on: shanghai_date(decision.at),
    })
}

/// The answer's event on the case's stream, once the store wrote it.
pub(crate) fn answer_events(answer: &CaseAnswer, actor: &str, output: &EffectOutput) -> Vec<EventDraft> {
    let written = output
        .produced
        .iter()
        .any(|p| matches!(p, store::verticals::Produced::DisclosureAnswer { case_id } if *case_id == answer.case_id));
    if !written {
        return Vec::new();
    }
    vec![EventDraft::new(
        format!("case:{}", answer.case_id),
        actor,
        "disclosure.answer",
        json!({
            "case_id": answer.case_id,
            "kind": answer.kind.as_str(),
            "withhold_reason": answer.withhold_reason.map(|r| r.as_str()),
            "answered_on": answer.answered_on.to_string(),
            "fee_charged": answer.fee_charged,
        }),
    )
    .in_division(answer.division.clone())]
}

/// What the report reads of one case: the day of receipt (第三十一条, the case's receipt; the
/// day it was submitted when it has none), the applicant's kind and the answer.
pub(crate) fn record_of(case: &Case, facts: &Facts, answer: Option<&CaseAnswer>) -> RequestRecord {
    let received_on = case
        .receipt
        .as_ref()
        .and_then(|r| r.receipt_date().ok())
        .or(case.submitted_at.map(shanghai_date))
        .unwrap_or_else(|| shanghai_date(case.step_entered_at));
    RequestRecord {
        applicant_kind: applicant_kind(facts),
        received_on,
        answer: answer.map(|a| (a.answered_on, a.kind, a.withhold_reason)),
    }
}

impl App {
    /// A request case's answer and remedies, for who may see the case.
    pub async fn disclosure_case_record(&self, actor: &Actor, case_id: i64) -> ServiceResult<CaseRecord> {
        let (_, stored, _) = self.case_for(actor, case_id, false).await?;
        if stored.case.item_slug != ITEM_SLUG {
            return Err(ServiceError::not_found("政府信息公开申请"));
        }
        let (answer, remedies) = self.store.disclosure_case_record(case_id).await?;
        Ok(CaseRecord { answer, remedies })
    }

    /// Records a 行政复议 or 行政诉讼 against an answered request case, or the result of one
    /// already recorded (`remedy_id`), with its event on the case's stream.
    pub async fn disclosure_case_remedy(
        &self,
        actor: &Actor,
        case_id: i64,
        remedy_id: Option<i64>,
        input: &RemedyInput,
    ) -> ServiceResult<CaseRecord> {
        let (_, stored, _) = self.case_for(actor, case_id, false).await?;
        self.authorize(actor, Permission::WritePerson, &stored.case.competent)?;
        if stored.case.item_slug != ITEM_SLUG {
            return Err(ServiceError::not_found("政府信息公开申请"));
        }
        let (remedy, note) = input.parse().map_err(ServiceError::invalid)?;
        let (answer, remedies) = self.store.disclosure_case_record(case_id).await?;
        let Some(answer) = answer else {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "",
                "not_answered",
                "申请尚未答复，不能记录行政复议、行政诉讼",
            )]));
        };
        if remedy.filed_on < answer.answered_on || remedy.filed_on > self.today() {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "filed_on",
                "filed_on_range",
                "提起日期应在答复之日至今天之间",
            )]));
        }
        if let Some(rid) = remedy_id {
            match remedies.iter().find(|r| r.id == rid) {
                Some(existing) if existing.kind == remedy.kind && existing.filed_on == remedy.filed_on => {}
                Some(_) => {
                    return Err(ServiceError::invalid(vec![FieldError::new(
                        "kind",
                        "remedy_mismatch",
                        "更新结果时，类型和提起日期应与原记录一致",
                    )]))
                }
                None => return Err(ServiceError::not_found("行政复议、行政诉讼记录")),
            }
        }
        let row = CaseRemedy {
            id: remedy_id.unwrap_or(0),
            case_id,
            kind: remedy.kind,
            result: remedy.result,
            filed_on: remedy.filed_on,
            note,
        };
        let event = EventDraft::new(
            format!("case:{case_id}"),
            actor.label(),
            "disclosure.remedy",
            json!({
                "kind": row.kind.as_str(),
                "result": row.result.as_str(),
                "filed_on": row.filed_on.to_string(),
                "remedy_id": remedy_id,
            }),
        )
        .in_division(answer.division.clone());
        self.store.put_disclosure_case_remedy(remedy_id, &row, actor.account_id, self.now(), &event).await?;
        let (answer, remedies) = self.store.disclosure_case_record(case_id).await?;
        Ok(CaseRecord { answer, remedies })
    }
}
