//! SQLite: the group commit's batches written by calling the SQLite C library directly
//! (rusqlite, on the same `libsqlite3-sys` build sqlx links), on the writer's own thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: every statement the writer sent was
//! a hand-off to that thread and back, and a batch of seven acts and submissions made a dozen of
//! them (its begin, the last seq, one call per plain act, three per submission, the commit).
//! Here the writer steps the statements itself. The statements and their values are the ones
//! the sqlx path builds: the same SQL text from the same builders, the arguments taken out of
//! the built query ([`Script`]), so there is one definition of what an act or a submission
//! writes; only who runs it differs.
//!
//! The connection is the store's second connection that writes. The writer takes the store's
//! write pool connection for the length of each batch, so that no write of this process
//! (sqlx's) meets the batch's write lock; another process (a command on the same file) waits on
//! SQLite's busy timeout as it does for sqlx's writer. Durability is the same: `synchronous =
//! FULL` on this connection too (read back by [`Direct::durability`]), the file in WAL mode.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{ErrorCode, OpenFlags};
use sqlx::any::AnyArguments;
use sqlx::Execute;
use sqlx_core::any::{AnyArgumentBuffer, AnyValueKind};

use crate::{AnyQuery, StoreError, StoreResult};

/// The most statements the connection keeps prepared (an act's update differs by the columns it
/// changes; a few dozen texts in practice).
const PREPARED: usize = 256;

/// A statement (or several, separated by `;`) with its values, bound by their `$N` names.
pub(crate) struct Script {
    pub sql: String,
    pub args: Vec<AnyValueKind<'static>>,
}

impl Script {
    /// The SQL and the values of a query built for sqlx.
    pub(crate) fn of(mut query: AnyQuery<'_>) -> StoreResult<Script> {
        let sql = query.sql().to_string();
        let args = query.take_arguments().map_err(|e| StoreError::Other(format!("arguments: {e}")))?;
        let args = args.map(|a| a.values.0).unwrap_or_default().into_iter().map(owned).collect::<StoreResult<_>>()?;
        Ok(Script { sql, args })
    }

    /// The script as a query for sqlx, its values borrowed.
    pub(crate) fn query(&self) -> AnyQuery<'_> {
        let values = self.args.iter().map(borrowed).collect();
        sqlx::query_with(&self.sql, AnyArguments { values: AnyArgumentBuffer(values) })
    }
}

fn borrowed<'a>(value: &'a AnyValueKind<'_>) -> AnyValueKind<'a> {
    match value {
        AnyValueKind::Text(text) => AnyValueKind::Text(std::borrow::Cow::Borrowed(text)),
        AnyValueKind::Blob(blob) => AnyValueKind::Blob(std::borrow::Cow::Borrowed(blob)),
        other => other.clone(),
    }
}

fn owned(value: AnyValueKind<'_>) -> StoreResult<AnyValueKind<'static>> {
    Ok(match value {
        AnyValueKind::Null(kind) => AnyValueKind::Null(kind),
        AnyValueKind::Bool(b) => AnyValueKind::Bool(b),
        AnyValueKind::SmallInt(i) => AnyValueKind::SmallInt(i),
        AnyValueKind::Integer(i) => AnyValueKind::Integer(i),
        AnyValueKind::BigInt(i) => AnyValueKind::BigInt(i),
        AnyValueKind::Real(f) => AnyValueKind::Real(f),
        AnyValueKind::Double(f) => AnyValueKind::Double(f),
        AnyValueKind::Text(text) => AnyValueKind::Text(text.into_owned().into()),
        AnyValueKind::Blob(blob) => AnyValueKind::Blob(blob.into_owned().into()),
        other => return Err(StoreError::Other(format!("a value SQLite does not store: {other:?}"))),
    })
}

fn value_ref<'a>(value: &'a AnyValueKind<'_>) -> Option<ValueRef<'a>> {
    Some(match value {
        AnyValueKind::Null(_) => ValueRef::Null,
        AnyValueKind::Bool(b) => ValueRef::Integer(i64::from(*b)),
        AnyValueKind::SmallInt(i) => ValueRef::Integer(i64::from(*i)),
        AnyValueKind::Integer(i) => ValueRef::Integer(i64::from(*i)),
        AnyValueKind::BigInt(i) => ValueRef::Integer(*i),
        AnyValueKind::Real(f) => ValueRef::Real(f64::from(*f)),
        AnyValueKind::Double(f) => ValueRef::Real(*f),
        AnyValueKind::Text(text) => ValueRef::Text(text.as_bytes()),
        AnyValueKind::Blob(blob) => ValueRef::Blob(blob),
        _ => return None,
    })
}

/// The statements of a script: split at each `;` outside a quoted string or name.
fn statements(sql: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in sql.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, ';') => {
                parts.push(&sql[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&sql[start..]);
    parts.into_iter().map(str::trim).filter(|part| !part.is_empty())
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> StoreError {
        match &err {
            rusqlite::Error::SqliteFailure(e, _)
                if e.code == ErrorCode::ConstraintViolation
                    && matches!(
                        e.extended_code,
                        rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    ) =>
            {
                StoreError::Conflict("unique".into())
            }
            _ => StoreError::Other(err.to_string()),
        }
    }
}

/// The writer's connection.
pub(crate) struct Direct {
    conn: rusqlite::Connection,
}

impl Direct {
    /// Opens the database file at `path` (already in WAL mode: the store set it).
    pub(crate) fn open(path: &Path) -> StoreResult<Direct> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = rusqlite::Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(Duration::from_secs(60))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")?;
        conn.set_prepared_statement_cache_capacity(PREPARED);
        Ok(Direct { conn })
    }

    /// `synchronous` and `foreign_keys` as this connection has them (`FULL` is 2).
    pub(crate) fn durability(&self) -> StoreResult<(i64, i64)> {
        let synchronous = self.conn.query_row("PRAGMA synchronous", [], |row| row.get(0))?;
        let foreign_keys = self.conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0))?;
        Ok((synchronous, foreign_keys))
    }

    /// Runs text without values (`BEGIN IMMEDIATE`, a savepoint, `COMMIT`).
    pub(crate) fn exec(&self, sql: &str) -> StoreResult<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// Runs `script`, statement after statement: the rows they returned, in order.
    pub(crate) fn run(&self, script: &Script) -> StoreResult<Vec<Vec<Value>>> {
        let mut out = Vec::new();
        for sql in statements(&script.sql) {
            let mut statement = self.conn.prepare_cached(sql)?;
            for i in 1..=statement.parameter_count() {
                let name = statement.parameter_name(i).unwrap_or("?").to_string();
                let value = name
                    .strip_prefix('$')
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|n| script.args.get(n))
                    .and_then(value_ref)
                    .ok_or(rusqlite::Error::InvalidParameterName(name))?;
                statement.raw_bind_parameter(i, ToSqlOutput::Borrowed(value))?;
            }
            let columns = statement.column_count();
            let mut rows = statement.raw_query();
            while let Some(row) = rows.next()? {
                out.push((0..columns).map(|c| row.get::<_, Value>(c)).collect::<Result<_, _>>()?);
            }
        }
        Ok(out)
    }
}

/// An integer of a row [`Direct::run`] returned.
pub(crate) fn int(row: &[Value], column: usize) -> StoreResult<i64> {
    match row.get(column) {
        Some(Value::Integer(i)) => Ok(*i),
        other => Err(StoreError::Other(format!("column {column}: expected an integer, found {other:?}"))),
    }
}

/// A text of a row [`Direct::run`] returned.
pub(crate) fn text(row: &[Value], column: usize) -> StoreResult<String> {
    match row.get(column) {
        Some(Value::Text(text)) => Ok(text.clone()),
        other => Err(StoreError::Other(format!("column {column}: expected text, found {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_is_split_at_semicolons_outside_quotes() {
        let parts: Vec<&str> =
            statements("UPDATE a SET x = ';'; INSERT INTO \"b;c\" VALUES ($1);  ; SELECT 1;").collect();
        assert_eq!(parts, ["UPDATE a SET x = ';'", "INSERT INTO \"b;c\" VALUES ($1)", "SELECT 1"]);
    }

    #[test]
    fn values_are_bound_by_their_numbers_whatever_the_order() {
        let dir = std::env::temp_dir().join(format!("mz-direct-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        rusqlite::Connection::open(&path).expect("create").execute_batch("PRAGMA journal_mode=WAL").expect("wal");
        let direct = Direct::open(&path).expect("open");
        direct.exec("CREATE TABLE t (a INTEGER, b TEXT)").expect("table");
        let script =
            Script::of(sqlx::query("INSERT INTO t (b, a) VALUES ($2, $1); SELECT a, b FROM t").bind(7i64).bind("七"))
                .expect("script");
        let rows = direct.run(&script).expect("run");
        assert_eq!(rows, vec![vec![Value::Integer(7), Value::Text("七".into())]]);
        assert_eq!(direct.durability().expect("pragmas"), (2, 1));
        let taken = direct.run(&Script::of(sqlx::query("SELECT $3")).expect("script"));
        assert!(taken.is_err(), "a value that is not there is an error, not a NULL");
        std::fs::remove_dir_all(&dir).ok();
    }
}
