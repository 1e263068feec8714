//! The periods of the 行政处罚 procedure (《中华人民共和国行政处罚法》, revised 2021-01-22, in force
//! 2021-07-15), each computed from its starting date on the work calendar.
//!
//! 第八十五条: only the 二日、三日、五日、七日 periods of the law are working days (工作日); every
//! other period (the 15-day payment, the 90-day decision, the 2- and 5-year limitation) is in
//! natural days. Neither kind counts its first day (民法典 第二百零一条), and a natural-day period
//! whose last day is a day off ends on the next working day (民法典 第二百零三条), through
//! [`WorkCalendar::add_days`].

use chrono::NaiveDate;

use crate::calendar::{months_end, CalendarError, WorkCalendar};

/// 第三十六条: the limitation, in months (two years).
pub const LIMITATION_MONTHS: u32 = 24;
/// 第三十六条: five years where the act harmed life, health or financial safety.
pub const LIMITATION_HARMFUL_MONTHS: u32 = 60;
/// 第五十六条: a decision on evidence registered and preserved (先行登记保存), working days.
pub const PRESERVATION_DECISION_WORKDAYS: u32 = 7;
/// 第六十四条第一项: the party asks for a hearing within 5 working days of the notice.
pub const HEARING_REQUEST_WORKDAYS: u32 = 5;
/// 第六十四条第二项: the time and place of the hearing are notified 7 working days before it.
pub const HEARING_NOTICE_WORKDAYS: u32 = 7;
/// 第六十条: the decision within 90 days of 立案 (natural days).
pub const DECISION_DAYS: u32 = 90;
/// 第六十一条: a decision not delivered on the spot is served within 7 working days.
pub const SERVICE_WORKDAYS: u32 = 7;
/// 第六十七条第三款: the fine is paid within 15 days of receiving the decision (natural days).
pub const PAYMENT_DAYS: u32 = 15;
/// 第七十二条第一项: the surcharge per day late, in per cent of the fine; capped at the fine.
pub const SURCHARGE_PERCENT_PER_DAY: i64 = 3;
/// 第四十八条 and 国办发〔2018〕118号: a 行政处罚 decision is published within 7 working days
/// (the "双公示" credit rule is also 7 working days).
pub const PUBLICATION_WORKDAYS: u32 = 7;
/// 第四十八条第二款: a published decision that is changed, revoked, found unlawful or void is
/// withdrawn within 3 working days (三日, working days by 第八十五条).
pub const WITHDRAWAL_WORKDAYS: u32 = 3;
/// How long a published decision stays up: the law sets no period; this is the bureau's rule,
/// after a common local rule (five years for an organization, two for a natural person).
pub const PUBLICATION_MONTHS_ORGANIZATION: u32 = 60;
pub const PUBLICATION_MONTHS_PERSON: u32 = 24;

/// 第三十六条第一款: the last day on which an act that ended on `act_ended_on` can still be
/// discovered (a continuing act counts from its end, 第三十六条第二款). Limitation is a bar on
/// discovery, not a period for a party to act in, so it is not moved off a day off.
pub fn limitation_end(act_ended_on: NaiveDate, harmful: bool) -> Option<NaiveDate> {
    months_end(act_ended_on, if harmful { LIMITATION_HARMFUL_MONTHS } else { LIMITATION_MONTHS })
}

/// Whether an act discovered on `discovered_on` may still be punished (第三十六条).
pub fn within_limitation(act_ended_on: NaiveDate, discovered_on: NaiveDate, harmful: bool) -> bool {
    limitation_end(act_ended_on, harmful).is_some_and(|end| discovered_on <= end)
}

/// 第五十六条: the last day to decide on evidence preserved on `preserved_on`.
pub fn preservation_decision_due(cal: &WorkCalendar, preserved_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_workdays(preserved_on, PRESERVATION_DECISION_WORKDAYS)
}

/// 第六十四条第一项: the last day for the party to ask for a hearing after the notice of `notified_on`.
pub fn hearing_request_due(cal: &WorkCalendar, notified_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_workdays(notified_on, HEARING_REQUEST_WORKDAYS)
}

/// 第六十四条第二项: whether a notice given on `notice_on` reaches 7 working days before a hearing
/// held on `hearing_on` (the hearing on or after the 7th working day after the notice day).
pub fn hearing_notice_in_time(
    cal: &WorkCalendar,
    notice_on: NaiveDate,
    hearing_on: NaiveDate,
) -> Result<bool, CalendarError> {
    Ok(cal.add_workdays(notice_on, HEARING_NOTICE_WORKDAYS)? <= hearing_on)
}

/// 第六十条: the last day of the decision, `extension_days` added where a law, regulation or
/// rule allows an extension and it was approved.
pub fn decision_due(cal: &WorkCalendar, filed_on: NaiveDate, extension_days: u32) -> Result<NaiveDate, CalendarError> {
    cal.add_days(filed_on, DECISION_DAYS + extension_days)
}

/// 第六十一条: the last day to serve a decision made on `decided_on`.
pub fn service_due(cal: &WorkCalendar, decided_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_workdays(decided_on, SERVICE_WORKDAYS)
}

/// 第六十七条第三款: the last day to pay, for a decision received on `served_on`.
pub fn payment_due(cal: &WorkCalendar, served_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_days(served_on, PAYMENT_DAYS)
}

/// 第七十二条第一项: the surcharge (加处罚款) on a fine of `fine_fen` paid on (or still unpaid on)
/// `paid_on` when it was due on `due`: 3% of the fine for each day after the due day, never more
/// than the fine itself; in fen, rounded down.
pub fn surcharge_fen(fine_fen: i64, due: NaiveDate, paid_on: NaiveDate) -> i64 {
    if fine_fen <= 0 || paid_on <= due {
        return 0;
    }
    let days_late = (paid_on - due).num_days();
    let raw = fine_fen.saturating_mul(SURCHARGE_PERCENT_PER_DAY).saturating_mul(days_late) / 100;
    raw.min(fine_fen)
}

/// 第四十八条 and 118号: the last day to publish a decision made on `decided_on`.
pub fn publication_due(cal: &WorkCalendar, decided_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_workdays(decided_on, PUBLICATION_WORKDAYS)
}

/// 第四十八条第二款: the last day to withdraw a published decision changed or revoked on `changed_on`.
pub fn withdrawal_due(cal: &WorkCalendar, changed_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_workdays(changed_on, WITHDRAWAL_WORKDAYS)
}

/// The last day a decision published on `published_on` stays on the public page (the bureau's
/// rule, see [`PUBLICATION_MONTHS_ORGANIZATION`]).
pub fn publication_ends(published_on: NaiveDate, party_is_person: bool) -> Option<NaiveDate> {
    months_end(published_on, if party_is_person { PUBLICATION_MONTHS_PERSON } else { PUBLICATION_MONTHS_ORGANIZATION })
}

/// 第五十一条: the summary procedure (简易程序) may impose a warning, or a fine of at most 200 元
/// on a citizen or 3000 元 on a legal person or other organization, on clear facts and a legal
/// basis; in fen.
pub fn summary_fine_limit_fen(party_is_person: bool) -> i64 {
    if party_is_person {
        200 * 100
    } else {
        3000 * 100
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

    #[test]
    fn limitation_two_years_five_where_harmful_leap_day() {
        assert_eq!(limitation_end(d(2021, 3, 10), false), Some(d(2023, 3, 10)));
        assert!(within_limitation(d(2021, 3, 10), d(2023, 3, 10), false));
        assert!(!within_limitation(d(2021, 3, 10), d(2023, 3, 11), false));
        assert!(within_limitation(d(2021, 3, 10), d(2023, 3, 11), true));
        assert_eq!(limitation_end(d(2021, 3, 10), true), Some(d(2026, 3, 10)));
        // An act that ended on a leap day: two years later there is no 29 February.
        assert_eq!(limitation_end(d(2020, 2, 29), false), Some(d(2022, 2, 28)));
        assert!(!within_limitation(d(2020, 2, 29), d(2022, 3, 1), false));
    }

    #[test]
    fn decision_within_ninety_natural_days_across_spring_festival() {
        // 立案 2020-12-20: 90 natural days end on 2021-03-20, a Saturday, so the period ends on
        // Monday 22 March (民法典 第二百零三条); 春节 2021-02-11..17 is counted like any day.
        assert_eq!(decision_due(cal(), d(2020, 12, 20), 0).unwrap(), d(2021, 3, 22));
        // 立案 2020-11-14: day 90 is 2021-02-12, inside 春节; the period ends on the first
        // working day after the holiday, 2021-02-18.
        assert_eq!(decision_due(cal(), d(2020, 11, 14), 0).unwrap(), d(2021, 2, 18));
        // Day 90 on 2021-02-07, a 调休 working Sunday: the period ends that day.
        assert_eq!(decision_due(cal(), d(2020, 11, 9), 0).unwrap(), d(2021, 2, 7));
        // An approved extension of 30 days.
        assert_eq!(decision_due(cal(), d(2020, 12, 20), 30).unwrap(), d(2021, 4, 19));
    }

    #[test]
    fn publication_seven_workdays_across_national_day_and_a_working_saturday() {
        // Decided Thursday 2021-09-23: 24 (Fri), 26 (调休 Sunday), 27, 28, 29, 30, then 国庆
        // 10-01..07 is off, 10-08 (Fri) is the 7th working day.
        assert_eq!(publication_due(cal(), d(2021, 9, 23)).unwrap(), d(2021, 10, 8));
        // Decided 2021-09-30: 10-08 (Fri), 10-09 (调休 Saturday), 11, 12, 13, 14, 15.
        assert_eq!(publication_due(cal(), d(2021, 9, 30)).unwrap(), d(2021, 10, 15));
        // Decided on 2021-09-17 (Fri): 09-18 is a 调休 working Saturday (the first), 19–21 中秋
        // off, then 22, 23, 24, 26 (调休 Sunday), 27, 28.
        assert_eq!(publication_due(cal(), d(2021, 9, 17)).unwrap(), d(2021, 9, 28));
    }

    #[test]
    fn working_day_periods_of_the_procedure() {
        // 第五十六条: preserved Friday 2021-02-05 → 7, 8, 9, 10, then 春节, 18, 19, 20 (调休 Saturday).
        assert_eq!(preservation_decision_due(cal(), d(2021, 2, 5)).unwrap(), d(2021, 2, 20));
        // 第六十四条: notified 2021-09-29 → 30, 10-08, 10-09, 10-11, 10-12.
        assert_eq!(hearing_request_due(cal(), d(2021, 9, 29)).unwrap(), d(2021, 10, 12));
        // 第六十一条: decided 2021-04-30 → 05-06, 07, 08 (调休 Saturday), 10, 11, 12, 13.
        assert_eq!(service_due(cal(), d(2021, 4, 30)).unwrap(), d(2021, 5, 13));
        // 第四十八条: revoked Thursday 2021-12-30 → 12-31, 2022-01-04, 01-05.
        assert_eq!(withdrawal_due(cal(), d(2021, 12, 30)).unwrap(), d(2022, 1, 5));
    }

    #[test]
    fn hearing_notice_seven_working_days_before() {
        // Notice 2021-09-27 (Mon): 28, 29, 30, 10-08, 09 (调休 Saturday), 11, 12 are the seven.
        assert!(hearing_notice_in_time(cal(), d(2021, 9, 27), d(2021, 10, 12)).unwrap());
        assert!(!hearing_notice_in_time(cal(), d(2021, 9, 27), d(2021, 10, 11)).unwrap());
        assert!(!hearing_notice_in_time(cal(), d(2021, 9, 27), d(2021, 10, 5)).unwrap());
    }

    #[test]
    fn payment_fifteen_natural_days_and_surcharge_capped() {
        // Served 2021-09-20 (中秋): day 15 is 10-05, in 国庆; payment is due by 10-08.
        assert_eq!(payment_due(cal(), d(2021, 9, 20)).unwrap(), d(2021, 10, 8));
        let due = d(2021, 10, 8);
        assert_eq!(surcharge_fen(1000 * 100, due, due), 0);
        assert_eq!(surcharge_fen(1000 * 100, due, d(2021, 10, 9)), 30 * 100);
        assert_eq!(surcharge_fen(1000 * 100, due, d(2021, 10, 18)), 300 * 100);
        // 33 days late is 99%; 34 days would be 102%: capped at the fine.
        assert_eq!(surcharge_fen(1000 * 100, due, d(2021, 11, 10)), 990 * 100);
        assert_eq!(surcharge_fen(1000 * 100, due, d(2021, 11, 11)), 1000 * 100);
        assert_eq!(surcharge_fen(333, due, d(2021, 10, 9)), 9);
        assert_eq!(surcharge_fen(0, due, d(2021, 11, 10)), 0);
    }

    #[test]
    fn summary_limits_and_publication_period() {
        assert_eq!(summary_fine_limit_fen(true), 20_000);
        assert_eq!(summary_fine_limit_fen(false), 300_000);
        assert_eq!(publication_ends(d(2021, 10, 8), true), Some(d(2023, 10, 8)));
        assert_eq!(publication_ends(d(2021, 10, 8), false), Some(d(2026, 10, 8)));
    }
}
