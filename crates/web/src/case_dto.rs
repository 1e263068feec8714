//! The wire format of cases: requests (unknown fields refused) and responses, converted by hand
//! from the service's views. Instants are RFC 3339 in Asia/Shanghai; dates `YYYY-MM-DD`.

use axum::http::StatusCode;
use domain::applicant::ApplicantKind;
use domain::division::{DivisionCode, Divisions};
use domain::engine::action::{Action, ActionKind, DeliveryMethod, SpecialKind, Verdict};
use domain::engine::case::{Authority, CaseStatus};
use domain::engine::deadline::Deadline;
use domain::organization::OrganizationInput;
use domain::person::PersonInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use service::cases::{ApplicantRef, CaseView, SubmitCase};
use utoipa::{IntoParams, ToSchema};

use crate::dto::{timestamp, timestamp_ms};
use crate::error::AppError;

// ---------------------------------------------------------------------------------------------
// Requests

/// The applicant: `kind` (`person`, the default, or `organization`: 法人或者其他组织). A person:
/// `{"person_id"}` for a person on file, or a new person's fields (a person on file with the
/// same ID number is that person). An organization: `name`, `credit_code`, `representative`,
/// `phone` (the contact's), `address` (住所) and `division` (住所地); an organization on file
/// with the same 统一社会信用代码 is that organization.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantRequest {
    /// `person` (default) | `organization`.
    pub kind: Option<String>,
    pub person_id: Option<i64>,
    /// A person's name, or an organization's full name (名称).
    pub name: Option<String>,
    /// 18 characters (GB 11643-1999).
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The person's household division (户籍地), or an organization's 住所地: a code of the
    /// division table.
    pub division: Option<String>,
    /// An organization's 统一社会信用代码, 18 characters (GB 32100-2015).
    pub credit_code: Option<String>,
    /// An organization's 法定代表人 or 负责人.
    pub representative: Option<String>,
}

impl ApplicantRequest {
    /// The service's applicant: the one reading of the applicant's fields, for the JSON API and
    /// the window form. The kind decides which fields belong; a field of the other kind, or
    /// both a record and typed fields, is refused (400), the values themselves are parsed by the
    /// service (422, each on `applicant.<field>`).
    pub fn into_ref(self) -> Result<ApplicantRef, AppError> {
        let a = self;
        let kind = ApplicantKind::parse(a.kind.as_deref(), "applicant.kind")
            .map_err(|e| unprocessable(e.code, &e.field, e.message))?;
        match kind {
            ApplicantKind::Organization => {
                if a.person_id.is_some() || a.id_number.is_some() {
                    return Err(bad_body(
                        "applicant",
                        "法人或者其他组织以统一社会信用代码登记，不填写 person_id 或身份证号码",
                    ));
                }
                Ok(ApplicantRef::Organization {
                    organization: OrganizationInput {
                        name: a.name.unwrap_or_default(),
                        credit_code: a.credit_code.unwrap_or_default(),
                        representative: a.representative,
                        division: a.division.unwrap_or_default(),
                    },
                    phone: a.phone,
                    address: a.address,
                })
            }
            ApplicantKind::Person => {
                if a.credit_code.is_some() || a.representative.is_some() {
                    return Err(bad_body(
                        "applicant",
                        "个人申请不填写统一社会信用代码和法定代表人；法人或者其他组织申请请将 kind 设为 organization",
                    ));
                }
                let new_fields = [&a.name, &a.id_number, &a.phone, &a.address, &a.division].iter().any(|f| f.is_some());
                match (a.person_id, new_fields) {
                    (Some(id), false) => Ok(ApplicantRef::Person(id)),
                    (None, true) => Ok(ApplicantRef::New(PersonInput {
                        name: a.name.unwrap_or_default(),
                        id_number: a.id_number.unwrap_or_default(),
                        phone: a.phone,
                        address: a.address,
                        division: a.division.unwrap_or_default(),
                    })),
                    (Some(_), true) => {
                        Err(bad_body("applicant", "申请人须为已登记人员（person_id）或新人员信息，二者选一"))
                    }
                    (None, false) => Err(bad_body("applicant", "请填写申请人：person_id，或姓名、身份证号码等信息")),
                }
            }
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitCaseRequest {
    /// The item's slug, e.g. `social-group-change-registration`.
    pub item: String,
    /// `window` (a clerk at the accepting office) | `online` (a citizen).
    pub channel: String,
    pub applicant: ApplicantRequest,
    pub accepting_division: String,
    /// The 情形 (situation id), when the item has situations.
    #[serde(default)]
    pub situation: Option<String>,
    /// The ids of the materials handed in.
    #[serde(default)]
    pub materials: Vec<String>,
    /// The form: `hukou_division` (declared 户籍地; a township where the township investigates),
    /// `premises_division` (场所所在地), `other_party` (结婚、离婚: `{"name", "id_number"}`, found on
    /// file or registered like the applicant), `receipt` (an item whose period runs from the day of
    /// receipt: `{"channel": "post", "submitted_on": "2021-09-15", "signed_on": "2021-09-17",
    /// "confirmed_on": ""}`; online, received the day it is sent), …
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: Option<serde_json::Map<String, Value>>,
    /// The facts of the item's declared form (`[[form]]` in its catalog file, shown at
    /// `GET /api/v1/items/{slug}` and on the window form): by field id, e.g.
    /// `{"beds": 30, "scope": ["生活照料"], "operator": {"name": "…", "credit_code": "…",
    /// "division": "511702"}}`. Text, date (`YYYY-MM-DD`), money (yuan, at most two decimals),
    /// bool, int, division (a code), choice (its value) and list (an array) are values; a person
    /// (`name`, `id_number`, `division`) and an organization (`name`, `credit_code`,
    /// `representative`, `division`) are objects (or dotted keys, `"operator.name"`). Every bad
    /// field is refused at once (422), each on `facts.<field>` with its own code; a key the form
    /// does not declare is `unknown_fact`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub facts: Option<serde_json::Map<String, Value>>,
    /// Makes a retried submission return the same case (also accepted as the
    /// `Idempotency-Key` header).
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

fn bad_body(field: &str, message: impl Into<String>) -> AppError {
    AppError::new(StatusCode::BAD_REQUEST, "invalid_body", message).with_field(field)
}

fn unprocessable(code: &'static str, field: &str, message: impl Into<String>) -> AppError {
    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).with_field(field)
}

impl SubmitCaseRequest {
    /// The service's input; `header_key` is the `Idempotency-Key` header, if sent.
    pub fn into_input(self, header_key: Option<String>) -> Result<SubmitCase, AppError> {
        let applicant = self.applicant.into_ref()?;
        let mut data = self.data.unwrap_or_default();
        if let Some(facts) = self.facts {
            if data.contains_key("facts") {
                return Err(bad_body("facts", "表单事实请只写在 facts 中，不要同时写在 data.facts 中"));
            }
            data.insert("facts".into(), Value::Object(facts));
        }
        let data = Value::Object(data);
        let key = match (self.idempotency_key, header_key) {
            (Some(body), Some(header)) if body != header => {
                return Err(bad_body("idempotency_key", "请求体与 Idempotency-Key 请求头中的幂等键不一致"));
            }
            (body, header) => body.or(header),
        };
        Ok(SubmitCase {
            item: self.item,
            channel: self.channel,
            applicant,
            accepting_division: self.accepting_division,
            situation: self.situation,
            materials: self.materials,
            data,
            idempotency_key: key,
        })
    }
}

/// One act: `action` names it; the other fields are what that act needs (any other field is
/// refused).
///
/// | action | fields |
/// |---|---|
/// | accept, special_end, resume, produce, issue, forward, receive, return_result | — |
/// | notify_missing | `missing` (every missing material id, at once); `until` (the last day to correct, `YYYY-MM-DD`, where the item declares the correction's period: not before that period from the notice's day; absent, that period) |
/// | supplement | `materials` |
/// | refuse_acceptance | `reasons` |
/// | assign | `account` |
/// | review | `verdict` (approve, return, reject), `opinion` |
/// | special_start | `kind` (hearing, inspection, expert_review; consultation where the item declares it), `reason` |
/// | extend | `workdays`, `reason` |
/// | suspend, terminate | `reason` |
/// | withdraw | `reason`; `party` (a divorce: the person id of the party who withdraws) |
/// | decide | `grant` (true: 准予, false: 不予), or `outcome` (one of the item's declared outcomes, `decide_outcomes` of the case; its side decides); `reasons`, `basis` (a refusal's basis defaults to its outcome's); `data` (with `outcome`: the fields of that outcome's own form, as `facts` of a submission; each problem on `data.<field>`) |
/// | deliver | `method` (on_site, post, electronic), `tracking` |
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    pub action: String,
    /// The revision the caller saw (required): a case changed since answers 409
    /// `case_conflict` with the case's revision now and its last act; missing, 422
    /// `expected_revision_required`.
    #[schema(required = true)]
    pub expected_revision: Option<i64>,
    pub missing: Option<Vec<String>>,
    pub materials: Option<Vec<String>>,
    pub reasons: Option<String>,
    pub account: Option<i64>,
    pub verdict: Option<String>,
    pub opinion: Option<String>,
    pub kind: Option<String>,
    pub reason: Option<String>,
    pub workdays: Option<u32>,
    pub grant: Option<bool>,
    pub basis: Option<String>,
    pub method: Option<String>,
    pub tracking: Option<String>,
    /// withdraw: which party withdraws (a divorce in its cooling-off period: either party).
    pub party: Option<i64>,
    /// decide: the key of one of the item's declared outcomes (予以公开, 部分公开, 信息不存在…;
    /// the case's `decide_outcomes`), instead of `grant`. Absent: `grant` decides and the item's
    /// default outcome of that side is recorded.
    pub outcome: Option<String>,
    /// Any act of an item that dates its acts as they happened (`dated_acts` in its procedure):
    /// the day it was done (`YYYY-MM-DD`, not after today nor before the case's last act);
    /// absent or empty, today. Refused (`act_date_not_allowed`) on any other item.
    pub on: Option<String>,
    /// notify_missing, for an item that declares the correction's own period (`correction` in
    /// its procedure): the last day to correct (`YYYY-MM-DD`), not in the past nor earlier than
    /// the declared period from the notice's day; absent or empty, the declared period.
    pub until: Option<String>,
    /// decide with `outcome`: the fields the outcome's own form declares (`form` of the
    /// outcome in the item file), by field id, typed as a submission's `facts`.
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Map<String, Value>>,
}

fn required<T>(value: Option<T>, field: &str, what: &str) -> Result<T, AppError> {
    value.ok_or_else(|| unprocessable("missing_field", field, format!("此操作须填写{what}（{field}）")))
}

impl ActionRequest {
    /// The day the act was done (`on`), if stated.
    pub fn on(&self) -> Result<Option<chrono::NaiveDate>, AppError> {
        domain::problem::date_field("on", self.on.as_deref().unwrap_or_default(), false)
            .map_err(|e| unprocessable(e.code, &e.field, e.message))
    }

    /// The act, checked for its fields.
    pub fn to_action(&self) -> Result<Action, AppError> {
        let kind = ActionKind::parse(self.action.trim()).ok_or_else(|| {
            let names: Vec<&str> =
                ActionKind::ALL.iter().filter(|k| **k != ActionKind::Submit).map(|k| k.as_str()).collect();
            unprocessable("unknown_action", "action", format!("未知的操作，可选：{}", names.join("、")))
        })?;
        let present: Vec<&str> = [
            ("missing", self.missing.is_some()),
            ("materials", self.materials.is_some()),
            ("reasons", self.reasons.is_some()),
            ("account", self.account.is_some()),
            ("verdict", self.verdict.is_some()),
            ("opinion", self.opinion.is_some()),
            ("kind", self.kind.is_some()),
            ("reason", self.reason.is_some()),
            ("workdays", self.workdays.is_some()),
            ("grant", self.grant.is_some()),
            ("basis", self.basis.is_some()),
            ("method", self.method.is_some()),
            ("tracking", self.tracking.is_some()),
            ("outcome", self.outcome.is_some()),
            ("until", self.until.is_some()),
            ("data", self.data.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        let allowed: &[&str] = match kind {
            ActionKind::NotifyMissing => &["missing", "until"],
            ActionKind::Supplement => &["materials"],
            ActionKind::RefuseAcceptance => &["reasons"],
            ActionKind::Assign => &["account"],
            ActionKind::Review => &["verdict", "opinion"],
            ActionKind::SpecialStart => &["kind", "reason"],
            ActionKind::Extend => &["workdays", "reason"],
            ActionKind::Suspend | ActionKind::Withdraw | ActionKind::Terminate => &["reason"],
            ActionKind::Decide => &["grant", "reasons", "basis", "outcome", "data"],
            ActionKind::Deliver => &["method", "tracking"],
            _ => &[],
        };
        if let Some(extra) = present.iter().find(|name| !allowed.contains(name)) {
            return Err(unprocessable(
                "field_not_applicable",
                extra,
                format!("“{}”操作不使用字段“{extra}”", kind.name_zh()),
            ));
        }
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Ok(match kind {
            ActionKind::Submit => Action::Submit,
            ActionKind::Accept => Action::Accept,
            ActionKind::NotifyMissing => Action::NotifyMissing {
                missing: required(self.missing.clone(), "missing", "需要补正的材料")?,
                until: domain::problem::date_field("until", self.until.as_deref().unwrap_or_default(), false)
                    .map_err(|e| unprocessable(e.code, &e.field, e.message))?,
            },
            ActionKind::Supplement => {
                Action::Supplement { materials: required(self.materials.clone(), "materials", "补正的材料")? }
            }
            ActionKind::RefuseAcceptance => Action::RefuseAcceptance { reasons: text(&self.reasons) },
            ActionKind::Assign => Action::Assign { account: required(self.account, "account", "承办人账户")? },
            ActionKind::Review => {
                let verdict = required(self.verdict.as_deref(), "verdict", "审核意见类型")?;
                let verdict = Verdict::parse(verdict.trim()).ok_or_else(|| {
                    unprocessable("unknown_verdict", "verdict", "审核意见须为 approve、return 或 reject")
                })?;
                Action::Review { verdict, opinion: text(&self.opinion) }
            }
            ActionKind::SpecialStart => {
                let name = required(self.kind.as_deref(), "kind", "特别程序种类")?;
                let kind = SpecialKind::parse(name.trim()).ok_or_else(|| {
                    let names: Vec<&str> = SpecialKind::ALL.iter().map(|k| k.as_str()).collect();
                    unprocessable("unknown_special_kind", "kind", format!("特别程序须为 {} 之一", names.join("、")))
                })?;
                Action::SpecialStart { kind, reason: text(&self.reason) }
            }
            ActionKind::SpecialEnd => Action::SpecialEnd,
            ActionKind::Extend => Action::Extend {
                workdays: required(self.workdays, "workdays", "延长的工作日数")?,
                reason: text(&self.reason),
            },
            ActionKind::Suspend => Action::Suspend { reason: text(&self.reason) },
            ActionKind::Resume => Action::Resume,
            ActionKind::Decide => match self.outcome.as_deref().map(str::trim) {
                Some(outcome) => {
                    if outcome.is_empty() {
                        return Err(unprocessable("missing_field", "outcome", "请选择办理结果（outcome）"));
                    }
                    if self.grant.is_some() {
                        return Err(unprocessable(
                            "field_not_applicable",
                            "grant",
                            "已选择办理结果（outcome）时不再填写准予或不予（grant）：由办理结果决定",
                        ));
                    }
                    let data = Value::Object(self.data.clone().unwrap_or_default());
                    let facts = domain::form::FormValues::from_json(&data)
                        .map_err(|e| unprocessable(e.code, "data", e.message))?;
                    Action::DecideOutcome {
                        outcome: outcome.to_string(),
                        reasons: text(&self.reasons),
                        basis: text(&self.basis),
                        facts,
                    }
                }
                None if self.data.is_some() => {
                    return Err(unprocessable(
                        "field_not_applicable",
                        "data",
                        "办理结果的表单项（data）须与所选办理结果（outcome）一并填写",
                    ))
                }
                None => Action::Decide {
                    grant: required(self.grant, "grant", "决定（准予或不予）")?,
                    reasons: text(&self.reasons),
                    basis: text(&self.basis),
                },
            },
            ActionKind::Produce => Action::Produce,
            ActionKind::Issue => Action::Issue,
            ActionKind::Deliver => {
                let name = required(self.method.as_deref(), "method", "送达方式")?;
                let method = DeliveryMethod::parse(name.trim()).ok_or_else(|| {
                    unprocessable("unknown_delivery_method", "method", "送达方式须为 on_site、post 或 electronic")
                })?;
                Action::Deliver { method, tracking: self.tracking.clone() }
            }
            ActionKind::Withdraw => Action::Withdraw { reason: text(&self.reason), party: self.party },
            ActionKind::Terminate => Action::Terminate { reason: text(&self.reason) },
            ActionKind::Forward => Action::Forward,
            ActionKind::Receive => Action::Receive,
            ActionKind::ReturnResult => Action::ReturnResult,
            ActionKind::TimerExpired => Action::TimerExpired,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// draft | submitted | awaiting_supplement | in_progress | paused | closed
    pub state: Option<String>,
    /// green | yellow | red (the whole matter's deadline)
    pub warning: Option<String>,
    /// An item's slug.
    pub item: Option<String>,
    /// A division: cases accepted or handled in it or below it.
    pub division: Option<String>,
    /// 1..500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Responses

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicantDto {
    /// `person` | `organization` (法人或者其他组织).
    pub kind: String,
    /// The person record's id; absent for a reader who may not read persons in the record's
    /// division (an applicant typed in and found on file in another jurisdiction).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<i64>,
    /// An organization's record id, on the same terms as `person_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    /// The name typed at the application differs from the person record's; true only for a
    /// reader who may read that record.
    pub name_mismatch: bool,
    /// A person's masked, e.g. 张*; an organization's whole (public).
    pub name: String,
    /// A person's, masked, e.g. `5117**************`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// An organization's 统一社会信用代码, whole (public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineDto {
    /// The last day of the period, `YYYY-MM-DD`; null when there is none (not accepted yet).
    pub due_date: Option<String>,
    /// True when the period runs into a year whose holiday arrangement is not loaded yet: the
    /// date assumes Monday–Friday and is marked 暂定.
    pub provisional: bool,
    /// green | yellow | red
    pub warning: String,
    /// 正常 | 临期 | 超期
    pub warning_name: String,
    /// How the due date was reached, in Chinese.
    pub explanation: String,
    pub used_workdays: u32,
    /// Negative when overdue.
    pub remaining_workdays: i64,
    /// For a period of natural days (日, e.g. 公示 7 天): the natural days left after today,
    /// negative when overdue — what such a period shows; absent for a period of working days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_days: Option<i64>,
}

impl DeadlineDto {
    fn from_deadline(d: &Deadline) -> DeadlineDto {
        DeadlineDto {
            due_date: d.due.map(|d| d.to_string()),
            provisional: d.provisional,
            warning: d.warning.as_str().to_string(),
            warning_name: d.warning.name_zh().to_string(),
            explanation: d.explanation.clone(),
            used_workdays: d.used_workdays,
            remaining_workdays: d.remaining_workdays,
            remaining_days: d.remaining_days,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllowedActionDto {
    /// The `action` to POST.
    pub action: String,
    /// The button's label.
    pub name: String,
}

/// One outcome a decision may name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeChoiceDto {
    /// The `outcome` to POST with `decide`.
    pub key: String,
    pub label: String,
    /// Whether it grants (the case ends 准予) or not.
    pub grants: bool,
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionDto {
    pub granted: bool,
    /// The item's outcome recorded (`granted` / `denied` for an item declaring none).
    pub outcome: Option<String>,
    /// Its Chinese label (予以公开, 准予…).
    pub outcome_label: Option<String>,
    pub reasons: String,
    pub basis: String,
    /// `own` | `delegated`
    pub authority: String,
    /// The delegation's document, when delegated.
    pub document: Option<String>,
    pub division: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryDto {
    /// on_site | post | electronic
    pub method: String,
    pub tracking: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PauseDto {
    /// supplement | special | suspend
    pub kind: String,
    pub name: String,
    pub reason: String,
    pub start: String,
    pub end: Option<String>,
}

/// One fact of a case's application.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseFactDto {
    /// The form field's id (`facts.<field>` of the submission).
    pub field: String,
    pub label: String,
    /// The value as shown to people.
    pub text: String,
}

/// A case (办件) with its deadlines and the acts the caller may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDto {
    pub id: i64,
    /// `<accepting division>-<year>-<sequence>`, e.g. `511700-2021-000001`.
    pub number: String,
    pub item: String,
    pub item_name: String,
    pub item_version: u32,
    /// window | online
    pub channel: String,
    /// draft | submitted | awaiting_supplement | in_progress | paused | closed
    pub status: String,
    pub status_name: String,
    /// For a closed case: granted | denied | not_accepted | withdrawn | deemed_withdrawn | terminated.
    pub outcome: Option<String>,
    /// The current step's id (null once closed).
    pub step: Option<String>,
    pub step_name: Option<String>,
    pub accepting_division: String,
    pub accepting_division_name: String,
    pub competent_division: String,
    pub competent_division_name: String,
    /// none | county | prefecture | province
    pub cross_region: String,
    pub cross_region_name: String,
    pub applicant: Option<ApplicantDto>,
    pub situation: Option<String>,
    pub materials: Vec<String>,
    /// What the one-time notice asked for, until brought.
    pub missing: Vec<String>,
    pub submitted_at: Option<String>,
    pub accepted_at: Option<String>,
    pub closed_at: Option<String>,
    /// The facts the application stated (the item's `form`), in its order: the field, its
    /// label and the value as shown to people (money as ¥, dates in Chinese, a choice's label, a
    /// person masked).
    pub facts: Vec<CaseFactDto>,
    /// +1 per act: send it back as `expected_revision`.
    pub revision: u64,
    /// The whole matter's due date (承诺时限, else 法定时限).
    pub due_date: Option<String>,
    pub provisional: bool,
    pub warning: String,
    pub explanation: String,
    pub deadline: DeadlineDto,
    /// The current step's deadline (a wait step: its timer).
    pub step_deadline: DeadlineDto,
    pub allowed_actions: Vec<AllowedActionDto>,
    /// The outcomes a `decide` may name now (`outcome`), when the item declares its own.
    pub decide_outcomes: Vec<OutcomeChoiceDto>,
    pub decision: Option<DecisionDto>,
    pub delivery: Option<DeliveryDto>,
    pub pauses: Vec<PauseDto>,
    /// A divorce once received (`GET /api/v1/cases/{id}` only): the cooling-off period and the
    /// certificate window with their last days and basis (民法典第一千零七十七条、第二百零一条至第二百零三条).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divorce_windows: Option<String>,
}

fn division_name(divisions: &Divisions, code: &DivisionCode) -> String {
    divisions.full_name(code).unwrap_or_default()
}

impl CaseDto {
    pub fn from_view(view: &CaseView, divisions: &Divisions) -> CaseDto {
        let case = &view.case;
        let outcome = match case.status {
            CaseStatus::Closed(outcome) => Some(outcome.as_str().to_string()),
            _ => None,
        };
        CaseDto {
            id: case.id,
            number: case.number.clone(),
            item: case.item_slug.clone(),
            item_name: view.item_name.clone(),
            item_version: case.item_version,
            channel: case.channel.as_str().to_string(),
            status: case.status.as_str().to_string(),
            status_name: case.status.name_zh().to_string(),
            outcome,
            step: case.step.clone(),
            step_name: view.step_name.clone(),
            accepting_division: case.accepting.to_string(),
            accepting_division_name: division_name(divisions, &case.accepting),
            competent_division: case.competent.to_string(),
            competent_division_name: division_name(divisions, &case.competent),
            cross_region: case.cross_region.as_str().to_string(),
            cross_region_name: case.cross_region.name_zh().to_string(),
            applicant: view.applicant.as_ref().map(|a| {
                let organization = a.kind == ApplicantKind::Organization;
                ApplicantDto {
                    kind: a.kind.as_str().to_string(),
                    person_id: a.person_id,
                    organization_id: a.organization_id,
                    name_mismatch: a.name_mismatch,
                    name: a.name_masked.clone(),
                    id_number: (!organization).then(|| a.id_number_masked.clone()),
                    credit_code: organization.then(|| a.id_number_masked.clone()),
                }
            }),
            situation: case.situation.clone(),
            materials: case.materials.clone(),
            missing: case.missing.clone(),
            submitted_at: case.submitted_at.map(timestamp),
            accepted_at: case.accepted_at.map(timestamp),
            closed_at: case.closed_at.map(timestamp),
            facts: view
                .fact_rows
                .iter()
                .map(|r| CaseFactDto { field: r.field.clone(), label: r.label.clone(), text: r.text.clone() })
                .collect(),
            revision: case.revision,
            due_date: view.deadline.due.map(|d| d.to_string()),
            provisional: view.deadline.provisional,
            warning: view.deadline.warning.as_str().to_string(),
            explanation: view.deadline.explanation.clone(),
            deadline: DeadlineDto::from_deadline(&view.deadline),
            step_deadline: DeadlineDto::from_deadline(&view.step_deadline),
            allowed_actions: view
                .allowed
                .iter()
                .map(|k| AllowedActionDto { action: k.as_str().to_string(), name: k.name_zh().to_string() })
                .collect(),
            decide_outcomes: view
                .decide_outcomes
                .iter()
                .map(|o| OutcomeChoiceDto {
                    key: o.key.clone(),
                    label: o.label.clone(),
                    grants: o.grants,
                    basis: o.basis.clone(),
                })
                .collect(),
            decision: case.decision.as_ref().map(|d| DecisionDto {
                granted: d.granted,
                outcome: view.outcome.as_ref().map(|o| o.key.clone()),
                outcome_label: view.outcome.as_ref().map(|o| o.label.clone()),
                reasons: d.reasons.clone(),
                basis: d.basis.clone(),
                authority: match d.authority {
                    Authority::Own => "own".to_string(),
                    Authority::Delegated { .. } => "delegated".to_string(),
                },
                document: match &d.authority {
                    Authority::Own => None,
                    Authority::Delegated { document } => Some(document.clone()),
                },
                division: d.division.to_string(),
                at: timestamp(d.at),
            }),
            delivery: case.delivery.as_ref().map(|d| DeliveryDto {
                method: d.method.as_str().to_string(),
                tracking: d.tracking.clone(),
                at: timestamp(d.at),
            }),
            pauses: case
                .pauses
                .iter()
                .map(|p| PauseDto {
                    kind: p.kind.as_str().to_string(),
                    name: p.name_zh().to_string(),
                    reason: p.reason.clone(),
                    start: timestamp(p.start),
                    end: p.end.map(timestamp),
                })
                .collect(),
            divorce_windows: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseListDto {
    pub items: Vec<CaseDto>,
    pub limit: i64,
    pub offset: i64,
}

/// One recorded event of a case (its stream `case:{id}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseEventDto {
    /// The global sequence number in the full-process record.
    pub seq: i64,
    pub stream_seq: i64,
    pub at: String,
    /// `account:3:zhangsan`, or `system` for the sweep.
    pub actor: String,
    /// The machine name, e.g. `case.accept`.
    pub act: String,
    /// The act's Chinese label, e.g. 受理 (what a page shows; never the machine name).
    pub label: String,
    pub division: Option<String>,
    #[schema(value_type = Object)]
    pub payload: Value,
    /// The event's hash in the chain (hex).
    pub hash: String,
}

impl CaseEventDto {
    pub fn from_event(event: &domain::audit::Event) -> CaseEventDto {
        CaseEventDto {
            seq: event.seq,
            stream_seq: event.stream_seq,
            at: timestamp_ms(event.at_ms),
            actor: event.actor.clone(),
            act: event.act.clone(),
            label: domain::event_label::event_label(&event.act).to_string(),
            division: event.division.clone(),
            payload: serde_json::from_str(&event.payload).unwrap_or(Value::Null),
            hash: hex::encode(event.hash),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseEventListDto {
    pub items: Vec<CaseEventDto>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The act's body as a client sends it: with the revision it saw (required on every act).
    fn request(body: &str) -> ActionRequest {
        let mut value: serde_json::Value = serde_json::from_str(body).expect("json");
        value["expected_revision"] = 1.into();
        crate::extract::parse_json(value.to_string().as_bytes()).expect("shape")
    }

    #[test]
    fn actions_parse_with_their_fields_only() {
        assert_eq!(request(r#"{"action":"accept"}"#).to_action().expect("accept"), Action::Accept);
        let review = request(r#"{"action":"review","verdict":"return","opinion":"补充说明"}"#);
        assert_eq!(
            review.to_action().expect("review"),
            Action::Review { verdict: Verdict::Return, opinion: "补充说明".into() }
        );
        let cases = [
            (r#"{"action":"approve"}"#, "unknown_action"),
            (r#"{"action":"review"}"#, "missing_field"),
            (r#"{"action":"review","verdict":"maybe"}"#, "unknown_verdict"),
            (r#"{"action":"accept","reasons":"x"}"#, "field_not_applicable"),
            (r#"{"action":"deliver","method":"pigeon"}"#, "unknown_delivery_method"),
            (r#"{"action":"special_start","kind":"x","reason":"y"}"#, "unknown_special_kind"),
            (r#"{"action":"decide"}"#, "missing_field"),
        ];
        for (body, code) in cases {
            let err = request(body).to_action().expect_err(body);
            assert_eq!((err.status.as_u16(), err.code), (422, code), "{body}");
        }
    }
}
