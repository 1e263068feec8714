//! The rule data: standards and amounts per division and effective date
//! (`crates/domain/data/assistance_rules.toml`). 社会救助暂行办法; 民发〔2021〕57号: "the standard is set by the province
//! or the 设区的市" (社会救助暂行办法第十条); §4, §5: amounts are local. A decision records the
//! version it applied; a new version never changes a past decision.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

use super::household::{Disability, DisabilityCategory};
use crate::division::{DivisionCode, Divisions};

const BUILTIN_TOML: &str = include_str!("../../../data/assistance_rules.toml");

/// 低保: the standard and the asset rules. Whole yuan in the file, fen here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimumLivingRules {
    pub urban_fen: i64,
    pub rural_fen: i64,
    pub income_months: u32,
    pub financial_asset_months: u32,
    pub vehicle_allowed: bool,
    /// 渐退期: months a household stopped for income above the line is still paid (社会救助暂行办法; 民发〔2021〕57号:
    /// "A 渐退期 after income rises above the line (≤6 months) [unconfirmed]"); 0 = none.
    pub taper_months: u32,
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
    pub care: CareRule,
}

/// Who the 重度残疾人护理补贴 covers, per division and date (国发〔2015〕52号: "一级 or 二级 needing
/// long-term care. Many places add 三、四级智力/精神 disability. Some localities restrict some
/// categories by age (e.g. 肢体 under 16 or over 60 — local)"; 国发〔2015〕52号).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareRule {
    /// Grades covered in every category (一级 = 1).
    pub grades: Vec<u8>,
    /// Further grades covered in some categories (the local extension).
    pub extra: Vec<(DisabilityCategory, Vec<u8>)>,
    /// Local age restrictions: the category is covered only from `min_age` and up to `max_age`
    /// (whole years of age on the day of the decision).
    pub age_limits: Vec<CareAgeLimit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareAgeLimit {
    pub category: DisabilityCategory,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
}

fn grades_zh(grades: &[u8]) -> String {
    grades
        .iter()
        .map(|g| ["", "一", "二", "三", "四"].get(usize::from(*g)).copied().unwrap_or("?"))
        .collect::<Vec<_>>()
        .join("、")
}

impl CareRule {
    /// The rule in words, for the trace and the refusal: "一、二级；智力残疾三、四级；精神残疾三、四级".
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("{}级", grades_zh(&self.grades))];
        for (category, grades) in &self.extra {
            parts.push(format!("{}{}级", category.name_zh(), grades_zh(grades)));
        }
        for limit in &self.age_limits {
            let range = match (limit.min_age, limit.max_age) {
                (Some(lo), Some(hi)) => format!("{lo}至{hi}周岁"),
                (Some(lo), None) => format!("{lo}周岁以上"),
                (None, Some(hi)) => format!("{hi}周岁以下"),
                (None, None) => "不限年龄".to_string(),
            };
            parts.push(format!("{}限{range}", limit.category.name_zh()));
        }
        parts.join("；")
    }

    /// Whether a certificate `d` held at `age` is covered; Err with the reason when it is not.
    pub fn covers(&self, d: Disability, age: u32) -> Result<(), String> {
        let graded = self.grades.contains(&d.grade)
            || self.extra.iter().any(|(c, grades)| *c == d.category && grades.contains(&d.grade));
        if !graded {
            return Err(format!("残疾等级 {} 不在护理补贴范围（{}）", d.label_zh(), self.describe()));
        }
        for limit in self.age_limits.iter().filter(|l| l.category == d.category) {
            if limit.min_age.is_some_and(|lo| age < lo) || limit.max_age.is_some_and(|hi| age > hi) {
                return Err(format!(
                    "{}的护理补贴有年龄限制（{}），{age} 周岁不在其内",
                    d.category.name_zh(),
                    self.describe()
                ));
            }
        }
        Ok(())
    }
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
    taper_months: u32,
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
    care_rule: CareRuleDto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CareRuleDto {
    grades: Vec<u8>,
    #[serde(default)]
    extra: std::collections::BTreeMap<String, Vec<u8>>,
    #[serde(default)]
    age_limit: Vec<AgeLimitDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgeLimitDto {
    category: String,
    min_age: Option<u32>,
    max_age: Option<u32>,
}

/// The care rule of version `id`, checked: grades 1–4, known categories.
fn care_rule(id: &str, dto: CareRuleDto) -> Result<CareRule, String> {
    let grade_ok = |g: &u8| (1..=4).contains(g);
    let category = |name: &str| {
        DisabilityCategory::parse(name).ok_or_else(|| format!("救助标准版本“{id}”的护理补贴规则中残疾类别“{name}”无效"))
    };
    if dto.grades.is_empty() || !dto.grades.iter().all(grade_ok) {
        return Err(format!("救助标准版本“{id}”的护理补贴等级须为1至4级，且至少一级"));
    }
    let mut extra = Vec::new();
    for (name, grades) in dto.extra {
        if grades.is_empty() || !grades.iter().all(grade_ok) {
            return Err(format!("救助标准版本“{id}”的护理补贴规则中“{name}”的等级须为1至4级"));
        }
        extra.push((category(&name)?, grades));
    }
    let mut age_limits = Vec::new();
    for l in dto.age_limit {
        if let (Some(lo), Some(hi)) = (l.min_age, l.max_age) {
            if lo > hi {
                return Err(format!("救助标准版本“{id}”的护理补贴年龄限制下限大于上限"));
            }
        }
        age_limits.push(CareAgeLimit { category: category(&l.category)?, min_age: l.min_age, max_age: l.max_age });
    }
    Ok(CareRule { grades: dto.grades, extra, age_limits })
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
            if v.minimum_living.taper_months > 6 {
                return Err(format!("救助标准版本“{}”的渐退期不能超过6个月", v.id));
            }
            if versions.iter().any(|o: &RuleVersion| o.id == v.id) {
                return Err(format!("救助标准版本号“{}”重复", v.id));
            }
            if versions.iter().any(|o: &RuleVersion| o.division == division && o.effective_from == effective_from) {
                return Err(format!("区划{}在{}有两个救助标准版本", v.division, v.effective_from));
            }
            let care = care_rule(&v.id, v.disability.care_rule)?;
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
                    taper_months: v.minimum_living.taper_months,
                },
                extreme_poverty: ExtremePovertyRules {
                    basic_living_fen: fen(v.extreme_poverty.basic_living),
                    elderly_age: v.extreme_poverty.elderly_age,
                    minor_age: v.extreme_poverty.minor_age,
                },
                disability: DisabilityRules {
                    living_fen: fen(v.disability.living),
                    care_fen: fen(v.disability.care),
                    care,
                },
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
    fn the_care_rule_is_data_per_version() {
        use crate::assistance::household::{Disability, DisabilityCategory};
        let divisions = Divisions::builtin();
        let rule =
            &RuleSet::builtin().in_force(&code("511702001"), date(2021, 9, 1), divisions).unwrap().disability.care;
        let d = |category, grade| Disability { category, grade };
        assert!(rule.covers(d(DisabilityCategory::Physical, 2), 40).is_ok());
        assert!(rule.covers(d(DisabilityCategory::Physical, 3), 40).unwrap_err().contains("肢体残疾三级"));
        assert!(rule.covers(d(DisabilityCategory::Intellectual, 4), 40).is_ok());
        assert!(rule.covers(d(DisabilityCategory::Visual, 3), 40).is_err());
        assert_eq!(rule.describe(), "一、二级；智力残疾三、四级；精神残疾三、四级");
        // A county that covers grades 1–2 only and 肢体 from 16 to 60 (a local restriction).
        let local = BUILTIN_TOML.replacen(
            "extra = { intellectual = [3, 4], mental = [3, 4] }",
            "age_limit = [{ category = \"physical\", min_age = 16, max_age = 60 }]",
            1,
        );
        let set = RuleSet::from_toml(&local).unwrap();
        let first = &set.get("511700-2021-01").unwrap().disability.care;
        assert!(first.covers(d(DisabilityCategory::Mental, 3), 40).is_err(), "no extension in this version");
        assert!(first.covers(d(DisabilityCategory::Physical, 1), 15).unwrap_err().contains("年龄限制"));
        assert!(first.covers(d(DisabilityCategory::Physical, 1), 16).is_ok());
        assert!(first.covers(d(DisabilityCategory::Physical, 1), 60).is_ok());
        assert!(first.covers(d(DisabilityCategory::Physical, 1), 61).is_err());
        assert!(first.covers(d(DisabilityCategory::Visual, 1), 90).is_ok(), "the limit is per category");
        // The later version keeps its own rule: loading one never changes another.
        assert!(set
            .get("511700-2021-07")
            .unwrap()
            .disability
            .care
            .covers(d(DisabilityCategory::Mental, 3), 40)
            .is_ok());
    }

    #[test]
    fn bad_files_are_refused_in_chinese() {
        let bad_grade = BUILTIN_TOML.replacen("grades = [1, 2]", "grades = [0, 5]", 1);
        assert!(RuleSet::from_toml(&bad_grade).unwrap_err().contains("护理补贴等级"));
        let bad_category = BUILTIN_TOML.replacen("intellectual = [3, 4]", "brain = [3, 4]", 1);
        assert!(RuleSet::from_toml(&bad_category).unwrap_err().contains("残疾类别“brain”"));
        let missing = BUILTIN_TOML.replacen("[version.disability.care_rule]", "[version.disability.x]", 1);
        assert!(RuleSet::from_toml(&missing).is_err());
        let long_taper = BUILTIN_TOML.replacen("taper_months = 3", "taper_months = 7", 1);
        assert!(RuleSet::from_toml(&long_taper).unwrap_err().contains("渐退期不能超过6个月"));
        assert!(RuleSet::from_toml("[[version]]\nid = 1").unwrap_err().contains("格式错误"));
        let bad_date = BUILTIN_TOML.replacen("2021-01-01", "2021-13-01", 1);
        assert!(RuleSet::from_toml(&bad_date).unwrap_err().contains("施行日期"));
        let dup = BUILTIN_TOML.replacen("511700-2021-07", "511700-2021-01", 1);
        assert!(RuleSet::from_toml(&dup).unwrap_err().contains("重复"));
    }
}
