//! The staff pages of 建议提案办理: the list with due dates and overdue derived from the dates
//! and the year's figures, the registration form (also from a suggestion received at an open
//! day), a suggestion's page with its acts and the form to record the next, the printable reply
//! letter (答复函) and the open days. Forms go through the same domain parsers as the JSON API.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::access::Permission;
use domain::verticals::suggestions::{
    ActInput, ActKind, Kind, OpenDayInput, OpenDayInputInput, Satisfaction, Stage, SuggestionInput,
};
use service::verticals::suggestions::track::{case_shaped, suggestion_number};
use service::verticals::suggestions::{StatsView, SuggestionView};
use service::{ErrorKind, ServiceError};

use crate::document::{authority_name, document_number, Document};
use crate::error::AppError;
use crate::extract::{PagePath, PagePost, PageUser};
use crate::routes::notices::{public_base, NoticePage};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

pub(super) fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

fn problems(err: &ServiceError) -> Vec<String> {
    if err.problems.is_empty() {
        vec![err.message.clone()]
    } else {
        err.problems.iter().map(|p| p.message.clone()).collect()
    }
}

/// The year asked for, or `None` (every year) when absent; a malformed year is this year.
fn year_of(state: &AppState, query: &Option<String>) -> Option<i32> {
    let text = query_param(query, "year");
    if text.is_empty() {
        None
    } else {
        Some(text.parse::<i32>().unwrap_or_else(|_| state.app.today().year()))
    }
}

// ---------------------------------------------------------------------------------------------
// The list

pub struct Line {
    pub id: i64,
    pub kind: &'static str,
    pub number: String,
    pub subject: String,
    pub proposers: String,
    pub assigned: String,
    pub stage: &'static str,
    pub due: String,
    /// (colour, text)
    pub badge: Option<(&'static str, String)>,
}

/// One row of the figures: (label, assigned, handled, on time, satisfied, basic, dissatisfied, rate).
pub type StatsLine = (&'static str, u32, u32, u32, u32, u32, u32, String);

pub(super) fn stats_lines(v: &StatsView) -> Vec<StatsLine> {
    let line = |label: &'static str, s: &domain::verticals::suggestions::Stats| {
        (
            label,
            s.assigned - s.sent_back,
            s.handled,
            s.on_time,
            s.satisfied,
            s.basic,
            s.dissatisfied,
            s.satisfaction_percent().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
        )
    };
    let mut out: Vec<StatsLine> =
        v.by_kind.iter().filter(|(_, s)| s.assigned > 0).map(|(k, s)| line(k.name_zh(), s)).collect();
    out.push(line("合计", &v.total));
    out
}

fn badge(v: &SuggestionView) -> Option<(&'static str, String)> {
    let due = v.progress.next_due()?;
    let days = (due - v.today).num_days();
    Some(match days {
        n if n < 0 => ("red", format!("已超期{}天", -n)),
        0 => ("red", "今日期满".into()),
        n if n <= 15 => ("yellow", format!("剩{n}天")),
        n => ("green", format!("剩{n}天")),
    })
}

fn line(v: &SuggestionView) -> Line {
    let s = &v.full.row.suggestion;
    Line {
        id: v.full.row.id,
        kind: s.kind.name_zh(),
        number: s.number.clone(),
        subject: s.subject.clone(),
        proposers: s.proposers.join("、"),
        assigned: date_zh(s.assigned_on),
        stage: v.progress.stage().name_zh(),
        due: v.progress.next_due().map(date_zh).unwrap_or_else(|| "—".into()),
        badge: badge(v),
    }
}

#[derive(Template)]
#[template(path = "verticals/suggestions/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub lines: Vec<Line>,
    pub year: String,
    pub stats_year: i32,
    pub stats: Vec<StatsLine>,
    pub may_handle: bool,
}

/// The staff list: the suggestions of the jurisdiction with their due dates, and a year's figures.
#[utoipa::path(
    get,
    path = "/suggestions",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "交办年度（默认全部；统计默认本年度）")),
    responses(
        (status = 200, description = "建议提案列表（含答复期限）和年度统计", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
        (status = 422, description = "年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let year = year_of(&state, &query);
    let views = match state.app.suggestion_list(&user.actor, year).await {
        Ok(v) => v,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let stats_year = year.unwrap_or_else(|| state.app.today().year());
    let stats = match state.app.suggestion_stats(&user.actor, stats_year).await {
        Ok(s) => stats_lines(&s),
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    // Open ones first, the nearest due first.
    let mut views = views;
    views.sort_by_key(|v| (v.progress.next_due().is_none(), v.progress.next_due()));
    let page = ListPage {
        layout: Layout::for_user("建议提案办理", &user),
        lines: views.iter().map(line).collect(),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        stats_year,
        stats,
        may_handle: user.actor.may_somewhere(Permission::HandleSuggestions),
    };
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// Registration

#[derive(Default, Clone)]
pub struct FormValues {
    pub division: String,
    pub kind: String,
    pub session: String,
    pub number: String,
    pub proposers: String,
    pub subject: String,
    pub lead_unit: String,
    pub co_units: String,
    pub difficult: bool,
    pub assigned_on: String,
    pub open_day_input: String,
}

#[derive(Template)]
#[template(path = "verticals/suggestions/form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub v: FormValues,
    pub errors: Vec<String>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub organ: crate::pickers::DivisionPicker,
}

fn organ_picker(state: &AppState, actor: &domain::access::Actor, value: &str) -> crate::pickers::DivisionPicker {
    let field = crate::pickers::DivisionField::new("division", "承办机关（民政局）")
        .required()
        .down_to(domain::division::Level::County);
    crate::pickers::DivisionPicker::new(state.app.divisions(), actor, &field, value)
}

fn form_page(state: &AppState, user: &crate::extract::AuthUser, v: FormValues, errors: Vec<String>) -> FormPage {
    FormPage {
        organ: organ_picker(state, &user.actor, &v.division),
        layout: Layout::for_user("登记交办的建议提案", user),
        csrf_token: user.csrf_token.clone(),
        v,
        errors,
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.name_zh())).collect(),
    }
}

/// The registration form; `input` pre-fills it from a suggestion received at an open day.
#[utoipa::path(
    get,
    path = "/suggestions/new",
    tag = "pages",
    security(("cookie" = [])),
    params(("input" = Option<i64>, Query, description = "开放日收到的意见建议（预填）")),
    responses(
        (status = 200, description = "登记表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "该意见建议不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "该意见建议不存在", content_type = "text/html", body = String),
    )
)]
pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let mut v = FormValues {
        assigned_on: state.app.today().to_string(),
        kind: Kind::Deputy.as_str().into(),
        lead_unit: "民政局".into(),
        ..FormValues::default()
    };
    let input = query_param(&query, "input");
    if !input.is_empty() {
        let Ok(input_id) = input.parse::<i64>() else {
            return AppError::new(StatusCode::NOT_FOUND, "not_found", "开放日意见建议不存在").into_html_for(&user);
        };
        match state.app.open_day_input(&user.actor, input_id).await {
            Ok(row) => {
                v.kind = Kind::Public.as_str().into();
                v.session = "政务开放日".into();
                v.proposers = row.input.from_name;
                v.subject = row.input.content.chars().take(200).collect();
                v.open_day_input = input_id.to_string();
            }
            Err(err) => return AppError::from(err).into_html_for(&user),
        }
    }
    render_status(StatusCode::OK, &form_page(&state, &user, v, vec![]))
}

/// Registers the 交办; on success to the suggestion's page.
#[utoipa::path(
    post,
    path = "/suggestions/new",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, kind, session, number, proposers, subject, lead_unit, co_units, difficult, assigned_on, open_day_input"),
    responses(
        (status = 303, description = "已登记：转到建议提案页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "开放日意见建议不存在", content_type = "text/html", body = String),
        (status = 409, description = "该意见建议已登记", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn new_submit(State(state): State<AppState>, post: PagePost) -> Response {
    let v = FormValues {
        division: post.one("division"),
        kind: post.one("kind"),
        session: post.one("session"),
        number: post.one("number"),
        proposers: post.one("proposers"),
        subject: post.one("subject"),
        lead_unit: post.one("lead_unit"),
        co_units: post.one("co_units"),
        difficult: !post.one("difficult").is_empty(),
        assigned_on: post.one("assigned_on"),
        open_day_input: post.one("open_day_input"),
    };
    let user = &post.user;
    let input = SuggestionInput {
        kind: v.kind.clone(),
        session: v.session.clone(),
        number: v.number.clone(),
        proposers: v.proposers.clone(),
        subject: v.subject.clone(),
        lead_unit: v.lead_unit.clone(),
        co_units: v.co_units.clone(),
        difficult: post.one("difficult"),
        assigned_on: v.assigned_on.clone(),
    };
    let from = match v.open_day_input.as_str() {
        "" => Ok(None),
        text => text.parse::<i64>().map(Some).map_err(|_| {
            ServiceError::new(ErrorKind::Invalid, "invalid_open_day_input", "所选开放日意见建议无效")
                .with_field("open_day_input")
        }),
    };
    let result = match from {
        Ok(from) => state.app.suggestion_create(&user.actor, &v.division, &input, from).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(id) => Redirect::to(&format!("/suggestions/items/{id}?done=created")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            render_status(status, &form_page(&state, user, v.clone(), problems(&err)))
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

// ---------------------------------------------------------------------------------------------
// A suggestion's page

pub struct ItemLines {
    pub id: i64,
    pub revision: i64,
    pub number: String,
    pub facts: Vec<(&'static str, String)>,
    pub stage: &'static str,
    pub overdue: bool,
    /// (name, round, due, replied, form)
    pub proposers: Vec<(String, String, String, String, String)>,
    /// (date, act, detail, letter link)
    pub acts: Vec<(String, &'static str, String, Option<String>)>,
    pub open: bool,
    pub proposer_names: Vec<String>,
    pub units: Vec<String>,
}

#[derive(Template)]
#[template(path = "verticals/suggestions/item.html")]
pub struct ItemPage {
    pub layout: Layout,
    pub s: ItemLines,
    pub done: Option<String>,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub today: String,
    pub act_kinds: Vec<(&'static str, &'static str)>,
    pub results: Vec<(&'static str, &'static str)>,
}

fn lines(v: &SuggestionView) -> ItemLines {
    let s = &v.full.row.suggestion;
    let p = &v.progress;
    let mut facts = vec![
        ("类型", s.kind.name_zh().to_string()),
        ("会议（届次）", s.session.clone()),
        ("编号", s.number.clone()),
        ("题目", s.subject.clone()),
        ("提出人", s.proposers.join("、")),
        ("主办单位", s.lead_unit.clone()),
        ("协办单位", if s.co_units.is_empty() { "无".into() } else { s.co_units.join("、") }),
        ("交办日期", date_zh(s.assigned_on)),
        (
            "答复期限",
            format!(
                "{}（交办之日起{}个月，{}）",
                date_zh(p.reply_due),
                if s.difficult { 6 } else { 3 },
                if s.difficult { "涉及面广、处理难度大" } else { "代表法第五十一条" }
            ),
        ),
    ];
    if !s.co_units.is_empty() {
        facts.push(("协办意见期限", format!("{}（交办之日起1个月）", date_zh(p.co_opinion_due))));
        let late = p.co_opinions_overdue(v.today);
        if !late.is_empty() {
            facts.push(("协办意见逾期", late.join("、")));
        }
    }
    if p.stage() == Stage::Handling && v.full.acts.is_empty() {
        facts.push(("交办不当的退回期限", date_zh(p.send_back_due)));
    }
    let letter_of = |act_id: i64| Some(format!("/suggestions/items/{}/replies/{act_id}", v.full.row.id));
    ItemLines {
        id: v.full.row.id,
        revision: v.full.row.revision,
        number: suggestion_number(&v.full.row),
        facts,
        stage: p.stage().name_zh(),
        overdue: p.overdue(v.today),
        proposers: p
            .proposers
            .iter()
            .map(|x| {
                (
                    x.name.clone(),
                    if x.round > 1 { format!("第{}次办理", x.round) } else { "首次办理".into() },
                    date_zh(x.due),
                    x.sent.map(date_zh).unwrap_or_else(|| "未答复".into()),
                    x.last_feedback.map(|f| f.name_zh().to_string()).unwrap_or_else(|| "—".into()),
                )
            })
            .collect(),
        acts: v
            .full
            .acts
            .iter()
            .map(|a| {
                let act = &a.act;
                let who = [act.unit.as_str(), act.proposer.as_str()]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>();
                let mut detail = who.join("、");
                if let Some(r) = act.result {
                    detail = format!("{detail}：{}", r.name_zh());
                }
                if !act.note.is_empty() {
                    let note: String = act.note.chars().take(80).collect();
                    detail = if detail.is_empty() { note } else { format!("{detail}（{note}）") };
                }
                let link = if act.kind == ActKind::Send { letter_of(a.id) } else { None };
                (date_zh(act.on), act.kind.name_zh(), detail, link)
            })
            .collect(),
        open: !matches!(p.stage(), Stage::Done | Stage::SentBack),
        proposer_names: s.proposers.clone(),
        units: s.co_units.clone(),
    }
}

/// Whether `user` holds `permission` at `division` (the acts the page offers them).
fn may(state: &AppState, user: &crate::extract::AuthUser, permission: Permission, division: &str) -> bool {
    domain::division::DivisionCode::parse(division).is_ok_and(|d| user.actor.may(permission, &d, state.app.divisions()))
}

fn done_text(code: &str) -> Option<String> {
    Some(
        match code {
            "created" => "已登记，答复期限已按交办日期计算。",
            "act" => "已记录，期限已按最新情况重新计算。",
            _ => return None,
        }
        .to_string(),
    )
}

fn item_page(
    state: &AppState,
    user: &crate::extract::AuthUser,
    view: &SuggestionView,
    done: Option<String>,
    errors: Vec<String>,
) -> ItemPage {
    ItemPage {
        layout: Layout::for_user("建议提案办理", user),
        s: lines(view),
        done,
        errors,
        csrf_token: user.csrf_token.clone(),
        today: state.app.today().to_string(),
        act_kinds: ActKind::ALL
            .iter()
            .filter(|k| {
                let permission = if **k == ActKind::Approve {
                    Permission::ApproveSuggestionReply
                } else {
                    Permission::HandleSuggestions
                };
                may(state, user, permission, &view.full.row.division)
            })
            .map(|k| (k.as_str(), k.name_zh()))
            .collect(),
        results: Satisfaction::ALL.iter().map(|r| (r.as_str(), r.name_zh())).collect(),
    }
}

/// A suggestion's page: its facts, periods, each proposer's reply and form, its acts.
#[utoipa::path(
    get,
    path = "/suggestions/items/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "建议提案编号")),
    responses(
        (status = 200, description = "建议提案页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    match state.app.suggestion_view(&user.actor, id).await {
        Ok(view) => {
            let done = done_text(&query_param(&query, "done"));
            render_status(StatusCode::OK, &item_page(&state, &user, &view, done, vec![]))
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Records an act from the suggestion's page; a refusal re-renders the page with the reason.
#[utoipa::path(
    post,
    path = "/suggestions/items/{id}/acts",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "建议提案编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, kind, on, proposer, unit, result, note"),
    responses(
        (status = 303, description = "已记录：转回建议提案页"),
        (status = 403, description = "CSRF 令牌不符，不在管辖范围内，或审定答复不是领导", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
        (status = 409, description = "已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "该环节此时不合法：建议提案页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn act(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let input = ActInput {
        kind: post.one("kind"),
        on: post.one("on"),
        proposer: post.one("proposer"),
        unit: post.one("unit"),
        result: post.one("result"),
        note: post.one("note"),
    };
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => state.app.suggestion_act(&user.actor, id, rev, &input).await,
        Err(_) => {
            Err(ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
                .with_field("expected_revision"))
        }
    };
    match result {
        Ok(_) => Redirect::to(&format!("/suggestions/items/{id}?done=act")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            match state.app.suggestion_view(&user.actor, id).await {
                Ok(view) => render_status(status, &item_page(&state, user, &view, None, problems(&err))),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

// ---------------------------------------------------------------------------------------------
// The reply letter

/// The reply letter (答复函) sent by act `act_id` as an official document: its 文号 derived from
/// the suggestion's number, its content (the approved reply) whose SM3 digest the QR code
/// carries and the public verification page recomputes from the record.
pub(super) fn letter(state: &AppState, view: &SuggestionView, act_id: i64) -> Option<Document> {
    let row = &view.full.row;
    let s = &row.suggestion;
    let position = view.full.acts.iter().position(|a| a.id == act_id && a.act.kind == ActKind::Send)?;
    let send = &view.full.acts[position].act;
    let before = &view.full.acts[..position];
    let draft = before.iter().rev().find(|a| a.act.kind == ActKind::Draft)?;
    let approved = before.iter().rev().find(|a| a.act.kind == ActKind::Approve)?;
    let office = domain::division::DivisionCode::parse(&row.division).ok()?;
    let number = suggestion_number(row);
    let units = if s.co_units.is_empty() { String::new() } else { format!("会同{}", s.co_units.join("、")) };
    let merged = if s.proposers.len() > 1 {
        format!(
            "（与{}等{}位{}的建议并案办理，分别答复）",
            s.proposers.join("、"),
            s.proposers.len(),
            s.kind.proposer_zh()
        )
    } else {
        String::new()
    };
    let mut body = vec![format!(
        "您在{}上提出的《{}》（{}）{}收悉。{}作为主办单位，{}认真研究办理，现答复如下：",
        s.session, s.subject, s.number, merged, s.lead_unit, units
    )];
    body.extend(draft.act.note.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    body.push(
        "感谢您对民政工作的关心和支持。请填写随函附送的《征询意见表》并寄回；对答复不满意的，我们将重新研究办理，并在一个月内再次答复。"
            .into(),
    );
    Some(Document {
        kind: "reply",
        title: format!("对《{}》的答复", s.subject),
        number: document_number(state.app.divisions(), &office, "建复", case_shaped(&number)),
        case_number: number,
        authority: authority_name(state.app.divisions(), &office),
        addressee: format!("{}{}", send.proposer, s.kind.proposer_zh()),
        body,
        rows: vec![
            ("交办日期".into(), date_zh(s.assigned_on)),
            ("答复审定".into(), format!("{}经本机关负责人审定", date_zh(approved.act.on))),
        ],
        lists: Vec::new(),
        remedies: String::new(),
        date: send.on,
    })
}

fn verify_url(state: &AppState, headers: &HeaderMap, doc: &Document) -> String {
    format!(
        "{}/suggestions/verify/{}?c={}&k={}&d={}",
        public_base(state, headers),
        doc.case_number,
        state.app.suggestion_check_code(&doc.case_number),
        doc.kind,
        doc.digest()
    )
}

#[derive(Debug, serde::Deserialize)]
pub struct ReplyPath {
    id: i64,
    act: i64,
}

/// The printable reply letter of one reply sent.
#[utoipa::path(
    get,
    path = "/suggestions/items/{id}/replies/{act}",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("id" = i64, Path, description = "建议提案编号"),
        ("act" = i64, Path, description = "答复环节的编号"),
    ),
    responses(
        (status = 200, description = "可打印的答复函", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在，或没有这次答复", content_type = "text/html", body = String),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    PagePath(ReplyPath { id, act }): PagePath<ReplyPath>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let view = match state.app.suggestion_view(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let Some(doc) = letter(&state, &view, act) else {
        return AppError::new(StatusCode::NOT_FOUND, "not_found", "没有这次答复").into_html_for(&user);
    };
    let url = verify_url(&state, &headers, &doc);
    let page = NoticePage::new(
        format!("/suggestions/items/{id}"),
        state.app.suggestion_check_code(&doc.case_number),
        url,
        doc,
    );
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// Open days

#[derive(Default, Clone)]
pub struct OpenDayValues {
    pub division: String,
    pub held_on: String,
    pub place: String,
    pub theme: String,
    pub invited_deputies: String,
    pub invited_citizens: String,
}

#[derive(Template)]
#[template(path = "verticals/suggestions/open_days.html")]
pub struct OpenDaysPage {
    pub layout: Layout,
    pub csrf_token: String,
    /// (id, date, place, theme)
    pub days: Vec<(i64, String, String, String)>,
    pub v: OpenDayValues,
    pub errors: Vec<String>,
    pub organ: crate::pickers::DivisionPicker,
}

async fn open_days_page(
    state: &AppState,
    user: &crate::extract::AuthUser,
    status: StatusCode,
    v: OpenDayValues,
    errors: Vec<String>,
) -> Response {
    let days = match state.app.open_days(&user.actor).await {
        Ok(days) => days,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let page = OpenDaysPage {
        layout: Layout::for_user("政务开放日", user),
        csrf_token: user.csrf_token.clone(),
        days: days
            .into_iter()
            .map(|d| (d.id, date_zh(d.open_day.held_on), d.open_day.place, d.open_day.theme))
            .collect(),
        organ: organ_picker(state, &user.actor, &v.division),
        v,
        errors,
    };
    render_status(status, &page)
}

/// The open days of the jurisdiction, and the form to record one.
#[utoipa::path(
    get,
    path = "/suggestions/open-days",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "政务开放日活动", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn open_days(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let v = OpenDayValues { held_on: state.app.today().to_string(), ..OpenDayValues::default() };
    open_days_page(&state, &user, StatusCode::OK, v, vec![]).await
}

/// Records an open day; on success to its page.
#[utoipa::path(
    post,
    path = "/suggestions/open-days",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, held_on, place, theme, invited_deputies, invited_citizens"),
    responses(
        (status = 303, description = "已登记：转到活动页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn open_day_create(State(state): State<AppState>, post: PagePost) -> Response {
    let v = OpenDayValues {
        division: post.one("division"),
        held_on: post.one("held_on"),
        place: post.one("place"),
        theme: post.one("theme"),
        invited_deputies: post.one("invited_deputies"),
        invited_citizens: post.one("invited_citizens"),
    };
    let input = OpenDayInput {
        held_on: v.held_on.clone(),
        place: v.place.clone(),
        theme: v.theme.clone(),
        invited_deputies: v.invited_deputies.clone(),
        invited_citizens: v.invited_citizens.clone(),
    };
    match state.app.open_day_create(&post.user.actor, &v.division, &input).await {
        Ok(id) => Redirect::to(&format!("/suggestions/open-days/{id}")).into_response(),
        Err(err) if err.kind == ErrorKind::Invalid => {
            open_days_page(&state, &post.user, StatusCode::UNPROCESSABLE_ENTITY, v, problems(&err)).await
        }
        Err(err) => AppError::from(err).into_html_for(&post.user),
    }
}

#[derive(Template)]
#[template(path = "verticals/suggestions/open_day.html")]
pub struct OpenDayPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub id: i64,
    pub facts: Vec<(&'static str, String)>,
    /// (input id, from, content, tracked suggestion)
    pub inputs: Vec<(i64, String, String, Option<i64>)>,
    pub errors: Vec<String>,
    pub from_name: String,
    pub content: String,
}

async fn open_day_page(
    state: &AppState,
    user: &crate::extract::AuthUser,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
    typed: (String, String),
) -> Response {
    let full = match state.app.open_day_view(&user.actor, id).await {
        Ok(full) => full,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let d = &full.row.open_day;
    let page = OpenDayPage {
        layout: Layout::for_user("政务开放日", user),
        csrf_token: user.csrf_token.clone(),
        id,
        facts: vec![
            ("日期", date_zh(d.held_on)),
            ("地点", d.place.clone()),
            ("主题", d.theme.clone()),
            ("邀请的代表委员", if d.invited_deputies.is_empty() { "无".into() } else { d.invited_deputies.join("、") }),
            ("邀请的群众", if d.invited_citizens.is_empty() { "无".into() } else { d.invited_citizens.join("、") }),
        ],
        inputs: full
            .inputs
            .iter()
            .map(|i| (i.id, i.input.from_name.clone(), i.input.content.clone(), i.item_id))
            .collect(),
        errors,
        from_name: typed.0,
        content: typed.1,
    };
    render_status(status, &page)
}

/// An open day, the suggestions received there and the form to record one.
#[utoipa::path(
    get,
    path = "/suggestions/open-days/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "活动编号")),
    responses(
        (status = 200, description = "政务开放日活动页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
    )
)]
pub async fn open_day(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
) -> Response {
    open_day_page(&state, &user, id, StatusCode::OK, vec![], Default::default()).await
}

/// Records a suggestion received at the open day.
#[utoipa::path(
    post,
    path = "/suggestions/open-days/{id}/inputs",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "活动编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, from_name, content"),
    responses(
        (status = 303, description = "已记录：转回活动页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn open_day_input(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let typed = (post.one("from_name"), post.one("content"));
    let input = OpenDayInputInput { from_name: typed.0.clone(), content: typed.1.clone() };
    match state.app.open_day_add_input(&post.user.actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/suggestions/open-days/{id}")).into_response(),
        Err(err) if err.kind == ErrorKind::Invalid => {
            open_day_page(&state, &post.user, id, StatusCode::UNPROCESSABLE_ENTITY, problems(&err), typed).await
        }
        Err(err) => AppError::from(err).into_html_for(&post.user),
    }
}
