//! A run that can never go on: every thread waits for another (in `recv`,
//! `send`, `join`, a `Barrier`, a `Mutex` or a `Condvar`), with no
//! timeout, and none of them has run since. Watched from outside, in
//! `/proc`: each thread's system call (a `futex` wait whose timeout is
//! null), its state (asleep) and how many times it has been put on a core.
//! Nothing outside the process can wake such a wait, so once every thread
//! is in one, and stays there with no thread run in between, the run is
//! hung for good: grading says so at once, rather than after its quiet
//! bound of seconds.
//!
//! A thread that waits with a timeout (`recv_timeout`, a sleep in a poll),
//! spins, or writes to a full pipe is not in such a wait: a run that hangs
//! that way is still found by its quiet bound.

use std::time::{Duration, Instant};

/// How long every thread must be seen in such a wait, none of them run in
/// between, before the run counts as hung: far longer than a thread woken
/// on a busy machine waits for a core, and far shorter than a quiet bound.
pub const STILL_FOR: Duration = Duration::from_millis(200);

/// How often a run is looked at: each look reads three files a thread.
const LOOK_EVERY: Duration = Duration::from_millis(40);

/// Looks at one run, again and again.
#[derive(Default)]
pub struct Deadlock {
    /// When every thread was first seen waiting so, and what each was
    /// doing: its id, its system call, and its context switches.
    since: Option<(Instant, Vec<String>)>,
    /// When the last look was.
    at: Option<Instant>,
}

impl Deadlock {
    /// Whether process `pid` has been deadlocked for [`STILL_FOR`].
    /// `futex` is the number of the `futex` system call.
    pub fn look(&mut self, pid: u32, futex: &str) -> bool {
        if self.at.is_some_and(|at| at.elapsed() < LOOK_EVERY) {
            return false;
        }
        self.at = Some(Instant::now());
        let Some(now) = waits(pid, futex) else {
            self.since = None;
            return false;
        };
        match &self.since {
            Some((at, then)) if *then == now => at.elapsed() >= STILL_FOR,
            _ => {
                self.since = Some((Instant::now(), now));
                false
            }
        }
    }
}

/// One thread of a run, as `/proc` shows it at one look.
pub struct Thread {
    /// Its id.
    pub id: String,
    /// Its `syscall` line: `NUMBER ARG1 .. ARG6 SP PC`, `running`, or
    /// `-1 SP PC`.
    pub call: String,
    /// Its state: `S` asleep, `R` running or woken and waiting for a core.
    pub state: String,
    /// How many times it went to sleep, and was taken off its core.
    pub switches: String,
}

impl Thread {
    /// Whether it is asleep in a `futex` wait with no timeout:
    /// `futex(address, op, value, timeout, ..)`, `futex` being system call
    /// number `futex`. Only another thread of the run can end that wait.
    pub fn waits_untimed(&self, futex: &str) -> bool {
        let call: Vec<&str> = self.call.split_whitespace().collect();
        call.len() > 4 && call[0] == futex && call[4] == "0x0" && self.state == "S"
    }
}

/// Each thread of process `pid`, in order of id; `None` where `/proc`
/// cannot be read. A thread that ends between the reads is left out.
pub fn threads(pid: u32) -> Option<Vec<Thread>> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut threads = Vec::new();
    for task in tasks.flatten() {
        let path = task.path();
        let (Ok(call), Ok(status)) = (
            std::fs::read_to_string(path.join("syscall")),
            std::fs::read_to_string(path.join("status")),
        ) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map_or("?", str::trim)
        };
        threads.push(Thread {
            id: task.file_name().to_string_lossy().into_owned(),
            call: call.trim().to_string(),
            // `S (sleeping)`: its letter.
            state: field("State:").chars().take(1).collect(),
            switches: format!(
                "{} {}",
                field("voluntary_ctxt_switches:"),
                field("nonvoluntary_ctxt_switches:")
            ),
        });
    }
    threads.sort_by(|a, b| a.id.cmp(&b.id));
    (!threads.is_empty()).then_some(threads)
}

/// Each thread of `pid`, where every one of them is asleep in a `futex`
/// wait with no timeout: its id, its `syscall` line, and its context
/// switches. `None` if one is not, or `/proc` cannot be read.
fn waits(pid: u32, futex: &str) -> Option<Vec<String>> {
    let threads = threads(pid)?;
    threads
        .iter()
        .all(|thread| thread.waits_untimed(futex))
        .then(|| {
            threads
                .iter()
                .map(|t| format!("{} {} {}", t.id, t.call, t.switches))
                .collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    /// Looks at `command`'s process until it is seen deadlocked or
    /// `within` passes; whether it was.
    fn seen_deadlocked(mut command: Command, within: Duration) -> bool {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let started = Instant::now();
        let mut deadlock = Deadlock::default();
        let mut seen = false;
        while started.elapsed() < within {
            if deadlock.look(child.id(), FUTEX) {
                seen = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
        seen
    }

    #[cfg(target_arch = "x86_64")]
    const FUTEX: &str = "202";
    #[cfg(target_arch = "aarch64")]
    const FUTEX: &str = "98";

    /// A program of the test binary itself: `DEADLOCK_PROGRAM` names what
    /// it does, in the test `deadlock_program`.
    fn program(what: &str) -> Command {
        let mut command = Command::new(std::env::current_exe().expect("the test binary"));
        command
            .args(["--exact", "grading::deadlock::tests::deadlock_program"])
            .args(["--nocapture", "--include-ignored", "--test-threads=1"])
            .env("DEADLOCK_PROGRAM", what);
        command
    }

    /// Not a test on its own: the programs the tests below watch.
    #[test]
    #[ignore = "run by the tests below, as a program of its own"]
    fn deadlock_program() {
        let (sender, receiver) = std::sync::mpsc::channel::<()>();
        match std::env::var("DEADLOCK_PROGRAM").as_deref() {
            // A receiver whose sender is kept alive, never used.
            Ok("recv") => {
                let waiter = std::thread::spawn(move || receiver.recv());
                let _ = waiter.join();
                drop(sender);
            }
            // The same, with a timeout, again and again.
            Ok("recv_timeout") => loop {
                let _ = receiver.recv_timeout(Duration::from_millis(20));
            },
            // Two threads handing one token to and fro, for ever.
            Ok("ping_pong") => {
                let (back, from_other) = std::sync::mpsc::channel::<()>();
                std::thread::spawn(move || {
                    while receiver.recv().is_ok() {
                        let _ = back.send(());
                    }
                });
                loop {
                    let _ = sender.send(());
                    let _ = from_other.recv();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_exercises_page_gives_how_long_a_deadlock_is_watched() {
        let path = crate::grading::folder().join("../book/src/exercises.md");
        let page = std::fs::read_to_string(&path).expect("the exercises page");
        let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
        let said = format!("seen it so for {} ms", STILL_FOR.as_millis());
        assert!(
            page.contains(&said),
            "{} does not say {said:?}",
            path.display()
        );
    }

    #[test]
    fn a_thread_waiting_on_a_channel_no_one_sends_on_is_deadlocked() {
        assert!(seen_deadlocked(program("recv"), Duration::from_secs(20)));
    }

    #[test]
    fn a_wait_with_a_timeout_is_not() {
        assert!(!seen_deadlocked(
            program("recv_timeout"),
            Duration::from_secs(1)
        ));
    }

    #[test]
    fn threads_that_wake_each_other_are_not() {
        assert!(!seen_deadlocked(
            program("ping_pong"),
            Duration::from_secs(1)
        ));
    }
}
