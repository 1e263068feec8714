//! Data-driven checks of the calendar, ID-number and division modules against the reference
//! files (provenance in `data/SOURCES.md` and the sources it names).

use chrono::{Datelike, NaiveDate, Weekday};
use domain::calendar::{CalendarError, WorkCalendar};
use domain::division::{DivisionCode, Divisions, Level};
use domain::idcard::{parse_id, RegionHistory};

const WORKDAYS_CSV: &str = include_str!("../data/cn-workdays-2020-2026.csv");
const ID_SAMPLE_CSV: &str = include_str!("data/id-numbers-sample.csv");
const DIVISIONS_CSV: &str = include_str!("../data/divisions-sichuan-chongqing.csv");
/// The newest official list the GB/T 2260 history was brought up to, and the year it is in force.
const NEWEST_LIST_CSV: &str = include_str!("../data/mca-divisions-2026.csv");
const NEWEST_LIST_YEAR: i32 = 2026;
const CHANGES_CSV: &str = include_str!("../data/gbt2260-changes-2020-2026.csv");

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.trim_end_matches('\r').split(',').collect())
}

#[test]
fn calendar_matches_every_row() {
    let calendar = WorkCalendar::builtin();
    let mut count = 0;
    let (mut workdays, mut holidays, mut makeups) = (0, 0, 0);
    for row in rows(WORKDAYS_CSV) {
        let date = NaiveDate::parse_from_str(row[0], "%Y-%m-%d").unwrap();
        let expected = row[1] == "true";
        assert_eq!(calendar.is_workday(date), Ok(expected), "{date}");
        let info = calendar.day(date).unwrap();
        assert_eq!(info.holiday_name.as_deref().unwrap_or(""), row[2], "{date}");
        assert_eq!(info.makeup, row[3] == "true", "{date}");
        // A working day is Mon–Fri minus holidays plus make-up days (国务院办公厅 holiday notices).
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        assert_eq!(expected, (!weekend && row[2].is_empty()) || info.makeup, "{date}");
        count += 1;
        workdays += usize::from(expected);
        holidays += usize::from(!row[2].is_empty());
        makeups += usize::from(info.makeup);
    }
    // Totals stated in the data README; workdays includes make-up days.
    assert_eq!(count, 2557);
    assert_eq!((workdays - makeups, holidays, makeups), (1698, 210, 46));
    assert_eq!(calendar.years().len(), 7);
}

#[test]
fn calendar_refuses_years_without_data() {
    let calendar = WorkCalendar::builtin();
    let before = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
    let after = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    assert_eq!(calendar.is_workday(before), Err(CalendarError::NoData { year: 2019 }));
    assert_eq!(calendar.is_workday(after), Err(CalendarError::NoData { year: 2027 }));
}

#[test]
fn id_sample_matches_every_row() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let regions = RegionHistory::builtin();
    let mut checked = 0;
    for row in rows(ID_SAMPLE_CSV) {
        let (id, valid, reason) = (row[0], row[1] == "true", row[2]);
        let result = parse_id(id, today, regions);
        assert_eq!(result.is_ok(), valid, "{id}: {result:?}");
        if valid {
            let info = result.unwrap();
            assert_eq!(info.number.as_str(), id);
            assert!(!info.region_name.is_empty());
            let parity = (id.as_bytes()[16] - b'0') % 2;
            assert_eq!(info.sex.as_str(), if parity == 1 { "male" } else { "female" });
            assert_eq!(info.birth_date.format("%Y%m%d").to_string(), &id[6..14]);
        } else {
            let expected = match reason.split(':').next().unwrap() {
                "bad_checksum" => "checksum",
                "bad_date" => "date",
                "bad_length" => "length",
                "bad_region" => "region",
                other => panic!("unknown reason {other}"),
            };
            let err = result.unwrap_err();
            assert_eq!(err.code(), expected, "{id}: {err}");
            // Messages never carry the number.
            assert!(!err.to_string().contains(id));
        }
        checked += 1;
    }
    assert_eq!(checked, 250);
}

#[test]
fn divisions_match_every_row() {
    let divisions = Divisions::builtin();
    let mut count = 0;
    for row in rows(DIVISIONS_CSV) {
        let code = DivisionCode::parse(row[0]).unwrap();
        let d = divisions.get(&code).unwrap();
        assert_eq!(d.name, row[1]);
        assert_eq!(d.level, Level::parse(row[2]).unwrap());
        assert_eq!(d.parent.as_ref().map(DivisionCode::as_str).unwrap_or(""), row[3]);
        let full = divisions.full_name(&code).unwrap();
        assert!(full.starts_with("四川省") || full.starts_with("重庆市"), "{full}");
        assert!(full.ends_with(&d.name));
        assert!(!full.starts_with("重庆市市辖区") || code.as_str() == "500100", "{full}");
        count += 1;
    }
    assert_eq!(count, divisions.len());
}

#[test]
fn every_county_in_the_tree_is_a_known_region_code() {
    // The ID-number region check must accept every current county-level code.
    let regions = RegionHistory::builtin();
    for d in Divisions::builtin().iter().filter(|d| d.level != Level::Township) {
        assert!(regions.exists(d.code.as_str()), "{} {}", d.code, d.name);
    }
}

/// The history is up to date with the newest list (`data/update-gbt2260-history.py` was run on
/// it): every listed code is in force in the list's year under its listed name.
#[test]
fn the_region_history_is_up_to_date_with_the_newest_list() {
    let regions = RegionHistory::from_csv(include_str!("../data/gbt2260-history.csv")).unwrap();
    let mut count = 0;
    for row in rows(NEWEST_LIST_CSV) {
        let (code, name) = (row[0], row[1]);
        assert!(regions.exists(code), "{code} {name}");
        assert_eq!(regions.name_in(code, NEWEST_LIST_YEAR), Some(name), "{code}");
        count += 1;
    }
    assert!(count > 3000, "{count} codes");
}

/// Every dated change since 2020 is in the history: the new code from its year, the old code
/// still known (an ID number keeps the code of its first issue).
#[test]
fn every_dated_change_is_in_the_region_history() {
    let regions = RegionHistory::builtin();
    for row in rows(CHANGES_CSV) {
        let (year, old, new, new_name) = (row[0].parse::<i32>().unwrap(), row[2], row[4], row[5]);
        assert!(old.is_empty() || regions.exists(old), "{row:?}");
        assert!(regions.exists(new), "{row:?}");
        assert_eq!(regions.name_in(new, year), Some(new_name), "{row:?}");
    }
}
