//! The command-line contracts, checked from outside by running the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use std::io::Write;

struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("minzheng-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox { dir }
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
    let out = sandbox.run(&["calendar", "--db", &db, "import", "2027.csv", "--source", "国办发明电〔2026〕X号"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&sandbox.run(&["calendar", "--db", &db, "is-workday", "2027-01-01"])), "false");
    assert_eq!(stdout(&sandbox.run(&["calendar", "--db", &db, "add-workdays", "2026-12-31", "1"])), "2027-01-04");
    assert_eq!(stdout(&sandbox.run(&["calendar", "--db", &db, "is-workday", "2021-10-09"])), "true", "old years kept");
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
