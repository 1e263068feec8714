//! 双随机、一公开 on the web: the staff page `/enforcement/inspections` (the draws with their seed,
//! lists and results; the heads' forms to draw and to record a declared conflict; the inspectors'
//! form to publish a result), its JSON API under `/api/v1/enforcement/inspections`, and the public
//! `/api/v1/enforcement/public/{code}/inspections` (everything a re-run of the draw needs). The
//! rules are `domain::verticals::enforcement::draw`'s; the forms go through the service's parsers.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use domain::access::Permission;
use domain::division::{DivisionCode, Divisions, Level};
use domain::verticals::enforcement::draw::{Finding, BASIS_DRAW, BASIS_INSPECTORS, BASIS_RESULT};
use serde::{Deserialize, Serialize};
use service::verticals::enforcement::draws::{ConflictForm, DrawForm, DrawView, ResultForm};
use service::verticals::enforcement::OfficerRow;
use service::ErrorKind;
use utoipa::ToSchema;

use super::pages::{messages, query_param, refusal_status};
use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AuthUser, PagePath, PagePost, PageUser, CSRF_FIELD};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

fn officer_text(register: &[OfficerRow], id: i64) -> String {
    register
        .iter()
        .find(|r| r.officer.id == id)
        .map(|r| format!("{}（{}）", r.officer.name, r.officer.certificate_no))
        .unwrap_or_else(|| "（名录中无此人）".to_string())
}

fn finding_text(finding: Option<&str>) -> String {
    finding.and_then(Finding::parse).map(|f| f.name_zh().to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// DTOs

/// An organization of the inspection list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetDto {
    pub credit_code: String,
    pub name: String,
}

/// An inspector of the officers' register (register id, name, 证号).
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectorDto {
    pub id: i64,
    pub name: String,
    pub certificate_no: String,
}

/// A declared conflict: the inspector (register id) does not inspect the organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictDto {
    pub officer: i64,
    pub credit_code: String,
}

/// One drawn organization with its two inspectors and, once published, the result.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawLineDto {
    pub position: i64,
    pub credit_code: String,
    pub name: String,
    /// Register ids, in the order drawn.
    pub inspectors: Vec<i64>,
    pub checked_on: Option<String>,
    /// clean | rectify | filed | not_found
    pub finding: Option<String>,
    pub finding_label: Option<String>,
    pub note: Option<String>,
    pub published_on: Option<String>,
    /// The last day to publish the result (20 working days after the inspection).
    pub publish_by: Option<String>,
}

/// A draw with everything a re-run needs: the seed, the canonical lists (in the order the draw
/// ran on), the declared conflicts, the number; and what it drew.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawDto {
    pub id: i64,
    pub division: String,
    /// regular | special
    pub kind: String,
    pub drawn_on: String,
    /// 64 hex digits.
    pub seed: String,
    /// SM3 of the canonical input as JSON.
    pub input_sm3: String,
    pub count: usize,
    pub targets: Vec<TargetDto>,
    pub inspectors: Vec<InspectorDto>,
    pub conflicts: Vec<ConflictDto>,
    pub lines: Vec<DrawLineDto>,
    /// How to re-run it.
    pub method: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DrawsDto {
    pub items: Vec<DrawDto>,
}

/// The method, stated on every published draw.
pub const METHOD: &str = "按统一社会信用代码排序检查对象名录、按执法证号排序执法检查人员名录；以随机种子为密钥，第i个随机数取SM3(种子‖i的8字节大端序)的前8字节（大端序无符号整数），用拒绝采样取区间内均匀数；先以部分费雪-耶茨洗牌抽取检查对象，再依抽取顺序为每个对象从无需回避的人员中先后抽取两名。";

fn draw_dto(view: DrawView) -> DrawDto {
    let DrawView { row, kind, input, due } = view;
    DrawDto {
        id: row.id,
        division: row.division,
        kind: kind.as_str().into(),
        drawn_on: row.drawn_on.to_string(),
        seed: row.seed,
        input_sm3: row.input_sm3,
        count: input.count,
        targets: input.targets.into_iter().map(|t| TargetDto { credit_code: t.credit_code, name: t.name }).collect(),
        inspectors: input
            .inspectors
            .into_iter()
            .map(|i| InspectorDto { id: i.id, name: i.name, certificate_no: i.certificate_no })
            .collect(),
        conflicts: input
            .conflicts
            .into_iter()
            .map(|c| ConflictDto { officer: c.officer, credit_code: c.credit_code })
            .collect(),
        lines: row
            .lines
            .into_iter()
            .zip(due)
            .map(|(l, due)| DrawLineDto {
                position: l.position,
                finding_label: l.finding.as_deref().map(|f| finding_text(Some(f))),
                credit_code: l.credit_code,
                name: l.name,
                inspectors: l.inspectors.to_vec(),
                checked_on: l.checked_on.map(|d| d.to_string()),
                finding: l.finding,
                note: l.note,
                published_on: l.published_on.map(|d| d.to_string()),
                publish_by: due.map(|d| d.to_string()),
            })
            .collect(),
        method: METHOD.into(),
    }
}

/// A draw (双随机).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawBody {
    /// The body's division code (the register authority).
    pub division: String,
    /// regular (定期抽查, at least the ratio of 第五条) | special (不定期抽查).
    pub kind: String,
    /// How many organizations to draw, 1–500.
    pub count: i64,
}

/// A declared conflict of interest (行政处罚法 第四十三条).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictBody {
    /// The officer's register id.
    pub officer: i64,
    /// The organization's 统一社会信用代码.
    pub credit_code: String,
    pub reason: String,
}

/// The result of one drawn organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultBody {
    /// The line's position in the draw.
    pub position: i64,
    /// YYYY-MM-DD
    pub checked_on: String,
    /// clean | rectify | filed | not_found
    pub finding: String,
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// API

/// The draws of the caller's jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/inspections",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "双随机抽查", body = DrawsDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<DrawsDto>> {
    let items = state.app.enforcement_draws(&user.actor).await?.into_iter().map(draw_dto).collect();
    Ok(Json(DrawsDto { items }))
}

/// Draws organizations and two inspectors for each from a fresh seed; published at once.
#[utoipa::path(
    post,
    path = "/api/v1/enforcement/inspections",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    request_body = DrawBody,
    responses(
        (status = 201, description = "已抽取并公示", body = DrawDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权限", body = ErrorBody),
        (status = 422, description = "`draw_kind`、`draw_count`、`draw_below_ratio`、`draw_inspectors`、`draw_empty`", body = ErrorBody),
    )
)]
pub async fn draw(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<DrawBody>,
) -> AppResult<(StatusCode, Json<DrawDto>)> {
    let form = DrawForm { division: body.division, kind: body.kind, count: body.count.to_string() };
    let id = state.app.enforcement_draw(&user.actor, &form).await?;
    let view = state.app.enforcement_draws(&user.actor).await?.into_iter().find(|d| d.row.id == id);
    let view = view.ok_or_else(|| service::ServiceError::not_found("抽查"))?;
    Ok((StatusCode::CREATED, Json(draw_dto(view))))
}

/// Records an officer's declared conflict with an organization; later draws keep the pair apart.
#[utoipa::path(
    post,
    path = "/api/v1/enforcement/inspections/conflicts",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    request_body = ConflictBody,
    responses(
        (status = 201, description = "已登记回避"),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权限", body = ErrorBody),
        (status = 409, description = "`inspector_conflict_taken`", body = ErrorBody),
        (status = 422, description = "`officer_unknown`、`org_unknown`", body = ErrorBody),
    )
)]
pub async fn conflict(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<ConflictBody>,
) -> AppResult<StatusCode> {
    let form = ConflictForm { officer: body.officer.to_string(), credit_code: body.credit_code, reason: body.reason };
    state.app.enforcement_declare_conflict(&user.actor, &form).await?;
    Ok(StatusCode::CREATED)
}

/// Publishes the result of one drawn organization (the inspectors).
#[utoipa::path(
    post,
    path = "/api/v1/enforcement/inspections/{id}/results",
    tag = "enforcement",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "抽查编号")),
    request_body = ResultBody,
    responses(
        (status = 201, description = "已公示检查结果", body = DrawDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内或无权限", body = ErrorBody),
        (status = 404, description = "抽查不存在", body = ErrorBody),
        (status = 409, description = "`result_recorded`", body = ErrorBody),
        (status = 422, description = "`draw_line_unknown`、`checked_early`、`draw_finding`", body = ErrorBody),
    )
)]
pub async fn result(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ResultBody>,
) -> AppResult<(StatusCode, Json<DrawDto>)> {
    let form = ResultForm {
        position: body.position.to_string(),
        checked_on: body.checked_on,
        finding: body.finding,
        note: body.note.unwrap_or_default(),
    };
    state.app.enforcement_record_result(&user.actor, id, &form).await?;
    let view = state.app.enforcement_draws(&user.actor).await?.into_iter().find(|d| d.row.id == id);
    let view = view.ok_or_else(|| service::ServiceError::not_found("抽查"))?;
    Ok((StatusCode::CREATED, Json(draw_dto(view))))
}

/// 一公开: the draws of a body with the seed and the lists to re-run them, and the results. Public.
#[utoipa::path(
    get,
    path = "/api/v1/enforcement/public/{code}/inspections",
    tag = "enforcement",
    params(("code" = String, Path, description = "执法机关所在行政区划代码")),
    responses(
        (status = 200, description = "双随机抽查及其结果", body = DrawsDto),
        (status = 400, description = "行政区划代码格式不正确（`invalid_path`）", body = ErrorBody),
        (status = 422, description = "行政区划代码不存在", body = ErrorBody),
    )
)]
pub async fn public(State(state): State<AppState>, AppPath(code): AppPath<String>) -> AppResult<Json<DrawsDto>> {
    crate::routes::divisions::parse_code("code", &code)?;
    let items = state.app.enforcement_public_draws(&code).await?.into_iter().map(draw_dto).collect();
    Ok(Json(DrawsDto { items }))
}

// ---------------------------------------------------------------------------------------------
// The staff page

/// A drawn organization on the page.
pub struct LineView {
    pub position: i64,
    pub name: String,
    pub credit_code: String,
    pub inspectors: String,
    pub result: Option<String>,
    pub due: String,
    /// The 立案 form prefilled from this result, where a problem was found and the caller may
    /// file at the body (empty otherwise).
    pub file_link: String,
}

/// A draw on the page.
pub struct DrawBlock {
    pub id: i64,
    pub title: String,
    pub seed: String,
    pub input_sm3: String,
    pub lists: String,
    pub lines: Vec<LineView>,
    pub may_record: bool,
    pub today: String,
}

#[derive(Template)]
#[template(path = "verticals/enforcement/inspections.html")]
pub struct InspectionsPage {
    pub layout: Layout,
    pub draws: Vec<DrawBlock>,
    pub may_draw: bool,
    pub done: String,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub picker: DivisionPicker,
    /// (id, label) of the officers with a valid credential.
    pub officers: Vec<(i64, String)>,
    /// (credit code, name) of the inspection list.
    pub targets: Vec<(String, String)>,
    /// Officer, organization, reason of the declared conflicts.
    pub conflicts: Vec<(String, String, String)>,
    pub findings: Vec<(&'static str, &'static str)>,
    pub basis_draw: &'static str,
    pub basis_inspectors: &'static str,
    pub basis_result: &'static str,
    pub form: Vec<(String, String)>,
}

impl InspectionsPage {
    pub fn value(&self, name: &str) -> &str {
        self.form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

async fn inspections_page(
    state: &AppState,
    user: &AuthUser,
    done: String,
    errors: Vec<String>,
    form: Vec<(String, String)>,
) -> Result<InspectionsPage, service::ServiceError> {
    let views = state.app.enforcement_draws(&user.actor).await?;
    let register = state.app.enforcement_officers(&user.actor).await?;
    let today = state.app.today();
    let draws = views
        .into_iter()
        .map(|v| {
            let may_record = DivisionCode::parse(&v.row.division)
                .is_ok_and(|d| user.actor.may(Permission::EnforceCases, &d, state.app.divisions()));
            let place = DivisionCode::parse(&v.row.division)
                .ok()
                .and_then(|d| state.app.divisions().get(&d).map(|x| x.name.clone()))
                .unwrap_or_default();
            DrawBlock {
                id: v.row.id,
                title: format!("{}{}（{}）", place, v.kind.name_zh(), date_zh(v.row.drawn_on)),
                seed: v.row.seed.clone(),
                input_sm3: v.row.input_sm3.clone(),
                lists: format!(
                    "检查对象名录{}家、执法检查人员{}名、登记回避{}项，抽取{}家",
                    v.input.targets.len(),
                    v.input.inspectors.len(),
                    v.input.conflicts.len(),
                    v.input.count
                ),
                lines: v
                    .row
                    .lines
                    .iter()
                    .zip(&v.due)
                    .map(|(l, due)| LineView {
                        position: l.position,
                        name: l.name.clone(),
                        credit_code: l.credit_code.clone(),
                        inspectors: l
                            .inspectors
                            .iter()
                            .map(|i| officer_text(&register, *i))
                            .collect::<Vec<_>>()
                            .join("、"),
                        result: l.finding.as_deref().map(|f| {
                            let mut text = finding_text(Some(f));
                            if let Some(c) = l.checked_on {
                                text = format!("{text}（{}检查", date_zh(c));
                                if let Some(p) = l.published_on {
                                    text.push_str(&format!("，{}公示", date_zh(p)));
                                }
                                text.push('）');
                            }
                            if let Some(n) = l.note.as_deref().filter(|n| !n.is_empty()) {
                                text.push_str(&format!("：{n}"));
                            }
                            text
                        }),
                        due: due.map(date_zh).unwrap_or_default(),
                        file_link: match l.finding.as_deref().and_then(Finding::parse) {
                            Some(f) if may_record && f.problem_found() => {
                                format!("/enforcement?org={}&draw={}&line={}#file", l.credit_code, v.row.id, l.position)
                            }
                            _ => String::new(),
                        },
                    })
                    .collect(),
                may_record,
                today: today.to_string(),
            }
        })
        .collect();
    let may_draw = user.actor.may_somewhere(Permission::ManageEnforcementOfficers);
    let mut targets = Vec::new();
    if may_draw {
        for code in user.actor.scope(Permission::ManageEnforcementOfficers) {
            if let Ok(list) = state.app.enforcement_inspection_list(&user.actor, code.as_str()).await {
                targets.extend(list.into_iter().map(|t| (t.credit_code, t.name)));
            }
        }
        targets.sort();
        targets.dedup();
    }
    let conflicts = if may_draw {
        state
            .app
            .enforcement_conflicts(&user.actor)
            .await?
            .into_iter()
            .map(|c| {
                let org = targets
                    .iter()
                    .find(|(code, _)| *code == c.credit_code)
                    .map_or_else(|| c.credit_code.clone(), |(code, name)| format!("{name}（{code}）"));
                (officer_text(&register, c.officer_id), org, c.reason)
            })
            .collect()
    } else {
        Vec::new()
    };
    let value = form.iter().find(|(k, _)| k == "division").map_or(String::new(), |(_, v)| v.clone());
    let field = DivisionField::new("division", "登记管理机关所在地").required().down_to(Level::County);
    Ok(InspectionsPage {
        layout: Layout::for_user("双随机抽查", user),
        draws,
        may_draw,
        done,
        errors,
        csrf_token: user.csrf_token.clone(),
        picker: DivisionPicker::new(Divisions::builtin(), &user.actor, &field, &value),
        officers: register
            .iter()
            .filter(|r| r.officer.credential_valid(today))
            .map(|r| (r.officer.id, format!("{}（{}）", r.officer.name, r.officer.certificate_no)))
            .collect(),
        targets,
        conflicts,
        findings: Finding::ALL.iter().map(|f| (f.as_str(), f.name_zh())).collect(),
        basis_draw: BASIS_DRAW,
        basis_inspectors: BASIS_INSPECTORS,
        basis_result: BASIS_RESULT,
        form,
    })
}

fn page_response(
    result: Result<InspectionsPage, service::ServiceError>,
    status: StatusCode,
    user: &AuthUser,
) -> Response {
    match result {
        Ok(page) => render_status(status, &page),
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// A refusal shows the page again with the law's words and what was typed.
async fn refused(state: &AppState, post: &PagePost, err: service::ServiceError) -> Response {
    let user = &post.user;
    if !matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) {
        return AppError::from(err).into_html_for(user);
    }
    let form = post.fields.iter().filter(|(k, _)| k != CSRF_FIELD).cloned().collect();
    page_response(inspections_page(state, user, String::new(), messages(&err), form).await, refusal_status(&err), user)
}

/// The draws with their seeds and results; the forms to draw, to record a declared conflict and
/// to publish a result.
#[utoipa::path(
    get,
    path = "/enforcement/inspections",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "双随机抽查：抽取记录、随机种子、检查结果与回避登记", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn page(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let done = query_param(&query, "done");
    page_response(inspections_page(&state, &user, done, vec![], vec![]).await, StatusCode::OK, &user)
}

/// Draws from the page's form.
#[utoipa::path(
    post,
    path = "/enforcement/inspections",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, kind (regular | special), count"),
    responses(
        (status = 303, description = "已抽取：转回抽查页"),
        (status = 403, description = "CSRF 令牌不符，或无权抽取", content_type = "text/html", body = String),
        (status = 422, description = "不能抽取：抽查页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn draw_form(State(state): State<AppState>, post: PagePost) -> Response {
    let form = DrawForm { division: post.one("division"), kind: post.one("kind"), count: post.one("count") };
    match state.app.enforcement_draw(&post.user.actor, &form).await {
        Ok(id) => Redirect::to(&format!("/enforcement/inspections?done=draw#draw-{id}")).into_response(),
        Err(err) => refused(&state, &post, err).await,
    }
}

/// Records a declared conflict from the page's form.
#[utoipa::path(
    post,
    path = "/enforcement/inspections/conflicts",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, officer, credit_code, reason"),
    responses(
        (status = 303, description = "已登记回避：转回抽查页"),
        (status = 403, description = "CSRF 令牌不符，或无权登记", content_type = "text/html", body = String),
        (status = 409, description = "已登记过：抽查页与提示", content_type = "text/html", body = String),
        (status = 422, description = "不能登记：抽查页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn conflict_form(State(state): State<AppState>, post: PagePost) -> Response {
    let form =
        ConflictForm { officer: post.one("officer"), credit_code: post.one("credit_code"), reason: post.one("reason") };
    match state.app.enforcement_declare_conflict(&post.user.actor, &form).await {
        Ok(()) => Redirect::to("/enforcement/inspections?done=conflict#conflicts").into_response(),
        Err(err) => refused(&state, &post, err).await,
    }
}

/// Publishes a result from the page's form.
#[utoipa::path(
    post,
    path = "/enforcement/inspections/{id}/results",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "抽查编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, position, checked_on, finding, note"),
    responses(
        (status = 303, description = "已公示检查结果：转回抽查页"),
        (status = 403, description = "CSRF 令牌不符，或无权记录", content_type = "text/html", body = String),
        (status = 404, description = "抽查不存在", content_type = "text/html", body = String),
        (status = 409, description = "结果已公示：抽查页与提示", content_type = "text/html", body = String),
        (status = 422, description = "不能记录：抽查页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn result_form(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let form = ResultForm {
        position: post.one("position"),
        checked_on: post.one("checked_on"),
        finding: post.one("finding"),
        note: post.one("note"),
    };
    match state.app.enforcement_record_result(&post.user.actor, id, &form).await {
        Ok(()) => Redirect::to(&format!("/enforcement/inspections?done=result#draw-{id}")).into_response(),
        Err(err) => refused(&state, &post, err).await,
    }
}
