//! Concurrent writers leave one valid chain. On PostgreSQL the appends race for the stream's
//! head row (`FOR UPDATE`); on SQLite they queue for the single writer.

use std::collections::BTreeMap;
use std::sync::Arc;

use domain::audit::EventDraft;
use serde_json::{json, Value};
use service::accounts::AccountInput;
use service::ErrorKind;
use sqlx::{AnyPool, Row};
use store::cases::CaseAct;
use test_support::{on_both, Db};
use tokio::sync::Barrier;

use crate::{count, id_number, person_input, test_app};

const TASKS: usize = 8;
const APPENDS: usize = 50;
const PERSONS_PER_TASK: usize = 2;

/// Every stream's events: stream_seq runs 1, 2, 3… without a hole, seq grows with it, and the
/// stream table's head is the last event. Returns the number of events per stream.
async fn assert_streams_contiguous(raw: &AnyPool) -> BTreeMap<String, i64> {
    let rows = sqlx::query("SELECT stream, stream_seq, seq FROM audit_events ORDER BY stream, stream_seq")
        .fetch_all(raw)
        .await
        .expect("events");
    let mut last: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for row in &rows {
        let (stream, stream_seq, seq): (String, i64, i64) =
            (row.try_get(0).expect("stream"), row.try_get(1).expect("stream_seq"), row.try_get(2).expect("seq"));
        let (prev_stream_seq, prev_seq) = last.get(&stream).copied().unwrap_or((0, 0));
        assert_eq!(stream_seq, prev_stream_seq + 1, "{stream}: stream_seq must be contiguous");
        assert!(seq > prev_seq, "{stream}: seq must grow with stream_seq");
        last.insert(stream, (stream_seq, seq));
    }
    let heads =
        sqlx::query("SELECT stream, head_stream_seq, head_seq FROM audit_streams").fetch_all(raw).await.expect("heads");
    assert_eq!(heads.len(), last.len(), "one head row per stream");
    for row in &heads {
        let stream: String = row.try_get(0).expect("stream");
        let head: (i64, i64) = (row.try_get(1).expect("head_stream_seq"), row.try_get(2).expect("head_seq"));
        assert_eq!(Some(&head), last.get(&stream), "{stream}: the head is the last event");
    }
    last.into_iter().map(|(stream, (n, _))| (stream, n)).collect()
}

async fn concurrent_appends_leave_one_valid_chain(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let before = t.app.store.event_count().await.expect("count") as usize;
    let barrier = Arc::new(Barrier::new(TASKS + 1));

    let mut writers = Vec::new();
    for task in 0..TASKS {
        let (app, clerk, barrier) = (t.app.clone(), clerk.clone(), barrier.clone());
        writers.push(tokio::spawn(async move {
            // Half the tasks share one matter, the others each have their own.
            let stream = if task < TASKS / 2 { "case:shared".to_string() } else { format!("case:{task}") };
            barrier.wait().await;
            for n in 0..APPENDS {
                let draft = EventDraft::new(&stream, clerk.label(), "case.note", json!({"task": task, "n": n}));
                app.store.record(&draft, app.now()).await.expect("append");
                if n % (APPENDS / PERSONS_PER_TASK) == 0 {
                    let order = (task * PERSONS_PER_TASK + n / (APPENDS / PERSONS_PER_TASK)) as u32;
                    let input = person_input("并发", &id_number("511702", "19800101", order), None, "511702");
                    app.create_person(&clerk, &input).await.expect("create person");
                }
            }
        }));
    }
    // Checkpoints are taken while the writers run.
    let checkpointer = {
        let (app, barrier) = (t.app.clone(), barrier.clone());
        tokio::spawn(async move {
            barrier.wait().await;
            let mut written = 0;
            for _ in 0..20 {
                if app.checkpoint().await.expect("checkpoint").is_some() {
                    written += 1;
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            written
        })
    };
    for writer in writers {
        writer.await.expect("writer task");
    }
    let written = checkpointer.await.expect("checkpoint task");
    assert!(written > 0, "some checkpoints were taken during the run");
    t.app.checkpoint().await.expect("final checkpoint");

    let persons = TASKS * PERSONS_PER_TASK;
    let expected = before + TASKS * APPENDS + persons;
    let report = t.app.verify_record().await.expect("verification runs").expect("one valid chain");
    assert_eq!(report.events as usize, expected);
    assert_eq!(t.app.store.event_count().await.expect("count") as usize, expected);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await as usize, persons);

    let streams = assert_streams_contiguous(&raw).await;
    assert_eq!(streams.get("case:shared"), Some(&((TASKS / 2 * APPENDS) as i64)));
    for task in TASKS / 2..TASKS {
        assert_eq!(streams.get(&format!("case:{task}")), Some(&(APPENDS as i64)));
    }
    assert_eq!(streams.keys().filter(|s| s.starts_with("person:")).count(), persons);

    // Within the shared stream, each task's appends keep the order it made them in.
    let events = t.app.store.stream_events("case:shared").await.expect("events");
    let mut next = [0u64; TASKS];
    for event in &events {
        let payload: serde_json::Value = serde_json::from_str(&event.payload).expect("json");
        let task = payload["task"].as_u64().expect("task") as usize;
        assert_eq!(payload["n"].as_u64(), Some(next[task]), "task {task} out of order");
        next[task] += 1;
    }
}
on_both!(concurrent_appends_leave_one_valid_chain, concurrent_appends_leave_one_valid_chain);

async fn concurrent_duplicates_admit_one(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let after_init = t.app.store.event_count().await.expect("count") as u64;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let barrier = Arc::new(Barrier::new(TASKS));
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let (app, clerk, barrier) = (t.app.clone(), clerk.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let person = person_input(&format!("重复{task}"), "511702194001011706", None, "511702");
            let person = app.create_person(&clerk, &person).await;
            let input = AccountInput {
                username: "same-name".into(),
                display_name: format!("重复{task}"),
                password: "good-pass-2021".into(),
                grants: vec![("clerk".into(), "511702".into())],
            };
            let account = app.create_account(None, &input).await;
            (person.map(|p| p.id), account.map(|a| a.id))
        }));
    }
    let mut persons = Vec::new();
    let mut accounts = Vec::new();
    for task in tasks {
        let (person, account) = task.await.expect("task");
        persons.push(person);
        accounts.push(account);
    }
    let created: Vec<_> = persons.iter().filter(|r| r.is_ok()).collect();
    assert_eq!(created.len(), 1, "exactly one person is created");
    for err in persons.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "person_exists"));
    }
    let created: Vec<_> = accounts.iter().filter(|r| r.is_ok()).collect();
    assert_eq!(created.len(), 1, "exactly one account is created");
    for err in accounts.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "username_taken"));
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, 1);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM accounts WHERE username = 'same-name'").await, 1);
    assert_streams_contiguous(&raw).await;
    let report = t.app.verify_record().await.expect("verification runs").expect("one valid chain");
    // init's events (administrator, catalog versions), then the clerk, the person and the account.
    assert_eq!(report.events, after_init + 3);
}
on_both!(concurrent_duplicates_admit_one, concurrent_duplicates_admit_one);

/// The server (its checkpoint ticker, clerks' requests) and a CLI command (`minzheng audit
/// checkpoint`, `minzheng user …`) on one database and one checkpoint file: two stores, two
/// connection pools, appending, reading in full and checkpointing at once.
async fn two_processes_checkpoint_while_appending(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let after_init = t.app.store.event_count().await.expect("count") as u64;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let person = person_input("张三", "511702194001011706", None, "511702");
    let person = t.app.create_person(&clerk, &person).await.expect("person").id;
    let cli = Arc::new(
        service::App::new(
            t.db.store().await,
            store::Keys::from_master(&[42u8; 32]),
            t.clock.clone(),
            t.app.checkpoint_file.clone(),
        )
        .await
        .expect("second app"),
    );
    let barrier = Arc::new(Barrier::new(TASKS));
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let app = if task % 2 == 0 { t.app.clone() } else { cli.clone() };
        let (clerk, barrier) = (clerk.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let mut errors = Vec::new();
            for n in 0..20 {
                let outcome = match task % 4 {
                    0 | 1 => {
                        let draft =
                            EventDraft::new(format!("case:{task}"), clerk.label(), "case.note", json!({"n": n}));
                        app.store.record(&draft, app.now()).await.map(drop).map_err(|e| format!("append: {e}"))
                    }
                    2 => app.person_full(&clerk, person).await.map(drop).map_err(|e| format!("read in full: {e}")),
                    _ => app.checkpoint().await.map(drop).map_err(|e| format!("checkpoint: {e}")),
                };
                errors.extend(outcome.err());
            }
            errors
        }));
    }
    let mut errors = Vec::new();
    for task in tasks {
        errors.extend(task.await.expect("task"));
    }
    assert!(errors.is_empty(), "{} failures, e.g. {:?}", errors.len(), &errors[..errors.len().min(3)]);

    let report = t.app.verify_record().await.expect("verification runs").expect("one valid chain");
    // init's events, the clerk, the person; 4 tasks × 20 appends, 2 × 20 readings.
    assert_eq!(report.events, after_init + 2 + 4 * 20 + 2 * 20);
    let newest = count(&raw, "SELECT MAX(no) FROM audit_checkpoints").await;
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_checkpoints").await, newest, "numbered without holes");
    assert!(newest > 1, "checkpoints were written during the run");
    let file = t.app.checkpoint_file.clone().expect("file");
    let signed = service::audit::read_checkpoint_file(&file).expect("a readable file").expect("written");
    assert!(signed.no > 1 && signed.no <= newest);
    assert_streams_contiguous(&raw).await;

    // Sequential again: the next checkpoint is published.
    t.app
        .store
        .record(&EventDraft::new("case:0", clerk.label(), "case.note", json!({})), t.app.now())
        .await
        .expect("append");
    let last = t.app.checkpoint().await.expect("checkpoint").expect("moved");
    assert_eq!(last.no, newest + 1);
    assert_eq!(service::audit::read_checkpoint_file(&file).expect("file").expect("written"), last);
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(two_processes_checkpoint_while_appending, two_processes_checkpoint_while_appending);

/// Verifying while clerks work never raises a false alarm: on PostgreSQL events commit out of
/// `seq` order, so the record must be read in one snapshot.
async fn verification_while_appending_sees_no_break(db: Db) {
    let t = test_app(db).await;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for task in 0..TASKS {
        let (app, stop) = (t.app.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let stream = format!("case:{}", task % 2);
            let mut n = 0;
            // Bounded: an export reads the whole stream, so unbounded writers on a fast disk make
            // the fifty exports quadratic in the run's length.
            while n < 250 && !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let draft = EventDraft::new(&stream, "system", "case.note", json!({"task": task, "n": n}));
                app.store.record(&draft, app.now()).await.expect("append");
                n += 1;
            }
            n
        }));
    }
    let mut breaks = Vec::new();
    for _ in 0..50 {
        if let Err(brk) = t.app.verify_record().await.expect("verification runs") {
            breaks.push(brk.to_string());
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut appended = 0;
    for writer in writers {
        appended += writer.await.expect("writer");
    }
    assert!(appended > 0);
    assert!(breaks.is_empty(), "{} false alarms, e.g. {}", breaks.len(), breaks[0]);
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(verification_while_appending_sees_no_break, verification_while_appending_sees_no_break);

/// An export taken while clerks work and checkpoints are written still verifies on its own.
async fn export_while_appending_verifies(db: Db) {
    let t = test_app(db).await;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for task in 0..4 {
        let (app, stop) = (t.app.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let stream = format!("case:{}", task % 2);
            let mut n = 0;
            // Bounded: an export reads the whole stream, so unbounded writers on a fast disk make
            // the fifty exports quadratic in the run's length.
            while n < 250 && !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let draft = EventDraft::new(&stream, "system", "case.note", json!({"task": task, "n": n}));
                app.store.record(&draft, app.now()).await.expect("append");
                if task == 0 {
                    app.checkpoint().await.expect("checkpoint");
                }
                n += 1;
            }
        }));
    }
    let mut breaks = Vec::new();
    for _ in 0..50 {
        let mut out = Vec::new();
        t.app.export_record(1, &mut out).await.expect("export");
        let text = String::from_utf8(out).expect("utf-8");
        if let Err(brk) = store::audit::verify_lines(text.lines().map(str::to_string), None).expect("well-formed") {
            breaks.push(brk.to_string());
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    assert!(breaks.is_empty(), "{} exports do not verify, e.g. {}", breaks.len(), breaks[0]);
}
on_both!(export_while_appending_verifies, export_while_appending_verifies);

/// Many staff acting on the same few cases at once, each act on whatever state it reads: every
/// case ends where the acts that succeeded lead when replayed one by one in their commit order
/// (so some serial order explains it), each success got its own revision (no lost update), and
/// each case's record stream holds exactly the events of that serial run, without a fork or gap.
async fn many_clients_on_the_same_cases_end_in_a_serial_state(db: Db) {
    use domain::engine::action::{Action, DeliveryMethod, Verdict};

    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};

    const CASES: usize = 4;
    const ACTORS: usize = 8;
    const TRIES: usize = 30;
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let second_clerk = t.staff("clerk700b", "clerk", "511700").await;
    // Every act of the item's procedure, with the role that may do it; most are refused in most
    // states, which is part of the test: a refusal must write nothing.
    let acts: Vec<(domain::access::Actor, Action)> = vec![
        (city.clerk.clone(), Action::Accept),
        (second_clerk.clone(), Action::RefuseAcceptance { reasons: "不属于本机关登记范围".into() }),
        (city.reviewer.clone(), Action::Review { verdict: Verdict::Approve, opinion: "同意".into() }),
        (city.reviewer.clone(), Action::Review { verdict: Verdict::Return, opinion: "请补充说明".into() }),
        (city.decider.clone(), Action::Decide { grant: true, reasons: String::new(), basis: String::new() }),
        (city.decider.clone(), Action::Decide { grant: false, reasons: "重名".into(), basis: "第十三条".into() }),
        (second_clerk.clone(), Action::Produce),
        (city.clerk.clone(), Action::Issue),
        (second_clerk, Action::Deliver { method: DeliveryMethod::OnSite, tracking: None }),
    ];
    let mut ids = Vec::new();
    for _ in 0..CASES {
        let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        ids.push(submitted.expect("submit").view.case.id);
    }
    let acts = Arc::new(acts);
    let barrier = Arc::new(Barrier::new(ACTORS));
    let mut tasks = Vec::new();
    for task in 0..ACTORS {
        let (app, acts, ids, barrier) = (t.app.clone(), acts.clone(), ids.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let (mut won, mut conflicts) = (Vec::new(), 0);
            for n in 0..TRIES {
                // Spread over the cases and the acts so that every case sees contention.
                let id = ids[(task + n) % ids.len()];
                let which = (task * 5 + n * 3) % acts.len();
                let (actor, action) = &acts[which];
                match app.act_on_case(actor, id, None, action).await {
                    Ok(view) => won.push((id, view.case.revision, which)),
                    Err(e) if e.code == "case_conflict" => conflicts += 1,
                    Err(e) => assert!(
                        matches!(e.kind, ErrorKind::Conflict | ErrorKind::Invalid | ErrorKind::Forbidden),
                        "{action:?} on {id}: {e}"
                    ),
                }
            }
            (won, conflicts)
        }));
    }
    let mut won: BTreeMap<i64, BTreeMap<u64, usize>> = BTreeMap::new();
    let (mut successes, mut conflicts) = (0, 0);
    for task in tasks {
        let (task_won, task_conflicts) = task.await.expect("task");
        conflicts += task_conflicts;
        for (id, revision, which) in task_won {
            successes += 1;
            let earlier = won.entry(id).or_default().insert(revision, which);
            assert_eq!(earlier, None, "case {id}: two acts both committed revision {revision}");
        }
    }
    eprintln!("{db:?}: {successes} acts committed, {conflicts} lost a race");
    // At least one act per case commits: an interleaving in which a refusal of acceptance wins
    // first on every case is lawful and ends each case after one act (seen under heavy load).
    assert!(successes >= CASES, "the acts got through somewhere: {successes}");

    for id in &ids {
        let order = won.get(id).cloned().unwrap_or_default();
        // Revisions 2, 3, … without a hole: each success moved the case by one.
        let revisions: Vec<u64> = order.keys().copied().collect();
        assert_eq!(revisions, (2..2 + order.len() as u64).collect::<Vec<_>>(), "case {id}");
        // The same acts, one at a time in commit order, on a twin case.
        let twin = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        let twin = twin.expect("twin").view.case.id;
        for which in order.values() {
            let (actor, action) = &acts[*which];
            t.app.act_on_case(actor, twin, None, action).await.unwrap_or_else(|e| panic!("serial {action:?}: {e}"));
        }
        let (concurrent, serial) =
            (t.app.store.case(*id).await.expect("row"), t.app.store.case(twin).await.expect("row"));
        let state = |row: &store::cases::CaseRow| {
            (row.revision, row.columns.status.clone(), row.columns.step.clone(), row.columns.closed_at_ms.is_some())
        };
        assert_eq!(state(&concurrent), state(&serial), "case {id} ends where its serial order leads");
        let (a, b) = (acts_of(&t.app, *id).await, acts_of(&t.app, twin).await);
        assert_eq!(a, b, "case {id}: the record is the serial run's");
        assert_eq!(a.len() as i64, concurrent.revision, "case {id}: one event per act");
    }
    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(many_clients_on_the_same_cases, many_clients_on_the_same_cases_end_in_a_serial_state);

async fn acts_of(app: &service::App, case: i64) -> Vec<String> {
    crate::acts(app, &format!("case:{case}")).await
}

/// An act read its case and where its event goes ([`store::cases::AppendSlot`]), then something
/// moved before it wrote. With nothing moved, the act commits in one call at the slot's place
/// (its seq). Another stream's event (on SQLite it took the foreseen seq): the act commits. The
/// case's record stream alone moved (an event without a new revision, as a refused condition
/// writes): the act still commits, after that event, in the locked way. The case moved (a new
/// revision): the act is refused and writes nothing.
async fn an_act_whose_stream_moved_since_its_read(db: Db) {
    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};

    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
    let id = submitted.expect("submit").view.case.id;
    let stream = format!("case:{id}");
    let store = &t.app.store;
    let act = |n: i64| EventDraft::new(&stream, city.clerk.label(), "case.note", json!({"n": n}));
    let transition = |row: &store::cases::CaseRow, n: i64, slot: bool| {
        let events = vec![act(n)];
        let (columns, state, revision) = (row.columns.clone(), row.state.clone(), row.revision);
        let slot = if slot { row.append_slot.clone() } else { None };
        let at = t.app.now();
        async move {
            let act = CaseAct {
                id,
                expected_revision: revision,
                before: &columns,
                columns: &columns,
                state: &state,
                key: None,
            };
            store.transition_case(&act, &events, at, slot.as_ref()).await
        }
    };
    let last_seq = || async { store.stream_events(&stream).await.expect("events").last().expect("an event").seq };

    // Nothing moved: the event takes the slot's seq (the one-call write: a statement on
    // PostgreSQL, a script on SQLite).
    let row = store.case_for_act(id).await.expect("read");
    let slot = row.append_slot.clone().expect("a slot on both backends");
    assert_eq!(slot.head_stream_seq, 1, "the submission was the stream's only event");
    assert_eq!(transition(&row, 1, true).await.expect("commits"), row.revision + 1);
    assert_eq!(last_seq().await, slot.seq, "written at the slot");

    // Another stream's event since the read: on SQLite it took the seq the slot foresaw, so the
    // script writes nothing and the act commits the locked way after it; on PostgreSQL the
    // slot's seq was the sequence's, still free, and the act is written there.
    let row = store.case_for_act(id).await.expect("read");
    let slot = row.append_slot.clone().expect("a slot");
    let other = EventDraft::new("test:other", city.clerk.label(), "case.note", json!({"n": 0}));
    let other = store.record(&other, t.app.now()).await.expect("an event on another stream");
    assert_eq!(transition(&row, 0, true).await.expect("commits"), row.revision + 1);
    let ours = last_seq().await;
    match t.db.db {
        Db::Sqlite => assert_eq!((other.seq, ours), (slot.seq, slot.seq + 1), "after the other"),
        Db::Postgres => assert_eq!(ours, slot.seq, "at the slot"),
    }

    // The stream moved: an event without a new revision between the read and the write.
    let row = store.case_for_act(id).await.expect("read");
    store.record(&act(2), t.app.now()).await.expect("an event on the case's stream");
    assert_eq!(transition(&row, 3, true).await.expect("commits after it"), row.revision + 1);
    let events = store.stream_events(&stream).await.expect("events");
    let notes: Vec<Value> = events.iter().skip(1).map(|e| serde_json::from_str(&e.payload).expect("json")).collect();
    assert_eq!(notes, [1, 0, 2, 3].map(|n| json!({"n": n})).to_vec(), "in commit order");
    if let Some(slot) = &row.append_slot {
        assert_ne!(events.last().expect("event").seq, slot.seq, "not at the stale slot");
    }

    // The case moved: the act read before it is refused and writes nothing.
    let stale = store.case_for_act(id).await.expect("read");
    let fresh = store.case_for_act(id).await.expect("read");
    transition(&fresh, 4, true).await.expect("commits");
    let before = count(&raw, "SELECT COUNT(*) FROM audit_events").await;
    for slot in [true, false] {
        match transition(&stale, 5, slot).await {
            Err(store::StoreError::Conflict(status)) => assert_eq!(status, stale.columns.status),
            other => panic!("a stale revision must conflict: {other:?}"),
        }
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events").await, before, "nothing written");
    assert_eq!(store.case(id).await.expect("row").revision, fresh.revision + 1);

    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(an_act_whose_stream_moved, an_act_whose_stream_moved_since_its_read);

/// An act's one-call write that fails half way (its event's place in the stream taken by a row
/// the head does not cover, planted here: the case update and the head move succeed, the insert
/// fails) leaves nothing of the act written and the writer usable: on SQLite the script began a
/// transaction, which is rolled back before its connection goes back to the pool.
async fn a_write_that_fails_half_way_leaves_nothing(db: Db) {
    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};

    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
    let id = submitted.expect("submit").view.case.id;
    let stream = format!("case:{id}");
    let store = &t.app.store;
    let row = store.case_for_act(id).await.expect("read");
    let slot = row.append_slot.clone().expect("a slot");
    // Below every seq, so that the script's check of the next seq still holds.
    sqlx::query(
        "INSERT INTO audit_events (seq, stream, stream_seq, at_ms, actor, act, division_code, payload, prev_hash, hash) \
         VALUES (-1, $1, $2, 0, 'test', 'case.note', NULL, '{}', $3, $3)",
    )
    .bind(&stream)
    .bind(slot.head_stream_seq + 1)
    .bind("0".repeat(64))
    .execute(&raw)
    .await
    .expect("a planted row at the slot's place");
    let act = CaseAct {
        id,
        expected_revision: row.revision,
        before: &row.columns,
        columns: &row.columns,
        state: &row.state,
        key: None,
    };
    let event = EventDraft::new(&stream, city.clerk.label(), "case.note", json!({"n": 1}));
    let written = store.transition_case(&act, &[event], t.app.now(), Some(&slot)).await;
    assert!(written.is_err(), "the place is taken both ways: {written:?}");
    assert_eq!(store.case(id).await.expect("row").revision, row.revision, "the case update undone");
    let head: i64 = sqlx::query_scalar("SELECT head_stream_seq FROM audit_streams WHERE stream = $1")
        .bind(&stream)
        .fetch_one(&raw)
        .await
        .expect("head");
    assert_eq!(head, slot.head_stream_seq, "the head move undone");
    // The writer is not left inside a transaction: the next write commits.
    let other = EventDraft::new("test:other", city.clerk.label(), "case.note", json!({"n": 2}));
    store.record(&other, t.app.now()).await.expect("the next write commits");
    let again = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
    again.expect("and the next submission");
}
on_both!(a_write_that_fails_half_way, a_write_that_fails_half_way_leaves_nothing);

/// An act keeps the connection of its read for its write (PostgreSQL; one pool checkout per
/// act). Every connection of the acts' pool held by a read, one more read waits; it gets a
/// connection when a held act writes, and another when a read row is dropped unused (a refused
/// act). If either kept its connection the waiting read would fail at the pool's timeout.
async fn acts_give_their_connection_back(db: Db) {
    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};

    let t = test_app(db).await;
    let city = city_staff(&t).await;
    let store = &t.app.store;
    let held = store::ACT_CONNECTIONS as usize;
    let mut ids = Vec::new();
    for _ in 0..held + 2 {
        let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        ids.push(submitted.expect("submit").view.case.id);
    }
    let mut rows = Vec::new();
    for id in &ids[..held] {
        rows.push(store.case_for_act(*id).await.expect("read"));
    }
    let waiting = {
        let (store, id) = (store.clone(), ids[held]);
        tokio::spawn(async move { store.case_for_act(id).await })
    };
    // A held act writes: its connection goes back, and the waiting read gets it.
    let first = rows.remove(0);
    let event = EventDraft::new(format!("case:{}", first.id), city.clerk.label(), "case.note", json!({"n": 1}));
    let act = CaseAct {
        id: first.id,
        expected_revision: first.revision,
        before: &first.columns,
        columns: &first.columns,
        state: &first.state,
        key: None,
    };
    let written = store.transition_case(&act, &[event], t.app.now(), first.append_slot.as_ref()).await;
    assert_eq!(written.expect("commits"), first.revision + 1);
    let next = waiting.await.expect("task").expect("the waiting read gets the written act's connection");
    assert_eq!(next.id, ids[held]);
    // A read row dropped unused gives its connection back too.
    drop(rows.pop());
    let last = store.case_for_act(ids[held + 1]).await.expect("the dropped row's connection");
    assert_eq!(last.id, ids[held + 1]);
    assert_eq!(store.case(first.id).await.expect("row").revision, first.revision + 1, "the write landed");
}
on_both!(acts_give_their_connection_back, acts_give_their_connection_back);

/// Group commit: acts committed together in one transaction (`Store::commit_together`, the
/// writer's unit of work), two of them refused — one at a stale revision, one because an act
/// before it in the same batch moved its case. Each refused act writes nothing (not its case,
/// not its event, not its idempotency key); its neighbours, before and after it, commit, and
/// every stream stays one chain.
async fn a_refused_act_in_a_batch_leaves_its_neighbours_committed(db: Db) {
    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
    use store::group_commit::QueuedAct;
    use store::verticals::{ActConflict, ActError};

    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let store = &t.app.store;
    let mut rows = Vec::new();
    for _ in 0..3 {
        let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        rows.push(store.case(submitted.expect("submit").view.case.id).await.expect("row"));
    }
    let events_before = count(&raw, "SELECT COUNT(*) FROM audit_events").await;
    let at = t.app.now();
    let queued = |row: &store::cases::CaseRow, revision: i64, n: i64, key: Option<&str>| {
        let event = EventDraft::new(format!("case:{}", row.id), city.clerk.label(), "case.note", json!({"n": n}));
        let act = CaseAct {
            id: row.id,
            expected_revision: revision,
            before: &row.columns,
            columns: &row.columns,
            state: &row.state,
            key: key.map(|key| store::cases::ActKey { key, account_id: city.clerk.account_id, fingerprint: "f" }),
        };
        QueuedAct::new(&act, &[], Box::new(move |_: &store::verticals::EffectOutput| vec![event]), at, None)
    };
    let (a, b, c) = (&rows[0], &rows[1], &rows[2]);
    let answers = store
        .commit_together(vec![
            queued(a, a.revision, 1, Some("key-a")),
            queued(b, b.revision, 2, None),
            // The act before it in this batch moved case b.
            queued(b, b.revision, 3, Some("key-refused")),
            // Stale since before the batch.
            queued(c, c.revision - 1, 4, None),
            queued(c, c.revision, 5, None),
        ])
        .await;
    let outcome: Vec<Result<(), String>> = answers
        .into_iter()
        .map(|answer| match answer {
            Ok(_) => Ok(()),
            Err(ActError::Conflict(ActConflict::Revision { status })) => Err(status),
            Err(other) => panic!("only revision conflicts expected: {other:?}"),
        })
        .collect();
    let status = b.columns.status.clone();
    assert_eq!(outcome, vec![Ok(()), Ok(()), Err(status.clone()), Err(status), Ok(())]);
    for row in [a, b, c] {
        assert_eq!(store.case(row.id).await.expect("row").revision, row.revision + 1, "case {}", row.id);
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events").await, events_before + 3, "the three that committed");
    // Each stream: its submission, then only the note of the act that committed.
    for (row, n) in [(a, 1), (b, 2), (c, 5)] {
        let events = store.stream_events(&format!("case:{}", row.id)).await.expect("events");
        let notes: Vec<Value> =
            events.iter().skip(1).map(|e| serde_json::from_str(&e.payload).expect("json")).collect();
        assert_eq!(notes, vec![json!({"n": n})], "case {}", row.id);
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM case_act_keys WHERE key = 'key-a'").await, 1);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM case_act_keys WHERE key = 'key-refused'").await, 0);
    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(a_refused_act_in_a_batch, a_refused_act_in_a_batch_leaves_its_neighbours_committed);

/// Group commit with each act's read slot (PostgreSQL: an act without effects is one statement
/// in the batch): an act whose stream moved since its read (an event without a new revision)
/// is written after the new head, not at its stale place, and its neighbours still commit; an
/// act at a stale revision is refused and writes nothing, and the act after it on the same case
/// commits; an act with a key is written with its key.
async fn acts_in_a_batch_written_at_their_read_slot(db: Db) {
    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
    use store::group_commit::QueuedAct;
    use store::verticals::{ActConflict, ActError};

    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let store = &t.app.store;
    let mut rows = Vec::new();
    for _ in 0..3 {
        let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        rows.push(store.case_for_act(submitted.expect("submit").view.case.id).await.expect("row"));
    }
    assert!(rows.iter().all(|row| row.append_slot.is_some()), "slots on both backends");
    let note = |row: &store::cases::CaseRow, n: i64| {
        EventDraft::new(format!("case:{}", row.id), city.clerk.label(), "case.note", json!({"n": n}))
    };
    // Case b's stream moves after its read.
    store.record(&note(&rows[1], 0), t.app.now()).await.expect("an event on b's stream");
    let events_before = count(&raw, "SELECT COUNT(*) FROM audit_events").await;
    let at = t.app.now();
    let queued = |row: &store::cases::CaseRow, revision: i64, n: i64, key: Option<&str>| {
        let event = note(row, n);
        let act = CaseAct {
            id: row.id,
            expected_revision: revision,
            before: &row.columns,
            columns: &row.columns,
            state: &row.state,
            key: key.map(|key| store::cases::ActKey { key, account_id: city.clerk.account_id, fingerprint: "f" }),
        };
        let events = Box::new(move |_: &store::verticals::EffectOutput| vec![event]);
        QueuedAct::new(&act, &[], events, at, row.append_slot.as_ref())
    };
    let (a, b, c) = (&rows[0], &rows[1], &rows[2]);
    let answers = store
        .commit_together(vec![
            queued(a, a.revision, 1, None),
            queued(b, b.revision, 2, None),
            queued(c, c.revision - 1, 3, None),
            queued(c, c.revision, 4, Some("key-c")),
        ])
        .await;
    let outcome: Vec<Result<(), String>> = answers
        .into_iter()
        .map(|answer| match answer {
            Ok(_) => Ok(()),
            Err(ActError::Conflict(ActConflict::Revision { status })) => Err(status),
            Err(other) => panic!("only revision conflicts expected: {other:?}"),
        })
        .collect();
    assert_eq!(outcome, vec![Ok(()), Ok(()), Err(c.columns.status.clone()), Ok(())]);
    for row in [a, b, c] {
        assert_eq!(store.case(row.id).await.expect("row").revision, row.revision + 1, "case {}", row.id);
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events").await, events_before + 3, "the three that committed");
    for (row, notes) in [(a, vec![1]), (b, vec![0, 2]), (c, vec![4])] {
        let events = store.stream_events(&format!("case:{}", row.id)).await.expect("events");
        let written: Vec<Value> =
            events.iter().skip(1).map(|e| serde_json::from_str(&e.payload).expect("json")).collect();
        let expected: Vec<Value> = notes.into_iter().map(|n| json!({"n": n})).collect();
        assert_eq!(written, expected, "case {}", row.id);
    }
    // On SQLite the batch's script seals at the seq after the last, read inside the batch.
    if let (Some(slot), Db::Postgres) = (&a.append_slot, t.db.db) {
        let events = store.stream_events(&format!("case:{}", a.id)).await.expect("events");
        assert_eq!(events.last().expect("event").seq, slot.seq, "a: written at its read's slot");
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM case_act_keys WHERE key = 'key-c'").await, 1);
    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(acts_in_a_batch_at_their_slot, acts_in_a_batch_written_at_their_read_slot);

/// The plain acts of a batch with their reads' slots are written together by one call: the
/// first act of the batch on each case, without a key. An act it finds at a stale revision
/// writes nothing there and is refused alone; a later act on a case the call wrote sees the new
/// revision (refused here); an act after a refused one on the same case, and an act with a key,
/// go the locked way and commit. In a second batch, an act whose stream moved since its read writes
/// nothing there and commits after the new head. On PostgreSQL the call is one statement for
/// the batch, and that stream fails it for every act; on SQLite it is one call per act, and only
/// the act whose stream moved goes the locked way. No seq is skipped.
async fn plain_acts_of_a_batch_in_one_statement(db: Db) {
    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
    use store::group_commit::QueuedAct;
    use store::verticals::{ActConflict, ActError};

    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let store = &t.app.store;
    let mut rows = Vec::new();
    for _ in 0..9 {
        let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        rows.push(store.case_for_act(submitted.expect("submit").view.case.id).await.expect("row"));
    }
    let note = |row: &store::cases::CaseRow, n: i64| {
        EventDraft::new(format!("case:{}", row.id), city.clerk.label(), "case.note", json!({"n": n}))
    };
    let at = t.app.now();
    let queued = |row: &store::cases::CaseRow, revision: i64, n: i64, key: Option<&str>| {
        let event = note(row, n);
        let mut columns = row.columns.clone();
        // A changed column (and one left as read): the statement writes the act's columns.
        columns.step = Some(format!("step-{n}"));
        let act = CaseAct {
            id: row.id,
            expected_revision: revision,
            before: &row.columns,
            columns: &columns,
            state: &row.state,
            key: key.map(|key| store::cases::ActKey { key, account_id: city.clerk.account_id, fingerprint: "f" }),
        };
        let events = Box::new(move |_: &store::verticals::EffectOutput| vec![event]);
        QueuedAct::new(&act, &[], events, at, row.append_slot.as_ref())
    };
    let outcome = |answers: Vec<Result<store::verticals::EffectOutput, ActError>>| -> Vec<Result<(), String>> {
        answers
            .into_iter()
            .map(|answer| match answer {
                Ok(_) => Ok(()),
                Err(ActError::Conflict(ActConflict::Revision { status })) => Err(status),
                Err(other) => panic!("only revision conflicts expected: {other:?}"),
            })
            .collect()
    };
    let (a, b, c, d) = (&rows[0], &rows[1], &rows[2], &rows[3]);
    let events_before = count(&raw, "SELECT COUNT(*) FROM audit_events").await;
    let before = store.group_commit_stats();
    let answers = store
        .commit_together(vec![
            queued(a, a.revision, 1, None),
            queued(b, b.revision - 1, 2, None),
            queued(b, b.revision, 3, None),
            queued(c, c.revision, 4, Some("key-c")),
            queued(d, d.revision, 5, None),
            queued(a, a.revision, 6, None),
        ])
        .await;
    let status = |row: &store::cases::CaseRow| Err(row.columns.status.clone());
    assert_eq!(outcome(answers), vec![Ok(()), status(b), Ok(()), Ok(()), Ok(()), status(a)]);
    let together = store.group_commit_stats().in_one_statement - before.in_one_statement;
    assert_eq!(together, 2, "a and d by the batch's call");
    for (row, n) in [(a, 1), (b, 3), (c, 4), (d, 5)] {
        let now = store.case(row.id).await.expect("row");
        assert_eq!(now.revision, row.revision + 1, "case {}", row.id);
        assert_eq!(now.columns.step, Some(format!("step-{n}")), "case {}: the act's columns", row.id);
        assert_eq!(now.columns.status, row.columns.status, "case {}: the column it left", row.id);
        let events = store.stream_events(&format!("case:{}", row.id)).await.expect("events");
        let written: Vec<Value> =
            events.iter().skip(1).map(|e| serde_json::from_str(&e.payload).expect("json")).collect();
        assert_eq!(written, vec![json!({"n": n})], "case {}", row.id);
        if let (Some(slot), 1 | 5, Db::Postgres) = (&row.append_slot, n, db) {
            assert_eq!(events.last().expect("event").seq, slot.seq, "case {}: at its read's slot", row.id);
        }
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events").await, events_before + 4, "the four that committed");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM case_act_keys WHERE key = 'key-c'").await, 1);

    // A stream that moved since its read: nothing by the statement, every act after its head.
    let (e, f) = (&rows[4], &rows[5]);
    store.record(&note(e, 0), t.app.now()).await.expect("an event on e's stream");
    let before = store.group_commit_stats();
    let answers = store.commit_together(vec![queued(e, e.revision, 7, None), queued(f, f.revision, 8, None)]).await;
    assert_eq!(outcome(answers), vec![Ok(()), Ok(())]);
    let together = store.group_commit_stats().in_one_statement - before.in_one_statement;
    assert_eq!(together, if db == Db::Postgres { 0 } else { 1 }, "PostgreSQL: the statement wrote nothing; SQLite: f");
    for (row, notes) in [(e, vec![0, 7]), (f, vec![8])] {
        let events = store.stream_events(&format!("case:{}", row.id)).await.expect("events");
        let written: Vec<Value> =
            events.iter().skip(1).map(|e| serde_json::from_str(&e.payload).expect("json")).collect();
        let expected: Vec<Value> = notes.into_iter().map(|n| json!({"n": n})).collect();
        assert_eq!(written, expected, "case {}", row.id);
    }

    // Every act of the batch plain with its slot: on PostgreSQL the statement runs alone,
    // autocommitted, and writes the fresh ones; the act it finds at a stale revision is refused
    // after it, the locked way, and writes nothing.
    let (g, h, i) = (&rows[6], &rows[7], &rows[8]);
    let before = store.group_commit_stats();
    let events_before = count(&raw, "SELECT COUNT(*) FROM audit_events").await;
    let answers = store
        .commit_together(vec![
            queued(g, g.revision, 9, None),
            queued(h, h.revision - 1, 10, None),
            queued(i, i.revision, 11, None),
        ])
        .await;
    assert_eq!(outcome(answers), vec![Ok(()), status(h), Ok(())]);
    let together = store.group_commit_stats().in_one_statement - before.in_one_statement;
    assert_eq!(together, 2, "g and i by the call");
    for (row, notes, moved) in [(g, vec![9], 1), (h, vec![], 0), (i, vec![11], 1)] {
        assert_eq!(store.case(row.id).await.expect("row").revision, row.revision + moved, "case {}", row.id);
        let events = store.stream_events(&format!("case:{}", row.id)).await.expect("events");
        let written: Vec<Value> =
            events.iter().skip(1).map(|e| serde_json::from_str(&e.payload).expect("json")).collect();
        let expected: Vec<Value> = notes.into_iter().map(|n| json!({"n": n})).collect();
        assert_eq!(written, expected, "case {}", row.id);
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events").await, events_before + 2, "the two that committed");
    // A batch of fresh acts only: all of them by the one call.
    let (j, k) = (&rows[2], &rows[3]);
    let (j, k) = (store.case_for_act(j.id).await.expect("row"), store.case_for_act(k.id).await.expect("row"));
    let before = store.group_commit_stats();
    let answers = store.commit_together(vec![queued(&j, j.revision, 12, None), queued(&k, k.revision, 13, None)]).await;
    assert_eq!(outcome(answers), vec![Ok(()), Ok(())]);
    assert_eq!(store.group_commit_stats().in_one_statement - before.in_one_statement, 2, "both by the call");
    if db == Db::Sqlite {
        let gaps = count(&raw, "SELECT MAX(seq) - COUNT(*) - MIN(seq) + 1 FROM audit_events").await;
        assert_eq!(gaps, 0, "SQLite: no seq skipped by a refused act");
    }
    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(plain_acts_of_a_batch_together, plain_acts_of_a_batch_in_one_statement);

/// PostgreSQL: the statement that writes a batch's plain acts reads their cases and streams by
/// their primary keys. The planner counts 100 rows for the acts' JSON whatever it holds; joined
/// to them alone, a table of a thousand cases was read whole into a hash at every batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pg_plain_acts_statement_reads_by_key() {
    if test_support::pg_url().is_none() {
        return;
    }
    let t = test_app(Db::Postgres).await;
    let now = t.app.now();
    let cases: Vec<store::generated::GeneratedCase> = (0..1000)
        .map(|_| store::generated::GeneratedCase {
            columns: crate::submitted_columns(now),
            number_division: "511702".into(),
            number_year: 2021,
            revision: 1,
            updated_at: now,
            build: Box::new(move |id, number| {
                let event = EventDraft::new(format!("case:{id}"), "system", "case.test", json!({"number": number}));
                (json!({"id": id, "number": number}).to_string(), vec![(event, now)])
            }),
        })
        .collect();
    t.app.store.insert_generated_cases(&cases).await.expect("a thousand cases");
    let raw = t.db.raw().await;
    sqlx::query("ANALYZE cases, audit_streams").execute(&raw).await.expect("analyze");
    let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {}", store::pg_plain_acts_statement()))
        .bind("[]")
        .fetch_all(&raw)
        .await
        .expect("the statement's plan");
    let plan = plan.join("\n");
    assert!(!plan.contains("Seq Scan on cases") && !plan.contains("Seq Scan on audit_streams"), "{plan}");
    assert!(plan.contains("cases_pkey") && plan.contains("audit_streams_pkey"), "{plan}");
}

/// Submissions at once share the writer's transactions (on SQLite: group commit; on
/// PostgreSQL each is its own): every new case gets its own number (on SQLite consecutive from
/// the first); a key sent by several at once creates one case and the others replay it; a
/// submission refused by the store (an event outside its case's stream) writes nothing (on
/// SQLite not even its number) and its neighbours commit; the record is one valid chain.
async fn submissions_at_once_share_the_writer(db: Db) {
    const AT_ONCE: usize = 16;
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let store = t.app.store.clone();
    let before = store.group_commit_stats();
    let barrier = Arc::new(Barrier::new(AT_ONCE));
    let mut tasks = Vec::new();
    for task in 0..AT_ONCE {
        let (store, barrier, now) = (store.clone(), barrier.clone(), t.app.now());
        tasks.push(tokio::spawn(async move {
            let columns = crate::submitted_columns(now);
            // Tasks 12 to 15 send one key; task 3 is refused.
            let key = if task >= 12 { "same-key".to_string() } else { format!("key-{task}") };
            let new = store::cases::NewCase {
                columns,
                number_division: "511702",
                number_year: 2021,
                idempotency_key: Some(&key),
                idempotency_binding: None,
            };
            barrier.wait().await;
            store
                .create_case(
                    &new,
                    now,
                    |id, number| json!({"id": id, "number": number}).to_string(),
                    move |id, number| {
                        let stream = if task == 3 { "person:1".to_string() } else { format!("case:{id}") };
                        vec![EventDraft::new(stream, "system", "case.test", json!({"number": number}))]
                    },
                )
                .await
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    assert!(matches!(answers[3], Err(store::StoreError::Invalid(_))), "{:?}", answers[3]);
    let created: Vec<&(i64, String, bool)> = answers.iter().filter_map(|a| a.as_ref().ok()).filter(|a| a.2).collect();
    assert_eq!(created.len(), 12, "11 own keys and one of the shared key");
    let mut numbers: Vec<&str> = created.iter().map(|a| a.1.as_str()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 12, "each its own number");
    // SQLite numbers under its one write lock, in the case's transaction: no gap. PostgreSQL
    // takes the number in a short transaction of its own (a refused or racing submission
    // leaves a gap, never a number given twice).
    if db == Db::Sqlite {
        let expected: Vec<String> = (1..=12).map(|n| format!("511702-2021-{n:06}")).collect();
        assert_eq!(numbers, expected, "consecutive, none taken by the refused one");
    }
    // SQLite replays the key under its write lock; on PostgreSQL a submission racing the one
    // that took it may hear `Conflict` instead (the service then replays).
    let shared: Vec<&(i64, String, bool)> = answers[12..]
        .iter()
        .filter_map(|a| match a {
            Err(store::StoreError::Conflict(what)) if db == Db::Postgres && what == "idempotency_key" => None,
            other => Some(other.as_ref().expect("shared key")),
        })
        .collect();
    assert!(shared.iter().all(|a| (a.0, &a.1) == (shared[0].0, &shared[0].1)), "one case for the shared key");
    assert_eq!(shared.iter().filter(|a| a.2).count(), 1, "created once, the others replayed");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM cases").await, 12);
    let after = store.group_commit_stats();
    if db == Db::Sqlite {
        assert_eq!(after.submissions - before.submissions, AT_ONCE as u64, "every submission by the writer");
        assert!(after.batches - before.batches < AT_ONCE as u64, "some shared a commit");
    }
    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(submissions_at_once_share_the_writer, submissions_at_once_share_the_writer);

/// N clients act at once on N cases, three acts each, through `App::act_on_case` as the server
/// calls it (each act goes to the group commit's writer): every act commits, each case moves
/// exactly three revisions with one event per act, and the record is one valid chain.
async fn concurrent_acts_all_commit_with_one_valid_chain(db: Db) {
    use domain::engine::action::{Action, Verdict};

    use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};

    const CLIENTS: usize = 16;
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let mut ids = Vec::new();
    for _ in 0..CLIENTS {
        let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
        ids.push(submitted.expect("submit").view.case.id);
    }
    let stats_before = t.app.store.group_commit_stats();
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let mut tasks = Vec::new();
    for id in ids.clone() {
        let (app, barrier) = (t.app.clone(), barrier.clone());
        let (clerk, reviewer, decider) = (city.clerk.clone(), city.reviewer.clone(), city.decider.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let acts = [
                (&clerk, Action::Accept),
                (&reviewer, Action::Review { verdict: Verdict::Approve, opinion: "同意".into() }),
                (&decider, Action::Decide { grant: true, reasons: String::new(), basis: String::new() }),
            ];
            for (actor, action) in &acts {
                app.act_on_case(actor, id, None, action).await.unwrap_or_else(|e| panic!("{action:?} on {id}: {e}"));
            }
        }));
    }
    for task in tasks {
        task.await.expect("client");
    }
    let stats = t.app.store.group_commit_stats();
    eprintln!("{db:?}: group commit {stats_before:?} -> {stats:?}");
    assert_eq!(stats.acts - stats_before.acts, (CLIENTS * 3) as u64, "every act went through the writer");
    for id in &ids {
        let row = t.app.store.case(*id).await.expect("row");
        assert_eq!(row.revision, 4, "case {id}: submitted, then three acts");
        assert_eq!(acts_of(&t.app, *id).await.len(), 4, "case {id}: one event per act");
    }
    assert_streams_contiguous(&raw).await;
    t.app.verify_record().await.expect("verification runs").expect("one valid chain");
}
on_both!(concurrent_acts_all_commit, concurrent_acts_all_commit_with_one_valid_chain);

/// Plain reads run on connections checked out without a ping on return: a read whose caller
/// stopped waiting part way, or whose statement failed, must not hand its connection on with
/// an answer still pending. Many reads of different keys, half of them dropped at once after
/// they start, then every key read again: each answer is its own key's value.
async fn reads_dropped_part_way_leave_no_answer_behind(db: Db) {
    let t = test_app(db).await;
    let store = t.app.store.clone();
    const KEYS: usize = 40;
    for k in 0..KEYS {
        store.set_meta(&format!("read-check:{k}"), &format!("value {k}")).await.expect("set");
    }
    for round in 0..5u64 {
        let mut tasks = Vec::new();
        for k in 0..KEYS {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let key = format!("read-check:{k}");
                let read = store.meta(&key);
                if k % 2 == 0 {
                    // Stopped after its first poll or a few microseconds in: dropped part way.
                    let _ = tokio::time::timeout(std::time::Duration::from_micros(round * 20), read).await;
                    None
                } else {
                    Some((k, read.await.expect("read")))
                }
            }));
        }
        for task in tasks {
            if let Some((k, value)) = task.await.expect("task") {
                assert_eq!(value, Some(format!("value {k}")), "round {round}");
            }
        }
    }
    // A read that finds nothing gives its connection back clean too.
    assert!(store.case(i64::MAX).await.is_err());
    for k in 0..KEYS {
        assert_eq!(store.meta(&format!("read-check:{k}")).await.expect("read"), Some(format!("value {k}")));
    }
}
on_both!(reads_dropped_part_way, reads_dropped_part_way_leave_no_answer_behind);
