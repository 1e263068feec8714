//! The marriage pages: the registration desk (`/marriage/desk`: both parties, the conditions
//! shown with their basis before anything is written, then registration and the certificate page)
//! and the statistics (`/marriage/stats`: type × office × month with the cross-region split, the
//! figures of `GET /api/v1/stats/marriage`).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use domain::marriage::CertificateKind;
use domain::person::PersonInput;
use service::marriage_desk::{DeskChecks, DeskInput, DeskOutcome, DeskParty, MARRIAGE_ITEM};

use crate::error::AppError;
use crate::extract::{AuthUser, ClerkPost, PagePost, PageUser};
use crate::routes::apply::{check_clerk, clerk_offices, fresh_key, param, FieldProblem};
use crate::views::{render, render_status, Layout};
use crate::AppState;

/// One party's fields as typed.
#[derive(Default)]
pub struct PartyFields {
    /// `a` | `b`: the field names' prefix.
    pub key: &'static str,
    pub legend: &'static str,
    pub name: String,
    pub id_number: String,
    pub division: String,
    pub permit: String,
    /// The 户籍地 and the residence permit's place as choices (filled when the page is drawn).
    pub pickers: Vec<crate::pickers::DivisionPicker>,
    /// The refusals of this party's fields, shown next to each (filled when the page is drawn).
    pub errors: Vec<FieldProblem>,
}

impl PartyFields {
    /// The refusals of one of this party's fields (`name`, `id_number`, `division`, `permit`).
    pub fn of(&self, field: &str) -> Vec<&FieldProblem> {
        self.errors.iter().filter(|p| p.field == field).collect()
    }
}

/// The party a refused field is of (`party_a.id_number` → `a`, `id_number`), by the names the
/// form posts (`residence_permit_division` is the form's `permit`).
fn party_field(field: &str) -> Option<(&'static str, &'static str)> {
    let (prefix, rest) = field.split_once('.')?;
    let key = match prefix {
        "party_a" => "a",
        "party_b" => "b",
        _ => return None,
    };
    let name = match rest {
        "name" => "name",
        "id_number" => "id_number",
        "division" => "division",
        "residence_permit_division" => "permit",
        _ => return None,
    };
    Some((key, name))
}

/// A refusal's lines for the summary above the form, each naming its party and field.
fn summary_of(err: &AppError) -> Vec<String> {
    if err.problems.is_empty() {
        return vec![err.message.clone()];
    }
    err.problems
        .iter()
        .map(|p| {
            let who = match party_field(&p.field) {
                Some(("a", _)) => "一方当事人",
                Some(_) => "另一方当事人",
                None => "",
            };
            let what = match party_field(&p.field).map(|(_, f)| f) {
                Some("name") => "姓名",
                Some("id_number") => "公民身份号码",
                Some("division") => "户籍所在地",
                Some("permit") => "居住证发放地",
                _ => match p.field.as_str() {
                    "office" => "婚姻登记机关",
                    "reasons" => "不予登记的理由",
                    _ => "",
                },
            };
            if what.is_empty() {
                p.message.clone()
            } else {
                format!("{who}{what}：{}", p.message)
            }
        })
        .collect()
}

#[derive(Default)]
pub struct DeskFields {
    pub office: String,
    pub parties: Vec<PartyFields>,
    pub declaration: bool,
    pub materials: Vec<String>,
}

pub struct CheckRow {
    pub label: String,
    pub ok: bool,
    pub message: String,
    pub basis: Option<String>,
}

pub struct ChecksView {
    pub passed: bool,
    pub rows: Vec<CheckRow>,
    /// "一方当事人：在册，已婚" …
    pub parties: Vec<String>,
}

#[derive(Template)]
#[template(path = "verticals/marriage/marriage_desk.html")]
pub struct DeskPage {
    pub layout: Layout,
    pub offices: Vec<(String, String)>,
    /// (id, name, checked)
    pub materials: Vec<(String, String, bool)>,
    pub csrf_token: String,
    pub idempotency_key: String,
    pub f: DeskFields,
    pub checks: Option<ChecksView>,
    pub problems: Vec<String>,
    /// The refusals of the fields outside the parties' (`office`, `reasons`).
    pub field_problems: Vec<FieldProblem>,
}

impl DeskPage {
    /// The refusals of one of the desk's own fields (`office`, `reasons`).
    pub fn of(&self, field: &str) -> Vec<&FieldProblem> {
        self.field_problems.iter().filter(|p| p.field == field).collect()
    }
}

fn empty_parties() -> Vec<PartyFields> {
    vec![
        PartyFields { key: "a", legend: "一方当事人", ..PartyFields::default() },
        PartyFields { key: "b", legend: "另一方当事人", ..PartyFields::default() },
    ]
}

fn checks_view(checks: &DeskChecks) -> ChecksView {
    ChecksView {
        passed: checks.passed(),
        rows: checks
            .checks
            .iter()
            .map(|c| CheckRow {
                label: c.label.to_string(),
                ok: c.ok,
                message: c.message.clone(),
                basis: c.basis.clone(),
            })
            .collect(),
        parties: ["一方当事人", "另一方当事人"]
            .iter()
            .zip(&checks.on_record)
            .map(|(who, on)| match on {
                Some((_, status)) => format!("{who}：已在册，婚姻登记信息为{status}"),
                None => format!("{who}：未在册，登记时一并登记人员信息"),
            })
            .collect(),
    }
}

struct Desk<'a> {
    user: &'a AuthUser,
    key: String,
    f: DeskFields,
    checks: Option<ChecksView>,
    problems: Vec<String>,
    /// Every refusal with its field (`party_a.id_number`, `office`…), shown next to its input.
    fields: Vec<domain::problem::FieldError>,
}

fn desk_page(state: &AppState, status: StatusCode, desk: Desk<'_>) -> Response {
    let Desk { user, key, mut f, checks, problems, fields } = desk;
    let mut field_problems = Vec::new();
    for e in fields {
        let problem = |field: &str| FieldProblem { field: field.to_string(), code: e.code, message: e.message.clone() };
        match party_field(&e.field) {
            Some((key, field)) => {
                if let Some(p) = f.parties.iter_mut().find(|p| p.key == key) {
                    p.errors.push(problem(field));
                }
            }
            None => field_problems.push(problem(&e.field)),
        }
    }
    for p in &mut f.parties {
        let (division, permit) = (format!("{}_division", p.key), format!("{}_permit", p.key));
        let divisions = state.app.divisions();
        let home = crate::pickers::DivisionField::new(&division, "户籍所在地").required().anywhere();
        let card = crate::pickers::DivisionField::new(&permit, "居住证发放地（持居住证的选择）").anywhere();
        p.pickers = vec![
            crate::pickers::DivisionPicker::new(divisions, &user.actor, &home, &p.division),
            crate::pickers::DivisionPicker::new(divisions, &user.actor, &card, &p.permit),
        ];
    }
    let offices = clerk_offices(state, user);
    let materials = match state.app.item_on(MARRIAGE_ITEM, state.app.on_or_today(None)) {
        Ok(item) => {
            let ordinary = item.situations.iter().find(|s| s.id == "ordinary").map(|s| &s.materials);
            item.materials
                .iter()
                .filter(|m| !m.shared && ordinary.is_none_or(|o| o.contains(&m.id)))
                .map(|m| (m.id.clone(), m.name.clone(), f.materials.contains(&m.id)))
                .collect()
        }
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let page = DeskPage {
        layout: Layout::for_user("结婚登记", user),
        offices,
        materials,
        csrf_token: user.csrf_token.clone(),
        idempotency_key: key,
        f,
        checks,
        problems,
        field_problems,
    };
    render_status(status, &page)
}

#[utoipa::path(
    get,
    path = "/marriage/desk",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "结婚登记窗口：双方当事人、声明、材料", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是窗口受理人员", content_type = "text/html", body = String),
    )
)]
pub async fn desk(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    if let Err(err) = check_clerk(&user) {
        return err.into_html_for(&user);
    }
    let f = DeskFields { parties: empty_parties(), ..DeskFields::default() };
    let desk = Desk { user: &user, key: fresh_key(), f, checks: None, problems: Vec::new(), fields: Vec::new() };
    desk_page(&state, StatusCode::OK, desk)
}

#[utoipa::path(
    post,
    path = "/marriage/desk",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, idempotency_key, action（check 核验 | register 登记 | refuse 不予登记，附 reasons 理由）, office, a_name, a_id_number, a_division, a_permit, b_…, declaration, materials（可重复）"),
    responses(
        (status = 200, description = "核验结果（未写入任何记录）", content_type = "text/html", body = String),
        (status = 303, description = "已登记：转到结婚证打印页；不予登记：转到不予登记决定书"),
        (status = 403, description = "CSRF 令牌不符，或不是该登记机关的窗口人员", content_type = "text/html", body = String),
        (status = 422, description = "输入不符合规则，或不符合结婚登记条件（逐项列出及依据）", content_type = "text/html", body = String),
    )
)]
pub async fn desk_submit(State(state): State<AppState>, ClerkPost(PagePost { user, fields }): ClerkPost) -> Response {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut parties = empty_parties();
    for p in &mut parties {
        p.name = one(&format!("{}_name", p.key));
        p.id_number = one(&format!("{}_id_number", p.key));
        p.division = one(&format!("{}_division", p.key));
        p.permit = one(&format!("{}_permit", p.key));
    }
    let f = DeskFields {
        office: one("office"),
        parties,
        declaration: one("declaration") == "signed",
        materials: fields.iter().filter(|(k, v)| k == "materials" && !v.is_empty()).map(|(_, v)| v.clone()).collect(),
    };
    let party = |p: &PartyFields| DeskParty {
        person: PersonInput {
            name: p.name.clone(),
            id_number: p.id_number.clone(),
            phone: None,
            address: None,
            division: p.division.clone(),
        },
        residence_permit_division: Some(p.permit.clone()).filter(|v| !v.is_empty()),
    };
    let key = Some(one("idempotency_key")).filter(|k| !k.is_empty());
    let input = DeskInput {
        office: f.office.clone(),
        parties: [party(&f.parties[0]), party(&f.parties[1])],
        declaration_signed: f.declaration,
        materials: f.materials.clone(),
        idempotency_key: key.clone(),
    };
    let key = key.unwrap_or_else(fresh_key);
    if one("action") == "refuse" {
        return match state.app.marriage_desk_refuse(&user.actor, &input, &one("reasons")).await {
            Ok(case_id) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/cases/{case_id}/notices/decision"))])
                .into_response(),
            Err(err) => {
                let err = AppError::from(err);
                if err.status != StatusCode::UNPROCESSABLE_ENTITY {
                    return err.into_html_for(&user);
                }
                let (problems, fields) = (summary_of(&err), err.problems.clone());
                desk_page(
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Desk { user: &user, key, f, checks: None, problems, fields },
                )
            }
        };
    }
    let answer = if one("action") == "register" {
        state.app.marriage_desk_register(&user.actor, &input).await
    } else {
        state.app.marriage_desk_check(&user.actor, &input).await.map(DeskOutcome::Refused)
    };
    match answer {
        Ok(DeskOutcome::Registered { case_id }) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/cases/{case_id}/certificate"))]).into_response()
        }
        Ok(DeskOutcome::Refused(checks)) => {
            let status = if checks.passed() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            let checks = Some(checks_view(&checks));
            let desk = Desk { user: &user, key, f, checks, problems: Vec::new(), fields: Vec::new() };
            desk_page(&state, status, desk)
        }
        Err(err) => {
            let err = AppError::from(err);
            if err.status != StatusCode::UNPROCESSABLE_ENTITY {
                return err.into_html_for(&user);
            }
            let (problems, fields) = (summary_of(&err), err.problems.clone());
            let desk = Desk { user: &user, key, f, checks: None, problems, fields };
            desk_page(&state, StatusCode::UNPROCESSABLE_ENTITY, desk)
        }
    }
}

pub struct StatRow {
    pub kind: &'static str,
    pub office: String,
    pub month: String,
    pub total: u64,
    pub local: u64,
    pub cross_county: u64,
    pub cross_prefecture: u64,
    pub cross_province: u64,
}

#[derive(Template)]
#[template(path = "verticals/marriage/marriage_stats.html")]
pub struct StatsPage {
    pub layout: Layout,
    pub from: String,
    pub to: String,
    pub error: Option<String>,
    pub rows: Vec<StatRow>,
    /// total, local, cross-county, cross-prefecture, cross-province
    pub total: (u64, u64, u64, u64, u64),
    pub definition: &'static str,
}

/// 结婚登记 / 离婚登记 / 补领结婚证 / 补领离婚证.
fn kind_zh(kind: &str) -> &'static str {
    match CertificateKind::parse(kind) {
        Some(CertificateKind::Marriage) => "结婚登记",
        Some(CertificateKind::Divorce) => "离婚登记",
        Some(CertificateKind::MarriageReissue) => "补领结婚证",
        Some(CertificateKind::DivorceReissue) => "补领离婚证",
        None => "其他",
    }
}

#[utoipa::path(
    get,
    path = "/marriage/stats",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("from" = Option<String>, Query, description = "起始日（默认当年1月1日）"),
        ("to" = Option<String>, Query, description = "截止日（默认今天）"),
    ),
    responses(
        (status = 200, description = "婚姻登记统计：类型 × 登记机关 × 月份，本地/跨区县/跨地市/跨省，及口径", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无权查看统计", content_type = "text/html", body = String),
        (status = 422, description = "日期格式错误或起始日晚于截止日", content_type = "text/html", body = String),
    )
)]
pub async fn stats(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let today = state.app.today();
    let date = |name: &str, default: NaiveDate| -> Result<NaiveDate, String> {
        match param(query.as_deref(), name).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| format!("“{v}”不是 YYYY-MM-DD 格式的日期"))
            }
        }
    };
    let to = date("to", today);
    let from = date("from", NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let mut page = StatsPage {
        layout: Layout::for_user("婚姻登记统计", &user),
        from: from.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        to: to.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        error: None,
        rows: Vec::new(),
        total: (0, 0, 0, 0, 0),
        definition: domain::marriage::stats::DEFINITION,
    };
    let (from, to) = match (from, to) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => {
            page.error = Some(e);
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let stats = match state.app.marriage_statistics(&user.actor, from, to).await {
        Ok(stats) => stats,
        Err(err) => {
            let err = AppError::from(err);
            if err.status != StatusCode::UNPROCESSABLE_ENTITY {
                return err.into_html_for(&user);
            }
            page.error = Some(err.message);
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let divisions = state.app.divisions();
    page.rows = stats
        .rows
        .iter()
        .map(|r| StatRow {
            kind: kind_zh(&r.kind),
            office: domain::division::DivisionCode::parse(&r.office)
                .ok()
                .and_then(|c| divisions.full_name(&c))
                .unwrap_or_else(|| r.office.clone()),
            month: r.month.clone(),
            total: r.counts.total,
            local: r.counts.local,
            cross_county: r.counts.cross_county,
            cross_prefecture: r.counts.cross_prefecture,
            cross_province: r.counts.cross_province,
        })
        .collect();
    let t = &stats.total;
    page.total = (t.total, t.local, t.cross_county, t.cross_prefecture, t.cross_province);
    render(&page)
}

#[derive(Template)]
#[template(path = "verticals/marriage/marriage_death.html")]
pub struct DeathPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub id_number: String,
    pub date: String,
    pub source_document: String,
    pub done: Option<String>,
    pub problems: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/marriage/death",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "记录死亡：身份证号码、死亡日期、来源文书", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不是窗口受理人员", content_type = "text/html", body = String),
    )
)]
pub async fn death(PageUser(user): PageUser) -> Response {
    if let Err(err) = check_clerk(&user) {
        return err.into_html_for(&user);
    }
    render(&DeathPage {
        layout: Layout::for_user("记录死亡", &user),
        csrf_token: user.csrf_token.clone(),
        id_number: String::new(),
        date: String::new(),
        source_document: String::new(),
        done: None,
        problems: Vec::new(),
    })
}

#[utoipa::path(
    post,
    path = "/marriage/death",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, id_number, date, source_document"),
    responses(
        (status = 200, description = "已记录（配偶为丧偶）", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，或无权记录该人员的死亡", content_type = "text/html", body = String),
        (status = 404, description = "该身份证号码不在人员记录中", content_type = "text/html", body = String),
        (status = 409, description = "已记录死亡", content_type = "text/html", body = String),
        (status = 422, description = "输入不符合规则（逐项列出）", content_type = "text/html", body = String),
    )
)]
pub async fn death_submit(State(state): State<AppState>, ClerkPost(PagePost { user, fields }): ClerkPost) -> Response {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = service::deaths::DeathInput { date: one("date"), source_document: one("source_document") };
    let mut page = DeathPage {
        layout: Layout::for_user("记录死亡", &user),
        csrf_token: user.csrf_token.clone(),
        id_number: String::new(),
        date: String::new(),
        source_document: String::new(),
        done: None,
        problems: Vec::new(),
    };
    match state.app.record_death_by_id_number(&user.actor, &one("id_number"), &input).await {
        Ok(recorded) => {
            page.done = Some(match recorded.widowed_person_id {
                Some(_) => format!("已记录 {} 死亡；其配偶的婚姻状况为丧偶。", recorded.date),
                None => format!("已记录 {} 死亡（无在册配偶）。", recorded.date),
            });
            render(&page)
        }
        Err(err) => {
            let err = AppError::from(err);
            if err.status != StatusCode::UNPROCESSABLE_ENTITY {
                return err.into_html_for(&user);
            }
            page.problems = err.problems.iter().map(|p| p.message.clone()).collect();
            if page.problems.is_empty() {
                page.problems.push(err.message.clone());
            }
            (page.id_number, page.date, page.source_document) = (one("id_number"), input.date, input.source_document);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
