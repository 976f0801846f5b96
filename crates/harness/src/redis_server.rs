//! A `redis-server` of a test's (or a measurement's) own: in a folder of
//! its own, so that tests side by side never share a server; stopped when
//! dropped, also when a test fails. It can be restarted, keep its data
//! (append-only file), ask for a password, or listen on a TCP port.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Instant;

use nix::sys::signal::Signal;

use crate::run::{HANG_BOUND as DEADLOCK_BOUND, wait_within};

/// How a test server is set up.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Keeps every write in an append-only file, synced at once: a restart
    /// loses nothing.
    pub persistent: bool,
    /// A password clients must give (set in a config file, so that it
    /// never shows on the server's command line).
    pub password: Option<String>,
    /// Listens on this TCP port of 127.0.0.1 too.
    pub port: Option<u16>,
}

/// A running `redis-server`, stopped when dropped.
pub struct RedisServer {
    process: Option<Child>,
    folder: tempfile::TempDir,
    options: Options,
}

impl RedisServer {
    /// Starts one with no password, nothing saved. Panics, with the command
    /// that installs it, if `redis-server` is missing: a machine without it
    /// fails loudly, never skips.
    pub fn start(name: &str) -> RedisServer {
        RedisServer::start_with(name, Options::default())
    }

    /// Starts one set up as `options` says.
    pub fn start_with(name: &str, options: Options) -> RedisServer {
        let folder = tempfile::Builder::new()
            .prefix(&format!("redis-{name}-"))
            .tempdir()
            .expect("a folder for the server");
        let mut config = String::from("save \"\"\n");
        if options.persistent {
            config.push_str("appendonly yes\nappendfsync always\n");
        } else {
            config.push_str("appendonly no\n");
        }
        if let Some(password) = &options.password {
            let _ = writeln!(config, "requirepass \"{password}\"");
        }
        std::fs::write(folder.path().join("redis.conf"), config).expect("the config file");
        let mut server = RedisServer {
            process: None,
            folder,
            options,
        };
        server.run();
        server
    }

    fn run(&mut self) {
        let dir = self.folder.path();
        let port = self.options.port.unwrap_or(0).to_string();
        let process = Command::new("redis-server")
            .arg(dir.join("redis.conf"))
            .args(["--port", &port, "--bind", "127.0.0.1"])
            .arg("--unixsocket")
            .arg(dir.join("redis.sock"))
            .arg("--dir")
            .arg(dir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): the Redis tests need it; \
                     install it with `sudo apt-get install redis-server`"
                )
            });
        self.process = Some(process);
        let started = Instant::now();
        while connection_to(&self.url()).is_err() {
            assert!(
                started.elapsed() < DEADLOCK_BOUND,
                "redis-server did not start"
            );
            thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Stops the server as a supervisor would (SIGTERM: it writes what it
    /// must and closes its socket), and starts it again in the same folder.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }

    fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let pid = nix::unistd::Pid::from_raw(process.id().cast_signed());
            let _ = nix::sys::signal::kill(pid, Signal::SIGTERM);
            if wait_within(&mut process, DEADLOCK_BOUND).is_none() {
                let _ = process.kill();
                let _ = process.wait();
            }
        }
    }

    /// The server's process id, to pause it (`SIGSTOP`) as a frozen
    /// machine would.
    pub fn pid(&self) -> u32 {
        self.process.as_ref().map_or(0, std::process::Child::id)
    }

    /// Its folder: the socket, the config file, the append-only file.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Its address on the Unix socket, as the programs take it, with the
    /// password if it has one.
    pub fn url(&self) -> String {
        let socket: PathBuf = self.folder.path().join("redis.sock");
        match &self.options.password {
            Some(password) => format!(
                "redis+unix://{}?pass={}",
                socket.display(),
                percent_encoded(password)
            ),
            None => format!("redis+unix://{}", socket.display()),
        }
    }

    /// A client for it.
    pub fn client(&self) -> redis::Client {
        redis::Client::open(self.url()).expect("a valid URL")
    }

    /// A connection to it.
    pub fn connect(&self) -> redis::Connection {
        self.client().get_connection().expect("a connection")
    }
}

/// `text` as it may stand in a URL: every byte but letters and digits
/// written as `%XX`.
pub fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

/// A connection to the server at `url`, if it answers.
fn connection_to(url: &str) -> redis::RedisResult<redis::Connection> {
    redis::Client::open(url)?.get_connection()
}
