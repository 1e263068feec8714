//! The connections plain reads run on: one statement, no transaction, checked out and back
//! without sqlx's pool. On PostgreSQL the statements that commit on their own run on such
//! connections too (a case's number, a new case with its one event: [`crate::Store::create_case`]).
//!
//! sqlx's pool tests a connection each time it comes back (a ping: one more round trip to
//! PostgreSQL, one more hand-off to SQLite's thread), so that a transaction dropped half way is
//! rolled back at once. A plain read holds no transaction, and the ping was half of what a case
//! read asked of PostgreSQL. Here a connection whose statement finished goes straight back to
//! the idle list; one whose statement failed, or whose caller stopped waiting part way, is
//! closed, so no connection with anything pending is handed out again. Reads that need a
//! snapshot over several statements (the record's export, its checks) stay on sqlx's pool.
//!
//! `&Readers` is an [`Executor`], so a read is written `query.fetch_one(&self.reads)` as on a
//! pool. A result is gathered before it is handed on, so the connection goes back as soon as the
//! statement ends: the store's reads are `fetch_all`, `fetch_one` and `fetch_optional`, which
//! gather their rows anyway; none streams.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use futures_util::{stream, StreamExt};
use sqlx::any::{AnyConnectOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyConnection, ConnectOptions, Describe, Either, Error, Execute, Executor};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a read waits for a connection before it fails (as sqlx's pool's `acquire_timeout`).
const WAIT: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub(crate) struct Readers {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("available", &self.inner.permits.available_permits()).finish()
    }
}

struct Inner {
    options: AnyConnectOptions,
    /// A statement run once on each new connection (a session setting).
    setup: Option<&'static str>,
    idle: Mutex<Vec<AnyConnection>>,
    permits: Arc<Semaphore>,
}

/// A checked-out connection. It goes back to the idle list when dropped, unless it is busy: a
/// statement was started on it ([`Reader::conn`]) and not seen to its end ([`Reader::done`]).
pub(crate) struct Reader {
    conn: Option<AnyConnection>,
    busy: bool,
    inner: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
}

impl Readers {
    /// At most `max` connections, opened when first needed.
    pub(crate) fn new(options: AnyConnectOptions, max: usize) -> Readers {
        Readers::with_setup(options, max, None)
    }

    /// As [`Readers::new`], each new connection first running `setup` (a session setting).
    pub(crate) fn with_setup(options: AnyConnectOptions, max: usize, setup: Option<&'static str>) -> Readers {
        Readers {
            inner: Arc::new(Inner {
                options,
                setup,
                idle: Mutex::new(Vec::new()),
                permits: Arc::new(Semaphore::new(max)),
            }),
        }
    }

    /// A connection of its own, for an act's read and then its write (or for one read).
    pub(crate) async fn checkout(&self) -> Result<Reader, Error> {
        let permit = tokio::time::timeout(WAIT, self.inner.permits.clone().acquire_owned())
            .await
            .map_err(|_| Error::PoolTimedOut)?
            .map_err(|_| Error::PoolClosed)?;
        let idle = self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let mut conn = self.inner.options.connect().await?;
                if let Some(setup) = self.inner.setup {
                    conn.execute(setup).await?;
                }
                conn
            }
        };
        Ok(Reader { conn: Some(conn), busy: false, inner: self.inner.clone(), _permit: permit })
    }

    /// Closes the idle connections and refuses new reads.
    pub(crate) async fn close(&self) {
        self.inner.permits.close();
        let idle = std::mem::take(&mut *self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()));
        for conn in idle {
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

impl Reader {
    /// The connection, for one statement: the reader is busy until [`Reader::done`].
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        self.busy = true;
        self.conn.as_mut().expect("a reader holds its connection until it is dropped")
    }

    /// The statement ran to its end: the connection may go back.
    pub(crate) fn done(&mut self) {
        self.busy = false;
    }
}

impl Drop for Reader {
    /// Back to the idle list if it is not busy and the readers are open; otherwise dropped,
    /// which closes it.
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take().filter(|_| !self.busy && !self.inner.permits.is_closed()) {
            self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
        }
    }
}

impl<'p> Executor<'p> for &'p Readers {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let gathered = async move {
            let mut reader = self.checkout().await?;
            let mut items = Vec::new();
            let mut rows = reader.conn().fetch_many(query);
            while let Some(item) = rows.next().await {
                items.push(item?);
            }
            drop(rows);
            reader.done();
            Ok::<_, Error>(items)
        };
        Box::pin(stream::once(gathered).flat_map(|gathered| match gathered {
            Ok(items) => stream::iter(items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::iter([Err(e)]).right_stream(),
        }))
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        Box::pin(async move {
            let mut reader = self.checkout().await?;
            let row = reader.conn().fetch_optional(query).await?;
            reader.done();
            Ok(row)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, Error>>
    where
        'p: 'e,
    {
        Box::pin(async move {
            let mut reader = self.checkout().await?;
            let statement = reader.conn().prepare_with(sql, parameters).await?;
            reader.done();
            Ok(statement)
        })
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, Error>>
    where
        'p: 'e,
    {
        Box::pin(async move {
            let mut reader = self.checkout().await?;
            let described = reader.conn().describe(sql).await?;
            reader.done();
            Ok(described)
        })
    }
}
