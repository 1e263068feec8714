//! Where an institution's post-filing inspection stands, derived from the dates on read (a period
//! ends by the calendar, not when someone looks), and the area's figures, computed from the
//! register's rows.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::institution::{InstitutionType, Status};
use super::period::POST_FILING_INSPECTION;
use crate::calendar::{CalendarError, WorkCalendar};

/// The post-filing on-site inspection of one institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionState {
    /// Not done yet; due by `due` (its last day).
    Due { due: NaiveDate },
    /// Not done and `due` has passed.
    Overdue { due: NaiveDate },
    /// Done on `on`; `late` if after the period.
    Done { on: NaiveDate, late: bool },
}

impl InspectionState {
    /// The state of the inspection of an institution filed on `filed_on`, first inspected on
    /// `done_on` (if at all), seen on `today`.
    pub fn of(
        filed_on: NaiveDate,
        done_on: Option<NaiveDate>,
        today: NaiveDate,
        calendar: &WorkCalendar,
    ) -> Result<InspectionState, CalendarError> {
        let due = POST_FILING_INSPECTION.last_day(filed_on, calendar)?;
        Ok(match done_on {
            Some(on) => InspectionState::Done { on, late: on > due },
            None if today > due => InspectionState::Overdue { due },
            None => InspectionState::Due { due },
        })
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            InspectionState::Due { .. } => "待检查",
            InspectionState::Overdue { .. } => "逾期未检查",
            InspectionState::Done { late: false, .. } => "已检查",
            InspectionState::Done { late: true, .. } => "已检查（超过期限）",
        }
    }
}

/// One row of the figures: institutions and beds of one type in one county.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub institutions: u32,
    pub beds: i64,
}

/// The area's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Serving institutions and their beds by (county code, type).
    pub by_county_type: BTreeMap<(String, InstitutionType), Count>,
    pub institutions: u32,
    pub beds: i64,
    /// Filings entered in the period.
    pub filings: u32,
    pub inspections_done: u32,
    pub inspections_overdue: u32,
}

/// What the figures count of one institution.
#[derive(Debug, Clone)]
pub struct StatRow {
    pub county: String,
    pub institution_type: InstitutionType,
    pub beds: i64,
    pub status: Status,
    pub filed_on: NaiveDate,
    pub inspection: InspectionState,
}

impl Stats {
    /// The figures of `rows` for filings from `from` to `to` (both included); the register's
    /// counts are of the serving institutions.
    pub fn of(rows: &[StatRow], from: NaiveDate, to: NaiveDate) -> Stats {
        let mut stats = Stats::default();
        for row in rows {
            if row.status == Status::Operating {
                let count = stats.by_county_type.entry((row.county.clone(), row.institution_type)).or_default();
                count.institutions += 1;
                count.beds += row.beds;
                stats.institutions += 1;
                stats.beds += row.beds;
            }
            if (from..=to).contains(&row.filed_on) {
                stats.filings += 1;
            }
            match row.inspection {
                InspectionState::Done { .. } => stats.inspections_done += 1,
                InspectionState::Overdue { .. } => stats.inspections_overdue += 1,
                InspectionState::Due { .. } => {}
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Filed 2021-09-17: the 20th working day is 2021-10-21 (国庆 and the 调休 days counted as
    /// the calendar has them). Overdue from 10-22, whoever looks.
    #[test]
    fn the_inspection_is_overdue_the_day_after_its_last_day() {
        let cal = WorkCalendar::builtin();
        let filed = d(2021, 9, 17);
        let due = d(2021, 10, 21);
        assert_eq!(InspectionState::of(filed, None, due, cal).unwrap(), InspectionState::Due { due });
        assert_eq!(InspectionState::of(filed, None, d(2021, 10, 22), cal).unwrap(), InspectionState::Overdue { due });
        assert_eq!(
            InspectionState::of(filed, Some(d(2021, 10, 25)), d(2021, 12, 1), cal).unwrap(),
            InspectionState::Done { on: d(2021, 10, 25), late: true }
        );
        assert_eq!(InspectionState::of(filed, Some(due), d(2021, 12, 1), cal).unwrap().name_zh(), "已检查");
    }

    #[test]
    fn figures_count_serving_institutions_and_filings_in_the_period() {
        let row = |county: &str, t, beds, status, filed_on, inspection| StatRow {
            county: county.into(),
            institution_type: t,
            beds,
            status,
            filed_on,
            inspection,
        };
        let due = InspectionState::Due { due: d(2021, 12, 31) };
        let rows = [
            row("511702", InstitutionType::Public, 100, Status::Operating, d(2021, 3, 1), due),
            row(
                "511702",
                InstitutionType::Public,
                50,
                Status::Operating,
                d(2020, 12, 31),
                InspectionState::Done { on: d(2021, 1, 5), late: false },
            ),
            row(
                "511703",
                InstitutionType::Private,
                30,
                Status::Closed,
                d(2021, 5, 1),
                InspectionState::Overdue { due: d(2021, 6, 1) },
            ),
        ];
        let stats = Stats::of(&rows, d(2021, 1, 1), d(2021, 12, 31));
        assert_eq!((stats.institutions, stats.beds, stats.filings), (2, 150, 2));
        assert_eq!((stats.inspections_done, stats.inspections_overdue), (1, 1));
        assert_eq!(
            stats.by_county_type[&("511702".to_string(), InstitutionType::Public)],
            Count { institutions: 2, beds: 150 }
        );
        assert!(!stats.by_county_type.contains_key(&("511703".to_string(), InstitutionType::Private)));
    }
}
