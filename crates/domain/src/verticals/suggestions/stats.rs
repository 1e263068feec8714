//! The figures of a year's handling, computed from the records (the report to the 常委会 that
//! 代表法 第五十一条 requires to be made public, and the bureau's annual report: "办理人大代表建议
//! N件，均已按时按质办结，代表满意率达到M%").

use chrono::{Datelike, NaiveDate};

use super::progress::{Progress, Stage};
use super::record::{Kind, Satisfaction};

/// What the figures read of one suggestion.
#[derive(Debug, Clone)]
pub struct SuggestionRecord {
    pub kind: Kind,
    pub assigned_on: NaiveDate,
    pub progress: Progress,
}

/// The figures of one kind (or of all) for the suggestions assigned in a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Assigned in the year (sent back ones included).
    pub assigned: u32,
    /// Sent back as wrongly assigned.
    pub sent_back: u32,
    /// Handled: every proposer answered (办结 once the forms are back).
    pub handled: u32,
    /// Handled with every reply within its period.
    pub on_time: u32,
    /// Proposers whose latest form is back, by its answer.
    pub satisfied: u32,
    pub basic: u32,
    pub dissatisfied: u32,
    /// Still owing a reply past its last day, on the day computed.
    pub overdue: u32,
}

impl Stats {
    /// The figures of the suggestions of `kind` (every kind when `None`) assigned in `year`.
    pub fn compute(year: i32, kind: Option<Kind>, records: &[SuggestionRecord], today: NaiveDate) -> Stats {
        let mut s = Stats::default();
        for r in records.iter().filter(|r| r.assigned_on.year() == year && kind.is_none_or(|k| k == r.kind)) {
            s.assigned += 1;
            let p = &r.progress;
            if p.stage() == Stage::SentBack {
                s.sent_back += 1;
                continue;
            }
            if p.proposers.iter().all(|x| x.first_reply.is_some()) {
                s.handled += 1;
                if p.on_time() {
                    s.on_time += 1;
                }
            }
            if p.overdue(today) {
                s.overdue += 1;
            }
            for x in &p.proposers {
                match x.last_feedback {
                    Some(Satisfaction::Satisfied) => s.satisfied += 1,
                    Some(Satisfaction::Basic) => s.basic += 1,
                    Some(Satisfaction::Dissatisfied) => s.dissatisfied += 1,
                    None => {}
                }
            }
        }
        s
    }

    /// Forms back.
    pub fn forms(&self) -> u32 {
        self.satisfied + self.basic + self.dissatisfied
    }

    /// 满意率: satisfied and basically satisfied forms over the forms back, in whole percent
    /// (rounded down, so 100% means every form); `None` with no form back.
    pub fn satisfaction_percent(&self) -> Option<u32> {
        let forms = self.forms();
        (forms > 0).then(|| (self.satisfied + self.basic) * 100 / forms)
    }

    /// 按时办结率 in whole percent (rounded down); `None` with nothing handled.
    pub fn on_time_percent(&self) -> Option<u32> {
        (self.handled > 0).then(|| self.on_time * 100 / self.handled)
    }
}

#[cfg(test)]
mod tests {
    use super::super::limits::Limits;
    use super::super::record::{Act, ActKind, NewSuggestion};
    use super::*;
    use crate::calendar::WorkCalendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn record(
        kind: Kind,
        assigned_on: NaiveDate,
        acts: &[(ActKind, NaiveDate, Option<Satisfaction>)],
    ) -> SuggestionRecord {
        let s = NewSuggestion {
            kind,
            session: "会议".into(),
            number: "1".into(),
            proposers: vec!["李四".into()],
            subject: "建议".into(),
            lead_unit: "市民政局".into(),
            co_units: vec![],
            difficult: false,
            assigned_on,
        };
        let acts: Vec<Act> = acts
            .iter()
            .map(|(kind, on, result)| Act {
                kind: *kind,
                on: *on,
                proposer: "李四".into(),
                unit: String::new(),
                result: *result,
                note: "内容".into(),
            })
            .collect();
        let progress = Progress::compute(&s, &acts, &Limits::default(), WorkCalendar::builtin()).expect("valid");
        SuggestionRecord { kind, assigned_on, progress }
    }

    fn answered(assigned: NaiveDate, sent: NaiveDate, form: Option<Satisfaction>) -> SuggestionRecord {
        let mut acts = vec![(ActKind::Draft, sent, None), (ActKind::Approve, sent, None), (ActKind::Send, sent, None)];
        if let Some(f) = form {
            acts.push((ActKind::Feedback, sent, Some(f)));
        }
        record(Kind::Deputy, assigned, &acts)
    }

    #[test]
    fn figures_follow_the_records() {
        let records = vec![
            answered(d(2021, 3, 15), d(2021, 6, 15), Some(Satisfaction::Satisfied)),
            answered(d(2021, 3, 15), d(2021, 6, 16), Some(Satisfaction::Basic)),
            answered(d(2021, 4, 1), d(2021, 5, 1), Some(Satisfaction::Dissatisfied)),
            record(Kind::Deputy, d(2021, 3, 15), &[]),
            record(Kind::Deputy, d(2021, 3, 15), &[(ActKind::SendBack, d(2021, 3, 16), None)]),
            record(Kind::Member, d(2021, 3, 15), &[]),
            answered(d(2020, 3, 16), d(2020, 5, 1), Some(Satisfaction::Satisfied)),
        ];
        let s = Stats::compute(2021, Some(Kind::Deputy), &records, d(2021, 7, 1));
        assert_eq!(s.assigned, 5);
        assert_eq!(s.sent_back, 1);
        // The dissatisfied one is reopened: its first reply still counts as handled.
        assert_eq!(s.handled, 3);
        assert_eq!(s.on_time, 2, "15 June is the last day from 15 March; 16 June is late");
        assert_eq!((s.satisfied, s.basic, s.dissatisfied), (1, 1, 1));
        assert_eq!(s.satisfaction_percent(), Some(66));
        assert_eq!(s.on_time_percent(), Some(66));
        // On 1 July: the unanswered one of 15 March is past 15 June; the reopened one (form on 1 May)
        // is past its new reply's last day, 1 June.
        assert_eq!(s.overdue, 2);
        let all = Stats::compute(2021, None, &records, d(2021, 7, 1));
        assert_eq!(all.assigned, 6);
        assert_eq!(Stats::default().satisfaction_percent(), None);
    }
}
