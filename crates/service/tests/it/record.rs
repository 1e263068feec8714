//! Tamper detection through the real database: each test builds the same record, changes the
//! database behind the store's back with raw SQL, and expects `verify_record` to name the
//! kind of break and the sequence number where it is.

use domain::audit::{Break, EventDraft, Verifier, VerifyReport};
use serde_json::{json, Value};
use service::App;
use sqlx::AnyPool;
use store::audit::verify_lines;
use test_support::{on_both, Db, TestApp};

use crate::{count, id_number, person_input, test_app};

/// A record of several matters: three accounts, two persons (created, read, read in full),
/// four cases, and four checkpoints (one by `init`), with two events after the last one.
struct Built {
    t: TestApp,
    raw: AnyPool,
    /// The events the record holds, counted as they were made.
    events: u64,
    streams: u64,
    /// The newest checkpoint's number (the one in the signed file).
    last_checkpoint: i64,
}

impl Built {
    fn app(&self) -> &App {
        &self.t.app
    }

    /// The seq of a stream's `n`-th event (1-based).
    async fn seq_of(&self, stream: &str, n: usize) -> i64 {
        let events = self.app().store.stream_events(stream).await.expect("stream events");
        events.get(n - 1).unwrap_or_else(|| panic!("{stream} has no event #{n}")).seq
    }

    async fn seqs(&self, stream: &str) -> Vec<i64> {
        self.app().store.stream_events(stream).await.expect("stream events").iter().map(|e| e.seq).collect()
    }

    async fn max_seq(&self) -> i64 {
        sqlx::query_scalar("SELECT MAX(seq) FROM audit_events").fetch_one(&self.raw).await.expect("max seq")
    }

    async fn exec(&self, sql: &str, binds: &[i64]) -> u64 {
        let mut query = sqlx::query(sql);
        for b in binds {
            query = query.bind(*b);
        }
        query.execute(&self.raw).await.unwrap_or_else(|e| panic!("{sql}: {e}")).rows_affected()
    }

    /// The break `verify_record` must find.
    async fn broken(&self) -> Break {
        self.app().verify_record().await.expect("verification runs").expect_err("the tampering must be detected")
    }

    /// Verification without the checkpoint chain: only the stream table's heads and the
    /// events. Used to show that a careful attacker fooled those, so the checkpoints are what
    /// catches the attack.
    async fn verify_without_checkpoints(&self) -> Result<VerifyReport, Break> {
        let mut verifier = Verifier::new();
        for head in self.app().store.stream_heads().await.expect("heads") {
            verifier.expect_head(&head);
        }
        for event in self.app().store.events_after(0, i64::MAX).await.expect("events") {
            verifier.push(&event);
        }
        verifier.finish()
    }

    /// What a careful attacker does after deleting events: points every stream's head at its
    /// last surviving event and removes the streams left empty.
    async fn reset_heads_to_surviving_events(&self) {
        let streams: Vec<String> =
            sqlx::query_scalar("SELECT stream FROM audit_streams").fetch_all(&self.raw).await.expect("streams");
        for stream in streams {
            let events = self.app().store.stream_events(&stream).await.expect("stream events");
            match events.last() {
                Some(last) => {
                    sqlx::query(
                        "UPDATE audit_streams SET head_stream_seq = $1, head_seq = $2, \
                         head_hash = (SELECT hash FROM audit_events WHERE seq = $2), checkpointed_stream_seq = $1 \
                         WHERE stream = $3",
                    )
                    .bind(last.stream_seq)
                    .bind(last.seq)
                    .bind(&stream)
                    .execute(&self.raw)
                    .await
                    .expect("reset head");
                }
                None => {
                    sqlx::query("DELETE FROM audit_streams WHERE stream = $1")
                        .bind(&stream)
                        .execute(&self.raw)
                        .await
                        .expect("drop stream row");
                }
            }
        }
    }
}

async fn note(app: &App, stream: &str, n: i64) {
    let draft =
        EventDraft::new(stream, "account:2:clerk702", "case.note", json!({"n": n, "note": format!("第{n}次办理意见")}))
            .in_division("511702");
    app.store.record(&draft, app.now()).await.expect("record an event");
}

async fn checkpoint(app: &App) -> i64 {
    app.checkpoint().await.expect("checkpoint").expect("something moved since the last checkpoint").no
}

async fn build(db: Db) -> Built {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let app = t.app.clone();
    // `init`: account.create of the first administrator and one catalog.version per item version.
    let mut events = app.store.event_count().await.expect("count") as u64;
    let init_streams = count(&raw, "SELECT COUNT(*) FROM audit_streams").await as u64;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let other = t.staff("clerk703", "clerk", "511703").await;
    events += 2;
    let p1 = person_input("张三", &id_number("511702", "19400101", 170), Some("13812345678"), "511702001");
    let p1 = app.create_person(&clerk, &p1).await.expect("person 1");
    let p2 = person_input("李四", &id_number("511703", "20101231", 154), None, "511703");
    let p2 = app.create_person(&other, &p2).await.expect("person 2");
    events += 2;
    for n in 1..=4 {
        note(&app, "case:1", n).await;
        note(&app, "case:2", n).await;
        events += 2;
    }
    checkpoint(&app).await;
    app.person(&clerk, p1.id).await.expect("read");
    app.person_full(&clerk, p1.id).await.expect("read in full");
    events += 2;
    for n in 5..=8 {
        note(&app, "case:1", n).await;
        note(&app, "case:3", n).await;
        events += 2;
    }
    app.person(&other, p2.id).await.expect("read");
    events += 1;
    checkpoint(&app).await;
    note(&app, "case:1", 9).await;
    note(&app, "case:1", 10).await;
    note(&app, "case:3", 9).await;
    events += 3;
    let last_checkpoint = checkpoint(&app).await;
    assert_eq!(last_checkpoint, 4, "init writes checkpoint 1");
    // Acts after the newest checkpoint: only the stream table knows their heads.
    note(&app, "case:2", 5).await;
    note(&app, "case:4", 1).await;
    events += 2;
    // init's streams (account:1, item:*), account:2..3, person ×2, case:1..4
    Built { t, raw, events, streams: init_streams + 8, last_checkpoint }
}

async fn untouched_record_verifies(db: Db) {
    let b = build(db).await;
    let report = b.app().verify_record().await.expect("verification runs").expect("an untouched record verifies");
    assert_eq!(report.events, b.events);
    assert_eq!(report.streams, b.streams);
    assert_eq!(b.app().store.event_count().await.expect("count"), b.events as i64);
    let file = b.app().checkpoint_file.clone().expect("the test app publishes checkpoints");
    assert_eq!(file, b.t.db.dir().join("checkpoint.json"));
    let signed = service::audit::read_checkpoint_file(&file).expect("file").expect("App::checkpoint wrote the file");
    assert_eq!(signed.no, b.last_checkpoint);
    assert!(signed.signature_valid());
    // Still valid after more acts and another checkpoint.
    note(b.app(), "case:1", 11).await;
    assert_eq!(checkpoint(b.app()).await, b.last_checkpoint + 1);
    let report = b.app().verify_record().await.expect("verification runs").expect("still verifies");
    assert_eq!(report.events, b.events + 1);
}
on_both!(untouched_record_verifies, untouched_record_verifies);

async fn edited_payload_is_found_at_its_seq(db: Db) {
    let b = build(db).await;
    let seq = b.seq_of("case:1", 3).await;
    let changed = sqlx::query("UPDATE audit_events SET payload = $1 WHERE seq = $2")
        .bind(r#"{"n":3,"note":"不予受理"}"#)
        .bind(seq)
        .execute(&b.raw)
        .await
        .expect("tamper")
        .rows_affected();
    assert_eq!(changed, 1);
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("edited", seq), "{brk}");
}
on_both!(edited_payload_is_found_at_its_seq, edited_payload_is_found_at_its_seq);

async fn edited_last_event_of_a_stream_is_found(db: Db) {
    // The head of case:2, after the newest checkpoint: nothing follows it in its stream.
    let b = build(db).await;
    let seq = b.seq_of("case:2", 5).await;
    assert_eq!(b.exec("UPDATE audit_events SET actor = 'account:9:intruder' WHERE seq = $1", &[seq]).await, 1);
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("edited", seq), "{brk}");
}
on_both!(edited_last_event_of_a_stream_is_found, edited_last_event_of_a_stream_is_found);

fn hex(hash: &[u8; 32]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

async fn edited_and_rehashed_stream_is_caught_by_the_checkpoint(db: Db) {
    // SM3 needs no key: an attacker can edit an event and rehash it and everything after it
    // in its stream, heads included. The checkpoints hold the old hashes.
    let b = build(db).await;
    let events = b.app().store.stream_events("case:1").await.expect("events");
    let mut prev = events[1].hash;
    for (i, original) in events.iter().enumerate().skip(2) {
        let mut event = original.clone();
        if i == 2 {
            event.payload = r#"{"n":3,"note":"不予受理"}"#.into();
        }
        event.prev_hash = prev;
        event.hash = event.computed_hash();
        prev = event.hash;
        sqlx::query("UPDATE audit_events SET payload = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(&event.payload)
            .bind(hex(&event.prev_hash))
            .bind(hex(&event.hash))
            .bind(event.seq)
            .execute(&b.raw)
            .await
            .expect("rewrite");
    }
    b.reset_heads_to_surviving_events().await;
    assert!(b.verify_without_checkpoints().await.is_ok(), "the rewritten stream is consistent in itself");
    // Checkpoint 2 saw case:1 at #4: the first head whose hash changed.
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("edited", events[3].seq), "{brk}");
}
on_both!(
    edited_and_rehashed_stream_is_caught_by_the_checkpoint,
    edited_and_rehashed_stream_is_caught_by_the_checkpoint
);

async fn deleted_event_is_missing_at_its_seq(db: Db) {
    let b = build(db).await;
    let seq = b.seq_of("case:1", 5).await;
    assert_eq!(b.exec("DELETE FROM audit_events WHERE seq = $1", &[seq]).await, 1);
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("missing", seq), "{brk}");
}
on_both!(deleted_event_is_missing_at_its_seq, deleted_event_is_missing_at_its_seq);

async fn swapped_events_are_out_of_order(db: Db) {
    let b = build(db).await;
    let (low, high) = (b.seq_of("case:1", 2).await, b.seq_of("case:1", 4).await);
    assert!(low < high);
    b.exec("UPDATE audit_events SET seq = -1 WHERE seq = $1", &[low]).await;
    b.exec("UPDATE audit_events SET seq = $1 WHERE seq = $2", &[low, high]).await;
    b.exec("UPDATE audit_events SET seq = $1 WHERE seq = -1", &[high]).await;
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("out_of_order", low), "{brk}");
}
on_both!(swapped_events_are_out_of_order, swapped_events_are_out_of_order);

async fn truncated_tail_is_missing_where_it_starts(db: Db) {
    let b = build(db).await;
    let first_cut = b.max_seq().await - 2;
    assert_eq!(b.exec("DELETE FROM audit_events WHERE seq >= $1", &[first_cut]).await, 3);
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("missing", first_cut), "{brk}");
}
on_both!(truncated_tail_is_missing_where_it_starts, truncated_tail_is_missing_where_it_starts);

async fn truncated_tail_with_heads_reset_is_caught_by_the_checkpoint(db: Db) {
    let b = build(db).await;
    // The last five events: case:1 #9 and #10 and case:3 #5 (all in the newest checkpoint),
    // then case:2 #5 and case:4 #1 (after it).
    let first_cut = b.seq_of("case:1", 9).await;
    assert_eq!(first_cut, b.max_seq().await - 4);
    assert_eq!(b.exec("DELETE FROM audit_events WHERE seq >= $1", &[first_cut]).await, 5);
    b.reset_heads_to_surviving_events().await;
    assert!(b.verify_without_checkpoints().await.is_ok(), "the heads were reset consistently");
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("missing", first_cut), "{brk}");
    assert!(matches!(brk, Break::TailMissing { .. }), "{brk:?}");
}
on_both!(
    truncated_tail_with_heads_reset_is_caught_by_the_checkpoint,
    truncated_tail_with_heads_reset_is_caught_by_the_checkpoint
);

async fn deleted_matter_is_caught_by_the_checkpoint(db: Db) {
    let b = build(db).await;
    let seqs = b.seqs("case:3").await;
    assert_eq!(seqs.len(), 5);
    let deleted = sqlx::query("DELETE FROM audit_events WHERE stream = $1")
        .bind("case:3")
        .execute(&b.raw)
        .await
        .expect("delete events")
        .rows_affected();
    assert_eq!(deleted, 5);
    let rows = sqlx::query("DELETE FROM audit_streams WHERE stream = $1")
        .bind("case:3")
        .execute(&b.raw)
        .await
        .expect("delete stream")
        .rows_affected();
    assert_eq!(rows, 1);
    assert!(b.verify_without_checkpoints().await.is_ok(), "events and heads alone look whole");
    let brk = b.broken().await;
    assert_eq!((brk.kind(), brk.seq()), ("missing", seqs[0]), "{brk}");
    assert!(matches!(&brk, Break::TailMissing { stream, found_stream_seq: 0, .. } if stream == "case:3"), "{brk:?}");
}
on_both!(deleted_matter_is_caught_by_the_checkpoint, deleted_matter_is_caught_by_the_checkpoint);

async fn deleted_newest_checkpoints_are_caught_by_the_signed_file(db: Db) {
    let b = build(db).await;
    let last = b.last_checkpoint;
    assert_eq!(b.exec("DELETE FROM audit_checkpoints WHERE no >= $1", &[last - 1]).await, 2);
    let brk = b.broken().await;
    assert!(matches!(brk, Break::Checkpoint { no, .. } if no == last), "{brk:?}");
    assert_eq!((brk.kind(), brk.seq()), ("checkpoint", last));
}
on_both!(
    deleted_newest_checkpoints_are_caught_by_the_signed_file,
    deleted_newest_checkpoints_are_caught_by_the_signed_file
);

async fn full_cover_up_is_caught_by_the_signed_file(db: Db) {
    // Tail cut, heads reset, and the checkpoint that saw the tail deleted: the database is
    // consistent with itself, only the signed checkpoint outside it tells.
    let b = build(db).await;
    let first_cut = b.seq_of("case:1", 9).await;
    b.exec("DELETE FROM audit_events WHERE seq >= $1", &[first_cut]).await;
    b.reset_heads_to_surviving_events().await;
    b.exec("DELETE FROM audit_checkpoints WHERE no = $1", &[b.last_checkpoint]).await;
    let inside = b.app().store.verify_record(None).await.expect("verification runs");
    assert!(inside.is_ok(), "without the file the cover-up is consistent: {inside:?}");
    let brk = b.broken().await;
    assert!(matches!(brk, Break::Checkpoint { no, .. } if no == b.last_checkpoint), "{brk:?}");
}
on_both!(full_cover_up_is_caught_by_the_signed_file, full_cover_up_is_caught_by_the_signed_file);

async fn edited_checkpoint_is_found(db: Db) {
    let b = build(db).await;
    assert_eq!(b.exec("UPDATE audit_checkpoints SET at_ms = at_ms + 1 WHERE no = $1", &[3]).await, 1);
    let brk = b.broken().await;
    assert!(matches!(brk, Break::Checkpoint { no: 3, .. }), "{brk:?}");
}
on_both!(edited_checkpoint_is_found, edited_checkpoint_is_found);

async fn export_verifies_on_its_own(db: Db) {
    let b = build(db).await;
    let mut out = Vec::new();
    let n = b.app().export_record(1, &mut out).await.expect("export");
    assert_eq!(n, b.events);
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let report = verify_lines(lines.clone().into_iter(), None).expect("well-formed").expect("the export verifies");
    assert_eq!(report.events, b.events);
    let signed = &lines[lines.len() - 2];
    assert!(signed.contains("signed_checkpoint"), "the signed checkpoint before the file's signature: {signed}");
    assert!(lines.last().expect("lines").contains("export_signature"), "ends with the file's signature");

    // One event's payload altered in the file.
    let seq = b.seq_of("case:1", 3).await;
    let altered: Vec<String> = lines
        .iter()
        .map(|line| {
            let mut value: Value = serde_json::from_str(line).expect("json line");
            if value["type"] == "event" && value["seq"] == seq {
                value["payload"] = Value::String(r#"{"n":3,"note":"不予受理"}"#.into());
                return value.to_string();
            }
            line.clone()
        })
        .collect();
    assert_ne!(altered, lines);
    let brk = verify_lines(altered.into_iter(), None).expect("well-formed").expect_err("an altered line is found");
    assert_eq!((brk.kind(), brk.seq()), ("edited", seq), "{brk}");

    // One event line removed from the file.
    let removed: Vec<String> =
        lines.iter().filter(|line| !line.contains(&format!("\"seq\":{seq},"))).cloned().collect();
    assert_eq!(removed.len(), lines.len() - 1);
    let brk = verify_lines(removed.into_iter(), None).expect("well-formed").expect_err("a removed line is found");
    assert_eq!((brk.kind(), brk.seq()), ("missing", seq), "{brk}");

    // A partial export, from the middle of the record.
    let from = b.seq_of("case:1", 6).await;
    let mut out = Vec::new();
    let n = b.app().export_record(from, &mut out).await.expect("partial export");
    assert_eq!(n as i64, b.events as i64 - from + 1);
    let text = String::from_utf8(out).expect("utf-8");
    let report =
        verify_lines(text.lines().map(str::to_string), None).expect("well-formed").expect("a partial export verifies");
    assert_eq!(report.events, n);
    // …and is still checked: an edited line in it is found.
    let edited_seq = b.seq_of("case:1", 8).await;
    let altered = text.lines().map(|line| {
        let mut value: Value = serde_json::from_str(line).expect("json line");
        if value["type"] == "event" && value["seq"] == edited_seq {
            value["actor"] = Value::String("account:9:intruder".into());
        }
        value.to_string()
    });
    let brk = verify_lines(altered, None).expect("well-formed").expect_err("an edit inside a partial export is found");
    assert_eq!((brk.kind(), brk.seq()), ("edited", edited_seq), "{brk}");
}
on_both!(export_verifies_on_its_own, export_verifies_on_its_own);

/// A new case is written with its events in one go (on SQLite, sealed before anything is read
/// back): several events chain from genesis in order, the stream head is the last one, the
/// record verifies; an event for another stream is refused and nothing is written.
async fn a_new_case_and_its_events_chain_from_genesis(db: Db) {
    let t = test_app(db).await;
    let store = &t.app.store;
    let raw = t.db.raw().await;
    let columns = crate::submitted_columns(t.app.now());
    let new = store::cases::NewCase {
        columns,
        number_division: "511702",
        number_year: 2021,
        idempotency_key: Some("chain-test"),
        idempotency_binding: None,
    };
    let before = crate::footprint(&raw).await;
    let other = store
        .create_case(
            &new,
            t.app.now(),
            |_, _| "{}".into(),
            |id, _| {
                vec![
                    EventDraft::new(format!("case:{id}"), "system", "case.test", json!({})),
                    EventDraft::new("person:1", "system", "case.test", json!({})),
                ]
            },
        )
        .await
        .expect_err("an event outside the case's stream");
    assert!(matches!(other, store::StoreError::Invalid(_)), "{other:?}");
    assert_eq!(crate::footprint(&raw).await, before, "nothing written");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM cases").await, 0);

    let (id, number, created) = store
        .create_case(
            &new,
            t.app.now(),
            |id, number| json!({"id": id, "number": number}).to_string(),
            |id, number| {
                (0..3)
                    .map(|n| {
                        EventDraft::new(format!("case:{id}"), "system", "case.test", json!({"n": n, "number": number}))
                    })
                    .collect()
            },
        )
        .await
        .expect("created");
    assert!(created);
    let events = store.stream_events(&format!("case:{id}")).await.expect("events");
    assert_eq!(events.iter().map(|e| e.stream_seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(events.windows(2).all(|w| w[1].seq == w[0].seq + 1 && w[1].prev_hash == w[0].hash));
    assert!(events[1].payload.contains(&number), "{}", events[1].payload);
    let head: (i64, i64) = sqlx::query_as("SELECT head_stream_seq, head_seq FROM audit_streams WHERE stream = $1")
        .bind(format!("case:{id}"))
        .fetch_one(&raw)
        .await
        .expect("head");
    assert_eq!(head, (3, events[2].seq));
    t.app.verify_record().await.expect("verification runs").expect("the record verifies");
    // The key replays without writing.
    let again =
        store.create_case(&new, t.app.now(), |_, _| unreachable!(), |_, _| unreachable!()).await.expect("replayed");
    assert_eq!(again, (id, number, false));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events WHERE stream LIKE 'case:%'").await, 3);
}
on_both!(a_new_case_and_its_events_chain_from_genesis, a_new_case_and_its_events_chain_from_genesis);
