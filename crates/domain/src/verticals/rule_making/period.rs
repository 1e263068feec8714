//! The public comment period (公开征求意见期限), shared by a major decision and a normative
//! document affecting business activity.
//!
//! - 重大行政决策程序暂行条例第十五条第二款: 公开征求意见的期限一般不少于30日; 因情况紧急等原因
//!   需要缩短期限的, 公开征求意见时应当予以说明.
//! - 优化营商环境条例第六十二条: 制定与市场主体生产经营活动密切相关的行政规范性文件, 应当
//!   充分听取市场主体、行业协会商会的意见; 除依法需要保密外, 应当通过报纸、网络等向社会公开
//!   征求意见, 并建立健全意见采纳情况反馈机制. 向社会公开征求意见的期限一般不少于30日.
//!
//! A period of 日 does not count its first day (民法典第二百零一条) and, when its last day is
//! a day off, ends on the next working day (第二百零三条): [`WorkCalendar::add_days`]. The
//! announced end must be no earlier than that day, or the announcement carries its reason.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::problem::FieldError;

/// 重大行政决策程序暂行条例第十五条; 优化营商环境条例第六十二条: 一般不少于30日.
pub const COMMENT_DAYS: u32 = 30;

/// The earliest lawful last day of a comment period opened on `opened_on` (30 日, 民法典第二百零
/// 一条、第二百零三条).
pub fn comment_min_end(calendar: &WorkCalendar, opened_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    calendar.add_days(opened_on, COMMENT_DAYS)
}

/// Checks an announced comment period: it ends after it opens, and it lasts at least 30 日
/// unless `shortened_reason` explains why it is shorter. `basis` names the article the refusal
/// cites (the decision's 第十五条, or the document's 第六十二条).
pub fn check_comment_period(
    calendar: &WorkCalendar,
    opened_on: NaiveDate,
    until: NaiveDate,
    shortened_reason: &str,
    basis: &str,
) -> Result<(), FieldError> {
    if until <= opened_on {
        return Err(FieldError::new("comment_until", "comment_until_order", "征求意见截止日期应晚于开始日期"));
    }
    let min_end =
        comment_min_end(calendar, opened_on).map_err(|e| FieldError::new("comment_until", e.code(), e.to_string()))?;
    if until < min_end && shortened_reason.trim().is_empty() {
        return Err(FieldError::new(
            "comment_short_reason",
            "comment_period_short",
            format!(
                "公开征求意见的期限一般不少于30日（自{opened_on}起应至少到{min_end}）；缩短期限的，应当在征求意见时说明理由（{basis}）"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const BASIS: &str = "《重大行政决策程序暂行条例》第十五条";

    #[test]
    fn thirty_days_do_not_count_the_first_and_end_on_a_working_day() {
        let cal = WorkCalendar::builtin();
        // 2021-03-01 + 30 = 2021-03-31, a Wednesday.
        assert_eq!(comment_min_end(cal, d("2021-03-01")).unwrap(), d("2021-03-31"));
        // 2021-09-01 + 30 = 2021-10-01, 国庆: the period ends on the first working day after,
        // 2021-10-08 (a Friday; 2021-10-09 is a working Saturday but comes later).
        assert_eq!(comment_min_end(cal, d("2021-09-01")).unwrap(), d("2021-10-08"));
        // 2021-01-12 + 30 = 2021-02-11, 春节 (02-11..17): ends 2021-02-18.
        assert_eq!(comment_min_end(cal, d("2021-01-12")).unwrap(), d("2021-02-18"));
        // 2021-08-19 + 30 = 2021-09-18, a 调休 working Saturday: the period ends that day.
        assert_eq!(comment_min_end(cal, d("2021-08-19")).unwrap(), d("2021-09-18"));
        // Across a leap day: 2020-02-01 + 30 = 2020-03-02 (February 2020 has 29 days).
        assert_eq!(comment_min_end(cal, d("2020-02-01")).unwrap(), d("2020-03-02"));
    }

    #[test]
    fn a_short_period_needs_its_reason() {
        let cal = WorkCalendar::builtin();
        // Ending the day the period would lawfully end is enough.
        assert!(check_comment_period(cal, d("2021-09-01"), d("2021-10-08"), "", BASIS).is_ok());
        // One day earlier (the last holiday) is short.
        let err = check_comment_period(cal, d("2021-09-01"), d("2021-10-07"), "", BASIS).unwrap_err();
        assert_eq!(err.code, "comment_period_short");
        assert!(err.message.contains("第十五条"), "{}", err.message);
        assert!(err.message.contains("2021-10-08"), "{}", err.message);
        // With its reason a shorter period is lawful (第十五条: 因情况紧急等原因).
        assert!(check_comment_period(cal, d("2021-09-01"), d("2021-09-10"), "防汛救灾，情况紧急", BASIS).is_ok());
        // A blank reason is no reason.
        assert!(check_comment_period(cal, d("2021-09-01"), d("2021-09-10"), "  ", BASIS).is_err());
        // The end must come after the opening.
        let err = check_comment_period(cal, d("2021-09-01"), d("2021-09-01"), "紧急", BASIS).unwrap_err();
        assert_eq!(err.code, "comment_until_order");
    }
}
