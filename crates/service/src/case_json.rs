//! The `cases.state` column: the engine's [`Case`] as JSON, converted by hand (domain types
//! derive no wire format). Private DTOs mirror the state field by field; instants are RFC 3339
//! with every fractional digit (an exact round trip), enums their `as_str` names.
//!
//! Besides the case the state keeps `submitted_by`, the account that submitted it: a citizen's
//! own matters are the ones they submitted (accounts are not linked to person records yet).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use domain::division::DivisionCode;
use domain::engine::action::{DeliveryMethod, SpecialKind};
use domain::engine::case::{
    Authority, Case, CaseStatus, Channel, CrossRegion, Decision, Delivery, Extension, Outcome, Pause,
};
use domain::engine::receipt::{Receipt, ReceiptChannel};
use domain::form::Facts;
use domain::procedure::PauseKind;
use serde::{Deserialize, Serialize};

/// The stored state: the case and who submitted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    pub case: Case,
    /// The submitting account; `None` for a case the system made.
    pub submitted_by: Option<i64>,
    /// The applicant as the application named them: (name, masked ID number). Shown with the
    /// case without reading the person record on every act.
    pub applicant_snapshot: Option<(String, String)>,
    /// The applicant's record when it was on file before the application (its division, and
    /// whether the name typed differed): who may read persons there sees the record's id and the
    /// mismatch with the case; anyone else sees only what was typed. `None`: registered with the
    /// application, or a state written before this was kept.
    pub applicant_on_file: Option<ApplicantOnFile>,
    /// The organization that applies (`organizations.id`), when a legal person or other
    /// organization does: the case's `applicant` is then 0 and the snapshot holds the
    /// organization's name and 统一社会信用代码 (a public identifier, kept whole).
    pub applicant_organization: Option<i64>,
    /// The application form's data as submitted (`SubmitCase.data`), kept for the named guards
    /// (a second party, a signed declaration, a 居住证); `Null` when empty.
    pub form: serde_json::Value,
    /// The facts the application states, as the item's declared form (`[[form]]`) parsed them:
    /// typed, a person as a reference to the record (never an ID number in clear).
    pub facts: Facts,
    /// The facts the decision stated by its outcome's own form (`form` of the outcome the
    /// decide act named), parsed by the same parser; empty before a decision, or when its
    /// outcome declares none.
    pub decided: Facts,
}

/// See [`Stored::applicant_on_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantOnFile {
    pub division: String,
    pub name_differs: bool,
}

/// Why a stored state could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StateError(pub String);

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "case state: {}", self.0)
    }
}

/// The layout version written into every state.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateDto {
    format: u32,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    form: serde_json::Value,
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    facts: Facts,
    /// See [`Stored::decided`].
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    decided: Facts,
    id: i64,
    number: String,
    item_slug: String,
    item_version: u32,
    channel: String,
    applicant: i64,
    submitted_by: Option<i64>,
    #[serde(default)]
    applicant_name: Option<String>,
    #[serde(default)]
    applicant_id_masked: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applicant_organization: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applicant_credit_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applicant_record_division: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    applicant_name_differs: bool,
    situation: Option<String>,
    materials: Vec<String>,
    accepting: String,
    competent: String,
    cross_region: String,
    status: String,
    /// For `paused`: the pause kind; for `closed`: the outcome.
    status_detail: Option<String>,
    step: Option<String>,
    submitted_at: Option<String>,
    accepted_at: Option<String>,
    closed_at: Option<String>,
    pauses: Vec<PauseDto>,
    extensions: Vec<ExtensionDto>,
    step_entered_at: String,
    missing: Vec<String>,
    assignee: Option<i64>,
    decision: Option<DecisionDto>,
    delivery: Option<DeliveryDto>,
    /// How and when the application was received (an item whose period runs from the receipt);
    /// absent otherwise, and in every state written before receipts were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    receipt: Option<ReceiptDto>,
    /// The last day to correct the one-time notice set (`YYYY-MM-DD`), for an item that declares
    /// the correction's own period; absent otherwise, and in every state written before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    correction_until: Option<String>,
    revision: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptDto {
    channel: String,
    /// `YYYY-MM-DD`.
    submitted_on: String,
    signed_on: Option<String>,
    confirmed_on: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PauseDto {
    kind: String,
    special: Option<String>,
    reason: String,
    start: String,
    end: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionDto {
    workdays: u32,
    reason: String,
    approver: String,
    at: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionDto {
    /// The item's outcome key (`[[outcomes]]`); absent in a state stored before outcomes were
    /// recorded, whose side's default applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    granted: bool,
    reasons: String,
    basis: String,
    /// The delegation document, when the decision was made under one; `None` = own power.
    delegated_by: Option<String>,
    division: String,
    by: String,
    at: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryDto {
    method: String,
    tracking: Option<String>,
    at: String,
}

const OUTCOMES: [Outcome; 6] = [
    Outcome::Granted,
    Outcome::Denied,
    Outcome::NotAccepted,
    Outcome::Withdrawn,
    Outcome::DeemedWithdrawn,
    Outcome::Terminated,
];

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, StateError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StateError(format!("instant {text:?}: {e}")))
}

fn parse_opt_instant(text: Option<&String>) -> Result<Option<DateTime<Utc>>, StateError> {
    text.map(|t| parse_instant(t)).transpose()
}

fn division(text: &str) -> Result<DivisionCode, StateError> {
    DivisionCode::parse(text).map_err(|_| StateError(format!("division {text:?}")))
}

fn bad(what: &str, value: &str) -> StateError {
    StateError(format!("{what} {value:?}"))
}

/// The status as (column value, detail).
pub(crate) fn status_parts(status: CaseStatus) -> (&'static str, Option<&'static str>) {
    match status {
        CaseStatus::Paused(kind) => ("paused", Some(kind.as_str())),
        CaseStatus::Closed(outcome) => ("closed", Some(outcome.as_str())),
        other => (other.as_str(), None),
    }
}

fn parse_status(status: &str, detail: Option<&str>) -> Result<CaseStatus, StateError> {
    Ok(match (status, detail) {
        ("draft", None) => CaseStatus::Draft,
        ("submitted", None) => CaseStatus::Submitted,
        ("awaiting_supplement", None) => CaseStatus::AwaitingSupplement,
        ("in_progress", None) => CaseStatus::InProgress,
        ("paused", Some(kind)) => CaseStatus::Paused(PauseKind::parse(kind).ok_or_else(|| bad("pause", kind))?),
        ("closed", Some(outcome)) => CaseStatus::Closed(
            OUTCOMES.into_iter().find(|o| o.as_str() == outcome).ok_or_else(|| bad("outcome", outcome))?,
        ),
        _ => return Err(bad("status", status)),
    })
}

/// The state's JSON text.
pub(crate) fn to_json(stored: &Stored) -> String {
    let case = &stored.case;
    let (status, status_detail) = status_parts(case.status);
    let dto = StateDto {
        format: FORMAT,
        form: stored.form.clone(),
        facts: stored.facts.clone(),
        decided: stored.decided.clone(),
        id: case.id,
        number: case.number.clone(),
        item_slug: case.item_slug.clone(),
        item_version: case.item_version,
        channel: case.channel.as_str().to_string(),
        applicant: case.applicant,
        submitted_by: stored.submitted_by,
        applicant_name: stored.applicant_snapshot.as_ref().map(|(name, _)| name.clone()),
        applicant_id_masked: stored
            .applicant_snapshot
            .as_ref()
            .filter(|_| stored.applicant_organization.is_none())
            .map(|(_, id)| id.clone()),
        applicant_organization: stored.applicant_organization,
        applicant_credit_code: stored
            .applicant_snapshot
            .as_ref()
            .filter(|_| stored.applicant_organization.is_some())
            .map(|(_, code)| code.clone()),
        applicant_record_division: stored.applicant_on_file.as_ref().map(|f| f.division.clone()),
        applicant_name_differs: stored.applicant_on_file.as_ref().is_some_and(|f| f.name_differs),
        situation: case.situation.clone(),
        materials: case.materials.clone(),
        accepting: case.accepting.to_string(),
        competent: case.competent.to_string(),
        cross_region: case.cross_region.as_str().to_string(),
        status: status.to_string(),
        status_detail: status_detail.map(str::to_string),
        step: case.step.clone(),
        submitted_at: case.submitted_at.map(instant),
        accepted_at: case.accepted_at.map(instant),
        closed_at: case.closed_at.map(instant),
        pauses: case
            .pauses
            .iter()
            .map(|p| PauseDto {
                kind: p.kind.as_str().to_string(),
                special: p.special.map(|s| s.as_str().to_string()),
                reason: p.reason.clone(),
                start: instant(p.start),
                end: p.end.map(instant),
            })
            .collect(),
        extensions: case
            .extensions
            .iter()
            .map(|e| ExtensionDto {
                workdays: e.workdays,
                reason: e.reason.clone(),
                approver: e.approver.clone(),
                at: instant(e.at),
            })
            .collect(),
        step_entered_at: instant(case.step_entered_at),
        missing: case.missing.clone(),
        assignee: case.assignee,
        decision: case.decision.as_ref().map(|d| DecisionDto {
            outcome: d.outcome.clone(),
            granted: d.granted,
            reasons: d.reasons.clone(),
            basis: d.basis.clone(),
            delegated_by: match &d.authority {
                Authority::Own => None,
                Authority::Delegated { document } => Some(document.clone()),
            },
            division: d.division.to_string(),
            by: d.by.clone(),
            at: instant(d.at),
        }),
        delivery: case.delivery.as_ref().map(|d| DeliveryDto {
            method: d.method.as_str().to_string(),
            tracking: d.tracking.clone(),
            at: instant(d.at),
        }),
        receipt: case.receipt.as_ref().map(|r| ReceiptDto {
            channel: r.channel.as_str().to_string(),
            submitted_on: r.submitted_on.to_string(),
            signed_on: r.signed_on.map(|d| d.to_string()),
            confirmed_on: r.confirmed_on.map(|d| d.to_string()),
        }),
        correction_until: case.correction_until.map(|d| d.to_string()),
        revision: case.revision,
    };
    // A struct of strings, numbers and vectors always serializes.
    serde_json::to_string(&dto).unwrap_or_default()
}

/// Reads a state back.
pub(crate) fn from_json(text: &str) -> Result<Stored, StateError> {
    let dto: StateDto = serde_json::from_str(text).map_err(|e| StateError(e.to_string()))?;
    if dto.format != FORMAT {
        return Err(StateError(format!("format {}", dto.format)));
    }
    let pauses = dto
        .pauses
        .iter()
        .map(|p| {
            Ok(Pause {
                kind: PauseKind::parse(&p.kind).ok_or_else(|| bad("pause kind", &p.kind))?,
                special: p
                    .special
                    .as_deref()
                    .map(|s| SpecialKind::parse(s).ok_or_else(|| bad("special kind", s)))
                    .transpose()?,
                reason: p.reason.clone(),
                start: parse_instant(&p.start)?,
                end: parse_opt_instant(p.end.as_ref())?,
            })
        })
        .collect::<Result<Vec<_>, StateError>>()?;
    let extensions = dto
        .extensions
        .iter()
        .map(|e| {
            Ok(Extension {
                workdays: e.workdays,
                reason: e.reason.clone(),
                approver: e.approver.clone(),
                at: parse_instant(&e.at)?,
            })
        })
        .collect::<Result<Vec<_>, StateError>>()?;
    let decision = dto
        .decision
        .as_ref()
        .map(|d| {
            Ok::<_, StateError>(Decision {
                outcome: d.outcome.clone(),
                granted: d.granted,
                reasons: d.reasons.clone(),
                basis: d.basis.clone(),
                authority: match &d.delegated_by {
                    None => Authority::Own,
                    Some(document) => Authority::Delegated { document: document.clone() },
                },
                division: division(&d.division)?,
                by: d.by.clone(),
                at: parse_instant(&d.at)?,
            })
        })
        .transpose()?;
    let delivery = dto
        .delivery
        .as_ref()
        .map(|d| {
            Ok::<_, StateError>(Delivery {
                method: DeliveryMethod::parse(&d.method).ok_or_else(|| bad("delivery method", &d.method))?,
                tracking: d.tracking.clone(),
                at: parse_instant(&d.at)?,
            })
        })
        .transpose()?;
    let receipt = dto
        .receipt
        .as_ref()
        .map(|r| {
            let date = |text: &str| text.parse::<NaiveDate>().map_err(|_| bad("receipt date", text));
            Ok::<_, StateError>(Receipt {
                channel: ReceiptChannel::parse(&r.channel).ok_or_else(|| bad("receipt channel", &r.channel))?,
                submitted_on: date(&r.submitted_on)?,
                signed_on: r.signed_on.as_deref().map(date).transpose()?,
                confirmed_on: r.confirmed_on.as_deref().map(date).transpose()?,
            })
        })
        .transpose()?;
    let case = Case {
        id: dto.id,
        number: dto.number,
        item_slug: dto.item_slug,
        item_version: dto.item_version,
        channel: Channel::parse(&dto.channel).ok_or_else(|| bad("channel", &dto.channel))?,
        applicant: dto.applicant,
        situation: dto.situation,
        materials: dto.materials,
        accepting: division(&dto.accepting)?,
        competent: division(&dto.competent)?,
        cross_region: CrossRegion::parse(&dto.cross_region).ok_or_else(|| bad("cross region", &dto.cross_region))?,
        status: parse_status(&dto.status, dto.status_detail.as_deref())?,
        step: dto.step,
        submitted_at: parse_opt_instant(dto.submitted_at.as_ref())?,
        accepted_at: parse_opt_instant(dto.accepted_at.as_ref())?,
        closed_at: parse_opt_instant(dto.closed_at.as_ref())?,
        pauses,
        extensions,
        step_entered_at: parse_instant(&dto.step_entered_at)?,
        missing: dto.missing,
        assignee: dto.assignee,
        decision,
        delivery,
        receipt,
        correction_until: dto
            .correction_until
            .as_deref()
            .map(|text| text.parse::<NaiveDate>().map_err(|_| bad("correction date", text)))
            .transpose()?,
        revision: dto.revision,
    };
    // A state written under an earlier masking rule is shown under today's.
    // An organization's code is public and kept whole.
    let identifier = match dto.applicant_credit_code {
        Some(code) => Some(code),
        None => dto.applicant_id_masked.map(|m| domain::idcard::mask_id_text(&m)),
    };
    let applicant_snapshot = dto.applicant_name.zip(identifier);
    let applicant_on_file = dto
        .applicant_record_division
        .map(|division| ApplicantOnFile { division, name_differs: dto.applicant_name_differs });
    Ok(Stored {
        case,
        submitted_by: dto.submitted_by,
        applicant_snapshot,
        applicant_on_file,
        applicant_organization: dto.applicant_organization,
        form: dto.form,
        facts: dto.facts,
        decided: dto.decided,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).expect("code")
    }

    fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
        Utc.timestamp_opt(1_622_509_200 + secs, nanos).single().expect("instant")
    }

    fn full_case() -> Case {
        Case {
            id: 42,
            number: "511702-2021-000042".into(),
            item_slug: "social-group-change-registration".into(),
            item_version: 1,
            channel: Channel::Online,
            applicant: 7,
            situation: Some("change_address".into()),
            materials: vec!["application".into(), "certificate".into()],
            accepting: code("511702"),
            competent: code("511703"),
            cross_region: CrossRegion::County,
            status: CaseStatus::Paused(PauseKind::Special),
            step: Some("review".into()),
            submitted_at: Some(at(0, 123_456_789)),
            accepted_at: Some(at(60, 1)),
            closed_at: None,
            pauses: vec![
                Pause {
                    kind: PauseKind::Supplement,
                    special: None,
                    reason: "一次性告知补正".into(),
                    start: at(10, 0),
                    end: Some(at(20, 0)),
                },
                Pause {
                    kind: PauseKind::Special,
                    special: Some(SpecialKind::ExpertReview),
                    reason: "专家评审\"引号\"".into(),
                    start: at(100, 5),
                    end: None,
                },
            ],
            extensions: vec![Extension {
                workdays: 10,
                reason: "情况复杂".into(),
                approver: "account:3:wangwu".into(),
                at: at(90, 0),
            }],
            step_entered_at: at(70, 999_999_999),
            missing: vec!["photo".into()],
            assignee: Some(5),
            decision: Some(Decision {
                outcome: Some("denied".into()),
                granted: false,
                reasons: "不符合条件".into(),
                basis: "《条例》第十条".into(),
                authority: Authority::Delegated { document: "通府发〔2021〕5号".into() },
                division: code("511702001"),
                by: "account:4:zhao".into(),
                at: at(95, 0),
            }),
            delivery: Some(Delivery { method: DeliveryMethod::Post, tracking: Some("SF123".into()), at: at(99, 0) }),
            receipt: Some(Receipt {
                channel: ReceiptChannel::Post,
                submitted_on: NaiveDate::from_ymd_opt(2021, 5, 28).expect("date"),
                signed_on: NaiveDate::from_ymd_opt(2021, 6, 1),
                confirmed_on: None,
            }),
            correction_until: NaiveDate::from_ymd_opt(2021, 6, 22),
            revision: 9,
        }
    }

    /// Facts of every kind that is kept, a person as a reference.
    fn sample_facts() -> Facts {
        use domain::form::{FactValue, OrganizationFact, PersonFact};
        let person = PersonFact {
            person_id: Some(3),
            name: "张三".into(),
            id_masked: "5117**************".into(),
            pending: None,
        };
        let organization = OrganizationFact {
            name: "某中心".into(),
            credit_code: "52511702MJ0001AB69".into(),
            representative: String::new(),
            division: "511702".into(),
        };
        Facts(
            [
                ("beds".to_string(), FactValue::Int(12)),
                ("funds".to_string(), FactValue::Money(3_000_050)),
                ("from".to_string(), FactValue::Date(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("date"))),
                ("scope".to_string(), FactValue::List(vec!["生活照料".into()])),
                ("who".to_string(), FactValue::Person(person)),
                ("operator".to_string(), FactValue::Organization(organization)),
            ]
            .into_iter()
            .collect(),
        )
    }

    #[test]
    fn every_field_round_trips() {
        let stored = Stored {
            case: full_case(),
            submitted_by: Some(11),
            applicant_snapshot: Some(("张三".into(), "5117**************".into())),
            applicant_on_file: Some(ApplicantOnFile { division: "511703".into(), name_differs: true }),
            applicant_organization: None,
            form: serde_json::json!({"other_party": 8, "declaration_signed": true}),
            facts: sample_facts(),
            decided: Facts::default(),
        };
        let text = to_json(&stored);
        assert_eq!(from_json(&text), Ok(stored));
        // The facts are typed: a value of the wrong type is a broken state.
        assert!(text.contains("{\"int\":12}"), "{text}");
        assert!(from_json(&text.replace("{\"int\":12}", "{\"int\":\"12\"}")).is_err());

        // Every status, and the defaults of a fresh draft.
        for status in [
            CaseStatus::Draft,
            CaseStatus::Submitted,
            CaseStatus::AwaitingSupplement,
            CaseStatus::InProgress,
            CaseStatus::Paused(PauseKind::Supplement),
            CaseStatus::Paused(PauseKind::Suspend),
        ]
        .into_iter()
        .chain(OUTCOMES.map(CaseStatus::Closed))
        {
            let mut case = full_case();
            case.status = status;
            case.decision = None;
            case.delivery = None;
            case.situation = None;
            let stored = Stored {
                case,
                submitted_by: None,
                applicant_snapshot: None,
                applicant_on_file: None,
                applicant_organization: None,
                form: serde_json::Value::Null,
                facts: Facts::default(),
                decided: Facts::default(),
            };
            assert_eq!(from_json(&to_json(&stored)), Ok(stored), "{status:?}");
        }
        let mut own = full_case();
        if let Some(decision) = own.decision.as_mut() {
            decision.authority = Authority::Own;
        }
        let stored = Stored {
            case: own,
            submitted_by: None,
            applicant_snapshot: None,
            applicant_on_file: None,
            applicant_organization: None,
            form: serde_json::Value::Null,
            facts: Facts::default(),
            decided: Facts::default(),
        };
        assert_eq!(from_json(&to_json(&stored)), Ok(stored));
    }

    #[test]
    fn broken_states_are_refused() {
        let good = to_json(&Stored {
            case: full_case(),
            submitted_by: None,
            applicant_snapshot: None,
            applicant_on_file: None,
            applicant_organization: None,
            form: serde_json::Value::Null,
            facts: Facts::default(),
            decided: Facts::default(),
        });
        assert!(from_json("{}").is_err());
        assert!(from_json("not json").is_err());
        for (from, to) in [
            ("\"channel\":\"online\"", "\"channel\":\"fax\""),
            ("\"status\":\"paused\"", "\"status\":\"frozen\""),
            ("\"status_detail\":\"special\"", "\"status_detail\":null"),
            ("\"format\":1", "\"format\":2"),
            ("\"accepting\":\"511702\"", "\"accepting\":\"51x\""),
            ("\"method\":\"post\"", "\"method\":\"pigeon\""),
            ("\"revision\":9", "\"revision\":9,\"extra\":1"),
        ] {
            assert!(good.contains(from), "{from}");
            let broken = good.replace(from, to);
            assert!(from_json(&broken).is_err(), "{to}");
        }
    }
}
