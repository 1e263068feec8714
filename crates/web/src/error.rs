//! The one error type of the HTTP boundary. Every refusal leaves as the same JSON shape
//! (`{"code","message","field","problems"}`) with a stable code; pages render the same error as
//! HTML ([`AppError::into_html`]).
//!
//! Status rules: 400 when the request does not fit the API (malformed JSON, wrong shape, bad path
//! or query parameter), 422 when it fits but a rule refuses it (a bad ID number, an unknown
//! division), 401/403/404/409/429 as their names say, 500 with a generic message. 5xx are logged
//! once, where they arise; 4xx are logged at debug with their code only, never their message
//! (messages can echo what the client sent).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::problem::FieldError;
use service::error::ErrorExtra;
use service::{ErrorKind, ServiceError};

use crate::dto::{ErrorBody, ProblemDto};

/// The generic message of every 5xx: details go to the log, never to the client.
pub const INTERNAL_MESSAGE: &str = "服务器内部错误，请稍后重试；如持续出现请联系管理员";

#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub problems: Vec<FieldError>,
    /// The legal basis of the rule that refused the request and the record's state after a
    /// conflict, when the error has them (boxed: every `AppResult` carries this type).
    pub extra: Option<Box<ErrorExtra>>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError { status, code, message: message.into(), field: None, problems: Vec::new(), extra: None }
    }

    /// Names the field the error concerns (and lists it as the one problem).
    pub fn with_field(mut self, field: impl Into<String>) -> AppError {
        let field = field.into();
        self.problems = vec![FieldError::new(&field, self.code, self.message.clone())];
        self.field = Some(field);
        self
    }

    /// A 5xx that arose in this crate: logged here, once, and shown generically.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %detail, "internal error");
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", INTERNAL_MESSAGE)
    }

    pub fn malformed_json() -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, "malformed_json", "请求体不是有效的 JSON")
    }

    pub fn unsupported_media_type(expected: &str) -> AppError {
        AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("请求体的类型（Content-Type）应为 {expected}"),
        )
    }

    pub fn body_too_large() -> AppError {
        AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "请求体过大，不能超过 1 MiB")
    }

    pub fn unauthorized() -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录")
    }

    pub fn csrf_failed() -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "csrf_failed", "请求校验失败（CSRF 令牌缺失或不匹配），请刷新页面后重试")
    }

    pub fn not_found_route() -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "route_not_found", "请求的接口不存在")
    }

    pub fn method_not_allowed() -> AppError {
        AppError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "该接口不支持此请求方法")
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.to_string(),
            message: self.message.clone(),
            field: self.field.clone(),
            problems: self
                .problems
                .iter()
                .map(|p| ProblemDto {
                    field: (!p.field.is_empty()).then(|| p.field.clone()),
                    code: p.code.to_string(),
                    message: p.message.clone(),
                })
                .collect(),
            basis: self.extra.as_ref().and_then(|e| e.basis.clone()),
            state: self.extra.as_ref().and_then(|e| e.state.clone()),
            revision: self.extra.as_ref().and_then(|e| e.revision),
            last_act: self.extra.as_ref().and_then(|e| e.last_act.as_ref()).map(|a| crate::dto::LastActDto {
                by: a.by.clone(),
                name: a.name.clone(),
                action: a.action.clone(),
                at: crate::dto::timestamp(a.at),
            }),
        }
    }

    fn log(&self) {
        if !self.status.is_server_error() {
            tracing::debug!(status = self.status.as_u16(), code = self.code, "request refused");
        }
    }

    fn finish(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
        }
        response
    }

    /// The same error as a small Chinese page, for the server-rendered UI.
    pub fn into_html(self) -> Response {
        self.log();
        let body = crate::routes::pages::error_page(self.status, &self.message);
        let response = (self.status, body).into_response();
        self.finish(response)
    }

    /// The error page for a signed-in user: the header keeps their name and the logout form.
    pub fn into_html_for(self, user: &crate::extract::AuthUser) -> Response {
        self.log();
        let body = crate::routes::pages::error_page_for(self.status, &self.message, Some(user));
        let response = (self.status, body).into_response();
        self.finish(response)
    }
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> AppError {
        let status = match err.kind {
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            // `ServiceError::internal` logged the detail when it was made.
            ErrorKind::Internal => {
                return AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", INTERNAL_MESSAGE);
            }
        };
        let mut problems = err.problems;
        if problems.is_empty() {
            if let Some(field) = &err.field {
                problems.push(FieldError::new(field, err.code, err.message.clone()));
            }
        }
        AppError { status, code: err.code, message: err.message, field: err.field, problems, extra: err.extra }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let response = (self.status, axum::Json(self.body())).into_response();
        self.finish(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_kinds_map_to_statuses() {
        let cases = [
            (ErrorKind::Invalid, 422),
            (ErrorKind::Unauthorized, 401),
            (ErrorKind::Forbidden, 403),
            (ErrorKind::NotFound, 404),
            (ErrorKind::Conflict, 409),
            (ErrorKind::TooManyRequests, 429),
            (ErrorKind::Internal, 500),
        ];
        for (kind, status) in cases {
            let err = AppError::from(ServiceError::new(kind, "some_code", "信息"));
            assert_eq!(err.status.as_u16(), status, "{kind:?}");
        }
    }

    #[test]
    fn internal_errors_never_show_their_detail() {
        let err = AppError::from(ServiceError::new(ErrorKind::Internal, "internal", "connection refused at 10.0.0.1"));
        assert_eq!(err.message, INTERNAL_MESSAGE);
        assert_eq!(err.code, "internal");
    }

    #[test]
    fn validation_keeps_every_problem() {
        let err = AppError::from(ServiceError::invalid(vec![
            FieldError::new("name", "required", "此项为必填项"),
            FieldError::new("phone", "invalid_phone", "电话号码格式不正确"),
        ]));
        let body = err.body();
        assert_eq!(body.code, "required");
        assert_eq!(body.field.as_deref(), Some("name"));
        assert_eq!(body.problems.len(), 2);
        assert_eq!(body.problems[1].field.as_deref(), Some("phone"));
    }
}
