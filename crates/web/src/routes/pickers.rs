//! The pickers' endpoints (`crate::pickers`): the division cascade refreshed in place, and the
//! person and household searches whose results are choices. Fragments of HTML for htmx, for a
//! signed-in user; the service decides what the user may see and records every person search.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use domain::division::{DivisionCode, Level};
use service::persons::PersonQuery;

use crate::error::AppError;
use crate::extract::{PagePost, PageUser};
use crate::pickers::{
    children_in_scope, in_scope, is_field_name, is_plain_name, roots, Choice, DivisionField, DivisionPicker, PickScope,
    SearchKind, SearchPicker,
};
use crate::AppState;

/// The most choices a search shows.
const CHOICES: i64 = 20;

#[derive(Template)]
#[template(path = "picker_division.html")]
struct DivisionFragment {
    p: DivisionPicker,
}

#[derive(Template)]
#[template(path = "picker_options.html")]
struct OptionsFragment {
    /// (code, name)
    options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "picker_choices.html")]
struct ChoicesFragment {
    s: SearchPicker,
}

fn fragment<T: Template>(template: &T) -> Response {
    match template.render() {
        // A fragment is never cached (it reflects the user's jurisdiction).
        Ok(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(err) => AppError::internal(format!("template: {err}")).into_response(),
    }
}

fn bad_request(field: &str) -> AppError {
    AppError::new(StatusCode::BAD_REQUEST, "invalid_query", format!("参数“{field}”无效")).with_field(field)
}

/// The query as (name, value) pairs.
fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `GET /pickers/divisions?parent=CODE`: the `<option>`s of the divisions under `parent` the user
/// may choose (the top of their jurisdiction without `parent`). With `field` (and `id`, `scope`,
/// `required`, `under`) it answers the whole picker of that field redrawn around the division
/// just chosen: the value of the select that changed (`parent`, or the field itself), else
/// `under`, the division the changed select lists the children of.
#[utoipa::path(
    get,
    path = "/pickers/divisions",
    tag = "pages",
    params(
        ("parent" = Option<String>, Query, description = "上级行政区划代码；省略为本人管辖范围的最上级"),
        ("field" = Option<String>, Query, description = "给出时返回该字段的整个级联选择（重绘）"),
        ("scope" = Option<String>, Query, description = "jurisdiction（默认，本人管辖范围）| all（全部区划）"),
    ),
    responses(
        (status = 200, description = "下级区划的 <option> 列表，或重绘的级联选择", content_type = "text/html", body = String),
        (status = 400, description = "参数无效", content_type = "text/html", body = String),
    )
)]
pub async fn divisions(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let pairs = pairs(query.as_deref());
    let divisions = state.app.divisions();
    let Some(scope) = PickScope::parse(value(&pairs, "scope").unwrap_or("")) else {
        return bad_request("scope").into_html_for(&user);
    };
    let Some(field) = value(&pairs, "field") else {
        let roots = roots(divisions, &user.actor, scope);
        let list = match value(&pairs, "parent").filter(|p| !p.is_empty()) {
            None => roots.clone(),
            Some(parent) => match DivisionCode::parse(parent) {
                Ok(code) => children_in_scope(divisions, &roots, &code),
                Err(_) => return bad_request("parent").into_html_for(&user),
            },
        };
        let options = list.iter().map(|d| (d.code.to_string(), d.name.clone())).collect();
        return fragment(&OptionsFragment { options });
    };
    if !is_field_name(field) {
        return bad_request("field").into_html_for(&user);
    }
    let legend = value(&pairs, "legend").unwrap_or("行政区划");
    let required = value(&pairs, "required") == Some("1");
    let picked = value(&pairs, "parent")
        .or_else(|| value(&pairs, field))
        .filter(|v| !v.is_empty())
        .or_else(|| value(&pairs, "under"))
        .unwrap_or("");
    let roots = roots(divisions, &user.actor, scope);
    let picked = match DivisionCode::parse(picked) {
        Ok(code) if in_scope(divisions, &roots, &code) => code.to_string(),
        _ => String::new(),
    };
    let deepest = match value(&pairs, "deepest") {
        None | Some("") => Level::Township,
        Some(level) => match Level::parse(level) {
            Ok(level) => level,
            Err(_) => return bad_request("deepest").into_html_for(&user),
        },
    };
    let spec = DivisionField { name: field, legend, scope, required, deepest };
    let p = DivisionPicker::new(divisions, &user.actor, &spec, &picked);
    fragment(&DivisionFragment { p })
}

/// What a search picker's post names: the field, the element id, required or not.
fn search_picker(kind: SearchKind, query: Option<&str>) -> Result<SearchPicker, AppError> {
    let pairs = pairs(query);
    let fallback = match kind {
        SearchKind::Person => "person_id",
        SearchKind::Household => "household_id",
    };
    let field = value(&pairs, "field").unwrap_or(fallback);
    let id = value(&pairs, "id").unwrap_or(field);
    if !is_plain_name(field) {
        return Err(bad_request("field"));
    }
    if !is_plain_name(id) {
        return Err(bad_request("id"));
    }
    let legend = value(&pairs, "legend").unwrap_or("");
    Ok(SearchPicker::new(kind, id, field, legend, value(&pairs, "required") == Some("1")))
}

/// The persons a search box's text finds: by ID number (18 characters) or exact name, within the
/// user's jurisdiction, the search recorded by the service (`person.search`, the ID masked).
async fn find_persons(
    state: &AppState,
    user: &crate::extract::AuthUser,
    text: &str,
) -> Result<Vec<Choice>, service::ServiceError> {
    let query = match service::search::classify(text) {
        Some(service::search::SearchKind::IdNumber) => {
            PersonQuery { id_number: Some(text.to_string()), limit: Some(CHOICES), ..PersonQuery::default() }
        }
        Some(service::search::SearchKind::Name) => {
            PersonQuery { name: Some(text.to_string()), limit: Some(CHOICES), ..PersonQuery::default() }
        }
        _ => return Ok(Vec::new()),
    };
    let persons = state.app.persons(&user.actor, &query).await?;
    Ok(persons
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name,
            detail: [p.id_number_masked, p.address]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("　"),
            checked: false,
        })
        .collect())
}

/// The answer of a search: the choices, or the refusal of the text in words (422 stays a
/// fragment so the box shows why); a user who may search no one gets the 403 page.
fn answer(
    mut s: SearchPicker,
    user: &crate::extract::AuthUser,
    found: Result<Vec<Choice>, service::ServiceError>,
) -> Response {
    match found {
        Ok(choices) => {
            if choices.is_empty() {
                s.empty = "没有找到：请核对姓名（须完整）或公民身份号码；只能查找本人管辖范围内的人员".into();
            }
            s.choices = choices;
            fragment(&ChoicesFragment { s })
        }
        Err(err) if err.kind == service::ErrorKind::Invalid => {
            s.empty = err.message.clone();
            fragment(&ChoicesFragment { s })
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// `POST /pickers/persons?field=…&id=…` (form: `csrf_token`, `q`): the persons found, as radio
/// buttons posting the person's record to `field`.
#[utoipa::path(
    post,
    path = "/pickers/persons",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, q（姓名或18位公民身份号码）"),
    responses(
        (status = 200, description = "可选的人员（脱敏）", content_type = "text/html", body = String),
        (status = 403, description = "无查看人员的权限", content_type = "text/html", body = String),
    )
)]
pub async fn persons(State(state): State<AppState>, RawQuery(query): RawQuery, post: PagePost) -> Response {
    let s = match search_picker(SearchKind::Person, query.as_deref()) {
        Ok(s) => s,
        Err(err) => return err.into_html_for(&post.user),
    };
    let found = find_persons(&state, &post.user, &post.one("q")).await;
    answer(s, &post.user, found)
}

/// `POST /pickers/households?field=…&id=…` (form: `csrf_token`, `q`): the households of the
/// persons found, as radio buttons posting the household to `field`.
#[utoipa::path(
    post,
    path = "/pickers/households",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, q（家庭成员的姓名或18位公民身份号码）"),
    responses(
        (status = 200, description = "可选的家庭（成员脱敏）", content_type = "text/html", body = String),
        (status = 403, description = "无查看人员的权限", content_type = "text/html", body = String),
    )
)]
pub async fn households(State(state): State<AppState>, RawQuery(query): RawQuery, post: PagePost) -> Response {
    let s = match search_picker(SearchKind::Household, query.as_deref()) {
        Ok(s) => s,
        Err(err) => return err.into_html_for(&post.user),
    };
    let found = match find_persons(&state, &post.user, &post.one("q")).await {
        Ok(persons) => {
            let ids: Vec<i64> = persons.iter().filter_map(|p| p.value.parse().ok()).collect();
            state
                .app
                .households_with_members(&post.user.actor, &ids, CHOICES)
                .await
                .map(|hs| hs.iter().map(household_choice).collect())
        }
        Err(err) => Err(err),
    };
    answer(s, &post.user, found)
}

/// A household as a choice: its members (masked) in its latest version and its place.
pub fn household_choice(h: &service::assistance::HouseholdView) -> Choice {
    let members: Vec<String> = h
        .versions
        .last()
        .map(|v| v.members.iter().map(|m| format!("{} {}", m.name, m.id_number_masked)).collect())
        .unwrap_or_default();
    let head = members.first().map(|m| m.split(' ').next().unwrap_or("").to_string()).unwrap_or_default();
    Choice {
        value: h.id.to_string(),
        label: format!("{head}家（{} 人）", members.len()),
        detail: format!("{}；成员：{}", h.division_name, members.join("、")),
        checked: false,
    }
}
