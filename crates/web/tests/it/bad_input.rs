//! Bad input on every endpoint, driven by the route table and the OpenAPI document: each refusal
//! is a 4xx JSON error with a code (never a 500, never axum's plain text), and a refused write
//! leaves persons, accounts and the record untouched.

use axum::http::Method;
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, Reply};

const SQL_INJECTION: &str = "'; DROP TABLE persons; --";
const SCRIPT: &str = "<script>alert(1)</script>";

/// A concrete path for a route: parameters filled with valid values.
fn concrete(path: &str, account_id: i64) -> String {
    path.replace("{id}", &account_id.to_string())
        .replace("{code}", "511702")
        .replace("{date}", "2021-10-01")
        .replace("{slug}", "minimum-living-allowance")
        .replace("{year}", "2021")
        .replace("{key}", "suggestions:deputy_assigned")
}

/// The JSON request schema of an operation, resolved, if it takes a JSON body.
pub(crate) fn request_schema(doc: &Value, method: &Method, path: &str) -> Option<Value> {
    let operation = &doc["paths"][path][method.as_str().to_ascii_lowercase()];
    let schema = operation["requestBody"]["content"]["application/json"]["schema"].clone();
    if schema.is_null() {
        return None;
    }
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            Some(doc["components"]["schemas"][name].clone())
        }
        None => Some(schema),
    }
}

#[track_caller]
fn expect(reply: &Reply, status: u16, code: &str, what: &str) {
    assert_eq!(reply.status.as_u16(), status, "{what}: {}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"), "{what}: {}", reply.text());
    assert_eq!(reply.code(), code, "{what}: {}", reply.text());
}

fn assert_not_server_error(reply: &Reply, what: &str) {
    assert!(reply.status.is_client_error(), "{what}: {} {}", reply.status, reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"), "{what}: {}", reply.text());
    assert!(!reply.code().is_empty(), "{what}: a code");
}

on_both!(every_json_endpoint_refuses_bad_bodies_with_our_errors, |db| async move {
    // Simulated, so that the clock endpoint exists too.
    let api = Api::simulated(db).await;
    let admin = api.admin_token().await;
    let auth = Auth::Bearer(&admin);
    let doc = api.get("/api/v1/openapi.json", Auth::None).await.json();
    let admin_id = api.get("/api/v1/me", auth).await.json()["account"]["id"].as_i64().expect("id");
    let before = api.footprint().await;
    let mut checked = 0;
    for (method, path) in web::route_table() {
        let Some(schema) = request_schema(&doc, &method, path) else { continue };
        let uri = concrete(path, admin_id);
        let m = method.as_str();
        let what = |case: &str| format!("{m} {path}: {case}");
        let json_type = Some("application/json");

        let malformed: [&[u8]; 5] = [b"{\"name\": ", b"", b"{} {}", b"{'a': 1}", &[0xff, 0xfe]];
        for body in malformed {
            let reply = api.raw(m, &uri, auth, json_type, body.to_vec()).await;
            expect(&reply, 400, "malformed_json", &what("malformed"));
        }
        for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
            let reply = api.raw(m, &uri, auth, content_type, b"{}".to_vec()).await;
            expect(&reply, 415, "unsupported_media_type", &what("content type"));
        }
        for body in ["[]", "null", "1", "\"text\""] {
            let reply = api.raw(m, &uri, auth, json_type, body.as_bytes().to_vec()).await;
            expect(&reply, 400, "invalid_body", &what("not an object"));
        }
        let unknown = api.call(m, &uri, auth, Some(json!({"zzz_unknown": 1}))).await;
        expect(&unknown, 400, "invalid_body", &what("unknown field"));
        assert_eq!(unknown.json()["field"], "zzz_unknown", "{}", what("unknown field"));

        let required: Vec<&str> =
            schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let missing = api.call(m, &uri, auth, Some(json!({}))).await;
        if required.is_empty() {
            assert!(missing.status.is_success(), "{}: {}", what("no required field"), missing.text());
        } else {
            expect(&missing, 400, "invalid_body", &what("missing"));
            let field = missing.json()["field"].as_str().unwrap_or_default().to_string();
            assert!(required.contains(&field.as_str()), "{}: {field}", what("missing"));
        }

        let properties = schema["properties"].as_object().cloned().unwrap_or_default();
        assert!(!properties.is_empty(), "{}", what("schema has properties"));
        for (name, property) in properties {
            // A value of the property's own type is not wrong: a boolean takes `true`, a
            // free-form object (a form's `data`) any object.
            let declared = property["type"].to_string();
            let free_form =
                property["$ref"].is_null() && property["properties"].is_null() && declared.contains("object");
            for wrong in [json!(true), json!({"nested": true}), json!(3.5)] {
                if (free_form && wrong.is_object()) || (declared.contains("boolean") && wrong.is_boolean()) {
                    continue;
                }
                let reply = api.call(m, &uri, auth, Some(json!({ name.clone(): wrong }))).await;
                expect(&reply, 400, "invalid_body", &what("wrong type"));
                // The property itself, or (an object's unknown member) a field inside it.
                let field = reply.json()["field"].as_str().unwrap_or_default().to_string();
                assert!(field == name || field.starts_with(&format!("{name}.")), "{}: {field}", what("wrong type"));
            }
        }

        // Oversize: 2 MiB, declared and undeclared.
        let big = format!("{{\"name\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
        let reply = api.raw(m, &uri, auth, json_type, big.clone().into_bytes()).await;
        expect(&reply, 413, "body_too_large", &what("2 MiB"));
        let request = axum::http::Request::builder()
            .method(m)
            .uri(&uri)
            .header("authorization", format!("Bearer {admin}"))
            .header("content-type", "application/json")
            .header("content-length", big.len().to_string())
            .body(axum::body::Body::from(big))
            .expect("request");
        expect(&api.send(request).await, 413, "body_too_large", &what("2 MiB, declared"));
        checked += 1;
    }
    assert!(checked >= 8, "every JSON endpoint was exercised: {checked}");
    assert_eq!(api.footprint().await, before, "no refused request wrote anything");
});

on_both!(bad_path_and_query_parameters_are_400_json, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let auth = Auth::Bearer(&admin);
    let doc = api.get("/api/v1/openapi.json", Auth::None).await.json();
    let before = api.footprint().await;
    let bad_values =
        ["abc", "1.5", "99999999999999999999999", "%27%3B%20DROP%20TABLE%20persons%3B%20--", "%3Cscript%3E"];
    for (method, path) in web::route_table() {
        if !path.contains('{') {
            continue;
        }
        let body = request_schema(&doc, &method, path).map(|_| json!({}));
        // A slug has no format to break: any text is looked up (404); see items.rs. So is a
        // register's name (rule_of_law.rs).
        let path = path.replace("{slug}", "minimum-living-allowance").replace("{register}", "publicity");
        if !path.contains('{') {
            continue;
        }
        for bad in bad_values {
            let uri = path.replace("{id}", bad).replace("{code}", bad).replace("{date}", bad);
            let reply = api.call(method.as_str(), &uri, auth, body.clone()).await;
            if path.starts_with("/api/") {
                assert_eq!(reply.status, 400, "{method} {uri}: {}", reply.text());
                assert_not_server_error(&reply, &uri);
            } else {
                // A page answers with a page: 400 for a malformed parameter, 404 for an unknown one.
                assert!(reply.status.is_client_error(), "{method} {uri}: {} {}", reply.status, reply.text());
                assert!(reply.header("content-type").is_some_and(|t| t.starts_with("text/html")), "{uri}");
            }
        }
    }
    let queries = [
        ("/api/v1/persons?limit=abc", "invalid_query", Some("limit")),
        ("/api/v1/persons?offset=-", "invalid_query", Some("offset")),
        ("/api/v1/persons?id_number=511702194001011706", "invalid_query", Some("id_number")),
        ("/api/v1/calendar/add-workdays?date=2021-09-30&n=foo", "invalid_query", Some("n")),
        ("/api/v1/calendar/add-workdays?date=2021-09-30&n=-1", "invalid_query", Some("n")),
        ("/api/v1/calendar/add-workdays?date=2021-09-30", "invalid_query", Some("n")),
        ("/api/v1/calendar/add-days?date=not-a-date&n=1", "invalid_query", Some("date")),
        ("/api/v1/calendar/add-days?date=2021-02-30&n=1", "invalid_query", Some("date")),
        ("/api/v1/divisions?parent=abc", "division_invalid_code", Some("parent")),
        ("/api/v1/divisions?parent=511702&x=1", "invalid_query", Some("x")),
    ];
    for (uri, code, field) in queries {
        let reply = api.get(uri, auth).await;
        reply.assert_error(400, code);
        assert_eq!(reply.json()["field"].as_str(), field, "{uri}");
    }
    // In range for the parser, out of range for the rule: 422.
    api.get("/api/v1/persons?limit=0", auth).await.assert_error(422, "invalid_limit");
    api.get("/api/v1/persons?limit=501", auth).await.assert_error(422, "invalid_limit");
    api.get("/api/v1/persons?offset=-1", auth).await.assert_error(422, "invalid_offset");
    assert_eq!(api.footprint().await, before);
});

on_both!(injection_and_markup_are_refused_or_stored_as_plain_text, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let (admin, clerk) = (Auth::Bearer(&admin), Auth::Bearer(&clerk));
    let valid_id = id_number("511702", "19600101", 12);
    let admin_id = api.get("/api/v1/me", admin).await.json()["account"]["id"].as_i64().expect("id");
    let grants = format!("/api/v1/accounts/{admin_id}/grants");
    let password = format!("/api/v1/accounts/{admin_id}/password");
    let before = api.footprint().await;

    let refused: Vec<(&str, &str, Auth, Value, u16, &str)> = vec![
        (
            "POST",
            "/api/v1/persons",
            clerk,
            json!({"name": SQL_INJECTION, "id_number": SQL_INJECTION, "division": "511702"}),
            422,
            "id_length",
        ),
        (
            "POST",
            "/api/v1/persons",
            clerk,
            json!({"name": SCRIPT, "id_number": valid_id, "division": SQL_INJECTION}),
            422,
            "unknown_division",
        ),
        (
            "POST",
            "/api/v1/persons",
            clerk,
            json!({"name": "张三", "id_number": valid_id, "phone": SCRIPT, "division": "511702"}),
            422,
            "invalid_phone",
        ),
        (
            "POST",
            "/api/v1/persons",
            clerk,
            json!({"name": "张三", "id_number": valid_id, "division": SCRIPT}),
            422,
            "unknown_division",
        ),
        (
            "POST",
            "/api/v1/persons",
            clerk,
            json!({"name": "", "id_number": valid_id, "division": "511702"}),
            422,
            "required",
        ),
        (
            "POST",
            "/api/v1/persons",
            clerk,
            json!({"name": "张\u{0}三", "id_number": valid_id, "division": "511702"}),
            422,
            "control_chars",
        ),
        ("POST", "/api/v1/persons/search", clerk, json!({"id_number": SQL_INJECTION}), 422, "id_length"),
        (
            "POST",
            "/api/v1/accounts",
            admin,
            json!({"username": SQL_INJECTION, "display_name": SCRIPT, "password": "good-pass-2021", "grants": [{"role": "clerk", "division": "511702"}]}),
            422,
            "invalid_username",
        ),
        (
            "POST",
            "/api/v1/accounts",
            admin,
            json!({"username": "newuser", "display_name": "新用户", "password": "good-pass-2021", "grants": [{"role": SQL_INJECTION, "division": "511702"}]}),
            422,
            "unknown_role",
        ),
        (
            "POST",
            "/api/v1/accounts",
            admin,
            json!({"username": "newuser", "display_name": "新用户", "password": "good-pass-2021", "grants": [{"role": "clerk", "division": SCRIPT}]}),
            422,
            "unknown_division",
        ),
        (
            "POST",
            "/api/v1/accounts",
            admin,
            json!({"username": "newuser", "display_name": "新用户", "password": "good-pass-2021", "grants": []}),
            422,
            "grant_required",
        ),
        ("POST", &grants, admin, json!({"role": "clerk", "division": SQL_INJECTION}), 422, "unknown_division"),
        ("PUT", &password, admin, json!({"password": SQL_INJECTION}), 422, "weak_password"),
        (
            "POST",
            "/api/v1/calendar/versions",
            admin,
            json!({"csv": SQL_INJECTION, "source": SCRIPT}),
            422,
            "calendar_header",
        ),
        (
            "POST",
            "/api/v1/auth/token",
            Auth::None,
            json!({"username": SQL_INJECTION, "password": SQL_INJECTION}),
            401,
            "bad_credentials",
        ),
        (
            "POST",
            "/api/v1/auth/login",
            Auth::None,
            json!({"username": SCRIPT, "password": SCRIPT}),
            401,
            "bad_credentials",
        ),
    ];
    for (method, path, auth, body, status, code) in refused {
        let reply = api.call(method, path, auth, Some(body.clone())).await;
        expect(&reply, status, code, &format!("{method} {path} {body}"));
        assert_eq!(api.footprint().await, before, "{method} {path} {body}: nothing written");
    }
    // Several problems at once.
    let many =
        api.post("/api/v1/persons", clerk, json!({"name": " ", "id_number": "1", "phone": "2", "division": "3"})).await;
    many.assert_error(422, "required");
    let fields: Vec<String> = many.json()["problems"]
        .as_array()
        .map(|p| p.iter().filter_map(|p| p["field"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["name", "id_number", "phone", "division"]);
    assert_eq!(api.footprint().await, before);

    // A name is free text: stored verbatim, returned as JSON data, the table intact.
    let reply = api
        .post("/api/v1/persons", clerk, json!({"name": SQL_INJECTION, "id_number": valid_id, "division": "511702"}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["name"], SQL_INJECTION);
    let searched = api.post("/api/v1/persons/search", clerk, json!({"name": SQL_INJECTION})).await;
    assert_eq!(searched.status, 200);
    assert_eq!(searched.json()["items"][0]["name"], SQL_INJECTION);
    let other = id_number("511702", "19600101", 13);
    let reply =
        api.post("/api/v1/persons", clerk, json!({"name": SCRIPT, "id_number": other, "division": "511702"})).await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.json()["name"], SCRIPT);
    let list = api.get("/api/v1/persons", clerk).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2), "the persons table survived");
    // The same ID number again: a conflict, nothing written.
    let after = api.footprint().await;
    let again =
        api.post("/api/v1/persons", clerk, json!({"name": "重复", "id_number": valid_id, "division": "511702"})).await;
    again.assert_error(409, "person_exists");
    assert_eq!(api.footprint().await, after);
});

on_both!(a_nul_character_is_refused_wherever_it_comes_in, |db| async move {
    // PostgreSQL cannot store NUL in text: the fuzzer found a login with one answered 500.
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let (session, csrf) = api.cookie_login("clerk", crate::helpers::STAFF_PASSWORD).await;
    let before = api.footprint().await;
    let login = api.post("/api/v1/auth/token", Auth::None, json!({"username": "\u{0}", "password": "x"})).await;
    login.assert_error(422, "control_chars");
    assert_eq!(login.json()["field"], "username");
    let mut case = crate::helpers::application(5);
    case["applicant"]["name"] = json!("王\u{0}明");
    let reply = api.post("/api/v1/cases", auth, case).await;
    reply.assert_error(422, "control_chars");
    assert_eq!(reply.json()["field"], "applicant.name");
    api.get("/api/v1/persons?name=%00", auth).await.assert_error(422, "control_chars");
    api.get("/api/v1/divisions/%00", Auth::None).await.assert_error(422, "control_chars");
    // Pages and the forms they parse themselves: a refusal page, never a 500.
    let page = api.form("/login", None, &[("username", "\u{0}"), ("password", "x")]).await;
    assert!(page.status.is_client_error(), "{} {}", page.status, page.text());
    for path in ["/verify/case/%00", "/cases?number=%00", "/guide?on=%00"] {
        let reply = api.get(path, auth).await;
        assert!(!reply.status.is_server_error(), "{path}: {} {}", reply.status, reply.text());
    }
    let form = api
        .form(
            "/items/elderly-care-filing/apply",
            Some(&session),
            &[
                ("csrf_token", &csrf),
                ("idempotency_key", ""),
                ("situation", "for_profit"),
                ("accepting_division", "511700"),
                ("name", "王\u{0}明"),
                ("id_number", &id_number("511702", "19700101", 7)),
                ("division", "511702"),
                ("premises_division", "511700"),
                ("materials", "filing_form"),
            ],
        )
        .await;
    assert!(!form.status.is_server_error(), "{} {}", form.status, form.text());
    assert_eq!(api.footprint().await, before, "nothing written");
});
