//! The institution as the register keeps it, read from its filing, and what is filed after: its
//! changes and the on-site inspection.

use chrono::NaiveDate;

use crate::division::{DivisionCode, Divisions};
use crate::form::{FactValue, Facts};
use crate::problem::{text_field, FieldError};

/// Who built and who runs the institution (the classification of the 民政 statistics: 公办,
/// 民办, 公建民营).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstitutionType {
    Public,
    Private,
    PublicPrivate,
}

impl InstitutionType {
    pub const ALL: [InstitutionType; 3] =
        [InstitutionType::Public, InstitutionType::Private, InstitutionType::PublicPrivate];

    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionType::Public => "public",
            InstitutionType::Private => "private",
            InstitutionType::PublicPrivate => "public_private",
        }
    }

    pub fn parse(s: &str) -> Option<InstitutionType> {
        InstitutionType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            InstitutionType::Public => "公办",
            InstitutionType::Private => "民办",
            InstitutionType::PublicPrivate => "公建民营",
        }
    }
}

/// Whether the institution is serving. A filing enters it as serving; a suspension, closure or
/// resumption is reported ([`super::service_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Operating,
    Suspended,
    Closed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Operating, Status::Suspended, Status::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operating => "operating",
            Status::Suspended => "suspended",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Operating => "正常运营",
            Status::Suspended => "暂停服务",
            Status::Closed => "已终止",
        }
    }
}

/// An institution on the register (one dated version of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub name: String,
    /// The 统一社会信用代码 (GB 32100-2015), checked by the filing form.
    pub credit_code: String,
    /// 法定代表人（主要负责人）.
    pub representative: String,
    pub institution_type: InstitutionType,
    pub beds: i64,
    /// 建筑面积, square metres.
    pub floor_area: i64,
    pub address: String,
    /// The division of the premises: the competent 民政 of the filing.
    pub premises_division: DivisionCode,
    pub service_scope: Vec<String>,
    /// The day it started taking in residents, when stated.
    pub residents_from: Option<NaiveDate>,
    pub status: Status,
}

fn missing(field: &str) -> FieldError {
    FieldError::new(field, "required", "此项为必填项")
}

impl Institution {
    /// The institution a filing's facts describe (the item's `[[form]]`, parsed by
    /// [`crate::form::FormSpec::parse`]), its premises in `premises`. Every missing fact is named.
    /// 承诺制: the written commitment is required, declared on the form or brought as the
    /// 承诺书 material (`commitment_brought`: the guidance to complete ends with it).
    pub fn from_filing(
        facts: &Facts,
        premises: &DivisionCode,
        commitment_brought: bool,
    ) -> Result<Institution, Vec<FieldError>> {
        let mut problems = Vec::new();
        let organization = match facts.get("operator") {
            Some(FactValue::Organization(o)) => Some(o.clone()),
            _ => {
                problems.push(missing("operator"));
                None
            }
        };
        let text = |id: &str, problems: &mut Vec<FieldError>| match facts.get(id) {
            Some(FactValue::Text(t)) => t.clone(),
            _ => {
                problems.push(missing(id));
                String::new()
            }
        };
        let int = |id: &str, problems: &mut Vec<FieldError>| match facts.get(id) {
            Some(FactValue::Int(n)) => *n,
            _ => {
                problems.push(missing(id));
                0
            }
        };
        let address = text("service_address", &mut problems);
        let beds = int("beds", &mut problems);
        let floor_area = int("floor_area", &mut problems);
        let institution_type = match facts.get("institution_type") {
            Some(FactValue::Choice(c)) => InstitutionType::parse(c),
            _ => None,
        };
        if institution_type.is_none() {
            problems.push(missing("institution_type"));
        }
        // 承诺制: the written commitment is a required fact, and it must be given.
        if !commitment_brought && !matches!(facts.get("commitment_signed"), Some(FactValue::Bool(true))) {
            problems.push(FieldError::new(
                "commitment_signed",
                "commitment_required",
                "备案实行告知承诺：请申请人书面承诺符合建筑、消防、食品安全、医疗卫生、特种设备等要求",
            ));
        }
        let service_scope = match facts.get("service_scope") {
            Some(FactValue::List(items)) => items.clone(),
            _ => Vec::new(),
        };
        let residents_from = match facts.get("residents_from") {
            Some(FactValue::Date(d)) => Some(*d),
            _ => None,
        };
        match (organization, institution_type) {
            (Some(o), Some(institution_type)) if problems.is_empty() => Ok(Institution {
                name: o.name,
                credit_code: o.credit_code,
                representative: o.representative,
                institution_type,
                beds,
                floor_area,
                address,
                premises_division: premises.clone(),
                service_scope,
                residents_from,
                status: Status::Operating,
            }),
            _ => Err(problems),
        }
    }
}

/// A filed matter that changed (《养老机构管理办法》（民政部令第66号）: 名称、法定代表人（主要负责人）、
/// 服务场所权属、床位数、建筑面积 → 变更备案).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeField {
    Name,
    Representative,
    Premises,
    Beds,
    FloorArea,
}

impl ChangeField {
    pub const ALL: [ChangeField; 5] = [
        ChangeField::Name,
        ChangeField::Representative,
        ChangeField::Premises,
        ChangeField::Beds,
        ChangeField::FloorArea,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeField::Name => "name",
            ChangeField::Representative => "representative",
            ChangeField::Premises => "premises",
            ChangeField::Beds => "beds",
            ChangeField::FloorArea => "floor_area",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeField> {
        ChangeField::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ChangeField::Name => "名称",
            ChangeField::Representative => "法定代表人（主要负责人）",
            ChangeField::Premises => "服务场所",
            ChangeField::Beds => "床位数",
            ChangeField::FloorArea => "建筑面积",
        }
    }
}

/// A change as typed (the page form and the JSON body alike).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeInput {
    pub field: String,
    pub value: String,
    /// The premises' division, for a change of premises.
    pub premises_division: String,
    /// The day the change took effect (`YYYY-MM-DD`).
    pub changed_on: String,
}

/// A checked change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: ChangeField,
    pub value: String,
    pub premises_division: Option<DivisionCode>,
    pub changed_on: NaiveDate,
}

/// A day typed as `YYYY-MM-DD`, not after `today`.
pub(crate) fn past_date(field: &str, text: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(missing(field));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "invalid_date", "日期格式应为 YYYY-MM-DD"))?;
    if date > today {
        return Err(FieldError::new(field, "date_in_future", "日期不能晚于今天"));
    }
    Ok(date)
}

fn count(field: &str, text: &str, min: i64, max: i64, what: &str) -> Result<i64, FieldError> {
    let n: i64 =
        text.trim().parse().map_err(|_| FieldError::new(field, "invalid_number", format!("{what}应为整数")))?;
    if !(min..=max).contains(&n) {
        return Err(FieldError::new(field, "out_of_range", format!("{what}应在{min}至{max}之间")));
    }
    Ok(n)
}

impl Change {
    /// Checks a change of `current` typed on `today`: every problem at once.
    pub fn parse(
        input: &ChangeInput,
        current: &Institution,
        today: NaiveDate,
        divisions: &Divisions,
    ) -> Result<Change, Vec<FieldError>> {
        let mut problems = Vec::new();
        let field = ChangeField::parse(input.field.trim());
        if field.is_none() {
            problems.push(FieldError::new(
                "field",
                "invalid_choice",
                "请选择变更事项：名称、法定代表人、服务场所、床位数或建筑面积",
            ));
        }
        let changed_on = past_date("changed_on", &input.changed_on, today).map_err(|e| problems.push(e)).ok();
        let mut premises_division = None;
        let value = match field {
            None => None,
            Some(ChangeField::Name) => text_field("value", &input.value, 100, true).map_err(|e| problems.push(e)).ok(),
            Some(ChangeField::Representative) => {
                text_field("value", &input.value, 50, true).map_err(|e| problems.push(e)).ok()
            }
            Some(ChangeField::Premises) => {
                match DivisionCode::parse(input.premises_division.trim()).ok().filter(|c| divisions.get(c).is_some()) {
                    Some(code) => premises_division = Some(code),
                    None => {
                        problems.push(FieldError::new("premises_division", "division_unknown", "请选择服务场所所在地"))
                    }
                }
                text_field("value", &input.value, 200, true).map_err(|e| problems.push(e)).ok()
            }
            Some(ChangeField::Beds) => count("value", &input.value, 1, 100_000, "床位数")
                .map(|n| n.to_string())
                .map_err(|e| problems.push(e))
                .ok(),
            Some(ChangeField::FloorArea) => count("value", &input.value, 1, 10_000_000, "建筑面积")
                .map(|n| n.to_string())
                .map_err(|e| problems.push(e))
                .ok(),
        };
        if let (Some(field), Some(value)) = (field, &value) {
            if current_value(current, field) == *value
                && (field != ChangeField::Premises || premises_division.as_ref() == Some(&current.premises_division))
            {
                problems.push(FieldError::new(
                    "value",
                    "unchanged",
                    format!("{}与名册记载相同，无需变更", field.name_zh()),
                ));
            }
        }
        match (field, value, changed_on) {
            (Some(field), Some(value), Some(changed_on)) if problems.is_empty() => {
                Ok(Change { field, value, premises_division, changed_on })
            }
            _ => Err(problems),
        }
    }

    /// The institution after the change.
    pub fn apply(&self, current: &Institution) -> Institution {
        let mut next = current.clone();
        match self.field {
            ChangeField::Name => next.name = self.value.clone(),
            ChangeField::Representative => next.representative = self.value.clone(),
            ChangeField::Premises => {
                next.address = self.value.clone();
                if let Some(code) = &self.premises_division {
                    next.premises_division = code.clone();
                }
            }
            ChangeField::Beds => next.beds = self.value.parse().unwrap_or(next.beds),
            ChangeField::FloorArea => next.floor_area = self.value.parse().unwrap_or(next.floor_area),
        }
        next
    }
}

/// The value of `field` on the register, as a change types it.
pub fn current_value(current: &Institution, field: ChangeField) -> String {
    match field {
        ChangeField::Name => current.name.clone(),
        ChangeField::Representative => current.representative.clone(),
        ChangeField::Premises => current.address.clone(),
        ChangeField::Beds => current.beds.to_string(),
        ChangeField::FloorArea => current.floor_area.to_string(),
    }
}

/// What the on-site inspection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionResult {
    /// The premises match the filing and the commitment.
    Conforms,
    /// Something to put right, within a period the inspector sets.
    Rectify,
}

impl InspectionResult {
    pub const ALL: [InspectionResult; 2] = [InspectionResult::Conforms, InspectionResult::Rectify];

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionResult::Conforms => "conforms",
            InspectionResult::Rectify => "rectify",
        }
    }

    pub fn parse(s: &str) -> Option<InspectionResult> {
        InspectionResult::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            InspectionResult::Conforms => "与备案信息相符",
            InspectionResult::Rectify => "发现问题，责令限期整改",
        }
    }
}

/// An inspection as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionInput {
    pub done_on: String,
    pub result: String,
    pub findings: String,
}

/// A checked inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub done_on: NaiveDate,
    pub result: InspectionResult,
    pub findings: String,
}

impl Inspection {
    /// Checks an inspection of an institution filed on `filed_on`, typed on `today`.
    pub fn parse(
        input: &InspectionInput,
        filed_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Inspection, Vec<FieldError>> {
        let mut problems = Vec::new();
        let done_on = match past_date("done_on", &input.done_on, today) {
            Ok(d) if d < filed_on => {
                problems.push(FieldError::new("done_on", "before_filing", "检查日期不能早于备案日期"));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let result = InspectionResult::parse(input.result.trim());
        if result.is_none() {
            problems.push(FieldError::new("result", "invalid_choice", "请选择检查结论"));
        }
        let rectify = result == Some(InspectionResult::Rectify);
        let findings = text_field("findings", &input.findings, 2000, rectify).map_err(|e| problems.push(e)).ok();
        match (done_on, result, findings) {
            (Some(done_on), Some(result), Some(findings)) if problems.is_empty() => {
                Ok(Inspection { done_on, result, findings })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::OrganizationFact;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn facts(commitment: bool) -> Facts {
        let mut f = Facts::default();
        f.0.insert(
            "operator".into(),
            FactValue::Organization(OrganizationFact {
                name: "达州市通川区康乐养老院".into(),
                credit_code: "52511702MJQ000000X".into(),
                representative: "王芳".into(),
                division: "511702".into(),
            }),
        );
        f.0.insert("service_address".into(), FactValue::Text("通川区西外街道1号".into()));
        f.0.insert("beds".into(), FactValue::Int(120));
        f.0.insert("floor_area".into(), FactValue::Int(3500));
        f.0.insert("institution_type".into(), FactValue::Choice("public_private".into()));
        f.0.insert("commitment_signed".into(), FactValue::Bool(commitment));
        f
    }

    fn institution() -> Institution {
        Institution::from_filing(&facts(true), &code("511702"), false).unwrap()
    }

    #[test]
    fn a_filing_reads_into_the_register() {
        let i = institution();
        assert_eq!(i.name, "达州市通川区康乐养老院");
        assert_eq!(i.institution_type, InstitutionType::PublicPrivate);
        assert_eq!((i.beds, i.floor_area), (120, 3500));
        assert_eq!(i.premises_division, code("511702"));
        assert_eq!(i.status, Status::Operating);
    }

    /// 承诺制: the commitment is a required fact; without it nothing enters the register.
    #[test]
    fn without_the_commitment_the_filing_is_incomplete() {
        let err = Institution::from_filing(&facts(false), &code("511702"), false).unwrap_err();
        assert_eq!(err.iter().map(|e| e.code).collect::<Vec<_>>(), ["commitment_required"]);
        // Brought as the 承诺书 after the guidance to complete: enough.
        assert!(Institution::from_filing(&facts(false), &code("511702"), true).is_ok());
        let mut f = facts(true);
        f.0.remove("commitment_signed");
        f.0.remove("beds");
        let fields: Vec<_> =
            Institution::from_filing(&f, &code("511702"), false).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["beds", "commitment_signed"]);
    }

    fn change(field: &str, value: &str, on: &str) -> ChangeInput {
        ChangeInput {
            field: field.into(),
            value: value.into(),
            premises_division: String::new(),
            changed_on: on.into(),
        }
    }

    #[test]
    fn changes_are_checked_and_applied() {
        let divisions = Divisions::builtin();
        let today = d(2021, 10, 8);
        let i = institution();
        let beds = Change::parse(&change("beds", "150", "2021-10-08"), &i, today, divisions).unwrap();
        assert_eq!(beds.apply(&i).beds, 150);
        let mut premises = change("premises", "达川区三里坪街道2号", "2021-09-30");
        premises.premises_division = "511703".into();
        let moved = Change::parse(&premises, &i, today, divisions).unwrap().apply(&i);
        assert_eq!((moved.address.as_str(), moved.premises_division.as_str()), ("达川区三里坪街道2号", "511703"));
        // Refusals name their field.
        let codes = |input: &ChangeInput| -> Vec<(String, &'static str)> {
            Change::parse(input, &i, today, divisions).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
        };
        assert_eq!(codes(&change("beds", "120", "2021-10-08")), [("value".into(), "unchanged")]);
        assert_eq!(codes(&change("beds", "0", "2021-10-08")), [("value".into(), "out_of_range")]);
        assert_eq!(
            codes(&change("beds", "十", "2021-10-09")),
            [("changed_on".into(), "date_in_future"), ("value".into(), "invalid_number")]
        );
        assert_eq!(
            codes(&change("colour", "", "2021-02-30")),
            [("field".into(), "invalid_choice"), ("changed_on".into(), "invalid_date")]
        );
        assert_eq!(
            codes(&change("premises", "某地", "2021-10-08")),
            [("premises_division".into(), "division_unknown")]
        );
        assert_eq!(codes(&change("name", " ", "2021-10-08")), [("value".into(), "required")]);
    }

    #[test]
    fn an_inspection_is_dated_between_the_filing_and_today() {
        let filed = d(2021, 9, 17);
        let today = d(2021, 10, 21);
        let input = |on: &str, result: &str, findings: &str| InspectionInput {
            done_on: on.into(),
            result: result.into(),
            findings: findings.into(),
        };
        let ok = Inspection::parse(&input("2021-10-21", "conforms", ""), filed, today).unwrap();
        assert_eq!(ok.result, InspectionResult::Conforms);
        let codes = |i: &InspectionInput| -> Vec<&'static str> {
            Inspection::parse(i, filed, today).unwrap_err().into_iter().map(|e| e.code).collect()
        };
        assert_eq!(codes(&input("2021-09-16", "conforms", "")), ["before_filing"]);
        assert_eq!(codes(&input("2021-10-22", "conforms", "")), ["date_in_future"]);
        assert_eq!(codes(&input("2021-10-20", "rectify", "")), ["required"]);
        assert_eq!(codes(&input("2021-10-20", "pass", "")), ["invalid_choice"]);
    }
}
