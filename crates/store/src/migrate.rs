//! Embedded migrations, one folder per dialect (`migrations/sqlite`, `migrations/postgres`).
//! Each runs once, in its own transaction, recorded in `schema_migrations`. Never edit an
//! applied migration: add the next number. A test checks both folders hold the same numbers.
//!
//! An area keeps its own tables' migrations in its own folder
//! (`src/verticals/<area>/migrations/{sqlite,postgres}/NNNN_name.sql`), numbered from 1 per area
//! and listed by [`crate::verticals::migrations`]; they run after the shared ones, area by area,
//! recorded in `area_migrations` under the area's name. A new area therefore adds no number to
//! the shared sequence and touches no shared file (0001–0017 predate this and stay where they are; 0018 is shared: it binds a citizen's account to a person).

use domain::vertical::Vertical;
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
    Migration {
        version: 18,
        name: "citizen_person",
        sqlite: include_str!("../migrations/sqlite/0018_citizen_person.sql"),
        postgres: include_str!("../migrations/postgres/0018_citizen_person.sql"),
    },
    Migration {
        version: 19,
        name: "annual_report",
        sqlite: include_str!("../migrations/sqlite/0019_annual_report.sql"),
        postgres: include_str!("../migrations/postgres/0019_annual_report.sql"),
    },
    Migration {
        version: 20,
        name: "case_aggregates",
        sqlite: include_str!("../migrations/sqlite/0020_case_aggregates.sql"),
        postgres: include_str!("../migrations/postgres/0020_case_aggregates.sql"),
    },
    Migration {
        version: 21,
        name: "rating_grades",
        sqlite: include_str!("../migrations/sqlite/0021_rating_grades.sql"),
        postgres: include_str!("../migrations/postgres/0021_rating_grades.sql"),
    },
    Migration {
        version: 22,
        name: "case_agg_closed_items",
        sqlite: include_str!("../migrations/sqlite/0022_case_agg_closed_items.sql"),
        postgres: include_str!("../migrations/postgres/0022_case_agg_closed_items.sql"),
    },
    Migration {
        version: 23,
        name: "organizations",
        sqlite: include_str!("../migrations/sqlite/0023_organizations.sql"),
        postgres: include_str!("../migrations/postgres/0023_organizations.sql"),
    },
    Migration {
        version: 24,
        name: "case_agg_stripes",
        sqlite: include_str!("../migrations/sqlite/0024_case_agg_stripes.sql"),
        postgres: include_str!("../migrations/postgres/0024_case_agg_stripes.sql"),
    },
    Migration {
        version: 25,
        name: "events_division_index_dropped",
        sqlite: include_str!("../migrations/sqlite/0025_events_division_index_dropped.sql"),
        postgres: include_str!("../migrations/postgres/0025_events_division_index_dropped.sql"),
    },
    Migration {
        version: 26,
        name: "case_agg_plpgsql",
        sqlite: include_str!("../migrations/sqlite/0026_case_agg_plpgsql.sql"),
        postgres: include_str!("../migrations/postgres/0026_case_agg_plpgsql.sql"),
    },
    Migration {
        version: 27,
        name: "case_agg_one_trigger",
        sqlite: include_str!("../migrations/sqlite/0027_case_agg_one_trigger.sql"),
        postgres: include_str!("../migrations/postgres/0027_case_agg_one_trigger.sql"),
    },
];

pub(crate) async fn run(store: &Store) -> StoreResult<()> {
    let mut conn = store.write.acquire().await?;
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)",
    )
    .await?;
    drop(conn);
    conn = store.write.acquire().await?;
    conn.execute(
        "CREATE TABLE IF NOT EXISTS area_migrations (area TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL, PRIMARY KEY (area, version))",
    )
    .await?;
    drop(conn);
    for migration in MIGRATIONS {
        apply(store, None, migration).await?;
    }
    for area in Vertical::ALL {
        for migration in crate::verticals::migrations(area) {
            apply(store, Some(area.as_str()), migration).await?;
        }
    }
    // The regional nodes' tables: a generic set of its own, recorded like an area's.
    for migration in crate::nodes::MIGRATIONS {
        apply(store, Some(crate::nodes::MIGRATION_SET), migration).await?;
    }
    Ok(())
}

/// Applies one migration unless it is recorded: a shared one (`area` none) in `schema_migrations`,
/// an area's in `area_migrations`.
async fn apply(store: &Store, area: Option<&str>, migration: &Migration) -> StoreResult<()> {
    {
        let mut tx = store.begin_write().await?;
        if store.backend == Backend::Postgres {
            // Two servers starting at once must not both migrate.
            sqlx::query("SELECT pg_advisory_xact_lock(72616)").execute(&mut *tx).await?;
        }
        let applied: Option<i64> = match area {
            None => {
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(migration.version)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            Some(area) => {
                sqlx::query_scalar("SELECT version FROM area_migrations WHERE area = $1 AND version = $2")
                    .bind(area)
                    .bind(migration.version)
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        if applied.is_some() {
            return Ok(());
        }
        let sql = match store.backend {
            Backend::Sqlite => migration.sqlite,
            Backend::Postgres => migration.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        let now = chrono::Utc::now().timestamp_millis();
        match area {
            None => {
                sqlx::query("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)")
                    .bind(migration.version)
                    .bind(migration.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(area) => {
                sqlx::query("INSERT INTO area_migrations (area, version, name, applied_at_ms) VALUES ($1, $2, $3, $4)")
                    .bind(area)
                    .bind(migration.version)
                    .bind(migration.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        tracing::info!(
            migration.area = area.unwrap_or("shared"),
            migration.version = migration.version,
            migration.name = migration.name,
            "migration applied"
        );
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

    /// An area's migrations are numbered 1, 2, … in its own folder, both dialects present.
    #[test]
    fn each_areas_migrations_are_numbered_from_one_with_both_dialects() {
        let root = env!("CARGO_MANIFEST_DIR");
        for area in Vertical::ALL {
            let list = crate::verticals::migrations(area);
            for (i, m) in list.iter().enumerate() {
                assert_eq!(m.version, i as i64 + 1, "{area:?} {} out of order", m.name);
                assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty(), "{area:?} {}", m.name);
            }
            for dialect in ["sqlite", "postgres"] {
                let dir = format!("{root}/src/verticals/{}/migrations/{dialect}", area.as_str());
                let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
                assert_eq!(files, list.len(), "{dir} holds other migrations than listed");
            }
        }
    }
}
