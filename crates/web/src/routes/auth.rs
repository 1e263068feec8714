//! Logging in and out: bearer tokens for programs, the session cookie for the browser.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use service::web_support::SessionKind;

use crate::dto::{AccountDto, ErrorBody, LoginRequest, SessionDto, TokenDto};
use crate::error::{AppError, AppResult};
use crate::extract::{self, AppJson, AuthUser, AuthVia, ClientAddr};
use crate::AppState;

/// Issues a bearer token (8 hours, revocable).
#[utoipa::path(
    post,
    path = "/api/v1/auth/token",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "令牌", body = TokenDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "用户名或密码错误（`bad_credentials`）", body = ErrorBody),
        (status = 429, description = "失败次数过多（`too_many_attempts`）", body = ErrorBody),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    AppJson(body): AppJson<LoginRequest>,
) -> AppResult<Json<TokenDto>> {
    let login = state.app.login(&body.username, &body.password, &addr, SessionKind::Token).await?;
    Ok(Json(TokenDto { token: login.token, expires_at: crate::dto::timestamp(login.expires_at) }))
}

/// Revokes the bearer token presented with this request.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/token",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "已注销"),
        (status = 400, description = "不是令牌认证（浏览器会话请用 /api/v1/auth/logout）", body = ErrorBody),
        (status = 401, description = "未登录或令牌已失效", body = ErrorBody),
    )
)]
pub async fn revoke_token(State(state): State<AppState>, user: AuthUser) -> AppResult<StatusCode> {
    if user.via != AuthVia::Bearer {
        return Err(AppError::new(
            StatusCode::BAD_REQUEST,
            "bearer_required",
            "此接口注销令牌；浏览器会话请使用 /api/v1/auth/logout",
        ));
    }
    state.app.logout(&user.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens a browser session: sets the `mz_session` cookie and returns the CSRF token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "已登录；响应设置 mz_session Cookie", body = SessionDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "用户名或密码错误（`bad_credentials`）", body = ErrorBody),
        (status = 403, description = "跨站请求（`csrf_failed`）", body = ErrorBody),
        (status = 429, description = "失败次数过多（`too_many_attempts`）", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    AppJson(body): AppJson<LoginRequest>,
) -> AppResult<Response> {
    if extract::is_cross_site(&headers) {
        return Err(AppError::csrf_failed());
    }
    let login = state.app.login(&body.username, &body.password, &addr, SessionKind::Cookie).await?;
    let account = state.app.account_of(&login.actor).await?;
    let max_age = service::accounts::SESSION_HOURS * 3600;
    let cookie = extract::session_cookie(&login.token, max_age, state.secure_cookies);
    let body = SessionDto {
        csrf_token: login.csrf_token,
        account: AccountDto::from_account(&account, state.app.divisions()),
        simulated_clock: state.simulated_now(),
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// Ends the browser session (needs `x-csrf-token`) and clears the cookie.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    security(("cookie" = []), ("bearer" = [])),
    params(("x-csrf-token" = Option<String>, Header, description = "会话的 CSRF 令牌（Cookie 认证时必填）")),
    responses(
        (status = 204, description = "已退出；响应清除 mz_session Cookie"),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "CSRF 令牌缺失或不匹配（`csrf_failed`）", body = ErrorBody),
    )
)]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> AppResult<Response> {
    state.app.logout(&user.token).await?;
    let cookie = extract::clear_session_cookie(state.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The caller's account, grants and CSRF token.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "当前账户", body = SessionDto),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<SessionDto>> {
    let account = state.app.account_of(&user.actor).await?;
    Ok(Json(SessionDto {
        csrf_token: user.csrf_token,
        account: AccountDto::from_account(&account, state.app.divisions()),
        simulated_clock: state.simulated_now(),
    }))
}
