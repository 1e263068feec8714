//! 主动公开 of rule-making (政府信息公开条例第二十条、第二十六条): the decisions adopted, each
//! with the day its information was formed (the adopting discussion), its publication and the
//! 20-working-day limit; and the normative documents with their publication dates. Public.

use chrono::NaiveDate;
use domain::verticals::rule_making::decision::{Outcome, Step};
use domain::verticals::rule_making::openness::{proactive_due, Disclosure};

use crate::{App, ServiceResult};

/// One piece of information the organ must publish.
#[derive(Debug, Clone)]
pub struct ProactiveItem {
    pub decision_id: i64,
    pub title: String,
    pub organ: String,
    pub formed: NaiveDate,
    pub due: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub disclosure: Option<Disclosure>,
}

impl App {
    /// The decisions adopted by a collective discussion, newest first, each checked against
    /// 第二十六条 on today (a day outside the calendar leaves the check undecided: `None`).
    pub async fn rule_proactive(&self) -> ServiceResult<Vec<ProactiveItem>> {
        let calendar = self.calendar();
        let today = self.today();
        let mut out = Vec::new();
        for full in self.store.rule_decisions_all().await? {
            let formed = full.steps.iter().rev().find_map(|(s, _)| match s {
                Step::Discussion { on, outcome: Outcome::Adopted, .. } => Some(*on),
                _ => None,
            });
            let Some(formed) = formed else { continue };
            let published = full.steps.iter().find_map(|(s, _)| match s {
                Step::Published { on, .. } => Some(*on),
                _ => None,
            });
            let due = proactive_due(&calendar, formed).ok();
            out.push(ProactiveItem {
                decision_id: full.decision.id,
                title: full.decision.title,
                organ: full.decision.organ,
                formed,
                disclosure: due.map(|d| Disclosure::of(d, published, today)),
                due,
                published,
            });
        }
        out.sort_by_key(|i| std::cmp::Reverse(i.formed));
        Ok(out)
    }
}
