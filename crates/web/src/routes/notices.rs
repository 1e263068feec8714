//! The written notices of a case as printable Chinese pages (受理通知书, 一次性告知书, 不予受理通知书,
//! 准予/不予决定书), each with the case number and a QR code of its public verification page,
//! which shows only the masked minimum. Every interpolated value goes through
//! [`escape_html`]; the pages carry no inline style or script (the CSP forbids both).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use domain::engine::case::{CaseStatus, Outcome};
use qrcode::render::svg;
use qrcode::QrCode;
use serde::Deserialize;
use service::assistance::DecisionView;
use service::cases::{shanghai_text, CaseView};

use crate::error::AppError;
use crate::extract::{AppPath, AppQuery, AuthUser};
use crate::routes::pages::escape_html;
use crate::AppState;

/// 行政复议 and 行政诉讼: where and how long the applicant may challenge a refusal or decision.
pub const REMEDIES: &str =
    "如不服本决定，可以自收到本文书之日起六十日内依法申请行政复议（《中华人民共和国行政复议法》第二十条），\
     或者自收到本文书之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。";

/// The kinds of notice, by their path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Acceptance,
    Missing,
    NotAccepted,
    Decision,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s {
            "acceptance" => Some(Kind::Acceptance),
            "missing" => Some(Kind::Missing),
            "not_accepted" => Some(Kind::NotAccepted),
            "decision" => Some(Kind::Decision),
            _ => None,
        }
    }
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} - 民政业务平台</title>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape_html(title)
    ))
}

fn not_found_page(message: &str) -> Response {
    AppError::new(StatusCode::NOT_FOUND, "notice_not_found", message).into_html()
}

/// `http(s)://host` from the request's Host header when it looks like a host name, else empty
/// (the QR code then holds a path only).
fn origin(headers: &HeaderMap, secure: bool) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let sane = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if sane {
        format!("{}://{host}", if secure { "https" } else { "http" })
    } else {
        String::new()
    }
}

/// The public verification address of a case number.
fn verify_url(state: &AppState, headers: &HeaderMap, number: &str) -> String {
    format!("{}/verify/case/{number}?c={}", origin(headers, state.secure_cookies), state.app.case_check_code(number))
}

/// The QR code of `url`, as an inline SVG element.
fn qr_svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<svg::Color>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(err) => {
            tracing::error!(error = %err, "QR code not rendered");
            String::new()
        }
    }
}

fn row(label: &str, value: &str) -> String {
    format!("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", escape_html(label), escape_html(value))
}

/// The payload of the latest event of `act` in the case's record, if any.
fn last_payload(events: &[domain::audit::Event], act: &str) -> Option<(serde_json::Value, i64)> {
    events.iter().rev().find(|e| e.act == act).and_then(|e| serde_json::from_str(&e.payload).ok().map(|p| (p, e.at_ms)))
}

fn ms_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(shanghai_text).unwrap_or_default()
}

#[derive(Debug, Deserialize)]
pub struct NoticePath {
    id: i64,
    kind: String,
}

#[utoipa::path(
    get,
    path = "/cases/{id}/notices/{kind}",
    tag = "pages",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "办件编号（id）"),
        ("kind" = String, Path, description = "acceptance 受理通知书 | missing 一次性告知书 | not_accepted 不予受理通知书 | decision 准予/不予决定书"),
    ),
    responses(
        (status = 200, description = "可打印的文书（含办件编号和核验二维码）", content_type = "text/html", body = String),
        (status = 401, description = "未登录", content_type = "text/html", body = String),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在，或尚无此文书", content_type = "text/html", body = String),
    )
)]
pub async fn notice(
    State(state): State<AppState>,
    user: Result<AuthUser, AppError>,
    headers: HeaderMap,
    path: Result<AppPath<NoticePath>, AppError>,
) -> Response {
    let user = match user {
        Ok(user) => user,
        Err(err) => return err.into_html(),
    };
    let AppPath(NoticePath { id, kind }) = match path {
        Ok(path) => path,
        Err(err) => return err.into_html(),
    };
    let Some(kind) = Kind::parse(&kind) else {
        return not_found_page("没有这种文书；可选：acceptance、missing、not_accepted、decision");
    };
    let view = match state.app.case(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html(),
    };
    let events = match state.app.case_events(&user.actor, id).await {
        Ok(events) => events,
        Err(err) => return AppError::from(err).into_html(),
    };
    // An assistance decision's notice shows its stored evaluation (rule version, trace, authority).
    let assistance = match kind {
        Kind::Decision => match state.app.assistance_decision(&user.actor, id).await {
            Ok(d) => Some(d),
            Err(err) if err.kind == service::ErrorKind::NotFound => None,
            Err(err) => return AppError::from(err).into_html(),
        },
        _ => None,
    };
    let body = match render(kind, &view, &events, assistance.as_ref()) {
        Some(body) => body,
        None => return not_found_page("该办件尚无此文书"),
    };
    let case = &view.case;
    let url = verify_url(&state, &headers, &case.number);
    let (title, content) = body;
    let html = format!(
        "<h1>{title}</h1>\n<p>编号：{number}</p>\n{content}\n\
         <section aria-label=\"核验\">\n<p>扫描二维码核验本文书：{url}</p>\n{qr}\n</section>",
        title = escape_html(&title),
        number = escape_html(&case.number),
        url = escape_html(&url),
        qr = qr_svg(&url),
    );
    page(&title, &html).into_response()
}

/// The title and body of a notice, or None when the case has none of this kind yet.
fn render(
    kind: Kind,
    view: &CaseView,
    events: &[domain::audit::Event],
    assistance: Option<&DecisionView>,
) -> Option<(String, String)> {
    let case = &view.case;
    let applicant = view.applicant.as_ref().map(|a| a.name.clone()).unwrap_or_default();
    let mut table = String::from("<table>\n");
    table.push_str(&row("申请人", &applicant));
    table.push_str(&row("申请事项", &view.item_name));
    if let Some(at) = case.submitted_at {
        table.push_str(&row("申请时间", &shanghai_text(at)));
    }
    let rows = |table: &mut String, extra: &[(&str, String)]| {
        for (label, value) in extra {
            table.push_str(&row(label, value));
        }
        table.push_str("</table>\n");
    };
    match kind {
        Kind::Acceptance => {
            let accepted = case.accepted_at?;
            let due = view.deadline.due.map(|d| d.to_string()).unwrap_or_else(|| "当场办结".to_string());
            rows(
                &mut table,
                &[
                    ("受理时间", shanghai_text(accepted)),
                    ("承诺办结日期", due),
                    ("期限计算", view.deadline.explanation.clone()),
                ],
            );
            let body = format!(
                "{table}<p>{}：你（单位）提出的申请，申请材料齐全、符合法定形式，本机关决定予以受理（《中华人民共和国行政许可法》第三十二条）。</p>",
                escape_html(&applicant)
            );
            Some(("受理通知书".to_string(), body))
        }
        Kind::Missing => {
            let (payload, at) = last_payload(events, "case.notify_missing")?;
            let names: Vec<String> = payload["names"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            rows(&mut table, &[("告知时间", ms_text(at))]);
            let items: String = names.iter().map(|n| format!("<li>{}</li>\n", escape_html(n))).collect();
            let body = format!(
                "{table}<p>{}：你（单位）提出的申请，申请材料不齐全或者不符合法定形式。现一次性告知需要补正的全部内容如下：</p>\n\
                 <ol>\n{items}</ol>\n<p>请补正上述全部材料后再行提交；补正期间不计入办理期限（《中华人民共和国行政许可法》第三十二条）。</p>",
                escape_html(&applicant)
            );
            Some(("一次性告知书".to_string(), body))
        }
        Kind::NotAccepted => {
            if case.status != CaseStatus::Closed(Outcome::NotAccepted) {
                return None;
            }
            let (payload, at) = last_payload(events, "case.refuse_acceptance")?;
            let reasons = payload["reasons"].as_str().unwrap_or("").to_string();
            rows(&mut table, &[("决定时间", ms_text(at)), ("不予受理的理由", reasons)]);
            let body = format!(
                "{table}<p>{}：你（单位）提出的申请，本机关决定不予受理（《中华人民共和国行政许可法》第三十二条）。</p>\n<p>{}</p>",
                escape_html(&applicant),
                escape_html(REMEDIES)
            );
            Some(("不予受理通知书".to_string(), body))
        }
        Kind::Decision => {
            let decision = case.decision.as_ref()?;
            let (title, verdict) = match (decision.granted, assistance.map(|d| d.outcome.as_str())) {
                (_, Some("stop")) => ("停发决定书", "经复核，你（家庭）已不符合享受条件，本机关决定停止发放。"),
                (_, Some("adjust")) => ("救助金调整决定书", "经复核，本机关决定按下列核算结果调整救助金。"),
                (true, _) => ("准予决定书", "经审查，你（单位）的申请符合法定条件、标准，本机关决定准予。"),
                // 婚姻登记条例（2003年）第七条: 不予登记的，应当向当事人说明理由.
                (false, _) if matches!(case.item_slug.as_str(), "marriage-registration" | "divorce-registration") => {
                    ("不予登记决定书", "经审查，你们的申请不符合登记条件，本机关决定不予登记，理由见上。")
                }
                (false, _) => ("不予准予决定书", "经审查，你（单位）的申请不符合法定条件、标准，本机关决定不予准予。"),
            };
            let mut extra = vec![("决定时间", shanghai_text(decision.at)), ("依据", decision.basis.clone())];
            if !decision.reasons.is_empty() {
                extra.push(("理由", decision.reasons.clone()));
            }
            if let domain::engine::case::Authority::Delegated { document } = &decision.authority {
                extra.push(("权限来源", format!("依{document}下放的权限作出")));
            }
            let mut trace = String::new();
            if let Some(d) = assistance {
                extra.extend(assistance_rows(d));
                let lines: String = d.trace.iter().map(|l| format!("<li>{}</li>\n", escape_html(l))).collect();
                trace =
                    format!("<section aria-label=\"核算过程\">\n<h2>核算过程</h2>\n<ol>\n{lines}</ol>\n</section>\n");
            }
            rows(&mut table, &extra);
            let body = format!(
                "{table}{trace}<p>{}：{verdict}</p>\n<p>{}</p>",
                escape_html(&applicant),
                escape_html(REMEDIES)
            );
            Some((title.to_string(), body))
        }
    }
}

/// The rows an assistance decision adds to its notice: the program, the authority (本级职权 or
/// 下放 with the document), the rule version applied, the amount and months, the reviewed case.
fn assistance_rows(d: &DecisionView) -> Vec<(&'static str, String)> {
    let mut out = vec![("救助项目", d.program_name.clone()), ("作出决定的权限", d.authority.clone())];
    out.push(("适用标准版本", d.rule_version.clone()));
    if d.granted {
        out.push(("救助金额", format!("{} 元", d.amount_yuan)));
    }
    if let Some(first) = &d.first_month {
        let label = if d.outcome == "stop" { "停发起始月份" } else { "发放起始月份" };
        out.push((label, first.clone()));
    }
    if let Some(last) = &d.last_month {
        out.push(("发放截止月份", last.clone()));
    }
    if let Some(reviewed) = d.recheck_of_case {
        out.push(("复核的原决定", format!("办件 {reviewed}")));
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    c: String,
}

/// The number and check code of a public verification page, or the page that answers a
/// malformed request. Numbers longer than any we issue are simply not found.
#[allow(clippy::result_large_err)] // the Err is the page itself, answered at once
fn verification_input(
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
    not_found: &str,
) -> Result<(String, String), Response> {
    let (AppPath(number), AppQuery(query)) = match (number, query) {
        (Ok(number), Ok(query)) => (number, query),
        (Err(err), _) | (_, Err(err)) => return Err(err.into_html()),
    };
    if number.len() > 64 {
        return Err(not_found_page(not_found));
    }
    Ok((number, query.c))
}

/// A verification lookup's answer, with "not found" (a wrong number or code) as a plain page.
#[allow(clippy::result_large_err)] // the Err is the page itself, answered at once
fn verified<T>(result: service::ServiceResult<T>, not_found: &str) -> Result<T, Response> {
    match result {
        Ok(found) => Ok(found),
        Err(err) if err.kind == service::ErrorKind::NotFound => Err(not_found_page(not_found)),
        Err(err) => Err(AppError::from(err).into_html()),
    }
}

#[utoipa::path(
    get,
    path = "/verify/case/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "办件编号，如 511700-2021-000001"),
        ("c" = String, Query, description = "文书上印制的核验码"),
    ),
    responses(
        (status = 200, description = "公开核验页：仅显示事项、状态、脱敏的申请人姓名和日期", content_type = "text/html", body = String),
        (status = 404, description = "编号或核验码不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与编号和核验码相符的文书";
    let (number, code) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let view = match verified(state.app.verify_case(&number, &code).await, NOT_FOUND) {
        Ok(view) => view,
        Err(page) => return page,
    };
    let case = &view.case;
    let mut table = String::from("<table>\n");
    table.push_str(&row("办件编号", &case.number));
    table.push_str(&row("申请事项", &view.item_name));
    table.push_str(&row("申请人", view.applicant.as_ref().map(|a| a.name_masked.as_str()).unwrap_or("")));
    table.push_str(&row("办理状态", case.status.name_zh()));
    for (label, at) in [("申请时间", case.submitted_at), ("受理时间", case.accepted_at), ("办结时间", case.closed_at)]
    {
        if let Some(at) = at {
            table.push_str(&row(label, &shanghai_text(at)));
        }
    }
    table.push_str("</table>");
    let body = format!("<h1>文书核验</h1>\n<p>该编号的办件信息如下（仅显示必要的脱敏信息）：</p>\n{table}");
    page("文书核验", &body).into_response()
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
        (status = 200, description = "可打印的证书页：可查看完整个人信息的角色得到每位当事人一份证书（当事人姓名、公民身份号码完整，逐人记录查阅）；其他角色得到脱敏的证书信息（不作证书使用）。含证书编号、登记机关、日期、核验二维码", content_type = "text/html", body = String),
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
    let url = format!("{}/verify/certificate/{}?c={}", origin(&headers, state.secure_cookies), cert.number, cert.check);
    let mut table = String::from("<table>\n");
    table.push_str(&row("证书编号", &cert.number));
    table.push_str(&row("登记机关", &cert.office_name));
    table.push_str(&row("登记日期", &cert.date));
    for (i, (name, id_number)) in cert.parties.iter().enumerate() {
        let label = if i == 0 { "当事人" } else { "另一方当事人" };
        table.push_str(&row(label, &format!("{name}（公民身份号码 {id_number}）")));
    }
    table.push_str("</table>");
    let check = format!(
        "<section aria-label=\"核验\">\n<p>扫描二维码核验本证：{url}</p>\n{qr}\n</section>",
        url = escape_html(&url),
        qr = qr_svg(&url),
    );
    let title = escape_html(cert.kind_name);
    let html = if cert.full {
        // One certificate per party (each holds their own), with both parties' data in full.
        cert.parties
            .iter()
            .map(|(holder, _)| {
                let holder = escape_html(holder);
                format!(
                    "<section class=\"certificate\" aria-label=\"{title}（持证人：{holder}）\">\n\
                     <h2>{title}（持证人：{holder}）</h2>\n{table}\n{check}\n</section>"
                )
            })
            .fold(format!("<h1>{title}</h1>\n"), |page, copy| page + &copy + "\n")
    } else {
        format!(
            "<h1>{title}信息（已脱敏）</h1>\n<p>您的角色不能查看当事人的完整身份信息，本页仅供核对，不能作为证书打印发给当事人。</p>\n\
             {table}\n{check}"
        )
    };
    page(cert.kind_name, &html).into_response()
}

/// The public verification of a certificate: only whether it exists and is current.
#[utoipa::path(
    get,
    path = "/verify/certificate/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "证书编号"),
        ("c" = String, Query, description = "核验码（证书页二维码中）"),
    ),
    responses(
        (status = 200, description = "公开核验页：证书种类、登记机关、日期、是否有效", content_type = "text/html", body = String),
        (status = 404, description = "编号或核验码不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify_certificate(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与编号和核验码相符的证书";
    let (number, code) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let status = match verified(state.app.verify_certificate(&number, &code).await, NOT_FOUND) {
        Ok(status) => status,
        Err(page) => return page,
    };
    let mut table = String::from("<table>\n");
    table.push_str(&row("证书编号", &status.number));
    table.push_str(&row("证书种类", status.kind_name));
    table.push_str(&row("登记机关", &status.office_name));
    table.push_str(&row("登记日期", &status.date));
    table.push_str(&row("状态", status.standing_name));
    table.push_str("</table>");
    let body = format!("<h1>证书核验</h1>\n<p>该编号的证书信息如下（不显示当事人信息）：</p>\n{table}");
    page("证书核验", &body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_come_only_from_sane_hosts() {
        let mut headers = HeaderMap::new();
        assert_eq!(origin(&headers, false), "");
        headers.insert(header::HOST, "mz.dazhou.gov.cn:8080".parse().expect("header"));
        assert_eq!(origin(&headers, true), "https://mz.dazhou.gov.cn:8080");
        headers.insert(header::HOST, "evil\"><script>".parse().expect("header"));
        assert_eq!(origin(&headers, false), "");
    }

    #[test]
    fn qr_codes_are_svg() {
        let svg = qr_svg("http://localhost/verify/case/511700-2021-000001?c=0123abcd");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(!svg.contains("<script"));
    }
}
