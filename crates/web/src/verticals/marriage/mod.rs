//! 婚姻登记 on the web: the registration desk, the statistics and the death record pages
//! ([`pages`]), the marital-status and statistics reads of the API ([`api`]), and what a divorce
//! case's page shows (the cooling-off and certificate windows; which party withdraws).

pub mod api;
pub mod certificate;
pub mod dto;
pub mod notices;
pub mod pages;

use askama::Template;
use axum::http::Method;
use utoipa::OpenApi;

use super::{Panel, PartyChoice};
use crate::error::AppError;
use crate::extract::AuthUser;
use crate::views::NavEntry;
use crate::{row, AppState, Row};

/// The area's routes.
pub(crate) fn routes() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/persons/{id}/marital-status", api::marital_status),
        row(M::GET, "/api/v1/stats/marriage", api::statistics),
        row(M::GET, "/marriage/desk", pages::desk),
        row(M::POST, "/marriage/desk", pages::desk_submit),
        row(M::GET, "/marriage/stats", pages::stats),
        row(M::GET, "/marriage/death", pages::death),
        row(M::POST, "/marriage/death", pages::death_submit),
        // Certificates and their public verification
        row(M::GET, "/cases/{id}/certificate", certificate::certificate),
        row(M::GET, "/verify/certificate/{number}", certificate::verify_certificate),
    ]
}

/// The area's part of the OpenAPI document (every row of [`routes`]).
#[derive(OpenApi)]
#[openapi(paths(
    api::marital_status,
    api::statistics,
    pages::desk,
    pages::desk_submit,
    pages::stats,
    pages::death,
    pages::death_submit,
    certificate::certificate,
    certificate::verify_certificate,
))]
pub(crate) struct Api;

/// The header's links, each for who may open it: the desk as its page checks (the window's
/// staff), the statistics for who may read the service figures.
pub(crate) fn nav(user: &AuthUser) -> Vec<NavEntry> {
    let mut entries = Vec::new();
    if crate::routes::apply::check_clerk(user).is_ok() {
        entries.push(NavEntry { href: "/marriage/desk", label: "结婚登记" });
    }
    if user.actor.may_somewhere(domain::access::Permission::ReadServiceStats) {
        entries.push(NavEntry { href: "/marriage/stats", label: "婚姻登记统计" });
    }
    entries
}

#[derive(Template)]
#[template(path = "verticals/marriage/divorce_windows.html")]
struct WindowsPanel {
    windows: String,
}

/// A divorce once received: the cooling-off period and the certificate window explained. Nothing
/// for any other case.
pub(crate) async fn case_panels(
    state: &AppState,
    user: &AuthUser,
    view: &service::cases::CaseView,
) -> Result<Vec<Panel>, AppError> {
    let windows = state.app.divorce_facts(&user.actor, view.case.id).await?.and_then(|d| d.windows);
    windows.map(|windows| Panel::render("离婚冷静期", &WindowsPanel { windows })).into_iter().collect()
}

/// A divorce: either party may withdraw during the cooling-off period, so the withdrawal names one.
pub(crate) async fn withdrawing_parties(
    state: &AppState,
    user: &AuthUser,
    view: &service::cases::CaseView,
) -> Result<Option<PartyChoice>, AppError> {
    let facts = state.app.divorce_facts(&user.actor, view.case.id).await?;
    Ok(facts
        .filter(|d| !d.parties.is_empty())
        .map(|d| PartyChoice {
            label: "撤回申请的一方当事人（离婚冷静期内任何一方均可撤回）", parties: d.parties
        }))
}

/// The case API's fields of this area: a divorce's windows.
pub(crate) async fn case_json(
    state: &AppState,
    user: &AuthUser,
    dto: &mut crate::case_dto::CaseDto,
) -> Result<(), AppError> {
    dto.divorce_windows = state.app.divorce_facts(&user.actor, dto.id).await?.and_then(|d| d.windows);
    Ok(())
}
