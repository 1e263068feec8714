//! The printable 结婚证 / 离婚证 (and their reissues) of a registering case, and their public
//! verification. A reader who may read full personal data at the registering office gets one
//! page per party (each holds their own certificate), each naming both parties in full: name,
//! sex, nationality, birth date and ID number; any other reader gets the masked particulars,
//! which are not a certificate. The public page names no party.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use domain::audit::Event;
use service::cases::CaseView;
use service::marriage::CertificateParty;

use crate::document::{date_cn, short};
use crate::error::AppError;
use crate::extract::{AppPath, AppQuery, AuthUser};
use crate::routes::notices::{
    constant_time_eq, not_found_page, public_base, qr_svg, verification_input, verified, VerifyPage, VerifyQuery,
};
use crate::views::{date_zh, render};
use crate::AppState;

/// The certificate of a case, once the registration issued one.
pub fn extra_notices(view: &CaseView, events: &[Event]) -> Vec<(String, &'static str)> {
    let issued = events.iter().any(|e| {
        e.act == "marriage.registered"
            && serde_json::from_str::<serde_json::Value>(&e.payload)
                .is_ok_and(|p| p["certificate_number"].as_str().is_some_and(|n| !n.is_empty()))
    });
    if issued {
        vec![(format!("/cases/{}/certificate", view.case.id), "证书")]
    } else {
        Vec::new()
    }
}

/// One party's particulars as the certificate prints them.
pub struct PartyLines {
    /// 男方 / 女方 on a marriage certificate by sex, else 当事人.
    pub role: &'static str,
    pub name: String,
    pub sex: String,
    pub nationality: &'static str,
    pub birth_date: String,
    pub id_number: String,
}

impl PartyLines {
    fn of(p: &CertificateParty) -> PartyLines {
        let birth = p.birth_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        PartyLines {
            role: match p.sex {
                Some("男") => "男方",
                Some("女") => "女方",
                _ => "当事人",
            },
            name: p.name.clone(),
            sex: p.sex.unwrap_or("").to_string(),
            // A party is on record by a 公民身份号码, which only a Chinese citizen holds
            // (居民身份证法第二条).
            nationality: "中国",
            birth_date: birth.map(date_zh).unwrap_or_default(),
            id_number: p.id_number.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "verticals/marriage/certificate.html")]
pub struct CertificatePage {
    pub title: String,
    pub back: Option<String>,
    pub kind: String,
    pub number: String,
    pub office: String,
    pub date: String,
    pub date_cn: String,
    /// In full: one page per holder; else the masked particulars.
    pub full: bool,
    /// The content digest as printed (shortened).
    pub digest: String,
    pub holders: Vec<String>,
    pub parties: Vec<PartyLines>,
    pub url: String,
    pub qr: String,
}

/// The printable certificate of a registering case (结婚证 / 离婚证 / 补发), with the QR code of
/// its public verification address.
#[utoipa::path(
    get,
    path = "/cases/{id}/certificate",
    tag = "pages",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    responses(
        (status = 200, description = "可打印的证书页：可查看完整个人信息的角色得到每位当事人一页证书（双方姓名、性别、国籍、出生日期、公民身份号码完整，逐人记录查阅）；其他角色得到脱敏的证书信息（不作证书使用）。含证书编号、登记机关、日期、盖章处、核验二维码", content_type = "text/html", body = String),
        (status = 401, description = "未登录", content_type = "text/html", body = String),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在，或未颁发证书", content_type = "text/html", body = String),
    )
)]
pub async fn certificate(
    State(state): State<AppState>,
    user: Result<AuthUser, AppError>,
    headers: HeaderMap,
    id: Result<AppPath<i64>, AppError>,
) -> Response {
    let (user, AppPath(id)) = match (user, id) {
        (Ok(user), Ok(id)) => (user, id),
        (Err(err), _) | (_, Err(err)) => return err.into_html(),
    };
    let cert = match state.app.case_certificate(&user.actor, id).await {
        Ok(cert) => cert,
        Err(err) => return AppError::from(err).into_html(),
    };
    let url = format!(
        "{}/verify/certificate/{}?c={}&d={}",
        public_base(&state, &headers),
        cert.number,
        cert.check,
        cert.digest
    );
    let on = NaiveDate::parse_from_str(&cert.date, "%Y-%m-%d").ok();
    let page = CertificatePage {
        title: cert.kind_name.to_string(),
        back: Some(format!("/cases/{id}")),
        kind: cert.kind_name.to_string(),
        number: cert.number.clone(),
        office: cert.office_name.clone(),
        date: on.map(date_zh).unwrap_or_else(|| cert.date.clone()),
        date_cn: on.map(date_cn).unwrap_or_else(|| cert.date.clone()),
        full: cert.full,
        digest: short(&cert.digest),
        holders: if cert.full { cert.parties.iter().map(|p| p.name.clone()).collect() } else { Vec::new() },
        parties: cert.parties.iter().map(PartyLines::of).collect(),
        qr: qr_svg(&url),
        url,
    };
    render(&page)
}

/// The public verification of a certificate: only whether it exists and is current.
#[utoipa::path(
    get,
    path = "/verify/certificate/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "证书编号"),
        ("c" = String, Query, description = "核验码（证书页二维码中）"),
        ("d" = Option<String>, Query, description = "证书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "公开核验页：证书种类、登记机关、日期、是否有效（不显示当事人信息）", content_type = "text/html", body = String),
        (status = 404, description = "编号或核验码不符，或证书内容与记录不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify_certificate(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与编号和核验码相符的证书";
    let (number, query) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let status = match verified(state.app.verify_certificate(&number, &query.c).await, NOT_FOUND) {
        Ok(status) => status,
        Err(page) => return page,
    };
    // A QR code printed with the digest: the certificate on record must have that content.
    let presented = query.d.trim().to_ascii_lowercase();
    if !presented.is_empty() && !constant_time_eq(&presented, &status.digest) {
        return not_found_page("证书内容与记录不符：该证书可能被改动或伪造，请向登记机关核实");
    }
    let on = NaiveDate::parse_from_str(&status.date, "%Y-%m-%d").ok();
    let mut rows = vec![
        ("证书编号".to_string(), status.number.clone()),
        ("证书种类".to_string(), status.kind_name.to_string()),
        ("登记机关".to_string(), status.office_name.clone()),
        ("登记日期".to_string(), on.map(date_zh).unwrap_or(status.date.clone())),
        ("状态".to_string(), status.standing_name.to_string()),
    ];
    let intro = if presented.is_empty() {
        "该编号的证书信息如下（不显示当事人信息）："
    } else {
        rows.push(("内容摘要（SM3）".to_string(), short(&status.digest)));
        "该证书与登记机关的记录相符。证书信息如下（不显示当事人信息）："
    };
    render(&VerifyPage { title: "证书核验".into(), back: None, intro: intro.into(), rows })
}
