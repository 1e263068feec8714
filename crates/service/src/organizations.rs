//! Organization records as applicants: found by the 统一社会信用代码, or registered with the
//! application, the way a person is by the ID number (`persons.rs`).

use domain::access::Actor;
use domain::applicant::OrganizationApplicant;
use domain::audit::EventDraft;
use serde_json::json;
use store::organizations::OrganizationSummary;

use crate::case_json::ApplicantOnFile;
use crate::{App, ServiceResult};

/// `organization.create` of a record just inserted (the phone masked).
fn organization_created(actor: &Actor, org: &OrganizationApplicant, id: i64) -> EventDraft {
    let o = &org.organization;
    EventDraft::new(
        format!("organization:{id}"),
        actor.label(),
        "organization.create",
        json!({
            "name": o.name,
            "credit_code": o.credit_code.code.as_str(),
            "representative": o.representative,
            "phone": org.phone.as_ref().map(|p| p.masked()),
            "division": o.division.as_str(),
            "as_applicant": true,
        }),
    )
    .in_division(o.division.to_string())
}

impl App {
    /// The organization typed in, by its code: on file, that record (its division kept, so only
    /// who may read records there sees its id; a name typed otherwise is kept on the case, as
    /// typed); else registered now (`organization.create`).
    pub(crate) async fn attach_organization(
        &self,
        actor: &Actor,
        org: &OrganizationApplicant,
    ) -> ServiceResult<(i64, Option<ApplicantOnFile>)> {
        let code = org.organization.credit_code.code.as_str();
        if let Some(summary) = self.store.organization_by_code(code).await? {
            return self.on_file(actor, org, summary).await;
        }
        let created = self
            .store
            .create_organization(&self.keys, org, actor.account_id, self.now(), |id| {
                organization_created(actor, org, id)
            })
            .await;
        match created {
            Ok(id) => Ok((id, None)),
            // Registered meanwhile by another window: that record.
            Err(store::StoreError::Conflict(_)) => match self.store.organization_by_code(code).await? {
                Some(summary) => self.on_file(actor, org, summary).await,
                None => Err(crate::ServiceError::internal("organization conflict without an organization")),
            },
            Err(other) => Err(other.into()),
        }
    }

    /// The record on file for the code typed: a name typed otherwise is never dropped, the case
    /// keeps it and `organization.name_mismatch` records it on the organization's stream, in the
    /// record's division, for whoever may read that record.
    async fn on_file(
        &self,
        actor: &Actor,
        org: &OrganizationApplicant,
        summary: OrganizationSummary,
    ) -> ServiceResult<(i64, Option<ApplicantOnFile>)> {
        let name_differs = summary.name != org.organization.name;
        if name_differs {
            let event = EventDraft::new(
                format!("organization:{}", summary.id),
                actor.label(),
                "organization.name_mismatch",
                json!({"typed_name": org.organization.name, "context": "application"}),
            )
            .in_division(summary.division.clone());
            self.store.record(&event, self.now()).await?;
        }
        Ok((summary.id, Some(ApplicantOnFile { division: summary.division, name_differs })))
    }
}
