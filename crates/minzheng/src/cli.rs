//! The command line, declared with clap. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "minzheng", version, about = "民政 · 依法行政平台 (minzheng: civil affairs on the law)")]
pub struct Cli {
    /// Write logs as JSON lines (for log collectors)
    #[arg(long, global = true, env = "MINZHENG_LOG_JSON")]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives and which keys protect it. Global: accepted before or after a subcommand
/// (`minzheng audit verify --db URL` as well as `minzheng audit --db URL verify`).
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH (embedded default) or postgres://USER@HOST/DB
    #[arg(long = "db", global = true, env = "MINZHENG_DB", default_value = "sqlite://minzheng.db")]
    pub url: String,
    /// File holding the 32-byte data key as hex (created with mode 0600 for SQLite if absent).
    /// MINZHENG_DATA_KEY, when set, takes precedence.
    #[arg(long, global = true, env = "MINZHENG_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// Where the signed head of the full-process record is published outside the database
    #[arg(long, global = true, env = "MINZHENG_CHECKPOINT_FILE")]
    pub checkpoint_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database, load divisions, create the admin account (password printed once)
    Init {
        #[command(flatten)]
        db: DbArgs,
        /// The division the first administrator is granted
        #[arg(long, default_value = "511700")]
        root_division: String,
        /// Load the service items from this directory (`<slug>/v<N>.toml`) instead of the catalog built in
        #[arg(long, env = "MINZHENG_CATALOG")]
        catalog: Option<PathBuf>,
    },
    /// Run only a regional node's link, without the web server: the outbox's publisher and
    /// this node's JetStream consumer (docs/designs/nodes.md). `serve --node … --nats …` runs
    /// the same link beside the web server; this runs it alone (a second link of one node, or
    /// the proofs' node processes)
    Node {
        #[command(flatten)]
        db: DbArgs,
        /// The province this node owns (e.g. 510000 for 四川, 500000 for 重庆)
        #[arg(long, env = "MINZHENG_NODE")]
        node: String,
        /// The NATS server with JetStream, e.g. nats://127.0.0.1:4222
        #[arg(long, env = "MINZHENG_NATS")]
        nats: String,
        /// The prefix of the JetStream stream and subjects (every node of a deployment the same)
        #[arg(long, env = "MINZHENG_NATS_PREFIX", default_value = "MZ")]
        nats_prefix: String,
    },
    /// Run the web server (initialises the database first if needed)
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on
        #[arg(long, env = "MINZHENG_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// The division the first administrator is granted, if the database is new
        #[arg(long, default_value = "511700")]
        root_division: String,
        /// Mark session cookies Secure (set this behind HTTPS)
        #[arg(long, env = "MINZHENG_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Reverse proxies whose X-Forwarded-For names the client (for the login and /track
        /// throttles): IP addresses or networks, comma-separated, e.g. 10.0.0.1,192.168.0.0/16;
        /// none by default (the header is then ignored)
        #[arg(long, env = "MINZHENG_TRUSTED_PROXIES", default_value = "")]
        trusted_proxies: String,
        /// The public address of the site, printed in the QR codes of notices and certificates
        /// (e.g. https://mz.dazhou.gov.cn); unset, the address each request came to is used
        #[arg(long, env = "MINZHENG_PUBLIC_URL")]
        public_url: Option<String>,
        /// Seconds between checkpoints of the full-process record
        #[arg(long, default_value_t = 10)]
        checkpoint_interval: u64,
        /// Load the service items from this directory (`<slug>/v<N>.toml`) instead of the catalog built in
        #[arg(long, env = "MINZHENG_CATALOG")]
        catalog: Option<PathBuf>,
        /// Test and demo mode: run on a simulated clock starting at this instant (RFC 3339, e.g.
        /// 2021-06-01T09:00:00+08:00); an administrator may move it forward (POST /api/v1/admin/clock)
        #[arg(long)]
        simulated_clock: Option<String>,
        /// Demo mode: on a new database, load staff accounts for the Dazhou offices and a year of
        /// cases made through the engine on the simulated clock, then keep running at 2021-12-20
        #[arg(long)]
        demo: bool,
        /// Run as a regional node owning this province (e.g. 510000 for 四川, 500000 for 重庆): a
        /// case forwarded to an office of another province is handed to that province's node
        /// over NATS JetStream, and its result comes back the same way. Needs --nats.
        #[arg(long, env = "MINZHENG_NODE", requires = "nats")]
        node: Option<String>,
        /// The NATS server with JetStream that the nodes exchange through, e.g. nats://127.0.0.1:4222
        #[arg(long, env = "MINZHENG_NATS", requires = "node")]
        nats: Option<String>,
        /// The prefix of the JetStream stream and subjects (one per deployment; every node of it the same)
        #[arg(long, env = "MINZHENG_NATS_PREFIX", default_value = "MZ")]
        nats_prefix: String,
    },
    /// Citizen ID numbers (GB 11643-1999)
    Idcard {
        #[command(subcommand)]
        command: IdcardCommand,
    },
    /// 统一社会信用代码 of organizations (GB 32100-2015)
    Uscc {
        #[command(subcommand)]
        command: UsccCommand,
    },
    /// The official working-day calendar
    Calendar {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// The full-process record (全过程记录)
    Audit {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Staff accounts and their grants
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The catalog of service items (事项清单)
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Delegations (下放) of a step's power to a lower level
    Delegation {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: DelegationCommand,
    },
    /// Statistics computed from the records
    Stats {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Marriage registration records (婚姻登记)
    Marriage {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: MarriageCommand,
    },
    /// 法治政府建设年度报告: build it from the records, publish a version, verify a published file
    Report {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Build the demo year 2021 (what `serve --demo` shows) into a new database, then exit
    Demo {
        #[command(flatten)]
        db: DbArgs,
        /// The division the first administrator is granted
        #[arg(long, default_value = "511700")]
        root_division: String,
    },
    /// Benchmarks: print figures, never assert
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum IdcardCommand {
    /// Check an ID number; prints JSON, exits 0 if valid and 1 if not
    Check { id: String },
}

#[derive(Debug, Subcommand)]
pub enum UsccCommand {
    /// Check a 统一社会信用代码; prints JSON, exits 0 if valid and 1 if not
    Check { code: String },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print true or false
    IsWorkday { date: String },
    /// The N-th working day after DATE (DATE itself not counted)
    AddWorkdays { date: String, n: u32 },
    /// DATE plus N natural days; a last day that is not a working day moves to the next one
    AddDays { date: String, n: u32 },
    /// Store a new calendar version from a CSV file (date,is_workday,holiday_name,is_makeup_workday)
    Import {
        file: PathBuf,
        /// Where the arrangement comes from (e.g. the State Council notice and its number);
        /// required, refused when empty
        #[arg(long, default_value = "")]
        source: String,
    },
    /// List the stored calendar versions
    Versions,
}

#[derive(Debug, Subcommand)]
pub enum MarriageCommand {
    /// Import historical registrations from a CSV file, all or nothing; bad rows are reported by
    /// line. Header: kind,office,date,party_a_id_number,party_b_id_number,certificate_number
    Import {
        file: PathBuf,
        /// Where the records come from (e.g. the archive); defaults to the file name
        #[arg(long, default_value = "")]
        source: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the chain; prints `ok N events` or where it breaks
    Verify {
        /// Verify an exported file instead of the database (a case bundle, a zip, is recognised)
        #[arg(long)]
        file: Option<PathBuf>,
        /// With --file: the bureau's published SM2 public key (hex) the file must be signed with
        #[arg(long, requires = "file")]
        public_key: Option<String>,
    },
    /// Print the SM2 public key that signs checkpoints and exports, for publication
    PublicKey,
    /// Write events from SEQ on as JSON lines, with the checkpoints, for third-party verification;
    /// with --case, one 行政处罚 case's full-process record as a signed zip bundle
    Export {
        #[arg(long, default_value_t = 1)]
        from: i64,
        /// A 行政处罚 case's number (e.g. 511702-2021-000007): its events, evidence, documents
        /// and a signed manifest, as a zip (--out required)
        #[arg(long, requires = "out")]
        case: Option<String>,
        /// Output file (default: standard output)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a checkpoint now and publish it to the checkpoint file
    Checkpoint,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account with one grant; the password is read from standard input
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        division: String,
        /// Display name (defaults to the username)
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Add a grant (role at a division) to an account
    Grant {
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        division: String,
    },
    /// Set a new password, read from standard input; revokes the account's sessions
    Passwd {
        #[arg(long)]
        name: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List accounts and grants
    List,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Validate the item files under DIR as the server would at start; prints `ok N items, M versions`
    /// (exit 0) or every problem as `file:line: message (code)` (exit 2)
    Check { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum DelegationCommand {
    /// Delegate a step of an item to a lower level for the listed divisions, from a date
    Add {
        /// The item's slug, e.g. minimum-living-allowance
        #[arg(long)]
        item: String,
        /// The step's id, e.g. confirm
        #[arg(long)]
        step: String,
        /// The level the power moves to: county or township
        #[arg(long)]
        to_level: String,
        /// Division codes at that level, comma-separated
        #[arg(long, value_delimiter = ',', required = true)]
        divisions: Vec<String>,
        /// First day in force, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// The document that delegates, e.g. 达市民发〔2021〕5号
        #[arg(long)]
        document: String,
    },
    /// Revoke a delegation from a date (today or later): in force until the day before
    Revoke {
        id: i64,
        /// YYYY-MM-DD
        #[arg(long)]
        from: String,
    },
    /// List the delegations, optionally of one item
    List {
        #[arg(long)]
        item: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// The service metrics of a period as JSON, each with its numerator, denominator and definition
    Service {
        /// First day, YYYY-MM-DD (default 1 January of --to's year)
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD (default today)
        #[arg(long)]
        to: Option<String>,
        /// A division code (default everything)
        #[arg(long)]
        division: Option<String>,
    },
}

/// What `report build` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// The public page as one HTML file (its stylesheet inside)
    Html,
    /// A Word document in the 公文 layout of GB/T 9704-2012
    Docx,
    /// The figures as a workbook
    Xlsx,
    /// Plain text
    Text,
    /// The figures as JSON (key, label, value, numerator, denominator, definition)
    Json,
    /// The latest published version as its signed JSON, for `report verify`
    Signed,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Render an organ's report of a year: its latest version with the figures as the records give them now
    Build {
        #[arg(long)]
        year: i32,
        /// The organ's division code
        #[arg(long, default_value = "511700")]
        organ: String,
        #[arg(long, value_enum, default_value = "html")]
        format: ReportFormat,
        /// Where to write it ("-": standard output)
        #[arg(long)]
        out: PathBuf,
    },
    /// Publish the latest version: freeze its figures and sign it (SM2, the record's key)
    Publish {
        #[arg(long)]
        year: i32,
        #[arg(long, default_value = "511700")]
        organ: String,
    },
    /// Check a published report file (`report build --format signed`): its signature and the
    /// drift of its figures from the records now. Exit 1 when the signature fails.
    Verify {
        /// The signed JSON file
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Append N events, each in its own transaction; prints events_per_s
    Record {
        #[arg(long, default_value_t = 2000)]
        events: u64,
        /// Database URL (default: a fresh SQLite file in the temp folder)
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// Drive N cases of a promised item through submit → accept → review → decide → produce →
    /// issue → deliver with the server's service code (each act one transaction with its
    /// events); prints cases_per_s, transitions_per_s and the raw transaction limit
    Lifecycle {
        #[arg(long, default_value_t = 200)]
        cases: u64,
        /// Database URL (default: a fresh SQLite file in the temp folder)
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// The server under HTTP load: starts `minzheng serve` on a free loopback port with a
    /// prepared database and drives it with wrk (apt-get install wrk) on a static file (the
    /// HTTP stack's limit), the catalog, a case read and a case submission; prints requests/s,
    /// p50/p99 latency, errors and the server's peak RSS. Exits non-zero on any error.
    Http {
        /// Database URL (default: a fresh SQLite file in the temp folder); e.g. one made by
        /// `bench stats`, with the same MINZHENG_DATA_KEY
        #[arg(long)]
        db: Option<String>,
        /// Seconds per route
        #[arg(long, default_value_t = 20)]
        duration: u64,
        #[arg(long, default_value_t = 64)]
        connections: u32,
        /// wrk threads
        #[arg(long, default_value_t = 2)]
        threads: u32,
    },
    /// The service metrics and the marriage statistics over a generated database of N cases
    /// (driven through the engine, written in bulk by the store) and N/5 marriage
    /// registrations; prints milliseconds per query beside a raw scan of the same rows
    Stats {
        #[arg(long, default_value_t = 1_000_000)]
        cases: u64,
        /// Database URL (default: a fresh SQLite file in the temp folder)
        #[arg(long)]
        db: Option<String>,
        /// Times each query is run (the best and the mean are printed)
        #[arg(long, default_value_t = 3)]
        runs: u32,
        /// Only time the queries over what --db already holds
        #[arg(long)]
        no_generate: bool,
        /// Drive only N cases through the engine and make the rest as copies of them in SQL
        /// (bulk, minutes faster; spread over the city's districts and counties). 0: all through
        /// the engine
        #[arg(long, default_value_t = 0)]
        copies_of: u64,
    },
    /// Verify the record; prints mb_per_s beside raw SM3 hashing of the same bytes
    Verify {
        /// Database URL (default: a fresh SQLite file filled with --events events first)
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 20000)]
        events: u64,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
