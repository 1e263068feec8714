//! The officers' register (执法人员名录) and the gates on who may act on a case.
//!
//! - 行政处罚法 第四十二条: a penalty is carried out by officers holding 行政执法资格, at least two
//!   of them; 第五十五条: they show their credential (执法证).
//! - 第四十三条: an officer with a direct interest in the case, or another relation that may
//!   affect its fairness, recuses himself (回避).
//! - 第五十八条第二款: a person doing the 法制审核 of a major decision for the first time holds the
//!   国家统一法律职业资格; 国办发〔2018〕118号: the reviewer is not one of the case's officers.

use chrono::NaiveDate;

use crate::problem::{text_field, FieldError};

/// The basis cited by each gate.
pub const BASIS_CREDENTIAL: &str = "《中华人民共和国行政处罚法》第四十二条";
pub const BASIS_TWO_OFFICERS: &str = "《中华人民共和国行政处罚法》第四十二条";
pub const BASIS_RECUSAL: &str = "《中华人民共和国行政处罚法》第四十三条";
pub const BASIS_REVIEWER: &str = "《中华人民共和国行政处罚法》第五十八条；国办发〔2018〕118号";

/// One entry of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: i64,
    pub name: String,
    /// 执法证号.
    pub certificate_no: String,
    /// The area of enforcement (执法区域), e.g. 达州市民政局辖区.
    pub area: String,
    pub issued_by: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub training_hours: i64,
    /// 国家统一法律职业资格 (needed for a first 法制审核, 第五十八条).
    pub legal_qualification: bool,
    /// The credential withdrawn (暂扣、收回) before its end.
    pub suspended: bool,
    /// 法制审核 reviews this person recorded on any case (0: a review would be a first one).
    pub reviews_done: i64,
}

impl Officer {
    /// Whether the credential is valid on `on` (both ends inclusive).
    pub fn credential_valid(&self, on: NaiveDate) -> bool {
        !self.suspended && self.valid_from <= on && on <= self.valid_until
    }
}

/// The raw input of a register entry, from the form or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficerInput {
    pub name: String,
    pub certificate_no: String,
    pub area: String,
    pub issued_by: String,
    pub valid_from: String,
    pub valid_until: String,
    pub training_hours: String,
    pub legal_qualification: bool,
}

/// A checked register entry (without its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOfficer {
    pub name: String,
    pub certificate_no: String,
    pub area: String,
    pub issued_by: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub training_hours: i64,
    pub legal_qualification: bool,
}

/// A date field `YYYY-MM-DD`.
pub fn date_field(field: &str, value: &str) -> Result<NaiveDate, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required", "此项为必填项"));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "date_format", "日期格式应为“年-月-日”，如2021-10-08"))
}

impl NewOfficer {
    /// The one parser of a register entry (the page form and the JSON API).
    pub fn parse(input: &OfficerInput) -> Result<NewOfficer, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut take = |r: Result<String, FieldError>| r.map_err(|e| problems.push(e)).unwrap_or_default();
        let name = take(text_field("name", &input.name, 30, true));
        let certificate_no = take(text_field("certificate_no", &input.certificate_no, 40, true));
        let area = take(text_field("area", &input.area, 60, true));
        let issued_by = take(text_field("issued_by", &input.issued_by, 60, true));
        if !certificate_no.is_empty() && !certificate_no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            problems.push(FieldError::new("certificate_no", "certificate_format", "执法证号只能由字母、数字和“-”组成"));
        }
        let valid_from = date_field("valid_from", &input.valid_from).map_err(|e| problems.push(e)).ok();
        let valid_until = date_field("valid_until", &input.valid_until).map_err(|e| problems.push(e)).ok();
        if let (Some(from), Some(until)) = (valid_from, valid_until) {
            if until < from {
                problems.push(FieldError::new("valid_until", "validity_order", "有效期截止日不能早于起始日"));
            }
        }
        let hours = input.training_hours.trim();
        let training_hours = if hours.is_empty() {
            0
        } else {
            match hours.parse::<i64>() {
                Ok(h) if (0..=10_000).contains(&h) => h,
                _ => {
                    problems.push(FieldError::new("training_hours", "hours_range", "培训学时应为0至10000之间的整数"));
                    0
                }
            }
        };
        match (valid_from, valid_until, problems.is_empty()) {
            (Some(valid_from), Some(valid_until), true) => Ok(NewOfficer {
                name,
                certificate_no,
                area,
                issued_by,
                valid_from,
                valid_until,
                training_hours,
                legal_qualification: input.legal_qualification,
            }),
            _ => Err(problems),
        }
    }
}

fn refuse(field: &str, code: &'static str, message: String) -> FieldError {
    FieldError::new(field, code, message)
}

/// The gate on the officers of one act (第四十二条、第四十三条): each holds a credential valid on
/// the act's day and has not recused himself from the case; an on-site act (inspection, 笔录,
/// evidence, preservation, service on the spot) needs at least two of them. `recused` are the
/// officers who declared a recusal on this case.
pub fn check_officers(officers: &[&Officer], on: NaiveDate, on_site: bool, recused: &[i64]) -> Result<(), FieldError> {
    if officers.is_empty() {
        return Err(refuse("officers", "no_officer", format!("应当由执法人员实施（{BASIS_CREDENTIAL}）")));
    }
    for officer in officers {
        if !officer.credential_valid(on) {
            return Err(refuse(
                "officers",
                "credential_invalid",
                format!(
                    "{}的执法证（{}）在{}不在有效期内或已暂扣，不能实施执法行为（{BASIS_CREDENTIAL}）",
                    officer.name, officer.certificate_no, on
                ),
            ));
        }
        if recused.contains(&officer.id) {
            return Err(refuse(
                "officers",
                "officer_recused",
                format!("{}已申请回避，不能参与本案（{BASIS_RECUSAL}）", officer.name),
            ));
        }
    }
    let mut distinct: Vec<i64> = officers.iter().map(|o| o.id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if on_site && distinct.len() < 2 {
        return Err(refuse(
            "officers",
            "two_officers",
            format!("现场执法的执法人员不得少于两人（{BASIS_TWO_OFFICERS}）"),
        ));
    }
    Ok(())
}

/// The gate on a 法制审核 reviewer (第五十八条; 118号): not an officer who investigated the case,
/// a valid credential is not required but a first review needs the 法律职业资格.
/// `first_review`: the reviewer has no passed or returned review recorded before.
pub fn check_reviewer(reviewer: &Officer, investigators: &[i64], first_review: bool) -> Result<(), FieldError> {
    if investigators.contains(&reviewer.id) {
        return Err(refuse(
            "reviewer",
            "reviewer_investigated",
            format!("{}参与了本案调查，不能担任本案的法制审核人员（{BASIS_REVIEWER}）", reviewer.name),
        ));
    }
    if first_review && !reviewer.legal_qualification {
        return Err(refuse(
            "reviewer",
            "reviewer_unqualified",
            format!(
                "初次从事行政处罚决定法制审核的人员应当取得法律职业资格，{}未取得（{BASIS_REVIEWER}）",
                reviewer.name
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn officer(id: i64, until: NaiveDate) -> Officer {
        Officer {
            id,
            name: format!("执法员{id}"),
            certificate_no: format!("51170021{id:04}"),
            area: "达州市".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: d(2019, 1, 1),
            valid_until: until,
            training_hours: 60,
            legal_qualification: id == 9,
            suspended: false,
            reviews_done: 0,
        }
    }

    #[test]
    fn two_credentialed_officers_on_site() {
        let a = officer(1, d(2021, 12, 31));
        let b = officer(2, d(2021, 12, 31));
        let on = d(2021, 10, 8);
        assert!(check_officers(&[&a, &b], on, true, &[]).is_ok());
        assert_eq!(check_officers(&[&a], on, true, &[]).unwrap_err().code, "two_officers");
        // The same officer named twice is one officer.
        assert_eq!(check_officers(&[&a, &a], on, true, &[]).unwrap_err().code, "two_officers");
        // An act at the desk (a 告知书 sent by post) needs one.
        assert!(check_officers(&[&a], on, false, &[]).is_ok());
        assert_eq!(check_officers(&[], on, false, &[]).unwrap_err().code, "no_officer");
        let err = check_officers(&[&a], on, true, &[]).unwrap_err();
        assert!(err.message.contains("第四十二条"), "{}", err.message);
    }

    #[test]
    fn credential_valid_through_its_last_day() {
        let a = officer(1, d(2021, 10, 8));
        let b = officer(2, d(2022, 12, 31));
        assert!(check_officers(&[&a, &b], d(2021, 10, 8), true, &[]).is_ok());
        let err = check_officers(&[&a, &b], d(2021, 10, 9), true, &[]).unwrap_err();
        assert_eq!(err.code, "credential_invalid");
        assert!(err.message.contains("第四十二条"));
        let mut c = officer(3, d(2022, 12, 31));
        c.suspended = true;
        assert_eq!(check_officers(&[&b, &c], d(2021, 10, 8), true, &[]).unwrap_err().code, "credential_invalid");
        // Not yet valid.
        assert!(!officer(4, d(2022, 1, 1)).credential_valid(d(2018, 12, 31)));
    }

    #[test]
    fn recused_officer_refused() {
        let a = officer(1, d(2021, 12, 31));
        let b = officer(2, d(2021, 12, 31));
        let err = check_officers(&[&a, &b], d(2021, 10, 8), true, &[2]).unwrap_err();
        assert_eq!(err.code, "officer_recused");
        assert!(err.message.contains("第四十三条"));
    }

    #[test]
    fn reviewer_not_investigator_and_qualified_on_first_review() {
        let lawyer = officer(9, d(2022, 12, 31));
        let plain = officer(5, d(2022, 12, 31));
        assert!(check_reviewer(&lawyer, &[1, 2], true).is_ok());
        let err = check_reviewer(&lawyer, &[9, 2], false).unwrap_err();
        assert_eq!(err.code, "reviewer_investigated");
        assert!(err.message.contains("第五十八条"));
        assert_eq!(check_reviewer(&plain, &[1, 2], true).unwrap_err().code, "reviewer_unqualified");
        assert!(check_reviewer(&plain, &[1, 2], false).is_ok());
    }

    #[test]
    fn register_entry_parsed_with_every_problem() {
        let ok = OfficerInput {
            name: " 李明 ".into(),
            certificate_no: "51170021-0001".into(),
            area: "达州市".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: "2019-01-01".into(),
            valid_until: "2024-02-29".into(),
            training_hours: "60".into(),
            legal_qualification: true,
        };
        let o = NewOfficer::parse(&ok).unwrap();
        assert_eq!(o.name, "李明");
        assert_eq!(o.valid_until, d(2024, 2, 29));
        let bad = OfficerInput {
            name: String::new(),
            certificate_no: "证 1".into(),
            valid_from: "2021-02-30".into(),
            valid_until: "2020-01-01".into(),
            training_hours: "-1".into(),
            ..ok.clone()
        };
        let codes: Vec<&str> = NewOfficer::parse(&bad).unwrap_err().iter().map(|e| e.code).collect();
        assert_eq!(codes, ["required", "certificate_format", "date_format", "hours_range"]);
        let order = OfficerInput { valid_until: "2018-12-31".into(), ..ok };
        assert_eq!(NewOfficer::parse(&order).unwrap_err()[0].code, "validity_order");
    }
}
