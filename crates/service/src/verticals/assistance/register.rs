//! The separate register of applications by relatives of caseworkers or village cadres, and the
//! county's home visit such a case needs before it is decided. 社会救助暂行办法; 民发〔2021〕57号 (低保 step 1): "A
//! relative of a caseworker or village cadre must declare it, and the case is registered separately
//! (单独登记备案). The county must do a home visit for such cases" (《最低生活保障审核确认办法》
//! (民发〔2021〕57号), article [unconfirmed]). Design: docs/designs/assistance.md.

use chrono::NaiveDate;
use domain::access::{roles_for, Actor, Permission, Role};
use domain::assistance::Program;
use domain::audit::EventDraft;
use domain::division::{DivisionCode, Divisions, Level};
use domain::person::mask_name;
use domain::problem::FieldError;
use serde_json::json;
use store::assistance::HomeVisitRow;
use store::persons::Scope;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The basis named when a flagged case is decided without the county's visit.
/// (The article number within 民发〔2021〕57号 is unconfirmed, so none is cited.)
const HOME_VISIT_BASIS: &str =
    "《最低生活保障审核确认办法》（民发〔2021〕57号）：经办人员和村（居）委会干部近亲属申请的，\
单独登记备案，县级民政部门应当入户调查";

/// A home visit as entered.
#[derive(Debug, Clone, Default)]
pub struct HomeVisitInput {
    /// YYYY-MM-DD: not before the case was submitted, not after today.
    pub visited_on: String,
    /// What the visit found (required, at most 1000 characters).
    pub findings: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HomeVisitView {
    pub case_id: i64,
    pub visited_on: String,
    pub division: String,
    pub division_name: String,
    pub visitor: String,
    pub findings: String,
}

/// One line of the register (单独登记备案): person data masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterEntry {
    pub case_id: i64,
    /// The case's revision, for the home-visit form (sent back as `expected_revision`).
    pub revision: i64,
    pub case_number: String,
    pub household_id: i64,
    pub program: String,
    pub program_name: String,
    pub applicant_name_masked: String,
    pub applicant_id_masked: String,
    pub flag: String,
    pub registered_on: String,
    /// The date of the county's latest home visit, if any.
    pub visited_on: Option<String>,
}

/// Does the actor see the register at all (the navigation link)? The same test as the register's.
pub fn sees_relatives_register(actor: &Actor) -> bool {
    !county_grants(actor, Permission::ReadPerson).is_empty()
}

/// The county-level divisions (county and above) at which the actor holds `permission` with a
/// role other than the township officer's: the county 民政 staff the register and the visit are
/// for.
fn county_grants(actor: &Actor, permission: Permission) -> Vec<DivisionCode> {
    let roles = roles_for(permission);
    actor
        .grants
        .iter()
        .filter(|g| roles.contains(&g.role) && g.role != Role::TownshipOfficer)
        .filter(|g| Divisions::builtin().get(&g.division).is_some_and(|d| d.level <= Level::County))
        .map(|g| g.division.clone())
        .collect()
}

impl App {
    /// The register of flagged applications (单独登记备案) in the caller's jurisdiction, for the
    /// county's staff: applicant masked, the county's visit shown. Every line shown is a
    /// `person.read` event on the applicant's record (purpose `relatives_register`).
    pub async fn relatives_register(&self, actor: &Actor) -> ServiceResult<Vec<RegisterEntry>> {
        let grants = county_grants(actor, Permission::ReadPerson);
        if grants.is_empty() {
            return Err(ServiceError::forbidden());
        }
        let scope = Scope(grants.iter().map(|c| c.to_string()).collect());
        let mut out = Vec::new();
        for row in self.store.flagged_applications(&scope).await? {
            let (case_row, stored, _) = self.load_case(row.case_id).await?;
            let case = &stored.case;
            let person = self.store.person_summary(case.applicant).await?;
            let visits = self.store.home_visits(row.case_id).await?;
            let event = EventDraft::new(
                format!("person:{}", case.applicant),
                actor.label(),
                "person.read",
                json!({"purpose": "relatives_register", "case_id": row.case_id}),
            )
            .in_division(person.division.as_str());
            self.store.record(&event, self.now()).await?;
            out.push(RegisterEntry {
                case_id: row.case_id,
                revision: case_row.revision,
                case_number: case.number.clone(),
                household_id: row.household_id,
                program_name: Program::parse(&row.program).map(|p| p.name_zh().to_string()).unwrap_or_default(),
                program: row.program,
                applicant_name_masked: mask_name(&person.name),
                applicant_id_masked: person.id_number_masked,
                flag: row.relative_flag.unwrap_or_default(),
                registered_on: chrono::DateTime::from_timestamp_millis(row.created_at_ms)
                    .map(|t| domain::calendar::shanghai_date(t).to_string())
                    .unwrap_or_default(),
                visited_on: visits.last().map(|v| v.visited_on.clone()),
            });
        }
        Ok(out)
    }

    /// Records the county's home visit of an assistance case (`assistance.home_visit`). Only the
    /// county's staff (a grant at county level or above reaching the case's competent office, not
    /// the township officer's role) may record it.
    pub async fn record_home_visit(
        &self,
        actor: &Actor,
        case_id: i64,
        input: &HomeVisitInput,
    ) -> ServiceResult<HomeVisitView> {
        self.home_visit_write(actor, case_id, None, None, input).await
    }

    /// [`App::record_home_visit`] as a client sends it: at the revision it saw, with an optional
    /// idempotency key (the contract of acts, [`App::case_write`]).
    pub async fn record_home_visit_keyed(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_revision: i64,
        key: Option<&str>,
        input: &HomeVisitInput,
    ) -> ServiceResult<HomeVisitView> {
        self.home_visit_write(actor, case_id, Some(expected_revision), key, input).await
    }

    async fn home_visit_write(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_revision: Option<i64>,
        key: Option<&str>,
        input: &HomeVisitInput,
    ) -> ServiceResult<HomeVisitView> {
        let request = ("assistance_home_visit", format!("{input:?}"));
        self.case_write(actor, case_id, expected_revision, key, request, |w| self.put_home_visit_on(actor, w, input))
            .await
    }

    async fn put_home_visit_on(
        &self,
        actor: &Actor,
        w: crate::idempotency::CaseWrite<'_>,
        input: &HomeVisitInput,
    ) -> ServiceResult<HomeVisitView> {
        let case = &w.stored.case;
        let case_id = case.id;
        let visitor_division = county_grants(actor, Permission::WritePerson)
            .into_iter()
            .filter(|g| self.divisions().is_within(&case.competent, g))
            .max_by_key(|g| self.divisions().get(g).map(|d| d.level))
            .ok_or_else(|| {
                ServiceError::new(
                    ErrorKind::Forbidden,
                    "county_visit_only",
                    "入户调查须由本件管辖的县级民政部门工作人员登记",
                )
            })?;
        if self.store.application(case_id).await?.is_none() {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "assistance_application_missing",
                "本件尚未登记救助申请信息，不能登记入户调查",
            ));
        }
        let mut p = Vec::new();
        let submitted = case.submitted_at.map(domain::calendar::shanghai_date);
        let today = self.today();
        match NaiveDate::parse_from_str(input.visited_on.trim(), "%Y-%m-%d") {
            Err(_) => p.push(FieldError::new("visited_on", "invalid_date", "日期格式应为 YYYY-MM-DD")),
            Ok(d) if d > today => p.push(FieldError::new("visited_on", "date_in_future", "入户调查日期不能晚于今天")),
            Ok(d) if submitted.is_some_and(|s| d < s) => {
                p.push(FieldError::new("visited_on", "before_application", "入户调查日期不能早于本件申请日期"))
            }
            Ok(_) => {}
        }
        let findings = input.findings.trim();
        if findings.is_empty() {
            p.push(FieldError::new("findings", "findings_required", "请填写入户调查情况"));
        } else if findings.chars().count() > 1000 {
            p.push(FieldError::new("findings", "findings_too_long", "入户调查情况不能超过1000字"));
        }
        if !p.is_empty() {
            return Err(ServiceError::invalid(p));
        }
        let row = HomeVisitRow {
            case_id,
            visited_on: input.visited_on.trim().to_string(),
            division: visitor_division.to_string(),
            visitor: actor.label(),
            findings: findings.to_string(),
        };
        let event = EventDraft::new(
            format!("case:{case_id}"),
            actor.label(),
            "assistance.home_visit",
            json!({"visited_on": row.visited_on, "division": row.division, "findings": row.findings}),
        )
        .in_division(case.competent.as_str());
        let view = self.home_visit_view(row.clone());
        let answer = serde_json::to_string(&view).map_err(ServiceError::internal)?;
        self.store
            .put_home_visit(&row, self.now(), &event, Some(&w.touch(&answer)))
            .await
            .map_err(|e| crate::idempotency::touch_error(&e).unwrap_or_else(|| e.into()))?;
        Ok(view)
    }

    /// The home visits recorded on a case, for whoever may see the case.
    pub async fn home_visits(&self, actor: &Actor, case_id: i64) -> ServiceResult<Vec<HomeVisitView>> {
        self.case(actor, case_id).await?;
        Ok(self.store.home_visits(case_id).await?.into_iter().map(|r| self.home_visit_view(r)).collect())
    }

    fn home_visit_view(&self, row: HomeVisitRow) -> HomeVisitView {
        let division_name = DivisionCode::parse(&row.division)
            .ok()
            .and_then(|c| self.divisions().full_name(&c))
            .unwrap_or_else(|| row.division.clone());
        HomeVisitView {
            case_id: row.case_id,
            visited_on: row.visited_on,
            division: row.division,
            division_name,
            visitor: row.visitor,
            findings: row.findings,
        }
    }

    /// The gate at the decide act: a case registered separately cannot be decided until the county's
    /// home visit is recorded (社会救助暂行办法; 民发〔2021〕57号 低保 step 1).
    pub(crate) async fn check_county_visit(&self, case_id: i64, flag: Option<&str>) -> ServiceResult<()> {
        if flag.is_none() || !self.store.home_visits(case_id).await?.is_empty() {
            return Ok(());
        }
        Err(ServiceError::new(
            ErrorKind::Invalid,
            "county_home_visit_required",
            "本件系经办人员或村（居）委会干部近亲属申请，单独登记备案，须先由县级民政部门入户调查并登记，才能作出决定",
        )
        .with_basis(Some(HOME_VISIT_BASIS.into())))
    }
}
