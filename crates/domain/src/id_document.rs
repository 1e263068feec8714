//! Identity documents other than the 居民身份证: a foreigner or a resident of Hong Kong, Macao or
//! Taiwan applies with the document they hold (政府信息公开条例第二十九条: 身份证明; 行政许可法第
//! 二十九条). Each kind's number is checked by its format; where no official format is certain the
//! check is of length and characters only, and says so.
//!
//! A document number is personal information as an ID number is (个人信息保护法第二十八条;
//! GB/T 35273-2020 附录B 身份证件号码): [`DocumentNumber`] has no `Display`, its `Debug` prints the
//! mask, and the mask shows the kind and one character only, with a fixed number of asterisks,
//! so neither the length nor any other shown field gives the number back.

use std::fmt;

use chrono::NaiveDate;

use crate::idcard::{parse_id, RegionHistory};
use crate::problem::FieldError;

/// The kinds of identity document a person may apply with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// 居民身份证 (居民身份证法; the number by GB 11643-1999, `crate::idcard`).
    ResidentId,
    /// 港澳台居民居住证 (港澳台居民居住证申领发放办法, 国办发〔2018〕81号): an 18-character
    /// 公民身份号码 by GB 11643-1999 whose 地址码 is 810000 (香港), 820000 (澳门) or 830000
    /// (台湾).
    ResidencePermit,
    /// 港澳居民来往内地通行证.
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanPermit,
    /// 外国人永久居留身份证.
    ForeignPermanentResident,
    /// 护照 (a foreigner's, or a Chinese citizen's without a 居民身份证).
    Passport,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::ResidentId,
        DocumentKind::ResidencePermit,
        DocumentKind::HkMacaoPermit,
        DocumentKind::TaiwanPermit,
        DocumentKind::ForeignPermanentResident,
        DocumentKind::Passport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ResidentId => "resident_id",
            DocumentKind::ResidencePermit => "residence_permit",
            DocumentKind::HkMacaoPermit => "hk_macao_permit",
            DocumentKind::TaiwanPermit => "taiwan_permit",
            DocumentKind::ForeignPermanentResident => "foreign_permanent_resident",
            DocumentKind::Passport => "passport",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DocumentKind::ResidentId => "居民身份证",
            DocumentKind::ResidencePermit => "港澳台居民居住证",
            DocumentKind::HkMacaoPermit => "港澳居民来往内地通行证",
            DocumentKind::TaiwanPermit => "台湾居民来往大陆通行证",
            DocumentKind::ForeignPermanentResident => "外国人永久居留身份证",
            DocumentKind::Passport => "护照",
        }
    }

    /// The kind as a form or the API sends it: absent or empty is a 居民身份证; anything else
    /// unknown is `unknown_document_kind` on `field`.
    pub fn parse(input: Option<&str>, field: &str) -> Result<DocumentKind, FieldError> {
        let value = input.map(str::trim).unwrap_or("");
        if value.is_empty() {
            return Ok(DocumentKind::ResidentId);
        }
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == value).ok_or_else(|| {
            FieldError::new(field, "unknown_document_kind", format!("证件类型“{value}”不存在，请从列表中选择"))
        })
    }
}

/// A document number that passed [`parse_document`], in capitals, spaces removed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DocumentNumber {
    kind: DocumentKind,
    number: String,
}

impl DocumentNumber {
    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// What the keyed look-up hash is taken of: the kind and the number, so one number on two
    /// kinds of document is two documents.
    pub fn lookup_text(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.number)
    }

    /// The mask: the kind's name, the first character and 8 asterisks whatever the length
    /// (`护照 E********`).
    pub fn masked(&self) -> String {
        let first: String = self.number.chars().take(1).collect();
        format!("{} {first}{}", self.kind.name_zh(), "*".repeat(8))
    }
}

impl fmt::Debug for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentNumber({})", self.masked())
    }
}

/// Checks the number of a document other than the 居民身份证 by its kind's format (spaces
/// removed, lower case read as upper case); a refusal is `document_number` on `field`, its
/// message naming the format expected and never the number:
///
/// - 港澳台居民居住证: the GB 11643-1999 checks of `crate::idcard::parse_id` (length, characters,
///   check character, birth date) and the 地址码 810000, 820000 or 830000 (港澳台居民居住证申领
///   发放办法第五条: the 公民身份号码 of the permit).
/// - 港澳居民来往内地通行证: `H` (香港) or `M` (澳门) and 8 digits, or 10 digits with the 2-digit
///   换证次数 the card prints after them. [unconfirmed: the format of the 2013 card as published
///   by 出入境管理 and used by the public validators; no standard was found, so the check is of
///   the letter, the length and the digits only.]
/// - 台湾居民来往大陆通行证: 8 digits (the card of 2015, the number kept for life), or the 10
///   letters and digits of the earlier booklet. [unconfirmed: length and characters only.]
/// - 外国人永久居留身份证: 3 letters (the holder's nationality, ISO 3166-1 alpha-3) and 12 digits
///   (the card of 2017), or 18 characters beginning with 9, the last a digit or X (the card of
///   2023, 国家移民管理局公告). [unconfirmed: the check character of the 2023 number is not
///   verified, its algorithm not having been confirmed; length and characters only.]
/// - 护照: 5 to 17 letters and digits (ICAO Doc 9303 Part 4: the MRZ's document number field,
///   9 characters, continued in the optional data for longer numbers). [unconfirmed: the bounds
///   are a judgement over the passports of many states; no single format exists.]
///
/// A 居民身份证 is not parsed here: `crate::idcard::parse_id` is its parser.
pub fn parse_document(
    kind: DocumentKind,
    input: &str,
    field: &str,
    today: NaiveDate,
    regions: &RegionHistory,
) -> Result<DocumentNumber, FieldError> {
    let number: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    // Every format is ASCII: the slices below are on character boundaries.
    let ascii = number.is_ascii();
    let (ok, expected) = match kind {
        DocumentKind::ResidentId => (false, "居民身份证号码请按居民身份证填写"),
        DocumentKind::ResidencePermit => {
            let region_ok = ["810000", "820000", "830000"].iter().any(|r| number.starts_with(r));
            let ok = region_ok && parse_id(&number, today, regions).is_ok();
            (ok, "港澳台居民居住证号码应为18位，以810000（香港）、820000（澳门）或830000（台湾）开头，校验码正确")
        }
        DocumentKind::HkMacaoPermit => {
            let ok = ascii
                && number.len() >= 9
                && matches!(number.as_bytes()[0], b'H' | b'M')
                && digits(&number[1..])
                && matches!(number.len(), 9 | 11);
            (ok, "港澳居民来往内地通行证号码应为H（香港）或M（澳门）加8位数字（可含2位换证次数）")
        }
        DocumentKind::TaiwanPermit => {
            let ok = (number.len() == 8 && digits(&number)) || (number.len() == 10 && alnum(&number));
            (ok, "台湾居民来往大陆通行证号码应为8位数字（旧版为10位字母或数字）")
        }
        DocumentKind::ForeignPermanentResident => {
            let old = ascii
                && number.len() == 15
                && number.as_bytes()[..3].iter().all(u8::is_ascii_uppercase)
                && digits(&number[3..]);
            let new = ascii
                && number.len() == 18
                && number.starts_with('9')
                && digits(&number[..17])
                && matches!(number.as_bytes()[17], b'0'..=b'9' | b'X');
            (old || new, "外国人永久居留身份证号码应为3位字母加12位数字，或以9开头的18位号码")
        }
        DocumentKind::Passport => ((5..=17).contains(&number.len()) && alnum(&number), "护照号码应为5至17位字母或数字"),
    };
    if ok {
        Ok(DocumentNumber { kind, number })
    } else {
        Err(FieldError::new(field, "document_number", format!("{}号码格式不正确：{expected}", kind.name_zh())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn parse(kind: DocumentKind, number: &str) -> Result<DocumentNumber, FieldError> {
        parse_document(kind, number, "applicant.id_number", today(), RegionHistory::builtin())
    }

    /// A GB 11643 number with `region` and the right check character.
    fn gb11643(region: &str, birth: &str, order: &str) -> String {
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let body = format!("{region}{birth}{order}");
        let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
    }

    #[test]
    fn kinds_parse_with_the_resident_id_by_default() {
        assert_eq!(DocumentKind::parse(None, "k").unwrap(), DocumentKind::ResidentId);
        assert_eq!(DocumentKind::parse(Some(""), "k").unwrap(), DocumentKind::ResidentId);
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(Some(kind.as_str()), "k").unwrap(), kind);
        }
        let err = DocumentKind::parse(Some("driving_licence"), "applicant.id_kind").unwrap_err();
        assert_eq!((err.field.as_str(), err.code), ("applicant.id_kind", "unknown_document_kind"));
    }

    #[test]
    fn a_residence_permit_is_a_gb11643_number_of_hong_kong_macao_or_taiwan() {
        for region in ["810000", "820000", "830000"] {
            let number = gb11643(region, "19900101", "123");
            assert_eq!(parse(DocumentKind::ResidencePermit, &number).unwrap().as_str(), number);
        }
        // A mainland address code is a 居民身份证, not a permit.
        let mainland = gb11643("511702", "19900101", "123");
        assert_eq!(parse(DocumentKind::ResidencePermit, &mainland).unwrap_err().code, "document_number");
        // A wrong check character, and a birth date after today.
        let mut wrong = gb11643("810000", "19900101", "123");
        let last = if wrong.ends_with('1') { '2' } else { '1' };
        wrong.pop();
        wrong.push(last);
        assert!(parse(DocumentKind::ResidencePermit, &wrong).is_err());
        assert!(parse(DocumentKind::ResidencePermit, &gb11643("810000", "20270101", "123")).is_err());
    }

    #[test]
    fn permits_are_checked_by_letter_length_and_digits() {
        assert!(parse(DocumentKind::HkMacaoPermit, "H12345678").is_ok());
        assert!(parse(DocumentKind::HkMacaoPermit, "m1234567801").is_ok());
        assert_eq!(parse(DocumentKind::HkMacaoPermit, "m 1234 5678").unwrap().as_str(), "M12345678");
        for bad in ["A12345678", "H1234567", "H123456789", "H1234567A", "H", ""] {
            assert!(parse(DocumentKind::HkMacaoPermit, bad).is_err(), "{bad}");
        }
        assert!(parse(DocumentKind::TaiwanPermit, "12345678").is_ok());
        assert!(parse(DocumentKind::TaiwanPermit, "A123456789").is_ok());
        for bad in ["1234567", "123456789", "A1234567", "12345678901"] {
            assert!(parse(DocumentKind::TaiwanPermit, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_foreigners_permanent_residence_card_of_either_edition() {
        assert!(parse(DocumentKind::ForeignPermanentResident, "USA110090101234").is_ok());
        assert!(parse(DocumentKind::ForeignPermanentResident, "933456199001011234").is_ok());
        assert!(parse(DocumentKind::ForeignPermanentResident, "93345619900101123x").is_ok());
        for bad in ["US1110090101234", "USA11009010123", "833456199001011234", "9334561990010112Y4"] {
            assert!(parse(DocumentKind::ForeignPermanentResident, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_passport_is_five_to_seventeen_letters_and_digits() {
        assert!(parse(DocumentKind::Passport, "E12345678").is_ok());
        assert!(parse(DocumentKind::Passport, "ab123").is_ok());
        assert!(parse(DocumentKind::Passport, "A1234567890123456").is_ok());
        for bad in ["E123", "A12345678901234567", "E1234-5678", "Ｅ12345678"] {
            assert!(parse(DocumentKind::Passport, bad).is_err(), "{bad}");
        }
        // The 居民身份证 has its own parser.
        assert!(parse(DocumentKind::ResidentId, &gb11643("511702", "19900101", "123")).is_err());
    }

    #[test]
    fn the_mask_shows_the_kind_and_one_character_whatever_the_length() {
        let short = parse(DocumentKind::Passport, "E1234").unwrap();
        let long = parse(DocumentKind::Passport, "E12345678901").unwrap();
        assert_eq!(short.masked(), "护照 E********");
        assert_eq!(short.masked(), long.masked(), "the length is not shown");
        assert_eq!(format!("{long:?}"), "DocumentNumber(护照 E********)");
        assert!(!format!("{long:?}").contains("12345"));
        // One number on two kinds of document: two look-ups.
        let permit = parse(DocumentKind::TaiwanPermit, "12345678").unwrap();
        let passport = parse(DocumentKind::Passport, "12345678").unwrap();
        assert_ne!(permit.lookup_text(), passport.lookup_text());
    }
}
