//! An item's application form (`[[form]]` in its catalog file) and the one parser of what is
//! typed into it: the window form, the online form and the JSON API's `facts` all become
//! [`FormValues`] and go through [`FormSpec::parse`], so the same input gets the same refusals
//! (field, stable code, a Chinese message naming the field's label) on every path.
//!
//! The parsed [`Facts`] are typed (serde): money in fen, dates as dates, a division as a known
//! code, an organization by its 统一社会信用代码 (GB 32100-2015), a person by a checked
//! citizen identity number (GB 11643-1999) which the service turns into a reference to the
//! person's record before anything is kept: no ID number in clear is ever serialized.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::assistance::money::{format_yuan, parse_yuan};
use crate::division::{DivisionCode, Divisions};
use crate::idcard::{mask_id_text, RegionHistory};
use crate::organization::{NewOrganization, OrganizationInput};
use crate::person::{mask_name, NewPerson, PersonInput};
use crate::problem::FieldError;

/// The kind of a form field (`kind = "…"` in the catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Free text, at most `max_len` characters (200 when not set).
    Text,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An amount in yuan with at most two decimals, kept in fen.
    Money,
    /// 是 / 否.
    Bool,
    /// A whole number, within `min` / `max`.
    Int,
    /// A code of the division table.
    Division,
    /// A person by name, citizen identity number and 户籍地 (kept as a reference to the record).
    Person,
    /// An organization by name, 统一社会信用代码, representative and 住所地.
    Organization,
    /// One of `choices`.
    Choice,
    /// Several lines of text (one item a line), between `min` and `max` items.
    List,
}

impl FieldKind {
    /// The sub-fields a person or organization is typed in as: (part, label); none for the others.
    pub fn parts(self) -> &'static [(&'static str, &'static str)] {
        match self {
            FieldKind::Person => &PERSON_PARTS,
            FieldKind::Organization => &ORGANIZATION_PARTS,
            _ => &[],
        }
    }

    pub const ALL: &'static [FieldKind] = &[
        FieldKind::Text,
        FieldKind::Date,
        FieldKind::Money,
        FieldKind::Bool,
        FieldKind::Int,
        FieldKind::Division,
        FieldKind::Person,
        FieldKind::Organization,
        FieldKind::Choice,
        FieldKind::List,
    ];

    /// The name used in the catalog files.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Date => "date",
            FieldKind::Money => "money",
            FieldKind::Bool => "bool",
            FieldKind::Int => "int",
            FieldKind::Division => "division",
            FieldKind::Person => "person",
            FieldKind::Organization => "organization",
            FieldKind::Choice => "choice",
            FieldKind::List => "list",
        }
    }

    pub fn parse(s: &str) -> Option<FieldKind> {
        FieldKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Whether `min` / `max` mean something for this kind (a number's range, a money range in
    /// yuan, a list's number of items).
    pub fn takes_range(self) -> bool {
        matches!(self, FieldKind::Int | FieldKind::Money | FieldKind::List)
    }

    /// Whether `max_len` means something for this kind (the text, or each item of a list).
    pub fn takes_max_len(self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::List)
    }
}

/// One option of a `choice` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What is posted and kept.
    pub value: String,
    /// What is shown.
    pub label: String,
}

/// One declared field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key in the form and in the JSON `facts` (lower case, digits, `_`).
    pub id: String,
    /// The field's name in Chinese, used in every message about it.
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// Int: smallest value; money: smallest amount in yuan; list: fewest items.
    pub min: Option<i64>,
    /// Int: largest value; money: largest amount in yuan; list: most items.
    pub max: Option<i64>,
    /// Text: most characters; list: most characters of each item.
    pub max_len: Option<u32>,
    pub choices: Vec<Choice>,
    /// The legal source of the field (shown with it).
    pub basis: Option<String>,
    /// A hint for the person filling it in.
    pub help: Option<String>,
    /// Person or organization: the optional parts ([`OPTIONAL_PARTS`]) this field requires too,
    /// whenever it is given (the 备案书 of a 养老机构 names its 法定代表人（主要负责人）).
    pub required_parts: Vec<String>,
}

/// The text length when a field sets none.
pub const DEFAULT_MAX_LEN: u32 = 200;
/// The number of list items when a list sets no `max`.
pub const DEFAULT_MAX_ITEMS: i64 = 50;

/// The sub-fields of a person field (`<id>.name`, …).
pub const PERSON_PARTS: [(&str, &str); 3] =
    [("name", "姓名"), ("id_number", "公民身份号码"), ("division", "户籍地区划代码")];
/// The sub-fields of an organization field (`<id>.name`, …).
pub const ORGANIZATION_PARTS: [(&str, &str); 4] = [
    ("name", "名称"),
    ("credit_code", "统一社会信用代码"),
    ("representative", "法定代表人（负责人）"),
    ("division", "住所地区划代码"),
];
/// The parts a person or organization field may leave empty unless it lists them in
/// `required_parts`; every other part of a given field is required.
pub const OPTIONAL_PARTS: [&str; 1] = ["representative"];

impl FieldSpec {
    /// A field of `kind` with no limits, for tests and tools.
    pub fn new(id: &str, label: &str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            id: id.to_string(),
            label: label.to_string(),
            kind,
            required: false,
            min: None,
            max: None,
            max_len: None,
            choices: Vec::new(),
            basis: None,
            help: None,
            required_parts: Vec::new(),
        }
    }

    /// Whether `part` of this person or organization field must be given whenever the field is:
    /// every part but an optional one the field does not require.
    pub fn part_needed(&self, part: &str) -> bool {
        !OPTIONAL_PARTS.contains(&part) || self.required_parts.iter().any(|p| p == part)
    }

    /// Whether `part` must be filled in on the form: a needed part of a required field.
    pub fn part_required(&self, part: &str) -> bool {
        self.required && self.part_needed(part)
    }

    /// The sub-fields a person or organization field is typed in as: (part, label).
    pub fn parts(&self) -> &'static [(&'static str, &'static str)] {
        self.kind.parts()
    }

    /// The label of a choice's value (the value itself when unknown).
    pub fn choice_label<'a>(&'a self, value: &'a str) -> &'a str {
        self.choices.iter().find(|c| c.value == value).map_or(value, |c| c.label.as_str())
    }
}

/// An item's form: its fields in the order they are shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormSpec {
    pub fields: Vec<FieldSpec>,
}

/// What was typed, by key: `<id>` for a plain field, `<id>.<part>` for a part of a person or an
/// organization; a list has one value per item (or one value of several lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues(BTreeMap<String, Vec<String>>);

impl FormValues {
    /// From an HTML form's pairs, keeping the keys that start with `prefix` (which is removed).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, prefix: &str) -> FormValues {
        let mut values = FormValues::default();
        for (key, value) in pairs {
            if let Some(key) = key.strip_prefix(prefix) {
                values.0.entry(key.to_string()).or_default().push(value.to_string());
            }
        }
        values
    }

    /// From the JSON API's `facts` object: a nested object is spelled with dotted keys (so
    /// `{"operator": {"name": "…"}}` and `{"operator.name": "…"}` are the same), an array gives
    /// one value per element, a number or a boolean its text, `null` nothing. Anything else than
    /// an object (or null) is refused.
    pub fn from_json(facts: &Value) -> Result<FormValues, FieldError> {
        let mut values = FormValues::default();
        match facts {
            Value::Null => {}
            Value::Object(map) => {
                for (key, value) in map {
                    values.add_json(key, value);
                }
            }
            _ => return Err(FieldError::new("facts", "facts_not_object", "表单事实（facts）应为对象")),
        }
        Ok(values)
    }

    fn add_json(&mut self, key: &str, value: &Value) {
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (part, inner) in map {
                    self.add_json(&format!("{key}.{part}"), inner);
                }
            }
            Value::Array(items) => {
                let slot = self.0.entry(key.to_string()).or_default();
                for item in items {
                    match item {
                        Value::String(s) => slot.push(s.clone()),
                        Value::Null => {}
                        other => slot.push(other.to_string()),
                    }
                }
            }
            Value::String(s) => self.0.entry(key.to_string()).or_default().push(s.clone()),
            other => self.0.entry(key.to_string()).or_default().push(other.to_string()),
        }
    }

    /// The first value of `key`, trimmed ("" when absent).
    pub fn one(&self, key: &str) -> &str {
        self.0.get(key).and_then(|v| v.first()).map_or("", |v| v.trim())
    }

    fn all(&self, key: &str) -> &[String] {
        self.0.get(key).map_or(&[], Vec::as_slice)
    }

    /// The keys given.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A person named in a form, as kept: the record's id, the name typed (masked when shown) and
/// the masked ID number. `pending` holds the parsed person until the service has found or
/// registered the record; it is never serialized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFact {
    /// The person's record; `None` only between parsing and the service's lookup.
    pub person_id: Option<i64>,
    pub name: String,
    /// First 4 + 14 `*` ([`crate::idcard::mask_id_text`]).
    pub id_masked: String,
    #[serde(skip)]
    pub pending: Option<PendingPerson>,
}

/// The person as parsed (with the full ID number), until the record is found.
#[derive(Debug, Clone)]
pub struct PendingPerson(pub NewPerson);

impl PartialEq for PendingPerson {
    fn eq(&self, other: &Self) -> bool {
        self.0.id.number == other.0.id.number && self.0.name == other.0.name
    }
}

impl Eq for PendingPerson {}

/// An organization named in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationFact {
    pub name: String,
    /// The 统一社会信用代码, upper case, checked (GB 32100-2015).
    pub credit_code: String,
    pub representative: String,
    /// The 住所地 division.
    pub division: String,
}

/// One typed value; in JSON `{"<kind>": value}`, e.g. `{"money": 51250}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactValue {
    Text(String),
    Date(#[serde(with = "iso_date")] NaiveDate),
    /// Fen.
    Money(i64),
    Bool(bool),
    Int(i64),
    /// A division code.
    Division(String),
    Person(PersonFact),
    Organization(OrganizationFact),
    /// The choice's value.
    Choice(String),
    List(Vec<String>),
}

/// A date as `YYYY-MM-DD` in the facts' JSON.
mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(serde::de::Error::custom)
    }
}

/// The facts of an application, by field id: only the fields given (an optional field left
/// empty is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Facts(pub BTreeMap<String, FactValue>);

impl Facts {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&FactValue> {
        self.0.get(id)
    }

    /// The person facts still waiting for their record: (field id, fact).
    pub fn pending_persons(&mut self) -> impl Iterator<Item = (&String, &mut PersonFact)> {
        self.0.iter_mut().filter_map(|(id, v)| match v {
            FactValue::Person(p) if p.person_id.is_none() => Some((id, p)),
            _ => None,
        })
    }
}

/// What the parser needs besides the values: the date (an ID number's birth date is checked
/// against it) and the reference tables.
#[derive(Clone, Copy)]
pub struct FormContext<'a> {
    pub today: NaiveDate,
    pub regions: &'a RegionHistory,
    pub divisions: &'a Divisions,
}

impl FormSpec {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn field(&self, id: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The one parser of an item's form: every declared field checked, every problem returned
    /// at once (field = the field's id, or `<id>.<part>`; the message names the label). A key
    /// that names no declared field is refused (`unknown_fact`), so a typing error in a client
    /// is not silently dropped.
    pub fn parse(&self, values: &FormValues, ctx: &FormContext<'_>) -> Result<Facts, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut facts = Facts::default();
        for key in values.keys() {
            let known = match key.split_once('.') {
                None => self.field(key).is_some_and(|f| f.parts().is_empty()),
                Some((id, part)) => self.field(id).is_some_and(|f| f.parts().iter().any(|(p, _)| *p == part)),
            };
            if !known {
                problems.push(FieldError::new(key, "unknown_fact", format!("表单中没有“{key}”这一项")));
            }
        }
        for field in &self.fields {
            match parse_field(field, values, ctx) {
                Ok(Some(value)) => {
                    facts.0.insert(field.id.clone(), value);
                }
                Ok(None) => {}
                Err(mut found) => problems.append(&mut found),
            }
        }
        if problems.is_empty() {
            Ok(facts)
        } else {
            Err(problems)
        }
    }

    /// A filled-in form that [`FormSpec::parse`] accepts, as the JSON API's `facts`: for the
    /// API documentation, the demo and tests. Every field is filled (the first choice, the
    /// smallest number allowed, a date in 2021); `division` is the division code used for a
    /// division field and a person's or an organization's place; `order` varies the texts.
    /// A person is the standard's example number (GB 11643-1999, 11010519491231002X); an
    /// organization a 民办非企业单位 code of 达州市通川区 with its check characters.
    pub fn example(&self, division: &str, order: u32) -> Value {
        let mut facts = serde_json::Map::new();
        for f in &self.fields {
            let text = |suffix: &str| {
                let max = f.max_len.unwrap_or(DEFAULT_MAX_LEN) as usize;
                format!("{}{suffix}", f.label).chars().take(max).collect::<String>()
            };
            let number = |unit_min: i64| f.min.unwrap_or(unit_min).max(unit_min).min(f.max.unwrap_or(i64::MAX));
            let value = match f.kind {
                FieldKind::Text => Value::String(text(&format!("（示例{order}）"))),
                FieldKind::Date => Value::String(format!("2021-01-{:02}", 1 + order % 28)),
                FieldKind::Money => Value::String(number(1).to_string()),
                FieldKind::Bool => Value::Bool(true),
                FieldKind::Int => Value::from(number(1)),
                FieldKind::Division => Value::String(division.to_string()),
                FieldKind::Choice => Value::String(f.choices.first().map(|c| c.value.clone()).unwrap_or_default()),
                FieldKind::List => {
                    let n = f.min.unwrap_or(1).max(1);
                    Value::Array((1..=n).map(|i| Value::String(text(&format!("{i}")))).collect())
                }
                FieldKind::Person => serde_json::json!({
                    "name": "张三",
                    "id_number": "11010519491231002X",
                    "division": division,
                }),
                FieldKind::Organization => serde_json::json!({
                    "name": format!("示例社会服务中心{order}"),
                    "credit_code": "52511702MJ0001AB69",
                    "representative": "张三",
                    "division": division,
                }),
            };
            facts.insert(f.id.clone(), value);
        }
        Value::Object(facts)
    }

    /// The facts as rows for people, in the form's order: money as ¥, dates in Chinese, a
    /// choice's label, a division's full name, a person masked.
    pub fn rows(&self, facts: &Facts, divisions: &Divisions) -> Vec<FactRow> {
        self.fields
            .iter()
            .filter_map(|f| {
                facts.get(&f.id).map(|v| FactRow {
                    field: f.id.clone(),
                    label: f.label.clone(),
                    text: display(f, v, divisions),
                })
            })
            .collect()
    }
}

/// One fact as shown: the field's id, its label, the value for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRow {
    pub field: String,
    pub label: String,
    pub text: String,
}

/// An amount in fen as people read it: 123400 → ¥1,234.00, -5 → -¥0.05.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let digits = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", fen % 100)
}

/// A fact's value for people.
pub fn display(field: &FieldSpec, value: &FactValue, divisions: &Divisions) -> String {
    // A place by its full name: its code is for machines (shown only when the tree lacks it).
    let division_name = |code: &str| {
        DivisionCode::parse(code).ok().and_then(|c| divisions.full_name(&c)).unwrap_or_else(|| code.to_string())
    };
    match value {
        FactValue::Text(text) => text.clone(),
        FactValue::Date(date) => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        FactValue::Money(fen) => yuan(*fen),
        FactValue::Bool(true) => "是".to_string(),
        FactValue::Bool(false) => "否".to_string(),
        FactValue::Int(n) => n.to_string(),
        FactValue::Division(code) => division_name(code),
        FactValue::Person(p) => format!("{}（{}）", mask_name(&p.name), mask_id_text(&p.id_masked)),
        FactValue::Organization(o) => {
            let mut text = format!("{}（统一社会信用代码 {}）", o.name, o.credit_code);
            if !o.representative.is_empty() {
                text.push_str(&format!("，法定代表人（负责人）{}", o.representative));
            }
            text
        }
        FactValue::Choice(value) => field.choice_label(value).to_string(),
        FactValue::List(items) => items.join("、"),
    }
}

fn problem(field: &FieldSpec, code: &'static str, message: impl AsRef<str>) -> Vec<FieldError> {
    vec![FieldError::new(&field.id, code, format!("“{}”{}", field.label, message.as_ref()))]
}

/// Whether a text has a control character (a line break is one, except in a list).
fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

fn parse_field(
    field: &FieldSpec,
    values: &FormValues,
    ctx: &FormContext<'_>,
) -> Result<Option<FactValue>, Vec<FieldError>> {
    // Persons and organizations are typed in parts; every other kind is one value.
    if !field.parts().is_empty() {
        let given = field.parts().iter().any(|(part, _)| !values.one(&format!("{}.{part}", field.id)).is_empty());
        if !given {
            return if field.required { Err(problem(field, "required", "为必填项")) } else { Ok(None) };
        }
        return match field.kind {
            FieldKind::Person => parse_person(field, values, ctx).map(Some),
            _ => parse_organization(field, values, ctx).map(Some),
        };
    }
    let raw = values.all(&field.id);
    if field.kind == FieldKind::List {
        return parse_list(field, raw);
    }
    if raw.len() > 1 {
        return Err(problem(field, "repeated_value", "只能填写一个值"));
    }
    let text = raw.first().map_or("", |v| v.trim());
    if text.is_empty() {
        return if field.required { Err(problem(field, "required", "为必填项")) } else { Ok(None) };
    }
    if has_control(text) {
        return Err(problem(field, "control_chars", "不能包含控制字符"));
    }
    let value = match field.kind {
        FieldKind::Text => {
            let max = field.max_len.unwrap_or(DEFAULT_MAX_LEN) as usize;
            let n = text.chars().count();
            if n > max {
                return Err(problem(field, "too_long", format!("不能超过{max}个字，当前为{n}个")));
            }
            FactValue::Text(text.to_string())
        }
        FieldKind::Date => FactValue::Date(parse_date(text).ok_or_else(|| {
            problem(field, "bad_date", format!("“{text}”不是有效的日期，应为 YYYY-MM-DD，如 2021-06-01"))
        })?),
        FieldKind::Money => {
            let fen = parse_yuan(text).ok_or_else(|| {
                problem(field, "bad_money", format!("“{text}”不是有效的金额，应为元，最多两位小数，如 1200.50"))
            })?;
            check_range(field, fen, 100, |v| format!("{}元", format_yuan(v)))?;
            FactValue::Money(fen)
        }
        FieldKind::Bool => FactValue::Bool(match text {
            "true" | "是" => true,
            "false" | "否" => false,
            _ => return Err(problem(field, "bad_bool", "应选择“是”或“否”")),
        }),
        FieldKind::Int => {
            let n = text
                .parse::<i64>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
                .ok_or_else(|| problem(field, "bad_int", format!("“{text}”不是整数")))?;
            check_range(field, n, 1, |v| v.to_string())?;
            FactValue::Int(n)
        }
        FieldKind::Division => match DivisionCode::parse(text) {
            Ok(code) if ctx.divisions.get(&code).is_some() => FactValue::Division(code.to_string()),
            _ => return Err(problem(field, "unknown_division", format!("的行政区划代码“{text}”不存在"))),
        },
        FieldKind::Choice => {
            if !field.choices.iter().any(|c| c.value == text) {
                let names: Vec<&str> = field.choices.iter().map(|c| c.label.as_str()).collect();
                return Err(problem(field, "unknown_choice", format!("应为 {} 之一", names.join("、"))));
            }
            FactValue::Choice(text.to_string())
        }
        FieldKind::List | FieldKind::Person | FieldKind::Organization => {
            return Err(problem(field, "unknown_fact", "无法读取"));
        }
    };
    Ok(Some(value))
}

/// `YYYY-MM-DD` exactly (a day that does not exist, such as 2月29日 of a common year, refused).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// `value` within the field's `min` / `max`, which are in units of `scale` × the value's unit
/// (money: yuan against fen).
fn check_range(field: &FieldSpec, value: i64, scale: i64, show: impl Fn(i64) -> String) -> Result<(), Vec<FieldError>> {
    if let Some(min) = field.min {
        let min = min.saturating_mul(scale);
        if value < min {
            return Err(problem(field, "below_min", format!("不能小于{}", show(min))));
        }
    }
    if let Some(max) = field.max {
        let max = max.saturating_mul(scale);
        if value > max {
            return Err(problem(field, "above_max", format!("不能大于{}", show(max))));
        }
    }
    Ok(())
}

fn parse_list(field: &FieldSpec, raw: &[String]) -> Result<Option<FactValue>, Vec<FieldError>> {
    let items: Vec<String> =
        raw.iter().flat_map(|v| v.lines()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect();
    if items.is_empty() {
        return if field.required {
            Err(problem(field, "required", "为必填项，至少填写一项"))
        } else {
            Ok(None)
        };
    }
    let max_len = field.max_len.unwrap_or(DEFAULT_MAX_LEN) as usize;
    if let Some(item) = items.iter().find(|i| has_control(i)) {
        return Err(problem(field, "control_chars", format!("的“{item}”不能包含控制字符")));
    }
    if let Some(long) = items.iter().find(|i| i.chars().count() > max_len) {
        let n = long.chars().count();
        return Err(problem(field, "too_long", format!("每项不能超过{max_len}个字，有一项为{n}个")));
    }
    let n = items.len() as i64;
    if let Some(min) = field.min.filter(|min| n < *min) {
        return Err(problem(field, "too_few_items", format!("至少填写{min}项，当前为{n}项")));
    }
    let max = field.max.unwrap_or(DEFAULT_MAX_ITEMS);
    if n > max {
        return Err(problem(field, "too_many_items", format!("最多填写{max}项，当前为{n}项")));
    }
    Ok(Some(FactValue::List(items)))
}

/// A part's problems renamed to `<id>.<part>`, the message prefixed with the field's label and
/// the part's.
fn part_problems(field: &FieldSpec, problems: Vec<FieldError>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|p| {
            let part_label = field.parts().iter().find(|(part, _)| *part == p.field).map_or("", |(_, label)| *label);
            let message = format!("“{}”的{part_label}：{}", field.label, p.message);
            FieldError { field: format!("{}.{}", field.id, p.field), code: p.code, message }
        })
        .collect()
}

fn parse_person(field: &FieldSpec, values: &FormValues, ctx: &FormContext<'_>) -> Result<FactValue, Vec<FieldError>> {
    let part = |p: &str| values.one(&format!("{}.{p}", field.id)).to_string();
    let input = PersonInput {
        name: part("name"),
        id_number: part("id_number"),
        phone: None,
        address: None,
        division: part("division"),
    };
    let person = NewPerson::parse(&input, ctx.today, ctx.regions, ctx.divisions)
        .map_err(|problems| part_problems(field, problems))?;
    Ok(FactValue::Person(PersonFact {
        person_id: None,
        name: person.name.clone(),
        id_masked: person.id.number.masked(),
        pending: Some(PendingPerson(person)),
    }))
}

fn parse_organization(
    field: &FieldSpec,
    values: &FormValues,
    ctx: &FormContext<'_>,
) -> Result<FactValue, Vec<FieldError>> {
    let part = |p: &str| values.one(&format!("{}.{p}", field.id)).to_string();
    let representative = Some(part("representative")).filter(|r| !r.trim().is_empty());
    let missing_representative = representative.is_none() && field.part_needed("representative");
    let input = OrganizationInput {
        name: part("name"),
        credit_code: part("credit_code"),
        representative,
        division: part("division"),
    };
    let parsed = NewOrganization::parse(&input, ctx.regions, ctx.divisions);
    let org = match parsed {
        Ok(org) if !missing_representative => org,
        parsed => {
            let mut problems = parsed.err().unwrap_or_default();
            if missing_representative {
                problems.push(FieldError::new("representative", "required", "此项为必填项"));
            }
            return Err(part_problems(field, problems));
        }
    };
    Ok(FactValue::Organization(OrganizationFact {
        name: org.name,
        credit_code: org.credit_code.code.as_str().to_string(),
        representative: org.representative,
        division: org.division.to_string(),
    }))
}

#[cfg(test)]
mod tests;
