//! The periods of a request, computed from its dated history on the work calendar.
//!
//! - 第三十条: a request whose content is unclear gets ONE correction notice (一次性告知), within
//!   7 working days of receipt, with a reasonable period to correct; the answer period runs from
//!   the day the organ receives the corrected request; no correction within the period → the
//!   request is treated as abandoned (视为放弃申请).
//! - 第三十三条第二款: answer within 20 working days of receipt; with the approval of the head of
//!   the organ's disclosure work, extendable once by at most 20 working days, the applicant told.
//! - 第三十三条第三款 and 第三十二条: the time spent consulting a third party is not counted; the
//!   third party has 15 working days from receiving the request for its opinion.
//!
//! Periods in working days do not count their first day (民法典 第二百零一条), through
//! [`WorkCalendar::add_workdays_excluding`]. The consultation pause covers the days after the day
//! the consultation is sent through the day its opinion (or its lapse) is recorded: the sending
//! day is a day the organ worked on the request [interpretation; 第三十三条第三款 says only that
//! the time 所需时间 is not counted].

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::problem::FieldError;

/// 第三十条: the correction notice is given within 7 working days of receipt.
pub const CORRECTION_NOTICE_WORKDAYS: u32 = 7;
/// 第三十三条第二款: the answer period.
pub const ANSWER_WORKDAYS: u32 = 20;
/// 第三十三条第二款: the one extension, at most.
pub const EXTENSION_MAX_WORKDAYS: u32 = 20;
/// 第三十二条: the third party's time for its opinion.
pub const THIRD_PARTY_WORKDAYS: u32 = 15;

/// One dated step in a request's history (the answer is held apart: [`Timeline::answered_on`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// 第三十条: the one correction notice, given on `on`, to be corrected by `until`.
    CorrectionNotice { on: NaiveDate, until: NaiveDate },
    /// 第三十条: the corrected request received on `on`; the answer period restarts.
    Corrected { on: NaiveDate },
    /// 第三十三条第二款: the one extension, decided on `on`, by `workdays`.
    Extension { on: NaiveDate, workdays: u32 },
    /// 第三十二条: the organ sends its request for the third party's opinion on `on`.
    ConsultationStart { on: NaiveDate },
    /// The third party's opinion received, or its 15 working days lapsed, on `on`.
    ConsultationEnd { on: NaiveDate },
}

impl Step {
    pub fn on(&self) -> NaiveDate {
        match self {
            Step::CorrectionNotice { on, .. }
            | Step::Corrected { on }
            | Step::Extension { on, .. }
            | Step::ConsultationStart { on }
            | Step::ConsultationEnd { on } => *on,
        }
    }

    /// The machine name (stored, and in the API).
    pub fn kind(&self) -> &'static str {
        match self {
            Step::CorrectionNotice { .. } => "correction_notice",
            Step::Corrected { .. } => "corrected",
            Step::Extension { .. } => "extension",
            Step::ConsultationStart { .. } => "consultation_start",
            Step::ConsultationEnd { .. } => "consultation_end",
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            Step::CorrectionNotice { .. } => "告知补正",
            Step::Corrected { .. } => "收到补正后的申请",
            Step::Extension { .. } => "延长答复期限",
            Step::ConsultationStart { .. } => "书面征求第三方意见",
            Step::ConsultationEnd { .. } => "第三方意见收回（或期满）",
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The period runs.
    Running,
    /// A correction notice is out and its period has not ended.
    AwaitingCorrection {
        until: NaiveDate,
    },
    /// The correction period ended without a corrected request: treated as abandoned (第三十条).
    CorrectionLapsed {
        until: NaiveDate,
    },
    /// A third party is consulted; the period does not run.
    Consulting {
        since: NaiveDate,
        third_party_due: NaiveDate,
    },
    Answered {
        on: NaiveDate,
    },
}

impl Stage {
    pub fn name_zh(&self) -> &'static str {
        match self {
            Stage::Running => "办理中",
            Stage::AwaitingCorrection { .. } => "等待补正",
            Stage::CorrectionLapsed { .. } => "逾期未补正（视为放弃申请）",
            Stage::Consulting { .. } => "征求第三方意见（不计入答复期限）",
            Stage::Answered { .. } => "已答复",
        }
    }
}

/// The periods of a request on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub received_on: NaiveDate,
    /// The last day for the correction notice (第三十条: 7 working days after receipt).
    pub correction_notice_due: NaiveDate,
    /// The day the answer period counts from: the receipt, or the corrected request's receipt.
    /// `None` while a correction is awaited or lapsed.
    pub period_start: Option<NaiveDate>,
    /// The last day to answer; `None` while the period does not run (correction, consultation).
    pub answer_due: Option<NaiveDate>,
    /// The last day of the 20 working days before any extension, pauses excluded.
    pub base_due: Option<NaiveDate>,
    pub extension_workdays: u32,
    /// The consultation pauses, both ends inclusive (see the module's note).
    pub paused: Vec<(NaiveDate, NaiveDate)>,
    pub stage: Stage,
    /// Working days left after `today` until `answer_due` (0 on the last day, negative once
    /// past it); `None` when there is no due date.
    pub remaining_workdays: Option<i64>,
}

/// A request's dated history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub received_on: NaiveDate,
    /// In the order they were recorded (their dates never go back).
    pub steps: Vec<Step>,
    pub answered_on: Option<NaiveDate>,
}

fn refuse(field: &str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

fn calendar_error(err: CalendarError) -> FieldError {
    FieldError::new("on", err.code(), err.to_string())
}

impl Timeline {
    pub fn new(received_on: NaiveDate) -> Timeline {
        Timeline { received_on, steps: Vec::new(), answered_on: None }
    }

    fn correction_notice(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.steps.iter().find_map(|s| match s {
            Step::CorrectionNotice { on, until } => Some((*on, *until)),
            _ => None,
        })
    }

    fn corrected_on(&self) -> Option<NaiveDate> {
        self.steps.iter().find_map(|s| match s {
            Step::Corrected { on } => Some(*on),
            _ => None,
        })
    }

    fn extension(&self) -> Option<u32> {
        self.steps.iter().find_map(|s| match s {
            Step::Extension { workdays, .. } => Some(*workdays),
            _ => None,
        })
    }

    /// The consultations: closed ones as their pause, and the open one's start.
    fn consultations(&self) -> (Vec<(NaiveDate, NaiveDate)>, Option<NaiveDate>) {
        let mut paused = Vec::new();
        let mut open = None;
        for step in &self.steps {
            match step {
                Step::ConsultationStart { on } => open = Some(*on),
                Step::ConsultationEnd { on } => {
                    if let Some(start) = open.take() {
                        if let Some(first) = start.succ_opt() {
                            paused.push((first, *on));
                        }
                    }
                }
                _ => {}
            }
        }
        (paused, open)
    }

    /// The periods on `today`.
    pub fn limits(&self, calendar: &WorkCalendar, today: NaiveDate) -> Result<Limits, CalendarError> {
        let correction_notice_due = calendar.add_workdays(self.received_on, CORRECTION_NOTICE_WORKDAYS)?;
        let (paused, open) = self.consultations();
        let extension_workdays = self.extension().unwrap_or(0);
        let mut limits = Limits {
            received_on: self.received_on,
            correction_notice_due,
            period_start: None,
            answer_due: None,
            base_due: None,
            extension_workdays,
            paused: paused.clone(),
            stage: Stage::Running,
            remaining_workdays: None,
        };
        let start = match (self.correction_notice(), self.corrected_on()) {
            (None, _) => self.received_on,
            (Some(_), Some(corrected)) => corrected,
            (Some((_, until)), None) => {
                limits.stage = match self.answered_on {
                    Some(on) => Stage::Answered { on },
                    None if today > until => Stage::CorrectionLapsed { until },
                    None => Stage::AwaitingCorrection { until },
                };
                return Ok(limits);
            }
        };
        limits.period_start = Some(start);
        limits.base_due = Some(calendar.add_workdays_excluding(start, ANSWER_WORKDAYS, &paused)?);
        if let Some(since) = open {
            limits.stage = match self.answered_on {
                Some(on) => Stage::Answered { on },
                None => {
                    Stage::Consulting { since, third_party_due: calendar.add_workdays(since, THIRD_PARTY_WORKDAYS)? }
                }
            };
            return Ok(limits);
        }
        let due = calendar.add_workdays_excluding(start, ANSWER_WORKDAYS + extension_workdays, &paused)?;
        limits.answer_due = Some(due);
        limits.stage = match self.answered_on {
            Some(on) => Stage::Answered { on },
            None => Stage::Running,
        };
        limits.remaining_workdays = Some(if today <= due {
            i64::from(calendar.workdays_elapsed(today, due, &[])?)
        } else {
            -i64::from(calendar.workdays_elapsed(due, today, &[])?)
        });
        Ok(limits)
    }

    /// Whether `step` may be recorded next, on `today` (no step is dated after `today`). Each
    /// refusal names its rule.
    pub fn check(&self, step: &Step, calendar: &WorkCalendar, today: NaiveDate) -> Result<(), FieldError> {
        let on = step.on();
        if self.answered_on.is_some() {
            return Err(refuse("", "already_answered", "该申请已经答复，不能再记录办理环节"));
        }
        if on > today {
            return Err(refuse("on", "date_in_future", "日期不能晚于今天"));
        }
        let last = self.steps.last().map(Step::on).unwrap_or(self.received_on);
        if on < last {
            return Err(refuse("on", "date_order", format!("日期不能早于上一办理环节（{last}）")));
        }
        let limits = self.limits(calendar, today).map_err(calendar_error)?;
        match step {
            Step::CorrectionNotice { until, .. } => {
                if self.correction_notice().is_some() {
                    return Err(refuse(
                        "",
                        "correction_once",
                        "补正应当一次性告知，该申请已经告知过补正（条例第三十条）",
                    ));
                }
                if matches!(limits.stage, Stage::Consulting { .. }) {
                    return Err(refuse("", "consultation_open", "正在征求第三方意见，请先记录意见收回"));
                }
                if on > limits.correction_notice_due {
                    return Err(refuse(
                        "on",
                        "correction_late",
                        format!(
                            "应当自收到申请之日起7个工作日内告知补正，最后一日为{}（条例第三十条）",
                            limits.correction_notice_due
                        ),
                    ));
                }
                if *until <= on {
                    return Err(refuse("until", "correction_period", "补正期限应晚于告知之日"));
                }
                Ok(())
            }
            Step::Corrected { .. } => match limits.stage {
                Stage::AwaitingCorrection { until } if on <= until => Ok(()),
                Stage::AwaitingCorrection { until } | Stage::CorrectionLapsed { until } => Err(refuse(
                    "on",
                    "correction_lapsed",
                    format!("补正期限已于{until}届满，逾期未补正的视为放弃申请（条例第三十条）"),
                )),
                _ => Err(refuse("", "no_correction_pending", "该申请没有待补正的告知")),
            },
            Step::Extension { workdays, .. } => {
                if self.extension().is_some() {
                    return Err(refuse("", "extension_once", "答复期限只能延长一次（条例第三十三条第二款）"));
                }
                if !(1..=EXTENSION_MAX_WORKDAYS).contains(workdays) {
                    return Err(refuse(
                        "workdays",
                        "extension_days",
                        "延长的期限为1至20个工作日（条例第三十三条第二款）",
                    ));
                }
                match limits.answer_due {
                    Some(due) if on <= due => Ok(()),
                    Some(due) => Err(refuse(
                        "on",
                        "extension_after_due",
                        format!("延长答复期限应在期限届满前决定，原期限于{due}届满"),
                    )),
                    None => Err(refuse("", "period_not_running", "答复期限当前未在计算（等待补正或征求第三方意见中）")),
                }
            }
            Step::ConsultationStart { .. } => match limits.stage {
                Stage::Running => Ok(()),
                Stage::Consulting { .. } => {
                    Err(refuse("", "consultation_open", "已在征求第三方意见，请先记录意见收回"))
                }
                _ => Err(refuse("", "period_not_running", "等待补正的申请不能征求第三方意见")),
            },
            Step::ConsultationEnd { .. } => match limits.stage {
                Stage::Consulting { .. } => Ok(()),
                _ => Err(refuse("", "no_consultation_open", "没有正在进行的征求第三方意见")),
            },
        }
    }

    /// Whether an answer of `kind` may be recorded on `on`: not before the last step, not in the
    /// future, not while a consultation is open. While a correction is awaited, only once its
    /// period has lapsed, and then only as abandoned (第三十条: 视为放弃申请); "still unclear after
    /// correction" only once a corrected request was received.
    pub fn check_answer(
        &self,
        on: NaiveDate,
        kind: super::AnswerKind,
        calendar: &WorkCalendar,
        today: NaiveDate,
    ) -> Result<(), FieldError> {
        let abandoned = kind == super::AnswerKind::Abandoned;
        if kind == super::AnswerKind::UnclearAfterCorrection && self.corrected_on().is_none() {
            return Err(refuse("kind", "not_corrected", "没有收到补正后的申请，不能答复“补正后申请内容仍不明确”"));
        }
        if self.answered_on.is_some() {
            return Err(refuse("", "already_answered", "该申请已经答复"));
        }
        if on > today {
            return Err(refuse("answered_on", "date_in_future", "日期不能晚于今天"));
        }
        let last = self.steps.last().map(Step::on).unwrap_or(self.received_on);
        if on < last {
            return Err(refuse("answered_on", "date_order", format!("答复日期不能早于上一办理环节（{last}）")));
        }
        let stage = self.limits(calendar, today).map_err(calendar_error)?.stage;
        match (stage, abandoned) {
            (Stage::Consulting { .. }, _) => {
                Err(refuse("", "consultation_open", "正在征求第三方意见，请先记录意见收回（或期满）"))
            }
            (Stage::CorrectionLapsed { until }, true) if on > until => Ok(()),
            (Stage::CorrectionLapsed { .. } | Stage::AwaitingCorrection { .. }, true) => {
                Err(refuse("kind", "correction_not_lapsed", "补正期限届满前，不能按逾期未补正处理"))
            }
            (_, true) => Err(refuse("kind", "no_correction_pending", "该申请没有待补正的告知，不能按逾期未补正处理")),
            (Stage::AwaitingCorrection { .. } | Stage::CorrectionLapsed { .. }, false) => Err(refuse(
                "kind",
                "awaiting_correction",
                "该申请正在等待补正；逾期未补正的，选择“逾期不补正，不再处理”",
            )),
            (_, false) => Ok(()),
        }
    }
}

/// A step as entered (strings from a form or JSON body).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StepInput {
    /// `correction_notice`, `corrected`, `extension`, `consultation_start`, `consultation_end`.
    pub kind: String,
    /// `YYYY-MM-DD`: the day of the step.
    pub on: String,
    /// `YYYY-MM-DD`: the last day to correct (correction notice only).
    pub until: String,
    /// Working days of the extension (1–20).
    pub workdays: String,
    /// What to correct (correction notice: 第三十条 说明需要补正的事项); who approved and why
    /// (extension: 第三十三条第二款 经政府信息公开工作机构负责人同意); the third party consulted
    /// (consultation); otherwise optional.
    pub note: String,
}

impl StepInput {
    /// The one parser of a step for the form and the API: the step and its note.
    pub fn parse(&self) -> Result<(Step, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let on = super::request::date_field("on", &self.on, true).map_err(|e| errors.push(e)).ok().flatten();
        let (note_required, note_label) = match self.kind.trim() {
            "correction_notice" => (true, "需要补正的事项"),
            "extension" => (true, "批准延期的负责人及延期理由"),
            "consultation_start" => (true, "被征求意见的第三方"),
            _ => (false, ""),
        };
        let note = match crate::problem::text_field("note", &self.note, 1000, note_required) {
            Ok(n) => n,
            Err(mut e) => {
                if e.code == "required" {
                    e.message = format!("请填写{note_label}");
                }
                errors.push(e);
                String::new()
            }
        };
        let step = match (self.kind.trim(), on) {
            ("correction_notice", Some(on)) => match super::request::date_field("until", &self.until, true) {
                Ok(Some(until)) => Some(Step::CorrectionNotice { on, until }),
                Ok(None) => None,
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            ("corrected", Some(on)) => Some(Step::Corrected { on }),
            ("extension", Some(on)) => match self.workdays.trim().parse::<u32>() {
                Ok(workdays) => Some(Step::Extension { on, workdays }),
                Err(_) => {
                    errors.push(FieldError::new(
                        "workdays",
                        "extension_days",
                        "延长的期限为1至20个工作日（条例第三十三条第二款）",
                    ));
                    None
                }
            },
            ("consultation_start", Some(on)) => Some(Step::ConsultationStart { on }),
            ("consultation_end", Some(on)) => Some(Step::ConsultationEnd { on }),
            (_, Some(_)) => {
                errors.push(FieldError::new("kind", "invalid_step_kind", "办理环节不在可选范围内"));
                None
            }
            (_, None) => None,
        };
        match step {
            Some(step) if errors.is_empty() => Ok((step, note)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verticals::disclosure::AnswerKind;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, day).unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    /// The calendar the tests below rely on: 2021's 中秋 (9月19–21日, 调休 Saturday 9月18日),
    /// 国庆 (10月1–7日, 调休 Sunday 9月26日 and Saturday 10月9日).
    #[test]
    fn the_2021_autumn_calendar() {
        for day in [d(9, 18), d(9, 26), d(10, 9)] {
            assert!(cal().day(day).unwrap().makeup, "{day}");
        }
        for day in [d(9, 20), d(10, 1), d(10, 7)] {
            assert!(!cal().is_workday(day).unwrap(), "{day}");
        }
    }

    #[test]
    fn a_plain_request_across_national_day() {
        // Received Friday 17 September: the 调休 Saturday 18th counts, 中秋 and 国庆 do not.
        let t = Timeline::new(d(9, 17));
        let limits = t.limits(cal(), d(9, 17)).unwrap();
        assert_eq!(limits.correction_notice_due, d(9, 28));
        assert_eq!(limits.answer_due, Some(d(10, 21)));
        assert_eq!(limits.stage, Stage::Running);
        // The day the limit ends: nothing left, not yet overdue; the next working day, overdue.
        assert_eq!(t.limits(cal(), d(10, 21)).unwrap().remaining_workdays, Some(0));
        assert_eq!(t.limits(cal(), d(10, 22)).unwrap().remaining_workdays, Some(-1));
        assert_eq!(t.limits(cal(), d(10, 20)).unwrap().remaining_workdays, Some(1));
        // Over the holiday the count stands still: 10月1日 to 10月8日 lose one working day.
        let on_1st = t.limits(cal(), d(10, 1)).unwrap().remaining_workdays.unwrap();
        let on_8th = t.limits(cal(), d(10, 8)).unwrap().remaining_workdays.unwrap();
        assert_eq!(on_1st - on_8th, 1);
    }

    #[test]
    fn received_on_a_makeup_saturday_and_on_a_holiday() {
        // 9 October 2021 is a working Saturday: the period counts from it.
        let sat = Timeline::new(d(10, 9)).limits(cal(), d(10, 9)).unwrap();
        assert_eq!(sat.correction_notice_due, d(10, 19));
        assert_eq!(sat.answer_due, Some(d(11, 5)));
        // Received (confirmed online) on 3 October: the first day counted is 8 October.
        let holiday = Timeline::new(d(10, 3)).limits(cal(), d(10, 3)).unwrap();
        assert_eq!(holiday.correction_notice_due, d(10, 15));
    }

    #[test]
    fn correction_restarts_the_period_from_the_corrected_request() {
        let mut t = Timeline::new(d(9, 17));
        let notice = Step::CorrectionNotice { on: d(9, 24), until: d(10, 15) };
        t.check(&notice, cal(), d(9, 24)).unwrap();
        t.steps.push(notice);
        let waiting = t.limits(cal(), d(9, 27)).unwrap();
        assert_eq!(waiting.stage, Stage::AwaitingCorrection { until: d(10, 15) });
        assert_eq!(waiting.answer_due, None);
        // A second correction notice is refused: 一次性告知.
        let again = Step::CorrectionNotice { on: d(9, 27), until: d(10, 15) };
        assert_eq!(t.check(&again, cal(), d(9, 27)).unwrap_err().code, "correction_once");

        let corrected = Step::Corrected { on: d(9, 30) };
        t.check(&corrected, cal(), d(9, 30)).unwrap();
        t.steps.push(corrected);
        let limits = t.limits(cal(), d(9, 30)).unwrap();
        assert_eq!(limits.period_start, Some(d(9, 30)));
        assert_eq!(limits.answer_due, Some(d(11, 3)));
    }

    #[test]
    fn the_correction_notice_is_due_within_seven_working_days() {
        let t = Timeline::new(d(9, 17));
        // 28 September is the 7th working day (18th and 26th are 调休 working days).
        let last_day = Step::CorrectionNotice { on: d(9, 28), until: d(10, 15) };
        assert!(t.check(&last_day, cal(), d(9, 28)).is_ok());
        let late = Step::CorrectionNotice { on: d(9, 29), until: d(10, 15) };
        assert_eq!(t.check(&late, cal(), d(9, 29)).unwrap_err().code, "correction_late");
        let no_period = Step::CorrectionNotice { on: d(9, 28), until: d(9, 28) };
        assert_eq!(t.check(&no_period, cal(), d(9, 28)).unwrap_err().code, "correction_period");
    }

    #[test]
    fn no_correction_in_the_period_is_abandonment() {
        let mut t = Timeline::new(d(9, 17));
        t.steps.push(Step::CorrectionNotice { on: d(9, 24), until: d(10, 15) });
        // On the last day of the correction period it is still awaited.
        assert_eq!(t.limits(cal(), d(10, 15)).unwrap().stage, Stage::AwaitingCorrection { until: d(10, 15) });
        assert!(t.check(&Step::Corrected { on: d(10, 15) }, cal(), d(10, 15)).is_ok());
        assert_eq!(t.limits(cal(), d(10, 16)).unwrap().stage, Stage::CorrectionLapsed { until: d(10, 15) });
        let late = t.check(&Step::Corrected { on: d(10, 18) }, cal(), d(10, 18)).unwrap_err();
        assert_eq!(late.code, "correction_lapsed");
        // Abandonment is an answer only after the period; an ordinary answer meanwhile is refused.
        assert_eq!(
            t.check_answer(d(10, 15), AnswerKind::Abandoned, cal(), d(10, 15)).unwrap_err().code,
            "correction_not_lapsed"
        );
        assert_eq!(
            t.check_answer(d(10, 18), AnswerKind::Disclosed, cal(), d(10, 18)).unwrap_err().code,
            "awaiting_correction"
        );
        assert!(t.check_answer(d(10, 18), AnswerKind::Abandoned, cal(), d(10, 18)).is_ok());
        // Still unclear after correction: only once corrected.
        let unclear = t.check_answer(d(10, 18), AnswerKind::UnclearAfterCorrection, cal(), d(10, 18));
        assert_eq!(unclear.unwrap_err().code, "not_corrected");
        // Without a correction notice there is nothing to abandon.
        let plain = Timeline::new(d(9, 17));
        assert_eq!(
            plain.check_answer(d(10, 18), AnswerKind::Abandoned, cal(), d(10, 18)).unwrap_err().code,
            "no_correction_pending"
        );
    }

    #[test]
    fn one_extension_of_at_most_twenty_working_days_before_the_due_day() {
        let mut t = Timeline::new(d(9, 17));
        let too_long = Step::Extension { on: d(10, 20), workdays: 21 };
        assert_eq!(t.check(&too_long, cal(), d(10, 20)).unwrap_err().code, "extension_days");
        let after = Step::Extension { on: d(10, 22), workdays: 20 };
        assert_eq!(t.check(&after, cal(), d(10, 22)).unwrap_err().code, "extension_after_due");
        // On the last day of the period it may still be extended.
        let ext = Step::Extension { on: d(10, 21), workdays: 20 };
        t.check(&ext, cal(), d(10, 21)).unwrap();
        t.steps.push(ext);
        let limits = t.limits(cal(), d(10, 21)).unwrap();
        assert_eq!(limits.base_due, Some(d(10, 21)));
        assert_eq!(limits.answer_due, Some(d(11, 18)));
        let again = Step::Extension { on: d(10, 25), workdays: 5 };
        assert_eq!(t.check(&again, cal(), d(10, 25)).unwrap_err().code, "extension_once");
    }

    #[test]
    fn the_third_party_consultation_does_not_count() {
        let mut t = Timeline::new(d(9, 17));
        t.steps.push(Step::ConsultationStart { on: d(9, 24) });
        let open = t.limits(cal(), d(9, 27)).unwrap();
        // The third party's 15 working days run over 国庆 to 20 October.
        assert_eq!(open.stage, Stage::Consulting { since: d(9, 24), third_party_due: d(10, 20) });
        assert_eq!(open.answer_due, None);
        assert_eq!(
            t.check_answer(d(9, 27), AnswerKind::Disclosed, cal(), d(9, 27)).unwrap_err().code,
            "consultation_open"
        );
        assert_eq!(
            t.check(&Step::ConsultationStart { on: d(9, 27) }, cal(), d(9, 27)).unwrap_err().code,
            "consultation_open"
        );

        t.steps.push(Step::ConsultationEnd { on: d(10, 12) });
        let limits = t.limits(cal(), d(10, 12)).unwrap();
        // 4 working days ran before the pause (18th, 22nd, 23rd, 24th), 16 after it.
        assert_eq!(limits.paused, vec![(d(9, 25), d(10, 12))]);
        assert_eq!(limits.answer_due, Some(d(11, 3)));
        // Without the pause it would have been 21 October.
        assert_eq!(Timeline::new(d(9, 17)).limits(cal(), d(9, 17)).unwrap().answer_due, Some(d(10, 21)));
        // Consultation and extension together.
        t.steps.push(Step::Extension { on: d(11, 1), workdays: 10 });
        assert_eq!(t.limits(cal(), d(11, 1)).unwrap().answer_due, Some(d(11, 17)));
    }

    #[test]
    fn the_step_parser_names_each_field() {
        let input = |kind: &str, until: &str, workdays: &str, note: &str| StepInput {
            kind: kind.into(),
            on: "2021-09-24".into(),
            until: until.into(),
            workdays: workdays.into(),
            note: note.into(),
        };
        let (step, note) = input("correction_notice", "2021-10-15", "", "写明所需文件的名称").parse().unwrap();
        assert_eq!(step, Step::CorrectionNotice { on: d(9, 24), until: d(10, 15) });
        assert_eq!(note, "写明所需文件的名称");
        let errors = input("correction_notice", "", "", "").parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["note", "until"]);
        assert_eq!(input("extension", "", "x", "局长 同意").parse().unwrap_err()[0].field, "workdays");
        assert_eq!(
            input("extension", "", "15", "局长 同意").parse().unwrap().0,
            Step::Extension { on: d(9, 24), workdays: 15 }
        );
        assert_eq!(input("consultation_end", "", "", "").parse().unwrap().0, Step::ConsultationEnd { on: d(9, 24) });
        assert_eq!(input("answer", "", "", "").parse().unwrap_err()[0].code, "invalid_step_kind");
    }

    #[test]
    fn dates_never_go_back_nor_into_the_future() {
        let mut t = Timeline::new(d(9, 17));
        t.steps.push(Step::ConsultationStart { on: d(9, 24) });
        let before = Step::ConsultationEnd { on: d(9, 23) };
        assert_eq!(t.check(&before, cal(), d(9, 30)).unwrap_err().code, "date_order");
        let future = Step::ConsultationEnd { on: d(10, 8) };
        assert_eq!(t.check(&future, cal(), d(9, 30)).unwrap_err().code, "date_in_future");
        assert_eq!(
            t.check(&Step::Corrected { on: d(9, 30) }, cal(), d(9, 30)).unwrap_err().code,
            "no_correction_pending"
        );
        t.answered_on = Some(d(9, 30));
        assert_eq!(
            t.check(&Step::ConsultationEnd { on: d(9, 30) }, cal(), d(9, 30)).unwrap_err().code,
            "already_answered"
        );
    }
}
