//! The periods of registration, all in natural days (the 条例 say "日", not 工作日): the start
//! day is not counted and a last day that is a day off moves to the next working day
//! (民法典第二百零一条至第二百零三条), as [`WorkCalendar::add_days`] counts them. The reading of
//! the 60 days is recorded in the item's file (`statutory_limit`, unit `day`), where the engine
//! takes it from; [`decision_deadline`] is the same count for the area's pages.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};

/// 《社会团体登记管理条例》第十二条 / 《民办非企业单位登记管理暂行条例》第十一条: 60 日 from the
/// receipt of all valid documents.
pub const DECISION_DAYS: u32 = 60;
/// 《社会团体登记管理条例》第十八条 / 民非条例第十五条: a change is applied for within 30 日 of the
/// sponsor's approval.
pub const CHANGE_DAYS: u32 = 30;
/// 《社会团体登记管理条例》第二十一条 / 民非条例第十七条: deregistration within 15 日 of the end of
/// liquidation.
pub const DEREGISTRATION_DAYS: u32 = 15;

pub fn decision_deadline(cal: &WorkCalendar, received_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_days(received_on, DECISION_DAYS)
}

pub fn change_deadline(cal: &WorkCalendar, sponsor_approved_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_days(sponsor_approved_on, CHANGE_DAYS)
}

pub fn deregistration_deadline(
    cal: &WorkCalendar,
    liquidation_ended_on: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    cal.add_days(liquidation_ended_on, DEREGISTRATION_DAYS)
}

/// An application filed after its period (a change or a deregistration) is still decided: the
/// 条例 sets the organization's duty, not a bar on the authority; the lateness is shown.
pub fn filed_late(deadline: NaiveDate, filed_on: NaiveDate) -> bool {
    filed_on > deadline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn sixty_days_from_receipt() {
        let cal = WorkCalendar::builtin();
        // An ordinary case: 2021-03-01 + 60 = 2021-04-30 (a Friday).
        assert_eq!(decision_deadline(cal, d(2021, 3, 1)).unwrap(), d(2021, 4, 30));
        // Ends on 2021-10-01, in 国庆 (10-01..07): moves past the holiday to Friday 10-08.
        assert_eq!(decision_deadline(cal, d(2021, 8, 2)).unwrap(), d(2021, 10, 8));
        // Ends on 2021-09-26, a 调休 working Sunday: it stays.
        assert_eq!(decision_deadline(cal, d(2021, 7, 28)).unwrap(), d(2021, 9, 26));
        // Ends on 2021-02-12, in 春节 (02-11..17): the 18th.
        assert_eq!(decision_deadline(cal, d(2020, 12, 14)).unwrap(), d(2021, 2, 18));
        // Across a leap day: 2024-01-01 + 60 = 2024-03-01 (a Friday).
        assert_eq!(decision_deadline(cal, d(2024, 1, 1)).unwrap(), d(2024, 3, 1));
    }

    #[test]
    fn change_and_deregistration_periods() {
        let cal = WorkCalendar::builtin();
        // 2021-09-08 + 30 = 2021-10-08 (after 国庆, a working day).
        assert_eq!(change_deadline(cal, d(2021, 9, 8)).unwrap(), d(2021, 10, 8));
        // 2021-09-18 + 15 = 2021-10-03, in 国庆: 10-08.
        assert_eq!(deregistration_deadline(cal, d(2021, 9, 18)).unwrap(), d(2021, 10, 8));
        let end = deregistration_deadline(cal, d(2021, 3, 1)).unwrap();
        assert_eq!(end, d(2021, 3, 16));
        assert!(!filed_late(end, end), "the last day is in time");
        assert!(filed_late(end, d(2021, 3, 17)));
    }

    /// The item's file records the reading the engine uses: 60 natural days.
    #[test]
    fn the_items_record_sixty_natural_days() {
        for (path, text) in [
            (
                "social-group-registration/v1.toml",
                include_str!("../../../../../catalog/social-group-registration/v1.toml"),
            ),
            (
                "private-non-enterprise-registration/v1.toml",
                include_str!("../../../../../catalog/private-non-enterprise-registration/v1.toml"),
            ),
        ] {
            let item = crate::catalog::parse_item(path, text).expect("item parses");
            let limit = item.statutory_limit.expect("a statutory limit");
            assert_eq!((limit.value, limit.unit), (DECISION_DAYS, crate::procedure::LimitUnit::Day), "{path}");
        }
    }
}
