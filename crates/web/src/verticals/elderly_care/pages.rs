//! The pages of the institutions' register: the register with its figures, an institution's
//! page (its versions, inspections and the forms to file a change or record an inspection), the
//! inspections due, and the public list. Forms go through the same domain parsers as the API.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::verticals::elderly_care::institution::{InspectionInput, InspectionResult};
use domain::verticals::elderly_care::{ChangeField, ChangeInput, InspectionState, StatusAct, StatusInput};
use service::verticals::elderly_care::{InstitutionView, RegisterEntry};
use service::{ErrorKind, ServiceError};

use super::api::{stats_for_page, StatsDto};
use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

fn division_name(code: &domain::division::DivisionCode) -> String {
    domain::division::Divisions::builtin().full_name(code).unwrap_or_else(|| code.to_string())
}

/// A register line as pages show it.
pub struct Line {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub beds: i64,
    pub division: String,
    pub filed: String,
    pub inspection: String,
    /// (colour, text)
    pub badge: Option<(&'static str, String)>,
}

fn inspection_text(state: InspectionState) -> (String, Option<(&'static str, String)>) {
    match state {
        InspectionState::Due { due } => (format!("{}前", date_zh(due)), Some(("yellow", state.name_zh().into()))),
        InspectionState::Overdue { due } => (format!("期限{}", date_zh(due)), Some(("red", state.name_zh().into()))),
        InspectionState::Done { on, .. } => (date_zh(on), Some(("green", state.name_zh().into()))),
    }
}

fn line(e: &RegisterEntry) -> Line {
    let i = &e.row.institution;
    let (inspection, badge) = inspection_text(e.inspection);
    Line {
        id: e.row.id,
        name: i.name.clone(),
        kind: i.institution_type.name_zh(),
        beds: i.beds,
        division: division_name(&i.premises_division),
        filed: date_zh(e.row.filed_on),
        inspection,
        badge,
    }
}

#[derive(Template)]
#[template(path = "verticals/elderly_care/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub title: &'static str,
    pub lines: Vec<Line>,
    pub stats: Option<StatsDto>,
}

fn register_page(title: &'static str, user: &AuthUser, lines: Vec<Line>, stats: Option<StatsDto>) -> Response {
    render_status(StatusCode::OK, &RegisterPage { layout: Layout::for_user(title, user), title, lines, stats })
}

/// The register of the jurisdiction, with the year's figures for who may read them.
#[utoipa::path(
    get,
    path = "/elderly-care",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "统计年度，默认本年")),
    responses(
        (status = 200, description = "养老机构名册与统计", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn register(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let entries = match state.app.elderly_care_register(&user.actor).await {
        Ok(entries) => entries,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let year = query_param(&query, "year").parse().unwrap_or_else(|_| state.app.today().year());
    let stats = state.app.elderly_care_stats(&user.actor, year).await.ok().map(|s| stats_for_page(year, s));
    register_page("养老机构名册", &user, entries.iter().map(line).collect(), stats)
}

/// The post-filing inspections still to do, overdue first.
#[utoipa::path(
    get,
    path = "/elderly-care/inspections",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "待检查的养老机构", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn due(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    match state.app.elderly_care_due(&user.actor).await {
        Ok(entries) => register_page("待现场检查的养老机构", &user, entries.iter().map(line).collect(), None),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

#[derive(Template)]
#[template(path = "verticals/elderly_care/institution.html")]
pub struct InstitutionPage {
    pub layout: Layout,
    pub id: i64,
    pub revision: i64,
    pub case_id: i64,
    pub facts: Vec<(&'static str, String)>,
    pub inspection: String,
    pub badge: Option<(&'static str, String)>,
    /// (version, what, changed, filed, late, summary)
    pub versions: Vec<(i64, &'static str, String, String, bool, String)>,
    /// (done, result, findings)
    pub inspections: Vec<(String, &'static str, String)>,
    pub done: Option<&'static str>,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub today: String,
    pub fields: Vec<(&'static str, &'static str)>,
    pub results: Vec<(&'static str, &'static str)>,
    pub premises_picker: DivisionPicker,
    /// (act, reported, effective, residents, placement, reason, short notice)
    pub status_changes: Vec<(&'static str, String, String, i64, String, String, bool)>,
    /// The acts the institution's status allows now.
    pub acts: Vec<(&'static str, &'static str)>,
}

/// A particular the filing left empty, said so rather than shown blank.
fn or_not_filed(text: &str) -> String {
    if text.is_empty() {
        "（未填报）".into()
    } else {
        text.to_string()
    }
}

fn institution_page(
    user: &AuthUser,
    view: InstitutionView,
    today: String,
    done: Option<&'static str>,
    errors: Vec<String>,
) -> InstitutionPage {
    let r = &view.full.row;
    let i = &r.institution;
    let accepting = domain::division::DivisionCode::parse(&r.accepting).map(|c| division_name(&c)).unwrap_or_default();
    let facts = vec![
        ("名称", i.name.clone()),
        ("统一社会信用代码", i.credit_code.clone()),
        ("法定代表人（主要负责人）", or_not_filed(&i.representative)),
        ("机构类型", i.institution_type.name_zh().to_string()),
        ("床位数", format!("{} 张", i.beds)),
        ("建筑面积", format!("{} 平方米", i.floor_area)),
        ("服务场所", format!("{}（{}）", i.address, division_name(&i.premises_division))),
        ("服务范围", i.service_scope.join("、")),
        ("状态", i.status.name_zh().to_string()),
        ("备案日期", date_zh(r.filed_on)),
        ("受理窗口", accepting),
    ];
    let (inspection, badge) = inspection_text(view.inspection);
    let versions = view
        .full
        .versions
        .iter()
        .zip(view.late_changes.iter().chain(std::iter::repeat(&false)))
        .map(|(v, late)| {
            let (beds, area) = (format!("{} 张床位", v.beds), format!("{} 平方米", v.floor_area));
            let parts = [v.name.as_str(), v.representative.as_str(), &beds, &area, v.address.as_str()];
            let summary = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("；");
            (
                v.version,
                v.change_field.map_or("备案", |f| f.name_zh()),
                date_zh(v.changed_on),
                date_zh(v.filed_on),
                *late,
                summary,
            )
        })
        .collect();
    let inspections =
        view.full.inspections.iter().map(|n| (date_zh(n.done_on), n.result.name_zh(), n.findings.clone())).collect();
    let field = DivisionField::new("premises_division", "新服务场所所在地（变更服务场所时选择）");
    InstitutionPage {
        layout: Layout::for_user("养老机构档案", user),
        id: r.id,
        revision: r.revision,
        case_id: r.case_id,
        facts,
        inspection,
        badge,
        versions,
        inspections,
        done,
        errors,
        csrf_token: user.csrf_token.clone(),
        today,
        fields: ChangeField::ALL.iter().map(|f| (f.as_str(), f.name_zh())).collect(),
        results: InspectionResult::ALL.iter().map(|r| (r.as_str(), r.name_zh())).collect(),
        premises_picker: DivisionPicker::new(domain::division::Divisions::builtin(), &user.actor, &field, ""),
        status_changes: view
            .full
            .status_changes
            .iter()
            .map(|c| {
                (
                    c.act.name_zh(),
                    date_zh(c.reported_on),
                    date_zh(c.effective_on),
                    c.residents,
                    c.placement.clone(),
                    c.reason.clone(),
                    c.short_notice(),
                )
            })
            .collect(),
        acts: StatusAct::ALL.iter().filter(|a| a.allowed_from(i.status)).map(|a| (a.as_str(), a.name_zh())).collect(),
    }
}

fn done_text(done: &str) -> Option<&'static str> {
    match done {
        "change" => Some("已办理变更备案。"),
        "inspection" => Some("已记录现场检查。"),
        "status" => Some("已记录暂停、终止或恢复服务。"),
        _ => None,
    }
}

/// An institution's page: its entry, versions, inspections, and the forms to file a change or
/// record an inspection.
#[utoipa::path(
    get,
    path = "/elderly-care/institutions/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    responses(
        (status = 200, description = "养老机构档案", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "养老机构不存在", content_type = "text/html", body = String),
    )
)]
pub async fn institution(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    match state.app.elderly_care_institution(&user.actor, id).await {
        Ok(view) => {
            let done = done_text(&query_param(&query, "done"));
            render_status(StatusCode::OK, &institution_page(&user, view, state.app.today().to_string(), done, vec![]))
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

fn revision(post: &PagePost) -> Result<i64, ServiceError> {
    post.one("expected_revision").parse::<i64>().map_err(|_| {
        ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
            .with_field("expected_revision")
    })
}

/// After a write from the institution's page: back to it, or the page again with every problem.
async fn answer_with(
    state: &AppState,
    post: &PagePost,
    id: i64,
    done: &str,
    result: Result<InstitutionView, ServiceError>,
) -> Response {
    let user = &post.user;
    match result {
        Ok(_) => Redirect::to(&format!("/elderly-care/institutions/{id}?done={done}")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            let errors = if err.problems.is_empty() {
                vec![err.message.clone()]
            } else {
                err.problems.iter().map(|p| p.message.clone()).collect()
            };
            match state.app.elderly_care_institution(&user.actor, id).await {
                Ok(view) => {
                    render_status(status, &institution_page(user, view, state.app.today().to_string(), None, errors))
                }
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// Files a change from the institution's page.
#[utoipa::path(
    post,
    path = "/elderly-care/institutions/{id}/changes",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, field, value, premises_division, changed_on"),
    responses(
        (status = 303, description = "已变更备案：转回档案页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "养老机构不存在", content_type = "text/html", body = String),
        (status = 409, description = "档案已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "变更内容不符：档案页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn change(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = ChangeInput {
        field: post.one("field"),
        value: post.one("value"),
        premises_division: post.one("premises_division"),
        changed_on: post.one("changed_on"),
    };
    let result = match revision(&post) {
        Ok(rev) => state.app.elderly_care_change(&post.user.actor, id, rev, &input).await,
        Err(err) => Err(err),
    };
    answer_with(&state, &post, id, "change", result).await
}

/// Records an inspection from the institution's page.
#[utoipa::path(
    post,
    path = "/elderly-care/institutions/{id}/inspections",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, done_on, result, findings"),
    responses(
        (status = 303, description = "已记录：转回档案页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "养老机构不存在", content_type = "text/html", body = String),
        (status = 409, description = "档案已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "检查记录不符：档案页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn inspect(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input =
        InspectionInput { done_on: post.one("done_on"), result: post.one("result"), findings: post.one("findings") };
    let result = match revision(&post) {
        Ok(rev) => state.app.elderly_care_inspect(&post.user.actor, id, rev, &input).await,
        Err(err) => Err(err),
    };
    answer_with(&state, &post, id, "inspection", result).await
}

/// Records a suspension, closure or resumption from the institution's page.
#[utoipa::path(
    post,
    path = "/elderly-care/institutions/{id}/status",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, act, reported_on, effective_on, residents, placement, reason"),
    responses(
        (status = 303, description = "已记录：转回档案页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "养老机构不存在", content_type = "text/html", body = String),
        (status = 409, description = "档案已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "内容不符：档案页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn status(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let input = StatusInput {
        act: post.one("act"),
        reported_on: post.one("reported_on"),
        effective_on: post.one("effective_on"),
        residents: post.one("residents"),
        placement: post.one("placement"),
        reason: post.one("reason"),
    };
    let result = match revision(&post) {
        Ok(rev) => state.app.elderly_care_status(&post.user.actor, id, rev, &input).await,
        Err(err) => Err(err),
    };
    answer_with(&state, &post, id, "status", result).await
}

#[derive(Template)]
#[template(path = "verticals/elderly_care/public.html")]
pub struct PublicPage {
    pub layout: Layout,
    /// (name, division, address, beds, type, filed)
    pub lines: Vec<(String, String, String, i64, &'static str, String)>,
}

/// The public list of filed institutions (name, address, beds, type).
#[utoipa::path(
    get,
    path = "/elderly-care/public",
    tag = "pages",
    responses((status = 200, description = "已备案养老机构名单", content_type = "text/html", body = String))
)]
pub async fn public(State(state): State<AppState>) -> Response {
    match state.app.elderly_care_public().await {
        Ok(entries) => {
            let lines = entries
                .into_iter()
                .map(|e| (e.name, e.division, e.address, e.beds, e.institution_type, date_zh(e.filed_on)))
                .collect();
            render_status(StatusCode::OK, &PublicPage { layout: Layout::public("已备案养老机构名单"), lines })
        }
        Err(err) => AppError::from(err).into_response(),
    }
}
