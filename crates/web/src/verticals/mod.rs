//! The areas of work, each with its routes, pages and API.

pub mod disclosure;
