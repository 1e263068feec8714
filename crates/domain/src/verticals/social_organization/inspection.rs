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
//! Who takes part ([`takes_part`]): an organization registered before the campaign's year; a
//! 民办非企业单位 only once more than six months have passed from its registration by 31 December
//! of the year before (《民办非企业单位年度检查办法》, 民政部令第27号, 第三条第二款).
//!
//! Sichuan (《四川省社会组织年度报告及年度检查暂行办法》, as the province's campaign notices apply
//! it, e.g. 攀枝花市民政局's for 2023 and 2024): an organization registered or recognized as a
//! 慈善组织 files a 年度报告 instead of taking the 年检 ([`regime`]; 《中华人民共和国慈善法》第十三条
//! is the charity's duty to report) [the 办法's own text and its date of effect were not seen]. The
//! register does not record 慈善组织 status yet, so every organization is under the 年检 today.

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

/// The regime of an organization in Sichuan: a 慈善组织 reports (年度报告), the others are
/// inspected (see the module's doc).
pub fn regime(charity: bool) -> Regime {
    if charity {
        Regime::AnnualReport
    } else {
        Regime::Inspection
    }
}

/// Does an organization of `org_type` registered on `registered_on` take part in the campaign of
/// `year`? It was registered before the year; a 民办非企业单位, more than six months before 31
/// December of the year before (民政部令第27号第三条第二款: one registered not more than six months
/// by then does not take part). Six months end on the corresponding day (民法典第二百零二条), so
/// one registered on 30 June takes part and one registered on 1 July does not.
pub fn takes_part(org_type: OrgType, registered_on: NaiveDate, year: i32) -> bool {
    let Some(year_end) = NaiveDate::from_ymd_opt(year - 1, 12, 31) else { return false };
    if registered_on > year_end {
        return false;
    }
    match org_type {
        OrgType::PrivateNonEnterprise => months_end(registered_on, 6).is_some_and(|end| end < year_end),
        OrgType::SocialGroup | OrgType::Foundation => true,
    }
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
    fn who_takes_part() {
        let pne = OrgType::PrivateNonEnterprise;
        assert!(takes_part(pne, d(2020, 6, 30), 2021), "six months ended on 12-30");
        assert!(!takes_part(pne, d(2020, 7, 1), 2021), "exactly six months on 12-31: not more");
        assert!(takes_part(pne, d(2020, 7, 1), 2022));
        // A leap year makes no difference to the day: 2019-06-30 takes part in 2020.
        assert!(takes_part(pne, d(2019, 6, 30), 2020));
        assert!(takes_part(OrgType::SocialGroup, d(2020, 12, 31), 2021));
        assert!(!takes_part(OrgType::SocialGroup, d(2021, 1, 1), 2021));
        assert!(!takes_part(OrgType::Foundation, d(2021, 3, 1), 2021));
    }

    #[test]
    fn a_charity_reports_instead() {
        assert_eq!(regime(true), Regime::AnnualReport);
        assert_eq!(regime(false), Regime::Inspection);
        for r in InspectionResult::ALL {
            assert_eq!(InspectionResult::parse(r.as_str()), Some(r));
        }
    }
}
