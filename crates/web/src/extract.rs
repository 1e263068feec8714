//! Extractors: our own JSON, form, path and query extractors (so a malformed request gets *our*
//! error with a stable code, never axum's plain-text rejection), authentication from a bearer
//! token or the session cookie, and the CSRF check of cookie-authenticated writes.
//!
//! None of these ever logs or echoes a value the client sent: a body can carry an ID number.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use domain::access::Actor;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "mz_session";
/// The header a cookie-authenticated JSON write carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field a cookie-authenticated form carries its CSRF token in.
pub const CSRF_FIELD: &str = "csrf_token";

// ---------------------------------------------------------------------------------------------
// JSON

/// A JSON request body: `Content-Type: application/json`, at most 1 MiB, syntactically valid,
/// and of the request type's exact shape (request types deny unknown fields).
#[derive(Debug, Clone)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::unsupported_media_type("application/json"));
        }
        let bytes = read_body(req, state).await?;
        parse_json(&bytes).map(AppJson)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::body_too_large()
        } else {
            AppError::new(StatusCode::BAD_REQUEST, "body_read_failed", "读取请求体失败")
        }
    })
}

/// Parses a JSON body into `T`, mapping serde's errors to ours. serde's own message is never
/// passed on: it can quote the offending value.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Request bodies are objects. (serde would also fill a struct from an array, by position.)
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => data_error(Source::JsonBody, "", ""),
            Err(_) => AppError::malformed_json(),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        shape_error(bytes, err.inner().classify(), &err.inner().to_string(), &path)
    })?;
    deserializer.end().map_err(|_| AppError::malformed_json())?;
    // JSON forbids raw C0 characters in strings: they come in escaped (`\u001b`); DEL and the C1
    // range can come raw (0x7F; UTF-8 lead byte 0xC2). Look closer only then.
    if bytes.windows(2).any(|w| w == b"\\u") || bytes.iter().any(|b| *b == 0x7f || *b == 0xc2) {
        if let Some(field) = serde_json::from_slice(bytes).ok().and_then(|v: serde_json::Value| control_in(&v, "")) {
            return Err(control_error(Source::JsonBody, &field));
        }
    }
    Ok(value)
}

/// Whether a character is refused in any text we take: every control character (C0 with NUL,
/// ESC, BEL…, DEL, C1) except the line breaks and tab a multi-line text area sends. NUL cannot be
/// stored by PostgreSQL and ends a string in SQLite's C API; the others corrupt what is printed,
/// exported or shown in a terminal. The one rule for the JSON API and the forms alike.
pub fn refused_char(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn has_refused(text: &str) -> bool {
    text.chars().any(refused_char)
}

/// The path of the first string (or member name) holding a refused control character.
fn control_in(value: &serde_json::Value, path: &str) -> Option<String> {
    let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    match value {
        serde_json::Value::String(text) if has_refused(text) => {
            Some(if path.is_empty() { ".".into() } else { path.into() })
        }
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| control_in(v, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(name, v)| {
            if has_refused(name) {
                Some(join(&name.replace(refused_char, "")))
            } else {
                control_in(v, &join(name))
            }
        }),
        _ => None,
    }
}

/// The first field of urlencoded pairs (a form or a query) whose name or value holds a refused
/// control character.
pub fn control_in_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<String> {
    pairs.into_iter().find(|(k, v)| has_refused(k) || has_refused(v)).map(|(k, _)| k.replace(refused_char, ""))
}

/// A control character has no place in any text we take: refused at the door, naming the field,
/// with the code the domain's own text checks use (`control_chars`).
fn control_error(source: Source, field: &str) -> AppError {
    let field = echo(field);
    let message = format!("{}“{field}”含有不允许的控制字符", source.noun());
    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "control_chars", message).with_field(field)
}

fn shape_error(bytes: &[u8], category: serde_json::error::Category, serde_message: &str, path: &str) -> AppError {
    use serde_json::error::Category;
    match category {
        Category::Syntax | Category::Eof | Category::Io => AppError::malformed_json(),
        // serde reports a field's problem as soon as it meets it, before the syntax error further
        // on: the body as a whole must parse before its shape is blamed.
        Category::Data if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() => AppError::malformed_json(),
        Category::Data => data_error(Source::JsonBody, serde_message, path),
    }
}

/// Where a structured input came from: sets the error code and the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    JsonBody,
    Query,
    Form,
    Path,
}

impl Source {
    fn code(self) -> &'static str {
        match self {
            Source::JsonBody => "invalid_body",
            Source::Query => "invalid_query",
            Source::Form => "invalid_form",
            Source::Path => "invalid_path",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Source::JsonBody => "字段",
            Source::Query => "查询参数",
            Source::Form => "表单项",
            Source::Path => "路径参数",
        }
    }
}

/// Longest client-chosen field name echoed back.
const MAX_ECHO: usize = 64;

fn echo(name: &str) -> String {
    name.chars().take(MAX_ECHO).collect()
}

/// serde's data errors say `missing field `x``, `unknown field `x`, expected …` or `invalid type:
/// …`. Only the field *name* is taken from the message, never a value.
fn data_error(source: Source, serde_message: &str, path: &str) -> AppError {
    let quoted = |prefix: &str| -> Option<String> {
        let rest = serde_message.strip_prefix(prefix)?.strip_prefix('`')?;
        rest.split_once('`').map(|(name, _)| echo(name))
    };
    let at_root = path.is_empty() || path == ".";
    // For an unknown field the path already ends at it; for a missing one, at its parent.
    let join = |name: &str| -> String {
        if at_root {
            name.to_string()
        } else if path == name || path.ends_with(&format!(".{name}")) {
            echo(path)
        } else {
            format!("{}.{name}", echo(path))
        }
    };
    let noun = source.noun();
    let invalid = |message: String| AppError::new(StatusCode::BAD_REQUEST, source.code(), message);
    if let Some(name) = quoted("missing field ") {
        let field = join(&name);
        return invalid(format!("缺少必填{noun}“{field}”")).with_field(field);
    }
    if let Some(name) = quoted("unknown field ") {
        let field = join(&name);
        return invalid(format!("不支持的{noun}“{field}”")).with_field(field);
    }
    if at_root {
        return invalid(match source {
            Source::JsonBody => "请求体应为 JSON 对象，并符合接口文档的结构".to_string(),
            _ => format!("{noun}格式不正确"),
        });
    }
    let field = echo(path);
    invalid(format!("{noun}“{field}”的类型或取值不正确")).with_field(field)
}

// ---------------------------------------------------------------------------------------------
// Forms (pages)

/// An `application/x-www-form-urlencoded` body, for the pages. Its rejections render as HTML.
#[derive(Debug, Clone)]
pub struct PageForm<T>(pub T);

impl<T, S> FromRequest<S> for PageForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_form(req.headers()) {
            return Err(AppError::unsupported_media_type("application/x-www-form-urlencoded").into_html());
        }
        let bytes = read_body(req, state).await.map_err(AppError::into_html)?;
        parse_urlencoded(&bytes, Source::Form).map(PageForm).map_err(AppError::into_html)
    }
}

/// Whether the body is `application/x-www-form-urlencoded` (parameters after `;` aside).
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        .unwrap_or(false)
}

/// A form's checkbox as the boolean its JSON twin takes: absent or empty is false; `yes`, `on`
/// (a browser's default) or `true` is true; `no` or `false` is false; anything else is refused
/// (422 `invalid_flag`), never read as either.
pub fn form_flag(fields: &[(String, String)], name: &str) -> Result<bool, domain::problem::FieldError> {
    match fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()) {
        None | Some("") | Some("no") | Some("false") => Ok(false),
        Some("yes") | Some("on") | Some("true") => Ok(true),
        Some(_) => Err(domain::problem::FieldError::new(name, "invalid_flag", "勾选项的取值无效：应为勾选或不勾选")),
    }
}

/// Parses `a=1&b=2` into `T`; errors name the field, never its value.
pub fn parse_urlencoded<T: DeserializeOwned>(bytes: &[u8], source: Source) -> Result<T, AppError> {
    let pairs: Vec<_> = form_urlencoded::parse(bytes).collect();
    if let Some(name) = control_in_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))) {
        return Err(control_error(source, &name));
    }
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(deserializer)
        .map_err(|err| data_error(source, &err.inner().to_string(), &err.path().to_string()))
}

// ---------------------------------------------------------------------------------------------
// Query and path

/// A query string of the exact shape of `T` (unknown parameters refused), else 400
/// `invalid_query`.
#[derive(Debug, Clone)]
pub struct AppQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for AppQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        parse_urlencoded(query.as_bytes(), Source::Query).map(AppQuery)
    }
}

/// Path parameters of type `T`, else 400 `invalid_path` naming the parameter.
#[derive(Debug, Clone)]
pub struct AppPath<T>(pub T);

impl<T, S> FromRequestParts<S> for AppPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Ok(params) = RawPathParams::from_request_parts(parts, state).await {
            if let Some(name) = control_in_pairs(params.iter()) {
                return Err(control_error(Source::Path, &name));
            }
        }
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(AppPath(value)),
            Err(_) => {
                let names: Vec<String> = RawPathParams::from_request_parts(parts, state)
                    .await
                    .map(|params| params.iter().map(|(name, _)| name.to_string()).collect())
                    .unwrap_or_default();
                let error = AppError::new(StatusCode::BAD_REQUEST, "invalid_path", "路径参数格式不正确");
                Err(match names.as_slice() {
                    [name] => AppError { message: format!("路径参数“{name}”格式不正确"), ..error }.with_field(name),
                    _ => error,
                })
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Client address

/// The client's IP address (for the login and /track throttles, and anything else keyed on the
/// client): the socket's peer, or behind a configured trusted proxy the address it forwarded
/// ([`crate::client_addr`]); `unknown` when the server was not started with connection info
/// (tests calling the router directly).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip()) else {
            return Ok(ClientAddr("unknown".to_string()));
        };
        let client = match parts.extensions.get::<crate::client_addr::TrustedProxies>() {
            Some(trusted) => trusted.client(peer, &parts.headers),
            None => peer,
        };
        Ok(ClientAddr(client.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Authentication and CSRF

/// How a request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    /// `Authorization: Bearer …`: exempt from CSRF (a browser never adds it on its own).
    Bearer,
    /// The `mz_session` cookie: writes need the CSRF token.
    Cookie,
}

/// An authenticated caller. For cookie-authenticated POST/PUT/PATCH/DELETE the extractor has
/// already checked the `x-csrf-token` header, so a handler cannot forget to.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub actor: Actor,
    pub csrf_token: String,
    /// The token presented (to revoke it on logout).
    pub token: String,
    pub via: AuthVia,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let (token, via) = match parts.headers.get(header::AUTHORIZATION) {
            Some(value) => {
                let token = value.to_str().ok().and_then(bearer_token).ok_or_else(AppError::unauthorized)?;
                (token.to_string(), AuthVia::Bearer)
            }
            None => {
                let token = cookie_value(&parts.headers, SESSION_COOKIE).ok_or_else(AppError::unauthorized)?;
                (token, AuthVia::Cookie)
            }
        };
        let (actor, csrf_token) = state.app.authenticate(&token).await?;
        if via == AuthVia::Cookie && is_write(&parts.method) {
            let presented = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if is_cross_site(&parts.headers) || !constant_time_eq(presented.as_bytes(), csrf_token.as_bytes()) {
                tracing::info!(actor.id = actor.account_id, "csrf check failed");
                return Err(AppError::csrf_failed());
            }
        }
        Ok(AuthUser { actor, csrf_token, token, via })
    }
}

/// The session behind the cookie, for the pages; `None` when there is none or it is not live.
/// Pages check the CSRF form field themselves ([`check_form_csrf`]).
pub async fn cookie_session(headers: &HeaderMap, state: &AppState) -> Option<AuthUser> {
    let token = cookie_value(headers, SESSION_COOKIE)?;
    let (actor, csrf_token) = state.app.authenticate(&token).await.ok()?;
    Some(AuthUser { actor, csrf_token, token, via: AuthVia::Cookie })
}

/// Path parameters of a page: [`AppPath`], refused as an HTML page (400).
pub struct PagePath<T>(pub T);

impl<T, S> FromRequestParts<S> for PagePath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        AppPath::<T>::from_request_parts(parts, state)
            .await
            .map(|AppPath(value)| PagePath(value))
            .map_err(AppError::into_html)
    }
}

/// The signed-in user of a page. Without a live session the answer is the login page (303).
pub struct PageUser(pub AuthUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Without a session: the login page, which comes back here once signed in.
        let asked = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        cookie_session(&parts.headers, state)
            .await
            .map(PageUser)
            .ok_or_else(|| crate::routes::pages::redirect_to_login_from(&asked))
    }
}

/// A form post from a page, the one prologue of every staff form: signed in (else 303 to the
/// login page), an urlencoded body, the session's CSRF token in its `csrf_token` field. The
/// fields in order, values trimmed (a field may repeat). Refusals are pages for the user.
pub struct PagePost {
    pub user: AuthUser,
    pub fields: Vec<(String, String)>,
}

impl PagePost {
    /// The first value of field `name`, or "".
    pub fn one(&self, name: &str) -> String {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

impl FromRequest<AppState> for PagePost {
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let user = cookie_session(&headers, state).await.ok_or_else(crate::routes::pages::redirect_to_login)?;
        if !is_form(&headers) {
            return Err(AppError::unsupported_media_type("application/x-www-form-urlencoded").into_html_for(&user));
        }
        let body = read_body(req, state).await.map_err(|err| err.into_html_for(&user))?;
        let fields: Vec<(String, String)> =
            form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.trim().to_string())).collect();
        let csrf = fields.iter().find(|(k, _)| k == "csrf_token").map(|(_, v)| v.as_str()).unwrap_or_default();
        check_form_csrf(&headers, &user, csrf).map_err(|err| err.into_html_for(&user))?;
        if let Some(name) = control_in_pairs(fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            return Err(control_error(Source::Form, &name).into_html_for(&user));
        }
        Ok(PagePost { user, fields })
    }
}

/// A [`PagePost`] by a clerk (the marriage desk's pages); anyone else is refused (403 page).
pub struct ClerkPost(pub PagePost);

impl FromRequest<AppState> for ClerkPost {
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let post = PagePost::from_request(req, state).await?;
        crate::routes::apply::check_clerk(&post.user).map_err(|err| err.into_html_for(&post.user))?;
        Ok(ClerkPost(post))
    }
}

/// The CSRF check of a form post: the `csrf_token` field must equal the session's token.
pub fn check_form_csrf(headers: &HeaderMap, user: &AuthUser, presented: &str) -> Result<(), AppError> {
    if is_cross_site(headers) || !constant_time_eq(presented.as_bytes(), user.csrf_token.as_bytes()) {
        tracing::info!(actor.id = user.actor.account_id, "csrf check failed");
        return Err(AppError::csrf_failed());
    }
    Ok(())
}

/// A browser says `Sec-Fetch-Site: cross-site` on a request another site made it send. Refusing
/// those on login and on cookie writes closes login CSRF, which SameSite cannot.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("cross-site"))
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// `Bearer abc` → `abc` (scheme case-insensitive).
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The value of cookie `name` from every `Cookie` header (`a=1; b=2`). The first wins.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| key.trim() == name)
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` value of a new session.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

/// Compares secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A public post from another site is refused before its body is read (a rating planted by
/// another site), as the portal's own forms are: the public JSON posts (ratings) carry it.
pub struct SameSite;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SameSite {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        if is_cross_site(&parts.headers) {
            Err(axum::response::IntoResponse::into_response(crate::error::AppError::csrf_failed()))
        } else {
            Ok(SameSite)
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        n: u32,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        role: String,
    }

    fn json_error(body: &str) -> AppError {
        parse_json::<Sample>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn json_errors_have_stable_codes_and_fields() {
        assert!(parse_json::<Sample>(br#"{"name":"a","n":1}"#).is_ok());
        assert_eq!(json_error("{").code, "malformed_json");
        assert_eq!(json_error("").code, "malformed_json");
        assert_eq!(json_error(r#"{"name":"a","n":1} x"#).code, "malformed_json");
        assert_eq!(json_error(r#"{"zzz":1, "name":"#).code, "malformed_json", "syntax first");
        assert_eq!(json_error(r#"{"n":"x", "name":"#).code, "malformed_json", "syntax first");
        let missing = json_error(r#"{"name":"a"}"#);
        assert_eq!((missing.code, missing.field.as_deref()), ("invalid_body", Some("n")));
        let unknown = json_error(r#"{"name":"a","n":1,"admin":true}"#);
        assert_eq!((unknown.code, unknown.field.as_deref()), ("invalid_body", Some("admin")));
        let wrong = json_error(r#"{"name":"a","n":"511702194001011706"}"#);
        assert_eq!((wrong.code, wrong.field.as_deref()), ("invalid_body", Some("n")));
        assert!(!wrong.message.contains("511702194001011706"), "never echo a value: {}", wrong.message);
        let nested = json_error(r#"{"name":"a","n":1,"inner":{"role":1}}"#);
        assert_eq!(nested.field.as_deref(), Some("inner.role"));
        let nested_missing = json_error(r#"{"name":"a","n":1,"inner":{}}"#);
        assert_eq!(nested_missing.field.as_deref(), Some("inner.role"));
        for body in ["[1,2]", r#"["a", 1]"#, "null", " 7"] {
            let not_object = json_error(body);
            assert_eq!((not_object.code, not_object.field), ("invalid_body", None), "{body}");
        }
        assert_eq!(json_error("[1,").code, "malformed_json");
    }

    #[test]
    fn urlencoded_errors_name_the_field() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Q {
            n: u32,
        }
        assert_eq!(parse_urlencoded::<Q>(b"n=5", Source::Query).map(|q| q.n).ok(), Some(5));
        let err = parse_urlencoded::<Q>(b"n=foo", Source::Query).unwrap_err();
        assert_eq!((err.code, err.field.as_deref()), ("invalid_query", Some("n")));
        let err = parse_urlencoded::<Q>(b"n=1&id_number=1", Source::Query).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("id_number"));
        let err = parse_urlencoded::<Q>(b"", Source::Query).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("n"));
    }

    #[test]
    fn cookies_parse_by_hand() {
        let mut headers = HeaderMap::new();
        assert_eq!(cookie_value(&headers, SESSION_COOKIE), None);
        headers.append(header::COOKIE, HeaderValue::from_static("theme=dark; mz_session=abc123 ;other=x=y"));
        assert_eq!(cookie_value(&headers, SESSION_COOKIE).as_deref(), Some("abc123"));
        assert_eq!(cookie_value(&headers, "other").as_deref(), Some("x=y"));
        assert_eq!(cookie_value(&headers, "mz"), None);
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1"));
        headers.append(header::COOKIE, HeaderValue::from_static("mz_session=\"q\""));
        assert_eq!(cookie_value(&headers, SESSION_COOKIE).as_deref(), Some("q"), "second header, quoted");
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("mz_session="));
        assert_eq!(cookie_value(&headers, SESSION_COOKIE), None, "empty is absent");
    }

    #[test]
    fn session_cookies_are_strict_and_http_only() {
        let cookie = session_cookie("t", 28800, true);
        assert_eq!(cookie, "mz_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800; Secure");
        assert!(!session_cookie("t", 1, false).contains("Secure"));
        assert!(clear_session_cookie(false).starts_with("mz_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"));
    }

    #[test]
    fn bearer_tokens_and_secret_comparison() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn json_content_types() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        assert!(is_json(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        assert!(is_json(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&headers));
    }
}
