//! Embedded migrations, one folder per dialect (`migrations/sqlite`, `migrations/postgres`).
//! Each runs once, in its own transaction, recorded in `schema_migrations`. Never edit an
//! applied migration: add the next number. A test checks both folders hold the same numbers.

use sqlx::Executor;

use crate::{Backend, Store, StoreResult};

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "cases",
        sqlite: include_str!("../migrations/sqlite/0002_cases.sql"),
        postgres: include_str!("../migrations/postgres/0002_cases.sql"),
    },
    Migration {
        version: 3,
        name: "marriage",
        sqlite: include_str!("../migrations/sqlite/0003_marriage.sql"),
        postgres: include_str!("../migrations/postgres/0003_marriage.sql"),
    },
    Migration {
        version: 4,
        name: "case_updates",
        sqlite: include_str!("../migrations/sqlite/0004_case_updates.sql"),
        postgres: include_str!("../migrations/postgres/0004_case_updates.sql"),
    },
    Migration {
        version: 5,
        name: "assistance",
        sqlite: include_str!("../migrations/sqlite/0005_assistance.sql"),
        postgres: include_str!("../migrations/postgres/0005_assistance.sql"),
    },
    Migration {
        version: 6,
        name: "marriage_deaths",
        sqlite: include_str!("../migrations/sqlite/0006_marriage_deaths.sql"),
        postgres: include_str!("../migrations/postgres/0006_marriage_deaths.sql"),
    },
    Migration {
        version: 7,
        name: "case_ratings",
        sqlite: include_str!("../migrations/sqlite/0007_case_ratings.sql"),
        postgres: include_str!("../migrations/postgres/0007_case_ratings.sql"),
    },
    Migration {
        version: 8,
        name: "stats_indexes",
        sqlite: include_str!("../migrations/sqlite/0008_stats_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0008_stats_indexes.sql"),
    },
    Migration {
        version: 9,
        name: "assistance_rechecks",
        sqlite: include_str!("../migrations/sqlite/0009_assistance_rechecks.sql"),
        postgres: include_str!("../migrations/postgres/0009_assistance_rechecks.sql"),
    },
    Migration {
        version: 10,
        name: "assistance_visits_marks",
        sqlite: include_str!("../migrations/sqlite/0010_assistance_visits_marks.sql"),
        postgres: include_str!("../migrations/postgres/0010_assistance_visits_marks.sql"),
    },
    Migration {
        version: 11,
        name: "case_pause_count",
        sqlite: include_str!("../migrations/sqlite/0011_case_pause_count.sql"),
        postgres: include_str!("../migrations/postgres/0011_case_pause_count.sql"),
    },
    Migration {
        version: 12,
        name: "assistance_standard_raise",
        sqlite: include_str!("../migrations/sqlite/0012_assistance_standard_raise.sql"),
        postgres: include_str!("../migrations/postgres/0012_assistance_standard_raise.sql"),
    },
    Migration {
        version: 13,
        name: "idempotency_binding",
        sqlite: include_str!("../migrations/sqlite/0013_idempotency_binding.sql"),
        postgres: include_str!("../migrations/postgres/0013_idempotency_binding.sql"),
    },
    Migration {
        version: 14,
        name: "assistance_deaths_accounts_postings",
        sqlite: include_str!("../migrations/sqlite/0014_assistance_deaths_accounts_postings.sql"),
        postgres: include_str!("../migrations/postgres/0014_assistance_deaths_accounts_postings.sql"),
    },
    Migration {
        version: 15,
        name: "id_mask_privacy",
        sqlite: include_str!("../migrations/sqlite/0015_id_mask_privacy.sql"),
        postgres: include_str!("../migrations/postgres/0015_id_mask_privacy.sql"),
    },
    Migration {
        version: 16,
        name: "attachments",
        sqlite: include_str!("../migrations/sqlite/0016_attachments.sql"),
        postgres: include_str!("../migrations/postgres/0016_attachments.sql"),
    },
    Migration {
        version: 17,
        name: "disclosure",
        sqlite: include_str!("../migrations/sqlite/0017_disclosure.sql"),
        postgres: include_str!("../migrations/postgres/0017_disclosure.sql"),
    },
];

pub(crate) async fn run(store: &Store) -> StoreResult<()> {
    let mut conn = store.write.acquire().await?;
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)",
    )
    .await?;
    drop(conn);
    for migration in MIGRATIONS {
        let mut tx = store.begin_write().await?;
        if store.backend == Backend::Postgres {
            // Two servers starting at once must not both migrate.
            sqlx::query("SELECT pg_advisory_xact_lock(72616)").execute(&mut *tx).await?;
        }
        let applied: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *tx)
            .await?;
        if applied.is_some() {
            continue;
        }
        let sql = match store.backend {
            Backend::Sqlite => migration.sqlite,
            Backend::Postgres => migration.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(chrono::Utc::now().timestamp_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(migration.version = migration.version, migration.name = migration.name, "migration applied");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_and_exist_for_both_dialects() {
        // Increasing, not contiguous: parallel work is assigned numbers ahead, and a branch may
        // land before the numbers below it.
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert!(i == 0 || m.version > MIGRATIONS[i - 1].version, "{} out of order", m.name);
            assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty());
        }
        let count = |dir: &str| std::fs::read_dir(dir).unwrap().count();
        let root = env!("CARGO_MANIFEST_DIR");
        assert_eq!(count(&format!("{root}/migrations/sqlite")), MIGRATIONS.len());
        assert_eq!(count(&format!("{root}/migrations/postgres")), MIGRATIONS.len());
    }
}
