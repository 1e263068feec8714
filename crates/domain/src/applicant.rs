//! Who applies for a matter: a person (公民) or a legal person or other organization (法人或者其他
//! 组织). 行政许可法第二十九条 and 政府信息公开条例第二十九条 let all three apply; an organization is
//! named by its 统一社会信用代码 (GB 32100-2015, `crate::organization`).
//!
//! The one parser of an applicant typed at the window, online or in the API: the kind chosen
//! first, then the fields of that kind.

use crate::division::Divisions;
use crate::idcard::RegionHistory;
use crate::organization::{NewOrganization, OrganizationInput};
use crate::person::Phone;
use crate::problem::{text_field, FieldError};

/// The two kinds of applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicantKind {
    /// A natural person (个人).
    Person,
    /// A legal person or other organization (法人或者其他组织).
    Organization,
}

impl ApplicantKind {
    pub const ALL: [ApplicantKind; 2] = [ApplicantKind::Person, ApplicantKind::Organization];

    /// Parses the kind as a form or the API sends it: `person` (also when absent) or
    /// `organization`; anything else is `unknown_applicant_kind` on `field`.
    pub fn parse(input: Option<&str>, field: &str) -> Result<ApplicantKind, FieldError> {
        match input.map(str::trim).unwrap_or("") {
            "" | "person" => Ok(ApplicantKind::Person),
            "organization" => Ok(ApplicantKind::Organization),
            other => Err(FieldError::new(
                field,
                "unknown_applicant_kind",
                format!("申请人类别“{other}”不存在：请选择个人，或者法人或者其他组织"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantKind::Person => "person",
            ApplicantKind::Organization => "organization",
        }
    }

    /// The label a page shows.
    pub fn label(self) -> &'static str {
        match self {
            ApplicantKind::Person => "个人",
            ApplicantKind::Organization => "法人或者其他组织",
        }
    }
}

/// An organization applying, as parsed: the organization and how to reach it.
#[derive(Debug, Clone)]
pub struct OrganizationApplicant {
    pub organization: NewOrganization,
    /// The contact phone: personal data (the 联系人's), kept encrypted and shown masked.
    pub phone: Option<Phone>,
    /// 住所 as written.
    pub address: String,
}

impl OrganizationApplicant {
    /// Parses the organization's fields ([`NewOrganization::parse`]), its contact phone and
    /// its address, every problem at once.
    pub fn parse(
        input: &OrganizationInput,
        phone: Option<&str>,
        address: Option<&str>,
        regions: &RegionHistory,
        divisions: &Divisions,
    ) -> Result<OrganizationApplicant, Vec<FieldError>> {
        let mut problems = Vec::new();
        let organization =
            NewOrganization::parse(input, regions, divisions).map_err(|mut e| problems.append(&mut e)).ok();
        let phone = match phone.map(str::trim) {
            None | Some("") => Some(None),
            Some(p) => Phone::parse(p).map(Some).map_err(|e| problems.push(e)).ok(),
        };
        let address = text_field("address", address.unwrap_or(""), 200, false).map_err(|e| problems.push(e)).ok();
        match (organization, phone, address) {
            (Some(organization), Some(phone), Some(address)) if problems.is_empty() => {
                Ok(OrganizationApplicant { organization, phone, address })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_defaults_to_a_person_and_refuses_anything_else() {
        assert_eq!(ApplicantKind::parse(None, "applicant.kind").unwrap(), ApplicantKind::Person);
        assert_eq!(ApplicantKind::parse(Some(" "), "applicant.kind").unwrap(), ApplicantKind::Person);
        assert_eq!(ApplicantKind::parse(Some("organization"), "k").unwrap(), ApplicantKind::Organization);
        for kind in ApplicantKind::ALL {
            assert_eq!(ApplicantKind::parse(Some(kind.as_str()), "k").unwrap(), kind);
        }
        let err = ApplicantKind::parse(Some("company"), "applicant.kind").unwrap_err();
        assert_eq!((err.field.as_str(), err.code), ("applicant.kind", "unknown_applicant_kind"));
    }

    #[test]
    fn an_organization_reports_every_problem_at_once() {
        let input = OrganizationInput {
            name: "达州市通川区老年协会".into(),
            credit_code: "515117025041234501".into(),
            representative: None,
            division: "511702001".into(),
        };
        let problems = OrganizationApplicant::parse(
            &input,
            Some("123"),
            Some("a\u{0}"),
            RegionHistory::builtin(),
            Divisions::builtin(),
        )
        .unwrap_err();
        let fields: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert_eq!(
            fields,
            [("credit_code", "uscc_checksum"), ("phone", "invalid_phone"), ("address", "control_chars")]
        );
        let input = OrganizationInput { credit_code: "515117025041234500".into(), ..input };
        let parsed = OrganizationApplicant::parse(
            &input,
            Some("0818-2123456"),
            Some("通川区朝阳路1号"),
            RegionHistory::builtin(),
            Divisions::builtin(),
        )
        .unwrap();
        assert_eq!(parsed.organization.credit_code.code.as_str(), "515117025041234500");
        assert_eq!(parsed.phone.unwrap().masked(), "081*****3456");
        let bare =
            OrganizationApplicant::parse(&input, None, None, RegionHistory::builtin(), Divisions::builtin()).unwrap();
        assert!(bare.phone.is_none() && bare.address.is_empty());
    }
}
