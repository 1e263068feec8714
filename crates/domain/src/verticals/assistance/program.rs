//! The programs, the catalog items that decide them, and the benefits that exclude each other.

/// A benefit paid (or granted once) by the civil-affairs bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Program {
    /// 最低生活保障 (低保): per household, monthly.
    MinimumLiving,
    /// 特困人员救助供养: per person, monthly.
    ExtremePoverty,
    /// 临时救助: once.
    Temporary,
    /// 困难残疾人生活补贴.
    DisabilityLiving,
    /// 重度残疾人护理补贴.
    DisabilityCare,
    /// 孤儿基本生活费.
    Orphan,
    /// 事实无人抚养儿童基本生活补贴.
    UnsupportedChild,
}

impl Program {
    pub const ALL: [Program; 7] = [
        Program::MinimumLiving,
        Program::ExtremePoverty,
        Program::Temporary,
        Program::DisabilityLiving,
        Program::DisabilityCare,
        Program::Orphan,
        Program::UnsupportedChild,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Program::MinimumLiving => "minimum_living",
            Program::ExtremePoverty => "extreme_poverty",
            Program::Temporary => "temporary",
            Program::DisabilityLiving => "disability_living",
            Program::DisabilityCare => "disability_care",
            Program::Orphan => "orphan",
            Program::UnsupportedChild => "unsupported_child",
        }
    }

    pub fn parse(s: &str) -> Option<Program> {
        Program::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Program::MinimumLiving => "最低生活保障",
            Program::ExtremePoverty => "特困人员救助供养",
            Program::Temporary => "临时救助",
            Program::DisabilityLiving => "困难残疾人生活补贴",
            Program::DisabilityCare => "重度残疾人护理补贴",
            Program::Orphan => "孤儿基本生活费",
            Program::UnsupportedChild => "事实无人抚养儿童基本生活补贴",
        }
    }

    /// The catalog item whose decide act grants this program.
    pub fn item_slug(self) -> &'static str {
        match self {
            Program::MinimumLiving => "minimum-living-allowance",
            Program::ExtremePoverty => "extreme-poverty-support",
            Program::Temporary => "temporary-assistance",
            Program::DisabilityLiving | Program::DisabilityCare => "disability-subsidy",
            Program::Orphan => "orphan-recognition",
            Program::UnsupportedChild => "unsupported-child-recognition",
        }
    }

    /// The programs an item may decide (the disability item decides either subsidy).
    pub fn for_item(slug: &str) -> Vec<Program> {
        Program::ALL.into_iter().filter(|p| p.item_slug() == slug).collect()
    }

    /// Paid every month (all but 临时救助, which is paid once).
    pub fn is_monthly(self) -> bool {
        self != Program::Temporary
    }

    /// A child's allowance, which ends with the month of the 18th birthday (民发〔2019〕62号, 民发〔2020〕125号).
    pub fn is_child_allowance(self) -> bool {
        matches!(self, Program::Orphan | Program::UnsupportedChild)
    }
}

/// The pairs of benefits one person may not receive together.
///
/// - 困难残疾人生活补贴 is not paid on top of 特困供养 or 孤儿基本生活费 (国发〔2015〕52号 as summarised in
///   国发〔2015〕52号 [unconfirmed]); the same for 事实无人抚养儿童 whose allowance is set by reference to the
///   scattered orphans' (民发〔2019〕62号) [unconfirmed extension].
/// - 特困人员 are not also counted for 低保, and an orphan receives the orphan's allowance rather than
///   特困供养 (不重复享受; practice across provinces) [unconfirmed].
/// - 孤儿 and 事实无人抚养儿童 exclude each other by definition (民发〔2019〕62号: a child who is not an orphan).
///
/// 重度残疾人护理补贴 vs 工伤保险护理费 is outside this bureau's programs: the member's declared
/// `work_injury_nursing` refuses it at evaluation.
const EXCLUSIVE: [(Program, Program); 6] = [
    (Program::DisabilityLiving, Program::ExtremePoverty),
    (Program::DisabilityLiving, Program::Orphan),
    (Program::DisabilityLiving, Program::UnsupportedChild),
    (Program::MinimumLiving, Program::ExtremePoverty),
    (Program::ExtremePoverty, Program::Orphan),
    (Program::Orphan, Program::UnsupportedChild),
];

/// Do `a` and `b` exclude each other for one person?
pub fn excludes(a: Program, b: Program) -> bool {
    EXCLUSIVE.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_item_decides_something() {
        for p in Program::ALL {
            assert_eq!(Program::parse(p.as_str()), Some(p));
            assert!(Program::for_item(p.item_slug()).contains(&p));
        }
        assert_eq!(Program::for_item("disability-subsidy").len(), 2);
        assert!(Program::for_item("marriage-registration").is_empty());
    }

    #[test]
    fn exclusion_is_symmetric_and_not_reflexive_for_compatible_pairs() {
        assert!(excludes(Program::DisabilityLiving, Program::ExtremePoverty));
        assert!(excludes(Program::ExtremePoverty, Program::DisabilityLiving));
        // 低保 and the living subsidy go together: the subsidy presupposes a 低保 household.
        assert!(!excludes(Program::MinimumLiving, Program::DisabilityLiving));
        assert!(!excludes(Program::DisabilityCare, Program::DisabilityLiving));
        assert!(!excludes(Program::MinimumLiving, Program::Temporary));
    }
}
