//! The areas (婚姻登记, 社会救助…) as the web layer sees them. Each area's folder holds its routes,
//! pages, DTOs and templates (`templates/verticals/<area>/`); this module is the one place that
//! lists the areas, for every question the generic pages ask of them: the routes and their OpenAPI
//! description, the panels of a case page, the header's links, the case API's area fields, the
//! message after an area form posted on a case page, the party a withdrawal names. The generic
//! files (`lib.rs`, `openapi.rs`, `views.rs`, `routes/work.rs`, `routes/cases.rs`, `case.html`,
//! `base.html` …) name no area: `crates/domain/tests/tidy.rs` keeps them so.

pub mod assistance;
pub mod disclosure;
pub mod elderly_care;
pub mod enforcement;
pub mod hotline;
pub mod marriage;
pub mod rule_making;
pub mod rule_of_law;
pub mod social_organization;
pub mod suggestions;

use askama::Template;
use domain::audit::Event;
use domain::vertical::Vertical;
use service::cases::CaseView;

use crate::case_dto::CaseDto;
use crate::error::AppError;
use crate::extract::AuthUser;
use crate::routes::notices::{AreaNotice, NoticeKind};
pub use crate::views::NavEntry;
use crate::{AppState, Row};

/// A section an area adds to a case page: its accessible name and its rendered HTML (an area
/// template, escaped by askama as every page is).
pub struct Panel {
    pub title: &'static str,
    pub html: String,
}

impl Panel {
    pub fn render<T: Template>(title: &'static str, template: &T) -> Result<Panel, AppError> {
        let html = template.render().map_err(|err| AppError::internal(format!("template: {err}")))?;
        Ok(Panel { title, html })
    }
}

/// The parties a withdrawal may name, where an area's item has more than one applicant.
pub struct PartyChoice {
    /// The field's label, with its rule.
    pub label: &'static str,
    /// (person id, masked label).
    pub parties: Vec<(i64, String)>,
}

/// Every area's routes, merged into the one route table (`lib.rs`), so `route_table()` and the
/// OpenAPI completeness test see them.
pub(crate) fn routes() -> Vec<Row> {
    let mut rows = marriage::routes();
    rows.extend(assistance::routes());
    rows.extend(disclosure::rows());
    rows.extend(elderly_care::rows());
    rows.extend(suggestions::rows());
    rows.extend(hotline::rows());
    rows.extend(rule_making::rows());
    rows.extend(enforcement::rows());
    rows.extend(social_organization::rows());
    rows.extend(rule_of_law::rows());
    rows
}

/// Every area's part of the OpenAPI document, merged into it (`openapi.rs`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut parts = openapi_parts().into_iter().map(|(_, part)| part);
    let mut doc = parts.next().unwrap_or_else(|| utoipa::openapi::OpenApiBuilder::new().build());
    for part in parts {
        doc.merge(part);
    }
    doc
}

/// Each area's part of the OpenAPI document on its own, named by its area: merging keeps one
/// component schema of a name silently, so a test checks that no two parts define one name
/// differently (an area names its shared names for itself: `#[schema(as = <Area>Name)]`).
pub fn openapi_parts() -> Vec<(Vertical, utoipa::openapi::OpenApi)> {
    use utoipa::OpenApi;
    let modified = |modifier: &dyn utoipa::Modify| {
        let mut doc = utoipa::openapi::OpenApiBuilder::new().build();
        modifier.modify(&mut doc);
        doc
    };
    vec![
        (Vertical::Marriage, marriage::Api::openapi()),
        (Vertical::Assistance, assistance::Api::openapi()),
        (Vertical::Disclosure, modified(&disclosure::ApiPaths)),
        (Vertical::ElderlyCare, modified(&elderly_care::ApiPaths)),
        (Vertical::Suggestions, modified(&suggestions::ApiPaths)),
        (Vertical::Hotline, modified(&hotline::ApiPaths)),
        (Vertical::RuleMaking, modified(&rule_making::ApiPaths)),
        (Vertical::Enforcement, modified(&enforcement::ApiPaths)),
        (Vertical::SocialOrganization, modified(&social_organization::ApiPaths)),
        (Vertical::RuleOfLaw, modified(&rule_of_law::ApiPaths)),
    ]
}

/// Whether a request is an area's file upload (its body limit is the attachments').
pub fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    enforcement::is_upload(method, path)
}

/// The header's links of every area the user may use, after the generic ones.
pub fn nav(user: &AuthUser) -> Vec<NavEntry> {
    let mut entries = marriage::nav(user);
    entries.extend(assistance::nav(user));
    entries.extend(disclosure::nav(user));
    entries.extend(elderly_care::nav(user));
    entries.extend(suggestions::nav(user));
    entries.extend(hotline::nav(user));
    entries.extend(social_organization::nav(user));
    entries.extend(enforcement::nav(user));
    entries.extend(rule_of_law::nav(user));
    entries.extend(rule_making::nav(user));
    entries
}

/// The area of a case's item, if it declares one.
fn area(state: &AppState, view: &CaseView) -> Option<Vertical> {
    state.app.case_item(&view.case).and_then(|item| item.vertical)
}

/// The sections the case's area adds to its page, in order.
pub async fn case_panels(state: &AppState, user: &AuthUser, view: &CaseView) -> Result<Vec<Panel>, AppError> {
    match area(state, view) {
        Some(Vertical::Marriage) => marriage::case_panels(state, user, view).await,
        Some(Vertical::Assistance) => assistance::case_panels(state, user, view).await,
        Some(Vertical::SocialOrganization) => social_organization::case_panels(state, user, view).await,
        Some(Vertical::Disclosure) => disclosure::cases::case_panels(state, user, view).await,
        Some(
            Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => Ok(Vec::new()),
    }
}

/// Who a withdrawal on this case may name, when its area says (else the withdrawal names no one).
pub async fn withdrawing_parties(
    state: &AppState,
    user: &AuthUser,
    view: &CaseView,
) -> Result<Option<PartyChoice>, AppError> {
    match area(state, view) {
        Some(Vertical::Marriage) => marriage::withdrawing_parties(state, user, view).await,
        Some(
            Vertical::Assistance
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => Ok(None),
    }
}

/// The case API's area fields (`GET /api/v1/cases/{id}` keeps one shape for every item).
pub async fn case_json(state: &AppState, user: &AuthUser, view: &CaseView, dto: &mut CaseDto) -> Result<(), AppError> {
    match area(state, view) {
        Some(Vertical::Marriage) => marriage::case_json(state, user, dto).await,
        Some(
            Vertical::Assistance
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => Ok(()),
    }
}

/// What a case page says after an area's own form on it was sent (`?done=<key>`).
pub fn done_message(done: &str) -> Option<&'static str> {
    assistance::done_message(done).or_else(|| disclosure::cases::done_message(done))
}

/// What the case's area adds to its notice of `kind`: its own title and decided words, rows and
/// lists (an assistance decision's amount and start month, a marriage refusal's title).
pub fn notice_rows(vertical: Option<Vertical>, kind: NoticeKind, view: &CaseView, events: &[Event]) -> AreaNotice {
    match vertical {
        Some(Vertical::Marriage) => marriage::notices::notice_rows(kind, view, events),
        Some(Vertical::Assistance) => assistance::notices::notice_rows(kind, view, events),
        Some(Vertical::ElderlyCare) => elderly_care::notices::notice_rows(kind, view, events),
        Some(Vertical::SocialOrganization) => social_organization::notices::notice_rows(kind, view, events),
        Some(Vertical::Disclosure) => disclosure::cases::notice_rows(kind, view, events),
        Some(
            Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => AreaNotice::default(),
    }
}

/// The area's documents of a case beyond the generic notices, as (address, name): a
/// registration's certificate.
pub fn extra_notices(vertical: Option<Vertical>, view: &CaseView, events: &[Event]) -> Vec<(String, &'static str)> {
    match vertical {
        Some(Vertical::Marriage) => marriage::certificate::extra_notices(view, events),
        Some(Vertical::SocialOrganization) => social_organization::extra_notices(events),
        Some(
            Vertical::Assistance
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => Vec::new(),
    }
}
