//! 社会组织登记 on the web: the JSON API under `/api/v1/organizations/…` ([`api`]), the staff
//! pages under `/organizations/…` ([`pages`]), the public 公告 and the verification of a
//! registration certificate ([`public`]), and the register's panel on a registration case.
//! The generic route table takes [`rows`], the OpenAPI document [`ApiPaths`].

pub mod api;
pub mod certificate;
pub mod notices;
pub mod pages;
pub mod public;
pub mod xlsx;

use askama::Template;
use axum::http::Method;
use domain::access::Permission;
use service::cases::CaseView;
use utoipa::OpenApi;

use super::Panel;
use crate::error::AppError;
use crate::extract::AuthUser;
use crate::{row, AppState, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/organizations", api::list),
        row(M::GET, "/api/v1/organizations/register.xlsx", api::register_xlsx),
        row(M::GET, "/api/v1/organizations/inspections", api::campaign),
        row(M::POST, "/api/v1/organizations/inspections/enforcement", api::enforcement),
        row(M::GET, "/api/v1/organizations/decoupling", api::decoupling),
        row(M::GET, "/api/v1/organizations/stats", api::stats),
        row(M::GET, "/api/v1/organizations/announcements", api::announcements),
        row(M::GET, "/api/v1/organizations/{id}", api::get),
        row(M::POST, "/api/v1/organizations/{id}/inspections", api::inspection),
        row(M::POST, "/api/v1/organizations/{id}/separations", api::separation),
        row(M::POST, "/api/v1/organizations/{id}/branches", api::branch),
        row(M::POST, "/api/v1/organizations/{id}/branches/close", api::close_branch),
        row(M::GET, "/organizations", pages::register),
        row(M::GET, "/organizations/inspections", pages::campaign),
        row(M::POST, "/organizations/inspections/enforcement", pages::enforcement),
        row(M::GET, "/organizations/decoupling", pages::decoupling),
        row(M::GET, "/organizations/announcements", public::announcements),
        row(M::GET, "/organizations/verify/{code}", public::verify),
        row(M::GET, "/organizations/{id}", pages::organization),
        row(M::POST, "/organizations/{id}/inspections", pages::inspection),
        row(M::POST, "/organizations/{id}/separations", pages::separation),
        row(M::POST, "/organizations/{id}/branches", pages::branch),
        row(M::POST, "/organizations/{id}/branches/close", pages::close_branch),
        row(M::GET, "/organizations/{id}/certificate", certificate::certificate),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::list,
        api::register_xlsx,
        api::campaign,
        api::enforcement,
        api::decoupling,
        api::stats,
        api::announcements,
        api::get,
        api::inspection,
        api::separation,
        api::branch,
        api::close_branch,
        pages::register,
        pages::campaign,
        pages::enforcement,
        pages::decoupling,
        pages::organization,
        pages::inspection,
        pages::separation,
        pages::branch,
        pages::close_branch,
        public::announcements,
        public::verify,
        certificate::certificate,
    ),
    tags((name = "organizations", description = "社会组织登记：登记名册、登记公告、年度检查、行业协会商会脱钩、登记证书"))
)]
struct OrganizationsDoc;

/// Merges the area's operations into the document.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(OrganizationsDoc::openapi());
    }
}

/// The header's link to the register, for staff who may read it.
pub(crate) fn nav(user: &AuthUser) -> Vec<crate::views::NavEntry> {
    if crate::views::works_cases(user) && user.actor.may_somewhere(Permission::ReadSocialOrgs) {
        vec![crate::views::NavEntry { href: "/organizations", label: "社会组织" }]
    } else {
        Vec::new()
    }
}

#[derive(Template)]
#[template(path = "verticals/social_organization/panel.html")]
struct CasePanel {
    id: i64,
    name: String,
    credit_code: String,
    status: &'static str,
}

/// The organization a registration case entered, on the case's page.
pub(crate) async fn case_panels(state: &AppState, _user: &AuthUser, view: &CaseView) -> Result<Vec<Panel>, AppError> {
    let Some(full) = state.app.social_org_of_case(view.case.id).await? else { return Ok(Vec::new()) };
    let panel = CasePanel {
        id: full.org.id,
        name: full.org.name.clone(),
        credit_code: full.org.credit_code.clone(),
        status: domain::verticals::social_organization::OrgStatus::parse(&full.org.status).map_or("", |s| s.name_zh()),
    };
    Ok(vec![Panel::render("登记的社会组织", &panel)?])
}

/// The certificate of the organization a registration case entered (named by the register's
/// event), among the case's documents.
pub(crate) fn extra_notices(events: &[domain::audit::Event]) -> Vec<(String, &'static str)> {
    crate::routes::notices::last_payload(events, "social_org.registered")
        .and_then(|(payload, _)| payload["org_id"].as_i64())
        .map(|id| (format!("/organizations/{id}/certificate"), "登记证书"))
        .into_iter()
        .collect()
}
