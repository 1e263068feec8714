//! Handlers, one module per resource, named by verb (`persons::create`). Each extracts, calls
//! the service, and converts the answer to a DTO; nothing else.

pub mod account_pages;
pub mod accounts;
pub mod admin;
pub mod admin_pages;
pub mod apply;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod citizen_case;
pub mod dashboard;
pub mod divisions;
pub mod guide;
pub mod health;
pub mod items;
pub mod nodes;
pub mod notices;
pub mod pages;
pub mod persons;
pub mod pickers;
pub mod portal;
pub mod register;
pub mod stats;
pub mod work;
