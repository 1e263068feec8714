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

/// Where grouped counts are read: the cases themselves, or a table of counts kept by the
/// triggers of migration 0020 (`case_agg_*`, a count `n` per group of keys; on PostgreSQL a
/// group's count is split in stripes by writer, migration 0024, so it is always summed).
enum Counted {
    Cases,
    Kept(&'static str),
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
        self.grouped(Counted::Cases, &keys, SUBMITTED_IN, &[from_ms, to_ms], scope, |r| {
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
        self.grouped(Counted::Cases, &keys, SUBMITTED_IN, &[from_ms, to_ms], scope, |r| {
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
        self.grouped(Counted::Cases, &keys, &condition, &[from_ms, to_ms], scope, |r| {
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
        self.grouped(Counted::Cases, keys, OPEN, &[], scope, |r| {
            Ok(OpenGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                due_date: r.try_get(2)?,
                count: r.try_get(3)?,
            })
        })
        .await
    }

    /// The groups of `keys` (SQL expressions) among the rows of `from` matching `condition`
    /// inside the scope: the cases counted, or the kept counts summed (the groups that sum to 0
    /// left out); one `group` a row (the keys in order, then the count), sorted.
    async fn grouped<G: Ord>(
        &self,
        from: Counted,
        keys: &str,
        condition: &str,
        values: &[i64],
        scope: &Scope,
        group: impl Fn(&sqlx::any::AnyRow) -> Result<G, sqlx::Error>,
    ) -> StoreResult<Vec<G>> {
        let (table, count, tail) = match from {
            Counted::Cases => ("cases", "COUNT(*)", format!("GROUP BY {keys}")),
            Counted::Kept(table) => (table, SUM_N, format!("GROUP BY {keys} HAVING SUM(n) <> 0")),
        };
        let rows = self.scoped_select(table, &format!("{keys}, {count}"), condition, values, scope, &tail).await?;
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

    /// The cases of cross-region class `class` (`province`…) submitted in `[from_ms, to_ms)`
    /// inside the scope, row by row (columns only): few, found by their class
    /// (`cases_cross_region`), where [`Store::cases_submitted_between`] reads the whole period.
    pub async fn cases_submitted_of_class(
        &self,
        from_ms: i64,
        to_ms: i64,
        class: &str,
        scope: &Scope,
    ) -> StoreResult<Vec<CaseRow>> {
        let Some(class) = sql_name(class) else { return Ok(Vec::new()) };
        self.scoped_cases(&format!("cross_region = {class} AND {SUBMITTED_IN}"), &[from_ms, to_ms], scope, false).await
    }

    /// The cases of the items `slugs` submitted in `[from_ms, to_ms)` inside the scope, row by
    /// row (columns only): found by their item (`cases_item`), where
    /// [`Store::cases_submitted_between`] reads the whole period.
    pub async fn cases_submitted_of_items(
        &self,
        from_ms: i64,
        to_ms: i64,
        slugs: &[&str],
        scope: &Scope,
    ) -> StoreResult<Vec<CaseRow>> {
        let names: Vec<String> = slugs.iter().filter_map(|s| sql_name(s)).collect();
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let condition = format!("item_slug IN ({}) AND {SUBMITTED_IN}", names.join(", "));
        self.scoped_cases(&condition, &[from_ms, to_ms], scope, false).await
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
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&self.reads).await?)
    }

    /// How many marriage registrations are on record (benchmark output).
    pub async fn registration_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM marital_registrations").fetch_one(&self.reads).await?)
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
        .fetch_one(&self.reads)
        .await?)
    }

    /// The same floor under the marriage statistics: counting the period's registrations.
    pub async fn raw_registration_scan(&self, from: &str, to: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM marital_registrations WHERE on_date >= $1 AND on_date <= $2")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&self.reads)
            .await?)
    }
}

/// `name` quoted as an SQL literal when it is one of the catalog's or the engine's constant names
/// (lowercase letters, digits, `-` and `_`); anything else matches nothing (`None`).
fn sql_name(name: &str) -> Option<String> {
    let constant = name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    (!name.is_empty() && constant).then(|| format!("'{name}'"))
}

/// The day number of an instant for a bound of a period of whole Shanghai days (a bound past
/// the representable days saturates).
fn day_bound(ms: i64) -> i64 {
    ms.saturating_add(SHANGHAI_OFFSET_MS).div_euclid(DAY_MS)
}

/// `CAST(SUM(n) AS BIGINT)`: PostgreSQL sums BIGINTs as NUMERIC.
const SUM_N: &str = "CAST(SUM(n) AS BIGINT)";

/// The counts kept by the triggers of migration 0020 (`case_agg_*`), read with the same keys as
/// the grouped reads above: [`Store::submitted_counts`] gives what [`Store::submitted_groups`]
/// gives, without reading a case. Periods are whole Shanghai days: `from_ms` and `to_ms` are
/// the first instants of days (`service::stats::day_start_ms`).
impl Store {
    /// [`Store::submitted_groups`] from the counts.
    pub async fn submitted_counts(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<SubmittedGroup>> {
        let keys = "accepting_division, competent_division, item_slug, item_version, channel, cross_region, draft";
        let days = [day_bound(from_ms), day_bound(to_ms)];
        self.grouped(Counted::Kept("case_agg_submitted"), keys, "day >= ?1 AND day < ?2", &days, scope, |r| {
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

    /// [`Store::submitted_days`] from the counts.
    pub async fn submitted_day_counts(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<DayGroup>> {
        let days = [day_bound(from_ms), day_bound(to_ms)];
        let keys = "accepting_division, competent_division, day, draft";
        self.grouped(Counted::Kept("case_agg_submitted"), keys, "day >= ?1 AND day < ?2", &days, scope, |r| {
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

    /// [`Store::closed_groups`] from the counts.
    pub async fn closed_counts(&self, from_ms: i64, to_ms: i64, scope: &Scope) -> StoreResult<Vec<ClosedGroup>> {
        let days = [day_bound(from_ms), day_bound(to_ms)];
        let keys = "accepting_division, competent_division, accepted_day, closed_day, due_date, ledger";
        let condition = "closed_day >= ?1 AND closed_day < ?2";
        self.grouped(Counted::Kept("case_agg_closed"), keys, condition, &days, scope, |r| {
            let accepted: i64 = r.try_get(2)?;
            let due: String = r.try_get(4)?;
            let ledger: i64 = r.try_get(5)?;
            Ok(ClosedGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                accepted_day: (accepted >= 0).then_some(accepted),
                closed_day: r.try_get(3)?,
                due_date: (!due.is_empty()).then_some(due),
                pause_count: (ledger >= 0).then_some(ledger),
                count: r.try_get(6)?,
            })
        })
        .await
    }

    /// The closed cases without pauses of [`Store::closed_counts`], by item as well
    /// (`case_agg_closed_items`, migration 0022): `(item slug, group)`, the group without a due
    /// date (not kept by item).
    pub async fn closed_item_counts(
        &self,
        from_ms: i64,
        to_ms: i64,
        scope: &Scope,
    ) -> StoreResult<Vec<(String, ClosedGroup)>> {
        let days = [day_bound(from_ms), day_bound(to_ms)];
        let keys = "accepting_division, competent_division, item_slug, accepted_day, closed_day, ledger";
        let condition = "closed_day >= ?1 AND closed_day < ?2";
        self.grouped(Counted::Kept("case_agg_closed_items"), keys, condition, &days, scope, |r| {
            let accepted: i64 = r.try_get(3)?;
            let ledger: i64 = r.try_get(5)?;
            let group = ClosedGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                accepted_day: (accepted >= 0).then_some(accepted),
                closed_day: r.try_get(4)?,
                due_date: None,
                pause_count: (ledger >= 0).then_some(ledger),
                count: r.try_get(6)?,
            };
            Ok((r.try_get(2)?, group))
        })
        .await
    }

    /// [`Store::open_case_groups`] from the counts.
    pub async fn open_counts(&self, scope: &Scope) -> StoreResult<Vec<OpenGroup>> {
        let keys = "accepting_division, competent_division, due_date";
        self.grouped(Counted::Kept("case_agg_open"), keys, "1 = 1", &[], scope, |r| {
            let due: String = r.try_get(2)?;
            Ok(OpenGroup {
                accepting_division: r.try_get(0)?,
                competent_division: r.try_get(1)?,
                due_date: (!due.is_empty()).then_some(due),
                count: r.try_get(3)?,
            })
        })
        .await
    }

    /// The counts that differ from the cases counted afresh (`table: key → kept, counted`),
    /// empty when every count is right: what the tests check after every kind of write, and
    /// what `bench stats` checks once on the database it times.
    pub async fn case_aggregate_drift(&self) -> StoreResult<Vec<String>> {
        // Each table: its key columns, the same keys computed from a case row, which rows count.
        const TABLES: [(&str, &[&str], &[&str], &str); 4] = [
            (
                "case_agg_submitted",
                &[
                    "day",
                    "accepting_division",
                    "competent_division",
                    "item_slug",
                    "item_version",
                    "channel",
                    "cross_region",
                    "draft",
                ],
                &[
                    "(submitted_at_ms + 28800000) / 86400000",
                    "accepting_division",
                    "competent_division",
                    "item_slug",
                    "item_version",
                    "channel",
                    "cross_region",
                    "CASE WHEN status = 'draft' THEN 1 ELSE 0 END",
                ],
                "1 = 1",
            ),
            (
                "case_agg_closed",
                &["closed_day", "accepting_division", "competent_division", "accepted_day", "due_date", "ledger"],
                &[
                    "(closed_at_ms + 28800000) / 86400000",
                    "accepting_division",
                    "competent_division",
                    "COALESCE((accepted_at_ms + 28800000) / 86400000, -1)",
                    "COALESCE(due_date, '')",
                    "COALESCE(pause_count, -1)",
                ],
                "closed_at_ms IS NOT NULL AND (pause_count IS NULL OR pause_count = 0)",
            ),
            (
                "case_agg_closed_items",
                &["closed_day", "accepting_division", "competent_division", "item_slug", "accepted_day", "ledger"],
                &[
                    "(closed_at_ms + 28800000) / 86400000",
                    "accepting_division",
                    "competent_division",
                    "item_slug",
                    "COALESCE((accepted_at_ms + 28800000) / 86400000, -1)",
                    "COALESCE(pause_count, -1)",
                ],
                "closed_at_ms IS NOT NULL AND (pause_count IS NULL OR pause_count = 0)",
            ),
            (
                "case_agg_open",
                &["accepting_division", "competent_division", "due_date"],
                &["accepting_division", "competent_division", "COALESCE(due_date, '')"],
                "closed_at_ms IS NULL AND status <> 'draft'",
            ),
        ];
        // Every key as text, joined: one string a group.
        let text = |columns: &[&str]| -> String {
            columns.iter().map(|c| format!("CAST({c} AS TEXT)")).collect::<Vec<_>>().join(" || '|' || ")
        };
        let mut drift = Vec::new();
        for (table, keys, expressions, condition) in TABLES {
            let kept_sql = format!(
                "SELECT k, CAST(SUM(n) AS BIGINT) FROM (SELECT {} AS k, n FROM {table}) t GROUP BY k HAVING SUM(n) <> 0",
                text(keys)
            );
            let counted_sql = format!(
                "SELECT k, CAST(COUNT(*) AS BIGINT) FROM (SELECT {} AS k FROM cases WHERE {condition}) t GROUP BY k",
                text(expressions)
            );
            let kept = self.text_counts(&kept_sql).await?;
            let counted = self.text_counts(&counted_sql).await?;
            let all: std::collections::BTreeSet<&String> = kept.keys().chain(counted.keys()).collect();
            for key in all {
                let (k, c) = (kept.get(key).copied().unwrap_or(0), counted.get(key).copied().unwrap_or(0));
                if k != c {
                    drift.push(format!("{table}: {key} → kept {k}, counted {c}"));
                }
            }
        }
        Ok(drift)
    }

    /// `(text, count)` rows as a map.
    async fn text_counts(&self, sql: &str) -> StoreResult<std::collections::BTreeMap<String, i64>> {
        let rows = sqlx::query(sql).fetch_all(&self.reads).await?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

impl Store {
    /// For `bench stats` only: `copies` copies of every case on record (the templates, driven
    /// through the engine), made in SQL in one statement per `chunk` copies: the same columns
    /// and instants, spread over `divisions` (copy i at `divisions[i % len]`, accepting and
    /// competent), numbered `<template number>-<i>`, with a minimal state (the pause ledger
    /// only; the template's state where it has pauses) and no events. The counts of migration
    /// 0020 are kept by its triggers as for any insert. Returns the cases written.
    pub async fn copy_cases_for_bench(
        &self,
        copies: u64,
        chunk: u64,
        divisions: &[&str],
        mut progress: impl FnMut(u64),
    ) -> StoreResult<u64> {
        if divisions.is_empty() || divisions.iter().any(|d| !d.bytes().all(|b| b.is_ascii_digit())) {
            return Err(crate::StoreError::Invalid("divisions: codes of digits".into()));
        }
        let templates: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM cases").fetch_one(&self.reads).await?;
        let Some(templates) = templates else { return Ok(0) };
        let division = format!(
            "CASE s.i % {} {} END",
            divisions.len(),
            divisions.iter().enumerate().map(|(k, d)| format!("WHEN {k} THEN '{d}'")).collect::<Vec<_>>().join(" ")
        );
        let columns = "number, item_slug, item_version, status, step, accepting_division, competent_division, \
                       cross_region, channel, applicant_person_id, submitted_at_ms, accepted_at_ms, closed_at_ms, \
                       due_date, timer_due_ms, revision, state, created_at_ms, updated_at_ms, pause_count";
        let select = format!(
            "SELECT t.number || '-' || CAST(s.i AS TEXT), t.item_slug, t.item_version, t.status, t.step, {division}, \
             {division}, t.cross_region, t.channel, t.applicant_person_id, t.submitted_at_ms, t.accepted_at_ms, \
             t.closed_at_ms, t.due_date, t.timer_due_ms, t.revision, \
             CASE WHEN t.pause_count > 0 THEN t.state WHEN t.pause_count = 0 THEN '{{\"pauses\":[]}}' ELSE '{{}}' END, \
             t.created_at_ms, t.updated_at_ms, t.pause_count"
        );
        let sql = match self.backend {
            crate::Backend::Sqlite => format!(
                "WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $2) \
                 INSERT INTO cases ({columns}) {select} FROM s, cases t WHERE t.id <= $3 ORDER BY s.i, t.id"
            ),
            crate::Backend::Postgres => format!(
                "INSERT INTO cases ({columns}) {select} FROM generate_series($1, $2 - 1) AS s(i), cases t \
                 WHERE t.id <= $3 ORDER BY s.i, t.id"
            ),
        };
        let mut written = 0;
        let mut from = 1u64;
        while from <= copies {
            let to = (from + chunk.max(1)).min(copies + 1);
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(&sql)
                .bind(from as i64)
                .bind(to as i64)
                .bind(templates)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            written += done;
            progress(written);
            from = to;
        }
        Ok(written)
    }
}
