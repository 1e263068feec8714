//! The registration certificate (登记证书: 社会团体法人登记证书, 民办非企业单位登记证书;
//! 社团条例第十二条, 民非条例第十二条) as an issued document (`crate::document`), with its QR
//! code to the public verification (`/organizations/verify/{code}`), which rebuilds the document
//! from the register and compares the SM3 digest.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::division::DivisionCode;
use domain::verticals::social_organization::{OrgStatus, OrgType};
use service::verticals::social_organization::OrgFull;

use super::pages::path_text;
use crate::document::{authority_name, Document};
use crate::error::AppError;
use crate::extract::{PagePath, PageUser};
use crate::routes::notices::{public_base, qr_svg};
use crate::views::render;
use crate::AppState;

/// The certificate's content, from the register (the same on the page and at verification).
pub(super) fn document(state: &AppState, full: &OrgFull) -> Option<Document> {
    let o = &full.org;
    let org_type = OrgType::parse(&o.org_type)?;
    let office = DivisionCode::parse(&o.authority_division).ok()?;
    let purpose = full.versions.last().map(|v| v.version.purpose.clone()).unwrap_or_default();
    let mut rows = vec![
        ("名称".to_string(), o.name.clone()),
        ("统一社会信用代码".to_string(), o.credit_code.clone()),
        ("住所".to_string(), o.address.clone()),
        ("法定代表人（负责人）".to_string(), o.legal_rep_name.clone()),
        ("业务范围".to_string(), purpose),
        (org_type.funds_name().to_string(), format!("{}元", domain::assistance::format_yuan(o.funds_fen))),
        ("登记方式".to_string(), path_text(o)),
    ];
    if o.status != OrgStatus::Normal.as_str() {
        rows.push(("登记状态".to_string(), OrgStatus::parse(&o.status).map_or("", |s| s.name_zh()).to_string()));
    }
    Some(Document {
        kind: "certificate",
        title: org_type.certificate_name().to_string(),
        number: o.credit_code.clone(),
        case_number: o.credit_code.clone(),
        authority: authority_name(state.app.divisions(), &office),
        addressee: o.name.clone(),
        body: vec![format!("经审查，准予登记。依据{}，特发此证。", basis(org_type))],
        rows,
        lists: Vec::new(),
        remedies: String::new(),
        date: o.registered_on,
    })
}

fn basis(org_type: OrgType) -> &'static str {
    match org_type {
        OrgType::SocialGroup => "《社会团体登记管理条例》第十二条",
        OrgType::PrivateNonEnterprise => "《民办非企业单位登记管理暂行条例》第十二条",
        OrgType::Foundation => "《基金会管理条例》第十一条",
    }
}

pub(super) fn verify_url(state: &AppState, headers: &HeaderMap, doc: &Document) -> String {
    format!("{}/organizations/verify/{}?d={}", public_base(state, headers), doc.number, doc.digest())
}

#[derive(Template)]
#[template(path = "verticals/social_organization/certificate.html")]
pub struct CertificatePage {
    pub title: String,
    pub back: Option<String>,
    pub doc: Document,
    pub url: String,
    pub qr: String,
}

/// The certificate of an organization, printable.
#[utoipa::path(get, path = "/organizations/{id}/certificate", tag = "pages", security(("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    responses(
        (status = 200, description = "登记证书（可打印，附核验二维码）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
    ))]
pub async fn certificate(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let view = match state.app.social_org(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let Some(doc) = document(&state, &view.full) else {
        return AppError::internal("certificate of an unknown type".to_string()).into_html_for(&user);
    };
    let url = verify_url(&state, &headers, &doc);
    render(&CertificatePage {
        title: doc.title.clone(),
        back: Some(format!("/organizations/{id}")),
        qr: qr_svg(&url),
        url,
        doc,
    })
}
