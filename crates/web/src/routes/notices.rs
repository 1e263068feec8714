//! The written notices of a case as printable official documents (受理通知书, 一次性告知书,
//! 不予受理通知书, 准予/不予决定书): the issuing office, the 文号, the addressee, the body, the
//! remedies of an adverse decision, the 落款 with a seal area, and the QR code of the public
//! verification page, which carries the SM3 digest of the document's content
//! ([`crate::document`]). What an area adds to a notice (an amount and its months, an area's own
//! title of a refusal, a certificate) comes from [`crate::verticals`]; this file names no area. Pages are askama templates (escaped by default) with no inline style or script (the CSP
//! forbids both): the 打印 button is wired by `/static/print.js`.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::audit::Event;
use domain::calendar::shanghai_date;
use domain::engine::case::{Authority, CaseStatus, Outcome};
use domain::vertical::Vertical;
use qrcode::render::svg;
use qrcode::QrCode;
use serde::Deserialize;
use service::cases::{shanghai_text, CaseView};

use crate::document::{authority_name, document_number, Document};
use crate::error::AppError;
use crate::extract::{AppPath, AppQuery, AuthUser};
use crate::views::{date_zh, render};
use crate::AppState;

/// 行政复议 and 行政诉讼: where and how long the applicant may challenge a refusal or an adverse
/// decision (行政复议法第二十条: 六十日; 行政诉讼法第四十六条: 六个月).
pub const REMEDIES: &str =
    "如不服本决定，可以自收到本文书之日起六十日内依法申请行政复议（《中华人民共和国行政复议法》第二十条），\
     或者自收到本文书之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。";

/// The kinds of notice, by their path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Acceptance,
    Missing,
    NotAccepted,
    Decision,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] =
        [NoticeKind::Acceptance, NoticeKind::Missing, NoticeKind::NotAccepted, NoticeKind::Decision];

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The path segment, also the kind in the verification address.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::Missing => "missing",
            NoticeKind::NotAccepted => "not_accepted",
            NoticeKind::Decision => "decision",
        }
    }

    /// The kind's character in the 文号 (通民受〔2021〕第5号).
    fn mark(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "受",
            NoticeKind::Missing => "补",
            NoticeKind::NotAccepted => "不受",
            NoticeKind::Decision => "决",
        }
    }
}

/// What an area says in its own words on a decision: the title and the decided words, replacing
/// the generic 准予决定书 / 不予准予决定书 sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub title: &'static str,
    /// The decided words, naming what is granted, stopped or refused.
    pub words: String,
    /// An adverse decision: the remedies are printed.
    pub adverse: bool,
}

/// What an area adds to a notice of one of its cases ([`crate::verticals::notice_rows`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AreaNotice {
    pub verdict: Option<Verdict>,
    /// Particulars after the generic rows.
    pub rows: Vec<(&'static str, String)>,
    /// Titled numbered lists (how an amount was calculated).
    pub lists: Vec<(&'static str, Vec<String>)>,
    /// The area's rows restate the application's facts in its own words: the decision leaves out
    /// the generic rows of the facts.
    pub states_facts: bool,
    /// The document answers rather than decides (a 答复书): the row of its time and the
    /// remedies in the area's words (答复时间; 如对本答复不服…) instead of 决定时间 and [`REMEDIES`].
    pub answer: Option<AnswerWords>,
    /// Whom the document is addressed to when that is not the applicant on record: the
    /// organization an agent filed for (an institution's 备案回执 goes to the institution).
    pub addressee: Option<String>,
}

/// How an area's document that answers names its time and its remedies ([`AreaNotice::answer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerWords {
    /// The row of the document's time: 答复时间.
    pub time_label: &'static str,
    /// The remedies sentence, printed where the generic one would be.
    pub remedies: &'static str,
    /// The mark of its 文号 in place of the decision's 决 (公开答: 达市民公开答〔2021〕第1号).
    pub mark: &'static str,
}

/// The payload and time of the latest event of `act` in the case's record, if any.
pub fn last_payload(events: &[Event], act: &str) -> Option<(serde_json::Value, DateTime<Utc>)> {
    events.iter().rev().find(|e| e.act == act).and_then(|e| {
        let payload = serde_json::from_str(&e.payload).ok()?;
        Some((payload, DateTime::from_timestamp_millis(e.at_ms)?))
    })
}

/// The area of the item a case runs under, if it declares one.
pub fn vertical_of(state: &AppState, view: &CaseView) -> Option<Vertical> {
    state.app.case_item(&view.case).and_then(|item| item.vertical)
}

/// The documents of a case the case page links to, as (address, name): the generic notices the
/// case has reached, then its area's (a certificate).
pub fn available(vertical: Option<Vertical>, view: &CaseView, events: &[Event]) -> Vec<(String, String)> {
    let case = &view.case;
    let href = |kind: NoticeKind| format!("/cases/{}/notices/{}", case.id, kind.as_str());
    let mut out = Vec::new();
    if case.accepted_at.is_some() {
        out.push((href(NoticeKind::Acceptance), "受理通知书".to_string()));
    }
    if events.iter().any(|e| e.act == "case.notify_missing") {
        out.push((href(NoticeKind::Missing), "一次性告知书".to_string()));
    }
    if matches!(case.status, CaseStatus::Closed(Outcome::NotAccepted)) {
        out.push((href(NoticeKind::NotAccepted), "不予受理通知书".to_string()));
    }
    if case.decision.is_some() {
        // Named as the notice is titled where the area titles it (政府信息公开申请答复书).
        let area = crate::verticals::notice_rows(vertical, NoticeKind::Decision, view, events);
        let title = area.verdict.map_or("决定书", |v| v.title);
        out.push((href(NoticeKind::Decision), title.to_string()));
    }
    out.extend(
        crate::verticals::extra_notices(vertical, view, events)
            .into_iter()
            .map(|(href, name)| (href, name.to_string())),
    );
    out
}

/// The document of `kind` for a case, or None when the case has none of this kind yet. The
/// same function builds the printed notice and, on the public page, the content whose digest
/// the QR code must match. A document reads the case as it is now: an acceptance notice printed
/// before an extension (延期) moved the promised date no longer verifies, and is printed again.
pub fn build(vertical: Option<Vertical>, kind: NoticeKind, view: &CaseView, events: &[Event]) -> Option<Document> {
    let case = &view.case;
    let divisions = domain::division::Divisions::builtin();
    // A decision another node made (跨省通办): its notice is that office's, numbered on its
    // copy, its area's particulars read from the copy's record the result brought.
    let carried = carried_decision(events).filter(|_| kind == NoticeKind::Decision);
    let with_carried: Vec<Event>;
    let events = match &carried {
        Some(c) => {
            with_carried = events.iter().chain(&c.events).cloned().collect();
            &with_carried[..]
        }
        None => events,
    };
    let area = crate::verticals::notice_rows(vertical, kind, view, events);
    let item = view.item_name.clone();
    let mut rows: Vec<(String, String)> = vec![("申请事项".into(), item.clone())];
    if let Some(at) = case.submitted_at {
        rows.push(("申请时间".into(), shanghai_text(at)));
    }
    let submitted = case.submitted_at.map(|at| format!("于{}", date_zh(shanghai_date(at)))).unwrap_or_default();
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    let mut remedies = String::new();
    let (title, office, at, body) = match kind {
        NoticeKind::Acceptance => {
            let accepted = case.accepted_at?;
            let due = view.deadline.due.map(date_zh);
            rows.push(("受理时间".into(), shanghai_text(accepted)));
            rows.push(("承诺办结日期".into(), due.clone().unwrap_or_else(|| "当场办结".into())));
            let mut body = vec![format!(
                "你（单位）{submitted}提出的{item}申请，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项，本机关决定予以受理。"
            )];
            body.push(match due {
                Some(due) => format!("本机关将于{due}前作出决定，并依法送达。"),
                None => "本机关当场作出决定。".to_string(),
            });
            ("受理通知书".to_string(), &case.accepting, accepted, body)
        }
        NoticeKind::Missing => {
            let (payload, at) = last_payload(events, "case.notify_missing")?;
            let names: Vec<String> = payload["names"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            rows.push(("告知时间".into(), shanghai_text(at)));
            lists.push(("需要补正的材料".into(), names));
            let body = match &view.correction_law {
                // The item's own law of the correction (a period to correct, its lapse).
                Some((basis, restarts)) => vec![
                    format!("你（单位）{submitted}提出的{item}申请，需要补正。根据{basis}，现一次性告知需要补正的全部内容（见下）。"),
                    match restarts {
                        Some(law) => format!("请在补正期限内补正下列全部内容；根据{law}，办理期限自本机关收到补正之日起重新计算。"),
                        None => "请在补正期限内补正下列全部内容；补正期间不计入办理期限。".to_string(),
                    },
                ],
                None => vec![
                    format!("你（单位）{submitted}提出的{item}申请，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项，现一次性告知需要补正的全部内容（见下）。"),
                    "请补正下列全部材料后再行提交；补正期间不计入办理期限。".to_string(),
                ],
            };
            ("一次性告知书".to_string(), &case.accepting, at, body)
        }
        NoticeKind::NotAccepted => {
            if case.status != CaseStatus::Closed(Outcome::NotAccepted) {
                return None;
            }
            let (payload, at) = last_payload(events, "case.refuse_acceptance")?;
            let reasons = payload["reasons"].as_str().unwrap_or("").to_string();
            rows.push(("决定时间".into(), shanghai_text(at)));
            rows.push(("不予受理的理由".into(), reasons));
            rows.push(("依据".into(), "《中华人民共和国行政许可法》第三十二条第一款".into()));
            remedies = REMEDIES.to_string();
            let body =
                vec![format!("你（单位）{submitted}提出的{item}申请，经审查，本机关决定不予受理，理由和依据如下。")];
            ("不予受理通知书".to_string(), &case.accepting, at, body)
        }
        NoticeKind::Decision => {
            let decision = case.decision.as_ref()?;
            // An item declaring its outcomes (`[[outcomes]]`): the outcome's own words.
            let declared = view.outcome.as_ref().filter(|o| o.is_declared());
            if let Some(outcome) = declared {
                rows.push(("办理结果".into(), outcome.label.clone()));
                // What the decision stated by the outcome's own form (its reason, the manner).
                rows.extend(view.decided_rows.iter().map(|f| (f.label.clone(), f.text.clone())));
            }
            // What was decided, for whom: the facts the application stated (the organization, the
            // project, the place), as the item's form declares them.
            if !area.states_facts {
                rows.extend(view.fact_rows.iter().map(|f| (f.label.clone(), f.text.clone())));
            }
            let verdict = area.verdict.clone().or_else(|| {
                declared.map(|o| Verdict {
                    title: "办理结果告知书",
                    words: if o.notice.is_empty() {
                        format!("经审查，本机关对你（单位）的{item}申请作出如下决定：{}。", o.label)
                    } else {
                        o.notice.clone()
                    },
                    adverse: !o.grants,
                })
            });
            let verdict = verdict.unwrap_or_else(|| {
                if decision.granted {
                    Verdict {
                        title: "准予决定书",
                        words: format!("经审查，你（单位）的申请符合法定条件、标准，本机关决定准予{item}。"),
                        adverse: false,
                    }
                } else {
                    Verdict {
                        title: "不予准予决定书",
                        words: format!(
                            "经审查，你（单位）的申请不符合法定条件、标准，本机关决定不予准予{item}，理由和依据如下。"
                        ),
                        adverse: true,
                    }
                }
            });
            let time_label = area.answer.map_or("决定时间", |a| a.time_label);
            rows.push((time_label.into(), shanghai_text(decision.at)));
            if !decision.reasons.is_empty() {
                rows.push(("理由".into(), decision.reasons.clone()));
            }
            // The article the outcome rests on (第三十七条 for a 部分公开) first, where the decision's
            // basis (the item's, when the decider named none) does not state it already.
            let basis = match declared {
                Some(o) if !decision.basis.contains(&o.basis) => format!("{}；{}", o.basis, decision.basis),
                _ => decision.basis.clone(),
            };
            rows.push(("依据".into(), basis));
            if let Authority::Delegated { document } = &decision.authority {
                rows.push(("权限来源".into(), format!("依{document}下放的权限作出")));
            }
            if let Some(c) = &carried {
                rows.push(("作出决定的节点".into(), format!("{}（该节点办件编号{}）", c.node_name, c.number)));
            }
            if verdict.adverse {
                remedies = area.answer.map_or(REMEDIES, |a| a.remedies).to_string();
            }
            (verdict.title.to_string(), &decision.division, decision.at, vec![verdict.words])
        }
    };
    let addressee = area
        .addressee
        .filter(|name| !name.is_empty())
        .or_else(|| view.applicant.as_ref().map(|a| a.name.clone()))
        .unwrap_or_default();
    rows.extend(area.rows.into_iter().map(|(label, value)| (label.to_string(), value)));
    lists.extend(area.lists.into_iter().map(|(label, lines)| (label.to_string(), lines)));
    let numbered_on = carried.as_ref().map_or(case.number.as_str(), |c| c.number.as_str());
    let mark = area.answer.filter(|_| kind == NoticeKind::Decision).map_or(kind.mark(), |a| a.mark);
    Some(Document {
        kind: kind.as_str(),
        title,
        number: document_number(divisions, office, mark, numbered_on),
        case_number: case.number.clone(),
        authority: authority_name(divisions, office),
        addressee,
        body,
        rows,
        lists,
        remedies,
        date: shanghai_date(at),
    })
}

/// What a `node.result` brought with a decision made on another node: that node, its copy's
/// number and its copy's record (see `node.result_received`).
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedDecision {
    /// `四川省节点`.
    pub node_name: String,
    /// The competent copy's number: the 文号 of its notice is numbered on it.
    pub number: String,
    /// The competent copy's record, as events of this case (no sequence, no hash: they are
    /// read, never verified, here; the link names the sender's event).
    pub events: Vec<Event>,
}

/// The decision the latest `node.result_received` of the case's record brought, if any.
pub fn carried_decision(events: &[Event]) -> Option<CarriedDecision> {
    let received = events.iter().rev().find(|e| e.act == "node.result_received")?;
    let payload: serde_json::Value = serde_json::from_str(&received.payload).ok()?;
    let number = payload["remote_number"].as_str().filter(|n| !n.is_empty())?.to_string();
    let node = payload["link"]["from_node"].as_str().unwrap_or_default();
    let node_name = service::accounts::node_label(node);
    let events = payload["notice_record"]
        .as_array()
        .map(|record| {
            record
                .iter()
                .enumerate()
                .map(|(n, e)| Event {
                    seq: 0,
                    stream: received.stream.clone(),
                    stream_seq: n as i64,
                    at_ms: e["at_ms"].as_i64().unwrap_or(received.at_ms),
                    actor: received.actor.clone(),
                    act: e["act"].as_str().unwrap_or_default().to_string(),
                    division: received.division.clone(),
                    payload: e["payload"].to_string(),
                    prev_hash: [0; 32],
                    hash: [0; 32],
                })
                .collect()
        })
        .unwrap_or_default();
    Some(CarriedDecision { node_name, number, events })
}

/// The start of the public addresses printed in QR codes: the configured public address
/// (`MINZHENG_PUBLIC_URL`), else `http(s)://host` from the request's Host header when it looks
/// like a host name, else empty (the QR code then holds a path only).
pub(crate) fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    match &state.public_url {
        Some(url) => url.clone(),
        None => origin(headers, state.secure_cookies),
    }
}

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

/// Checks a configured public address (`MINZHENG_PUBLIC_URL`): `http://` or `https://`, a host,
/// optionally a path; no query, fragment, whitespace or quote. Returns it without a trailing `/`.
pub fn parse_public_url(input: &str) -> Result<String, String> {
    let url = input.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return Err("须以 http:// 或 https:// 开头".into()) };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("缺少主机名".into());
    }
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']' | b'/' | b'_' | b'~');
    if url.len() > 200 || !rest.bytes().all(allowed) {
        return Err("只能包含主机名、端口和路径（不含查询参数、空白或引号）".into());
    }
    Ok(url.to_string())
}

/// The QR code of `url`, as an inline SVG element.
pub fn qr_svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<svg::Color>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(err) => {
            tracing::error!(error = %err, "QR code not rendered");
            String::new()
        }
    }
}

pub(crate) fn not_found_page(message: &str) -> Response {
    AppError::new(StatusCode::NOT_FOUND, "notice_not_found", message).into_html()
}

/// The public verification address of a notice: the case number, its check code, the kind and
/// the digest of the document's content.
fn verify_url(state: &AppState, headers: &HeaderMap, doc: &Document) -> String {
    format!(
        "{}/verify/case/{}?c={}&k={}&d={}",
        public_base(state, headers),
        doc.case_number,
        state.app.case_check_code(&doc.case_number),
        doc.kind,
        doc.digest()
    )
}

#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub title: String,
    /// The case page, for the toolbar (not printed).
    pub back: Option<String>,
    pub doc: Document,
    pub check: String,
    pub url: String,
    /// The QR code as SVG markup, rendered by `qrcode` from `url` (no user text in it).
    pub qr: String,
}

impl NoticePage {
    /// A printable document with its verification address `url` (the QR code is drawn from it)
    /// and the check code printed beside its number; `back` is the page it was opened from.
    pub fn new(back: String, check: String, url: String, doc: Document) -> NoticePage {
        NoticePage { title: doc.title.clone(), back: Some(back), check, qr: qr_svg(&url), url, doc }
    }
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
        (status = 200, description = "可打印的文书：发文机关、文号、主送、正文、不利决定的救济途径、落款日期、盖章处和核验二维码（含内容摘要）", content_type = "text/html", body = String),
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
    let Some(kind) = NoticeKind::parse(&kind) else {
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
    let Some(doc) = build(vertical_of(&state, &view), kind, &view, &events) else {
        return not_found_page("该办件尚无此文书");
    };
    let url = verify_url(&state, &headers, &doc);
    let page = NoticePage::new(format!("/cases/{id}"), state.app.case_check_code(&doc.case_number), url, doc);
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    pub c: String,
    /// The notice kind (`acceptance`, …), with `d`.
    #[serde(default)]
    pub k: String,
    /// The SM3 digest of the notice's content, 64 hex digits.
    #[serde(default)]
    pub d: String,
}

/// The number and query of a public verification page, or the page that answers a malformed
/// request. Numbers longer than any we issue are simply not found.
#[allow(clippy::result_large_err)] // the Err is the page itself, answered at once
pub(crate) fn verification_input(
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
    not_found: &str,
) -> Result<(String, VerifyQuery), Response> {
    let (AppPath(number), AppQuery(query)) = match (number, query) {
        (Ok(number), Ok(query)) => (number, query),
        (Err(err), _) | (_, Err(err)) => return Err(err.into_html()),
    };
    if number.len() > 64 {
        return Err(not_found_page(not_found));
    }
    Ok((number, query))
}

/// A verification lookup's answer, with "not found" (a wrong number or code) as a plain page.
#[allow(clippy::result_large_err)] // the Err is the page itself, answered at once
pub(crate) fn verified<T>(result: service::ServiceResult<T>, not_found: &str) -> Result<T, Response> {
    match result {
        Ok(found) => Ok(found),
        Err(err) if err.kind == service::ErrorKind::NotFound => Err(not_found_page(not_found)),
        Err(err) => Err(AppError::from(err).into_html()),
    }
}

/// A public verification page: a heading, a sentence, the rows.
#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub title: String,
    pub back: Option<String>,
    pub intro: String,
    pub rows: Vec<(String, String)>,
}

#[utoipa::path(
    get,
    path = "/verify/case/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "办件编号，如 511700-2021-000001"),
        ("c" = String, Query, description = "文书上印制的核验码"),
        ("k" = Option<String>, Query, description = "文书种类（二维码中）：acceptance | missing | not_accepted | decision"),
        ("d" = Option<String>, Query, description = "文书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "公开核验页：文书种类、文号、日期、内容摘要（与记录相符时），以及事项、状态、脱敏的申请人姓名和日期", content_type = "text/html", body = String),
        (status = 404, description = "编号或核验码不符，或文书内容与记录不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与编号和核验码相符的文书";
    const ALTERED: &str = "文书内容与记录不符：该文书可能被改动或伪造，请向发文机关核实";
    let (number, query) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let (view, events) = match verified(state.app.verify_case_record(&number, &query.c).await, NOT_FOUND) {
        Ok(found) => found,
        Err(page) => return page,
    };
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut intro = "该编号的办件信息如下（仅显示必要的脱敏信息）：".to_string();
    // A QR code of a notice names its kind and digest: the document is rebuilt from the record
    // and must have exactly that content.
    if !query.k.is_empty() || !query.d.is_empty() {
        let doc = NoticeKind::parse(&query.k).and_then(|kind| build(vertical_of(&state, &view), kind, &view, &events));
        let matches =
            doc.as_ref().is_some_and(|doc| constant_time_eq(&doc.digest(), &query.d.trim().to_ascii_lowercase()));
        let Some(doc) = doc.filter(|_| matches) else {
            return not_found_page(ALTERED);
        };
        intro = "该文书与发文机关的记录相符。文书和办件信息如下（仅显示必要的脱敏信息）：".to_string();
        rows.push(("文书".into(), doc.title.clone()));
        rows.push(("文号".into(), doc.number.clone()));
        rows.push(("发文机关".into(), doc.authority.clone()));
        rows.push(("成文日期".into(), doc.date_cn()));
        rows.push(("内容摘要（SM3）".into(), doc.short_digest()));
    }
    let case = &view.case;
    rows.push(("办件编号".into(), case.number.clone()));
    rows.push(("申请事项".into(), view.item_name.clone()));
    rows.push(("申请人".into(), view.applicant.as_ref().map(|a| a.name_masked.clone()).unwrap_or_default()));
    rows.push(("办理状态".into(), crate::views::case_status_zh(&view)));
    for (label, at) in [("申请时间", case.submitted_at), ("受理时间", case.accepted_at), ("办结时间", case.closed_at)]
    {
        if let Some(at) = at {
            rows.push((label.into(), shanghai_text(at)));
        }
    }
    render(&VerifyPage { title: "文书核验".into(), back: None, intro, rows })
}

/// Equality of two ASCII strings that takes the same time wherever they differ.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
    fn public_urls_are_checked() {
        assert_eq!(parse_public_url("https://mz.dazhou.gov.cn/").as_deref(), Ok("https://mz.dazhou.gov.cn"));
        assert_eq!(parse_public_url("http://10.0.0.1:8080/minzheng").as_deref(), Ok("http://10.0.0.1:8080/minzheng"));
        assert!(parse_public_url("mz.dazhou.gov.cn").is_err());
        assert!(parse_public_url("https://").is_err());
        assert!(parse_public_url("https://a.cn/?x=1").is_err());
        assert!(parse_public_url("https://a.cn/\"><script>").is_err());
    }

    #[test]
    fn qr_codes_are_svg() {
        let svg = qr_svg("http://localhost/verify/case/511700-2021-000001?c=0123abcd");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn kinds_round_trip() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NoticeKind::parse("bogus"), None);
    }

    fn event(act: &str, payload: serde_json::Value) -> Event {
        Event {
            seq: 7,
            stream: "case:3".into(),
            stream_seq: 2,
            at_ms: 1_000,
            actor: "node:510000".into(),
            act: act.into(),
            division: Some("500101".into()),
            payload: payload.to_string(),
            prev_hash: [1; 32],
            hash: [2; 32],
        }
    }

    #[test]
    fn a_decision_from_another_node_brings_its_number_and_its_record() {
        assert_eq!(carried_decision(&[event("case.submit", serde_json::json!({}))]), None, "decided here");
        let decision = serde_json::json!({"amount_fen": 8000, "first_month": "2021-07"});
        let result = serde_json::json!({
            "remote_number": "511702-2021-000009",
            "link": {"from_node": "510000"},
            "notice_record": [
                {"act": "case.submit", "at_ms": 10, "payload": {}},
                {"act": "assistance.decision", "at_ms": 20, "payload": decision},
            ],
        });
        let events = [event("case.submit", serde_json::json!({})), event("node.result_received", result)];
        let carried = carried_decision(&events).expect("carried");
        assert_eq!((carried.node_name.as_str(), carried.number.as_str()), ("四川省节点", "511702-2021-000009"));
        assert_eq!(carried.events.len(), 2);
        // The area's particulars are read from the carried record as from the case's own.
        let (payload, at) = last_payload(&carried.events, "assistance.decision").expect("the area's decision");
        assert_eq!((payload, at.timestamp_millis()), (decision, 20));
        assert!(carried.events.iter().all(|e| e.stream == "case:3" && e.hash == [0; 32]));
        // A result without the copy's record (sent before it was carried): the number still.
        let bare = serde_json::json!({"remote_number": "511702-2021-000009", "link": {"from_node": "510000"}});
        let bare = carried_decision(&[event("node.result_received", bare)]).expect("carried");
        assert!(bare.events.is_empty() && bare.number == "511702-2021-000009");
    }

    #[test]
    fn digests_compare_whole() {
        assert!(constant_time_eq("abcd", "abcd"));
        assert!(!constant_time_eq("abcd", "abce"));
        assert!(!constant_time_eq("abcd", "abc"));
        assert!(!constant_time_eq("", "a"));
    }
}
