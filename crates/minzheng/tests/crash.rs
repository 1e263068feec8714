//! Crash consistency, from outside: the real `minzheng serve` on SQLite (and on PostgreSQL when
//! `MINZHENG_TEST_PG` is set; required in CI), clients submitting cases with idempotency keys and
//! acting on them over HTTP, the server killed with SIGKILL at random moments (at least 20 times)
//! and restarted on the same database. Afterwards:
//!
//! - every acknowledged submission is one case, under its key, exactly once (retries after a lost
//!   answer made no duplicate);
//! - every case's record stream is exactly its acts in order, one event each, as many as its
//!   revision says (no act half-applied: never a state without its event, nor an event without its
//!   state), and every acknowledged act is in it;
//! - `minzheng audit verify` passes.
//!
//! The random moments come from a seed printed at the start; `MINZHENG_CRASH_SEED=N` replays one.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::Row;
use test_support::{Db, TestDb};

const KILLS: usize = 20;
const CLIENTS: usize = 4;
/// The data key of the test server (64 hex digits).
const DATA_KEY: &str = "4242424242424242424242424242424242424242424242424242424242424242";
const PASSWORD: &str = "crash-pass-2021";
/// The item driven through: 社会团体变更登记 at the city window, six acts after submission.
const ITEM: &str = "social-group-change-registration";
/// The acts after submission, in procedure order, with the role that does each.
const ACTS: [(&str, &str); 6] = [
    ("accept", "clerk"),
    ("review", "reviewer"),
    ("decide", "decider"),
    ("produce", "clerk"),
    ("issue", "clerk"),
    ("deliver", "clerk"),
];

/// A small deterministic generator (xorshift), so a failing run can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn seed() -> u64 {
    match std::env::var("MINZHENG_CRASH_SEED") {
        Ok(text) => text.trim().parse().expect("MINZHENG_CRASH_SEED is a number"),
        Err(_) => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos());
            (nanos as u64) | 1
        }
    }
}

/// A running server and where it listens.
struct Server {
    child: Child,
    addr: String,
    /// The lines printed before it listened.
    printed: Vec<String>,
}

impl Server {
    /// Starts `minzheng serve` on a free port; `start` is the restart number, which moves the
    /// simulated clock on by two minutes per start so that time never runs backwards between runs.
    fn start(db: &TestDb, start: usize) -> Server {
        let dir = db.dir();
        let clock = chrono::DateTime::parse_from_rfc3339("2021-06-01T09:00:00+08:00").expect("instant")
            + chrono::Duration::minutes(2 * start as i64);
        let mut child = Command::new(env!("CARGO_BIN_EXE_minzheng"))
            .args(["serve", "--db", &db.url, "--addr", "127.0.0.1:0", "--simulated-clock", &clock.to_rfc3339()])
            .arg("--checkpoint-file")
            .arg(dir.join("checkpoint.json"))
            .current_dir(&dir)
            .env_remove("MINZHENG_DB")
            .env_remove("MINZHENG_CATALOG")
            .env("MINZHENG_DATA_KEY", DATA_KEY)
            .env("MINZHENG_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the server");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut printed = Vec::new();
        loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server stopped before listening: {printed:?}");
            };
            if let Some(rest) = line.split("http://").nth(1) {
                let addr = rest.split('/').next().expect("address").to_string();
                // Keep reading what it prints later: a closed pipe would make its next line fail.
                std::thread::spawn(move || lines.for_each(drop));
                return Server { child, addr, printed };
            }
            printed.push(line);
        }
    }

    fn kill(mut self) {
        // SIGKILL on Unix: no shutdown hook, no final checkpoint, requests cut mid-flight.
        self.child.kill().expect("kill the server");
        self.child.wait().expect("reap the server");
    }
}

/// What one HTTP exchange gave: a status and a JSON body, or no answer at all.
type Answer = Result<(u16, Value), String>;

/// One request on a fresh connection (`Connection: close`), with timeouts.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    extra: &[(&str, &str)],
    body: Option<&Value>,
) -> Answer {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(20))).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(Duration::from_secs(20))).map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("send: {e}"))?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| format!("read: {e}"))?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| format!("cut response: {text:?}"))?;
    let status: u16 =
        head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| format!("no status line: {head:?}"))?;
    let length: Option<usize> = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
    });
    if length.is_some_and(|n| n != body.len()) {
        return Err(format!("cut body: {body:?}"));
    }
    let json =
        if body.is_empty() { Value::Null } else { serde_json::from_str(body).map_err(|e| format!("{e}: {body}"))? };
    Ok((status, json))
}

/// The tokens of the three staff accounts, by role.
type Tokens = BTreeMap<&'static str, String>;

/// Creates the staff accounts through the API and signs them in.
fn setup_accounts(server: &Server) -> Tokens {
    let password = server
        .printed
        .iter()
        .find_map(|l| l.trim().strip_prefix("密码   password: "))
        .expect("the first start prints the administrator's password")
        .to_string();
    let login = |username: &str, password: &str| {
        let body = json!({"username": username, "password": password});
        let (status, reply) =
            request(&server.addr, "POST", "/api/v1/auth/token", None, &[], Some(&body)).expect("login");
        assert_eq!(status, 200, "login {username}: {reply}");
        reply["token"].as_str().expect("token").to_string()
    };
    let admin = login("admin", &password);
    let mut tokens = Tokens::new();
    for role in ["clerk", "reviewer", "decider"] {
        let body = json!({
            "username": format!("crash-{role}"),
            "display_name": format!("测试{role}"),
            "password": PASSWORD,
            "grants": [{"role": role, "division": "511700"}],
        });
        let (status, reply) =
            request(&server.addr, "POST", "/api/v1/accounts", Some(&admin), &[], Some(&body)).expect("create account");
        assert_eq!(status, 201, "{role}: {reply}");
        tokens.insert(role, login(&format!("crash-{role}"), PASSWORD));
    }
    tokens
}

/// A valid citizen identity number (GB 11643-1999).
fn id_number(order: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("51170219800101{order:03}");
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", "10X98765432".as_bytes()[(sum % 11) as usize] as char)
}

fn application(order: u32) -> Value {
    json!({
        "item": ITEM,
        "channel": "window",
        "applicant": {"name": "王小明", "id_number": id_number(order), "phone": "13912345678", "division": "511702"},
        "accepting_division": "511700",
        "situation": "change_name_scope",
        "materials": ["application", "sponsor_approval", "meeting_resolution", "certificate"],
        "data": {
            "premises_division": "511700",
            "facts": {
                "organization": {"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": "511702"},
                "change_before": "名称：达州市青年志愿者协会",
                "change_after": "名称：达州市志愿服务协会"
            }
        }
    })
}

fn act_body(act: &str, expected_revision: i64) -> Value {
    let mut body = json!({"action": act, "expected_revision": expected_revision});
    match act {
        "review" => body["verdict"] = json!("approve"),
        "decide" => {
            body["grant"] = json!(true);
            body["basis"] = json!("《社会团体登记管理条例》第十八条");
        }
        "deliver" => body["method"] = json!("on_site"),
        _ => {}
    }
    body
}

/// What the clients were told, and what they had to find out after a lost answer.
#[derive(Default)]
struct Ledger {
    /// Idempotency key → the case id acknowledged for it.
    submitted: BTreeMap<String, i64>,
    /// (case id, act) acknowledged with a 200.
    acked_acts: Vec<(i64, String)>,
    /// Case id → the revision the client last saw.
    revisions: BTreeMap<i64, i64>,
    /// Requests that got no answer (cut by a kill) and were retried.
    retries: usize,
    /// Acts whose answer was lost but which had committed (found on the retry's 409).
    applied_unacked: usize,
}

struct Shared {
    addr: RwLock<String>,
    stop: AtomicBool,
    acks: AtomicUsize,
}

/// Sends until the server answers, retrying on a cut connection (the server was killed).
fn until_answered(shared: &Shared, ledger: &mut Ledger, send: impl Fn(&str) -> Answer) -> (u16, Value) {
    loop {
        let addr = shared.addr.read().expect("address").clone();
        match send(&addr) {
            Ok((status, body)) if status < 500 => return (status, body),
            Ok((status, body)) => panic!("a server error is never an answer: {status} {body}"),
            Err(_) => {
                ledger.retries += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// One client: submits cases (each with its own idempotency key) and takes each through its
/// acts, resending after every lost answer, until told to stop.
fn client(n: usize, shared: Arc<Shared>, tokens: Arc<Tokens>) -> Ledger {
    let mut ledger = Ledger::default();
    let mut case_no = 0u32;
    while !shared.stop.load(Ordering::Relaxed) {
        let order = (n as u32) * 200 + case_no;
        case_no += 1;
        let key = format!("crash-{n}-{case_no}");
        let body = application(order);
        let clerk = tokens["clerk"].as_str();
        let (status, case) = until_answered(&shared, &mut ledger, |addr| {
            request(addr, "POST", "/api/v1/cases", Some(clerk), &[("Idempotency-Key", &key)], Some(&body))
        });
        assert!(status == 201 || status == 200, "submission {key}: {status} {case}");
        let id = case["id"].as_i64().expect("case id");
        assert_eq!(ledger.submitted.insert(key.clone(), id), None, "one key, one acknowledgement");
        shared.acks.fetch_add(1, Ordering::Relaxed);
        let mut revision = case["revision"].as_i64().expect("revision");
        for (act, role) in ACTS {
            if shared.stop.load(Ordering::Relaxed) {
                break;
            }
            let token = tokens[role].as_str();
            let path = format!("/api/v1/cases/{id}/actions");
            let body = act_body(act, revision);
            let (status, reply) = until_answered(&shared, &mut ledger, |addr| {
                request(addr, "POST", &path, Some(token), &[], Some(&body))
            });
            match (status, reply["code"].as_str()) {
                (200, _) => {
                    assert_eq!(reply["revision"].as_i64(), Some(revision + 1), "{act} on {id}: {reply}");
                    ledger.acked_acts.push((id, format!("case.{act}")));
                    shared.acks.fetch_add(1, Ordering::Relaxed);
                }
                // The answer of an earlier attempt was lost, but the act had committed: the
                // case must be exactly one act further, no more.
                (409, Some("case_conflict")) => {
                    let (_, now) = until_answered(&shared, &mut ledger, |addr| {
                        request(addr, "GET", &format!("/api/v1/cases/{id}"), Some(token), &[], None)
                    });
                    assert_eq!(
                        now["revision"].as_i64(),
                        Some(revision + 1),
                        "{act} on {id} after a lost answer: {now}"
                    );
                    ledger.applied_unacked += 1;
                }
                _ => panic!("{act} on case {id}: {status} {reply}"),
            }
            revision += 1;
        }
        ledger.revisions.insert(id, revision);
    }
    ledger
}

fn crash_run(backend: Db) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(TestDb::new(backend)) else { return };
    let seed = seed();
    eprintln!("crash consistency on {backend:?}: MINZHENG_CRASH_SEED={seed}");
    let mut rng = Rng(seed);

    let mut server = Server::start(&db, 0);
    let tokens = Arc::new(setup_accounts(&server));
    let shared = Arc::new(Shared {
        addr: RwLock::new(server.addr.clone()),
        stop: AtomicBool::new(false),
        acks: AtomicUsize::new(0),
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (shared, tokens) = (shared.clone(), tokens.clone());
            std::thread::spawn(move || client(n, shared, tokens))
        })
        .collect();

    for kill in 1..=KILLS {
        // Some work acknowledged in this run, then a random moment within the next 0.4 s.
        let acked = shared.acks.load(Ordering::Relaxed);
        while shared.acks.load(Ordering::Relaxed) < acked + 2 {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        server.kill();
        server = Server::start(&db, kill);
        *shared.addr.write().expect("address") = server.addr.clone();
    }
    shared.stop.store(true, Ordering::Relaxed);
    let ledgers: Vec<Ledger> = clients.into_iter().map(|c| c.join().expect("client")).collect();
    server.kill();

    // The record verifies, after all those kills.
    let verify = Command::new(env!("CARGO_BIN_EXE_minzheng"))
        .args(["audit", "--db", &db.url, "--checkpoint-file"])
        .arg(db.dir().join("checkpoint.json"))
        .arg("verify")
        .env("MINZHENG_DATA_KEY", DATA_KEY)
        .env("MINZHENG_LOG", "warn")
        .output()
        .expect("audit verify");
    let verdict = String::from_utf8_lossy(&verify.stdout).trim().to_string();
    assert!(verify.status.success() && verdict.starts_with("ok "), "audit verify: {verdict}");

    runtime.block_on(check_database(&db, &ledgers));
    let retries: usize = ledgers.iter().map(|l| l.retries).sum();
    let unacked: usize = ledgers.iter().map(|l| l.applied_unacked).sum();
    let cases: usize = ledgers.iter().map(|l| l.submitted.len()).sum();
    eprintln!("{backend:?}: {KILLS} kills, {cases} cases, {retries} resent requests, {unacked} acts committed without their answer");
    // The kills did cut requests: otherwise this run proved nothing about lost answers.
    assert!(retries > 0, "no request was ever cut by a kill");
}

async fn check_database(db: &TestDb, ledgers: &[Ledger]) {
    let raw = db.raw().await;
    let rows = sqlx::query("SELECT id, idempotency_key, revision FROM cases").fetch_all(&raw).await.expect("cases");
    let mut by_key: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut revisions = BTreeMap::new();
    for row in &rows {
        let id: i64 = row.try_get(0).expect("id");
        let key: Option<String> = row.try_get(1).expect("key");
        by_key.entry(key.expect("every submission carried a key")).or_default().push(id);
        revisions.insert(id, row.try_get::<i64, _>(2).expect("revision"));
    }
    let events =
        sqlx::query("SELECT stream, act FROM audit_events WHERE stream LIKE 'case:%' ORDER BY stream, stream_seq")
            .fetch_all(&raw)
            .await
            .expect("events");
    let mut acts: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for row in &events {
        let stream: String = row.try_get(0).expect("stream");
        let id: i64 = stream.trim_start_matches("case:").parse().expect("case stream");
        acts.entry(id).or_default().push(row.try_get(1).expect("act"));
    }
    raw.close().await;

    let plan: Vec<String> =
        std::iter::once("case.submit".to_string()).chain(ACTS.iter().map(|(act, _)| format!("case.{act}"))).collect();
    let mut acknowledged = 0;
    for ledger in ledgers {
        for (key, id) in &ledger.submitted {
            assert_eq!(by_key.get(key), Some(&vec![*id]), "acknowledged submission {key} is case {id}, once");
            acknowledged += 1;
        }
        for (id, revision) in &ledger.revisions {
            assert_eq!(revisions.get(id), Some(revision), "case {id}: the revision its client reached");
        }
        for (id, act) in &ledger.acked_acts {
            assert!(acts.get(id).is_some_and(|a| a.contains(act)), "acknowledged {act} on case {id} is recorded");
        }
    }
    // Every submission was retried until acknowledged: no case exists that no client knows of.
    assert_eq!(by_key.len(), acknowledged, "cases without an acknowledged key: retries made duplicates");
    assert_eq!(rows.len(), acknowledged);
    for (id, revision) in &revisions {
        let recorded = acts.get(id).cloned().unwrap_or_default();
        // One event per act, in procedure order, as many as the revision: nothing half-applied.
        assert_eq!(recorded.len() as i64, *revision, "case {id}: {recorded:?} at revision {revision}");
        assert_eq!(recorded[..], plan[..recorded.len()], "case {id}");
    }
}

#[test]
fn acknowledged_work_survives_sigkill_on_sqlite() {
    crash_run(Db::Sqlite);
}

#[test]
fn acknowledged_work_survives_sigkill_on_postgres() {
    crash_run(Db::Postgres);
}
