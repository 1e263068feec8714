//! The administrator's pages for accounts and grants: the list (search by name), the creation
//! form with a one-time password, and a page per account to add a grant or reset the password.
//! Every act goes through the same service functions as the JSON API (`routes::accounts`), so
//! the same parser refuses the same input; who may manage which account is the service's
//! decision. Refusals are shown next to the field they name.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::{Role, ALL_ROLES};
use service::accounts::{random_password, AccountInput};
use service::web_support::Account;
use service::ServiceError;

use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::views::{render_status, Layout};
use crate::AppState;

/// One row of the list.
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub grants: Vec<GrantRow>,
}

/// One grant: its codes (what a revoke form posts back) and how people read it.
pub struct GrantRow {
    pub role: String,
    pub division: String,
    /// "role name（division name）".
    pub label: String,
}

fn row_of(account: &Account, state: &AppState) -> AccountRow {
    let divisions = state.app.divisions();
    let grants = account
        .grants
        .iter()
        .map(|g| {
            let place = divisions.full_name(&g.division).unwrap_or_else(|| g.division.to_string());
            GrantRow {
                role: g.role.as_str().to_string(),
                division: g.division.to_string(),
                label: format!("{}（{place}）", g.role.name_zh()),
            }
        })
        .collect();
    AccountRow {
        id: account.id,
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        disabled: account.disabled,
        grants,
    }
}

/// The refusals of a form, by field; `other` holds those that name no field of the form.
#[derive(Debug, Default)]
pub struct FieldErrors {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub division: Option<String>,
    pub other: Option<String>,
}

impl FieldErrors {
    fn from_error(err: &ServiceError) -> FieldErrors {
        let mut errors = FieldErrors::default();
        let problems: Vec<(String, String)> = if err.problems.is_empty() {
            vec![(err.field.clone().unwrap_or_default(), err.message.clone())]
        } else {
            err.problems.iter().map(|p| (p.field.clone(), p.message.clone())).collect()
        };
        for (field, message) in problems {
            let slot = match field.as_str() {
                "username" => &mut errors.username,
                "display_name" => &mut errors.display_name,
                "role" => &mut errors.role,
                "division" => &mut errors.division,
                _ => &mut errors.other,
            };
            *slot = Some(match slot.take() {
                Some(before) => format!("{before}；{message}"),
                None => message,
            });
        }
        errors
    }
}

/// The role `<option>`s: (value, name, selected). Citizens sign up on the portal, not here.
fn role_options(chosen: &str) -> Vec<(&'static str, &'static str, bool)> {
    ALL_ROLES.iter().filter(|r| **r != Role::Citizen).map(|r| (r.as_str(), r.name_zh(), r.as_str() == chosen)).collect()
}

fn division_picker(user: &AuthUser, state: &AppState, value: &str) -> DivisionPicker {
    let field = DivisionField::new("division", "授权的行政区划").required();
    DivisionPicker::new(state.app.divisions(), &user.actor, &field, value)
}

/// A page that shows a password must not be kept by a cache.
fn no_store(response: Response) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], response).into_response()
}

/// Service errors a form shows next to its fields; the others are error pages.
fn shown_on_form(err: &ServiceError) -> Option<StatusCode> {
    match err.kind {
        service::ErrorKind::Invalid => Some(StatusCode::UNPROCESSABLE_ENTITY),
        service::ErrorKind::Conflict => Some(StatusCode::CONFLICT),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub q: String,
    pub rows: Vec<AccountRow>,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<(&'static str, &'static str, bool)>,
    pub division_picker: DivisionPicker,
    pub errors: FieldErrors,
}

struct CreateForm {
    username: String,
    display_name: String,
    role: String,
    division: String,
}

async fn list_page(
    state: &AppState,
    user: &AuthUser,
    q: &str,
    form: &CreateForm,
    status: StatusCode,
    errors: FieldErrors,
) -> Response {
    let accounts = match state.app.accounts(Some(&user.actor)).await {
        Ok(accounts) => accounts,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let rows = accounts
        .iter()
        .filter(|a| q.is_empty() || a.username.contains(q) || a.display_name.contains(q))
        .map(|a| row_of(a, state))
        .collect();
    let page = AccountsPage {
        layout: Layout::for_user("账户管理", user),
        csrf_token: user.csrf_token.clone(),
        q: q.to_string(),
        rows,
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        roles: role_options(&form.role),
        division_picker: division_picker(user, state, &form.division),
        errors,
    };
    render_status(status, &page)
}

/// The accounts the administrator manages, with the form to create one.
#[utoipa::path(
    get,
    path = "/admin/accounts",
    tag = "pages",
    security(("cookie" = [])),
    params(("q" = Option<String>, Query, description = "用户名或姓名中的文字")),
    responses(
        (status = 200, description = "账户管理页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无账户管理权限", content_type = "text/html", body = String),
    )
)]
pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let q = query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "q").map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default();
    let form = CreateForm {
        username: String::new(),
        display_name: String::new(),
        role: String::new(),
        division: String::new(),
    };
    list_page(&state, &user, &q, &form, StatusCode::OK, FieldErrors::default()).await
}

/// Creates an account with one grant and a random password, shown once on the account's page.
#[utoipa::path(
    post,
    path = "/admin/accounts",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, username, display_name, role, division"),
    responses(
        (status = 201, description = "已创建：账户页，显示一次性初始密码", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，账户不在管理范围内（或不存在），或无权在该行政区划授权", content_type = "text/html", body = String),
        (status = 409, description = "用户名已被使用：表单与提示", content_type = "text/html", body = String),
        (status = 422, description = "输入不符合规则：表单与各项提示", content_type = "text/html", body = String),
    )
)]
pub async fn create(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let form = CreateForm {
        username: post.one("username"),
        display_name: post.one("display_name"),
        role: post.one("role"),
        division: post.one("division"),
    };
    let password = random_password();
    let input = AccountInput {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        password: password.clone(),
        grants: vec![(form.role.clone(), form.division.clone())],
    };
    match state.app.create_account(Some(&user.actor), &input).await {
        Ok(account) => no_store(account_page(&state, user, &account, StatusCode::CREATED, Some(password), None)),
        Err(err) => match shown_on_form(&err) {
            Some(status) => list_page(&state, user, "", &form, status, FieldErrors::from_error(&err)).await,
            None => AppError::from(err).into_html_for(user),
        },
    }
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub account: AccountRow,
    /// The password just set, shown this once.
    pub new_password: Option<String>,
    pub roles: Vec<(&'static str, &'static str, bool)>,
    pub division_picker: DivisionPicker,
    pub errors: FieldErrors,
}

/// The grant form's last input, when it is shown again with its refusal.
struct GrantForm {
    role: String,
    division: String,
    errors: FieldErrors,
}

fn account_page(
    state: &AppState,
    user: &AuthUser,
    account: &Account,
    status: StatusCode,
    new_password: Option<String>,
    form: Option<GrantForm>,
) -> Response {
    let form =
        form.unwrap_or(GrantForm { role: String::new(), division: String::new(), errors: FieldErrors::default() });
    let page = AccountPage {
        layout: Layout::for_user(format!("账户 {}", account.username), user),
        csrf_token: user.csrf_token.clone(),
        account: row_of(account, state),
        new_password,
        roles: role_options(&form.role),
        division_picker: division_picker(user, state, &form.division),
        errors: form.errors,
    };
    render_status(status, &page)
}

/// The account, when it is inside the administrator's account-management scope; else 403 (an
/// account outside it, or none at all: the page does not tell which).
async fn managed(state: &AppState, user: &AuthUser, id: i64) -> Result<Account, Response> {
    let accounts = state.app.accounts(Some(&user.actor)).await.map_err(|e| AppError::from(e).into_html_for(user))?;
    accounts
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AppError::from(ServiceError::forbidden()).into_html_for(user))
}

/// One account: its grants, the form to add one, the password reset.
#[utoipa::path(
    get,
    path = "/admin/accounts/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    responses(
        (status = 200, description = "账户页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无账户管理权限，或账户不在管理范围内（或不存在）", content_type = "text/html", body = String),
    )
)]
pub async fn show(State(state): State<AppState>, PagePath(id): PagePath<i64>, PageUser(user): PageUser) -> Response {
    match managed(&state, &user, id).await {
        Ok(account) => account_page(&state, &user, &account, StatusCode::OK, None, None),
        Err(page) => page,
    }
}

/// Adds a grant (role at a division) to the account, back to its page.
#[utoipa::path(
    post,
    path = "/admin/accounts/{id}/grants",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, role, division"),
    responses(
        (status = 303, description = "已授权：转回账户页"),
        (status = 403, description = "CSRF 令牌不符，账户不在管理范围内（或不存在），或无权在该行政区划授权", content_type = "text/html", body = String),
        (status = 409, description = "已有此授权：账户页与提示", content_type = "text/html", body = String),
        (status = 422, description = "角色或行政区划不正确：账户页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn grant(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let account = match managed(&state, user, id).await {
        Ok(account) => account,
        Err(page) => return page,
    };
    let (role, division) = (post.one("role"), post.one("division"));
    match state.app.grant(Some(&user.actor), id, &role, &division).await {
        Ok(_) => Redirect::to(&format!("/admin/accounts/{id}")).into_response(),
        Err(err) => match shown_on_form(&err) {
            Some(status) => {
                let form = GrantForm { role, division, errors: FieldErrors::from_error(&err) };
                account_page(&state, user, &account, status, None, Some(form))
            }
            None => AppError::from(err).into_html_for(user),
        },
    }
}

/// Revokes a grant (role at a division) of the account, back to its page.
#[utoipa::path(
    post,
    path = "/admin/accounts/{id}/grants/revoke",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, role, division"),
    responses(
        (status = 303, description = "已撤销：转回账户页"),
        (status = 403, description = "CSRF 令牌不符，账户不在管理范围内（或不存在），或无权在该行政区划授权", content_type = "text/html", body = String),
        (status = 409, description = "该账户没有此授权：账户页与提示", content_type = "text/html", body = String),
        (status = 422, description = "角色或行政区划不正确，或撤销自己的管理员授权：账户页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn revoke(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let account = match managed(&state, user, id).await {
        Ok(account) => account,
        Err(page) => return page,
    };
    match state.app.revoke_grant(Some(&user.actor), id, &post.one("role"), &post.one("division")).await {
        Ok(_) => Redirect::to(&format!("/admin/accounts/{id}")).into_response(),
        Err(err) => refused_on_page(&state, user, &account, err),
    }
}

/// Disables the account: it can no longer sign in, its sessions end. Back to its page.
#[utoipa::path(
    post,
    path = "/admin/accounts/{id}/disable",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token"),
    responses(
        (status = 303, description = "已停用：转回账户页"),
        (status = 403, description = "CSRF 令牌不符，或账户不在管理范围内（或不存在）", content_type = "text/html", body = String),
        (status = 409, description = "已停用：账户页与提示", content_type = "text/html", body = String),
        (status = 422, description = "不能停用自己的账户：账户页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn disable(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let account = match managed(&state, user, id).await {
        Ok(account) => account,
        Err(page) => return page,
    };
    match state.app.disable_account(Some(&user.actor), id).await {
        Ok(_) => Redirect::to(&format!("/admin/accounts/{id}")).into_response(),
        Err(err) => refused_on_page(&state, user, &account, err),
    }
}

/// A refused act shown on the account's page (the message at the top), or an error page.
fn refused_on_page(state: &AppState, user: &AuthUser, account: &Account, err: ServiceError) -> Response {
    match shown_on_form(&err) {
        Some(status) => {
            let errors = FieldErrors { other: Some(err.message.clone()), ..FieldErrors::default() };
            let form = GrantForm { role: String::new(), division: String::new(), errors };
            account_page(state, user, account, status, None, Some(form))
        }
        None => AppError::from(err).into_html_for(user),
    }
}

/// Resets the account's password to a random one, shown once; every session of the account ends.
#[utoipa::path(
    post,
    path = "/admin/accounts/{id}/password",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "账户编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token"),
    responses(
        (status = 200, description = "已重置：账户页，显示一次性新密码", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，或账户不在管理范围内（或不存在）", content_type = "text/html", body = String),
    )
)]
pub async fn reset_password(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let account = match managed(&state, user, id).await {
        Ok(account) => account,
        Err(page) => return page,
    };
    let password = random_password();
    match state.app.set_password(Some(&user.actor), id, &password, None).await {
        Ok(()) => no_store(account_page(&state, user, &account, StatusCode::OK, Some(password), None)),
        Err(err) => AppError::from(err).into_html_for(user),
    }
}
