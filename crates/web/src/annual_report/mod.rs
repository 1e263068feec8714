//! The annual report on building a law-based government (法治政府建设年度报告) on the web and as
//! files: the staff pages (figures, narrative versions, publishing), the public pages of the
//! published versions with their drift, the JSON API, and the .docx/.xlsx renderings ([`files`]);
//! and the review of the guides (办事指南要素核查, [`guide_reviews`]) its 准确率 reads.

pub mod api;
pub mod files;
pub mod guide_reviews;
pub mod pages;

use axum::http::Method;
use utoipa::OpenApi;

use crate::{row, Row};

/// The report's routes, appended to the one route table.
pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row(M::GET, "/api/v1/reports/{code}/{year}/indicators", api::indicators),
        row(M::GET, "/api/v1/reports/{code}/{year}/versions", api::versions),
        row(M::POST, "/api/v1/reports/{code}/{year}/versions", api::save),
        row(M::POST, "/api/v1/reports/versions/{id}/publish", api::publish),
        row(M::GET, "/api/v1/reports/versions/{id}/published", api::published),
        row(M::GET, "/static/report.css", pages::stylesheet),
        row(M::GET, "/reports/{code}/{year}", pages::public),
        row(M::GET, "/reports/{code}/{year}/indicators/{key}", pages::indicator),
        row(M::GET, "/reports/{code}/{year}/edit", pages::edit),
        row(M::POST, "/reports/{code}/{year}/edit", pages::save),
        row(M::POST, "/reports/versions/{id}/publish", pages::publish),
        row(M::GET, "/reports/{code}/{year}/report.docx", pages::docx),
        row(M::GET, "/reports/{code}/{year}/figures.xlsx", pages::xlsx),
        // 办事指南要素核查, which the report's 准确率 reads
        row(M::POST, "/api/v1/admin/items/{slug}/guide-reviews", guide_reviews::review),
        row(M::GET, "/api/v1/admin/guide-reviews", guide_reviews::list),
        row(M::GET, "/admin/guide-reviews", guide_reviews::reviews_page),
        row(M::POST, "/admin/guide-reviews", guide_reviews::review_form),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::indicators,
        api::versions,
        api::save,
        api::publish,
        api::published,
        pages::stylesheet,
        pages::public,
        pages::indicator,
        pages::edit,
        pages::save,
        pages::publish,
        pages::docx,
        pages::xlsx,
        guide_reviews::review,
        guide_reviews::list,
        guide_reviews::reviews_page,
        guide_reviews::review_form,
    ),
    tags((name = "reports", description = "法治政府建设年度报告：由记录计算的指标（定义、分子分母、所计记录）、报告正文的版本、发布（冻结指标并以 SM2 签名）和发布后的指标变动"))
)]
struct ReportDoc;

/// Merges the report's operations into the document.
pub struct ApiPaths;

impl utoipa::Modify for ApiPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(ReportDoc::openapi());
    }
}
