//! The JSON API of 建议提案办理 under `/api/v1/suggestions/…`. Thin: each handler parses with the
//! same domain parser as the pages, calls the service and converts to a DTO.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::verticals::suggestions::{ActInput, OpenDayInput, OpenDayInputInput, Stats, SuggestionInput};
use serde::{Deserialize, Serialize};
use service::verticals::suggestions::{OpenDayFull, OpenDayRow};
use service::verticals::suggestions::{StatsView, SuggestionView};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

/// A 交办 as staff register it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionBody {
    /// The bureau's division code (the suggestion's jurisdiction), e.g. 511700.
    pub division: String,
    /// deputy 人大代表建议 | member 政协委员提案 | public 群众意见建议
    pub kind: String,
    /// The congress or committee and its session.
    pub session: String,
    /// The number given by the assigning office.
    pub number: String,
    /// The proposers, one or several (merged), separated by 、 or new lines.
    pub proposers: String,
    pub subject: String,
    pub lead_unit: String,
    /// Co-handling units, separated by 、 or new lines.
    pub co_units: Option<String>,
    /// 代表法 第五十一条: wide-ranging or difficult (6 months instead of 3).
    pub difficult: Option<bool>,
    /// YYYY-MM-DD: the day of 交办.
    pub assigned_on: String,
    /// The suggestion received at an open day that this registers.
    pub open_day_input: Option<i64>,
}

impl SuggestionBody {
    pub fn input(&self) -> SuggestionInput {
        SuggestionInput {
            kind: self.kind.clone(),
            session: self.session.clone(),
            number: self.number.clone(),
            proposers: self.proposers.clone(),
            subject: self.subject.clone(),
            lead_unit: self.lead_unit.clone(),
            co_units: self.co_units.clone().unwrap_or_default(),
            difficult: self.difficult.map(|b| b.to_string()).unwrap_or_default(),
            assigned_on: self.assigned_on.clone(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SuggestionActBody)]
pub struct ActBody {
    /// co_opinion | contact | draft | approve | send | feedback | send_back
    pub kind: String,
    /// YYYY-MM-DD
    pub on: String,
    /// The proposer it concerns (contact, send, feedback).
    pub proposer: Option<String>,
    /// The co-handling unit (co_opinion).
    pub unit: Option<String>,
    /// feedback: satisfied | basic | dissatisfied
    pub result: Option<String>,
    /// The opinion, what was discussed, the reply's text, the reason for sending back.
    pub note: Option<String>,
    /// The suggestion's revision the client saw: changed since is 409 `suggestion_conflict`.
    pub expected_revision: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDayBody {
    pub division: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub place: String,
    pub theme: String,
    /// Separated by 、 or new lines.
    pub invited_deputies: Option<String>,
    pub invited_citizens: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDayInputBody {
    pub from_name: String,
    pub content: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year of 交办, e.g. 2021.
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposerDto {
    pub name: String,
    pub round: u32,
    /// The last day of the reply owed (代表法 第五十一条, or 1 month after a 不满意).
    pub due: String,
    pub replied_on: Option<String>,
    /// satisfied | basic | dissatisfied: the latest form.
    pub feedback: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SuggestionActDto)]
pub struct ActDto {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub on: String,
    pub proposer: String,
    pub unit: String,
    pub result: Option<String>,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub kind: String,
    pub session: String,
    pub number: String,
    pub proposers: Vec<ProposerDto>,
    pub subject: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub difficult: bool,
    pub assigned_on: String,
    /// handling | replied | redoing | done | sent_back
    pub stage: String,
    pub stage_name: String,
    pub reply_due: String,
    pub co_opinion_due: String,
    /// The earliest last day of a reply still owed.
    pub next_due: Option<String>,
    /// A reply owed is past its last day today.
    pub overdue: bool,
    /// Co-handling units whose opinion is past due today.
    pub co_opinions_overdue: Vec<String>,
    pub acts: Vec<ActDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SuggestionListDto)]
pub struct ListDto {
    pub items: Vec<SuggestionDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SuggestionStatsDto)]
pub struct StatsDto {
    /// deputy | member | public | all
    pub kind: String,
    pub assigned: u32,
    pub sent_back: u32,
    pub handled: u32,
    pub on_time: u32,
    pub satisfied: u32,
    pub basic: u32,
    pub dissatisfied: u32,
    pub overdue: u32,
    /// (满意 + 基本满意) / forms back, whole percent.
    pub satisfaction_percent: Option<u32>,
    pub on_time_percent: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YearStatsDto {
    pub year: i32,
    pub rows: Vec<StatsDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenDayInputDto {
    pub id: i64,
    pub from_name: String,
    pub content: String,
    /// The tracked suggestion it became.
    pub suggestion_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenDayDto {
    pub id: i64,
    pub division: String,
    pub held_on: String,
    pub place: String,
    pub theme: String,
    pub invited_deputies: Vec<String>,
    pub invited_citizens: Vec<String>,
    pub inputs: Vec<OpenDayInputDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenDayListDto {
    pub items: Vec<OpenDayDto>,
}

impl From<SuggestionView> for SuggestionDto {
    fn from(v: SuggestionView) -> SuggestionDto {
        let p = &v.progress;
        let s = &v.full.row.suggestion;
        SuggestionDto {
            id: v.full.row.id,
            division: v.full.row.division.clone(),
            revision: v.full.row.revision,
            kind: s.kind.as_str().into(),
            session: s.session.clone(),
            number: s.number.clone(),
            proposers: p
                .proposers
                .iter()
                .map(|x| ProposerDto {
                    name: x.name.clone(),
                    round: x.round,
                    due: x.due.to_string(),
                    replied_on: x.sent.map(|d| d.to_string()),
                    feedback: x.last_feedback.map(|f| f.as_str().into()),
                })
                .collect(),
            subject: s.subject.clone(),
            lead_unit: s.lead_unit.clone(),
            co_units: s.co_units.clone(),
            difficult: s.difficult,
            assigned_on: s.assigned_on.to_string(),
            stage: p.stage().as_str().into(),
            stage_name: p.stage().name_zh().into(),
            reply_due: p.reply_due.to_string(),
            co_opinion_due: p.co_opinion_due.to_string(),
            next_due: p.next_due().map(|d| d.to_string()),
            overdue: p.overdue(v.today),
            co_opinions_overdue: p.co_opinions_overdue(v.today).into_iter().map(str::to_string).collect(),
            acts: v
                .full
                .acts
                .iter()
                .map(|a| ActDto {
                    id: a.id,
                    kind: a.act.kind.as_str().into(),
                    name: a.act.kind.name_zh().into(),
                    on: a.act.on.to_string(),
                    proposer: a.act.proposer.clone(),
                    unit: a.act.unit.clone(),
                    result: a.act.result.map(|r| r.as_str().into()),
                    note: a.act.note.clone(),
                })
                .collect(),
        }
    }
}

fn stats_dto(kind: &str, s: &Stats) -> StatsDto {
    StatsDto {
        kind: kind.into(),
        assigned: s.assigned,
        sent_back: s.sent_back,
        handled: s.handled,
        on_time: s.on_time,
        satisfied: s.satisfied,
        basic: s.basic,
        dissatisfied: s.dissatisfied,
        overdue: s.overdue,
        satisfaction_percent: s.satisfaction_percent(),
        on_time_percent: s.on_time_percent(),
    }
}

impl From<StatsView> for YearStatsDto {
    fn from(v: StatsView) -> YearStatsDto {
        let mut rows: Vec<StatsDto> = v.by_kind.iter().map(|(k, s)| stats_dto(k.as_str(), s)).collect();
        rows.push(stats_dto("all", &v.total));
        YearStatsDto { year: v.year, rows }
    }
}

fn open_day_dto(row: OpenDayRow, inputs: Vec<OpenDayInputDto>) -> OpenDayDto {
    OpenDayDto {
        id: row.id,
        division: row.division,
        held_on: row.open_day.held_on.to_string(),
        place: row.open_day.place,
        theme: row.open_day.theme,
        invited_deputies: row.open_day.invited_deputies,
        invited_citizens: row.open_day.invited_citizens,
        inputs,
    }
}

impl From<OpenDayFull> for OpenDayDto {
    fn from(f: OpenDayFull) -> OpenDayDto {
        let inputs = f
            .inputs
            .into_iter()
            .map(|i| OpenDayInputDto {
                id: i.id,
                from_name: i.input.from_name,
                content: i.input.content,
                suggestion_id: i.item_id,
            })
            .collect();
        open_day_dto(f.row, inputs)
    }
}

/// Registers a 交办 (代表法 第五十一条: the reply is due 3 months after it, 6 for a difficult one).
#[utoipa::path(
    post,
    path = "/api/v1/suggestions/items",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    request_body = SuggestionBody,
    responses(
        (status = 201, description = "已登记，含答复期限", body = SuggestionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "开放日意见建议不存在", body = ErrorBody),
        (status = 409, description = "`open_day_input_registered`：该意见建议已登记", body = ErrorBody),
        (status = 422, description = "内容不全或日期不符（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<SuggestionBody>,
) -> AppResult<(StatusCode, Json<SuggestionDto>)> {
    let id = state.app.suggestion_create(&user.actor, &body.division, &body.input(), body.open_day_input).await?;
    Ok((StatusCode::CREATED, Json(state.app.suggestion_view(&user.actor, id).await?.into())))
}

/// The suggestions in the caller's jurisdiction, with their periods today.
#[utoipa::path(
    get,
    path = "/api/v1/suggestions/items",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "建议提案列表", body = ListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "年度无效", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<ListDto>> {
    let items = state.app.suggestion_list(&user.actor, query.year).await?;
    Ok(Json(ListDto { items: items.into_iter().map(Into::into).collect() }))
}

/// One suggestion with its acts and its periods today.
#[utoipa::path(
    get,
    path = "/api/v1/suggestions/items/{id}",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "建议提案编号")),
    responses(
        (status = 200, description = "建议提案、办理环节与期限", body = SuggestionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<SuggestionDto>> {
    Ok(Json(state.app.suggestion_view(&user.actor, id).await?.into()))
}

/// Records an act: a co-handling opinion, contact with the deputy, the reply drafted, approved
/// (the leader), sent to one proposer, a satisfaction form (a 不满意 reopens with 1 month), a send-back.
#[utoipa::path(
    post,
    path = "/api/v1/suggestions/items/{id}/acts",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "建议提案编号")),
    request_body = ActBody,
    responses(
        (status = 201, description = "已记录，含重新计算的期限", body = SuggestionDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内，或审定答复不是领导", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
        (status = 409, description = "`suggestion_conflict`：已变化", body = ErrorBody),
        (status = 422, description = "该环节此时不合法（`not_approved`、`no_draft`、`already_sent`、`not_sent`、`closed`、`sent_back`…）", body = ErrorBody),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActBody>,
) -> AppResult<(StatusCode, Json<SuggestionDto>)> {
    let input = ActInput {
        kind: body.kind,
        on: body.on,
        proposer: body.proposer.unwrap_or_default(),
        unit: body.unit.unwrap_or_default(),
        result: body.result.unwrap_or_default(),
        note: body.note.unwrap_or_default(),
    };
    let view = state.app.suggestion_act(&user.actor, id, body.expected_revision, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The figures of a year (handled, on time, satisfaction), computed from the records.
#[utoipa::path(
    get,
    path = "/api/v1/suggestions/stats",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "年度办理情况统计", body = YearStatsDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "年度无效", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<YearStatsDto>> {
    let year = query.year.unwrap_or_else(|| chrono::Datelike::year(&state.app.today()));
    Ok(Json(state.app.suggestion_stats(&user.actor, year).await?.into()))
}

/// Records an open day held.
#[utoipa::path(
    post,
    path = "/api/v1/suggestions/open-days",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    request_body = OpenDayBody,
    responses(
        (status = 201, description = "已登记", body = OpenDayDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 422, description = "内容不全（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn open_day_create(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<OpenDayBody>,
) -> AppResult<(StatusCode, Json<OpenDayDto>)> {
    let input = OpenDayInput {
        held_on: body.held_on,
        place: body.place,
        theme: body.theme,
        invited_deputies: body.invited_deputies.unwrap_or_default(),
        invited_citizens: body.invited_citizens.unwrap_or_default(),
    };
    let id = state.app.open_day_create(&user.actor, &body.division, &input).await?;
    Ok((StatusCode::CREATED, Json(state.app.open_day_view(&user.actor, id).await?.into())))
}

/// The open days in the caller's jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/suggestions/open-days",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "政务开放日活动列表", body = OpenDayListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn open_day_list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<OpenDayListDto>> {
    let rows = state.app.open_days(&user.actor).await?;
    Ok(Json(OpenDayListDto { items: rows.into_iter().map(|r| open_day_dto(r, Vec::new())).collect() }))
}

/// One open day with the suggestions received there.
#[utoipa::path(
    get,
    path = "/api/v1/suggestions/open-days/{id}",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "活动编号")),
    responses(
        (status = 200, description = "政务开放日活动", body = OpenDayDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
    )
)]
pub async fn open_day_get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<OpenDayDto>> {
    Ok(Json(state.app.open_day_view(&user.actor, id).await?.into()))
}

/// Records a suggestion received at an open day (it may then be registered as a tracked suggestion).
#[utoipa::path(
    post,
    path = "/api/v1/suggestions/open-days/{id}/inputs",
    tag = "suggestions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "活动编号")),
    request_body = OpenDayInputBody,
    responses(
        (status = 201, description = "已记录", body = OpenDayDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "不存在", body = ErrorBody),
        (status = 422, description = "内容不全（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn open_day_input(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<OpenDayInputBody>,
) -> AppResult<(StatusCode, Json<OpenDayDto>)> {
    let input = OpenDayInputInput { from_name: body.from_name, content: body.content };
    Ok((StatusCode::CREATED, Json(state.app.open_day_add_input(&user.actor, id, &input).await?.into())))
}
