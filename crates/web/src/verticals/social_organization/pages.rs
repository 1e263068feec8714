//! The staff pages of the register: the list with its search and figures, an organization's
//! page (its facts, the history of its versions, inspections and 脱钩, with the forms to record
//! them), the year's inspection campaign and the 脱钩 tracker. Forms go through the service's
//! parsers, the same as the JSON API.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::access::Permission;
use domain::division::DivisionCode;
use domain::verticals::social_organization::branch::BranchKind;
use domain::verticals::social_organization::decoupling::{DecouplingStatus, Separation};
use domain::verticals::social_organization::inspection::{InspectionResult, Standing};
use domain::verticals::social_organization::sanction;
use domain::verticals::social_organization::{DirectCategory, Level, OrgStatus, OrgType};
use service::verticals::social_organization::enforcement::OpenCasesForm;
use service::verticals::social_organization::register::{
    BranchCloseForm, BranchForm, InspectionForm, OrgView, RegisterQuery, SeparationForm,
};
use service::verticals::social_organization::OrgRow;
use service::{ErrorKind, ServiceError};

use super::api::{announcement_kind, result_name};
use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

fn problems(err: &ServiceError) -> Vec<String> {
    if err.problems.is_empty() {
        vec![err.message.clone()]
    } else {
        err.problems.iter().map(|p| p.message.clone()).collect()
    }
}

/// One organization as a line of a list.
pub struct Line {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub org_type: &'static str,
    pub path: String,
    pub registered: String,
    pub status: &'static str,
}

pub(super) fn path_text(o: &OrgRow) -> String {
    match o.category.as_deref().and_then(DirectCategory::parse) {
        Some(c) => format!("直接登记（{}）", c.name_zh()),
        None => format!("业务主管单位：{}", o.sponsor.as_deref().unwrap_or("—")),
    }
}

fn line(o: &OrgRow) -> Line {
    Line {
        id: o.id,
        name: o.name.clone(),
        credit_code: o.credit_code.clone(),
        org_type: OrgType::parse(&o.org_type).map_or("", |t| t.name_zh()),
        path: path_text(o),
        registered: date_zh(o.registered_on),
        status: OrgStatus::parse(&o.status).map_or("", |s| s.name_zh()),
    }
}

#[derive(Template)]
#[template(path = "verticals/social_organization/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub q: String,
    pub org_type: String,
    pub status: String,
    pub types: Vec<(&'static str, &'static str)>,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub lines: Vec<Line>,
    pub errors: Vec<String>,
    pub xlsx: String,
    pub year: i32,
    /// (type, direct, sponsored).
    pub figures: Vec<(&'static str, usize, usize)>,
}

/// The register with its search.
#[utoipa::path(get, path = "/organizations", tag = "pages", security(("cookie" = [])),
    params(
        ("q" = Option<String>, Query, description = "名称或统一社会信用代码的一部分"),
        ("org_type" = Option<String>, Query, description = "social_group | private_non_enterprise | foundation"),
        ("status" = Option<String>, Query, description = "normal | revoked | deregistered"),
    ),
    responses(
        (status = 200, description = "社会组织登记名册（可查询，可导出 xlsx）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
        (status = 422, description = "查询条件不正确", content_type = "text/html", body = String),
    ))]
pub async fn register(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let input = RegisterQuery {
        q: query_param(&query, "q"),
        org_type: query_param(&query, "org_type"),
        status: query_param(&query, "status"),
    };
    let (lines, errors, status) = match state.app.social_orgs(&user.actor, &input).await {
        Ok(rows) => (rows.iter().map(line).collect(), Vec::new(), StatusCode::OK),
        Err(err) if err.kind == ErrorKind::Invalid => (Vec::new(), problems(&err), StatusCode::UNPROCESSABLE_ENTITY),
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let year = state.app.today().year();
    let figures = match state.app.social_org_stats(&user.actor, &year.to_string()).await {
        Ok(stats) => stats.by_type_path.iter().map(|(t, d, s)| (t.name_zh(), *d, *s)).collect(),
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let xlsx = format!(
        "/api/v1/organizations/register.xlsx?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &input.q)
            .append_pair("org_type", &input.org_type)
            .append_pair("status", &input.status)
            .finish()
    );
    let page = RegisterPage {
        layout: Layout::for_user("社会组织登记名册", &user),
        q: input.q,
        org_type: input.org_type,
        status: input.status,
        types: OrgType::ALL.iter().map(|t| (t.as_str(), t.name_zh())).collect(),
        statuses: OrgStatus::ALL.iter().map(|s| (s.as_str(), s.name_zh())).collect(),
        lines,
        errors,
        xlsx,
        year,
        figures,
    };
    render_status(status, &page)
}

pub struct VersionLine {
    pub from: String,
    pub kind: &'static str,
    pub name: String,
    pub address: String,
    pub legal_rep: String,
}

pub struct InspectionLine {
    pub year: i32,
    pub to_sponsor: String,
    pub to_authority: String,
    pub result: String,
}

pub struct BranchLine {
    pub kind: &'static str,
    pub name: String,
    pub principal: String,
    pub address: String,
    pub opened_on: String,
    pub closed_on: String,
}

pub struct SeparationLine {
    pub name: &'static str,
    pub done_on: String,
    pub evidence: String,
}

#[derive(Template)]
#[template(path = "verticals/social_organization/organization.html")]
pub struct OrgPage {
    pub layout: Layout,
    pub id: i64,
    pub name: String,
    pub rows: Vec<(&'static str, String)>,
    pub dormant: bool,
    pub versions: Vec<VersionLine>,
    pub inspections: Vec<InspectionLine>,
    pub decoupling: &'static str,
    pub former_organ: String,
    pub separations: Vec<SeparationLine>,
    pub open_separations: Vec<(&'static str, &'static str)>,
    pub branches: Vec<BranchLine>,
    /// Whether the form to enter a branch is offered: a registered 社会团体 or 基金会 (a 民办非企业
    ///单位 opens none, 民非条例第十三条).
    pub may_open_branch: bool,
    pub branch_kinds: Vec<(&'static str, &'static str)>,
    pub open_branch_names: Vec<String>,
    pub results: Vec<(&'static str, &'static str)>,
    pub csrf_token: String,
    pub done: String,
    pub errors: Vec<String>,
    pub year: i32,
    pub today: String,
}

fn org_page(state: &AppState, user: &AuthUser, view: OrgView, done: String, errors: Vec<String>) -> OrgPage {
    let o = &view.full.org;
    let yuan = domain::assistance::format_yuan(o.funds_fen);
    let mut rows = vec![
        ("统一社会信用代码", o.credit_code.clone()),
        ("类型", OrgType::parse(&o.org_type).map_or("", |t| t.name_zh()).to_string()),
        ("级别", Level::parse(&o.level).map_or("", |l| l.name_zh()).to_string()),
        ("登记方式", path_text(o)),
        ("住所", o.address.clone()),
        ("法定代表人（负责人）", o.legal_rep_name.clone()),
        (OrgType::parse(&o.org_type).map_or("活动资金", |t| t.funds_name()), format!("{yuan}元")),
        ("成立登记日期", date_zh(o.registered_on)),
        ("状态", OrgStatus::parse(&o.status).map_or("", |s| s.name_zh()).to_string()),
    ];
    if o.org_type == OrgType::SocialGroup.as_str() {
        rows.insert(7, ("会员", format!("个人会员{}个，单位会员{}个", o.individual_members, o.unit_members)));
    }
    if let Some(ended) = o.ended_on {
        rows.push(("终止日期", date_zh(ended)));
    }
    let done_separations: Vec<&str> = view.full.separations.iter().map(|s| s.separation.as_str()).collect();
    OrgPage {
        layout: Layout::for_user(o.name.clone(), user),
        id: o.id,
        name: o.name.clone(),
        rows,
        dormant: view.dormant,
        versions: view
            .full
            .versions
            .iter()
            .map(|v| VersionLine {
                from: date_zh(v.valid_from),
                kind: announcement_kind(&v.change_kind),
                name: v.version.name.clone(),
                address: v.version.address.clone(),
                legal_rep: v.version.legal_rep_name.clone(),
            })
            .collect(),
        inspections: view
            .full
            .inspections
            .iter()
            .map(|i| InspectionLine {
                year: i.year,
                to_sponsor: i.to_sponsor_on.map(date_zh).unwrap_or_else(|| "—".into()),
                to_authority: i.to_authority_on.map(date_zh).unwrap_or_else(|| "—".into()),
                result: result_name(i.result.as_deref()).unwrap_or_else(|| "待审查".into()),
            })
            .collect(),
        decoupling: view.decoupling.name_zh(),
        former_organ: view.full.separations.first().map(|s| s.former_organ.clone()).unwrap_or_default(),
        separations: view
            .full
            .separations
            .iter()
            .map(|s| SeparationLine {
                name: Separation::parse(&s.separation).map_or("", |x| x.name_zh()),
                done_on: date_zh(s.done_on),
                evidence: s.evidence.clone(),
            })
            .collect(),
        open_separations: Separation::ALL
            .iter()
            .filter(|s| !done_separations.contains(&s.as_str()))
            .map(|s| (s.as_str(), s.name_zh()))
            .collect(),
        branches: view
            .full
            .branches
            .iter()
            .map(|b| BranchLine {
                kind: BranchKind::parse(&b.kind).map_or("", |k| k.name_zh()),
                name: b.name.clone(),
                principal: b.principal.clone(),
                address: b.address.clone(),
                opened_on: date_zh(b.opened_on),
                closed_on: b.closed_on.map(date_zh).unwrap_or_default(),
            })
            .collect(),
        may_open_branch: o.status == OrgStatus::Normal.as_str() && o.org_type != OrgType::PrivateNonEnterprise.as_str(),
        branch_kinds: [BranchKind::Branch, BranchKind::Representative]
            .iter()
            .map(|k| (k.as_str(), k.name_zh()))
            .collect(),
        open_branch_names: view
            .full
            .branches
            .iter()
            .filter(|b| b.closed_on.is_none())
            .map(|b| b.name.clone())
            .collect(),
        results: InspectionResult::ALL.iter().map(|r| (r.as_str(), r.name_zh())).collect(),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
        year: state.app.today().year(),
        today: state.app.today().to_string(),
    }
}

/// An organization's page.
#[utoipa::path(get, path = "/organizations/{id}", tag = "pages", security(("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    responses(
        (status = 200, description = "社会组织：登记事项、历次变更、年检、脱钩，及登记表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
    ))]
pub async fn organization(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let done = match query_param(&query, "done").as_str() {
        "inspection" => "年检情况已记录。",
        "separation" => "脱钩事项已记录。",
        "branch" => "分支机构（代表机构）已记入名册。",
        "branch_closed" => "分支机构（代表机构）的注销已记入名册。",
        _ => "",
    };
    match state.app.social_org(&user.actor, id).await {
        Ok(view) => render_status(StatusCode::OK, &org_page(&state, &user, view, done.into(), Vec::new())),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

async fn after_post(
    state: &AppState,
    post: &PagePost,
    id: i64,
    done: &str,
    result: Result<(), ServiceError>,
) -> Response {
    let user = &post.user;
    match result {
        Ok(()) => Redirect::to(&format!("/organizations/{id}?done={done}")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            match state.app.social_org(&user.actor, id).await {
                Ok(view) => render_status(status, &org_page(state, user, view, String::new(), problems(&err))),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// Records an inspection from the organization's page.
#[utoipa::path(post, path = "/organizations/{id}/inspections", tag = "pages", security(("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, year, to_sponsor_on, to_authority_on, result"),
    responses(
        (status = 303, description = "已记录：转回社会组织页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
        (status = 422, description = "内容不正确：社会组织页与提示", content_type = "text/html", body = String),
    ))]
pub async fn inspection(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let form = InspectionForm {
        year: post.one("year"),
        to_sponsor_on: post.one("to_sponsor_on"),
        to_authority_on: post.one("to_authority_on"),
        result: post.one("result"),
    };
    let result = state.app.record_social_org_inspection(&post.user.actor, id, &form).await;
    after_post(&state, &post, id, "inspection", result).await
}

/// Records a separation of 脱钩 from the organization's page.
#[utoipa::path(post, path = "/organizations/{id}/separations", tag = "pages", security(("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, former_organ, separation, done_on, evidence"),
    responses(
        (status = 303, description = "已记录：转回社会组织页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
        (status = 409, description = "该分离事项已登记", content_type = "text/html", body = String),
        (status = 422, description = "内容不正确：社会组织页与提示", content_type = "text/html", body = String),
    ))]
pub async fn separation(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let form = SeparationForm {
        former_organ: post.one("former_organ"),
        separation: post.one("separation"),
        done_on: post.one("done_on"),
        evidence: post.one("evidence"),
    };
    let result = state.app.record_social_org_separation(&post.user.actor, id, &form).await;
    after_post(&state, &post, id, "separation", result).await
}

/// Enters a branch or representative office from the organization's page.
#[utoipa::path(post, path = "/organizations/{id}/branches", tag = "pages", security(("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, kind, name, principal, address, regional, opened_by_branch, opened_on"),
    responses(
        (status = 303, description = "已记入名册：转回社会组织页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
        (status = 409, description = "已有同名的分支机构，或该社会组织已被撤销、注销", content_type = "text/html", body = String),
        (status = 422, description = "内容不正确或不得设立：社会组织页与提示", content_type = "text/html", body = String),
    ))]
pub async fn branch(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let form = BranchForm {
        kind: post.one("kind"),
        name: post.one("name"),
        principal: post.one("principal"),
        address: post.one("address"),
        regional: post.one("regional"),
        opened_by_branch: post.one("opened_by_branch"),
        opened_on: post.one("opened_on"),
    };
    let result = state.app.record_social_org_branch(&post.user.actor, id, &form).await;
    after_post(&state, &post, id, "branch", result).await
}

/// Records the closing of a branch or representative office from the organization's page.
#[utoipa::path(post, path = "/organizations/{id}/branches/close", tag = "pages", security(("cookie" = [])),
    params(("id" = i64, Path, description = "社会组织编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, name, closed_on, reason"),
    responses(
        (status = 303, description = "已记入名册：转回社会组织页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "不存在", content_type = "text/html", body = String),
        (status = 409, description = "该分支机构、代表机构已经注销", content_type = "text/html", body = String),
        (status = 422, description = "内容不正确：社会组织页与提示", content_type = "text/html", body = String),
    ))]
pub async fn close_branch(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let form = BranchCloseForm { name: post.one("name"), closed_on: post.one("closed_on"), reason: post.one("reason") };
    let result = state.app.close_social_org_branch(&post.user.actor, id, &form).await;
    after_post(&state, &post, id, "branch_closed", result).await
}

pub struct CampaignLine {
    pub line: Line,
    pub to_sponsor: String,
    pub to_authority: String,
    pub result: String,
    pub standing: &'static str,
    pub late: bool,
}

/// An organization listed as not reported, with what the reader may do about it.
pub struct Unreported {
    pub line: Line,
    /// The link to the enforcement 立案 form with the organization and the basis chosen (empty
    /// when the reader may not open a case where the organization is).
    pub link: String,
    /// The enforcement case opened on it for the year's inspection, if the reader may read it.
    pub case: Option<i64>,
    /// Offered to the batch 立案 below: the reader may open a case on it and none is open.
    pub choosable: bool,
}

#[derive(Template)]
#[template(path = "verticals/social_organization/campaign.html")]
pub struct CampaignPage {
    pub layout: Layout,
    pub year: i32,
    pub sponsor_deadline: String,
    pub authority_deadline: String,
    pub by_result: Vec<(&'static str, usize)>,
    pub reported: usize,
    pub lines: Vec<CampaignLine>,
    /// The organizations listed as not reported.
    pub not_reported: Vec<Unreported>,
    /// The basis each case carries, for the reader: `(type, article)`.
    pub bases: Vec<(&'static str, &'static str)>,
    /// The officers of the register with a valid credential, as choices `(id, label)`: offered
    /// when one of the listed organizations is choosable.
    pub officers: Vec<(i64, String)>,
    pub today: String,
    pub csrf_token: String,
    pub done: String,
    pub errors: Vec<String>,
}

/// The annual inspection of a year.
#[utoipa::path(get, path = "/organizations/inspections", tag = "pages", security(("cookie" = [])),
    params(("year" = Option<String>, Query, description = "年检年度，默认今年"),
        ("done" = Option<String>, Query, description = "刚完成的操作：立案后为“opened-<本次立案数>”")),
    responses(
        (status = 200, description = "年度检查：报送情况、结论统计、逾期未报送名单（可勾选立案）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
        (status = 422, description = "年度不正确", content_type = "text/html", body = String),
    ))]
pub async fn campaign(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let year = match query_param(&query, "year") {
        y if y.is_empty() => state.app.today().year().to_string(),
        y => y,
    };
    let done = match query_param(&query, "done").strip_prefix("opened-").and_then(|n| n.parse::<usize>().ok()) {
        Some(0) => "所选社会组织本年度均已立案，未重复立案。".to_string(),
        Some(n) => format!("已对{n}个社会组织立案，案件已转入行政执法办理。"),
        None => String::new(),
    };
    match campaign_page(&state, &user, &year, done, Vec::new()).await {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

async fn campaign_page(
    state: &AppState,
    user: &AuthUser,
    year: &str,
    done: String,
    errors: Vec<String>,
) -> Result<CampaignPage, ServiceError> {
    let campaign = state.app.social_org_campaign(&user.actor, year).await?;
    let opened = state.app.social_org_enforcement_cases(&user.actor, &campaign).await?;
    let today = state.app.today();
    let not_reported: Vec<Unreported> = campaign
        .not_reported()
        .map(|l| {
            let link = enforcement_link(state, user, &l.org, campaign.year);
            let case = opened.get(&l.org.id).copied();
            Unreported { line: line(&l.org), choosable: may_open(state, user, &l.org) && case.is_none(), link, case }
        })
        .collect();
    let officers = if not_reported.iter().any(|u| u.choosable) {
        state
            .app
            .enforcement_officers(&user.actor)
            .await?
            .into_iter()
            .filter(|r| r.officer.credential_valid(today))
            .map(|r| (r.officer.id, format!("{}（{}）", r.officer.name, r.officer.certificate_no)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(CampaignPage {
        layout: Layout::for_user(format!("{}年度社会组织年度检查", campaign.year), user),
        year: campaign.year,
        sponsor_deadline: date_zh(campaign.sponsor_deadline),
        authority_deadline: date_zh(campaign.authority_deadline),
        by_result: campaign.by_result().into_iter().map(|(r, n)| (r.name_zh(), n)).collect(),
        reported: campaign
            .lines
            .iter()
            .filter(|l| matches!(l.standing, Standing::Reported | Standing::ReportedLate))
            .count(),
        not_reported,
        bases: sanction::BASES.iter().map(|b| (b.org_type.name_zh(), b.citation)).collect(),
        lines: campaign
            .lines
            .iter()
            .map(|l| CampaignLine {
                line: line(&l.org),
                to_sponsor: l.record.as_ref().and_then(|r| r.to_sponsor_on).map(date_zh).unwrap_or_else(|| "—".into()),
                to_authority: l
                    .record
                    .as_ref()
                    .and_then(|r| r.to_authority_on)
                    .map(date_zh)
                    .unwrap_or_else(|| "—".into()),
                result: l.record.as_ref().and_then(|r| result_name(r.result.as_deref())).unwrap_or_else(|| "—".into()),
                standing: l.standing.name_zh(),
                late: matches!(l.standing, Standing::NotReported | Standing::ReportedLate),
            })
            .collect(),
        officers,
        today: today.to_string(),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
    })
}

/// Opens enforcement cases on the organizations chosen on the campaign's list.
#[utoipa::path(post, path = "/organizations/inspections/enforcement", tag = "pages", security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, year, orgs（可多选）, officers（可多选，不少于两名）, filed_on"),
    responses(
        (status = 303, description = "已立案：转回年检页"),
        (status = 403, description = "CSRF 令牌不符，无立案权限，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "社会组织不存在", content_type = "text/html", body = String),
        (status = 422, description = "不能立案（不在名单中、执法人员不足两名、立案日期不正确）：年检页与提示", content_type = "text/html", body = String),
    ))]
pub async fn enforcement(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let all =
        |name: &str| -> Vec<String> { post.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect() };
    let form = OpenCasesForm {
        year: post.one("year"),
        orgs: all("orgs"),
        officers: all("officers"),
        filed_on: post.one("filed_on"),
    };
    match state.app.open_social_org_enforcement(&user.actor, &form).await {
        Ok(done) => {
            Redirect::to(&format!("/organizations/inspections?year={}&done=opened-{}", form.year, done.opened.len()))
                .into_response()
        }
        Err(err) if err.kind == ErrorKind::Invalid => {
            let year =
                if form.year.trim().is_empty() { state.app.today().year().to_string() } else { form.year.clone() };
            match campaign_page(&state, user, &year, String::new(), problems(&err)).await {
                Ok(page) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// May the reader open an enforcement case where the organization's registration authority is
/// (the enforcement body)?
fn may_open(state: &AppState, user: &AuthUser, org: &OrgRow) -> bool {
    DivisionCode::parse(&org.authority_division)
        .is_ok_and(|d| user.actor.may(Permission::EnforceCases, &d, state.app.divisions()))
}

/// The link to open an enforcement case on an organization that did not report (社团条例第三十条
/// 第一款第三项; 民非条例第二十五条; 基金会管理条例第四十二条), for a reader who may open cases
/// where the organization is; empty otherwise.
fn enforcement_link(state: &AppState, user: &AuthUser, org: &OrgRow, year: i32) -> String {
    let may = DivisionCode::parse(&org.premises_division)
        .is_ok_and(|d| user.actor.may(Permission::EnforceCases, &d, state.app.divisions()));
    match OrgType::parse(&org.org_type) {
        Some(t) if may => sanction::enforcement_link(&org.credit_code, t, year).unwrap_or_default(),
        _ => String::new(),
    }
}

pub struct DecouplingLine {
    pub line: Line,
    pub former_organ: String,
    pub done: usize,
    pub status: &'static str,
    pub completed_on: String,
}

#[derive(Template)]
#[template(path = "verticals/social_organization/decoupling.html")]
pub struct DecouplingPage {
    pub layout: Layout,
    pub completed: usize,
    pub in_progress: usize,
    pub lines: Vec<DecouplingLine>,
}

/// The 脱钩 tracker.
#[utoipa::path(get, path = "/organizations/decoupling", tag = "pages", security(("cookie" = [])),
    responses(
        (status = 200, description = "行业协会商会脱钩：五项分离的进度、已完成名单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    ))]
pub async fn decoupling(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let lines = match state.app.social_org_decoupling(&user.actor).await {
        Ok(lines) => lines,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let page = DecouplingPage {
        layout: Layout::for_user("行业协会商会脱钩", &user),
        completed: lines.iter().filter(|l| matches!(l.status, DecouplingStatus::Completed { .. })).count(),
        in_progress: lines.iter().filter(|l| matches!(l.status, DecouplingStatus::InProgress { .. })).count(),
        lines: lines
            .iter()
            .map(|l| DecouplingLine {
                line: line(&l.org),
                former_organ: if l.former_organ.is_empty() { "—".into() } else { l.former_organ.clone() },
                done: l.done.len(),
                status: l.status.name_zh(),
                completed_on: match l.status {
                    DecouplingStatus::Completed { on } => date_zh(on),
                    _ => "—".into(),
                },
            })
            .collect(),
    };
    render_status(StatusCode::OK, &page)
}
