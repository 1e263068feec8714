//! Households (共同生活的家庭成员, 社会救助暂行办法第九条) kept as dated versions: a change of members,
//! income or assets is a new version from a date, so a decision can be explained by the household as
//! it stood on the day it was made.

use chrono::NaiveDate;

use super::payment::YearMonth;

/// A member's relationship to the applicant (户主/申请人).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    Applicant,
    Spouse,
    Child,
    Parent,
    Grandchild,
    Grandparent,
    Sibling,
    Other,
}

impl Relationship {
    pub const ALL: [Relationship; 8] = [
        Relationship::Applicant,
        Relationship::Spouse,
        Relationship::Child,
        Relationship::Parent,
        Relationship::Grandchild,
        Relationship::Grandparent,
        Relationship::Sibling,
        Relationship::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Applicant => "applicant",
            Relationship::Spouse => "spouse",
            Relationship::Child => "child",
            Relationship::Parent => "parent",
            Relationship::Grandchild => "grandchild",
            Relationship::Grandparent => "grandparent",
            Relationship::Sibling => "sibling",
            Relationship::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Relationship> {
        Relationship::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Relationship::Applicant => "申请人",
            Relationship::Spouse => "配偶",
            Relationship::Child => "子女",
            Relationship::Parent => "父母",
            Relationship::Grandchild => "孙子女",
            Relationship::Grandparent => "祖父母",
            Relationship::Sibling => "兄弟姐妹",
            Relationship::Other => "其他共同生活成员",
        }
    }
}

/// 残疾类别 of the 第二代残疾人证 (GB/T 26341-2010).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisabilityCategory {
    Visual,
    Hearing,
    Speech,
    Physical,
    Intellectual,
    Mental,
    Multiple,
}

impl DisabilityCategory {
    pub const ALL: [DisabilityCategory; 7] = [
        DisabilityCategory::Visual,
        DisabilityCategory::Hearing,
        DisabilityCategory::Speech,
        DisabilityCategory::Physical,
        DisabilityCategory::Intellectual,
        DisabilityCategory::Mental,
        DisabilityCategory::Multiple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisabilityCategory::Visual => "visual",
            DisabilityCategory::Hearing => "hearing",
            DisabilityCategory::Speech => "speech",
            DisabilityCategory::Physical => "physical",
            DisabilityCategory::Intellectual => "intellectual",
            DisabilityCategory::Mental => "mental",
            DisabilityCategory::Multiple => "multiple",
        }
    }

    pub fn parse(s: &str) -> Option<DisabilityCategory> {
        DisabilityCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DisabilityCategory::Visual => "视力残疾",
            DisabilityCategory::Hearing => "听力残疾",
            DisabilityCategory::Speech => "言语残疾",
            DisabilityCategory::Physical => "肢体残疾",
            DisabilityCategory::Intellectual => "智力残疾",
            DisabilityCategory::Mental => "精神残疾",
            DisabilityCategory::Multiple => "多重残疾",
        }
    }
}

/// A disability certificate: category and grade (一级 most severe … 四级).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disability {
    pub category: DisabilityCategory,
    pub grade: u8,
}

impl Disability {
    /// 重残 / 重度残疾: 一级 or 二级, or 三级/四级 智力 or 精神 disability. 国发〔2015〕52号 (the care subsidy's
    /// common extension) and §5 (the definition for 事实无人抚养儿童, 粤民规字〔2019〕10号).
    pub fn is_severe(&self) -> bool {
        self.grade <= 2
            || (matches!(self.category, DisabilityCategory::Intellectual | DisabilityCategory::Mental)
                && self.grade <= 4)
    }

    pub fn label_zh(&self) -> String {
        let grade = ["", "一", "二", "三", "四"].get(usize::from(self.grade)).copied().unwrap_or("?");
        format!("{}{}级", self.category.name_zh(), grade)
    }
}

/// A household member: a person record (encrypted identifiers live in the persons store; here only
/// the id and the facts the rules read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub person_id: i64,
    pub name: String,
    pub relationship: Relationship,
    pub birth: NaiveDate,
    pub disability: Option<Disability>,
    /// Receives 工伤保险 nursing allowance (excludes the care subsidy, 国发〔2015〕52号 [unconfirmed]).
    pub work_injury_nursing: bool,
    /// Date of death, if recorded: payment stops after that month.
    pub died_on: Option<NaiveDate>,
}

/// One month's income of one member (工资、经营、财产、转移性收入…), in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeItem {
    pub person_id: i64,
    pub month: YearMonth,
    pub kind: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetKind {
    /// 存款、有价证券 and other financial assets.
    Financial,
    /// A motor vehicle (not a disability mobility vehicle).
    Vehicle,
    /// Housing beyond the one dwelling.
    ExtraHousing,
    Other,
}

impl AssetKind {
    pub const ALL: [AssetKind; 4] =
        [AssetKind::Financial, AssetKind::Vehicle, AssetKind::ExtraHousing, AssetKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Financial => "financial",
            AssetKind::Vehicle => "vehicle",
            AssetKind::ExtraHousing => "extra_housing",
            AssetKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<AssetKind> {
        AssetKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            AssetKind::Financial => "金融资产",
            AssetKind::Vehicle => "机动车辆",
            AssetKind::ExtraHousing => "非唯一住房",
            AssetKind::Other => "其他财产",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub kind: AssetKind,
    pub value_fen: i64,
    pub note: String,
}

/// The household as it stood from `valid_from` until the next version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdVersion {
    pub valid_from: NaiveDate,
    pub members: Vec<Member>,
    pub income: Vec<IncomeItem>,
    pub assets: Vec<Asset>,
}

/// A household: where it is registered, urban or rural (城市/农村 standard), and its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub id: i64,
    pub division: crate::division::DivisionCode,
    pub urban: bool,
    /// Ordered by `valid_from`, strictly increasing.
    pub versions: Vec<HouseholdVersion>,
}

impl Household {
    /// The version in force on `date`: the latest with `valid_from <= date`.
    pub fn as_of(&self, date: NaiveDate) -> Option<&HouseholdVersion> {
        self.versions.iter().filter(|v| v.valid_from <= date).max_by_key(|v| v.valid_from)
    }
}

impl HouseholdVersion {
    /// The members alive on `date` (共同生活的家庭成员 counted for the per-capita income).
    pub fn living_members(&self, date: NaiveDate) -> Vec<&Member> {
        self.members.iter().filter(|m| m.died_on.is_none_or(|d| d > date)).collect()
    }

    pub fn member(&self, person_id: i64) -> Option<&Member> {
        self.members.iter().find(|m| m.person_id == person_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn severe_disability_follows_the_definition() {
        let d = |category, grade| Disability { category, grade };
        assert!(d(DisabilityCategory::Physical, 1).is_severe());
        assert!(d(DisabilityCategory::Physical, 2).is_severe());
        assert!(!d(DisabilityCategory::Physical, 3).is_severe());
        assert!(d(DisabilityCategory::Intellectual, 3).is_severe());
        assert!(d(DisabilityCategory::Mental, 4).is_severe());
        assert!(!d(DisabilityCategory::Visual, 4).is_severe());
        assert_eq!(d(DisabilityCategory::Mental, 3).label_zh(), "精神残疾三级");
    }

    #[test]
    fn the_version_in_force_is_the_latest_started() {
        let v =
            |y, m, d| HouseholdVersion { valid_from: date(y, m, d), members: vec![], income: vec![], assets: vec![] };
        let h = Household {
            id: 1,
            division: crate::division::DivisionCode::parse("511702001").unwrap(),
            urban: true,
            versions: vec![v(2021, 1, 1), v(2021, 5, 10)],
        };
        assert_eq!(h.as_of(date(2021, 5, 9)).unwrap().valid_from, date(2021, 1, 1));
        assert_eq!(h.as_of(date(2021, 5, 10)).unwrap().valid_from, date(2021, 5, 10));
        assert!(h.as_of(date(2020, 12, 31)).is_none());
    }
}
