//! The JSON API of 行政执法 under `/api/v1/enforcement/…`. Thin: each handler parses with the
//! domain's parsers (`NewOfficer::parse`, `ActInput::parse`, the organization and person parsers
//! of 立案), calls the service and converts to a DTO.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use domain::organization::OrganizationInput;
use domain::person::PersonInput;
use domain::verticals::enforcement::input::kind_name;
use domain::verticals::enforcement::procedure::REVIEW_CHECKLIST;
use domain::verticals::enforcement::{penalty_text, ActInput, OfficerInput};
use serde::{Deserialize, Serialize};
use service::verticals::enforcement::{CaseView, FileInput, OfficerRow, Party, Publication};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// A register entry as the heads enter it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerBody {
    /// The enforcement body's division code, e.g. 511700.
    pub division: String,
    pub name: String,
    /// 执法证号: letters, digits and `-`.
    pub certificate_no: String,
    /// 执法区域.
    pub area: String,
    /// 发证机关.
    pub issued_by: String,
    /// YYYY-MM-DD
    pub valid_from: String,
    /// YYYY-MM-DD (inclusive).
    pub valid_until: String,
    /// 培训学时, 0–10000.
    pub training_hours: Option<String>,
    /// 法律职业资格 (行政处罚法 第五十八条).
    pub legal_qualification: Option<bool>,
    /// 职责, for the public page.
    pub duties: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerDto {
    pub id: i64,
    pub division: String,
    pub name: String,
    pub certificate_no: String,
    pub area: String,
    pub issued_by: String,
    pub valid_from: String,
    pub valid_until: String,
    pub training_hours: i64,
    pub legal_qualification: bool,
    pub suspended: bool,
    pub duties: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficersDto {
    pub items: Vec<OfficerDto>,
}

/// An officer on the public page: name, 证号, area and duties (国办发〔2018〕118号 事前公示).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOfficerDto {
    pub name: String,
    pub certificate_no: String,
    pub area: String,
    pub duties: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOfficersDto {
    pub items: Vec<PublicOfficerDto>,
}

/// The organization a case is against (by its 统一社会信用代码, GB 32100-2015).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationBody {
    pub name: String,
    pub credit_code: String,
    pub representative: Option<String>,
    /// 住所地 division code.
    pub division: String,
}

/// A person a case is against (stored in the persons store, SM4 at rest).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// 户籍地 division code.
    pub division: String,
}

/// 立案 (行政处罚法 第五十四条).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileBody {
    /// The enforcement body's division code.
    pub division: String,
    /// Exactly one of `organization` and `person`.
    pub organization: Option<OrganizationBody>,
    pub person: Option<PersonBody>,
    /// 案由.
    pub violation: String,
    /// YYYY-MM-DD; today when absent.
    pub filed_on: Option<String>,
    /// YYYY-MM-DD: the day the act ended (第三十六条).
    pub act_ended_on: String,
    /// 第三十六条: harm to life, health or financial safety (five years' limitation).
    pub harmful: Option<bool>,
    /// 第五十八条: a major case (法制审核 and 集体讨论 before the decision).
    pub major: Option<bool>,
    /// Register ids of the officers assigned (at least two, 第四十二条).
    pub officers: Vec<i64>,
}

/// An act on a case; the fields its kind does not use are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EnforcementActBody)]
pub struct ActBody {
    /// record | recusal | preserve | preservation_decision | notify | statement | hearing_request |
    /// hearing_notice | hearing | review | discussion | decide | serve | pay | publish | revoked |
    /// withdraw | close
    pub kind: String,
    /// YYYY-MM-DD
    pub on: String,
    /// Register ids of the officers acting (two on site, 第四十二条).
    pub officers: Option<Vec<i64>>,
    pub on_site: Option<bool>,
    pub title: Option<String>,
    pub officer: Option<i64>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    /// warning | fine | confiscation | suspension | revocation
    pub penalty: Option<String>,
    /// Yuan.
    pub amount: Option<String>,
    pub summary: Option<String>,
    /// YYYY-MM-DD
    pub hearing_on: Option<String>,
    pub chair: Option<i64>,
    pub reviewer: Option<i64>,
    /// One answer per item of the 法制审核 checklist (8, in order).
    pub checklist: Option<Vec<bool>>,
    pub note: Option<String>,
    pub minutes: Option<String>,
    pub dissent: Option<String>,
    pub facts: Option<String>,
    pub basis: Option<String>,
    /// reconsideration | litigation
    pub revoked_by: Option<String>,
    /// At a hearing (行政处罚法第六十四条第八项): signed | refused (the party or his agent refused to
    /// sign or seal the record; `note` is then the chair's note).
    pub signature: Option<String>,
    /// The case's revision the client saw: a case changed since is 409 `enforcement_conflict`.
    pub expected_revision: i64,
}

impl ActBody {
    fn input(self) -> (i64, ActInput) {
        (
            self.expected_revision,
            ActInput {
                kind: self.kind,
                on: self.on,
                officers: self.officers.unwrap_or_default(),
                on_site: self.on_site.unwrap_or(false),
                title: self.title.unwrap_or_default(),
                officer: self.officer,
                reason: self.reason.unwrap_or_default(),
                approved_by: self.approved_by.unwrap_or_default(),
                penalty: self.penalty.unwrap_or_default(),
                amount: self.amount.unwrap_or_default(),
                summary: self.summary.unwrap_or_default(),
                hearing_on: self.hearing_on.unwrap_or_default(),
                chair: self.chair,
                reviewer: self.reviewer,
                checklist: self.checklist.unwrap_or_default(),
                note: self.note.unwrap_or_default(),
                minutes: self.minutes.unwrap_or_default(),
                dissent: self.dissent.unwrap_or_default(),
                facts: self.facts.unwrap_or_default(),
                basis: self.basis.unwrap_or_default(),
                revoked_by: self.revoked_by.unwrap_or_default(),
                signature: self.signature.unwrap_or_default(),
            },
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnforcementActDto)]
pub struct ActDto {
    pub kind: String,
    pub name: String,
    pub on: String,
    /// The act as recorded (its fields by kind).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// The deadlines on the day read; absent where the period has not started or is over.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlinesDto {
    /// 第六十条: 90 days from 立案.
    pub decision_due: Option<String>,
    /// 第五十六条: 7 working days.
    pub preservation_decision_due: Option<String>,
    /// 第六十四条: 5 working days after the notice.
    pub hearing_request_due: Option<String>,
    /// 第六十一条: 7 working days.
    pub service_due: Option<String>,
    /// 第六十七条: 15 days after service.
    pub payment_due: Option<String>,
    /// 第四十八条: 7 working days.
    pub publication_due: Option<String>,
    /// 第四十八条第二款: 3 working days.
    pub withdrawal_due: Option<String>,
    /// 第七十二条: the surcharge on the unpaid fine today, in fen.
    pub surcharge_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountabilityDto {
    pub opened_on: String,
    /// Register ids of the officers of record.
    pub officers: Vec<i64>,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnforcementCaseDto)]
pub struct CaseDto {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    /// organization | person
    pub party_kind: String,
    /// An organization's name; a person's name masked.
    pub party: String,
    pub violation: String,
    pub filed_on: String,
    pub major: bool,
    pub officers: Vec<i64>,
    /// investigating | notified | hearing | review | decided | served | closed
    pub stage: String,
    pub stage_name: String,
    pub deadlines: DeadlinesDto,
    pub acts: Vec<ActDto>,
    pub accountability: Option<AccountabilityDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CasesDto {
    pub items: Vec<CaseDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnforcementDecisionDto)]
pub struct DecisionDto {
    pub case_id: i64,
    pub division: String,
    pub party: String,
    pub violation: String,
    pub penalty: String,
    pub decided_on: String,
    pub published_on: String,
    /// The last day on the public page.
    pub ends_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionsDto {
    pub items: Vec<DecisionDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnforcementCountDto)]
pub struct CountDto {
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnforcementStatsDto)]
pub struct StatsDto {
    pub year: i32,
    pub cases: usize,
    pub by_stage: Vec<CountDto>,
    pub by_outcome: Vec<CountDto>,
    pub fines_fen: i64,
    pub reviews_passed: usize,
    pub reviews_returned: usize,
    pub hearings: usize,
    pub accountability_reviews: usize,
    pub decided: usize,
    pub decided_in_time: usize,
    pub longest_days: i64,
    pub officers_credentialed: usize,
    /// The 法制审核 checklist the reviews work through (国办发〔2018〕118号).
    pub checklist: Vec<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year of 立案, e.g. 2021.
    pub year: i32,
}

fn officer_dto(r: OfficerRow) -> OfficerDto {
    let o = r.officer;
    OfficerDto {
        id: o.id,
        division: r.division,
        name: o.name,
        certificate_no: o.certificate_no,
        area: o.area,
        issued_by: o.issued_by,
        valid_from: o.valid_from.to_string(),
        valid_until: o.valid_until.to_string(),
        training_hours: o.training_hours,
        legal_qualification: o.legal_qualification,
        suspended: o.suspended,
        duties: r.duties,
    }
}

impl From<CaseView> for CaseDto {
    fn from(v: CaseView) -> CaseDto {
        let c = &v.full.case;
        let (party_kind, party) = match &c.party {
            Party::Organization { name, .. } => ("organization", name.clone()),
            Party::Person { name, .. } => ("person", domain::person::mask_name(name)),
        };
        let d = |x: Option<NaiveDate>| x.map(|d| d.to_string());
        CaseDto {
            id: c.id,
            division: c.division.clone(),
            revision: c.revision,
            party_kind: party_kind.into(),
            party,
            violation: c.violation.clone(),
            filed_on: c.filing.filed_on.to_string(),
            major: c.filing.major,
            officers: c.filing.officers.clone(),
            stage: v.stage.as_str().into(),
            stage_name: v.stage.name_zh().into(),
            deadlines: DeadlinesDto {
                decision_due: d(v.deadlines.decision_due),
                preservation_decision_due: d(v.deadlines.preservation_decision_due),
                hearing_request_due: d(v.deadlines.hearing_request_due),
                service_due: d(v.deadlines.service_due),
                payment_due: d(v.deadlines.payment_due),
                publication_due: d(v.deadlines.publication_due),
                withdrawal_due: d(v.deadlines.withdrawal_due),
                surcharge_fen: v.deadlines.surcharge_fen,
            },
            acts: v
                .file
                .acts
                .iter()
                .map(|a| {
                    let mut detail = serde_json::to_value(a).unwrap_or_default();
                    if let Some(obj) = detail.as_object_mut() {
                        obj.remove("kind");
                    }
                    ActDto { kind: a.kind().into(), name: kind_name(a.kind()).into(), on: a.on().to_string(), detail }
                })
                .collect(),
            accountability: v.full.accountability.as_ref().map(|a| AccountabilityDto {
                opened_on: a.opened_on.to_string(),
                officers: a.officers.clone(),
                reason: a.reason.clone(),
            }),
        }
    }
}

fn decision_dto(p: Publication) -> DecisionDto {
    DecisionDto {
        case_id: p.case_id,
        division: p.division,
        party: p.party,
        violation: p.violation,
        penalty: penalty_text(&p.penalty),
        decided_on: p.decided_on.to_string(),
        published_on: p.published_on.to_string(),
        ends_on: p.ends_on.map(|d| d.to_string()),
    }
}

/// The officers' register of the caller's jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/officers",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "执法人员名录", body = OfficersDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn officers(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<OfficersDto>> {
    let rows = state.app.enforcement_officers(&user.actor).await?;
    Ok(Json(OfficersDto { items: rows.into_iter().map(officer_dto).collect() }))
}

/// Adds an officer to the register (the heads of the body).
#[utoipa::path(
    post,
    path = "/api/v1/enforcement/officers",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    request_body = OfficerBody,
    responses(
        (status = 201, description = "已登记", body = OfficersDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权限", body = ErrorBody),
        (status = 409, description = "`certificate_taken`：执法证号已登记", body = ErrorBody),
        (status = 422, description = "逐项 `problems`", body = ErrorBody),
    )
)]
pub async fn add_officer(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<OfficerBody>,
) -> AppResult<(StatusCode, Json<OfficersDto>)> {
    let input = OfficerInput {
        name: body.name,
        certificate_no: body.certificate_no,
        area: body.area,
        issued_by: body.issued_by,
        valid_from: body.valid_from,
        valid_until: body.valid_until,
        training_hours: body.training_hours.unwrap_or_default(),
        legal_qualification: body.legal_qualification.unwrap_or(false),
    };
    let id = state
        .app
        .enforcement_add_officer(&user.actor, &body.division, &input, body.duties.as_deref().unwrap_or(""))
        .await?;
    let rows = state.app.enforcement_officers(&user.actor).await?;
    let items = rows.into_iter().filter(|r| r.officer.id == id).map(officer_dto).collect();
    Ok((StatusCode::CREATED, Json(OfficersDto { items })))
}

/// The cases of the caller's jurisdiction with their stages and deadlines (the workbench).
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/cases",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "案件列表", body = CasesDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn cases(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<CasesDto>> {
    let views = state.app.enforcement_cases(&user.actor).await?;
    Ok(Json(CasesDto { items: views.into_iter().map(Into::into).collect() }))
}

/// 立案 (行政处罚法 第五十四条): the limitation (第三十六条) and two credentialed officers
/// (第四十二条) checked.
#[utoipa::path(
    post,
    path = "/api/v1/enforcement/cases",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    request_body = FileBody,
    responses(
        (status = 201, description = "已立案，含期限", body = CaseDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权限", body = ErrorBody),
        (status = 422, description = "`limitation_expired`、`two_officers`、`credential_invalid`…（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn file(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<FileBody>,
) -> AppResult<(StatusCode, Json<CaseDto>)> {
    let input = FileInput {
        division: body.division,
        organization: body.organization.map(|o| OrganizationInput {
            name: o.name,
            credit_code: o.credit_code,
            representative: o.representative,
            division: o.division,
        }),
        person: body.person.map(|p| PersonInput {
            name: p.name,
            id_number: p.id_number,
            phone: p.phone,
            address: p.address,
            division: p.division,
        }),
        violation: body.violation,
        filed_on: body.filed_on.unwrap_or_default(),
        act_ended_on: body.act_ended_on,
        harmful: body.harmful.unwrap_or(false),
        major: body.major.unwrap_or(false),
        officers: body.officers,
    };
    let id = state.app.enforcement_file(&user.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(state.app.enforcement_case(&user.actor, id).await?.into())))
}

/// One case with its acts, stage and deadlines (the read is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/cases/{id}",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "案件编号")),
    responses(
        (status = 200, description = "案件", body = CaseDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
    )
)]
pub async fn case(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CaseDto>> {
    Ok(Json(state.app.enforcement_case(&user.actor, id).await?.into()))
}

/// Records an act; a refused act is recorded too, and refused with its legal basis.
#[utoipa::path(
    post,
    path = "/api/v1/enforcement/cases/{id}/acts",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "案件编号")),
    request_body = ActBody,
    responses(
        (status = 201, description = "已记录，含重新计算的期限", body = CaseDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权限", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
        (status = 409, description = "`enforcement_conflict`：案件已变化", body = ErrorBody),
        (status = 422, description = "`two_officers`、`credential_invalid`、`officer_recused`、`review_required`、`reviewer_investigated`、`reviewer_unqualified`、`penalty_raised`、`decision_late`…", body = ErrorBody),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActBody>,
) -> AppResult<(StatusCode, Json<CaseDto>)> {
    let (revision, input) = body.input();
    let view = state.app.enforcement_act_input(&user.actor, id, revision, &input, None).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The enforcement figures of the caller's jurisdiction for the cases filed in a year.
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/stats",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "统计", body = StatsDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "年份不正确", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<StatsDto>> {
    let (Some(from), Some(to)) =
        (NaiveDate::from_ymd_opt(query.year, 1, 1), NaiveDate::from_ymd_opt(query.year, 12, 31))
    else {
        return Err(service::ServiceError::invalid(vec![domain::problem::FieldError::new(
            "year",
            "year_range",
            "年份不正确",
        )])
        .into());
    };
    if !(2000..=2100).contains(&query.year) {
        return Err(service::ServiceError::invalid(vec![domain::problem::FieldError::new(
            "year",
            "year_range",
            "年份应在2000至2100之间",
        )])
        .into());
    }
    let s = state.app.enforcement_stats(&user.actor, from, to).await?;
    let counts = |m: std::collections::BTreeMap<&str, usize>| {
        m.into_iter().map(|(label, count)| CountDto { label: label.into(), count }).collect()
    };
    Ok(Json(StatsDto {
        year: query.year,
        cases: s.cases,
        by_stage: counts(s.by_stage),
        by_outcome: counts(s.by_outcome),
        fines_fen: s.fines_fen,
        reviews_passed: s.reviews_passed,
        reviews_returned: s.reviews_returned,
        hearings: s.hearings,
        accountability_reviews: s.accountability_reviews,
        decided: s.decided,
        decided_in_time: s.decided_in_time,
        longest_days: s.longest_days,
        officers_credentialed: s.officers_credentialed,
        checklist: REVIEW_CHECKLIST.iter().map(|c| c.to_string()).collect(),
    }))
}

/// 事前公示 (国办发〔2018〕118号): the officers of a body holding a valid credential. Public.
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/public/{code}/officers",
    tag = "enforcement",
    params(("code" = String, Path, description = "执法机关所在行政区划代码")),
    responses(
        (status = 200, description = "执法人员", body = PublicOfficersDto),
        (status = 400, description = "行政区划代码格式不正确（`invalid_path`）", body = ErrorBody),
        (status = 422, description = "行政区划代码不存在", body = ErrorBody),
    )
)]
pub async fn public_officers(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<PublicOfficersDto>> {
    crate::routes::divisions::parse_code("code", &code)?;
    let rows = state.app.enforcement_public_officers(&code).await?;
    let items = rows
        .into_iter()
        .map(|r| PublicOfficerDto {
            name: r.officer.name,
            certificate_no: r.officer.certificate_no,
            area: r.officer.area,
            duties: r.duties,
        })
        .collect();
    Ok(Json(PublicOfficersDto { items }))
}

/// 事后公示 (行政处罚法 第四十八条): the decisions published and not withdrawn; organizations
/// by name, persons masked. Public.
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/public/{code}/decisions",
    tag = "enforcement",
    params(("code" = String, Path, description = "执法机关所在行政区划代码")),
    responses(
        (status = 200, description = "行政处罚决定", body = DecisionsDto),
        (status = 400, description = "行政区划代码格式不正确（`invalid_path`）", body = ErrorBody),
        (status = 422, description = "行政区划代码不存在", body = ErrorBody),
    )
)]
pub async fn public_decisions(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<DecisionsDto>> {
    crate::routes::divisions::parse_code("code", &code)?;
    let items = state.app.enforcement_publications(&code).await?.into_iter().map(decision_dto).collect();
    Ok(Json(DecisionsDto { items }))
}
