//! The JSON API of the register under `/api/v1/organizations/…`. Thin: each handler passes the
//! raw values to the service's one parser (the pages use the same) and converts to a DTO.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use domain::verticals::social_organization::branch::BranchKind;
use domain::verticals::social_organization::decoupling::{DecouplingStatus, Separation};
use domain::verticals::social_organization::inspection::InspectionResult;
use domain::verticals::social_organization::{DirectCategory, Level, OrgStatus, OrgType};
use serde::{Deserialize, Serialize};
use service::verticals::social_organization::enforcement::{OpenCasesForm, OpenedCases};
use service::verticals::social_organization::register::{
    BranchCloseForm, BranchForm, Campaign, DecouplingLine, InspectionForm, OrgView, RegisterQuery, RegisterStats,
    SeparationForm,
};
use service::verticals::social_organization::{Announcement, OrgRow};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 名称或统一社会信用代码的一部分.
    pub q: Option<String>,
    /// social_group | private_non_enterprise | foundation
    pub org_type: Option<String>,
    /// normal | revoked | deregistered
    pub status: Option<String>,
}

impl ListQuery {
    pub fn input(&self) -> RegisterQuery {
        RegisterQuery {
            q: self.q.clone().unwrap_or_default(),
            org_type: self.org_type.clone().unwrap_or_default(),
            status: self.status.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// 年检年度，例如 2021（该年3月31日、5月31日报送）.
    pub year: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OrgInspectionBody)]
pub struct InspectionBody {
    /// 年检年度，例如 2021.
    pub year: String,
    /// YYYY-MM-DD: 报送业务主管单位初审的日期（直接登记的不填）.
    pub to_sponsor_on: Option<String>,
    /// YYYY-MM-DD: 报送登记管理机关的日期.
    pub to_authority_on: Option<String>,
    /// pass | basic_pass | fail
    pub result: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeparationBody {
    /// 原主管行政机关.
    pub former_organ: String,
    /// institution | function | assets_finance | personnel | party_foreign_affairs
    pub separation: String,
    /// YYYY-MM-DD
    pub done_on: String,
    /// 证明材料（文件名称或文号）.
    pub evidence: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchBody {
    /// branch（分支机构）| representative（代表机构）
    pub kind: String,
    /// 名称.
    pub name: String,
    /// 负责人.
    pub principal: String,
    /// 住所（活动场所）.
    pub address: String,
    /// yes：按行政区域设立（社会团体不得设立地域性分支机构）；no 或不填：否.
    pub regional: Option<String>,
    /// 由本会的哪个分支机构设立（填名称）；不填：由社会组织本身设立.
    pub opened_by_branch: Option<String>,
    /// YYYY-MM-DD: 设立日期.
    pub opened_on: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchCloseBody {
    /// 要注销的分支机构、代表机构的名称.
    pub name: String,
    /// YYYY-MM-DD: 注销日期.
    pub closed_on: String,
    /// 注销原因（社会团体的决议）.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BranchDto {
    /// branch | representative
    pub kind: String,
    /// 分支机构 | 代表机构
    pub kind_name: String,
    pub name: String,
    pub principal: String,
    pub address: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgDto {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub org_type: String,
    pub org_type_name: String,
    pub level: String,
    pub level_name: String,
    /// 直接登记类别; null: 经业务主管单位审查同意.
    pub category: Option<String>,
    pub category_name: Option<String>,
    pub sponsor: Option<String>,
    pub address: String,
    pub premises_division: String,
    pub legal_representative: String,
    pub funds_fen: i64,
    pub individual_members: i64,
    pub unit_members: i64,
    pub registered_on: String,
    pub status: String,
    pub status_name: String,
    pub ended_on: Option<String>,
}

impl From<&OrgRow> for OrgDto {
    fn from(o: &OrgRow) -> OrgDto {
        let category = o.category.as_deref().and_then(DirectCategory::parse);
        OrgDto {
            id: o.id,
            credit_code: o.credit_code.clone(),
            name: o.name.clone(),
            org_type: o.org_type.clone(),
            org_type_name: OrgType::parse(&o.org_type).map_or("", |t| t.name_zh()).into(),
            level: o.level.clone(),
            level_name: Level::parse(&o.level).map_or("", |l| l.name_zh()).into(),
            category: category.map(|c| c.as_str().into()),
            category_name: category.map(|c| c.name_zh().into()),
            sponsor: o.sponsor.clone(),
            address: o.address.clone(),
            premises_division: o.premises_division.clone(),
            legal_representative: o.legal_rep_name.clone(),
            funds_fen: o.funds_fen,
            individual_members: o.individual_members,
            unit_members: o.unit_members,
            registered_on: o.registered_on.to_string(),
            status: o.status.clone(),
            status_name: OrgStatus::parse(&o.status).map_or("", |s| s.name_zh()).into(),
            ended_on: o.ended_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgListDto)]
pub struct ListDto {
    pub items: Vec<OrgDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgVersionDto)]
pub struct VersionDto {
    pub valid_from: String,
    /// establish | name | address | legal_rep | other | deregister
    pub change_kind: String,
    pub name: String,
    pub address: String,
    pub legal_representative: String,
    pub funds_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgInspectionDto)]
pub struct InspectionDto {
    pub year: i32,
    pub to_sponsor_on: Option<String>,
    pub to_authority_on: Option<String>,
    pub result: Option<String>,
    pub result_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeparationDto {
    pub separation: String,
    pub name: String,
    pub done_on: String,
    pub evidence: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgFullDto {
    pub organization: OrgDto,
    pub versions: Vec<VersionDto>,
    pub inspections: Vec<InspectionDto>,
    pub former_organ: Option<String>,
    pub separations: Vec<SeparationDto>,
    /// 分支机构、代表机构（社团条例第十七条）.
    pub branches: Vec<BranchDto>,
    /// 未启动 | 推进中 | 已完成脱钩
    pub decoupling: String,
    /// 社团条例第二十九条：自取得登记证书之日起1年未开展活动.
    pub flagged_dormant: bool,
}

pub(super) fn result_name(r: Option<&str>) -> Option<String> {
    r.and_then(InspectionResult::parse).map(|r| r.name_zh().to_string())
}

impl From<OrgView> for OrgFullDto {
    fn from(v: OrgView) -> OrgFullDto {
        OrgFullDto {
            organization: OrgDto::from(&v.full.org),
            versions: v
                .full
                .versions
                .iter()
                .map(|x| VersionDto {
                    valid_from: x.valid_from.to_string(),
                    change_kind: x.change_kind.clone(),
                    name: x.version.name.clone(),
                    address: x.version.address.clone(),
                    legal_representative: x.version.legal_rep_name.clone(),
                    funds_fen: x.version.funds_fen,
                })
                .collect(),
            inspections: v.full.inspections.iter().map(inspection_dto).collect(),
            former_organ: v.full.separations.first().map(|s| s.former_organ.clone()),
            separations: v
                .full
                .separations
                .iter()
                .map(|s| SeparationDto {
                    separation: s.separation.clone(),
                    name: Separation::parse(&s.separation).map_or("", |x| x.name_zh()).into(),
                    done_on: s.done_on.to_string(),
                    evidence: s.evidence.clone(),
                })
                .collect(),
            branches: v
                .full
                .branches
                .iter()
                .map(|b| BranchDto {
                    kind: b.kind.clone(),
                    kind_name: BranchKind::parse(&b.kind).map_or("", |k| k.name_zh()).into(),
                    name: b.name.clone(),
                    principal: b.principal.clone(),
                    address: b.address.clone(),
                    opened_on: b.opened_on.to_string(),
                    closed_on: b.closed_on.map(|d| d.to_string()),
                })
                .collect(),
            decoupling: v.decoupling.name_zh().into(),
            flagged_dormant: v.dormant,
        }
    }
}

fn inspection_dto(i: &service::verticals::social_organization::InspectionRow) -> InspectionDto {
    InspectionDto {
        year: i.year,
        to_sponsor_on: i.to_sponsor_on.map(|d| d.to_string()),
        to_authority_on: i.to_authority_on.map(|d| d.to_string()),
        result: i.result.clone(),
        result_name: result_name(i.result.as_deref()),
    }
}

/// A figure with its label.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgCountDto)]
pub struct CountDto {
    pub name: String,
    pub count: usize,
}

fn count(name: &str, count: usize) -> CountDto {
    CountDto { name: name.to_string(), count }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignLineDto {
    pub organization: OrgDto,
    pub inspection: Option<InspectionDto>,
    /// 已报送 | 逾期报送 | 未到截止日 | 逾期未报送
    pub standing: String,
    /// 因未参加该年度年检而立案的行政处罚案件编号（调用者可查阅执法案件时）.
    pub enforcement_case: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignDto {
    pub year: i32,
    pub sponsor_deadline: String,
    pub authority_deadline: String,
    pub lines: Vec<CampaignLineDto>,
    /// 合格、基本合格、不合格 各多少.
    pub by_result: Vec<CountDto>,
    pub not_reported: usize,
}

impl CampaignDto {
    /// The campaign with the enforcement cases opened on it (organization id → case id).
    fn new(c: Campaign, opened: &std::collections::BTreeMap<i64, i64>) -> CampaignDto {
        CampaignDto {
            year: c.year,
            sponsor_deadline: c.sponsor_deadline.to_string(),
            authority_deadline: c.authority_deadline.to_string(),
            by_result: c.by_result().into_iter().map(|(r, n)| count(r.name_zh(), n)).collect(),
            not_reported: c.not_reported().count(),
            lines: c
                .lines
                .iter()
                .map(|l| CampaignLineDto {
                    organization: OrgDto::from(&l.org),
                    inspection: l.record.as_ref().map(inspection_dto),
                    standing: l.standing.name_zh().into(),
                    enforcement_case: opened.get(&l.org.id).copied(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecouplingLineDto {
    pub organization: OrgDto,
    pub former_organ: String,
    pub done: Vec<SeparationDto>,
    pub status: String,
    pub completed_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecouplingDto {
    pub items: Vec<DecouplingLineDto>,
    pub completed: usize,
}

impl From<Vec<DecouplingLine>> for DecouplingDto {
    fn from(lines: Vec<DecouplingLine>) -> DecouplingDto {
        let completed = lines.iter().filter(|l| matches!(l.status, DecouplingStatus::Completed { .. })).count();
        DecouplingDto {
            completed,
            items: lines
                .iter()
                .map(|l| DecouplingLineDto {
                    organization: OrgDto::from(&l.org),
                    former_organ: l.former_organ.clone(),
                    done: l
                        .done
                        .iter()
                        .map(|s| SeparationDto {
                            separation: s.separation.clone(),
                            name: Separation::parse(&s.separation).map_or("", |x| x.name_zh()).into(),
                            done_on: s.done_on.to_string(),
                            evidence: s.evidence.clone(),
                        })
                        .collect(),
                    status: l.status.name_zh().into(),
                    completed_on: match l.status {
                        DecouplingStatus::Completed { on } => Some(on.to_string()),
                        _ => None,
                    },
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TypePathDto {
    pub org_type: String,
    pub name: String,
    pub direct: usize,
    pub sponsored: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgStatsDto)]
pub struct StatsDto {
    pub by_type_and_path: Vec<TypePathDto>,
    pub by_status: Vec<CountDto>,
    pub inspection_year: i32,
    pub inspections_by_result: Vec<CountDto>,
    pub not_reported: usize,
    pub decoupled: usize,
    pub decoupling_in_progress: usize,
}

impl From<RegisterStats> for StatsDto {
    fn from(s: RegisterStats) -> StatsDto {
        StatsDto {
            by_type_and_path: s
                .by_type_path
                .iter()
                .map(|(t, d, sp)| TypePathDto {
                    org_type: t.as_str().into(),
                    name: t.name_zh().into(),
                    direct: *d,
                    sponsored: *sp,
                })
                .collect(),
            by_status: s.by_status.iter().map(|(st, n)| count(st.name_zh(), *n)).collect(),
            inspection_year: s.inspection_year,
            inspections_by_result: s.inspections.iter().map(|(r, n)| count(r.name_zh(), *n)).collect(),
            not_reported: s.not_reported,
            decoupled: s.decoupled,
            decoupling_in_progress: s.decoupling_in_progress,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementDto {
    pub on: String,
    /// 成立登记 | 名称变更 | 住所变更 | 法定代表人变更 | 注销登记
    pub kind: String,
    pub name: String,
    pub credit_code: String,
    pub org_type: String,
    pub address: String,
    pub legal_representative: String,
}

pub(super) fn announcement_kind(kind: &str) -> &'static str {
    match kind {
        "establish" => "成立登记",
        "name" => "名称变更",
        "address" => "住所变更",
        "legal_rep" => "法定代表人变更",
        "deregister" => "注销登记",
        _ => "变更登记",
    }
}

impl From<&Announcement> for AnnouncementDto {
    fn from(a: &Announcement) -> AnnouncementDto {
        AnnouncementDto {
            on: a.on.to_string(),
            kind: announcement_kind(&a.change_kind).into(),
            name: a.name.clone(),
            credit_code: a.credit_code.clone(),
            org_type: OrgType::parse(&a.org_type).map_or("", |t| t.name_zh()).into(),
            address: a.address.clone(),
            legal_representative: a.legal_rep_name.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementsDto {
    pub items: Vec<AnnouncementDto>,
}

fn year_or_current(state: &AppState, q: &YearQuery) -> String {
    q.year.clone().unwrap_or_else(|| chrono::Datelike::year(&state.app.today()).to_string())
}

/// The register of the caller's jurisdiction, filtered.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "社会组织登记名册", body = ListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "查询条件不正确", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ListQuery>,
) -> AppResult<Json<ListDto>> {
    let rows = state.app.social_orgs(&user.actor, &q.input()).await?;
    Ok(Json(ListDto { items: rows.iter().map(OrgDto::from).collect() }))
}

/// The register as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/organizations/register.xlsx", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "xlsx 文件", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "查询条件不正确", body = ErrorBody),
    ))]
pub async fn register_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ListQuery>,
) -> AppResult<impl IntoResponse> {
    let rows = state.app.social_orgs(&user.actor, &q.input()).await?;
    let bytes =
        super::xlsx::register_workbook(&rows).map_err(|e| crate::error::AppError::internal(format!("xlsx: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"social-organizations.xlsx\"".to_string()),
        ],
        bytes,
    ))
}

/// The annual inspection of a year: every organization with its reports and where it stands.
#[utoipa::path(get, path = "/api/v1/organizations/inspections", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "年检情况（含逾期未报送的名单）", body = CampaignDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "年度不正确", body = ErrorBody),
    ))]
pub async fn campaign(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<YearQuery>,
) -> AppResult<Json<CampaignDto>> {
    let year = year_or_current(&state, &q);
    let campaign = state.app.social_org_campaign(&user.actor, &year).await?;
    let opened = state.app.social_org_enforcement_cases(&user.actor, &campaign).await?;
    Ok(Json(CampaignDto::new(campaign, &opened)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OrgEnforcementBody)]
pub struct EnforcementBody {
    /// 年检年度，例如 2021.
    pub year: String,
    /// 从该年度逾期未报送名单中选择的社会组织编号.
    pub orgs: Vec<i64>,
    /// 执法人员名录中的执法人员编号，不少于两名（《中华人民共和国行政处罚法》第四十二条）.
    pub officers: Vec<i64>,
    /// 立案日期（YYYY-MM-DD），不填为今天；应在报送登记管理机关的截止日之后.
    pub filed_on: Option<String>,
}

impl EnforcementBody {
    fn input(&self) -> OpenCasesForm {
        OpenCasesForm {
            year: self.year.clone(),
            orgs: self.orgs.iter().map(i64::to_string).collect(),
            officers: self.officers.iter().map(i64::to_string).collect(),
            filed_on: self.filed_on.clone().unwrap_or_default(),
        }
    }
}

/// One organization and the enforcement case on it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgEnforcementCaseDto)]
pub struct EnforcementCaseDto {
    pub organization: i64,
    pub case: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrgEnforcementDto)]
pub struct EnforcementDto {
    /// 本次立案的.
    pub opened: Vec<EnforcementCaseDto>,
    /// 该年度此前已立案、本次未重复立案的.
    pub already: Vec<EnforcementCaseDto>,
}

impl From<OpenedCases> for EnforcementDto {
    fn from(o: OpenedCases) -> EnforcementDto {
        let dto = |v: Vec<(i64, i64)>| {
            v.into_iter().map(|(organization, case)| EnforcementCaseDto { organization, case }).collect()
        };
        EnforcementDto { opened: dto(o.opened), already: dto(o.already) }
    }
}

/// Opens an enforcement case (立案) on each chosen organization of the year's list of those that
/// did not report (《社会团体登记管理条例》第三十条第一款第三项; 《民办非企业单位登记管理暂行条例》
/// 第二十五条; 《基金会管理条例》第四十二条), through the enforcement area's 立案.
#[utoipa::path(post, path = "/api/v1/organizations/inspections/enforcement", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    request_body = EnforcementBody,
    responses(
        (status = 200, description = "已立案的和此前已立案的", body = EnforcementDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无立案权限，或该社会组织不在管辖范围内", body = ErrorBody),
        (status = 404, description = "社会组织不存在", body = ErrorBody),
        (status = 422, description = "不在逾期未报送名单中、执法人员不足两名、立案日期不正确（逐项 `problems`）", body = ErrorBody),
    ))]
pub async fn enforcement(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<EnforcementBody>,
) -> AppResult<Json<EnforcementDto>> {
    Ok(Json(state.app.open_social_org_enforcement(&user.actor, &body.input()).await?.into()))
}

/// The 行业协会商会 and their 脱钩.
#[utoipa::path(get, path = "/api/v1/organizations/decoupling", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "行业协会商会脱钩情况", body = DecouplingDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    ))]
pub async fn decoupling(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<DecouplingDto>> {
    Ok(Json(state.app.social_org_decoupling(&user.actor).await?.into()))
}

/// The register's figures.
#[utoipa::path(get, path = "/api/v1/organizations/stats", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "按类型和登记方式、年检结论、脱钩完成情况统计", body = StatsDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "年度不正确", body = ErrorBody),
    ))]
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<YearQuery>,
) -> AppResult<Json<StatsDto>> {
    let year = year_or_current(&state, &q);
    Ok(Json(state.app.social_org_stats(&user.actor, &year).await?.into()))
}

/// The 公告 (public): establishments, changes of name, address or legal representative, and
/// deregistrations (社团条例第二十三条; 民非条例第十八条).
#[utoipa::path(get, path = "/api/v1/organizations/announcements", tag = "organizations",
    responses((status = 200, description = "社会组织登记公告", body = AnnouncementsDto)))]
pub async fn announcements(State(state): State<AppState>) -> AppResult<Json<AnnouncementsDto>> {
    let items = state.app.social_org_announcements(200).await?;
    Ok(Json(AnnouncementsDto { items: items.iter().map(AnnouncementDto::from).collect() }))
}

/// One organization with its history; the read is recorded.
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    responses(
        (status = 200, description = "社会组织及其历次登记、年检、脱钩", body = OrgFullDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<OrgFullDto>> {
    Ok(Json(state.app.social_org(&user.actor, id).await?.into()))
}

/// Records an organization's annual inspection for a year.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/inspections", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body = InspectionBody,
    responses(
        (status = 201, description = "已记录", body = OrgFullDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
        (status = 422, description = "内容不正确（逐项 `problems`）", body = ErrorBody),
    ))]
pub async fn inspection(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<InspectionBody>,
) -> AppResult<(StatusCode, Json<OrgFullDto>)> {
    let form = InspectionForm {
        year: body.year,
        to_sponsor_on: body.to_sponsor_on.unwrap_or_default(),
        to_authority_on: body.to_authority_on.unwrap_or_default(),
        result: body.result.unwrap_or_default(),
    };
    state.app.record_social_org_inspection(&user.actor, id, &form).await?;
    Ok((StatusCode::CREATED, Json(state.app.social_org(&user.actor, id).await?.into())))
}

/// Records one of the five separations of an association's 脱钩.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/separations", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body = SeparationBody,
    responses(
        (status = 201, description = "已记录", body = OrgFullDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
        (status = 409, description = "该分离事项已登记", body = ErrorBody),
        (status = 422, description = "内容不正确（逐项 `problems`）", body = ErrorBody),
    ))]
pub async fn separation(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<SeparationBody>,
) -> AppResult<(StatusCode, Json<OrgFullDto>)> {
    let form = SeparationForm {
        former_organ: body.former_organ,
        separation: body.separation,
        done_on: body.done_on,
        evidence: body.evidence,
    };
    state.app.record_social_org_separation(&user.actor, id, &form).await?;
    Ok((StatusCode::CREATED, Json(state.app.social_org(&user.actor, id).await?.into())))
}

/// Enters a branch (分支机构) or representative office (代表机构) of an organization in the
/// register: refused for a 民办非企业单位, for a regional branch of a social group, and for one a
/// branch would open (社团条例第十七条; 民非条例第十三条).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/branches", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body = BranchBody,
    responses(
        (status = 201, description = "已记入名册", body = OrgFullDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
        (status = 409, description = "已有同名的分支机构，或该社会组织已被撤销、注销", body = ErrorBody),
        (status = 422, description = "内容不正确，或不得设立（逐项 `problems`，附依据）", body = ErrorBody),
    ))]
pub async fn branch(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<BranchBody>,
) -> AppResult<(StatusCode, Json<OrgFullDto>)> {
    let form = BranchForm {
        kind: body.kind,
        name: body.name,
        principal: body.principal,
        address: body.address,
        regional: body.regional.unwrap_or_default(),
        opened_by_branch: body.opened_by_branch.unwrap_or_default(),
        opened_on: body.opened_on,
    };
    state.app.record_social_org_branch(&user.actor, id, &form).await?;
    Ok((StatusCode::CREATED, Json(state.app.social_org(&user.actor, id).await?.into())))
}

/// Records the closing (注销) of a branch or representative office of an organization: the group
/// closes its own part (社团条例第十七条第一款); not before it opened, not on a day to come.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/branches/close", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body = BranchCloseBody,
    responses(
        (status = 200, description = "已记入名册", body = OrgFullDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
        (status = 409, description = "该分支机构、代表机构已经注销", body = ErrorBody),
        (status = 422, description = "内容不正确，没有这个分支机构，或注销日期不对（逐项 `problems`，附依据）", body = ErrorBody),
    ))]
pub async fn close_branch(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<BranchCloseBody>,
) -> AppResult<Json<OrgFullDto>> {
    let form = BranchCloseForm { name: body.name, closed_on: body.closed_on, reason: body.reason };
    state.app.close_social_org_branch(&user.actor, id, &form).await?;
    Ok(Json(state.app.social_org(&user.actor, id).await?.into()))
}
