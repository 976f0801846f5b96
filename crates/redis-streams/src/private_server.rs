//! A `redis-server` of a run's own, and how every process a run starts
//! ends with it, however the run ends.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::prctl;
use nix::sys::signal::{SigSet, Signal, kill};
use nix::unistd::{Pid, getppid};

use crate::connection::{Error, Server};

// ANCHOR: watch
/// The environment variable that tells a process started by a run which
/// process started it.
pub const PARENT: &str = "REDIS_STREAMS_PARENT";

/// In a process a run started: takes back the usual handling of SIGINT
/// and SIGTERM (the run blocks them for itself, and a new process inherits
/// that), then asks the kernel to end this process when the run's process
/// ends, even by `kill -9`, when nothing of the run can act any more
/// (Linux's parent-death signal). Ends at once if the run has already
/// gone before the request was made.
pub fn end_with_parent() {
    let Some(parent) = std::env::var(PARENT).ok().and_then(|p| p.parse().ok()) else {
        return; // Started by hand: it lives on its own.
    };
    let mut signals = SigSet::empty();
    signals.add(Signal::SIGINT);
    signals.add(Signal::SIGTERM);
    let unblocked = signals.thread_unblock();
    if unblocked.is_err()
        || prctl::set_pdeathsig(Signal::SIGTERM).is_err()
        || getppid() != Pid::from_raw(parent)
    {
        std::process::exit(143);
    }
}

/// `redis-streams exec-watched PROGRAM ARGS...`: becomes PROGRAM (same
/// process, as `exec` does), which then ends with the run that started it:
/// the parent-death signal outlives `exec`. This is how a program that is
/// not ours, `redis-server`, gets it.
pub fn exec_watched(program: &[OsString]) -> ExitCode {
    end_with_parent();
    let Some((name, args)) = program.split_first() else {
        return ExitCode::from(2);
    };
    let error = Command::new(name).args(args).exec();
    // 127, as a shell says "command not found".
    let code = if error.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    };
    ExitCode::from(code)
}
// ANCHOR_END: watch

// ANCHOR: server
/// A `redis-server` of the run's own: a Unix socket in a folder of its
/// own (a random name, readable by this user only, removed when the
/// server stops), no port, nothing saved. Stopped when dropped.
pub struct PrivateServer {
    process: Child,
    /// The last lines it logged.
    said: Arc<Mutex<Vec<String>>>,
    // Declared last, dropped last: the folder goes once the server is gone.
    folder: tempfile::TempDir,
}

impl PrivateServer {
    /// Starts one and waits, at most ten seconds, until it answers.
    pub fn start() -> Result<PrivateServer, Error> {
        let folder = tempfile::Builder::new()
            .prefix("redis-streams-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(|e| Error::Redis(format!("cannot make a folder for redis-server: {e}")))?;
        let process = this_program()
            .map_err(io_error)?
            .args(["exec-watched", "redis-server", "--port", "0", "--save", ""])
            .args(["--appendonly", "no", "--unixsocketperm", "700"])
            .arg("--unixsocket")
            .arg(socket(folder.path()))
            .arg("--dir")
            .arg(folder.path())
            .env(PARENT, std::process::id().to_string())
            // Ctrl-C reaches the run alone, which stops the server last.
            .process_group(0)
            // Its log: kept, last lines only, to say why it stopped if it
            // does not start.
            .stdout(Stdio::piped())
            .spawn()
            .map_err(io_error)?;
        let mut process = process;
        let said = Arc::new(Mutex::new(Vec::new()));
        if let Some(log) = process.stdout.take() {
            let said = Arc::clone(&said);
            thread::spawn(move || {
                for line in BufReader::new(log).lines().map_while(Result::ok) {
                    if let Ok(mut said) = said.lock() {
                        said.push(line);
                        let over = said.len().saturating_sub(3);
                        said.drain(..over);
                    }
                }
            });
        }
        let mut server = PrivateServer {
            process,
            said,
            folder,
        };
        server.wait_until_ready()?;
        Ok(server)
    }

    fn wait_until_ready(&mut self) -> Result<(), Error> {
        let started = Instant::now();
        let server = self.server();
        loop {
            if let Some(status) = self.process.try_wait().map_err(io_error)? {
                return Err(Error::Redis(if status.code() == Some(127) {
                    "redis-server is not installed: install it (Debian, Ubuntu: \
                     sudo apt-get install redis-server), or give a server in REDIS_URL"
                        .to_string()
                } else {
                    format!(
                        "redis-server stopped as it started ({status}){}",
                        self.last_words()
                    )
                }));
            }
            let socket = socket(self.folder.path());
            if socket.exists()
                && redis::Client::open(server.url()).is_ok_and(|c| c.get_connection().is_ok())
            {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(10) {
                return Err(Error::Redis(
                    "redis-server did not start within 10 s".into(),
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// The last lines the server logged, to say why it stopped: each on
    /// a line of its own, without the log's process and time stamp.
    fn last_words(&self) -> String {
        // Its last line may still be on its way through the pipe.
        thread::sleep(Duration::from_millis(100));
        let lines = self
            .said
            .lock()
            .map(|said| said.clone())
            .unwrap_or_default();
        if lines.is_empty() {
            return String::new();
        }
        let said: Vec<String> = lines
            .iter()
            // "1234:M 02 Dec 2026 17:00:00.000 # Failed opening ..."
            .map(|line| {
                let words = line.split_once(" # ").or(line.split_once(" * "));
                words.map_or(line.as_str(), |(_, words)| words)
            })
            .map(|words| format!("\n  redis-server: {words}"))
            .collect();
        format!("; it said:{}", said.concat())
    }

    /// The server, for the run and for the processes it starts.
    pub fn server(&self) -> Server {
        let url = format!("redis+unix://{}", socket(self.folder.path()).display());
        Server::new(&url).expect("a socket's URL")
    }
}

impl Drop for PrivateServer {
    /// Asks the server to stop (SIGTERM: it closes its socket), and waits.
    fn drop(&mut self) {
        let pid = Pid::from_raw(self.process.id().cast_signed());
        if kill(pid, Signal::SIGTERM).is_err() || wait_for(&mut self.process).is_none() {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
    }
}
// ANCHOR_END: server

/// This program, to run again (as `exec-watched`, a producer, a
/// consumer): on Linux through `/proc/self/exe`, which still leads to it
/// once its file is replaced (a rebuild, an upgrade) while it runs, as its
/// path no longer does.
/// Its name in `ps` stays the one it was started with.
pub(crate) fn this_program() -> std::io::Result<Command> {
    let running = PathBuf::from("/proc/self/exe");
    let path = if running.exists() {
        running
    } else {
        std::env::current_exe()?
    };
    let mut command = Command::new(path);
    if let Some(name) = std::env::args_os().next() {
        command.arg0(name);
    }
    Ok(command)
}

fn socket(folder: &std::path::Path) -> PathBuf {
    folder.join("redis.sock")
}

fn io_error(error: std::io::Error) -> Error {
    Error::Redis(format!("cannot start redis-server: {error}"))
}

/// Waits at most five seconds for `child` to end.
fn wait_for(child: &mut Child) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        thread::sleep(Duration::from_millis(10));
    }
    None
}
