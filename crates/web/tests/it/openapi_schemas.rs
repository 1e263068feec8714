//! The OpenAPI document's component schemas are one name, one shape: the generic document and
//! each area's part are merged, and a merge keeps one schema of a name silently, so two areas
//! that both define `ActBody` (or an area and the generic code) would leave a client with the
//! wrong shape for one of them. An area names its shared names for itself
//! (`#[schema(as = <Area>Name)]`).

use std::collections::BTreeMap;

use serde_json::Value;
use utoipa::OpenApi;

fn schemas(doc: &utoipa::openapi::OpenApi) -> BTreeMap<String, Value> {
    doc.components
        .as_ref()
        .map(|c| c.schemas.iter().map(|(name, s)| (name.clone(), serde_json::to_value(s).expect("json"))).collect())
        .unwrap_or_default()
}

/// Every name defined by two parts with different shapes, as a message naming both.
fn clashes(parts: &[(String, BTreeMap<String, Value>)]) -> Vec<String> {
    let mut first: BTreeMap<&str, (&str, &Value)> = BTreeMap::new();
    let mut found = Vec::new();
    for (part, defined) in parts {
        for (name, shape) in defined {
            match first.get(name.as_str()) {
                Some((other, seen)) if *seen != shape => found.push(format!(
                    "schema “{name}” is defined by {other} and by {part} with different shapes: \
                     alias one with #[schema(as = <Area>{name})]"
                )),
                Some(_) => {}
                None => {
                    first.insert(name, (part, shape));
                }
            }
        }
    }
    found
}

fn parts() -> Vec<(String, BTreeMap<String, Value>)> {
    let mut parts = vec![("the generic document".to_string(), schemas(&web::openapi::ApiDoc::openapi()))];
    for (area, doc) in web::verticals::openapi_parts() {
        parts.push((format!("area {}", area.as_str()), schemas(&doc)));
    }
    parts
}

#[test]
fn no_two_parts_define_a_schema_name_differently() {
    let parts = parts();
    assert!(parts.len() >= 10, "the generic document and every area's part");
    assert!(parts.iter().filter(|(_, s)| !s.is_empty()).count() >= 5, "the parts define schemas");
    let found = clashes(&parts);
    assert!(found.is_empty(), "{}", found.join("\n"));
    // And the whole document holds every part's names (none lost in the merge).
    let whole = schemas(&web::openapi::api_doc());
    for (part, defined) in &parts {
        for name in defined.keys() {
            assert!(whole.contains_key(name), "{part}: “{name}” is missing from the document");
        }
    }
}

#[test]
fn a_name_two_parts_define_differently_is_found() {
    let shape = |field: &str| serde_json::json!({"type": "object", "properties": {field: {"type": "string"}}});
    let one = |name: &str, s: Value| BTreeMap::from([(name.to_string(), s)]);
    let parts = vec![
        ("area a".to_string(), one("ActBody", shape("reason"))),
        ("area b".to_string(), one("ActBody", shape("outcome"))),
        ("area c".to_string(), one("ActBody", shape("reason"))),
    ];
    let found = clashes(&parts);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("area a") && found[0].contains("area b"), "{found:?}");
    // The same shape twice is one schema, not a clash.
    assert!(clashes(&parts[..1].iter().chain(&parts[2..]).cloned().collect::<Vec<_>>()).is_empty());
}
