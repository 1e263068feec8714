//! The command-line contracts, checked from outside by running the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use std::io::Write;

struct Sandbox {
    dir: PathBuf,
    /// Records the test's duration for CI's list of the slowest tests.
    _timer: test_support::TestTimer,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("minzheng-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox { dir, _timer: test_support::TestTimer::start() }
    }

    fn db(&self) -> String {
        format!("sqlite://{}", self.dir.join("m.db").display())
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_minzheng"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("MINZHENG_DB")
            .env_remove("MINZHENG_DATA_KEY")
            .env("MINZHENG_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

#[test]
fn idcard_check_prints_the_parsed_fields_or_the_reason() {
    let sandbox = Sandbox::new("idcard");
    let out = sandbox.run(&["idcard", "check", "511702194001011706"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["birth_date"], "1940-01-01");
    assert_eq!(v["sex"], "female");
    assert_eq!(v["region_code"], "511702");
    assert_eq!(v["region_name"], "通川区");

    let out = sandbox.run(&["idcard", "check", "511702194001011707"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!((v["valid"].as_bool(), v["reason"].as_str()), (Some(false), Some("checksum")));
    assert!(v["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));

    for (id, reason) in
        [("5117021940010117", "length"), ("51170219400101170A", "chars"), ("511702199902291234", "date")]
    {
        let out = sandbox.run(&["idcard", "check", id]);
        assert_eq!(out.status.code(), Some(1), "{id}");
        assert_eq!(json(&out)["reason"], reason, "{id}");
    }
}

#[test]
fn uscc_check_prints_the_parts_or_every_problem() {
    let sandbox = Sandbox::new("uscc");
    // A 社会团体 registered in 通川区 (GB 32100-2015: 5 = 民政, 1 = 社会团体).
    let out = sandbox.run(&["uscc", "check", "515117025041234500"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!((v["authority"].as_str(), v["category"].as_str()), (Some("民政"), Some("社会团体")));
    assert_eq!((v["region_code"].as_str(), v["region_name"].as_str()), (Some("511702"), Some("通川区")));
    assert_eq!(v["subject"], "504123450");

    let out = sandbox.run(&["uscc", "check", "B199A999M000100Y51"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let reasons: Vec<&str> = v["problems"].as_array().unwrap().iter().map(|p| p["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["uscc_authority", "uscc_region", "uscc_subject_check", "uscc_checksum"]);
    assert!(v["problems"][0]["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));

    let out = sandbox.run(&["uscc", "check", "9135010"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["problems"][0]["reason"], "uscc_length");
}

#[test]
fn idcard_check_accepts_lowercase_x_and_abolished_codes() {
    let sandbox = Sandbox::new("idcard2");
    // 511721 达县 (1999-2012) is still on millions of cards.
    let body = "51172119800101002";
    let check = check_char(body);
    let out = sandbox.run(&["idcard", "check", &format!("{body}{check}")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(json(&out)["region_name"], "达县");
    // Find a body whose check character is X and pass it lowercase.
    let body = (0..1000).map(|n| format!("51170219800101{n:03}")).find(|b| check_char(b) == 'X').unwrap();
    let out = sandbox.run(&["idcard", "check", &format!("{body}x")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

fn check_char(body: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    "10X98765432".chars().nth((sum % 11) as usize).unwrap()
}

#[test]
fn calendar_commands_follow_the_official_arrangement() {
    let sandbox = Sandbox::new("calendar");
    let db = sandbox.db();
    let ask = |args: &[&str]| {
        let mut full = vec!["calendar", "--db", &db];
        full.extend_from_slice(args);
        sandbox.run(&full)
    };
    assert_eq!(stdout(&ask(&["is-workday", "2021-10-09"])), "true", "调休 Saturday");
    assert_eq!(stdout(&ask(&["is-workday", "2021-10-01"])), "false", "国庆");
    assert_eq!(stdout(&ask(&["add-workdays", "2021-09-30", "1"])), "2021-10-08");
    assert_eq!(stdout(&ask(&["add-workdays", "2021-02-10", "1"])), "2021-02-18", "春节");
    assert_eq!(stdout(&ask(&["add-days", "2021-09-24", "7"])), "2021-10-08", "ends in 国庆, moves on");
    let out = ask(&["add-workdays", "2019-12-30", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2019"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = ask(&["is-workday", "2027-03-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("未载入"));
    let out = ask(&["is-workday", "2021-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!Path::new(&sandbox.dir.join("m.db")).exists(), "asking the calendar creates no database");
}

#[test]
fn a_new_year_is_imported_without_a_new_build() {
    let sandbox = Sandbox::new("import");
    let db = sandbox.db();
    let mut csv = String::from("date,is_workday,holiday_name,is_makeup_workday\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    while day.year() == 2027 {
        use chrono::Datelike;
        let weekend = day.weekday().number_from_monday() >= 6;
        let holiday = day.month() == 1 && day.day() == 1;
        csv.push_str(&format!("{day},{},{},false\n", !weekend && !holiday, if holiday { "元旦" } else { "" }));
        day = day.succ_opt().unwrap();
    }
    use chrono::Datelike;
    std::fs::write(sandbox.dir.join("2027.csv"), csv).unwrap();
    // A version needs its source document and at least one year.
    let out = sandbox.run(&["calendar", "--db", &db, "import", "2027.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("来源"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(sandbox.dir.join("header.csv"), "date,is_workday,holiday_name,is_makeup_workday\n").unwrap();
    let out = sandbox.run(&["calendar", "--db", &db, "import", "header.csv", "--source", "国办发明电〔2026〕X号"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有任何日期"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = sandbox.run(&["calendar", "--db", &db, "import", "2027.csv", "--source", "国办发明电〔2026〕X号"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&sandbox.run(&["calendar", "--db", &db, "is-workday", "2027-01-01"])), "false");
    assert_eq!(stdout(&sandbox.run(&["calendar", "--db", &db, "add-workdays", "2026-12-31", "1"])), "2027-01-04");
    assert_eq!(stdout(&sandbox.run(&["calendar", "--db", &db, "is-workday", "2021-10-09"])), "true", "old years kept");
    // The versions on record, newest first, then the one built in.
    let versions = stdout(&sandbox.run(&["calendar", "--db", &db, "versions"]));
    let lines: Vec<&str> = versions.lines().collect();
    assert_eq!(lines.len(), 2, "{versions}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert!(fields[1].ends_with(",2027") && fields[2] == "国办发明电〔2026〕X号", "{versions}");
    assert!(lines[1].starts_with("builtin-"), "{versions}");
    std::fs::write(
        sandbox.dir.join("bad.csv"),
        "date,is_workday,holiday_name,is_makeup_workday\n2028-01-01,maybe,,false\n",
    )
    .unwrap();
    let out = sandbox.run(&["calendar", "--db", &db, "import", "bad.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let verify = sandbox.run(&["audit", "--db", &db, "verify"]);
    assert!(stdout(&verify).starts_with("ok "), "{}", stdout(&verify));
}

/// The catalog shipped with the program (the repository's `catalog/`).
fn shipped_catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog")
}

/// Copies a catalog directory (`<slug>/v<N>.toml`).
fn copy_catalog(from: &Path, to: &Path) {
    for item in std::fs::read_dir(from).unwrap().flatten() {
        if !item.path().is_dir() {
            continue;
        }
        let target = to.join(item.file_name());
        std::fs::create_dir_all(&target).unwrap();
        for file in std::fs::read_dir(item.path()).unwrap().flatten() {
            std::fs::copy(file.path(), target.join(file.file_name())).unwrap();
        }
    }
}

/// Replaces the first line starting with `prefix` in a file; returns its 1-based line number.
fn break_line(path: &Path, prefix: &str, replacement: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let index = lines.iter().position(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix} in {path:?}"));
    lines[index] = replacement.to_string();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    index + 1
}

/// Runs the binary, killing it if it has not exited within `secs` (a server that should have
/// refused to start).
fn run_with_timeout(sandbox: &Sandbox, args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minzheng"))
        .args(args)
        .current_dir(&sandbox.dir)
        .env_remove("MINZHENG_DB")
        .env_remove("MINZHENG_DATA_KEY")
        .env_remove("MINZHENG_CATALOG")
        .env("MINZHENG_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running after {secs} s: {}", String::from_utf8_lossy(&out.stdout));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn the_shipped_catalog_checks_ok() {
    let sandbox = Sandbox::new("catalog-ok");
    let dir = shipped_catalog();
    let out = sandbox.run(&["catalog", "check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    let items = std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_dir()).count();
    let versions: usize = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| {
            std::fs::read_dir(e.path())
                .unwrap()
                .flatten()
                .filter(|f| f.path().extension().is_some_and(|x| x == "toml"))
                .count()
        })
        .sum();
    assert!(items >= 12 && versions > items, "{items} items, {versions} versions");
    assert_eq!(stdout(&out), format!("ok {items} items, {versions} versions"));
    let empty = sandbox.dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(sandbox.run(&["catalog", "check", empty.to_str().unwrap()]).status.code(), Some(2));
    assert_eq!(sandbox.run(&["catalog", "check", "no-such-dir"]).status.code(), Some(2));
}

#[test]
fn a_broken_catalog_is_refused_naming_the_file_and_line() {
    let sandbox = Sandbox::new("catalog-broken");
    let db = sandbox.db();
    let copy = sandbox.dir.join("catalog");
    copy_catalog(&shipped_catalog(), &copy);
    let copy_arg = copy.to_str().unwrap().to_string();
    // The copy is good: init loads it.
    let good = sandbox.run(&["init", "--db", &db, "--catalog", &copy_arg]);
    assert_eq!(good.status.code(), Some(0), "{}", String::from_utf8_lossy(&good.stderr));

    let role_file = copy.join("elderly-care-subsidy/v1.toml");
    let role_line = break_line(&role_file, "role = \"clerk\"", "role = \"janitor\"");
    let limit_file = copy.join("funeral-facility-approval/v1.toml");
    let limit_line = break_line(
        &limit_file,
        "promised_limit =",
        "promised_limit = { value = 30, unit = \"workday\", basis = \"承诺时限\" }",
    );
    let expected = [
        format!("elderly-care-subsidy/v1.toml:{role_line}:"),
        "(unknown_role)".to_string(),
        format!("funeral-facility-approval/v1.toml:{limit_line}:"),
        "(promised_exceeds_statutory)".to_string(),
    ];

    let check = sandbox.run(&["catalog", "check", &copy_arg]);
    assert_eq!(check.status.code(), Some(2));
    let text = stdout(&check);
    for part in &expected {
        assert!(text.contains(part.as_str()), "{part} in:\n{text}");
    }

    let fresh = format!("sqlite://{}", sandbox.dir.join("fresh.db").display());
    for args in [
        vec!["init", "--db", &fresh, "--catalog", &copy_arg],
        vec!["serve", "--db", &db, "--catalog", &copy_arg, "--addr", "127.0.0.1:0"],
    ] {
        let out = run_with_timeout(&sandbox, &args, 60);
        assert_eq!(out.status.code(), Some(2), "{args:?} refuses to start");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for part in &expected {
            assert!(stderr.contains(part.as_str()), "{args:?}: {part} in:\n{stderr}");
        }
    }
    assert!(!sandbox.dir.join("fresh.db").exists(), "refused before the database is touched");
}

#[test]
fn delegations_and_service_metrics_from_the_command_line() {
    let sandbox = Sandbox::new("delegation");
    let db = sandbox.db();
    assert_eq!(sandbox.run(&["init", "--db", &db]).status.code(), Some(0));
    let add = |divisions: &str| {
        sandbox.run(&[
            "delegation",
            "--db",
            &db,
            "add",
            "--item",
            "minimum-living-allowance",
            "--step",
            "confirm",
            "--to-level",
            "township",
            "--divisions",
            divisions,
            "--from",
            "2021-06-01",
            "--document",
            "达市民发〔2021〕X号",
        ])
    };
    let out = add("511702001,511702002");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).starts_with("已下放 2 个区划"), "{}", stdout(&out));
    let refused = add("511702");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("division_level_mismatch"));
    let list = stdout(&sandbox.run(&["delegation", "--db", &db, "list", "--item", "minimum-living-allowance"]));
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(list.contains("511702001") && list.contains("达市民发〔2021〕X号"), "{list}");
    let verify = sandbox.run(&["audit", "--db", &db, "verify"]);
    assert!(stdout(&verify).starts_with("ok "), "{}", stdout(&verify));

    let out = sandbox.run(&["stats", "--db", &db, "service", "--from", "2021-01-01", "--to", "2021-12-31"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stats = json(&out);
    assert_eq!(stats["from"], "2021-01-01");
    let metrics = stats["metrics"].as_array().cloned().unwrap_or_default();
    let compression = metrics.iter().find(|m| m["key"] == "promise_compression").expect("compression");
    assert!(compression["denominator"].as_i64().unwrap_or(0) > 0, "{compression}");
    assert!(compression["definition"].as_str().unwrap_or_default().contains("工作口径（各地政务服务考核的通行算法"));
    let out = sandbox.run(&["stats", "--db", &db, "service", "--from", "2021-12-31", "--to", "2021-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_period"));
}

/// Starts `minzheng serve` on a free loopback port with `args`; returns the child, its address
/// and the lines it printed before it listened.
fn spawn_server(sandbox: &Sandbox, args: &[&str]) -> (std::process::Child, String, Vec<String>) {
    use std::io::{BufRead, BufReader};
    let db = sandbox.db();
    let mut full = vec!["serve", "--db", db.as_str(), "--addr", "127.0.0.1:0"];
    full.extend_from_slice(args);
    let mut child = Command::new(env!("CARGO_BIN_EXE_minzheng"))
        .args(&full)
        .current_dir(&sandbox.dir)
        .env_remove("MINZHENG_DB")
        .env_remove("MINZHENG_DATA_KEY")
        .env_remove("MINZHENG_CATALOG")
        .env("MINZHENG_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server stopped before listening: {printed:?}");
        };
        if let Some(rest) = line.split("http://").nth(1) {
            let addr = rest.split('/').next().unwrap().to_string();
            return (child, addr, printed);
        }
        printed.push(line);
    }
}

/// A plain HTTP GET against the server, the whole response as text.
fn http_get(addr: &str, path: &str) -> String {
    http(addr, "GET", path, "", "")
}

/// A plain HTTP request with extra header lines (each ending in CRLF) and a JSON body.
fn http(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> String {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// The JSON body of a raw HTTP response.
fn http_json(response: &str) -> serde_json::Value {
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {response}"))
}

/// The built program holds every item of the repository's `catalog/`, in every version, and
/// nothing else: a build that embedded a stale or empty catalog fails here.
#[test]
fn the_built_program_serves_every_item_in_the_catalog_directory() {
    let dir = shipped_catalog();
    let mut expected: Vec<(String, Vec<i64>)> = Vec::new();
    for item in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let mut versions: Vec<i64> = std::fs::read_dir(item.path())
            .unwrap()
            .flatten()
            .filter_map(|f| {
                let name = f.file_name().to_string_lossy().into_owned();
                name.strip_prefix('v')?.strip_suffix(".toml")?.parse().ok()
            })
            .collect();
        versions.sort_unstable();
        expected.push((item.file_name().to_string_lossy().into_owned(), versions));
    }
    expected.sort();
    assert!(expected.len() >= 12, "the repository's catalog: {expected:?}");

    let sandbox = Sandbox::new("catalog-served");
    let (mut child, addr, _) = spawn_server(&sandbox, &[]);
    let mut served: Vec<(String, Vec<i64>)> = Vec::new();
    for (slug, _) in &expected {
        let history = http_json(&http_get(&addr, &format!("/api/v1/items/{slug}/history")));
        let mut versions: Vec<i64> = history["versions"]
            .as_array()
            .unwrap_or_else(|| panic!("{slug}: {history}"))
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        versions.sort_unstable();
        served.push((slug.clone(), versions));
    }
    let in_force = http_json(&http_get(&addr, "/api/v1/items"));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(served, expected, "the items and versions the program serves are the files of catalog/");
    let slugs: Vec<&str> = in_force["items"].as_array().unwrap().iter().map(|i| i["slug"].as_str().unwrap()).collect();
    assert!(!slugs.is_empty(), "{in_force}");
    for slug in slugs {
        assert!(expected.iter().any(|(s, _)| s == slug), "{slug} is served but not in catalog/");
    }
}

/// Passwords the program stores are hashed at production strength (argon2id, 19 MiB, 2 passes,
/// 1 lane); the test-strength setting of the test harness never reaches the program.
#[test]
fn the_program_hashes_passwords_at_production_strength() {
    let sandbox = Sandbox::new("hash-strength");
    let db = sandbox.db();
    assert_eq!(sandbox.run(&["init", "--db", &db]).status.code(), Some(0));
    let out = sandbox.run_with_stdin(
        &[
            "user",
            "--db",
            &db,
            "add",
            "--name",
            "clerk1",
            "--role",
            "clerk",
            "--division",
            "511702",
            "--password-stdin",
        ],
        "window-pass-2021\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let hashes: Vec<String> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db).await.unwrap();
        let hashes = sqlx::query_scalar("SELECT password_hash FROM accounts").fetch_all(&pool).await.unwrap();
        pool.close().await;
        hashes
    });
    assert_eq!(hashes.len(), 2, "the administrator and clerk1");
    for hash in hashes {
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }
}

#[test]
fn serve_runs_on_a_simulated_clock() {
    let sandbox = Sandbox::new("simulated");
    let (mut child, addr, printed) = spawn_server(&sandbox, &["--simulated-clock", "2021-06-01T09:00:00+08:00"]);
    let health = http_get(&addr, "/healthz");
    let login = http_get(&addr, "/login");
    let _ = child.kill();
    let _ = child.wait();
    assert!(printed.iter().any(|l| l.starts_with("模拟时钟")), "the start says it is simulated: {printed:?}");
    assert!(health.contains("\"simulated_clock\":\"2021-06-01T09:0"), "{health}");
    assert!(login.contains("模拟时钟") && login.contains("2021-06-01 09:0"), "{login}");
}

#[test]
fn serve_refuses_a_simulated_clock_outside_the_calendar_years() {
    let sandbox = Sandbox::new("simulated-far");
    let db = sandbox.db();
    for far in ["9999-12-31T00:00:00+08:00", "2027-01-01T00:00:00+08:00"] {
        let out = sandbox.run(&["serve", "--db", &db, "--addr", "127.0.0.1:0", "--simulated-clock", far]);
        assert_ne!(out.status.code(), Some(0), "{far}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("工作日历已载入的年份"), "{far}: {stderr}");
    }
}

#[test]
fn serve_demo_makes_a_year_of_cases_through_the_engine() {
    let sandbox = Sandbox::new("demo");
    let (mut child, addr, printed) = spawn_server(&sandbox, &["--demo"]);
    let health = http_get(&addr, "/healthz");
    // 行政执法 (demo/enforcement.rs): the 10 credentialed officers of the Dazhou 2021 report and
    // the year's decisions on the public pages, each carried through the service act by act.
    let officers = http_get(&addr, "/api/v1/enforcement/public/511700/officers");
    assert_eq!(officers.matches("\"certificate_no\"").count(), 10, "{officers}");
    let decisions = http_get(&addr, "/api/v1/enforcement/public/511700/decisions");
    assert!(decisions.matches("\"case_id\"").count() >= 8, "about a case a month, published: {decisions}");
    // The payment roll of 通川区 for December has the demo's 低保 households (demo/assistance.rs),
    // decided through the engine; read by the county's leader.
    let password = printed
        .iter()
        .find(|l| l.trim_start().starts_with("leader511702 "))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("the leader's password is printed")
        .to_string();
    let login = http(
        &addr,
        "POST",
        "/api/v1/auth/login",
        "",
        &format!("{{\"username\":\"leader511702\",\"password\":\"{password}\"}}"),
    );
    // The session cookie the login sets (a GET needs no CSRF token).
    let session = login
        .split("mz_session=")
        .nth(1)
        .and_then(|t| t.split(';').next())
        .unwrap_or_else(|| panic!("a session: {login}"))
        .to_string();
    let roll = http(
        &addr,
        "GET",
        "/api/v1/assistance/payment-roll?county=511702&month=2021-12",
        &format!("Cookie: mz_session={session}\r\n"),
        "",
    );
    // The 2021 report on disclosure on request (demo/disclosure.rs), computed from the year's requests.
    let report =
        http(&addr, "GET", "/api/v1/disclosure/report?year=2021", &format!("Cookie: mz_session={session}\r\n"), "");
    // 建议提案办理 (demo/suggestions.rs): the public results of 2021, computed from the records —
    // 17 deputies' suggestions, all answered on time, every form 满意.
    let results = http_get(&addr, "/suggestions/results?year=2021");
    // The filed elderly-care institutions (demo/elderly_care.rs), on the public list.
    let filed = http(&addr, "GET", "/api/v1/elderly-care/public", "", "");
    // The register of social organizations (demo/social_organization.rs): 通川区's part of it.
    let orgs =
        http(&addr, "GET", "/api/v1/organizations/stats?year=2021", &format!("Cookie: mz_session={session}\r\n"), "");
    // The 12345 tickets dispatched to 通川区 (demo/hotline.rs), and their figures.
    let hotline =
        http(&addr, "GET", "/api/v1/hotline/stats?year=2021", &format!("Cookie: mz_session={session}\r\n"), "");
    // 法治政府建设台账 (demo/rule_of_law.rs): what the report reads, as 通川区's leader sees it —
    // of the 3 villages of the 8th batch, 盐井坝村 (at 磐石镇); the city bureau's records are not his.
    let registers =
        http(&addr, "GET", "/api/v1/rule-of-law/years/2021", &format!("Cookie: mz_session={session}\r\n"), "");
    let _ = child.kill();
    let registers: serde_json::Value =
        serde_json::from_str(registers.split("\r\n\r\n").nth(1).unwrap_or("{}")).unwrap_or_default();
    let count = |name: &str| {
        registers["registers"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["register"] == name))
            .map(|r| r["count"].clone())
    };
    assert_eq!(count("villages"), Some(serde_json::json!(1)), "{registers}");
    assert_eq!(count("study"), Some(serde_json::json!(0)), "{registers}");
    assert!(registers.to_string().contains("通川区磐石镇盐井坝村"), "{registers}");
    let filed: serde_json::Value =
        serde_json::from_str(filed.split("\r\n\r\n").nth(1).unwrap_or("{}")).unwrap_or_default();
    let names: Vec<&str> =
        filed["items"].as_array().map(|a| a.iter().filter_map(|i| i["name"].as_str()).collect()).unwrap_or_default();
    for name in
        ["达州市通川区康乐养老院", "达州市达川区幸福颐养中心", "宣汉县红峰养老服务中心", "达州市通川区夕阳红养老公寓"]
    {
        assert!(names.contains(&name), "{name}: {filed}");
    }
    let _ = child.wait();
    assert!(
        results.contains(
            "<th scope=\"row\">人大代表建议</th><td data-label=\"交办件数\">17</td><td data-label=\"已答复\">17</td>\
             <td data-label=\"按时答复\">17</td><td data-label=\"满意\">18</td><td data-label=\"基本满意\">0</td>\
             <td data-label=\"不满意\">0</td><td data-label=\"满意率（含基本满意）\">100%</td>"
        ),
        "{results}"
    );
    let hotline: serde_json::Value =
        serde_json::from_str(hotline.split("\r\n\r\n").nth(1).unwrap_or("{}")).unwrap_or_default();
    let figure = |key: &str| hotline[key].as_i64().unwrap_or_else(|| panic!("{key}: {hotline}"));
    assert!(figure("received") >= 3 && figure("completed") >= 1, "{hotline}");
    assert!(figure("on_time") <= figure("completed") && figure("called_back") <= figure("completed"), "{hotline}");
    // The year's ratings (each indicator of its channel graded) with their 差评 called back and
    // rectified (demo/hotline.rs), the latest still open.
    assert!(figure("bad_ratings") >= 1 && figure("bad_rectified") >= 1, "{hotline}");
    assert!(figure("bad_rectified") <= figure("bad_called_back"), "{hotline}");
    let report: serde_json::Value =
        serde_json::from_str(report.split("\r\n\r\n").nth(1).unwrap_or("{}")).unwrap_or_default();
    let total = |prefix: &str| {
        report["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["label"].as_str().is_some_and(|l| l.starts_with(prefix))))
            .and_then(|r| r["total"].as_i64())
            .unwrap_or_else(|| panic!("row {prefix}: {report}"))
    };
    assert!(total("一、") >= 35, "about one request every sixth working day: {report}");
    // Every request but the last few was answered in the year, each kind of handling among them.
    assert!(total("四、") <= 5, "{report}");
    assert_eq!(total("一、"), total("（七）") + total("四、"));
    for row in ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"] {
        assert!(total(row) >= 1, "{row}: {report}");
    }
    // Every 不予公开 of the demo names its reason (a process record), so its row counts them all.
    assert_eq!(total("6.属于四类过程性信息"), total("（三）"), "{report}");
    let reviews = report["remedies"][4]["count"].as_i64().unwrap_or_default();
    assert!(reviews >= 1, "refusals taken to 行政复议: {report}");
    let body: serde_json::Value =
        serde_json::from_str(roll.split("\r\n\r\n").nth(1).unwrap_or("{}")).unwrap_or_default();
    let lines = body["lines"].as_array().cloned().unwrap_or_default();
    let dibao = lines.iter().filter(|l| l["program"] == "minimum_living").count();
    assert_eq!(dibao, 5, "five of the six 低保 households were confirmed: {roll}");
    let fen: i64 = lines.iter().filter_map(|l| l["amount_fen"].as_i64()).sum();
    assert_eq!(body["total_fen"].as_i64(), Some(fen), "the roll's total is the sum of its lines");
    assert!(lines.iter().any(|l| l["program"] == "extreme_poverty"), "and the 特困 person: {roll}");
    let orgs: serde_json::Value =
        serde_json::from_str(orgs.split("\r\n\r\n").nth(1).unwrap_or("{}")).unwrap_or_default();
    let registered: u64 = orgs["by_type_and_path"]
        .as_array()
        .map(|rows| rows.iter().map(|r| r["direct"].as_u64().unwrap_or(0) + r["sponsored"].as_u64().unwrap_or(0)).sum())
        .unwrap_or_default();
    assert!(registered >= 30, "the county's organizations: {orgs}");
    assert!(orgs["decoupled"].as_u64().is_some_and(|n| n >= 10), "its decoupled associations: {orgs}");
    let by_result = orgs["inspections_by_result"].as_array().cloned().unwrap_or_default();
    assert!(by_result.iter().any(|r| r["count"].as_u64().is_some_and(|n| n >= 20)), "the 2021 inspections: {orgs}");
    let loaded = printed.iter().find(|l| l.starts_with("演示数据已载入")).expect("the demo says what it loaded");
    let cases: u32 = loaded.trim_start_matches("演示数据已载入：").split(' ').next().unwrap().parse().unwrap();
    assert!(cases >= 300, "a year of window work: {loaded}");
    // Every role, across the divisions (the administrator is printed by init).
    for account in [
        "clerk",
        "reviewer",
        "decider",
        "leader",
        "legal",
        "enforcer",
        "clerk511703",
        "reviewer511722",
        "decider511781",
        "leader511702",
        "township511702001",
        "citizen511702",
    ] {
        assert!(printed.iter().any(|l| l.trim_start().starts_with(&format!("{account} "))), "{account}: {printed:?}");
    }
    assert!(health.contains("\"simulated_clock\":\"2021-12-20T09:0"), "the demo stops on 2021-12-20: {health}");
    // Everything went through the engine and into the record.
    let verify = sandbox.run(&["audit", "--db", &sandbox.db(), "verify"]);
    let events: u64 = stdout(&verify).trim_start_matches("ok ").trim_end_matches(" events").parse().unwrap();
    assert!(events > u64::from(cases) * 3, "{}", stdout(&verify));
    // The 2021 delegation pilot (demo/assistance.rs): 46 townships for each delegated step.
    for item in ["minimum-living-allowance", "extreme-poverty-support", "temporary-assistance"] {
        let list = stdout(&sandbox.run(&["delegation", "--db", &sandbox.db(), "list", "--item", item]));
        assert_eq!(list.lines().count(), 46, "{item}: {list}");
    }
    // The online 残疾人两项补贴 applications run to the end: every one submitted before December
    // (later ones may still be open when the demo stops) is closed, by a decision in its record.
    // (Once a 公示 step approved by hand stalled every one of them at 残联.)
    let december = chrono::DateTime::parse_from_rfc3339("2021-12-01T00:00:00+08:00").unwrap().timestamp_millis();
    let (online, closed, decided): (i64, i64, i64) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&sandbox.db()).await.unwrap();
        let counts = sqlx::query_as(
            "SELECT COUNT(*), \
                    COALESCE(SUM(CASE WHEN c.status = 'closed' AND c.closed_at_ms IS NOT NULL THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM audit_events e \
                        WHERE e.stream = 'case:' || c.id AND e.act = 'case.decide') THEN 1 ELSE 0 END), 0) \
             FROM cases c WHERE c.item_slug = 'disability-subsidy' AND c.channel = 'online' AND c.submitted_at_ms < $1",
        )
        .bind(december)
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        counts
    });
    assert!(online >= 30, "about one online application every other day from spring: {online}");
    assert_eq!((closed, decided), (online, online), "of {online} online subsidy applications before December");
}

#[test]
fn init_is_safe_twice_and_the_record_verifies_and_exports() {
    let sandbox = Sandbox::new("init");
    let db = sandbox.db();
    let first = sandbox.run(&["init", "--db", &db]);
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("password:"));
    assert!(sandbox.dir.join("m.db.key").exists(), "key file beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sandbox.dir.join("m.db.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let second = sandbox.run(&["init", "--db", &db]);
    assert_eq!(second.status.code(), Some(0));
    assert!(!stdout(&second).contains("password:"), "no second admin, no password");

    let out = sandbox.run_with_stdin(
        &[
            "user",
            "--db",
            &db,
            "add",
            "--name",
            "clerk1",
            "--role",
            "clerk",
            "--division",
            "511702",
            "--password-stdin",
        ],
        "window-pass-2021\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        sandbox.run(&["user", "--db", &db, "grant", "--name", "clerk1", "--role", "reviewer", "--division", "511702"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let list = stdout(&sandbox.run(&["user", "--db", &db, "list"]));
    assert!(list.contains("clerk1") && list.contains("reviewer@511702"), "{list}");
    let weak = sandbox.run_with_stdin(
        &[
            "user",
            "--db",
            &db,
            "add",
            "--name",
            "clerk2",
            "--role",
            "clerk",
            "--division",
            "511702",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("weak_password"));

    let verify = sandbox.run(&["audit", "--db", &db, "verify"]);
    assert_eq!(verify.status.code(), Some(0));
    let line = stdout(&verify);
    let n: u64 = line.strip_prefix("ok ").and_then(|r| r.strip_suffix(" events")).unwrap().parse().unwrap();
    assert!(n >= 3, "account.create ×2 and account.grant: {line}");

    let export = sandbox.dir.join("record.jsonl");
    let out = sandbox.run(&["audit", "--db", &db, "export", "--from", "1", "--out", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let out = sandbox.run(&["audit", "verify", "--file", export.to_str().unwrap()]);
    assert_eq!(stdout(&out), format!("ok {n} events"));
    let key = stdout(&sandbox.run(&["audit", "--db", &db, "public-key"]));
    assert_eq!(key.len(), 130, "SEC1 uncompressed SM2 point: {key}");
    let out = sandbox.run(&["audit", "verify", "--file", export.to_str().unwrap(), "--public-key", &key]);
    assert_eq!(stdout(&out), format!("ok {n} events"), "signed by the published key");
    let other = format!("04{}", "1".repeat(128));
    let out = sandbox.run(&["audit", "verify", "--file", export.to_str().unwrap(), "--public-key", &other]);
    assert_eq!(out.status.code(), Some(1), "a file signed by another key is refused");
    let text = std::fs::read_to_string(&export).unwrap().replacen("clerk1", "clerk9", 1);
    std::fs::write(&export, text).unwrap();
    let out = sandbox.run(&["audit", "verify", "--file", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("broken at seq"), "{}", stdout(&out));
}

#[test]
fn audit_verify_names_the_first_broken_seq_in_the_database() {
    let sandbox = Sandbox::new("tamper");
    let db = sandbox.db();
    assert_eq!(sandbox.run(&["init", "--db", &db]).status.code(), Some(0));
    for name in ["a1", "a2", "a3"] {
        let out = sandbox.run_with_stdin(
            &[
                "user",
                "--db",
                &db,
                "add",
                "--name",
                &format!("clerk{name}"),
                "--role",
                "clerk",
                "--division",
                "511703",
                "--password-stdin",
            ],
            "window-pass-2021\n",
        );
        assert_eq!(out.status.code(), Some(0));
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let seq: i64 = runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db).await.unwrap();
        let seq: i64 = sqlx::query_scalar("SELECT seq FROM audit_events WHERE payload LIKE '%clerka2%'")
            .fetch_one(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_events SET payload = replace(payload, 'clerka2', 'clerkzz') WHERE seq = $1")
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        seq
    });
    let out = sandbox.run(&["audit", "--db", &db, "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with(&format!("broken at seq {seq}: edited")), "{}", stdout(&out));
}

#[test]
fn marriage_import_reports_bad_rows_by_line_and_imports_nothing() {
    let sandbox = Sandbox::new("marriage-import");
    let db = sandbox.db();
    assert_eq!(sandbox.run(&["init", "--db", &db]).status.code(), Some(0));
    let header = "kind,office,date,party_a_id_number,party_b_id_number,certificate_number";
    let file = sandbox.dir.join("bad.csv");
    std::fs::write(
        &file,
        format!("{header}\nwedding,511702,2005-05-20,511702198001010011,511702198202020021,\nmarriage,511702,2005-05-20,1234,5678,\n"),
    )
    .unwrap();
    let out = sandbox.run(&["marriage", "--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("未导入任何记录"), "{err}");
    assert!(err.contains("第2行") && err.contains("第3行"), "{err}");
    assert!(!err.contains("511702198001010011"), "ID numbers never printed in clear: {err}");

    let empty = sandbox.dir.join("empty.csv");
    std::fs::write(&empty, format!("{header}\n")).unwrap();
    let out = sandbox.run(&["marriage", "--db", &db, "import", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("已导入婚姻登记记录 0 条"));
}

/// Whether a program is on PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[test]
fn bench_http_drives_the_server_with_wrk_or_says_how_to_install_it() {
    let sandbox = Sandbox::new("bench-http");
    let out = sandbox.run(&["bench", "http", "--duration", "1", "--connections", "4", "--threads", "1"]);
    let text = stdout(&out);
    if !on_path("wrk") {
        assert!(std::env::var_os("CI").is_none(), "CI installs wrk (.ci/run)");
        assert!(!out.status.success(), "without wrk the bench fails");
        assert!(String::from_utf8_lossy(&out.stderr).contains("apt-get install wrk"), "{out:?}");
        return;
    }
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    for route in ["static_file", "catalog_read", "case_read", "case_submit"] {
        let line = text.lines().find(|l| l.starts_with(&format!("http {route} "))).unwrap_or_else(|| panic!("{text}"));
        for field in ["requests_per_s=", "p50_ms=", "p99_ms=", "errors=0 "] {
            assert!(line.contains(field), "{field} in {line}");
        }
    }
    assert!(text.contains("ratio_to_raw_txn="), "the submission beside the raw transaction: {text}");
    let peak = text.lines().find_map(|l| l.strip_prefix("server_peak_rss_mb=")).expect("peak RSS");
    let mb: f64 = peak.split_whitespace().next().unwrap().parse().unwrap();
    assert!(mb > 1.0, "{peak}");
    let metrics = text.lines().find(|l| l.starts_with("http service_stats GET ")).unwrap_or_else(|| panic!("{text}"));
    assert!(metrics.contains(" status=200 ") && metrics.contains("server_peak_rss_mb_after="), "{metrics}");
}

#[test]
fn bench_stats_generates_cases_and_times_the_queries() {
    let sandbox = Sandbox::new("bench-stats");
    let out = sandbox.run(&["bench", "stats", "--cases", "60", "--runs", "1"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("generated cases=60 "), "{text}");
    assert!(text.contains("generated marital_registrations=12 "), "{text}");
    assert!(text.contains("cases_in_db=60 marital_registrations_in_db=12 runs=1"), "{text}");
    for field in [
        "period=year 2025-01-01..2025-12-31 raw_scan_ms=",
        "period=year service_stats_ms=",
        "period=month 2025-06-01..2025-06-30 raw_scan_ms=",
        "period=month service_stats_ms=",
        "period=year raw_registration_scan_ms=",
        "period=year marriage_stats_ms=",
    ] {
        assert!(text.lines().any(|l| l.starts_with(field)), "{field} in {text}");
    }
    // The SQL counts and the row-by-row counts agree (the bench fails otherwise).
    for field in ["period=year by_rows_ms=", "period=month by_rows_ms="] {
        let line = text.lines().find(|l| l.starts_with(field)).unwrap_or_else(|| panic!("{field} in {text}"));
        assert!(line.ends_with("same_figures=true"), "{line}");
    }
}

#[test]
fn a_typo_on_a_guard_is_refused_naming_the_file_line_and_name() {
    let sandbox = Sandbox::new("catalog-guard");
    let copy = sandbox.dir.join("catalog");
    copy_catalog(&shipped_catalog(), &copy);
    let file = copy.join("marriage-registration/v2.toml");
    let line = break_line(
        &file,
        "guards = [\"marriage_age\", \"marriage_no_spouse\"]",
        "guards = [\"marriage_age\", \"marriage_no_spuose\"]",
    );
    let check = sandbox.run(&["catalog", "check", copy.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(2));
    let text = stdout(&check);
    for part in
        [format!("marriage-registration/v2.toml:{line}:"), "marriage_no_spuose".into(), "(unknown_guard)".into()]
    {
        assert!(text.contains(part.as_str()), "{part} in:\n{text}");
    }
}

/// The connection flags (`--db`, `--key-file`, `--checkpoint-file`) are accepted wherever the user
/// types them: before the subcommand or after it, on every subcommand that reaches the database.
#[test]
fn connection_flags_are_accepted_after_every_subcommand() {
    let sandbox = Sandbox::new("global-flags");
    let db = sandbox.db();
    let key = sandbox.dir.join("k.hex");
    let key = key.to_str().unwrap();
    let checkpoint = sandbox.dir.join("head.json");
    let checkpoint = checkpoint.to_str().unwrap();
    let flags = ["--db", &db, "--key-file", key, "--checkpoint-file", checkpoint];
    let with = |args: &[&str]| -> Vec<String> {
        args.iter().map(|a| a.to_string()).chain(flags.iter().map(|f| f.to_string())).collect()
    };
    let ok = |args: Vec<String>, stdin: &str| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = sandbox.run_with_stdin(&refs, stdin);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        stdout(&out)
    };
    ok(with(&["init"]), "");
    assert!(sandbox.dir.join("k.hex").exists(), "--key-file after `init` is the key used");
    ok(
        with(&["user", "add", "--name", "clerk1", "--role", "clerk", "--division", "511702", "--password-stdin"]),
        "window-pass-2021\n",
    );
    ok(with(&["user", "grant", "--name", "clerk1", "--role", "reviewer", "--division", "511702"]), "");
    ok(with(&["user", "passwd", "--name", "clerk1", "--password-stdin"]), "window-pass-2022\n");
    assert!(ok(with(&["user", "list"]), "").contains("clerk1"));
    assert!(ok(with(&["audit", "verify"]), "").starts_with("ok "));
    assert_eq!(ok(with(&["audit", "public-key"]), "").len(), 130);
    ok(with(&["audit", "checkpoint"]), "");
    assert!(
        sandbox.dir.join("head.json").exists(),
        "--checkpoint-file after `audit checkpoint` is where it is published"
    );
    let export = sandbox.dir.join("record.jsonl");
    ok(with(&["audit", "export", "--out", export.to_str().unwrap()]), "");
    assert!(ok(with(&["calendar", "is-workday", "2021-10-01"]), "").contains("false"));
    ok(with(&["calendar", "add-workdays", "2021-09-30", "1"]), "");
    ok(with(&["calendar", "add-days", "2021-09-30", "1"]), "");
    ok(with(&["calendar", "versions"]), "");
    ok(with(&["delegation", "list"]), "");
    ok(with(&["stats", "service", "--from", "2021-01-01", "--to", "2021-12-31"]), "");
    let csv = sandbox.dir.join("marriages.csv");
    std::fs::write(&csv, "kind,office,date,party_a_id_number,party_b_id_number,certificate_number\n").unwrap();
    let refs = with(&["marriage", "import", csv.to_str().unwrap()]);
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let out = sandbox.run(&refs);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("unexpected argument"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A wrong key given after the subcommand is the one used (not silently the default).
    std::fs::write(sandbox.dir.join("other.hex"), "00".repeat(32)).unwrap();
    let other = sandbox.dir.join("other.hex");
    let out = sandbox.run(&["user", "list", "--db", &db, "--key-file", other.to_str().unwrap()]);
    let before = sandbox.run(&["user", "--db", &db, "--key-file", other.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), before.status.code(), "the flag means the same wherever it is typed");
}
