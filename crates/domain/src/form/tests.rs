use serde_json::json;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

fn ctx() -> FormContext<'static> {
    FormContext { today: today(), regions: RegionHistory::builtin(), divisions: Divisions::builtin() }
}

fn field(id: &str, kind: FieldKind, required: bool) -> FieldSpec {
    FieldSpec { required, ..FieldSpec::new(id, &format!("{id}标签"), kind) }
}

fn form(fields: Vec<FieldSpec>) -> FormSpec {
    FormSpec { fields }
}

fn values(facts: serde_json::Value) -> FormValues {
    FormValues::from_json(&facts).expect("object")
}

/// The (field, code) of every refusal.
fn codes(spec: &FormSpec, facts: serde_json::Value) -> Vec<(String, &'static str)> {
    spec.parse(&values(facts), &ctx()).expect_err("refused").into_iter().map(|p| (p.field, p.code)).collect()
}

fn one_code(spec: &FormSpec, facts: serde_json::Value) -> &'static str {
    let found = codes(spec, facts);
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].1
}

fn parsed(spec: &FormSpec, facts: serde_json::Value) -> Facts {
    spec.parse(&values(facts), &ctx()).expect("accepted")
}

#[test]
fn kinds_round_trip_their_catalog_names() {
    for kind in FieldKind::ALL {
        assert_eq!(FieldKind::parse(kind.as_str()), Some(*kind));
    }
    assert_eq!(FieldKind::parse("number"), None);
}

#[test]
fn every_problem_names_the_label_and_all_are_returned_at_once() {
    let spec = form(vec![field("a", FieldKind::Text, true), field("b", FieldKind::Int, true)]);
    let problems = spec.parse(&values(json!({"b": "x"})), &ctx()).unwrap_err();
    assert_eq!(problems.len(), 2);
    assert_eq!((problems[0].field.as_str(), problems[0].code), ("a", "required"));
    assert!(problems[0].message.contains("a标签"), "{}", problems[0].message);
    assert_eq!((problems[1].field.as_str(), problems[1].code), ("b", "bad_int"));
    assert!(problems[1].message.contains("b标签"));
}

#[test]
fn an_undeclared_key_is_refused_and_an_empty_optional_field_is_absent() {
    let spec = form(vec![field("a", FieldKind::Text, false)]);
    assert_eq!(codes(&spec, json!({"typo": "x"})), [("typo".to_string(), "unknown_fact")]);
    assert!(parsed(&spec, json!({"a": "  "})).is_empty());
    assert!(parsed(&spec, json!({})).is_empty());
    assert!(FormValues::from_json(&json!([1])).is_err());
    assert!(FormValues::from_json(&serde_json::Value::Null).expect("null").is_empty());
}

#[test]
fn text_is_trimmed_and_bounded() {
    let mut text = field("t", FieldKind::Text, true);
    text.max_len = Some(5);
    let spec = form(vec![text]);
    assert_eq!(parsed(&spec, json!({"t": " 一二三四五 "})).get("t"), Some(&FactValue::Text("一二三四五".into())));
    assert_eq!(one_code(&spec, json!({"t": "一二三四五六"})), "too_long");
    assert_eq!(one_code(&spec, json!({"t": ""})), "required");
    assert_eq!(one_code(&spec, json!({"t": "a\u{7}b"})), "control_chars");
    assert_eq!(one_code(&spec, json!({"t": ["a", "b"]})), "repeated_value");
    // Without max_len the default holds.
    let spec = form(vec![field("t", FieldKind::Text, true)]);
    assert!(spec.parse(&values(json!({"t": "字".repeat(200)})), &ctx()).is_ok());
    assert_eq!(one_code(&spec, json!({"t": "字".repeat(201)})), "too_long");
}

#[test]
fn dates_are_iso_days_that_exist() {
    let spec = form(vec![field("d", FieldKind::Date, true)]);
    let leap = NaiveDate::from_ymd_opt(2024, 2, 29).expect("date");
    assert_eq!(parsed(&spec, json!({"d": "2024-02-29"})).get("d"), Some(&FactValue::Date(leap)));
    for bad in ["2023-02-29", "2021-13-01", "2021-04-31", "2021-6-1", "2021/06/01", "20210601", "昨天", "2021-06-01x"]
    {
        assert_eq!(one_code(&spec, json!({ "d": bad })), "bad_date", "{bad}");
    }
}

#[test]
fn money_is_kept_in_fen_within_its_range_in_yuan() {
    let mut money = field("m", FieldKind::Money, true);
    money.min = Some(1);
    money.max = Some(1000);
    let spec = form(vec![money]);
    assert_eq!(parsed(&spec, json!({"m": "512.5"})).get("m"), Some(&FactValue::Money(51_250)));
    assert_eq!(parsed(&spec, json!({"m": 1000})).get("m"), Some(&FactValue::Money(100_000)));
    assert_eq!(one_code(&spec, json!({"m": "1000.01"})), "above_max");
    assert_eq!(one_code(&spec, json!({"m": "0.99"})), "below_min");
    for bad in ["-1", "1.234", "¥5", "1e3", "abc"] {
        assert_eq!(one_code(&spec, json!({ "m": bad })), "bad_money", "{bad}");
    }
}

#[test]
fn ints_respect_min_and_max_inclusive() {
    let mut beds = field("beds", FieldKind::Int, true);
    beds.min = Some(10);
    beds.max = Some(2000);
    let spec = form(vec![beds]);
    assert_eq!(parsed(&spec, json!({"beds": 10})).get("beds"), Some(&FactValue::Int(10)));
    assert_eq!(parsed(&spec, json!({"beds": "2000"})).get("beds"), Some(&FactValue::Int(2000)));
    assert_eq!(one_code(&spec, json!({"beds": 9})), "below_min");
    assert_eq!(one_code(&spec, json!({"beds": 2001})), "above_max");
    for bad in ["1.5", "十", "+5", "99999999999999999999"] {
        assert_eq!(one_code(&spec, json!({ "beds": bad })), "bad_int", "{bad}");
    }
}

#[test]
fn bools_take_true_false_and_their_chinese() {
    let spec = form(vec![field("b", FieldKind::Bool, true)]);
    assert_eq!(parsed(&spec, json!({"b": true})).get("b"), Some(&FactValue::Bool(true)));
    assert_eq!(parsed(&spec, json!({"b": "否"})).get("b"), Some(&FactValue::Bool(false)));
    assert_eq!(one_code(&spec, json!({"b": "yes"})), "bad_bool");
    assert_eq!(one_code(&spec, json!({})), "required");
}

#[test]
fn divisions_must_be_known() {
    let spec = form(vec![field("d", FieldKind::Division, true)]);
    assert_eq!(parsed(&spec, json!({"d": "511702001"})).get("d"), Some(&FactValue::Division("511702001".into())));
    assert_eq!(one_code(&spec, json!({"d": "999999"})), "unknown_division");
    assert_eq!(one_code(&spec, json!({"d": "51x"})), "unknown_division");
}

#[test]
fn choices_take_a_declared_value() {
    let mut c = field("c", FieldKind::Choice, true);
    c.choices = vec![
        Choice { value: "public".into(), label: "公办".into() },
        Choice { value: "private".into(), label: "民办".into() },
    ];
    let spec = form(vec![c]);
    assert_eq!(parsed(&spec, json!({"c": "private"})).get("c"), Some(&FactValue::Choice("private".into())));
    let problems = spec.parse(&values(json!({"c": "民办"})), &ctx()).unwrap_err();
    assert_eq!(problems[0].code, "unknown_choice");
    assert!(problems[0].message.contains("公办、民办"), "{}", problems[0].message);
}

#[test]
fn lists_take_lines_or_an_array_and_count_their_items() {
    let mut list = field("scope", FieldKind::List, true);
    list.min = Some(1);
    list.max = Some(3);
    list.max_len = Some(4);
    let spec = form(vec![list]);
    let expected = Some(FactValue::List(vec!["生活照料".into(), "康复护理".into()]));
    assert_eq!(parsed(&spec, json!({"scope": "生活照料\n\n 康复护理 "})).get("scope").cloned(), expected);
    assert_eq!(parsed(&spec, json!({"scope": ["生活照料", "康复护理"]})).get("scope").cloned(), expected);
    assert_eq!(one_code(&spec, json!({"scope": ["a", "b", "c", "d"]})), "too_many_items");
    assert_eq!(one_code(&spec, json!({"scope": ["一二三四五"]})), "too_long");
    assert_eq!(one_code(&spec, json!({"scope": "\n \n"})), "required");
    let mut two = field("two", FieldKind::List, false);
    two.min = Some(2);
    assert_eq!(one_code(&form(vec![two]), json!({"two": "a"})), "too_few_items");
}

#[test]
fn an_organization_is_checked_by_its_credit_code() {
    let mut org = field("operator", FieldKind::Organization, true);
    org.label = "运营主体".into();
    let spec = form(vec![org]);
    let good = json!({"operator": {"name": "通川区幸福养老服务中心", "credit_code": "52511702mj0001ab69", "division": "511702"}});
    let facts = parsed(&spec, good);
    let Some(FactValue::Organization(o)) = facts.get("operator") else { panic!("{facts:?}") };
    assert_eq!(o.credit_code, "52511702MJ0001AB69");
    assert_eq!(o.representative, "");
    // The dotted spelling is the same input.
    let flat = json!({"operator.name": "通川区幸福养老服务中心", "operator.credit_code": "52511702MJ0001AB69", "operator.division": "511702"});
    assert_eq!(parsed(&spec, flat), facts);
    // A wrong check character, named on the part with the field's label.
    let bad = json!({"operator": {"name": "某中心", "credit_code": "52511702MJ0001AB68", "division": "511702"}});
    let problems = spec.parse(&values(bad), &ctx()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].field.as_str(), problems[0].code), ("operator.credit_code", "uscc_checksum"));
    assert!(problems[0].message.starts_with("“运营主体”的统一社会信用代码"), "{}", problems[0].message);
    assert_eq!(codes(&spec, json!({})), [("operator".to_string(), "required")]);
    assert_eq!(
        codes(&spec, json!({"operator": {"colour": "red"}})),
        [("operator.colour".to_string(), "unknown_fact"), ("operator".to_string(), "required")]
    );
}

#[test]
fn an_organization_field_may_require_its_representative() {
    let mut org = field("operator", FieldKind::Organization, true);
    org.label = "养老机构".into();
    assert!(!org.part_required("representative"), "optional unless the field lists it");
    assert!(org.part_required("credit_code"));
    org.required_parts = vec!["representative".into()];
    assert!(org.part_required("representative") && org.part_needed("representative"));
    let spec = form(vec![org.clone()]);
    let without = json!({"operator": {"name": "通川区幸福养老服务中心", "credit_code": "52511702MJ0001AB69", "division": "511702", "representative": "  "}});
    let problems = spec.parse(&values(without), &ctx()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].field.as_str(), problems[0].code), ("operator.representative", "required"));
    assert!(problems[0].message.starts_with("“养老机构”的法定代表人（负责人）"), "{}", problems[0].message);
    // Named beside the field's other problems, all at once.
    let both = json!({"operator": {"name": "某中心", "credit_code": "52511702MJ0001AB68", "division": "511702"}});
    assert_eq!(
        codes(&spec, both),
        [("operator.credit_code".to_string(), "uscc_checksum"), ("operator.representative".to_string(), "required")]
    );
    let with = json!({"operator": {"name": "通川区幸福养老服务中心", "credit_code": "52511702MJ0001AB69", "division": "511702", "representative": "李秀英"}});
    let facts = parsed(&spec, with);
    let Some(FactValue::Organization(o)) = facts.get("operator") else { panic!("{facts:?}") };
    assert_eq!(o.representative, "李秀英");
    // A field that is not required and not given asks for nothing.
    org.required = false;
    assert!(!org.part_required("representative") && org.part_needed("representative"));
    assert!(form(vec![org]).parse(&values(json!({})), &ctx()).is_ok());
}

#[test]
fn a_person_is_checked_by_the_id_number_and_never_serialized_in_clear() {
    let spec = form(vec![field("p", FieldKind::Person, true)]);
    let good = json!({"p": {"name": "张三", "id_number": "511702194001011706", "division": "511702001"}});
    let mut facts = parsed(&spec, good);
    let Some(FactValue::Person(p)) = facts.get("p") else { panic!("{facts:?}") };
    assert_eq!(p.id_masked, "5117**************");
    assert!(p.pending.is_some());
    assert_eq!(facts.pending_persons().count(), 1);
    let text = serde_json::to_string(&facts).expect("json");
    assert!(!text.contains("511702194001011706"), "{text}");
    let back: Facts = serde_json::from_str(&text).expect("back");
    let Some(FactValue::Person(back)) = back.get("p") else { panic!() };
    assert!(back.pending.is_none());
    // A bad check character.
    let bad = json!({"p": {"name": "张三", "id_number": "511702194001011707", "division": "511702001"}});
    assert_eq!(codes(&spec, bad), [("p.id_number".to_string(), "id_checksum")]);
}

#[test]
fn facts_round_trip_through_json_typed() {
    let mut c = field("c", FieldKind::Choice, false);
    c.choices = vec![Choice { value: "x".into(), label: "甲".into() }];
    let spec = form(vec![
        field("t", FieldKind::Text, false),
        field("d", FieldKind::Date, false),
        field("m", FieldKind::Money, false),
        field("b", FieldKind::Bool, false),
        field("i", FieldKind::Int, false),
        field("v", FieldKind::Division, false),
        c,
        field("l", FieldKind::List, false),
    ]);
    let facts = parsed(
        &spec,
        json!({"t": "文", "d": "2021-06-01", "m": "12.3", "b": "false", "i": "-3", "v": "511702", "c": "x", "l": ["一", "二"]}),
    );
    let text = serde_json::to_string(&facts).expect("json");
    assert_eq!(serde_json::from_str::<Facts>(&text).expect("back"), facts);
    let rows = spec.rows(&facts, Divisions::builtin());
    let shown: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(rows[0].field, "t");
    assert_eq!(rows[0].label, "t标签");
    assert_eq!(shown[0], "文");
    assert_eq!(shown[1], "2021年6月1日");
    assert_eq!(shown[2], "¥12.30");
    assert_eq!(yuan(5_000_000), "¥50,000.00");
    assert_eq!(yuan(-5), "-¥0.05");
    assert_eq!(shown[3], "否");
    assert_eq!(shown[4], "-3");
    assert_eq!(shown[5], "四川省达州市通川区", "a place by its name, not its code");
    assert_eq!(shown[6], "甲");
    assert_eq!(shown[7], "一、二");
}

#[test]
fn html_pairs_and_json_give_the_same_values() {
    let pairs = [("facts.a", "1"), ("name", "x"), ("facts.l", "一"), ("facts.l", "二"), ("facts.o.name", "n")];
    let from_pairs = FormValues::from_pairs(pairs, "facts.");
    let from_json = values(json!({"a": 1, "l": ["一", "二"], "o": {"name": "n"}}));
    assert_eq!(from_pairs, from_json);
}

#[test]
fn the_example_of_every_kind_parses() {
    let mut c = field("c", FieldKind::Choice, true);
    c.choices = vec![Choice { value: "x".into(), label: "甲".into() }];
    let mut short = field("s", FieldKind::Text, true);
    short.max_len = Some(3);
    let mut beds = field("beds", FieldKind::Int, true);
    beds.min = Some(10);
    let mut funds = field("funds", FieldKind::Money, true);
    funds.min = Some(30000);
    let mut list = field("l", FieldKind::List, true);
    list.min = Some(2);
    let mut fields = vec![c, short, beds, funds, list];
    for kind in [FieldKind::Date, FieldKind::Bool, FieldKind::Division, FieldKind::Person, FieldKind::Organization] {
        fields.push(field(kind.as_str(), kind, true));
    }
    let spec = form(fields);
    let example = spec.example("511702", 7);
    let facts = spec.parse(&values(example), &ctx()).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(facts.0.len(), spec.fields.len());
    assert_eq!(facts.get("beds"), Some(&FactValue::Int(10)));
    assert_eq!(facts.get("funds"), Some(&FactValue::Money(3_000_000)));
}
