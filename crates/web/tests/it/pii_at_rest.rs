//! Personal data after a working session over HTTP (persons registered, cases submitted with new
//! applicants and taken to a decision, searches, pages, notices, refusals carrying the numbers):
//! no citizen ID number and no mobile number in clear in any column of any table, in any response
//! body but the deliberate full view, or in the log lines captured so far in this test binary;
//! and every endpoint that reads a person's record (from the OpenAPI document) records the read.
//!
//! The scan does not look for the test's own numbers only: any 18-character ID number with a
//! valid check character, or any 11-digit mobile number, standing as a token of its own, counts.

use serde_json::json;
use sqlx::Row;
use test_support::{on_both, Db};

use crate::helpers::{self, application, id_number, Api, Auth, Reply};

/// Tokens of the text that are a citizen ID number (GB 11643-1999, check character valid) or a
/// mobile number (11 digits, 13x-19x), in clear.
fn clear_numbers(text: &str) -> Vec<String> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|token| {
            let bytes = token.as_bytes();
            let id = bytes.len() == 18 && bytes[..17].iter().all(u8::is_ascii_digit) && {
                let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
                b"10X98765432"[(sum % 11) as usize] == bytes[17].to_ascii_uppercase()
            };
            let phone = bytes.len() == 11
                && bytes.iter().all(u8::is_ascii_digit)
                && bytes[0] == b'1'
                && (b'3'..=b'9').contains(&bytes[1]);
            id || phone
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_scan_finds_numbers_and_leaves_masks_and_hashes() {
    let id = id_number("511702", "19400101", 170);
    let text = format!("{{\"id_number\":\"{id}\",\"phone\":\"13812345678\"}} 5117************** 138****5678");
    assert_eq!(clear_numbers(&text), [id.as_str(), "13812345678"]);
    let hashes = "a3f1 1622505600000 4f9e2b7c5117021940010117060000000000000000000000000000000000000000 12345678901";
    assert!(clear_numbers(hashes).is_empty(), "{:?}", clear_numbers(hashes));
}

/// Every value of every column of every table, as text.
async fn whole_database(api: &Api, db: Db) -> Vec<(String, String)> {
    let raw = api.t.db.raw().await;
    let tables_sql = match db {
        Db::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Db::Postgres => "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
    };
    let tables: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(&raw).await.expect("tables");
    assert!(tables.iter().any(|t| t == "cases") && tables.iter().any(|t| t == "persons"), "{tables:?}");
    let mut out = Vec::new();
    for table in tables {
        let rows = sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(&raw).await.expect("select *");
        for row in &rows {
            for i in 0..row.len() {
                let value = if let Ok(text) = row.try_get::<Option<String>, _>(i) {
                    text.unwrap_or_default()
                } else if let Ok(n) = row.try_get::<Option<i64>, _>(i) {
                    n.map(|n| n.to_string()).unwrap_or_default()
                } else if let Ok(bytes) = row.try_get::<Option<Vec<u8>>, _>(i) {
                    String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
                } else {
                    panic!("column {i} of {table} is neither text, integer nor bytes");
                };
                out.push((table.clone(), value));
            }
        }
    }
    raw.close().await;
    out
}

/// The acts on a person's record stream.
async fn person_acts(api: &Api, person: i64) -> Vec<String> {
    let events = api.t.app.store.stream_events(&format!("person:{person}")).await.expect("events");
    events.into_iter().map(|e| e.act).collect()
}

on_both!(no_clear_id_or_phone_number_at_rest_in_bodies_or_logs, |db| async move {
    let logs = helpers::logs();
    let api = Api::new(db).await;
    let city = api.staff_token("city-clerk", "clerk", "511700").await;
    let reviewer = api.staff_token("city-reviewer", "reviewer", "511700").await;
    let decider = api.staff_token("city-decider", "decider", "511700").await;
    let county = api.staff_token("county-clerk", "clerk", "511702").await;
    let (city, county) = (Auth::Bearer(&city), Auth::Bearer(&county));
    let mut replies: Vec<(String, Reply)> = Vec::new();

    // Persons, with ID and phone numbers, and their searches.
    let mut persons = Vec::new();
    for order in 11..14 {
        let id = id_number("511702", "19700101", order);
        let body =
            json!({"name": "测试人", "id_number": id, "phone": format!("139000000{order}"), "division": "511702"});
        let created = api.post("/api/v1/persons", county, body.clone()).await;
        assert_eq!(created.status, 201, "{}", created.text());
        persons.push(created.json()["id"].as_i64().expect("id"));
        replies.push(("create".into(), created));
        replies.push(("duplicate".into(), api.post("/api/v1/persons", county, body).await));
        let search = api.post("/api/v1/persons/search", county, json!({"id_number": id})).await;
        assert_eq!(search.json()["items"][0]["id"], *persons.last().expect("person"));
        replies.push(("search".into(), search));
    }
    // Cases with new applicants (ID and phone in the body), one taken to its decision.
    let mut cases = Vec::new();
    for order in 21..24 {
        let created = api.post("/api/v1/cases", city, application(order)).await;
        assert_eq!(created.status, 201, "{}", created.text());
        cases.push(created.json());
        replies.push(("submit".into(), created));
    }
    let first = cases[0]["id"].as_i64().expect("case id");
    let number = cases[0]["number"].as_str().expect("number").to_string();
    for (token, act) in [
        (&city, json!({"action": "accept"})),
        (&Auth::Bearer(&reviewer), json!({"action": "review", "verdict": "approve", "opinion": "同意"})),
        (&Auth::Bearer(&decider), json!({"action": "decide", "grant": true})),
    ] {
        let reply = api.act(first, *token, act).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        replies.push(("act".into(), reply));
    }
    // Refusals carrying the numbers.
    let id = id_number("511702", "19700101", 31);
    for (what, body) in [
        (
            "bad checksum",
            json!({"name": "张三", "id_number": format!("{}0", &id[..17]), "phone": "13912345678", "division": "511702"}),
        ),
        ("bad phone", json!({"name": "张三", "id_number": id, "phone": "139123456789", "division": "511702"})),
        ("bad division", json!({"name": "张三", "id_number": id, "phone": "13912345678", "division": "999999"})),
        ("other county", json!({"name": "张三", "id_number": id, "phone": "13912345678", "division": "511703"})),
    ] {
        replies.push((what.into(), api.post("/api/v1/persons", county, body).await));
    }
    let mut bad_case = application(41);
    bad_case["applicant"]["phone"] = json!("1391234567");
    replies.push(("case with a bad phone".into(), api.post("/api/v1/cases", city, bad_case).await));
    let mut other_person = application(42);
    other_person["applicant"]["division"] = json!("511703");
    other_person["accepting_division"] = json!("511703");
    replies.push(("case at another window".into(), api.post("/api/v1/cases", county, other_person).await));
    // Reads: lists, the case and its record, pages, notices, the public verification.
    for path in [
        "/api/v1/persons".to_string(),
        format!("/api/v1/persons/{}", persons[0]),
        "/api/v1/cases".to_string(),
        format!("/api/v1/cases/{first}"),
        format!("/api/v1/cases/{first}/events"),
    ] {
        replies.push((path.clone(), api.get(&path, city).await));
    }
    let (session, _) = api.cookie_login("city-clerk", helpers::STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    for path in [
        format!("/cases/{first}"),
        "/work".to_string(),
        format!("/cases?number={number}"),
        format!("/cases/{first}/notices/acceptance"),
        format!("/cases/{first}/notices/decision"),
    ] {
        let page = api.get(&path, cookie).await;
        // (A search by an exact number goes straight to the case.)
        assert!(page.status == 200 || page.status == 303, "{path}: {} {}", page.status, page.text());
        replies.push((path, page));
    }
    // The full view is the one place a number is shown in clear, on purpose (and recorded).
    let full = api.get(&format!("/api/v1/persons/{}/full", persons[0]), county).await;
    assert_eq!(clear_numbers(&full.text()).len(), 2, "the full view shows both: {}", full.text());

    let mut leaks = Vec::new();
    for (what, reply) in &replies {
        assert!(!reply.status.is_server_error(), "{what}: {}", reply.text());
        for number in clear_numbers(&reply.text()) {
            leaks.push(format!("response of {what} ({}): {number}", reply.status));
        }
    }
    let stored = whole_database(&api, db).await;
    // The scan reads the rows: the masked copies are there.
    assert!(stored.iter().any(|(t, v)| t == "persons" && v.contains("5117**********")), "persons read");
    assert!(stored.iter().any(|(t, v)| t == "cases" && v.starts_with('{') && v.contains(&number)), "case states read");
    for (table, value) in stored {
        for number in clear_numbers(&value) {
            leaks.push(format!("table {table}: {number} in {value}"));
        }
    }
    for line in logs.text().lines() {
        for number in clear_numbers(line) {
            leaks.push(format!("log line: {number} in {line}"));
        }
    }
    assert!(leaks.is_empty(), "{} numbers in clear:\n{}", leaks.len(), leaks.join("\n"));
});

on_both!(every_read_of_a_persons_record_is_an_event, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let person = api.create_person(&clerk, "张三", &id_number("511702", "19400101", 170), "511702").await;
    let person = person["id"].as_i64().expect("id");
    let doc = api.get("/api/v1/openapi.json", Auth::None).await.json();
    let reads: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, operations)| path.starts_with("/api/v1/persons/{id}") && operations.get("get").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    assert!(reads.len() >= 3, "{reads:?}");
    for path in reads {
        let before = person_acts(&api, person).await;
        let reply = api.get(&path.replace("{id}", &person.to_string()), Auth::Bearer(&clerk)).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        let after = person_acts(&api, person).await;
        assert_eq!(after.len(), before.len() + 1, "{path} is recorded on the person's stream: {after:?}");
        assert!(after.last().is_some_and(|a| a.starts_with("person.")), "{path}: {after:?}");
    }
    // A refused read is not a read.
    let other = api.staff_token("clerk703", "clerk", "511703").await;
    let before = person_acts(&api, person).await;
    api.get(&format!("/api/v1/persons/{person}/full"), Auth::Bearer(&other)).await.assert_error(403, "forbidden");
    assert_eq!(person_acts(&api, person).await, before);
});
