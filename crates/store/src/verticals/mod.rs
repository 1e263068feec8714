//! The areas' tables, one module each, and what an act writes besides its case: an [`Effect`]
//! is applied inside the act's one transaction ([`crate::Store::commit_act`]), after the case's
//! guarded update and before its events, so a decision, its registry row and its record commit
//! together or not at all. This is the one place that lists the areas' writes; the generic act
//! path (`cases.rs`) only applies them in order.

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
use domain::vertical::Vertical;

use crate::migrate::Migration;

use crate::StoreError;

/// A write an act makes besides its case, one variant per area write. Each is applied in the
/// act's transaction and keeps the invariants its tables enforce.
#[derive(Debug, Clone)]
pub enum Effect {
    /// A marriage, divorce or reissue registration: the row, the married-now rows
    /// (`marital_current`) and the certificate number from the office's counter.
    MaritalRegistration(marriage::NewMaritalRegistration),
    /// An assistance decision: one per case (`UNIQUE (case_id)`).
    AssistanceDecision(Box<assistance::NewDecision>),
    /// An elderly-care filing: the institution enters the register (one per filing case).
    ElderlyCareFiling(Box<elderly_care::NewFiling>),
    /// A request's answer (政府信息公开条例第三十六条): its type, withholding reason and fee (one
    /// per case).
    DisclosureAnswer(Box<disclosure::cases::CaseAnswer>),
    /// A social organization registered: the register's row, its code and first version.
    SocialOrgRegistration(Box<social_organization::NewOrg>),
    /// A social organization deregistered: 注销 in the register.
    SocialOrgDeregistration(social_organization::Deregistration),
    /// A registered fact of a social organization changed: its new version.
    SocialOrgChange(social_organization::Change),
    /// A message to another regional node (generic, any area's act may send one): its outbox
    /// row, which names the act's last event once the events are written (`crate::nodes`).
    NodeMessage(Box<crate::nodes::Outgoing>),
    /// A message from another node this act applies: its inbox row (a message applied before
    /// refuses the act: `Conflict(nodes::APPLIED_BEFORE)`, nothing written).
    NodeInbox(Box<crate::nodes::InboxRow>),
    /// The case's link to its copy on another node (its number and status there).
    NodeLink(Box<crate::nodes::Link>),
    /// The documents a message from another node brought to the case.
    NodeDocuments(Box<crate::nodes::NodeDocuments>),
}

/// What an applied [`Effect`] produced, for the act's events (e.g. the certificate number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Produced {
    MaritalRegistration {
        id: i64,
        certificate_number: Option<String>,
    },
    AssistanceDecision {
        id: i64,
    },
    ElderlyCareFiling {
        id: i64,
    },
    DisclosureAnswer {
        case_id: i64,
    },
    SocialOrgRegistration {
        id: i64,
        credit_code: String,
    },
    /// `None`: the organization was not in the register (registered before it was kept).
    SocialOrgDeregistration {
        id: Option<i64>,
    },
    /// `None`: the organization was not in the register.
    SocialOrgChange {
        id: Option<i64>,
    },
    /// The outbox row's message id.
    NodeMessage {
        id: String,
    },
    /// An inbox row, a link or received documents written.
    NodeRecord,
}

/// What an act's effects produced, in the order of the effects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectOutput {
    pub produced: Vec<Produced>,
}

/// Why an act was not committed although its input was valid: something changed between the
/// act's read and its write. Nothing of the act is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActConflict {
    /// The case moved since it was read (another act committed): its status now.
    #[error("办件已变更，当前状态：{status}")]
    Revision { status: String },
    /// The act's idempotency key was taken meanwhile (the same request racing itself).
    #[error("幂等键已被使用")]
    IdempotencyKey,
    /// A party's marital status changed meanwhile: `marital_current` refused the row (already
    /// married) or did not hold the pair (no longer married to each other).
    #[error("当事人的婚姻状况已变更")]
    MaritalStatusChanged,
    /// The case already has its decision.
    #[error("本件已有决定")]
    DecisionExists,
}

/// An act's failure: a typed conflict, or the store's error (the case is gone: `NotFound`).
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error(transparent)]
    Conflict(ActConflict),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ActError {
    fn from(err: StoreError) -> ActError {
        ActError::Store(err)
    }
}

impl From<sqlx::Error> for ActError {
    fn from(err: sqlx::Error) -> ActError {
        ActError::Store(err.into())
    }
}

/// For the callers that still take a [`StoreError`] (`transition_case`): the conflict as the
/// text they match (the status, `idempotency_key`, `marital_status_changed`, `decision_exists`).
impl From<ActError> for StoreError {
    fn from(err: ActError) -> StoreError {
        match err {
            ActError::Store(err) => err,
            ActError::Conflict(ActConflict::Revision { status }) => StoreError::Conflict(status),
            ActError::Conflict(ActConflict::IdempotencyKey) => StoreError::Conflict("idempotency_key".into()),
            ActError::Conflict(ActConflict::MaritalStatusChanged) => {
                StoreError::Conflict("marital_status_changed".into())
            }
            ActError::Conflict(ActConflict::DecisionExists) => StoreError::Conflict("decision_exists".into()),
        }
    }
}

impl Effect {
    /// Applies the effect inside the act's transaction.
    pub(crate) async fn apply(&self, conn: &mut sqlx::AnyConnection, at: DateTime<Utc>) -> Result<Produced, ActError> {
        match self {
            Effect::MaritalRegistration(registration) => marriage::apply_registration(conn, registration, at).await,
            Effect::AssistanceDecision(decision) => assistance::apply_decision(conn, decision, at).await,
            Effect::ElderlyCareFiling(filing) => elderly_care::apply_filing(conn, filing, at).await,
            Effect::DisclosureAnswer(answer) => disclosure::cases::apply_answer(conn, answer, at).await,
            Effect::SocialOrgRegistration(org) => social_organization::apply_registration(conn, org, at).await,
            Effect::SocialOrgDeregistration(d) => social_organization::apply_deregistration(conn, d, at).await,
            Effect::SocialOrgChange(c) => social_organization::apply_change(conn, c, at).await,
            Effect::NodeMessage(message) => {
                crate::nodes::enqueue(conn, message, None, at).await?;
                Ok(Produced::NodeMessage { id: message.id.clone() })
            }
            Effect::NodeInbox(row) => {
                let incoming = crate::nodes::Incoming {
                    id: &row.id,
                    from_node: &row.from_node,
                    kind: &row.kind,
                    sender_hash: row.sender_hash.as_deref(),
                };
                if !crate::nodes::insert_inbox(conn, &incoming, at).await? {
                    return Err(ActError::Store(StoreError::Conflict(crate::nodes::APPLIED_BEFORE.into())));
                }
                Ok(Produced::NodeRecord)
            }
            Effect::NodeLink(link) => {
                crate::nodes::upsert_link(conn, link).await?;
                Ok(Produced::NodeRecord)
            }
            Effect::NodeDocuments(documents) => {
                crate::nodes::attach_documents(conn, documents, at).await?;
                Ok(Produced::NodeRecord)
            }
        }
    }
}

/// An area's own migrations, in `src/verticals/<area>/migrations/{sqlite,postgres}/`, numbered
/// from 1 (run after the shared ones; `migrate.rs`). The areas whose tables predate this keep
/// theirs in the shared sequence.
pub(crate) fn migrations(area: Vertical) -> &'static [Migration] {
    match area {
        Vertical::ElderlyCare => elderly_care::MIGRATIONS,
        Vertical::Hotline => hotline::MIGRATIONS,
        Vertical::Suggestions => suggestions::MIGRATIONS,
        Vertical::RuleMaking => rule_making::MIGRATIONS,
        Vertical::Enforcement => enforcement::MIGRATIONS,
        Vertical::RuleOfLaw => rule_of_law::MIGRATIONS,
        Vertical::SocialOrganization => social_organization::MIGRATIONS,
        Vertical::Disclosure => disclosure::cases::MIGRATIONS,
        Vertical::Marriage | Vertical::Assistance | Vertical::Funeral | Vertical::PlaceName => &[],
    }
}
