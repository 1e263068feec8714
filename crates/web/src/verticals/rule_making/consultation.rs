//! 公众参与 online and the 合法性审查意见书.
//!
//! Public: the list of drafts published for comment (`/rule-making/consultations`), a draft's
//! page with its explanation, its period and how to comment, the comment form while the period
//! runs (重大行政决策程序暂行条例第十四条、第十五条), and after it the 意见采纳情况 with each
//! published comment and its answer (第十八条). Staff answer each comment from the decision's
//! page. The legality opinion (第二十八条) is printed as a document the bureau issues, with the
//! QR code of its public verification (`/rule-making/verify/{number}`).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::verticals::rule_making::consultation::{public_name, COMMENT_MAX_CHARS, PHONE_CODE_MINUTES};
use domain::verticals::rule_making::decision::Step;
use domain::verticals::rule_making::hearing::Side;
use serde::Deserialize;
use service::verticals::rule_making::consultation::{case_shaped, decision_number, Consultation};
use service::verticals::rule_making::DecisionView;
use service::{ErrorKind, ServiceError};

use super::pages::{after_decision_post, query_param};
use crate::document::{authority_name, document_number, Document};
use crate::error::AppError;
use crate::extract::{self, AppPath, AppQuery, ClientAddr, PageForm, PagePath, PagePost, PageUser};
use crate::routes::notices::{
    constant_time_eq, not_found_page, public_base, verification_input, verified, NoticePage, VerifyPage, VerifyQuery,
};
use crate::views::{date_zh, render, render_status, Layout};
use crate::AppState;

// ---------------------------------------------------------------------------------------------
// The public list

pub struct ConsultationLine {
    pub id: i64,
    pub title: String,
    pub organ: String,
    pub period: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "verticals/rule_making/consultations.html")]
pub struct ConsultationsPage {
    pub layout: Layout,
    pub lines: Vec<ConsultationLine>,
}

fn status_text(c: &Consultation) -> String {
    if c.open {
        "正在征求意见".into()
    } else if let Some((on, ..)) = &c.summary {
        format!("已公布意见采纳情况（{}）", date_zh(*on))
    } else {
        "征求意见已结束，正在归纳意见".into()
    }
}

/// The drafts published for comment, open ones first.
#[utoipa::path(
    get,
    path = "/rule-making/consultations",
    tag = "pages",
    responses((status = 200, description = "公开征求意见的决策草案（正在征求意见的在前）", content_type = "text/html", body = String))
)]
pub async fn list(State(state): State<AppState>) -> Response {
    match state.app.rule_consultations().await {
        Ok(items) => render_status(
            StatusCode::OK,
            &ConsultationsPage {
                layout: Layout::public("公开征求意见"),
                lines: items
                    .iter()
                    .map(|c| ConsultationLine {
                        id: c.view.full.decision.id,
                        title: c.view.full.decision.title.clone(),
                        organ: c.view.full.decision.organ.clone(),
                        period: format!("{}至{}", date_zh(c.opened), date_zh(c.until)),
                        status: status_text(c),
                    })
                    .collect(),
            },
        ),
        Err(err) => AppError::from(err).into_html(),
    }
}

// ---------------------------------------------------------------------------------------------
// A draft's public page

#[derive(Template)]
#[template(path = "verticals/rule_making/consultation.html")]
pub struct ConsultationPage {
    pub layout: Layout,
    pub id: i64,
    pub title: String,
    pub organ: String,
    pub explanation: String,
    pub period: String,
    pub days: i64,
    pub shortened: String,
    pub open: bool,
    pub status: String,
    /// (received, adopted, reasons, date)
    pub summary: Option<(u32, u32, String, String)>,
    /// (name masked, date, content, status, answer)
    pub comments: Vec<(String, String, String, &'static str, String)>,
    /// The last hearing announced (第十六条): (its day, place, how participants are selected,
    /// the list of participants once published).
    pub hearing: Option<(String, String, String, String)>,
    /// The hearing takes applications now (第十六条), and the sides an applicant may speak for.
    pub hearing_open: bool,
    pub sides: Vec<(&'static str, &'static str)>,
    /// Who may comment here: [`Commenter`].
    pub commenter: Commenter,
    pub csrf_token: String,
    /// What the reader typed, shown again with a refusal.
    pub typed: Typed,
    pub max_chars: usize,
    pub code_minutes: i64,
}

/// What a reader typed into the comment forms and what became of it.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The organization a signed-in citizen comments for.
    pub organization: String,
    /// The name a commenter with a verified phone gives.
    pub name: String,
    /// An application to the hearing: the side and the statement.
    pub side: String,
    pub statement: String,
    pub content: String,
    /// The comment with a verified phone: first the number (a code is sent by SMS), then the
    /// code with the comment. `Some((ticket, phone masked))` once a code was sent, for the
    /// form of the comment; `None`, the form asking for the number.
    pub sent: Option<(i64, String)>,
    pub done: Option<String>,
    pub error: Option<String>,
}

/// Who reads a draft's page, for its comment form: comments come from a signed-in citizen
/// account bound to its person (实名认证) or from a mobile verified by an SMS code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commenter {
    /// Not signed in: the links to sign in or register, and the form with a phone.
    Anonymous,
    /// A citizen account not yet bound: the link to 实名认证, and the form with a phone.
    Unverified,
    /// A verified citizen: the form (in the name of their person, or of the organization they
    /// give).
    Verified,
    /// A staff account: staff do not comment as the public.
    Staff,
}

/// The reader of the page and what they may do with its form.
async fn commenter(state: &AppState, user: Option<&extract::AuthUser>) -> Commenter {
    let Some(user) = user else {
        return Commenter::Anonymous;
    };
    if !user.actor.has_role(domain::access::Role::Citizen) {
        return Commenter::Staff;
    }
    match state.app.citizen_person(&user.actor).await {
        Ok(Some(_)) => Commenter::Verified,
        _ => Commenter::Unverified,
    }
}

fn consultation_page(
    c: &Consultation,
    comments: Vec<service::verticals::rule_making::consultation::CommentRow>,
    user: Option<&extract::AuthUser>,
    commenter: Commenter,
    typed: Typed,
) -> ConsultationPage {
    let d = &c.view.full.decision;
    let steps = &c.view.full.steps;
    let hearing = steps.iter().rposition(|(s, _)| matches!(s, Step::HearingAnnounced { .. })).and_then(|at| {
        let Step::HearingAnnounced { held_on, place, selection, .. } = &steps[at].0 else { return None };
        let participants = steps[at..]
            .iter()
            .rev()
            .find_map(|(s, _)| match s {
                Step::HearingParticipants { participants, .. } => Some(participants.clone()),
                _ => None,
            })
            .unwrap_or_default();
        Some((date_zh(*held_on), place.clone(), selection.clone(), participants))
    });
    let shortened = c
        .view
        .full
        .steps
        .iter()
        .rev()
        .find_map(|(s, _)| match s {
            Step::CommentOpened { shortened_reason, .. } => Some(shortened_reason.clone()),
            _ => None,
        })
        .unwrap_or_default();
    ConsultationPage {
        layout: match user {
            Some(user) => Layout::for_user("公开征求意见", user),
            None => Layout::public("公开征求意见"),
        },
        id: d.id,
        title: d.title.clone(),
        organ: d.organ.clone(),
        explanation: d.summary.clone(),
        period: format!("{}至{}", date_zh(c.opened), date_zh(c.until)),
        days: (c.until - c.opened).num_days(),
        shortened,
        open: c.open,
        status: status_text(c),
        summary: c.summary.as_ref().map(|(on, r, a, why)| (*r, *a, why.clone(), date_zh(*on))),
        comments: if c.summary.is_some() {
            comments
                .into_iter()
                .map(|x| (public_name(&x.name), date_zh(x.submitted_on), x.content, x.status.name_zh(), x.answer))
                .collect()
        } else {
            Vec::new()
        },
        hearing,
        hearing_open: c.hearing_open,
        sides: Side::ALL.into_iter().map(|s| (s.as_str(), s.name_zh())).collect(),
        commenter,
        csrf_token: user.map(|u| u.csrf_token.clone()).unwrap_or_default(),
        typed,
        max_chars: COMMENT_MAX_CHARS,
        code_minutes: PHONE_CODE_MINUTES,
    }
}

/// The draft's page again after a post: with what was typed and the refusal or the news.
pub(super) async fn page_after(
    state: &AppState,
    id: i64,
    status: StatusCode,
    user: Option<&extract::AuthUser>,
    typed: Typed,
) -> Response {
    let who = commenter(state, user).await;
    match state.app.rule_consultation(id).await {
        Ok((c, comments)) => render_status(status, &consultation_page(&c, comments, user, who, typed)),
        Err(err) => match user {
            Some(user) => AppError::from(err).into_html_for(user),
            None => AppError::from(err).into_html(),
        },
    }
}

/// The status and the message of a refusal the page shows (422, 409, 429), or `None` for one that
/// is a page of its own (404, 403, a failure).
pub(super) fn shown_refusal(err: &ServiceError) -> Option<(StatusCode, String)> {
    let status = match err.kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        _ => return None,
    };
    Some((status, super::pages::problems(err).join("；")))
}

/// A draft's public page: its explanation, the period and how to comment, the form while the
/// period runs; after it, the 意见采纳情况 with the comments published and their answers.
#[utoipa::path(
    get,
    path = "/rule-making/consultations/{id}",
    tag = "pages",
    params(("id" = i64, Path, description = "决策编号")),
    responses(
        (status = 200, description = "决策草案征求意见页", content_type = "text/html", body = String),
        (status = 400, description = "编号格式不对", content_type = "text/html", body = String),
        (status = 404, description = "没有公开征求意见的这一决策草案", content_type = "text/html", body = String),
    )
)]
pub async fn page(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let done = match query_param(&query, "done").as_str() {
        "sent" => Some("意见已提交，感谢参与。征求意见结束后，本机关将公布意见采纳情况。".to_string()),
        "applied" => Some("报名已提交。本机关将按公布的遴选办法确定听证参加人，并在听证会召开前公布名单。".to_string()),
        _ => None,
    };
    let user = extract::cookie_session(&headers, &state).await;
    page_after(&state, id, StatusCode::OK, user.as_ref(), Typed { done, ..Typed::default() }).await
}

/// A comment on a draft open for comment, by a signed-in citizen whose account is bound to
/// its person (实名认证).
#[utoipa::path(
    post,
    path = "/rule-making/consultations/{id}/comments",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, organization（以单位名义提出时的单位名称，个人提出的不填）, content"),
    responses(
        (status = 303, description = "已提交：转回征求意见页；未登录：转到 /login"),
        (status = 400, description = "编号格式不对", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，或不是办事群众的账户", content_type = "text/html", body = String),
        (status = 404, description = "没有公开征求意见的这一决策草案", content_type = "text/html", body = String),
        (status = 415, description = "不是表单提交", content_type = "text/html", body = String),
        (status = 422, description = "不在征求意见期限内、账户尚未实名认证，或意见不符合要求：征求意见页与提示", content_type = "text/html", body = String),
        (status = 429, description = "同一客户端或账户提交过多", content_type = "text/html", body = String),
    )
)]
pub async fn comment(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    ClientAddr(addr): ClientAddr,
    post: PagePost,
) -> Response {
    let user = &post.user;
    let (organization, content) = (post.one("organization"), post.one("content"));
    match state.app.rule_comment_submit(&user.actor, &addr, id, &organization, &content).await {
        Ok(_) => Redirect::to(&format!("/rule-making/consultations/{id}?done=sent")).into_response(),
        Err(err) => match shown_refusal(&err) {
            Some((status, message)) => {
                let typed = Typed { organization, content, error: Some(message), ..Typed::default() };
                page_after(&state, id, status, Some(user), typed).await
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct PhoneCodeForm {
    #[serde(default)]
    phone: String,
}

/// Sends a one-time code by SMS to the mobile given, for commenting on a draft open for comment
/// without an account (recorded as sent: the project has no SMS gateway). The page comes back
/// with the form of the comment.
#[utoipa::path(
    post,
    path = "/rule-making/consultations/{id}/phone-code",
    tag = "pages",
    params(("id" = i64, Path, description = "决策编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "phone（11位手机号码）"),
    responses(
        (status = 200, description = "验证码已发送：征求意见页，附填写验证码和意见的表单（手机号脱敏显示）", content_type = "text/html", body = String),
        (status = 400, description = "编号格式不对", content_type = "text/html", body = String),
        (status = 403, description = "来自其他网站的请求", content_type = "text/html", body = String),
        (status = 404, description = "没有公开征求意见的这一决策草案", content_type = "text/html", body = String),
        (status = 415, description = "不是表单提交", content_type = "text/html", body = String),
        (status = 422, description = "手机号码格式不对或不是手机号码，或不在征求意见期限内：征求意见页与提示", content_type = "text/html", body = String),
        (status = 429, description = "同一客户端或同一手机号获取验证码过多", content_type = "text/html", body = String),
    )
)]
pub async fn phone_code(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<PhoneCodeForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    let user = extract::cookie_session(&headers, &state).await;
    match state.app.rule_phone_code_send(&addr, id, &form.phone).await {
        Ok((ticket, masked)) => {
            let done = format!(
                "验证码已发送至{masked}，{PHONE_CODE_MINUTES}分钟内有效：请在本页“用手机号提交意见”处填写验证码和意见。"
            );
            let typed = Typed { sent: Some((ticket, masked)), done: Some(done), ..Typed::default() };
            page_after(&state, id, StatusCode::OK, user.as_ref(), typed).await
        }
        Err(err) => match shown_refusal(&err) {
            Some((status, message)) => {
                page_after(&state, id, status, user.as_ref(), Typed { error: Some(message), ..Typed::default() }).await
            }
            None => AppError::from(err).into_html(),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct PhoneCommentForm {
    #[serde(default)]
    ticket: String,
    /// The phone masked as the page showed it (display only).
    #[serde(default)]
    masked: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    content: String,
}

/// A comment from a mobile verified by the code sent to it: checked, and the comment recorded
/// with the phone (encrypted, shown masked), in one transaction.
#[utoipa::path(
    post,
    path = "/rule-making/consultations/{id}/phone-comments",
    tag = "pages",
    params(("id" = i64, Path, description = "决策编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "ticket（获取验证码时页面给出）, code（短信中的6位验证码）, name（姓名或单位名称）, content"),
    responses(
        (status = 303, description = "已提交：转回征求意见页"),
        (status = 400, description = "编号格式不对", content_type = "text/html", body = String),
        (status = 403, description = "来自其他网站的请求", content_type = "text/html", body = String),
        (status = 404, description = "没有公开征求意见的这一决策草案", content_type = "text/html", body = String),
        (status = 415, description = "不是表单提交", content_type = "text/html", body = String),
        (status = 422, description = "验证码不正确、已失效或错误次数过多，不在征求意见期限内，或意见不符合要求：征求意见页与提示", content_type = "text/html", body = String),
        (status = 429, description = "同一客户端提交过多", content_type = "text/html", body = String),
    )
)]
pub async fn phone_comment(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<PhoneCommentForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    let user = extract::cookie_session(&headers, &state).await;
    match state.app.rule_comment_by_phone(&addr, id, &form.ticket, &form.code, &form.name, &form.content).await {
        Ok(_) => Redirect::to(&format!("/rule-making/consultations/{id}?done=sent")).into_response(),
        Err(err) => match shown_refusal(&err) {
            Some((status, message)) => {
                // The same code may be tried again unless it is gone: then a new one is asked for.
                let gone = matches!(err.code, "phone_code_missing" | "phone_code_spent");
                let sent = form
                    .ticket
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|_| !gone)
                    .map(|ticket| (ticket, form.masked.chars().take(20).collect::<String>()));
                let typed =
                    Typed { name: form.name, content: form.content, sent, error: Some(message), ..Typed::default() };
                page_after(&state, id, status, user.as_ref(), typed).await
            }
            None => AppError::from(err).into_html(),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct CommentPath {
    id: i64,
    comment: i64,
}

/// The organ's answer to one comment, from the decision's page.
#[utoipa::path(
    post,
    path = "/rule-making/decisions/{id}/comments/{comment}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号"), ("comment" = i64, Path, description = "意见编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, status（adopted、partly、not_adopted、withheld）, answer"),
    responses(
        (status = 303, description = "已答复：转回决策页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "决策或意见不存在", content_type = "text/html", body = String),
        (status = 409, description = "已答复或已变化", content_type = "text/html", body = String),
        (status = 422, description = "决策页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    PagePath(CommentPath { id, comment }): PagePath<CommentPath>,
    post: PagePost,
) -> Response {
    let user = &post.user;
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => state
            .app
            .rule_comment_answer(&user.actor, id, comment, rev, &post.one("status"), &post.one("answer"))
            .await
            .map(|_| ()),
        Err(_) => {
            Err(ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
                .with_field("expected_revision"))
        }
    };
    after_decision_post(&state, user, id, result, "answered").await
}

// ---------------------------------------------------------------------------------------------
// 合法性审查意见书

/// The legality opinion of the decision's `n`th act (1-based) as a document: the request it
/// answers, the procedures done before it (第二十六条 asks that they be explained), its
/// conclusion and text; `None` when that act is not a legality opinion.
pub(super) fn opinion(state: &AppState, view: &DecisionView, n: usize) -> Option<Document> {
    let d = &view.full.decision;
    let (Step::LegalityOpinion { on, passed, opinion }, _) = view.full.steps.get(n.checked_sub(1)?)? else {
        return None;
    };
    let before = &view.full.steps[..n - 1];
    let request = before.iter().rev().find_map(|(s, _)| match s {
        Step::LegalityRequested { on, due, reviewer } => Some((*on, *due, reviewer.clone())),
        _ => None,
    })?;
    let office = domain::division::DivisionCode::parse(&d.division).ok()?;
    let number = decision_number(d);
    let done: Vec<String> = before
        .iter()
        .filter(|(s, _)| !matches!(s, Step::LegalityRequested { .. } | Step::LegalityOpinion { .. }))
        .map(|(s, _)| format!("{}　{}：{}", date_zh(s.on()), s.name_zh(), super::pages::step_detail(s)))
        .collect();
    let mut body = vec![format!(
        "{}于{}送请审查的《{}》决策草案收悉。依据《重大行政决策程序暂行条例》第二十五条至第二十八条，经审查，提出意见如下：",
        d.organ,
        date_zh(request.0),
        d.title
    )];
    body.push(if *passed {
        "一、审查结论：该决策草案未发现违反法律、法规、规章的内容，决策程序符合规定，可以提交决策机关集体讨论。".to_string()
    } else {
        "一、审查结论：该决策草案存在合法性问题，应按本意见修改后重新送请合法性审查；未经合法性审查或者经审查不合法的，不得提交决策机关讨论。".to_string()
    });
    let mut lines = opinion.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect::<Vec<_>>();
    if !lines.is_empty() {
        lines[0] = format!("二、具体意见：{}", lines[0]);
    }
    body.extend(lines);
    Some(Document {
        kind: "legality",
        title: "合法性审查意见书".into(),
        number: document_number(state.app.divisions(), &office, "法审", case_shaped(&number)),
        case_number: number,
        authority: format!("{}（{}）", authority_name(state.app.divisions(), &office), request.2),
        addressee: d.organ.clone(),
        body,
        rows: vec![
            ("决策事项".into(), d.title.clone()),
            ("送审日期".into(), date_zh(request.0)),
            ("审查期限".into(), format!("{}（第二十七条：一般不少于7个工作日）", date_zh(request.1))),
            ("审查结论".into(), if *passed { "通过".into() } else { "不通过".into() }),
        ],
        lists: vec![("送审前已开展的程序".into(), done)],
        remedies: String::new(),
        date: *on,
    })
}

fn verify_url(state: &AppState, headers: &HeaderMap, doc: &Document) -> String {
    format!(
        "{}/rule-making/verify/{}?c={}&k={}&d={}",
        public_base(state, headers),
        doc.case_number,
        state.app.rule_check_code(&doc.case_number),
        doc.kind,
        doc.digest()
    )
}

#[derive(Debug, Deserialize)]
pub struct OpinionPath {
    id: i64,
    n: usize,
}

/// The printable 合法性审查意见书 of the decision's `n`th act.
#[utoipa::path(
    get,
    path = "/rule-making/decisions/{id}/legality-opinion/{n}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号"), ("n" = i64, Path, description = "办理过程中第几项记录")),
    responses(
        (status = 200, description = "可打印的合法性审查意见书（附核验二维码）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "决策不存在，或该项不是合法性审查意见", content_type = "text/html", body = String),
    )
)]
pub async fn opinion_page(
    State(state): State<AppState>,
    PagePath(OpinionPath { id, n }): PagePath<OpinionPath>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let view = match state.app.rule_decision(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let Some(doc) = opinion(&state, &view, n) else {
        return AppError::new(StatusCode::NOT_FOUND, "not_found", "没有这份合法性审查意见").into_html_for(&user);
    };
    let url = verify_url(&state, &headers, &doc);
    render_status(
        StatusCode::OK,
        &NoticePage::new(format!("/rule-making/decisions/{id}"), state.app.rule_check_code(&doc.case_number), url, doc),
    )
}

/// The public verification of a printed 合法性审查意见书.
#[utoipa::path(
    get,
    path = "/rule-making/verify/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "决策编号，如 ZC-511702-2021-000001"),
        ("c" = String, Query, description = "文书上印制的核验码"),
        ("k" = Option<String>, Query, description = "文书种类（二维码中）：legality"),
        ("d" = Option<String>, Query, description = "文书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "公开核验页：文书名称、文号、发文机关、成文日期、内容摘要", content_type = "text/html", body = String),
        (status = 400, description = "参数格式不对", content_type = "text/html", body = String),
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
    let view = match verified(state.app.rule_verify(&number, &query.c).await, NOT_FOUND) {
        Ok(view) => view,
        Err(page) => return page,
    };
    let digest = query.d.trim().to_ascii_lowercase();
    let doc = (query.k == "legality")
        .then(|| {
            (1..=view.full.steps.len())
                .filter_map(|n| opinion(&state, &view, n))
                .find(|doc| constant_time_eq(&doc.digest(), &digest))
        })
        .flatten();
    let Some(doc) = doc else {
        return not_found_page(ALTERED);
    };
    let rows = vec![
        ("文书".to_string(), doc.title.clone()),
        ("文号".to_string(), doc.number.clone()),
        ("发文机关".to_string(), doc.authority.clone()),
        ("成文日期".to_string(), doc.date_cn()),
        ("内容摘要（SM3）".to_string(), doc.short_digest()),
        ("编号".to_string(), doc.case_number.clone()),
    ];
    render(&VerifyPage {
        title: "合法性审查意见书核验".into(),
        back: None,
        intro: "该文书与发文机关的记录相符。文书信息如下：".into(),
        rows,
    })
}
