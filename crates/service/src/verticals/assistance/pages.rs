//! Reads the assistance pages need beside `assistance.rs`: the application recorded on a case.

use domain::assistance::Program;

use crate::assistance::{parse_version, ApplicationView, HouseholdVersionInput};
use crate::{App, ServiceError, ServiceResult};
use domain::access::Actor;

impl App {
    /// The application facts recorded on a case, if any, for whoever may see the case.
    pub async fn assistance_application(&self, actor: &Actor, case_id: i64) -> ServiceResult<Option<ApplicationView>> {
        let view = self.case(actor, case_id).await?;
        let Some(r) = self.store.application(case_id).await? else { return Ok(None) };
        let payee_account = self.masked_account(r.beneficiary.unwrap_or(view.case.applicant)).await?;
        Ok(Some(ApplicationView {
            case_id: r.case_id,
            household_id: r.household_id,
            program_name: Program::parse(&r.program).map(|p| p.name_zh().to_string()).unwrap_or_default(),
            program: r.program,
            beneficiary: r.beneficiary,
            relative_flag: r.relative_flag,
            payee_account,
        }))
    }
}

impl App {
    /// The households the caller may read that have any of `persons` as a member, newest first,
    /// at most `limit`: the choices of a household picker (the persons were found by a recorded
    /// search). Households outside the caller's jurisdiction are left out, never refused.
    pub async fn households_with_members(
        &self,
        actor: &Actor,
        persons: &[i64],
        limit: i64,
    ) -> ServiceResult<Vec<crate::assistance::HouseholdView>> {
        let mut found = Vec::new();
        for id in self.store.households_of_persons(persons, limit).await? {
            match self.household(actor, id).await {
                Ok(view) => found.push(view),
                Err(err) if matches!(err.kind, crate::ErrorKind::Forbidden | crate::ErrorKind::NotFound) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(found)
    }
}

impl App {
    /// Checks a household version's own facts (dates, relationships, disabilities, income, assets)
    /// without writing anything: a form registers the members' person records only once the rest
    /// is known to be right, so a refusal leaves no half-written household behind.
    pub fn check_household_version(&self, input: &HouseholdVersionInput) -> ServiceResult<()> {
        parse_version(input).map(|_| ()).map_err(ServiceError::invalid)
    }
}
