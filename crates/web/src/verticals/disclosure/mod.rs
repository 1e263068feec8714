//! 政府信息公开 依申请公开 on the web: the JSON API under `/api/v1/disclosure/…` ([`api`]), the
//! pages under `/disclosure/…` ([`pages`]), and what a request that is a case of the item adds to
//! the generic case page and API ([`cases`]). The generic route table takes [`rows`] and the
//! OpenAPI document takes [`ApiPaths`]; nothing else outside this folder names the area.

pub mod api;
pub mod cases;
pub mod pages;
pub mod public;
pub mod xlsx;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::POST, "/api/v1/disclosure/requests", api::create),
        row(M::GET, "/api/v1/disclosure/requests", api::list),
        row(M::GET, "/api/v1/disclosure/requests/{id}", api::get),
        row(M::POST, "/api/v1/disclosure/requests/{id}/steps", api::step),
        row(M::POST, "/api/v1/disclosure/requests/{id}/answer", api::answer),
        row(M::POST, "/api/v1/disclosure/requests/{id}/remedies", api::remedy),
        row(M::GET, "/api/v1/disclosure/cases/{id}", cases::get),
        row(M::POST, "/api/v1/disclosure/cases/{id}/remedies", cases::remedy),
        row(M::POST, "/cases/{id}/disclosure/remedies", cases::remedy_page),
        row(M::GET, "/api/v1/disclosure/report", api::report),
        row(M::GET, "/api/v1/disclosure/report.xlsx", api::report_xlsx),
        row(M::GET, "/disclosure", pages::list),
        row(M::GET, "/disclosure/new", pages::new_form),
        row(M::GET, "/disclosure/apply", pages::apply_form),
        row(M::GET, "/disclosure/requests/{id}", pages::request),
        row(M::POST, "/disclosure/requests/{id}/steps", pages::step),
        row(M::POST, "/disclosure/requests/{id}/answer", pages::answer),
        row(M::POST, "/disclosure/requests/{id}/remedies", pages::remedy),
        row(M::GET, "/disclosure/requests/{id}/notices/{kind}", pages::notice),
        row(M::GET, "/disclosure/report", pages::report),
        row(M::GET, "/disclosure/track", public::track_form),
        row(M::POST, "/disclosure/track", public::track),
        row(M::GET, "/disclosure/verify/{number}", public::verify),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::create,
        api::list,
        api::get,
        api::step,
        api::answer,
        api::remedy,
        api::report,
        api::report_xlsx,
        cases::get,
        cases::remedy,
        cases::remedy_page,
        pages::list,
        pages::new_form,
        pages::apply_form,
        pages::request,
        pages::step,
        pages::answer,
        pages::remedy,
        pages::notice,
        pages::report,
        public::track_form,
        public::track,
        public::verify,
    ),
    tags((name = "disclosure", description = "政府信息公开 依申请公开：申请、补正、延期、征求第三方意见、答复、行政复议和行政诉讼、年度报告"))
)]
struct DisclosureDoc;

/// Merges the area's operations into the document, before the document's own modifiers run.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(DisclosureDoc::openapi());
    }
}

/// The header's link to the requests, for staff who may enter and handle them.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    if crate::views::works_cases(user) && user.actor.may_somewhere(domain::access::Permission::WritePerson) {
        vec![crate::views::NavEntry { href: "/disclosure", label: "依申请公开" }]
    } else {
        Vec::new()
    }
}
