//! The areas of work, each with its own tables.

pub mod disclosure;
