//! Regional nodes under SIGKILL, from outside: the 重庆 node (500000) and the 四川 node (510000)
//! each on its own database, their links running as `minzheng node` processes (the 四川 node
//! with two, sharing its durable consumer) on the local NATS JetStream server. 残疾人两项补贴
//! matters are accepted and pushed (推送) both ways — at a 重庆 window for a 四川 户籍, at a 四川
//! window for a 重庆 户籍 — each competent node opens its own engine case on receipt, its officer
//! receives it and refuses it at the first review (the result goes back), the accepting node's
//! officer delivers the result (the competent copy hears of it), and meanwhile the link processes
//! (publisher and consumer) are killed with SIGKILL at random moments and restarted. At the end:
//!
//! - every push opened exactly one copy on the competent node (one `node.case_received`),
//!   naming the hash of the sender's `case.forward` event;
//! - every result came back exactly once (one `node.result_received` on the accepting case's
//!   record), naming the hash of the competent copy's act; every receipt and delivery once;
//! - each node's inbox holds exactly the messages the other node addressed to it; nothing is
//!   left unsent, no dead letter, and both full-process records verify;
//! - each matter's scanned form (sealed for the receiving node, each node on its own data key)
//!   is on the competent copy once with the SM3 it was sent with, and not doubled on the
//!   accepting copy when the result brings it back.
//!
//! It prints matters per second and the round trip's p50/p99 (push acknowledged → result on
//! the accepting node's record). The random moments come from a seed printed at the start
//! (`MINZHENG_NODES_SEED=N` replays one); `MINZHENG_NODES_MATTERS` and `MINZHENG_NODES_KILLS`
//! make a longer run. Without a NATS server it fails (it never skips).

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::engine::action::{Action, DeliveryMethod, Verdict};
use domain::person::PersonInput;
use serde_json::{json, Value};
use service::attachments::Upload;
use service::cases::{ApplicantRef, SubmitCase};
use service::nodes::{self, NodeConfig};
use test_support::{Db, TestApp};

/// Each node's own data key (32 times this byte): nodes never share a key; what crosses is
/// sealed for the receiving node (docs/designs/nodes.md).
fn master_of(node: &str) -> u8 {
    if node == "500000" {
        0x50
    } else {
        0x51
    }
}
const CHONGQING: &str = "500101001"; // 重庆市万州区高笋塘街道
const SICHUAN: &str = "511702001"; // 四川省达州市通川区东城街道

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn nats_url() -> String {
    std::env::var("MINZHENG_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// A valid GB 11643 number.
fn id_number(region: &str, birth: &str, order: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("{region}{birth}{order:03}");
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", CHECK[(sum % 11) as usize] as char)
}

/// One link process of a node.
struct Link {
    node: &'static str,
    url: String,
    prefix: String,
    child: Option<Child>,
}

impl Link {
    fn start(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_minzheng"))
            .args([
                "node",
                "--db",
                &self.url,
                "--node",
                self.node,
                "--nats",
                &nats_url(),
                "--nats-prefix",
                &self.prefix,
            ])
            .env_remove("MINZHENG_DB")
            .env_remove("MINZHENG_CATALOG")
            .env("MINZHENG_DATA_KEY", format!("{:02x}", master_of(self.node)).repeat(32))
            .env("MINZHENG_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn a node link");
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, messages cut between apply and ack, publishes between send and mark.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill the link");
            child.wait().expect("reap the link");
        }
    }
}

/// A node as the test drives it: the database through its own `App` (windows, deciders).
async fn node(db: Db, code: &str, prefix: &str) -> TestApp {
    let keys = store::Keys::from_master(&[master_of(code); 32]);
    let mut t = TestApp::with_keys(db, keys).await.expect("a test database");
    let config = NodeConfig::new(code, &nats_url(), prefix).expect("node");
    Arc::get_mut(&mut t.app).expect("not shared yet").set_node(Some(config));
    // The link processes act on the system clock (a competent copy is opened when its handover
    // arrives): the test's windows and officers act on the same time, so no act is dated before
    // the copy's last one.
    t.clock.set(chrono::Utc::now()).expect("clock");
    t
}

/// One matter pushed: where it was accepted and when the push was acknowledged.
struct Pushed {
    origin: usize,
    case_id: i64,
    number: String,
    forward_hash: String,
    /// The SM3 of the matter's scanned form, sent with the handover.
    document: String,
    at: Instant,
}

async fn run(db: Db) {
    let seed = std::env::var("MINZHENG_NODES_SEED").ok().and_then(|s| s.trim().parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    let matters = env_number("MINZHENG_NODES_MATTERS", 40) as usize;
    let kills = env_number("MINZHENG_NODES_KILLS", 20) as usize;
    eprintln!("nodes under SIGKILL on {db:?}: MINZHENG_NODES_SEED={seed}, {matters} matters, {kills} kills");
    let prefix = format!("K{}", &nodes::message_id()[..12]);
    // Node 0 重庆, node 1 四川: the window of each, its township officer, its competent decider.
    let nodes_ = [node(db, "500000", &prefix).await, node(db, "510000", &prefix).await];
    let mut staff = Vec::new();
    for (t, office) in nodes_.iter().zip([CHONGQING, SICHUAN]) {
        let clerk = t.staff(&format!("clerk{office}"), "clerk", office).await;
        let officer = t.staff(&format!("officer{office}"), "township_officer", office).await;
        staff.push((clerk, officer));
    }
    // Three link processes: 重庆's, and two of 四川's sharing its durable consumer.
    let mut links: Vec<Link> = [(0, "500000"), (1, "510000"), (1, "510000")]
        .into_iter()
        .map(|(i, node): (usize, &'static str)| Link {
            node,
            url: nodes_[i].db.url.clone(),
            prefix: prefix.clone(),
            child: None,
        })
        .collect();
    for link in &mut links {
        link.start();
    }

    // The killer: at random moments one link is killed and restarted, until enough kills and
    // the matters are all pushed.
    let pushing_done = Arc::new(AtomicBool::new(false));
    let killer = {
        let pushing_done = pushing_done.clone();
        tokio::task::spawn_blocking(move || {
            let mut rng = Rng(seed);
            let mut done = 0;
            while done < kills || !pushing_done.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50 + rng.below(250)));
                let which = rng.below(links.len() as u64) as usize;
                links[which].kill();
                std::thread::sleep(Duration::from_millis(rng.below(150)));
                links[which].start();
                done += 1;
            }
            (links, done)
        })
    };

    // The windows: matters pushed both ways.
    let started = Instant::now();
    let mut pushed = Vec::new();
    for i in 0..matters {
        let origin = i % 2;
        let (office, hukou) = if origin == 0 { (CHONGQING, SICHUAN) } else { (SICHUAN, CHONGQING) };
        let t = &nodes_[origin];
        let (clerk, officer) = &staff[origin];
        let input = SubmitCase {
            item: "disability-subsidy".into(),
            channel: "window".into(),
            applicant: ApplicantRef::New(PersonInput {
                name: format!("申请人{i}"),
                id_number: id_number(&hukou[..6], "19700301", i as u32 % 1000),
                phone: None,
                address: None,
                division: hukou.into(),
            }),
            accepting_division: office.into(),
            situation: Some("care_subsidy".into()),
            materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
                .map(str::to_string)
                .to_vec(),
            data: json!({ "hukou_division": hukou }),
            idempotency_key: None,
        };
        let case = t.app.submit_case(clerk, &input).await.expect("accepted").view.case;
        t.app.act_on_case(officer, case.id, None, &Action::Accept).await.expect("accept");
        // The applicant's scanned form travels with the matter (its own bytes per matter).
        let form = format!("%PDF-1.4 application form of matter {i}").into_bytes();
        let upload = Upload { file_name: "申请表.pdf", label: "申请审批表", bytes: &form };
        let document = t.app.add_attachment(clerk, case.id, upload).await.expect("uploaded").hash;
        t.app.act_on_case(officer, case.id, None, &Action::Forward).await.expect("pushed");
        let at = Instant::now();
        let events = t.app.store.stream_events(&format!("case:{}", case.id)).await.expect("events");
        let forward = events.last().expect("the forward event");
        assert_eq!(forward.act, "case.forward");
        pushed.push(Pushed {
            origin,
            case_id: case.id,
            number: case.number,
            forward_hash: hex(&forward.hash),
            document,
            at,
        });
    }
    pushing_done.store(true, Ordering::SeqCst);

    // The competent nodes: each opens its own engine case on receipt; its township officer
    // receives it and refuses it at the first review (不予通过, which closes it with a decision
    // and sends the result back); the accepting node's officer delivers the result, which closes
    // the loop on the competent node. The round trip ends when the result is on the accepting
    // case's record.
    let mut latencies: BTreeMap<usize, Duration> = BTreeMap::new();
    let mut decided = vec![false; pushed.len()];
    let mut delivered = vec![false; pushed.len()];
    let reject = Action::Review { verdict: Verdict::Reject, opinion: "经核查不符合条件".into() };
    let deliver = Action::Deliver { method: DeliveryMethod::OnSite, tracking: None };
    let deadline = Instant::now() + Duration::from_secs(300);
    while delivered.iter().any(|d| !d) {
        assert!(Instant::now() < deadline, "{} of {} matters came back", latencies.len(), pushed.len());
        for (k, p) in pushed.iter().enumerate() {
            let competent = &nodes_[1 - p.origin];
            let origin_node = ["500000", "510000"][p.origin];
            if !decided[k] {
                if let Some(copy) = competent.app.store.case_of_link(origin_node, &p.number).await.expect("link") {
                    let officer = &staff[1 - p.origin].1;
                    competent.app.act_on_case(officer, copy, None, &Action::Receive).await.expect("received");
                    competent.app.act_on_case(officer, copy, None, &reject).await.expect("refused");
                    decided[k] = true;
                }
            }
            if decided[k] && !delivered[k] {
                let t = &nodes_[p.origin];
                let view = t.app.case(&staff[p.origin].1, p.case_id).await.expect("case");
                if view.case.step.as_deref() == Some("deliver") {
                    latencies.insert(k, p.at.elapsed());
                    t.app.act_on_case(&staff[p.origin].1, p.case_id, None, &deliver).await.expect("delivered");
                    delivered[k] = true;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let (mut links, killed) = killer.await.expect("the killer");
    assert!(killed >= kills, "{killed} kills");
    // Everything sent and applied: the outboxes drain and the competent copies close.
    let deadline = Instant::now() + Duration::from_secs(60);
    for p in &pushed {
        let competent = &nodes_[1 - p.origin];
        let origin_node = ["500000", "510000"][p.origin];
        let copy = competent.app.store.case_of_link(origin_node, &p.number).await.expect("link").expect("copy");
        loop {
            let events = competent.app.store.stream_events(&format!("case:{copy}")).await.expect("events");
            if events.iter().any(|e| e.act == "node.delivered_received") {
                break;
            }
            assert!(Instant::now() < deadline, "{}: the delivery did not reach the competent node", p.number);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    for t in &nodes_ {
        while t.app.unsent_messages().await.expect("count") > 0 {
            assert!(Instant::now() < deadline, "the outbox did not drain");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    // Let the last redeliveries (a kill between apply and ack) land before the links stop.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for link in &mut links {
        link.kill();
    }

    // Exactly once, both ways, linked.
    let count = |events: &[domain::audit::Event], act: &str| events.iter().filter(|e| e.act == act).count();
    for p in &pushed {
        let competent = &nodes_[1 - p.origin];
        let origin_node = ["500000", "510000"][p.origin];
        let copy = competent.app.store.case_of_link(origin_node, &p.number).await.expect("link").expect("copy");
        let held = competent.app.store.stream_events(&format!("case:{copy}")).await.expect("events");
        assert_eq!(count(&held, "node.case_received"), 1, "{}: received more than once", p.number);
        assert_eq!(count(&held, "node.delivered_received"), 1, "{}: delivery applied more than once", p.number);
        let payload: Value = serde_json::from_str(&held[0].payload).expect("payload");
        assert_eq!(payload["link"]["sender_hash"], p.forward_hash.as_str(), "{}", p.number);
        let events = nodes_[p.origin].app.store.stream_events(&format!("case:{}", p.case_id)).await.expect("events");
        assert_eq!(count(&events, "node.result_received"), 1, "{}: result received more than once", p.number);
        assert_eq!(count(&events, "node.taken_there"), 1, "{}: receipt noted more than once", p.number);
        let result = events.iter().find(|e| e.act == "node.result_received").expect("result");
        let payload: Value = serde_json::from_str(&result.payload).expect("payload");
        // It names the refusal's act on the competent copy's record.
        let named = payload["link"]["sender_hash"].as_str().unwrap_or_default();
        assert!(held.iter().any(|e| hex(&e.hash) == named && e.act.starts_with("case.")), "{}", p.number);
        // The document arrived once, SM3 as sent, and came back with the result without doubling.
        let there = competent.app.store.attachments(copy).await.expect("attachments");
        assert_eq!(there.iter().map(|a| a.hash.as_str()).collect::<Vec<_>>(), [p.document.as_str()], "{}", p.number);
        let here = nodes_[p.origin].app.store.attachments(p.case_id).await.expect("attachments");
        assert_eq!(here.len(), 1, "{}: {here:?}", p.number);
    }
    for (i, t) in nodes_.iter().enumerate() {
        // One inbox row per message the other node addressed to this one: none lost, none twice.
        let me = ["500000", "510000"][i];
        let sent_here = nodes_[1 - i].app.store.outbox(100_000).await.expect("outbox");
        let addressed = sent_here.iter().filter(|r| r.message.to_node == me).count();
        assert_eq!(t.app.store.inbox_count().await.expect("inbox") as usize, addressed, "node {me}");
        assert!(t.app.dead_letters(10).await.expect("dead").is_empty(), "no dead letter");
        let verification = t.app.store.verify_record(None).await.expect("verify");
        assert!(verification.is_ok(), "{verification:?}");
    }

    let mut sorted: Vec<Duration> = latencies.values().copied().collect();
    sorted.sort();
    let pct = |q: f64| sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1];
    println!(
        "nodes ({db:?}): {} matters both ways, {killed} SIGKILLs, 0 lost, 0 duplicated; {:.1} matters/s; round trip p50 {} ms, p99 {} ms",
        pushed.len(),
        pushed.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_millis(),
        pct(0.99).as_millis(),
    );
}

fn hex(hash: &[u8; 32]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_survive_sigkill_sqlite() {
    run(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_survive_sigkill_postgres() {
    if test_support::pg_url().is_none() {
        return;
    }
    run(Db::Postgres).await;
}
