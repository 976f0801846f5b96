//! Running a program under a bound: the one way the tests, the tools and
//! grading run a program and read what it prints. A run that outlives its
//! bound is killed and reported as hung, never waited for.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// How long a run in a test may take before it counts as hung.
pub const HANG_BOUND: Duration = Duration::from_secs(30);

/// How a bounded run ended.
#[derive(Debug)]
pub struct Ran {
    /// How it ended; `None` if it was still running at the bound, and so
    /// killed.
    pub status: Option<ExitStatus>,
    /// What it printed on stdout, if stdout was piped.
    pub stdout: Vec<u8>,
    /// What it printed on stderr, if stderr was piped.
    pub stderr: Vec<u8>,
}

impl Ran {
    /// Its stdout, as text.
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Its stderr, as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Which output of a program a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Out,
    /// Standard error.
    Err,
}

/// Runs `command` with no input for at most `bound`. Each line of its
/// stdout (if piped) is handed to `each_line` as it arrives, without its
/// line end; stderr (if piped) is kept whole. Fails only if the program
/// cannot be started.
pub fn run(
    command: Command,
    bound: Duration,
    mut each_line: impl FnMut(&str),
) -> Result<Ran, String> {
    run_both(command, bound, |stream, line| {
        if stream == Stream::Out {
            each_line(line);
        }
    })
}

/// As [`run`], handing over the lines of both outputs (where piped) as
/// they arrive, each with the output it came from. Both are read on
/// threads of their own, so that a full pipe never blocks the program.
pub fn run_both(
    mut command: Command,
    bound: Duration,
    mut each_line: impl FnMut(Stream, &str),
) -> Result<Ran, String> {
    let started = Instant::now();
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let (send, lines) = mpsc::channel();
    if let Some(pipe) = child.stdout.take() {
        send_lines(pipe, Stream::Out, send.clone());
    }
    if let Some(pipe) = child.stderr.take() {
        send_lines(pipe, Stream::Err, send.clone());
    }
    drop(send);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut keep = |stream: Stream, line: Vec<u8>, each_line: &mut dyn FnMut(Stream, &str)| {
        let text = String::from_utf8_lossy(&line);
        each_line(stream, text.trim_end_matches(['\n', '\r']));
        match stream {
            Stream::Out => stdout.extend_from_slice(&line),
            Stream::Err => stderr.extend_from_slice(&line),
        }
    };
    let mut hung = false;
    loop {
        let left = bound.saturating_sub(started.elapsed());
        match lines.recv_timeout(left) {
            Ok((stream, line)) => keep(stream, line, &mut each_line),
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                hung = true;
                break;
            }
        }
    }
    let status = if hung {
        stop(&mut child);
        // What it wrote before it was killed is kept if it comes within a
        // second (its own children may still hold its outputs).
        while let Ok((stream, line)) = lines.recv_timeout(Duration::from_secs(1)) {
            keep(stream, line, &mut each_line);
        }
        None
    } else {
        wait_within(&mut child, bound.saturating_sub(started.elapsed()))
    };
    Ok(Ran {
        status,
        stdout,
        stderr,
    })
}

/// Runs the program `exe` with `args`, as a user would, for at most
/// `bound`, keeping what it prints on stdout and stderr.
pub fn program(exe: &std::path::Path, args: &[&str], bound: Duration) -> Result<Ran, String> {
    let mut command = Command::new(exe);
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    run(command, bound, |_| {})
}

/// Sends each line of `pipe`, line end included, down `lines` with the
/// output it came from, on a thread of its own, until the output ends.
fn send_lines(
    pipe: impl Read + Send + 'static,
    stream: Stream,
    lines: mpsc::Sender<(Stream, Vec<u8>)>,
) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if lines.send((stream, line)).is_err() {
                        break;
                    }
                }
            }
        }
    });
}

/// Reads `pipe` (if there is one) to its end on a thread of its own.
pub fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Waits for `child` to end, for at most `bound`; kills it and returns
/// `None` if it is still running then.
pub fn wait_within(child: &mut Child, bound: Duration) -> Option<ExitStatus> {
    let started = Instant::now();
    // A program whose output has ended is usually ending too: look again
    // soon at first, then less and less often.
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait().expect("waiting for the program") {
            return Some(status);
        }
        if started.elapsed() > bound {
            stop(child);
            return None;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Kills `child` and waits for it, so that nothing is left running.
fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command
            .args(["-c", script])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    #[test]
    fn hands_each_line_over_and_keeps_both_outputs() {
        let mut lines = Vec::new();
        let ran = run(
            shell("echo one; echo two; echo oops >&2; exit 3"),
            HANG_BOUND,
            |l| {
                lines.push(l.to_string());
            },
        )
        .expect("sh starts");
        assert_eq!(lines, ["one", "two"]);
        assert_eq!(ran.stdout_text(), "one\ntwo\n");
        assert_eq!(ran.stderr_text(), "oops\n");
        assert_eq!(ran.status.and_then(|s| s.code()), Some(3));
    }

    #[test]
    fn lines_of_both_outputs_come_with_where_they_came_from() {
        let mut lines = Vec::new();
        let script = "echo out; echo err >&2; sleep 0.1; echo out again";
        let ran = run_both(shell(script), HANG_BOUND, |stream, line| {
            lines.push((stream, line.to_string()));
        })
        .expect("sh starts");
        let (out, err): (Vec<_>, Vec<_>) = lines.iter().partition(|(s, _)| *s == Stream::Out);
        assert_eq!(out.len(), 2, "{lines:?}");
        assert_eq!(err, [&(Stream::Err, "err".to_string())]);
        assert_eq!(ran.stderr_text(), "err\n");
    }

    #[test]
    fn a_run_past_its_bound_is_killed_and_said_to_have_hung() {
        let bound = Duration::from_millis(200);
        // Silent, and printing: neither keeps a run past its bound.
        for script in ["sleep 60", "while true; do echo tick; sleep 0.01; done"] {
            let started = Instant::now();
            let ran = run(shell(script), bound, |_| {}).expect("sh starts");
            assert!(ran.status.is_none(), "{script}: {:?}", ran.status);
            assert!(started.elapsed() < HANG_BOUND, "{script}");
        }
    }

    #[test]
    fn a_program_that_cannot_start_is_an_error() {
        let error = run(Command::new("/no/such/program"), HANG_BOUND, |_| {}).unwrap_err();
        assert!(
            error.starts_with("cannot start /no/such/program"),
            "{error}"
        );
    }
}
