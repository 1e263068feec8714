//! Organizations as parties to a matter (a social organization applying for registration, an
//! elderly-care institution filing, a company answering an enforcement case), identified by the
//! 统一社会信用代码 of GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》, checked as the ID
//! number of a person is (`idcard.rs`).
//!
//! The code has 18 characters (GB 32100-2015 §4):
//!
//! | position | part | characters |
//! |---|---|---|
//! | 1 | 登记管理部门码 | one of the table in [`AUTHORITIES`] |
//! | 2 | 机构类别码 | one of that authority's categories |
//! | 3–8 | 登记管理机关行政区划码 | 6 digits, GB/T 2260 |
//! | 9–17 | 主体标识码（组织机构代码） | 8 characters and their GB 11714-1997 check character |
//! | 18 | 校验码 | GB 32100-2015 §5, weights 3^i mod 31 over the 31-character alphabet |
//!
//! The alphabet is the digits and the capital letters without I, O, Z, S, V (they look like 1, 0,
//! 2, 5, U), 31 characters in all, valued 0–30 in the order of [`ALPHABET`].

use crate::division::{DivisionCode, Divisions};
use crate::idcard::RegionHistory;
use crate::problem::{text_field, FieldError};

/// GB 32100-2015 §5 (代码字符集): the 31 characters and, by their position, their values.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015 §5 (校验码计算): the weight of each of the first 17 characters, `3^(i) mod 31`.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// GB 11714-1997 §5 (组织机构代码校验码): the weights of the 8 characters of the body.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The region code of a registration by a central authority (民政部 registering a national social
/// organization, `51100000…`): not a GB/T 2260 division, accepted as such [unconfirmed: usage of
/// the published codes, not a clause of the standard].
pub const CENTRAL_REGION: &str = "100000";

/// A registration authority (登记管理部门) with its 机构类别 (GB 32100-2015 表 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    pub code: char,
    pub name: &'static str,
    /// `(机构类别码, 名称)`.
    pub categories: &'static [(char, &'static str)],
}

/// GB 32100-2015 表 1 (登记管理部门代码及机构类别代码). `A` (中央军委改革和编制办公室) and `N` (农业,
/// 农村集体经济组织) were added to the table after 2015 [unconfirmed: the amending notices were
/// not checked; kept because codes of that shape are issued].
pub const AUTHORITIES: &[Authority] = &[
    Authority {
        code: '1',
        name: "机构编制",
        categories: &[('1', "机关"), ('2', "事业单位"), ('3', "中央编办直接管理机构编制的群众团体"), ('9', "其他")],
    },
    Authority { code: '2', name: "外交", categories: &[('1', "外国常驻新闻机构"), ('9', "其他")] },
    Authority {
        code: '3',
        name: "司法行政",
        categories: &[
            ('1', "律师执业机构"),
            ('2', "公证处"),
            ('3', "基层法律服务所"),
            ('4', "司法鉴定机构"),
            ('5', "仲裁委员会"),
            ('9', "其他"),
        ],
    },
    Authority { code: '4', name: "文化", categories: &[('1', "外国在华文化中心"), ('9', "其他")] },
    Authority {
        code: '5',
        name: "民政",
        categories: &[('1', "社会团体"), ('2', "民办非企业单位"), ('3', "基金会"), ('9', "其他")],
    },
    Authority {
        code: '6',
        name: "旅游",
        categories: &[
            ('1', "外国旅游部门常驻代表机构"),
            ('2', "港澳台地区旅游部门常驻内地（大陆）代表机构"),
            ('9', "其他"),
        ],
    },
    Authority {
        code: '7', name: "宗教", categories: &[('1', "宗教活动场所"), ('2', "宗教院校"), ('9', "其他")]
    },
    Authority { code: '8', name: "工会", categories: &[('1', "基层工会"), ('9', "其他")] },
    Authority {
        code: '9', name: "工商", categories: &[('1', "企业"), ('2', "个体工商户"), ('3', "农民专业合作社")]
    },
    Authority {
        code: 'A', name: "中央军委改革和编制办公室", categories: &[('1', "军队事业单位"), ('9', "其他")]
    },
    Authority {
        code: 'N',
        name: "农业",
        categories: &[('1', "组级集体经济组织"), ('2', "村级集体经济组织"), ('3', "乡镇级集体经济组织"), ('9', "其他")],
    },
    Authority { code: 'Y', name: "其他", categories: &[('1', "其他")] },
];

fn value_of(c: char) -> Option<u32> {
    ALPHABET.chars().position(|a| a == c).map(|p| p as u32)
}

/// GB 32100-2015 §5: the check character of the first 17 characters: `31 − (Σ value × weight
/// mod 31)`, 31 read as 0. `None` unless all 17 are in [`ALPHABET`].
pub fn check_character(first17: &str) -> Option<char> {
    let chars: Vec<char> = first17.chars().collect();
    if chars.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in chars.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize)
}

/// GB 11714-1997 §5: the check character of an 组织机构代码's 8-character body: `11 − (Σ value ×
/// weight mod 11)`, 10 written `X` and 11 written `0`; a digit is worth itself and a letter
/// A–Z 10–35. `None` unless the body is 8 digits or capital letters.
pub fn org_check_character(body: &str) -> Option<char> {
    let chars: Vec<char> = body.chars().collect();
    if chars.len() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in chars.iter().zip(ORG_WEIGHTS) {
        let v = match c {
            '0'..='9' => *c as u32 - '0' as u32,
            'A'..='Z' => *c as u32 - 'A' as u32 + 10,
            _ => return None,
        };
        sum += v * w;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        n => char::from_digit(n, 10),
    }
}

/// A 统一社会信用代码 that passed [`parse_uscc`], in capitals. It identifies an organization, not
/// a person: it is public (published on the licence and in the registers) and is not masked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uscc(String);

impl Uscc {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a valid code says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsccInfo {
    pub code: Uscc,
    /// 登记管理部门 (民政, 工商…).
    pub authority: &'static str,
    /// 机构类别 (社会团体, 企业…).
    pub category: &'static str,
    /// 登记管理机关行政区划码: 6 digits.
    pub region_code: String,
    /// The region's latest name (`全国` for [`CENTRAL_REGION`]); `None` for a code GB/T 2260 does
    /// not know (a registration authority of a special zone: `91460600MA5RC30P9Y`, published,
    /// carries 460600, which is no division).
    pub region_name: Option<String>,
    /// 主体标识码 (the 9-character 组织机构代码).
    pub subject: String,
}

impl UsccInfo {
    /// True for an organization registered by 民政 (社会团体, 民办非企业单位, 基金会…).
    pub fn is_civil_affairs(&self) -> bool {
        self.code.as_str().starts_with('5')
    }
}

/// Parses and checks a 统一社会信用代码 (GB 32100-2015) and returns every problem at once, each
/// on `field` with a stable code:
///
/// - `uscc_length`: not 18 characters after trimming (nothing else is checked);
/// - `uscc_chars`: a character outside [`ALPHABET`] (lower case is read as upper case; nothing
///   else is checked);
/// - `uscc_authority`: position 1 is not a 登记管理部门码 of [`AUTHORITIES`];
/// - `uscc_category`: position 2 is not a 机构类别码 of that authority;
/// - `uscc_region`: positions 3–8 are not 6 digits. A code GB/T 2260 does not know is not
///   refused (registration authorities of special zones have their own codes, and a code keeps
///   the region of its first issue for life): the region is then unnamed;
/// - `uscc_subject_check`: position 17 is not the GB 11714-1997 check character of positions 9–16;
/// - `uscc_checksum`: position 18 is not the GB 32100-2015 check character of positions 1–17.
pub fn parse_uscc(input: &str, field: &str, regions: &RegionHistory) -> Result<UsccInfo, Vec<FieldError>> {
    let trimmed = input.trim();
    let found = trimmed.chars().count();
    if found != 18 {
        let message = format!("统一社会信用代码应为18位，实际为{found}位");
        return Err(vec![FieldError::new(field, "uscc_length", message)]);
    }
    let code = trimmed.to_ascii_uppercase();
    if let Some(bad) = code.chars().find(|c| value_of(*c).is_none()) {
        let message = format!("统一社会信用代码含有不允许的字符“{bad}”（只能是数字和除 I、O、Z、S、V 以外的大写字母）");
        return Err(vec![FieldError::new(field, "uscc_chars", message)]);
    }
    // All 18 characters are ASCII from here on.
    let mut problems = Vec::new();
    let first = code.as_bytes()[0] as char;
    let second = code.as_bytes()[1] as char;
    let authority = AUTHORITIES.iter().find(|a| a.code == first);
    let category = match authority {
        None => {
            let message = format!("第1位登记管理部门码“{first}”不在国家标准 GB 32100-2015 的代码表内");
            problems.push(FieldError::new(field, "uscc_authority", message));
            None
        }
        Some(a) => match a.categories.iter().find(|(c, _)| *c == second) {
            Some((_, name)) => Some(*name),
            None => {
                let message = format!("第2位机构类别码“{second}”不是{}登记的机构类别", a.name);
                problems.push(FieldError::new(field, "uscc_category", message));
                None
            }
        },
    };
    let region_code = code[2..8].to_string();
    let region_digits = region_code.bytes().all(|b| b.is_ascii_digit());
    if !region_digits {
        let message = format!("第3至8位登记管理机关行政区划码“{region_code}”应为6位数字");
        problems.push(FieldError::new(field, "uscc_region", message));
    }
    let region_name = if region_code == CENTRAL_REGION {
        Some("全国".to_string())
    } else {
        regions.name_in(&region_code, i32::MAX).map(str::to_string)
    };
    let subject = code[8..17].to_string();
    if org_check_character(&subject[..8]) != subject.chars().nth(8) {
        let message = "第9至17位主体标识码（组织机构代码）的校验码不正确".to_string();
        problems.push(FieldError::new(field, "uscc_subject_check", message));
    }
    if check_character(&code[..17]) != code.chars().nth(17) {
        problems.push(FieldError::new(field, "uscc_checksum", "统一社会信用代码的校验码（第18位）不正确"));
    }
    match (authority, category) {
        (Some(a), Some(category)) if problems.is_empty() => {
            Ok(UsccInfo { code: Uscc(code), authority: a.name, category, region_code, region_name, subject })
        }
        _ => Err(problems),
    }
}

/// The raw input for an organization as a party, as it arrives from a form or the API.
#[derive(Debug, Clone, Default)]
pub struct OrganizationInput {
    pub name: String,
    pub credit_code: String,
    /// The 法定代表人 or 负责人, as written.
    pub representative: Option<String>,
    /// The division the record belongs to (住所地); jurisdiction follows it.
    pub division: String,
}

/// An organization record built only from parsed parts.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub credit_code: UsccInfo,
    pub representative: String,
    pub division: DivisionCode,
}

impl NewOrganization {
    /// Parses every field and returns every problem at once (the code's problems on
    /// `credit_code`).
    pub fn parse(
        input: &OrganizationInput,
        regions: &RegionHistory,
        divisions: &Divisions,
    ) -> Result<NewOrganization, Vec<FieldError>> {
        let mut problems = Vec::new();
        let name = text_field("name", &input.name, 100, true).map_err(|e| problems.push(e)).ok();
        let credit_code =
            parse_uscc(&input.credit_code, "credit_code", regions).map_err(|mut e| problems.append(&mut e)).ok();
        let representative = text_field("representative", input.representative.as_deref().unwrap_or(""), 50, false)
            .map_err(|e| problems.push(e))
            .ok();
        let division = match DivisionCode::parse(input.division.trim()) {
            Ok(code) if divisions.get(&code).is_some() => Some(code),
            _ => {
                let message = format!("行政区划代码“{}”不存在", input.division.trim());
                problems.push(FieldError::new("division", "unknown_division", message));
                None
            }
        };
        match (name, credit_code, representative, division) {
            (Some(name), Some(credit_code), Some(representative), Some(division)) if problems.is_empty() => {
                Ok(NewOrganization { name, credit_code, representative, division })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(code: &str) -> Result<UsccInfo, Vec<FieldError>> {
        parse_uscc(code, "credit_code", RegionHistory::builtin())
    }

    fn codes(code: &str) -> Vec<&'static str> {
        parse(code).unwrap_err().into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn the_weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
        assert_eq!(ALPHABET.len(), 31);
        for banned in ['I', 'O', 'Z', 'S', 'V'] {
            assert!(!ALPHABET.contains(banned));
        }
    }

    /// Published codes: `91350100M000100Y43` is the sample of many public validators (e.g. the
    /// tests of Hutool's `CreditCodeUtil`); the 9… and 1… codes are listed as valid test data in the
    /// public repository `02020/vite` (`learn/utils/validateSocialCreditCode.js`); the 5… codes
    /// (民政: 社会团体, 民办非企业单位, one national) and `91460600MA5RC30P9Y` (a special zone's
    /// registration authority) come from a public list of codes (class `Regex_CreditCode`, 2016).
    /// Each is checked here by both check characters.
    #[test]
    fn published_codes_are_valid() {
        for code in [
            "91350100M000100Y43",
            "91350200776049653A",
            "91350500798359476R",
            "91440101MA5CJQ4N59",
            "913502000728319549",
            "123502001549897397",
            "9135021359498494XQ",
            "91350213678251743X",
            "51610700305332460K",
            "51100000500019541K",
            "52610500MJU60350X1",
            "51140200MJ1693047P",
            "52440111MJK9980480",
            "52120000MJ0529018E",
            "92510100MA61WJ3204",
            "91460600MA5RC30P9Y",
        ] {
            let info = parse(code).unwrap_or_else(|e| panic!("{code}: {e:?}"));
            assert_eq!(info.code.as_str(), code);
        }
        let info = parse("123502001549897397").unwrap();
        assert_eq!((info.authority, info.category), ("机构编制", "事业单位"));
        assert_eq!(info.region_code, "350200");
        assert_eq!(info.subject, "154989739");
        let info = parse("91440101MA5CJQ4N59").unwrap();
        assert_eq!((info.authority, info.category, info.region_name.as_deref()), ("工商", "企业", Some("市辖区")));
        let info = parse("51610700305332460K").unwrap();
        assert_eq!((info.category, info.region_name.as_deref()), ("社会团体", Some("汉中市")));
        // A national social organization registered by 民政部.
        let info = parse("51100000500019541K").unwrap();
        assert_eq!(
            (info.category, info.region_code.as_str(), info.region_name.as_deref()),
            ("社会团体", "100000", Some("全国"))
        );
        assert_eq!(parse("52610500MJU60350X1").unwrap().category, "民办非企业单位");
        assert_eq!(parse("92510100MA61WJ3204").unwrap().category, "个体工商户");
        // A special zone's code: valid, its region unnamed.
        assert_eq!(parse("91460600MA5RC30P9Y").unwrap().region_name, None);
    }

    /// Published codes whose 18th character is not the GB 32100 check character: `91350203M0001QAY9B`
    /// (let through as a special case by `02020/vite`), `91350200M000000510` and `91350128M00000019A`
    /// (listed "to be debugged" in `Regex_CreditCode`). A wrong check character cannot be told
    /// from a typing error, so they are refused like an ID number with a wrong check digit.
    /// `123456789012345678` (in the same list) has the right 18th character but not the
    /// 主体标识码's.
    #[test]
    fn published_codes_with_a_wrong_check_character_are_refused() {
        assert_eq!(codes("91350203M0001QAY9B"), ["uscc_checksum"]);
        assert_eq!(codes("91350200M000000510"), ["uscc_checksum"]);
        assert_eq!(codes("91350128M00000019A"), ["uscc_checksum"]);
        assert_eq!(codes("123456789012345678"), ["uscc_subject_check"]);
    }

    /// Codes computed here for 民政 registrations in 达州市通川区 (511702): a 社会团体, a
    /// 民办非企业单位 whose 主体标识码 has letters, a 基金会 whose check character is `X`.
    #[test]
    fn computed_civil_affairs_codes_are_valid() {
        let info = parse("515117025041234500").unwrap();
        assert_eq!((info.authority, info.category, info.region_name.as_deref()), ("民政", "社会团体", Some("通川区")));
        assert!(info.is_civil_affairs());
        assert_eq!(parse("52511702MJ0001AB69").unwrap().category, "民办非企业单位");
        assert_eq!(parse("53511702500000015X").unwrap().category, "基金会");
        // Lower case and surrounding spaces are read as the code.
        assert_eq!(parse(" 52511702mj0001ab69 ").unwrap().code.as_str(), "52511702MJ0001AB69");
        // A national registration by 民政部.
        let body = format!("5110000050000001{}", org_check_character("50000001").unwrap());
        let code = format!("{body}{}", check_character(&body).unwrap());
        assert_eq!(code, "51100000500000015P");
        assert_eq!(parse(&code).unwrap().region_name.as_deref(), Some("全国"));
    }

    #[test]
    fn check_characters_follow_the_standards() {
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(check_character("9135010"), None);
        assert_eq!(check_character("91350100M000100I4"), None);
        // GB 11714: 10 is written X, 11 is written 0.
        assert_eq!(org_check_character("59498494"), Some('X'));
        assert_eq!(org_check_character("50412345"), Some('0'));
        assert_eq!(org_check_character("5041234"), None);
    }

    #[test]
    fn length_and_characters_are_refused_alone() {
        assert_eq!(codes("9135010"), ["uscc_length"]);
        assert_eq!(codes(""), ["uscc_length"]);
        assert_eq!(codes("91350100M000100Y4３"), ["uscc_chars"]);
        // I, O, Z, S, V are not in the alphabet.
        assert_eq!(codes("91350100M000100O43"), ["uscc_chars"]);
        assert_eq!(codes("9135010<M000100Y43"), ["uscc_chars"]);
        let p = parse("91350100M000100S43").unwrap_err();
        assert_eq!(p[0].field, "credit_code");
        assert!(p[0].message.contains('S'));
    }

    #[test]
    fn every_other_problem_is_reported_at_once() {
        // Authority B does not exist; the region is not digits; both check characters wrong.
        assert_eq!(
            codes("B199A999M000100Y51"),
            ["uscc_authority", "uscc_region", "uscc_subject_check", "uscc_checksum"]
        );
        // 工商 has no category 9; the check characters are recomputed so only the category fails.
        let body = "99350100M000100Y4";
        let code = format!("{body}{}", check_character(body).unwrap());
        assert_eq!(codes(&code), ["uscc_category"]);
        // A region that is no division, with both check characters right: valid, unnamed.
        let info = parse("91999999M000100Y42").unwrap();
        assert_eq!((info.region_code.as_str(), info.region_name), ("999999", None));
        // Only the 主体标识码 check wrong (the last character recomputed to match).
        let body = "91350100M000100Y5";
        let code = format!("{body}{}", check_character(body).unwrap());
        assert_eq!(codes(&code), ["uscc_subject_check"]);
    }

    #[test]
    fn a_new_organization_reports_every_problem() {
        let input = OrganizationInput {
            name: " ".into(),
            credit_code: "91350100M000100Y44".into(),
            representative: Some("a\u{0}".into()),
            division: "999999".into(),
        };
        let problems = NewOrganization::parse(&input, RegionHistory::builtin(), Divisions::builtin()).unwrap_err();
        let fields: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert_eq!(
            fields,
            [
                ("name", "required"),
                ("credit_code", "uscc_checksum"),
                ("representative", "control_chars"),
                ("division", "unknown_division")
            ]
        );
        let input = OrganizationInput {
            name: "达州市通川区老年协会".into(),
            credit_code: "515117025041234500".into(),
            representative: None,
            division: "511702001".into(),
        };
        let org = NewOrganization::parse(&input, RegionHistory::builtin(), Divisions::builtin()).unwrap();
        assert_eq!(org.credit_code.category, "社会团体");
        assert_eq!(org.division.as_str(), "511702001");
    }
}
