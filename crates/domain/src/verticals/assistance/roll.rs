//! The monthly payment roll (发放花名册) of a county: who is paid what for the month, totals by
//! program, and the changes since the month before. Computed from the stored decisions, never
//! stored itself: the figures are the decisions'.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::payment::YearMonth;
use super::program::{excludes, Program};

/// A granted decision as the roll reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub decision_id: i64,
    pub case_id: i64,
    pub program: Program,
    pub household_id: i64,
    pub payee: i64,
    pub covered: Vec<i64>,
    pub amount_fen: i64,
    pub first: YearMonth,
    /// The last month paid (by rule or by a later stop); None = until changed.
    pub last: Option<YearMonth>,
    pub decided_on: NaiveDate,
}

impl Award {
    fn pays_in(&self, month: YearMonth) -> bool {
        self.first <= month && self.last.is_none_or(|l| month <= l)
    }
}

/// Deaths recorded after a decision end its payment with the month of death (社会救助暂行办法第十三条:
/// 停发; the month is [unconfirmed], common practice — see `payment::last_paid_month_after_death`): a
/// person's benefit when the payee dies; a household's 低保 when every member it covers has died (a
/// single death in a larger household calls for a re-check of the amount, not a stop).
pub fn apply_deaths(awards: &mut [Award], deaths: &BTreeMap<i64, NaiveDate>) {
    for a in awards.iter_mut() {
        let died = if a.program == Program::MinimumLiving {
            let all: Option<Vec<NaiveDate>> = a.covered.iter().map(|p| deaths.get(p).copied()).collect();
            all.and_then(|dates| dates.into_iter().max())
        } else {
            deaths.get(&a.payee).copied()
        };
        if let Some(died) = died {
            let month = super::payment::last_paid_month_after_death(died);
            a.last = Some(a.last.map_or(month, |l| l.min(month)));
        }
    }
}

/// The awards not ended by a later stop (a re-check's award of 0 for the same program and payee),
/// stops themselves left out: what still pays or is due to start, for the exclusion check at a
/// decision (a household whose 低保 was stopped may be granted an exclusive benefit).
pub fn not_stopped(awards: &[Award]) -> Vec<&Award> {
    let stopped = |a: &Award| {
        awards.iter().any(|s| {
            s.amount_fen == 0
                && (s.program, s.payee) == (a.program, a.payee)
                && (s.decided_on, s.decision_id) > (a.decided_on, a.decision_id)
        })
    };
    awards.iter().filter(|a| a.amount_fen > 0 && !stopped(a)).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollLine {
    pub program: Program,
    pub payee: i64,
    pub household_id: i64,
    pub amount_fen: i64,
    pub decision_id: i64,
    pub case_id: i64,
    /// A stop already decided that applies from a later month (the 渐退期, or a stop from next
    /// month): the line is paid this month and ends before that month.
    pub stop_from: Option<YearMonth>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    New,
    Stopped,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Stopped => "stopped",
            ChangeKind::Changed => "changed",
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            ChangeKind::New => "新增",
            ChangeKind::Stopped => "停发",
            ChangeKind::Changed => "调整",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub program: Program,
    pub payee: i64,
    /// The household of the line (this month's, else last month's).
    pub household_id: i64,
    pub before_fen: i64,
    pub after_fen: i64,
}

/// A decision left out of the month because its person already receives an exclusive benefit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub decision_id: i64,
    pub program: Program,
    pub person: i64,
    /// The household of the decision left out.
    pub household_id: i64,
    pub kept_decision_id: i64,
    pub kept_program: Program,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRoll {
    pub month: YearMonth,
    pub lines: Vec<RollLine>,
    /// (program, number of lines, amount in fen), every program with at least one line.
    pub totals: Vec<(Program, usize, i64)>,
    pub total_fen: i64,
    pub changes: Vec<Change>,
    pub excluded: Vec<Excluded>,
}

/// The lines of one month. Per (program, payee) the newest decision in force replaces the older
/// (a re-check's new amount, or its stop: an award of 0 from the stop month). Then, in the order the decisions were made, a decision whose person
/// already has a line in an exclusive program is left out and reported (国发〔2015〕52号: no one paid
/// twice).
fn month_lines(awards: &[Award], month: YearMonth) -> (Vec<RollLine>, Vec<Excluded>) {
    let mut newest: BTreeMap<(Program, i64), &Award> = BTreeMap::new();
    for a in awards.iter().filter(|a| a.pays_in(month)) {
        let slot = newest.entry((a.program, a.payee)).or_insert(a);
        if (a.decided_on, a.decision_id) > (slot.decided_on, slot.decision_id) {
            *slot = a;
        }
    }
    // A newest award of 0 is a re-check's stop (停发): it ends the older one and pays nothing.
    let mut in_order: Vec<&Award> = newest.into_values().filter(|a| a.amount_fen > 0).collect();
    in_order.sort_by_key(|a| (a.decided_on, a.decision_id));
    let mut kept: Vec<&Award> = Vec::new();
    let mut excluded = Vec::new();
    for a in in_order {
        let clash = kept.iter().find_map(|k| {
            let person = a.covered.iter().find(|p| k.covered.contains(p))?;
            excludes(a.program, k.program).then_some((*person, *k))
        });
        match clash {
            Some((person, k)) => excluded.push(Excluded {
                decision_id: a.decision_id,
                program: a.program,
                person,
                household_id: a.household_id,
                kept_decision_id: k.decision_id,
                kept_program: k.program,
            }),
            None => kept.push(a),
        }
    }
    let stop_from = |a: &Award| {
        awards
            .iter()
            .filter(|s| s.amount_fen == 0 && (s.program, s.payee) == (a.program, a.payee))
            .filter(|s| (s.decided_on, s.decision_id) > (a.decided_on, a.decision_id) && s.first > month)
            .filter(|s| YearMonth::of(s.decided_on) <= month)
            .map(|s| s.first)
            .min()
    };
    let mut lines: Vec<RollLine> = kept
        .into_iter()
        .map(|a| RollLine {
            program: a.program,
            payee: a.payee,
            household_id: a.household_id,
            amount_fen: a.amount_fen,
            decision_id: a.decision_id,
            case_id: a.case_id,
            stop_from: stop_from(a),
        })
        .collect();
    lines.sort_by_key(|l| (l.program, l.household_id, l.payee));
    (lines, excluded)
}

impl PaymentRoll {
    /// The part of the roll whose households `keep` admits (a township's own lines of its
    /// county's roll), with the totals recomputed from those lines. Computed after the whole
    /// county's roll, so the exclusions between programs are the county's.
    pub fn only_households(mut self, keep: impl Fn(i64) -> bool) -> PaymentRoll {
        self.lines.retain(|l| keep(l.household_id));
        self.changes.retain(|c| keep(c.household_id));
        self.excluded.retain(|x| keep(x.household_id));
        let mut totals: BTreeMap<Program, (usize, i64)> = BTreeMap::new();
        for l in &self.lines {
            let t = totals.entry(l.program).or_default();
            t.0 += 1;
            t.1 += l.amount_fen;
        }
        self.totals = totals.into_iter().map(|(p, (n, s))| (p, n, s)).collect();
        self.total_fen = self.lines.iter().map(|l| l.amount_fen).sum();
        self
    }
}

/// The roll of `month` from the county's granted decisions.
pub fn payment_roll(awards: &[Award], month: YearMonth) -> PaymentRoll {
    let (lines, excluded) = month_lines(awards, month);
    let (before, _) = month_lines(awards, month.prev());
    let mut totals: BTreeMap<Program, (usize, i64)> = BTreeMap::new();
    for l in &lines {
        let t = totals.entry(l.program).or_default();
        t.0 += 1;
        t.1 += l.amount_fen;
    }
    let key = |l: &RollLine| (l.program, l.payee);
    let was: BTreeMap<_, (i64, i64)> = before.iter().map(|l| (key(l), (l.amount_fen, l.household_id))).collect();
    let now: BTreeMap<_, (i64, i64)> = lines.iter().map(|l| (key(l), (l.amount_fen, l.household_id))).collect();
    let mut changes = Vec::new();
    for (&(program, payee), &(after, household_id)) in &now {
        let change = |kind, before_fen| Change { kind, program, payee, household_id, before_fen, after_fen: after };
        match was.get(&(program, payee)) {
            None => changes.push(change(ChangeKind::New, 0)),
            Some(&(b, _)) if b != after => changes.push(change(ChangeKind::Changed, b)),
            Some(_) => {}
        }
    }
    for (&(program, payee), &(b, household_id)) in &was {
        if !now.contains_key(&(program, payee)) {
            changes.push(Change {
                kind: ChangeKind::Stopped,
                program,
                payee,
                household_id,
                before_fen: b,
                after_fen: 0,
            });
        }
    }
    PaymentRoll {
        month,
        total_fen: lines.iter().map(|l| l.amount_fen).sum(),
        totals: totals.into_iter().map(|(p, (n, s))| (p, n, s)).collect(),
        lines,
        changes,
        excluded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    fn award(id: i64, program: Program, payee: i64, amount: i64, first: YearMonth, last: Option<YearMonth>) -> Award {
        Award {
            decision_id: id,
            case_id: id,
            program,
            household_id: payee,
            payee,
            covered: vec![payee],
            amount_fen: amount,
            first,
            last,
            decided_on: first.prev().first_day(),
        }
    }

    #[test]
    fn totals_are_the_sum_of_the_lines_and_changes_are_named() {
        let awards = vec![
            award(1, Program::MinimumLiving, 10, 32_400, ym(2021, 7), None),
            award(2, Program::MinimumLiving, 11, 10_000, ym(2021, 8), None),
            award(3, Program::Orphan, 12, 100_000, ym(2021, 1), Some(ym(2021, 7))),
            award(4, Program::DisabilityCare, 10, 8_000, ym(2021, 6), None),
        ];
        let roll = payment_roll(&awards, ym(2021, 8));
        assert_eq!(roll.lines.len(), 3);
        assert_eq!(roll.total_fen, 32_400 + 10_000 + 8_000);
        let summed: i64 = roll.totals.iter().map(|t| t.2).sum();
        assert_eq!(summed, roll.total_fen);
        let kinds: Vec<(ChangeKind, i64)> = roll.changes.iter().map(|c| (c.kind, c.payee)).collect();
        assert!(kinds.contains(&(ChangeKind::New, 11)));
        assert!(kinds.contains(&(ChangeKind::Stopped, 12)));
        assert_eq!(kinds.len(), 2);
    }

    #[test]
    fn a_part_of_the_roll_keeps_its_own_lines_changes_and_totals() {
        let awards = vec![
            award(1, Program::MinimumLiving, 10, 32_400, ym(2021, 7), None),
            award(2, Program::MinimumLiving, 11, 10_000, ym(2021, 8), None),
            award(3, Program::Orphan, 12, 100_000, ym(2021, 1), Some(ym(2021, 7))),
        ];
        // Households 10 and 12 are one township's; 11 is another's.
        let part = payment_roll(&awards, ym(2021, 8)).only_households(|h| h != 11);
        let payees: Vec<i64> = part.lines.iter().map(|l| l.payee).collect();
        assert_eq!(payees, vec![10]);
        assert_eq!(part.total_fen, 32_400);
        assert_eq!(part.totals, vec![(Program::MinimumLiving, 1, 32_400)]);
        let changes: Vec<(ChangeKind, i64)> = part.changes.iter().map(|c| (c.kind, c.payee)).collect();
        assert_eq!(changes, vec![(ChangeKind::Stopped, 12)], "the other township's new line is not shown");
    }

    #[test]
    fn a_newer_decision_replaces_the_amount_and_shows_as_a_change() {
        let mut newer = award(5, Program::MinimumLiving, 10, 20_000, ym(2021, 9), None);
        newer.decided_on = ym(2021, 8).first_day();
        let awards = vec![award(1, Program::MinimumLiving, 10, 32_400, ym(2021, 7), None), newer];
        let roll = payment_roll(&awards, ym(2021, 9));
        assert_eq!(roll.lines.len(), 1);
        assert_eq!(roll.lines[0].amount_fen, 20_000);
        assert_eq!(roll.changes[0].kind, ChangeKind::Changed);
        assert_eq!((roll.changes[0].before_fen, roll.changes[0].after_fen), (32_400, 20_000));
    }

    #[test]
    fn no_one_is_paid_twice_for_exclusive_benefits() {
        let awards = vec![
            award(1, Program::ExtremePoverty, 20, 84_500, ym(2021, 7), None),
            award(2, Program::DisabilityLiving, 20, 8_000, ym(2021, 8), None),
            award(3, Program::DisabilityCare, 20, 8_000, ym(2021, 8), None),
        ];
        let roll = payment_roll(&awards, ym(2021, 8));
        let programs: Vec<Program> = roll.lines.iter().map(|l| l.program).collect();
        assert_eq!(programs, vec![Program::ExtremePoverty, Program::DisabilityCare]);
        assert_eq!(roll.excluded.len(), 1);
        assert_eq!(roll.excluded[0].decision_id, 2);
        assert_eq!(roll.excluded[0].kept_decision_id, 1);
    }

    #[test]
    fn a_death_stops_payment_after_its_month() {
        let died = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut awards = vec![
            award(1, Program::DisabilityCare, 40, 8_000, ym(2021, 7), None),
            Award { covered: vec![41, 42], ..award(2, Program::MinimumLiving, 41, 20_000, ym(2021, 7), None) },
        ];
        let deaths = BTreeMap::from([(40, died(2021, 9, 30)), (41, died(2021, 9, 1))]);
        apply_deaths(&mut awards, &deaths);
        assert_eq!(awards[0].last, Some(ym(2021, 9)));
        assert_eq!(awards[1].last, None, "one of two members died: re-check, not stop");
        let roll = payment_roll(&awards, ym(2021, 10));
        assert_eq!(roll.lines.len(), 1);
        assert_eq!(roll.changes[0].kind, ChangeKind::Stopped);
        let deaths = BTreeMap::from([(41, died(2021, 9, 1)), (42, died(2021, 11, 2))]);
        apply_deaths(&mut awards, &deaths);
        assert_eq!(awards[1].last, Some(ym(2021, 11)));
    }

    #[test]
    fn a_child_allowance_stops_after_the_birthday_month() {
        // Born 2004-02-29: 18 on 2022-02-28 (民法典第二百零二条); paid for February, not March.
        let last = super::super::payment::last_paid_month_for_child(NaiveDate::from_ymd_opt(2004, 2, 29).unwrap(), 18);
        let awards = vec![award(1, Program::Orphan, 30, 100_000, ym(2021, 3), Some(last))];
        assert_eq!(payment_roll(&awards, ym(2022, 2)).lines.len(), 1);
        let march = payment_roll(&awards, ym(2022, 3));
        assert!(march.lines.is_empty());
        assert_eq!(march.changes[0].kind, ChangeKind::Stopped);
    }

    #[test]
    fn a_recheck_stop_ends_payment_from_its_first_month() {
        let mut stop = award(6, Program::MinimumLiving, 10, 0, ym(2022, 2), None);
        stop.decided_on = ym(2022, 1).first_day();
        let awards = vec![award(1, Program::MinimumLiving, 10, 32_400, ym(2021, 7), None), stop];
        assert_eq!(payment_roll(&awards, ym(2022, 1)).total_fen, 32_400);
        let feb = payment_roll(&awards, ym(2022, 2));
        assert!(feb.lines.is_empty());
        assert_eq!(feb.changes.len(), 1);
        assert_eq!((feb.changes[0].kind, feb.changes[0].before_fen), (ChangeKind::Stopped, 32_400));
    }

    #[test]
    fn a_taper_keeps_the_line_with_its_stop_month_until_the_stop() {
        // Decided 2022-01 with a 渐退期 of 3 months: paid January to April, stopped from May.
        let mut stop = award(6, Program::MinimumLiving, 10, 0, ym(2022, 5), None);
        stop.decided_on = ym(2022, 1).first_day();
        let awards = vec![award(1, Program::MinimumLiving, 10, 32_400, ym(2021, 7), None), stop];
        // Before the stop was decided the line carries no stop month.
        assert_eq!(payment_roll(&awards, ym(2021, 12)).lines[0].stop_from, None);
        for month in [ym(2022, 1), ym(2022, 2), ym(2022, 4)] {
            let roll = payment_roll(&awards, month);
            assert_eq!(roll.total_fen, 32_400, "{month}");
            assert_eq!(roll.lines[0].stop_from, Some(ym(2022, 5)), "{month}");
        }
        let may = payment_roll(&awards, ym(2022, 5));
        assert!(may.lines.is_empty());
        assert_eq!(may.changes[0].kind, ChangeKind::Stopped);
    }

    #[test]
    fn a_stop_ends_the_earlier_award_for_the_exclusion_check_only() {
        let mut stop = award(6, Program::MinimumLiving, 10, 0, ym(2022, 2), None);
        stop.decided_on = ym(2022, 1).first_day();
        let mut later = award(7, Program::MinimumLiving, 10, 30_000, ym(2022, 6), None);
        later.decided_on = ym(2022, 5).first_day();
        let other = award(2, Program::DisabilityCare, 10, 8_000, ym(2021, 7), None);
        let ids = |awards: &[Award]| not_stopped(awards).iter().map(|a| a.decision_id).collect::<Vec<_>>();
        let old = award(1, Program::MinimumLiving, 10, 32_400, ym(2021, 7), None);
        assert_eq!(ids(&[old.clone(), other.clone()]), [1, 2]);
        assert_eq!(ids(&[old.clone(), stop.clone(), other.clone()]), [2], "stopped, and the stop pays nothing");
        assert_eq!(ids(&[old, stop, later, other]), [7, 2], "a new grant after the stop pays again");
    }
}
