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

/// Runs `command` with no input for at most `bound`. Each line of its
/// stdout (if piped) is handed to `each_line` as it arrives, without its
/// line end; stderr (if piped) is read whole on a thread of its own, so
/// that a full pipe never blocks the program. Fails only if the program
/// cannot be started.
pub fn run(
    mut command: Command,
    bound: Duration,
    mut each_line: impl FnMut(&str),
) -> Result<Ran, String> {
    let started = Instant::now();
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let errors = read_all(child.stderr.take());
    let mut stdout = Vec::new();
    let mut hung = false;
    if let Some(pipe) = child.stdout.take() {
        let lines = lines_of(pipe);
        loop {
            let left = bound.saturating_sub(started.elapsed());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    let text = String::from_utf8_lossy(&line);
                    each_line(text.trim_end_matches(['\n', '\r']));
                    stdout.extend_from_slice(&line);
                }
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    hung = true;
                    break;
                }
            }
        }
    }
    let status = if hung {
        stop(&mut child);
        None
    } else {
        wait_within(&mut child, bound.saturating_sub(started.elapsed()))
    };
    // A killed program's own children may still hold its stderr: what it
    // wrote is kept if it comes within a second.
    let patience = if status.is_some() {
        bound
    } else {
        Duration::from_secs(1)
    };
    let stderr = join_within(errors, patience).unwrap_or_default();
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

/// Sends each line of `pipe`, line end included, down a channel, on a
/// thread of its own; the channel closes at the end of the output.
fn lines_of(pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (send, lines) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            }
        }
    });
    lines
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

/// The result of `reader`, if it ends within `bound`.
fn join_within(reader: thread::JoinHandle<Vec<u8>>, bound: Duration) -> Option<Vec<u8>> {
    let started = Instant::now();
    while !reader.is_finished() {
        if started.elapsed() > bound {
            return None;
        }
        thread::sleep(Duration::from_millis(5));
    }
    reader.join().ok()
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
