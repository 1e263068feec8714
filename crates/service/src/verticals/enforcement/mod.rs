//! 行政执法: the use cases. The register is kept by the heads; an enforcement officer files a
//! case (立案) and records the acts of the ordinary procedure; the legal reviewer records the
//! 法制审核; the heads the 集体讨论 and the decision. The rules are
//! `domain::verticals::enforcement`'s: this layer checks the caller's grants (jurisdiction: the
//! case's division), loads the register and the case, asks the domain whether the act is lawful
//! on the history and commits it with its events under the revision it read. A refused act is
//! itself recorded (`enforcement.refused`, with its code and basis) on the case's stream: the
//! full-process record (国办发〔2018〕118号) keeps what was tried, not only what passed.
//!
//! Access (`domain::access`, the 行政执法 block): the register is
//! [`Permission::ManageEnforcementOfficers`]; reading cases [`Permission::ReadEnforcement`];
//! 立案 and the officers' acts [`Permission::EnforceCases`]; 法制审核
//! [`Permission::ReviewEnforcement`]; 集体讨论 and the decision [`Permission::DecideEnforcement`];
//! the 事前公示 and 事后公示 reads are public.

pub mod bundle;
pub mod draws;
pub mod indicators;
pub mod openness;
pub mod stats;

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::attachment::check_attachment;
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::organization::{NewOrganization, OrganizationInput};
use domain::person::{mask_name, NewPerson, PersonInput};
use domain::problem::{text_field, FieldError};
use domain::verticals::enforcement::officer::date_field;
use domain::verticals::enforcement::procedure::check_filing;
use domain::verticals::enforcement::{
    self as rules, periods, Act, ActInput, CaseFile, Deadlines, Filing, NewOfficer, Officer, OfficerInput, Penalty,
    RecordSignature, Settings, Stage,
};
use serde_json::json;
use store::persons::Scope;
pub use store::verticals::enforcement::{Accountability, CaseFull, CaseRow, OfficerRow, Party};
use store::verticals::enforcement::{ActExtras, NewCase};
use store::StoreError;

use crate::persons::Elsewhere;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The raw input of 立案, from the form or the API.
#[derive(Debug, Clone, Default)]
pub struct FileInput {
    /// The enforcement body's division.
    pub division: String,
    /// The party: an organization (by its 统一社会信用代码) or a person (by ID number).
    pub organization: Option<OrganizationInput>,
    pub person: Option<PersonInput>,
    /// The suspected violation (案由).
    pub violation: String,
    pub filed_on: String,
    pub act_ended_on: String,
    pub harmful: bool,
    pub major: bool,
    pub officers: Vec<i64>,
}

/// An evidence file for a 笔录 or evidence act.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// A case with its stage and deadlines on the day read.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub full: CaseFull,
    pub file: CaseFile,
    pub stage: Stage,
    pub deadlines: Deadlines,
    pub today: NaiveDate,
}

/// A decision on the public page (事后公示, 行政处罚法 第四十八条).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub case_id: i64,
    pub division: String,
    /// An organization by name, a person masked.
    pub party: String,
    pub violation: String,
    pub penalty: Penalty,
    pub decided_on: NaiveDate,
    pub published_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

fn conflict(err: StoreError) -> ServiceError {
    match err {
        StoreError::Conflict(what) if what == "certificate_taken" => {
            ServiceError::new(ErrorKind::Conflict, "certificate_taken", "该执法证号已在执法人员名录中")
        }
        StoreError::Conflict(_) => ServiceError::new(
            ErrorKind::Conflict,
            "enforcement_conflict",
            "该案件已被他人办理或已变化，请刷新后按当前情况重新操作",
        ),
        StoreError::NotFound => ServiceError::not_found("行政处罚案件"),
        other => other.into(),
    }
}

/// The permission an act needs.
fn permission_for(act: &Act) -> Permission {
    match act {
        Act::Review { .. } => Permission::ReviewEnforcement,
        Act::Discussion { .. } | Act::Decide { .. } => Permission::DecideEnforcement,
        _ => Permission::EnforceCases,
    }
}

/// The free-text fields of an act, each checked as any text field (length, no control characters).
fn check_texts(act: &Act) -> Result<(), FieldError> {
    let fields: Vec<(&str, &str, usize)> = match act {
        Act::Record { title, .. } => vec![("title", title, 100)],
        Act::Recusal { reason, .. } => vec![("reason", reason, 500)],
        Act::Preserve { approved_by, .. } => vec![("approved_by", approved_by, 50)],
        Act::Statement { summary, .. } => vec![("summary", summary, 2000)],
        Act::Hearing { summary, signature, .. } => match signature {
            Some(RecordSignature::Refused { note }) => vec![("summary", summary, 2000), ("note", note, 500)],
            _ => vec![("summary", summary, 2000)],
        },
        Act::Review { note, .. } => vec![("note", note, 2000)],
        Act::Discussion { minutes, dissent, .. } => vec![("minutes", minutes, 5000), ("dissent", dissent, 2000)],
        Act::Decide { facts, basis, .. } => vec![("facts", facts, 5000), ("basis", basis, 1000)],
        Act::Revoked { reason, .. } | Act::Withdraw { reason, .. } => vec![("reason", reason, 1000)],
        _ => vec![],
    };
    for (field, value, max) in fields {
        text_field(field, value, max, false)?;
    }
    Ok(())
}

impl App {
    fn enforcement_settings(&self) -> Settings {
        Settings::default()
    }

    fn enforcement_file_of(full: &CaseFull) -> CaseFile {
        CaseFile { filing: full.case.filing.clone(), acts: full.acts.iter().map(|a| a.act.clone()).collect() }
    }

    fn enforcement_view_of(&self, full: CaseFull) -> ServiceResult<CaseView> {
        let file = App::enforcement_file_of(&full);
        let today = self.today();
        let deadlines = file
            .deadlines(&self.calendar(), &self.enforcement_settings(), today)
            .map_err(|e| ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string()))?;
        Ok(CaseView { stage: file.stage(), file, full, deadlines, today })
    }

    async fn enforcement_load(&self, actor: &Actor, id: i64, permission: Permission) -> ServiceResult<CaseFull> {
        let full = self.store.enforcement_case(id).await.map_err(conflict)?;
        let division = DivisionCode::parse(&full.case.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, permission, &division)?;
        Ok(full)
    }

    /// Adds an officer to the register (the heads of the body at `division`).
    pub async fn enforcement_add_officer(
        &self,
        actor: &Actor,
        division: &str,
        input: &OfficerInput,
        duties: &str,
    ) -> ServiceResult<i64> {
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::ManageEnforcementOfficers, &division)?;
        let officer = NewOfficer::parse(input).map_err(ServiceError::invalid)?;
        let duties = text_field("duties", duties, 500, false).map_err(|e| ServiceError::invalid(vec![e]))?;
        let payload = json!({
            "name": officer.name,
            "certificate_no": officer.certificate_no,
            "valid_until": officer.valid_until.to_string(),
            "legal_qualification": officer.legal_qualification,
        });
        let label = actor.label();
        let division_text = division.to_string();
        self.store
            .enforcement_add_officer(division.as_str(), &officer, &duties, self.now(), |_| {
                EventDraft::new(rules::REGISTER_STREAM, label, "enforcement.officer_added", payload)
                    .in_division(division_text)
            })
            .await
            .map_err(conflict)
    }

    /// Suspends (暂扣) or restores a credential.
    pub async fn enforcement_suspend_officer(&self, actor: &Actor, id: i64, suspended: bool) -> ServiceResult<()> {
        let row = self
            .store
            .enforcement_officers(None)
            .await?
            .into_iter()
            .find(|o| o.officer.id == id)
            .ok_or_else(|| ServiceError::not_found("执法人员"))?;
        let division = self.division("division", &row.division)?;
        self.authorize(actor, Permission::ManageEnforcementOfficers, &division)?;
        let event = EventDraft::new(
            rules::REGISTER_STREAM,
            actor.label(),
            "enforcement.officer_changed",
            json!({ "officer": id, "suspended": suspended }),
        )
        .in_division(row.division.clone());
        self.store.enforcement_set_suspended(id, suspended, self.now(), &event).await.map_err(conflict)
    }

    /// The register of the caller's jurisdiction.
    pub async fn enforcement_officers(&self, actor: &Actor) -> ServiceResult<Vec<OfficerRow>> {
        let scope = actor.scope(Permission::ReadEnforcement);
        if scope.is_empty() && !actor.may_somewhere(Permission::ManageEnforcementOfficers) {
            return Err(ServiceError::forbidden());
        }
        let mut codes = scope;
        codes.extend(actor.scope(Permission::ManageEnforcementOfficers));
        let store_scope = Scope(codes.iter().map(|c| c.to_string()).collect());
        let rows = self.store.enforcement_officers(Some(&store_scope)).await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                DivisionCode::parse(&r.division).is_ok_and(|d| {
                    actor.may(Permission::ReadEnforcement, &d, self.divisions())
                        || actor.may(Permission::ManageEnforcementOfficers, &d, self.divisions())
                })
            })
            .collect())
    }

    /// 事前公示 (118号): the officers of the body at `division` whose credential is valid today
    /// (name, 证号, area, duties); public.
    pub async fn enforcement_public_officers(&self, division: &str) -> ServiceResult<Vec<OfficerRow>> {
        let division = self.division("division", division)?;
        let today = self.today();
        let rows = self.store.enforcement_officers(Some(&Scope(vec![division.to_string()]))).await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                r.officer.credential_valid(today)
                    && DivisionCode::parse(&r.division).is_ok_and(|d| self.divisions().is_within(&d, &division))
            })
            .collect())
    }

    /// 立案 (行政处罚法 第五十四条): the limitation of 第三十六条 checked, two credentialed
    /// officers assigned (第四十二条), the party an organization by its 统一社会信用代码 or a
    /// person by ID number (the persons store).
    pub async fn enforcement_file(&self, actor: &Actor, input: &FileInput) -> ServiceResult<i64> {
        let division = self.division("division", &input.division)?;
        self.authorize(actor, Permission::EnforceCases, &division)?;
        let mut problems = Vec::new();
        let violation = text_field("violation", &input.violation, 200, true).map_err(|e| problems.push(e)).ok();
        let filed_on = if input.filed_on.trim().is_empty() {
            Some(self.today())
        } else {
            date_field("filed_on", &input.filed_on).map_err(|e| problems.push(e)).ok()
        };
        let act_ended_on = date_field("act_ended_on", &input.act_ended_on).map_err(|e| problems.push(e)).ok();
        let organization = match (&input.organization, &input.person) {
            (Some(org), None) => NewOrganization::parse(org, self.regions(), self.divisions())
                .map_err(|mut e| problems.append(&mut e))
                .ok(),
            (None, Some(_)) => None,
            _ => {
                problems.push(FieldError::new("party", "party_required", "当事人应为一个组织或者一名公民"));
                None
            }
        };
        let person = match &input.person {
            Some(p) if input.organization.is_none() => {
                NewPerson::parse(p, self.today(), self.regions(), self.divisions())
                    .map_err(|mut e| problems.append(&mut e))
                    .ok()
            }
            _ => None,
        };
        let (Some(violation), Some(filed_on), Some(act_ended_on), true) =
            (violation, filed_on, act_ended_on, problems.is_empty())
        else {
            return Err(ServiceError::invalid(problems));
        };
        let filing = Filing {
            filed_on,
            act_ended_on,
            harmful: input.harmful,
            major: input.major,
            party_is_person: person.is_some(),
            officers: {
                let mut ids = input.officers.clone();
                ids.sort_unstable();
                ids.dedup();
                ids
            },
        };
        check_filing(&filing, self.today()).map_err(|e| ServiceError::invalid(vec![e]))?;
        let register = self.store.enforcement_officers(None).await?;
        let named: Vec<&Officer> = filing
            .officers
            .iter()
            .map(|id| {
                register.iter().find(|r| r.officer.id == *id).map(|r| &r.officer).ok_or_else(|| {
                    ServiceError::invalid(vec![FieldError::new(
                        "officers",
                        "officer_unknown",
                        "执法人员不在执法人员名录中",
                    )])
                })
            })
            .collect::<ServiceResult<_>>()?;
        rules::officer::check_officers(&named, filed_on, true, &[]).map_err(|e| ServiceError::invalid(vec![e]))?;
        let party = match (organization, person) {
            (Some(org), _) => {
                Party::Organization { name: org.name.clone(), uscc: org.credit_code.code.as_str().to_string() }
            }
            (None, Some(person)) => {
                let attached = self.attach_person(actor, &person, Elsewhere::Attach, "enforcement.file").await?;
                Party::Person { person_id: attached.id, name: person.name.clone() }
            }
            (None, None) => {
                return Err(ServiceError::invalid(vec![FieldError::new("party", "party_required", "缺少当事人")]))
            }
        };
        let case = NewCase {
            division: division.to_string(),
            party,
            violation,
            filing: filing.clone(),
            filed_by: actor.account_id,
        };
        let payload = json!({
            "filed_on": filed_on.to_string(),
            "officers": filing.officers,
            "major": filing.major,
            "limitation_ends": periods::limitation_end(act_ended_on, filing.harmful).map(|d| d.to_string()),
        });
        let label = actor.label();
        let division_text = division.to_string();
        self.store
            .enforcement_create_case(&case, self.now(), |id| {
                EventDraft::new(rules::stream(id), label, "enforcement.file", payload).in_division(division_text)
            })
            .await
            .map_err(conflict)
    }

    /// One case with its stage and deadlines today; the read is an event on the case's stream.
    pub async fn enforcement_case(&self, actor: &Actor, id: i64) -> ServiceResult<CaseView> {
        let full = self.enforcement_load(actor, id, Permission::ReadEnforcement).await?;
        let event = EventDraft::new(rules::stream(id), actor.label(), "enforcement.read", json!({}))
            .in_division(full.case.division.clone());
        self.store.record(&event, self.now()).await?;
        self.enforcement_view_of(full)
    }

    /// The cases of the caller's jurisdiction with their stages and deadlines.
    pub async fn enforcement_cases(&self, actor: &Actor) -> ServiceResult<Vec<CaseView>> {
        let scope = actor.scope(Permission::ReadEnforcement);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        let store_scope = Scope(scope.iter().map(|c| c.to_string()).collect());
        let mut out = Vec::new();
        for full in self.store.enforcement_cases(&store_scope).await? {
            let Ok(division) = DivisionCode::parse(&full.case.division) else { continue };
            if actor.may(Permission::ReadEnforcement, &division, self.divisions()) {
                out.push(self.enforcement_view_of(full)?);
            }
        }
        Ok(out)
    }

    /// Records an act on a case at the revision read. Refused acts are recorded too.
    pub async fn enforcement_act(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        act: Act,
        evidence: Option<Evidence<'_>>,
    ) -> ServiceResult<CaseView> {
        let full = self.enforcement_load(actor, id, permission_for(&act)).await?;
        if full.case.revision != revision {
            return Err(conflict(StoreError::Conflict("enforcement_revision".into())));
        }
        check_texts(&act).map_err(|e| ServiceError::invalid(vec![e]))?;
        let mut act = act;
        let checked = match (&mut act, evidence) {
            (Act::Record { evidence_sm3, .. }, Some(file)) => {
                let checked = check_attachment(file.file_name, "", file.bytes).map_err(ServiceError::invalid)?;
                *evidence_sm3 = Some(checked.hash.clone());
                Some((checked.hash, file.bytes))
            }
            (_, Some(_)) => {
                return Err(ServiceError::invalid(vec![FieldError::new(
                    "file",
                    "evidence_not_allowed",
                    "只有调查取证环节可以上传证据材料",
                )]))
            }
            (Act::Record { evidence_sm3, .. }, None) => {
                *evidence_sm3 = None;
                None
            }
            _ => None,
        };
        let file = App::enforcement_file_of(&full);
        let register: Vec<Officer> =
            self.store.enforcement_officers(None).await?.into_iter().map(|r| r.officer).collect();
        let label = actor.label();
        let division = full.case.division.clone();
        if let Err(problem) = file.check(&act, &register, &self.calendar(), &self.enforcement_settings(), self.today())
        {
            let event = EventDraft::new(
                rules::stream(id),
                label,
                "enforcement.refused",
                json!({ "act": act.kind(), "code": problem.code, "message": problem.message }),
            )
            .in_division(division);
            self.store.record(&event, self.now()).await?;
            return Err(ServiceError::invalid(vec![problem]));
        }
        let mut payload = serde_json::to_value(&act).map_err(|e| ServiceError::internal(e.to_string()))?;
        if let Some(obj) = payload.as_object_mut() {
            obj.remove("kind");
        }
        let mut events =
            vec![EventDraft::new(rules::stream(id), label.clone(), &format!("enforcement.{}", act.kind()), payload)
                .in_division(division.clone())];
        let mut extras = ActExtras { evidence: checked.as_ref().map(|(h, b)| (h.as_str(), *b)), accountability: None };
        if let Act::Revoked { on, by, reason } = &act {
            let officers = officers_of_record(&file);
            extras.accountability = Some(Accountability {
                case_id: id,
                opened_on: *on,
                officers: officers.clone(),
                reason: format!("处罚决定经{}被撤销：{}", by.name_zh(), reason),
            });
            events.push(
                EventDraft::new(
                    rules::stream(id),
                    label,
                    "enforcement.accountability",
                    json!({ "officers": officers, "opened_on": on.to_string() }),
                )
                .in_division(division),
            );
        }
        self.store
            .enforcement_add_act(id, revision, &act, extras, actor.account_id, self.now(), &events)
            .await
            .map_err(conflict)?;
        let full = self.store.enforcement_case(id).await.map_err(conflict)?;
        self.enforcement_view_of(full)
    }

    /// [`App::enforcement_act`] from the act as typed (the one parser, `ActInput::parse`).
    pub async fn enforcement_act_input(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        input: &ActInput,
        evidence: Option<Evidence<'_>>,
    ) -> ServiceResult<CaseView> {
        let act = input.parse().map_err(ServiceError::invalid)?;
        self.enforcement_act(actor, id, revision, act, evidence).await
    }

    /// An evidence file of a case, by its hash recorded in an act.
    pub async fn enforcement_evidence(&self, actor: &Actor, id: i64, hash: &str) -> ServiceResult<Vec<u8>> {
        let full = self.enforcement_load(actor, id, Permission::ReadEnforcement).await?;
        let recorded =
            full.acts.iter().any(|a| matches!(&a.act, Act::Record { evidence_sm3: Some(h), .. } if h == hash));
        if !recorded {
            return Err(ServiceError::not_found("证据材料"));
        }
        let bytes = self.store.enforcement_evidence(hash).await.map_err(conflict)?;
        // Every download of evidence is on the case's full-process record (国办发〔2018〕118号).
        let event =
            EventDraft::new(rules::stream(id), actor.label(), "enforcement.evidence_read", json!({ "sm3": hash }))
                .in_division(full.case.division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(bytes)
    }

    /// The full-process record of a case (its stream: every act, refusal, read and download, in
    /// order, with the SM3 chain).
    pub async fn enforcement_record(&self, actor: &Actor, id: i64) -> ServiceResult<Vec<domain::audit::Event>> {
        self.enforcement_load(actor, id, Permission::ReadEnforcement).await?;
        Ok(self.store.stream_events(&rules::stream(id)).await?)
    }

    /// The register as a case's pages and documents name its officers (every division: a case
    /// names officers by their register ids).
    pub async fn enforcement_register(&self, actor: &Actor, id: i64) -> ServiceResult<Vec<OfficerRow>> {
        self.enforcement_load(actor, id, Permission::ReadEnforcement).await?;
        Ok(self.store.enforcement_officers(None).await?)
    }

    /// Whether the caller may record the officers' acts on a case (asked before an upload's body
    /// is read).
    pub async fn enforcement_check_may_act(&self, actor: &Actor, id: i64) -> ServiceResult<()> {
        // A caller who may act on enforcement cases nowhere is refused before any lookup.
        if !actor.may_somewhere(Permission::EnforceCases) {
            return Err(ServiceError::forbidden());
        }
        self.enforcement_load(actor, id, Permission::EnforceCases).await.map(|_| ())
    }

    /// The check code printed beside a case's number on its documents.
    pub fn enforcement_check_code(&self, number: &str) -> String {
        self.check_code("enforcement_case", number)
    }

    /// The public verification of a document: the case behind `number` if `check` matches, with
    /// the register (for the officers' names), else not found (a wrong code tells nothing).
    pub async fn enforcement_verify(&self, number: &str, check: &str) -> ServiceResult<(CaseView, Vec<OfficerRow>)> {
        let not_matched = || ServiceError::not_found("行政处罚案件");
        let number = number.trim();
        let expected = self.enforcement_check_code(number);
        let presented = check.trim().to_ascii_lowercase();
        let equal = presented.len() == expected.len()
            && presented.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if !equal {
            return Err(not_matched());
        }
        self.enforcement_by_number(number).await
    }

    /// 事后公示 (行政处罚法 第四十八条): the decisions published by the body at `division` and
    /// neither withdrawn nor past the publication period; public.
    pub async fn enforcement_publications(&self, division: &str) -> ServiceResult<Vec<Publication>> {
        let division = self.division("division", division)?;
        let today = self.today();
        let mut out = Vec::new();
        for full in self.store.enforcement_cases(&Scope(vec![division.to_string()])).await? {
            let Ok(code) = DivisionCode::parse(&full.case.division) else { continue };
            if !self.divisions().is_within(&code, &division) {
                continue;
            }
            let file = App::enforcement_file_of(&full);
            let published = file.acts.iter().find_map(|a| match a {
                Act::Publish { on } => Some(*on),
                _ => None,
            });
            let withdrawn = file.acts.iter().any(|a| matches!(a, Act::Withdraw { .. }));
            let (Some(published_on), Some((decided_on, penalty)), false) = (published, file.decision(), withdrawn)
            else {
                continue;
            };
            let is_person = matches!(full.case.party, Party::Person { .. });
            let ends_on = periods::publication_ends(published_on, is_person);
            if ends_on.is_some_and(|end| today > end) {
                continue;
            }
            let party = match &full.case.party {
                Party::Organization { name, .. } => name.clone(),
                Party::Person { name, .. } => mask_name(name),
            };
            out.push(Publication {
                case_id: full.case.id,
                division: full.case.division.clone(),
                party,
                violation: full.case.violation.clone(),
                penalty,
                decided_on,
                published_on,
                ends_on,
            });
        }
        Ok(out)
    }
}

/// A case's number on its documents: the body's division, the year of 立案 and the case's id
/// (`511702-2021-000007`), the shape `document_number` reads.
pub fn case_number(case: &CaseRow) -> String {
    use chrono::Datelike;
    format!("{}-{}-{:06}", case.division, case.filing.filed_on.year(), case.id)
}

/// The officers of record of a case (过错责任追究, 118号): who investigated, told the party and
/// served the decision.
pub fn officers_of_record(file: &CaseFile) -> Vec<i64> {
    let mut ids = file.investigators();
    for act in &file.acts {
        ids.extend(act.officers());
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}
