//! The official working-day calendar and deadline arithmetic (民法典第二百条至第二百零四条; 行政许可法第八十二条; 国务院办公厅 holiday notices).
//!
//! A 工作日 is Monday to Friday, minus the statutory holidays, plus the 调休 make-up Saturdays
//! and Sundays. Which days those are cannot be computed from the rules (全国年节及纪念日放假办法,
//! 2024-11-10 revision, Art. 6–7): the 国务院办公厅 fixes them each year in its 部分节假日安排的
//! 通知, so the calendar is data, loaded one complete year at a time. A year without data is an
//! error ([`CalendarError::NoData`]), never a guess; only
//! [`WorkCalendar::add_workdays_provisional`] guesses, and it says so.
//!
//! All dates are calendar dates in China Standard Time ([`shanghai_date`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, Utc, Weekday};

/// The built-in calendar, 2020-01-01 to 2026-12-31 (PyPI `chinesecalendar` 1.11.0, cross-checked
/// with npm `chinese-days` 1.5.7; provenance in `data/SOURCES.md`).
const BUILTIN_CSV: &str = include_str!("../data/cn-workdays-2020-2026.csv");

/// The version label of the built-in calendar.
pub const BUILTIN_VERSION: &str = "builtin-2020-2026";

/// The CSV header [`WorkCalendar::from_csv`] expects and [`WorkCalendar::to_csv`] writes.
pub const CSV_HEADER: &str = "date,is_workday,holiday_name,is_makeup_workday";

/// Errors from loading a calendar or from computing with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The calendar has no data for `year`: the 国务院办公厅 notice for that year has not been
    /// loaded (it is usually published in October–December of the year before).
    #[error("未载入 {year} 年的节假日安排，无法计算工作日")]
    NoData { year: i32 },
    /// The date arithmetic left the range of representable dates.
    #[error("日期超出可计算的范围")]
    OutOfRange,
    #[error("日历版本号不能为空")]
    EmptyVersion,
    #[error("节假日表的表头应为“{expected}”，实际为“{found}”", expected = CSV_HEADER)]
    Header { found: String },
    /// A malformed line (`line` counts from 1, the header being line 1).
    #[error("节假日表第{line}行有误：{reason}")]
    Parse { line: usize, reason: String },
    #[error("节假日表第{line}行：日期 {date} 重复")]
    DuplicateDate { line: usize, date: NaiveDate },
    /// A make-up working day (调休上班) that is not a Saturday or Sunday, or not a working day.
    #[error("节假日表第{line}行：{date} 标为调休上班日，但调休上班日必须是周六或周日，且是工作日")]
    InvalidMakeup { line: usize, date: NaiveDate },
    /// A year is present but not every day of it.
    #[error("节假日表中 {year} 年的数据不完整：缺少 {missing}")]
    IncompleteYear { year: i32, missing: NaiveDate },
}

impl CalendarError {
    /// A stable machine code for clients; never changes once published.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::NoData { .. } => "calendar_no_data",
            CalendarError::OutOfRange => "calendar_out_of_range",
            CalendarError::EmptyVersion => "calendar_empty_version",
            CalendarError::Header { .. } => "calendar_header",
            CalendarError::Parse { .. } => "calendar_parse",
            CalendarError::DuplicateDate { .. } => "calendar_duplicate_date",
            CalendarError::InvalidMakeup { .. } => "calendar_invalid_makeup",
            CalendarError::IncompleteYear { .. } => "calendar_incomplete_year",
        }
    }
}

/// What the calendar says about one date.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DayInfo {
    /// The official working-day status: `false` on weekends and statutory holidays, `true` on
    /// make-up Saturdays and Sundays.
    pub is_workday: bool,
    /// The statutory holiday period a day off belongs to (元旦, 春节, ...), weekend days inside
    /// the period included; `None` on every other day, make-up days included.
    pub holiday_name: Option<String>,
    /// A Saturday or Sunday that is a working day (调休上班).
    pub makeup: bool,
}

/// A versioned working-day calendar made of complete years.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WorkCalendar {
    version: String,
    days: BTreeMap<NaiveDate, DayInfo>,
    years: BTreeSet<i32>,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// True when `d` lies in one of the paused ranges (both ends inclusive). A range whose end is
/// before its start is empty.
fn in_paused(d: NaiveDate, paused: &[(NaiveDate, NaiveDate)]) -> bool {
    paused.iter().any(|&(from, to)| from <= d && d <= to)
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

impl WorkCalendar {
    /// Parses `date,is_workday,holiday_name,is_makeup_workday` (dates `YYYY-MM-DD`, booleans
    /// `true`/`false`, empty holiday name = none; `\n` or `\r\n`; no quoting) and checks it:
    /// no duplicate dates; a make-up day is a Saturday or Sunday and a working day; a working
    /// Saturday or Sunday is marked as a make-up day; a day with a holiday name is a day off;
    /// every year that appears is complete (1 January to 31 December). Rows may come in any
    /// order. Errors name the 1-based line (the header is line 1).
    pub fn from_csv(text: &str, version: &str) -> Result<WorkCalendar, CalendarError> {
        let version = version.trim();
        if version.is_empty() {
            return Err(CalendarError::EmptyVersion);
        }
        let mut lines = text.lines().enumerate();
        let header = lines.next().map(|(_, l)| l.trim_end_matches('\r')).unwrap_or("");
        let header = header.strip_prefix('\u{feff}').unwrap_or(header);
        if header != CSV_HEADER {
            return Err(CalendarError::Header { found: header.chars().take(80).collect() });
        }

        let mut days = BTreeMap::new();
        for (index, raw) in lines {
            let line = index + 1;
            let raw = raw.trim_end_matches('\r');
            if raw.trim().is_empty() {
                continue;
            }
            let bad = |reason: String| CalendarError::Parse { line, reason };
            let fields: Vec<&str> = raw.split(',').collect();
            let [date, is_workday, holiday_name, makeup] = fields[..] else {
                return Err(bad(format!("应有4列，实际为{}列", fields.len())));
            };
            let date = date.trim();
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .ok()
                .filter(|_| date.len() == 10)
                .ok_or_else(|| bad(format!("日期“{}”应为 YYYY-MM-DD 格式的有效日期", short(date))))?;
            let is_workday = parse_bool(is_workday.trim())
                .ok_or_else(|| bad(format!("is_workday 应为 true 或 false，实际为“{}”", short(is_workday))))?;
            let makeup = parse_bool(makeup.trim())
                .ok_or_else(|| bad(format!("is_makeup_workday 应为 true 或 false，实际为“{}”", short(makeup))))?;
            let holiday_name = Some(holiday_name.trim()).filter(|n| !n.is_empty()).map(str::to_string);

            if makeup && !(is_weekend(date) && is_workday) {
                return Err(CalendarError::InvalidMakeup { line, date });
            }
            if is_workday && is_weekend(date) && !makeup {
                return Err(bad(format!("{date} 是周末工作日，应标为调休上班日")));
            }
            if is_workday && holiday_name.is_some() {
                return Err(bad(format!("{date} 有节日名称，却标为工作日")));
            }
            let info = DayInfo { is_workday, holiday_name, makeup };
            if days.insert(date, info).is_some() {
                return Err(CalendarError::DuplicateDate { line, date });
            }
        }

        let years: BTreeSet<i32> = days.keys().map(|d| d.year()).collect();
        for &year in &years {
            let mut d = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(CalendarError::OutOfRange)?;
            while d.year() == year {
                if !days.contains_key(&d) {
                    return Err(CalendarError::IncompleteYear { year, missing: d });
                }
                match d.succ_opt() {
                    Some(next) => d = next,
                    None => break,
                }
            }
        }
        Ok(WorkCalendar { version: version.to_string(), days, years })
    }

    /// The built-in calendar, 2020–2026, version [`BUILTIN_VERSION`]; parsed once.
    pub fn builtin() -> &'static WorkCalendar {
        static BUILTIN: OnceLock<WorkCalendar> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            WorkCalendar::from_csv(BUILTIN_CSV, BUILTIN_VERSION).expect("built-in cn-workdays-2020-2026.csv is valid")
        })
    }

    /// The version label; record it with every deadline computed from this calendar.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The years with complete data.
    pub fn years(&self) -> &BTreeSet<i32> {
        &self.years
    }

    /// What the calendar says about `date`; [`CalendarError::NoData`] for a year without data.
    pub fn day(&self, date: NaiveDate) -> Result<&DayInfo, CalendarError> {
        self.days.get(&date).ok_or(CalendarError::NoData { year: date.year() })
    }

    /// Writes the calendar back in the format [`WorkCalendar::from_csv`] reads (round-trips).
    pub fn to_csv(&self) -> String {
        let mut out = String::with_capacity(40 * (self.days.len() + 1));
        out.push_str(CSV_HEADER);
        out.push('\n');
        for (date, info) in &self.days {
            let name = info.holiday_name.as_deref().unwrap_or("");
            out.push_str(&format!("{date},{},{name},{}\n", info.is_workday, info.makeup));
        }
        out
    }

    /// 民法典第二百条至第二百零四条; 行政许可法第八十二条; 国务院办公厅 holiday notices: a 工作日 is Mon–Fri minus the statutory holidays plus the 调休 make-up
    /// days, as fixed by the 国务院办公厅 annual notice. A year without data is an error, never
    /// a guess.
    pub fn is_workday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.day(date).map(|info| info.is_workday)
    }

    /// The `n`-th working day after `start` (行政许可法 Art. 82: periods in 工作日 exclude the
    /// statutory holidays; 民法典 Art. 201: the start day is not counted). `n = 0` returns
    /// `start`. 民法典第二百条至第二百零四条; 行政许可法第八十二条; 国务院办公厅 holiday notices.
    pub fn add_workdays(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.add_workdays_excluding(start, n, &[])
    }

    /// As [`WorkCalendar::add_workdays`], but working days inside a paused range (both ends
    /// inclusive) are not counted: the time for hearings, inspection, expert review
    /// (行政许可法 Art. 45) or consulting third parties (政府信息公开条例 Art. 33) does not run
    /// against the deadline. 民法典第二百条至第二百零四条; 行政许可法第八十二条.
    pub fn add_workdays_excluding(
        &self,
        start: NaiveDate,
        n: u32,
        paused: &[(NaiveDate, NaiveDate)],
    ) -> Result<NaiveDate, CalendarError> {
        let mut d = start;
        let mut remaining = n;
        while remaining > 0 {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_workday(d)? && !in_paused(d, paused) {
                remaining -= 1;
            }
        }
        Ok(d)
    }

    /// A period of `n` natural days (日, not 工作日): 民法典 Art. 201, the start day is not
    /// counted, so the period ends on `start + n`; 民法典 Art. 203, if that day is a statutory
    /// holiday (or any day off), the period ends on the next working day. 民法典第二百条至第二百零四条; 行政许可法第八十二条.
    pub fn add_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = start.checked_add_days(Days::new(u64::from(n))).ok_or(CalendarError::OutOfRange)?;
        while !self.is_workday(d)? {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(d)
    }

    /// A period of `n` calendar months (个月) from `start`, moved off a day off: the last day of
    /// [`months_end`] (民法典 第二百零一条、第二百零二条), and if that day is not a working day the
    /// next working day (第二百零三条第一款: a last day that is a 法定休假日 ends the period on
    /// the day after the holiday). As for [`WorkCalendar::add_days`], a day off is read from the
    /// official arrangement, weekends included and 调休 working Saturdays and Sundays excluded
    /// (the actual days of rest). A period of months is what 代表法 第五十一条 sets for a deputy's
    /// suggestion (3 months from 交办, 6 for a difficult one).
    pub fn add_months(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let end = months_end(start, n).ok_or(CalendarError::OutOfRange)?;
        self.add_days(end, 0)
    }

    /// The working days `d` with `start < d <= end` outside every paused range: how much of a
    /// 工作日 period has run on `end` (0 when `end <= start`). The inverse of
    /// [`WorkCalendar::add_workdays_excluding`]. 民法典第二百条至第二百零四条; 行政许可法第八十二条; 国务院办公厅 holiday notices.
    pub fn workdays_elapsed(
        &self,
        start: NaiveDate,
        end: NaiveDate,
        paused: &[(NaiveDate, NaiveDate)],
    ) -> Result<u32, CalendarError> {
        let mut count: u32 = 0;
        let mut d = start;
        while d < end {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_workday(d)? && !in_paused(d, paused) {
                count = count.saturating_add(1);
            }
        }
        Ok(count)
    }

    /// As [`WorkCalendar::add_workdays_excluding`], but never refuses: on days in years without
    /// data it assumes Monday–Friday are working days, and the returned flag is `true` when any
    /// day it stepped over lay in such a year. A provisional deadline must be shown as such and
    /// recomputed once the year's 国务院办公厅 notice is loaded (国务院办公厅 holiday notices). If the result
    /// would be past the last representable date, returns that date, provisional.
    pub fn add_workdays_provisional(
        &self,
        start: NaiveDate,
        n: u32,
        paused: &[(NaiveDate, NaiveDate)],
    ) -> (NaiveDate, bool) {
        let mut d = start;
        let mut remaining = n;
        let mut provisional = false;
        while remaining > 0 {
            if let Some((weeks, next)) = self.whole_weeks_without_data(d, remaining, paused) {
                d = next;
                remaining -= 5 * weeks;
                provisional = true;
                continue;
            }
            let Some(next) = d.succ_opt() else {
                return (NaiveDate::MAX, true);
            };
            d = next;
            let workday = match self.days.get(&d) {
                Some(info) => info.is_workday,
                None => {
                    provisional = true;
                    !is_weekend(d)
                }
            };
            if workday && !in_paused(d, paused) {
                remaining -= 1;
            }
        }
        (d, provisional)
    }

    /// A shortcut for [`WorkCalendar::add_workdays_provisional`]: where the days after `d` lie in
    /// years without data and outside every paused range, any 7 consecutive days hold exactly 5
    /// assumed working days, so whole weeks can be skipped at once. Returns the number of weeks
    /// and the date reached, keeping at least one working day for the day-by-day loop.
    fn whole_weeks_without_data(
        &self,
        d: NaiveDate,
        remaining: u32,
        paused: &[(NaiveDate, NaiveDate)],
    ) -> Option<(u32, NaiveDate)> {
        let wanted = remaining.saturating_sub(1) / 5;
        if wanted < 2 {
            return None;
        }
        let first = d.succ_opt()?;
        if self.years.contains(&first.year()) {
            return None;
        }
        let mut horizon = match self.years.range(first.year().saturating_add(1)..).next() {
            Some(&year) => NaiveDate::from_ymd_opt(year, 1, 1)?.pred_opt()?,
            None => NaiveDate::MAX,
        };
        for &(from, to) in paused {
            if from > to || to < first {
                continue;
            }
            if from <= first {
                return None;
            }
            horizon = horizon.min(from.pred_opt()?);
        }
        let available = u32::try_from((horizon - d).num_days() / 7).unwrap_or(u32::MAX);
        let weeks = wanted.min(available);
        if weeks == 0 {
            return None;
        }
        let next = d.checked_add_days(Days::new(7 * u64::from(weeks)))?;
        Some((weeks, next))
    }
}

/// The last day of a period of `n` calendar months from `start`, before any move off a day off.
///
/// 民法典 第二百零一条第一款: a period counted in years, months or days does not count the day it
/// starts on; it runs from the next day. 第二百零二条: a period counted in years or months ends on
/// the corresponding day (对应日) of its last month; where that month has no such day, on the
/// month's last day. The corresponding day is read as the day with the number of `start`, the
/// day of the event (交办 on 15 March, three months → 15 June), the usual reading in practice;
/// so 30 November + 3 months → 28 or 29 February, 31 January +
/// 1 month → 28 or 29 February, and 28 February + 1 month → 28 March (not 31 March: the reading
/// "the day before the number of the first counted day" would give the month's end there; that
/// reading is not followed) [interpretation; the article does not say which day corresponds].
/// `n = 0` returns `start`; `None` past the last representable date.
pub fn months_end(start: NaiveDate, n: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(n))
}

/// Truncates untrusted input before it is echoed in an error message.
fn short(s: &str) -> String {
    s.chars().take(32).collect()
}

/// The offset of China Standard Time (Asia/Shanghai): UTC+8 all year. China has observed no
/// daylight saving time since 1991 (it used summer time only in 1986–1991), so a fixed offset
/// is exact for every date the platform handles.
pub fn shanghai_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The calendar date in Asia/Shanghai at `instant`: deadlines are counted in local dates, so an
/// act recorded at 2021-09-30T17:00Z happened on 2021-10-01. Saturates at the last
/// representable date.
pub fn shanghai_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.naive_utc().checked_add_offset(shanghai_offset()).map(|local| local.date()).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    #[test]
    fn builtin_loads() {
        let c = cal();
        assert_eq!(c.version(), "builtin-2020-2026");
        assert_eq!(c.years().iter().copied().collect::<Vec<_>>(), (2020..=2026).collect::<Vec<_>>());
        let info = c.day(date(2021, 10, 1)).unwrap();
        assert!(!info.is_workday);
        assert_eq!(info.holiday_name.as_deref(), Some("国庆节"));
        let makeup = c.day(date(2021, 10, 9)).unwrap();
        assert!(makeup.is_workday && makeup.makeup && makeup.holiday_name.is_none());
        // Cross-year holiday: 2022-12-31 belongs to 元旦 2023.
        assert_eq!(c.day(date(2022, 12, 31)).unwrap().holiday_name.as_deref(), Some("元旦"));
    }

    #[test]
    fn years_without_data_are_refused() {
        let c = cal();
        for (d, year) in [(date(2019, 12, 31), 2019), (date(2027, 1, 1), 2027)] {
            let err = c.is_workday(d).unwrap_err();
            assert_eq!(err, CalendarError::NoData { year });
            assert_eq!(err.code(), "calendar_no_data");
            assert_eq!(err.to_string(), format!("未载入 {year} 年的节假日安排，无法计算工作日"));
        }
        assert_eq!(c.add_workdays(date(2026, 12, 30), 3), Err(CalendarError::NoData { year: 2027 }));
        assert_eq!(c.add_workdays(date(2019, 12, 30), 1), Err(CalendarError::NoData { year: 2019 }));
        assert_eq!(c.add_days(date(2026, 12, 20), 20), Err(CalendarError::NoData { year: 2027 }));
        assert_eq!(
            c.workdays_elapsed(date(2019, 12, 1), date(2020, 1, 10), &[]),
            Err(CalendarError::NoData { year: 2019 })
        );
        assert_eq!(c.add_workdays(date(2026, 1, 1), u32::MAX), Err(CalendarError::NoData { year: 2027 }));
        // n = 0 needs no data.
        assert_eq!(c.add_workdays(date(2030, 1, 1), 0), Ok(date(2030, 1, 1)));
    }

    #[test]
    fn add_workdays_across_holidays() {
        let c = cal();
        // 春节 2021: 02-11..17 off.
        assert_eq!(c.add_workdays(date(2021, 2, 10), 1).unwrap(), date(2021, 2, 18));
        // 2026-02-14 is a make-up Saturday before 春节.
        assert_eq!(c.add_workdays(date(2026, 2, 13), 1).unwrap(), date(2026, 2, 14));
        assert_eq!(c.add_workdays(date(2026, 2, 13), 2).unwrap(), date(2026, 2, 24));
        // 国庆 2021: 10-01..07 off, 10-08 Friday works, 10-09 make-up Saturday.
        assert_eq!(c.add_workdays(date(2021, 9, 30), 1).unwrap(), date(2021, 10, 8));
        assert_eq!(c.add_workdays(date(2021, 9, 30), 2).unwrap(), date(2021, 10, 9));
        assert_eq!(c.add_workdays(date(2021, 9, 30), 3).unwrap(), date(2021, 10, 11));
        // Year end: 2026-01-01..03 off, 2026-01-04 is a make-up Sunday.
        assert_eq!(c.add_workdays(date(2025, 12, 31), 1).unwrap(), date(2026, 1, 4));
        // Start on a holiday: the start day is never counted.
        assert_eq!(c.add_workdays(date(2021, 10, 3), 1).unwrap(), date(2021, 10, 8));
        assert_eq!(c.add_workdays(date(2021, 10, 8), 0).unwrap(), date(2021, 10, 8));
        // 20 working days from an ordinary Monday.
        assert_eq!(c.add_workdays(date(2021, 3, 1), 20).unwrap(), date(2021, 3, 29));
    }

    #[test]
    fn paused_ranges_do_not_count() {
        let c = cal();
        // worked example: 10-01..07 国庆 not counted, 10-09 调休 Saturday counted,
        // the 5 working days 10-12..10-18 paused.
        let paused = [(date(2021, 10, 12), date(2021, 10, 18))];
        assert_eq!(c.add_workdays_excluding(date(2021, 9, 29), 20, &paused).unwrap(), date(2021, 11, 9));
        assert_eq!(c.add_workdays(date(2021, 9, 29), 20).unwrap(), date(2021, 11, 2));
        assert_eq!(c.workdays_elapsed(date(2021, 9, 29), date(2021, 11, 9), &paused).unwrap(), 20);
        assert_eq!(c.workdays_elapsed(date(2021, 9, 29), date(2021, 10, 18), &paused).unwrap(), 4);
        // An inverted range is empty; overlapping ranges are fine.
        let odd = [(date(2021, 10, 18), date(2021, 10, 12))];
        assert_eq!(c.add_workdays_excluding(date(2021, 9, 29), 20, &odd).unwrap(), date(2021, 11, 2));
        let overlapping = [(date(2021, 10, 12), date(2021, 10, 15)), (date(2021, 10, 14), date(2021, 10, 18))];
        assert_eq!(c.add_workdays_excluding(date(2021, 9, 29), 20, &overlapping).unwrap(), date(2021, 11, 9));
    }

    #[test]
    fn natural_days() {
        let c = cal();
        assert_eq!(c.add_days(date(2021, 3, 1), 15).unwrap(), date(2021, 3, 16));
        // Ends on 2021-10-03 (国庆) → the next working day, 10-08.
        assert_eq!(c.add_days(date(2021, 9, 3), 30).unwrap(), date(2021, 10, 8));
        // Ends on a make-up Saturday: that is a working day.
        assert_eq!(c.add_days(date(2021, 9, 9), 30).unwrap(), date(2021, 10, 9));
        // Ends on an ordinary Sunday → Monday.
        assert_eq!(c.add_days(date(2021, 3, 7), 7).unwrap(), date(2021, 3, 15));
        // Ends on 2026-02-16 (春节 02-15..23) → 02-24.
        assert_eq!(c.add_days(date(2026, 1, 17), 30).unwrap(), date(2026, 2, 24));
        // 2025-12-31 + 1 = 2026-01-01 (元旦) → 2026-01-04 make-up Sunday.
        assert_eq!(c.add_days(date(2025, 12, 31), 1).unwrap(), date(2026, 1, 4));
        assert_eq!(c.add_days(NaiveDate::MAX, 1), Err(CalendarError::OutOfRange));
    }

    #[test]
    fn elapsed() {
        let c = cal();
        assert_eq!(c.workdays_elapsed(date(2021, 2, 10), date(2021, 2, 18), &[]).unwrap(), 1);
        assert_eq!(c.workdays_elapsed(date(2021, 2, 18), date(2021, 2, 10), &[]).unwrap(), 0);
        assert_eq!(c.workdays_elapsed(date(2021, 2, 18), date(2021, 2, 18), &[]).unwrap(), 0);
        // Working days per year, make-up days included.
        let totals: Vec<u32> = (2020..=2026)
            .map(|y| c.workdays_elapsed(date(y, 1, 1).pred_opt().unwrap(), date(y, 12, 31), &[]))
            .map(|r| r.unwrap_or(0))
            .collect();
        // 2020 cannot start from 2019-12-31 (no data), so count it from 01-01 (a holiday).
        assert_eq!(c.workdays_elapsed(date(2020, 1, 1), date(2020, 12, 31), &[]).unwrap(), 249);
        assert_eq!(totals[1..], [250, 249, 249, 251, 248, 248]);
    }

    #[test]
    fn provisional_across_2026_2027() {
        let c = cal();
        assert_eq!(c.add_workdays_provisional(date(2026, 12, 30), 1, &[]), (date(2026, 12, 31), false));
        // 2027-01-01 is a Friday: assumed a working day, and flagged.
        assert_eq!(c.add_workdays_provisional(date(2026, 12, 30), 2, &[]), (date(2027, 1, 1), true));
        assert_eq!(c.add_workdays_provisional(date(2026, 12, 30), 3, &[]), (date(2027, 1, 4), true));
        // Known data is used where it exists: 2026-10-01..07 off.
        assert_eq!(c.add_workdays_provisional(date(2026, 9, 30), 1, &[]), (date(2026, 10, 8), false));
        assert_eq!(c.add_workdays_provisional(date(2026, 9, 30), 0, &[]), (date(2026, 9, 30), false));
        // Skipped paused days in 2027 also make it provisional.
        let paused = [(date(2027, 1, 1), date(2027, 1, 5))];
        assert_eq!(c.add_workdays_provisional(date(2026, 12, 31), 1, &paused), (date(2027, 1, 6), true));
        // From a year before the data, through it.
        assert_eq!(c.add_workdays_provisional(date(2019, 12, 30), 2, &[]), (date(2020, 1, 2), true));
        // Agrees with the strict version where the data suffices.
        assert_eq!(c.add_workdays_provisional(date(2021, 9, 29), 20, &[]), (date(2021, 11, 2), false));
        // Huge n neither hangs nor panics.
        assert_eq!(c.add_workdays_provisional(date(2026, 1, 1), u32::MAX, &[]), (NaiveDate::MAX, true));
    }

    #[test]
    fn provisional_week_jumps_match_day_by_day() {
        let c = cal();
        // 2027 onwards is Mon–Fri; count by hand.
        let mut expected = date(2026, 12, 31);
        for n in 0..400u32 {
            let (got, provisional) = c.add_workdays_provisional(date(2026, 12, 31), n, &[]);
            assert_eq!(got, expected, "n={n}");
            assert_eq!(provisional, n > 0);
            expected = expected.succ_opt().unwrap();
            while is_weekend(expected) {
                expected = expected.succ_opt().unwrap();
            }
        }
        // Paused ranges in the future are respected by the shortcut.
        let paused = [(date(2027, 3, 1), date(2027, 3, 12))];
        let plain = c.add_workdays_provisional(date(2026, 12, 31), 100, &[]).0;
        let with_pause = c.add_workdays_provisional(date(2026, 12, 31), 100, &paused).0;
        assert_eq!(c.add_workdays_provisional(plain, 10, &[]).0, with_pause);
    }

    #[test]
    fn csv_round_trip() {
        let c = cal();
        let text = c.to_csv();
        assert_eq!(text, BUILTIN_CSV.replace("\r\n", "\n"));
        let again = WorkCalendar::from_csv(&text, BUILTIN_VERSION).unwrap();
        assert_eq!(&again, c);
    }

    fn one_year(year: i32) -> String {
        let mut out = format!("{CSV_HEADER}\n");
        let mut d = date(year, 1, 1);
        while d.year() == year {
            out.push_str(&format!("{d},{},,false\n", !is_weekend(d)));
            d = d.succ_opt().unwrap();
        }
        out
    }

    #[test]
    fn csv_errors() {
        let good = one_year(2027);
        let c = WorkCalendar::from_csv(&good, "test-2027").unwrap();
        assert_eq!(c.is_workday(date(2027, 1, 1)), Ok(true));
        assert!(WorkCalendar::from_csv(&format!("{CSV_HEADER}\n"), "empty").unwrap().years().is_empty());
        assert_eq!(WorkCalendar::from_csv(&good, " ").unwrap_err().code(), "calendar_empty_version");
        assert_eq!(WorkCalendar::from_csv("date,workday\n", "v").unwrap_err().code(), "calendar_header");

        let missing = good.replace("2027-07-01,true,,false\n", "");
        assert_eq!(
            WorkCalendar::from_csv(&missing, "v").unwrap_err(),
            CalendarError::IncompleteYear { year: 2027, missing: date(2027, 7, 1) }
        );
        // Line 2 is 2027-01-01 (Friday), line 3 is 2027-01-02 (Saturday).
        let cases = [
            ("2027-01-01,true,,false", "2027-01-01,yes,,false", "calendar_parse", 2),
            ("2027-01-01,true,,false", "2027-01-01,true,,False", "calendar_parse", 2),
            ("2027-01-01,true,,false", "2027-1-1,true,,false", "calendar_parse", 2),
            ("2027-01-01,true,,false", "2027-02-30,true,,false", "calendar_parse", 2),
            ("2027-01-01,true,,false", "2027-01-01,true,false", "calendar_parse", 2),
            ("2027-01-01,true,,false", "2027-01-01,true,元旦,false", "calendar_parse", 2),
            ("2027-01-01,true,,false", "2027-01-01,true,,true", "calendar_invalid_makeup", 2),
            ("2027-01-02,false,,false", "2027-01-02,false,,true", "calendar_invalid_makeup", 3),
            ("2027-01-02,false,,false", "2027-01-02,true,,false", "calendar_parse", 3),
            ("2027-01-02,false,,false", "2027-01-01,true,,false", "calendar_duplicate_date", 3),
        ];
        for (from, to, code, line) in cases {
            let text = good.replacen(from, to, 1);
            let err = WorkCalendar::from_csv(&text, "v").unwrap_err();
            assert_eq!(err.code(), code, "{to}: {err}");
            let found = match err {
                CalendarError::Parse { line, .. }
                | CalendarError::InvalidMakeup { line, .. }
                | CalendarError::DuplicateDate { line, .. } => line,
                _ => 0,
            };
            assert_eq!(found, line, "{to}");
        }
        // A legal make-up Saturday and a named holiday load.
        let text = good.replacen("2027-01-02,false,,false", "2027-01-02,true,,true", 1).replacen(
            "2027-01-01,true,,false",
            "2027-01-01,false,元旦,false",
            1,
        );
        let c = WorkCalendar::from_csv(&text, "v").unwrap();
        assert!(c.day(date(2027, 1, 2)).unwrap().makeup);
        assert_eq!(c.to_csv(), text);
    }

    #[test]
    fn shanghai() {
        assert_eq!(shanghai_offset().local_minus_utc(), 8 * 3600);
        let evening = Utc.with_ymd_and_hms(2021, 9, 30, 15, 59, 59).unwrap();
        assert_eq!(shanghai_date(evening), date(2021, 9, 30));
        let midnight = Utc.with_ymd_and_hms(2021, 9, 30, 16, 0, 0).unwrap();
        assert_eq!(shanghai_date(midnight), date(2021, 10, 1));
        assert_eq!(shanghai_date(DateTime::<Utc>::MAX_UTC), NaiveDate::MAX);
        assert!(shanghai_date(DateTime::<Utc>::MIN_UTC) >= NaiveDate::MIN);
    }

    /// 民法典 第二百零二条: a month without the corresponding day ends on its last day.
    #[test]
    fn months_end_on_the_corresponding_day_or_the_months_last() {
        // 3 months from 30 November: February has no 30th.
        assert_eq!(months_end(date(2023, 11, 30), 3), Some(date(2024, 2, 29)));
        assert_eq!(months_end(date(2024, 11, 30), 3), Some(date(2025, 2, 28)));
        // 6 months from 31 August.
        assert_eq!(months_end(date(2023, 8, 31), 6), Some(date(2024, 2, 29)));
        assert_eq!(months_end(date(2025, 8, 31), 6), Some(date(2026, 2, 28)));
        // 31 January + 1 month.
        assert_eq!(months_end(date(2024, 1, 31), 1), Some(date(2024, 2, 29)));
        assert_eq!(months_end(date(2025, 1, 31), 1), Some(date(2025, 2, 28)));
        // The corresponding day is the start's number, not the month's end.
        assert_eq!(months_end(date(2025, 2, 28), 1), Some(date(2025, 3, 28)));
        assert_eq!(months_end(date(2024, 2, 29), 12), Some(date(2025, 2, 28)));
        assert_eq!(months_end(date(2025, 3, 15), 3), Some(date(2025, 6, 15)));
        // Across a year end; zero months is the start itself.
        assert_eq!(months_end(date(2025, 12, 31), 2), Some(date(2026, 2, 28)));
        assert_eq!(months_end(date(2025, 12, 31), 0), Some(date(2025, 12, 31)));
        assert_eq!(months_end(NaiveDate::MAX, 1), None);
    }

    /// 民法典 第二百零三条: a last day off moves to the next working day; a 调休 working day does not.
    #[test]
    fn add_months_moves_a_last_day_off() {
        let c = cal();
        // On working days: the end itself.
        assert_eq!(c.add_months(date(2023, 11, 30), 3), Ok(date(2024, 2, 29)));
        assert_eq!(c.add_months(date(2024, 11, 30), 3), Ok(date(2025, 2, 28)));
        assert_eq!(c.add_months(date(2025, 1, 31), 1), Ok(date(2025, 2, 28)));
        // 2026-02-28 is a Saturday but a 调休 working day (春节 2026): the period ends on it.
        assert_eq!(c.add_months(date(2025, 8, 31), 6), Ok(date(2026, 2, 28)));
        // 2025-09-28 is a 调休 working Sunday (国庆 2025).
        assert_eq!(c.add_months(date(2025, 6, 28), 3), Ok(date(2025, 9, 28)));
        // Ends on 国庆 2025-10-01 (holiday to 10-08) → 10-09.
        assert_eq!(c.add_months(date(2025, 7, 1), 3), Ok(date(2025, 10, 9)));
        // Ends on 春节 2026-02-15 (holiday to 02-23) → 02-24.
        assert_eq!(c.add_months(date(2025, 11, 15), 3), Ok(date(2026, 2, 24)));
        // Ends on an ordinary Sunday (2025-09-21) → Monday.
        assert_eq!(c.add_months(date(2025, 6, 21), 3), Ok(date(2025, 9, 22)));
        // A last day in a year without data is refused, never guessed.
        assert_eq!(c.add_months(date(2026, 11, 30), 3), Err(CalendarError::NoData { year: 2027 }));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2020-01-01 .. 2026-06-30: far enough from the end of the data for n <= 100.
        let first = date(2020, 1, 1);
        let span = (date(2026, 6, 30) - first).num_days() as u64;
        (0..=span).prop_map(move |k| first + Days::new(k))
    }

    proptest! {
        #[test]
        fn result_is_a_later_workday(start in any_date(), n in 1u32..=100) {
            let c = cal();
            let end = c.add_workdays(start, n).unwrap();
            prop_assert!(end > start);
            prop_assert!(c.is_workday(end).unwrap());
        }

        #[test]
        fn add_workdays_composes(start in any_date(), a in 0u32..=50, b in 0u32..=50) {
            let c = cal();
            let once = c.add_workdays(start, a + b).unwrap();
            let twice = c.add_workdays(c.add_workdays(start, a).unwrap(), b).unwrap();
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn elapsed_inverts_add(start in any_date(), n in 0u32..=100) {
            let c = cal();
            let end = c.add_workdays(start, n).unwrap();
            prop_assert_eq!(c.workdays_elapsed(start, end, &[]).unwrap(), n);
        }

        #[test]
        fn elapsed_inverts_add_with_pauses(start in any_date(), n in 0u32..=60, gap in 0u64..30, len in 0u64..15) {
            let c = cal();
            let from = start + Days::new(gap);
            let paused = [(from, from + Days::new(len))];
            let end = c.add_workdays_excluding(start, n, &paused).unwrap();
            prop_assert_eq!(c.workdays_elapsed(start, end, &paused).unwrap(), n);
            let (provisional_end, provisional) = c.add_workdays_provisional(start, n, &paused);
            prop_assert_eq!(provisional_end, end);
            prop_assert!(!provisional);
        }

        #[test]
        fn parsing_never_panics(body in "[0-9a-z,\\-\r\n]{0,120}") {
            let _ = WorkCalendar::from_csv(&body, "v");
            let _ = WorkCalendar::from_csv(&format!("{CSV_HEADER}\n{body}"), "v");
        }

        #[test]
        fn add_days_ends_on_a_workday(start in any_date(), n in 0u32..=120) {
            let c = cal();
            let end = c.add_days(start, n).unwrap();
            prop_assert!(end >= start + Days::new(u64::from(n)));
            prop_assert!(c.is_workday(end).unwrap());
        }
    }
}
