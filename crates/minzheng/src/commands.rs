//! One function per subcommand; each calls the service layer and prints.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use domain::calendar::WorkCalendar;
use domain::clock::{Clock, SystemClock};
use domain::idcard::{parse_id, RegionHistory};
use serde_json::json;
use service::accounts::AccountInput;
use service::App;

use crate::cli::{AuditCommand, CalendarCommand, Cli, Command, DbArgs, IdcardCommand, UserCommand};
use crate::config::{database_exists, open_app};

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::Init { db, root_division } => init(&db, clock, &root_division).await,
        Command::Serve { db, addr, root_division, secure_cookies, checkpoint_interval } => {
            serve(&db, clock, &addr, &root_division, secure_cookies, checkpoint_interval).await
        }
        Command::Idcard { command: IdcardCommand::Check { id } } => Ok(idcard_check(&id, clock.as_ref())),
        Command::Calendar { db, command } => calendar(&db, clock, command).await,
        Command::Audit { db, command } => audit(&db, clock, command).await,
        Command::User { db, command } => user(&db, clock, command).await,
        Command::Bench { command } => crate::bench::run(command).await,
    }
}

fn print_admin(report: &service::init::InitReport) {
    if let Some((username, password)) = &report.admin {
        println!("管理员账号已创建（密码只显示这一次，请立即登录后修改）：");
        println!("  用户名 username: {username}");
        println!("  密码   password: {password}");
    }
}

async fn init(db: &DbArgs, clock: Arc<dyn Clock>, root_division: &str) -> anyhow::Result<ExitCode> {
    let app = open_app(db, clock).await?;
    let report = app.init(root_division).await?;
    println!("数据库已就绪：{}（新载入行政区划 {} 条）", store::redact_url(&db.url), report.divisions_added);
    if report.admin.is_none() {
        println!("已有账户，未重复创建管理员。");
    }
    print_admin(&report);
    Ok(ExitCode::SUCCESS)
}

async fn serve(
    db: &DbArgs,
    clock: Arc<dyn Clock>,
    addr: &str,
    root_division: &str,
    secure_cookies: bool,
    checkpoint_interval: u64,
) -> anyhow::Result<ExitCode> {
    let app = Arc::new(open_app(db, clock).await?);
    let report = app.init(root_division).await?;
    print_admin(&report);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("无法监听 {addr}"))?;
    let local = listener.local_addr()?;
    println!("minzheng 已启动：http://{local}/ （接口文档 http://{local}/api/v1/openapi.json）");
    if report.admin.is_none() {
        println!("管理员密码仅在首次创建时显示；忘记时可运行：minzheng user passwd --name admin --password-stdin");
    }
    let ticker = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(std::time::Duration::from_secs(checkpoint_interval.max(1)));
            loop {
                interval.tick().await;
                if let Err(err) = app.checkpoint().await {
                    tracing::error!(error = %err, "checkpoint failed");
                }
            }
        })
    };
    // The sweep: timed transitions (a wait step's period run out) applied as the system. The
    // timers live in the database, so one missed while the server was down is applied now.
    let sweeper = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                interval.tick().await;
                match app.sweep_once(app.now()).await {
                    Ok(0) => {}
                    Ok(moved) => tracing::info!(moved, "sweep applied timers"),
                    Err(err) => tracing::error!(error = %err, "sweep failed"),
                }
            }
        })
    };
    let state = web::AppState { app: app.clone(), secure_cookies };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    web::serve(listener, state, shutdown).await?;
    ticker.abort();
    sweeper.abort();
    app.checkpoint().await?;
    Ok(ExitCode::SUCCESS)
}

fn idcard_check(id: &str, clock: &dyn Clock) -> ExitCode {
    let today = domain::calendar::shanghai_date(clock.now());
    match parse_id(id, today, RegionHistory::builtin()) {
        Ok(info) => {
            let out = json!({
                "valid": true,
                "birth_date": info.birth_date.to_string(),
                "sex": info.sex.as_str(),
                "region_code": info.region_code,
                "region_name": info.region_name,
            });
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            println!("{}", json!({"valid": false, "reason": err.code(), "message": err.to_string()}));
            ExitCode::from(1)
        }
    }
}

fn parse_date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .with_context(|| format!("日期“{text}”格式不正确，应为 YYYY-MM-DD"))
}

/// The calendar in force: the database's newest version when a database exists, else built in.
async fn calendar_in_force(db: &DbArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<WorkCalendar>> {
    if database_exists(&db.url) {
        Ok(open_app(db, clock).await?.calendar())
    } else {
        Ok(Arc::new(WorkCalendar::builtin().clone()))
    }
}

async fn calendar(db: &DbArgs, clock: Arc<dyn Clock>, command: CalendarCommand) -> anyhow::Result<ExitCode> {
    let answer = match command {
        CalendarCommand::Import { file, source } => {
            let csv = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let app = open_app(db, clock).await?;
            let source = if source.is_empty() { file.display().to_string() } else { source };
            let years = app.import_calendar(None, &csv, &source).await?;
            println!("已导入新版本，覆盖年份：{years:?}");
            return Ok(ExitCode::SUCCESS);
        }
        CalendarCommand::Versions => {
            let app = open_app(db, clock).await?;
            for (version, source, years, at_ms) in app.store.calendar_versions().await? {
                println!("{version}\t{years}\t{source}\t{at_ms}");
            }
            println!("builtin-2020-2026\t(内置)");
            return Ok(ExitCode::SUCCESS);
        }
        CalendarCommand::IsWorkday { date } => {
            let date = parse_date(&date)?;
            calendar_in_force(db, clock).await?.is_workday(date).map(|b| b.to_string())
        }
        CalendarCommand::AddWorkdays { date, n } => {
            let date = parse_date(&date)?;
            calendar_in_force(db, clock).await?.add_workdays(date, n).map(|d| d.to_string())
        }
        CalendarCommand::AddDays { date, n } => {
            let date = parse_date(&date)?;
            calendar_in_force(db, clock).await?.add_days(date, n).map(|d| d.to_string())
        }
    };
    match answer {
        Ok(text) => {
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("{err}");
            Ok(ExitCode::from(2))
        }
    }
}

async fn audit(db: &DbArgs, clock: Arc<dyn Clock>, command: AuditCommand) -> anyhow::Result<ExitCode> {
    if let AuditCommand::Verify { file: Some(file), public_key } = &command {
        let handle = std::fs::File::open(file).with_context(|| format!("无法打开 {}", file.display()))?;
        let lines = std::io::BufReader::new(handle).lines().map_while(Result::ok);
        let result = store::audit::verify_lines(lines, public_key.as_deref()).map_err(anyhow::Error::msg)?;
        return Ok(print_verification(result));
    }
    if !database_exists(&db.url) {
        bail!("数据库不存在：{}（先运行 minzheng init）", store::redact_url(&db.url));
    }
    let app = open_app(db, clock).await?;
    match command {
        AuditCommand::Verify { .. } => Ok(print_verification(app.verify_record().await?)),
        AuditCommand::Export { from, out } => {
            let n = match out {
                Some(path) => {
                    let mut file = std::io::BufWriter::new(
                        std::fs::File::create(&path).with_context(|| format!("无法写入 {}", path.display()))?,
                    );
                    let n = app.export_record(from, &mut file).await?;
                    file.flush()?;
                    n
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut lock = stdout.lock();
                    app.export_record(from, &mut lock).await?
                }
            };
            eprintln!("已导出 {n} 条事件");
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::PublicKey => {
            println!("{}", app.keys.public_key_hex());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Checkpoint => {
            match app.checkpoint().await? {
                Some(signed) => println!("checkpoint {} {}", signed.no, signed.hash),
                None => println!("no new events since the last checkpoint"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_verification(result: store::audit::Verification) -> ExitCode {
    match result {
        Ok(report) => {
            println!("ok {} events", report.events);
            ExitCode::SUCCESS
        }
        Err(brk) => {
            println!("{brk}");
            ExitCode::from(1)
        }
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("无法从标准输入读取密码")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn user(db: &DbArgs, clock: Arc<dyn Clock>, command: UserCommand) -> anyhow::Result<ExitCode> {
    let app: App = open_app(db, clock).await?;
    app.store.load_divisions(app.divisions()).await?;
    match command {
        UserCommand::Add { name, role, division, display_name, .. } => {
            let input = AccountInput {
                display_name: display_name.unwrap_or_else(|| name.clone()),
                username: name,
                password: read_password()?,
                grants: vec![(role, division)],
            };
            let account = app.create_account(None, &input).await?;
            println!("已创建账户 {}（编号 {}）", account.username, account.id);
        }
        UserCommand::Grant { name, role, division } => {
            let account = app.account_by_username(&name).await?;
            app.grant(None, account.id, &role, &division).await?;
            println!("已授权 {name}：{role} @ {division}");
        }
        UserCommand::Passwd { name, .. } => {
            let account = app.account_by_username(&name).await?;
            app.set_password(None, account.id, &read_password()?, None).await?;
            println!("已修改 {name} 的密码，原有登录已失效");
        }
        UserCommand::List => {
            for account in app.accounts(None).await? {
                let grants: Vec<String> = account.grants.iter().map(|g| format!("{}@{}", g.role, g.division)).collect();
                let state = if account.disabled { "停用" } else { "正常" };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    account.id,
                    account.username,
                    account.display_name,
                    state,
                    grants.join(",")
                );
            }
        }
    }
    app.checkpoint().await?;
    Ok(ExitCode::SUCCESS)
}
