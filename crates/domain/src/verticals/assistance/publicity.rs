//! 公示: who is publicised in the village, and when the publicity ends.

use chrono::NaiveDate;

use super::program::Program;
use crate::calendar::{CalendarError, WorkCalendar};
use crate::idcard::age_on;
use crate::procedure::{StepDef, StepKind};

/// The publicity period: 7 天 (natural days) in the village or community. 社会救助暂行办法第十一条第二项;
/// 最低生活保障审核确认办法 (民发〔2021〕57号) [article unconfirmed]; 社会救助暂行办法; 民发〔2021〕57号; 国发〔2015〕52号 (≥7 天 for the
/// subsidies [local]).
pub const PUBLICITY_DAYS: u32 = 7;

/// The age from which a person is an adult (民法典第十七条: 十八周岁以上的自然人为成年人).
pub const ADULT_AGE: u32 = 18;

/// Is the person named in a notice a minor on `on`: under 18 by the civil rule (民法典第十七条;
/// 29 February births by [`age_on`], 民法典第二百零二条).
pub fn minor_on(birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth, on) < ADULT_AGE
}

/// Must this case be publicised?
/// - 事实无人抚养儿童 and 孤儿: never (不设公示, to protect the child: local implementations of
///   民发〔2019〕62号 [local]);
/// - a minor is never publicised, whatever the program (特困人员认定办法 as implemented locally:
///   "未成年人不公示"; 未成年人保护法第四条第三项: 保护未成年人隐私权和个人信息): decided from the
///   birth date of the person the notice would name on the day the 公示 step is reached, never
///   from the 情形 chosen at the window;
/// - otherwise 低保, 特困, 临时救助 and the two subsidies are publicised.
///
/// `minor_named`: the person the benefit is for (for 低保 and 临时救助, the household's applicant,
/// whom the notice names) is under 18 on the day publicity would start ([`minor_on`]).
pub fn publicity_required(program: Program, minor_named: bool) -> bool {
    match program {
        Program::UnsupportedChild | Program::Orphan => false,
        Program::ExtremePoverty
        | Program::DisabilityLiving
        | Program::DisabilityCare
        | Program::MinimumLiving
        | Program::Temporary => !minor_named,
    }
}

/// Is `step` the 公示 of an assistance item: its wait step (the only period an assistance item
/// waits out: 7 天 in the village or community, 临时救助's local 5 个工作日).
pub fn is_publicity_step(step: &StepDef) -> bool {
    step.kind == StepKind::Wait
}

/// The last day of publicity that started on `start` (the start day not counted): 7 natural days,
/// holidays included; when the 7th day is a statutory holiday or a rest day, the period ends on the
/// next working day (民法典第二百零三条). The engine's wait-step timer counts the same way
/// (`WorkCalendar::add_days`).
pub fn publicity_end(start: NaiveDate, calendar: &WorkCalendar) -> Result<NaiveDate, CalendarError> {
    calendar.add_days(start, PUBLICITY_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn publicity_counts_natural_days_across_a_holiday() {
        let cal = WorkCalendar::builtin();
        // 中秋节 2021-09-19..21 lies inside: not added, the 7th day (Fri 24th) is a working day.
        assert_eq!(publicity_end(date(2021, 9, 17), cal).unwrap(), date(2021, 9, 24));
        // The 7th day falls in 国庆节 (10-01..07): the period ends on the next working day, 10-08.
        assert_eq!(publicity_end(date(2021, 9, 24), cal).unwrap(), date(2021, 10, 8));
        // The 7th day is the 调休 working Saturday 2021-10-09: it ends that day.
        assert_eq!(publicity_end(date(2021, 10, 2), cal).unwrap(), date(2021, 10, 9));
    }

    #[test]
    fn publicity_is_never_for_unsupported_children_nor_minors() {
        assert!(!publicity_required(Program::UnsupportedChild, true));
        assert!(!publicity_required(Program::UnsupportedChild, false));
        assert!(!publicity_required(Program::ExtremePoverty, true));
        assert!(publicity_required(Program::ExtremePoverty, false));
        assert!(!publicity_required(Program::MinimumLiving, true));
        assert!(!publicity_required(Program::DisabilityCare, true));
        assert!(publicity_required(Program::DisabilityCare, false));
        assert!(!publicity_required(Program::Orphan, false));
    }

    #[test]
    fn a_minor_is_under_eighteen_on_the_day() {
        let birth = date(2003, 7, 13);
        assert!(minor_on(birth, date(2021, 7, 12)), "the day before the 18th birthday");
        assert!(!minor_on(birth, date(2021, 7, 13)), "adult on the birthday");
        // Born 29 February: adult on 28 February of a common year (民法典第二百零二条).
        let leap = date(2004, 2, 29);
        assert!(minor_on(leap, date(2022, 2, 27)));
        assert!(!minor_on(leap, date(2022, 2, 28)));
    }
}
