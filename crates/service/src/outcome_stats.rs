//! The decided cases of a period counted by the outcome each recorded (`[[outcomes]]` of its
//! item: 予以公开, 部分公开, 信息不存在…; 准予 / 不予准予 for an item declaring none), per item,
//! over the caller's jurisdiction: the same period, scope and permission as the service metrics
//! ([`App::service_stats`]).

use std::collections::BTreeMap;

use domain::engine::case::{CaseStatus, Outcome};

use crate::stats::StatsQuery;
use crate::{App, ServiceResult};

/// How many cases of one item closed in the period with one outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCount {
    pub item_slug: String,
    pub item_name: String,
    /// The item's version the cases ran under (an outcome's label is its version's).
    pub item_version: u32,
    /// The outcome's key (`granted` / `denied` for an item declaring none).
    pub outcome: String,
    pub label: String,
    pub grants: bool,
    pub count: i64,
}

/// The period's counts, in item, version and then declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeStats {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub rows: Vec<OutcomeCount>,
}

impl App {
    /// Closed cases of the period that were decided (granted or denied: not those not accepted,
    /// withdrawn or terminated), counted by item and outcome. A case decided before outcomes
    /// were recorded counts under its side's default; one granted without a decide act (a
    /// filing's receipt) under the item's default grant.
    pub async fn outcome_stats(
        &self,
        actor: Option<&domain::access::Actor>,
        query: &StatsQuery,
    ) -> ServiceResult<OutcomeStats> {
        let period = self.stats_period(actor, query)?;
        let divisions = self.divisions();
        let rows = self.store.cases_closed_between(period.start_ms, period.end_ms, &period.store_scope).await?;
        // (item slug, version, outcome position in it) → (count, item name, outcome)
        type Key = (String, u32, usize);
        let mut counts: BTreeMap<Key, (i64, String, domain::catalog::OutcomeDef)> = BTreeMap::new();
        for row in rows {
            if !period.covers(&row.columns.accepting_division, &row.columns.competent_division, divisions) {
                continue;
            }
            let Ok(stored) = crate::case_json::from_json(&row.state) else { continue };
            let case = &stored.case;
            let granted = match case.status {
                CaseStatus::Closed(Outcome::Granted) => true,
                CaseStatus::Closed(Outcome::Denied) => false,
                _ => continue,
            };
            let Some(item) = self.case_item(case) else { continue };
            let key = case.decision.as_ref().and_then(|d| d.outcome.as_deref());
            let Some(outcome) = item.outcomes.of_decision(key, granted) else { continue };
            let position = item.outcomes.list.iter().position(|o| o.key == outcome.key).unwrap_or(usize::MAX);
            let entry = counts
                .entry((item.slug.clone(), item.version.number, position))
                .or_insert_with(|| (0, item.name.clone(), outcome.clone()));
            entry.0 += 1;
        }
        let rows = counts
            .into_iter()
            .map(|((slug, version, _), (count, name, outcome))| OutcomeCount {
                item_slug: slug,
                item_name: name,
                item_version: version,
                outcome: outcome.key,
                label: outcome.label,
                grants: outcome.grants,
                count,
            })
            .collect();
        Ok(OutcomeStats { from: period.from, to: period.to, rows })
    }
}
