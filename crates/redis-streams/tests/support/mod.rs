//! What the Redis tests share: the program, run as a user runs it, and
//! watched line by line while it runs, so that a test can act on it (a
//! signal, a restart) at a moment the run itself shows.

#![allow(dead_code)] // Each test file uses only some of it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Instant;

use harness::events::parse_output;
use harness::programs::REDIS_STREAMS;
use harness::redis_server::RedisServer;
use harness::testing::{DEADLOCK_BOUND, wait_within};
use harness::{Event, Settings, Verdict, check_printed};

pub const EXE: &str = env!("CARGO_BIN_EXE_redis-streams");

/// `redis-streams ARGS`, with `REDIS_URL` set to `server`'s address when
/// there is one, and never taken from the test's own environment.
pub fn command(server: Option<&RedisServer>, args: &[&str]) -> Command {
    let mut command = Command::new(EXE);
    command
        .args(args)
        .env_remove("REDIS_URL")
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(server) = server {
        command.env("REDIS_URL", server.url());
    }
    command
}

/// A program running, its lines read as they come.
pub struct Watched {
    pub child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    pub out: Vec<String>,
    pub err: Vec<String>,
}

/// A run a test left running (it failed before the end, perhaps with a
/// process of the run paused) is stopped as a user would stop it: SIGTERM,
/// which the run passes on to its processes with a SIGCONT, then SIGKILL
/// if it does not end. No test leaves a process behind.
impl Drop for Watched {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let pid = nix::unistd::Pid::from_raw(self.child.id().cast_signed());
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        if wait_within(&mut self.child, std::time::Duration::from_secs(10)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// How a watched program ended, and all it printed.
pub struct Ended {
    pub status: ExitStatus,
    pub out: Vec<String>,
    pub err: String,
}

impl Ended {
    /// Its standard output read back as events.
    pub fn events(&self) -> Vec<Event> {
        parse_output(&self.out.join("\n")).expect("the run's lines")
    }

    /// The checker's verdict on its lines, for a run of `config`.
    pub fn verdict(&self, config: &Settings) -> Verdict {
        check_printed(&REDIS_STREAMS, config, &self.events())
    }

    /// The checker's verdict on its lines, for a run of `config`, which
    /// must keep every rule (and be refused with a line taken out).
    pub fn kept(&self, config: &Settings, what: &str) -> Verdict {
        harness::testing::assert_kept(&REDIS_STREAMS, config, &self.events(), what)
    }

    /// How many lines of standard output contain `text`.
    pub fn count(&self, text: &str) -> usize {
        self.out.iter().filter(|line| line.contains(text)).count()
    }
}

/// Sends each line of `pipe` down a channel, on a thread of its own.
fn lines_of(pipe: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (lines, received) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    received
}

impl Watched {
    /// Starts `command`, reading both of its outputs.
    pub fn start(mut command: Command) -> Watched {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the program starts");
        let stdout = lines_of(child.stdout.take().expect("piped"));
        let stderr = lines_of(child.stderr.take().expect("piped"));
        Watched {
            child,
            stdout,
            stderr,
            out: Vec::new(),
            err: Vec::new(),
        }
    }

    /// The run's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for a line of standard output that contains `text`, and
    /// returns it; fails if the run ends first, or within the hang bound.
    pub fn until_out(&mut self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let left = DEADLOCK_BOUND.saturating_sub(started.elapsed());
            let line = self
                .stdout
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no line with {text:?}: {:?}", self.out));
            self.out.push(line.clone());
            if line.contains(text) {
                return line;
            }
        }
    }

    /// The same on standard error.
    pub fn until_err(&mut self, text: &str) -> String {
        let line = self
            .stderr
            .recv_timeout(DEADLOCK_BOUND)
            .unwrap_or_else(|_| panic!("no line with {text:?} on stderr: {:?}", self.err));
        self.err.push(line.clone());
        if line.contains(text) {
            line
        } else {
            self.until_err(text)
        }
    }

    /// Reads standard output to its end without keeping it, and counts
    /// the lines that contain `text`; fails if no line comes for as long
    /// as the hang bound.
    pub fn count_to_end(&mut self, text: &str) -> usize {
        let mut count = 0;
        loop {
            match self.stdout.recv_timeout(DEADLOCK_BOUND) {
                Ok(line) => count += usize::from(line.contains(text)),
                Err(mpsc::RecvTimeoutError::Disconnected) => return count,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("the run hangs"),
            }
        }
    }

    /// The key of this run's stream, from the line that names it (a run
    /// on a server of one's own prints it first on standard error).
    pub fn stream(&mut self) -> String {
        let line = self.until_err("this run's stream is ");
        let rest = line.split("this run's stream is ").nth(1).expect("a key");
        rest.split(' ').next().expect("a key").to_string()
    }

    /// Waits for the run to end, within the hang bound, and collects what
    /// it printed.
    pub fn finish(mut self) -> Ended {
        let status = wait_within(&mut self.child, DEADLOCK_BOUND)
            .unwrap_or_else(|| panic!("the run hangs: {:?} {:?}", self.out, self.err));
        let mut out = std::mem::take(&mut self.out);
        let mut err = std::mem::take(&mut self.err);
        out.extend(self.stdout.iter());
        err.extend(self.stderr.iter());
        Ended {
            status,
            out,
            err: err.join("\n"),
        }
    }
}

/// The settings the checker needs for a run of `producers` and
/// `consumers`, `items` each, with `seed`.
pub fn config(producers: usize, consumers: usize, items: usize, seed: u64) -> Settings {
    let mut config = REDIS_STREAMS.settings(seed);
    config.producers = producers;
    config.consumers = consumers;
    config.items = items;
    config
}
