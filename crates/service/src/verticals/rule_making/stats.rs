//! The year's figures of rule-making for the annual report (法治政府建设年度报告), computed from
//! the records: decisions by procedure completeness, documents issued, reviewed, filed, cleaned
//! up and lapsed.

use chrono::{Datelike, NaiveDate};
use domain::access::Actor;
use domain::verticals::rule_making::decision::{Completeness, Procedure, ProcedureState};
use domain::verticals::rule_making::document::{DocumentState, StatusActKind};

use crate::{App, ServiceResult};

/// The figures of one year in the reader's jurisdiction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleStats {
    pub year: i32,
    /// Decisions of the year's catalogue, published after all five procedures.
    pub decisions_published: usize,
    /// Discussed and adopted, not yet published.
    pub decisions_adopted: usize,
    /// Procedures under way.
    pub decisions_in_progress: usize,
    /// Decisions with at least one procedure lawfully left out (with its reason).
    pub decisions_with_omission: usize,
    /// Documents published in the year.
    pub documents_issued: usize,
    /// Legality opinions given in the year.
    pub documents_reviewed: usize,
    /// Documents filed (备案) in the year.
    pub documents_filed: usize,
    /// Documents that received a clean-up verdict in a campaign published in the year.
    pub documents_cleaned_up: usize,
    /// Documents repealed in the year.
    pub documents_repealed: usize,
    /// Documents that lapsed in the year: their 有效期至 passed, or declared lapsed.
    pub documents_lapsed: usize,
}

fn in_year(date: NaiveDate, year: i32) -> bool {
    date.year() == year
}

impl App {
    pub async fn rule_stats(&self, actor: &Actor, year: i32) -> ServiceResult<RuleStats> {
        let mut stats = RuleStats { year, ..RuleStats::default() };
        for view in self.rule_catalogue(actor, year).await? {
            match view.completeness {
                Completeness::Published => stats.decisions_published += 1,
                Completeness::Adopted => stats.decisions_adopted += 1,
                Completeness::InProgress => stats.decisions_in_progress += 1,
            }
            let omitted =
                view.states.iter().any(|(p, s)| *s == ProcedureState::Omitted && *p != Procedure::LegalityReview);
            stats.decisions_with_omission += usize::from(omitted);
        }
        let last_day = NaiveDate::from_ymd_opt(year, 12, 31);
        for line in self.rule_register(actor).await? {
            let doc = &line.row.document;
            stats.documents_issued += usize::from(in_year(doc.published_on, year));
            stats.documents_reviewed += usize::from(in_year(doc.review_opinion_on, year));
            stats.documents_filed += usize::from(line.row.filed_on.is_some_and(|d| in_year(d, year)));
            stats.documents_repealed +=
                usize::from(line.row.acts.iter().any(|a| a.kind == StatusActKind::Repealed && in_year(a.on, year)));
            // Lapsed during the year: in force (or not yet) before it, lapsed at its end or on the
            // day an act declared it.
            let validity = line.row.validity();
            let lapsed_by_end = last_day.is_some_and(|d| validity.state_on(&line.row.acts, d) == DocumentState::Lapsed);
            let lapsed_before = NaiveDate::from_ymd_opt(year - 1, 12, 31)
                .is_some_and(|d| validity.state_on(&line.row.acts, d) == DocumentState::Lapsed);
            stats.documents_lapsed += usize::from(lapsed_by_end && !lapsed_before);
        }
        for cleanup in self.rule_cleanups(actor).await? {
            if cleanup.published_on.is_some_and(|d| in_year(d, year)) {
                stats.documents_cleaned_up += cleanup.items.len();
            }
        }
        Ok(stats)
    }
}
