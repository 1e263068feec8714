//! 建议提案办理 and 政务开放日: the area's tables (its own migrations, below). Every write on a
//! suggestion bumps its revision under the revision the caller read (a suggestion changed since
//! is `Conflict("suggestion_revision")`) and appends its event, in one transaction. The periods
//! are never stored: `domain::verticals::suggestions` computes them from the dates.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::verticals::suggestions::{Act, ActKind, Kind, NewOpenDay, NewOpenDayInput, NewSuggestion, Satisfaction};
use sqlx::Row;

use crate::audit::append;
use crate::migrate::Migration;
use crate::persons::Scope;
use crate::rows::{bad, date};
use crate::{Store, StoreError, StoreResult};

/// The area's migrations, numbered from 1.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "suggestions",
    sqlite: include_str!("migrations/sqlite/0001_suggestions.sql"),
    postgres: include_str!("migrations/postgres/0001_suggestions.sql"),
}];

/// A stored suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionRow {
    pub id: i64,
    pub division: String,
    pub revision: i64,
    pub suggestion: NewSuggestion,
    pub created_at_ms: i64,
}

/// A stored act, with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActRow {
    pub id: i64,
    pub act: Act,
    pub recorded_by: i64,
    pub recorded_at_ms: i64,
}

/// A suggestion with its acts, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionFull {
    pub row: SuggestionRow,
    pub acts: Vec<ActRow>,
}

impl SuggestionFull {
    pub fn acts(&self) -> Vec<Act> {
        self.acts.iter().map(|a| a.act.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDayRow {
    pub id: i64,
    pub division: String,
    pub open_day: NewOpenDay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDayInputRow {
    pub id: i64,
    pub open_day_id: i64,
    pub input: NewOpenDayInput,
    /// The tracked suggestion it became.
    pub item_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDayFull {
    pub row: OpenDayRow,
    pub inputs: Vec<OpenDayInputRow>,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

const ITEM_COLUMNS: &str = "id, division, revision, kind, session, number, proposers, subject, lead_unit, co_units, \
     difficult, assigned_on, created_at_ms";

fn item_from_row(r: &sqlx::any::AnyRow) -> StoreResult<SuggestionRow> {
    let kind: String = r.try_get(3)?;
    Ok(SuggestionRow {
        id: r.try_get(0)?,
        division: r.try_get(1)?,
        revision: r.try_get(2)?,
        suggestion: NewSuggestion {
            kind: Kind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
            session: r.try_get(4)?,
            number: r.try_get(5)?,
            proposers: lines(&r.try_get::<String, _>(6)?),
            subject: r.try_get(7)?,
            lead_unit: r.try_get(8)?,
            co_units: lines(&r.try_get::<String, _>(9)?),
            difficult: r.try_get::<i64, _>(10)? != 0,
            assigned_on: date(&r.try_get::<String, _>(11)?)?,
        },
        created_at_ms: r.try_get(12)?,
    })
}

const ACT_COLUMNS: &str = "id, item_id, kind, on_date, proposer, unit, result, note, recorded_by, recorded_at_ms";

fn act_from_row(r: &sqlx::any::AnyRow) -> StoreResult<(i64, ActRow)> {
    let kind: String = r.try_get(2)?;
    let result: Option<String> = r.try_get(6)?;
    let result = match result {
        Some(text) => Some(Satisfaction::parse(&text).ok_or_else(|| bad("result", &text))?),
        None => None,
    };
    Ok((
        r.try_get(1)?,
        ActRow {
            id: r.try_get(0)?,
            act: Act {
                kind: ActKind::parse(&kind).ok_or_else(|| bad("act", &kind))?,
                on: date(&r.try_get::<String, _>(3)?)?,
                proposer: r.try_get(4)?,
                unit: r.try_get(5)?,
                result,
                note: r.try_get(7)?,
            },
            recorded_by: r.try_get(8)?,
            recorded_at_ms: r.try_get(9)?,
        },
    ))
}

fn open_day_from_row(r: &sqlx::any::AnyRow) -> StoreResult<OpenDayRow> {
    Ok(OpenDayRow {
        id: r.try_get(0)?,
        division: r.try_get(1)?,
        open_day: NewOpenDay {
            held_on: date(&r.try_get::<String, _>(2)?)?,
            place: r.try_get(3)?,
            theme: r.try_get(4)?,
            invited_deputies: lines(&r.try_get::<String, _>(5)?),
            invited_citizens: lines(&r.try_get::<String, _>(6)?),
        },
    })
}

fn input_from_row(r: &sqlx::any::AnyRow) -> StoreResult<OpenDayInputRow> {
    Ok(OpenDayInputRow {
        id: r.try_get(0)?,
        open_day_id: r.try_get(1)?,
        input: NewOpenDayInput { from_name: r.try_get(2)?, content: r.try_get(3)? },
        item_id: r.try_get(4)?,
    })
}

const OPEN_DAY_COLUMNS: &str = "id, division, held_on, place, theme, invited_deputies, invited_citizens";
const INPUT_COLUMNS: &str = "id, open_day_id, from_name, content, item_id";

impl Store {
    /// Stores a 交办 and its event, in one transaction. When it comes from a suggestion received
    /// at an open day (`from_input`), that suggestion is marked as registered in the same
    /// transaction; one already registered is `Conflict("open_day_input_registered")`.
    pub async fn create_suggestion(
        &self,
        division: &str,
        s: &NewSuggestion,
        from_input: Option<i64>,
        created_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO suggestion_items (division, revision, kind, session, number, proposers, subject, lead_unit, \
             co_units, difficult, assigned_on, created_by, created_at_ms) \
             VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(division)
        .bind(s.kind.as_str())
        .bind(&s.session)
        .bind(&s.number)
        .bind(s.proposers.join("\n"))
        .bind(&s.subject)
        .bind(&s.lead_unit)
        .bind(s.co_units.join("\n"))
        .bind(i64::from(s.difficult))
        .bind(s.assigned_on.to_string())
        .bind(created_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        if let Some(input) = from_input {
            let done =
                sqlx::query("UPDATE suggestion_open_day_inputs SET item_id = $1 WHERE id = $2 AND item_id IS NULL")
                    .bind(id)
                    .bind(input)
                    .execute(&mut *tx)
                    .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("open_day_input_registered".into()));
            }
        }
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A suggestion with its acts.
    pub async fn suggestion(&self, id: i64) -> StoreResult<SuggestionFull> {
        let row = sqlx::query(&format!("SELECT {ITEM_COLUMNS} FROM suggestion_items WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let row = item_from_row(&row)?;
        let acts = sqlx::query(&format!("SELECT {ACT_COLUMNS} FROM suggestion_acts WHERE item_id = $1 ORDER BY id"))
            .bind(id)
            .fetch_all(&self.reads)
            .await?
            .iter()
            .map(|r| act_from_row(r).map(|(_, a)| a))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(SuggestionFull { row, acts })
    }

    /// The suggestions whose division is inside the scope (a prefix filter; the caller checks the
    /// tree), or every suggestion when `scope` is `None` (the public results), assigned in `year`
    /// when given; newest 交办 first, each with its acts.
    pub async fn suggestions(&self, scope: Option<&Scope>, year: Option<i32>) -> StoreResult<Vec<SuggestionFull>> {
        let (clause, n) = match scope {
            Some(scope) => (scope.clause("i.division", 1), scope.0.len()),
            None => ("1 = 1".to_string(), 0),
        };
        let year_clause = if year.is_some() {
            format!(" AND i.assigned_on >= ${} AND i.assigned_on <= ${}", n + 1, n + 2)
        } else {
            String::new()
        };
        let cols = ITEM_COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ");
        fn bind_all<'q>(
            sql: &'q str,
            scope: Option<&Scope>,
            year: Option<i32>,
        ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
            let mut q = sqlx::query(sql);
            if let Some(scope) = scope {
                for pattern in scope.patterns() {
                    q = q.bind(pattern);
                }
            }
            if let Some(y) = year {
                q = q.bind(format!("{y}-01-01")).bind(format!("{y}-12-31"));
            }
            q
        }
        let item_sql = format!(
            "SELECT {cols} FROM suggestion_items i WHERE {clause}{year_clause} ORDER BY i.assigned_on DESC, i.id DESC"
        );
        let items = bind_all(&item_sql, scope, year).fetch_all(&self.reads).await?;
        let act_cols = ACT_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
        let act_sql = format!(
            "SELECT {act_cols} FROM suggestion_acts a JOIN suggestion_items i ON i.id = a.item_id \
             WHERE {clause}{year_clause} ORDER BY a.id"
        );
        let acts = bind_all(&act_sql, scope, year).fetch_all(&self.reads).await?;
        let mut out: Vec<SuggestionFull> = items
            .iter()
            .map(|r| Ok(SuggestionFull { row: item_from_row(r)?, acts: Vec::new() }))
            .collect::<StoreResult<_>>()?;
        let index: std::collections::HashMap<i64, usize> = out.iter().enumerate().map(|(i, s)| (s.row.id, i)).collect();
        for r in &acts {
            let (item, act) = act_from_row(r)?;
            if let Some(&i) = index.get(&item) {
                out[i].acts.push(act);
            }
        }
        Ok(out)
    }

    /// Records an act and its event at the revision read; returns the act's id.
    pub async fn add_suggestion_act(
        &self,
        id: i64,
        revision: i64,
        act: &Act,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE suggestion_items SET revision = revision + 1 WHERE id = $1 AND revision = $2")
            .bind(id)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("suggestion_revision".into()));
        }
        let act_id: i64 = sqlx::query_scalar(
            "INSERT INTO suggestion_acts (item_id, kind, on_date, proposer, unit, result, note, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(act.kind.as_str())
        .bind(act.on.to_string())
        .bind(&act.proposer)
        .bind(&act.unit)
        .bind(act.result.map(|r| r.as_str()))
        .bind(&act.note)
        .bind(recorded_by)
        .bind(at.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, self.backend, &event(act_id), at).await?;
        tx.commit().await?;
        Ok(act_id)
    }

    /// Stores an open day and its event.
    pub async fn create_open_day(
        &self,
        division: &str,
        day: &NewOpenDay,
        created_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO suggestion_open_days (division, held_on, place, theme, invited_deputies, invited_citizens, \
             created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(division)
        .bind(day.held_on.to_string())
        .bind(&day.place)
        .bind(&day.theme)
        .bind(day.invited_deputies.join("\n"))
        .bind(day.invited_citizens.join("\n"))
        .bind(created_by)
        .bind(at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }

    /// An open day with the suggestions received there.
    pub async fn open_day(&self, id: i64) -> StoreResult<OpenDayFull> {
        let row = sqlx::query(&format!("SELECT {OPEN_DAY_COLUMNS} FROM suggestion_open_days WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        let inputs = sqlx::query(&format!(
            "SELECT {INPUT_COLUMNS} FROM suggestion_open_day_inputs WHERE open_day_id = $1 ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.reads)
        .await?
        .iter()
        .map(input_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(OpenDayFull { row: open_day_from_row(&row)?, inputs })
    }

    /// The open days inside the scope (a prefix filter), newest first.
    pub async fn open_days(&self, scope: &Scope) -> StoreResult<Vec<OpenDayRow>> {
        let sql = format!(
            "SELECT {OPEN_DAY_COLUMNS} FROM suggestion_open_days WHERE {} ORDER BY held_on DESC, id DESC",
            scope.clause("division", 1)
        );
        let mut q = sqlx::query(&sql);
        for pattern in scope.patterns() {
            q = q.bind(pattern);
        }
        q.fetch_all(&self.reads).await?.iter().map(open_day_from_row).collect()
    }

    /// A suggestion received at an open day, with the open day's division.
    pub async fn open_day_input(&self, id: i64) -> StoreResult<(OpenDayInputRow, String)> {
        let cols = INPUT_COLUMNS.split(", ").map(|c| format!("n.{c}")).collect::<Vec<_>>().join(", ");
        let row = sqlx::query(&format!(
            "SELECT {cols}, d.division FROM suggestion_open_day_inputs n JOIN suggestion_open_days d ON d.id = n.open_day_id \
             WHERE n.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.reads)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((input_from_row(&row)?, row.try_get(5)?))
    }

    /// Records a suggestion received at an open day, and its event.
    pub async fn add_open_day_input(
        &self,
        open_day_id: i64,
        input: &NewOpenDayInput,
        recorded_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO suggestion_open_day_inputs (open_day_id, from_name, content, recorded_by, recorded_at_ms) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(open_day_id)
        .bind(&input.from_name)
        .bind(&input.content)
        .bind(recorded_by)
        .bind(at.timestamp_millis());
        self.insert_with_event(insert, at, event).await
    }
}
