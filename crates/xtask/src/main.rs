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

mod exercise;
mod ideal;
mod ladder;
mod perf;
mod redis_cost;
mod soak;
mod stress;

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use exercise::exercise;
use harness::Kind;
use harness::programs::named;
use harness::programs::watch_output;
use harness::settings::parse;
use harness::timeline::Timeline;
use harness::{Log, Section, check, check_printed};

/// The runs the book shows: the file name, the section and its
/// command-line arguments.
const BOOK_RUNS: &[(&str, &str, &str)] = &[
    ("one-one", "one-one", "--seed 42"),
    ("one-one-capacity-1", "one-one", "--seed 42 --capacity 1"),
    ("many-one", "many-one", "--seed 42"),
    ("one-many", "one-many", "--seed 42"),
    ("many-many", "many-many", "--seed 42"),
    ("counting_sentinels", "counting_sentinels", "--seed 42"),
    ("disconnect", "disconnect", "--seed 42"),
    (
        "disconnect-one-one",
        "disconnect",
        "--seed 42 --producers 1 --consumers 1",
    ),
    ("event_timeout", "event_timeout", "--seed 42"),
    (
        "forgotten_sender",
        "forgotten_sender",
        "--seed 42 --time-scale 0.5",
    ),
    ("shutdown", "shutdown", "--seed 42 --capacity 2"),
    (
        "shutdown_immediate",
        "shutdown_immediate",
        "--seed 42 --capacity 2",
    ),
    ("select", "select", "--seed 42 --time-scale 0.2"),
    ("task_done", "task_done", "--seed 42 --time-scale 0.5"),
    (
        "backpressure-capacity-100",
        "backpressure",
        "--seed 42 --capacity 100",
    ),
    ("backpressure-unbounded", "backpressure", "--seed 42"),
    ("one-one-capacity-0", "one-one", "--seed 42 --capacity 0"),
    ("async_consumers", "async_consumers", "--seed 42"),
    ("async_one_one", "async_one_one", "--seed 42"),
    ("async_many_one", "async_many_one", "--seed 42"),
    ("async_one_many", "async_one_many", "--seed 42"),
    ("async_many_many", "async_many_many", "--seed 42"),
    (
        "redis-streams",
        "redis-streams",
        "--seed 42 --time-scale 0.2",
    ),
];

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
    /// Lists the exercises, or grades one: builds the learner's file, runs
    /// it many times across seeds, capacities and time scales, and checks
    /// every run
    Exercise {
        /// The exercise to grade; without it, the list
        name: Option<String>,
        /// Grades the solution instead of the learner's file
        #[arg(long)]
        solution: bool,
    },
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
        Task::BookOutputs { only } => book_outputs(only.as_deref()),
        Task::Soak { runs } => soak::soak(runs),
        Task::PerfReport => perf::report(),
        Task::RedisCost => redis_cost::report(),
        Task::Ladder => ladder::report(),
        Task::Stress(args) => stress::stress(&args),
        Task::StressRuns(args) => stress::runs(&args),
        Task::Exercise { name, solution } => exercise(name.as_deref(), solution),
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

/// Builds the plain programs in this tool's own profile, so that the
/// harness finds them next to it.
fn build_programs() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    // `--bins` too: with `--example` alone, cargo builds only the examples.
    command.args(["build", "--quiet", "--bins"]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    for section in harness::programs::PROGRAMS {
        if section.is_example() {
            command.args(["-p", "producer-consumer", "--example", section.name]);
        } else {
            command.args(["-p", section.name]);
        }
    }
    let status = command
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("building the programs failed".to_string())
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
    let (status, stderr) = harness::programs::watch_args(&section, &flags, &log);
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

fn workspace_root() -> PathBuf {
    // crates/xtask -> the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn section(name: &str) -> Result<Section, String> {
    named(name).ok_or_else(|| format!("no section or example named {name}"))
}

/// Whether `name` is a program whose runs end in a failure on purpose.
fn is_failure(name: &str) -> bool {
    named(name).is_some_and(|section| section.kind == Kind::Failure)
}

/// The command a reader types to run `section` with `args`.
fn command(section: &Section, args: &str) -> String {
    let how = if section.is_example() {
        "--example"
    } else {
        "-p"
    };
    format!("$ cargo run {how} {} -- {args}", section.name)
}

/// Runs each of the book's programs, as a reader would, and writes what it
/// printed, after the command that printed it, its timeline, and what it
/// wrote on stderr after the run (a report), if anything. With `only`,
/// just the outputs whose file names start with it.
fn book_outputs(only: Option<&str>) -> Result<(), String> {
    build_programs()?;
    let dir = workspace_root().join("book/src/outputs");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let wanted = |file: &str| only.is_none_or(|prefix| file.starts_with(prefix));
    for &(file, name, args) in BOOK_RUNS.iter().filter(|run| wanted(run.0)) {
        let section = section(name)?;
        let config = config_of(&section, args)?;
        let started = Instant::now();
        let log = Log::keeping();
        let (status, stderr) = watch_output(&section, &config, &log);
        if !status.success() {
            return Err(format!("{name} {args} failed: {stderr}"));
        }
        let timed = log.timed_events();
        let events: Vec<_> = timed.iter().map(|&(_, event)| event).collect();
        let verdict = check(&section, &config, &events);
        if !verdict.is_ok() {
            return Err(format!("{name} {args} broke the rules:\n{verdict}"));
        }
        let mut text = format!("{}\n", command(&section, args));
        for event in &events {
            let _ = writeln!(text, "{event}");
        }
        let svg = Timeline::from_events(&section, &config, &timed).to_svg();
        fs::write(dir.join(format!("{file}.svg")), svg).map_err(|e| format!("{file}.svg: {e}"))?;
        fs::write(dir.join(format!("{file}.txt")), &text)
            .map_err(|e| format!("{file}.txt: {e}"))?;
        if !stderr.is_empty() {
            let report = format!("```console\n{stderr}```\n");
            fs::write(dir.join(format!("{file}-report.md")), report)
                .map_err(|e| format!("{file}-report.md: {e}"))?;
        }
        println!(
            "wrote book/src/outputs/{file}.txt and .svg ({} lines, {:.1} s)",
            text.lines().count() - 1,
            started.elapsed().as_secs_f64()
        );
    }
    if wanted("consumer_panic") {
        failure_outputs(&dir)?;
    }
    redis_outputs(&dir, &wanted)?;
    if wanted("event_timeout") {
        polling_costs(&dir)?;
    }
    Ok(())
}

/// The Redis runs with flags of their own: a consumer that dies, and
/// MAXLEN losing items. Standard output then standard error, each checked
/// by `tests/book.rs`.
const REDIS_RUNS: &[(&str, &str)] = &[
    (
        "redis-streams-crash",
        "--seed 42 --time-scale 0.2 --crash 0:1",
    ),
    (
        "redis-streams-maxlen",
        "--producers 4 --consumers 1 --items 100 --seed 42 --time-scale 0.01 --maxlen 10",
    ),
];

fn redis_outputs(dir: &Path, wanted: &dyn Fn(&str) -> bool) -> Result<(), String> {
    let section = harness::programs::REDIS_STREAMS;
    for &(file, args) in REDIS_RUNS.iter().filter(|run| wanted(run.0)) {
        let flags: Vec<&str> = args.split_whitespace().collect();
        let config = parse(&section, flags.iter().copied())
            .map_err(|error| format!("{args}: not a run: {error}"))?;
        let log = Log::keeping();
        let flags: Vec<String> = flags.iter().map(std::string::ToString::to_string).collect();
        let (_, stderr) = harness::programs::watch_args(&section, &flags, &log);
        let timed = log.timed_events();
        let mut text = format!("{}\n", command(&section, args));
        for (_, event) in &timed {
            let _ = writeln!(text, "{event}");
        }
        text.push_str(&stderr);
        let svg = Timeline::from_events(&section, &config, &timed).to_svg();
        fs::write(dir.join(format!("{file}.svg")), svg).map_err(|e| format!("{file}.svg: {e}"))?;
        fs::write(dir.join(format!("{file}.log")), &text)
            .map_err(|e| format!("{file}.log: {e}"))?;
        let report = format!("```console\n{stderr}```\n");
        fs::write(dir.join(format!("{file}-report.md")), report)
            .map_err(|e| format!("{file}-report.md: {e}"))?;
        println!("wrote book/src/outputs/{file}.log and .svg");
    }
    Ok(())
}

/// The settings a program takes from `args`, read as the harness reads them.
fn config_of(section: &Section, args: &str) -> Result<harness::Settings, String> {
    parse(section, args.split_whitespace())
        .map_err(|error| format!("{} {args}: not a run: {error}", section.name))
}

/// The runs of the failure examples, which end in a failure on purpose:
/// what a user sees, standard output then standard error (thread numbers,
/// which change from run to run, shown as `(ID)`). `tests/failures.rs`
/// checks them.
const FAILURE_RUNS: &[(&str, &str)] = &[
    ("consumer_panic", "--seed 42 --time-scale 0.2"),
    ("consumers_gone", "--seed 42 --time-scale 0.2 --capacity 2"),
];

fn failure_outputs(dir: &Path) -> Result<(), String> {
    for &(name, args) in FAILURE_RUNS {
        let section = section(name)?;
        let config = config_of(&section, args)?;
        let log = Log::keeping();
        let (_, stderr) = watch_output(&section, &config, &log);
        let timed = log.timed_events();
        let mut text = format!("{}\n", command(&section, args));
        for (_, event) in &timed {
            let _ = writeln!(text, "{event}");
        }
        for line in stderr.lines() {
            // "thread 'main' (4711) panicked at": the number is the run's
            // own; the book shows it as ID, and says so.
            let line = match line.split_once("' (") {
                Some((name, rest)) if line.starts_with("thread '") => {
                    let rest = rest.split_once(") ").map_or(rest, |(_, rest)| rest);
                    format!("{name}' (ID) {rest}")
                }
                _ => line.to_string(),
            };
            let _ = writeln!(text, "{line}");
        }
        let svg = Timeline::from_events(&section, &config, &timed).to_svg();
        fs::write(dir.join(format!("{name}.svg")), svg).map_err(|e| format!("{name}.svg: {e}"))?;
        fs::write(dir.join(format!("{name}.log")), &text)
            .map_err(|e| format!("{name}.log: {e}"))?;
        println!("wrote book/src/outputs/{name}.log and .svg");
    }
    Ok(())
}

/// Measures what polling costs in `event_timeout` at its default settings
/// (items of half a second on average), with timeouts of 10, 100 and 1000
/// ms, and writes the table the book shows: medians over five seeds.
fn polling_costs(dir: &Path) -> Result<(), String> {
    let section = section("event_timeout")?;
    let mut table = String::from(
        "| timeout | idle wake-ups, all consumers | slowest stop after the flag |\n\
         |---|---|---|\n",
    );
    // The trade-off: a shorter timeout stops sooner and wakes more.
    for timeout_ms in [10, 100, 1000] {
        let mut wakeups = Vec::new();
        let mut latencies = Vec::new();
        for seed in 1..=5 {
            let config = section.settings(seed);
            let mut args = section.args(&config);
            args.push(format!("--timeout={timeout_ms}"));
            let log = Log::keeping();
            let (status, stderr) = harness::programs::watch_args(&section, &args, &log);
            if !status.success() {
                return Err(format!("event_timeout failed: {stderr}"));
            }
            let woke = stderr
                .split_whitespace()
                .find_map(|word| word.parse::<f64>().ok())
                .ok_or_else(|| format!("no count of wake-ups: {stderr}"))?;
            wakeups.push(woke);
            let stop = harness::programs::slowest_stop(&log.timed_events());
            latencies.push(stop.as_secs_f64() * 1000.0);
        }
        let _ = writeln!(
            table,
            "| {timeout_ms} ms | {:.0} | {:.0} ms |",
            perf::median(&wakeups),
            perf::median(&latencies)
        );
    }
    let file = dir.join("event_timeout-cost.md");
    fs::write(&file, table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("wrote book/src/outputs/event_timeout-cost.md");
    Ok(())
}
