//! Helpers for tests: a bound on every test that waits, and ways to run a
//! program as a user would and check what it did.

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::check::{Verdict, check_printed};
use crate::events::{Event, What, parse_output};
use crate::log::Log;
use crate::programs;
use crate::section::{Section, Settings};
use crate::settings::parse;

pub mod processes;
pub mod system;

/// How long any single run in a test may take before it counts as hung.
pub use crate::run::HANG_BOUND as DEADLOCK_BOUND;
pub use crate::run::{read_all, wait_within};

// ANCHOR: within
/// Runs `work` on its own thread and returns its result, or panics with a
/// message if it takes longer than `bound`: a deadlock fails the test
/// instead of hanging it.
pub fn within<T, F>(bound: Duration, what: &str, work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done, result) = mpsc::channel();
    let worker = thread::spawn(move || {
        // The receiver is gone only if the test already gave up.
        let _ = done.send(work());
    });
    match result.recv_timeout(bound) {
        Ok(value) => {
            worker
                .join()
                .expect("the worker sent its result, then panicked");
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not finish within {bound:?}: a deadlock?")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => unreachable!("the worker ended without sending"),
        },
    }
}
// ANCHOR_END: within

/// Asserts that a run's events keep every rule of the checker, and that
/// the checker is no rubber stamp: the same events with the last `Done`
/// line taken out, or with one item's only `got` line taken out, are
/// refused. Returns the verdict. `what` names the run in a failure.
pub fn assert_kept(section: &Section, config: &Settings, events: &[Event], what: &str) -> Verdict {
    let verdict = check_printed(section, config, events);
    assert!(verdict.is_ok(), "{what}:\n{verdict}");
    let without = |index: usize| {
        let mut broken = events.to_vec();
        let line = broken.remove(index).to_string();
        (broken, line)
    };
    let mut broken_runs = Vec::new();
    if let Some(last_done) = events.iter().rposition(|e| e.what == What::Done) {
        broken_runs.push(without(last_done));
    }
    let got_once = events.iter().position(|e| match e.what {
        What::Got(item) => {
            let taken = |w: &What| matches!(w, What::Got(x) | What::Reclaimed(x) | What::Duplicated(x) if *x == item);
            events.iter().filter(|other| taken(&other.what)).count() == 1
        }
        _ => false,
    });
    if let Some(got) = got_once {
        broken_runs.push(without(got));
    }
    assert!(!broken_runs.is_empty(), "{what}: a run with no `Done` line");
    for (broken, line) in broken_runs {
        assert!(
            !check_printed(section, config, &broken).is_ok(),
            "{what}: the checker accepts the run without {line:?}"
        );
    }
    verdict
}

/// Runs the real program of `section` with `config` and watches it,
/// keeping its events, within [`DEADLOCK_BOUND`]. Panics if a thread
/// panicked or the run hung.
pub fn run_kept(section: &Section, config: &Settings) -> Vec<Event> {
    run_timed(section, config)
        .into_iter()
        .map(|(_, event)| event)
        .collect()
}

/// Like [`run_kept`], with the time of each event.
pub fn run_timed(section: &Section, config: &Settings) -> Vec<(Duration, Event)> {
    let what = section.command(config);
    let log = Log::keeping();
    if let Err(panicked) = crate::programs::watch(section, config, &log) {
        panic!("{what}: {panicked}");
    }
    log.timed_events()
}

/// The path of the example program `name`, built if it is missing or
/// older than its source ([`programs::program_path`]).
pub fn example_path(name: &str) -> String {
    let path = programs::program_path(&format!("examples/{name}"));
    path.to_str().expect("a UTF-8 path").to_string()
}

/// Runs the real program `exe` with `args`, as a user would, and returns
/// what it printed and its exit status. Kills it and panics if it takes
/// longer than [`DEADLOCK_BOUND`].
pub fn run_program(exe: &str, args: &[&str]) -> Output {
    let ran = crate::run::program(std::path::Path::new(exe), args, DEADLOCK_BOUND)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = ran.status.unwrap_or_else(|| {
        panic!("{exe} {args:?} did not finish within {DEADLOCK_BOUND:?}: a deadlock?")
    });
    Output {
        status,
        stdout: ran.stdout,
        stderr: ran.stderr,
    }
}

/// Runs `command` with no input, reads whichever of its outputs are piped,
/// and returns them with its exit status. Kills it and panics if it takes
/// longer than [`DEADLOCK_BOUND`].
pub fn run_bounded(command: Command, what: &str) -> Output {
    run_within(command, what, DEADLOCK_BOUND)
}

/// [`run_bounded`] with a bound of its own: for what takes long by nature,
/// such as a first build of a crate's dependencies.
pub fn run_within(command: Command, what: &str, bound: Duration) -> Output {
    let ran = crate::run::run(command, bound, |_| {}).unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = ran
        .status
        .unwrap_or_else(|| panic!("{what} did not finish within {bound:?}: a deadlock?"));
    Output {
        status,
        stdout: ran.stdout,
        stderr: ran.stderr,
    }
}

/// Runs the real program with `args` (which must include `--seed`), reads
/// its output back into events and checks them. Panics if the program fails
/// or prints a line the checker cannot read.
pub fn check_program(section: &Section, exe: &str, args: &[&str]) -> Verdict {
    check_program_events(section, exe, args).0
}

/// [`check_program`], also returning the events the program printed.
pub fn check_program_events(section: &Section, exe: &str, args: &[&str]) -> (Verdict, Vec<Event>) {
    let config = parse(section, args.iter().copied())
        .unwrap_or_else(|error| panic!("{args:?} is not a run: {error}"));
    let output = run_program(exe, args);
    let stdout = String::from_utf8(output.stdout).expect("output is UTF-8");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{exe} {args:?} failed: {stderr}");
    let events = parse_output(&stdout).unwrap_or_else(|e| panic!("{exe} {args:?}: {e}"));
    (check_printed(section, &config, &events), events)
}

/// Runs the real program with `args` that make a thread panic
/// (`--panic-at`), and checks that it neither hangs nor hides it: exit code
/// 101 (Rust's for a panic), and the panic's message on stderr, which names
/// `thread` and the item. Returns the checker's verdict on what was
/// printed, which says what was lost.
pub fn check_panicking_program(
    section: &Section,
    exe: &str,
    args: &[&str],
    thread: &str,
) -> Verdict {
    let config = parse(section, args.iter().copied())
        .unwrap_or_else(|error| panic!("{args:?} is not a run: {error}"));
    let output = run_program(exe, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8(output.stdout).expect("output is UTF-8");
    let events = parse_output(&stdout).unwrap_or_else(|e| panic!("{exe} {args:?}: {e}"));
    let verdict = check_printed(section, &config, &events);
    // Rust's own report of the panic: the thread's message, exit 101.
    // What was lost is the checker's to say, from the printed lines.
    let code = output.status.code();
    assert_eq!(code, Some(programs::PANICKED), "{args:?}: {stderr}");
    let who = thread.trim_start_matches("the ");
    let failed = format!("{who} failed while working on item (");
    assert!(
        stderr.to_lowercase().contains(&failed),
        "{args:?}: {stderr}"
    );
    verdict
}

/// Runs the real program with bad `args` and checks that it refuses them
/// as a command-line tool should: exit code 2, nothing on stdout, and
/// clap's message on stderr, which contains `expected` (no panic, no
/// backtrace).
pub fn assert_refused(exe: &str, args: &[&str], expected: &str) {
    let output = run_program(exe, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
    // clap's own message: what is wrong, the usage, where to learn more.
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    assert!(stderr.contains("--help"), "{args:?}: {stderr}");
    assert!(
        stderr.contains(expected),
        "{args:?}: {stderr:?} lacks {expected:?}"
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

/// Parses an SVG (panics if it is not well-formed) and counts the shapes of
/// a class: `lane`, `working`, `done` and the like.
pub fn count_in_svg(svg: &str, class: &str) -> usize {
    let document = roxmltree::Document::parse(svg).expect("a well-formed SVG");
    document
        .descendants()
        .filter(|node| node.attribute("class") == Some(class))
        .count()
}

/// Runs a plain program as the harness does, reading each line as it
/// arrives, and checks the picture it draws from them: a well-formed SVG
/// with one lane per thread and one work span per item made and per item
/// consumed.
pub fn assert_timeline_drawn(section: &Section) {
    let mut config = section.settings(5);
    config.time_scale = 0.001;
    let log = Log::keeping();
    programs::watch(section, &config, &log).expect("no thread panics");
    let timed = log.timed_events();
    let events: Vec<Event> = timed.iter().map(|&(_, e)| e).collect();
    let verdict = assert_kept(section, &config, &events, &section.command(&config));
    let svg = crate::timeline::Timeline::from_events(section, &config, &timed).to_svg();
    let count = |class: &str| count_in_svg(&svg, class);
    assert_eq!(count("lane"), config.producers + config.consumers);
    // One work span per item made, and one per item processed. Where a
    // shutdown stops producers early, their lines say which items they made.
    let made = if section.prints_added {
        let made = |e: &&Event| matches!(e.what, What::Added(_) | What::Refused(_));
        events.iter().filter(made).count()
    } else {
        crate::section::total_items(&config)
    };
    assert_eq!(count("working"), made + verdict.consumed.len());
}

/// Runs the real program a few ways (sleeping a little, many items through
/// one slot, a rendezvous) and checks everything it printed.
pub fn assert_runs_keep_the_rules(section: &Section, exe: &str) {
    for args in [
        &["--seed", "1", "--time-scale", "0.001"][..],
        &[
            "--seed",
            "2",
            "--time-scale",
            "0",
            "--items",
            "500",
            "--capacity",
            "1",
        ],
        &["--seed", "3", "--time-scale", "0", "--capacity", "0"],
    ] {
        let config = parse(section, args.iter().copied()).expect("a run");
        let (_, events) = check_program_events(section, exe, args);
        assert_kept(section, &config, &events, &format!("{exe} {args:?}"));
    }
}

/// Runs the real program without `--seed`: it must say on stderr how to
/// repeat the run; and, if stderr cannot be written (a full disk), run all
/// the same, since that note is not the output. (A program that ends
/// with a report of its own on stderr may then end with exit code 3, the
/// output that could not be written; but it has run.)
pub fn assert_random_run_names_its_seed(exe: &str) {
    let output = run_program(exe, &["--time-scale", "0"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = "random run; repeat it with --seed ";
    assert!(stderr.starts_with(expected), "{stderr}");
    let full = std::fs::File::options().write(true).open("/dev/full");
    let mut command = Command::new(exe);
    command.args(["--time-scale", "0"]).stdout(Stdio::piped());
    command.stderr(Stdio::from(full.expect("/dev/full")));
    let output = run_bounded(command, &format!("{exe} 2> /dev/full"));
    let status = output.status;
    assert!(
        !output.stdout.is_empty(),
        "{exe} 2> /dev/full: {status}, no run"
    );
}

/// Checks that `--help` explains every flag the program takes.
pub fn assert_help_explains_every_flag(section: &Section, exe: &str) {
    let output = run_program(exe, &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    let mut flags = vec![
        "--items",
        "--seed",
        "--time-scale",
        "--capacity",
        "--panic-at",
    ];
    flags.extend(["--version", "--help"]);
    if section.producers.numbered() {
        flags.push("--producers");
    }
    if section.consumers.numbered() {
        flags.push("--consumers");
    }
    for flag in flags {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
    assert!(
        help.contains("Exit codes:"),
        "--help lacks the exit codes:\n{help}"
    );
}

/// Gives every numeric flag of the section's program hostile values (empty,
/// negative, not a number, huge, NaN, infinite) and checks each is refused
/// like any bad input, with a message that names the flag. Returns how many
/// cases it checked.
pub fn assert_hostile_values_refused(section: &Section, exe: &str) -> usize {
    let mut flags = vec!["items", "seed", "time-scale", "capacity", "panic-at"];
    if section.producers.numbered() {
        flags.push("producers");
    }
    if section.consumers.numbered() {
        flags.push("consumers");
    }
    let values = [
        "",
        "-1",
        "abc",
        "0x10",
        "1.5",
        "1e999",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "99999999999999999999999",
        "18446744073709551616",
        "\u{1F600}",
    ];
    let mut checked = 0;
    for flag in &flags {
        for value in values {
            // A fraction is a fine time scale; anything else here is not.
            if *flag == "time-scale" && value == "1.5" {
                continue;
            }
            let flag = format!("--{flag}");
            // `--time-scale 0` keeps any run that slipped through short.
            let args = [flag.as_str(), value, "--time-scale", "0"];
            let args = if flag == "--time-scale" {
                &args[..2]
            } else {
                &args[..]
            };
            assert_refused(exe, args, &flag);
            checked += 1;
        }
    }
    checked
}

/// Bad inputs that every section's program must refuse, with a piece of
/// the message each must give.
pub const BAD_INPUTS: &[(&[&str], &str)] = &[
    (&["--items", "abc"], "invalid value 'abc' for '--items <N>'"),
    (&["--items", "-1"], "invalid value '-1' for '--items <N>'"),
    (&["--items", ""], "invalid value '' for '--items <N>'"),
    (&["--items", "200000000"], "too many"),
    (&["--time-scale", "-1"], "a number from 0 to 1000"),
    (&["--time-scale", "nan"], "a number from 0 to 1000"),
    (&["--time-scale", "inf"], "a number from 0 to 1000"),
    (&["--time-scale", "1e9"], "a number from 0 to 1000"),
    (&["--seed", "x"], "invalid value 'x' for '--seed <S>'"),
    (
        &["--capacity", "1.5"],
        "invalid value '1.5' for '--capacity <N>'",
    ),
    (&["--frobnicate"], "unexpected argument '--frobnicate'"),
    (&["--panic-at", "nobody:1"], "nobody names a thread"),
    (&["--panic-at", "nobody"], "expected WHO:I"),
    (&["extra"], "unexpected argument 'extra'"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_what_the_work_returns() {
        assert_eq!(within(Duration::from_secs(5), "adding", || 2 + 2), 4);
    }

    #[test]
    #[should_panic(expected = "sleeping did not finish within 50ms: a deadlock?")]
    fn fails_on_a_hang() {
        within(Duration::from_millis(50), "sleeping", || {
            thread::sleep(Duration::from_secs(2));
        });
    }
}
