//! The JSON API of 养老机构备案 and the register under `/api/v1/elderly-care/…`. Thin: each
//! handler parses with the same domain parser as the pages, calls the service, converts to a DTO.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use domain::verticals::elderly_care::institution::InspectionInput;
use domain::verticals::elderly_care::{ChangeInput, InspectionState, Stats, StatusInput};
use serde::{Deserialize, Serialize};
use service::verticals::elderly_care::{InstitutionView, PublicEntry, RegisterEntry};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// A change of a filed matter (《养老机构管理办法》: 名称、法定代表人、服务场所、床位数、建筑面积).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// name | representative | premises | beds | floor_area
    pub field: String,
    /// The new value: a name, the representative's name, the premises' address, a number.
    pub value: String,
    /// The premises' division code (a change of premises).
    pub premises_division: Option<String>,
    /// YYYY-MM-DD: the day the change took effect.
    pub changed_on: String,
    /// The institution's revision the client saw: changed since is 409 `elderly_care_conflict`.
    pub expected_revision: i64,
}

/// The post-filing on-site inspection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionBody {
    /// YYYY-MM-DD
    pub done_on: String,
    /// conforms | rectify
    pub result: String,
    /// What was found (required for rectify).
    pub findings: Option<String>,
    pub expected_revision: i64,
}

/// A suspension, closure or resumption the institution reported (《中华人民共和国老年人权益保障法》
/// 第四十六条; 《养老机构管理办法》（民政部令第66号）).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// suspend（暂停服务）| close（终止服务）| resume（恢复服务）
    pub act: String,
    /// YYYY-MM-DD: 机构向民政部门报告并告知老年人的日期.
    pub reported_on: String,
    /// YYYY-MM-DD: 暂停、终止服务的首日，或恢复服务之日（已生效，不晚于今天）.
    pub effective_on: String,
    /// 报告时在住老年人数（暂停、终止服务时必填）.
    pub residents: Option<String>,
    /// 老年人安置方案：安置去向、资金保障等（有在住老年人的必填）.
    pub placement: Option<String>,
    /// 原因（暂停、终止服务时必填）.
    pub reason: Option<String>,
    pub expected_revision: i64,
}

/// A reported suspension, closure or resumption.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusChangeDto {
    /// suspend | close | resume
    pub act: String,
    pub act_name: String,
    pub reported_on: String,
    pub effective_on: String,
    pub residents: i64,
    pub placement: String,
    pub reason: String,
    /// 报告距暂停、终止服务不足60日（提前告知期限不足，需跟进）.
    pub short_notice: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The year of the filings counted, e.g. 2021.
    pub year: i32,
}

/// Where the post-filing inspection stands today.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionStateDto {
    /// due | overdue | done
    pub state: String,
    pub state_name: String,
    /// The last day of the period (not done yet).
    pub due: Option<String>,
    pub done_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ElderlyCareVersionDto)]
pub struct VersionDto {
    pub version: i64,
    /// None for the filing; else name | representative | premises | beds | floor_area.
    pub change_field: Option<String>,
    pub change_name: String,
    pub changed_on: String,
    pub filed_on: String,
    /// Filed after its period (10 working days after the change).
    pub late: bool,
    pub name: String,
    pub representative: String,
    pub beds: i64,
    pub floor_area: i64,
    pub address: String,
    pub division: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionDto {
    pub id: i64,
    pub done_on: String,
    /// conforms | rectify
    pub result: String,
    pub result_name: String,
    pub findings: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionDto {
    pub id: i64,
    pub revision: i64,
    /// The filing case.
    pub case_id: i64,
    pub name: String,
    pub credit_code: String,
    pub representative: String,
    /// public | private | public_private
    pub institution_type: String,
    pub institution_type_name: String,
    pub beds: i64,
    pub floor_area: i64,
    pub address: String,
    /// The premises' division code.
    pub division: String,
    pub division_name: String,
    /// The window that accepted the filing.
    pub accepting: String,
    pub accepting_name: String,
    /// operating | suspended | closed
    pub status: String,
    pub status_name: String,
    pub filed_on: String,
    pub inspection: InspectionStateDto,
    pub versions: Vec<VersionDto>,
    pub inspections: Vec<InspectionDto>,
    /// 暂停、终止、恢复服务的报告（先后顺序）.
    pub status_changes: Vec<StatusChangeDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ElderlyCareLineDto)]
pub struct LineDto {
    pub id: i64,
    pub name: String,
    pub institution_type_name: String,
    pub beds: i64,
    pub division: String,
    pub division_name: String,
    pub status_name: String,
    pub filed_on: String,
    pub inspection: InspectionStateDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ElderlyCareListDto)]
pub struct ListDto {
    pub items: Vec<LineDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsRowDto {
    pub county: String,
    pub county_name: String,
    pub institution_type: String,
    pub institution_type_name: String,
    pub institutions: u32,
    pub beds: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ElderlyCareStatsDto)]
pub struct StatsDto {
    pub year: i32,
    /// Serving institutions and their beds in the jurisdiction.
    pub institutions: u32,
    pub beds: i64,
    /// Filings in the year.
    pub filings: u32,
    pub inspections_done: u32,
    pub inspections_overdue: u32,
    pub rows: Vec<StatsRowDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicLineDto {
    pub name: String,
    pub division: String,
    pub address: String,
    pub beds: i64,
    pub institution_type: String,
    pub filed_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicDto {
    pub items: Vec<PublicLineDto>,
}

fn divisions() -> &'static domain::division::Divisions {
    domain::division::Divisions::builtin()
}

fn name_of(code: &str) -> String {
    domain::division::DivisionCode::parse(code)
        .ok()
        .and_then(|c| divisions().full_name(&c))
        .unwrap_or_else(|| code.to_string())
}

pub(super) fn state_dto(state: InspectionState) -> InspectionStateDto {
    let (key, due, done_on) = match state {
        InspectionState::Due { due } => ("due", Some(due), None),
        InspectionState::Overdue { due } => ("overdue", Some(due), None),
        InspectionState::Done { on, .. } => ("done", None, Some(on)),
    };
    InspectionStateDto {
        state: key.into(),
        state_name: state.name_zh().into(),
        due: due.map(|d| d.to_string()),
        done_on: done_on.map(|d| d.to_string()),
    }
}

impl From<InstitutionView> for InstitutionDto {
    fn from(v: InstitutionView) -> InstitutionDto {
        let r = &v.full.row;
        let i = &r.institution;
        InstitutionDto {
            id: r.id,
            revision: r.revision,
            case_id: r.case_id,
            name: i.name.clone(),
            credit_code: i.credit_code.clone(),
            representative: i.representative.clone(),
            institution_type: i.institution_type.as_str().into(),
            institution_type_name: i.institution_type.name_zh().into(),
            beds: i.beds,
            floor_area: i.floor_area,
            address: i.address.clone(),
            division: i.premises_division.to_string(),
            division_name: name_of(i.premises_division.as_str()),
            accepting: r.accepting.clone(),
            accepting_name: name_of(&r.accepting),
            status: i.status.as_str().into(),
            status_name: i.status.name_zh().into(),
            filed_on: r.filed_on.to_string(),
            inspection: state_dto(v.inspection),
            versions: v
                .full
                .versions
                .iter()
                .zip(v.late_changes.iter().chain(std::iter::repeat(&false)))
                .map(|(x, late)| VersionDto {
                    version: x.version,
                    change_field: x.change_field.map(|f| f.as_str().into()),
                    change_name: x.change_field.map_or("备案", |f| f.name_zh()).into(),
                    changed_on: x.changed_on.to_string(),
                    filed_on: x.filed_on.to_string(),
                    late: *late,
                    name: x.name.clone(),
                    representative: x.representative.clone(),
                    beds: x.beds,
                    floor_area: x.floor_area,
                    address: x.address.clone(),
                    division: x.division.clone(),
                })
                .collect(),
            status_changes: v
                .full
                .status_changes
                .iter()
                .map(|c| StatusChangeDto {
                    act: c.act.as_str().into(),
                    act_name: c.act.name_zh().into(),
                    reported_on: c.reported_on.to_string(),
                    effective_on: c.effective_on.to_string(),
                    residents: c.residents,
                    placement: c.placement.clone(),
                    reason: c.reason.clone(),
                    short_notice: c.short_notice(),
                })
                .collect(),
            inspections: v
                .full
                .inspections
                .iter()
                .map(|n| InspectionDto {
                    id: n.id,
                    done_on: n.done_on.to_string(),
                    result: n.result.as_str().into(),
                    result_name: n.result.name_zh().into(),
                    findings: n.findings.clone(),
                })
                .collect(),
        }
    }
}

impl From<RegisterEntry> for LineDto {
    fn from(e: RegisterEntry) -> LineDto {
        let i = &e.row.institution;
        LineDto {
            id: e.row.id,
            name: i.name.clone(),
            institution_type_name: i.institution_type.name_zh().into(),
            beds: i.beds,
            division: i.premises_division.to_string(),
            division_name: name_of(i.premises_division.as_str()),
            status_name: i.status.name_zh().into(),
            filed_on: e.row.filed_on.to_string(),
            inspection: state_dto(e.inspection),
        }
    }
}

fn stats_dto(year: i32, s: Stats) -> StatsDto {
    StatsDto {
        year,
        institutions: s.institutions,
        beds: s.beds,
        filings: s.filings,
        inspections_done: s.inspections_done,
        inspections_overdue: s.inspections_overdue,
        rows: s
            .by_county_type
            .iter()
            .map(|((county, kind), count)| StatsRowDto {
                county: county.clone(),
                county_name: name_of(county),
                institution_type: kind.as_str().into(),
                institution_type_name: kind.name_zh().into(),
                institutions: count.institutions,
                beds: count.beds,
            })
            .collect(),
    }
}

impl From<PublicEntry> for PublicLineDto {
    fn from(e: PublicEntry) -> PublicLineDto {
        PublicLineDto {
            name: e.name,
            division: e.division,
            address: e.address,
            beds: e.beds,
            institution_type: e.institution_type.into(),
            filed_on: e.filed_on.to_string(),
        }
    }
}

/// The register of the caller's jurisdiction, with each institution's inspection today.
#[utoipa::path(
    get,
    path = "/api/v1/elderly-care/institutions",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "养老机构名册", body = ListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<ListDto>> {
    let entries = state.app.elderly_care_register(&user.actor).await?;
    Ok(Json(ListDto { items: entries.into_iter().map(Into::into).collect() }))
}

/// The register of the caller's jurisdiction as an Excel workbook (one row per institution).
#[utoipa::path(
    get,
    path = "/api/v1/elderly-care/register.xlsx",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "养老机构名册（xlsx 文件）", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn register_xlsx(State(state): State<AppState>, user: AuthUser) -> AppResult<impl IntoResponse> {
    let entries = state.app.elderly_care_register(&user.actor).await?;
    let divisions = state.app.divisions();
    let place = |code: &str| {
        domain::division::DivisionCode::parse(code)
            .ok()
            .and_then(|c| divisions.full_name(&c))
            .unwrap_or_else(|| code.to_string())
    };
    let bytes = super::xlsx::register_workbook(&entries, place)
        .map_err(|e| crate::error::AppError::internal(format!("xlsx: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"elderly-care-institutions.xlsx\"".to_string()),
        ],
        bytes,
    ))
}

/// One institution: its register entry, dated versions and inspections.
#[utoipa::path(
    get,
    path = "/api/v1/elderly-care/institutions/{id}",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    responses(
        (status = 200, description = "养老机构档案", body = InstitutionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "养老机构不存在", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<InstitutionDto>> {
    Ok(Json(state.app.elderly_care_institution(&user.actor, id).await?.into()))
}

/// Files a change of a filed matter: a new dated version of the institution.
#[utoipa::path(
    post,
    path = "/api/v1/elderly-care/institutions/{id}/changes",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    request_body = ChangeBody,
    responses(
        (status = 201, description = "已变更备案", body = InstitutionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "养老机构不存在", body = ErrorBody),
        (status = 409, description = "`elderly_care_conflict`：档案已变化", body = ErrorBody),
        (status = 422, description = "变更事项、内容或日期不符（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ChangeBody>,
) -> AppResult<(StatusCode, Json<InstitutionDto>)> {
    let input = ChangeInput {
        field: body.field,
        value: body.value,
        premises_division: body.premises_division.unwrap_or_default(),
        changed_on: body.changed_on,
    };
    let view = state.app.elderly_care_change(&user.actor, id, body.expected_revision, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Records a post-filing on-site inspection and what it found.
#[utoipa::path(
    post,
    path = "/api/v1/elderly-care/institutions/{id}/inspections",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    request_body = InspectionBody,
    responses(
        (status = 201, description = "已记录现场检查", body = InstitutionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "养老机构不存在", body = ErrorBody),
        (status = 409, description = "`elderly_care_conflict`：档案已变化", body = ErrorBody),
        (status = 422, description = "检查日期、结论或情况不符（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn inspect(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<InspectionBody>,
) -> AppResult<(StatusCode, Json<InstitutionDto>)> {
    let input =
        InspectionInput { done_on: body.done_on, result: body.result, findings: body.findings.unwrap_or_default() };
    let view = state.app.elderly_care_inspect(&user.actor, id, body.expected_revision, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Records a suspension, closure or resumption the institution reported, with the residents'
/// resettlement plan; a notice shorter than 60 days before the stop is recorded and flagged.
#[utoipa::path(
    post,
    path = "/api/v1/elderly-care/institutions/{id}/status",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "养老机构编号")),
    request_body = StatusBody,
    responses(
        (status = 201, description = "已记录", body = InstitutionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "养老机构不存在", body = ErrorBody),
        (status = 409, description = "`elderly_care_conflict`：档案已变化", body = ErrorBody),
        (status = 422, description = "事项、日期、人数或安置方案不符（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<StatusBody>,
) -> AppResult<(StatusCode, Json<InstitutionDto>)> {
    let input = StatusInput {
        act: body.act,
        reported_on: body.reported_on,
        effective_on: body.effective_on,
        residents: body.residents.unwrap_or_default(),
        placement: body.placement.unwrap_or_default(),
        reason: body.reason.unwrap_or_default(),
    };
    let view = state.app.elderly_care_status(&user.actor, id, body.expected_revision, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The post-filing inspections still to do in the caller's jurisdiction, overdue first.
#[utoipa::path(
    get,
    path = "/api/v1/elderly-care/inspections/due",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "待检查、逾期未检查的养老机构", body = ListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn due(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<ListDto>> {
    let entries = state.app.elderly_care_due(&user.actor).await?;
    Ok(Json(ListDto { items: entries.into_iter().map(Into::into).collect() }))
}

/// Institutions and beds by county and type, filings in the year, inspections done and overdue.
#[utoipa::path(
    get,
    path = "/api/v1/elderly-care/stats",
    tag = "elderly_care",
    security(("bearer" = []), ("cookie" = [])),
    params(StatsQuery),
    responses(
        (status = 200, description = "养老机构统计", body = StatsDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无统计权限", body = ErrorBody),
        (status = 422, description = "年度无效", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<StatsQuery>,
) -> AppResult<Json<StatsDto>> {
    let stats = state.app.elderly_care_stats(&user.actor, query.year).await?;
    Ok(Json(stats_dto(query.year, stats)))
}

/// The filed institutions that serve, as the public may see them.
#[utoipa::path(
    get,
    path = "/api/v1/elderly-care/public",
    tag = "elderly_care",
    responses((status = 200, description = "已备案养老机构名单", body = PublicDto))
)]
pub async fn public(State(state): State<AppState>) -> AppResult<Json<PublicDto>> {
    let entries = state.app.elderly_care_public().await?;
    Ok(Json(PublicDto { items: entries.into_iter().map(Into::into).collect() }))
}

pub(super) fn stats_for_page(year: i32, s: Stats) -> StatsDto {
    stats_dto(year, s)
}
