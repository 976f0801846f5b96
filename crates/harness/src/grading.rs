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
    /// by one of them only: it sits under an `if` or a `match`.
    OnlyOne(&'static str, &'static str, &'static str),
    /// This function (as written) never has this code: the text asks for
    /// it elsewhere.
    NotIn(&'static str, &'static str, &'static str),
}

/// Every exercise, in the book's order.
pub const EXERCISES: [Exercise; 12] = [
    Exercise {
        name: "borrow",
        shape: ONE_ONE,
        chapter: "threads-and-channels.md",
        fails_with: "does not compile",
        panic_at: None,
        practises: "scoped threads that borrow from `main`",
        level: 1,
        rules: &[
            Rule::Never(
                "settings.clone()",
                "without cloning the settings into each thread",
            ),
            Rule::Never("to_owned(", "without cloning the settings into each thread"),
            Rule::Never(
                "Clone::clone(",
                "without cloning the settings into each thread",
            ),
            Rule::Never("unsafe", "without `unsafe`"),
        ],
    },
    Exercise {
        name: "sentinel",
        shape: ONE_ONE,
        chapter: "one-one.md",
        fails_with: "hung for",
        panic_at: None,
        practises: "ending a consumer with a sentinel",
        level: 1,
        rules: &[],
    },
    Exercise {
        name: "empty_is_not_the_end",
        shape: ONE_ONE,
        chapter: "one-one.md",
        fails_with: "was never consumed",
        panic_at: None,
        practises: "waiting in `recv`, not polling with `try_recv`",
        level: 1,
        rules: &[],
    },
    Exercise {
        name: "barrier",
        shape: MANY_ONE,
        chapter: "many-one.md",
        fails_with: "was never consumed",
        panic_at: None,
        practises: "a barrier before the one sentinel",
        level: 2,
        rules: &[
            Rule::OnlyOne(
                "producer",
                "Message::Sentinel",
                "one sentinel, sent by one producer",
            ),
            Rule::NotIn("main", "Sentinel", "one sentinel, sent by one producer"),
        ],
    },
    Exercise {
        name: "pass_it_on",
        shape: ONE_MANY,
        chapter: "one-many.md",
        fails_with: "hung for",
        panic_at: None,
        practises: "passing the sentinel on between consumers",
        level: 2,
        rules: &[
            Rule::Unchanged("producer", "leaving the producer as it is"),
            Rule::NotIn("main", "Sentinel", "the one sentinel the producer sends"),
        ],
    },
    Exercise {
        name: "last_consumer",
        shape: MANY_MANY,
        chapter: "many-many.md",
        fails_with: "hung for",
        panic_at: None,
        practises: "who may still receive at capacity 0",
        level: 3,
        rules: &[
            Rule::Unchanged("producer", "keeping the producers as they are"),
            Rule::NotIn("main", "Sentinel", "the one sentinel, passed on"),
        ],
    },
    Exercise {
        name: "count_sentinels",
        shape: COUNTING_SENTINELS,
        chapter: "counting-sentinels.md",
        fails_with: "was never consumed",
        // A producer that dies sends no sentinel: its hint asks what then.
        panic_at: Some(("producer 1", 2)),
        practises: "counting one sentinel per producer",
        level: 2,
        rules: &[Rule::Unchanged(
            "producer",
            "without changing the producers",
        )],
    },
    Exercise {
        name: "stop_flag",
        shape: EVENT_TIMEOUT,
        chapter: "event-timeout.md",
        fails_with: "was never consumed",
        panic_at: None,
        practises: "a stop flag that loses no item",
        level: 3,
        rules: &[],
    },
    Exercise {
        name: "drop_the_sender",
        shape: DISCONNECT,
        chapter: "disconnect.md",
        fails_with: "hung for",
        panic_at: None,
        practises: "ending by disconnection: every sender dropped",
        level: 2,
        rules: &[
            Rule::Never("Sentinel", "without adding a sentinel"),
            Rule::Unchanged("consumer", "without changing the consumers"),
        ],
    },
    Exercise {
        name: "rendezvous",
        shape: ONE_ONE,
        chapter: "backpressure.md",
        fails_with: "hung for",
        panic_at: None,
        practises: "a bounded buffer needs its consumer running",
        level: 2,
        rules: &[],
    },
    Exercise {
        name: "bound_it",
        shape: ONE_ONE,
        chapter: "backpressure.md",
        fails_with: "more items than its capacity",
        panic_at: None,
        practises: "keeping the bound `--capacity` asks for",
        level: 1,
        rules: &[],
    },
    Exercise {
        name: "swallowed_panic",
        shape: ONE_ONE,
        chapter: "consumer-panic.md",
        fails_with: "the panic was swallowed",
        panic_at: Some(("consumer", 3)),
        practises: "reporting a thread's panic in the exit code",
        level: 2,
        rules: &[],
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
    let errors = String::from_utf8_lossy(&output.stderr);
    let first: Vec<&str> = errors
        .lines()
        .skip_while(|line| !line.starts_with("error"))
        .take_while(|line| !line.is_empty())
        .collect();
    // cargo names files from `exercises/`; the learner is at the root.
    let first: Vec<String> = first
        .iter()
        .map(|line| match line.split_once("--> ") {
            Some((arrow, path)) if !path.starts_with('/') => {
                format!("{arrow}--> exercises/{path}")
            }
            _ => (*line).to_string(),
        })
        .collect();
    Err(format!(
        "{} does not compile: see the first error\n\n{}",
        exercise.name,
        first.join("\n")
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
/// - a buffer with room for every item and no more, and two stall runs:
///   one producer, or every consumer, stops for longer than any wait the
///   file names ([`grade_file`] sets how long).
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
    for pace in [(1.0, 1.0), (8.0, 0.125), (0.125, 8.0)] {
        for capacity in [None, Some(0), Some(1)] {
            runs.push(run(4, 0.02, capacity, Some(pace), false));
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
        // Many slow consumers, no buffer: a message handed from one to the
        // next finds them all busy, tens of milliseconds more.
        if consumers.numbered() {
            let mut settings = run(13, 0.05, Some(0), Some((0.125, 8.0)), false);
            settings.consumers = 6;
            runs.push(settings);
        }
    }
    // A buffer with room for every item, and none to spare: a sentinel
    // after the items waits for room.
    let items = exercise.shape.settings(1).items;
    for seed in [16, 17] {
        runs.push(run(seed, 0.002, Some(items), None, false));
    }
    // One long gap, on each side: a producer that stops before an item,
    // a consumer that stops on one. A program that takes a timeout for
    // the end of the stream, or gives up a send after one, shows it once
    // the gap is longer than its timeout ([`hold`] makes it so).
    let middle = exercise.shape.settings(1).items / 2;
    // One producer of several stops (the others go on, and one that waits
    // for them with a timeout shows it); every consumer stops.
    let one_producer = if exercise.shape.producers.numbered() {
        "producer 1"
    } else {
        "producer"
    };
    for (seed, who, capacity) in [(14, one_producer, None), (15, "consumer", Some(1))] {
        let mut settings = run(seed, 0.002, capacity, None, false);
        settings.stall = Some((who.to_string(), middle));
        runs.push(settings);
    }
    if let Some((who, i)) = exercise.panic_at {
        // The other side panics too: a program that reports only its
        // consumer's panic, or joins one thread and not the other, shows.
        let other = if who.starts_with("consumer") {
            "producer"
        } else {
            "consumer"
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
        for (n, settings) in runs[..planned].iter_mut().enumerate() {
            settings.panic_at = plan[n % plan.len()].map(|(who, i)| (who.to_string(), i));
        }
    }
    runs
}

/// How long run `settings` may print nothing before it counts as hung:
/// [`QUIET_BOUND`], and twice the longest an item's work may take in it
/// (a stall's gap is not counted: grading bounds it apart).
pub fn quiet_bound(settings: &Settings) -> Duration {
    let pace = settings.pace.map_or(1.0, |(p, c)| p.max(c));
    let jitter = if settings.jitter { 2.0 } else { 1.0 };
    QUIET_BOUND + Duration::from_secs_f64(2.0 * settings.time_scale * pace * jitter)
}

/// The shortest and the longest gap of a stall run, in seconds.
const MIN_STALL: f64 = 0.3;
const MAX_STALL: f64 = 31.0;

/// How long grading holds the stalled thread of run `settings`, a run of
/// the file `source`, while another thread of the run still waits on a
/// timer or runs (one that waits for another thread only, with no
/// timeout, cannot act before the gap ends, and the gap ends as soon as
/// every thread does so: [`Stall`]):
///
/// - a consumer's gap, [`MAX_STALL`]: a producer that gives an item up
///   after tries and waits of any length, in all up to that, shows it;
/// - a producer's gap, [`stall_for`]: a consumer that polls with a
///   timeout, as a flag needs, waits that long and no longer.
fn hold(settings: &Settings, source: &str) -> Duration {
    match &settings.stall {
        Some((who, _)) if who.starts_with("consumer") => Duration::from_secs_f64(MAX_STALL),
        _ => Duration::from_secs_f64(stall_for(source)),
    }
}

/// A producer's gap, for the file `source`: half as long again as the
/// longest wait the file names (`Duration::from_millis(50)`, ...), and at
/// least [`MIN_STALL`], at most [`MAX_STALL`], which it is if a wait is
/// computed, not written. Whatever timeout shorter than that the file
/// takes for the end, the gap is longer.
fn stall_for(source: &str) -> f64 {
    const UNITS: [(&str, f64); 6] = [
        ("from_secs(", 1.0),
        ("from_secs_f64(", 1.0),
        ("from_secs_f32(", 1.0),
        ("from_millis(", 1e-3),
        ("from_micros(", 1e-6),
        ("from_nanos(", 1e-9),
    ];
    let mut longest: f64 = 0.0;
    for (call, unit) in UNITS {
        for (at, _) in source.match_indices(call) {
            let argument = source[at + call.len()..]
                .split(')')
                .next()
                .unwrap_or_default();
            let argument = argument.trim();
            let number: String = argument
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
                .collect();
            // A number, with at most a type's suffix (`500u64`, `0.5_f64`).
            let suffix = argument[number.len()..].trim_start_matches('_');
            let written = suffix.is_empty() || suffix.starts_with(['u', 'i', 'f']);
            match number.replace('_', "").parse::<f64>() {
                Ok(value) if written => longest = longest.max(value * unit),
                _ => return MAX_STALL,
            }
        }
    }
    if source.contains("Duration::new(") {
        return MAX_STALL;
    }
    (1.5 * longest + 0.1).clamp(MIN_STALL, MAX_STALL)
}

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
    /// (for a learner; the corpus's test needs only the verdict).
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
    if let Some(race) = races_in(&mine) {
        return Err(race);
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
                    if let Err(what) =
                        run_once(exercise, exe, settings, &args, hold(settings, &mine))
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
        text_rules(exercise, &mine)?;
        return Ok(all.len());
    };
    if !repeat.retry {
        return Err(what);
    }
    let settings = &all[n];
    let args = exercise.shape.args(settings).join(" ");
    let mut again = format!(
        "cargo run --manifest-path {} --bin {} -- {args}",
        repeat.manifest, repeat.bin
    );
    if settings.stall.is_some() {
        again.push_str("\n  (its stalled thread goes on when you press Enter)");
    }
    // At once, so that a hang costs one quiet bound more, not four.
    let tries = AT_ONCE;
    let passed = thread::scope(|scope| {
        let retried: Vec<_> = (0..tries)
            .map(|_| {
                scope.spawn(|| {
                    let args = exercise.shape.args(settings);
                    run_once(exercise, exe, settings, &args, hold(settings, &mine))
                })
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

/// One run of `exe` with the command line `flags`, checked as grading
/// checks each of its runs.
pub fn run_with(exercise: &Exercise, exe: &Path, flags: &[String]) -> Result<(), String> {
    let settings = crate::settings::parse(&exercise.shape, flags.iter().map(String::as_str))?;
    // Repeated until it fails: a gap as long as any.
    run_once(
        exercise,
        exe,
        &settings,
        flags,
        Duration::from_secs_f64(MAX_STALL),
    )
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

/// The function `name` of a file, white space squeezed; `None` if it has
/// none.
fn function(source: &str, name: &str) -> Option<String> {
    let start = source.find(&format!("fn {name}("))?;
    let body = &source[start..];
    let mut depth = 0;
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => {
                let text = &body[..=at];
                return Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Every function of a file: its name and its text, white space squeezed,
/// with each call of another function of the file preceded by that
/// function's body (twice over, for a helper's helper): a race hidden in
/// a helper is still in the order of the looks. A helper's own `return`
/// and `break` end only the helper, and are renamed.
fn functions(source: &str) -> Vec<(String, String)> {
    let plain = plain_functions(source);
    plain
        .iter()
        .map(|(name, body)| (name.clone(), with_helpers(name, body, &plain, 2)))
        .collect()
}

/// `body` (of function `name`) with each call of another of `helpers`
/// preceded by that helper's body (its own helpers' too, `depth` deep),
/// its `return` and `break` renamed.
fn with_helpers(name: &str, body: &str, helpers: &[(String, String)], depth: usize) -> String {
    let mut text = body.to_string();
    for (helper, helper_body) in helpers {
        if helper == name || depth == 0 {
            continue;
        }
        let helper_body = with_helpers(helper, helper_body, helpers, depth - 1);
        let (Some(open), Some(close)) = (helper_body.find('{'), helper_body.rfind('}')) else {
            continue;
        };
        let inner = helper_body[open + 1..close]
            .replace("return", "returns_from_helper")
            .replace("break", "breaks_in_helper");
        let call = format!("{helper}(");
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&call) {
            let before = &rest[..at];
            // A method of the file's own counts too, but not one that
            // shares its name with the channel's or the atomics'.
            let method = before.ends_with('.');
            let is_call = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                && !before.ends_with("fn ")
                && (!method || !SHARED_NAMES.contains(&helper.as_str()));
            out.push_str(before);
            if is_call {
                out.push_str(&inner);
                out.push(' ');
            }
            out.push_str(&call);
            rest = &rest[at + call.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// Method names a file's own method may share with the channel's, the
/// atomics' or the standard library's: a call of one is not expanded.
const SHARED_NAMES: [&str; 20] = [
    "send",
    "recv",
    "try_recv",
    "recv_timeout",
    "load",
    "store",
    "swap",
    "lock",
    "wait",
    "join",
    "clone",
    "len",
    "is_empty",
    "iter",
    "drain",
    "new",
    "default",
    "fmt",
    "drop",
    "main",
];

/// Every function of a file, as it is written.
fn plain_functions(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = source[at..].find("fn ").map(|i| at + i) {
        at = start + 3;
        let name: String = source[start + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if let Some(body) = function(&source[start..], &name) {
            found.push((name, body));
        }
    }
    // Closures bound to a name are helpers too: `let done = || ..;`.
    let squeezed = source.split_whitespace().collect::<Vec<_>>().join(" ");
    for (at, _) in squeezed.match_indices("let ") {
        let rest = &squeezed[at + 4..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(closure) = rest[name.len()..]
            .strip_prefix(" = |")
            .or_else(|| rest[name.len()..].strip_prefix(" = move |"))
        else {
            continue;
        };
        let mut depth = 0i32;
        let end = closure
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' | '{' | '[' => 1,
                    ')' | '}' | ']' => -1,
                    _ => 0,
                };
                c == ';' && depth == 0
            })
            .map_or(closure.len(), |(i, _)| i);
        found.push((
            name.clone(),
            format!("fn {name}() {{ {} }}", &closure[..end]),
        ));
    }
    found
}

/// The name a method is called on, ending at byte `dot` of `text`:
/// `stop` for `stop.load(`.
fn called_on(text: &str, dot: usize) -> String {
    let reversed: String = text[..dot]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    reversed.chars().rev().collect()
}

/// Whether `code` appears in the function `body` outside any block of
/// its own: every call of the function runs it.
fn unconditional(body: &str, code: &str) -> bool {
    // What in a statement makes its end depend on a condition, without a
    // block: `cond.then(|| ..)`, `a && b`.
    const CONDITIONS: [&str; 7] = [
        "if ",
        "match ",
        ".then(",
        ".then_some(",
        "&&",
        "||",
        ".filter(",
    ];
    let mut depth = 0;
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth == 1 && body[at..].starts_with(code) => {
                let statement = body[..at]
                    .rsplit([';', '{', '}'])
                    .next()
                    .unwrap_or_default();
                if !CONDITIONS
                    .iter()
                    .any(|condition| statement.contains(condition))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// An atomic that one function both changes and reads (or changes) again
/// in another step: `n.load(..)` then `n.store(..)`, or `n.fetch_add(..)`
/// then `n.load(..)`. Another thread can come in between: two threads
/// that read the same count both store the same next one, and one update
/// is lost. Such a race shows in one run in a million, so grading looks
/// for its shape in the file, whatever the runs show.
fn two_step_update(source: &str) -> Option<String> {
    const WRITES: [&str; 5] = [
        ".store(",
        ".fetch_",
        ".swap(",
        ".compare_exchange",
        ".fetch_update(",
    ];
    // As written: `main` calls the thread functions, and its own reads
    // of a count after them are no race.
    for (name, body) in plain_functions(source) {
        // Each name an access is made through, with how many reads and
        // writes this function makes of it.
        let mut seen: Vec<(String, usize, usize)> = Vec::new();
        for (index, _) in body.match_indices('.') {
            let rest = &body[index..];
            // Raising or lowering a flag writes no value read before: no
            // update can be lost.
            let flag = rest.starts_with(".store(true") || rest.starts_with(".store(false");
            let write = WRITES.iter().any(|w| rest.starts_with(w)) && !flag;
            let read = rest.starts_with(".load(");
            if !(write || read) {
                continue;
            }
            let target = called_on(&body, index);
            match seen.iter_mut().find(|(t, _, _)| *t == target) {
                Some(entry) => {
                    entry.1 += usize::from(read);
                    entry.2 += usize::from(write);
                }
                None => seen.push((target, usize::from(read), usize::from(write))),
            }
        }
        // A value behind a lock, copied out under one lock (`let n =
        // *count.lock()..`) and written under another (`*count.lock().. =
        // n + 1`), outside `main`.
        let mut copied = Vec::new();
        let mut written = Vec::new();
        for (at, _) in body.match_indices(".lock()") {
            let target = called_on(&body, at);
            let start = body[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
            let end = body[at..].find(';').map_or(body.len(), |i| at + i);
            let statement = body[start..end].trim();
            let after = &body[at..end];
            if statement.starts_with('*')
                && [" = ", " += ", " -= "].iter().any(|op| after.contains(op))
            {
                written.push(target);
            } else if statement.contains(&format!("= *{target}.lock()")) {
                copied.push(target);
            }
        }
        if name != "main"
            && let Some(target) = copied.iter().find(|target| written.contains(target))
        {
            return Some(format!(
                "`fn {name}` copies `{target}` out under one lock and writes it under \
                 another: what it copied may have changed in between, and another thread's \
                 update is lost (a race that shows once in many runs). Read and change it \
                 under one lock"
            ));
        }
        if let Some((target, _, _)) = seen
            .iter()
            .find(|(_, reads, writes)| *writes >= 1 && reads + writes >= 2)
        {
            return Some(format!(
                "`fn {name}` reads and changes the atomic `{target}` in separate steps: another \
                 thread can come in between, and an update is lost (a race that shows once in \
                 many runs). Make it one step, such as `{target}.fetch_add(1, ..)`, and use the \
                 value it returns"
            ));
        }
    }
    None
}

/// Looks that say whether more can come: a flag, or the senders.
const MORE_LOOKS: [&str; 3] = [".load(", ".sender_count()", ".is_disconnected()"];

/// Looks into the buffer: taking from it, or asking if it is empty.
const BUFFER_LOOKS: [&str; 7] = [
    "recv",
    ".try_iter()",
    ".drain()",
    ".iter()",
    ".is_empty()",
    ".len()",
    "select",
];

/// What a look at whether more can come, found at byte `at` of `body`,
/// looks at, in words: "the flag `stop`", "the senders".
fn more_look(body: &str, at: usize) -> (String, String) {
    let on = called_on(body, at);
    if body[at..].starts_with(".load(") {
        (format!("`{on}.load(..)`"), format!("the flag `{on}`"))
    } else if body[at..].starts_with(".lock()") {
        (format!("`{on}.lock()`"), format!("the flag `{on}`"))
    } else {
        let call = MORE_LOOKS
            .iter()
            .find(|look| body[at..].starts_with(*look))
            .unwrap_or(&MORE_LOOKS[1]);
        (format!("`{on}{call}`"), "the senders".to_string())
    }
}

/// Whether every raise of `flag` in the file comes after a look into the
/// buffer in its block (`for item in queue.try_iter() {..}
/// drained.store(true, ..)`): such a flag says the buffer was found empty
/// once nothing more could come, and a stop on it needs no look after.
fn certifies_empty(source: &str, flag: &str) -> bool {
    let raise = format!("{flag}.store(true");
    let raises: Vec<bool> = functions(source)
        .iter()
        .flat_map(|(_, body)| {
            body.match_indices(&raise)
                .map(|(at, _)| {
                    let block = branch_opener(body, at);
                    [".try_iter()", ".drain()", ".is_empty()", "try_recv"]
                        .iter()
                        .any(|look| body[block..at].contains(look))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    !raises.is_empty() && raises.iter().all(|&after_a_look| after_a_look)
}

/// Where the block that holds byte `at` of `body` opens.
fn branch_opener(body: &str, at: usize) -> usize {
    let mut depth = 0;
    for (i, c) in body[..at].char_indices().rev() {
        match c {
            '}' => depth += 1,
            '{' if depth == 0 => return i,
            '{' => depth -= 1,
            _ => {}
        }
    }
    0
}

/// A consumer that decides to stop in the wrong order. It must first see
/// that nothing more can come (the flag up, no sender left), and only then
/// find the buffer empty. Looking at the buffer first, or stopping on the
/// flag without looking at the buffer again after it, leaves a gap: the
/// producer sends its last item and raises the flag in between, and the
/// consumer stops with that item unread. The gap is a few instructions
/// wide, and no pace of the runs widens it, so grading looks for these
/// shapes in the file.
fn stops_in_the_wrong_order(source: &str) -> Option<String> {
    for (name, body) in functions(source) {
        // The buffer first, then whether more can come, in one condition,
        // or in `let` statements before the block they decide.
        let empties = [".is_empty()", ".len() == 0", ".len() < 1"];
        for (at, look) in empties.iter().flat_map(|e| body.match_indices(e)) {
            let condition = &body[at..];
            let statement = body[..at]
                .rsplit(['{', '}', ';'])
                .next()
                .unwrap_or_default();
            let ends: &[&str] = if statement.trim_start().starts_with("let ") {
                &["{", "=>"]
            } else {
                &["{", ";", "=>"]
            };
            let end = ends
                .iter()
                .filter_map(|stop| condition.find(stop))
                .min()
                .unwrap_or(condition.len());
            if let Some(more) = MORE_LOOKS
                .iter()
                .chain(&[".lock()"])
                .filter_map(|look| condition[..end].find(look))
                .min()
            {
                let (call, what) = more_look(&body, at + more);
                let buffer = called_on(&body, at);
                return Some(format!(
                    "`fn {name}` looks at the buffer (`{buffer}{look}`) before it looks at \
                     {what} ({call}): the producer can send its last item and be done between \
                     the two looks, and the consumer then stops with that item unread (a race \
                     that shows once in many runs). Look at {what} first: once nothing more can \
                     come, an empty buffer means the end"
                ));
            }
        }
        if !body.contains("recv") && !body.contains(".try_iter()") {
            continue;
        }
        // Whether more can come, then a stop, with no look at the buffer
        // in between.
        for look in MORE_LOOKS {
            for (at, _) in body.match_indices(look) {
                let after = &body[at + look.len()..];
                let mut depth = 0i32;
                let mut stop = None;
                for (i, c) in after.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ';' if depth == 0 => break,
                        _ => {}
                    }
                    if depth < 0 {
                        break;
                    }
                    let word = |w: &str| {
                        after[i..].starts_with(w)
                            && !after[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    };
                    if word("break") || word("return") {
                        stop = Some(i);
                        break;
                    }
                }
                let Some(stop) = stop else { continue };
                if BUFFER_LOOKS.iter().any(|b| after[..stop].contains(b))
                    || certifies_empty(source, &called_on(&body, at))
                {
                    continue;
                }
                let (call, what) = more_look(&body, at);
                return Some(format!(
                    "`fn {name}` stops when it sees {call} without looking at the buffer after \
                     it: its last look at the buffer came before, and the producer can send its \
                     last item and be done in between, so the consumer stops with that item \
                     unread (a race that shows once in many runs). Once {what} says nothing more \
                     comes, take what is left (`try_recv` or `try_iter`) before stopping"
                ));
            }
        }
    }
    None
}

/// A producer that decides from the number of senders whether it is the
/// last: two that finish together each see the other's sender, and
/// neither sends the sentinel (or both do).
fn decides_from_sender_count(source: &str) -> Option<String> {
    functions(source)
        .into_iter()
        .find(|(_, body)| {
            body.contains(".send(") && !body.contains("recv") && body.contains(".sender_count()")
        })
        .map(|(name, body)| {
            let at = body.find(".sender_count()").unwrap_or_default();
            let queue = called_on(&body, at);
            format!(
                "`fn {name}` decides from `{queue}.sender_count()` what to send: the count is \
                 how many senders there were when it looked, and two producers that finish \
                 together each see the other's, so neither acts as the last (or both do): a \
                 race that shows once in many runs. Let one step decide, such as a barrier's \
                 leader (`barrier.wait().is_leader()`) or a count changed and read at once \
                 (`fetch_sub`)"
            )
        })
}

/// A flag raised or read with `Ordering::Relaxed`: it orders nothing else,
/// so a consumer that sees it up is not promised the items sent before it
/// went up. No run on this machine shows it; the memory model allows it.
fn relaxed_flag(source: &str) -> Option<String> {
    for (name, body) in functions(source) {
        for (at, _) in body
            .match_indices(".store(")
            .chain(body.match_indices(".load("))
        {
            let flag = called_on(&body, at);
            let call = &body[at..];
            let call = &call[..call.find(')').unwrap_or(call.len())];
            let is_flag = source.contains(&format!("{flag}.store(true"))
                || source.contains(&format!("{flag}.store(false"));
            // The ordering may be named elsewhere: `const ORDER: Ordering = Relaxed`.
            let ordering = call.rsplit([',', '(']).next().unwrap_or_default().trim();
            let named = ordering.rsplit("::").next().unwrap_or_default();
            let relaxed = call.contains("Relaxed")
                || (!named.is_empty()
                    && source.split([';', '\n']).any(|line| {
                        (line.contains(&format!("const {named}"))
                            || line.contains(&format!("let {named}")))
                            && line.contains("Relaxed")
                    }));
            if is_flag && relaxed {
                return Some(format!(
                    "`fn {name}` raises or reads the flag `{flag}` with `Ordering::Relaxed`, \
                     which orders nothing else: a thread that sees the flag up is not promised \
                     to see what was sent before it went up. Raise it with `Release` and read \
                     it with `Acquire` (or use `SeqCst`)"
                ));
            }
        }
    }
    // A count changed with `Relaxed` (`fetch_add(1, Relaxed)`) that another
    // thread reads to decide is a flag too.
    let functions = plain_functions(source);
    for (name, body) in &functions {
        for write in [".fetch_", ".swap(", ".compare_exchange", ".store("] {
            for (at, _) in body.match_indices(write) {
                let call = &body[at..];
                let call = &call[..call.find(')').unwrap_or(call.len())];
                let target = called_on(body, at);
                let read_elsewhere = functions.iter().any(|(other, text)| {
                    other != name && other != "main" && text.contains(&format!("{target}.load("))
                });
                if call.contains("Relaxed") && read_elsewhere {
                    return Some(format!(
                        "`fn {name}` changes `{target}` with `Ordering::Relaxed`, and another \
                         thread reads it to decide: `Relaxed` orders nothing else, so a thread \
                         that sees the change is not promised to see what was sent before it. \
                         Change it with `Release` (or `AcqRel`) and read it with `Acquire`"
                    ));
                }
            }
        }
    }
    None
}

/// The arm of a `match` that starts at byte `at` of `body` (its pattern):
/// the pattern and guard, and what follows the `=>`, to the arm's end.
fn arm_at(body: &str, at: usize) -> Option<(&str, &str)> {
    let arrow = at + body[at..].find("=>")?;
    let head = &body[at..arrow];
    if head.contains(['{', ';']) {
        return None;
    }
    let rest = &body[arrow + 2..];
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' | ',' if depth == 0 => return Some((head, &rest[..i])),
            '}' | ')' => {
                depth -= 1;
                if depth == 0 && rest.trim_start().starts_with('{') && c == '}' {
                    return Some((head, &rest[..=i]));
                }
            }
            _ => {}
        }
    }
    Some((head, rest))
}

/// A consumer that stops when a wait timed out, or a poll found the
/// buffer empty, with no look at whether more can come: a timeout says
/// nothing came for a while, not that nothing more will. The stall runs
/// show it for a timeout shorter than the stall; counting timeouts, or
/// a long one, does not hide it here.
fn stops_on_a_timeout(source: &str) -> Option<String> {
    for (name, body) in functions(source) {
        if !body.contains("recv_timeout") && !body.contains("try_recv") {
            continue;
        }
        for token in ["Timeout", "Empty"] {
            for (at, _) in body.match_indices(token) {
                let start = body[..at].rfind([',', '{', '}']).map_or(0, |i| i + 1);
                let Some((head, arm)) = arm_at(&body, start) else {
                    continue;
                };
                if head.contains("Disconnected") || !head.contains(token) {
                    continue;
                }
                let said = |text: &str| {
                    MORE_LOOKS.iter().any(|look| text.contains(look)) || text.contains("Sentinel")
                };
                let stops = ["break", "return"].iter().any(|w| {
                    arm.match_indices(w).any(|(i, _)| {
                        !arm[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                            && !arm[i + w.len()..]
                                .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
                });
                // A match under a look at the flag (its arm, or its `if`)
                // has looked already.
                let before = body[..start].rfind("match ").map_or("", |m| {
                    let from = body[..m].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                    &body[from..m]
                });
                if stops && !said(head) && !said(arm) && !said(before) {
                    return Some(format!(
                        "`fn {name}` stops when a wait finds nothing (`{}`), with no look at \
                         whether more can come: a timeout says nothing came for a while, not \
                         that nothing more will, and a slow producer's next item is lost \
                         however long the wait or however many. Stop on what says the end: \
                         a sentinel, a closed channel, or a flag raised after the last send",
                        head.trim()
                    ));
                }
            }
        }
    }
    None
}

/// What leads to byte `at` of `body`: the head of the block it is in
/// (`Err(TryRecvError::Disconnected) => {`, `} else {`), or of the arm
/// (`Message::Sentinel =>`), and the statement up to it.
fn branch_of(body: &str, at: usize) -> &str {
    let opener = branch_opener(body, at);
    let head = body[..opener]
        .rfind([';', '{', '}', ','])
        .map_or(0, |i| i + 1);
    // From the block's head, or from the arm's start if it has no block.
    let arm = body[..at].rfind([';', '{', '}', ',']).map_or(0, |i| i + 1);
    if arm > opener {
        &body[arm..at]
    } else {
        &body[head..at]
    }
}

/// A polling loop that ends on a count of its own: `while misses < 3000`,
/// where `misses` grows when a poll finds nothing. However high the count,
/// a slow producer's next item comes after it.
fn ends_on_a_count(source: &str) -> Option<String> {
    let ends = |text: &str| {
        MORE_LOOKS.iter().any(|look| text.contains(look))
            || [
                "Disconnected",
                "Sentinel",
                ".recv()",
                ".is_empty()",
                ".len()",
            ]
            .iter()
            .any(|end| text.contains(end))
    };
    for (name, body) in functions(source) {
        if !body.contains("try_recv") && !body.contains("recv_timeout") {
            continue;
        }
        for (at, _) in body.match_indices("while ") {
            let head = &body[at + "while ".len()..];
            let condition = &head[..head.find('{').unwrap_or(head.len())];
            if condition.starts_with("let ") || ends(condition) {
                continue;
            }
            // Each variable of the condition, and whether some change of
            // it follows a look that says the end.
            let counted = condition
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|word| word.starts_with(|c: char| c.is_alphabetic() || c == '_'))
                .find(|word| {
                    let changes: Vec<usize> = [" = ", " += ", " -= "]
                        .iter()
                        .flat_map(|op| {
                            let change = format!("{word}{op}");
                            body.match_indices(&change)
                                .map(|(i, _)| i)
                                .collect::<Vec<_>>()
                        })
                        .filter(|&i| i > at)
                        .collect();
                    !changes.is_empty() && !changes.iter().any(|&i| ends(branch_of(&body, i)))
                });
            if counted.is_some() {
                return Some(format!(
                    "`fn {name}` polls until `{}` says stop, a count of its own: polls that \
                     found nothing say nothing came for a while, not that nothing more will, \
                     and a slow producer's next item is lost however high the count. End the \
                     loop on what says the end: a sentinel, a closed channel, or a flag raised \
                     after the last send",
                    condition.trim()
                ));
            }
        }
    }
    None
}

/// A decision made by the clock: whether a stream has ended, or a thread
/// is done, is never a matter of time. A slow producer, or a machine that
/// stalls, outlasts any deadline, however long.
fn decides_by_the_clock(source: &str) -> Option<String> {
    const CLOCKS: [&str; 6] = [
        "Instant::now()",
        ".elapsed()",
        "SystemTime",
        "_deadline(",
        ".is_finished()",
        "park_timeout(",
    ];
    let clock = CLOCKS.iter().find(|clock| source.contains(*clock))?;
    let name = plain_functions(source)
        .into_iter()
        .find(|(_, body)| body.contains(clock))
        .map_or_else(
            || "the file".to_string(),
            |(name, _)| format!("`fn {name}`"),
        );
    Some(format!(
        "{name} decides by the clock (`{}`): whether a stream has ended, or a thread is \
         done, is never a matter of time, since a slow producer, or a machine that stalls, \
         outlasts any deadline. End on a sentinel, a closed channel, a flag raised after the \
         last send, or a join",
        clock.trim_matches(['.', '_', '('])
    ))
}

/// A sentinel handed on with a timeout, and let go when no one takes it in
/// time: at capacity 0, when every other consumer is busy for longer, it
/// is lost, and they wait for ever.
fn sentinel_let_go(source: &str) -> Option<String> {
    for (name, body) in plain_functions(source) {
        // A `Selector` that sends the sentinel and waits with a timeout.
        if body.contains("Selector")
            && body.contains("Sentinel")
            && ["wait_timeout(", "wait_deadline("]
                .iter()
                .any(|w| body.contains(w))
        {
            return Some(format!(
                "`fn {name}` hands the sentinel on through a `Selector` that gives up after a \
                 timeout: when every other consumer is busy for longer, the sentinel is lost \
                 and they wait for ever. A sentinel must arrive: `send` it"
            ));
        }
        for call in [".send_timeout(", ".try_send(", ".send_deadline("] {
            for (at, _) in body.match_indices(call) {
                let sent = body[at + call.len()..]
                    .split(')')
                    .next()
                    .unwrap_or_default();
                let statement = body[..at]
                    .rsplit([';', '{', '}'])
                    .next()
                    .unwrap_or_default();
                let answered = ["match ", "if let", "while let", "loop"]
                    .iter()
                    .any(|kept| statement.contains(kept));
                if sent.contains("Sentinel") && !answered {
                    return Some(format!(
                        "`fn {name}` hands the sentinel on with `{}` and lets it go when \
                         no one takes it in time: when every other consumer is busy for longer \
                         (at capacity 0, or with a full buffer), the sentinel is lost and they \
                         wait for ever. A sentinel must arrive: `send` it",
                        &call[1..call.len() - 1]
                    ));
                }
            }
        }
    }
    None
}

/// A send that gives its item up while the buffer is still full: a
/// `match` on `try_send` (or `send_timeout`, `send_deadline`) whose retry
/// arm holds only while a guard does (`Full(item) if tries < 1000`), so
/// that past it the item falls to an arm that lets it go. However many
/// tries, a consumer can be busy for longer; the stall runs show a give-up
/// within half a minute, and this shape one that takes longer.
fn gives_up_a_send(source: &str) -> Option<String> {
    for (name, body) in plain_functions(source) {
        for (at, _) in body.match_indices("match ") {
            let Some(open) = body[at..].find('{').map(|i| at + i) else {
                continue;
            };
            let scrutinee = &body[at..open];
            let Some(call) = [".try_send(", ".send_timeout(", ".send_deadline("]
                .into_iter()
                .find(|call| scrutinee.contains(call))
            else {
                continue;
            };
            // The match's block, to its closing brace.
            let mut depth = 0;
            let close = body[open..]
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(body.len(), |(i, _)| open + i);
            let block = &body[open + 1..close];
            for (arrow, _) in block.match_indices("=>") {
                let arm = block[..arrow]
                    .rsplit([',', '{', '}'])
                    .next()
                    .unwrap_or_default();
                let Some((pattern, guard)) = arm.split_once(" if ") else {
                    continue;
                };
                let retries = ["Full", "Timeout", "Err("]
                    .iter()
                    .any(|failure| pattern.contains(failure))
                    && !pattern.contains("Disconnected");
                let gone = ["is_disconnected", "receiver_count", "Disconnected"]
                    .iter()
                    .any(|look| guard.contains(look));
                if retries && !gone {
                    return Some(format!(
                        "`fn {name}` tries `{}` again only while `{}` holds, then lets the \
                         item go with the buffer still full: a consumer busy for longer than \
                         all the tries loses it. Keep trying while the buffer is full (or \
                         `send`, which waits), and stop only when no consumer is left",
                        &call[1..call.len() - 1],
                        guard.trim()
                    ));
                }
            }
        }
    }
    None
}

/// A producer that raises a flag, then sends an item: the flag says "every
/// item is sent" too early, and a consumer that sees it in between finds
/// the buffer empty and stops. A sentinel sent after the flag is fine:
/// the flag is up once every item is out.
fn flag_before_a_send(source: &str) -> Option<String> {
    // `main` holds the threads' bodies in the order it starts them, which
    // is not the order they run in.
    for (name, body) in functions(source).into_iter().filter(|(n, _)| n != "main") {
        let Some(at) = [".store(", ".swap("]
            .iter()
            .filter_map(|raise| body.find(raise))
            .min()
        else {
            continue;
        };
        let flag = called_on(&body, at);
        for (send, _) in body[at..].match_indices(".send(") {
            let sent: String = body[at + send + ".send(".len()..]
                .chars()
                .scan(1i32, |depth, c| {
                    *depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    (*depth > 0).then_some(c)
                })
                .collect();
            if sent.contains("Sentinel") {
                continue;
            }
            return Some(format!(
                "`fn {name}` raises `{flag}` before it sends `{sent}`: a consumer that sees the \
                 flag in between finds the buffer empty and stops, and that item is never \
                 processed (a race that shows once in many runs). Raise the flag after the last \
                 send"
            ));
        }
    }
    None
}

/// The first race whose shape `source` has, in words.
fn races_in(source: &str) -> Option<String> {
    let races = [
        two_step_update,
        stops_in_the_wrong_order,
        flag_before_a_send,
        decides_from_sender_count,
        relaxed_flag,
        sentinel_let_go,
        gives_up_a_send,
        stops_on_a_timeout,
        decides_by_the_clock,
        ends_on_a_count,
    ];
    races.iter().find_map(|race| race(source))
}

/// The races whose shape shows in `file`, then the rules the exercise's
/// text states: what grading reads of a file, for the tests.
#[cfg(test)]
fn check_rules(exercise: &Exercise, file: &Path) -> Result<(), String> {
    let mine = source(file)?;
    match races_in(&mine) {
        Some(problem) => Err(problem),
        None => text_rules(exercise, &mine),
    }
}

/// The rules the exercise's text states, checked in the file `mine`.
fn text_rules(exercise: &Exercise, mine: &str) -> Result<(), String> {
    for rule in exercise.rules {
        match *rule {
            Rule::Never(code, said) => {
                if mine.contains(code) {
                    return Err(format!(
                        "the exercise asks you to do it {said}, but the file has `{code}`"
                    ));
                }
            }
            Rule::Unchanged(name, said) => {
                let solution = folder().join(exercise.name).join("solution.rs");
                let given = function(&source(&solution)?, name);
                if function(mine, name) != given {
                    return Err(format!(
                        "the exercise asks you to do it {said}: leave `fn {name}` as it is given"
                    ));
                }
            }
            Rule::NotIn(name, code, said) => {
                let written = plain_functions(mine).into_iter().find(|(n, _)| n == name);
                if written.is_some_and(|(_, body)| body.contains(code)) {
                    return Err(format!(
                        "the exercise asks for {said}, but `fn {name}` sends `{code}` itself"
                    ));
                }
            }
            Rule::OnlyOne(name, code, said) => {
                let expanded = functions(mine).into_iter().find(|(n, _)| n == name);
                if let Some((_, body)) = expanded
                    && unconditional(&body, code)
                {
                    return Err(format!(
                        "the exercise asks for {said}, but every thread that runs `fn {name}` \
                         sends `{code}`: each sends one, and the ones after the first are \
                         never read"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// One run of `exe` with `args`: `Ok` if it ended in time, with exit code
/// 0 (101 after a planned panic), and its lines kept every rule.
fn run_once(
    exercise: &Exercise,
    exe: &Path,
    settings: &Settings,
    args: &[String],
    hold: Duration,
) -> Result<(), String> {
    let hold = settings.stall.is_some().then_some(hold);
    let (status, stdout, stderr) = run_for(exe, args, quiet_bound(settings), hold)?;
    let Some(status) = status else {
        return Err(hung(&stdout, quiet_bound(settings)));
    };
    let events =
        parse_output(&stdout).map_err(|e| format!("a line the checker cannot read: {e}"))?;
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
        return lines_of_a_panicked_run(exercise, settings, &events, who);
    }
    if !status.success() {
        let first = stderr.lines().find(|line| !line.trim().is_empty());
        let planned = if exercise.panic_at.is_some() {
            " (this run has no --panic-at: nothing should panic)"
        } else {
            ""
        };
        return Err(format!(
            "the run ended with {status}{planned}: {}",
            first.unwrap_or("(nothing on stderr)")
        ));
    }
    let verdict = check_printed(&exercise.shape, settings, &events);
    if !verdict.is_ok() {
        return Err(format!(
            "the run broke the rules:\n{}",
            brief(&verdict.problems)
        ));
    }
    runs_ahead_when_unbounded(exercise, settings, &events)
}

/// Without `--capacity` the buffer is unbounded, like Python's `Queue()`:
/// a producer 64 times quicker than its consumer runs ahead, and several
/// items wait. A program that bounds the buffer anyway keeps at most one
/// there; its lines show it where producers print `added`.
fn runs_ahead_when_unbounded(
    exercise: &Exercise,
    settings: &Settings,
    events: &[crate::Event],
) -> Result<(), String> {
    use crate::What;
    if !exercise.shape.prints_added
        || settings.capacity.is_some()
        || settings.pace != Some((0.125, 8.0))
    {
        return Ok(());
    }
    let (mut waiting, mut most) = (0i64, 0i64);
    for event in events {
        match event.what {
            What::Added(_) => waiting += 1,
            What::Got(_) => waiting -= 1,
            _ => {}
        }
        most = most.max(waiting);
    }
    if most >= 2 {
        Ok(())
    } else {
        Err(format!(
            "without --capacity the buffer is unbounded, like Python's queue.Queue(): the \
             producer, 64 times quicker than the consumer here, should run ahead of it, \
             but at most {most} item waited at a time"
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
    let mut name = who.to_string();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
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
    let never_made = |problem: &str| {
        let index = problem
            .strip_prefix("item (")
            .and_then(|rest| rest.split(',').next())
            .and_then(|i| i.parse::<usize>().ok());
        let of = format!(" of producer {dead} was never consumed");
        problem.ends_with(&of) && index.is_some_and(|i| i >= at)
    };
    let excused = |problem: &&String| {
        problem.starts_with(&format!("{name} must print `Done`"))
            || (problem.starts_with("Producer") && problem.ends_with("once, in order"))
            || problem.contains(" were put in the buffer (")
            || if consumer {
                problem.contains("was never consumed")
            } else {
                never_made(problem)
            }
    };
    let broken: Vec<String> = verdict
        .problems
        .iter()
        .filter(|p| !excused(p))
        .cloned()
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the {who} panicked as asked, but the run's lines broke the rules:\n{}",
            brief(&broken)
        ))
    }
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
    let message = format!("failed while working on item ({i},");
    if !stderr.contains(&message) {
        let first = stderr.lines().next().unwrap_or("(nothing on stderr)");
        return Err(format!(
            "the {who} was asked to panic on item {i} and never did: {first}"
        ));
    }
    if status.code() == Some(101) {
        Ok(())
    } else {
        Err(format!(
            "the {who} panicked on item {i}, but the panic was swallowed: the run ended \
             with {status}, as if nothing had happened (a panic's exit code is 101)"
        ))
    }
}

/// What a hung run's lines say: which threads started and never ended.
fn hung(stdout: &str, quiet: Duration) -> String {
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
    let list = |names: &[String]| match names {
        [] => "none".to_string(),
        names => names.join(", "),
    };
    format!(
        "hung for {:.1} s without a line: still running: {}; done: {}",
        quiet.as_secs_f64(),
        list(&waiting),
        list(&done)
    )
}

/// Runs `exe` with `args` until it ends, or until it has printed nothing
/// for `quiet` (or run for [`RUN_BOUND`]); returns its exit status (`None`
/// if it was still running, and so killed) and what it printed. A stall
/// run (`hold`) reads its standard input from here: its stalled thread
/// goes on when [`Stall`] closes it.
fn run_for(
    exe: &Path,
    args: &[String],
    quiet: Duration,
    hold: Option<Duration>,
) -> Result<(Option<ExitStatus>, String, String), String> {
    use std::io::BufRead;
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    let mut child = Command::new(exe)
        .args(args)
        .stdin(if hold.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
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
    let stderr = child.stderr.take();
    let err = thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = stderr {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    });
    let mut stdin = child.stdin.take();
    let mut stall = Stall::default();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => return Err(format!("cannot wait for {}: {e}", exe.display())),
        }
        if let (Some(_), Some(hold)) = (&stdin, hold)
            && stall.is_over(child.id(), started, hold)
        {
            // The gap's end: the stalled thread reads the end of its
            // input; the run's quiet is counted from here.
            stdin = None;
            if let Ok(mut at) = last_line.lock() {
                *at = Instant::now();
            }
        }
        let held = stdin.is_some() && stall.began.is_some();
        let quiet_for = last_line.lock().map_or(Duration::ZERO, |at| at.elapsed());
        if (quiet_for > quiet && !held) || started.elapsed() > RUN_BOUND {
            let _ = wait_within(&mut child, Duration::ZERO);
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok((status, stdout, stderr))
}

/// The gap of a stall run, watched from outside: what each thread of
/// the run is doing, from `/proc/PID/task/*/syscall`. The stalled thread
/// reads its standard input. The gap ends once every other thread waits
/// for another thread, with no timeout (the same wait at three looks in a
/// row): nothing can happen then until the stalled thread goes on, and a
/// longer gap would show nothing more. While a thread runs or waits on a
/// timer, the gap lasts up to its hold; where the threads cannot be seen,
/// it lasts the hold.
#[derive(Default)]
struct Stall {
    /// When a thread was first seen stalled.
    began: Option<std::time::Instant>,
    /// The threads' system calls at the last look, and how many looks in
    /// a row found every other thread waiting for another.
    last: Vec<String>,
    still: usize,
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
    /// Whether the gap of process `pid`, started at `started`, is over.
    fn is_over(&mut self, pid: u32, started: std::time::Instant, hold: Duration) -> bool {
        let (Some(lines), Some((read, futex))) = (threads(pid), READ_AND_FUTEX) else {
            // Unseen, the gap may begin at once, and lasts the hold.
            self.began.get_or_insert(started);
            return started.elapsed() > hold;
        };
        // A line is `NUMBER ARG1 .. ARG6 SP PC`, `running`, or `-1 SP PC`.
        let call = |line: &String| -> Vec<String> {
            line.split_whitespace()
                .skip(1)
                .map(str::to_string)
                .collect()
        };
        let stalled =
            |fields: &[String]| fields.len() > 2 && fields[0] == read && fields[1] == "0x0";
        // `futex(address, op, value, timeout, ..)`: no timeout, no timer.
        let untimed =
            |fields: &[String]| fields.len() > 4 && fields[0] == futex && fields[4] == "0x0";
        let calls: Vec<Vec<String>> = lines.iter().map(call).collect();
        if self.began.is_none() && calls.iter().any(|f| stalled(f)) {
            self.began = Some(std::time::Instant::now());
        }
        let Some(began) = self.began else {
            return false;
        };
        if began.elapsed() > hold {
            return true;
        }
        let still =
            calls.iter().any(|f| stalled(f)) && calls.iter().all(|f| stalled(f) || untimed(f));
        self.still = if still && lines == self.last {
            self.still + 1
        } else {
            usize::from(still)
        };
        self.last = lines;
        self.still >= 3
    }
}

/// Each thread of process `pid`: its id and its `syscall` line, in order
/// of id; `None` where `/proc` cannot be read.
fn threads(pid: u32) -> Option<Vec<String>> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut lines = Vec::new();
    for task in tasks.flatten() {
        // A thread that ended between the two reads is gone: skip it.
        if let Ok(line) = std::fs::read_to_string(task.path().join("syscall")) {
            lines.push(format!(
                "{} {}",
                task.file_name().to_string_lossy(),
                line.trim()
            ));
        }
    }
    lines.sort();
    (!lines.is_empty()).then_some(lines)
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
        ] {
            let (exercise, path) = wrong
                .iter()
                .find(|(_, path)| path.ends_with(file))
                .unwrap_or_else(|| panic!("{file} is in the corpus"));
            assert!(check_rules(exercise, path).is_err(), "{file}");
        }
    }

    #[test]
    fn a_send_retried_only_while_a_guard_holds_gives_its_item_up() {
        let wrong = "fn producer(queue: Sender<Item>) {
            let mut tries = 0;
            loop {
                match queue.try_send(item) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) if tries < 1000 => { item = back; tries += 1; }
                    Err(_) => break,
                }
            }
        }";
        let said = gives_up_a_send(wrong).expect("refused");
        assert!(said.contains("only while `tries < 1000` holds"), "{said}");
        for right in [
            wrong.replace(" if tries < 1000", ""),
            wrong.replace("tries < 1000", "!queue.is_disconnected()"),
            wrong.replace("match queue.try_send(item)", "match queue.recv()"),
        ] {
            assert_eq!(gives_up_a_send(&right), None, "{right}");
        }
    }

    #[test]
    fn a_look_at_the_buffer_before_the_flag_is_a_race() {
        let wrong = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            while !(queue.is_empty() && stop.load(Ordering::Acquire)) {
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { println!(\"{item}\"); }
            }
        }";
        let said = stops_in_the_wrong_order(wrong).expect("refused");
        assert!(
            said.contains("(`queue.is_empty()`) before it looks at the flag `stop`"),
            "{said}"
        );
        let right = wrong.replace(
            "queue.is_empty() && stop.load(Ordering::Acquire)",
            "stop.load(Ordering::Acquire) && queue.is_empty()",
        );
        assert_eq!(stops_in_the_wrong_order(&right), None);
        let senders = wrong.replace("stop.load(Ordering::Acquire)", "queue.sender_count() == 0");
        let said = stops_in_the_wrong_order(&senders).expect("refused");
        assert!(
            said.contains("the senders (`queue.sender_count()`)"),
            "{said}"
        );
    }

    #[test]
    fn a_stop_on_the_flag_with_no_look_at_the_buffer_after_it_is_a_race() {
        let wrong = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => println!(\"{item}\"),
                    Err(RecvTimeoutError::Timeout) => { if stop.load(Ordering::Acquire) { break; } }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }";
        let said = stops_in_the_wrong_order(wrong).expect("refused");
        assert!(
            said.contains("stops when it sees `stop.load(..)`"),
            "{said}"
        );
        let drained = wrong.replace("{ break; }", "{ for item in queue.try_iter() {} break; }");
        assert_eq!(stops_in_the_wrong_order(&drained), None);
        // Set aside, the flag guards nothing: the next turn looks again.
        let later = wrong.replace("{ break; }", "{ stopping = true; }");
        assert_eq!(stops_in_the_wrong_order(&later), None);
    }

    #[test]
    fn a_flag_raised_before_an_item_is_sent_is_a_race() {
        let wrong = "fn producer(queue: Sender<Item>, stop: &AtomicBool) {
            for i in 0..10 {
                if i == 9 { stop.store(true, Ordering::Release); }
                let _ = queue.send(Item { i, value: 0 });
            }
        }";
        let said = flag_before_a_send(wrong).expect("refused");
        assert!(
            said.contains("raises `stop` before it sends `Item { i, value: 0 }`"),
            "{said}"
        );
        let sentinel = wrong.replace("Item { i, value: 0 }", "Message::Sentinel");
        assert_eq!(flag_before_a_send(&sentinel), None);
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
    fn a_race_in_a_helper_or_in_let_statements_is_still_a_race() {
        let helper = "fn nothing_left(queue: &Receiver<Item>, stop: &AtomicBool) -> bool {
            queue.is_empty() && stop.load(Ordering::Acquire)
        }
        fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            while !nothing_left(&queue, stop) {
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { println!(\"{item}\"); }
            }
        }";
        assert!(stops_in_the_wrong_order(helper).is_some());
        let bound = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                let empty = queue.is_empty();
                let done = stop.load(Ordering::Acquire);
                if empty && done { break; }
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { println!(\"{item}\"); }
            }
        }";
        assert!(stops_in_the_wrong_order(bound).is_some());
        let right = bound.replace(
            "let empty = queue.is_empty();\n                let done = stop.load(Ordering::Acquire);",
            "let done = stop.load(Ordering::Acquire);\n                let empty = queue.is_empty();",
        );
        assert_eq!(stops_in_the_wrong_order(&right), None);
        let flag = "fn finished(stop: &AtomicBool) -> bool { stop.load(Ordering::Acquire) }
        fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => println!(\"{item}\"),
                    Err(RecvTimeoutError::Timeout) if finished(stop) => break,
                    Err(_) => {}
                }
            }
        }";
        assert!(stops_in_the_wrong_order(flag).is_some());
    }

    #[test]
    fn a_count_of_senders_a_relaxed_flag_and_a_sentinel_let_go_are_races() {
        let count = "fn producer(queue: Sender<Message>) {
            let _ = queue.send(Message::Item(item));
            if queue.sender_count() == 1 { let _ = queue.send(Message::Sentinel); }
        }";
        assert!(decides_from_sender_count(count).is_some());
        let relaxed = "fn producer(stop: &AtomicBool) { stop.store(true, Ordering::Relaxed); }";
        assert!(relaxed_flag(relaxed).is_some());
        assert_eq!(relaxed_flag(&relaxed.replace("Relaxed", "Release")), None);
        let counter = "fn consumer(n: &AtomicUsize) { n.fetch_add(1, Ordering::Relaxed); }";
        assert_eq!(relaxed_flag(counter), None);
        let let_go = "fn consumer(requeue: Sender<Message>) {
            let _ = requeue.send_timeout(Message::Sentinel, Duration::from_millis(500));
        }";
        assert!(sentinel_let_go(let_go).is_some());
        let retried = let_go.replace("let _ = ", "while let Err(_) = ");
        assert_eq!(sentinel_let_go(&retried), None);
    }

    #[test]
    fn a_stall_outlasts_every_wait_the_file_names() {
        assert_eq!(stall_for("no waits"), MIN_STALL);
        let waits =
            "Duration::from_millis(5); Duration::from_secs(2); Duration::from_millis(1_500u64)";
        assert!((stall_for(waits) - 3.1).abs() < 1e-9);
        assert!((stall_for("Duration::from_secs(13)") - 19.6).abs() < 1e-9);
        assert_eq!(stall_for("Duration::from_secs(30)"), MAX_STALL);
        assert_eq!(
            stall_for("Duration::from_secs(settings.items as u64)"),
            MAX_STALL
        );
        assert_eq!(stall_for("Duration::from_secs(3600)"), MAX_STALL);
    }

    #[test]
    fn a_timeout_or_an_empty_poll_taken_for_the_end_is_refused_however_counted() {
        let counted = "fn consumer(queue: Receiver<Message>) {
            let mut misses = 0;
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(Message::Item(item)) => { misses = 0; println!(\"{item}\"); }
                    Ok(Message::Sentinel) => break,
                    Err(RecvTimeoutError::Timeout) => { misses += 1; if misses > 400 { break; } }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }";
        assert!(stops_on_a_timeout(counted).is_some());
        let waits = counted.replace("if misses > 400 { break; }", "thread::yield_now();");
        assert_eq!(stops_on_a_timeout(&waits), None);
        let flagged = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => println!(\"{item}\"),
                    Err(RecvTimeoutError::Timeout) if stop.load(Ordering::Acquire) => {
                        match queue.try_recv() {
                            Ok(item) => println!(\"{item}\"),
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => break,
                        }
                    }
                    Err(_) => {}
                }
            }
        }";
        assert_eq!(stops_on_a_timeout(flagged), None);
    }

    #[test]
    fn a_polling_loop_that_ends_on_its_own_count_is_refused() {
        let counted = "fn consumer(queue: Receiver<Message>) {
            let mut misses = 0u32;
            while misses < 3000 {
                if let Ok(message) = queue.try_recv() {
                    misses = 0;
                    println!(\"{message:?}\");
                } else {
                    misses += 1;
                }
            }
        }";
        assert!(ends_on_a_count(counted).is_some());
        let ended = "fn consumer(queue: Receiver<Message>) {
            let mut running = true;
            while running {
                match queue.try_recv() {
                    Ok(message) => println!(\"{message:?}\"),
                    Err(TryRecvError::Empty) => thread::yield_now(),
                    Err(TryRecvError::Disconnected) => running = false,
                }
            }
        }";
        assert_eq!(ends_on_a_count(ended), None);
    }
}
