//! What users see is for users: no page shows an internal marker (`[unconfirmed]`, `[local]`,
//! `[C-web]`, a section pointer `§4` into working notes) or an event's machine name (`assistance.decision`) where its
//! Chinese label belongs. [`internal_markers`] scans a page's visible text; the browser tests run it
//! on every page they visit, and the test here runs it over HTTP on the main staff pages of a 低保
//! case walked to its decision (so it runs even without Chromium).

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use test_support::on_both;

use crate::assistance_pages::{act, minimum_living_case};
use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

/// The streams of the record: an event name is `<stream>.<name>` (`case.accept`).
const STREAMS: [&str; 10] = [
    "case",
    "person",
    "assistance",
    "household",
    "marriage",
    "account",
    "session",
    "calendar",
    "catalog",
    "delegation",
];

/// The internal markers and event machine names in `text` (a page's visible text), each with a
/// little context; empty when the text is fit for users.
pub fn internal_markers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let context = |at: usize| -> String {
        let start = text[..at].char_indices().rev().nth(20).map_or(0, |(i, _)| i);
        text[start..].chars().take(50).collect()
    };
    let lower = text.to_lowercase();
    for marker in ["unconfirmed", "[local", "[c-", "§", "待核实", "待确认", "未确认"] {
        if let Some(at) = lower.find(marker) {
            found.push(format!("marker {marker:?}: …{}…", context(at)));
        }
    }
    // `<stream>.<lowercase or _>`, not inside a longer word or a dotted name (a host name, a file).
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'/' || b == b'.';
    for stream in STREAMS {
        let needle = format!("{stream}.");
        let mut from = 0;
        while let Some(offset) = text[from..].find(&needle) {
            let at = from + offset;
            from = at + needle.len();
            if at > 0 && word(bytes[at - 1]) {
                continue;
            }
            let rest = &bytes[from..];
            let len = rest.iter().take_while(|b| b.is_ascii_lowercase() || **b == b'_').count();
            let after = rest.get(len).copied();
            if len == 0 || after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/') {
                continue;
            }
            found.push(format!("event name {}: …{}…", &text[at..from + len], context(at)));
        }
    }
    found
}

/// Fails the test when the page's visible text shows an internal marker or an event's machine name.
pub fn assert_for_users(text: &str, page: &str) {
    let found = internal_markers(text);
    assert!(found.is_empty(), "{page} shows what is not for users:\n{}", found.join("\n"));
}

/// The visible text of an HTML page: no tags, attribute values, scripts or styles (what a reader
/// sees, roughly what `document.body.innerText` gives in a browser).
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = &rest[open..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let end = if lower.starts_with("<script") || lower.starts_with("<style") {
            let close = if lower.starts_with("<script") { "</script>" } else { "</style>" };
            rest.find(close).map(|i| i + close.len())
        } else {
            rest.find('>').map(|i| i + 1)
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    text.push_str(rest);
    text.replace("&#60;", "<").replace("&#62;", ">").replace("&#38;", "&").replace("&amp;", "&").replace("&nbsp;", " ")
}

#[test]
fn the_scan_finds_markers_and_event_names_but_not_addresses_or_prose() {
    for bad in [
        "达州市承诺时限 [unconfirmed]",
        "（可扩大到低收入等困难残疾人 [local]）",
        "依据 [C-web]",
        "见说明 §4",
        "权限下放试点（2021年）〔文号待核实〕",
        "《婚姻登记工作规范》〔条号未确认〕",
        "2021-07-05 assistance.decision（decider）",
        "marriage.registered",
        "办理过程：case.guard_refused。",
    ] {
        assert!(!internal_markers(bad).is_empty(), "{bad}");
    }
    for fine in [
        "受理（clerk）",
        "接口说明 /api/v1/openapi.json",
        "https://www.case.gov.cn/ 与 mail.person.org",
        "救助审批决定 2021年7月13日",
        "case_number person_id",
    ] {
        assert!(internal_markers(fine).is_empty(), "{fine}: {:?}", internal_markers(fine));
    }
    let html = r#"<p class="case.accept" data-x="assistance.decision">受理</p><script>let a = "case.x";</script>"#;
    assert!(internal_markers(&visible_text(html)).is_empty(), "attributes and scripts are not visible");
    assert!(!internal_markers(&visible_text("<li>case.accept</li>")).is_empty());
}

const TOWNSHIP: &str = "511702001";

fn morning(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().expect("instant")
}

on_both!(the_staff_pages_of_a_decided_case_show_no_internal_markers, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", TOWNSHIP).await;
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    api.staff_token("decider", "decider", "511702").await;
    api.staff_token("leader", "leader", "511700").await;
    let a = api.create_person(&clerk, "张一", &id_number("511702", "19700301", 31), TOWNSHIP).await;
    let b = api.create_person(&clerk, "张二", &id_number("511702", "20050601", 32), TOWNSHIP).await;
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    let income: Vec<Value> = (0..24)
        .map(|i| {
            json!({"person_id": a, "month": format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
                        "kind": "工资性收入", "amount_yuan": "1024"})
        })
        .collect();
    let household = json!({"division": TOWNSHIP, "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": a, "relationship": "applicant"}, {"person_id": b, "relationship": "child"}],
        "income": income, "assets": []}});
    let household = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household).await;
    let household = household.json()["id"].as_i64().expect("household");
    let id = minimum_living_case(&api, &clerk, a).await;
    let path = format!("/api/v1/cases/{id}/assistance-application");
    let revision: i64 = api.revision(id, Auth::Bearer(&officer)).await.parse().expect("revision");
    let application = json!({"household_id": household, "program": "minimum_living", "expected_revision": revision});
    let reply = api.post(&path, Auth::Bearer(&officer), application).await;
    assert!(reply.status == 201 || reply.status == 200, "{}", reply.text());
    act(&api, &officer, id, json!({"action": "accept"})).await;
    for _ in 0..2 {
        act(&api, &officer, id, json!({"action": "review", "verdict": "approve", "opinion": "经调查属实"})).await;
    }
    let path = format!("/api/v1/cases/{id}/assistance-publicity");
    let revision: i64 = api.revision(id, Auth::Bearer(&officer)).await.parse().expect("revision");
    let posted =
        json!({"place": "朝阳社区居委会公示栏", "posted_at": "2021-07-05 08:45", "expected_revision": revision});
    assert_eq!(api.post(&path, Auth::Bearer(&officer), posted).await.status, 201);
    let now = morning(2021, 7, 13);
    api.t.clock.set(now).expect("forward");
    api.t.app.sweep_once(now).await.expect("sweep");
    let decider = api.token("decider", STAFF_PASSWORD).await;
    act(&api, &decider, id, json!({"action": "decide", "grant": true})).await;

    // The record has the events whose machine names must not show: the application, the decision.
    let events = api.get(&format!("/api/v1/cases/{id}/events"), Auth::Bearer(&decider)).await.json();
    let events = events["items"].as_array().cloned().unwrap_or_default();
    let acts: Vec<&str> = events.iter().filter_map(|e| e["act"].as_str()).collect();
    for act in ["assistance.application", "assistance.decision", "case.accept", "case.decide"] {
        assert!(acts.contains(&act), "{act} in {acts:?}");
    }
    // The API keeps the machine name and adds the label.
    for event in &events {
        let label = event["label"].as_str().expect("a label");
        assert!(!label.is_empty() && !label.is_ascii() && label != "其他记录", "{event}");
    }

    let mut pages = vec![
        ("officer", format!("/cases/{id}")),
        ("officer", format!("/cases/{id}/notices/acceptance")),
        ("officer", format!("/cases/{id}/notices/decision")),
        ("officer", "/work".to_string()),
        ("officer", format!("/assistance/households/{household}")),
        ("officer", "/assistance/households".to_string()),
        ("decider", format!("/cases/{id}")),
        ("decider", "/assistance/payment-roll?county=511702&month=2021-08".to_string()),
        ("leader", "/dashboard".to_string()),
        ("leader", "/assistance/payment-roll?county=511702&month=2021-08".to_string()),
    ];
    pages.push(("clerk", "/work".to_string()));
    for (who, path) in pages {
        let (session, _) = api.cookie_login(who, STAFF_PASSWORD).await;
        let reply = api.get(&path, Auth::Cookie { session: &session, csrf: None }).await;
        assert_eq!(reply.status, 200, "{who} {path}: {}", reply.text());
        let html = reply.text();
        assert_for_users(&visible_text(&html), &format!("{path} as {who}"));
    }

    // The export: the roll's spreadsheet, every cell.
    let leader = api.token("leader", STAFF_PASSWORD).await;
    let xlsx = api.get("/api/v1/assistance/payment-roll.xlsx?county=511702&month=2021-08", Auth::Bearer(&leader)).await;
    assert_eq!(xlsx.status, 200);
    assert_for_users(&xlsx_text(&xlsx.body), "the payment roll's xlsx");
});

/// Everything an xlsx file's sheets hold, as text.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for cell in range.rows().flatten() {
            out.push_str(&cell.to_string());
            out.push('\t');
        }
    }
    assert!(!out.trim().is_empty(), "the roll has rows");
    out
}

on_both!(a_refused_act_and_a_refused_marriage_show_no_internal_markers, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let young = api.create_person(&clerk, "张小", &id_number("511702", "20050101", 1), "511702").await;
    let bride = api.create_person(&clerk, "李四", &id_number("511702", "19920202", 2), "511702").await;
    let (young, bride) = (young["id"].as_i64().expect("id"), bride["id"].as_i64().expect("id"));
    let body = json!({
        "item": "marriage-registration", "channel": "window", "applicant": {"person_id": young},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "declaration"],
        "data": {"other_party": bride, "declaration_signed": true},
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/cases/{id}/actions");
    let refused = api.post(&path, Auth::Bearer(&clerk), json!({"action": "accept", "expected_revision": 1})).await;
    refused.assert_error(422, "under_marriage_age");
    assert_for_users(&refused.text(), "the refusal's message");
    let events = api.get(&format!("/api/v1/cases/{id}/events"), Auth::Bearer(&clerk)).await.json();
    let refusal = events["items"].as_array().and_then(|e| e.iter().find(|e| e["act"] == "case.guard_refused").cloned());
    assert_eq!(refusal.expect("the refusal on the record")["label"], "办理条件不符，操作未执行");

    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let html = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(html.contains("办理条件不符，操作未执行"), "the refusal in 办理过程: {html}");
    assert_for_users(&visible_text(&html), "the refused case's page");
    let revision = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&clerk)).await.json()["revision"].clone();
    let revision = revision.as_i64().expect("revision").to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "decide"),
        ("expected_revision", revision.as_str()),
        ("grant", "false"),
        ("reasons", "男方未到法定结婚年龄"),
        ("basis", "《中华人民共和国民法典》第一千零四十七条"),
    ];
    let posted = api.form(&format!("/cases/{id}/act"), Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    for path in [format!("/cases/{id}"), format!("/cases/{id}/notices/decision"), "/marriage/stats".to_string()] {
        let reply = api.get(&path, me).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        assert_for_users(&visible_text(&reply.text()), &path);
    }
});

on_both!(a_registered_marriage_shows_no_internal_markers, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let man = api.create_person(&clerk, "张三", &id_number("511702", "19900101", 1), "511702").await;
    let wife = api.create_person(&clerk, "李四", &id_number("511702", "19920202", 2), "511702").await;
    let (man, wife) = (man["id"].as_i64().expect("id"), wife["id"].as_i64().expect("id"));
    let body = json!({
        "item": "marriage-registration", "channel": "window", "applicant": {"person_id": man},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "declaration"],
        "data": {"other_party": wife, "declaration_signed": true},
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    act(&api, &clerk, id, json!({"action": "accept"})).await;
    let events = api.get(&format!("/api/v1/cases/{id}/events"), Auth::Bearer(&clerk)).await.json();
    let registered =
        events["items"].as_array().and_then(|e| e.iter().find(|e| e["act"] == "marriage.registered").cloned());
    assert_eq!(registered.expect("the registration on the case's record")["label"], "婚姻登记办结");

    let (session, _) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(page.contains("婚姻登记办结"), "the registration in 办理过程: {page}");
    for path in [format!("/cases/{id}"), format!("/cases/{id}/certificate"), "/marriage/desk".to_string()] {
        let reply = api.get(&path, me).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        assert_for_users(&visible_text(&reply.text()), &path);
    }
});
