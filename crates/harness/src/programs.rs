//! The plain programs, as the harness sees them from outside: the shape of
//! each (who runs, what it prints), and a way to run the real program with
//! a run's settings and read what it prints, line by line, as it happens.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;

use crate::config::{Config, Count, Section};
use crate::log::{Event, Log};
use crate::threads::Panicked;

/// A section's shape, with what every section shares.
const fn section(name: &'static str, producers: Count, consumers: Count, items: usize) -> Section {
    Section {
        name,
        about: "",
        version: env!("CARGO_PKG_VERSION"),
        producers,
        consumers,
        items,
        prints_added: false,
        barrier: false,
        example: false,
        report: None,
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

/// `counting_sentinels` (an example): three producers of five items, each
/// sending its own sentinel, one consumer that counts them.
pub const COUNTING_SENTINELS: Section = Section {
    example: true,
    ..section("counting_sentinels", Count::Many(3), Count::One, 5)
};

/// The plain programs: each prints its own lines, takes no `--timeline`
/// (the harness draws it from outside), and ends a run in which a thread
/// panicked with Rust's exit code for a panic.
pub const PLAIN: [Section; 5] = [ONE_ONE, MANY_ONE, ONE_MANY, MANY_MANY, COUNTING_SENTINELS];

/// The exit code of a plain program in which a thread panicked.
pub const PANICKED: i32 = 101;

/// Whether `section` is one of the [`PLAIN`] programs.
pub fn is_plain(section: &Section) -> bool {
    PLAIN.iter().any(|plain| plain.name == section.name)
}

/// The path of the program of `section` (a member crate's binary, or an
/// example of the workspace's root package), built by `cargo test
/// --workspace` or `cargo build`, in the same `target/<profile>/` as the
/// running executable.
pub fn path_of(section: &Section) -> PathBuf {
    if section.example {
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

/// The command-line arguments that make a program run with `config`.
pub fn args(section: &Section, config: &Config) -> Vec<String> {
    config
        .command(section)
        .split_whitespace()
        .skip_while(|word| *word != "--")
        .skip(1)
        .map(str::to_string)
        .collect()
}

// ANCHOR: watch
/// Runs the real program of `section` with `config`, and records each line
/// it prints in `log`, at the moment the line arrives: the log then holds
/// what an in-process run would have printed, with its times. Ends with
/// the program; a program that panicked is reported as a panicked thread.
pub fn watch(section: &Section, config: &Config, log: &Log) -> Result<(), Panicked> {
    let exe = path_of(section);
    let mut child = Command::new(&exe)
        .args(args(section, config))
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
            .unwrap_or_else(|e| panic!("{}: {e}", config.command(section)));
        log.event(event.actor, event.what);
    }
    let status = child.wait().expect("the program ends");
    let stderr = errors.join().expect("the stderr reader");
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
        threads: vec![(section.name.to_string(), message)],
    })
}
// ANCHOR_END: watch
