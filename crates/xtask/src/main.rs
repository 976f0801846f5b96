//! The workspace's own tools, run with `cargo xtask COMMAND`:
//!
//! - `cargo xtask book-outputs` runs every program the book shows, with a
//!   fixed seed, checks each output and writes it to `book/src/outputs/`.
//! - `cargo xtask soak [--runs N]` runs every section's real program N times
//!   (default 1000) at `--time-scale 0` with random seeds and capacities, and
//!   checks every output; the programs are built in this tool's profile
//!   (`cargo run --release -p xtask -- soak` for release builds).
//! - `cargo xtask perf-report` runs the channel benchmarks, the same
//!   workload in Python, and the section programs against their ideal
//!   makespan, and writes `book/src/performance/` (under 10 minutes).
//! - `cargo run --release -p xtask -- redis-cost` measures what crossing a
//!   process costs: flume against Redis Streams, one command per message
//!   and batched, and writes `book/src/performance/redis.md`.
//! - `cargo run --release -p xtask -- ladder` measures one message's cost
//!   on every rung, from Python's `queue.Queue` to Redis in batches, in one
//!   run, and draws the ladder in `book/src/choosing/`.
//! - `cargo run --release -p xtask -- stress [--threads N] [--items N]` runs
//!   every section at every capacity with N producers and N consumers (where
//!   the section has several) and N items in all per run, checks them, and
//!   reports the peak memory of the largest program it ran.
//! - `cargo xtask timeline FILE.svg PROGRAM [FLAGS...]` runs a plain
//!   program and draws its run from the lines it prints.
//! - `cargo xtask exercise [NAME] [--solution]` lists the exercises, or
//!   grades one.

mod book_outputs;
mod exercise;
mod ideal;
mod ladder;
mod perf;
mod programs;
mod redis_cost;
mod soak;
mod stress;

use std::path::Path;
use std::process::ExitCode;

use exercise::exercise;
use harness::Kind;
use harness::programs::named;
use harness::settings::parse;
use harness::timeline::Timeline;
use harness::{Log, check_printed};
use programs::{RUN_BOUND, build_programs};

/// The workspace's own tools.
#[derive(clap::Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "The workspace's own tools"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(clap::Subcommand)]
enum Task {
    /// Runs every program the book shows, with a fixed seed, checks each
    /// output and writes it to book/src/outputs/
    BookOutputs {
        /// Only the runs whose file name starts with PREFIX
        #[arg(long, value_name = "PREFIX")]
        only: Option<String>,
    },
    /// Runs every section's real program many times at --time-scale 0,
    /// with random seeds and capacities, and checks every output
    Soak {
        /// How many runs of each program
        #[arg(long, value_name = "N", default_value_t = 1000)]
        runs: u64,
    },
    /// Runs the channel benchmarks, the same workload in Python, and the
    /// section programs against their ideal makespan; writes
    /// book/src/performance/
    PerfReport,
    /// Measures what crossing a process costs: flume against Redis
    /// Streams; writes book/src/performance/redis.md (use --release)
    RedisCost,
    /// Measures one message's cost on every rung, from Python's
    /// queue.Queue to Redis, side by side in one run; writes
    /// book/src/choosing/ (use --release)
    Ladder,
    /// Runs every section and example at every capacity with many threads
    /// and items, checks every run, and reports time and the programs'
    /// peak memory (use --release)
    Stress(stress::Args),
    /// The runs of `stress`, in a process of their own once the programs
    /// are built, so that the memory it reports is the programs' alone
    #[command(hide = true)]
    StressRuns(stress::Args),
    /// Lists the exercises and your progress, or grades one: builds the
    /// learner's file, runs it many times across seeds, capacities, speeds
    /// and paces, and checks every run. `next` names the next to do
    Exercise(exercise::Args),
    /// Runs a plain program and draws its run from the lines it prints
    Timeline {
        /// The SVG file to write
        file: String,
        /// The program: a section or an example
        program: String,
        /// The program's flags
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        flags: Vec<String>,
    },
}

fn main() -> ExitCode {
    let result = match <Cli as clap::Parser>::parse().task {
        Task::BookOutputs { only } => book_outputs::write(only.as_deref()),
        Task::Soak { runs } => soak::soak(runs),
        Task::PerfReport => perf::report(),
        Task::RedisCost => redis_cost::report(),
        Task::Ladder => ladder::report(),
        Task::Stress(args) => stress::stress(&args),
        Task::StressRuns(args) => stress::runs(&args),
        Task::Exercise(args) => exercise(&args),
        Task::Timeline {
            file,
            program,
            flags,
        } => {
            let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
            timeline(&file, &program, &flags)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: timeline
/// Runs a plain program with `flags`, as a user would, prints each line as
/// it arrives, checks them, and draws the run in `file` from the lines and
/// the time each arrived.
fn timeline(file: &str, program: &str, flags: &[&str]) -> Result<(), String> {
    let Some(section) = named(program) else {
        return Err(format!("no section or example named {program}"));
    };
    // Find out now, not after a long run, if the picture cannot be written.
    let path = Path::new(file);
    harness::files::check_writable(path).map_err(|e| format!("cannot write {file}: {e}"))?;
    let config = parse(&section, flags.iter().copied())?;
    build_programs()?;
    let log = Log::printing_and_keeping(&section);
    let flags: Vec<String> = flags.iter().map(std::string::ToString::to_string).collect();
    let (status, stderr) = harness::programs::watch_within(&section, &flags, &log, RUN_BOUND)?;
    eprint!("{stderr}");
    if !status.success() && !is_failure(program) {
        return Err(format!("{program} failed"));
    }
    let timed = log.timed_events();
    let events: Vec<_> = timed.iter().map(|&(_, event)| event).collect();
    // The failure examples break the rules on purpose; the others must not.
    let failure = is_failure(program);
    let verdict = check_printed(&section, &config, &events);
    if !verdict.is_ok() && !failure {
        return Err(format!("the run broke the rules:\n{verdict}"));
    }
    let svg = Timeline::from_events(&section, &config, &timed).to_svg();
    // FILE keeps what it held until a whole new picture replaces it.
    harness::files::replace_file(path, svg.as_bytes()).map_err(|e| format!("{file}: {e}"))?;
    eprintln!("timeline written to {file}");
    Ok(())
}
// ANCHOR_END: timeline

/// Whether `name` is a program whose runs end in a failure on purpose.
fn is_failure(name: &str) -> bool {
    named(name).is_some_and(|section| section.kind == Kind::Failure)
}
