//! The public pages: the 公告 of the registration authority (社团条例第二十三条; 民非条例第十八条:
//! establishment, changes of name, address or legal representative, deregistration), and the
//! verification of a printed certificate (the target of its QR code).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use domain::person::mask_name;
use domain::verticals::social_organization::{OrgStatus, OrgType};

use super::api::announcement_kind;
use super::certificate::document;
use crate::error::AppError;
use crate::extract::PagePath;
use crate::routes::notices::{constant_time_eq, not_found_page, VerifyPage};
use crate::views::{date_zh, render, Layout};
use crate::AppState;

pub struct NoticeLine {
    pub on: String,
    pub kind: &'static str,
    pub name: String,
    pub credit_code: String,
    pub org_type: &'static str,
    pub address: String,
    pub legal_rep: String,
}

#[derive(Template)]
#[template(path = "verticals/social_organization/announcements.html")]
pub struct AnnouncementsPage {
    pub layout: Layout,
    pub lines: Vec<NoticeLine>,
}

/// The 公告, public.
#[utoipa::path(get, path = "/organizations/announcements", tag = "pages",
    responses((status = 200, description = "社会组织登记公告：成立、名称住所法定代表人变更、注销", content_type = "text/html", body = String)))]
pub async fn announcements(State(state): State<AppState>) -> Response {
    let items = match state.app.social_org_announcements(200).await {
        Ok(items) => items,
        Err(err) => return AppError::from(err).into_html(),
    };
    let lines = items
        .iter()
        .map(|a| NoticeLine {
            on: date_zh(a.on),
            kind: announcement_kind(&a.change_kind),
            name: a.name.clone(),
            credit_code: a.credit_code.clone(),
            org_type: OrgType::parse(&a.org_type).map_or("", |t| t.name_zh()),
            address: a.address.clone(),
            legal_rep: a.legal_rep_name.clone(),
        })
        .collect();
    render(&AnnouncementsPage { layout: Layout::public("社会组织登记公告"), lines })
}

/// The verification of a certificate: the code and the digest its QR code carries.
#[utoipa::path(get, path = "/organizations/verify/{code}", tag = "pages",
    params(
        ("code" = String, Path, description = "统一社会信用代码"),
        ("d" = Option<String>, Query, description = "证书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "核验通过：名称、代码、类型、状态、登记日期，法定代表人姓名脱敏", content_type = "text/html", body = String),
        (status = 404, description = "代码不存在或证书内容与登记记录不符", content_type = "text/html", body = String),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
    RawQuery(query): RawQuery,
) -> Response {
    const NOT_FOUND: &str = "未找到与该证书相符的登记记录：代码不存在，或证书内容与登记记录不一致";
    let digest = query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "d").map(|(_, v)| v.to_string()))
        .unwrap_or_default();
    let full = match state.app.social_org_by_code(&code).await {
        Ok(Some(full)) => full,
        Ok(None) => return not_found_page(NOT_FOUND),
        Err(err) => return AppError::from(err).into_html(),
    };
    let Some(doc) = document(&state, &full) else { return not_found_page(NOT_FOUND) };
    if !constant_time_eq(&doc.digest(), digest.trim()) {
        return not_found_page(NOT_FOUND);
    }
    let o = &full.org;
    let rows = vec![
        ("证书".to_string(), doc.title.clone()),
        ("名称".to_string(), o.name.clone()),
        ("统一社会信用代码".to_string(), o.credit_code.clone()),
        ("类型".to_string(), OrgType::parse(&o.org_type).map_or("", |t| t.name_zh()).to_string()),
        ("法定代表人（负责人）".to_string(), mask_name(&o.legal_rep_name)),
        ("登记日期".to_string(), date_zh(o.registered_on)),
        ("登记管理机关".to_string(), doc.authority.clone()),
        ("当前状态".to_string(), OrgStatus::parse(&o.status).map_or("", |s| s.name_zh()).to_string()),
    ];
    render(&VerifyPage {
        title: "登记证书核验".into(),
        back: None,
        intro: "该证书与登记管理机关的登记记录相符。登记信息如下：".into(),
        rows,
    })
}
