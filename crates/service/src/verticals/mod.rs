//! The areas of work, each with its own use cases.

pub mod disclosure;
