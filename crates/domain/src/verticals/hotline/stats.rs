//! The figures of the hotline and of 差评整改, computed from the records (never typed):
//! 按时办结率, 回访率 (every completed ticket is called back), 满意率, 重复来电, and
//! 实名差评回访整改率 (国办发〔2019〕51号: target 100%).

use chrono::NaiveDate;

use super::rectification::{RectStage, RectState};
use super::ticket::{Escalation, Stage, Status};

/// A ticket as the figures read it.
#[derive(Debug, Clone)]
pub struct TicketFacts<'a> {
    pub status: &'a Status,
    pub received_on: NaiveDate,
    /// The keyed hash of the caller's number (never the number).
    pub phone_hash: &'a str,
    pub subject: &'a str,
}

/// The hotline's figures over a set of tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketStats {
    pub received: u32,
    /// Replied at least once (办结).
    pub completed: u32,
    /// Of the completed, whose last reply was within its round's limit.
    pub on_time: u32,
    /// Of the completed, whose reply has been called back (not awaiting 回访).
    pub called_back: u32,
    /// Of the called back, satisfied at the last call-back.
    pub satisfied: u32,
    /// A ticket from a number or on a subject already heard within the window before it.
    pub repeats: u32,
    /// Owed a reply today, by escalation: 催办, 督办, 通报.
    pub urged: u32,
    pub supervised: u32,
    pub notified: u32,
}

/// `part / whole` in percent with one decimal, `None` when there is nothing to count.
pub fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
}

impl TicketStats {
    /// `repeat_days`: the window of [`super::ticket::Rules::repeat_days`].
    pub fn of(tickets: &[TicketFacts<'_>], repeat_days: u32) -> TicketStats {
        let mut s = TicketStats { received: tickets.len() as u32, ..TicketStats::default() };
        for t in tickets {
            let state = &t.status.state;
            if state.replied_on.is_some() {
                s.completed += 1;
                if state.replied_in_time == Some(true) {
                    s.on_time += 1;
                }
                if state.stage != Stage::Replied {
                    s.called_back += 1;
                    if state.satisfied == Some(true) {
                        s.satisfied += 1;
                    }
                }
            }
            match t.status.escalation {
                Escalation::None => {}
                Escalation::Urge => s.urged += 1,
                Escalation::Supervise => s.supervised += 1,
                Escalation::Notify => s.notified += 1,
            }
            let window = t.received_on - chrono::Days::new(u64::from(repeat_days));
            let repeat = tickets.iter().any(|o| {
                !std::ptr::eq(o, t)
                    && (o.received_on < t.received_on || (o.received_on == t.received_on && before(o, t, tickets)))
                    && o.received_on >= window
                    && (o.phone_hash == t.phone_hash || o.subject == t.subject)
            });
            if repeat {
                s.repeats += 1;
            }
        }
        s
    }

    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.completed)
    }

    pub fn callback_rate(&self) -> Option<f64> {
        rate(self.called_back, self.completed)
    }

    pub fn satisfaction_rate(&self) -> Option<f64> {
        rate(self.satisfied, self.called_back)
    }
}

/// Same day: the one earlier in the list came first.
fn before(a: &TicketFacts<'_>, b: &TicketFacts<'_>, all: &[TicketFacts<'_>]) -> bool {
    let index = |x: &TicketFacts<'_>| all.iter().position(|y| std::ptr::eq(x, y));
    index(a) < index(b)
}

/// The figures of 差评整改.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RectStats {
    /// 差评 received (every one is a matter).
    pub bad: u32,
    pub called_back: u32,
    pub called_back_in_time: u32,
    /// Closed (整改 or 解释), each after its call-back.
    pub rectified: u32,
    pub appeals_upheld: u32,
}

impl RectStats {
    pub fn of(states: &[RectState]) -> RectStats {
        let mut s = RectStats { bad: states.len() as u32, ..RectStats::default() };
        for m in states {
            if m.called_back_on.is_some() {
                s.called_back += 1;
                if !m.callback_overdue {
                    s.called_back_in_time += 1;
                }
                if m.stage == RectStage::Closed {
                    s.rectified += 1;
                }
            }
            if m.appeal == Some(Some(true)) {
                s.appeals_upheld += 1;
            }
        }
        s
    }

    /// 实名差评回访整改率: called back and closed, of all 差评 (target 100%).
    pub fn rectification_rate(&self) -> Option<f64> {
        rate(self.rectified, self.bad)
    }

    pub fn callback_rate(&self) -> Option<f64> {
        rate(self.called_back, self.bad)
    }
}

#[cfg(test)]
mod tests {
    use super::super::rectification::{RectAct, RectDated, RectRules, Rectification};
    use super::super::ticket::{Act, Dated, Rules, TicketKind, Timeline};
    use super::*;
    use crate::calendar::WorkCalendar;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn status(received: &str, acts: &[(Act, &str)], today: &str) -> Status {
        let t = Timeline {
            kind: TicketKind::Consultation,
            received_on: d(received),
            acts: acts.iter().map(|(act, on)| Dated { act: act.clone(), on: d(on), by: "a".into() }).collect(),
        };
        t.status(&Rules::SICHUAN, WorkCalendar::builtin(), d(today)).unwrap()
    }

    #[test]
    fn ticket_figures_come_from_the_histories() {
        let dispatch = (Act::Dispatch { unit: "511702".into() }, "2021-03-01");
        let sign = (Act::Sign, "2021-03-01");
        let reply = |on| (Act::Reply { text: "答复".into() }, on);
        let ok = |on| (Act::CallBack { satisfied: true, note: String::new() }, on);
        let no = |on| (Act::CallBack { satisfied: false, note: String::new() }, on);
        let today = "2021-03-31";
        let statuses = [
            // On time and satisfied.
            status("2021-03-01", &[dispatch.clone(), sign.clone(), reply("2021-03-04"), ok("2021-03-05")], today),
            // Late (due 03-04), awaiting its call-back.
            status("2021-03-01", &[dispatch.clone(), sign.clone(), reply("2021-03-05")], today),
            // Unsatisfied, in 重办.
            status("2021-03-01", &[dispatch.clone(), sign.clone(), reply("2021-03-02"), no("2021-03-03")], today),
            // Never signed: 通报 by the 31st.
            status("2021-03-01", std::slice::from_ref(&dispatch), today),
        ];
        let phones = ["h1", "h2", "h1", "h3"];
        let subjects = ["低保", "养老", "婚姻", "养老"];
        let facts: Vec<TicketFacts<'_>> = statuses
            .iter()
            .zip(phones)
            .zip(subjects)
            .map(|((status, phone_hash), subject)| TicketFacts {
                status,
                received_on: d("2021-03-01"),
                phone_hash,
                subject,
            })
            .collect();
        let s = TicketStats::of(&facts, 30);
        assert_eq!((s.received, s.completed, s.on_time, s.called_back, s.satisfied), (4, 3, 2, 2, 1));
        // The third (same number as the first) and the fourth (same subject as the second).
        assert_eq!(s.repeats, 2);
        assert_eq!((s.urged, s.supervised, s.notified), (0, 0, 2), "the 重办 one is past its 03-08 limit too");
        assert_eq!(s.on_time_rate(), Some(66.7));
        assert_eq!(s.callback_rate(), Some(66.7));
        assert_eq!(s.satisfaction_rate(), Some(50.0));
        assert_eq!(TicketStats::default().on_time_rate(), None);
        // Outside the window a call is not a repeat.
        let late = status("2021-04-15", &[], "2021-04-15");
        let two = [
            facts[0].clone(),
            TicketFacts { status: &late, received_on: d("2021-04-15"), phone_hash: "h1", subject: "x" },
        ];
        assert_eq!(TicketStats::of(&two, 30).repeats, 0);
    }

    #[test]
    fn the_rectification_rate_counts_only_matters_closed_after_a_callback() {
        let r = RectRules::DEFAULT;
        let cal = WorkCalendar::builtin();
        let m = |acts: Vec<RectAct>| {
            Rectification {
                rated_on: d("2021-06-01"),
                acts: acts.into_iter().map(|act| RectDated { act, on: d("2021-06-02"), by: "a".into() }).collect(),
            }
            .state(&r, cal, d("2021-07-01"))
            .unwrap()
        };
        let states = [
            m(vec![
                RectAct::CallBack { note: "n".into() },
                RectAct::Verify { founded: false, note: "n".into() },
                RectAct::Explain { note: "n".into() },
            ]),
            m(vec![RectAct::CallBack { note: "n".into() }]),
            m(vec![]),
        ];
        let s = RectStats::of(&states);
        assert_eq!((s.bad, s.called_back, s.called_back_in_time, s.rectified), (3, 2, 2, 1));
        assert_eq!(s.rectification_rate(), Some(33.3));
        assert_eq!(RectStats::default().rectification_rate(), None);
    }
}
