//! The staff pages of 行政执法: the workbench (`/enforcement`: the cases with each one's next
//! deadline and its article, and the 立案 form), the officers' register (`/enforcement/officers`:
//! credentials and their expiry, the form to add an officer), and a case's page
//! (`/enforcement/cases/{id}`: its facts, its deadlines, its acts, its full-process record, and one
//! form per act the caller may record; officers are chosen from the register, never typed).
//! Every form goes through the parsers the API uses (`OfficerInput`, `FileInput`, `ActInput`);
//! a refusal shows the page again with the law's words.

use askama::Template;
use axum::extract::{FromRequest, Multipart, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::access::Permission;
use domain::division::{DivisionCode, Divisions, Level};
use domain::organization::OrganizationInput;
use domain::person::PersonInput;
use domain::verticals::enforcement::input::{kind_name, ACT_KINDS};
use domain::verticals::enforcement::procedure::REVIEW_CHECKLIST;
use domain::verticals::enforcement::{penalty_text, Act, ActInput, OfficerInput, PenaltyKind, Stage};
use domain::verticals::social_organization::sanction;
use service::verticals::enforcement::{case_number, CaseView, Evidence, FileInput, OfficerRow, Party};
use service::{ErrorKind, ServiceError};

use crate::error::AppError;
use crate::extract::{check_form_csrf, AuthUser, PagePath, PagePost, PageUser, CSRF_FIELD};
use crate::pickers::{DivisionField, DivisionPicker};
use crate::views::{date_zh, datetime_zh, render_status, yuan, Layout};
use crate::AppState;

pub(super) fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

/// An officer as a choice: 王执法（川民执-0001）.
fn officer_label(register: &[OfficerRow], id: i64) -> String {
    register
        .iter()
        .find(|r| r.officer.id == id)
        .map(|r| format!("{}（{}）", r.officer.name, r.officer.certificate_no))
        .unwrap_or_else(|| "（名录中无此人）".to_string())
}

fn officer_names(register: &[OfficerRow], ids: &[i64]) -> String {
    ids.iter().map(|id| officer_label(register, *id)).collect::<Vec<_>>().join("、")
}

/// The messages of a refusal, one per problem.
pub(super) fn messages(err: &ServiceError) -> Vec<String> {
    if err.problems.is_empty() {
        vec![err.message.clone()]
    } else {
        err.problems.iter().map(|p| p.message.clone()).collect()
    }
}

pub(super) fn refusal_status(err: &ServiceError) -> StatusCode {
    if err.kind == ErrorKind::Conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

// ---------------------------------------------------------------------------------------------
// Deadlines

/// A case's running deadlines on the day read: (what, due, article), earliest first.
pub fn running_deadlines(view: &CaseView) -> Vec<(&'static str, NaiveDate, &'static str)> {
    let d = &view.deadlines;
    let mut out: Vec<(&'static str, NaiveDate, &'static str)> = [
        ("作出处罚决定", d.decision_due, "《中华人民共和国行政处罚法》第六十条：自立案之日起九十日内"),
        (
            "对先行登记保存的证据作出处理决定",
            d.preservation_decision_due,
            "《中华人民共和国行政处罚法》第五十六条：七日内（工作日）",
        ),
        (
            "当事人要求听证",
            d.hearing_request_due,
            "《中华人民共和国行政处罚法》第六十四条第一项：告知后五日内（工作日）",
        ),
        ("送达处罚决定书", d.service_due, "《中华人民共和国行政处罚法》第六十一条：七日内（工作日）"),
        ("缴纳罚款", d.payment_due, "《中华人民共和国行政处罚法》第六十七条第三款：收到决定书之日起十五日内"),
        (
            "公示处罚决定",
            d.publication_due,
            "《中华人民共和国行政处罚法》第四十八条、国办发〔2018〕118号：七个工作日内",
        ),
        ("撤回已公示的决定", d.withdrawal_due, "《中华人民共和国行政处罚法》第四十八条第二款：三日内（工作日）"),
    ]
    .into_iter()
    .filter_map(|(what, due, basis)| due.map(|due| (what, due, basis)))
    .collect();
    out.sort_by_key(|(_, due, _)| *due);
    out
}

/// A deadline line as pages show it.
pub struct DeadlineLine {
    pub what: &'static str,
    pub due: String,
    pub basis: &'static str,
    /// (colour, text)
    pub badge: (&'static str, &'static str),
}

fn deadline_lines(view: &CaseView) -> Vec<DeadlineLine> {
    running_deadlines(view)
        .into_iter()
        .map(|(what, due, basis)| DeadlineLine {
            what,
            due: date_zh(due),
            basis,
            badge: if due < view.today {
                ("red", "已逾期")
            } else if (due - view.today).num_days() <= 3 {
                ("yellow", "即将到期")
            } else {
                ("green", "期限内")
            },
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The workbench

/// A case in the queue.
pub struct CaseLine {
    pub id: i64,
    pub number: String,
    pub party: String,
    pub violation: String,
    pub filed: String,
    pub stage: &'static str,
    pub major: bool,
    pub next: Option<DeadlineLine>,
    /// Awaiting its 法制审核 ([`awaits_review`]).
    pub in_review: bool,
}

/// A major case (重大执法决定) not yet decided whose 法制审核 has not passed: the reviewer's queue
/// (行政处罚法第五十八条：作出决定之前，应当进行法制审核；未经法制审核或者审核未通过的，不得作出决定).
fn awaits_review(v: &CaseView) -> bool {
    v.full.case.filing.major && v.stage != Stage::Closed && v.file.decision().is_none() && !v.file.review_passed()
}

fn party_text(party: &Party) -> String {
    match party {
        Party::Organization { name, .. } => name.clone(),
        Party::Person { name, .. } => domain::person::mask_name(name),
    }
}

/// An officer as a choice in a form: (id, label, valid today, legal qualification).
pub struct OfficerChoice {
    pub id: i64,
    pub label: String,
    pub valid: bool,
    pub lawyer: bool,
}

fn choices(register: &[OfficerRow], today: NaiveDate) -> Vec<OfficerChoice> {
    register
        .iter()
        .map(|r| OfficerChoice {
            id: r.officer.id,
            label: format!("{}（{}，{}）", r.officer.name, r.officer.certificate_no, r.officer.area),
            valid: r.officer.credential_valid(today),
            lawyer: r.officer.legal_qualification,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "verticals/enforcement/workbench.html")]
pub struct WorkbenchPage {
    pub layout: Layout,
    pub cases: Vec<CaseLine>,
    pub may_file: bool,
    pub may_manage: bool,
    /// The reviewer's queue: the cases awaiting 法制审核, for those who may review.
    pub may_review: bool,
    pub awaiting_review: usize,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub today: String,
    pub officers: Vec<OfficerChoice>,
    pub body_picker: DivisionPicker,
    pub party_picker: DivisionPicker,
    /// The values typed, shown again after a refusal.
    pub form: Vec<(String, String)>,
}

impl WorkbenchPage {
    pub fn value(&self, name: &str) -> &str {
        self.form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.form.iter().any(|(k, v)| k == name && v == value)
    }
}

async fn workbench_page(
    state: &AppState,
    user: &AuthUser,
    errors: Vec<String>,
    form: Vec<(String, String)>,
) -> Result<WorkbenchPage, ServiceError> {
    let views = state.app.enforcement_cases(&user.actor).await?;
    let register = state.app.enforcement_officers(&user.actor).await?;
    let today = state.app.today();
    let mut cases: Vec<CaseLine> = views
        .iter()
        .map(|v| {
            let c = &v.full.case;
            CaseLine {
                id: c.id,
                number: case_number(c),
                party: party_text(&c.party),
                violation: c.violation.clone(),
                filed: date_zh(c.filing.filed_on),
                stage: v.stage.name_zh(),
                major: c.filing.major,
                next: deadline_lines(v).into_iter().next(),
                in_review: awaits_review(v),
            }
        })
        .collect();
    // The queue: open cases by their next deadline, then the closed ones.
    cases.sort_by_key(|c| (c.next.is_none(), c.next.as_ref().map(|n| n.due.clone()), std::cmp::Reverse(c.id)));
    let value = |name: &str| form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).to_string();
    let awaiting_review = cases.iter().filter(|c| c.in_review).count();
    let body = DivisionField::new("division", "执法机关所在地").required().down_to(Level::County);
    let party = DivisionField::new("party_division", "当事人住所地（户籍地）").required().anywhere();
    Ok(WorkbenchPage {
        layout: Layout::for_user("行政执法案件", user),
        cases,
        may_file: user.actor.may_somewhere(Permission::EnforceCases),
        may_manage: user.actor.may_somewhere(Permission::ManageEnforcementOfficers),
        may_review: user.actor.may_somewhere(Permission::ReviewEnforcement),
        awaiting_review,
        errors,
        csrf_token: user.csrf_token.clone(),
        today: today.to_string(),
        officers: choices(&register, today),
        body_picker: DivisionPicker::new(Divisions::builtin(), &user.actor, &body, &value("division")),
        party_picker: DivisionPicker::new(Divisions::builtin(), &user.actor, &party, &value("party_division")),
        form,
    })
}

/// The workbench: the cases of the jurisdiction with their next deadline and its legal basis,
/// and the 立案 form for enforcement officers.
#[utoipa::path(
    get,
    path = "/enforcement",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("org" = Option<String>, Query, description = "预填立案表：当事人的统一社会信用代码（从社会组织名录读取）"),
        ("basis" = Option<String>, Query, description = "预填立案表：案由依据（social_group_inspection、private_non_enterprise_inspection、foundation_inspection）"),
        ("year" = Option<i32>, Query, description = "预填立案表：未参加年度检查的年度（与 basis 一起，案由写明年度）"),
        ("draw" = Option<i64>, Query, description = "预填立案表：双随机抽查编号（与 line 一起，案由取检查发现的问题，承办人员取该次检查的两名执法检查人员）"),
        ("line" = Option<i64>, Query, description = "预填立案表：该次抽查中被检查社会组织的序号"),
    ),
    responses(
        (status = 200, description = "行政执法案件：待办队列（每案下一期限及其法律依据）与立案", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn workbench(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let (errors, form) = match prefill(&state, &user, &query).await {
        Ok(found) => found,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    match workbench_page(&state, &user, errors, form).await {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// The 立案 form prefilled from a link (`?org=<统一社会信用代码>&basis=<code>`, e.g. from the
/// annual inspection's list of organizations that did not report): the organization read from the
/// register of social organizations and chosen as the party, the violation of the basis named.
async fn prefill(
    state: &AppState,
    user: &AuthUser,
    query: &Option<String>,
) -> Result<(Vec<String>, Vec<(String, String)>), ServiceError> {
    let code = query_param(query, "org");
    if code.is_empty() || !user.actor.may_somewhere(Permission::EnforceCases) {
        return Ok((vec![], vec![]));
    }
    let Some(full) = state.app.social_org_by_code(&code).await? else {
        return Ok((
            vec![format!("登记管理机关的社会组织名录中没有统一社会信用代码为{code}的组织，请核对后填写。")],
            vec![],
        ));
    };
    let org = full.org;
    let mut form = vec![
        ("party_kind".to_string(), "organization".to_string()),
        ("name".to_string(), org.name.clone()),
        ("credit_code".to_string(), org.credit_code.clone()),
        ("representative".to_string(), org.legal_rep_name.clone()),
        ("party_division".to_string(), org.premises_division.clone()),
    ];
    let body = DivisionCode::parse(&org.authority_division).ok();
    if body.as_ref().is_some_and(|d| user.actor.may(Permission::EnforceCases, d, state.app.divisions())) {
        form.push(("division".to_string(), org.authority_division.clone()));
    }
    // The basis is the register's law, kept by the area that registers the organizations.
    // With the inspection's year, the 案由 by which the campaign's list shows the case as opened.
    if let Some(basis) = sanction::basis(&query_param(query, "basis")) {
        let violation = match query_param(query, "year").parse::<i32>() {
            Ok(year) if (2000..=9999).contains(&year) => sanction::case_violation(basis, year),
            _ => format!("{}，违反{}", basis.violation, basis.citation),
        };
        form.push(("violation".to_string(), violation));
    }
    form.extend(from_inspection(state, user, query, &org.credit_code).await);
    Ok((vec![], form))
}

/// The 立案 form's fields from a random inspection's result (`&draw=<id>&line=<position>`, the
/// link a published result with a problem carries, 《社会组织抽查暂行办法》: a violation found is
/// dealt with by the register authority): what the inspectors found, as the violation, and the
/// two inspectors, as the case's officers. Nothing when the line is not the organization's or
/// not in the caller's jurisdiction.
async fn from_inspection(
    state: &AppState,
    user: &AuthUser,
    query: &Option<String>,
    credit_code: &str,
) -> Vec<(String, String)> {
    let (Ok(draw), Ok(position)) =
        (query_param(query, "draw").parse::<i64>(), query_param(query, "line").parse::<i64>())
    else {
        return vec![];
    };
    let views = state.app.enforcement_draws(&user.actor).await.unwrap_or_default();
    let Some(line) = views
        .iter()
        .filter(|v| v.row.id == draw)
        .flat_map(|v| v.row.lines.iter())
        .find(|l| l.position == position && l.credit_code == credit_code && l.finding.is_some())
    else {
        return vec![];
    };
    let found = line.note.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or("抽查发现的问题");
    let found: String = found.chars().take(150).collect();
    let on = line.checked_on.map(date_zh).unwrap_or_default();
    let mut form = vec![("violation".to_string(), format!("{found}（{on}双随机抽查发现）"))];
    form.extend(line.inspectors.iter().map(|id| ("officers".to_string(), id.to_string())));
    form
}

fn ids(post: &PagePost, name: &str) -> Vec<i64> {
    post.fields.iter().filter(|(k, _)| k == name).filter_map(|(_, v)| v.parse().ok()).collect()
}

/// 立案 from the workbench's form.
#[utoipa::path(
    post,
    path = "/enforcement/cases",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, party_kind (organization | person), name, credit_code, representative, id_number, phone, party_division, violation, filed_on, act_ended_on, harmful, major, officers（可多选）"),
    responses(
        (status = 303, description = "已立案：转到案件页"),
        (status = 403, description = "CSRF 令牌不符，或无立案权限", content_type = "text/html", body = String),
        (status = 422, description = "立案不符合规定（时效、执法人员、当事人信息）：工作台与提示", content_type = "text/html", body = String),
    )
)]
pub async fn file(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let person = post.one("party_kind") == "person";
    let input = FileInput {
        division: post.one("division"),
        organization: (!person).then(|| OrganizationInput {
            name: post.one("name"),
            credit_code: post.one("credit_code"),
            representative: Some(post.one("representative")).filter(|r| !r.is_empty()),
            division: post.one("party_division"),
        }),
        person: person.then(|| PersonInput {
            name: post.one("name"),
            id_number: post.one("id_number"),
            phone: Some(post.one("phone")).filter(|r| !r.is_empty()),
            address: None,
            division: post.one("party_division"),
        }),
        violation: post.one("violation"),
        filed_on: post.one("filed_on"),
        act_ended_on: post.one("act_ended_on"),
        harmful: !post.one("harmful").is_empty(),
        major: !post.one("major").is_empty(),
        officers: ids(&post, "officers"),
    };
    match state.app.enforcement_file(&user.actor, &input).await {
        Ok(id) => Redirect::to(&format!("/enforcement/cases/{id}?done=file")).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = refusal_status(&err);
            let form = post.fields.iter().filter(|(k, _)| k != CSRF_FIELD).cloned().collect();
            match workbench_page(&state, user, messages(&err), form).await {
                Ok(page) => render_status(status, &page),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

// ---------------------------------------------------------------------------------------------
// The officers' register

/// A register line.
pub struct OfficerLine {
    pub name: String,
    pub certificate_no: String,
    pub area: String,
    pub issued_by: String,
    pub valid: String,
    pub training_hours: i64,
    pub lawyer: bool,
    pub duties: String,
    /// (colour, text)
    pub badge: (&'static str, &'static str),
}

#[derive(Template)]
#[template(path = "verticals/enforcement/officers.html")]
pub struct OfficersPage {
    pub layout: Layout,
    pub lines: Vec<OfficerLine>,
    pub may_manage: bool,
    pub done: bool,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub picker: DivisionPicker,
    pub form: Vec<(String, String)>,
}

impl OfficersPage {
    pub fn value(&self, name: &str) -> &str {
        self.form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// How many days before its end a credential is shown as expiring (time to renew it).
const EXPIRING_DAYS: i64 = 90;

async fn officers_page(
    state: &AppState,
    user: &AuthUser,
    done: bool,
    errors: Vec<String>,
    form: Vec<(String, String)>,
) -> Result<OfficersPage, ServiceError> {
    let today = state.app.today();
    let rows = state.app.enforcement_officers(&user.actor).await?;
    let lines = rows
        .into_iter()
        .map(|r| {
            let o = r.officer;
            let badge = if o.suspended {
                ("red", "已暂扣")
            } else if o.valid_until < today {
                ("red", "已过期")
            } else if o.valid_from > today {
                ("yellow", "尚未生效")
            } else if (o.valid_until - today).num_days() <= EXPIRING_DAYS {
                ("yellow", "即将到期")
            } else {
                ("green", "有效")
            };
            OfficerLine {
                name: o.name,
                certificate_no: o.certificate_no,
                area: o.area,
                issued_by: o.issued_by,
                valid: format!("{}至{}", date_zh(o.valid_from), date_zh(o.valid_until)),
                training_hours: o.training_hours,
                lawyer: o.legal_qualification,
                duties: r.duties,
                badge,
            }
        })
        .collect();
    let value = form.iter().find(|(k, _)| k == "division").map_or(String::new(), |(_, v)| v.clone());
    let field = DivisionField::new("division", "执法机关所在地").required().down_to(Level::County);
    Ok(OfficersPage {
        layout: Layout::for_user("执法人员名录", user),
        lines,
        may_manage: user.actor.may_somewhere(Permission::ManageEnforcementOfficers),
        done,
        errors,
        csrf_token: user.csrf_token.clone(),
        picker: DivisionPicker::new(Divisions::builtin(), &user.actor, &field, &value),
        form,
    })
}

/// The officers' register: credentials, their validity and expiry, and the form to add one.
#[utoipa::path(
    get,
    path = "/enforcement/officers",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "执法人员名录（执法证有效期、即将到期和已过期的证件）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn officers(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let done = query_param(&query, "done") == "added";
    match officers_page(&state, &user, done, vec![], vec![]).await {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Adds an officer from the register's form.
#[utoipa::path(
    post,
    path = "/enforcement/officers",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, name, certificate_no, area, issued_by, valid_from, valid_until, training_hours, legal_qualification, duties"),
    responses(
        (status = 303, description = "已登记：转回名录"),
        (status = 403, description = "CSRF 令牌不符，或无权管理名录", content_type = "text/html", body = String),
        (status = 409, description = "执法证号已登记：名录与提示", content_type = "text/html", body = String),
        (status = 422, description = "登记内容不符：名录与提示", content_type = "text/html", body = String),
    )
)]
pub async fn add_officer(State(state): State<AppState>, post: PagePost) -> Response {
    let user = &post.user;
    let input = OfficerInput {
        name: post.one("name"),
        certificate_no: post.one("certificate_no"),
        area: post.one("area"),
        issued_by: post.one("issued_by"),
        valid_from: post.one("valid_from"),
        valid_until: post.one("valid_until"),
        training_hours: post.one("training_hours"),
        legal_qualification: !post.one("legal_qualification").is_empty(),
    };
    match state.app.enforcement_add_officer(&user.actor, &post.one("division"), &input, &post.one("duties")).await {
        Ok(_) => Redirect::to("/enforcement/officers?done=added").into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = refusal_status(&err);
            let form = post.fields.iter().filter(|(k, _)| k != CSRF_FIELD).cloned().collect();
            match officers_page(&state, user, false, messages(&err), form).await {
                Ok(page) => render_status(status, &page),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

// ---------------------------------------------------------------------------------------------
// A case

/// One act of the timeline.
pub struct ActLine {
    pub on: String,
    pub name: &'static str,
    /// (label, value) of what the act records.
    pub details: Vec<(&'static str, String)>,
    pub recorded: String,
}

/// One entry of the full-process record.
pub struct RecordLine {
    pub seq: i64,
    pub at: String,
    pub label: &'static str,
    pub actor: String,
    pub note: String,
    /// A file's SM3 the note names, printed so that it breaks on a phone.
    pub note_digest: String,
    pub hash: String,
}

/// One field of an act's form.
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    /// date | officers | officer | lawyer | text | textarea | check | penalty | amount |
    /// checklist | revoked_by | file
    pub widget: &'static str,
    pub required: bool,
}

/// The form of one kind of act.
pub struct ActForm {
    pub kind: &'static str,
    pub name: &'static str,
    /// Where it posts: the acts, or (with a file) the evidence upload.
    pub action: String,
    pub multipart: bool,
    pub hint: &'static str,
    pub fields: Vec<FieldSpec>,
}

const fn f(name: &'static str, label: &'static str, widget: &'static str, required: bool) -> FieldSpec {
    FieldSpec { name, label, widget, required }
}

/// The fields of an act's form, and the law it is done under.
fn form_fields(kind: &str) -> (Vec<FieldSpec>, &'static str) {
    let on = f("on", "日期", "date", true);
    match kind {
        "record" => (
            vec![
                on,
                f("title", "笔录或证据名称", "text", true),
                f("officers", "执法人员（现场执法不少于两人）", "officers", false),
                f("on_site", "现场检查、询问", "check", false),
                f("file", "证据文件（PDF、JPEG、PNG，可不上传）", "file", false),
            ],
            "行政处罚法第四十二条、第五十五条：执法人员不得少于两人，出示执法证件；证据文件按SM3摘要保存。",
        ),
        "recusal" => (
            vec![on, f("officer", "申请回避的执法人员", "officer", true), f("reason", "回避理由", "textarea", true)],
            "行政处罚法第四十三条：执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，应当回避。",
        ),
        "preserve" => (
            vec![
                on,
                f("officers", "执法人员（不少于两人）", "officers", false),
                f("approved_by", "批准的行政机关负责人", "text", true),
            ],
            "行政处罚法第五十六条：经行政机关负责人批准，可以先行登记保存，并应当在七日内及时作出处理决定。",
        ),
        "preservation_decision" => (vec![on], "行政处罚法第五十六条：七日内（工作日）作出处理决定。"),
        "notify" => (
            vec![
                on,
                f("officers", "告知的执法人员", "officers", false),
                f("penalty", "拟作出的处罚种类", "penalty", true),
                f("amount", "金额（元，罚款或没收违法所得）", "amount", false),
            ],
            "行政处罚法第四十四条：作出行政处罚决定之前，告知拟作出的处罚内容及事实、理由、依据，并告知陈述、申辩、要求听证等权利。",
        ),
        "statement" => (
            vec![on, f("summary", "陈述申辩的内容及复核意见", "textarea", true)],
            "行政处罚法第四十五条：不得因当事人陈述、申辩而给予更重的处罚。",
        ),
        "hearing_request" => (vec![on], "行政处罚法第六十四条第一项：当事人在告知后五日内（工作日）提出。"),
        "hearing_notice" => (
            vec![on, f("hearing_on", "听证日期", "hearing_on", true), f("chair", "听证主持人", "officer", true)],
            "行政处罚法第六十四条：听证的七日前通知当事人；主持人由非本案调查人员担任。",
        ),
        "hearing" => (
            vec![
                on,
                f("summary", "听证笔录（调查人员提出的事实、证据和处罚建议，当事人的陈述、申辩和质证意见）", "textarea", true),
                f("signature", "当事人或者其代理人对笔录", "signature", true),
                f("note", "拒绝签字或者盖章的，听证主持人注明的情况", "textarea", false),
            ],
            "行政处罚法第六十四条第八项：听证应当制作笔录，交当事人或者其代理人核对无误后签字或者盖章；拒绝签字或者盖章的，由听证主持人在笔录中注明。第六十五条：听证结束后，根据听证笔录作出决定。",
        ),
        "review" => (
            vec![
                on,
                f("reviewer", "法制审核人员", "lawyer", true),
                f("checklist", "审核事项（逐项勾选通过；未勾选的事项即退回）", "checklist", false),
                f("note", "审核意见", "textarea", false),
            ],
            "行政处罚法第五十八条、国办发〔2018〕118号：重大执法决定作出前进行法制审核；初次从事法制审核的人员应当取得法律职业资格。",
        ),
        "discussion" => (
            vec![on, f("minutes", "讨论纪要", "textarea", true), f("dissent", "不同意见", "textarea", false)],
            "行政处罚法第五十七条第二款：情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定。",
        ),
        "decide" => (
            vec![
                on,
                f("penalty", "处罚种类", "penalty", true),
                f("amount", "金额（元，罚款或没收违法所得）", "amount", false),
                f("facts", "违法事实和证据", "textarea", true),
                f("basis", "处罚依据", "textarea", true),
            ],
            "行政处罚法第五十九条、第六十条：决定书载明事实、依据、种类、履行方式和期限、救济途径；自立案之日起九十日内作出。",
        ),
        "serve" => (
            vec![on, f("officers", "送达人", "officers", false)],
            "行政处罚法第六十一条：在七日内（工作日）依照民事诉讼法的有关规定送达当事人。",
        ),
        "pay" => (
            vec![on, f("amount", "缴纳金额（元）", "amount", true)],
            "行政处罚法第六十七条：当事人自收到决定书之日起十五日内到指定银行缴纳罚款（罚缴分离）。",
        ),
        "publish" => (vec![on], "行政处罚法第四十八条、国办发〔2018〕118号：作出决定之日起七个工作日内公示。"),
        "revoked" => (
            vec![on, f("revoked_by", "撤销途径", "revoked_by", true), f("reason", "撤销理由", "textarea", true)],
            "国办发〔2018〕118号：决定被撤销的，启动过错责任追究。",
        ),
        "withdraw" => (
            vec![on, f("reason", "撤回理由", "textarea", true)],
            "行政处罚法第四十八条第二款：决定被变更、撤销、确认违法或者无效的，三日内撤回公示并说明理由。",
        ),
        _ => (vec![on], "结案：处罚决定已执行完毕或者依法终结。"),
    }
}

/// The forms the caller may use on a case of `division`, in the order of the procedure.
fn act_forms(state: &AppState, user: &AuthUser, id: i64, division: &str) -> Vec<ActForm> {
    let Ok(code) = DivisionCode::parse(division) else { return Vec::new() };
    let may = |p: Permission| user.actor.may(p, &code, state.app.divisions());
    ACT_KINDS
        .iter()
        .filter(|(kind, _)| {
            may(match *kind {
                "review" => Permission::ReviewEnforcement,
                "discussion" | "decide" => Permission::DecideEnforcement,
                _ => Permission::EnforceCases,
            })
        })
        .map(|(kind, name)| {
            let (fields, hint) = form_fields(kind);
            let multipart = *kind == "record";
            ActForm {
                kind,
                name,
                action: if multipart {
                    format!("/enforcement/cases/{id}/evidence")
                } else {
                    format!("/enforcement/cases/{id}/acts")
                },
                multipart,
                hint,
                fields,
            }
        })
        .collect()
}

fn act_details(act: &Act, register: &[OfficerRow], id: i64) -> Vec<(&'static str, String)> {
    let names = |ids: &[i64]| officer_names(register, ids);
    match act {
        Act::Record { officers, on_site, title, evidence_sm3, .. } => {
            let mut out = vec![("名称", title.clone()), ("执法人员", names(officers))];
            if *on_site {
                out.push(("方式", "现场".into()));
            }
            if let Some(hash) = evidence_sm3 {
                out.push(("证据文件SM3", hash.clone()));
                out.push(("下载", format!("/enforcement/cases/{id}/evidence/{hash}")));
            }
            out
        }
        Act::Recusal { officer, reason, .. } => {
            vec![("执法人员", officer_label(register, *officer)), ("理由", reason.clone())]
        }
        Act::Preserve { officers, approved_by, .. } => {
            vec![("执法人员", names(officers)), ("批准人", approved_by.clone())]
        }
        Act::Notify { officers, penalty, .. } => {
            vec![("拟处罚", penalty_text(penalty)), ("告知人", names(officers))]
        }
        Act::Statement { summary, .. } => vec![("陈述申辩", summary.clone())],
        Act::Hearing { summary, signature, .. } => {
            let mut out = Vec::new();
            if !summary.is_empty() {
                out.push(("听证笔录", summary.clone()));
            }
            if let Some(signature) = signature {
                out.push(("签字", signature.text_zh()));
            }
            out
        }
        Act::HearingNotice { hearing_on, chair, .. } => {
            vec![("听证日期", date_zh(*hearing_on)), ("主持人", officer_label(register, *chair))]
        }
        Act::Review { reviewer, checklist, note, .. } => {
            let failed: Vec<&str> =
                REVIEW_CHECKLIST.iter().zip(checklist.iter()).filter(|(_, ok)| !**ok).map(|(item, _)| *item).collect();
            let mut out = vec![
                ("审核人", officer_label(register, *reviewer)),
                ("结论", if failed.is_empty() { "通过".into() } else { format!("退回：{}", failed.join("、")) }),
            ];
            if !note.is_empty() {
                out.push(("意见", note.clone()));
            }
            out
        }
        Act::Discussion { minutes, dissent, .. } => {
            let mut out = vec![("纪要", minutes.clone())];
            if !dissent.is_empty() {
                out.push(("不同意见", dissent.clone()));
            }
            out
        }
        Act::Decide { penalty, facts, basis, .. } => {
            vec![("处罚", penalty_text(penalty)), ("事实", facts.clone()), ("依据", basis.clone())]
        }
        Act::Serve { officers, .. } => vec![("送达人", names(officers))],
        Act::Pay { amount_fen, .. } => vec![("金额", format!("{} 元", yuan(*amount_fen)))],
        Act::Revoked { by, reason, .. } => vec![("途径", by.name_zh().into()), ("理由", reason.clone())],
        Act::Withdraw { reason, .. } => vec![("理由", reason.clone())],
        _ => vec![],
    }
}

/// A line of the full-process record: what the payload says that people need (the refusal's
/// reason; an evidence hash, as the second part), never raw JSON.
fn record_note(act: &str, payload: &str) -> (String, String) {
    let value: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    let digest = |key: &str, text: &str| match value[key].as_str() {
        Some(h) => (text.to_string(), h.to_string()),
        None => (String::new(), String::new()),
    };
    match act {
        "enforcement.refused" => (
            format!("{}：{}", kind_name(value["act"].as_str().unwrap_or("")), value["message"].as_str().unwrap_or("")),
            String::new(),
        ),
        "enforcement.evidence_read" => digest("sm3", "证据文件 SM3"),
        "enforcement.record" => digest("evidence_sm3", "证据文件 SM3"),
        _ => (String::new(), String::new()),
    }
}

/// Who acted, for people: the account's user name, never its id.
fn actor_text(actor: &str) -> String {
    match actor.splitn(3, ':').collect::<Vec<_>>()[..] {
        ["account", _, name] => name.to_string(),
        ["system"] => "系统".to_string(),
        _ => actor.to_string(),
    }
}

#[derive(Template)]
#[template(path = "verticals/enforcement/case.html")]
pub struct CasePage {
    pub id: i64,
    pub layout: Layout,
    pub number: String,
    pub revision: i64,
    pub facts: Vec<(&'static str, String)>,
    pub stage: &'static str,
    pub deadlines: Vec<DeadlineLine>,
    pub surcharge: Option<String>,
    pub accountability: Option<(String, String, String)>,
    pub acts: Vec<ActLine>,
    pub record: Vec<RecordLine>,
    pub notices: Vec<(String, &'static str)>,
    pub forms: Vec<ActForm>,
    pub officers: Vec<OfficerChoice>,
    pub penalties: Vec<(&'static str, &'static str)>,
    pub checklist: Vec<(usize, &'static str)>,
    pub done: Option<String>,
    pub errors: Vec<String>,
    pub csrf_token: String,
    pub today: String,
}

/// The notices a case has reached, as (address, name).
pub fn notices_of(id: i64, view: &CaseView) -> Vec<(String, &'static str)> {
    super::notices::NOTICES
        .iter()
        .filter(|(kind, _)| super::notices::reached(kind, &view.file))
        .map(|(kind, name)| (format!("/enforcement/cases/{id}/notices/{kind}"), *name))
        .collect()
}

async fn case_page(
    state: &AppState,
    user: &AuthUser,
    view: CaseView,
    done: Option<String>,
    errors: Vec<String>,
) -> Result<CasePage, ServiceError> {
    let c = &view.full.case;
    let id = c.id;
    let register = state.app.enforcement_register(&user.actor, id).await?;
    let events = state.app.enforcement_record(&user.actor, id).await?;
    let f = &c.filing;
    let facts = vec![
        ("案件编号", case_number(c)),
        ("当事人", party_text(&c.party)),
        ("当事人类别", if matches!(c.party, Party::Person { .. }) { "公民".into() } else { "组织".into() }),
        ("案由", c.violation.clone()),
        (
            "执法机关",
            crate::document::authority_name(
                Divisions::builtin(),
                &DivisionCode::parse(&c.division).map_err(|_| ServiceError::forbidden())?,
            ),
        ),
        ("立案日期", date_zh(f.filed_on)),
        ("违法行为终了日", date_zh(f.act_ended_on)),
        ("重大案件（法制审核、集体讨论）", if f.major { "是".into() } else { "否".into() }),
        ("承办执法人员", officer_names(&register, &f.officers)),
    ];
    let acts = view
        .full
        .acts
        .iter()
        .map(|a| ActLine {
            on: date_zh(a.act.on()),
            name: kind_name(a.act.kind()),
            details: act_details(&a.act, &register, id),
            recorded: chrono::DateTime::from_timestamp_millis(a.recorded_at_ms).map(datetime_zh).unwrap_or_default(),
        })
        .collect();
    let record = events
        .iter()
        .map(|e| {
            let (note, note_digest) = record_note(&e.act, &e.payload);
            RecordLine {
                seq: e.stream_seq,
                at: chrono::DateTime::from_timestamp_millis(e.at_ms).map(datetime_zh).unwrap_or_default(),
                label: domain::event_label::event_label(&e.act),
                actor: actor_text(&e.actor),
                note,
                note_digest,
                hash: hex::encode(e.hash).chars().take(16).collect(),
            }
        })
        .collect();
    let accountability = view
        .full
        .accountability
        .as_ref()
        .map(|a| (date_zh(a.opened_on), officer_names(&register, &a.officers), a.reason.clone()));
    Ok(CasePage {
        id,
        layout: Layout::for_user(format!("行政处罚案件 {}", case_number(c)), user),
        number: case_number(c),
        revision: c.revision,
        facts,
        stage: view.stage.name_zh(),
        deadlines: if view.stage == Stage::Closed { vec![] } else { deadline_lines(&view) },
        surcharge: (view.deadlines.surcharge_fen > 0).then(|| format!("{} 元", yuan(view.deadlines.surcharge_fen))),
        accountability,
        acts,
        record,
        notices: notices_of(id, &view),
        forms: act_forms(state, user, id, &c.division),
        officers: choices(&register.into_iter().filter(|r| r.division == c.division).collect::<Vec<_>>(), view.today),
        penalties: PenaltyKind::ALL.iter().map(|k| (k.as_str(), k.name_zh())).collect(),
        checklist: REVIEW_CHECKLIST.iter().copied().enumerate().collect(),
        done,
        errors,
        csrf_token: user.csrf_token.clone(),
        today: view.today.to_string(),
    })
}

/// A case's page: facts, deadlines with their articles, the acts, the full-process record, the
/// notices and the forms of the acts the caller may record.
#[utoipa::path(
    get,
    path = "/enforcement/cases/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "案件编号")),
    responses(
        (status = 200, description = "行政处罚案件：期限及依据、执法环节、全过程记录、文书和办理表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "案件不存在", content_type = "text/html", body = String),
    )
)]
pub async fn case(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let done = match query_param(&query, "done").as_str() {
        "" => None,
        "file" => Some("已立案。".to_string()),
        kind => Some(format!("已记录：{}。", kind_name(kind))),
    };
    let result = match state.app.enforcement_case(&user.actor, id).await {
        Ok(view) => case_page(&state, &user, view, done, vec![]).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// An act's form fields, as the API's body is.
fn act_input(fields: &[(String, String)]) -> ActInput {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let id = |name: &str| one(name).parse::<i64>().ok();
    ActInput {
        kind: one("kind"),
        on: one("on"),
        officers: fields.iter().filter(|(k, _)| k == "officers").filter_map(|(_, v)| v.parse().ok()).collect(),
        on_site: !one("on_site").is_empty(),
        title: one("title"),
        officer: id("officer"),
        reason: one("reason"),
        approved_by: one("approved_by"),
        penalty: one("penalty"),
        amount: one("amount"),
        summary: one("summary"),
        hearing_on: one("hearing_on"),
        chair: id("chair"),
        reviewer: id("reviewer"),
        checklist: (0..REVIEW_CHECKLIST.len()).map(|i| one(&format!("checklist_{i}")) == "pass").collect(),
        note: one("note"),
        minutes: one("minutes"),
        dissent: one("dissent"),
        facts: one("facts"),
        basis: one("basis"),
        revoked_by: one("revoked_by"),
        signature: one("signature"),
    }
}

fn revision(fields: &[(String, String)]) -> Result<i64, ServiceError> {
    fields.iter().find(|(k, _)| k == "expected_revision").and_then(|(_, v)| v.parse::<i64>().ok()).ok_or_else(|| {
        ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
            .with_field("expected_revision")
    })
}

async fn record_act(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    fields: &[(String, String)],
    evidence: Option<Evidence<'_>>,
) -> Response {
    let input = act_input(fields);
    let result = match revision(fields) {
        Ok(rev) => state.app.enforcement_act_input(&user.actor, id, rev, &input, evidence).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/enforcement/cases/{id}?done={}", input.kind.trim())).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = refusal_status(&err);
            let page = match state.app.enforcement_case(&user.actor, id).await {
                Ok(view) => case_page(state, user, view, None, messages(&err)).await,
                Err(other) => Err(other),
            };
            match page {
                Ok(page) => render_status(status, &page),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// Records an act from the case page (the form of its kind).
#[utoipa::path(
    post,
    path = "/enforcement/cases/{id}/acts",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "案件编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, kind, on 及该环节的各项（officers 可多选；checklist_0…checklist_7 为 pass 即该项通过）"),
    responses(
        (status = 303, description = "已记录：转回案件页"),
        (status = 403, description = "CSRF 令牌不符，不在管辖范围内或无权办理该环节", content_type = "text/html", body = String),
        (status = 404, description = "案件不存在", content_type = "text/html", body = String),
        (status = 409, description = "案件已变化：案件页与提示", content_type = "text/html", body = String),
        (status = 422, description = "不符合法定程序（附法律依据）：案件页与提示；被拒绝的行为记入全过程记录", content_type = "text/html", body = String),
    )
)]
pub async fn act(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    record_act(&state, &post.user, id, &post.fields, None).await
}

// ---------------------------------------------------------------------------------------------
// Evidence over HTTP

/// The parts of an evidence upload: the act's fields and the file.
#[derive(Default)]
pub(crate) struct EvidenceParts {
    pub fields: Vec<(String, String)>,
    pub file_name: String,
    pub bytes: Option<Vec<u8>>,
}

fn multipart_error() -> AppError {
    AppError::new(StatusCode::BAD_REQUEST, "invalid_multipart", "上传请求的格式不正确（multipart/form-data）")
}

/// The fields an evidence upload may carry besides `file`.
const EVIDENCE_FIELDS: [&str; 7] = ["kind", "on", "officers", "on_site", "title", "expected_revision", CSRF_FIELD];

/// Reads a `multipart/form-data` evidence upload: the act's text fields and at most one `file`
/// (an empty file part is no file); any other part is refused (400).
pub(crate) async fn read_evidence(request: Request, state: &AppState) -> Result<EvidenceParts, AppError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::unsupported_media_type("multipart/form-data"));
    }
    let mut multipart = Multipart::from_request(request, state).await.map_err(|_| multipart_error())?;
    let mut parts = EvidenceParts::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            crate::routes::attachments::too_large_error()
        } else {
            multipart_error()
        }
    })? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" && parts.bytes.is_none() {
            parts.file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| multipart_error())?.to_vec();
            parts.bytes = Some(bytes).filter(|b| !b.is_empty());
        } else if EVIDENCE_FIELDS.contains(&name.as_str()) {
            let text = field.text().await.map_err(|_| multipart_error().with_field(name.clone()))?;
            if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
                return Err(multipart_error().with_field(name));
            }
            parts.fields.push((name, text.trim().to_string()));
        } else {
            return Err(multipart_error().with_field(name.chars().take(64).collect::<String>()));
        }
    }
    // This route records 调查取证 only.
    parts.fields.retain(|(k, _)| k != "kind");
    parts.fields.push(("kind".into(), "record".into()));
    Ok(parts)
}

/// Records a 笔录 or a piece of evidence with its file from the case page (`multipart/form-data`).
#[utoipa::path(
    post,
    path = "/enforcement/cases/{id}/evidence",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "案件编号")),
    request_body(content = String, content_type = "multipart/form-data", description = "csrf_token, expected_revision, on, title, officers（可多选）, on_site, file（PDF、JPEG、PNG，按内容识别）"),
    responses(
        (status = 303, description = "已记录：转回案件页"),
        (status = 400, description = "上传请求的格式不正确", content_type = "text/html", body = String),
        (status = 403, description = "CSRF 令牌不符，不在管辖范围内或无权办理", content_type = "text/html", body = String),
        (status = 404, description = "案件不存在", content_type = "text/html", body = String),
        (status = 409, description = "案件已变化：案件页与提示", content_type = "text/html", body = String),
        (status = 413, description = "文件过大", content_type = "text/html", body = String),
        (status = 415, description = "请求体类型不是 multipart/form-data", content_type = "text/html", body = String),
        (status = 422, description = "文件类型不符或不符合法定程序：案件页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn evidence(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    request: Request,
) -> Response {
    // Who may not act is refused before the body is read.
    if let Err(err) = state.app.enforcement_check_may_act(&user.actor, id).await {
        return AppError::from(err).into_html_for(&user);
    }
    let headers = request.headers().clone();
    let parts = match read_evidence(request, &state).await {
        Ok(parts) => parts,
        Err(err) => return err.into_html_for(&user),
    };
    let csrf = parts.fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str()).unwrap_or_default();
    if let Err(err) = check_form_csrf(&headers, &user, csrf) {
        return err.into_html_for(&user);
    }
    let evidence = parts.bytes.as_deref().map(|bytes| Evidence { file_name: &parts.file_name, bytes });
    record_act(&state, &user, id, &parts.fields, evidence).await
}

/// The bytes of an evidence file as a download: never rendered in the site's origin.
pub(crate) fn evidence_response(hash: &str, bytes: Vec<u8>) -> Response {
    use domain::attachment::MediaType;
    let kind = MediaType::sniff(&bytes);
    let media = kind.map_or("application/octet-stream", MediaType::as_str);
    let ext = match kind {
        Some(MediaType::Pdf) => "pdf",
        Some(MediaType::Jpeg) => "jpg",
        Some(MediaType::Png) => "png",
        None => "bin",
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"evidence-{}.{ext}\"", &hash[..16.min(hash.len())]))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    (StatusCode::OK, headers, bytes).into_response()
}

/// Downloads an evidence file of a case by its SM3 hash; the download is recorded.
#[utoipa::path(
    get,
    path = "/enforcement/cases/{id}/evidence/{hash}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "案件编号"), ("hash" = String, Path, description = "证据文件的 SM3 摘要（64 位十六进制）")),
    responses(
        (status = 200, description = "证据文件（每次下载记入案件全过程记录）",
            content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "案件或证据不存在", content_type = "text/html", body = String),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    PagePath((id, hash)): PagePath<(i64, String)>,
    PageUser(user): PageUser,
) -> Response {
    match state.app.enforcement_evidence(&user.actor, id, &hash).await {
        Ok(bytes) => evidence_response(&hash, bytes),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}
