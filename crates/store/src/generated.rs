//! Generated workloads (`minzheng bench stats`): many new cases written at once, with the same
//! rows an act through [`Store::create_case`] and [`Store::transition_case`] leaves behind — the
//! case row (columns, state, revision), its number from the division's counter, its record
//! stream (every event sealed with SM3 by [`seal`], the stream head) — in multi-row statements,
//! one transaction per batch, so a million cases are written in minutes instead of hours.

use chrono::{DateTime, Utc};
use domain::audit::{EventDraft, GENESIS};

use crate::audit::{hash_hex, seal};
use crate::cases::{bind_columns, case_number, CaseColumns, NEW_CASE_COLUMNS};
use crate::{Backend, Store, StoreResult};

/// The events of a case with the instant of each, in order.
pub type TimedEvents = Vec<(EventDraft, DateTime<Utc>)>;

/// Makes a case's state and events once its id and number are known.
pub type Build = Box<dyn Fn(i64, &str) -> (String, TimedEvents) + Send + Sync>;

/// A case made in memory (through the engine, by `service`), not yet numbered.
pub struct GeneratedCase {
    pub columns: CaseColumns,
    /// The division and year that number the case.
    pub number_division: String,
    pub number_year: i32,
    /// The revision its state is at (1 after submission, +1 per act).
    pub revision: i64,
    pub updated_at: DateTime<Utc>,
    pub build: Build,
}

/// Binds per multi-row statement: PostgreSQL takes up to 65,535 (fewer round trips is the gain);
/// SQLite finds each named parameter by a linear search (`sqlite3_bind_parameter_name`, called
/// by sqlx for every bind), so a long statement costs the square of its length there, and short
/// ones are as fast in-process: at 1,000 binds that search was 29 % of a `bench stats --cases
/// 20000` profile.
fn binds_per_statement(backend: Backend) -> usize {
    match backend {
        Backend::Postgres => 20_000,
        Backend::Sqlite => 210,
    }
}

/// `($1, $2), ($3, $4)` for 2 rows of 2 columns.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// `n` fresh values of a key: the sequence on PostgreSQL; after the largest on SQLite (one
    /// writer, inside the transaction).
    async fn fresh_keys(
        &self,
        tx: &mut sqlx::AnyConnection,
        sequence: &str,
        (table, column): (&str, &str),
        n: usize,
    ) -> StoreResult<Vec<i64>> {
        Ok(match self.backend {
            Backend::Postgres => {
                let mut keys: Vec<i64> =
                    sqlx::query_scalar(&format!("SELECT nextval('{sequence}') FROM generate_series(1, $1)"))
                        .bind(n as i64)
                        .fetch_all(&mut *tx)
                        .await?;
                keys.sort_unstable();
                keys
            }
            Backend::Sqlite => {
                let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX({column}), 0) FROM {table}"))
                    .fetch_one(&mut *tx)
                    .await?;
                (max + 1..=max + n as i64).collect()
            }
        })
    }

    /// Writes `cases` with their events in one transaction; returns their ids.
    pub async fn insert_generated_cases(&self, cases: &[GeneratedCase]) -> StoreResult<Vec<i64>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let ids = self.fresh_keys(&mut tx, "cases_id_seq", ("cases", "id"), cases.len()).await?;
        // Numbers: one block of the counter per (division, year), in order.
        let mut numbers: Vec<String> = Vec::with_capacity(cases.len());
        let mut start = 0;
        while start < cases.len() {
            let key = (&cases[start].number_division, cases[start].number_year);
            let len = cases[start..].iter().take_while(|c| (&c.number_division, c.number_year) == key).count();
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO case_counters (division_code, year, last) VALUES ($1, $2, $3) \
                 ON CONFLICT (division_code, year) DO UPDATE SET last = case_counters.last + $3 RETURNING last",
            )
            .bind(key.0.clone())
            .bind(i64::from(key.1))
            .bind(len as i64)
            .fetch_one(&mut *tx)
            .await?;
            numbers.extend((last - len as i64 + 1..=last).map(|seq| case_number(key.0, key.1, seq)));
            start += len;
        }
        let built: Vec<(String, TimedEvents)> =
            cases.iter().zip(&ids).zip(&numbers).map(|((case, id), number)| (case.build)(*id, number)).collect();
        let total_events: usize = built.iter().map(|(_, events)| events.len()).sum();
        let seqs = self.fresh_keys(&mut tx, "audit_seq", ("audit_events", "seq"), total_events).await?;

        let binds = binds_per_statement(self.backend);
        for chunk in (0..cases.len()).collect::<Vec<_>>().chunks(binds / 21) {
            let sql = format!(
                "INSERT INTO cases ({NEW_CASE_COLUMNS}, revision, state, created_at_ms, updated_at_ms) VALUES {}",
                placeholders(chunk.len(), 21)
            );
            let mut query = sqlx::query(&sql);
            for &i in chunk {
                let (case, c) = (&cases[i], &cases[i].columns);
                query = bind_columns(query, ids[i], &numbers[i], c)
                    .bind(case.revision)
                    .bind(built[i].0.clone())
                    .bind(c.submitted_at_ms)
                    .bind(case.updated_at.timestamp_millis());
            }
            query.execute(&mut *tx).await?;
        }

        // The record: every stream is new, so each chain starts at genesis.
        let mut events = Vec::with_capacity(total_events);
        let mut heads = Vec::with_capacity(cases.len());
        let mut next_seq = seqs.into_iter();
        for (_, drafts) in &built {
            let mut prev = GENESIS;
            let mut last = None;
            for (stream_seq, (draft, at)) in drafts.iter().enumerate() {
                let seq = next_seq.next().unwrap_or_default();
                let event = seal(draft, seq, stream_seq as i64 + 1, *at, prev);
                prev = event.hash;
                last = Some((event.stream.clone(), event.stream_seq, event.seq, event.hash));
                events.push(event);
            }
            heads.extend(last);
        }
        for chunk in events.chunks(binds / 10) {
            let sql = format!(
                "INSERT INTO audit_events (seq, stream, stream_seq, at_ms, actor, act, division_code, payload, prev_hash, hash) \
                 VALUES {}",
                placeholders(chunk.len(), 10)
            );
            let mut query = sqlx::query(&sql);
            for e in chunk {
                query = query
                    .bind(e.seq)
                    .bind(e.stream.clone())
                    .bind(e.stream_seq)
                    .bind(e.at_ms)
                    .bind(e.actor.clone())
                    .bind(e.act.clone())
                    .bind(e.division.clone())
                    .bind(e.payload.clone())
                    .bind(hash_hex(&e.prev_hash))
                    .bind(hash_hex(&e.hash));
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in heads.chunks(binds / 5) {
            let sql = format!(
                "INSERT INTO audit_streams (stream, head_stream_seq, head_seq, head_hash, checkpointed_stream_seq) VALUES {}",
                placeholders(chunk.len(), 5)
            );
            let mut query = sqlx::query(&sql);
            for (stream, stream_seq, seq, hash) in chunk {
                query = query.bind(stream.clone()).bind(*stream_seq).bind(*seq).bind(hash_hex(hash)).bind(0i64);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(super::placeholders(2, 2), "($1, $2), ($3, $4)");
    }
}
