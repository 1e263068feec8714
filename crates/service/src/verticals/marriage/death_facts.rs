//! A death is one fact: recorded from its source document (`POST /persons/{id}/death`, the
//! registry's `death` row, deaths.rs) or stated in a household version (a member's `died_on`),
//! every read of the person carries it (`PersonSummary::died_on`), and every program, roll and
//! form reads it from there: payment stops after the month of death (domain::assistance::roll::
//! apply_deaths, payment::last_paid_month_after_death), the household shows it, and no new
//! application is made in the name of a person who has died (民法典第十三条: 自然人从出生时起到
//! 死亡时止，具有民事权利能力).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use domain::assistance::roll::{apply_deaths, Award};
use domain::problem::FieldError;

use crate::{App, ServiceError, ServiceResult};

/// The date of death a person record carries, if any.
pub(crate) fn died_on(summary: &store::persons::PersonSummary) -> Option<NaiveDate> {
    summary.died_on.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The refusal of an application in the name of a person who has died, on `field`.
pub(crate) fn deceased_applicant(field: &str, on: NaiveDate) -> ServiceError {
    ServiceError::invalid(vec![FieldError::new(
        field,
        "applicant_deceased",
        format!("申请人已于 {on} 死亡（已登记），不能以其名义提出新的申请"),
    )])
}

impl App {
    /// The recorded deaths of `persons`, whichever way each was recorded.
    pub(crate) async fn deaths_on_record(
        &self,
        persons: impl IntoIterator<Item = i64>,
    ) -> ServiceResult<BTreeMap<i64, NaiveDate>> {
        let mut out = BTreeMap::new();
        for person in persons.into_iter().collect::<BTreeSet<i64>>() {
            if let Some(d) = died_on(&self.store.person_summary(person).await?) {
                out.insert(person, d);
            }
        }
        Ok(out)
    }

    /// Refuses a new applicant given by ID number who is on file and has died. The record may be
    /// outside the clerk's jurisdiction: nothing of it is told but that a death is recorded.
    pub(crate) async fn refuse_deceased_by_id(&self, id_number: &str) -> ServiceResult<()> {
        let Some(person) = self.store.person_id_by_id_number(&self.keys, id_number).await? else { return Ok(()) };
        match died_on(&self.store.person_summary(person).await?) {
            Some(_) => Err(ServiceError::invalid(vec![FieldError::new(
                "applicant.id_number",
                "applicant_deceased",
                "该身份证号码的人员已登记死亡，不能以其名义提出新的申请",
            )])),
            None => Ok(()),
        }
    }

    /// Ends the awards of those who have died with the month of death: the payee's benefit, or a
    /// household's 低保 once every member it covers has died (domain::assistance::apply_deaths).
    pub(crate) async fn apply_recorded_deaths(&self, awards: &mut [Award]) -> ServiceResult<()> {
        let persons: Vec<i64> = awards.iter().flat_map(|a| a.covered.iter().copied().chain([a.payee])).collect();
        let deaths = self.deaths_on_record(persons).await?;
        apply_deaths(awards, &deaths);
        Ok(())
    }
}
