//! 动态管理: when a 低保 household is due for its periodic re-check. Households with stable
//! circumstances once a year; households with members able to work (whose income is irregular)
//! every six months (domain.md §6, [C-web local, mirrors the national text]). The platform reads
//! "able to work" as: alive, aged from `minor_age` to under `elderly_age`, without a severe
//! disability; irregular income is not detected separately [unconfirmed simplification].

use chrono::{Months, NaiveDate};

use super::household::HouseholdVersion;
use crate::idcard::age_on;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecheckCycle {
    Yearly,
    HalfYearly,
}

impl RecheckCycle {
    pub fn as_str(self) -> &'static str {
        match self {
            RecheckCycle::Yearly => "yearly",
            RecheckCycle::HalfYearly => "half_yearly",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RecheckCycle::Yearly => "每年核查一次（家庭情况基本稳定）",
            RecheckCycle::HalfYearly => "每半年核查一次（有劳动能力成员）",
        }
    }

    fn months(self) -> u32 {
        match self {
            RecheckCycle::Yearly => 12,
            RecheckCycle::HalfYearly => 6,
        }
    }
}

/// The household's cycle on `on`.
pub fn recheck_cycle(version: &HouseholdVersion, on: NaiveDate, minor_age: u32, elderly_age: u32) -> RecheckCycle {
    let able = version.living_members(on).into_iter().any(|m| {
        let age = age_on(m.birth, on);
        age >= minor_age && age < elderly_age && !m.disability.is_some_and(|d| d.is_severe())
    });
    if able {
        RecheckCycle::HalfYearly
    } else {
        RecheckCycle::Yearly
    }
}

/// The day the re-check is due: the same day 6 or 12 months after the last check (the decision);
/// a day missing in the target month is its last day (民法典第二百零二条).
pub fn recheck_due(last_checked: NaiveDate, cycle: RecheckCycle) -> NaiveDate {
    last_checked.checked_add_months(Months::new(cycle.months())).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistance::household::{Disability, DisabilityCategory, Member, Relationship};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn member(id: i64, birth: NaiveDate) -> Member {
        Member {
            person_id: id,
            name: String::new(),
            relationship: Relationship::Applicant,
            birth,
            disability: None,
            work_injury_nursing: false,
            died_on: None,
        }
    }

    #[test]
    fn members_able_to_work_make_the_cycle_half_yearly() {
        let on = date(2021, 7, 13);
        let mut v = HouseholdVersion {
            valid_from: on,
            members: vec![member(1, date(1950, 1, 1))],
            income: vec![],
            assets: vec![],
        };
        assert_eq!(recheck_cycle(&v, on, 16, 60), RecheckCycle::Yearly);
        v.members.push(member(2, date(1980, 1, 1)));
        assert_eq!(recheck_cycle(&v, on, 16, 60), RecheckCycle::HalfYearly);
        v.members[1].disability = Some(Disability { category: DisabilityCategory::Physical, grade: 1 });
        assert_eq!(recheck_cycle(&v, on, 16, 60), RecheckCycle::Yearly);
        // Turning 16 on the day counts (民法典第二百零二条 via age_on).
        v.members.push(member(3, date(2005, 7, 13)));
        assert_eq!(recheck_cycle(&v, on, 16, 60), RecheckCycle::HalfYearly);
        assert_eq!(recheck_cycle(&v, date(2021, 7, 12), 16, 60), RecheckCycle::Yearly);
    }

    #[test]
    fn due_dates_step_by_months_and_clamp_to_the_month_end() {
        assert_eq!(recheck_due(date(2021, 7, 13), RecheckCycle::HalfYearly), date(2022, 1, 13));
        assert_eq!(recheck_due(date(2021, 7, 13), RecheckCycle::Yearly), date(2022, 7, 13));
        assert_eq!(recheck_due(date(2021, 8, 31), RecheckCycle::HalfYearly), date(2022, 2, 28));
        assert_eq!(recheck_due(date(2020, 2, 29), RecheckCycle::Yearly), date(2021, 2, 28));
    }
}
