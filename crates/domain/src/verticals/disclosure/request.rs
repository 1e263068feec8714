//! A request for government information (政府信息公开条例 第二十九条) and the day it counts as
//! received (第三十一条). One parser, [`NewRequest::parse`], for the window form, the public form
//! and the JSON API.

use chrono::NaiveDate;

use crate::problem::{text_field, FieldError};

/// How the request reached the organ (第二十九条第一款: 书面形式, 信件, 数据电文; 口头提出 where
/// writing is hard, recorded by the organ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交 at the window.
    InPerson,
    /// 口头提出, written down by the organ (第二十九条第一款: 采用书面形式确有困难的).
    Oral,
    /// 邮寄, signed for by the organ (挂号信, 快递).
    Post,
    /// 平常信函 and other post no one signs for.
    OrdinaryLetter,
    /// 互联网渠道 (the organ's online platform).
    Online,
    /// The organ's fax.
    Fax,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::InPerson, Channel::Oral, Channel::Post, Channel::OrdinaryLetter, Channel::Online, Channel::Fax];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Oral => "oral",
            Channel::Post => "post",
            Channel::OrdinaryLetter => "ordinary_letter",
            Channel::Online => "online",
            Channel::Fax => "fax",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::Oral => "口头提出（由本机关代为填写）",
            Channel::Post => "邮寄（签收）",
            Channel::OrdinaryLetter => "平常信函（无需签收）",
            Channel::Online => "互联网渠道",
            Channel::Fax => "传真",
        }
    }

    /// The date that fixes the day of receipt for this channel, as the form asks for it.
    pub fn receipt_rule_zh(self) -> &'static str {
        match self {
            Channel::InPerson | Channel::Oral => "以提交之日为收到申请之日",
            Channel::Post => "以本机关签收之日为收到申请之日",
            Channel::OrdinaryLetter => "以本机关与申请人确认之日为收到申请之日",
            Channel::Online | Channel::Fax => "以双方确认之日为收到申请之日",
        }
    }
}

/// The dates a request's receipt is read from; which one counts depends on the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptFacts {
    pub channel: Channel,
    /// The day the applicant handed it in (in person, oral), or sent it.
    pub submitted_on: NaiveDate,
    /// The day the organ signed for a posted request.
    pub signed_on: Option<NaiveDate>,
    /// The day the organ and the applicant confirmed receipt (ordinary letter, online, fax).
    pub confirmed_on: Option<NaiveDate>,
}

impl ReceiptFacts {
    /// 第三十一条: the day the request counts as received.
    /// (一) 当面提交 → the day it is submitted (an oral request is made in person);
    /// (二) 邮寄 → the day the organ signs for it; 平常信函 and other post without signature →
    ///      the day the organ confirms receipt with the applicant;
    /// (三) 互联网渠道 or the organ's fax → the day both sides confirm.
    ///
    /// A date before the day it was sent is refused (`receipt_before_submission`); the missing
    /// date names its field.
    pub fn receipt_date(&self) -> Result<NaiveDate, FieldError> {
        let (date, field) = match self.channel {
            Channel::InPerson | Channel::Oral => return Ok(self.submitted_on),
            Channel::Post => (self.signed_on, "signed_on"),
            Channel::OrdinaryLetter | Channel::Online | Channel::Fax => (self.confirmed_on, "confirmed_on"),
        };
        let date = date.ok_or_else(|| {
            FieldError::new(field, "receipt_date_required", format!("{}，请填写该日期", self.channel.receipt_rule_zh()))
        })?;
        if date < self.submitted_on {
            return Err(FieldError::new(field, "receipt_before_submission", "收到日期不能早于申请人提交（寄出）之日"));
        }
        Ok(date)
    }
}

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
pub fn date_field(field: &str, value: &str, required: bool) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return if required { Err(FieldError::new(field, "required", "此项为必填项")) } else { Ok(None) };
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, "invalid_date", "日期应为 YYYY-MM-DD 格式的有效日期"))
}

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
        let channel = Channel::parse(&input.channel);
        if channel.is_none() {
            errors.push(FieldError::new("channel", "invalid_channel", "请选择申请方式"));
        }
        let mut date = |field: &str, value: &str, required: bool| match date_field(field, value, required) {
            Ok(Some(d)) if d > today => {
                errors.push(FieldError::new(field, "date_in_future", "日期不能晚于今天"));
                None
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let submitted_on = date("submitted_on", &input.submitted_on, true);
        let signed_on = date("signed_on", &input.signed_on, false);
        let confirmed_on = date("confirmed_on", &input.confirmed_on, false);
        let (Some(applicant_kind), Some(form), Some(channel), Some(submitted_on)) =
            (applicant_kind, form, channel, submitted_on)
        else {
            return Err(errors);
        };
        let receipt = ReceiptFacts { channel, submitted_on, signed_on, confirmed_on };
        let received_on = match receipt.receipt_date() {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
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
    fn receipt_date_follows_the_channel() {
        let sent = d(2021, 9, 28);
        let facts =
            |channel, signed_on, confirmed_on| ReceiptFacts { channel, submitted_on: sent, signed_on, confirmed_on };
        assert_eq!(facts(Channel::InPerson, None, None).receipt_date(), Ok(sent));
        assert_eq!(facts(Channel::Oral, None, Some(d(2021, 10, 8))).receipt_date(), Ok(sent));
        // Posted: the day the organ signs, not the day it was sent.
        assert_eq!(facts(Channel::Post, Some(d(2021, 10, 8)), None).receipt_date(), Ok(d(2021, 10, 8)));
        assert_eq!(facts(Channel::Post, None, Some(d(2021, 10, 8))).receipt_date().unwrap_err().field, "signed_on");
        // Ordinary letter, online, fax: the day of confirmation.
        for channel in [Channel::OrdinaryLetter, Channel::Online, Channel::Fax] {
            assert_eq!(facts(channel, Some(d(2021, 9, 29)), Some(d(2021, 10, 9))).receipt_date(), Ok(d(2021, 10, 9)));
            assert_eq!(facts(channel, None, None).receipt_date().unwrap_err().code, "receipt_date_required");
        }
        let early = facts(Channel::Online, None, Some(d(2021, 9, 27))).receipt_date().unwrap_err();
        assert_eq!(early.code, "receipt_before_submission");
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
