//! The rule data: standards and amounts per division and effective date
//! (`crates/domain/data/assistance_rules.toml`). domain.md §6: "the standard is set by the province
//! or the 设区的市" (社会救助暂行办法第十条); §4, §5: amounts are local. A decision records the
//! version it applied; a new version never changes a past decision.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::division::{DivisionCode, Divisions};

const BUILTIN_TOML: &str = include_str!("../../data/assistance_rules.toml");

/// 低保: the standard and the asset rules. Whole yuan in the file, fen here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimumLivingRules {
    pub urban_fen: i64,
    pub rural_fen: i64,
    pub income_months: u32,
    pub financial_asset_months: u32,
    pub vehicle_allowed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtremePovertyRules {
    pub basic_living_fen: i64,
    pub elderly_age: u32,
    pub minor_age: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabilityRules {
    pub living_fen: i64,
    pub care_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRules {
    pub orphan_institution_fen: i64,
    pub orphan_scattered_fen: i64,
    pub unsupported_child_fen: i64,
    pub adult_age: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemporaryRules {
    pub max_months: u32,
    pub small_amount_fen: i64,
}

/// One version of the rules for a division, from a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVersion {
    pub id: String,
    pub division: DivisionCode,
    pub effective_from: NaiveDate,
    pub document: String,
    pub minimum_living: MinimumLivingRules,
    pub extreme_poverty: ExtremePovertyRules,
    pub disability: DisabilityRules,
    pub child: ChildRules,
    pub temporary: TemporaryRules,
}

/// Every version on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    versions: Vec<RuleVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDto {
    version: Vec<VersionDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionDto {
    id: String,
    division: String,
    effective_from: String,
    document: String,
    minimum_living: MinimumLivingDto,
    extreme_poverty: ExtremePovertyDto,
    disability: DisabilityDto,
    child: ChildDto,
    temporary: TemporaryDto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MinimumLivingDto {
    urban: u32,
    rural: u32,
    income_months: u32,
    financial_asset_months: u32,
    vehicle_allowed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtremePovertyDto {
    basic_living: u32,
    elderly_age: u32,
    minor_age: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisabilityDto {
    living: u32,
    care: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChildDto {
    orphan_institution: u32,
    orphan_scattered: u32,
    unsupported_child: u32,
    adult_age: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemporaryDto {
    max_months: u32,
    small_amount: u32,
}

fn fen(yuan: u32) -> i64 {
    i64::from(yuan) * 100
}

impl RuleSet {
    /// Parses the rule file; every problem is a Chinese message (the file is the bureau's to edit).
    pub fn from_toml(text: &str) -> Result<RuleSet, String> {
        let dto: FileDto = toml::from_str(text).map_err(|e| format!("救助标准文件格式错误：{e}"))?;
        let mut versions = Vec::new();
        for v in dto.version {
            let division = DivisionCode::parse(&v.division)
                .map_err(|_| format!("救助标准版本“{}”的区划代码“{}”无效", v.id, v.division))?;
            let effective_from = NaiveDate::parse_from_str(&v.effective_from, "%Y-%m-%d")
                .map_err(|_| format!("救助标准版本“{}”的施行日期“{}”无效", v.id, v.effective_from))?;
            if v.minimum_living.income_months == 0 {
                return Err(format!("救助标准版本“{}”的收入计算月数不能为0", v.id));
            }
            if versions.iter().any(|o: &RuleVersion| o.id == v.id) {
                return Err(format!("救助标准版本号“{}”重复", v.id));
            }
            if versions.iter().any(|o: &RuleVersion| o.division == division && o.effective_from == effective_from) {
                return Err(format!("区划{}在{}有两个救助标准版本", v.division, v.effective_from));
            }
            versions.push(RuleVersion {
                id: v.id,
                division,
                effective_from,
                document: v.document,
                minimum_living: MinimumLivingRules {
                    urban_fen: fen(v.minimum_living.urban),
                    rural_fen: fen(v.minimum_living.rural),
                    income_months: v.minimum_living.income_months,
                    financial_asset_months: v.minimum_living.financial_asset_months,
                    vehicle_allowed: v.minimum_living.vehicle_allowed,
                },
                extreme_poverty: ExtremePovertyRules {
                    basic_living_fen: fen(v.extreme_poverty.basic_living),
                    elderly_age: v.extreme_poverty.elderly_age,
                    minor_age: v.extreme_poverty.minor_age,
                },
                disability: DisabilityRules { living_fen: fen(v.disability.living), care_fen: fen(v.disability.care) },
                child: ChildRules {
                    orphan_institution_fen: fen(v.child.orphan_institution),
                    orphan_scattered_fen: fen(v.child.orphan_scattered),
                    unsupported_child_fen: fen(v.child.unsupported_child),
                    adult_age: v.child.adult_age,
                },
                temporary: TemporaryRules {
                    max_months: v.temporary.max_months,
                    small_amount_fen: fen(v.temporary.small_amount),
                },
            });
        }
        Ok(RuleSet { versions })
    }

    /// The shipped rule file.
    pub fn builtin() -> &'static RuleSet {
        static SET: OnceLock<RuleSet> = OnceLock::new();
        SET.get_or_init(|| RuleSet::from_toml(BUILTIN_TOML).unwrap_or(RuleSet { versions: Vec::new() }))
    }

    pub fn versions(&self) -> &[RuleVersion] {
        &self.versions
    }

    pub fn get(&self, id: &str) -> Option<&RuleVersion> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// The version that governs `division` on `date`: among the versions of the most specific
    /// division containing it that has one in force, the newest with `effective_from <= date`.
    /// None when no rule covers the place on that date (refused, never guessed).
    pub fn in_force(&self, division: &DivisionCode, date: NaiveDate, divisions: &Divisions) -> Option<&RuleVersion> {
        self.versions
            .iter()
            .filter(|v| v.effective_from <= date && divisions.is_within(division, &v.division))
            .max_by_key(|v| (v.division.as_str().trim_end_matches('0').len(), v.effective_from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_shipped_file_parses() {
        let set = RuleSet::from_toml(BUILTIN_TOML).unwrap();
        assert!(set.versions().len() >= 2);
        assert_eq!(RuleSet::builtin(), &set);
    }

    #[test]
    fn a_standard_changing_mid_year_applies_from_its_date_only() {
        let set = RuleSet::builtin();
        let divisions = Divisions::builtin();
        let township = code("511702001");
        let before = set.in_force(&township, date(2021, 6, 30), divisions).unwrap();
        let after = set.in_force(&township, date(2021, 7, 1), divisions).unwrap();
        assert_ne!(before.id, after.id);
        assert!(after.minimum_living.urban_fen > before.minimum_living.urban_fen);
        assert!(set.in_force(&township, date(2020, 12, 31), divisions).is_none());
        // Outside Dazhou no rule is on file: refused, not borrowed from a neighbour.
        assert!(set.in_force(&code("510100"), date(2021, 8, 1), divisions).is_none());
    }

    #[test]
    fn a_county_version_wins_over_the_city_version() {
        let county = BUILTIN_TOML.replace(
            "id = \"511700-2021-07\"\ndivision = \"511700\"",
            "id = \"511702-2021-07\"\ndivision = \"511702\"",
        );
        let set = RuleSet::from_toml(&county).unwrap();
        let divisions = Divisions::builtin();
        let v = set.in_force(&code("511702001"), date(2021, 9, 1), divisions).unwrap();
        assert_eq!(v.id, "511702-2021-07");
        let other = set.in_force(&code("511703"), date(2021, 9, 1), divisions).unwrap();
        assert_eq!(other.id, "511700-2021-01");
    }

    #[test]
    fn bad_files_are_refused_in_chinese() {
        assert!(RuleSet::from_toml("[[version]]\nid = 1").unwrap_err().contains("格式错误"));
        let bad_date = BUILTIN_TOML.replacen("2021-01-01", "2021-13-01", 1);
        assert!(RuleSet::from_toml(&bad_date).unwrap_err().contains("施行日期"));
        let dup = BUILTIN_TOML.replacen("511700-2021-07", "511700-2021-01", 1);
        assert!(RuleSet::from_toml(&dup).unwrap_err().contains("重复"));
    }
}
