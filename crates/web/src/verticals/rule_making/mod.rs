//! 重大行政决策和规范性文件 on the web: the JSON API under `/api/v1/rule-making/…` ([`api`]) and
//! the public register of documents in force on a date ([`public`]). The generic route table
//! takes [`rows`] and the OpenAPI document takes [`ApiPaths`].

pub mod api;
pub mod public;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::POST, "/api/v1/rule-making/decisions", api::create_decision),
        row(M::GET, "/api/v1/rule-making/decisions", api::list_decisions),
        row(M::GET, "/api/v1/rule-making/decisions/{id}", api::get_decision),
        row(M::POST, "/api/v1/rule-making/decisions/{id}/steps", api::decision_step),
        row(M::POST, "/api/v1/rule-making/documents", api::create_document),
        row(M::GET, "/api/v1/rule-making/documents", api::list_documents),
        row(M::GET, "/api/v1/rule-making/register", api::public_register),
        row(M::POST, "/api/v1/rule-making/documents/{id}/filing", api::file_document),
        row(M::POST, "/api/v1/rule-making/documents/{id}/acts", api::document_act),
        row(M::POST, "/api/v1/rule-making/flags", api::flag),
        row(M::POST, "/api/v1/rule-making/cleanups", api::create_cleanup),
        row(M::GET, "/api/v1/rule-making/cleanups/{id}", api::get_cleanup),
        row(M::POST, "/api/v1/rule-making/cleanups/{id}/verdicts", api::cleanup_verdict),
        row(M::POST, "/api/v1/rule-making/cleanups/{id}/publish", api::publish_cleanup),
        row(M::GET, "/api/v1/rule-making/stats", api::stats),
        row(M::GET, "/rule-making/register", public::register),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::create_decision,
        api::list_decisions,
        api::get_decision,
        api::decision_step,
        api::create_document,
        api::list_documents,
        api::public_register,
        api::file_document,
        api::document_act,
        api::flag,
        api::create_cleanup,
        api::get_cleanup,
        api::cleanup_verdict,
        api::publish_cleanup,
        api::stats,
        public::register,
    ),
    tags((name = "rule_making", description = "重大行政决策（公众参与、专家论证、风险评估、合法性审查、集体讨论决定）和规范性文件（登记、备案、清理）"))
)]
struct RuleMakingDoc;

/// Merges the area's operations into the document.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(RuleMakingDoc::openapi());
    }
}
