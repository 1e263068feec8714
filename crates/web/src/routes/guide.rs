//! The public 办事指南: the catalog in force on a date (`/guide?on=YYYY-MM-DD`) and one item's
//! guide (`/guide/{slug}`): what to bring for each situation, the limits with their units, where,
//! when, the fee, the legal basis, how far it can be done online, and its adjustment history.
//! No login; a signed-in user still gets the header with their name.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use domain::catalog::{CaseType, ServiceItem};
use domain::procedure::Limit;

use crate::error::AppError;
use crate::extract::{self, AppPath};
use crate::routes::items::query_date;
use crate::views::{date_zh, render, Layout};
use crate::AppState;

fn limit_text(limit: Option<&Limit>, none: Option<&str>) -> String {
    match (limit, none) {
        (Some(l), _) => format!("{} {}（{}）", l.value, l.unit.name_zh(), l.basis),
        (None, Some(why)) => format!("法律未规定（{why}）"),
        (None, None) => "无".to_string(),
    }
}

fn fee_text(fee: &domain::catalog::Fee) -> String {
    let basis = fee.basis.trim();
    match (fee.charged, basis) {
        (true, "") => "收费".to_string(),
        (true, _) => format!("收费：{basis}"),
        (false, "" | "不收费") => "不收费".to_string(),
        (false, _) => format!("不收费（{basis}）"),
    }
}

fn online_text(depth: u8) -> String {
    if depth >= 4 {
        "可全程网上办理（网上办理深度 4 级）".to_string()
    } else {
        format!("网上办理深度 {depth} 级（非全程网办）")
    }
}

fn case_type(item: &ServiceItem) -> &'static str {
    match item.case_type {
        CaseType::Instant => "即办件",
        CaseType::Promised => "承诺件",
    }
}

/// The date asked for (`?on=`), else today; a malformed one is a 400 page.
fn on_date(state: &AppState, query: Option<&str>) -> Result<NaiveDate, AppError> {
    let on =
        query.and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "on").map(|(_, v)| v.into_owned()));
    query_date("on", on.as_deref()).map(|d| state.app.on_or_today(d))
}

async fn layout(headers: &HeaderMap, state: &AppState, title: String) -> Layout {
    match extract::cookie_session(headers, state).await {
        Some(user) => Layout::for_user(title, &user),
        None => Layout::public(title),
    }
}

pub struct GuideRow {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    pub limit: String,
    pub online: String,
    pub version: u32,
}

#[derive(Template)]
#[template(path = "guide_list.html")]
pub struct GuideList {
    pub layout: Layout,
    pub on: String,
    pub on_iso: String,
    pub items: Vec<GuideRow>,
}

#[utoipa::path(
    get,
    path = "/guide",
    tag = "pages",
    params(("on" = Option<String>, Query, description = "日期 YYYY-MM-DD，默认今日")),
    responses(
        (status = 200, description = "办事指南目录：该日施行的事项", content_type = "text/html", body = String),
        (status = 400, description = "日期格式错误", content_type = "text/html", body = String),
    )
)]
pub async fn list(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let on = match on_date(&state, query.as_deref()) {
        Ok(on) => on,
        Err(err) => return err.into_html(),
    };
    let items = state
        .app
        .items_on(on)
        .into_iter()
        .map(|item| GuideRow {
            slug: item.slug.clone(),
            name: item.name.clone(),
            kind: case_type(item),
            limit: match (&item.promised_limit, &item.statutory_limit) {
                (Some(l), _) | (None, Some(l)) => format!("{} {}", l.value, l.unit.name_zh()),
                (None, None) => "当场办结".to_string(),
            },
            online: online_text(item.online_depth),
            version: item.version.number,
        })
        .collect();
    let page = GuideList {
        layout: layout(&headers, &state, "办事指南".to_string()).await,
        on: date_zh(on),
        on_iso: on.to_string(),
        items,
    };
    render(&page)
}

pub struct Guide {
    pub name: String,
    pub code: String,
    pub version: u32,
    pub effective_from: String,
    pub kind: &'static str,
    pub case_type: &'static str,
    pub body: String,
    pub statutory: String,
    pub promised: String,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub supervision_phone: String,
    pub fee: String,
    pub online: String,
    /// The item takes applications online (`/items/{slug}/apply` for a signed-in citizen).
    pub online_apply: bool,
    pub slug: String,
    pub result: String,
    pub conditions: Vec<String>,
    /// (situation name, materials) — one entry named 全部 when the item has no situations.
    pub checklists: Vec<(String, Vec<String>)>,
    pub basis: Vec<String>,
}

#[derive(Template)]
#[template(path = "guide_item.html")]
pub struct GuideItem {
    pub layout: Layout,
    pub on: String,
    pub on_iso: String,
    pub g: Guide,
    /// (version, effective from, reason, ordered by), oldest first.
    pub history: Vec<(i64, String, String, String)>,
}

fn material_line(m: &domain::catalog::Material) -> String {
    let mut line = m.name.clone();
    if m.copies > 1 {
        line.push_str(&format!("，{} 份", m.copies));
    }
    if !m.required {
        line.push_str("（如有）");
    }
    if m.shared {
        line.push_str("（可通过数据共享获取，无需提交）");
    }
    line
}

fn guide(item: &ServiceItem) -> Guide {
    let checklists = if item.situations.is_empty() {
        vec![("全部".to_string(), item.materials.iter().map(material_line).collect())]
    } else {
        item.situations
            .iter()
            .map(|s| {
                let lines = item.materials.iter().filter(|m| s.materials.contains(&m.id)).map(material_line).collect();
                (s.name.clone(), lines)
            })
            .collect()
    };
    Guide {
        name: item.name.clone(),
        code: item.code.clone(),
        version: item.version.number,
        effective_from: date_zh(item.version.effective_from),
        kind: item.kind.name_zh(),
        case_type: case_type(item),
        body: item.implementing_body.clone(),
        statutory: limit_text(item.statutory_limit.as_ref(), item.statutory_limit_none.as_deref()),
        promised: limit_text(item.promised_limit.as_ref(), None),
        place: item.place.clone(),
        hours: item.hours.clone(),
        phone: item.phone.clone(),
        supervision_phone: item.supervision_phone.clone(),
        fee: fee_text(&item.fee),
        online: online_text(item.online_depth),
        online_apply: item.online_depth >= service::cases::ONLINE_APPLICATION_DEPTH,
        slug: item.slug.clone(),
        result: item.result.name.clone(),
        conditions: item.acceptance_conditions.clone(),
        checklists,
        basis: item.legal_basis.clone(),
    }
}

#[utoipa::path(
    get,
    path = "/guide/{slug}",
    tag = "pages",
    params(
        ("slug" = String, Path, description = "事项标识"),
        ("on" = Option<String>, Query, description = "日期 YYYY-MM-DD，默认今日"),
    ),
    responses(
        (status = 200, description = "一个事项的办事指南与调整记录", content_type = "text/html", body = String),
        (status = 400, description = "日期格式错误", content_type = "text/html", body = String),
        (status = 404, description = "事项不存在或该日尚未施行", content_type = "text/html", body = String),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<AppPath<String>, AppError>,
    RawQuery(query): RawQuery,
) -> Response {
    let AppPath(slug) = match path {
        Ok(path) => path,
        Err(err) => return err.into_html(),
    };
    let on = match on_date(&state, query.as_deref()) {
        Ok(on) => on,
        Err(err) => return err.into_html(),
    };
    let item = match state.app.item_on(&slug, on) {
        Ok(item) => item,
        Err(err) => return AppError::from(err).into_html(),
    };
    let history = match state.app.item_history(&slug).await {
        Ok(rows) => rows
            .into_iter()
            .map(|r| {
                let from =
                    NaiveDate::parse_from_str(&r.effective_from, "%Y-%m-%d").map(date_zh).unwrap_or(r.effective_from);
                (r.version, from, r.reason, r.ordered_by)
            })
            .collect(),
        Err(err) => return AppError::from(err).into_html(),
    };
    let page = GuideItem {
        layout: layout(&headers, &state, format!("办事指南：{}", item.name)).await,
        on: date_zh(on),
        on_iso: on.to_string(),
        g: guide(item),
        history,
    };
    render(&page)
}
