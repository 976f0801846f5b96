//! A `redis-server` of a test's (or a measurement's) own: a Unix socket in
//! a folder of its own, no port, nothing saved, so that tests side by side
//! never share a server; stopped when dropped, also when a test fails.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::DEADLOCK_BOUND;

/// A running `redis-server`, stopped when dropped.
pub struct RedisServer {
    process: Child,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts one, named `name` among this process's servers. Panics, with
    /// the command that installs it, if `redis-server` is missing: a
    /// machine without it fails loudly, never skips.
    pub fn start(name: &str) -> RedisServer {
        let dir = std::env::temp_dir().join(format!("redis-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for the server");
        let process = Command::new("redis-server")
            .args(["--port", "0", "--save", "", "--appendonly", "no"])
            .arg("--unixsocket")
            .arg(dir.join("redis.sock"))
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): the Redis tests need it; \
                     install it with `sudo apt-get install redis-server`"
                )
            });
        let server = RedisServer { process, dir };
        let started = Instant::now();
        while server.client().get_connection().is_err() {
            assert!(
                started.elapsed() < DEADLOCK_BOUND,
                "redis-server did not start"
            );
            thread::sleep(Duration::from_millis(10));
        }
        server
    }

    /// Its address, as the programs' `--redis` takes it.
    pub fn url(&self) -> String {
        format!("redis+unix://{}", self.dir.join("redis.sock").display())
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

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
