//! Property-based fuzzing of every JSON body the API takes: for each POST/PUT operation of the
//! OpenAPI document, bodies generated from its request schema (each field present or not, of its
//! type or of any other, with plausible and hostile strings, nested objects and arrays, unknown
//! fields) and byte-level mutations of them (cut short, a byte inserted). Whatever comes in: never
//! a 5xx (a panic would be one), and every refusal is a JSON error with a `code`.
//!
//! The inputs come from proptest's generator with a fresh seed each run; a failure prints the
//! body, and `PROPTEST_RNG_SEED=N` replays a run.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use test_support::on_both;

use crate::bad_input::request_schema;
use crate::helpers::{application, Api, Auth};

/// Generated bodies per operation and backend; kept modest for CI time.
const CASES: u32 = 40;

/// Strings a field may meet in the wild: valid-looking ones (to get past the first check),
/// hostile ones, edge ones.
const PLAUSIBLE: &[&str] = &[
    "511702",
    "511700",
    "511702001",
    "500101",
    "999999",
    "2021-06-01",
    "2021-02-29",
    "2021-06-01T10:00:00+08:00",
    "511702194001011706",
    "13912345678",
    "admin",
    "clerk",
    "reviewer",
    "accept",
    "review",
    "decide",
    "deliver",
    "approve",
    "on_site",
    "claim",
    "publish",
    "township",
    "confirm",
    "window",
    "online",
    "elderly-care-filing",
    "minimum-living-allowance",
    "for_profit",
    "filing_form",
    "good-pass-2021",
    "date,is_workday,holiday_name,is_makeup_workday\n2021-01-01,false,元旦,false\n",
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "'; DROP TABLE persons; --",
    "\u{0}",
    "王小明",
];

/// Any JSON scalar.
fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::from),
        proptest::sample::select(PLAUSIBLE).prop_map(Value::from),
    ]
    .boxed()
}

/// The schema behind a `$ref`, or the first non-null variant of a `oneOf`/`anyOf`/`allOf`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return resolve(doc, &doc["components"]["schemas"][name]);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(variants) = schema[key].as_array() {
            if let Some(variant) = variants.iter().find(|v| v["type"] != "null") {
                return resolve(doc, variant);
            }
        }
    }
    schema
}

/// A string: mostly one a field may really hold, sometimes any text.
fn text() -> BoxedStrategy<Value> {
    prop_oneof![3 => proptest::sample::select(PLAUSIBLE).prop_map(Value::from), 1 => "\\PC{0,24}".prop_map(Value::from)]
        .boxed()
}

/// A value for a schema: mostly of its type (so that it gets past the parser to the rules),
/// sometimes anything at all.
fn value_for(doc: &Value, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let schema = resolve(doc, schema);
    if depth > 3 {
        return leaf();
    }
    let kind = schema["type"].to_string();
    let typed = if let Some(properties) = schema["properties"].as_object() {
        let required: Vec<&str> =
            schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
            .iter()
            .map(|(name, property)| {
                let presence = if required.contains(&name.as_str()) { 0.95 } else { 0.5 };
                let name = name.clone();
                let value = value_for(doc, property, depth + 1).prop_map(move |v| (name.clone(), v));
                proptest::option::weighted(presence, value).boxed()
            })
            .collect();
        let unknown = proptest::option::weighted(0.05, ("[a-z_]{1,10}", leaf()));
        (fields, unknown)
            .prop_map(|(fields, unknown)| {
                let mut map: serde_json::Map<String, Value> = fields.into_iter().flatten().collect();
                if let Some((name, value)) = unknown {
                    map.insert(name, value);
                }
                Value::Object(map)
            })
            .boxed()
    } else if kind.contains("array") {
        proptest::collection::vec(value_for(doc, &schema["items"], depth + 1), 0..4).prop_map(Value::Array).boxed()
    } else if kind.contains("object") {
        proptest::collection::btree_map("[a-z_]{1,12}", prop_oneof![text(), leaf()], 0..4)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
            .boxed()
    } else if kind.contains("string") {
        text()
    } else if kind.contains("integer") {
        prop_oneof![3 => (-2i64..40).prop_map(Value::from), 1 => any::<i64>().prop_map(Value::from)].boxed()
    } else if kind.contains("boolean") {
        any::<bool>().prop_map(Value::from).boxed()
    } else {
        leaf()
    };
    prop_oneof![12 => typed, 1 => leaf()].boxed()
}

/// The bytes sent: the generated value as JSON, or that text cut short or with a byte put in.
fn body_for(doc: &Value, schema: &Value) -> BoxedStrategy<Vec<u8>> {
    let value = value_for(doc, schema, 0);
    prop_oneof![
        6 => value.clone().prop_map(|v| v.to_string().into_bytes()),
        1 => (value.clone(), any::<prop::sample::Index>()).prop_map(|(v, at)| {
            let bytes = v.to_string().into_bytes();
            let cut = at.index(bytes.len() + 1);
            bytes[..cut].to_vec()
        }),
        1 => (value, any::<prop::sample::Index>(), any::<u8>()).prop_map(|(v, at, byte)| {
            let mut bytes = v.to_string().into_bytes();
            let at = at.index(bytes.len() + 1);
            bytes.insert(at, byte);
            bytes
        }),
    ]
    .boxed()
}

on_both!(generated_bodies_never_make_a_server_error, |db| async move {
    // Simulated, so that the clock endpoint exists too.
    let api = Api::simulated(db).await;
    let admin = api.admin_token().await;
    // A city officer who can act on cases at every step, so generated acts reach the engine.
    let officer = json!({"username": "officer", "display_name": "市局经办", "password": "officer-pass-2021",
        "grants": [{"role": "clerk", "division": "511700"}, {"role": "reviewer", "division": "511700"},
                   {"role": "decider", "division": "511700"}]});
    let created = api.post("/api/v1/accounts", Auth::Bearer(&admin), officer).await;
    assert_eq!(created.status, 201, "{}", created.text());
    // Passwords and grants are fuzzed on another account, so the callers' sessions live on.
    let victim = api.t.staff("victim", "clerk", "511702").await.account_id;
    let officer = api.token("officer", "officer-pass-2021").await;
    let case = api.post("/api/v1/cases", Auth::Bearer(&officer), application(1)).await;
    assert_eq!(case.status, 201, "{}", case.text());
    let case_id = case.json()["id"].as_i64().expect("case id");

    let doc = api.get("/api/v1/openapi.json", Auth::None).await.json();
    let mut runner = TestRunner::new(Config { cases: CASES, ..Config::default() });
    let mut operations = 0;
    let mut sent = 0;
    for (method, path) in web::route_table() {
        let Some(schema) = request_schema(&doc, &method, path) else { continue };
        operations += 1;
        let id = if path.starts_with("/api/v1/accounts/") {
            victim
        } else if path.starts_with("/api/v1/cases/") {
            case_id
        } else {
            1
        };
        let uri = path.replace("{id}", &id.to_string()).replace("{slug}", "minimum-living-allowance");
        let strategy = body_for(&doc, &schema);
        for n in 0..CASES {
            let body = strategy.new_tree(&mut runner).expect("a generated body").current();
            let token = if n % 2 == 0 { &admin } else { &officer };
            let reply =
                api.raw(method.as_str(), &uri, Auth::Bearer(token), Some("application/json"), body.clone()).await;
            sent += 1;
            let what = format!("{method} {uri} with {}", String::from_utf8_lossy(&body));
            assert!(!reply.status.is_server_error(), "{what}: {} {}", reply.status, reply.text());
            if !reply.status.is_success() {
                assert_eq!(reply.header("content-type"), Some("application/json"), "{what}: {}", reply.text());
                assert!(!reply.code().is_empty(), "{what}: a code in {}", reply.text());
            }
        }
    }
    assert!(operations >= 10, "every JSON operation of the document: {operations}");
    assert_eq!(sent, operations * CASES as usize);
    // The record is still one valid chain after all that.
    let verify = api.get("/api/v1/audit/verify", Auth::Bearer(&admin)).await;
    assert_eq!(verify.json()["ok"], true, "{}", verify.text());
});
