//! The areas' use cases, one folder each, and the one place the generic act path
//! (`cases.rs`, `sweep.rs`) asks an area for what it adds to an act: the facts its guards read
//! ([`guard_set`]), a check of the act itself ([`check_act`]), the steps the law passes over
//! ([`skip`]), what a decision writes ([`effects`]), its periodic jobs ([`jobs`]) and how the
//! store's conflicts read ([`act_error`]). Each question is one `match` over the item's area
//! (`item.vertical` in the catalog); an item without an area gets the generic answer: nothing.
//! A new [`Vertical`] makes the compiler list every question the new area must answer.

pub mod assistance;
pub mod disclosure;
pub mod elderly_care;
pub mod enforcement;
pub mod hotline;
pub mod marriage;
pub mod rule_making;
pub mod rule_of_law;
pub mod social_organization;
pub mod suggestions;

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::calendar::WorkCalendar;
use domain::catalog::ServiceItem;
use domain::engine::action::Action;
use domain::engine::case::Case;
use domain::engine::context::{ActorAt, SkipHook};
use domain::engine::refusal::Refusal;
use domain::vertical::Vertical;
use serde_json::{Map, Value};
use store::verticals::{ActConflict, ActError, Effect, EffectOutput};
use store::StoreError;

use crate::case_json::Stored;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The facts an act's guards read, loaded before the act (the engine's guard hook is pure and
/// synchronous): the area's own, or none.
pub(crate) enum GuardSet<'a> {
    /// The item's area checks no guard: the engine records its guards unchecked.
    None,
    Marriage(Box<marriage::guards::GuardFacts<'a>>),
    Assistance(assistance::AssistanceGuards),
    /// A filing's facts: no guard, what its effect writes.
    ElderlyCare(Box<elderly_care::FilingFacts>),
    SocialOrganization(Box<social_organization::SocialOrgGuards>),
}

impl GuardSet<'_> {
    /// Whether a guard hook is set for the act.
    pub(crate) fn is_active(&self) -> bool {
        !matches!(self, GuardSet::None | GuardSet::ElderlyCare(_))
    }

    /// The check behind the guard `name` on `case` (the engine's hook).
    pub(crate) fn check(&self, name: &str, case: &Case) -> Result<(), Refusal> {
        match self {
            GuardSet::None | GuardSet::ElderlyCare(_) => Ok(()),
            GuardSet::Marriage(facts) => facts.check(name, case),
            GuardSet::Assistance(guards) => guards.check(name),
            GuardSet::SocialOrganization(guards) => guards.check(name),
        }
    }
}

/// The facts behind the guards of `item`'s steps for an act by `at` on `stored` at `now`.
pub(crate) async fn guard_set<'a>(
    app: &'a App,
    item: &ServiceItem,
    stored: &Stored,
    at: &ActorAt,
    now: DateTime<Utc>,
) -> ServiceResult<GuardSet<'a>> {
    let Some(vertical) = item.vertical else { return Ok(GuardSet::None) };
    Ok(match vertical {
        Vertical::Marriage => {
            app.guard_facts(stored, at, now).await?.map_or(GuardSet::None, |facts| GuardSet::Marriage(Box::new(facts)))
        }
        Vertical::Assistance => {
            app.assistance_guard_facts(item, stored, now).await?.map_or(GuardSet::None, GuardSet::Assistance)
        }
        Vertical::ElderlyCare => {
            GuardSet::ElderlyCare(Box::new(elderly_care::FilingFacts { facts: stored.facts.clone() }))
        }
        Vertical::SocialOrganization => {
            GuardSet::SocialOrganization(Box::new(social_organization::guards(item, stored, now)))
        }
        Vertical::Funeral
        | Vertical::PlaceName
        | Vertical::Disclosure
        | Vertical::Suggestions
        | Vertical::Hotline
        | Vertical::RuleMaking
        | Vertical::Enforcement
        | Vertical::RuleOfLaw => GuardSet::None,
    })
}

/// One thing the current step of a case still needs on record, and the page where it is filled
/// in (what the case page lists, so that a step asks for what it needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepMissing {
    pub what: String,
    /// A page path (`/assistance/households/3`) or an anchor on the case page.
    pub fill_at: String,
}

impl App {
    /// What the current step still needs, for the page of a case the caller was shown
    /// (`App::case` checked the access): the area's answer.
    pub async fn step_missing(&self, view: &crate::cases::CaseView) -> ServiceResult<Vec<StepMissing>> {
        let Some(item) = self.catalog.get(&view.case.item_slug, view.case.item_version) else {
            return Ok(Vec::new());
        };
        match item.vertical {
            Some(Vertical::Assistance) => self.investigation_missing(item, &view.case, self.today()).await,
            Some(Vertical::Marriage) => self.other_party_missing(item, &view.case).await,
            Some(
                Vertical::SocialOrganization
                | Vertical::ElderlyCare
                | Vertical::Funeral
                | Vertical::PlaceName
                | Vertical::Disclosure
                | Vertical::Suggestions
                | Vertical::Hotline
                | Vertical::RuleMaking
                | Vertical::Enforcement
                | Vertical::RuleOfLaw,
            )
            | None => Ok(Vec::new()),
        }
    }
}

/// The area's check, with what it has on record, that `action` may pass the current step (the
/// household's investigation passes only on the data it rests on: 《社会救助暂行办法》第十一条).
pub(crate) async fn check_step(
    app: &App,
    item: &ServiceItem,
    case: &Case,
    action: &Action,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    match item.vertical {
        Some(Vertical::Assistance) => {
            app.check_investigation(item, case, action, domain::calendar::shanghai_date(now)).await
        }
        Some(
            Vertical::Marriage
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => Ok(()),
    }
}

/// How a decided case of `item` reads to its applicant where the area words it its own way (a
/// registration is 准予登记 / 不予登记); `None`: the generic words.
pub(crate) fn outcome_words(item: Option<&ServiceItem>, granted: bool) -> Option<&'static str> {
    match item.and_then(|i| i.vertical) {
        Some(Vertical::Marriage) => Some(if granted { "准予登记" } else { "不予登记" }),
        Some(
            Vertical::Assistance
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => None,
    }
}

/// Does `item`'s application name a second party (both spouses)? The window form asks for it.
pub fn asks_other_party(item: &ServiceItem) -> bool {
    match item.vertical {
        Some(Vertical::Marriage) => marriage::asks_other_party(item),
        Some(
            Vertical::Assistance
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => false,
    }
}

/// Is a second application of `item` for a person refused while their first is open? For the
/// items where the applicant is the matter: a marriage or a divorce registration of the same
/// person (民法典第一千零四十九条、第一千零七十六条：双方亲自到婚姻登记机关申请), the assistance a household claims through its applicant
/// (社会救助暂行办法第十一条). Not where one person files for several matters (a guardian for two
/// children, a legal representative for two organizations, one request of information after
/// another), nor in the areas that do not say so (`matches!`: a new area answers no until it
/// does).
pub(crate) fn one_open_case_per_applicant(item: &ServiceItem) -> bool {
    match item.vertical {
        Some(Vertical::Marriage) => matches!(item.slug.as_str(), "marriage-registration" | "divorce-registration"),
        Some(Vertical::Assistance) => {
            !matches!(item.slug.as_str(), "orphan-recognition" | "unsupported-child-recognition")
        }
        _ => false,
    }
}

/// The second party typed on an application (`data.other_party` by name and ID number), parsed
/// before anything is written; the case keeps the record it is matched to.
pub(crate) fn other_party(
    app: &App,
    item: &ServiceItem,
    data: &Value,
    today: chrono::NaiveDate,
    accepting: &domain::division::DivisionCode,
) -> ServiceResult<Option<domain::person::NewPerson>> {
    match item.vertical {
        Some(Vertical::Marriage) => marriage::parse_other_party(data, today, app.regions(), app.divisions(), accepting),
        Some(
            Vertical::Assistance
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
        )
        | None => Ok(None),
    }
}

/// What an area says of an act before the engine applies it.
pub(crate) enum ActCheck {
    /// The area has nothing to say of this act.
    Unchecked,
    /// Allowed; these fields are added to the act's own event (e.g. which party withdrew).
    Annotate(Map<String, Value>),
    /// Refused by one of the act's conditions: recorded as `case.guard_refused` under `guard`.
    Refused { guard: &'static str, refusal: Refusal },
}

/// The area's check of `action` itself on `case` (a divorce withdrawn by a party names which
/// one, in time: 民法典第一千零七十七条).
pub(crate) fn check_act(
    guards: &GuardSet<'_>,
    case: &Case,
    action: &Action,
    at: &ActorAt,
    calendar: &WorkCalendar,
) -> ActCheck {
    match guards {
        GuardSet::Marriage(facts) => marriage::check_act(facts, case, action, at, calendar),
        GuardSet::Assistance(_) | GuardSet::ElderlyCare(_) | GuardSet::SocialOrganization(_) | GuardSet::None => {
            ActCheck::Unchecked
        }
    }
}

/// The steps the law passes over for this case on the act's day (no 公示 for a minor), as the
/// engine's skip hook; `None`: none.
pub(crate) async fn skip(
    app: &App,
    item: &ServiceItem,
    stored: &Stored,
    now: DateTime<Utc>,
) -> ServiceResult<Option<SkipHook<'static>>> {
    let Some(vertical) = item.vertical else { return Ok(None) };
    match vertical {
        Vertical::Assistance => {
            Ok(app.publicity_passed_over(item, stored, now).await?.then_some(&assistance::publicity::skip_publicity))
        }
        Vertical::SocialOrganization => Ok(social_organization::guards(item, stored, now)
            .is_direct()
            .then_some(&social_organization::skip_sponsor_step)),
        Vertical::Marriage
        | Vertical::ElderlyCare
        | Vertical::Funeral
        | Vertical::PlaceName
        | Vertical::Disclosure
        | Vertical::Suggestions
        | Vertical::Hotline
        | Vertical::RuleMaking
        | Vertical::Enforcement
        | Vertical::RuleOfLaw => Ok(None),
    }
}

/// What an act writes besides its case, with the events that go with it.
pub(crate) enum ActEffect {
    /// A registration (marriage, divorce, reissue): its events name the certificate number the
    /// store gives it.
    Registration { case_id: i64, pending: marriage::PendingRegistration },
    /// A decision, with its event.
    Decision { row: Box<store::assistance::NewDecision>, event: EventDraft },
    /// An elderly-care institution entering the register: its event names the institution.
    ElderlyCareFiling(Box<store::verticals::elderly_care::NewFiling>),
    /// A social organization entered in, or marked 注销 in, the register.
    SocialOrganization(social_organization::SocialOrgEffect),
    /// A request's answer, recorded for the annual report.
    DisclosureAnswer(Box<store::verticals::disclosure::cases::CaseAnswer>),
}

impl ActEffect {
    /// The store's write.
    pub(crate) fn store(&self) -> Effect {
        match self {
            ActEffect::Registration { case_id, pending } => Effect::MaritalRegistration(pending.store_row(*case_id)),
            ActEffect::Decision { row, .. } => Effect::AssistanceDecision(row.clone()),
            ActEffect::ElderlyCareFiling(filing) => Effect::ElderlyCareFiling(filing.clone()),
            ActEffect::SocialOrganization(effect) => effect.store(),
            ActEffect::DisclosureAnswer(answer) => Effect::DisclosureAnswer(answer.clone()),
        }
    }

    /// The events the write adds to the act's, given what the store produced.
    pub(crate) fn events(&self, case: &Case, actor: &str, output: &EffectOutput) -> Vec<EventDraft> {
        match self {
            ActEffect::Registration { pending, .. } => {
                App::registration_events(pending, case, actor, store::marriage::certificate_number_of(output))
            }
            ActEffect::Decision { event, .. } => vec![event.clone()],
            ActEffect::ElderlyCareFiling(filing) => elderly_care::filing_events(filing, actor, output),
            ActEffect::SocialOrganization(effect) => effect.events(case, actor, output),
            ActEffect::DisclosureAnswer(answer) => disclosure::cases::answer_events(answer, actor, output),
        }
    }
}

/// What the act from `before` to `after` writes besides the case (a granted registration, an
/// assistance decision). May refuse the act (a grant the rules find ineligible).
#[allow(clippy::too_many_arguments)] // the act's inputs, passed through once to its area
pub(crate) async fn effects(
    app: &App,
    item: &ServiceItem,
    guards: &GuardSet<'_>,
    before: &Case,
    after: &Case,
    action: &Action,
    // The facts the decision stated by its outcome's own form (`Stored::decided`), for an area
    // whose outcomes declare one.
    decided: &domain::form::Facts,
    actor: &str,
) -> ServiceResult<Vec<ActEffect>> {
    let Some(vertical) = item.vertical else { return Ok(Vec::new()) };
    Ok(match (vertical, guards) {
        (Vertical::Marriage, GuardSet::Marriage(facts)) => App::pending_registration(facts, before, after)
            .map(|pending| ActEffect::Registration { case_id: after.id, pending })
            .into_iter()
            .collect(),
        (Vertical::Marriage, _) => Vec::new(),
        (Vertical::Assistance, _) => match app.pending_assistance_decision(before, after, action).await? {
            Some(pending) => {
                let (row, event) = app.decision_effect(&pending, after, actor);
                vec![ActEffect::Decision { row: Box::new(row), event }]
            }
            None => Vec::new(),
        },
        (Vertical::ElderlyCare, GuardSet::ElderlyCare(filing)) => {
            elderly_care::filing_effect(app, item, filing, before, after)?
                .map(|filing| ActEffect::ElderlyCareFiling(Box::new(filing)))
                .into_iter()
                .collect()
        }
        (Vertical::ElderlyCare, _) => Vec::new(),
        (Vertical::SocialOrganization, GuardSet::SocialOrganization(guards)) => {
            social_organization::effects(item, guards, before, after, action)
                .map_err(crate::cases::refusal_error)?
                .into_iter()
                .map(ActEffect::SocialOrganization)
                .collect()
        }
        (Vertical::Disclosure, _) => disclosure::cases::answer_effect(item, before, after, decided)
            .map(|answer| ActEffect::DisclosureAnswer(Box::new(answer)))
            .into_iter()
            .collect(),
        (
            Vertical::SocialOrganization
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw,
            _,
        ) => Vec::new(),
    })
}

/// How often a periodic job runs: at every sweep, or on the first sweep of a day (the day it
/// last ran is kept in `sweep_marks`, durable across restarts and shared by servers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Sweep,
    Daily,
}

/// A periodic job of an area, run by the sweep after the timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Its name, also its key in `sweep_marks`.
    pub name: &'static str,
    pub every: Every,
    pub vertical: Vertical,
}

/// Every area's periodic jobs, in the order the sweep runs them.
pub fn jobs() -> impl Iterator<Item = &'static Job> {
    Vertical::ALL.into_iter().flat_map(|vertical| {
        let jobs: &'static [Job] = match vertical {
            Vertical::Assistance => assistance::JOBS,
            Vertical::Marriage
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw => &[],
        };
        jobs.iter()
    })
}

/// Runs one job at `now`; returns how many cases it moved or opened.
pub(crate) async fn run_job(app: &App, job: &Job, now: DateTime<Utc>) -> ServiceResult<usize> {
    match job.vertical {
        Vertical::Assistance => assistance::run_job(app, job, now).await,
        Vertical::Marriage
        | Vertical::SocialOrganization
        | Vertical::ElderlyCare
        | Vertical::Funeral
        | Vertical::PlaceName
        | Vertical::Disclosure
        | Vertical::Suggestions
        | Vertical::Hotline
        | Vertical::RuleMaking
        | Vertical::Enforcement
        | Vertical::RuleOfLaw => Err(ServiceError::internal(format!("no job {} in its area", job.name))),
    }
}

/// The store's refusal of an act as the service's error, in one place.
pub(crate) fn act_error(err: ActError) -> ServiceError {
    match err {
        ActError::Conflict(ActConflict::Revision { status }) => crate::cases::conflict(&status),
        ActError::Conflict(ActConflict::IdempotencyKey) => {
            ServiceError::new(ErrorKind::Conflict, "idempotency_key_taken", "该幂等键刚被同一请求使用")
        }
        ActError::Conflict(ActConflict::MaritalStatusChanged) => ServiceError::new(
            ErrorKind::Conflict,
            "marital_status_changed",
            "当事人的婚姻状况刚被另一登记改变（例如另一登记机关同时办理），本次登记未写入，请重新核验",
        ),
        ActError::Conflict(ActConflict::DecisionExists) => {
            ServiceError::new(ErrorKind::Conflict, "decision_exists", "本件已作出决定，不能再次决定，请刷新后查看")
        }
        ActError::Store(StoreError::NotFound) => crate::cases::not_found(),
        ActError::Store(other) => other.into(),
    }
}

/// The indicators of the annual report (法治政府建设年度报告) an area adds for `organ`'s `year`,
/// computed as `leader` (the organ's whole jurisdiction) from the area's records; declared beside
/// the area's code (`verticals/<area>/indicators.rs`).
pub(crate) async fn indicators(
    app: &App,
    vertical: Vertical,
    leader: &domain::access::Actor,
    organ: &domain::division::DivisionCode,
    year: i32,
) -> ServiceResult<Vec<domain::annual_report::Indicator>> {
    match vertical {
        Vertical::Marriage => marriage::indicators::indicators(app, leader, organ, year).await,
        Vertical::Assistance => assistance::indicators::indicators(app, leader, organ, year).await,
        Vertical::SocialOrganization => social_organization::indicators::indicators(app, leader, year).await,
        Vertical::Suggestions => suggestions::indicators::indicators(app, leader, year).await,
        Vertical::Enforcement => enforcement::indicators::indicators(app, leader, organ, year).await,
        Vertical::RuleOfLaw => rule_of_law::indicators::indicators(app, leader, year).await,
        Vertical::Hotline => hotline::indicators::indicators(app, leader, year).await,
        Vertical::ElderlyCare
        | Vertical::Funeral
        | Vertical::PlaceName
        | Vertical::Disclosure
        | Vertical::RuleMaking => Ok(Vec::new()),
    }
}

/// What an area publishes of its own motion, for the bureau's 政务公开 and 法治政府建设 columns
/// (`crate::openness`), read from its records (public: an area gives only what it may show).
pub(crate) async fn open_entries(app: &App, vertical: Vertical) -> ServiceResult<Vec<crate::openness::OpenEntry>> {
    match vertical {
        Vertical::RuleMaking => rule_making::openness::open_entries(app).await,
        Vertical::Enforcement => enforcement::openness::open_entries(app).await,
        Vertical::SocialOrganization => social_organization::openness::open_entries(app).await,
        Vertical::ElderlyCare => elderly_care::openness::open_entries(app).await,
        Vertical::Suggestions => suggestions::openness::open_entries(app).await,
        Vertical::RuleOfLaw => rule_of_law::openness::open_entries(app).await,
        Vertical::Marriage
        | Vertical::Assistance
        | Vertical::Funeral
        | Vertical::PlaceName
        | Vertical::Disclosure
        | Vertical::Hotline => Ok(Vec::new()),
    }
}
