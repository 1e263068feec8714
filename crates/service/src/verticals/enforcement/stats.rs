//! 行政执法 statistics (国办发〔2018〕118号: the annual enforcement data, published by 31 January),
//! computed from the records: cases by stage and by outcome, time used against the 90-day limit
//! (行政处罚法 第六十条), reviews passed and sent back (第五十八条), hearings (第六十四条),
//! accountability reviews opened, and officers holding a valid credential (第四十二条).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::verticals::enforcement::{periods, Act, PenaltyKind, Stage};

use super::CaseView;
use crate::{App, ServiceResult};

/// The figures of a jurisdiction, for cases filed in `from..=to`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnforcementStats {
    pub cases: usize,
    pub by_stage: BTreeMap<&'static str, usize>,
    /// Decisions by penalty kind (Chinese name).
    pub by_outcome: BTreeMap<&'static str, usize>,
    pub fines_fen: i64,
    pub reviews_passed: usize,
    pub reviews_returned: usize,
    pub hearings: usize,
    pub accountability_reviews: usize,
    /// Decided cases, and those decided within the 90-day limit.
    pub decided: usize,
    pub decided_in_time: usize,
    /// The longest time from 立案 to decision, in days.
    pub longest_days: i64,
    /// Officers of the jurisdiction whose credential is valid on the day read.
    pub officers_credentialed: usize,
}

/// The figures of `cases` (already scoped), filed in `from..=to`.
pub fn compute(
    cases: &[CaseView],
    from: NaiveDate,
    to: NaiveDate,
    cal: &domain::calendar::WorkCalendar,
) -> EnforcementStats {
    let mut s = EnforcementStats::default();
    for view in cases.iter().filter(|v| (from..=to).contains(&v.file.filing.filed_on)) {
        s.cases += 1;
        *s.by_stage.entry(view.stage.name_zh()).or_default() += 1;
        let (passed, returned) = view.file.reviews();
        s.reviews_passed += passed;
        s.reviews_returned += returned;
        s.hearings += view.file.acts.iter().filter(|a| matches!(a, Act::Hearing { .. })).count();
        if view.full.accountability.is_some() {
            s.accountability_reviews += 1;
        }
        if let Some((on, penalty)) = view.file.decision() {
            s.decided += 1;
            *s.by_outcome.entry(penalty.kind.name_zh()).or_default() += 1;
            if matches!(penalty.kind, PenaltyKind::Fine | PenaltyKind::Confiscation) {
                s.fines_fen += penalty.amount_fen;
            }
            let filed = view.file.filing.filed_on;
            if periods::decision_due(cal, filed, 0).is_ok_and(|due| on <= due) {
                s.decided_in_time += 1;
            }
            s.longest_days = s.longest_days.max((on - filed).num_days());
        }
    }
    for stage in Stage::ALL {
        s.by_stage.entry(stage.name_zh()).or_default();
    }
    s
}

impl App {
    /// The statistics of the caller's jurisdiction for the cases filed in `from..=to`.
    pub async fn enforcement_stats(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> ServiceResult<EnforcementStats> {
        let cases = self.enforcement_cases(actor).await?;
        let mut stats = compute(&cases, from, to, &self.calendar());
        let today = self.today();
        let officers = self.store.enforcement_officers(None).await?;
        stats.officers_credentialed = officers
            .iter()
            .filter(|r| r.officer.credential_valid(today))
            .filter(|r| {
                domain::division::DivisionCode::parse(&r.division)
                    .is_ok_and(|d| actor.may(Permission::ReadEnforcement, &d, self.divisions()))
            })
            .count();
        Ok(stats)
    }
}
