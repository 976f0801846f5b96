//! The producer-consumer pattern across processes, over Redis Streams.
//!
//! Producers and consumers are separate programs that share nothing but a
//! Redis server: run them in separate terminals, or on separate machines,
//! with the same server in `REDIS_URL`. Without a subcommand, this program
//! runs a whole configuration, P producer processes and C consumer
//! processes, on a private `redis-server` of its own unless given a
//! server, and prints their lines as one run.
//!
//! ```text
//! cargo run -p redis-streams -- --producers 4 --consumers 4 --seed 7
//! export REDIS_URL=redis://127.0.0.1/
//! cargo run -p redis-streams -- open
//! cargo run -p redis-streams -- consumer --id 0
//! cargo run -p redis-streams -- producer --id 0
//! cargo run -p redis-streams -- close
//! cargo run -p redis-streams -- remove
//! cargo run -p redis-streams -- --help
//! ```
//!
//! The program is this library, run by `main.rs`: its parts are modules
//! here, and its command line, read by [`main`], is also read by
//! [`settings`], so that a tool that checks a run reads its flags with the
//! program's own parser.

// `common`, the words every program here shares: the item, the items'
// random values, the panic hook. Imported here, the other files reach it
// as `crate::common`, as they will in a copy of your own, where
// `common.rs` sits next to this file and this line becomes `mod common;`.
#[allow(clippy::single_component_path_imports)]
use common;

mod connection;
mod consumer;
mod flags;
mod private_server;
mod producer;
mod report;
mod run;
mod session;
mod stream;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Producers and consumers as separate processes, over Redis Streams",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 every item processed; 1 some item never processed or \
                  never made, or moved to the dead-letter stream; 2 bad input; 5 Redis \
                  could not be reached, went away for longer than --retry-for, holds keys \
                  that are not what this program needs, or is not installed; 130 stopped \
                  by Ctrl-C (SIGINT); 143 stopped by SIGTERM"
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
    /// Makes a stream ready for producers and consumers started by hand.
    Open(flags::Place),
    /// Says that a stream's producers are done: its consumers stop once
    /// they have processed what it holds.
    Close(flags::Place),
    /// Deletes a stream's keys once a session by hand is over: the stream,
    /// its close marker, its producers' ledger, its consumers' last
    /// acknowledgements, its dead-letter stream.
    Remove(flags::Place),
    /// Runs PROGRAM in this process's place, ended with the run.
    #[command(hide = true)]
    ExecWatched {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        program: Vec<OsString>,
    },
}

/// The whole program: reads the command line, runs what it asks for, and
/// says how it ended.
pub fn main() -> ExitCode {
    // A bad flag: clap's own message (what is wrong, the usage, a tip)
    // and exit code 2, before anything reaches the network.
    let cli = Cli::parse();
    // A refused thread, or output that cannot be written: one line and an
    // exit code, never a hang (see `common`).
    common::end_cleanly_when_refused("redis-streams");
    let ended = match &cli.command {
        Some(Command::Producer(args)) => {
            private_server::end_with_parent();
            producer::main(args).map(|()| ExitCode::SUCCESS)
        }
        Some(Command::Consumer(args)) => {
            private_server::end_with_parent();
            // Entries moved to the dead-letter stream are a shortfall.
            consumer::main(args).map(|dead| ExitCode::from(u8::from(dead > 0)))
        }
        Some(Command::Open(place)) => session::open(place).map(|()| ExitCode::SUCCESS),
        Some(Command::Close(place)) => session::close(place).map(|()| ExitCode::SUCCESS),
        Some(Command::Remove(place)) => session::remove(place).map(|()| ExitCode::SUCCESS),
        Some(Command::ExecWatched { program }) => Ok(private_server::exec_watched(program)),
        None => run::main(&cli.run),
    };
    ended.unwrap_or_else(|error| {
        let who = match &cli.command {
            Some(Command::Producer(_)) => "redis-streams producer",
            Some(Command::Consumer(_)) => "redis-streams consumer",
            _ => "redis-streams",
        };
        crate::eprint_line(&format!("{who}: error: {error}"));
        ExitCode::from(error.exit_code())
    })
}

/// Writes `line` to stderr in one write. The run's processes share their
/// stderr, and `eprintln!` writes a line in pieces: two processes' lines
/// would interleave mid-line.
pub(crate) fn eprint_line(line: &str) {
    use std::io::Write;
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("{line}\n").as_bytes());
}

/// Reads a whole run's flags (`args`, without the program's name) with
/// this program's parser and the checks that need no server, into the
/// settings every program shares; or says why the program would refuse
/// them, as clap would.
pub fn settings<I, T>(args: I) -> Result<common::Settings, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let name = OsString::from("redis-streams");
    let cli = Cli::try_parse_from(std::iter::once(name).chain(args.into_iter().map(Into::into)))?;
    let refused = |message: String| clap::Error::raw(clap::error::ErrorKind::InvalidValue, message);
    if cli.command.is_some() {
        return Err(refused("a run's settings, not a subcommand's".to_string()));
    }
    cli.run
        .settings()
        .map_err(|error| refused(error.to_string()))
}
