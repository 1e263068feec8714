//! The state of a suggestion, derived from its 交办 and its dated acts on the calendar: the reply
//! due to each proposer (代表法 第五十一条), the co-handling opinions due (local rule), the new reply
//! due after a 不满意 form, and which act is lawful next. Nothing of it is stored: a period ends
//! by the calendar, whatever has been recorded since, and "overdue" is read against today.
//!
//! The order the law and the local rules set: the lead unit drafts the reply; the bureau's
//! leader approves it; only then is it sent, to each proposer of a merged suggestion (并案: the
//! handling is one, the answer is to each deputy); each proposer's 征询意见表 follows its reply;
//! a 不满意 reopens the handling for that proposer with a new reply due within
//! [`Limits::redo_months`] of the form, which again needs a draft approved after the form. A
//! wrongly assigned suggestion is sent back with its reason, before any reply.

use chrono::NaiveDate;

use super::limits::Limits;
use super::record::{Act, ActKind, NewSuggestion, Satisfaction};
use crate::calendar::{CalendarError, WorkCalendar};
use crate::problem::FieldError;

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Being handled: some proposer is not answered yet.
    Handling,
    /// Every proposer answered; some form not back yet.
    Replied,
    /// A proposer was dissatisfied: handled again.
    Redoing,
    /// Every proposer answered and satisfied or basically satisfied: 办结.
    Done,
    /// Sent back to the assigning office as wrongly assigned.
    SentBack,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Handling => "handling",
            Stage::Replied => "replied",
            Stage::Redoing => "redoing",
            Stage::Done => "done",
            Stage::SentBack => "sent_back",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Handling => "办理中",
            Stage::Replied => "已答复，待反馈意见",
            Stage::Redoing => "不满意，重新办理",
            Stage::Done => "已办结",
            Stage::SentBack => "已退回交办机关",
        }
    }
}

/// One proposer's answer and form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposerState {
    pub name: String,
    /// The day the current round counts from (交办, or the 不满意 form).
    pub since: NaiveDate,
    /// The last day of the current round's reply.
    pub due: NaiveDate,
    /// The current round's reply, once sent.
    pub sent: Option<NaiveDate>,
    /// The current round's form, once back.
    pub feedback: Option<Satisfaction>,
    /// The latest form ever received (a 不满意 stays here until the next form).
    pub last_feedback: Option<Satisfaction>,
    /// 1, and one more per 不满意.
    pub round: u32,
    /// Replies sent after their round's last day.
    pub late_replies: u32,
    /// The first reply's day.
    pub first_reply: Option<NaiveDate>,
}

/// The draft in hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draft {
    pub drafted_on: NaiveDate,
    pub approved_on: Option<NaiveDate>,
}

/// A suggestion's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub assigned_on: NaiveDate,
    /// 代表法 第五十一条: 3 or 6 months from 交办.
    pub reply_due: NaiveDate,
    pub co_opinion_due: NaiveDate,
    /// Co-handling units and the day of their opinion.
    pub co_units: Vec<(String, Option<NaiveDate>)>,
    pub send_back_due: NaiveDate,
    pub proposers: Vec<ProposerState>,
    pub draft: Option<Draft>,
    pub contacts: u32,
    pub sent_back: Option<NaiveDate>,
    /// The last act's date (acts are recorded in order).
    pub last_on: NaiveDate,
}

fn refuse(field: &str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

fn calendar_refusal(err: CalendarError) -> FieldError {
    refuse("on", err.code(), format!("日期超出工作日历的范围：{err}"))
}

impl Progress {
    /// The state right after 交办.
    pub fn start(s: &NewSuggestion, limits: &Limits, calendar: &WorkCalendar) -> Result<Progress, CalendarError> {
        let reply_due = limits.reply_due(calendar, s.assigned_on, s.difficult)?;
        Ok(Progress {
            assigned_on: s.assigned_on,
            reply_due,
            co_opinion_due: limits.co_opinion_due(calendar, s.assigned_on)?,
            co_units: s.co_units.iter().map(|u| (u.clone(), None)).collect(),
            send_back_due: limits.send_back_due(calendar, s.assigned_on)?,
            proposers: s
                .proposers
                .iter()
                .map(|name| ProposerState {
                    name: name.clone(),
                    since: s.assigned_on,
                    due: reply_due,
                    sent: None,
                    feedback: None,
                    last_feedback: None,
                    round: 1,
                    late_replies: 0,
                    first_reply: None,
                })
                .collect(),
            draft: None,
            contacts: 0,
            sent_back: None,
            last_on: s.assigned_on,
        })
    }

    /// The state after every recorded act, in order.
    pub fn compute(
        s: &NewSuggestion,
        acts: &[Act],
        limits: &Limits,
        calendar: &WorkCalendar,
    ) -> Result<Progress, FieldError> {
        let mut p = Progress::start(s, limits, calendar).map_err(calendar_refusal)?;
        for act in acts {
            p.apply(act, limits, calendar)?;
        }
        Ok(p)
    }

    pub fn stage(&self) -> Stage {
        if self.sent_back.is_some() {
            return Stage::SentBack;
        }
        let satisfied = |p: &ProposerState| matches!(p.feedback, Some(Satisfaction::Satisfied | Satisfaction::Basic));
        if self.proposers.iter().all(satisfied) {
            Stage::Done
        } else if self.proposers.iter().any(|p| p.round > 1 && p.sent.is_none()) {
            Stage::Redoing
        } else if self.proposers.iter().all(|p| p.sent.is_some()) {
            Stage::Replied
        } else {
            Stage::Handling
        }
    }

    /// The earliest last day of a reply still owed, if any.
    pub fn next_due(&self) -> Option<NaiveDate> {
        if self.sent_back.is_some() {
            return None;
        }
        self.proposers.iter().filter(|p| p.sent.is_none()).map(|p| p.due).min()
    }

    /// True when a reply still owed is past its last day on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.next_due().is_some_and(|due| due < today)
    }

    /// The co-handling units whose opinion is past due on `today`.
    pub fn co_opinions_overdue(&self, today: NaiveDate) -> Vec<&str> {
        if self.sent_back.is_some() || self.co_opinion_due >= today {
            return Vec::new();
        }
        self.co_units.iter().filter(|(_, on)| on.is_none()).map(|(u, _)| u.as_str()).collect()
    }

    /// Every reply sent so far within its round's period (and at least one sent).
    pub fn on_time(&self) -> bool {
        self.proposers.iter().all(|p| p.late_replies == 0 && p.first_reply.is_some())
    }

    /// Whether `act` is lawful now, on a copy.
    pub fn check(&self, act: &Act, limits: &Limits, calendar: &WorkCalendar) -> Result<(), FieldError> {
        self.clone().apply(act, limits, calendar)
    }

    fn proposer(&mut self, name: &str) -> Result<&mut ProposerState, FieldError> {
        self.proposers
            .iter_mut()
            .find(|p| p.name == name)
            .ok_or_else(|| refuse("proposer", "unknown_proposer", format!("“{name}”不是本件的提出人")))
    }

    /// Records `act` on the state, or refuses it with the reason.
    pub fn apply(&mut self, act: &Act, limits: &Limits, calendar: &WorkCalendar) -> Result<(), FieldError> {
        if act.on < self.last_on {
            return Err(refuse("on", "before_last_act", "日期不能早于上一办理环节的日期"));
        }
        match self.stage() {
            Stage::SentBack => return Err(refuse("", "sent_back", "本件已退回交办机关，不能再记录办理环节")),
            Stage::Done => return Err(refuse("", "closed", "本件已办结，不能再记录办理环节")),
            Stage::Handling | Stage::Replied | Stage::Redoing => {}
        }
        match act.kind {
            ActKind::CoOpinion => {
                let unit = self
                    .co_units
                    .iter_mut()
                    .find(|(u, _)| *u == act.unit)
                    .ok_or_else(|| refuse("unit", "unknown_unit", format!("“{}”不是本件的协办单位", act.unit)))?;
                if unit.1.is_some() {
                    return Err(refuse("unit", "opinion_given", "该协办单位的意见已经记录"));
                }
                unit.1 = Some(act.on);
            }
            ActKind::Contact => {
                if !act.proposer.is_empty() {
                    self.proposer(&act.proposer)?;
                }
                self.contacts += 1;
            }
            ActKind::Draft => {
                if self.proposers.iter().all(|p| p.sent.is_some()) {
                    return Err(refuse("", "nothing_to_answer", "每位提出人都已答复，无需再拟答复"));
                }
                self.draft = Some(Draft { drafted_on: act.on, approved_on: None });
            }
            ActKind::Approve => match self.draft {
                Some(Draft { approved_on: None, drafted_on }) => {
                    self.draft = Some(Draft { drafted_on, approved_on: Some(act.on) });
                }
                Some(_) => return Err(refuse("", "already_approved", "答复已经审定")),
                None => return Err(refuse("", "no_draft", "尚无待审定的答复")),
            },
            ActKind::Send => {
                let approved = self.draft.and_then(|d| d.approved_on);
                let p = self.proposer(&act.proposer)?;
                if p.sent.is_some() {
                    return Err(refuse("proposer", "already_sent", "已答复该提出人，待其反馈意见"));
                }
                match approved {
                    Some(on) if on >= p.since => {}
                    _ => {
                        return Err(refuse(
                            "",
                            "not_approved",
                            "答复须经领导审定后才能发出（不满意重新办理的，须重新拟定并审定）",
                        ))
                    }
                }
                p.sent = Some(act.on);
                p.first_reply.get_or_insert(act.on);
                if act.on > p.due {
                    p.late_replies += 1;
                }
            }
            ActKind::Feedback => {
                let result =
                    act.result.ok_or_else(|| refuse("result", "invalid_result", "请选择满意、基本满意或不满意"))?;
                let p = self.proposer(&act.proposer)?;
                if p.sent.is_none() {
                    return Err(refuse("proposer", "not_sent", "尚未答复该提出人，不能记录征询意见表"));
                }
                if p.feedback.is_some() {
                    return Err(refuse("proposer", "feedback_given", "该提出人的征询意见表已经记录"));
                }
                p.last_feedback = Some(result);
                if result == Satisfaction::Dissatisfied {
                    p.round += 1;
                    p.since = act.on;
                    p.due = limits.redo_due(calendar, act.on).map_err(calendar_refusal)?;
                    p.sent = None;
                } else {
                    p.feedback = Some(result);
                }
            }
            ActKind::SendBack => {
                if self.proposers.iter().any(|p| p.first_reply.is_some()) {
                    return Err(refuse("", "already_answered", "已经答复的建议提案不能退回"));
                }
                self.sent_back = Some(act.on);
            }
        }
        self.last_on = act.on;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::record::Kind;
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, day).expect("date")
    }

    fn suggestion(proposers: &[&str], difficult: bool) -> NewSuggestion {
        NewSuggestion {
            kind: Kind::Deputy,
            session: "达州市第五届人民代表大会第一次会议".into(),
            number: "第1号".into(),
            proposers: proposers.iter().map(|p| p.to_string()).collect(),
            subject: "关于养老服务的建议".into(),
            lead_unit: "市民政局".into(),
            co_units: vec!["市财政局".into()],
            difficult,
            assigned_on: d(6, 18),
        }
    }

    fn act(kind: ActKind, on: NaiveDate, proposer: &str, result: Option<Satisfaction>) -> Act {
        Act { kind, on, proposer: proposer.into(), unit: String::new(), result, note: "内容".into() }
    }

    fn run(s: &NewSuggestion, acts: &[Act]) -> Result<Progress, FieldError> {
        Progress::compute(s, acts, &Limits::default(), WorkCalendar::builtin())
    }

    #[test]
    fn periods_on_registration() {
        let p = run(&suggestion(&["李四"], false), &[]).unwrap();
        // 18 September 2021 is a 调休 working Saturday: the reply is due that day.
        assert_eq!(p.reply_due, d(9, 18));
        assert_eq!(p.co_opinion_due, d(7, 19), "18 July is a Sunday");
        assert_eq!(p.stage(), Stage::Handling);
        assert!(!p.overdue(d(9, 18)), "the last day is still in time");
        assert!(p.overdue(d(9, 19)));
        assert_eq!(p.co_opinions_overdue(d(7, 20)), ["市财政局"]);
        let difficult = run(&suggestion(&["李四"], true), &[]).unwrap();
        assert_eq!(difficult.reply_due, d(12, 20), "18 December is a Saturday");
    }

    #[test]
    fn the_reply_needs_the_leaders_approval_before_it_is_sent() {
        let s = suggestion(&["李四"], false);
        let err = run(&s, &[act(ActKind::Send, d(7, 1), "李四", None)]).unwrap_err();
        assert_eq!(err.code, "not_approved");
        let err = run(&s, &[act(ActKind::Approve, d(7, 1), "", None)]).unwrap_err();
        assert_eq!(err.code, "no_draft");
        let drafted = [act(ActKind::Draft, d(7, 1), "", None)];
        assert_eq!(
            run(&s, &[drafted[0].clone(), act(ActKind::Send, d(7, 2), "李四", None)]).unwrap_err().code,
            "not_approved"
        );
        let p = run(
            &s,
            &[drafted[0].clone(), act(ActKind::Approve, d(7, 2), "", None), act(ActKind::Send, d(7, 3), "李四", None)],
        )
        .unwrap();
        assert_eq!(p.stage(), Stage::Replied);
        assert!(p.on_time());
        assert_eq!(p.next_due(), None);
    }

    #[test]
    fn a_dissatisfied_form_reopens_with_one_month() {
        let s = suggestion(&["李四"], false);
        let mut acts = vec![
            act(ActKind::Draft, d(8, 2), "", None),
            act(ActKind::Approve, d(8, 3), "", None),
            act(ActKind::Send, d(8, 4), "李四", None),
            act(ActKind::Feedback, d(8, 31), "李四", Some(Satisfaction::Dissatisfied)),
        ];
        let p = run(&s, &acts).unwrap();
        assert_eq!(p.stage(), Stage::Redoing);
        // One month from 31 August: 30 September (a Thursday).
        assert_eq!(p.next_due(), Some(d(9, 30)));
        assert_eq!(p.proposers[0].round, 2);
        // The old approval does not cover the new reply.
        assert_eq!(
            p.check(&act(ActKind::Send, d(9, 1), "李四", None), &Limits::default(), WorkCalendar::builtin())
                .unwrap_err()
                .code,
            "not_approved"
        );
        acts.extend([
            act(ActKind::Draft, d(9, 10), "", None),
            act(ActKind::Approve, d(9, 13), "", None),
            act(ActKind::Send, d(10, 8), "李四", None),
        ]);
        let p = run(&s, &acts).unwrap();
        assert!(!p.on_time(), "sent on 8 October, past 30 September");
        acts.push(act(ActKind::Feedback, d(10, 20), "李四", Some(Satisfaction::Basic)));
        let p = run(&s, &acts).unwrap();
        assert_eq!(p.stage(), Stage::Done);
        assert_eq!(p.proposers[0].last_feedback, Some(Satisfaction::Basic));
        let after = act(ActKind::Contact, d(10, 21), "李四", None);
        assert_eq!(p.check(&after, &Limits::default(), WorkCalendar::builtin()).unwrap_err().code, "closed");
    }

    #[test]
    fn a_merged_suggestion_is_answered_to_each_deputy() {
        let s = suggestion(&["李四", "王五"], false);
        let acts = vec![
            act(ActKind::Draft, d(7, 1), "", None),
            act(ActKind::Approve, d(7, 2), "", None),
            act(ActKind::Send, d(7, 5), "李四", None),
        ];
        let p = run(&s, &acts).unwrap();
        assert_eq!(p.stage(), Stage::Handling, "王五 is not answered yet");
        assert_eq!(p.next_due(), Some(d(9, 18)));
        let twice = act(ActKind::Send, d(7, 6), "李四", None);
        assert_eq!(p.check(&twice, &Limits::default(), WorkCalendar::builtin()).unwrap_err().code, "already_sent");
        let stranger = act(ActKind::Send, d(7, 6), "赵六", None);
        assert_eq!(
            p.check(&stranger, &Limits::default(), WorkCalendar::builtin()).unwrap_err().code,
            "unknown_proposer"
        );
        let early_form = act(ActKind::Feedback, d(7, 6), "王五", Some(Satisfaction::Satisfied));
        assert_eq!(p.check(&early_form, &Limits::default(), WorkCalendar::builtin()).unwrap_err().code, "not_sent");
    }

    #[test]
    fn a_wrongly_assigned_one_goes_back_before_any_reply() {
        let s = suggestion(&["李四"], false);
        let p = run(&s, &[act(ActKind::SendBack, d(6, 21), "", None)]).unwrap();
        assert_eq!(p.stage(), Stage::SentBack);
        assert_eq!(p.next_due(), None);
        assert!(!p.overdue(d(12, 31)));
        let answered = [
            act(ActKind::Draft, d(7, 1), "", None),
            act(ActKind::Approve, d(7, 2), "", None),
            act(ActKind::Send, d(7, 5), "李四", None),
            act(ActKind::SendBack, d(7, 6), "", None),
        ];
        assert_eq!(run(&s, &answered).unwrap_err().code, "already_answered");
    }

    #[test]
    fn co_opinions_come_from_the_listed_units_once_and_in_order() {
        let s = suggestion(&["李四"], false);
        let opinion = |unit: &str, on| Act { unit: unit.into(), ..act(ActKind::CoOpinion, on, "", None) };
        let p = run(&s, &[opinion("市财政局", d(7, 10))]).unwrap();
        assert!(p.co_opinions_overdue(d(8, 1)).is_empty());
        let l = Limits::default();
        let c = WorkCalendar::builtin();
        assert_eq!(p.check(&opinion("市财政局", d(7, 11)), &l, c).unwrap_err().code, "opinion_given");
        assert_eq!(p.check(&opinion("市教育局", d(7, 11)), &l, c).unwrap_err().code, "unknown_unit");
        assert_eq!(p.check(&act(ActKind::Contact, d(7, 9), "", None), &l, c).unwrap_err().code, "before_last_act");
    }
}
