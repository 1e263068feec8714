//! 法治政府建设台账 on the web: the JSON API under `/api/v1/rule-of-law/…` ([`api`]), the staff
//! pages under `/rule-of-law/…` ([`pages`]) and the registers as Excel workbooks both ways
//! ([`xlsx`]). The generic route table takes [`rows`], the OpenAPI document [`ApiPaths`].

pub mod api;
pub mod pages;
pub mod xlsx;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The area's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/rule-of-law/registers", api::registers),
        row(M::GET, "/api/v1/rule-of-law/{register}/records", api::list),
        row(M::POST, "/api/v1/rule-of-law/{register}/records", api::add),
        row(M::GET, "/api/v1/rule-of-law/{register}/records.xlsx", api::export),
        row(M::POST, "/api/v1/rule-of-law/{register}/import", api::import),
        row(M::GET, "/api/v1/rule-of-law/records/{id}", api::get),
        row(M::PUT, "/api/v1/rule-of-law/records/{id}", api::change),
        row(M::GET, "/api/v1/rule-of-law/years/{year}", api::year),
        row(M::GET, "/rule-of-law", pages::index),
        row(M::GET, "/rule-of-law/{register}", pages::list),
        row(M::GET, "/rule-of-law/{register}/new", pages::new_form),
        row(M::POST, "/rule-of-law/{register}/new", pages::create),
        row(M::POST, "/rule-of-law/{register}/import", pages::import),
        row(M::GET, "/rule-of-law/records/{id}", pages::record),
        row(M::POST, "/rule-of-law/records/{id}", pages::save),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::registers,
        api::list,
        api::add,
        api::export,
        api::import,
        api::get,
        api::change,
        api::year,
        pages::index,
        pages::list,
        pages::new_form,
        pages::create,
        pages::import,
        pages::record,
        pages::save,
    ),
    tags((name = "rule_of_law", description = "法治政府建设台账：领导小组成员、学法记录、依法行政专题培训、行政执法资格考试、普法活动、民主法治示范村（社区）、法律顾问和公职律师、村（居）务公开监督；Excel 导出和导入；年度报告所读的各台账记录"))
)]
struct RuleOfLawDoc;

/// Merges the area's operations into the document, before the document's own modifiers run.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(RuleOfLawDoc::openapi());
    }
}

/// The header's link to the registers, for staff who may read them.
pub(crate) fn nav(user: &crate::extract::AuthUser) -> Vec<crate::views::NavEntry> {
    use domain::access::Permission;
    if user.actor.may_somewhere(Permission::ReadRuleOfLaw) || user.actor.may_somewhere(Permission::WriteRuleOfLaw) {
        vec![crate::views::NavEntry { href: "/rule-of-law", label: "法治政府建设台账" }]
    } else {
        Vec::new()
    }
}
