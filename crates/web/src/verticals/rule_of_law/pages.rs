//! The staff pages of the registers: the index (each register and its records in a year), a
//! register's list filtered by year and division (with the Excel export and import), the form
//! of a new record and of a record's change. Forms and imported rows go through the same domain
//! parser as the API; an import with any problem imports nothing and shows every problem by row
//! and column.

use askama::Template;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::access::Permission;
use domain::verticals::rule_of_law::{Entry, FieldKind, RecordInput, Register};
use service::verticals::rule_of_law::{ImportOutcome, RecordRow, RowProblem};
use service::{ErrorKind, ServiceError};

use super::api::{read_upload, register_of};
use crate::error::AppError;
use crate::extract::{check_form_csrf, AuthUser, PagePath, PagePost, PageUser};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

fn may_write(user: &AuthUser) -> bool {
    user.actor.may_somewhere(Permission::WriteRuleOfLaw)
}

/// The years offered by the filters: from 2019 to next year, newest first.
fn years(today_year: i32) -> Vec<i32> {
    (2019..=today_year + 1).rev().collect()
}

// ---------------------------------------------------------------------------------------------
// The index

#[derive(Template)]
#[template(path = "verticals/rule_of_law/index.html")]
pub struct IndexPage {
    pub layout: Layout,
    pub year: i32,
    pub years: Vec<i32>,
    /// (address, name, records counting in the year)
    pub registers: Vec<(String, &'static str, usize)>,
    pub credentials: usize,
}

/// The registers, with how many records of each count in the year.
#[utoipa::path(
    get,
    path = "/rule-of-law",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "年度，默认本年")),
    responses(
        (status = 200, description = "法治政府建设台账", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
        (status = 422, description = "年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn index(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let this_year = state.app.today().year();
    let year = query_param(&query, "year").parse().unwrap_or(this_year);
    match state.app.rule_of_law_year(&user.actor, year).await {
        Ok(y) => {
            let registers = y
                .registers
                .iter()
                .map(|(r, records)| (format!("/rule-of-law/{}?year={year}", r.as_str()), r.name_zh(), records.len()))
                .collect();
            let page = IndexPage {
                layout: Layout::for_user("法治政府建设台账", &user),
                year,
                years: years(this_year),
                registers,
                credentials: y.credentials.len(),
            };
            render_status(StatusCode::OK, &page)
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

// ---------------------------------------------------------------------------------------------
// A register's list

/// One row of a problems table: (row, column, message, code).
pub type ProblemLine = (u32, String, String, &'static str);

#[derive(Template)]
#[template(path = "verticals/rule_of_law/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub register: &'static str,
    pub name: &'static str,
    /// "" for every year.
    pub year: String,
    pub years: Vec<i32>,
    pub division_picker: DivisionPicker,
    pub division: String,
    pub headers: Vec<&'static str>,
    /// (edit address, (column header, shown value)…)
    pub rows: Vec<(String, Vec<(&'static str, String)>)>,
    pub export_href: String,
    pub may_write: bool,
    pub csrf_token: String,
    pub done: Option<String>,
    pub problems: Vec<ProblemLine>,
    pub problem_summary: Option<String>,
}

fn shown_row(row: &RecordRow) -> (String, Vec<(&'static str, String)>) {
    let e = &row.entry;
    let values = e.register.fields().iter().map(|f| (f.label, shown_value(e, f.key, f.kind))).collect();
    (format!("/rule-of-law/records/{}", row.id), values)
}

fn shown_value(e: &Entry, key: &str, kind: FieldKind) -> String {
    match kind {
        FieldKind::Date => chrono::NaiveDate::parse_from_str(e.value(key), "%Y-%m-%d")
            .map(date_zh)
            .unwrap_or_else(|_| e.value(key).to_string()),
        _ => e.shown(key),
    }
}

async fn list_page(
    state: &AppState,
    user: &AuthUser,
    register: Register,
    query: &Option<String>,
    status: StatusCode,
    problems: Vec<ProblemLine>,
    problem_summary: Option<String>,
) -> Response {
    let year_text = query_param(query, "year");
    let division = query_param(query, "division");
    let year = if year_text.is_empty() { None } else { year_text.parse::<i32>().ok().or(Some(0)) };
    let rows = match state
        .app
        .rule_of_law_list(&user.actor, register, year, Some(&division).filter(|d| !d.is_empty()).map(|d| d.as_str()))
        .await
    {
        Ok(rows) => rows,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let done = match query_param(query, "done").as_str() {
        "added" => Some("已登记。".to_string()),
        "changed" => Some("已修改。".to_string()),
        "imported" => Some(format!("已导入{}条记录。", query_param(query, "n"))),
        _ => None,
    };
    let mut export = form_urlencoded::Serializer::new(String::new());
    if !year_text.is_empty() {
        export.append_pair("year", &year_text);
    }
    if !division.is_empty() {
        export.append_pair("division", &division);
    }
    let export = export.finish();
    let field = DivisionField::new("division", "行政区划（不选为全部）");
    let page = ListPage {
        layout: Layout::for_user(register.name_zh(), user),
        register: register.as_str(),
        name: register.name_zh(),
        year: year_text,
        years: years(state.app.today().year()),
        division_picker: DivisionPicker::new(domain::division::Divisions::builtin(), &user.actor, &field, &division),
        division,
        headers: register.fields().iter().map(|f| f.label).collect(),
        rows: rows.iter().map(shown_row).collect(),
        export_href: format!(
            "/api/v1/rule-of-law/{}/records.xlsx{}{export}",
            register.as_str(),
            if export.is_empty() { "" } else { "?" }
        ),
        may_write: may_write(user),
        csrf_token: user.csrf_token.clone(),
        done,
        problems,
        problem_summary,
    };
    render_status(status, &page)
}

/// A register's records, filtered by year and division, with the Excel export and import.
#[utoipa::path(
    get,
    path = "/rule-of-law/{register}",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("register" = String, Path, description = "台账"),
        ("year" = Option<i32>, Query, description = "年度，不填为全部"),
        ("division" = Option<String>, Query, description = "行政区划代码，不填为全部"),
    ),
    responses(
        (status = 200, description = "台账记录", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
        (status = 404, description = "没有这个台账", content_type = "text/html", body = String),
        (status = 422, description = "年度或行政区划无效", content_type = "text/html", body = String),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    PagePath(register): PagePath<String>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    match register_of(&register) {
        Ok(register) => list_page(&state, &user, register, &query, StatusCode::OK, Vec::new(), None).await,
        Err(err) => err.into_html_for(&user),
    }
}

/// Imports a workbook from the register's page: back to the list, or the list with every
/// problem by row and column (nothing imported).
#[utoipa::path(
    post,
    path = "/rule-of-law/{register}/import",
    tag = "pages",
    security(("cookie" = [])),
    params(("register" = String, Path, description = "台账")),
    request_body(content = super::api::ImportUpload, content_type = "multipart/form-data", description = "`file` 与会话的 `csrf_token`"),
    responses(
        (status = 303, description = "已全部导入：回到台账页；未登录：转到 /login"),
        (status = 400, description = "上传请求的格式不正确", content_type = "text/html", body = String),
        (status = 403, description = "无登记权限，或 CSRF 校验失败", content_type = "text/html", body = String),
        (status = 404, description = "没有这个台账", content_type = "text/html", body = String),
        (status = 413, description = "文件过大", content_type = "text/html", body = String),
        (status = 415, description = "请求体类型不是 multipart/form-data", content_type = "text/html", body = String),
        (status = 422, description = "未导入：台账页列出每一处错误（行号、列名）", content_type = "text/html", body = String),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    PagePath(register): PagePath<String>,
    PageUser(user): PageUser,
    request: Request,
) -> Response {
    let register = match register_of(&register) {
        Ok(r) => r,
        Err(err) => return err.into_html_for(&user),
    };
    if let Err(err) = state.app.rule_of_law_check_writer(&user.actor) {
        return AppError::from(err).into_html_for(&user);
    }
    let headers = request.headers().clone();
    let (bytes, csrf) = match read_upload(request, &state, true).await {
        Ok(parts) => parts,
        Err(err) => return err.into_html_for(&user),
    };
    if let Err(err) = check_form_csrf(&headers, &user, csrf.as_deref().unwrap_or("")) {
        return err.into_html_for(&user);
    }
    let refused = |problems: Vec<RowProblem>| -> Vec<ProblemLine> {
        problems
            .into_iter()
            .map(|p| (p.row, super::xlsx::column_of(register, &p.problem.field), p.problem.message, p.problem.code))
            .collect()
    };
    let problems = match super::xlsx::read(register, &bytes) {
        Ok(rows) => match state.app.rule_of_law_import(&user.actor, register, &rows).await {
            Ok(ImportOutcome::Imported(ids)) => {
                return Redirect::to(&format!("/rule-of-law/{}?done=imported&n={}", register.as_str(), ids.len()))
                    .into_response();
            }
            Ok(ImportOutcome::Refused(problems)) => refused(problems),
            Err(err) if err.kind == ErrorKind::Invalid => {
                vec![(1, "文件".to_string(), err.message, err.code)]
            }
            Err(err) => return AppError::from(err).into_html_for(&user),
        },
        Err(problems) => refused(problems),
    };
    let summary = format!("工作簿有{}处错误，未导入任何记录。请在 Excel 中改正后重新导入。", problems.len());
    list_page(&state, &user, register, &None, StatusCode::UNPROCESSABLE_ENTITY, problems, Some(summary)).await
}

// ---------------------------------------------------------------------------------------------
// The record form (new and change)

/// One field of the form.
pub struct FormField {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// text | textarea | date | number | select | division
    pub kind: &'static str,
    pub value: String,
    pub max: i64,
    /// (value, name) of a select.
    pub options: Vec<(String, String)>,
    pub picker: Option<DivisionPicker>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "verticals/rule_of_law/form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub heading: String,
    pub register: &'static str,
    pub name: &'static str,
    pub action: String,
    pub csrf_token: String,
    pub revision: Option<i64>,
    pub fields: Vec<FormField>,
    pub errors: Vec<String>,
    pub may_write: bool,
}

fn form_fields(
    user: &AuthUser,
    register: Register,
    values: &RecordInput,
    problems: &[domain::problem::FieldError],
) -> Vec<FormField> {
    register
        .fields()
        .iter()
        .map(|f| {
            let value = values.get(f.key).cloned().unwrap_or_default();
            let error = problems.iter().find(|p| p.field == f.key).map(|p| p.message.clone());
            let mut options = Vec::new();
            let mut picker = None;
            let mut max = 0;
            let kind = match f.kind {
                FieldKind::Text(n) => {
                    max = n as i64;
                    if n > 100 {
                        "textarea"
                    } else {
                        "text"
                    }
                }
                FieldKind::Certificate => {
                    max = 40;
                    "text"
                }
                FieldKind::Date => "date",
                FieldKind::Count(n) => {
                    max = n;
                    "number"
                }
                FieldKind::Choice(choices) => {
                    if !f.required {
                        options.push((String::new(), "（不选）".to_string()));
                    }
                    options.extend(choices.iter().map(|(k, n)| (k.to_string(), n.to_string())));
                    "select"
                }
                FieldKind::YesNo => {
                    options = vec![
                        (String::new(), "（请选择）".to_string()),
                        ("yes".to_string(), "是".to_string()),
                        ("no".to_string(), "否".to_string()),
                    ];
                    "select"
                }
                FieldKind::Division => {
                    let mut field = DivisionField::new(f.key, f.label);
                    if f.required {
                        field = field.required();
                    }
                    picker =
                        Some(DivisionPicker::new(domain::division::Divisions::builtin(), &user.actor, &field, &value));
                    "division"
                }
            };
            FormField { key: f.key, label: f.label, required: f.required, kind, value, max, options, picker, error }
        })
        .collect()
}

fn posted(register: Register, post: &PagePost) -> RecordInput {
    // Only the register's fields: the CSRF token and the revision are the form's own.
    register.fields().iter().map(|f| (f.key.to_string(), post.one(f.key))).collect()
}

fn form_page(
    user: &AuthUser,
    register: Register,
    record: Option<(i64, i64)>,
    values: &RecordInput,
    err: Option<&ServiceError>,
) -> FormPage {
    let problems = err.map(|e| e.problems.clone()).unwrap_or_default();
    let mut errors: Vec<String> = problems
        .iter()
        .map(|p| match register.field(&p.field) {
            Some(f) => format!("{}：{}", f.label, p.message),
            None => p.message.clone(),
        })
        .collect();
    if let Some(e) = err {
        if errors.is_empty() {
            errors.push(e.message.clone());
        }
    }
    let (heading, action) = match record {
        Some((id, _)) => (format!("修改{}记录", register.name_zh()), format!("/rule-of-law/records/{id}")),
        None => (format!("登记{}", register.name_zh()), format!("/rule-of-law/{}/new", register.as_str())),
    };
    FormPage {
        layout: Layout::for_user(heading.clone(), user),
        heading,
        register: register.as_str(),
        name: register.name_zh(),
        action,
        csrf_token: user.csrf_token.clone(),
        revision: record.map(|(_, r)| r),
        fields: form_fields(user, register, values, &problems),
        errors,
        may_write: may_write(user),
    }
}

fn refused_status(err: &ServiceError) -> Option<StatusCode> {
    match err.kind {
        ErrorKind::Invalid => Some(StatusCode::UNPROCESSABLE_ENTITY),
        ErrorKind::Conflict => Some(StatusCode::CONFLICT),
        _ => None,
    }
}

/// The form of a new record.
#[utoipa::path(
    get,
    path = "/rule-of-law/{register}/new",
    tag = "pages",
    security(("cookie" = [])),
    params(("register" = String, Path, description = "台账")),
    responses(
        (status = 200, description = "登记表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无登记权限", content_type = "text/html", body = String),
        (status = 404, description = "没有这个台账", content_type = "text/html", body = String),
    )
)]
pub async fn new_form(PagePath(register): PagePath<String>, PageUser(user): PageUser) -> Response {
    let register = match register_of(&register) {
        Ok(r) => r,
        Err(err) => return err.into_html_for(&user),
    };
    if !may_write(&user) {
        return AppError::from(ServiceError::forbidden()).into_html_for(&user);
    }
    render_status(StatusCode::OK, &form_page(&user, register, None, &RecordInput::new(), None))
}

/// Adds a record from the form: to the register's list, or the form again with every problem.
#[utoipa::path(
    post,
    path = "/rule-of-law/{register}/new",
    tag = "pages",
    security(("cookie" = [])),
    params(("register" = String, Path, description = "台账")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token 与本台账的各列（见 /api/v1/rule-of-law/registers）"),
    responses(
        (status = 303, description = "已登记：转到台账页"),
        (status = 403, description = "CSRF 令牌不符、无登记权限或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "没有这个台账", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn create(State(state): State<AppState>, PagePath(register): PagePath<String>, post: PagePost) -> Response {
    let user = &post.user;
    let register = match register_of(&register) {
        Ok(r) => r,
        Err(err) => return err.into_html_for(user),
    };
    let values = posted(register, &post);
    match state.app.rule_of_law_add(&user.actor, register, &values).await {
        Ok(_) => Redirect::to(&format!("/rule-of-law/{}?done=added", register.as_str())).into_response(),
        Err(err) => match refused_status(&err) {
            Some(status) => render_status(status, &form_page(user, register, None, &values, Some(&err))),
            None => AppError::from(err).into_html_for(user),
        },
    }
}

fn values_of(row: &RecordRow) -> RecordInput {
    row.entry.values.clone()
}

/// A record: its values in the form that changes them (read-only without the write grant).
#[utoipa::path(
    get,
    path = "/rule-of-law/records/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "台账记录", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "记录不存在", content_type = "text/html", body = String),
    )
)]
pub async fn record(State(state): State<AppState>, PagePath(id): PagePath<i64>, PageUser(user): PageUser) -> Response {
    match state.app.rule_of_law_record(&user.actor, id).await {
        Ok(row) => render_status(
            StatusCode::OK,
            &form_page(&user, row.entry.register, Some((row.id, row.revision)), &values_of(&row), None),
        ),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Changes a record from its form.
#[utoipa::path(
    post,
    path = "/rule-of-law/records/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "记录编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision 与本台账的各列"),
    responses(
        (status = 303, description = "已修改：转到台账页"),
        (status = 403, description = "CSRF 令牌不符、无登记权限或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "记录不存在", content_type = "text/html", body = String),
        (status = 409, description = "记录已被他人修改：表单与提示", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn save(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let row = match state.app.rule_of_law_record(&user.actor, id).await {
        Ok(row) => row,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let register = row.entry.register;
    let values = posted(register, &post);
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(revision) => state.app.rule_of_law_change(&user.actor, id, revision, &values).await,
        Err(_) => {
            Err(ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
                .with_field("expected_revision"))
        }
    };
    match result {
        Ok(_) => Redirect::to(&format!("/rule-of-law/{}?done=changed", register.as_str())).into_response(),
        Err(err) => match refused_status(&err) {
            Some(status) => {
                render_status(status, &form_page(user, register, Some((id, row.revision)), &values, Some(&err)))
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}
