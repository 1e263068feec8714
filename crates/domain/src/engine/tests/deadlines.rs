use chrono::{DateTime, Utc};

use crate::calendar::WorkCalendar;
use crate::catalog::ServiceItem;
use crate::engine::action::SpecialKind;
use crate::engine::case::{Case, CaseStatus, Extension, Outcome, Pause};
use crate::engine::deadline::{deadline, step_deadline, Warning};
use crate::engine::testkit::{at, date, days, draft, workdays, ItemBuilder};
use crate::procedure::PauseKind;

fn cal() -> &'static WorkCalendar {
    WorkCalendar::builtin()
}

/// A case accepted at `accepted`, now at the review step.
fn accepted(item: &ServiceItem, accepted: DateTime<Utc>) -> Case {
    let mut case = draft(item);
    case.status = CaseStatus::InProgress;
    case.submitted_at = Some(accepted);
    case.accepted_at = Some(accepted);
    case.step = Some("review".into());
    case.step_entered_at = accepted;
    case.revision = 2;
    case
}

fn pause(kind: PauseKind, special: Option<SpecialKind>, start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> Pause {
    Pause { kind, special, reason: "测试".into(), start, end }
}

#[test]
fn the_worked_example() {
    // 受理 2021-09-29; 20 工作日; 国庆 10-01..07 off; 10-09 调休 Saturday works; an expert review
    // from 10-12 to 10-18 takes out 5 working days.
    let item = ItemBuilder::new().build();
    let mut case = accepted(&item, at(2021, 9, 29, 10, 0));
    let review = Some(SpecialKind::ExpertReview);
    case.pauses.push(pause(PauseKind::Special, review, at(2021, 10, 12, 9, 0), Some(at(2021, 10, 18, 17, 0))));
    let d = deadline(&item, &case, cal(), at(2021, 10, 20, 9, 0));
    assert_eq!(d.due, Some(date(2021, 11, 9)));
    assert_eq!(
        d.explanation,
        "受理 2021-09-29，受理当日不计；20 个工作日；10-01至10-07 国庆节不计；10-09 调休上班计入；\
         10-12至10-18 专家评审（5 个工作日）不计 → 2021-11-09"
    );
    assert!(!d.provisional);
    // 09-30, 10-08, 10-09, 10-11, (paused), 10-19, 10-20.
    assert_eq!(d.used_workdays, 6);
    assert_eq!(d.remaining_workdays, 14);
    assert_eq!(d.warning, Warning::Green);
    // The calendar agrees: without the pause it would be 11-02.
    case.pauses.clear();
    assert_eq!(deadline(&item, &case, cal(), at(2021, 10, 20, 9, 0)).due, Some(date(2021, 11, 2)));
}

#[test]
fn spring_festival_2021_with_makeup_days() {
    // The promised limit (10) wins over the statutory one (20).
    let item = ItemBuilder::new().promised(Some(workdays(10, "达州市承诺"))).build();
    let case = accepted(&item, at(2021, 2, 5, 15, 0));
    let d = deadline(&item, &case, cal(), at(2021, 2, 5, 15, 0));
    assert_eq!(d.due, Some(date(2021, 2, 24)));
    assert_eq!(
        d.explanation,
        "受理 2021-02-05，受理当日不计；10 个工作日；02-07 调休上班计入；02-11至02-17 春节不计；\
         02-20 调休上班计入 → 2021-02-24"
    );
    assert_eq!((d.used_workdays, d.remaining_workdays), (0, 10));
}

#[test]
fn spring_festival_2026() {
    let item = ItemBuilder::new().promised(Some(workdays(5, "达州市承诺"))).build();
    let case = accepted(&item, at(2026, 2, 13, 11, 0));
    let d = deadline(&item, &case, cal(), at(2026, 2, 13, 11, 0));
    assert_eq!(d.due, Some(date(2026, 2, 27)));
    assert_eq!(
        d.explanation,
        "受理 2026-02-13，受理当日不计；5 个工作日；02-14 调休上班计入；02-15至02-23 春节不计 → 2026-02-27"
    );
}

#[test]
fn supplement_pause_stops_the_acceptance_clock_across_spring_festival_2026() {
    // Submitted Thursday 02-12; the one-time notice on 02-13; the supplement on 02-25. The
    // acceptance step's 5 working days skip the whole pause (02-14 调休 included: paused).
    let item = ItemBuilder::new().build();
    let mut case = draft(&item);
    case.status = CaseStatus::Submitted;
    case.submitted_at = Some(at(2026, 2, 12, 10, 0));
    case.step = Some("accept".into());
    case.step_entered_at = at(2026, 2, 12, 10, 0);
    case.pauses.push(pause(PauseKind::Supplement, None, at(2026, 2, 13, 9, 0), Some(at(2026, 2, 25, 16, 0))));
    let d = step_deadline(&item, &case, cal(), at(2026, 2, 26, 9, 0));
    assert_eq!(d.due, Some(date(2026, 3, 3)));
    assert_eq!(
        d.explanation,
        "进入“受理”环节 2026-02-12，当日不计；5 个工作日；02-13至02-25 补正（4 个工作日）不计；\
         02-15至02-23 春节不计；02-28 调休上班计入 → 2026-03-03"
    );
    assert_eq!((d.used_workdays, d.remaining_workdays), (1, 4));
    // The matter's own deadline has not started.
    let matter = deadline(&item, &case, cal(), at(2026, 2, 26, 9, 0));
    assert_eq!(matter.due, None);
    assert_eq!(matter.explanation, "尚未受理；办结期限自受理之日起算，受理当日不计");
}

#[test]
fn a_supplement_before_acceptance_does_not_move_the_matter_deadline() {
    let item = ItemBuilder::new().build();
    let mut case = accepted(&item, at(2021, 9, 29, 10, 0));
    let without = deadline(&item, &case, cal(), at(2021, 9, 29, 10, 0));
    case.pauses.push(pause(PauseKind::Supplement, None, at(2021, 9, 20, 9, 0), Some(at(2021, 9, 28, 9, 0))));
    let with = deadline(&item, &case, cal(), at(2021, 9, 29, 10, 0));
    assert_eq!(with, without);
    // A pause ending on the acceptance day takes nothing out either (that day is not counted).
    case.pauses[0].end = Some(at(2021, 9, 29, 9, 0));
    assert_eq!(deadline(&item, &case, cal(), at(2021, 9, 29, 10, 0)), without);
}

#[test]
fn national_day_2021_with_a_supplement_pause_at_the_acceptance_step() {
    // Submitted 09-28; notice 09-29; supplement 10-09 (a 调休 Saturday, paused).
    let item = ItemBuilder::new().build();
    let mut case = draft(&item);
    case.status = CaseStatus::Submitted;
    case.submitted_at = Some(at(2021, 9, 28, 10, 0));
    case.step = Some("accept".into());
    case.step_entered_at = at(2021, 9, 28, 10, 0);
    case.pauses.push(pause(PauseKind::Supplement, None, at(2021, 9, 29, 9, 0), Some(at(2021, 10, 9, 10, 0))));
    let d = step_deadline(&item, &case, cal(), at(2021, 10, 9, 10, 0));
    // 10-11, 12, 13, 14, 15.
    assert_eq!(d.due, Some(date(2021, 10, 15)));
    assert_eq!(
        d.explanation,
        "进入“受理”环节 2021-09-28，当日不计；5 个工作日；09-29至10-09 补正（4 个工作日）不计；\
         10-01至10-07 国庆节不计 → 2021-10-15"
    );
}

#[test]
fn a_limit_into_2027_is_provisional() {
    let item = ItemBuilder::new().build();
    let case = accepted(&item, at(2026, 12, 21, 10, 0));
    let d = deadline(&item, &case, cal(), at(2026, 12, 21, 10, 0));
    // 8 working days left in 2026 (12-22..31), then Monday–Friday assumed: 2027-01-01 (Friday)
    // is the 9th, 01-18 the 20th.
    assert_eq!(d.due, Some(date(2027, 1, 18)));
    assert!(d.provisional);
    assert_eq!(
        d.explanation,
        "受理 2026-12-21，受理当日不计；20 个工作日；2027 年节假日安排未载入，按周一至周五暂定 → 2027-01-18（暂定）"
    );
    assert_eq!(d.remaining_workdays, 20);
    // Well inside the data: not provisional.
    let case = accepted(&item, at(2026, 11, 2, 10, 0));
    assert!(!deadline(&item, &case, cal(), at(2026, 11, 2, 10, 0)).provisional);
}

#[test]
fn warnings_at_their_boundaries() {
    // 20 working days from Monday 2021-03-01: due 03-29; the yellow zone is the last 4.
    let item = ItemBuilder::new().build();
    let case = accepted(&item, at(2021, 3, 1, 10, 0));
    let check = |now: DateTime<Utc>, warning: Warning, remaining: i64, used: u32| {
        let d = deadline(&item, &case, cal(), now);
        assert_eq!(d.due, Some(date(2021, 3, 29)));
        assert_eq!((d.warning, d.remaining_workdays, d.used_workdays), (warning, remaining, used), "{now}");
    };
    check(at(2021, 3, 1, 10, 0), Warning::Green, 20, 0);
    check(at(2021, 3, 22, 10, 0), Warning::Green, 5, 15);
    check(at(2021, 3, 23, 10, 0), Warning::Yellow, 4, 16);
    check(at(2021, 3, 29, 23, 59), Warning::Yellow, 0, 20);
    check(at(2021, 3, 30, 0, 0), Warning::Red, -1, 21);
    // 03-30, 03-31, 04-01, 04-02, (清明 04-03..05), 04-06.
    check(at(2021, 4, 6, 9, 0), Warning::Red, -5, 25);

    // A closed case is measured on its closing day.
    let mut closed = case.clone();
    closed.status = CaseStatus::Closed(Outcome::Granted);
    closed.step = None;
    closed.closed_at = Some(at(2021, 3, 29, 16, 0));
    let d = deadline(&item, &closed, cal(), at(2021, 6, 1, 9, 0));
    assert_eq!((d.warning, d.used_workdays, d.remaining_workdays), (Warning::Green, 20, 0));
    closed.closed_at = Some(at(2021, 3, 30, 9, 0));
    assert_eq!(deadline(&item, &closed, cal(), at(2021, 6, 1, 9, 0)).warning, Warning::Red);

    // Short limits: at least the last working day is yellow.
    let one = ItemBuilder::new().promised(Some(workdays(1, "承诺"))).build();
    let case = accepted(&one, at(2021, 3, 1, 10, 0));
    assert_eq!(deadline(&one, &case, cal(), at(2021, 3, 1, 10, 0)).warning, Warning::Yellow);
    let three = ItemBuilder::new().promised(Some(workdays(3, "承诺"))).build();
    let case = accepted(&three, at(2021, 3, 1, 10, 0));
    assert_eq!(deadline(&three, &case, cal(), at(2021, 3, 2, 10, 0)).warning, Warning::Green);
    assert_eq!(deadline(&three, &case, cal(), at(2021, 3, 3, 10, 0)).warning, Warning::Yellow);
}

#[test]
fn natural_days_move_off_a_holiday() {
    let item = ItemBuilder::new().statutory(Some(days(30, "某条例第十条"))).build();
    let case = accepted(&item, at(2021, 9, 3, 10, 0));
    let d = deadline(&item, &case, cal(), at(2021, 9, 3, 10, 0));
    assert_eq!(d.due, Some(date(2021, 10, 8)));
    assert_eq!(
        d.explanation,
        "受理 2021-09-03，受理当日不计；30 日（自然日）；期满日 10-03 为国庆节，顺延至 10-08 → 2021-10-08"
    );

    // Paused natural days are not counted: 03-31 becomes 04-03 (清明), then 04-06.
    let mut case = accepted(&item, at(2021, 3, 1, 10, 0));
    case.pauses.push(pause(PauseKind::Suspend, None, at(2021, 3, 10, 9, 0), Some(at(2021, 3, 12, 9, 0))));
    let d = deadline(&item, &case, cal(), at(2021, 3, 15, 10, 0));
    assert_eq!(d.due, Some(date(2021, 4, 6)));
    assert_eq!(
        d.explanation,
        "受理 2021-03-01，受理当日不计；30 日（自然日）；03-10至03-12 中止（3 日）不计；\
         期满日 04-03 为清明节，顺延至 04-06 → 2021-04-06"
    );
    // Natural-day warnings count natural days: 6 days is the zone for 30.
    assert_eq!(deadline(&item, &case, cal(), at(2021, 3, 30, 10, 0)).warning, Warning::Green);
    assert_eq!(deadline(&item, &case, cal(), at(2021, 3, 31, 10, 0)).warning, Warning::Yellow);
}

#[test]
fn an_extension_adds_to_the_limit() {
    let item = ItemBuilder::new().build();
    let mut case = accepted(&item, at(2021, 3, 1, 10, 0));
    case.extensions.push(Extension {
        workdays: 10,
        reason: "案情复杂".into(),
        approver: "account:3:decider".into(),
        at: at(2021, 3, 20, 10, 0),
    });
    let d = deadline(&item, &case, cal(), at(2021, 3, 22, 10, 0));
    assert_eq!(d.due, Some(cal().add_workdays(date(2021, 3, 1), 30).unwrap()));
    assert!(d.explanation.contains("20 个工作日，经批准延长 10 个工作日"), "{}", d.explanation);
    assert_eq!(d.warning, Warning::Green);
}

#[test]
fn an_open_pause_runs_to_today() {
    let item = ItemBuilder::new().build();
    let mut case = accepted(&item, at(2021, 3, 1, 10, 0));
    case.status = CaseStatus::Paused(PauseKind::Suspend);
    case.pauses.push(pause(PauseKind::Suspend, None, at(2021, 3, 10, 9, 0), None));
    let on_12th = deadline(&item, &case, cal(), at(2021, 3, 12, 10, 0));
    let on_15th = deadline(&item, &case, cal(), at(2021, 3, 15, 10, 0));
    assert_eq!(on_12th.due, Some(cal().add_workdays(date(2021, 3, 1), 23).unwrap()));
    assert_eq!(on_15th.due, Some(cal().add_workdays(date(2021, 3, 1), 24).unwrap()));
    assert!(on_15th.explanation.contains("03-10至03-15 中止（暂停中，4 个工作日）不计"), "{}", on_15th.explanation);
    // 03-02..03-09; the paused days are not used.
    assert_eq!(on_15th.used_workdays, 6);
}

#[test]
fn pauses_the_procedure_does_not_provide_for_are_counted() {
    let item = ItemBuilder::new().pauses(vec![]).build();
    let mut case = accepted(&item, at(2021, 3, 1, 10, 0));
    case.pauses.push(pause(
        PauseKind::Special,
        Some(SpecialKind::Hearing),
        at(2021, 3, 2, 9, 0),
        Some(at(2021, 3, 5, 9, 0)),
    ));
    assert_eq!(deadline(&item, &case, cal(), at(2021, 3, 8, 9, 0)).due, Some(date(2021, 3, 29)));
}

#[test]
fn no_period() {
    let item = ItemBuilder::new().statutory(None).build();
    let case = accepted(&item, at(2021, 3, 1, 10, 0));
    let d = deadline(&item, &case, cal(), at(2021, 3, 1, 10, 0));
    assert_eq!((d.due, d.explanation.as_str()), (None, "本事项未设办结期限"));
    let mut refused = draft(&item);
    refused.status = CaseStatus::Closed(Outcome::NotAccepted);
    assert_eq!(deadline(&item, &refused, cal(), at(2021, 3, 1, 10, 0)).explanation, "未受理，不计办结期限");
    // The review step has a limit; the decision step has none; a draft has no step.
    let item = ItemBuilder::new().build();
    let mut case = accepted(&item, at(2021, 3, 1, 10, 0));
    assert_eq!(step_deadline(&item, &case, cal(), at(2021, 3, 1, 10, 0)).due, Some(date(2021, 3, 15)));
    case.step = Some("decide".into());
    assert_eq!(step_deadline(&item, &case, cal(), at(2021, 3, 1, 10, 0)).explanation, "“决定”环节未设期限");
    assert_eq!(step_deadline(&item, &draft(&item), cal(), at(2021, 3, 1, 10, 0)).explanation, "当前没有办理环节");
}

#[test]
fn a_wait_step_runs_on_its_timer() {
    // 公示 7 日 from Friday 2021-09-24: 10-01 is 国庆 → 10-08.
    let item = ItemBuilder::new().build();
    let mut case = accepted(&item, at(2021, 9, 1, 10, 0));
    case.step = Some("publicity".into());
    case.step_entered_at = at(2021, 9, 24, 10, 0);
    let d = step_deadline(&item, &case, cal(), at(2021, 9, 24, 10, 0));
    assert_eq!(d.due, Some(date(2021, 10, 8)));
    assert_eq!(
        d.explanation,
        "进入“公示”环节 2021-09-24，当日不计；7 日（自然日）；期满日 10-01 为国庆节，顺延至 10-08 → 2021-10-08"
    );
    // A natural-day period counts down in natural days: 14 left on 09-24 (only 6 working days,
    // the 调休 Sunday 09-26 among them, 国庆 in between); on 09-30 8 left; overdue by natural
    // days after 10-08.
    assert_eq!((d.remaining_days, d.remaining_workdays), (Some(14), 6));
    assert_eq!(step_deadline(&item, &case, cal(), at(2021, 9, 30, 10, 0)).remaining_days, Some(8));
    assert_eq!(step_deadline(&item, &case, cal(), at(2021, 10, 10, 10, 0)).remaining_days, Some(-2));
    // A working-day limit has none.
    let review = accepted(&item, at(2021, 9, 1, 10, 0));
    assert_eq!(step_deadline(&item, &review, cal(), at(2021, 9, 2, 10, 0)).remaining_days, None);
}

fn months(value: u32) -> crate::procedure::Limit {
    crate::procedure::Limit {
        value, unit: crate::procedure::LimitUnit::Month, basis: "代表法第五十一条".into()
    }
}

#[test]
fn a_limit_in_months_ends_on_the_corresponding_day_or_the_months_last() {
    // 3 months from 30 November: 2024 is a leap year, 2025 is not.
    let item = ItemBuilder::new().statutory(Some(months(3))).build();
    let case = accepted(&item, at(2023, 11, 30, 10, 0));
    let d = deadline(&item, &case, cal(), at(2023, 12, 1, 10, 0));
    assert_eq!(d.due, Some(date(2024, 2, 29)));
    assert_eq!(d.explanation, "受理 2023-11-30，受理当日不计；3 个月 → 2024-02-29");
    assert_eq!(d.warning, Warning::Green);
    let case = accepted(&item, at(2024, 11, 30, 10, 0));
    assert_eq!(deadline(&item, &case, cal(), at(2024, 12, 1, 10, 0)).due, Some(date(2025, 2, 28)));

    // 6 months from 31 August 2025 → 28 February 2026, a 调休 working Saturday: it stays.
    let six = ItemBuilder::new().statutory(Some(months(6))).build();
    let case = accepted(&six, at(2025, 8, 31, 10, 0));
    let d = deadline(&six, &case, cal(), at(2025, 9, 1, 10, 0));
    assert_eq!(d.due, Some(date(2026, 2, 28)));
    assert_eq!(d.explanation, "受理 2025-08-31，受理当日不计；6 个月 → 2026-02-28");

    // 31 January + 1 month.
    let one = ItemBuilder::new().statutory(Some(months(1))).build();
    let case = accepted(&one, at(2025, 1, 31, 10, 0));
    assert_eq!(deadline(&one, &case, cal(), at(2025, 2, 1, 10, 0)).due, Some(date(2025, 2, 28)));
    let case = accepted(&one, at(2024, 1, 31, 10, 0));
    assert_eq!(deadline(&one, &case, cal(), at(2024, 2, 1, 10, 0)).due, Some(date(2024, 2, 29)));
}

#[test]
fn a_limit_in_months_ending_on_a_holiday_moves_to_the_next_working_day() {
    // 交办 2025-07-01 + 3 months = 2025-10-01, 国庆 (10-01..10-08) → 10-09.
    let item = ItemBuilder::new().statutory(Some(months(3))).build();
    let case = accepted(&item, at(2025, 7, 1, 10, 0));
    let d = deadline(&item, &case, cal(), at(2025, 7, 2, 10, 0));
    assert_eq!(d.due, Some(date(2025, 10, 9)));
    assert_eq!(
        d.explanation,
        "受理 2025-07-01，受理当日不计；3 个月；期满日 10-01 为国庆节，顺延至 10-09 → 2025-10-09"
    );
    // The warning zone is 20% of the period's days (100 days → 20): green on 09-18, yellow on 09-19,
    // red the day after the due date.
    assert_eq!(deadline(&item, &case, cal(), at(2025, 9, 18, 10, 0)).warning, Warning::Green);
    assert_eq!(deadline(&item, &case, cal(), at(2025, 9, 19, 10, 0)).warning, Warning::Yellow);
    assert_eq!(deadline(&item, &case, cal(), at(2025, 10, 9, 23, 0)).warning, Warning::Yellow);
    assert_eq!(deadline(&item, &case, cal(), at(2025, 10, 10, 0, 1)).warning, Warning::Red);

    // Paused days are not counted: a 3-day pause moves 2025-09-22 to 09-25.
    let item = ItemBuilder::new().statutory(Some(months(3))).build();
    let mut case = accepted(&item, at(2025, 6, 22, 10, 0));
    case.pauses.push(pause(PauseKind::Suspend, None, at(2025, 7, 1, 9, 0), Some(at(2025, 7, 3, 9, 0))));
    let d = deadline(&item, &case, cal(), at(2025, 7, 10, 10, 0));
    assert_eq!(d.due, Some(date(2025, 9, 25)));
    assert!(d.explanation.contains("07-01至07-03 中止（3 日）不计"), "{}", d.explanation);
    // Extended by 3 months with approval (代表法第五十一条: 6 months for a difficult suggestion).
    let mut case = accepted(&item, at(2025, 8, 31, 10, 0));
    case.extensions.push(Extension {
        workdays: 3,
        reason: "涉及面广、办理难度大".into(),
        approver: "account:3:decider".into(),
        at: at(2025, 9, 20, 10, 0),
    });
    let d = deadline(&item, &case, cal(), at(2025, 9, 21, 10, 0));
    assert_eq!(d.due, Some(date(2026, 2, 28)));
    assert!(d.explanation.contains("3 个月，经批准延长 3 个月"), "{}", d.explanation);
}

#[test]
fn a_step_limit_in_hours_runs_from_the_moment_whatever_the_day() {
    let hours =
        crate::procedure::Limit {
            value: 24, unit: crate::procedure::LimitUnit::Hour, basis: "24小时内推送".into()
        };
    let item = ItemBuilder::new().pauses(vec![]).edit_step("review", |s| s.limit = Some(hours)).build();
    // Entered on 2025-09-30 at 15:30; 24 hours → 2025-10-01 15:30, in 国庆: not moved.
    let case = accepted(&item, at(2025, 9, 30, 15, 30));
    let d = step_deadline(&item, &case, cal(), at(2025, 9, 30, 16, 0));
    assert_eq!(d.due, Some(date(2025, 10, 1)));
    assert_eq!(
        d.explanation,
        "进入“审核”环节于 2025-09-30 15:30，按小时计算，自该时刻起算；24 小时 → 2025-10-01 15:30"
    );
    assert_eq!(d.warning, Warning::Green);
    assert_eq!(step_deadline(&item, &case, cal(), at(2025, 10, 1, 15, 0)).warning, Warning::Yellow);
    assert_eq!(step_deadline(&item, &case, cal(), at(2025, 10, 1, 15, 30)).warning, Warning::Yellow);
    // One minute past the moment is overdue, on the same day.
    assert_eq!(step_deadline(&item, &case, cal(), at(2025, 10, 1, 15, 31)).warning, Warning::Red);
}

#[test]
fn a_limit_in_months_past_the_calendar_data_is_provisional() {
    // 2026-11-30 + 3 months = 2027-02-28, a Sunday in a year without data: Monday, 暂定.
    let item = ItemBuilder::new().statutory(Some(months(3))).build();
    let case = accepted(&item, at(2026, 11, 30, 10, 0));
    let d = deadline(&item, &case, cal(), at(2026, 12, 1, 10, 0));
    assert_eq!(d.due, Some(date(2027, 3, 1)));
    assert!(d.provisional);
    assert_eq!(
        d.explanation,
        "受理 2026-11-30，受理当日不计；3 个月；期满日 2027-02-28 为休息日，顺延至 2027-03-01；\
         2027 年节假日安排未载入，按周一至周五暂定 → 2027-03-01（暂定）"
    );
}

/// A wait step's period in months ends by the calendar: the timer may fire only after the last
/// day (moved off 国庆 here), whenever the sweep runs.
#[test]
fn a_wait_period_in_months_fires_after_its_last_day() {
    use crate::division::Divisions;
    use crate::engine::action::ActionKind;
    use crate::engine::apply::allowed_actions;
    use crate::engine::context::{ActorAt, EngineContext};
    use crate::procedure::{Timer, TimerOutcome};

    let item = ItemBuilder::new()
        .edit_step("publicity", |s| s.timer = Some(Timer { after: months(3), outcome: TimerOutcome::Advance }))
        .build();
    let mut case = accepted(&item, at(2025, 6, 20, 10, 0));
    case.step = Some("publicity".into());
    case.step_entered_at = at(2025, 7, 1, 10, 0);
    let ctx =
        EngineContext { divisions: Divisions::builtin(), calendar: cal(), delegations: &[], guard: None, skip: None };
    let system = ActorAt::system();
    let fires = |now| allowed_actions(&item, &case, &system, &ctx, now).contains(&ActionKind::TimerExpired);
    assert!(!fires(at(2025, 10, 1, 12, 0)));
    assert!(!fires(at(2025, 10, 9, 23, 59)));
    assert!(fires(at(2025, 10, 10, 0, 0)));
}
