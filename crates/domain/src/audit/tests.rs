use super::*;
use serde_json::json;

/// Builds a valid record: events spread over three streams, seq 1..=n, no gaps.
fn chain(n: i64) -> Vec<Event> {
    let mut heads: HashMap<String, (i64, Hash)> = HashMap::new();
    (1..=n)
        .map(|seq| {
            let stream = format!("case:{}", seq % 3);
            let (prev_ss, prev_hash) = heads.get(&stream).copied().unwrap_or((0, GENESIS));
            let payload = canonical_json(&json!({"n": seq, "note": "受理"}));
            let mut event = Event {
                seq,
                stream: stream.clone(),
                stream_seq: prev_ss + 1,
                at_ms: 1_622_509_200_000 + seq,
                actor: "account:1:clerk".into(),
                act: "case.accept".into(),
                division: Some("511702".into()),
                payload,
                prev_hash,
                hash: GENESIS,
            };
            event.hash = event.computed_hash();
            heads.insert(stream, (event.stream_seq, event.hash));
            event
        })
        .collect()
}

fn heads_of(events: &[Event]) -> Vec<StreamHead> {
    let mut heads: BTreeMap<String, StreamHead> = BTreeMap::new();
    for e in events {
        heads.insert(
            e.stream.clone(),
            StreamHead { stream: e.stream.clone(), stream_seq: e.stream_seq, seq: e.seq, hash: e.hash },
        );
    }
    heads.into_values().collect()
}

fn verify(events: &[Event], heads: &[StreamHead]) -> Result<VerifyReport, Break> {
    let mut verifier = Verifier::new();
    for head in heads {
        verifier.expect_head(head);
    }
    for event in events {
        verifier.push(event);
    }
    verifier.finish()
}

#[test]
fn a_valid_chain_verifies() {
    let events = chain(30);
    let report = verify(&events, &heads_of(&events)).unwrap();
    assert_eq!(report.events, 30);
    assert_eq!(report.streams, 3);
}

#[test]
fn canonical_json_sorts_keys_at_every_depth() {
    let a = json!({"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": "中"}});
    assert_eq!(canonical_json(&a), r#"{"a":{"x":"中","y":[1,{"c":3,"d":2}]},"b":1}"#);
}

#[test]
fn an_edited_payload_is_found_at_its_seq() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    events[11].payload = canonical_json(&json!({"n": 12, "note": "不予受理"}));
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("edited", 12));
}

#[test]
fn an_edited_and_rehashed_event_is_found_by_the_next_link() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    events[11].actor = "account:9:intruder".into();
    events[11].hash = events[11].computed_hash();
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("edited", 12));
}

#[test]
fn a_rehashed_last_event_is_found_by_its_head() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    let last = events.len() - 1;
    events[last].payload = "{}".into();
    events[last].hash = events[last].computed_hash();
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("edited", 30));
}

#[test]
fn a_deleted_event_is_found_at_its_seq() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    events.remove(14); // seq 15
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("missing", 15), "{brk}");
}

#[test]
fn two_swapped_events_are_out_of_order() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    // Same stream: seq 10 and 13 are case:1 #4 and #5. Swap their places in the sequence.
    let (a, b) = (events[9].clone(), events[12].clone());
    events[9] = Event { seq: 10, ..b };
    events[12] = Event { seq: 13, ..a };
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("out_of_order", 10), "{brk}");
}

#[test]
fn rows_returned_out_of_seq_order_are_out_of_order() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    events.swap(19, 20);
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!(brk.kind(), "out_of_order");
}

#[test]
fn a_truncated_tail_is_found_where_it_starts() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    events.truncate(26); // seq 27..=30 gone
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("missing", 27), "{brk}");
}

#[test]
fn an_inserted_event_is_found() {
    let mut events = chain(30);
    let heads = heads_of(&events);
    let mut forged = events[5].clone();
    forged.seq = 31;
    forged.hash = forged.computed_hash();
    events.push(forged);
    let brk = verify(&events, &heads).unwrap_err();
    assert_eq!((brk.kind(), brk.seq()), ("inserted", 31), "{brk}");
}

#[test]
fn a_whole_stream_deleted_is_found_by_a_checkpoint() {
    let events = chain(30);
    let cp = checkpoint(1, GENESIS, heads_of(&events));
    let remaining: Vec<Event> = events.iter().filter(|e| e.stream != "case:2").cloned().collect();
    let mut verifier = Verifier::new();
    verify_checkpoints(&[cp], &mut verifier).unwrap();
    for e in &remaining {
        verifier.push(e);
    }
    let brk = verifier.finish().unwrap_err();
    assert_eq!(brk.kind(), "missing");
}

fn checkpoint(no: i64, prev_hash: Hash, heads: Vec<StreamHead>) -> Checkpoint {
    let mut cp = Checkpoint { no, at_ms: 1_700_000_000_000, heads, prev_hash, hash: GENESIS };
    cp.hash = cp.computed_hash();
    cp
}

#[test]
fn an_edited_or_missing_checkpoint_is_found() {
    let events = chain(9);
    let one = checkpoint(1, GENESIS, heads_of(&events[..3]));
    let two = checkpoint(2, one.hash, heads_of(&events));
    verify_checkpoints(&[one.clone(), two.clone()], &mut Verifier::new()).unwrap();
    let mut edited = two.clone();
    edited.at_ms += 1;
    assert_eq!(verify_checkpoints(&[one.clone(), edited], &mut Verifier::new()).unwrap_err().kind(), "checkpoint");
    assert!(verify_checkpoints(&[two], &mut Verifier::new()).is_err());
}

#[test]
fn a_partial_export_verifies_from_its_first_links() {
    let events = chain(30);
    let mut verifier = Verifier::from_seq(11);
    for e in &events[10..] {
        verifier.push(e);
    }
    assert_eq!(verifier.finish().unwrap().events, 20);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any single change to any field of any event breaks verification.
        #[test]
        fn any_tampering_is_detected(idx in 0usize..40, field in 0u8..6, delta in 1i64..1000) {
            let mut events = chain(40);
            let heads = heads_of(&events);
            let e = &mut events[idx];
            match field {
                0 => e.payload.push(' '),
                1 => e.at_ms += delta,
                2 => e.actor.push('x'),
                3 => e.act = "case.refuse".into(),
                4 => e.division = None,
                _ => e.stream_seq += delta,
            }
            prop_assert!(verify(&events, &heads).is_err());
        }

        /// Deleting any one event is detected, at that event's seq.
        #[test]
        fn any_deletion_is_detected(idx in 0usize..40) {
            let mut events = chain(40);
            let heads = heads_of(&events);
            events.remove(idx);
            let brk = verify(&events, &heads).unwrap_err();
            prop_assert_eq!(brk.kind(), "missing");
            prop_assert_eq!(brk.seq(), idx as i64 + 1);
        }
    }
}
