//! The JSON API of 重大行政决策和规范性文件 under `/api/v1/rule-making/…`. Thin: each handler
//! parses with the same domain parsers as the forms, calls the service and converts to a DTO.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use domain::problem::FieldError;
use domain::verticals::rule_making::decision::StepInput;
use domain::verticals::rule_making::document::DocumentInput;
use serde::{Deserialize, Serialize};
use service::verticals::rule_making::stats::RuleStats;
use service::verticals::rule_making::{CleanupFull, DecisionInput, DecisionView, DocumentLine};
use service::ServiceError;

use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// A decision entered in the year's catalogue (目录).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// The organ's division code, e.g. 511700.
    pub division: String,
    /// The catalogue's year, e.g. 2021.
    pub year: String,
    pub title: String,
    /// 决策机关.
    pub organ: String,
    /// 决策事项 and its explanation.
    pub summary: String,
}

/// An act of a decision's procedures. Fields a kind does not use are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RuleMakingStepBody)]
pub struct StepBody {
    /// comment_opened | hearing_announced | hearing_participants | hearing | comment_summary |
    /// expert_opinion | risk_report | legality_requested | legality_opinion | discussion |
    /// published | omitted | post_evaluation
    pub kind: String,
    /// YYYY-MM-DD: the day of the act (the hearing's day).
    pub on: String,
    /// YYYY-MM-DD: the comment period's last day; the day the legality opinion is asked for;
    /// the day a hearing is announced for.
    #[serde(default)]
    pub until: String,
    /// YYYY-MM-DD: the day the hearing materials were sent (第十七条).
    #[serde(default)]
    pub materials_sent_on: String,
    /// The shortening reason, the adoption reasons, the opinion, the report, the minutes, the
    /// channel of publication, the reason for leaving a procedure out, a hearing's selection
    /// method (遴选办法) or its record (听证笔录), a post-evaluation's findings.
    #[serde(default)]
    pub text: String,
    /// The risk measures, the dissent, the hearing's participants, a post-evaluation's conclusion.
    #[serde(default)]
    pub text2: String,
    /// The expert, the legal office or counsel, or a hearing's place.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub received: String,
    #[serde(default)]
    pub adopted: String,
    /// "true" or "false" (for a hearing: its record confirmed by the participants).
    #[serde(default)]
    pub signed: String,
    #[serde(default)]
    pub interested: String,
    #[serde(default)]
    pub controllable: String,
    #[serde(default)]
    pub passed: String,
    #[serde(default)]
    pub head_spoke_last: String,
    #[serde(default)]
    pub majority_agrees: String,
    /// standing | plenary
    #[serde(default)]
    pub meeting: String,
    /// adopted | deferred | rejected
    #[serde(default)]
    pub outcome: String,
    /// public_participation | expert_argument | risk_assessment (for omitted)
    #[serde(default)]
    pub procedure: String,
    #[serde(default)]
    pub departure_reason: String,
    /// below_expectations | many_comments | organ_deems_necessary (the ground of a
    /// post_evaluation, 第三十六条)
    #[serde(default)]
    pub trigger: String,
    /// The decision's revision the client saw: one changed since is 409 `rule_conflict`.
    pub expected_revision: i64,
}

impl StepBody {
    fn input(self) -> (i64, StepInput) {
        (
            self.expected_revision,
            StepInput {
                kind: self.kind,
                on: self.on,
                until: self.until,
                materials_sent_on: self.materials_sent_on,
                text: self.text,
                text2: self.text2,
                name: self.name,
                received: self.received,
                adopted: self.adopted,
                signed: self.signed,
                interested: self.interested,
                controllable: self.controllable,
                passed: self.passed,
                head_spoke_last: self.head_spoke_last,
                majority_agrees: self.majority_agrees,
                meeting: self.meeting,
                outcome: self.outcome,
                procedure: self.procedure,
                departure_reason: self.departure_reason,
                trigger: self.trigger,
            },
        )
    }
}

/// A normative document for the register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// The organ's division code.
    pub division: String,
    /// 文号.
    pub number: String,
    pub title: String,
    /// 制定机关.
    pub organ: String,
    /// YYYY-MM-DD dates: 发布日, 施行日, 有效期至.
    pub published_on: String,
    pub effective_on: String,
    pub valid_until: String,
    /// "true" for a document closely related to business activity (优化营商环境条例第六十二条).
    #[serde(default)]
    pub affects_business: String,
    #[serde(default)]
    pub comment_opened_on: String,
    #[serde(default)]
    pub comment_until: String,
    #[serde(default)]
    pub comment_short_reason: String,
    pub review_submitted_on: String,
    pub review_opinion_on: String,
    /// 合法性审核意见.
    pub review_opinion: String,
    /// The superior laws it rests on, one a line.
    #[serde(default)]
    pub basis: String,
    /// The 文号 of the document of the same organ this one amends.
    #[serde(default)]
    pub amends: String,
}

impl DocumentBody {
    fn input(self) -> (String, DocumentInput) {
        (
            self.division,
            DocumentInput {
                number: self.number,
                title: self.title,
                organ: self.organ,
                published_on: self.published_on,
                effective_on: self.effective_on,
                valid_until: self.valid_until,
                affects_business: self.affects_business,
                comment_opened_on: self.comment_opened_on,
                comment_until: self.comment_until,
                comment_short_reason: self.comment_short_reason,
                review_submitted_on: self.review_submitted_on,
                review_opinion_on: self.review_opinion_on,
                review_opinion: self.review_opinion,
                basis: self.basis,
                amends: self.amends,
            },
        )
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingBody {
    /// 备案号.
    pub filing_number: String,
    /// YYYY-MM-DD.
    pub filed_on: String,
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RuleMakingActBody)]
pub struct ActBody {
    /// repealed | declared_lapsed
    pub kind: String,
    /// YYYY-MM-DD: the day it takes effect.
    pub on: String,
    pub reason: String,
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagBody {
    /// The superior law that changed, as the documents cite it (e.g. 行政处罚法).
    pub law: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CleanupBody {
    /// The division whose documents in force today are reviewed.
    pub division: String,
    pub title: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictBody {
    pub document_id: i64,
    /// keep | amend | repeal | declare_lapsed
    pub verdict: String,
    pub reason: String,
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year, e.g. 2021 (this year when absent).
    pub year: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// YYYY-MM-DD: the day the register is read for (today when absent).
    pub on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureDto {
    pub procedure: String,
    pub name: String,
    /// pending | in_progress | done | omitted, and its Chinese name.
    pub state: String,
    pub state_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleMakingStepDto)]
pub struct StepDto {
    pub kind: String,
    pub name: String,
    pub on: String,
    /// The act as recorded (its fields by kind).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleMakingDecisionDto)]
pub struct DecisionDto {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub year: i32,
    pub title: String,
    pub organ: String,
    pub summary: String,
    pub opened_on: String,
    pub procedures: Vec<ProcedureDto>,
    pub completeness: String,
    pub steps: Vec<StepDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionListDto {
    pub items: Vec<DecisionDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleMakingActDto)]
pub struct ActDto {
    pub kind: String,
    pub name: String,
    pub on: String,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub number: String,
    pub title: String,
    pub organ: String,
    pub published_on: String,
    pub effective_on: String,
    pub valid_until: String,
    /// in_force | lapsed | repealed | amended | not_yet_in_force, on the day read.
    pub state: String,
    pub state_name: String,
    pub expiring: bool,
    pub review_opinion: String,
    pub review_opinion_on: String,
    pub review_late: bool,
    pub filing_number: Option<String>,
    pub filed_on: Option<String>,
    pub filing_due: Option<String>,
    pub filing_overdue: bool,
    /// A superior law it cites changed: review it.
    pub flagged_law: Option<String>,
    pub basis: Vec<String>,
    pub acts: Vec<ActDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentListDto {
    /// The day the states are derived for.
    pub on: String,
    pub items: Vec<DocumentDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagDto {
    pub flagged: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CleanupItemDto {
    pub document_id: i64,
    pub number: String,
    pub title: String,
    pub verdict: Option<String>,
    pub verdict_name: Option<String>,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CleanupDto {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub title: String,
    pub started_on: String,
    pub published_on: Option<String>,
    pub items: Vec<CleanupItemDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleMakingStatsDto)]
pub struct StatsDto {
    pub year: i32,
    pub decisions_published: usize,
    pub decisions_adopted: usize,
    pub decisions_in_progress: usize,
    pub decisions_with_omission: usize,
    pub documents_issued: usize,
    pub documents_reviewed: usize,
    pub documents_filed: usize,
    pub documents_cleaned_up: usize,
    pub documents_repealed: usize,
    pub documents_lapsed: usize,
}

fn state_code(s: domain::verticals::rule_making::ProcedureState) -> &'static str {
    use domain::verticals::rule_making::ProcedureState as P;
    match s {
        P::Pending => "pending",
        P::InProgress => "in_progress",
        P::Done => "done",
        P::Omitted => "omitted",
    }
}

impl From<DecisionView> for DecisionDto {
    fn from(v: DecisionView) -> DecisionDto {
        let d = v.full.decision;
        DecisionDto {
            id: d.id,
            division: d.division,
            revision: d.revision,
            year: d.year,
            title: d.title,
            organ: d.organ,
            summary: d.summary,
            opened_on: d.opened_on.to_string(),
            procedures: v
                .states
                .iter()
                .map(|(p, s)| ProcedureDto {
                    procedure: p.as_str().into(),
                    name: p.name_zh().into(),
                    state: state_code(*s).into(),
                    state_name: s.name_zh().into(),
                })
                .collect(),
            completeness: v.completeness.name_zh().into(),
            steps: v
                .full
                .steps
                .iter()
                .map(|(s, _)| StepDto {
                    kind: s.kind().into(),
                    name: s.name_zh().into(),
                    on: s.on().to_string(),
                    detail: serde_json::to_value(s).unwrap_or_default(),
                })
                .collect(),
        }
    }
}

impl From<DocumentLine> for DocumentDto {
    fn from(l: DocumentLine) -> DocumentDto {
        let r = l.row;
        let doc = r.document;
        DocumentDto {
            id: r.id,
            division: r.division,
            revision: r.revision,
            number: doc.number,
            title: doc.title,
            organ: doc.organ,
            published_on: doc.published_on.to_string(),
            effective_on: doc.effective_on.to_string(),
            valid_until: doc.valid_until.to_string(),
            state: l.state.as_str().into(),
            state_name: l.state.name_zh().into(),
            expiring: l.expiring,
            review_opinion: doc.review_opinion,
            review_opinion_on: doc.review_opinion_on.to_string(),
            review_late: l.review_late,
            filing_number: r.filing_number,
            filed_on: r.filed_on.map(|d| d.to_string()),
            filing_due: l.filing_due.map(|d| d.to_string()),
            filing_overdue: l.filing_overdue,
            flagged_law: r.flagged_law,
            basis: doc.basis,
            acts: r
                .acts
                .into_iter()
                .map(|a| ActDto {
                    kind: a.kind.as_str().into(),
                    name: a.kind.name_zh().into(),
                    on: a.on.to_string(),
                    reason: a.reason,
                })
                .collect(),
        }
    }
}

impl From<CleanupFull> for CleanupDto {
    fn from(c: CleanupFull) -> CleanupDto {
        CleanupDto {
            id: c.id,
            division: c.division,
            revision: c.revision,
            title: c.title,
            started_on: c.started_on.to_string(),
            published_on: c.published_on.map(|d| d.to_string()),
            items: c
                .items
                .into_iter()
                .map(|i| CleanupItemDto {
                    document_id: i.document_id,
                    number: i.number,
                    title: i.title,
                    verdict: i.verdict.map(|v| v.as_str().into()),
                    verdict_name: i.verdict.map(|v| v.name_zh().into()),
                    reason: i.reason,
                })
                .collect(),
        }
    }
}

impl From<RuleStats> for StatsDto {
    fn from(s: RuleStats) -> StatsDto {
        StatsDto {
            year: s.year,
            decisions_published: s.decisions_published,
            decisions_adopted: s.decisions_adopted,
            decisions_in_progress: s.decisions_in_progress,
            decisions_with_omission: s.decisions_with_omission,
            documents_issued: s.documents_issued,
            documents_reviewed: s.documents_reviewed,
            documents_filed: s.documents_filed,
            documents_cleaned_up: s.documents_cleaned_up,
            documents_repealed: s.documents_repealed,
            documents_lapsed: s.documents_lapsed,
        }
    }
}

/// `?on=` parsed, refused in Chinese naming the field.
pub fn parse_on(on: Option<&str>) -> Result<Option<NaiveDate>, ServiceError> {
    match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ServiceError::invalid(vec![FieldError::new("on", "bad_date", "日期格式应为 YYYY-MM-DD")])),
    }
}

/// Enters a major decision in the year's catalogue (重大行政决策程序暂行条例第十条: 决策事项目录).
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/decisions",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    request_body = DecisionBody,
    responses(
        (status = 201, description = "已立项", body = DecisionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "内容不全或年度无效（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn create_decision(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<DecisionBody>,
) -> AppResult<(StatusCode, Json<DecisionDto>)> {
    let input = DecisionInput {
        division: body.division,
        year: body.year,
        title: body.title,
        organ: body.organ,
        summary: body.summary,
    };
    let id = state.app.rule_decision_open(&user.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(state.app.rule_decision(&user.actor, id).await?.into())))
}

/// The year's catalogue of major decisions in the caller's jurisdiction, each with where its
/// procedures stand.
#[utoipa::path(
    get,
    path = "/api/v1/rule-making/decisions",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "决策事项目录", body = DecisionListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权限", body = ErrorBody),
    )
)]
pub async fn list_decisions(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<DecisionListDto>> {
    let year = query.year.unwrap_or_else(|| state.app.rule_year());
    let items = state.app.rule_catalogue(&user.actor, year).await?;
    Ok(Json(DecisionListDto { items: items.into_iter().map(Into::into).collect() }))
}

/// One decision with its acts and where its five procedures stand.
#[utoipa::path(
    get,
    path = "/api/v1/rule-making/decisions/{id}",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号")),
    responses(
        (status = 200, description = "决策及其程序", body = DecisionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "决策不存在", body = ErrorBody),
    )
)]
pub async fn get_decision(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<DecisionDto>> {
    Ok(Json(state.app.rule_decision(&user.actor, id).await?.into()))
}

/// Records an act of the decision's procedures. A gate refuses with its article and the refusal
/// is recorded: discussion without a passed legality review (第二十五条), publication without
/// the discussion (第三十二条), a comment period under 30 日 without its reason (第十五条)…
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/decisions/{id}/steps",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号")),
    request_body = StepBody,
    responses(
        (status = 201, description = "已记录", body = DecisionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内，或该程序不由本角色记录", body = ErrorBody),
        (status = 404, description = "决策不存在", body = ErrorBody),
        (status = 409, description = "`rule_conflict`：决策已变化", body = ErrorBody),
        (status = 422, description = "不符合法定程序（`legality_not_passed`、`not_discussed`、`comment_period_short`、`review_time_short`、`expert_interested`、`head_not_last`…）", body = ErrorBody),
    )
)]
pub async fn decision_step(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<StepBody>,
) -> AppResult<(StatusCode, Json<DecisionDto>)> {
    let (revision, input) = body.input();
    let view = state.app.rule_decision_step(&user.actor, id, revision, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Registers a normative document (its 有效期, review and comment period checked).
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/documents",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    request_body = DocumentBody,
    responses(
        (status = 201, description = "已登记", body = DocumentDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 409, description = "`rule_document_number`：同一文号已登记", body = ErrorBody),
        (status = 422, description = "内容不符（`validity_too_long`、`review_required`、`comment_period_short`…，逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn create_document(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<DocumentBody>,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    let (division, input) = body.input();
    let id = state.app.rule_document_register(&user.actor, &division, &input).await?;
    Ok((StatusCode::CREATED, Json(state.app.rule_document(&user.actor, id).await?.into())))
}

/// The register of the caller's jurisdiction, each state derived for today.
#[utoipa::path(
    get,
    path = "/api/v1/rule-making/documents",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "规范性文件登记簿", body = DocumentListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权限", body = ErrorBody),
    )
)]
pub async fn list_documents(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<DocumentListDto>> {
    let items = state.app.rule_register(&user.actor).await?;
    Ok(Json(DocumentListDto { on: state.app.today().to_string(), items: items.into_iter().map(Into::into).collect() }))
}

/// The public register: the normative documents in force on a date.
#[utoipa::path(
    get,
    path = "/api/v1/rule-making/register",
    tag = "rule_making",
    params(OnQuery),
    responses(
        (status = 200, description = "指定日期现行有效的规范性文件", body = DocumentListDto),
        (status = 422, description = "日期格式不对", body = ErrorBody),
    )
)]
pub async fn public_register(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<OnQuery>,
) -> AppResult<Json<DocumentListDto>> {
    let on = parse_on(query.on.as_deref())?;
    let items = state.app.rule_public_register(on).await?;
    Ok(Json(DocumentListDto {
        on: on.unwrap_or_else(|| state.app.today()).to_string(),
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Records the filing (备案) with the higher authority.
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/documents/{id}/filing",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "文件编号")),
    request_body = FilingBody,
    responses(
        (status = 201, description = "已备案", body = DocumentDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "文件不存在", body = ErrorBody),
        (status = 409, description = "`rule_conflict`、`rule_already_filed`", body = ErrorBody),
        (status = 422, description = "备案号或日期不符", body = ErrorBody),
    )
)]
pub async fn file_document(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<FilingBody>,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    let line = state
        .app
        .rule_document_file(&user.actor, id, body.expected_revision, &body.filing_number, &body.filed_on)
        .await?;
    Ok((StatusCode::CREATED, Json(line.into())))
}

/// Repeals a document or declares it lapsed, from a date, with its reason.
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/documents/{id}/acts",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "文件编号")),
    request_body = ActBody,
    responses(
        (status = 201, description = "已记录", body = DocumentDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "文件不存在", body = ErrorBody),
        (status = 409, description = "`rule_conflict`", body = ErrorBody),
        (status = 422, description = "文件当日已不再有效（`document_not_in_force`），或内容不符", body = ErrorBody),
    )
)]
pub async fn document_act(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActBody>,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    let line = state
        .app
        .rule_document_act(&user.actor, id, body.expected_revision, &body.kind, &body.on, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(line.into())))
}

/// A superior law changed: flags the documents in force that cite it for review.
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/flags",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    request_body = FlagBody,
    responses(
        (status = 201, description = "已标记的文件", body = FlagDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权限", body = ErrorBody),
        (status = 422, description = "未填写法律名称", body = ErrorBody),
    )
)]
pub async fn flag(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<FlagBody>,
) -> AppResult<(StatusCode, Json<FlagDto>)> {
    let flagged = state.app.rule_flag_citing(&user.actor, &body.law).await?;
    Ok((StatusCode::CREATED, Json(FlagDto { flagged })))
}

/// Opens a clean-up (清理) of the documents of a division in force today.
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/cleanups",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CleanupBody,
    responses(
        (status = 201, description = "已启动清理", body = CleanupDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "没有现行有效的文件（`nothing_to_clean`），或内容不全", body = ErrorBody),
    )
)]
pub async fn create_cleanup(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CleanupBody>,
) -> AppResult<(StatusCode, Json<CleanupDto>)> {
    let id = state.app.rule_cleanup_open(&user.actor, &body.division, &body.title).await?;
    Ok((StatusCode::CREATED, Json(state.app.rule_cleanup(&user.actor, id).await?.into())))
}

/// A clean-up with its documents and verdicts.
#[utoipa::path(
    get,
    path = "/api/v1/rule-making/cleanups/{id}",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "清理编号")),
    responses(
        (status = 200, description = "清理及其意见", body = CleanupDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "清理不存在", body = ErrorBody),
    )
)]
pub async fn get_cleanup(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CleanupDto>> {
    Ok(Json(state.app.rule_cleanup(&user.actor, id).await?.into()))
}

/// Records the verdict on one document of a clean-up, with its reason.
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/cleanups/{id}/verdicts",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "清理编号")),
    request_body = VerdictBody,
    responses(
        (status = 201, description = "已记录", body = CleanupDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "清理不存在", body = ErrorBody),
        (status = 409, description = "`rule_conflict`、`cleanup_published`", body = ErrorBody),
        (status = 422, description = "意见或理由不全，或文件不在清理范围内", body = ErrorBody),
    )
)]
pub async fn cleanup_verdict(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<VerdictBody>,
) -> AppResult<(StatusCode, Json<CleanupDto>)> {
    let full = state
        .app
        .rule_cleanup_verdict(&user.actor, id, body.expected_revision, body.document_id, &body.verdict, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(full.into())))
}

/// Publishes the clean-up's results: each repeal and declared lapse takes effect today.
#[utoipa::path(
    post,
    path = "/api/v1/rule-making/cleanups/{id}/publish",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "清理编号")),
    request_body = PublishBody,
    responses(
        (status = 201, description = "已公布", body = CleanupDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "清理不存在", body = ErrorBody),
        (status = 409, description = "`rule_conflict`、`cleanup_published`", body = ErrorBody),
        (status = 422, description = "尚有文件没有清理意见（`cleanup_incomplete`）", body = ErrorBody),
    )
)]
pub async fn publish_cleanup(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<PublishBody>,
) -> AppResult<(StatusCode, Json<CleanupDto>)> {
    let full = state.app.rule_cleanup_publish(&user.actor, id, body.expected_revision).await?;
    Ok((StatusCode::CREATED, Json(full.into())))
}

/// The year's figures for the annual report, computed from the records.
#[utoipa::path(
    get,
    path = "/api/v1/rule-making/stats",
    tag = "rule_making",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "年度统计", body = StatsDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权限", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<StatsDto>> {
    let year = query.year.unwrap_or_else(|| state.app.rule_year());
    Ok(Json(state.app.rule_stats(&user.actor, year).await?.into()))
}
