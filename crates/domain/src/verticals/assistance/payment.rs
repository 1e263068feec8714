//! The months a benefit is paid from and to.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::program::Program;
use crate::idcard::age_on;

/// A calendar month (Asia/Shanghai), the unit of a payment roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth { year: date.year(), month: date.month() }
    }

    /// "2021-07".
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        YearMonth::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth { year: self.year + 1, month: 1 }
        } else {
            YearMonth { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> YearMonth {
        if self.month == 1 {
            YearMonth { year: self.year - 1, month: 12 }
        } else {
            YearMonth { year: self.year, month: self.month - 1 }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn label_zh(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The first month paid.
///
/// - 低保: from the month after the confirmation decision (社会救助暂行办法; 民发〔2021〕57号 step 6, 最低生活保障审核确认办法).
/// - 特困: from the month after confirmation (社会救助暂行办法; 民发〔2021〕57号, local implementations of 民发〔2021〕43号).
/// - 孤儿 / 事实无人抚养儿童: from the month after confirmation (民发〔2019〕62号, 民发〔2020〕125号).
/// - 两项补贴: from the month the application was submitted when applied for under 跨省通办
///   (国办发〔2020〕35号; 国发〔2015〕52号 [C-web]); many local rules say 次月 otherwise, which this platform applies to a
///   local application [local, configurable by changing this rule].
/// - 临时救助: paid once, in the month after the decision [unconfirmed: local practice].
pub fn first_paid_month(
    program: Program,
    applied_on: NaiveDate,
    decided_on: NaiveDate,
    cross_region: bool,
) -> YearMonth {
    match program {
        Program::DisabilityLiving | Program::DisabilityCare if cross_region => YearMonth::of(applied_on),
        _ => YearMonth::of(decided_on).next(),
    }
}

/// The 18th birthday by the civil rule (民法典第二百零二条: 29 February → 28 February in a common
/// year), found with the same [`age_on`] the ID rules use.
pub fn adult_birthday(birth: NaiveDate, adult_age: u32) -> NaiveDate {
    let year = birth.year() + i32::try_from(adult_age).unwrap_or(18);
    let candidate = NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, birth.month(), 28))
        .unwrap_or(birth);
    // The day age_on first reports the adult age: never later than the candidate.
    let mut day = candidate;
    while let Some(prev) = day.pred_opt() {
        if age_on(birth, prev) >= adult_age {
            day = prev;
        } else {
            break;
        }
    }
    day
}

/// The last month a child's allowance is paid: the month of the 18th birthday; stopping "from the
/// month after the qualifying situation ends" (民发〔2019〕62号, 民发〔2020〕125号 Termination [local]). The study extension
/// some provinces grant is not applied [unconfirmed nationally].
pub fn last_paid_month_for_child(birth: NaiveDate, adult_age: u32) -> YearMonth {
    YearMonth::of(adult_birthday(birth, adult_age))
}

/// The last month paid after a death: the month of death; stopped from the following month
/// (社会救助暂行办法第十三条: 停发; the month is [unconfirmed], common local practice).
pub fn last_paid_month_after_death(died_on: NaiveDate) -> YearMonth {
    YearMonth::of(died_on)
}

/// The last month paid when a re-check decides to stop (income above the line, 社会救助暂行办法第十三条):
/// the month of the stop decision; the 渐退期 some places allow is not applied [unconfirmed].
pub fn last_paid_month_after_stop(decided_on: NaiveDate) -> YearMonth {
    YearMonth::of(decided_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn months_parse_and_step_over_the_year() {
        assert_eq!(YearMonth::parse("2021-12"), Some(ym(2021, 12)));
        assert_eq!(ym(2021, 12).next(), ym(2022, 1));
        assert_eq!(ym(2022, 1).prev(), ym(2021, 12));
        for bad in ["2021-13", "2021-00", "21-01", "2021-1", "2021/01", ""] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
        assert_eq!(ym(2021, 7).to_string(), "2021-07");
    }

    #[test]
    fn minimum_living_starts_the_month_after_confirmation() {
        let m = first_paid_month(Program::MinimumLiving, date(2021, 5, 20), date(2021, 6, 30), false);
        assert_eq!(m, ym(2021, 7));
        // Confirmed on 31 December: paid from January.
        assert_eq!(
            first_paid_month(Program::ExtremePoverty, date(2021, 12, 1), date(2021, 12, 31), false),
            ym(2022, 1)
        );
    }

    #[test]
    fn the_subsidies_under_cross_region_start_the_month_of_application() {
        let m = first_paid_month(Program::DisabilityCare, date(2021, 4, 30), date(2021, 5, 20), true);
        assert_eq!(m, ym(2021, 4));
        let local = first_paid_month(Program::DisabilityCare, date(2021, 4, 30), date(2021, 5, 20), false);
        assert_eq!(local, ym(2021, 6));
    }

    #[test]
    fn a_child_is_paid_through_the_month_of_the_18th_birthday() {
        assert_eq!(adult_birthday(date(2003, 9, 15), 18), date(2021, 9, 15));
        assert_eq!(last_paid_month_for_child(date(2003, 9, 15), 18), ym(2021, 9));
        // Born on the first: the birthday month is still paid, the next is not.
        assert_eq!(last_paid_month_for_child(date(2003, 10, 1), 18), ym(2021, 10));
        assert_eq!(last_paid_month_for_child(date(2003, 12, 31), 18), ym(2021, 12));
    }

    #[test]
    fn a_29_february_birthday_becomes_adult_on_28_february() {
        // 民法典第二百零二条: no 29 February in 2022 → 28 February.
        assert_eq!(adult_birthday(date(2004, 2, 29), 18), date(2022, 2, 28));
        assert_eq!(age_on(date(2004, 2, 29), date(2022, 2, 27)), 17);
        assert_eq!(last_paid_month_for_child(date(2004, 2, 29), 18), ym(2022, 2));
        // In a leap target year the day exists.
        assert_eq!(adult_birthday(date(2002, 2, 28), 18), date(2020, 2, 28));
        assert_eq!(adult_birthday(date(2000, 2, 29), 20), date(2020, 2, 29));
    }

    #[test]
    fn death_and_stop_end_with_their_month() {
        assert_eq!(last_paid_month_after_death(date(2021, 8, 31)), ym(2021, 8));
        assert_eq!(last_paid_month_after_stop(date(2021, 9, 1)), ym(2021, 9));
    }
}
