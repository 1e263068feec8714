//! 主动公开 of the organ's rule-making: what 政府信息公开条例 (国务院令第711号, as revised in
//! force 2019-05-15) 第二十条 lists for proactive disclosure — 第（一）项 its 规范性文件, and
//! 重大行政决策 as published under 重大行政决策程序暂行条例第三十二条 — with the limit of
//! 第二十六条: 属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时
//! 公开. A decision's information is formed on the day of the discussion that adopted it.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};

/// 第二十六条: 20 个工作日.
pub const PROACTIVE_WORKDAYS: u32 = 20;

/// The last day to publish information formed on `formed` (第二十六条), counted on the calendar.
pub fn proactive_due(calendar: &WorkCalendar, formed: NaiveDate) -> Result<NaiveDate, CalendarError> {
    calendar.add_workdays(formed, PROACTIVE_WORKDAYS)
}

/// Where one piece of information stands on `today`: published on time, published late, or
/// not yet published (and overdue once `today` is past its due day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    OnTime,
    Late,
    Pending { overdue: bool },
}

impl Disclosure {
    pub fn of(due: NaiveDate, published: Option<NaiveDate>, today: NaiveDate) -> Disclosure {
        match published {
            Some(p) if p <= due => Disclosure::OnTime,
            Some(_) => Disclosure::Late,
            None => Disclosure::Pending { overdue: today > due },
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Disclosure::OnTime => "按时公开",
            Disclosure::Late => "超过20个工作日公开",
            Disclosure::Pending { overdue: false } => "待公开",
            Disclosure::Pending { overdue: true } => "逾期未公开",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twenty_working_days_across_national_day_with_its_saturday() {
        let cal = WorkCalendar::builtin();
        // Formed Friday 24 September 2021: 26 September (Sunday) and 9 October (Saturday) are
        // 调休 working days, 1–7 October are not.
        assert_eq!(proactive_due(cal, d("2021-09-24")).unwrap(), d("2021-10-27"));
        // An ordinary month: from Monday 7 June (after the 端午 Monday 14 June).
        assert_eq!(proactive_due(cal, d("2021-06-07")).unwrap(), d("2021-07-06"));
    }

    #[test]
    fn the_last_day_is_still_on_time() {
        let due = d("2021-10-27");
        assert_eq!(Disclosure::of(due, Some(due), due), Disclosure::OnTime);
        assert_eq!(Disclosure::of(due, Some(d("2021-10-28")), d("2021-11-01")), Disclosure::Late);
        assert_eq!(Disclosure::of(due, None, due), Disclosure::Pending { overdue: false });
        assert_eq!(Disclosure::of(due, None, d("2021-10-28")), Disclosure::Pending { overdue: true });
    }
}
