//! A whole run: a Redis server (a private one unless `--redis` names
//! one), P producer processes and C consumer processes, their lines
//! printed as they come, and the stream closed when the last producer is
//! done.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use redis::Commands;

use crate::stream::{GROUP, NO_SERVER, closed_key, connect, shown};

/// The run's settings: the sections' flags, and where Redis is.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many producer processes to start (1 to 64).
    #[arg(long, default_value_t = 2)]
    producers: usize,
    /// How many consumer processes to start (1 to 64).
    #[arg(long, default_value_t = 3)]
    consumers: usize,
    /// How many items each producer makes.
    #[arg(long, default_value_t = 10)]
    items: usize,
    /// Makes the run's items reproducible: the same seed gives the same
    /// items. Without it, the seed is drawn at random and printed.
    #[arg(long)]
    seed: Option<u64>,
    /// Multiplies every simulated sleep: 0.1 runs ten times faster, 0 does
    /// not sleep at all.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    time_scale: f64,
    /// Bounds the stream to N unprocessed items: producers wait for room.
    #[arg(long, value_name = "N")]
    capacity: Option<usize>,
    /// Trims the stream to about N entries instead (XADD MAXLEN ~ N): no
    /// one waits, and what is trimmed is lost. To see why that is no bound.
    #[arg(long, value_name = "N", conflicts_with = "capacity")]
    maxlen: Option<usize>,
    /// A Redis server to use, as a URL (redis://host:port/,
    /// redis+unix:///path); without it, a private redis-server is started
    /// for the run and stopped after it.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
    /// Makes consumer C die (with no goodbye, as `kill -9` would) when it
    /// starts its N-th item, counting from 0: another consumer claims what
    /// it held.
    #[arg(long, value_name = "C:N")]
    crash: Option<String>,
}

/// Refuses settings that cannot run, with one line that names the flag.
fn check(args: &Args) -> Result<Option<(usize, usize)>, String> {
    for (flag, count) in [
        ("--producers", args.producers),
        ("--consumers", args.consumers),
    ] {
        if !(1..=64).contains(&count) {
            return Err(format!("{flag} must be from 1 to 64, not {count}"));
        }
    }
    if !args.time_scale.is_finite() || !(0.0..=1_000.0).contains(&args.time_scale) {
        return Err(format!(
            "--time-scale must be from 0 to 1000, not {}",
            args.time_scale
        ));
    }
    if let Some(url) = &args.redis {
        redis::Client::open(url.as_str())
            .map_err(|e| format!("--redis {}: not a Redis URL ({e})", shown(url)))?;
    }
    if args.capacity == Some(0) {
        return Err("--capacity must be at least 1: a stream cannot hand an item over".into());
    }
    let Some(crash) = &args.crash else {
        return Ok(None);
    };
    let parsed = crash
        .split_once(':')
        .and_then(|(c, n)| Some((c.parse().ok()?, n.parse().ok()?)));
    match parsed {
        Some((c, n)) if c < args.consumers => Ok(Some((c, n))),
        _ => Err(format!(
            "--crash {crash}: expected C:N, with C a consumer of this run (0 to {})",
            args.consumers - 1
        )),
    }
}

/// Runs the whole configuration; the exit code says how it ended.
pub fn main(args: Args) -> ExitCode {
    let crash = match check(&args) {
        Ok(crash) => crash,
        Err(message) => {
            eprintln!("redis-streams: error: {message}");
            return ExitCode::from(2);
        }
    };
    let seed = args.seed.unwrap_or_else(rand::random);
    if args.seed.is_none() {
        eprintln!("random run; repeat it with --seed {seed}");
    }
    // A private server lives as long as this value: dropping it stops it.
    let (url, _server) = match &args.redis {
        Some(url) => (url.clone(), None),
        None => match PrivateServer::start() {
            Ok(server) => (server.url(), Some(server)),
            Err(message) => {
                eprintln!("redis-streams: error: {message}");
                return ExitCode::from(NO_SERVER);
            }
        },
    };
    match run(&args, seed, crash, &url) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("redis-streams: error: Redis at {}: {error}", shown(&url));
            ExitCode::from(NO_SERVER)
        }
    }
}

// ANCHOR: run
fn run(
    args: &Args,
    seed: u64,
    crash: Option<(usize, usize)>,
    url: &str,
) -> redis::RedisResult<ExitCode> {
    // A stream of this run's own, so that runs sharing a server never mix.
    let stream = format!("producer-consumer:{}", std::process::id());
    let mut con = connect(url)?;
    let _: () = con.del(&[&stream, &closed_key(&stream)])?;
    let _: () = con.xgroup_create_mkstream(&stream, GROUP, "0")?;

    let shared = ["--redis", url, "--stream", &stream];
    let time_scale = args.time_scale.to_string();
    let (lines, printed) = mpsc::channel();
    let mut consumers = Vec::new();
    for id in 0..args.consumers {
        let mut flags = vec![
            "--id".to_string(),
            id.to_string(),
            "--time-scale".into(),
            time_scale.clone(),
        ];
        if let Some((_, n)) = crash.filter(|&(c, _)| c == id) {
            flags.extend(["--crash-at".to_string(), n.to_string()]);
        }
        consumers.push(start(("consumer", id), &shared, &flags, &lines)?);
    }
    let mut producers = Vec::new();
    for id in 0..args.producers {
        let mut flags = vec![
            "--id".to_string(),
            id.to_string(),
            "--items".into(),
            args.items.to_string(),
            "--seed".into(),
            seed.to_string(),
            "--time-scale".into(),
            time_scale.clone(),
        ];
        if let Some(capacity) = args.capacity {
            flags.extend(["--capacity".to_string(), capacity.to_string()]);
        }
        if let Some(maxlen) = args.maxlen {
            flags.extend(["--maxlen".to_string(), maxlen.to_string()]);
        }
        producers.push(start(("producer", id), &shared, &flags, &lines)?);
    }
    drop(lines);

    // When the last producer is done, the stream is closed: the consumers
    // stop once they find it closed and nothing pending.
    let closed = closed_key(&stream);
    let closer = thread::spawn(move || -> redis::RedisResult<Vec<ExitStatus>> {
        let statuses: Vec<ExitStatus> = producers
            .into_iter()
            .map(|producer| producer.join().expect("a producer's relay"))
            .collect();
        let _: () = con.set(closed, 1)?;
        Ok(statuses)
    });

    // Every line, as it comes, from whichever process printed it.
    let mut tally = Tally::default();
    for line in printed {
        println!("{line}");
        tally.count(&line);
    }
    let consumer_statuses = consumers
        .into_iter()
        .map(|consumer| consumer.join().expect("a consumer's relay"));
    let producer_statuses = closer.join().expect("the closer thread")?;
    // A process killed by a signal has no exit code; the run has said so.
    let failed = consumer_statuses
        .chain(producer_statuses)
        .any(|status| status.code().is_some_and(|code| code != 0));

    let mut con = connect(url)?;
    let _: () = con.del(&[&stream, &closed_key(&stream)])?;
    Ok(tally.report(failed))
}
// ANCHOR_END: run

/// Starts `redis-streams ROLE` with the `shared` flags and its own `flags`,
/// and a thread that sends each line it prints down `lines`, then waits for
/// it to end: a process killed by a signal (it could not say so itself)
/// gets one more line, `Consumer 2: Killed`. The thread returns how the
/// process ended.
fn start(
    (role, id): (&'static str, usize),
    shared: &[&str],
    flags: &[String],
    lines: &mpsc::Sender<String>,
) -> redis::RedisResult<thread::JoinHandle<ExitStatus>> {
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .arg(role)
        .args(shared)
        .args(flags)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().expect("a piped stdout");
    let lines = lines.clone();
    Ok(thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
        let status = child.wait().expect("a process to wait for");
        if status.code().is_none() {
            let name = if role == "consumer" {
                "Consumer"
            } else {
                "Producer"
            };
            let _ = lines.send(format!("{name} {id}: Killed"));
        }
        status
    }))
}

/// What the lines say was added, and what was processed.
#[derive(Default)]
struct Tally {
    added: HashSet<String>,
    processed: HashSet<String>,
    reclaimed: usize,
}

impl Tally {
    fn count(&mut self, line: &str) {
        // ">producer 0 added (3, 0.25)": the item is all from the '('.
        let item = || line.find('(').map(|at| line[at..].to_string());
        if line.starts_with(">producer ") && line.contains(" added (") {
            self.added.extend(item());
        } else if line.starts_with(">consumer ") {
            if line.contains(" reclaimed (") {
                self.reclaimed += 1;
            }
            self.processed.extend(item());
        }
    }

    /// The run's last word, on stderr, and its exit code.
    fn report(&self, failed: bool) -> ExitCode {
        let lost = self.added.difference(&self.processed).count();
        if self.reclaimed > 0 {
            // What a consumer processed but did not acknowledge before it
            // died is processed again: delivery is at least once.
            eprintln!(
                "redis-streams: {} reclaimed from a consumer that died",
                items(self.reclaimed)
            );
        }
        if lost > 0 {
            eprintln!(
                "redis-streams: {} of {} added never processed",
                items(lost),
                self.added.len()
            );
        }
        if lost > 0 || failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// "1 item", "2 items".
fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

// ANCHOR: server
/// A `redis-server` of this run's own: a Unix socket in a folder of its
/// own, no port, nothing saved to disk. Stopped when dropped.
struct PrivateServer {
    process: Child,
    dir: PathBuf,
}

impl PrivateServer {
    fn start() -> Result<PrivateServer, String> {
        let dir = std::env::temp_dir().join(format!("redis-streams-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let socket = dir.join("redis.sock");
        let process = Command::new("redis-server")
            .args([
                "--port",
                "0",
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--unixsocket")
            .arg(&socket)
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => "redis-server is not installed: install it \
                    (Debian, Ubuntu: sudo apt-get install redis-server), or pass --redis URL"
                    .to_string(),
                _ => format!("cannot start redis-server: {e}"),
            })?;
        let server = PrivateServer { process, dir };
        server.wait_until_ready(&socket)?;
        Ok(server)
    }

    /// Waits, at most ten seconds, until the server answers.
    fn wait_until_ready(&self, socket: &Path) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if socket.exists() && connect(&self.url()).is_ok() {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(10) {
                return Err("redis-server did not start within 10 s".into());
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn url(&self) -> String {
        format!("redis+unix://{}", self.dir.join("redis.sock").display())
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
// ANCHOR_END: server
