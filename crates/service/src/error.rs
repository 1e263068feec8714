//! The one error type of the use cases: a kind (which becomes the HTTP status or the exit
//! code), a stable machine code, a Chinese message and the field it concerns.

use domain::problem::FieldError;
use store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooManyRequests,
    Internal,
}

#[derive(Debug, Clone)]
pub struct ServiceError {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Every problem, when validation found several (the first is also in code/message/field).
    pub problems: Vec<FieldError>,
    /// The legal basis and the record's state, when the error has them (boxed: rare, and
    /// every `Result` of the crate carries this type).
    pub extra: Option<Box<ErrorExtra>>,
}

/// What some errors add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorExtra {
    /// The legal basis of a rule that refused the request (the engine's refusals).
    pub basis: Option<String>,
    /// The record's state after a conflict (`case_conflict`: the case's status now).
    pub state: Option<String>,
    /// After a `case_conflict`: the case's revision now.
    pub revision: Option<i64>,
    /// After a `case_conflict`: the last act on the case, so a client tells its own act from
    /// another's.
    pub last_act: Option<LastAct>,
}

/// An act on a case as a conflict reports it: who (a display name), what (the act's Chinese
/// name and its machine code), when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastAct {
    pub by: String,
    pub name: String,
    pub action: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError { kind, code, message: message.into(), field: None, problems: Vec::new(), extra: None }
    }

    pub fn with_field(mut self, field: &str) -> ServiceError {
        self.field = Some(field.to_string());
        self
    }

    pub fn invalid(problems: Vec<FieldError>) -> ServiceError {
        let first = problems.first().cloned().unwrap_or_else(|| FieldError::new("", "invalid", "输入不正确"));
        ServiceError {
            kind: ErrorKind::Invalid,
            code: first.code,
            message: first.message.clone(),
            field: (!first.field.is_empty()).then(|| first.field.clone()),
            problems,
            extra: None,
        }
    }

    pub fn with_basis(mut self, basis: Option<String>) -> ServiceError {
        if basis.is_some() {
            self.extra.get_or_insert_with(Default::default).basis = basis;
        }
        self
    }

    /// A conflict's detail: the case's revision now and its last act.
    pub fn with_conflict(mut self, revision: i64, last_act: Option<LastAct>) -> ServiceError {
        let extra = self.extra.get_or_insert_with(Default::default);
        extra.revision = Some(revision);
        extra.last_act = last_act;
        self
    }

    pub fn with_state(mut self, state: &str) -> ServiceError {
        self.extra.get_or_insert_with(Default::default).state = Some(state.to_string());
        self
    }

    /// The legal basis of the rule that refused the request, if any.
    pub fn basis(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.basis.as_deref())
    }

    /// The record's state after a conflict, if any.
    pub fn state(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.state.as_deref())
    }

    pub fn forbidden() -> ServiceError {
        ServiceError::new(ErrorKind::Forbidden, "forbidden", "无权访问：该记录不在您的管辖范围内，或您的角色无此权限")
    }

    pub fn not_found(what: &str) -> ServiceError {
        ServiceError::new(ErrorKind::NotFound, "not_found", format!("{what}不存在"))
    }

    pub fn unauthorized() -> ServiceError {
        ServiceError::new(ErrorKind::Unauthorized, "unauthorized", "请先登录")
    }

    pub fn internal(detail: impl std::fmt::Display) -> ServiceError {
        tracing::error!(error = %detail, "internal error");
        ServiceError::new(ErrorKind::Internal, "internal", "服务器内部错误，请稍后重试；如持续出现请联系管理员")
    }
}

impl From<FieldError> for ServiceError {
    fn from(problem: FieldError) -> ServiceError {
        ServiceError::invalid(vec![problem])
    }
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> ServiceError {
        match err {
            StoreError::NotFound => ServiceError::not_found("记录"),
            StoreError::Conflict(what) => {
                ServiceError::new(ErrorKind::Conflict, "conflict", format!("与已有记录冲突：{what}"))
            }
            StoreError::Invalid(message) => ServiceError::new(ErrorKind::Invalid, "invalid", message),
            StoreError::Other(detail) => ServiceError::internal(detail),
        }
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}（字段 {field}，代码 {}）", self.message, self.code),
            None => write!(f, "{}（代码 {}）", self.message, self.code),
        }
    }
}

impl std::error::Error for ServiceError {}
