//! The JSON API of the hotline under `/api/v1/hotline/…`. Thin: each handler parses with the
//! same domain parser as the pages, calls the service and converts to a DTO.
//!
//! The inbound `POST /api/v1/hotline/tickets` is what the 12345 platform calls: it signs in as
//! an account holding the 窗口受理人员 (clerk) role at the division it serves, the role that
//! receives matters at a window and holds no power to decide them; the ticket carries a
//! caller's number, so receiving it is the person-writing power at the ticket's division.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::verticals::hotline::{Act, ActInput, RectInput, TicketInput};
use serde::{Deserialize, Serialize};
use service::verticals::hotline::{ExportLine, HotlineStats, RectView, TicketView};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser, ClientAddr, SameSite};
use crate::AppState;

/// A ticket as the hotline platform sends it (or staff type it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketBody {
    /// 平台工单编号 (letters, digits, `-`): the call is idempotent on it. Absent for a ticket typed by staff.
    pub platform_number: Option<String>,
    /// consultation (咨询) | help (求助) | suggestion (意见建议) | complaint (投诉举报)
    pub kind: String,
    pub caller_name: String,
    /// 来电号码 (stored encrypted, shown masked).
    pub caller_phone: String,
    /// 诉求标题 (also what repeat calls are matched on).
    pub subject: String,
    pub content: String,
    /// The division (GB/T 2260 code) the ticket concerns, e.g. 511700.
    pub division: String,
    /// `2021-09-17T10:30:00+08:00`, or `2021-09-17 10:30` in Beijing time.
    pub received_at: String,
}

impl TicketBody {
    pub fn input(self) -> TicketInput {
        TicketInput {
            platform_number: self.platform_number.unwrap_or_default(),
            kind: self.kind,
            caller_name: self.caller_name,
            caller_phone: self.caller_phone,
            subject: self.subject,
            content: self.content,
            division: self.division,
            received_at: self.received_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = HotlineActBody)]
pub struct ActBody {
    /// dispatch | sign | return | extension_request | extension_decision | reply | callback
    pub kind: String,
    /// dispatch: the unit's division code, within the ticket's.
    pub unit: Option<String>,
    /// The reason (return, extension_request), the reply, or a note.
    pub text: Option<String>,
    /// extension_request: working days.
    pub workdays: Option<u32>,
    /// extension_decision: approved; callback: satisfied.
    pub yes: Option<bool>,
    /// The number of acts the client saw: a history that moved since is 409 `hotline_conflict`.
    pub expected_acts: Option<i64>,
}

fn yes_text(yes: Option<bool>) -> String {
    yes.map(|y| if y { "yes" } else { "no" }.to_string()).unwrap_or_default()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RectBody {
    /// callback | verify | fix | explain | appeal | appeal_decision
    pub kind: String,
    pub text: Option<String>,
    /// verify: founded; appeal_decision: upheld.
    pub yes: Option<bool>,
    pub expected_acts: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateFixBody {
    /// The case's number and its 查询码 (as on the progress look-up).
    pub number: String,
    pub check: String,
    /// very_satisfied | satisfied | fairly_satisfied | dissatisfied | very_dissatisfied
    pub grade: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// e.g. 2021.
    pub year: i32,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HotlineActDto)]
pub struct ActDto {
    pub kind: String,
    pub name: String,
    pub on: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDto {
    pub id: i64,
    pub platform_number: Option<String>,
    pub kind: String,
    pub kind_name: String,
    pub caller_name: String,
    /// Masked.
    pub caller_phone: String,
    pub subject: String,
    pub content: String,
    pub division: String,
    pub received_on: String,
    /// undispatched | awaiting_sign | handling | replied | closed
    pub stage: String,
    pub stage_name: String,
    pub unit: Option<String>,
    pub round: u32,
    /// The last day to reply in this round (extensions included).
    pub due: String,
    pub sign_due: Option<String>,
    /// Working days left after today while a reply is owed (negative once past).
    pub remaining_workdays: Option<i64>,
    /// none | urge (催办) | supervise (督办) | notify (通报)
    pub escalation: String,
    pub escalation_name: String,
    pub acts: Vec<ActDto>,
    /// The number of acts, for `expected_acts`.
    pub act_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketListDto {
    pub items: Vec<TicketDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HotlineReceivedDto)]
pub struct ReceivedDto {
    /// False when the platform's number had been received before (the same ticket).
    pub created: bool,
    pub ticket: TicketDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportLineDto {
    pub platform_number: String,
    pub stage: String,
    pub replied_on: Option<String>,
    pub reply: String,
    /// The last call-back's answer.
    pub satisfied: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportDto {
    pub year: i32,
    pub items: Vec<ExportLineDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HotlineStatsDto)]
pub struct StatsDto {
    pub year: i32,
    pub received: u32,
    pub completed: u32,
    pub on_time: u32,
    pub on_time_rate: Option<f64>,
    pub called_back: u32,
    pub callback_rate: Option<f64>,
    pub satisfied: u32,
    pub satisfaction_rate: Option<f64>,
    pub repeats: u32,
    pub urged: u32,
    pub supervised: u32,
    pub notified: u32,
    /// 差评 and their rectification.
    pub bad_ratings: u32,
    pub bad_called_back: u32,
    pub bad_rectified: u32,
    /// 实名差评回访整改率 (target 100%).
    pub rectification_rate: Option<f64>,
    pub appeals_upheld: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RectDto {
    pub case_id: i64,
    pub case_number: String,
    /// 整体满意度's grade.
    pub grade: String,
    /// online (线上服务) or offline (线下服务).
    pub channel: String,
    /// Every indicator rated: its key → its grade (a 差评 on any opens the rectification).
    pub grades: std::collections::BTreeMap<String, String>,
    pub comment: String,
    /// The rater, masked.
    pub rater: String,
    pub division: String,
    pub rated_on: String,
    /// awaiting_callback | awaiting_verification | awaiting_resolution | closed
    pub stage: String,
    pub stage_name: String,
    pub callback_due: String,
    pub callback_overdue: bool,
    pub fix_due: String,
    pub fix_overdue: bool,
    pub founded: Option<bool>,
    /// none | pending | upheld | rejected
    pub appeal: String,
    pub fix_grade: Option<String>,
    pub acts: Vec<ActDto>,
    pub act_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RectListDto {
    pub items: Vec<RectDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatedDto {
    pub recorded: bool,
}

fn act_dto(act: &Act, on: chrono::NaiveDate) -> ActDto {
    let text = match act {
        Act::Dispatch { .. } => String::new(),
        other => other.text().to_string(),
    };
    ActDto { kind: act.kind().into(), name: act.name_zh().into(), on: on.to_string(), text }
}

impl From<TicketView> for TicketDto {
    fn from(v: TicketView) -> TicketDto {
        let t = &v.full.ticket;
        let s = &v.status.state;
        TicketDto {
            id: t.id,
            platform_number: t.platform_number.clone(),
            kind: t.kind.as_str().into(),
            kind_name: t.kind.name_zh().into(),
            caller_name: t.caller_name.clone(),
            caller_phone: t.phone_masked.clone(),
            subject: t.subject.clone(),
            content: t.content.clone(),
            division: t.division.clone(),
            received_on: t.received_on.to_string(),
            stage: s.stage.as_str().into(),
            stage_name: s.stage.name_zh().into(),
            unit: s.unit.clone(),
            round: s.round,
            due: s.due.to_string(),
            sign_due: s.sign_due.map(|d| d.to_string()),
            remaining_workdays: v.status.remaining_workdays,
            escalation: v.status.escalation.as_str().into(),
            escalation_name: v.status.escalation.name_zh().into(),
            acts: v.full.acts.iter().map(|d| act_dto(&d.act, d.on)).collect(),
            act_count: v.full.acts.len() as i64,
        }
    }
}

impl From<RectView> for RectDto {
    fn from(v: RectView) -> RectDto {
        let r = &v.rating;
        let s = &v.state;
        let rated = chrono::DateTime::from_timestamp_millis(r.rated_at_ms).unwrap_or_default();
        RectDto {
            case_id: r.case_id,
            case_number: r.case_number.clone(),
            grade: r.grade.clone(),
            channel: r.channel.clone(),
            grades: r.grades.iter().cloned().collect(),
            comment: r.comment.clone(),
            rater: v.rater_masked.clone(),
            division: r.competent_division.clone(),
            rated_on: domain::calendar::shanghai_date(rated).to_string(),
            stage: s.stage.as_str().into(),
            stage_name: s.stage.name_zh().into(),
            callback_due: s.callback_due.to_string(),
            callback_overdue: s.callback_overdue,
            fix_due: s.fix_due.to_string(),
            fix_overdue: s.fix_overdue,
            founded: s.founded,
            appeal: match s.appeal {
                None => "none",
                Some(None) => "pending",
                Some(Some(true)) => "upheld",
                Some(Some(false)) => "rejected",
            }
            .into(),
            fix_grade: s.fix_grade.clone(),
            acts: r
                .acts
                .iter()
                .map(|d| ActDto {
                    kind: d.act.kind().into(),
                    name: d.act.name_zh().into(),
                    on: d.on.to_string(),
                    text: d.act.text().into(),
                })
                .collect(),
            act_count: r.acts.len() as i64,
        }
    }
}

impl From<HotlineStats> for StatsDto {
    fn from(s: HotlineStats) -> StatsDto {
        let t = &s.tickets;
        let r = &s.rectifications;
        StatsDto {
            year: s.year,
            received: t.received,
            completed: t.completed,
            on_time: t.on_time,
            on_time_rate: t.on_time_rate(),
            called_back: t.called_back,
            callback_rate: t.callback_rate(),
            satisfied: t.satisfied,
            satisfaction_rate: t.satisfaction_rate(),
            repeats: t.repeats,
            urged: t.urged,
            supervised: t.supervised,
            notified: t.notified,
            bad_ratings: r.bad,
            bad_called_back: r.called_back,
            bad_rectified: r.rectified,
            rectification_rate: r.rectification_rate(),
            appeals_upheld: r.appeals_upheld,
        }
    }
}

impl From<ExportLine> for ExportLineDto {
    fn from(l: ExportLine) -> ExportLineDto {
        ExportLineDto {
            platform_number: l.platform_number,
            stage: l.stage.as_str().into(),
            replied_on: l.replied_on.map(|d| d.to_string()),
            reply: l.reply,
            satisfied: l.satisfied,
        }
    }
}

/// Receives a ticket from the 12345 platform (idempotent on its number) or typed by staff.
#[utoipa::path(
    post,
    path = "/api/v1/hotline/tickets",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    request_body = TicketBody,
    responses(
        (status = 201, description = "已受理", body = ReceivedDto),
        (status = 200, description = "该平台工单编号此前已受理：同一工单", body = ReceivedDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 409, description = "`platform_number_reused`：编号已用于另一工单", body = ErrorBody),
        (status = 422, description = "工单内容不全或格式不符（逐项 `problems`）", body = ErrorBody),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<TicketBody>,
) -> AppResult<(StatusCode, Json<ReceivedDto>)> {
    let (id, created) = state.app.hotline_receive(&user.actor, &body.input()).await?;
    let ticket = state.app.hotline_view(&user.actor, id).await?.into();
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(ReceivedDto { created, ticket })))
}

/// The year's tickets in the caller's jurisdiction (or dispatched to its units), owing first.
#[utoipa::path(
    get,
    path = "/api/v1/hotline/tickets",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "工单列表，含期限与督办等级", body = TicketListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<TicketListDto>> {
    let views = state.app.hotline_list(&user.actor, query.year).await?;
    Ok(Json(TicketListDto { items: views.into_iter().map(Into::into).collect() }))
}

/// One ticket with its history and limits today (the read is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/hotline/tickets/{id}",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "工单编号")),
    responses(
        (status = 200, description = "工单", body = TicketDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "工单不存在", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<TicketDto>> {
    Ok(Json(state.app.hotline_view(&user.actor, id).await?.into()))
}

/// Records an act today: 派单, 签收, 退单, 延期申请, 延期审批, 办结反馈, 回访.
#[utoipa::path(
    post,
    path = "/api/v1/hotline/tickets/{id}/acts",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "工单编号")),
    request_body = ActBody,
    responses(
        (status = 201, description = "已记录", body = TicketDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "工单不存在", body = ErrorBody),
        (status = 409, description = "`hotline_conflict`：工单已变化", body = ErrorBody),
        (status = 422, description = "该操作此时不合法（`hotline_wrong_stage`、`extension_self_approval`、`unit_outside_division`…）", body = ErrorBody),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActBody>,
) -> AppResult<(StatusCode, Json<TicketDto>)> {
    let input = ActInput {
        kind: body.kind,
        unit: body.unit.unwrap_or_default(),
        text: body.text.unwrap_or_default(),
        workdays: body.workdays.map(|n| n.to_string()).unwrap_or_default(),
        yes: yes_text(body.yes),
    };
    let view = state.app.hotline_act(&user.actor, id, body.expected_acts, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The replies of the platform's tickets of a year, for the platform (recorded as an export).
#[utoipa::path(
    get,
    path = "/api/v1/hotline/export",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "办结反馈与回访结果", body = ExportDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<ExportDto>> {
    let lines = state.app.hotline_export(&user.actor, query.year).await?;
    Ok(Json(ExportDto { year: query.year, items: lines.into_iter().map(Into::into).collect() }))
}

/// The year's figures: 按时办结率, 回访率, 满意率, 重复来电, 实名差评回访整改率.
#[utoipa::path(
    get,
    path = "/api/v1/hotline/stats",
    tag = "hotline",
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
    Ok(Json(state.app.hotline_stats(&user.actor, query.year).await?.into()))
}

/// The year's 差评 in the caller's jurisdiction, each a rectification matter.
#[utoipa::path(
    get,
    path = "/api/v1/hotline/rectifications",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "差评整改列表", body = RectListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn rectifications(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<YearQuery>,
) -> AppResult<Json<RectListDto>> {
    let views = state.app.hotline_rectifications(&user.actor, query.year).await?;
    Ok(Json(RectListDto { items: views.into_iter().map(Into::into).collect() }))
}

/// One case's 差评 and its rectification (the read is recorded).
#[utoipa::path(
    get,
    path = "/api/v1/hotline/rectifications/{id}",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    responses(
        (status = 200, description = "差评整改", body = RectDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "该办件没有差评", body = ErrorBody),
    )
)]
pub async fn rectification(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(case_id): AppPath<i64>,
) -> AppResult<Json<RectDto>> {
    Ok(Json(state.app.hotline_rectification(&user.actor, case_id).await?.into()))
}

/// Records a rectification act today: 回访, 核实, 整改, 解释, 申诉, 申诉审核.
#[utoipa::path(
    post,
    path = "/api/v1/hotline/rectifications/{id}/acts",
    tag = "hotline",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    request_body = RectBody,
    responses(
        (status = 201, description = "已记录", body = RectDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "该办件没有差评", body = ErrorBody),
        (status = 409, description = "`hotline_conflict`：已变化", body = ErrorBody),
        (status = 422, description = "此时不合法（`callback_required`、`verification_required`、`appeal_self_decision`…）", body = ErrorBody),
    )
)]
pub async fn rectify(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(case_id): AppPath<i64>,
    AppJson(body): AppJson<RectBody>,
) -> AppResult<(StatusCode, Json<RectDto>)> {
    let input = RectInput { kind: body.kind, text: body.text.unwrap_or_default(), yes: yes_text(body.yes) };
    let view = state.app.hotline_rectify(&user.actor, case_id, body.expected_acts, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The rater's rating of the fix, with the case's number and 查询码 (never a staff act).
#[utoipa::path(
    post,
    path = "/api/v1/hotline/rate-fix",
    tag = "hotline",
    request_body = RateFixBody,
    responses(
        (status = 201, description = "已记录", body = RatedDto),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 404, description = "办件编号或查询码不正确，或该办件没有差评", body = ErrorBody),
        (status = 422, description = "整改未办结、已评价过或未选择评价", body = ErrorBody),
        (status = 429, description = "查询失败次数过多", body = ErrorBody),
    )
)]
pub async fn rate_fix(
    State(state): State<AppState>,
    _same_site: SameSite,
    ClientAddr(addr): ClientAddr,
    AppJson(body): AppJson<RateFixBody>,
) -> AppResult<(StatusCode, Json<RatedDto>)> {
    state.app.hotline_rate_fix(&body.number, &body.check, &addr, &body.grade).await?;
    Ok((StatusCode::CREATED, Json(RatedDto { recorded: true })))
}
