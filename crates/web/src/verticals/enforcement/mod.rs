//! 行政执法 on the web: the JSON API under `/api/v1/enforcement/…` ([`api`]): the officers'
//! register, 立案 and the acts of a case, the statistics, and the public 事前公示 (the officers)
//! and 事后公示 (the decisions); the public page `/enforcement/public/{code}` ([`public`]). The generic route table takes [`rows`] and the OpenAPI document
//! takes [`ApiPaths`]; nothing else outside this folder names the area. The staff pages
//! ([`pages`]: the workbench, the officers' register, a case with its forms, evidence upload and
//! download) and the case's documents with their public verification ([`notices`]).

pub mod api;
pub mod inspections;
pub mod notices;
pub mod pages;
pub mod public;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/enforcement/officers", api::officers),
        row(M::POST, "/api/v1/enforcement/officers", api::add_officer),
        row(M::GET, "/api/v1/enforcement/cases", api::cases),
        row(M::POST, "/api/v1/enforcement/cases", api::file),
        row(M::GET, "/api/v1/enforcement/cases/{id}", api::case),
        row(M::POST, "/api/v1/enforcement/cases/{id}/acts", api::act),
        row(M::GET, "/api/v1/enforcement/stats", api::stats),
        row(M::GET, "/api/v1/enforcement/public/{code}/officers", api::public_officers),
        row(M::GET, "/api/v1/enforcement/public/{code}/decisions", api::public_decisions),
        row(M::GET, "/enforcement/public/{code}", public::page),
        row(M::GET, "/enforcement", pages::workbench),
        row(M::POST, "/enforcement/cases", pages::file),
        row(M::GET, "/enforcement/officers", pages::officers),
        row(M::POST, "/enforcement/officers", pages::add_officer),
        row(M::GET, "/enforcement/cases/{id}", pages::case),
        row(M::POST, "/enforcement/cases/{id}/acts", pages::act),
        row(
            M::POST,
            "/enforcement/cases/{id}/evidence",
            axum::handler::Handler::layer(pages::evidence, crate::routes::attachments::upload_body_limit()),
        ),
        row(M::GET, "/enforcement/cases/{id}/evidence/{hash}", pages::download),
        row(M::GET, "/enforcement/cases/{id}/notices/{kind}", notices::notice),
        row(M::GET, "/enforcement/verify/{number}", notices::verify),
        row(M::GET, "/api/v1/enforcement/inspections", inspections::list),
        row(M::POST, "/api/v1/enforcement/inspections", inspections::draw),
        row(M::POST, "/api/v1/enforcement/inspections/conflicts", inspections::conflict),
        row(M::POST, "/api/v1/enforcement/inspections/{id}/results", inspections::result),
        row(M::GET, "/api/v1/enforcement/public/{code}/inspections", inspections::public),
        row(M::GET, "/enforcement/inspections", inspections::page),
        row(M::POST, "/enforcement/inspections", inspections::draw_form),
        row(M::POST, "/enforcement/inspections/conflicts", inspections::conflict_form),
        row(M::POST, "/enforcement/inspections/{id}/results", inspections::result_form),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::officers,
        api::add_officer,
        api::cases,
        api::file,
        api::case,
        api::act,
        api::stats,
        api::public_officers,
        api::public_decisions,
        public::page,
        pages::workbench,
        pages::file,
        pages::officers,
        pages::add_officer,
        pages::case,
        pages::act,
        pages::evidence,
        pages::download,
        notices::notice,
        notices::verify,
        inspections::list,
        inspections::draw,
        inspections::conflict,
        inspections::result,
        inspections::public,
        inspections::page,
        inspections::draw_form,
        inspections::conflict_form,
        inspections::result_form,
    ),
    tags((name = "enforcement", description = "行政执法：执法人员名录、行政处罚案件（立案、调查取证、告知、陈述申辩、听证、法制审核、集体讨论、决定、送达、缴款、公示）、过错责任追究、统计、事前和事后公示"))
)]
struct EnforcementDoc;

/// Merges the area's operations into the document, before the document's own modifiers run.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(EnforcementDoc::openapi());
    }
}

/// The header's link to the workbench, for those who may read the cases.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    if user.actor.may_somewhere(domain::access::Permission::ReadEnforcement) {
        vec![crate::views::NavEntry { href: "/enforcement", label: "行政执法" }]
    } else {
        Vec::new()
    }
}

/// Whether a request is the evidence upload (`POST /enforcement/cases/{id}/evidence`): its body
/// limit is the attachments' (a file of up to 10 MiB), not the 1 MiB of every other route.
pub(crate) fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path
            .strip_prefix("/enforcement/cases/")
            .and_then(|r| r.strip_suffix("/evidence"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}
