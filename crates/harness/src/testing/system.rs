//! What a program does when the system says no: a thread refused, output
//! that cannot be written, a reader that goes away. Each check runs the
//! real program, as a user would, under the limit it needs (`prlimit`,
//! `setpriv`, `/dev/full`).

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use super::{DEADLOCK_BOUND, read_all, run_bounded, wait_within, within};

/// The exit codes every program promises (its `--help` lists them; `common`
/// sets them in one place).
mod exit {
    /// Bad command-line input.
    pub const USAGE: u8 = 2;
    /// The output could not be written.
    pub const CANNOT_WRITE: u8 = 3;
    /// The system refused to start a thread.
    pub const NO_THREAD: u8 = 4;
    /// Standard output was closed by its reader (128 + `SIGPIPE`).
    pub const CLOSED_PIPE: u8 = 141;
}

/// A run whose natural end is many minutes away (a thousand items each,
/// about half a second apiece), and which prints its first line at once.
pub const LONG_RUN: &[&str] = &["--seed", "1", "--items", "1000", "--time-scale", "1"];

/// A short run.
const SHORT_RUN: &[&str] = &["--seed", "1", "--time-scale", "0"];

/// A folder of its own for one check, under the system's temporary folder,
/// that anyone may read (a program run as `nobody` is copied there); it is
/// removed when dropped.
fn scratch_dir(what: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("pc-{what}-"))
        .tempdir()
        .expect("a temporary folder");
    let readable = fs::Permissions::from_mode(0o755);
    fs::set_permissions(dir.path(), readable).expect("a readable folder");
    dir
}

fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().expect("`id -u` runs");
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

/// Checks a program's output after the system refused it something: the
/// exit `code`, and a last line on stderr that contains `expected` (or
/// nothing on stderr, if `expected` is empty), with no panic message and
/// no backtrace.
fn assert_ended(output: &Output, code: u8, expected: &str, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code.into()), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    if expected.is_empty() {
        assert!(stderr.is_empty(), "{what} said: {stderr}");
    } else {
        let last = stderr.lines().last().unwrap_or_default();
        assert!(
            last.contains(expected),
            "{what}: {stderr:?} lacks {expected:?}"
        );
    }
}

/// A program the system refuses threads (`RLIMIT_NPROC`) ends at once with
/// exit code 4 and one line, and never hangs, whether the refused thread is
/// its first or one its other threads wait for.
pub fn assert_refused_threads_end_the_run(exe: &str) {
    // Not root: only a limit of 1 is sure to refuse the first thread, since
    // the user's other processes count too.
    let limits: &[usize] = if is_root() { &[1, 2, 3, 5, 8] } else { &[1] };
    for &limit in limits {
        // Every program starts at least two threads beside `main`, and the
        // first of a long run is still working when the next starts, so a
        // limit of 2 refuses one of them however the threads are
        // scheduled. A higher limit may let a short run go ahead as usual,
        // which other tests check.
        let run = if limit == 2 { LONG_RUN } else { SHORT_RUN };
        let (output, what) = run_limited(exe, limit, run);
        if limit <= 2 || output.status.code() == Some(exit::NO_THREAD.into()) {
            let expected = "error: could not start a thread: the system refused it";
            assert_ended(&output, exit::NO_THREAD, expected, &what);
        }
    }
}

/// A program whose producers and consumers are async tasks on `main`'s
/// thread starts no other: under a limit of one thread, it runs to the end.
pub fn assert_runs_on_one_thread(exe: &str) {
    let (output, what) = run_limited(exe, 1, SHORT_RUN);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what}: {stderr}");
}

/// Runs a copy of `exe` with `args` and at most `limit` processes and
/// threads (`RLIMIT_NPROC`). Root ignores that limit, so as root the
/// program runs as `nobody`, the one process of that user.
fn run_limited(exe: &str, limit: usize, args: &[&str]) -> (Output, String) {
    let root = is_root();
    let dir = scratch_dir("threads");
    let program = dir.path().join("program");
    fs::copy(exe, &program).expect("a copy of the program");
    fs::set_permissions(&program, fs::Permissions::from_mode(0o755)).expect("executable");
    let command = || {
        let mut command = if root {
            let mut command = Command::new("setpriv");
            command.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "prlimit",
            ]);
            command
        } else {
            Command::new("prlimit")
        };
        command
            .arg(format!("--nproc={limit}"))
            .arg("--")
            .arg(&program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    };
    let what = format!("{exe} with at most {limit} processes and threads");
    let output = run_fresh_copy(command, &what);
    (output, what)
}

/// Runs the command `make` makes, which runs a file this process has just
/// written. While another test's thread starts a program, its child holds a
/// copy of every file this process has open, the new file included, until
/// it `exec`s; the system refuses to run a file open for writing ("Text
/// file busy"), so try again a moment later.
fn run_fresh_copy(make: impl Fn() -> Command, what: &str) -> Output {
    for _ in 0..100 {
        let output = run_bounded(make(), what);
        if !String::from_utf8_lossy(&output.stderr).contains("Text file busy") {
            return output;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{what}: the copy of the program stayed busy");
}

/// Standard output that cannot be written (`/dev/full`) is an error: exit
/// code 3 and one line, for a run and for `--help` and `--version` alike.
/// When stderr cannot be written either, the exit code still says what
/// happened.
pub fn assert_unwritable_output_is_an_error(exe: &str) {
    let full = || {
        let file = File::options().write(true).open("/dev/full");
        Stdio::from(file.expect("/dev/full"))
    };
    for args in [SHORT_RUN, &["--help"], &["--version"]] {
        let mut command = Command::new(exe);
        command.args(args).stdout(full()).stderr(Stdio::piped());
        let what = format!("{exe} {args:?} > /dev/full");
        let output = run_bounded(command, &what);
        let expected = "error: cannot write the output: No space left on device";
        assert_ended(&output, exit::CANNOT_WRITE, expected, &what);
    }
    for (args, code) in [
        (SHORT_RUN, exit::CANNOT_WRITE),
        (&["--items", "x"][..], exit::USAGE),
    ] {
        let mut command = Command::new(exe);
        command.args(args).stdout(full()).stderr(full());
        let what = format!("{exe} {args:?} > /dev/full 2> /dev/full");
        let output = run_bounded(command, &what);
        assert_eq!(output.status.code(), Some(code.into()), "{what}");
    }
}

/// Starts `command` with its stdout piped and waits for its first line;
/// returns the running child and the reader of the rest.
fn first_line(mut command: Command, what: &str) -> (std::process::Child, impl BufRead + use<>) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let stdout = child.stdout.take().expect("piped stdout");
    let reader = within(DEADLOCK_BOUND, &format!("{what}'s first line"), move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).expect("a line");
        assert!(!line.is_empty(), "printed nothing");
        reader
    });
    (child, reader)
}

/// When the reader of its output goes away (`| head -1`), a run that would
/// go on for many minutes ends at its next line, quietly, with exit code
/// 141, as a shell reports a program ended by `SIGPIPE`.
pub fn assert_closed_pipe_ends_the_run(exe: &str) {
    let what = format!("{exe} {LONG_RUN:?} | head -1");
    let mut command = Command::new(exe);
    command.args(LONG_RUN).stderr(Stdio::piped());
    let (mut child, reader) = first_line(command, &what);
    let stderr = read_all(child.stderr.take());
    drop(reader); // The reader goes away.
    let status = wait_within(&mut child, DEADLOCK_BOUND).unwrap_or_else(|| {
        panic!("{what} went on for {DEADLOCK_BOUND:?} after its reader had gone")
    });
    let output = Output {
        status,
        stdout: Vec::new(),
        stderr: stderr.join().expect("stderr reader"),
    };
    assert_ended(&output, exit::CLOSED_PIPE, "", &what);
}
