//! The 12345 hotline and 差评整改 on the web: the JSON API under `/api/v1/hotline/…` ([`api`])
//! and the staff pages under `/hotline/…` ([`pages`]). The generic route table takes [`rows`]
//! and the OpenAPI document takes [`ApiPaths`]; nothing else outside this folder names the area.

pub mod api;
pub mod pages;
pub mod public;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::POST, "/api/v1/hotline/tickets", api::receive),
        row(M::GET, "/api/v1/hotline/tickets", api::list),
        row(M::GET, "/api/v1/hotline/tickets/{id}", api::get),
        row(M::POST, "/api/v1/hotline/tickets/{id}/acts", api::act),
        row(M::GET, "/api/v1/hotline/export", api::export),
        row(M::GET, "/api/v1/hotline/stats", api::stats),
        row(M::GET, "/api/v1/hotline/rectifications", api::rectifications),
        row(M::GET, "/api/v1/hotline/rectifications/{id}", api::rectification),
        row(M::POST, "/api/v1/hotline/rectifications/{id}/acts", api::rectify),
        row(M::POST, "/api/v1/hotline/rate-fix", api::rate_fix),
        row(M::GET, "/hotline", pages::list),
        row(M::GET, "/hotline/new", pages::new_form),
        row(M::POST, "/hotline/new", pages::new_submit),
        row(M::GET, "/hotline/tickets/{id}", pages::ticket),
        row(M::POST, "/hotline/tickets/{id}/acts", pages::act),
        row(M::GET, "/hotline/rectifications", pages::rectifications),
        row(M::GET, "/hotline/rectifications/{id}", pages::rectification),
        row(M::POST, "/hotline/rectifications/{id}/acts", pages::rectify),
        row(M::GET, "/hotline/rate-fix", public::form),
        row(M::POST, "/hotline/rate-fix", public::submit),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::receive,
        api::list,
        api::get,
        api::act,
        api::export,
        api::stats,
        api::rectifications,
        api::rectification,
        api::rectify,
        api::rate_fix,
        pages::list,
        pages::new_form,
        pages::new_submit,
        pages::ticket,
        pages::act,
        pages::rectifications,
        pages::rectification,
        pages::rectify,
        public::form,
        public::submit,
    ),
    tags((name = "hotline", description = "12345热线工单（受理、派单、签收、退单、延期、办结、回访、催办督办通报、回传平台）和好差评差评整改"))
)]
struct HotlineDoc;

/// Merges the area's operations into the document, before the document's own modifiers run.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(HotlineDoc::openapi());
    }
}

/// The header's links, for staff who handle tickets.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    if crate::views::works_cases(user) && user.actor.may_somewhere(domain::access::Permission::WritePerson) {
        vec![crate::views::NavEntry { href: "/hotline", label: "12345工单" }]
    } else {
        Vec::new()
    }
}
