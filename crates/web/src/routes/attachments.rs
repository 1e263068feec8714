//! Attachments of a case (附件) over HTTP: upload (`multipart/form-data`: `file` and `label`),
//! list and download, in the JSON API and from the case page (staff and the citizen's own case
//! alike). The rules are the service's (`service::attachments`) and the domain's
//! (`domain::attachment`); this module reads the multipart body once for both channels.
//!
//! The upload routes take a body up to [`UPLOAD_BODY_LIMIT`] (every other route: 1 MiB). A
//! download answers the stored media type with `Content-Disposition: attachment`,
//! `X-Content-Type-Options: nosniff` and a sandboxing CSP, so a browser saves the file rather than
//! rendering it in the site's origin.

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::attachment::{too_large, MAX_ATTACHMENT_BYTES};
use serde::Serialize;
use service::attachments::{Attachment, Upload};
use utoipa::ToSchema;

use crate::dto::{timestamp, ErrorBody};
use crate::error::{AppError, AppResult};
use crate::extract::{check_form_csrf, AppPath, AuthUser, PagePath, PageUser, CSRF_FIELD};
use crate::views::datetime_zh;
use crate::AppState;

/// The largest upload request: the largest file and room for the multipart framing and the label.
pub const UPLOAD_BODY_LIMIT: usize = MAX_ATTACHMENT_BYTES + 64 * 1024;

/// The body limit of the upload routes, layered on them in the route table.
pub fn upload_body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)
}

/// Whether a request is an upload (`POST /api/v1/cases/{id}/attachments` or the page's `POST
/// /cases/{id}/attachments`): the one place the 1 MiB limit of every other route is lifted.
/// An area's upload routes count too ([`crate::verticals::is_upload`]).
pub fn is_upload(method: &Method, path: &str) -> bool {
    let rest = path.strip_prefix("/api/v1/cases/").or_else(|| path.strip_prefix("/cases/"));
    (method == Method::POST
        && rest.and_then(|r| r.strip_suffix("/attachments")).is_some_and(|id| !id.is_empty() && !id.contains('/')))
        || crate::verticals::is_upload(method, path)
}

/// The refusal of an upload over [`UPLOAD_BODY_LIMIT`]: the domain's `attachment_too_large`, 413.
pub fn too_large_error() -> AppError {
    let problem = too_large();
    AppError::new(StatusCode::PAYLOAD_TOO_LARGE, problem.code, problem.message).with_field("file")
}

// ---------------------------------------------------------------------------------------------
// Wire format

/// One attachment of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: i64,
    pub case_id: i64,
    /// SM3 (GB/T 32905-2016) of the file's bytes, 64 hex digits; the same value is in the
    /// upload's event of the case's record (`attachment.added`).
    pub sm3: String,
    /// The file's name, made safe: no path, at most 100 characters, ending in the extension of
    /// the kind its content is.
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, told by the content.
    pub media_type: String,
    /// PDF 文件, JPEG 图片, PNG 图片.
    pub media_type_name: String,
    /// Bytes.
    pub size: i64,
    /// What the file is (现场照片, 身份证复印件…), possibly empty.
    pub label: String,
    /// Who uploaded it (display name).
    pub uploaded_by: String,
    /// RFC 3339, China Standard Time.
    pub uploaded_at: String,
    /// Where to download it.
    pub download: String,
}

impl AttachmentDto {
    fn from_attachment(a: &Attachment) -> AttachmentDto {
        AttachmentDto {
            id: a.id,
            case_id: a.case_id,
            sm3: a.hash.clone(),
            file_name: a.file_name.clone(),
            media_type: a.media_type.as_str().to_string(),
            media_type_name: a.media_type.name_zh().to_string(),
            size: a.size,
            label: a.label.clone(),
            uploaded_by: a.uploaded_by.clone(),
            uploaded_at: timestamp(a.uploaded_at),
            download: download_path(a),
        }
    }
}

/// The attachments of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentListDto {
    pub items: Vec<AttachmentDto>,
    /// Whether the caller may add attachments to this case.
    pub may_add: bool,
}

/// The upload form (`multipart/form-data`).
#[derive(ToSchema)]
#[allow(dead_code)] // documents the body; the handler reads the parts itself
pub struct AttachmentUpload {
    /// The file: PDF, JPEG or PNG (told by content), at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// What the file is (现场照片, 身份证复印件…), at most 50 characters. A multipart part is
    /// text whatever it looks like (`123` is the label "123"), so the schema names no type.
    #[schema(value_type = Option<serde_json::Value>)]
    label: Option<String>,
}

fn download_path(a: &Attachment) -> String {
    format!("/api/v1/cases/{}/attachments/{}", a.case_id, a.id)
}

// ---------------------------------------------------------------------------------------------
// The multipart body, one reader for the API and the page

/// The parts of an upload.
#[derive(Debug, Default)]
struct UploadParts {
    file_name: String,
    bytes: Vec<u8>,
    label: String,
    csrf_token: Option<String>,
}

fn multipart_error(field: Option<&str>) -> AppError {
    let error =
        AppError::new(StatusCode::BAD_REQUEST, "invalid_multipart", "上传请求的格式不正确（multipart/form-data）");
    match field {
        Some(name) => error.with_field(name.chars().take(64).collect::<String>()),
        None => error,
    }
}

fn read_error(err: &axum::extract::multipart::MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large_error()
    } else {
        multipart_error(None)
    }
}

/// Reads `file` (once), `label` and, from a page, `csrf_token`; any other part is refused
/// (400 naming it), as JSON bodies refuse unknown fields. A missing file reads as an empty one.
async fn read_upload(request: Request, state: &AppState, page: bool) -> Result<UploadParts, AppError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::unsupported_media_type("multipart/form-data"));
    }
    let mut multipart = Multipart::from_request(request, state).await.map_err(|_| multipart_error(None))?;
    let mut parts = UploadParts::default();
    let mut seen_file = false;
    while let Some(field) = multipart.next_field().await.map_err(|e| read_error(&e))? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" if !seen_file => {
                seen_file = true;
                parts.file_name = field.file_name().unwrap_or("").to_string();
                parts.bytes = field.bytes().await.map_err(|e| read_error(&e))?.to_vec();
            }
            "label" => parts.label = field.text().await.map_err(|_| multipart_error(Some("label")))?,
            CSRF_FIELD if page => parts.csrf_token = Some(field.text().await.map_err(|_| multipart_error(None))?),
            _ => return Err(multipart_error(Some(&name))),
        }
    }
    Ok(parts)
}

impl UploadParts {
    fn upload(&self) -> Upload<'_> {
        Upload { file_name: &self.file_name, label: &self.label, bytes: &self.bytes }
    }
}

// ---------------------------------------------------------------------------------------------
// The JSON API

#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/attachments",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data", description = "`file`：PDF 文件或 JPEG、PNG 图片（按内容识别），不超过 10 MiB；`label`：附件说明（可选，不超过 50 字）"),
    responses(
        (status = 201, description = "已上传：附件及其 SM3 值（办件全过程记录的 `attachment.added` 事件载有同一值）", body = AttachmentDto),
        (status = 400, description = "上传请求的格式不正确（`invalid_multipart`，含不支持的表单项）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权上传：不在管辖范围内、领导角色只读，或办事群众的办件已办结（`attachment_case_closed`）", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 413, description = "文件过大（`attachment_too_large`）", body = ErrorBody),
        (status = 415, description = "请求体类型不是 multipart/form-data（`unsupported_media_type`）", body = ErrorBody),
        (status = 422, description = "文件为空（`attachment_empty`）、类型不是 PDF/JPEG/PNG（`attachment_type`）、过大（`attachment_too_large`），或附件说明不符合规则", body = ErrorBody),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    request: Request,
) -> AppResult<(StatusCode, Json<AttachmentDto>)> {
    // Who may not add is refused before the body is read.
    state.app.check_may_add_attachment(&user.actor, id).await?;
    let parts = read_upload(request, &state, false).await?;
    let added = state.app.add_attachment(&user.actor, id, parts.upload()).await?;
    Ok((StatusCode::CREATED, Json(AttachmentDto::from_attachment(&added))))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/attachments",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    responses(
        (status = 200, description = "办件的附件，先上传者在前", body = AttachmentListDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<AttachmentListDto>> {
    let attachments = state.app.attachments(&user.actor, id).await?;
    Ok(Json(AttachmentListDto {
        items: attachments.items.iter().map(AttachmentDto::from_attachment).collect(),
        may_add: attachments.may_add,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/attachments/{aid}",
    tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "办件编号（id）"),
        ("aid" = i64, Path, description = "附件编号"),
    ),
    responses(
        (status = 200, description = "附件文件（`Content-Disposition: attachment`）；每次下载均记入办件全过程记录（`attachment.downloaded`）",
            content(
                (Vec<u8> = "application/pdf"),
                (Vec<u8> = "image/jpeg"),
                (Vec<u8> = "image/png"),
            )),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件或附件不存在（`attachment_not_found`）", body = ErrorBody),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath((id, aid)): AppPath<(i64, i64)>,
) -> AppResult<Response> {
    let download = state.app.download_attachment(&user.actor, id, aid).await?;
    let a = &download.attachment;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.media_type.as_str()));
    let disposition = content_disposition(a);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|_| AppError::internal("content disposition"))?,
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok((StatusCode::OK, headers, download.bytes).into_response())
}

/// `attachment; filename="attachment-7.pdf"; filename*=UTF-8''%E7%8E%B0…`: an ASCII fallback
/// name and the real one percent-encoded (RFC 6266 §4.3, RFC 8187), nothing unescaped.
fn content_disposition(a: &Attachment) -> String {
    let extension = a.file_name.rsplit_once('.').map(|(_, e)| e).filter(|e| e.is_ascii()).unwrap_or("bin");
    let encoded: String = a
        .file_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let extension: String = extension.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("attachment; filename=\"attachment-{}.{extension}\"; filename*=UTF-8''{encoded}", a.id)
}

// ---------------------------------------------------------------------------------------------
// The case page

/// One row of the case page's attachments section.
pub struct AttachmentLine {
    pub file_name: String,
    pub label: String,
    pub kind: &'static str,
    pub size: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub sm3: String,
    pub href: String,
}

/// The case page's attachments section (`attachments_panel.html`).
pub struct AttachmentsPanel {
    pub lines: Vec<AttachmentLine>,
    pub may_add: bool,
    /// A refused upload's message, shown next to the file field.
    pub error: Option<String>,
}

fn size_text(bytes: i64) -> String {
    match bytes {
        n if n < 1024 => format!("{n} 字节"),
        n if n < 1024 * 1024 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
    }
}

/// The section for `user` on case `id`, with a refused upload's message if any.
pub(crate) async fn panel(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    error: Option<String>,
) -> AppResult<AttachmentsPanel> {
    let attachments = state.app.attachments(&user.actor, id).await?;
    let lines = attachments
        .items
        .iter()
        .map(|a| AttachmentLine {
            file_name: a.file_name.clone(),
            label: a.label.clone(),
            kind: a.media_type.name_zh(),
            size: size_text(a.size),
            uploaded_by: a.uploaded_by.clone(),
            uploaded_at: datetime_zh(a.uploaded_at),
            sm3: a.hash.clone(),
            href: download_path(a),
        })
        .collect();
    Ok(AttachmentsPanel { lines, may_add: attachments.may_add, error })
}

#[utoipa::path(
    post,
    path = "/cases/{id}/attachments",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data", description = "`file`、`label` 与会话的 `csrf_token`"),
    responses(
        (status = 303, description = "已上传：回到办件页；未登录：转到 /login"),
        (status = 400, description = "上传请求的格式不正确", content_type = "text/html", body = String),
        (status = 403, description = "无权上传，或 CSRF 校验失败", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
        (status = 413, description = "文件过大：办件页，错误显示在文件栏旁", content_type = "text/html", body = String),
        (status = 422, description = "文件为空、类型不符或说明不符合规则：办件页，错误显示在文件栏旁", content_type = "text/html", body = String),
    )
)]
pub async fn upload_page(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    request: Request,
) -> Response {
    // Who may not add is refused before the body is read; the CSRF token is inside it.
    if let Err(err) = state.app.check_may_add_attachment(&user.actor, id).await {
        return AppError::from(err).into_html_for(&user);
    }
    let headers = request.headers().clone();
    let parts = match read_upload(request, &state, true).await {
        Ok(parts) => parts,
        Err(err) if err.code == "attachment_too_large" => {
            return crate::routes::work::attachment_refused_page(&state, &user, id, err.status, err.message).await;
        }
        Err(err) => return err.into_html_for(&user),
    };
    if let Err(err) = check_form_csrf(&headers, &user, parts.csrf_token.as_deref().unwrap_or("")) {
        return err.into_html_for(&user);
    }
    match state.app.add_attachment(&user.actor, id, parts.upload()).await {
        Ok(_) => crate::routes::work::redirect(&format!("/cases/{id}?done=attachment#attachments")),
        Err(err) => {
            let err = AppError::from(err);
            if err.status == StatusCode::UNPROCESSABLE_ENTITY {
                let message = err.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；");
                let message = if message.is_empty() { err.message } else { message };
                crate::routes::work::attachment_refused_page(&state, &user, id, err.status, message).await
            } else {
                err.into_html_for(&user)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_upload_routes_take_large_bodies() {
        assert!(is_upload(&Method::POST, "/api/v1/cases/12/attachments"));
        assert!(is_upload(&Method::POST, "/cases/12/attachments"));
        assert!(!is_upload(&Method::GET, "/api/v1/cases/12/attachments"));
        assert!(!is_upload(&Method::POST, "/api/v1/cases/12/actions"));
        assert!(!is_upload(&Method::POST, "/api/v1/cases//attachments"));
        assert!(!is_upload(&Method::POST, "/api/v1/cases/1/x/attachments"));
        assert!(!is_upload(&Method::POST, "/api/v1/persons/1/attachments"));
    }

    #[test]
    fn the_disposition_is_ascii_and_saves_the_file() {
        let a = Attachment {
            id: 7,
            case_id: 1,
            hash: String::new(),
            file_name: "现场 照片\";.png".into(),
            media_type: domain::attachment::MediaType::Png,
            size: 1,
            label: String::new(),
            uploaded_by: String::new(),
            uploaded_at: chrono::DateTime::default(),
        };
        let value = content_disposition(&a);
        assert!(value.is_ascii());
        assert!(value.starts_with("attachment; filename=\"attachment-7.png\"; filename*=UTF-8''"));
        assert!(value.ends_with("%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87%22%3B.png"), "{value}");
        assert!(HeaderValue::from_str(&value).is_ok());
    }
}
