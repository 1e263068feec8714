//! The working-day calendar: a new year imported as a version, in force at once and after a
//! restart; a malformed file refused whole.

use chrono::{Datelike, NaiveDate, Weekday};
use domain::calendar::{CalendarError, WorkCalendar, BUILTIN_VERSION, CSV_HEADER};
use service::{App, ErrorKind};
use store::Keys;
use test_support::{on_both, Db};

use crate::{acts, footprint, test_app};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// 2027: weekends off, 1 January off (元旦), and one make-up Saturday, 20 February.
const MAKEUP_2027: (u32, u32) = (2, 20);

fn year_rows(year: i32) -> Vec<String> {
    let makeup = date(year, MAKEUP_2027.0, MAKEUP_2027.1);
    let mut rows = Vec::new();
    let mut d = date(year, 1, 1);
    while d.year() == year {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        rows.push(if d == date(year, 1, 1) {
            format!("{d},false,元旦,false")
        } else if d == makeup {
            format!("{d},true,,true")
        } else {
            format!("{d},{},,false", !weekend)
        });
        d = d.succ_opt().expect("next day");
    }
    rows
}

fn csv(rows: &[String]) -> String {
    format!("{CSV_HEADER}\n{}\n", rows.join("\n"))
}

async fn imported_year_is_in_force_and_survives_a_restart(db: Db) {
    assert_eq!(date(2027, MAKEUP_2027.0, MAKEUP_2027.1).weekday(), Weekday::Sat);
    let t = test_app(db).await;
    let app = &t.app;
    let admin = t.staff("admin700", "admin", "511700").await;
    assert_eq!(app.calendar().version(), BUILTIN_VERSION);
    assert_eq!(app.calendar().is_workday(date(2027, 1, 4)), Err(CalendarError::NoData { year: 2027 }));

    let years = app.import_calendar(Some(&admin), &csv(&year_rows(2027)), "国办发明电（测试）").await.expect("import");
    assert_eq!(years, [2027]);
    let calendar = app.calendar();
    assert_ne!(calendar.version(), BUILTIN_VERSION);
    assert_eq!(calendar.is_workday(date(2027, 1, 1)), Ok(false));
    assert_eq!(calendar.day(date(2027, 1, 1)).expect("day").holiday_name.as_deref(), Some("元旦"));
    assert_eq!(calendar.is_workday(date(2027, 1, 2)), Ok(false), "Saturday");
    assert_eq!(calendar.is_workday(date(2027, 1, 4)), Ok(true), "Monday");
    assert_eq!(calendar.is_workday(date(2027, 2, 20)), Ok(true), "make-up Saturday");
    assert!(calendar.day(date(2027, 2, 20)).expect("day").makeup);
    assert_eq!(calendar.is_workday(date(2027, 2, 21)), Ok(false), "Sunday");
    assert_eq!(calendar.add_workdays(date(2026, 12, 31), 1), Ok(date(2027, 1, 4)), "across the new year");
    assert_eq!(calendar.is_workday(date(2028, 1, 3)), Err(CalendarError::NoData { year: 2028 }));
    // The built-in years are kept, day for day.
    assert_eq!(calendar.years().iter().copied().collect::<Vec<_>>(), (2020..=2027).collect::<Vec<_>>());
    let builtin = WorkCalendar::builtin();
    for year in 2020..=2026 {
        let mut d = date(year, 1, 1);
        while d.year() == year {
            assert_eq!(calendar.day(d), builtin.day(d), "{d}");
            d = d.succ_opt().expect("next day");
        }
    }

    let events = app.store.stream_events("calendar").await.expect("events");
    assert_eq!(events.iter().map(|e| e.act.as_str()).collect::<Vec<_>>(), ["calendar.import"]);
    assert_eq!(events[0].actor, admin.label());
    let payload: serde_json::Value = serde_json::from_str(&events[0].payload).expect("json");
    assert_eq!(payload["years"], serde_json::json!([2027]));
    assert_eq!(payload["version"], calendar.version());

    // A new App on the same database loads the imported version.
    let reopened =
        App::new(t.db.store().await, Keys::from_master(&[42u8; 32]), t.clock.clone(), None).await.expect("reopen");
    assert_eq!(reopened.calendar().version(), calendar.version());
    assert_eq!(*reopened.calendar(), *calendar);
    assert_eq!(reopened.calendar().is_workday(date(2027, 2, 20)), Ok(true));
    assert_eq!(reopened.store.calendar_versions().await.expect("versions").len(), 1);

    // A second import replaces its year and keeps the others.
    t.clock.advance(chrono::Duration::seconds(1)).expect("clock");
    let mut rows = year_rows(2027);
    let i = rows.iter().position(|r| r.starts_with("2027-01-04")).expect("row");
    rows[i] = "2027-01-04,false,元旦,false".into();
    app.import_calendar(Some(&admin), &csv(&rows), "更正").await.expect("second import");
    assert_eq!(app.calendar().is_workday(date(2027, 1, 4)), Ok(false));
    assert_eq!(app.calendar().is_workday(date(2026, 10, 1)), builtin.is_workday(date(2026, 10, 1)));
    assert_eq!(acts(app, "calendar").await, ["calendar.import", "calendar.import"]);
    app.verify_record().await.expect("verification runs").expect("the record is whole");
}
on_both!(imported_year_is_in_force_and_survives_a_restart, imported_year_is_in_force_and_survives_a_restart);

async fn malformed_calendar_is_refused_whole(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let admin = t.staff("admin700", "admin", "511700").await;
    let clerk = t.staff("clerk700", "clerk", "511700").await;
    let before = footprint(&raw).await;

    let good = year_rows(2028);
    let mut bad_bool = good.clone();
    bad_bool[10] = bad_bool[10].replace(",true,", ",yes,");
    assert!(bad_bool[10].contains(",yes,"), "row 11 of 2028 is a working day: {}", bad_bool[10]);
    let partial: Vec<String> = good.iter().filter(|r| r.starts_with("2028-01")).cloned().collect();
    let mut duplicate = good.clone();
    duplicate.push(good[40].clone());
    let mut weekday_makeup = good.clone();
    weekday_makeup[2] = format!("{},true,,true", date(2028, 1, 3)); // a Monday
    let cases = [
        (csv(&bad_bool), "calendar_parse"),
        (csv(&partial), "calendar_incomplete_year"),
        (csv(&duplicate), "calendar_duplicate_date"),
        (csv(&weekday_makeup), "calendar_invalid_makeup"),
        (format!("day,workday\n{}", good.join("\n")), "calendar_header"),
        (String::new(), "calendar_header"),
    ];
    for (text, code) in &cases {
        let err = app.import_calendar(Some(&admin), text, "bad file").await.expect_err("malformed");
        assert_eq!((err.kind, err.code), (ErrorKind::Invalid, *code), "{}", err.message);
        assert_eq!(footprint(&raw).await, before, "{code}: nothing written");
        assert_eq!(app.calendar().version(), BUILTIN_VERSION, "{code}: the calendar in force is unchanged");
        assert_eq!(app.calendar().is_workday(date(2028, 1, 3)), Err(CalendarError::NoData { year: 2028 }));
    }
    // Only an administrator imports.
    let err = app.import_calendar(Some(&clerk), &csv(&good), "clerk").await.expect_err("not an admin");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(footprint(&raw).await, before);
    assert!(acts(app, "calendar").await.is_empty());
    // The good file goes in.
    app.import_calendar(Some(&admin), &csv(&good), "good file").await.expect("import");
    assert_eq!(app.calendar().is_workday(date(2028, 1, 3)), Ok(true));
}
on_both!(malformed_calendar_is_refused_whole, malformed_calendar_is_refused_whole);

/// A version that covers no year, or has no source document, is refused: it would become the
/// version in force and recompute every due date for nothing.
async fn a_version_without_a_year_or_a_source_is_refused(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let admin = t.staff("admin700", "admin", "511700").await;
    let before = footprint(&raw).await;
    let good = csv(&year_rows(2028));
    let huge = "国".repeat(1 << 20);
    let cases: [(String, &str, &str, &str); 7] = [
        (format!("{CSV_HEADER}\n"), "国办发明电（测试）", "csv", "calendar_no_years"),
        (format!("{CSV_HEADER}\n\n  \n"), "国办发明电（测试）", "csv", "calendar_no_years"),
        (good.clone(), "", "source", "source_required"),
        (good.clone(), "  \t ", "source", "source_required"),
        (good.clone(), &huge, "source", "too_long"),
        (good.clone(), "国办\u{1b}[2J发明电", "source", "control_chars"),
        (good.clone(), "国办\u{0}发明电", "source", "control_chars"),
    ];
    for (text, source, field, code) in &cases {
        let err = app.import_calendar(Some(&admin), text, source).await.expect_err("refused");
        assert_eq!((err.kind, err.code), (ErrorKind::Invalid, *code), "{}", err.message);
        assert_eq!(err.field.as_deref(), Some(*field));
        assert_eq!(footprint(&raw).await, before, "{code}: nothing written");
        assert_eq!(app.calendar().version(), BUILTIN_VERSION, "{code}: the calendar in force is unchanged");
    }
    // Both at once: every problem named.
    let err = app.import_calendar(Some(&admin), &format!("{CSV_HEADER}\n"), "").await.expect_err("refused");
    let codes: Vec<&str> = err.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["calendar_no_years", "source_required"]);
    assert!(acts(app, "calendar").await.is_empty());
    app.import_calendar(Some(&admin), &good, " 国办发明电（测试） ").await.expect("import");
    assert_eq!(app.store.calendar_versions().await.expect("versions")[0].1, "国办发明电（测试）");
}
on_both!(a_version_without_a_year_or_a_source_is_refused, a_version_without_a_year_or_a_source_is_refused);

/// A version imported by another process (the CLI while the server runs) reaches the running
/// server without a restart, and an import by the server builds on it rather than on its own
/// older copy.
async fn a_version_imported_elsewhere_reaches_a_running_server(db: Db) {
    let t = test_app(db).await;
    let server = &t.app;
    let admin = t.staff("admin700", "admin", "511700").await;
    let cli = App::new(t.db.store().await, Keys::from_master(&[42u8; 32]), t.clock.clone(), None).await.expect("cli");
    assert!(!server.reload_calendar().await.expect("nothing imported yet"));

    cli.import_calendar(None, &csv(&year_rows(2027)), "国办发明电（测试）").await.expect("cli import");
    assert_eq!(server.calendar().is_workday(date(2027, 1, 4)), Err(CalendarError::NoData { year: 2027 }));
    assert!(server.reload_calendar().await.expect("reload"), "a new version is taken up");
    assert_eq!(server.calendar().version(), cli.calendar().version());
    assert_eq!(server.calendar().is_workday(date(2027, 2, 20)), Ok(true), "make-up Saturday");
    assert!(!server.reload_calendar().await.expect("reload"), "nothing new the second time");

    t.clock.advance(chrono::Duration::seconds(1)).expect("clock");
    cli.import_calendar(None, &csv(&year_rows(2028)), "国办发明电（测试）").await.expect("cli import");
    t.clock.advance(chrono::Duration::seconds(1)).expect("clock");
    let mut rows = year_rows(2027);
    let i = rows.iter().position(|r| r.starts_with("2027-01-04")).expect("row");
    rows[i] = "2027-01-04,false,元旦,false".into();
    server.import_calendar(Some(&admin), &csv(&rows), "更正").await.expect("server import");
    let years: Vec<i32> = server.calendar().years().iter().copied().collect();
    assert_eq!(years, (2020..=2028).collect::<Vec<_>>(), "2028, imported elsewhere, is kept");
    assert_eq!(server.calendar().is_workday(date(2027, 1, 4)), Ok(false));
    assert!(cli.reload_calendar().await.expect("reload"));
    assert_eq!(*cli.calendar(), *server.calendar());
}
on_both!(a_version_imported_elsewhere_reaches_a_running_server, a_version_imported_elsewhere_reaches_a_running_server);
