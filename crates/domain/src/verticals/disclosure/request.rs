//! A request for government information (政府信息公开条例 第二十九条) and the day it counts as
//! received (第三十一条). One parser, [`NewRequest::parse`], for the window form, the public form
//! and the JSON API.

use chrono::NaiveDate;

use crate::problem::{text_field, FieldError};

use crate::engine::receipt::ReceiptInput;
/// How the request reached the organ (第二十九条第一款: 书面形式, 信件, 数据电文; 口头提出 where
/// writing is hard, recorded by the organ), and the day it counts as received (第三十一条): the
/// engine's, shared with every item whose period runs from the receipt.
pub use crate::engine::receipt::{Receipt as ReceiptFacts, ReceiptChannel as Channel};

/// The applicant's kind, as the annual report counts it (国办公开办函〔2021〕30号 年度报告格式
/// 第三部分: 自然人; 法人或其他组织: 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    NaturalPerson,
    Business,
    Research,
    PublicInterest,
    LegalService,
    OtherOrganization,
}

impl ApplicantKind {
    pub const ALL: [ApplicantKind; 6] = [
        ApplicantKind::NaturalPerson,
        ApplicantKind::Business,
        ApplicantKind::Research,
        ApplicantKind::PublicInterest,
        ApplicantKind::LegalService,
        ApplicantKind::OtherOrganization,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "natural_person",
            ApplicantKind::Business => "business",
            ApplicantKind::Research => "research",
            ApplicantKind::PublicInterest => "public_interest",
            ApplicantKind::LegalService => "legal_service",
            ApplicantKind::OtherOrganization => "other_organization",
        }
    }

    pub fn parse(s: &str) -> Option<ApplicantKind> {
        ApplicantKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "自然人",
            ApplicantKind::Business => "商业企业",
            ApplicantKind::Research => "科研机构",
            ApplicantKind::PublicInterest => "社会公益组织",
            ApplicantKind::LegalService => "法律服务机构",
            ApplicantKind::OtherOrganization => "其他",
        }
    }
}

/// 第二十九条第二款第四项: the form in which the applicant asks for the information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionForm {
    Paper,
    Electronic,
    Inspection,
}

impl ProvisionForm {
    pub const ALL: [ProvisionForm; 3] = [ProvisionForm::Paper, ProvisionForm::Electronic, ProvisionForm::Inspection];

    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionForm::Paper => "paper",
            ProvisionForm::Electronic => "electronic",
            ProvisionForm::Inspection => "inspection",
        }
    }

    pub fn parse(s: &str) -> Option<ProvisionForm> {
        ProvisionForm::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ProvisionForm::Paper => "纸质文本",
            ProvisionForm::Electronic => "电子文本",
            ProvisionForm::Inspection => "当面查阅、抄录",
        }
    }
}

/// A request as entered (strings from a form or JSON body).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RequestInput {
    pub applicant_kind: String,
    pub applicant_name: String,
    /// 身份证明: the ID document's number for a person, the 统一社会信用代码 for an organization.
    pub identity: String,
    /// 联系方式: a telephone number.
    pub contact: String,
    pub address: String,
    pub description: String,
    pub form: String,
    pub channel: String,
    /// `YYYY-MM-DD`.
    pub submitted_on: String,
    pub signed_on: String,
    pub confirmed_on: String,
}

/// A request that passed [`NewRequest::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub applicant_kind: ApplicantKind,
    pub applicant_name: String,
    pub identity: String,
    pub contact: String,
    pub address: String,
    pub description: String,
    pub form: ProvisionForm,
    pub receipt: ReceiptFacts,
    pub received_on: NaiveDate,
}

/// Parses an optional `YYYY-MM-DD` field.
pub use crate::problem::date_field;

impl NewRequest {
    /// 第二十九条第二款: the request names (一) the applicant and the identity document,
    /// (二) contact details, (三) a description of the information sought, (四) the form of
    /// provision. Every problem is reported at once. `today` bounds the dates: a request is not
    /// submitted or received in the future.
    pub fn parse(input: &RequestInput, today: NaiveDate) -> Result<NewRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ok = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).unwrap_or_default();
        let applicant_name = ok(text_field("applicant_name", &input.applicant_name, 100, true));
        let identity = ok(text_field("identity", &input.identity, 40, true));
        let contact = ok(text_field("contact", &input.contact, 40, true));
        let address = ok(text_field("address", &input.address, 200, false));
        let description = ok(text_field("description", &input.description, 2000, true));
        if !contact.is_empty() && !contact.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == ' ') {
            errors.push(FieldError::new("contact", "invalid_contact", "联系电话只能包含数字、“-”、“+”和空格"));
        }
        let applicant_kind = ApplicantKind::parse(&input.applicant_kind);
        if applicant_kind.is_none() {
            errors.push(FieldError::new("applicant_kind", "invalid_applicant_kind", "请选择申请人类型"));
        }
        let form = ProvisionForm::parse(&input.form);
        if form.is_none() {
            errors.push(FieldError::new("form", "invalid_provision_form", "请选择获取信息的方式"));
        }
        let receipt = ReceiptInput {
            channel: input.channel.clone(),
            submitted_on: input.submitted_on.clone(),
            signed_on: input.signed_on.clone(),
            confirmed_on: input.confirmed_on.clone(),
        };
        let receipt = ReceiptFacts::parse(&receipt, today).map_err(|e| errors.extend(e));
        let (Some(applicant_kind), Some(form), Ok(receipt), true) = (applicant_kind, form, receipt, errors.is_empty())
        else {
            return Err(errors);
        };
        let received_on = receipt.receipt_date().map_err(|e| vec![e])?;
        Ok(NewRequest {
            applicant_kind,
            applicant_name,
            identity,
            contact,
            address,
            description,
            form,
            receipt,
            received_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input() -> RequestInput {
        RequestInput {
            applicant_kind: "natural_person".into(),
            applicant_name: "张三".into(),
            identity: "110101199003071234".into(),
            contact: "13800000000".into(),
            address: String::new(),
            description: "2021年本区最低生活保障标准调整的文件".into(),
            form: "paper".into(),
            channel: "in_person".into(),
            submitted_on: "2021-09-30".into(),
            signed_on: String::new(),
            confirmed_on: String::new(),
        }
    }

    #[test]
    fn parse_takes_a_complete_request_and_reports_every_problem() {
        let today = d(2021, 10, 9);
        let ok = NewRequest::parse(&input(), today).unwrap();
        assert_eq!(ok.received_on, d(2021, 9, 30));
        assert_eq!(ok.applicant_kind, ApplicantKind::NaturalPerson);

        let mut bad = input();
        bad.applicant_name = " ".into();
        bad.contact = "138abc".into();
        bad.form = "carrier pigeon".into();
        bad.submitted_on = "2021-10-10".into();
        let errors = NewRequest::parse(&bad, today).unwrap_err();
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(codes.contains(&("applicant_name", "required")), "{codes:?}");
        assert!(codes.contains(&("contact", "invalid_contact")), "{codes:?}");
        assert!(codes.contains(&("form", "invalid_provision_form")), "{codes:?}");
        assert!(codes.contains(&("submitted_on", "date_in_future")), "{codes:?}");

        let mut online = input();
        online.channel = "online".into();
        let errors = NewRequest::parse(&online, today).unwrap_err();
        assert_eq!(errors[0].field, "confirmed_on");
        online.confirmed_on = "2021-10-08".into();
        assert_eq!(NewRequest::parse(&online, today).unwrap().received_on, d(2021, 10, 8));
    }

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for k in ApplicantKind::ALL {
            assert_eq!(ApplicantKind::parse(k.as_str()), Some(k));
        }
        for f in ProvisionForm::ALL {
            assert_eq!(ProvisionForm::parse(f.as_str()), Some(f));
        }
        assert_eq!(Channel::parse("InPerson"), None);
    }
}
