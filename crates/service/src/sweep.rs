//! The sweep: the timed transitions the law makes automatic (a wait step's period running out,
//! e.g. the end of a cooling-off period), applied by the system actor and recorded
//! like any act. Durable: the instant a timer runs out is a column of the case
//! (`cases.timer_due_ms`, derived on every save), so a restart loses nothing; the next sweep
//! finds every timer that fell due meanwhile. The sweep only records what the law already did:
//! a period takes effect at its end (民法典第二百零三条), and every act before the sweep is decided
//! on the case as the law has it (`domain::engine::apply::settled`), recording the lapse with it;
//! the timer's act is dated when the period ended (`effective_at`), not when the sweep ran.

use chrono::{DateTime, Utc};
use domain::calendar::shanghai_date;
use domain::engine::action::Action;
use domain::engine::context::ActorAt;

use crate::verticals::{self, Every};
use crate::{App, ErrorKind, ServiceResult};

/// Cases handled per sweep at most; the rest wait for the next one.
const BATCH: i64 = 500;

impl App {
    /// Applies `timer_expired` to every open case whose timer is due at `now`, as the system, then
    /// runs the areas' periodic jobs ([`verticals::jobs`]). Returns how many cases moved or were
    /// opened. A case someone acted on meanwhile is left to the next sweep (its timer was
    /// recomputed by that act); a refusal (e.g. the calendar year of the due date is not loaded
    /// yet) is logged and retried next time.
    pub async fn sweep_once(&self, now: DateTime<Utc>) -> ServiceResult<usize> {
        let system = ActorAt::system();
        let mut moved = 0;
        for row in self.store.cases_with_due_timers(now, BATCH).await? {
            let (row, stored, item) = match self.load_case(row.id).await {
                Ok(loaded) => loaded,
                Err(err) => {
                    tracing::error!(case = row.id, error = %err, "sweep: case unreadable");
                    continue;
                }
            };
            let delegations = self.delegations(item).await?;
            match self
                .commit_act(&row, &stored, item, &Action::TimerExpired, &system, now, None, &delegations, None)
                .await
            {
                Ok(_) => {
                    moved += 1;
                    tracing::info!(case = row.id, "sweep: timer expired and applied");
                }
                Err(err) if err.kind == ErrorKind::Conflict => {
                    tracing::info!(case = row.id, "sweep: case changed meanwhile, left for the next sweep");
                }
                Err(err) if err.kind == ErrorKind::Internal => return Err(err),
                Err(err) => {
                    tracing::warn!(case = row.id, code = err.code, "sweep: timer not applied");
                }
            }
        }
        // The areas' periodic jobs; a daily one once per Shanghai day (`sweep_marks`).
        let day = shanghai_date(now).to_string();
        for job in verticals::jobs() {
            if job.every == Every::Daily && self.store.sweep_mark(job.name).await?.as_deref() == Some(day.as_str()) {
                continue;
            }
            moved += verticals::run_job(self, job, now).await?;
            if job.every == Every::Daily {
                self.store.set_sweep_mark(job.name, &day).await?;
            }
        }
        Ok(moved)
    }
}
