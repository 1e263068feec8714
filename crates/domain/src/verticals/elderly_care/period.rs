//! The area's periods, as rule data with their basis and unit (a locality may set its own), and
//! their ends on the working-day calendar ([`crate::calendar`]): the start day is not counted
//! (民法典 第二百零一条), a working day is one of the calendar's (调休 days included).

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::procedure::LimitUnit;

/// A period of the area: its length, unit and the rule it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRule {
    pub value: u32,
    pub unit: LimitUnit,
    pub basis: &'static str,
}

/// An institution files within 10 working days after it starts taking in residents.
pub const FILING_AFTER_RESIDENTS: PeriodRule = PeriodRule {
    value: 10,
    unit: LimitUnit::Workday,
    basis: "《养老机构管理办法》（民政部令第66号）：收住老年人后10个工作日以内备案",
};

/// A change of a filed matter is filed within 10 working days after it. The period is the one the
/// published guides give; kept as data (a locality may set its own).
pub const CHANGE_FILING: PeriodRule = PeriodRule {
    value: 10,
    unit: LimitUnit::Workday,
    basis: "《养老机构管理办法》（民政部令第66号）：备案事项变更后10个工作日以内办理变更备案",
};

/// The on-site inspection after a filing, within 20 working days of it. The period is the one the
/// published guides give; its article is not confirmed, so it is data a locality may set.
pub const POST_FILING_INSPECTION: PeriodRule = PeriodRule {
    value: 20,
    unit: LimitUnit::Workday,
    basis: "《养老机构管理办法》（民政部令第66号）：备案后20个工作日以内现场检查、核实备案信息",
};

impl PeriodRule {
    /// The last day of the period started on `start` (the start day not counted).
    pub fn last_day(&self, start: NaiveDate, calendar: &WorkCalendar) -> Result<NaiveDate, CalendarError> {
        match self.unit {
            LimitUnit::Workday => calendar.add_workdays(start, self.value),
            LimitUnit::Month => calendar.add_months(start, self.value),
            LimitUnit::Day | LimitUnit::Hour => calendar.add_days(start, self.value),
        }
    }

    /// Whether an act on `done` was late for the period started on `start`.
    pub fn late(&self, start: NaiveDate, done: NaiveDate, calendar: &WorkCalendar) -> Result<bool, CalendarError> {
        Ok(done > self.last_day(start, calendar)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    /// Filed on Friday 2021-09-17: 09-18 (Sat) and 09-26 (Sun) are 调休 working days, 09-19..21
    /// 中秋 and 10-01..07 国庆 are off. Working days: 18, 22, 23, 24, 26, 27, 28, 29, 30 (9),
    /// 10-08 (10), 10-09 Sat 调休 (11) … the 20th is 10-21.
    #[test]
    fn the_inspection_period_runs_over_the_holidays_and_the_make_up_days() {
        assert_eq!(POST_FILING_INSPECTION.last_day(d(2021, 9, 17), cal()).unwrap(), d(2021, 10, 21));
        assert!(!POST_FILING_INSPECTION.late(d(2021, 9, 17), d(2021, 10, 21), cal()).unwrap());
        assert!(POST_FILING_INSPECTION.late(d(2021, 9, 17), d(2021, 10, 22), cal()).unwrap());
    }

    /// Residents taken in from 2021-02-08 (Mon): 02-11..17 春节 off, 02-07 and 02-20 调休 working
    /// days. Working days: 09, 10 (2), 18, 19, 20 Sat (5), 22..26 (10): the last day is 02-26.
    #[test]
    fn the_filing_period_skips_the_spring_festival() {
        assert_eq!(FILING_AFTER_RESIDENTS.last_day(d(2021, 2, 8), cal()).unwrap(), d(2021, 2, 26));
        assert!(FILING_AFTER_RESIDENTS.late(d(2021, 2, 8), d(2021, 3, 1), cal()).unwrap());
    }

    /// A change on a leap day, 2024-02-29 (Thu): 03-01 (1), 04..08 (6), 11..14 (10).
    #[test]
    fn a_change_on_a_leap_day() {
        assert_eq!(CHANGE_FILING.last_day(d(2024, 2, 29), cal()).unwrap(), d(2024, 3, 14));
        assert!(!CHANGE_FILING.late(d(2024, 2, 29), d(2024, 3, 14), cal()).unwrap());
    }

    /// A year without calendar data is refused, never guessed.
    #[test]
    fn a_year_without_data_is_refused() {
        assert!(POST_FILING_INSPECTION.last_day(d(2035, 12, 20), cal()).is_err());
    }
}
