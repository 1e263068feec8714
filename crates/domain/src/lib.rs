//! The rules of minzheng, pure: no IO, no async, no database, no HTTP.
//!
//! Everything here is a function of its inputs (the clock and the reference data are
//! passed in), so every rule is unit-testable. A tidy test (`tests/tidy.rs`) fails the build
//! if this crate gains an IO dependency.

pub mod access;
pub mod annual_report;
pub mod applicant;
pub mod attachment;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod clock;
pub mod codes;
pub mod division;
pub mod engine;
pub mod event_label;
pub mod form;
pub mod id_document;
pub mod idcard;
pub mod kinship;
pub mod openness;
pub mod organization;
pub mod person;
pub mod problem;
pub mod procedure;
pub mod rating;
pub mod vertical;
pub mod verticals;

// Old paths of the areas' modules, kept while the move to `verticals/` settles.
pub use verticals::{assistance, marriage};
