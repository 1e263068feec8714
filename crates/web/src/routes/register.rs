//! 实名注册 (`/register`): a citizen makes their own account, bound to the person they are. The
//! page asks for the account (username, password) and the person (name, ID number, phone,
//! address); the service checks the ID number as for a person staff enter, matches it to the
//! record on file (the same name) and keeps one account per person (`App::register_citizen`).
//! The person's division is their ID number's region until a window records their 户籍地; the
//! 户籍地 an application goes to is chosen on each application.
//!
//! A registration signs the citizen in and goes home, where the items they may apply for online
//! are listed. Refusals come back next to their fields with the form as typed (the password
//! aside).

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use service::citizens::CitizenSignup;
use service::web_support::SessionKind;

use crate::error::AppError;
use crate::extract::{self, ClientAddr, PageForm};
use crate::views::{render_status, Layout};
use crate::AppState;

/// What was typed, kept when the form comes back (never the password).
#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
}

/// One field's refusal, next to the field.
pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub f: RegisterForm,
    /// A refusal not about one field (too many attempts).
    pub error: Option<String>,
    pub problems: Vec<(String, Problem)>,
}

impl RegisterPage {
    /// The refusals of `field`.
    pub fn of(&self, field: &str) -> Vec<&Problem> {
        self.problems.iter().filter(|(f, _)| f == field).map(|(_, p)| p).collect()
    }
}

fn page(status: StatusCode, f: RegisterForm, error: Option<String>, problems: Vec<(String, Problem)>) -> Response {
    render_status(status, &RegisterPage { layout: Layout::public("实名注册"), f, error, problems })
}

#[utoipa::path(
    get,
    path = "/register",
    tag = "pages",
    responses((status = 200, description = "办事群众实名注册页", content_type = "text/html", body = String))
)]
pub async fn form() -> Response {
    page(StatusCode::OK, RegisterForm::default(), None, Vec::new())
}

#[utoipa::path(
    post,
    path = "/register",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "username, password, name, id_number, phone, address"),
    responses(
        (status = 303, description = "已注册并登录，转到首页；响应设置 mz_session Cookie"),
        (status = 409, description = "用户名已被使用，或该公民身份号码已注册过账户：重新显示表单", content_type = "text/html", body = String),
        (status = 422, description = "各项问题，写在对应项旁：重新显示表单", content_type = "text/html", body = String),
        (status = 429, description = "失败次数过多：重新显示表单", content_type = "text/html", body = String),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    PageForm(mut f): PageForm<RegisterForm>,
) -> Response {
    if extract::is_cross_site(&headers) {
        return AppError::csrf_failed().into_html();
    }
    let optional = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    // Until a window records the 户籍地, the person's division is their ID number's region.
    let region: String = f.id_number.trim().chars().take(6).collect();
    let input = CitizenSignup {
        username: f.username.clone(),
        password: f.password.clone(),
        person: domain::person::PersonInput {
            name: f.name.clone(),
            id_number: f.id_number.clone(),
            phone: optional(&f.phone),
            address: optional(&f.address),
            division: region,
        },
    };
    f.password.clear();
    match state.app.register_citizen(&input, &addr).await {
        Ok(account) => match state.app.login(&account.username, &input.password, &addr, SessionKind::Cookie).await {
            Ok(login) => {
                let max_age = service::accounts::SESSION_HOURS * 3600;
                let cookie = extract::session_cookie(&login.token, max_age, state.secure_cookies);
                (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, "/?registered=1".to_string()), (header::SET_COOKIE, cookie)],
                )
                    .into_response()
            }
            Err(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response(),
        },
        Err(err) => {
            let err = AppError::from(err);
            let mut problems: Vec<(String, Problem)> = err
                .problems
                .iter()
                .map(|p| (shown_field(&p.field), Problem { code: p.code, message: p.message.clone() }))
                .collect();
            let mut error = None;
            if problems.is_empty() {
                match err.field.as_deref() {
                    Some(field) => {
                        problems.push((shown_field(field), Problem { code: err.code, message: err.message.clone() }))
                    }
                    None => error = Some(err.message.clone()),
                }
            }
            // A region the ID number gives that is not a division: the ID number's problem.
            for (field, _) in problems.iter_mut() {
                if field == "division" {
                    *field = "id_number".into();
                }
            }
            page(err.status, f, error, problems)
        }
    }
}

/// The form field a refusal names (the person's parts come back without a prefix).
fn shown_field(field: &str) -> String {
    field.trim_start_matches("applicant.").to_string()
}

// ---------------------------------------------------------------------------------------------
// 实名认证 of an account made before binding

/// 实名认证 (`/account/verify`): a citizen's account made before accounts were bound to persons
/// (by an administrator) is bound here to the person it belongs to, checked as at 实名注册
/// (`App::bind_citizen`: the ID number verified, matched to the record on file, one account per
/// person). Until then the account cannot apply online.
#[derive(Template)]
#[template(path = "verify_identity.html")]
pub struct VerifyIdentityPage {
    pub layout: Layout,
    pub csrf_token: String,
    /// The account is bound already: nothing to do.
    pub bound: bool,
    pub f: RegisterForm,
    pub error: Option<String>,
    pub problems: Vec<(String, Problem)>,
}

impl VerifyIdentityPage {
    /// The refusals of `field`.
    pub fn of(&self, field: &str) -> Vec<&Problem> {
        self.problems.iter().filter(|(f, _)| f == field).map(|(_, p)| p).collect()
    }
}

fn verify_page(
    user: &crate::extract::AuthUser,
    status: StatusCode,
    bound: bool,
    f: RegisterForm,
    error: Option<String>,
    problems: Vec<(String, Problem)>,
) -> Response {
    let page = VerifyIdentityPage {
        layout: Layout::for_user("实名认证", user),
        csrf_token: user.csrf_token.clone(),
        bound,
        f,
        error,
        problems,
    };
    render_status(status, &page)
}

#[utoipa::path(
    get,
    path = "/account/verify",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "实名认证：填写本人姓名和公民身份号码，绑定本账户（已认证的显示已完成）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是办事群众的账户", content_type = "text/html", body = String),
    )
)]
pub async fn verify_form(State(state): State<AppState>, extract::PageUser(user): extract::PageUser) -> Response {
    if !user.actor.has_role(domain::access::Role::Citizen) {
        return AppError::from(service::ServiceError::forbidden()).into_html_for(&user);
    }
    match state.app.citizen_person(&user.actor).await {
        Ok(person) => verify_page(&user, StatusCode::OK, person.is_some(), RegisterForm::default(), None, Vec::new()),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

#[utoipa::path(
    post,
    path = "/account/verify",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, name, id_number, phone, address"),
    responses(
        (status = 303, description = "已认证：转到首页"),
        (status = 403, description = "CSRF 令牌不符，或不是办事群众的账户", content_type = "text/html", body = String),
        (status = 409, description = "本账户已认证，或该公民身份号码已有账户：重新显示表单", content_type = "text/html", body = String),
        (status = 422, description = "各项问题，写在对应项旁：重新显示表单", content_type = "text/html", body = String),
    )
)]
pub async fn verify(State(state): State<AppState>, post: extract::PagePost) -> Response {
    let user = &post.user;
    let optional = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let f = RegisterForm {
        name: post.one("name"),
        id_number: post.one("id_number"),
        phone: post.one("phone"),
        address: post.one("address"),
        ..RegisterForm::default()
    };
    // Until a window records the 户籍地, the person's division is their ID number's region.
    let person = domain::person::PersonInput {
        name: f.name.clone(),
        id_number: f.id_number.clone(),
        phone: optional(&f.phone),
        address: optional(&f.address),
        division: f.id_number.trim().chars().take(6).collect(),
    };
    match state.app.bind_citizen(&user.actor, &person).await {
        Ok(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, "/?verified=1")]).into_response(),
        Err(err) if err.kind == service::ErrorKind::Forbidden => AppError::from(err).into_html_for(user),
        Err(err) => {
            let err = AppError::from(err);
            let mut problems: Vec<(String, Problem)> = err
                .problems
                .iter()
                .map(|p| (shown_field(&p.field), Problem { code: p.code, message: p.message.clone() }))
                .collect();
            let mut error = None;
            if problems.is_empty() {
                match err.field.as_deref() {
                    Some(field) => {
                        problems.push((shown_field(field), Problem { code: err.code, message: err.message.clone() }))
                    }
                    None => error = Some(err.message.clone()),
                }
            }
            for (field, _) in problems.iter_mut() {
                if field == "division" {
                    *field = "id_number".into();
                }
            }
            verify_page(user, err.status, false, f, error, problems)
        }
    }
}
