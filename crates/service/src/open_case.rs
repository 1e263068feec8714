//! One way a case comes to be: [`App::open_case`]. An application at a window or online, a case
//! staff open of their own motion (立案) and one the system opens ex officio (a periodic
//! review) all go through it: the engine's `Submit` on a draft (decided before anything is
//! written), the applicant found or registered, then the case with its events in one
//! transaction ([`App::create_submitted`]).

use chrono::{DateTime, Utc};
use domain::access::Actor;
use domain::applicant::OrganizationApplicant;
use domain::catalog::ServiceItem;
use domain::division::DivisionCode;
use domain::engine::action::Action;
use domain::engine::apply::{apply, Transition};
use domain::engine::case::{Case, Channel, NewCase};
use domain::engine::context::{ActorAt, EngineContext};
use domain::engine::refusal::Refusal;
use domain::person::NewPerson;
use serde_json::Value;
use store::StoreError;

pub use crate::case_json::ApplicantOnFile;
use crate::case_json::Stored;
use crate::persons::Elsewhere;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// How a case is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenChannel {
    /// On an application handed in at the window, entered by a clerk of the accepting office.
    Window,
    /// On an application the citizen sends online.
    Online,
    /// By staff of their own motion (立案), a clerk of the accepting office: a window case with
    /// no application behind it.
    Staff,
    /// By the system ex officio, where the law orders the administration to act of its own
    /// motion (the engine's table: `domain::engine::table`, 依职权启动).
    System,
}

impl OpenChannel {
    /// The channel the engine records.
    fn engine(self) -> Channel {
        match self {
            OpenChannel::Online => Channel::Online,
            OpenChannel::Window | OpenChannel::Staff | OpenChannel::System => Channel::Window,
        }
    }
}

/// Who a case is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// A person on record (`persons.id`).
    Person(i64),
    /// An organization on record (`organizations.id`, one per 统一社会信用代码).
    Organization(i64),
}

/// The applicant of a case being opened.
#[derive(Debug, Clone)]
pub enum OpenApplicant {
    /// A party on record, with what the case keeps of them: (name, masked ID number; an
    /// organization's name and 统一社会信用代码) and the record's division when it was on file
    /// before the application.
    OnFile { party: Party, snapshot: Option<(String, String)>, on_file: Option<ApplicantOnFile> },
    /// A person typed in, matched to a record by ID number or registered with the case.
    New(NewPerson),
    /// An organization typed in, matched to a record by its 统一社会信用代码 or registered with
    /// the case.
    NewOrganization(OrganizationApplicant),
}

impl OpenApplicant {
    /// Is the applicant an organization?
    fn is_organization(&self) -> bool {
        matches!(self, OpenApplicant::NewOrganization(_) | OpenApplicant::OnFile { party: Party::Organization(_), .. })
    }
}

/// Who opens the case.
#[derive(Debug, Clone, Copy)]
pub enum Opener<'a> {
    /// A signed-in account (window, online, staff).
    Account(&'a Actor),
    /// The system; `label` and `account` record on whose report, if an officer's.
    System { label: &'a str, account: Option<i64> },
}

/// A case to open.
#[derive(Debug, Clone)]
pub struct OpenCase<'a> {
    pub item: &'a ServiceItem,
    pub channel: OpenChannel,
    pub applicant: OpenApplicant,
    pub situation: Option<String>,
    pub materials: Vec<String>,
    pub accepting: DivisionCode,
    pub competent: DivisionCode,
    /// The application form's keys the case keeps for its area's guards (`Stored::form`).
    pub facts: Value,
    /// The facts of the item's declared form (`[[form]]`), parsed (`Stored::facts`).
    pub declared: domain::form::Facts,
    /// How and when the application was received, for an item whose period runs from the
    /// receipt (`[procedure.receipt]`); `None` for every other.
    pub receipt: Option<domain::engine::receipt::Receipt>,
    pub opened_by: Opener<'a>,
    /// A retry with the same key opens nothing new.
    pub key: Option<&'a str>,
    /// What the key is bound to: the account and the keyed hash of its request.
    pub binding: Option<(i64, &'a str)>,
}

/// An opened case: its id, its state as committed, and whether this call made it (false: the
/// key had made it already).
#[derive(Debug, Clone)]
pub struct Opened {
    pub id: i64,
    pub(crate) stored: Stored,
    pub created: bool,
}

impl Opened {
    /// The case as committed.
    pub fn case(&self) -> &Case {
        &self.stored.case
    }
}

impl App {
    /// Opens a case (see the module): refused before anything is written when the engine
    /// refuses the submission (who may open it, the item's rules); an idempotency key taken by
    /// a request racing this one is `idempotency_key_taken`.
    pub async fn open_case(&self, open: &OpenCase<'_>) -> ServiceResult<Opened> {
        self.open_case_at(open, self.now()).await
    }

    /// The engine's `Submit` on a draft of `open` at `now`, deciding whether it may be opened:
    /// who opens it, the applicant's id (0 for a person not registered yet) and the transition.
    /// Reads only; a caller that registers anything for the case (a second party, a person named
    /// in its facts) asks this first, so a refused case writes nothing.
    pub(crate) async fn decide_open<'a>(
        &self,
        open: &OpenCase<'a>,
        now: DateTime<Utc>,
    ) -> ServiceResult<(Option<&'a Actor>, i64, Transition)> {
        let (actor, at) = match (open.opened_by, open.channel) {
            (Opener::System { .. }, OpenChannel::System) => (None, ActorAt::system()),
            (Opener::Account(actor), OpenChannel::Window | OpenChannel::Online | OpenChannel::Staff) => {
                (Some(actor), ActorAt::account(actor, None))
            }
            _ => {
                return Err(ServiceError::new(
                    ErrorKind::Invalid,
                    "opener_channel_mismatch",
                    "系统依职权启动的办件须由系统办理，其他办件须由登录的账号办理",
                )
                .with_field("channel"))
            }
        };
        // Who may apply: an item whose law makes the applicant a natural person refuses an
        // organization (`ServiceItem::applicants`).
        if let Some(law) = open.item.applicants.person_only().filter(|_| open.applicant.is_organization()) {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "person_applicant_only",
                format!("“{}”的申请人须为个人，不能是法人或者其他组织（{law}）", open.item.name),
            )
            .with_field("applicant.kind"));
        }
        if open.applicant.is_organization() && open.channel == OpenChannel::Online {
            return Err(organization_online());
        }
        // The engine's case names a person; an organization (or a person not registered yet)
        // stands as 0, the case keeping the organization beside it (`Stored`).
        let placeholder = match &open.applicant {
            OpenApplicant::OnFile { party: Party::Person(id), .. } => *id,
            OpenApplicant::OnFile { party: Party::Organization(_), .. }
            | OpenApplicant::New(_)
            | OpenApplicant::NewOrganization(_) => 0,
        };
        let transition = {
            let calendar = self.calendar();
            let delegations = self.delegations(open.item).await?;
            let ctx = EngineContext { delegations: &delegations, ..EngineContext::new(self.divisions(), &calendar) };
            prepare_open(open, at, placeholder, now, &ctx).map_err(crate::cases::refusal_error)?
        };

        Ok((actor, placeholder, transition))
    }

    /// [`App::open_case`] at `now` (the sweep's instant for a case it opens).
    pub(crate) async fn open_case_at(&self, open: &OpenCase<'_>, now: DateTime<Utc>) -> ServiceResult<Opened> {
        let (actor, _, transition) = self.decide_open(open, now).await?;
        let (applicant, snapshot, on_file) = match (&open.applicant, actor) {
            (OpenApplicant::OnFile { party, snapshot, on_file }, _) => (*party, snapshot.clone(), on_file.clone()),
            (OpenApplicant::New(person), Some(actor)) => {
                let attached = self.attach_person(actor, person, Elsewhere::Attach, "application").await?;
                let on_file =
                    attached.on_file.map(|f| ApplicantOnFile { division: f.division, name_differs: f.name_differs });
                (Party::Person(attached.id), Some((person.name.clone(), person.id.number.masked())), on_file)
            }
            (OpenApplicant::NewOrganization(org), Some(actor)) => {
                let (id, on_file) = self.attach_organization(actor, org).await?;
                let o = &org.organization;
                (Party::Organization(id), Some((o.name.clone(), o.credit_code.code.to_string())), on_file)
            }
            (OpenApplicant::New(_) | OpenApplicant::NewOrganization(_), None) => {
                return Err(ServiceError::internal("the system opens cases only for parties on record"))
            }
        };
        let (label, submitted_by) = match open.opened_by {
            Opener::Account(actor) => (actor.label(), Some(actor.account_id)),
            Opener::System { label, account } => (label.to_string(), account),
        };
        let created = self
            .create_submitted(
                open.item,
                &transition,
                (applicant, snapshot, on_file),
                &open.competent,
                &label,
                submitted_by,
                open.key,
                open.binding,
                crate::cases::KeptForm { form: open.facts.clone(), facts: open.declared.clone() },
                now,
            )
            .await;
        match created {
            Ok((id, stored, created)) => Ok(Opened { id, stored, created }),
            Err(StoreError::Conflict(what)) if what == "idempotency_key" => {
                Err(ServiceError::new(ErrorKind::Conflict, "idempotency_key_taken", "该幂等键刚被同一请求使用"))
            }
            Err(other) => Err(other.into()),
        }
    }
}

/// An organization applying online: refused, an online application being a signed-in person's
/// own (政务服务 实名: the account is a person's).
pub(crate) fn organization_online() -> ServiceError {
    ServiceError::new(
        ErrorKind::Invalid,
        "organization_online",
        "网上申请由登录的个人本人提交；法人或者其他组织请到窗口申请",
    )
    .with_field("applicant.kind")
}

/// The pure half of [`App::open_case`]: the engine's `Submit` on a draft of the case, by `at`,
/// with `applicant` standing for the applicant (0 for a person not registered yet). Reads and
/// writes nothing; the benchmarks' generated cases (`synthetic`) are opened by it too.
pub(crate) fn prepare_open(
    open: &OpenCase<'_>,
    mut at: ActorAt,
    applicant: i64,
    now: DateTime<Utc>,
    ctx: &EngineContext<'_>,
) -> Result<Transition, Refusal> {
    let channel = open.channel.engine();
    let mut draft = Case::draft(
        NewCase {
            id: 0,
            number: String::new(),
            item_slug: open.item.slug.clone(),
            item_version: open.item.version.number,
            channel,
            applicant,
            situation: open.situation.clone(),
            materials: open.materials.clone(),
            accepting: open.accepting.clone(),
            competent: open.competent.clone(),
        },
        ctx.divisions,
        now,
    );
    draft.receipt = open.receipt;
    if channel == Channel::Online {
        at.person_id = Some(applicant);
    }
    apply(open.item, &draft, &Action::Submit, &at, now, ctx)
}
