//! The working-day calendar in force: the built-in arrangement, or the newest imported version.

use std::sync::Arc;

use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::calendar::WorkCalendar;
use serde_json::json;
use store::calendar::CalendarVersion;
use store::Store;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

pub(crate) async fn load_in_force(store: &Store) -> ServiceResult<Arc<WorkCalendar>> {
    match store.latest_calendar().await? {
        Some(version) => WorkCalendar::from_csv(&version.csv, &version.version)
            .map(Arc::new)
            .map_err(|e| ServiceError::internal(format!("stored calendar {} does not parse: {e}", version.version))),
        None => Ok(Arc::new(WorkCalendar::builtin().clone())),
    }
}

/// Merges `addition` into `base`: the days of `addition` replace those of `base` by date.
fn merge(base: &WorkCalendar, addition: &WorkCalendar, version: &str) -> ServiceResult<WorkCalendar> {
    let mut lines: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for csv in [base.to_csv(), addition.to_csv()] {
        for line in csv.lines().skip(1) {
            if let Some((date, _)) = line.split_once(',') {
                lines.insert(date.to_string(), line.to_string());
            }
        }
    }
    let mut text = String::from("date,is_workday,holiday_name,is_makeup_workday\n");
    for line in lines.values() {
        text.push_str(line);
        text.push('\n');
    }
    WorkCalendar::from_csv(&text, version).map_err(|e| ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string()))
}

impl App {
    /// Imports a calendar file as a new version (the file's years replace those years; other
    /// years are kept). `actor` None is the CLI operator. Returns the new version's years.
    pub async fn import_calendar(&self, actor: Option<&Actor>, csv: &str, source: &str) -> ServiceResult<Vec<i32>> {
        if let Some(actor) = actor {
            if !actor.may_somewhere(Permission::ManageCalendar) {
                return Err(ServiceError::forbidden());
            }
        }
        let now = self.now();
        let version = format!("v{}", now.format("%Y%m%d%H%M%S%3f"));
        let addition = WorkCalendar::from_csv(csv, &version)
            .map_err(|e| ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string()).with_field("csv"))?;
        let merged = merge(&self.calendar(), &addition, &version)?;
        let added_years: Vec<i32> = addition.years().iter().copied().collect();
        let years: Vec<String> = merged.years().iter().map(|y| y.to_string()).collect();
        let label = actor.map(Actor::label).unwrap_or_else(crate::accounts::system_actor);
        let record = CalendarVersion {
            id: 0,
            version: version.clone(),
            source: source.chars().take(500).collect(),
            years: years.join(","),
            csv: merged.to_csv(),
            imported_by: label.clone(),
            imported_at_ms: now.timestamp_millis(),
        };
        let event = EventDraft::new(
            "calendar",
            label,
            "calendar.import",
            json!({"version": version, "years": added_years, "source": record.source}),
        );
        self.store.add_calendar_version(&record, now, &event).await?;
        self.set_calendar(merged);
        // Due dates follow the new calendar (暂定 ones turn firm). The import itself is committed:
        // a failure here is logged, and the next import or act recomputes.
        match self.refresh_due_dates().await {
            Ok(refreshed) => tracing::info!(version = %version, refreshed, "calendar imported; due dates recomputed"),
            Err(err) => {
                tracing::error!(version = %version, error = %err, "calendar imported; due dates not recomputed")
            }
        }
        Ok(added_years)
    }
}
