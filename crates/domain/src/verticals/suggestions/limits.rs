//! The periods of a suggestion's handling. Each is a number of calendar months counted by
//! 民法典 第二百零一条、第二百零二条 (the day of 交办 is not counted; the period ends on the
//! corresponding day of its last month, or that month's last day when it has none:
//! [`crate::calendar::months_end`]) and moved off a day of rest by 第二百零三条 (a last day that
//! is a 法定休假日 ends the period on the day after it: [`WorkCalendar::add_months`]). 代表法 gives
//! no rule of its own on a last day falling on a holiday, so 民法典 第二百零四条 lets 第二百零三条
//! apply. The local periods (a co-handling unit's opinion, the new reply after a 不满意, sending
//! back a wrongly assigned item) are data of the bureau, defaulting to the figures below.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};

/// The periods, in months (working days for the send-back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// 代表法 第五十一条: the reply within three months of 交办.
    pub reply_months: u32,
    /// 代表法 第五十一条: within six months of 交办 for a wide-ranging or difficult suggestion.
    pub difficult_months: u32,
    /// A co-handling unit's opinion to the lead unit within one month of 交办 (local rules on
    /// the handling of deputies' suggestions; the bureau's setting).
    pub co_opinion_months: u32,
    /// After a 不满意 form, the new reply within one month of the form (local rules; the
    /// bureau's setting).
    pub redo_months: u32,
    /// A wrongly assigned suggestion is sent back to the assigning office within this many
    /// working days of 交办 (local practice; the bureau's setting, shown, not enforced).
    pub send_back_workdays: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { reply_months: 3, difficult_months: 6, co_opinion_months: 1, redo_months: 1, send_back_workdays: 7 }
    }
}

impl Limits {
    /// 代表法 第五十一条: the last day of the reply, counted from 交办.
    pub fn reply_due(
        &self,
        calendar: &WorkCalendar,
        assigned_on: NaiveDate,
        difficult: bool,
    ) -> Result<NaiveDate, CalendarError> {
        calendar.add_months(assigned_on, if difficult { self.difficult_months } else { self.reply_months })
    }

    /// The last day of a co-handling unit's opinion, counted from 交办.
    pub fn co_opinion_due(&self, calendar: &WorkCalendar, assigned_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
        calendar.add_months(assigned_on, self.co_opinion_months)
    }

    /// The last day of the new reply after a 不满意 form received on `form_on`.
    pub fn redo_due(&self, calendar: &WorkCalendar, form_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
        calendar.add_months(form_on, self.redo_months)
    }

    /// The last day to send a wrongly assigned suggestion back (working days after 交办).
    pub fn send_back_due(&self, calendar: &WorkCalendar, assigned_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
        calendar.add_workdays(assigned_on, self.send_back_workdays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    #[test]
    fn three_months_from_30_november_end_at_the_end_of_february() {
        let l = Limits::default();
        // 2022 is not a leap year: 28 February (a Monday, a working day).
        assert_eq!(l.reply_due(cal(), d(2021, 11, 30), false).unwrap(), d(2022, 2, 28));
        // 2024 is: 29 February (a Thursday).
        assert_eq!(l.reply_due(cal(), d(2023, 11, 30), false).unwrap(), d(2024, 2, 29));
        // The corresponding day exists: 15 March → 15 June.
        assert_eq!(l.reply_due(cal(), d(2021, 3, 15), false).unwrap(), d(2021, 6, 15));
    }

    #[test]
    fn six_months_from_31_august_for_a_difficult_one() {
        let l = Limits::default();
        assert_eq!(l.reply_due(cal(), d(2021, 8, 31), true).unwrap(), d(2022, 2, 28));
        assert_eq!(l.reply_due(cal(), d(2023, 8, 31), true).unwrap(), d(2024, 2, 29));
        // The same day, not difficult: 30 November 2021 (a Tuesday).
        assert_eq!(l.reply_due(cal(), d(2021, 8, 31), false).unwrap(), d(2021, 11, 30));
    }

    #[test]
    fn a_last_day_on_a_holiday_moves_to_the_day_after_it() {
        let l = Limits::default();
        // 1 October 2021 is 国庆: the period ends on 8 October, the first working day after it.
        assert_eq!(l.reply_due(cal(), d(2021, 7, 1), false).unwrap(), d(2021, 10, 8));
        // 12 February 2021 is 春节 (11–17 February): the period ends on 18 February.
        assert_eq!(l.reply_due(cal(), d(2020, 11, 12), false).unwrap(), d(2021, 2, 18));
        // A Sunday: 3 months from 3 June 2021 → Friday 3 September stays; from 5 June → Sunday
        // 5 September → Monday 6 September.
        assert_eq!(l.reply_due(cal(), d(2021, 6, 3), false).unwrap(), d(2021, 9, 3));
        assert_eq!(l.reply_due(cal(), d(2021, 6, 5), false).unwrap(), d(2021, 9, 6));
    }

    #[test]
    fn a_last_day_on_a_working_saturday_or_sunday_stays() {
        let l = Limits::default();
        // 18 September 2021 (Saturday) and 26 September 2021 (Sunday) are 调休 working days.
        assert_eq!(l.reply_due(cal(), d(2021, 6, 18), false).unwrap(), d(2021, 9, 18));
        assert_eq!(l.redo_due(cal(), d(2021, 8, 26)).unwrap(), d(2021, 9, 26));
        // 9 October 2021 (Saturday) too: a co-handling opinion due then stays due then.
        assert_eq!(l.co_opinion_due(cal(), d(2021, 9, 9)).unwrap(), d(2021, 10, 9));
    }

    #[test]
    fn one_month_periods_at_a_month_end_and_a_leap_day() {
        let l = Limits::default();
        // 31 January 2024 + 1 month → 29 February 2024 (leap year).
        assert_eq!(l.redo_due(cal(), d(2024, 1, 31)).unwrap(), d(2024, 2, 29));
        // From a leap day: 29 February 2024 → 29 March 2024 (a Friday).
        assert_eq!(l.co_opinion_due(cal(), d(2024, 2, 29)).unwrap(), d(2024, 3, 29));
        // 31 January 2021 + 1 month → 28 February 2021, a Sunday → 1 March 2021.
        assert_eq!(l.redo_due(cal(), d(2021, 1, 31)).unwrap(), d(2021, 3, 1));
    }

    #[test]
    fn send_back_days_are_working_days_across_national_day() {
        let l = Limits::default();
        // 交办 on 30 September 2021: 8, 9 (调休 Saturday), 11, 12, 13, 14, 15 October.
        assert_eq!(l.send_back_due(cal(), d(2021, 9, 30)).unwrap(), d(2021, 10, 15));
    }

    #[test]
    fn past_the_calendar_is_refused_not_guessed() {
        assert!(Limits::default().reply_due(cal(), d(2026, 11, 30), false).is_err());
    }
}
