//! 动态管理: when a 低保 household is due for its periodic re-check. Households with stable
//! circumstances once a year; households with members able to work (whose income is irregular)
//! every six months (社会救助暂行办法; 民发〔2021〕57号, [C-web local, mirrors the national text]). The platform reads
//! "able to work" as: alive, aged from `minor_age` to under `elderly_age`, without a severe
//! disability; irregular income is not detected separately [unconfirmed simplification].

use chrono::{Months, NaiveDate};

use super::household::HouseholdVersion;
use super::money::format_yuan;
use super::payment::YearMonth;
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

/// What a re-check decides about a paying household (社会救助暂行办法第十三条: 县级民政部门根据
/// 家庭成员和收入状况的变化，对享受最低生活保障的家庭作出增发、减发、停发的决定；停发的应当书面说明理由).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecheckOutcome {
    Increase,
    Reduce,
    /// The amount stays (no material change: 核查期内未发生重大变化的不调整).
    Keep,
    Stop,
}

impl RecheckOutcome {
    /// The stored outcome: every continuing payment is `adjust`, an end is `stop`.
    pub fn stored(self) -> &'static str {
        match self {
            RecheckOutcome::Stop => "stop",
            _ => "adjust",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RecheckOutcome::Increase => "增发",
            RecheckOutcome::Reduce => "减发",
            RecheckOutcome::Keep => "维持原救助金额",
            RecheckOutcome::Stop => "停发",
        }
    }
}

/// The outcome of a re-check: a refusal (no longer eligible, or the decider's refusal) stops
/// payment; otherwise the new monthly amount against the one paid so far.
pub fn recheck_outcome(paid_fen: i64, keeps_paying: bool, new_fen: i64) -> RecheckOutcome {
    if !keeps_paying {
        RecheckOutcome::Stop
    } else if new_fen > paid_fen {
        RecheckOutcome::Increase
    } else if new_fen < paid_fen {
        RecheckOutcome::Reduce
    } else {
        RecheckOutcome::Keep
    }
}

/// The trace line a re-check adds to its decision, naming the change.
pub fn recheck_line(outcome: RecheckOutcome, paid_fen: i64, new_fen: i64, stop_from: YearMonth) -> String {
    match outcome {
        RecheckOutcome::Stop => {
            format!("动态复核：原月救助金 {} 元 → 停发，自{}起停止发放", format_yuan(paid_fen), stop_from.label_zh())
        }
        _ => format!(
            "动态复核：原月救助金 {} 元 → {} 元（{}），自{}起执行",
            format_yuan(paid_fen),
            format_yuan(new_fen),
            outcome.name_zh(),
            stop_from.label_zh()
        ),
    }
}

/// The first month a re-check's change applies: the month after the decision, as for a grant
/// (低保 is paid from the month after confirmation, 社会救助暂行办法; 民发〔2021〕57号 step 6); the stop month is
/// [unconfirmed] — 第十三条 names no month, the platform mirrors the grant so no month is paid
/// twice or skipped.
pub fn change_from(decided_on: NaiveDate) -> YearMonth {
    YearMonth::of(decided_on).next()
}

/// 渐退期 (社会救助暂行办法; 民发〔2021〕57号: "A 渐退期 after income rises above the line (≤6 months) [unconfirmed]"): a
/// 低保 household stopped because its per-capita income is no longer below the standard keeps its
/// amount for `taper_months` months after the decision month; the stop applies from the month after.
/// With 0 it is `change_from` (no taper).
pub fn taper_stop_from(decided_on: NaiveDate, taper_months: u32) -> YearMonth {
    (0..taper_months).fold(change_from(decided_on), |m, _| m.next())
}

/// The trace line of a stop with a 渐退期.
pub fn taper_line(paid_fen: i64, taper_months: u32, stop_from: YearMonth, rule_version: &str) -> String {
    format!(
        "收入已不低于低保标准，按{rule_version}给予渐退期 {taper_months} 个月：原月救助金 {} 元发放至{}，自{}起停发",
        format_yuan(paid_fen),
        stop_from.prev().label_zh(),
        stop_from.label_zh()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistance::household::{Disability, DisabilityCategory, Member, Relationship};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_taper_keeps_paying_for_its_months_across_the_year_end() {
        let decided = date(2021, 11, 30);
        assert_eq!(taper_stop_from(decided, 0), change_from(decided));
        assert_eq!(taper_stop_from(decided, 0), YearMonth::new(2021, 12).unwrap());
        assert_eq!(taper_stop_from(decided, 3), YearMonth::new(2022, 3).unwrap());
        assert_eq!(taper_stop_from(decided, 6), YearMonth::new(2022, 6).unwrap());
        let line = taper_line(27_600, 3, YearMonth::new(2022, 3).unwrap(), "511700-2021-07");
        assert!(line.contains("渐退期 3 个月") && line.contains("276") && line.contains("2022年2月"), "{line}");
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

    #[test]
    fn a_recheck_names_its_outcome_and_applies_from_the_month_after() {
        assert_eq!(recheck_outcome(32_400, true, 40_000), RecheckOutcome::Increase);
        assert_eq!(recheck_outcome(32_400, true, 20_000), RecheckOutcome::Reduce);
        assert_eq!(recheck_outcome(32_400, true, 32_400), RecheckOutcome::Keep);
        assert_eq!(recheck_outcome(32_400, false, 40_000), RecheckOutcome::Stop);
        assert_eq!(RecheckOutcome::Keep.stored(), "adjust");
        assert_eq!(RecheckOutcome::Stop.stored(), "stop");
        // Decided on the last day of a year: the change applies from January.
        let from = change_from(date(2021, 12, 31));
        assert_eq!(from, YearMonth::new(2022, 1).unwrap());
        let line = recheck_line(RecheckOutcome::Reduce, 32_400, 20_000, from);
        assert!(line.contains("324 元") && line.contains("200 元") && line.contains("减发"), "{line}");
        assert!(recheck_line(RecheckOutcome::Stop, 32_400, 0, from).contains("停发"));
    }
}
