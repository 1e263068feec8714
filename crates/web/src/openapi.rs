//! The OpenAPI document of every route. A test checks that each row of the route table appears
//! here, so a new route cannot go undocumented.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::dto::{ErrorBody, ProblemDto};
use crate::routes::{
    accounts, admin, apply, attachments, audit, auth, calendar, cases, dashboard, divisions, guide, health, items,
    notices, pages, persons, portal, stats, work,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minzheng 民政业务平台 API",
        description = "错误一律为 JSON：`{\"code\",\"message\",\"field\",\"problems\"}`，`code` 稳定不变，`message` 为中文。\
                       使用 Cookie 会话的 POST/PUT/PATCH/DELETE 须带 `x-csrf-token` 请求头；使用 Bearer 令牌的请求不需要。",
    ),
    paths(
        health::check,
        auth::create_token,
        auth::revoke_token,
        auth::login,
        auth::logout,
        auth::me,
        accounts::list,
        accounts::create,
        accounts::grant,
        accounts::revoke,
        accounts::disable,
        accounts::set_password,
        crate::routes::account_pages::list,
        crate::routes::account_pages::create,
        crate::routes::account_pages::show,
        crate::routes::account_pages::grant,
        crate::routes::account_pages::revoke,
        crate::routes::account_pages::disable,
        crate::routes::account_pages::reset_password,
        crate::routes::nodes::page,
        crate::routes::admin_pages::hub,
        crate::routes::admin_pages::record,
        crate::routes::admin_pages::calendar,
        crate::routes::admin_pages::import_calendar,
        crate::routes::admin_pages::items,
        crate::routes::admin_pages::publication,
        crate::routes::admin_pages::delegate,
        crate::routes::admin_pages::revoke,
        persons::list,
        persons::create,
        persons::search,
        persons::get,
        persons::get_full,
        persons::record_death,
        divisions::list,
        divisions::get,
        calendar::day,
        calendar::add_workdays,
        calendar::add_days,
        calendar::versions,
        calendar::import,
        cases::create,
        cases::list,
        cases::get,
        cases::act,
        cases::events,
        cases::my_work,
        attachments::upload,
        attachments::list,
        attachments::download,
        attachments::upload_page,
        audit::verify,
        items::list,
        items::get,
        items::history,
        admin::publication,
        admin::publications,
        admin::grant_delegation,
        admin::delegations,
        admin::revoke_delegation,
        admin::set_clock,
        admin::status,
        stats::service,
        stats::outcomes,
        dashboard::api,
        dashboard::page,
        portal::form,
        portal::track,
        portal::rate,
        portal::rate_api,
        document,
        pages::login_form,
        pages::login,
        crate::routes::register::form,
        crate::routes::register::register,
        crate::routes::register::verify_form,
        crate::routes::register::verify,
        pages::home,
        pages::logout,
        crate::views::stylesheet,
        crate::views::print_script,
        crate::views::htmx,
        crate::routes::pickers::divisions,
        crate::routes::pickers::persons,
        work::work,
        work::search,
        work::search_post,
        work::case,
        work::act,
        apply::form,
        apply::submit,
        guide::list,
        guide::item,
        notices::notice,
        notices::verify,
    ),
    components(schemas(ErrorBody, ProblemDto)),
    tags(
        (name = "health", description = "运行状态"),
        (name = "auth", description = "登录、令牌与会话"),
        (name = "accounts", description = "账户与授权"),
        (name = "persons", description = "人员信息（列表脱敏，完整信息的每次查阅均留痕）"),
        (name = "divisions", description = "行政区划（公开）"),
        (name = "calendar", description = "工作日历与期限计算（查询公开）"),
        (name = "cases", description = "办件：提交、办理（受理、一次性告知、审核、决定、送达…）、期限及其说明、全过程记录、待办"),
        (name = "audit", description = "全过程记录"),
        (name = "items", description = "政务服务事项：施行中的事项与调整记录（公开），认领、发布、撤回与下放（管理员）"),
        (name = "admin", description = "运行管理：模拟时钟（仅测试、演示模式）与管理员提醒"),
        (name = "stats", description = "政务服务指标（各项注明口径）"),
        (name = "pages", description = "网页"),
    )
)]
pub struct ApiDoc;

/// `bearer` (`Authorization: Bearer <token>`) and `cookie` (`mz_session`).
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("POST /api/v1/auth/token 取得的令牌，8 小时有效"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::extract::SESSION_COOKIE,
                "POST /api/v1/auth/login 设置的会话 Cookie；写操作须带 x-csrf-token 请求头",
            ))),
        );
    }
}

/// Every operationId unique, as OpenAPI requires and client generators insist: a handler's
/// name (`list`, `create`, `get` …) is kept where it is unique, else prefixed with its tag
/// (`cases_list`), else named by method and path.
struct UniqueOperationIds;

impl Modify for UniqueOperationIds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use std::collections::{HashMap, HashSet};
        let mut seen: HashMap<String, usize> = HashMap::new();
        for item in openapi.paths.paths.values() {
            for op in operations(item) {
                if let Some(id) = &op.operation_id {
                    *seen.entry(id.clone()).or_default() += 1;
                }
            }
        }
        let mut taken: HashSet<String> = seen.iter().filter(|(_, n)| **n == 1).map(|(id, _)| id.clone()).collect();
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, op) in operations_mut(item) {
                let id = op.operation_id.clone().unwrap_or_default();
                if seen.get(&id) == Some(&1) {
                    continue;
                }
                let tag = op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_default();
                let mut candidate = format!("{tag}_{id}");
                if tag.is_empty() || taken.contains(&candidate) {
                    let slug: String = path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
                    candidate = format!("{method}{}", slug.trim_end_matches('_'));
                }
                taken.insert(candidate.clone());
                op.operation_id = Some(candidate);
            }
        }
    }
}

/// The refusals every operation of the JSON API can answer whatever its handler does, from the
/// shared layers (`lib.rs`, `extract.rs`), documented on each so that the document lists every
/// status the server answers: 400 (a malformed request), 413 and 415 (a body too large or not
/// JSON, where the operation takes a body), 422 (a value a rule refuses, where it takes input).
struct CommonRefusals;

impl Modify for CommonRefusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let refusal = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/") {
                continue;
            }
            for (_, op) in operations_mut(item) {
                let has_body = op.request_body.is_some();
                let has_input = has_body || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let responses = &mut op.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses.entry(status.to_string()).or_insert_with(|| refusal(description).into());
                };
                add("400", "请求格式错误（`malformed_json`、`invalid_body`、`invalid_query`、`invalid_path` 等）");
                if has_body {
                    add("413", "请求体过大（`body_too_large`，上限 1 MiB）");
                    add("415", "请求体类型不是 application/json（`unsupported_media_type`）");
                }
                if has_input {
                    add("422", "输入的值不符合规则（`code` 与 `field` 指明何处）");
                }
            }
        }
    }
}

fn operations(item: &utoipa::openapi::PathItem) -> Vec<&utoipa::openapi::path::Operation> {
    [&item.get, &item.put, &item.post, &item.delete, &item.options, &item.head, &item.patch, &item.trace]
        .into_iter()
        .flatten()
        .collect()
}

fn operations_mut(item: &mut utoipa::openapi::PathItem) -> Vec<(&'static str, &mut utoipa::openapi::path::Operation)> {
    let utoipa::openapi::PathItem { get, put, post, delete, options, head, patch, trace, .. } = item;
    [
        ("get", get),
        ("put", put),
        ("post", post),
        ("delete", delete),
        ("options", options),
        ("head", head),
        ("patch", patch),
        ("trace", trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_mut().map(|op| (m, op)))
    .collect()
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "health",
    responses((status = 200, description = "OpenAPI 3.1 文档", content_type = "application/json"))
)]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(api_doc())
}

/// The whole document: the generic routes ([`ApiDoc`]) and every area's (`verticals::openapi`),
/// then what applies to every operation (security schemes, unique operation ids, the shared
/// refusals).
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::verticals::openapi());
    utoipa::Modify::modify(&crate::annual_report::ApiPaths, &mut doc);
    utoipa::Modify::modify(&crate::openness::ApiPaths, &mut doc);
    for modifier in [&SecuritySchemes as &dyn Modify, &UniqueOperationIds, &CommonRefusals] {
        modifier.modify(&mut doc);
    }
    doc
}
