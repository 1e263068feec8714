//! Group commit of acts: one writer takes every act ready at that moment, applies each with its
//! own checks in one transaction (each under its own savepoint, so a refused act leaves its
//! neighbours untouched), commits once — one durable flush for the whole batch — and only then
//! answers each caller.
//!
//! Durability is unchanged: an act is answered after the commit that carries it returned, never
//! before; if that commit fails, every act of the batch is answered with the failure and nothing
//! of it is written. Within the batch the acts are applied one after the other in the order they
//! arrived, each appending its events under the lock of its stream's head (or, on PostgreSQL, at
//! the place its read found, checked by `UNIQUE (stream, stream_seq)`), so every record stream
//! stays one chain and its global seq grows with its stream seq. The batch's acts without
//! effects or key, with their reads' slots, are written first: on PostgreSQL together by one
//! statement ([`crate::pg_batch`]); on SQLite one script each, no savepoint, after one read of
//! the last seq ([`crate::sqlite_batch`]), together with the batch's submissions, in a
//! transaction the writer runs by calling SQLite itself on its own thread ([`crate::direct`]),
//! committed before the rest of the batch. Every other act costs the batch one call for its
//! savepoint and, without effects, on PostgreSQL one statement with its read's slot (two the
//! locked way, on SQLite or when its stream moved since the read).
//!
//! On PostgreSQL an act that arrives when no writer runs and no act waits is committed by its
//! own caller, the single act's way ([`Store::commit_one`]: one statement, no savepoint),
//! holding the writer's place meanwhile, so a lone client pays nothing for the grouping (no
//! hand-over to another task and back). Acts arriving meanwhile queue; when the caller is done
//! (or its future is dropped) a writer task is spawned for them on the caller's runtime (its
//! connections' sockets are driven there). The writer drains the queue batch by batch and ends
//! when the queue is empty; a batch of one act goes the single act's way too.
//!
//! On SQLite every act and every submission ([`Store::create_case`]) goes to the writer, which
//! runs on a thread of its own and steps SQLite itself: a lone act's one hand-over to it costs
//! less than a caller's to sqlx's thread for the connection, and its writes step faster there.
//! In a batch each submission is numbered and written under its own savepoint, after the plain
//! acts and before the others, and shares their commit. A database with one write lock commits
//! one transaction at a time, and a commit per submission was half the commits under load.
//! (PostgreSQL commits many at once and numbers outside the case's transaction: its
//! submissions stay their own.)

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use tokio::sync::oneshot;

use crate::cases::{create_case_direct, write_in_one_statement, ActKey, AppendSlot, CaseAct, CaseColumns, NewCase};
use crate::direct::Direct;
use crate::verticals::{ActError, Effect, EffectOutput};
use crate::{pg_batch, sqlite_batch};
use crate::{Backend, Store, StoreError, StoreResult};

/// The most acts one transaction carries: a bound on how long the write lock is held and on
/// how much a failed commit takes with it.
pub const MAX_BATCH: usize = 128;

/// The events of an act, given what its effects produced (e.g. a certificate number).
pub type ActEvents = Box<dyn FnOnce(&EffectOutput) -> Vec<EventDraft> + Send>;

/// An act's idempotency key, owned.
#[derive(Debug, Clone)]
pub struct OwnedKey {
    pub key: String,
    pub account_id: i64,
    pub fingerprint: String,
}

/// One act as the writer holds it: everything it writes, owned.
pub struct QueuedAct {
    pub id: i64,
    pub expected_revision: i64,
    pub before: CaseColumns,
    pub columns: CaseColumns,
    pub state: String,
    pub key: Option<OwnedKey>,
    pub effects: Vec<Effect>,
    pub events: ActEvents,
    pub at: DateTime<Utc>,
    pub slot: Option<AppendSlot>,
}

impl QueuedAct {
    /// The owned copy of an act as its caller passes it to [`Store::commit_act`].
    pub fn new(
        act: &CaseAct<'_>,
        effects: &[Effect],
        events: ActEvents,
        at: DateTime<Utc>,
        slot: Option<&AppendSlot>,
    ) -> QueuedAct {
        QueuedAct {
            id: act.id,
            expected_revision: act.expected_revision,
            before: act.before.clone(),
            columns: act.columns.clone(),
            state: act.state.to_string(),
            key: act.key.map(|k| OwnedKey {
                key: k.key.to_string(),
                account_id: k.account_id,
                fingerprint: k.fingerprint.to_string(),
            }),
            effects: effects.to_vec(),
            events,
            at,
            slot: slot.cloned(),
        }
    }

    /// Splits the act into its borrowed form's owner and what the unit of work consumes.
    fn split(self) -> (OwnedAct, Vec<Effect>, ActEvents, DateTime<Utc>, Option<AppendSlot>) {
        let QueuedAct { id, expected_revision, before, columns, state, key, effects, events, at, slot } = self;
        (OwnedAct { id, expected_revision, before, columns, state, key }, effects, events, at, slot)
    }
}

/// The case part of a [`QueuedAct`].
struct OwnedAct {
    id: i64,
    expected_revision: i64,
    before: CaseColumns,
    columns: CaseColumns,
    state: String,
    key: Option<OwnedKey>,
}

impl OwnedAct {
    /// The act's borrowed form, as the unit of work applies it.
    fn act(&self) -> CaseAct<'_> {
        CaseAct {
            id: self.id,
            expected_revision: self.expected_revision,
            before: &self.before,
            columns: &self.columns,
            state: &self.state,
            key: self.key.as_ref().map(|k| ActKey {
                key: &k.key,
                account_id: k.account_id,
                fingerprint: &k.fingerprint,
            }),
        }
    }
}

/// A new case's state and events, given its id and number (SQLite: a submission the writer
/// numbers and writes, [`Store::create_case`]).
pub type NewCaseParts = Box<dyn FnOnce(i64, &str) -> (String, Vec<EventDraft>) + Send>;

/// What a submission answers: the case's id and number, and whether it was created (not
/// replayed by its idempotency key).
type CaseAnswer = StoreResult<(i64, String, bool)>;

/// A submission as the writer holds it: the case to create, owned.
struct QueuedCase {
    new: OwnedNewCase,
    at: DateTime<Utc>,
    parts: NewCaseParts,
}

impl QueuedCase {
    fn new(new: &NewCase<'_>, at: DateTime<Utc>, parts: NewCaseParts) -> QueuedCase {
        let new = OwnedNewCase {
            columns: new.columns.clone(),
            number_division: new.number_division.to_string(),
            number_year: new.number_year,
            idempotency_key: new.idempotency_key.map(str::to_string),
            idempotency_binding: new.idempotency_binding.map(|(account, hash)| (account, hash.to_string())),
        };
        QueuedCase { new, at, parts }
    }

    /// Writes the case inside a batch's transaction on the writer's own connection
    /// ([`create_case_direct`]).
    fn create_direct(self, direct: &Direct) -> CaseAnswer {
        create_case_direct(direct, &self.new.borrowed(), self.at, self.parts)
    }
}

/// A [`NewCase`], owned.
struct OwnedNewCase {
    columns: CaseColumns,
    number_division: String,
    number_year: i32,
    idempotency_key: Option<String>,
    idempotency_binding: Option<(i64, String)>,
}

impl OwnedNewCase {
    fn borrowed(&self) -> NewCase<'_> {
        NewCase {
            columns: self.columns.clone(),
            number_division: &self.number_division,
            number_year: self.number_year,
            idempotency_key: self.idempotency_key.as_deref(),
            idempotency_binding: self.idempotency_binding.as_ref().map(|(account, hash)| (*account, hash.as_str())),
        }
    }
}

/// What waits for the writer, and where its answer goes (boxed: the queue moves them).
enum Job {
    Act(Box<QueuedAct>, oneshot::Sender<Result<EffectOutput, ActError>>),
    Case(Box<QueuedCase>, oneshot::Sender<CaseAnswer>),
}

/// The acts waiting for the writer, whether a writer runs, and what the writers did.
#[derive(Default)]
pub(crate) struct ActQueue {
    inner: Mutex<QueueState>,
}

#[derive(Default)]
struct QueueState {
    waiting: Vec<Job>,
    writer_running: bool,
    stats: GroupCommitStats,
}

/// What the group commit did since the store was opened (printed by the benchmarks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCommitStats {
    /// Transactions committed by the writer (a lone act counts as one).
    pub batches: u64,
    /// Acts they carried, refused ones included.
    pub acts: u64,
    /// Submissions they carried (SQLite), refused and replayed ones included.
    pub submissions: u64,
    /// The most acts and submissions one transaction carried.
    pub largest: u64,
    /// Plain acts written before the rest of their batch: on PostgreSQL together by one
    /// statement ([`crate::pg_batch`]), on SQLite one call each ([`crate::sqlite_batch`]).
    pub in_one_statement: u64,
}

impl ActQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a job; `true` when the caller must start the writer (none runs).
    fn push(&self, job: Job) -> bool {
        let mut state = self.lock();
        state.waiting.push(job);
        !std::mem::replace(&mut state.writer_running, true)
    }

    /// Every job waiting now (up to [`MAX_BATCH`]), or none: then the writer ends, in the
    /// same critical section, so a job pushed after this starts a new writer.
    fn take_batch(&self) -> Vec<Job> {
        let mut state = self.lock();
        if state.waiting.is_empty() {
            state.writer_running = false;
            return Vec::new();
        }
        let n = state.waiting.len().min(MAX_BATCH);
        let batch: Vec<Job> = state.waiting.drain(..n).collect();
        let cases = batch.iter().filter(|job| matches!(job, Job::Case(..))).count() as u64;
        let stats = &mut state.stats;
        stats.batches += 1;
        stats.acts += n as u64 - cases;
        stats.submissions += cases;
        stats.largest = stats.largest.max(n as u64);
        batch
    }

    /// Claims the writer for a caller's own act when no writer runs and nothing waits: `true`
    /// when the caller commits it itself, counted as a batch of one.
    fn claim(&self) -> bool {
        let mut state = self.lock();
        if state.writer_running || !state.waiting.is_empty() {
            return false;
        }
        state.writer_running = true;
        let stats = &mut state.stats;
        stats.batches += 1;
        stats.acts += 1;
        stats.largest = stats.largest.max(1);
        true
    }

    /// The caller that claimed the writer is done: `true` when acts queued meanwhile and a
    /// writer must take them (the claim passes to it); else no writer runs any more.
    fn release(&self) -> bool {
        let mut state = self.lock();
        if state.waiting.is_empty() {
            state.writer_running = false;
            return false;
        }
        true
    }

    /// The writer ended abnormally (its runtime shut down): the waiting jobs are dropped, so
    /// their callers learn that nothing of theirs was written, and the next act starts a writer.
    fn abandon(&self) {
        let mut state = self.lock();
        state.waiting.clear();
        state.writer_running = false;
    }
}

/// Resets the queue if the writer task is dropped before it drained it.
struct WriterGuard(Arc<ActQueue>, bool);

impl Drop for WriterGuard {
    fn drop(&mut self) {
        if !self.1 {
            self.0.abandon();
        }
    }
}

/// The savepoint each act of a batch runs under, taken, released and rolled back to by these
/// statements, sent as text (several in one round trip, no statement to prepare).
const SAVEPOINT: &str = "SAVEPOINT act";
const RELEASE_AND_SAVEPOINT: &str = "RELEASE SAVEPOINT act; SAVEPOINT act";
const ROLLBACK_TO_SAVEPOINT: &str = "ROLLBACK TO SAVEPOINT act";
const RELEASE: &str = "RELEASE SAVEPOINT act";
const ROLLBACK_TO_AND_RELEASE: &str = "ROLLBACK TO SAVEPOINT act; RELEASE SAVEPOINT act";

/// Runs `sql` as text on `conn` (boxed: a concrete `Send` future for the writer task).
fn run_text<'c>(
    conn: &'c mut sqlx::AnyConnection,
    sql: &'static str,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'c>> {
    Box::pin(async move { sqlx::Executor::execute(conn, sql).await.map(drop) })
}

/// Held by a caller that claimed the writer for its own act: when it is done (or dropped,
/// cancelled), the acts queued meanwhile get a writer.
struct Claimed(Store);

impl Drop for Claimed {
    fn drop(&mut self) {
        if self.0.act_queue.release() {
            self.0.start_writer();
        }
    }
}

/// The runtime SQLite's writers run on: one thread of its own for the process, so that a
/// writer whose call to the write connection returned is woken at once, not queued behind the
/// callers' tasks on the server's runtime (every act of a batch waits on that chain of calls).
/// It has timers (the pool's acquire) but no IO driver: those calls are channels, not sockets,
/// and the thread parks on a condition variable. `None` if the thread could not be started:
/// the writers then run on the caller's runtime.
fn sqlite_writer_runtime() -> Option<&'static tokio::runtime::Handle> {
    static RUNTIME: std::sync::OnceLock<Option<tokio::runtime::Handle>> = std::sync::OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().ok()?;
            let handle = runtime.handle().clone();
            std::thread::Builder::new()
                .name("sqlite-writer".into())
                .spawn(move || runtime.block_on(std::future::pending::<()>()))
                .ok()?;
            Some(handle)
        })
        .as_ref()
}

impl Store {
    /// Commits one act the group commit's way: on PostgreSQL alone by its caller when no writer
    /// runs and no act waits (no hand-over to another task: [`Store::commit_one`]), else queued
    /// for the writer ([`Store::commit_grouped`]); on SQLite always queued (the writer steps
    /// SQLite itself, cheaper than a caller's hand-off to sqlx's thread for the connection).
    pub(crate) async fn commit_claimed_or_grouped(
        &self,
        act: &CaseAct<'_>,
        effects: &[Effect],
        events: ActEvents,
        at: DateTime<Utc>,
        slot: Option<&AppendSlot>,
    ) -> Result<EffectOutput, ActError> {
        if self.direct.is_none() && self.act_queue.claim() {
            let _claimed = Claimed(self.clone());
            return self.commit_one(act, effects, events, at, slot).await;
        }
        self.commit_grouped(QueuedAct::new(act, effects, events, at, slot)).await
    }

    /// SQLite: creates a case the group commit's way: queued for the writer, written in its
    /// batch's transaction under its own savepoint and answered after the commit that carries it.
    pub(crate) async fn create_case_grouped(
        &self,
        new: &NewCase<'_>,
        at: DateTime<Utc>,
        parts: NewCaseParts,
    ) -> CaseAnswer {
        let (reply, answer) = oneshot::channel();
        self.queue(Job::Case(Box::new(QueuedCase::new(new, at, parts)), reply));
        answer.await.map_err(|_| StoreError::Other("提交队列已关闭，本次申请未写入".into()))?
    }

    /// Queues one act for the writer and waits for its answer, given after the commit that
    /// carries it (see the module's documentation).
    pub(crate) async fn commit_grouped(&self, act: QueuedAct) -> Result<EffectOutput, ActError> {
        let (reply, answer) = oneshot::channel();
        self.queue(Job::Act(Box::new(act), reply));
        answer.await.map_err(|_| ActError::Store(StoreError::Other("提交队列已关闭，本次办理未写入".into())))?
    }

    /// Queues a job for the writer, starting one if none runs.
    fn queue(&self, job: Job) {
        if self.act_queue.push(job) {
            self.start_writer();
        }
    }

    /// Starts a writer for the jobs queued: on SQLite on its own thread
    /// ([`sqlite_writer_runtime`]), on PostgreSQL on the caller's runtime (its connections'
    /// sockets are driven there). Without a runtime to write them, their callers learn that
    /// nothing was written.
    fn start_writer(&self) {
        let writer = self.clone().write_batches();
        let runtime = match self.backend {
            Backend::Sqlite => sqlite_writer_runtime().cloned(),
            Backend::Postgres => None,
        };
        match runtime.map_or_else(tokio::runtime::Handle::try_current, Ok) {
            Ok(runtime) => drop(runtime.spawn(writer)),
            Err(_) => self.act_queue.abandon(),
        }
    }

    /// What the group commit did since the store was opened.
    pub fn group_commit_stats(&self) -> GroupCommitStats {
        self.act_queue.lock().stats
    }

    /// The writer: batch after batch until the queue is empty.
    async fn write_batches(self) {
        let mut guard = WriterGuard(self.act_queue.clone(), false);
        loop {
            let batch = self.act_queue.take_batch();
            if batch.is_empty() {
                guard.1 = true;
                return;
            }
            let (mut acts, mut act_replies, mut cases, mut case_replies) = (vec![], vec![], vec![], vec![]);
            for job in batch {
                match job {
                    Job::Act(act, reply) => {
                        acts.push(*act);
                        act_replies.push(reply);
                    }
                    Job::Case(case, reply) => {
                        cases.push(*case);
                        case_replies.push(reply);
                    }
                }
            }
            let (act_answers, case_answers) = self.commit_batch(acts, cases).await;
            for (reply, answer) in act_replies.into_iter().zip(act_answers) {
                let _ = reply.send(answer);
            }
            for (reply, answer) in case_replies.into_iter().zip(case_answers) {
                let _ = reply.send(answer);
            }
        }
    }

    /// Commits `acts` in one transaction, in their order, and answers each: its output, or its
    /// refusal (under its own savepoint, so nothing of it is written and the others go on). If
    /// the transaction itself fails (its begin, a savepoint, the commit), nothing is written and
    /// every act that was not refused answers that failure. A lone act is [`Store::commit_one`].
    /// The writer's unit of work; public so that a batch can be formed on purpose (tests).
    pub async fn commit_together(&self, acts: Vec<QueuedAct>) -> Vec<Result<EffectOutput, ActError>> {
        self.commit_batch(acts, Vec::new()).await.0
    }

    /// [`Store::commit_together`] with submissions (SQLite): each is written under its own
    /// savepoint after the batch's plain acts and before its other acts, and answered after
    /// the commit like them.
    async fn commit_batch(
        &self,
        mut acts: Vec<QueuedAct>,
        cases: Vec<QueuedCase>,
    ) -> (Vec<Result<EffectOutput, ActError>>, Vec<CaseAnswer>) {
        // PostgreSQL: a lone act goes the single act's way (on SQLite the writer's own
        // connection below is that way).
        if let (None, 1, true) = (&self.direct, acts.len(), cases.is_empty()) {
            let Some(job) = acts.pop() else { return Default::default() };
            let (owned, effects, events, at, slot) = job.split();
            return (vec![self.commit_one(&owned.act(), &effects, events, at, slot.as_ref()).await], Vec::new());
        }
        let n = acts.len();
        // Submissions are written by the writer's own connection only (SQLite's): answered by
        // it, whatever happens to the rest of the batch after.
        let mut case_answers: Vec<CaseAnswer> =
            cases.iter().map(|_| Err(StoreError::Other("本次申请未写入".into()))).collect();
        let mut jobs: Vec<BatchJob> = acts.into_iter().map(BatchJob::new).collect();
        let mut answers: Vec<Option<Result<EffectOutput, ActError>>> = (0..n).map(|_| None).collect();
        let mut committed_alone = vec![false; n];
        // SQLite: the batch's plain acts at their reads' slots and its submissions first, in a
        // transaction on the writer's own connection (`crate::direct`); the acts left (with
        // effects or a key, a case's second act, a case or stream that moved since its read) go
        // on below, in a transaction of their own. Failed, nothing of the first is written and
        // every act and submission of the batch answers the failure.
        if let Some(direct) = &self.direct {
            let acts = self.slotted_acts(&jobs, 1);
            match self.commit_direct(direct, acts, cases).await {
                Ok((written, created)) => {
                    self.act_queue.lock().stats.in_one_statement += written.len() as u64;
                    for k in written {
                        answers[k] = Some(Ok(EffectOutput::default()));
                        committed_alone[k] = true;
                    }
                    case_answers = created;
                }
                Err(failed) => {
                    let text = failed.to_string();
                    let failed = || StoreError::Other(text.clone());
                    let acts = (0..n).map(|_| Err(ActError::Store(failed()))).collect();
                    return (acts, case_answers.iter().map(|_| Err(failed())).collect());
                }
            }
        }
        // The batch's plain acts at their reads' slots first. On PostgreSQL by one statement,
        // and when that is every act of the batch, it runs alone, autocommitted (one round trip
        // instead of begin, statement and commit; its commit waits for the WAL flush like any
        // other): the acts it wrote are answered after it, the others (their case moved) go the
        // locked way below, in a transaction of their own (on SQLite they were written above).
        // Failed (a stream moved since its read), nothing of it is kept and every act goes the
        // locked way.
        let mut slotted = match self.backend {
            Backend::Postgres => Some(self.slotted_acts(&jobs, 2))
                .filter(|acts| !acts.is_empty())
                .map(|acts| pg_batch::SlottedActs::new(&acts)),
            Backend::Sqlite => None,
        };
        if let Some(acts) = slotted.take_if(|acts| acts.len() == n) {
            let alone = async { pg_batch::write_plain_acts(&mut *self.write.acquire().await?, acts).await };
            if let Ok(written) = alone.await {
                self.act_queue.lock().stats.in_one_statement += written.len() as u64;
                for k in written {
                    answers[k] = Some(Ok(EffectOutput::default()));
                    committed_alone[k] = true;
                }
            }
        }
        let committed = async {
            if answers.iter().all(Option::is_some) {
                return Ok(());
            }
            let mut tx = self.begin_write().await?;
            let written = match (self.backend, slotted) {
                (Backend::Postgres, None) => Ok(HashSet::new()),
                (Backend::Postgres, Some(acts)) => pg_batch::write_plain_acts(&mut tx, acts).await,
                (Backend::Sqlite, _) => Ok(HashSet::new()),
            };
            let written = match written {
                Ok(written) => {
                    self.act_queue.lock().stats.in_one_statement += written.len() as u64;
                    written
                }
                // A stream moved since its read (or the call failed otherwise): nothing of it is
                // kept (the transaction is rolled back); every act goes the locked way.
                Err(_) => {
                    tx.rollback().await?;
                    tx = self.begin_write().await?;
                    Default::default()
                }
            };
            let mut first = true;
            for (k, job) in jobs.iter_mut().enumerate() {
                if answers[k].is_some() {
                    continue;
                }
                if written.contains(&k) {
                    answers[k] = Some(Ok(EffectOutput::default()));
                    continue;
                }
                // The previous act's savepoint released and this one's taken in one call.
                run_text(&mut tx, if std::mem::take(&mut first) { SAVEPOINT } else { RELEASE_AND_SAVEPOINT }).await?;
                let answer = self.apply_in_batch(&mut tx, job).await?;
                if answer.is_err() {
                    run_text(&mut tx, ROLLBACK_TO_SAVEPOINT).await?;
                }
                answers[k] = Some(answer);
            }
            // The last savepoint is released by the commit.
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        let failed = committed.err().map(|err| err.to_string());
        let not_written = |text: &String| StoreError::Other(text.clone());
        let act_answers = answers
            .into_iter()
            .zip(committed_alone)
            .map(|(answer, committed_alone)| match (answer, &failed) {
                // Written and committed by the statement alone, before the transaction.
                (Some(Ok(output)), _) if committed_alone => Ok(output),
                // Nothing of the batch is written: every act hears so, the refused ones their refusal.
                (Some(Err(refused)), _) => Err(refused),
                (Some(Ok(output)), None) => Ok(output),
                (_, Some(text)) => Err(ActError::Store(not_written(text))),
                (None, None) => Err(ActError::Store(StoreError::Other("本次办理未写入".into()))),
            })
            .collect();
        (act_answers, case_answers)
    }

    /// SQLite: the first part of a batch ([`Store::commit_batch`]) on the writer's own
    /// connection: its plain acts at their reads' slots ([`sqlite_batch`]), then each
    /// submission under its own savepoint, committed together. The places of the acts written,
    /// and each submission's answer. The pool's write connection is held meanwhile, so that no
    /// other write of this process meets the batch's write lock.
    async fn commit_direct(
        &self,
        direct: &std::sync::Mutex<Direct>,
        acts: Vec<SlottedAct<'_>>,
        cases: Vec<QueuedCase>,
    ) -> StoreResult<(HashSet<usize>, Vec<CaseAnswer>)> {
        if acts.is_empty() && cases.is_empty() {
            return Ok(Default::default());
        }
        let _turn = self.write.acquire().await?;
        let direct = direct.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        direct.exec("BEGIN IMMEDIATE")?;
        let written = write_direct(&direct, &acts, cases);
        if written.is_err() {
            // Nothing of the batch stays (an error before the commit, or the commit's own).
            let _ = direct.exec("ROLLBACK");
        }
        written
    }

    /// The batch's plain acts with their reads' slots, each the first of the batch on its case,
    /// as [`crate::pg_batch`] and [`crate::sqlite_batch`] write them. Empty with fewer than
    /// `fewest` such acts (on PostgreSQL one goes the way of the others).
    fn slotted_acts<'j>(&self, jobs: &'j [BatchJob], fewest: usize) -> Vec<SlottedAct<'j>> {
        let slotted: Vec<Option<(&AppendSlot, &EventDraft)>> = jobs
            .iter()
            .map(|job| match job.events {
                Some(_) => None,
                None => crate::cases::plain_slot(&job.owned.act(), &job.drafts, job.slot.as_ref()),
            })
            .collect();
        let taken = first_on_their_case(jobs.iter().zip(&slotted).map(|(j, s)| (j.owned.id, s.is_some())));
        let acts: Vec<SlottedAct<'_>> = jobs
            .iter()
            .zip(slotted)
            .enumerate()
            .filter(|(k, _)| taken[*k])
            .filter_map(|(k, (job, slotted))| {
                slotted.map(|(slot, event)| SlottedAct { k, act: job.owned.act(), event, slot, at: job.at })
            })
            .collect();
        if acts.len() >= fewest {
            acts
        } else {
            Vec::new()
        }
    }

    /// One act of a batch under its savepoint. The outer result is the transaction's failure
    /// (the batch fails); the inner one the act's answer (a refusal: the caller rolls back to
    /// the savepoint). An act without effects is written by as few statements as it can: on
    /// PostgreSQL with its read's slot, one ([`write_in_one_statement`]); if its stream moved
    /// since the read, that statement failed and aborted the transaction, so the act rolls back
    /// to its savepoint and goes the locked way ([`Store::apply_plain_act`]: two).
    async fn apply_in_batch(
        &self,
        conn: &mut sqlx::AnyConnection,
        job: &mut BatchJob,
    ) -> Result<Result<EffectOutput, ActError>, StoreError> {
        let act = job.owned.act();
        if let Some(events) = job.events.take() {
            return Ok(self.apply_act(conn, &act, &job.effects, events, job.at).await);
        }
        let output = EffectOutput::default();
        if let Some((slot, event)) = self.one_statement_slot(&act, &job.drafts, job.slot.as_ref()) {
            match write_in_one_statement(conn, &act, event, job.at, slot).await {
                Ok(true) => return Ok(Ok(output)),
                // Nothing of the act written: its case moved (the locked way reports the
                // conflict) or its stream did (the locked way writes it after the new head).
                Ok(false) => {}
                Err(err) => return Ok(Err(err.into())),
            }
            // A moved stream failed the statement, which aborted the transaction: back to the
            // savepoint (nothing of this act is there to undo otherwise).
            run_text(conn, ROLLBACK_TO_SAVEPOINT).await?;
        }
        Ok(self.apply_plain_act(conn, &act, &job.drafts, job.at).await.map(|()| output))
    }
}

/// [`Store::commit_direct`]'s transaction, begun: the plain acts, the submissions, the commit.
fn write_direct(
    direct: &Direct,
    acts: &[SlottedAct<'_>],
    cases: Vec<QueuedCase>,
) -> StoreResult<(HashSet<usize>, Vec<CaseAnswer>)> {
    let written = if acts.is_empty() { HashSet::new() } else { sqlite_batch::write_plain_acts(direct, acts)? };
    let mut created = Vec::with_capacity(cases.len());
    for case in cases {
        direct.exec(SAVEPOINT)?;
        let answer = case.create_direct(direct);
        direct.exec(if answer.is_err() { ROLLBACK_TO_AND_RELEASE } else { RELEASE })?;
        created.push(answer);
    }
    direct.exec("COMMIT")?;
    Ok((written, created))
}

/// One act a batch may write before the others ([`crate::pg_batch`], [`crate::sqlite_batch`]):
/// its place in the batch, the act, its one event and its read's slot, and when it was entered.
pub(crate) struct SlottedAct<'a> {
    pub k: usize,
    pub act: CaseAct<'a>,
    pub event: &'a EventDraft,
    pub slot: &'a AppendSlot,
    pub at: DateTime<Utc>,
}

/// Which acts of a batch may be written before the others: given, in the batch's order, each
/// act's case and whether it is plain with its slot, `true` for those that are and are the
/// first act of the batch on their case.
pub(crate) fn first_on_their_case(acts: impl IntoIterator<Item = (i64, bool)>) -> Vec<bool> {
    let mut seen = HashSet::new();
    acts.into_iter().map(|(case, plain)| seen.insert(case) && plain).collect()
}

/// One act of a batch as the writer applies it. An act without effects has its events drafted
/// when the batch is formed (they name no effect's output), so that the batch sees where they go.
struct BatchJob {
    owned: OwnedAct,
    effects: Vec<Effect>,
    /// The events of an act with effects, drafted once the effects produced their output.
    events: Option<ActEvents>,
    /// The events of an act without effects.
    drafts: Vec<EventDraft>,
    at: DateTime<Utc>,
    slot: Option<AppendSlot>,
}

impl BatchJob {
    fn new(act: QueuedAct) -> BatchJob {
        let (owned, effects, events, at, slot) = act.split();
        let (events, drafts) =
            if effects.is_empty() { (None, events(&EffectOutput::default())) } else { (Some(events), Vec::new()) };
        BatchJob { owned, effects, events, drafts, at, slot }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_act_on_a_case_and_only_a_plain_one_is_taken() {
        let taken = first_on_their_case([(1, true), (2, false), (1, true), (2, true), (3, true)]);
        assert_eq!(taken, [true, false, false, false, true]);
    }
}
