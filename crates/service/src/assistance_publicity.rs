//! Whether an assistance case's 公示 is passed over: decided from the birth date of the person the
//! notice would name, on the day the case reaches the step (domain::assistance::publicity), not
//! from the 情形 chosen at the window.

use chrono::{DateTime, NaiveDate, Utc};
use domain::assistance::{minor_on, publicity_required, Program};
use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::procedure::StepKind;

use crate::case_json::Stored;
use crate::{App, ServiceResult};

impl App {
    /// For a case of an assistance item whose procedure has a 公示 step: true when an act at
    /// `now` must pass it over (the person the notice would name — the application's
    /// beneficiary, else the applicant — is a minor that day, or the program is never
    /// publicised). False for every other item.
    pub(crate) async fn publicity_passed_over(
        &self,
        item: &ServiceItem,
        stored: &Stored,
        now: DateTime<Utc>,
    ) -> ServiceResult<bool> {
        let case = &stored.case;
        let programs = Program::for_item(&case.item_slug);
        let has_publicity = item.procedure.steps.iter().any(|s| s.kind == StepKind::Wait);
        if programs.is_empty() || !has_publicity || case.step.is_none() {
            return Ok(false);
        }
        let application = self.store.application(case.id).await?;
        let program = application
            .as_ref()
            .and_then(|a| Program::parse(&a.program))
            .or_else(|| programs.first().copied())
            .unwrap_or(Program::MinimumLiving);
        let named = application.and_then(|a| a.beneficiary).unwrap_or(case.applicant);
        let birth = self.store.person_summary(named).await?.birth_date;
        let minor = NaiveDate::parse_from_str(&birth, "%Y-%m-%d").is_ok_and(|b| minor_on(b, shanghai_date(now)));
        Ok(!publicity_required(program, minor))
    }
}
