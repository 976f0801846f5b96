//! The plain programs, as the harness sees them from outside: the shape of
//! each (who runs, what it prints), and a way to run the real program with
//! a run's settings and read what it prints, line by line, as it happens.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::Duration;

use crate::events::{Actor, Event, Role, What};
use crate::log::Log;
use crate::section::{Count, Kind, Section, Settings};

/// A section's shape, with what every section shares.
const fn section(name: &'static str, producers: Count, consumers: Count, items: usize) -> Section {
    Section {
        name,
        producers,
        consumers,
        items,
        prints_added: false,
        barrier: false,
        kind: Kind::Section,
        sentinel: true,
    }
}

/// `one-one`: one producer of ten items, one consumer; the producer also
/// prints each item it adds.
pub const ONE_ONE: Section = Section {
    prints_added: true,
    ..section("one-one", Count::One, Count::One, 10)
};

/// `many-one`: three producers of five items meet at a barrier, one
/// consumer.
pub const MANY_ONE: Section = Section {
    barrier: true,
    ..section("many-one", Count::Many(3), Count::One, 5)
};

/// `one-many`: one producer of ten items, three consumers that pass the
/// sentinel on.
pub const ONE_MANY: Section = section("one-many", Count::One, Count::Many(3), 10);

/// `many-many`: three producers of ten items at a barrier, five consumers
/// that pass the sentinel on.
pub const MANY_MANY: Section = Section {
    barrier: true,
    ..section("many-many", Count::Many(3), Count::Many(5), 10)
};

/// An example's shape: it runs as `cargo run --example NAME`.
const fn example(name: &'static str, producers: Count, consumers: Count, items: usize) -> Section {
    Section {
        kind: Kind::Example,
        ..section(name, producers, consumers, items)
    }
}

/// `counting_sentinels`: three producers of five items, each sending its
/// own sentinel, one consumer that counts them.
pub const COUNTING_SENTINELS: Section =
    example("counting_sentinels", Count::Many(3), Count::One, 5);

/// `disconnect`: three producers, five consumers, no sentinel.
pub const DISCONNECT: Section = Section {
    sentinel: false,
    ..example("disconnect", Count::Many(3), Count::Many(5), 10)
};

/// `event_timeout`: one producer, three consumers that poll a stop flag.
pub const EVENT_TIMEOUT: Section = Section {
    sentinel: false,
    ..example("event_timeout", Count::One, Count::Many(3), 10)
};

/// `forgotten_sender`: one producer of five items, one consumer that
/// gives up on a channel a forgotten sender keeps open.
pub const FORGOTTEN_SENDER: Section = Section {
    sentinel: false,
    ..example("forgotten_sender", Count::One, Count::One, 5)
};

/// `shutdown`: three producers, two consumers; one consumer shuts the
/// queue down halfway, and the buffer is still processed.
pub const SHUTDOWN: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example("shutdown", Count::Many(3), Count::Many(2), 10)
};

/// `shutdown_immediate`: as `shutdown`, but the buffer is dropped.
pub const SHUTDOWN_IMMEDIATE: Section = Section {
    name: "shutdown_immediate",
    ..SHUTDOWN
};

/// `select`: two producers, three consumers that wait for an item or a
/// cancellation.
pub const SELECT: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example("select", Count::Many(2), Count::Many(3), 10)
};

/// `task_done`: one producer that waits after each batch, three consumers.
pub const TASK_DONE: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example("task_done", Count::One, Count::Many(3), 10)
};

/// `backpressure`: one fast producer of 300 items, one slow consumer.
pub const BACKPRESSURE: Section = Section {
    prints_added: true,
    sentinel: false,
    ..example("backpressure", Count::One, Count::One, 300)
};

/// `async_consumers`: three producer threads, five consumer tasks.
pub const ASYNC_CONSUMERS: Section = Section {
    sentinel: false,
    ..example("async_consumers", Count::Many(3), Count::Many(5), 10)
};

/// `async_one_one`: `one-one` as two async tasks on one thread.
pub const ASYNC_ONE_ONE: Section = Section {
    name: "async_one_one",
    kind: Kind::Example,
    ..ONE_ONE
};

/// `async_many_one`: `many-one` as async tasks, with an async barrier.
pub const ASYNC_MANY_ONE: Section = Section {
    name: "async_many_one",
    kind: Kind::Example,
    ..MANY_ONE
};

/// `async_one_many`: `one-many` as async tasks.
pub const ASYNC_ONE_MANY: Section = Section {
    name: "async_one_many",
    kind: Kind::Example,
    ..ONE_MANY
};

/// `async_many_many`: `many-many` as async tasks.
pub const ASYNC_MANY_MANY: Section = Section {
    name: "async_many_many",
    kind: Kind::Example,
    ..MANY_MANY
};

/// `consumer_panic`: one producer, three consumers, one of which panics
/// halfway (a failure on purpose: the checker's rules do not hold).
pub const CONSUMER_PANIC: Section = Section {
    kind: Kind::Failure,
    sentinel: false,
    ..example("consumer_panic", Count::One, Count::Many(3), 10)
};

/// `consumers_gone`: two producers, two consumers that leave after three
/// items each (a failure on purpose).
pub const CONSUMERS_GONE: Section = Section {
    kind: Kind::Failure,
    prints_added: true,
    sentinel: false,
    ..example("consumers_gone", Count::Many(2), Count::Many(2), 10)
};

/// Every program, in the book's order: the one table to add a program
/// to. Its kind says where it belongs and how it runs; [`of_kind`] and
/// [`named`] look in it.
pub const PROGRAMS: [Section; 21] = [
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
    CONSUMER_PANIC,
    CONSUMERS_GONE,
    REDIS_STREAMS,
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

/// The programs on `common` (all but the Redis one): each prints its own
/// lines, takes the same flags, and ends a run in which a thread panicked
/// with Rust's exit code for a panic.
pub fn plain() -> Vec<Section> {
    PROGRAMS
        .into_iter()
        .filter(|p| p.kind != Kind::Beyond)
        .collect()
}

/// The program called `name`.
pub fn named(name: &str) -> Option<Section> {
    PROGRAMS.into_iter().find(|p| p.name == name)
}

/// The exit code of a plain program in which a thread panicked.
pub const PANICKED: i32 = 101;

/// The path of the program of `section` (a member crate's binary, or an
/// example of the workspace's root package), built by `cargo test
/// --workspace` or `cargo build`, in the same `target/<profile>/` as the
/// running executable.
pub fn path_of(section: &Section) -> PathBuf {
    if section.is_example() {
        program_path(&format!("examples/{}", section.name))
    } else {
        program_path(section.name)
    }
}

/// The path of the program `name` (a member crate's binary), built by
/// `cargo test --workspace` or `cargo build`, in the same
/// `target/<profile>/` as the running executable.
pub fn program_path(name: &str) -> PathBuf {
    let running = std::env::current_exe().expect("the running executable's path");
    let mut dir = running.parent().expect("a folder").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop(); // A test binary runs from target/<profile>/deps.
    }
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build --workspace --examples`, or \
         the whole `cargo test --workspace`)",
        path.display()
    );
    path
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
/// flags of its own, beyond the sections').
pub fn watch_args(section: &Section, args: &[String], log: &Log) -> (ExitStatus, String) {
    let exe = path_of(section);
    let mut child = Command::new(&exe)
        .args(args)
        // What a reader sees by default: no backtrace after a panic.
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    let mut stderr = child.stderr.take().expect("piped stderr");
    let errors = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    for line in BufReader::new(child.stdout.take().expect("piped stdout")).lines() {
        let line = line.expect("the program prints text");
        let event: Event = line
            .parse()
            .unwrap_or_else(|e| panic!("{} {}: {e}", section.name, args.join(" ")));
        log.event(event.actor, event.what);
    }
    let status = child.wait().expect("the program ends");
    (status, errors.join().expect("the stderr reader"))
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
    ..section("redis-streams", Count::Many(2), Count::Many(3), 10)
};
