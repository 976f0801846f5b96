//! Talking to the server: where it is (shown without its password), a
//! connection that outlives a restart of the server or a paused process,
//! and what can go wrong, each with its exit code.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use redis::{ConnectionAddr, ErrorKind, IntoConnectionInfo, RedisError, ServerErrorKind};

// ANCHOR: error
/// Why a program of this crate stopped before its work was done.
#[derive(Debug)]
pub enum Error {
    /// Bad input, found before anything was sent.
    Input(String),
    /// Redis could not be reached, went away for longer than the program
    /// waits for it, or holds keys that are not what the program needs.
    Redis(String),
}

impl Error {
    /// The exit code: 2 for bad input, 5 for Redis.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Redis(_) => 5,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(message) | Error::Redis(message) => f.write_str(message),
        }
    }
}
// ANCHOR_END: error

// ANCHOR: server
/// A Redis server, from its URL. It prints as what identifies it, host
/// and port or a socket's path, never as the URL, which may hold a
/// password (`redis://:PASSWORD@host`, `redis+unix:///s?pass=PASSWORD`).
#[derive(Clone)]
pub struct Server {
    url: String,
    shown: String,
}

impl Server {
    /// The server at `url`, or why `url` is no Redis URL (without
    /// repeating it: it may hold a password).
    pub fn new(url: &str) -> Result<Server, Error> {
        let info = url
            .into_connection_info()
            .map_err(|e| Error::Input(format!("the Redis URL is not valid: {e}")))?;
        let shown = match info.addr() {
            ConnectionAddr::Tcp(host, port) => format!("{host}:{port}"),
            ConnectionAddr::TcpTls { host, port, .. } => format!("{host}:{port} (TLS)"),
            ConnectionAddr::Unix(path) => path.display().to_string(),
            other => other.to_string(),
        };
        Ok(Server {
            url: url.to_string(),
            shown,
        })
    }

    /// The URL itself: for a child process's environment, never for a
    /// command line or a message.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}
// ANCHOR_END: server

/// How long connecting may take, and any one command's answer after it.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: redis
/// A connection that, when it is lost, connects again and repeats the
/// command, waiting longer each time, until `retry_for` has passed: a
/// server restart, or a process paused with Ctrl-Z, is survived. Every
/// command sent through [`Redis::call`] must be safe to send twice (the
/// first may have run before its answer was lost): this crate's are.
pub struct Redis {
    server: Server,
    /// The connection, or why the last try to open one failed.
    connection: redis::RedisResult<redis::Connection>,
    retry_for: Duration,
    /// How many times the connection was made anew.
    pub reconnects: usize,
    /// Whether the process went on after a stop since this was lowered.
    continued: Arc<AtomicBool>,
    watching: signal_hook::SigId,
}

impl Drop for Redis {
    fn drop(&mut self) {
        signal_hook::low_level::unregister(self.watching);
    }
}

impl Redis {
    /// Connects to `server`, once: a server that cannot be reached at the
    /// start is a mistake to report at once, not to wait for.
    pub fn connect(server: &Server, retry_for: Duration) -> Result<Redis, Error> {
        let connection = open(server).map_err(|e| unreachable(server, &e))?;
        Redis::with(server, Ok(connection), retry_for)
    }

    /// Connects to a server that this run has reached already (a process
    /// the run started, or a second connection of the run): a server
    /// paused or restarting now is waited for, as [`Redis::call`] waits.
    pub fn connect_waiting(server: &Server, retry_for: Duration) -> Result<Redis, Error> {
        let mut redis = Redis::with(server, open(server), retry_for)?;
        redis.call(|con| redis::cmd("PING").query::<()>(con))?;
        redis.reconnects = 0;
        Ok(redis)
    }

    fn with(
        server: &Server,
        connection: redis::RedisResult<redis::Connection>,
        retry_for: Duration,
    ) -> Result<Redis, Error> {
        // Raised each time the process goes on after a stop (SIGCONT).
        let continued = Arc::new(AtomicBool::new(false));
        let watching =
            signal_hook::flag::register(signal_hook::consts::SIGCONT, Arc::clone(&continued))
                .map_err(|e| Error::Redis(format!("cannot watch for SIGCONT: {e}")))?;
        Ok(Redis {
            server: server.clone(),
            connection,
            retry_for,
            reconnects: 0,
            continued,
            watching,
        })
    }

    /// Runs `command`, again on a new connection while the server cannot
    /// be reached, until it has been out of reach for `retry_for`. An
    /// attempt during which the process was stopped (Ctrl-Z, a laptop's
    /// lid, `SIGSTOP`) does not count: the process, not the server, went
    /// away, however long for. A signal that stops the run ends the
    /// trying.
    pub fn call<T>(
        &mut self,
        mut command: impl FnMut(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, Error> {
        let mut out_of_reach = Duration::ZERO;
        let mut pause = Duration::from_millis(50);
        loop {
            let tried = Instant::now();
            self.continued.store(false, Ordering::SeqCst);
            let answer = match &mut self.connection {
                Ok(connection) => command(connection),
                Err(not_opened) => Err(not_opened.clone()),
            };
            let error = match answer {
                Ok(answer) => return Ok(answer),
                Err(error) if !is_lost(&error) => return Err(self.explain(&error)),
                Err(error) => error,
            };
            if let Some(signal) = stopped_by() {
                return Err(Error::Redis(format!(
                    "stopped by {signal} while Redis at {} could not be reached: {}",
                    self.server,
                    reason(&error)
                )));
            }
            if out_of_reach >= self.retry_for {
                return Err(Error::Redis(format!(
                    "lost Redis at {} for {} s: {}",
                    self.server,
                    self.retry_for.as_secs(),
                    reason(&error)
                )));
            }
            if out_of_reach.is_zero() && !interrupted(&error) {
                // Once an outage: a program that waits says why (a call
                // interrupted by a stop and a continue is no outage).
                crate::eprint_line(&format!(
                    "redis-streams: Redis at {} cannot be reached ({}); trying again for up to \
                     {} s",
                    self.server,
                    reason(&error),
                    self.retry_for.as_secs()
                ));
            }
            thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(1));
            self.connection = open(&self.server);
            if self.connection.is_ok() {
                self.reconnects += 1;
            }
            // An attempt during which this process was stopped and went
            // on (SIGCONT) says nothing of the server: it does not count.
            if !self.continued.load(Ordering::SeqCst) {
                out_of_reach += tried.elapsed();
            }
        }
    }

    /// The server, as it shows (without its password).
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// What an error from the server means for this program, in words
    /// that name the key.
    fn explain(&self, error: &RedisError) -> Error {
        let server = &self.server;
        let detail = error.detail().unwrap_or_default();
        Error::Redis(match error.code() {
            Some("NOGROUP") => format!(
                "Redis at {server}: the stream or its group '{}' is missing ({detail}): \
                 open the stream first (redis-streams open), or the server lost its data",
                crate::stream::GROUP
            ),
            Some("NOSTREAM") => format!(
                "Redis at {server}: {detail}: open it first (redis-streams open), \
                 or the server lost its data"
            ),
            Some("WRONGTYPE") => format!(
                "Redis at {server}: a key of this stream holds another type of value ({detail})"
            ),
            Some("EXISTS") => format!("Redis at {server}: {detail}: this run leaves it alone"),
            _ => format!("Redis at {server}: {}", one_line(error)),
        })
    }
}

/// The signal a run was stopped by, once [`stop_retrying`] is called.
static STOPPED_BY: AtomicI32 = AtomicI32::new(0);

/// Makes every [`Redis::call`] of this process give up at once, instead
/// of waiting for a lost server: a signal always ends a run.
pub fn stop_retrying(signal: Signal) {
    STOPPED_BY.store(signal as i32, Ordering::SeqCst);
}

fn stopped_by() -> Option<Signal> {
    Signal::try_from(STOPPED_BY.load(Ordering::SeqCst)).ok()
}

/// An error's message on one line, and not too long: a reply that is no
/// Redis reply can run to pages.
pub fn one_line(error: &dyn fmt::Display) -> String {
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default();
    let mut line: String = first.chars().take(160).collect();
    if line.len() < first.len() {
        line.push_str("...");
    }
    line
}

/// Whether `error` is a call cut short by a signal (`EINTR`): after
/// Ctrl-Z and `fg`, a read waiting on the server ends so.
fn interrupted(error: &RedisError) -> bool {
    let io = std::error::Error::source(error).and_then(|e| e.downcast_ref::<std::io::Error>());
    io.is_some_and(|e| e.kind() == std::io::ErrorKind::Interrupted)
        || error.to_string().contains("Interrupted system call")
}

/// Whether `error` says the connection is gone (or the server is still
/// loading its data after a restart), rather than that the command failed.
fn is_lost(error: &RedisError) -> bool {
    error.is_io_error() || error.kind() == ErrorKind::Server(ServerErrorKind::BusyLoading)
}

fn open(server: &Server) -> redis::RedisResult<redis::Connection> {
    let client = redis::Client::open(server.url())?;
    let connection = client.get_connection_with_timeout(CONNECT_TIMEOUT)?;
    connection.set_read_timeout(Some(COMMAND_TIMEOUT))?;
    connection.set_write_timeout(Some(COMMAND_TIMEOUT))?;
    Ok(connection)
}

fn unreachable(server: &Server, error: &RedisError) -> Error {
    Error::Redis(format!("cannot reach Redis at {server}: {}", reason(error)))
}

/// Why a connection failed, in words: for a server that took the
/// connection and never answered, the system's own ("Resource temporarily
/// unavailable", "timed out") say nothing to a reader.
fn reason(error: &RedisError) -> String {
    if error.is_timeout() {
        "no answer in time (the server is paused or too busy, or it is no Redis)".to_string()
    } else {
        one_line(error)
    }
}
// ANCHOR_END: redis

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(url: &str) -> String {
        Server::new(url).map(|s| s.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_server_shows_where_it_is_never_its_password() {
        assert_eq!(shown("redis://:s3cret@host:6379/0"), "host:6379");
        assert_eq!(shown("redis://me:s3cret@host/"), "host:6379");
        assert_eq!(shown("redis://:p%40ss@host:7000"), "host:7000");
        assert_eq!(shown("redis://:p@ss@host:7000"), "host:7000");
        assert_eq!(shown("redis+unix:///tmp/r.sock?pass=s3cret"), "/tmp/r.sock");
        assert_eq!(shown("unix:///tmp/r.sock"), "/tmp/r.sock");
    }

    #[test]
    fn a_bad_url_is_refused_without_repeating_it() {
        for url in ["nope://:s3cret@host", "s3cret", ""] {
            let error = Server::new(url).err().expect("refused").to_string();
            assert!(!error.contains("s3cret"), "{error}");
            assert!(error.contains("not valid"), "{error}");
        }
    }
}
