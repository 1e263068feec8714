//! The server-rendered pages, in Chinese: login, home, logout, the error pages and the 模拟时钟
//! banner. The pages are askama templates on one layout (`crate::views`); [`escape_html`] remains
//! for the few pieces still written by hand (the notices, the banner).
//!
//! Pages authenticate with the session cookie only; the logout form carries the session's CSRF
//! token as a hidden field.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use service::web_support::SessionKind;

use crate::dto::GrantDto;
use crate::error::AppError;
use crate::error::INTERNAL_MESSAGE;
use crate::extract::{self, ClientAddr, PageForm};
use crate::views::{render, ErrorPage, HomePage, Layout, LoginPage, MyCase};
use crate::AppState;
use askama::Template;
use domain::access::Role;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

/// The 模拟时钟 banner: the time the server runs on, so nobody mistakes a demo for real work.
pub fn simulated_clock_banner_html(now: chrono::DateTime<chrono::Utc>) -> String {
    let shown = now.with_timezone(&domain::calendar::shanghai_offset()).format("%Y-%m-%d %H:%M");
    format!(
        "<p role=\"status\" class=\"simulated-clock\"><strong>模拟时钟</strong>：当前模拟时间 {}（北京时间）。\
         本系统运行在模拟时间上，仅供测试和演示。</p>\n",
        escape_html(&shown.to_string())
    )
}

/// Puts the 模拟时钟 banner at the top of every HTML page (the pages, the error pages, the 404
/// page) when the server runs on a simulated clock; JSON answers are left alone.
pub async fn simulated_clock_banner(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // A fragment htmx asked for (a picker's options) goes into a page that has its banner.
    let fragment = request.headers().contains_key("hx-request");
    let response = next.run(request).await;
    let Some(clock) = state.simulated.as_ref().filter(|_| !fragment) else {
        return response;
    };
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * crate::BODY_LIMIT).await else {
        return AppError::internal("reading a page to add the simulated-clock banner failed").into_html();
    };
    let html = String::from_utf8_lossy(&bytes);
    let banner = simulated_clock_banner_html(domain::clock::Clock::now(clock.as_ref()));
    let html = match html.find("<body>") {
        Some(at) => format!("{}\n{banner}{}", &html[..at + "<body>".len()], &html[at + "<body>".len()..]),
        None => format!("{banner}{html}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(html))
}

/// The page of an error (used by [`AppError::into_html`]).
pub fn error_page(status: StatusCode, message: &str) -> Html<String> {
    error_page_for(status, message, None)
}

/// The page of an error, with the signed-in user in the header when known.
pub fn error_page_for(status: StatusCode, message: &str, user: Option<&extract::AuthUser>) -> Html<String> {
    let title = match status {
        StatusCode::NOT_FOUND => "页面不存在",
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::UNAUTHORIZED => "请先登录",
        StatusCode::CONFLICT => "办件已变更",
        s if s.is_server_error() => "服务器错误",
        _ => "请求有误",
    };
    let layout = match user {
        Some(user) => Layout::for_user(title, user),
        None => Layout::public(title),
    };
    let page = ErrorPage { layout, message: message.to_string() };
    match page.render() {
        Ok(html) => Html(html),
        // Cannot happen with a compiled template; never fail an error page.
        Err(_) => Html(format!(
            "<!doctype html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>{t}</title></head>\n\
             <body>\n<main><h1>{t}</h1><p role=\"alert\">{m}</p></main>\n</body>\n</html>\n",
            t = escape_html(title),
            m = escape_html(message)
        )),
    }
}

fn login_page(error: Option<&str>, username: &str, next: &str) -> Html<String> {
    let page = LoginPage {
        layout: Layout::public("登录"),
        error: error.map(str::to_string),
        username: username.to_string(),
        next: safe_next(next).unwrap_or_default().to_string(),
    };
    match page.render() {
        Ok(html) => Html(html),
        Err(err) => error_page(AppError::internal(format!("template: {err}")).status, INTERNAL_MESSAGE),
    }
}

/// The answer to a page asked for without a session: the login page.
pub fn redirect_to_login() -> Response {
    redirect("/login")
}

/// The login page, asked to come back to `asked` (a page of this site) once signed in.
pub fn redirect_to_login_from(asked: &str) -> Response {
    match safe_next(asked) {
        Some(next) if next != "/" => {
            let query = form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish();
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/login?{query}"))]).into_response()
        }
        _ => redirect_to_login(),
    }
}

/// `next` when it is a path of this site: it starts with one `/` (never `//` or `/\`, which a
/// browser reads as another host), holds no control character, and is of a sane length.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 1000
        && !next.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(next)
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

fn redirect_with_cookie(to: &'static str, cookie: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string()), (header::SET_COOKIE, cookie)]).into_response()
}

#[utoipa::path(
    get,
    path = "/login",
    tag = "pages",
    params(("next" = Option<String>, Query, description = "登录后回到的本站页面（以 / 开头）")),
    responses((status = 200, description = "登录页", content_type = "text/html", body = String))
)]
pub async fn login_form(axum::extract::RawQuery(query): axum::extract::RawQuery) -> Html<String> {
    let next = crate::routes::apply::param(query.as_deref(), "next").unwrap_or_default();
    login_page(None, "", &next)
}

/// The login form's fields. Browsers may add others; they are ignored.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The page that asked for the login, to go back to.
    #[serde(default)]
    next: String,
}

#[utoipa::path(
    post,
    path = "/login",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "username, password, next（登录后回到的本站页面）"),
    responses(
        (status = 303, description = "已登录，转到首页；响应设置 mz_session Cookie"),
        (status = 401, description = "用户名或密码错误：重新显示表单", content_type = "text/html", body = String),
        (status = 429, description = "失败次数过多：重新显示表单", content_type = "text/html", body = String),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<LoginForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    match state.app.login(&form.username, &form.password, &addr, SessionKind::Cookie).await {
        Ok(login) => {
            let max_age = service::accounts::SESSION_HOURS * 3600;
            let cookie = extract::session_cookie(&login.token, max_age, state.secure_cookies);
            let to = safe_next(form.next.trim()).unwrap_or("/").to_string();
            (StatusCode::SEE_OTHER, [(header::LOCATION, to), (header::SET_COOKIE, cookie)]).into_response()
        }
        Err(err) => {
            let err = AppError::from(err);
            tracing::debug!(status = err.status.as_u16(), code = err.code, "login form refused");
            (err.status, login_page(Some(&err.message), form.username.trim(), form.next.trim())).into_response()
        }
    }
}

#[utoipa::path(
    get,
    path = "/",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "首页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
    )
)]
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(user) = extract::cookie_session(&headers, &state).await else {
        return redirect("/login");
    };
    let account = match state.app.account_of(&user.actor).await {
        Ok(account) => account,
        Err(err) => return AppError::from(err).into_html(),
    };
    let divisions = state.app.divisions();
    let grants = account
        .grants
        .iter()
        .map(|g| {
            let g = GrantDto::from_grant(g, divisions);
            format!("{}（{}）", g.role_name, g.division_name)
        })
        .collect();
    let today = state.app.on_or_today(None);
    let clerk = user.actor.has_role(Role::Clerk);
    let citizen = user.actor.has_role(Role::Citizen) && !clerk;
    // A clerk's window forms: every item in force; a citizen's online forms: the items whose
    // depth allows it.
    let apply_items = state
        .app
        .items_on(today)
        .into_iter()
        .filter(|i| clerk || (citizen && i.online_depth >= service::cases::ONLINE_APPLICATION_DEPTH))
        .map(|i| (i.slug.clone(), i.name.clone()))
        .collect();
    let my_cases = if citizen {
        match state.app.cases(&user.actor, &service::cases::CaseQuery::default()).await {
            Ok(views) => views
                .iter()
                .map(|v| MyCase {
                    id: v.case.id,
                    number: v.case.number.clone(),
                    item_name: v.item_name.clone(),
                    status: crate::views::case_status_zh(v),
                    submitted: v.case.submitted_at.map(crate::views::datetime_zh).unwrap_or_default(),
                })
                .collect(),
            Err(err) => return AppError::from(err).into_html_for(&user),
        }
    } else {
        Vec::new()
    };
    // A citizen's account made before 实名注册 is bound here first (`/account/verify`).
    let unverified = citizen && matches!(state.app.citizen_person(&user.actor).await, Ok(None));
    let page = HomePage {
        layout: Layout::for_user("首页", &user),
        name: account.display_name,
        grants,
        online: citizen,
        unverified,
        apply_items,
        my_cases,
    };
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

#[utoipa::path(
    post,
    path = "/logout",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token"),
    responses(
        (status = 303, description = "已退出，转到 /login；响应清除 Cookie"),
        (status = 403, description = "CSRF 令牌缺失或不匹配", content_type = "text/html", body = String),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<LogoutForm>,
) -> Response {
    let clear = extract::clear_session_cookie(state.secure_cookies);
    let Some(user) = extract::cookie_session(&headers, &state).await else {
        return redirect_with_cookie("/login", clear);
    };
    if let Err(err) = extract::check_form_csrf(&headers, &user, &form.csrf_token) {
        return err.into_html();
    }
    if let Err(err) = state.app.logout(&user.token).await {
        return AppError::from(err).into_html();
    }
    redirect_with_cookie("/login", clear)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_escapes_markup_and_quotes() {
        assert_eq!(escape_html("张三"), "张三");
        assert_eq!(escape_html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape_html(r#"" onmouseover='x'"#), "&quot; onmouseover=&#x27;x&#x27;");
        assert_eq!(escape_html("a & b"), "a &amp; b");
        assert_eq!(escape_html("&lt;"), "&amp;lt;", "escaping is not idempotent, so escape once");
    }

    #[test]
    fn login_page_has_labelled_fields_and_escapes_the_username() {
        let Html(html) = login_page(Some("用户名或密码错误"), "\"><script>", "//evil.example");
        assert!(html.contains("<label for=\"username\">用户名</label>"));
        assert!(html.contains("<label for=\"password\">密码</label>"));
        assert!(html.contains("value=\"&#34;&#62;&#60;script&#62;\""), "{html}");
        assert!(!html.contains("<script>"));
        assert!(html.contains("<html lang=\"zh-CN\">"));
        assert!(!html.contains("evil.example"), "another host is never a place to go back to");
    }

    #[test]
    fn only_a_page_of_this_site_is_gone_back_to() {
        assert_eq!(safe_next("/cases/7?done=accept"), Some("/cases/7?done=accept"));
        assert_eq!(safe_next("/"), Some("/"));
        for bad in ["", "cases/7", "//evil.example/x", "/\\evil.example", "https://evil.example/", "/a\nb"] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }
}
