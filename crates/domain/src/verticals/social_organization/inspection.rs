//! The annual inspection (年度检查): 《社会团体登记管理条例》第二十八条 and 《民办非企业单位登记
//! 管理暂行条例》第二十三条: each year the organization reports on the year before to its 业务主管
//! 单位 by 31 March, and, after the sponsor's first review, to the registration authority by 31
//! May. A direct-registration organization has no sponsor and reports to the authority only.
//! The results are 合格, 基本合格, 不合格 (民政部《社会团体年度检查办法》, 民政部令第29号, and
//! 《民办非企业单位年度检查办法》, 民政部令第27号) [the orders' article numbers were not checked].
//!
//! A date "by 31 March" that falls on a day off is read, as the last day of a period, as moving
//! to the next working day (民法典第二百零三条 by analogy) [interpretation]: an organization is
//! never listed as late on a day the offices were closed.
//!
//! Where a province replaced the inspection by an annual report (年报), the regime is per type
//! and year in [`REGIME_CHANGES`]: none is recorded, as Sichuan's rule was not confirmed.

use chrono::NaiveDate;

use super::kind::OrgType;
use crate::calendar::{months_end, CalendarError, WorkCalendar};

/// How an organization accounts for its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    /// 年度检查 (the 条例's text).
    Inspection,
    /// 年度报告 (a provincial reform).
    AnnualReport,
}

/// `(type, first year, regime)`: from that campaign year on, the type is under that regime. Empty
/// while the provincial rule is not confirmed (see the module's doc).
pub const REGIME_CHANGES: &[(OrgType, i32, Regime)] = &[];

/// The regime of `org_type` for the campaign of `year`.
pub fn regime(org_type: OrgType, year: i32) -> Regime {
    REGIME_CHANGES
        .iter()
        .filter(|(t, from, _)| *t == org_type && *from <= year)
        .max_by_key(|(_, from, _)| *from)
        .map_or(Regime::Inspection, |(_, _, r)| *r)
}

/// The result of an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InspectionResult {
    Pass,
    BasicPass,
    Fail,
}

impl InspectionResult {
    pub const ALL: [InspectionResult; 3] =
        [InspectionResult::Pass, InspectionResult::BasicPass, InspectionResult::Fail];

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionResult::Pass => "pass",
            InspectionResult::BasicPass => "basic_pass",
            InspectionResult::Fail => "fail",
        }
    }

    pub fn parse(s: &str) -> Option<InspectionResult> {
        InspectionResult::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            InspectionResult::Pass => "合格",
            InspectionResult::BasicPass => "基本合格",
            InspectionResult::Fail => "不合格",
        }
    }
}

/// The last day to report to the sponsor in the campaign of `year`: 31 March, moved off a day off.
pub fn sponsor_deadline(cal: &WorkCalendar, year: i32) -> Result<NaiveDate, CalendarError> {
    let day = NaiveDate::from_ymd_opt(year, 3, 31).ok_or(CalendarError::OutOfRange)?;
    cal.add_days(day, 0)
}

/// The last day to report to the registration authority in the campaign of `year`: 31 May, moved
/// off a day off.
pub fn authority_deadline(cal: &WorkCalendar, year: i32) -> Result<NaiveDate, CalendarError> {
    let day = NaiveDate::from_ymd_opt(year, 5, 31).ok_or(CalendarError::OutOfRange)?;
    cal.add_days(day, 0)
}

/// Where an organization stands in a campaign on a day, derived from its reports' dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Reported to the authority in time.
    Reported,
    /// Reported to the authority after 31 May.
    ReportedLate,
    /// Not reported, and the authority's date has not passed.
    Pending,
    /// Not reported, and the authority's date has passed: listed (the enforcement issue may open
    /// a case on it).
    NotReported,
}

impl Standing {
    pub fn name_zh(self) -> &'static str {
        match self {
            Standing::Reported => "已报送",
            Standing::ReportedLate => "逾期报送",
            Standing::Pending => "未到截止日",
            Standing::NotReported => "逾期未报送",
        }
    }
}

/// The standing in the campaign of `year` on `on`, from the day the report reached the authority.
pub fn standing(
    cal: &WorkCalendar,
    year: i32,
    reported_on: Option<NaiveDate>,
    on: NaiveDate,
) -> Result<Standing, CalendarError> {
    let deadline = authority_deadline(cal, year)?;
    Ok(match reported_on {
        Some(day) if day <= deadline => Standing::Reported,
        Some(_) => Standing::ReportedLate,
        None if on <= deadline => Standing::Pending,
        None => Standing::NotReported,
    })
}

/// 社团条例第二十九条第一款第二项 / 民非条例第二十四条: no activity for one year after the
/// certificate was issued. The year ends on the corresponding day of the next year (民法典第二百零
/// 一条、第二百零二条); flagged from the day after it when no activity is on record by then.
pub fn dormant(certified_on: NaiveDate, first_activity_on: Option<NaiveDate>, on: NaiveDate) -> bool {
    let Some(year_end) = months_end(certified_on, 12) else { return false };
    on > year_end && first_activity_on.is_none_or(|d| d > year_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_two_dates_move_off_days_off() {
        let cal = WorkCalendar::builtin();
        // 2021-03-31 is a Wednesday, 2021-05-31 a Monday.
        assert_eq!(sponsor_deadline(cal, 2021).unwrap(), d(2021, 3, 31));
        assert_eq!(authority_deadline(cal, 2021).unwrap(), d(2021, 5, 31));
        // 2024-03-31 is a Sunday: Monday 04-01. 2025-05-31 is a Saturday, in 端午 (05-31..06-02): 06-03.
        assert_eq!(sponsor_deadline(cal, 2024).unwrap(), d(2024, 4, 1));
        assert_eq!(authority_deadline(cal, 2025).unwrap(), d(2025, 6, 3));
    }

    #[test]
    fn standing_by_date() {
        let cal = WorkCalendar::builtin();
        let s = |reported, on| standing(cal, 2021, reported, on).unwrap();
        assert_eq!(s(Some(d(2021, 5, 31)), d(2021, 6, 30)), Standing::Reported, "the last day is in time");
        assert_eq!(s(Some(d(2021, 6, 1)), d(2021, 6, 30)), Standing::ReportedLate);
        assert_eq!(s(None, d(2021, 5, 31)), Standing::Pending);
        assert_eq!(s(None, d(2021, 6, 1)), Standing::NotReported);
    }

    #[test]
    fn a_year_without_activity() {
        let certified = d(2020, 2, 29);
        // Leap day: the year ends on 2021-02-28.
        assert!(!dormant(certified, None, d(2021, 2, 28)));
        assert!(dormant(certified, None, d(2021, 3, 1)));
        assert!(!dormant(certified, Some(d(2021, 2, 28)), d(2021, 6, 1)), "active on the last day");
        assert!(dormant(certified, Some(d(2021, 3, 1)), d(2021, 6, 1)), "active only after the year");
    }

    #[test]
    fn the_regime_defaults_to_inspection() {
        assert_eq!(regime(OrgType::SocialGroup, 2021), Regime::Inspection);
        for r in InspectionResult::ALL {
            assert_eq!(InspectionResult::parse(r.as_str()), Some(r));
        }
    }
}
