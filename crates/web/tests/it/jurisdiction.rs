//! Jurisdiction through every person endpoint: a grant reaches its division and below, never a
//! neighbour. A clerk of 通川区 (511702) sees nothing of 达川区 (511703); a clerk of 达州市
//! (511700) sees both.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth};

fn ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().map(|items| items.iter().filter_map(|p| p["id"].as_i64()).collect()).unwrap_or_default()
}

on_both!(a_county_clerk_never_reaches_the_neighbouring_county, |db| async move {
    let api = Api::new(db).await;
    let city = api.staff_token("city", "clerk", "511700").await;
    let tongchuan = api.staff_token("tongchuan", "clerk", "511702").await;
    let tongchuan_id = id_number("511702", "19400101", 170);
    let dachuan_id = id_number("511703", "19700505", 21);
    let ours = api.create_person(&city, "张通川", &tongchuan_id, "511702001").await;
    let theirs = api.create_person(&city, "李达川", &dachuan_id, "511703").await;
    let (ours, theirs) = (ours["id"].as_i64().expect("id"), theirs["id"].as_i64().expect("id"));

    // Reads of the neighbour's person: refused.
    let clerk = Auth::Bearer(&tongchuan);
    api.get(&format!("/api/v1/persons/{theirs}"), clerk).await.assert_error(403, "forbidden");
    api.get(&format!("/api/v1/persons/{theirs}/full"), clerk).await.assert_error(403, "forbidden");
    // Lists and searches: nothing of 511703.
    let list = api.get("/api/v1/persons?limit=500", clerk).await.json();
    assert_eq!(ids(&list), vec![ours]);
    let by_id = api.post("/api/v1/persons/search", clerk, json!({"id_number": dachuan_id})).await;
    assert_eq!(by_id.status, 200, "{}", by_id.text());
    assert!(ids(&by_id.json()).is_empty());
    let by_name = api.post("/api/v1/persons/search", clerk, json!({"name": "李达川"})).await.json();
    assert!(ids(&by_name).is_empty());
    let by_prefix = api.post("/api/v1/persons/search", clerk, json!({"name": "李"})).await.json();
    assert!(ids(&by_prefix).is_empty());
    // Writes into the neighbour: refused, and nothing written.
    let before = api.footprint().await;
    let other = id_number("511703", "19800808", 33);
    let create = json!({"name": "王五", "id_number": other, "division": "511703"});
    api.post("/api/v1/persons", clerk, create).await.assert_error(403, "forbidden");
    let create = json!({"name": "王五", "id_number": other, "division": "511703001"});
    let reply = api.post("/api/v1/persons", clerk, create).await;
    assert!(reply.status == 403 || reply.status == 422, "{}", reply.text());
    assert_eq!(api.footprint().await, before);

    // Their own county: reachable.
    let own = api.get(&format!("/api/v1/persons/{ours}"), clerk).await;
    assert_eq!(own.status, 200, "{}", own.text());
    assert_eq!(own.json()["division_name"], "四川省达州市通川区东城街道");
    assert_eq!(api.get(&format!("/api/v1/persons/{ours}/full"), clerk).await.status, 200);

    // The city clerk reaches both.
    let city = Auth::Bearer(&city);
    for id in [ours, theirs] {
        assert_eq!(api.get(&format!("/api/v1/persons/{id}"), city).await.status, 200);
        assert_eq!(api.get(&format!("/api/v1/persons/{id}/full"), city).await.status, 200);
    }
    let mut all = ids(&api.get("/api/v1/persons", city).await.json());
    all.sort();
    assert_eq!(all, vec![ours, theirs]);
    let found = api.post("/api/v1/persons/search", city, json!({"id_number": dachuan_id})).await.json();
    assert_eq!(ids(&found), vec![theirs]);
});

on_both!(masked_reads_and_full_reads_differ, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let person = api.create_person(&clerk, "张三", "511702194001011706", "511702").await;
    assert_eq!(person["id_number_masked"], "5117**************");
    assert_eq!(person["phone_masked"], "139****5678");
    assert!(person.get("id_number").is_none());
    assert_eq!(person["sex_name"], "女");
    let id = person["id"].as_i64().expect("id");
    let masked = api.get(&format!("/api/v1/persons/{id}"), Auth::Bearer(&clerk)).await.json();
    assert!(!masked.to_string().contains("511702194001011706"));
    let full = api.get(&format!("/api/v1/persons/{id}/full"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(full["id_number"], "511702194001011706");
    assert_eq!(full["phone"], "13912345678");
    assert_eq!(full["name"], "张三");
    // Every read is recorded on the person's stream.
    let acts: Vec<String> = api
        .t
        .app
        .store
        .stream_events(&format!("person:{id}"))
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.act)
        .collect();
    assert_eq!(acts, ["person.create", "person.read", "person.read_full"]);
});

on_both!(roles_without_the_permission_are_refused, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let person = api.create_person(&clerk, "张三", "511702194001011706", "511702").await;
    let id = person["id"].as_i64().expect("id");
    // A leader reads masked records but not the full one, and writes nothing.
    let leader = api.staff_token("leader", "leader", "511700").await;
    assert_eq!(api.get(&format!("/api/v1/persons/{id}"), Auth::Bearer(&leader)).await.status, 200);
    api.get(&format!("/api/v1/persons/{id}/full"), Auth::Bearer(&leader)).await.assert_error(403, "forbidden");
    let create = json!({"name": "李四", "id_number": id_number("511702", "19500101", 11), "division": "511702"});
    api.post("/api/v1/persons", Auth::Bearer(&leader), create).await.assert_error(403, "forbidden");
    // A citizen sees no persons at all.
    let citizen = api.staff_token("citizen", "citizen", "511702").await;
    api.get("/api/v1/persons", Auth::Bearer(&citizen)).await.assert_error(403, "forbidden");
    api.get(&format!("/api/v1/persons/{id}"), Auth::Bearer(&citizen)).await.assert_error(403, "forbidden");
    api.get("/api/v1/accounts", Auth::Bearer(&citizen)).await.assert_error(403, "forbidden");
    api.get("/api/v1/audit/verify", Auth::Bearer(&citizen)).await.assert_error(403, "forbidden");
    // Unknown person: 404.
    api.get("/api/v1/persons/999999", Auth::Bearer(&clerk)).await.assert_error(404, "not_found");
});

on_both!(marital_status_is_scoped_and_recorded, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let person = api.create_person(&clerk, "张三", "511702194001011706", "511702").await;
    let id = person["id"].as_i64().expect("id");
    let reply = api.get(&format!("/api/v1/persons/{id}/marital-status"), Auth::Bearer(&clerk)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let status = reply.json();
    assert_eq!(status["status"], "unmarried");
    assert_eq!(status["status_name"], "未婚");
    assert_eq!(status["history"], json!([]));
    // Another county's clerk: 403; an unknown person: 404; the read is an event.
    let other = api.staff_token("clerk703", "clerk", "511703").await;
    api.get(&format!("/api/v1/persons/{id}/marital-status"), Auth::Bearer(&other)).await.assert_error(403, "forbidden");
    api.get("/api/v1/persons/999999/marital-status", Auth::Bearer(&clerk)).await.assert_error(404, "not_found");
    let acts: Vec<String> = api
        .t
        .app
        .store
        .stream_events(&format!("person:{id}"))
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.act)
        .collect();
    assert_eq!(acts, ["person.create", "person.marital_status_read"]);
});

// The window of 达州市 takes an application whose applicant is on file in 成都 (out of its
// reach): through the JSON API and the apply form the case is made on that record, and the
// answer and the case page show only what the clerk typed — no record id, not the record's name.
on_both!(an_application_elsewhere_tells_nothing_of_the_record, |db| async move {
    let api = Api::new(db).await;
    let chengdu = api.staff_token("chengdu", "clerk", "510104").await;
    let number = id_number("510104", "19800101", 51);
    let theirs = api.create_person(&chengdu, "李成都", &number, "510104").await["id"].as_i64().expect("id");
    let city = api.staff_token("city", "clerk", "511700").await;

    let mut body = crate::helpers::application(1);
    body["applicant"]["id_number"] = json!(number);
    let made = api.post("/api/v1/cases", Auth::Bearer(&city), body).await;
    assert_eq!(made.status, 201, "{}", made.text());
    let case = made.json();
    assert!(case["applicant"].get("person_id").is_none(), "{case}");
    assert_eq!(case["applicant"]["name"], "王**");
    assert_eq!(case["applicant"]["name_mismatch"], false);
    assert!(!made.text().contains("李"), "{}", made.text());
    let id = case["id"].as_i64().expect("case id");
    let read = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&city)).await.json();
    assert!(read["applicant"].get("person_id").is_none(), "{read}");
    // Chengdu's clerk reads the record and sees nothing new but the flag on its stream.
    let stream = api.t.app.store.stream_events(&format!("person:{theirs}")).await.expect("events");
    assert!(stream.iter().any(|e| e.act == "person.name_mismatch"));

    // The apply form, the same way.
    api.t.staff("city_form", "clerk", "511700").await;
    let (session, csrf) = api.cookie_login("city_form", crate::helpers::STAFF_PASSWORD).await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", "web-elsewhere-1"),
        ("situation", "change_name_scope"),
        ("accepting_division", "511700"),
        ("name", "赵六"),
        ("id_number", number.as_str()),
        ("phone", "13912345678"),
        ("address", ""),
        ("division", "511702"),
        ("premises_division", "511700"),
        ("materials", "application"),
        ("materials", "sponsor_approval"),
        ("materials", "meeting_resolution"),
        ("materials", "certificate"),
    ];
    let fields: Vec<(&str, &str)> = fields.into_iter().chain(crate::helpers::CHANGE_FACTS).collect();
    let made = api.form("/items/social-group-change-registration/apply", Some(&session), &fields).await;
    assert_eq!(made.status, 303, "{}", made.text());
    let location = made.header("location").unwrap_or_default().to_string();
    let page = api.get(&location, Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("赵*") && !html.contains("李*"), "{html}");
    assert!(!html.contains("不一致"), "the mismatch is the record's, not the clerk's: {html}");
});

// A page of the person list is counted after the jurisdiction's filter: a record the tree in
// memory does not reach (here one carrying 达县's code 511721, abolished in 2013, in the
// divisions table but not in the running server's tree) must not leave the page short while
// older records the caller reaches remain.
on_both!(the_person_list_fills_its_page_after_the_jurisdiction_filter, |db| async move {
    let api = Api::new(db).await;
    let city = api.staff_token("city", "clerk", "511700").await;
    let older = api.create_person(&city, "张通川", &id_number("511702", "19400101", 61), "511702").await;
    let newest = api.create_person(&city, "王达县", &id_number("511702", "19500101", 62), "511702").await;
    let raw = api.t.db.raw().await;
    sqlx::query("INSERT INTO divisions (code, name, level, parent_code) VALUES ('511721', '达县', 'county', '511700')")
        .execute(&raw)
        .await
        .expect("a code the tree does not hold");
    sqlx::query("UPDATE persons SET division_code = '511721' WHERE id = $1")
        .bind(newest["id"].as_i64().expect("id"))
        .execute(&raw)
        .await
        .expect("a record with a retired code");
    let page = api.get("/api/v1/persons?limit=1", Auth::Bearer(&city)).await.json();
    assert_eq!(ids(&page), vec![older["id"].as_i64().expect("id")], "{page}");
    let next = api.get("/api/v1/persons?limit=1&offset=1", Auth::Bearer(&city)).await.json();
    assert!(ids(&next).is_empty(), "{next}");
});

// A read by id answers an unknown id exactly as an id the caller may not read, for a caller who
// holds the permission nowhere (a citizen, the administrator for cases): nobody learns which ids
// exist by probing. Staff with the permission somewhere get 403 outside their jurisdiction and
// 404 for an unknown id (ids are one global sequence: docs/designs/decisions.md).
on_both!(a_read_by_id_does_not_tell_an_outsider_which_ids_exist, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer", "township_officer", "511702001").await;
    let person = api.create_person(&officer, "张通川", &id_number("511702", "19400101", 71), "511702001").await;
    let person = person["id"].as_i64().expect("id");
    let city = api.staff_token("city", "clerk", "511700").await;
    let made = api.post("/api/v1/cases", Auth::Bearer(&city), crate::helpers::application(73)).await;
    assert_eq!(made.status, 201, "{}", made.text());
    let case = made.json()["id"].as_i64().expect("case id");
    let household = json!({"division": "511702001", "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": person, "relationship": "applicant"}]}});
    let household = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household).await;
    assert_eq!(household.status, 201, "{}", household.text());
    let household = household.json()["id"].as_i64().expect("household id");

    let citizen = api.staff_token("citizen", "citizen", "511702").await;
    let admin = api.staff_token("admin2", "admin", "511702").await;
    let unknown = 987_654;
    for (who, token, path, existing) in [
        ("citizen", &citizen, "/api/v1/persons/{}", person),
        ("citizen", &citizen, "/api/v1/persons/{}/full", person),
        ("citizen", &citizen, "/api/v1/assistance/households/{}", household),
        ("citizen", &citizen, "/api/v1/cases/{}", case),
        ("citizen", &citizen, "/api/v1/cases/{}/events", case),
        ("admin", &admin, "/api/v1/cases/{}", case),
        ("admin", &admin, "/api/v1/cases/{}/events", case),
    ] {
        let there = api.get(&path.replace("{}", &existing.to_string()), Auth::Bearer(token)).await;
        let not_there = api.get(&path.replace("{}", &unknown.to_string()), Auth::Bearer(token)).await;
        there.assert_error(403, "forbidden");
        not_there.assert_error(403, "forbidden");
        assert_eq!(there.body, not_there.body, "{who} {path}: the same answer");
    }
    // Staff of another county: 403 for the record (they need to know they lack the grant), 404
    // for an id that does not exist.
    let neighbour = api.staff_token("neighbour", "clerk", "511703").await;
    api.get(&format!("/api/v1/persons/{person}"), Auth::Bearer(&neighbour)).await.assert_error(403, "forbidden");
    assert_eq!(api.get(&format!("/api/v1/persons/{unknown}"), Auth::Bearer(&neighbour)).await.status, 404);
});

// The case list, the same: a case the tree in memory does not reach (its state names 达县's
// retired code) must not leave the page short.
on_both!(the_case_list_fills_its_page_after_the_jurisdiction_filter, |db| async move {
    let api = Api::new(db).await;
    let city = api.staff_token("city", "clerk", "511700").await;
    let older = api.post("/api/v1/cases", Auth::Bearer(&city), crate::helpers::application(81)).await;
    assert_eq!(older.status, 201, "{}", older.text());
    let newest = api.post("/api/v1/cases", Auth::Bearer(&city), crate::helpers::application(82)).await;
    assert_eq!(newest.status, 201, "{}", newest.text());
    let raw = api.t.db.raw().await;
    sqlx::query("INSERT INTO divisions (code, name, level, parent_code) VALUES ('511721', '达县', 'county', '511700')")
        .execute(&raw)
        .await
        .expect("a code the tree does not hold");
    sqlx::query(
        "UPDATE cases SET state = REPLACE(REPLACE(state, '\"accepting\":\"511700\"', '\"accepting\":\"511721\"'), \
         '\"competent\":\"511700\"', '\"competent\":\"511721\"') WHERE id = $1",
    )
    .bind(newest.json()["id"].as_i64().expect("id"))
    .execute(&raw)
    .await
    .expect("a case the tree does not reach");
    let auth = Auth::Bearer(&city);
    let newest_id = newest.json()["id"].as_i64().expect("id");
    assert_eq!(api.get(&format!("/api/v1/cases/{newest_id}"), auth).await.status, 403, "the tree decides");
    let page = api.get("/api/v1/cases?limit=1", auth).await.json();
    assert_eq!(ids(&page), vec![older.json()["id"].as_i64().expect("id")], "{page}");
    let next = api.get("/api/v1/cases?limit=1&offset=1", auth).await.json();
    assert!(ids(&next).is_empty(), "{next}");
});
