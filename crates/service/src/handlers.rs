//! Who may be assigned a case (承办人): the choices of the assign act, so that nobody types an
//! account number.

use domain::access::Actor;

use crate::{App, ServiceResult};

/// An account that may work a case: its id (what the assign act posts), name and office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    pub account_id: i64,
    pub name: String,
    /// The grants that reach the case, as 「四川省达州市通川区 审核人员」.
    pub office: String,
}

impl App {
    /// The enabled staff accounts holding a case-working role at a division that reaches the
    /// case's competent (承办) division, for a caller who may see the case; by name.
    pub async fn case_handlers(&self, actor: &Actor, case_id: i64) -> ServiceResult<Vec<Handler>> {
        let view = self.case(actor, case_id).await?;
        let divisions = self.divisions();
        let competent = &view.case.competent;
        let mut handlers: Vec<Handler> = self
            .store
            .accounts()
            .await?
            .into_iter()
            .filter(|a| !a.disabled)
            .filter_map(|a| {
                let offices: Vec<String> = a
                    .grants
                    .iter()
                    .filter(|g| crate::cases::is_case_staff(g.role) && divisions.is_within(competent, &g.division))
                    .map(|g| {
                        let place = divisions.full_name(&g.division).unwrap_or_else(|| g.division.to_string());
                        format!("{place} {}", g.role.name_zh())
                    })
                    .collect();
                (!offices.is_empty()).then(|| Handler {
                    account_id: a.id,
                    name: a.display_name.clone(),
                    office: offices.join("；"),
                })
            })
            .collect();
        handlers.sort_by(|a, b| (&a.name, a.account_id).cmp(&(&b.name, b.account_id)));
        Ok(handlers)
    }
}
