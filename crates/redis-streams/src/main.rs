//! The producer-consumer pattern across processes, over Redis Streams.
//!
//! Producers and consumers are separate programs that share nothing but a
//! Redis server: run them in separate terminals, or on separate machines,
//! with the same `--redis URL`. Without a subcommand, this program runs a
//! whole configuration, P producer processes and C consumer processes, on
//! a private `redis-server` of its own unless given `--redis URL`, and
//! prints their lines as one run.
//!
//! ```text
//! cargo run -p redis-streams -- --producers 4 --consumers 4 --seed 7
//! cargo run -p redis-streams -- producer --redis redis://127.0.0.1/ --id 0
//! cargo run -p redis-streams -- consumer --redis redis://127.0.0.1/ --id 0
//! cargo run -p redis-streams -- --help
//! ```

// `common`, the words every program here shares: the item, the items'
// random values, the panic hook. Imported here, the other files reach it
// as `crate::common`, as they will in a copy of your own, where
// `common.rs` sits next to this file and this line becomes `mod common;`.
#[allow(clippy::single_component_path_imports)]
use common;

mod consumer;
mod producer;
mod run;
mod stream;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Producers and consumers as separate processes, over Redis Streams",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 every item processed; 1 some item never processed, \
                  or a process failed; 2 bad input; 5 Redis could not be reached, \
                  went away, or is not installed"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: run::Args,
}

#[derive(Subcommand)]
enum Command {
    /// One producer: makes its items and adds them to the stream.
    Producer(producer::Args),
    /// One consumer: processes items from the stream, in the group.
    Consumer(consumer::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A refused thread, or output that cannot be written: one line and an
    // exit code, never a hang (see `common`).
    common::end_cleanly_when_refused("redis-streams");
    match cli.command {
        Some(Command::Producer(args)) => producer::main(args),
        Some(Command::Consumer(args)) => consumer::main(args),
        None => run::main(cli.run),
    }
}
