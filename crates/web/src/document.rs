//! An official document (公文) as the system issues it: the issuing authority, the document
//! number (文号), the addressee, the body, the 落款 with the date in Chinese numerals, a seal area
//! and a verification code. Its canonical content has an SM3 digest: the QR code carries it and
//! the public verification page recomputes it from the record, so a paper whose content was
//! altered does not verify against a real case.

use chrono::{Datelike, NaiveDate};
use domain::division::{DivisionCode, Divisions, Level};
use sm3::{Digest, Sm3};

/// How many hex digits of the digest a page shows (the QR code carries all 64).
pub const SHORT_DIGEST: usize = 16;

/// One issued document, everything it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The kind's path segment (`acceptance`, `decision`, …): part of the verification address.
    pub kind: &'static str,
    /// 受理通知书, 准予决定书, …
    pub title: String,
    /// The 文号, see [`document_number`].
    pub number: String,
    /// The case (办件) number the document belongs to.
    pub case_number: String,
    /// The issuing office, e.g. 达州市通川区民政局.
    pub authority: String,
    /// Whom it is addressed to (the applicant's name).
    pub addressee: String,
    /// The paragraphs of the body, in order.
    pub body: Vec<String>,
    /// The particulars as (label, value) rows.
    pub rows: Vec<(String, String)>,
    /// Titled numbered lists (the materials to supplement, the calculation).
    pub lists: Vec<(String, Vec<String>)>,
    /// The remedies paragraph of an adverse decision, else empty.
    pub remedies: String,
    /// The date of the 落款 (Asia/Shanghai).
    pub date: NaiveDate,
}

impl Document {
    /// The canonical content: a JSON array of every field in a fixed order (no whitespace, keys
    /// never reordered since there are none), the bytes the digest is taken of.
    pub fn canonical(&self) -> String {
        serde_json::json!([
            self.kind,
            self.title,
            self.number,
            self.case_number,
            self.authority,
            self.addressee,
            self.body,
            self.rows,
            self.lists,
            self.remedies,
            self.date.to_string(),
        ])
        .to_string()
    }

    /// SM3 (GB/T 32905-2016) of the canonical content, 64 lowercase hex digits.
    pub fn digest(&self) -> String {
        hex::encode(Sm3::digest(self.canonical().as_bytes()))
    }

    /// The digest as printed: its first [`SHORT_DIGEST`] hex digits, in groups of four.
    pub fn short_digest(&self) -> String {
        short(&self.digest())
    }

    /// The 落款 date in Chinese numerals.
    pub fn date_cn(&self) -> String {
        date_cn(self.date)
    }
}

/// The first [`SHORT_DIGEST`] hex digits of a digest, in groups of four (`1a2b 3c4d …`).
pub fn short(digest: &str) -> String {
    let head: Vec<char> = digest.chars().take(SHORT_DIGEST).collect();
    head.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// A date as a 公文 落款 writes it (《党政机关公文格式》GB/T 9704-2012 7.3.5.1: 年份应标全称，
/// 月、日不编虚位; 用汉字): 二〇二一年十月九日.
pub fn date_cn(date: NaiveDate) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String =
        date.year().to_string().chars().filter_map(|c| c.to_digit(10)).map(|d| DIGITS[d as usize]).collect();
    format!("{year}年{}月{}日", small_number(date.month()), small_number(date.day()))
}

/// 1..=31 in Chinese numerals: 九, 十, 十一, 二十, 二十一, 三十一.
fn small_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, units) = ((n / 10) as usize, (n % 10) as usize);
    let unit = if units == 0 { "" } else { DIGITS[units] };
    match tens {
        0 => DIGITS[units].to_string(),
        1 => format!("十{unit}"),
        t => format!("{}十{unit}", DIGITS[t % 10]),
    }
}

/// The issuing office of a division: a county's or a prefecture's 民政局 (named with its
/// prefecture, e.g. 达州市通川区民政局), a province's 民政厅, a 街道's 办事处 and a 乡/镇's
/// 人民政府 (named with its county). An unknown code is named by itself.
pub fn authority_name(divisions: &Divisions, code: &DivisionCode) -> String {
    let Some(me) = divisions.get(code) else { return code.to_string() };
    // The chain below the province, skipping the GB/T 2260 grouping rows (市辖区, 县).
    let chain: Vec<&str> = divisions
        .ancestors(code)
        .into_iter()
        .chain(std::iter::once(me))
        .filter(|d| d.level != Level::Province && !d.is_grouping())
        .map(|d| d.name.as_str())
        .collect();
    match me.level {
        Level::Province => format!("{}民政厅", me.name),
        Level::Prefecture | Level::County => format!("{}民政局", chain.concat()),
        Level::Township if me.name.ends_with("街道") => format!("{}办事处", chain.concat()),
        Level::Township => format!("{}人民政府", chain.concat()),
    }
}

/// The short form of an office in a 文号: a county's first character (通川区 → 通), a
/// prefecture's first character and 市 (达州市 → 达市, so that it differs from 达川区's 达), a
/// township's first two characters, a province's first character and 省.
fn authority_abbreviation(divisions: &Divisions, code: &DivisionCode) -> String {
    let Some(me) = divisions.get(code) else { return String::new() };
    let head = |n: usize| me.name.chars().take(n).collect::<String>();
    match me.level {
        Level::Province => format!("{}省", head(1)),
        Level::Prefecture => format!("{}市", head(1)),
        Level::County => head(1),
        Level::Township => head(2),
    }
}

/// The 文号 of a document, derived from its case's number so that the same case always gets the
/// same number and two cases never share one: `{office}民{kind}〔{year}〕第{n}号`, where the
/// year and `n` are the case number's (`<division>-<year>-<sequence>`, sequence without its
/// leading zeros). When the case was numbered by another division than the issuing office (a
/// township accepted what the county decides), `n` is prefixed by that division's code with
/// the office's own code stripped (`001-5`), since each division numbers its cases on its own.
/// A number of another shape is used whole as `n`.
///
/// Example: the acceptance notice of case 511702-2021-000005 issued by 通川区 is
/// 通民受〔2021〕第5号.
pub fn document_number(divisions: &Divisions, office: &DivisionCode, kind_mark: &str, case_number: &str) -> String {
    let abbreviation = authority_abbreviation(divisions, office);
    let mut parts = case_number.splitn(3, '-');
    let (division, year, seq) = (parts.next(), parts.next(), parts.next());
    let (year, n) = match (division, year, seq) {
        (Some(division), Some(year), Some(seq))
            if year.len() == 4
                && year.bytes().all(|b| b.is_ascii_digit())
                && !seq.is_empty()
                && seq.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let seq = seq.trim_start_matches('0');
            let seq = if seq.is_empty() { "0" } else { seq };
            let n = if division == office.as_str() {
                seq.to_string()
            } else {
                let own = division.strip_prefix(office.as_str()).filter(|s| !s.is_empty()).unwrap_or(division);
                format!("{own}-{seq}")
            };
            (year.to_string(), n)
        }
        _ => (String::new(), case_number.to_string()),
    };
    format!("{abbreviation}民{kind_mark}〔{year}〕第{n}号")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).expect("code")
    }

    #[test]
    fn dates_in_chinese_numerals() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(date_cn(d(2021, 10, 9)), "二〇二一年十月九日");
        assert_eq!(date_cn(d(2020, 1, 10)), "二〇二〇年一月十日");
        assert_eq!(date_cn(d(2021, 12, 31)), "二〇二一年十二月三十一日");
        assert_eq!(date_cn(d(2022, 2, 20)), "二〇二二年二月二十日");
        assert_eq!(date_cn(d(2019, 11, 21)), "二〇一九年十一月二十一日");
    }

    #[test]
    fn authorities_are_named_from_the_divisions() {
        let divisions = Divisions::builtin();
        assert_eq!(authority_name(divisions, &code("511702")), "达州市通川区民政局");
        assert_eq!(authority_name(divisions, &code("511700")), "达州市民政局");
        assert_eq!(authority_name(divisions, &code("510000")), "四川省民政厅");
        let township = divisions.children(&code("511702")).into_iter().next().expect("a township").clone();
        let named = authority_name(divisions, &township.code);
        assert!(named.starts_with(&format!("达州市通川区{}", township.name)), "{named}");
        assert!(named.ends_with("办事处") || named.ends_with("人民政府"), "{named}");
    }

    #[test]
    fn document_numbers_follow_the_case_number() {
        let divisions = Divisions::builtin();
        assert_eq!(document_number(divisions, &code("511702"), "受", "511702-2021-000005"), "通民受〔2021〕第5号");
        assert_eq!(document_number(divisions, &code("511700"), "决", "511700-2022-000120"), "达市民决〔2022〕第120号");
        // A township numbered the case; the county decides it: the township's own digits stay.
        assert_eq!(
            document_number(divisions, &code("511702"), "决", "511702001-2021-000007"),
            "通民决〔2021〕第001-7号"
        );
        // Two townships' cases of the same sequence get different numbers.
        assert_ne!(
            document_number(divisions, &code("511702"), "决", "511702001-2021-000007"),
            document_number(divisions, &code("511702"), "决", "511702002-2021-000007")
        );
    }

    #[test]
    fn the_digest_covers_every_field() {
        let doc = Document {
            kind: "decision",
            title: "准予决定书".into(),
            number: "通民决〔2021〕第5号".into(),
            case_number: "511702-2021-000005".into(),
            authority: "达州市通川区民政局".into(),
            addressee: "王小明".into(),
            body: vec!["本机关决定准予。".into()],
            rows: vec![("金额".into(), "500.00 元".into())],
            lists: vec![],
            remedies: String::new(),
            date: NaiveDate::from_ymd_opt(2021, 10, 9).expect("date"),
        };
        let digest = doc.digest();
        assert_eq!(digest.len(), 64);
        assert_eq!(doc.short_digest().replace(' ', ""), digest[..SHORT_DIGEST]);
        let mut altered = doc.clone();
        altered.rows[0].1 = "900.00 元".into();
        assert_ne!(altered.digest(), digest, "another amount, another digest");
        let mut altered = doc.clone();
        altered.addressee = "王小红".into();
        assert_ne!(altered.digest(), digest);
        let mut altered = doc;
        altered.date = NaiveDate::from_ymd_opt(2021, 10, 10).expect("date");
        assert_ne!(altered.digest(), digest);
    }
}
