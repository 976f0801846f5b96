//! The plain programs, as the harness sees them from outside: the shape of
//! each (who runs, what it prints), and a way to run the real program with
//! a run's settings and read what it prints, line by line, as it happens.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::events::{Actor, Event, Role, What, panicked_on};
use crate::log::Log;
use crate::run::{HANG_BOUND, Stream};
use crate::section::{Count, Kind, Section, Settings};

/// A section's shape, with what every section shares.
const fn section(
    name: &'static str,
    page: &'static str,
    (producers, consumers): (Count, Count),
    items: usize,
) -> Section {
    Section {
        name,
        producers,
        consumers,
        items,
        prints_added: false,
        barrier: false,
        kind: Kind::Section,
        sentinel: true,
        one_thread: false,
        page,
        effort: (1.0, 1.0),
    }
}

/// `one-one`: one producer of ten items, one consumer; the producer also
/// prints each item it adds.
pub const ONE_ONE: Section = Section {
    prints_added: true,
    ..section("one-one", "one-one.md", (Count::One, Count::One), 10)
};

/// `many-one`: three producers of five items meet at a barrier, one
/// consumer.
pub const MANY_ONE: Section = Section {
    barrier: true,
    ..section("many-one", "many-one.md", (Count::Many(3), Count::One), 5)
};

/// `one-many`: one producer of ten items, three consumers that pass the
/// sentinel on.
pub const ONE_MANY: Section = section("one-many", "one-many.md", (Count::One, Count::Many(3)), 10);

/// `many-many`: three producers of ten items at a barrier, five consumers
/// that pass the sentinel on.
pub const MANY_MANY: Section = Section {
    barrier: true,
    ..section(
        "many-many",
        "many-many.md",
        (Count::Many(3), Count::Many(5)),
        10,
    )
};

/// An example's shape: it runs as `cargo run --example NAME`.
const fn example(
    name: &'static str,
    page: &'static str,
    threads: (Count, Count),
    items: usize,
) -> Section {
    Section {
        kind: Kind::Example,
        ..section(name, page, threads, items)
    }
}

/// `counting_sentinels`: three producers of five items, each sending its
/// own sentinel, one consumer that counts them.
pub const COUNTING_SENTINELS: Section = example(
    "counting_sentinels",
    "counting-sentinels.md",
    (Count::Many(3), Count::One),
    5,
);

/// `disconnect`: three producers, five consumers, no sentinel.
pub const DISCONNECT: Section = Section {
    sentinel: false,
    ..example(
        "disconnect",
        "disconnect.md",
        (Count::Many(3), Count::Many(5)),
        10,
    )
};

/// `event_timeout`: one producer, three consumers that poll a stop flag.
pub const EVENT_TIMEOUT: Section = Section {
    sentinel: false,
    ..example(
        "event_timeout",
        "event-timeout.md",
        (Count::One, Count::Many(3)),
        10,
    )
};

/// `forgotten_sender`: one producer of five items, one consumer that
/// gives up on a channel a forgotten sender keeps open.
pub const FORGOTTEN_SENDER: Section = Section {
    sentinel: false,
    ..example(
        "forgotten_sender",
        "forgotten-sender.md",
        (Count::One, Count::One),
        5,
    )
};

/// `shutdown`: three producers, two consumers; one consumer shuts the
/// queue down halfway, and the buffer is still processed.
pub const SHUTDOWN: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example(
        "shutdown",
        "shutdown-drain.md",
        (Count::Many(3), Count::Many(2)),
        10,
    )
};

/// `shutdown_immediate`: as `shutdown`, but the buffer is dropped.
pub const SHUTDOWN_IMMEDIATE: Section = Section {
    name: "shutdown_immediate",
    page: "shutdown-immediate.md",
    ..SHUTDOWN
};

/// `select`: two producers, three consumers that wait for an item or a
/// cancellation.
pub const SELECT: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example("select", "select.md", (Count::Many(2), Count::Many(3)), 10)
};

/// `task_done`: one producer that waits after each batch, three consumers.
pub const TASK_DONE: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example(
        "task_done",
        "task-done.md",
        (Count::One, Count::Many(3)),
        10,
    )
};

/// `backpressure`: one fast producer of 300 items, one slow consumer. It
/// sets its own pace: the consumer works a fiftieth of the tutorial's time
/// on an item, the producer ten times less again (`EFFORT` and `FASTER` in
/// `examples/backpressure.rs`).
pub const BACKPRESSURE: Section = Section {
    effort: (0.002, 0.02),
    prints_added: true,
    sentinel: false,
    ..example(
        "backpressure",
        "backpressure.md",
        (Count::One, Count::One),
        300,
    )
};

/// `async_consumers`: three producer threads, five consumer tasks.
pub const ASYNC_CONSUMERS: Section = Section {
    sentinel: false,
    ..example(
        "async_consumers",
        "async.md",
        (Count::Many(3), Count::Many(5)),
        10,
    )
};

/// `async_one_one`: `one-one` as two async tasks on one thread.
pub const ASYNC_ONE_ONE: Section = Section {
    name: "async_one_one",
    kind: Kind::Example,
    one_thread: true,
    page: "async-sections.md",
    ..ONE_ONE
};

/// `async_many_one`: `many-one` as async tasks, with an async barrier.
pub const ASYNC_MANY_ONE: Section = Section {
    name: "async_many_one",
    kind: Kind::Example,
    one_thread: true,
    page: "async-sections.md",
    ..MANY_ONE
};

/// `async_one_many`: `one-many` as async tasks.
pub const ASYNC_ONE_MANY: Section = Section {
    name: "async_one_many",
    kind: Kind::Example,
    one_thread: true,
    page: "async-sections.md",
    ..ONE_MANY
};

/// `async_many_many`: `many-many` as async tasks.
pub const ASYNC_MANY_MANY: Section = Section {
    name: "async_many_many",
    kind: Kind::Example,
    one_thread: true,
    page: "async-sections.md",
    ..MANY_MANY
};

/// `consumer_panic`: one producer, three consumers, one of which panics
/// halfway (a failure on purpose: the checker's rules do not hold).
pub const CONSUMER_PANIC: Section = Section {
    kind: Kind::Failure,
    sentinel: false,
    ..example(
        "consumer_panic",
        "consumer-panic.md",
        (Count::One, Count::Many(3)),
        10,
    )
};

/// `consumers_gone`: two producers, two consumers that leave after three
/// items each (a failure on purpose).
pub const CONSUMERS_GONE: Section = Section {
    kind: Kind::Failure,
    prints_added: true,
    sentinel: false,
    ..example(
        "consumers_gone",
        "consumers-gone.md",
        (Count::Many(2), Count::Many(2)),
        10,
    )
};

/// An aside: an example that prints no events and takes no flags.
const fn aside(name: &'static str, page: &'static str) -> Section {
    Section {
        kind: Kind::Aside,
        sentinel: false,
        ..section(name, page, (Count::One, Count::One), 0)
    }
}

/// `spawn_and_join`: `thread::spawn`, `join` and scoped threads on their
/// own, before any channel.
pub const SPAWN_AND_JOIN: Section = aside("spawn_and_join", "threads-and-channels.md");

/// `blocking_task`: a blocking call in one async task delays every task on
/// its thread, measured.
pub const BLOCKING_TASK: Section = aside("blocking_task", "async-sections.md");

/// Every program, in the book's order: the one table to add a program
/// to. Its kind says where it belongs and how it runs, and the tests that
/// apply to every program of a kind (`tests/every_program.rs`) run it;
/// [`of_kind`] and [`named`] look in it.
pub const PROGRAMS: [Section; 23] = [
    SPAWN_AND_JOIN,
    ONE_ONE,
    MANY_ONE,
    ONE_MANY,
    MANY_MANY,
    COUNTING_SENTINELS,
    DISCONNECT,
    EVENT_TIMEOUT,
    FORGOTTEN_SENDER,
    SHUTDOWN,
    SHUTDOWN_IMMEDIATE,
    SELECT,
    TASK_DONE,
    BACKPRESSURE,
    ASYNC_CONSUMERS,
    ASYNC_ONE_ONE,
    ASYNC_MANY_ONE,
    ASYNC_ONE_MANY,
    ASYNC_MANY_MANY,
    BLOCKING_TASK,
    CONSUMER_PANIC,
    CONSUMERS_GONE,
    REDIS_STREAMS,
];

/// How the book shows a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// The lines it printed, which keep every rule, after the command
    /// (`FILE.txt`); its timeline (`FILE.svg`); and what it wrote on
    /// stderr after the run, if anything (`FILE-report.md`).
    Lines,
    /// All it printed, stdout then stderr, after the command (`FILE.log`),
    /// its timeline, and its stderr alone (`FILE-report.md`): a run that
    /// fails on purpose, or whose report is the point. Thread numbers in a
    /// panic's message change from run to run, and are shown as `(ID)`.
    Log,
    /// What it printed, stdout then stderr, after the command, as a
    /// console block (`FILE-report.md`): a program that prints no events.
    Console,
}

/// A run the book shows, written to `book/src/outputs/` by `cargo xtask
/// book-outputs` and checked by the suite (`tests/book.rs`).
#[derive(Debug, Clone, Copy)]
pub struct BookRun {
    /// The file name, without its extension.
    pub file: &'static str,
    /// The program, as named in [`PROGRAMS`].
    pub program: &'static str,
    /// Its arguments, as a reader types them.
    pub args: &'static str,
    /// How the book shows it.
    pub shows: Shows,
}

/// Shorthand for the table below.
const fn run(
    file: &'static str,
    program: &'static str,
    args: &'static str,
    shows: Shows,
) -> BookRun {
    BookRun {
        file,
        program,
        args,
        shows,
    }
}

/// Every run the book shows, in the book's order.
pub const BOOK_RUNS: &[BookRun] = &[
    run("one-one", "one-one", "--seed 42", Shows::Lines),
    run(
        "one-one-capacity-1",
        "one-one",
        "--seed 42 --capacity 1",
        Shows::Lines,
    ),
    run(
        "one-one-capacity-0",
        "one-one",
        "--seed 42 --capacity 0",
        Shows::Lines,
    ),
    run("many-one", "many-one", "--seed 42", Shows::Lines),
    run("one-many", "one-many", "--seed 42", Shows::Lines),
    run("many-many", "many-many", "--seed 42", Shows::Lines),
    run(
        "counting_sentinels",
        "counting_sentinels",
        "--seed 42",
        Shows::Lines,
    ),
    run("event_timeout", "event_timeout", "--seed 42", Shows::Lines),
    run("disconnect", "disconnect", "--seed 42", Shows::Lines),
    run(
        "disconnect-one-one",
        "disconnect",
        "--seed 42 --producers 1 --consumers 1",
        Shows::Lines,
    ),
    run(
        "shutdown",
        "shutdown",
        "--seed 42 --capacity 2",
        Shows::Lines,
    ),
    run(
        "shutdown_immediate",
        "shutdown_immediate",
        "--seed 42 --capacity 2",
        Shows::Lines,
    ),
    // A run with a needle, so that the page shows a cancellation.
    run(
        "select",
        "select",
        "--seed 1 --time-scale 0.2",
        Shows::Lines,
    ),
    run(
        "task_done",
        "task_done",
        "--seed 42 --time-scale 0.5",
        Shows::Lines,
    ),
    run(
        "backpressure-capacity-100",
        "backpressure",
        "--seed 42 --capacity 100",
        Shows::Lines,
    ),
    run(
        "backpressure-unbounded",
        "backpressure",
        "--seed 42",
        Shows::Lines,
    ),
    run(
        "async_consumers",
        "async_consumers",
        "--seed 42",
        Shows::Lines,
    ),
    run("async_one_one", "async_one_one", "--seed 42", Shows::Lines),
    run(
        "async_many_one",
        "async_many_one",
        "--seed 42",
        Shows::Lines,
    ),
    run(
        "async_one_many",
        "async_one_many",
        "--seed 42",
        Shows::Lines,
    ),
    run(
        "async_many_many",
        "async_many_many",
        "--seed 42",
        Shows::Lines,
    ),
    run("blocking_task", "blocking_task", "", Shows::Console),
    run(
        "redis-streams",
        "redis-streams",
        "--seed 42 --time-scale 0.2",
        Shows::Lines,
    ),
    run(
        "redis-streams-crash",
        "redis-streams",
        "--seed 42 --time-scale 0.2 --crash 0:1",
        Shows::Log,
    ),
    run(
        "redis-streams-maxlen",
        "redis-streams",
        "--producers 4 --consumers 1 --items 100 --seed 42 --time-scale 0.01 --maxlen 10",
        Shows::Log,
    ),
    run(
        "consumer_panic",
        "consumer_panic",
        "--seed 42 --time-scale 0.2",
        Shows::Log,
    ),
    run(
        "consumers_gone",
        "consumers_gone",
        "--seed 42 --time-scale 0.2 --capacity 2",
        Shows::Log,
    ),
    run(
        "forgotten_sender",
        "forgotten_sender",
        "--seed 42 --time-scale 0.5",
        Shows::Lines,
    ),
];

/// The programs of kind `kind`, in the book's order.
pub fn of_kind(kind: Kind) -> Vec<Section> {
    PROGRAMS.into_iter().filter(|p| p.kind == kind).collect()
}

/// The four sections, then the examples that keep the checker's rules:
/// every program the checker's sweeps run in this process's tests.
pub fn checked() -> Vec<Section> {
    [of_kind(Kind::Section), of_kind(Kind::Example)].concat()
}

/// The programs on `common`'s command line (the sections, the examples
/// and the failures): each prints its own lines, takes the same flags, and
/// ends a run in which a thread panicked with Rust's exit code for a
/// panic.
pub fn plain() -> Vec<Section> {
    PROGRAMS
        .into_iter()
        .filter(|p| matches!(p.kind, Kind::Section | Kind::Example | Kind::Failure))
        .collect()
}

/// The program called `name`.
pub fn named(name: &str) -> Option<Section> {
    PROGRAMS.into_iter().find(|p| p.name == name)
}

/// The exit code of a plain program in which a thread panicked.
pub const PANICKED: i32 = 101;

/// The workspace's top folder, where the book, the examples' sources and
/// `exercises/` are.
pub fn workspace_root() -> PathBuf {
    // crates/harness -> the top folder.
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The path of the program of `section` (a member crate's binary, or an
/// example of the workspace's top package), in the same `target/<profile>/`
/// as the running executable, built first if it is missing or older than
/// its source ([`build`]).
pub fn path_of(section: &Section) -> PathBuf {
    if section.is_example() {
        program_path(&format!("examples/{}", section.name))
    } else {
        program_path(section.name)
    }
}

/// The path of the program `name` (a member crate's binary, or
/// `examples/NAME`), in the same `target/<profile>/` as the running
/// executable. The first call in a process builds every program of the
/// table ([`build`]): a test run alone (`cargo test --test NAME`), or a
/// tool, never runs a program older than its source.
pub fn program_path(name: &str) -> PathBuf {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    if let Err(why) = BUILT.get_or_init(build) {
        panic!("the programs could not be built: {why}");
    }
    let path = profile_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing after the build",
        path.display()
    );
    path
}

/// The `target/<profile>/` folder the running executable is in (a test
/// binary runs from its `deps/`).
fn profile_dir() -> PathBuf {
    let running = std::env::current_exe().expect("the running executable's path");
    let mut dir = running.parent().expect("a folder").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir
}

/// Builds every program of the table, as `cargo build` would, into the
/// target folder and profile of the running executable; quick when they
/// are already built, as after `cargo test --workspace`.
pub fn build() -> Result<(), String> {
    let dir = profile_dir();
    let (Some(target), Some(profile)) = (dir.parent(), dir.file_name()) else {
        return Err(format!("{} is no target/<profile> folder", dir.display()));
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    // `--bins` too: with `--example` alone, cargo builds only the examples.
    command.args(["build", "--quiet", "--bins", "--target-dir"]);
    command.arg(target);
    match profile.to_str() {
        Some("debug") => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(other) => {
            command.args(["--profile", other]);
        }
        None => return Err(format!("{} is not UTF-8", dir.display())),
    }
    for section in PROGRAMS {
        if section.is_example() {
            command.args(["-p", "producer-consumer", "--example", section.name]);
        } else {
            command.args(["-p", section.name]);
        }
    }
    let output = command
        .current_dir(workspace_root())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

// ANCHOR: watch
/// Runs the real program of `section` with `config`, and records each line
/// it prints in `log`, at the moment the line arrives: the log then holds
/// the run's events, each with its time. Ends with
/// the program; a program that panicked is reported as a panicked thread.
pub fn watch(section: &Section, config: &Settings, log: &Log) -> Result<(), Panicked> {
    let (status, stderr) = watch_output(section, config, log);
    if status.success() {
        return Ok(());
    }
    // The panic's message is the line after "thread '...' panicked at ...".
    let message = stderr
        .lines()
        .skip_while(|line| !line.contains("panicked at"))
        .nth(1)
        .unwrap_or(stderr.trim())
        .to_string();
    Err(Panicked {
        program: section.name.to_string(),
        message,
    })
}

/// A run that ended with a thread's panic, as [`watch`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// The program's name.
    pub program: String,
    /// The panic's message.
    pub message: String,
}

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} panicked: {}", self.program, self.message)
    }
}

impl std::error::Error for Panicked {}

/// As [`watch`], but hands back how the program ended and what it wrote
/// on stderr (a report after the run, a panic's message).
pub fn watch_output(section: &Section, config: &Settings, log: &Log) -> (ExitStatus, String) {
    watch_args(section, &section.args(config), log)
}

/// As [`watch_output`], with the program's arguments as they are (for
/// flags of its own, beyond the sections'). Panics if the program is still
/// running after [`HANG_BOUND`]: the run hung.
pub fn watch_args(section: &Section, args: &[String], log: &Log) -> (ExitStatus, String) {
    watch_within(section, args, log, HANG_BOUND).unwrap_or_else(|hung| panic!("{hung}"))
}

/// As [`watch_args`], for at most `bound`: an error says the run hung.
pub fn watch_within(
    section: &Section,
    args: &[String],
    log: &Log,
    bound: Duration,
) -> Result<(ExitStatus, String), String> {
    let exe = path_of(section);
    let mut command = Command::new(&exe);
    command
        .args(args)
        // What a reader sees by default: no backtrace after a panic.
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A thread that panics with an item in hand says so on stderr, on the
    // line after Rust's "thread '...' panicked at": the item left the
    // buffer in that thread's hands, which the timeline draws.
    let mut after_panic = false;
    let ran = crate::run::run_both(command, bound, |stream, line| match stream {
        Stream::Out => {
            let event: Event = line
                .parse()
                .unwrap_or_else(|e| panic!("{} {}: {e}", section.name, args.join(" ")));
            log.event(event.actor, event.what);
        }
        Stream::Err => {
            if after_panic && let Some((actor, item)) = panicked_on(line) {
                log.event(actor, What::Failed(item));
            }
            after_panic = line.starts_with("thread '") && line.contains(" panicked at ");
        }
    })?;
    let what = format!("{} {}", section.name, args.join(" "));
    let status = ran
        .status
        .ok_or_else(|| format!("{what} did not finish within {bound:?}: a deadlock?"))?;
    Ok((status, ran.stderr_text()))
}
// ANCHOR_END: watch

/// How late the slowest consumer of an `event_timeout` run stopped: from
/// the moment it could have stopped (the producer's `Done`, printed just
/// after it set the flag, or the consumer's own last item, if later) to
/// its own `Done`. An idle consumer notices the flag only when its wait
/// runs out, so this is up to one timeout.
pub fn slowest_stop(timed: &[(Duration, Event)]) -> Duration {
    let flag = timed
        .iter()
        .filter(|(_, e)| e.actor.role == Role::Producer && e.what == What::Done)
        .map(|&(at, _)| at)
        .max()
        .unwrap_or_default();
    let mut busy_until: HashMap<Actor, Duration> = HashMap::new();
    let mut slowest = Duration::ZERO;
    for &(at, event) in timed {
        if event.actor.role != Role::Consumer {
            continue;
        }
        match event.what {
            What::Done => {
                let could_stop = busy_until.get(&event.actor).copied().unwrap_or_default();
                slowest = slowest.max(at.saturating_sub(could_stop.max(flag)));
            }
            _ => {
                busy_until.insert(event.actor, at);
            }
        }
    }
    slowest
}

/// `redis-streams`: producer and consumer processes over a Redis stream
/// (two producers, three consumers by default). It takes the sections'
/// flags but `--panic-at` (its consumers can `--crash` instead), and its
/// delivery is at least once: an item reclaimed from a consumer that died
/// may be processed twice.
pub const REDIS_STREAMS: Section = Section {
    kind: Kind::Beyond,
    prints_added: true,
    sentinel: false,
    ..section(
        "redis-streams",
        "redis.md",
        (Count::Many(2), Count::Many(3)),
        10,
    )
};
