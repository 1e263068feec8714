//! minzheng over HTTP: the JSON API (`/api/v1`), its OpenAPI document, the session cookie and
//! bearer tokens, and the server-rendered Chinese pages.
//!
//! Every route is in [`route_table`], the one table; [`router`] builds the whole application from
//! it, so tests drive it with `tower::ServiceExt::oneshot` and never need a port. Handlers
//! extract, call `service::App`, and respond; they hold no rules and no SQL.
//!
//! Cross-cutting, on every response ([`wrap`]): a request id (`x-request-id`, echoed or made), one
//! trace span per request carrying the method and the *matched* route only (never the raw URI or
//! query, never a body: they can carry ID or phone numbers), security headers, a 1 MiB body
//! limit (the attachment uploads alone take more: [`routes::attachments::UPLOAD_BODY_LIMIT`]),
//! and panics turned into the ordinary 500 JSON error.

pub mod annual_report;
pub mod case_dto;
pub mod charts;
pub mod client_addr;
pub mod connection;
pub mod document;
pub mod dto;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod openness;
pub mod pickers;
pub mod routes;
pub mod verticals;
pub mod views;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use rand::RngCore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::error::AppError;
use crate::routes::{
    accounts, admin, apply, attachments, audit, auth, calendar, cases, dashboard, divisions, guide, health, items,
    notices, pages, persons, portal, stats, work,
};

/// What every handler sees.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<service::App>,
    /// Mark the session cookie `Secure` (on whenever the site is served over HTTPS).
    pub secure_cookies: bool,
    /// The clock `app` runs on when the server was started with `--simulated-clock`: an
    /// administrator may move it (`POST /api/v1/admin/clock`, absent otherwise) and every page
    /// shows a 模拟时钟 banner.
    pub simulated: Option<Arc<domain::clock::SimulatedClock>>,
    /// The public address printed in the QR codes of notices and certificates
    /// (`MINZHENG_PUBLIC_URL`, checked by [`routes::notices::parse_public_url`]); when `None`,
    /// the address the request came to (its Host header).
    pub public_url: Option<String>,
}

impl AppState {
    /// The simulated time as RFC 3339 (China Standard Time), when simulated.
    pub fn simulated_now(&self) -> Option<String> {
        self.simulated.as_ref().map(|clock| dto::timestamp(domain::clock::Clock::now(clock.as_ref())))
    }
}

/// The largest request body accepted: 1 MiB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The request id header, echoed on every response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// One row of the route table.
pub(crate) struct Row {
    method: Method,
    path: &'static str,
    route: MethodRouter<AppState>,
}

pub(crate) fn row<H, T>(method: Method, path: &'static str, handler: H) -> Row
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = match method {
        Method::GET => MethodFilter::GET,
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::PATCH => MethodFilter::PATCH,
        Method::DELETE => MethodFilter::DELETE,
        // The table below uses the methods above only; a new one must be added here.
        _ => unreachable!("route table uses an unsupported method"),
    };
    Row { method, path, route: on(filter, handler) }
}

/// Every route, in one place: the generic ones here, then each area's (`verticals::routes`).
fn table() -> Vec<Row> {
    use Method as M;
    let mut rows = vec![
        row(M::GET, "/healthz", health::check),
        // Authentication
        row(M::POST, "/api/v1/auth/token", auth::create_token),
        row(M::DELETE, "/api/v1/auth/token", auth::revoke_token),
        row(M::POST, "/api/v1/auth/login", auth::login),
        row(M::POST, "/api/v1/auth/logout", auth::logout),
        row(M::GET, "/api/v1/me", auth::me),
        // Accounts
        row(M::GET, "/api/v1/accounts", accounts::list),
        row(M::POST, "/api/v1/accounts", accounts::create),
        row(M::POST, "/api/v1/accounts/{id}/grants", accounts::grant),
        row(M::POST, "/api/v1/accounts/{id}/grants/revoke", accounts::revoke),
        row(M::POST, "/api/v1/accounts/{id}/disable", accounts::disable),
        row(M::PUT, "/api/v1/accounts/{id}/password", accounts::set_password),
        // Persons
        row(M::GET, "/api/v1/persons", persons::list),
        row(M::POST, "/api/v1/persons", persons::create),
        row(M::POST, "/api/v1/persons/search", persons::search),
        row(M::GET, "/api/v1/persons/{id}", persons::get),
        row(M::GET, "/api/v1/persons/{id}/full", persons::get_full),
        row(M::POST, "/api/v1/persons/{id}/death", persons::record_death),
        // Divisions (public)
        row(M::GET, "/api/v1/divisions", divisions::list),
        row(M::GET, "/api/v1/divisions/{code}", divisions::get),
        // Calendar (public reads)
        row(M::GET, "/api/v1/calendar/days/{date}", calendar::day),
        row(M::GET, "/api/v1/calendar/add-workdays", calendar::add_workdays),
        row(M::GET, "/api/v1/calendar/add-days", calendar::add_days),
        row(M::GET, "/api/v1/calendar/versions", calendar::versions),
        row(M::POST, "/api/v1/calendar/versions", calendar::import),
        // Cases (办件)
        row(M::POST, "/api/v1/cases", cases::create),
        row(M::GET, "/api/v1/cases", cases::list),
        row(M::GET, "/api/v1/cases/{id}", cases::get),
        row(M::POST, "/api/v1/cases/{id}/actions", cases::act),
        row(M::GET, "/api/v1/cases/{id}/events", cases::events),
        row(M::GET, "/api/v1/my/work", cases::my_work),
        // Attachments of a case (附件), stored by their SM3 hash; uploads take a larger body
        row(M::POST, "/api/v1/cases/{id}/attachments", attachments::upload.layer(attachments::upload_body_limit())),
        row(M::GET, "/api/v1/cases/{id}/attachments", attachments::list),
        row(M::GET, "/api/v1/cases/{id}/attachments/{aid}", attachments::download),
        row(M::POST, "/cases/{id}/attachments", attachments::upload_page.layer(attachments::upload_body_limit())),
        // Full-process record
        row(M::GET, "/api/v1/audit/verify", audit::verify),
        // Service items (public reads) and their administration
        row(M::GET, "/api/v1/items", items::list),
        row(M::GET, "/api/v1/items/{slug}", items::get),
        row(M::GET, "/api/v1/items/{slug}/history", items::history),
        row(M::POST, "/api/v1/admin/items/{slug}/publication", admin::publication),
        row(M::GET, "/api/v1/admin/publications", admin::publications),
        row(M::POST, "/api/v1/admin/delegations", admin::grant_delegation),
        row(M::GET, "/api/v1/admin/delegations", admin::delegations),
        row(M::POST, "/api/v1/admin/delegations/{id}/revoke", admin::revoke_delegation),
        // Operation: the simulated clock (only with --simulated-clock) and the status page
        row(M::POST, "/api/v1/admin/clock", admin::set_clock),
        row(M::GET, "/api/v1/admin/status", admin::status),
        // Service metrics
        row(M::GET, "/api/v1/stats/service", stats::service),
        row(M::GET, "/api/v1/stats/outcomes", stats::outcomes),
        row(M::GET, "/api/v1/stats/dashboard", dashboard::api),
        // The API's description
        row(M::GET, "/api/v1/openapi.json", openapi::document),
        // Pages
        row(M::GET, "/login", pages::login_form),
        row(M::POST, "/login", pages::login),
        row(M::GET, "/register", routes::register::form),
        row(M::POST, "/register", routes::register::register),
        row(M::GET, "/account/verify", routes::register::verify_form),
        row(M::POST, "/account/verify", routes::register::verify),
        row(M::GET, "/", pages::home),
        row(M::POST, "/logout", pages::logout),
        row(M::GET, "/static/app.css", views::stylesheet),
        row(M::GET, "/static/print.js", views::print_script),
        row(M::GET, "/static/htmx.min.js", views::htmx),
        // Pickers: choices where a form would ask for a number (fragments for htmx)
        row(M::GET, "/pickers/divisions", routes::pickers::divisions),
        row(M::POST, "/pickers/persons", routes::pickers::persons),
        // The staff workbench: 待办, the case page and its acts, search by case number
        row(M::GET, "/work", work::work),
        row(M::GET, "/cases", work::search),
        row(M::POST, "/cases", work::search_post),
        row(M::GET, "/cases/{id}", work::case),
        row(M::POST, "/cases/{id}/act", work::act),
        // The window acceptance form of an item
        row(M::GET, "/items/{slug}/apply", apply::form),
        row(M::POST, "/items/{slug}/apply", apply::submit),
        // The public 办事指南, in force on a date, with each item's adjustment history
        row(M::GET, "/guide", guide::list),
        row(M::GET, "/guide/{slug}", guide::item),
        // 领导驾驶舱
        row(M::GET, "/dashboard", dashboard::page),
        // The administrator's account pages
        row(M::GET, "/admin/accounts", routes::account_pages::list),
        row(M::POST, "/admin/accounts", routes::account_pages::create),
        row(M::GET, "/admin/accounts/{id}", routes::account_pages::show),
        row(M::POST, "/admin/accounts/{id}/grants", routes::account_pages::grant),
        row(M::POST, "/admin/accounts/{id}/grants/revoke", routes::account_pages::revoke),
        row(M::POST, "/admin/accounts/{id}/disable", routes::account_pages::disable),
        row(M::POST, "/admin/accounts/{id}/password", routes::account_pages::reset_password),
        // A regional node's exchange: 待发送, the dead letters
        row(M::GET, "/admin/nodes", routes::nodes::page),
        // The other administration pages: the hub, the record, the calendar, the catalog
        row(M::GET, "/admin", routes::admin_pages::hub),
        row(M::GET, "/admin/record", routes::admin_pages::record),
        row(M::GET, "/admin/calendar", routes::admin_pages::calendar),
        row(M::POST, "/admin/calendar", routes::admin_pages::import_calendar),
        row(M::GET, "/admin/items", routes::admin_pages::items),
        row(M::POST, "/admin/items/publication", routes::admin_pages::publication),
        row(M::POST, "/admin/delegations", routes::admin_pages::delegate),
        row(M::POST, "/admin/delegations/{id}/revoke", routes::admin_pages::revoke),
        // The citizen portal: track a case by number and check, rate it once closed
        row(M::GET, "/track", portal::form),
        row(M::POST, "/track", portal::track),
        row(M::POST, "/track/rate", portal::rate),
        row(M::POST, "/api/v1/track/rate", portal::rate_api),
        // Notices of a case, and their public verification
        row(M::GET, "/cases/{id}/notices/{kind}", notices::notice),
        row(M::GET, "/verify/case/{number}", notices::verify),
    ];
    rows.extend(verticals::routes());
    rows.extend(annual_report::rows());
    rows.extend(openness::rows());
    rows
}

/// The route table as (method, path), for tests and the OpenAPI check.
pub fn route_table() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|r| (r.method, r.path)).collect()
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for r in table() {
        router = router.route(r.path, r.route);
    }
    // Must come after the routes: it is set on each of them.
    let router = router.method_not_allowed_fallback(method_not_allowed).fallback(not_found);
    let router = router.layer(middleware::from_fn_with_state(state.clone(), pages::simulated_clock_banner));
    wrap(router).with_state(state)
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_behind(listener, state, client_addr::TrustedProxies::default(), shutdown).await
}

/// [`serve`] behind reverse proxies: `X-Forwarded-For` from a peer in `trusted` names the client
/// (see [`client_addr`]).
pub async fn serve_behind(
    listener: tokio::net::TcpListener,
    state: AppState,
    trusted: client_addr::TrustedProxies,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address as `ConnectInfo`, as `into_make_service_with_connect_info` would put it,
    // on connections whose automatic parse-error answers carry the error shape.
    let app = router(state).layer(axum::Extension(trusted));
    let make = tower::service_fn(move |incoming: axum::serve::IncomingStream<'_, connection::GuardedListener>| {
        let peer = *incoming.remote_addr();
        let service = app.clone().layer(axum::Extension(axum::extract::ConnectInfo(peer)));
        async move { Ok::<_, std::convert::Infallible>(service) }
    });
    axum::serve(connection::GuardedListener(listener), make).with_graceful_shutdown(shutdown).await
}

/// The cross-cutting layers, outermost last. Public so tests can put a test-only route (one that
/// panics) behind exactly the production stack.
pub fn wrap<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(refuse_large_bodies))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(|response: &Response, latency: Duration, span: &Span| {
                    span.record("status", response.status().as_u16());
                    span.record("latency_ms", u64::try_from(latency.as_millis()).unwrap_or(u64::MAX));
                    // The access log line; status and latency are fields of its span.
                    tracing::info!("request served");
                })
                .on_failure(()),
        )
        .layer(middleware::from_fn(request_id))
}

/// The span of one request: method, matched route, request id. Never the URI or its query.
fn request_span(request: &Request<Body>) -> Span {
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("<unmatched>");
    let request_id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        route = %route,
        request_id = %request_id,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// Keeps a sane client-supplied request id (so a proxy's id follows the request), else makes one.
async fn request_id(mut request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_sane_request_id(v))
        .and_then(|v| HeaderValue::from_str(v).ok());
    let value = presented.unwrap_or_else(new_request_id);
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

/// A proxy's id is kept when it has the shape of one: 32 hex digits (nginx `$request_id`, ours)
/// or a UUID. Nothing else is, so a client cannot forge a log line or slip an ID number (18
/// digits) or a phone number into the logs through this header.
fn is_sane_request_id(id: &str) -> bool {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let uuid = || {
        let parts: Vec<&str> = id.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| hex(p))
    };
    (id.len() == 32 && hex(id)) || (id.len() == 36 && uuid())
}

fn new_request_id() -> HeaderValue {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    HeaderValue::from_str(&hex::encode(bytes)).unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'; frame-ancestors 'none'"),
        // API answers and pages both carry personal data or CSRF tokens: never cache them.
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in set {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Refuses a declared oversize body before reading it. (A body without a length is cut off at
/// the same limit by `DefaultBodyLimit` while the extractor reads it.) An attachment upload's
/// limit is its own, set on its routes in the table.
async fn refuse_large_bodies(request: Request, next: Next) -> Response {
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let upload = attachments::is_upload(request.method(), request.uri().path());
    let limit = if upload { attachments::UPLOAD_BODY_LIMIT } else { BODY_LIMIT };
    if declared.is_some_and(|n| n > limit as u64) {
        let error = if upload { attachments::too_large_error() } else { AppError::body_too_large() };
        return error_for_path(request.uri(), error);
    }
    next.run(request).await
}

fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The payload can hold anything the code was looking at: it is not logged.
    AppError::internal("a request handler panicked").into_response()
}

/// JSON under `/api`, a page elsewhere.
fn error_for_path(uri: &Uri, error: AppError) -> Response {
    if is_api(uri) {
        error.into_response()
    } else {
        error.into_html()
    }
}

fn is_api(uri: &Uri) -> bool {
    uri.path() == "/api" || uri.path().starts_with("/api/")
}

/// An address nobody serves: the API's refusal, or the page that says so; a signed-in user keeps
/// their menu on it (the way back to their work).
async fn not_found(State(state): State<AppState>, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    if is_api(&uri) {
        return AppError::not_found_route().into_response();
    }
    let error = AppError::new(axum::http::StatusCode::NOT_FOUND, "page_not_found", "页面不存在");
    match extract::cookie_session(&headers, &state).await {
        Some(user) => error.into_html_for(&user),
        None => error.into_html(),
    }
}

async fn method_not_allowed() -> AppError {
    AppError::method_not_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_sanitised() {
        assert!(is_sane_request_id("0af7651916cd43dd8448eb211c80319c"));
        assert!(is_sane_request_id("3f1c2b9e-7a44-4c1e-9d2a-0b6f5e8c1a77"));
        assert!(!is_sane_request_id(""));
        assert!(!is_sane_request_id("req-1.2_3"));
        assert!(!is_sane_request_id("511702194001011706"), "an ID number");
        assert!(!is_sane_request_id("0af7651916cd43dd8448eb211c80319g"));
        assert!(!is_sane_request_id("0af76519-16cd-43dd-8448eb211c80319c"));
        assert!(!is_sane_request_id("x\ny"));
        assert_eq!(new_request_id().len(), 32);
    }

    #[test]
    fn route_table_has_no_duplicates() {
        let routes = route_table();
        for (i, a) in routes.iter().enumerate() {
            assert!(!routes[i + 1..].contains(a), "{a:?} twice");
        }
    }
}
