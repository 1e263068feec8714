//! 社会救助、两项补贴、儿童福利 on the web: households with their dated versions, the application
//! on a case page with its decision and trace, 公示, the relatives' register, the payment roll and
//! the standard raise ([`api`] for the JSON API, [`pages`] and the others for the pages).

pub mod api;
pub mod dto;
pub mod notices;
pub mod pages;
pub mod preview;
pub mod publicity;
pub mod raise;
pub mod register;
pub mod xlsx;

use askama::Template;
use axum::http::Method;
use domain::access::Permission;
use utoipa::OpenApi;

use super::Panel;
use crate::error::AppError;
use crate::extract::AuthUser;
use crate::views::NavEntry;
use crate::{row, AppState, Row};

/// The area's routes.
pub(crate) fn routes() -> Vec<Row> {
    use Method as M;
    vec![
        // The JSON API
        row(M::POST, "/api/v1/assistance/households", api::create_household),
        row(M::GET, "/api/v1/assistance/households/{id}", api::household),
        row(M::POST, "/api/v1/assistance/households/{id}/versions", api::add_version),
        row(M::POST, "/api/v1/cases/{id}/assistance-application", api::register_application),
        row(M::GET, "/api/v1/cases/{id}/assistance-decision", api::decision),
        row(M::GET, "/api/v1/cases/{id}/assistance-preview", preview::preview),
        row(M::GET, "/api/v1/assistance/relatives-register", register::register),
        row(M::POST, "/api/v1/cases/{id}/assistance-home-visit", register::record_visit),
        row(M::POST, "/api/v1/cases/{id}/assistance-change", api::open_change_review),
        row(M::POST, "/api/v1/cases/{id}/assistance-return", api::return_received),
        row(M::POST, "/api/v1/cases/{id}/assistance-publicity", publicity::record_posting),
        row(M::GET, "/api/v1/cases/{id}/assistance-publicity", publicity::publicity),
        row(M::GET, "/api/v1/assistance/received-from-other-provinces", api::received_from_other_provinces),
        row(M::GET, "/api/v1/assistance/payment-roll", api::payment_roll),
        row(M::GET, "/api/v1/assistance/payment-roll.xlsx", api::payment_roll_xlsx),
        row(M::GET, "/api/v1/assistance/rechecks-due", api::rechecks_due),
        row(M::GET, "/api/v1/assistance/standard-raise", raise::batch),
        row(M::POST, "/api/v1/assistance/standard-raise/confirm", raise::confirm),
        // The payment roll, with its Excel download, and the standard raise
        row(M::GET, "/assistance/payment-roll", api::roll_page),
        row(M::GET, "/assistance/standard-raise", raise::raise_page),
        row(M::POST, "/assistance/standard-raise/confirm", raise::confirm_form),
        // The separate register of officials' relatives and the county's home visit
        row(M::GET, "/assistance/relatives-register", register::register_page),
        row(M::POST, "/assistance/relatives-register/{id}/visits", register::visit_form),
        // Households (dated versions) and the application on a case page
        row(M::GET, "/assistance/households", pages::households),
        row(M::POST, "/assistance/households", pages::create),
        row(M::GET, "/assistance/households/{id}", pages::household),
        row(M::POST, "/assistance/households/{id}/versions", pages::add_version),
        row(M::POST, "/cases/{id}/assistance-application", pages::register_application),
        row(M::POST, "/cases/{id}/assistance-change", pages::change_review),
        row(M::POST, "/cases/{id}/assistance-return", pages::return_received),
        row(M::POST, "/cases/{id}/assistance-publicity", publicity::record_posting_page),
        // The household picker (a fragment for htmx)
        row(M::POST, "/pickers/households", crate::routes::pickers::households),
    ]
}

/// The area's part of the OpenAPI document (every row of [`routes`]).
#[derive(OpenApi)]
#[openapi(
    paths(
        api::create_household,
        api::household,
        api::add_version,
        api::register_application,
        api::decision,
        preview::preview,
        raise::batch,
        raise::confirm,
        raise::raise_page,
        raise::confirm_form,
        register::register,
        register::record_visit,
        api::open_change_review,
        api::return_received,
        publicity::record_posting,
        publicity::publicity,
        api::received_from_other_provinces,
        register::register_page,
        register::visit_form,
        api::payment_roll,
        api::payment_roll_xlsx,
        api::rechecks_due,
        api::roll_page,
        pages::households,
        pages::create,
        pages::household,
        pages::add_version,
        pages::register_application,
        pages::change_review,
        pages::return_received,
        publicity::record_posting_page,
        crate::routes::pickers::households,
    ),
    tags(
        (name = "assistance", description = "社会救助、残疾人两项补贴、儿童福利：家庭（分时期）、申请信息、决定及其计算过程、发放花名册"),
    )
)]
pub(crate) struct Api;

/// The header's links, each for who may use the page.
pub(crate) fn nav(user: &AuthUser) -> Vec<NavEntry> {
    let mut entries = Vec::new();
    if pages::uses_households(user) {
        entries.push(NavEntry { href: "/assistance/households", label: "救助家庭" });
    }
    if user.actor.may_somewhere(Permission::ReadPaymentRoll) {
        entries.push(NavEntry { href: "/assistance/payment-roll", label: "发放花名册" });
    }
    if service::assistance_register::sees_relatives_register(&user.actor) {
        entries.push(NavEntry { href: "/assistance/relatives-register", label: "单独登记备案" });
    }
    entries
}

/// The case a panel's forms post to, at the revision the page was drawn at.
struct PanelCase {
    id: i64,
    revision: u64,
}

#[derive(Template)]
#[template(path = "verticals/assistance/case_assistance.html")]
struct SectionPanel {
    c: PanelCase,
    a: pages::AssistanceSection,
    csrf_token: String,
    /// A fresh idempotency key per page drawn: a form sent twice writes once.
    act_key: String,
}

/// A case of an assistance item: the application facts (or the form), the decision and its trace,
/// 公示, the change and return forms. Nothing for any other case.
pub(crate) async fn case_panels(
    state: &AppState,
    user: &AuthUser,
    view: &service::cases::CaseView,
) -> Result<Vec<Panel>, AppError> {
    let Some(section) = pages::case_section(state, user, view).await? else {
        return Ok(Vec::new());
    };
    let panel = SectionPanel {
        c: PanelCase { id: view.case.id, revision: view.case.revision },
        a: section,
        csrf_token: user.csrf_token.clone(),
        act_key: crate::routes::apply::fresh_key(),
    };
    Ok(vec![Panel::render("救助", &panel)?])
}

/// The message a case page shows after one of the area's forms on it was sent (`?done=`).
pub(crate) fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "assistance_application" => Some("已登记救助申请信息"),
        "publicity_posted" => Some("已记录公示张贴地点和时间"),
        _ => None,
    }
}
