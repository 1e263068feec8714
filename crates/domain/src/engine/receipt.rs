//! The day an application counts as received, by how it reached the office: an item whose
//! period runs from the receipt (`[procedure.receipt]`, [`crate::procedure::ReceiptRule`]) rather
//! than from the acceptance act. 《中华人民共和国政府信息公开条例》第三十一条:
//! (一) 当面提交的，以提交之日为收到申请之日;
//! (二) 以邮寄方式提交的，以行政机关签收之日为收到申请之日; 以平常信函等无需签收的邮寄方式
//!      提交的，政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日;
//! (三) 通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日.
//!
//! An oral request (第二十九条第一款: 采用书面形式确有困难的，可以口头提出，由受理该申请的
//! 行政机关代为填写) is made in person and counts as (一). One parser, [`Receipt::parse`], for the
//! window form, the online form and the JSON API.

use chrono::NaiveDate;

use crate::problem::{date_field, FieldError};

/// How the application reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptChannel {
    /// 当面提交 at the window.
    InPerson,
    /// 口头提出, written down by the office.
    Oral,
    /// 邮寄, signed for by the office (挂号信, 快递).
    Post,
    /// 平常信函 and other post no one signs for.
    OrdinaryLetter,
    /// 互联网渠道 (the office's online platform).
    Online,
    /// The office's fax.
    Fax,
}

impl ReceiptChannel {
    pub const ALL: [ReceiptChannel; 6] = [
        ReceiptChannel::InPerson,
        ReceiptChannel::Oral,
        ReceiptChannel::Post,
        ReceiptChannel::OrdinaryLetter,
        ReceiptChannel::Online,
        ReceiptChannel::Fax,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptChannel::InPerson => "in_person",
            ReceiptChannel::Oral => "oral",
            ReceiptChannel::Post => "post",
            ReceiptChannel::OrdinaryLetter => "ordinary_letter",
            ReceiptChannel::Online => "online",
            ReceiptChannel::Fax => "fax",
        }
    }

    pub fn parse(s: &str) -> Option<ReceiptChannel> {
        ReceiptChannel::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ReceiptChannel::InPerson => "当面提交",
            ReceiptChannel::Oral => "口头提出（由本机关代为填写）",
            ReceiptChannel::Post => "邮寄（签收）",
            ReceiptChannel::OrdinaryLetter => "平常信函（无需签收）",
            ReceiptChannel::Online => "互联网渠道",
            ReceiptChannel::Fax => "传真",
        }
    }

    /// The date that fixes the day of receipt for this channel, as the form asks for it.
    pub fn receipt_rule_zh(self) -> &'static str {
        match self {
            ReceiptChannel::InPerson | ReceiptChannel::Oral => "以提交之日为收到申请之日",
            ReceiptChannel::Post => "以本机关签收之日为收到申请之日",
            ReceiptChannel::OrdinaryLetter => "以本机关与申请人确认之日为收到申请之日",
            ReceiptChannel::Online | ReceiptChannel::Fax => "以双方确认之日为收到申请之日",
        }
    }
}

/// The dates an application's receipt is read from; which one counts depends on the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    pub channel: ReceiptChannel,
    /// The day the applicant handed it in (in person, oral), or sent it.
    pub submitted_on: NaiveDate,
    /// The day the office signed for a posted application.
    pub signed_on: Option<NaiveDate>,
    /// The day the office and the applicant confirmed receipt (ordinary letter, online, fax).
    pub confirmed_on: Option<NaiveDate>,
}

/// A receipt as entered (strings from a form or a JSON body).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptInput {
    pub channel: String,
    /// `YYYY-MM-DD`.
    pub submitted_on: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub confirmed_on: String,
}

impl Receipt {
    /// 第三十一条: the day the application counts as received (see the module). A date before
    /// the day it was sent is refused (`receipt_before_submission`); the missing date names its
    /// field (`receipt_date_required`).
    pub fn receipt_date(&self) -> Result<NaiveDate, FieldError> {
        let (date, field) = match self.channel {
            ReceiptChannel::InPerson | ReceiptChannel::Oral => return Ok(self.submitted_on),
            ReceiptChannel::Post => (self.signed_on, "signed_on"),
            ReceiptChannel::OrdinaryLetter | ReceiptChannel::Online | ReceiptChannel::Fax => {
                (self.confirmed_on, "confirmed_on")
            }
        };
        let date = date.ok_or_else(|| {
            FieldError::new(field, "receipt_date_required", format!("{}，请填写该日期", self.channel.receipt_rule_zh()))
        })?;
        if date < self.submitted_on {
            return Err(FieldError::new(field, "receipt_before_submission", "收到日期不能早于申请人提交（寄出）之日"));
        }
        Ok(date)
    }

    /// Parses an entered receipt; every problem at once. `today` bounds the dates: nothing is
    /// sent or received in the future.
    pub fn parse(input: &ReceiptInput, today: NaiveDate) -> Result<Receipt, Vec<FieldError>> {
        let mut errors = Vec::new();
        let channel = ReceiptChannel::parse(&input.channel);
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
        let (Some(channel), Some(submitted_on), true) = (channel, submitted_on, errors.is_empty()) else {
            return Err(errors);
        };
        let receipt = Receipt { channel, submitted_on, signed_on, confirmed_on };
        receipt.receipt_date().map_err(|e| vec![e])?;
        Ok(receipt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_day_of_receipt_follows_the_channel() {
        let sent = d(2021, 9, 28);
        let facts = |channel, signed_on, confirmed_on| Receipt { channel, submitted_on: sent, signed_on, confirmed_on };
        assert_eq!(facts(ReceiptChannel::InPerson, None, None).receipt_date(), Ok(sent));
        assert_eq!(facts(ReceiptChannel::Oral, None, Some(d(2021, 10, 8))).receipt_date(), Ok(sent));
        // Posted: the day the office signs (a holiday included: 10-02 of 国庆), not the day sent.
        assert_eq!(facts(ReceiptChannel::Post, Some(d(2021, 10, 2)), None).receipt_date(), Ok(d(2021, 10, 2)));
        let unsigned = facts(ReceiptChannel::Post, None, Some(d(2021, 10, 8))).receipt_date().unwrap_err();
        assert_eq!((unsigned.field.as_str(), unsigned.code), ("signed_on", "receipt_date_required"));
        // Ordinary letter, online, fax: the day both sides confirm.
        for channel in [ReceiptChannel::OrdinaryLetter, ReceiptChannel::Online, ReceiptChannel::Fax] {
            assert_eq!(facts(channel, Some(d(2021, 9, 29)), Some(d(2021, 10, 9))).receipt_date(), Ok(d(2021, 10, 9)));
            assert_eq!(facts(channel, None, None).receipt_date().unwrap_err().code, "receipt_date_required");
        }
        // The same day as sent is fine; the day before is not.
        assert_eq!(facts(ReceiptChannel::Online, None, Some(sent)).receipt_date(), Ok(sent));
        let early = facts(ReceiptChannel::Online, None, Some(d(2021, 9, 27))).receipt_date().unwrap_err();
        assert_eq!((early.field.as_str(), early.code), ("confirmed_on", "receipt_before_submission"));
    }

    #[test]
    fn parse_reports_every_problem_and_refuses_the_future() {
        let today = d(2024, 2, 29);
        let input = |channel: &str, submitted: &str, signed: &str| ReceiptInput {
            channel: channel.into(),
            submitted_on: submitted.into(),
            signed_on: signed.into(),
            confirmed_on: String::new(),
        };
        // A leap day is a date; the day it is today is not the future.
        let ok = Receipt::parse(&input("post", "2024-02-26", "2024-02-29"), today).unwrap();
        assert_eq!(ok.receipt_date(), Ok(today));
        let bad = Receipt::parse(&input("pigeon", "2023-02-29", "2024-03-01"), today).unwrap_err();
        let codes: Vec<(&str, &str)> = bad.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [("channel", "invalid_channel"), ("submitted_on", "invalid_date"), ("signed_on", "date_in_future")]
        );
        let missing = Receipt::parse(&input("post", "2024-02-26", ""), today).unwrap_err();
        assert_eq!(missing[0].code, "receipt_date_required");
        assert_eq!(Receipt::parse(&input("in_person", "", ""), today).unwrap_err()[0].code, "required");
    }

    #[test]
    fn names_round_trip() {
        for c in ReceiptChannel::ALL {
            assert_eq!(ReceiptChannel::parse(c.as_str()), Some(c));
            assert!(!c.name_zh().is_empty() && !c.receipt_rule_zh().is_empty());
        }
        assert_eq!(ReceiptChannel::parse("InPerson"), None);
    }
}
