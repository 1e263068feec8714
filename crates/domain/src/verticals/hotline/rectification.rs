//! 差评整改: what a 差评 (不满意、非常不满意) of a case sets in motion.
//!
//! 国办发〔2019〕51号 《关于建立政务服务"好差评"制度提高政务服务水平的意见》: 差评 are handled
//! by whoever handled the matter ("谁办理、谁负责"); a dedicated person calls the rater back and
//! verifies; a clear and reasonable complaint is fixed, a complex one is put in the ledger with a
//! deadline, an unfounded one is explained; the rater may rate the fix; a disputed rating may be
//! appealed; 实名差评回访整改率 100%. Staff never alter a rating: an upheld appeal only takes
//! it out of the assessment, the rating stays as given.
//!
//! The matter is not opened by a write: every 差评 in `case_ratings` *is* a matter, derived on
//! read, so it exists in the rating's own transaction and never twice. Its acts are kept in the
//! area's table. The time limits have no national number: [`RectRules`] is data (local examples:
//! 德州 5 个工作日).

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::problem::{text_field, FieldError};

/// The limits, as data: there is no national number (国办发〔2019〕51号 leaves it to the
/// localities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RectRules {
    /// 回访 within this many working days of the rating.
    pub callback_workdays: u32,
    /// 整改 (or 解释) within this many working days of the rating.
    pub fix_workdays: u32,
}

impl RectRules {
    /// A local example (德州: 差评 回访 and 整改 within 5 个工作日), the complex-case ledger at 15.
    pub const DEFAULT: RectRules = RectRules { callback_workdays: 5, fix_workdays: 15 };
    pub const BASIS: &'static str = "国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》（差评“谁办理、谁负责”，回访核实、整改或解释；时限按本地规定配置）";
}

/// What is done in a rectification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RectAct {
    /// 回访 the rater.
    CallBack { note: String },
    /// 核实: whether the complaint is founded.
    Verify { founded: bool, note: String },
    /// 整改 (founded).
    Fix { note: String },
    /// 解释说明 (unfounded).
    Explain { note: String },
    /// 申诉 of a disputed rating, by the unit rated.
    Appeal { reason: String },
    /// The appeal's decision: upheld takes the rating out of the assessment (never alters it).
    AppealDecision { upheld: bool, note: String },
    /// The rater's own rating of the fix (a grade key), given on the public page.
    RaterGrade { grade: String },
}

impl RectAct {
    pub fn kind(&self) -> &'static str {
        match self {
            RectAct::CallBack { .. } => "callback",
            RectAct::Verify { .. } => "verify",
            RectAct::Fix { .. } => "fix",
            RectAct::Explain { .. } => "explain",
            RectAct::Appeal { .. } => "appeal",
            RectAct::AppealDecision { .. } => "appeal_decision",
            RectAct::RaterGrade { .. } => "rater_grade",
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            RectAct::CallBack { .. } => "回访",
            RectAct::Verify { founded: true, .. } => "核实：情况属实",
            RectAct::Verify { founded: false, .. } => "核实：情况不属实",
            RectAct::Fix { .. } => "整改",
            RectAct::Explain { .. } => "解释说明",
            RectAct::Appeal { .. } => "申诉",
            RectAct::AppealDecision { upheld: true, .. } => "申诉成立（不计入考核）",
            RectAct::AppealDecision { upheld: false, .. } => "申诉不成立",
            RectAct::RaterGrade { .. } => "评价人评价整改结果",
        }
    }

    pub fn text(&self) -> &str {
        match self {
            RectAct::CallBack { note }
            | RectAct::Verify { note, .. }
            | RectAct::Fix { note }
            | RectAct::Explain { note }
            | RectAct::AppealDecision { note, .. } => note,
            RectAct::Appeal { reason } => reason,
            RectAct::RaterGrade { grade } => grade,
        }
    }

    pub fn number(&self) -> Option<i64> {
        match self {
            RectAct::Verify { founded, .. } => Some(i64::from(*founded)),
            RectAct::AppealDecision { upheld, .. } => Some(i64::from(*upheld)),
            _ => None,
        }
    }

    pub fn from_stored(kind: &str, text: &str, number: Option<i64>) -> Option<RectAct> {
        let text = text.to_string();
        Some(match kind {
            "callback" => RectAct::CallBack { note: text },
            "verify" => RectAct::Verify { founded: number? == 1, note: text },
            "fix" => RectAct::Fix { note: text },
            "explain" => RectAct::Explain { note: text },
            "appeal" => RectAct::Appeal { reason: text },
            "appeal_decision" => RectAct::AppealDecision { upheld: number? == 1, note: text },
            "rater_grade" => RectAct::RaterGrade { grade: text },
            _ => return None,
        })
    }
}

/// A staff act as typed (form and JSON): the rater's grade is not typed by staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RectInput {
    /// callback | verify | fix | explain | appeal | appeal_decision
    pub kind: String,
    pub text: String,
    /// `yes` / `no` (verify: founded; appeal_decision: upheld).
    pub yes: String,
}

impl RectInput {
    pub fn parse(&self) -> Result<RectAct, FieldError> {
        let yes = || match self.yes.trim() {
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            _ => Err(FieldError::new("yes", "choice_required", "请选择“是”或“否”")),
        };
        let text = |required| text_field("text", &self.text, 2000, required);
        Ok(match self.kind.trim() {
            "callback" => RectAct::CallBack { note: text(true)? },
            "verify" => RectAct::Verify { founded: yes()?, note: text(true)? },
            "fix" => RectAct::Fix { note: text(true)? },
            "explain" => RectAct::Explain { note: text(true)? },
            "appeal" => RectAct::Appeal { reason: text(true)? },
            "appeal_decision" => RectAct::AppealDecision { upheld: yes()?, note: text(true)? },
            _ => return Err(FieldError::new("kind", "unknown_act", "未知的整改操作")),
        })
    }
}

/// Where a rectification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectStage {
    /// 待回访.
    AwaitingCallBack,
    /// 待核实.
    AwaitingVerification,
    /// 待整改 (founded) or 待解释 (unfounded).
    AwaitingResolution,
    /// 已办结.
    Closed,
}

impl RectStage {
    pub fn as_str(self) -> &'static str {
        match self {
            RectStage::AwaitingCallBack => "awaiting_callback",
            RectStage::AwaitingVerification => "awaiting_verification",
            RectStage::AwaitingResolution => "awaiting_resolution",
            RectStage::Closed => "closed",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RectStage::AwaitingCallBack => "待回访",
            RectStage::AwaitingVerification => "待核实",
            RectStage::AwaitingResolution => "待整改或解释",
            RectStage::Closed => "已办结",
        }
    }
}

/// An act on its day, by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectDated {
    pub act: RectAct,
    pub on: NaiveDate,
    pub by: String,
}

/// A 差评 and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rectification {
    pub rated_on: NaiveDate,
    pub acts: Vec<RectDated>,
}

/// The state its history leaves, on the day read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectState {
    pub stage: RectStage,
    pub callback_due: NaiveDate,
    pub fix_due: NaiveDate,
    pub called_back_on: Option<NaiveDate>,
    pub founded: Option<bool>,
    pub closed_on: Option<NaiveDate>,
    /// None: no appeal; Some(None): pending; Some(Some(upheld)).
    pub appeal: Option<Option<bool>>,
    pub appellant: Option<String>,
    /// The rater's grade of the fix.
    pub fix_grade: Option<String>,
    /// Past a limit with its step not done (on the day read).
    pub callback_overdue: bool,
    pub fix_overdue: bool,
    pub last_on: NaiveDate,
}

impl Rectification {
    pub fn state(
        &self,
        rules: &RectRules,
        calendar: &WorkCalendar,
        today: NaiveDate,
    ) -> Result<RectState, CalendarError> {
        let mut s = RectState {
            stage: RectStage::AwaitingCallBack,
            callback_due: calendar.add_workdays(self.rated_on, rules.callback_workdays)?,
            fix_due: calendar.add_workdays(self.rated_on, rules.fix_workdays)?,
            called_back_on: None,
            founded: None,
            closed_on: None,
            appeal: None,
            appellant: None,
            fix_grade: None,
            callback_overdue: false,
            fix_overdue: false,
            last_on: self.rated_on,
        };
        for d in &self.acts {
            s.last_on = s.last_on.max(d.on);
            match &d.act {
                RectAct::CallBack { .. } => {
                    s.called_back_on.get_or_insert(d.on);
                    if s.stage == RectStage::AwaitingCallBack {
                        s.stage = RectStage::AwaitingVerification;
                    }
                }
                RectAct::Verify { founded, .. } => {
                    s.founded = Some(*founded);
                    s.stage = RectStage::AwaitingResolution;
                }
                RectAct::Fix { .. } | RectAct::Explain { .. } => {
                    s.stage = RectStage::Closed;
                    s.closed_on = Some(d.on);
                }
                RectAct::Appeal { .. } => {
                    s.appeal = Some(None);
                    s.appellant = Some(d.by.clone());
                }
                RectAct::AppealDecision { upheld, .. } => s.appeal = Some(Some(*upheld)),
                RectAct::RaterGrade { grade } => s.fix_grade = Some(grade.clone()),
            }
        }
        s.callback_overdue = s.called_back_on.map_or(today, |d| d) > s.callback_due;
        s.fix_overdue = s.closed_on.map_or(today, |d| d) > s.fix_due;
        Ok(s)
    }

    /// Whether `act` by `by` on `on` is lawful after this history. Nothing closes the matter
    /// before a call-back: 整改 and 解释 follow the 核实, which follows the 回访.
    pub fn check(
        &self,
        act: &RectAct,
        by: &str,
        on: NaiveDate,
        rules: &RectRules,
        calendar: &WorkCalendar,
    ) -> Result<(), FieldError> {
        let s = self.state(rules, calendar, on).map_err(|e| FieldError::new("", e.code(), e.to_string()))?;
        if on < s.last_on {
            return Err(FieldError::new("on", "act_before_last", "办理日期不能早于上一步的日期"));
        }
        let refuse = |code, message: &str| Err(FieldError::new("kind", code, message));
        match act {
            RectAct::CallBack { .. } if s.stage == RectStage::Closed => refuse("rectification_closed", "整改已办结"),
            RectAct::Verify { .. } if s.stage == RectStage::AwaitingCallBack => {
                refuse("callback_required", "须先回访评价人，才能核实")
            }
            RectAct::Verify { .. } if s.stage != RectStage::AwaitingVerification => {
                refuse("already_verified", "已核实")
            }
            RectAct::Fix { .. } | RectAct::Explain { .. } if s.stage == RectStage::AwaitingCallBack => {
                refuse("callback_required", "未回访评价人，不能办结整改")
            }
            RectAct::Fix { .. } | RectAct::Explain { .. } if s.stage != RectStage::AwaitingResolution => {
                refuse("verification_required", "须先核实情况，才能整改或解释")
            }
            RectAct::Fix { .. } if s.founded == Some(false) => {
                refuse("explain_unfounded", "核实不属实的差评应作解释说明")
            }
            RectAct::Explain { .. } if s.founded == Some(true) => refuse("fix_founded", "核实属实的差评应当整改"),
            RectAct::Appeal { .. } if s.called_back_on.is_none() => {
                refuse("callback_required", "须先回访评价人，才能申诉")
            }
            RectAct::Appeal { .. } if s.appeal.is_some() => refuse("appeal_exists", "该差评已申诉过"),
            RectAct::AppealDecision { .. } => match (&s.appeal, &s.appellant) {
                (Some(None), Some(appellant)) if appellant == by => {
                    refuse("appeal_self_decision", "申诉须由申诉人以外的人员审核")
                }
                (Some(None), _) => Ok(()),
                _ => refuse("no_appeal_pending", "没有待审核的申诉"),
            },
            RectAct::RaterGrade { .. } if s.stage != RectStage::Closed => {
                refuse("rectification_open", "整改办结后才能评价整改结果")
            }
            RectAct::RaterGrade { .. } if s.fix_grade.is_some() => refuse("fix_rated", "已评价过整改结果"),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    fn with(acts: &[(RectAct, &str, &str)]) -> Rectification {
        Rectification {
            rated_on: d("2021-09-29"),
            acts: acts
                .iter()
                .map(|(act, on, by)| RectDated { act: act.clone(), on: d(on), by: (*by).into() })
                .collect(),
        }
    }

    #[test]
    fn nobody_closes_a_rectification_without_a_callback() {
        let r = RectRules::DEFAULT;
        let m = with(&[]);
        for act in [RectAct::Fix { note: "x".into() }, RectAct::Explain { note: "x".into() }] {
            assert_eq!(m.check(&act, "a", d("2021-09-30"), &r, cal()).unwrap_err().code, "callback_required");
        }
        let verify = RectAct::Verify { founded: true, note: "x".into() };
        assert_eq!(m.check(&verify, "a", d("2021-09-30"), &r, cal()).unwrap_err().code, "callback_required");
        let m = with(&[(RectAct::CallBack { note: "已电话回访".into() }, "2021-09-30", "a")]);
        assert_eq!(
            m.check(&RectAct::Fix { note: "x".into() }, "a", d("2021-09-30"), &r, cal()).unwrap_err().code,
            "verification_required"
        );
        m.check(&verify, "a", d("2021-09-30"), &r, cal()).unwrap();
    }

    /// The callback limit across 国庆 2021: rated Wed 09-29, 5 working days: 30, 10-08, 10-09
    /// (调休 Saturday), 11, 12.
    #[test]
    fn the_limits_count_working_days_and_overdue_is_read_from_the_dates() {
        let r = RectRules::DEFAULT;
        let m = with(&[]);
        let s = m.state(&r, cal(), d("2021-10-12")).unwrap();
        assert_eq!((s.callback_due, s.callback_overdue), (d("2021-10-12"), false));
        assert!(m.state(&r, cal(), d("2021-10-13")).unwrap().callback_overdue);
        let late = with(&[(RectAct::CallBack { note: "回访".into() }, "2021-10-13", "a")]);
        assert!(late.state(&r, cal(), d("2021-12-01")).unwrap().callback_overdue, "called back a day late stays late");
    }

    #[test]
    fn a_full_rectification_and_the_raters_grade_of_the_fix() {
        let r = RectRules::DEFAULT;
        let mut m = with(&[
            (RectAct::CallBack { note: "回访".into() }, "2021-09-30", "a"),
            (RectAct::Verify { founded: true, note: "窗口答复不清".into() }, "2021-09-30", "a"),
        ]);
        let grade = RectAct::RaterGrade { grade: "satisfied".into() };
        assert_eq!(m.check(&grade, "public", d("2021-10-08"), &r, cal()).unwrap_err().code, "rectification_open");
        assert_eq!(
            m.check(&RectAct::Explain { note: "x".into() }, "a", d("2021-10-08"), &r, cal()).unwrap_err().code,
            "fix_founded"
        );
        m.acts.push(RectDated {
            act: RectAct::Fix { note: "一次性告知".into() }, on: d("2021-10-08"), by: "a".into()
        });
        m.check(&grade, "public", d("2021-10-09"), &r, cal()).unwrap();
        m.acts.push(RectDated { act: grade.clone(), on: d("2021-10-09"), by: "public".into() });
        let s = m.state(&r, cal(), d("2021-10-09")).unwrap();
        assert_eq!((s.stage, s.fix_grade.as_deref(), s.fix_overdue), (RectStage::Closed, Some("satisfied"), false));
        assert_eq!(m.check(&grade, "public", d("2021-10-09"), &r, cal()).unwrap_err().code, "fix_rated");
    }

    #[test]
    fn an_appeal_is_decided_by_someone_else_and_only_once() {
        let r = RectRules::DEFAULT;
        let appeal = RectAct::Appeal { reason: "评价与办件无关".into() };
        assert_eq!(with(&[]).check(&appeal, "a", d("2021-09-30"), &r, cal()).unwrap_err().code, "callback_required");
        let m = with(&[
            (RectAct::CallBack { note: "回访".into() }, "2021-09-30", "a"),
            (appeal.clone(), "2021-09-30", "a"),
        ]);
        let decide = RectAct::AppealDecision { upheld: true, note: "成立".into() };
        assert_eq!(m.check(&decide, "a", d("2021-09-30"), &r, cal()).unwrap_err().code, "appeal_self_decision");
        m.check(&decide, "b", d("2021-09-30"), &r, cal()).unwrap();
        assert_eq!(m.check(&appeal, "a", d("2021-09-30"), &r, cal()).unwrap_err().code, "appeal_exists");
    }

    #[test]
    fn acts_round_trip_and_input_is_checked() {
        for act in [
            RectAct::CallBack { note: "n".into() },
            RectAct::Verify { founded: false, note: "n".into() },
            RectAct::Fix { note: "n".into() },
            RectAct::Explain { note: "n".into() },
            RectAct::Appeal { reason: "n".into() },
            RectAct::AppealDecision { upheld: true, note: "n".into() },
            RectAct::RaterGrade { grade: "satisfied".into() },
        ] {
            assert_eq!(RectAct::from_stored(act.kind(), act.text(), act.number()), Some(act));
        }
        let input = RectInput { kind: "verify".into(), text: "x".into(), yes: String::new() };
        assert_eq!(input.parse().unwrap_err().code, "choice_required");
        let input = RectInput { kind: "rater_grade".into(), text: "very_satisfied".into(), yes: String::new() };
        assert_eq!(input.parse().unwrap_err().code, "unknown_act", "staff never type the rater's grade");
    }
}
