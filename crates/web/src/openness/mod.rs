//! The bureau's 政务公开 column and 法治政府建设 column on the web: the public pages and their JSON,
//! and the staff register of 主动公开 with the overdue flagged (《中华人民共和国政府信息公开条例》
//! 第二十六条). What each area publishes comes from the area (`service::verticals`); nothing
//! here names one.

pub mod api;
pub mod pages;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The columns' routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/openness", api::column),
        row(M::GET, "/api/v1/openness/register", api::register),
        row(M::GET, "/openness", pages::proactive),
        row(M::GET, "/openness/rule-of-law", pages::rule_of_law),
        row(M::GET, "/openness/register", pages::register),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(api::column, api::register, pages::proactive, pages::rule_of_law, pages::register),
    tags((name = "openness", description = "政务公开：主动公开的政府信息（各业务自其记录提供，形成日期、公开日期、政府信息公开条例第二十六条的20个工作日时限）和法治政府建设专栏"))
)]
struct OpennessDoc;

/// Merges the columns' operations into the document.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(OpennessDoc::openapi());
    }
}
