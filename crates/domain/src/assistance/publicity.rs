//! 公示: who is publicised in the village, and when the publicity ends.

use chrono::NaiveDate;

use super::program::Program;
use crate::calendar::{CalendarError, WorkCalendar};

/// The publicity period: 7 天 (natural days) in the village or community. 社会救助暂行办法第十一条第二项;
/// 最低生活保障审核确认办法 (民发〔2021〕57号) [article unconfirmed]; 社会救助暂行办法; 民发〔2021〕57号; 国发〔2015〕52号 (≥7 天 for the
/// subsidies [local]).
pub const PUBLICITY_DAYS: u32 = 7;

/// Must this case be publicised? 民发〔2019〕62号, 民发〔2020〕125号; 社会救助暂行办法; 民发〔2021〕57号 and rule 7 of its "ten rules":
/// - 事实无人抚养儿童: never (不设公示, to protect the child);
/// - 特困 of a minor, and any child's recognition: not publicised (minors are not publicised);
/// - 低保, 特困 (adults), 临时救助 and the two subsidies: publicised.
///
/// `minor_beneficiary`: the person the benefit is for is under 18 on the day publicity would start.
pub fn publicity_required(program: Program, minor_beneficiary: bool) -> bool {
    match program {
        Program::UnsupportedChild => false,
        Program::Orphan => false,
        Program::ExtremePoverty | Program::DisabilityLiving | Program::DisabilityCare => !minor_beneficiary,
        Program::MinimumLiving | Program::Temporary => true,
    }
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
        assert!(publicity_required(Program::MinimumLiving, true));
    }
}
