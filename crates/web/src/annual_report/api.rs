//! The JSON API of the annual report: an organ's figures of a year, its versions, saving a
//! version, publishing one, and a published version with its signature check and drift (public).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::annual_report::{CountedRecord, Drift, FrozenFigure, Indicator};
use serde::{Deserialize, Serialize};
use service::annual_report::ReportVersion;
use utoipa::ToSchema;

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AuthUser};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct CountedRecordDto {
    pub label: String,
    /// YYYY-MM-DD
    pub date: String,
    /// The record's page ("" when it has none).
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorDto {
    /// `{{key}}` in the narrative.
    pub key: String,
    pub label: String,
    pub definition: String,
    /// count | percent
    pub unit: String,
    /// As printed: 17, 100%, 无数据.
    pub value: String,
    pub numerator: i64,
    pub denominator: Option<i64>,
    /// The page the figure is read from, if any.
    pub register: Option<String>,
    /// The records counted that the caller's grants reach.
    pub records: Vec<CountedRecordDto>,
}

impl IndicatorDto {
    pub fn of(i: &Indicator) -> IndicatorDto {
        IndicatorDto {
            key: i.key.clone(),
            label: i.label.clone(),
            definition: i.definition.clone(),
            unit: match i.unit {
                domain::annual_report::Unit::Count => "count".into(),
                domain::annual_report::Unit::Percent => "percent".into(),
            },
            value: i.display(),
            numerator: i.numerator,
            denominator: i.denominator,
            register: i.register.clone(),
            records: i.records.iter().map(record).collect(),
        }
    }
}

fn record(r: &CountedRecord) -> CountedRecordDto {
    CountedRecordDto { label: r.label.clone(), date: r.date.clone(), href: r.href.clone() }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresDto {
    pub organ: String,
    pub organ_name: String,
    pub year: i32,
    /// The last day to report (法治政府建设与责任落实督察工作规定: before 1 March).
    pub report_due: Option<String>,
    /// The last day to publish (before 1 April).
    pub publish_due: Option<String>,
    pub indicators: Vec<IndicatorDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ReportFrozenFigure)]
pub struct FrozenDto {
    pub key: String,
    pub label: String,
    pub value: String,
}

impl From<&FrozenFigure> for FrozenDto {
    fn from(f: &FrozenFigure) -> FrozenDto {
        FrozenDto { key: f.key.clone(), label: f.label.clone(), value: f.value.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportVersionDto {
    pub id: i64,
    pub organ: String,
    pub year: i32,
    pub version: i64,
    /// The narrative with its `{{indicator}}` references.
    pub body: String,
    pub saved_at: String,
    /// Set once published.
    pub published_at: Option<String>,
    /// The figures frozen when published.
    pub figures: Vec<FrozenDto>,
}

impl ReportVersionDto {
    pub fn of(v: &ReportVersion) -> ReportVersionDto {
        ReportVersionDto {
            id: v.row.id,
            organ: v.row.organ.clone(),
            year: v.row.year,
            version: v.row.version,
            body: v.row.body.clone(),
            saved_at: crate::dto::timestamp_ms(v.row.saved_at_ms),
            published_at: v.row.published.as_ref().map(|p| crate::dto::timestamp_ms(p.at_ms)),
            figures: v.frozen.iter().map(FrozenDto::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ReportDrift)]
pub struct DriftDto {
    pub key: String,
    pub label: String,
    pub published: String,
    pub now: String,
}

impl From<&Drift> for DriftDto {
    fn from(d: &Drift) -> DriftDto {
        DriftDto { key: d.key.clone(), label: d.label.clone(), published: d.published.clone(), now: d.now.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedReportDto {
    pub version: ReportVersionDto,
    /// The SM2 signature verifies over the text and figures as published.
    pub signature_valid: bool,
    /// The key is this platform's (the one its record's checkpoints are signed with).
    pub own_key: bool,
    pub public_key: String,
    pub signature: String,
    /// The published figures that the records now give otherwise.
    pub drift: Vec<DriftDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// The narrative; figures as `{{indicator_key}}`.
    pub body: String,
}

#[derive(Debug, Deserialize)]
pub struct OrganYear {
    pub code: String,
    pub year: i32,
}

/// The figures of an organ's year with the records each counts (within the caller's grants).
#[utoipa::path(
    get,
    path = "/api/v1/reports/{code}/{year}/indicators",
    tag = "reports",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    responses(
        (status = 200, description = "年度报告指标", body = FiguresDto),
        (status = 400, description = "路径参数无效", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查阅", body = ErrorBody),
        (status = 422, description = "区划或年度无效", body = ErrorBody),
    )
)]
pub async fn indicators(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(p): AppPath<OrganYear>,
) -> AppResult<Json<FiguresDto>> {
    let f = state.app.report_figures(Some(&user.actor), &p.code, p.year).await?;
    Ok(Json(FiguresDto {
        organ: f.organ.clone(),
        organ_name: f.organ_name.clone(),
        year: f.year,
        report_due: domain::annual_report::report_due(f.year).map(|d| d.to_string()),
        publish_due: domain::annual_report::publish_due(f.year).map(|d| d.to_string()),
        indicators: f.indicators.iter().map(IndicatorDto::of).collect(),
    }))
}

/// The versions of an organ's report of a year, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{code}/{year}/versions",
    tag = "reports",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    responses(
        (status = 200, description = "各版本", body = Vec<ReportVersionDto>),
        (status = 400, description = "路径参数无效", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查阅", body = ErrorBody),
        (status = 422, description = "区划或年度无效", body = ErrorBody),
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(p): AppPath<OrganYear>,
) -> AppResult<Json<Vec<ReportVersionDto>>> {
    let versions = state.app.report_versions(&user.actor, &p.code, p.year).await?;
    Ok(Json(versions.iter().map(ReportVersionDto::of).collect()))
}

/// Saves the narrative as a new version (every reference must name an indicator).
#[utoipa::path(
    post,
    path = "/api/v1/reports/{code}/{year}/versions",
    tag = "reports",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    request_body = ReportBody,
    responses(
        (status = 201, description = "已保存为新版本", body = ReportVersionDto),
        (status = 400, description = "请求无效", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权撰写", body = ErrorBody),
        (status = 409, description = "同时保存冲突", body = ErrorBody),
        (status = 415, description = "不是 JSON", body = ErrorBody),
        (status = 422, description = "正文为空、过长或引用了不存在的指标", body = ErrorBody),
    )
)]
pub async fn save(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(p): AppPath<OrganYear>,
    AppJson(body): AppJson<ReportBody>,
) -> AppResult<(StatusCode, Json<ReportVersionDto>)> {
    let v = state.app.report_save(&user.actor, &p.code, p.year, &body.body).await?;
    Ok((StatusCode::CREATED, Json(ReportVersionDto::of(&v))))
}

#[derive(Debug, Deserialize)]
pub struct VersionId {
    pub id: i64,
}

/// Publishes a version: its figures frozen, signed with the platform's SM2 key, made public.
#[utoipa::path(
    post,
    path = "/api/v1/reports/versions/{id}/publish",
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "版本编号")),
    responses(
        (status = 200, description = "已发布", body = ReportVersionDto),
        (status = 400, description = "路径参数无效", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权发布", body = ErrorBody),
        (status = 404, description = "版本不存在", body = ErrorBody),
        (status = 409, description = "该版本已经发布", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(p): AppPath<VersionId>,
) -> AppResult<Json<ReportVersionDto>> {
    let v = state.app.report_publish(&user.actor, p.id).await?;
    Ok(Json(ReportVersionDto::of(&v)))
}

/// A published version (public): its figures as published, the signature checked, the drift.
#[utoipa::path(
    get,
    path = "/api/v1/reports/versions/{id}/published",
    tag = "reports",
    params(("id" = i64, Path, description = "版本编号")),
    responses(
        (status = 200, description = "已发布的年度报告", body = PublishedReportDto),
        (status = 400, description = "路径参数无效", body = ErrorBody),
        (status = 404, description = "没有该已发布版本", body = ErrorBody),
    )
)]
pub async fn published(
    State(state): State<AppState>,
    AppPath(p): AppPath<VersionId>,
) -> AppResult<Json<PublishedReportDto>> {
    let check = state.app.published_report(p.id).await?;
    let (public_key, signature) =
        check.version.row.published.as_ref().map(|p| (p.public_key.clone(), p.signature.clone())).unwrap_or_default();
    Ok(Json(PublishedReportDto {
        version: ReportVersionDto::of(&check.version),
        signature_valid: check.signature_valid,
        own_key: check.own_key,
        public_key,
        signature,
        drift: check.drift.iter().map(DriftDto::from).collect(),
    }))
}
