//! `bench http`: the server under load from a separate load generator (wrk) on loopback.
//! The bench prepares the database, starts `minzheng serve` itself on a free port, and drives
//! it route by route; the server's peak RSS is read from `/proc/<pid>/status` (VmHWM).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

use anyhow::{bail, Context};
use service::web_support::SessionKind;

use super::{bench_keys_hex, temp_dir, Fixture};

/// How to run the load.
pub struct HttpOptions {
    pub db: Option<String>,
    pub seconds: u64,
    pub connections: u32,
    pub threads: u32,
}

/// One route under load: its name, method, path, and body.
struct Scenario {
    name: &'static str,
    method: &'static str,
    path: String,
    body: Option<String>,
    bearer: bool,
}

/// What wrk reports for one run.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct WrkReport {
    pub requests: u64,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub non_2xx: u64,
    pub socket_errors: u64,
}

/// Where wrk is, if installed.
fn find_wrk() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("wrk")).find(|p| p.is_file())
}

/// `1.23ms`, `456.00us`, `2.01s` → milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1e3)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60e3)
    } else {
        return None;
    };
    number.trim().parse::<f64>().ok().map(|n| n * factor)
}

/// Reads wrk's text report (run with `--latency`).
pub(crate) fn parse_wrk(out: &str) -> Option<WrkReport> {
    let mut report = WrkReport::default();
    let mut seen_rate = false;
    for line in out.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Requests/sec:"), Some(rate)) => {
                report.requests_per_s = rate.parse().ok()?;
                seen_rate = true;
            }
            (Some("50%"), Some(value)) => report.p50_ms = duration_ms(value)?,
            (Some("99%"), Some(value)) => report.p99_ms = duration_ms(value)?,
            (Some(n), Some("requests")) => report.requests = n.parse().ok()?,
            _ => {}
        }
        if let Some(n) = line.strip_prefix("Non-2xx or 3xx responses:") {
            report.non_2xx = n.trim().parse().ok()?;
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            // connect 0, read 0, write 0, timeout 0
            report.socket_errors = rest
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1))
                .map(|n| n.parse::<u64>().unwrap_or(0))
                .sum();
        }
    }
    seen_rate.then_some(report)
}

/// The Lua script that gives wrk the method, body and headers of a scenario.
fn lua_script(scenario: &Scenario, token: &str) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut lines =
        vec![format!("wrk.method = {}", quote(scenario.method)), format!("wrk.path = {}", quote(&scenario.path))];
    if let Some(body) = &scenario.body {
        lines.push(format!("wrk.body = {}", quote(body)));
        lines.push("wrk.headers[\"Content-Type\"] = \"application/json\"".into());
    }
    if scenario.bearer {
        lines.push(format!("wrk.headers[\"Authorization\"] = {}", quote(&format!("Bearer {token}"))));
    }
    lines.join("\n") + "\n"
}

/// The server's peak resident set size so far, in KiB (VmHWM).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The server as a child process; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `minzheng serve` on a free loopback port and waits until it listens.
fn start_server(url: &str, key_hex: &str, dir: &Path) -> anyhow::Result<Server> {
    let exe = std::env::current_exe().context("locating the minzheng binary")?;
    let checkpoint = dir.join("checkpoint.json");
    let mut child = Command::new(exe)
        .args(["serve", "--db", url, "--addr", "127.0.0.1:0", "--checkpoint-file"])
        .arg(&checkpoint)
        .env(crate::config::DATA_KEY_ENV, key_hex)
        .env_remove("MINZHENG_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting minzheng serve")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut server = Server { child, addr: String::new() };
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(rest) = line.split("http://").nth(1) {
            server.addr = rest.split('/').next().unwrap_or_default().to_string();
            // Keep reading what it prints later: a closed pipe would fail its next line.
            std::thread::spawn(move || lines.for_each(drop));
            return Ok(server);
        }
    }
    bail!("the server stopped before it listened")
}

/// One GET with the bearer token over a plain connection; the answer's status code.
fn get_status(addr: &str, path: &str, token: &str) -> anyhow::Result<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).context("connecting to the server")?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(600)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let head = String::from_utf8_lossy(&answer[..answer.len().min(64)]).to_string();
    head.split(' ').nth(1).and_then(|code| code.parse().ok()).with_context(|| format!("not an HTTP answer: {head}"))
}

fn run_wrk(wrk: &Path, addr: &str, script: &Path, options: &HttpOptions) -> anyhow::Result<WrkReport> {
    let out = Command::new(wrk)
        .arg(format!("-t{}", options.threads.max(1)))
        .arg(format!("-c{}", options.connections.max(1)))
        .arg(format!("-d{}s", options.seconds.max(1)))
        .args(["--timeout", "10s", "--latency", "-s"])
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {}{}", text, String::from_utf8_lossy(&out.stderr));
    }
    parse_wrk(&text).with_context(|| format!("unreadable wrk report:\n{text}"))
}

pub async fn run(options: HttpOptions) -> anyhow::Result<ExitCode> {
    let Some(wrk) = find_wrk() else {
        eprintln!("bench http 需要负载生成器 wrk，未在 PATH 中找到。请先安装：apt-get install wrk（Debian/Ubuntu）");
        return Ok(ExitCode::from(2));
    };
    let dir = temp_dir("http");
    let url = options.db.clone().unwrap_or_else(|| super::sqlite_in(&dir));
    let key_hex = bench_keys_hex();
    // The database as the server will find it: staff, an applicant, one case to read.
    let fixture = Fixture::prepare(&url, &key_hex).await?;
    let clerk = &fixture.staff[0];
    let case_id = fixture.submit().await?;
    let password = fixture.clerk_password.clone();
    let login = fixture.app.login(&clerk.username, &password, "127.0.0.1", SessionKind::Token).await?;
    let cases_before = fixture.store.case_count().await?;
    let durability = fixture.store.durability().await?;
    // The submission's limit: the database's raw transaction (one row update plus one row
    // insert) at the same concurrency and durability, without the project's database layer.
    let raw = super::raw::raw_rate(&url, 4000, options.connections.max(1) as usize).await?;
    fixture.store.close().await;

    let server = start_server(&url, &key_hex, &dir)?;
    let pid = server.child.id();
    println!(
        "backend={} {durability} cases_in_db={cases_before} connections={} threads={} seconds={} server_pid={pid}",
        store::Backend::from_url(&url)?.as_str(),
        options.connections,
        options.threads,
        options.seconds
    );
    let submit_body = serde_json::json!({
        "item": super::LIFECYCLE_ITEM,
        "channel": "window",
        "applicant": {"person_id": fixture.applicant},
        "accepting_division": "511700",
        "situation": super::LIFECYCLE_SITUATION,
        "materials": super::LIFECYCLE_MATERIALS,
        "data": {"premises_division": "511700"},
        "facts": super::lifecycle_facts(),
    })
    .to_string();
    let scenarios = [
        Scenario { name: "static_file", method: "GET", path: "/static/app.css".into(), body: None, bearer: false },
        Scenario { name: "catalog_read", method: "GET", path: "/api/v1/items".into(), body: None, bearer: false },
        Scenario {
            name: "case_read",
            method: "GET",
            path: format!("/api/v1/cases/{case_id}"),
            body: None,
            bearer: true,
        },
        Scenario {
            name: "case_submit",
            method: "POST",
            path: "/api/v1/cases".into(),
            body: Some(submit_body),
            bearer: true,
        },
    ];
    let mut errors = 0;
    let mut limit = None;
    for scenario in &scenarios {
        let script = dir.join(format!("{}.lua", scenario.name));
        std::fs::write(&script, lua_script(scenario, &login.token))?;
        let report = run_wrk(&wrk, &server.addr, &script, &options)?;
        let ratio = match (scenario.method, limit) {
            ("POST", _) => format!(" raw_txn_per_s={raw:.0} ratio_to_raw_txn={:.2}", report.requests_per_s / raw),
            (_, Some(limit)) => format!(" ratio_to_static={:.2}", report.requests_per_s / limit),
            (_, None) => String::new(),
        };
        limit.get_or_insert(report.requests_per_s);
        let scenario_errors = report.non_2xx + report.socket_errors;
        errors += scenario_errors;
        println!(
            "http {} {} {} requests={} requests_per_s={:.0} p50_ms={:.2} p99_ms={:.2} errors={scenario_errors} (non_2xx={} socket={}){ratio}",
            scenario.name,
            scenario.method,
            scenario.path,
            report.requests,
            report.requests_per_s,
            report.p50_ms,
            report.p99_ms,
            report.non_2xx,
            report.socket_errors,
        );
    }
    let peak = peak_rss_kib(pid).unwrap_or(0);
    println!("server_peak_rss_mb={:.1} errors={errors}", peak as f64 / 1024.0);
    // Then one request for the service metrics over the generated year (`bench stats`), the
    // one route whose work grows with the number of cases: its time and the peak after it.
    let year = super::stats::YEAR;
    let path = format!("/api/v1/stats/service?from={year}-01-01&to={year}-12-31");
    let started = std::time::Instant::now();
    let status = get_status(&server.addr, &path, &login.token)?;
    let metrics_ms = started.elapsed().as_secs_f64() * 1e3;
    let peak = peak_rss_kib(pid).unwrap_or(0);
    drop(server);
    println!(
        "http service_stats GET {path} status={status} ms={metrics_ms:.0} server_peak_rss_mb_after={:.1}",
        peak as f64 / 1024.0
    );
    if status != 200 {
        errors += 1;
    }
    if options.db.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Running 2s test @ http://127.0.0.1:8080
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.11ms    1.20ms  20.00ms   80.00%
    Req/Sec    10.30k     1.00k   12.00k    70.00%
  Latency Distribution
     50%  850.00us
     75%    3.50ms
     90%    4.10ms
     99%   12.00ms
  41000 requests in 2.00s, 10.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:  20500.00
Transfer/sec:      5.00MB
";

    #[test]
    fn reads_the_wrk_report() {
        let report = parse_wrk(SAMPLE).unwrap();
        assert_eq!(report.requests, 41000);
        assert_eq!(report.requests_per_s, 20500.0);
        assert_eq!(report.p50_ms, 0.85);
        assert_eq!(report.p99_ms, 12.0);
        assert_eq!((report.non_2xx, report.socket_errors), (5, 3));
        assert_eq!(duration_ms("1.5s"), Some(1500.0));
        assert!(parse_wrk("garbage").is_none());
    }
}
