//! One function per subcommand; each calls the service layer and prints.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::WorkCalendar;
use domain::clock::{Clock, SimulatedClock, SystemClock};
use domain::idcard::{parse_id, RegionHistory};
use serde_json::json;
use service::accounts::AccountInput;
use service::delegations::DelegationInput;
use service::stats::StatsQuery;
use service::App;

use crate::cli::{
    AuditCommand, CalendarCommand, CatalogCommand, Cli, Command, DbArgs, DelegationCommand, IdcardCommand,
    MarriageCommand, ReportCommand, ReportFormat, StatsCommand, UsccCommand, UserCommand,
};
use crate::config::{database_exists, open_app, open_app_with_catalog};

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::Init { db, root_division, catalog } => init(&db, clock, &root_division, catalog.as_deref()).await,
        Command::Serve {
            db,
            addr,
            root_division,
            secure_cookies,
            trusted_proxies,
            public_url,
            checkpoint_interval,
            catalog,
            simulated_clock,
            demo,
            node,
            nats,
            nats_prefix,
        } => {
            let trusted_proxies = web::client_addr::TrustedProxies::parse(&trusted_proxies)
                .map_err(|problem| anyhow::anyhow!("MINZHENG_TRUSTED_PROXIES（--trusted-proxies）无效：{problem}"))?;
            let public_url = public_url
                .filter(|url| !url.trim().is_empty())
                .map(|url| web::routes::notices::parse_public_url(&url))
                .transpose()
                .map_err(|problem| anyhow::anyhow!("MINZHENG_PUBLIC_URL（--public-url）无效：{problem}"))?;
            if public_url.is_none() {
                tracing::warn!(
                    "MINZHENG_PUBLIC_URL is not set: the QR codes of notices and certificates carry the address each request came to"
                );
            }
            let simulated_clock = match (simulated_clock, demo) {
                (None, true) => Some(crate::demo::demo_start().to_rfc3339()),
                (clock, _) => clock,
            };
            let options = ServeOptions {
                secure_cookies,
                trusted_proxies,
                public_url,
                checkpoint_interval,
                catalog,
                simulated_clock,
                demo,
                node: match (node, nats) {
                    (Some(node), Some(nats)) => Some(
                        service::nodes::NodeConfig::new(&node, &nats, &nats_prefix)
                            .map_err(|err| anyhow::anyhow!("--node 无效：{err}"))?,
                    ),
                    _ => None,
                },
            };
            serve(&db, clock, &addr, &root_division, options).await
        }
        Command::Node { db, node, nats, nats_prefix } => {
            let config = service::nodes::NodeConfig::new(&node, &nats, &nats_prefix)
                .map_err(|err| anyhow::anyhow!("--node 无效：{err}"))?;
            let mut app = open_app(&db, clock).await?;
            app.set_node(Some(config));
            println!("区域节点 {node} 已启动：经 {nats} 交换跨省通办办件");
            service::nodes::run_link(Arc::new(app), std::time::Duration::from_millis(100))
                .await
                .map_err(|err| anyhow::anyhow!("节点连接中断：{err}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Idcard { command: IdcardCommand::Check { id } } => Ok(idcard_check(&id, clock.as_ref())),
        Command::Uscc { command: UsccCommand::Check { code } } => Ok(uscc_check(&code)),
        Command::Calendar { db, command } => calendar(&db, clock, command).await,
        Command::Audit { db, command } => audit(&db, clock, command).await,
        Command::User { db, command } => user(&db, clock, command).await,
        Command::Catalog { command: CatalogCommand::Check { dir } } => catalog_check(&dir),
        Command::Delegation { db, command } => delegation(&db, clock, command).await,
        Command::Stats { db, command } => stats(&db, clock, command).await,
        Command::Marriage { db, command } => marriage(&db, clock, command).await,
        Command::Report { db, command } => report(&db, clock, command).await,
        Command::Demo { db, root_division } => demo_only(&db, &root_division).await,
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

async fn init(
    db: &DbArgs,
    clock: Arc<dyn Clock>,
    root_division: &str,
    catalog: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let app = open_app_with_catalog(db, clock, catalog).await?;
    let report = app.init(root_division).await?;
    println!("数据库已就绪：{}（新载入行政区划 {} 条）", store::redact_url(&db.url), report.divisions_added);
    if report.admin.is_none() {
        println!("已有账户，未重复创建管理员。");
    }
    print_admin(&report);
    Ok(ExitCode::SUCCESS)
}

/// The options of `serve` beyond the database and the address.
struct ServeOptions {
    secure_cookies: bool,
    trusted_proxies: web::client_addr::TrustedProxies,
    /// Checked by `web::routes::notices::parse_public_url`.
    public_url: Option<String>,
    checkpoint_interval: u64,
    catalog: Option<PathBuf>,
    simulated_clock: Option<String>,
    demo: bool,
    node: Option<service::nodes::NodeConfig>,
}

async fn serve(
    db: &DbArgs,
    clock: Arc<dyn Clock>,
    addr: &str,
    root_division: &str,
    options: ServeOptions,
) -> anyhow::Result<ExitCode> {
    let ServeOptions {
        secure_cookies,
        trusted_proxies,
        public_url,
        checkpoint_interval,
        catalog,
        simulated_clock,
        demo,
        node,
    } = options;
    let simulated = match simulated_clock.as_deref() {
        Some(start) => {
            let start = DateTime::parse_from_rfc3339(start.trim()).with_context(|| {
                format!("模拟时钟的起始时间“{start}”应为 RFC 3339 格式，如 2021-06-01T09:00:00+08:00")
            })?;
            Some(Arc::new(SimulatedClock::starting_at(start.with_timezone(&Utc))))
        }
        None => None,
    };
    let clock: Arc<dyn Clock> = match &simulated {
        Some(simulated) => simulated.clone(),
        None => clock,
    };
    let mut app = open_app_with_catalog(db, clock, catalog.as_deref()).await?;
    app.set_node(node);
    let app = Arc::new(app);
    if simulated.is_some() {
        // Before anything is recorded at the simulated time.
        app.check_simulated_instant(app.now())?;
    }
    let report = app.init(root_division).await?;
    print_admin(&report);
    if let (true, Some(clock)) = (demo, &simulated) {
        if report.admin.is_some() {
            println!("正在生成演示数据（2021年全年的窗口办件，经由办件引擎在模拟时钟上办理）……");
            let (accounts, cases) = crate::demo::load(&app, clock).await?;
            println!("演示数据已载入：{cases} 件办件。演示账号（密码只显示这一次）：");
            for line in accounts {
                println!("{line}");
            }
        } else {
            println!("数据库已有数据，未重复生成演示数据。");
        }
    }
    if simulated.is_some() {
        println!("模拟时钟：服务运行在模拟时间 {}（北京时间）上，仅供测试和演示", web::dto::timestamp(app.now()));
    }
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
    let warner = tokio::spawn(warn_about_the_calendar(app.clone()));
    // A regional node: the outbox's publisher and this node's consumer (service::nodes).
    if let Some(node) = app.node() {
        println!("区域节点 {}：经 {} 与其他省级节点交换跨省通办办件", node.node, node.nats_url);
        let app = app.clone();
        tokio::spawn(async move {
            if let Err(err) = service::nodes::run_link(app, std::time::Duration::from_millis(200)).await {
                tracing::error!(error = %err, "node link stopped");
            }
        });
    }
    // A calendar version imported by another process (`minzheng calendar import`) is taken up
    // without a restart.
    let reloader = {
        let app = app.clone();
        tokio::spawn(async move {
            let period = std::time::Duration::from_secs(service::calendar::CALENDAR_RELOAD_SECONDS);
            let mut interval = tokio::time::interval(period);
            loop {
                interval.tick().await;
                if let Err(err) = app.reload_calendar().await {
                    tracing::error!(error = %err, "calendar reload failed");
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
    let state = web::AppState { app: app.clone(), secure_cookies, simulated, public_url };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    web::serve_behind(listener, state, trusted_proxies, shutdown).await?;
    ticker.abort();
    warner.abort();
    reloader.abort();
    sweeper.abort();
    app.checkpoint().await?;
    Ok(ExitCode::SUCCESS)
}

/// Logs the calendar-year warning at start and then once a day (by the application's clock, so
/// a simulated clock moved past 1 October warns too), until next year's arrangement is loaded.
async fn warn_about_the_calendar(app: Arc<App>) {
    let mut warned_on: Option<NaiveDate> = None;
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        interval.tick().await;
        let today = app.today();
        if warned_on == Some(today) {
            continue;
        }
        if let Some(warning) = app.calendar_warning() {
            tracing::warn!(today = %today, "{warning}");
            warned_on = Some(today);
        }
    }
}

fn catalog_check(dir: &Path) -> anyhow::Result<ExitCode> {
    let files = service::catalog::read_dir_files(dir).map_err(anyhow::Error::msg)?;
    if files.is_empty() {
        eprintln!("目录 {} 中没有事项文件（应为 <slug>/v<N>.toml）", dir.display());
        return Ok(ExitCode::from(2));
    }
    let problems = service::catalog::check_files(&files);
    if !problems.is_empty() {
        for problem in &problems {
            println!("{problem}");
        }
        eprintln!("共 {} 处问题", problems.len());
        return Ok(ExitCode::from(2));
    }
    let catalog = service::catalog::load_catalog(&files).map_err(|p| anyhow::anyhow!("{} 处问题", p.len()))?;
    println!("ok {} items, {} versions", catalog.slugs().count(), catalog.all().count());
    Ok(ExitCode::SUCCESS)
}

async fn delegation(db: &DbArgs, clock: Arc<dyn Clock>, command: DelegationCommand) -> anyhow::Result<ExitCode> {
    if !database_exists(&db.url) {
        bail!("数据库不存在：{}（先运行 minzheng init）", store::redact_url(&db.url));
    }
    let app = open_app(db, clock).await?;
    let print = |row: &service::delegations::DelegationRow| {
        let until = row.valid_until.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            row.id, row.item_slug, row.step, row.to_level, row.division, row.valid_from, until, row.document
        );
    };
    match command {
        DelegationCommand::Add { item, step, to_level, divisions, from, document } => {
            let input = DelegationInput { item, step, to_level, divisions, from, document };
            let rows = app.grant_delegation(None, &input).await?;
            println!("已下放 {} 个区划：", rows.len());
            rows.iter().for_each(print);
        }
        DelegationCommand::Revoke { id, from } => {
            let row = app.revoke_delegation(None, id, &from).await?;
            println!(
                "已收回：自 {from} 起不再下放（有效至 {}）",
                row.valid_until.map(|d| d.to_string()).unwrap_or_default()
            );
            print(&row);
        }
        DelegationCommand::List { item } => app.delegation_list(None, item.as_deref()).await?.iter().for_each(print),
    }
    app.checkpoint().await?;
    Ok(ExitCode::SUCCESS)
}

async fn stats(db: &DbArgs, clock: Arc<dyn Clock>, command: StatsCommand) -> anyhow::Result<ExitCode> {
    let StatsCommand::Service { from, to, division } = command;
    let query = StatsQuery {
        from: from.as_deref().map(parse_date).transpose()?,
        to: to.as_deref().map(parse_date).transpose()?,
        division,
    };
    if !database_exists(&db.url) {
        bail!("数据库不存在：{}（先运行 minzheng init）", store::redact_url(&db.url));
    }
    let app = open_app(db, clock).await?;
    let stats = app.service_stats(None, &query).await?;
    let dto = web::dto::operations::ServiceStatsDto::from_stats(&stats);
    println!("{}", serde_json::to_string_pretty(&dto)?);
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

/// Every problem of the code at once, each with its stable reason (`uscc_checksum`…).
fn uscc_check(code: &str) -> ExitCode {
    match domain::organization::parse_uscc(code, "code", RegionHistory::builtin()) {
        Ok(info) => {
            let out = json!({
                "valid": true,
                "authority": info.authority,
                "category": info.category,
                "region_code": info.region_code,
                "region_name": info.region_name,
                "subject": info.subject,
            });
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            let problems: Vec<_> = problems.iter().map(|p| json!({"reason": p.code, "message": p.message})).collect();
            println!("{}", json!({"valid": false, "problems": problems}));
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
            let years = app.import_calendar(None, &csv, &source).await?;
            println!("已导入新版本，覆盖年份：{years:?}");
            return Ok(ExitCode::SUCCESS);
        }
        CalendarCommand::Versions => {
            let app = open_app(db, clock).await?;
            for v in app.calendar_versions().await? {
                println!("{}\t{}\t{}\t{}", v.version, v.years, v.source, v.imported_at_ms);
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
        if crate::bundle::is_zip(file) {
            return Ok(match crate::bundle::verify_file(file, public_key.as_deref()) {
                Ok(report) => {
                    println!(
                        "ok case {}: {} events, {} evidence files, {} documents",
                        report.case, report.events, report.evidence, report.notices
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    println!("{err}");
                    ExitCode::from(1)
                }
            });
        }
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
        AuditCommand::Export { case: Some(number), out: Some(path), .. } => {
            let n = crate::bundle::export(&app, &number, &path).await?;
            eprintln!("已导出案件 {number} 的全过程记录（{n} 个文件）：{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Export { from, out, .. } => {
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
            println!("{}", app.checkpoint_public_key());
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
    app.load_divisions().await?;
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

/// `minzheng marriage import FILE`: every bad row on stderr by line, exit 1, nothing imported.
async fn marriage(db: &DbArgs, clock: Arc<dyn Clock>, command: MarriageCommand) -> anyhow::Result<ExitCode> {
    match command {
        MarriageCommand::Import { file, source } => {
            let csv = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let app = open_app(db, clock).await?;
            match app.import_marriages(&csv, &source).await {
                Ok(count) => {
                    println!("已导入婚姻登记记录 {count} 条");
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) if err.kind == service::ErrorKind::Invalid || err.kind == service::ErrorKind::Conflict => {
                    eprintln!("未导入任何记录：");
                    if err.problems.is_empty() {
                        eprintln!("  {} ({})", err.message, err.code);
                    }
                    for problem in &err.problems {
                        eprintln!("  {} ({})", problem.message, problem.code);
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

/// `minzheng demo`: the demo year into a new database (the clock simulated, as `serve --demo`).
async fn demo_only(db: &DbArgs, root_division: &str) -> anyhow::Result<ExitCode> {
    if database_exists(&db.url) {
        bail!("数据库已存在：{}（演示数据只生成到新数据库）", store::redact_url(&db.url));
    }
    let simulated = Arc::new(SimulatedClock::starting_at(crate::demo::demo_start()));
    let app = open_app(db, simulated.clone()).await?;
    app.check_simulated_instant(app.now())?;
    app.init(root_division).await?;
    let (_, cases) = crate::demo::load(&app, &simulated).await?;
    println!("演示数据已生成：{cases} 件办件（模拟时钟至 {}）", web::dto::timestamp(app.now()));
    Ok(ExitCode::SUCCESS)
}

/// The CLI operator acting for the organ: its leader (the CLI is run by the bureau's operators,
/// as `stats service` reads everything).
fn organ_operator(organ: &str) -> anyhow::Result<domain::access::Actor> {
    let division = domain::division::DivisionCode::parse(organ.trim()).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(domain::access::Actor {
        account_id: 0,
        username: "命令行".into(),
        grants: vec![domain::access::Grant { role: domain::access::Role::Leader, division }],
    })
}

async fn report(db: &DbArgs, clock: Arc<dyn Clock>, command: ReportCommand) -> anyhow::Result<ExitCode> {
    if !database_exists(&db.url) {
        bail!("数据库不存在：{}（先运行 minzheng init）", store::redact_url(&db.url));
    }
    let app = open_app(db, clock).await?;
    let service_err = |e: service::ServiceError| anyhow::anyhow!("{}（{}）", e.message, e.code);
    match command {
        ReportCommand::Build { year, organ, format, out } => {
            let operator = organ_operator(&organ)?;
            let bytes: Vec<u8> = if format == ReportFormat::Signed {
                let versions = app.report_versions(&operator, &organ, year).await.map_err(service_err)?;
                let Some(published) = versions.iter().rev().find(|v| v.row.published.is_some()) else {
                    bail!("{organ} {year} 年度报告尚未发布");
                };
                let signed = app.signed_report(published.row.id).await.map_err(service_err)?;
                serde_json::to_vec_pretty(&signed)?
            } else {
                let figures = app.report_figures(Some(&operator), &organ, year).await.map_err(service_err)?;
                let versions = app.report_versions(&operator, &organ, year).await.map_err(service_err)?;
                let last = versions.last();
                let body =
                    last.map(|v| v.row.body.clone()).unwrap_or_else(|| service::annual_report::skeleton(&figures));
                let title = web::annual_report::files::title(&figures);
                // The version's own date (published, or saved), never the day the file is built.
                let dated = last.and_then(|v| v.dated());
                match format {
                    ReportFormat::Docx => {
                        let charts = app.report_charts(&organ, year).await.map_err(service_err)?;
                        let charts = web::annual_report::files::charts(&charts);
                        web::annual_report::files::docx(&figures, &charts, &title, &body, dated)
                            .map_err(|e| anyhow::anyhow!("{e}"))?
                    }
                    ReportFormat::Xlsx => web::annual_report::files::xlsx(&figures)?,
                    ReportFormat::Text => web::annual_report::files::text(&figures, &title, &body, dated).into_bytes(),
                    ReportFormat::Html => {
                        let charts = app.report_charts(&organ, year).await.map_err(service_err)?;
                        web::annual_report::files::html(&figures, &charts, &title, &body, dated)?.into_bytes()
                    }
                    ReportFormat::Json | ReportFormat::Signed => serde_json::to_vec_pretty(&figures.indicators)?,
                }
            };
            if out.as_os_str() == "-" {
                std::io::stdout().write_all(&bytes)?;
            } else {
                std::fs::write(&out, &bytes).with_context(|| format!("无法写入 {}", out.display()))?;
                println!("已生成：{}（{} 字节）", out.display(), bytes.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Publish { year, organ } => {
            let operator = organ_operator(&organ)?;
            let versions = app.report_versions(&operator, &organ, year).await.map_err(service_err)?;
            let Some(last) = versions.last() else { bail!("{organ} {year} 年度报告还没有任何版本") };
            let published = app.report_publish(&operator, last.row.id).await.map_err(service_err)?;
            println!(
                "已发布：{organ} {year} 年度报告第 {} 版，冻结指标 {} 项，已签名（SM2 公钥 {}）",
                published.row.version,
                published.frozen.len(),
                app.checkpoint_public_key()
            );
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Verify { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let signed: service::annual_report::SignedReport =
                serde_json::from_str(&text).context("不是已发布年度报告的签名文件")?;
            let (valid, own, drift) = app.verify_signed_report(&signed).await.map_err(service_err)?;
            println!("签名：{}", if valid { "有效" } else { "无效（内容或签名被改动）" });
            println!("签名公钥：{}", if own { "本平台的公钥" } else { "不是本平台的公钥" });
            if drift.is_empty() {
                println!("指标：与当前记录一致，无变动");
            } else {
                println!("指标变动 {} 项（发布值 → 当前值）：", drift.len());
                for d in &drift {
                    println!("  {}（{}）：{} → {}", d.label, d.key, d.published, d.now);
                }
            }
            Ok(if valid && own { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}
