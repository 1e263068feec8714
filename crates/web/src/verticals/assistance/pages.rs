//! The assistance pages: households (`/assistance/households`, a household with its dated versions
//! and the form for a new one) and the assistance part of a case page (the application facts form,
//! the stored decision with its eligibility trace, the publicity window). Members are entered by ID
//! number: found among the persons on record, or registered as a person record in the household's
//! division. Every rule is the service's; a refusal is shown on the page in Chinese.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::access::{Permission, Role};
use domain::assistance::{AssetKind, DisabilityCategory, ParentSituation, Program, Relationship};
use domain::division::DivisionCode;
use domain::engine::case::{CaseStatus, CrossRegion};
use domain::person::PersonInput;
use service::assistance::{
    ApplicationInput, ApplicationView, AssetInput, DecisionView, HouseholdForm, HouseholdVersionInput, HouseholdView,
    IncomeInput, MemberInput,
};
use service::persons::TypedMember;
use service::ServiceError;

use crate::error::AppError;
use crate::extract::{form_flag, AuthUser, PagePath, PagePost, PageUser};
use crate::routes::work::redirect;
use crate::views::{date_zh, render_status, yuan, Layout};
use crate::AppState;

/// Blank member rows offered on a form (besides the members already on record).
const NEW_MEMBER_ROWS: usize = 4;
const INCOME_ROWS: usize = 4;
const ASSET_ROWS: usize = 2;
/// The most rows of one kind a form carries (more are not read).
const MAX_ROWS: usize = 50;

/// May this user see the household pages at all (the nav link)? Roles that keep person records.
pub fn uses_households(user: &AuthUser) -> bool {
    user.actor.may_somewhere(Permission::WritePerson) && !user.actor.has_role(Role::Citizen)
}

/// May the user change households of `division` (the service checks it again when writing)?
fn may_write(state: &AppState, user: &AuthUser, division: &DivisionCode) -> bool {
    user.actor.may(Permission::WritePerson, division, state.app.divisions())
}

/// One member row of a household form: a member on record (`person_id`) or one entered by ID number.
#[derive(Default, Clone)]
pub struct MemberRow {
    pub row: usize,
    pub person_id: Option<i64>,
    /// A member on record: name and masked ID, shown instead of the inputs.
    pub known: String,
    pub name: String,
    pub id_number: String,
    pub relationship: String,
    pub disability: String,
    pub grade: String,
    pub nursing: bool,
}

#[derive(Default, Clone)]
pub struct IncomeRow {
    pub row: usize,
    pub member: String,
    pub month: String,
    /// The last month of a period (empty: one month).
    pub until: String,
    /// `monthly` (the amount is the monthly average) or `total`.
    pub basis: String,
    pub kind: String,
    pub amount: String,
}

#[derive(Default, Clone)]
pub struct AssetRow {
    pub row: usize,
    pub kind: String,
    pub value: String,
    pub note: String,
}

/// What a household form holds (kept when the form comes back with its problems).
#[derive(Default, Clone)]
pub struct HouseholdFields {
    pub division: String,
    pub urban: bool,
    pub valid_from: String,
    pub members: Vec<MemberRow>,
    pub income: Vec<IncomeRow>,
    pub assets: Vec<AssetRow>,
    /// Checkboxes posted with a value that is neither checked nor unchecked (refused by `precheck`).
    pub bad_flags: Vec<String>,
}

/// The choices the form's selects offer: (value, label).
pub struct Choices {
    pub relationships: Vec<(String, String)>,
    pub disabilities: Vec<(String, String)>,
    pub grades: Vec<(String, String)>,
    pub assets: Vec<(String, String)>,
    pub divisions: Vec<(String, String)>,
}

fn choices(state: &AppState, user: &AuthUser) -> Choices {
    let divisions = state.app.divisions();
    let mut own: Vec<(String, String)> = Vec::new();
    for g in &user.actor.grants {
        let code = g.division.to_string();
        if !own.iter().any(|(c, _)| *c == code) {
            own.push((code, divisions.full_name(&g.division).unwrap_or_default()));
        }
    }
    Choices {
        relationships: Relationship::ALL.iter().map(|r| (r.as_str().into(), r.name_zh().into())).collect(),
        disabilities: DisabilityCategory::ALL.iter().map(|c| (c.as_str().into(), c.name_zh().into())).collect(),
        grades: (1..=4).map(|g| (g.to_string(), format!("{}级", ["一", "二", "三", "四"][g - 1]))).collect(),
        assets: AssetKind::ALL.iter().map(|k| (k.as_str().into(), k.name_zh().into())).collect(),
        divisions: own,
    }
}

fn blank_rows(fields: &mut HouseholdFields) {
    let start = fields.members.len();
    fields.members.extend((0..NEW_MEMBER_ROWS).map(|i| MemberRow { row: start + i + 1, ..MemberRow::default() }));
    fields.income = (1..=INCOME_ROWS).map(|row| IncomeRow { row, ..IncomeRow::default() }).collect();
    fields.assets = (1..=ASSET_ROWS).map(|row| AssetRow { row, ..AssetRow::default() }).collect();
}

/// The form's fields as posted: `m{n}_…`, `i{n}_…`, `a{n}_…`.
fn read_fields(fields: &[(String, String)]) -> HouseholdFields {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let rows = |prefix: &str| -> usize {
        fields
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(prefix)?.split('_').next()?.parse::<usize>().ok())
            .max()
            .unwrap_or(0)
            .min(MAX_ROWS)
    };
    let members = rows("m");
    let bad_flags = (1..=members)
        .filter_map(|n| {
            form_flag(fields, &format!("m{n}_nursing")).err().map(|p| format!("第{n}行成员：{}", p.message))
        })
        .collect();
    HouseholdFields {
        bad_flags,
        division: one("division"),
        urban: one("urban") == "true",
        valid_from: one("valid_from"),
        members: (1..=members)
            .map(|n| MemberRow {
                row: n,
                person_id: one(&format!("m{n}_person")).parse().ok(),
                known: one(&format!("m{n}_known")),
                name: one(&format!("m{n}_name")),
                id_number: one(&format!("m{n}_id_number")),
                relationship: one(&format!("m{n}_relationship")),
                disability: one(&format!("m{n}_disability")),
                grade: one(&format!("m{n}_grade")),
                nursing: form_flag(fields, &format!("m{n}_nursing")).unwrap_or(false),
            })
            .collect(),
        income: (1..=rows("i"))
            .map(|n| IncomeRow {
                row: n,
                member: one(&format!("i{n}_member")),
                month: one(&format!("i{n}_month")),
                until: one(&format!("i{n}_until")),
                basis: one(&format!("i{n}_basis")),
                kind: one(&format!("i{n}_kind")),
                amount: one(&format!("i{n}_amount")),
            })
            .collect(),
        assets: (1..=rows("a"))
            .map(|n| AssetRow {
                row: n,
                kind: one(&format!("a{n}_kind")),
                value: one(&format!("a{n}_value")),
                note: one(&format!("a{n}_note")),
            })
            .collect(),
    }
}

/// The form's row buttons, without script: `grow` adds a blank row of members, income or assets
/// (`member`, `income`, `asset`); `remove` drops one row (`m3`, `i2`, `a1`; a member on record
/// leaves by its relationship instead), the rows after it renumbered and the income rows that
/// named a later member following it. Returns whether the post was one of these: the form is
/// then shown again with everything typed, and nothing is checked or written.
fn reshape(fields: &[(String, String)], f: &mut HouseholdFields) -> bool {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if let Some(what) = one("grow") {
        match what {
            "member" if f.members.len() < MAX_ROWS => {
                f.members.push(MemberRow { row: f.members.len() + 1, ..MemberRow::default() })
            }
            "income" if f.income.len() < MAX_ROWS => {
                f.income.push(IncomeRow { row: f.income.len() + 1, ..IncomeRow::default() })
            }
            "asset" if f.assets.len() < MAX_ROWS => {
                f.assets.push(AssetRow { row: f.assets.len() + 1, ..AssetRow::default() })
            }
            _ => {}
        }
        return true;
    }
    let Some(which) = one("remove") else { return false };
    let (kind, n) = which.split_at(which.chars().next().map_or(0, char::len_utf8));
    let Ok(n) = n.parse::<usize>() else { return true };
    match kind {
        "m" => {
            if let Some(at) = f.members.iter().position(|m| m.row == n && m.person_id.is_none()) {
                f.members.remove(at);
                f.members.iter_mut().filter(|m| m.row > n).for_each(|m| m.row -= 1);
                for i in &mut f.income {
                    match i.member.parse::<usize>() {
                        Ok(r) if r == n => i.member.clear(),
                        Ok(r) if r > n => i.member = (r - 1).to_string(),
                        _ => {}
                    }
                }
            }
        }
        "i" => {
            if let Some(at) = f.income.iter().position(|i| i.row == n) {
                f.income.remove(at);
                f.income.iter_mut().filter(|i| i.row > n).for_each(|i| i.row -= 1);
            }
        }
        "a" => {
            if let Some(at) = f.assets.iter().position(|a| a.row == n) {
                f.assets.remove(at);
                f.assets.iter_mut().filter(|a| a.row > n).for_each(|a| a.row -= 1);
            }
        }
        _ => {}
    }
    true
}

impl MemberRow {
    /// A row left empty is not a member.
    /// A member on record whose relationship is left empty is no longer a member.
    fn used(&self) -> bool {
        match self.person_id {
            Some(_) => !self.relationship.is_empty(),
            None => !self.id_number.is_empty() || !self.name.is_empty(),
        }
    }
}

/// One refusal of a household form: its Chinese message, and the id of the input it is about
/// (`m2_id_number`, `i1_amount`, `valid_from`; empty when it is about the whole form), so the
/// page shows it next to that input and links it from the summary.
#[derive(Clone, Debug, Default)]
pub struct Problem {
    pub id: String,
    pub message: String,
}

impl Problem {
    fn at(id: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { id: id.into(), message: message.into() }
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Problem {
        Problem { id: String::new(), message }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The refusals of one input of row `row` (`"m"`, 2, `"id_number"` → `m2_id_number`).
fn row_problems<'a>(problems: &'a [Problem], prefix: &str, row: usize, field: &str) -> Vec<&'a Problem> {
    let id = format!("{prefix}{row}_{field}");
    problems.iter().filter(|p| p.id == id).collect()
}

/// A refusal of the household version (`members[0].relationship`, `income[2].amount_yuan`…) on
/// the form's rows: the indexes count the rows that are filled in, as `version_input` sends them.
fn on_rows(f: &HouseholdFields, err: &ServiceError) -> Vec<Problem> {
    if err.problems.is_empty() {
        return vec![err.message.clone().into()];
    }
    let members: Vec<usize> = f.members.iter().filter(|m| m.used()).map(|m| m.row).collect();
    let income: Vec<usize> =
        f.income.iter().filter(|i| !i.amount.is_empty() || !i.month.is_empty()).map(|i| i.row).collect();
    let assets: Vec<usize> = f.assets.iter().filter(|a| !a.value.is_empty()).map(|a| a.row).collect();
    err.problems
        .iter()
        .map(|p| {
            let indexed = |list: &str| indexed_field(&p.field, list);
            if let Some((i, field)) = indexed("members") {
                if let Some(row) = members.get(i) {
                    let input = match field {
                        "relationship" => "relationship",
                        "disability_category" => "disability",
                        "disability_grade" => "grade",
                        "work_injury_nursing" => "nursing",
                        _ => "id_number",
                    };
                    return Problem::at(format!("m{row}_{input}"), format!("第{row}行成员：{}", p.message));
                }
            }
            if let Some((i, field)) = indexed("income") {
                if let Some(row) = income.get(i) {
                    let input = match field {
                        "person_id" => "member",
                        "month" => "month",
                        "until" => "until",
                        "basis" => "basis",
                        "kind" => "kind",
                        _ => "amount",
                    };
                    return Problem::at(format!("i{row}_{input}"), format!("第{row}项收入：{}", p.message));
                }
            }
            if let Some((i, field)) = indexed("assets") {
                if let Some(row) = assets.get(i) {
                    let input = if field == "kind" { "kind" } else { "value" };
                    return Problem::at(format!("a{row}_{input}"), format!("第{row}项财产：{}", p.message));
                }
            }
            match p.field.as_str() {
                "valid_from" => Problem::at("valid_from", format!("自何日起为此情况：{}", p.message)),
                "members" => Problem::at("m1_relationship", p.message.clone()),
                _ => p.message.clone().into(),
            }
        })
        .collect()
}

/// `members[2].relationship` in `members` → (2, `relationship`).
fn indexed_field<'a>(field: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = field.strip_prefix(list)?.strip_prefix('[')?;
    let (index, field) = rest.split_once("].")?;
    Some((index.parse().ok()?, field))
}

/// The Chinese problems of a refusal, one line each.
fn problems_of(err: &ServiceError) -> Vec<String> {
    if err.problems.is_empty() {
        vec![err.message.clone()]
    } else {
        err.problems.iter().map(|p| p.message.clone()).collect()
    }
}

/// Each member row's person, looked up without writing anything: on record (by its ID number,
/// within the user's jurisdiction) or to register in `division` with the household
/// (`App::typed_member`, the one way an ID number typed in is matched to a record). Returns
/// (row, person id) with each new person as its stand-in id (`assistance::placeholder`), and the
/// typed members in that order; or every row's problems.
async fn resolve_members(
    state: &AppState,
    user: &AuthUser,
    division: &str,
    rows: &[MemberRow],
) -> Result<(Vec<(usize, i64)>, Vec<TypedMember>), Vec<Problem>> {
    let mut found = Vec::new();
    let mut typed = Vec::new();
    let mut problems = Vec::new();
    for m in rows.iter().filter(|m| m.used()) {
        if let Some(id) = m.person_id {
            found.push((m.row, id));
            continue;
        }
        if m.id_number.is_empty() {
            problems
                .push(Problem::at(format!("m{}_id_number", m.row), format!("第{}行成员：请填写公民身份号码", m.row)));
            continue;
        }
        let input = PersonInput {
            name: m.name.clone(),
            id_number: m.id_number.clone(),
            phone: None,
            address: None,
            division: division.to_string(),
        };
        match state.app.typed_member(&user.actor, &input).await {
            Ok(TypedMember::OnFile { id, mismatch }) => {
                found.push((m.row, id));
                typed.push(TypedMember::OnFile { id, mismatch });
            }
            Ok(TypedMember::New(person)) => {
                // The same new person typed on two rows is one person: the version then refuses
                // the second row as a duplicate member.
                let news: Vec<&str> = typed
                    .iter()
                    .filter_map(|t| match t {
                        TypedMember::New(p) => Some(p.id.number.as_str()),
                        TypedMember::OnFile { .. } => None,
                    })
                    .collect();
                let n = news.iter().position(|number| *number == person.id.number.as_str()).unwrap_or(news.len());
                found.push((m.row, service::assistance::placeholder(n)));
                if n == news.len() {
                    typed.push(TypedMember::New(person));
                }
            }
            Err(err) => problems.extend(person_problems(m.row, &err)),
        }
    }
    if problems.is_empty() {
        Ok((found, typed))
    } else {
        Err(problems)
    }
}

/// A refusal of a member row's person (`name`, `id_number`) next to the row's input.
fn person_problems(row: usize, err: &ServiceError) -> Vec<Problem> {
    if err.problems.is_empty() {
        return vec![Problem::at(format!("m{row}_id_number"), format!("第{row}行成员：{}", err.message))];
    }
    err.problems
        .iter()
        .map(|p| {
            let input = if p.field.ends_with("name") { "name" } else { "id_number" };
            Problem::at(format!("m{row}_{input}"), format!("第{row}行成员：{}", p.message))
        })
        .collect()
}

fn version_input(f: &HouseholdFields, persons: &[(usize, i64)]) -> Result<HouseholdVersionInput, Vec<Problem>> {
    let person_of_row =
        |row: &str| row.parse::<usize>().ok().and_then(|r| persons.iter().find(|(n, _)| *n == r)).map(|p| p.1);
    let opt = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
    let mut problems = Vec::new();
    let members = f
        .members
        .iter()
        .filter(|m| m.used())
        .filter_map(|m| {
            let person_id = persons.iter().find(|(n, _)| *n == m.row)?.1;
            Some(MemberInput {
                person_id,
                relationship: m.relationship.clone(),
                disability_category: opt(&m.disability),
                // A grade that is no number is refused by the shared rule (1–4), never dropped.
                disability_grade: (!m.grade.is_empty()).then(|| m.grade.parse().unwrap_or(0)),
                work_injury_nursing: m.nursing,
                died_on: None,
            })
        })
        .collect();
    let mut income = Vec::new();
    for i in f.income.iter().filter(|i| !i.amount.is_empty() || !i.month.is_empty()) {
        match person_of_row(&i.member) {
            Some(person_id) => income.push(IncomeInput {
                person_id,
                month: i.month.clone(),
                kind: i.kind.clone(),
                amount_yuan: i.amount.clone(),
                until: opt(&i.until),
                basis: opt(&i.basis),
            }),
            None => problems
                .push(Problem::at(format!("i{}_member", i.row), format!("第{}行收入：请选择有收入的成员", i.row))),
        }
    }
    let assets = f
        .assets
        .iter()
        .filter(|a| !a.value.is_empty())
        .map(|a| AssetInput { kind: a.kind.clone(), value_yuan: a.value.clone(), note: opt(&a.note) })
        .collect();
    if problems.is_empty() {
        Ok(HouseholdVersionInput { valid_from: f.valid_from.clone(), members, income, assets })
    } else {
        Err(problems)
    }
}

/// The form checked before any person is registered: each row stands for its member (the row
/// number in place of the person id), so a refusal writes nothing.
fn precheck(state: &AppState, f: &HouseholdFields) -> Result<(), Vec<Problem>> {
    if !f.bad_flags.is_empty() {
        return Err(f.bad_flags.iter().cloned().map(Problem::from).collect());
    }
    let rows: Vec<(usize, i64)> = f.members.iter().filter(|m| m.used()).map(|m| (m.row, m.row as i64)).collect();
    let version = version_input(f, &rows)?;
    state.app.check_household_version(&version).map_err(|err| on_rows(f, &err))
}

// ---------------------------------------------------------------------------------------------
// The household pages

#[derive(Template)]
#[template(path = "verticals/assistance/households.html")]
pub struct HouseholdsPage {
    pub layout: Layout,
    pub csrf_token: String,
    /// Where the form posts (its row buttons come back to the rows they changed).
    pub action: String,
    pub c: Choices,
    pub f: HouseholdFields,
    pub problems: Vec<Problem>,
    /// Open a household: found by a member's name or ID number, never by its number.
    pub open: crate::pickers::SearchPicker,
}

pub struct VersionRows {
    pub valid_from: String,
    pub members: Vec<(i64, String, String, String, String, String)>,
    pub income: Vec<(String, String, String, String)>,
    pub assets: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "verticals/assistance/household.html")]
pub struct HouseholdPage {
    pub layout: Layout,
    pub csrf_token: String,
    /// Where the form posts (its row buttons come back to the rows they changed).
    pub action: String,
    pub id: i64,
    /// The household as people name it: 王一家（2 人）, never its number.
    pub name: String,
    pub division: String,
    pub urban: bool,
    pub versions: Vec<VersionRows>,
    pub c: Choices,
    pub f: HouseholdFields,
    pub problems: Vec<Problem>,
    pub done: bool,
}

impl HouseholdsPage {
    /// The refusals of one input of the form (`valid_from`, `division`, `urban`).
    pub fn of(&self, id: &str) -> Vec<&Problem> {
        self.problems.iter().filter(|p| p.id == id).collect()
    }

    /// The refusals of one input of a row (`"m"`, 2, `"id_number"`).
    pub fn row_of(&self, prefix: &str, row: impl std::borrow::Borrow<usize>, field: &str) -> Vec<&Problem> {
        row_problems(&self.problems, prefix, *row.borrow(), field)
    }
}

impl HouseholdPage {
    /// The refusals of one input of the form (`valid_from`).
    pub fn of(&self, id: &str) -> Vec<&Problem> {
        self.problems.iter().filter(|p| p.id == id).collect()
    }

    /// The refusals of one input of a row (`"m"`, 2, `"id_number"`).
    pub fn row_of(&self, prefix: &str, row: impl std::borrow::Borrow<usize>, field: &str) -> Vec<&Problem> {
        row_problems(&self.problems, prefix, *row.borrow(), field)
    }
}

fn households_page(
    state: &AppState,
    user: &AuthUser,
    status: StatusCode,
    f: HouseholdFields,
    problems: Vec<Problem>,
) -> Response {
    let page = HouseholdsPage {
        action: "/assistance/households".to_string(),
        layout: Layout::for_user("救助家庭", user),
        csrf_token: user.csrf_token.clone(),
        c: choices(state, user),
        f,
        problems,
        open: crate::pickers::SearchPicker::new(crate::pickers::SearchKind::Household, "open", "id", "打开家庭", true),
    };
    render_status(status, &page)
}

/// A yuan text ("512.50") as the pages show amounts (¥512.50); left as is when not a number.
fn yuan_text(text: &str) -> String {
    domain::assistance::parse_yuan(text).map(yuan).unwrap_or_else(|| text.to_string())
}

fn date_text(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map(date_zh).unwrap_or_else(|_| text.to_string())
}

fn household_page(
    state: &AppState,
    user: &AuthUser,
    view: &HouseholdView,
    status: StatusCode,
    form: Option<(HouseholdFields, Vec<Problem>)>,
    done: bool,
) -> Response {
    let name_of = |id: i64| {
        view.versions
            .iter()
            .flat_map(|v| &v.members)
            .find(|m| m.person_id == id)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let versions: Vec<VersionRows> = view
        .versions
        .iter()
        .rev()
        .map(|v| VersionRows {
            valid_from: date_text(&v.valid_from),
            members: v
                .members
                .iter()
                .map(|m| {
                    let mut notes = Vec::new();
                    if m.work_injury_nursing {
                        notes.push("享受工伤护理费".to_string());
                    }
                    if let Some(d) = &m.died_on {
                        notes.push(format!("{}死亡", date_text(d)));
                    }
                    (
                        m.person_id,
                        m.name.clone(),
                        m.id_number_masked.clone(),
                        m.relationship_name.clone(),
                        m.disability.clone().unwrap_or_else(|| "无".to_string()),
                        notes.join("；"),
                    )
                })
                .collect(),
            income: v
                .income
                .iter()
                .map(|i| (name_of(i.person_id), i.month.clone(), i.kind.clone(), yuan_text(&i.amount_yuan)))
                .collect(),
            assets: v.assets.iter().map(|a| (a.kind_name.clone(), yuan_text(&a.value_yuan), a.note.clone())).collect(),
        })
        .collect();
    let (f, problems) = form.unwrap_or_else(|| {
        // The new version starts from the newest: its members kept (by person), income and assets restated.
        let mut f = HouseholdFields::default();
        if let Some(last) = view.versions.last() {
            f.members = last
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| MemberRow {
                    row: i + 1,
                    person_id: Some(m.person_id),
                    known: format!("{}（{}）", m.name, m.id_number_masked),
                    relationship: m.relationship.clone(),
                    ..MemberRow::default()
                })
                .collect();
        }
        blank_rows(&mut f);
        (f, Vec::new())
    });
    let page = HouseholdPage {
        action: format!("/assistance/households/{}/versions", view.id),
        layout: Layout::for_user(format!("救助家庭：{}", crate::routes::pickers::household_choice(view).label), user),
        name: crate::routes::pickers::household_choice(view).label,
        csrf_token: user.csrf_token.clone(),
        id: view.id,
        division: view.division_name.clone(),
        urban: view.urban,
        versions,
        c: choices(state, user),
        f,
        problems,
        done,
    };
    render_status(status, &page)
}

#[utoipa::path(
    get,
    path = "/assistance/households",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = Option<i64>, Query, description = "家庭编号：转到该家庭的页面")),
    responses(
        (status = 200, description = "登记救助家庭的表单（成员按身份证号码查找或登记）", content_type = "text/html", body = String),
        (status = 303, description = "按编号打开家庭；未登录：转到 /login"),
        (status = 403, description = "无登记人员信息的权限", content_type = "text/html", body = String),
    )
)]
pub async fn households(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    if !uses_households(&user) {
        return AppError::from(ServiceError::forbidden()).into_html_for(&user);
    }
    if let Some(id) = crate::routes::apply::param(query.as_deref(), "id").filter(|v| !v.is_empty()) {
        return match id.parse::<i64>() {
            Ok(id) if id > 0 => redirect(&format!("/assistance/households/{id}")),
            _ => households_page(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                new_form(&state, &user),
                vec!["家庭编号应为正整数".to_string().into()],
            ),
        };
    }
    households_page(&state, &user, StatusCode::OK, new_form(&state, &user), Vec::new())
}

fn new_form(state: &AppState, user: &AuthUser) -> HouseholdFields {
    let mut f = HouseholdFields { urban: true, ..HouseholdFields::default() };
    f.division = choices(state, user).divisions.first().map(|d| d.0.clone()).unwrap_or_default();
    f.valid_from = state.app.today().to_string();
    blank_rows(&mut f);
    f
}

#[utoipa::path(
    post,
    path = "/assistance/households",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, urban, valid_from, m{n}_name, m{n}_id_number, m{n}_relationship, m{n}_disability, m{n}_grade, m{n}_nursing, i{n}_member, i{n}_month, i{n}_kind, i{n}_amount, a{n}_kind, a{n}_value, a{n}_note；grow（member、income、asset：增加一行）或 remove（m{n}、i{n}、a{n}：删除一行）时只重新显示表单"),
    responses(
        (status = 200, description = "增加或删除一行后重新显示的表单（未登记任何内容）", content_type = "text/html", body = String),
        (status = 303, description = "已登记：转到该家庭的页面"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 422, description = "输入不符合规则：表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn create(State(state): State<AppState>, PagePost { user, fields }: PagePost) -> Response {
    if !uses_households(&user) {
        return AppError::from(ServiceError::forbidden()).into_html_for(&user);
    }
    let mut f = read_fields(&fields);
    if reshape(&fields, &mut f) {
        return households_page(&state, &user, StatusCode::OK, f, Vec::new());
    }
    let refused = |f: HouseholdFields, problems: Vec<Problem>| {
        households_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, f, problems)
    };
    let Ok(division) = DivisionCode::parse(&f.division) else {
        return refused(f, vec![Problem::at("division", "请选择户籍所在地")]);
    };

    // Authorized before anything else: no person is looked up or registered for a refused caller.
    if !may_write(&state, &user, &division) {
        return AppError::from(ServiceError::forbidden()).into_html_for(&user);
    }
    // Every problem at once: 城市/农村 (the same rule as the JSON API's boolean), then the rest.
    let urban = service::assistance::parse_urban(fields.iter().find(|(k, _)| k == "urban").map(|(_, v)| v.as_str()));
    let mut problems: Vec<Problem> =
        urban.as_ref().err().map(|p| Problem::at("urban", p.message.clone())).into_iter().collect();
    if !f.members.iter().any(MemberRow::used) {
        problems.push(Problem::at("m1_name", "请至少填写一名家庭成员"));
    } else if let Err(more) = precheck(&state, &f) {
        problems.extend(more);
    }
    let urban = match urban {
        Ok(urban) if problems.is_empty() => urban,
        _ => return refused(f, problems),
    };
    let (persons, typed) = match resolve_members(&state, &user, &f.division, &f.members).await {
        Ok(p) => p,
        Err(problems) => return refused(f, problems),
    };
    let version = match version_input(&f, &persons) {
        Ok(v) => v,
        Err(problems) => return refused(f, problems),
    };
    let target = HouseholdForm::New { division: f.division.clone(), urban };
    match state.app.write_household_form(&user.actor, &target, &version, &typed).await {
        Ok(id) => redirect(&format!("/assistance/households/{id}?done=1")),
        Err(err) if err.kind == service::ErrorKind::Invalid => {
            let problems = on_rows(&f, &err);
            refused(f, problems)
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

#[utoipa::path(
    get,
    path = "/assistance/households/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "家庭编号")),
    responses(
        (status = 200, description = "救助家庭：各时期的成员（身份证号码脱敏）、收入、财产，及登记新情况的表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 400, description = "编号格式错误", content_type = "text/html", body = String),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "家庭不存在", content_type = "text/html", body = String),
    )
)]
pub async fn household(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    match state.app.household(&user.actor, id).await {
        Ok(view) => {
            let done = crate::routes::apply::param(query.as_deref(), "done").is_some();
            household_page(&state, &user, &view, StatusCode::OK, None, done)
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

#[utoipa::path(
    post,
    path = "/assistance/households/{id}/versions",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "家庭编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, valid_from 及成员、收入、财产各行（同登记表单；已在册成员为 m{n}_person）；grow 或 remove 时只重新显示表单"),
    responses(
        (status = 200, description = "增加或删除一行后重新显示的表单（未登记任何内容）", content_type = "text/html", body = String),
        (status = 303, description = "已登记新的家庭情况：转回该家庭的页面"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "家庭不存在", content_type = "text/html", body = String),
        (status = 422, description = "输入不符合规则：表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn add_version(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PagePost { user, fields }: PagePost,
) -> Response {
    let view = match state.app.household(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    match DivisionCode::parse(&view.division) {
        Ok(division) if may_write(&state, &user, &division) => {}
        _ => return AppError::from(ServiceError::forbidden()).into_html_for(&user),
    }
    let mut f = read_fields(&fields);
    if reshape(&fields, &mut f) {
        return household_page(&state, &user, &view, StatusCode::OK, Some((f, Vec::new())), false);
    }
    let refused = |f: HouseholdFields, problems: Vec<Problem>| {
        household_page(&state, &user, &view, StatusCode::UNPROCESSABLE_ENTITY, Some((f, problems)), false)
    };
    // A member on record must be one of this household's.
    let known: Vec<i64> = view.versions.iter().flat_map(|v| &v.members).map(|m| m.person_id).collect();
    if f.members.iter().filter_map(|m| m.person_id).any(|p| !known.contains(&p)) {
        return refused(f, vec!["成员不属于该家庭".to_string().into()]);
    }
    if let Err(problems) = precheck(&state, &f) {
        return refused(f, problems);
    }
    let (persons, typed) = match resolve_members(&state, &user, &view.division, &f.members).await {
        Ok(p) => p,
        Err(problems) => return refused(f, problems),
    };
    let version = match version_input(&f, &persons) {
        Ok(v) => v,
        Err(problems) => return refused(f, problems),
    };
    match state.app.write_household_form(&user.actor, &HouseholdForm::Version(id), &version, &typed).await {
        Ok(_) => redirect(&format!("/assistance/households/{id}?done=1")),
        Err(err) if err.kind == service::ErrorKind::Invalid => {
            let problems = on_rows(&f, &err);
            refused(f, problems)
        }
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

// ---------------------------------------------------------------------------------------------
// The assistance part of a case page

/// What the case page shows for a case of an assistance item.
pub struct AssistanceSection {
    pub programs: Vec<(String, String)>,
    pub application: Option<ApplicationView>,
    pub decision: Option<DecisionRowsView>,
    /// The form, while the case is open and no application is recorded.
    pub form: bool,
    /// The form's household and beneficiary: choices (the applicant's households and their
    /// members to start; a search finds others).
    pub household: crate::pickers::SearchPicker,
    pub beneficiary: crate::pickers::SearchPicker,
    /// The recorded application's household and beneficiary as people read them (names, masked
    /// IDs), never their record numbers.
    pub household_label: String,
    pub beneficiary_label: Option<String>,
    pub supporters: Vec<(String, String)>,
    pub parents: Vec<(String, String)>,
    /// At the publicity (公示) step: the window and how an objection is recorded.
    pub publicity: Option<String>,
    /// Where and when the 公示 notice was posted, and the form to record a posting
    /// (publicity.rs).
    pub postings: crate::verticals::assistance::publicity::PostingsSection,
    /// A paying 低保 decision the user keeps records for: the form that opens a re-check on a
    /// reported change (停发/调整 outside the cycle; the service checks it is still the newest).
    pub change_form: bool,
    /// A case received from another place, not decided, that the user may end: the form that
    /// returns it to the accepting place with written reasons (`App::return_received_case`).
    pub return_form: bool,
    /// 核算预览: the evaluation the decision would make today, while the case is undecided.
    pub preview: Option<super::preview::PreviewRows>,
}

pub struct DecisionRowsView {
    pub program_name: String,
    pub outcome: String,
    pub amount: String,
    pub months: String,
    pub rule_version: String,
    pub authority: String,
    pub decided_on: String,
    pub trace: Vec<String>,
    pub reasons: Vec<String>,
}

fn month_text(m: &Option<String>) -> String {
    m.as_deref()
        .and_then(|m| {
            let (y, mo) = m.split_once('-')?;
            Some(format!("{}年{}月", y, mo.trim_start_matches('0')))
        })
        .unwrap_or_default()
}

fn decision_rows(d: &DecisionView) -> DecisionRowsView {
    let months = match (&d.first_month, &d.last_month) {
        (Some(_), Some(_)) if d.first_month == d.last_month => format!("{}（一次性）", month_text(&d.first_month)),
        (Some(_), Some(_)) => format!("{}至{}", month_text(&d.first_month), month_text(&d.last_month)),
        (Some(_), None) => format!("自{}起按月发放", month_text(&d.first_month)),
        _ => "—".to_string(),
    };
    DecisionRowsView {
        program_name: d.program_name.clone(),
        outcome: match (d.granted, d.eligible) {
            (true, _) => "准予".to_string(),
            (false, true) => "不予（符合条件，但决定不予）".to_string(),
            (false, false) => "不予（不符合条件）".to_string(),
        },
        amount: if d.granted { yuan(d.amount_fen) } else { "—".to_string() },
        months,
        rule_version: d.rule_version.clone(),
        authority: d.authority.clone(),
        decided_on: date_text(&d.decided_on),
        trace: d.trace.clone(),
        reasons: d.reasons.clone(),
    }
}

/// The application form's household and beneficiary pickers, offering to start the households
/// the applicant belongs to and their members (none when there is no form to fill).
async fn application_pickers(
    state: &AppState,
    user: &AuthUser,
    view: &service::cases::CaseView,
    form: bool,
) -> Result<(crate::pickers::SearchPicker, crate::pickers::SearchPicker), AppError> {
    use crate::pickers::{Choice, SearchKind, SearchPicker};
    let mut household = SearchPicker::new(SearchKind::Household, "aa-household", "household_id", "家庭", true);
    let mut beneficiary =
        SearchPicker::new(SearchKind::Person, "aa-beneficiary", "beneficiary", "享受待遇的家庭成员（低保不选）", false);
    beneficiary.none_label = "不选择（低保：全家享受）".to_string();
    let applicant = view.applicant.as_ref().and_then(|a| a.person_id);
    if let (true, Some(applicant)) = (form, applicant) {
        let found = state.app.households_with_members(&user.actor, &[applicant], 20).await?;
        household.choices = found.iter().map(crate::routes::pickers::household_choice).collect();
        if let [only] = household.choices.as_mut_slice() {
            only.checked = true;
        }
        let mut seen = Vec::new();
        for m in found.iter().filter_map(|h| h.versions.last()).flat_map(|v| &v.members) {
            if !seen.contains(&m.person_id) {
                seen.push(m.person_id);
                beneficiary.choices.push(Choice {
                    value: m.person_id.to_string(),
                    label: m.name.clone(),
                    detail: format!("{}　{}", m.id_number_masked, m.relationship_name),
                    checked: false,
                });
            }
        }
    }
    household.empty = "申请人尚无登记的家庭：请先登记家庭，或按成员姓名、公民身份号码查找".to_string();
    Ok((household, beneficiary))
}

/// The section for an assistance case, `None` for any other item. `step_due`: the current step's
/// deadline (a wait step's timer) when the step is the publicity.
pub async fn case_section(
    state: &AppState,
    user: &AuthUser,
    view: &service::cases::CaseView,
) -> Result<Option<AssistanceSection>, AppError> {
    let case = &view.case;
    let programs = Program::for_item(&case.item_slug);
    if programs.is_empty() {
        return Ok(None);
    }
    let application = state.app.assistance_application(&user.actor, case.id).await?;
    let decision = match state.app.assistance_decision(&user.actor, case.id).await {
        Ok(d) => Some(d),
        Err(err) if err.kind == service::ErrorKind::NotFound => None,
        Err(err) => return Err(err.into()),
    };
    let paying_minimum_living = decision
        .as_ref()
        .is_some_and(|d| d.program == Program::MinimumLiving.as_str() && d.granted && d.amount_fen > 0);
    let decision = decision.as_ref().map(decision_rows);
    let item = state.app.case_item(case);
    let wait_step = item
        .and_then(|i| i.procedure.steps.iter().find(|s| Some(&s.id) == case.step.as_ref()))
        .filter(|s| s.kind == domain::procedure::StepKind::Wait);
    let publicity = wait_step
        .filter(|_| case.status == CaseStatus::InProgress)
        .map(|s| crate::verticals::assistance::publicity::window_text(s, case, &view.step_deadline));
    let writes = |d| user.actor.may(Permission::WritePerson, d, state.app.divisions());
    let keeps_records = writes(&case.accepting) || writes(&case.competent);
    let form = application.is_none() && !case.is_closed() && keeps_records;
    let preview = match (&application, &decision) {
        (Some(_), None) if !case.is_closed() => super::preview::for_page(state, user, case.id).await,
        _ => None,
    };
    let postings = crate::verticals::assistance::publicity::postings_section(
        state,
        user,
        case.id,
        publicity.is_some() && keeps_records,
    )
    .await?;
    let (household, beneficiary) = application_pickers(state, user, view, form).await?;
    let (mut household_label, mut beneficiary_label) = (String::new(), None);
    if let Some(app) = &application {
        // A household outside the reader's jurisdiction (a case received from elsewhere) is named
        // without its members.
        let h = match state.app.household(&user.actor, app.household_id).await {
            Ok(h) => Some(h),
            Err(err) if matches!(err.kind, service::ErrorKind::Forbidden | service::ErrorKind::NotFound) => None,
            Err(err) => return Err(err.into()),
        };
        household_label =
            h.as_ref().map_or("已登记的家庭".to_string(), |h| crate::routes::pickers::household_choice(h).label);
        beneficiary_label = app.beneficiary.map(|b| {
            h.iter()
                .flat_map(|h| h.versions.iter().rev())
                .flat_map(|v| &v.members)
                .find(|m| m.person_id == b)
                .map_or("家庭中的一名成员".to_string(), |m| format!("{} {}", m.name, m.id_number_masked))
        });
    }
    Ok(Some(AssistanceSection {
        household,
        beneficiary,
        household_label,
        beneficiary_label,
        programs: programs.iter().map(|p| (p.as_str().to_string(), p.name_zh().to_string())).collect(),
        application,
        decision,
        form,
        supporters: vec![
            ("none".into(), "无法定赡养、抚养、扶养义务人".into()),
            ("unable".into(), "有义务人，但无履行义务能力".into()),
            ("able".into(), "有具备履行义务能力的义务人".into()),
        ],
        parents: ParentSituation::ALL.iter().map(|p| (p.as_str().to_string(), p.name_zh().to_string())).collect(),
        publicity,
        postings,
        change_form: paying_minimum_living && keeps_records,
        return_form: case.cross_region != CrossRegion::None
            && case.decision.is_none()
            && view.allowed.contains(&domain::engine::action::ActionKind::Terminate),
        preview,
    }))
}

/// The return form of a received case: back to the accepting place with written reasons, on the
/// termination notice (3 working days from receipt [unconfirmed]; `App::return_received_case`).
#[utoipa::path(
    post,
    path = "/cases/{id}/assistance-return",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision（页面所见的办件版本号，必填）, idempotency_key（幂等键：重复提交只写入一次）, reasons"),
    responses(
        (status = 303, description = "已退回受理地：转回办件页"),
        (status = 403, description = "CSRF 令牌不符，或无权终止办理", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
        (status = 409, description = "办件已被他人办理或变化：页面显示当前状态与最近一次办理", content_type = "text/html", body = String),
        (status = 422, description = "理由未填写，或本件不是尚未决定的异地受理件：办件页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn return_received(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let reasons = post.one("reasons");
    let user = &post.user;
    let result = match form_write(&post.fields) {
        Ok((expected, key)) => {
            state.app.return_received_case_keyed(&user.actor, id, expected, key.as_deref(), &reasons).await
        }
        Err(err) => Err(err),
    };
    case_form_answer(&state, user, id, result, |_| format!("/cases/{id}?done=returned")).await
}

/// The revision a case-page form was drawn at and its idempotency key (hidden fields, as the act
/// form has them): the revision is required, so a write never lands on a case that moved since
/// the page was shown, and a form sent twice is applied once.
pub(crate) fn form_write(fields: &[(String, String)]) -> service::ServiceResult<(i64, Option<String>)> {
    let one = |name: &str| {
        fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
    };
    let invalid = |message: &str| {
        service::ServiceError::new(service::ErrorKind::Invalid, "expected_revision_required", message)
            .with_field("expected_revision")
    };
    let expected = match one("expected_revision") {
        None => return Err(invalid("缺少办件版本号（expected_revision），请刷新页面后重试")),
        Some(v) => v.parse::<i64>().map_err(|_| invalid("办件版本号格式不正确，请刷新页面后重试"))?,
    };
    Ok((expected, one("idempotency_key")))
}

/// The answer to a form posted from case `id`'s page: on to `to` when done; a refusal the user can
/// mend (bad input, a conflict) shown on the case page above it, any other as an error page.
pub(crate) async fn case_form_answer<T>(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    result: service::ServiceResult<T>,
    to: impl FnOnce(T) -> String,
) -> Response {
    match result {
        Ok(done) => redirect(&to(done)),
        Err(err) if matches!(err.kind, service::ErrorKind::Invalid | service::ErrorKind::Conflict) => {
            let status = AppError::from(err.clone()).status;
            crate::routes::work::refused_page(state, user, id, status, problems_of(&err).join("；")).await
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

/// The reported-change form of a paying 低保 decision: opens its re-check at once, with the
/// reason written (社会救助暂行办法第十三条; `App::open_change_review`), and goes to the new case.
#[utoipa::path(
    post,
    path = "/cases/{id}/assistance-change",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "被核查决定所在办件的编号（id）")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision（页面所见的办件版本号，必填）, idempotency_key（幂等键：重复提交只写入一次）, reason"),
    responses(
        (status = 303, description = "已发起调整核查：转到新办件"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
        (status = 409, description = "该决定已有正在办理的核查：办件页与提示", content_type = "text/html", body = String),
        (status = 422, description = "原因未填写或本件没有正在发放的低保决定：办件页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn change_review(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let reason = post.one("reason");
    let user = &post.user;
    let result = match form_write(&post.fields) {
        Ok((expected, key)) => {
            state.app.open_change_review_keyed(&user.actor, id, expected, key.as_deref(), &reason).await
        }
        Err(err) => Err(err),
    };
    case_form_answer(&state, user, id, result, |review| format!("/cases/{}", review.case_id)).await
}

#[utoipa::path(
    post,
    path = "/cases/{id}/assistance-application",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision（页面所见的办件版本号，必填）, idempotency_key（幂等键：重复提交只写入一次）, household_id, program, beneficiary, supporter, father, mother, in_institution, requested_yuan, hardship, relative_of_official, account_kind, account_bank, account_number"),
    responses(
        (status = 303, description = "已登记：转回办件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
        (status = 409, description = "本件已登记：办件页与提示", content_type = "text/html", body = String),
        (status = 422, description = "输入不符合规则：办件页与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn register_application(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PagePost { user, fields }: PagePost,
) -> Response {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let refused =
        |status: StatusCode, error: String| crate::routes::work::refused_page(&state, &user, id, status, error);
    let household_id = match one("household_id").map(|v| v.parse::<i64>()) {
        Some(Ok(h)) => h,
        Some(Err(_)) => {
            return refused(StatusCode::UNPROCESSABLE_ENTITY, "所选家庭无效，请重新查找并选择申请的家庭".to_string())
                .await
        }
        None => return refused(StatusCode::UNPROCESSABLE_ENTITY, "请查找并选择申请的家庭".to_string()).await,
    };
    let beneficiary = match one("beneficiary").map(|v| v.parse::<i64>()) {
        Some(Ok(b)) => Some(b),
        Some(Err(_)) => {
            return refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "所选享受待遇的成员无效，请从家庭成员中重新选择".to_string(),
            )
            .await
        }
        None => None,
    };
    let (in_institution, relative_of_official) =
        match (form_flag(&fields, "in_institution"), form_flag(&fields, "relative_of_official")) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(p), _) | (_, Err(p)) => return refused(StatusCode::UNPROCESSABLE_ENTITY, p.message).await,
        };
    let input = ApplicationInput {
        household_id,
        program: one("program").unwrap_or_default(),
        beneficiary,
        supporter: one("supporter"),
        father: one("father"),
        mother: one("mother"),
        in_institution,
        requested_yuan: one("requested_yuan"),
        hardship: one("hardship"),
        relative_of_official,
        account_kind: one("account_kind"),
        account_bank: one("account_bank"),
        account_number: one("account_number"),
    };
    let result = match form_write(&fields) {
        Ok((expected, key)) => {
            state.app.register_assistance_application_keyed(&user.actor, id, expected, key.as_deref(), &input).await
        }
        Err(err) => Err(err),
    };
    case_form_answer(&state, &user, id, result, |_| format!("/cases/{id}?done=assistance_application")).await
}
