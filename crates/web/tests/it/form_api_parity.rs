//! The HTML forms and the JSON API parse one input the same way: the same bad input posted to a
//! form and to its API twin is refused by the same rule (the same Chinese message; the API adds
//! its code), and nothing is written either way.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{application, id_number, Api, Auth, CHANGE_FACTS, STAFF_PASSWORD};

const TOWNSHIP: &str = "511702001";

on_both!(an_unknown_situation_is_refused_by_the_apply_form_as_by_the_api, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let (session, csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let before = api.footprint().await;

    let mut body = application(7);
    body["situation"] = json!("no_such_situation");
    let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    reply.assert_error(422, "unknown_situation");
    let message = reply.json()["message"].as_str().expect("message").to_string();

    let id = id_number("511702", "19800101", 7);
    let page = api
        .form(
            "/items/social-group-change-registration/apply",
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("idempotency_key", "parity-situation-1"),
                ("situation", "no_such_situation"),
                ("accepting_division", "511700"),
                ("name", "王小明"),
                ("id_number", id.as_str()),
                ("phone", "13912345678"),
                ("division", "511702"),
                ("premises_division", "511700"),
                ("materials", "application"),
                ("materials", "sponsor_approval"),
                ("materials", "meeting_resolution"),
                ("materials", "certificate"),
            ]
            .into_iter()
            .chain(CHANGE_FACTS)
            .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(page.status, 422, "the form must not put the item's first situation in its place: {}", page.text());
    assert!(page.text().contains(&message), "the API's refusal on the page: {message}\n{}", page.text());
    assert_eq!(api.footprint().await, before, "no case, no person, no event");
});

on_both!(control_characters_are_refused_by_the_forms_as_by_the_api, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    let known_id = id_number("511702", "19700301", 11);
    let known = api.create_person(&officer, "张一", &known_id, TOWNSHIP).await["id"].as_i64().expect("id");
    let (clerk_session, clerk_csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let before = api.footprint().await;

    for bad in ["key\u{1b}[31m", "key\u{7}", "key\u{0}"] {
        // The body's idempotency key (ESC, BEL, NUL).
        let mut body = application(8);
        body["idempotency_key"] = json!(bad);
        let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
        reply.assert_error(422, "control_chars");
        assert_eq!(reply.json()["field"], "idempotency_key");
        let id = id_number("511702", "19800101", 8);
        let page = api
            .form(
                "/items/social-group-change-registration/apply",
                Some(&clerk_session),
                &[
                    ("csrf_token", clerk_csrf.as_str()),
                    ("idempotency_key", bad),
                    ("situation", "change_name_scope"),
                    ("accepting_division", "511700"),
                    ("name", "王小明"),
                    ("id_number", id.as_str()),
                    ("division", "511702"),
                    ("premises_division", "511700"),
                    ("materials", "application"),
                    ("materials", "sponsor_approval"),
                    ("materials", "meeting_resolution"),
                    ("materials", "certificate"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", page.text());
        assert!(page.text().contains("含有不允许的控制字符"), "{}", page.text());

        // Income kind and asset note of a household.
        let household = |kind: &str, note: &str| {
            json!({"division": TOWNSHIP, "urban": true, "version": {
                "valid_from": "2021-01-01",
                "members": [{"person_id": known, "relationship": "applicant"}],
                "income": [{"person_id": known, "month": "2020-12", "kind": kind, "amount_yuan": "100"}],
                "assets": [{"kind": "financial", "value_yuan": "10", "note": note}],
            }})
        };
        let reply = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household(bad, "存款")).await;
        reply.assert_error(422, "control_chars");
        assert_eq!(reply.json()["field"], "version.income[0].kind");
        let reply = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household("工资", bad)).await;
        reply.assert_error(422, "control_chars");
        assert_eq!(reply.json()["field"], "version.assets[0].note");
        for (kind, note) in [(bad, "存款"), ("工资", bad)] {
            let page = api
                .form(
                    "/assistance/households",
                    Some(&session),
                    &[
                        ("csrf_token", csrf.as_str()),
                        ("division", TOWNSHIP),
                        ("urban", "true"),
                        ("valid_from", "2021-01-01"),
                        ("m1_name", "张一"),
                        ("m1_id_number", known_id.as_str()),
                        ("m1_relationship", "applicant"),
                        ("i1_member", "1"),
                        ("i1_month", "2020-12"),
                        ("i1_kind", kind),
                        ("i1_amount", "100"),
                        ("a1_kind", "financial"),
                        ("a1_value", "10"),
                        ("a1_note", note),
                    ],
                )
                .await;
            assert_eq!(page.status, 422, "{}", page.text());
            assert!(page.text().contains("含有不允许的控制字符"), "{}", page.text());
        }
    }
    assert_eq!(api.footprint().await, before, "nothing written");
});

on_both!(the_household_form_refuses_a_missing_or_unknown_urban_as_the_api_does, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    let known_id = id_number("511702", "19700301", 11);
    let known = api.create_person(&officer, "张一", &known_id, TOWNSHIP).await["id"].as_i64().expect("id");
    let (session, csrf) = api.cookie_login("officer", STAFF_PASSWORD).await;
    let before = api.footprint().await;

    let reply = api
        .post(
            "/api/v1/assistance/households",
            Auth::Bearer(&officer),
            json!({"division": TOWNSHIP, "version": {
                "valid_from": "2021-01-01",
                "members": [{"person_id": known, "relationship": "applicant"}],
            }}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.json()["field"], "urban", "the API requires the boolean");

    for urban in [None, Some(""), Some("yes"), Some("城市")] {
        let mut fields = vec![
            ("csrf_token", csrf.as_str()),
            ("division", TOWNSHIP),
            ("valid_from", "2021-01-01"),
            ("m1_name", "张一"),
            ("m1_id_number", known_id.as_str()),
            ("m1_relationship", "applicant"),
        ];
        if let Some(urban) = urban {
            fields.push(("urban", urban));
        }
        let page = api.form("/assistance/households", Some(&session), &fields).await;
        assert_eq!(page.status, 422, "urban {urban:?} must not be taken as rural: {}", page.text());
        assert!(page.text().contains("请选择城市或农村"), "{}", page.text());
    }
    // A grade that is no number is refused as the API refuses a grade without its category,
    // not dropped.
    let page = api
        .form(
            "/assistance/households",
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("division", TOWNSHIP),
                ("urban", "false"),
                ("valid_from", "2021-01-01"),
                ("m1_name", "张一"),
                ("m1_id_number", known_id.as_str()),
                ("m1_relationship", "applicant"),
                ("m1_grade", "abc"),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.text());
    let reply = api
        .post(
            "/api/v1/assistance/households",
            Auth::Bearer(&officer),
            json!({"division": TOWNSHIP, "urban": false, "version": {
                "valid_from": "2021-01-01",
                "members": [{"person_id": known, "relationship": "applicant", "disability_grade": 0}],
            }}),
        )
        .await;
    reply.assert_error(422, "disability_incomplete");
    let message = reply.json()["message"].as_str().expect("message").to_string();
    assert!(page.text().contains(&message), "{message}\n{}", page.text());
    // A checkbox is the API's boolean: an unknown value is refused, not taken as checked or not.
    let page = api
        .form(
            "/assistance/households",
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("division", TOWNSHIP),
                ("urban", "false"),
                ("valid_from", "2021-01-01"),
                ("m1_name", "张一"),
                ("m1_id_number", known_id.as_str()),
                ("m1_relationship", "applicant"),
                ("m1_nursing", "maybe"),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.text());
    assert!(page.text().contains("勾选项的取值无效"), "{}", page.text());
    assert_eq!(api.footprint().await, before, "no household, no event");
});
