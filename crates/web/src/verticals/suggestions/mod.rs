//! 建议提案办理 and 政务开放日 on the web: the JSON API under `/api/v1/suggestions/…` ([`api`]),
//! the staff pages under `/suggestions/…` ([`pages`]) and the public results and letter
//! verification ([`public`]). The generic route table takes [`rows`] and the OpenAPI document
//! takes [`ApiPaths`]; nothing else outside this folder names the area.

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
        row(M::POST, "/api/v1/suggestions/items", api::create),
        row(M::GET, "/api/v1/suggestions/items", api::list),
        row(M::GET, "/api/v1/suggestions/items/{id}", api::get),
        row(M::POST, "/api/v1/suggestions/items/{id}/acts", api::act),
        row(M::GET, "/api/v1/suggestions/stats", api::stats),
        row(M::POST, "/api/v1/suggestions/open-days", api::open_day_create),
        row(M::GET, "/api/v1/suggestions/open-days", api::open_day_list),
        row(M::GET, "/api/v1/suggestions/open-days/{id}", api::open_day_get),
        row(M::POST, "/api/v1/suggestions/open-days/{id}/inputs", api::open_day_input),
        row(M::GET, "/suggestions", pages::list),
        row(M::GET, "/suggestions/new", pages::new_form),
        row(M::POST, "/suggestions/new", pages::new_submit),
        row(M::GET, "/suggestions/items/{id}", pages::item),
        row(M::POST, "/suggestions/items/{id}/acts", pages::act),
        row(M::GET, "/suggestions/items/{id}/replies/{act}", pages::reply),
        row(M::GET, "/suggestions/open-days", pages::open_days),
        row(M::POST, "/suggestions/open-days", pages::open_day_create),
        row(M::GET, "/suggestions/open-days/{id}", pages::open_day),
        row(M::POST, "/suggestions/open-days/{id}/inputs", pages::open_day_input),
        row(M::GET, "/suggestions/results", public::results),
        row(M::GET, "/suggestions/verify/{number}", public::verify),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::create,
        api::list,
        api::get,
        api::act,
        api::stats,
        api::open_day_create,
        api::open_day_list,
        api::open_day_get,
        api::open_day_input,
        pages::list,
        pages::new_form,
        pages::new_submit,
        pages::item,
        pages::act,
        pages::reply,
        pages::open_days,
        pages::open_day_create,
        pages::open_day,
        pages::open_day_input,
        public::results,
        public::verify,
    ),
    tags((name = "suggestions", description = "人大代表建议、政协提案办理（代表法第五十一条）：交办、协办意见、联系沟通、答复（领导审定）、征询意见表、不满意重新办理、退回；政务开放日；年度统计"))
)]
struct SuggestionsDoc;

/// Merges the area's operations into the document, before the document's own modifiers run.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(SuggestionsDoc::openapi());
    }
}

/// The header's link, for staff who may read suggestions.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    if user.actor.may_somewhere(domain::access::Permission::ReadSuggestions) {
        vec![crate::views::NavEntry { href: "/suggestions", label: "建议提案" }]
    } else {
        Vec::new()
    }
}
