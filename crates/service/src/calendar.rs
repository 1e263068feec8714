//! The working-day calendar in force: the built-in arrangement, or the newest imported version.

use std::sync::Arc;

use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::calendar::WorkCalendar;
use domain::problem::{text_field, FieldError};
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

/// Longest `source` of a calendar version (a notice's title and number, or a link to it).
pub const MAX_SOURCE_CHARS: usize = 500;

/// The one check of a calendar version, for the CLI and the API alike: a file of complete years
/// that covers at least one year (a header alone would become the version in force and change
/// nothing but the due dates it recomputes), and the document it comes from (the 国务院办公厅
/// notice of the year's 放假安排, e.g. 国办发明电〔2020〕27号): a working-day calendar binds every
/// deadline only as the official arrangement, so a version without its source is refused.
/// Every problem at once. Returns the parsed file and the source, trimmed.
pub fn check_import(csv: &str, source: &str, version: &str) -> Result<(WorkCalendar, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let addition = match WorkCalendar::from_csv(csv, version) {
        Ok(calendar) if calendar.years().is_empty() => {
            problems.push(FieldError::new(
                "csv",
                "calendar_no_years",
                "日历文件没有任何日期：新版本须至少包含一个完整年度的安排",
            ));
            None
        }
        Ok(calendar) => Some(calendar),
        Err(e) => {
            problems.push(FieldError::new("csv", e.code(), e.to_string()));
            None
        }
    };
    let source = match text_field("source", source, MAX_SOURCE_CHARS, true) {
        Ok(source) => Some(source),
        Err(e) if e.code == "required" => {
            problems.push(FieldError::new(
                "source",
                "source_required",
                "请填写日历的来源文件（如国务院办公厅关于节假日安排的通知及其文号）",
            ));
            None
        }
        Err(e) => {
            problems.push(FieldError { message: format!("来源文件：{}", e.message), ..e });
            None
        }
    };
    match (addition, source) {
        (Some(addition), Some(source)) => Ok((addition, source)),
        _ => Err(problems),
    }
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
        let (addition, source) = check_import(csv, source, &version).map_err(ServiceError::invalid)?;
        // Merged onto the newest stored version, not this process's copy: another process (the
        // CLI, another server) may have imported one since.
        let base = load_in_force(&self.store).await?;
        let merged = merge(&base, &addition, &version)?;
        let added_years: Vec<i32> = addition.years().iter().copied().collect();
        let years: Vec<String> = merged.years().iter().map(|y| y.to_string()).collect();
        let label = actor.map(Actor::label).unwrap_or_else(crate::accounts::system_actor);
        let record = CalendarVersion {
            id: 0,
            version: version.clone(),
            source,
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

    /// Picks up a calendar version imported by another process (`minzheng calendar import` while
    /// the server runs): compares the newest stored version's name with the one in force (one
    /// indexed read) and, when they differ, loads it and recomputes the open cases' due dates.
    /// The importing process recomputed them already; doing it again here also covers an act this
    /// server committed with the old calendar in between. The server calls this every few seconds
    /// ([`CALENDAR_RELOAD_SECONDS`]). Returns whether a new version was taken up.
    pub async fn reload_calendar(&self) -> ServiceResult<bool> {
        let Some(latest) = self.store.latest_calendar_version().await? else {
            return Ok(false);
        };
        if latest == self.calendar().version() {
            return Ok(false);
        }
        let calendar = load_in_force(&self.store).await?;
        let version = calendar.version().to_string();
        self.set_calendar(Arc::unwrap_or_clone(calendar));
        match self.refresh_due_dates().await {
            Ok(refreshed) => tracing::info!(version = %version, refreshed, "calendar version taken up"),
            Err(err) => {
                tracing::error!(version = %version, error = %err, "calendar version taken up; due dates not recomputed")
            }
        }
        Ok(true)
    }
}

/// How often a running server checks for a calendar version imported by another process. A
/// per-request check would add a database read to every request; a few seconds' delay after an
/// import (a yearly event, done ahead of the year it covers) changes no deadline in practice, and
/// the due dates are recomputed when the version is taken up.
pub const CALENDAR_RELOAD_SECONDS: u64 = 5;
