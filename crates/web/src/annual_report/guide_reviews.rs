//! 办事指南要素核查 on the web: the staff page (`/admin/guide-reviews`: the latest review of each
//! item's guide at the divisions the administrator reaches, and the form that records one) and
//! the JSON API. Both call [`service::App::review_guide`], the one parser and the one check of who
//! may review (an administrator of the guide's organ or above, at a division of the item's
//! levels); the annual report's 准确率 reads what they record.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use domain::access::Permission;
use domain::catalog::guide::{element_name, ELEMENTS};
use serde::{Deserialize, Serialize};
use service::guide_reviews::GuideReviewRecord;
use service::{ErrorKind, ServiceError};
use utoipa::ToSchema;

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AuthUser, PagePost, PageUser};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::routes::admin_pages::{shown_on_form, FormErrors};
use crate::views::{datetime_zh, render_status, Layout};
use crate::AppState;

/// A review of an item's published guide.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuideReviewRequest {
    /// The division whose published guide was checked (the organ's division code), e.g. `511700`.
    pub division: String,
    /// The keys of the elements found wrong (`name`, `kind`, `legal_basis`, `implementing_body`,
    /// `acceptance_conditions`, `materials`, `procedure`, `limits`, `fee`, `place_hours`,
    /// `phones`, `result`, `online`, `situations`); empty: every element right.
    #[serde(default)]
    pub wrong: Vec<String>,
    /// What was found wrong; required when an element is named.
    #[serde(default)]
    pub note: String,
}

/// A recorded review.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuideReviewDto {
    pub item: String,
    pub item_name: String,
    /// The item version the guide was of.
    pub item_version: i64,
    pub division: String,
    pub division_name: String,
    /// RFC 3339.
    pub reviewed_at: String,
    /// The reviewer's user name.
    pub reviewer: String,
    /// Every element found right.
    pub accurate: bool,
    /// The keys of the elements found wrong.
    pub wrong: Vec<String>,
    /// Their names (中文).
    pub wrong_names: Vec<String>,
    pub note: String,
    /// 14项要素全部准确, or the elements found wrong.
    pub summary: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuideReviewListDto {
    pub items: Vec<GuideReviewDto>,
}

/// One review as the API and the page show it; `labels`: its reviewer's name
/// ([`service::App::actor_labels`]).
fn review_dto(state: &AppState, r: &GuideReviewRecord, labels: &HashMap<String, String>) -> GuideReviewDto {
    let item_name = u32::try_from(r.item_version)
        .ok()
        .and_then(|v| state.app.catalog.get(&r.slug, v))
        .map(|i| i.name.clone())
        .unwrap_or_else(|| r.slug.clone());
    let division_name = domain::division::DivisionCode::parse(&r.division)
        .ok()
        .and_then(|c| state.app.divisions().full_name(&c))
        .unwrap_or_default();
    GuideReviewDto {
        item: r.slug.clone(),
        item_name,
        item_version: r.item_version,
        division: r.division.clone(),
        division_name,
        reviewed_at: crate::dto::timestamp_ms(r.at_ms),
        reviewer: labels.get(&r.reviewer).cloned().unwrap_or_default(),
        accurate: r.review.accurate(),
        wrong: r.review.wrong.clone(),
        wrong_names: r.review.wrong.iter().filter_map(|k| element_name(k)).map(str::to_string).collect(),
        note: r.review.note.clone(),
        summary: r.review.summary(),
    }
}

/// Records a review of an item's guide as published at a division (办事指南要素核查).
#[utoipa::path(
    post,
    path = "/api/v1/admin/items/{slug}/guide-reviews",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    params(("slug" = String, Path, example = "standard-place-name-certificate")),
    request_body = GuideReviewRequest,
    responses(
        (status = 201, description = "已记录核查", body = GuideReviewDto),
        (status = 400, description = "请求格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是事项管理员，或授权不及该机关（`reviewer_outside_organ`）", body = ErrorBody),
        (status = 404, description = "事项不存在或今日未施行（`item_not_found`、`item_not_in_force`）", body = ErrorBody),
        (status = 415, description = "不是 JSON", body = ErrorBody),
        (status = 422, description = "区划、要素或说明不正确（`unknown_division`、`guide_level_not_in_item`、`unknown_guide_element`、`required`、`too_long`）", body = ErrorBody),
    )
)]
pub async fn review(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(slug): AppPath<String>,
    AppJson(body): AppJson<GuideReviewRequest>,
) -> AppResult<(StatusCode, Json<GuideReviewDto>)> {
    let record = state.app.review_guide(&user.actor, &slug, &body.division, &body.wrong, &body.note).await?;
    let labels = state.app.actor_labels(&[record.reviewer.as_str()]).await;
    Ok((StatusCode::CREATED, Json(review_dto(&state, &record, &labels))))
}

/// The latest review of each item's guide at each division the administrator reaches.
#[utoipa::path(
    get,
    path = "/api/v1/admin/guide-reviews",
    tag = "items",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "各事项办事指南最近一次核查", body = GuideReviewListDto),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是事项管理员", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<GuideReviewListDto>> {
    let rows = state.app.latest_guide_reviews(&user.actor).await?;
    let reviewers: Vec<&str> = rows.iter().map(|r| r.reviewer.as_str()).collect();
    let labels = state.app.actor_labels(&reviewers).await;
    Ok(Json(GuideReviewListDto { items: rows.iter().map(|r| review_dto(&state, r, &labels)).collect() }))
}

/// One row of the page's table.
pub struct ReviewRow {
    pub item: String,
    pub version: i64,
    pub division: String,
    pub at: String,
    pub reviewer: String,
    pub accurate: bool,
    pub summary: String,
    pub note: String,
}

/// What the form was sent with, to show it again beside a refusal.
#[derive(Debug, Default)]
pub struct ReviewForm {
    pub item: String,
    pub division: String,
    pub wrong: Vec<String>,
    pub note: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "annual_report/guide_reviews.html")]
pub struct GuideReviewsPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub done: bool,
    pub rows: Vec<ReviewRow>,
    /// (slug, name) of the items in force today.
    pub items: Vec<(String, String)>,
    /// (key, name, found wrong in the form sent) of the elements a review checks.
    pub elements: Vec<(&'static str, &'static str, bool)>,
    pub picker: DivisionPicker,
    pub f: ReviewForm,
}

async fn page(state: &AppState, user: &AuthUser, status: StatusCode, done: bool, f: ReviewForm) -> Response {
    let rows = match state.app.latest_guide_reviews(&user.actor).await {
        Ok(rows) => rows,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let reviewers: Vec<&str> = rows.iter().map(|r| r.reviewer.as_str()).collect();
    let labels = state.app.actor_labels(&reviewers).await;
    let rows = rows
        .iter()
        .map(|r| {
            let d = review_dto(state, r, &labels);
            ReviewRow {
                item: d.item_name,
                version: d.item_version,
                division: d.division_name,
                at: chrono::DateTime::from_timestamp_millis(r.at_ms).map(datetime_zh).unwrap_or_default(),
                reviewer: d.reviewer,
                accurate: d.accurate,
                summary: d.summary,
                note: d.note,
            }
        })
        .collect();
    let items = state.app.items_on(state.app.today()).into_iter().map(|i| (i.slug.clone(), i.name.clone())).collect();
    let field = DivisionField::new("division", "发布该指南的机关所在行政区划").required();
    let view = GuideReviewsPage {
        layout: Layout::for_user("办事指南要素核查", user),
        csrf_token: user.csrf_token.clone(),
        done,
        rows,
        items,
        elements: ELEMENTS.iter().map(|(k, n)| (*k, *n, f.wrong.iter().any(|w| w == k))).collect(),
        picker: DivisionPicker::new(state.app.divisions(), &user.actor, &field, &f.division),
        f,
    };
    render_status(status, &view)
}

/// The reviews of the guides and the form that records one.
#[utoipa::path(
    get,
    path = "/admin/guide-reviews",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "办事指南要素核查", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是事项管理员", content_type = "text/html", body = String),
    )
)]
pub async fn reviews_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    if !user.actor.may_somewhere(Permission::ManageCatalog) {
        return AppError::from(ServiceError::forbidden()).into_html_for(&user);
    }
    let done = query.is_some_and(|q| q.split('&').any(|p| p == "done=1"));
    page(&state, &user, StatusCode::OK, done, ReviewForm::default()).await
}

/// Records a review from the page (the API's service function).
#[utoipa::path(
    post,
    path = "/admin/guide-reviews",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, item, division, wrong（有误的要素，可多个）, note"),
    responses(
        (status = 303, description = "已记录：转回核查页"),
        (status = 403, description = "CSRF 令牌不符，不是事项管理员，或授权不及该机关：表单与提示", content_type = "text/html", body = String),
        (status = 404, description = "事项不存在：表单与提示", content_type = "text/html", body = String),
        (status = 422, description = "区划、要素或说明不正确：表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn review_form(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let wrong: Vec<String> = post.fields.iter().filter(|(k, _)| k == "wrong").map(|(_, v)| v.clone()).collect();
    let (item, division, note) = (post.one("item"), post.one("division"), post.one("note"));
    match state.app.review_guide(&user.actor, &item, &division, &wrong, &note).await {
        Ok(_) => Redirect::to("/admin/guide-reviews?done=1").into_response(),
        Err(err) => {
            // Outside the reviewer's organ is said beside the division, as the other refusals.
            let status = match shown_on_form(&err) {
                Some(status) => status,
                None if err.kind == ErrorKind::Forbidden && err.code == "reviewer_outside_organ" => {
                    StatusCode::FORBIDDEN
                }
                None => return AppError::from(err).into_html_for(user),
            };
            let mut errors = FormErrors::of(&err, &["division", "wrong", "note"]);
            if err.kind == ErrorKind::NotFound {
                errors = FormErrors::of(&err.clone().with_field("item"), &["item"]);
            }
            let f = ReviewForm { item, division, wrong, note, errors };
            page(&state, user, status, false, f).await
        }
    }
}
