//! The evaluation shown before the decision (核算预览): `GET /api/v1/cases/{id}/assistance-preview`
//! and the part of an assistance case page that shows it at 初审 and every review step
//! (`App::assistance_preview`: the same evaluation as the decide act; nothing decided).

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use service::assistance_preview::PreviewView;
use utoipa::ToSchema;

use crate::dto::ErrorBody;
use crate::error::AppResult;
use crate::extract::{AppPath, AuthUser};
use crate::views::date_zh;
use crate::AppState;

/// What the decision would compute if made today, with the rule it applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewDto {
    pub case_id: i64,
    pub program: String,
    pub program_name: String,
    /// YYYY-MM-DD: the decision date the evaluation assumes (today).
    pub evaluated_on: String,
    pub eligible: bool,
    /// Per month (once for 临时救助), in fen; 0 when not eligible.
    pub amount_fen: i64,
    pub amount_yuan: String,
    /// YYYY-MM
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    /// The rule version (救助标准版本) the evaluation applies, its document and first day.
    pub rule_version: String,
    pub rule_document: String,
    pub rule_effective_from: String,
    /// 低保 / 特困: the 低保 standard applied, yuan per person per month.
    pub standard_yuan: Option<String>,
    /// 低保: the income window [first, last] (YYYY-MM) the rule uses.
    pub income_window: Option<Vec<String>>,
    pub income_months: Option<u32>,
    /// 低保: months of the window with no income on record (a grant is refused with
    /// `income_months_missing` until they are entered; 0 for a month without income).
    pub income_months_missing: Vec<String>,
    /// The calculation, one Chinese line per rule (the decision's trace).
    pub trace: Vec<String>,
    /// Why not eligible, when not.
    pub reasons: Vec<String>,
}

impl From<PreviewView> for PreviewDto {
    fn from(p: PreviewView) -> PreviewDto {
        PreviewDto {
            case_id: p.case_id,
            program: p.program,
            program_name: p.program_name,
            evaluated_on: p.evaluated_on,
            eligible: p.eligible,
            amount_fen: p.amount_fen,
            amount_yuan: p.amount_yuan,
            first_month: p.first_month,
            last_month: p.last_month,
            rule_version: p.rule_version,
            rule_document: p.rule_document,
            rule_effective_from: p.rule_effective_from,
            standard_yuan: p.standard_yuan,
            income_window: p.income_window.map(|(a, b)| vec![a, b]),
            income_months: p.income_months,
            income_months_missing: p.missing_months,
            trace: p.trace,
            reasons: p.reasons,
        }
    }
}

/// The evaluation of an undecided assistance case as the decision would make it today (核算预览):
/// rule version, standard, income window and its missing months, amount, trace. Decides nothing;
/// each member shown is a `person.read`.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/assistance-preview",
    tag = "assistance",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号")),
    responses(
        (status = 200, description = "按今天作出决定核算的结果（预览，不是决定）", body = PreviewDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内，或无权查看家庭成员信息", body = ErrorBody),
        (status = 404, description = "办件不存在", body = ErrorBody),
        (status = 422, description = "尚未登记救助申请信息（`assistance_application_missing`）、已作出决定（`already_decided`），或无法核算（如 `no_assistance_rule`）", body = ErrorBody),
    )
)]
pub async fn preview(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<PreviewDto>> {
    Ok(Json(state.app.assistance_preview(&user.actor, id).await?.into()))
}

/// The preview as the case page shows it (dates and months in Chinese).
pub struct PreviewRows {
    pub evaluated_on: String,
    pub program_name: String,
    pub rule: String,
    pub standard: Option<String>,
    pub window: Option<String>,
    pub result: String,
    /// The months of the window without income on record, joined (empty when none).
    pub missing: String,
    pub trace: Vec<String>,
    pub reasons: Vec<String>,
}

fn month_zh(m: &str) -> String {
    domain::assistance::YearMonth::parse(m).map(|m| m.label_zh()).unwrap_or_else(|| m.to_string())
}

fn day_zh(d: &str) -> String {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map(date_zh).unwrap_or_else(|_| d.to_string())
}

/// The preview on the case page: for an undecided assistance case with its application, when the
/// user may see the household; `None` otherwise (the page shows no preview rather than failing).
pub async fn for_page(state: &AppState, user: &AuthUser, case_id: i64) -> Option<PreviewRows> {
    let p = state.app.assistance_preview(&user.actor, case_id).await.ok()?;
    Some(PreviewRows {
        evaluated_on: day_zh(&p.evaluated_on),
        program_name: p.program_name,
        rule: format!("{}（{}起施行，{}）", p.rule_version, day_zh(&p.rule_effective_from), p.rule_document),
        standard: p.standard_yuan.map(|s| format!("{s} 元/人/月")),
        window: p.income_window.map(|(a, b)| {
            let n = p.income_months.map(|n| format!("（申请月份之前 {n} 个月）")).unwrap_or_default();
            format!("{}至{}{n}", month_zh(&a), month_zh(&b))
        }),
        result: if p.eligible {
            format!("符合条件，每月（临时救助为一次性）{} 元", p.amount_yuan)
        } else {
            "不符合条件".to_string()
        },
        missing: p.missing_months.iter().map(|m| month_zh(m)).collect::<Vec<_>>().join("、"),
        trace: p.trace,
        reasons: p.reasons,
    })
}
