//! Social assistance on the engine (docs/designs/assistance.md): households as dated versions whose
//! members are person records, the application facts of a case, the decision evaluated and stored
//! with the case's decide act (rule version, inputs, trace, amount, authority), the flagged
//! applications of officials' relatives, and the monthly payment roll.

pub mod accounts;
pub mod change;
pub mod export;
pub mod income;
pub mod indicators;
pub(crate) mod pages;
pub mod preview;
pub mod publicity;
pub mod raise;
pub mod register;
pub mod returns;
pub(crate) mod roll;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::assistance::eligibility::relative_flag;
use domain::assistance::{
    apply_deaths, evaluate, format_yuan, parse_yuan, payment_roll, Application, Asset, AssetKind, Award, ChildFacts,
    Decision, Disability, DisabilityCategory, Household, HouseholdVersion, IncomeItem, Member, ParentSituation,
    Program, Relationship, RuleSet, Supporter, YearMonth,
};
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::division::{DivisionCode, Level};
use domain::engine::action::Action;
use domain::engine::case::{Authority, Case, CrossRegion};
use domain::engine::jurisdiction::ancestor_at;
use domain::engine::refusal::Refusal;
use domain::person::NewPerson;
use domain::problem::{text_field, FieldError};
use domain::vertical::Vertical;
use serde_json::{json, Value};
use store::assistance::{ApplicationRow, DecisionRow, HouseholdRow, NewDecision};

use crate::open_case::{OpenApplicant, OpenCase, OpenChannel, Opened, Opener, Party};
use crate::persons::TypedMember;
use crate::verticals::{Every, Job};
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// A member as entered: a person on record and the facts the rules read.
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub person_id: i64,
    pub relationship: String,
    pub disability_category: Option<String>,
    pub disability_grade: Option<i64>,
    pub work_injury_nursing: bool,
    pub died_on: Option<String>,
}

/// Income of a member; the amount in yuan as text ("1024.50"). One month (`month`), or what the
/// officer has for a period: `month` to `until` (YYYY-MM, both included) with `basis`
/// `monthly` (the amount is the monthly average, the default) or `total` (the amount is the
/// period's total). Stored month by month (`crate::assistance_income::expand_income`).
#[derive(Debug, Clone, Default)]
pub struct IncomeInput {
    pub person_id: i64,
    pub month: String,
    pub kind: String,
    pub amount_yuan: String,
    /// The last month of a period (None: one month).
    pub until: Option<String>,
    /// `monthly` (default) or `total`.
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AssetInput {
    pub kind: String,
    pub value_yuan: String,
    pub note: Option<String>,
}

/// A household as it stands from `valid_from`.
#[derive(Debug, Clone, Default)]
pub struct HouseholdVersionInput {
    pub valid_from: String,
    pub members: Vec<MemberInput>,
    pub income: Vec<IncomeInput>,
    pub assets: Vec<AssetInput>,
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdInput {
    /// The household's registered division (户籍地), a township or county.
    pub division: String,
    /// 城市 (urban standard) or 农村.
    pub urban: bool,
    pub version: HouseholdVersionInput,
}

/// 城市 or 农村 as a form states it: `true` or `false` and nothing else. It decides which 低保
/// standard applies (社会救助暂行办法 第9条: the standard is set by the 省 or 设区的市 government, urban
/// and rural apart), so a missing or unknown value is refused, never taken as rural. The JSON API
/// types the field as a boolean; a form's text goes through here.
pub fn parse_urban(value: Option<&str>) -> Result<bool, FieldError> {
    match value.map(str::trim) {
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        _ => Err(field("urban", "invalid_urban", "请选择城市或农村（决定适用城市还是农村低保标准）")),
    }
}

/// The application facts of a case (what the decision is about).
#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub household_id: i64,
    pub program: String,
    pub beneficiary: Option<i64>,
    /// 特困: `none` | `unable` | `able`.
    pub supporter: Option<String>,
    /// 孤儿 / 事实无人抚养儿童: the parents' situations.
    pub father: Option<String>,
    pub mother: Option<String>,
    pub in_institution: bool,
    /// 临时救助.
    pub requested_yuan: Option<String>,
    pub hardship: Option<String>,
    /// The applicant declares being a relative of a caseworker or village cadre.
    pub relative_of_official: bool,
    /// The account the benefit is paid into (the payee's: the beneficiary, else the applicant):
    /// `bank_card` | `social_security_card`, the bank, the card number (assistance_accounts.rs).
    pub account_kind: Option<String>,
    pub account_bank: Option<String>,
    pub account_number: Option<String>,
}

/// A member as shown: the person's name and masked ID from the persons store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberView {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub birth_date: String,
    pub relationship: String,
    pub relationship_name: String,
    pub disability: Option<String>,
    pub work_injury_nursing: bool,
    pub died_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeView {
    pub person_id: i64,
    pub month: String,
    pub kind: String,
    pub amount_yuan: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetView {
    pub kind: String,
    pub kind_name: String,
    pub value_yuan: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionView {
    pub valid_from: String,
    pub members: Vec<MemberView>,
    pub income: Vec<IncomeView>,
    pub assets: Vec<AssetView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdView {
    pub id: i64,
    pub division: String,
    pub division_name: String,
    pub urban: bool,
    pub versions: Vec<VersionView>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApplicationView {
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub program_name: String,
    pub beneficiary: Option<i64>,
    pub relative_flag: Option<String>,
    /// The payee's account on record, masked: "银行卡 中国农业银行达州分行 6228***********0018".
    pub payee_account: Option<String>,
}

/// A stored decision as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionView {
    pub case_id: i64,
    pub program: String,
    pub program_name: String,
    pub eligible: bool,
    pub granted: bool,
    pub amount_yuan: String,
    pub amount_fen: i64,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    pub rule_version: String,
    pub authority: String,
    pub decided_on: String,
    pub inputs: Value,
    pub trace: Vec<String>,
    pub reasons: Vec<String>,
    /// grant, refuse, adjust (re-check: 增发/减发/维持), stop (re-check: 停发).
    pub outcome: String,
    /// The case whose decision this re-check reviewed.
    pub recheck_of_case: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollLineView {
    pub program: String,
    pub program_name: String,
    pub household_id: i64,
    pub payee: i64,
    pub name: String,
    /// Masked unless the reader may see full IDs (and the export records it).
    pub id_number: String,
    pub amount_fen: i64,
    pub amount_yuan: String,
    pub case_id: i64,
    /// YYYY-MM: a stop already decided applies from that month (渐退期 or next month's stop).
    pub stop_from: Option<String>,
    /// The payee's account (收款账户), masked unless the reader may see full IDs.
    pub account: Option<crate::assistance_accounts::AccountView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollChangeView {
    pub kind: String,
    pub kind_name: String,
    pub program_name: String,
    pub payee: i64,
    pub name: String,
    pub before_yuan: String,
    pub after_yuan: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollTotalView {
    pub program: String,
    pub program_name: String,
    pub count: usize,
    pub amount_fen: i64,
    pub amount_yuan: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRollView {
    /// The paying county.
    pub county: String,
    pub county_name: String,
    /// Whose lines these are: the county, or one of its townships.
    pub division: String,
    pub division_name: String,
    pub month: String,
    pub lines: Vec<RollLineView>,
    pub totals: Vec<RollTotalView>,
    pub total_fen: i64,
    pub total_yuan: String,
    pub changes: Vec<RollChangeView>,
    /// Decisions left out because the person already receives an exclusive benefit.
    pub excluded: Vec<String>,
    pub full_ids: bool,
}

/// The decision to commit with a decide act.
pub(crate) struct PendingDecision {
    household_id: i64,
    county: String,
    decision: Decision,
    granted: bool,
    authority: String,
    applied_on: NaiveDate,
    /// grant / refuse, or for a re-check adjust / stop.
    outcome: &'static str,
    /// The decision a re-check reviews.
    recheck_of: Option<i64>,
}

fn field(name: &str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(name, code, message)
}

fn parse_date(name: &str, text: &str, problems: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.push(field(name, "invalid_date", "日期格式应为 YYYY-MM-DD"));
    }
    parsed
}

/// A version as parsed: everything but the members' names and birth dates (from the persons store).
pub(crate) struct ParsedVersion {
    valid_from: NaiveDate,
    members: Vec<Member>,
    income: Vec<IncomeItem>,
    assets: Vec<Asset>,
}

/// Every problem of a version at once (FieldError per field, Chinese).
pub(crate) fn parse_version(input: &HouseholdVersionInput) -> Result<ParsedVersion, Vec<FieldError>> {
    let mut p = Vec::new();
    let valid_from = parse_date("valid_from", &input.valid_from, &mut p);
    if input.members.is_empty() {
        p.push(field("members", "members_required", "请至少登记一名家庭成员"));
    }
    if input.members.len() > 30 {
        p.push(field("members", "too_many_members", "共同生活家庭成员不能超过30人"));
    }
    let mut members = Vec::new();
    for (i, m) in input.members.iter().enumerate() {
        let at = |f: &str| format!("members[{i}].{f}");
        if m.person_id <= 0 {
            p.push(field(&at("person_id"), "invalid_person", "请选择已登记的人员"));
        }
        if input.members[..i].iter().any(|o| o.person_id == m.person_id) {
            p.push(field(&at("person_id"), "duplicate_member", "同一人员不能重复登记为家庭成员"));
        }
        let relationship = Relationship::parse(&m.relationship);
        if relationship.is_none() {
            p.push(field(&at("relationship"), "invalid_relationship", "与申请人关系无效"));
        }
        let disability = match (&m.disability_category, m.disability_grade) {
            (None, None) => None,
            (Some(c), Some(g)) => {
                let category = DisabilityCategory::parse(c);
                if category.is_none() {
                    p.push(field(&at("disability_category"), "invalid_disability_category", "残疾类别无效"));
                }
                if !(1..=4).contains(&g) {
                    p.push(field(&at("disability_grade"), "invalid_disability_grade", "残疾等级应为1至4级"));
                }
                category.map(|category| Disability { category, grade: u8::try_from(g.clamp(1, 4)).unwrap_or(4) })
            }
            _ => {
                p.push(field(&at("disability_grade"), "disability_incomplete", "残疾类别和等级须同时填写"));
                None
            }
        };
        let died_on = m.died_on.as_deref().and_then(|d| parse_date(&at("died_on"), d, &mut p));
        members.push(Member {
            person_id: m.person_id,
            name: String::new(),
            relationship: relationship.unwrap_or(Relationship::Other),
            birth: NaiveDate::MIN,
            disability,
            work_injury_nursing: m.work_injury_nursing,
            died_on,
        });
    }
    let applicants = input.members.iter().filter(|m| m.relationship == "applicant").count();
    if !input.members.is_empty() && applicants != 1 {
        p.push(field("members", "one_applicant", "家庭成员中须有且只有一人的“与申请人的关系”为“申请人”"));
    }
    let mut income = Vec::new();
    for (i, item) in input.income.iter().enumerate() {
        let at = |f: &str| format!("income[{i}].{f}");
        if !input.members.iter().any(|m| m.person_id == item.person_id) {
            p.push(field(&at("person_id"), "income_not_member", "收入须属于本户登记的家庭成员"));
        }
        let kind = item.kind.trim();
        if kind.is_empty() || kind.chars().count() > 50 {
            p.push(field(&at("kind"), "invalid_income_kind", "请填写收入类别（不超过50字）"));
        } else if let Err(e) = text_field(&at("kind"), kind, 50, true) {
            p.push(e);
        }
        match crate::assistance_income::expand_income(item, i) {
            Ok(months) => income.extend(months.into_iter().map(|(month, amount_fen)| IncomeItem {
                person_id: item.person_id,
                month,
                kind: kind.to_string(),
                amount_fen,
            })),
            Err(problems) => p.extend(problems),
        }
    }
    let mut assets = Vec::new();
    for (i, a) in input.assets.iter().enumerate() {
        let at = |f: &str| format!("assets[{i}].{f}");
        let kind = AssetKind::parse(&a.kind);
        if kind.is_none() {
            p.push(field(&at("kind"), "invalid_asset_kind", "财产类别无效，请从列表中选择"));
        }
        let value = parse_yuan(&a.value_yuan);
        if value.is_none() {
            p.push(field(&at("value_yuan"), "invalid_amount", "金额应为不小于0的数字，最多两位小数（单位：元）"));
        }
        let note = a.note.as_deref().unwrap_or("").trim().to_string();
        if note.chars().count() > 100 {
            p.push(field(&at("note"), "note_too_long", "说明不能超过100字"));
        } else if let Err(e) = text_field(&at("note"), &note, 100, false) {
            p.push(e);
        }
        if let (Some(kind), Some(value_fen)) = (kind, value) {
            assets.push(Asset { kind, value_fen, note });
        }
    }
    match valid_from {
        Some(valid_from) if p.is_empty() => Ok(ParsedVersion { valid_from, members, income, assets }),
        _ => Err(p),
    }
}

/// Which household a form writes ([`App::write_household_form`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseholdForm {
    /// A new household in `division` (its 户籍地), 城市 or 农村.
    New { division: String, urban: bool },
    /// A new version of the household of this id.
    Version(i64),
}

/// The person id the `n`th new member typed in on a household form stands in as.
pub fn placeholder(n: usize) -> i64 {
    -(n as i64) - 1
}

/// A version's input with every person id passed through `map`.
fn renumbered(input: &HouseholdVersionInput, map: impl Fn(i64) -> i64) -> HouseholdVersionInput {
    let mut out = input.clone();
    for m in &mut out.members {
        m.person_id = map(m.person_id);
    }
    for i in &mut out.income {
        i.person_id = map(i.person_id);
    }
    out
}

/// The deaths a version states, kept on the member rows so every read of the person sees them.
fn member_deaths(v: &ParsedVersion) -> Vec<(i64, String)> {
    v.members.iter().filter_map(|m| m.died_on.map(|d| (m.person_id, d.to_string()))).collect()
}

/// The stored body of a version (no names, no ID numbers: those stay in the persons store).
fn body_json(v: &ParsedVersion) -> Value {
    json!({
        "members": v.members.iter().map(|m| json!({
            "person_id": m.person_id,
            "relationship": m.relationship.as_str(),
            "disability": m.disability.map(|d| json!({"category": d.category.as_str(), "grade": d.grade})),
            "work_injury_nursing": m.work_injury_nursing,
            "died_on": m.died_on.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "income": v.income.iter().map(|i| json!({
            "person_id": i.person_id, "month": i.month.to_string(), "kind": i.kind, "amount_fen": i.amount_fen,
        })).collect::<Vec<_>>(),
        "assets": v.assets.iter().map(|a| json!({
            "kind": a.kind.as_str(), "value_fen": a.value_fen, "note": a.note,
        })).collect::<Vec<_>>(),
    })
}

fn broken(what: &str) -> ServiceError {
    ServiceError::internal(format!("stored household body: {what}"))
}

/// Reads a stored body back (written by [`body_json`]).
fn version_from_body(valid_from: &str, body: &str) -> ServiceResult<HouseholdVersion> {
    let valid_from = NaiveDate::parse_from_str(valid_from, "%Y-%m-%d").map_err(|_| broken("valid_from"))?;
    let v: Value = serde_json::from_str(body).map_err(|_| broken("json"))?;
    let list = |key: &str| v.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |o: &Value, key: &str| o.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let int = |o: &Value, key: &str| o.get(key).and_then(Value::as_i64).unwrap_or(0);
    let mut members = Vec::new();
    for m in list("members") {
        let disability = m.get("disability").filter(|d| !d.is_null()).and_then(|d| {
            Some(Disability {
                category: DisabilityCategory::parse(d.get("category")?.as_str()?)?,
                grade: u8::try_from(d.get("grade")?.as_i64()?).ok()?,
            })
        });
        members.push(Member {
            person_id: int(&m, "person_id"),
            name: String::new(),
            relationship: Relationship::parse(&text(&m, "relationship")).ok_or_else(|| broken("relationship"))?,
            birth: NaiveDate::MIN,
            disability,
            work_injury_nursing: m.get("work_injury_nursing").and_then(Value::as_bool).unwrap_or(false),
            died_on: m
                .get("died_on")
                .and_then(Value::as_str)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        });
    }
    let mut income = Vec::new();
    for i in list("income") {
        income.push(IncomeItem {
            person_id: int(&i, "person_id"),
            month: YearMonth::parse(&text(&i, "month")).ok_or_else(|| broken("month"))?,
            kind: text(&i, "kind"),
            amount_fen: int(&i, "amount_fen"),
        });
    }
    let mut assets = Vec::new();
    for a in list("assets") {
        assets.push(Asset {
            kind: AssetKind::parse(&text(&a, "kind")).ok_or_else(|| broken("asset kind"))?,
            value_fen: int(&a, "value_fen"),
            note: text(&a, "note"),
        });
    }
    Ok(HouseholdVersion { valid_from, members, income, assets })
}

fn program_of(text: &str) -> ServiceResult<Program> {
    Program::parse(text).ok_or_else(|| {
        ServiceError::invalid(vec![field(
            "program",
            "invalid_program",
            "救助项目无效（minimum_living、extreme_poverty、temporary、disability_living、disability_care、orphan、unsupported_child）",
        )])
    })
}

fn authority_text(authority: &Authority) -> String {
    match authority {
        Authority::Own => "本级职权".to_string(),
        Authority::Delegated { document } => format!("下放（{document}）"),
    }
}

fn month_text(m: Option<YearMonth>) -> Option<String> {
    m.map(|m| m.to_string())
}

fn decision_view(row: &DecisionRow) -> DecisionView {
    let lines = |text: &str| serde_json::from_str::<Vec<String>>(text).unwrap_or_default();
    let program = Program::parse(&row.program);
    DecisionView {
        case_id: row.case_id,
        program: row.program.clone(),
        program_name: program.map(|p| p.name_zh().to_string()).unwrap_or_default(),
        eligible: row.eligible,
        granted: row.granted,
        amount_yuan: format_yuan(row.amount_fen),
        amount_fen: row.amount_fen,
        first_month: row.first_month.clone(),
        last_month: row.last_month.clone(),
        rule_version: row.rule_version.clone(),
        authority: row.authority.clone(),
        decided_on: row.decided_on.clone(),
        inputs: serde_json::from_str(&row.inputs).unwrap_or(Value::Null),
        trace: lines(&row.trace),
        reasons: lines(&row.reasons),
        outcome: row.outcome.clone(),
        recheck_of_case: serde_json::from_str::<Value>(&row.inputs)
            .ok()
            .and_then(|v| v.get("recheck_of_case").and_then(Value::as_i64)),
    }
}

/// A re-check's decision against the one it reviews (社会救助暂行办法第十三条): the change named
/// in the trace; a refusal is a stop from the month after the decision (after the 渐退期 when the
/// income rose above the line), paying nothing, with written reasons (the rules' reasons, else the
/// decider's).
pub(crate) fn recheck_change(
    decision: &mut Decision,
    before: &DecisionRow,
    grant: bool,
    stated: &str,
    decided_on: NaiveDate,
) {
    use domain::assistance::recheck::{change_from, recheck_line, recheck_outcome};
    let mut from = change_from(decided_on);
    if !grant {
        from = taper_stop(decision, before, decided_on).unwrap_or(from);
    }
    let outcome = recheck_outcome(before.amount_fen, grant, decision.amount_fen);
    decision.trace.push(recheck_line(outcome, before.amount_fen, decision.amount_fen, from));
    decision.inputs["recheck_of_case"] = json!(before.case_id);
    decision.inputs["paid_before_fen"] = json!(before.amount_fen);
    if !grant {
        decision.payee = before.payee;
        decision.first_month = Some(from);
        decision.last_month = None;
        let stated = stated.trim();
        if decision.reasons.is_empty() && !stated.is_empty() {
            decision.reasons.push(stated.to_string());
        }
    }
}

/// The 渐退期 of a 低保 stop for income above the line: the stop month after the taper of the rule
/// version applied, with its trace line (domain::assistance::recheck::taper_stop_from). None when
/// the stop has another cause (assets, a vehicle, the decider's reasons) or no taper is set.
fn taper_stop(decision: &mut Decision, before: &DecisionRow, decided_on: NaiveDate) -> Option<YearMonth> {
    use domain::assistance::recheck::{taper_line, taper_stop_from};
    let fen = |key: &str| decision.inputs.get(key).and_then(Value::as_i64);
    let income_above = matches!((fen("per_capita_income_fen"), fen("standard_fen")), (Some(i), Some(s)) if i >= s);
    let months = RuleSet::builtin().get(&decision.rule_version)?.minimum_living.taper_months;
    if decision.program != Program::MinimumLiving || !income_above || months == 0 {
        return None;
    }
    let stop = taper_stop_from(decided_on, months);
    decision.trace.push(taper_line(before.amount_fen, months, stop, &decision.rule_version));
    decision.inputs["taper_months"] = json!(months);
    Some(stop)
}

impl App {
    /// A county-level division code (the paying county of a roll), or a problem on `county`.
    fn county_code(&self, text: &str, problems: &mut Vec<FieldError>) -> Option<DivisionCode> {
        let code = DivisionCode::parse(text.trim())
            .ok()
            .filter(|c| self.divisions().get(c).is_some_and(|d| d.level == Level::County));
        if code.is_none() {
            problems.push(field("county", "invalid_county", "请选择县（市、区）区划代码"));
        }
        code
    }

    fn household_division(&self, text: &str) -> ServiceResult<DivisionCode> {
        let code = DivisionCode::parse(text.trim())
            .ok()
            .filter(|c| self.divisions().get(c).is_some_and(|d| matches!(d.level, Level::County | Level::Township)))
            .ok_or_else(|| {
                ServiceError::invalid(vec![field(
                    "division",
                    "invalid_division",
                    "户籍地须为已知的县级或乡镇（街道）区划代码",
                )])
            })?;
        Ok(code)
    }

    /// The members must be persons on record that the caller may see.
    async fn check_members(&self, actor: &Actor, members: &[Member]) -> ServiceResult<()> {
        let mut problems = Vec::new();
        for (i, m) in members.iter().enumerate() {
            if self.visible_summary(actor, m.person_id, Permission::ReadPerson).await.is_err() {
                problems.push(field(
                    &format!("members[{i}].person_id"),
                    "person_not_found",
                    format!("第{}位成员未登记或不在您的管辖范围内，请重新选择", i + 1),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::invalid(problems))
        }
    }

    /// Registers a household with its first version (`household.create`).
    pub async fn create_household(&self, actor: &Actor, input: &HouseholdInput) -> ServiceResult<HouseholdView> {
        let target = HouseholdForm::New { division: input.division.clone(), urban: input.urban };
        let id = self.write_household_form(actor, &target, &input.version, &[]).await?;
        self.household(actor, id).await
    }

    /// A new version of the household from a later date (`household.version`). Earlier versions are
    /// kept: a decision is explained by the household as it stood on its day.
    pub async fn add_household_version(
        &self,
        actor: &Actor,
        id: i64,
        input: &HouseholdVersionInput,
    ) -> ServiceResult<HouseholdView> {
        self.write_household_form(actor, &HouseholdForm::Version(id), input, &[]).await?;
        self.household(actor, id).await
    }

    /// A household (new, or a new version of one) with the members its form typed in, as one unit
    /// of work: everything is checked first (the version, the members on record, the caller's right
    /// to register each new person), then the new persons, the household and the events are
    /// written in one transaction, so a bad row leaves nothing written. `typed` are the members
    /// typed in ([`App::typed_member`]): the `n`th new person among them stands in the version's
    /// rows as the person id `-(n + 1)` ([`placeholder`]). Returns the household's id.
    pub async fn write_household_form(
        &self,
        actor: &Actor,
        target: &HouseholdForm,
        input: &HouseholdVersionInput,
        typed: &[TypedMember],
    ) -> ServiceResult<i64> {
        let (division, store_target, last) = match target {
            HouseholdForm::New { division, urban } => {
                let division = self.household_division(division)?;
                let store_target =
                    store::assistance::HouseholdTarget::New { division: division.to_string(), urban: *urban };
                (division, store_target, None)
            }
            HouseholdForm::Version(id) => {
                let row = self.household_row(*id).await?;
                let division = DivisionCode::parse(&row.division).map_err(ServiceError::internal)?;
                (division, store::assistance::HouseholdTarget::Existing(*id), row.versions.last().map(|v| v.0.clone()))
            }
        };
        self.authorize(actor, Permission::WritePerson, &division)?;
        let new: Vec<NewPerson> = typed
            .iter()
            .filter_map(|t| match t {
                TypedMember::New(person) => Some(person.clone()),
                TypedMember::OnFile { .. } => None,
            })
            .collect();
        let mismatches: Vec<EventDraft> = typed
            .iter()
            .filter_map(|t| match t {
                TypedMember::OnFile { mismatch, .. } => mismatch.clone(),
                TypedMember::New(_) => None,
            })
            .collect();
        // Checked with each new person as a positive stand-in no record can have.
        let stand_in = |id: i64| if id < 0 && -id <= new.len() as i64 { i64::MAX + id + 1 } else { id };
        let mut parsed = parse_version(&renumbered(input, stand_in)).map_err(ServiceError::invalid)?;
        if let Some(last) = last.filter(|last| parsed.valid_from.to_string() <= *last) {
            return Err(ServiceError::invalid(vec![field(
                "valid_from",
                "version_not_after_last",
                format!("新的家庭情况须晚于最近一次登记的日期 {last}（已登记的情况不能改写）"),
            )]));
        }
        let first_stand_in = i64::MAX - new.len() as i64;
        let on_record: Vec<Member> = parsed.members.iter().filter(|m| m.person_id <= first_stand_in).cloned().collect();
        self.check_members(actor, &on_record).await?;
        let label = actor.label();
        let urban = matches!(target, HouseholdForm::New { urban: true, .. });
        let new_members = store::assistance::NewMembers {
            keys: &self.keys,
            persons: &new,
            event: |n: usize, id: i64| crate::persons::person_created(actor, &new[n], false, id),
        };
        let build = |ids: &[i64], household: i64| {
            let real = |id: i64| if id > first_stand_in { ids[(i64::MAX - id) as usize] } else { id };
            for m in &mut parsed.members {
                m.person_id = real(m.person_id);
            }
            for i in &mut parsed.income {
                i.person_id = real(i.person_id);
            }
            let members: Vec<i64> = parsed.members.iter().map(|m| m.person_id).collect();
            let valid_from = parsed.valid_from.to_string();
            let (act, payload) = match target {
                HouseholdForm::New { .. } => (
                    "household.create",
                    json!({"division": division.as_str(), "urban": urban, "valid_from": valid_from, "members": members}),
                ),
                HouseholdForm::Version(_) => {
                    ("household.version", json!({"valid_from": valid_from, "members": members}))
                }
            };
            let mut events = mismatches.clone();
            events.push(
                EventDraft::new(format!("household:{household}"), label.clone(), act, payload)
                    .in_division(division.as_str()),
            );
            let version = store::assistance::VersionData {
                body: body_json(&parsed).to_string(),
                deaths: member_deaths(&parsed),
                members,
                valid_from,
            };
            (version, events)
        };
        self.store.write_household_form(new_members, &store_target, actor.account_id, self.now(), build).await.map_err(
            |e| match e {
                store::StoreError::Conflict(_) if !new.is_empty() => {
                    ServiceError::new(ErrorKind::Conflict, "person_exists", "表中有人员刚刚已被登记，请重新提交")
                }
                other => other.into(),
            },
        )
    }

    async fn household_row(&self, id: i64) -> ServiceResult<HouseholdRow> {
        self.store.household(id).await.map_err(|e| match e {
            store::StoreError::NotFound => {
                ServiceError::new(ErrorKind::NotFound, "household_not_found", format!("家庭 {id} 不存在"))
            }
            other => other.into(),
        })
    }

    /// The household with every version; members named from the persons store (masked IDs).
    pub async fn household(&self, actor: &Actor, id: i64) -> ServiceResult<HouseholdView> {
        // Refused before the lookup for who may read no person anywhere (ids must not be probed).
        if !actor.may_somewhere(Permission::ReadPerson) {
            return Err(ServiceError::forbidden());
        }
        let row = self.household_row(id).await?;
        let division = DivisionCode::parse(&row.division).map_err(ServiceError::internal)?;
        self.authorize(actor, Permission::ReadPerson, &division)?;
        let mut versions = Vec::new();
        for (valid_from, body) in &row.versions {
            let v = version_from_body(valid_from, body)?;
            let mut members = Vec::new();
            for m in &v.members {
                let p = self.store.person_summary(m.person_id).await?;
                members.push(MemberView {
                    person_id: m.person_id,
                    name: p.name,
                    id_number_masked: p.id_number_masked,
                    birth_date: p.birth_date,
                    relationship: m.relationship.as_str().to_string(),
                    relationship_name: m.relationship.name_zh().to_string(),
                    disability: m.disability.map(|d| d.label_zh()),
                    work_injury_nursing: m.work_injury_nursing,
                    died_on: m.died_on.map(|d| d.to_string()).or(p.died_on),
                });
            }
            versions.push(VersionView {
                valid_from: valid_from.clone(),
                members,
                income: v
                    .income
                    .iter()
                    .map(|i| IncomeView {
                        person_id: i.person_id,
                        month: i.month.to_string(),
                        kind: i.kind.clone(),
                        amount_yuan: format_yuan(i.amount_fen),
                    })
                    .collect(),
                assets: v
                    .assets
                    .iter()
                    .map(|a| AssetView {
                        kind: a.kind.as_str().to_string(),
                        kind_name: a.kind.name_zh().to_string(),
                        value_yuan: format_yuan(a.value_fen),
                        note: a.note.clone(),
                    })
                    .collect(),
            });
        }
        Ok(HouseholdView {
            id: row.id,
            division_name: self.divisions().full_name(&division).unwrap_or_else(|| row.division.clone()),
            division: row.division,
            urban: row.urban,
            versions,
        })
    }

    /// The household as the rules read it: members' names and birth dates from the persons store.
    async fn load_household(&self, id: i64) -> ServiceResult<Household> {
        let row = self.household_row(id).await?;
        let mut versions = Vec::new();
        for (valid_from, body) in &row.versions {
            let mut v = version_from_body(valid_from, body)?;
            for m in &mut v.members {
                let p = self.store.person_summary(m.person_id).await?;
                // A death on the person's record counts in every version (death_facts.rs).
                m.died_on = m.died_on.or(crate::death_facts::died_on(&p));
                m.name = p.name;
                m.birth = NaiveDate::parse_from_str(&p.birth_date, "%Y-%m-%d").map_err(|_| broken("birth date"))?;
            }
            versions.push(v);
        }
        Ok(Household {
            id: row.id,
            division: DivisionCode::parse(&row.division).map_err(ServiceError::internal)?,
            urban: row.urban,
            versions,
        })
    }

    /// Records what a case asks for: its household, program and facts. The case must be one of the
    /// program's item; the applicant's declaration or a member on the officials' list flags it
    /// (单独登记备案, 社会救助暂行办法; 民发〔2021〕57号 step 1).
    pub async fn register_assistance_application(
        &self,
        actor: &Actor,
        case_id: i64,
        input: &ApplicationInput,
    ) -> ServiceResult<ApplicationView> {
        self.application_write(actor, case_id, None, None, input).await
    }

    /// [`App::register_assistance_application`] as a client sends it: at the revision it saw,
    /// with an optional idempotency key (the contract of acts, [`App::case_write`]).
    pub async fn register_assistance_application_keyed(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_revision: i64,
        key: Option<&str>,
        input: &ApplicationInput,
    ) -> ServiceResult<ApplicationView> {
        self.application_write(actor, case_id, Some(expected_revision), key, input).await
    }

    async fn application_write(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_revision: Option<i64>,
        key: Option<&str>,
        input: &ApplicationInput,
    ) -> ServiceResult<ApplicationView> {
        let request = ("assistance_application", format!("{input:?}"));
        self.case_write(actor, case_id, expected_revision, key, request, |w| self.put_application_on(actor, w, input))
            .await
    }

    async fn put_application_on(
        &self,
        actor: &Actor,
        w: crate::idempotency::CaseWrite<'_>,
        input: &ApplicationInput,
    ) -> ServiceResult<ApplicationView> {
        let stored = &w.stored;
        let case_id = stored.case.id;
        let case = &stored.case;
        self.authorize(actor, Permission::WritePerson, &case.accepting)
            .or_else(|_| self.authorize(actor, Permission::WritePerson, &case.competent))?;
        let program = program_of(&input.program)?;
        let mut p = Vec::new();
        if program.item_slug() != case.item_slug {
            p.push(field("program", "program_item_mismatch", format!("本件办理的事项不是“{}”", program.name_zh())));
        }
        let household = self.load_household(input.household_id).await.map_err(|e| match e.kind {
            ErrorKind::NotFound => {
                ServiceError::invalid(vec![field("household_id", "household_not_found", "家庭不存在")])
            }
            _ => e,
        })?;
        self.authorize(actor, Permission::ReadPerson, &household.division)?;
        let today = self.today();
        let version = household.as_of(today).or_else(|| household.versions.last()).ok_or_else(|| {
            ServiceError::invalid(vec![field("household_id", "household_not_recorded", "家庭尚无登记信息")])
        })?;
        if !version.members.iter().any(|m| m.person_id == case.applicant) {
            p.push(field("household_id", "applicant_not_member", "本件申请人不是该家庭的成员"));
        }
        // No application in the name of, or for, a person who has died (death_facts.rs).
        for (who, field_name, person) in
            [("申请人", "applicant", Some(case.applicant)), ("享受待遇的人", "beneficiary", input.beneficiary)]
        {
            if let Some(on) = person.and_then(|id| version.member(id)).and_then(|m| m.died_on) {
                p.push(field(field_name, "person_deceased", format!("{who}已于 {on} 死亡（已登记）")));
            }
        }
        if program != Program::MinimumLiving {
            match input.beneficiary {
                Some(b) if version.member(b).is_some() => {}
                Some(_) => p.push(field("beneficiary", "beneficiary_not_member", "享受待遇的人不是该家庭的成员")),
                None => p.push(field("beneficiary", "beneficiary_required", "请选择享受待遇的家庭成员")),
            }
        }
        let supporter = input.supporter.as_deref().unwrap_or("none");
        if Supporter::parse(supporter).is_none() {
            p.push(field("supporter", "invalid_supporter", "法定义务人情况无效（none、unable、able）"));
        }
        for (name, value) in [("father", &input.father), ("mother", &input.mother)] {
            if let Some(v) = value {
                if ParentSituation::parse(v).is_none() {
                    p.push(field(name, "invalid_parent_situation", "父母情况无效"));
                }
            } else if program.is_child_allowance() {
                p.push(field(name, "parent_situation_required", "请填写儿童父母的情况"));
            }
        }
        let requested = match (&input.requested_yuan, program) {
            (Some(text), _) => {
                let fen = parse_yuan(text);
                if fen.is_none() {
                    p.push(field(
                        "requested_yuan",
                        "invalid_amount",
                        "金额应为不小于0的数字，最多两位小数（单位：元）",
                    ));
                }
                fen
            }
            (None, Program::Temporary) => {
                p.push(field("requested_yuan", "amount_required", "请填写申请救助金额"));
                None
            }
            (None, _) => None,
        };
        let hardship = input.hardship.as_deref().unwrap_or("").trim().to_string();
        if hardship.chars().count() > 500 {
            p.push(field("hardship", "hardship_too_long", "急难情形说明不能超过500字"));
        }
        let account = crate::assistance_accounts::parse_input(input, &mut p);
        if !p.is_empty() {
            return Err(ServiceError::invalid(p));
        }
        // The officials' relatives list is not kept on the platform yet: only the declaration flags.
        let flag = relative_flag(input.relative_of_official, version, &[]);
        let facts = json!({
            "supporter": supporter,
            "father": input.father, "mother": input.mother, "in_institution": input.in_institution,
            "requested_fen": requested.unwrap_or(0), "hardship": hardship,
        });
        let row = ApplicationRow {
            case_id,
            household_id: household.id,
            program: program.as_str().to_string(),
            beneficiary: if program == Program::MinimumLiving { None } else { input.beneficiary },
            facts: facts.to_string(),
            relative_flag: flag.clone(),
            created_at_ms: 0,
        };
        let payee = row.beneficiary.unwrap_or(case.applicant);
        let mut payload = json!({"household_id": household.id, "program": row.program, "beneficiary": row.beneficiary,
                   "relative_flag": flag});
        crate::assistance_accounts::describe(&mut payload, account.as_ref());
        let event = EventDraft::new(format!("case:{case_id}"), actor.label(), "assistance.application", payload)
            .in_division(case.competent.as_str());
        let masked = account.as_ref().map(|a| domain::assistance::account::mask_account(&a.number));
        let new_account = account
            .as_ref()
            .zip(masked.as_deref())
            .map(|(a, masked)| crate::assistance_accounts::new_account(payee, case_id, a, masked));
        let with = new_account.as_ref().map(|a| (&self.keys, a));
        // The answer before the write (a retry with the key replays it): the payee's account as
        // it will be on record.
        let payee_account = match &new_account {
            Some(_) => masked.as_deref().map(|m| crate::assistance_accounts::described(account.as_ref(), m)),
            None => self.masked_account(payee).await?,
        };
        let view = ApplicationView {
            case_id,
            household_id: household.id,
            program_name: program.name_zh().to_string(),
            program: row.program.clone(),
            beneficiary: row.beneficiary,
            relative_flag: flag,
            payee_account,
        };
        let answer = serde_json::to_string(&view).map_err(ServiceError::internal)?;
        let touch = w.touch(&answer);
        self.store.put_application_touching(&row, with, self.now(), &event, Some(&touch)).await.map_err(|e| {
            match crate::idempotency::touch_error(&e) {
                Some(err) => err,
                None => match e {
                    store::StoreError::Conflict(_) => {
                        ServiceError::new(ErrorKind::Conflict, "application_exists", "本件已登记救助申请信息")
                    }
                    other => other.into(),
                },
            }
        })?;
        Ok(view)
    }

    /// For a decide act on an assistance item: the evaluation to store with it. `None` for any other
    /// act or item. A grant of an application the rules find ineligible is refused (422
    /// `not_eligible` with the reasons); a delegated township may approve only small 临时救助
    /// (社会救助暂行办法第四十八条).
    pub(crate) async fn pending_assistance_decision(
        &self,
        before: &Case,
        after: &Case,
        action: &Action,
    ) -> ServiceResult<Option<PendingDecision>> {
        let Action::Decide { grant, reasons: stated, .. } = action else { return Ok(None) };
        if Program::for_item(&before.item_slug).is_empty() {
            return Ok(None);
        }
        let Some(decided) = &after.decision else { return Ok(None) };
        let application = self.store.application(before.id).await?.ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Invalid,
                "assistance_application_missing",
                "请先登记本件的救助申请信息（家庭、救助项目），再作决定",
            )
        })?;
        self.check_county_visit(before.id, application.relative_flag.as_deref()).await?;
        let decided_on = shanghai_date(decided.at);
        let (household, mut decision) = self.evaluate_application(before, &application, decided_on).await?;
        let program = decision.program;
        let facts: Value = serde_json::from_str(&application.facts).map_err(ServiceError::internal)?;
        let applied_on = before.submitted_at.map(shanghai_date).unwrap_or(decided_on);
        if *grant && !decision.eligible {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "not_eligible",
                format!("按{}核算不符合条件，不能批准：{}", decision.rule_version, decision.reasons.join("；")),
            )
            .with_basis(Some(decision.trace.join("\n"))));
        }
        if *grant {
            crate::assistance_preview::check_income_complete(&decision)?;
        }
        let delegated = matches!(decided.authority, Authority::Delegated { .. });
        if *grant && delegated && program == Program::Temporary && decision.inputs["small_amount"] != json!(true) {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "above_small_amount",
                "救助金额超过小额标准，须由县级民政部门审批，乡镇（街道）不能依下放审批",
            )
            .with_basis(Some("《社会救助暂行办法》第四十八条".into())));
        }
        let county = ancestor_at(self.divisions(), &before.competent, Level::County)
            .map(|d| d.code.to_string())
            .unwrap_or_else(|| before.competent.to_string());
        let (outcome, recheck_of) = match facts.get("recheck_of").and_then(Value::as_i64) {
            None => (if *grant { "grant" } else { "refuse" }, None),
            Some(reviewed) => {
                let mut before =
                    self.store.assistance_decision(reviewed).await?.ok_or_else(|| broken("reviewed decision"))?;
                // Paid now: the amount of a 提标 adjustment confirmed since the decision.
                before.amount_fen = self.paid_amount(&before).await?;
                recheck_change(&mut decision, &before, *grant, stated, decided_on);
                (if *grant { "adjust" } else { "stop" }, Some(before.id))
            }
        };
        Ok(Some(PendingDecision {
            household_id: household.id,
            county,
            authority: authority_text(&decided.authority),
            granted: *grant,
            decision,
            applied_on,
            outcome,
            recheck_of,
        }))
    }

    /// The evaluation of a case's application as if decided on `decided_on`: the household, the
    /// benefits in payment, the facts recorded, through `domain::assistance::evaluate` — the one
    /// evaluation behind the decide act and the preview shown at every review
    /// (`assistance_preview`). Records nothing.
    pub(crate) async fn evaluate_application(
        &self,
        before: &Case,
        application: &ApplicationRow,
        decided_on: NaiveDate,
    ) -> ServiceResult<(Household, Decision)> {
        let program = program_of(&application.program)?;
        let household = self.load_household(application.household_id).await?;
        let facts: Value = serde_json::from_str(&application.facts).map_err(ServiceError::internal)?;
        let applied_on = before.submitted_at.map(shanghai_date).unwrap_or(decided_on);
        // Benefits in payment or due to start: a benefit granted yesterday from next month excludes
        // an exclusive one decided today (no one paid twice, 国发〔2015〕52号).
        let month = YearMonth::of(decided_on);
        let members: Vec<i64> = household.versions.iter().flat_map(|v| v.members.iter().map(|m| m.person_id)).collect();
        // A benefit a re-check stopped no longer excludes anything.
        let awards: Vec<Award> =
            self.store.granted_decisions_of_persons(&members).await?.iter().filter_map(award_of).collect();
        let current: Vec<(i64, Program)> = domain::assistance::roll::not_stopped(&awards)
            .into_iter()
            .filter(|a| a.last.is_none_or(|l| month <= l))
            .flat_map(|a| a.covered.iter().map(move |p| (*p, a.program)))
            .collect();
        let parent = |key: &str| facts.get(key).and_then(Value::as_str).and_then(ParentSituation::parse);
        let child = match (parent("father"), parent("mother")) {
            (Some(father), Some(mother)) => Some(ChildFacts {
                father,
                mother,
                in_institution: facts.get("in_institution").and_then(Value::as_bool).unwrap_or(false),
            }),
            _ => None,
        };
        let app = Application {
            program,
            household: &household,
            beneficiary: application.beneficiary,
            applied_on,
            decided_on,
            cross_region: before.cross_region != CrossRegion::None,
            current_benefits: &current,
            supporter: facts
                .get("supporter")
                .and_then(Value::as_str)
                .and_then(Supporter::parse)
                .unwrap_or(Supporter::None),
            child,
            requested_fen: facts.get("requested_fen").and_then(Value::as_i64).unwrap_or(0),
            hardship: facts.get("hardship").and_then(Value::as_str).unwrap_or("").to_string(),
        };
        let decision =
            evaluate(&app, RuleSet::builtin(), self.divisions()).map_err(|e| ServiceError::invalid(vec![e]))?;
        Ok((household, decision))
    }

    /// The decide act's effect: the decision row to store and the `assistance.decision` event.
    pub(crate) fn decision_effect(
        &self,
        pending: &PendingDecision,
        case: &Case,
        label: &str,
    ) -> (NewDecision, EventDraft) {
        let d = &pending.decision;
        // A stop (停发) is dated: it pays nothing from its first month on, ending the reviewed award.
        let (first, last) = match (pending.granted, pending.outcome) {
            (true, _) => (month_text(d.first_month), month_text(d.last_month)),
            (false, "stop") => (month_text(d.first_month), None),
            (false, _) => (None, None),
        };
        let decided_on =
            case.decision.as_ref().map(|x| shanghai_date(x.at)).unwrap_or_else(|| self.today()).to_string();
        let amount = if pending.granted { d.amount_fen } else { 0 };
        let row = NewDecision {
            case_id: case.id,
            household_id: pending.household_id,
            program: d.program.as_str().to_string(),
            county: pending.county.clone(),
            eligible: d.eligible,
            granted: pending.granted,
            payee: d.payee,
            covered: json!(d.covered).to_string(),
            amount_fen: amount,
            first_month: first.clone(),
            last_month: last.clone(),
            rule_version: d.rule_version.clone(),
            inputs: d.inputs.to_string(),
            trace: json!(d.trace).to_string(),
            reasons: json!(d.reasons).to_string(),
            authority: pending.authority.clone(),
            decided_on,
            applied_on: pending.applied_on.to_string(),
            outcome: pending.outcome.to_string(),
            recheck_of: pending.recheck_of,
        };
        let event = EventDraft::new(
            format!("case:{}", case.id),
            label,
            "assistance.decision",
            json!({"program": d.program.as_str(), "granted": pending.granted, "eligible": d.eligible,
                   "outcome": pending.outcome, "recheck_of": pending.recheck_of,
                   "amount_fen": amount, "rule_version": d.rule_version, "authority": pending.authority,
                   "first_month": first, "last_month": last, "trace": d.trace, "reasons": d.reasons}),
        )
        .in_division(case.competent.as_str());
        (row, event)
    }

    /// The decision stored for a case, for whoever may see the case.
    pub async fn assistance_decision(&self, actor: &Actor, case_id: i64) -> ServiceResult<DecisionView> {
        self.case(actor, case_id).await?;
        let row = self
            .store
            .assistance_decision(case_id)
            .await?
            .ok_or_else(|| ServiceError::new(ErrorKind::NotFound, "decision_not_found", "本件尚未作出救助决定"))?;
        Ok(decision_view(&row))
    }

    /// The payment roll of a county for a month (YYYY-MM), computed from the stored decisions;
    /// given a township's code, that township's own lines of its county's roll (the households
    /// registered there), for a reader whose grant reaches the township.
    /// IDs are masked unless the reader holds `ReadPersonFull` there; each full ID shown is a
    /// `person.read_full` event on that person's record.
    pub async fn payment_roll(&self, actor: &Actor, county: &str, month: &str) -> ServiceResult<PaymentRollView> {
        let mut p = Vec::new();
        let code = crate::assistance_roll::roll_division(self.divisions(), county, &mut p);
        let ym = YearMonth::parse(month.trim());
        if ym.is_none() {
            p.push(field("month", "invalid_month", "月份格式应为 YYYY-MM"));
        }
        let (Some((code, county_code)), Some(ym)) = (code, ym) else { return Err(ServiceError::invalid(p)) };
        self.authorize(actor, Permission::ReadPaymentRoll, &code)?;
        let full_ids = actor.may(Permission::ReadPersonFull, &code, self.divisions());
        let rows = self.store.granted_decisions_of_county(county_code.as_str()).await?;
        let mut awards: Vec<Award> = rows.iter().filter_map(award_of).collect();
        // 提标 adjustments confirmed by the county pay the new amount from the month of the raise.
        awards.extend(self.raise_awards(code.as_str()).await?);
        // Deaths recorded in a household after its decision stop payment (domain::assistance::apply_deaths).
        let mut deaths: BTreeMap<i64, NaiveDate> = BTreeMap::new();
        let mut within = std::collections::BTreeSet::new();
        let households: std::collections::BTreeSet<i64> = awards.iter().map(|a| a.household_id).collect();
        for id in households {
            let row = self.household_row(id).await?;
            if DivisionCode::parse(&row.division).is_ok_and(|d| self.divisions().is_within(&d, &code)) {
                within.insert(id);
            }
            for (valid_from, body) in &row.versions {
                for m in version_from_body(valid_from, body)?.members {
                    if let Some(d) = m.died_on {
                        deaths.insert(m.person_id, d);
                    }
                }
            }
        }
        apply_deaths(&mut awards, &deaths);
        // And every death on the persons' records, however it was recorded (death_facts.rs).
        self.apply_recorded_deaths(&mut awards).await?;
        let roll = payment_roll(&awards, ym).only_households(|h| within.contains(&h));
        let mut people: BTreeMap<i64, (String, String)> = BTreeMap::new();
        let payees: Vec<i64> = roll.lines.iter().map(|l| l.payee).chain(roll.changes.iter().map(|c| c.payee)).collect();
        for payee in payees {
            if people.contains_key(&payee) {
                continue;
            }
            let s = self.store.person_summary(payee).await?;
            people.insert(payee, (s.name, s.id_number_masked));
        }
        if full_ids {
            // Every full ID shown is a read of that person's record, recorded on the person's stream.
            for line in &roll.lines {
                let event = EventDraft::new(
                    format!("person:{}", line.payee),
                    actor.label(),
                    "person.read_full",
                    json!({"purpose": "payment_roll", "county": code.as_str(), "month": ym.to_string()}),
                )
                .in_division(code.as_str());
                let full = self.store.person_full(&self.keys, line.payee, self.now(), &event).await?;
                people.insert(line.payee, (full.summary.name, full.id_number));
            }
        }
        let name = |id: i64| people.get(&id).cloned().unwrap_or_default();
        let mut accounts = BTreeMap::new();
        for payee in roll.lines.iter().map(|l| l.payee).collect::<std::collections::BTreeSet<i64>>() {
            accounts.insert(payee, self.roll_account(payee, full_ids).await?);
        }
        Ok(PaymentRollView {
            county_name: self.divisions().full_name(&county_code).unwrap_or_else(|| county_code.to_string()),
            county: county_code.to_string(),
            division_name: self.divisions().full_name(&code).unwrap_or_else(|| code.to_string()),
            division: code.to_string(),
            month: ym.to_string(),
            lines: roll
                .lines
                .iter()
                .map(|l| {
                    let (n, id) = name(l.payee);
                    RollLineView {
                        program: l.program.as_str().to_string(),
                        program_name: l.program.name_zh().to_string(),
                        household_id: l.household_id,
                        payee: l.payee,
                        name: n,
                        id_number: id,
                        amount_fen: l.amount_fen,
                        amount_yuan: format_yuan(l.amount_fen),
                        case_id: l.case_id,
                        stop_from: l.stop_from.map(|m| m.to_string()),
                        account: accounts.get(&l.payee).cloned().flatten(),
                    }
                })
                .collect(),
            totals: roll
                .totals
                .iter()
                .map(|&(p, count, amount)| RollTotalView {
                    program: p.as_str().to_string(),
                    program_name: p.name_zh().to_string(),
                    count,
                    amount_fen: amount,
                    amount_yuan: format_yuan(amount),
                })
                .collect(),
            total_fen: roll.total_fen,
            total_yuan: format_yuan(roll.total_fen),
            changes: roll
                .changes
                .iter()
                .map(|c| RollChangeView {
                    kind: c.kind.as_str().to_string(),
                    kind_name: c.kind.name_zh().to_string(),
                    program_name: c.program.name_zh().to_string(),
                    payee: c.payee,
                    name: name(c.payee).0,
                    before_yuan: format_yuan(c.before_fen),
                    after_yuan: format_yuan(c.after_fen),
                })
                .collect(),
            excluded: roll
                .excluded
                .iter()
                .map(|x| {
                    format!(
                        "{} 已享受{}（决定 {}），{}（决定 {}）不重复发放",
                        name(x.person).0,
                        x.kept_program.name_zh(),
                        x.kept_decision_id,
                        x.program.name_zh(),
                        x.decision_id
                    )
                })
                .collect(),
            full_ids,
        })
    }
}

/// The facts behind the assistance items' named guards, evaluated before the act (the engine's
/// hook is pure): today only `disability_certificate_verified` (the 县级残联 step of
/// `disability-subsidy` v2, domain::assistance::certificate).
pub(crate) struct AssistanceGuards {
    certificate: Result<String, Refusal>,
}

/// The guard names this registry answers.
const CERTIFICATE_GUARD: &str = "disability_certificate_verified";

impl AssistanceGuards {
    /// The check behind `guard`; an unknown name refuses (never skipped silently).
    pub(crate) fn check(&self, guard: &str) -> Result<(), Refusal> {
        match guard {
            CERTIFICATE_GUARD => self.certificate.clone().map(|_| ()),
            other => Err(Refusal::new("unknown_guard", format!("未知的办理条件“{other}”"))),
        }
    }
}

impl App {
    /// For a case of an assistance item whose current step names guards: the beneficiary's
    /// certificate as recorded in the household on the act's day, checked against the subsidy
    /// applied for under the rule version in force at the household's 户籍地. None otherwise.
    pub(crate) async fn assistance_guard_facts(
        &self,
        item: &domain::catalog::ServiceItem,
        stored: &crate::case_json::Stored,
        now: chrono::DateTime<chrono::Utc>,
    ) -> ServiceResult<Option<AssistanceGuards>> {
        let case = &stored.case;
        let guarded = case.step.as_deref().and_then(|s| item.procedure.step(s)).is_some_and(|s| !s.guards.is_empty());
        if !guarded || Program::for_item(&case.item_slug).is_empty() {
            return Ok(None);
        }
        let on = shanghai_date(now);
        let Some(application) = self.store.application(case.id).await? else {
            let missing = Refusal::new(
                "assistance_application_missing",
                "请先登记本件的救助申请信息（家庭、救助项目、享受待遇的人），再审核残疾人证",
            );
            return Ok(Some(AssistanceGuards { certificate: Err(missing) }));
        };
        let program = program_of(&application.program)?;
        let household = self.load_household(application.household_id).await?;
        let member = household.as_of(on).and_then(|v| application.beneficiary.and_then(|b| v.member(b)));
        let certificate = match member {
            Some(member) => {
                let rule = RuleSet::builtin().in_force(&household.division, on, self.divisions());
                domain::assistance::certificate::check_certificate(program, member, rule, on)
            }
            None => Err(Refusal::new("beneficiary_not_member", "享受待遇的人在审核之日不是该家庭的成员")),
        };
        Ok(Some(AssistanceGuards { certificate }))
    }
}

/// Who opens a re-check case and why: the sweep (periodic, key `recheck:<case>`) or an officer on a
/// reported change (`change:<case>:<date>`, with the written reason).
pub(crate) struct ReviewOpener {
    pub(crate) label: String,
    pub(crate) account: Option<i64>,
    pub(crate) key: String,
    /// Added to the `assistance.application` event.
    pub(crate) event: Value,
    pub(crate) reason: Option<String>,
}

/// The sweep job that scans for due 低保 re-checks, once a day (`sweep_marks`).
const RECHECK_SCAN: &str = "assistance.recheck_scan";

/// The area's periodic jobs (run by the sweep, `crate::verticals::jobs`).
pub(crate) const JOBS: &[Job] = &[Job { name: RECHECK_SCAN, every: Every::Daily, vertical: Vertical::Assistance }];

/// Runs one of [`JOBS`].
pub(crate) async fn run_job(app: &App, job: &Job, now: chrono::DateTime<chrono::Utc>) -> ServiceResult<usize> {
    match job.name {
        RECHECK_SCAN => app.open_due_rechecks(now).await,
        other => Err(ServiceError::internal(format!("no job {other} in its area"))),
    }
}

/// A 低保 household due for its periodic re-check (动态管理).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecheckDue {
    pub case_id: i64,
    pub household_id: i64,
    pub payee: i64,
    pub name: String,
    pub decided_on: String,
    pub cycle: String,
    pub cycle_name: String,
    pub due: String,
}

impl App {
    /// The 低保 households of a county whose re-check is due on or before `on` (YYYY-MM-DD): per
    /// household the newest granted decision still paying, its cycle from the household as it stands
    /// on `on` (domain::assistance::recheck). The sweep opens these as re-check cases
    /// (`open_due_rechecks`); a re-check decision replaces the amount from its first month
    /// (increase, reduce) or stops it.
    pub async fn rechecks_due(&self, actor: &Actor, county: &str, on: &str) -> ServiceResult<Vec<RecheckDue>> {
        let mut p = Vec::new();
        let code = self.county_code(county, &mut p);
        let on = parse_date("on", on, &mut p);
        let (Some(code), Some(on)) = (code, on) else { return Err(ServiceError::invalid(p)) };
        self.authorize(actor, Permission::ReadPaymentRoll, &code)?;
        let rows = self.store.granted_decisions_of_county(code.as_str()).await?;
        self.due_among(&rows, on).await
    }

    /// Of `rows` (decisions setting payments), the 低保 households due for a re-check on `on`.
    async fn due_among(&self, rows: &[DecisionRow], on: NaiveDate) -> ServiceResult<Vec<RecheckDue>> {
        let mut newest: BTreeMap<i64, Award> = BTreeMap::new();
        for d in rows {
            let Some(a) = award_of(d).filter(|a| a.program == Program::MinimumLiving) else { continue };
            if newest.get(&a.household_id).is_none_or(|o| (o.decided_on, o.decision_id) < (a.decided_on, a.decision_id))
            {
                newest.insert(a.household_id, a);
            }
        }
        let mut out = Vec::new();
        let mut newest: Vec<Award> = newest.into_values().collect();
        // Payment ended by a death on record: nothing to re-check (death_facts.rs).
        self.apply_recorded_deaths(&mut newest).await?;
        // A household whose newest decision stopped payment (an award of 0), or whose payment ended,
        // is not re-checked.
        for a in newest.into_iter().filter(|a| a.amount_fen > 0 && a.last.is_none_or(|l| l >= YearMonth::of(on))) {
            let household = self.load_household(a.household_id).await?;
            let Some(version) = household.as_of(on) else { continue };
            let rules = RuleSet::builtin().in_force(&household.division, on, self.divisions());
            let (minor, elderly) =
                rules.map_or((16, 60), |r| (r.extreme_poverty.minor_age, r.extreme_poverty.elderly_age));
            let cycle = domain::assistance::recheck::recheck_cycle(version, on, minor, elderly);
            let due = domain::assistance::recheck::recheck_due(a.decided_on, cycle);
            if due <= on {
                out.push(RecheckDue {
                    case_id: a.case_id,
                    household_id: a.household_id,
                    payee: a.payee,
                    name: version.member(a.payee).map(|m| m.name.clone()).unwrap_or_default(),
                    decided_on: a.decided_on.to_string(),
                    cycle: cycle.as_str().to_string(),
                    cycle_name: cycle.name_zh().to_string(),
                    due: due.to_string(),
                });
            }
        }
        out.sort_by(|a, b| (a.due.as_str(), a.case_id).cmp(&(b.due.as_str(), b.case_id)));
        Ok(out)
    }

    /// 动态管理, run by the sweep: opens a re-check case for every 低保 household due on `now`'s
    /// date, as the system (依职权启动; 社会救助暂行办法第十三条). Idempotent: the case's idempotency
    /// key is the decision under review (`recheck:<case id>`), so a rerun — or a second server —
    /// never opens two re-checks of one household for one period; a later period has a later
    /// decision. The case and its application are two writes: a rerun completes an application a
    /// crash left out. Returns how many re-check cases were opened.
    ///
    /// Once a day ([`Every::Daily`]): the scan reads every paying 低保 decision, and what is due
    /// depends only on the date, so the sweep keeps the day it last ran (`sweep_marks`) and a
    /// later sweep the same day skips it. A re-check a failure left unopened (or a crash left
    /// without its application) is retried the next day.
    pub async fn open_due_rechecks(&self, now: chrono::DateTime<chrono::Utc>) -> ServiceResult<usize> {
        let on = shanghai_date(now);
        let rows = self.store.paying_decisions_of_program(Program::MinimumLiving.as_str()).await?;
        let mut opened = 0;
        for due in self.due_among(&rows, on).await? {
            // A review already under way (a reported change, or this period's re-check) covers it.
            if self.open_review_of(due.household_id, due.case_id).await?.is_some() {
                continue;
            }
            let opener = ReviewOpener {
                label: "system".into(),
                account: None,
                key: format!("recheck:{}", due.case_id),
                event: json!({"cycle": due.cycle, "due": due.due}),
                reason: None,
            };
            match self.open_recheck(due.case_id, &opener, now).await.map(|(_, created)| created) {
                Ok(true) => {
                    opened += 1;
                    tracing::info!(reviewed = due.case_id, household = due.household_id, "sweep: re-check opened");
                }
                Ok(false) => {}
                Err(err) if err.kind == ErrorKind::Internal => return Err(err),
                Err(err) => {
                    tracing::warn!(reviewed = due.case_id, code = err.code, "sweep: re-check not opened");
                }
            }
        }
        Ok(opened)
    }

    /// The open re-check case (periodic or on a reported change) of the decision of case
    /// `reviewed`, if one is under way: one review of a decision at a time.
    pub(crate) async fn open_review_of(&self, household_id: i64, reviewed: i64) -> ServiceResult<Option<i64>> {
        let open = self.store.open_applications_of_household(household_id).await?;
        Ok(open.into_iter().find_map(|a| {
            let facts: Value = serde_json::from_str(&a.facts).ok()?;
            (facts["recheck_of"].as_i64() == Some(reviewed)).then_some(a.case_id)
        }))
    }

    /// Opens (or completes) the re-check case of one household: the item in force today, the
    /// same applicant, accepting and competent office, situation and materials as the case under
    /// review (`reviewed`), submitted ex officio (依职权; the engine's system Submit) and recorded
    /// under `opener`; its application repeats the household, program and facts with `recheck_of`.
    /// Returns the case id and whether it was created now.
    pub(crate) async fn open_recheck(
        &self,
        reviewed: i64,
        opener: &ReviewOpener,
        now: chrono::DateTime<chrono::Utc>,
    ) -> ServiceResult<(i64, bool)> {
        let (_, stored, _) = self.load_case(reviewed).await?;
        let old = &stored.case;
        let today = shanghai_date(now);
        let item = self.catalog.in_force(&old.item_slug, today).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Invalid,
                "unknown_item",
                format!("{today} 没有施行中的事项“{}”", old.item_slug),
            )
        })?;
        let snapshot = self.store.person_summary(old.applicant).await.ok().map(|p| (p.name, p.id_number_masked));
        let open = OpenCase {
            item,
            channel: OpenChannel::System,
            applicant: OpenApplicant::OnFile { party: Party::Person(old.applicant), snapshot, on_file: None },
            // The materials on file for the household stand until the investigation finds a
            // change (the officer can still ask for more with a one-time notice).
            situation: old.situation.clone(),
            materials: old.materials.clone(),
            accepting: old.accepting.clone(),
            competent: old.competent.clone(),
            facts: json!({}),
            declared: domain::form::Facts::default(),
            receipt: None,
            opened_by: Opener::System { label: &opener.label, account: opener.account },
            key: Some(opener.key.as_str()),
            binding: None,
        };
        let Opened { id, created, .. } = self.open_case_at(&open, now).await?;
        if self.store.application(id).await?.is_some() {
            return Ok((id, created));
        }
        let application = self.store.application(reviewed).await?.ok_or_else(|| broken("reviewed application"))?;
        let mut facts: Value = serde_json::from_str(&application.facts).map_err(ServiceError::internal)?;
        facts["recheck_of"] = json!(reviewed);
        if let Some(reason) = &opener.reason {
            facts["change_reason"] = json!(reason);
        }
        let row = ApplicationRow { case_id: id, facts: facts.to_string(), created_at_ms: 0, ..application };
        let mut payload = json!({"household_id": row.household_id, "program": row.program, "recheck_of": reviewed});
        if let (Some(extra), Some(into)) = (opener.event.as_object(), payload.as_object_mut()) {
            into.extend(extra.clone());
        }
        let event = EventDraft::new(format!("case:{id}"), opener.label.as_str(), "assistance.application", payload)
            .in_division(old.competent.as_str());
        match self.store.put_application(&row, now, &event).await {
            Ok(()) | Err(store::StoreError::Conflict(_)) => Ok((id, created)),
            Err(other) => Err(other.into()),
        }
    }
}

/// A stored granted decision as the roll reads it; None for a row that does not parse.
pub(crate) fn award_of(d: &DecisionRow) -> Option<Award> {
    Some(Award {
        decision_id: d.id,
        case_id: d.case_id,
        program: Program::parse(&d.program)?,
        household_id: d.household_id,
        payee: d.payee,
        covered: serde_json::from_str(&d.covered).ok()?,
        amount_fen: d.amount_fen,
        first: YearMonth::parse(d.first_month.as_deref()?)?,
        last: d.last_month.as_deref().and_then(YearMonth::parse),
        decided_on: NaiveDate::parse_from_str(&d.decided_on, "%Y-%m-%d").ok()?,
    })
}

pub use crate::verticals::StepMissing;

impl App {
    /// What the investigation step of an assistance case needs before it can pass
    /// (domain::assistance::investigation_step, 《社会救助暂行办法》第十一条第一项): the application
    /// with its household, and for the income window of the rule in force on `on`, a line for
    /// every month (the months a grant would wait for, `check_income_complete`). Empty when the
    /// case is not at that step, or nothing is missing.
    pub(crate) async fn investigation_missing(
        &self,
        item: &domain::catalog::ServiceItem,
        case: &Case,
        on: NaiveDate,
    ) -> ServiceResult<Vec<StepMissing>> {
        if Program::for_item(&case.item_slug).is_empty() {
            return Ok(Vec::new());
        }
        let at_investigation = domain::assistance::investigation_step(&item.procedure)
            .is_some_and(|s| case.step.as_deref() == Some(s.id.as_str()));
        if !at_investigation || case.status != domain::engine::case::CaseStatus::InProgress {
            return Ok(Vec::new());
        }
        let Some(application) = self.store.application(case.id).await? else {
            return Ok(vec![StepMissing {
                what: "本件的救助申请信息（家庭、救助项目、享受待遇的人）尚未登记".into(),
                fill_at: "#assistance-application".into(),
            }]);
        };
        let fill_at = format!("/assistance/households/{}", application.household_id);
        let decision = match self.evaluate_application(case, &application, on).await {
            Ok((_, decision)) => decision,
            // The household's data cannot be evaluated as it stands: what is wrong, to fix there.
            Err(err) if err.kind == ErrorKind::Invalid => return Ok(vec![StepMissing { what: err.message, fill_at }]),
            Err(other) => return Err(other),
        };
        Ok(match crate::assistance_preview::missing_income_text(&decision) {
            None => Vec::new(),
            Some(text) => vec![StepMissing { what: format!("{text}，无收入的月份填0"), fill_at }],
        })
    }

    /// Refuses the approval of the investigation while [`App::investigation_missing`] finds
    /// something; any other act passes.
    pub(crate) async fn check_investigation(
        &self,
        item: &domain::catalog::ServiceItem,
        case: &Case,
        action: &Action,
        on: NaiveDate,
    ) -> ServiceResult<()> {
        use domain::engine::action::Verdict;
        if !matches!(action, Action::Review { verdict: Verdict::Approve, .. }) {
            return Ok(());
        }
        let missing = self.investigation_missing(item, case, on).await?;
        if missing.is_empty() {
            return Ok(());
        }
        let step = case.step.as_deref().and_then(|s| item.procedure.step(s)).map(|s| s.name.as_str()).unwrap_or("初审");
        let what: Vec<&str> = missing.iter().map(|m| m.what.as_str()).collect();
        Err(ServiceError::new(
            ErrorKind::Invalid,
            "investigation_data_missing",
            format!("“{step}”须依据登记的家庭收入和财产状况，通过前请补齐：{}", what.join("；")),
        )
        .with_basis(Some("《社会救助暂行办法》第十一条第一项".into())))
    }
}
