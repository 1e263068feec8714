//! Verifying the full-process record (全过程记录).

use axum::extract::State;
use axum::Json;
use domain::audit::Break;

use crate::dto::{ErrorBody, VerifyDto};
use crate::error::AppResult;
use crate::extract::AuthUser;
use crate::AppState;

/// Walks the whole record. A broken record is a finding, not an error: 200 with `ok: false`.
#[utoipa::path(
    get,
    path = "/api/v1/audit/verify",
    tag = "audit",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "校验结果", body = VerifyDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅全过程记录的权限", body = ErrorBody),
    )
)]
pub async fn verify(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<VerifyDto>> {
    let dto = match state.app.verify_record_as(&user.actor).await? {
        Ok(report) => VerifyDto { ok: true, events: Some(report.events), seq: None, kind: None, message: None },
        Err(brk) => {
            tracing::warn!(seq = brk.seq(), kind = brk.kind(), "full-process record does not verify");
            VerifyDto {
                ok: false,
                events: None,
                seq: Some(brk.seq()),
                kind: Some(brk.kind().to_string()),
                message: Some(break_message(&brk)),
            }
        }
    };
    Ok(Json(dto))
}

/// The break in a sentence (the API's `message`, the record page's finding).
pub(crate) fn break_message(brk: &Break) -> String {
    match brk {
        Break::Edited { seq, .. } => format!("第 {seq} 条记录的内容与其哈希不符：记录被改动"),
        Break::Missing { seq, .. } => format!("第 {seq} 条记录之前有记录缺失"),
        Break::OutOfOrder { seq, .. } => format!("第 {seq} 条记录的顺序不正确"),
        Break::Inserted { seq, .. } => format!("第 {seq} 条记录不属于记录链：记录被插入"),
        Break::TailMissing { seq, .. } => format!("第 {seq} 条记录之后的记录缺失：记录被截断"),
        Break::Checkpoint { no, .. } => format!("第 {no} 号检查点的链条断裂"),
    }
}
