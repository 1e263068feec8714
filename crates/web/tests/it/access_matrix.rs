//! The access matrix, generated: every role × every relation of the caller's grant to the
//! record's division (own, child, parent, sibling, other province) × every endpoint of the OpenAPI
//! document, plus a caller not signed in, checked over HTTP against the expectation written in
//! [`SPEC`]. An endpoint the document lists but `SPEC` does not fails the test, naming the row to
//! add: a new route cannot ship without someone deciding who may call it.
//!
//! The records sit in 通川区 (511702): a person, a case accepted and decided there, a staff
//! account, and a delegation to one of its townships. "Allowed" means the request got past
//! authorization (no 401/403, no redirect to the login page, never a 5xx); "denied" means it did
//! not. Lists and searches must show the record exactly to those who reach its division, and
//! nobody sideways.

use axum::body::Body;
use axum::http::{header, Request};
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, Reply, STAFF_PASSWORD};

/// Where the caller's grant is, relative to the record's division (511702).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    Own,
    Child,
    Parent,
    Sibling,
    OtherProvince,
}

const RELATIONS: [(Rel, &str); 5] = [
    (Rel::Own, "511702"),
    (Rel::Child, "511702001"),
    (Rel::Parent, "511700"),
    (Rel::Sibling, "511703"),
    (Rel::OtherProvince, "500101"),
];

/// The record's division, and a township of it (the delegation's).
const RECORD_DIVISION: &str = "511702";
const TOWNSHIP: &str = "511702001";

const ROLES: [&str; 9] = [
    "admin",
    "clerk",
    "reviewer",
    "decider",
    "township_officer",
    "legal_reviewer",
    "enforcement_officer",
    "leader",
    "citizen",
];

// Who holds which power (the project brief and domain::access, written out here as the spec).
const ADMIN: &[&str] = &["admin"];
const CLERK: &[&str] = &["clerk"];
const READ_PERSON: &[&str] =
    &["admin", "clerk", "reviewer", "decider", "township_officer", "legal_reviewer", "enforcement_officer", "leader"];
const READ_PERSON_FULL: &[&str] =
    &["clerk", "reviewer", "decider", "township_officer", "legal_reviewer", "enforcement_officer"];
const WRITE_PERSON: &[&str] = &["clerk", "reviewer", "decider", "township_officer"];
const READ_AUDIT: &[&str] = &["admin", "leader", "legal_reviewer"];
const READ_STATS: &[&str] = READ_PERSON;
/// The county's 民政 staff: the person roles except the township officer's.
const COUNTY_READ_PERSON: &[&str] =
    &["admin", "clerk", "reviewer", "decider", "legal_reviewer", "enforcement_officer", "leader"];
const COUNTY_WRITE_PERSON: &[&str] = &["clerk", "reviewer", "decider"];
/// Grants at county level or above, wherever (a township grant is not the county's).
const COUNTY_LEVEL: &[Rel] = &[Rel::Own, Rel::Parent, Rel::Sibling, Rel::OtherProvince];
// 建议提案办理 (suggestions): the lead unit's staff handle, the leader reads and approves replies.
const READ_SUGGESTIONS: &[&str] = &["clerk", "reviewer", "decider", "leader"];
const HANDLE_SUGGESTIONS: &[&str] = &["clerk", "reviewer", "decider"];
const READ_PAYMENT_ROLL: &[&str] = &["reviewer", "decider", "township_officer", "leader"];
const RECORD_DEATH: &[&str] = &["clerk", "decider"];
/// 提标 adjustments: the county's decider.
const ADJUST_ASSISTANCE: &[&str] = &["decider"];
/// 重大行政决策和规范性文件: who keeps them, and who reads them (the legal office, the leaders).
const MANAGE_RULES: &[&str] = &["clerk", "reviewer", "decider"];
const READ_RULES: &[&str] = &["clerk", "reviewer", "decider", "legal_reviewer", "leader"];
/// 法治政府建设台账: read by the bureau's staff and leaders, kept by its legal office.
const ROL_READ: &[&str] = &["admin", "clerk", "reviewer", "decider", "legal_reviewer", "leader"];
const ROL_WRITE: &[&str] = &["legal_reviewer"];
/// Who works cases: every staff role but the administrator.
const CASE_STAFF: &[&str] =
    &["clerk", "reviewer", "decider", "township_officer", "legal_reviewer", "enforcement_officer", "leader"];
/// Who adds attachments to a case: the case staff but the leader, who reads.
const CASE_WORKERS: &[&str] =
    &["clerk", "reviewer", "decider", "township_officer", "legal_reviewer", "enforcement_officer"];

/// 行政执法: who reads the cases and the register, who keeps the register, who acts on a case.
const ENFORCEMENT_READ: &[&str] = &["admin", "decider", "legal_reviewer", "enforcement_officer", "leader"];
const ENFORCEMENT_MANAGE: &[&str] = &["admin", "leader"];
const ENFORCEMENT_ACT: &[&str] = &["enforcement_officer"];

/// 法治政府建设年度报告: who reads an organ's report, writes its narrative, publishes it.
const READ_REPORT: &[&str] = &["admin", "clerk", "reviewer", "decider", "legal_reviewer", "leader"];
const WRITE_REPORT: &[&str] = &["legal_reviewer", "leader"];
const PUBLISH_REPORT: &[&str] = &["leader"];

/// Who lists cases: the staff (within their grants) and citizens (their own applications).
const CASE_LISTERS: &[&str] =
    &["clerk", "reviewer", "decider", "township_officer", "legal_reviewer", "enforcement_officer", "leader", "citizen"];

/// A grant reaches its division and everything below it.
const REACHES: &[Rel] = &[Rel::Own, Rel::Parent];
/// A record in a township of the division: the township's own grant reaches it too.
const REACHES_TOWNSHIP: &[Rel] = &[Rel::Own, Rel::Child, Rel::Parent];

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy)]
enum Who {
    /// Anyone, signed in or not.
    Public,
    /// Any account.
    SignedIn,
    /// These roles, wherever their grant is (what they then see is scoped: see [`Shows`]).
    Anywhere(&'static [&'static str]),
    /// These roles, with a grant in one of these relations to the record.
    Reaching(&'static [&'static str], &'static [Rel]),
    /// Clerks at the window within their grant, and citizens applying online from anywhere (the
    /// applicant's 户籍地 becomes the accepting office).
    ClerkReachingOrCitizen,
}

/// A list or search that must show the record to exactly (`exactly`) or at most (not `exactly`)
/// the callers with one of `roles` reaching its division.
#[derive(Debug, Clone, Copy)]
struct Shows {
    record: Record,
    roles: &'static [&'static str],
    exactly: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ends {
    Bearer,
    Cookie,
}

#[derive(Debug, Clone, Copy)]
enum Record {
    Person,
    Case,
    Account,
}

/// What a request sends.
#[derive(Debug, Clone, Copy)]
enum Send {
    Nothing,
    Json(fn(&Fixture) -> Value),
    /// A form post of a page, with the session's CSRF field added.
    Form(fn(&Fixture) -> Vec<(&'static str, String)>),
}

struct Row {
    method: &'static str,
    path: &'static str,
    who: Who,
    send: Send,
    /// The request ends the caller's session: it runs on a session of its own (a bearer token or
    /// a cookie session), and "allowed" means that session is over afterwards.
    ends: Option<Ends>,
    shows: Option<Shows>,
}

const fn row(method: &'static str, path: &'static str, who: Who) -> Row {
    Row { method, path, who, send: Send::Nothing, ends: None, shows: None }
}

const fn json_row(method: &'static str, path: &'static str, who: Who, body: fn(&Fixture) -> Value) -> Row {
    Row { method, path, who, send: Send::Json(body), ends: None, shows: None }
}

const fn listing(path: &'static str, who: Who, shows: Shows) -> Row {
    Row { method: "GET", path, who, send: Send::Nothing, ends: None, shows: Some(shows) }
}

const fn logout(method: &'static str, path: &'static str, ends: Ends, send: Send) -> Row {
    Row { method, path, who: Who::SignedIn, send, ends: Some(ends), shows: None }
}

const fn form_row(path: &'static str, who: Who, fields: fn(&Fixture) -> Vec<(&'static str, String)>) -> Row {
    Row { method: "POST", path, who, send: Send::Form(fields), ends: None, shows: None }
}

/// The staff search by case number: the case page (a redirect to it) for exactly the case staff
/// it reaches.
const SEARCH_SHOWS: Shows = Shows { record: Record::Case, roles: CASE_STAFF, exactly: true };

/// Every endpoint of the OpenAPI document, with who may call it. Add a row for a new endpoint.
const SPEC: &[Row] = &[
    row("GET", "/healthz", Who::Public),
    json_row("POST", "/api/v1/auth/token", Who::Public, |_| login_body()),
    logout("DELETE", "/api/v1/auth/token", Ends::Bearer, Send::Nothing),
    json_row("POST", "/api/v1/auth/login", Who::Public, |_| login_body()),
    logout("POST", "/api/v1/auth/logout", Ends::Cookie, Send::Nothing),
    row("GET", "/api/v1/me", Who::SignedIn),
    listing("/api/v1/accounts", Who::Anywhere(ADMIN), Shows { record: Record::Account, roles: ADMIN, exactly: true }),
    json_row("POST", "/api/v1/accounts", Who::Reaching(ADMIN, REACHES), |_| {
        json!({"username": "matrix-new", "display_name": "矩阵新账户", "password": "matrix-pass-2021",
               "grants": [{"role": "clerk", "division": RECORD_DIVISION}]})
    }),
    json_row(
        "POST",
        "/api/v1/accounts/{id}/grants",
        Who::Reaching(ADMIN, REACHES),
        |_| json!({"role": "leader", "division": RECORD_DIVISION}),
    ),
    json_row(
        "PUT",
        "/api/v1/accounts/{id}/password",
        Who::Reaching(ADMIN, REACHES),
        |_| json!({"password": "matrix-new-pass-2021"}),
    ),
    row("GET", "/admin/accounts", Who::Anywhere(ADMIN)),
    row("GET", "/admin/nodes", Who::Anywhere(ADMIN)),
    form_row("/admin/accounts", Who::Reaching(ADMIN, REACHES), |_| {
        vec![
            ("username", "matrix-page-new".into()),
            ("display_name", "矩阵页面账户".into()),
            ("role", "clerk".into()),
            ("division", RECORD_DIVISION.into()),
        ]
    }),
    row("GET", "/admin/accounts/{id}", Who::Reaching(ADMIN, REACHES)),
    form_row("/admin/accounts/{id}/grants", Who::Reaching(ADMIN, REACHES), |_| {
        vec![("role", "reviewer".into()), ("division", RECORD_DIVISION.into())]
    }),
    // The grant the API row above added; the account keeps its clerk grant, so stays in scope.
    form_row("/admin/accounts/{id}/grants/revoke", Who::Reaching(ADMIN, REACHES), |_| {
        vec![("role", "leader".into()), ("division", RECORD_DIVISION.into())]
    }),
    form_row("/admin/accounts/{id}/password", Who::Reaching(ADMIN, REACHES), |_| Vec::new()),
    form_row("/admin/accounts/{id}/disable", Who::Reaching(ADMIN, REACHES), |_| Vec::new()),
    // The administration hub and pages: the hub for whoever may open one of them (the record's
    // readers include every administrator); the catalog's forms as the API's rows.
    row("GET", "/admin", Who::Anywhere(READ_AUDIT)),
    row("GET", "/admin/record", Who::Anywhere(READ_AUDIT)),
    row("GET", "/admin/calendar", Who::Anywhere(ADMIN)),
    form_row("/admin/calendar", Who::Anywhere(ADMIN), |_| {
        vec![("csv", "date,is_workday,holiday_name,is_makeup_workday\n".into()), ("source", "矩阵测试".into())]
    }),
    row("GET", "/admin/items", Who::Anywhere(ADMIN)),
    form_row("/admin/items/publication", Who::Reaching(ADMIN, REACHES), |_| {
        vec![
            ("item", "minimum-living-allowance".into()),
            ("pub_division", RECORD_DIVISION.into()),
            ("act", "claim".into()),
        ]
    }),
    form_row("/admin/delegations", Who::Reaching(ADMIN, REACHES_TOWNSHIP), |_| {
        vec![
            ("item_step", "minimum-living-allowance:confirm".into()),
            ("to_level", "township".into()),
            ("del_division", TOWNSHIP.into()),
            ("from", "2021-06-01".into()),
            ("document", "矩阵〔2021〕1号".into()),
        ]
    }),
    form_row("/admin/delegations/{id}/revoke", Who::Reaching(ADMIN, REACHES_TOWNSHIP), |_| {
        vec![("from", "2021-06-02".into())]
    }),
    json_row(
        "POST",
        "/api/v1/accounts/{id}/grants/revoke",
        Who::Reaching(ADMIN, REACHES),
        |_| json!({"role": "reviewer", "division": RECORD_DIVISION}),
    ),
    row("POST", "/api/v1/accounts/{id}/disable", Who::Reaching(ADMIN, REACHES)),
    listing(
        "/api/v1/persons",
        Who::Anywhere(READ_PERSON),
        Shows { record: Record::Person, roles: READ_PERSON, exactly: true },
    ),
    json_row(
        "POST",
        "/api/v1/persons",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"name": "矩阵新人", "id_number": id_number(RECORD_DIVISION, "19900101", 5), "division": RECORD_DIVISION}),
    ),
    Row {
        method: "POST",
        path: "/api/v1/persons/search",
        who: Who::Anywhere(READ_PERSON),
        send: Send::Json(|_| json!({"name": "矩阵人"})),
        ends: None,
        shows: Some(Shows { record: Record::Person, roles: READ_PERSON, exactly: true }),
    },
    row("GET", "/api/v1/persons/{id}", Who::Reaching(READ_PERSON, REACHES)),
    row("GET", "/api/v1/persons/{id}/full", Who::Reaching(READ_PERSON_FULL, REACHES)),
    row("GET", "/api/v1/persons/{id}/marital-status", Who::Reaching(READ_PERSON, REACHES)),
    row("GET", "/api/v1/divisions", Who::Public),
    row("GET", "/api/v1/divisions/{code}", Who::Public),
    row("GET", "/api/v1/calendar/days/{date}", Who::Public),
    row("GET", "/api/v1/calendar/add-workdays", Who::Public),
    row("GET", "/api/v1/calendar/add-days", Who::Public),
    row("GET", "/api/v1/calendar/versions", Who::Public),
    json_row(
        "POST",
        "/api/v1/calendar/versions",
        Who::Anywhere(ADMIN),
        |_| json!({"csv": "date,is_workday,holiday_name,is_makeup_workday\n", "source": "矩阵测试"}),
    ),
    json_row("POST", "/api/v1/cases", Who::Reaching(CLERK, REACHES), |_| application()),
    listing(
        "/api/v1/cases",
        Who::Anywhere(CASE_LISTERS),
        Shows { record: Record::Case, roles: CASE_STAFF, exactly: true },
    ),
    row("GET", "/api/v1/cases/{id}", Who::Reaching(CASE_STAFF, REACHES)),
    // An act the case's state refuses (422) for whoever may see it: the case stays as it is.
    json_row(
        "POST",
        "/api/v1/cases/{id}/actions",
        Who::Reaching(CASE_STAFF, REACHES),
        |_| json!({"action": "produce", "expected_revision": 1}),
    ),
    row("GET", "/api/v1/cases/{id}/events", Who::Reaching(CASE_STAFF, REACHES)),
    // Attachments: whoever sees the case lists and downloads them (attachment 1 may not exist:
    // 404 past the access check); its staff but the leader add them. The upload sends no file:
    // past the access check it is refused for its body (415, on the page as on the API).
    row("POST", "/api/v1/cases/{id}/attachments", Who::Reaching(CASE_WORKERS, REACHES)),
    row("GET", "/api/v1/cases/{id}/attachments", Who::Reaching(CASE_STAFF, REACHES)),
    row("GET", "/api/v1/cases/{id}/attachments/{aid}", Who::Reaching(CASE_STAFF, REACHES)),
    form_row("/cases/{id}/attachments", Who::Reaching(CASE_WORKERS, REACHES), |_| vec![("label", "矩阵".into())]),
    listing("/api/v1/my/work", Who::SignedIn, Shows { record: Record::Case, roles: CASE_STAFF, exactly: false }),
    row("GET", "/api/v1/audit/verify", Who::Anywhere(READ_AUDIT)),
    row("GET", "/api/v1/items", Who::Public),
    row("GET", "/api/v1/items/{slug}", Who::Public),
    row("GET", "/api/v1/items/{slug}/history", Who::Public),
    json_row(
        "POST",
        "/api/v1/admin/items/{slug}/publication",
        Who::Reaching(ADMIN, REACHES),
        |_| json!({"division": RECORD_DIVISION, "act": "claim"}),
    ),
    row("GET", "/api/v1/admin/publications", Who::Anywhere(ADMIN)),
    // 办事指南要素核查: an administrator of the guide's organ or above.
    json_row(
        "POST",
        "/api/v1/admin/items/{slug}/guide-reviews",
        Who::Reaching(ADMIN, REACHES),
        |_| json!({"division": RECORD_DIVISION, "wrong": [], "note": ""}),
    ),
    row("GET", "/api/v1/admin/guide-reviews", Who::Anywhere(ADMIN)),
    row("GET", "/admin/guide-reviews", Who::Anywhere(ADMIN)),
    form_row("/admin/guide-reviews", Who::Reaching(ADMIN, REACHES), |_| {
        vec![("item", "elderly-care-filing".into()), ("division", RECORD_DIVISION.into())]
    }),
    json_row("POST", "/api/v1/admin/delegations", Who::Reaching(ADMIN, REACHES_TOWNSHIP), |_| delegation()),
    row("GET", "/api/v1/admin/delegations", Who::Anywhere(ADMIN)),
    json_row(
        "POST",
        "/api/v1/admin/delegations/{id}/revoke",
        Who::Reaching(ADMIN, REACHES_TOWNSHIP),
        |_| json!({"from": "2021-06-02"}),
    ),
    json_row("POST", "/api/v1/admin/clock", Who::Anywhere(ADMIN), |_| json!({"now": "2021-06-01T10:00:00+08:00"})),
    row("GET", "/api/v1/admin/status", Who::Anywhere(ADMIN)),
    row("GET", "/api/v1/stats/service", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/stats/outcomes", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/stats/marriage", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/stats/dashboard", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/openapi.json", Who::Public),
    row("GET", "/login", Who::Public),
    form_row("/login", Who::Public, |_| vec![("username", "matrix-login".into()), ("password", STAFF_PASSWORD.into())]),
    // 实名注册: anyone may register (a refused form answers 422 with the form, never a 401/403).
    row("GET", "/register", Who::Public),
    form_row("/register", Who::Public, |_| vec![("username", "x".into()), ("password", "short".into())]),
    // 实名认证 of an older citizen account: citizens only (a malformed ID number: 422, nothing bound).
    row("GET", "/account/verify", Who::Anywhere(&["citizen"])),
    form_row("/account/verify", Who::Anywhere(&["citizen"]), |_| {
        vec![("name", "矩阵".into()), ("id_number", "123".into())]
    }),
    row("GET", "/", Who::SignedIn),
    logout("POST", "/logout", Ends::Cookie, Send::Form(|_| Vec::new())),
    row("GET", "/static/app.css", Who::Public),
    row("GET", "/static/print.js", Who::Public),
    row("GET", "/static/htmx.min.js", Who::Public),
    // Pickers: the division lists are public data, offered to whoever is signed in; a person or
    // household search is a person search (the service's scope and record).
    row("GET", "/pickers/divisions", Who::SignedIn),
    form_row("/pickers/persons", Who::Anywhere(READ_PERSON), |_| vec![("q", "矩阵人".into())]),
    form_row("/pickers/households", Who::Anywhere(READ_PERSON), |_| vec![("q", "矩阵人".into())]),
    listing("/work", Who::SignedIn, Shows { record: Record::Case, roles: CASE_STAFF, exactly: false }),
    // The search by number: case staff anywhere may search; a number outside the caller's reach
    // is "not found" (404), exactly as an unknown number, so that sequential numbers cannot be
    // probed county by county (tests/it/search.rs compares the two answers). Those it reaches
    // are sent to the case page (303).
    listing("/cases", Who::Anywhere(CASE_STAFF), SEARCH_SHOWS),
    Row {
        method: "POST",
        path: "/cases",
        who: Who::Anywhere(CASE_STAFF),
        send: Send::Form(|f| vec![("q", f.case_number.clone())]),
        ends: None,
        shows: Some(SEARCH_SHOWS),
    },
    row("GET", "/dashboard", Who::Anywhere(READ_STATS)),
    // The citizen portal: anyone may look a case up by number and check (a wrong check is "not
    // found", never a refusal by role), and rate it once closed.
    row("GET", "/track", Who::Public),
    form_row("/track", Who::Public, |f| vec![("number", f.case_number.clone()), ("check", "0000".into())]),
    form_row("/track/rate", Who::Public, |f| {
        vec![
            ("number", f.case_number.clone()),
            ("check", "0000".into()),
            ("overall", "satisfied".into()),
            ("comment", String::new()),
        ]
    }),
    json_row(
        "POST",
        "/api/v1/track/rate",
        Who::Public,
        |f| json!({"number": f.case_number, "check": "0000", "grades": {"overall": "satisfied"}}),
    ),
    row("GET", "/cases/{id}", Who::Reaching(CASE_STAFF, REACHES)),
    form_row("/cases/{id}/act", Who::Reaching(CASE_STAFF, REACHES), |_| {
        vec![("action", "produce".into()), ("expected_revision", "1".into())]
    }),
    row("GET", "/items/{slug}/apply", Who::Anywhere(&["clerk", "citizen"])),
    form_row("/items/{slug}/apply", Who::ClerkReachingOrCitizen, |_| {
        vec![
            ("idempotency_key", String::new()),
            ("situation", "for_profit".into()),
            ("accepting_division", RECORD_DIVISION.into()),
            ("name", "矩阵窗口".into()),
            ("id_number", id_number(RECORD_DIVISION, "19700101", 9)),
            ("phone", String::new()),
            ("address", String::new()),
            ("division", RECORD_DIVISION.into()),
            ("premises_division", RECORD_DIVISION.into()),
            ("materials", "filing_form".into()),
        ]
        .into_iter()
        .chain(crate::helpers::FILING_FACTS.map(|(k, v)| (k, v.to_string())))
        .collect()
    }),
    row("GET", "/guide", Who::Public),
    row("GET", "/guide/{slug}", Who::Public),
    row("GET", "/cases/{id}/notices/{kind}", Who::Reaching(CASE_STAFF, REACHES)),
    row("GET", "/verify/case/{number}", Who::Public),
    row("GET", "/cases/{id}/certificate", Who::Reaching(CASE_STAFF, REACHES)),
    row("GET", "/verify/certificate/{number}", Who::Public),
    // Social assistance: households are personal data (read and write like a person's record).
    json_row("POST", "/api/v1/assistance/households", Who::Reaching(WRITE_PERSON, REACHES), |f| household(f.person)),
    row("GET", "/api/v1/assistance/households/{id}", Who::Reaching(READ_PERSON, REACHES)),
    json_row("POST", "/api/v1/assistance/households/{id}/versions", Who::Reaching(WRITE_PERSON, REACHES), |f| {
        household(f.person)["version"].clone()
    }),
    // The separate register (单独登记备案) and the home visit are the county's: a grant at county level
    // or above (never the township officer's role, never a township grant).
    row("GET", "/api/v1/assistance/relatives-register", Who::Reaching(COUNTY_READ_PERSON, COUNTY_LEVEL)),
    json_row(
        "POST",
        "/api/v1/cases/{id}/assistance-home-visit",
        Who::Reaching(COUNTY_WRITE_PERSON, REACHES),
        |_| json!({"visited_on": "2021-06-01", "findings": "入户核实", "expected_revision": 1}),
    ),
    json_row(
        "POST",
        "/api/v1/cases/{id}/assistance-change",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"reason": "家庭成员就业，收入增加", "expected_revision": 1}),
    ),
    // Returning a received case: whoever sees the case is answered (422: the fixture is no
    // cross-region assistance case); the engine's 终止办理 then asks for the county's decider.
    json_row(
        "POST",
        "/api/v1/cases/{id}/assistance-return",
        Who::Reaching(CASE_STAFF, REACHES),
        |_| json!({"reasons": "户籍已迁出", "expected_revision": 1}),
    ),
    row("GET", "/api/v1/assistance/received-from-other-provinces", Who::Reaching(READ_STATS, REACHES)),
    row("GET", "/assistance/relatives-register", Who::Reaching(COUNTY_READ_PERSON, COUNTY_LEVEL)),
    form_row("/assistance/relatives-register/{id}/visits", Who::Reaching(COUNTY_WRITE_PERSON, REACHES), |_| {
        vec![("visited_on", "2021-06-01".into()), ("findings", "入户核实".into()), ("expected_revision", "1".into())]
    }),
    row("GET", "/api/v1/assistance/payment-roll", Who::Reaching(READ_PAYMENT_ROLL, REACHES)),
    row("GET", "/api/v1/assistance/payment-roll.xlsx", Who::Reaching(READ_PAYMENT_ROLL, REACHES)),
    row("GET", "/api/v1/assistance/rechecks-due", Who::Reaching(READ_PAYMENT_ROLL, REACHES)),
    row("GET", "/api/v1/assistance/standard-raise", Who::Reaching(ADJUST_ASSISTANCE, REACHES)),
    json_row(
        "POST",
        "/api/v1/assistance/standard-raise/confirm",
        Who::Reaching(ADJUST_ASSISTANCE, REACHES),
        |f| json!({"county": RECORD_DIVISION, "rule_version": "511700-2021-07", "case_id": f.case, "amount_fen": 0}),
    ),
    row("GET", "/assistance/standard-raise", Who::Reaching(ADJUST_ASSISTANCE, REACHES)),
    form_row("/assistance/standard-raise/confirm", Who::Reaching(ADJUST_ASSISTANCE, REACHES), |f| {
        vec![
            ("county", RECORD_DIVISION.into()),
            ("rule_version", "511700-2021-07".into()),
            ("case_id", f.case.to_string()),
            ("amount_fen", "0".into()),
        ]
    }),
    json_row(
        "POST",
        "/api/v1/cases/{id}/assistance-application",
        Who::Reaching(WRITE_PERSON, REACHES),
        |f| json!({"household_id": f.household, "program": "minimum_living", "expected_revision": 1}),
    ),
    row("GET", "/api/v1/cases/{id}/assistance-decision", Who::Reaching(CASE_STAFF, REACHES)),
    row("GET", "/api/v1/cases/{id}/assistance-preview", Who::Reaching(CASE_STAFF, REACHES)),
    // The 公示 posting: whoever keeps records where the case is is answered (422: the fixture's
    // case is not at a 公示 step); its period and postings to whoever sees the case.
    json_row(
        "POST",
        "/api/v1/cases/{id}/assistance-publicity",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"place": "社区公示栏", "posted_at": "2021-06-01 09:00", "expected_revision": 1}),
    ),
    row("GET", "/api/v1/cases/{id}/assistance-publicity", Who::Reaching(CASE_STAFF, REACHES)),
    row("GET", "/assistance/payment-roll", Who::SignedIn),
    // The household pages: who keeps person records; the case page's application form as its API.
    row("GET", "/assistance/households", Who::Anywhere(WRITE_PERSON)),
    form_row("/assistance/households", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![
            ("division", RECORD_DIVISION.into()),
            ("urban", "true".into()),
            ("valid_from", "2021-01-01".into()),
            ("m1_name", "矩阵户主".into()),
            ("m1_id_number", id_number(RECORD_DIVISION, "19700101", 61)),
            ("m1_relationship", "applicant".into()),
        ]
    }),
    row("GET", "/assistance/households/{id}", Who::Reaching(READ_PERSON, REACHES)),
    form_row("/assistance/households/{id}/versions", Who::Reaching(WRITE_PERSON, REACHES), |f| {
        vec![
            ("valid_from", "2021-05-01".into()),
            ("m1_person", f.person.to_string()),
            ("m1_relationship", "applicant".into()),
        ]
    }),
    form_row("/cases/{id}/assistance-application", Who::Reaching(WRITE_PERSON, REACHES), |f| {
        vec![
            ("household_id", f.household.to_string()),
            ("program", "minimum_living".into()),
            ("expected_revision", "1".into()),
        ]
    }),
    // The reported-change form: whoever keeps records where the case is is answered (the fixture's
    // case has no paying 低保 decision, so the service refuses it on the page).
    form_row("/cases/{id}/assistance-publicity", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![
            ("place", "社区公示栏".into()),
            ("posted_at", "2021-06-01T09:00".into()),
            ("expected_revision", "1".into()),
        ]
    }),
    form_row("/cases/{id}/assistance-change", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("reason", "家庭成员就业，收入增加".into()), ("expected_revision", "1".into())]
    }),
    // The return form: answered to whoever sees the case, as the API (the fixture is no
    // cross-region case: refused on the page).
    form_row("/cases/{id}/assistance-return", Who::Reaching(CASE_STAFF, REACHES), |_| {
        vec![("reasons", "户籍已迁出".into()), ("expected_revision", "1".into())]
    }),
    // Marriage: a death is recorded at the person's division; the desk and the death page are the
    // window's.
    json_row(
        "POST",
        "/api/v1/persons/{id}/death",
        Who::Reaching(RECORD_DEATH, REACHES),
        |_| json!({"date": "2021-05-01", "source_document": "死亡医学证明 矩阵001"}),
    ),
    row("GET", "/marriage/desk", Who::Anywhere(CLERK)),
    form_row("/marriage/desk", Who::Reaching(CLERK, REACHES), |_| {
        vec![
            ("action", "check".into()),
            ("idempotency_key", String::new()),
            ("office", RECORD_DIVISION.into()),
            ("a_name", "矩阵甲".into()),
            ("a_id_number", id_number(RECORD_DIVISION, "19900101", 31)),
            ("a_division", RECORD_DIVISION.into()),
            ("a_permit", String::new()),
            ("b_name", "矩阵乙".into()),
            ("b_id_number", id_number(RECORD_DIVISION, "19920202", 42)),
            ("b_division", RECORD_DIVISION.into()),
            ("b_permit", String::new()),
            ("declaration", "on".into()),
        ]
    }),
    row("GET", "/marriage/stats", Who::Anywhere(READ_STATS)),
    row("GET", "/marriage/death", Who::Anywhere(CLERK)),
    form_row("/marriage/death", Who::Anywhere(CLERK), |_| {
        vec![
            ("id_number", id_number(RECORD_DIVISION, "19300101", 77)),
            ("date", "2021-05-01".into()),
            ("source_document", "死亡医学证明 矩阵002".into()),
        ]
    }),
    // 政府信息公开 依申请公开: a request holds the applicant's identity number and telephone, so
    // it is handled like a person's record, and read like one; the annual report is a statistic
    // of the jurisdiction. A new request is a case of the item: the retired entry answers any
    // signed-in caller 410 and writes nothing, the retired forms send anyone to the item's form.
    json_row("POST", "/api/v1/disclosure/requests", Who::SignedIn, |_| disclosure_request()),
    row("GET", "/api/v1/disclosure/requests", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/disclosure/requests/{id}", Who::Reaching(READ_PERSON, REACHES)),
    // Steps and answers the request's history refuses (422) for whoever may write it.
    json_row(
        "POST",
        "/api/v1/disclosure/requests/{id}/steps",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"kind": "consultation_end", "on": "2021-06-01", "expected_revision": 0}),
    ),
    json_row(
        "POST",
        "/api/v1/disclosure/requests/{id}/answer",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"kind": "withheld", "answered_on": "2021-06-01", "expected_revision": 0}),
    ),
    json_row(
        "POST",
        "/api/v1/disclosure/requests/{id}/remedies",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"kind": "review", "filed_on": "2021-06-01", "expected_revision": 0}),
    ),
    row("GET", "/api/v1/disclosure/cases/{id}", Who::Reaching(CASE_STAFF, REACHES)),
    json_row(
        "POST",
        "/api/v1/disclosure/cases/{id}/remedies",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"kind": "review", "filed_on": "2021-06-01"}),
    ),
    form_row("/cases/{id}/disclosure/remedies", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("kind", "review".into()), ("filed_on", "2021-06-01".into())]
    }),
    row("GET", "/api/v1/disclosure/report", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/disclosure/report.xlsx", Who::Anywhere(READ_STATS)),
    row("GET", "/disclosure", Who::Anywhere(READ_PERSON)),
    row("GET", "/disclosure/new", Who::Public),
    row("GET", "/disclosure/apply", Who::Public),
    row("GET", "/disclosure/requests/{id}", Who::Reaching(READ_PERSON, REACHES)),
    form_row("/disclosure/requests/{id}/steps", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("expected_revision", "0".into()), ("kind", "consultation_end".into()), ("on", "2021-06-01".into())]
    }),
    form_row("/disclosure/requests/{id}/answer", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("expected_revision", "0".into()), ("kind", "withheld".into()), ("answered_on", "2021-06-01".into())]
    }),
    form_row("/disclosure/requests/{id}/remedies", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("expected_revision", "0".into()), ("kind", "review".into()), ("filed_on", "2021-06-01".into())]
    }),
    row("GET", "/disclosure/requests/{id}/notices/{kind}", Who::Reaching(READ_PERSON, REACHES)),
    row("GET", "/disclosure/report", Who::Anywhere(READ_STATS)),
    row("GET", "/disclosure/track", Who::Public),
    form_row("/disclosure/track", Who::Public, |_| {
        vec![("number", "GK-511702-2021-000001".into()), ("check", "0".into())]
    }),
    row("GET", "/disclosure/verify/{number}", Who::Public),
    // 建议提案办理 (suggestions) and 政务开放日: read by the bureau's staff and its leader, handled
    // by the staff; the results and a letter's verification are public.
    json_row("POST", "/api/v1/suggestions/items", Who::Reaching(HANDLE_SUGGESTIONS, REACHES), |_| suggestion()),
    row("GET", "/api/v1/suggestions/items", Who::Anywhere(READ_SUGGESTIONS)),
    row("GET", "/api/v1/suggestions/items/{id}", Who::Reaching(READ_SUGGESTIONS, REACHES)),
    json_row(
        "POST",
        "/api/v1/suggestions/items/{id}/acts",
        Who::Reaching(HANDLE_SUGGESTIONS, REACHES),
        |_| json!({"kind": "contact", "on": "2021-06-01", "note": "面商", "expected_revision": 0}),
    ),
    row("GET", "/api/v1/suggestions/stats", Who::Anywhere(READ_SUGGESTIONS)),
    json_row("POST", "/api/v1/suggestions/open-days", Who::Reaching(HANDLE_SUGGESTIONS, REACHES), |_| open_day()),
    row("GET", "/api/v1/suggestions/open-days", Who::Anywhere(READ_SUGGESTIONS)),
    row("GET", "/api/v1/suggestions/open-days/{id}", Who::Reaching(READ_SUGGESTIONS, REACHES)),
    json_row(
        "POST",
        "/api/v1/suggestions/open-days/{id}/inputs",
        Who::Reaching(HANDLE_SUGGESTIONS, REACHES),
        |_| json!({"from_name": "矩阵群众", "content": "建议"}),
    ),
    row("GET", "/suggestions", Who::Anywhere(READ_SUGGESTIONS)),
    row("GET", "/suggestions/new", Who::SignedIn),
    form_row("/suggestions/new", Who::Reaching(HANDLE_SUGGESTIONS, REACHES), |_| as_form(&suggestion())),
    row("GET", "/suggestions/items/{id}", Who::Reaching(READ_SUGGESTIONS, REACHES)),
    form_row("/suggestions/items/{id}/acts", Who::Reaching(HANDLE_SUGGESTIONS, REACHES), |_| {
        vec![
            ("expected_revision", "0".into()),
            ("kind", "contact".into()),
            ("on", "2021-06-01".into()),
            ("note", "面商".into()),
        ]
    }),
    row("GET", "/suggestions/items/{id}/replies/{act}", Who::Reaching(READ_SUGGESTIONS, REACHES)),
    row("GET", "/suggestions/open-days", Who::Anywhere(READ_SUGGESTIONS)),
    form_row("/suggestions/open-days", Who::Reaching(HANDLE_SUGGESTIONS, REACHES), |_| as_form(&open_day())),
    row("GET", "/suggestions/open-days/{id}", Who::Reaching(READ_SUGGESTIONS, REACHES)),
    form_row("/suggestions/open-days/{id}/inputs", Who::Reaching(HANDLE_SUGGESTIONS, REACHES), |_| {
        vec![("from_name", "矩阵群众".into()), ("content", "建议".into())]
    }),
    row("GET", "/suggestions/results", Who::Public),
    row("GET", "/suggestions/verify/{number}", Who::Public),
    // 12345 tickets and 差评整改: a ticket holds the caller's name and number, so it is received
    // and handled like a person's record (the platform's account is a clerk), read like one; a
    // 差评 is handled at its case's division; the rater rates the fix with the case's check.
    json_row("POST", "/api/v1/hotline/tickets", Who::Reaching(WRITE_PERSON, REACHES), |_| hotline_ticket()),
    row("GET", "/api/v1/hotline/tickets", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/hotline/tickets/{id}", Who::Reaching(READ_PERSON, REACHES)),
    // Acts the ticket's stage refuses (422) for whoever may write it.
    json_row(
        "POST",
        "/api/v1/hotline/tickets/{id}/acts",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"kind": "sign"}),
    ),
    row("GET", "/api/v1/hotline/export", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/hotline/stats", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/hotline/rectifications", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/hotline/rectifications/{id}", Who::Reaching(READ_PERSON, REACHES)),
    json_row(
        "POST",
        "/api/v1/hotline/rectifications/{id}/acts",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"kind": "fix", "text": "矩阵整改"}),
    ),
    json_row(
        "POST",
        "/api/v1/hotline/rate-fix",
        Who::Public,
        |f| json!({"number": f.case_number, "check": "0000", "grade": "satisfied"}),
    ),
    row("GET", "/hotline", Who::Anywhere(READ_PERSON)),
    row("GET", "/hotline/new", Who::SignedIn),
    form_row("/hotline/new", Who::Reaching(WRITE_PERSON, REACHES), |_| hotline_form()),
    row("GET", "/hotline/tickets/{id}", Who::Reaching(READ_PERSON, REACHES)),
    form_row("/hotline/tickets/{id}/acts", Who::Reaching(WRITE_PERSON, REACHES), |_| vec![("kind", "sign".into())]),
    row("GET", "/hotline/rectifications", Who::Anywhere(READ_PERSON)),
    row("GET", "/hotline/rectifications/{id}", Who::Reaching(READ_PERSON, REACHES)),
    form_row("/hotline/rectifications/{id}/acts", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("kind", "fix".into()), ("text", "矩阵整改".into())]
    }),
    // 重大行政决策和规范性文件: the county's 民政 staff keep the catalogue, the register and the
    // clean-ups; the legal office and the leaders read them; the register in force is public.
    // Writes on a record send a revision nobody holds (-1): past authorization they are 409.
    json_row("POST", "/api/v1/rule-making/decisions", Who::Reaching(MANAGE_RULES, REACHES), |_| rule_decision()),
    row("GET", "/api/v1/rule-making/decisions", Who::Anywhere(READ_RULES)),
    row("GET", "/api/v1/rule-making/decisions/{id}", Who::Reaching(READ_RULES, REACHES)),
    json_row(
        "POST",
        "/api/v1/rule-making/decisions/{id}/steps",
        Who::Reaching(MANAGE_RULES, REACHES),
        |_| json!({"kind": "omitted", "procedure": "risk_assessment", "on": "2021-06-01", "text": "不涉及", "expected_revision": -1}),
    ),
    json_row("POST", "/api/v1/rule-making/documents", Who::Reaching(MANAGE_RULES, REACHES), |_| rule_document()),
    row("GET", "/api/v1/rule-making/documents", Who::Anywhere(READ_RULES)),
    row("GET", "/api/v1/rule-making/register", Who::Public),
    json_row(
        "POST",
        "/api/v1/rule-making/documents/{id}/filing",
        Who::Reaching(MANAGE_RULES, REACHES),
        |_| json!({"filing_number": "矩阵备〔2021〕1号", "filed_on": "2021-05-31", "expected_revision": -1}),
    ),
    json_row(
        "POST",
        "/api/v1/rule-making/documents/{id}/acts",
        Who::Reaching(MANAGE_RULES, REACHES),
        |_| json!({"kind": "repealed", "on": "2021-06-01", "reason": "矩阵", "expected_revision": -1}),
    ),
    json_row("POST", "/api/v1/rule-making/flags", Who::Anywhere(MANAGE_RULES), |_| json!({"law": "矩阵上位法"})),
    json_row(
        "POST",
        "/api/v1/rule-making/cleanups",
        Who::Reaching(MANAGE_RULES, REACHES),
        |_| json!({"division": RECORD_DIVISION, "title": "矩阵清理"}),
    ),
    row("GET", "/api/v1/rule-making/cleanups/{id}", Who::Reaching(READ_RULES, REACHES)),
    json_row(
        "POST",
        "/api/v1/rule-making/cleanups/{id}/verdicts",
        Who::Reaching(MANAGE_RULES, REACHES),
        |f| json!({"document_id": f.rule_document, "verdict": "keep", "reason": "矩阵", "expected_revision": -1}),
    ),
    json_row(
        "POST",
        "/api/v1/rule-making/cleanups/{id}/publish",
        Who::Reaching(MANAGE_RULES, REACHES),
        |_| json!({"expected_revision": -1}),
    ),
    row("GET", "/api/v1/rule-making/stats", Who::Anywhere(READ_RULES)),
    row("GET", "/rule-making/register", Who::Public),
    // Its staff pages, the public consultation and the 合法性审查意见书.
    row("GET", "/rule-making", Who::Anywhere(READ_RULES)),
    form_row("/rule-making/decisions", Who::Reaching(MANAGE_RULES, REACHES), |_| rule_form(&rule_decision())),
    row("GET", "/rule-making/decisions/{id}", Who::Reaching(READ_RULES, REACHES)),
    form_row("/rule-making/decisions/{id}/steps", Who::Reaching(MANAGE_RULES, REACHES), |_| {
        vec![
            ("kind", "omitted".into()),
            ("procedure", "risk_assessment".into()),
            ("on", "2021-06-01".into()),
            ("text", "不涉及".into()),
            ("expected_revision", "-1".into()),
        ]
    }),
    form_row("/rule-making/decisions/{id}/comments/{comment}", Who::Reaching(MANAGE_RULES, REACHES), |_| {
        vec![("status", "adopted".into()), ("answer", "矩阵".into()), ("expected_revision", "-1".into())]
    }),
    row("GET", "/rule-making/decisions/{id}/legality-opinion/{n}", Who::Reaching(READ_RULES, REACHES)),
    row("GET", "/rule-making/documents", Who::Anywhere(READ_RULES)),
    row("GET", "/rule-making/documents/new", Who::SignedIn),
    form_row("/rule-making/documents/new", Who::Reaching(MANAGE_RULES, REACHES), |_| rule_form(&rule_document())),
    row("GET", "/rule-making/documents/{id}", Who::Reaching(READ_RULES, REACHES)),
    form_row("/rule-making/documents/{id}/filing", Who::Reaching(MANAGE_RULES, REACHES), |_| {
        vec![
            ("filing_number", "矩阵备〔2021〕1号".into()),
            ("filed_on", "2021-05-31".into()),
            ("expected_revision", "-1".into()),
        ]
    }),
    form_row("/rule-making/documents/{id}/acts", Who::Reaching(MANAGE_RULES, REACHES), |_| {
        vec![
            ("kind", "repealed".into()),
            ("on", "2021-06-01".into()),
            ("reason", "矩阵".into()),
            ("expected_revision", "-1".into()),
        ]
    }),
    row("GET", "/rule-making/consultations", Who::Public),
    row("GET", "/rule-making/consultations/{id}", Who::Public),
    // A public comment: citizens only, signed in (a citizen not 实名认证 is told so: 422).
    form_row("/rule-making/consultations/{id}/comments", Who::Anywhere(&["citizen"]), |_| {
        vec![("content", "矩阵的意见和建议".into())]
    }),
    // An application to a hearing: citizens only (no hearing taking applications here: 422).
    form_row("/rule-making/consultations/{id}/hearing-applications", Who::Anywhere(&["citizen"]), |_| {
        vec![("side", "public".into()), ("statement", "矩阵的听证报名".into())]
    }),
    form_row(
        "/rule-making/decisions/{id}/hearing-applications/{application}",
        Who::Reaching(MANAGE_RULES, REACHES),
        |_| vec![("expected_revision", "0".into()), ("status", "selected".into()), ("reason", "矩阵".into())],
    ),
    // A comment with a mobile verified by an SMS code: anyone (a fixed line is 422, a ticket
    // that is not one is 422 or the draft 404).
    form_row("/rule-making/consultations/{id}/phone-code", Who::Public, |_| vec![("phone", "0818-2123456".into())]),
    form_row("/rule-making/consultations/{id}/phone-comments", Who::Public, |_| {
        vec![
            ("ticket", "0".into()),
            ("code", "000000".into()),
            ("name", "矩阵".into()),
            ("content", "矩阵的意见和建议".into()),
        ]
    }),
    row("GET", "/rule-making/sms", Who::Anywhere(MANAGE_RULES)),
    row("GET", "/rule-making/verify/{number}", Who::Public),
    row("GET", "/rule-making/openness", Who::Public),
    // 规范性文件清理: the staff pages and the public results.
    row("GET", "/rule-making/cleanups", Who::Anywhere(READ_RULES)),
    form_row("/rule-making/cleanups", Who::Reaching(MANAGE_RULES, REACHES), |_| {
        vec![("division", RECORD_DIVISION.into()), ("title", "矩阵清理".into())]
    }),
    row("GET", "/rule-making/cleanups/{id}", Who::Reaching(READ_RULES, REACHES)),
    form_row("/rule-making/cleanups/{id}/verdicts", Who::Reaching(MANAGE_RULES, REACHES), |f| {
        vec![
            ("document_id", f.rule_document.to_string()),
            ("verdict", "keep".into()),
            ("reason", "矩阵".into()),
            ("expected_revision", "-1".into()),
        ]
    }),
    form_row("/rule-making/cleanups/{id}/publish", Who::Reaching(MANAGE_RULES, REACHES), |_| {
        vec![("expected_revision", "-1".into())]
    }),
    row("GET", "/rule-making/cleanup-results", Who::Public),
    // 行政执法 (enforcement).
    row("GET", "/api/v1/enforcement/officers", Who::Anywhere(ENFORCEMENT_READ)),
    json_row("POST", "/api/v1/enforcement/officers", Who::Reaching(ENFORCEMENT_MANAGE, REACHES), |_| {
        json!({"division": RECORD_DIVISION, "name": "矩阵执法", "certificate_no": "M-0009", "area": "通川区",
               "issued_by": "四川省人民政府", "valid_from": "2019-01-01", "valid_until": "2023-12-31"})
    }),
    row("GET", "/api/v1/enforcement/cases", Who::Anywhere(ENFORCEMENT_READ)),
    json_row("POST", "/api/v1/enforcement/cases", Who::Reaching(ENFORCEMENT_ACT, REACHES), enforcement_filing),
    row("GET", "/api/v1/enforcement/cases/{id}", Who::Reaching(ENFORCEMENT_READ, REACHES)),
    json_row("POST", "/api/v1/enforcement/cases/{id}/acts", Who::Reaching(ENFORCEMENT_ACT, REACHES), |f| {
        json!({"kind": "record", "on": "2021-06-01", "officers": f.enforcement_officers, "on_site": true,
               "title": "现场检查笔录", "expected_revision": 0})
    }),
    row("GET", "/api/v1/enforcement/stats", Who::Anywhere(ENFORCEMENT_READ)),
    row("GET", "/api/v1/enforcement/public/{code}/officers", Who::Public),
    row("GET", "/api/v1/enforcement/public/{code}/decisions", Who::Public),
    row("GET", "/enforcement/public/{code}", Who::Public),
    row("GET", "/enforcement", Who::Anywhere(ENFORCEMENT_READ)),
    form_row("/enforcement/cases", Who::Reaching(ENFORCEMENT_ACT, REACHES), |f| {
        let mut fields = vec![
            ("division", RECORD_DIVISION.to_string()),
            ("party_kind", "organization".into()),
            ("name", "达州市矩阵协会".into()),
            ("credit_code", "515117025041234500".into()),
            ("party_division", RECORD_DIVISION.into()),
            ("violation", "未按规定参加年度检查".into()),
            ("act_ended_on", "2021-05-31".into()),
        ];
        fields.extend(f.enforcement_officers.iter().map(|id| ("officers", id.to_string())));
        fields
    }),
    row("GET", "/enforcement/officers", Who::Anywhere(ENFORCEMENT_READ)),
    form_row("/enforcement/officers", Who::Reaching(ENFORCEMENT_MANAGE, REACHES), |_| {
        vec![
            ("division", RECORD_DIVISION.to_string()),
            ("name", "矩阵页面".into()),
            ("certificate_no", "M-0010".into()),
        ]
    }),
    row("GET", "/enforcement/cases/{id}", Who::Reaching(ENFORCEMENT_READ, REACHES)),
    form_row("/enforcement/cases/{id}/acts", Who::Reaching(ENFORCEMENT_ACT, REACHES), |_| {
        vec![("expected_revision", "0".into()), ("kind", "publish".into()), ("on", "2021-06-01".into())]
    }),
    // The upload is refused to whoever may not act before its body is read; a form body is 415.
    form_row("/enforcement/cases/{id}/evidence", Who::Reaching(ENFORCEMENT_ACT, REACHES), |_| vec![]),
    row("GET", "/enforcement/cases/{id}/evidence/{hash}", Who::Reaching(ENFORCEMENT_READ, REACHES)),
    // 双随机、一公开: the heads draw and record conflicts, the officers publish results (a result
    // dated before the draw is refused past the access check), the draws are public.
    row("GET", "/api/v1/enforcement/inspections", Who::Anywhere(ENFORCEMENT_READ)),
    json_row(
        "POST",
        "/api/v1/enforcement/inspections",
        Who::Reaching(ENFORCEMENT_MANAGE, REACHES),
        |_| json!({"division": RECORD_DIVISION, "kind": "special", "count": 1}),
    ),
    json_row(
        "POST",
        "/api/v1/enforcement/inspections/conflicts",
        Who::Reaching(ENFORCEMENT_MANAGE, REACHES),
        |f| json!({"officer": f.enforcement_officers[0], "credit_code": f.organization_code, "reason": "矩阵回避"}),
    ),
    json_row(
        "POST",
        "/api/v1/enforcement/inspections/{id}/results",
        Who::Reaching(ENFORCEMENT_ACT, REACHES),
        |_| json!({"position": 0, "checked_on": "2000-01-01", "finding": "clean"}),
    ),
    row("GET", "/api/v1/enforcement/public/{code}/inspections", Who::Public),
    row("GET", "/enforcement/inspections", Who::Anywhere(ENFORCEMENT_READ)),
    form_row("/enforcement/inspections", Who::Reaching(ENFORCEMENT_MANAGE, REACHES), |_| {
        vec![("division", RECORD_DIVISION.into()), ("kind", "special".into()), ("count", "1".into())]
    }),
    form_row("/enforcement/inspections/conflicts", Who::Reaching(ENFORCEMENT_MANAGE, REACHES), |f| {
        vec![
            ("officer", f.enforcement_officers[1].to_string()),
            ("credit_code", f.organization_code.clone()),
            ("reason", "矩阵回避".into()),
        ]
    }),
    form_row("/enforcement/inspections/{id}/results", Who::Reaching(ENFORCEMENT_ACT, REACHES), |_| {
        vec![("position", "0".into()), ("checked_on", "2000-01-01".into()), ("finding", "clean".into())]
    }),
    row("GET", "/enforcement/cases/{id}/notices/{kind}", Who::Reaching(ENFORCEMENT_READ, REACHES)),
    row("GET", "/enforcement/verify/{number}", Who::Public),
    // 法治政府建设台账 (rule_of_law): the registers are read by the bureau's staff and leaders
    // within their grant, and kept by the legal office at the record's division. A change under
    // a revision never issued is refused (409) for whoever may write it; an import without a
    // workbook is refused for its body (415) once the caller may import.
    row("GET", "/api/v1/rule-of-law/registers", Who::SignedIn),
    row("GET", "/api/v1/rule-of-law/{register}/records", Who::Anywhere(ROL_READ)),
    json_row(
        "POST",
        "/api/v1/rule-of-law/{register}/records",
        Who::Reaching(ROL_WRITE, REACHES),
        |_| json!({"fields": rule_of_law_fields()}),
    ),
    row("GET", "/api/v1/rule-of-law/{register}/records.xlsx", Who::Anywhere(ROL_READ)),
    row("POST", "/api/v1/rule-of-law/{register}/import", Who::Anywhere(ROL_WRITE)),
    row("GET", "/api/v1/rule-of-law/records/{id}", Who::Reaching(ROL_READ, REACHES)),
    json_row(
        "PUT",
        "/api/v1/rule-of-law/records/{id}",
        Who::Reaching(ROL_WRITE, REACHES),
        |_| json!({"fields": rule_of_law_fields(), "expected_revision": -1}),
    ),
    row("GET", "/api/v1/rule-of-law/years/{year}", Who::Anywhere(ROL_READ)),
    row("GET", "/rule-of-law", Who::Anywhere(ROL_READ)),
    row("GET", "/rule-of-law/{register}", Who::Anywhere(ROL_READ)),
    row("GET", "/rule-of-law/{register}/new", Who::Anywhere(ROL_WRITE)),
    form_row("/rule-of-law/{register}/new", Who::Reaching(ROL_WRITE, REACHES), |_| rule_of_law_form("")),
    form_row("/rule-of-law/{register}/import", Who::Anywhere(ROL_WRITE), |_| Vec::new()),
    row("GET", "/rule-of-law/records/{id}", Who::Reaching(ROL_READ, REACHES)),
    form_row("/rule-of-law/records/{id}", Who::Reaching(ROL_WRITE, REACHES), |_| rule_of_law_form("-1")),
    // 养老机构备案 and the register: the bureau's working file, read and written like the records
    // a window keeps, at the premises' division; the figures are statistics; the list of filed
    // institutions is public. Writes the record refuses (422) for whoever may write it.
    row("GET", "/api/v1/elderly-care/institutions", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/elderly-care/institutions/{id}", Who::Reaching(READ_PERSON, REACHES)),
    json_row(
        "POST",
        "/api/v1/elderly-care/institutions/{id}/changes",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"field": "beds", "value": "0", "changed_on": "2021-06-01", "expected_revision": 0}),
    ),
    json_row(
        "POST",
        "/api/v1/elderly-care/institutions/{id}/inspections",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"done_on": "2021-05-01", "result": "conforms", "expected_revision": 0}),
    ),
    row("GET", "/api/v1/elderly-care/inspections/due", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/elderly-care/register.xlsx", Who::Anywhere(READ_PERSON)),
    row("GET", "/api/v1/elderly-care/stats", Who::Anywhere(READ_STATS)),
    row("GET", "/api/v1/elderly-care/public", Who::Public),
    row("GET", "/elderly-care", Who::Anywhere(READ_PERSON)),
    row("GET", "/elderly-care/institutions/{id}", Who::Reaching(READ_PERSON, REACHES)),
    form_row("/elderly-care/institutions/{id}/changes", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![
            ("expected_revision", "0".into()),
            ("field", "beds".into()),
            ("value", "0".into()),
            ("changed_on", "2021-06-01".into()),
        ]
    }),
    json_row(
        "POST",
        "/api/v1/elderly-care/institutions/{id}/status",
        Who::Reaching(WRITE_PERSON, REACHES),
        |_| json!({"act": "resume", "reported_on": "2021-05-01", "effective_on": "2021-05-01", "expected_revision": 0}),
    ),
    form_row("/elderly-care/institutions/{id}/status", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![
            ("expected_revision", "0".into()),
            ("act", "resume".into()),
            ("reported_on", "2021-05-01".into()),
            ("effective_on", "2021-05-01".into()),
        ]
    }),
    form_row("/elderly-care/institutions/{id}/inspections", Who::Reaching(WRITE_PERSON, REACHES), |_| {
        vec![("expected_revision", "0".into()), ("done_on", "2021-05-01".into()), ("result", "conforms".into())]
    }),
    row("GET", "/elderly-care/inspections", Who::Anywhere(READ_PERSON)),
    row("GET", "/elderly-care/public", Who::Public),
    // 社会组织登记: the register is read by the county's 民政 staff of the organization's
    // premises (the township does not register organizations) and written by its clerks,
    // reviewers and deciders; the 公告 and the certificate's verification are public.
    row("GET", "/api/v1/organizations", Who::Anywhere(COUNTY_READ_PERSON)),
    row("GET", "/api/v1/organizations/register.xlsx", Who::Anywhere(COUNTY_READ_PERSON)),
    row("GET", "/api/v1/organizations/inspections", Who::Anywhere(COUNTY_READ_PERSON)),
    // 年检 → 立案: an enforcement officer of the organization's registration authority.
    json_row(
        "POST",
        "/api/v1/organizations/inspections/enforcement",
        Who::Reaching(ENFORCEMENT_ACT, REACHES),
        |f| json!({"year": "2021", "orgs": [f.organization], "officers": f.enforcement_officers}),
    ),
    row("GET", "/api/v1/organizations/decoupling", Who::Anywhere(COUNTY_READ_PERSON)),
    row("GET", "/api/v1/organizations/stats", Who::Anywhere(COUNTY_READ_PERSON)),
    row("GET", "/api/v1/organizations/announcements", Who::Public),
    row("GET", "/api/v1/organizations/{id}", Who::Reaching(COUNTY_READ_PERSON, REACHES)),
    json_row(
        "POST",
        "/api/v1/organizations/{id}/inspections",
        Who::Reaching(COUNTY_WRITE_PERSON, REACHES),
        |_| json!({"year": "2021", "to_authority_on": "2021-05-20", "result": "pass"}),
    ),
    json_row(
        "POST",
        "/api/v1/organizations/{id}/separations",
        Who::Reaching(COUNTY_WRITE_PERSON, REACHES),
        |_| json!({"former_organ": "通川区商务局", "separation": "function", "done_on": "2021-05-20", "evidence": "矩阵验收意见"}),
    ),
    json_row(
        "POST",
        "/api/v1/organizations/{id}/branches",
        Who::Reaching(COUNTY_WRITE_PERSON, REACHES),
        |_| json!({"kind": "branch", "name": "矩阵专业委员会", "principal": "矩阵", "address": "通川区", "opened_on": "2021-05-20"}),
    ),
    json_row(
        "POST",
        "/api/v1/organizations/{id}/branches/close",
        Who::Reaching(COUNTY_WRITE_PERSON, REACHES),
        |_| json!({"name": "矩阵代表处", "closed_on": "2021-05-20", "reason": "矩阵决议"}),
    ),
    row("GET", "/organizations", Who::Anywhere(COUNTY_READ_PERSON)),
    row("GET", "/organizations/inspections", Who::Anywhere(COUNTY_READ_PERSON)),
    form_row("/organizations/inspections/enforcement", Who::Reaching(ENFORCEMENT_ACT, REACHES), |f| {
        vec![
            ("year", "2021".into()),
            ("orgs", f.organization.to_string()),
            ("officers", f.enforcement_officers[0].to_string()),
            ("officers", f.enforcement_officers[1].to_string()),
        ]
    }),
    row("GET", "/organizations/decoupling", Who::Anywhere(COUNTY_READ_PERSON)),
    row("GET", "/organizations/announcements", Who::Public),
    row("GET", "/organizations/verify/{code}", Who::Public),
    row("GET", "/organizations/{id}", Who::Reaching(COUNTY_READ_PERSON, REACHES)),
    row("GET", "/organizations/{id}/certificate", Who::Reaching(COUNTY_READ_PERSON, REACHES)),
    form_row("/organizations/{id}/inspections", Who::Reaching(COUNTY_WRITE_PERSON, REACHES), |_| {
        vec![("year", "2021".into()), ("to_authority_on", "2021-05-20".into()), ("result", "pass".into())]
    }),
    form_row("/organizations/{id}/separations", Who::Reaching(COUNTY_WRITE_PERSON, REACHES), |_| {
        vec![
            ("former_organ", "通川区商务局".into()),
            ("separation", "personnel".into()),
            ("done_on", "2021-05-20".into()),
            ("evidence", "矩阵验收意见".into()),
        ]
    }),
    form_row("/organizations/{id}/branches", Who::Reaching(COUNTY_WRITE_PERSON, REACHES), |_| {
        vec![
            ("kind", "representative".into()),
            ("name", "矩阵代表机构".into()),
            ("principal", "矩阵".into()),
            ("address", "通川区".into()),
            ("opened_on", "2021-05-20".into()),
        ]
    }),
    form_row("/organizations/{id}/branches/close", Who::Reaching(COUNTY_WRITE_PERSON, REACHES), |_| {
        vec![("name", "矩阵代表处".into()), ("closed_on", "2021-05-20".into()), ("reason", "矩阵决议".into())]
    }),
    // 法治政府建设年度报告: read by the organ's staff, written by its legal office and leader,
    // published by the leader; the published page and the indicators' definitions are public.
    row("GET", "/api/v1/reports/{code}/{year}/indicators", Who::Reaching(READ_REPORT, REACHES)),
    row("GET", "/api/v1/reports/{code}/{year}/versions", Who::Reaching(READ_REPORT, REACHES)),
    json_row(
        "POST",
        "/api/v1/reports/{code}/{year}/versions",
        Who::Reaching(WRITE_REPORT, REACHES),
        |_| json!({"body": "矩阵报告正文"}),
    ),
    row("POST", "/api/v1/reports/versions/{id}/publish", Who::Reaching(PUBLISH_REPORT, REACHES)),
    row("GET", "/api/v1/reports/versions/{id}/published", Who::Public),
    row("GET", "/static/report.css", Who::Public),
    row("GET", "/reports/{code}/{year}", Who::Public),
    row("GET", "/reports/{code}/{year}/indicators/{key}", Who::Public),
    row("GET", "/reports/{code}/{year}/edit", Who::Reaching(READ_REPORT, REACHES)),
    form_row("/reports/{code}/{year}/edit", Who::Reaching(WRITE_REPORT, REACHES), |_| {
        vec![("body", "矩阵报告正文".into())]
    }),
    form_row("/reports/versions/{id}/publish", Who::Reaching(PUBLISH_REPORT, REACHES), |_| vec![]),
    row("GET", "/reports/{code}/{year}/report.docx", Who::Reaching(READ_REPORT, REACHES)),
    row("GET", "/reports/{code}/{year}/figures.xlsx", Who::Reaching(READ_REPORT, REACHES)),
    // 政务公开: the columns public, the staff register for report readers (their own pieces).
    row("GET", "/api/v1/openness", Who::Public),
    row("GET", "/api/v1/openness/register", Who::Anywhere(READ_REPORT)),
    row("GET", "/openness", Who::Public),
    row("GET", "/openness/rule-of-law", Who::Public),
    row("GET", "/openness/register", Who::Anywhere(READ_REPORT)),
    row("GET", "/hotline/rate-fix", Who::Public),
    form_row("/hotline/rate-fix", Who::Public, |f| {
        vec![("number", f.case_number.clone()), ("check", "0000".into()), ("grade", "satisfied".into())]
    }),
];

/// A deputy's suggestion assigned to 通川区.
fn suggestion() -> Value {
    json!({
        "division": RECORD_DIVISION, "kind": "deputy", "session": "通川区第八届人民代表大会第一次会议",
        "number": "第1号", "proposers": "矩阵代表", "subject": "关于社区养老的建议", "lead_unit": "通川区民政局",
        "assigned_on": "2021-05-20",
    })
}

/// An open day held at 通川区.
fn open_day() -> Value {
    json!({"division": RECORD_DIVISION, "held_on": "2021-05-20", "place": "通川区民政局", "theme": "走进民政"})
}

/// A JSON object of strings as form fields.
fn as_form(body: &Value) -> Vec<(&'static str, String)> {
    let keys: &[&'static str] = &[
        "division",
        "kind",
        "session",
        "number",
        "proposers",
        "subject",
        "lead_unit",
        "assigned_on",
        "held_on",
        "place",
        "theme",
    ];
    keys.iter().filter_map(|k| body[*k].as_str().map(|v| (*k, v.to_string()))).collect()
}

/// A rule-making JSON body as the form its page posts (every string field).
fn rule_form(body: &Value) -> Vec<(&'static str, String)> {
    let keys: &[&'static str] = &[
        "division",
        "year",
        "title",
        "organ",
        "summary",
        "number",
        "published_on",
        "effective_on",
        "valid_until",
        "review_submitted_on",
        "review_opinion_on",
        "review_opinion",
    ];
    keys.iter().filter_map(|k| body[*k].as_str().map(|v| (*k, v.to_string()))).collect()
}

/// A 12345 ticket about 通川区, as the platform sends it.
fn hotline_ticket() -> Value {
    json!({
        "platform_number": "SC-MATRIX-1",
        "kind": "consultation",
        "caller_name": "矩阵来电人",
        "caller_phone": "13812345678",
        "subject": "矩阵咨询",
        "content": "矩阵测试的诉求",
        "division": RECORD_DIVISION,
        "received_at": "2021-06-01 08:00",
    })
}

fn hotline_form() -> Vec<(&'static str, String)> {
    let body = hotline_ticket();
    ["kind", "caller_name", "caller_phone", "subject", "content", "division", "received_at"]
        .into_iter()
        .map(|k| (k, body[k].as_str().unwrap_or_default().to_string()))
        .collect()
}

/// A major decision of 通川区.
fn rule_decision() -> Value {
    json!({"division": RECORD_DIVISION, "year": "2021", "title": "矩阵决策", "organ": "通川区民政局", "summary": "矩阵"})
}

/// A 普法 activity at the record's division.
fn rule_of_law_fields() -> Value {
    json!({"date": "2021-06-01", "theme": "矩阵普法", "unit": "通川区民政局", "division": RECORD_DIVISION})
}

fn rule_of_law_form(revision: &str) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("date", "2021-06-01".to_string()),
        ("theme", "矩阵普法".to_string()),
        ("unit", "通川区民政局".to_string()),
        ("division", RECORD_DIVISION.to_string()),
    ];
    if !revision.is_empty() {
        fields.push(("expected_revision", revision.to_string()));
    }
    fields
}

/// A normative document of 通川区, in force on the test's day.
fn rule_document() -> Value {
    json!({"division": RECORD_DIVISION, "number": "矩阵〔2021〕9号", "title": "矩阵规程", "organ": "通川区民政局",
           "published_on": "2021-03-15", "effective_on": "2021-03-15", "valid_until": "2026-03-14",
           "review_submitted_on": "2021-03-01", "review_opinion_on": "2021-03-05", "review_opinion": "合法"})
}

/// 立案 against a social organization of 通川区, by the fixture's two officers.
fn enforcement_filing(f: &Fixture) -> Value {
    json!({"division": RECORD_DIVISION, "violation": "未按规定参加年度检查", "act_ended_on": "2021-05-31",
           "organization": {"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": RECORD_DIVISION},
           "officers": f.enforcement_officers})
}

/// A social group registered in 通川区 before the register was kept.
fn matrix_organization() -> store::verticals::social_organization::NewOrg {
    let on = chrono::NaiveDate::from_ymd_opt(2019, 4, 1).expect("date");
    store::verticals::social_organization::NewOrg {
        org_type: domain::verticals::social_organization::OrgType::SocialGroup,
        level: "county".into(),
        category: Some("trade_association".into()),
        sponsor: None,
        authority_division: RECORD_DIVISION.into(),
        premises_division: RECORD_DIVISION.into(),
        registered_on: on,
        legal_rep_person: None,
        case_id: None,
        version: store::verticals::social_organization::NewVersion {
            valid_from: on,
            change_kind: "establish".into(),
            name: "通川区矩阵行业协会".into(),
            address: "通川区朝阳街道".into(),
            legal_rep_name: "矩阵丙".into(),
            funds_fen: 3_000_000,
            individual_members: 60,
            unit_members: 0,
            purpose: "行业服务".into(),
        },
    }
}

/// A request for government information at the 通川区 window.
fn disclosure_request() -> Value {
    json!({
        "division": RECORD_DIVISION,
        "applicant_kind": "natural_person",
        "applicant_name": "矩阵申请人",
        "identity": id_number(RECORD_DIVISION, "19800101", 211),
        "contact": "13812345678",
        "description": "矩阵测试所需的政府信息",
        "form": "paper",
        "channel": "in_person",
        "submitted_on": "2021-06-01",
    })
}

/// A household in 511702 with the record's person as its applicant.
fn household(person: i64) -> Value {
    json!({"division": RECORD_DIVISION, "urban": true, "version": {
        "valid_from": "2021-01-01",
        "members": [{"person_id": person, "relationship": "applicant"}],
        "income": [{"person_id": person, "month": "2021-01", "kind": "工资性收入", "amount_yuan": "500"}],
        "assets": []
    }})
}

fn login_body() -> Value {
    json!({"username": "matrix-login", "password": STAFF_PASSWORD})
}

/// A 养老机构备案 at the 通川区 window, premises there.
fn application() -> Value {
    json!({
        "item": "elderly-care-filing",
        "channel": "window",
        "applicant": {"name": "矩阵人", "id_number": id_number(RECORD_DIVISION, "19400101", 170), "division": RECORD_DIVISION},
        "accepting_division": RECORD_DIVISION,
        "situation": "for_profit",
        "materials": ["filing_form"],
        "data": {"premises_division": RECORD_DIVISION},
        "facts": crate::helpers::filing_facts(RECORD_DIVISION)
    })
}

fn delegation() -> Value {
    json!({"item": "minimum-living-allowance", "step": "confirm", "to_level": "township", "divisions": [TOWNSHIP],
           "from": "2021-06-01", "document": "矩阵〔2021〕1号"})
}

/// The records in 511702 every row is checked against.
struct Fixture {
    person: i64,
    case: i64,
    case_number: String,
    account: i64,
    delegation: i64,
    household: i64,
    disclosure: i64,
    suggestion: i64,
    open_day: i64,
    hotline: i64,
    rule_decision: i64,
    rule_document: i64,
    rule_cleanup: i64,
    enforcement: i64,
    enforcement_officers: [i64; 2],
    enforcement_draw: i64,
    institution: i64,
    organization: i64,
    organization_code: String,
    rule_of_law: i64,
    report_version: i64,
}

impl Fixture {
    async fn new(api: &Api) -> Fixture {
        let owner = api.staff_token("matrix-owner", "clerk", RECORD_DIVISION).await;
        let case = api.post("/api/v1/cases", Auth::Bearer(&owner), application()).await;
        assert_eq!(case.status, 201, "{}", case.text());
        let case = case.json();
        let found = api.post("/api/v1/persons/search", Auth::Bearer(&owner), json!({"name": "矩阵人"})).await.json();
        let person = found["items"][0]["id"].as_i64().expect("the applicant is on file");
        let account = api.t.staff("matrix-victim", "clerk", RECORD_DIVISION).await.account_id;
        api.t.staff("matrix-login", "clerk", RECORD_DIVISION).await;
        let admin = api.admin_token().await;
        let granted = api.post("/api/v1/admin/delegations", Auth::Bearer(&admin), delegation()).await;
        assert_eq!(granted.status, 201, "{}", granted.text());
        let delegation = granted.json()["items"][0]["id"].as_i64().expect("the delegation's id");
        let made = api.post("/api/v1/assistance/households", Auth::Bearer(&owner), household(person)).await;
        assert_eq!(made.status, 201, "{}", made.text());
        let household = made.json()["id"].as_i64().expect("the household's id");
        let disclosure = api.earlier_disclosure_request(&owner, &disclosure_request()).await;
        let made = api.post("/api/v1/suggestions/items", Auth::Bearer(&owner), suggestion()).await;
        assert_eq!(made.status, 201, "{}", made.text());
        let suggestion = made.json()["id"].as_i64().expect("the suggestion's id");
        let made = api.post("/api/v1/suggestions/open-days", Auth::Bearer(&owner), open_day()).await;
        assert_eq!(made.status, 201, "{}", made.text());
        let open_day = made.json()["id"].as_i64().expect("the open day's id");
        let ticket = api.post("/api/v1/hotline/tickets", Auth::Bearer(&owner), hotline_ticket()).await;
        assert_eq!(ticket.status, 201, "{}", ticket.text());
        let hotline = ticket.json()["ticket"]["id"].as_i64().expect("the ticket's id");
        let case_id = case["id"].as_i64().expect("case id");
        // A 差评 on the case (as the public rating page writes it): a rectification matter.
        sqlx::query(
            "INSERT INTO case_ratings (case_id, grade, comment, accepting_division, competent_division, rated_at_ms) \
             VALUES ($1, 'very_dissatisfied', '矩阵差评', $2, $2, $3)",
        )
        .bind(case_id)
        .bind(RECORD_DIVISION)
        .bind(test_support::test_start().timestamp_millis())
        .execute(&api.t.db.raw().await)
        .await
        .expect("a bad rating");
        let made = api.post("/api/v1/rule-making/decisions", Auth::Bearer(&owner), rule_decision()).await;
        assert_eq!(made.status, 201, "{}", made.text());
        let rule_decision = made.json()["id"].as_i64().expect("the decision's id");
        let made = api.post("/api/v1/rule-making/documents", Auth::Bearer(&owner), rule_document()).await;
        assert_eq!(made.status, 201, "{}", made.text());
        let rule_document = made.json()["id"].as_i64().expect("the document's id");
        let made = api
            .post(
                "/api/v1/rule-making/cleanups",
                Auth::Bearer(&owner),
                json!({"division": RECORD_DIVISION, "title": "矩阵"}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
        let rule_cleanup = made.json()["id"].as_i64().expect("the clean-up's id");
        let (enforcement, enforcement_officers) = enforcement_case(api).await;
        // An institution on the register: a complete filing, received at once.
        let mut filing = application();
        filing["applicant"]["id_number"] = json!(id_number(RECORD_DIVISION, "19400101", 171));
        filing["materials"] = json!(["filing_form", "commitment"]);
        let filed = api.post("/api/v1/cases", Auth::Bearer(&owner), filing).await;
        assert_eq!(filed.status, 201, "{}", filed.text());
        let filed = filed.json()["id"].as_i64().expect("the filing's id");
        let accept = json!({"action": "accept", "expected_revision": 1});
        let accepted = api.post(&format!("/api/v1/cases/{filed}/actions"), Auth::Bearer(&owner), accept).await;
        assert_eq!(accepted.status, 200, "{}", accepted.text());
        let register = api.get("/api/v1/elderly-care/institutions", Auth::Bearer(&owner)).await.json();
        let institution = register["items"][0]["id"].as_i64().expect("the institution's id");
        let (organization, organization_code) = api
            .t
            .app
            .store
            .import_social_orgs(&[matrix_organization()], api.t.app.now())
            .await
            .expect("an organization in the register")[0]
            .clone();
        // 双随机: a draw of the organization and the two officers of 通川区.
        let draw_leader = api.t.staff("matrix-draw-leader", "leader", RECORD_DIVISION).await;
        let draw_form = service::verticals::enforcement::draws::DrawForm {
            division: RECORD_DIVISION.into(),
            kind: "special".into(),
            count: "1".into(),
        };
        let enforcement_draw = api.t.app.enforcement_draw(&draw_leader, &draw_form).await.expect("a draw");
        let keeper = api.staff_token("matrix-rol", "legal_reviewer", RECORD_DIVISION).await;
        let made = api
            .post(
                "/api/v1/rule-of-law/publicity/records",
                Auth::Bearer(&keeper),
                json!({"fields": rule_of_law_fields()}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
        let rule_of_law = made.json()["id"].as_i64().expect("the record's id");
        let writer = api.t.staff("matrix-report", "legal_reviewer", RECORD_DIVISION).await;
        let report_version = api
            .t
            .app
            .report_save(&writer, RECORD_DIVISION, 2021, "矩阵报告正文")
            .await
            .expect("a report version")
            .row
            .id;
        Fixture {
            report_version,
            person,
            case: case["id"].as_i64().expect("case id"),
            case_number: case["number"].as_str().expect("number").to_string(),
            account,
            delegation,
            household,
            disclosure,
            suggestion,
            open_day,
            hotline,
            rule_decision,
            rule_document,
            rule_cleanup,
            enforcement,
            enforcement_officers,
            enforcement_draw,
            institution,
            organization,
            organization_code,
            rule_of_law,
        }
    }

    /// A concrete URI for a documented path.
    fn uri(&self, path: &str) -> String {
        let id = if path.starts_with("/api/v1/accounts/") || path.starts_with("/admin/accounts/") {
            self.account
        } else if path.starts_with("/api/v1/persons/") {
            self.person
        } else if path.starts_with("/api/v1/admin/delegations/") || path.starts_with("/admin/delegations/") {
            self.delegation
        } else if path.starts_with("/api/v1/assistance/households/") || path.starts_with("/assistance/households/") {
            self.household
        } else if path.starts_with("/api/v1/disclosure/requests/") || path.starts_with("/disclosure/requests/") {
            self.disclosure
        } else if path.starts_with("/api/v1/suggestions/items/") || path.starts_with("/suggestions/items/") {
            self.suggestion
        } else if path.starts_with("/api/v1/suggestions/open-days/") || path.starts_with("/suggestions/open-days/") {
            self.open_day
        } else if path.starts_with("/api/v1/hotline/tickets/") || path.starts_with("/hotline/tickets/") {
            self.hotline
        } else if path.starts_with("/api/v1/rule-making/decisions/")
            || path.starts_with("/rule-making/decisions/")
            || path.starts_with("/rule-making/consultations/")
        {
            self.rule_decision
        } else if path.starts_with("/api/v1/rule-making/documents/") || path.starts_with("/rule-making/documents/") {
            self.rule_document
        } else if path.starts_with("/api/v1/rule-making/cleanups/") || path.starts_with("/rule-making/cleanups/") {
            self.rule_cleanup
        } else if path.starts_with("/api/v1/enforcement/cases/") || path.starts_with("/enforcement/cases/") {
            self.enforcement
        } else if path.starts_with("/api/v1/enforcement/inspections/") || path.starts_with("/enforcement/inspections/")
        {
            self.enforcement_draw
        } else if path.starts_with("/api/v1/elderly-care/institutions/")
            || path.starts_with("/elderly-care/institutions/")
        {
            self.institution
        } else if path.starts_with("/api/v1/reports/versions/") || path.starts_with("/reports/versions/") {
            self.report_version
        } else if path.starts_with("/api/v1/organizations/") || path.starts_with("/organizations/") {
            self.organization
        } else if path.starts_with("/api/v1/rule-of-law/records/") || path.starts_with("/rule-of-law/records/") {
            self.rule_of_law
        } else {
            self.case
        };
        let number = if path.starts_with("/verify/certificate/") { "J511702-2021-000001" } else { &self.case_number };
        let uri = path
            .replace("{id}", &id.to_string())
            .replace("{code}", RECORD_DIVISION)
            .replace("{date}", "2021-10-01")
            .replace("{year}", "2021")
            .replace("{key}", "suggestions:deputy_assigned")
            .replace("{slug}", "elderly-care-filing")
            .replace("{kind}", "acceptance")
            .replace("{aid}", "1")
            .replace("{act}", "1")
            .replace("{hash}", &"0".repeat(64))
            .replace("{comment}", "1")
            .replace("{application}", "1")
            .replace("{n}", "1")
            .replace("{number}", number)
            .replace("{register}", "publicity");
        match path {
            "/api/v1/calendar/add-workdays" | "/api/v1/calendar/add-days" => format!("{uri}?date=2021-09-30&n=1"),
            "/api/v1/persons" => format!("{uri}?limit=500"),
            "/cases" => format!("{uri}?number={}", self.case_number),
            "/api/v1/assistance/payment-roll" | "/api/v1/assistance/payment-roll.xlsx" => {
                format!("{uri}?county={RECORD_DIVISION}&month=2021-06")
            }
            "/api/v1/suggestions/stats" => format!("{uri}?year=2021"),
            "/api/v1/hotline/tickets"
            | "/api/v1/hotline/export"
            | "/api/v1/hotline/stats"
            | "/api/v1/hotline/rectifications"
            | "/hotline"
            | "/hotline/rectifications" => format!("{uri}?year=2021"),
            "/api/v1/rule-making/stats" | "/api/v1/rule-making/decisions" => format!("{uri}?year=2021"),
            "/api/v1/disclosure/report"
            | "/api/v1/disclosure/report.xlsx"
            | "/api/v1/enforcement/stats"
            | "/api/v1/elderly-care/stats" => {
                format!("{uri}?year=2021")
            }
            "/api/v1/assistance/rechecks-due" => format!("{uri}?county={RECORD_DIVISION}&on=2021-06-01"),
            "/api/v1/assistance/standard-raise" | "/assistance/standard-raise" => {
                format!("{uri}?county={RECORD_DIVISION}&rule_version=511700-2021-07")
            }
            "/api/v1/assistance/received-from-other-provinces" => {
                format!("{uri}?county={RECORD_DIVISION}&from=2021-01-01&to=2021-12-31")
            }
            _ => uri,
        }
    }

    /// Whether a list shows the record.
    fn shown(&self, record: Record, reply: &Reply) -> bool {
        let id = match record {
            Record::Person => self.person,
            Record::Case => self.case,
            Record::Account => self.account,
        };
        // Sent on to the record's page (the search by number), or shown on a page that found it
        // (an error page may echo the query: it shows nothing).
        if reply.status.is_redirection() {
            return reply.header("location") == Some(format!("/cases/{id}").as_str());
        }
        if !reply.status.is_success() {
            return false;
        }
        if reply.header("content-type").is_some_and(|t| t.starts_with("text/html")) {
            return reply.text().contains(&self.case_number);
        }
        reply.json()["items"].as_array().is_some_and(|items| items.iter().any(|item| item["id"] == id))
    }
}

/// Two officers in the register of 通川区 and a case filed there.
async fn enforcement_case(api: &Api) -> (i64, [i64; 2]) {
    use domain::verticals::enforcement::OfficerInput;
    let app = &api.t.app;
    let leader = api.t.staff("matrix-enf-leader", "leader", RECORD_DIVISION).await;
    let mut ids = [0; 2];
    for (slot, no) in ids.iter_mut().zip(["M-0001", "M-0002"]) {
        let input = OfficerInput {
            name: format!("执法{no}"),
            certificate_no: no.into(),
            area: "通川区".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: "2019-01-01".into(),
            valid_until: "2023-12-31".into(),
            training_hours: "40".into(),
            legal_qualification: false,
        };
        *slot = app.enforcement_add_officer(&leader, RECORD_DIVISION, &input, "").await.expect("officer");
    }
    let officer = api.t.staff("matrix-enf-officer", "enforcement_officer", RECORD_DIVISION).await;
    let input = service::verticals::enforcement::FileInput {
        division: RECORD_DIVISION.into(),
        organization: Some(domain::organization::OrganizationInput {
            name: "达州市青年志愿者协会".into(),
            credit_code: "515117025041234500".into(),
            representative: None,
            division: RECORD_DIVISION.into(),
        }),
        violation: "未按规定参加年度检查".into(),
        act_ended_on: "2021-05-31".into(),
        officers: ids.to_vec(),
        ..Default::default()
    };
    (app.enforcement_file(&officer, &input).await.expect("立案"), ids)
}

/// A caller: an account holding one role at one division, signed in with a cookie session.
struct Caller {
    role: &'static str,
    rel: Rel,
    username: String,
    session: String,
    csrf: String,
}

impl Caller {
    fn label(caller: Option<&Caller>) -> String {
        caller.map_or("not signed in".to_string(), |c| format!("{} at {:?}", c.role, c.rel))
    }
}

fn expected(who: Who, caller: Option<&Caller>) -> bool {
    match (who, caller) {
        (Who::Public, _) => true,
        (_, None) => false,
        (Who::SignedIn, Some(_)) => true,
        (Who::Anywhere(roles), Some(c)) => roles.contains(&c.role),
        (Who::Reaching(roles, rels), Some(c)) => roles.contains(&c.role) && rels.contains(&c.rel),
        (Who::ClerkReachingOrCitizen, Some(c)) => {
            c.role == "citizen" || (c.role == "clerk" && REACHES.contains(&c.rel))
        }
    }
}

fn denied(reply: &Reply) -> bool {
    matches!(reply.status.as_u16(), 401 | 403)
        || (reply.status.as_u16() == 303 && reply.header("location").is_some_and(|l| l.starts_with("/login")))
}

/// How a caller authenticates one request.
enum Credentials {
    None,
    Bearer(String),
    /// A cookie session and its CSRF token.
    Cookie(String, String),
}

impl Credentials {
    fn auth(&self) -> Auth<'_> {
        match self {
            Credentials::None => Auth::None,
            Credentials::Bearer(token) => Auth::Bearer(token),
            Credentials::Cookie(session, csrf) => Auth::Cookie { session, csrf: Some(csrf) },
        }
    }
}

async fn call(api: &Api, fixture: &Fixture, row: &Row, credentials: &Credentials) -> Reply {
    let uri = fixture.uri(row.path);
    let mut builder = Request::builder().method(row.method).uri(&uri);
    let session = match credentials {
        Credentials::None => None,
        Credentials::Bearer(token) => {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            None
        }
        Credentials::Cookie(session, csrf) => {
            builder = builder.header(header::COOKIE, format!("mz_session={session}")).header("x-csrf-token", csrf);
            Some((session, csrf))
        }
    };
    let body = match row.send {
        Send::Nothing => Body::empty(),
        Send::Json(body) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(body(fixture).to_string())
        }
        Send::Form(fields) => {
            builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            let mut fields = fields(fixture);
            if let Some((_, csrf)) = session {
                fields.push(("csrf_token", csrf.to_string()));
            }
            let encoded: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}={}", crate::helpers::urlencode(k), crate::helpers::urlencode(v)))
                .collect();
            Body::from(encoded.join("&"))
        }
    };
    api.send(builder.body(body).expect("request")).await
}

on_both!(every_role_at_every_relation_on_every_endpoint, |db| async move {
    // Simulated, so that the clock endpoint exists too.
    let api = Api::simulated(db).await;
    let fixture = Fixture::new(&api).await;
    let doc = api.get("/api/v1/openapi.json", Auth::None).await.json();
    let mut documented = Vec::new();
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for method in operations.as_object().expect("operations").keys() {
            documented.push((method.to_ascii_uppercase(), path.clone()));
        }
    }
    let mut failures = Vec::new();
    for (method, path) in &documented {
        if !SPEC.iter().any(|r| r.method == method && r.path == path) {
            failures.push(format!(
                "{method} {path} has no access expectation: add a row for it to SPEC in \
                 crates/web/tests/it/access_matrix.rs saying who may call it"
            ));
        }
    }
    for row in SPEC {
        if !documented.iter().any(|(m, p)| m == row.method && p == row.path) {
            failures.push(format!("{} {} is in SPEC but not in the OpenAPI document", row.method, row.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let mut callers = Vec::new();
    for role in ROLES {
        for (rel, division) in RELATIONS {
            let username = format!("m-{role}-{division}");
            api.t.staff(&username, role, division).await;
            let (session, csrf) = api.cookie_login(&username, STAFF_PASSWORD).await;
            callers.push(Caller { role, rel, username, session, csrf });
        }
    }

    let mut checked = 0;
    for row in SPEC {
        let what = format!("{} {}", row.method, row.path);
        for caller in std::iter::once(None).chain(callers.iter().map(Some)) {
            // Signing out concerns the caller's own session, not a division: one caller per role
            // (each needs a login of its own, and logins are deliberately slow).
            if row.ends.is_some() && caller.is_some_and(|c| c.rel != Rel::Own) {
                continue;
            }
            let credentials = match (caller, row.ends) {
                (None, _) => Credentials::None,
                (Some(c), None) => Credentials::Cookie(c.session.clone(), c.csrf.clone()),
                (Some(c), Some(Ends::Bearer)) => Credentials::Bearer(api.token(&c.username, STAFF_PASSWORD).await),
                (Some(c), Some(Ends::Cookie)) => {
                    let (session, csrf) = api.cookie_login(&c.username, STAFF_PASSWORD).await;
                    Credentials::Cookie(session, csrf)
                }
            };
            let reply = call(&api, &fixture, row, &credentials).await;
            checked += 1;
            let who = Caller::label(caller);
            if reply.status.is_server_error() {
                failures.push(format!("{what} as {who}: {} {}", reply.status, reply.text()));
                continue;
            }
            let allow = expected(row.who, caller);
            let was_denied = match (row.ends, caller) {
                // Signing out is allowed when the session is over afterwards.
                (Some(_), Some(_)) => api.get("/api/v1/me", credentials.auth()).await.status != 401,
                _ => denied(&reply),
            };
            if allow == was_denied {
                let (wanted, got) = if allow { ("allowed", "denied") } else { ("denied", "allowed") };
                let text = reply.text();
                let title = text.split("<title>").nth(1).and_then(|t| t.split("</title>").next());
                let body: String = title.unwrap_or(&text).chars().take(160).collect();
                failures.push(format!("{what} as {who}: expected {wanted}, {got}: {} {body}", reply.status));
                continue;
            }
            if let (Some(shows), Some(c)) = (row.shows, caller) {
                let reaches = shows.roles.contains(&c.role) && REACHES.contains(&c.rel);
                let shown = fixture.shown(shows.record, &reply);
                if shown && !reaches {
                    failures.push(format!("{what} as {who}: shows the record sideways"));
                } else if shows.exactly && reaches && !shown {
                    failures.push(format!("{what} as {who}: hides the record from someone it reaches"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    let ends = SPEC.iter().filter(|r| r.ends.is_some()).count();
    assert_eq!(checked, (SPEC.len() - ends) * (ROLES.len() * RELATIONS.len() + 1) + ends * (ROLES.len() + 1));
});
