//! The HTTP conformance suite: the whole router (`web::router`) driven in process with
//! `tower::ServiceExt::oneshot`, no port, on a fresh database per test. Every test that touches a
//! database runs on SQLite and on PostgreSQL through `test_support::on_both!`; PostgreSQL runs
//! when `MINZHENG_TEST_PG` is set:
//!
//! `MINZHENG_TEST_PG=postgres://postgres@127.0.0.1:5432/test cargo test -p web`
//!
//! DO_NOT_ADD_MORE_TESTS_HERE as new binaries: this is the one integration-test binary of the
//! crate (link time is shared). Add a module below instead.

mod access_matrix;
mod account_pages;
mod accounts;
mod admin_pages;
mod annual_report;
mod applicants;
mod assistance;
pub mod assistance_pages;
mod assistance_preview;
mod assistance_raise;
mod attachments;
mod auth;
mod bad_input;
mod browser;
mod browser_accounts;
mod browser_admin;
mod browser_annual_report;
mod browser_applicants;
mod browser_assistance;
mod browser_citizens;
mod browser_dead_ends;
mod browser_disclosure;
mod browser_elderly_care;
mod browser_enforcement;
mod browser_hotline;
mod browser_journeys;
mod browser_marriage;
mod browser_nodes;
mod browser_openness;
mod browser_pickers;
mod browser_rule_making;
mod browser_rule_of_law;
mod browser_social_organization;
mod browser_suggestions;
mod cases;
mod catalog_admin;
mod citizen_accounts;
mod citizen_case;
mod citizen_verify;
mod cross_cutting;
pub mod dashboard;
mod dead_ends;
mod disclosure;
mod documents;
mod elderly_care;
mod enforcement;
mod enforcement_inspections;
mod enforcement_pages;
mod facts_form;
mod form_api_parity;
mod fuzz;
mod guide;
mod helpers;
mod hotline;
mod id_masking;
mod idempotency;
mod items;
mod jurisdiction;
mod marriage_pages;
mod nodes;
mod openapi_schemas;
mod openness;
mod outcome_form_page;
mod outcomes;
mod page_scan;
mod pages;
mod pickers;
mod pii_at_rest;
mod pii_logs;
pub mod portal;
mod public_data;
mod refusals;
mod rule_making;
mod rule_of_law;
mod search;
mod service_stats;
mod sessions;
mod simulated_clock;
mod social_organization;
mod suggestions;
mod trusted_proxies;
mod usability;
mod workbench;
