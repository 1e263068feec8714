//! 重大行政决策和规范性文件 on the web: the JSON API under `/api/v1/rule-making/…` ([`api`]),
//! the staff pages (catalogue, decisions, register of documents: [`pages`]), public consultation
//! and the 合法性审查意见书 ([`consultation`]) and the public register of documents in force on a
//! date ([`public`]). The generic route table takes [`rows`] and the OpenAPI document takes
//! [`ApiPaths`].

pub mod api;
pub mod cleanups;
pub mod consultation;
pub mod hearing;
pub mod openness;
pub mod pages;
pub mod public;
pub mod sms;

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
        row(M::GET, "/rule-making", pages::catalogue),
        row(M::POST, "/rule-making/decisions", pages::open_decision),
        row(M::GET, "/rule-making/decisions/{id}", pages::decision),
        row(M::POST, "/rule-making/decisions/{id}/steps", pages::step),
        row(M::POST, "/rule-making/decisions/{id}/comments/{comment}", consultation::answer),
        row(M::GET, "/rule-making/decisions/{id}/legality-opinion/{n}", consultation::opinion_page),
        row(M::GET, "/rule-making/documents", pages::documents),
        row(M::GET, "/rule-making/documents/new", pages::document_new),
        row(M::POST, "/rule-making/documents/new", pages::document_create),
        row(M::GET, "/rule-making/documents/{id}", pages::document),
        row(M::POST, "/rule-making/documents/{id}/filing", pages::document_file),
        row(M::POST, "/rule-making/documents/{id}/acts", pages::document_act),
        row(M::GET, "/rule-making/consultations", consultation::list),
        row(M::GET, "/rule-making/consultations/{id}", consultation::page),
        row(M::POST, "/rule-making/consultations/{id}/comments", consultation::comment),
        row(M::POST, "/rule-making/consultations/{id}/hearing-applications", hearing::apply),
        row(M::POST, "/rule-making/decisions/{id}/hearing-applications/{application}", hearing::select),
        row(M::POST, "/rule-making/consultations/{id}/phone-code", consultation::phone_code),
        row(M::POST, "/rule-making/consultations/{id}/phone-comments", consultation::phone_comment),
        row(M::GET, "/rule-making/sms", sms::page),
        row(M::GET, "/rule-making/verify/{number}", consultation::verify),
        row(M::GET, "/rule-making/openness", openness::page),
        row(M::GET, "/rule-making/cleanups", cleanups::list),
        row(M::POST, "/rule-making/cleanups", cleanups::open),
        row(M::GET, "/rule-making/cleanups/{id}", cleanups::page),
        row(M::POST, "/rule-making/cleanups/{id}/verdicts", cleanups::verdict),
        row(M::POST, "/rule-making/cleanups/{id}/publish", cleanups::publish),
        row(M::GET, "/rule-making/cleanup-results", cleanups::results),
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
        pages::catalogue,
        pages::open_decision,
        pages::decision,
        pages::step,
        consultation::answer,
        consultation::opinion_page,
        pages::documents,
        pages::document_new,
        pages::document_create,
        pages::document,
        pages::document_file,
        pages::document_act,
        consultation::list,
        consultation::page,
        consultation::comment,
        hearing::apply,
        hearing::select,
        consultation::phone_code,
        consultation::phone_comment,
        sms::page,
        consultation::verify,
        openness::page,
        cleanups::list,
        cleanups::open,
        cleanups::page,
        cleanups::verdict,
        cleanups::publish,
        cleanups::results,
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

/// The header's link, for staff who may read the catalogue and the register.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    use domain::access::Permission as P;
    if [P::ManageRules, P::ReviewRuleLegality, P::DecideRules].into_iter().any(|p| user.actor.may_somewhere(p)) {
        vec![crate::views::NavEntry { href: "/rule-making", label: "决策和规范性文件" }]
    } else {
        Vec::new()
    }
}
