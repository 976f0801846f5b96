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
    /// A thread that panics on purpose in every graded run (`--panic-at`),
    /// and the item: then a run must end with a panic's exit code.
    pub panic_at: Option<(&'static str, usize)>,
}

/// Every exercise, in the book's order.
pub const EXERCISES: [Exercise; 12] = [
    Exercise {
        name: "borrow",
        shape: ONE_ONE,
        chapter: "threads-and-channels.md",
        fails_with: "does not compile",
        panic_at: None,
    },
    Exercise {
        name: "sentinel",
        shape: ONE_ONE,
        chapter: "one-one.md",
        fails_with: "hung for",
        panic_at: None,
    },
    Exercise {
        name: "empty_is_not_the_end",
        shape: ONE_ONE,
        chapter: "one-one.md",
        fails_with: "was never consumed",
        panic_at: None,
    },
    Exercise {
        name: "barrier",
        shape: MANY_ONE,
        chapter: "many-one.md",
        fails_with: "was never consumed",
        panic_at: None,
    },
    Exercise {
        name: "pass_it_on",
        shape: ONE_MANY,
        chapter: "one-many.md",
        fails_with: "hung for",
        panic_at: None,
    },
    Exercise {
        name: "last_consumer",
        shape: MANY_MANY,
        chapter: "many-many.md",
        fails_with: "hung for",
        panic_at: None,
    },
    Exercise {
        name: "count_sentinels",
        shape: COUNTING_SENTINELS,
        chapter: "counting-sentinels.md",
        fails_with: "was never consumed",
        panic_at: None,
    },
    Exercise {
        name: "stop_flag",
        shape: EVENT_TIMEOUT,
        chapter: "event-timeout.md",
        fails_with: "was never consumed",
        panic_at: None,
    },
    Exercise {
        name: "drop_the_sender",
        shape: DISCONNECT,
        chapter: "disconnect.md",
        fails_with: "hung for",
        panic_at: None,
    },
    Exercise {
        name: "rendezvous",
        shape: ONE_ONE,
        chapter: "backpressure.md",
        fails_with: "hung for",
        panic_at: None,
    },
    Exercise {
        name: "bound_it",
        shape: ONE_ONE,
        chapter: "backpressure.md",
        fails_with: "more items than its capacity",
        panic_at: None,
    },
    Exercise {
        name: "swallowed_panic",
        shape: ONE_ONE,
        chapter: "consumer-panic.md",
        fails_with: "the panic was swallowed",
        panic_at: Some(("consumer", 3)),
    },
];

/// How long one run may take before grading calls it hung: far more than
/// any correct run of an exercise needs, even on a busy machine.
pub const HANG_BOUND: Duration = Duration::from_secs(20);

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
    Err(format!(
        "{} does not compile: see the first error\n\n{}",
        exercise.name,
        first.join("\n")
    ))
}

/// The settings grading runs an exercise with: seeds 1 to 3, at every
/// kind of capacity (unbounded, rendezvous, one slot, a few), with no
/// sleeps and with short ones; with the exercise's planned panic, if it
/// has one.
pub fn runs(exercise: &Exercise) -> Vec<Settings> {
    let mut runs = Vec::new();
    for time_scale in [0.0, 0.002] {
        for capacity in [None, Some(0), Some(1), Some(4)] {
            for seed in 1..=3 {
                let mut settings = exercise.shape.settings(seed);
                settings.time_scale = time_scale;
                settings.capacity = capacity;
                settings.panic_at = exercise.panic_at.map(|(who, i)| (who.to_string(), i));
                runs.push(settings);
            }
        }
    }
    runs
}

/// Grades the program `exe` of `exercise`: runs it with each of
/// [`runs`], and stops at the first run that hangs, fails or breaks a
/// rule, saying what broke and the command that repeats it. Returns how
/// many runs kept every rule.
pub fn grade(exercise: &Exercise, exe: &Path, solution: bool) -> Result<usize, String> {
    let all = runs(exercise);
    for settings in &all {
        let args = exercise.shape.args(settings);
        if let Err(what) = run_once(exercise, exe, settings, &args) {
            let again = format!(
                "cargo run --manifest-path exercises/Cargo.toml --bin {} -- {}",
                binary(exercise, solution),
                args.join(" ")
            );
            return Err(format!("{what}\n\nRepeat this run:\n  {again}"));
        }
    }
    Ok(all.len())
}

/// One run of `exe` with `args`: `Ok` if it ended in time, with exit code
/// 0, and its lines kept every rule.
fn run_once(
    exercise: &Exercise,
    exe: &Path,
    settings: &Settings,
    args: &[String],
) -> Result<(), String> {
    let (status, stdout, stderr) = run_for(exe, args, HANG_BOUND)?;
    let Some(status) = status else {
        return Err(hung(&stdout));
    };
    if let Some((who, i)) = exercise.panic_at {
        return panicked(status, &stderr, who, i);
    }
    if !status.success() {
        let first = stderr.lines().find(|line| !line.trim().is_empty());
        return Err(format!(
            "the run ended with {status}: {}",
            first.unwrap_or("(nothing on stderr)")
        ));
    }
    let events =
        parse_output(&stdout).map_err(|e| format!("a line the checker cannot read: {e}"))?;
    let verdict = check_printed(&exercise.shape, settings, &events);
    if !verdict.is_ok() {
        return Err(format!("the run broke the rules:\n{verdict}"));
    }
    Ok(())
}

/// A run in which thread `who` panics on item `i` must say so: the panic's
/// message on stderr, and a panic's exit code (101) once it ends.
fn panicked(status: ExitStatus, stderr: &str, who: &str, i: usize) -> Result<(), String> {
    let message = format!("failed while working on item ({i},");
    if !stderr.contains(&message) {
        return Err(format!("the {who} never panicked on item {i}: {stderr}"));
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
fn hung(stdout: &str) -> String {
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
        "hung for {} s: still running: {}; done: {}",
        HANG_BOUND.as_secs(),
        list(&waiting),
        list(&done)
    )
}

/// Runs `exe` with `args` for at most `bound`, and returns its exit status
/// (`None` if it was still running, and so killed) and what it printed.
fn run_for(
    exe: &Path,
    args: &[String],
    bound: Duration,
) -> Result<(Option<ExitStatus>, String, String), String> {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = wait_within(&mut child, bound);
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok((status, stdout, stderr))
}
