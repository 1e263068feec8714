//! The pages of the annual report: the public page of a published version (its figures as
//! published, each a link to its definition, and the drift since), an indicator's page (its
//! definition and, for staff whose grants reach them, the records it counted), the staff page
//! (the figures now, the narrative's versions, a new version, publishing) and the downloads.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::Permission;
use domain::annual_report::Indicator;
use service::annual_report::{Figures, ReportVersion};
use service::ErrorKind;

use super::files::{self, DocumentPage, REPORT_CSS};
use crate::error::AppError;
use crate::extract::{cookie_session, PagePath, PagePost, PageUser};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct OrganYear {
    pub code: String,
    pub year: i32,
}

#[derive(Debug, serde::Deserialize)]
pub struct IndicatorPath {
    pub code: String,
    pub year: i32,
    pub key: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct VersionId {
    pub id: i64,
}

/// The report's stylesheet.
#[utoipa::path(get, path = "/static/report.css", tag = "pages",
    responses((status = 200, description = "年度报告样式（屏幕、手机、打印）", content_type = "text/css", body = String)))]
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], REPORT_CSS)
        .into_response()
}

fn latest_published(versions: &[ReportVersion]) -> Option<&ReportVersion> {
    versions.iter().rev().find(|v| v.row.published.is_some())
}

/// The published report of an organ's year (its latest published version), public.
#[utoipa::path(
    get,
    path = "/reports/{code}/{year}",
    tag = "pages",
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    responses(
        (status = 200, description = "法治政府建设年度报告（公开）", content_type = "text/html", body = String),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 404, description = "尚未发布", content_type = "text/html", body = String),
        (status = 422, description = "区划或年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn public(State(state): State<AppState>, PagePath(p): PagePath<OrganYear>) -> Response {
    let app = &state.app;
    let versions = match app.published_report_versions(&p.code, p.year).await {
        Ok(v) => v,
        Err(err) => return AppError::from(err).into_html(),
    };
    let Some(version) = latest_published(&versions) else {
        return AppError::from(service::ServiceError::not_found("已发布的年度报告")).into_html();
    };
    let (check, figures, charts) = match (
        app.published_report(version.row.id).await,
        app.report_figures(None, &p.code, p.year).await,
        app.report_charts(&p.code, p.year).await,
    ) {
        (Ok(c), Ok(f), Ok(ch)) => (c, f, ch),
        (Err(err), _, _) | (_, Err(err), _) | (_, _, Err(err)) => return AppError::from(err).into_html(),
    };
    let dated = version.dated();
    let note = format!(
        "本报告第{}版于{}发布，{}（SM2）。文中数字为发布时的指标值，点击可查看指标定义和所计记录。",
        version.row.version,
        files::dated_zh(dated),
        if check.signature_valid && check.own_key { "签名验证有效" } else { "签名验证未通过" }
    );
    let page = DocumentPage {
        title: files::title(&figures),
        inline_css: None,
        note: Some(note),
        lines: files::lines(&figures, &version.row.body, Some(&version.frozen)),
        organ_name: figures.organ_name.clone(),
        dated: files::dated_zh(dated),
        drift: check.drift.clone(),
        charts: files::charts(&charts),
        indicators: files::indicator_lines(&figures),
    };
    render_status(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "annual_report/indicator.html")]
pub struct IndicatorPage {
    pub layout: Layout,
    pub report: String,
    pub indicator: Indicator,
    pub value: String,
    /// Whether the reader may see the records (signed in with a grant reaching the organ).
    pub staff: bool,
}

/// An indicator: its definition, value, numerator and denominator and, for staff, its records.
#[utoipa::path(
    get,
    path = "/reports/{code}/{year}/indicators/{key}",
    tag = "pages",
    params(
        ("code" = String, Path, description = "机关所在区划代码"),
        ("year" = i32, Path, description = "年度"),
        ("key" = String, Path, description = "指标键"),
    ),
    responses(
        (status = 200, description = "指标定义和所计记录", content_type = "text/html", body = String),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 404, description = "没有该指标", content_type = "text/html", body = String),
        (status = 422, description = "区划或年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn indicator(
    State(state): State<AppState>,
    headers: HeaderMap,
    PagePath(p): PagePath<IndicatorPath>,
) -> Response {
    let user = cookie_session(&headers, &state).await;
    let staff = user.as_ref().filter(|u| {
        domain::division::DivisionCode::parse(&p.code)
            .is_ok_and(|c| u.actor.may(Permission::ReadReport, &c, state.app.divisions()))
    });
    let figures = state.app.report_figures(staff.map(|u| &u.actor), &p.code, p.year).await;
    let figures = match figures {
        Ok(f) => f,
        Err(err) => return AppError::from(err).into_html(),
    };
    let Some(indicator) = figures.get(&p.key).cloned() else {
        return AppError::from(service::ServiceError::not_found("指标")).into_html();
    };
    let layout = match &user {
        Some(u) => Layout::for_user(indicator.label.clone(), u),
        None => Layout::public(indicator.label.clone()),
    };
    let page = IndicatorPage {
        layout,
        report: format!("/reports/{}/{}", figures.organ, figures.year),
        value: indicator.display(),
        indicator,
        staff: staff.is_some(),
    };
    render_status(StatusCode::OK, &page)
}

pub struct VersionLine {
    pub id: i64,
    pub version: i64,
    pub saved: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "annual_report/edit.html")]
pub struct EditPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub organ: String,
    pub organ_name: String,
    pub year: i32,
    pub report_due: String,
    pub publish_due: String,
    pub body: String,
    pub errors: Vec<String>,
    pub preview: Vec<files::Line>,
    pub indicators: Vec<files::IndicatorLine>,
    pub versions: Vec<VersionLine>,
    pub may_write: bool,
    pub may_publish: bool,
    /// The latest version, if not yet published (what 发布 publishes).
    pub publishable: Option<i64>,
}

fn edit_page(
    divisions: &domain::division::Divisions,
    user: &crate::extract::AuthUser,
    figures: &Figures,
    versions: &[ReportVersion],
    body: Option<String>,
    errors: Vec<String>,
) -> EditPage {
    let division = domain::division::DivisionCode::parse(&figures.organ).ok();
    let may = |perm| division.as_ref().is_some_and(|d| user.actor.may(perm, d, divisions));
    let body = body
        .or_else(|| versions.last().map(|v| v.row.body.clone()))
        .unwrap_or_else(|| service::annual_report::skeleton(figures));
    EditPage {
        layout: Layout::for_user(files::title(figures), user),
        csrf_token: user.csrf_token.clone(),
        organ: figures.organ.clone(),
        organ_name: figures.organ_name.clone(),
        year: figures.year,
        report_due: domain::annual_report::report_due(figures.year).map(date_zh).unwrap_or_default(),
        publish_due: domain::annual_report::publish_due(figures.year).map(date_zh).unwrap_or_default(),
        preview: files::lines(figures, &body, None),
        body,
        errors,
        indicators: files::indicator_lines(figures),
        versions: versions
            .iter()
            .rev()
            .map(|v| VersionLine {
                id: v.row.id,
                version: v.row.version,
                saved: crate::dto::timestamp_ms(v.row.saved_at_ms),
                published: v.row.published.as_ref().map(|p| crate::dto::timestamp_ms(p.at_ms)).unwrap_or_default(),
            })
            .collect(),
        may_write: may(Permission::WriteReport),
        may_publish: may(Permission::PublishReport),
        publishable: versions.last().filter(|v| v.row.published.is_none()).map(|v| v.row.id),
    }
}

/// The staff page: the figures now, the narrative (preview, new version), versions, publishing.
#[utoipa::path(
    get,
    path = "/reports/{code}/{year}/edit",
    tag = "pages",
    security(("cookie" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    responses(
        (status = 200, description = "年度报告撰写、预览和发布", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 403, description = "无权查阅", content_type = "text/html", body = String),
        (status = 422, description = "区划或年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    PagePath(p): PagePath<OrganYear>,
    PageUser(user): PageUser,
) -> Response {
    let app = &state.app;
    let figures = match app.report_figures(Some(&user.actor), &p.code, p.year).await {
        Ok(f) => f,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let versions = match app.report_versions(&user.actor, &p.code, p.year).await {
        Ok(v) => v,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    render_status(StatusCode::OK, &edit_page(app.divisions(), &user, &figures, &versions, None, Vec::new()))
}

/// Saves the narrative as a new version; back to the staff page.
#[utoipa::path(
    post,
    path = "/reports/{code}/{year}/edit",
    tag = "pages",
    security(("cookie" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, body"),
    responses(
        (status = 303, description = "已保存：回到撰写页"),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符或无权撰写", content_type = "text/html", body = String),
        (status = 409, description = "同时保存冲突", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn save(State(state): State<AppState>, PagePath(p): PagePath<OrganYear>, post: PagePost) -> Response {
    let app = &state.app;
    let user = &post.user;
    let body = post.one("body");
    match app.report_save(&user.actor, &p.code, p.year, &body).await {
        Ok(_) => Redirect::to(&format!("/reports/{}/{}/edit", p.code.trim(), p.year)).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status =
                if err.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            let (figures, versions) = match (
                app.report_figures(Some(&user.actor), &p.code, p.year).await,
                app.report_versions(&user.actor, &p.code, p.year).await,
            ) {
                (Ok(f), Ok(v)) => (f, v),
                _ => return AppError::from(err).into_html_for(user),
            };
            let errors = if err.problems.is_empty() {
                vec![err.message.clone()]
            } else {
                err.problems.iter().map(|p| p.message.clone()).collect()
            };
            render_status(status, &edit_page(app.divisions(), user, &figures, &versions, Some(body), errors))
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// Publishes a version; to the public page.
#[utoipa::path(
    post,
    path = "/reports/versions/{id}/publish",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "版本编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token"),
    responses(
        (status = 303, description = "已发布：转到公开页"),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符或无权发布", content_type = "text/html", body = String),
        (status = 404, description = "版本不存在", content_type = "text/html", body = String),
        (status = 409, description = "该版本已经发布", content_type = "text/html", body = String),
    )
)]
pub async fn publish(State(state): State<AppState>, PagePath(p): PagePath<VersionId>, post: PagePost) -> Response {
    match state.app.report_publish(&post.user.actor, p.id).await {
        Ok(v) => Redirect::to(&format!("/reports/{}/{}", v.row.organ, v.row.year)).into_response(),
        Err(err) => AppError::from(err).into_html_for(&post.user),
    }
}

/// The report as a Word document in the 公文 layout (GB/T 9704-2012), the figures as they are now.
#[utoipa::path(
    get,
    path = "/reports/{code}/{year}/report.docx",
    tag = "pages",
    security(("cookie" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    responses(
        (status = 200, description = "docx 文件", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>),
        (status = 303, description = "未登录：转到 /login"),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 403, description = "无权查阅", content_type = "text/html", body = String),
        (status = 422, description = "区划或年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn docx(
    State(state): State<AppState>,
    PagePath(p): PagePath<OrganYear>,
    PageUser(user): PageUser,
) -> Response {
    download(&state, &user, &p, "docx").await
}

/// The figures as a workbook.
#[utoipa::path(
    get,
    path = "/reports/{code}/{year}/figures.xlsx",
    tag = "pages",
    security(("cookie" = [])),
    params(("code" = String, Path, description = "机关所在区划代码"), ("year" = i32, Path, description = "年度")),
    responses(
        (status = 200, description = "xlsx 文件", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 303, description = "未登录：转到 /login"),
        (status = 400, description = "路径参数无效", content_type = "text/html", body = String),
        (status = 403, description = "无权查阅", content_type = "text/html", body = String),
        (status = 422, description = "区划或年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn xlsx(
    State(state): State<AppState>,
    PagePath(p): PagePath<OrganYear>,
    PageUser(user): PageUser,
) -> Response {
    download(&state, &user, &p, "xlsx").await
}

async fn download(state: &AppState, user: &crate::extract::AuthUser, p: &OrganYear, kind: &str) -> Response {
    let app = &state.app;
    let (figures, versions) = match (
        app.report_figures(Some(&user.actor), &p.code, p.year).await,
        app.report_versions(&user.actor, &p.code, p.year).await,
    ) {
        (Ok(f), Ok(v)) => (f, v),
        (Err(err), _) | (_, Err(err)) => return AppError::from(err).into_html_for(user),
    };
    let last = versions.last();
    let body = last.map(|v| v.row.body.clone()).unwrap_or_else(|| service::annual_report::skeleton(&figures));
    let (bytes, mime, name) = if kind == "docx" {
        (
            match app.report_charts(&p.code, p.year).await {
                Ok(charts) => files::docx(
                    &figures,
                    &files::charts(&charts),
                    &files::title(&figures),
                    &body,
                    last.and_then(|v| v.dated()),
                )
                .map_err(AppError::internal),
                Err(err) => Err(AppError::from(err)),
            },
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!("report-{}-{}.docx", figures.organ, figures.year),
        )
    } else {
        (
            files::xlsx(&figures).map_err(|e| AppError::internal(e.to_string())),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("figures-{}-{}.xlsx", figures.organ, figures.year),
        )
    };
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => err.into_html_for(user),
    }
}
