//! The columns as JSON: the public entries of both columns, and the staff register.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use service::openness::{Column, OpenLine};
use utoipa::ToSchema;

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::AuthUser;
use crate::AppState;

/// One piece of information published (or to be published) of the organ's own motion.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenEntryDto {
    /// `proactive` (政务公开) or `rule_of_law` (法治政府建设专栏).
    pub column: &'static str,
    /// 栏目.
    pub category: &'static str,
    pub title: String,
    /// The organ's division code and full name.
    pub division: String,
    pub organ: String,
    /// Why it is published (statute and article).
    pub basis: &'static str,
    /// YYYY-MM-DD: the day the information was formed or last changed.
    pub formed: String,
    /// YYYY-MM-DD: the last day to publish; absent when the calendar has no data for it.
    pub due: Option<String>,
    /// The source of that limit.
    pub limit_basis: &'static str,
    /// YYYY-MM-DD, once published.
    pub published: Option<String>,
    /// 按时公开, 超过20个工作日公开, 待公开, 逾期未公开.
    pub state: Option<&'static str>,
    /// Published late or unpublished past its last day.
    pub late: bool,
    /// Its public page.
    pub href: Option<String>,
}

impl OpenEntryDto {
    pub fn of(l: &OpenLine) -> OpenEntryDto {
        OpenEntryDto {
            column: match l.entry.column {
                Column::Proactive => "proactive",
                Column::RuleOfLaw => "rule_of_law",
            },
            category: l.entry.category,
            title: l.entry.title.clone(),
            division: l.entry.division.clone(),
            organ: l.organ.clone(),
            basis: l.entry.basis,
            formed: l.entry.formed.to_string(),
            due: l.due.map(|d| d.to_string()),
            limit_basis: l.limit_basis,
            published: l.entry.published.map(|d| d.to_string()),
            state: l.state.map(|s| s.name_zh()),
            late: l.is_late(),
            href: l.entry.href.clone(),
        }
    }
}

/// Both public columns: what has been published, by category, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/openness",
    tag = "openness",
    responses((status = 200, description = "政务公开栏目和法治政府建设专栏的已公开信息", body = Vec<OpenEntryDto>))
)]
pub async fn column(State(state): State<AppState>) -> AppResult<Json<Vec<OpenEntryDto>>> {
    let mut out = Vec::new();
    for column in [Column::Proactive, Column::RuleOfLaw] {
        out.extend(state.app.open_column(column).await?.iter().map(OpenEntryDto::of));
    }
    Ok(Json(out))
}

/// The staff register of 主动公开 in the reader's jurisdiction, the unpublished included.
#[utoipa::path(
    get,
    path = "/api/v1/openness/register",
    tag = "openness",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "主动公开台账（含待公开和逾期未公开）", body = Vec<OpenEntryDto>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查阅", body = ErrorBody),
    )
)]
pub async fn register(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Vec<OpenEntryDto>>> {
    let lines = state.app.open_register(&user.actor).await?;
    Ok(Json(lines.iter().map(OpenEntryDto::of).collect()))
}
