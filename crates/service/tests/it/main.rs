//! The conformance suite: the foundation (the full-process record, persons, accounts, the
//! calendar) proven through the real database, on SQLite and on PostgreSQL. Every test runs on
//! both backends through `test_support::on_both!`; PostgreSQL runs when `MINZHENG_TEST_PG` is set:
//!
//! `MINZHENG_TEST_PG=postgres://postgres@127.0.0.1:5432/test cargo test -p service`
//!
//! One integration-test binary (link time is shared), one module per area.

// DO_NOT_ADD_MORE_TEST_BINARIES: add modules here
mod accounts;
mod act_conflicts;
mod annual_report;
mod applicants;
mod assistance;
mod assistance_hardening;
mod assistance_preview;
mod assistance_raise;
mod assistance_recheck;
mod assistance_register;
mod assistance_returns;
mod calendar;
mod case_writes;
mod cases;
mod citizens;
mod concurrency;
mod correction;
mod durability;
mod elderly_care;
mod enforcement;
mod hotline;
mod marriage;
mod marriage_certificate;
mod marriage_desk;
mod marriage_registry;
mod marriage_windows;
mod nodes;
mod open_case;
mod outcome_form;
mod person_matching;
mod persons;
mod portal;
mod record;
mod rule_making;
mod social_organization;
mod stats;
mod suggestions;

use domain::person::PersonInput;
use service::App;
use sqlx::{AnyPool, Row};
use test_support::{Db, TestApp};

/// A ready application on a fresh database. `on_both!` has already skipped PostgreSQL when it
/// is not configured, so a missing database here is a failure.
pub async fn test_app(db: Db) -> TestApp {
    TestApp::new(db).await.expect("a test database for the backend under test")
}

/// A valid citizen identity number (GB 11643-1999): 6-digit region, `YYYYMMDD`, a 3-digit
/// order number, and the ISO 7064 MOD 11-2 check character.
pub fn id_number(region: &str, birth: &str, order: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("{region}{birth}{order:03}");
    assert_eq!(body.len(), 17, "region 6 digits, birth 8 digits, order < 1000");
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", CHECK[(sum % 11) as usize] as char)
}

pub fn person_input(name: &str, id_number: &str, phone: Option<&str>, division: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.map(str::to_string),
        address: Some("达州市通川区朝阳路1号".into()),
        division: division.into(),
    }
}

/// `SELECT COUNT(*) …` on a raw connection.
/// The columns of a case just submitted at a window in 511702 (an elderly-care filing), for
/// tests that create cases through the store directly.
pub fn submitted_columns(now: chrono::DateTime<chrono::Utc>) -> store::cases::CaseColumns {
    store::cases::CaseColumns {
        item_slug: "elderly-care-filing".into(),
        item_version: 1,
        status: "submitted".into(),
        step: Some("accept".into()),
        accepting_division: "511702".into(),
        competent_division: "511702".into(),
        cross_region: "none".into(),
        channel: "window".into(),
        applicant_person_id: None,
        submitted_at_ms: now.timestamp_millis(),
        accepted_at_ms: None,
        closed_at_ms: None,
        due_date: None,
        timer_due_ms: None,
        pause_count: Some(0),
    }
}

pub async fn count(pool: &AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The acts recorded on one stream, oldest first.
pub async fn acts(app: &App, stream: &str) -> Vec<String> {
    app.store.stream_events(stream).await.expect("stream events").into_iter().map(|e| e.act).collect()
}

/// Rows of the tables a write could touch, for "nothing was written" checks.
pub async fn footprint(pool: &AnyPool) -> [i64; 7] {
    let mut out = [0; 7];
    let tables = ["persons", "accounts", "grants", "sessions", "calendar_versions", "audit_events", "audit_streams"];
    for (slot, table) in out.iter_mut().zip(tables) {
        *slot = count(pool, &format!("SELECT COUNT(*) FROM {table}")).await;
    }
    out
}

/// Every value of every column of a raw `SELECT *`, as text (integers formatted).
pub async fn select_all_as_text(pool: &AnyPool, table: &str) -> Vec<String> {
    let rows = sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(pool).await.expect("select *");
    let mut out = Vec::new();
    for row in &rows {
        for i in 0..row.len() {
            if let Ok(text) = row.try_get::<Option<String>, _>(i) {
                out.extend(text);
            } else if let Ok(n) = row.try_get::<Option<i64>, _>(i) {
                out.extend(n.map(|n| n.to_string()));
            } else {
                panic!("column {i} of {table} is neither text nor integer");
            }
        }
    }
    out
}
