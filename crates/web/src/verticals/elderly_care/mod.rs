//! 养老机构备案 and the institutions' register on the web: the JSON API under
//! `/api/v1/elderly-care/…` ([`api`]), the staff pages under `/elderly-care/…` and the public list
//! ([`pages`]), and the 备案回执 in the area's words on the case's decision notice ([`notices`]).
//! The generic route table takes [`rows`], the OpenAPI document [`ApiPaths`].

pub mod api;
pub mod notices;
pub mod pages;
pub mod xlsx;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/elderly-care/institutions", api::list),
        row(M::GET, "/api/v1/elderly-care/register.xlsx", api::register_xlsx),
        row(M::GET, "/api/v1/elderly-care/institutions/{id}", api::get),
        row(M::POST, "/api/v1/elderly-care/institutions/{id}/changes", api::change),
        row(M::POST, "/api/v1/elderly-care/institutions/{id}/inspections", api::inspect),
        row(M::POST, "/api/v1/elderly-care/institutions/{id}/status", api::status),
        row(M::GET, "/api/v1/elderly-care/inspections/due", api::due),
        row(M::GET, "/api/v1/elderly-care/stats", api::stats),
        row(M::GET, "/api/v1/elderly-care/public", api::public),
        row(M::GET, "/elderly-care", pages::register),
        row(M::GET, "/elderly-care/institutions/{id}", pages::institution),
        row(M::POST, "/elderly-care/institutions/{id}/changes", pages::change),
        row(M::POST, "/elderly-care/institutions/{id}/inspections", pages::inspect),
        row(M::POST, "/elderly-care/institutions/{id}/status", pages::status),
        row(M::GET, "/elderly-care/inspections", pages::due),
        row(M::GET, "/elderly-care/public", pages::public),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::list,
        api::register_xlsx,
        api::get,
        api::change,
        api::inspect,
        api::status,
        api::due,
        api::stats,
        api::public,
        pages::register,
        pages::institution,
        pages::change,
        pages::inspect,
        pages::status,
        pages::due,
        pages::public,
    ),
    tags((name = "elderly_care", description = "养老机构备案（告知承诺）：养老机构名册、变更备案、备案后现场检查、统计、公开名单"))
)]
struct ElderlyCareDoc;

/// Merges the area's operations into the document, before the document's own modifiers run.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(ElderlyCareDoc::openapi());
    }
}

/// The header's link to the register, for staff who may read it.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    if crate::views::works_cases(user) && user.actor.may_somewhere(domain::access::Permission::ReadPerson) {
        vec![crate::views::NavEntry { href: "/elderly-care", label: "养老机构" }]
    } else {
        Vec::new()
    }
}
