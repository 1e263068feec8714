//! `minzheng`: one binary with subcommands. Parses arguments, sets up logging, opens the
//! configured database and calls the service layer. Exit codes: 0 success, 1 a negative
//! answer (invalid ID number, broken record), 2 a refused input or a failure.

mod bench;
mod bundle;
mod cli;
mod commands;
mod config;
mod demo;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let default_filter = match cli.command {
        cli::Command::Bench { .. } => "warn,sqlx=error",
        _ => "info,sqlx=warn",
    };
    config::init_logging(cli.log_json, default_filter);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("无法启动运行时：{err}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::from(2)
        }
    }
}
