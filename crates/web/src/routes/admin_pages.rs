//! The administration pages beside the accounts (`account_pages`): a hub that lists what the
//! user may open, the full-process record's verification (the SM3 chain walked, its checkpoints
//! and their SM2 signatures), the working-day calendar's versions with the import form, and the
//! catalog's claims, publication and delegations (下放). Every act goes through the service
//! function the JSON API calls (`routes::admin`, `routes::calendar`, `routes::audit`), so the
//! same parser refuses the same input and the service decides who may; a refusal is shown next to
//! the field it names.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::DateTime;
use domain::access::{Actor, Permission};
use domain::division::Level;
use service::delegations::DelegationInput;
use service::{ErrorKind, ServiceError};

use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::views::{date_zh, datetime_zh, render_status, Layout};
use crate::AppState;

/// One entry of the administration hub.
pub struct AdminLink {
    pub href: &'static str,
    pub label: &'static str,
    pub about: &'static str,
}

/// The administration pages `actor` may open, each asked of the access matrix with the
/// permission its service functions require.
pub fn admin_links(actor: &Actor) -> Vec<AdminLink> {
    let all = [
        (Permission::ManageAccounts, "/admin/accounts", "账户与授权", "新建账户，增加或撤销授权，重置密码，停用账户"),
        (
            Permission::ManageCatalog,
            "/admin/items",
            "事项认领、发布与下放",
            "本级认领、发布或撤回事项，将环节职权下放到乡镇并收回",
        ),
        (
            Permission::ManageCatalog,
            "/admin/guide-reviews",
            "办事指南要素核查",
            "逐项核查本机关发布的办事指南（受理条件、申请材料、办理流程等14项要素），记录有误之处；年度报告的准确率据此计算",
        ),
        (
            Permission::ManageCalendar,
            "/admin/calendar",
            "工作日历",
            "在用的日历版本、各版本来源，导入国务院办公厅公布的放假安排",
        ),
        (Permission::ReadAudit, "/admin/record", "全过程记录校验", "逐条核对全过程记录的哈希链、检查点及其签名"),
        (
            Permission::ManageSystem,
            "/admin/nodes",
            "节点交换",
            "跨省通办区域节点的待发送件数、最近的消息和无法处理的消息（死信）",
        ),
    ];
    all.into_iter()
        .filter(|(permission, ..)| actor.may_somewhere(*permission))
        .map(|(_, href, label, about)| AdminLink { href, label, about })
        .collect()
}

fn forbidden(user: &AuthUser) -> Response {
    AppError::from(ServiceError::forbidden()).into_html_for(user)
}

/// A refusal's problems split by the fields of the form that shows it; the rest in `other`.
#[derive(Debug, Default)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    pub other: Vec<String>,
}

impl FormErrors {
    pub(crate) fn of(err: &ServiceError, known: &[&str]) -> FormErrors {
        let problems: Vec<(String, String)> = if err.problems.is_empty() {
            vec![(err.field.clone().unwrap_or_default(), err.message.clone())]
        } else {
            err.problems.iter().map(|p| (p.field.clone(), p.message.clone())).collect()
        };
        let mut errors = FormErrors::default();
        for (field, message) in problems {
            if known.contains(&field.as_str()) {
                errors.fields.push((field, message));
            } else {
                errors.other.push(message);
            }
        }
        errors
    }

    /// The messages for `field`, joined; `None` when it has none.
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self.fields.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect();
        (!messages.is_empty()).then(|| messages.join("；"))
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.other.is_empty()
    }
}

/// The status a refusal shown on its form answers with; `None`: an error page instead.
pub(crate) fn shown_on_form(err: &ServiceError) -> Option<StatusCode> {
    match err.kind {
        ErrorKind::Invalid => Some(StatusCode::UNPROCESSABLE_ENTITY),
        ErrorKind::Conflict => Some(StatusCode::CONFLICT),
        ErrorKind::NotFound => Some(StatusCode::NOT_FOUND),
        _ => None,
    }
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query.and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned()))
}

fn time_ms(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map(datetime_zh).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The hub

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub layout: Layout,
    pub links: Vec<AdminLink>,
}

/// The administration pages the user may open.
#[utoipa::path(
    get,
    path = "/admin",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "系统管理：本账户可打开的管理页面", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无任何管理权限", content_type = "text/html", body = String),
    )
)]
pub async fn hub(PageUser(user): PageUser) -> Response {
    let links = admin_links(&user.actor);
    if links.is_empty() {
        return forbidden(&user);
    }
    render_status(StatusCode::OK, &AdminPage { layout: Layout::for_user("系统管理", &user), links })
}

// ---------------------------------------------------------------------------------------------
// The record's verification

/// One checkpoint as the page lists it.
pub struct CheckpointRow {
    pub no: i64,
    pub at: String,
    pub streams: usize,
    pub hash: String,
}

/// The newest signed checkpoint and what its signature says.
pub struct SignedRow {
    pub no: i64,
    pub at: String,
    pub hash: String,
    pub signature: String,
    /// The SM2 signature verifies over the checkpoint's number and hash.
    pub signature_valid: bool,
    /// It was signed with this server's key.
    pub own_key: bool,
}

#[derive(Template)]
#[template(path = "admin_record.html")]
pub struct RecordPage {
    pub layout: Layout,
    pub ok: bool,
    /// The walk's finding in a sentence.
    pub finding: String,
    pub events: i64,
    pub checkpoint_count: usize,
    pub checkpoints: Vec<CheckpointRow>,
    pub latest: Option<SignedRow>,
    /// What the checkpoint file published outside the database says.
    pub published: String,
    pub public_key: String,
}

/// Walks the full-process record and shows the result, the newest checkpoints and the signed one.
#[utoipa::path(
    get,
    path = "/admin/record",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "全过程记录校验：哈希链逐条核对的结果、检查点及其 SM2 签名", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅全过程记录的权限", content_type = "text/html", body = String),
    )
)]
pub async fn record(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let overview = match state.app.record_overview_as(&user.actor).await {
        Ok(overview) => overview,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let (ok, finding) = match &overview.verification {
        Ok(report) => (
            true,
            format!(
                "记录完整：{} 条记录、{} 个记录流逐条核对，哈希链、检查点链与各记录流的末条一致。",
                report.events, report.streams
            ),
        ),
        Err(brk) => {
            tracing::warn!(seq = brk.seq(), kind = brk.kind(), "full-process record does not verify");
            (
                false,
                format!(
                    "记录未通过校验：{}。请立即报告，并以检查点文件和导出的记录核查。",
                    crate::routes::audit::break_message(brk)
                ),
            )
        }
    };
    let checkpoints = overview
        .checkpoints
        .iter()
        .map(|cp| CheckpointRow {
            no: cp.no,
            at: time_ms(cp.at_ms),
            streams: cp.heads.len(),
            hash: hex::encode(cp.hash),
        })
        .collect();
    let latest = overview.latest.as_ref().map(|s| SignedRow {
        no: s.no,
        at: time_ms(s.at_ms),
        hash: s.hash.clone(),
        signature: s.signature.clone(),
        signature_valid: s.signature_valid(),
        own_key: s.public_key.eq_ignore_ascii_case(&overview.public_key),
    });
    let published = match &overview.published {
        None => "本服务未配置检查点文件（--checkpoint-file）：检查点只保存在数据库中。".to_string(),
        Some(None) => "检查点文件尚未写入（还没有检查点）。".to_string(),
        Some(Some(file)) => {
            let signature = if file.signature_valid() { "签名有效" } else { "签名无效" };
            format!(
                "检查点文件中为第 {} 号检查点（{}），{signature}；校验时已与库内检查点链核对。",
                file.no,
                time_ms(file.at_ms)
            )
        }
    };
    let page = RecordPage {
        layout: Layout::for_user("全过程记录校验", &user),
        ok,
        finding,
        events: overview.events,
        checkpoint_count: overview.checkpoint_count,
        checkpoints,
        latest,
        published,
        public_key: overview.public_key,
    };
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// The calendar

pub struct CalendarVersionRow {
    pub version: String,
    pub source: String,
    pub years: String,
    pub imported_at: String,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
pub struct CalendarPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub in_force: String,
    pub years: String,
    pub versions: Vec<CalendarVersionRow>,
    pub done: Option<String>,
    pub csv: String,
    pub source: String,
    pub errors: FormErrors,
}

async fn calendar_page(
    state: &AppState,
    user: &AuthUser,
    status: StatusCode,
    done: Option<String>,
    form: (String, String, FormErrors),
) -> Response {
    if !user.actor.may_somewhere(Permission::ManageCalendar) {
        return forbidden(user);
    }
    let versions = match state.app.calendar_versions().await {
        Ok(v) => v,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let calendar = state.app.calendar();
    let years: Vec<String> = calendar.years().iter().map(|y| format!("{y}年")).collect();
    let (csv, source, errors) = form;
    let page = CalendarPage {
        layout: Layout::for_user("工作日历", user),
        csrf_token: user.csrf_token.clone(),
        in_force: calendar.version().to_string(),
        years: years.join("、"),
        versions: versions
            .into_iter()
            .rev()
            .map(|v| CalendarVersionRow {
                years: v.years.split(',').map(|y| format!("{}年", y.trim())).collect::<Vec<_>>().join("、"),
                version: v.version,
                source: v.source,
                imported_at: time_ms(v.imported_at_ms),
            })
            .collect(),
        done,
        csv,
        source,
        errors,
    };
    render_status(status, &page)
}

/// The calendar versions, the one in force, and the form to import a new one.
#[utoipa::path(
    get,
    path = "/admin/calendar",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "工作日历：在用版本、各版本及导入表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无管理日历的权限", content_type = "text/html", body = String),
    )
)]
pub async fn calendar(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let done = query_param(query.as_deref(), "imported").map(|years| format!("已导入并生效，涉及年度：{years}"));
    calendar_page(&state, &user, StatusCode::OK, done, (String::new(), String::new(), FormErrors::default())).await
}

/// Imports a calendar file (the same parser as the API and the CLI), then back to the page.
#[utoipa::path(
    post,
    path = "/admin/calendar",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, csv（日历文件内容）, source（来源，如国务院办公厅通知的文号）"),
    responses(
        (status = 303, description = "已导入并生效：转回工作日历页"),
        (status = 403, description = "CSRF 令牌不符，或无管理日历的权限", content_type = "text/html", body = String),
        (status = 422, description = "文件内容或来源不正确：表单与逐项提示（指出行号）", content_type = "text/html", body = String),
    )
)]
pub async fn import_calendar(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let (csv, source) = (post.one("csv"), post.one("source"));
    match state.app.import_calendar(Some(&user.actor), &csv, &source).await {
        Ok(years) => {
            let years: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
            let query: String =
                form_urlencoded::Serializer::new(String::new()).append_pair("imported", &years.join("、")).finish();
            Redirect::to(&format!("/admin/calendar?{query}")).into_response()
        }
        Err(err) => match shown_on_form(&err) {
            Some(status) => {
                let errors = FormErrors::of(&err, &["csv", "source"]);
                calendar_page(&state, user, status, None, (csv, source, errors)).await
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The catalog: claims, publication, delegations

pub struct PublicationRow {
    pub item: String,
    pub division: String,
    pub state: String,
    pub claimed: String,
    pub published: String,
    pub withdrawn: String,
}

pub struct DelegationRowView {
    pub id: i64,
    pub item: String,
    pub step: String,
    pub level: String,
    pub division: String,
    pub from: String,
    pub until: String,
    pub document: String,
    pub in_force: bool,
    pub revoked: bool,
}

/// What the forms post back when shown again with their refusal.
#[derive(Default)]
pub struct ItemsForms {
    pub pub_item: String,
    pub pub_division: String,
    pub pub_act: String,
    pub pub_errors: FormErrors,
    pub del_item_step: String,
    pub del_level: String,
    pub del_division: String,
    pub del_from: String,
    pub del_document: String,
    pub del_errors: FormErrors,
    /// A refused 收回: the delegation and why.
    pub revoke_error: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "admin_items.html")]
pub struct ItemsPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub today: String,
    pub done: Option<String>,
    /// (slug, name) of the catalog's items.
    pub items: Vec<(String, String)>,
    /// ("slug:step", "item · step") of every step of the catalog's items.
    pub steps: Vec<(String, String)>,
    pub levels: Vec<(&'static str, &'static str)>,
    pub acts: Vec<(&'static str, &'static str)>,
    pub publications: Vec<PublicationRow>,
    pub delegations: Vec<DelegationRowView>,
    pub pub_picker: DivisionPicker,
    pub del_picker: DivisionPicker,
    pub f: ItemsForms,
}

async fn items_page(
    state: &AppState,
    user: &AuthUser,
    status: StatusCode,
    done: Option<String>,
    f: ItemsForms,
) -> Response {
    let today = state.app.today();
    let publications = match state.app.publications(&user.actor, None).await {
        Ok(rows) => rows,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let delegations = match state.app.delegation_list(Some(&user.actor), None).await {
        Ok(rows) => rows,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    // Every item of the catalog, in the version in force today or else its newest (an item
    // may be claimed and published before its first version takes effect).
    let catalog = &state.app.catalog;
    let in_force: Vec<&domain::catalog::ServiceItem> = catalog
        .slugs()
        .filter_map(|slug| catalog.in_force(slug, today).or_else(|| catalog.versions(slug).last()))
        .collect();
    let item_name = |slug: &str| {
        in_force
            .iter()
            .find(|i| i.slug == slug)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| format!("（目录中已无此事项：{slug}）"))
    };
    let step_name = |slug: &str, step: &str| {
        in_force
            .iter()
            .find(|i| i.slug == slug)
            .and_then(|i| i.procedure.steps.iter().find(|s| s.id == step))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| step.to_string())
    };
    let divisions = state.app.divisions();
    let place = |code: &str| {
        domain::division::DivisionCode::parse(code)
            .ok()
            .and_then(|c| divisions.full_name(&c))
            .unwrap_or_else(|| code.to_string())
    };
    let level_name =
        |level: &str| Level::parse(level).map(|l| l.name_zh().to_string()).unwrap_or_else(|_| level.to_string());
    let publications = publications
        .iter()
        .map(|p| PublicationRow {
            item: item_name(&p.slug),
            division: place(&p.division),
            state: service::items::PublicationState::of(Some(p)).name_zh().to_string(),
            claimed: p.claimed_at_ms.map(time_ms).unwrap_or_default(),
            published: p.published_at_ms.map(time_ms).unwrap_or_default(),
            withdrawn: p.withdrawn_at_ms.map(time_ms).unwrap_or_default(),
        })
        .collect();
    let delegations = delegations
        .iter()
        .map(|d| DelegationRowView {
            id: d.id,
            item: item_name(&d.item_slug),
            step: step_name(&d.item_slug, &d.step),
            level: level_name(&d.to_level),
            division: place(&d.division),
            from: date_zh(d.valid_from),
            until: d.valid_until.map(date_zh).unwrap_or_default(),
            document: d.document.clone(),
            in_force: d.valid_from <= today && d.valid_until.is_none_or(|until| today <= until),
            revoked: d.valid_until.is_some(),
        })
        .collect();
    let items = in_force.iter().map(|i| (i.slug.clone(), i.name.clone())).collect();
    let steps = in_force
        .iter()
        .flat_map(|i| {
            i.procedure.steps.iter().map(move |s| (format!("{}:{}", i.slug, s.id), format!("{} · {}", i.name, s.name)))
        })
        .collect();
    let pub_field = DivisionField::new("pub_division", "认领、发布的行政区划").required();
    let del_field = DivisionField::new("del_division", "下放到的乡镇（街道）").required();
    let page = ItemsPage {
        layout: Layout::for_user("事项认领、发布与下放", user),
        csrf_token: user.csrf_token.clone(),
        today: today.to_string(),
        done,
        items,
        steps,
        levels: vec![
            (Level::Township.as_str(), Level::Township.name_zh()),
            (Level::County.as_str(), Level::County.name_zh()),
        ],
        acts: vec![("claim", "认领"), ("publish", "发布"), ("withdraw", "撤回")],
        publications,
        delegations,
        pub_picker: DivisionPicker::new(divisions, &user.actor, &pub_field, &f.pub_division),
        del_picker: DivisionPicker::new(divisions, &user.actor, &del_field, &f.del_division),
        f,
    };
    render_status(status, &page)
}

/// The items' publication rows and the delegations, with the forms that change them.
#[utoipa::path(
    get,
    path = "/admin/items",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "事项认领、发布与下放", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是管理员", content_type = "text/html", body = String),
    )
)]
pub async fn items(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let done = match query_param(query.as_deref(), "done").as_deref() {
        Some("publication") => Some("已办理认领、发布或撤回。".to_string()),
        Some("delegation") => Some("已下放。".to_string()),
        Some("revoked") => Some("已收回下放。".to_string()),
        _ => None,
    };
    items_page(&state, &user, StatusCode::OK, done, ItemsForms::default()).await
}

/// Claims, publishes or withdraws an item for a division (the API's service function).
#[utoipa::path(
    post,
    path = "/admin/items/publication",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, item, pub_division, act（claim、publish 或 withdraw）"),
    responses(
        (status = 303, description = "已办理：转回事项页"),
        (status = 403, description = "CSRF 令牌不符，不是管理员，或授权不及该区划", content_type = "text/html", body = String),
        (status = 404, description = "事项不存在：表单与提示", content_type = "text/html", body = String),
        (status = 409, description = "与当前状态不符：表单与提示", content_type = "text/html", body = String),
        (status = 422, description = "操作或区划不正确：表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn publication(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let (item, division, act) = (post.one("item"), post.one("pub_division"), post.one("act"));
    match state.app.set_publication(&user.actor, &item, &division, &act).await {
        Ok(_) => Redirect::to("/admin/items?done=publication").into_response(),
        Err(err) => match shown_on_form(&err) {
            Some(status) => {
                let mut errors = FormErrors::of(&err, &["division", "act"]);
                if err.kind == ErrorKind::NotFound {
                    errors = FormErrors { fields: vec![("item".into(), err.message.clone())], other: Vec::new() };
                }
                let f = ItemsForms {
                    pub_item: item,
                    pub_division: division,
                    pub_act: act,
                    pub_errors: errors,
                    ..ItemsForms::default()
                };
                items_page(&state, user, status, None, f).await
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}

/// Delegates a step's power to a township (下放), from a date, on a document.
#[utoipa::path(
    post,
    path = "/admin/delegations",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, item_step（事项:环节）, to_level, del_division, from, document"),
    responses(
        (status = 303, description = "已下放：转回事项页"),
        (status = 403, description = "CSRF 令牌不符，不是管理员，或授权不及该区划", content_type = "text/html", body = String),
        (status = 409, description = "该环节在该区划已有下放：表单与提示", content_type = "text/html", body = String),
        (status = 422, description = "事项、环节、层级、区划、日期或文号不正确：表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn delegate(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let item_step = post.one("item_step");
    let (item, step) = item_step.split_once(':').map(|(i, s)| (i.to_string(), s.to_string())).unwrap_or_default();
    let division = post.one("del_division");
    let input = DelegationInput {
        item,
        step,
        to_level: post.one("to_level"),
        divisions: if division.trim().is_empty() { Vec::new() } else { vec![division.clone()] },
        from: post.one("from"),
        document: post.one("document"),
    };
    match state.app.grant_delegation(Some(&user.actor), &input).await {
        Ok(_) => Redirect::to("/admin/items?done=delegation").into_response(),
        Err(err) => match shown_on_form(&err) {
            Some(status) => {
                let mut errors = FormErrors::of(&err, &["item", "step", "to_level", "divisions", "from", "document"]);
                // The form asks for the item and its step in one choice, and for one division.
                for (field, _) in errors.fields.iter_mut() {
                    if field == "item" || field == "step" {
                        *field = "item_step".into();
                    } else if field.starts_with("divisions") {
                        *field = "divisions".into();
                    }
                }
                let f = ItemsForms {
                    del_item_step: item_step,
                    del_level: input.to_level,
                    del_division: division,
                    del_from: input.from,
                    del_document: input.document,
                    del_errors: errors,
                    ..ItemsForms::default()
                };
                items_page(&state, user, status, None, f).await
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}

/// Takes a delegation back from a date (in force until the day before).
#[utoipa::path(
    post,
    path = "/admin/delegations/{id}/revoke",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "下放记录")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, from（自何日起收回）"),
    responses(
        (status = 303, description = "已收回：转回事项页"),
        (status = 400, description = "编号格式错误", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，不是管理员，或授权不及该区划", content_type = "text/html", body = String),
        (status = 404, description = "下放记录不存在：事项页与提示", content_type = "text/html", body = String),
        (status = 409, description = "已收回：事项页与提示", content_type = "text/html", body = String),
        (status = 422, description = "日期不正确或早于今日：事项页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn revoke(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    match state.app.revoke_delegation(Some(&user.actor), id, &post.one("from")).await {
        Ok(_) => Redirect::to("/admin/items?done=revoked").into_response(),
        Err(err) => match shown_on_form(&err) {
            Some(status) => {
                let f = ItemsForms { revoke_error: Some((id, err.message.clone())), ..ItemsForms::default() };
                items_page(&state, user, status, None, f).await
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}
