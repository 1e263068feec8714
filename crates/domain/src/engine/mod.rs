//! The procedure engine (docs/designs/engine.md): one engine drives every matter. Pure: no IO,
//! no async, no clock of its own; the caller passes the item version, the case, the act, the
//! actor, the time and the reference data, and stores what comes back.
//!
//! - [`case`]: the state of one matter, the case number.
//! - [`action`]: the acts and their kinds.
//! - [`jurisdiction`]: the competent division, cross-region classification, where to accept.
//! - [`authority`]: the office acting at a step (level, delegations).
//! - [`context`]: the actor and the reference data in force.

pub mod action;
pub mod authority;
pub mod basis;
pub mod case;
pub mod context;
pub mod jurisdiction;
pub mod refusal;

#[cfg(test)]
mod testkit;
