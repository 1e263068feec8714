//! The application form (`/items/{slug}/apply`), driven by the item in force today: its
//! situations choose the materials checklist (a plain GET, no script needed), the applicant's
//! fields, and the premises field when the item's competent office follows the premises. The
//! post submits through `submit_case` with a hidden idempotency key (a double click makes one
//! case) and answers 303 to the case page.
//!
//! One form, two channels, chosen by the signed-in role: a 窗口受理人员 accepts at the window of
//! one of their offices; a 办事群众 applies online (网上申请), for the items whose 网上办理深度
//! allows it (`service::cases::ONLINE_APPLICATION_DEPTH`), at the office of the 户籍地 they give.
//! The case page then shows the 查询码 for tracking without an account (`/track`).
//!
//! The item's declared form (`[[form]]`) is drawn from its `FormSpec`: each field with its label,
//! a required mark, its help and its legal basis, posted as `facts.<id>` (a person's or an
//! organization's parts as `facts.<id>.<part>`), the same names as the JSON API's `facts`, and
//! parsed by the one parser; a refused field shows its message next to it.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::access::Role;
use domain::applicant::ApplicantKind;
use domain::catalog::{CompetentBy, ServiceItem};
use domain::codes::CITIZEN_UNVERIFIED;
use domain::engine::receipt::ReceiptChannel;
use domain::form::{FieldKind, FieldSpec};
use domain::procedure::StepKind;
use rand::RngCore;
use serde_json::{json, Value};
use service::cases::{SubmitCase, ONLINE_APPLICATION_DEPTH};

use crate::case_dto::ApplicantRequest;
use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::views::{render_status, Layout};
use crate::AppState;

pub struct MaterialRow {
    pub id: String,
    pub name: String,
    pub required: bool,
    pub copies: u32,
    pub shared: bool,
    pub checked: bool,
}

/// What the clerk typed, kept when the form comes back with problems.
#[derive(Default)]
pub struct Filled {
    pub accepting_division: String,
    /// `person` (or empty) | `organization`: the applicant's fields the form shows.
    pub applicant_kind: String,
    pub name: String,
    pub id_number: String,
    /// An organization's 统一社会信用代码 and 法定代表人（负责人）.
    pub credit_code: String,
    pub representative: String,
    pub phone: String,
    pub address: String,
    pub division: String,
    pub premises_division: String,
    pub materials: Vec<String>,
    /// The `facts.*` pairs as posted.
    pub facts: Vec<(String, String)>,
    /// The other party (an area's item with two parties), by name and ID number.
    pub other_name: String,
    pub other_id_number: String,
    /// Online: who the applicant is to the account's holder (`domain::kinship::Relation`).
    pub relation: String,
    /// At the window, for an item whose period runs from the receipt: how and when the
    /// application was received (`data.receipt`).
    pub receipt: ReceiptFilled,
}

impl Filled {
    /// The form shows (and posts) an organization's fields.
    pub fn is_organization(&self) -> bool {
        self.applicant_kind == ApplicantKind::Organization.as_str()
    }
}

/// The receipt as typed (`receipt_channel`, `receipt_submitted_on`, `receipt_signed_on`,
/// `receipt_confirmed_on`), sent as `data.receipt`.
#[derive(Default)]
pub struct ReceiptFilled {
    pub channel: String,
    pub submitted_on: String,
    pub signed_on: String,
    pub confirmed_on: String,
}

/// The window form's receipt fieldset: the law that fixes the day and each channel with its
/// rule (value, name, rule).
pub struct ReceiptView {
    pub basis: String,
    pub channels: Vec<(&'static str, &'static str, &'static str)>,
    pub dates: Vec<ReceiptDate>,
}

/// One date of the receipt fieldset.
pub struct ReceiptDate {
    /// `submitted_on`, `signed_on`, `confirmed_on` (posted as `receipt_<name>`).
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub value: String,
    /// The field its refusals name (`data.receipt.<name>`).
    pub field: String,
}

impl ReceiptView {
    fn new(rule: &domain::procedure::ReceiptRule, typed: &ReceiptFilled) -> ReceiptView {
        let date = |name: &'static str, label: &'static str, required: bool, value: &str| ReceiptDate {
            name,
            label,
            required,
            value: value.to_string(),
            field: format!("data.receipt.{name}"),
        };
        ReceiptView {
            basis: rule.basis.clone(),
            channels: ReceiptChannel::ALL.iter().map(|c| (c.as_str(), c.name_zh(), c.receipt_rule_zh())).collect(),
            dates: vec![
                date("submitted_on", "提交（寄出）日期", true, &typed.submitted_on),
                date("signed_on", "本机关签收日期（邮寄）", false, &typed.signed_on),
                date("confirmed_on", "确认收到日期（平常信函、互联网渠道、传真）", false, &typed.confirmed_on),
            ],
        }
    }
}

/// The prefix of the declared form's fields in the posted form.
const FACTS: &str = "facts.";

/// One part of a person or an organization field.
pub struct PartView {
    pub id: String,
    pub name: String,
    pub label: &'static str,
    /// Every part of a required field but an optional one it does not require (the representative).
    pub required: bool,
    pub value: String,
    pub errors: Vec<FieldProblem>,
    /// The division part: chosen from the division table, never typed as a code.
    pub picker: Option<crate::pickers::DivisionPicker>,
}

/// A refusal shown next to its field, with its stable code (`data-code` on the page).
pub struct FieldProblem {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// One declared field as drawn. `kind`: text, date, int, money, bool, division, choice, list,
/// parts.
pub struct FactField {
    pub id: String,
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    /// Required only when its group is chosen (an outcome's own form, of which only the chosen
    /// outcome's is taken): marked required in the page, but the browser does not insist.
    pub conditional: bool,
    pub help: Option<String>,
    pub basis: Option<String>,
    pub value: String,
    /// `maxlength` of a text.
    pub max_len: Option<u32>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// A choice's or a bool's options: (value, label).
    pub options: Vec<(String, String)>,
    pub parts: Vec<PartView>,
    pub errors: Vec<FieldProblem>,
    /// A division field: chosen from the division table, never typed as a code.
    pub picker: Option<crate::pickers::DivisionPicker>,
}

impl FactField {
    /// Whether the browser insists on the field: required, and not only when its group is chosen.
    pub fn enforced(&self) -> bool {
        self.required && !self.conditional
    }
}

/// The item's declared fields with what was posted and the problems of each.
fn fact_fields(
    item: &ServiceItem,
    posted: &[(String, String)],
    problems: &[domain::problem::FieldError],
    picking: Picking<'_>,
) -> Vec<FactField> {
    form_fields(&item.form, FACTS, "fact-", posted, problems, picking)
}

/// What a division field's picker needs: the division table and the user, whose own division
/// it opens at when nothing is chosen yet (a place may be anywhere: the scope is not theirs).
#[derive(Clone, Copy)]
pub(crate) struct Picking<'a> {
    pub divisions: &'a domain::division::Divisions,
    pub actor: &'a domain::access::Actor,
}

impl Picking<'_> {
    fn picker(&self, name: &str, legend: &str, required: bool, value: &str) -> crate::pickers::DivisionPicker {
        let field = crate::pickers::DivisionField::new(name, legend).anywhere();
        let field = if required { field.required() } else { field };
        let own = self.actor.grants.first().map(|g| g.division.to_string()).unwrap_or_default();
        let start = if value.trim().is_empty() { own } else { value.trim().to_string() };
        crate::pickers::DivisionPicker::new(self.divisions, self.actor, &field, &start)
    }
}

/// The fields of a declared form as drawn, each posted as `<prefix><id>` (a part as
/// `<prefix><id>.<part>`), its element id `<id_prefix><id>`, with what was posted and the
/// problems on `<prefix><id>`: the item's form (`facts.`) and an outcome's own form on the
/// decide act (`data.<outcome>.`).
pub(crate) fn form_fields(
    form: &domain::form::FormSpec,
    prefix: &str,
    id_prefix: &str,
    posted: &[(String, String)],
    problems: &[domain::problem::FieldError],
    picking: Picking<'_>,
) -> Vec<FactField> {
    let values =
        |name: &str| -> Vec<&str> { posted.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect() };
    let errors = |key: &str| -> Vec<FieldProblem> {
        problems
            .iter()
            .filter(|p| p.field == key)
            .map(|p| FieldProblem { field: p.field.clone(), code: p.code, message: p.message.clone() })
            .collect()
    };
    form.fields
        .iter()
        .map(|f: &FieldSpec| {
            let name = format!("{prefix}{}", f.id);
            let kind = match f.kind {
                FieldKind::Text => "text",
                FieldKind::Date => "date",
                FieldKind::Money => "money",
                FieldKind::Bool => "bool",
                FieldKind::Int => "int",
                FieldKind::Division => "division",
                FieldKind::Choice => "choice",
                FieldKind::List => "list",
                FieldKind::Person | FieldKind::Organization => "parts",
            };
            let options = match f.kind {
                FieldKind::Bool => {
                    vec![("true".to_string(), "是".to_string()), ("false".to_string(), "否".to_string())]
                }
                _ => f.choices.iter().map(|c| (c.value.clone(), c.label.clone())).collect(),
            };
            let parts = f
                .parts()
                .iter()
                .map(|(part, label)| {
                    let name = format!("{name}.{part}");
                    let value = values(&name).first().map(|v| v.to_string()).unwrap_or_default();
                    let required = f.part_required(part);
                    // 住所地区划代码 → 住所地: a place chosen by its name.
                    let picker = (*part == "division")
                        .then(|| picking.picker(&name, label.trim_end_matches("区划代码"), required, &value));
                    PartView {
                        id: picker.as_ref().map_or_else(|| format!("{id_prefix}{}-{part}", f.id), |p| p.id.clone()),
                        value,
                        errors: errors(&name),
                        name,
                        label,
                        required,
                        picker,
                    }
                })
                .collect();
            let value = values(&name).join("\n");
            let picker = (f.kind == FieldKind::Division).then(|| picking.picker(&name, &f.label, f.required, &value));
            FactField {
                id: picker.as_ref().map_or_else(|| format!("{id_prefix}{}", f.id), |p| p.id.clone()),
                picker,
                value,
                errors: errors(&name),
                name,
                label: f.label.clone(),
                kind,
                required: f.required,
                conditional: false,
                help: f.help.clone(),
                basis: f.basis.clone(),
                max_len: f.max_len,
                min: f.min,
                max: f.max,
                options,
                parts,
            }
        })
        .collect()
}

/// The posted `facts.*` pairs as the JSON API's `facts` object: one value a string, several an
/// array (the same values `FormValues` reads from either).
fn facts_json(pairs: &[(String, String)]) -> Value {
    let mut map = serde_json::Map::new();
    for (key, value) in pairs {
        let Some(key) = key.strip_prefix(FACTS) else { continue };
        match map.get_mut(key) {
            None => {
                map.insert(key.to_string(), json!(value));
            }
            Some(Value::Array(items)) => items.push(json!(value)),
            Some(first) => *first = json!([first.clone(), value]),
        }
    }
    Value::Object(map)
}

/// Who is applying, hence the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A clerk at the window: `channel = window`.
    Window,
    /// A citizen online: `channel = online`.
    Online,
}

#[derive(Template)]
#[template(path = "apply.html")]
pub struct ApplyPage {
    pub layout: Layout,
    pub online: bool,
    pub slug: String,
    pub item_name: String,
    pub situations: Vec<(String, String)>,
    pub situation: String,
    pub situation_name: Option<String>,
    pub offices: Vec<(String, String)>,
    pub premises: bool,
    /// The form asks for the other party (`service::verticals::asks_other_party`).
    pub other_party: bool,
    /// The 户籍地 typed was too high a level for a step: the divisions under it to choose from.
    pub division_choices: Vec<(String, String)>,
    /// The full name of the division typed, whose divisions are offered.
    pub division_parent: String,
    pub materials: Vec<MaterialRow>,
    pub csrf_token: String,
    pub idempotency_key: String,
    pub f: Filled,
    pub problems: Vec<String>,
    /// Refused as `citizen_unverified`: the refusal is a link to `/account/verify`.
    pub verify_link: bool,
    /// The item's declared form.
    pub fact_fields: Vec<FactField>,
    /// Every refusal with its field, to show each next to its input (`of`).
    pub field_problems: Vec<FieldProblem>,
    /// Online: the relations an applicant may have to the account's holder (value, label).
    pub relations: Vec<(&'static str, &'static str)>,
    /// The 户籍所在地, chosen province → city → county → township, never typed.
    pub hukou_picker: crate::pickers::DivisionPicker,
    /// The premises' division, chosen the same way (items competent by premises).
    pub premises_picker: crate::pickers::DivisionPicker,
    /// At the window, an item whose period runs from the day of receipt: its fieldset.
    pub receipt: Option<ReceiptView>,
    /// At the window, for an item an organization may apply for: the kinds of applicant to
    /// choose from (value, label); empty otherwise (a person applies).
    pub kinds: Vec<(&'static str, &'static str)>,
    /// The applicant's fields shown are an organization's.
    pub organization: bool,
}

impl ApplyPage {
    /// The refusals of one posted field (`applicant.name`, `data.hukou_division`, …).
    pub fn of(&self, fields: &[&str]) -> Vec<&FieldProblem> {
        self.field_problems.iter().filter(|p| fields.contains(&p.field.as_str())).collect()
    }
}

pub(crate) fn fresh_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("web-{}", hex::encode(bytes))
}

pub(crate) fn param(query: Option<&str>, name: &str) -> Option<String> {
    query.and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
}

/// The situation asked for, if the item has it; else the item's first.
fn chosen_situation(item: &ServiceItem, asked: Option<&str>) -> Option<String> {
    let asked = asked.filter(|a| item.situations.iter().any(|s| s.id == *a));
    asked.map(str::to_string).or_else(|| item.situations.first().map(|s| s.id.clone()))
}

struct Form<'a> {
    user: &'a AuthUser,
    mode: Mode,
    item: &'a ServiceItem,
    situation: Option<String>,
    key: String,
    filled: Filled,
    problems: Vec<domain::problem::FieldError>,
    division_choices: Vec<(String, String)>,
}

fn page(state: &AppState, status: StatusCode, form: Form<'_>) -> Response {
    let Form { user, mode, item, situation, key, filled, problems, division_choices } = form;
    let offices = window_offices(state, user, item);
    let wanted: Option<&Vec<String>> =
        situation.as_ref().and_then(|s| item.situations.iter().find(|x| &x.id == s)).map(|s| &s.materials);
    let materials = item
        .materials
        .iter()
        .filter(|m| wanted.is_none_or(|w| w.contains(&m.id)))
        .map(|m| MaterialRow {
            id: m.id.clone(),
            name: m.name.clone(),
            required: m.required,
            copies: m.copies,
            shared: m.shared,
            checked: filled.materials.contains(&m.id),
        })
        .collect();
    let divisions = state.app.divisions();
    // Nothing chosen yet: a picker opens at the user's own division (the window's, or the
    // citizen's), whose parents are chosen already; the applicant's 户籍地 may be anywhere.
    let picking = Picking { divisions, actor: &user.actor };
    let fact_fields = fact_fields(item, &filled.facts, &problems, picking);
    let field_problems = problems
        .iter()
        .map(|p| FieldProblem { field: p.field.clone(), code: p.code, message: p.message.clone() })
        .collect();
    // An account not yet bound to its holder is sent to 实名认证 by a link, not only in words.
    let verify_link = problems.iter().any(|p| p.code == CITIZEN_UNVERIFIED);
    let problems = problems.into_iter().filter(|p| p.code != CITIZEN_UNVERIFIED).map(|p| p.message).collect();
    // Online, a person applies (the account's holder or a relative); at the window, an
    // organization too, for an item whose law lets it (`ServiceItem::applicants`).
    let kinds = if mode == Mode::Window && item.applicants.organizations {
        ApplicantKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
    } else {
        Vec::new()
    };
    let organization = !kinds.is_empty() && filled.is_organization();
    let hukou_legend = if organization { "住所所在地" } else { "户籍所在地" };
    let hukou_picker = picking.picker("division", hukou_legend, true, &filled.division);
    let premises_picker = picking.picker("premises_division", "住所（场所）所在地", true, &filled.premises_division);
    let situation_name =
        situation.as_ref().and_then(|s| item.situations.iter().find(|x| &x.id == s)).map(|s| s.name.clone());
    let title = match mode {
        Mode::Window => format!("窗口受理：{}", item.name),
        Mode::Online => format!("网上申请：{}", item.name),
    };
    let receipt =
        item.procedure.receipt.as_ref().filter(|_| mode == Mode::Window).map(|r| ReceiptView::new(r, &filled.receipt));
    let apply = ApplyPage {
        layout: Layout::for_user(title, user),
        online: mode == Mode::Online,
        slug: item.slug.clone(),
        item_name: item.name.clone(),
        situations: item.situations.iter().map(|s| (s.id.clone(), s.name.clone())).collect(),
        situation: situation.unwrap_or_default(),
        situation_name,
        offices,
        premises: item.competent_by == CompetentBy::Premises,
        other_party: service::verticals::asks_other_party(item),
        division_parent: domain::division::DivisionCode::parse(filled.division.trim())
            .ok()
            .and_then(|code| state.app.divisions().full_name(&code))
            .unwrap_or_default(),
        division_choices,
        materials,
        csrf_token: user.csrf_token.clone(),
        idempotency_key: key,
        f: filled,
        problems,
        verify_link,
        fact_fields,
        field_problems,
        relations: domain::kinship::RELATIONS.iter().map(|r| (r.as_str(), r.name_zh())).collect(),
        hukou_picker,
        premises_picker,
        receipt,
        kinds,
        organization,
    };
    render_status(status, &apply)
}

/// The windows the clerk works at: (division code, full name) of each clerk grant.
pub(crate) fn clerk_offices(state: &AppState, user: &AuthUser) -> Vec<(String, String)> {
    let divisions = state.app.divisions();
    user.actor
        .grants
        .iter()
        .filter(|g| g.role == Role::Clerk)
        .map(|g| (g.division.to_string(), divisions.full_name(&g.division).unwrap_or_default()))
        .collect()
}

/// The windows the signed-in staff member takes in `item` at: each grant of a window role
/// (`ProcedureDef::window_roles`), and where the item's acceptance is done at a lower level than
/// the grant (an application the law has made to the township, e.g. 最低生活保障), the
/// divisions of that level under it, so that a county clerk chooses the township and no case is
/// made at a window nobody below can act for.
fn window_offices(state: &AppState, user: &AuthUser, item: &ServiceItem) -> Vec<(String, String)> {
    let divisions = state.app.divisions();
    let roles = item.procedure.window_roles();
    let level = item.procedure.steps.iter().find(|s| s.kind == StepKind::Accept).and_then(|s| s.level);
    let mut out: Vec<(String, String)> = Vec::new();
    for grant in user.actor.grants.iter().filter(|g| roles.contains(&g.role)) {
        let below = match (level, divisions.get(&grant.division)) {
            (Some(level), Some(d)) if d.level < level => divisions
                .descendants(&grant.division)
                .into_iter()
                .filter(|x| x.level == level)
                .map(|x| x.code.clone())
                .collect(),
            _ => vec![grant.division.clone()],
        };
        for code in below {
            if !out.iter().any(|(c, _)| c == code.as_str()) {
                out.push((code.to_string(), divisions.full_name(&code).unwrap_or_default()));
            }
        }
    }
    out
}

/// The divisions directly under `typed` (a county's townships), when a submission was refused
/// because `typed` is too high a level for one of the item's steps.
fn choices_under(state: &AppState, typed: &str) -> Vec<(String, String)> {
    let divisions = state.app.divisions();
    let Ok(code) = domain::division::DivisionCode::parse(typed.trim()) else {
        return Vec::new();
    };
    divisions
        .children(&code)
        .into_iter()
        .map(|d| (d.code.to_string(), divisions.full_name(&d.code).unwrap_or_else(|| d.name.clone())))
        .collect()
}

/// Only a clerk works the window (and an area's own desk).
pub(crate) fn check_clerk(user: &AuthUser) -> Result<(), AppError> {
    if user.actor.has_role(Role::Clerk) {
        Ok(())
    } else {
        Err(AppError::new(StatusCode::FORBIDDEN, "forbidden", "窗口受理须由窗口受理人员办理"))
    }
}

/// The channel of the signed-in user: a clerk works the window, a citizen applies online for
/// an item that allows it.
fn mode_of(user: &AuthUser, item: &ServiceItem) -> Result<Mode, AppError> {
    // The window's staff: a clerk, or the role that accepts the item (a township's officer takes
    // in 低保 at the township window).
    let roles = item.procedure.window_roles();
    if user.actor.grants.iter().any(|g| roles.contains(&g.role)) {
        return Ok(Mode::Window);
    }
    if !user.actor.has_role(Role::Citizen) {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "窗口受理须由窗口受理人员办理；网上申请须由办事群众本人提交",
        ));
    }
    if item.online_depth < ONLINE_APPLICATION_DEPTH {
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_online_item",
            format!("“{}”不能网上申请（网上办理深度为{}级），请到窗口办理", item.name, item.online_depth),
        ));
    }
    Ok(Mode::Online)
}

#[utoipa::path(
    get,
    path = "/items/{slug}/apply",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("slug" = String, Path, description = "事项标识"),
        ("situation" = Option<String>, Query, description = "情形：决定材料清单"),
    ),
    responses(
        (status = 200, description = "窗口受理表单：情形、申请人、材料清单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "既不是窗口受理人员也不是办事群众", content_type = "text/html", body = String),
        (status = 404, description = "事项不存在或尚未施行", content_type = "text/html", body = String),
        (status = 422, description = "办事群众：该事项不能网上申请", content_type = "text/html", body = String),
    )
)]
pub async fn form(
    State(state): State<AppState>,
    PagePath(slug): PagePath<String>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let today = state.app.on_or_today(None);
    let item = match state.app.item_on(&slug, today) {
        Ok(item) => item,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let mode = match mode_of(&user, item) {
        Ok(mode) => mode,
        Err(err) => return err.into_html_for(&user),
    };
    let situation = chosen_situation(item, param(query.as_deref(), "situation").as_deref());
    let form = Form {
        user: &user,
        mode,
        item,
        situation,
        key: fresh_key(),
        filled: Filled::default(),
        problems: Vec::new(),
        division_choices: Vec::new(),
    };
    page(&state, StatusCode::OK, form)
}

#[utoipa::path(
    post,
    path = "/items/{slug}/apply",
    tag = "pages",
    security(("cookie" = [])),
    params(("slug" = String, Path, description = "事项标识")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, idempotency_key, situation, accepting_division, applicant_kind（person 个人 | organization 法人或者其他组织）, shown_kind（表单所示的申请人类别：与 applicant_kind 不同时只换表单，不提交）, name, id_number, credit_code, representative（法人或者其他组织）, phone, address, division, premises_division, other_name, other_id_number（两方当事人的事项：另一方当事人）, receipt_channel, receipt_submitted_on, receipt_signed_on, receipt_confirmed_on（自收到申请之日起计算期限的事项：申请方式和日期）, materials（可重复）；事项表单各项为 facts.<字段>（人员、组织为 facts.<字段>.<部分>），与 JSON 接口的 facts 同名"),
    responses(
        (status = 303, description = "已提交：转到办件页"),
        (status = 403, description = "CSRF 令牌不符，或不是该受理地的窗口人员", content_type = "text/html", body = String),
        (status = 404, description = "事项不存在或尚未施行", content_type = "text/html", body = String),
        (status = 409, description = "同一申请人的同一事项正在办理（重复申请）：表单，问题写在申请人旁", content_type = "text/html", body = String),
        (status = 422, description = "申请不符合规则：表单与各项问题", content_type = "text/html", body = String),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    PagePath(slug): PagePath<String>,
    PagePost { user, fields }: PagePost,
) -> Response {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let today = state.app.on_or_today(None);
    let item = match state.app.item_on(&slug, today) {
        Ok(item) => item,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let mode = match mode_of(&user, item) {
        Ok(mode) => mode,
        Err(err) => return err.into_html_for(&user),
    };
    let filled = Filled {
        accepting_division: one("accepting_division"),
        applicant_kind: one("applicant_kind"),
        name: one("name"),
        id_number: one("id_number"),
        credit_code: one("credit_code"),
        representative: one("representative"),
        phone: one("phone"),
        address: one("address"),
        division: one("division"),
        premises_division: one("premises_division"),
        materials: fields.iter().filter(|(k, v)| k == "materials" && !v.is_empty()).map(|(_, v)| v.clone()).collect(),
        facts: fields.iter().filter(|(k, _)| k.starts_with(FACTS)).cloned().collect(),
        other_name: one("other_name"),
        other_id_number: one("other_id_number"),
        relation: one("applicant_relation"),
        receipt: ReceiptFilled {
            channel: one("receipt_channel"),
            submitted_on: one("receipt_submitted_on"),
            signed_on: one("receipt_signed_on"),
            confirmed_on: one("receipt_confirmed_on"),
        },
    };
    // 按此情形显示材料清单, or another kind of applicant chosen than the fields shown: the same
    // form again (the situation's checklist, the kind's fields), keeping what was typed;
    // nothing is submitted.
    if !one("refresh").is_empty() || one("shown_kind") != filled.applicant_kind {
        let situation = chosen_situation(item, Some(one("situation")).as_deref().filter(|s| !s.is_empty()));
        let key = Some(one("idempotency_key")).filter(|k| !k.is_empty()).unwrap_or_else(fresh_key);
        let form = Form {
            user: &user,
            mode,
            item,
            situation,
            key,
            filled,
            problems: Vec::new(),
            division_choices: Vec::new(),
        };
        return page(&state, StatusCode::OK, form);
    }
    // The situation as posted, checked by the service as for the JSON API: an unknown one is
    // refused (`unknown_situation`), never replaced by another.
    let posted_situation = Some(one("situation")).filter(|s| !s.is_empty());
    let mut data = serde_json::Map::new();
    if !filled.premises_division.is_empty() {
        data.insert("premises_division".into(), json!(filled.premises_division));
    }
    // The 户籍所在地 typed is the declared 户籍地 (it may be a township, finer than the ID
    // number's region), which decides the competent office of the items that follow it. An
    // organization's 住所地 is its own field.
    if !filled.division.is_empty() && !filled.is_organization() {
        data.insert("hukou_division".into(), json!(filled.division));
    }
    if !filled.facts.is_empty() {
        data.insert("facts".into(), facts_json(&filled.facts));
    }
    if mode == Mode::Online && !filled.relation.is_empty() {
        data.insert(service::citizens::RELATION_FIELD.into(), json!(filled.relation));
    }
    if mode == Mode::Window && item.procedure.receipt.is_some() {
        let r = &filled.receipt;
        let receipt = json!({
            "channel": r.channel, "submitted_on": r.submitted_on, "signed_on": r.signed_on, "confirmed_on": r.confirmed_on,
        });
        data.insert("receipt".into(), receipt);
    }
    if service::verticals::asks_other_party(item) {
        data.insert("other_party".into(), json!({"name": filled.other_name, "id_number": filled.other_id_number}));
    }
    let optional = |v: &str| (!v.is_empty()).then(|| v.to_string());
    // The applicant's fields of the kind shown, read as the JSON API reads its `applicant`.
    let organization = filled.is_organization();
    let applicant = ApplicantRequest {
        kind: optional(&filled.applicant_kind),
        person_id: None,
        name: Some(filled.name.clone()),
        id_number: (!organization).then(|| filled.id_number.clone()),
        phone: optional(&filled.phone),
        address: optional(&filled.address),
        division: Some(filled.division.clone()),
        credit_code: organization.then(|| filled.credit_code.clone()),
        representative: if organization { optional(&filled.representative) } else { None },
    };
    let applicant = match applicant.into_ref() {
        Ok(applicant) => applicant,
        Err(err) => return err.into_html_for(&user),
    };
    let key = Some(one("idempotency_key")).filter(|k| !k.is_empty());
    let input = SubmitCase {
        item: item.slug.clone(),
        channel: match mode {
            Mode::Window => "window".into(),
            Mode::Online => "online".into(),
        },
        applicant,
        // Online, the application goes to the office of the 户籍地 the applicant gives.
        accepting_division: match mode {
            Mode::Window => filled.accepting_division.clone(),
            Mode::Online => filled.division.clone(),
        },
        situation: posted_situation.clone(),
        materials: filled.materials.clone(),
        data: Value::Object(data),
        idempotency_key: key.clone(),
    };
    match state.app.submit_case(&user.actor, &input).await {
        Ok(submitted) => {
            // Online, the case page opens as the confirmation: the number and the 查询码.
            let to = match mode {
                Mode::Online => format!("/cases/{}?submitted=1", submitted.view.case.id),
                Mode::Window => format!("/cases/{}", submitted.view.case.id),
            };
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Err(err) => {
            let err = AppError::from(err);
            // A refusal of a field (422), or a conflict naming one (a duplicate application):
            // the form again, the refusal next to its field.
            let of_a_field = err.status == StatusCode::CONFLICT && err.field.is_some();
            if err.status != StatusCode::UNPROCESSABLE_ENTITY && !of_a_field {
                return err.into_html_for(&user);
            }
            let mut problems = err.problems.clone();
            if problems.is_empty() {
                let field = err.field.clone().unwrap_or_default();
                problems.push(domain::problem::FieldError::new(&field, err.code, err.message.clone()));
            }
            // A refused submission made nothing: the same key may be used again.
            let key = key.unwrap_or_else(fresh_key);
            let situation = chosen_situation(item, posted_situation.as_deref());
            // The 户籍地 typed is too high for a step (a county where the township acts): the
            // divisions under it, to choose from.
            let division_too_high = match err.code {
                "accepting_division_level" => mode == Mode::Online,
                "competent_division_level" => err.field.as_deref() == Some("data.hukou_division"),
                _ => false,
            };
            let division_choices = if division_too_high { choices_under(&state, &filled.division) } else { Vec::new() };
            let form = Form { user: &user, mode, item, situation, key, filled, problems, division_choices };
            page(&state, err.status, form)
        }
    }
}
