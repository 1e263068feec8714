//! The areas' pure rules, one folder each: parties, facts, gates and outcomes of an area's
//! items. The generic modules (catalog, engine, procedure) never name an area; the closed set
//! of areas is [`crate::vertical::Vertical`].

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
