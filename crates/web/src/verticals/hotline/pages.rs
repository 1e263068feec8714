//! The staff pages of the hotline: the ticket queue with limits and escalation and the year's
//! figures, the entry form for a ticket taken by staff, a ticket's page with its acts, and the
//! 差评 rectification list and page. Forms go through the same domain parsers as the JSON API.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::division::DivisionCode;
use domain::rating::{Dimension, Grade, RatingChannel};
use domain::verticals::hotline::{ActInput, RectInput, RectStage, Stage, TicketInput, TicketKind};
use service::verticals::hotline::{RectView, TicketView};
use service::{ErrorKind, ServiceError};

use crate::error::AppError;
use crate::extract::{PagePath, PagePost, PageUser};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

fn query_param(query: &Option<String>, name: &str) -> String {
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

fn division_name(state: &AppState, code: &str) -> String {
    DivisionCode::parse(code).ok().and_then(|c| state.app.divisions().full_name(&c)).unwrap_or_else(|| code.to_string())
}

fn year_of(state: &AppState, query: &Option<String>) -> i32 {
    query_param(query, "year").parse().unwrap_or_else(|_| state.app.today().year())
}

fn badge(view: &TicketView) -> Option<(&'static str, String)> {
    let n = view.status.remaining_workdays?;
    Some(match n {
        n if n < 0 => ("red", format!("已超期{}个工作日", -n)),
        0 => ("red", "今日期满".into()),
        n if n <= 2 => ("yellow", format!("剩{n}个工作日")),
        n => ("green", format!("剩{n}个工作日")),
    })
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{r:.1}%"))
}

// ---------------------------------------------------------------------------------------------
// The queue

pub struct QueueLine {
    pub id: i64,
    pub kind: &'static str,
    pub subject: String,
    pub caller: String,
    pub received: String,
    pub stage: &'static str,
    pub unit: String,
    pub due: String,
    pub badge: Option<(&'static str, String)>,
    pub escalation: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "verticals/hotline/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub year: i32,
    pub lines: Vec<QueueLine>,
    /// (label, value) of the year's figures.
    pub figures: Vec<(&'static str, String)>,
}

/// The ticket queue: the year's tickets, owing first, with their limits and escalation.
#[utoipa::path(
    get,
    path = "/hotline",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "年份，默认今年")),
    responses(
        (status = 200, description = "12345工单（含办理期限、督办等级）与统计", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let year = year_of(&state, &query);
    let views = match state.app.hotline_list(&user.actor, year).await {
        Ok(views) => views,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let figures = match state.app.hotline_stats(&user.actor, year).await {
        Ok(s) => vec![
            ("受理工单", s.tickets.received.to_string()),
            ("按时办结率", rate_text(s.tickets.on_time_rate())),
            ("回访率", rate_text(s.tickets.callback_rate())),
            ("满意率", rate_text(s.tickets.satisfaction_rate())),
            ("重复来电", s.tickets.repeats.to_string()),
            ("催办 / 督办 / 通报", format!("{} / {} / {}", s.tickets.urged, s.tickets.supervised, s.tickets.notified)),
            ("实名差评回访整改率", rate_text(s.rectifications.rectification_rate())),
        ],
        Err(_) => Vec::new(),
    };
    let lines = views
        .iter()
        .map(|v| {
            let s = &v.status.state;
            QueueLine {
                id: v.full.ticket.id,
                kind: v.full.ticket.kind.name_zh(),
                subject: v.full.ticket.subject.clone(),
                caller: format!("{}（{}）", v.full.ticket.caller_name, v.full.ticket.phone_masked),
                received: date_zh(v.full.ticket.received_on),
                stage: s.stage.name_zh(),
                unit: s.unit.as_deref().map(|u| division_name(&state, u)).unwrap_or_else(|| "—".into()),
                due: date_zh(s.due),
                badge: badge(v),
                escalation: (v.status.escalation != domain::verticals::hotline::Escalation::None)
                    .then(|| v.status.escalation.name_zh()),
            }
        })
        .collect();
    let page = ListPage { layout: Layout::for_user("12345热线工单", &user), year, lines, figures };
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// The entry form

#[derive(Template)]
#[template(path = "verticals/hotline/new.html")]
pub struct NewPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub v: TicketInput,
    pub errors: Vec<String>,
    pub kinds: Vec<(&'static str, &'static str, u32)>,
    pub division: crate::pickers::DivisionPicker,
}

fn new_page(state: &AppState, user: &crate::extract::AuthUser, v: TicketInput, errors: Vec<String>) -> NewPage {
    let field = crate::pickers::DivisionField::new("division", "诉求涉及的行政区划").required();
    NewPage {
        layout: Layout::for_user("登记12345工单", user),
        csrf_token: user.csrf_token.clone(),
        division: crate::pickers::DivisionPicker::new(state.app.divisions(), &user.actor, &field, &v.division),
        v,
        errors,
        kinds: TicketKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_zh(), service::verticals::hotline::RULES.limit(*k)))
            .collect(),
    }
}

/// The form for a ticket taken by staff (a call to the bureau's own line, a visit).
#[utoipa::path(
    get,
    path = "/hotline/new",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "登记工单表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
    )
)]
pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let now = state.app.now().with_timezone(&domain::calendar::shanghai_offset());
    let v = TicketInput { received_at: now.format("%Y-%m-%d %H:%M").to_string(), ..TicketInput::default() };
    render_status(StatusCode::OK, &new_page(&state, &user, v, vec![]))
}

/// Registers a ticket typed by staff.
#[utoipa::path(
    post,
    path = "/hotline/new",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, kind, caller_name, caller_phone, subject, content, division, received_at"),
    responses(
        (status = 303, description = "已登记：转到工单页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 422, description = "内容不全：表单与提示", content_type = "text/html", body = String),
    )
)]
pub async fn new_submit(State(state): State<AppState>, post: PagePost) -> Response {
    let v = TicketInput {
        platform_number: String::new(),
        kind: post.one("kind"),
        caller_name: post.one("caller_name"),
        caller_phone: post.one("caller_phone"),
        subject: post.one("subject"),
        content: post.one("content"),
        division: post.one("division"),
        received_at: post.one("received_at"),
    };
    match state.app.hotline_receive(&post.user.actor, &v).await {
        Ok((id, _)) => Redirect::to(&format!("/hotline/tickets/{id}?done=created")).into_response(),
        Err(err) if err.kind == ErrorKind::Invalid => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &new_page(&state, &post.user, v, problems(&err)))
        }
        Err(err) => AppError::from(err).into_html_for(&post.user),
    }
}

// ---------------------------------------------------------------------------------------------
// A ticket's page

#[derive(Template)]
#[template(path = "verticals/hotline/ticket.html")]
pub struct TicketPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub done: Option<&'static str>,
    pub errors: Vec<String>,
    pub id: i64,
    pub act_count: usize,
    pub facts: Vec<(&'static str, String)>,
    pub content: String,
    /// (date, act, text).
    pub history: Vec<(String, &'static str, String)>,
    pub stage: Stage,
    pub escalation: Option<&'static str>,
    /// The units the ticket may go to: its division and those below it, by name.
    pub units: Vec<(String, String)>,
    pub extension_pending: bool,
    pub max_extension: u32,
}

fn done_text(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("工单已登记。"),
        "act" => Some("已记录。"),
        _ => None,
    }
}

fn ticket_page(
    state: &AppState,
    user: &crate::extract::AuthUser,
    view: TicketView,
    done: Option<&'static str>,
    errors: Vec<String>,
) -> TicketPage {
    let t = &view.full.ticket;
    let s = &view.status.state;
    let mut facts = vec![
        (
            "工单类型",
            format!("{}（办理时限{}个工作日）", t.kind.name_zh(), service::verticals::hotline::RULES.limit(t.kind)),
        ),
        ("平台工单编号", t.platform_number.clone().unwrap_or_else(|| "本单位登记".into())),
        ("来电人", format!("{}（{}）", t.caller_name, t.phone_masked)),
        ("诉求标题", t.subject.clone()),
        ("涉及区划", division_name(state, &t.division)),
        ("受理日期", date_zh(t.received_on)),
        (
            "状态",
            format!(
                "{}{}",
                s.stage.name_zh(),
                if s.round > 1 { format!("（第{}轮办理）", s.round) } else { String::new() }
            ),
        ),
        ("承办单位", s.unit.as_deref().map(|u| division_name(state, u)).unwrap_or_else(|| "—".into())),
        (
            "办结期限",
            format!(
                "{}{}",
                date_zh(s.due),
                if s.extension_workdays > 0 {
                    format!("（已延期{}个工作日）", s.extension_workdays)
                } else {
                    String::new()
                }
            ),
        ),
    ];
    if let (Some(sign_due), Stage::AwaitingSign) = (s.sign_due, s.stage) {
        facts.push(("签收期限", date_zh(sign_due)));
    }
    if let Some((_, text)) = badge(&view) {
        facts.push(("剩余", text));
    }
    facts.push(("依据", domain::verticals::hotline::ticket::LIMIT_BASIS.into()));
    let history = view
        .full
        .acts
        .iter()
        .map(|d| {
            let text = match &d.act {
                domain::verticals::hotline::Act::Dispatch { unit } => division_name(state, unit),
                other => other.text().to_string(),
            };
            (date_zh(d.on), d.act.name_zh(), text)
        })
        .collect();
    let units = DivisionCode::parse(&t.division)
        .ok()
        .map(|code| {
            let divisions = state.app.divisions();
            let mut units = vec![(code.to_string(), division_name(state, code.as_str()))];
            units.extend(divisions.children(&code).iter().map(|d| (d.code.to_string(), d.name.clone())));
            units
        })
        .unwrap_or_default();
    TicketPage {
        layout: Layout::for_user("12345工单", user),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
        id: t.id,
        act_count: view.full.acts.len(),
        content: t.content.clone(),
        history,
        stage: s.stage,
        escalation: (view.status.escalation != domain::verticals::hotline::Escalation::None)
            .then(|| view.status.escalation.name_zh()),
        units,
        extension_pending: s.pending_extension.is_some(),
        max_extension: service::verticals::hotline::RULES.max_extension_workdays,
        facts,
    }
}

/// A ticket's page: its facts, limits, escalation and history, and the act forms for its stage.
#[utoipa::path(
    get,
    path = "/hotline/tickets/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "工单编号")),
    responses(
        (status = 200, description = "工单页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "工单不存在", content_type = "text/html", body = String),
    )
)]
pub async fn ticket(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    match state.app.hotline_view(&user.actor, id).await {
        Ok(view) => {
            let done = done_text(&query_param(&query, "done"));
            render_status(StatusCode::OK, &ticket_page(&state, &user, view, done, vec![]))
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

fn expected(post: &PagePost) -> Option<i64> {
    post.one("expected_acts").parse().ok()
}

/// Records an act from a ticket's page.
#[utoipa::path(
    post,
    path = "/hotline/tickets/{id}/acts",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "工单编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_acts, kind, unit, text, workdays, yes"),
    responses(
        (status = 303, description = "已记录：转回工单页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "工单不存在", content_type = "text/html", body = String),
        (status = 409, description = "工单已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "此时不合法：工单页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn act(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = ActInput {
        kind: post.one("kind"),
        unit: post.one("unit"),
        text: post.one("text"),
        workdays: post.one("workdays"),
        yes: post.one("yes"),
    };
    let user = &post.user;
    match state.app.hotline_act(&user.actor, id, expected(&post), &input).await {
        Ok(_) => Redirect::to(&format!("/hotline/tickets/{id}?done=act")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            match state.app.hotline_view(&user.actor, id).await {
                Ok(view) => render_status(status, &ticket_page(&state, user, view, None, problems(&err))),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

// ---------------------------------------------------------------------------------------------
// 差评整改

pub struct RectLine {
    pub case_id: i64,
    pub case_number: String,
    /// The indicators graded 差评, with their grades.
    pub grade: String,
    pub rater: String,
    pub rated: String,
    pub stage: &'static str,
    pub callback_due: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "verticals/hotline/rectifications.html")]
pub struct RectListPage {
    pub layout: Layout,
    pub year: i32,
    pub lines: Vec<RectLine>,
}

fn grade_zh(grade: &str) -> &'static str {
    Grade::parse(grade).map_or("—", Grade::name_zh)
}

/// A rating's indicators with their grades (整体满意度 first), or only its 差评 ones: "服务态度：不满意".
fn indicators_zh(view: &RectView, only_bad: bool) -> String {
    let r = &view.rating;
    let channel = RatingChannel::parse(&r.channel).unwrap_or(RatingChannel::Offline);
    let mut graded: Vec<(Dimension, &str)> =
        r.grades.iter().filter_map(|(d, g)| Dimension::parse(d).map(|d| (d, g.as_str()))).collect();
    if graded.is_empty() {
        graded.push((Dimension::Overall, r.grade.as_str()));
    }
    graded.sort_by_key(|(d, _)| channel.dimensions().iter().position(|x| x == d));
    graded
        .iter()
        .filter(|(_, g)| !only_bad || Grade::parse(g).is_some_and(|g| !g.is_good()))
        .map(|(d, g)| format!("{}：{}", d.name_zh(channel), grade_zh(g)))
        .collect::<Vec<_>>()
        .join("；")
}

fn rated_on(view: &RectView) -> chrono::NaiveDate {
    domain::calendar::shanghai_date(
        chrono::DateTime::from_timestamp_millis(view.rating.rated_at_ms).unwrap_or_default(),
    )
}

/// The year's 差评 with their rectification, open first.
#[utoipa::path(
    get,
    path = "/hotline/rectifications",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "年份，默认今年")),
    responses(
        (status = 200, description = "差评整改列表", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn rectifications(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let year = year_of(&state, &query);
    let views = match state.app.hotline_rectifications(&user.actor, year).await {
        Ok(views) => views,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let lines = views
        .iter()
        .map(|v| RectLine {
            case_id: v.rating.case_id,
            case_number: v.rating.case_number.clone(),
            grade: indicators_zh(v, true),
            rater: v.rater_masked.clone(),
            rated: date_zh(rated_on(v)),
            stage: v.state.stage.name_zh(),
            callback_due: date_zh(v.state.callback_due),
            late: v.state.callback_overdue || (v.state.fix_overdue && v.state.stage != RectStage::Closed),
        })
        .collect();
    render_status(StatusCode::OK, &RectListPage { layout: Layout::for_user("差评整改", &user), year, lines })
}

#[derive(Template)]
#[template(path = "verticals/hotline/rectification.html")]
pub struct RectPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub done: Option<&'static str>,
    pub errors: Vec<String>,
    pub case_id: i64,
    pub act_count: usize,
    pub facts: Vec<(&'static str, String)>,
    pub history: Vec<(String, &'static str, String)>,
    pub stage: RectStage,
    pub appeal_pending: bool,
    pub can_appeal: bool,
}

fn rect_page(
    user: &crate::extract::AuthUser,
    view: RectView,
    done: Option<&'static str>,
    errors: Vec<String>,
) -> RectPage {
    let r = &view.rating;
    let s = &view.state;
    let mut facts = vec![
        ("办件编号", r.case_number.clone()),
        ("评价方式", RatingChannel::parse(&r.channel).unwrap_or(RatingChannel::Offline).name_zh().to_string()),
        ("各项评价", indicators_zh(&view, false)),
        ("评价意见", if r.comment.is_empty() { "—".into() } else { r.comment.clone() }),
        ("评价人", view.rater_masked.clone()),
        ("评价日期", date_zh(rated_on(&view))),
        ("状态", s.stage.name_zh().to_string()),
        ("回访期限", format!("{}{}", date_zh(s.callback_due), if s.callback_overdue { "（已超期）" } else { "" })),
        ("整改期限", format!("{}{}", date_zh(s.fix_due), if s.fix_overdue { "（已超期）" } else { "" })),
    ];
    if let Some(grade) = &s.fix_grade {
        facts.push(("评价人对整改的评价", grade_zh(grade).to_string()));
    }
    facts.push(("依据", domain::verticals::hotline::RectRules::BASIS.into()));
    let history = r
        .acts
        .iter()
        .map(|d| {
            let text = if matches!(d.act, domain::verticals::hotline::RectAct::RaterGrade { .. }) {
                grade_zh(d.act.text()).to_string()
            } else {
                d.act.text().to_string()
            };
            (date_zh(d.on), d.act.name_zh(), text)
        })
        .collect();
    RectPage {
        layout: Layout::for_user("差评整改", user),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
        case_id: r.case_id,
        act_count: r.acts.len(),
        facts,
        history,
        stage: s.stage,
        appeal_pending: s.appeal == Some(None),
        can_appeal: s.appeal.is_none() && s.called_back_on.is_some(),
    }
}

/// One 差评's rectification page, with the forms for its next step.
#[utoipa::path(
    get,
    path = "/hotline/rectifications/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    responses(
        (status = 200, description = "差评整改页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "该办件没有差评", content_type = "text/html", body = String),
    )
)]
pub async fn rectification(
    State(state): State<AppState>,
    PagePath(case_id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    match state.app.hotline_rectification(&user.actor, case_id).await {
        Ok(view) => {
            let done = done_text(&query_param(&query, "done"));
            render_status(StatusCode::OK, &rect_page(&user, view, done, vec![]))
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Records a rectification act from its page.
#[utoipa::path(
    post,
    path = "/hotline/rectifications/{id}/acts",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_acts, kind, text, yes"),
    responses(
        (status = 303, description = "已记录：转回整改页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "该办件没有差评", content_type = "text/html", body = String),
        (status = 409, description = "已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "此时不合法：整改页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn rectify(State(state): State<AppState>, PagePath(case_id): PagePath<i64>, post: PagePost) -> Response {
    let input = RectInput { kind: post.one("kind"), text: post.one("text"), yes: post.one("yes") };
    let user = &post.user;
    match state.app.hotline_rectify(&user.actor, case_id, expected(&post), &input).await {
        Ok(_) => Redirect::to(&format!("/hotline/rectifications/{case_id}?done=act")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            match state.app.hotline_rectification(&user.actor, case_id).await {
                Ok(view) => render_status(status, &rect_page(user, view, None, problems(&err))),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}
