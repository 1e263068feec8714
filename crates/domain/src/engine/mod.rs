//! The procedure engine (docs/designs/engine.md): one engine drives every matter. Pure: no IO,
//! no async, no clock of its own; the caller passes the item version, the case, the act, the
//! actor, the time and the reference data, and stores what comes back.
//!
//! - [`case`]: the state of one matter, the case number.
//! - [`action`]: the acts and their kinds.
//! - [`apply`]: `apply` and `allowed_actions`, over the one table in `table.rs`.
//! - [`deadline`]: the matter's and the current step's deadlines, with their explanation.
//! - [`jurisdiction`]: the competent division, cross-region classification, where to accept.
//! - [`authority`]: the office acting at a step (level, delegations).
//! - [`context`]: the actor and the reference data in force.
//! - [`dated`]: an act stated to have been done on an earlier day, where the law dates it so.
//! - [`receipt`]: the day an application counts as received, by how it came.

pub mod action;
pub mod apply;
pub mod authority;
pub mod basis;
pub mod case;
pub mod context;
pub mod dated;
pub mod deadline;
pub mod jurisdiction;
pub mod materials;
pub mod receipt;
pub mod refusal;
pub mod remote;
mod table;

#[cfg(test)]
mod testkit;

#[cfg(test)]
mod tests;
