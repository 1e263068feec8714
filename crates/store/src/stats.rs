//! Read models for the service metrics (`service::stats`). The cases of a period are counted in
//! SQL, grouped by everything a figure reads (the divisions, so the caller can cut the groups to
//! the division tree; the item, channel, class, days, due date…): the pure functions in
//! `service::stats` take the groups and say which definition they use. Closed cases with pauses
//! are the exception: their working days need the pause ledger in their state, so those rows
//! are read whole (`pause_count` > 0; few).

use sqlx::Row;

use crate::cases::CaseRow;
use crate::persons::Scope;
use crate::{Store, StoreResult};

/// Milliseconds from UTC to Asia/Shanghai (UTC+8 all year: no daylight saving since 1991).
const SHANGHAI_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// The Shanghai calendar day of an epoch-milliseconds column, as days since 1970-01-01: the SQL
/// twin of [`day_of_ms`] (integer division; the instants are after 1970).
fn day_sql(column: &str) -> String {
    format!("(({column} + {SHANGHAI_OFFSET_MS}) / {DAY_MS})")
}

/// The Shanghai calendar day of an instant, as days since 1970-01-01 (see [`day_sql`]).
pub fn day_of_ms(ms: i64) -> i64 {
    (ms + SHANGHAI_OFFSET_MS).div_euclid(DAY_MS)
}

/// Cases submitted in a period alike in what the submission figures read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SubmittedGroup {
    pub accepting_division: String,
    pub competent_division: String,
    pub item_slug: String,
    pub item_version: i64,
    pub channel: String,
    pub cross_region: String,
    /// Status `draft` (not a submission; the figures leave them out).
    pub draft: bool,
    pub count: i64,
}

impl SubmittedGroup {
    /// The group of one case row (count 1): what [`Store::submitted_groups`] counts.
    pub fn of(row: &CaseRow) -> SubmittedGroup {
        let c = &row.columns;
        SubmittedGroup {
            accepting_division: c.accepting_division.clone(),
            competent_division: c.competent_division.clone(),
            item_slug: c.item_slug.clone(),
            item_version: c.item_version,
            channel: c.channel.clone(),
            cross_region: c.cross_region.clone(),
            draft: c.status == "draft",
            count: 1,
        }
    }
}

/// Cases submitted on one day (the dashboard's months).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayGroup {
    pub accepting_division: String,
    pub competent_division: String,
    /// Shanghai day, days since 1970-01-01 ([`day_of_ms`]).
    pub day: i64,
    pub draft: bool,
    pub count: i64,
}

impl DayGroup {
    /// The group of one case row (count 1): what [`Store::submitted_days`] counts.
    pub fn of(row: &CaseRow) -> DayGroup {
        let c = &row.columns;
        DayGroup {
            accepting_division: c.accepting_division.clone(),
            competent_division: c.competent_division.clone(),
            day: day_of_ms(c.submitted_at_ms),
            draft: c.status == "draft",
            count: 1,
        }
    }
}

/// Closed cases without pauses alike in what the closing figures read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClosedGroup {
    pub accepting_division: String,
    pub competent_division: String,
    /// Shanghai days ([`day_of_ms`]); no accepted day for a case never accepted.
    pub accepted_day: Option<i64>,
    pub closed_day: i64,
    pub due_date: Option<String>,
    /// `Some(0)`: no pauses; None: the state has no pause ledger.
    pub pause_count: Option<i64>,
    pub count: i64,
}

/// Open cases alike in what the overdue figure reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpenGroup {
    pub accepting_division: String,
    pub competent_division: String,
    pub due_date: Option<String>,
    pub count: i64,
}

impl OpenGroup {
    /// The group of one open case row (count 1): what [`Store::open_case_groups`] counts.
    pub fn of(row: &CaseRow) -> OpenGroup {
        let c = &row.columns;
        OpenGroup {
            accepting_division: c.accepting_division.clone(),
            competent_division: c.competent_division.clone(),
            due_date: c.due_date.clone(),
            count: 1,
        }
    }
}

/// An open case: submitted, not closed.
const OPEN: &str = "closed_at_ms IS NULL AND status <> 'draft'";
const SUBMITTED_IN: &str = "submitted_at_ms >= ?1 AND submitted_at_ms < ?2";
const CLOSED_IN: &str = "closed_at_ms >= ?1 AND closed_at_ms < ?2";
const DRAFT: &str = "CAST(CASE WHEN status = 'draft' THEN 1 ELSE 0 END AS BIGINT)";

impl Store {
    /// The cases submitted in `[from_ms, to_ms)` inside the scope (a coarse prefix filter; the
    /// caller checks the tree), counted by division, item version, channel and class.
    pub async fn submitted_groups(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<SubmittedGroup>> {
        let keys =
            format!("accepting_division, competent_division, item_slug, item_version, channel, cross_region, {DRAFT}");
        self.counted(&keys, SUBMITTED_IN, &[from_ms, to_ms], scope, |r| {
            Ok(SubmittedGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                item_slug: r.try_get(2)?,
                item_version: r.try_get(3)?,
                channel: r.try_get(4)?,
                cross_region: r.try_get(5)?,
                draft: r.try_get::<i64, _>(6)? != 0,
                count: r.try_get(7)?,
            })
        })
        .await
    }

    /// The cases submitted in `[from_ms, to_ms)` inside the scope, counted by division and day.
    pub async fn submitted_days(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<DayGroup>> {
        let keys = format!("accepting_division, competent_division, {}, {DRAFT}", day_sql("submitted_at_ms"));
        self.counted(&keys, SUBMITTED_IN, &[from_ms, to_ms], scope, |r| {
            Ok(DayGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                day: r.try_get(2)?,
                draft: r.try_get::<i64, _>(3)? != 0,
                count: r.try_get(4)?,
            })
        })
        .await
    }

    /// The cases closed in `[from_ms, to_ms)` inside the scope that have no pauses (or no pause
    /// ledger), counted by division, accepted and closed day, due date and ledger.
    pub async fn closed_groups(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<ClosedGroup>> {
        let keys = format!(
            "accepting_division, competent_division, {}, {}, due_date, pause_count",
            day_sql("accepted_at_ms"),
            day_sql("closed_at_ms")
        );
        let condition = format!("{CLOSED_IN} AND (pause_count IS NULL OR pause_count = 0)");
        self.counted(&keys, &condition, &[from_ms, to_ms], scope, |r| {
            Ok(ClosedGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                accepted_day: r.try_get(2)?,
                closed_day: r.try_get(3)?,
                due_date: r.try_get(4)?,
                pause_count: r.try_get(5)?,
                count: r.try_get(6)?,
            })
        })
        .await
    }

    /// The cases closed in `[from_ms, to_ms)` inside the scope that have pauses, whole (their
    /// state holds the pause ledger), oldest first. With [`Store::closed_groups`]: every case
    /// closed in the period once.
    pub async fn closed_cases_with_pauses(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases(&format!("{CLOSED_IN} AND pause_count > 0"), &[from_ms, to_ms], scope, true).await
    }

    /// Every open case (submitted, not closed) inside the scope, counted by division and due
    /// date: the snapshot the overdue figure is taken from.
    pub async fn open_case_groups(&self, scope: &Scope) -> StoreResult<Vec<OpenGroup>> {
        let keys = "accepting_division, competent_division, due_date";
        self.counted(keys, OPEN, &[], scope, |r| {
            Ok(OpenGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                due_date: r.try_get(2)?,
                count: r.try_get(3)?,
            })
        })
        .await
    }

    /// The cases matching `condition` inside the scope, counted by `keys` (SQL expressions): one
    /// `group` a row (the keys in order, then the count), sorted.
    async fn counted<G: Ord>(
        &self,
        keys: &str,
        condition: &str,
        values: &[i64],
        scope: &Scope,
        group: impl Fn(&sqlx::any::AnyRow) -> Result<G, sqlx::Error>,
    ) -> StoreResult<Vec<G>> {
        let rows = self
            .scoped_select(&format!("{keys}, COUNT(*)"), condition, values, scope, &format!("GROUP BY {keys}"))
            .await?;
        let mut groups = rows.iter().map(&group).collect::<Result<Vec<_>, _>>()?;
        groups.sort();
        Ok(groups)
    }

    /// Every case submitted in `[from_ms, to_ms)` inside the scope, row by row (columns only):
    /// what [`Store::submitted_groups`] counts (for checking it), and the rows the out-of-province
    /// returns are counted from.
    pub async fn cases_submitted_between(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases(SUBMITTED_IN, &[from_ms, to_ms], scope, false).await
    }

    /// Every case closed in `[from_ms, to_ms)` inside the scope, whole, oldest first.
    pub async fn cases_closed_between(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases(CLOSED_IN, &[from_ms, to_ms], scope, true).await
    }

    /// Every open case inside the scope with its state, for figures that ask the engine about
    /// a case (the dashboard's 临期, from the deadline's warning).
    pub async fn open_cases_with_state(&self, scope: &Scope) -> StoreResult<Vec<CaseRow>> {
        self.scoped_cases(OPEN, &[], scope, true).await
    }

    /// How many cases are on record (benchmark output).
    pub async fn case_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&self.read).await?)
    }

    /// How many marriage registrations are on record (benchmark output).
    pub async fn registration_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM marital_registrations").fetch_one(&self.read).await?)
    }

    /// The database's floor under the metrics of a period: counting the cases submitted in
    /// `[from_ms, to_ms)` and closed in it, and the open ones (the three sets the metrics read),
    /// without reading them out. For `bench stats`.
    pub async fn raw_case_scan(&self, from_ms: i64, to_ms: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM cases WHERE submitted_at_ms >= $1 AND submitted_at_ms < $2) \
             + (SELECT COUNT(*) FROM cases WHERE closed_at_ms >= $1 AND closed_at_ms < $2) \
             + (SELECT COUNT(*) FROM cases WHERE closed_at_ms IS NULL AND status <> 'draft')",
        )
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await?)
    }

    /// The same floor under the marriage statistics: counting the period's registrations.
    pub async fn raw_registration_scan(&self, from: &str, to: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM marital_registrations WHERE on_date >= $1 AND on_date <= $2")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&self.read)
            .await?)
    }
}
