//! Who acts and what the engine reads besides the case: the actor with its grants, and the
//! reference data in force (divisions, calendar, delegations, the guard registry's hook).

use chrono::NaiveDate;

use crate::access::{Actor, Grant, Role};
use crate::calendar::WorkCalendar;
use crate::division::{DivisionCode, Divisions, Level};
use crate::engine::case::Case;
use crate::engine::refusal::Refusal;
use crate::procedure::StepDef;

/// The actor of one act: an account with its grants, or the system (the timer sweep).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorAt {
    /// `None` for the system.
    pub account_id: Option<i64>,
    /// The record label (`account:3:zhangsan`, `system`).
    pub label: String,
    /// The person a citizen account belongs to: whose applications are "their own".
    pub person_id: Option<i64>,
    pub grants: Vec<Grant>,
}

impl ActorAt {
    /// The system: it may only fire timers.
    pub fn system() -> ActorAt {
        ActorAt { account_id: None, label: "system".to_string(), person_id: None, grants: Vec::new() }
    }

    /// A signed-in account; `person_id` for a citizen's own account.
    pub fn account(actor: &Actor, person_id: Option<i64>) -> ActorAt {
        ActorAt { account_id: Some(actor.account_id), label: actor.label(), person_id, grants: actor.grants.clone() }
    }

    pub fn is_system(&self) -> bool {
        self.account_id.is_none()
    }

    /// True when a grant of `role` reaches `division` (the division itself or one above it).
    pub fn reaches(&self, role: Role, division: &DivisionCode, divisions: &Divisions) -> bool {
        !self.is_system() && self.grants.iter().any(|g| g.role == role && divisions.is_within(division, &g.division))
    }

    /// True when the actor holds `role` at `division` itself — a grant above it reaches it but
    /// does not hold it: the test for a power moved down (下放) to that division.
    pub fn holds_at(&self, role: Role, division: &DivisionCode) -> bool {
        !self.is_system() && self.grants.iter().any(|g| g.role == role && &g.division == division)
    }

    /// True for a citizen account of the case's applicant.
    pub fn owns(&self, case: &Case) -> bool {
        !self.is_system()
            && self.person_id == Some(case.applicant)
            && self.grants.iter().any(|g| g.role == Role::Citizen)
    }
}

/// A power moved down (下放) for a step of an item: for the listed divisions (a division listed
/// covers everything below it), from `from` through `until` (inclusive; `None` = until revoked),
/// the step is done at `to_level` of the seat's division instead of the step's own level. The
/// decision records `document` as its authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    /// The item's slug.
    pub item: String,
    /// The step's id.
    pub step: String,
    pub to_level: Level,
    pub divisions: Vec<DivisionCode>,
    pub from: NaiveDate,
    /// The last day in force; a revocation "自 D 起收回" is `until = D - 1`.
    pub until: Option<NaiveDate>,
    /// The document that delegated the power (e.g. 达市府发〔2021〕5号).
    pub document: String,
}

impl Delegation {
    /// In force on `date` (a Shanghai date).
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|until| date <= until)
    }

    /// Covers `division`: it is, or lies below, one of the listed divisions.
    pub fn covers(&self, division: &DivisionCode, divisions: &Divisions) -> bool {
        self.divisions.iter().any(|listed| divisions.is_within(division, listed))
    }
}

/// The check behind a named guard on a step (`age_at_least_22`, …). The registry of guard
/// implementations comes with each vertical; until then a step's guards are recorded unchecked.
pub type GuardHook<'a> = &'a dyn Fn(&str, &Case) -> Result<(), Refusal>;

/// Whether the law passes over `step` for this case on the day the case reaches it, from facts
/// the item's 情形 does not carry (the person's age on that day: no 公示 for a minor,
/// `assistance::publicity`). Asked as the case enters each following step; `true` skips it
/// (recorded in the completion's `skipped`). Only adds skips to the item's `skip_situations`.
pub type SkipHook<'a> = &'a dyn Fn(&StepDef, &Case) -> bool;

/// What the engine reads besides the case and the item (style rule 17: passed explicitly).
#[derive(Clone, Copy)]
pub struct EngineContext<'a> {
    pub divisions: &'a Divisions,
    pub calendar: &'a WorkCalendar,
    /// The delegations on record (in force or not: the act's date decides).
    pub delegations: &'a [Delegation],
    pub guard: Option<GuardHook<'a>>,
    pub skip: Option<SkipHook<'a>>,
}

impl<'a> EngineContext<'a> {
    pub fn new(divisions: &'a Divisions, calendar: &'a WorkCalendar) -> EngineContext<'a> {
        EngineContext { divisions, calendar, delegations: &[], guard: None, skip: None }
    }
}

impl std::fmt::Debug for EngineContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineContext")
            .field("calendar", &self.calendar.version())
            .field("divisions", &self.divisions.len())
            .field("delegations", &self.delegations)
            .field("guard", &self.guard.is_some())
            .field("skip", &self.skip.is_some())
            .finish()
    }
}
