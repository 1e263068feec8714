//! An assistance case's 公示: where and when its notice was posted, and its period in the unit the
//! law counts it (natural days for 公示 7 天). Thin: the rules are in
//! `service::assistance_publicity`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use service::assistance_publicity::{PostingInput, PublicityView};

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AuthUser, PagePath, PagePost};
use crate::verticals::assistance::pages::case_form_answer;
use crate::views::date_zh;
use crate::AppState;

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingRequest {
    /// Where the notice was posted (at most 100 characters), e.g. 东城街道朝阳社区居委会公示栏.
    pub place: String,
    /// When, Asia/Shanghai: `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`; not before the case entered
    /// its 公示 step, not after now.
    pub posted_at: String,
    /// The case's revision the client saw (required): a case changed since is 409 `case_conflict`.
    #[schema(required = true)]
    pub expected_revision: Option<i64>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PostingDto {
    pub place: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub posted_at: String,
    /// The last day of the period counted from the day of posting (that day not counted).
    pub period_end: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublicityDto {
    pub case_id: i64,
    /// The 公示 step's name while the case is at it; absent otherwise.
    pub step_name: Option<String>,
    /// The period as the law counts it: `7 天（自然日）`, or `5 个工作日`.
    pub period: Option<String>,
    /// The step's last day.
    pub due_date: Option<String>,
    /// Left after today, in `days_unit` (natural days for a natural-day period); negative when
    /// overdue.
    pub remaining: Option<i64>,
    /// `天` or `个工作日`.
    pub days_unit: Option<String>,
    pub postings: Vec<PostingDto>,
}

impl From<PublicityView> for PublicityDto {
    fn from(v: PublicityView) -> PublicityDto {
        PublicityDto {
            case_id: v.case_id,
            step_name: v.step_name,
            period: v.period,
            due_date: v.due,
            remaining: v.remaining,
            days_unit: v.days_unit,
            postings: v
                .postings
                .into_iter()
                .map(|p| PostingDto { place: p.place, posted_at: p.posted_at, period_end: p.period_end })
                .collect(),
        }
    }
}

/// Records where and when the case's 公示 notice was posted (社会救助暂行办法第十一条第二项).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assistance-publicity",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "办件编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键（1至128个可见字符）：应答丢失时以同一键、同一请求体重试，返回首次的应答，绝不重复写入；同一键用于不同请求为 422 `idempotency_key_mismatch`，为其他账号所用为 409 `idempotency_key_reused`"),
    ),
    request_body = PostingRequest,
    responses(
        (status = 201, description = "已记录公示张贴地点和时间", body = PublicityDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 409, description = "`case_conflict`：办件已变化（`revision` 当前版本、`last_act` 最近一次办理的人、操作与时间）；`idempotency_key_reused`：幂等键已为其他账号所用", body = ErrorBody),
        (status = 422, description = "不在公示环节（`not_at_publicity`），或地点、时间不符合规则；缺少 `expected_revision`（`expected_revision_required`）；幂等键已用于不同请求（`idempotency_key_mismatch`）", body = ErrorBody),
    )
)]
pub async fn record_posting(
    State(state): State<AppState>,
    user: AuthUser,
    headers: axum::http::HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<PostingRequest>,
) -> AppResult<(StatusCode, Json<PublicityDto>)> {
    let key = crate::routes::cases::idempotency_header(&headers)?;
    let expected = crate::routes::cases::required_revision(body.expected_revision)?;
    let input = PostingInput { place: body.place, posted_at: body.posted_at };
    let view = state.app.record_publicity_posting_keyed(&user.actor, id, expected, key.as_deref(), &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The case's 公示: its period (natural days for 公示 7 天) and where and when it was posted.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/assistance-publicity",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    responses(
        (status = 200, description = "公示期间及张贴记录", body = PublicityDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
    )
)]
pub async fn publicity(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<PublicityDto>> {
    Ok(Json(state.app.publicity(&user.actor, id).await?.into()))
}

/// The case page's form for the posting of the 公示 notice.
#[utoipa::path(
    post,
    path = "/cases/{id}/assistance-publicity",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision（页面所见的办件版本号，必填）, idempotency_key（幂等键：重复提交只写入一次）, place, posted_at"),
    responses(
        (status = 303, description = "已记录：转回办件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
        (status = 409, description = "办件已被他人办理或变化：页面显示当前状态与最近一次办理", content_type = "text/html", body = String),
        (status = 422, description = "不在公示环节或输入不符合规则：办件页与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn record_posting_page(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    post: PagePost,
) -> Response {
    let input = PostingInput { place: post.one("place"), posted_at: post.one("posted_at") };
    let user = &post.user;
    let result = match crate::verticals::assistance::pages::form_write(&post.fields) {
        Ok((expected, key)) => {
            state.app.record_publicity_posting_keyed(&user.actor, id, expected, key.as_deref(), &input).await
        }
        Err(err) => Err(err),
    };
    case_form_answer(&state, user, id, result, |_| format!("/cases/{id}?done=publicity_posted")).await
}

// ---------------------------------------------------------------------------------------------
// On the case page

/// The case page's 公示 window: the period in the unit the law counts it, natural days left for a
/// natural-day period, and how an objection is recorded.
pub fn window_text(
    step: &domain::procedure::StepDef,
    case: &domain::engine::case::Case,
    due: &domain::engine::deadline::Deadline,
) -> String {
    use domain::procedure::LimitUnit;
    let start = date_zh(domain::calendar::shanghai_date(case.step_entered_at));
    let end = due.due.map(date_zh).unwrap_or_else(|| "—".to_string());
    let (period, rule) = match step.timer.as_ref().map(|t| &t.after) {
        Some(l) if l.unit == LimitUnit::Day => {
            (format!("{}天", l.value), "（自然日，起始日不计；最后一日为法定节假日或休息日的，顺延至其后第一个工作日）")
        }
        Some(l) => (format!("{} 个工作日", l.value), "（工作日，起始日不计）"),
        None => ("—".to_string(), ""),
    };
    let left = match (due.remaining_days, due.remaining_workdays) {
        (Some(n), _) if n > 0 => format!("，还剩 {n} 天"),
        (None, n) if n > 0 => format!("，还剩 {n} 个工作日"),
        (Some(0), _) | (None, 0) => "，今日期满".to_string(),
        _ => String::new(),
    };
    format!(
        "“{}”自{start}起，公示期{period}{rule}，至{end}期满{left}。\
         期满无异议的，转入下一环节。公示期间有异议的：选择“审核”，意见选“退回”，并在意见说明中写明异议，办件退回调查核实环节，重新调查后再次公示。",
        step.name
    )
}

/// The postings shown on the case page, and whether the form to record one is shown.
pub struct PostingsSection {
    /// (place, posted at, period end counted from the posting).
    pub rows: Vec<(String, String, String)>,
    pub form: bool,
}

pub async fn postings_section(
    state: &AppState,
    user: &AuthUser,
    case_id: i64,
    form: bool,
) -> Result<PostingsSection, AppError> {
    let view = state.app.publicity(&user.actor, case_id).await?;
    Ok(PostingsSection {
        rows: view
            .postings
            .into_iter()
            .map(|p| (p.place, p.posted_at, p.period_end.as_deref().map(date_text).unwrap_or_default()))
            .collect(),
        form,
    })
}

fn date_text(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(date_zh).unwrap_or_else(|_| iso.to_string())
}
