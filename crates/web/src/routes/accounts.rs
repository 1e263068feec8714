//! Staff accounts and their grants. Who may manage which account is the service's decision.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use service::accounts::AccountInput;

use crate::dto::{AccountDto, AccountListDto, CreateAccountRequest, ErrorBody, GrantRequest, PasswordRequest};
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AuthUser};
use crate::AppState;

/// Accounts inside the caller's account-management scope.
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "账户列表", body = AccountListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无账户管理权限", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<AccountListDto>> {
    let accounts = state.app.accounts(Some(&user.actor)).await?;
    let divisions = state.app.divisions();
    Ok(Json(AccountListDto { items: accounts.iter().map(|a| AccountDto::from_account(a, divisions)).collect() }))
}

#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreateAccountRequest,
    responses(
        (status = 201, description = "已创建", body = AccountDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权在该行政区划授权", body = ErrorBody),
        (status = 409, description = "用户名已被使用（`username_taken`）", body = ErrorBody),
        (status = 422, description = "输入不符合规则（列出全部问题）", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreateAccountRequest>,
) -> AppResult<(StatusCode, Json<AccountDto>)> {
    let input = AccountInput {
        username: body.username,
        display_name: body.display_name,
        password: body.password,
        grants: body.grants.into_iter().map(|g| (g.role, g.division)).collect(),
    };
    let account = state.app.create_account(Some(&user.actor), &input).await?;
    Ok((StatusCode::CREATED, Json(AccountDto::from_account(&account, state.app.divisions()))))
}

#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/grants",
    tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body = GrantRequest,
    responses(
        (status = 200, description = "授权后的账户", body = AccountDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权在该行政区划授权", body = ErrorBody),
        (status = 404, description = "账户不存在", body = ErrorBody),
        (status = 409, description = "已有此授权（`grant_exists`）", body = ErrorBody),
        (status = 422, description = "角色或行政区划不存在", body = ErrorBody),
    )
)]
pub async fn grant(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<GrantRequest>,
) -> AppResult<Json<AccountDto>> {
    let account = state.app.grant(Some(&user.actor), id, &body.role, &body.division).await?;
    Ok(Json(AccountDto::from_account(&account, state.app.divisions())))
}

/// Sets a password (one's own, or as account manager); ends every session of the account.
#[utoipa::path(
    put,
    path = "/api/v1/accounts/{id}/password",
    tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body = PasswordRequest,
    responses(
        (status = 204, description = "已修改"),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权修改该账户", body = ErrorBody),
        (status = 404, description = "账户不存在", body = ErrorBody),
        (status = 422, description = "密码强度不足（`weak_password`）", body = ErrorBody),
    )
)]
pub async fn set_password(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<PasswordRequest>,
) -> AppResult<StatusCode> {
    state.app.set_password(Some(&user.actor), id, &body.password, body.current_password.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a grant of an account (not one's own administrator grant).
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/grants/revoke",
    tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body = GrantRequest,
    responses(
        (status = 200, description = "撤销后的账户", body = AccountDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权在该行政区划授权", body = ErrorBody),
        (status = 404, description = "账户不存在", body = ErrorBody),
        (status = 409, description = "该账户没有此授权（`grant_not_held`）", body = ErrorBody),
        (status = 422, description = "角色或行政区划不存在，或撤销自己的管理员授权（`own_admin_grant`）", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<GrantRequest>,
) -> AppResult<Json<AccountDto>> {
    let account = state.app.revoke_grant(Some(&user.actor), id, &body.role, &body.division).await?;
    Ok(Json(AccountDto::from_account(&account, state.app.divisions())))
}

/// Disables an account: it can no longer sign in and its sessions end (not one's own).
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/disable",
    tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    responses(
        (status = 200, description = "停用后的账户", body = AccountDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权管理该账户", body = ErrorBody),
        (status = 404, description = "账户不存在", body = ErrorBody),
        (status = 409, description = "已停用（`already_disabled`）", body = ErrorBody),
        (status = 422, description = "不能停用自己的账户（`own_account`）", body = ErrorBody),
    )
)]
pub async fn disable(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<AccountDto>> {
    let account = state.app.disable_account(Some(&user.actor), id).await?;
    Ok(Json(AccountDto::from_account(&account, state.app.divisions())))
}
