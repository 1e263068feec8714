//! The operator's view of the server: the simulated clock (test and demo mode, moved forward by an
//! administrator, each move recorded) and the calendar-year warning (from 1 October, until the
//! next year's 国务院办公厅 arrangement is loaded, 国务院办公厅 holiday notices).

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::clock::{ClockError, SimulatedClock};
use serde_json::json;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The month from which the next year's arrangement is expected (the notice usually comes out
/// in October or November).
pub const WARN_FROM_MONTH: u32 = 10;

/// What an administrator sees on the status page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminStatus {
    pub today: NaiveDate,
    pub calendar_version: String,
    pub calendar_years: Vec<i32>,
    pub calendar_warning: Option<String>,
}

/// The warning due on `today` given the years the calendar holds: this year missing (deadlines
/// are provisional now), or, from 1 October, next year missing.
pub fn calendar_warning(today: NaiveDate, years: &BTreeSet<i32>) -> Option<String> {
    let year = today.year();
    if !years.contains(&year) {
        return Some(format!(
            "尚未载入 {year} 年节假日安排：本年内的期限均按暂定（仅排除周末）计算。\
             请尽快导入国务院办公厅的放假通知（工作日历 → 导入），导入后期限自动更正。"
        ));
    }
    if today.month() >= WARN_FROM_MONTH && !years.contains(&(year + 1)) {
        let next = year + 1;
        return Some(format!(
            "尚未载入 {next} 年节假日安排……跨入 {next} 年的期限将按暂定（仅排除周末）计算。\
             国务院办公厅通常于每年 10 至 11 月发布次年放假通知，发布后请及时导入（工作日历 → 导入）。"
        ));
    }
    None
}

/// The simulated clock may stand only on a day of a year the calendar in force covers. It moves
/// only forward (acts already recorded stay in the past), so a clock set past the calendar's last
/// year could never come back: every deadline there is provisional, and every session and timer
/// set before it would be gone for good.
pub fn check_clock_in_calendar(to: DateTime<Utc>, years: &BTreeSet<i32>) -> ServiceResult<()> {
    let year = domain::calendar::shanghai_date(to).year();
    if years.contains(&year) {
        return Ok(());
    }
    let covered = match (years.first(), years.last()) {
        (Some(first), Some(last)) => format!("{first}—{last}年"),
        _ => "（无）".to_string(),
    };
    Err(ServiceError::new(
        ErrorKind::Invalid,
        "clock_outside_calendar",
        format!("模拟时钟只能设在工作日历已载入的年份内（{covered}），{year}年没有节假日安排"),
    )
    .with_field("now"))
}

impl App {
    /// Whether the simulated clock may stand at `to` (see [`check_clock_in_calendar`]).
    pub fn check_simulated_instant(&self, to: DateTime<Utc>) -> ServiceResult<()> {
        check_clock_in_calendar(to, self.calendar().years())
    }

    /// The calendar warning due today, if any (logged by the server at start and daily).
    pub fn calendar_warning(&self) -> Option<String> {
        calendar_warning(self.today(), self.calendar().years())
    }

    /// Administrators only.
    pub fn admin_status(&self, actor: &Actor) -> ServiceResult<AdminStatus> {
        if !actor.may_somewhere(Permission::ManageSystem) {
            return Err(ServiceError::forbidden());
        }
        let calendar = self.calendar();
        Ok(AdminStatus {
            today: self.today(),
            calendar_version: calendar.version().to_string(),
            calendar_years: calendar.years().iter().copied().collect(),
            calendar_warning: calendar_warning(self.today(), calendar.years()),
        })
    }

    /// Moves the simulated clock forward to `to` (administrators only; never back: acts already
    /// recorded must stay in the past). Recorded as `clock.set` in stream `clock`.
    pub async fn set_simulated_clock(
        &self,
        actor: &Actor,
        clock: &SimulatedClock,
        to: DateTime<Utc>,
    ) -> ServiceResult<DateTime<Utc>> {
        if !actor.may_somewhere(Permission::ManageSystem) {
            return Err(ServiceError::forbidden());
        }
        let before = domain::clock::Clock::now(clock);
        let backwards =
            |e: ClockError| ServiceError::new(ErrorKind::Invalid, "clock_backwards", e.to_string()).with_field("now");
        if to < before {
            return Err(backwards(ClockError::Backwards { now: before, requested: to }));
        }
        self.check_simulated_instant(to)?;
        let event = EventDraft::new(
            "clock",
            actor.label(),
            "clock.set",
            json!({"from": before.to_rfc3339(), "to": to.to_rfc3339()}),
        );
        // Recorded at the new time: the move is the first thing that happens there.
        clock.set(to).map_err(backwards)?;
        self.store.record(&event, to).await?;
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_simulated_clock_stays_within_the_calendar_years() {
        let loaded: BTreeSet<i32> = (2020..=2026).collect();
        let at = |y: i32, m: u32, d: u32, h: u32| {
            chrono::TimeZone::with_ymd_and_hms(&Utc, y, m, d, h, 0, 0).single().expect("instant")
        };
        assert!(check_clock_in_calendar(at(2026, 12, 31, 15), &loaded).is_ok(), "23:00 on 31 December in Beijing");
        let err = check_clock_in_calendar(at(2026, 12, 31, 16), &loaded).expect_err("1 January 2027 in Beijing");
        assert_eq!((err.code, err.field.as_deref()), ("clock_outside_calendar", Some("now")));
        assert!(check_clock_in_calendar(at(9999, 12, 31, 0), &loaded).is_err());
        assert!(check_clock_in_calendar(at(2019, 12, 31, 15), &loaded).is_err());
        assert!(check_clock_in_calendar(at(2019, 12, 31, 16), &loaded).is_ok(), "1 January 2020 in Beijing");
    }

    #[test]
    fn warns_from_october_until_next_year_is_loaded() {
        let loaded: BTreeSet<i32> = (2020..=2026).collect();
        assert_eq!(calendar_warning(date(2026, 9, 30), &loaded), None);
        let warning = calendar_warning(date(2026, 10, 1), &loaded).expect("a warning");
        assert!(warning.starts_with("尚未载入 2027 年节假日安排"), "{warning}");
        assert!(calendar_warning(date(2026, 12, 31), &loaded).is_some());
        assert_eq!(calendar_warning(date(2021, 10, 1), &loaded), None, "2022 is loaded");
        let this_year = calendar_warning(date(2027, 1, 5), &loaded).expect("2027 missing");
        assert!(this_year.contains("2027"), "{this_year}");
    }
}
