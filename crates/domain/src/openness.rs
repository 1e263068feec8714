//! 政务公开 (主动公开) of the bureau, whatever area the information comes from:
//! 《中华人民共和国政府信息公开条例》(国务院令第711号, revised, in force 2019-05-15)
//! 第十九条、第二十条 list what an organ publishes of its own motion (its 规范性文件, the
//! items it handles with their basis, conditions, procedure and results, its 行政处罚 …), and
//! 第二十六条 sets the limit: 属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内
//! 及时公开. Working days are the official calendar's (调休 days count, the day formed does not).
//!
//! The areas say what they publish (each one's arm in the service's `verticals/mod.rs`); this
//! module only rules the limit and where a piece stands.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};

/// 第二十六条: 20 个工作日.
pub const PROACTIVE_WORKDAYS: u32 = 20;

/// The legal source of the limit, as the pages cite it.
pub const PROACTIVE_BASIS: &str = "《中华人民共和国政府信息公开条例》第二十六条";

/// The last day to publish information formed (or changed) on `formed` (第二十六条).
pub fn proactive_due(calendar: &WorkCalendar, formed: NaiveDate) -> Result<NaiveDate, CalendarError> {
    calendar.add_workdays(formed, PROACTIVE_WORKDAYS)
}

/// Where one piece of information stands on `today`: published on time, published late, or
/// not yet published (overdue once `today` is past its due day; the due day itself is on time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishState {
    OnTime,
    Late,
    Pending { overdue: bool },
}

impl PublishState {
    pub fn of(due: NaiveDate, published: Option<NaiveDate>, today: NaiveDate) -> PublishState {
        match published {
            Some(p) if p <= due => PublishState::OnTime,
            Some(_) => PublishState::Late,
            None => PublishState::Pending { overdue: today > due },
        }
    }

    /// Published after its limit, or still unpublished past it: what staff must see flagged.
    pub fn is_late(self) -> bool {
        matches!(self, PublishState::Late | PublishState::Pending { overdue: true })
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PublishState::OnTime => "按时公开",
            PublishState::Late => "超过20个工作日公开",
            PublishState::Pending { overdue: false } => "待公开",
            PublishState::Pending { overdue: true } => "逾期未公开",
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
        // Formed on the 调休 Saturday 9 October itself: counted from the next day.
        assert_eq!(proactive_due(cal, d("2021-10-09")).unwrap(), d("2021-11-05"));
        // An ordinary month, across the 端午 Monday 14 June.
        assert_eq!(proactive_due(cal, d("2021-06-07")).unwrap(), d("2021-07-06"));
    }

    #[test]
    fn a_year_outside_the_calendar_is_refused_not_guessed() {
        assert!(proactive_due(WorkCalendar::builtin(), d("1990-01-02")).is_err());
    }

    #[test]
    fn the_last_day_is_still_on_time() {
        let due = d("2021-10-27");
        assert_eq!(PublishState::of(due, Some(due), due), PublishState::OnTime);
        assert_eq!(PublishState::of(due, Some(d("2021-10-28")), d("2021-11-01")), PublishState::Late);
        assert_eq!(PublishState::of(due, None, due), PublishState::Pending { overdue: false });
        assert_eq!(PublishState::of(due, None, d("2021-10-28")), PublishState::Pending { overdue: true });
        assert!(PublishState::Late.is_late());
        assert!(!PublishState::Pending { overdue: false }.is_late());
        assert!(!PublishState::OnTime.is_late());
    }
}
