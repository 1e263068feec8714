//! Cases (办件): submitted at a window or online, acted on through the one engine
//! (`domain::engine::apply`), each act committed with its events in one transaction under an
//! optimistic revision (docs/designs/engine.md, "Storage").
//!
//! Who sees a case: staff (every role but 办事群众 and 系统管理员) holding a grant that reaches
//! its accepting or its competent division, and the citizen account that submitted it. What
//! they may do to it is the engine's table alone.

use std::sync::Mutex;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use domain::access::{Actor, Permission, Role};
use domain::applicant::ApplicantKind;
use domain::applicant::OrganizationApplicant;
use domain::audit::EventDraft;
use domain::calendar::{shanghai_date, shanghai_offset, WorkCalendar};
use domain::catalog::{CompetentBy, ServiceItem};
use domain::division::{DivisionCode, Level};
use domain::engine::action::{Action, ActionKind};
use domain::engine::apply::{allowed_actions, apply, settled, Transition};
use domain::engine::authority::{acting_division, holder, Holder};
use domain::engine::case::{Case, Channel};
use domain::engine::context::{ActorAt, Delegation, EngineContext};
use domain::engine::deadline::{
    consultation_deadline, correction_timer, current_timer, deadline, step_deadline, Deadline, Warning,
};
use domain::engine::jurisdiction::competent_division;
use domain::engine::receipt::{Receipt, ReceiptChannel, ReceiptInput};
use domain::engine::refusal::Refusal;
use domain::form::{Facts, FormContext, FormValues};
use domain::organization::OrganizationInput;
use domain::person::{mask_name, NewPerson, PersonInput};
use domain::problem::FieldError;
use domain::procedure::StepKind;
use serde_json::{json, Value};
use store::cases::{CaseColumns, CaseFilter as StoreFilter, CaseRow};
use store::persons::Scope;
use store::StoreError;

use crate::case_json::{self, ApplicantOnFile, Stored};
use crate::open_case::{OpenApplicant, OpenCase, OpenChannel, Opened, Opener, Party};
use crate::persons::Elsewhere;
use crate::verticals::{self, ActCheck};
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// Who the applicant is: a person on file, or a new person registered in the same flow (an
/// applicant already on file with the same ID number is that person).
#[derive(Debug, Clone)]
pub enum ApplicantRef {
    Person(i64),
    New(PersonInput),
    /// A legal person or other organization, found by its 统一社会信用代码 or registered with
    /// the application; `phone` (the contact's) and `address` (住所) as typed.
    Organization {
        organization: OrganizationInput,
        phone: Option<String>,
        address: Option<String>,
    },
}

/// An application, as the window clerk or the citizen enters it.
#[derive(Debug, Clone)]
pub struct SubmitCase {
    /// The item's slug; the version in force today (Asia/Shanghai) applies.
    pub item: String,
    /// `window` | `online`.
    pub channel: String,
    pub applicant: ApplicantRef,
    pub accepting_division: String,
    /// The 情形, when the item has situations.
    pub situation: Option<String>,
    /// The ids of the materials handed in.
    pub materials: Vec<String>,
    /// The form: `hukou_division` (the declared 户籍地), `premises_division` (场所所在地),
    /// `facts` (the item's declared form, `[[form]]`, parsed by
    /// [`domain::form::FormSpec::parse`]), and whatever else the item's form holds.
    pub data: Value,
    /// A double click or a retried request with the same key makes one case.
    pub idempotency_key: Option<String>,
}

/// The applicant as a case shows them: masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantView {
    /// A person, or a legal person or other organization.
    pub kind: ApplicantKind,
    /// The record's id; `None` for a reader who may not read persons in the record's division
    /// (the applicant was typed in and matched to a record of another jurisdiction).
    pub person_id: Option<i64>,
    /// The organization's record, on the same terms as `person_id`.
    pub organization_id: Option<i64>,
    /// The name typed at the application differs from the record's (shown only to who may
    /// read the record).
    pub name_mismatch: bool,
    /// In full, for the notices addressed to the applicant; lists and the API show the mask.
    pub name: String,
    pub name_masked: String,
    /// A person's ID number masked; an organization's 统一社会信用代码 whole (public).
    pub id_number_masked: String,
}

impl ApplicantView {
    /// The label of `id_number_masked` on a page.
    pub fn identifier_label(&self) -> &'static str {
        match self.kind {
            ApplicantKind::Person => "身份证号",
            ApplicantKind::Organization => "统一社会信用代码",
        }
    }
}

/// A case as the caller sees it: the state, its item, both deadlines with their explanation
/// and the acts this caller may do now.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub item_name: String,
    pub step_name: Option<String>,
    pub applicant: Option<ApplicantView>,
    /// The whole matter's deadline (承诺时限, else 法定时限).
    pub deadline: Deadline,
    /// The current step's deadline (a wait step: its timer).
    pub step_deadline: Deadline,
    /// The third party's time in the case's latest consultation, for an item that declares one
    /// (`consultation` of its procedure); `None` otherwise.
    pub consultation_deadline: Option<Deadline>,
    /// The last day to correct while the correction is awaited, for an item that declares the
    /// correction's own period (`correction` of its procedure); `None` otherwise.
    pub correction_deadline: Option<Deadline>,
    /// The law of the one-time correction notice, where the item declares its own
    /// (`[procedure] correction`): the article, and the article that restarts the period from the
    /// corrected application (`receipt.correction_restarts`) if one does. `None`: the notice is
    /// the 行政许可法's (第三十二条第一款第（四）项: 补正期间不计入办理期限).
    pub correction_law: Option<(String, Option<String>)>,
    pub allowed: Vec<ActionKind>,
    /// The facts the application stated, typed.
    pub facts: Facts,
    /// The same as (label, value) rows for people, in the form's order (money as ¥, dates in
    /// Chinese, a choice's label, a person masked).
    pub fact_rows: Vec<domain::form::FactRow>,
    /// Who can move the case next, in words (the office and role at the current step, the
    /// applicant, the system at the end of a period, or why nobody can); `None` when closed.
    pub holder: Option<String>,
    /// Online, made for a close relative: who the applicant is to the account's holder.
    pub applicant_relation: Option<domain::kinship::Relation>,
    /// The outcome of the item the case ended with (`[[outcomes]]`: its label, notice text and
    /// basis): the decision's, or the item's default grant for a case granted without a decide
    /// act (a filing's receipt). `None` while undecided and for a case closed otherwise.
    pub outcome: Option<domain::catalog::OutcomeDef>,
    /// What the decision stated by its outcome's own form, as (label, value) rows in the form's
    /// order; empty when it stated nothing.
    pub decided_rows: Vec<domain::form::FactRow>,
    /// The outcomes a decision at the current step may choose, when the caller may decide and
    /// the item declares its own (the decide form offers them); empty otherwise, and then a
    /// decision is a grant or a refusal.
    pub decide_outcomes: Vec<domain::catalog::OutcomeDef>,
}

/// What a case keeps of its application form: the keys the named guards read, and the facts
/// of the item's declared form.
pub(crate) struct KeptForm {
    pub form: Value,
    pub facts: Facts,
}

impl From<Value> for KeptForm {
    /// A form with no declared facts (a case the system opens).
    fn from(form: Value) -> KeptForm {
        KeptForm { form, facts: Facts::default() }
    }
}

/// A submission's answer: the case, and whether this request made it (false on a replay).
#[derive(Debug, Clone)]
pub struct Submitted {
    pub view: CaseView,
    pub created: bool,
}

/// The filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    /// The status column: draft, submitted, awaiting_supplement, in_progress, paused, closed.
    pub state: Option<String>,
    /// green | yellow | red, of the whole matter's deadline.
    pub warning: Option<String>,
    pub item: Option<String>,
    pub division: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

const STATES: [&str; 6] = ["draft", "submitted", "awaiting_supplement", "in_progress", "paused", "closed"];

/// The least 网上办理深度 at which an item takes applications online: 3 (网上申请、网上受理;
/// 4 is 全程网办). Depths 1–2 (information, forms, appointments) still need the window. The
/// depth scale is the catalog's (docs/designs/engine.md); the threshold is this platform's
/// reading of it [unconfirmed].
pub const ONLINE_APPLICATION_DEPTH: u8 = 3;

/// How many rows a list reads at most when it must filter after reading (warnings, citizens).
const SCAN_LIMIT: i64 = 5000;

/// The roles that see cases in their jurisdiction.
pub(crate) fn is_case_staff(role: Role) -> bool {
    !matches!(role, Role::Citizen | Role::Admin)
}

/// Whether `actor` holds a case role (staff: `true`) or is a citizen (`false`); who may see no
/// case at all is refused before any lookup (by id or by idempotency key).
pub(crate) fn reaches_cases(actor: &Actor) -> ServiceResult<bool> {
    let staff = actor.grants.iter().any(|g| is_case_staff(g.role));
    if !staff && !actor.has_role(Role::Citizen) {
        return Err(ServiceError::forbidden());
    }
    Ok(staff)
}

fn refusal(r: Refusal) -> ServiceError {
    let error = ServiceError::new(ErrorKind::Invalid, r.code, r.message).with_basis(r.basis);
    match r.field {
        Some(field) => error.with_field(field),
        None => error,
    }
}

/// Who holds a case, in words for its page.
fn holder_text(holder: Holder, divisions: &domain::division::Divisions) -> Option<String> {
    match holder {
        Holder::Nobody => None,
        Holder::Applicant => Some("申请人（补正材料）".into()),
        Holder::Timer => Some("期满后由系统自动转入下一环节".into()),
        Holder::Office { division, role } => {
            let place = divisions.full_name(&division).unwrap_or_else(|| division.to_string());
            Some(format!("{place} {}", role.name_zh()))
        }
        Holder::Stuck(refusal) => Some(format!("无人可以办理：{}。请系统管理员核对受理地与承办地", refusal.message)),
    }
}

/// The engine's refusal of a submission, naming the field to change when it is a division too high
/// for a step (`check_staffed`): the accepting office, or the field the competent office follows.
fn submission_refusal(item: &ServiceItem, input: &SubmitCase, err: ServiceError) -> ServiceError {
    let field = match err.code {
        "accepting_division_level" => "accepting_division",
        "competent_division_level" => match item.competent_by {
            CompetentBy::Accepting => "accepting_division",
            CompetentBy::Premises => "data.premises_division",
            // The 户籍地 on the person's record, else the one declared (or, undeclared, the ID
            // number's region): the declared 户籍 township is what to give.
            CompetentBy::Hukou => match input.applicant {
                ApplicantRef::Person(_) if input.data.get("hukou_division").is_none_or(Value::is_null) => {
                    "applicant.person_id"
                }
                _ => "data.hukou_division",
            },
        },
        _ => return err,
    };
    err.with_field(field)
}

/// An engine or guard refusal as the service's error (422 with the code and basis).
pub(crate) fn refusal_error(r: Refusal) -> ServiceError {
    refusal(r)
}

pub(crate) fn not_found() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "case_not_found", "办件不存在")
}

/// The Chinese name of a status column value (for conflict messages).
fn status_name(status: &str) -> &'static str {
    match status {
        "draft" => "待提交",
        "submitted" => "待受理",
        "awaiting_supplement" => "待补正",
        "in_progress" => "办理中",
        "paused" => "暂停",
        "closed" => "已办结",
        _ => "已变更",
    }
}

pub(crate) fn conflict(status: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::Conflict,
        "case_conflict",
        format!("本件刚由他人办理，当前状态为“{}”，请刷新后按最新状态办理", status_name(status)),
    )
    .with_state(status)
}

fn ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The instant a wait step's timer runs out: 00:00 Asia/Shanghai of the day after its last day
/// (民法典 Art. 203: a period ends at 24:00 of its last day).
fn timer_instant(item: &ServiceItem, case: &Case, calendar: &WorkCalendar, now: DateTime<Utc>) -> Option<i64> {
    // A wait step's timer, or an acting step's window (deemed withdrawn when it runs out).
    if case.is_closed() {
        return None;
    }
    let due = current_timer(item, case, calendar, now)?.due?;
    let midnight = due.succ_opt()?.and_time(NaiveTime::MIN).and_local_timezone(shanghai_offset()).single()?;
    Some(ms(midnight.with_timezone(&Utc)))
}

/// The indexed columns of a case, with the derived due date and timer instant.
pub(crate) fn columns(
    item: &ServiceItem,
    case: &Case,
    applicant: i64,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> CaseColumns {
    CaseColumns {
        item_slug: case.item_slug.clone(),
        item_version: i64::from(case.item_version),
        status: case.status.as_str().to_string(),
        step: case.step.clone(),
        accepting_division: case.accepting.to_string(),
        competent_division: case.competent.to_string(),
        cross_region: case.cross_region.as_str().to_string(),
        channel: case.channel.as_str().to_string(),
        // 0: no person (an organization applies; `Stored::applicant_organization`).
        applicant_person_id: (applicant != 0).then_some(applicant),
        submitted_at_ms: case.submitted_at.map(ms).unwrap_or_else(|| ms(now)),
        accepted_at_ms: case.accepted_at.map(ms),
        closed_at_ms: case.closed_at.map(ms),
        due_date: deadline(item, case, calendar, now).due.map(|d| d.to_string()),
        timer_due_ms: timer_instant(item, case, calendar, now),
        pause_count: Some(case.pauses.len() as i64),
    }
}

/// The events of a transition for stream `case:{id}`, in the competent division.
pub(crate) fn drafts(
    transition: &Transition,
    case_id: i64,
    number: &str,
    actor: &str,
    competent: &str,
) -> Vec<EventDraft> {
    transition
        .events
        .iter()
        .map(|event| {
            let mut payload = event.payload.clone();
            if let Value::Object(map) = &mut payload {
                map.insert("number".into(), json!(number));
            }
            // A period that ran out is the law's doing, recorded by the system even when a
            // person's act brought it onto the record.
            let by = if event.act == ActionKind::TimerExpired.event_act() { "system" } else { actor };
            EventDraft::new(format!("case:{case_id}"), by, event.act, payload).in_division(competent)
        })
        .collect()
}

fn text_field<'a>(data: &'a Value, name: &str) -> ServiceResult<Option<&'a str>> {
    match data.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(ServiceError::new(ErrorKind::Invalid, "invalid_value", format!("表单项“{name}”应为文字"))
            .with_field(&format!("data.{name}"))),
    }
}

/// How and when the application was received (`data.receipt`: `channel`, `submitted_on`,
/// `signed_on`, `confirmed_on`), for an item whose period runs from the receipt
/// ([`domain::procedure::ReceiptRule`]); parsed by the engine's one parser
/// ([`domain::engine::receipt::Receipt::parse`]). Online, none given: received through the
/// platform and confirmed on the day it is sent (《政府信息公开条例》第三十一条第三项, the
/// platform's receipt taken as the confirmation). The engine refuses a receipt an item does not
/// take, and a missing one it needs.
fn receipt_of(item: &ServiceItem, channel: Channel, data: &Value, today: NaiveDate) -> ServiceResult<Option<Receipt>> {
    let value = match data.get("receipt") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value),
    };
    let Some(value) = value else {
        let online = (channel == Channel::Online && item.procedure.receipt.is_some()).then_some(Receipt {
            channel: ReceiptChannel::Online,
            submitted_on: today,
            signed_on: None,
            confirmed_on: Some(today),
        });
        return Ok(online);
    };
    let input: ReceiptInput = serde_json::from_value(value.clone()).map_err(|_| {
        ServiceError::new(
            ErrorKind::Invalid,
            "invalid",
            "收到申请的情况应包括申请方式（channel）、提交日期（submitted_on），及签收日期（signed_on）或确认日期（confirmed_on）",
        )
        .with_field("data.receipt")
    })?;
    let receipt = Receipt::parse(&input, today).map_err(|problems| {
        ServiceError::invalid(
            problems
                .into_iter()
                .map(|mut p| {
                    p.field = format!("data.receipt.{}", p.field);
                    p
                })
                .collect(),
        )
    })?;
    Ok(Some(receipt))
}

/// How long a process trusts its cached delegations (another process's change shows within it).
pub(crate) const DELEGATION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

impl App {
    /// The item's delegations, for the engine's context. Read through a short-lived cache
    /// (every act needs them; they change a few times a year): a change made by this process
    /// clears it at once, one made by another process (the CLI) is seen within
    /// [`DELEGATION_CACHE_TTL`].
    pub(crate) async fn delegations(&self, item: &ServiceItem) -> ServiceResult<Vec<Delegation>> {
        if let Some(cached) = self.delegation_cache.get(&item.slug) {
            return Ok(cached);
        }
        let stamp = self.delegation_cache.stamp();
        let fresh = self.read_delegations(item).await?;
        self.delegation_cache.put(stamp, &item.slug, fresh.clone());
        Ok(fresh)
    }

    async fn read_delegations(&self, item: &ServiceItem) -> ServiceResult<Vec<Delegation>> {
        let rows = self.store.delegations(&item.slug).await?;
        let mut out: Vec<Delegation> = Vec::new();
        for row in rows {
            let (Ok(level), Ok(division)) = (Level::parse(&row.to_level), DivisionCode::parse(&row.division)) else {
                tracing::warn!(delegation = row.id, "delegation row with an unknown level or division ignored");
                continue;
            };
            // One row per division; rows of one document and step are one delegation.
            match out.iter_mut().find(|d| {
                d.step == row.step
                    && d.document == row.document
                    && d.to_level == level
                    && d.from == row.valid_from
                    && d.until == row.valid_until
            }) {
                Some(existing) => existing.divisions.push(division),
                None => out.push(Delegation {
                    item: row.item_slug,
                    step: row.step,
                    to_level: level,
                    divisions: vec![division],
                    from: row.valid_from,
                    until: row.valid_until,
                    document: row.document,
                }),
            }
        }
        Ok(out)
    }

    /// The stored case, decoded, with its item version.
    pub(crate) async fn load_case(&self, id: i64) -> ServiceResult<(CaseRow, Stored, &ServiceItem)> {
        self.parse_case(self.store.case(id).await)
    }

    /// The case as [`App::load_case`] reads it, for an act: with where its event goes
    /// ([`store::cases::AppendSlot`]), so that the act commits in one round trip.
    pub(crate) async fn load_case_for_act(&self, id: i64) -> ServiceResult<(CaseRow, Stored, &ServiceItem)> {
        self.parse_case(self.store.case_for_act(id).await)
    }

    fn parse_case(&self, read: Result<CaseRow, StoreError>) -> ServiceResult<(CaseRow, Stored, &ServiceItem)> {
        let row = read.map_err(|e| match e {
            StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
        let id = row.id;
        let stored = case_json::from_json(&row.state).map_err(ServiceError::internal)?;
        let item = self
            .catalog
            .get(&stored.case.item_slug, stored.case.item_version)
            .ok_or_else(|| ServiceError::internal(format!("case {id}: item version not in the catalog")))?;
        Ok((row, stored, item))
    }

    /// The actor as the engine sees it: a citizen who submitted this case is its applicant.
    fn actor_at(actor: &Actor, stored: &Stored) -> ActorAt {
        let own = stored.submitted_by == Some(actor.account_id) && actor.has_role(Role::Citizen);
        ActorAt::account(actor, own.then_some(stored.case.applicant))
    }

    /// May `actor` see this case at all?
    pub(crate) fn may_see(&self, actor: &Actor, stored: &Stored) -> bool {
        let case = &stored.case;
        let divisions = self.divisions();
        let staff = actor.grants.iter().any(|g| {
            is_case_staff(g.role)
                && (divisions.is_within(&case.accepting, &g.division)
                    || divisions.is_within(&case.competent, &g.division))
        });
        staff || (actor.has_role(Role::Citizen) && stored.submitted_by == Some(actor.account_id))
    }

    fn check_may_see(&self, actor: &Actor, stored: &Stored) -> ServiceResult<()> {
        if self.may_see(actor, stored) {
            Ok(())
        } else {
            tracing::warn!(actor.id = actor.account_id, case = stored.case.id, "case access denied");
            Err(ServiceError::forbidden())
        }
    }

    pub(crate) async fn view(
        &self,
        actor: Option<&Actor>,
        stored: &Stored,
        item: &ServiceItem,
    ) -> ServiceResult<CaseView> {
        let delegations = match actor {
            Some(_) => self.delegations(item).await?,
            None => Vec::new(),
        };
        self.view_with(actor, stored, item, &delegations).await
    }

    /// The view, with the item's delegations already read.
    async fn view_with(
        &self,
        actor: Option<&Actor>,
        stored: &Stored,
        item: &ServiceItem,
        delegations: &[Delegation],
    ) -> ServiceResult<CaseView> {
        let now = self.now();
        let calendar = self.calendar();
        // The case as the law has it now: a period that ran out has taken effect even if the
        // sweep has not recorded it yet (the revision stays the stored one).
        let (allowed, case, holder) = {
            let ctx = EngineContext { delegations, ..EngineContext::new(self.divisions(), &calendar) };
            let allowed = match actor {
                Some(actor) => allowed_actions(item, &stored.case, &Self::actor_at(actor, stored), &ctx, now),
                None => Vec::new(),
            };
            let case = settled(item, &stored.case, &ctx, now);
            let holder = holder_text(holder(item, &case, &ctx, shanghai_date(now)), self.divisions());
            (allowed, case, holder)
        };
        let case = &case;
        // The record behind the applicant is named (its id, a name that differs from the one
        // typed) only to who may read persons in its division.
        let (record_id, name_mismatch) = match (&stored.applicant_on_file, actor) {
            (None, _) => (Some(stored.applicant_organization.unwrap_or(case.applicant)), false),
            (Some(on_file), Some(actor)) => {
                let reads = self
                    .division("division", &on_file.division)
                    .is_ok_and(|d| actor.may(Permission::ReadPerson, &d, self.divisions()));
                (
                    reads.then_some(stored.applicant_organization.unwrap_or(case.applicant)),
                    reads && on_file.name_differs,
                )
            }
            (Some(_), None) => (None, false),
        };
        let (person_id, organization_id) = match stored.applicant_organization {
            Some(_) => (None, record_id),
            None => (record_id, None),
        };
        let kind =
            if stored.applicant_organization.is_some() { ApplicantKind::Organization } else { ApplicantKind::Person };
        let snapshot = stored.applicant_snapshot.as_ref().map(|(name, id_masked)| ApplicantView {
            kind,
            person_id,
            organization_id,
            // An organization's name is public (its licence, the registers): shown whole.
            name_masked: match kind {
                ApplicantKind::Person => mask_name(name),
                ApplicantKind::Organization => name.clone(),
            },
            name: name.clone(),
            id_number_masked: id_masked.clone(),
            name_mismatch,
        });
        let applicant = match snapshot {
            Some(snapshot) => Some(snapshot),
            None if kind == ApplicantKind::Organization => None,
            None => match self.store.person_summary(case.applicant).await {
                Ok(p) => Some(ApplicantView {
                    kind,
                    person_id: person_id.map(|_| p.id),
                    organization_id: None,
                    name_masked: mask_name(&p.name),
                    name: p.name,
                    id_number_masked: p.id_number_masked,
                    name_mismatch,
                }),
                Err(StoreError::NotFound) => None,
                Err(other) => return Err(other.into()),
            },
        };
        let outcome = match (&case.decision, case.status) {
            (Some(d), _) => item.outcomes.of_decision(d.outcome.as_deref(), d.granted),
            (None, domain::engine::case::CaseStatus::Closed(domain::engine::case::Outcome::Granted)) => {
                item.outcomes.default_for(None, true)
            }
            (None, _) => None,
        };
        let decide_outcomes = match (&case.step, item.outcomes.declared && allowed.contains(&ActionKind::Decide)) {
            // At the acceptance of a 即办件 a decision is only a refusal (a grant is the acceptance).
            (Some(step), true) => {
                let on_the_spot =
                    item.procedure.step(step).is_some_and(|s| s.kind == domain::procedure::StepKind::Accept);
                item.outcomes.at_step(step).filter(|o| !(on_the_spot && o.grants)).cloned().collect()
            }
            _ => Vec::new(),
        };
        let decided_rows = outcome.map(|o| o.form.rows(&stored.decided, self.divisions())).unwrap_or_default();
        Ok(CaseView {
            outcome: outcome.cloned(),
            decided_rows,
            decide_outcomes,
            item_name: item.name.clone(),
            step_name: case.step.as_deref().and_then(|s| item.procedure.step(s)).map(|s| s.name.clone()),
            applicant,
            deadline: deadline(item, case, &calendar, now),
            step_deadline: step_deadline(item, case, &calendar, now),
            consultation_deadline: consultation_deadline(item, case, &calendar, now),
            correction_deadline: correction_timer(item, case, &calendar, now),
            correction_law: item.procedure.correction.as_ref().map(|c| {
                let restarts = item.procedure.receipt.as_ref().and_then(|r| r.correction_restarts.clone());
                (c.period.basis.clone(), restarts)
            }),
            allowed,
            facts: stored.facts.clone(),
            fact_rows: item.form.rows(&stored.facts, self.divisions()),
            holder,
            applicant_relation: stored
                .form
                .get(crate::citizens::RELATION_FIELD)
                .and_then(Value::as_str)
                .and_then(|r| domain::kinship::Relation::parse("", Some(r)).ok())
                .filter(|r| *r != domain::kinship::Relation::Oneself),
            case: case.clone(),
        })
    }

    /// 提交申请: at a window (a clerk of the accepting office) or online (a citizen, the
    /// accepting office chosen). Idempotent on `idempotency_key`.
    pub async fn submit_case(&self, actor: &Actor, input: &SubmitCase) -> ServiceResult<Submitted> {
        let key = crate::idempotency::parse_key(input.idempotency_key.as_deref())?;
        // A key is bound to this account and this request (idempotency.rs).
        let fingerprint = key.map(|_| self.submission_fingerprint(input));
        if let (Some(key), Some(fingerprint)) = (key, &fingerprint) {
            if let Some(id) = self.keyed_submission(actor, key, fingerprint).await? {
                return self.replay(actor, id).await;
            }
        }
        let now = self.now();
        let today = shanghai_date(now);
        let channel = Channel::parse(input.channel.trim()).ok_or_else(|| {
            ServiceError::new(ErrorKind::Invalid, "unknown_channel", "办理渠道须为 window（窗口）或 online（网上）")
                .with_field("channel")
        })?;
        let item = self.catalog.in_force(input.item.trim(), today).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Invalid,
                "unknown_item",
                format!("{today} 没有施行中的事项“{}”", input.item.trim()),
            )
            .with_field("item")
        })?;
        if matches!(channel, Channel::Online) && item.online_depth < ONLINE_APPLICATION_DEPTH {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "not_online_item",
                format!("“{}”不能网上申请（网上办理深度为{}级），请到窗口办理", item.name, item.online_depth),
            )
            .with_field("channel"));
        }
        let accepting = self.division("accepting_division", &input.accepting_division)?;
        let divisions = self.divisions();
        // Who may submit: at a window, its staff (a clerk, or the role that accepts the item, as
        // a township's officer for 低保: ProcedureDef::window_roles; the engine's table says the
        // same); online, a citizen.
        match channel {
            Channel::Window => {
                let roles = item.procedure.window_roles();
                if !actor.grants.iter().any(|g| roles.contains(&g.role) && divisions.is_within(&accepting, &g.division))
                {
                    tracing::warn!(actor.id = actor.account_id, "window submission outside the clerk's office");
                    return Err(ServiceError::forbidden());
                }
            }
            Channel::Online => {
                if !actor.has_role(Role::Citizen) {
                    return Err(ServiceError::new(
                        ErrorKind::Forbidden,
                        "online_citizens_only",
                        "网上申请须由办事群众本人提交；工作人员请选择窗口办理",
                    ));
                }
            }
        }
        // The facts of the item's declared form, every problem at once with the applicant's.
        let facts = self.parse_facts(item, &input.data, today);
        let prefixed = |problems: Vec<FieldError>| {
            let problems = problems
                .into_iter()
                .map(|mut p| {
                    p.field = format!("applicant.{}", p.field);
                    p
                })
                .chain(facts.as_ref().err().into_iter().flatten().cloned())
                .collect();
            ServiceError::invalid(problems)
        };
        // An organization: parsed with the form's facts, then stands where a person would.
        let new_org = match &input.applicant {
            ApplicantRef::Organization { organization, phone, address } => {
                if channel == Channel::Online {
                    return Err(crate::open_case::organization_online());
                }
                let parsed = OrganizationApplicant::parse(
                    organization,
                    phone.as_deref(),
                    address.as_deref(),
                    self.regions(),
                    divisions,
                )
                .map_err(prefixed)?;
                Some(parsed)
            }
            ApplicantRef::Person(_) | ApplicantRef::New(_) => None,
        };
        // The applicant: checked before anything is written.
        let (existing, new_person) = match &input.applicant {
            ApplicantRef::Organization { .. } => (None, None),
            ApplicantRef::Person(id) => {
                let summary = self.store.person_summary(*id).await.map_err(|e| match e {
                    StoreError::NotFound => ServiceError::new(ErrorKind::Invalid, "unknown_person", "申请人不存在")
                        .with_field("applicant.person_id"),
                    other => other.into(),
                })?;
                let division = self.division("applicant.person_id", &summary.division)?;
                self.authorize(actor, Permission::ReadPerson, &division)?;
                if let Some(on) = crate::death_facts::died_on(&summary) {
                    return Err(crate::death_facts::deceased_applicant("applicant.person_id", on));
                }
                (Some(summary), None)
            }
            ApplicantRef::New(person) => {
                let parsed = NewPerson::parse(person, today, self.regions(), divisions).map_err(prefixed)?;
                self.refuse_deceased_by_id(parsed.id.number.as_str()).await?;
                (None, Some(parsed))
            }
        };
        let mut facts = facts.map_err(ServiceError::invalid)?;
        let receipt = receipt_of(item, channel, &input.data, today)?;
        let hukou = match text_field(&input.data, "hukou_division")? {
            Some(code) => Some(self.division("data.hukou_division", code)?),
            None => match (&existing, &new_org) {
                // A person on file: the division of the record (their 户籍地).
                (Some(summary), _) => Some(self.division("applicant.person_id", &summary.division)?),
                // An organization: its 住所地.
                (None, Some(org)) => Some(org.organization.division.clone()),
                (None, None) => None,
            },
        };
        let premises = text_field(&input.data, "premises_division")?
            .map(|code| self.division("data.premises_division", code))
            .transpose()?;
        let id_region = new_person.as_ref().map(|p| p.id.number.as_str().to_string()).unwrap_or_default();
        let competent = competent_division(item, &accepting, hukou.as_ref(), &id_region, premises.as_ref(), divisions)
            .map_err(refusal)?;
        let other_party = verticals::other_party(self, item, &input.data, today, &accepting)?;
        // Who the application is for: online, the account's holder or a close relative declared
        // as such (citizens.rs); on every channel, nobody with an open case of the item.
        let applicant_on_file = match (&existing, &new_person) {
            (Some(summary), _) => Some(summary.id),
            (None, Some(person)) => self.store.person_id_by_id_number(&self.keys, person.id.number.as_str()).await?,
            (None, None) => None,
        };
        let relation = match channel {
            Channel::Online => Some(
                self.online_applicant(
                    actor,
                    text_field(&input.data, crate::citizens::RELATION_FIELD)?,
                    applicant_on_file,
                )
                .await?,
            ),
            Channel::Window => None,
        };
        if let Some(person_id) = applicant_on_file {
            self.refuse_duplicate(item, person_id).await?;
        }
        let materials: Vec<String> = input.materials.iter().map(|m| m.trim().to_string()).collect();
        let situation = input.situation.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);

        // The snapshot of the applicant the case keeps: the record read above, or (an applicant
        // typed in) what was typed, matched to a person on file by ID number the one way every
        // path does it (`App::attach_person`), after the engine decided.
        let applicant = match (existing, new_person) {
            (Some(summary), _) => OpenApplicant::OnFile {
                party: Party::Person(summary.id),
                snapshot: Some((summary.name, summary.id_number_masked)),
                on_file: Some(ApplicantOnFile { division: summary.division, name_differs: false }),
            },
            (None, Some(person)) => OpenApplicant::New(person),
            (None, None) => match new_org {
                Some(org) => OpenApplicant::NewOrganization(org),
                None => return Err(ServiceError::internal("no applicant")),
            },
        };
        let mut open = OpenCase {
            item,
            channel: if channel == Channel::Online { OpenChannel::Online } else { OpenChannel::Window },
            applicant,
            situation,
            materials,
            accepting,
            competent,
            facts: crate::guards::kept_form(&input.data),
            declared: Facts::default(),
            receipt,
            opened_by: Opener::Account(actor),
            key,
            binding: fingerprint.as_deref().map(|f| (actor.account_id, f)),
        };
        // The engine decides before anything is registered for the case, so a refused
        // submission leaves no person behind.
        self.decide_open(&open, now).await.map_err(|err| submission_refusal(item, input, err))?;
        // A person named in the facts is kept as the record, found or registered as the
        // applicant is; the case holds no ID number in clear.
        for (_, fact) in facts.pending_persons() {
            if let Some(pending) = fact.pending.take() {
                fact.person_id =
                    Some(self.attach_person(actor, &pending.0, Elsewhere::Attach, "application").await?.id);
            }
        }
        // The other party typed by name and ID number: found on file or registered, the same
        // way as the applicant; the case keeps the record's id.
        let form = match &other_party {
            Some(person) => {
                let attached = self.attach_person(actor, person, Elsewhere::Attach, "other_party").await?;
                let mut data = input.data.clone();
                data["other_party"] = json!(attached.id);
                crate::guards::kept_form(&data)
            }
            None => crate::guards::kept_form(&input.data),
        };
        // An application made for a relative keeps the relation declared (shown on the case).
        let form = match relation {
            Some(relation) if relation != domain::kinship::Relation::Oneself => {
                let mut form = match form {
                    Value::Object(map) => map,
                    _ => serde_json::Map::new(),
                };
                form.insert(crate::citizens::RELATION_FIELD.into(), json!(relation.as_str()));
                Value::Object(form)
            }
            _ => form,
        };
        open.facts = form;
        open.declared = facts;
        let Opened { id, stored, created } = match self.open_case_at(&open, now).await {
            Ok(opened) => opened,
            // Two requests with one key at once: the other one made it.
            Err(err) if err.code == "idempotency_key_taken" => {
                let id = match (key, &fingerprint) {
                    (Some(key), Some(fingerprint)) => self.keyed_submission(actor, key, fingerprint).await?,
                    _ => None,
                };
                return match id {
                    Some(id) => self.replay(actor, id).await,
                    None => Err(ServiceError::internal("idempotency conflict without a case")),
                };
            }
            Err(other) => return Err(submission_refusal(item, input, other)),
        };
        if !created {
            return self.replay(actor, id).await;
        }
        // The state just committed is the view's: no second read.
        let delegations = self.delegations(item).await?;
        Ok(Submitted { view: self.view_with(Some(actor), &stored, item, &delegations).await?, created })
    }

    /// Writes a case the engine has just submitted (`transition`), with its events, in one
    /// transaction: shared by the window/online submission and the system's ex officio opening.
    /// Returns (id, the state as committed, created); an `idempotency_key` already used is a
    /// `Conflict`.
    #[allow(clippy::too_many_arguments)] // the parts of one submission, passed through once
    pub(crate) async fn create_submitted(
        &self,
        item: &ServiceItem,
        transition: &Transition,
        (party, applicant_snapshot, applicant_on_file): (Party, Option<(String, String)>, Option<ApplicantOnFile>),
        competent: &DivisionCode,
        label: &str,
        submitted_by: Option<i64>,
        key: Option<&str>,
        binding: Option<(i64, &str)>,
        form: impl Into<KeptForm>,
        now: DateTime<Utc>,
    ) -> Result<(i64, Stored, bool), StoreError> {
        let KeptForm { form, facts } = form.into();
        let mut case = transition.case.clone();
        let (applicant, applicant_organization) = match party {
            Party::Person(id) => (id, None),
            Party::Organization(id) => (0, Some(id)),
        };
        case.applicant = applicant;
        let calendar = self.calendar();
        let cols = columns(item, &case, applicant, &calendar, now);
        let stored = Stored {
            case,
            submitted_by,
            applicant_snapshot,
            applicant_on_file,
            applicant_organization,
            form,
            facts,
            decided: Facts::default(),
        };
        let new = store::cases::NewCase {
            columns: cols,
            number_division: stored.case.accepting.as_str(),
            number_year: shanghai_date(now).year(),
            idempotency_key: key,
            idempotency_binding: binding,
        };
        // The state and events are made by the writer once it has numbered the case (owned:
        // on SQLite the writer may be another task, [`store::group_commit`]).
        let (numbering, transition, label, competent) =
            (stored.clone(), transition.clone(), label.to_string(), competent.to_string());
        let (id, number, created) = self
            .store
            .create_case(
                &new,
                now,
                move |id, number| case_json::to_json(&numbering.numbered(id, number)),
                move |id, number| drafts(&transition, id, number, &label, &competent),
            )
            .await?;
        Ok((id, stored.numbered(id, &number), created))
    }

    /// The facts of `data.facts` by the item's declared form: the one parser
    /// ([`FormSpec::parse`](domain::form::FormSpec::parse)) of the window form, the online form
    /// and the API; each problem on `facts.<field>`.
    fn parse_facts(&self, item: &ServiceItem, data: &Value, today: NaiveDate) -> Result<Facts, Vec<FieldError>> {
        let prefixed = |problems: Vec<FieldError>| {
            problems
                .into_iter()
                .map(|mut p| {
                    p.field = if p.field == "facts" { p.field } else { format!("facts.{}", p.field) };
                    p
                })
                .collect::<Vec<_>>()
        };
        let values = FormValues::from_json(data.get("facts").unwrap_or(&Value::Null)).map_err(|e| prefixed(vec![e]))?;
        let ctx = FormContext { today, regions: self.regions(), divisions: self.divisions() };
        item.form.parse(&values, &ctx).map_err(prefixed)
    }

    /// The facts a decide act states by its outcome's own form (`form` of the outcome it names):
    /// the one parser ([`FormSpec::parse`](domain::form::FormSpec::parse)) of the item's form,
    /// each problem on `data.<field>`. `None` for any other act, or an outcome the item does
    /// not declare (the engine refuses it).
    fn outcome_facts(&self, item: &ServiceItem, action: &Action, now: DateTime<Utc>) -> ServiceResult<Option<Facts>> {
        let Action::DecideOutcome { outcome, facts, .. } = action else { return Ok(None) };
        let Some(def) = item.outcomes.get(outcome.trim()) else { return Ok(None) };
        let ctx = FormContext { today: shanghai_date(now), regions: self.regions(), divisions: self.divisions() };
        def.form.parse(facts, &ctx).map(Some).map_err(|problems| {
            let problems = problems
                .into_iter()
                .map(|mut p| {
                    p.field = format!("data.{}", p.field);
                    p
                })
                .collect();
            ServiceError::invalid(problems)
        })
    }

    /// The case an idempotency key already made, if the caller may see it.
    async fn replay(&self, actor: &Actor, id: i64) -> ServiceResult<Submitted> {
        let (_, stored, item) = self.load_case(id).await?;
        if !self.may_see(actor, &stored) {
            return Err(ServiceError::new(ErrorKind::Conflict, "idempotency_key_reused", "该幂等键已被其他申请使用")
                .with_field("idempotency_key"));
        }
        Ok(Submitted { view: self.view(Some(actor), &stored, item).await?, created: false })
    }

    /// A party's person record: [`App::attach_person`] as for an application.
    pub(crate) async fn applicant_person(&self, actor: &Actor, person: &NewPerson) -> ServiceResult<i64> {
        Ok(self.attach_person(actor, person, Elsewhere::Attach, "application").await?.id)
    }

    /// One act on a case by a person, for internal callers (the demo, the desk, tests).
    /// `expected_revision`, when given, must be the case's revision now (else `case_conflict`).
    /// Clients go through [`App::act_on_case_keyed`].
    pub async fn act_on_case(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        action: &Action,
    ) -> ServiceResult<CaseView> {
        self.act_with_key(actor, id, expected_revision, None, action, None).await
    }

    /// One act as a client sends it (the API, the case page): the revision the client saw is
    /// required, and an idempotency key, when given, makes a retry of the same request answer
    /// what the first answered (the same revision) instead of acting twice. A `case_conflict`
    /// carries the case's revision now and its last act (who, what, when).
    pub async fn act_on_case_keyed(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        key: Option<&str>,
        action: &Action,
    ) -> ServiceResult<CaseView> {
        self.act_with_key(actor, id, Some(expected_revision), key, action, None).await
    }

    /// [`App::act_on_case_keyed`], the act stated to have been done on `on` (an item that dates
    /// its acts as they happened: `[procedure] dated_acts`, `domain::engine::dated`); `None`:
    /// done when entered.
    pub async fn act_on_case_dated(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        key: Option<&str>,
        action: &Action,
        on: Option<NaiveDate>,
    ) -> ServiceResult<CaseView> {
        self.act_with_key(actor, id, Some(expected_revision), key, action, on).await
    }

    async fn act_with_key(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        key: Option<&str>,
        action: &Action,
        dated: Option<NaiveDate>,
    ) -> ServiceResult<CaseView> {
        reaches_cases(actor)?;
        let key = crate::idempotency::parse_key(key)?;
        let fingerprint = key.map(|_| self.act_fingerprint(id, expected_revision, action, dated));
        if let (Some(key), Some(fingerprint)) = (key, &fingerprint) {
            if let Some(done) = self.store.act_key(key).await? {
                return self.replay_act(actor, done, fingerprint).await;
            }
        }
        let (row, stored, item) = self.case_for(actor, id, true).await?;
        if let Some(expected) = expected_revision {
            if expected != row.revision {
                return self
                    .conflict_or_replay(actor, id, key, fingerprint.as_deref(), conflict(&row.columns.status))
                    .await;
            }
        }
        let at = Self::actor_at(actor, &stored);
        let delegations = self.delegations(item).await?;
        let act_key = match (key, &fingerprint) {
            (Some(key), Some(fingerprint)) => {
                Some(store::cases::ActKey { key, account_id: actor.account_id, fingerprint })
            }
            _ => None,
        };
        // The committed state is the view's: no second read.
        let next =
            match self.commit_act(&row, &stored, item, action, &at, self.now(), dated, &delegations, act_key).await {
                Ok(next) => next,
                // The same key committed meanwhile (the request racing itself): its answer.
                Err(err) if err.code == "idempotency_key_taken" => {
                    let (Some(key), Some(fingerprint)) = (key, &fingerprint) else { return Err(err) };
                    return match self.store.act_key(key).await? {
                        Some(done) => self.replay_act(actor, done, fingerprint).await,
                        None => Err(ServiceError::internal("act key conflict without a key")),
                    };
                }
                Err(err) => return self.conflict_or_replay(actor, id, key, fingerprint.as_deref(), err).await,
            };
        self.view_with(Some(actor), &next, item, &delegations).await
    }

    /// A conflict, unless the act that moved the case was this very request (its key, committed
    /// meanwhile by a copy of it in flight): then that act's answer.
    async fn conflict_or_replay(
        &self,
        actor: &Actor,
        id: i64,
        key: Option<&str>,
        fingerprint: Option<&str>,
        err: ServiceError,
    ) -> ServiceResult<CaseView> {
        if let (Some(key), Some(fingerprint), "case_conflict") = (key, fingerprint, err.code) {
            if let Some(done) = self.store.act_key(key).await? {
                return self.replay_act(actor, done, fingerprint).await;
            }
        }
        Err(self.explain_conflict(id, err).await)
    }

    /// Applies and commits one act: the new state, its columns and its events, only if the case
    /// is still at the revision it was read at. What the item's area adds (the facts its guards
    /// read, a check of the act, the steps passed over, what a decision writes) comes from
    /// [`verticals`], asked by the item's area.
    #[allow(clippy::too_many_arguments)] // one act's inputs, passed through once
    pub(crate) async fn commit_act(
        &self,
        row: &CaseRow,
        stored: &Stored,
        item: &ServiceItem,
        action: &Action,
        at: &ActorAt,
        entered: DateTime<Utc>,
        dated: Option<NaiveDate>,
        delegations: &[Delegation],
        key: Option<store::cases::ActKey<'_>>,
    ) -> ServiceResult<Stored> {
        let calendar = self.calendar();
        // The instant the engine applies the act at: when it is entered, or on the day it was
        // done where the item dates its acts (domain::engine::dated); the record keeps `entered`.
        let now = match dated {
            Some(on) => domain::engine::dated::act_instant(item, &stored.case, on, entered).map_err(refusal)?,
            None => entered,
        };
        // The engine gets the act as given (a decision naming its outcome); the area's code the
        // act of its side (a grant or a refusal), which it knows.
        let area_action = action.of_side(&item.outcomes);
        let area_action: &Action = &area_action;
        let guards = verticals::guard_set(self, item, stored, at, now).await?;
        verticals::check_step(self, item, &stored.case, area_action, now).await?;
        let note = match verticals::check_act(&guards, &stored.case, area_action, at, &calendar) {
            ActCheck::Refused { guard, refusal: refused } => {
                self.record_guard_refusal(stored, at, action, guard, &refused, entered).await?;
                return Err(refusal(refused));
            }
            ActCheck::Annotate(note) => Some(note),
            // Only an item whose area names parties says which one withdraws.
            ActCheck::Unchecked if matches!(action, Action::Withdraw { party: Some(_), .. }) => {
                return Err(ServiceError::new(
                    ErrorKind::Invalid,
                    "party_not_applicable",
                    "本事项的申请由申请人本人撤回，无需指定当事人",
                )
                .with_field("party"))
            }
            ActCheck::Unchecked => None,
        };
        // The outcome's own form, parsed by the one parser before anything is applied.
        let stated = self.outcome_facts(item, action, now)?;
        let skip = verticals::skip(self, item, stored, now).await?;
        let refused_guard: Mutex<Option<String>> = Mutex::new(None);
        let hook = |guard: &str, case: &Case| -> Result<(), Refusal> {
            guards.check(guard, case).inspect_err(|_| {
                if let Ok(mut slot) = refused_guard.lock() {
                    *slot = Some(guard.to_string());
                }
            })
        };
        let applied = {
            let mut ctx = EngineContext { delegations, ..EngineContext::new(self.divisions(), &calendar) };
            if guards.is_active() {
                ctx.guard = Some(&hook);
            }
            ctx.skip = skip;
            apply(item, &stored.case, action, at, now, &ctx)
        };
        let mut transition = match applied {
            Ok(transition) => transition,
            Err(refused) => {
                let guard = refused_guard.lock().ok().and_then(|mut slot| slot.take());
                if let Some(guard) = guard {
                    self.record_guard_refusal(stored, at, action, &guard, &refused, entered).await?;
                }
                return Err(refusal(refused));
            }
        };
        let note = match (note, dated) {
            (note, Some(on)) => {
                let mut note = note.unwrap_or_default();
                note.insert("dated_on".into(), json!(on.to_string()));
                Some(note)
            }
            (note, None) => note,
        };
        if let Some(note) = note {
            let act = action.kind().event_act();
            for event in transition.events.iter_mut().filter(|e| e.act == act) {
                if let Value::Object(payload) = &mut event.payload {
                    payload.extend(note.clone());
                }
            }
        }
        // The decision's stated facts: kept with the case and recorded in the decide event.
        let decided = match stated.filter(|_| transition.case.decision.is_some()) {
            Some(facts) => {
                let act = action.kind().event_act();
                for event in transition.events.iter_mut().filter(|e| e.act == act) {
                    if let Value::Object(payload) = &mut event.payload {
                        payload.insert("outcome_facts".into(), serde_json::to_value(&facts).unwrap_or(Value::Null));
                    }
                }
                facts
            }
            None => stored.decided.clone(),
        };
        let case = &transition.case;
        let cols = columns(item, case, case.applicant, &calendar, entered);
        let next = Stored {
            case: case.clone(),
            submitted_by: stored.submitted_by,
            applicant_snapshot: stored.applicant_snapshot.clone(),
            applicant_on_file: stored.applicant_on_file.clone(),
            applicant_organization: stored.applicant_organization,
            form: stored.form.clone(),
            facts: stored.facts.clone(),
            decided,
        };
        let state = case_json::to_json(&next);
        let events = drafts(&transition, case.id, &case.number, &at.label, case.competent.as_str());
        let effects =
            verticals::effects(self, item, &guards, &stored.case, case, area_action, &next.decided, &at.label).await?;
        let mut writes: Vec<store::verticals::Effect> = effects.iter().map(verticals::ActEffect::store).collect();
        // A case handed to (or returned from) an office another node owns: its message, in
        // this act's transaction (crate::nodes).
        writes.extend(crate::nodes::crossing(self, item, stored, case, area_action).await?);
        let act = store::cases::CaseAct {
            id: row.id,
            expected_revision: row.revision,
            before: &row.columns,
            columns: &cols,
            state: &state,
            key,
        };
        // Owned: the act may be applied by the group commit's writer (store::group_commit).
        // (The case and the label are copied only for an act with effects, whose events need them.)
        let context = (!effects.is_empty()).then(|| (case.clone(), at.label.clone()));
        let events = move |output: &store::verticals::EffectOutput| {
            let mut all = events;
            if let Some((case, label)) = &context {
                for effect in &effects {
                    all.extend(effect.events(case, label, output));
                }
            }
            all
        };
        self.store
            .commit_act(&act, &writes, events, entered, row.append_slot.as_ref())
            .await
            .map_err(verticals::act_error)?;
        Ok(next)
    }

    /// A failed condition is an act on record (nothing else changes): the clerk sees the
    /// refusal, and the record shows it was checked and refused (`case.guard_refused`).
    async fn record_guard_refusal(
        &self,
        stored: &Stored,
        at: &ActorAt,
        action: &Action,
        guard: &str,
        refused: &Refusal,
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        let draft = EventDraft::new(
            format!("case:{}", stored.case.id),
            &at.label,
            "case.guard_refused",
            json!({
                "number": stored.case.number,
                "guard": guard,
                "act": action.kind().as_str(),
                "step": stored.case.step,
                "code": refused.code,
                "message": refused.message,
                "basis": refused.basis,
            }),
        )
        .in_division(stored.case.competent.as_str());
        self.store.record(&draft, now).await?;
        Ok(())
    }

    /// One case, with its deadlines and the acts this caller may do.
    pub async fn case(&self, actor: &Actor, id: i64) -> ServiceResult<CaseView> {
        let (_, stored, item) = self.case_for(actor, id, false).await?;
        self.view(Some(actor), &stored, item).await
    }

    /// A case read by its id for `actor`, the permission decided so that no one learns which ids
    /// exist by probing: who may see no case at all is refused before the lookup, and a caller
    /// whose only reach is their own applications (a citizen) gets the same refusal for an unknown
    /// id as for someone else's case. Staff get 404 for an unknown id and 403 for a case outside
    /// their jurisdiction (ids are one global sequence: see docs/designs/decisions.md).
    pub(crate) async fn case_for(
        &self,
        actor: &Actor,
        id: i64,
        for_act: bool,
    ) -> ServiceResult<(CaseRow, Stored, &ServiceItem)> {
        let staff = reaches_cases(actor)?;
        let read = if for_act { self.load_case_for_act(id).await } else { self.load_case(id).await };
        let (row, stored, item) = match read {
            Err(e) if e.kind == ErrorKind::NotFound && !staff => return Err(ServiceError::forbidden()),
            other => other?,
        };
        self.check_may_see(actor, &stored)?;
        Ok((row, stored, item))
    }

    /// The case's recorded events, oldest first.
    pub async fn case_events(&self, actor: &Actor, id: i64) -> ServiceResult<Vec<domain::audit::Event>> {
        self.case_for(actor, id, false).await?;
        Ok(self.store.stream_events(&format!("case:{id}")).await?)
    }

    /// The rows a caller may see, newest first, before the filters computed in memory.
    async fn visible_rows(&self, actor: &Actor, filter: &StoreFilter) -> ServiceResult<Vec<(CaseRow, Stored)>> {
        Ok(self.visible_rows_counted(actor, filter).await?.0)
    }

    /// [`App::visible_rows`] with how many rows the store answered before the filter (a batch
    /// shorter than asked is the last).
    async fn visible_rows_counted(
        &self,
        actor: &Actor,
        filter: &StoreFilter,
    ) -> ServiceResult<(Vec<(CaseRow, Stored)>, usize)> {
        let staff: Vec<String> =
            actor.grants.iter().filter(|g| is_case_staff(g.role)).map(|g| g.division.to_string()).collect();
        let citizen = actor.has_role(Role::Citizen);
        if staff.is_empty() && !citizen {
            return Err(ServiceError::forbidden());
        }
        let scope = if staff.is_empty() {
            // A citizen's own cases may lie anywhere: read wide, keep their own below.
            Scope(vec!["110000".into(), "510000".into(), "500000".into()])
        } else {
            Scope(staff)
        };
        let rows = self.store.cases(&scope, filter).await?;
        let read = rows.len();
        let mut out = Vec::new();
        for row in rows {
            let stored = case_json::from_json(&row.state).map_err(ServiceError::internal)?;
            // The prefix filter of the store is coarse; the tree is the authority.
            if self.may_see(actor, &stored) {
                out.push((row, stored));
            }
        }
        Ok((out, read))
    }

    /// The cases the caller may see, newest first, filtered.
    pub async fn cases(&self, actor: &Actor, query: &CaseQuery) -> ServiceResult<Vec<CaseView>> {
        let (limit, offset) = crate::page(query.limit, query.offset)?;
        let state = query.state.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(state) = state {
            if !STATES.contains(&state) {
                return Err(ServiceError::new(
                    ErrorKind::Invalid,
                    "unknown_state",
                    format!("状态须为以下之一：{}", STATES.join("、")),
                )
                .with_field("state"));
            }
        }
        let warning = match query.warning.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(w) => {
                Some([Warning::Green, Warning::Yellow, Warning::Red].into_iter().find(|x| x.as_str() == w).ok_or_else(
                    || {
                        ServiceError::new(ErrorKind::Invalid, "unknown_warning", "预警须为 green、yellow 或 red")
                            .with_field("warning")
                    },
                )?)
            }
        };
        let item = query.item.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(slug) = item {
            if self.catalog.versions(slug).is_empty() {
                return Err(ServiceError::new(ErrorKind::Invalid, "unknown_item", format!("事项“{slug}”不存在"))
                    .with_field("item"));
            }
        }
        let division = query
            .division
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|d| self.division("division", d))
            .transpose()?;
        // The page is counted after every filter computed here (the jurisdiction's tree, a
        // citizen's own cases, the division's tree, the warning), reading batch after batch: the
        // store's prefix filter is coarse, so a page counted in SQL could come back short.
        let in_memory = warning.is_some() || !actor.grants.iter().any(|g| is_case_staff(g.role));
        let batch = if in_memory { SCAN_LIMIT } else { limit.max(100) };
        let skip = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(0);
        let (mut out, mut skipped, mut read) = (Vec::new(), 0usize, 0i64);
        'pages: loop {
            let filter = StoreFilter {
                status: state.map(str::to_string),
                item: item.map(str::to_string),
                division: division.as_ref().map(|d| d.to_string()),
                open_only: false,
                limit: batch,
                offset: read,
            };
            let (rows, answered) = self.visible_rows_counted(actor, &filter).await?;
            read += answered as i64;
            for (_, stored) in &rows {
                if out.len() >= take {
                    break 'pages;
                }
                if let Some(division) = &division {
                    let divisions = self.divisions();
                    let case = &stored.case;
                    if !(divisions.is_within(&case.accepting, division)
                        || divisions.is_within(&case.competent, division))
                    {
                        continue;
                    }
                }
                let Some(item) = self.catalog.get(&stored.case.item_slug, stored.case.item_version) else {
                    continue;
                };
                if warning.is_none() && skipped < skip {
                    skipped += 1;
                    continue;
                }
                let view = self.view(Some(actor), stored, item).await?;
                if warning.is_some_and(|w| view.deadline.warning != w) {
                    continue;
                }
                if skipped < skip {
                    skipped += 1;
                    continue;
                }
                out.push(view);
            }
            if (answered as i64) < batch || out.len() >= take {
                break;
            }
        }
        Ok(out)
    }

    /// 待办: open cases whose current step's role the caller holds at a division its grant
    /// reaches, most urgent first (overdue, then the fewest working days left).
    pub async fn cases_awaiting(&self, actor: &Actor) -> ServiceResult<Vec<CaseView>> {
        if !actor.grants.iter().any(|g| is_case_staff(g.role)) {
            return Ok(Vec::new());
        }
        let filter = StoreFilter { open_only: true, limit: SCAN_LIMIT, ..StoreFilter::default() };
        let rows = self.visible_rows(actor, &filter).await?;
        let calendar = self.calendar();
        let today = self.today();
        let mut out = Vec::new();
        for (_, stored) in &rows {
            let case = &stored.case;
            let Some(item) = self.catalog.get(&case.item_slug, case.item_version) else {
                continue;
            };
            let Some(step) = case.step.as_deref().and_then(|s| item.procedure.step(s)) else {
                continue;
            };
            let Some(role) = step.role else {
                continue;
            };
            if step.kind == StepKind::Wait {
                continue;
            }
            let delegations = self.delegations(item).await?;
            let acting = {
                let ctx =
                    EngineContext { delegations: &delegations, ..EngineContext::new(self.divisions(), &calendar) };
                acting_division(item, case, step, &ctx, today)
            };
            let Ok((division, _)) = acting else {
                continue;
            };
            if ActorAt::account(actor, None).reaches(role, &division, self.divisions()) {
                out.push(self.view(Some(actor), stored, item).await?);
            }
        }
        let rank = |w: Warning| match w {
            Warning::Red => 0,
            Warning::Yellow => 1,
            Warning::Green => 2,
        };
        out.sort_by_key(|v| {
            let urgent = v.step_deadline.due.is_some();
            let d = if urgent { &v.step_deadline } else { &v.deadline };
            (rank(d.warning), d.due.is_none(), d.remaining_workdays, v.case.id)
        });
        Ok(out)
    }

    /// Recomputes the cached due date and timer instant of every open case (after a calendar
    /// import: due dates follow the new calendar, and 暂定 ones turn firm). Returns how many
    /// rows changed.
    pub async fn refresh_due_dates(&self) -> ServiceResult<usize> {
        let now = self.now();
        let calendar = self.calendar();
        let mut changed = 0;
        for id in self.store.open_case_ids().await? {
            let (row, stored, item) = match self.load_case(id).await {
                Ok(loaded) => loaded,
                Err(err) => {
                    tracing::error!(case = id, error = %err, "due date not recomputed: case unreadable");
                    continue;
                }
            };
            let cols = columns(item, &stored.case, stored.case.applicant, &calendar, now);
            if cols.due_date == row.columns.due_date && cols.timer_due_ms == row.columns.timer_due_ms {
                continue;
            }
            if self.store.set_case_derived(id, row.revision, cols.due_date.as_deref(), cols.timer_due_ms).await? {
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// The check code printed beside a case number on its notices: the first 8 hex digits of
    /// the keyed hash (HMAC-SM3) of the number, so the public verification page cannot be
    /// walked by guessing numbers.
    pub fn case_check_code(&self, number: &str) -> String {
        self.check_code("case_number", number)
    }

    /// The first 8 hex digits of the keyed hash of a public `number` under `field`: the one
    /// construction of every check code printed beside a number (cases, an area's requests).
    pub(crate) fn check_code(&self, field: &str, number: &str) -> String {
        self.keys.lookup_hash(field, number).chars().take(8).collect()
    }

    /// The public verification of a notice: the case behind `number` if `check` matches, else
    /// not found (a wrong code tells nothing about the number).
    pub async fn verify_case(&self, number: &str, check: &str) -> ServiceResult<CaseView> {
        let expected = self.case_check_code(number);
        let presented = check.trim().to_ascii_lowercase();
        if presented.len() != expected.len() || !presented.bytes().zip(expected.bytes()).all(|(a, b)| a == b) {
            return Err(not_found());
        }
        self.public_view(number).await
    }

    /// [`App::verify_case`] with the case's recorded events, from which the public verification
    /// page rebuilds a notice to compare its content digest with the one in the QR code.
    pub async fn verify_case_record(
        &self,
        number: &str,
        check: &str,
    ) -> ServiceResult<(CaseView, Vec<domain::audit::Event>)> {
        let view = self.verify_case(number, check).await?;
        let events = self.store.stream_events(&format!("case:{}", view.case.id)).await?;
        Ok((view, events))
    }

    /// The case behind `number` as the public sees it (no actor: no acts, no delegations), for
    /// the pages that checked the caller's right to it by a code.
    pub(crate) async fn public_view(&self, number: &str) -> ServiceResult<CaseView> {
        let row = self.store.case_by_number(number).await.map_err(|e| match e {
            StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
        let (_, stored, item) = self.load_case(row.id).await?;
        self.view(None, &stored, item).await
    }

    /// The item version a case runs under.
    pub fn case_item(&self, case: &Case) -> Option<&ServiceItem> {
        self.catalog.get(&case.item_slug, case.item_version)
    }
}

/// The instant, as a Shanghai date-time text, for notices.
pub fn shanghai_text(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai_offset()).format("%Y年%m月%d日 %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_cover_every_column_value() {
        for state in STATES {
            assert_ne!(status_name(state), "已变更", "{state}");
        }
        let err = conflict("closed");
        assert_eq!(err.code, "case_conflict");
        assert!(err.message.contains("已办结"), "{}", err.message);
        assert_eq!(err.state(), Some("closed"));
        assert_eq!(err.kind, ErrorKind::Conflict);
    }

    /// `data.receipt` through the engine's one parser: named fields on a bad one, the online
    /// default only for an item that declares the receipt, nothing for any other.
    #[test]
    fn a_receipt_is_read_from_the_data() {
        let loaded = crate::catalog::LoadedCatalog::embedded().expect("catalog");
        let plain = loaded.catalog.all().next().expect("an item").clone();
        let mut item = plain.clone();
        item.procedure.receipt =
            Some(domain::procedure::ReceiptRule { basis: "第三十一条".into(), correction_restarts: None });
        let today = NaiveDate::from_ymd_opt(2021, 9, 22).unwrap();
        let posted =
            json!({ "receipt": { "channel": "post", "submitted_on": "2021-09-15", "signed_on": "2021-09-17" } });
        let receipt = receipt_of(&item, Channel::Window, &posted, today).unwrap().unwrap();
        assert_eq!(receipt.receipt_date(), Ok(NaiveDate::from_ymd_opt(2021, 9, 17).unwrap()));
        let unsigned = json!({ "receipt": { "channel": "post", "submitted_on": "2021-09-15" } });
        let err = receipt_of(&item, Channel::Window, &unsigned, today).unwrap_err();
        assert_eq!((err.code, err.field.as_deref()), ("receipt_date_required", Some("data.receipt.signed_on")));
        let odd = json!({ "receipt": { "channel": "post", "when": "yesterday" } });
        assert_eq!(receipt_of(&item, Channel::Window, &odd, today).unwrap_err().field.as_deref(), Some("data.receipt"));
        // Online without one: received through the platform today; at the window, none (the
        // engine asks for it).
        let online = receipt_of(&item, Channel::Online, &json!({}), today).unwrap().unwrap();
        assert_eq!((online.channel, online.receipt_date()), (ReceiptChannel::Online, Ok(today)));
        assert_eq!(receipt_of(&item, Channel::Window, &json!({}), today).unwrap(), None);
        assert_eq!(receipt_of(&plain, Channel::Online, &json!({}), today).unwrap(), None);
    }

    #[test]
    fn a_status_detail_is_kept() {
        assert_eq!(
            case_json::status_parts(domain::engine::case::CaseStatus::Closed(domain::engine::case::Outcome::Granted)),
            ("closed", Some("granted"))
        );
    }
}
