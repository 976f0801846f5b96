//! The exercises (`exercises/NAME/`), and their grading: a learner's file
//! is built, then run many times, across seeds, capacities and time
//! scales, under a hang bound, and every run is checked by the checker. A
//! concurrency mistake passes most runs; grading looks for the run it
//! breaks, and says what broke and how to repeat it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::Duration;

use crate::check::check_printed;
use crate::events::parse_output;
use crate::programs::{
    COUNTING_SENTINELS, DISCONNECT, EVENT_TIMEOUT, MANY_MANY, MANY_ONE, ONE_MANY, ONE_ONE,
};
use crate::run::wait_within;
use crate::section::{Section, Settings};

mod deadlock;
mod names;
mod shapes;
mod spin;
use shapes::{
    function, name_char, outside_threads_of, paren_end, plain_functions, races_in, sent_in_a_loop,
    sent_on_either, sent_twice, threads_of, top_level, unconditional, whole_name,
};

/// One exercise: its name (its folder, and the program's), the program
/// whose shape and lines it has, the chapter it practises, and what
/// grading says of the file as it is given, the mistake it was written
/// for.
#[derive(Debug, Clone, Copy)]
pub struct Exercise {
    /// Its folder in `exercises/`, and its program's name.
    pub name: &'static str,
    /// The threads it runs and the lines it prints.
    pub shape: Section,
    /// The book's page it practises.
    pub chapter: &'static str,
    /// What grading the unsolved file says.
    pub fails_with: &'static str,
    /// A thread that panics on purpose in graded runs (`--panic-at`), and
    /// the item: then a run must end with a panic's exit code, and other
    /// runs move the panic or leave it out.
    pub panic_at: Option<(&'static str, usize)>,
    /// The sides whose panic, in a run of their own, the program must
    /// survive (end with 101, every other thread ended) where no panic is
    /// planned above: `"producer"`, `"consumer"`. The chapters' programs
    /// survive both; an exercise whose given code cannot (a producer left
    /// as given that does not catch its panic) leaves that side out.
    pub survives: &'static [&'static str],
    /// What it practises, in a few words.
    pub practises: &'static str,
    /// How hard it is: 1 a first step, 2 a mistake to find, 3 a race to
    /// reason out.
    pub level: u8,
    /// What the exercise's text asks beyond a good run, checked in the
    /// file itself.
    pub rules: &'static [Rule],
}

/// A rule an exercise's text states that a run cannot show, checked in the
/// learner's file (comments aside).
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// The file never contains this code; and what the text says.
    Never(&'static str, &'static str),
    /// This function is as the solution has it (the text asks to leave it
    /// as given).
    Unchanged(&'static str, &'static str),
    /// This code, in this function (which several threads run), is sent
    /// by one of them only: it sits under an `if` or a `match`. So too in
    /// a closure spawned to run the function and do more.
    OnlyOne(&'static str, &'static str, &'static str),
    /// This function (as written) never has this code: the text asks for
    /// it elsewhere. Closures it spawns to run the second function (its
    /// threads, such as `consumer`) are not its own code.
    NotIn(&'static str, &'static str, &'static str, &'static str),
    /// This function sends this code once at most: never in a loop of its
    /// own (`for _ in 0..others { send(..) }`). So too in a closure spawned
    /// to run the function and do more.
    NotRepeated(&'static str, &'static str, &'static str),
    /// The file builds where `Settings` cannot be cloned: it clones no
    /// settings, by any road. And what the text says.
    ClonesNoSettings(&'static str),
    /// The file has these codes once at most, all told (the settings read
    /// from the command line once, not once per thread); and what the text
    /// says.
    Once(&'static [&'static str], &'static str),
    /// Where a thread panics, `main` joins every thread before it ends:
    /// no `join().unwrap()` (or `expect`) comes before another join.
    JoinsAll,
    /// Some thread sends this code (a sentinel the text asks for, which a
    /// program that ends by disconnection alone never sends).
    Sends(&'static str, &'static str),
    /// The buffer is the one `--capacity` asks for, made as given: no
    /// other channel, no capacity of the program's own. Lines without
    /// `added` cannot show a buffer's size, so the text is what shows it.
    KeepsTheBuffer,
    /// The statements that make a channel read nothing of the settings but
    /// the capacity: a bound kept only for some numbers of items (`if
    /// settings.items < 100_000`), or some numbers of threads, is broken in
    /// the runs it leaves out, and a million items cannot be graded.
    BoundsByCapacity,
    /// The types the exercise imports (flume's `Sender` and `Receiver`,
    /// `common`'s `Message`) are the ones the file uses: no stand-in by the
    /// same name, which could drop a sentinel or make more.
    KeepsTheTypes,
}

/// How every exercise but `bound_it` makes its buffer, white space
/// squeezed.
const THE_BUFFER: &str = "match settings.capacity { Some(capacity) => flume::bounded(capacity), \
                          None => flume::unbounded(), }";

/// Every exercise, in the book's order.
pub const EXERCISES: [Exercise; 12] = [
    Exercise {
        name: "borrow",
        shape: ONE_ONE,
        chapter: "threads-and-channels.md",
        fails_with: "does not compile",
        panic_at: None,
        // A producer's panic is reported before the consumer is joined
        // by most answers that join by hand (`join().unwrap()`, in turn):
        // joining every thread first is `swallowed_panic`'s lesson.
        survives: &["consumer"],
        practises: "scoped threads that borrow from `main`",
        level: 1,
        rules: &[
            Rule::Never("settings.clone()", "without cloning the settings"),
            Rule::Never("to_owned(", "without cloning the settings"),
            Rule::Never("Clone::clone(", "without cloning the settings"),
            Rule::Never("cloned(", "without cloning the settings"),
            Rule::Never("Clone>::clone(", "without cloning the settings"),
            Rule::Never("Settings::clone(", "without cloning the settings"),
            Rule::Never("clone_from(", "without cloning the settings"),
            Rule::ClonesNoSettings("without cloning the settings"),
            Rule::Never("unsafe", "without `unsafe`"),
            // Settings made anew: read from the command line again (clap's
            // `parse`, `parse_from`, `try_parse`, or `common`'s), or built
            // field by field.
            Rule::Once(
                &[
                    "from_command_line(",
                    "read_command_line",
                    "::parse(",
                    "::parse_from(",
                    "::try_parse(",
                    "::try_parse_from(",
                ],
                "without cloning the settings",
            ),
            Rule::Never("Settings {", "without cloning the settings"),
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
        ],
    },
    Exercise {
        name: "sentinel",
        shape: ONE_ONE,
        chapter: "one-one.md",
        fails_with: "hung",
        panic_at: None,
        survives: &[],
        practises: "ending a consumer with a sentinel",
        level: 1,
        rules: &[
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
            Rule::Sends("Sentinel", "a sentinel, as the tutorial sends"),
        ],
    },
    Exercise {
        name: "empty_is_not_the_end",
        shape: ONE_ONE,
        chapter: "one-one.md",
        fails_with: "was never consumed",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "waiting in `recv`, not polling with `try_recv`",
        level: 1,
        rules: &[Rule::KeepsTheBuffer, Rule::KeepsTheTypes],
    },
    Exercise {
        name: "barrier",
        shape: MANY_ONE,
        chapter: "many-one.md",
        fails_with: "was never consumed",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "a barrier before the one sentinel",
        level: 2,
        rules: &[
            Rule::OnlyOne(
                "producer",
                "Message::Sentinel",
                "one sentinel, sent by one producer",
            ),
            Rule::NotIn(
                "main",
                "Sentinel",
                "producer",
                "one sentinel, sent by one producer",
            ),
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
            Rule::Sends("Sentinel", "one sentinel, sent by one producer"),
        ],
    },
    Exercise {
        name: "pass_it_on",
        shape: ONE_MANY,
        chapter: "one-many.md",
        fails_with: "hung",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "passing the sentinel on between consumers",
        level: 2,
        rules: &[
            Rule::Unchanged("producer", "leaving the producer as it is"),
            Rule::NotIn(
                "main",
                "Sentinel",
                "consumer",
                "the one sentinel the producer sends",
            ),
            Rule::NotRepeated(
                "consumer",
                "Sentinel",
                "the one sentinel the producer sends",
            ),
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
        ],
    },
    Exercise {
        name: "last_consumer",
        shape: MANY_MANY,
        chapter: "many-many.md",
        fails_with: "hung",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "who may still receive at capacity 0",
        level: 3,
        rules: &[
            Rule::Unchanged("producer", "keeping the producers as they are"),
            Rule::NotIn(
                "main",
                "Sentinel",
                "consumer",
                "the one sentinel, passed on",
            ),
            Rule::NotRepeated("consumer", "Sentinel", "the one sentinel, passed on"),
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
        ],
    },
    Exercise {
        name: "count_sentinels",
        shape: COUNTING_SENTINELS,
        chapter: "counting-sentinels.md",
        fails_with: "was never consumed",
        // A producer that dies sends no sentinel: its hint asks what then.
        panic_at: Some(("producer 1", 2)),
        // The planned panic moves to the consumer too.
        survives: &[],
        practises: "counting one sentinel per producer",
        level: 2,
        rules: &[
            Rule::Unchanged("producer", "without changing the producers"),
            Rule::JoinsAll,
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
        ],
    },
    Exercise {
        name: "stop_flag",
        shape: EVENT_TIMEOUT,
        chapter: "event-timeout.md",
        fails_with: "was never consumed",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "a stop flag that loses no item",
        level: 3,
        rules: &[Rule::KeepsTheBuffer, Rule::KeepsTheTypes],
    },
    Exercise {
        name: "drop_the_sender",
        shape: DISCONNECT,
        chapter: "disconnect.md",
        fails_with: "hung",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "ending by disconnection: every sender dropped",
        level: 2,
        rules: &[
            Rule::Never("Sentinel", "without adding a sentinel"),
            Rule::Unchanged("consumer", "without changing the consumers"),
            Rule::KeepsTheBuffer,
            Rule::KeepsTheTypes,
        ],
    },
    Exercise {
        name: "rendezvous",
        shape: ONE_ONE,
        chapter: "backpressure.md",
        fails_with: "hung",
        panic_at: None,
        // A producer's panic is reported before the consumer is joined
        // by most answers that join by hand (`join().unwrap()`, in turn):
        // joining every thread first is `swallowed_panic`'s lesson.
        survives: &["consumer"],
        practises: "a bounded buffer needs its consumer running",
        level: 2,
        rules: &[Rule::KeepsTheBuffer, Rule::KeepsTheTypes],
    },
    Exercise {
        name: "bound_it",
        shape: ONE_ONE,
        chapter: "backpressure.md",
        fails_with: "more items than its capacity",
        panic_at: None,
        survives: &["producer", "consumer"],
        practises: "keeping the bound `--capacity` asks for",
        level: 1,
        rules: &[Rule::BoundsByCapacity],
    },
    Exercise {
        name: "swallowed_panic",
        shape: ONE_ONE,
        chapter: "consumer-panic.md",
        fails_with: "the panic was swallowed",
        panic_at: Some(("consumer", 3)),
        survives: &[],
        practises: "reporting a thread's panic in the exit code",
        level: 2,
        rules: &[Rule::JoinsAll, Rule::KeepsTheBuffer, Rule::KeepsTheTypes],
    },
];

/// How long a run may print nothing before grading calls it hung, on
/// top of the longest an item's work can take in that run: far more than
/// a correct program ever pauses, even on a busy machine, and short
/// enough that a hang is reported in seconds.
pub const QUIET_BOUND: Duration = Duration::from_secs(3);

/// The longest any one run may take, however much it prints.
pub const RUN_BOUND: Duration = Duration::from_secs(60);

/// The exercise called `name`.
pub fn named(name: &str) -> Option<Exercise> {
    EXERCISES.into_iter().find(|exercise| exercise.name == name)
}

/// The `exercises/` folder.
pub fn folder() -> PathBuf {
    crate::programs::workspace_root().join("exercises")
}

/// The program to build: the learner's file, or the solution.
fn binary(exercise: &Exercise, solution: bool) -> String {
    if solution {
        format!("{}-solution", exercise.name)
    } else {
        exercise.name.to_string()
    }
}

/// Builds the learner's file (or the solution) and returns the program's
/// path; or, if it does not compile, the compiler's first error.
pub fn build(exercise: &Exercise, solution: bool) -> Result<PathBuf, String> {
    let target = folder().join("../target/exercises");
    let bin = binary(exercise, solution);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["build", "--quiet", "--bin", &bin, "--target-dir"])
        .arg(&target)
        .current_dir(folder())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(target.join("debug").join(bin));
    }
    Err(format!(
        "{} does not compile: see the first error\n\n{}",
        exercise.name,
        first_error(&output.stderr, "exercises")
    ))
}

/// The compiler's first error in `stderr`, with the paths cargo names from
/// the folder `from` named from the project's root, where the learner is.
fn first_error(stderr: &[u8], from: &str) -> String {
    let errors = String::from_utf8_lossy(stderr);
    errors
        .lines()
        .skip_while(|line| !line.starts_with("error"))
        .take_while(|line| !line.is_empty())
        .map(|line| match line.split_once("--> ") {
            Some((arrow, path)) if !path.starts_with('/') && !from.is_empty() => {
                format!("{arrow}--> {from}/{path}")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// [`Rule::ClonesNoSettings`]: whether the answer `file` builds against
/// a copy of `common` whose `Settings` has no `Clone` (made in
/// `target/exercises-without-clone/`, with a manifest of the answer's
/// own, `bin` its name there). A file that clones the settings, however it
/// spells it (through a helper, a generic, a derive), does not compile
/// there; one that never does builds the same. `common` itself stays as
/// the reader copies it.
fn clones_no_settings(exercise: &Exercise, file: &Path, bin: &str) -> Result<(), String> {
    let Some(said) = exercise.rules.iter().find_map(|rule| match rule {
        Rule::ClonesNoSettings(said) => Some(*said),
        _ => None,
    }) else {
        return Ok(());
    };
    let root = folder().join("..");
    let dir = root.join("target/exercises-without-clone");
    let made = |e: std::io::Error| format!("cannot make {}: {e}", dir.display());
    // `common`, its derive without `Clone`, and its dependencies as the
    // workspace pins them.
    let derive = "#[derive(clap::Parser, Debug, Clone, PartialEq)]\npub struct Settings";
    let lib = std::fs::read_to_string(root.join("crates/common/src/lib.rs")).map_err(made)?;
    if !lib.contains(derive) {
        return Err(format!(
            "grading cannot find `{derive}` in crates/common/src/lib.rs"
        ));
    }
    let lib = lib.replace(derive, &derive.replace(" Clone,", ""));
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).map_err(made)?;
    let pinned: Vec<&str> = workspace
        .lines()
        .filter(|line| line.starts_with("rand = ") || line.starts_with("clap = "))
        .collect();
    let common = format!(
        "[package]\nname = \"common\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         publish = false\n\n[workspace]\n\n[dependencies]\n{}\n",
        pinned.join("\n")
    );
    let answer = format!(
        "[package]\nname = \"answer\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         publish = false\nautobins = false\n\n[workspace]\n\n[dependencies]\n\
         common = {{ path = \"../common\" }}\n{}\n\n\
         [[bin]]\nname = \"answer\"\npath = \"{}\"\n",
        workspace
            .lines()
            .find(|line| line.starts_with("flume = "))
            .unwrap_or("flume = \"0.12\""),
        // A TOML string: its backslashes and quotes escaped.
        file.canonicalize()
            .map_err(made)?
            .display()
            .to_string()
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
    );
    let lock = std::fs::read_to_string(folder().join("Cargo.lock")).map_err(made)?;
    // Written only where changed: cargo rebuilds what is newer.
    let write = |path: PathBuf, text: &str| -> Result<(), String> {
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        std::fs::create_dir_all(path.parent().unwrap_or(&dir)).map_err(made)?;
        std::fs::write(&path, text).map_err(made)
    };
    write(dir.join("common/src/lib.rs"), &lib)?;
    write(dir.join("common/Cargo.toml"), &common)?;
    let manifest = dir.join(bin).join("Cargo.toml");
    write(manifest.clone(), &answer)?;
    if !dir.join(bin).join("Cargo.lock").is_file() {
        write(dir.join(bin).join("Cargo.lock"), &lock)?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(dir.join("target"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    // The file named from the project's root, where the learner is.
    let file = file.canonicalize().map_err(made)?;
    let shown = root
        .canonicalize()
        .ok()
        .and_then(|root| file.strip_prefix(root).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| file.clone());
    let errors = String::from_utf8_lossy(&output.stderr)
        .replace(&file.display().to_string(), &shown.display().to_string());
    Err(format!(
        "the exercise asks you to do it {said}, but the file clones them: where `Settings` \
         cannot be cloned, it does not compile. Share them instead (borrow them in scoped \
         threads, or put them in an `Arc`)\n\n{}",
        first_error(errors.as_bytes(), "")
    ))
}

/// The settings grading runs an exercise with, quick ones first:
///
/// - every kind of capacity (unbounded, rendezvous, one slot, a few),
///   seeds 1 to 3, with no sleeps and with short ones;
/// - slow runs, and lopsided ones (slow producers and quick consumers, and
///   the reverse), where a thread waits tens of milliseconds for the
///   next item: a sleep or a timeout of that order cannot hide a race;
/// - runs in which each thread works at its own, varying speed
///   (`--jitter`), seed after seed, so that interleavings that are rare
///   at one pace happen;
/// - where there can be several producers or consumers, other numbers of
///   them than the defaults;
/// - a buffer with room for every item and no more, and the stall runs
///   of `long_gaps`: one producer stops, or every consumer (at a full
///   buffer, and at an unbounded one), until the run can do nothing more
///   or its clock, run fast, has outrun any timeout the program waits
///   on; and where there are several consumers, consumer 0 alone, while
///   the others must go on.
///
/// An exercise with a planned panic moves it from run to run (its item,
/// the first, the last), from the consumer to the producer, and leaves it
/// out of every sixth run, which must then end cleanly; the runs that test
/// thread counts, a full buffer or a stall have none.
pub fn runs(exercise: &Exercise) -> Vec<Settings> {
    let run = |seed: u64, time_scale: f64, capacity, pace, jitter| {
        let mut settings = exercise.shape.settings(seed);
        settings.time_scale = time_scale;
        settings.capacity = capacity;
        settings.pace = pace;
        settings.jitter = jitter;
        settings
    };
    let mut runs = Vec::new();
    for time_scale in [0.0, 0.002] {
        for capacity in [None, Some(0), Some(1), Some(4)] {
            for seed in 1..=3 {
                runs.push(run(seed, time_scale, capacity, None, false));
            }
        }
    }
    // Up to 80 ms an item on the slow side: tens of milliseconds.
    for pace in [(1.0, 1.0), (8.0, 0.125), (0.125, 8.0)] {
        for capacity in [None, Some(0), Some(1)] {
            runs.push(run(4, 0.01, capacity, Some(pace), false));
        }
    }
    for seed in 5..=10 {
        for capacity in [None, Some(0), Some(2)] {
            runs.push(run(seed, 0.004, capacity, None, true));
        }
    }
    // The runs so far carry the planned panics; those below test other
    // things (thread counts, a full buffer, a long gap), and run clean.
    let planned = runs.len();
    // Other numbers of threads than the defaults, where there can be
    // several: nothing may count on the defaults.
    let (producers, consumers) = (exercise.shape.producers, exercise.shape.consumers);
    if producers.numbered() || consumers.numbered() {
        for (seed, more) in [(11, true), (12, false)] {
            let mut settings = run(seed, 0.002, None, None, true);
            if producers.numbered() {
                settings.producers = if more { 5 } else { 2 };
            }
            if consumers.numbered() {
                settings.consumers = if more { 2 } else { 6 };
            }
            runs.push(settings);
        }
        // More threads than a byte can count: a count of them kept in a
        // `u8` overflows.
        let mut crowd = run(21, 0.0, None, None, false);
        crowd.items = 1;
        if producers.numbered() {
            crowd.producers = 300;
        }
        if consumers.numbered() {
            crowd.consumers = 300;
        }
        runs.push(crowd);
        // Many slow consumers, no buffer: a message handed from one to the
        // next finds them all busy, tens of milliseconds more.
        if consumers.numbered() {
            let mut settings = run(13, 0.05, Some(0), Some((0.125, 8.0)), false);
            settings.consumers = 6;
            runs.push(settings);
        }
    }
    runs.extend(panics_to_survive(exercise));
    // A buffer with room for every item, and none to spare: a sentinel
    // after the items waits for room.
    let items = exercise.shape.settings(1).items;
    for seed in [16, 17] {
        runs.push(run(seed, 0.002, Some(items), None, false));
    }
    // No items at all: a program that ends on the last item's number
    // (`i + 1 == items`), not on what says the end, never ends.
    let mut empty = run(19, 0.002, None, None, false);
    empty.items = 0;
    runs.push(empty);
    // No items, one producer and one consumer, and the pauses of `--jitter`:
    // each thread is done while `main`, which started it, pauses.
    if producers.numbered() || consumers.numbered() {
        let mut lone = run(22, 0.0, None, None, true);
        lone.items = 0;
        lone.producers = 1;
        lone.consumers = 1;
        runs.push(lone);
    }
    // Many items, a producer 64 times quicker than its consumer and no
    // bound: most of them wait at once, more than any bound a program
    // might pick for itself when `--capacity` is not given.
    if exercise.shape.prints_added {
        let mut many = run(20, 0.001, None, Some((0.125, 8.0)), false);
        many.items = 300;
        runs.push(many);
    }
    plan_panics(exercise, &mut runs[..planned]);
    // The stall runs right after the first: a program that ends on a
    // timeout is slow in every run, and these are the ones that show it,
    // in seconds rather than after fifty slow runs. The first run stays
    // first, so that a program that fails at once is told of that.
    runs.splice(1..1, long_gaps(exercise));
    runs
}

/// The runs with one long gap, on each side: a producer that stops before
/// an item, the consumers that stop on theirs. A program that takes a
/// timeout for the end of the stream, or gives up a send after one, shows
/// it: the run's clock runs fast through the gap, past any timeout.
fn long_gaps(exercise: &Exercise) -> Vec<Settings> {
    let run = |seed: u64, time_scale: f64, capacity| {
        let mut settings = exercise.shape.settings(seed);
        settings.time_scale = time_scale;
        settings.capacity = capacity;
        settings
    };
    let mut runs = Vec::new();
    let middle = exercise.shape.settings(1).items / 2;
    // The consumers stop early, with most items still to make: a producer
    // that goes on making them while the buffer is full shows it.
    let early = 1;
    // One producer of several stops (the others go on, and one that waits
    // for them with a timeout shows it); every consumer stops.
    let one_producer = if exercise.shape.producers.numbered() {
        "producer 1"
    } else {
        "producer"
    };
    // The consumers stop twice: at a full buffer (a producer that gives
    // up a send shows it), and with room for everything (a `main` that
    // waits for them with a timeout shows it).
    for (seed, who, item, capacity) in [
        (14, one_producer, middle, None),
        (15, "consumer", early, Some(1)),
        (18, "consumer", early, None),
    ] {
        let mut settings = run(seed, 0.002, capacity);
        settings.stall = Some((who.to_string(), item));
        // With the consumers stopped and no bound, the producer adds every
        // item: many of them show a bound the program picked for itself.
        // With no effort: the items' work is not what this run is for.
        if exercise.shape.prints_added && who == "consumer" && capacity.is_none() {
            settings.items = UNBOUNDED_ITEMS;
            settings.time_scale = 0.0;
        }
        runs.push(settings);
    }
    // One consumer of several held in the middle of an item (its first
    // after the first), with one producer: the others go on taking items.
    // Consumers that take turns (a lock held across each item's work)
    // take nothing while it is held. Unbounded, and at capacity 0, where a
    // send to the held one waits for it: a consumer that passes the
    // sentinel on and gives up after a timeout (or after some tries) lets
    // it go, and the held one waits for ever.
    if exercise.shape.consumers.numbered() {
        for (seed, capacity) in [(24, None), (25, Some(0))] {
            let mut held = run(seed, 0.002, capacity);
            held.producers = 1;
            held.stall = Some(("consumer 0".to_string(), early));
            runs.push(held);
        }
    }
    // A large bound, full: a program that keeps small bounds and lets a
    // large one go (`if capacity < 50`) shows it. At `--time-scale 0` the
    // producers fill it in an instant while the consumers are stopped.
    let mut full = run(22, 0.0, Some(LARGE_BOUND));
    full.items = LARGE_BOUND.div_ceil(full.producers) + 10;
    full.stall = Some(("consumer".to_string(), early));
    runs.push(full);
    runs
}

/// The bound of the run whose buffer is large and full: larger than any
/// bound a program might keep while letting larger ones go (a thousand
/// items fill it in a few milliseconds; 5,000 cost a right answer's
/// grading a quarter more CPU, in writing and reading their lines).
const LARGE_BOUND: usize = 1000;

/// A thread that panics, on each side `exercise`'s program must survive,
/// at capacity 0 and unbounded: it must end with 101, not hang on a thread
/// that waits for the dead one (a barrier it never reaches, a receiver
/// kept alive, a count it never leaves). Where there can be several
/// consumers, twice: the only one, and whichever of them starts the item
/// first while the others go on (a count of the living that the dead one
/// never leaves shows only then). Where there are several of a side, one
/// dies early while the producers are slow: the others, waiting for items
/// still to come, must not stop with the dead one. Where the consumers
/// pass the sentinel on, once more at capacity 0: the consumer that takes
/// the last item is held back (a long gap) while the others meet the
/// sentinel, then dies (with one producer, so that no other consumer is
/// held back on its own last item). A consumer that
/// passes the sentinel on, counting on one still alive while it keeps
/// its own receiver, waits for ever in its `send`. And for each side that
/// may die (both, where the exercise plans panics of its own), one run
/// with one thread a side and the other side held back around the death:
/// a `main` that waits for the held thread by spinning spins for the whole
/// gap.
fn panics_to_survive(exercise: &Exercise) -> Vec<Settings> {
    // Up to 80 ms an item for the producers, and quick consumers.
    let slow_producers = |runs: Vec<Settings>| {
        runs.into_iter().map(|mut run| {
            run.time_scale = 0.01;
            run.pace = Some((8.0, 0.125));
            run
        })
    };
    let (producers, consumers) = (exercise.shape.producers, exercise.shape.consumers);
    // Thread `who` panics on item `item`, at each of `capacities`; the
    // `n`th run planned so far.
    let plan = |who: &str, item: usize, capacities: &[Option<usize>], n: usize| {
        let runs = capacities.iter().zip(n..).map(move |(capacity, n)| {
            let mut settings = exercise.shape.settings(23 + n as u64);
            settings.time_scale = 0.002;
            settings.capacity = *capacity;
            settings.panic_at = Some((who.to_string(), item));
            settings
        });
        runs.collect::<Vec<_>>()
    };
    let both = [Some(0), None];
    let mut runs = Vec::new();
    for side in exercise.survives {
        match (*side, producers.numbered(), consumers.numbered()) {
            ("producer", true, _) => {
                runs.extend(plan("producer 1", 2, &both, runs.len()));
                // Early, while the others are still making their items
                // (slow producers, quick consumers): a producer whose death
                // ends the stream for every producer loses their items.
                runs.extend(slow_producers(plan("producer 1", 1, &[None], runs.len())));
            }
            ("consumer", _, true) => {
                // The only consumer, then one among several.
                let mut alone = plan("consumer 0", 2, &both, runs.len());
                for run in &mut alone {
                    run.consumers = 1;
                }
                runs.extend(alone);
                runs.extend(plan("consumer", 2, &both, runs.len()));
                // Early, with most items still to come (a slow producer,
                // quick consumers): the others wait for them. A consumer
                // whose death tells the others to stop (a flag raised, a
                // sentinel sent) loses them here.
                runs.extend(slow_producers(plan("consumer", 1, &[None], runs.len())));
                // Late, with items still waiting (a quick producer, slow
                // consumers): the others take what is left. A program that
                // leaves what is left to one consumer loses it here.
                let late = exercise.shape.settings(1).items - 3;
                for mut run in plan("consumer", late, &[None], runs.len()) {
                    run.time_scale = 0.01;
                    run.pace = Some((0.125, 8.0));
                    runs.push(run);
                }
                if passes_the_sentinel_on(exercise) {
                    let last = exercise.shape.settings(1).items - 1;
                    for mut held in plan("consumer", last, &[Some(0)], runs.len()) {
                        held.stall.clone_from(&held.panic_at);
                        // One producer: one item of that number, so one
                        // consumer held back (several would take the
                        // sentinel in its place).
                        held.producers = 1;
                        runs.push(held);
                    }
                }
            }
            (side, _, _) => runs.extend(plan(side, 2, &both, runs.len())),
        }
    }
    // Each side that may die (those above, and both where the exercise
    // plans its own panics), with the other side held back around the
    // death: whoever waits for it (`main`, at a join) must wait, not spin,
    // for the whole gap.
    let sides: &[&str] = if exercise.panic_at.is_some() {
        &["producer", "consumer"]
    } else {
        exercise.survives
    };
    for side in sides {
        let (dead, held, item) = match *side {
            "consumer" if consumers.numbered() => ("consumer 0", "producer", 3),
            "consumer" => ("consumer", "producer", 3),
            _ => ("producer", "consumer", 1),
        };
        for mut run in plan(dead, 2, &[Some(0)], runs.len()) {
            // One of each, so that the one held back is the one waited for.
            run.producers = 1;
            run.consumers = 1;
            run.stall = Some((held.to_string(), item));
            runs.push(run);
        }
    }
    runs
}

/// Whether `exercise`'s consumers pass one sentinel on from one to the
/// next (its rules keep the consumer from sending another).
fn passes_the_sentinel_on(exercise: &Exercise) -> bool {
    exercise
        .rules
        .iter()
        .any(|rule| matches!(rule, Rule::NotRepeated("consumer", "Sentinel", _)))
}

/// Spreads the exercise's planned panic over `runs`: from item to item
/// (the one it names, the first, the last), from one side to the other,
/// and none in every sixth run, which must then end cleanly.
fn plan_panics(exercise: &Exercise, runs: &mut [Settings]) {
    let Some((who, i)) = exercise.panic_at else {
        return;
    };
    // The other side panics too: a program that reports only its
    // consumer's panic, or joins one thread and not the other, shows.
    let (producers, consumers) = (exercise.shape.producers, exercise.shape.consumers);
    let other = match (
        who.starts_with("consumer"),
        producers.numbered(),
        consumers.numbered(),
    ) {
        (true, true, _) => "producer 1",
        (true, false, _) => "producer",
        (false, _, true) => "consumer 1",
        (false, _, false) => "consumer",
    };
    let last = exercise.shape.settings(1).items - 1;
    let plan = [
        Some((who, i)),
        Some((other, i)),
        Some((who, 0)),
        Some((other, last)),
        Some((who, last)),
        None,
    ];
    for (n, settings) in runs.iter_mut().enumerate() {
        settings.panic_at = plan[n % plan.len()].map(|(who, i)| (who.to_string(), i));
    }
}

/// The items of the stall run whose consumers stop with no bound: all of
/// them wait at once, more than a bound a program might pick for itself.
const UNBOUNDED_ITEMS: usize = 1000;

/// How long run `settings` may print nothing before it counts as hung:
/// [`QUIET_BOUND`], and twice the longest an item's work may take in it
/// (a stall's gap is not counted: grading bounds it apart).
pub fn quiet_bound(settings: &Settings) -> Duration {
    let pace = settings.pace.map_or(1.0, |(p, c)| p.max(c));
    let jitter = if settings.jitter { 2.0 } else { 1.0 };
    QUIET_BOUND + Duration::from_secs_f64(2.0 * settings.time_scale * pace * jitter)
}

/// How many times as fast a stall run's clock runs once its gap begins
/// (the `grading-clock` library, `crates/harness/clock/`): three seconds
/// are nine and a half years of the program's time, so a timeout of days
/// or years taken for the end shows. (The library's sums of times
/// saturate: 70 seconds at this rate take its `SystemTime` to 2262, where
/// it stops, long after any run's hang bound.)
const WARP: i64 = 100_000_000;

/// How long a gap lasts at most while another thread of the run still
/// runs or waits on a timer: [`WARPED_GAP`] where the run's clock runs
/// fast (years of its time), [`MAX_STALL`] where it cannot.
const WARPED_GAP: Duration = Duration::from_secs(3);

/// How long the gap lasts at most where it holds one consumer alone
/// (`--stall consumer-0:1`), to see the others go on.
const HELD_ONE_GAP: Duration = Duration::from_secs(1);
const MAX_STALL: Duration = Duration::from_secs(31);

/// How long a thread of a run with `--jitter` pauses each time it wakes
/// another (the `grading-clock` library's `GRADING_WAKE_PAUSE`): the woken
/// thread runs first, unless it waits longer than that for a core. A
/// thread that wakes another to announce what it has not yet done (a flag
/// raised, a count taken or a notify made before its send) is caught short
/// in most such runs, not once in a million.
const WAKE_PAUSE: Duration = Duration::from_millis(5);

/// How long a thread that starts another pauses, in the same runs: longer
/// than a thread with no items, or a producer's first few items at the
/// runs' pace, takes, so that a `main` that prepares something for its
/// threads only after it starts them (a panic hook set, a sender handed
/// over) is caught short in every such run.
const SPAWN_PAUSE: Duration = Duration::from_millis(20);

/// How long a run must have printed nothing before grading looks whether
/// it is deadlocked ([`deadlock`]): a run that prints goes on.
const DEADLOCK_AFTER: Duration = Duration::from_millis(100);

/// Runs at once: most of a run is spent asleep.
const AT_ONCE: usize = 4;

/// Grades the program `exe` of `exercise`, the learner's file or with
/// `solution` its solution, as [`grade_file`] does.
pub fn grade(exercise: &Exercise, exe: &Path, solution: bool) -> Result<usize, String> {
    let file = if solution {
        "solution.rs"
    } else {
        "exercise.rs"
    };
    let repeat = Repeat {
        bin: binary(exercise, solution),
        manifest: "exercises/Cargo.toml".to_string(),
        flag: if solution { " --solution" } else { "" },
        retry: true,
    };
    grade_file(
        exercise,
        exe,
        &folder().join(exercise.name).join(file),
        &repeat,
    )
}

/// How a learner repeats a graded program's run: its binary and manifest,
/// and the flag `cargo xtask exercise` needs to build it.
pub struct Repeat {
    /// The binary's name.
    pub bin: String,
    /// Its manifest, from the project's root.
    pub manifest: String,
    /// ` --solution`, or nothing.
    pub flag: &'static str,
    /// Whether a failure is tried again, to say if it depends on timing
    /// (for a learner). The corpus's test needs only the verdict: it has
    /// the rules of the exercise's text checked first, at once, where a
    /// learner is told first what a run shows.
    pub retry: bool,
}

/// Grades the program `exe` built from `file`, an answer to `exercise`:
/// first the races whose shape shows in the file, then the runs of
/// [`runs`], several at once, then the rules the exercise's text states. At
/// the first run (in order) that hangs, fails or breaks a rule, it tries
/// that run again a few times, to say whether the failure depends on
/// timing, and how to repeat it. Returns how many runs kept every rule.
pub fn grade_file(
    exercise: &Exercise,
    exe: &Path,
    file: &Path,
    repeat: &Repeat,
) -> Result<usize, String> {
    // A race's shape in the file is the learner's own mistake, found at
    // once; then the runs, whose failures say more than a rule of the
    // exercise's text, which comes last.
    let mine = source(file)?;
    if let Some(problem) = read_first(&mine) {
        return Err(problem);
    }
    if !repeat.retry {
        after_the_runs(exercise, &mine)?;
        clones_no_settings(exercise, file, &repeat.bin)?;
    }
    let all = runs(exercise);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed: std::sync::Mutex<Vec<(usize, String)>> = std::sync::Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..AT_ONCE {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let first_failure = failed
                        .lock()
                        .map_or(0, |f| f.iter().map(|x| x.0).min().unwrap_or(usize::MAX));
                    if n >= all.len() || n > first_failure {
                        break;
                    }
                    let settings = &all[n];
                    let args = exercise.shape.args(settings);
                    if let Err(what) = run_once(exercise, exe, settings, &args)
                        && let Ok(mut f) = failed.lock()
                    {
                        f.push((n, what));
                    }
                }
            });
        }
    });
    let mut failed = failed.into_inner().unwrap_or_default();
    failed.sort_by_key(|(n, _)| *n);
    let Some((n, what)) = failed.into_iter().next() else {
        no_one_reads(exe, &exercise.shape.args(&all[0]))?;
        reads_its_settings_once(exercise, exe, &exercise.shape.args(&all[0]))?;
        after_the_runs(exercise, &mine)?;
        clones_no_settings(exercise, file, &repeat.bin)?;
        return Ok(all.len());
    };
    if !repeat.retry {
        return Err(what);
    }
    // A rule of the text the file breaks too names the cause where the
    // run shows only its effect (a `Done` line missing, an exit code).
    let what = match after_the_runs(exercise, &mine) {
        Err(rule) => format!("{what}\n\nThe file also breaks a rule of the exercise: {rule}"),
        Ok(()) => what,
    };
    let settings = &all[n];
    let args = exercise.shape.args(settings).join(" ");
    let mut again = format!(
        "cargo run --manifest-path {} --bin {} -- {args}",
        repeat.manifest, repeat.bin
    );
    if settings.stall.is_some() {
        again.push_str(
            "\n  (its stalled thread goes on when you press Enter: wait longer than any \
             timeout your program takes, which grading outran on a clock of its own)",
        );
    }
    if settings.jitter {
        again.push_str(
            "\n  (grading also makes a thread that wakes another pause 5 ms in this run, \
             and one that starts another 20 ms, which a plain run does not: \
             `--until-fails` does)",
        );
    }
    // At once, so that a hang costs one quiet bound more, not four.
    let tries = AT_ONCE;
    let passed = thread::scope(|scope| {
        let retried: Vec<_> = (0..tries)
            .map(|_| {
                scope.spawn(|| run_once(exercise, exe, settings, &exercise.shape.args(settings)))
            })
            .collect();
        retried
            .into_iter()
            .map(std::thread::ScopedJoinHandle::join)
            .filter(|outcome| matches!(outcome, Ok(Ok(()))))
            .count()
    });
    let how = if passed == 0 {
        format!("It failed again each of {tries} more tries. Repeat this run:\n  {again}")
    } else {
        let flag = repeat.flag;
        format!(
            "This failure depends on timing: the same run passed {passed} of {tries} more \
             tries. Repeat this run until it fails:\n  cargo xtask exercise {}{flag} --until-fails -- {args}\n\
             or once:\n  {again}",
            exercise.name
        )
    };
    Err(format!("{what}\n\n{how}"))
}

/// A run of `exe` with the command line `flags` whose output no one
/// reads (its reader gone before it starts, as `| head -0` leaves it):
/// it must end at once with 141, as every program's `--help` says.
/// `common`'s panic hook does that; a hook of the program's own that
/// replaces it, without calling it, makes such a refusal a panic.
fn no_one_reads(exe: &Path, flags: &[String]) -> Result<(), String> {
    let (reader, writer) = std::io::pipe().map_err(|e| format!("cannot make a pipe: {e}"))?;
    drop(reader);
    let mut child = Command::new(exe)
        .args(flags)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let said = read_all(child.stderr.take());
    let status = wait_within(&mut child, QUIET_BOUND);
    let said = said.join().unwrap_or_default();
    match status {
        Some(status) if status.code() == Some(141) => Ok(()),
        status => {
            let ended = status.map_or_else(
                || format!("was still running after {} s", QUIET_BOUND.as_secs()),
                |status| format!("ended with {status}: {}", first_said(&said)),
            );
            Err(format!(
                "with no one to read its output (as `| head -1` leaves it once it has its \
                 line), the program must end at once with exit code 141, as its `--help` \
                 says; it {ended}. `common` makes the system's refusals end the program with \
                 their own exit codes, through its panic hook: a hook of your own must keep \
                 the one it replaces (`let before = panic::take_hook();`) and call it for the \
                 panics that are not yours"
            ))
        }
    }
}

/// Where the exercise asks for the settings read once ([`Rule::Once`]):
/// a run of `exe` with the command line `flags` but no `--seed`, in which
/// `common` notes the seed it picked each time it reads the command line.
/// A second note is a second reading, by whatever road it came (a helper
/// called from each thread, a closure), which the file's text alone may
/// not show.
fn reads_its_settings_once(
    exercise: &Exercise,
    exe: &Path,
    flags: &[String],
) -> Result<(), String> {
    let Some(said) = exercise.rules.iter().find_map(|rule| match rule {
        Rule::Once(_, said) => Some(*said),
        _ => None,
    }) else {
        return Ok(());
    };
    let mut unseeded = Vec::new();
    let mut flags = flags.iter();
    while let Some(flag) = flags.next() {
        if flag == "--seed" {
            flags.next();
        } else {
            unseeded.push(flag.clone());
        }
    }
    let ran = run_for(exe, &unseeded, QUIET_BOUND, None, None, false)?;
    let times = ran
        .stderr
        .lines()
        .filter(|line| line.starts_with("random run; repeat it with --seed"))
        .count();
    if times <= 1 {
        return Ok(());
    }
    Err(format!(
        "the exercise asks you to do it {said}, but a run without `--seed` read the command \
         line {times} times (`common` notes the seed it picks each time it does): each reading \
         makes settings of its own, a copy by another road. Read them once, in `main`, and \
         share them"
    ))
}

/// Whether the word at `at` in `code` stands where a type is written: a
/// type given (`: u16`, `-> u16`), cast to (`as u16`), a type's parameter
/// (`Mutex<u16>`, `HashMap<String, u16>`), in a tuple or an array
/// (`(u16, bool)`, `[u16; 4]`), borrowed (`&u16`, `&mut u16`), or named
/// (`type Count = u16;`).
fn type_position(code: &str, at: usize) -> bool {
    let before = code[..at].trim_end();
    let after_word = |word: &str| {
        before
            .strip_suffix(word)
            .is_some_and(|rest| !rest.ends_with(name_char))
    };
    let statement = before
        .rsplit([';', '{', '}'])
        .next()
        .unwrap_or_default()
        .trim_start();
    (before.ends_with([':', '<', '(', '[', ',', '&']) && !before.ends_with("::"))
        || before.ends_with("->")
        || after_word("as")
        || after_word("mut")
        || (before.ends_with('=') && statement.starts_with("type "))
}

/// A thread that reads `pipe` to its end, and gives what it read.
fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

/// One run of `exe` with the command line `flags`, checked as grading
/// checks each of its runs.
pub fn run_with(exercise: &Exercise, exe: &Path, flags: &[String]) -> Result<(), String> {
    let settings = crate::settings::parse(&exercise.shape, flags.iter().map(String::as_str))?;
    run_once(exercise, exe, &settings, flags)
}

/// The file at `path`, comments left out.
fn source(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The races whose shape shows in `file`, then the rules the exercise's
/// text states: what grading reads of a file, for the tests.
#[cfg(test)]
fn check_rules(exercise: &Exercise, file: &Path) -> Result<(), String> {
    let mine = source(file)?;
    match read_first(&mine) {
        Some(problem) => Err(problem),
        None => after_the_runs(exercise, &mine),
    }
}

/// What grading reads in `mine` before any run: whether it can read the
/// file at all, then what the file reads of its grading, the races whose
/// shape shows, and counts too small for the settings.
fn read_first(mine: &str) -> Option<String> {
    hides_code_in_macros(mine)
        .or_else(|| looks_at_its_grading(mine))
        .or_else(|| races_in(mine))
        .or_else(|| small_counts(mine))
}

/// A macro the file defines (`macro_rules!`) or a file it pastes in
/// (`include!`): the rules no run can show (one sentinel, no clone, the
/// bound as given, a panic not thrown away, ...) are read from the code,
/// and grading reads the file as written, not as the compiler expands it.
/// Code moved into a macro would go unread, so a file that has one is not
/// graded.
fn hides_code_in_macros(mine: &str) -> Option<String> {
    let at = ["macro_rules!", "include!"].into_iter().find_map(|word| {
        mine.match_indices(word)
            .find(|&(at, _)| !mine[..at].ends_with(name_char))
            .map(|(at, _)| at)
    })?;
    let end = mine[at..]
        .find(['{', '(', '\n'])
        .map_or(mine.len(), |i| at + i);
    Some(format!(
        "the file defines a macro or pastes in a file (`{}`): grading reads the code for the \
         rules a run cannot show, as it is written, not as the compiler expands it, so code \
         in a macro goes unread. Write a function instead",
        mine[at..end].trim()
    ))
}

/// A count kept in an integer too small for what the settings allow: a
/// `u16` of the items overflows past 65,535, a `u8` of the threads past
/// 255, and `--items`, `--producers` and `--consumers` take any `usize`.
/// No run of grading goes that far, so the file is read for it: a small
/// integer typed (`: u16`, `Mutex<u8>`), written (`0u16`), cast to (`as
/// u8`) or made atomic (`AtomicU16`), in `code` (comments left out, as
/// [`source`] gives it).
fn small_counts(code: &str) -> Option<String> {
    const SMALL: [(&str, &str); 4] = [
        ("u8", "255"),
        ("i8", "127"),
        ("u16", "65,535"),
        ("i16", "32,767"),
    ];
    for (ty, most) in SMALL {
        let atomic = format!("Atomic{}", ty.to_uppercase());
        let found = code.match_indices(ty).find(|&(at, _)| {
            let after = &code[at + ty.len()..];
            // Not a longer name, nor a path (`u16::MAX`, `u16::try_from`).
            let after_ok = !after.starts_with(name_char) && !after.starts_with("::");
            let literal = code[..at].ends_with(|c: char| c.is_ascii_digit() || c == '_')
                && code[..at]
                    .trim_end_matches(|c: char| c.is_ascii_digit() || c == '_')
                    .ends_with(|c: char| !name_char(c));
            after_ok && (literal || type_position(code, at))
        });
        let found = found.map(|(at, _)| at).or_else(|| code.find(&atomic));
        if let Some(at) = found {
            let start = code[..at].rfind(['\n', ';', '{']).map_or(0, |i| i + 1);
            let end = code[at..].find(['\n', ';']).map_or(code.len(), |i| at + i);
            return Some(format!(
                "the file counts in a `{ty}` (`{}`): it overflows past {most}, and `--items`, \
                 `--producers` and `--consumers` take any number a `usize` holds (a count that \
                 overflows panics, or wraps round and miscounts). Count in a `usize`",
                code[start..end].trim()
            ));
        }
    }
    None
}

/// The settings with which grading tests a program (a planned panic, and
/// the hidden flags that pace, jitter or stall its threads), which no
/// exercise needs to read: a program that does can behave one way when
/// tested and another when not, or fake an exit code from the plan
/// instead of the joins. And the command line or the environment read
/// by hand, where the same can hide.
const GRADING_SETTINGS: [&str; 4] = ["panic_at", "stall", "pace", "jitter"];
const BY_HAND: [&str; 4] = ["env::args", "args_os", "env::var", "/proc/self"];

/// What `mine` reads of how it is graded, said as grading says it.
fn looks_at_its_grading(mine: &str) -> Option<String> {
    let word = |name: &str| {
        mine.match_indices(name)
            .any(|(at, _)| whole_name(mine, at, name.len()))
    };
    if let Some(name) = GRADING_SETTINGS.iter().find(|name| word(name)) {
        return Some(format!(
            "the file reads `{name}`, one of the settings grading tests a program with (a \
             planned panic, and hidden flags that slow or stop its threads): what a \
             program does, and the exit code it ends with, must not depend on whether it is \
             being tested. Leave them to `common`, and report the panics your joins show"
        ));
    }
    BY_HAND
        .iter()
        .find(|code| mine.contains(**code))
        .map(|code| {
            format!(
                "the file reads the command line or the environment itself (`{code}`): the \
             settings come from `Settings::from_command_line`, once, in `main`"
            )
        })
}

/// What grading reads in the file `mine` once every run has passed: in
/// every exercise, a panic no run plans must not be thrown away (where a
/// run plans one, the runs show it first); then the rules the exercise's
/// text states.
fn after_the_runs(exercise: &Exercise, mine: &str) -> Result<(), String> {
    if let Some(problem) = shapes::throws_a_panic_away(mine) {
        return Err(problem);
    }
    text_rules(exercise, mine)
}

/// Whether the file `mine` has `code`, as a rule that forbids it means
/// it: `x.clone()` where `x` is an `Arc` (or `Rc`) copies a pointer to
/// the one value, as `Arc::clone(&x)` does, not the value.
fn has(mine: &str, code: &str) -> bool {
    let shared = code
        .strip_suffix(".clone()")
        .is_some_and(|name| shared_pointer(mine, name));
    // A method called on a string literal (`"Producer".to_owned()`)
    // copies that text, nothing of the settings.
    let on_text = |at: usize| mine[..at].trim_end_matches('.').ends_with('"');
    // A struct literal (`Settings {`), not a type before a block: what a
    // function returns (`-> &'static Settings {`), or an `impl`.
    let a_type = |at: usize| {
        let before = mine[..at].trim_end();
        let before = before.strip_suffix("&'static").unwrap_or(before).trim_end();
        let before = before.strip_suffix('&').unwrap_or(before).trim_end();
        code.ends_with(" {") && ["->", "impl", "for"].iter().any(|t| before.ends_with(t))
    };
    mine.match_indices(code)
        .any(|(at, _)| !on_text(at) && !a_type(at))
        && !shared
}

/// Whether each `name.clone()` of the file `mine` clones a shared pointer:
/// the `let` in effect there binds `name` to `Arc::new(..)`, to a value
/// typed `Arc<..>` (or `Rc`), or to a clone of such a `name` before it.
fn shared_pointer(mine: &str, name: &str) -> bool {
    let code = mine.split_whitespace().collect::<Vec<_>>().join(" ");
    // Each binding of `name`: where it starts and ends, and what it binds.
    let bindings: Vec<(usize, usize, &str)> = code
        .match_indices(&format!("let {name}"))
        .chain(code.match_indices(&format!("let mut {name}")))
        .map(|(at, binding)| (at, at + binding.len()))
        .filter(|&(_, rest)| code[rest..].starts_with([' ', ':', '=']))
        .map(|(start, rest)| {
            let end = code[rest..].find(';').map_or(code.len(), |i| rest + i);
            (start, end, &code[rest..end])
        })
        .collect();
    let clone = format!("{name}.clone()");
    let shared_at = |at: usize| {
        let mut at = at;
        // The binding in effect: the last one that ends before `at`.
        while let Some(&(start, _, binding)) = bindings
            .iter()
            .filter(|(_, end, _)| *end < at)
            .max_by_key(|(_, end, _)| *end)
        {
            if ["Arc::new(", "Rc::new(", ": Arc<", ": Rc<", ":Arc<", ":Rc<"]
                .iter()
                .any(|pointer| binding.contains(pointer))
            {
                return true;
            }
            // `let name = name.clone();`: what the `name` before was.
            match binding.trim_start_matches([' ', '=']).strip_prefix(&clone) {
                Some(rest) if rest.trim().is_empty() => at = start,
                _ => return false,
            }
        }
        false
    };
    let mut clones = code.match_indices(&clone).peekable();
    clones.peek().is_some() && clones.all(|(at, _)| shared_at(at))
}

/// The rules the exercise's text states, checked in the file `mine`.
fn text_rules(exercise: &Exercise, mine: &str) -> Result<(), String> {
    for rule in exercise.rules {
        match *rule {
            Rule::Sends(code, said) => {
                if !sends(mine, code) {
                    return Err(format!(
                        "the exercise asks for {said}, but no thread sends `{code}`: a \
                         consumer that stops another way (once every sender is gone, or \
                         after a count of the items) is another exercise's ending"
                    ));
                }
            }
            Rule::KeepsTheBuffer => the_buffer_kept(mine)?,
            // Read from a build, not the text: [`clones_no_settings`].
            Rule::ClonesNoSettings(_) => {}
            Rule::BoundsByCapacity => bounded_by_the_capacity(mine)?,
            Rule::KeepsTheTypes => {
                let solution = source(&folder().join(exercise.name).join("solution.rs"))?;
                if let Some(problem) = names::imported_anew(&solution, mine) {
                    return Err(problem);
                }
            }
            Rule::Never(code, said) => {
                if has(mine, code) {
                    return Err(format!(
                        "the exercise asks you to do it {said}, but the file has `{code}`"
                    ));
                }
            }
            Rule::Once(codes, said) => once(mine, codes, said)?,
            Rule::Unchanged(name, said) => {
                let solution = source(&folder().join(exercise.name).join("solution.rs"))?;
                if function(mine, name) != function(&solution, name) {
                    return Err(format!(
                        "the exercise asks you to do it {said}: leave `fn {name}` as it is given"
                    ));
                }
                if let Some(problem) = names::rebound(&solution, mine, name) {
                    return Err(format!("the exercise asks you to do it {said}: {problem}"));
                }
            }
            Rule::NotIn(name, code, role, said) => {
                let marked = roads_marked(mine, code);
                let written = plain_functions(&marked)
                    .into_iter()
                    .find(|(n, _)| n == name);
                if written.is_some_and(|(_, body)| outside_threads_of(&body, role).contains(code)) {
                    return Err(format!(
                        "the exercise asks for {said}, but `fn {name}` sends `{code}` itself"
                    ));
                }
            }
            Rule::NotRepeated(name, code, said) => {
                for body in threads_of(&roads_marked(mine, code), name) {
                    if sent_in_a_loop(&body, code) {
                        return Err(format!(
                            "the exercise asks for {said}, but a thread that runs `fn {name}` \
                             sends `{code}` in a loop of its own: each pass sends one more, and those nobody needs \
                             are never read"
                        ));
                    }
                    if sent_twice(&body, code) {
                        return Err(format!(
                            "the exercise asks for {said}, but a thread that runs `fn {name}` \
                             sends `{code}` twice in a row: each consumer that does adds one more, and those nobody \
                             needs are never read"
                        ));
                    }
                }
            }
            Rule::JoinsAll => {
                if let Some(name) = ends_before_the_last_join(mine) {
                    return Err(format!(
                        "`fn {name}` can end before it joins every thread: when the first \
                         thread it joins panicked, an unwrap, an exit, a `||` or a lazy iterator \
                         (`any`, `find`, a `collect` into a `Result`) after that join ends the \
                         program (or skips the other joins) at once, while the others \
                         may still be working, and their last lines and items are lost. Join \
                         every thread first, then report the panic"
                    ));
                }
            }
            Rule::OnlyOne(name, code, said) => only_one(mine, name, code, said)?,
        }
    }
    Ok(())
}

/// [`Rule::OnlyOne`]: no thread that runs `fn name` sends `code` for
/// sure, nor where either of two conditions holds.
fn only_one(mine: &str, name: &str, code: &str, said: &str) -> Result<(), String> {
    let threads = threads_of(&roads_marked(mine, code), name);
    if threads.iter().any(|body| unconditional(body, code)) {
        return Err(format!(
            "the exercise asks for {said}, but every thread that runs `fn {name}` \
             sends `{code}`: each sends one, and the ones after the first are \
             never read"
        ));
    }
    if threads.iter().any(|body| sent_on_either(body, code)) {
        return Err(format!(
            "the exercise asks for {said}, but `fn {name}` sends `{code}` where \
             either of two conditions holds (`a || b`): one thread can meet the \
             first and another the second, and each sends one. Let one condition \
             decide, one that holds in one thread only"
        ));
    }
    Ok(())
}

/// [`Rule::Once`]: `mine` has `codes` once at most, all told.
fn once(mine: &str, codes: &[&str], said: &str) -> Result<(), String> {
    let times: usize = codes.iter().map(|code| mine.matches(code).count()).sum();
    if times <= 1 {
        return Ok(());
    }
    let found: Vec<String> = codes
        .iter()
        .filter(|code| mine.contains(**code))
        .map(|code| format!("`{code}`"))
        .collect();
    Err(format!(
        "the exercise asks you to do it {said}, but the file reads the command line {times} \
         times ({}): each makes settings of its own, a copy by another road",
        found.join(", ")
    ))
}

/// Whether some call in `mine` sends a value written with `code`, by
/// whatever road ([`roads_marked`]).
fn sends(mine: &str, code: &str) -> bool {
    send_arguments(&roads_marked(mine, code)).any(|argument| argument.contains(code))
}

/// The argument of each send in `text` (`send(`, `send_timeout(`,
/// `send_deadline(`), up to its first `)`.
fn send_arguments(text: &str) -> impl Iterator<Item = &str> {
    send_spans(text).map(move |span| &text[span])
}

/// Where the argument of each send in `text` lies: from after `send(`
/// (`send_timeout(`, `send_deadline(`) up to its first `)`.
fn send_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> {
    ["send(", "send_timeout(", "send_deadline("]
        .into_iter()
        .flat_map(move |call| {
            text.match_indices(call).map(move |(at, _)| {
                let from = at + call.len();
                from..from + text[from..].find(')').unwrap_or(text.len() - from)
            })
        })
}

/// `mine` with `code` written at the start of each send whose value is
/// made with it by a longer road than its own text, as many steps deep as
/// it takes: a name bound to it (`let end = Message::Sentinel; ..
/// queue.send(end)`, a `const`, a `for` over a chain that ends with it), a
/// field set to it (`Ends { last: Message::Sentinel }` .. `send(ends.last)`),
/// or a function or method that gives a `Message` made with it (`fn end()
/// -> Message { Message::Sentinel }` .. `send(end())`). The rules that ask
/// whether and where `code` is sent then see such a send as one of it. A
/// value made and never sent (`recv().unwrap_or(Message::Sentinel)`) marks
/// nothing.
fn roads_marked(mine: &str, code: &str) -> String {
    let mentions = |text: &str, name: &str| {
        text.match_indices(name)
            .any(|(at, _)| whole_name(text, at, name.len()))
    };
    let makers: Vec<(String, String)> = plain_functions(mine)
        .into_iter()
        .filter(|(_, body)| {
            let signature = body.split('{').next().unwrap_or_default();
            signature
                .split_once("->")
                .is_some_and(|(_, returns)| returns.contains("Message"))
        })
        .collect();
    let roads: Vec<(&str, &str)> = bindings(mine)
        .into_iter()
        .chain(fields(mine))
        .chain(
            makers
                .iter()
                .map(|(name, body)| (name.as_str(), body.as_str())),
        )
        .collect();
    let mut carriers: Vec<&str> = Vec::new();
    loop {
        let known = carriers.len();
        for (name, value) in &roads {
            if !carriers.contains(name)
                && (value.contains(code) || carriers.iter().any(|c| mentions(value, c)))
            {
                carriers.push(name);
            }
        }
        if carriers.len() == known {
            break;
        }
    }
    let mut marked = mine.to_string();
    let mut spans: Vec<_> = send_spans(mine).collect();
    // From the end, so that each insertion leaves the places before it.
    spans.sort_by_key(|span| std::cmp::Reverse(span.start));
    for span in spans {
        let argument = &mine[span.clone()];
        if !argument.contains(code) && carriers.iter().any(|c| mentions(argument, c)) {
            marked.insert_str(span.start, &format!("{code} "));
        }
    }
    marked
}

/// The fields `mine` sets in a struct's literal, each with the text it is
/// set to, up to the next `,` or brace: `Ends { last: Message::Sentinel }`.
/// A path (`Message::Sentinel =>`) is not one.
fn fields(mine: &str) -> impl Iterator<Item = (&str, &str)> {
    mine.split([';', '{', '}', ',']).filter_map(|piece| {
        let (name, value) = piece.trim_start().split_once(':')?;
        let name = name.trim();
        (!value.starts_with(':') && !name.is_empty() && name.chars().all(name_char))
            .then_some((name, value))
    })
}

/// The names `mine` binds, each with the text it is bound to, up to the
/// statement's end or its first brace: `let name = ..`, `for name in ..`,
/// `const NAME: T = ..`, `static NAME: T = ..`.
fn bindings(mine: &str) -> Vec<(&str, &str)> {
    mine.split([';', '{', '}'])
        .filter_map(|statement| {
            let statement = statement.trim_start();
            let (head, value) = if let Some(rest) = statement.strip_prefix("for ") {
                rest.split_once(" in ")?
            } else {
                let rest = ["let mut ", "let ", "const ", "static "]
                    .iter()
                    .find_map(|word| statement.strip_prefix(word))?;
                rest.split_once('=')?
            };
            let name = head.split(':').next()?.trim();
            (!name.is_empty() && name.chars().all(name_char)).then_some((name, value))
        })
        .collect()
}

/// Whether `mine` makes its buffer as given ([`THE_BUFFER`], or one of
/// the ways to write the same: [`SAME_BUFFER`]), and no other channel,
/// and never looks at the capacity elsewhere.
/// The buffer of the file `mine` made as the exercise gives it.
fn the_buffer_kept(mine: &str) -> Result<(), String> {
    if keeps_the_buffer(mine) {
        return Ok(());
    }
    Err(
        "the exercise keeps the buffer `--capacity` asks for (unbounded without it, \
         `--capacity 0` a rendezvous): leave `main`'s `match settings.capacity` as it is \
         given, and make no other channel"
            .to_string(),
    )
}

/// The channels of the file `mine` chosen by the capacity alone, and
/// bounded by it as it is given.
fn bounded_by_the_capacity(mine: &str) -> Result<(), String> {
    if let Some(field) = bound_by_more_than_the_capacity(mine) {
        return Err(format!(
            "the bound `--capacity` asks for must hold in every run, whatever its other \
             settings: a channel is made where `settings.{field}` is read too. Choose it by \
             `settings.capacity` alone"
        ));
    }
    if let Some(changed) = capacity_changed(mine) {
        return Err(format!(
            "the bound `--capacity` asks for must hold as it is given, whatever its size: \
             the file compares it or changes it (`{changed}`), so some capacities make \
             another buffer. Hand it to `flume::bounded` as it is"
        ));
    }
    Ok(())
}

/// Where the file `mine` compares or changes the capacity: the value of
/// `settings.capacity`, followed through the names it is bound to (`let`,
/// `Some(n)` and `|n|` where it is read, a function's parameter it is
/// passed as), next to an operator (`n <= 4096`, `n + 1`) or given to one
/// that changes it (`.min(..)`, `.filter(..)`). What the file says there.
/// `mine` is the file, comments left out ([`source`]).
fn capacity_changed(mine: &str) -> Option<String> {
    let code = mine.split_whitespace().collect::<Vec<_>>().join(" ");
    for carrier in capacity_carriers(&code) {
        for at in reads(&code, &carrier) {
            if changed_at(&code, at, carrier.len()) {
                let from = code[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
                let to = code[at..]
                    .find([';', '{', '}'])
                    .map_or(code.len(), |i| at + i);
                return Some(code[from..to].trim().to_string());
            }
        }
    }
    None
}

/// Where `text` reads `name`: a whole word (or, for a field such as
/// `.capacity`, on any value), not a call.
fn reads(text: &str, name: &str) -> Vec<usize> {
    text.match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            let whole = name.starts_with('.') || whole_name(text, at, name.len());
            let rest = &text[at + name.len()..];
            whole && !rest.starts_with(name_char) && !rest.starts_with(['(', '!'])
        })
        .collect()
}

/// The parameters of the closures handed to the calls chained on a value,
/// in `after`, the code that follows it: `n` in `.filter(|&n| ..)`, and
/// in `.map_or(0, |n| ..)`. A closure elsewhere in the statement
/// (`wait_while(state, |s| ..)`) is handed something else.
fn closures_on(after: &str) -> impl Iterator<Item = &str> {
    let mut params = Vec::new();
    let mut rest = after;
    while let Some(call) = rest.strip_prefix('.') {
        let name_end = call.find(|c: char| !name_char(c)).unwrap_or(call.len());
        let Some(open) = call[name_end..].starts_with('(').then_some(name_end) else {
            break;
        };
        let Some(close) = paren_end(call, open) else {
            break;
        };
        let arguments = &call[open + 1..close];
        let mut bars = arguments.match_indices('|').map(|(i, _)| i);
        while let (Some(from), Some(to)) = (bars.next(), bars.next()) {
            params.extend(
                arguments[from + 1..to]
                    .split(',')
                    .map(|p| p.split(':').next().unwrap_or_default()),
            );
        }
        rest = &call[close + 1..];
    }
    params.into_iter()
}

/// The field `.capacity`, and every name of `code` that carries its
/// value: bound to it by a `let`, a `Some(n)` or a closure's `|n|` in a
/// statement that reads it, or a function's parameter it is passed as.
fn capacity_carriers(code: &str) -> Vec<String> {
    let mut carriers = vec![".capacity".to_string()];
    let functions = plain_functions(code);
    let plain = |name: &str| {
        let name = name.trim().trim_start_matches(['&', ' ']);
        let name = name.strip_prefix("mut ").unwrap_or(name);
        // A name, not a number (`Some(0)`) nor `_`.
        let named = name.chars().all(name_char)
            && name.starts_with(|c: char| c.is_alphabetic() || c == '_');
        (named && name != "_").then(|| name.to_string())
    };
    loop {
        let carries = |text: &str| carriers.iter().any(|c| !reads(text, c).is_empty());
        let mut found = Vec::new();
        for carrier in &carriers {
            for at in reads(code, carrier) {
                let statement = statement_around(code, at);
                for (i, _) in statement.match_indices("Some(") {
                    let inside = statement[i + "Some(".len()..].split(')').next();
                    found.extend(inside.and_then(plain));
                }
                found.extend(closures_on(&code[at + carrier.len()..]).filter_map(plain));
            }
        }
        // A name bound to the value itself, handed on as it is
        // (`let bound = settings.capacity.unwrap_or(1);`), not to what a
        // call makes of it (`let buffer = Buffer::new(settings.capacity);`,
        // whose parameter is followed below).
        for (name, value) in bindings(code) {
            let as_is = carriers.iter().any(|c| {
                reads(value, c)
                    .into_iter()
                    .any(|at| bound_as_is(value, at, c.len()))
            });
            if as_is {
                found.push(name.to_string());
            }
        }
        // A call that passes a carrier: the parameter it arrives as.
        for (function, body) in &functions {
            let Some((params, _)) = body
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
            else {
                continue;
            };
            let call = format!("{function}(");
            for (at, _) in code.match_indices(&call) {
                if !whole_name(code, at, function.len()) || code[..at].ends_with("fn ") {
                    continue;
                }
                let arguments = code[at + call.len()..]
                    .split(')')
                    .next()
                    .unwrap_or_default();
                // A method's `self` is the value it is called on; a comma
                // in a parameter's type (`MutexGuard<'a, State>`) parts no
                // parameters.
                let params: Vec<&str> = top_level(params)
                    .into_iter()
                    .filter(|param| {
                        let param = param.trim().trim_start_matches(['&', ' ']);
                        param != "self" && param != "mut self"
                    })
                    .collect();
                for (k, argument) in arguments.split(',').enumerate() {
                    if carries(argument) {
                        let param = params.get(k).copied().unwrap_or_default();
                        found.extend(plain(param.split(':').next().unwrap_or_default()));
                    }
                }
            }
        }
        let known = carriers.len();
        for name in found {
            if !carriers.contains(&name) {
                carriers.push(name);
            }
        }
        if carriers.len() == known {
            return carriers;
        }
    }
}

/// Whether `value`, the text a name is bound to, is the value read at
/// `at` (`len` bytes) as it is: behind a path (`settings.capacity`), a
/// borrow or a `Some(`, and handed on by [`PASSED_ON`] calls, a cast or a
/// `?` alone.
fn bound_as_is(value: &str, at: usize, len: usize) -> bool {
    let before = value[..at].trim_start();
    let before = before.strip_prefix("Some(").unwrap_or(before);
    let before = before.trim_start_matches(['&', '*', '(', ' ']);
    if !before.chars().all(|c| name_char(c) || c == '.') {
        return false;
    }
    let mut after = past_passed_on(value[at + len..].trim_start());
    loop {
        let rest = after.trim_start_matches([')', '?', ' ']);
        match rest.strip_prefix("as ") {
            Some(cast) => after = cast.trim_start().trim_start_matches(name_char),
            None => return rest.is_empty(),
        }
    }
}

/// `after` (the code after a value) past the calls that hand the value on
/// as it is ([`PASSED_ON`]), and the parentheses they close.
fn past_passed_on(after: &str) -> &str {
    let mut after = after.trim_start_matches(')').trim_start();
    while let Some(call) = PASSED_ON.iter().find(|call| after.starts_with(**call)) {
        let open = call.len() - 1;
        let Some(close) = paren_end(after, open) else {
            break;
        };
        after = after[close + 1..].trim_start_matches(')').trim_start();
    }
    after
}

/// Calls that hand a value on as it is (`capacity.unwrap_or(0)`).
const PASSED_ON: [&str; 6] = [
    ".unwrap_or(",
    ".unwrap(",
    ".expect(",
    ".unwrap_or_default(",
    ".unwrap_or_else(",
    ".clone(",
];

/// What compares or changes a value, after it (`n < 50`, `n.min(4096)`).
/// Not `.max(k)`: it changes the capacities under `k`, and so the bound of
/// the runs at 0 and 1 items, which show it (a hand-made buffer may take
/// `.max(1)` for a rendezvous it makes apart).
const CHANGED_BY: [&str; 17] = [
    "==",
    "!=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    ".min(",
    ".clamp(",
    ".filter(",
    ".saturating_",
    ".checked_",
    ".wrapping_",
    ".pow(",
    ".next_power_of_two(",
];

/// The same, before it (`4096 < n`, `4096.min(n)`).
const CHANGED_AFTER: [&str; 11] = [
    "==", "!=", "<", ">", "+", "-", "*", "/", "%", ".min(", ".clamp(",
];

/// Whether the value `code` reads at `at` (`len` bytes) is compared or
/// changed there: an operator or a method next to it, past the calls
/// that hand it on as it is; an arrow (`=>`, `->`) is no comparison.
/// Next to an operator, only a constant on its other side changes the
/// bound (`n <= 4096`, `n + 1`): a value the run counts there (`taken +
/// capacity`, `queue.len() >= capacity`) is the bound at work, in a
/// buffer of the program's own. And a comparison with 0 or 1 (`n > 0`,
/// `n == Some(0)`) tells apart a rendezvous, or a single slot, from a
/// larger buffer: the runs try both sides.
fn changed_at(code: &str, at: usize, len: usize) -> bool {
    const OPERATORS: [char; 9] = ['<', '>', '=', '!', '+', '-', '*', '/', '%'];
    let after = past_passed_on(&code[at + len..]);
    let before = code[..at].trim_end_matches(['(', '&', '*']).trim_end();
    let arrow = |text: &str| {
        ["=>", "->", "<-"]
            .iter()
            .any(|a| text.starts_with(a) || text.ends_with(a))
    };
    let changes = |op: &str, other: &str| {
        if op.starts_with('.') {
            return true;
        }
        let comparison = ["==", "!=", "<", ">"].contains(&op);
        constant(code, other) && !(comparison && zero_or_one(other))
    };
    let after_changes = CHANGED_BY
        .iter()
        .find(|op| after.starts_with(**op))
        .is_some_and(|op| {
            !arrow(after)
                && changes(
                    op,
                    operand(after.trim_start_matches(OPERATORS).trim_start(), true),
                )
        });
    let before_changes = CHANGED_AFTER
        .iter()
        .find(|op| before.ends_with(**op))
        .is_some_and(|op| {
            !arrow(before)
                && changes(
                    op,
                    operand(before.trim_end_matches(OPERATORS).trim_end(), false),
                )
        });
    after_changes || before_changes
}

/// `operand` out of its `Some(..)`, if it is in one.
fn inside_some(operand: &str) -> &str {
    operand
        .strip_prefix("Some(")
        .and_then(|inner| inner.strip_suffix(')'))
        .unwrap_or(operand)
}

/// Whether `operand` is the number 0 or 1 (`0`, `1usize`, `Some(0)`).
fn zero_or_one(operand: &str) -> bool {
    let operand = inside_some(operand);
    let digits = operand.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '_');
    digits == "0" || digits == "1"
}

/// The operand at one end of `text`: a number, or a name or a path with
/// its fields and calls (`s.taken`, `queue.len()`, `usize::MAX`), read
/// forward from its start (`forward`), or back from its end.
fn operand(text: &str, forward: bool) -> &str {
    let (open, close) = if forward { ('(', ')') } else { (')', '(') };
    let mut depth = 0i32;
    let mut outside = |c: char| {
        depth += i32::from(c == open) - i32::from(c == close);
        depth < 0 || (depth == 0 && !(name_char(c) || ".:()".contains(c)))
    };
    if forward {
        let text = text.trim_start_matches(['(', '&', '*', ' ']);
        let end = text
            .char_indices()
            .find(|&(_, c)| outside(c))
            .map_or(text.len(), |(i, _)| i);
        &text[..end]
    } else {
        let start = text
            .char_indices()
            .rev()
            .find(|&(_, c)| outside(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        &text[start..]
    }
}

/// Whether `operand` is a constant in `code`: a number (`4096`), a
/// constant's name (`LIMIT`, `usize::MAX`), or a name bound to a number
/// (`let limit = 4_096;`), or one of them in a `Some`.
fn constant(code: &str, operand: &str) -> bool {
    // `Some(LIMIT)`, compared with an `Option`.
    let operand = inside_some(operand);
    let last = operand.rsplit("::").next().unwrap_or_default();
    if operand.starts_with(|c: char| c.is_ascii_digit())
        || (!last.is_empty()
            && last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
    {
        return true;
    }
    if operand.is_empty() || !operand.chars().all(name_char) {
        return false;
    }
    bindings(code).iter().any(|(name, value)| {
        *name == operand && value.trim().starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The field of the settings, other than the capacity, read by a
/// statement that makes a channel (`bounded(..)`, `unbounded()`, or either
/// named as a function), in the file `mine`.
fn bound_by_more_than_the_capacity(mine: &str) -> Option<&'static str> {
    const OTHERS: [&str; 5] = ["items", "producers", "consumers", "seed", "time_scale"];
    let word = |code: &str, at: usize, len: usize| !code[at + len..].starts_with(name_char);
    mine.match_indices("bounded")
        .filter(|&(at, name)| word(mine, at, name.len()))
        .find_map(|(at, _)| {
            let statement = statement_around(mine, at);
            OTHERS.into_iter().find(|field| {
                let dotted = format!(".{field}");
                statement
                    .match_indices(&dotted)
                    .any(|(at, _)| word(statement, at, dotted.len()))
            })
        })
}

/// The statement of `code` that holds the byte `at`, with the statements
/// it is part of: back to the `;` or the block that ends before it (an
/// `if`'s condition, a `match`'s scrutinee and a `fn`'s head are part of
/// it), forward to its `;` or the end of its block.
fn statement_around(code: &str, at: usize) -> &str {
    let mut depth = 0_usize;
    let mut start = 0;
    for (i, c) in code[..at].char_indices().rev() {
        match c {
            // A block before, at this level, ends the statement; but an
            // `if`'s block before its `else` is part of it.
            '}' if depth == 0 && !code[i + 1..at].trim_start().starts_with("else") => {
                start = i + 1;
                break;
            }
            ')' | ']' | '}' => depth += 1,
            // Out of the block, or the brackets, that hold it.
            '(' | '[' | '{' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                start = i + 1;
                break;
            }
            _ => {}
        }
    }
    let mut depth = 0_usize;
    let mut end = code.len();
    for (i, c) in code[at..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' | ';' if depth == 0 => {
                end = at + i;
                break;
            }
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    &code[start..end]
}

fn keeps_the_buffer(mine: &str) -> bool {
    // A method chain may be written a call a line.
    let squeezed = mine
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".");
    // The settings may go by another name (`let from_args = ..`): the
    // value whose capacity field is read is the settings.
    let field = squeezed
        .match_indices(".capacity")
        .find(|&(at, _)| !squeezed[at + ".capacity".len()..].starts_with(['(', '_']));
    let Some((dot, _)) = field else {
        return false;
    };
    let name = squeezed[..dot].trim_end_matches(name_char);
    let name = &squeezed[name.len()..dot];
    let squeezed = if name.is_empty() || name == "settings" {
        squeezed.clone()
    } else {
        let read = format!("{name}.capacity");
        let mut renamed = String::new();
        let mut from = 0;
        for (at, _) in squeezed.match_indices(&read) {
            if whole_name(&squeezed, at, name.len()) {
                renamed.push_str(&squeezed[from..at]);
                renamed.push_str("settings.capacity");
                from = at + read.len();
            }
        }
        renamed + &squeezed[from..]
    };
    let Some(at) = squeezed.find("settings.capacity") else {
        return false;
    };
    // The statement that reads the capacity: `let (s, r) = EXPRESSION;`.
    let start = squeezed[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
    let statement_start = squeezed[start..].find("let ").map_or(start, |i| start + i);
    let Some(end) = squeezed[at..].find(';').map(|i| at + i) else {
        return false;
    };
    let statement = &squeezed[statement_start..end];
    let Some((_, expression)) = statement.split_once(" = ") else {
        return false;
    };
    let rest = format!("{}{}", &squeezed[..statement_start], &squeezed[end..]);
    // A channel of another type (`flume::unbounded::<()>()`, a signal)
    // is no buffer of the items.
    let elsewhere = ["bounded(", ".capacity"];
    let same = normal_buffer(expression);
    std::iter::once(THE_BUFFER)
        .chain(SAME_BUFFER)
        .any(|form| same == normal_buffer(form))
        && !elsewhere.iter().any(|code| rest.contains(code))
}

/// Other ways to write [`THE_BUFFER`] that make the same buffer (with
/// any name for the capacity, a closure for a function: [`normal_buffer`]).
const SAME_BUFFER: [&str; 3] = [
    "match settings.capacity { None => flume::unbounded(), Some(n) => flume::bounded(n) }",
    "if let Some(n) = settings.capacity { flume::bounded(n) } else { flume::unbounded() }",
    "settings.capacity.map_or_else(flume::unbounded, flume::bounded)",
];

/// `expression` without its spaces, its trailing commas, the braces of a
/// match arm's block, and with the name it gives the capacity (`Some(n)`,
/// `|n|`) made `N`: the ways to write one buffer, made one text.
fn normal_buffer(expression: &str) -> String {
    let mut text: String = expression.split_whitespace().collect();
    // The first `Some(NAME)` or `|NAME|` with a name in it.
    let named = |text: &str, open: &str, close: char| {
        text.match_indices(open).find_map(|(at, _)| {
            let from = at + open.len();
            let name = &text[from..from + text[from..].find(close)?];
            (!name.is_empty() && name.chars().all(name_char)).then(|| name.to_string())
        })
    };
    if let Some(name) = named(&text, "Some(", ')').or_else(|| named(&text, "|", '|')) {
        let mut renamed = String::new();
        let mut word = String::new();
        for c in text.chars().chain(['\0']) {
            if name_char(c) {
                word.push(c);
                continue;
            }
            renamed.push_str(if word == name { "N" } else { &word });
            word.clear();
            if c != '\0' {
                renamed.push(c);
            }
        }
        text = renamed;
    }
    // A block arm needs no comma after it: each arm ends with one, then
    // none before the match's closing brace. A closure that only calls a
    // function is that function.
    text.replace("||flume::unbounded()", "flume::unbounded")
        .replace("|N|flume::bounded(N)", "flume::bounded")
        .replace("=>{flume::bounded(N)}", "=>flume::bounded(N),")
        .replace("=>{flume::unbounded()}", "=>flume::unbounded(),")
        .replace(",,", ",")
        .replace(",}", "}")
}

/// The function of `mine` that unwraps (or `expect`s) a join with another
/// join after it, in its text or in the same loop.
fn ends_before_the_last_join(mine: &str) -> Option<String> {
    // What ends the program, or this function, on the spot.
    const ENDS: [&str; 6] = [
        "exit(",
        "resume_unwind(",
        "panic!(",
        "return",
        "?;",
        "abort(",
    ];
    for (name, body) in plain_functions(mine) {
        // In a scope, every thread is joined before it returns, whatever
        // the closure does.
        if body.contains("scope(") {
            continue;
        }
        let joins: Vec<usize> = body.match_indices(".join()").map(|(at, _)| at).collect();
        for (n, &at) in joins.iter().enumerate() {
            if joins_lazily(&body, at, &ENDS) {
                return Some(name);
            }
            let after = body[at + ".join()".len()..].trim_start();
            let unwrapped = after.starts_with(".unwrap()") || after.starts_with(".expect(");
            // The head of the block it is in: `for thread in threads`.
            let open = body[..at].rfind('{');
            let in_a_loop = open.is_some_and(|open| {
                let head = body[..open]
                    .rsplit([';', '{', '}'])
                    .next()
                    .unwrap_or_default();
                head.trim_start().starts_with("for ")
            });
            // What runs after this join and before the next: the rest of
            // the loop's block, or the text up to the next join.
            let until = if in_a_loop {
                open.and_then(|open| shapes::block_end(&body, open))
            } else {
                joins.get(n + 1).copied()
            };
            let Some(until) = until else { continue };
            let between = &body[at + ".join()".len()..until];
            // `a.join().is_err() || b.join().is_err()` never joins `b`
            // once `a` panicked.
            let short_circuit = !in_a_loop && (between.contains("||") || between.contains("&&"));
            if unwrapped || short_circuit || ENDS.iter().any(|end| between.contains(end)) {
                return Some(name);
            }
        }
    }
    None
}

/// Whether the join at `at` runs in a closure of an iterator chain
/// (`.map(|t| t.join())`), one thread at a time as the chain is used, and
/// what uses the chain can stop before the last: an adapter that stops at
/// the first match (`any`, `find`, a `collect` into a `Result`), or a `for`
/// loop over it whose body ends the program or breaks.
fn joins_lazily(body: &str, at: usize, ends: &[&str]) -> bool {
    const STOP_EARLY: [&str; 10] = [
        ".any(",
        ".all(",
        ".find(",
        ".find_map(",
        ".position(",
        ".try_for_each(",
        ".try_fold(",
        ".take_while(",
        "collect::<Result<",
        "collect::<Option<",
    ];
    let before = body[..at].trim_end_matches(name_char);
    let before = before.trim_end().trim_end_matches('{').trim_end();
    if !before.ends_with('|') {
        return false;
    }
    // The statement's start: a `;` or a block's brace, not a closure's.
    let start = body[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, ';' | '}') || (c == '{' && !body[..i].trim_end().ends_with('|'))
        })
        .map_or(0, |(i, _)| i + 1);
    let head = &body[start..at];
    if head.trim_start().starts_with("for ") {
        let loop_body = body[at..].find('{').map(|open| at + open);
        let end = loop_body.and_then(|open| shapes::block_end(body, open));
        return loop_body.zip(end).is_some_and(|(open, end)| {
            let block = &body[open..end];
            block.contains("break") || ends.iter().any(|stop| block.contains(stop))
        });
    }
    // An adapter whose closure holds the join: `.any(|t| t.join().is_err())`.
    let around = STOP_EARLY.iter().any(|stop| {
        head.rfind(stop).is_some_and(|from| {
            let opened = head[from..].matches('(').count();
            opened > head[from..].matches(')').count()
        })
    });
    // What uses the chain after the join, up to a `collect` that keeps
    // every result (after which nothing is lazy any more).
    let end = body[at..]
        .find(';')
        .map_or(body.len(), |semicolon| at + semicolon);
    let after = &body[at..end];
    let kept = after
        .match_indices(".collect")
        .map(|(from, _)| from)
        .find(|&from| {
            !STOP_EARLY
                .iter()
                .any(|stop| after[from + 1..].starts_with(stop))
        });
    let lazy = &after[..kept.unwrap_or(after.len())];
    let into_a_result =
        kept.is_some() && (head.contains(": Result<") || head.contains(": Option<"));
    around || into_a_result || STOP_EARLY.iter().any(|stop| lazy.contains(stop))
}

/// One run of `exe` with `args`: `Ok` if it ended in time, with exit code
/// 0 (101 after a planned panic), its lines kept every rule, and no
/// thread spun.
fn run_once(
    exercise: &Exercise,
    exe: &Path,
    settings: &Settings,
    args: &[String],
) -> Result<(), String> {
    let stall = settings.stall.is_some();
    // A gap that holds one consumer by its number tests only that the
    // others go on: a short one shows it (a second is still hours of the
    // run's time).
    let gap = settings.stall.as_ref().map(|(who, _)| {
        if who.starts_with("consumer ") {
            HELD_ONE_GAP
        } else {
            WARPED_GAP
        }
    });
    let pause = settings.jitter.then_some(WAKE_PAUSE);
    // Where every thread's work is a sleep, and no clock runs fast (which
    // ends a timed wait at once), a thread that never sleeps spins.
    let watch_spin = !stall && settings.time_scale > 0.0;
    let mut ran = run_for(exe, args, quiet_bound(settings), gap, pause, watch_spin)?;
    // A consumer held by its number is held only once it starts an item:
    // one that gets none (starved by consumers that take turns under one
    // lock, or by a busy machine) is never held, and the run shows nothing
    // of the others. And a run stopped for its quiet while it was only
    // ending says nothing of a hang. Either is made again, a few times: a
    // program that never ends after its threads are done does so again.
    for _ in 1..AT_ONCE {
        if was_held(settings, &ran.stderr) && !stopped_while_ending(&ran) {
            break;
        }
        ran = run_for(exe, args, quiet_bound(settings), gap, pause, watch_spin)?;
    }
    let (spun, spun_in_gap, yielded) = (ran.spun, ran.spun_in_gap, ran.yielded_in_gap);
    let runnable_in_gap = ran.runnable_in_gap;
    let runnable = ran.runnable;
    what_ran_shows(exercise, settings, ran)?;
    if let Some(times) = yielded {
        return Err(format!(
            "a thread spun while another was held back: in the gap, where the run can do \
             nothing until the held thread goes on, its other threads gave up their core \
             {times} times after a moment on it, without once going to sleep \
             (`thread::yield_now()` in a loop). \
             Such a loop goes round for as long as it waits, and takes every core nobody \
             else wants: wait in `recv`, `send`, `join`, a `Barrier` or a `Condvar` \
             instead, which sleep until they can go on"
        ));
    }
    if let (None, Some(time)) = (spun_in_gap, runnable_in_gap) {
        return Err(format!(
            "a thread spun while another was held back: in the gap, where the run can do \
             nothing until the held thread goes on, its other threads were ready to run (on a \
             core, or waiting for one) for {:.0} ms without once going to sleep. A thread that \
             loops until something changes (`while count.load(..) < n {{}}`, `try_send` again \
             and again) is always ready to run, however little of a busy machine it gets: \
             wait in `recv`, `send`, `join`, a `Barrier` or a `Condvar` instead, which sleep \
             until they can go on",
            time.as_secs_f64() * 1000.0
        ));
    }
    if let Some(cpu) = spun_in_gap {
        return Err(format!(
            "a thread spun while another was held back: in the gap, where the run can do \
             nothing until the held thread goes on, its other threads used {:.0} ms of CPU \
             without once going to sleep. A thread that loops until something changes \
             (`while count.load(..) < n {{}}`, `try_recv` again and again) keeps a core busy \
             for as long as it waits: wait in `recv`, `send`, `join`, a `Barrier` or a \
             `Condvar` instead, which sleep until they can go on",
            cpu.as_secs_f64() * 1000.0
        ));
    }
    if let (None, Some(time)) = (spun, runnable) {
        // Time runnable is the scheduler's to give: on a crowded machine
        // a thread that waits is at times kept waiting for a core once it
        // wakes. A thread that spins is runnable in every run; so the
        // same run, once more, must show it again.
        let again = run_for(exe, args, quiet_bound(settings), gap, pause, watch_spin)?;
        let still = again.runnable.is_some() || again.spun.is_some();
        what_ran_shows(exercise, settings, again)?;
        if !still {
            return Ok(());
        }
        return Err(format!(
            "a thread spun: in a run where each item's work is a sleep, the run's threads \
             were runnable (on a core, or ready and waiting for one) for {:.0} ms while they \
             waited, most of the time between two looks, and left their core when the \
             scheduler took it back more often than by going to sleep. A thread that waits \
             runs for a moment when it wakes, then sleeps; one that loops on `try_recv` or \
             `try_send` until it succeeds is always ready to run, however little of a busy \
             machine it gets: wait in `recv` or `send` instead, which sleep until they can go \
             on",
            time.as_secs_f64() * 1000.0
        ));
    }
    match spun {
        None => Ok(()),
        Some(cpu) => Err(format!(
            "a thread spun: in a run where each item's work is a sleep, the run's threads \
             used {:.0} ms of CPU while they waited (never going to sleep, or using a \
             tenth of the time and more). A thread that loops on \
             `try_recv` or `try_send` until it succeeds keeps a core busy while it waits: \
             wait in `recv` or `send` instead, which sleep until they can go on",
            cpu.as_secs_f64() * 1000.0
        )),
    }
}

/// What run `settings` of `exercise` shows: that it ended in time, with
/// its exit code, and its lines kept every rule.
fn what_ran_shows(exercise: &Exercise, settings: &Settings, ran: Ran) -> Result<(), String> {
    let deadlocked = ran.deadlocked;
    let (status, stdout, stderr) = (ran.status, ran.stdout, ran.stderr);
    // A stall run's own lines (`graded: WHO I`), apart from the program's.
    let (graded, stderr): (Vec<&str>, Vec<&str>) = stderr
        .lines()
        .partition(|line| line.starts_with("graded: "));
    let stderr = stderr.join("\n");
    let Some(status) = status else {
        let how = if deadlocked {
            "hung: each thread waits for another, with no timeout, so none can ever go on"
                .to_string()
        } else {
            format!(
                "hung for {:.1} s without a line",
                quiet_bound(settings).as_secs_f64()
            )
        };
        return Err(hung(&stdout, &stderr, &how));
    };
    let events = parse_output(&stdout).map_err(|e| {
        let last = stdout.lines().last().unwrap_or_default();
        if !stdout.ends_with('\n') && e.to_string().contains(last.trim()) {
            return format!(
                "the last line was cut off: {e}. The program ended (an `exit`, or `main` \
                 returning) while a thread was still printing it: end it only once every \
                 thread is joined"
            );
        }
        format!(
            "a line the checker cannot read: {e}. Every line on standard output is one \
                 the checker reads: print notes of your own to standard error, with `eprintln!`"
        )
    })?;
    if let Some((who, i)) = &settings.panic_at {
        if let Err(why) = panicked(status, &stderr, who, *i) {
            // A thread that stopped before its item (its consumer gone)
            // never panics: what the lines show is the mistake to name.
            let verdict = check_printed(&exercise.shape, settings, &events);
            if !stderr.contains("failed while working on item") && !verdict.is_ok() {
                return Err(format!(
                    "the run broke the rules:\n{}",
                    brief(&verdict.problems)
                ));
            }
            return Err(why);
        }
        // A side without a number: the panic's message names the thread.
        let dead = panicked_thread(&stderr).unwrap_or_else(|| who.clone());
        return lines_of_a_panicked_run(exercise, settings, &events, &dead);
    }
    if !status.success() {
        let planned = if exercise.panic_at.is_some() {
            " (this run has no --panic-at: nothing should panic)"
        } else {
            ""
        };
        return Err(format!(
            "the run ended with {status}{planned}: {}",
            first_said(&stderr)
        ));
    }
    let verdict = check_printed(&exercise.shape, settings, &events);
    if !verdict.is_ok() {
        return Err(format!(
            "the run broke the rules:\n{}",
            brief(&verdict.problems)
        ));
    }
    stopped_as_asked(settings, &graded)?;
    waits_for_room(settings, &graded)?;
    others_go_on(settings, &graded)?;
    fills_as_its_bound_says(exercise, settings, &events)
}

/// A stall run stops a thread before an item, through `settings.effort`,
/// which writes a `graded:` line as each thread starts an item's work.
/// A run with none of them did its work another way, out of grading's
/// reach (its pace, its pauses, its gap); and a producer always reaches
/// the item it is stopped at, so one that never stopped did the same.
fn stopped_as_asked(settings: &Settings, graded: &[&str]) -> Result<(), String> {
    let Some((who, i)) = &settings.stall else {
        return Ok(());
    };
    let went_on = graded.iter().any(|line| {
        line.to_lowercase().starts_with(&format!("graded: {who}")) && line.ends_with(" goes on")
    });
    if graded.is_empty() || who.starts_with("producer") && !went_on {
        return Err(format!(
            "the run asked the {who} to stop before item {i}, and it never did: the threads' \
             work must go through `settings.effort(..)`, as given, which is how grading \
             paces, pauses and stops them. Work done another way (a sleep of your own, \
             settings changed or read anew) is out of its reach"
        ));
    }
    Ok(())
}

/// While the consumers of a stall run with a bounded buffer are stopped,
/// the producers wait for room: the items made and not yet taken are at
/// most those the buffer holds, one in each producer's hands and one in
/// each consumer's. A producer that keeps items of its own when the
/// buffer is full, and goes on making more, shows here, where the lines
/// (which say `added` only when an item enters the buffer) cannot show
/// it. `graded` holds the lines `common` writes in a stall run, in order:
/// `graded: WHO I` as WHO starts work on item I, and `graded: WHO goes
/// on` when the gap ends.
fn waits_for_room(settings: &Settings, graded: &[&str]) -> Result<(), String> {
    let (Some((who, _)), Some(capacity)) = (&settings.stall, settings.capacity) else {
        return Ok(());
    };
    if !who.to_lowercase().starts_with("consumer") {
        return Ok(());
    }
    let (mut made, mut taken) = (0, 0);
    for line in graded {
        let line = line.trim_start_matches("graded: ").to_lowercase();
        if line.ends_with(" goes on") {
            break;
        }
        if line.starts_with("producer") {
            made += 1;
        } else {
            taken += 1;
        }
    }
    let waiting = made - taken.min(made);
    let room = capacity + settings.producers + settings.consumers;
    if waiting <= room {
        return Ok(());
    }
    Err(format!(
        "while the consumers were stopped, the producers made {made} items and the consumers \
         had taken {taken}: {waiting} were made and not taken, more than fit in the buffer \
         (--capacity {capacity}) and in the threads' hands ({room} in all). A full buffer \
         must make a producer wait; this one kept items of its own and went on"
    ))
}

/// Whether the consumer a run holds by its number (`--stall consumer-0:I`)
/// was held: `common` says `graded: Consumer 0 goes on` as it lets it go.
/// Any other run is as asked.
fn was_held(settings: &Settings, stderr: &str) -> bool {
    let Some((who, _)) = &settings.stall else {
        return true;
    };
    if !who.starts_with("consumer ") {
        return true;
    }
    let gone_on = format!("graded: {who} goes on");
    stderr.lines().any(|line| line.to_lowercase() == gone_on)
}

/// While one consumer of several is held in the middle of an item, the
/// others go on: consumers that take turns, one lock held across each
/// item's work, take nothing while items wait. `graded` holds the lines
/// `common` writes in a stall run, as [`waits_for_room`] reads them.
fn others_go_on(settings: &Settings, graded: &[&str]) -> Result<(), String> {
    let Some((held, from)) = &settings.stall else {
        return Ok(());
    };
    if settings.consumers < 2 || !held.starts_with("consumer ") || settings.panic_at.is_some() {
        return Ok(());
    }
    // `graded: WHO I`, or `graded: WHO goes on`.
    let lines: Vec<(String, Option<usize>)> = graded
        .iter()
        .map(|line| {
            let line = line.trim_start_matches("graded: ").to_lowercase();
            let (who, n) = line.rsplit_once(' ').unwrap_or((&line, ""));
            (who.to_string(), n.parse().ok())
        })
        .collect();
    let consumer = |who: &str| who.starts_with("consumer ");
    let Some(hold) = lines
        .iter()
        .position(|(who, n)| who == held && n.is_some_and(|n| n >= *from))
    else {
        return Ok(());
    };
    let end = lines
        .iter()
        .position(|(who, _)| *who == format!("{held} goes"))
        .unwrap_or(lines.len());
    let started = lines[..hold]
        .iter()
        .filter(|(who, n)| consumer(who) && n.is_some())
        .count();
    let waiting = (settings.items * settings.producers).saturating_sub(started + 1);
    let others = lines[hold..end]
        .iter()
        .filter(|(who, n)| consumer(who) && who != held && n.is_some())
        .count();
    if waiting == 0 || others > 0 {
        return Ok(());
    }
    let n = lines[hold].1.unwrap_or_default();
    Err(format!(
        "the consumers take turns: while {} was held in the middle of item {n}, with {waiting} \
         items still to take, the other consumers started none. A lock held across each \
         item's work (to keep the lines together) lets one consumer work at a time: hold a \
         lock only while you touch what it guards, and print without one (`println!` locks \
         standard output for its one line)",
        printed_name(held)
    ))
}

/// Without `--capacity` the buffer is unbounded, like Python's `Queue()`:
/// a producer 64 times quicker than its consumer runs ahead, and several
/// items wait. A program that bounds the buffer anyway keeps at most one
/// there; its lines show it where producers print `added`. And a bound
/// is the one asked for: in the run whose large buffer the stopped
/// consumers leave to fill ([`LARGE_BOUND`]), it fills, the items a
/// consumer holds aside.
fn fills_as_its_bound_says(
    exercise: &Exercise,
    settings: &Settings,
    events: &[crate::Event],
) -> Result<(), String> {
    use crate::What;
    let stopped_consumers = settings
        .stall
        .as_ref()
        .is_some_and(|(who, _)| who == "consumer");
    let waiting_most = || {
        let (mut waiting, mut most) = (0i64, 0i64);
        for event in events {
            match event.what {
                What::Added(_) => waiting += 1,
                What::Got(_) => waiting -= 1,
                _ => {}
            }
            most = most.max(waiting);
        }
        most
    };
    if let Some(capacity) = settings.capacity {
        if !exercise.shape.prints_added || !stopped_consumers || capacity != LARGE_BOUND {
            return Ok(());
        }
        // The buffer full, and the item the stopped consumer holds.
        let most = waiting_most();
        let full = i64::try_from(capacity + 1).unwrap_or(i64::MAX);
        if most >= full {
            return Ok(());
        }
        return Err(format!(
            "with the consumer stopped and --capacity {capacity}, the buffer never held \
             {capacity} items: at most {most} were added and not yet taken, the one in the \
             stopped consumer's hands among them. The bound is the one asked for: a producer \
             waits only once the buffer holds --capacity items (one that counts the item a \
             consumer is working on as still in the buffer keeps one fewer)"
        ));
    }
    if !exercise.shape.prints_added || (settings.pace != Some((0.125, 8.0)) && !stopped_consumers) {
        return Ok(());
    }
    let most = waiting_most();
    // With the consumers stopped, all but the ones they hold; in a run of
    // many items, a third of them (the consumer takes one while the
    // producer makes 64, where the machine gives the producer its time:
    // a busy one lets half of them wait); else at least two.
    let expected = if stopped_consumers {
        i64::try_from(settings.items.saturating_sub(2 * settings.consumers + 1)).unwrap_or(i64::MAX)
    } else if settings.items > 64 {
        i64::try_from(settings.items / 3).unwrap_or(i64::MAX)
    } else {
        2
    };
    if most >= expected {
        Ok(())
    } else {
        let why = if stopped_consumers {
            "with the consumer stopped here"
        } else {
            "64 times quicker than the consumer here"
        };
        Err(format!(
            "without --capacity the buffer is unbounded, like Python's queue.Queue(): the \
             producer, {why}, should run ahead of it (of {} items, {expected} or more \
             should wait at once), but at most {most} waited at a time",
            settings.items
        ))
    }
}

/// The lines of a run in which thread `who` panicked keep every rule but
/// these: that thread prints no `Done`, the items it never got to are
/// never consumed, and a producer stops adding once nobody reads. Nothing
/// is consumed twice, and every other thread ends.
fn lines_of_a_panicked_run(
    exercise: &Exercise,
    settings: &Settings,
    events: &[crate::Event],
    who: &str,
) -> Result<(), String> {
    let verdict = check_printed(&exercise.shape, settings, events);
    let name = printed_name(who);
    // A consumer that panics leaves items unread, and a producer stops
    // adding once nobody reads (its `send` fails). A producer that panics
    // on item I never makes I and what follows; what it sent before must
    // be consumed, and every consumer must end.
    let consumer = name.starts_with("Consumer");
    let at = settings.panic_at.as_ref().map_or(0, |(_, i)| *i);
    // "producer 1" is producer 1; a lone "producer", producer 0.
    let dead = who
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let index = |problem: &str| {
        problem
            .strip_prefix("item (")
            .and_then(|rest| rest.split(',').next())
            .and_then(|i| i.parse::<usize>().ok())
    };
    let never_made = |problem: &str| {
        let of = format!(" of producer {dead} was never consumed");
        problem.ends_with(&of) && index(problem).is_some_and(|i| i >= at)
    };
    // A consumer among several loses the one item it died on: the others
    // go on, and take every other item.
    let among_several = consumer && settings.consumers > 1;
    let lost = |problem: &str| {
        problem.contains("was never consumed") && (!among_several || index(problem) == Some(at))
    };
    let excused = |problem: &&String| {
        problem.starts_with(&format!("{name} must print `Done`"))
            || (problem.starts_with("Producer") && problem.ends_with("once, in order"))
            || problem.contains(" were put in the buffer (")
            || if consumer {
                lost(problem)
            } else {
                never_made(problem)
            }
    };
    let mut broken: Vec<String> = verdict
        .problems
        .iter()
        .filter(|p| !excused(p))
        .cloned()
        .collect();
    let died_on: Vec<&String> = verdict
        .problems
        .iter()
        .filter(|p| among_several && lost(p))
        .collect();
    if died_on.len() > 1 {
        broken.push(format!(
            "{} items numbered {at} were never consumed: the {who} died on one of them, and \
             the other consumers must take the rest",
            died_on.len()
        ));
    }
    if broken.is_empty() {
        return Ok(());
    }
    let others_lost = among_several && broken.iter().any(|p| p.contains("was never consumed"));
    let why = if others_lost {
        format!(
            "\nA consumer among several that dies loses only the item it died on: the others \
             take every other item. Here more were lost with {name}: a consumer holds one item \
             at a time (not all that is left, with `drain()` or `try_iter().collect()`), what \
             is left once the stream ends is for every consumer to take, not one alone, and \
             a consumer's death tells the others nothing (no flag raised, no sentinel sent: \
             the stream has not ended)"
        )
    } else {
        String::new()
    };
    Err(format!(
        "the {who} panicked as asked, but the run's lines broke the rules:\n{}{why}",
        brief(&broken)
    ))
}

/// Problems as lines, with at most three items never consumed, then how
/// many more.
fn brief(problems: &[String]) -> String {
    let (lost, other): (Vec<&String>, Vec<&String>) = problems
        .iter()
        .partition(|p| p.contains("was never consumed"));
    let mut lines: Vec<String> = other.into_iter().cloned().collect();
    lines.extend(lost.iter().take(3).map(|p| (*p).clone()));
    if lost.len() > 3 {
        lines.push(format!(
            "... and {} more items never consumed",
            lost.len() - 3
        ));
    }
    lines.join("\n")
}

/// A run in which thread `who` panics on item `i` must say so: the panic's
/// message on stderr, and a panic's exit code (101) once it ends.
fn panicked(status: ExitStatus, stderr: &str, who: &str, i: usize) -> Result<(), String> {
    let message = format!("{PLANNED_PANIC}{i},");
    if !stderr.contains(&message) {
        return Err(format!(
            "the {who} was asked to panic on item {i} and never did: {}",
            first_said(stderr)
        ));
    }
    if status.code() == Some(101) {
        Ok(())
    } else {
        Err(format!(
            "the {who} panicked on item {i}, but the run ended with {status}, not with a \
             panic's exit code, 101: the panic was swallowed, or reported another way"
        ))
    }
}

/// The first thing `stderr` says: its first line, and where that is a
/// panic's heading (`thread 'main' panicked at src/main.rs:9:5:`), the
/// panic's message from the line after it.
fn first_said(stderr: &str) -> String {
    let mut lines = stderr.lines().filter(|line| !line.trim().is_empty());
    let Some(first) = lines.next() else {
        return "(nothing on stderr)".to_string();
    };
    match lines.next() {
        Some(message) if first.contains("panicked at ") && first.ends_with(':') => {
            format!("{first} {message}")
        }
        _ => first.to_string(),
    }
}

/// The thread whose planned panic's message is on `stderr`, lowercase
/// as `--panic-at` names it ("consumer 1").
fn panicked_thread(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|line| line.contains(PLANNED_PANIC))?;
    let before = line[..line.find(PLANNED_PANIC)?].to_lowercase();
    let start = ["producer", "consumer"]
        .iter()
        .filter_map(|side| before.rfind(side))
        .max()?;
    Some(before[start..].to_string())
}

/// Thread `who` as `--panic-at` names it ("consumer 1"), as the program
/// prints it ("Consumer 1").
fn printed_name(who: &str) -> String {
    let mut name = who.to_string();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    name
}

/// What `common` says when a thread panics as `--panic-at` asks, after
/// the thread's name.
const PLANNED_PANIC: &str = " failed while working on item (";

/// What a hung run's lines say: which threads started and never ended,
/// and which one panicked as asked (it never ends, yet is not running).
fn hung(stdout: &str, stderr: &str, how: &str) -> String {
    let (waiting, done, dead) = who_ran(stdout, stderr);
    let list = |names: &[String]| match names {
        [] => "none".to_string(),
        names => names.join(", "),
    };
    let panicked = dead.map_or(String::new(), |dead| {
        format!("; panicked as asked: {}", printed_name(&dead))
    });
    format!(
        "{how}: still running: {}; done: {}{panicked}",
        list(&waiting),
        list(&done)
    )
}

/// The threads a run's lines show: those started and not done (less the
/// one that panicked as asked), those done, and the one that panicked.
fn who_ran(stdout: &str, stderr: &str) -> (Vec<String>, Vec<String>, Option<String>) {
    let mut waiting = Vec::new();
    let mut done = Vec::new();
    for line in stdout.lines() {
        if let Some(who) = line.strip_suffix(": Running") {
            waiting.push(who.to_string());
        } else if let Some(who) = line.strip_suffix(": Done") {
            waiting.retain(|w| w != who);
            done.push(who.to_string());
        }
    }
    let dead = panicked_thread(stderr);
    waiting.retain(|w| Some(w.to_lowercase()) != dead);
    (waiting, done, dead)
}

/// Whether `ran` was stopped for its quiet once every thread it started
/// had said it was done: the process was only ending, which on a machine
/// busy for a few seconds takes that long.
fn stopped_while_ending(ran: &Ran) -> bool {
    let (waiting, done, _) = who_ran(&ran.stdout, &ran.stderr);
    ran.status.is_none() && !ran.deadlocked && waiting.is_empty() && !done.is_empty()
}

/// Runs `exe` with `args` until it ends, or until it has printed nothing
/// for `quiet` (or run for [`RUN_BOUND`]), and says what it saw. A stall
/// run (`gap`: how long its gap lasts at most) reads its standard input
/// from here, and its clock is
/// [`Clock`]'s: its stalled thread goes on when [`Stall`] closes its
/// input. With `watch_spin`, its threads are watched for a spin.
fn run_for(
    exe: &Path,
    args: &[String],
    quiet: Duration,
    gap: Option<Duration>,
    pause: Option<Duration>,
    watch_spin: bool,
) -> Result<Ran, String> {
    use std::io::BufRead;
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    let stall = gap.is_some();
    let mut command = Command::new(exe);
    // Grading reads a panic's first lines, never a backtrace: one costs a
    // panicking run a fifth of a second of symbols.
    command.args(args).env_remove("RUST_BACKTRACE");
    let clock = stall.then(Clock::new).flatten();
    if let Some(clock) = &clock {
        command
            .env("LD_PRELOAD", &clock.library)
            .env("GRADING_CLOCK", &clock.rate);
    }
    if let Some((pause, library)) = pause.zip(clock_library()) {
        command
            .env("LD_PRELOAD", library)
            .env("GRADING_WAKE_PAUSE", pause.as_micros().to_string())
            .env("GRADING_SPAWN_PAUSE", SPAWN_PAUSE.as_micros().to_string());
    }
    let mut child = command
        .stdin(if stall { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let started = Instant::now();
    let last_line = Arc::new(Mutex::new(started));
    let stdout = child.stdout.take().map(std::io::BufReader::new);
    let seen = Arc::clone(&last_line);
    let out = thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut lines) = stdout {
            let mut line = String::new();
            while lines.read_line(&mut line).unwrap_or(0) > 0 {
                text.push_str(&line);
                line.clear();
                if let Ok(mut at) = seen.lock() {
                    *at = Instant::now();
                }
            }
        }
        text
    });
    let err = read_all(child.stderr.take());
    let mut stdin = child.stdin.take();
    let mut gap = Stall {
        longest: gap.unwrap_or(WARPED_GAP),
        ..Stall::default()
    };
    let mut spin = watch_spin.then(spin::Spin::default);
    // In a stall run, the threads that go on through the gap.
    let mut gap_spin = stall.then(spin::Spin::sleepless);
    let mut stuck = deadlock::Deadlock::default();
    let mut deadlocked = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => return Err(format!("cannot wait for {}: {e}", exe.display())),
        }
        // From the first line on: a program's start (loading, reading its
        // command line) is work, not a wait, and takes longer on a busy
        // machine.
        let printed = last_line.lock().is_ok_and(|at| *at > started);
        if let Some(spin) = spin.as_mut().filter(|_| printed) {
            spin.look(child.id());
        }
        if stdin.is_some() && gap.is_over(child.id(), started, clock.as_ref()) {
            // The gap's end: the stalled thread reads the end of its
            // input; the run's quiet is counted from here.
            stdin = None;
            if let Ok(mut at) = last_line.lock() {
                *at = Instant::now();
            }
        }
        let held = stdin.is_some() && gap.began.is_some();
        if let Some(spin) = gap_spin.as_mut().filter(|_| held) {
            spin.look(child.id());
        }
        let quiet_for = last_line.lock().map_or(Duration::ZERO, |at| at.elapsed());
        // A run that prints is not stuck: look once it has been quiet a
        // while (each look reads three files a thread).
        if let Some((_, futex)) = READ_AND_FUTEX
            && stdin.is_none()
            && quiet_for > DEADLOCK_AFTER
            && stuck.look(child.id(), futex)
        {
            deadlocked = true;
        }
        if (quiet_for > quiet && !held) || deadlocked || started.elapsed() > RUN_BOUND {
            let _ = wait_within(&mut child, Duration::ZERO);
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    Ok(Ran {
        status,
        deadlocked,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        spun: spin.as_ref().and_then(spin::Spin::spun),
        runnable: spin.and_then(|spin| spin.runnable()),
        yielded_in_gap: gap_spin.as_ref().and_then(spin::Spin::yielded),
        runnable_in_gap: gap_spin
            .as_ref()
            .and_then(spin::Spin::runnable_without_sleep),
        spun_in_gap: gap_spin.and_then(|spin| spin.spun_over(spin::GAP_SPIN_BOUND)),
    })
}

/// What [`run_for`] saw of a run: its exit status (`None` if it was
/// still running, and so killed), what it printed, and the CPU its threads
/// used without sleeping, where watched and too much.
#[derive(Default)]
struct Ran {
    status: Option<ExitStatus>,
    /// Whether it was killed as every thread waited for another, with no
    /// timeout (and not for its quiet).
    deadlocked: bool,
    stdout: String,
    stderr: String,
    spun: Option<Duration>,
    /// How long its threads were runnable while they waited, where long.
    runnable: Option<Duration>,
    /// The same, in a stall run's gap, where more than the gap's bound.
    spun_in_gap: Option<Duration>,
    /// How long the threads were runnable without sleeping in the gap,
    /// where more than its bound.
    runnable_in_gap: Option<Duration>,
    /// How many times the threads were taken off their core without
    /// sleeping in the gap, where too many.
    yielded_in_gap: Option<u64>,
}

/// A stall run's clock: the `grading-clock` library, which the run loads,
/// and the file it reads its rate from, this run's own (removed when the
/// run ends). [`Stall`] makes it run fast once the gap begins, so that
/// every timeout the program waits on ends within the gap.
struct Clock {
    library: PathBuf,
    rate: PathBuf,
}

impl Clock {
    /// A clock for one run; `None` where the library cannot be built.
    fn new() -> Option<Clock> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let library = clock_library()?;
        let folder = library.parent()?.join("clocks");
        std::fs::create_dir_all(&folder).ok()?;
        let n = RUNS.fetch_add(1, Ordering::Relaxed);
        let rate = folder.join(format!("{}-{n}", std::process::id()));
        std::fs::write(&rate, 0i64.to_ne_bytes()).ok()?;
        Some(Clock { library, rate })
    }

    /// Makes the run's time run [`WARP`] times as fast, for good.
    fn run_fast(&self) {
        use std::os::unix::fs::FileExt;
        // In place: the run maps the file, and a shorter one would fault.
        if let Ok(file) = std::fs::OpenOptions::new().write(true).open(&self.rate) {
            let _ = file.write_all_at(&WARP.to_ne_bytes(), 0);
        }
    }

    /// Whether process `pid` loaded the library.
    fn loaded_by(&self, pid: u32) -> bool {
        let name = self
            .library
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        std::fs::read_to_string(format!("/proc/{pid}/maps")).is_ok_and(|maps| maps.contains(&*name))
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.rate);
    }
}

/// The `grading-clock` library, built once (in `target/exercises/`);
/// `None` if it cannot be.
fn clock_library() -> Option<PathBuf> {
    static BUILT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let target = folder().join("../target/exercises");
            let manifest = folder().join("../crates/harness/clock/Cargo.toml");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
            let built = Command::new(cargo)
                .args([
                    "build",
                    "--quiet",
                    "--release",
                    "--locked",
                    "--manifest-path",
                ])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(&target)
                .stdin(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            let library = target.join("release/libgrading_clock.so");
            (built && library.is_file()).then_some(library)
        })
        .clone()
}

/// The gap of a stall run, watched from outside: what each thread of
/// the run is doing, from `/proc/PID/task/*/syscall`. The stalled thread
/// reads its standard input; once it does, the run's [`Clock`] runs fast.
/// The gap ends once every other thread waits for another, with no
/// timeout (the same wait at three looks in a row): nothing can happen
/// then until the stalled thread goes on, and a longer gap would show
/// nothing more. While a thread runs or waits on a timer, the gap lasts
/// [`WARPED_GAP`], or [`MAX_STALL`] where the clock cannot run fast or the
/// threads cannot be seen.
#[derive(Default)]
struct Stall {
    /// When a thread was first seen stalled, and whether the run's clock
    /// then ran fast.
    began: Option<(std::time::Instant, bool)>,
    /// The threads' system calls at the last look, and how many looks in
    /// a row found every other thread waiting for another.
    last: Vec<String>,
    still: usize,
    /// How long the gap lasts at most, the clock run fast.
    longest: Duration,
}

/// The system calls grading reads in a thread's `syscall` line: `read`
/// (of standard input, by the stalled thread) and `futex` (a wait for
/// another thread, or with a timeout).
#[cfg(target_arch = "x86_64")]
const READ_AND_FUTEX: Option<(&str, &str)> = Some(("0", "202"));
#[cfg(target_arch = "aarch64")]
const READ_AND_FUTEX: Option<(&str, &str)> = Some(("63", "98"));
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const READ_AND_FUTEX: Option<(&str, &str)> = None;

impl Stall {
    /// Whether the gap of process `pid`, started at `started` with the
    /// clock `clock`, is over.
    fn is_over(&mut self, pid: u32, started: std::time::Instant, clock: Option<&Clock>) -> bool {
        let (Some(threads), Some((read, futex))) = (deadlock::threads(pid), READ_AND_FUTEX) else {
            // Unseen, the gap may begin at once, and lasts the longest.
            self.began.get_or_insert((started, false));
            return started.elapsed() > MAX_STALL;
        };
        // The stalled thread reads its standard input (`read(0, ..)`).
        let stalled = |thread: &deadlock::Thread| {
            let call: Vec<&str> = thread.call.split_whitespace().collect();
            call.len() > 2 && call[0] == read && call[1] == "0x0"
        };
        let lines: Vec<String> = threads
            .iter()
            .map(|t| format!("{} {} {}", t.id, t.call, t.state))
            .collect();
        let any_stalled = threads.iter().any(stalled);
        if self.began.is_none() && any_stalled {
            let fast = clock.is_some_and(|clock| {
                clock.run_fast();
                clock.loaded_by(pid)
            });
            self.began = Some((std::time::Instant::now(), fast));
        }
        let Some((began, fast)) = self.began else {
            return false;
        };
        if began.elapsed() > if fast { self.longest } else { MAX_STALL } {
            return true;
        }
        let still = any_stalled
            && threads
                .iter()
                .all(|thread| stalled(thread) || thread.waits_untimed(futex));
        self.still = if still && lines == self.last {
            self.still + 1
        } else {
            usize::from(still)
        };
        self.last = lines;
        self.still >= 3
    }
}

/// The answers kept in `exercises/corpus/NAME/` as test data: each
/// `wrong_N.rs` must be refused, each `right_N.rs` accepted. Returns the
/// exercise, the file, and whether it is right, in the book's order.
pub fn corpus() -> Vec<(Exercise, PathBuf, bool)> {
    let mut answers = Vec::new();
    for exercise in EXERCISES {
        let dir = folder().join("corpus").join(exercise.name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        for file in files {
            let right = file
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("right_"));
            answers.push((exercise, file, right));
        }
    }
    answers
}

/// The binary name of a corpus answer: `sentinel--wrong_1`.
pub fn corpus_bin(exercise: &Exercise, file: &Path) -> String {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
    format!("{}--{stem}", exercise.name)
}

/// Builds every answer of the corpus (`exercises/corpus/Cargo.toml`), all
/// at once, going on past those that do not compile; returns the folder
/// of the programs built.
pub fn build_corpus() -> Result<PathBuf, String> {
    let target = folder().join("../target/exercises-corpus");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["build", "--quiet", "--bins", "--keep-going", "--target-dir"])
        .arg(&target)
        .current_dir(folder().join("corpus"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    // Answers that do not compile have no program: grading says so.
    let _ = output.status;
    Ok(target.join("debug"))
}

/// Grades the corpus answer `file` of `exercise`, built in `built`.
pub fn grade_corpus(exercise: &Exercise, file: &Path, built: &Path) -> Result<usize, String> {
    let bin = corpus_bin(exercise, file);
    let exe = built.join(&bin);
    if !exe.is_file() {
        return Err(format!("{bin} does not compile"));
    }
    let repeat = Repeat {
        bin,
        manifest: "exercises/corpus/Cargo.toml".to_string(),
        flag: "",
        retry: false,
    };
    grade_file(exercise, &exe, file, &repeat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every solution and right answer of `exercises/` (`right`), or
    /// every wrong answer, with its exercise.
    fn files(right: bool) -> Vec<(Exercise, PathBuf)> {
        let mut found = Vec::new();
        for exercise in EXERCISES {
            let mut paths = vec![folder().join(exercise.name).join("solution.rs")];
            let answers = folder().join("corpus").join(exercise.name);
            if let Ok(entries) = std::fs::read_dir(&answers) {
                paths.extend(entries.flatten().map(|e| e.path()));
            }
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if right == (text.starts_with("//! Right") || path.ends_with("solution.rs")) {
                    found.push((exercise, path));
                }
            }
        }
        found
    }

    #[test]
    fn a_capacity_compared_or_changed_on_its_way_to_the_channel_is_found() {
        let given = format!("fn main() {{ let settings = read(); let (s, r) = {THE_BUFFER}; }}");
        assert_eq!(capacity_changed(&given), None);
        let kept = [
            "let (s, r) = settings.capacity.map_or_else(flume::unbounded, flume::bounded);",
            "let bound = settings.capacity.unwrap_or(settings.items + 1); \
             let (s, r) = flume::bounded(bound);",
            "let (s, r) = match settings.capacity { Some(0) => flume::bounded(0), \
             Some(n) => flume::bounded(n), None => flume::unbounded() };",
        ];
        for code in kept {
            assert_eq!(capacity_changed(code), None, "{code}");
        }
        // A buffer of the program's own bounds by the capacity against
        // what it counts: the bound at work, not changed.
        let own = [
            "let capacity = settings.capacity; \
             while queue.len() >= capacity { full.wait(); }",
            "let limit = settings.capacity.unwrap_or(usize::MAX); \
             let state = ready.wait_while(state, |s| ticket + 1 > s.taken + limit);",
            // A rendezvous made apart: the runs try capacity 0 and 1.
            "let c = settings.capacity.unwrap_or(0); if c > 0 { wait_for_room(c); } else { hand_over(); }",
            "if settings.capacity == Some(0) { rendezvous() }",
            "if self.capacity == Some(0) { wait(); } s.0 += 1;",
        ];
        for code in own {
            assert_eq!(capacity_changed(code), None, "{code}");
        }
        let changed = [
            "fn channel_for(capacity: Option<usize>) -> (S, R) { \
             if let Some(n) = capacity.filter(|&n| n <= 4096) { flume::bounded(n) } \
             else { flume::unbounded() } } \
             fn main() { let (s, r) = channel_for(settings.capacity); }",
            "let (s, r) = flume::bounded(settings.capacity.unwrap_or(0) + 1);",
            "let (s, r) = match settings.capacity { Some(n) if n < 50 => flume::bounded(n), \
             _ => flume::unbounded() };",
            "let room = settings.capacity.map(|c| c.min(4096)); let (s, r) = flume::bounded(room);",
            "let most = 4_096; let room = settings.capacity.filter(|&n| most >= n);",
            "const LIMIT: usize = 64; if settings.capacity > Some(LIMIT) { unbounded() }",
            "let (s, r) = if settings.capacity == Some(4096) { unbounded() } else { bounded(n) };",
            "let c = settings.capacity.unwrap_or(0); if 5000 != c { wait(); }",
        ];
        for code in changed {
            assert!(capacity_changed(code).is_some(), "{code}");
        }
    }

    #[test]
    fn no_right_answer_breaks_a_rule_or_has_the_shape_of_a_race() {
        let rights = files(true);
        assert!(rights.len() >= 36, "{} right answers", rights.len());
        for (exercise, path) in rights {
            assert_eq!(check_rules(&exercise, &path), Ok(()), "{}", path.display());
        }
    }

    #[test]
    fn every_wrong_answer_the_runs_let_through_breaks_a_rule_or_has_a_race_shape() {
        let wrong = files(false);
        for file in [
            "empty_is_not_the_end/wrong_5.rs",
            "stop_flag/wrong_1.rs",
            "stop_flag/wrong_3.rs",
            "stop_flag/wrong_5.rs",
            "barrier/wrong_3.rs",
            "empty_is_not_the_end/wrong_10.rs",
            "stop_flag/wrong_14.rs",
            "stop_flag/wrong_15.rs",
            "stop_flag/wrong_16.rs",
            "stop_flag/wrong_17.rs",
            "stop_flag/wrong_19.rs",
            "barrier/wrong_11.rs",
            "barrier/wrong_13.rs",
            "sentinel/wrong_9.rs",
            "pass_it_on/wrong_9.rs",
            "borrow/wrong_6.rs",
            "last_consumer/wrong_9.rs",
            "swallowed_panic/wrong_9.rs",
            "drop_the_sender/wrong_8.rs",
            "barrier/wrong_17.rs",
            "stop_flag/wrong_28.rs",
            "stop_flag/wrong_29.rs",
            "sentinel/wrong_12.rs",
            "pass_it_on/wrong_13.rs",
            "rendezvous/wrong_11.rs",
            "swallowed_panic/wrong_14.rs",
            "swallowed_panic/wrong_2.rs",
            "drop_the_sender/wrong_12.rs",
            "empty_is_not_the_end/wrong_19.rs",
            "last_consumer/wrong_15.rs",
            "pass_it_on/wrong_16.rs",
            "swallowed_panic/wrong_6.rs",
            "swallowed_panic/wrong_7.rs",
            "swallowed_panic/wrong_11.rs",
            "borrow/wrong_12.rs",
            "barrier/wrong_23.rs",
            "swallowed_panic/wrong_16.rs",
            "barrier/wrong_25.rs",
            "borrow/wrong_15.rs",
            "empty_is_not_the_end/wrong_23.rs",
            "last_consumer/wrong_17.rs",
            "borrow/wrong_16.rs",
            "rendezvous/wrong_18.rs",
            "rendezvous/wrong_19.rs",
            "pass_it_on/wrong_23.rs",
            "last_consumer/wrong_22.rs",
            "drop_the_sender/wrong_25.rs",
            "count_sentinels/wrong_29.rs",
            "last_consumer/wrong_23.rs",
            "swallowed_panic/wrong_25.rs",
            "borrow/wrong_20.rs",
            "borrow/wrong_21.rs",
            "stop_flag/wrong_41.rs",
            "sentinel/wrong_21.rs",
            "sentinel/wrong_22.rs",
            "empty_is_not_the_end/wrong_18.rs",
            "stop_flag/wrong_80.rs",
            "barrier/wrong_93.rs",
            "sentinel/wrong_51.rs",
            "bound_it/wrong_39.rs",
            "drop_the_sender/wrong_52.rs",
        ] {
            let (exercise, path) = wrong
                .iter()
                .find(|(_, path)| path.ends_with(file))
                .unwrap_or_else(|| panic!("{file} is in the corpus"));
            assert!(check_rules(exercise, path).is_err(), "{file}");
        }
    }

    #[test]
    fn a_stall_run_whose_thread_never_stopped_did_its_work_out_of_reach() {
        let mut settings = named("sentinel").expect("sentinel").shape.settings(14);
        settings.stall = Some(("producer".to_string(), 5));
        let stopped = [
            "graded: Producer 4",
            "graded: Producer 5",
            "graded: Producer goes on",
        ];
        assert_eq!(stopped_as_asked(&settings, &stopped), Ok(()));
        let said = stopped_as_asked(&settings, &[]).expect_err("no graded line");
        assert!(said.contains("`settings.effort(..)`"), "{said}");
        assert!(
            stopped_as_asked(&settings, &stopped[..2]).is_err(),
            "never went on"
        );
        // A consumer may never reach its item (the others take them): any
        // line will do.
        settings.stall = Some(("consumer".to_string(), 1));
        assert_eq!(stopped_as_asked(&settings, &stopped[..1]), Ok(()));
    }

    #[test]
    fn a_panic_is_reported_with_its_message_not_only_where_it_happened() {
        let panic = "thread 'main' panicked at exercises/x/exercise.rs:9:5:\n\
                     the queue is gone\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            first_said(panic),
            "thread 'main' panicked at exercises/x/exercise.rs:9:5: the queue is gone"
        );
        assert_eq!(first_said("\nerror: bad flag\nmore\n"), "error: bad flag");
        assert_eq!(first_said(""), "(nothing on stderr)");
    }

    #[test]
    fn the_buffer_is_kept_however_its_match_is_written_and_no_other_is_made() {
        let program = |buffer: &str| {
            format!(
                "fn main() {{
                    let settings = Settings::from_command_line(&PROGRAM);
                    let (sender, receiver) = {buffer};
                    thread::scope(|scope| {{}});
                }}"
            )
        };
        let given = program(
            "match settings.capacity {\n    Some(capacity) => flume::bounded(capacity),\n    \
             None => flume::unbounded(),\n}",
        );
        assert!(keeps_the_buffer(&given));
        for same in [
            "match settings.capacity { None => { flume::unbounded() } Some(slots) => { flume::bounded(slots) } }",
            "match settings.capacity { None => flume::unbounded(), Some(c) => flume::bounded(c) }",
            "if let Some(room) = settings.capacity { flume::bounded(room) } else { flume::unbounded() }",
            "settings.capacity.map_or_else(flume::unbounded, flume::bounded)",
            "settings.capacity.map_or_else(|| flume::unbounded(), |cap| flume::bounded(cap))",
            "settings\n        .capacity\n        .map_or_else(flume::unbounded, flume::bounded)",
        ] {
            assert!(keeps_the_buffer(&program(same)), "{same}");
        }
        for other in [
            "flume::unbounded()",
            "flume::bounded(settings.capacity.unwrap_or(1))",
            "match settings.capacity { Some(c) => flume::bounded(c.max(1)), None => flume::unbounded() }",
            "match settings.capacity { Some(c) => flume::bounded(c), None => flume::bounded(100) }",
            "settings.capacity.map_or_else(|| flume::bounded(64), flume::bounded)",
        ] {
            assert!(!keeps_the_buffer(&program(other)), "{other}");
        }
        let second = given.replace(
            "thread::scope",
            "let (tx, rx) = flume::bounded(1); thread::scope",
        );
        assert!(!keeps_the_buffer(&second));
        let signal = given.replace(
            "thread::scope",
            "let (done, finished) = flume::unbounded::<()>(); thread::scope",
        );
        assert!(keeps_the_buffer(&signal));
    }

    #[test]
    fn the_bound_is_chosen_by_the_capacity_alone() {
        let program = |buffer: &str| {
            format!(
                "fn main() {{
                    let settings = Settings::from_command_line(&PROGRAM);
                    let (sender, receiver) = {buffer};
                    let items = settings.items;
                    thread::scope(|scope| {{
                        scope.spawn(|| producer(sender, settings.items));
                    }});
                }}"
            )
        };
        for alone in [
            "match settings.capacity { Some(capacity) => flume::bounded(capacity), None => flume::unbounded() }",
            "if let Some(room) = settings.capacity { flume::bounded(room) } else { flume::unbounded() }",
            "settings.capacity.map_or_else(flume::unbounded, flume::bounded)",
        ] {
            assert_eq!(
                bound_by_more_than_the_capacity(&program(alone)),
                None,
                "{alone}"
            );
        }
        for (beside, field) in [
            (
                "if settings.items < 100_000 { match settings.capacity { Some(c) => flume::bounded(c), None => flume::unbounded() } } else { flume::unbounded() }",
                "items",
            ),
            (
                "match settings.capacity { Some(c) if settings.items < 100_000 => flume::bounded(c), _ => flume::unbounded() }",
                "items",
            ),
            (
                "settings.capacity.filter(|_| settings.producers == 1).map_or_else(flume::unbounded, flume::bounded)",
                "producers",
            ),
            ("channel(&settings)", "seed"),
        ] {
            // A function of its own makes the channel in the last one.
            let helper = "fn channel(settings: &Settings) -> (Sender<Message>, Receiver<Message>) {
                if settings.seed == 0 { flume::unbounded() } else { flume::bounded(4) }
            }";
            let file = program(beside);
            let file = if beside.starts_with("channel") {
                format!("{helper}\n{file}")
            } else {
                file
            };
            assert_eq!(
                bound_by_more_than_the_capacity(&file),
                Some(field),
                "{beside}"
            );
        }
    }

    #[test]
    fn consumers_that_take_nothing_while_one_is_held_take_turns() {
        let mut settings = named("pass_it_on").expect("pass_it_on").shape.settings(24);
        settings.producers = 1;
        settings.stall = Some(("consumer 0".to_string(), 1));
        // Consumer 0 is held on item 1; the others take 2 and 3 meanwhile.
        let shared = [
            "graded: Producer 0",
            "graded: Consumer 0 0",
            "graded: Producer 1",
            "graded: Consumer 0 1",
            "graded: Producer 2",
            "graded: Consumer 1 2",
            "graded: Producer 3",
            "graded: Consumer 2 3",
            "graded: Consumer 0 goes on",
        ];
        assert_eq!(others_go_on(&settings, &shared), Ok(()));
        let turns: Vec<&str> = shared
            .iter()
            .copied()
            .filter(|line| {
                !line.starts_with("graded: Consumer 1") && !line.starts_with("graded: Consumer 2")
            })
            .collect();
        let said = others_go_on(&settings, &turns).expect_err("they took turns");
        assert!(
            said.contains("while Consumer 0 was held in the middle of item 1"),
            "{said}"
        );
        // Nothing left to take: nothing to show.
        settings.items = 2;
        assert_eq!(others_go_on(&settings, &turns), Ok(()));
    }

    #[test]
    fn a_method_called_on_a_string_literal_copies_no_settings() {
        let named = "let me = \"Producer\".to_owned(); go(me, &settings);";
        assert!(!has(named, "to_owned("));
        assert!(has(
            &format!("{named} let mine = settings.to_owned();"),
            "to_owned("
        ));
    }

    #[test]
    fn a_clone_of_a_shared_pointer_is_not_a_copy_of_what_it_points_to() {
        let arc = "let settings: Arc<Settings> = Arc::new(Settings::from_command_line(&P)); \
                   let mine = settings.clone();";
        assert!(shared_pointer(arc, "settings"));
        assert!(shared_pointer(
            &arc.replace(": Arc<Settings>", ""),
            "settings"
        ));
        let copied = "let settings = Settings::from_command_line(&P); let mine = settings.clone();";
        assert!(!shared_pointer(copied, "settings"));
        // Copied first, then shared: the copy is still made.
        let both = "let settings = Settings::from_command_line(&P); \
                    let settings = Arc::new(settings.clone());";
        assert!(!shared_pointer(both, "settings"));
        assert!(!shared_pointer("fn f(settings: &Settings) {}", "settings"));
        // Shadowed by a shared pointer, and cloned again inside a thread's
        // block: each clone is of the pointer.
        let shadowed = "let settings = Settings::from_command_line(&P); \
                        let settings: Arc<Settings> = Arc::new(settings); \
                        { let settings = settings.clone(); go(settings); } \
                        { let settings = settings.clone(); go(settings); }";
        assert!(shared_pointer(shadowed, "settings"));
        let unshared = shadowed.replace("let settings: Arc<Settings> = Arc::new(settings);", "");
        assert!(!shared_pointer(&unshared, "settings"));
    }

    #[test]
    fn a_hang_names_the_thread_that_panicked_apart_from_those_still_running() {
        let stderr = "\nthread '<unnamed>' panicked at crates/common/src/lib.rs:151:9:\n\
                      Consumer 2 failed while working on item (2, 0.5) (as --panic-at asked)\n";
        assert_eq!(panicked_thread(stderr).as_deref(), Some("consumer 2"));
        assert_eq!(panicked_thread("no panic here"), None);
        let stdout = "Consumer 1: Running\nConsumer 2: Running\nProducer: Running\n\
                      Producer: Done\n";
        let said = hung(stdout, stderr, "hung for 3.0 s without a line");
        assert!(
            said.ends_with(
                "still running: Consumer 1; done: Producer; panicked as asked: Consumer 2"
            ),
            "{said}"
        );
    }

    #[test]
    fn a_program_must_survive_a_panic_on_each_side_its_exercise_names() {
        for exercise in EXERCISES {
            let runs = runs(&exercise);
            for side in exercise.survives {
                let planned: Vec<&Settings> = runs
                    .iter()
                    .filter(|run| {
                        run.panic_at
                            .as_ref()
                            .is_some_and(|(who, _)| who.starts_with(side))
                    })
                    .collect();
                assert!(planned.len() >= 2, "{}: no {side} panic", exercise.name);
                // Once with the other side held back, one thread a side.
                let (other_held, planned): (Vec<&Settings>, Vec<&Settings>) =
                    planned.into_iter().partition(|run| {
                        run.stall
                            .as_ref()
                            .is_some_and(|(who, _)| !who.starts_with(side))
                    });
                assert!(
                    other_held.len() == 1
                        && other_held.iter().all(|run| run.producers == 1
                            && run.consumers == 1
                            && run.capacity == Some(0)),
                    "{}: {side} dies with the other side held",
                    exercise.name
                );
                // One of several producers dies early, while the others
                // are still slow at their items.
                if *side == "producer" && exercise.shape.producers.numbered() {
                    assert!(
                        planned.iter().any(|run| run.pace == Some((8.0, 0.125))
                            && run.panic_at == Some(("producer 1".to_string(), 1))),
                        "{}: a producer dies early",
                        exercise.name
                    );
                }
                // Where there can be several consumers: the only one; one
                // among several, whichever takes the item first; and the
                // one with the last item, held back, at capacity 0.
                if *side == "consumer" && exercise.shape.consumers.numbered() {
                    let (alone, among): (Vec<&&Settings>, _) =
                        planned.iter().partition(|run| run.consumers == 1);
                    let (held, among): (Vec<&&Settings>, _) =
                        among.into_iter().partition(|run| run.stall.is_some());
                    // One dies late, with items still waiting for the others.
                    let late = exercise.shape.settings(1).items - 3;
                    let (late, among): (Vec<&&Settings>, Vec<&&Settings>) = among
                        .into_iter()
                        .partition(|run| run.panic_at == Some(("consumer".to_string(), late)));
                    assert!(
                        late.len() == 1
                            && late[0].pace == Some((0.125, 8.0))
                            && late[0].capacity.is_none(),
                        "{}: a consumer dies late",
                        exercise.name
                    );
                    // One dies early, with most items still to come.
                    let (early, among): (Vec<&&Settings>, Vec<&&Settings>) = among
                        .into_iter()
                        .partition(|run| run.panic_at == Some(("consumer".to_string(), 1)));
                    assert!(
                        early.len() == 1 && early[0].pace == Some((8.0, 0.125)),
                        "{}: a consumer dies early",
                        exercise.name
                    );
                    assert!(alone.len() == 2 && among.len() == 2, "{}", exercise.name);
                    assert!(among.iter().all(|run| run.consumers > 1
                        && run.panic_at == Some(("consumer".to_string(), 2))));
                    let last = exercise.shape.settings(1).items - 1;
                    let asked = Some(("consumer".to_string(), last));
                    let passed_on = ["pass_it_on", "last_consumer"].contains(&exercise.name);
                    assert_eq!(passes_the_sentinel_on(&exercise), passed_on);
                    assert!(held.len() == usize::from(passed_on), "{}", exercise.name);
                    assert!(
                        held.iter().all(|held| held.capacity == Some(0)
                            && held.panic_at == asked
                            && held.stall == asked),
                        "{}",
                        exercise.name
                    );
                }
            }
        }
        // Where a side is left out, no run plans its panic.
        let sentinel = runs(&named("sentinel").expect("sentinel"));
        assert!(sentinel.iter().all(|run| run.panic_at.is_none()));
    }

    #[test]
    fn the_runs_with_a_long_gap_come_right_after_the_first() {
        for exercise in EXERCISES {
            let runs = runs(&exercise);
            let stalled: Vec<usize> = (0..runs.len())
                .filter(|&n| runs[n].stall.is_some() && runs[n].panic_at.is_none())
                .collect();
            // And where there can be several consumers, consumer 0 alone,
            // unbounded and at capacity 0.
            let several = exercise.shape.consumers.numbered();
            let last = if several { 6 } else { 4 };
            assert_eq!(stalled, (1..=last).collect::<Vec<_>>(), "{}", exercise.name);
            let held_alone: Vec<Option<usize>> = runs[1..=last]
                .iter()
                .filter(|run| {
                    run.stall == Some(("consumer 0".to_string(), 1)) && run.producers == 1
                })
                .map(|run| run.capacity)
                .collect();
            let expected = if several { vec![None, Some(0)] } else { vec![] };
            assert_eq!(held_alone, expected, "{}", exercise.name);
            // The large bound, full, is among them.
            assert!(
                runs[1..=last]
                    .iter()
                    .any(|run| run.capacity == Some(LARGE_BOUND)),
                "{}",
                exercise.name
            );
        }
    }

    #[test]
    fn a_sentinel_made_as_a_value_is_sent_and_one_matched_is_not() {
        let chained = "for m in items.chain(std::iter::once(Message::Sentinel)) { queue.send(m); }";
        assert!(sends(chained, "Sentinel"));
        let bound = "let end = Message::Sentinel; queue.send(end).unwrap();";
        assert!(sends(bound, "Sentinel"));
        for longer_road in [
            "fn end() -> Message { Message::Sentinel } fn producer() { queue.send(end()); }",
            "impl Ends { fn last(&self) -> common::Message { Message::Sentinel } } \
             fn producer() { queue.send(ends.last()).unwrap(); }",
            "const STOP: Message = Message::Sentinel; fn stop() -> Message { STOP } \
             fn producer() { queue.send(stop()); }",
            "let ends = Ends { last: Message::Sentinel, first: 0 }; queue.send(ends.last);",
        ] {
            assert!(sends(longer_road, "Sentinel"), "{longer_road}");
        }
        for only_read in [
            "match queue.recv().unwrap_or(Message::Sentinel) { Message::Sentinel => break, _ => {} }",
            "let end = Message::Sentinel; queue.send(Message::Item(item));",
            "match m { Message::Item(i) => work(i), Message::Sentinel => break }",
            "if let Ok(Message::Sentinel) = queue.recv() { break; }",
            "let Message::Item(item) = m else { break };",
            "if matches!(m, Message::Sentinel) { break; }",
            "if m == Message::Sentinel { break; }",
            "match m { Message::Sentinel | Message::Item(_) => {} }",
            "fn is_end(m: &Message) -> bool { matches!(m, Message::Sentinel) } \
             fn consumer() { queue.send(is_end(&m)); }",
            "struct Ends { last: Message } fn f() { queue.send(Message::Item(i)); }",
            "fn next(q: &Receiver<Message>) -> Message { q.recv().unwrap_or(Message::Sentinel) } \
             fn consumer() { let m = next(&q); if let Message::Item(i) = m { out.send(i); } }",
        ] {
            assert!(!sends(only_read, "Sentinel"), "{only_read}");
        }
    }

    #[test]
    fn a_count_in_a_small_integer_is_found_however_its_type_is_written() {
        for small in [
            "let mut made: u16 = 0;",
            "fn count() -> u8 { 0 }",
            "let n = settings.items as u16;",
            "let seen = Mutex::new(0u16);",
            "static DONE: AtomicU8 = AtomicU8::new(0);",
            "type Count = u16; let mut made: Count = 0;",
            "let counts: HashMap<String, i16> = HashMap::new();",
            "let pair: (u8, bool) = (0, false);",
            "let slots = [0; 4] as [u16; 4];",
            "fn add(n: &mut u16) { *n += 1; }",
        ] {
            assert!(small_counts(small).is_some(), "{small}");
        }
        for fine in [
            "let made: usize = 0;",
            "if n > u16::MAX as usize { }",
            "let u16_count: usize = 0;",
            "let value = item.value; let items: u64 = 3;",
        ] {
            assert_eq!(small_counts(fine), None, "{fine}");
        }
    }

    #[test]
    fn a_sentinel_sent_by_a_longer_road_counts_where_it_is_sent() {
        let exercise = named("barrier").expect("barrier");
        let every = "fn end() -> Message { Message::Sentinel } \
                     fn producer(queue: Sender<Message>) { work(); queue.send(end()).unwrap(); }";
        let said = text_rules(&exercise, every).expect_err("every producer sends one");
        assert!(
            said.contains("every thread that runs `fn producer`"),
            "{said}"
        );
        // `pass_it_on`'s rule, on a consumer that passes the sentinel on
        // to each of the others, from a field.
        let repeated = "fn main() { let ends = Ends { last: Message::Sentinel }; } \
                        fn consumer(ends: &Ends) { for _ in 0..others { queue.send(ends.last.clone()); } }";
        let marked = roads_marked(repeated, "Sentinel");
        assert!(
            threads_of(&marked, "consumer")
                .iter()
                .any(|body| sent_in_a_loop(body, "Sentinel")),
            "{marked}"
        );
    }

    #[test]
    fn a_run_stopped_once_every_thread_was_done_was_only_ending() {
        let ending = Ran {
            stdout: "Producer: Running\nConsumer: Running\nProducer: Done\nConsumer: Done\n".into(),
            ..Ran::default()
        };
        assert!(stopped_while_ending(&ending));
        // A thread still running, an ending seen, a deadlock, or nothing
        // printed at all: a hang, or no hang, but not this.
        let running = Ran {
            stdout: "Producer: Running\nConsumer: Running\nProducer: Done\n".into(),
            ..Ran::default()
        };
        assert!(!stopped_while_ending(&running));
        let ended = Ran {
            status: Some(std::process::ExitStatus::default()),
            ..Ran {
                stdout: ending.stdout.clone(),
                ..Ran::default()
            }
        };
        assert!(!stopped_while_ending(&ended));
        let deadlocked = Ran {
            deadlocked: true,
            stdout: ending.stdout.clone(),
            ..Ran::default()
        };
        assert!(!stopped_while_ending(&deadlocked));
        assert!(!stopped_while_ending(&Ran::default()));
    }

    #[test]
    fn code_in_a_macro_is_not_graded() {
        let hidden = "macro_rules! bump { ($c:expr) => { let n = $c.load(SeqCst); $c.store(n + 1, SeqCst); }; }\n\
                      fn producer() { bump!(done); }";
        let said = read_first(hidden).expect("refused");
        assert!(said.contains("`macro_rules! bump`"), "{said}");
        let pasted = read_first("include!(\"consumer.rs\");").expect("refused");
        assert!(pasted.contains("`include!`"), "{pasted}");
        // The standard library's macros, and names that end in the words,
        // are read as they are.
        let plain =
            "fn main() { println!(\"{}\", x); let my_include = 1; assert!(my_include > 0); }";
        assert_eq!(hides_code_in_macros(plain), None);
    }

    #[test]
    fn a_program_that_reads_how_it_is_graded_is_refused() {
        let faked = "fn main() { let failed = join_all(); \
                     if settings.panic_at.is_some() { std::process::exit(101); } }";
        let said = looks_at_its_grading(faked).expect("refused");
        assert!(said.contains("`panic_at`"), "{said}");
        for aware in [
            "if s.stall.is_some() || s.jitter { wait_longer(); }",
            "let Settings { pace, .. } = &settings;",
            "let again = common::parse::<Settings>(&PROGRAM, std::env::args().skip(1));",
            "if std::env::var(\"GRADING_WAKE_PAUSE\").is_ok() {}",
        ] {
            assert!(looks_at_its_grading(aware).is_some(), "{aware}");
        }
        // Names that only contain the words are not them.
        let plain = "let stalled = 1; let space = 2; let paced_out = 3; let my_panic_at_end = 4;";
        assert_eq!(looks_at_its_grading(plain), None);
    }

    #[test]
    fn a_sentinel_every_producer_sends_is_more_than_one() {
        let every = "fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier) {
            barrier.wait();
            let _ = queue.send(Message::Sentinel);
        }";
        assert!(unconditional(every, "Message::Sentinel"));
        let one = every.replace(
            "barrier.wait();\n            let _ = queue.send(Message::Sentinel);",
            "if barrier.wait().is_leader() { let _ = queue.send(Message::Sentinel); }",
        );
        assert!(!unconditional(&one, "Message::Sentinel"));
        let then = every.replace(
            "barrier.wait();\n            let _ = queue.send(Message::Sentinel);",
            "let _ = barrier.wait().is_leader().then(|| queue.send(Message::Sentinel));",
        );
        assert!(!unconditional(&then, "Message::Sentinel"));
    }

    #[test]
    fn a_consumer_that_dies_among_several_loses_only_the_item_it_died_on() {
        let exercise = named("stop_flag").expect("stop_flag");
        let mut settings = exercise.shape.settings(1);
        settings.items = 4;
        settings.panic_at = Some(("consumer".to_string(), 2));
        let items = crate::item::expected_items(settings.seed, 0, settings.items);
        // Consumer 1 dies on item 2; consumer 0 takes the others, but
        // those in `lost`.
        let run = |lost: &[usize]| {
            let mut out = String::from("Producer: Running\n");
            out.extend((0..settings.consumers).map(|c| format!("Consumer {c}: Running\n")));
            out.extend(
                items
                    .iter()
                    .filter(|item| !lost.contains(&item.i))
                    .map(|item| format!(">consumer 0 got {item}\n")),
            );
            out.push_str("Producer: Done\nConsumer 0: Done\nConsumer 2: Done\n");
            let events = parse_output(&out).expect("lines the checker reads");
            lines_of_a_panicked_run(&exercise, &settings, &events, "consumer 1")
        };
        assert_eq!(run(&[2]), Ok(()));
        let said = run(&[2, 3]).expect_err("an item the others should have taken");
        assert!(said.contains("item (3, "), "{said}");
        // Alone, a consumer that dies leaves every item after it unread.
        settings.consumers = 1;
        let alone = parse_output(&format!(
            "Producer: Running\nConsumer 0: Running\n>consumer 0 got {}\n>consumer 0 got {}\n\
             Producer: Done\n",
            items[0], items[1]
        ))
        .expect("lines the checker reads");
        assert_eq!(
            lines_of_a_panicked_run(&exercise, &settings, &alone, "consumer 0"),
            Ok(())
        );
    }

    #[test]
    fn a_producer_that_goes_on_while_the_buffer_is_full_is_seen() {
        let mut settings = named("bound_it").expect("bound_it").shape.settings(1);
        settings.capacity = Some(1);
        settings.stall = Some(("consumer".to_string(), 2));
        let lines = |made: usize| {
            let mut lines: Vec<String> = (0..3).map(|i| format!("graded: Consumer {i}")).collect();
            lines.extend((0..made).map(|i| format!("graded: Producer {i}")));
            lines.push("graded: Consumer goes on".to_string());
            // What comes after the gap is not counted.
            lines.extend((0..9).map(|i| format!("graded: Producer {i}")));
            lines
        };
        let graded = |settings: &Settings, made| {
            let lines = lines(made);
            waits_for_room(
                settings,
                &lines.iter().map(String::as_str).collect::<Vec<_>>(),
            )
        };
        assert_eq!(graded(&settings, 6), Ok(()));
        let said = graded(&settings, 7).expect_err("4 waiting");
        assert!(
            said.contains("made 7 items and the consumers had taken 3"),
            "{said}"
        );
        settings.capacity = None;
        assert_eq!(graded(&settings, 9), Ok(()));
    }

    #[test]
    fn a_join_unwrapped_before_another_join_ends_the_program_early() {
        let looped = "fn main() { for thread in [consumer, producer] { thread.join().unwrap(); } }";
        assert_eq!(ends_before_the_last_join(looped), Some("main".to_string()));
        let first = "fn main() { consumer.join().expect(\"c\"); let p = producer.join(); }";
        assert_eq!(ends_before_the_last_join(first), Some("main".to_string()));
        let last = "fn main() { let c = consumer.join(); producer.join().unwrap(); }";
        assert_eq!(ends_before_the_last_join(last), None);
        // An exit, a re-raised panic or a `||` after a join skips the rest.
        for early in [
            "fn main() { if producer.join().is_err() || consumer.join().is_err() { exit(101); } }",
            "fn main() { if consumer.join().is_err() { exit(101); } if producer.join().is_err() { exit(101); } }",
            "fn main() { for t in [consumer, producer] { if let Err(p) = t.join() { resume_unwind(p); } } }",
        ] {
            assert_eq!(
                ends_before_the_last_join(early),
                Some("main".to_string()),
                "{early}"
            );
        }
        // A lazy iterator joins as it goes: what stops it early skips the
        // rest.
        for lazy in [
            "fn main() { let failed = [c, p].into_iter().map(|t| t.join()).any(|r| r.is_err()); }",
            "fn main() { let failed = [c, p].into_iter().any(|t| t.join().is_err()); }",
            "fn main() { let all = [c, p].into_iter().map(|t| t.join()).collect::<Result<Vec<_>, _>>(); }",
            "fn main() { let all: Result<Vec<_>, _> = [c, p].into_iter().map(|t| { t.join() }).collect(); }",
            "fn main() { for r in [c, p].into_iter().map(|t| t.join()) { if let Err(e) = r { resume_unwind(e); } } }",
        ] {
            assert_eq!(
                ends_before_the_last_join(lazy),
                Some("main".to_string()),
                "{lazy}"
            );
        }
        for eager in [
            "fn main() { let all: Vec<_> = [c, p].into_iter().map(|t| t.join()).collect(); \
             if let Some(Err(e)) = all.into_iter().find(Result::is_err) { resume_unwind(e); } }",
            "fn main() { let failed = [c, p].into_iter().map(|t| t.join()).collect::<Vec<_>>().iter().any(|r| r.is_err()); }",
            "fn main() { for r in [c, p].into_iter().map(|t| t.join()) { failed |= r.is_err(); } }",
        ] {
            assert_eq!(ends_before_the_last_join(eager), None, "{eager}");
        }
        let all = "fn main() { let c = consumer.join(); let p = producer.join(); \
                   if c.is_err() || p.is_err() { exit(101); } }";
        assert_eq!(ends_before_the_last_join(all), None);
        // A scope joins every thread before it returns, whatever comes first.
        let scoped = "fn main() { thread::scope(|s| { let c = s.spawn(f); let p = s.spawn(g); \
                      if let Err(e) = c.join() { resume_unwind(e); } p.join().unwrap(); }); }";
        assert_eq!(ends_before_the_last_join(scoped), None);
    }
}
