//! The page templates (askama, `templates/`, checked at compile time, HTML-escaped by default)
//! and what they share: the layout's header, the stylesheet, Chinese dates.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use domain::access::Role;

use crate::error::AppError;
use crate::extract::AuthUser;

/// The stylesheet, served from the binary at `/static/app.css` (the CSP forbids inline styles).
pub const APP_CSS: &str = include_str!("../static/app.css");

/// htmx 2 (0BSD, `static/htmx.LICENSE`), served from the binary at `/static/htmx.min.js`: the
/// pickers refresh in place with it; no other script runs on the pages.
pub const HTMX_JS: &str = include_str!("../static/htmx.min.js");

/// What the base layout shows around every page.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub title: String,
    /// The signed-in user, for the header (name and the logout form with its CSRF token).
    pub user: Option<UserBar>,
}

#[derive(Debug, Clone)]
pub struct UserBar {
    pub name: String,
    pub csrf_token: String,
    /// Holds a role that works cases (the workbench links).
    pub staff: bool,
    /// May read the service figures somewhere (the dashboard link, as the access matrix says).
    pub dashboard: bool,
    /// May manage accounts (the account pages' link).
    pub admin: bool,
    /// May open one of the administration pages (the 系统管理 link: `admin_pages::admin_links`).
    pub manage: bool,
    /// The areas' links this user may follow (`verticals::nav`), after the generic ones.
    pub nav: Vec<NavEntry>,
}

/// One link of the header's navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    pub href: &'static str,
    pub label: &'static str,
}

/// Holds a role that works cases (the workbench links).
pub fn works_cases(user: &AuthUser) -> bool {
    user.actor.grants.iter().any(|g| !matches!(g.role, Role::Citizen | Role::Admin))
}

impl Layout {
    pub fn public(title: impl Into<String>) -> Layout {
        Layout { title: title.into(), user: None }
    }

    /// A page for a signed-in user; `name` is what the header shows (the account's username).
    pub fn for_user(title: impl Into<String>, user: &AuthUser) -> Layout {
        Layout {
            title: title.into(),
            user: Some(UserBar {
                name: user.actor.username.clone(),
                csrf_token: user.csrf_token.clone(),
                staff: works_cases(user),
                dashboard: user.actor.may_somewhere(domain::access::Permission::ReadServiceStats),
                admin: user.actor.may_somewhere(domain::access::Permission::ManageAccounts),
                manage: !crate::routes::admin_pages::admin_links(&user.actor).is_empty(),
                nav: crate::verticals::nav(user),
            }),
        }
    }
}

/// Renders a template as a page; a template error is a logged 500 page.
pub fn render<T: Template>(template: &T) -> Response {
    render_status(StatusCode::OK, template)
}

pub fn render_status<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => AppError::internal(format!("template: {err}")).into_html(),
    }
}

/// A date the Chinese way: 2021年6月30日.
pub fn date_zh(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

/// A case's state as its pages name it: a closed case by how it ended (已办结（准予）…).
pub fn status_zh(status: domain::engine::case::CaseStatus) -> String {
    match status {
        domain::engine::case::CaseStatus::Closed(outcome) => outcome.name_zh().to_string(),
        other => other.name_zh().to_string(),
    }
}

/// A case's state as its pages name it ([`status_zh`]), a case decided on an outcome its item
/// declares by that outcome (已办结（经检索没有所申请的信息）), not by the side it falls on: an
/// answer that is not a refusal is not called 不予准予.
pub fn case_status_zh(view: &service::cases::CaseView) -> String {
    match (view.case.status, view.outcome.as_ref().filter(|o| o.is_declared())) {
        (domain::engine::case::CaseStatus::Closed(_), Some(outcome)) if view.case.decision.is_some() => {
            format!("已办结（{}）", outcome.label)
        }
        (status, _) => status_zh(status),
    }
}

/// An amount in fen as people read it (the one formatter, shared with the facts of a form).
pub use domain::form::yuan;

/// An instant as a Shanghai date and time: 2021年6月30日 09:05.
pub fn datetime_zh(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&domain::calendar::shanghai_offset()).format("%Y年%-m月%-d日 %H:%M").to_string()
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub error: Option<String>,
    pub username: String,
    /// The page to go back to once signed in (empty: home).
    pub next: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub name: String,
    pub grants: Vec<String>,
    /// A citizen (网上申请 and 我的办件) rather than staff.
    pub online: bool,
    /// A citizen whose account is not yet bound to their person (实名认证 first).
    pub unverified: bool,
    /// For a clerk: the items in force today, as (slug, name), each linking to its window form;
    /// for a citizen: the items that take applications online.
    pub apply_items: Vec<(String, String)>,
    /// A citizen's own cases, newest first.
    pub my_cases: Vec<MyCase>,
}

/// One of a citizen's cases on the home page.
pub struct MyCase {
    pub id: i64,
    pub number: String,
    pub item_name: String,
    pub status: String,
    pub submitted: String,
}

/// `GET /static/app.css`.
#[utoipa::path(
    get,
    path = "/static/app.css",
    tag = "pages",
    responses((status = 200, description = "网页样式表", content_type = "text/css", body = String))
)]
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], APP_CSS)
        .into_response()
}

/// The script of the 打印 button on printable documents (the CSP forbids inline script).
pub const PRINT_JS: &str = include_str!("../static/print.js");

#[utoipa::path(
    get,
    path = "/static/print.js",
    tag = "pages",
    responses((status = 200, description = "文书页“打印”按钮的脚本", content_type = "text/javascript", body = String))
)]
pub async fn print_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        PRINT_JS,
    )
        .into_response()
}

/// `GET /static/htmx.min.js`.
#[utoipa::path(
    get,
    path = "/static/htmx.min.js",
    tag = "pages",
    responses((status = 200, description = "htmx（0BSD 许可）", content_type = "text/javascript", body = String))
)]
pub async fn htmx() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        HTMX_JS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_the_chinese_way() {
        let date = NaiveDate::from_ymd_opt(2021, 6, 30).expect("date");
        assert_eq!(date_zh(date), "2021年6月30日");
        let at =
            chrono::DateTime::parse_from_rfc3339("2021-01-04T01:05:00Z").expect("time").with_timezone(&chrono::Utc);
        assert_eq!(datetime_zh(at), "2021年1月4日 09:05");
    }

    #[test]
    fn amounts_read_with_the_yuan_sign_and_thousands() {
        assert_eq!(yuan(123400), "¥1,234.00");
        assert_eq!(yuan(0), "¥0.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(100_000_000), "¥1,000,000.00");
        assert_eq!(yuan(-123456), "-¥1,234.56");
    }

    #[test]
    fn templates_escape_what_they_show() {
        let page = LoginPage {
            layout: Layout::public("登录"),
            error: Some("<b>".into()),
            username: "\"><script>".into(),
            next: String::new(),
        };
        let html = page.render().expect("render");
        assert!(html.contains("value=\"&#34;&#62;&#60;script&#62;\""), "{html}");
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/static/app.css\">"));
        assert!(html.contains("<html lang=\"zh-CN\">"));
    }
}
