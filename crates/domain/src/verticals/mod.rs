//! The areas of work, each in its own folder.

pub mod disclosure;
