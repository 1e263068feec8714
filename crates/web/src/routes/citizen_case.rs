//! The applicant's own view of their case (`/cases/{id}` for a signed-in citizen): the status and
//! the next step in plain words, the due date, what is still missing and how to supply it, the
//! notices to open or print, and the 好差评 once closed. No staff-only fields (holder, 职权,
//! acts, timeline): the service decides which cases the citizen may see at all.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::access::Role;
use service::cases::CaseView;
use service::portal::Grade;

use crate::extract::AuthUser;
use crate::routes::portal::Tracked;
use crate::views::{render_status, Layout};
use crate::AppState;

/// What only the signed-in applicant's page adds to the tracking page's facts.
pub struct OwnCase {
    pub id: i64,
    /// The 查询码, also the check for the rating form.
    pub check_code: String,
    /// The materials the 一次性告知 asked for, by name.
    pub missing: Vec<String>,
    /// Where the originals can be brought instead (the accepting office's division).
    pub accepting: String,
    /// How the period runs once the correction arrives, by the item's own law of the correction
    /// (政府信息公开条例第三十条: it runs again from the correction), else the pause of 行政许可法.
    pub after_correction: String,
}

#[derive(Template)]
#[template(path = "citizen_case.html")]
pub struct CitizenCasePage {
    pub layout: Layout,
    pub c: OwnCase,
    pub t: Tracked,
    /// The case's documents as (address, name).
    pub notices: Vec<(String, String)>,
    pub grades: Vec<(&'static str, &'static str)>,
    pub attachments: crate::routes::attachments::AttachmentsPanel,
    pub csrf_token: String,
    pub done: Option<String>,
    pub error: Option<String>,
    /// Just submitted: the page opens with the confirmation.
    pub submitted: bool,
}

/// The user holds no role but 办事群众: the case page is the applicant's own.
pub fn only_citizen(user: &AuthUser) -> bool {
    user.actor.has_role(Role::Citizen) && user.actor.grants.iter().all(|g| g.role == Role::Citizen)
}

/// What the page draws from: the case as the service showed it to `user`.
pub struct Shown<'a> {
    pub view: &'a CaseView,
    pub notices: Vec<(String, String)>,
    pub missing: Vec<String>,
    pub attachment_error: Option<String>,
    pub done: Option<String>,
    pub error: Option<String>,
    pub submitted: bool,
}

pub async fn page(state: &AppState, user: &AuthUser, status: StatusCode, shown: Shown<'_>) -> Response {
    let case = &shown.view.case;
    let t = match crate::routes::portal::tracked(state, shown.view).await {
        Ok(t) => t,
        Err(err) => return err.into_html_for(user),
    };
    let attachments = match crate::routes::attachments::panel(state, user, case.id, shown.attachment_error).await {
        Ok(panel) => panel,
        Err(err) => return err.into_html_for(user),
    };
    let page = CitizenCasePage {
        layout: Layout::for_user(format!("办件 {}", case.number), user),
        c: OwnCase {
            id: case.id,
            check_code: state.app.case_check_code(&case.number),
            missing: shown.missing,
            accepting: state.app.divisions().full_name(&case.accepting).unwrap_or_default(),
            after_correction: match &shown.view.correction_law {
                Some((_, Some(restarts))) => format!("办理期限自收到补正之日起重新计算（{restarts}）"),
                _ => "补正期间不计入办理期限".to_string(),
            },
        },
        t,
        notices: shown.notices,
        grades: Grade::ALL.into_iter().map(|g| (g.as_str(), g.name_zh())).collect(),
        attachments,
        csrf_token: user.csrf_token.clone(),
        done: shown.done,
        error: shown.error,
        submitted: shown.submitted,
    };
    render_status(status, &page)
}
