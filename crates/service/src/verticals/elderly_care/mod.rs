//! 养老机构备案 under 承诺制 and the institutions' register: the filing's effect on the act path
//! (the institution enters the register when the 备案回执 is produced, in the act's one
//! transaction), and the register's use cases: an institution and its versions, the changes
//! filed after, the post-filing on-site inspection, the inspections due, the figures and the
//! public list.
//!
//! Access: the register holds no personal record, but it is the bureau's working file: reading
//! it is [`Permission::ReadPerson`] at the premises' division, filing a change or recording an
//! inspection is [`Permission::WritePerson`] there (as every record a window keeps), the figures
//! are [`Permission::ReadServiceStats`]. The public list shows what the institutions publish
//! (name, address, beds, type) to anyone.

pub mod openness;

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::catalog::ServiceItem;
use domain::division::DivisionCode;
use domain::engine::case::{Case, CaseStatus, Outcome};
use domain::form::Facts;
use domain::verticals::elderly_care::institution::{current_value, InspectionInput};
use domain::verticals::elderly_care::stats::StatRow;
use domain::verticals::elderly_care::{
    self as rules, Change, ChangeInput, Inspection, InspectionState, Institution, Stats, StatusChange, StatusInput,
    CHANGE_FILING, EFFECTS,
};
use serde_json::json;
use store::persons::Scope;
use store::verticals::elderly_care::{InstitutionFull, InstitutionRow, NewFiling};
use store::verticals::EffectOutput;
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// What the filing act knows of its case before the engine runs: the facts it states and the
/// window that accepted it.
pub(crate) struct FilingFacts {
    pub facts: Facts,
}

/// The index in the procedure of the step that enters the register, if the item has one.
fn register_step(item: &ServiceItem) -> Option<usize> {
    item.procedure.steps.iter().position(|s| s.effects.iter().any(|e| EFFECTS.contains(&e.as_str())))
}

/// How far a case is through the procedure: the index of its step, past the end once closed
/// granted, nowhere when closed otherwise.
fn progress(item: &ServiceItem, case: &Case) -> Option<usize> {
    match case.status {
        CaseStatus::Closed(Outcome::Granted) => Some(item.procedure.steps.len()),
        CaseStatus::Closed(_) | CaseStatus::Draft => None,
        _ => case.step.as_deref().and_then(|id| item.procedure.steps.iter().position(|s| s.id == id)),
    }
}

/// The institution the act from `before` to `after` enters in the register: when it completes
/// the step declaring the register's effect (the 备案回执 produced, or everything on the spot).
/// The filing must describe a whole institution, its commitment given (承诺制); otherwise the
/// act is refused with guidance naming what to complete, and nothing is written.
pub(crate) fn filing_effect(
    app: &App,
    item: &ServiceItem,
    filing: &FilingFacts,
    before: &Case,
    after: &Case,
) -> ServiceResult<Option<NewFiling>> {
    let Some(step) = register_step(item) else { return Ok(None) };
    let (Some(from), Some(to)) = (progress(item, before), progress(item, after)) else { return Ok(None) };
    if !(from <= step && step < to) {
        return Ok(None);
    }
    let brought = before.materials.iter().any(|m| m == "commitment");
    let institution = Institution::from_filing(&filing.facts, &after.competent, brought).map_err(|problems| {
        let mut err = ServiceError::invalid(problems);
        err.message = format!("备案材料尚需补齐（不作不予备案决定）：{}", err.message);
        err
    })?;
    Ok(Some(NewFiling {
        case_id: after.id,
        accepting: after.accepting.to_string(),
        filed_on: app.today(),
        institution,
    }))
}

/// The event of the institution's entry in the register, on its own stream.
pub(crate) fn filing_events(filing: &NewFiling, actor: &str, output: &EffectOutput) -> Vec<EventDraft> {
    let Some(id) = store::verticals::elderly_care::institution_of(output) else { return Vec::new() };
    let i = &filing.institution;
    vec![EventDraft::new(
        rules::stream(id),
        actor,
        "elderly_care.filed",
        json!({ "case_id": filing.case_id, "institution_id": id, "name": i.name, "beds": i.beds,
                "accepting": filing.accepting, "filed_on": filing.filed_on.to_string() }),
    )
    .in_division(i.premises_division.to_string())]
}

/// An institution as a page shows it: the register's row, its versions and inspections, and
/// where its post-filing inspection stands today.
#[derive(Debug, Clone)]
pub struct InstitutionView {
    pub full: InstitutionFull,
    pub inspection: InspectionState,
    /// Per version after the filing: whether the change was filed after its period.
    pub late_changes: Vec<bool>,
}

/// One line of the register.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    pub row: InstitutionRow,
    pub inspection: InspectionState,
}

/// One line of the public list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicEntry {
    pub name: String,
    pub division: String,
    pub address: String,
    pub beds: i64,
    pub institution_type: &'static str,
    pub filed_on: NaiveDate,
}

fn conflict(err: StoreError) -> ServiceError {
    match err {
        StoreError::NotFound => ServiceError::not_found("养老机构"),
        StoreError::Conflict(what) if what == "elderly_care_revision" => ServiceError::new(
            ErrorKind::Conflict,
            "elderly_care_conflict",
            "该养老机构的档案刚被他人更新，请刷新后按最新内容办理",
        ),
        other => other.into(),
    }
}

impl App {
    fn elderly_care_state(&self, filed_on: NaiveDate, first_done: Option<NaiveDate>) -> ServiceResult<InspectionState> {
        InspectionState::of(filed_on, first_done, self.today(), &self.calendar())
            .map_err(|e| ServiceError::new(ErrorKind::Invalid, "calendar_no_data", e.to_string()))
    }

    async fn elderly_care_load(
        &self,
        actor: &Actor,
        id: i64,
        permission: Permission,
    ) -> ServiceResult<InstitutionFull> {
        if !actor.may_somewhere(permission) {
            return Err(ServiceError::forbidden());
        }
        let full = self.store.elderly_care_institution(id).await.map_err(conflict)?;
        self.authorize(actor, permission, &full.row.institution.premises_division)?;
        Ok(full)
    }

    fn elderly_care_view(&self, full: InstitutionFull) -> ServiceResult<InstitutionView> {
        let first = full.inspections.iter().map(|i| i.done_on).min();
        let inspection = self.elderly_care_state(full.row.filed_on, first)?;
        let calendar = self.calendar();
        let late_changes = full
            .versions
            .iter()
            .map(|v| {
                v.change_field.is_some() && CHANGE_FILING.late(v.changed_on, v.filed_on, &calendar).unwrap_or(false)
            })
            .collect();
        Ok(InstitutionView { full, inspection, late_changes })
    }

    /// One institution, its versions and inspections.
    pub async fn elderly_care_institution(&self, actor: &Actor, id: i64) -> ServiceResult<InstitutionView> {
        let full = self.elderly_care_load(actor, id, Permission::ReadPerson).await?;
        self.elderly_care_view(full)
    }

    /// The institution a filing case entered, for the case's 备案回执 (the caller has read the case).
    pub async fn elderly_care_of_case(&self, case_id: i64) -> ServiceResult<Option<InstitutionRow>> {
        Ok(self.store.elderly_care_institution_of_case(case_id).await?)
    }

    /// The register of the caller's jurisdiction, with each institution's inspection today.
    pub async fn elderly_care_register(&self, actor: &Actor) -> ServiceResult<Vec<RegisterEntry>> {
        if !actor.may_somewhere(Permission::ReadPerson) {
            return Err(ServiceError::forbidden());
        }
        let scope = Scope(actor.scope(Permission::ReadPerson).iter().map(|c| c.to_string()).collect());
        let rows = self.store.elderly_care_institutions(Some(&scope)).await?;
        let mut out = Vec::new();
        for (row, first) in rows {
            if !actor.may(Permission::ReadPerson, &row.institution.premises_division, self.divisions()) {
                continue;
            }
            let inspection = self.elderly_care_state(row.filed_on, first)?;
            out.push(RegisterEntry { row, inspection });
        }
        Ok(out)
    }

    /// The inspections still to do, the overdue first, then by their last day.
    pub async fn elderly_care_due(&self, actor: &Actor) -> ServiceResult<Vec<RegisterEntry>> {
        let mut due: Vec<RegisterEntry> = self
            .elderly_care_register(actor)
            .await?
            .into_iter()
            .filter(|e| !matches!(e.inspection, InspectionState::Done { .. }))
            .collect();
        due.sort_by_key(|e| match e.inspection {
            InspectionState::Overdue { due } => (0, due),
            InspectionState::Due { due } => (1, due),
            InspectionState::Done { on, .. } => (2, on),
        });
        Ok(due)
    }

    /// A change of a filed matter (name, legal representative, premises, beds, area), filed
    /// today: the institution's new version and its event, at the revision read.
    pub async fn elderly_care_change(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        input: &ChangeInput,
    ) -> ServiceResult<InstitutionView> {
        let full = self.elderly_care_load(actor, id, Permission::WritePerson).await?;
        let current = &full.row.institution;
        let change = Change::parse(input, current, self.today(), self.divisions()).map_err(ServiceError::invalid)?;
        if change.changed_on < full.row.filed_on {
            return Err(ServiceError::invalid(vec![domain::problem::FieldError::new(
                "changed_on",
                "before_filing",
                "变更日期不能早于备案日期",
            )]));
        }
        if let Some(code) = &change.premises_division {
            // A move stays with the 民政 that holds the file, within its jurisdiction.
            self.authorize(actor, Permission::WritePerson, code).map_err(|e| e.with_field("premises_division"))?;
        }
        let next = change.apply(current);
        let event = EventDraft::new(
            rules::stream(id),
            actor.label(),
            "elderly_care.change",
            json!({ "field": change.field.as_str(), "from": current_value(current, change.field),
                    "to": change.value, "changed_on": change.changed_on.to_string() }),
        )
        .in_division(next.premises_division.to_string());
        self.store
            .file_elderly_care_change(id, revision, &change, &next, self.today(), actor.account_id, self.now(), &event)
            .await
            .map_err(conflict)?;
        self.elderly_care_institution(actor, id).await
    }

    /// An on-site inspection and what it found, at the revision read.
    pub async fn elderly_care_inspect(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        input: &InspectionInput,
    ) -> ServiceResult<InstitutionView> {
        let full = self.elderly_care_load(actor, id, Permission::WritePerson).await?;
        let inspection = Inspection::parse(input, full.row.filed_on, self.today()).map_err(ServiceError::invalid)?;
        let event = EventDraft::new(
            rules::stream(id),
            actor.label(),
            "elderly_care.inspection",
            json!({ "done_on": inspection.done_on.to_string(), "result": inspection.result.as_str() }),
        )
        .in_division(full.row.institution.premises_division.to_string());
        self.store
            .record_elderly_care_inspection(id, revision, &inspection, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict)?;
        self.elderly_care_institution(actor, id).await
    }

    /// A suspension, closure or resumption the institution reported, at the revision read: its
    /// status and the report (with the resettlement plan) in one transaction, and its event; a
    /// notice shorter than [`rules::NOTICE_BEFORE_STOP`] is recorded and flagged.
    pub async fn elderly_care_status(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        input: &StatusInput,
    ) -> ServiceResult<InstitutionView> {
        let full = self.elderly_care_load(actor, id, Permission::WritePerson).await?;
        let current = &full.row.institution;
        let change = StatusChange::parse(input, current.status, full.row.filed_on, self.today())
            .map_err(ServiceError::invalid)?;
        let event = EventDraft::new(
            rules::stream(id),
            actor.label(),
            "elderly_care.status",
            json!({ "act": change.act.as_str(), "from": current.status.as_str(), "to": change.act.to().as_str(),
                    "reported_on": change.reported_on.to_string(), "effective_on": change.effective_on.to_string(),
                    "residents": change.residents, "short_notice": change.short_notice() }),
        )
        .in_division(current.premises_division.to_string());
        self.store
            .record_elderly_care_status(id, revision, &change, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict)?;
        self.elderly_care_institution(actor, id).await
    }

    /// The figures of the caller's jurisdiction for filings in `year`: institutions and beds by
    /// county and type, filings, inspections done and overdue, from the register.
    pub async fn elderly_care_stats(&self, actor: &Actor, year: i32) -> ServiceResult<Stats> {
        if !actor.may_somewhere(Permission::ReadServiceStats) {
            return Err(ServiceError::forbidden());
        }
        let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return Err(ServiceError::new(ErrorKind::Invalid, "invalid_year", "年份不正确").with_field("year"));
        };
        let scope = Scope(actor.scope(Permission::ReadServiceStats).iter().map(|c| c.to_string()).collect());
        let mut rows = Vec::new();
        for (row, first) in self.store.elderly_care_institutions(Some(&scope)).await? {
            let division = &row.institution.premises_division;
            if !actor.may(Permission::ReadServiceStats, division, self.divisions()) {
                continue;
            }
            rows.push(StatRow {
                county: county_of(self, division),
                institution_type: row.institution.institution_type,
                beds: row.institution.beds,
                status: row.institution.status,
                filed_on: row.filed_on,
                inspection: self.elderly_care_state(row.filed_on, first)?,
            });
        }
        Ok(Stats::of(&rows, from, to))
    }

    /// The public list of filed institutions that serve (name, address, beds, type).
    pub async fn elderly_care_public(&self) -> ServiceResult<Vec<PublicEntry>> {
        let rows = self.store.elderly_care_institutions(None).await?;
        Ok(rows
            .into_iter()
            .filter(|(row, _)| row.institution.status == rules::Status::Operating)
            .map(|(row, _)| {
                let i = row.institution;
                PublicEntry {
                    division: self.divisions().full_name(&i.premises_division).unwrap_or_default(),
                    name: i.name,
                    address: i.address,
                    beds: i.beds,
                    institution_type: i.institution_type.name_zh(),
                    filed_on: row.filed_on,
                }
            })
            .collect())
    }
}

/// The county (区、县、县级市) a division belongs to, as its code; the division itself above.
fn county_of(app: &App, division: &DivisionCode) -> String {
    domain::engine::jurisdiction::ancestor_at(app.divisions(), division, domain::division::Level::County)
        .map(|d| d.code.to_string())
        .unwrap_or_else(|| division.to_string())
}
