//! 办件查询 by staff: by number, ID number (keyed hash) or name, cut to the caller's grants,
//! every search recorded with the query masked.

use test_support::on_both;

use crate::helpers::{application, id_number, Api, Auth, STAFF_PASSWORD};

on_both!(staff_search_by_number_id_and_name_within_their_grants, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let case = api.post("/api/v1/cases", Auth::Bearer(&clerk), application(1)).await.json();
    let (id, number) = (case["id"].as_i64().expect("id"), case["number"].as_str().expect("number").to_string());
    let (session, _) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };

    let by_number = api.get(&format!("/cases?q={number}"), me).await;
    assert_eq!((by_number.status.as_u16(), by_number.header("location")), (303, Some(format!("/cases/{id}").as_str())));
    let id_text = id_number("511702", "19800101", 1);
    for query in [id_text.clone(), crate::helpers::urlencode("王小明")] {
        let found = api.get(&format!("/cases?q={query}"), me).await;
        assert_eq!(found.status, 200, "{}", found.text());
        let html = found.text();
        assert!(html.contains(&format!("<a href=\"/cases/{id}\">{number}</a>")), "{query}: {html}");
        assert!(!html.contains("王小明</td>"), "the applicant is masked");
    }
    // The form posts, so the ID number stays out of the address bar; it carries the CSRF token.
    let (_, csrf) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let posted = api.form("/cases", Some(&session), &[("csrf_token", &csrf), ("q", &id_text)]).await;
    assert_eq!(posted.status, 403, "the token of another session: {}", posted.text());
    let (session2, csrf2) = api.cookie_login("clerk700", STAFF_PASSWORD).await;
    let posted = api.form("/cases", Some(&session2), &[("csrf_token", &csrf2), ("q", &id_text)]).await;
    assert_eq!(posted.status, 200, "{}", posted.text());
    assert!(posted.text().contains(&format!("<a href=\"/cases/{id}\">{number}</a>")));
    let nobody = api.get(&format!("/cases?q={}", id_number("511702", "19800101", 99)), me).await.text();
    assert!(nobody.contains("（0 件）"), "{nobody}");
    let bad = api.get("/cases?q=12345", me).await;
    assert_eq!(bad.status, 422);

    // Another township's officer finds nothing by name, nor by number: the number outside their
    // jurisdiction reads exactly as an unknown one of the same form, by link and by form post,
    // so that the sequence of another county's numbers cannot be probed.
    api.t.staff("xicheng", "township_officer", "511702002").await;
    let (other, other_csrf) = api.cookie_login("xicheng", STAFF_PASSWORD).await;
    let them = Auth::Cookie { session: &other, csrf: None };
    let html = api.get(&format!("/cases?q={}", crate::helpers::urlencode("王小明")), them).await.text();
    assert!(html.contains("（0 件）") && !html.contains(&format!("href=\"/cases/{id}\"")), "{html}");
    let unknown = format!("{}999999", &number[..number.len() - 6]);
    assert!(api.t.app.store.case_by_number(&unknown).await.is_err(), "{unknown} is not a case");
    // The page echoes the query (in its message and its field), nowhere else.
    let same = |text: String, n: &str| {
        text.replace(&format!("“{n}”"), "“NUMBER”").replace(&format!("value=\"{n}\""), "value=\"NUMBER\"")
    };
    let sideways = api.get(&format!("/cases?q={number}"), them).await;
    let missing = api.get(&format!("/cases?q={unknown}"), them).await;
    assert_eq!((sideways.status.as_u16(), missing.status.as_u16()), (404, 404), "{}", sideways.text());
    assert_eq!(same(sideways.text(), &number), same(missing.text(), &unknown));
    let sideways = api.form("/cases", Some(&other), &[("csrf_token", &other_csrf), ("q", &number)]).await;
    let missing = api.form("/cases", Some(&other), &[("csrf_token", &other_csrf), ("q", &unknown)]).await;
    assert_eq!((sideways.status.as_u16(), missing.status.as_u16()), (404, 404), "{}", sideways.text());
    assert_eq!(same(sideways.text(), &number), same(missing.text(), &unknown));
    // Both are recorded alike: found nothing.
    let officer = api.t.app.account_by_username("xicheng").await.expect("account");
    let events = api.t.app.store.stream_events(&format!("account:{}", officer.id)).await.expect("events");
    let probes: Vec<(String, i64)> = events
        .iter()
        .filter(|e| e.act == "case.search")
        .map(|e| serde_json::from_str::<serde_json::Value>(&e.payload).expect("payload"))
        .filter(|p| p["kind"] == "number")
        .map(|p| (p["query"].as_str().unwrap_or_default().to_string(), p["found"].as_i64().unwrap_or(-1)))
        .collect();
    let expected: Vec<(String, i64)> =
        [&number, &unknown, &number, &unknown].iter().map(|n| (n.to_string(), 0)).collect();
    assert_eq!(probes, expected);

    // Every search is recorded, the ID number and name masked.
    let account = api.t.app.account_by_username("clerk700").await.expect("account");
    let events = api.t.app.store.stream_events(&format!("account:{}", account.id)).await.expect("events");
    let searches: Vec<String> =
        events.iter().filter(|e| e.act == "case.search").map(|e| e.payload.to_string()).collect();
    assert_eq!(searches.len(), 5, "a query that is none of the three is refused, not searched: {searches:?}");
    assert!(searches.iter().all(|s| !s.contains(&id_text) && !s.contains("王小明")), "{searches:?}");
    assert!(searches.iter().any(|s| s.contains("5117**********")), "{searches:?}");
});
